/* test_util.c - src/util: buffers, dates, number parsing, UTF-8 checks, time text, faults. */
#include "unit.h"
#include "util/fault.h"
#include "util/util.h"

#include <inttypes.h>
#include <limits.h>

/* ---- struct buf ---- */

static void test_buf_starts_empty_and_terminated(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void test_buf_static_init_is_usable(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "abc");
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	buf_release(&b);
}

/* Growing byte by byte past many doublings keeps every byte and the terminator. */
static void test_buf_growth_keeps_content(void **state)
{
	struct buf b = BUF_INIT;
	size_t i, n = 100000;

	(void)state;
	for (i = 0; i < n; i++)
		buf_addch(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, n);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[n], '\0');
	for (i = 0; i < n; i++)
		if (b.data[i] != (char)('a' + i % 26))
			fail_msg("byte %zu is '%c'", i, b.data[i]);
	buf_release(&b);
}

static void test_buf_add_binary_with_nul(void **state)
{
	struct buf b = BUF_INIT;
	const char bytes[] = { 'x', '\0', 'y' };

	(void)state;
	buf_add(&b, bytes, sizeof(bytes));
	buf_add(&b, bytes, sizeof(bytes));
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "x\0yx\0y", 6);
	assert_int_equal(b.data[6], '\0');
	buf_release(&b);
}

static void test_buf_grow_reserves_without_changing_length(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "keep");
	buf_grow(&b, 5000);
	assert_true(b.cap >= 4 + 5000 + 1);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "keep");
	buf_release(&b);
}

static void test_buf_addf_formats_and_appends(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_addf(&b, "%s=%d", "n", 42);
	buf_addf(&b, ";%05.1f;%" PRId64, 3.14159, (int64_t)INT64_MIN);
	assert_string_equal(b.data, "n=42;003.1;-9223372036854775808");
	assert_int_equal(b.len, strlen(b.data));
	buf_release(&b);
}

/* A formatted piece longer than the first reservation takes the second vsnprintf path. */
static void test_buf_addf_long_output(void **state)
{
	struct buf b = BUF_INIT, want = BUF_INIT;
	char big[3001];
	int i;

	(void)state;
	memset(big, 'z', 3000);
	big[3000] = '\0';
	buf_adds(&b, "head:");
	buf_addf(&b, "[%s|%d]", big, 7);
	assert_int_equal(b.len, 5 + 1 + 3000 + 3);
	assert_memory_equal(b.data, "head:[", 6);
	for (i = 0; i < 3000; i++)
		assert_int_equal(b.data[6 + i], 'z');
	assert_string_equal(b.data + 3006, "|7]");
	/* many small pieces: 0..9 take 2 bytes with the comma, 10..99 take 3, 100..999 take 4 */
	for (i = 0; i < 1000; i++)
		buf_addf(&want, "%d,", i);
	assert_int_equal(want.len, 10 * 2 + 90 * 3 + 900 * 4);
	assert_memory_equal(want.data, "0,1,2,", 6);
	assert_string_equal(want.data + want.len - 8, "998,999,");
	buf_release(&want);
	buf_release(&b);
}

static void test_buf_reset_and_detach(void **state)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *p;

	(void)state;
	buf_adds(&b, "some text");
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_adds(&b, "again");
	p = buf_detach(&b, &len);
	assert_string_equal(p, "again");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(p);
	/* still usable after detaching */
	buf_adds(&b, "x");
	assert_string_equal(b.data, "x");
	buf_release(&b);
	/* detaching a never-used buffer gives an empty string, not NULL */
	p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
}

static void test_xasprintf_and_xstrndup(void **state)
{
	char *s = xasprintf("%s-%03d", "YL", 7), *t;

	(void)state;
	assert_string_equal(s, "YL-007");
	t = xstrndup("abcdef", 3);
	assert_string_equal(t, "abc");
	free(s);
	free(t);
}

static void test_set_error(void **state)
{
	char err[8];

	(void)state;
	assert_int_equal(set_error(NULL, 0, "x %d", 1), -1);
	assert_int_equal(set_error(err, sizeof(err), "value %d is bad", 12345), -1);
	/* truncated, still terminated */
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_memory_equal(err, "value 1", 7);
}

/* ---- dates ---- */

static void test_date_valid_accepts_real_dates(void **state)
{
	static const char *ok[] = { "2024-01-01", "2024-12-31", "2024-02-29", "2000-02-29", "2023-02-28",
				    "2023-04-30", "2023-01-31", "2023-03-31", "2023-05-31", "2023-07-31",
				    "2023-08-31", "2023-10-31", "2023-12-31", "1900-01-01", "2200-12-31" };
	size_t i;

	(void)state;
	for (i = 0; i < YL_ARRAY_LEN(ok); i++)
		if (date_valid(ok[i]) != 0)
			fail_msg("%s should be a valid date", ok[i]);
}

static void test_date_valid_leap_years(void **state)
{
	int y;

	(void)state;
	for (y = 1901; y <= 2199; y++) {
		char d[24];
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

		snprintf(d, sizeof(d), "%04d-02-29", y);
		if ((date_valid(d) == 0) != leap)
			fail_msg("%s: leap year rule broken", d);
		snprintf(d, sizeof(d), "%04d-02-30", y);
		assert_int_equal(date_valid(d), -1);
	}
	/* century years: only those divisible by 400 */
	assert_int_equal(date_valid("1900-02-29"), -1);
	assert_int_equal(date_valid("2100-02-29"), -1);
	assert_int_equal(date_valid("2000-02-29"), 0);
}

static void test_date_valid_refuses_bad_days_and_shapes(void **state)
{
	static const char *bad[] = { "2023-04-31", "2023-06-31", "2023-09-31", "2023-11-31", "2023-01-32",
				     "2023-01-00", "2023-00-10", "2023-13-01", "2023-1-01", "2023-01-1",
				     "2023/01/01", "2023-01-01x", "20230101", "", "2023-0a-01", " 2023-01-1",
				     "2023-01-01 ", "-023-01-01", "+2023-01-01", "0000-01-01", "2023-02-29" };
	size_t i;

	(void)state;
	for (i = 0; i < YL_ARRAY_LEN(bad); i++)
		if (date_valid(bad[i]) == 0)
			fail_msg("'%s' should not be a valid date", bad[i]);
	assert_int_equal(date_valid(NULL), -1);
}

static void test_time_text(void **state)
{
	char out[40], today[11];

	(void)state;
	time_format_utc(0, out, sizeof(out));
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	/* 2022-11-28 16:30:00 UTC is the next day, 00:30, in Shanghai (UTC+8) */
	time_format_utc(1669653000, out, sizeof(out));
	assert_string_equal(out, "2022-11-28T16:30:00Z");
	time_format_local(1669653000, out, sizeof(out));
	assert_string_equal(out, "2022-11-29T00:30:00+08:00");
	date_today_local(today);
	assert_int_equal(date_valid(today), 0);
	time_now_text(out);
	assert_int_equal(strlen(out), 20);
	assert_int_equal(out[19], 'Z');
	assert_true(time_now_us() > (int64_t)1669653000 * 1000000);
}

/* ---- numbers ---- */

static void test_parse_int64_in_range(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(parse_int64("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_int64("10", 0, 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(parse_int64("-5", -5, 5, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(parse_int64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse_int64("007", 0, 10, &v), 0);
	assert_int_equal(v, 7);
}

static void test_parse_int64_bounds_and_garbage(void **state)
{
	static const char *bad[] = { "", "-", "+1", " 1", "1 ", "1a", "0x10", "1e3", "1.0", "--1", "١" };
	int64_t v = 1234;
	size_t i;

	(void)state;
	assert_int_equal(parse_int64("11", 0, 10, &v), -1);
	assert_int_equal(parse_int64("-1", 0, 10, &v), -1);
	assert_int_equal(parse_int64("-6", -5, 5, &v), -1);
	/* one past the ends of int64 */
	assert_int_equal(parse_int64("9223372036854775808", INT64_MIN, INT64_MAX, &v), -1);
	assert_int_equal(parse_int64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), -1);
	assert_int_equal(parse_int64("99999999999999999999999", 0, INT64_MAX, &v), -1);
	for (i = 0; i < YL_ARRAY_LEN(bad); i++)
		if (parse_int64(bad[i], INT64_MIN, INT64_MAX, &v) == 0)
			fail_msg("'%s' should not parse", bad[i]);
	assert_int_equal(parse_int64(NULL, 0, 10, &v), -1);
	/* a refused value leaves the output alone */
	assert_int_equal(v, 1234);
}

/* ---- UTF-8 ---- */

static int valid(const char *s)
{
	return utf8_valid_text(s, strlen(s));
}

static void test_utf8_accepts_text(void **state)
{
	(void)state;
	assert_true(valid(""));
	assert_true(valid("plain ASCII ~!@#"));
	assert_true(valid("tab\tnewline\ncr\r"));
	assert_true(valid("明水街道 幸福社区"));
	assert_true(valid("caf\xc3\xa9"));			/* é, 2 bytes */
	assert_true(valid("\xc2\xa0"));				/* U+00A0, first after the C1 block */
	assert_true(valid("\xe0\xa0\x80"));			/* U+0800, smallest 3-byte */
	assert_true(valid("\xef\xbf\xbd"));			/* U+FFFD */
	assert_true(valid("\xed\x9f\xbf"));			/* U+D7FF, just below the surrogates */
	assert_true(valid("\xee\x80\x80"));			/* U+E000, just above them */
	assert_true(valid("\xf0\x90\x80\x80"));			/* U+10000, smallest 4-byte */
	assert_true(valid("\xf0\x9f\x98\x80"));			/* 😀 */
	assert_true(valid("\xf4\x8f\xbf\xbf"));			/* U+10FFFF, the last code point */
}

static void test_utf8_refuses_overlongs(void **state)
{
	(void)state;
	assert_false(valid("\xc0\x80"));			/* NUL, overlong */
	assert_false(valid("\xc0\xaf"));			/* '/' overlong */
	assert_false(valid("\xc1\xbf"));
	assert_false(valid("\xe0\x80\x80"));
	assert_false(valid("\xe0\x9f\xbf"));			/* U+07FF in 3 bytes */
	assert_false(valid("\xf0\x80\x80\x80"));
	assert_false(valid("\xf0\x8f\xbf\xbf"));		/* U+FFFF in 4 bytes */
}

static void test_utf8_refuses_surrogates_and_out_of_range(void **state)
{
	(void)state;
	assert_false(valid("\xed\xa0\x80"));			/* U+D800 */
	assert_false(valid("\xed\xbf\xbf"));			/* U+DFFF */
	assert_false(valid("\xed\xa0\xbd\xed\xb8\x80"));	/* a CESU-8 surrogate pair */
	assert_false(valid("\xf4\x90\x80\x80"));		/* U+110000 */
	assert_false(valid("\xf5\x80\x80\x80"));
	assert_false(valid("\xf8\x88\x80\x80\x80"));		/* 5-byte form */
	assert_false(valid("\xff"));
	assert_false(valid("\xfe"));
}

static void test_utf8_refuses_broken_sequences(void **state)
{
	(void)state;
	assert_false(valid("\x80"));				/* lone continuation */
	assert_false(valid("abc\xbf"));
	assert_false(valid("\xe4\xb8"));			/* 中 cut short */
	assert_false(valid("\xe4\xb8x"));
	assert_false(valid("\xe4x\xad"));
	assert_false(valid("\xf0\x9f\x98"));
	/* the length given is respected: a character cut by n is refused */
	assert_false(utf8_valid_text("中", 2));
	assert_true(utf8_valid_text("中", 3));
}

static void test_utf8_refuses_control_characters(void **state)
{
	char s[4] = { 'a', 0, 'b', 0 };
	int c;

	(void)state;
	for (c = 1; c < 0x20; c++) {
		s[1] = (char)c;
		if (c == '\t' || c == '\n' || c == '\r')
			assert_true(utf8_valid_text(s, 3));
		else if (utf8_valid_text(s, 3))
			fail_msg("control character 0x%02x accepted", c);
	}
	assert_false(valid("\x7f"));
	/* an embedded NUL inside the given length */
	assert_false(utf8_valid_text("a\0b", 3));
	/* C1 controls U+0080..U+009F (e.g. NEL U+0085) are control characters too */
	assert_false(valid("\xc2\x80"));
	assert_false(valid("x\xc2\x85y"));
	assert_false(valid("\xc2\x9f"));
}

static void test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(""), 0);
	assert_int_equal(utf8_length("abc"), 3);
	assert_int_equal(utf8_length("中文"), 2);
	assert_int_equal(strlen("中文"), 6);
	assert_int_equal(utf8_length("幸福社区 3号楼"), 8);
	assert_int_equal(utf8_length("caf\xc3\xa9"), 4);
	assert_int_equal(utf8_length("\xf0\x9f\x98\x80!"), 2);
}

/* ---- faults ---- */

static void test_fault_set_and_status(void **state)
{
	struct fault f;

	(void)state;
	fault_clear(&f);
	assert_int_equal(f.kind, FAULT_NONE);
	assert_int_equal(fault_set(&f, FAULT_INVALID, "name", "name is longer than %d characters", 100), -1);
	assert_int_equal(f.kind, FAULT_INVALID);
	assert_string_equal(f.field, "name");
	assert_string_equal(f.code, "invalid");
	assert_string_equal(f.message, "name is longer than 100 characters");
	assert_int_equal(fault_set(&f, FAULT_CONFLICT, NULL, "taken"), -1);
	assert_string_equal(f.field, "");
	assert_int_equal(fault_set(NULL, FAULT_INVALID, NULL, "x"), -1);
	assert_int_equal(fault_http_status(FAULT_INVALID), 400);
	assert_int_equal(fault_http_status(FAULT_NOT_FOUND), 404);
	assert_int_equal(fault_http_status(FAULT_CONFLICT), 409);
	assert_int_equal(fault_http_status(FAULT_FORBIDDEN), 403);
	assert_int_equal(fault_http_status(FAULT_INTERNAL), 500);
	assert_string_equal(fault_code(FAULT_NOT_FOUND), "not_found");
	assert_string_equal(fault_code(FAULT_CONFLICT), "conflict");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_starts_empty_and_terminated),
		cmocka_unit_test(test_buf_static_init_is_usable),
		cmocka_unit_test(test_buf_growth_keeps_content),
		cmocka_unit_test(test_buf_add_binary_with_nul),
		cmocka_unit_test(test_buf_grow_reserves_without_changing_length),
		cmocka_unit_test(test_buf_addf_formats_and_appends),
		cmocka_unit_test(test_buf_addf_long_output),
		cmocka_unit_test(test_buf_reset_and_detach),
		cmocka_unit_test(test_xasprintf_and_xstrndup),
		cmocka_unit_test(test_set_error),
		cmocka_unit_test(test_date_valid_accepts_real_dates),
		cmocka_unit_test(test_date_valid_leap_years),
		cmocka_unit_test(test_date_valid_refuses_bad_days_and_shapes),
		cmocka_unit_test(test_time_text),
		cmocka_unit_test(test_parse_int64_in_range),
		cmocka_unit_test(test_parse_int64_bounds_and_garbage),
		cmocka_unit_test(test_utf8_accepts_text),
		cmocka_unit_test(test_utf8_refuses_overlongs),
		cmocka_unit_test(test_utf8_refuses_surrogates_and_out_of_range),
		cmocka_unit_test(test_utf8_refuses_broken_sequences),
		cmocka_unit_test(test_utf8_refuses_control_characters),
		cmocka_unit_test(test_utf8_length),
		cmocka_unit_test(test_fault_set_and_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
