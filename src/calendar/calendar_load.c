/*
 * calendar_load.c - calendar files: parsing with every bad line reported,
 * loading a year in one transaction, and reading loaded years back.
 *
 * The file is read in two passes.  The first checks each line on its own
 * (header, fields, date, kind, name); the second needs all the rows: the year
 * of the file and dates listed twice.  Problems from both are sorted by line.
 */
#include "calendar/calendar_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *calendar_kind_name(enum calendar_kind kind)
{
	switch (kind) {
	case CALENDAR_HOLIDAY:
		return "holiday";
	case CALENDAR_WORKDAY:
		return "workday";
	case CALENDAR_NONE:
		break;
	}
	return "none";
}

enum calendar_kind calendar_kind_parse(const char *s)
{
	if (!s)
		return CALENDAR_NONE;
	if (strcmp(s, "holiday") == 0)
		return CALENDAR_HOLIDAY;
	if (strcmp(s, "workday") == 0)
		return CALENDAR_WORKDAY;
	return CALENDAR_NONE;
}

void calendar_file_release(struct calendar_file *cf)
{
	size_t i;

	for (i = 0; i < cf->n; i++)
		free(cf->entries[i].name);
	free(cf->entries);
	for (i = 0; i < cf->nproblems; i++)
		free(cf->problems[i].reason);
	free(cf->problems);
	memset(cf, 0, sizeof(*cf));
}

struct parse_state {
	struct calendar_file *cf;
	size_t cap_entries, cap_problems;
};

static void problem(struct parse_state *ps, size_t line, const char *fmt, ...) YL_PRINTF(3, 4);

static void problem(struct parse_state *ps, size_t line, const char *fmt, ...)
{
	struct calendar_file *cf = ps->cf;
	struct buf b = BUF_INIT;
	va_list ap;

	if (cf->nproblems == ps->cap_problems) {
		ps->cap_problems = ps->cap_problems ? ps->cap_problems * 2 : 16;
		cf->problems = xrealloc(cf->problems, ps->cap_problems * sizeof(*cf->problems));
	}
	buf_init(&b);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	cf->problems[cf->nproblems].line = line;
	cf->problems[cf->nproblems].reason = buf_detach(&b, NULL);
	cf->nproblems++;
}

/*
 * A field quoted in a reason: at most 40 bytes, cut on a character boundary so
 * the reason stays UTF-8 (it ends up in JSON), with "..." when cut.
 */
static const char *quoted(const char *v, char out[48])
{
	size_t n = strlen(v);

	if (n <= 40) {
		memcpy(out, v, n + 1);
		return out;
	}
	n = 40;
	while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
		n--;
	memcpy(out, v, n);
	memcpy(out + n, "...", 4);
	return out;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Splits on commas in place; returns the number of fields (up to max are stored). */
static size_t split(char *s, char **fields, size_t max)
{
	size_t n = 0;

	for (;;) {
		char *comma = strchr(s, ',');

		if (comma)
			*comma = '\0';
		if (n < max)
			fields[n] = trim(s);
		n++;
		if (!comma)
			return n;
		s = comma + 1;
	}
}

static int is_header(char *line)
{
	char *fields[3];

	return split(line, fields, 3) == 3 && strcasecmp(fields[0], "date") == 0 &&
	       strcasecmp(fields[1], "kind") == 0 && strcasecmp(fields[2], "name") == 0;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static const char *const weekday_names[] = { "", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
					     "Saturday", "Sunday" };

/* First pass over one data line.  A row with a real date joins the entries (for the second pass). */
static void parse_row(struct parse_state *ps, char *text, size_t line)
{
	struct calendar_file *cf = ps->cf;
	char *fields[3], q[48];
	size_t nf = split(text, fields, 3);
	enum calendar_kind kind;
	int32_t day = 0;
	int date_ok;

	if (nf != 3) {
		problem(ps, line, "expected 3 fields (date,kind,name), found %zu", nf);
		return;
	}
	date_ok = calendar_day_parse(fields[0], &day) == 0;
	if (!date_ok)
		problem(ps, line, "'%s' is not a real date as YYYY-MM-DD", quoted(fields[0], q));
	kind = calendar_kind_parse(fields[1]);
	if (kind == CALENDAR_NONE)
		problem(ps, line, "the kind must be holiday or workday, not '%s'", quoted(fields[1], q));
	if (!*fields[2])
		problem(ps, line, "the name is empty");
	else if (has_control(fields[2]))
		problem(ps, line, "the name has control characters");
	else if (utf8_length(fields[2]) > CALENDAR_NAME_MAX)
		problem(ps, line, "the name is longer than %d characters", CALENDAR_NAME_MAX);
	/* A workday row on a weekday changes nothing: it is a typo for the swapped weekend day. */
	if (date_ok && kind == CALENDAR_WORKDAY && calendar_weekday(day) <= 5)
		problem(ps, line, "%s is a %s, a working day anyway: a workday row must be a Saturday or Sunday "
			"worked in exchange for a holiday (调休)", fields[0], weekday_names[calendar_weekday(day)]);
	if (!date_ok)
		return;
	if (cf->n == ps->cap_entries) {
		ps->cap_entries = ps->cap_entries ? ps->cap_entries * 2 : 64;
		cf->entries = xrealloc(cf->entries, ps->cap_entries * sizeof(*cf->entries));
	}
	cf->entries[cf->n].day = day;
	cf->entries[cf->n].kind = kind;
	cf->entries[cf->n].name = xstrdup(fields[2]);
	cf->entries[cf->n].line = line;
	cf->n++;
}

/* The year most rows are in (dates lie in 1900..2200: one counter a year). */
static int majority_year(const struct calendar_file *cf)
{
	size_t counts[2200 - 1900 + 1] = { 0 }, i, best_count = 0;
	int best = 0;

	for (i = 0; i < cf->n; i++) {
		int y = calendar_day_year(cf->entries[i].day);

		if (++counts[y - 1900] > best_count) {
			best = y;
			best_count = counts[y - 1900];
		}
	}
	return best;
}

/* Stable sort by line, so a line's problems keep their order (insertion sort: problems are few). */
static void sort_problems(struct calendar_file *cf)
{
	size_t a, b;

	for (a = 1; a < cf->nproblems; a++) {
		struct calendar_problem v = cf->problems[a];

		for (b = a; b > 0 && cf->problems[b - 1].line > v.line; b--)
			cf->problems[b] = cf->problems[b - 1];
		cf->problems[b] = v;
	}
}

static int cmp_entry_day(const void *a, const void *b)
{
	const struct calendar_entry *x = a, *y = b;

	return x->day < y->day ? -1 : x->day > y->day;
}

int calendar_file_parse(struct calendar_file *cf, const char *text, size_t len, int year, struct fault *f)
{
	struct parse_state ps = { cf, 0, 0 };
	size_t pos = 0, line = 0, i;
	size_t first_line[366];
	int header_seen = 0, file_year;

	memset(cf, 0, sizeof(*cf));
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *start = text + pos, *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		char *copy, *t;

		pos += n + (nl != NULL);
		line++;
		if (line > CALENDAR_MAX_LINES) {
			problem(&ps, line, "the file goes on past %d lines: a year's calendar has at most 366 rows",
				CALENDAR_MAX_LINES);
			break;
		}
		if (n > 0 && start[n - 1] == '\r')
			n--;
		if (!utf8_valid_text(start, n)) {
			problem(&ps, line, "the line is not UTF-8 text or has control characters (save the file as UTF-8)");
			continue;
		}
		copy = xstrndup(start, n);
		t = trim(copy);
		if (!*t || *t == '#') {
			free(copy);
			continue;
		}
		if (!header_seen) {
			char *probe = xstrdup(t), *fields[1];
			int32_t day;

			header_seen = 1;
			if (is_header(probe)) {
				free(probe);
				free(copy);
				continue;
			}
			problem(&ps, line, "the header date,kind,name must come before the rows (after the comments)");
			split(probe, fields, 1);
			/* A data row where the header belongs is still checked as a row. */
			if (calendar_day_parse(fields[0], &day) < 0) {
				free(probe);
				free(copy);
				continue;
			}
			free(probe);
		}
		parse_row(&ps, t, line);
		free(copy);
	}

	/* Second pass: one year, no date twice. */
	if (cf->n == 0 && cf->nproblems == 0)
		problem(&ps, line ? line : 1, header_seen ? "the file lists no days"
							  : "the file is empty: it needs the header date,kind,name and a row per day");
	file_year = year;
	if (cf->n > 0 && year) {
		for (i = 0; i < cf->n && calendar_day_year(cf->entries[i].day) != year; i++)
			;
		if (i == cf->n) {
			cf->year = majority_year(cf);
			sort_problems(cf);
			fault_set(f, FAULT_INVALID, "year", "the file is the calendar of %d, not of %d", cf->year, year);
			snprintf(f->code, sizeof(f->code), "%s", CALENDAR_YEAR_MISMATCH);
			return -1;
		}
	} else if (cf->n > 0) {
		file_year = majority_year(cf);
	}
	memset(first_line, 0, sizeof(first_line));
	for (i = 0; i < cf->n; i++) {
		const struct calendar_entry *e = &cf->entries[i];
		char d[11];
		int32_t idx;

		calendar_day_format(e->day, d);
		if (calendar_day_year(e->day) != file_year) {
			problem(&ps, e->line, "%s is not in %d, the year of this file", d, file_year);
			continue;
		}
		idx = e->day - calendar_day_from_ymd(file_year, 1, 1);
		if (first_line[idx]) {
			problem(&ps, e->line, "%s is listed twice (first on line %zu)", d, first_line[idx]);
			continue;
		}
		first_line[idx] = e->line;
	}
	cf->year = file_year;
	sort_problems(cf);
	if (cf->nproblems > 0) {
		fault_set(f, FAULT_INVALID, "rows", "the calendar file has %zu problem%s: nothing was loaded",
			  cf->nproblems, cf->nproblems == 1 ? "" : "s");
		snprintf(f->code, sizeof(f->code), "%s", CALENDAR_INVALID_FILE);
		return -1;
	}
	qsort(cf->entries, cf->n, sizeof(*cf->entries), cmp_entry_day);
	return 0;
}

/* Loading. */

static const char SQL_DAYS_OF_YEAR[] = "SELECT day, kind, name FROM calendar_days WHERE year = ? ORDER BY day";
static const char SQL_YEAR_ROW[] = "SELECT days FROM calendar_years WHERE year = ?";
static const char SQL_DELETE_DAYS[] = "DELETE FROM calendar_days WHERE year = ?";
static const char SQL_DELETE_YEAR[] = "DELETE FROM calendar_years WHERE year = ?";
static const char SQL_INSERT_YEAR[] = "INSERT INTO calendar_years (year, source, loaded_at, days) VALUES (?, ?, ?, ?)";
static const char SQL_INSERT_DAY[] = "INSERT INTO calendar_days (day, year, kind, name) VALUES (?, ?, ?, ?)";

/* 1 when the year is loaded with exactly the file's days, 0 when not, or a negative store code. */
static int same_as_stored(struct store *s, const struct calendar_file *cf)
{
	struct store_stmt *st;
	int64_t stored = 0;
	size_t i = 0;
	int rc, same = 1;

	rc = store_query_int64(s, SQL_YEAR_ROW, &stored, 1, (int64_t)cf->year);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc != STORE_OK)
		return rc;
	st = store_prepare(s, SQL_DAYS_OF_YEAR);
	store_bind_int64(st, 1, cf->year);
	while ((rc = store_step(st)) == STORE_ROW) {
		const struct calendar_entry *e = i < cf->n ? &cf->entries[i] : NULL;
		const char *day = store_column_text(st, 0), *kind = store_column_text(st, 1), *name = store_column_text(st, 2);
		char d[11];

		i++;
		if (!e || !day || !kind || !name) {
			same = 0;
			continue;
		}
		calendar_day_format(e->day, d);
		if (strcmp(day, d) || strcmp(kind, calendar_kind_name(e->kind)) || strcmp(name, e->name))
			same = 0;
	}
	store_done(st);
	if (rc != STORE_DONE)
		return rc;
	return same && i == cf->n && stored == (int64_t)cf->n;
}

static int exec_done(struct store_stmt *st)
{
	int rc = store_step(st);

	store_done(st);
	return rc == STORE_DONE ? STORE_OK : rc;
}

int calendar_load(struct store *s, const struct calendar_file *cf, const char *source, int *changed,
		  struct fault *f)
{
	struct store_stmt *st;
	char now[32], d[11];
	size_t i;
	int rc, same;

	if (!cf->year || cf->nproblems > 0)
		return fault_set(f, FAULT_INVALID, "rows", "the calendar file was not read without problems");
	/* The source is shown in JSON: a path that is not UTF-8 text is not kept as it is. */
	if (!source || !*source || !utf8_valid_text(source, strlen(source)) || utf8_length(source) > 500)
		source = "(a file whose name is not UTF-8 text)";
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	same = same_as_stored(s, cf);
	if (same < 0) {
		rc = same;
		goto fail;
	}
	if (same) {
		if ((rc = store_commit(s)) != STORE_OK)
			return store_fault(s, rc, f);
		if (changed)
			*changed = 0;
		return 0;
	}
	st = store_prepare(s, SQL_DELETE_DAYS);
	store_bind_int64(st, 1, cf->year);
	if ((rc = exec_done(st)) != STORE_OK)
		goto fail;
	st = store_prepare(s, SQL_DELETE_YEAR);
	store_bind_int64(st, 1, cf->year);
	if ((rc = exec_done(st)) != STORE_OK)
		goto fail;
	time_now_text(now);
	st = store_prepare(s, SQL_INSERT_YEAR);
	store_bind_int64(st, 1, cf->year);
	store_bind_text(st, 2, source);
	store_bind_text(st, 3, now);
	store_bind_int64(st, 4, (int64_t)cf->n);
	if ((rc = exec_done(st)) != STORE_OK)
		goto fail;
	for (i = 0; i < cf->n; i++) {
		calendar_day_format(cf->entries[i].day, d);
		st = store_prepare(s, SQL_INSERT_DAY);
		store_bind_text(st, 1, d);
		store_bind_int64(st, 2, cf->year);
		store_bind_text(st, 3, calendar_kind_name(cf->entries[i].kind));
		store_bind_text(st, 4, cf->entries[i].name);
		if ((rc = exec_done(st)) != STORE_OK)
			goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (changed)
		*changed = 1;
	return 0;
fail:
	store_fault(s, rc, f);
	store_rollback(s);
	return -1;
}

/* Reading loaded years. */

static const char SQL_YEARS[] = "SELECT year, source, loaded_at FROM calendar_years ORDER BY year LIMIT ? OFFSET ?";
static const char SQL_YEARS_COUNT[] = "SELECT count(*) FROM calendar_years";
static const char SQL_YEAR[] = "SELECT year, source, loaded_at FROM calendar_years WHERE year = ?";

void calendar_year_release(struct calendar_year *y)
{
	size_t i;

	free(y->source);
	free(y->loaded_at);
	for (i = 0; i < y->n; i++)
		free(y->entries[i].name);
	free(y->entries);
	memset(y, 0, sizeof(*y));
}

void calendar_year_list_release(struct calendar_year_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		calendar_year_release(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static void read_year(struct store_stmt *st, struct calendar_year *y)
{
	const char *source = store_column_text(st, 1), *at = store_column_text(st, 2);

	memset(y, 0, sizeof(*y));
	y->year = (int)store_column_int64(st, 0);
	y->source = xstrdup(source ? source : "");
	y->loaded_at = xstrdup(at ? at : "");
}

/* The special days of a loaded year (into y->entries when keep), their counts and the year's working days. */
static int year_days(struct store *s, struct calendar_year *y, int keep, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_DAYS_OF_YEAR);
	int32_t jan1 = calendar_day_from_ymd(y->year, 1, 1), dec31 = calendar_day_from_ymd(y->year, 12, 31);
	size_t cap = 0;
	int rc, working = 0;

	store_bind_int64(st, 1, y->year);
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *day = store_column_text(st, 0), *name = store_column_text(st, 2);
		enum calendar_kind kind = calendar_kind_parse(store_column_text(st, 1));
		int32_t dn;

		if (!day || calendar_day_parse(day, &dn) < 0 || kind == CALENDAR_NONE)
			continue;
		if (kind == CALENDAR_HOLIDAY)
			y->holidays++;
		else
			y->workdays++;
		if (!keep)
			continue;
		if (y->n == cap) {
			cap = cap ? cap * 2 : 64;
			y->entries = xrealloc(y->entries, cap * sizeof(*y->entries));
		}
		y->entries[y->n].day = dn;
		y->entries[y->n].kind = kind;
		y->entries[y->n].name = xstrdup(name ? name : "");
		y->entries[y->n].line = 0;
		y->n++;
	}
	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	/* The days after December 31st of the year before, up to this one's. */
	if (calendar_count_working_days(s, jan1 - 1, dec31, &working, f) < 0)
		return -1;
	y->working_days = working;
	return 0;
}

int calendar_year_get(struct store *s, int year, struct calendar_year *out, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_YEAR);
	int rc;

	memset(out, 0, sizeof(*out));
	store_bind_int64(st, 1, year);
	rc = store_step(st);
	if (rc == STORE_ROW)
		read_year(st, out);
	store_done(st);
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, "year", "no working-day calendar is loaded for %d", year);
	if (rc != STORE_ROW)
		return store_fault(s, rc, f);
	if (year_days(s, out, 1, f) < 0) {
		calendar_year_release(out);
		return -1;
	}
	return 0;
}

int calendar_year_list(struct store *s, int limit, int offset, struct calendar_year_list *out, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0, i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_query_int64(s, SQL_YEARS_COUNT, &out->total, 0)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_YEARS, "ii", (int64_t)limit, (int64_t)offset);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, cap);
		read_year(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		calendar_year_list_release(out);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < out->n; i++) {
		if (year_days(s, &out->items[i], 0, f) < 0) {
			calendar_year_list_release(out);
			return -1;
		}
	}
	return 0;
}

void calendar_year_provisional(int year, struct calendar_year *out)
{
	unsigned char kind[366];
	const char *names[366];
	int32_t jan1 = calendar_day_from_ymd(year, 1, 1), len = calendar_day_from_ymd(year + 1, 1, 1) - jan1, i;

	memset(out, 0, sizeof(*out));
	out->year = year;
	out->provisional = 1;
	out->source = xstrdup("provisional");
	calendar_provisional_kinds(year, kind, names);
	out->entries = xcalloc(366, sizeof(*out->entries));
	for (i = 0; i < len; i++) {
		if (kind[i] != CALENDAR_HOLIDAY) {
			out->working_days += calendar_weekday(jan1 + i) <= 5;
			continue;
		}
		out->entries[out->n].day = jan1 + i;
		out->entries[out->n].kind = CALENDAR_HOLIDAY;
		out->entries[out->n].name = xstrdup(names[i] ? names[i] : "");
		out->n++;
		out->holidays++;
	}
}

static const char SQL_YEAR_LOADED[] = "SELECT count(*) FROM calendar_years WHERE year = ?";

static int year_loaded(struct store *s, int year, int *loaded, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_YEAR_LOADED);
	int rc;

	store_bind_int64(st, 1, year);
	rc = store_step(st);
	if (rc == STORE_ROW)
		*loaded = store_column_int64(st, 0) > 0;
	store_done(st);
	return rc == STORE_ROW ? 0 : store_fault(s, rc, f);
}

int calendar_missing_year(struct store *s, int64_t now, int *year, struct fault *f)
{
	int32_t today = calendar_day_of(now);
	int y = calendar_day_year(today), loaded = 0;

	*year = 0;
	if (year_loaded(s, y, &loaded, f) < 0)
		return -1;
	if (!loaded) {
		*year = y;
		return 0;
	}
	/* The State Council publishes next year's schedule in the autumn: from 1 November it is awaited. */
	if (today < calendar_day_from_ymd(y, 11, 1))
		return 0;
	if (year_loaded(s, y + 1, &loaded, f) < 0)
		return -1;
	if (!loaded)
		*year = y + 1;
	return 0;
}
