/*
 * demo_councils.c - the demo's councils, boards and mediation (issue 17):
 * the 君临天下小区 council with two years of monthly meetings, their
 * attendance, proposals, votes and results, the resolutions of those that
 * passed (most done on time with evidence, the last ones still open, two
 * turned into work orders); the boards of the article's named courtyards (the
 * convention, the duty roster, the party members 亮身份, the council's
 * results); and a year of mediation cases across Mingshui, most settled in
 * the courtyard, some in the community, a few above or referred; 红白理事会
 * filings.  Everything through the domain functions, as the demo's accounts
 * (junlin, longquan); deterministic (a fixed seed), dated back from today.
 */
#include "auth/auth.h"
#include "calendar/calendar.h"
#include "council/council.h"
#include "demo/demo.h"
#include "org/org.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED 0x17C0FFEEu
#define DEMO_PROPERTY_CATEGORY 6	/* 城乡建设 > 物业管理 (migration 005) */

struct rng {
	uint32_t s;
};

static uint32_t next(struct rng *r)
{
	r->s = r->s * 1664525u + 1013904223u;
	return r->s >> 8;
}

static int range(struct rng *r, int lo, int hi)
{
	return lo + (int)(next(r) % (uint32_t)(hi - lo + 1));
}

static const char *const SURNAMES[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "马", "朱", "胡" };
static const char *const GIVEN[] = { "建国", "秀英", "桂兰", "志强", "丽华", "海燕", "明", "伟", "淑珍", "玉梅", "德胜", "春生" };

static void person_name(struct rng *r, char out[32])
{
	snprintf(out, 32, "%s%s", SURNAMES[range(r, 0, (int)YL_ARRAY_LEN(SURNAMES) - 1)],
		 GIVEN[range(r, 0, (int)YL_ARRAY_LEN(GIVEN) - 1)]);
}

static const struct {
	const char *title, *body, *resolution;
} TOPICS[] = {
	{ "东门加装电动车充电桩", "东门停车棚加装 20 个充电口，解决飞线充电", "东门停车棚安装充电桩" },
	{ "楼道堆物集中清理", "各楼道杂物影响消防通道，组织一次集中清理", "组织楼道堆物集中清理" },
	{ "垃圾分类督导员轮值", "早晚高峰在投放点设督导员，由党员和志愿者轮值", "排定垃圾分类督导轮值表" },
	{ "小区路灯维修", "北区 6 盏路灯不亮，夜间出行不便", "维修北区路灯" },
	{ "增设快递柜", "快递堆放在门岗，建议在西门增设快递柜", "协调快递柜进驻西门" },
	{ "老年助餐点选址", "利用物业闲置用房开设老年助餐点", "物业闲置用房改建助餐点" },
	{ "外墙渗水维修基金使用", "3号楼外墙渗水，申请使用维修基金", "启动3号楼外墙维修" },
	{ "地面停车位重新划线", "地面车位划线不清，占道停车多", "重新施划地面停车位" },
	{ "绿地改建小游园", "南侧荒地改建居民小游园", "南侧绿地改建小游园" },
	{ "宠物文明饲养公约", "制定宠物文明饲养公约，纳入文明公约", "修订文明公约宠物条款" },
	{ "单元门禁更换", "老旧单元门禁故障频繁，统一更换", "更换单元门禁" },
	{ "二次供水水箱清洗", "每半年清洗一次二次供水水箱并公示检测结果", "清洗二次供水水箱并公示" },
};

static const struct {
	const char *name;
	const char *seat;
} SEATS[] = {
	{ NULL, "party_member" }, { NULL, "party_member" }, { NULL, "resident_rep" }, { NULL, "resident_rep" },
	{ NULL, "resident_rep" }, { NULL, "building_head" }, { NULL, "building_head" }, { "明珠物业 刘经理", "property" },
	{ NULL, "owners_committee" }, { NULL, "grid_member" },
};

struct ctx {
	struct store *s;
	struct fault *f;
	struct rng rng;
	struct actor junlin, longquan;
	int have_junlin, have_longquan;
	int32_t today;
	int orders;			/* 0: the tree only (yuanluo demo --no-orders): no resolution becomes an order */
	struct demo_council_counts *c;
};

static int load_actor(struct ctx *x, const char *login, struct actor *a, int *have)
{
	struct user u;

	*have = 0;
	if (user_get_by_login(x->s, login, &u, x->f) < 0) {
		if (x->f->kind != FAULT_NOT_FOUND)
			return -1;
		fault_clear(x->f);
		return 0;
	}
	memset(a, 0, sizeof(*a));
	a->user_id = u.id;
	snprintf(a->login, sizeof(a->login), "%s", u.login);
	snprintf(a->role, sizeof(a->role), "%s", u.role);
	a->scope_node_id = u.scope_node_id;
	user_release(&u);
	if (auth_role_permissions(x->s, a->role, a, x->f) < 0)
		return -1;
	*have = 1;
	return 0;
}

static void day_text(int32_t d, char out[11])
{
	calendar_day_format(d, out);
}

/* The council of 君临天下小区 with its members and parties; two years of meetings. */
static int build_council(struct ctx *x, int64_t yard)
{
	struct council_input ci = { 0 };
	struct council_member_input mi;
	int64_t council, members[YL_ARRAY_LEN(SEATS)], id;
	char start[11], end[11], joined[11], name[32], phone[16];
	size_t i, k, topic = 0, nresolved = 0, spawned = 0, nmeeting = 0;
	int32_t first = x->today - 730, d;

	day_text(first - 10, start);
	day_text(first + 3 * 365, end);
	ci.node_id = yard;
	ci.name = "君临天下小区议事会";
	ci.term_start = start;
	ci.term_end = end;
	ci.quorum_percent = 50;
	ci.pass_rule = "majority";
	ci.convenor_user_id = x->have_junlin ? x->junlin.user_id : 0;
	if (council_create(x->s, &ci, &council, x->f) < 0)
		return -1;
	x->c->councils++;
	day_text(first - 5, joined);
	for (i = 0; i < YL_ARRAY_LEN(SEATS); i++) {
		memset(&mi, 0, sizeof(mi));
		person_name(&x->rng, name);
		snprintf(phone, sizeof(phone), "13%d%08d", range(&x->rng, 5, 9), range(&x->rng, 10000000, 99999999));
		mi.name = SEATS[i].name ? SEATS[i].name : name;
		mi.seat = SEATS[i].seat;
		mi.phone = phone;
		mi.joined_on = joined;
		if (council_member_add(x->s, council, &mi, &members[i], x->f) < 0)
			return -1;
		x->c->members++;
	}
	if (courtyard_party_add(x->s, yard, "property", "明珠物业服务有限公司", "刘经理", "13969001234", &id, x->f) < 0 ||
	    courtyard_party_add(x->s, yard, "owners_committee", "君临天下小区业主委员会", "陈主任", "13706412345", &id, x->f) < 0)
		return -1;
	/* a meeting around the 15th of each month, the last one a month ago */
	for (d = first; d <= x->today - 20; d += range(&x->rng, 28, 33)) {
		struct council_meeting_input mt = { 0 };
		struct council_attendance att[YL_ARRAY_LEN(SEATS)];
		const char *agenda[2];
		int64_t meeting, props[2];
		char held[11], minutes[600];
		size_t nprops = (size_t)range(&x->rng, 1, 2), n = 0;
		int present = 0, thin = nmeeting++ % 11 == 5;	/* about one meeting in eleven falls short of the quorum */

		day_text(d, held);
		for (k = 0; k < nprops; k++)
			agenda[k] = TOPICS[(topic + k) % YL_ARRAY_LEN(TOPICS)].title;
		mt.held_on = held;
		mt.place = "君临天下小区党群服务站";
		mt.agenda = agenda;
		mt.nagenda = nprops;
		if (council_meeting_create(x->s, council, &mt, &meeting, x->f) < 0)
			return -1;
		x->c->meetings++;
		for (i = 0; i < YL_ARRAY_LEN(SEATS); i++) {
			int roll = range(&x->rng, 1, 100);

			memset(&att[n], 0, sizeof(att[n]));
			att[n].member_id = members[i];
			if (roll <= (thin ? 70 : 15))
				snprintf(att[n].status, sizeof(att[n].status), "absent");
			else if (roll <= (thin ? 70 : 22) && i > 0) {
				snprintf(att[n].status, sizeof(att[n].status), "proxy");
				att[n].proxy_member_id = members[0];
				present++;
			} else {
				snprintf(att[n].status, sizeof(att[n].status), "present");
				present++;
			}
			n++;
		}
		if (council_meeting_attend(x->s, meeting, att, n, x->f) < 0)
			return -1;
		for (k = 0; k < nprops; k++, topic++) {
			struct council_proposal_input pi = { 0 };
			struct council_proposal p;
			char who[64];

			person_name(&x->rng, name);
			snprintf(who, sizeof(who), "%d号楼 %s", range(&x->rng, 1, 12), name);
			pi.title = TOPICS[topic % YL_ARRAY_LEN(TOPICS)].title;
			pi.body = TOPICS[topic % YL_ARRAY_LEN(TOPICS)].body;
			pi.source = k ? "member" : "resident";
			pi.proposer_name = k ? NULL : who;
			pi.proposer_member_id = k ? members[2] : 0;
			if (council_proposal_create(x->s, council, &pi, x->have_junlin ? x->junlin.user_id : 0, &props[k], x->f) < 0 ||
			    council_proposal_open_vote(x->s, props[k], meeting, NULL, x->f) < 0)
				return -1;
			x->c->proposals++;
			for (i = 0; i < n; i++) {
				int roll = range(&x->rng, 1, 100);
				const char *choice = roll <= (topic % 5 == 3 ? 35 : 78) ? "yes" : roll <= 90 ? "no" : "abstain";

				if (!strcmp(att[i].status, "absent"))
					continue;
				if (council_vote(x->s, props[k], att[i].member_id, choice, x->have_junlin ? x->junlin.user_id : 0,
						 x->f) < 0)
					return -1;
			}
			if (council_proposal_decide(x->s, props[k], NULL, x->f) < 0 ||
			    council_proposal_get(x->s, props[k], &p, x->f) < 0)
				return -1;
			if (!strcmp(p.status, "passed") && x->have_longquan) {
				struct council_resolution_input ri = { 0 };
				char due[11];
				int64_t rid, order;
				int32_t due_day = d + range(&x->rng, 10, 30);

				x->c->passed++;
				day_text(due_day, due);
				ri.content = TOPICS[topic % YL_ARRAY_LEN(TOPICS)].resolution;
				ri.assigned_on = held;
				ri.due_on = due;
				ri.owner_user_id = nresolved % 2 ? x->longquan.user_id : x->have_junlin ? x->junlin.user_id : x->longquan.user_id;
				if (council_resolution_create(x->s, props[k], &ri, &rid, x->f) < 0) {
					council_proposal_release(&p);
					return -1;
				}
				x->c->resolutions++;
				nresolved++;
				/* the last two months' resolutions: two become work orders (物业管理, id 6 of
				 * migration 005), none is done yet */
				if (d >= x->today - 75) {
					if (x->orders && spawned < 2) {
						if (council_resolution_spawn_order(x->s, &x->longquan, rid, DEMO_PROPERTY_CATEGORY,
										   "suggestion", "请物业按议事会决议落实", &order,
										   x->f) < 0) {
							council_proposal_release(&p);
							return -1;
						}
						spawned++;
						x->c->orders++;
					}
				} else {
					/* most on time; one in six a few days late */
					int32_t done = range(&x->rng, 1, 6) == 1 ? due_day + range(&x->rng, 1, 5) : due_day - range(&x->rng, 0, 8);

					if (done < d)
						done = d;
					if (done > x->today)
						done = x->today;
					int64_t at = calendar_day_start(done) + 10 * 3600;

					if (at > time_now_us() / 1000000)
						at = time_now_us() / 1000000;
					if (council_resolution_done(x->s, rid, "已落实，现场照片存档，居民满意", ri.owner_user_id, at,
								    x->f) < 0) {
						council_proposal_release(&p);
						return -1;
					}
					x->c->resolutions_done++;
				}
			}
			council_proposal_release(&p);
		}
		snprintf(minutes, sizeof(minutes), "应到 %zu 人，实到（含委托）%d 人。议题：%s%s%s。表决结果见公示栏。", n, present,
			 agenda[0], nprops > 1 ? "；" : "", nprops > 1 ? agenda[1] : "");
		if (council_meeting_close(x->s, meeting, minutes, x->have_junlin ? x->junlin.user_id : 0, x->f) < 0)
			return -1;
	}
	return 0;
}

static int notice(struct ctx *x, int64_t node, const char *title, const char *body, const char *category, int32_t from,
		  int32_t to)
{
	struct notice_input in = { 0 };
	char a[11], b[11];
	int64_t id;

	day_text(from, a);
	day_text(to, b);
	in.node_id = node;
	in.title = title;
	in.body = body;
	in.category = category;
	in.starts_on = a;
	in.ends_on = b;
	if (notice_create(x->s, &in, x->have_longquan ? x->longquan.user_id : 0, &id, x->f) < 0 ||
	    notice_publish(x->s, id, x->f) < 0)
		return -1;
	x->c->notices++;
	return 0;
}

static const char *const NAMED[] = { "君临天下小区", "桃花山职工宿舍", "香港街商圈联盟", "公路局宿舍", "一职专宿舍" };

static int boards(struct ctx *x, const struct node_list *yards)
{
	size_t i, k;
	char body[400], a[32], b[32], c[32];

	for (k = 0; k < YL_ARRAY_LEN(NAMED); k++)
		for (i = 0; i < yards->n; i++) {
			const struct node *y = &yards->items[i];

			if (strcmp(y->name, NAMED[k]))
				continue;
			person_name(&x->rng, a);
			person_name(&x->rng, b);
			person_name(&x->rng, c);
			snprintf(body, sizeof(body), "周一、周三：%s；周二、周四：%s；周五至周日：%s。夜间巡逻 19:00—21:00，"
				 "发现问题请找楼长或网格员。", a, b, c);
			if (notice(x, y->id, "治安巡逻值班表", body, "roster", x->today - 6, x->today + 24) < 0)
				return -1;
			snprintf(body, sizeof(body), "本院落党员亮身份、作表率：党支部书记 %s，党员中心户 %s、%s。"
				 "有困难请找党员。", a, b, c);
			if (notice(x, y->id, "党员亮身份", body, "party_members", x->today - 60, x->today + 300) < 0)
				return -1;
		}
	return 0;
}

static const struct {
	const char *kind, *summary, *agreement;
} DISPUTES[] = {
	{ "neighbours", "楼上卫生间漏水至楼下，双方就维修费用争执", "楼上住户负责修复防水层并承担楼下墙面修补费用" },
	{ "neighbours", "装修噪音影响老人休息，双方多次争吵", "装修限定在工作日 9:00—12:00、14:00—18:00" },
	{ "neighbours", "楼道堆放杂物占用公共空间，邻里矛盾", "三日内清理杂物，楼长监督" },
	{ "property", "物业费与停车管理纠纷", "物业公示收费明细，业主补缴物业费" },
	{ "family", "赡养老人分担纠纷", "兄妹三人按月轮流照料，费用均摊" },
	{ "rent", "租户提前退租押金纠纷", "房东退还押金的八成" },
	{ "neighbours", "宠物狗夜间吠叫扰民", "夜间将犬只带回室内，佩戴止吠器" },
	{ "debt", "邻里借款未还纠纷", "分三个月还清借款" },
};

static int mediation(struct ctx *x, const struct node_list *yards)
{
	size_t i;
	int j;

	for (i = 0; i < yards->n; i++) {
		int n = range(&x->rng, 0, 3);

		for (j = 0; j < n; j++) {
			struct mediation_input in = { 0 };
			char opened[11], closed[11], held[11], a[32], b[32];
			int64_t id, pid, sid;
			size_t t = (size_t)range(&x->rng, 0, (int)YL_ARRAY_LEN(DISPUTES) - 1);
			int32_t o = x->today - range(&x->rng, 3, 360), cl;
			int roll = range(&x->rng, 1, 100);

			day_text(o, opened);
			in.node_id = yards->items[i].id;
			in.kind = DISPUTES[t].kind;
			in.summary = DISPUTES[t].summary;
			in.mediator_name = "院落调解员";
			in.opened_on = opened;
			person_name(&x->rng, a);
			person_name(&x->rng, b);
			if (mediation_case_create(x->s, &in, 0, &id, x->f) < 0 ||
			    mediation_party_add(x->s, id, a, "applicant", 0, NULL, &pid, x->f) < 0 ||
			    mediation_party_add(x->s, id, b, "respondent", 0, NULL, &pid, x->f) < 0)
				return -1;
			x->c->cases++;
			cl = o + range(&x->rng, 1, 20);
			if (cl > x->today)
				cl = x->today;
			day_text(cl, closed);
			day_text(o + (cl - o) / 2, held);
			if (mediation_session_add(x->s, id, held, "分别听取双方意见，释法说理，促成和解", 0, &sid, x->f) < 0)
				return -1;
			if (o > x->today - 10)
				continue;	/* the last days' cases are still open */
			/* "小事不出院落，矛盾不出社区": most settle in the courtyard */
			if (roll <= 72) {
				if (mediation_case_close(x->s, id, "settled", "courtyard", DISPUTES[t].agreement, NULL, closed, x->f) < 0)
					return -1;
				x->c->settled_courtyard++;
			} else if (roll <= 90) {
				if (mediation_case_close(x->s, id, "settled", "community", DISPUTES[t].agreement, NULL, closed, x->f) < 0)
					return -1;
				x->c->settled_community++;
			} else if (roll <= 94) {
				if (mediation_case_close(x->s, id, "settled", "above", DISPUTES[t].agreement, NULL, closed, x->f) < 0)
					return -1;
				x->c->settled_above++;
			} else if (roll <= 98) {
				if (mediation_case_close(x->s, id, "referred", NULL, NULL, "明水街道司法所", closed, x->f) < 0)
					return -1;
			} else if (mediation_case_close(x->s, id, "withdrawn", NULL, NULL, NULL, closed, x->f) < 0) {
				return -1;
			}
		}
		if (range(&x->rng, 1, 3) == 1) {
			char held[11], family[40];
			int64_t id;
			int wedding = range(&x->rng, 0, 1);

			person_name(&x->rng, family);
			snprintf(family + 3, sizeof(family) - 3, "家");
			day_text(x->today - range(&x->rng, 1, 300), held);
			if (red_white_file(x->s, yards->items[i].id, wedding ? "wedding" : "funeral", held, family,
					   range(&x->rng, 3, 15), range(&x->rng, 1, 10) <= 8, 0, &id, x->f) < 0)
				return -1;
			x->c->filings++;
		}
	}
	return 0;
}

int demo_councils(struct store *s, int orders, struct demo_council_counts *counts, struct fault *f)
{
	struct demo_council_counts local;
	struct node_filter flt;
	struct node_list yards;
	struct ctx x;
	size_t i;
	int64_t junlin_yard = 0;
	int rc, ret = -1;

	memset(&x, 0, sizeof(x));
	x.s = s;
	x.f = f;
	x.rng.s = SEED;
	x.orders = orders;
	x.c = counts ? counts : &local;
	memset(x.c, 0, sizeof(*x.c));
	x.today = calendar_day_of(time_now_us() / 1000000);
	if (load_actor(&x, "junlin", &x.junlin, &x.have_junlin) < 0 ||
	    load_actor(&x, "longquan", &x.longquan, &x.have_longquan) < 0)
		return -1;
	memset(&flt, 0, sizeof(flt));
	flt.level = LEVEL_COURTYARD;
	flt.limit = 500;
	if (org_node_list(s, &flt, &yards, f) < 0)
		return -1;
	for (i = 0; i < yards.n; i++)
		if (!strcmp(yards.items[i].name, "君临天下小区"))
			junlin_yard = yards.items[i].id;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	if ((junlin_yard && build_council(&x, junlin_yard) < 0) || boards(&x, &yards) < 0 ||
	    mediation(&x, &yards) < 0) {
		store_rollback(s);
		goto out;
	}
	if (junlin_yard) {
		int32_t y0 = x.today - 400;

		if (notice(&x, junlin_yard, "君临天下小区文明公约（2025 修订）",
			   "一、爱护公共设施；二、垃圾分类投放；三、文明饲养宠物；四、邻里互助、和睦相处；五、不高空抛物。",
			   "convention", y0, x.today + 365) < 0) {
			store_rollback(s);
			goto out;
		}
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	ret = 0;
out:
	node_list_release(&yards);
	return ret;
}
