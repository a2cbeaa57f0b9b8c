/*
 * role_set.c - named sets of roles, such as 三长四员 (three heads and four
 * officers).  Its exact list differs by place, so a set is data: a code, a
 * name and its member roles.
 */
#include "people/check.h"
#include "util/check.h"
#include "people/people.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_CHARS 50

void role_set_release(struct role_set *rs)
{
	free(rs->code);
	free(rs->name);
	free(rs->role_ids);
	free(rs->created_at);
	free(rs->updated_at);
	memset(rs, 0, sizeof(*rs));
}

void role_set_list_release(struct role_set_list *l)
{
	YL_LIST_RELEASE(l, role_set_release);
}

#define SET_COLUMNS "id, code, name, created_at, updated_at"

static void read_set(struct store_stmt *st, struct role_set *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->id = store_column_int64(st, 0);
	rs->code = store_column_dup(st, 1);
	rs->name = store_column_dup(st, 2);
	rs->created_at = store_column_dup(st, 3);
	rs->updated_at = store_column_dup(st, 4);
}

static void add_member(struct role_set *rs, int64_t role_id, size_t *cap)
{
	YL_GROW(rs->role_ids, rs->nroles, *cap);
	rs->role_ids[rs->nroles++] = role_id;
}

static const char SQL_SET_BY_ID[] = "SELECT " SET_COLUMNS " FROM role_sets WHERE id = ?";
static const char SQL_SET_MEMBERS[] = "SELECT role_id FROM role_set_members WHERE set_id = ? ORDER BY role_id";

int people_role_set_get(struct store *s, int64_t id, struct role_set *out, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_SET_BY_ID, id, "role set", &st, f) < 0)
		return -1;
	read_set(st, out);
	store_done(st);
	st = store_query(s, SQL_SET_MEMBERS, "i", (int64_t)id);
	while (store_next(st, &rc))
		add_member(out, store_column_int64(st, 0), &cap);
	if (rc != STORE_DONE) {
		role_set_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_ROLE_EXISTS[] = "SELECT id FROM roles WHERE id = ?";

static int check_members(struct store *s, const struct role_set_input *in, struct fault *f)
{
	size_t i, j;
	int64_t found;
	int rc;

	if (!in->set_roles && !in->nroles)
		return 0;
	for (i = 0; i < in->nroles; i++) {
		for (j = 0; j < i; j++)
			if (in->role_ids[j] == in->role_ids[i])
				return fault_set(f, FAULT_INVALID, "role_ids", "role %lld is listed twice",
						 (long long)in->role_ids[i]);
		rc = store_query_int64(s, SQL_ROLE_EXISTS, &found, 1, (int64_t)in->role_ids[i]);
		if (rc == STORE_NOTFOUND)
			return fault_set(f, FAULT_INVALID, "role_ids", "role %lld does not exist",
					 (long long)in->role_ids[i]);
		if (rc != STORE_OK)
			return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_MEMBERS_CLEAR[] = "DELETE FROM role_set_members WHERE set_id = ?";
static const char SQL_MEMBER_ADD[] = "INSERT INTO role_set_members (set_id, role_id) VALUES (?, ?)";

static int write_members(struct store *s, int64_t set, const struct role_set_input *in)
{
	size_t i;
	int rc;

	if (!in->set_roles && !in->nroles)
		return STORE_OK;
	if ((rc = store_run(s, SQL_MEMBERS_CLEAR, "i", (int64_t)set)) != STORE_OK)
		return rc;
	for (i = 0; i < in->nroles; i++) {
		if ((rc = store_run(s, SQL_MEMBER_ADD, "ii", (int64_t)set, (int64_t)in->role_ids[i])) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

static const char SQL_SET_CODE_TAKEN[] = "SELECT id FROM role_sets WHERE code = ?";
static const char SQL_SET_INSERT[] = "INSERT INTO role_sets (code, name, created_at, updated_at) VALUES (?, ?, ?, ?)";

int people_role_set_create(struct store *s, const struct role_set_input *in, int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	int64_t other = 0, sid;
	char now[32];
	int rc;

	if (!people_code_valid(in->code))
		return fault_set(f, FAULT_INVALID, "code", "a role set code is 1 to 40 of a-z, 0-9 and '_'");
	if (check_text("name", in->name, NAME_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_SET_CODE_TAKEN, "t", in->code);
	rc = store_step(st);
	if (rc == STORE_ROW)
		other = store_column_int64(st, 0);
	store_done(st);
	if (rc < 0) {
		store_fault(s, rc, f);
		goto out;
	}
	if (other) {
		fault_set(f, FAULT_CONFLICT, "code", "the role set code '%s' is already used by role set %lld", in->code,
			  (long long)other);
		goto out;
	}
	if (check_members(s, in, f) < 0)
		goto out;
	time_now_text(now);
	if ((rc = store_run(s, SQL_SET_INSERT, "tttt", in->code, in->name, now, now)) != STORE_OK)
		goto store_failed;
	sid = store_last_id(s);
	if ((rc = write_members(s, sid, in)) != STORE_OK)
		goto store_failed;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (id)
		*id = sid;
	return 0;
store_failed:
	store_fault(s, rc, f);
out:
	store_rollback(s);
	return -1;
}

static const char SQL_SET_UPDATE[] = "UPDATE role_sets SET name = ?, updated_at = ? WHERE id = ?";

int people_role_set_update(struct store *s, int64_t id, const struct role_set_input *in, struct fault *f)
{
	struct role_set cur = { 0 };
	char now[32];
	int rc, ret = -1;

	if (check_text("name", in->name, NAME_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (people_role_set_get(s, id, &cur, f) < 0)
		goto out;
	if (in->code && strcmp(in->code, cur.code) != 0) {
		fault_set(f, FAULT_INVALID, "code", "a role set's code cannot change; create a new set instead");
		goto out;
	}
	if (check_members(s, in, f) < 0)
		goto out;
	time_now_text(now);
	if ((rc = store_run(s, SQL_SET_UPDATE, "tti", in->name ? in->name : cur.name, now,
			    (int64_t)id)) != STORE_OK || (rc = write_members(s, id, in)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto done;
	}
	ret = 0;
	goto done;
out:
	store_rollback(s);
done:
	role_set_release(&cur);
	return ret;
}

static const char SQL_SETS[] = "SELECT " SET_COLUMNS " FROM role_sets ORDER BY id LIMIT ? OFFSET ?";
static const char SQL_SETS_COUNT[] = "SELECT count(*) FROM role_sets";
static const char SQL_MEMBERS_OF[] =
	"SELECT set_id, role_id FROM role_set_members WHERE set_id >= ? AND set_id <= ? ORDER BY set_id, role_id";

/* Sets are few: two queries, the members of the page's sets merged by set id. */
int people_role_set_page(struct store *s, int limit, int offset, struct role_set_list *out, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0, i = 0, *caps;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_query_int64(s, SQL_SETS_COUNT, &out->total, 0)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_SETS, "ii", limit > 0 ? (int64_t)limit : INT64_MAX, (int64_t)offset);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, cap);
		read_set(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		role_set_list_release(out);
		return store_fault(s, rc, f);
	}
	if (!out->n)
		return 0;
	caps = xcalloc(out->n, sizeof(*caps));
	st = store_query(s, SQL_MEMBERS_OF, "ii", out->items[0].id, out->items[out->n - 1].id);
	while (store_next(st, &rc)) {
		int64_t set = store_column_int64(st, 0);

		while (i < out->n && out->items[i].id < set)
			i++;
		if (i < out->n && out->items[i].id == set)
			add_member(&out->items[i], store_column_int64(st, 1), &caps[i]);
	}
	free(caps);
	if (rc != STORE_DONE) {
		role_set_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int people_role_set_list(struct store *s, struct role_set_list *out, struct fault *f)
{
	return people_role_set_page(s, 0, 0, out, f);
}
