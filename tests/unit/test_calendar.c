/*
 * test_calendar.c - src/calendar: day numbers, calendar files (every bad line
 * reported), loading (atomic, idempotent) and working days and deadlines on
 * the official calendars shipped in share/calendar (2022-2026).
 *
 * Expected deadlines are worked out by hand in the comments, from the files.
 */
#include "unit.h"
#include "calendar/calendar_internal.h"
#include "store/store.h"
#include "util/util.h"

#include <limits.h>

static struct store *S;
static struct fault F;

/* ---- helpers ---- */

/* share/calendar from the working directory (make test runs at the top), else next to build/tests*. */
static char *calendar_path(int year)
{
	static char path[PATH_MAX + 64];
	char exe[PATH_MAX], *slash;
	ssize_t n;

	snprintf(path, sizeof(path), "share/calendar/%d.csv", year);
	if (access(path, R_OK) == 0)
		return path;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	assert_non_null(slash);
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/../../share/calendar/%d.csv", exe, year);
	return path;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!fp)
		fail_msg("cannot open %s", path);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_detach(&b, len);
}

/* Loads a text as a calendar that must be good; returns *changed. */
static int load_text(const char *text, size_t len, int year)
{
	struct calendar_file cf;
	int changed = -1;

	fault_clear(&F);
	if (calendar_file_parse(&cf, text, len, year, &F) < 0) {
		size_t i;

		for (i = 0; i < cf.nproblems; i++)
			print_error("line %zu: %s\n", cf.problems[i].line, cf.problems[i].reason);
		fail_msg("parse: %s", F.message);
	}
	if (calendar_load(S, &cf, "test", &changed, &F) < 0)
		fail_msg("load: %s", F.message);
	calendar_file_release(&cf);
	return changed;
}

static int load_official(int year)
{
	size_t len;
	char *text = slurp(calendar_path(year), &len);
	int changed = load_text(text, len, year);

	free(text);
	return changed;
}

static int setup_empty(void **state)
{
	(void)state;
	S = unit_db_open();
	fault_clear(&F);
	return S ? 0 : -1;
}

static int setup_official(void **state)
{
	int y;

	if (setup_empty(state) < 0)
		return -1;
	for (y = 2022; y <= 2026; y++)
		load_official(y);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_db_close(S);
	S = NULL;
	return 0;
}

static int32_t day(const char *text)
{
	int32_t d = 0;

	if (calendar_day_parse(text, &d) < 0)
		fail_msg("bad date in the test: %s", text);
	return d;
}

/* An instant given as Asia/Shanghai local time. */
static int64_t local(const char *date, int h, int m, int s)
{
	return calendar_day_start(day(date)) + h * 3600 + m * 60 + s;
}

static void assert_utc(int64_t t, const char *want)
{
	char got[32];

	time_format_utc(t, got, sizeof(got));
	assert_string_equal(got, want);
}

static int64_t deadline(int64_t received, int n)
{
	int64_t at = 0;

	fault_clear(&F);
	if (calendar_deadline(S, received, n, &at, &F) < 0)
		fail_msg("deadline: %s", F.message);
	return at;
}

static int64_t yellow(int64_t deadline_at)
{
	int64_t at = 0;

	fault_clear(&F);
	if (calendar_yellow_at(S, deadline_at, &at, &F) < 0)
		fail_msg("yellow: %s", F.message);
	return at;
}

static int working(const char *date)
{
	int w = -1;

	fault_clear(&F);
	if (calendar_is_working_day(S, day(date), &w, &F) < 0)
		fail_msg("is_working_day %s: %s", date, F.message);
	return w;
}

static void assert_add(const char *from, int n, const char *want)
{
	int32_t out = 0;
	char got[11];

	fault_clear(&F);
	if (calendar_add_working_days(S, day(from), n, &out, &F) < 0)
		fail_msg("add %s %+d: %s", from, n, F.message);
	calendar_day_format(out, got);
	if (strcmp(got, want) != 0)
		fail_msg("%s %+d working days: got %s, want %s", from, n, got, want);
}

static int count(const char *from, const char *to)
{
	int n = 0;

	fault_clear(&F);
	if (calendar_count_working_days(S, day(from), day(to), &n, &F) < 0)
		fail_msg("count %s..%s: %s", from, to, F.message);
	return n;
}


/* Parses a text that must be refused; returns the file (release it). */
static struct calendar_file parse_bad(const char *text, int year)
{
	struct calendar_file cf;

	fault_clear(&F);
	assert_int_equal(calendar_file_parse(&cf, text, strlen(text), year, &F), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	return cf;
}

/* 1 when some problem on line has a reason containing what. */
static int has_problem(const struct calendar_file *cf, size_t line, const char *what)
{
	size_t i;

	for (i = 0; i < cf->nproblems; i++)
		if (cf->problems[i].line == line && strstr(cf->problems[i].reason, what))
			return 1;
	return 0;
}

static void assert_problem(const struct calendar_file *cf, size_t line, const char *what)
{
	size_t i;

	if (has_problem(cf, line, what))
		return;
	for (i = 0; i < cf->nproblems; i++)
		print_error("  line %zu: %s\n", cf->problems[i].line, cf->problems[i].reason);
	fail_msg("no problem on line %zu containing '%s'", line, what);
}

#define HEAD "# test\ndate,kind,name\n"

/* ---- day numbers ---- */

static void test_day_numbers(void **state)
{
	char out[11];
	int32_t d;

	(void)state;
	assert_int_equal(day("1970-01-01"), 0);
	assert_int_equal(day("1970-01-02"), 1);
	assert_int_equal(day("1969-12-31"), -1);
	assert_int_equal(day("2000-03-01") - day("2000-02-28"), 2);	/* 2000 is a leap year */
	assert_int_equal(day("2100-03-01") - day("2100-02-28"), 1);	/* 2100 is not */
	assert_int_equal(day("2025-01-01") - day("2024-01-01"), 366);
	for (d = day("1900-01-01"); d <= day("2200-12-31"); d += 37) {
		int32_t back;

		calendar_day_format(d, out);
		assert_int_equal(calendar_day_parse(out, &back), 0);
		assert_int_equal(back, d);
	}
	calendar_day_format(day("2025-02-28") + 1, out);
	assert_string_equal(out, "2025-03-01");
	assert_int_equal(calendar_day_parse("2025-02-29", &d), -1);
	assert_int_equal(calendar_day_parse("2025-02-30", &d), -1);
	assert_int_equal(calendar_day_parse("2025-1-01", &d), -1);
	assert_int_equal(calendar_day_parse("1899-12-31", &d), -1);
	assert_int_equal(calendar_day_parse("2201-01-01", &d), -1);
	assert_int_equal(calendar_day_year(day("2025-12-31")), 2025);
	assert_int_equal(calendar_day_year(day("2026-01-01")), 2026);
	assert_int_equal(calendar_day_from_ymd(2025, 1, 24), day("2025-01-24"));

	assert_int_equal(calendar_weekday(day("2025-01-24")), 5);	/* Friday */
	assert_int_equal(calendar_weekday(day("2025-01-26")), 7);	/* Sunday */
	assert_int_equal(calendar_weekday(day("2024-09-29")), 7);
	assert_int_equal(calendar_weekday(day("2024-10-12")), 6);
	assert_int_equal(calendar_weekday(day("1969-12-31")), 3);
	assert_int_equal(calendar_weekday(day("1900-01-01")), 1);

	/* Local days are UTC+8: 16:00Z is the next local midnight. */
	assert_utc(calendar_day_start(day("2025-01-24")), "2025-01-23T16:00:00Z");
	assert_int_equal(calendar_day_of(calendar_day_start(day("2025-01-24"))), day("2025-01-24"));
	assert_int_equal(calendar_day_of(calendar_day_start(day("2025-01-24")) - 1), day("2025-01-23"));
	assert_int_equal(calendar_day_of(calendar_day_start(day("1969-12-31")) + 5), day("1969-12-31"));
}

/* ---- the shipped files ---- */

static void test_official_files_are_good(void **state)
{
	/* Working days a year, counted independently from the files (weekdays - weekday holidays + swapped weekends). */
	static const int expect[] = { 249, 249, 251, 248, 248 };
	struct calendar_year_list l;
	struct calendar_year y;
	int i;

	(void)state;
	fault_clear(&F);
	assert_int_equal(calendar_year_list(S, CALENDAR_ALL_YEARS, 0, &l, &F), 0);
	assert_int_equal(l.n, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(l.items[i].year, 2022 + i);
		assert_int_equal(l.items[i].working_days, expect[i]);
		assert_null(l.items[i].entries);
	}
	calendar_year_list_release(&l);

	assert_int_equal(calendar_year_get(S, 2025, &y, &F), 0);
	assert_int_equal(y.n, 33);
	assert_int_equal(y.holidays, 28);
	assert_int_equal(y.workdays, 5);
	assert_int_equal(y.working_days, 248);
	assert_int_equal(y.entries[0].day, day("2025-01-01"));
	assert_string_equal(y.entries[0].name, "元旦");
	assert_int_equal(y.entries[1].kind, CALENDAR_WORKDAY);
	assert_int_equal(y.entries[1].day, day("2025-01-26"));
	assert_string_equal(y.source, "test");
	calendar_year_release(&y);

	/* The same from the working-day count: the days after 12-31 of one year up to 12-31 of the next. */
	assert_int_equal(count("2024-12-31", "2025-12-31"), 248);
	assert_int_equal(count("2021-12-31", "2022-12-31"), 249);
	assert_int_equal(count("2023-12-31", "2024-12-31"), 251);

	assert_int_equal(calendar_year_get(S, 2027, &y, &F), -1);
	assert_int_equal(F.kind, FAULT_NOT_FOUND);
}

static void test_working_days_of_2025(void **state)
{
	(void)state;
	assert_int_equal(working("2025-01-24"), 1);	/* Friday */
	assert_int_equal(working("2025-01-25"), 0);	/* Saturday */
	assert_int_equal(working("2025-01-26"), 1);	/* Sunday, 春节调休上班 */
	assert_int_equal(working("2025-01-27"), 1);
	assert_int_equal(working("2025-01-28"), 0);	/* 春节 (Tuesday) */
	assert_int_equal(working("2025-02-04"), 0);
	assert_int_equal(working("2025-02-05"), 1);
	assert_int_equal(working("2025-02-08"), 1);	/* Saturday, 春节调休上班 */
	assert_int_equal(working("2025-02-09"), 0);	/* Sunday */
	assert_int_equal(working("2025-10-08"), 0);	/* 国庆节、中秋节 (Wednesday) */
	assert_int_equal(working("2025-10-11"), 1);	/* Saturday worked */
}

/*
 * Spring Festival 2025.  Received Friday 2025-01-24; the day of receipt does not count:
 *   01-25 Sat rest · 01-26 Sun swapped working day (1) · 01-27 Mon (2) ·
 *   01-28 .. 02-04 春节 · 02-05 Wed (3) · 02-06 Thu (4) · 02-07 Fri (5) · 02-08 Sat worked (6) ·
 *   02-09 Sun rest · 02-10 Mon (7).
 * 5 working days: due 2025-02-07 23:59:59 +08:00 = 15:59:59Z; yellow card at the start of
 * 02-06 (the last working day before 02-07) = 2025-02-05T16:00:00Z.
 */
static void test_spring_festival_2025(void **state)
{
	int64_t received = local("2025-01-24", 10, 15, 0), d5;

	(void)state;
	d5 = deadline(received, 5);
	assert_utc(d5, "2025-02-07T15:59:59Z");
	assert_int_equal(d5, calendar_day_start(day("2025-02-08")) - 1);
	assert_utc(yellow(d5), "2025-02-05T16:00:00Z");
	assert_utc(deadline(received, 1), "2025-01-26T15:59:59Z");	/* the swapped Sunday */
	assert_utc(deadline(received, 2), "2025-01-27T15:59:59Z");
	assert_utc(deadline(received, 3), "2025-02-05T15:59:59Z");	/* over the whole holiday */
	assert_utc(deadline(received, 6), "2025-02-08T15:59:59Z");	/* the swapped Saturday */
	assert_utc(deadline(received, 7), "2025-02-10T15:59:59Z");
	/* Due 02-05: the working day before it is 01-27, before the holiday. */
	assert_utc(yellow(deadline(received, 3)), "2025-01-26T16:00:00Z");
	/* Due on the swapped Saturday 02-08: yellow from Friday 02-07. */
	assert_utc(yellow(deadline(received, 6)), "2025-02-06T16:00:00Z");

	/* Any time of the local day is the same day of receipt, from 00:00 to 23:59:59 +08:00. */
	assert_int_equal(deadline(local("2025-01-24", 0, 0, 0), 5), d5);
	assert_int_equal(deadline(local("2025-01-24", 23, 59, 59), 5), d5);
	/* One second earlier is Thursday 01-23: 01-24 (1), 01-26 (2), 01-27 (3), 02-05 (4), 02-06 (5). */
	assert_utc(deadline(local("2025-01-24", 0, 0, 0) - 1, 5), "2025-02-06T15:59:59Z");
	/* Received on a rest day (Saturday 01-25): the next working day is 01-26. */
	assert_utc(deadline(local("2025-01-25", 12, 0, 0), 1), "2025-01-26T15:59:59Z");
	/* Received during the holiday (01-30): 02-05 (1) .. 02-07 (3), 02-08 (4). */
	assert_utc(deadline(local("2025-01-30", 9, 0, 0), 4), "2025-02-08T15:59:59Z");
}

/*
 * National Day 2024: 国庆节 10-01 (Tue) .. 10-07 (Mon); swapped working days Sunday 09-29 and Saturday 10-12.
 * Received Friday 09-27: 09-28 Sat rest · 09-29 Sun worked (1) · 09-30 Mon (2) · 10-01..10-07 off ·
 *   10-08 Tue (3) · 10-09 (4) · 10-10 (5) · 10-11 (6) · 10-12 Sat worked (7) · 10-14 Mon (8).
 */
static void test_national_day_2024(void **state)
{
	int64_t received = local("2024-09-27", 15, 30, 0), d3;

	(void)state;
	assert_int_equal(working("2024-09-29"), 1);
	assert_int_equal(working("2024-10-07"), 0);
	assert_int_equal(working("2024-10-12"), 1);
	assert_int_equal(working("2024-10-13"), 0);
	assert_utc(deadline(received, 1), "2024-09-29T15:59:59Z");
	d3 = deadline(received, 3);
	assert_utc(d3, "2024-10-08T15:59:59Z");
	/* Yellow: the working day before 10-08 is Monday 09-30. */
	assert_utc(yellow(d3), "2024-09-29T16:00:00Z");
	assert_utc(deadline(received, 7), "2024-10-12T15:59:59Z");
	assert_utc(deadline(received, 8), "2024-10-14T15:59:59Z");
	/* Received Wednesday 10-09 with 3 days: 10-10, 10-11, and Saturday 10-12. */
	assert_utc(deadline(local("2024-10-09", 9, 0, 0), 3), "2024-10-12T15:59:59Z");
	/* Due Monday 10-14: yellow on the swapped Saturday 10-12, not on Friday. */
	assert_utc(yellow(deadline(received, 8)), "2024-10-11T16:00:00Z");
	/* 09-29, 09-30, 10-08, 10-09, 10-10, 10-11, 10-12. */
	assert_int_equal(count("2024-09-27", "2024-10-13"), 7);
	assert_add("2024-09-27", 2, "2024-09-30");
	assert_add("2024-10-08", -1, "2024-09-30");
	assert_add("2024-10-08", -2, "2024-09-29");
	assert_add("2024-10-08", -3, "2024-09-27");
}

/*
 * Spring Festival 2026: Saturday 02-14 worked; 春节 02-15 (Sun) .. 02-23 (Mon); Saturday 02-28 worked.
 * Received Thursday 02-12: 02-13 Fri (1) · 02-14 Sat worked (2) · 02-15..02-23 off · 02-24 Tue (3) ·
 *   02-25 (4) · 02-26 Thu (5) · 02-27 Fri (6) · 02-28 Sat worked (7) · 03-02 Mon (8) · 03-03 (9) · 03-04 (10).
 * Guangdong limits: help 10 working days, complaint 15: ... 03-05 (11) · 03-06 (12) · 03-09 (13) · 03-10 (14) · 03-11 (15).
 */
static void test_spring_festival_2026(void **state)
{
	int64_t received = local("2026-02-12", 9, 0, 0);

	(void)state;
	assert_utc(deadline(received, 2), "2026-02-14T15:59:59Z");
	assert_utc(deadline(received, 3), "2026-02-24T15:59:59Z");
	assert_utc(deadline(received, 5), "2026-02-26T15:59:59Z");
	assert_utc(deadline(received, 7), "2026-02-28T15:59:59Z");
	assert_utc(deadline(received, 10), "2026-03-04T15:59:59Z");
	assert_utc(deadline(received, 15), "2026-03-11T15:59:59Z");
	/* Yellow for a deadline of 02-24: the working day before is the swapped Saturday 02-14. */
	assert_utc(yellow(deadline(received, 3)), "2026-02-13T16:00:00Z");
	assert_int_equal(count("2026-02-12", "2026-03-04"), 10);
}

/*
 * Over the new year: received Tuesday 2025-12-30: 12-31 Wed (1) · 2026-01-01..01-03 元旦 ·
 *   01-04 Sun worked (2) · 01-05 Mon (3) · 01-06 (4) · 01-07 Wed (5).
 */
static void test_year_boundary(void **state)
{
	int64_t received = local("2025-12-30", 11, 0, 0), d5;

	(void)state;
	d5 = deadline(received, 5);
	assert_utc(d5, "2026-01-07T15:59:59Z");
	assert_utc(yellow(d5), "2026-01-05T16:00:00Z");
	assert_utc(deadline(received, 2), "2026-01-04T15:59:59Z");
	/* Due 01-04 (the swapped Sunday): the working day before is 2025-12-31, in the other year. */
	assert_utc(yellow(deadline(received, 2)), "2025-12-30T16:00:00Z");
	assert_add("2025-12-31", 1, "2026-01-04");
	assert_add("2026-01-04", -1, "2025-12-31");
	assert_int_equal(count("2025-12-30", "2026-01-07"), 5);
	assert_int_equal(count("2026-01-07", "2025-12-30"), -5);
}

/* A year with no calendar is reported, never guessed. */
static int provisional(const char *from, const char *to)
{
	int p = -1;

	fault_clear(&F);
	assert_int_equal(calendar_provisional_between(S, day(from), day(to), &p, &F), 0);
	return p;
}

/* A year not loaded (2098, 2099: far years, whatever is shipped) is counted on the provisional calendar. */
static void test_year_without_calendar(void **state)
{
	int64_t at = 0;
	int w = -1, p = -1;

	(void)state;
	/* 2099: 元旦 Thursday 01-01; 春节 除夕 01-20 to 初三 01-23; 2098-12-29 is a Monday. */
	assert_int_equal(calendar_is_working_day(S, day("2099-01-01"), &w, &F), 0);
	assert_int_equal(w, 0);
	assert_int_equal(calendar_is_working_day(S, day("2099-01-20"), &w, &F), 0);
	assert_int_equal(w, 0);
	assert_int_equal(calendar_is_working_day(S, day("2099-01-19"), &w, &F), 0);
	assert_int_equal(w, 1);
	fault_clear(&F);
	assert_int_equal(calendar_deadline_marked(S, local("2098-12-29", 10, 0, 0), 5, &at, &p, &F), 0);
	assert_utc(at, "2099-01-06T15:59:59Z");
	assert_int_equal(p, 1);
	assert_add("2099-01-26", -3, "2099-01-15");
	assert_int_equal(count("2098-12-28", "2099-01-09"), 9);
	assert_utc(yellow(local("2099-01-06", 23, 59, 59)), "2099-01-04T16:00:00Z");
	/* Over loaded years only, nothing is provisional; one day of a year not loaded is enough. */
	fault_clear(&F);
	assert_int_equal(calendar_deadline_marked(S, local("2025-01-24", 10, 15, 0), 5, &at, &p, &F), 0);
	assert_int_equal(p, 0);
	assert_int_equal(provisional("2024-12-31", "2025-12-31"), 0);
	assert_int_equal(provisional("2025-12-31", "2099-01-01"), 1);
	assert_int_equal(provisional("2099-01-01", "2099-01-01"), 1);
	assert_int_equal(provisional("2025-01-02", "2025-01-01"), 0);	/* an empty range */
}

/* The regulation's days (全国年节及纪念日放假办法, 2024), with 补假 for a holiday on a weekend. */
static void test_provisional_year(void **state)
{
	struct calendar_year y;
	static const char *const want[] = { "2099-01-01 元旦", "2099-01-20 春节", "2099-01-21 春节", "2099-01-22 春节",
					    "2099-01-23 春节", "2099-04-04 清明节", "2099-04-06 补假", "2099-05-01 劳动节",
					    "2099-05-02 劳动节", "2099-05-04 补假", "2099-06-23 端午节", "2099-09-29 中秋节",
					    "2099-10-01 国庆节", "2099-10-02 国庆节", "2099-10-03 国庆节", "2099-10-05 补假" };
	size_t i;

	(void)state;
	calendar_year_provisional(2099, &y);
	assert_int_equal(y.provisional, 1);
	assert_int_equal(y.n, YL_ARRAY_LEN(want));
	for (i = 0; i < y.n; i++) {
		char d[11], line[64];

		calendar_day_format(y.entries[i].day, d);
		snprintf(line, sizeof(line), "%s %s", d, y.entries[i].name);
		assert_string_equal(line, want[i]);
		assert_int_equal(y.entries[i].kind, CALENDAR_HOLIDAY);
	}
	assert_int_equal(y.workdays, 0);
	assert_int_equal(y.working_days, 248);
	calendar_year_release(&y);
	/* 2026 by the rule: 除夕 02-16 (Monday) to 初三 02-19, 清明 04-05 (Sunday: given back Monday 04-06). */
	calendar_year_provisional(2026, &y);
	assert_int_equal(y.entries[1].day, day("2026-02-16"));
	assert_int_equal(y.entries[4].day, day("2026-02-19"));
	assert_int_equal(y.entries[5].day, day("2026-04-05"));
	assert_string_equal(y.entries[6].name, "补假");
	assert_int_equal(y.entries[6].day, day("2026-04-06"));
	calendar_year_release(&y);
	/* 除夕 on 31 December: 2046's 春节 is 2046-02-06, so not; 2049's is 2049-02-02, so not either: search one. */
	for (i = 1901; i < 2099; i++) {
		int32_t next_jan1 = calendar_day_from_ymd((int)i + 1, 1, 1);
		const unsigned char *f = calendar_festivals[i + 1 - (size_t)calendar_festivals_first];

		if (calendar_day_from_ymd((int)i + 1, f[0], f[1]) != next_jan1)
			continue;
		calendar_year_provisional((int)i, &y);
		assert_int_equal(y.entries[y.n - 1].day, next_jan1 - 1);
		assert_string_equal(y.entries[y.n - 1].name, "春节");
		calendar_year_release(&y);
	}
	/* Outside the lunar table: the fixed-date days only. */
	calendar_year_provisional(2150, &y);
	for (i = 0; i < y.n; i++)
		assert_true(strcmp(y.entries[i].name, "春节") && strcmp(y.entries[i].name, "中秋节"));
	assert_true(y.n >= 6);
	calendar_year_release(&y);
}

/* From 1 November the next year is awaited; a current year not loaded is awaited at once. */
static void test_missing_year(void **state)
{
	int year = -1;

	(void)state;
	/* Nothing loaded: the current year is awaited at once. */
	assert_int_equal(calendar_missing_year(S, local("2025-06-01", 0, 0, 0), &year, &F), 0);
	assert_int_equal(year, 2025);
	load_official(2025);
	assert_int_equal(calendar_missing_year(S, local("2025-10-31", 23, 59, 59), &year, &F), 0);
	assert_int_equal(year, 0);
	assert_int_equal(calendar_missing_year(S, local("2025-11-01", 0, 0, 0), &year, &F), 0);
	assert_int_equal(year, 2026);
	assert_int_equal(calendar_missing_year(S, local("2025-12-31", 23, 59, 59), &year, &F), 0);
	assert_int_equal(year, 2026);
	load_official(2026);
	assert_int_equal(calendar_missing_year(S, local("2025-11-01", 0, 0, 0), &year, &F), 0);
	assert_int_equal(year, 0);
}

static void test_year_boundary_needs_next_year(void **state)
{
	int64_t at = 0;
	int p = -1;

	(void)state;
	load_official(2025);
	/* With 2025 only: the same order as test_year_boundary reaches 2026, counted on the provisional calendar
	 * (元旦 only: 12-31, 01-02, 01-05, 01-06, 01-07) and marked; the official 2026 (01-01..03 off, Sunday 01-04
	 * worked) happens to give the same day, no longer provisional. */
	fault_clear(&F);
	assert_int_equal(calendar_deadline_marked(S, local("2025-12-30", 11, 0, 0), 5, &at, &p, &F), 0);
	assert_utc(at, "2026-01-07T15:59:59Z");
	assert_int_equal(p, 1);
	assert_int_equal(calendar_deadline_marked(S, local("2025-12-30", 11, 0, 0), 1, &at, &p, &F), 0);
	assert_int_equal(p, 0);
	load_official(2026);
	assert_int_equal(calendar_deadline_marked(S, local("2025-12-30", 11, 0, 0), 5, &at, &p, &F), 0);
	assert_utc(at, "2026-01-07T15:59:59Z");
	assert_int_equal(p, 0);
	/* 1 working day from 2025-12-31: on the official 2026, Sunday 01-04 (worked in exchange). */
	assert_utc(deadline(local("2025-12-31", 9, 0, 0), 1), "2026-01-04T15:59:59Z");
}

static void test_deadline_arguments(void **state)
{
	int64_t at = 0, secs = 0;

	(void)state;
	fault_clear(&F);
	assert_int_equal(calendar_deadline(S, local("2025-03-03", 9, 0, 0), 0, &at, &F), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	assert_string_equal(F.field, "days");
	fault_clear(&F);
	assert_int_equal(calendar_deadline(S, local("2025-03-03", 9, 0, 0), -2, &at, &F), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	fault_clear(&F);
	assert_int_equal(calendar_deadline(S, INT64_MAX, 5, &at, &F), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	fault_clear(&F);
	assert_int_equal(calendar_yellow_at(S, INT64_MIN, &at, &F), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	fault_clear(&F);
	assert_int_equal(calendar_working_seconds(S, 0, INT64_MAX, &secs, &F), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	/* An extension counts from the current deadline's day: 5 more after Friday 2025-02-07 are
	 * 02-08 (the swapped Saturday), 02-10, 02-11, 02-12, 02-13. */
	assert_utc(deadline(deadline(local("2025-01-24", 10, 0, 0), 5), 5), "2025-02-13T15:59:59Z");
	/* Received on 国庆节 2025 (10-01 .. 10-08 off): 1 day is Thursday 10-09; its yellow card precedes receipt. */
	at = deadline(local("2025-10-01", 8, 0, 0), 1);
	assert_utc(at, "2025-10-09T15:59:59Z");
	assert_utc(yellow(at), "2025-09-29T16:00:00Z");
}

/* add and count are inverse: count(d, add(d, n)) == n, forwards and backwards, over holidays. */
static void test_add_and_count_are_inverse(void **state)
{
	static const char *const starts[] = { "2022-01-01", "2022-09-30", "2023-01-20", "2023-09-28", "2024-02-09",
					      "2024-09-28", "2025-01-25", "2025-06-01", "2025-12-31", "2026-02-14",
					      "2026-09-19", "2026-06-30" };
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < YL_ARRAY_LEN(starts); i++) {
		for (n = -40; n <= 40; n++) {
			int32_t out = 0;
			int back = 0, w = 0;

			fault_clear(&F);
			/* Never refused: past the loaded years, the provisional calendar counts. */
			if (calendar_add_working_days(S, day(starts[i]), n, &out, &F) < 0)
				fail_msg("%s %+d: %s", starts[i], n, F.message);
			assert_int_equal(calendar_count_working_days(S, day(starts[i]), out, &back, &F), 0);
			assert_int_equal(back, n);
			if (n != 0) {
				assert_int_equal(calendar_is_working_day(S, out, &w, &F), 0);
				assert_int_equal(w, 1);
			}
		}
	}
	assert_add("2025-03-01", 0, "2025-03-01");	/* n = 0: the day itself, even a Saturday */
	assert_int_equal(count("2025-03-03", "2025-03-03"), 0);
	assert_int_equal(count("2025-03-02", "2025-03-03"), 1);	/* (from, to]: Monday counts, Sunday not */
}

/* Handling time in working days: seconds of [from, to) on local working days / 86400. */
static void test_working_time_elapsed(void **state)
{
	int64_t secs = -1;
	double days = -1;

	(void)state;
	/* Monday 09:00 to Tuesday 21:00, both working: 36 hours = 1.5 working days. */
	assert_int_equal(calendar_working_days_elapsed(S, local("2025-03-03", 9, 0, 0), local("2025-03-04", 21, 0, 0),
						       &days, &F), 0);
	assert_true(days == 1.5);
	/*
	 * Friday 2025-01-24 18:00 to Wednesday 02-05 09:00: 6 h of 01-24, all of 01-26 (Sunday worked) and
	 * 01-27, nothing of the weekend and 春节, 9 h of 02-05: 21600 + 86400 + 86400 + 32400 = 226800 s.
	 */
	assert_int_equal(calendar_working_seconds(S, local("2025-01-24", 18, 0, 0), local("2025-02-05", 9, 0, 0),
						  &secs, &F), 0);
	assert_int_equal(secs, 226800);
	assert_int_equal(calendar_working_days_elapsed(S, local("2025-01-24", 18, 0, 0), local("2025-02-05", 9, 0, 0),
						       &days, &F), 0);
	assert_true(days == 2.625);
	/* Wholly inside a holiday or a weekend: nothing. */
	assert_int_equal(calendar_working_seconds(S, local("2025-10-01", 8, 0, 0), local("2025-10-08", 20, 0, 0),
						  &secs, &F), 0);
	assert_int_equal(secs, 0);
	/* An empty interval; an interval ending at a local midnight needs no calendar of the next day's year. */
	assert_int_equal(calendar_working_seconds(S, 5, 5, &secs, &F), 0);
	assert_int_equal(secs, 0);
	assert_int_equal(calendar_working_seconds(S, local("2026-12-31", 0, 0, 0), local("2027-01-01", 0, 0, 0), &secs,
						  &F), 0);
	assert_int_equal(secs, 86400);
	/* One second into 2099-01-01, a holiday of any calendar: counts nothing. */
	assert_int_equal(calendar_working_seconds(S, local("2098-12-31", 0, 0, 0), local("2099-01-01", 0, 0, 1), &secs,
						  &F), 0);
	assert_int_equal(secs, 86400);
	fault_clear(&F);
	assert_int_equal(calendar_working_seconds(S, 10, 5, &secs, &F), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	/* A whole year is its working days. */
	assert_int_equal(calendar_working_seconds(S, local("2025-01-01", 0, 0, 0), local("2026-01-01", 0, 0, 0), &secs,
						  &F), 0);
	assert_int_equal(secs, 248 * 86400);
}

/* ---- files ---- */

static void test_parse_accepts_bom_crlf_and_comments(void **state)
{
	static const char text[] = "\xEF\xBB\xBF# 中国 2025\r\n# more\r\n\r\nDate , Kind , Name\r\n"
				   "2025-01-01,holiday,元旦\r\n  # a comment between rows\r\n"
				   "2025-01-26 , workday , 春节调休上班 \r\n2025-01-28,holiday,春节";
	struct calendar_file cf;

	(void)state;
	fault_clear(&F);
	assert_int_equal(calendar_file_parse(&cf, text, strlen(text), 0, &F), 0);
	assert_int_equal(cf.year, 2025);
	assert_int_equal(cf.n, 3);
	assert_int_equal(cf.nproblems, 0);
	assert_int_equal(cf.entries[1].day, day("2025-01-26"));
	assert_int_equal(cf.entries[1].kind, CALENDAR_WORKDAY);
	assert_string_equal(cf.entries[1].name, "春节调休上班");
	assert_int_equal(cf.entries[1].line, 7);
	calendar_file_release(&cf);
	/* The same with the year given. */
	assert_int_equal(calendar_file_parse(&cf, text, strlen(text), 2025, &F), 0);
	calendar_file_release(&cf);
}

/* Every bad line is reported with its line number; nothing is loaded. */
static void test_bad_file_reports_every_line(void **state)
{
	static const char text[] = HEAD					/* lines 1, 2 */
		"2025-01-01,holiday,元旦\n"					/* 3 */
		"2024-12-31,holiday,元旦\n"					/* 4: another year */
		"2025-02-30,holiday,春节\n"					/* 5: no such date */
		"2025-01-28,festival,春节\n"					/* 6: unknown kind */
		"2025-01-01,holiday,元旦\n"					/* 7: twice */
		"2025-01-27,workday,春节调休上班\n"				/* 8: a Monday */
		"2025-01-29,holiday\n"						/* 9: two fields */
		"2025-01-30,holiday,\n"						/* 10: no name */
		"2025-01-31,holiday,春节,extra\n"				/* 11: four fields */
		"25-02-01,holiday,春节\n"					/* 12: bad format */
		"2025-02-02,Holiday,春节\n"					/* 13: kinds are lower-case */
		"2025-02-03,holiday,春节\n";					/* 14: good */
	struct calendar_file cf;
	size_t i;

	(void)state;
	cf = parse_bad(text, 0);
	assert_string_equal(F.code, CALENDAR_INVALID_FILE);
	assert_string_equal(F.field, "rows");
	assert_int_equal(cf.year, 2025);
	assert_problem(&cf, 4, "2024-12-31 is not in 2025");
	assert_problem(&cf, 5, "'2025-02-30' is not a real date");
	assert_problem(&cf, 6, "holiday or workday, not 'festival'");
	assert_problem(&cf, 7, "2025-01-01 is listed twice (first on line 3)");
	assert_problem(&cf, 8, "2025-01-27 is a Monday");
	assert_problem(&cf, 9, "expected 3 fields");
	assert_problem(&cf, 10, "the name is empty");
	assert_problem(&cf, 11, "found 4");
	assert_problem(&cf, 12, "'25-02-01' is not a real date");
	assert_problem(&cf, 13, "not 'Holiday'");
	assert_int_equal(cf.nproblems, 10);
	for (i = 1; i < cf.nproblems; i++)
		assert_true(cf.problems[i - 1].line <= cf.problems[i].line);
	assert_false(has_problem(&cf, 3, ""));
	assert_false(has_problem(&cf, 14, ""));
	/* Refused as it is: calendar_load takes only a good file. */
	assert_int_equal(calendar_load(S, &cf, "test", NULL, &F), -1);
	calendar_file_release(&cf);
	{
		struct calendar_year_list l;

		assert_int_equal(calendar_year_list(S, CALENDAR_ALL_YEARS, 0, &l, &F), 0);
		assert_int_equal(l.n, 0);
		calendar_year_list_release(&l);
	}
}

static void test_bad_file_shapes(void **state)
{
	struct calendar_file cf;
	char *big;
	size_t i, len = 0;

	(void)state;
	cf = parse_bad("", 0);
	assert_problem(&cf, 1, "the file is empty");
	calendar_file_release(&cf);
	cf = parse_bad("# only comments\n\n", 0);
	assert_problem(&cf, 2, "the file is empty");
	calendar_file_release(&cf);
	cf = parse_bad(HEAD, 0);
	assert_problem(&cf, 2, "lists no days");
	calendar_file_release(&cf);
	/* No header: reported, and the row is still checked. */
	cf = parse_bad("2025-01-01,holiday,元旦\n2025-01-27,workday,x\n", 0);
	assert_problem(&cf, 1, "the header date,kind,name");
	assert_problem(&cf, 2, "is a Monday");
	assert_int_equal(cf.nproblems, 2);
	calendar_file_release(&cf);
	cf = parse_bad("date,kind\n2025-01-01,holiday,元旦\n", 0);
	assert_problem(&cf, 1, "the header");
	calendar_file_release(&cf);
	/* Not UTF-8 (a GBK file), control characters, an over-long name. */
	cf = parse_bad(HEAD "2025-01-01,holiday,\xd4\xaa\xb5\xa9\n2025-01-28,holiday,春\t节\n", 0);
	assert_problem(&cf, 3, "not UTF-8");
	assert_problem(&cf, 4, "control characters");
	calendar_file_release(&cf);
	cf = parse_bad(HEAD "2025-01-01,holiday,一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\n",
		       0);
	assert_problem(&cf, 3, "longer than 50");
	calendar_file_release(&cf);
	/* A long value is quoted cut short, on a character boundary. */
	cf = parse_bad(HEAD "2025-01-01,节节节节节节节节节节节节节节节节节节节节,元旦\n", 0);
	assert_int_equal(cf.nproblems, 1);
	assert_true(utf8_valid_text(cf.problems[0].reason, strlen(cf.problems[0].reason)));
	assert_non_null(strstr(cf.problems[0].reason, "...'"));
	calendar_file_release(&cf);
	/* Too many lines: parsing stops with one problem. */
	big = xmalloc(64 * (CALENDAR_MAX_LINES + 10));
	len = (size_t)sprintf(big, "%s", HEAD);
	for (i = 0; i < CALENDAR_MAX_LINES + 5; i++)
		len += (size_t)sprintf(big + len, "# %zu\n", i);
	fault_clear(&F);
	assert_int_equal(calendar_file_parse(&cf, big, len, 0, &F), -1);
	assert_problem(&cf, CALENDAR_MAX_LINES + 1, "past 2000 lines");
	assert_int_equal(cf.nproblems, 1);
	calendar_file_release(&cf);
	free(big);
}

static void test_year_of_the_file(void **state)
{
	struct calendar_file cf;

	(void)state;
	/* Without a year, the file's year is the one most rows are in. */
	cf = parse_bad(HEAD "2024-12-31,holiday,x\n2025-01-01,holiday,元旦\n2025-01-28,holiday,春节\n", 0);
	assert_int_equal(cf.year, 2025);
	assert_problem(&cf, 3, "2024-12-31 is not in 2025");
	assert_int_equal(cf.nproblems, 1);
	calendar_file_release(&cf);
	/* With a year: rows of other years are problems ... */
	cf = parse_bad(HEAD "2024-12-31,holiday,x\n2024-12-30,holiday,x\n2025-01-01,holiday,元旦\n", 2025);
	assert_string_equal(F.code, CALENDAR_INVALID_FILE);
	assert_problem(&cf, 3, "not in 2025");
	assert_problem(&cf, 4, "not in 2025");
	calendar_file_release(&cf);
	/* ... and a file of another year altogether is said so once. */
	cf = parse_bad(HEAD "2024-01-01,holiday,元旦\n2024-02-04,workday,春节调休上班\n", 2025);
	assert_string_equal(F.code, CALENDAR_YEAR_MISMATCH);
	assert_string_equal(F.field, "year");
	assert_non_null(strstr(F.message, "the file is the calendar of 2024, not of 2025"));
	assert_int_equal(cf.year, 2024);
	calendar_file_release(&cf);
}

/* Loading replaces a year whole and atomically; the same file again changes nothing. */
static void test_reload_is_idempotent_and_replaces(void **state)
{
	struct calendar_year y1, y2;
	struct calendar_file cf;
	const char *fix;
	char *text;
	size_t len;
	int changed = -1;

	(void)state;
	assert_int_equal(load_official(2025), 1);
	assert_int_equal(calendar_year_get(S, 2025, &y1, &F), 0);
	assert_int_equal(load_official(2025), 0);	/* the same days: unchanged, not even loaded_at */
	assert_int_equal(calendar_year_get(S, 2025, &y2, &F), 0);
	assert_string_equal(y1.loaded_at, y2.loaded_at);
	assert_int_equal(y1.n, y2.n);
	calendar_year_release(&y2);

	/* A correction replaces the whole year: days not in the new file are ordinary again. */
	fix = HEAD "2025-01-01,holiday,元旦\n2025-10-01,holiday,国庆节\n";
	assert_int_equal(load_text(fix, strlen(fix), 2025), 1);
	assert_int_equal(calendar_year_get(S, 2025, &y2, &F), 0);
	assert_int_equal(y2.n, 2);
	assert_int_equal(y2.holidays, 2);
	calendar_year_release(&y2);
	assert_int_equal(working("2025-01-28"), 1);	/* no longer 春节 in this file */
	assert_int_equal(working("2025-01-26"), 0);	/* no longer a swapped Sunday */
	assert_int_equal(working("2025-10-01"), 0);
	/* A changed name alone is a change. */
	fix = HEAD "2025-01-01,holiday,元旦节\n2025-10-01,holiday,国庆节\n";
	assert_int_equal(load_text(fix, strlen(fix), 2025), 1);
	assert_int_equal(load_text(fix, strlen(fix), 2025), 0);

	/* Inside a transaction that is rolled back, the year keeps what it had. */
	text = slurp(calendar_path(2025), &len);
	assert_int_equal(calendar_file_parse(&cf, text, len, 2025, &F), 0);
	assert_int_equal(store_begin_write(S), STORE_OK);
	assert_int_equal(calendar_load(S, &cf, "test", &changed, &F), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(working("2025-01-28"), 0);	/* seen inside the transaction */
	assert_int_equal(store_rollback(S), STORE_OK);
	assert_int_equal(working("2025-01-28"), 1);	/* gone with it */
	assert_int_equal(calendar_load(S, &cf, "test", &changed, &F), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(working("2025-01-28"), 0);
	calendar_file_release(&cf);
	free(text);
	assert_int_equal(calendar_year_get(S, 2025, &y2, &F), 0);
	assert_int_equal(y2.n, y1.n);
	calendar_year_release(&y2);
	calendar_year_release(&y1);
}

/* A failed file leaves the loaded year as it was. */
static void test_bad_reload_keeps_the_year(void **state)
{
	static const char bad[] = HEAD "2025-01-01,holiday,元旦\n2025-02-30,holiday,春节\n";
	struct calendar_file cf;

	(void)state;
	load_official(2025);
	cf = parse_bad(bad, 2025);
	calendar_file_release(&cf);
	assert_int_equal(working("2025-01-28"), 0);
	assert_int_equal(count("2024-12-31", "2025-12-31"), 248);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_official, teardown)
#define E(fn) cmocka_unit_test_setup_teardown(fn, setup_empty, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_numbers),
		T(test_official_files_are_good),
		T(test_working_days_of_2025),
		T(test_spring_festival_2025),
		T(test_national_day_2024),
		T(test_spring_festival_2026),
		T(test_year_boundary),
		T(test_year_without_calendar),
		cmocka_unit_test(test_provisional_year),
		E(test_missing_year),
		E(test_year_boundary_needs_next_year),
		T(test_deadline_arguments),
		T(test_add_and_count_are_inverse),
		T(test_working_time_elapsed),
		E(test_parse_accepts_bom_crlf_and_comments),
		E(test_bad_file_reports_every_line),
		E(test_bad_file_shapes),
		E(test_year_of_the_file),
		E(test_reload_is_idempotent_and_replaces),
		E(test_bad_reload_keeps_the_year),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
