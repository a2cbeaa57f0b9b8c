/*
 * test_sweep.c - the sweeper (src/workorder/sweep.c) and the system's card
 * actions of the transition table: yellow and red cards to the second,
 * escalation by the policy, idempotence, a deadline across the Spring
 * Festival of 2026, the cost (only due orders are read), batches with a
 * failing order, dry runs and the lease.  A fresh database each, with the
 * shipped calendars (share/calendar/YYYY.csv, run from the project root).
 * Orders are dated in the past with .at, so every sweep is as of a past now.
 */
#include "unit.h"

#include "auth/auth.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"
#include "workorder/wo_internal.h"
#include "workorder/workorder.h"

/* The static SQL, to ask SQLite how it runs it. */
#include "workorder/sweep.c"

#define ALL_PERMS "workorder.create,workorder.read,workorder.read_all,workorder.act,workorder.dispatch,workorder.handle,workorder.review"
#define SEC_PERMS "workorder.create,workorder.read,workorder.read_all,workorder.act,workorder.handle"
#define GRID_PERMS "workorder.create,workorder.read,workorder.read_all"
#define CAT_PROP_MGMT 6		/* 城乡建设 > 物业管理: routed to the courtyard */

/*
 *   sub 明水街道
 *     com 龙泉社区: y1 君临天下 > b1 1号楼 > h1 101
 */
struct fx {
	struct store *s;
	int64_t sub, com, y1, b1, h1;
	struct actor admin, desk, sec1, grid;
	struct wo_sweep_policy pol;
};

static struct fault F;

/* Loads share/calendar/YEAR.csv through the calendar module; 0 when the file is not there. */
static int load_calendar_year(struct store *s, int year)
{
	struct calendar_file cf;
	struct fault f = { 0 };

	if (!unit_calendar_file(year, &cf))
		return 0;
	if (calendar_load(s, &cf, "share/calendar", NULL, &f) < 0)
		fail_msg("calendar %d: %s", year, f.message);
	calendar_file_release(&cf);
	return 1;
}

static void load_calendars(struct store *s)
{
	int year, loaded = 0;

	for (year = 2022; year <= 2035; year++)
		loaded += load_calendar_year(s, year);
	if (loaded < 2)
		fail_msg("the shipped calendars (share/calendar/*.csv) were not found: run from the project root");
}

static void exec(struct store *s, const char *sql)
{
	if (store_exec(s, sql) != STORE_OK)
		fail_msg("%s: %s", sql, store_errmsg(s));
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	x->s = unit_db_open();
	if (!x->s) {
		free(x);
		return -1;
	}
	load_calendars(x->s);
	x->sub = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "明水街道");
	x->com = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "龙泉社区");
	x->y1 = unit_node(x->s, x->com, LEVEL_COURTYARD, "君临天下");
	x->b1 = unit_node(x->s, x->y1, LEVEL_BUILDING, "1号楼");
	x->h1 = unit_node(x->s, x->b1, LEVEL_HOUSEHOLD, "101");
	unit_actor(&x->admin, 1, "admin", 0, ALL_PERMS);
	unit_actor(&x->desk, 2, "desk", x->com, ALL_PERMS);
	unit_actor(&x->sec1, 4, "sec1", x->y1, SEC_PERMS);
	unit_actor(&x->grid, 6, "grid", x->com, GRID_PERMS);
	fault_clear(&F);
	if (wo_sweep_policy_load(x->s, &x->pol, &F) < 0)
		fail_msg("policy: %s", F.message);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	unit_db_close(x->s);
	free(x);
	return 0;
}

/* Orders and actions. */

static int act(struct fx *x, const struct actor *a, int64_t id, const char *action, int64_t when)
{
	struct wo_action w;

	memset(&w, 0, sizeof(w));
	w.action = action;
	w.at = when;
	if (strcmp(action, "sign") != 0 && strcmp(action, "yellow_card") != 0 && strcmp(action, "red_card") != 0)
		w.opinion = "处理意见";
	if (!strcmp(action, "dispatch"))
		w.node_id = x->y1;
	fault_clear(&F);
	return wo_transition(x->s, a, id, &w, &F);
}

static void must(struct fx *x, const struct actor *a, int64_t id, const char *action, int64_t when)
{
	if (act(x, a, id, action, when) < 0)
		fail_msg("%s on order %lld: %s (%s)", action, (long long)id, F.message, F.field);
}

/* A grid member's report received at when, accepted a minute later and dispatched to the courtyard y1. */
static int64_t due_order(struct fx *x, const char *when)
{
	struct wo_input in;
	int64_t t = unit_local(when), id = 0;

	memset(&in, 0, sizeof(in));
	in.source = "grid";
	in.type = "complaint";
	in.category_id = CAT_PROP_MGMT;
	in.node_id = x->h1;
	in.text = "3号楼楼道灯坏了";
	in.received_at = t;
	if (wo_create(x->s, &x->grid, &in, &id, NULL, &F) < 0)
		fail_msg("create: %s (%s)", F.message, F.field);
	must(x, &x->desk, id, "accept", t + 60);
	must(x, &x->desk, id, "dispatch", t + 120);
	return id;
}

static struct wo_order get(struct fx *x, int64_t id)
{
	struct wo_order o;

	if (wo_get(x->s, id, &o, &F) < 0)
		fail_msg("get %lld: %s", (long long)id, F.message);
	return o;
}

static int64_t deadline_of(struct fx *x, int64_t id)
{
	struct wo_order o = get(x, id);
	int64_t d = o.deadline;

	wo_order_release(&o);
	return d;
}

static size_t event_count(struct fx *x, int64_t id)
{
	struct wo_event_list l;
	size_t n;

	if (wo_events(x->s, id, &l, &F) < 0)
		fail_msg("events: %s", F.message);
	n = l.n;
	wo_event_list_release(&l);
	return n;
}

/* escalate_at of the order, -1 for NULL. */
static int64_t climb_at(struct fx *x, int64_t id)
{
	int64_t v = 0;
	int rc = store_query_int64(x->s, "SELECT COALESCE(escalate_at, -1) FROM work_orders WHERE id = ?", &v, 1, id);

	assert_int_equal(rc, STORE_OK);
	return v;
}

static struct wo_sweep_report sweep(struct fx *x, int64_t now)
{
	struct wo_sweep_report r;

	fault_clear(&F);
	if (wo_sweep(x->s, now, &x->pol, &r, &F) < 0)
		fail_msg("sweep at %s: %s (%s)", unit_shown(now), F.message, F.code);
	return r;
}

static void assert_nothing(const struct wo_sweep_report *r)
{
	assert_int_equal(r->yellow, 0);
	assert_int_equal(r->red, 0);
	assert_int_equal(r->escalated, 0);
	assert_int_equal(r->errors, 0);
	assert_int_equal(r->examined, 0);
}

static void no_escalation(struct fx *x)
{
	x->pol.escalate[WO_SWEEP_COURTYARD] = 0;
	x->pol.escalate[WO_SWEEP_COMMUNITY] = 0;
}

/* Cards. */

static void test_yellow_at_the_instant(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00"), deadline = deadline_of(x, id), yellow;
	struct wo_sweep_report r;
	struct wo_event_list ev;
	struct wo_order o;
	size_t n;

	/* Accepted Monday 09-01: due the fifth working day after, Monday 09-08; yellow from Friday 09-05. */
	assert_string_equal(unit_shown(deadline), "2025-09-08T23:59:59+08:00");
	assert_int_equal(calendar_yellow_at(x->s, deadline, &yellow, &F), 0);
	assert_string_equal(unit_shown(yellow), "2025-09-05T00:00:00+08:00");

	r = sweep(x, yellow - 1);
	assert_nothing(&r);
	n = event_count(x, id);
	r = sweep(x, yellow);
	assert_int_equal(r.yellow, 1);
	assert_int_equal(r.red, 0);
	assert_int_equal(r.examined, 1);
	assert_int_equal(r.errors, 0);
	o = get(x, id);
	assert_string_equal(o.card, "yellow");
	assert_string_equal(o.state, "dispatched");
	assert_int_equal(o.deadline, deadline);
	wo_order_release(&o);
	/* One event, the system's, dated at the sweep. */
	assert_int_equal(wo_events(x->s, id, &ev, &F), 0);
	assert_int_equal(ev.n, n + 1);
	assert_string_equal(ev.items[n].action, "yellow_card");
	assert_int_equal(ev.items[n].at, yellow);
	assert_null(ev.items[n].actor_login);
	assert_int_equal(ev.items[n].actor_user_id, 0);
	assert_string_equal(ev.items[n].from_state, "dispatched");
	assert_string_equal(ev.items[n].to_state, "dispatched");
	assert_int_equal(ev.items[n].node_id, x->y1);
	assert_non_null(strstr(ev.items[n].detail, "2025-09-08 23:59:59"));
	wo_event_list_release(&ev);

	/* Again at the same now, and later the same day: nothing more. */
	r = sweep(x, yellow);
	assert_nothing(&r);
	r = sweep(x, yellow + 3600);
	assert_nothing(&r);
	assert_int_equal(event_count(x, id), n + 1);
}

static void test_red_on_the_first_overdue_second(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00"), deadline = deadline_of(x, id), late;
	struct wo_sweep_report r;
	struct wo_event_list ev;
	struct wo_order o;

	no_escalation(x);
	r = sweep(x, deadline - 10);
	assert_int_equal(r.yellow, 1);
	/* The last second of the deadline is still in time. */
	r = sweep(x, deadline);
	assert_nothing(&r);
	r = sweep(x, deadline + 1);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.yellow, 0);
	assert_int_equal(r.escalated, 0);
	assert_int_equal(r.examined, 1);
	o = get(x, id);
	assert_string_equal(o.card, "red");
	assert_int_equal(o.handler_node_id, x->y1);
	wo_order_release(&o);
	assert_int_equal(wo_events(x->s, id, &ev, &F), 0);
	assert_string_equal(ev.items[ev.n - 1].action, "red_card");
	assert_int_equal(ev.items[ev.n - 1].at, deadline + 1);
	assert_string_equal(ev.items[ev.n - 2].action, "yellow_card");
	wo_event_list_release(&ev);
	r = sweep(x, deadline + 1);
	assert_nothing(&r);
	r = sweep(x, deadline + 5 * 86400);
	assert_nothing(&r);

	/* An order first seen overdue gets the red card only: a yellow card after the deadline warns of nothing. */
	late = due_order(x, "2025-09-01 10:00");
	r = sweep(x, deadline + 6 * 86400);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.yellow, 0);
	assert_int_equal(wo_events(x->s, late, &ev, &F), 0);
	assert_string_equal(ev.items[ev.n - 1].action, "red_card");
	assert_string_equal(ev.items[ev.n - 2].action, "dispatch");
	wo_event_list_release(&ev);
}

/* The card actions are the system's: no user takes them, and their rules hold for the system too. */
static void test_cards_are_the_systems(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00"), deadline = deadline_of(x, id), yellow, done;
	const char *names[WO_MAX_ACTIONS];
	struct wo_order o;
	size_t n, i;

	assert_int_equal(calendar_yellow_at(x->s, deadline, &yellow, &F), 0);
	assert_int_equal(act(x, &x->admin, id, "red_card", deadline + 60), -1);
	assert_int_equal(F.kind, FAULT_FORBIDDEN);
	assert_string_equal(F.message, "red_card is the system's own action: no user may take it");
	assert_int_equal(act(x, &x->admin, id, "yellow_card", yellow + 60), -1);
	assert_int_equal(F.kind, FAULT_FORBIDDEN);
	o = get(x, id);
	n = wo_allowed_actions(x->s, &x->admin, &o, names, WO_MAX_ACTIONS);
	for (i = 0; i < n; i++)
		assert_true(strcmp(names[i], "red_card") != 0 && strcmp(names[i], "yellow_card") != 0);
	/* The system, today: the order is long overdue. */
	n = wo_allowed_actions(x->s, NULL, &o, names, WO_MAX_ACTIONS);
	for (i = 0; i < n; i++)
		assert_true(strcmp(names[i], "yellow_card") != 0);
	for (i = 0; i < n && strcmp(names[i], "red_card") != 0; i++)
		;
	assert_true(i < n);
	wo_order_release(&o);

	assert_int_equal(act(x, NULL, id, "yellow_card", yellow - 1), -1);
	assert_int_equal(F.kind, FAULT_CONFLICT);
	assert_string_equal(F.message,
			    "a yellow card is due from 2025-09-05 00:00:00, 1 working day before the deadline 2025-09-08 23:59:59");
	assert_int_equal(act(x, NULL, id, "red_card", deadline), -1);
	assert_int_equal(F.kind, FAULT_CONFLICT);
	assert_string_equal(F.message, "a red card is for an overdue order; this order is due at 2025-09-08 23:59:59");
	assert_int_equal(act(x, NULL, id, "yellow_card", deadline + 1), -1);
	assert_string_equal(F.message, "this order was due at 2025-09-08 23:59:59: a red card is due, not a yellow one");
	must(x, NULL, id, "red_card", deadline + 1);
	assert_int_equal(act(x, NULL, id, "red_card", deadline + 2), -1);
	assert_string_equal(F.message, "this order already has a red card");
	assert_int_equal(act(x, NULL, id, "yellow_card", deadline + 2), -1);
	assert_string_equal(F.message, "this order already has a red card");

	/* Only open orders are carded. */
	done = due_order(x, "2025-09-01 09:00");
	must(x, &x->sec1, done, "sign", unit_local("2025-09-01 10:00"));
	must(x, &x->sec1, done, "reply", unit_local("2025-09-01 11:00"));
	assert_int_equal(act(x, NULL, done, "red_card", deadline + 1), -1);
	assert_int_equal(F.kind, FAULT_CONFLICT);
	assert_string_equal(F.message, "cannot red_card this order: it is replied, and red_card is allowed only when it is"
				       " dispatched, return_requested or in_progress");
}

/* Escalation. */

static void test_escalation_climbs_one_level_a_period(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00"), d1 = deadline_of(x, id), d2, d3, want;
	struct wo_sweep_report r;
	struct wo_event_list ev;
	struct wo_order o;

	/* Default policy: both levels climb on the first overdue day. */
	assert_int_equal(x->pol.escalate[WO_SWEEP_COURTYARD], 1);
	assert_int_equal(x->pol.after_days[WO_SWEEP_COURTYARD], 0);
	r = sweep(x, d1 + 1);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 1);
	assert_int_equal(r.examined, 1);
	o = get(x, id);
	assert_string_equal(o.state, "dispatched");
	assert_int_equal(o.handler_node_id, x->com);
	assert_string_equal(o.handler_level, "community");
	assert_int_equal(o.escalations, 1);
	/* The community gets a reply period of its own, and the card starts again. */
	assert_int_equal(calendar_deadline(x->s, d1 + 1, 5, &want, &F), 0);
	assert_int_equal(o.deadline, want);
	assert_string_equal(o.card, "none");
	d2 = o.deadline;
	wo_order_release(&o);
	assert_int_equal(climb_at(x, id), -1);
	assert_int_equal(wo_events(x->s, id, &ev, &F), 0);
	assert_string_equal(ev.items[ev.n - 2].action, "red_card");
	assert_int_equal(ev.items[ev.n - 2].node_id, x->y1);
	assert_string_equal(ev.items[ev.n - 1].action, "escalate");
	assert_int_equal(ev.items[ev.n - 1].node_id, x->com);
	assert_null(ev.items[ev.n - 1].actor_login);
	assert_non_null(strstr(ev.items[ev.n - 1].opinion, "overdue since 2025-09-09 00:00:00"));
	assert_non_null(strstr(ev.items[ev.n - 1].detail, "a new reply period"));
	wo_event_list_release(&ev);
	/* Idempotent: nothing more at the same now. */
	r = sweep(x, d1 + 1);
	assert_nothing(&r);

	/* The community misses its deadline too: up to the subdistrict. */
	r = sweep(x, d2 + 1);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 1);
	o = get(x, id);
	assert_int_equal(o.handler_node_id, x->sub);
	assert_string_equal(o.handler_level, "subdistrict");
	assert_int_equal(o.escalations, 2);
	d3 = o.deadline;
	wo_order_release(&o);
	r = sweep(x, d2 + 1);
	assert_nothing(&r);

	/* And the subdistrict: red, but there is nothing above it. */
	r = sweep(x, d3 + 1);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 0);
	assert_int_equal(r.errors, 0);
	o = get(x, id);
	assert_int_equal(o.handler_node_id, x->sub);
	assert_string_equal(o.card, "red");
	assert_int_equal(o.escalations, 2);
	wo_order_release(&o);
	assert_int_equal(climb_at(x, id), -1);
	r = sweep(x, d3 + 10 * 86400);
	assert_nothing(&r);
}

static void test_escalation_policy(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00"), d = deadline_of(x, id), at, d2;
	struct wo_sweep_report r;
	struct wo_order o;

	/* Two working days of grace at the courtyard: Monday's deadline climbs from Thursday 00:00. */
	x->pol.after_days[WO_SWEEP_COURTYARD] = 2;
	r = sweep(x, d + 1);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 0);
	at = climb_at(x, id);
	assert_string_equal(unit_shown(at), "2025-09-11T00:00:00+08:00");
	r = sweep(x, at - 1);
	assert_nothing(&r);
	r = sweep(x, at);
	assert_int_equal(r.escalated, 1);
	assert_int_equal(r.examined, 1);
	o = get(x, id);
	assert_int_equal(o.handler_node_id, x->com);
	d2 = o.deadline;
	wo_order_release(&o);

	/* The community does not climb under this policy: red, and nothing left to do. */
	x->pol.escalate[WO_SWEEP_COMMUNITY] = 0;
	r = sweep(x, d2 + 1);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 0);
	assert_int_equal(climb_at(x, id), -1);
	r = sweep(x, d2 + 20 * 86400);
	assert_nothing(&r);
}

/* A policy change moves the waiting escalations when they are met. */
static void test_policy_change_reschedules(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00"), d = deadline_of(x, id), at;
	struct wo_sweep_report r;

	x->pol.after_days[WO_SWEEP_COURTYARD] = 1;
	r = sweep(x, d + 1);
	assert_int_equal(r.red, 1);
	at = climb_at(x, id);
	assert_string_equal(unit_shown(at), "2025-09-10T00:00:00+08:00");
	x->pol.after_days[WO_SWEEP_COURTYARD] = 3;
	r = sweep(x, at);
	assert_int_equal(r.escalated, 0);
	assert_int_equal(r.rescheduled, 1);
	assert_int_equal(r.examined, 1);
	assert_string_equal(unit_shown(climb_at(x, id)), "2025-09-12T00:00:00+08:00");
	r = sweep(x, at);
	assert_nothing(&r);
}

static void test_policy_table(void **state)
{
	struct fx *x = *state;
	struct wo_sweep_policy p;

	assert_int_equal(x->pol.escalate[WO_SWEEP_COURTYARD], 1);
	assert_int_equal(x->pol.escalate[WO_SWEEP_COMMUNITY], 1);
	assert_int_equal(x->pol.after_days[WO_SWEEP_COMMUNITY], 0);
	assert_int_equal(x->pol.batch, 0);
	exec(x->s, "UPDATE wo_sweep_policy SET after_days = 3 WHERE level = 'courtyard'");
	exec(x->s, "DELETE FROM wo_sweep_policy WHERE level = 'community'");
	assert_int_equal(wo_sweep_policy_load(x->s, &p, &F), 0);
	assert_int_equal(p.escalate[WO_SWEEP_COURTYARD], 1);
	assert_int_equal(p.after_days[WO_SWEEP_COURTYARD], 3);
	assert_int_equal(p.escalate[WO_SWEEP_COMMUNITY], 0);
	/* The table refuses what the sweeper could not do. */
	assert_int_not_equal(store_exec(x->s, "UPDATE wo_sweep_policy SET after_days = 31"), STORE_OK);
	assert_int_not_equal(store_exec(x->s, "INSERT INTO wo_sweep_policy (level) VALUES ('subdistrict')"), STORE_OK);
	wo_sweep_policy_default(&p);
	assert_int_equal(p.escalate[WO_SWEEP_COMMUNITY], 1);
}

/* Waiting for the desk's decision on a return, an order does not climb; refused, it does. */
static void test_return_request_waits(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00"), d = deadline_of(x, id);
	struct wo_sweep_report r;
	struct wo_order o;

	must(x, &x->sec1, id, "request_return", unit_local("2025-09-01 10:00"));
	r = sweep(x, d + 1);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 0);
	assert_int_equal(climb_at(x, id), d + 1);
	/* Met again by each run while it waits: nothing to do yet. */
	r = sweep(x, d + 30);
	assert_int_equal(r.examined, 1);
	assert_int_equal(r.red + r.escalated + r.rescheduled + r.errors, 0);
	must(x, &x->desk, id, "refuse_return", d + 60);
	r = sweep(x, d + 120);
	assert_int_equal(r.escalated, 1);
	assert_int_equal(r.examined, 1);
	o = get(x, id);
	assert_int_equal(o.handler_node_id, x->com);
	wo_order_release(&o);
}

/* The handler's own escalation: before the deadline it keeps it; overdue, a new period (and a stale escalate_at is cleared). */
static void test_manual_escalation_deadlines(void **state)
{
	struct fx *x = *state;
	int64_t early = due_order(x, "2025-09-01 09:00"), late = due_order(x, "2025-09-01 09:30");
	int64_t d = deadline_of(x, early), want, at;
	struct wo_sweep_report r;
	struct wo_order o;

	must(x, &x->sec1, early, "escalate", unit_local("2025-09-02 09:00"));
	o = get(x, early);
	assert_int_equal(o.handler_node_id, x->com);
	assert_int_equal(o.deadline, d);
	wo_order_release(&o);

	x->pol.after_days[WO_SWEEP_COURTYARD] = 3;
	r = sweep(x, d + 1);
	assert_int_equal(r.red, 2);
	at = climb_at(x, late);
	assert_true(at > d + 1);
	must(x, &x->sec1, late, "escalate", d + 3600);
	o = get(x, late);
	assert_int_equal(calendar_deadline(x->s, d + 3600, 5, &want, &F), 0);
	assert_int_equal(o.deadline, want);
	assert_string_equal(o.card, "none");
	assert_int_equal(o.handler_node_id, x->com);
	wo_order_release(&o);
	/* Met at its time, the escalate_at left from the red card finds no red card: cleared, nothing done. */
	r = sweep(x, at);
	assert_int_equal(r.escalated, 0);
	assert_int_equal(r.examined, 1);
	assert_int_equal(climb_at(x, late), -1);
}

/* DOMAIN.md: deadlines count working days; the Spring Festival of 2026 (02-15 .. 02-23, Saturdays 02-14 and 02-28 worked). */
static void test_spring_festival_2026(void **state)
{
	struct fx *x = *state;
	int64_t a, b, yellow;
	struct wo_sweep_report r;

	no_escalation(x);
	exec(x->s, "UPDATE wo_time_limits SET reply_days = 3");
	a = due_order(x, "2026-02-12 10:00");
	exec(x->s, "UPDATE wo_time_limits SET reply_days = 5");
	b = due_order(x, "2026-02-12 10:00");
	/* a: 02-13, Saturday 02-14 (worked), then 02-24.  b: 02-24, 02-25, 02-26. */
	assert_string_equal(unit_shown(deadline_of(x, a)), "2026-02-24T23:59:59+08:00");
	assert_string_equal(unit_shown(deadline_of(x, b)), "2026-02-26T23:59:59+08:00");
	/* a's yellow card falls on the swapped Saturday, ten days before its deadline. */
	assert_int_equal(calendar_yellow_at(x->s, deadline_of(x, a), &yellow, &F), 0);
	assert_string_equal(unit_shown(yellow), "2026-02-14T00:00:00+08:00");

	r = sweep(x, unit_local("2026-02-13 23:59:59"));
	assert_nothing(&r);
	r = sweep(x, unit_local("2026-02-14 00:00"));
	assert_int_equal(r.yellow, 1);
	assert_int_equal(r.examined, 1);
	/* The holiday: nothing comes due. */
	r = sweep(x, unit_local("2026-02-20 12:00"));
	assert_nothing(&r);
	r = sweep(x, unit_local("2026-02-24 23:59:59"));
	assert_nothing(&r);
	r = sweep(x, unit_local("2026-02-25 00:00"));
	assert_int_equal(r.red, 1);		/* a */
	assert_int_equal(r.yellow, 1);		/* b */
	r = sweep(x, unit_local("2026-02-27 00:00"));
	assert_int_equal(r.red, 1);		/* b */
	assert_int_equal(r.yellow, 0);
}

/* A year without a calendar is counted on the provisional one: the sweep never stops for it. */
static void test_missing_calendar(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00"), d = deadline_of(x, id);
	struct wo_sweep_report r;
	struct wo_order o;

	exec(x->s, "DELETE FROM calendar_days WHERE year = 2025; DELETE FROM calendar_years WHERE year = 2025");
	r = sweep(x, d + 1);
	/* The red card, the escalation and its new reply period (on the provisional 2025) in one run. */
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 1);
	assert_int_equal(r.errors, 0);
	o = get(x, id);
	assert_int_equal(o.handler_node_id, x->com);
	/* The new period reaches only into the provisional 2025: it is marked, from the escalation. */
	assert_true(o.provisional.deadline != 0);
	assert_true(o.deadline > d);
	wo_order_release(&o);
	assert_int_equal(load_calendar_year(x->s, 2025), 1);
}

/*
 * A provisional deadline extended keeps its base, so loading the official year gives exactly the
 * official count of all its working days (the reply period and the extension together).
 */
static void test_recount_keeps_the_extension(void **state)
{
	struct fx *x = *state;
	struct wo_action w;
	struct wo_recalc rc;
	struct calendar_file cf;
	struct wo_order o;
	int64_t id, accepted = unit_local("2025-09-26 09:01"), want = 0;
	int changed = 0;

	exec(x->s, "DELETE FROM calendar_days WHERE year = 2025; DELETE FROM calendar_years WHERE year = 2025");
	/* Friday 09-26, accepted 09:01: on the provisional 2025 (国庆 10-01..03, 中秋 10-06) due 10-09. */
	id = due_order(x, "2025-09-26 09:00");
	o = get(x, id);
	assert_string_equal(unit_shown(o.deadline), "2025-10-09T23:59:59+08:00");
	assert_int_equal(o.provisional.deadline, accepted);
	wo_order_release(&o);
	must(x, &x->sec1, id, "sign", unit_local("2025-09-26 10:00"));
	memset(&w, 0, sizeof(w));
	w.action = "request_extension";
	w.at = unit_local("2025-09-29 10:00");
	w.days = 3;
	w.opinion = "需要协调物业维修";
	assert_int_equal(wo_transition(x->s, &x->sec1, id, &w, &F), 0);
	must(x, &x->desk, id, "approve_extension", unit_local("2025-09-29 11:00"));
	o = get(x, id);
	assert_string_equal(unit_shown(o.deadline), "2025-10-14T23:59:59+08:00");	/* 10-10, 10-13, 10-14 */
	assert_int_equal(o.provisional.deadline, accepted);	/* the chain's base, not the old deadline */
	wo_order_release(&o);

	/* The official 2025: Sunday 09-28 worked, 10-01..08 off, Saturday 10-11 worked: the 8 working days after
	 * acceptance end on 10-14 too, which only the chain's base gives (from the old deadline, 3 more official
	 * days after 10-09 would end on 10-13). */
	assert_int_equal(unit_calendar_file(2025, &cf), 1);
	assert_int_equal(wo_calendar_load(x->s, &cf, "test", 0, &changed, &rc, &F), 0);
	assert_int_equal(changed, 1);
	calendar_file_release(&cf);
	assert_int_equal(calendar_deadline(x->s, accepted, 5 + 3, &want, &F), 0);
	o = get(x, id);
	assert_int_equal(o.deadline, want);
	assert_string_equal(unit_shown(o.deadline), "2025-10-14T23:59:59+08:00");
	assert_int_equal(o.provisional.deadline, 0);
	assert_int_equal(o.provisional.sign_deadline, 0);
	wo_order_release(&o);
	assert_true(rc.n >= 1);
	wo_recalc_release(&rc);
}

/* Late signing is counted, not carded. */
static void test_sign_overdue_counted(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00");
	struct wo_sweep_report r;
	struct wo_order o = get(x, id);

	assert_string_equal(unit_shown(o.sign_deadline), "2025-09-02T23:59:59+08:00");
	wo_order_release(&o);
	r = sweep(x, unit_local("2025-09-02 23:59:59"));
	assert_int_equal(r.sign_overdue, 0);
	r = sweep(x, unit_local("2025-09-03 00:00"));
	assert_int_equal(r.sign_overdue, 1);
	assert_int_equal(r.yellow + r.red + r.escalated, 0);
	must(x, &x->sec1, id, "sign", unit_local("2025-09-03 10:00"));
	r = sweep(x, unit_local("2025-09-03 11:00"));
	assert_int_equal(r.sign_overdue, 0);
}

/* Cost, batches, dry runs. */

static void plan_uses(struct store *s, const char *sql, const char *index)
{
	struct buf q = BUF_INIT;
	struct store_stmt *st;
	int found = 0, rc;

	buf_init(&q);
	buf_addf(&q, "EXPLAIN QUERY PLAN %s", sql);
	st = store_prepare(s, q.data);
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *detail = store_column_text(st, 3);

		if (strstr(detail, "SCAN"))
			fail_msg("%s: %s", sql, detail);
		if (strstr(detail, index))
			found = 1;
	}
	store_done(st);
	buf_release(&q);
	assert_int_equal(rc, STORE_DONE);
	if (!found)
		fail_msg("%s does not use %s", sql, index);
}

/*
 * 10,000 orders that are not due: four in five open and due from December,
 * one in five overdue and red at the subdistrict already (nothing is left to
 * do for them: the backlog a sweep must not read again and again).
 */
static const char SQL_CLONE[] =
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)"
	" INSERT INTO work_orders (subdistrict_id, number, source, type, category_id, urgency, node_id, text, state,"
	" handler_node_id, created_by, received_at, accepted_at, dispatched_at, signed_at, sign_deadline, return_deadline,"
	" deadline, card, created_at, updated_at)"
	" SELECT w.subdistrict_id, 'CLONE' || n.i, w.source, w.type, w.category_id, w.urgency, w.node_id, w.text,"
	" CASE WHEN n.i % 3 = 0 AND n.i % 5 <> 0 THEN 'dispatched' ELSE 'in_progress' END,"
	" CASE WHEN n.i % 5 = 0 THEN ? ELSE w.handler_node_id END, w.created_by, w.received_at,"
	" w.accepted_at, w.dispatched_at, w.signed_at, w.sign_deadline, w.return_deadline,"
	" CASE WHEN n.i % 5 = 0 THEN w.deadline - 100 * 86400 ELSE w.deadline + (n.i % 40) * 86400 END,"
	" CASE WHEN n.i % 5 = 0 THEN 'red' ELSE 'none' END, w.created_at, w.updated_at FROM work_orders w, n WHERE w.id = ?";

static void plans_use_the_sweep_indexes(struct store *s)
{
	plan_uses(s, SQL_DUE_CARD, "work_orders_sweep_card");
	plan_uses(s, SQL_DUE_CLIMB, "work_orders_sweep_escalate");
	plan_uses(s, SQL_SIGN_OVERDUE, "work_orders_sign_due");
}

/* DOMAIN/issue: the sweep's cost follows the orders that are due, never the number of orders. */
static void test_cost_follows_due_orders(void **state)
{
	struct fx *x = *state;
	int64_t template = due_order(x, "2025-12-01 09:00"), ids[5], n = 0;
	struct wo_sweep_report r;
	struct store_stmt *st;
	int i;

	for (i = 0; i < 5; i++)
		ids[i] = due_order(x, "2025-09-01 09:00");
	must(x, &x->sec1, template, "sign", unit_local("2025-12-01 10:00"));
	st = store_prepare(x->s, SQL_CLONE);
	store_bind_int64(st, 1, x->sub);
	store_bind_int64(st, 2, template);
	assert_int_equal(store_step_done(st), STORE_OK);
	assert_int_equal(store_query_int64(x->s, "SELECT count(*) FROM work_orders", &n, 0), STORE_OK);
	assert_int_equal(n, 10006);

	/* As of 2025-10-20 the five are long overdue; none of the 10,001 others has anything due. */
	r = sweep(x, unit_local("2025-10-20 09:00"));
	assert_int_equal(r.examined, 5);
	assert_int_equal(r.red, 5);
	assert_int_equal(r.escalated, 5);
	assert_int_equal(r.yellow, 0);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.sign_overdue, 0);
	assert_int_equal(store_query_int64(x->s, "SELECT count(*) FROM work_orders WHERE escalations > 0", &n, 0),
			 STORE_OK);
	assert_int_equal(n, 5);
	r = sweep(x, unit_local("2025-10-20 09:00"));
	assert_nothing(&r);
	for (i = 0; i < 5; i++)
		assert_int_equal(climb_at(x, ids[i]), -1);

	/* Every query is a range of its partial index, never a scan: as SQLite guesses, and with statistics. */
	plans_use_the_sweep_indexes(x->s);
	exec(x->s, "ANALYZE");
	plans_use_the_sweep_indexes(x->s);
}

/* Batches of two, one order that fails (an event after the sweep's now): the others are carded. */
static void test_batches_and_a_failing_order(void **state)
{
	struct fx *x = *state;
	int64_t ids[5], d, bad;
	struct wo_sweep_report r;
	int i;

	no_escalation(x);
	x->pol.batch = 2;
	for (i = 0; i < 5; i++)
		ids[i] = due_order(x, "2025-09-01 09:00");
	d = deadline_of(x, ids[0]);
	bad = ids[2];
	must(x, &x->desk, bad, "supervise", d + 7200);
	r = sweep(x, d + 3600);
	assert_int_equal(r.red, 4);
	assert_int_equal(r.errors, 1);
	assert_int_equal(r.first_error_order, bad);
	assert_string_equal(r.first_error.field, "at");
	assert_int_equal(r.examined, 5);
	assert_int_equal(r.batches, 3);
	for (i = 0; i < 5; i++) {
		struct wo_order o = get(x, ids[i]);

		assert_string_equal(o.card, ids[i] == bad ? "none" : "red");
		wo_order_release(&o);
	}
	/* The failed one is read again by the next run, and only it. */
	r = sweep(x, d + 3600);
	assert_int_equal(r.red, 0);
	assert_int_equal(r.errors, 1);
	assert_int_equal(r.examined, 1);
	r = sweep(x, d + 7200);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.errors, 0);
}

static int count_batches(const struct wo_sweep_report *r, void *arg)
{
	int *n = arg;

	YL_UNUSED(r);
	return ++*n >= 2;	/* stop after the second batch */
}

static void test_progress_stops_a_run(void **state)
{
	struct fx *x = *state;
	int64_t d = 0;
	struct wo_sweep_report r;
	int i, calls = 0;

	no_escalation(x);
	for (i = 0; i < 7; i++)
		d = deadline_of(x, due_order(x, "2025-09-01 09:00"));
	x->pol.batch = 2;
	x->pol.progress = count_batches;
	x->pol.progress_arg = &calls;
	r = sweep(x, d + 1);
	assert_int_equal(r.stopped, 1);
	assert_int_equal(r.red, 4);
	assert_int_equal(calls, 2);
	x->pol.progress = NULL;
	r = sweep(x, d + 1);
	assert_int_equal(r.red, 3);
	assert_int_equal(r.stopped, 0);
}

static void test_dry_run_writes_nothing(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00"), d = deadline_of(x, id);
	size_t n = event_count(x, id);
	struct wo_sweep_report r;
	struct wo_order o;

	x->pol.dry_run = 1;
	r = sweep(x, d + 1);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 1);
	r = sweep(x, d + 1);
	assert_int_equal(r.red, 1);
	o = get(x, id);
	assert_string_equal(o.card, "none");
	assert_int_equal(o.handler_node_id, x->y1);
	wo_order_release(&o);
	assert_int_equal(event_count(x, id), n);
	assert_int_equal(climb_at(x, id), -1);
	x->pol.dry_run = 0;
	r = sweep(x, d + 1);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 1);
	assert_int_equal(event_count(x, id), n + 2);
}

/* A sweep is never dated ahead of the clock. */
static void test_now_in_the_future_refused(void **state)
{
	struct fx *x = *state;
	struct wo_sweep_report r;

	assert_int_equal(wo_sweep(x->s, wo_now() + 3600, &x->pol, &r, &F), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	assert_string_equal(F.field, "now");
	/* Today, with the policy from the table. */
	assert_int_equal(wo_sweep(x->s, wo_now(), NULL, &r, &F), 0);
}

/* The lease. */

static void test_lease(void **state)
{
	struct fx *x = *state;
	struct wo_sweep_lease other;
	int got;

	assert_int_equal(wo_sweep_lease_take(x->s, WO_SWEEP_LEASE, "A", 1000, 60, &got, &other, &F), 0);
	assert_int_equal(got, 1);
	assert_int_equal(wo_sweep_lease_take(x->s, WO_SWEEP_LEASE, "B", 1010, 60, &got, &other, &F), 0);
	assert_int_equal(got, 0);
	assert_string_equal(other.holder, "A");
	assert_int_equal(other.until, 1060);
	/* Its holder takes it again, for another period. */
	assert_int_equal(wo_sweep_lease_take(x->s, WO_SWEEP_LEASE, "A", 1030, 60, &got, NULL, &F), 0);
	assert_int_equal(got, 1);
	assert_int_equal(wo_sweep_lease_take(x->s, WO_SWEEP_LEASE, "B", 1090, 60, &got, &other, &F), 0);
	assert_int_equal(got, 0);
	assert_int_equal(other.until, 1090);
	/* Expired: the other takes it. */
	assert_int_equal(wo_sweep_lease_take(x->s, WO_SWEEP_LEASE, "B", 1091, 60, &got, NULL, &F), 0);
	assert_int_equal(got, 1);
	/* Only the holder gives it back. */
	assert_int_equal(wo_sweep_lease_release(x->s, WO_SWEEP_LEASE, "A", &F), 0);
	assert_int_equal(wo_sweep_lease_take(x->s, WO_SWEEP_LEASE, "A", 1092, 60, &got, &other, &F), 0);
	assert_int_equal(got, 0);
	assert_string_equal(other.holder, "B");
	assert_int_equal(wo_sweep_lease_release(x->s, WO_SWEEP_LEASE, "B", &F), 0);
	assert_int_equal(wo_sweep_lease_take(x->s, WO_SWEEP_LEASE, "A", 1093, 60, &got, NULL, &F), 0);
	assert_int_equal(got, 1);
	/* A lease of another name is made on first use. */
	assert_int_equal(wo_sweep_lease_take(x->s, "other", "B", 1093, 60, &got, NULL, &F), 0);
	assert_int_equal(got, 1);
}

/* Two sweepers (two servers) at the same period: the one that takes the lease sweeps, the other does not. */
static int sweeper(struct fx *x, const char *holder, int64_t now, struct wo_sweep_report *r)
{
	struct wo_sweep_policy p = x->pol;
	int got = 0;

	memset(r, 0, sizeof(*r));
	if (wo_sweep_lease_take(x->s, WO_SWEEP_LEASE, holder, wo_now(), 60, &got, NULL, &F) < 0)
		fail_msg("lease: %s", F.message);
	if (!got)
		return 0;
	p.lease_holder = holder;
	p.lease_seconds = 60;
	if (wo_sweep(x->s, now, &p, r, &F) < 0)
		fail_msg("sweep: %s", F.message);
	return 1;
}

static void test_two_sweepers_one_runs(void **state)
{
	struct fx *x = *state;
	int64_t id = due_order(x, "2025-09-01 09:00"), d = deadline_of(x, id), other;
	struct wo_sweep_report ra, rb;
	struct wo_sweep_policy p;
	struct wo_order o;

	no_escalation(x);
	assert_int_equal(sweeper(x, "serve@one:1", d + 1, &ra), 1);
	assert_int_equal(sweeper(x, "serve@two:2", d + 1, &rb), 0);
	assert_int_equal(ra.red, 1);
	assert_int_equal(rb.red, 0);
	/* The holder sweeps again next period. */
	assert_int_equal(sweeper(x, "serve@one:1", d + 2, &ra), 1);

	/* A sweeper that lost its lease (it ran past it, another took it) commits nothing more and stops. */
	other = due_order(x, "2025-09-01 09:00");
	exec(x->s, "UPDATE sweeper_lease SET holder = 'serve@two:2', until = 4102444800");
	p = x->pol;
	p.lease_holder = "serve@one:1";
	p.lease_seconds = 60;
	assert_int_equal(wo_sweep(x->s, d + 3, &p, &ra, &F), -1);
	assert_string_equal(F.code, WO_SWEEP_LEASE_LOST);
	assert_int_equal(ra.red, 0);
	o = get(x, other);
	assert_string_equal(o.card, "none");
	wo_order_release(&o);
	/* A dry run needs no lease. */
	p.dry_run = 1;
	assert_int_equal(wo_sweep(x->s, d + 3, &p, &ra, &F), 0);
	assert_int_equal(ra.red, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_yellow_at_the_instant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_red_on_the_first_overdue_second, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cards_are_the_systems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalation_climbs_one_level_a_period, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalation_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_change_reschedules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_return_request_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manual_escalation_deadlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spring_festival_2026, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_calendar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recount_keeps_the_extension, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sign_overdue_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cost_follows_due_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batches_and_a_failing_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_stops_a_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_now_in_the_future_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lease, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_sweepers_one_runs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
