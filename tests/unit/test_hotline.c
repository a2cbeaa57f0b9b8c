/*
 * test_hotline.c - src/org/address_match.c and src/csvio/import_hotline.c: addresses
 * onto the tree, the hotline's CSV with every kind of bad row, where orders
 * land, dry runs, and importing the same file twice.  A fresh database each,
 * with the shipped calendars (share/calendar/YYYY.csv, run from the project root).
 */
#include "unit.h"

#include "auth/auth.h"
#include "calendar/calendar.h"
#include "csvio/csvio.h"
#include "org/org.h"
#include "store/store.h"
#include "util/util.h"
#include "workorder/workorder.h"

/*
 *   sub 明水街道
 *     com 龙泉社区:     y1 君临天下小区 > b3 3号楼 > u2 2单元 > h201 201室, h1201 1201室
 *                                       > b13 13号楼
 *                                       > b5 5号楼 > h5 501室 (no unit)
 *                       y2 泉景花园
 *     com2 桃花山社区:  y3 桃花山职工宿舍, y4 幸福小区
 *     com3 东关社区:    y5 幸福小区 (the same name as y4)
 */
struct fx {
	struct store *s;
	int64_t sub, com, y1, b3, u2, h201, h1201, b13, b5, h5, y2, com2, y3, y4, com3, y5;
};

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
	x->y1 = unit_node(x->s, x->com, LEVEL_COURTYARD, "君临天下小区");
	x->b3 = unit_node(x->s, x->y1, LEVEL_BUILDING, "3号楼");
	x->u2 = unit_node(x->s, x->b3, LEVEL_UNIT, "2单元");
	x->h201 = unit_node(x->s, x->u2, LEVEL_HOUSEHOLD, "201室");
	x->h1201 = unit_node(x->s, x->u2, LEVEL_HOUSEHOLD, "1201室");
	x->b13 = unit_node(x->s, x->y1, LEVEL_BUILDING, "13号楼");
	x->b5 = unit_node(x->s, x->y1, LEVEL_BUILDING, "5号楼");
	x->h5 = unit_node(x->s, x->b5, LEVEL_HOUSEHOLD, "501室");
	x->y2 = unit_node(x->s, x->com, LEVEL_COURTYARD, "泉景花园");
	x->com2 = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "桃花山社区");
	x->y3 = unit_node(x->s, x->com2, LEVEL_COURTYARD, "桃花山职工宿舍");
	x->y4 = unit_node(x->s, x->com2, LEVEL_COURTYARD, "幸福小区");
	x->com3 = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "东关社区");
	x->y5 = unit_node(x->s, x->com3, LEVEL_COURTYARD, "幸福小区");
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

/* ---- address matching ---- */

static int64_t match(struct addr_index *ix, const char *address, const char *community, enum node_level *level)
{
	struct addr_result r;
	struct fault f = { 0 };

	if (addr_match(ix, address, community, &r, &f) < 0)
		fail_msg("addr_match: %s", f.message);
	if (level)
		*level = r.level;
	return r.node_id;
}

/* The tree of the fixture built by hand, without a store. */
static void hand_index(struct addr_index *ix, const struct fx *x)
{
	addr_index_init(ix, NULL);
	addr_index_add(ix, x->sub, 0, LEVEL_SUBDISTRICT, "明水街道");
	addr_index_add(ix, x->com, x->sub, LEVEL_COMMUNITY, "龙泉社区");
	addr_index_add(ix, x->y1, x->com, LEVEL_COURTYARD, "君临天下小区");
	addr_index_add(ix, x->b3, x->y1, LEVEL_BUILDING, "3号楼");
	addr_index_add(ix, x->u2, x->b3, LEVEL_UNIT, "2单元");
	addr_index_add(ix, x->h201, x->u2, LEVEL_HOUSEHOLD, "201室");
	addr_index_add(ix, x->h1201, x->u2, LEVEL_HOUSEHOLD, "1201室");
	addr_index_add(ix, x->b13, x->y1, LEVEL_BUILDING, "13号楼");
	addr_index_add(ix, x->b5, x->y1, LEVEL_BUILDING, "5号楼");
	addr_index_add(ix, x->h5, x->b5, LEVEL_HOUSEHOLD, "501室");
	addr_index_add(ix, x->y2, x->com, LEVEL_COURTYARD, "泉景花园");
	addr_index_add(ix, x->com2, x->sub, LEVEL_COMMUNITY, "桃花山社区");
	addr_index_add(ix, x->y3, x->com2, LEVEL_COURTYARD, "桃花山职工宿舍");
	addr_index_add(ix, x->y4, x->com2, LEVEL_COURTYARD, "幸福小区");
	addr_index_add(ix, x->com3, x->sub, LEVEL_COMMUNITY, "东关社区");
	addr_index_add(ix, x->y5, x->com3, LEVEL_COURTYARD, "幸福小区");
}

static void check_matches(struct addr_index *ix, const struct fx *x)
{
	enum node_level level;
	struct addr_result r;
	struct fault f = { 0 };

	/* The DOMAIN.md example, down to the household. */
	assert_int_equal(match(ix, "明水街道龙泉社区君临天下小区3号楼2单元201室", NULL, &level), x->h201);
	assert_int_equal(level, LEVEL_HOUSEHOLD);
	assert_int_equal(match(ix, "明水街道龙泉社区君临天下小区3号楼2单元", "龙泉社区", &level), x->u2);
	assert_int_equal(level, LEVEL_UNIT);
	/* As people say it: the name without 小区, 栋 for 号楼, a Chinese numeral, no 室. */
	assert_int_equal(match(ix, "君临天下3栋二单元201", NULL, NULL), x->h201);
	assert_int_equal(match(ix, "龙泉社区君临天下小区 3-2-201", NULL, NULL), x->h201);
	assert_int_equal(match(ix, "君临天下小区3幢2单元201户", NULL, NULL), x->h201);
	assert_int_equal(match(ix, "君临天下小区3#楼", NULL, NULL), x->b3);
	/* Full-width digits and spaces. */
	assert_int_equal(match(ix, "君临天下 小区　３号楼２单元２０１室", NULL, NULL), x->h201);
	/* Numbers stay whole: 13号楼 is not 3号楼, 1201室 is not 201室. */
	assert_int_equal(match(ix, "君临天下小区13号楼", NULL, NULL), x->b13);
	assert_int_equal(match(ix, "君临天下小区3号楼2单元1201室", NULL, NULL), x->h1201);
	assert_int_equal(match(ix, "君临天下小区23号楼", NULL, &level), x->y1);
	assert_int_equal(level, LEVEL_COURTYARD);
	/* A household straight under its building; 501号 after a building is a household. */
	assert_int_equal(match(ix, "君临天下小区5号楼501号", NULL, NULL), x->h5);
	/* A unit the courtyard does not have: the search stops at the building. */
	assert_int_equal(match(ix, "君临天下小区3号楼9单元201室", NULL, NULL), x->b3);
	/* No courtyard: the community; no community either: the subdistrict; nothing: 0. */
	assert_int_equal(match(ix, "明水街道龙泉社区龙泉大道88号", NULL, &level), x->com);
	assert_int_equal(level, LEVEL_COMMUNITY);
	assert_int_equal(match(ix, "明水街道绣水大街1号", NULL, &level), x->sub);
	assert_int_equal(level, LEVEL_SUBDISTRICT);
	assert_int_equal(match(ix, "济南市历下区泉城路1号", NULL, &level), 0);
	assert_int_equal(level, LEVEL_NONE);
	assert_int_equal(match(ix, NULL, NULL, NULL), 0);
	assert_int_equal(match(ix, "", NULL, NULL), 0);
	/* A courtyard named without its community finds the community through it. */
	assert_int_equal(addr_match(ix, "桃花山职工宿舍3号楼", NULL, &r, &f), 0);
	assert_int_equal(r.node_id, x->y3);
	assert_int_equal(r.community_id, x->com2);
	assert_int_equal(r.courtyard_id, x->y3);
	assert_false(r.community_from_column);
	/* A stem followed by a road word is the road: 君临天下路 is no courtyard. */
	assert_int_equal(match(ix, "明水街道君临天下路12号", NULL, NULL), x->sub);
	/* The community column: its name, or without 社区; it chooses among courtyards of one name. */
	assert_int_equal(addr_match(ix, "泉景花园", "龙泉社区", &r, &f), 0);
	assert_int_equal(r.node_id, x->y2);
	assert_true(r.community_from_column);
	assert_int_equal(match(ix, "幸福小区", "东关", NULL), x->y5);
	assert_int_equal(match(ix, "幸福小区", "桃花山社区", NULL), x->y4);
	/* Two courtyards of one name and nothing to choose between them: no guess, the level above. */
	assert_int_equal(match(ix, "明水街道幸福小区2号楼", NULL, NULL), x->sub);
	assert_int_equal(match(ix, "东关社区幸福小区", NULL, NULL), x->y5);
	/* The column and the address disagree: the column's community, for a person to dispatch. */
	assert_int_equal(match(ix, "泉景花园1号楼", "桃花山社区", &level), x->com2);
	assert_int_equal(level, LEVEL_COMMUNITY);
	/* A column naming no community: the address decides. */
	assert_int_equal(match(ix, "泉景花园", "不存在社区", NULL), x->y2);
	/* Text that is not UTF-8 all through does not trip the matcher. */
	assert_int_equal(match(ix, "君临天下小区3号楼\xe5", NULL, NULL), x->b3);
}

static void test_match_by_hand(void **state)
{
	struct fx *x = *state;
	struct addr_index ix;

	hand_index(&ix, x);
	check_matches(&ix, x);
	addr_index_release(&ix);
}

static void test_match_from_the_store(void **state)
{
	struct fx *x = *state;
	struct addr_index ix;
	struct fault f = { 0 };

	/* The top three levels at once, the rest on the way down: the same answers. */
	addr_index_init(&ix, x->s);
	assert_int_equal(addr_index_load(&ix, &f), 0);
	assert_int_equal(ix.n, 9);	/* 1 subdistrict, 3 communities, 5 courtyards */
	check_matches(&ix, x);
	addr_index_release(&ix);
}

/* ---- the import ---- */

#define HEADER "工单编号,受理时间,来源渠道,诉求类型,诉求分类,紧急程度,诉求人,联系电话,是否保密,诉求地址,所属社区,诉求内容,办理时限\r\n"

/* Three good orders: to a household, to a community (no courtyard in the address), matching nothing. */
static const char GOOD[] =
	"\xef\xbb\xbf" HEADER
	"JN12345-20221103-004512,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,张女士,13800001234,否,"
	"明水街道龙泉社区君临天下小区3号楼2单元201室,龙泉社区,楼道灯坏了一个月没人修,5\r\n"
	"JN12345-20221103-004513,2022/11/3 10:05,微信,求助,公用设施>供电照明,紧急,李先生,0531-83212345,是,"
	"龙泉大道88号,龙泉社区,路灯不亮,2022-11-10\r\n"
	"JN12345-20221104-000101,2022-11-04 08:00:00,网站,建议,市容环境 > 绿化养护,,,,,"
	"济南市章丘区某路1号,,建议增加绿化,\r\n";

struct run {
	struct csv_import_result res;
	struct csv_hotline_report rep;
	struct fault f;
	int rc;
};

static void import(struct fx *x, const struct actor *a, const char *text, int dry_run, struct run *out)
{
	struct csv_import_options opt = { 0 };

	memset(out, 0, sizeof(*out));
	opt.dry_run = dry_run;
	opt.scope = a ? a->scope_node_id : 0;
	out->rc = csv_import_hotline(x->s, a, text, strlen(text), &opt, &out->res, &out->rep, &out->f);
}

static int64_t hotline_orders(struct fx *x)
{
	int64_t n = -1;

	assert_int_equal(store_query_int64(x->s, "SELECT COUNT(*) FROM work_orders WHERE source = 'hotline'", &n, 0),
			 STORE_OK);
	return n;
}

static int64_t order_id(struct fx *x, const char *external_no)
{
	struct store_stmt *st = store_prepare(x->s, "SELECT id FROM work_orders WHERE external_no = ?");
	int64_t id = 0;

	store_bind_text(st, 1, external_no);
	if (store_step(st) == STORE_ROW)
		id = store_column_int64(st, 0);
	store_done(st);
	return id;
}

static int64_t local(const char *date, int h, int m, int sec)
{
	int32_t day;

	if (calendar_day_parse(date, &day) < 0)
		fail_msg("bad date %s", date);
	return calendar_day_start(day) + h * 3600 + m * 60 + sec;
}

static void test_import_lands_every_order(void **state)
{
	struct fx *x = *state;
	struct wo_order o;
	struct fault f = { 0 };
	struct run r;

	import(x, NULL, GOOD, 0, &r);
	if (r.rc < 0)
		fail_msg("import: %s (%s: %s)", r.f.message, r.res.problems.n ? r.res.problems.items[0].column : "",
			 r.res.problems.n ? r.res.problems.items[0].reason : "");
	assert_int_equal(r.res.rows, 3);
	assert_int_equal(r.res.created, 3);
	assert_int_equal(r.res.unchanged, 0);
	/* Where they landed: a household, a community (by 所属社区), the only subdistrict. */
	assert_int_equal(r.rep.placed[LEVEL_HOUSEHOLD], 1);
	assert_int_equal(r.rep.placed[LEVEL_COMMUNITY], 1);
	assert_int_equal(r.rep.placed[LEVEL_SUBDISTRICT], 1);
	assert_int_equal(r.rep.placed[LEVEL_COURTYARD], 0);
	assert_int_equal(r.rep.waiting, 2);
	assert_int_equal(r.rep.by_fallback, 1);
	csv_import_result_release(&r.res);
	assert_int_equal(hotline_orders(x), 3);

	/* The first: at the household, dispatched to its courtyard, the hotline's time and 5 working days. */
	assert_int_equal(wo_get(x->s, order_id(x, "JN12345-20221103-004512"), &o, &f), 0);
	assert_string_equal(o.source, "hotline");
	assert_string_equal(o.external_no, "JN12345-20221103-004512");
	assert_string_equal(o.type, "complaint");
	assert_int_equal(o.category_id, 6);
	assert_string_equal(o.urgency, "normal");
	assert_int_equal(o.node_id, x->h201);
	assert_int_equal(o.handler_node_id, x->y1);
	assert_string_equal(o.state, "dispatched");
	assert_string_equal(o.address, "明水街道龙泉社区君临天下小区3号楼2单元201室");
	assert_string_equal(o.caller_name, "张女士");
	assert_string_equal(o.caller_phone, "13800001234");
	assert_false(o.confidential);
	assert_int_equal(o.received_at, local("2022-11-03", 9, 12, 45));
	/* Thursday 2022-11-03 + 5 working days: Thursday 2022-11-10, 23:59:59. */
	assert_int_equal(o.deadline, local("2022-11-11", 0, 0, 0) - 1);
	wo_order_release(&o);

	/* The second: the community, waiting for a person; 办理时限 as a date is the same 5 working days. */
	assert_int_equal(wo_get(x->s, order_id(x, "JN12345-20221103-004513"), &o, &f), 0);
	assert_int_equal(o.node_id, x->com);
	assert_string_equal(o.state, "accepted");
	assert_string_equal(o.type, "help");
	assert_string_equal(o.urgency, "urgent");
	assert_true(o.confidential);
	assert_int_equal(o.received_at, local("2022-11-03", 10, 5, 0));
	assert_int_equal(o.deadline, local("2022-11-11", 0, 0, 0) - 1);
	wo_order_release(&o);

	/* The third matched nothing: the subdistrict, never dropped. */
	assert_int_equal(wo_get(x->s, order_id(x, "JN12345-20221104-000101"), &o, &f), 0);
	assert_int_equal(o.node_id, x->sub);
	assert_string_equal(o.state, "accepted");
	assert_null(o.caller_name);
	wo_order_release(&o);
}

static void test_reimport_creates_nothing(void **state)
{
	struct fx *x = *state;
	struct run r;

	import(x, NULL, GOOD, 0, &r);
	assert_int_equal(r.rc, 0);
	csv_import_result_release(&r.res);
	/* The same file again: every row unchanged, no order added. */
	import(x, NULL, GOOD, 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.created, 0);
	assert_int_equal(r.res.unchanged, 3);
	assert_int_equal(r.rep.placed[LEVEL_HOUSEHOLD], 0);
	csv_import_result_release(&r.res);
	assert_int_equal(hotline_orders(x), 3);
	/* A file with an old order and a new one: one created. */
	import(x, NULL,
	       HEADER "JN12345-20221103-004512,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,张女士,13800001234,否,"
		      "明水街道龙泉社区君临天下小区3号楼2单元201室,龙泉社区,楼道灯坏了一个月没人修,5\r\n"
		      "JN12345-20221105-000001,2022-11-05 10:00:00,电话,咨询,其他>其他事项,,,,,泉景花园,,问个事,\r\n",
	       0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.created, 1);
	assert_int_equal(r.res.unchanged, 1);
	assert_int_equal(r.rep.placed[LEVEL_COURTYARD], 1);
	assert_int_equal(r.rep.waiting, 0);
	csv_import_result_release(&r.res);
	assert_int_equal(hotline_orders(x), 4);
	/* The same number twice in one file with the same values is one order. */
	import(x, NULL,
	       HEADER "JN-TWICE,2022-11-05 10:00:00,电话,咨询,其他>其他事项,,,,,泉景花园,,问个事,\r\n"
		      "JN-TWICE,2022-11-05 10:00:00,电话,咨询,其他>其他事项,,,,,泉景花园,,问个事,\r\n",
	       0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.created, 1);
	assert_int_equal(r.res.unchanged, 1);
	csv_import_result_release(&r.res);
	assert_int_equal(hotline_orders(x), 5);
}

static void test_dry_run_writes_nothing(void **state)
{
	struct fx *x = *state;
	struct run r;

	import(x, NULL, GOOD, 1, &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.dry_run);
	assert_int_equal(r.res.created, 3);		/* what a real import would do */
	assert_int_equal(r.rep.placed[LEVEL_HOUSEHOLD], 1);
	assert_int_equal(r.rep.waiting, 2);
	csv_import_result_release(&r.res);
	assert_int_equal(hotline_orders(x), 0);
	/* Inside a caller's transaction, which stays usable. */
	assert_int_equal(store_begin_write(x->s), STORE_OK);
	import(x, NULL, GOOD, 1, &r);
	assert_int_equal(r.rc, 0);
	csv_import_result_release(&r.res);
	assert_int_equal(hotline_orders(x), 0);
	import(x, NULL, GOOD, 0, &r);
	assert_int_equal(r.rc, 0);
	csv_import_result_release(&r.res);
	assert_int_equal(store_commit(x->s), STORE_OK);
	assert_int_equal(hotline_orders(x), 3);
}

/* 1 when the problems hold one on line with column and a reason containing words. */
static int has_problem(const struct csv_problems *p, size_t line, const char *column, const char *words)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct csv_problem *e = &p->items[i];

		if (e->line != line)
			continue;
		if (column ? !e->column || strcmp(e->column, column) != 0 : e->column != NULL)
			continue;
		if (!words || strstr(e->reason, words))
			return 1;
	}
	return 0;
}

static void print_problems(const struct csv_problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		print_message("  line %zu, %s: %s\n", p->items[i].line, p->items[i].column ? p->items[i].column : "-",
			      p->items[i].reason);
}

#define EXPECT(line, column, words)                                                              \
	do {                                                                                     \
		if (!has_problem(&r.res.problems, line, column, words)) {                        \
			print_problems(&r.res.problems);                                          \
			fail_msg("no problem on line %d, %s, '%s'", line, column ? column : "-", words); \
		}                                                                                \
	} while (0)

#define OK_ROW "2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,张女士,13800001234,否,君临天下小区3号楼,,灯坏了,5\r\n"

static void test_every_kind_of_bad_row(void **state)
{
	struct fx *x = *state;
	struct run r;

	import(x, NULL,
	       HEADER
	       /* 2 */ "JN-OK-1," OK_ROW
	       /* 3 */ "JN-T1,2022-13-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,x,\r\n"
	       /* 4 */ "JN-T2,2022-11-03,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,x,\r\n"
	       /* 5 */ "JN-T3,2099-01-01 00:00:00,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,x,\r\n"
	       /* 6 */ "JN-TY,2022-11-03 09:12:45,电话,表扬,城乡建设>物业管理,一般,,,否,君临天下小区,,x,\r\n"
	       /* 7 */ "JN-CA,2022-11-03 09:12:45,电话,投诉,城乡建设>>不存在,一般,,,否,君临天下小区,,x,\r\n"
	       /* 8 */ "JN-UR,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,很急,,,否,君临天下小区,,x,\r\n"
	       /* 9 */ "JN-PH,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,12345,否,君临天下小区,,x,\r\n"
	       /* 10 */ "JN-PM,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,138****1234,否,君临天下小区,,x,\r\n"
	       /* 11 */ "JN-SE,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,可能,君临天下小区,,x,\r\n"
	       /* 12 */ "JN-D1,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,x,很快\r\n"
	       /* 13 */ "JN-D2,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,x,0\r\n"
	       /* 14 */ "JN-D3,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,x,2022-11-01\r\n"
	       /* 15 */ "JN-TX,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,,5\r\n"
	       /* 16 */ "JN 12,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,x,5\r\n"
	       /* 17 */ ",2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,x,5\r\n"
	       /* 18 */ "JN-OK-1,2022-11-04 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,y,5\r\n"
	       /* 19 */ "JN-OK-2," OK_ROW
	       /* 20 */ "JN-OK-2," OK_ROW
	       /* 21 */ "JN-D4,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,x,61个工作日\r\n"
	       /* 22 */ "JN-CH,2022-11-03 09:12:45,一个非常非常非常非常非常非常长的渠道名称真的很长,投诉,城乡建设>物业管理,"
	       "一般,,,否,君临天下小区,,x,5\r\n"
	       /* 23 */ "JN-NA,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,一个名字长到五十个字以上的诉求人一个名字长到五十个字以上的诉求人一个名字长到五十个字以上的诉求人一个名字长到五十个字以上的诉求人,,否,君临天下小区,,x,5\r\n"
	       /* 24 */ "JN-FF,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区,,x,5,extra\r\n",
	       0, &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.f.code, "invalid_csv");
	EXPECT(3, "受理时间", "not a time such as 2022-11-03 09:12:45");
	EXPECT(4, "受理时间", "not a time");
	EXPECT(5, "受理时间", "in the future");
	EXPECT(6, "诉求类型", "咨询, 求助, 投诉, 举报 or 建议");
	EXPECT(7, "诉求分类", "不存在");	/* an empty part: no path (an unknown one maps) */
	EXPECT(8, "紧急程度", "一般 or 紧急");
	EXPECT(9, "联系电话", "mobile");
	EXPECT(10, "联系电话", "masked");
	EXPECT(11, "是否保密", "是 or 否");
	EXPECT(12, "办理时限", "neither working days");
	EXPECT(13, "办理时限", "outside 1 to 60");
	EXPECT(14, "办理时限", "not after");
	EXPECT(15, "诉求内容", "required");
	EXPECT(16, "工单编号", "not a hotline number");
	EXPECT(17, "工单编号", "required");
	EXPECT(18, "工单编号", "already on line 2");
	EXPECT(21, "办理时限", "outside 1 to 60");
	EXPECT(22, "来源渠道", "at most 20");
	EXPECT(23, "诉求人", "caller_name");
	EXPECT(24, NULL, "fields");
	/* The good rows, and the same row twice, have no problem. */
	assert_false(has_problem(&r.res.problems, 2, NULL, NULL));
	assert_int_equal(r.res.bad_rows, 20);
	for (size_t i = 0; i < r.res.problems.n; i++)
		assert_true(r.res.problems.items[i].line != 2 && r.res.problems.items[i].line != 19 &&
			    r.res.problems.items[i].line != 20);
	csv_import_result_release(&r.res);
	/* Nothing was written, not even the good rows. */
	assert_int_equal(hotline_orders(x), 0);
}

static void test_header_problems(void **state)
{
	struct fx *x = *state;
	struct run r;

	/* An unknown column and a missing required one: reported on line 1, no row is read. */
	import(x, NULL,
	       "工单编号,受理时间,诉求类型,诉求分类,诉求地址,备注\r\n"
	       "JN-1,2022-11-03 09:12:45,投诉,城乡建设>物业管理,君临天下小区,x\r\n",
	       0, &r);
	assert_int_equal(r.rc, -1);
	EXPECT(1, "备注", "unknown column");
	EXPECT(1, "诉求内容", "required column");
	assert_int_equal(r.res.problems.n, 2);
	csv_import_result_release(&r.res);
	/* Columns in any order, English names too, optional ones left out. */
	import(x, NULL,
	       "text,address,category,type,received_at,external_no\r\n"
	       "有人乱停车,泉景花园,市容环境>乱停乱放,投诉,2022-11-07 15:00,JN-EN-1\r\n",
	       0, &r);
	if (r.rc < 0)
		print_problems(&r.res.problems);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.created, 1);
	csv_import_result_release(&r.res);
	/* An empty file. */
	import(x, NULL, "", 0, &r);
	assert_int_equal(r.rc, -1);
	EXPECT(1, NULL, "empty");
	csv_import_result_release(&r.res);
}

static void test_unmatched_without_a_place_to_go(void **state)
{
	struct fx *x = *state;
	struct run r;

	/* Two subdistricts: an address matching nothing has no one place to land; naming the community helps. */
	unit_node(x->s, 0, LEVEL_SUBDISTRICT, "刁镇街道");
	import(x, NULL,
	       HEADER "JN-U1,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,某某路1号,,x,5\r\n"
		      "JN-U2,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,某某路1号,东关社区,x,5\r\n",
	       0, &r);
	assert_int_equal(r.rc, -1);
	EXPECT(2, "诉求地址", "所属社区");
	assert_false(has_problem(&r.res.problems, 3, "诉求地址", NULL));
	csv_import_result_release(&r.res);
}

static void mk_actor(struct actor *a, int64_t uid, int64_t scope, const char *perms)
{
	const char *p = perms;

	memset(a, 0, sizeof(*a));
	a->user_id = uid;
	snprintf(a->login, sizeof(a->login), "u%lld", (long long)uid);
	a->scope_node_id = scope;
	while (*p) {
		size_t n = strcspn(p, ",");

		snprintf(a->perms[a->nperms++], sizeof(a->perms[0]), "%.*s", (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
}

static void test_scope_and_rights(void **state)
{
	struct fx *x = *state;
	struct actor desk, handler;
	struct wo_order o;
	struct fault f = { 0 };
	struct run r;

	mk_actor(&desk, 7, x->com2, "workorder.create,workorder.read,workorder.read_all,workorder.dispatch");
	mk_actor(&handler, 8, x->com2, "workorder.create,workorder.read,workorder.handle");
	/* Without the intake desk's right, nothing is read. */
	import(x, &handler, GOOD, 0, &r);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.f.kind, FAULT_FORBIDDEN);
	csv_import_result_release(&r.res);
	/* A desk of 桃花山社区: an address in 龙泉社区 is outside its part of the tree. */
	import(x, &desk, GOOD, 0, &r);
	assert_int_equal(r.rc, -1);
	EXPECT(2, "诉求地址", "outside the part of the tree");
	EXPECT(3, "诉求地址", "outside the part of the tree");
	csv_import_result_release(&r.res);
	/* Its own courtyard, and an address matching nothing, which lands at its community. */
	import(x, &desk,
	       HEADER "JN-S1,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,桃花山职工宿舍2号楼,,x,5\r\n"
		      "JN-S2,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,某某路1号,,x,5\r\n",
	       0, &r);
	if (r.rc < 0)
		print_problems(&r.res.problems);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.rep.placed[LEVEL_COURTYARD], 1);
	assert_int_equal(r.rep.placed[LEVEL_COMMUNITY], 1);
	assert_int_equal(r.rep.by_fallback, 1);
	csv_import_result_release(&r.res);
	assert_int_equal(wo_get(x->s, order_id(x, "JN-S2"), &o, &f), 0);
	assert_int_equal(o.node_id, x->com2);
	assert_int_equal(o.created_by, 7);
	wo_order_release(&o);
}

struct progress_seen {
	size_t calls, last_done, last_total;
};

static void on_progress(void *ctx, const char *what, size_t done, size_t total)
{
	struct progress_seen *p = ctx;

	assert_string_equal(what, "hotline orders");
	p->calls++;
	p->last_done = done;
	p->last_total = total;
}

static void test_progress(void **state)
{
	struct fx *x = *state;
	struct progress_seen seen = { 0 };
	struct csv_progress pr = { on_progress, &seen };
	struct csv_import_options opt = { 0 };
	struct csv_import_result res;
	struct csv_hotline_report rep;
	struct fault f = { 0 };
	struct buf text = BUF_INIT;
	int i;

	buf_init(&text);
	buf_adds(&text, HEADER);
	for (i = 0; i < 600; i++)
		buf_addf(&text, "JN-P-%04d,2022-11-03 09:12:45,电话,投诉,城乡建设>物业管理,一般,,,否,君临天下小区%d号楼,,x,5\r\n",
			 i, i % 20);
	opt.progress = &pr;
	opt.dry_run = 1;
	assert_int_equal(csv_import_hotline(x->s, NULL, text.data, text.len, &opt, &res, &rep, &f), 0);
	assert_int_equal(res.created, 600);
	assert_int_equal(rep.placed[LEVEL_BUILDING], 90);	/* 3, 5 and 13号楼, 30 each */
	assert_int_equal(rep.placed[LEVEL_COURTYARD], 510);
	assert_int_equal(seen.calls, 3);			/* 250, 500, 600 */
	assert_int_equal(seen.last_done, 600);
	assert_int_equal(seen.last_total, 600);
	csv_import_result_release(&res);
	buf_release(&text);
	assert_int_equal(hotline_orders(x), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_match_by_hand),
		T(test_match_from_the_store),
		T(test_import_lands_every_order),
		T(test_reimport_creates_nothing),
		T(test_dry_run_writes_nothing),
		T(test_every_kind_of_bad_row),
		T(test_header_problems),
		T(test_unmatched_without_a_place_to_go),
		T(test_scope_and_rights),
		T(test_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
