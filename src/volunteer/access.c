/*
 * access.c - persons as the roster sees them, and who acts on a team (issue
 * 16).  Staff holding volunteer.write act on every team of their scope (the
 * api layer checks the scope).  A volunteer (volunteer.act without
 * volunteer.write: the access role `volunteer`) is the person their account
 * stands for (users.person_id): they see their own teams, act for
 * themselves, and, as the team's leader, for the team.  Readers without
 * volunteer.act (auditors, subdistrict leaders) see everything of their scope.
 */
#include "volunteer/volunteer.h"
#include "auth/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_PERSON[] =
	"SELECT id, subdistrict_id, home_node_id, name, party_member FROM persons WHERE id = ?";

void volunteer_person_release(struct vol_person *p)
{
	free(p->name);
	memset(p, 0, sizeof(*p));
}

int volunteer_person_get(struct store *s, int64_t id, const char *field, struct vol_person *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_PERSON, id, "person", &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND && field) {
			f->kind = FAULT_INVALID;
			snprintf(f->field, sizeof(f->field), "%s", field);
		}
		return -1;
	}
	out->id = store_column_int64(st, 0);
	out->subdistrict_id = store_column_int64(st, 1);
	out->home_node_id = store_column_int64(st, 2);
	out->name = store_column_dup(st, 3);
	out->party_member = store_column_bool(st, 4);
	store_done(st);
	return 0;
}

static const char SQL_USER_PERSON[] = "SELECT person_id FROM users WHERE id = ?";

int volunteer_actor_person(struct store *s, const struct actor *a, int64_t *person_id, struct fault *f)
{
	int rc;

	*person_id = 0;
	if (!a || !a->user_id)
		return 0;
	rc = store_query_int64(s, SQL_USER_PERSON, person_id, 1, a->user_id);
	if (rc == STORE_NOTFOUND) {
		*person_id = 0;
		return 0;
	}
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

int volunteer_sees_all(const struct actor *a)
{
	return a && (actor_can(a, "volunteer.write") || !actor_can(a, "volunteer.act"));
}

int volunteer_part_of(struct store *s, const struct vol_team *t, const struct actor *a, enum vol_part *out,
		      int64_t *person, struct fault *f)
{
	char today[11];
	int yes = 0;

	*out = VOL_PART_NONE;
	*person = 0;
	if (!a)
		return 0;
	if (volunteer_actor_person(s, a, person, f) < 0)
		return -1;
	if (actor_can(a, "volunteer.write")) {
		*out = VOL_PART_STAFF;
		return 0;
	}
	if (!*person)
		return 0;
	date_today_local(today);
	if (volunteer_is_member(s, t->id, *person, today, &yes, f) < 0)
		return -1;
	if (yes)
		*out = t->leader_person_id == *person ? VOL_PART_LEADER : VOL_PART_MEMBER;
	return 0;
}

static const char SQL_LEADS[] =
	"SELECT count(*) FROM volunteer_teams t CROSS JOIN volunteer_members m WHERE m.team_id = t.id"
	" AND t.leader_person_id = ? AND m.person_id = ? AND m.joined_on <= ? AND (m.left_on IS NULL OR m.left_on > ?)";

int volunteer_leads(struct store *s, int64_t leader, int64_t person, int *yes, struct fault *f)
{
	struct store_stmt *st;
	char today[11];
	int rc;

	*yes = 0;
	if (!leader)
		return 0;
	date_today_local(today);
	st = store_query(s, SQL_LEADS, "iitt", leader, person, today, today);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*yes = store_column_int64(st, 0) > 0;
	store_done(st);
	return 0;
}
