/*
 * test_wo_number.c - public work-order numbers (src/workorder/number.c): a day
 * past the old limit of 99,999 keeps numbering, unique and in order; the
 * prefix has its own sequence; a rolled-back intake gives its number back.
 * With YUANLUO_TEST_PG_DSN set the same run on PostgreSQL, in a schema of
 * their own made afresh for each.
 */
#include "unit.h"

#include "store/store.h"
#include "util/util.h"
#include "workorder/wo_internal.h"
#include "workorder/workorder.h"

static const char *pg_dsn;
static struct fault F;

static int setup(void **state)
{
	char err[256];
	struct store *s;

	if (!pg_dsn) {
		*state = unit_db_open();
		return *state ? 0 : -1;
	}
	s = store_open(pg_dsn, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "store_open(%s): %s\n", pg_dsn, err);
		return -1;
	}
	if (store_exec(s, "DROP SCHEMA IF EXISTS yl_number CASCADE; CREATE SCHEMA yl_number;"
			  " SET search_path TO yl_number") != STORE_OK ||
	    store_migrate(s, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "migrate: %s %s\n", err, store_errmsg(s));
		store_close(s);
		return -1;
	}
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	char err[16];

	wo_number_set_prefix("", err, sizeof(err));
	if (pg_dsn) {
		store_exec(*state, "DROP SCHEMA IF EXISTS yl_number CASCADE");
		store_close(*state);
	} else {
		unit_db_close(*state);
	}
	return 0;
}

/* Where a day's counter stands, as if that many orders had been filed. */
static void seed(struct store *s, const char *stem, int64_t last)
{
	struct store_stmt *st = store_prepare(s, "INSERT INTO wo_daily_seq (day, last) VALUES (?, ?)");

	store_bind_text(st, 1, stem);
	store_bind_int64(st, 2, last);
	assert_int_equal(store_step(st), STORE_DONE);
	store_done(st);
}

/* The order of numbers of one prefix and day: by length, then as text (the sequence's value). */
static int number_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

static void test_past_the_old_limit(void **state)
{
	struct store *s = *state;
	int64_t at = unit_local("2026-12-08 12:00");
	char num[30][WO_NUMBER_SIZE];
	int i, j;

	assert_int_equal(store_begin_write(s), STORE_OK);
	seed(s, "20261208", 99990);
	for (i = 0; i < 30; i++)
		assert_int_equal(wo_number_next(s, at, num[i], &F), 0);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_string_equal(num[0], "YL2026120899991");
	assert_string_equal(num[8], "YL2026120899999");
	assert_string_equal(num[9], "YL20261208100000");
	assert_string_equal(num[29], "YL20261208100020");
	for (i = 0; i < 30; i++) {
		/* Each is the one before plus one, and every one differs from every other. */
		assert_int_equal(strtoll(num[i] + 10, NULL, 10), 99991 + i);
		for (j = 0; j < i; j++) {
			assert_string_not_equal(num[i], num[j]);
			assert_true(number_cmp(num[j], num[i]) < 0);
		}
	}
	/* The day after starts again at 00001; the days keep their order as text. */
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(wo_number_next(s, unit_local("2026-12-09 00:00"), num[0], &F), 0);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_string_equal(num[0], "YL2026120900001");
	assert_true(strcmp(num[29], num[0]) < 0);
}

/* Each width is reached in turn, up to the 64-bit counter's last value with the longest prefix. */
static void test_every_width(void **state)
{
	struct store *s = *state;
	int64_t at = unit_local("2026-12-08 23:59:59");
	char a[WO_NUMBER_SIZE], b[WO_NUMBER_SIZE], err[128];

	assert_int_equal(store_begin_write(s), STORE_OK);
	seed(s, "20261208", 999998);
	assert_int_equal(wo_number_next(s, at, a, &F), 0);
	assert_int_equal(wo_number_next(s, at, b, &F), 0);
	assert_string_equal(a, "YL20261208999999");
	assert_string_equal(b, "YL202612081000000");
	assert_int_equal(wo_number_set_prefix("ABCDEF", err, sizeof(err)), 0);
	seed(s, "ABCDEF20261208", INT64_MAX - 1);
	assert_int_equal(wo_number_next(s, at, a, &F), 0);
	assert_string_equal(a, "YLABCDEF202612089223372036854775807");
	assert_true(strlen(a) < WO_NUMBER_SIZE);
	assert_int_equal(store_commit(s), STORE_OK);
}

/* A prefix has its own sequence, apart from the numbers without one and from other prefixes. */
static void test_prefix(void **state)
{
	struct store *s = *state;
	int64_t at = unit_local("2026-12-08 08:30");
	char a[WO_NUMBER_SIZE], b[WO_NUMBER_SIZE], c[WO_NUMBER_SIZE], d[WO_NUMBER_SIZE], err[128];

	assert_int_equal(store_begin_write(s), STORE_OK);
	seed(s, "20261208", 123455);
	assert_int_equal(wo_number_set_prefix("MS", err, sizeof(err)), 0);
	assert_int_equal(wo_number_next(s, at, a, &F), 0);
	assert_int_equal(wo_number_next(s, at, b, &F), 0);
	assert_int_equal(wo_number_set_prefix("MSB", err, sizeof(err)), 0);
	assert_int_equal(wo_number_next(s, at, c, &F), 0);
	assert_int_equal(wo_number_set_prefix("", err, sizeof(err)), 0);
	assert_int_equal(wo_number_next(s, at, d, &F), 0);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_string_equal(a, "YLMS2026120800001");
	assert_string_equal(b, "YLMS2026120800002");
	assert_string_equal(c, "YLMSB2026120800001");
	assert_string_equal(d, "YL20261208123456");
}

static void test_prefix_refused(void **state)
{
	static const char *const bad[] = { "ms", "M1", "ABCDEFG", "M-", "YL ", "明水" };
	char err[128];
	size_t i;

	(void)state;
	for (i = 0; i < YL_ARRAY_LEN(bad); i++) {
		err[0] = '\0';
		assert_int_equal(wo_number_set_prefix(bad[i], err, sizeof(err)), -1);
		assert_non_null(strstr(err, "number-prefix"));
	}
	assert_int_equal(wo_number_set_prefix("A", err, sizeof(err)), 0);
	assert_int_equal(wo_number_set_prefix("ABCDEF", err, sizeof(err)), 0);
	assert_int_equal(wo_number_set_prefix("", err, sizeof(err)), 0);
}

/* An intake rolled back in its savepoint (group commit) gives its number to the next. */
static void test_rollback_gives_back(void **state)
{
	struct store *s = *state;
	int64_t at = unit_local("2026-12-08 10:00");
	char a[WO_NUMBER_SIZE], b[WO_NUMBER_SIZE], c[WO_NUMBER_SIZE];

	assert_int_equal(store_begin_write(s), STORE_OK);
	seed(s, "20261208", 99999);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(wo_number_next(s, at, a, &F), 0);
	assert_int_equal(store_rollback(s), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(wo_number_next(s, at, b, &F), 0);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(wo_number_next(s, at, c, &F), 0);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_string_equal(a, "YL20261208100000");
	assert_string_equal(b, "YL20261208100000");
	assert_string_equal(c, "YL20261208100001");
	/* Outside a write transaction there is no number to take. */
	assert_int_equal(wo_number_next(s, at, a, &F), -1);
	assert_int_equal(F.kind, FAULT_INTERNAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_past_the_old_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_width, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_gives_back, setup, teardown),
	};

	pg_dsn = getenv("YUANLUO_TEST_PG_DSN");
	if (pg_dsn && *pg_dsn)
		return cmocka_run_group_tests_name("work-order numbers on PostgreSQL", tests, NULL, NULL);
	pg_dsn = NULL;
	return cmocka_run_group_tests_name("work-order numbers", tests, NULL, NULL);
}
