/*
 * test_cobuild.c - src/cobuild: the rules of the three lists and of claims.
 * A unit's credit code is checked by the one GB 32100 rule and its contact's
 * phone is sealed; a project needs at least one open need of its own
 * subdistrict and opens its "unclaimed" time node; a claim by a unit of
 * another subdistrict is refused with nothing written; a claim closes the
 * unclaimed node and opens its own, which the shared sweeper cards red when
 * overdue; a report needs evidence and no future day; only the residents who
 * raised a need rate as residents, and the community's rating meets the needs.
 * An agreement's review counts hours from the unit's claims and money as
 * recorded once a year; a party member's status and transfers keep their
 * history, service is never in the future, and points follow the rule.
 */
#include "unit.h"
#include "cobuild/cobuild.h"
#include "calendar/calendar.h"
#include "timenode/timenode.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
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

static void test_agreement_review(void **state)
{
	struct fx *x = *state;
	struct cobuild_agreement_input in;
	struct cobuild_agreement a;
	struct cobuild_review r;
	struct cobuild_project p;
	struct cobuild_claim_input ci;
	struct cobuild_report_input rep;
	struct fault f = { 0 };
	char today[11], due[11], from[32], to[32];
	int64_t id, agreement, hours, money, claim;
	int year;

	date_today_local(today);
	year = atoi(today);
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year + 1);
	memset(&in, 0, sizeof(in));
	in.unit_id = x->unit;
	in.title = "共驻共建协议";
	in.starts_on = to;
	in.ends_on = from;
	in.signed_on = from;
	assert_int_equal(cobuild_agreement_create(x->s, &in, &id, &f), -1);
	assert_string_equal(f.field, "ends_on");
	in.starts_on = from;
	in.ends_on = to;
	assert_int_equal(cobuild_agreement_create(x->s, &in, &agreement, &f), 0);
	assert_int_equal(cobuild_agreement_get(x->s, agreement, &a, &f), 0);
	assert_int_equal(cobuild_commitment_add(x->s, &a, "hours", "志愿服务", "100", &hours, &f), 0);
	assert_int_equal(cobuild_commitment_add(x->s, &a, "money", "助老基金", "5000.5", &money, &f), 0);
	assert_int_equal(cobuild_commitment_add(x->s, &a, "service", "课堂", "0", &id, &f), -1);
	assert_string_equal(f.field, "per_year");
	/* hours are counted from claims, never typed; money once a year, in the term, not in the future */
	assert_int_equal(cobuild_delivery_record(x->s, hours, year, "10", NULL, 0, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_int_equal(cobuild_delivery_record(x->s, money, year + 1, "10", NULL, 0, &f), -1);
	assert_string_equal(f.field, "year");
	assert_int_equal(cobuild_delivery_record(x->s, money, year, "2000", NULL, 0, &f), 0);
	assert_int_equal(cobuild_delivery_record(x->s, money, year, "1", NULL, 0, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	/* the unit's reported claim is its hours delivered */
	cobuild_agreement_release(&a);
	assert_int_equal(cobuild_agreement_get(x->s, agreement, &a, &f), 0);
	assert_int_equal(cobuild_project_get(x->s, project(x), &p, &f), 0);
	day(5, due);
	memset(&ci, 0, sizeof(ci));
	ci.unit_id = x->unit;
	ci.due_on = due;
	assert_int_equal(cobuild_claim_create(x->s, &p, &ci, 0, &claim, &f), 0);
	cobuild_project_release(&p);
	memset(&rep, 0, sizeof(rep));
	rep.evidence = "照片";
	rep.served_on = today;
	rep.hours = "12.5";
	assert_int_equal(cobuild_claim_report(x->s, claim, &rep, 0, &f), 0);
	assert_int_equal(cobuild_agreement_review(x->s, &a, year, &r, &f), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.items[0].kind, "hours");
	assert_int_equal(r.items[0].promised, 1000);
	assert_int_equal(r.items[0].delivered, 125);
	assert_int_equal(r.items[1].promised, 500050);
	assert_int_equal(r.items[1].delivered, 200000);
	cobuild_review_release(&r);
	assert_int_equal(cobuild_agreement_review(x->s, &a, year + 2, &r, &f), -1);
	assert_string_equal(f.field, "year");
	cobuild_agreement_release(&a);
}

static void test_party_rules(void **state)
{
	struct fx *x = *state;
	struct party_member_input in;
	struct party_member m;
	struct party_event_list ev;
	struct fault f = { 0 };
	char today[11], ago[11], older[11], future[11];
	int64_t org1, org2, id, rid;

	date_today_local(today);
	day(-30, ago);
	day(-60, older);
	day(1, future);
	assert_int_equal(party_points(25, 1, 1), 2 + 2 + 5);	/* full hours, a record, a claim */
	assert_int_equal(store_run(x->s, "INSERT INTO party_orgs (subdistrict_id, node_id, kind, name, created_at, updated_at)"
					 " VALUES (?, ?, 'courtyard_branch', '机关宿舍院党支部', 'x', 'x')", "ii", x->sub, x->court),
			 STORE_OK);
	org1 = store_last_id(x->s);
	assert_int_equal(store_run(x->s, "INSERT INTO party_orgs (subdistrict_id, node_id, kind, name, created_at, updated_at)"
					 " VALUES (?, ?, 'general_branch', '御泉社区党总支', 'x', 'x')", "ii", x->sub, x->com),
			 STORE_OK);
	org2 = store_last_id(x->s);
	memset(&in, 0, sizeof(in));
	in.person_id = x->member;
	in.org_id = org1;
	in.status = "probationary";
	in.since = future;
	assert_int_equal(party_member_enrol(x->s, &in, 0, &id, &f), -1);
	assert_string_equal(f.field, "since");
	in.since = ago;
	assert_int_equal(party_member_enrol(x->s, &in, 0, &id, &f), 0);
	assert_int_equal(party_member_enrol(x->s, &in, 0, &rid, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	/* status: different, on a day not before the last change */
	assert_int_equal(party_member_status(x->s, id, "probationary", today, NULL, 0, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_int_equal(party_member_status(x->s, id, "formal", older, NULL, 0, &f), -1);
	assert_string_equal(f.field, "since");
	assert_int_equal(party_member_status(x->s, id, "formal", today, "预备期满", 0, &f), 0);
	/* a transfer: to another branch, with a reason; the node follows the branch */
	assert_int_equal(party_member_transfer(x->s, id, org1, today, "搬家", 0, &f), -1);
	assert_string_equal(f.field, "to_org_id");
	assert_int_equal(party_member_transfer(x->s, id, org2, today, NULL, 0, &f), -1);
	assert_string_equal(f.field, "reason");
	assert_int_equal(party_member_transfer(x->s, id, org2, today, "转入社区党总支", 0, &f), 0);
	assert_int_equal(party_member_events(x->s, id, &ev, &f), 0);
	assert_int_equal(ev.n, 3);
	assert_string_equal(ev.items[2].action, "transfer");
	assert_int_equal(ev.items[2].from_org_id, org1);
	assert_int_equal(ev.items[2].to_org_id, org2);
	party_event_list_release(&ev);
	/* service: never in the future, hours more than nothing */
	assert_int_equal(party_service_record(x->s, id, future, "2", "修水管", NULL, 0, &rid, &f), -1);
	assert_string_equal(f.field, "served_on");
	assert_int_equal(party_service_record(x->s, id, today, "0", "修水管", NULL, 0, &rid, &f), -1);
	assert_string_equal(f.field, "hours");
	assert_int_equal(count(x->s, "SELECT count(*) FROM party_service_records"), 0);
	assert_int_equal(party_service_record(x->s, id, today, "3.5", "修水管", "王大爷", 0, &rid, &f), 0);
	assert_int_equal(party_member_get(x->s, id, atoi(today), &m, &f), 0);
	assert_string_equal(m.status, "formal");
	assert_int_equal(m.org_id, org2);
	assert_int_equal(m.node_id, x->com);
	assert_int_equal(m.hours_year, 35);
	assert_int_equal(m.points_year, 3 + 2);
	party_member_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hours),
		cmocka_unit_test_setup_teardown(test_units, setup, teardown),
		cmocka_unit_test_setup_teardown(test_project_needs_a_need, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_report_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unit_contact_sees_own_claims, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agreement_review, setup, teardown),
		cmocka_unit_test_setup_teardown(test_party_rules, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
