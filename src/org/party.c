/*
 * party.c - the party organisation of each level (五级组织架构): working
 * committee, general branch, courtyard branch, building party group, and the
 * party-member central household.  One per node; the kind follows the level.
 */
#include "org/org.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	enum node_level level;
	const char *kind;
	const char *suffix;
} party_kinds[] = {
	{ LEVEL_SUBDISTRICT, "working_committee", "党工委" },
	{ LEVEL_COMMUNITY, "general_branch", "党总支" },
	{ LEVEL_COURTYARD, "courtyard_branch", "党支部" },
	{ LEVEL_BUILDING, "building_group", "党小组" },
	{ LEVEL_HOUSEHOLD, "central_household", "党员中心户" },
};

const char *party_org_kind_for(enum node_level level)
{
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(party_kinds); i++)
		if (party_kinds[i].level == level)
			return party_kinds[i].kind;
	return NULL;
}

static const char *suffix_for(enum node_level level)
{
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(party_kinds); i++)
		if (party_kinds[i].level == level)
			return party_kinds[i].suffix;
	return "";
}

void party_org_release(struct party_org *p)
{
	free(p->kind);
	free(p->name);
	free(p->secretary_name);
	free(p->founded_on);
	free(p->created_at);
	free(p->updated_at);
	memset(p, 0, sizeof(*p));
}

void party_org_list_release(struct party_org_list *l)
{
	YL_LIST_RELEASE(l, party_org_release);
}

#define PARTY_COLUMNS \
	"p.id, p.node_id, p.subdistrict_id, p.kind, p.name, p.secretary_person_id, s.name, p.founded_on, " \
	"p.created_at, p.updated_at"
#define PARTY_FROM " FROM party_orgs p LEFT JOIN persons s ON s.id = p.secretary_person_id"

static void read_party(struct store_stmt *st, struct party_org *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_column_int64(st, 0);
	p->node_id = store_column_int64(st, 1);
	p->subdistrict_id = store_column_int64(st, 2);
	p->kind = store_column_dup(st, 3);
	p->name = store_column_dup(st, 4);
	p->secretary_person_id = store_column_int64(st, 5);
	p->secretary_name = store_column_dup(st, 6);
	p->founded_on = store_column_dup(st, 7);
	p->created_at = store_column_dup(st, 8);
	p->updated_at = store_column_dup(st, 9);
}

static const char SQL_PARTY_BY_ID[] = "SELECT " PARTY_COLUMNS PARTY_FROM " WHERE p.id = ?";
static const char SQL_PARTY_BY_NODE[] = "SELECT " PARTY_COLUMNS PARTY_FROM " WHERE p.node_id = ?";

static int get_by(struct store *s, const char *sql, int64_t key, struct party_org *out, struct fault *f,
		  const char *what)
{
	struct store_stmt *st;
	int rc;

	st = store_query(s, sql, "i", (int64_t)key);
	rc = store_step(st);
	if (rc == STORE_ROW)
		read_party(st, out);
	store_done(st);
	if (rc == STORE_ROW)
		return 0;
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, "id", "%s %lld has no party organisation", what, (long long)key);
	return store_fault(s, rc, f);
}

int org_party_get(struct store *s, int64_t id, struct party_org *out, struct fault *f)
{
	int rc = get_by(s, SQL_PARTY_BY_ID, id, out, f, "id");

	if (rc < 0 && f->kind == FAULT_NOT_FOUND)
		fault_set(f, FAULT_NOT_FOUND, "id", "party organisation %lld does not exist", (long long)id);
	return rc;
}

int org_party_get_by_node(struct store *s, int64_t node_id, struct party_org *out, struct fault *f)
{
	return get_by(s, SQL_PARTY_BY_NODE, node_id, out, f, "node");
}

static const char SQL_PERSON_EXISTS[] = "SELECT id FROM persons WHERE id = ?";

static int check_secretary(struct store *s, const struct party_org_input *in, struct fault *f)
{
	int64_t found;
	int rc;

	if (!in->set_secretary || !in->secretary_person_id)
		return 0;
	rc = store_query_int64(s, SQL_PERSON_EXISTS, &found, 1, (int64_t)in->secretary_person_id);
	if (rc == STORE_NOTFOUND)
		return fault_set(f, FAULT_INVALID, "secretary_person_id", "person %lld does not exist",
				 (long long)in->secretary_person_id);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

static int check_founded(const struct party_org_input *in, struct fault *f)
{
	char today[11];

	if (!in->set_founded || !in->founded_on)
		return 0;
	if (date_valid(in->founded_on) < 0)
		return fault_set(f, FAULT_INVALID, "founded_on", "founded_on must be a date as YYYY-MM-DD");
	date_today_local(today);
	if (strcmp(in->founded_on, today) > 0)
		return fault_set(f, FAULT_INVALID, "founded_on", "founded_on is in the future");
	return 0;
}

static const char SQL_PARTY_INSERT[] =
	"INSERT INTO party_orgs (subdistrict_id, node_id, kind, name, secretary_person_id, founded_on, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

int org_party_create(struct store *s, const struct party_org_input *in, int64_t *id, struct fault *f)
{
	struct node node = { 0 };
	struct party_org existing;
	struct store_stmt *st;
	const char *kind;
	char now[32], *name = NULL;
	int rc, ret = -1;

	if (!in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required");
	if (in->name && (text_blank(in->name) || !utf8_valid_text(in->name, strlen(in->name)) || utf8_length(in->name) > 100))
		return fault_set(f, FAULT_INVALID, "name", "name must be 1 to 100 characters of text");
	if (check_founded(in, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (org_node_get(s, in->node_id, &node, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "node_id", "node %lld does not exist", (long long)in->node_id);
		goto out;
	}
	kind = party_org_kind_for(node.level);
	if (!kind) {
		fault_set(f, FAULT_INVALID, "node_id", "a %s has no party organisation of its own",
			  node_level_name(node.level));
		goto out;
	}
	if (org_party_get_by_node(s, in->node_id, &existing, f) == 0) {
		fault_set(f, FAULT_CONFLICT, "node_id", "node %lld already has a party organisation (%lld)",
			  (long long)in->node_id, (long long)existing.id);
		party_org_release(&existing);
		goto out;
	}
	if (f->kind != FAULT_NOT_FOUND)
		goto out;
	fault_clear(f);
	if (check_secretary(s, in, f) < 0)
		goto out;
	name = in->name ? xstrdup(in->name) : xasprintf("%s%s", node.name, suffix_for(node.level));
	time_now_text(now);
	st = store_query(s, SQL_PARTY_INSERT, "iittIttt", (int64_t)node.subdistrict_id, (int64_t)node.id, kind, name,
			 (int64_t)(in->set_secretary ? in->secretary_person_id : 0),
			 in->set_founded ? in->founded_on : NULL, now, now);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto out;
	}
	if (id)
		*id = store_last_id(s);
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto done;
	}
	ret = 0;
	goto done;
out:
	store_rollback(s);
done:
	free(name);
	node_release(&node);
	return ret;
}

static const char SQL_PARTY_UPDATE[] =
	"UPDATE party_orgs SET name = ?, secretary_person_id = ?, founded_on = ?, updated_at = ? WHERE id = ?";

int org_party_update(struct store *s, int64_t id, const struct party_org_input *in, struct fault *f)
{
	struct party_org cur;
	struct store_stmt *st;
	char now[32];
	int rc;

	if (in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "a party organisation cannot move to another node");
	if (in->name && (text_blank(in->name) || !utf8_valid_text(in->name, strlen(in->name)) || utf8_length(in->name) > 100))
		return fault_set(f, FAULT_INVALID, "name", "name must be 1 to 100 characters of text");
	if (check_founded(in, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (org_party_get(s, id, &cur, f) < 0) {
		store_rollback(s);
		return -1;
	}
	if (check_secretary(s, in, f) < 0) {
		party_org_release(&cur);
		store_rollback(s);
		return -1;
	}
	time_now_text(now);
	st = store_query(s, SQL_PARTY_UPDATE, "tItti", in->name ? in->name : cur.name,
			 (int64_t)(in->set_secretary ? in->secretary_person_id : cur.secretary_person_id),
			 in->set_founded ? in->founded_on : cur.founded_on, now, (int64_t)id);
	rc = store_step(st);
	store_done(st);
	party_org_release(&cur);
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		store_rollback(s);
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

int org_party_list(struct store *s, int64_t under_id, const char *kind, int limit, int offset,
		   struct party_org_list *out, struct fault *f)
{
	struct buf where = BUF_INIT, sql = BUF_INIT;
	struct store_stmt *st;
	size_t cap = 0;
	int rc, n;

	memset(out, 0, sizeof(*out));
	buf_init(&where);
	buf_adds(&where, " WHERE 1=1");
	if (under_id)
		buf_adds(&where, " AND p.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)");
	if (kind)
		buf_adds(&where, " AND p.kind = ?");
	for (n = 0; n < 2; n++) {
		int idx = 1;

		buf_reset(&sql);
		if (n == 0)
			buf_addf(&sql, "SELECT COUNT(*)" PARTY_FROM "%s", where.data);
		else
			buf_addf(&sql, "SELECT " PARTY_COLUMNS PARTY_FROM "%s ORDER BY p.id LIMIT %d OFFSET %d",
				 where.data, limit > 0 ? limit : 50, offset > 0 ? offset : 0);
		st = store_prepare(s, sql.data);
		if (under_id)
			store_bind_int64(st, idx++, under_id);
		if (kind)
			store_bind_text(st, idx++, kind);
		while ((rc = store_step(st)) == STORE_ROW) {
			if (n == 0) {
				out->total = store_column_int64(st, 0);
				continue;
			}
			YL_GROW(out->items, out->n, cap);
			read_party(st, &out->items[out->n++]);
		}
		store_done(st);
		if (rc != STORE_DONE) {
			party_org_list_release(out);
			buf_release(&where);
			buf_release(&sql);
			return store_fault(s, rc, f);
		}
	}
	buf_release(&where);
	buf_release(&sql);
	return 0;
}
