/*
 * node.c - nodes of the organisation tree, their closure table and history.
 *
 * node_closure has a row (ancestor, descendant, depth) for every pair on a
 * path, the node itself at depth 0.  A subtree is the index range
 * ancestor_id = N; a move rewrites the rows linking the moved subtree to its old
 * ancestors, in the same transaction as the parent change and its history row.
 */
#include "org/org.h"
#include "util/check.h"
#include "util/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = { NULL, "subdistrict", "community", "courtyard",
					   "building", "unit", "household" };
static const char *const courtyard_kinds[] = { "residential", "dormitory", "business_alliance", NULL };
static const char *const community_kinds[] = { "urban", "rural", NULL };

const char *node_level_name(enum node_level level)
{
	if (level < LEVEL_SUBDISTRICT || level > LEVEL_HOUSEHOLD)
		return "none";
	return level_names[level];
}

enum node_level node_level_parse(const char *s)
{
	int i;

	if (!s)
		return LEVEL_NONE;
	for (i = LEVEL_SUBDISTRICT; i <= LEVEL_HOUSEHOLD; i++)
		if (strcmp(s, level_names[i]) == 0)
			return (enum node_level)i;
	return LEVEL_NONE;
}

int node_level_parent_ok(enum node_level child, enum node_level parent)
{
	switch (child) {
	case LEVEL_SUBDISTRICT:
		return parent == LEVEL_NONE;
	case LEVEL_COMMUNITY:
		return parent == LEVEL_SUBDISTRICT;
	case LEVEL_COURTYARD:
		return parent == LEVEL_COMMUNITY;
	case LEVEL_BUILDING:
		return parent == LEVEL_COURTYARD;
	case LEVEL_UNIT:
		return parent == LEVEL_BUILDING;
	case LEVEL_HOUSEHOLD:
		/* A building without stairwell units holds its households directly. */
		return parent == LEVEL_UNIT || parent == LEVEL_BUILDING;
	case LEVEL_NONE:
		break;
	}
	return 0;
}

const char *const *node_level_kinds(enum node_level level)
{
	if (level == LEVEL_COURTYARD)
		return courtyard_kinds;
	if (level == LEVEL_COMMUNITY)
		return community_kinds;
	return NULL;
}

int node_kind_required(enum node_level level)
{
	return level == LEVEL_COURTYARD;
}

int node_kind_known(const char *kind)
{
	size_t i;

	for (i = 0; courtyard_kinds[i]; i++)
		if (strcmp(kind, courtyard_kinds[i]) == 0)
			return 1;
	for (i = 0; community_kinds[i]; i++)
		if (strcmp(kind, community_kinds[i]) == 0)
			return 1;
	return 0;
}

static const char *expected_parent(enum node_level child)
{
	switch (child) {
	case LEVEL_SUBDISTRICT:
		return "no parent (a subdistrict is a root)";
	case LEVEL_COMMUNITY:
		return "a subdistrict";
	case LEVEL_COURTYARD:
		return "a community";
	case LEVEL_BUILDING:
		return "a courtyard";
	case LEVEL_UNIT:
		return "a building";
	case LEVEL_HOUSEHOLD:
		return "a unit or a building";
	case LEVEL_NONE:
		break;
	}
	return "?";
}

void node_release(struct node *n)
{
	free(n->kind);
	free(n->name);
	free(n->code);
	free(n->address);
	free(n->created_at);
	free(n->updated_at);
	memset(n, 0, sizeof(*n));
}

void node_list_release(struct node_list *l)
{
	YL_LIST_RELEASE(l, node_release);
}

#define NODE_COLUMNS \
	"n.id, n.parent_id, n.subdistrict_id, n.level, n.kind, n.name, n.code, n.address, n.lat, n.lng, " \
	"n.created_at, n.updated_at, (SELECT COUNT(*) FROM nodes c WHERE c.parent_id = n.id)"

static void read_node(struct store_stmt *st, struct node *n)
{
	memset(n, 0, sizeof(*n));
	n->id = store_column_int64(st, 0);
	n->parent_id = store_column_int64(st, 1);
	n->subdistrict_id = store_column_int64(st, 2);
	n->level = node_level_parse(store_column_text(st, 3));
	n->kind = store_column_dup(st, 4);
	n->name = store_column_dup(st, 5);
	n->code = store_column_dup(st, 6);
	n->address = store_column_dup(st, 7);
	n->has_coords = !store_column_is_null(st, 8) && !store_column_is_null(st, 9);
	n->lat = store_column_double(st, 8);
	n->lng = store_column_double(st, 9);
	n->created_at = store_column_dup(st, 10);
	n->updated_at = store_column_dup(st, 11);
	n->children = store_column_int64(st, 12);
}

static const char SQL_NODE_BY_ID[] = "SELECT " NODE_COLUMNS " FROM nodes n WHERE n.id = ?";
static const char SQL_NODE_BY_CODE[] = "SELECT " NODE_COLUMNS " FROM nodes n WHERE n.code = ?";

static int get_one(struct store *s, const char *sql, int64_t id, const char *code, struct node *out,
		   struct fault *f)
{
	struct store_stmt *st = store_prepare(s, sql);
	int rc;

	if (code)
		store_bind_text(st, 1, code);
	else
		store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc == STORE_ROW)
		read_node(st, out);
	store_done(st);
	if (rc == STORE_ROW)
		return 0;
	if (rc == STORE_DONE) {
		if (code)
			return fault_set(f, FAULT_NOT_FOUND, "code", "no node has the code '%s'", code);
		return fault_set(f, FAULT_NOT_FOUND, "id", "node %lld does not exist", (long long)id);
	}
	return store_fault(s, rc, f);
}

int org_node_get(struct store *s, int64_t id, struct node *out, struct fault *f)
{
	return get_one(s, SQL_NODE_BY_ID, id, NULL, out, f);
}

int org_node_get_by_code(struct store *s, const char *code, struct node *out, struct fault *f)
{
	return get_one(s, SQL_NODE_BY_CODE, 0, code, out, f);
}

/* Codes are identifiers in imports and URLs: letters, digits, '-', '_' and '.'. */
static int code_valid(const char *code)
{
	size_t n = strlen(code), i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]) && code[i] != '-' && code[i] != '_' && code[i] != '.')
			return 0;
	return 1;
}

static int check_kind(enum node_level level, const char *kind, int required, struct fault *f)
{
	const char *const *kinds = node_level_kinds(level);
	size_t i;

	if (!kind) {
		if (required && node_kind_required(level))
			return fault_set(f, FAULT_INVALID, "kind",
					 "a courtyard needs a kind: residential, dormitory or business_alliance");
		return 0;
	}
	if (!kinds)
		return fault_set(f, FAULT_INVALID, "kind", "a %s takes no kind", node_level_name(level));
	for (i = 0; kinds[i]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return 0;
	if (level == LEVEL_COURTYARD)
		return fault_set(f, FAULT_INVALID, "kind",
				 "'%s' is not a courtyard kind: use residential, dormitory or business_alliance", kind);
	return fault_set(f, FAULT_INVALID, "kind", "'%s' is not a community kind: use urban or rural", kind);
}

static int check_coords(const struct node_input *in, struct fault *f)
{
	if (!in->set_coords)
		return 0;
	if (!(in->lat >= -90.0 && in->lat <= 90.0))
		return fault_set(f, FAULT_INVALID, "lat", "lat must be between -90 and 90");
	if (!(in->lng >= -180.0 && in->lng <= 180.0))
		return fault_set(f, FAULT_INVALID, "lng", "lng must be between -180 and 180");
	return 0;
}

static const char SQL_INSERT_NODE[] =
	"INSERT INTO nodes (subdistrict_id, parent_id, level, kind, name, code, address, lat, lng, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SET_CODE_SUBDISTRICT[] = "UPDATE nodes SET code = ?, subdistrict_id = ? WHERE id = ?";
/* Closure rows carry the subdistrict of their descendant (moves stay inside a subdistrict). */
static const char SQL_CLOSURE_SELF[] =
	"INSERT INTO node_closure (ancestor_id, descendant_id, depth, subdistrict_id)"
	" VALUES (?, ?, 0, (SELECT subdistrict_id FROM nodes WHERE id = ?))";
static const char SQL_CLOSURE_FROM_PARENT[] =
	"INSERT INTO node_closure (ancestor_id, descendant_id, depth, subdistrict_id)"
	" SELECT ancestor_id, ?, depth + 1, subdistrict_id FROM node_closure WHERE descendant_id = ?";
static const char SQL_CODE_TAKEN[] = "SELECT id FROM nodes WHERE code = ?";
static const char SQL_HISTORY_INSERT[] =
	"INSERT INTO node_history (node_id, at, action, old_parent_id, new_parent_id, old_name, new_name, detail,"
	" subdistrict_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT subdistrict_id FROM nodes WHERE id = ?))";

static int add_history(struct store *s, int64_t node, const char *now, const char *action, int64_t old_parent,
		       int64_t new_parent, const char *old_name, const char *new_name, const char *detail)
{
	struct store_stmt *st;
	int rc;

	st = store_query(s, SQL_HISTORY_INSERT, "ittIIttti", (int64_t)node, now, action, (int64_t)old_parent,
			 (int64_t)new_parent, old_name, new_name, detail, (int64_t)node);
	rc = store_step(st);
	store_done(st);
	return rc == STORE_DONE ? STORE_OK : rc;
}

static int code_taken(struct store *s, const char *code, int64_t except, struct fault *f)
{
	int64_t other = 0;
	int rc;
	struct store_stmt *st;

	st = store_query(s, SQL_CODE_TAKEN, "t", code);
	rc = store_step(st);
	if (rc == STORE_ROW)
		other = store_column_int64(st, 0);
	store_done(st);
	if (rc < 0)
		return store_fault(s, rc, f);
	if (other && other != except)
		return fault_set(f, FAULT_CONFLICT, "code", "the code '%s' is already used by node %lld", code,
				 (long long)other);
	return 0;
}

static int exec_step(struct store *s, struct store_stmt *st)
{
	int rc = store_step(st);

	store_done(st);
	YL_UNUSED(s);
	return rc == STORE_DONE || rc == STORE_ROW ? STORE_OK : rc;
}

int org_node_create(struct store *s, const struct node_input *in, int64_t *id, struct fault *f)
{
	struct node parent = { 0 };
	struct store_stmt *st;
	char now[32], gen[32];
	int64_t nid = 0, subdistrict = 0;
	int rc;

	if (in->level == LEVEL_NONE)
		return fault_set(f, FAULT_INVALID, "level",
				 "level must be subdistrict, community, courtyard, building, unit or household");
	if (check_text("name", in->name, 100, TEXT_REQUIRED, f) < 0 || check_text("address", in->address, 200, TEXT_OPTIONAL, f) < 0 ||
	    check_kind(in->level, in->kind, 1, f) < 0 || check_coords(in, f) < 0)
		return -1;
	if (in->code && !code_valid(in->code))
		return fault_set(f, FAULT_INVALID, "code",
				 "a code is 1 to 64 letters, digits, '-', '_' or '.'");
	if (in->parent_id) {
		if (org_node_get(s, in->parent_id, &parent, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "parent_id", "parent node %lld does not exist",
					  (long long)in->parent_id);
			return -1;
		}
	}
	if (!node_level_parent_ok(in->level, in->parent_id ? parent.level : LEVEL_NONE)) {
		if (in->parent_id)
			fault_set(f, FAULT_INVALID, "parent_id", "a %s cannot be placed under a %s: its parent must be %s",
				  node_level_name(in->level), node_level_name(parent.level), expected_parent(in->level));
		else
			fault_set(f, FAULT_INVALID, "parent_id", "a %s needs a parent: %s", node_level_name(in->level),
				  expected_parent(in->level));
		node_release(&parent);
		return -1;
	}
	subdistrict = in->parent_id ? parent.subdistrict_id : 0;
	node_release(&parent);

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (in->code && code_taken(s, in->code, 0, f) < 0)
		goto fail_quiet;
	time_now_text(now);
	st = store_query(s, SQL_INSERT_NODE, "IIttt", (int64_t)subdistrict, (int64_t)in->parent_id,
			 node_level_name(in->level), in->kind, in->name);
	/* A code is required by the schema: a temporary unique one until the id is known. */
	snprintf(gen, sizeof(gen), "tmp-%lld", (long long)time_now_us());
	store_bind_text(st, 6, in->code ? in->code : gen);
	store_bind_text(st, 7, in->address);
	if (in->set_coords) {
		store_bind_double(st, 8, in->lat);
		store_bind_double(st, 9, in->lng);
	} else {
		store_bind_null(st, 8);
		store_bind_null(st, 9);
	}
	store_bind_text(st, 10, now);
	store_bind_text(st, 11, now);
	if ((rc = exec_step(s, st)) != STORE_OK)
		goto fail;
	nid = store_last_id(s);
	if (!subdistrict)
		subdistrict = nid;
	/* N<id>, unless someone chose that code for another node: then N<id>-2, -3 ... */
	snprintf(gen, sizeof(gen), "N%lld", (long long)nid);
	if (!in->code) {
		int k;

		for (k = 2; code_taken(s, gen, nid, f) < 0; k++) {
			if (f->kind != FAULT_CONFLICT)
				goto fail_quiet;
			fault_clear(f);
			snprintf(gen, sizeof(gen), "N%lld-%d", (long long)nid, k);
		}
	}
	st = store_query(s, SQL_SET_CODE_SUBDISTRICT, "tii", in->code ? in->code : gen, (int64_t)subdistrict,
			 (int64_t)nid);
	if ((rc = exec_step(s, st)) != STORE_OK)
		goto fail;
	st = store_query(s, SQL_CLOSURE_SELF, "iii", (int64_t)nid, (int64_t)nid, (int64_t)nid);
	if ((rc = exec_step(s, st)) != STORE_OK)
		goto fail;
	if (in->parent_id) {
		st = store_query(s, SQL_CLOSURE_FROM_PARENT, "ii", (int64_t)nid, (int64_t)in->parent_id);
		if ((rc = exec_step(s, st)) != STORE_OK)
			goto fail;
	}
	if ((rc = add_history(s, nid, now, "create", 0, in->parent_id, NULL, in->name, in->detail)) != STORE_OK)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (id)
		*id = nid;
	return 0;
fail:
	store_fault(s, rc, f);
fail_quiet:
	store_rollback(s);
	return -1;
}

static const char SQL_CLOSURE_UNLINK[] =
	"DELETE FROM node_closure"
	" WHERE descendant_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)"
	"   AND ancestor_id IN (SELECT ancestor_id FROM node_closure WHERE descendant_id = ? AND depth > 0)";
static const char SQL_CLOSURE_LINK[] =
	"INSERT INTO node_closure (ancestor_id, descendant_id, depth, subdistrict_id)"
	" SELECT a.ancestor_id, d.descendant_id, a.depth + d.depth + 1, d.subdistrict_id"
	" FROM node_closure a, node_closure d WHERE a.descendant_id = ? AND d.ancestor_id = ?";
static const char SQL_GRID_DROP_MOVED[] =
	"DELETE FROM grid_nodes"
	" WHERE node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)"
	"   AND NOT EXISTS (SELECT 1 FROM grids g JOIN node_closure c ON c.ancestor_id = g.community_id"
	"                   WHERE g.id = grid_nodes.grid_id AND c.descendant_id = grid_nodes.node_id)";
static const char SQL_UPDATE_NODE[] =
	"UPDATE nodes SET parent_id = ?, kind = ?, name = ?, code = ?, address = ?, lat = ?, lng = ?, updated_at = ?"
	" WHERE id = ?";
static const char SQL_IS_WITHIN[] = "SELECT depth FROM node_closure WHERE ancestor_id = ? AND descendant_id = ?";

int org_is_within(struct store *s, int64_t ancestor, int64_t node)
{
	int64_t depth;
	int rc = store_query_int64(s, SQL_IS_WITHIN, &depth, 2, (int64_t)ancestor, (int64_t)node);

	if (rc == STORE_OK)
		return 1;
	return rc == STORE_NOTFOUND ? 0 : -1;
}

int org_node_update(struct store *s, int64_t id, const struct node_input *in, struct fault *f)
{
	struct node cur = { 0 }, parent = { 0 };
	struct store_stmt *st;
	const char *kind, *name, *code, *address;
	int moving, renaming, rc, ret = -1;
	char now[32];

	if (in->level != LEVEL_NONE)
		return fault_set(f, FAULT_INVALID, "level", "a node's level cannot change; create a new node instead");
	if (check_text("name", in->name, 100, in->name ? TEXT_REQUIRED : TEXT_OPTIONAL, f) < 0 ||
	    check_text("address", in->address, 200, TEXT_OPTIONAL, f) < 0 || check_coords(in, f) < 0)
		return -1;
	if (in->code && !code_valid(in->code))
		return fault_set(f, FAULT_INVALID, "code", "a code is 1 to 64 letters, digits, '-', '_' or '.'");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (org_node_get(s, id, &cur, f) < 0)
		goto out;
	if (in->kind && check_kind(cur.level, in->kind, 0, f) < 0)
		goto out;
	if (in->set_kind && !in->kind && node_kind_required(cur.level)) {
		fault_set(f, FAULT_INVALID, "kind", "a %s needs a kind; it cannot be cleared", node_level_name(cur.level));
		goto out;
	}
	moving = in->parent_id && in->parent_id != cur.parent_id;
	if (moving) {
		int within;

		if (in->parent_id == id) {
			fault_set(f, FAULT_INVALID, "parent_id", "a node cannot be its own parent");
			goto out;
		}
		if (org_node_get(s, in->parent_id, &parent, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "parent_id", "parent node %lld does not exist",
					  (long long)in->parent_id);
			goto out;
		}
		within = org_is_within(s, id, in->parent_id);
		if (within < 0) {
			store_fault(s, STORE_ERROR, f);
			goto out;
		}
		if (within) {
			fault_set(f, FAULT_INVALID, "parent_id",
				  "node %lld is inside the subtree of node %lld: the move would make a cycle",
				  (long long)in->parent_id, (long long)id);
			goto out;
		}
		if (!node_level_parent_ok(cur.level, parent.level)) {
			fault_set(f, FAULT_INVALID, "parent_id", "a %s cannot be placed under a %s: its parent must be %s",
				  node_level_name(cur.level), node_level_name(parent.level), expected_parent(cur.level));
			goto out;
		}
		if (parent.subdistrict_id != cur.subdistrict_id) {
			/* Rows carry their subdistrict (the shard key): crossing is a data migration. */
			fault_set(f, FAULT_INVALID, "parent_id",
				  "node %lld belongs to another subdistrict: moves stay within one subdistrict",
				  (long long)in->parent_id);
			goto out;
		}
	}
	if (in->code && code_taken(s, in->code, id, f) < 0)
		goto out;
	kind = in->set_kind || in->kind ? in->kind : cur.kind;
	name = in->name ? in->name : cur.name;
	code = in->code ? in->code : cur.code;
	address = in->set_address ? in->address : cur.address;
	renaming = in->name && strcmp(in->name, cur.name) != 0;
	time_now_text(now);

	if (moving) {
		st = store_query(s, SQL_CLOSURE_UNLINK, "ii", (int64_t)id, (int64_t)id);
		if ((rc = exec_step(s, st)) != STORE_OK)
			goto store_failed;
		st = store_query(s, SQL_CLOSURE_LINK, "ii", (int64_t)in->parent_id, (int64_t)id);
		if ((rc = exec_step(s, st)) != STORE_OK)
			goto store_failed;
		/* A grid covers nodes of its own community: moved-away nodes leave it. */
		st = store_query(s, SQL_GRID_DROP_MOVED, "i", (int64_t)id);
		if ((rc = exec_step(s, st)) != STORE_OK)
			goto store_failed;
	}
	st = store_query(s, SQL_UPDATE_NODE, "Itttt", (int64_t)(moving ? in->parent_id : cur.parent_id), kind, name,
			 code, address);
	if (in->clear_coords) {
		store_bind_null(st, 6);
		store_bind_null(st, 7);
	} else if (in->set_coords || cur.has_coords) {
		store_bind_double(st, 6, in->set_coords ? in->lat : cur.lat);
		store_bind_double(st, 7, in->set_coords ? in->lng : cur.lng);
	} else {
		store_bind_null(st, 6);
		store_bind_null(st, 7);
	}
	store_bind_text(st, 8, now);
	store_bind_int64(st, 9, id);
	if ((rc = exec_step(s, st)) != STORE_OK)
		goto store_failed;
	if (moving && (rc = add_history(s, id, now, "move", cur.parent_id, in->parent_id, NULL, NULL, in->detail)) != STORE_OK)
		goto store_failed;
	if (renaming && (rc = add_history(s, id, now, "rename", 0, 0, cur.name, in->name, in->detail)) != STORE_OK)
		goto store_failed;
	if (!moving && !renaming) {
		struct buf d = BUF_INIT;

		buf_init(&d);
		if ((in->kind || in->set_kind) && (!cur.kind || !in->kind || strcmp(in->kind, cur.kind)) &&
		    (cur.kind || in->kind))
			buf_addf(&d, "kind %s -> %s; ", cur.kind ? cur.kind : "-", in->kind ? in->kind : "-");
		if (in->code && strcmp(in->code, cur.code))
			buf_addf(&d, "code %s -> %s; ", cur.code, in->code);
		if (in->set_address)
			buf_adds(&d, "address; ");
		if (in->set_coords || in->clear_coords)
			buf_adds(&d, "coordinates; ");
		if (in->detail)
			buf_adds(&d, in->detail);
		if (d.len)
			rc = add_history(s, id, now, "update", 0, 0, NULL, NULL, d.data);
		buf_release(&d);
		if (rc != STORE_OK)
			goto store_failed;
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto done;
	}
	ret = 0;
	goto done;
store_failed:
	store_fault(s, rc, f);
out:
	store_rollback(s);
done:
	node_release(&cur);
	node_release(&parent);
	return ret;
}

static void bind_all(struct store_stmt *st, const int64_t *ids, const char **texts, const int *is_text, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (is_text[i])
			store_bind_text(st, i + 1, texts[i]);
		else
			store_bind_int64(st, i + 1, ids[i]);
	}
}

int org_node_list(struct store *s, const struct node_filter *flt, struct node_list *out, struct fault *f)
{
	struct buf where = BUF_INIT, sql = BUF_INIT;
	int64_t ids[8];
	const char *texts[8];
	int is_text[8], n = 0, rc, limit = flt->limit > 0 ? flt->limit : 50;
	struct store_stmt *st;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	buf_init(&where);
	buf_adds(&where, " WHERE 1=1");
	if (flt->under_id) {
		buf_adds(&where, " AND n.id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ? AND depth > 0)");
		ids[n] = flt->under_id;
		is_text[n++] = 0;
	}
	if (flt->scope_id) {
		buf_adds(&where, " AND n.id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)");
		ids[n] = flt->scope_id;
		is_text[n++] = 0;
	}
	if (flt->parent_id) {
		buf_adds(&where, " AND n.parent_id = ?");
		ids[n] = flt->parent_id;
		is_text[n++] = 0;
	}
	if (flt->roots)
		buf_adds(&where, " AND n.parent_id IS NULL");
	if (flt->level != LEVEL_NONE) {
		buf_adds(&where, " AND n.level = ?");
		texts[n] = node_level_name(flt->level);
		is_text[n++] = 1;
	}
	if (flt->kind) {
		buf_adds(&where, " AND n.kind = ?");
		texts[n] = flt->kind;
		is_text[n++] = 1;
	}
	if (flt->q) {
		/* instr() on both backends: no LIKE wildcards to escape. */
		buf_adds(&where, " AND (instr(n.name, ?) > 0 OR instr(n.code, ?) > 0)");
		texts[n] = flt->q;
		is_text[n++] = 1;
		texts[n] = flt->q;
		is_text[n++] = 1;
	}
	buf_addf(&sql, "SELECT COUNT(*) FROM nodes n%s", where.data);
	st = store_prepare(s, sql.data);
	bind_all(st, ids, texts, is_text, n);
	rc = store_step(st);
	if (rc == STORE_ROW)
		out->total = store_column_int64(st, 0);
	store_done(st);
	if (rc != STORE_ROW) {
		store_fault(s, rc, f);
		goto fail;
	}
	buf_reset(&sql);
	buf_addf(&sql, "SELECT " NODE_COLUMNS " FROM nodes n%s ORDER BY n.parent_id NULLS FIRST, n.id LIMIT %d OFFSET %d",
		 where.data, limit, flt->offset > 0 ? flt->offset : 0);
	st = store_prepare(s, sql.data);
	bind_all(st, ids, texts, is_text, n);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, cap);
		read_node(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	buf_release(&where);
	buf_release(&sql);
	return 0;
fail:
	node_list_release(out);
	buf_release(&where);
	buf_release(&sql);
	return -1;
}

static const char SQL_ANCESTORS[] =
	"SELECT " NODE_COLUMNS " FROM node_closure c JOIN nodes n ON n.id = c.ancestor_id"
	" WHERE c.descendant_id = ? AND c.depth > 0 ORDER BY c.depth DESC";

int org_node_ancestors(struct store *s, int64_t id, struct node_list *out, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_ANCESTORS, "i", (int64_t)id);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, cap);
		read_node(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		node_list_release(out);
		return store_fault(s, rc, f);
	}
	out->total = (int64_t)out->n;
	return 0;
}

static const char SQL_PATH[] =
	"SELECT n.name, n.level FROM node_closure c JOIN nodes n ON n.id = c.ancestor_id"
	" WHERE c.descendant_id = ? ORDER BY c.depth DESC";

char *org_node_path(struct store *s, int64_t id)
{
	struct store_stmt *st;
	struct buf b = BUF_INIT;
	int rc;

	buf_init(&b);
	st = store_query(s, SQL_PATH, "i", (int64_t)id);
	while ((rc = store_step(st)) == STORE_ROW) {
		/* The subdistrict is the same for everyone in a deployment's daily work: left out. */
		if (node_level_parse(store_column_text(st, 1)) == LEVEL_SUBDISTRICT)
			continue;
		buf_addf(&b, "%s%s", b.len ? " / " : "", store_column_text(st, 0));
	}
	store_done(st);
	if (rc != STORE_DONE) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static const char SQL_HISTORY[] =
	"SELECT id, at, action, old_parent_id, new_parent_id, old_name, new_name, detail"
	" FROM node_history WHERE node_id = ? ORDER BY id";

int org_node_history(struct store *s, int64_t id, struct node_history *out, struct fault *f)
{
	struct node probe;
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (org_node_get(s, id, &probe, f) < 0)
		return -1;
	node_release(&probe);
	st = store_query(s, SQL_HISTORY, "i", (int64_t)id);
	while (store_next(st, &rc)) {
		struct node_change *c;

		YL_GROW(out->items, out->n, cap);
		c = &out->items[out->n++];
		c->id = store_column_int64(st, 0);
		c->at = store_column_dup(st, 1);
		c->action = store_column_dup(st, 2);
		c->old_parent_id = store_column_int64(st, 3);
		c->new_parent_id = store_column_int64(st, 4);
		c->old_name = store_column_dup(st, 5);
		c->new_name = store_column_dup(st, 6);
		c->detail = store_column_dup(st, 7);
	}
	if (rc != STORE_DONE) {
		node_history_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

void node_history_release(struct node_history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->items[i].at);
		free(h->items[i].action);
		free(h->items[i].old_name);
		free(h->items[i].new_name);
		free(h->items[i].detail);
	}
	free(h->items);
	memset(h, 0, sizeof(*h));
}
