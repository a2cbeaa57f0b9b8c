/*
 * role.c - the role dictionary: branch secretary, building head, grid member...
 * Roles are data (the exact list differs by place, DOMAIN.md "三长四员"); each
 * names the node levels where it may be held.  A role is never deleted, only
 * made inactive, so that past assignments keep their meaning.
 */
#include "people/check.h"
#include "util/check.h"
#include "people/people.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_CHARS 50
#define NAME_EN_CHARS 100

void role_release(struct role *r)
{
	free(r->code);
	free(r->name);
	free(r->name_en);
	free(r->levels);
	free(r->created_at);
	free(r->updated_at);
	memset(r, 0, sizeof(*r));
}

void role_list_release(struct role_list *l)
{
	YL_LIST_RELEASE(l, role_release);
}

#define ROLE_COLUMNS "id, code, name, name_en, levels, needs_platform, active, created_at, updated_at"

static void read_role(struct store_stmt *st, struct role *r)
{
	memset(r, 0, sizeof(*r));
	r->id = store_column_int64(st, 0);
	r->code = store_column_dup(st, 1);
	r->name = store_column_dup(st, 2);
	r->name_en = store_column_dup(st, 3);
	r->levels = store_column_dup(st, 4);
	r->needs_platform = store_column_int64(st, 5) != 0;
	r->active = store_column_int64(st, 6) != 0;
	r->created_at = store_column_dup(st, 7);
	r->updated_at = store_column_dup(st, 8);
}

static const char SQL_ROLE_BY_ID[] = "SELECT " ROLE_COLUMNS " FROM roles WHERE id = ?";
static const char SQL_ROLE_BY_CODE[] = "SELECT " ROLE_COLUMNS " FROM roles WHERE code = ?";

int people_role_get(struct store *s, int64_t id, struct role *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_ROLE_BY_ID, id, "role", &st, f) < 0)
		return -1;
	read_role(st, out);
	store_done(st);
	return 0;
}

int people_role_get_by_code(struct store *s, const char *code, struct role *out, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_ROLE_BY_CODE, "t", code);
	rc = store_step(st);
	if (rc == STORE_ROW)
		read_role(st, out);
	store_done(st);
	if (rc == STORE_ROW)
		return 0;
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, "code", "no role has the code '%s'", code);
	return store_fault(s, rc, f);
}

/*
 * "unit, building" -> "building,unit": the listed levels, checked, without
 * repeats, in tree order.  *out is a new string.
 */
static int levels_normalise(const char *in, char **out, struct fault *f)
{
	int seen[LEVEL_HOUSEHOLD + 1] = { 0 }, i, any = 0;
	const char *p = in;
	struct buf b = BUF_INIT;

	*out = NULL;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char word[16];
		enum node_level lvl;

		while (n && *p == ' ') {
			p++;
			n--;
		}
		while (n && p[n - 1] == ' ')
			n--;
		if (n == 0 || n >= sizeof(word))
			lvl = LEVEL_NONE;
		else {
			memcpy(word, p, n);
			word[n] = '\0';
			lvl = node_level_parse(word);
		}
		if (lvl == LEVEL_NONE)
			return fault_set(f, FAULT_INVALID, "levels",
					 "levels is a comma-separated list of subdistrict, community, courtyard, building, unit and household: '%.*s' is not a level",
					 (int)(n > 40 ? 40 : n), p);
		seen[lvl] = 1;
		any = 1;
		if (!e)
			break;
		p = e + 1;
		if (!*p)
			return fault_set(f, FAULT_INVALID, "levels", "levels must not end with a comma");
	}
	if (!any)
		return fault_set(f, FAULT_INVALID, "levels", "levels must name at least one node level");
	buf_init(&b);
	for (i = LEVEL_SUBDISTRICT; i <= LEVEL_HOUSEHOLD; i++)
		if (seen[i])
			buf_addf(&b, "%s%s", b.len ? "," : "", node_level_name((enum node_level)i));
	*out = buf_detach(&b, NULL);
	return 0;
}

static int check_role_input(const struct role_input *in, int create, char **levels, struct fault *f)
{
	*levels = NULL;
	if (create && !people_code_valid(in->code))
		return fault_set(f, FAULT_INVALID, "code", "a role code is 1 to 40 of a-z, 0-9 and '_'");
	if (check_text("name", in->name, NAME_CHARS, create ? TEXT_REQUIRED : TEXT_NOT_BLANK, f) < 0 ||
	    check_text("name_en", in->name_en, NAME_EN_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	if (create && !in->levels)
		return fault_set(f, FAULT_INVALID, "levels", "levels is required");
	if (in->levels && levels_normalise(in->levels, levels, f) < 0)
		return -1;
	return 0;
}

static const char SQL_ROLE_INSERT[] =
	"INSERT INTO roles (code, name, name_en, levels, needs_platform, active, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ROLE_CODE_TAKEN[] = "SELECT id FROM roles WHERE code = ?";

int people_role_create(struct store *s, const struct role_input *in, int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	char now[32], *levels;
	int64_t other = 0;
	int rc;

	if (check_role_input(in, 1, &levels, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		free(levels);
		return store_fault(s, rc, f);
	}
	st = store_query(s, SQL_ROLE_CODE_TAKEN, "t", in->code);
	rc = store_step(st);
	if (rc == STORE_ROW)
		other = store_column_int64(st, 0);
	store_done(st);
	if (rc < 0) {
		store_fault(s, rc, f);
		goto out;
	}
	if (other) {
		fault_set(f, FAULT_CONFLICT, "code", "the role code '%s' is already used by role %lld", in->code,
			  (long long)other);
		goto out;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_ROLE_INSERT, "ttttiitt", in->code, in->name, in->name_en, levels,
			    (int64_t)(in->needs_platform ? 1 : 0), (int64_t)(in->set_active ? (in->active ? 1 : 0) : 1),
			    now, now)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	if (id)
		*id = store_last_id(s);
	free(levels);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
out:
	free(levels);
	store_rollback(s);
	return -1;
}

static const char SQL_ROLE_UPDATE[] =
	"UPDATE roles SET name = ?, name_en = ?, levels = ?, needs_platform = ?, active = ?, updated_at = ? WHERE id = ?";

int people_role_update(struct store *s, int64_t id, const struct role_input *in, struct fault *f)
{
	struct role cur = { 0 };
	char now[32], *levels = NULL;
	int rc, ret = -1;

	if (check_role_input(in, 0, &levels, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		free(levels);
		return store_fault(s, rc, f);
	}
	if (people_role_get(s, id, &cur, f) < 0)
		goto out;
	if (in->code && strcmp(in->code, cur.code) != 0) {
		/* Imports and role filters name roles by code: a code is for ever. */
		fault_set(f, FAULT_INVALID, "code", "a role's code cannot change; create a new role instead");
		goto out;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_ROLE_UPDATE, "tttiiti", in->name ? in->name : cur.name,
			    in->name_en ? in->name_en : cur.name_en, levels ? levels : cur.levels,
			    (int64_t)(in->set_needs_platform ? in->needs_platform != 0 : cur.needs_platform),
			    (int64_t)(in->set_active ? in->active != 0 : cur.active), now, (int64_t)id)) != STORE_OK) {
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
	free(levels);
	role_release(&cur);
	return ret;
}

static const char SQL_ROLES_ACTIVE[] =
	"SELECT " ROLE_COLUMNS " FROM roles WHERE active = 1 ORDER BY id LIMIT ? OFFSET ?";
static const char SQL_ROLES_ALL[] = "SELECT " ROLE_COLUMNS " FROM roles ORDER BY id LIMIT ? OFFSET ?";
static const char SQL_ROLES_ACTIVE_COUNT[] = "SELECT count(*) FROM roles WHERE active = 1";
static const char SQL_ROLES_ALL_COUNT[] = "SELECT count(*) FROM roles";

int people_role_page(struct store *s, int include_inactive, int limit, int offset, struct role_list *out,
		     struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_int64(s, include_inactive ? SQL_ROLES_ALL_COUNT : SQL_ROLES_ACTIVE_COUNT, &out->total, 0);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, include_inactive ? SQL_ROLES_ALL : SQL_ROLES_ACTIVE, "ii",
			 limit > 0 ? (int64_t)limit : INT64_MAX, (int64_t)offset);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, cap);
		read_role(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		role_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int people_role_list(struct store *s, int include_inactive, struct role_list *out, struct fault *f)
{
	return people_role_page(s, include_inactive, 0, 0, out, f);
}
