/*
 * demo_cobuild.c - co-building in the Mingshui demo (issue 18): the units that
 * reported to their communities — the rural commercial bank at 御泉社区 and
 * the offices whose dormitory courtyards are in the demo — with the party
 * members living in those courtyards as their in-service members; needs from
 * the residents of 御泉社区, the units' resources, projects built from the
 * needs (one claimed, reported and rated, one in progress, one waiting for a
 * unit), the bank's agreement with this year's money delivered; and the 25
 * party members of the 桃花山 dormitory on the roll with their service records.
 * Dates are counted back from today, so the demo reads the same whenever it is
 * loaded.  Everything goes through the domain functions, in the caller's
 * transaction.
 */
#include "demo/demo.h"
#include "cobuild/cobuild.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *kind, *community, *credit_code, *party_org, *courtyard;
} units[] = {
	{ "章丘农村商业银行御泉支行", "bank", "MS-05", "91370181MA3C5YQ01K", "御泉支行党支部", NULL },
	{ "章丘区公路局", "government", "MS-04", "11370181004412301R", "公路局机关党委", "MS-04-01" },
	{ "章丘区第一职业中等专业学校", "school", "MS-05", "123701814955011028", "一职专党委", "MS-05-01" },
	{ "章丘区人民医院", "hospital", "MS-06", "12370181495521203G", "人民医院党委", "MS-06-02" },
	{ "章丘区机关事务服务中心", "institution", "MS-02", "11370181004417704X", "机关事务服务中心党支部", "MS-02-01" },
};

static const char SQL_PEOPLE[] =
	"SELECT id FROM persons WHERE party_member = ? AND home_node_id IN"
	" (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?) ORDER BY id LIMIT ?";
static const char SQL_BRANCH[] = "SELECT id FROM party_orgs WHERE node_id = ?";

static void day(int n, char out[11])
{
	char today[11];
	int32_t d;

	date_today_local(today);
	calendar_day_parse(today, &d);
	calendar_day_format(d + n, out);
}

static int node_id(struct store *s, const char *code, int64_t *id, struct fault *f)
{
	struct node n;

	if (org_node_get_by_code(s, code, &n, f) < 0)
		return -1;
	*id = n.id;
	node_release(&n);
	return 0;
}

/* Up to max persons living under node, party members or not. */
static size_t people(struct store *s, int64_t node, int party, int64_t *out, size_t max, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_PEOPLE, "iii", (int64_t)party, node, (int64_t)max);
	size_t n = 0;
	int rc;

	while (store_next(st, &rc))
		out[n++] = store_column_int64(st, 0);
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		return (size_t)-1;
	}
	return n;
}

static int need(struct store *s, int64_t node, const char *title, const char *kind, const char *urgency,
		const char *source, int64_t person, int ago, int64_t *id, struct fault *f)
{
	struct cobuild_need_input in;
	char on[11];

	memset(&in, 0, sizeof(in));
	day(-ago, on);
	in.node_id = node;
	in.title = title;
	in.kind = kind;
	in.urgency = urgency;
	in.source = source;
	in.raised_by_person_id = person;
	in.raised_on = on;
	return cobuild_need_create(s, &in, 0, id, f);
}

static int project(struct store *s, int64_t node, const char *title, const int64_t *needs, size_t nn,
		   const int64_t *res, size_t nr, struct cobuild_project *out, struct fault *f)
{
	struct cobuild_project_input in;
	int64_t id;

	memset(&in, 0, sizeof(in));
	in.node_id = node;
	in.title = title;
	in.need_ids = needs;
	in.n_needs = nn;
	in.resource_ids = res;
	in.n_resources = nr;
	if (cobuild_project_create(s, &in, 0, &id, f) < 0)
		return -1;
	return cobuild_project_get(s, id, out, f);
}

/* The 桃花山 dormitory's party members on the roll, each with service records of the last months. */
static int party_roll(struct store *s, struct fault *f)
{
	static const char *const what[] = { "帮独居老人买菜", "楼道卫生清扫", "调解邻里纠纷", "陪老人就医", "义务理发",
					    "防诈骗宣传", "维修楼道灯", "辅导孩子功课" };
	struct store_stmt *st;
	struct party_member_input in;
	int64_t court, branch, members[DEMO_STORY_PARTY_MEMBERS], id, rid;
	char since[11], on[11], hours[8];
	size_t n, i;
	int k;

	if (node_id(s, DEMO_STORY_COURTYARD_CODE, &court, f) < 0)
		return -1;
	if (store_get_by_id(s, SQL_BRANCH, court, "party organisation", &st, f) < 0)
		return -1;
	branch = store_column_int64(st, 0);
	store_done(st);
	if ((n = people(s, court, 1, members, DEMO_STORY_PARTY_MEMBERS, f)) == (size_t)-1)
		return -1;
	for (i = 0; i < n; i++) {
		memset(&in, 0, sizeof(in));
		day(-(int)(400 + 37 * i), since);
		in.person_id = members[i];
		in.org_id = branch;
		/* most are full members; a few are probationary or being developed */
		in.status = i % 12 == 5 ? "probationary" : i % 12 == 9 ? "candidate" : "formal";
		in.since = since;
		in.pledge = i % 3 == 0 ? "亮身份、作表率：有事找我" : NULL;
		if (party_member_enrol(s, &in, 0, &id, f) < 0)
			return -1;
		/* every fifth member has served nobody in the last months: the branch's view shows them */
		if (i % 5 == 4)
			continue;
		for (k = 0; k < 1 + (int)(i % 3); k++) {
			/* the latest today, so the branch's quarter is never empty whatever the day of loading */
			day(k ? -(int)(3 + 11 * k + i % 7) : 0, on);
			snprintf(hours, sizeof(hours), "%d.%d", 1 + (int)((i + (size_t)k) % 3), (int)(i % 2) * 5);
			if (party_service_record(s, id, on, hours, what[(i + (size_t)k) % YL_ARRAY_LEN(what)], "院内居民", 0,
						 &rid, f) < 0)
				return -1;
		}
	}
	return 0;
}

int demo_cobuild(struct store *s, struct fault *f)
{
	struct cobuild_unit_input ui;
	struct cobuild_unit u;
	struct cobuild_resource_input ri;
	struct cobuild_claim_input ci;
	struct cobuild_report_input rep;
	struct cobuild_rating_input rate;
	struct cobuild_agreement_input ai;
	struct cobuild_agreement a;
	struct cobuild_project p;
	int64_t unit_ids[YL_ARRAY_LEN(units)], node, yard, yq, yq1, yq2, residents[4], members[3], id, needs[4], res[3];
	int64_t claim, agreement;
	char reported[11], due[11], today[11], from[32], to[32];
	size_t i, j, n;

	date_today_local(today);
	day(-400, reported);
	for (i = 0; i < YL_ARRAY_LEN(units); i++) {
		if (node_id(s, units[i].community, &node, f) < 0)
			return -1;
		memset(&ui, 0, sizeof(ui));
		ui.name = units[i].name;
		ui.kind = units[i].kind;
		ui.node_id = node;
		ui.credit_code = units[i].credit_code;
		ui.party_org_name = units[i].party_org;
		ui.reported_on = reported;
		if (cobuild_unit_create(s, &ui, &unit_ids[i], f) < 0 || cobuild_unit_get(s, unit_ids[i], &u, f) < 0)
			return -1;
		/* the party members living in the unit's dormitory report through it (在职党员双报到) */
		if (units[i].courtyard) {
			if (node_id(s, units[i].courtyard, &yard, f) < 0 ||
			    (n = people(s, yard, 1, members, YL_ARRAY_LEN(members), f)) == (size_t)-1) {
				cobuild_unit_release(&u);
				return -1;
			}
			for (j = 0; j < n; j++)
				if (cobuild_member_add(s, &u, members[j], reported, &id, f) < 0) {
					cobuild_unit_release(&u);
					return -1;
				}
		}
		cobuild_unit_release(&u);
	}
	/* 御泉社区: needs from its residents, the bank's and the school's resources */
	if (node_id(s, "MS-05", &yq, f) < 0 || node_id(s, "MS-05-02", &yq1, f) < 0 || node_id(s, "MS-05-03", &yq2, f) < 0 ||
	    (n = people(s, yq1, 0, residents, YL_ARRAY_LEN(residents), f)) == (size_t)-1)
		return -1;
	if (n < 2)
		return fault_set(f, FAULT_INTERNAL, NULL, "demo: too few residents at MS-05-02");
	if (need(s, yq1, "5号楼需要无障碍坡道", "facility", "urgent", "resident", residents[0], 30, &needs[0], f) < 0 ||
	    need(s, yq1, "老人想学用手机支付、防范电信诈骗", "finance", "normal", "resident", residents[1], 28, &needs[1], f) < 0 ||
	    need(s, yq2, "楼道灯长期不亮", "facility", "normal", "council", 0, 20, &needs[2], f) < 0 ||
	    need(s, yq2, "孩子放学后无人看护", "education", "normal", "grid_member", 0, 6, &needs[3], f) < 0)
		return -1;
	memset(&ri, 0, sizeof(ri));
	ri.node_id = yq;
	ri.unit_id = unit_ids[0];
	ri.kind = "funding";
	ri.title = "助老金融服务基金";
	if (cobuild_resource_create(s, &ri, &res[0], f) < 0)
		return -1;
	ri.kind = "professional";
	ri.title = "金融知识进社区讲座";
	if (cobuild_resource_create(s, &ri, &res[1], f) < 0)
		return -1;
	ri.unit_id = unit_ids[2];
	ri.kind = "venue";
	ri.title = "实训楼多功能厅";
	if (cobuild_resource_create(s, &ri, &res[2], f) < 0)
		return -1;
	/* the bank's project: claimed, carried out, reported and rated by the community and the residents */
	if (project(s, yq1, "无障碍坡道与金融服务进小区", needs, 2, res, 2, &p, f) < 0)
		return -1;
	memset(&ci, 0, sizeof(ci));
	day(10, due);
	ci.unit_id = unit_ids[0];
	ci.due_on = due;
	if (cobuild_claim_create(s, &p, &ci, 0, &claim, f) < 0) {
		cobuild_project_release(&p);
		return -1;
	}
	cobuild_project_release(&p);
	memset(&rep, 0, sizeof(rep));
	rep.report = "银行党员志愿者出资修建坡道，并开设三期手机支付与防诈骗课堂";
	rep.evidence = "竣工照片 6 张，课堂签到表 3 份";
	rep.served_on = today;
	rep.hours = "36";
	if (cobuild_claim_report(s, claim, &rep, 0, f) < 0)
		return -1;
	memset(&rate, 0, sizeof(rate));
	rate.rater = "resident";
	rate.person_id = residents[0];
	rate.score = 5;
	rate.comment = "坡道好走了，轮椅能下楼";
	if (cobuild_claim_rate(s, claim, &rate, 0, f) < 0)
		return -1;
	rate.rater = "community";
	rate.person_id = 0;
	rate.comment = "按期完成，居民满意";
	if (cobuild_claim_rate(s, claim, &rate, 0, f) < 0)
		return -1;
	/* the school's project, in progress; a third waiting for a unit */
	if (project(s, yq2, "楼道照明改造", &needs[2], 1, NULL, 0, &p, f) < 0)
		return -1;
	ci.unit_id = unit_ids[2];
	day(14, due);
	ci.due_on = due;
	id = cobuild_claim_create(s, &p, &ci, 0, &claim, f);
	cobuild_project_release(&p);
	if (id < 0)
		return -1;
	if (project(s, yq2, "四点半课堂", &needs[3], 1, &res[2], 1, &p, f) < 0)
		return -1;
	cobuild_project_release(&p);
	/* the bank's agreement with 御泉社区 for this year and the next, and this year's money delivered */
	snprintf(from, sizeof(from), "%.4s-01-01", today);
	snprintf(to, sizeof(to), "%04d-12-31", atoi(today) + 1);
	memset(&ai, 0, sizeof(ai));
	ai.unit_id = unit_ids[0];
	ai.title = "御泉社区与章丘农商银行御泉支行共驻共建协议";
	ai.starts_on = from;
	ai.ends_on = to;
	ai.signed_on = from;
	ai.document_ref = "御泉共建〔协议〕1号";
	if (cobuild_agreement_create(s, &ai, &agreement, f) < 0 || cobuild_agreement_get(s, agreement, &a, f) < 0)
		return -1;
	if (cobuild_commitment_add(s, &a, "hours", "党员志愿服务", "100", &id, f) < 0 ||
	    cobuild_commitment_add(s, &a, "money", "助老金融服务基金", "20000", &id, f) < 0 ||
	    cobuild_delivery_record(s, id, atoi(today), "8000", "第一期拨付", 0, f) < 0 ||
	    cobuild_commitment_add(s, &a, "service", "金融知识讲座", "6", &id, f) < 0) {
		cobuild_agreement_release(&a);
		return -1;
	}
	cobuild_agreement_release(&a);
	return party_roll(s, f);
}
