/*
 * calendar.c - day numbers, working days and deadlines over the loaded years.
 *
 * The functions that walk days build a struct cal_view on their stack: the
 * years they touch are read on first use, one query each, into a table of 366
 * kinds, and every day is decided from there (a single day reads one row).  Nothing outlives the call, so a year
 * (re)loaded by any connection or process is seen by the next call.
 *
 * Measured (SQLite in WAL mode, -O2, the five shipped years loaded, 100000
 * calls with limits of 5 to 15 days): calendar_deadline() with
 * calendar_yellow_at() about 15 microseconds an order (10 to 12 inside a
 * transaction), calendar_is_working_day() about 3 (it reads one row, not the
 * year), calendar_working_days_elapsed() over 20 days about 7.5.  Almost all
 * of it is the year queries (a covering index serves them).  A sweep over
 * 10000 open orders that recomputes every yellow card costs about 0.15 s, so
 * no cache: a cache would have to be invalidated across connections and
 * processes (the CLI loads while the server runs) for little gain.
 */
#include "calendar/calendar_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

#define MIN_DAY (-25567)	/* 1900-01-01, the first date date_valid() takes */
#define MAX_DAY 84370		/* 2200-12-31, the last */
#define VIEW_YEARS 4

/* Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian). */
static int32_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int calendar_day_parse(const char *text, int32_t *day)
{
	if (date_valid(text) != 0)
		return -1;
	*day = days_from_civil((text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0'),
			       (text[5] - '0') * 10 + (text[6] - '0'), (text[8] - '0') * 10 + (text[9] - '0'));
	return 0;
}

int32_t calendar_day_from_ymd(int year, int month, int day)
{
	return days_from_civil(year, month, day);
}

void calendar_day_format(int32_t day, char out[11])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	/* The unsigned modulo tells the compiler the widths are fixed (days lie in 1900..2200 anyway). */
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

int calendar_day_year(int32_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return y;
}

int calendar_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((day % 7 + 7 + 3) % 7);

	return w + 1;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int32_t calendar_day_of(int64_t unix_seconds)
{
	return (int32_t)floor_div(unix_seconds + CALENDAR_UTC_OFFSET, 86400);
}

int64_t calendar_day_start(int32_t day)
{
	return (int64_t)day * 86400 - CALENDAR_UTC_OFFSET;
}

/* The view: the kinds of the days of a few years, read on first use. */

struct view_year {
	int year;
	int provisional;		/* no official calendar: the regulation's days (provisional.c) */
	int32_t jan1;
	unsigned char kind[366];	/* enum calendar_kind per day of the year */
};

struct cal_view {
	struct store *s;
	struct view_year years[VIEW_YEARS];
	size_t n, next;			/* slots used; the slot a new year takes when all are used */
};

static void view_init(struct cal_view *v, struct store *s)
{
	v->s = s;
	v->n = 0;
	v->next = 0;
}

static const char SQL_YEAR_DAYS[] =
	"SELECT y.year, d.day, d.kind FROM calendar_years y LEFT JOIN calendar_days d ON d.year = y.year"
	" WHERE y.year = ?";

static int view_load(struct cal_view *v, int year, struct view_year **out, struct fault *f)
{
	struct view_year *vy = &v->years[v->n < VIEW_YEARS ? v->n : v->next];
	struct store_stmt *st;
	int rc, found = 0;

	memset(vy, 0, sizeof(*vy));
	vy->year = year;
	vy->jan1 = days_from_civil(year, 1, 1);
	st = store_prepare(v->s, SQL_YEAR_DAYS);
	store_bind_int64(st, 1, year);
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *day = store_column_text(st, 1), *kind = store_column_text(st, 2);
		int32_t dn;

		found = 1;
		/* A row the loader could not have written (wrong year, bad text) is left out, not trusted. */
		if (!day || !kind || calendar_day_parse(day, &dn) < 0 || dn < vy->jan1 || dn - vy->jan1 >= 366)
			continue;
		vy->kind[dn - vy->jan1] = (unsigned char)calendar_kind_parse(kind);
	}
	store_done(st);
	if (rc != STORE_DONE) {
		vy->year = 0;
		return store_fault(v->s, rc, f);
	}
	if (!found) {
		/* Never refused: the year not loaded is counted on the regulation's days (provisional.c). */
		calendar_provisional_kinds(year, vy->kind, NULL);
		vy->provisional = 1;
	}
	if (v->n < VIEW_YEARS)
		v->n++;
	else
		v->next = (v->next + 1) % VIEW_YEARS;
	*out = vy;
	return 0;
}

static int out_of_range(struct fault *f)
{
	return fault_set(f, FAULT_INVALID, "date", "dates must lie between 1900-01-01 and 2200-12-31");
}

/* The rule: a listed day is what its kind says; any other is a working day from Monday to Friday. */
static int decide(enum calendar_kind kind, int32_t day)
{
	if (kind == CALENDAR_WORKDAY)
		return 1;
	if (kind == CALENDAR_HOLIDAY)
		return 0;
	return calendar_weekday(day) <= 5;
}

static int view_working(struct cal_view *v, int32_t day, int *working, struct fault *f)
{
	struct view_year *vy = NULL;
	int year, i;

	if (day < MIN_DAY || day > MAX_DAY)
		return out_of_range(f);
	year = calendar_day_year(day);
	for (i = 0; i < (int)v->n; i++)
		if (v->years[i].year == year)
			vy = &v->years[i];
	if (!vy && view_load(v, year, &vy, f) < 0)
		return -1;
	*working = decide((enum calendar_kind)vy->kind[day - vy->jan1], day);
	return 0;
}

static const char SQL_ONE_DAY[] =
	"SELECT y.year, d.kind FROM calendar_years y LEFT JOIN calendar_days d ON d.day = ? WHERE y.year = ?";

/* One day alone needs one row, not its whole year. */
int calendar_is_working_day(struct store *s, int32_t day, int *working, struct fault *f)
{
	struct store_stmt *st;
	char text[11];
	int rc, found = 0;

	if (day < MIN_DAY || day > MAX_DAY)
		return out_of_range(f);
	calendar_day_format(day, text);
	st = store_prepare(s, SQL_ONE_DAY);
	store_bind_text(st, 1, text);
	store_bind_int64(st, 2, calendar_day_year(day));
	rc = store_step(st);
	if (rc == STORE_ROW) {
		found = 1;
		*working = decide(calendar_kind_parse(store_column_text(st, 1)), day);
	}
	store_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return store_fault(s, rc, f);
	if (!found) {
		unsigned char kind[366];
		int year = calendar_day_year(day);

		calendar_provisional_kinds(year, kind, NULL);
		*working = decide((enum calendar_kind)kind[day - calendar_day_from_ymd(year, 1, 1)], day);
	}
	return 0;
}

static const char SQL_YEARS_LOADED[] = "SELECT count(*) FROM calendar_years WHERE year >= ? AND year <= ?";

int calendar_provisional_between(struct store *s, int32_t first, int32_t last, int *provisional, struct fault *f)
{
	struct store_stmt *st;
	int y0, y1, rc;

	*provisional = 0;
	if (last < first)
		return 0;
	if (first < MIN_DAY || last > MAX_DAY)
		return out_of_range(f);
	y0 = calendar_day_year(first);
	y1 = calendar_day_year(last);
	st = store_prepare(s, SQL_YEARS_LOADED);
	store_bind_int64(st, 1, y0);
	store_bind_int64(st, 2, y1);
	rc = store_step(st);
	if (rc == STORE_ROW)
		*provisional = store_column_int64(st, 0) < (int64_t)(y1 - y0 + 1);
	store_done(st);
	return rc == STORE_ROW ? 0 : store_fault(s, rc, f);
}

int calendar_deadline_marked(struct store *s, int64_t received_at, int n_working_days, int64_t *deadline_at,
			     int *provisional, struct fault *f)
{
	if (calendar_deadline(s, received_at, n_working_days, deadline_at, f) < 0)
		return -1;
	/* The days walked: after the day of receipt, up to the deadline's day. */
	return calendar_provisional_between(s, calendar_day_of(received_at) + 1, calendar_day_of(*deadline_at),
					    provisional, f);
}

static int view_add(struct cal_view *v, int32_t day, int n, int32_t *out, struct fault *f)
{
	int step = n < 0 ? -1 : 1, working;
	int64_t left = n < 0 ? -(int64_t)n : n;

	if (day < MIN_DAY || day > MAX_DAY)
		return out_of_range(f);
	/* Every step reads a day of a loaded year, or fails: the walk ends at the first year not loaded. */
	while (left > 0) {
		day += step;
		if (view_working(v, day, &working, f) < 0)
			return -1;
		left -= working;
	}
	*out = day;
	return 0;
}

int calendar_add_working_days(struct store *s, int32_t day, int n, int32_t *out, struct fault *f)
{
	struct cal_view v;

	view_init(&v, s);
	return view_add(&v, day, n, out, f);
}

int calendar_count_working_days(struct store *s, int32_t from, int32_t to, int *n, struct fault *f)
{
	struct cal_view v;
	int step = to < from ? -1 : 1, count = 0, working;
	int32_t d;

	if (from < MIN_DAY || from > MAX_DAY || to < MIN_DAY || to > MAX_DAY)
		return out_of_range(f);
	view_init(&v, s);
	/* The days walked from from to to, as calendar_add_working_days() walks them: from excluded, to included. */
	for (d = from; d != to;) {
		d += step;
		if (view_working(&v, d, &working, f) < 0)
			return -1;
		count += working;
	}
	*n = step * count;
	return 0;
}

static int instant_day(int64_t t, const char *field, int32_t *day, struct fault *f)
{
	/* Bounds first: a wild instant must not overflow the day number. */
	if (t < calendar_day_start(MIN_DAY) || t >= calendar_day_start(MAX_DAY + 1))
		return fault_set(f, FAULT_INVALID, field, "%s must lie between 1900 and 2200 (%lld)", field, (long long)t);
	*day = calendar_day_of(t);
	return 0;
}

/* 12345 practice: the day of receipt does not count; due at the end of the n-th working day after it. */
int calendar_deadline(struct store *s, int64_t received_at, int n_working_days, int64_t *deadline_at,
		      struct fault *f)
{
	struct cal_view v;
	int32_t r, d = 0;

	if (n_working_days < 1)
		return fault_set(f, FAULT_INVALID, "days", "a time limit is at least 1 working day, not %d",
				 n_working_days);
	if (instant_day(received_at, "received_at", &r, f) < 0)
		return -1;
	view_init(&v, s);
	if (view_add(&v, r, n_working_days, &d, f) < 0)
		return -1;
	*deadline_at = calendar_day_start(d + 1) - 1;
	return 0;
}

/* Shandong rule: the yellow card 1 working day before the deadline. */
int calendar_yellow_at(struct store *s, int64_t deadline_at, int64_t *at, struct fault *f)
{
	struct cal_view v;
	int32_t d, y = 0;

	if (instant_day(deadline_at, "deadline_at", &d, f) < 0)
		return -1;
	view_init(&v, s);
	if (view_add(&v, d, -1, &y, f) < 0)
		return -1;
	*at = calendar_day_start(y);
	return 0;
}

int calendar_working_seconds(struct store *s, int64_t from, int64_t to, int64_t *seconds, struct fault *f)
{
	struct cal_view v;
	int32_t first, last, d;
	int64_t total = 0;
	int working;

	if (to < from)
		return fault_set(f, FAULT_INVALID, "to", "the end of the interval comes before its start");
	if (to == from) {
		*seconds = 0;
		return 0;
	}
	/* [from, to): the last second is to - 1, so a span ending at midnight needs no day after it. */
	if (instant_day(from, "from", &first, f) < 0 || instant_day(to - 1, "to", &last, f) < 0)
		return -1;
	view_init(&v, s);
	for (d = first; d <= last; d++) {
		int64_t a = calendar_day_start(d), b = calendar_day_start(d + 1);

		if (view_working(&v, d, &working, f) < 0)
			return -1;
		if (!working)
			continue;
		if (a < from)
			a = from;
		if (b > to)
			b = to;
		total += b - a;
	}
	*seconds = total;
	return 0;
}

int calendar_working_days_elapsed(struct store *s, int64_t from, int64_t to, double *days, struct fault *f)
{
	int64_t secs;

	if (calendar_working_seconds(s, from, to, &secs, f) < 0)
		return -1;
	*days = (double)secs / 86400.0;
	return 0;
}
