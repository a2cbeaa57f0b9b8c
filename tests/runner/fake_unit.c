/* fake_unit.c - a cmocka binary whose behaviour tests/runner/runner.test.mjs picks at build time
 * (-DFAKE_PASS, -DFAKE_SKIP, -DFAKE_FAIL, -DFAKE_NONE, -DFAKE_EMPTY, -DFAKE_HANG), to see tools/run-tests.sh
 * judge it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

static void passes(void **state) { (void)state; }
static void skips(void **state) { (void)state; skip(); }
static void fails(void **state) { (void)state; fail_msg("fails on purpose"); }
static void hangs(void **state) { (void)state; for (;;) pause(); }

int main(void)
{
#if defined FAKE_EMPTY	/* a binary whose tests were all left out: it runs nothing and exits 0 */
	return 0;
#endif
	const struct CMUnitTest tests[] = {
#if defined FAKE_PASS
		cmocka_unit_test(passes),
#elif defined FAKE_SKIP
		cmocka_unit_test(passes), cmocka_unit_test(skips),
#elif defined FAKE_FAIL
		cmocka_unit_test(passes), cmocka_unit_test(fails),
#elif defined FAKE_HANG
		cmocka_unit_test(passes), cmocka_unit_test(hangs),
#else	/* FAKE_NONE and FAKE_EMPTY: a group whose only test skips */
		cmocka_unit_test(skips),
#endif
	};
	(void)passes; (void)skips; (void)fails; (void)hangs;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
