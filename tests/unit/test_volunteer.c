/*
 * test_volunteer.c - src/volunteer (issue 16): the rules alone — the repeat
 * rule, the conflict rules of a sign-up, the hours and points arithmetic and
 * attendance — then a roster on the store: members of another subdistrict
 * and double sign-ups refused with nothing written, the staffing card to the
 * leader and the close at the end by the one sweeper, and a ledger whose
 * balance always equals the sum of its rows and never goes below zero.
 */
#include "unit.h"
#include "auth/auth.h"
#include "org/org.h"
#include "people/people.h"
#include "timenode/timenode.h"
#include "volunteer/volunteer.h"
#include "util/util.h"

#include <string.h>

/* ---- the rules alone ---- */

static void test_repeat_rule(void **state)
{
	struct vol_repeat r = { "2026-03-02", "2026-03-31", "1234567", "19:00", "21:00" };
	struct vol_slot *sl = NULL;
	struct fault f = { 0 };
	size_t n;

	(void)state;
	/* every evening 19:00-21:00 for a month, without typing each one */
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), 0);
	assert_int_equal(n, 30);
	assert_int_equal(sl[0].starts_at, unit_local("2026-03-02 19:00"));
	assert_int_equal(sl[0].ends_at, unit_local("2026-03-02 21:00"));
	assert_int_equal(sl[29].starts_at, unit_local("2026-03-31 19:00"));
	free(sl);
	/* Monday, Wednesday and Friday of one week (2026-03-02 is a Monday) */
	r.until_on = "2026-03-08";
	r.weekdays = "531";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), 0);
	assert_int_equal(n, 3);
	assert_int_equal(sl[1].starts_at, unit_local("2026-03-04 19:00"));
	assert_int_equal(sl[2].starts_at, unit_local("2026-03-06 19:00"));
	free(sl);
	/* a weekend day in a weekday week: none, and that is no error */
	r.from_on = "2026-03-02";
	r.until_on = "2026-03-03";
	r.weekdays = "67";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), 0);
	assert_int_equal(n, 0);
	free(sl);
	/* bad input names its field */
	r.weekdays = "1234567";
	r.end = "19:00";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "end");
	r.end = "18:30";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "end");
	r.end = "24:00";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "end");
	r.end = "21:00";
	r.start = "7:00";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "start");
	r.start = "19:00";
	r.weekdays = "18";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "weekdays");
	r.weekdays = "11";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "weekdays");
	r.weekdays = "";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "weekdays");
	r.weekdays = "1";
	r.until_on = "2026-03-01";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "until_on");
	r.until_on = "2027-03-02";	/* 366 days: at most */
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), 0);
	assert_int_equal(n, 53);
	free(sl);
	r.until_on = "2027-03-03";	/* 367 */
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "until_on");
	r.until_on = "2026-02-30";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "until_on");
	r.until_on = "2026-03-31";
	r.from_on = "someday";
	assert_int_equal(volunteer_repeat_expand(&r, &sl, &n, &f), -1);
	assert_string_equal(f.field, "from_on");
}

static void test_conflict_rules(void **state)
{
	/* the shift: Wednesday 2026-03-04 19:00-21:00, 2 people, one a party member */
	struct vol_slot others[3];
	struct vol_signup_case c;
	struct fault f = { 0 };

	(void)state;
	memset(&c, 0, sizeof(c));
	c.starts_at = unit_local("2026-03-04 19:00");
	c.ends_at = unit_local("2026-03-04 21:00");
	c.people = 2;
	c.party_needed = 1;
	c.person_party = 1;
	assert_int_equal(volunteer_signup_rules(&c, &f), 0);
	/* a double sign-up */
	c.already = 1;
	assert_int_equal(volunteer_signup_rules(&c, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_string_equal(f.field, "person_id");
	c.already = 0;
	/* the last place is kept for the party member still needed */
	c.person_party = 0;
	c.filled = 1;
	assert_int_equal(volunteer_signup_rules(&c, &f), -1);
	assert_string_equal(f.field, "person_id");
	assert_non_null(strstr(f.message, "party members"));
	c.party_filled = 1;	/* the one on it is a party member: the place is free */
	assert_int_equal(volunteer_signup_rules(&c, &f), 0);
	c.filled = 0;
	c.party_filled = 0;	/* two places, one party member needed: a non-member may take one */
	assert_int_equal(volunteer_signup_rules(&c, &f), 0);
	/* full */
	c.filled = 2;
	assert_int_equal(volunteer_signup_rules(&c, &f), -1);
	assert_string_equal(f.field, "id");
	c.filled = 0;
	/* two shifts at once: an overlap; shifts end to end do not collide */
	memset(others, 0, sizeof(others));
	others[0].shift_id = 7;
	others[0].starts_at = unit_local("2026-03-04 17:00");
	others[0].ends_at = unit_local("2026-03-04 19:00");
	c.others = others;
	c.nothers = 1;
	assert_int_equal(volunteer_signup_rules(&c, &f), 0);
	others[0].ends_at = unit_local("2026-03-04 19:01");
	assert_int_equal(volunteer_signup_rules(&c, &f), -1);
	assert_string_equal(f.field, "person_id");
	assert_non_null(strstr(f.message, "two shifts at once"));
	assert_non_null(strstr(f.message, "17:00-19:01"));
	others[0].starts_at = unit_local("2026-03-04 20:59");
	others[0].ends_at = unit_local("2026-03-05 01:00");
	assert_int_equal(volunteer_signup_rules(&c, &f), -1);
	/* the weekly limit: 6 hours a week; Monday 2 h and Tuesday 2 h, and this one makes 6 */
	c.weekly_limit_minutes = 360;
	others[0].starts_at = unit_local("2026-03-02 19:00");
	others[0].ends_at = unit_local("2026-03-02 21:00");
	others[1].starts_at = unit_local("2026-03-03 19:00");
	others[1].ends_at = unit_local("2026-03-03 21:00");
	c.nothers = 2;
	assert_int_equal(volunteer_signup_rules(&c, &f), 0);
	/* one more minute on Sunday the 8th passes it; the Sunday before (the 1st) is another week */
	others[2].starts_at = unit_local("2026-03-08 23:59");
	others[2].ends_at = unit_local("2026-03-09 00:00");
	c.nothers = 3;
	assert_int_equal(volunteer_signup_rules(&c, &f), -1);
	assert_string_equal(f.field, "person_id");
	assert_non_null(strstr(f.message, "weekly limit"));
	others[2].starts_at = unit_local("2026-03-01 22:00");
	others[2].ends_at = unit_local("2026-03-01 23:59");
	assert_int_equal(volunteer_signup_rules(&c, &f), 0);
	c.weekly_limit_minutes = 0;	/* none */
	others[2].starts_at = unit_local("2026-03-08 10:00");
	others[2].ends_at = unit_local("2026-03-08 18:00");
	assert_int_equal(volunteer_signup_rules(&c, &f), 0);
}

static void test_week(void **state)
{
	int64_t from, to;

	(void)state;
	/* Sunday 23:59 belongs to the week that began on Monday the 2nd; Monday 00:00 to the next */
	volunteer_week(unit_local("2026-03-08 23:59"), &from, &to);
	assert_int_equal(from, unit_local("2026-03-02 00:00"));
	assert_int_equal(to, unit_local("2026-03-09 00:00"));
	volunteer_week(unit_local("2026-03-09 00:00"), &from, &to);
	assert_int_equal(from, unit_local("2026-03-09 00:00"));
	/* over a year's end: 2026-12-31 is a Thursday */
	volunteer_week(unit_local("2027-01-01 12:00"), &from, &to);
	assert_int_equal(from, unit_local("2026-12-28 00:00"));
	assert_int_equal(to, unit_local("2027-01-04 00:00"));
}

static void test_hours_and_points(void **state)
{
	int64_t s = unit_local("2026-03-04 19:00"), e = unit_local("2026-03-04 21:00");

	(void)state;
	/* on time in, out at the end (or no check-out: counted to the end) */
	assert_int_equal(volunteer_minutes_served(s, e, s - 600, e + 600), 120);
	assert_int_equal(volunteer_minutes_served(s, e, s, 0), 120);
	/* late in, early out: only the time on duty */
	assert_int_equal(volunteer_minutes_served(s, e, s + 1200, e - 1800), 70);
	/* never in: nothing; out before the start: nothing */
	assert_int_equal(volunteer_minutes_served(s, e, 0, 0), 0);
	assert_int_equal(volunteer_minutes_served(s, e, s - 3600, s - 60), 0);
	/* seconds are dropped, not rounded */
	assert_int_equal(volunteer_minutes_served(s, e, s + 59, 0), 119);
	/* points per hour, rounded half up */
	assert_int_equal(volunteer_points_for(120, 10), 20);
	assert_int_equal(volunteer_points_for(100, 10), 17);	/* 16.67 */
	assert_int_equal(volunteer_points_for(3, 10), 1);	/* 0.5 */
	assert_int_equal(volunteer_points_for(2, 10), 0);	/* 0.33 */
	assert_int_equal(volunteer_points_for(90, 0), 0);
	assert_int_equal(volunteer_points_for(-100, 10), -17);	/* a correction down mirrors one up */
	assert_int_equal(volunteer_points_for(1440, 1000), 24000);
	/* attendance */
	assert_string_equal(volunteer_attendance(s, 0), "no_show");
	assert_string_equal(volunteer_attendance(s, s - 3600), "present");
	assert_string_equal(volunteer_attendance(s, s + VOL_LATE_GRACE), "present");
	assert_string_equal(volunteer_attendance(s, s + VOL_LATE_GRACE + 1), "late");
}

/* ---- a roster on the store ---- */

struct fx {
	struct store *s;
	int64_t sub, com, yard, other_sub, other_yard;
	int64_t leader, member, party2, outsider;	/* persons */
	int64_t leader_user;
	struct vol_team t;
	int64_t type;
};

static int64_t person(struct store *s, const char *name, int64_t home, int party)
{
	struct person_input in;
	struct fault f = { 0 };
	int64_t id = 0;

	memset(&in, 0, sizeof(in));
	in.name = name;
	in.home_node_id = home;
	in.set_home = 1;
	in.party_member = party;
	in.set_party_member = 1;
	if (people_person_create(s, &in, &id, &f) < 0)
		fail_msg("person %s: %s", name, f.message);
	return id;
}

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int64(s, sql, &n, 0), STORE_OK);
	return n;
}

static int setup(void **state)
{
	struct fx *x = xcalloc(1, sizeof(*x));
	struct vol_team_input ti;
	struct vol_shift_type_input yi;
	struct user_input ui;
	struct fault f = { 0 };
	int64_t id;

	x->s = unit_db_open();
	unit_load_calendars(x->s);
	x->sub = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "明水街道");
	x->com = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "桃花山社区");
	x->yard = unit_node(x->s, x->com, LEVEL_COURTYARD, "桃花山职工宿舍");
	x->other_sub = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "刁镇街道");
	x->other_yard = unit_node(x->s, unit_node(x->s, x->other_sub, LEVEL_COMMUNITY, "化工产业园"), LEVEL_COURTYARD,
				  "园区宿舍");
	x->leader = person(x->s, "王队长", x->yard, 1);
	x->member = person(x->s, "李四", x->yard, 0);
	x->party2 = person(x->s, "赵党员", x->yard, 1);
	x->outsider = person(x->s, "外人", x->other_yard, 0);
	memset(&ui, 0, sizeof(ui));
	ui.login = "leader";
	ui.role = "volunteer";
	ui.scope_node_id = x->yard;
	ui.person_id = x->leader;
	ui.password = "Unit-Pass-2026!";
	assert_int_equal(user_create(x->s, &ui, NULL, &x->leader_user, &f), 0);
	memset(&ti, 0, sizeof(ti));
	ti.name = "夜间巡逻队";
	ti.kind = "patrol";
	ti.node_id = x->yard;
	ti.leader_person_id = x->leader;
	ti.set_leader = 1;
	ti.weekly_limit_minutes = 360;
	ti.set_weekly_limit = 1;
	assert_int_equal(volunteer_team_create(x->s, &ti, &id, &f), 0);
	assert_int_equal(volunteer_team_get(x->s, id, &x->t, &f), 0);
	assert_int_equal(x->t.subdistrict_id, x->sub);
	assert_int_equal(x->t.members, 1);	/* the leader joined */
	assert_int_equal(volunteer_member_add(x->s, id, x->member, "2026-01-01", &id, &f), 0);
	assert_int_equal(volunteer_member_add(x->s, x->t.id, x->party2, "2026-01-01", &id, &f), 0);
	/* the leader joined today: on days before that they were not a member yet */
	assert_int_equal(store_run(x->s, "UPDATE volunteer_members SET joined_on = '2026-01-01'", NULL), STORE_OK);
	memset(&yi, 0, sizeof(yi));
	yi.name = "夜巡";
	yi.minutes = 120;
	yi.people = 2;
	yi.party_members = 1;
	yi.points_per_hour = 10;
	assert_int_equal(volunteer_shift_type_create(x->s, &x->t, &yi, &x->type, &f), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	volunteer_team_release(&x->t);
	unit_db_close(x->s);
	free(x);
	return 0;
}

static int64_t shift_at(struct fx *x, const char *starts, int64_t now)
{
	struct vol_shift_input in;
	struct fault f = { 0 };
	int64_t id = 0;

	memset(&in, 0, sizeof(in));
	in.type_id = x->type;
	in.starts_at = starts;
	in.people = -1;
	in.party_members = -1;
	if (volunteer_shift_create(x->s, &x->t, &in, 0, now, &id, &f) < 0)
		fail_msg("shift at %s: %s", starts, f.message);
	return id;
}

static void test_members_and_signups(void **state)
{
	struct fx *x = *state;
	struct vol_shift sh;
	struct fault f = { 0 };
	int64_t now = unit_local("2026-03-01 10:00"), id, first, second;

	/* a member of another subdistrict */
	assert_int_equal(volunteer_member_add(x->s, x->t.id, x->outsider, NULL, &id, &f), -1);
	assert_int_equal(f.kind, FAULT_INVALID);
	assert_string_equal(f.field, "person_id");
	/* twice in one team */
	assert_int_equal(volunteer_member_add(x->s, x->t.id, x->member, NULL, &id, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_members"), 3);

	first = shift_at(x, "2026-03-04 19:00", now);
	assert_int_equal(volunteer_shift_get(x->s, first, &sh, &f), 0);
	assert_int_equal(sh.ends_at, unit_local("2026-03-04 21:00"));	/* the type's two hours */
	assert_int_equal(sh.people, 2);
	assert_int_equal(sh.party_members, 1);
	assert_string_equal(sh.day, "2026-03-04");
	volunteer_shift_release(&sh);
	/* an outsider, a double sign-up, a full shift: refused, nothing written */
	assert_int_equal(volunteer_signup(x->s, first, x->outsider, "signup", 0, now, &id, &f), -1);
	assert_string_equal(f.field, "person_id");
	assert_int_equal(volunteer_signup(x->s, first, x->member, "signup", 0, now, &id, &f), 0);
	assert_int_equal(volunteer_signup(x->s, first, x->member, "signup", 0, now, &id, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_string_equal(f.field, "person_id");
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_assignments"), 1);
	assert_int_equal(count(x->s, "SELECT filled FROM volunteer_shifts"), 1);
	/* the last place is the party member's */
	assert_int_equal(volunteer_give_up(x->s, first, x->member, 0, 0, now, &f), 0);
	assert_int_equal(count(x->s, "SELECT filled FROM volunteer_shifts"), 0);
	assert_int_equal(volunteer_signup(x->s, first, x->member, "signup", 0, now, &id, &f), 0);
	assert_int_equal(volunteer_signup(x->s, first, x->leader, "signup", 0, now, &id, &f), 0);
	assert_int_equal(volunteer_signup(x->s, first, x->party2, "signup", 0, now, &id, &f), -1);
	assert_string_equal(f.field, "id");	/* full */
	/* two shifts at once: the same evening, overlapping */
	second = shift_at(x, "2026-03-04 20:00", now);
	assert_int_equal(volunteer_signup(x->s, second, x->member, "signup", 0, now, &id, &f), -1);
	assert_non_null(strstr(f.message, "two shifts at once"));
	/* the weekly limit: 6 h; two more evenings make 6, a third would make 8 */
	assert_int_equal(volunteer_signup(x->s, shift_at(x, "2026-03-05 19:00", now), x->member, "signup", 0, now, &id, &f), 0);
	assert_int_equal(volunteer_signup(x->s, shift_at(x, "2026-03-06 19:00", now), x->member, "signup", 0, now, &id, &f), 0);
	assert_int_equal(volunteer_signup(x->s, shift_at(x, "2026-03-07 19:00", now), x->member, "signup", 0, now, &id, &f),
			 -1);
	assert_non_null(strstr(f.message, "weekly limit"));
	/* give-up past the cut-off (24 h) is the leader's to allow */
	assert_int_equal(volunteer_give_up(x->s, first, x->member, 0, 0, unit_local("2026-03-03 20:00"), &f), -1);
	assert_non_null(strstr(f.message, "cut-off"));
	/* a swap hands the place over, under the same rules: the party member takes it */
	assert_int_equal(volunteer_swap(x->s, first, x->member, x->outsider, 1, 0, unit_local("2026-03-03 20:00"), &id, &f),
			 -1);
	assert_string_equal(f.field, "to_person_id");
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_assignments WHERE shift_id = 1 AND state = 'active'"), 2);
	assert_int_equal(volunteer_swap(x->s, first, x->member, x->party2, 1, 0, unit_local("2026-03-03 20:00"), &id, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_assignments WHERE shift_id = 1 AND state = 'swapped'"
				     " AND swapped_to IS NOT NULL"), 1);
	/* a sign-up once it has begun is the leader's assignment */
	assert_int_equal(volunteer_signup(x->s, second, x->member, "signup", 0, unit_local("2026-03-04 20:30"), &id, &f), -1);
	assert_string_equal(f.field, "id");
	/* a shift ending before it starts */
	{
		struct vol_shift_input in;

		memset(&in, 0, sizeof(in));
		in.type_id = x->type;
		in.starts_at = "2026-03-10 19:00";
		in.ends_at = "2026-03-10 18:00";
		in.people = in.party_members = -1;
		assert_int_equal(volunteer_shift_create(x->s, &x->t, &in, 0, now, &id, &f), -1);
		assert_string_equal(f.field, "ends_at");
	}
	/* leaving withdraws their shifts from that day on */
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_assignments WHERE person_id = 2 AND state = 'active'"), 2);
	id = count(x->s, "SELECT id FROM volunteer_members WHERE person_id = 2");
	assert_int_equal(volunteer_member_leave(x->s, id, "2026-03-06", &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_assignments WHERE person_id = 2 AND state = 'active'"), 1);
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_assignments WHERE person_id = 2 AND state = 'withdrawn'"),
			 1);
}

static void test_on_the_engine(void **state)
{
	struct fx *x = *state;
	struct tn_sweep_policy pol;
	struct tn_sweep_report r;
	struct tn_inbox box;
	struct vol_assignment_list l;
	struct vol_balance b;
	struct actor a;
	struct fault f = { 0 };
	int64_t shift, id;

	tn_sweep_policy_default(&pol);
	/* Monday the 9th 19:00: made on Wednesday the 4th with nobody on it */
	shift = shift_at(x, "2026-03-09 19:00", unit_local("2026-03-04 10:00"));
	assert_int_equal(volunteer_signup(x->s, shift, x->member, "signup", 0, unit_local("2026-03-04 10:00"), &id, &f), 0);
	/* its staffing node is due a day before the start (Sunday 19:00): yellow from the start of Friday, the
	 * last working day before it */
	assert_int_equal(tn_sweep(x->s, unit_local("2026-03-05 12:00"), &pol, &r, &f), 0);
	assert_int_equal(r.yellow, 0);
	assert_int_equal(tn_sweep(x->s, unit_local("2026-03-06 09:00"), &pol, &r, &f), 0);
	assert_int_equal(r.yellow, 1);
	assert_int_equal(tn_sweep(x->s, unit_local("2026-03-08 19:00:01"), &pol, &r, &f), 0);
	assert_int_equal(r.red, 1);
	assert_int_equal(tn_sweep(x->s, unit_local("2026-03-08 19:00:02"), &pol, &r, &f), 0);
	assert_int_equal(r.red + r.yellow, 0);	/* idempotent */
	/* the leader finds it in the inbox */
	unit_actor(&a, x->leader_user, "leader", x->yard, "volunteer.read,volunteer.act,tasks.read");
	assert_int_equal(tn_inbox(x->s, &a, 10, &box, &f), 0);
	assert_int_equal(box.n, 1);
	assert_string_equal(box.items[0].kind, VOL_SHORT_KIND);
	assert_int_equal(box.items[0].id, shift);
	assert_string_equal(box.items[0].card, "red");
	tn_inbox_release(&box);
	/* the leader fills it: the card is withdrawn, nothing due */
	assert_int_equal(volunteer_signup(x->s, shift, x->leader, "assigned", x->leader_user, unit_local("2026-03-08 20:00"),
					  &id, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_shifts WHERE staff_due IS NOT NULL AND id = 1"), 0);
	assert_int_equal(tn_inbox(x->s, &a, 10, &box, &f), 0);
	assert_int_equal(box.n, 0);
	tn_inbox_release(&box);
	/* on the day: the member 20 minutes late and out early, the leader never */
	assert_int_equal(volunteer_check(x->s, shift, x->member, 0, unit_local("2026-03-09 19:20"), 0,
					 unit_local("2026-03-09 19:20"), &f), 0);
	assert_int_equal(volunteer_check(x->s, shift, x->member, 0, unit_local("2026-03-09 19:21"), 0,
					 unit_local("2026-03-09 19:21"), &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_int_equal(volunteer_check(x->s, shift, x->party2, 0, unit_local("2026-03-09 19:21"), 0,
					 unit_local("2026-03-09 19:21"), &f), -1);
	assert_string_equal(f.field, "person_id");	/* not on this shift */
	assert_int_equal(volunteer_check(x->s, shift, x->member, 1, unit_local("2026-03-09 20:50"), 0,
					 unit_local("2026-03-09 20:50"), &f), 0);
	/* before the end nothing is marked; the second after, the sweeper closes it */
	assert_int_equal(tn_sweep(x->s, unit_local("2026-03-09 21:00"), &pol, &r, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_shifts WHERE id = 1 AND state = 'open'"), 1);
	assert_int_equal(tn_sweep(x->s, unit_local("2026-03-09 21:00:01"), &pol, &r, &f), 0);
	assert_int_equal(r.errors, 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_shifts WHERE id = 1 AND state = 'closed'"), 1);
	assert_int_equal(volunteer_assignments(x->s, shift, 1, &l, &f), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].attendance, "late");
	assert_int_equal(l.items[0].minutes, 90);
	assert_string_equal(l.items[1].attendance, "no_show");
	assert_int_equal(l.items[1].minutes, 0);
	volunteer_assignment_list_release(&l);
	assert_int_equal(volunteer_balance(x->s, x->member, &b, &f), 0);
	assert_int_equal(b.points, 15);
	assert_int_equal(b.minutes, 90);
	/* closing twice is refused, and the sweeper has nothing more to do */
	assert_int_equal(volunteer_shift_close(x->s, shift, unit_local("2026-03-09 22:00"), &f), -1);
	assert_int_equal(tn_sweep(x->s, unit_local("2026-03-09 22:00"), &pol, &r, &f), 0);
	assert_int_equal(r.examined, 0);
	/* the leader vouches for their own two hours: the difference is a row of its own */
	assert_int_equal(volunteer_confirm(x->s, shift, x->leader, 121, NULL, x->leader_user, &f), -1);
	assert_string_equal(f.field, "minutes");
	assert_int_equal(volunteer_confirm(x->s, shift, x->leader, 120, "纸质签到表", x->leader_user, &f), 0);
	assert_int_equal(volunteer_balance(x->s, x->leader, &b, &f), 0);
	assert_int_equal(b.points, 20);
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_assignments WHERE attendance = 'present'"), 1);
}

static void test_ledger(void **state)
{
	struct fx *x = *state;
	struct vol_item_input ii;
	struct vol_balance b;
	struct fault f = { 0 };
	int64_t item, id;
	int i;

	/* adjustments: a reason, and never below zero */
	assert_int_equal(volunteer_adjust(x->s, x->member, 50, 0, NULL, 0, &id, &f), -1);
	assert_string_equal(f.field, "reason");
	assert_int_equal(volunteer_adjust(x->s, x->member, -1, 0, "扣分", 0, &id, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_int_equal(volunteer_adjust(x->s, x->member, 50, 30, "抗疫值守补录", 0, &id, &f), 0);
	memset(&ii, 0, sizeof(ii));
	ii.name = "洗衣液";
	ii.node_id = x->com;
	ii.points = 20;
	ii.stock = 2;
	assert_int_equal(volunteer_item_create(x->s, &ii, &item, &f), 0);
	/* more points than held (60 > 50): nothing is written, the stock stays */
	assert_int_equal(volunteer_redeem(x->s, item, x->member, 3, 0, &id, &f), -1);
	assert_string_equal(f.field, "quantity");
	assert_int_equal(volunteer_redeem(x->s, item, x->member, 2, 0, &id, &f), 0);
	assert_int_equal(volunteer_redeem(x->s, item, x->member, 1, 0, &id, &f), -1);	/* out of stock */
	assert_string_equal(f.field, "quantity");
	assert_int_equal(count(x->s, "SELECT stock FROM volunteer_shop_items"), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_redemptions"), 1);
	assert_int_equal(volunteer_balance(x->s, x->member, &b, &f), 0);
	assert_int_equal(b.points, 10);
	assert_int_equal(b.minutes, 30);
	/* an outsider of the shop's subdistrict */
	assert_int_equal(volunteer_redeem(x->s, item, x->outsider, 1, 0, &id, &f), -1);
	assert_string_equal(f.field, "person_id");
	/* many changes: the balance is the sum of the rows, never negative, and rows are numbered without gaps */
	for (i = 0; i < 200; i++) {
		int64_t pts = (i * 37) % 23 - 11;

		(void)volunteer_adjust(x->s, i % 2 ? x->member : x->party2, pts, 0, "测试", 0, &id, &f);
	}
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_ledger l WHERE balance <>"
				     " (SELECT sum(points) FROM volunteer_ledger m WHERE m.person_id = l.person_id AND m.seq <= l.seq)"),
			 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM volunteer_ledger WHERE balance < 0"), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM (SELECT person_id FROM volunteer_ledger GROUP BY person_id"
				     " HAVING max(seq) <> count(*)) g"), 0);
	/* the table itself refuses a negative balance */
	assert_int_not_equal(store_run(x->s, "INSERT INTO volunteer_ledger (subdistrict_id, person_id, seq, kind, points,"
					     " balance, served_minutes, on_day, at) VALUES (1, 1, 999, 'adjust', -5, -5, 0,"
					     " '2026-01-01', 'x')", NULL),
			     STORE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeat_rule),
		cmocka_unit_test(test_conflict_rules),
		cmocka_unit_test(test_week),
		cmocka_unit_test(test_hours_and_points),
		cmocka_unit_test_setup_teardown(test_members_and_signups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_on_the_engine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
