/*
 * calendar.h - the working-day calendar: which days are working days in
 * mainland China, and the deadlines counted on them.  DOMAIN.md, "Resident
 * requests": limits are working days on a calendar that knows the public
 * holidays (法定节假日) and the swapped working weekends (调休).
 *
 * Days.  A day is a local calendar day in Asia/Shanghai (UTC+8, no daylight
 * saving since 1991), held as a day number: days since 1970-01-01.  Instants
 * are UTC unix seconds.  Dates outside 1900-01-01 .. 2200-12-31 are refused.
 *
 * Data.  The State Council announces each year's holidays and swapped days;
 * an administrator loads them, one CSV file a year (share/calendar/YYYY.csv):
 * comment lines starting with '#', the header "date,kind,name", then one row
 * per special day, kind "holiday" (a day off) or "workday" (a Saturday or
 * Sunday worked in exchange).  A day not listed is a working day from Monday to
 * Friday and a rest day on Saturday and Sunday.  Loading a year replaces it
 * whole, in one transaction, and loading the same file again changes nothing.
 *
 * A year with no calendar loaded is never refused: its days are those of the
 * provisional calendar (provisional.c: weekends, the statutory holidays of the
 * national regulation and their 补假, no swapped working days), so a resident's
 * request whose deadline reaches into next year is taken before next year's
 * schedule is published.  A deadline counted over such a year is provisional:
 * calendar_deadline_marked() and calendar_provisional_between() tell it, the
 * work-order engine records it, and loading the official year recomputes it
 * (workorder/recalc.c).  From 1 November, calendar_missing_year() names next
 * year while it is not loaded, for the banner, the metric and the log.
 *
 * Cost.  Each call reads the years it touches from the indexed tables (one
 * query per year, at most ~40 rows; one row for calendar_is_working_day())
 * into a small view on its stack, and decides every day from there.  Nothing
 * is cached between calls, so a load is seen at once by every connection and
 * every process.  Measured on SQLite: a deadline with its yellow-card instant
 * costs about 15 microseconds, a single day about 3 (numbers in calendar.c):
 * a cache is not needed.
 *
 * Structs own their strings and arrays; the _release() functions free them
 * and leave the struct empty.  Functions return 0, or -1 with the fault filled.
 */
#ifndef YL_CALENDAR_H
#define YL_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

#define CALENDAR_INVALID_FILE "invalid_calendar"	/* fault code: bad lines, listed in the file's problems */
#define CALENDAR_YEAR_MISMATCH "year_mismatch"	/* fault code: the file is of another year than asked */
#define CALENDAR_UTC_OFFSET (8 * 3600)		/* Asia/Shanghai */
#define CALENDAR_MAX_LINES 2000			/* a year has at most 366 rows; more lines is not a calendar */
#define CALENDAR_NAME_MAX 50			/* characters in a day's name */

/* Day numbers. */

/* "YYYY-MM-DD", a real date in 1900..2200, to a day number; 0 or -1. */
int calendar_day_parse(const char *text, int32_t *day);
/* The day number of a date given in parts (not checked: see calendar_day_parse). */
int32_t calendar_day_from_ymd(int year, int month, int day);
void calendar_day_format(int32_t day, char out[11]);
int calendar_day_year(int32_t day);
/* 1 Monday .. 7 Sunday. */
int calendar_weekday(int32_t day);
/* The local day that contains the instant. */
int32_t calendar_day_of(int64_t unix_seconds);
/* The instant of the day's local midnight (00:00:00 +08:00). */
int64_t calendar_day_start(int32_t day);

/* Working days. */

/* *working is 1 for a working day, 0 for a holiday or a rest day. */
int calendar_is_working_day(struct store *s, int32_t day, int *working, struct fault *f);

/*
 * The n-th working day after day (day itself never counts, whether it works
 * or not); n < 0 counts backwards (the |n|-th working day before day); n = 0
 * gives day unchanged.
 */
int calendar_add_working_days(struct store *s, int32_t day, int n, int32_t *out, struct fault *f);

/*
 * The working days walked from from to to, from excluded and to included, as
 * calendar_add_working_days() walks them: for from <= to the d with
 * from < d <= to; for to < from minus the d with to <= d < from.  So
 * count(from, add(from, n)) == n for every n.
 */
int calendar_count_working_days(struct store *s, int32_t from, int32_t to, int *n, struct fault *f);

/*
 * Deadlines, as the work-order engine uses them (12345 practice):
 *
 *   The day of receipt does not count.  With R the local day that contains
 *   received_at and D the n-th working day after R (calendar_add_working_days
 *   (R, n)), the deadline is the last second of D: *deadline_at is D's local
 *   23:59:59, that is calendar_day_start(D + 1) - 1.  n >= 1.
 *
 *   So an order received at any time on Friday 2025-01-24 with 5 working days
 *   is due at 2025-02-07 23:59:59 +08:00 (the swapped Sunday 01-26 counts; the
 *   Spring Festival 01-28 .. 02-04 does not).  An order is overdue (red card)
 *   from deadline_at + 1, the start of the day after D.  The same call extends
 *   a deadline: calendar_deadline(old_deadline_at, extra_days) counts from D.
 */
int calendar_deadline(struct store *s, int64_t received_at, int n_working_days, int64_t *deadline_at,
		      struct fault *f);

/*
 * The same, and *provisional 1 when a day it walked lies in a year with no
 * official calendar (the deadline is then counted on the provisional one).
 */
int calendar_deadline_marked(struct store *s, int64_t received_at, int n_working_days, int64_t *deadline_at,
			     int *provisional, struct fault *f);

/* *provisional 1 when a day of first..last (inclusive) lies in a year with no official calendar. */
int calendar_provisional_between(struct store *s, int32_t first, int32_t last, int *provisional, struct fault *f);

/*
 * The year an administrator should load now, or 0: the current year while it
 * is not loaded, and from 1 November (the State Council publishes next year's
 * schedule in the autumn) next year while it is not.
 */
int calendar_missing_year(struct store *s, int64_t now, int *year, struct fault *f);

/*
 * The yellow card, "1 working day before the deadline": with D the local day
 * that contains deadline_at, *at is the start (00:00:00 local) of the last
 * working day before D.  For a 1-day limit this can precede the receipt: the
 * card is then due at once.
 */
int calendar_yellow_at(struct store *s, int64_t deadline_at, int64_t *at, struct fault *f);

/*
 * Handling time for statistics: the seconds of the half-open interval
 * [from, to) that fall on local working days (whole working days count 86400
 * seconds, the parts of the first and last day their share; holidays and rest
 * days count nothing).  to < from is refused.
 */
int calendar_working_seconds(struct store *s, int64_t from, int64_t to, int64_t *seconds, struct fault *f);
/* The same in working days: working seconds / 86400 (received Monday 09:00, replied Tuesday 21:00: 1.5). */
int calendar_working_days_elapsed(struct store *s, int64_t from, int64_t to, double *days, struct fault *f);

/* Calendar files (calendar_load.c). */

enum calendar_kind { CALENDAR_NONE = 0, CALENDAR_HOLIDAY, CALENDAR_WORKDAY };

const char *calendar_kind_name(enum calendar_kind kind);	/* "holiday", "workday" */
enum calendar_kind calendar_kind_parse(const char *s);		/* CALENDAR_NONE for anything else, NULL too */

struct calendar_entry {
	int32_t day;
	enum calendar_kind kind;
	char *name;
	size_t line;			/* line of the file; 0 when read from the store */
};

struct calendar_problem {
	size_t line;			/* 1-based line of the file */
	char *reason;
};

struct calendar_file {
	int year;			/* the year every row is in (0 when it cannot be told) */
	struct calendar_entry *entries;	/* sorted by day */
	size_t n;
	struct calendar_problem *problems;	/* sorted by line; several may share a line */
	size_t nproblems;
};

/*
 * Parses a calendar file (a UTF-8 BOM and CRLF line ends are accepted) and
 * checks every line: the header, three fields, a real date, the kind, a
 * non-empty name, a workday on a Saturday or Sunday, every date in one year
 * (year when it is not 0, else the year most rows are in), no date twice.
 * Returns 0 when the file is good; else -1 with every bad line in
 * cf->problems and f set (FAULT_INVALID, code CALENDAR_INVALID_FILE, field
 * "rows"; or code CALENDAR_YEAR_MISMATCH, field "year", when year is given and
 * no row is in it).  cf is filled either way: release it.
 */
int calendar_file_parse(struct calendar_file *cf, const char *text, size_t len, int year, struct fault *f);
void calendar_file_release(struct calendar_file *cf);

/*
 * Stores a parsed, good file as its year's calendar, replacing what the year
 * had, in one write transaction (nested in the caller's).  *changed (may be
 * NULL) is 0 when the year already held exactly these days: then nothing is
 * written, not even the source and time.  source: the file's path or "api".
 */
int calendar_load(struct store *s, const struct calendar_file *cf, const char *source, int *changed,
		  struct fault *f);

/* A loaded year. */
struct calendar_year {
	int year;
	int provisional;		/* 1: not loaded, the regulation's days (calendar_year_provisional) */
	char *source;
	char *loaded_at;		/* UTC text; NULL for a provisional year */
	int64_t holidays, workdays;	/* rows of each kind */
	int64_t working_days;		/* working days in the year */
	struct calendar_entry *entries;	/* by day; NULL in lists */
	size_t n;
};

struct calendar_year_list {
	struct calendar_year *items;	/* by year */
	size_t n;
	int64_t total;			/* years loaded in all */
};

/* One year with its special days; FAULT_NOT_FOUND when it has no calendar. */
int calendar_year_get(struct store *s, int year, struct calendar_year *out, struct fault *f);
/*
 * The provisional calendar of a year (any year in 1900..2200, loaded or not):
 * its holidays as entries, source "provisional", loaded_at NULL.
 */
void calendar_year_provisional(int year, struct calendar_year *out);
/* The loaded years, a page of them (by year, paged in SQL), without the days; out->total counts them all. */
int calendar_year_list(struct store *s, int limit, int offset, struct calendar_year_list *out, struct fault *f);
#define CALENDAR_ALL_YEARS 301		/* a limit that takes every year: 1900..2200 */
void calendar_year_release(struct calendar_year *y);
void calendar_year_list_release(struct calendar_year_list *l);

#endif
