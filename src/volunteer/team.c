/*
 * team.c - volunteer teams (志愿服务队, 治安巡逻队 ...) on a subdistrict,
 * community or courtyard, and their members: persons of the team's
 * subdistrict, joining and leaving dated; a person may be in several teams.
 * The leader is a member (named as leader, they join if they were not).
 */
#include "volunteer/volunteer.h"
#include "volunteer/volunteer_internal.h"
#include "org/org.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_CHARS 100
#define DESCRIPTION_CHARS 2000

void volunteer_team_release(struct vol_team *t)
{
	free(t->name);
	free(t->description);
	free(t->leader_name);
	free(t->created_at);
	free(t->updated_at);
	memset(t, 0, sizeof(*t));
}

void volunteer_team_list_release(struct vol_team_list *l)
{
	YL_LIST_RELEASE(l, volunteer_team_release);
}

/* ?: today, for the member count. */
#define TEAM_COLUMNS                                                                                           \
	"t.id, t.subdistrict_id, t.node_id, t.name, t.kind, t.leader_person_id, p.name, t.weekly_limit_minutes,"   \
	" t.cutoff_hours, t.description, t.active, t.created_at, t.updated_at,"                                    \
	" (SELECT count(*) FROM volunteer_members m WHERE m.team_id = t.id AND m.joined_on <= ?"                   \
	" AND (m.left_on IS NULL OR m.left_on > ?))"
#define TEAM_FROM " FROM volunteer_teams t LEFT JOIN persons p ON p.id = t.leader_person_id"

static void read_team(struct store_stmt *st, struct vol_team *t)
{
	memset(t, 0, sizeof(*t));
	t->id = store_column_int64(st, 0);
	t->subdistrict_id = store_column_int64(st, 1);
	t->node_id = store_column_int64(st, 2);
	t->name = store_column_dup(st, 3);
	store_column_copy(st, 4, t->kind, sizeof(t->kind));
	t->leader_person_id = store_column_int64(st, 5);
	t->leader_name = store_column_dup(st, 6);
	t->weekly_limit_minutes = (int)store_column_int64(st, 7);
	t->cutoff_hours = (int)store_column_int64(st, 8);
	t->description = store_column_dup(st, 9);
	t->active = store_column_bool(st, 10);
	t->created_at = store_column_dup(st, 11);
	t->updated_at = store_column_dup(st, 12);
	t->members = store_column_int64(st, 13);
}

static const char SQL_TEAM_BY_ID[] = "SELECT " TEAM_COLUMNS TEAM_FROM " WHERE t.id = ?";

int volunteer_team_get(struct store *s, int64_t id, struct vol_team *out, struct fault *f)
{
	struct store_stmt *st;
	char today[11];
	int rc;

	memset(out, 0, sizeof(*out));
	date_today_local(today);
	st = store_query(s, SQL_TEAM_BY_ID, "tti", today, today, id);
	if (!store_next(st, &rc)) {
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
		return fault_set(f, FAULT_NOT_FOUND, "id", "team %lld does not exist", (long long)id);
	}
	read_team(st, out);
	store_done(st);
	return 0;
}

#define LIST_WHERE                                                                                               \
	" WHERE (CAST(? AS INTEGER) = 0 OR t.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS TEXT) IS NULL OR t.kind = ?) AND (CAST(? AS INTEGER) = 1 OR t.active = 1)"                    \
	" AND (CAST(? AS INTEGER) = 0 OR t.id IN (SELECT m.team_id FROM volunteer_members m WHERE m.person_id = ?"       \
	" AND m.joined_on <= ? AND (m.left_on IS NULL OR m.left_on > ?)))"
static const char SQL_TEAM_COUNT[] = "SELECT count(*) FROM volunteer_teams t" LIST_WHERE;
static const char SQL_TEAM_LIST[] =
	"SELECT " TEAM_COLUMNS TEAM_FROM LIST_WHERE " ORDER BY t.node_id, t.name, t.id LIMIT ? OFFSET ?";

int volunteer_team_list(struct store *s, const struct vol_team_filter *flt, struct vol_team_list *out, int64_t *total,
			struct fault *f)
{
	struct store_stmt *st;
	char today[11];
	int rc;

	memset(out, 0, sizeof(*out));
	*total = 0;
	if (flt->kind && !vol_word_in(flt->kind, VOL_KINDS))
		return fault_set(f, FAULT_INVALID, "kind", "kind is one of %s", VOL_KINDS);
	date_today_local(today);
	st = store_query(s, SQL_TEAM_COUNT, "iittiiitt", flt->under, flt->under, flt->kind, flt->kind,
			 (int64_t)flt->include_inactive, flt->member_person, flt->member_person, today, today);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_TEAM_LIST, "ttiittiiittii", today, today, flt->under, flt->under, flt->kind, flt->kind,
			 (int64_t)flt->include_inactive, flt->member_person, flt->member_person, today, today,
			 (int64_t)flt->limit, (int64_t)flt->offset);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_team(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		volunteer_team_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static int check_input(const struct vol_team_input *in, int create, struct fault *f)
{
	if (check_text("name", in->name, NAME_CHARS, create ? TEXT_REQUIRED : TEXT_NOT_BLANK, f) < 0 ||
	    check_text("description", in->description, DESCRIPTION_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (create && !in->kind)
		return fault_set(f, FAULT_INVALID, "kind", "kind is required: one of %s", VOL_KINDS);
	if (in->kind && !vol_word_in(in->kind, VOL_KINDS))
		return fault_set(f, FAULT_INVALID, "kind", "kind is one of %s", VOL_KINDS);
	if (in->set_weekly_limit && in->weekly_limit_minutes &&
	    (in->weekly_limit_minutes < 60 || in->weekly_limit_minutes > 10080))
		return fault_set(f, FAULT_INVALID, "weekly_limit_minutes",
				 "weekly_limit_minutes is 60 to 10080 (a week), or null for none");
	if (in->set_cutoff && (in->cutoff_hours < 0 || in->cutoff_hours > 168))
		return fault_set(f, FAULT_INVALID, "cutoff_hours", "cutoff_hours is 0 to 168");
	return 0;
}

static const char SQL_NAME_TAKEN[] = "SELECT count(*) FROM volunteer_teams WHERE node_id = ? AND name = ? AND id <> ?";

static int name_free(struct store *s, int64_t node_id, const char *name, int64_t id, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_NAME_TAKEN, "iti", node_id, name, id);
	int64_t n;
	int rc;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	n = store_column_int64(st, 0);
	store_done(st);
	if (n)
		return fault_set(f, FAULT_CONFLICT, "name", "the node has a team named %s already", name);
	return 0;
}

/* The leader joins the team today unless a member already. */
static int leader_joins(struct store *s, const struct vol_team *t, int64_t person, struct fault *f)
{
	char today[11];
	int yes = 0;
	int64_t id;

	date_today_local(today);
	if (volunteer_is_member(s, t->id, person, today, &yes, f) < 0)
		return -1;
	if (yes)
		return 0;
	if (volunteer_member_add(s, t->id, person, today, &id, f) < 0) {
		if (!strcmp(f->field, "person_id"))
			snprintf(f->field, sizeof(f->field), "leader_person_id");
		return -1;
	}
	return 0;
}

static const char SQL_TEAM_INSERT[] =
	"INSERT INTO volunteer_teams (subdistrict_id, node_id, name, kind, weekly_limit_minutes, cutoff_hours, description,"
	" active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
static const char SQL_SET_LEADER[] = "UPDATE volunteer_teams SET leader_person_id = ?, updated_at = ? WHERE id = ?";

int volunteer_team_create(struct store *s, const struct vol_team_input *in, int64_t *id, struct fault *f)
{
	struct vol_team t;
	struct node n;
	char now[32];
	int rc;

	*id = 0;
	if (check_input(in, 1, f) < 0)
		return -1;
	if (!in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required: the subdistrict, community or courtyard");
	if (org_node_get(s, in->node_id, &n, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			f->kind = FAULT_INVALID;
		snprintf(f->field, sizeof(f->field), "node_id");
		return -1;
	}
	rc = n.level != LEVEL_SUBDISTRICT && n.level != LEVEL_COMMUNITY && n.level != LEVEL_COURTYARD;
	t.subdistrict_id = n.subdistrict_id ? n.subdistrict_id : n.id;
	node_release(&n);
	if (rc)
		return fault_set(f, FAULT_INVALID, "node_id", "a team belongs to a subdistrict, community or courtyard");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (name_free(s, in->node_id, in->name, 0, f) < 0)
		goto fail;
	time_now_text(now);
	rc = store_run(s, SQL_TEAM_INSERT, "iittIittt", t.subdistrict_id, in->node_id, in->name, in->kind,
		       (int64_t)(in->set_weekly_limit ? in->weekly_limit_minutes : 0),
		       (int64_t)(in->set_cutoff ? in->cutoff_hours : 24), in->description && *in->description ? in->description : NULL,
		       now, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if (in->set_leader && in->leader_person_id) {
		if (volunteer_team_get(s, *id, &t, f) < 0)
			goto fail;
		rc = leader_joins(s, &t, in->leader_person_id, f);
		volunteer_team_release(&t);
		if (rc < 0)
			goto fail;
		if ((rc = store_run(s, SQL_SET_LEADER, "iti", in->leader_person_id, now, *id)) != STORE_OK) {
			store_fault(s, rc, f);
			goto fail;
		}
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	*id = 0;
	return -1;
}

static const char SQL_TEAM_UPDATE[] =
	"UPDATE volunteer_teams SET name = ?, kind = ?, description = ?, weekly_limit_minutes = ?, cutoff_hours = ?,"
	" active = ?, leader_person_id = ?, updated_at = ? WHERE id = ?";

int volunteer_team_update(struct store *s, int64_t id, const struct vol_team_input *in, struct fault *f)
{
	struct vol_team t;
	const char *description;
	int64_t leader;
	char now[32];
	int rc;

	if (check_input(in, 0, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (volunteer_team_get(s, id, &t, f) < 0)
		goto fail;
	if (in->name && strcmp(in->name, t.name) && name_free(s, t.node_id, in->name, id, f) < 0)
		goto fail_t;
	leader = in->set_leader ? in->leader_person_id : t.leader_person_id;
	if (in->set_leader && leader && leader != t.leader_person_id && leader_joins(s, &t, leader, f) < 0)
		goto fail_t;
	description = in->description ? (*in->description ? in->description : NULL) : t.description;
	time_now_text(now);
	rc = store_run(s, SQL_TEAM_UPDATE, "tttIiiIti", in->name ? in->name : t.name, in->kind ? in->kind : t.kind,
		       description, (int64_t)(in->set_weekly_limit ? in->weekly_limit_minutes : t.weekly_limit_minutes),
		       (int64_t)(in->set_cutoff ? in->cutoff_hours : t.cutoff_hours),
		       (int64_t)(in->set_active ? in->active != 0 : t.active), leader, now, id);
	volunteer_team_release(&t);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_t:
	volunteer_team_release(&t);
fail:
	store_rollback(s);
	return -1;
}

/* ---- members ---- */

void volunteer_member_release(struct vol_member *m)
{
	free(m->name);
	memset(m, 0, sizeof(*m));
}

void volunteer_member_list_release(struct vol_member_list *l)
{
	YL_LIST_RELEASE(l, volunteer_member_release);
}

#define MEMBER_COLUMNS "m.id, m.team_id, m.person_id, m.joined_on, m.left_on, p.name, p.party_member, p.home_node_id"
#define MEMBER_FROM " FROM volunteer_members m CROSS JOIN persons p WHERE p.id = m.person_id"

static void read_member(struct store_stmt *st, struct vol_member *m)
{
	memset(m, 0, sizeof(*m));
	m->id = store_column_int64(st, 0);
	m->team_id = store_column_int64(st, 1);
	m->person_id = store_column_int64(st, 2);
	store_column_copy(st, 3, m->joined_on, sizeof(m->joined_on));
	store_column_copy(st, 4, m->left_on, sizeof(m->left_on));
	m->name = store_column_dup(st, 5);
	m->party_member = store_column_bool(st, 6);
	m->home_node_id = store_column_int64(st, 7);
}

static const char SQL_MEMBER_BY_ID[] = "SELECT " MEMBER_COLUMNS MEMBER_FROM " AND m.id = ?";
static const char SQL_MEMBERS_ALL[] = "SELECT " MEMBER_COLUMNS MEMBER_FROM " AND m.team_id = ? ORDER BY p.name, m.id";
static const char SQL_MEMBERS_NOW[] =
	"SELECT " MEMBER_COLUMNS MEMBER_FROM " AND m.team_id = ? AND m.joined_on <= ? AND (m.left_on IS NULL OR m.left_on > ?)"
	" ORDER BY p.name, m.id";

int volunteer_member_get(struct store *s, int64_t id, struct vol_member *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_MEMBER_BY_ID, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!store_next(st, &rc)) {
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
		return fault_set(f, FAULT_NOT_FOUND, "id", "member %lld does not exist", (long long)id);
	}
	read_member(st, out);
	store_done(st);
	return 0;
}

int volunteer_members(struct store *s, int64_t team_id, int current_only, struct vol_member_list *out, struct fault *f)
{
	struct store_stmt *st;
	char today[11];
	int rc;

	memset(out, 0, sizeof(*out));
	date_today_local(today);
	st = current_only ? store_query(s, SQL_MEMBERS_NOW, "itt", team_id, today, today)
			  : store_query(s, SQL_MEMBERS_ALL, "i", team_id);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_member(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		volunteer_member_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_IS_MEMBER[] =
	"SELECT count(*) FROM volunteer_members WHERE team_id = ? AND person_id = ? AND joined_on <= ?"
	" AND (left_on IS NULL OR left_on > ?)";

int volunteer_is_member(struct store *s, int64_t team_id, int64_t person_id, const char *day, int *yes,
			struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_IS_MEMBER, "iitt", team_id, person_id, day, day);
	int rc;

	*yes = 0;
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*yes = store_column_int64(st, 0) > 0;
	store_done(st);
	return 0;
}

static const char SQL_TEAM_OF[] = "SELECT subdistrict_id FROM volunteer_teams WHERE id = ?";
static const char SQL_OPEN_MEMBERSHIP[] =
	"SELECT count(*) FROM volunteer_members WHERE team_id = ? AND person_id = ? AND left_on IS NULL";
static const char SQL_MEMBER_INSERT[] =
	"INSERT INTO volunteer_members (subdistrict_id, team_id, person_id, joined_on, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?)";

int volunteer_member_add(struct store *s, int64_t team_id, int64_t person_id, const char *joined_on, int64_t *id,
			 struct fault *f)
{
	struct vol_person p;
	int64_t subdistrict = 0, open = 0;
	char today[11], now[32];
	int rc;

	*id = 0;
	if (!joined_on) {
		date_today_local(today);
		joined_on = today;
	}
	if (date_valid(joined_on) != 0)
		return fault_set(f, FAULT_INVALID, "joined_on", "joined_on is a date YYYY-MM-DD");
	if (!person_id)
		return fault_set(f, FAULT_INVALID, "person_id", "person_id is required: who joins");
	rc = store_query_int64(s, SQL_TEAM_OF, &subdistrict, 1, team_id);
	if (rc == STORE_NOTFOUND)
		return fault_set(f, FAULT_NOT_FOUND, "id", "team %lld does not exist", (long long)team_id);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	if (volunteer_person_get(s, person_id, "person_id", &p, f) < 0)
		return -1;
	rc = p.subdistrict_id != subdistrict;
	volunteer_person_release(&p);
	if (rc)
		return fault_set(f, FAULT_INVALID, "person_id", "person %lld belongs to another subdistrict than the team",
				 (long long)person_id);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	{
		struct store_stmt *st = store_query(s, SQL_OPEN_MEMBERSHIP, "ii", team_id, person_id);

		if (!store_next(st, &rc)) {
			store_fault(s, rc, f);
			goto fail;
		}
		open = store_column_int64(st, 0);
		store_done(st);
	}
	if (open) {
		fault_set(f, FAULT_CONFLICT, "person_id", "person %lld is a member of the team already", (long long)person_id);
		goto fail;
	}
	time_now_text(now);
	rc = store_run(s, SQL_MEMBER_INSERT, "iiittt", subdistrict, team_id, person_id, joined_on, now, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_MEMBER_LEAVE[] = "UPDATE volunteer_members SET left_on = ?, updated_at = ? WHERE id = ?";
static const char SQL_LEADER_GONE[] =
	"UPDATE volunteer_teams SET leader_person_id = NULL, updated_at = ? WHERE id = ? AND leader_person_id = ?";
/* Their places on open shifts of the team from the day they leave. */
static const char SQL_PLACES_FROM[] =
	"SELECT a.shift_id FROM volunteer_assignments a CROSS JOIN volunteer_shifts sh WHERE sh.id = a.shift_id"
	" AND a.team_id = ? AND a.person_id = ? AND a.state = 'active' AND sh.state = 'open' AND sh.day >= ?";

int volunteer_member_leave(struct store *s, int64_t id, const char *left_on, struct fault *f)
{
	struct vol_member m;
	struct store_stmt *st;
	int64_t *shifts = NULL;
	size_t n = 0, cap = 0, i;
	char today[11], now[32];
	int rc;

	if (!left_on) {
		date_today_local(today);
		left_on = today;
	}
	if (date_valid(left_on) != 0)
		return fault_set(f, FAULT_INVALID, "left_on", "left_on is a date YYYY-MM-DD");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (volunteer_member_get(s, id, &m, f) < 0)
		goto fail;
	if (m.left_on[0]) {
		fault_set(f, FAULT_CONFLICT, "left_on", "the member left on %s already", m.left_on);
		goto fail_m;
	}
	if (strcmp(left_on, m.joined_on) < 0) {
		fault_set(f, FAULT_INVALID, "left_on", "left_on comes before the day they joined (%s)", m.joined_on);
		goto fail_m;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_MEMBER_LEAVE, "tti", left_on, now, id)) != STORE_OK ||
	    (rc = store_run(s, SQL_LEADER_GONE, "tii", now, m.team_id, m.person_id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_m;
	}
	st = store_query(s, SQL_PLACES_FROM, "iit", m.team_id, m.person_id, left_on);
	while (store_next(st, &rc)) {
		YL_GROW(shifts, n, cap);
		shifts[n++] = store_column_int64(st, 0);
	}
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail_m;
	}
	for (i = 0; i < n; i++)
		if (vol_withdraw(s, shifts[i], m.person_id, "withdrawn", f) < 0)
			goto fail_m;
	free(shifts);
	volunteer_member_release(&m);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_m:
	volunteer_member_release(&m);
fail:
	free(shifts);
	store_rollback(s);
	return -1;
}
