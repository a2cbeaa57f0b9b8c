/*
 * test_enterprise.c - src/enterprise: the register (credit code checked and
 * unique, the above-scale month, nothing written on a refusal), status
 * history, contacts sealed at rest, cadres handing over on the day before
 * (month and leap-year ends), and a problem that is a time node of the shared
 * engine: due on the working-day calendar, carded red by tn_sweep, in its
 * owner's inbox, settled when closed.
 *
 * Dates: 2025-09-01 is a Monday; the week has no holiday.
 */
#include "unit.h"
#include "auth/auth.h"
#include "enterprise/enterprise.h"
#include "org/org.h"
#include "timenode/timenode.h"
#include "util/util.h"

#include <string.h>

#define GB_EXAMPLE "91350100M000100Y43"	/* the example of GB 32100-2015 */
#define LICENCE "91110108551385082Q"	/* a code printed on a public business licence */

struct fx {
	struct store *s;
	int64_t sub, com, yard, other;
	int64_t officer, officer2, stranger;
};

static int64_t make_user(struct store *s, const char *login, int64_t scope)
{
	struct user_input in = { 0 };
	struct fault f = { 0 };
	int64_t id = 0;

	in.login = login;
	in.role = "subdistrict_staff";
	in.scope_node_id = scope;
	in.password = "Unit-Pass-2026!";
	if (user_create(s, &in, NULL, &id, &f) < 0)
		fail_msg("user_create: %s", f.message);
	return id;
}

static int setup(void **state)
{
	struct fx *x = xcalloc(1, sizeof(*x));

	x->s = unit_db_open();
	unit_load_calendars(x->s);
	x->sub = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "刁镇街道");
	x->com = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "工业园社区");
	x->yard = unit_node(x->s, x->com, LEVEL_COURTYARD, "圣泉厂区");
	x->other = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "明水街道");
	x->officer = make_user(x->s, "officer-wang", x->sub);
	x->officer2 = make_user(x->s, "officer-li", x->sub);
	x->stranger = make_user(x->s, "officer-far", x->other);
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

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int64(s, sql, &n, 0), STORE_OK);
	return n;
}

static int64_t make_enterprise(struct fx *x, const char *code, const char *name)
{
	struct enterprise_input in = { 0 };
	struct fault f = { 0 };
	int64_t id = 0;

	in.credit_code = code;
	in.name = name;
	in.node_id = x->com;
	in.set_above_scale = 1;
	in.above_scale = 1;
	in.above_scale_since = "2025-01";
	if (enterprise_create(x->s, &in, &id, &f) < 0)
		fail_msg("enterprise_create: %s: %s", f.field, f.message);
	return id;
}

static void test_register(void **state)
{
	struct fx *x = *state;
	struct enterprise_input in = { 0 };
	struct enterprise e;
	struct fault f = { 0 };
	int64_t id = make_enterprise(x, GB_EXAMPLE, "济南圣泉集团股份有限公司"), other;

	assert_int_equal(enterprise_get(x->s, id, &e, &f), 0);
	assert_string_equal(e.credit_code, GB_EXAMPLE);
	assert_int_equal(e.subdistrict_id, x->sub);
	assert_string_equal(e.above_scale_since, "2025-01");
	assert_string_equal(e.status, "operating");
	assert_string_equal(e.size, "small");
	enterprise_release(&e);

	/* The same code again: a conflict on credit_code; a corrupted one: invalid. */
	in.credit_code = GB_EXAMPLE;
	in.name = "另一家";
	in.node_id = x->com;
	assert_int_equal(enterprise_create(x->s, &in, &other, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_string_equal(f.field, "credit_code");
	in.credit_code = "91350100M000100Y44";
	assert_int_equal(enterprise_create(x->s, &in, &other, &f), -1);
	assert_int_equal(f.kind, FAULT_INVALID);
	assert_string_equal(f.field, "credit_code");
	/* Above scale needs its month, never a future one. */
	in.credit_code = LICENCE;
	in.set_above_scale = 1;
	in.above_scale = 1;
	assert_int_equal(enterprise_create(x->s, &in, &other, &f), -1);
	assert_string_equal(f.field, "above_scale_since");
	in.above_scale_since = "2999-01";
	assert_int_equal(enterprise_create(x->s, &in, &other, &f), -1);
	assert_string_equal(f.field, "above_scale_since");
	in.above_scale_since = "2025-00";
	assert_int_equal(enterprise_create(x->s, &in, &other, &f), -1);
	assert_string_equal(f.field, "above_scale_since");
	in.above_scale_since = NULL;
	in.above_scale = 0;
	in.node_id = 999999;
	assert_int_equal(enterprise_create(x->s, &in, &other, &f), -1);
	assert_string_equal(f.field, "node_id");
	assert_int_equal(count(x->s, "SELECT count(*) FROM enterprises"), 1);
	assert_int_equal(count(x->s, "SELECT count(*) FROM enterprise_status_history"), 1);
}

static void test_status_history(void **state)
{
	struct fx *x = *state;
	struct enterprise_status_list h;
	struct fault f = { 0 };
	int64_t id = make_enterprise(x, GB_EXAMPLE, "圣泉");

	assert_int_equal(enterprise_set_status(x->s, id, "moved_out", NULL, "迁往历城区", x->officer, &f), 0);
	assert_int_equal(enterprise_set_status(x->s, id, "moved_out", NULL, NULL, x->officer, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_int_equal(enterprise_set_status(x->s, id, "gone", NULL, NULL, x->officer, &f), -1);
	assert_string_equal(f.field, "status");
	assert_int_equal(enterprise_set_status(x->s, id, "operating", "2000-01-01", NULL, x->officer, &f), -1);
	assert_string_equal(f.field, "since");
	assert_int_equal(enterprise_status_history(x->s, id, &h, &f), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.items[0].status, "operating");
	assert_string_equal(h.items[1].status, "moved_out");
	assert_string_equal(h.items[1].reason, "迁往历城区");
	assert_int_equal(h.items[1].user_id, x->officer);
	enterprise_status_list_release(&h);
}

static void test_contact_sealed(void **state)
{
	struct fx *x = *state;
	struct enterprise_contact_input in = { "张经理", "财务总监", "138 1234 5678" };
	struct enterprise_contact_list l;
	struct fault f = { 0 };
	int64_t id = make_enterprise(x, GB_EXAMPLE, "圣泉"), c;

	assert_int_equal(enterprise_contact_add(x->s, id, &in, &c, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM enterprise_contacts WHERE phone_enc LIKE '%13812345678%'"), 0);
	assert_int_equal(enterprise_contacts(x->s, id, &l, &f), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].phone, "13812345678");
	enterprise_contact_list_release(&l);
	in.phone = "12345";
	assert_int_equal(enterprise_contact_add(x->s, id, &in, &c, &f), -1);
	assert_string_equal(f.field, "phone");
}

static void test_cadre_handover(void **state)
{
	struct fx *x = *state;
	struct enterprise_cadre_list l;
	struct fault f = { 0 };
	int64_t id = make_enterprise(x, GB_EXAMPLE, "圣泉"), c;

	assert_int_equal(enterprise_cadre_assign(x->s, id, "officer", x->stranger, "2024-01-01", &c, &f), -1);
	assert_string_equal(f.field, "user_id");
	assert_int_equal(enterprise_cadre_assign(x->s, id, "officer", x->officer, "2024-01-01", &c, &f), 0);
	/* Handed over on 1 March of a leap year: the first held it to 29 February. */
	assert_int_equal(enterprise_cadre_assign(x->s, id, "officer", x->officer2, "2024-03-01", &c, &f), 0);
	assert_int_equal(enterprise_cadre_assign(x->s, id, "officer", x->officer, "2025-01-01", &c, &f), 0);
	assert_int_equal(enterprise_cadres(x->s, id, NULL, &l, &f), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0].ends_on, "2024-02-29");
	assert_string_equal(l.items[1].starts_on, "2024-03-01");
	assert_string_equal(l.items[1].ends_on, "2024-12-31");
	assert_string_equal(l.items[2].ends_on, "");
	enterprise_cadre_list_release(&l);
	/* Who answered for it in a month. */
	assert_int_equal(enterprise_cadres(x->s, id, "2024-06-15", &l, &f), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].user_id, x->officer2);
	enterprise_cadre_list_release(&l);
	/* Not before the holder's own start. */
	assert_int_equal(enterprise_cadre_assign(x->s, id, "officer", x->officer2, "2024-12-31", &c, &f), -1);
	assert_string_equal(f.field, "starts_on");
}

/* A problem raised on Monday 2025-09-01 with two working days: due Wednesday 23:59:59, red on Thursday. */
static void test_problem_is_a_time_node(void **state)
{
	struct fx *x = *state;
	struct enterprise_problem_input in = { 0 };
	struct enterprise_problem p;
	struct tn_sweep_report r;
	struct tn_inbox box;
	struct actor owner, leader;
	struct fault f = { 0 };
	int64_t id = make_enterprise(x, GB_EXAMPLE, "圣泉"), pid, c;
	size_t i;
	int found = 0;

	in.category = "utilities";
	in.description = "厂区双回路供电改造";
	in.unit_node_id = x->com;
	in.owner_user_id = x->officer;
	in.raised_on = "2025-09-01";
	in.days = 2;
	in.rule = TN_WORKING_DAYS;
	in.unit_node_id = x->other;
	assert_int_equal(enterprise_problem_create(x->s, id, &in, &pid, &f), -1);
	assert_string_equal(f.field, "unit_node_id");
	in.unit_node_id = x->com;
	in.raised_on = "2999-01-01";
	assert_int_equal(enterprise_problem_create(x->s, id, &in, &pid, &f), -1);
	assert_string_equal(f.field, "raised_on");
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes"), 0);
	in.raised_on = "2025-09-01";
	assert_int_equal(enterprise_problem_create(x->s, id, &in, &pid, &f), 0);
	assert_int_equal(enterprise_problem_get(x->s, pid, &p, &f), 0);
	assert_string_equal(unit_shown(p.deadline), "2025-09-03T23:59:59+08:00");
	assert_string_equal(p.card, "none");
	enterprise_problem_release(&p);

	assert_int_equal(tn_sweep(x->s, unit_local("2025-09-04 00:00"), NULL, &r, &f), 0);
	assert_int_equal(r.red, 1);
	assert_int_equal(enterprise_problem_get(x->s, pid, &p, &f), 0);
	assert_string_equal(p.card, "red");
	enterprise_problem_release(&p);
	unit_actor(&owner, x->officer, "officer-wang", x->sub, "enterprise.read");
	assert_int_equal(tn_inbox(x->s, &owner, 50, &box, &f), 0);
	for (i = 0; i < box.n; i++)
		if (!strcmp(box.items[i].kind, ENTERPRISE_PROBLEM_KIND) && box.items[i].id == pid)
			found = 1;
	assert_true(found);
	tn_inbox_release(&box);
	/* Red: escalated to the enterprise's 帮包 leader, who sees it once, however it is reached. */
	assert_int_equal(enterprise_cadre_assign(x->s, id, "leader", x->officer2, "2025-01-01", &c, &f), 0);
	unit_actor(&leader, x->officer2, "officer-li", x->sub, "enterprise.read");
	assert_int_equal(tn_inbox(x->s, &leader, 50, &box, &f), 0);
	found = 0;
	for (i = 0; i < box.n; i++)
		if (!strcmp(box.items[i].kind, ENTERPRISE_PROBLEM_KIND) && box.items[i].id == pid) {
			found++;
			assert_string_equal(box.items[i].list, "escalated");
		}
	assert_int_equal(found, 1);
	assert_int_equal(box.count, 1);
	tn_inbox_release(&box);
	/* The owner, leading it too, sees it once. */
	assert_int_equal(enterprise_cadre_assign(x->s, id, "leader", x->officer, "2025-06-01", &c, &f), 0);
	assert_int_equal(tn_inbox(x->s, &owner, 50, &box, &f), 0);
	assert_int_equal(box.count, 1);
	assert_int_equal(box.n, 1);
	tn_inbox_release(&box);

	assert_int_equal(enterprise_problem_close(x->s, pid, NULL, "satisfied", x->officer, &f), -1);
	assert_string_equal(f.field, "evidence");
	assert_int_equal(enterprise_problem_close(x->s, pid, "已改造完成", "satisfied", x->officer, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE state = 'open'"), 0);
	assert_int_equal(enterprise_problem_close(x->s, pid, "again", "satisfied", x->officer, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
}

/* Growth in tenths of a percent, fixed point: the article's November, rounding, a zero month before. */
static void test_growth(void **state)
{
	int64_t g = 0;
	char text[16], m[8];

	(void)state;
	assert_int_equal(enterprise_growth_tenths(2027000000, 1841000000, &g), 0);	/* 20.27 亿 on 18.41 亿 */
	assert_int_equal(g, 101);
	assert_int_equal(enterprise_growth_tenths(362000000, 333000000, &g), 0);	/* 3.62 亿 on 3.33 亿 */
	assert_int_equal(g, 87);
	assert_int_equal(enterprise_growth_tenths(211000000, 170160000, &g), 0);	/* 久安酯: +24.0% */
	assert_int_equal(g, 240);
	/* Half a tenth rounds away from zero, both ways. */
	assert_int_equal(enterprise_growth_tenths(2001, 2000, &g), 0);
	assert_int_equal(g, 1);
	assert_int_equal(enterprise_growth_tenths(1999, 2000, &g), 0);
	assert_int_equal(g, -1);
	assert_int_equal(enterprise_growth_tenths(95, 100, &g), 0);
	assert_int_equal(g, -50);
	assert_int_equal(enterprise_growth_tenths(0, 100, &g), 0);
	assert_int_equal(g, -1000);
	/* From zero there is no growth. */
	assert_int_equal(enterprise_growth_tenths(500, 0, &g), -1);
	enterprise_growth_format(101, text, sizeof(text));
	assert_string_equal(text, "10.1");
	enterprise_growth_format(-5, text, sizeof(text));
	assert_string_equal(text, "-0.5");
	enterprise_growth_format(0, text, sizeof(text));
	assert_string_equal(text, "0.0");
	/* The months compared. */
	assert_int_equal(enterprise_month_add("2025-01", -1, m), 0);
	assert_string_equal(m, "2024-12");
	assert_int_equal(enterprise_month_add("2025-11", -12, m), 0);
	assert_string_equal(m, "2024-11");
	assert_int_equal(enterprise_month_add("2025-12", 1, m), 0);
	assert_string_equal(m, "2026-01");
	assert_int_equal(enterprise_month_add("2025-13", 1, m), -1);
	assert_false(enterprise_month_valid("2025-00"));
	assert_false(enterprise_month_valid("2025-1"));
	assert_true(enterprise_month_valid("2025-10"));
}

/* A missing month and a zero month before give no growth; a correction keeps the old values. */
static void test_indicators(void **state)
{
	struct fx *x = *state;
	struct enterprise_indicator_input in = { 0 };
	struct enterprise_indicator_list l;
	struct enterprise_indicator_correction_list c;
	struct fault f = { 0 };
	int64_t id = make_enterprise(x, GB_EXAMPLE, "圣泉");
	int corrected;

	in.month = "2025-01";
	in.value[EM_OUTPUT] = "0";
	assert_int_equal(enterprise_indicator_put(x->s, id, &in, &corrected, &f), 0);
	in.month = "2025-02";
	in.value[EM_OUTPUT] = "100";
	assert_int_equal(enterprise_indicator_put(x->s, id, &in, &corrected, &f), 0);
	in.month = "2025-04";				/* March missing */
	in.value[EM_OUTPUT] = "110";
	assert_int_equal(enterprise_indicator_put(x->s, id, &in, &corrected, &f), 0);
	in.month = "2025-05";
	in.value[EM_OUTPUT] = "121.0001";
	assert_int_equal(enterprise_indicator_put(x->s, id, &in, &corrected, &f), 0);
	in.value[EM_OUTPUT] = "-1";
	assert_int_equal(enterprise_indicator_put(x->s, id, &in, &corrected, &f), -1);
	assert_string_equal(f.field, "output");
	in.value[EM_OUTPUT] = "121";
	assert_int_equal(enterprise_indicator_put(x->s, id, &in, &corrected, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_string_equal(f.field, "reason");
	in.reason = "更正";
	assert_int_equal(enterprise_indicator_put(x->s, id, &in, &corrected, &f), 0);
	assert_int_equal(corrected, 1);

	assert_int_equal(enterprise_indicators(x->s, id, NULL, NULL, &l, &f), 0);
	assert_int_equal(l.n, 4);
	assert_false(l.items[1].has_mom[EM_OUTPUT]);	/* February after a zero January */
	assert_false(l.items[2].has_mom[EM_OUTPUT]);	/* April after a missing March */
	assert_true(l.items[3].has_mom[EM_OUTPUT]);
	assert_int_equal(l.items[3].value[EM_OUTPUT], 1210000);
	assert_int_equal(l.items[3].mom[EM_OUTPUT], 100);
	assert_int_equal(l.items[3].revision, 2);
	assert_false(l.items[3].has[EM_SALES]);
	enterprise_indicator_list_release(&l);
	assert_int_equal(enterprise_indicator_corrections(x->s, id, &c, &f), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.items[0].value[EM_OUTPUT], 1210001);
	assert_string_equal(c.items[0].reason, "更正");
	enterprise_indicator_correction_list_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_register, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contact_sealed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cadre_handover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_problem_is_a_time_node, setup, teardown),
		cmocka_unit_test(test_growth),
		cmocka_unit_test_setup_teardown(test_indicators, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
