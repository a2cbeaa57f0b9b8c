/*
 * test_timenode.c - src/timenode: a second kind of time node, known only to
 * this test and kept on the shared table time_nodes, is carded yellow and red,
 * escalated, given its card history and listed in the inbox by the same
 * sweeper (tn_sweep, which work orders go through) and the same inbox
 * (tn_inbox, behind GET /api/v1/tasks); deadlines in working and calendar days;
 * the table of kinds.
 *
 * Dates: 2025-09-01 is a Monday; the week has no holiday.
 */
#include "unit.h"
#include "auth/auth.h"
#include "org/org.h"
#include "calendar/calendar.h"
#include "timenode/timenode.h"
#include "workorder/workorder.h"
#include "util/util.h"

#include <string.h>

static const struct tn_kind test_kind = TN_NODE_KIND("test_task");

struct fx {
	struct store *s;
	int64_t sub, com, yard;
	struct actor at_yard, at_com;
};

static int setup(void **state)
{
	struct fx *x = xcalloc(1, sizeof(*x));

	x->s = unit_db_open();
	unit_load_calendars(x->s);
	x->sub = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "明水街道");
	x->com = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "龙泉社区");
	x->yard = unit_node(x->s, x->com, LEVEL_COURTYARD, "君临天下");
	unit_actor(&x->at_yard, 0, "sec1", x->yard, "");
	unit_actor(&x->at_com, 0, "com1", x->com, "");
	assert_int_equal(tn_kind_register(&test_kind), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	tn_kind_unregister("test_task");
	unit_db_close(x->s);
	free(x);
	return 0;
}

static int64_t open_task(struct fx *x, int64_t ref, const char *start, int days, enum tn_days rule)
{
	struct tn_open_input in;
	struct fault f = { 0 };
	int64_t id;

	memset(&in, 0, sizeof(in));
	in.kind = "test_task";
	in.ref_id = ref;
	in.title = "清理楼道杂物";
	in.node_id = x->yard;
	in.start = unit_local(start);
	in.days = days;
	in.rule = rule;
	if (tn_open(x->s, &in, &id, &f) < 0)
		fail_msg("tn_open: %s", f.message);
	return id;
}

static void sweep_at(struct fx *x, const char *when, struct tn_sweep_report *r)
{
	struct fault f = { 0 };

	if (tn_sweep(x->s, unit_local(when), NULL, r, &f) < 0)
		fail_msg("tn_sweep: %s", f.message);
	assert_int_equal(r->errors, 0);
}

static void test_table_of_kinds(void **state)
{
	static const struct tn_kind again = TN_NODE_KIND("test_task");

	(void)state;
	assert_string_equal(tn_kind_at(0)->name, "workorder");	/* work orders first */
	assert_non_null(tn_kind_find("test_task"));
	assert_null(tn_kind_find("nothing"));
	assert_int_equal(tn_kind_register(&again), -1);		/* a name once */
}

static void test_deadlines(void **state)
{
	struct fx *x = *state;
	struct fault f = { 0 };
	int64_t d;

	/* Working days: the day of start does not count; Friday 2025-09-05 is the 4th working day. */
	assert_int_equal(tn_deadline(x->s, unit_local("2025-09-01 10:00"), 4, TN_WORKING_DAYS, &d, &f), 0);
	assert_string_equal(unit_shown(d), "2025-09-05T23:59:59+08:00");
	assert_int_equal(tn_deadline(x->s, unit_local("2025-09-01 10:00"), 5, TN_WORKING_DAYS, &d, &f), 0);
	assert_string_equal(unit_shown(d), "2025-09-08T23:59:59+08:00");
	/* Calendar days: weekends count. */
	assert_int_equal(tn_deadline(x->s, unit_local("2025-09-01 10:00"), 5, TN_CALENDAR_DAYS, &d, &f), 0);
	assert_string_equal(unit_shown(d), "2025-09-06T23:59:59+08:00");
}

static void test_open_refuses(void **state)
{
	struct fx *x = *state;
	struct tn_open_input in;
	struct fault f = { 0 };
	int64_t id;

	memset(&in, 0, sizeof(in));
	in.kind = "nothing";
	in.title = "x";
	in.node_id = x->yard;
	in.days = 1;
	in.start = unit_local("2025-09-01 10:00");
	assert_int_equal(tn_open(x->s, &in, &id, &f), -1);
	assert_string_equal(f.field, "kind");
	in.kind = "test_task";
	in.days = 0;
	assert_int_equal(tn_open(x->s, &in, &id, &f), -1);
	assert_string_equal(f.field, "days");
	in.days = 2;
	in.node_id = 999999;
	assert_int_equal(tn_open(x->s, &in, &id, &f), -1);
	assert_int_equal(f.kind, FAULT_INVALID);
	assert_string_equal(f.field, "node_id");
	in.node_id = x->yard;
	in.title = "  ";
	assert_int_equal(tn_open(x->s, &in, &id, &f), -1);
	assert_string_equal(f.field, "title");
}

/* The whole life: yellow, red with the escalation at once (policy: 0 days), the history, the inbox. */
static void test_second_kind_carded_escalated_and_listed(void **state)
{
	struct fx *x = *state;
	struct tn_sweep_report r;
	struct tn_event_list ev;
	struct tn_inbox in;
	struct tn_node n;
	struct fault f = { 0 };
	int64_t id = open_task(x, 7, "2025-09-01 10:00", 2, TN_WORKING_DAYS);	/* due Wed 09-03 23:59:59 */

	/* Listed for the courtyard, not yet for the community. */
	assert_int_equal(tn_inbox(x->s, &x->at_yard, 50, &in, &f), 0);
	assert_int_equal(in.n, 1);
	assert_int_equal(in.count, 1);
	assert_string_equal(in.items[0].kind, "test_task");
	assert_int_equal(in.items[0].id, 7);
	assert_int_equal(in.items[0].node, id);
	assert_string_equal(in.items[0].title, "清理楼道杂物");
	assert_string_equal(in.items[0].list, "due");
	tn_inbox_release(&in);
	assert_int_equal(tn_inbox(x->s, &x->at_com, 50, &in, &f), 0);
	assert_int_equal(in.n, 0);
	tn_inbox_release(&in);

	/* Monday: nothing due. */
	sweep_at(x, "2025-09-01 18:00", &r);
	assert_int_equal(r.yellow + r.red + r.escalated, 0);
	assert_int_equal(r.examined, 0);
	/* Tuesday is the last working day before the deadline: yellow from its start. */
	sweep_at(x, "2025-09-02 00:00", &r);
	assert_int_equal(r.yellow, 1);
	assert_int_equal(r.examined, 1);
	sweep_at(x, "2025-09-02 00:00", &r);		/* again: nothing */
	assert_int_equal(r.yellow + r.red + r.escalated, 0);
	assert_int_equal(tn_get(x->s, id, &n, &f), 0);
	assert_string_equal(n.card, "yellow");
	tn_node_release(&n);
	/* The first overdue second: red, and up to the community at once. */
	sweep_at(x, "2025-09-04 00:00", &r);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 1);
	assert_int_equal(tn_get(x->s, id, &n, &f), 0);
	assert_string_equal(n.card, "red");
	assert_int_equal(n.node_id, x->com);
	assert_int_equal(n.escalate_at, 0);
	tn_node_release(&n);
	sweep_at(x, "2025-09-05 00:00", &r);		/* one level per red card */
	assert_int_equal(r.yellow + r.red + r.escalated, 0);

	/* The card history. */
	assert_int_equal(tn_events(x->s, id, &ev, &f), 0);
	assert_int_equal(ev.n, 4);
	assert_string_equal(ev.items[0].action, "open");
	assert_string_equal(ev.items[1].action, "yellow_card");
	assert_string_equal(unit_shown(ev.items[1].at), "2025-09-02T00:00:00+08:00");
	assert_string_equal(ev.items[2].action, "red_card");
	assert_string_equal(ev.items[3].action, "escalate");
	assert_int_equal(ev.items[3].from_node_id, x->yard);
	assert_int_equal(ev.items[3].to_node_id, x->com);
	tn_event_list_release(&ev);

	/* The inbox follows whoever answers for it now. */
	assert_int_equal(tn_inbox(x->s, &x->at_com, 50, &in, &f), 0);
	assert_int_equal(in.n, 1);
	assert_string_equal(in.items[0].list, "carded");
	assert_string_equal(in.items[0].card, "red");
	tn_inbox_release(&in);
	assert_int_equal(tn_inbox(x->s, &x->at_yard, 50, &in, &f), 0);
	assert_int_equal(in.n, 0);
	tn_inbox_release(&in);

	/* Done: out of the inbox and of the sweeper's passes. */
	assert_int_equal(tn_done(x->s, "test_task", 7, unit_local("2025-09-05 09:00"), &f), 0);
	assert_int_equal(tn_inbox(x->s, &x->at_com, 50, &in, &f), 0);
	assert_int_equal(in.n, 0);
	tn_inbox_release(&in);
	assert_int_equal(tn_done(x->s, "test_task", 7, unit_local("2025-09-05 09:00"), &f), -1);
	assert_int_equal(f.kind, FAULT_NOT_FOUND);
}

/*
 * A deadline counted on a provisional calendar (2025 not loaded) is marked, and loading the official year
 * counts it again in the load's transaction, with a 'recount' row in its history; a deadline in calendar
 * days does not depend on holidays and is never provisional.
 */
static void test_provisional_recounted(void **state)
{
	struct fx *x = *state;
	struct calendar_file cf;
	struct wo_recalc rc;
	struct tn_event_list ev;
	struct tn_node n;
	struct fault f = { 0 };
	int64_t working, days;
	int changed = 0;

	assert_int_equal(store_exec(x->s, "DELETE FROM calendar_days WHERE year = 2025;"
					  " DELETE FROM calendar_years WHERE year = 2025"), STORE_OK);
	/* Monday 09-29, 5 working days on the regulation's 2025 (国庆 10-01..03, 中秋 10-06): due 10-10. */
	working = open_task(x, 8, "2025-09-29 10:00", 5, TN_WORKING_DAYS);
	days = open_task(x, 9, "2025-09-29 10:00", 5, TN_CALENDAR_DAYS);
	assert_int_equal(tn_get(x->s, working, &n, &f), 0);
	assert_string_equal(unit_shown(n.deadline), "2025-10-10T23:59:59+08:00");
	assert_int_equal(n.provisional, 1);
	tn_node_release(&n);
	assert_int_equal(tn_get(x->s, days, &n, &f), 0);
	assert_int_equal(n.provisional, 0);
	tn_node_release(&n);

	/* The official 2025: 10-01..08 off, Saturday 10-11 worked: 09-30, 10-09, 10-10, 10-11, 10-13. */
	assert_int_equal(unit_calendar_file(2025, &cf), 1);
	assert_int_equal(wo_calendar_load(x->s, &cf, "test", 0, &changed, &rc, &f), 0);
	calendar_file_release(&cf);
	assert_int_equal(rc.nodes.n, 1);
	assert_int_equal(rc.nodes.items[0].time_node_id, working);
	assert_string_equal(rc.nodes.items[0].kind, "test_task");
	assert_int_equal(rc.nodes.items[0].ref_id, 8);
	assert_int_equal(rc.nodes.items[0].still_provisional, 0);
	wo_recalc_release(&rc);
	assert_int_equal(tn_get(x->s, working, &n, &f), 0);
	assert_string_equal(unit_shown(n.deadline), "2025-10-13T23:59:59+08:00");
	assert_int_equal(n.provisional, 0);
	tn_node_release(&n);
	assert_int_equal(tn_events(x->s, working, &ev, &f), 0);
	assert_string_equal(ev.items[ev.n - 1].action, "recount");
	tn_event_list_release(&ev);
}

/* The policy: a level that waits climbs when escalate_at comes; one that does not climb never does. */
static void test_escalation_policy(void **state)
{
	struct fx *x = *state;
	struct tn_sweep_policy p;
	struct tn_sweep_report r;
	struct tn_node n;
	struct fault f = { 0 };
	int64_t id = open_task(x, 8, "2025-09-01 10:00", 1, TN_CALENDAR_DAYS);	/* due Tue 09-02 23:59:59 */

	tn_sweep_policy_default(&p);
	p.after_days[TN_COURTYARD] = 1;
	assert_int_equal(tn_sweep(x->s, unit_local("2025-09-03 08:00"), &p, &r, &f), 0);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 0);
	assert_int_equal(tn_get(x->s, id, &n, &f), 0);
	assert_string_equal(unit_shown(n.escalate_at), "2025-09-04T00:00:00+08:00");
	tn_node_release(&n);
	assert_int_equal(tn_sweep(x->s, unit_local("2025-09-03 23:00"), &p, &r, &f), 0);
	assert_int_equal(r.escalated, 0);
	assert_int_equal(r.examined, 0);			/* nothing due is read */
	assert_int_equal(tn_sweep(x->s, unit_local("2025-09-04 00:00"), &p, &r, &f), 0);
	assert_int_equal(r.escalated, 1);
	assert_int_equal(tn_get(x->s, id, &n, &f), 0);
	assert_int_equal(n.node_id, x->com);
	tn_node_release(&n);

	/* A level that does not climb: red, and nothing scheduled. */
	id = open_task(x, 9, "2025-09-01 10:00", 1, TN_CALENDAR_DAYS);
	p.escalate[TN_COURTYARD] = 0;
	assert_int_equal(tn_sweep(x->s, unit_local("2025-09-04 08:00"), &p, &r, &f), 0);
	assert_int_equal(r.red, 1);
	assert_int_equal(r.escalated, 0);
	assert_int_equal(tn_get(x->s, id, &n, &f), 0);
	assert_int_equal(n.node_id, x->yard);
	assert_int_equal(n.escalate_at, 0);
	tn_node_release(&n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table_of_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_kind_carded_escalated_and_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalation_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_provisional_recounted, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
