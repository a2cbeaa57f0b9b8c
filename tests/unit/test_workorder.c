/*
 * test_workorder.c - the rules of src/workorder/: intake, numbers, routing,
 * the transition table (every action from every state), deadlines on the
 * working-day calendar, and personal data at rest.  A fresh database each,
 * with the shipped calendars (share/calendar/YYYY.csv, run from the project root).
 */
#include "unit.h"

#include "auth/auth.h"
#include "auth/pii.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"
#include "workorder/wo_internal.h"
#include "workorder/workorder.h"

#define ALL_PERMS "workorder.create,workorder.read,workorder.read_all,workorder.act,workorder.dispatch,workorder.handle,workorder.review"
#define SEC_PERMS "workorder.create,workorder.read,workorder.read_all,workorder.act,workorder.handle"
#define GRID_PERMS "workorder.create,workorder.read,workorder.read_all"
#define RIDER_PERMS "workorder.create,workorder.read"

#define CAT_ENV_CLEAN 2		/* 市容环境 > 环境卫生 */
#define CAT_PROP 5		/* 城乡建设 */
#define CAT_PROP_MGMT 6		/* 城乡建设 > 物业管理 */
#define CAT_PROP_REPAIR 7	/* 城乡建设 > 房屋维修 */
#define CAT_HEAT 8		/* 城乡建设 > 供暖: route_level community */
#define CAT_SOCIAL 21		/* 民生服务 > 社保低保: route_level subdistrict */

/*
 *   sub 明水街道
 *     com 龙泉社区:  y1 君临天下 > b1 1号楼 > h1 101;  y2 泉景
 *     com2 燕山社区: y3 燕山小区
 *   other 刁镇街道 (another subdistrict) > ocom
 */
struct fx {
	struct store *s;
	int64_t sub, com, y1, y2, b1, h1, com2, y3, other, ocom;
	struct actor admin, desk, street, sec1, sec3, grid, rider;
	int64_t t0;			/* 2025-09-01 09:00 +08:00, a Monday */
};

static struct fault F;

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	x->s = unit_db_open();
	if (!x->s) {
		free(x);
		return -1;
	}
	unit_load_calendars(x->s);
	x->sub = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "明水街道");
	x->com = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "龙泉社区");
	x->y1 = unit_node(x->s, x->com, LEVEL_COURTYARD, "君临天下");
	x->y2 = unit_node(x->s, x->com, LEVEL_COURTYARD, "泉景");
	x->b1 = unit_node(x->s, x->y1, LEVEL_BUILDING, "1号楼");
	x->h1 = unit_node(x->s, x->b1, LEVEL_HOUSEHOLD, "101");
	x->com2 = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "燕山社区");
	x->y3 = unit_node(x->s, x->com2, LEVEL_COURTYARD, "燕山小区");
	x->other = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "刁镇街道");
	x->ocom = unit_node(x->s, x->other, LEVEL_COMMUNITY, "刁镇社区");
	unit_actor(&x->admin, 1, "admin", 0, ALL_PERMS);
	unit_actor(&x->desk, 2, "desk", x->com, ALL_PERMS);
	unit_actor(&x->street, 3, "street", x->sub, ALL_PERMS);
	unit_actor(&x->sec1, 4, "sec1", x->y1, SEC_PERMS);
	unit_actor(&x->sec3, 5, "sec3", x->y3, SEC_PERMS);
	unit_actor(&x->grid, 6, "grid", x->com, GRID_PERMS);
	unit_actor(&x->rider, 7, "rider", x->com, RIDER_PERMS);
	x->t0 = unit_local("2025-09-01 09:00");
	fault_clear(&F);
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

/* Orders. */

static void report_input(struct fx *x, struct wo_input *in, int64_t when)
{
	memset(in, 0, sizeof(*in));
	in->source = "grid";
	in->type = "complaint";
	in->category_id = CAT_PROP_MGMT;
	in->node_id = x->h1;
	in->text = "3号楼楼道灯坏了";
	in->caller_name = "张女士";
	in->caller_phone = "138 1234 5678";
	in->received_at = when;
}

/* A grid member's report received at when (state received). */
static int64_t new_report(struct fx *x, int64_t when)
{
	struct wo_input in;
	int64_t id = 0;

	report_input(x, &in, when);
	if (wo_create(x->s, &x->grid, &in, &id, NULL, &F) < 0)
		fail_msg("create: %s (%s)", F.message, F.field);
	return id;
}

static struct wo_order get(struct fx *x, int64_t id)
{
	struct wo_order o;

	if (wo_get(x->s, id, &o, &F) < 0)
		fail_msg("get %lld: %s", (long long)id, F.message);
	return o;
}

static char *state_of(struct fx *x, int64_t id)
{
	struct wo_order o = get(x, id);
	char *st = xstrdup(o.state);

	wo_order_release(&o);
	return st;
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

/*
 * Takes an action with whatever it needs ("callback:dissatisfied" for a
 * dissatisfied callback): an opinion always, y1 for a dispatch, 3 days for an
 * extension, satisfied for a callback.
 */
static int act(struct fx *x, const struct actor *a, int64_t id, const char *action, int64_t when)
{
	struct wo_action w;
	char name[40];
	const char *colon = strchr(action, ':');

	memset(&w, 0, sizeof(w));
	snprintf(name, sizeof(name), "%.*s", colon ? (int)(colon - action) : (int)strlen(action), action);
	w.action = name;
	w.opinion = "处理意见";
	w.at = when;
	if (!strcmp(name, "dispatch"))
		w.node_id = x->y1;
	if (!strcmp(name, "reassign"))
		w.node_id = x->y2;	/* from y1, where every path dispatches */
	if (!strcmp(name, "request_extension"))
		w.days = 3;
	if (!strcmp(name, "callback"))
		w.satisfaction = colon ? colon + 1 : "satisfied";
	fault_clear(&F);
	return wo_transition(x->s, a, id, &w, &F);
}

static void must(struct fx *x, const struct actor *a, int64_t id, const char *action, int64_t when)
{
	if (act(x, a, id, action, when) < 0)
		fail_msg("%s on order %lld: %s (%s)", action, (long long)id, F.message, F.field);
}

/* The actions that bring a fresh report into each state. */
static const char *const paths[WO_NSTATES][8] = {
	[WO_RECEIVED] = { NULL },
	[WO_ACCEPTED] = { "accept", NULL },
	[WO_ANSWERED] = { "accept", "answer", NULL },
	[WO_DISPATCHED] = { "accept", "dispatch", NULL },
	[WO_RETURN_REQUESTED] = { "accept", "dispatch", "request_return", NULL },
	[WO_IN_PROGRESS] = { "accept", "dispatch", "sign", NULL },
	[WO_REPLIED] = { "accept", "dispatch", "sign", "reply", NULL },
	[WO_REVIEWED] = { "accept", "dispatch", "sign", "reply", "approve_review", NULL },
	[WO_DISSATISFIED] = { "accept", "dispatch", "sign", "reply", "approve_review", "callback:dissatisfied", NULL },
	[WO_CLOSED] = { "accept", "dispatch", "sign", "reply", "approve_review", "callback", NULL },
};

/* A report received at t0, brought into state by the administrator a minute a step; *last: the last step's time. */
static int64_t in_state(struct fx *x, enum wo_state st, int64_t *last)
{
	int64_t id = new_report(x, x->t0), t = x->t0;
	char *now;
	int i;

	for (i = 0; paths[st][i]; i++) {
		t += 60;
		must(x, &x->admin, id, paths[st][i], t);
	}
	now = state_of(x, id);
	assert_string_equal(now, wo_state_name(st));
	free(now);
	if (last)
		*last = t;
	return id;
}

/* The transition table, every row. */

static void test_every_action_from_its_states(void **state)
{
	struct fx *x = *state;
	size_t i, tried = 0;
	int st;

	for (i = 0; i < wo_rule_count(); i++) {
		struct wo_rule_view r;

		wo_rule_get(i, &r);
		if (!strcmp(r.permission, "system"))
			continue;	/* the system's own actions (cards): tests/unit/test_sweep.c */
		for (st = 0; st < WO_NSTATES; st++) {
			struct wo_event_list ev;
			struct wo_order o;
			int64_t last, id, t;
			size_t before;

			if (!(r.from & WO_BIT(st)))
				continue;
			id = in_state(x, (enum wo_state)st, &last);
			t = last + 60;
			/* The action's own rule: a decision needs a request; a supervision an overdue order. */
			if (!strcmp(r.action, "approve_extension") || !strcmp(r.action, "refuse_extension")) {
				must(x, &x->admin, id, "request_extension", t);
				t += 60;
			}
			if (!strcmp(r.action, "supervise") && st != WO_DISSATISFIED)
				t = unit_local("2025-10-01 09:00");
			before = event_count(x, id);
			if (act(x, &x->admin, id, r.action, t) < 0)
				fail_msg("%s from %s: %s", r.action, wo_state_name((enum wo_state)st), F.message);
			tried++;
			o = get(x, id);
			if (r.to)
				assert_string_equal(o.state, r.to);
			else if (!strcmp(r.action, "refuse_return"))
				assert_string_equal(o.state, "dispatched");
			else
				assert_string_equal(o.state, wo_state_name((enum wo_state)st));
			/* Exactly one event, saying what happened. */
			assert_int_equal(wo_events(x->s, id, &ev, &F), 0);
			assert_int_equal(ev.n, before + 1);
			assert_string_equal(ev.items[ev.n - 1].action, r.action);
			assert_string_equal(ev.items[ev.n - 1].from_state, wo_state_name((enum wo_state)st));
			assert_string_equal(ev.items[ev.n - 1].to_state, o.state);
			assert_int_equal(ev.items[ev.n - 1].at, t);
			assert_string_equal(ev.items[ev.n - 1].actor_login, "admin");
			assert_string_equal(ev.items[ev.n - 1].opinion, "处理意见");
			assert_int_equal(ev.items[ev.n - 1].node_id, o.handler_node_id);
			wo_event_list_release(&ev);
			wo_order_release(&o);
		}
	}
	assert_true(tried >= 26);
}

static void test_every_action_refused_from_other_states(void **state)
{
	struct fx *x = *state;
	int64_t ids[WO_NSTATES], last[WO_NSTATES];
	size_t i, refused = 0;
	int st;

	for (st = 0; st < WO_NSTATES; st++)
		ids[st] = in_state(x, (enum wo_state)st, &last[st]);
	for (i = 0; i < wo_rule_count(); i++) {
		struct wo_rule_view r;

		wo_rule_get(i, &r);
		if (!strcmp(r.permission, "system"))
			continue;	/* refused to every user first: tests/unit/test_sweep.c */
		for (st = 0; st < WO_NSTATES; st++) {
			char want[200];
			size_t before;
			char *now;

			if (r.from & WO_BIT(st))
				continue;
			before = event_count(x, ids[st]);
			assert_int_equal(act(x, &x->admin, ids[st], r.action, last[st] + 60), -1);
			assert_int_equal(F.kind, FAULT_CONFLICT);
			assert_string_equal(F.field, "action");
			snprintf(want, sizeof(want), "cannot %s this order: it is %s, and %s is allowed only when it is ", r.action,
				 wo_state_name((enum wo_state)st), r.action);
			if (strncmp(F.message, want, strlen(want)) != 0)
				fail_msg("%s from %s: '%s'", r.action, wo_state_name((enum wo_state)st), F.message);
			/* Nothing written. */
			assert_int_equal(event_count(x, ids[st]), before);
			now = state_of(x, ids[st]);
			assert_string_equal(now, wo_state_name((enum wo_state)st));
			free(now);
			refused++;
		}
	}
	assert_true(refused > 150);
	/* A message in full. */
	assert_int_equal(act(x, &x->admin, ids[WO_RECEIVED], "escalate", last[WO_RECEIVED] + 60), -1);
	assert_string_equal(F.message,
			    "cannot escalate this order: it is received, and escalate is allowed only when it is dispatched or in_progress");
	assert_int_equal(act(x, &x->admin, ids[WO_CLOSED], "supervise", last[WO_CLOSED] + 60), -1);
	assert_string_equal(F.message, "cannot supervise this order: it is closed, and supervise is allowed only when it is"
				       " dispatched, return_requested, in_progress or dissatisfied");
}

/* What wo_allowed_actions offers is what wo_transition would do now. */
static void test_allowed_actions_agree_with_transitions(void **state)
{
	struct fx *x = *state;
	const struct actor *actors[] = { &x->admin, &x->desk, &x->sec1, &x->sec3, &x->grid };
	size_t ai, i, k;
	int st;

	for (st = 0; st < WO_NSTATES; st++) {
		int64_t id = in_state(x, (enum wo_state)st, NULL);
		struct wo_order o = get(x, id);

		for (ai = 0; ai < YL_ARRAY_LEN(actors); ai++) {
			const char *names[WO_MAX_ACTIONS];
			size_t n = wo_allowed_actions(x->s, actors[ai], &o, names, WO_MAX_ACTIONS);

			for (i = 0; i < wo_rule_count(); i++) {
				struct wo_rule_view r;
				int listed = 0, rc;

				wo_rule_get(i, &r);
				for (k = 0; k < n; k++)
					listed |= !strcmp(names[k], r.action);
				assert_int_equal(store_begin_write(x->s), STORE_OK);
				rc = act(x, actors[ai], id, r.action, 0);
				store_rollback(x->s);
				if ((rc == 0) != listed)
					fail_msg("%s by %s on a %s order: transition %s, listed %d (%s)", r.action,
						 actors[ai]->login, o.state, rc == 0 ? "succeeds" : "fails", listed, F.message);
			}
		}
		wo_order_release(&o);
	}
}

/* Deadlines on the working-day calendar. */

static int64_t phone_order(struct fx *x, const char *when, int64_t place)
{
	struct wo_input in;
	int64_t id = 0;

	report_input(x, &in, unit_local(when));
	in.source = "phone";
	in.node_id = place;
	if (wo_create(x->s, &x->admin, &in, &id, NULL, &F) < 0)
		fail_msg("create: %s (%s)", F.message, F.field);
	return id;
}

/* A report received at when, accepted a minute later and dispatched to y1 two minutes later. */
static int64_t dispatched_order(struct fx *x, const char *when)
{
	int64_t t = unit_local(when), id = new_report(x, t);

	must(x, &x->desk, id, "accept", t + 60);
	must(x, &x->desk, id, "dispatch", t + 120);
	return id;
}

static void test_deadlines_across_national_day(void **state)
{
	struct fx *x = *state;
	int64_t started = wo_now(), id = dispatched_order(x, "2025-09-30 10:00");
	struct wo_event_list ev;
	struct wo_order o = get(x, id);

	/* Dispatched on Tuesday 09-30. */
	assert_string_equal(o.state, "dispatched");
	assert_int_equal(o.handler_node_id, x->y1);
	assert_string_equal(o.handler_level, "courtyard");
	assert_int_equal(o.dispatched_at, unit_local("2025-09-30 10:02"));
	/* 10-01 .. 10-08 are the National Day holidays: the next working day is Thursday 10-09. */
	assert_string_equal(unit_shown(o.sign_deadline), "2025-10-09T23:59:59+08:00");
	assert_string_equal(unit_shown(o.return_deadline), "2025-10-10T23:59:59+08:00");
	/* 5 working days: 10-09, 10-10, Saturday 10-11 (a swapped working day), 10-13, 10-14. */
	assert_string_equal(unit_shown(o.deadline), "2025-10-14T23:59:59+08:00");
	wo_order_release(&o);

	/* Taken by phone: accepted and dispatched at intake; the reply deadline counts from the receipt. */
	id = phone_order(x, "2025-09-30 10:00", x->h1);
	o = get(x, id);
	assert_string_equal(o.state, "dispatched");
	assert_int_equal(o.handler_node_id, x->y1);
	assert_int_equal(o.accepted_at, unit_local("2025-09-30 10:00"));
	assert_string_equal(unit_shown(o.deadline), "2025-10-14T23:59:59+08:00");
	/* The handler got it now: its windows count from now. */
	assert_true(o.dispatched_at >= started);
	assert_true(o.sign_deadline > o.dispatched_at);
	wo_order_release(&o);
	assert_int_equal(wo_events(x->s, id, &ev, &F), 0);
	assert_int_equal(ev.n, 2);
	assert_string_equal(ev.items[0].action, "create");
	assert_null(ev.items[0].from_state);
	assert_string_equal(ev.items[0].to_state, "accepted");
	assert_int_equal(ev.items[0].at, unit_local("2025-09-30 10:00"));
	assert_string_equal(ev.items[1].action, "dispatch");
	assert_string_equal(ev.items[1].to_state, "dispatched");
	assert_int_equal(ev.items[1].node_id, x->y1);
	wo_event_list_release(&ev);

	/* A report accepted later counts from the acceptance. */
	id = new_report(x, unit_local("2025-09-26 16:00"));
	must(x, &x->desk, id, "accept", unit_local("2025-09-29 09:00"));
	o = get(x, id);
	/* Monday 09-29: 09-30, then 10-09, 10-10, 10-11, 10-13. */
	assert_string_equal(unit_shown(o.deadline), "2025-10-13T23:59:59+08:00");
	wo_order_release(&o);
}

static void test_return_within_the_limit_only(void **state)
{
	struct fx *x = *state;
	int64_t late = dispatched_order(x, "2025-09-30 10:00"), ok = dispatched_order(x, "2025-09-30 10:05");
	struct wo_order o;

	/* The second working day after dispatch, in the evening: still within the limit. */
	must(x, &x->sec1, ok, "sign", unit_local("2025-10-09 09:00"));
	must(x, &x->sec1, ok, "request_return", unit_local("2025-10-10 20:00"));
	o = get(x, ok);
	assert_string_equal(o.state, "return_requested");
	assert_string_equal(o.return_from, "in_progress");
	wo_order_release(&o);
	/* Refused: the handler keeps it; back where it was. */
	must(x, &x->desk, ok, "refuse_return", unit_local("2025-10-10 21:00"));
	o = get(x, ok);
	assert_string_equal(o.state, "in_progress");
	assert_null(o.return_from);
	assert_int_equal(o.returns, 0);
	wo_order_release(&o);

	assert_int_equal(act(x, &x->sec1, late, "request_return", unit_local("2025-10-11 09:00")), -1);
	assert_int_equal(F.kind, FAULT_CONFLICT);
	assert_string_equal(F.message, "return requests are allowed within 2 working days of dispatch; this order was"
				       " dispatched on 2025-09-30 and the window closed at 2025-10-10 23:59:59");

	/* Approved without a node: back to the desk; with one: straight there. */
	must(x, &x->sec1, late, "request_return", unit_local("2025-10-10 09:00"));
	must(x, &x->desk, late, "approve_return", unit_local("2025-10-10 10:00"));
	o = get(x, late);
	assert_string_equal(o.state, "accepted");
	assert_int_equal(o.handler_node_id, 0);
	assert_int_equal(o.returns, 1);
	assert_int_equal(o.sign_deadline, 0);
	wo_order_release(&o);
	must(x, &x->desk, late, "dispatch", unit_local("2025-10-10 11:00"));
	must(x, &x->sec1, late, "request_return", unit_local("2025-10-10 12:00"));
	{
		struct wo_action w = { .action = "approve_return", .node_id = x->y2, .at = unit_local("2025-10-10 13:00") };

		assert_int_equal(wo_transition(x->s, &x->desk, late, &w, &F), 0);
	}
	o = get(x, late);
	assert_string_equal(o.state, "dispatched");
	assert_int_equal(o.handler_node_id, x->y2);
	assert_int_equal(o.returns, 2);
	/* A new dispatch, a new return window: Friday 10-10 -> Saturday 10-11 and Monday 10-13. */
	assert_string_equal(unit_shown(o.return_deadline), "2025-10-13T23:59:59+08:00");
	/* The reply deadline stands. */
	assert_string_equal(unit_shown(o.deadline), "2025-10-14T23:59:59+08:00");
	wo_order_release(&o);
}

static int ask_extension(struct fx *x, int64_t id, int days, int64_t when)
{
	struct wo_action w = { .action = "request_extension", .opinion = "需协调物业", .days = days, .at = when };

	fault_clear(&F);
	return wo_transition(x->s, &x->sec1, id, &w, &F);
}

static void test_extensions_total_at_most_the_limit(void **state)
{
	struct fx *x = *state;
	int64_t id = dispatched_order(x, "2025-09-30 10:00");
	struct wo_order o;

	must(x, &x->sec1, id, "sign", unit_local("2025-10-09 09:00"));
	assert_int_equal(ask_extension(x, id, 11, unit_local("2025-10-09 10:00")), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	assert_string_equal(F.field, "days");
	assert_int_equal(ask_extension(x, id, 6, unit_local("2025-10-09 10:00")), 0);
	/* One request at a time. */
	assert_int_equal(ask_extension(x, id, 1, unit_local("2025-10-09 10:30")), -1);
	assert_int_equal(F.kind, FAULT_CONFLICT);
	assert_string_equal(F.message, "an extension of 6 working days is already waiting for a decision");
	/* Only the desk decides. */
	assert_int_equal(act(x, &x->sec1, id, "approve_extension", unit_local("2025-10-09 11:00")), -1);
	assert_int_equal(F.kind, FAULT_FORBIDDEN);
	must(x, &x->desk, id, "approve_extension", unit_local("2025-10-09 11:00"));
	o = get(x, id);
	/* 10-14 + 6 working days: 10-15, 16, 17, 20, 21, 22. */
	assert_string_equal(unit_shown(o.deadline), "2025-10-22T23:59:59+08:00");
	assert_int_equal(o.extensions, 1);
	assert_int_equal(o.extension_days_granted, 6);
	assert_int_equal(o.extension_days_requested, 0);
	wo_order_release(&o);
	/* 4 days are left of 10. */
	assert_int_equal(ask_extension(x, id, 5, unit_local("2025-10-15 09:00")), -1);
	assert_string_equal(F.field, "days");
	assert_string_equal(F.message,
			    "days must be from 1 to 4: extensions are 10 working days at most in all, 6 already granted");
	assert_int_equal(ask_extension(x, id, 2, unit_local("2025-10-15 09:00")), 0);
	must(x, &x->desk, id, "refuse_extension", unit_local("2025-10-15 10:00"));
	o = get(x, id);
	assert_int_equal(o.extension_days_requested, 0);
	assert_string_equal(unit_shown(o.deadline), "2025-10-22T23:59:59+08:00");
	wo_order_release(&o);
	assert_int_equal(act(x, &x->desk, id, "approve_extension", unit_local("2025-10-15 11:00")), -1);
	assert_string_equal(F.message, "no extension request is waiting for a decision");
	assert_int_equal(ask_extension(x, id, 4, unit_local("2025-10-16 09:00")), 0);
	must(x, &x->desk, id, "approve_extension", unit_local("2025-10-16 10:00"));
	o = get(x, id);
	assert_string_equal(unit_shown(o.deadline), "2025-10-28T23:59:59+08:00");
	assert_int_equal(o.extensions, 2);
	assert_int_equal(o.extension_days_granted, 10);
	wo_order_release(&o);
	assert_int_equal(ask_extension(x, id, 1, unit_local("2025-10-17 09:00")), -1);
	assert_string_equal(F.message, "this order has had all the extension allowed: 10 working days in all");

	/* After the deadline, no extension is asked. */
	id = dispatched_order(x, "2025-09-30 11:00");
	must(x, &x->sec1, id, "sign", unit_local("2025-10-09 09:00"));
	assert_int_equal(ask_extension(x, id, 2, unit_local("2025-10-15 09:00")), -1);
	assert_string_equal(F.message, "an extension is asked before the deadline; this order was due at 2025-10-14 23:59:59");
}

static void test_callback_paths_and_redo(void **state)
{
	struct fx *x = *state;
	int64_t t = x->t0, id = new_report(x, t);
	struct wo_action cb = { .action = "callback", .satisfaction = "basically_satisfied", .set_resolved = 1,
				.resolved = 1 };
	struct wo_order o;

	/* 直办: the community answers itself; basically satisfied closes it. */
	must(x, &x->desk, id, "accept", t += 60);
	must(x, &x->desk, id, "answer", t += 60);
	o = get(x, id);
	assert_string_equal(o.state, "answered");
	assert_int_equal(o.handler_node_id, x->com);
	assert_string_equal(o.settled_level, "community");
	wo_order_release(&o);
	cb.at = t += 60;
	assert_int_equal(wo_transition(x->s, &x->desk, id, &cb, &F), 0);
	o = get(x, id);
	assert_string_equal(o.state, "closed");
	assert_string_equal(o.satisfaction, "basically_satisfied");
	assert_int_equal(o.resolved, 1);
	assert_int_equal(o.closed_at, t);
	wo_order_release(&o);

	/* Dissatisfied: redo (counted), reply again, dissatisfied again, then closed by the reviewer. */
	id = in_state(x, WO_DISSATISFIED, &t);
	o = get(x, id);
	assert_string_equal(o.satisfaction, "dissatisfied");
	assert_int_equal(o.resolved, -1);
	assert_int_equal(o.closed_at, 0);
	assert_string_equal(o.settled_level, "courtyard");
	wo_order_release(&o);
	must(x, &x->desk, id, "redo", unit_local("2025-09-03 09:00"));
	o = get(x, id);
	assert_string_equal(o.state, "in_progress");
	assert_int_equal(o.redos, 1);
	assert_null(o.settled_level);
	/* A new reply period from the redo: Wednesday 09-03 + 5 working days. */
	assert_string_equal(unit_shown(o.deadline), "2025-09-10T23:59:59+08:00");
	wo_order_release(&o);
	must(x, &x->sec1, id, "reply", unit_local("2025-09-04 09:00"));
	must(x, &x->desk, id, "reject_review", unit_local("2025-09-04 10:00"));
	assert_int_equal(act(x, &x->desk, id, "reject_review", unit_local("2025-09-04 10:30")), -1);
	must(x, &x->sec1, id, "reply", unit_local("2025-09-04 11:00"));
	must(x, &x->desk, id, "approve_review", unit_local("2025-09-04 12:00"));
	must(x, &x->desk, id, "callback:dissatisfied", unit_local("2025-09-04 13:00"));
	assert_int_equal(act(x, &x->desk, id, "close", unit_local("2025-09-04 14:00")), 0);
	o = get(x, id);
	assert_string_equal(o.state, "closed");
	assert_int_equal(o.redos, 1);
	assert_string_equal(o.settled_level, "courtyard");
	wo_order_release(&o);

	/* Satisfaction is one of three words; resolved belongs to callbacks only. */
	id = in_state(x, WO_REVIEWED, &t);
	cb.satisfaction = "happy";
	cb.at = t + 60;
	assert_int_equal(wo_transition(x->s, &x->desk, id, &cb, &F), -1);
	assert_string_equal(F.field, "satisfaction");
	{
		struct wo_action w = { .action = "approve_review", .set_resolved = 1, .resolved = 1 };

		assert_int_equal(wo_transition(x->s, &x->desk, id, &w, &F), -1);
		assert_string_equal(F.field, "resolved");
	}
}

static void test_reopen_window(void **state)
{
	struct fx *x = *state;
	int64_t t, id = in_state(x, WO_CLOSED, &t), refused;
	struct wo_order o;

	assert_int_equal(act(x, &x->desk, id, "reopen", t + 31 * 86400), -1);
	assert_int_equal(F.kind, FAULT_CONFLICT);
	assert_string_equal(F.message, "a closed order may be reopened within 30 days of closing; this order was closed on 2025-09-01");
	must(x, &x->desk, id, "reopen", t + 29 * 86400);
	o = get(x, id);
	assert_string_equal(o.state, "in_progress");
	assert_int_equal(o.reopens, 1);
	assert_int_equal(o.closed_at, 0);
	assert_null(o.satisfaction);
	assert_int_equal(o.handler_node_id, x->y1);
	wo_order_release(&o);

	/* Refused at intake: never handled, so it goes back to the desk. */
	refused = new_report(x, x->t0);
	must(x, &x->desk, refused, "refuse", x->t0 + 60);
	must(x, &x->desk, refused, "reopen", x->t0 + 120);
	o = get(x, refused);
	assert_string_equal(o.state, "accepted");
	assert_true(o.deadline > 0);
	wo_order_release(&o);
}

static void test_escalation_chain(void **state)
{
	struct fx *x = *state;
	int64_t id = dispatched_order(x, "2025-09-01 09:00");
	struct wo_event_list ev;
	struct wo_order o;

	must(x, &x->sec1, id, "sign", x->t0 + 180);
	must(x, &x->sec1, id, "escalate", x->t0 + 240);
	o = get(x, id);
	assert_string_equal(o.state, "dispatched");
	assert_int_equal(o.handler_node_id, x->com);
	assert_string_equal(o.handler_level, "community");
	assert_int_equal(o.escalations, 1);
	assert_int_equal(o.signed_at, 0);
	wo_order_release(&o);
	/* The courtyard still sees the order of its place, but no longer handles it. */
	assert_int_equal(act(x, &x->sec1, id, "sign", x->t0 + 300), -1);
	assert_int_equal(F.kind, FAULT_FORBIDDEN);
	must(x, &x->desk, id, "sign", x->t0 + 300);
	must(x, &x->desk, id, "escalate", x->t0 + 360);
	o = get(x, id);
	assert_int_equal(o.handler_node_id, x->sub);
	assert_string_equal(o.handler_level, "subdistrict");
	assert_int_equal(o.escalations, 2);
	wo_order_release(&o);
	assert_int_equal(act(x, &x->street, id, "escalate", x->t0 + 420), -1);
	assert_int_equal(F.kind, FAULT_CONFLICT);
	assert_string_equal(F.message, "this order is already handled by the subdistrict: there is no level above it");
	/* Settled where it was replied. */
	must(x, &x->street, id, "sign", x->t0 + 420);
	must(x, &x->street, id, "reply", x->t0 + 480);
	o = get(x, id);
	assert_string_equal(o.settled_level, "subdistrict");
	wo_order_release(&o);
	assert_int_equal(wo_events(x->s, id, &ev, &F), 0);
	assert_string_equal(ev.items[4].action, "escalate");
	assert_int_equal(ev.items[4].node_id, x->com);
	assert_non_null(strstr(ev.items[4].detail, "龙泉社区 (community"));
	wo_event_list_release(&ev);
}

/* Routing. */

static void route(struct fx *x, int64_t cat, const char *type, int64_t place, struct wo_route *r)
{
	if (wo_route(x->s, cat, type, place, r, &F) < 0)
		fail_msg("route: %s", F.message);
}

static void test_routing(void **state)
{
	struct fx *x = *state;
	struct wo_route r;
	int64_t id;
	struct wo_order o;

	/* By default, the courtyard holding the place. */
	route(x, CAT_PROP_MGMT, "complaint", x->h1, &r);
	assert_int_equal(r.node_id, x->y1);
	assert_string_equal(r.level, "courtyard");
	assert_string_equal(r.why, "default");
	assert_int_equal(r.exact, 1);
	route(x, CAT_PROP_MGMT, "complaint", x->y1, &r);
	assert_int_equal(r.node_id, x->y1);
	/* A report (举报) goes to the community: the seeded rule. */
	route(x, CAT_PROP_MGMT, "report", x->h1, &r);
	assert_int_equal(r.node_id, x->com);
	assert_string_equal(r.why, "rule");
	/* Heating is a community matter: the category's level. */
	route(x, CAT_HEAT, "help", x->h1, &r);
	assert_int_equal(r.node_id, x->com);
	assert_string_equal(r.why, "category");
	route(x, CAT_SOCIAL, "help", x->b1, &r);
	assert_int_equal(r.node_id, x->sub);
	/* A place known only down to the community stays there. */
	route(x, CAT_PROP_MGMT, "complaint", x->com, &r);
	assert_int_equal(r.node_id, x->com);
	assert_string_equal(r.level, "courtyard");
	assert_int_equal(r.exact, 0);

	/* A staff order whose place is above the wanted level waits for a person to dispatch it. */
	id = phone_order(x, "2025-09-01 09:00", x->com);
	o = get(x, id);
	assert_string_equal(o.state, "accepted");
	assert_int_equal(o.handler_node_id, 0);
	assert_true(o.deadline > 0);
	wo_order_release(&o);

	/* The most specific rule wins: category and type, then category, then its parent. */
	assert_int_equal(store_exec(x->s, "INSERT INTO wo_routing_rules (category_id, type, route_level) VALUES"
					  " (6, 'complaint', 'subdistrict'), (5, NULL, 'community')"),
			 STORE_OK);
	route(x, CAT_PROP_MGMT, "complaint", x->h1, &r);
	assert_int_equal(r.node_id, x->sub);
	route(x, CAT_PROP_MGMT, "help", x->h1, &r);
	assert_int_equal(r.node_id, x->com);
	route(x, CAT_PROP_REPAIR, "complaint", x->h1, &r);
	assert_int_equal(r.node_id, x->com);
	route(x, CAT_ENV_CLEAN, "complaint", x->h1, &r);
	assert_int_equal(r.node_id, x->y1);

	assert_int_equal(wo_route(x->s, CAT_PROP_MGMT, "help", 999999, &r, &F), -1);
	assert_string_equal(F.field, "node_id");
}

/* Intake. */

static void test_numbers_and_intake_checks(void **state)
{
	struct fx *x = *state;
	struct wo_input in;
	struct wo_order o;
	int64_t a = new_report(x, x->t0), b = new_report(x, x->t0 + 3600), id;

	o = get(x, a);
	assert_string_equal(o.number, "YL2025090100001");
	assert_string_equal(o.category_path, "城乡建设 > 物业管理");
	assert_string_equal(o.state, "received");
	assert_int_equal(o.deadline, 0);
	assert_int_equal(o.created_by, x->grid.user_id);
	wo_order_release(&o);
	assert_int_equal(wo_get_by_number(x->s, "YL2025090100002", &o, &F), 0);
	assert_int_equal(o.id, b);
	wo_order_release(&o);
	/* Local date: 2025-09-01 23:30 +08:00 is still the first of September. */
	id = new_report(x, unit_local("2025-09-01 23:30"));
	o = get(x, id);
	assert_string_equal(o.number, "YL2025090100003");
	wo_order_release(&o);

	report_input(x, &in, 0);
	in.type = "praise";
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), -1);
	assert_string_equal(F.field, "type");
	report_input(x, &in, 0);
	in.text = "  ";
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), -1);
	assert_string_equal(F.field, "text");
	report_input(x, &in, 0);
	in.caller_phone = "12345";
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), -1);
	assert_string_equal(F.field, "caller_phone");
	report_input(x, &in, 0);
	in.category_id = 999;
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), -1);
	assert_string_equal(F.field, "category_id");
	report_input(x, &in, 0);
	in.node_id = x->y3;		/* outside the grid member's community */
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), -1);
	assert_string_equal(F.field, "node_id");
	assert_int_equal(F.kind, FAULT_INVALID);
	report_input(x, &in, 0);
	in.source = "walk_in";		/* accepted at intake: the desk's to enter */
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), -1);
	assert_int_equal(F.kind, FAULT_FORBIDDEN);
	assert_string_equal(F.field, "source");
	report_input(x, &in, 0);
	in.received_at = wo_now() + 3600;
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), -1);
	assert_string_equal(F.field, "received_at");
	/* Nothing was written by the refusals, not even a number. */
	report_input(x, &in, x->t0);
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), 0);
	o = get(x, id);
	assert_string_equal(o.number, "YL2025090100004");
	wo_order_release(&o);
	/* A year without a calendar never refuses an order: its deadline is counted on the provisional
	 * calendar and marked, from the instant of receipt. */
	assert_int_equal(store_exec(x->s, "DELETE FROM calendar_days WHERE year = 2025;"
					  " DELETE FROM calendar_years WHERE year = 2025"),
			 STORE_OK);
	report_input(x, &in, x->t0);
	in.source = "phone";
	assert_int_equal(wo_create(x->s, &x->admin, &in, &id, NULL, &F), 0);
	o = get(x, id);
	assert_true(o.deadline > 0);
	assert_int_equal(o.provisional.deadline, x->t0);
	wo_order_release(&o);
}

static int64_t count_orders(struct fx *x)
{
	int64_t n = -1;

	assert_int_equal(store_query_int64(x->s, "SELECT COUNT(*) FROM work_orders", &n, 0), STORE_OK);
	return n;
}

static void test_idempotency_key(void **state)
{
	struct fx *x = *state;
	struct wo_input in;
	int64_t first = 0, again = 0, other = 0;
	int replayed = -1;

	report_input(x, &in, x->t0);
	in.idempotency_key = "c0ffee-42";
	assert_int_equal(wo_create(x->s, &x->grid, &in, &first, &replayed, &F), 0);
	assert_int_equal(replayed, 0);
	/* The first attempt's row exists (its answer was lost): the retry gets it back. */
	assert_int_equal(wo_create(x->s, &x->grid, &in, &again, &replayed, &F), 0);
	assert_int_equal(replayed, 1);
	assert_int_equal(again, first);
	assert_int_equal(count_orders(x), 1);
	assert_int_equal(event_count(x, first), 1);
	/* Inside a caller's transaction too (the API guard's). */
	assert_int_equal(store_begin_write(x->s), STORE_OK);
	assert_int_equal(wo_create(x->s, &x->grid, &in, &again, &replayed, &F), 0);
	assert_int_equal(store_commit(x->s), STORE_OK);
	assert_int_equal(again, first);
	/* Another creator's key is no way into that order. */
	assert_int_equal(wo_create(x->s, &x->desk, &in, &other, &replayed, &F), -1);
	assert_int_equal(F.kind, FAULT_CONFLICT);
	assert_string_equal(F.field, "idempotency_key");
	in.idempotency_key = "has space";
	assert_int_equal(wo_create(x->s, &x->grid, &in, &other, &replayed, &F), -1);
	assert_string_equal(F.field, "idempotency_key");
	in.idempotency_key = "c0ffee-43";
	assert_int_equal(wo_create(x->s, &x->grid, &in, &other, &replayed, &F), 0);
	assert_int_not_equal(other, first);
	assert_int_equal(count_orders(x), 2);
}

static void test_hotline_number_unique(void **state)
{
	struct fx *x = *state;
	struct wo_input in;
	struct wo_order o;
	int64_t id = 0, dup = 0;

	report_input(x, &in, unit_local("2025-09-30 09:12"));
	in.source = "hotline";
	in.external_no = "JN12345-20250930-004512";
	in.hotline_days = 2;
	assert_int_equal(wo_create(x->s, &x->street, &in, &id, NULL, &F), 0);
	o = get(x, id);
	assert_string_equal(o.external_no, "JN12345-20250930-004512");
	assert_string_equal(o.state, "dispatched");
	/* The hotline's own limit: 2 working days from Tuesday 09-30 is Friday 10-10. */
	assert_string_equal(unit_shown(o.deadline), "2025-10-10T23:59:59+08:00");
	wo_order_release(&o);
	in.received_at = unit_local("2025-09-30 09:20");
	assert_int_equal(wo_create(x->s, &x->street, &in, &dup, NULL, &F), -1);
	assert_int_equal(F.kind, FAULT_CONFLICT);
	assert_string_equal(F.field, "external_no");
	assert_non_null(strstr(F.message, "YL20250930"));
	in.external_no = NULL;
	assert_int_equal(wo_create(x->s, &x->street, &in, &dup, NULL, &F), -1);
	assert_string_equal(F.field, "external_no");
	report_input(x, &in, 0);
	in.external_no = "JN-1";
	assert_int_equal(wo_create(x->s, &x->street, &in, &dup, NULL, &F), -1);
	assert_string_equal(F.field, "external_no");
	assert_int_equal(count_orders(x), 1);
}

static void test_caller_encrypted_at_rest(void **state)
{
	struct fx *x = *state;
	int64_t id = new_report(x, x->t0);
	struct store_stmt *st;
	struct wo_order o;
	char *hash, *plain;

	st = store_prepare(x->s, "SELECT caller_name_enc, caller_phone_enc, caller_phone_hash FROM work_orders WHERE id = ?");
	store_bind_int64(st, 1, id);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_null(strstr(store_column_text(st, 0), "张"));
	assert_null(strstr(store_column_text(st, 1), "1381234"));
	assert_null(strstr(store_column_text(st, 1), "5678"));
	plain = pii_decrypt(store_column_text(st, 1));
	assert_string_equal(plain, "13812345678");	/* normalised: spaces dropped */
	free(plain);
	hash = pii_lookup_hash("13812345678");
	assert_string_equal(store_column_text(st, 2), hash);
	free(hash);
	store_done(st);
	o = get(x, id);
	assert_string_equal(o.caller_name, "张女士");
	assert_string_equal(o.caller_phone, "13812345678");
	wo_order_release(&o);
}

/* Who sees what. */

static void test_permissions_and_scope(void **state)
{
	struct fx *x = *state;
	int64_t t, id = in_state(x, WO_RECEIVED, &t), mine;
	struct wo_input in;
	struct wo_filter flt;
	struct wo_list l;
	struct wo_order o;

	/* No right: forbidden; out of sight: not found. */
	assert_int_equal(act(x, &x->grid, id, "accept", t + 60), -1);
	assert_int_equal(F.kind, FAULT_FORBIDDEN);
	assert_int_equal(act(x, &x->sec1, id, "accept", t + 60), -1);
	assert_int_equal(F.kind, FAULT_FORBIDDEN);
	assert_int_equal(act(x, &x->sec3, id, "sign", t + 60), -1);
	assert_int_equal(F.kind, FAULT_NOT_FOUND);
	o = get(x, id);
	assert_int_equal(wo_visible(x->s, &x->sec1, &o), 1);
	assert_int_equal(wo_visible(x->s, &x->sec3, &o), 0);
	assert_int_equal(wo_visible(x->s, &x->rider, &o), 0);
	assert_int_equal(wo_visible(x->s, NULL, &o), 1);
	wo_order_release(&o);
	/* A dispatch target outside the actor's scope is as if it did not exist. */
	must(x, &x->desk, id, "accept", t + 60);
	{
		struct wo_action w = { .action = "dispatch", .node_id = x->y3, .at = t + 120 };

		assert_int_equal(wo_transition(x->s, &x->desk, id, &w, &F), -1);
		assert_int_equal(F.kind, FAULT_INVALID);
		assert_string_equal(F.field, "node_id");
		w.node_id = x->ocom;	/* another subdistrict, even for the administrator */
		assert_int_equal(wo_transition(x->s, &x->admin, id, &w, &F), -1);
		assert_string_equal(F.field, "node_id");
		w.node_id = x->b1;	/* buildings handle nothing */
		assert_int_equal(wo_transition(x->s, &x->admin, id, &w, &F), -1);
		assert_string_equal(F.field, "node_id");
	}

	/* Mobile grid members see what they filed, nothing else. */
	report_input(x, &in, x->t0);
	in.source = "mobile_grid";
	assert_int_equal(wo_create(x->s, &x->rider, &in, &mine, NULL, &F), 0);
	memset(&flt, 0, sizeof(flt));
	assert_int_equal(wo_list(x->s, &x->rider, &flt, &l, &F), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].id, mine);
	wo_list_release(&l);
	assert_int_equal(wo_list(x->s, &x->sec3, &flt, &l, &F), 0);
	assert_int_equal(l.n, 0);
	wo_list_release(&l);
	assert_int_equal(wo_list(x->s, &x->desk, &flt, &l, &F), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.next_before_id, 0);
	wo_list_release(&l);
	flt.limit = 1;
	assert_int_equal(wo_list(x->s, &x->desk, &flt, &l, &F), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].id, mine);
	assert_int_equal(l.next_before_id, mine);
	wo_list_release(&l);
	flt.before_id = mine;
	assert_int_equal(wo_list(x->s, &x->desk, &flt, &l, &F), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].id, id);
	assert_int_equal(l.next_before_id, 0);
	wo_list_release(&l);
	memset(&flt, 0, sizeof(flt));
	flt.state = "accepted";
	flt.category_id = CAT_PROP;
	assert_int_equal(wo_list(x->s, &x->admin, &flt, &l, &F), 0);
	assert_int_equal(l.n, 1);
	wo_list_release(&l);
	flt.state = "nonsense";
	assert_int_equal(wo_list(x->s, &x->admin, &flt, &l, &F), -1);
	assert_string_equal(F.field, "state");
}

static void test_action_fields_and_time(void **state)
{
	struct fx *x = *state;
	int64_t t, id = in_state(x, WO_ACCEPTED, &t);
	struct wo_action w;

	memset(&w, 0, sizeof(w));
	w.action = "teleport";
	assert_int_equal(wo_transition(x->s, &x->admin, id, &w, &F), -1);
	assert_string_equal(F.field, "action");
	assert_int_equal(F.kind, FAULT_INVALID);
	w.action = "answer";
	assert_int_equal(wo_transition(x->s, &x->admin, id, &w, &F), -1);
	assert_string_equal(F.field, "opinion");
	w.opinion = " \xe3\x80\x80 ";
	assert_int_equal(wo_transition(x->s, &x->admin, id, &w, &F), -1);
	assert_string_equal(F.field, "opinion");
	w.action = "dispatch";
	w.opinion = NULL;
	assert_int_equal(wo_transition(x->s, &x->admin, id, &w, &F), -1);
	assert_string_equal(F.field, "node_id");
	w.action = "sign";
	w.node_id = x->y1;
	assert_int_equal(wo_transition(x->s, &x->admin, id, &w, &F), -1);
	assert_string_equal(F.field, "node_id");
	/* Not dated before the last event, nor in the future. */
	w.action = "dispatch";
	w.at = t - 60;
	assert_int_equal(wo_transition(x->s, &x->admin, id, &w, &F), -1);
	assert_string_equal(F.field, "at");
	w.at = wo_now() + 86400;
	assert_int_equal(wo_transition(x->s, &x->admin, id, &w, &F), -1);
	assert_string_equal(F.field, "at");
	w.at = 0;
	assert_int_equal(wo_transition(x->s, &x->admin, 999999, &w, &F), -1);
	assert_int_equal(F.kind, FAULT_NOT_FOUND);
}

static void test_photos(void **state)
{
	struct fx *x = *state;
	int64_t photos[] = { 1, 2 }, later[] = { 3 }, t, id;
	struct wo_event_list ev;
	struct wo_input in;
	struct wo_action w;
	struct wo_order o;

	char sql[400];

	/* Photos 1 and 2 were uploaded by the grid member who files, 3 by the secretary who replies. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO wo_uploads (id, sha256, mime, size, uploaded_by, created_at) VALUES"
		 " (1, 'a', 'image/jpeg', 10, %lld, 'now'), (2, 'b', 'image/png', 10, %lld, 'now'),"
		 " (3, 'c', 'image/jpeg', 10, %lld, 'now'), (4, 'd', 'image/jpeg', 10, %lld, 'now')",
		 (long long)x->grid.user_id, (long long)x->grid.user_id, (long long)x->sec1.user_id,
		 (long long)x->sec1.user_id);
	assert_int_equal(store_exec(x->s, sql), STORE_OK);
	report_input(x, &in, x->t0);
	in.photo_ids = photos;
	in.nphotos = 2;
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), 0);
	t = x->t0;
	must(x, &x->desk, id, "accept", t += 60);
	must(x, &x->desk, id, "dispatch", t += 60);
	must(x, &x->sec1, id, "sign", t += 60);
	memset(&w, 0, sizeof(w));
	w.action = "reply";
	w.opinion = "已修好";
	w.photo_ids = photos;		/* already on the order */
	w.nphotos = 1;
	w.at = t += 60;
	assert_int_equal(wo_transition(x->s, &x->sec1, id, &w, &F), -1);
	assert_string_equal(F.field, "photo_ids");
	w.photo_ids = later;
	assert_int_equal(wo_transition(x->s, &x->sec1, id, &w, &F), 0);
	o = get(x, id);
	assert_int_equal(o.nphotos, 3);
	wo_order_release(&o);
	assert_int_equal(wo_events(x->s, id, &ev, &F), 0);
	assert_int_equal(ev.items[0].nphotos, 2);
	assert_int_equal(ev.items[4].nphotos, 1);
	assert_int_equal(ev.items[4].photo_ids[0], 3);
	wo_event_list_release(&ev);
	report_input(x, &in, x->t0);
	in.photo_ids = (const int64_t[]){ 77 };
	in.nphotos = 1;
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), -1);
	assert_string_equal(F.field, "photo_ids");
	/* Someone else's upload, on no order the filer can see, is not theirs to attach. */
	in.photo_ids = (const int64_t[]){ 4 };
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), -1);
	assert_string_equal(F.field, "photo_ids");
}

static void test_categories(void **state)
{
	struct fx *x = *state;
	struct wo_category_list l;
	struct wo_limits lim;
	int64_t id = 0;
	size_t i;

	assert_int_equal(wo_category_by_path(x->s, "城乡建设>物业管理", &id, &F), 0);
	assert_int_equal(id, CAT_PROP_MGMT);
	assert_int_equal(wo_category_by_path(x->s, " 城乡建设 ＞ 供暖　", &id, &F), 0);
	assert_int_equal(id, CAT_HEAT);
	assert_int_equal(wo_category_by_path(x->s, "城乡建设", &id, &F), 0);
	assert_int_equal(id, CAT_PROP);
	assert_int_equal(wo_category_by_path(x->s, "城乡建设>不存在", &id, &F), -1);
	assert_int_equal(F.kind, FAULT_NOT_FOUND);
	assert_int_equal(wo_category_by_path(x->s, "城乡建设>>物业管理", &id, &F), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	assert_int_equal(wo_category_by_path(x->s, "", &id, &F), -1);

	assert_int_equal(wo_category_list(x->s, 0, &l, &F), 0);
	assert_int_equal(l.n, 23);
	/* Parents before children. */
	for (i = 0; i < l.n; i++)
		if (l.items[i].parent_id) {
			size_t j;
			int seen = 0;

			for (j = 0; j < i; j++)
				seen |= l.items[j].id == l.items[i].parent_id;
			assert_true(seen);
		}
	assert_string_equal(l.items[0].name, "市容环境");
	wo_category_list_release(&l);
	assert_int_equal(store_exec(x->s, "UPDATE wo_categories SET active = 0 WHERE id = 5"), STORE_OK);
	assert_int_equal(wo_category_list(x->s, 0, &l, &F), 0);
	assert_int_equal(l.n, 19);
	wo_category_list_release(&l);
	assert_int_equal(wo_category_check(x->s, CAT_PROP_MGMT, "category_id", &F), -1);

	assert_int_equal(wo_limits_for(x->s, "complaint", "urgent", &lim, &F), 0);
	assert_int_equal(lim.reply_days, 5);
	assert_int_equal(lim.sign_days, 1);
	assert_int_equal(lim.return_days, 2);
	assert_int_equal(lim.extension_max_days, 10);
	assert_int_equal(lim.reopen_days, 30);
	assert_int_equal(store_exec(x->s, "INSERT INTO wo_time_limits VALUES ('consultation', '*', 2, 1, 1, 5, 30)"),
			 STORE_OK);
	assert_int_equal(wo_limits_for(x->s, "consultation", "normal", &lim, &F), 0);
	assert_int_equal(lim.reply_days, 2);
	assert_int_equal(wo_limits_for(x->s, "help", "normal", &lim, &F), 0);
	assert_int_equal(lim.reply_days, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_action_from_its_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_action_refused_from_other_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allowed_actions_agree_with_transitions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadlines_across_national_day, setup, teardown),
		cmocka_unit_test_setup_teardown(test_return_within_the_limit_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extensions_total_at_most_the_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_paths_and_redo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalation_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers_and_intake_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idempotency_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hotline_number_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caller_encrypted_at_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permissions_and_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_action_fields_and_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_categories, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
