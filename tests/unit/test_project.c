/*
 * test_project.c - src/project: the rules of a key project (stage steps,
 * amounts in 万元 and 亿元), and the ledgers on the shared time-node engine:
 * a task opens its time node with its row, the sweeper cards it red, the
 * inbox lists it for its owner, and done closes it; a problem's deadline
 * before the day it was raised, or a close without evidence, leaves nothing
 * written.
 */
#include "unit.h"
#include "auth/auth.h"
#include "org/org.h"
#include "project/project.h"
#include "timenode/timenode.h"
#include "util/check.h"
#include "util/util.h"

#include <string.h>

static void test_stage_rules(void **state)
{
	struct fault f = { 0 };

	(void)state;
	assert_int_equal(project_stage_check(NULL, "planning", NULL, NULL, &f), 0);
	assert_int_equal(project_stage_check("planning", "signed", NULL, NULL, &f), 0);
	assert_int_equal(project_stage_check("signed", "completed", NULL, NULL, &f), 0);
	assert_int_equal(project_stage_check("to_start", "building", "continued", NULL, &f), 0);
	/* building needs its kind, and nothing else has one */
	assert_int_equal(project_stage_check("to_start", "building", NULL, NULL, &f), -1);
	assert_string_equal(f.field, "build_kind");
	assert_int_equal(project_stage_check("to_start", "building", "old", NULL, &f), -1);
	assert_string_equal(f.field, "build_kind");
	assert_int_equal(project_stage_check("planning", "signed", "new", NULL, &f), -1);
	assert_string_equal(f.field, "build_kind");
	/* unknown steps */
	assert_int_equal(project_stage_check("planning", "started", NULL, NULL, &f), -1);
	assert_string_equal(f.field, "stage");
	assert_int_equal(f.kind, FAULT_INVALID);
	assert_int_equal(project_stage_check("planning", NULL, NULL, NULL, &f), -1);
	/* the same stage again is a conflict */
	assert_int_equal(project_stage_check("signed", "signed", NULL, NULL, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	/* a step back needs a reason that is not blank */
	assert_int_equal(project_stage_check("building", "to_start", NULL, NULL, &f), -1);
	assert_string_equal(f.field, "reason");
	assert_int_equal(project_stage_check("building", "to_start", NULL, "\u3000 ", &f), -1);
	assert_string_equal(f.field, "reason");
	assert_int_equal(project_stage_check("completed", "planning", NULL, "规划调整", &f), 0);
	assert_int_equal(project_stage_parse("completed"), STAGE_COMPLETED);
	assert_string_equal(project_stage_name(STAGE_TO_START), "to_start");
	assert_int_equal(project_stage_parse("Completed"), STAGE_NONE);
}

static void test_money(void **state)
{
	struct fault f = { 0 };
	char t[32];
	int64_t v;

	(void)state;
	assert_int_equal(project_money_parse("investment_total", "50.67", &v, &f), 0);
	assert_int_equal(v, 506700);
	project_money_wan(v, t);
	assert_string_equal(t, "50.67");
	assert_int_equal(project_money_parse("investment_total", "506700", &v, &f), 0);
	project_money_yi(v, t);
	assert_string_equal(t, "50.67");	/* 50.67 亿元 of the article */
	/* 亿元 rounded half up at 4 places: 0.00005 亿元 = 0.5 万元 */
	project_money_yi(50000, t);
	assert_string_equal(t, "0.0005");
	project_money_yi(5000, t);
	assert_string_equal(t, "0.0001");
	project_money_yi(4999, t);
	assert_string_equal(t, "0");
	/* fixed-point sums: 16 projects of 3.1669 亿 sum exactly */
	{
		int64_t sum = 0;
		int i;

		for (i = 0; i < 16; i++) {
			assert_int_equal(project_money_parse("x", "31669", &v, &f), 0);
			sum += v;
		}
		project_money_yi(sum, t);
		assert_string_equal(t, "50.6704");
	}
	assert_int_equal(project_money_parse("investment_total", "-1", &v, &f), -1);
	assert_string_equal(f.field, "investment_total");
	assert_int_equal(project_money_parse("investment_plan", "10000000.0001", &v, &f), -1);
	assert_string_equal(f.field, "investment_plan");
	assert_int_equal(project_money_parse("investment_plan", "10000000", &v, &f), 0);
	assert_int_equal(project_money_parse("investment_total", "1.00001", &v, &f), -1);
	assert_int_equal(project_money_parse("investment_total", "1e3", &v, &f), -1);
	assert_int_equal(project_money_parse("investment_total", NULL, &v, &f), -1);
}

struct fx {
	struct store *s;
	int64_t sub, park, other, owner, outsider;
	struct project p;
};

static int64_t make_user(struct store *s, const char *login, int64_t scope)
{
	struct user_input in;
	struct fault f = { 0 };
	int64_t id;

	memset(&in, 0, sizeof(in));
	in.login = login;
	in.role = "project_member";
	in.scope_node_id = scope;
	in.password = "Unit-Pass-2026!";
	assert_int_equal(user_create(s, &in, NULL, &id, &f), 0);
	return id;
}

static int setup(void **state)
{
	struct fx *x = xcalloc(1, sizeof(*x));
	struct project_input in;
	struct fault f = { 0 };
	int64_t id;

	x->s = unit_db_open();
	x->sub = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "刁镇街道");
	x->park = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "化工产业园");
	x->other = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "明水街道");
	x->owner = make_user(x->s, "owner", x->park);
	x->outsider = make_user(x->s, "outsider", x->other);
	memset(&in, 0, sizeof(in));
	in.code = "DZ-01";
	in.name = "明泉聚苯硫醚";
	in.node_id = x->park;
	in.stage = "building";
	in.build_kind = "new";
	in.stage_on = "2026-01-05";
	in.investment_total = "73.32";
	assert_int_equal(project_create(x->s, &in, 0, &id, &f), 0);
	assert_int_equal(project_get(x->s, id, &x->p, &f), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	project_release(&x->p);
	unit_db_close(x->s);
	free(x);
	return 0;
}

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int64(s, sql, &n, 0), STORE_OK);
	return n;
}

static void test_task_on_the_engine(void **state)
{
	struct fx *x = *state;
	struct project_task_input in = { "办理施工许可证", "2026-01-05", "2026-01-08", 0 };
	struct tn_sweep_report r;
	struct tn_sweep_policy pol;
	struct tn_inbox box;
	struct project_task t;
	struct actor a;
	struct fault f = { 0 };
	int64_t id;

	assert_int_equal(x->p.subdistrict_id, x->sub);
	assert_int_equal(x->p.investment_total, 733200);
	in.owner_user_id = x->outsider;
	assert_int_equal(project_task_create(x->s, &x->p, &in, &id, &f), -1);
	assert_string_equal(f.field, "owner_user_id");
	in.owner_user_id = x->owner;
	in.due_on = "2026-01-05";
	assert_int_equal(project_task_create(x->s, &x->p, &in, &id, &f), -1);
	assert_string_equal(f.field, "due_on");
	assert_int_equal(count(x->s, "SELECT count(*) FROM project_tasks"), 0);
	in.due_on = "2026-01-08";
	assert_int_equal(project_task_create(x->s, &x->p, &in, &id, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'project_task' AND state = 'open'"), 1);
	/* due at 23:59:59 of 2026-01-08 (calendar days): red the second after, by the one sweeper */
	tn_sweep_policy_default(&pol);
	assert_int_equal(tn_sweep(x->s, unit_local("2026-01-09 00:00:01"), &pol, &r, &f), 0);
	assert_int_equal(r.red, 1);
	assert_int_equal(project_task_get(x->s, id, &t, &f), 0);
	assert_string_equal(t.card, "red");
	assert_int_equal(t.deadline, unit_local("2026-01-08 23:59:59"));
	project_task_release(&t);
	unit_actor(&a, x->owner, "owner", x->park, "tasks.read");
	assert_int_equal(tn_inbox(x->s, &a, 10, &box, &f), 0);
	assert_int_equal(box.n, 1);
	assert_string_equal(box.items[0].kind, "project_task");
	assert_int_equal(box.items[0].id, id);
	tn_inbox_release(&box);
	/* done: evidence required; then the node closes */
	assert_int_equal(project_task_done(x->s, id, " ", x->owner, &f), -1);
	assert_string_equal(f.field, "evidence");
	assert_int_equal(project_task_done(x->s, id, "许可证已取得", x->owner, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'project_task' AND state = 'open'"), 0);
	assert_int_equal(project_task_done(x->s, id, "再次", x->owner, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
}

static void test_problem_rules(void **state)
{
	struct fx *x = *state;
	struct project_problem_input in;
	struct project_problem pr;
	struct fault f = { 0 };
	int64_t id;

	memset(&in, 0, sizeof(in));
	in.kind = "land";
	in.description = "施工便道需临时占地";
	in.raised_on = "2026-01-10";
	in.owner_user_id = x->owner;
	in.due_on = "2026-01-09";
	/* a deadline before the day it was raised: nothing written */
	assert_int_equal(project_problem_raise(x->s, &x->p, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "due_on");
	in.due_on = NULL;
	assert_int_equal(project_problem_raise(x->s, &x->p, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "due_on");
	in.owner_user_id = 0;
	in.kind = "weather";
	assert_int_equal(project_problem_raise(x->s, &x->p, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "kind");
	assert_int_equal(count(x->s, "SELECT count(*) FROM project_problems"), 0);
	in.kind = "land";
	assert_int_equal(project_problem_raise(x->s, &x->p, &in, 0, &id, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'project_problem'"), 0);
	in.owner_user_id = x->owner;
	in.due_on = "2026-01-20";
	assert_int_equal(project_problem_assign(x->s, &x->p, id, &in, 0, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'project_problem' AND state = 'open'"), 1);
	assert_int_equal(project_problem_assign(x->s, &x->p, id, &in, 0, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_int_equal(project_problem_start(x->s, id, x->owner, &f), 0);
	assert_int_equal(project_problem_start(x->s, id, x->owner, &f), -1);
	/* 销号 without evidence is refused and changes nothing */
	assert_int_equal(project_problem_close(x->s, id, NULL, 0, &f), -1);
	assert_string_equal(f.field, "evidence");
	assert_int_equal(project_problem_get(x->s, id, &pr, &f), 0);
	assert_string_equal(pr.status, "in_progress");
	project_problem_release(&pr);
	assert_int_equal(project_problem_close(x->s, id, "已签订临时用地协议", 0, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'project_problem' AND state = 'open'"), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM project_problem_events"), 4);	/* raise assign start close */
}

static void test_stage_history(void **state)
{
	struct fx *x = *state;
	struct project_stage_list l;
	struct fault f = { 0 };

	assert_int_equal(project_stage_step(x->s, x->p.id, "to_start", NULL, "2026-02-01", NULL, 0, &f), -1);
	assert_string_equal(f.field, "reason");
	assert_int_equal(project_stage_step(x->s, x->p.id, "completed", NULL, "2026-01-01", NULL, 0, &f), -1);
	assert_string_equal(f.field, "on");
	assert_int_equal(project_stage_step(x->s, x->p.id, "completed", NULL, "2026-02-01", NULL, 0, &f), 0);
	assert_int_equal(project_stages(x->s, x->p.id, &l, &f), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].stage, "building");
	assert_string_equal(l.items[0].build_kind, "new");
	assert_string_equal(l.items[1].stage, "completed");
	assert_string_equal(l.items[1].on_date, "2026-02-01");
	project_stage_list_release(&l);
}

/* Figures: by stage from the rows; the median days to close counts local days (UTC+8). */
static void test_figures(void **state)
{
	struct fx *x = *state;
	struct project_problem_input in;
	struct project_figures fg;
	struct fault f = { 0 };
	int64_t a, b, c;

	memset(&in, 0, sizeof(in));
	in.kind = "labour";
	in.description = "用工缺口";
	in.raised_on = "2026-01-10";
	assert_int_equal(project_problem_raise(x->s, &x->p, &in, 0, &a, &f), 0);
	assert_int_equal(project_problem_raise(x->s, &x->p, &in, 0, &b, &f), 0);
	assert_int_equal(project_problem_raise(x->s, &x->p, &in, 0, &c, &f), 0);
	assert_int_equal(project_problem_close(x->s, a, "已招工", 0, &f), 0);
	assert_int_equal(project_problem_close(x->s, b, "已招工", 0, &f), 0);
	/* closed 2026-01-12 09:00 and 2026-01-15 04:00 in Shanghai: 2 and 5 days */
	assert_int_equal(store_run(x->s, "UPDATE project_problems SET closed_at = ? WHERE id = ?", "ti", "2026-01-12T01:00:00Z", a),
			 STORE_OK);
	assert_int_equal(store_run(x->s, "UPDATE project_problems SET closed_at = ? WHERE id = ?", "ti", "2026-01-14T20:00:00Z", b),
			 STORE_OK);
	assert_int_equal(project_figures(x->s, 0, 2026, unit_local("2026-02-01"), &fg, &f), 0);
	assert_int_equal(fg.projects, 1);
	assert_int_equal(fg.stage[STAGE_BUILDING].projects, 1);
	assert_int_equal(fg.stage[STAGE_BUILDING].this_year, 1);
	assert_int_equal(fg.stage[STAGE_BUILDING].investment, 733200);
	assert_int_equal(fg.problems_raised, 3);
	assert_int_equal(fg.problems_closed, 2);
	assert_int_equal(fg.problems_open, 1);
	assert_int_equal(fg.problems_overdue, 0);	/* the open one has no deadline */
	assert_int_equal(fg.has_median, 1);
	assert_int_equal(fg.median_close_half_days, 7);	/* 3.5 days */
	/* under another subdistrict: nothing */
	assert_int_equal(project_figures(x->s, x->other, 2026, unit_local("2026-02-01"), &fg, &f), 0);
	assert_int_equal(fg.projects, 0);
	assert_int_equal(fg.problems_raised, 0);
	assert_int_equal(project_figures(x->s, 0, 1999, 0, &fg, &f), -1);
	assert_string_equal(f.field, "year");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage_rules),
		cmocka_unit_test(test_money),
		cmocka_unit_test_setup_teardown(test_task_on_the_engine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_problem_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_figures, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
