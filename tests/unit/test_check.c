/*
 * test_check.c - src/util/check.c, the one home of the shared input rules:
 * text, phones, ID numbers (GB 11643), credit codes (GB 32100), money, local
 * times, yes/no words; and the small helpers of util.h it sits with
 * (xstrdup_or_null, YL_GROW).  Each rule with valid, invalid and edge inputs.
 */
#include "unit.h"
#include "util/check.h"
#include "util/util.h"

#include <string.h>

static void test_text_rules(void **state)
{
	struct fault f = { 0 };

	(void)state;
	assert_int_equal(check_text("name", "龙泉社区", 4, TEXT_REQUIRED, &f), 0);
	assert_int_equal(check_text("name", "龙泉社区A", 4, TEXT_REQUIRED, &f), -1);	/* characters, not bytes */
	assert_string_equal(f.field, "name");
	assert_string_equal(f.message, "name is longer than 4 characters");
	assert_int_equal(check_text("name", NULL, 4, TEXT_REQUIRED, &f), -1);
	assert_string_equal(f.message, "name is required");
	assert_int_equal(check_text("name", NULL, 4, TEXT_OPTIONAL, &f), 0);
	assert_int_equal(check_text("name", NULL, 4, TEXT_NOT_BLANK, &f), 0);
	/* Blank: ASCII white space, the no-break and the ideographic space. */
	assert_int_equal(check_text("name", " \t\xe3\x80\x80\xc2\xa0", 10, TEXT_REQUIRED, &f), -1);
	assert_string_equal(f.message, "name must not be blank");
	assert_int_equal(check_text("name", "  ", 10, TEXT_NOT_BLANK, &f), -1);
	assert_int_equal(check_text("name", "  ", 10, TEXT_OPTIONAL, &f), 0);
	assert_int_equal(check_text("name", "", 10, TEXT_OPTIONAL, &f), 0);
	assert_int_equal(check_text("text", "a\x01b", 10, TEXT_OPTIONAL, &f), -1);
	assert_string_equal(f.message, "text must be text without control characters");
	assert_int_equal(check_text("text", "\xff", 10, TEXT_OPTIONAL, &f), -1);
	assert_int_equal(check_text("text", "line\nline\ttab", 20, TEXT_REQUIRED, &f), 0);
}

static void test_phone(void **state)
{
	struct fault f = { 0 };
	char *out;

	(void)state;
	assert_true(phone_valid("13800138000", 11));
	assert_true(phone_valid("19912345678", 11));
	assert_false(phone_valid("12800138000", 11));	/* 12 is no mobile prefix */
	assert_false(phone_valid("1380013800", 10));
	assert_true(phone_valid("0531-88888888", 13));
	assert_true(phone_valid("010-1234567", 11));
	assert_true(phone_valid("053188888888", 12));
	assert_false(phone_valid("05-88888888", 11));	/* area code too short */
	assert_false(phone_valid("0531-888888", 11));	/* local number too short */
	assert_false(phone_valid("531-88888888", 12));
	assert_false(phone_valid("", 0));

	assert_int_equal(phone_normalise("phone", "138 0013 8000", &out, &f), 0);
	assert_string_equal(out, "13800138000");
	free(out);
	assert_int_equal(phone_normalise("phone", "   ", &out, &f), 0);
	assert_null(out);
	assert_int_equal(phone_normalise("phone", NULL, &out, &f), 0);
	assert_null(out);
	assert_int_equal(phone_normalise("caller_phone", "110", &out, &f), -1);
	assert_null(out);
	assert_string_equal(f.field, "caller_phone");
	assert_string_equal(f.message, "caller_phone must be a mobile number (11 digits from 13 to 19) or a landline"
				       " such as 0531-88888888");
}

static void test_idno(void **state)
{
	(void)state;
	/* The example of GB 11643-1999 itself. */
	assert_true(idno_valid("11010519491231002X"));
	assert_true(idno_valid("11010519491231002x"));
	assert_false(idno_valid("110105194912310021"));	/* wrong check character */
	assert_false(idno_valid("11010519491331002X"));	/* month 13 */
	assert_false(idno_valid("110105194902290029"));	/* the right check character, but 1949 had no 29 February */
	/* The textbook example, born 1880: its check character is right, but no resident alive was born then. */
	assert_false(idno_valid("440524188001010014"));
	assert_false(idno_valid("11010519491231002"));	/* 17 characters */
	assert_false(idno_valid("11010519491231002XX"));
	assert_false(idno_valid("1101051949123100AX"));
	assert_false(idno_valid(""));
	assert_false(idno_valid(NULL));
}

static void test_uscc(void **state)
{
	(void)state;
	/* The example of GB 32100-2015, and a code on a public business licence. */
	assert_true(uscc_valid("91350100M000100Y43"));
	assert_true(uscc_valid("91110108551385082Q"));
	assert_false(uscc_valid("91350100M000100Y44"));	/* wrong check character */
	assert_false(uscc_valid("91110108551385082R"));
	assert_false(uscc_valid("91350100m000100Y43"));	/* lower case */
	assert_false(uscc_valid("91350100I000100Y43"));	/* I, O, S, V, Z are not used */
	assert_false(uscc_valid("91350100M000100Y4"));	/* 17 characters */
	assert_false(uscc_valid("91350100M000100Y430"));
	assert_false(uscc_valid(""));
	assert_false(uscc_valid(NULL));
}

static void test_money(void **state)
{
	int64_t v;
	char out[40];

	(void)state;
	/* The article: November output 20.27 亿元 = 202700 万元. */
	assert_int_equal(money_parse("202700", MONEY_WAN, &v), 0);
	assert_int_equal(v, 2027000000);
	assert_int_equal(money_parse("50.67", MONEY_WAN, &v), 0);
	assert_int_equal(v, 506700);
	assert_int_equal(money_parse("0.0001", MONEY_WAN, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(money_parse("0.00001", MONEY_WAN, &v), -1);	/* below a yuan: refused, not rounded */
	assert_int_equal(money_parse("12.5", MONEY_FEN, &v), 0);
	assert_int_equal(v, 1250);
	assert_int_equal(money_parse("-3", MONEY_FEN, &v), 0);
	assert_int_equal(v, -300);
	assert_int_equal(money_parse("1.234", MONEY_FEN, &v), -1);
	assert_int_equal(money_parse("", MONEY_FEN, &v), -1);
	assert_int_equal(money_parse(".5", MONEY_FEN, &v), -1);
	assert_int_equal(money_parse("5.", MONEY_FEN, &v), -1);
	assert_int_equal(money_parse("1e3", MONEY_FEN, &v), -1);
	assert_int_equal(money_parse(" 1", MONEY_FEN, &v), -1);
	assert_int_equal(money_parse("99999999999999999999", MONEY_FEN, &v), -1);	/* overflow */
	assert_int_equal(money_parse(NULL, MONEY_FEN, &v), -1);

	money_format(2027000000, MONEY_WAN, out, sizeof(out));
	assert_string_equal(out, "202700");
	money_format(506700, MONEY_WAN, out, sizeof(out));
	assert_string_equal(out, "50.67");
	money_format(-50, MONEY_FEN, out, sizeof(out));
	assert_string_equal(out, "-0.5");
	money_format(0, MONEY_FEN, out, sizeof(out));
	assert_string_equal(out, "0");
	money_format(INT64_MIN, MONEY_FEN, out, sizeof(out));
	assert_string_equal(out, "-92233720368547758.08");
}

static void test_time_parse(void **state)
{
	int64_t t, local = 1667437965;	/* 2022-11-03 09:12:45 in Asia/Shanghai */

	(void)state;
	assert_int_equal(time_parse("2022-11-03 09:12:45", 0, &t), 0);
	assert_int_equal(t, local);
	assert_int_equal(time_parse("2022-11-03T09:12:45", 0, &t), 0);
	assert_int_equal(t, local);
	assert_int_equal(time_parse("2022-11-03 09:12", 0, &t), -1);
	assert_int_equal(time_parse("2022-11-03 09:12", TIME_NO_SECONDS, &t), 0);
	assert_int_equal(t, local - 45);
	/* Zones. */
	assert_int_equal(time_parse("2022-11-03T09:12:45+08:00", 0, &t), -1);
	assert_int_equal(time_parse("2022-11-03T09:12:45+08:00", TIME_ZONE, &t), 0);
	assert_int_equal(t, local);
	assert_int_equal(time_parse("2022-11-03T01:12:45Z", TIME_ZONE, &t), 0);
	assert_int_equal(t, local);
	assert_int_equal(time_parse("2022-11-02T20:12:45-05:00", TIME_ZONE, &t), 0);
	assert_int_equal(t, local);
	assert_int_equal(time_parse("2022-11-03T09:12:45+15:00", TIME_ZONE, &t), -1);
	assert_int_equal(time_parse("2022-11-03T09:12:45+0800", TIME_ZONE, &t), -1);
	assert_int_equal(time_parse("2022-11-03T09:12:45", TIME_ZONE_NEEDED, &t), -1);
	/* Open311: 'T' only, fractions dropped. */
	assert_int_equal(time_parse("2022-11-03 09:12:45Z", TIME_T_ONLY | TIME_ZONE_NEEDED, &t), -1);
	assert_int_equal(time_parse("2022-11-03T01:12:45.123Z", TIME_T_ONLY | TIME_ZONE_NEEDED | TIME_FRACTION, &t), 0);
	assert_int_equal(t, local);
	assert_int_equal(time_parse("2022-11-03T01:12:45.Z", TIME_T_ONLY | TIME_ZONE_NEEDED | TIME_FRACTION, &t), -1);
	assert_int_equal(time_parse("2022-11-03T01:12:45.5Z", TIME_T_ONLY | TIME_ZONE_NEEDED, &t), -1);
	/* Spreadsheets: 2022/11/3 9:12, and runs of separators. */
	assert_int_equal(time_parse("2022/11/3 9:12:45", TIME_SLASH_DATE, &t), 0);
	assert_int_equal(t, local);
	assert_int_equal(time_parse("2022/11/3 9:12:45", 0, &t), -1);
	assert_int_equal(time_parse("2022-11-03  09:12:45", TIME_SEP_RUN, &t), 0);
	assert_int_equal(t, local);
	assert_int_equal(time_parse("2022-11-03  09:12:45", 0, &t), -1);
	assert_int_equal(time_parse("2022/11-3 9:12", TIME_SLASH_DATE | TIME_NO_SECONDS, &t), -1);
	/* Edges: real dates and clocks only. */
	assert_int_equal(time_parse("2024-02-29 23:59:59", 0, &t), 0);
	assert_int_equal(time_parse("2023-02-29 12:00:00", 0, &t), -1);
	assert_int_equal(time_parse("2022-11-03 24:00:00", 0, &t), -1);
	assert_int_equal(time_parse("2022-11-03 09:60:00", 0, &t), -1);
	assert_int_equal(time_parse("2022-11-03 09:12:60", 0, &t), -1);
	assert_int_equal(time_parse("2022-11-03 09:12:45 ", 0, &t), -1);
	assert_int_equal(time_parse("2022-11-03", 0, &t), -1);
	assert_int_equal(time_parse("", 0, &t), -1);
	assert_int_equal(time_parse(NULL, 0, &t), -1);
}

static void test_yesno(void **state)
{
	int v = -1;

	(void)state;
	assert_int_equal(yesno_parse("是", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(yesno_parse("否", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(yesno_parse("TRUE", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(yesno_parse("No", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(yesno_parse("y", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(yesno_parse("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(yesno_parse("", &v), -1);
	assert_int_equal(yesno_parse("是的", &v), -1);
	assert_int_equal(yesno_parse("2", &v), -1);
	assert_int_equal(yesno_parse(NULL, &v), -1);
}

static void test_dup_and_grow(void **state)
{
	int *items = NULL;
	size_t n = 0, cap = 0, i;
	char *s;

	(void)state;
	assert_null(xstrdup_or_null(NULL));
	s = xstrdup_or_null("院落");
	assert_string_equal(s, "院落");
	free(s);
	for (i = 0; i < 100; i++) {
		YL_GROW(items, n, cap);
		items[n++] = (int)i;
	}
	assert_int_equal(n, 100);
	assert_int_equal(cap, 128);
	for (i = 0; i < 100; i++)
		assert_int_equal(items[i], (int)i);
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_rules),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_idno),
		cmocka_unit_test(test_uscc),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_yesno),
		cmocka_unit_test(test_dup_and_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
