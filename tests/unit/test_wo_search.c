/*
 * test_wo_search.c - finding work orders (src/workorder/list.c, search.c,
 * 007_search.sql): every filter alone and combined, both sorts paged by keyset
 * across pages (no duplicates, no gaps, ties and orders received out of id
 * order), the visibility of every actor against wo_visible(), Chinese search
 * of 2, 3 and many characters, "my tasks" by role, the derived columns and the
 * FTS index kept in step with writes and moves, and the query plans: no list
 * of a subtree or a search reads work_orders whole.
 *
 * Includes list.c to reach the SQL of a page (page_sql) for EXPLAIN QUERY PLAN.
 * A fresh database each, with the shipped calendars (run from the project root).
 */
#include "unit.h"

#include "auth/auth.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"
#include "workorder/wo_internal.h"
#include "workorder/workorder.h"

#include "workorder/list.c"

#define ALL_PERMS "workorder.create,workorder.read,workorder.read_all,workorder.act,workorder.dispatch,workorder.handle,workorder.review"
#define SEC_PERMS "workorder.create,workorder.read,workorder.read_all,workorder.act,workorder.handle"
#define GRID_PERMS "workorder.create,workorder.read,workorder.read_all"
#define RIDER_PERMS "workorder.create,workorder.read"

#define CAT_ENV 1		/* 市容环境 */
#define CAT_ENV_CLEAN 2		/* 市容环境 > 环境卫生 */
#define CAT_ENV_GREEN 3		/* 市容环境 > 绿化养护 */
#define CAT_PROP 5		/* 城乡建设 */
#define CAT_PROP_MGMT 6		/* 城乡建设 > 物业管理 */
#define CAT_PROP_REPAIR 7	/* 城乡建设 > 房屋维修 */
#define CAT_NOISE 10		/* 邻里纠纷 > 噪音扰民 */
#define CAT_POWER 14		/* 公用设施 > 供电照明 */

#define MAX_ORDERS 128

/*
 *   sub 明水街道
 *     com 龙泉社区:  y1 君临天下 > b1 1号楼 > h1 101;  b3 3号楼 > h3 301
 *                    y2 泉景 > b2 > h2
 *     com2 燕山社区: y3 燕山小区 > b4 > h4
 *   other 刁镇街道 > ocom > oy > ob > oh
 */
struct fx {
	struct store *s;
	int64_t sub, com, y1, y2, b1, h1, b3, h3, b2, h2, com2, y3, b4, h4, other, ocom, oy, ob, oh;
	struct actor admin, desk, street, sec1, sec2, sec3, grid, rider, ostaff;
	int64_t o[MAX_ORDERS];		/* the orders of the scene, by index */
	int n;
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
	x->b1 = unit_node(x->s, x->y1, LEVEL_BUILDING, "1号楼");
	x->h1 = unit_node(x->s, x->b1, LEVEL_HOUSEHOLD, "101");
	x->b3 = unit_node(x->s, x->y1, LEVEL_BUILDING, "3号楼");
	x->h3 = unit_node(x->s, x->b3, LEVEL_HOUSEHOLD, "301");
	x->y2 = unit_node(x->s, x->com, LEVEL_COURTYARD, "泉景");
	x->b2 = unit_node(x->s, x->y2, LEVEL_BUILDING, "2号楼");
	x->h2 = unit_node(x->s, x->b2, LEVEL_HOUSEHOLD, "202");
	x->com2 = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "燕山社区");
	x->y3 = unit_node(x->s, x->com2, LEVEL_COURTYARD, "燕山小区");
	x->b4 = unit_node(x->s, x->y3, LEVEL_BUILDING, "4号楼");
	x->h4 = unit_node(x->s, x->b4, LEVEL_HOUSEHOLD, "401");
	x->other = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "刁镇街道");
	x->ocom = unit_node(x->s, x->other, LEVEL_COMMUNITY, "刁镇社区");
	x->oy = unit_node(x->s, x->ocom, LEVEL_COURTYARD, "刁镇小区");
	x->ob = unit_node(x->s, x->oy, LEVEL_BUILDING, "5号楼");
	x->oh = unit_node(x->s, x->ob, LEVEL_HOUSEHOLD, "501");
	unit_actor(&x->admin, 1, "admin", 0, ALL_PERMS);
	unit_actor(&x->desk, 2, "desk", x->com, ALL_PERMS);
	unit_actor(&x->street, 3, "street", x->sub, ALL_PERMS);
	unit_actor(&x->sec1, 4, "sec1", x->y1, SEC_PERMS);
	unit_actor(&x->sec2, 5, "sec2", x->y2, SEC_PERMS);
	unit_actor(&x->sec3, 6, "sec3", x->y3, SEC_PERMS);
	unit_actor(&x->grid, 7, "grid", x->com, GRID_PERMS);
	unit_actor(&x->rider, 8, "rider", x->com, RIDER_PERMS);
	unit_actor(&x->ostaff, 9, "ostaff", x->other, ALL_PERMS);
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

/* The scene. */

struct spec {
	const struct actor *by;		/* NULL: the grid member */
	const char *source;		/* NULL: grid (mobile_grid for the rider) */
	int64_t place;
	const char *type;
	int64_t category;
	const char *urgency;
	const char *text;
	const char *address;
	const char *when;
	const char *path;		/* actions, comma-separated: "accept,dispatch,sign" */
	int64_t to;			/* the dispatch target (0: the place's courtyard, y1) */
};

static int act_at(struct fx *x, const struct actor *a, int64_t id, const char *action, int64_t node, int64_t when)
{
	struct wo_action w;

	memset(&w, 0, sizeof(w));
	w.action = action;
	w.opinion = "处理意见";
	w.at = when;
	w.node_id = node;
	if (!strcmp(action, "callback"))
		w.satisfaction = "satisfied";
	if (!strcmp(action, "request_extension"))
		w.days = 2;
	fault_clear(&F);
	return wo_transition(x->s, a, id, &w, &F);
}

/* Files the order and takes it along its path as the administrator, a minute a step. */
static int64_t mk_order(struct fx *x, const struct spec *sp)
{
	const struct actor *by = sp->by ? sp->by : &x->grid;
	struct wo_input in;
	int64_t id = 0, t;
	const char *p;

	memset(&in, 0, sizeof(in));
	in.source = sp->source ? sp->source : by == &x->rider ? "mobile_grid" : "grid";
	in.type = sp->type ? sp->type : "complaint";
	in.category_id = sp->category ? sp->category : CAT_PROP_MGMT;
	in.urgency = sp->urgency;
	in.node_id = sp->place;
	in.text = sp->text;
	in.address = sp->address;
	in.caller_name = "张女士";
	in.caller_phone = "13812345678";
	in.received_at = t = unit_local(sp->when);
	if (wo_create(x->s, by, &in, &id, NULL, &F) < 0)
		fail_msg("create '%s': %s (%s)", sp->text, F.message, F.field);
	for (p = sp->path; p && *p;) {
		char action[40];
		size_t n = strcspn(p, ",");
		int64_t node = 0;

		snprintf(action, sizeof(action), "%.*s", (int)n, p);
		if (!strcmp(action, "dispatch"))
			node = sp->to ? sp->to : x->y1;
		t += 60;
		if (act_at(x, &x->admin, id, action, node, t) < 0)
			fail_msg("%s on '%s': %s (%s)", action, sp->text, F.message, F.field);
		p += n;
		if (*p == ',')
			p++;
	}
	if (x->n < MAX_ORDERS)
		x->o[x->n++] = id;
	return id;
}

static void set_card(struct fx *x, int64_t id, const char *card)
{
	struct store_stmt *st = store_prepare(x->s, "UPDATE work_orders SET card = ? WHERE id = ?");

	store_bind_text(st, 1, card);
	store_bind_int64(st, 2, id);
	assert_int_equal(store_step(st), STORE_DONE);
	store_done(st);
}

/*
 * The scene: indexes into x->o.
 *   0 y1/h1  dispatched to y1   物业管理  09-01   楼道灯, address 君临天下小区3号楼
 *   1 y1/h1  in progress at y1  供水排水  09-02   漏水, urgent help; yellow card
 *   2 y2/h2  received           噪音扰民  09-03 10:00
 *   3 y1/b3  accepted           绿化养护  09-03 10:00 (the same second as 2)  suggestion
 *   4 y1/h1  in progress at y2  物业管理  09-04   楼道灯 (sent to another courtyard); red card
 *   5 y3/h4  closed at y3        供电照明  09-05   路灯, address 燕山小区
 *   6 other  received           物业管理  09-05   君临天下小区3号楼楼道灯 (another subdistrict)
 *   7 y1/h1  received, by the rider      09-06   垃圾桶
 *   8 y1/h3  replied at y1      房屋维修  09-07   屋顶漏水, a resident's request the desk typed in
 *   9 com    accepted (the place is the community itself) 09-08 公共区域
 */
static void scene(struct fx *x)
{
	const struct spec specs[] = {
		{ NULL, NULL, x->h1, "complaint", CAT_PROP_MGMT, NULL, "3号楼楼道灯坏了一个星期", "龙泉社区君临天下小区3号楼2单元",
		  "2026-09-01 09:00", "accept,dispatch", 0 },
		{ NULL, NULL, x->h1, "help", 13, "urgent", "厨房水管漏水严重", NULL, "2026-09-02 10:00",
		  "accept,dispatch,sign", 0 },
		{ NULL, NULL, x->h2, "complaint", CAT_NOISE, NULL, "楼上装修噪音扰民", NULL, "2026-09-03 10:00", NULL, 0 },
		{ NULL, NULL, x->h3, "suggestion", CAT_ENV_GREEN, NULL, "建议增加绿化", NULL, "2026-09-03 10:00", "accept", 0 },
		{ NULL, NULL, x->h1, "complaint", CAT_PROP_MGMT, NULL, "楼道灯不亮", NULL, "2026-09-04 08:30",
		  "accept,dispatch,sign", x->y2 },
		{ &x->street, NULL, x->h4, "complaint", CAT_POWER, NULL, "路灯不亮", "燕山小区", "2026-09-05 11:00",
		  "accept,dispatch,sign,reply,approve_review,callback", x->y3 },
		{ &x->ostaff, NULL, x->oh, "complaint", CAT_PROP_MGMT, NULL, "君临天下小区3号楼楼道灯", NULL,
		  "2026-09-05 12:00", NULL, 0 },
		{ &x->rider, NULL, x->h1, "complaint", CAT_ENV_CLEAN, NULL, "垃圾桶满了没人清理", NULL, "2026-09-06 07:00", NULL,
		  0 },
		{ &x->desk, "resident", x->h3, "complaint", CAT_PROP_REPAIR, NULL, "屋顶漏水", NULL, "2026-09-07 15:00",
		  "accept,dispatch,sign,reply", 0 },
		{ NULL, NULL, x->com, "suggestion", CAT_ENV_CLEAN, NULL, "公共区域需要清扫", NULL, "2026-09-08 09:00", "accept", 0 },
	};
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(specs); i++)
		mk_order(x, &specs[i]);
	set_card(x, x->o[1], "yellow");
	set_card(x, x->o[4], "red");
}

/* Listing. */

/* Every page of the list (page size per), checking that no order comes twice; returns the ids in order. */
static size_t list_all(struct fx *x, const struct actor *a, const struct wo_filter *base, int per, int64_t *out,
		       size_t max)
{
	struct wo_filter flt = *base;
	char token[WO_CURSOR_MAX] = "";
	size_t n = 0, i, j, pages = 0;

	flt.limit = per;
	for (;;) {
		struct wo_list l;

		flt.after = token[0] ? token : NULL;
		if (wo_list(x->s, a, &flt, &l, &F) < 0)
			fail_msg("list: %s (%s)", F.message, F.field);
		for (i = 0; i < l.n; i++) {
			for (j = 0; j < n; j++)
				if (out[j] == l.items[i].id)
					fail_msg("order %lld twice (page %zu)", (long long)l.items[i].id, pages + 1);
			if (n < max)
				out[n++] = l.items[i].id;
		}
		assert_true(l.n <= (size_t)per);
		if (l.next[0])
			assert_int_equal(l.n, per);
		snprintf(token, sizeof(token), "%s", l.next);
		wo_list_release(&l);
		pages++;
		if (!token[0])
			break;
		if (pages > 1000)
			fail_msg("the pages never end");
	}
	return n;
}

/* The ids of scene orders (indexes, -1 ended) in the list, in any order, and nothing else. */
static void expect_set(struct fx *x, const struct actor *a, const struct wo_filter *flt, const int *want)
{
	int64_t got[MAX_ORDERS];
	size_t n = list_all(x, a, flt, 500, got, MAX_ORDERS), i, k;
	char wanted[256] = "", seen[256] = "";

	for (k = 0; want[k] >= 0; k++)
		snprintf(wanted + strlen(wanted), sizeof(wanted) - strlen(wanted), "%d ", want[k]);
	for (i = 0; i < n; i++) {
		int idx = -1;

		for (k = 0; k < (size_t)x->n; k++)
			if (x->o[k] == got[i])
				idx = (int)k;
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%d ", idx);
	}
	/* Compare as sets: sort both index lists. */
	{
		int a1[MAX_ORDERS], a2[MAX_ORDERS];
		size_t n1 = 0, n2 = 0, p, q;

		for (k = 0; want[k] >= 0; k++)
			a1[n1++] = want[k];
		for (i = 0; i < n; i++)
			for (k = 0; k < (size_t)x->n; k++)
				if (x->o[k] == got[i])
					a2[n2++] = (int)k;
		for (p = 0; p < n1; p++)
			for (q = p + 1; q < n1; q++)
				if (a1[q] < a1[p]) {
					int t = a1[p];

					a1[p] = a1[q];
					a1[q] = t;
				}
		for (p = 0; p < n2; p++)
			for (q = p + 1; q < n2; q++)
				if (a2[q] < a2[p]) {
					int t = a2[p];

					a2[p] = a2[q];
					a2[q] = t;
				}
		if (n1 != n || n2 != n || memcmp(a1, a2, n1 * sizeof(int)) != 0)
			fail_msg("as %s: wanted { %s}, got { %s}", a->login, wanted, seen);
	}
}

#define WANT(...) ((const int[]){ __VA_ARGS__, -1 })
#define NONE ((const int[]){ -1 })

static void test_filters_one_by_one(void **state)
{
	struct fx *x = *state;
	struct wo_filter flt;

	scene(x);
	memset(&flt, 0, sizeof(flt));
	expect_set(x, &x->admin, &flt, WANT(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
	expect_set(x, &x->desk, &flt, WANT(0, 1, 2, 3, 4, 7, 8, 9));

	flt.state = "received";
	expect_set(x, &x->desk, &flt, WANT(2, 7));
	flt.state = "in_progress,dispatched";
	expect_set(x, &x->desk, &flt, WANT(0, 1, 4));
	flt.state = "closed";
	expect_set(x, &x->street, &flt, WANT(5));
	memset(&flt, 0, sizeof(flt));

	/* under: the place's subtree, whatever the handler. */
	flt.under_id = x->y1;
	expect_set(x, &x->desk, &flt, WANT(0, 1, 3, 4, 7, 8));
	flt.under_id = x->y2;
	expect_set(x, &x->desk, &flt, WANT(2));
	flt.under_id = x->b3;
	expect_set(x, &x->desk, &flt, WANT(3, 8));
	flt.under_id = x->com2;
	expect_set(x, &x->street, &flt, WANT(5));
	flt.under_id = x->sub;
	expect_set(x, &x->admin, &flt, WANT(0, 1, 2, 3, 4, 5, 7, 8, 9));
	flt.under_id = x->com;
	expect_set(x, &x->sec1, &flt, WANT(0, 1, 3, 4, 7, 8));	/* the scope still applies */
	memset(&flt, 0, sizeof(flt));

	/* A top-level category holds its children. */
	flt.category_id = CAT_PROP;
	expect_set(x, &x->desk, &flt, WANT(0, 4, 8));
	flt.category_id = CAT_ENV;
	expect_set(x, &x->desk, &flt, WANT(3, 7, 9));
	flt.category_id = CAT_ENV_CLEAN;
	expect_set(x, &x->desk, &flt, WANT(7, 9));
	memset(&flt, 0, sizeof(flt));

	flt.source = "mobile_grid";
	expect_set(x, &x->desk, &flt, WANT(7));
	flt.source = "resident";
	expect_set(x, &x->desk, &flt, WANT(8));
	flt.source = NULL;
	flt.type = "suggestion";
	expect_set(x, &x->desk, &flt, WANT(3, 9));
	flt.type = NULL;
	flt.urgency = "urgent";
	expect_set(x, &x->desk, &flt, WANT(1));
	memset(&flt, 0, sizeof(flt));

	/* Local dates on received_at, both ends included. */
	flt.from = "2026-09-03";
	flt.to = "2026-09-04";
	expect_set(x, &x->admin, &flt, WANT(2, 3, 4));
	flt.to = NULL;
	expect_set(x, &x->admin, &flt, WANT(2, 3, 4, 5, 6, 7, 8, 9));
	flt.from = NULL;
	flt.to = "2026-09-01";
	expect_set(x, &x->admin, &flt, WANT(0));
	memset(&flt, 0, sizeof(flt));

	/*
	 * Overdue on 2026-09-10 noon: 0 (due 09-08) and 1 (due 09-09) are open and late; 3 is due
	 * 09-10 23:59:59; 8 is replied, 5 closed.
	 */
	flt.overdue = 1;
	flt.now = unit_local("2026-09-10 12:00");
	expect_set(x, &x->desk, &flt, WANT(0, 1));
	flt.now = unit_local("2026-09-11 00:00");
	expect_set(x, &x->desk, &flt, WANT(0, 1, 3));
	memset(&flt, 0, sizeof(flt));

	flt.card = "yellow";
	expect_set(x, &x->desk, &flt, WANT(1));
	flt.card = "red";
	expect_set(x, &x->desk, &flt, WANT(4));
	flt.card = "any";
	expect_set(x, &x->desk, &flt, WANT(1, 4));
	memset(&flt, 0, sizeof(flt));

	flt.handler_node_id = x->y1;
	expect_set(x, &x->desk, &flt, WANT(0, 1, 8));
	flt.handler_node_id = x->y2;
	expect_set(x, &x->desk, &flt, WANT(4));
	memset(&flt, 0, sizeof(flt));

	flt.created_by = x->rider.user_id;
	expect_set(x, &x->desk, &flt, WANT(7));
	flt.created_by = x->desk.user_id;
	expect_set(x, &x->desk, &flt, WANT(8));
}

static void test_filters_combined(void **state)
{
	struct fx *x = *state;
	struct wo_filter flt;

	scene(x);
	memset(&flt, 0, sizeof(flt));
	flt.under_id = x->y1;
	flt.state = "in_progress,dispatched,replied";
	flt.category_id = CAT_PROP;
	expect_set(x, &x->desk, &flt, WANT(0, 4, 8));
	flt.handler_node_id = x->y1;
	expect_set(x, &x->desk, &flt, WANT(0, 8));
	flt.q = "漏水";
	expect_set(x, &x->desk, &flt, WANT(8));
	flt.q = "楼道灯";
	expect_set(x, &x->desk, &flt, WANT(0));
	flt.type = "help";
	expect_set(x, &x->desk, &flt, NONE);

	memset(&flt, 0, sizeof(flt));
	flt.card = "any";
	flt.overdue = 1;
	flt.now = unit_local("2026-09-10 12:00");
	expect_set(x, &x->desk, &flt, WANT(1));
	flt.sort = "deadline";
	expect_set(x, &x->desk, &flt, WANT(1));
	flt.from = "2026-09-03";
	expect_set(x, &x->desk, &flt, NONE);

	memset(&flt, 0, sizeof(flt));
	flt.source = "grid";
	flt.type = "complaint";
	flt.urgency = "normal";
	flt.from = "2026-09-01";
	flt.to = "2026-09-30";
	flt.under_id = x->com;
	expect_set(x, &x->street, &flt, WANT(0, 2, 4));
	flt.q = "楼道灯 不亮";
	expect_set(x, &x->street, &flt, WANT(4));
}

static void test_bad_filters_name_the_field(void **state)
{
	struct fx *x = *state;
	const struct {
		const char *field;
		struct wo_filter flt;
	} bad[] = {
		{ "state", { .state = "lost" } },
		{ "state", { .state = "received,,closed" } },
		{ "state", { .state = "received," } },
		{ "source", { .source = "fax" } },
		{ "type", { .type = "praise" } },
		{ "urgency", { .urgency = "asap" } },
		{ "card", { .card = "green" } },
		{ "sort", { .sort = "name" } },
		{ "from", { .from = "2026-13-01" } },
		{ "to", { .to = "yesterday" } },
		{ "to", { .from = "2026-09-05", .to = "2026-09-04" } },
		{ "limit", { .limit = 501 } },
		{ "q", { .q = "   " } },
		{ "q", { .q = "一 二 三 四 五 六 七 八 九" } },
		{ "after", { .after = "not a token" } },
		{ "after", { .after = "dDoxOg" } },	/* "t:1:", no id */
		{ "after", { .after = "dDoxOjI6Mw" } },	/* "t:1:2:3" */
		{ "after", { .after = "eDoxOjI" } },	/* "x:1:2" */
		{ "before_id", { .before_id = 999999 } },
		{ "before_id", { .before_id = 1, .sort = "deadline" } },
		{ "before_id", { .before_id = 1, .after = "dDoxOjI" } },
	};
	size_t i;

	scene(x);
	for (i = 0; i < YL_ARRAY_LEN(bad); i++) {
		struct wo_list l;

		fault_clear(&F);
		if (wo_list(x->s, &x->desk, &bad[i].flt, &l, &F) == 0)
			fail_msg("case %zu (%s) was accepted", i, bad[i].field);
		assert_int_equal(F.kind, FAULT_INVALID);
		if (strcmp(F.field, bad[i].field) != 0)
			fail_msg("case %zu: field %s, wanted %s (%s)", i, F.field, bad[i].field, F.message);
	}
	/* A token of the time sort is refused by the deadline sort, and the other way round. */
	{
		struct wo_filter flt = { .limit = 1 };
		struct wo_list l;
		char token[WO_CURSOR_MAX];

		assert_int_equal(wo_list(x->s, &x->desk, &flt, &l, &F), 0);
		assert_true(l.next[0] != '\0');
		snprintf(token, sizeof(token), "%s", l.next);
		wo_list_release(&l);
		flt.sort = "deadline";
		flt.after = token;
		assert_int_equal(wo_list(x->s, &x->desk, &flt, &l, &F), -1);
		assert_string_equal(F.field, "after");
		flt.after = NULL;
		assert_int_equal(wo_list(x->s, &x->desk, &flt, &l, &F), 0);
		snprintf(token, sizeof(token), "%s", l.next);
		wo_list_release(&l);
		flt.sort = "time";
		flt.after = token;
		assert_int_equal(wo_list(x->s, &x->desk, &flt, &l, &F), -1);
		assert_string_equal(F.field, "after");
	}
}

/* Sorts and keyset paging. */

struct ref {
	int64_t id, received_at, deadline;
};

static int by_time(const void *pa, const void *pb)
{
	const struct ref *a = pa, *b = pb;

	if (a->received_at != b->received_at)
		return a->received_at > b->received_at ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

static int by_deadline(const void *pa, const void *pb)
{
	const struct ref *a = pa, *b = pb;

	if (!a->deadline != !b->deadline)
		return a->deadline ? -1 : 1;
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int holds(const char *field, const char *word)
{
	return field && strstr(field, word) != NULL;
}

/*
 * What actor sees, by wo_visible() order by order, sorted as the list should be:
 * the oracle.  word: only the orders holding it in the number, the hotline's
 * number, the address or the text (Chinese words: no case to fold).
 */
static size_t oracle(struct fx *x, const struct actor *a, int deadline_sort, const char *word, struct ref *out)
{
	int64_t last = 0, id;
	size_t n = 0;

	assert_int_equal(store_query_int64(x->s, "SELECT max(id) FROM work_orders", &last, 0), STORE_OK);
	for (id = 1; id <= last; id++) {
		struct wo_order o;

		if (wo_get(x->s, id, &o, &F) < 0)
			continue;
		if (wo_visible(x->s, a, &o) == 1 &&
		    (!word || holds(o.number, word) || holds(o.external_no, word) || holds(o.address, word) ||
		     holds(o.text, word))) {
			out[n].id = o.id;
			out[n].received_at = o.received_at;
			out[n++].deadline = o.deadline;
		}
		wo_order_release(&o);
	}
	qsort(out, n, sizeof(*out), deadline_sort ? by_deadline : by_time);
	return n;
}

/* Many orders: ties on received_at, hotline orders received long before they were entered. */
static void crowd(struct fx *x)
{
	const int64_t places[] = { x->h1, x->h2, x->h3, x->h4, x->com, x->b1 };
	const char *paths[] = { NULL, "accept", "accept,dispatch", "accept,dispatch,sign", "accept,dispatch,sign,reply" };
	int i;

	for (i = 0; i < 48; i++) {
		char when[32], text[64];
		struct spec sp;
		/* Orders 3k and 3k + 1 are received in the same second; later ids are often received earlier. */
		int j = i - (i % 3 == 1);

		memset(&sp, 0, sizeof(sp));
		snprintf(when, sizeof(when), "2026-09-%02d %02d:00", 1 + (j * 7) % 20, 8 + (j / 3) % 9);
		snprintf(text, sizeof(text), "第%d号诉求：楼道灯和水管", i);
		sp.by = &x->street;
		sp.place = places[i % YL_ARRAY_LEN(places)];
		sp.text = text;
		sp.when = when;
		sp.path = paths[i % YL_ARRAY_LEN(paths)];
		/* Some are sent to another courtyard than the place's. */
		sp.to = i % 5 == 2 ? x->y2 : i % 7 == 3 ? x->y3 : 0;
		mk_order(x, &sp);
	}
}

static void pages_match(struct fx *x, const struct actor *a, int deadline_sort, const char *word)
{
	static struct ref want[MAX_ORDERS];
	int64_t got[MAX_ORDERS];
	struct wo_filter flt;
	size_t n = oracle(x, a, deadline_sort, word, want), m, i;
	int per;

	memset(&flt, 0, sizeof(flt));
	flt.sort = deadline_sort ? "deadline" : "time";
	flt.q = word;
	for (per = 1; per <= 7; per += 3) {
		m = list_all(x, a, &flt, per, got, MAX_ORDERS);
		if (m != n)
			fail_msg("as %s, %s, %d a page, q=%s: %zu orders listed, %zu visible", a->login, flt.sort, per,
				 word ? word : "", m, n);
		for (i = 0; i < n; i++)
			if (got[i] != want[i].id)
				fail_msg("as %s, %s, %d a page, q=%s: position %zu holds %lld, wanted %lld", a->login,
					 flt.sort, per, word ? word : "", i, (long long)got[i], (long long)want[i].id);
	}
}

static void pages_match_oracle(struct fx *x, const struct actor *a, int deadline_sort)
{
	pages_match(x, a, deadline_sort, NULL);
}

static void test_time_sort_pages(void **state)
{
	struct fx *x = *state;

	scene(x);
	crowd(x);
	pages_match_oracle(x, &x->admin, 0);
	pages_match_oracle(x, &x->street, 0);
	pages_match_oracle(x, &x->desk, 0);
	pages_match_oracle(x, &x->sec1, 0);
	pages_match_oracle(x, &x->sec2, 0);	/* its own courtyard and the orders sent to it */
	pages_match_oracle(x, &x->sec3, 0);
	pages_match_oracle(x, &x->grid, 0);
	pages_match_oracle(x, &x->rider, 0);
	pages_match_oracle(x, &x->ostaff, 0);
}

static void test_deadline_sort_pages(void **state)
{
	struct fx *x = *state;

	scene(x);
	crowd(x);
	pages_match_oracle(x, &x->admin, 1);
	pages_match_oracle(x, &x->desk, 1);
	pages_match_oracle(x, &x->sec1, 1);
	pages_match_oracle(x, &x->sec2, 1);
	pages_match_oracle(x, &x->rider, 1);
}

static void test_pages_hold_while_orders_arrive(void **state)
{
	struct fx *x = *state;
	struct wo_filter flt;
	struct wo_list l;
	int64_t first[3], seen[MAX_ORDERS];
	size_t n = 0, i;
	char token[WO_CURSOR_MAX];
	struct spec sp;

	scene(x);
	memset(&flt, 0, sizeof(flt));
	flt.limit = 3;
	assert_int_equal(wo_list(x->s, &x->desk, &flt, &l, &F), 0);
	assert_int_equal(l.n, 3);
	for (i = 0; i < 3; i++)
		first[i] = seen[n++] = l.items[i].id;
	/* next_before_id pages the time sort as older clients do. */
	assert_int_equal(l.next_before_id, first[2]);
	snprintf(token, sizeof(token), "%s", l.next);
	wo_list_release(&l);

	/* A new order and an old hotline order arrive between two pages. */
	memset(&sp, 0, sizeof(sp));
	sp.place = x->h1;
	sp.text = "新来的诉求";
	sp.when = "2026-09-20 09:00";
	mk_order(x, &sp);
	sp.text = "很早以前的诉求";
	sp.when = "2026-08-01 09:00";
	mk_order(x, &sp);

	flt.after = token;
	flt.limit = 100;
	assert_int_equal(wo_list(x->s, &x->desk, &flt, &l, &F), 0);
	for (i = 0; i < l.n; i++) {
		assert_true(l.items[i].id != first[0] && l.items[i].id != first[1] && l.items[i].id != first[2]);
		assert_true(l.items[i].id != x->o[x->n - 2]);	/* newer than the page: not behind it */
		seen[n++] = l.items[i].id;
	}
	/* The old one, received before everything, is on the last page. */
	assert_int_equal(l.items[l.n - 1].id, x->o[x->n - 1]);
	assert_int_equal(l.next[0], '\0');
	assert_int_equal(l.next_before_id, 0);
	wo_list_release(&l);
	assert_int_equal(n, 8 + 1);	/* 8 of the scene and the old one */

	/* before_id gives the same page as the token. */
	memset(&flt, 0, sizeof(flt));
	flt.before_id = first[2];
	flt.limit = 2;
	assert_int_equal(wo_list(x->s, &x->desk, &flt, &l, &F), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].id, seen[3]);
	assert_int_equal(l.items[1].id, seen[4]);
	wo_list_release(&l);
}

/* Search. */

static void test_search_chinese(void **state)
{
	struct fx *x = *state;
	struct wo_filter flt;
	struct wo_order o;

	scene(x);
	memset(&flt, 0, sizeof(flt));
	/* 2 characters: below the trigram, LIKE on the same columns. */
	flt.q = "漏水";
	expect_set(x, &x->admin, &flt, WANT(1, 8));
	/* 3 characters: one trigram. */
	flt.q = "楼道灯";
	expect_set(x, &x->admin, &flt, WANT(0, 4, 6));
	expect_set(x, &x->desk, &flt, WANT(0, 4));	/* 6 is in another subdistrict */
	expect_set(x, &x->sec1, &flt, WANT(0, 4));
	expect_set(x, &x->sec2, &flt, WANT(4));	/* sent to its courtyard */
	expect_set(x, &x->sec3, &flt, NONE);
	/* Long: in the address of 0, in the text of 6. */
	flt.q = "君临天下小区3号楼";
	expect_set(x, &x->admin, &flt, WANT(0, 6));
	expect_set(x, &x->street, &flt, WANT(0));
	/* A substring that is not there as a whole is not found, though its trigrams are. */
	flt.q = "楼道灯坏了两个星期";
	expect_set(x, &x->admin, &flt, NONE);
	/* Words: all of them, long and short mixed. */
	flt.q = "楼道灯 3号";
	expect_set(x, &x->admin, &flt, WANT(0, 6));
	flt.q = "\xe3\x80\x80楼道灯\xe3\x80\x80不亮 ";	/* ideographic spaces */
	expect_set(x, &x->admin, &flt, WANT(4));
	/* One character. */
	flt.q = "灯";
	expect_set(x, &x->admin, &flt, WANT(0, 4, 5, 6));
	/* The address alone. */
	flt.q = "燕山小区";
	expect_set(x, &x->admin, &flt, WANT(5));
	/* The order's number, any case; and its first two letters. */
	assert_int_equal(wo_get(x->s, x->o[3], &o, &F), 0);
	flt.q = o.number;
	expect_set(x, &x->admin, &flt, WANT(3));
	{
		char lower[32];
		size_t i;

		snprintf(lower, sizeof(lower), "%s", o.number);
		for (i = 0; lower[i]; i++)
			if (lower[i] >= 'A' && lower[i] <= 'Z')
				lower[i] = (char)(lower[i] - 'A' + 'a');
		flt.q = lower;
		expect_set(x, &x->admin, &flt, WANT(3));
	}
	wo_order_release(&o);
	flt.q = "yl";
	expect_set(x, &x->admin, &flt, WANT(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
	/* What would be syntax is a plain character. */
	flt.q = "\"楼道灯\" OR *";
	expect_set(x, &x->admin, &flt, NONE);
	flt.q = "%";
	expect_set(x, &x->admin, &flt, NONE);
	{
		/* FTS5 syntax in every shape: quoted, never read as a query. */
		const char *odd[] = { "\"", "\"\"\"", "a\"b\"c", "(((", "{x}:", "AND", "NOT NEAR(", "*", "^楼道",
				      "楼道灯*", "NEAR(楼道 灯)", "number:YL", "- -", "\\\\\\" };
		size_t i;

		for (i = 0; i < YL_ARRAY_LEN(odd); i++) {
			flt.q = odd[i];
			expect_set(x, &x->admin, &flt, NONE);
		}
	}
	flt.q = "_";
	expect_set(x, &x->admin, &flt, NONE);
	/* Callers are personal data: never searched. */
	flt.q = "张女士";
	expect_set(x, &x->admin, &flt, NONE);
	/* Search with the deadline sort. */
	flt.q = "楼道灯";
	flt.sort = "deadline";
	expect_set(x, &x->desk, &flt, WANT(0, 4));
}

static void test_search_index_follows_writes(void **state)
{
	struct fx *x = *state;
	struct wo_filter flt;
	struct wo_input in;
	int64_t id;

	scene(x);
	/* A failed intake leaves nothing in the index. */
	memset(&in, 0, sizeof(in));
	in.source = "grid";
	in.type = "complaint";
	in.category_id = 999;	/* no such category: the intake fails inside its transaction */
	in.node_id = x->h1;
	in.text = "独一无二的诉求内容";
	assert_int_equal(wo_create(x->s, &x->grid, &in, &id, NULL, &F), -1);
	memset(&flt, 0, sizeof(flt));
	flt.q = "独一无二";
	expect_set(x, &x->admin, &flt, NONE);
	assert_int_equal(store_exec(x->s, "INSERT INTO wo_search (wo_search) VALUES ('integrity-check')"), STORE_OK);
	/* An edited text (no engine action edits it; an administrator's repair might) is found by its new words. */
	assert_int_equal(store_exec(x->s, "UPDATE work_orders SET text = '电梯停运三天' WHERE text = '建议增加绿化'"),
			 STORE_OK);
	flt.q = "电梯停运";
	expect_set(x, &x->admin, &flt, WANT(3));
	flt.q = "增加绿化";
	expect_set(x, &x->admin, &flt, NONE);
	assert_int_equal(store_exec(x->s, "INSERT INTO wo_search (wo_search) VALUES ('integrity-check')"), STORE_OK);

	/*
	 * The index's key holds times past 2038 (the key is not received_at * 2^32): an order
	 * written straight into the table, as imports and tests do, received in 2040.
	 */
	{
		struct store_stmt *st = store_prepare(x->s,
			"INSERT INTO work_orders (subdistrict_id, number, source, type, category_id, urgency, node_id, text,"
			" state, received_at, created_at, updated_at) VALUES (?, 'YL2040030100001', 'grid', 'help', 2,"
			" 'normal', ?, '未来的楼道灯', 'received', ?, 'now', 'now')");
		struct wo_list l;

		store_bind_int64(st, 1, x->sub);
		store_bind_int64(st, 2, x->h1);
		store_bind_int64(st, 3, unit_local("2040-03-01 09:00"));
		assert_int_equal(store_step(st), STORE_DONE);
		store_done(st);
		id = store_last_id(x->s);
		memset(&flt, 0, sizeof(flt));
		flt.q = "楼道灯";
		flt.limit = 1;
		assert_int_equal(wo_list(x->s, &x->sec1, &flt, &l, &F), 0);
		assert_int_equal(l.n, 1);
		assert_int_equal(l.items[0].id, id);	/* the newest */
		wo_list_release(&l);
	}
}

/*
 * Searches page like lists, for every actor, and find exactly what the actor
 * sees holding the word: the index's place and handler tokens agree with
 * wo_visible(), through escalations (the handler climbs) and a move of a
 * courtyard to another community.
 */
static void test_search_pages_match_visibility(void **state)
{
	struct fx *x = *state;
	const char *words[] = { "楼道灯", "水管", "楼道灯和水管", "号诉求：楼道", "灯" };
	const struct actor *actors[] = { &x->admin, &x->street, &x->desk, &x->sec1, &x->sec2, &x->sec3, &x->rider };
	struct actor com2staff;
	struct node_input in;
	size_t w, k;
	int i, escalated = 0;

	scene(x);
	crowd(x);
	unit_actor(&com2staff, 10, "com2staff", x->com2, ALL_PERMS);
	/* Some dispatched orders of the crowd climb to their community, one on to the subdistrict. */
	for (i = 0; i < x->n && escalated < 4; i++) {
		struct wo_order o;

		assert_int_equal(wo_get(x->s, x->o[i], &o, &F), 0);
		if (!strcmp(o.state, "dispatched") && o.handler_level && !strcmp(o.handler_level, "courtyard")) {
			if (act_at(x, &x->admin, o.id, "escalate", 0, o.dispatched_at + 120) < 0)
				fail_msg("escalate %lld: %s", (long long)o.id, F.message);
			if (escalated++ == 0 && act_at(x, &x->admin, o.id, "escalate", 0, o.dispatched_at + 180) < 0)
				fail_msg("escalate again %lld: %s", (long long)o.id, F.message);
		}
		wo_order_release(&o);
	}
	assert_int_equal(escalated, 4);
	for (w = 0; w < YL_ARRAY_LEN(words); w++)
		for (k = 0; k < YL_ARRAY_LEN(actors); k++) {
			pages_match(x, actors[k], 0, words[w]);
			pages_match(x, actors[k], 1, words[w]);
		}
	/* 泉景 moves to 燕山社区, with its orders and the orders it handles. */
	memset(&in, 0, sizeof(in));
	in.parent_id = x->com2;
	assert_int_equal(org_node_update(x->s, x->y2, &in, &F), 0);
	for (w = 0; w < YL_ARRAY_LEN(words); w++) {
		pages_match(x, &x->desk, 0, words[w]);
		pages_match(x, &com2staff, 0, words[w]);
		pages_match(x, &x->sec2, 0, words[w]);
	}
	assert_int_equal(store_exec(x->s, "INSERT INTO wo_search (wo_search) VALUES ('integrity-check')"), STORE_OK);
}

/* The derived place and handler columns follow the tree. */
static void test_columns_follow_moves(void **state)
{
	struct fx *x = *state;
	struct node_input in;
	struct wo_filter flt;
	int64_t v = 0;

	scene(x);
	assert_int_equal(store_query_int64(x->s, "SELECT courtyard_id FROM work_orders WHERE id = ?", &v, 1, x->o[4]),
			 STORE_OK);
	assert_int_equal(v, x->y1);
	assert_int_equal(store_query_int64(x->s, "SELECT handler_courtyard_id FROM work_orders WHERE id = ?", &v, 1,
					   x->o[4]), STORE_OK);
	assert_int_equal(v, x->y2);
	assert_int_equal(store_query_int64(x->s, "SELECT handler_community_id FROM work_orders WHERE id = ?", &v, 1,
					   x->o[4]), STORE_OK);
	assert_int_equal(v, x->com);
	assert_int_equal(store_query_int64(x->s, "SELECT count(*) FROM work_orders WHERE id = ? AND courtyard_id IS NULL"
					   " AND community_id = ?", &v, 2, x->o[9], x->com), STORE_OK);
	assert_int_equal(v, 1);

	/* 泉景 moves to 燕山社区: its orders, and the one it handles, go with it. */
	memset(&in, 0, sizeof(in));
	in.parent_id = x->com2;
	assert_int_equal(org_node_update(x->s, x->y2, &in, &F), 0);
	memset(&flt, 0, sizeof(flt));
	flt.under_id = x->com2;
	expect_set(x, &x->street, &flt, WANT(2, 5));
	/* 4 is placed in y1 (龙泉) and handled by y2 (now 燕山): both communities see it. */
	{
		struct actor com2staff;

		unit_actor(&com2staff, 10, "com2staff", x->com2, ALL_PERMS);
		memset(&flt, 0, sizeof(flt));
		expect_set(x, &com2staff, &flt, WANT(2, 4, 5));
		expect_set(x, &x->desk, &flt, WANT(0, 1, 3, 4, 7, 8, 9));
	}
	pages_match_oracle(x, &x->desk, 0);
	pages_match_oracle(x, &x->sec2, 0);
}

/* My tasks. */

static const struct wo_task_list *task(const struct wo_tasks *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->lists[i].name, name))
			return &t->lists[i];
	return NULL;
}

static void expect_task(struct fx *x, const struct wo_tasks *t, const char *name, const int *want)
{
	const struct wo_task_list *l = task(t, name);
	size_t n = 0, i;

	if (!l)
		fail_msg("no list %s", name);
	while (want[n] >= 0)
		n++;
	if (l->n != n || l->count != (int64_t)n)
		fail_msg("%s: %zu orders (count %lld), wanted %zu", name, l->n, (long long)l->count, n);
	for (i = 0; i < n; i++)
		if (l->items[i].id != x->o[want[i]])
			fail_msg("%s: position %zu is order %lld, wanted scene order %d", name, i,
				 (long long)l->items[i].id, want[i]);
}

static void test_my_tasks_by_role(void **state)
{
	struct fx *x = *state;
	struct wo_tasks t;
	struct spec sp;

	scene(x);
	/* Another dispatched to y1, later than 0; a return asked for on 1's sibling; an extension. */
	memset(&sp, 0, sizeof(sp));
	sp.place = x->h3;
	sp.text = "单元门坏了";
	sp.when = "2026-09-09 09:00";
	sp.path = "accept,dispatch";
	mk_order(x, &sp);				/* 10: to sign, after 0 */
	sp.text = "下水道堵了";
	sp.when = "2026-09-09 10:00";
	sp.path = "accept,dispatch,sign,request_extension";
	mk_order(x, &sp);				/* 11: in progress, an extension asked for */
	sp.text = "不归我们管";
	sp.when = "2026-09-09 11:00";
	sp.path = "accept,dispatch,request_return";
	mk_order(x, &sp);				/* 12: return asked for */

	/* The courtyard secretary: its handler lists, and what it filed (nothing). */
	assert_int_equal(wo_tasks(x->s, &x->sec1, 0, &t, &F), 0);
	assert_int_equal(t.n, 4);
	expect_task(x, &t, "to_sign", WANT(0, 10));
	expect_task(x, &t, "in_progress", WANT(1, 11, 12));
	expect_task(x, &t, "carded", WANT(1));
	expect_task(x, &t, "reported", NONE);
	assert_null(task(&t, "to_accept"));
	wo_tasks_release(&t);

	/* y2 handles 4, placed in y1. */
	assert_int_equal(wo_tasks(x->s, &x->sec2, 0, &t, &F), 0);
	expect_task(x, &t, "to_sign", NONE);
	expect_task(x, &t, "in_progress", WANT(4));
	expect_task(x, &t, "carded", WANT(4));
	wo_tasks_release(&t);

	/* The community desk: the handler lists over its courtyards, and the desk's own lists by place. */
	assert_int_equal(wo_tasks(x->s, &x->desk, 0, &t, &F), 0);
	assert_int_equal(t.n, 9);
	expect_task(x, &t, "to_sign", WANT(0, 10));
	expect_task(x, &t, "in_progress", WANT(1, 4, 11, 12));
	expect_task(x, &t, "carded", WANT(1, 4));
	expect_task(x, &t, "to_accept", WANT(2, 7));
	expect_task(x, &t, "to_dispatch", WANT(3, 9));
	expect_task(x, &t, "to_decide", WANT(11, 12));
	expect_task(x, &t, "to_review", WANT(8));
	expect_task(x, &t, "to_call_back", NONE);
	expect_task(x, &t, "reported", WANT(8));
	wo_tasks_release(&t);

	/* The other community's courtyard has nothing; the street sees all of its subdistrict. */
	assert_int_equal(wo_tasks(x->s, &x->sec3, 0, &t, &F), 0);
	expect_task(x, &t, "to_sign", NONE);
	expect_task(x, &t, "in_progress", NONE);
	wo_tasks_release(&t);
	assert_int_equal(wo_tasks(x->s, &x->street, 0, &t, &F), 0);
	expect_task(x, &t, "to_accept", WANT(2, 7));
	expect_task(x, &t, "to_sign", WANT(0, 10));
	wo_tasks_release(&t);
	assert_int_equal(wo_tasks(x->s, &x->ostaff, 0, &t, &F), 0);
	expect_task(x, &t, "to_accept", WANT(6));
	expect_task(x, &t, "to_sign", NONE);
	wo_tasks_release(&t);

	/* Reporters: only what they filed and is not closed. */
	assert_int_equal(wo_tasks(x->s, &x->rider, 0, &t, &F), 0);
	assert_int_equal(t.n, 1);
	expect_task(x, &t, "reported", WANT(7));
	wo_tasks_release(&t);
	assert_int_equal(wo_tasks(x->s, &x->grid, 0, &t, &F), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(task(&t, "reported")->count, 9);	/* 0-4, 9-12 */
	wo_tasks_release(&t);

	/* A cap shows the first, counts all. */
	assert_int_equal(wo_tasks(x->s, &x->desk, 1, &t, &F), 0);
	assert_int_equal(task(&t, "in_progress")->n, 1);
	assert_int_equal(task(&t, "in_progress")->count, 4);
	assert_int_equal(task(&t, "in_progress")->items[0].id, x->o[1]);
	wo_tasks_release(&t);
	assert_int_equal(wo_tasks(x->s, &x->desk, 201, &t, &F), -1);
	assert_string_equal(F.field, "limit");
}

/* Query plans. */

struct plan_line {
	int id, parent;
	char detail[160];
};

/* The plan's rows (EXPLAIN QUERY PLAN: id, parent, detail); *text: them all, "|"-separated, for messages. */
static size_t explain(struct fx *x, const struct wo_sql *q, struct plan_line *rows, size_t max, struct buf *text)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	size_t n = 0;
	int rc;

	buf_init(&sql);
	buf_reset(text);
	buf_addf(&sql, "EXPLAIN QUERY PLAN %s", q->sql.data);
	st = store_prepare(x->s, sql.data);
	wo_sql_bind(st, q, 1);
	while ((rc = store_step(st)) == STORE_ROW) {
		buf_addf(text, "%s|", store_column_text(st, 3));
		if (n < max) {
			rows[n].id = (int)store_column_int64(st, 0);
			rows[n].parent = (int)store_column_int64(st, 1);
			snprintf(rows[n].detail, sizeof(rows[n].detail), "%s", store_column_text(st, 3));
			n++;
		}
	}
	store_done(st);
	buf_release(&sql);
	if (rc != STORE_DONE)
		fail_msg("explain failed: %s", store_errmsg(x->s));
	return n;
}

static int reads_orders(const char *detail)
{
	return !strncmp(detail, "SCAN w", 6) || !strncmp(detail, "SEARCH w", 8) || !strncmp(detail, "SCAN work_orders", 16) ||
	       !strncmp(detail, "SEARCH work_orders", 18);
}

/*
 * No row reads work_orders in full: every access to it is a SEARCH (an index
 * range, or the primary key), or a SCAN of an index in the order asked for
 * (the deployment-wide list: it stops after the page).  With ordered, no walk
 * of work_orders is sorted either: the page is read in index order (a sort of
 * a subquery's few rows, the first page of a branch, is fine).
 */
static void assert_plan(struct fx *x, const char *what, const struct wo_sql *q, int ordered, const char *want)
{
	struct plan_line rows[64];
	struct buf text = BUF_INIT;
	size_t n, i, j;

	buf_init(&text);
	n = explain(x, q, rows, YL_ARRAY_LEN(rows), &text);
	if (getenv("WO_PLANS"))	/* WO_PLANS=1 build/tests/test_wo_search: every plan (2: and its SQL) */
		printf("%s:\n  %s\n%s%s", what, text.data, strcmp(getenv("WO_PLANS"), "2") ? "" : q->sql.data,
		       strcmp(getenv("WO_PLANS"), "2") ? "" : "\n");
	for (i = 0; i < n; i++) {
		const char *d = rows[i].detail;

		if ((!strcmp(d, "SCAN w") || !strcmp(d, "SCAN work_orders")) ||
		    (!strncmp(d, "SCAN w ", 7) && !strstr(d, "INDEX")))
			fail_msg("%s reads work_orders whole: %s\n%s", what, text.data, q->sql.data);
		if (!ordered || strcmp(d, "USE TEMP B-TREE FOR ORDER BY") != 0)
			continue;
		for (j = 0; j < n; j++)
			if (rows[j].parent == rows[i].parent && reads_orders(rows[j].detail))
				fail_msg("%s sorts what it reads: %s\n%s", what, text.data, q->sql.data);
	}
	/* The index meant for the shape: another may also avoid a full scan, and still read far more. */
	if (want && !strstr(text.data, want))
		fail_msg("%s does not use %s: %s\n%s", what, want, text.data, q->sql.data);
	buf_release(&text);
}

static void plan_of(struct fx *x, const char *what, const struct actor *a, const struct wo_filter *flt, enum phase ph,
		    int with_cursor, int ordered, const char *want)
{
	struct cursor c = { ph, unit_local("2026-09-05 00:00"), 7 };
	int deadline_sort;
	struct wo_sql q;
	struct plan p;

	plan_init(&p);
	wo_sql_init(&q);
	if (plan_list(x->s, a, flt, &p, &deadline_sort, &F) < 0)
		fail_msg("%s: %s", what, F.message);
	page_sql(&p, ph, with_cursor ? &c : NULL, 51, &q);
	assert_plan(x, what, &q, ordered, want);
	wo_sql_release(&q);
	plan_release(&p);
}

/* The index meant for a task list, by the actor's level (street, desk, sec1) and the list's node. */
static const char *task_index(const struct actor *a, const struct task_def *d)
{
	const char *level = a->scope_node_id == 0 ? "" : !strcmp(a->login, "street") ? "sub" :
			    !strcmp(a->login, "desk") ? "com" : "yard";

	if (d->by == BY_CREATOR)
		return "INDEX work_orders_creator_live ";
	/* A subdistrict's or the deployment's live orders of a state are few: by state, or the sweeper's
	 * own partial indexes (008), as the planner likes. */
	if (!*level || !strcmp(level, "sub"))
		return NULL;
	if (d->by == BY_PLACE)
		return !strcmp(level, "com") ? "INDEX work_orders_com_state " : "INDEX work_orders_yard_state ";
	return !strcmp(level, "com") ? "INDEX work_orders_com_live " : "INDEX work_orders_yard_live ";
}

static void test_query_plans(void **state)
{
	struct fx *x = *state;
	struct wo_filter flt;
	int cur;

	scene(x);
	for (cur = 0; cur <= 1; cur++) {
		memset(&flt, 0, sizeof(flt));
		/* Scopes alone, time sort: one ordered walk each (two for a courtyard or a community). */
		plan_of(x, "a subdistrict's list", &x->street, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_received ");
		plan_of(x, "a community's list", &x->desk, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_com ");
		plan_of(x, "a courtyard's list", &x->sec1, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_yard ");
		plan_of(x, "a mobile grid member's list", &x->rider, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_creator ");
		plan_of(x, "everything", &x->admin, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_time");
		/* Subtree and state. */
		flt.state = "dispatched";
		plan_of(x, "a community's dispatched", &x->desk, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_com_state ");
		plan_of(x, "a courtyard's dispatched", &x->sec1, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_yard_state ");
		plan_of(x, "a subdistrict's dispatched", &x->street, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_sub_state ");
		plan_of(x, "all dispatched", &x->admin, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_state ");
		flt.under_id = x->y1;
		plan_of(x, "under a courtyard, dispatched", &x->desk, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_yard_state ");
		plan_of(x, "under a courtyard, dispatched, unscoped", &x->admin, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_yard_state ");
		flt.under_id = x->b1;
		plan_of(x, "under a building", &x->desk, &flt, PHASE_TIME, cur, 0, "INDEX work_orders_yard_state ");
		flt.state = "dispatched,in_progress";
		flt.under_id = x->com;
		plan_of(x, "two states under a community", &x->street, &flt, PHASE_TIME, cur, 0, "INDEX work_orders_com_state ");
		/* The deadline sort: the states' rows are few; they are sorted, but never read whole. */
		plan_of(x, "two states by deadline", &x->desk, &flt, PHASE_DEADLINE, cur, 0, "INDEX work_orders_com_state ");
		plan_of(x, "two states without a deadline", &x->desk, &flt, PHASE_NONE, cur, 0, "INDEX work_orders_com_state ");
		/* Search: the FTS index drives. */
		memset(&flt, 0, sizeof(flt));
		flt.q = "楼道灯";
		plan_of(x, "a search, deployment-wide", &x->admin, &flt, PHASE_TIME, cur, 1, "VIRTUAL TABLE INDEX 192:");
		plan_of(x, "a search in a community", &x->desk, &flt, PHASE_TIME, cur, 1, "VIRTUAL TABLE INDEX 192:");
		plan_of(x, "a search in a courtyard", &x->sec1, &flt, PHASE_TIME, cur, 1, "VIRTUAL TABLE INDEX 192:");
		flt.under_id = x->b1;
		plan_of(x, "a search under a building", &x->desk, &flt, PHASE_TIME, cur, 1, "VIRTUAL TABLE INDEX 192:");
		flt.under_id = 0;
		flt.q = "君临天下小区3号楼 漏水";
		plan_of(x, "a long and a short word in a courtyard", &x->sec1, &flt, PHASE_TIME, cur, 1, "VIRTUAL TABLE INDEX 192:");
		plan_of(x, "a search by deadline", &x->desk, &flt, PHASE_DEADLINE, cur, 0, "VIRTUAL TABLE");
		plan_of(x, "a search without a deadline", &x->desk, &flt, PHASE_NONE, cur, 0, "VIRTUAL TABLE");
		plan_of(x, "a mobile grid member's search", &x->rider, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_creator ");
		flt.q = "YL20260901";
		plan_of(x, "an order number's prefix", &x->desk, &flt, PHASE_TIME, cur, 0, "work_orders_external ");
		flt.q = "JN12345-20221103-004512";
		plan_of(x, "a hotline number", &x->sec1, &flt, PHASE_TIME, cur, 0, "work_orders_external ");
		flt.q = "楼道灯";
		flt.state = "closed";
		plan_of(x, "a search of closed orders in a subdistrict", &x->street, &flt, PHASE_TIME, cur, 1, "VIRTUAL TABLE INDEX 192:");
		flt.q = "漏水";
		plan_of(x, "a 2-character search in a community", &x->desk, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_com_state ");
		/* The other filters ride on the scope's walk. */
		memset(&flt, 0, sizeof(flt));
		flt.handler_node_id = x->y1;
		flt.state = "in_progress";
		plan_of(x, "an assignee's orders", &x->admin, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_handler ");
		memset(&flt, 0, sizeof(flt));
		flt.overdue = 1;
		flt.card = "any";
		flt.category_id = CAT_PROP;
		flt.from = "2026-09-01";
		flt.to = "2026-09-30";
		plan_of(x, "overdue, carded, a category, dates", &x->desk, &flt, PHASE_TIME, cur, 1, "INDEX work_orders_com_state ");
		plan_of(x, "overdue by deadline", &x->sec1, &flt, PHASE_DEADLINE, cur, 0, "INDEX work_orders_yard_state ");
	}
	/* My tasks, every list for actors of each level. */
	{
		const struct actor *actors[] = { &x->admin, &x->street, &x->desk, &x->sec1 };
		size_t i, k;

		for (k = 0; k < YL_ARRAY_LEN(actors); k++) {
			struct subtree scope = { -1, 0, 0 };

			for (i = 0; i < YL_ARRAY_LEN(TASKS); i++) {
				struct wo_sql who, q;
				char what[80];
				int count;

				for (count = 0; count <= 1; count++) {
					wo_sql_init(&who);
					wo_sql_init(&q);
					assert_int_equal(task_who(x->s, actors[k], TASKS[i].by, &scope, &who, &F), 0);
					task_sql(&TASKS[i], &who, count, 50, &q);
					snprintf(what, sizeof(what), "%s of %s%s", TASKS[i].name, actors[k]->login,
						 count ? " (count)" : "");
					assert_plan(x, what, &q, 0, task_index(actors[k], &TASKS[i]));
					wo_sql_release(&who);
					wo_sql_release(&q);
				}
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_filters_one_by_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters_combined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_filters_name_the_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_sort_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline_sort_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages_hold_while_orders_arrive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_chinese, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_index_follows_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_pages_match_visibility, setup, teardown),
		cmocka_unit_test_setup_teardown(test_columns_follow_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_my_tasks_by_role, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_plans, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
