/*
 * signup.c - who is on a shift and the day itself: sign-up by a member (until
 * the start) or assignment by the leader (until the end) under the conflict
 * rules of rules.c; give-up and swap before the team's cut-off; check-in and
 * check-out; the leader's confirmation of the minutes served; and the close
 * at the end (the close kind's work on the time-node engine): present, late
 * or no-show, minutes and points into the ledger.
 *
 * Every change of who is on a shift moves its count (filled) and its
 * staffing node (due.c) in the same transaction.
 */
#include "volunteer/volunteer.h"
#include "volunteer/volunteer_internal.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REASON_CHARS 500

void volunteer_assignment_release(struct vol_assignment *a)
{
	free(a->name);
	memset(a, 0, sizeof(*a));
}

void volunteer_assignment_list_release(struct vol_assignment_list *l)
{
	YL_LIST_RELEASE(l, volunteer_assignment_release);
}

#define PLACE_COLUMNS                                                                                           \
	"a.id, a.shift_id, a.team_id, a.person_id, p.name, p.party_member, a.starts_at, a.ends_at, a.how, a.state," \
	" a.attendance, a.check_in_at, a.check_out_at, a.minutes, a.by_user_id, a.confirmed_by"
#define PLACE_FROM " FROM volunteer_assignments a CROSS JOIN persons p WHERE p.id = a.person_id"

static void read_place(struct store_stmt *st, struct vol_assignment *a)
{
	memset(a, 0, sizeof(*a));
	a->id = store_column_int64(st, 0);
	a->shift_id = store_column_int64(st, 1);
	a->team_id = store_column_int64(st, 2);
	a->person_id = store_column_int64(st, 3);
	a->name = store_column_dup(st, 4);
	a->party_member = store_column_bool(st, 5);
	a->starts_at = store_column_int64(st, 6);
	a->ends_at = store_column_int64(st, 7);
	store_column_copy(st, 8, a->how, sizeof(a->how));
	store_column_copy(st, 9, a->state, sizeof(a->state));
	store_column_copy(st, 10, a->attendance, sizeof(a->attendance));
	a->check_in_at = store_column_int64(st, 11);
	a->check_out_at = store_column_int64(st, 12);
	a->minutes = store_column_is_null(st, 13) ? -1 : store_column_int64(st, 13);
	a->by_user_id = store_column_int64(st, 14);
	a->confirmed_by = store_column_int64(st, 15);
}

static const char SQL_PLACES_ALL[] = "SELECT " PLACE_COLUMNS PLACE_FROM " AND a.shift_id = ? ORDER BY a.id";
static const char SQL_PLACES_ACTIVE[] =
	"SELECT " PLACE_COLUMNS PLACE_FROM " AND a.shift_id = ? AND a.state = 'active' ORDER BY a.id";
static const char SQL_PLACE_OF[] =
	"SELECT " PLACE_COLUMNS PLACE_FROM " AND a.shift_id = ? AND a.person_id = ? AND a.state = 'active'";

int volunteer_assignments(struct store *s, int64_t shift_id, int active_only, struct vol_assignment_list *out,
			  struct fault *f)
{
	struct store_stmt *st = store_query(s, active_only ? SQL_PLACES_ACTIVE : SQL_PLACES_ALL, "i", shift_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_place(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		volunteer_assignment_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int volunteer_assignment_of(struct store *s, int64_t shift_id, int64_t person_id, struct vol_assignment *out,
			    struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_PLACE_OF, "ii", shift_id, person_id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!store_next(st, &rc)) {
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
		return fault_set(f, FAULT_CONFLICT, "person_id", "person %lld is not on shift %lld", (long long)person_id,
				 (long long)shift_id);
	}
	read_place(st, out);
	store_done(st);
	return 0;
}

/* The shift, open (FAULT_CONFLICT on id otherwise). */
static int open_shift(struct store *s, int64_t id, struct vol_shift *sh, struct fault *f)
{
	if (volunteer_shift_get(s, id, sh, f) < 0)
		return -1;
	if (strcmp(sh->state, "open")) {
		fault_set(f, FAULT_CONFLICT, "id", "the shift is %s", sh->state);
		volunteer_shift_release(sh);
		return -1;
	}
	return 0;
}

static const char SQL_FILLED[] = "UPDATE volunteer_shifts SET filled = filled + ?, updated_at = ? WHERE id = ?";
static const char SQL_END_PLACE[] =
	"UPDATE volunteer_assignments SET state = ?, ended_at = ? WHERE id = ? AND state = 'active'";

int vol_end_place(struct store *s, int64_t shift_id, int64_t person_id, const char *state, int64_t *id, struct fault *f)
{
	struct vol_assignment a;
	char now[32];
	int rc;

	if (volunteer_assignment_of(s, shift_id, person_id, &a, f) < 0)
		return -1;
	if (id)
		*id = a.id;
	time_now_text(now);
	rc = store_run(s, SQL_END_PLACE, "tti", state, now, a.id);
	volunteer_assignment_release(&a);
	if (rc != STORE_OK || (rc = store_run(s, SQL_FILLED, "iti", (int64_t)-1, now, shift_id)) != STORE_OK)
		return store_fault(s, rc, f);
	return volunteer_staff_due(s, shift_id, f);
}

/* The person's active places (other shifts than this) that may collide with it: its week and a day around it. */
static const char SQL_OTHERS[] =
	"SELECT shift_id, starts_at, ends_at FROM volunteer_assignments WHERE person_id = ? AND state = 'active'"
	" AND starts_at >= ? AND starts_at < ? AND shift_id <> ? ORDER BY starts_at";
static const char SQL_PARTY_FILLED[] =
	"SELECT count(*) FROM volunteer_assignments a CROSS JOIN persons p WHERE p.id = a.person_id AND a.shift_id = ?"
	" AND a.state = 'active' AND p.party_member = 1";
static const char SQL_HOLDS[] =
	"SELECT count(*) FROM volunteer_assignments WHERE shift_id = ? AND person_id = ? AND state = 'active'";
static const char SQL_TEAM_RULES[] = "SELECT weekly_limit_minutes FROM volunteer_teams WHERE id = ?";
static const char SQL_PLACE_INSERT[] =
	"INSERT INTO volunteer_assignments (subdistrict_id, shift_id, team_id, person_id, starts_at, ends_at, how, state,"
	" by_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)";

static int count_of(struct store *s, const char *sql, int64_t a, int64_t b, int64_t *n, struct fault *f)
{
	struct store_stmt *st = b ? store_query(s, sql, "ii", a, b) : store_query(s, sql, "i", a);
	int rc;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*n = store_column_int64(st, 0);
	store_done(st);
	return 0;
}

/* The rules, then the place: inside the caller's transaction; the shift is open. */
static int place_take(struct store *s, const struct vol_shift *sh, int64_t person_id, const char *how, int64_t by_user,
		      int64_t *id, struct fault *f)
{
	struct vol_signup_case c;
	struct vol_person p;
	struct vol_slot *others = NULL;
	size_t n = 0, cap = 0;
	struct store_stmt *st;
	int64_t week_from, week_to, lo, hi, v = 0;
	char now[32];
	int yes = 0, rc, ret = -1;

	memset(&c, 0, sizeof(c));
	if (!person_id)
		return fault_set(f, FAULT_INVALID, "person_id", "person_id is required: who takes the place");
	if (volunteer_person_get(s, person_id, "person_id", &p, f) < 0)
		return -1;
	c.person_party = p.party_member;
	rc = p.subdistrict_id != sh->subdistrict_id;
	volunteer_person_release(&p);
	if (rc)
		return fault_set(f, FAULT_INVALID, "person_id", "person %lld belongs to another subdistrict than the team",
				 (long long)person_id);
	if (volunteer_is_member(s, sh->team_id, person_id, sh->day, &yes, f) < 0)
		return -1;
	if (!yes)
		return fault_set(f, FAULT_INVALID, "person_id", "person %lld is not a member of the team on %s",
				 (long long)person_id, sh->day);
	c.starts_at = sh->starts_at;
	c.ends_at = sh->ends_at;
	c.people = sh->people;
	c.filled = sh->filled;
	c.party_needed = sh->party_members;
	if (count_of(s, SQL_PARTY_FILLED, sh->id, 0, &v, f) < 0)
		return -1;
	c.party_filled = (int)v;
	if (count_of(s, SQL_HOLDS, sh->id, person_id, &v, f) < 0)
		return -1;
	c.already = v > 0;
	if (count_of(s, SQL_TEAM_RULES, sh->team_id, 0, &v, f) < 0)
		return -1;
	c.weekly_limit_minutes = (int)v;
	volunteer_week(sh->starts_at, &week_from, &week_to);
	lo = week_from < sh->starts_at - VOL_SHIFT_MAX ? week_from : sh->starts_at - VOL_SHIFT_MAX;
	hi = week_to > sh->ends_at ? week_to : sh->ends_at;
	st = store_query(s, SQL_OTHERS, "iiii", person_id, lo, hi, sh->id);
	while (store_next(st, &rc)) {
		YL_GROW(others, n, cap);
		others[n].shift_id = store_column_int64(st, 0);
		others[n].starts_at = store_column_int64(st, 1);
		others[n].ends_at = store_column_int64(st, 2);
		n++;
	}
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto out;
	}
	c.others = others;
	c.nothers = n;
	if (volunteer_signup_rules(&c, f) < 0)
		goto out;
	time_now_text(now);
	rc = store_run(s, SQL_PLACE_INSERT, "iiiiiitIt", sh->subdistrict_id, sh->id, sh->team_id, person_id, sh->starts_at,
		       sh->ends_at, how, by_user, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	*id = store_last_id(s);
	if ((rc = store_run(s, SQL_FILLED, "iti", (int64_t)1, now, sh->id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	ret = volunteer_staff_due(s, sh->id, f);
out:
	free(others);
	return ret;
}

int volunteer_signup(struct store *s, int64_t shift_id, int64_t person_id, const char *how, int64_t by_user,
		     int64_t now, int64_t *id, struct fault *f)
{
	struct vol_shift sh;
	int rc;

	*id = 0;
	if (!how || (strcmp(how, "signup") && strcmp(how, "assigned")))
		return fault_set(f, FAULT_INVALID, "how", "how is signup or assigned");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (open_shift(s, shift_id, &sh, f) < 0)
		goto fail;
	if (!strcmp(how, "signup") && now >= sh.starts_at)
		rc = fault_set(f, FAULT_CONFLICT, "id", "the shift has begun: only the leader assigns now");
	else if (now >= sh.ends_at)
		rc = fault_set(f, FAULT_CONFLICT, "id", "the shift is over");
	else
		rc = place_take(s, &sh, person_id, how, by_user, id, f);
	volunteer_shift_release(&sh);
	if (rc < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	*id = 0;
	return -1;
}

static const char SQL_CUTOFF[] = "SELECT cutoff_hours FROM volunteer_teams WHERE id = ?";

/* Give-up and swap: before the cut-off for a member, before the end for the leader. */
static int may_leave(struct store *s, const struct vol_shift *sh, int by_leader, int64_t now, struct fault *f)
{
	int64_t hours = 0;

	if (now >= sh->ends_at)
		return fault_set(f, FAULT_CONFLICT, "id", "the shift is over");
	if (by_leader)
		return 0;
	if (count_of(s, SQL_CUTOFF, sh->team_id, 0, &hours, f) < 0)
		return -1;
	if (now > sh->starts_at - hours * 3600)
		return fault_set(f, FAULT_CONFLICT, "id",
				 "past the cut-off (%lld hours before the start): ask the team's leader", (long long)hours);
	return 0;
}

int volunteer_give_up(struct store *s, int64_t shift_id, int64_t person_id, int by_leader, int64_t by_user, int64_t now,
		      struct fault *f)
{
	struct vol_shift sh;
	int rc;

	(void)by_user;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (open_shift(s, shift_id, &sh, f) < 0)
		goto fail;
	rc = may_leave(s, &sh, by_leader, now, f);
	volunteer_shift_release(&sh);
	if (rc < 0 || vol_withdraw(s, shift_id, person_id, "given_up", f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_SWAPPED_TO[] = "UPDATE volunteer_assignments SET swapped_to = ? WHERE id = ?";

int volunteer_swap(struct store *s, int64_t shift_id, int64_t person_id, int64_t to_person_id, int by_leader,
		   int64_t by_user, int64_t now, int64_t *id, struct fault *f)
{
	struct vol_shift sh;
	int64_t old = 0;
	int rc;

	*id = 0;
	if (!to_person_id)
		return fault_set(f, FAULT_INVALID, "to_person_id", "to_person_id is required: who takes the place");
	if (to_person_id == person_id)
		return fault_set(f, FAULT_INVALID, "to_person_id", "a swap hands the place to someone else");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (open_shift(s, shift_id, &sh, f) < 0)
		goto fail;
	if (may_leave(s, &sh, by_leader, now, f) < 0 || vol_end_place(s, shift_id, person_id, "swapped", &old, f) < 0) {
		volunteer_shift_release(&sh);
		goto fail;
	}
	volunteer_shift_release(&sh);
	/* again, with the place given back */
	if (open_shift(s, shift_id, &sh, f) < 0)
		goto fail;
	rc = place_take(s, &sh, to_person_id, "swap", by_user, id, f);
	volunteer_shift_release(&sh);
	if (rc < 0) {
		if (!strcmp(f->field, "person_id"))
			snprintf(f->field, sizeof(f->field), "to_person_id");
		goto fail;
	}
	if ((rc = store_run(s, SQL_SWAPPED_TO, "ii", *id, old)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	*id = 0;
	return -1;
}

static const char SQL_CHECK_IN[] = "UPDATE volunteer_assignments SET check_in_at = ?, check_in_by = ? WHERE id = ?";
static const char SQL_CHECK_OUT[] = "UPDATE volunteer_assignments SET check_out_at = ?, check_out_by = ? WHERE id = ?";

int volunteer_check(struct store *s, int64_t shift_id, int64_t person_id, int out, int64_t at, int64_t by_user,
		    int64_t now, struct fault *f)
{
	struct vol_shift sh;
	struct vol_assignment a;
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (open_shift(s, shift_id, &sh, f) < 0)
		goto fail;
	rc = 0;
	if (at > now + 60)
		rc = fault_set(f, FAULT_INVALID, "at", "a check-in or check-out is not dated ahead of the clock");
	else if (at < sh.starts_at - VOL_CHECKIN_EARLY)
		rc = fault_set(f, out ? FAULT_INVALID : FAULT_CONFLICT, out ? "at" : "id",
			       "check-in opens an hour before the start");
	else if (!out && at > sh.ends_at)
		rc = fault_set(f, FAULT_CONFLICT, "id", "the shift is over: the leader confirms the hours");
	volunteer_shift_release(&sh);
	if (rc < 0 || volunteer_assignment_of(s, shift_id, person_id, &a, f) < 0)
		goto fail;
	if (!out && a.check_in_at)
		rc = fault_set(f, FAULT_CONFLICT, "person_id", "checked in already");
	else if (out && !a.check_in_at)
		rc = fault_set(f, FAULT_CONFLICT, "person_id", "not checked in");
	else if (out && a.check_out_at)
		rc = fault_set(f, FAULT_CONFLICT, "person_id", "checked out already");
	else if (out && at < a.check_in_at)
		rc = fault_set(f, FAULT_INVALID, "at", "the check-out comes before the check-in");
	if (rc == 0 && (rc = store_run(s, out ? SQL_CHECK_OUT : SQL_CHECK_IN, "iIi", at, by_user, a.id)) != STORE_OK)
		rc = store_fault(s, rc, f);
	volunteer_assignment_release(&a);
	if (rc < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_CONFIRM[] =
	"UPDATE volunteer_assignments SET minutes = ?, confirmed_by = ?, attendance = ? WHERE id = ?";

int volunteer_confirm(struct store *s, int64_t shift_id, int64_t person_id, int64_t minutes, const char *reason,
		      int64_t by_user, struct fault *f)
{
	struct vol_shift sh;
	struct vol_assignment a;
	struct vol_ledger_entry e;
	const char *attendance;
	int64_t old, id;
	int rc, closed;

	if (check_text("reason", reason, REASON_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (volunteer_shift_get(s, shift_id, &sh, f) < 0)
		goto fail;
	if (!strcmp(sh.state, "cancelled")) {
		fault_set(f, FAULT_CONFLICT, "id", "the shift was cancelled");
		goto fail_sh;
	}
	if (minutes < 0 || minutes > (sh.ends_at - sh.starts_at) / 60) {
		fault_set(f, FAULT_INVALID, "minutes", "minutes is 0 to the shift's length (%lld)",
			  (long long)((sh.ends_at - sh.starts_at) / 60));
		goto fail_sh;
	}
	if (volunteer_assignment_of(s, shift_id, person_id, &a, f) < 0)
		goto fail_sh;
	closed = !strcmp(sh.state, "closed");
	old = a.minutes < 0 ? 0 : a.minutes;
	attendance = a.attendance[0] ? a.attendance : NULL;
	if (closed && minutes > 0 && attendance && !strcmp(attendance, "no_show"))
		attendance = "present";		/* the leader vouches for them */
	rc = store_run(s, SQL_CONFIRM, "iIti", minutes, by_user, attendance, a.id);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_a;
	}
	if (closed && minutes != old) {
		memset(&e, 0, sizeof(e));
		e.person_id = person_id;
		e.team_id = sh.team_id;
		e.assignment_id = a.id;
		e.by_user_id = by_user;
		e.kind = "confirm";
		e.reason = reason && *reason ? reason : NULL;
		e.on_day = sh.day;
		e.minutes = minutes - old;
		e.points = volunteer_points_for(minutes, sh.points_per_hour) - volunteer_points_for(old, sh.points_per_hour);
		e.field = "minutes";
		if (volunteer_ledger_add(s, &e, &id, f) < 0)
			goto fail_a;
	}
	volunteer_assignment_release(&a);
	volunteer_shift_release(&sh);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_a:
	volunteer_assignment_release(&a);
fail_sh:
	volunteer_shift_release(&sh);
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_CLOSE_PLACE[] = "UPDATE volunteer_assignments SET attendance = ?, minutes = ? WHERE id = ?";
static const char SQL_CLOSE_SHIFT[] =
	"UPDATE volunteer_shifts SET state = 'closed', close_due = NULL, staff_due = NULL, closed_at = ?, updated_at = ?"
	" WHERE id = ? AND state = 'open'";

int volunteer_shift_close(struct store *s, int64_t shift_id, int64_t now, struct fault *f)
{
	struct vol_shift sh;
	struct vol_assignment_list l;
	struct vol_ledger_entry e;
	char at[32];
	size_t i;
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (open_shift(s, shift_id, &sh, f) < 0)
		goto fail;
	if (now < sh.ends_at) {
		fault_set(f, FAULT_CONFLICT, "id", "the shift has not ended");
		goto fail_sh;
	}
	if (volunteer_assignments(s, shift_id, 1, &l, f) < 0)
		goto fail_sh;
	for (i = 0; i < l.n; i++) {
		struct vol_assignment *a = &l.items[i];
		const char *attendance = volunteer_attendance(sh.starts_at, a->check_in_at);
		int64_t minutes = a->confirmed_by && a->minutes >= 0
					  ? a->minutes
					  : volunteer_minutes_served(sh.starts_at, sh.ends_at, a->check_in_at, a->check_out_at);
		int64_t id;

		if (a->confirmed_by && minutes > 0 && !strcmp(attendance, "no_show"))
			attendance = "present";
		if ((rc = store_run(s, SQL_CLOSE_PLACE, "tii", attendance, minutes, a->id)) != STORE_OK) {
			store_fault(s, rc, f);
			goto fail_l;
		}
		if (minutes <= 0)
			continue;
		memset(&e, 0, sizeof(e));
		e.person_id = a->person_id;
		e.team_id = sh.team_id;
		e.assignment_id = a->id;
		e.by_user_id = a->confirmed_by;
		e.kind = "shift";
		e.on_day = sh.day;
		e.minutes = minutes;
		e.points = volunteer_points_for(minutes, sh.points_per_hour);
		e.field = "minutes";
		if (volunteer_ledger_add(s, &e, &id, f) < 0)
			goto fail_l;
	}
	time_now_text(at);
	if ((rc = store_run(s, SQL_CLOSE_SHIFT, "iti", now, at, shift_id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_l;
	}
	volunteer_assignment_list_release(&l);
	volunteer_shift_release(&sh);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_l:
	volunteer_assignment_list_release(&l);
fail_sh:
	volunteer_shift_release(&sh);
fail:
	store_rollback(s);
	return -1;
}
