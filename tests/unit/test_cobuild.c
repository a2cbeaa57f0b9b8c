/*
 * test_cobuild.c - src/cobuild: the rules of the three lists and of claims.
 * A unit's credit code is checked by the one GB 32100 rule and its contact's
 * phone is sealed; a project needs at least one open need of its own
 * subdistrict and opens its "unclaimed" time node; a claim by a unit of
 * another subdistrict is refused with nothing written; a claim closes the
 * unclaimed node and opens its own, which the shared sweeper cards red when
 * overdue; a report needs evidence and no future day; only the residents who
 * raised a need rate as residents, and the community's rating meets the needs.
 */
#include "unit.h"
#include "cobuild/cobuild.h"
#include "calendar/calendar.h"
#include "timenode/timenode.h"
#include "util/check.h"
#include "util/util.h"

#include <string.h>

/* A local date n days from today. */
static void day(int n, char out[11])
{
	char today[11];
	int32_t d;

	date_today_local(today);
	assert_int_equal(calendar_day_parse(today, &d), 0);
	calendar_day_format(d + n, out);
}

struct fx {
	struct store *s;
	int64_t sub, com, court, other, other_com;
	int64_t unit, far_unit, resident, neighbour, member, need1, need2, far_need;
};

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int64(s, sql, &n, 0), STORE_OK);
	return n;
}

static int64_t person(struct store *s, const char *name, int64_t sub, int party)
{
	assert_int_equal(store_run(s, "INSERT INTO persons (subdistrict_id, name, party_member, created_at, updated_at)"
				      " VALUES (?, ?, ?, '2026-01-01', '2026-01-01')", "iti", sub, name, (int64_t)party),
			 STORE_OK);
	return store_last_id(s);
}

static int64_t need(struct store *s, int64_t node, const char *title, int64_t person_id)
{
	struct cobuild_need_input in;
	struct fault f = { 0 };
	int64_t id;

	memset(&in, 0, sizeof(in));
	in.node_id = node;
	in.title = title;
	in.kind = "facility";
	in.source = person_id ? "resident" : "grid_member";
	in.raised_by_person_id = person_id;
	assert_int_equal(cobuild_need_create(s, &in, 0, &id, &f), 0);
	return id;
}

static int64_t unit(struct store *s, int64_t node, const char *name, const char *code)
{
	struct cobuild_unit_input in;
	struct fault f = { 0 };
	int64_t id;

	memset(&in, 0, sizeof(in));
	in.node_id = node;
	in.name = name;
	in.kind = "bank";
	in.credit_code = code;
	in.reported_on = "2025-03-01";
	assert_int_equal(cobuild_unit_create(s, &in, &id, &f), 0);
	return id;
}

static int setup(void **state)
{
	struct fx *x = xcalloc(1, sizeof(*x));

	x->s = unit_db_open();
	x->sub = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "明水街道");
	x->com = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "御泉社区");
	x->court = unit_node(x->s, x->com, LEVEL_COURTYARD, "机关宿舍院");
	x->other = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "刁镇街道");
	x->other_com = unit_node(x->s, x->other, LEVEL_COMMUNITY, "化工产业园");
	x->unit = unit(x->s, x->com, "章丘农商银行", "91370181MA3C4BQ02M");
	x->far_unit = unit(x->s, x->other_com, "刁镇卫生院", NULL);
	x->resident = person(x->s, "王大爷", x->sub, 0);
	x->neighbour = person(x->s, "李阿姨", x->sub, 0);
	x->member = person(x->s, "张党员", x->sub, 1);
	x->need1 = need(x->s, x->court, "3号楼需要无障碍坡道", x->resident);
	x->need2 = need(x->s, x->court, "老人想学手机支付", 0);
	x->far_need = need(x->s, x->other_com, "园区路灯", 0);
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

static void test_units(void **state)
{
	struct fx *x = *state;
	struct cobuild_unit_input in;
	struct cobuild_unit u;
	struct fault f = { 0 };
	int64_t id;

	memset(&in, 0, sizeof(in));
	in.node_id = x->com;
	in.name = "明水街道办事处";
	in.kind = "government";
	in.reported_on = "2025-03-01";
	/* the GB 32100 check character, by the one rule of util/check.c */
	in.credit_code = "91370181MA3C4BQ02A";
	assert_int_equal(cobuild_unit_create(x->s, &in, &id, &f), -1);
	assert_string_equal(f.field, "credit_code");
	/* a code is one unit's */
	in.credit_code = "91370181MA3C4BQ02M";
	assert_int_equal(cobuild_unit_create(x->s, &in, &id, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	in.credit_code = NULL;
	in.kind = "temple";
	assert_int_equal(cobuild_unit_create(x->s, &in, &id, &f), -1);
	assert_string_equal(f.field, "kind");
	in.kind = "government";
	in.reported_on = "2999-01-01";
	assert_int_equal(cobuild_unit_create(x->s, &in, &id, &f), -1);
	assert_string_equal(f.field, "reported_on");
	in.reported_on = "2025-03-01";
	in.contact_phone = "12345";
	assert_int_equal(cobuild_unit_create(x->s, &in, &id, &f), -1);
	assert_string_equal(f.field, "contact_phone");
	/* the contact's phone is sealed at rest and read back in clear */
	in.contact_name = "刘主任";
	in.contact_phone = "13805310001";
	assert_int_equal(cobuild_unit_create(x->s, &in, &id, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM cobuild_units WHERE contact_phone_enc LIKE '%13805310001%'"), 0);
	assert_int_equal(cobuild_unit_get(x->s, id, &u, &f), 0);
	assert_string_equal(u.contact_phone, "13805310001");
	assert_int_equal(u.subdistrict_id, x->sub);
	/* only party members report as in-service members, once each */
	assert_int_equal(cobuild_member_add(x->s, &u, x->resident, NULL, &id, &f), -1);
	assert_string_equal(f.field, "person_id");
	assert_int_equal(cobuild_member_add(x->s, &u, x->member, NULL, &id, &f), 0);
	assert_int_equal(cobuild_member_add(x->s, &u, x->member, NULL, &id, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	cobuild_unit_release(&u);
	assert_int_equal(cobuild_unit_get(x->s, x->unit, &u, &f), 0);
	assert_null(u.contact_phone);
	cobuild_unit_release(&u);
}

static void test_project_needs_a_need(void **state)
{
	struct fx *x = *state;
	struct cobuild_project_input in;
	struct cobuild_project p;
	struct fault f = { 0 };
	int64_t needs[2] = { x->need1, x->need2 }, far[1] = { x->far_need }, id;

	memset(&in, 0, sizeof(in));
	in.node_id = x->court;
	in.title = "坡道与手机课堂";
	/* a project without a need: refused, nothing written */
	assert_int_equal(cobuild_project_create(x->s, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "need_ids");
	/* a need of another subdistrict */
	in.need_ids = far;
	in.n_needs = 1;
	assert_int_equal(cobuild_project_create(x->s, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "need_ids");
	in.need_ids = needs;
	in.n_needs = 2;
	in.claim_by = "2020-01-01";
	assert_int_equal(cobuild_project_create(x->s, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "claim_by");
	assert_int_equal(count(x->s, "SELECT count(*) FROM cobuild_projects"), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes"), 0);
	in.claim_by = NULL;
	assert_int_equal(cobuild_project_create(x->s, &in, 0, &id, &f), 0);
	assert_int_equal(cobuild_project_get(x->s, id, &p, &f), 0);
	assert_int_equal(p.n_needs, 2);
	assert_string_equal(p.status, "open");
	assert_string_equal(p.card, "none");
	cobuild_project_release(&p);
	assert_int_equal(count(x->s, "SELECT count(*) FROM cobuild_needs WHERE status = 'planned'"), 2);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'cobuild_unclaimed' AND state = 'open'"), 1);
	/* a need goes into one project */
	in.n_needs = 1;
	assert_int_equal(cobuild_project_create(x->s, &in, 0, &id, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
}

static int64_t project(struct fx *x)
{
	struct cobuild_project_input in;
	struct fault f = { 0 };
	int64_t needs[2] = { x->need1, x->need2 }, id;

	memset(&in, 0, sizeof(in));
	in.node_id = x->court;
	in.title = "坡道与手机课堂";
	in.need_ids = needs;
	in.n_needs = 2;
	assert_int_equal(cobuild_project_create(x->s, &in, 0, &id, &f), 0);
	return id;
}

static void test_claim_report_rate(void **state)
{
	struct fx *x = *state;
	struct cobuild_project p;
	struct cobuild_claim_input in;
	struct cobuild_report_input rep;
	struct cobuild_rating_input rate;
	struct cobuild_claim c;
	struct tn_sweep_policy pol;
	struct tn_sweep_report r;
	struct fault f = { 0 };
	char ago10[11], ago3[11], future[11], today[11];
	int64_t id, other;

	assert_int_equal(cobuild_project_get(x->s, project(x), &p, &f), 0);
	day(-10, ago10);
	day(-3, ago3);
	day(1, future);
	date_today_local(today);
	memset(&in, 0, sizeof(in));
	in.due_on = ago3;
	in.claimed_on = ago10;
	/* a unit of another subdistrict: refused on unit_id, nothing written */
	in.unit_id = x->far_unit;
	assert_int_equal(cobuild_claim_create(x->s, &p, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "unit_id");
	in.unit_id = 0;
	assert_int_equal(cobuild_claim_create(x->s, &p, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "unit_id");
	in.person_id = x->resident;	/* not a party member */
	assert_int_equal(cobuild_claim_create(x->s, &p, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "person_id");
	in.person_id = 0;
	in.unit_id = x->unit;
	in.due_on = ago10;
	assert_int_equal(cobuild_claim_create(x->s, &p, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "due_on");
	assert_int_equal(count(x->s, "SELECT count(*) FROM cobuild_claims"), 0);
	in.due_on = ago3;
	assert_int_equal(cobuild_claim_create(x->s, &p, &in, 0, &id, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'cobuild_unclaimed' AND state = 'open'"), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'cobuild_claim' AND state = 'open'"), 1);
	/* claimed once */
	assert_int_equal(cobuild_claim_create(x->s, &p, &in, 0, &other, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	cobuild_project_release(&p);
	/* overdue: the one sweeper cards it red */
	tn_sweep_policy_default(&pol);
	assert_int_equal(tn_sweep(x->s, time_now_us() / 1000000, &pol, &r, &f), 0);
	assert_int_equal(r.red, 1);
	assert_int_equal(cobuild_claim_get(x->s, id, &c, &f), 0);
	assert_string_equal(c.card, "red");
	cobuild_claim_release(&c);
	/* rated only after its report */
	memset(&rate, 0, sizeof(rate));
	rate.rater = "community";
	rate.score = 5;
	assert_int_equal(cobuild_claim_rate(x->s, id, &rate, 0, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	/* report: evidence, a day served not in the future, hours with one decimal */
	memset(&rep, 0, sizeof(rep));
	rep.served_on = today;
	rep.hours = "6.5";
	assert_int_equal(cobuild_claim_report(x->s, id, &rep, 0, &f), -1);
	assert_string_equal(f.field, "evidence");
	rep.evidence = "坡道已建成，照片见附件";
	rep.served_on = future;
	assert_int_equal(cobuild_claim_report(x->s, id, &rep, 0, &f), -1);
	assert_string_equal(f.field, "served_on");
	rep.served_on = today;
	rep.hours = "6.55";
	assert_int_equal(cobuild_claim_report(x->s, id, &rep, 0, &f), -1);
	assert_string_equal(f.field, "hours");
	rep.hours = "6.5";
	assert_int_equal(cobuild_claim_report(x->s, id, &rep, 0, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'cobuild_claim' AND state = 'open'"), 0);
	assert_int_equal(cobuild_claim_get(x->s, id, &c, &f), 0);
	assert_string_equal(c.status, "reported");
	assert_int_equal(c.hours_tenths, 65);
	assert_int_equal(c.on_time, 0);	/* due three days ago */
	cobuild_claim_release(&c);
	/* residents: only one who raised a need of the project */
	rate.rater = "resident";
	rate.person_id = x->neighbour;
	assert_int_equal(cobuild_claim_rate(x->s, id, &rate, 0, &f), -1);
	assert_string_equal(f.field, "person_id");
	rate.person_id = x->resident;
	rate.score = 6;
	assert_int_equal(cobuild_claim_rate(x->s, id, &rate, 0, &f), -1);
	assert_string_equal(f.field, "score");
	rate.score = 4;
	assert_int_equal(cobuild_claim_rate(x->s, id, &rate, 0, &f), 0);
	assert_int_equal(cobuild_claim_rate(x->s, id, &rate, 0, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_int_equal(count(x->s, "SELECT count(*) FROM cobuild_needs WHERE status = 'met'"), 0);
	/* the community's rating closes it: the needs are met */
	rate.rater = "community";
	rate.person_id = 0;
	rate.score = 5;
	assert_int_equal(cobuild_claim_rate(x->s, id, &rate, 0, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM cobuild_needs WHERE status = 'met'"), 2);
	assert_int_equal(count(x->s, "SELECT count(*) FROM cobuild_projects WHERE status = 'rated'"), 1);
	assert_int_equal(cobuild_claim_get(x->s, id, &c, &f), 0);
	assert_int_equal(c.community_score, 5);
	assert_int_equal(c.resident_ratings, 1);
	assert_int_equal(c.resident_score_sum, 4);
	cobuild_claim_release(&c);
}

static void test_unit_contact_sees_own_claims(void **state)
{
	struct fx *x = *state;
	struct cobuild_unit u;
	struct cobuild_project p;
	struct cobuild_claim_input in;
	struct cobuild_claim_list l;
	struct fault f = { 0 };
	struct user_input ui;
	char due[11];
	int64_t uid, id;

	memset(&ui, 0, sizeof(ui));
	ui.login = "bank";
	ui.role = "unit_contact";
	ui.scope_node_id = x->com;
	ui.password = "Unit-Pass-2026!";
	assert_int_equal(user_create(x->s, &ui, NULL, &uid, &f), 0);
	assert_int_equal(cobuild_user_has_units(x->s, uid, &f), 0);
	assert_int_equal(cobuild_unit_get(x->s, x->unit, &u, &f), 0);
	assert_int_equal(cobuild_unit_user_add(x->s, &u, uid, &f), 0);
	cobuild_unit_release(&u);
	assert_int_equal(cobuild_user_has_units(x->s, uid, &f), 1);
	assert_int_equal(cobuild_user_speaks_for(x->s, uid, x->unit, &f), 1);
	assert_int_equal(cobuild_user_speaks_for(x->s, uid, x->far_unit, &f), 0);
	assert_int_equal(cobuild_project_get(x->s, project(x), &p, &f), 0);
	day(7, due);
	memset(&in, 0, sizeof(in));
	in.person_id = x->member;
	in.due_on = due;
	assert_int_equal(cobuild_claim_create(x->s, &p, &in, 0, &id, &f), 0);
	cobuild_project_release(&p);
	/* a party member's claim is not the bank's */
	assert_int_equal(cobuild_claim_list(x->s, 0, uid, &l, &f), 0);
	assert_int_equal(l.n, 0);
	cobuild_claim_list_release(&l);
	assert_int_equal(cobuild_claim_list(x->s, x->com, 0, &l, &f), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].claimant, "张党员");
	cobuild_claim_list_release(&l);
}

static void test_hours(void **state)
{
	struct fault f = { 0 };
	char t[24];
	int64_t v;

	(void)state;
	assert_int_equal(cobuild_hours_parse("hours", "2.5", &v, &f), 0);
	assert_int_equal(v, 25);
	cobuild_hours_format(v, t);
	assert_string_equal(t, "2.5");
	assert_int_equal(cobuild_hours_parse("hours", "-1", &v, &f), -1);
	assert_string_equal(f.field, "hours");
	assert_int_equal(cobuild_hours_parse("hours", "10001", &v, &f), -1);
	assert_int_equal(cobuild_hours_parse("hours", "abc", &v, &f), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hours),
		cmocka_unit_test_setup_teardown(test_units, setup, teardown),
		cmocka_unit_test_setup_teardown(test_project_needs_a_need, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_report_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unit_contact_sees_own_claims, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
