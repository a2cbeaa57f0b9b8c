/*
 * test_wo_config.c - src/workorder/config.c and category_map.c: a hotline
 * category path normalised and resolved (mapping, our tree by name, a parent
 * path, the fallback; retired categories passed over), the checks of the
 * configuration writes, and a mapping re-filing the orders waiting for it.
 */
#include "unit.h"

#include "store/store.h"
#include "util/util.h"
#include "workorder/config.h"

struct fx {
	struct store *s;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	x->s = unit_db_open();
	if (!x->s) {
		free(x);
		return -1;
	}
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

static void test_path_normal(void **state)
{
	char *p;

	(void)state;
	p = wo_category_path_normal(" 公用设施 ＞路灯　");
	assert_string_equal(p, "公用设施>路灯");
	free(p);
	p = wo_category_path_normal("城乡建设>物业管理");
	assert_string_equal(p, "城乡建设>物业管理");
	free(p);
	assert_null(wo_category_path_normal("甲>>乙"));
	assert_null(wo_category_path_normal(">甲"));
	assert_null(wo_category_path_normal("甲>乙>丙>丁"));	/* deeper than any hotline tree */
	assert_null(wo_category_path_normal(""));
}

static void resolve_is(struct store *s, const char *path, int64_t want_id, const char *want_by)
{
	struct fault f = { 0 };
	const char *by = NULL;
	char *norm = NULL;
	int64_t id = 0;

	assert_int_equal(wo_category_resolve(s, path, &norm, &id, &by, &f), 0);
	assert_int_equal(id, want_id);
	assert_string_equal(by, want_by);
	free(norm);
}

static void test_resolve(void **state)
{
	struct fx *x = *state;
	struct wo_category_input in = { .active = 0 };
	struct fault f = { 0 };
	int64_t open = -1, refiled = -1;
	char *norm = NULL;
	const char *by;
	int64_t id;

	resolve_is(x->s, "城乡建设>物业管理", 6, "tree");
	resolve_is(x->s, "公用设施", 12, "tree");
	resolve_is(x->s, "公用设施>路灯", 12, "parent");
	resolve_is(x->s, "交通出行>停车", 23, "fallback");
	/* A mapping of the path, or of a parent path, is someone's choice: "map". */
	assert_int_equal(wo_category_map_put(x->s, NULL, "公用设施 > 路灯", 14, &refiled, &f), 0);
	assert_int_equal(refiled, 0);
	resolve_is(x->s, "公用设施>路灯", 14, "map");
	assert_int_equal(wo_category_map_put(x->s, NULL, "交通出行", 4, &refiled, &f), 0);
	resolve_is(x->s, "交通出行>停车", 4, "map");
	/* A retired category is passed over: 物业管理 falls to its parent by name. */
	assert_int_equal(wo_category_update(x->s, 6, &in, &open, &f), 0);
	assert_int_equal(open, 0);
	resolve_is(x->s, "城乡建设>物业管理", 5, "parent");
	/* The fallback cannot be retired while it is the fallback; nor set to a retired one. */
	assert_int_equal(wo_category_update(x->s, 23, &in, &open, &f), -1);
	assert_string_equal(f.field, "active");
	assert_int_equal(wo_category_fallback_set(x->s, 6, &f), -1);
	assert_string_equal(f.field, "category_id");
	assert_int_equal(wo_category_resolve(x->s, "甲>>乙", &norm, &id, &by, &f), -1);
	assert_string_equal(f.field, "category");
	free(norm);
}

static void test_checks(void **state)
{
	struct fx *x = *state;
	struct wo_category_input c = { .code = "ok.code", .name = "甲>乙", .active = -1 };
	struct wo_limit_row r = { .type = "complaint", .urgency = "*",
				  .lim = { .reply_days = 15, .sign_days = 11, .return_days = 2, .extension_max_days = 10 } };
	struct wo_sweep_level sl = { .level = "subdistrict", .escalate = 1 };
	struct wo_rule_input rule = { .route_level = "household" };
	struct fault f = { 0 };
	int64_t id = 0, open = 0;

	assert_int_equal(wo_category_create(x->s, &c, &id, &f), -1);
	assert_string_equal(f.field, "name");
	c.name = "停车";
	c.code = "bad code";
	assert_int_equal(wo_category_create(x->s, &c, &id, &f), -1);
	assert_string_equal(f.field, "code");
	c.code = "env";
	assert_int_equal(wo_category_create(x->s, &c, &id, &f), -1);
	assert_string_equal(f.field, "code");
	assert_int_equal(f.kind, FAULT_CONFLICT);
	c.code = "env.x";
	c.parent_id = 2;		/* itself a child: the tree has two levels */
	assert_int_equal(wo_category_create(x->s, &c, &id, &f), -1);
	assert_string_equal(f.field, "parent_id");
	c.parent_id = 1;
	assert_int_equal(wo_category_create(x->s, &c, &id, &f), 0);
	assert_true(id > 23);
	assert_int_equal(wo_limit_put(x->s, &r, &open, &f), -1);
	assert_string_equal(f.field, "sign_days");
	r.lim.sign_days = 1;
	assert_int_equal(wo_limit_put(x->s, &r, &open, &f), 0);
	assert_int_equal(wo_limit_delete(x->s, "*", "*", &open, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_int_equal(wo_limit_delete(x->s, "complaint", "*", &open, &f), 0);
	assert_int_equal(wo_sweep_level_put(x->s, &sl, &open, &f), -1);
	assert_string_equal(f.field, "level");
	assert_int_equal(wo_rule_create(x->s, &rule, &id, &open, &f), -1);
	assert_string_equal(f.field, "route_level");
	assert_int_equal(wo_rule_delete(x->s, 9999, &open, &f), -1);
	assert_int_equal(f.kind, FAULT_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_normal),
		cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
