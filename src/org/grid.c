/*
 * grid.c - grids (网格) drawn over the tree: a 15-digit code (6 county division
 * + 3 subdistrict + 3 community + 3 grid) and the courtyards and buildings of
 * one community that the grid covers.
 */
#include "org/org.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int grid_code_valid(const char *code)
{
	size_t i;

	if (!code || strlen(code) != 15)
		return 0;
	for (i = 0; i < 15; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	/* The grid's own three digits start at 001. */
	return strcmp(code + 12, "000") != 0;
}

void grid_release(struct grid *g)
{
	free(g->code);
	free(g->name);
	free(g->node_ids);
	free(g->created_at);
	free(g->updated_at);
	memset(g, 0, sizeof(*g));
}

void grid_list_release(struct grid_list *l)
{
	YL_LIST_RELEASE(l, grid_release);
}

static const char SQL_GRID_COLUMNS[] =
	"SELECT id, community_id, subdistrict_id, code, name, created_at, updated_at FROM grids WHERE id = ?";
static const char SQL_GRID_NODES[] = "SELECT node_id FROM grid_nodes WHERE grid_id = ? ORDER BY node_id";

static int load_nodes(struct store *s, struct grid *g, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	st = store_query(s, SQL_GRID_NODES, "i", (int64_t)g->id);
	while (store_next(st, &rc)) {
		YL_GROW(g->node_ids, g->nnodes, cap);
		g->node_ids[g->nnodes++] = store_column_int64(st, 0);
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

int org_grid_get(struct store *s, int64_t id, struct grid *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_GRID_COLUMNS, id, "grid", &st, f) < 0)
		return -1;
	out->id = store_column_int64(st, 0);
	out->community_id = store_column_int64(st, 1);
	out->subdistrict_id = store_column_int64(st, 2);
	out->code = store_column_dup(st, 3);
	out->name = store_column_dup(st, 4);
	out->created_at = store_column_dup(st, 5);
	out->updated_at = store_column_dup(st, 6);
	store_done(st);
	if (load_nodes(s, out, f) < 0) {
		grid_release(out);
		return -1;
	}
	return 0;
}

static const char SQL_GRID_CODE_TAKEN[] = "SELECT id FROM grids WHERE code = ?";

static int check_input(struct store *s, const struct grid_input *in, int64_t self, int64_t community,
		       struct fault *f)
{
	size_t i, j;

	if (in->code) {
		struct store_stmt *st;
		int64_t other = 0;
		int rc;

		if (!grid_code_valid(in->code))
			return fault_set(f, FAULT_INVALID, "code",
					 "a grid code is 15 digits: 6 county + 3 subdistrict + 3 community + 3 grid (001-999)");
		st = store_query(s, SQL_GRID_CODE_TAKEN, "t", in->code);
		rc = store_step(st);
		if (rc == STORE_ROW)
			other = store_column_int64(st, 0);
		store_done(st);
		if (rc < 0)
			return store_fault(s, rc, f);
		if (other && other != self)
			return fault_set(f, FAULT_CONFLICT, "code", "grid code %s is already used by grid %lld", in->code,
					 (long long)other);
	}
	if (in->name && (text_blank(in->name) || !utf8_valid_text(in->name, strlen(in->name)) || utf8_length(in->name) > 100))
		return fault_set(f, FAULT_INVALID, "name", "name must be 1 to 100 characters of text");
	if (!in->set_nodes)
		return 0;
	for (i = 0; i < in->nnodes; i++) {
		struct node n;
		int within;

		for (j = 0; j < i; j++)
			if (in->node_ids[j] == in->node_ids[i])
				return fault_set(f, FAULT_INVALID, "node_ids", "node %lld is listed twice",
						 (long long)in->node_ids[i]);
		if (org_node_get(s, in->node_ids[i], &n, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "node_ids", "node %lld does not exist",
					  (long long)in->node_ids[i]);
			return -1;
		}
		if (n.level != LEVEL_COURTYARD && n.level != LEVEL_BUILDING) {
			fault_set(f, FAULT_INVALID, "node_ids", "node %lld is a %s: a grid covers courtyards and buildings",
				  (long long)n.id, node_level_name(n.level));
			node_release(&n);
			return -1;
		}
		node_release(&n);
		within = org_is_within(s, community, in->node_ids[i]);
		if (within < 0)
			return store_fault(s, STORE_ERROR, f);
		if (!within)
			return fault_set(f, FAULT_INVALID, "node_ids", "node %lld is not in the grid's community %lld",
					 (long long)in->node_ids[i], (long long)community);
	}
	return 0;
}

static const char SQL_GRID_NODES_CLEAR[] = "DELETE FROM grid_nodes WHERE grid_id = ?";
static const char SQL_GRID_NODE_ADD[] =
	"INSERT INTO grid_nodes (grid_id, node_id, subdistrict_id) VALUES (?, ?, (SELECT subdistrict_id FROM grids WHERE id = ?))";

static int write_nodes(struct store *s, int64_t grid, const struct grid_input *in)
{
	struct store_stmt *st;
	size_t i;
	int rc;

	st = store_query(s, SQL_GRID_NODES_CLEAR, "i", (int64_t)grid);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE)
		return rc;
	for (i = 0; i < in->nnodes; i++) {
		st = store_query(s, SQL_GRID_NODE_ADD, "iii", (int64_t)grid, (int64_t)in->node_ids[i], (int64_t)grid);
		rc = store_step(st);
		store_done(st);
		if (rc != STORE_DONE)
			return rc;
	}
	return STORE_OK;
}

static const char SQL_GRID_INSERT[] =
	"INSERT INTO grids (subdistrict_id, community_id, code, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)";

int org_grid_create(struct store *s, const struct grid_input *in, int64_t *id, struct fault *f)
{
	struct node community = { 0 };
	struct store_stmt *st;
	char now[32];
	int64_t gid;
	int rc;

	if (!in->community_id)
		return fault_set(f, FAULT_INVALID, "community_id", "community_id is required");
	if (!in->code)
		return fault_set(f, FAULT_INVALID, "code", "code is required");
	if (!in->name)
		return fault_set(f, FAULT_INVALID, "name", "name is required");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (org_node_get(s, in->community_id, &community, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "community_id", "node %lld does not exist", (long long)in->community_id);
		goto fail;
	}
	if (community.level != LEVEL_COMMUNITY) {
		fault_set(f, FAULT_INVALID, "community_id", "node %lld is a %s, not a community",
			  (long long)community.id, node_level_name(community.level));
		goto fail;
	}
	if (check_input(s, in, 0, community.id, f) < 0)
		goto fail;
	time_now_text(now);
	st = store_query(s, SQL_GRID_INSERT, "iitttt", (int64_t)community.subdistrict_id, (int64_t)community.id,
			 in->code, in->name, now, now);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE)
		goto store_failed;
	gid = store_last_id(s);
	if (in->set_nodes && (rc = write_nodes(s, gid, in)) != STORE_OK)
		goto store_failed;
	if ((rc = store_commit(s)) != STORE_OK) {
		node_release(&community);
		return store_fault(s, rc, f);
	}
	node_release(&community);
	if (id)
		*id = gid;
	return 0;
store_failed:
	store_fault(s, rc, f);
fail:
	store_rollback(s);
	node_release(&community);
	return -1;
}

static const char SQL_GRID_UPDATE[] = "UPDATE grids SET code = ?, name = ?, updated_at = ? WHERE id = ?";

int org_grid_update(struct store *s, int64_t id, const struct grid_input *in, struct fault *f)
{
	struct grid cur;
	struct store_stmt *st;
	char now[32];
	int rc;

	if (in->community_id)
		return fault_set(f, FAULT_INVALID, "community_id", "a grid cannot move to another community");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (org_grid_get(s, id, &cur, f) < 0) {
		store_rollback(s);
		return -1;
	}
	if (check_input(s, in, id, cur.community_id, f) < 0)
		goto fail;
	time_now_text(now);
	st = store_query(s, SQL_GRID_UPDATE, "ttti", in->code ? in->code : cur.code, in->name ? in->name : cur.name,
			 now, (int64_t)id);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE || (in->set_nodes && (rc = write_nodes(s, id, in)) != STORE_OK)) {
		store_fault(s, rc, f);
		goto fail;
	}
	grid_release(&cur);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	grid_release(&cur);
	store_rollback(s);
	return -1;
}

int org_grid_list(struct store *s, int64_t under_id, int64_t node_id, int limit, int offset,
		  struct grid_list *out, struct fault *f)
{
	struct buf where = BUF_INIT, sql = BUF_INIT;
	int64_t *ids = NULL;
	size_t nids = 0, cap = 0, i;
	struct store_stmt *st;
	int rc, idx;

	memset(out, 0, sizeof(*out));
	buf_init(&where);
	buf_adds(&where, " WHERE 1=1");
	if (under_id)
		buf_adds(&where, " AND g.community_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)");
	if (node_id)
		buf_adds(&where, " AND g.id IN (SELECT grid_id FROM grid_nodes WHERE node_id = ?)");
	buf_addf(&sql, "SELECT COUNT(*) FROM grids g%s", where.data);
	st = store_prepare(s, sql.data);
	idx = 1;
	if (under_id)
		store_bind_int64(st, idx++, under_id);
	if (node_id)
		store_bind_int64(st, idx++, node_id);
	rc = store_step(st);
	if (rc == STORE_ROW)
		out->total = store_column_int64(st, 0);
	store_done(st);
	if (rc != STORE_ROW)
		goto store_failed;
	buf_reset(&sql);
	buf_addf(&sql, "SELECT g.id FROM grids g%s ORDER BY g.code LIMIT %d OFFSET %d", where.data,
		 limit > 0 ? limit : 50, offset > 0 ? offset : 0);
	st = store_prepare(s, sql.data);
	idx = 1;
	if (under_id)
		store_bind_int64(st, idx++, under_id);
	if (node_id)
		store_bind_int64(st, idx++, node_id);
	while (store_next(st, &rc)) {
		YL_GROW(ids, nids, cap);
		ids[nids++] = store_column_int64(st, 0);
	}
	if (rc != STORE_DONE)
		goto store_failed;
	out->items = xcalloc(nids ? nids : 1, sizeof(*out->items));
	for (i = 0; i < nids; i++) {
		if (org_grid_get(s, ids[i], &out->items[i], f) < 0)
			goto fail;
		out->n++;
	}
	free(ids);
	buf_release(&where);
	buf_release(&sql);
	return 0;
store_failed:
	store_fault(s, rc, f);
fail:
	free(ids);
	grid_list_release(out);
	buf_release(&where);
	buf_release(&sql);
	return -1;
}
