/*
 * csv_read.c - CSV text into rows that know their line, on libcsv.
 *
 * libcsv reports fields and record ends but not where they are.  With
 * CSV_REPALL_NL it reports every line end, blank lines included, so the line a
 * record starts on is the count of line ends seen before its first field: ends
 * reported between records plus the ends inside quoted fields.  A CR LF pair is
 * one line end (libcsv reports its two bytes separately).
 *
 * In strict mode libcsv stops at malformed quoting and tells how far it got:
 * the row is reported at that line, and parsing starts again on the next line
 * with a fresh parser, so one bad quote does not hide the problems after it.
 */
#include "csvio/csvio.h"
#include "util/util.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_OPTIONS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL)
#define ROW_MAX_FIELDS 256

void csv_problem_add(struct csv_problems *p, size_t line, const char *column, const char *fmt, ...)
{
	struct csv_problem *e;
	struct buf msg = BUF_INIT;
	va_list ap;

	YL_GROW(p->items, p->n, p->cap);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	e = &p->items[p->n++];
	e->line = line;
	e->column = xstrdup_or_null(column);
	e->reason = buf_detach(&msg, NULL);
}

/* Stable merge sort by line: problems of one line keep the order they were found in. */
static void merge_sort(struct csv_problem *a, struct csv_problem *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(a, tmp, mid);
	merge_sort(a + mid, tmp, n - mid);
	if (a[mid - 1].line <= a[mid].line)
		return;
	while (i < mid && j < n)
		tmp[k++] = a[j].line < a[i].line ? a[j++] : a[i++];
	while (i < mid)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
}

size_t csv_problems_sort(struct csv_problems *p)
{
	struct csv_problem *tmp;
	size_t i, lines = 0;

	if (p->n > 1) {
		tmp = xmalloc(p->n * sizeof(*tmp));
		merge_sort(p->items, tmp, p->n);
		free(tmp);
	}
	for (i = 0; i < p->n; i++)
		if (i == 0 || p->items[i].line != p->items[i - 1].line)
			lines++;
	return lines;
}

void csv_problems_release(struct csv_problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->items[i].column);
		free(p->items[i].reason);
	}
	free(p->items);
	memset(p, 0, sizeof(*p));
}

static void row_release(struct csv_row *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->fields[i]);
	free(r->fields);
	memset(r, 0, sizeof(*r));
}

void csv_table_release(struct csv_table *t)
{
	size_t i;

	row_release(&t->header);
	for (i = 0; i < t->nrows; i++)
		row_release(&t->rows[i]);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* Line ends in text: CR LF, a lone CR and a lone LF count one each. */
static size_t count_line_ends(const char *s, size_t n)
{
	size_t i, ends = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			ends++;
		} else if (s[i] == '\r') {
			ends++;
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		}
	}
	return ends;
}

/* Trims ASCII blanks, and the ideographic space U+3000 that Chinese input methods leave. */
static char *trim_in_place(char *s)
{
	size_t n = strlen(s), start = 0;

	for (;;) {
		if (n > start && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		else if (n >= start + 3 && (unsigned char)s[n - 3] == 0xe3 && (unsigned char)s[n - 2] == 0x80 &&
			 (unsigned char)s[n - 1] == 0x80)
			n -= 3;
		else
			break;
	}
	for (;;) {
		if (start < n && (s[start] == ' ' || s[start] == '\t'))
			start++;
		else if (start + 3 <= n && (unsigned char)s[start] == 0xe3 && (unsigned char)s[start + 1] == 0x80 &&
			 (unsigned char)s[start + 2] == 0x80)
			start += 3;
		else
			break;
	}
	memmove(s, s + start, n - start);
	s[n - start] = '\0';
	return s;
}

struct parse_state {
	struct csv_table *t;
	struct csv_problems *probs;
	size_t max_rows;
	size_t line;		/* the line the parser has reached */
	int cr_seen;		/* the last line end reported was a CR: an LF right after it is the same end */
	int in_row;		/* cur has had a field */
	struct csv_row cur;
	size_t cur_cap;
	int too_many;		/* more than max_rows: stop */
	int failed;		/* a problem was added */
};

/* The name of field i for messages: the header's name, or "column N". */
static const char *column_label(const struct parse_state *ps, size_t i, char *tmp, size_t tmplen)
{
	if (ps->t->header.n > i && ps->t->header.fields[i][0])
		return ps->t->header.fields[i];
	snprintf(tmp, tmplen, "column %zu", i + 1);
	return tmp;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct parse_state *ps = ctx;
	int is_header = !ps->t->header.line;
	char tmp[32], *v;

	if (ps->too_many)
		return;
	ps->cr_seen = 0;
	if (!ps->in_row) {
		ps->in_row = 1;
		ps->cur.line = ps->line;
	}
	if (data)
		ps->line += count_line_ends(data, len);
	if (ps->cur.n >= ROW_MAX_FIELDS) {
		if (ps->cur.n == ROW_MAX_FIELDS && !ps->cur.bad) {
			csv_problem_add(ps->probs, ps->cur.line, NULL, "the row has more than %d fields", ROW_MAX_FIELDS);
			ps->cur.bad = 1;
			ps->failed = 1;
		}
		return;
	}
	if (len > CSV_MAX_FIELD_BYTES) {
		csv_problem_add(ps->probs, ps->cur.line, column_label(ps, ps->cur.n, tmp, sizeof(tmp)),
				"the value is longer than %d bytes", CSV_MAX_FIELD_BYTES);
		ps->cur.bad = 1;
		ps->failed = 1;
		v = xstrdup("");
	} else if (len && !utf8_valid_text(data, len)) {
		csv_problem_add(ps->probs, ps->cur.line, column_label(ps, ps->cur.n, tmp, sizeof(tmp)),
				"the value is not UTF-8 text or holds control characters (save the file as \"CSV UTF-8\")");
		ps->cur.bad = 1;
		ps->failed = 1;
		v = xstrdup("");
	} else {
		v = data ? xstrndup(data, len) : xstrdup("");
		trim_in_place(v);
		if (!is_header)
			csv_unguard(v);
	}
	YL_GROW(ps->cur.fields, ps->cur.n, ps->cur_cap);
	ps->cur.fields[ps->cur.n++] = v;
}

static int row_blank(const struct csv_row *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->fields[i][0])
			return 0;
	return 1;
}

static void drop_row(struct parse_state *ps)
{
	row_release(&ps->cur);
	ps->cur_cap = 0;
	ps->in_row = 0;
}

static void on_row_end(int c, void *ctx)
{
	struct parse_state *ps = ctx;
	struct csv_table *t = ps->t;

	if (c == '\n') {
		if (!ps->cr_seen)
			ps->line++;
		ps->cr_seen = 0;
	} else if (c == '\r') {
		ps->line++;
		ps->cr_seen = 1;
	}
	if (!ps->in_row || ps->too_many)
		return;
	if (!t->header.line) {
		t->header = ps->cur;
		memset(&ps->cur, 0, sizeof(ps->cur));
		ps->cur_cap = 0;
		ps->in_row = 0;
		return;
	}
	if (row_blank(&ps->cur) && !ps->cur.bad) {
		drop_row(ps);
		return;
	}
	if (t->nrows >= ps->max_rows) {
		csv_problem_add(ps->probs, ps->cur.line, NULL,
				"the file has more than %zu data rows: split it into several files", ps->max_rows);
		ps->too_many = 1;
		ps->failed = 1;
		drop_row(ps);
		return;
	}
	YL_GROW(t->rows, t->nrows, t->cap);
	t->rows[t->nrows++] = ps->cur;
	memset(&ps->cur, 0, sizeof(ps->cur));
	ps->cur_cap = 0;
	ps->in_row = 0;
}

/* Offset just past the line end at or after off (len when there is none). */
static size_t next_line_start(const char *text, size_t len, size_t off)
{
	while (off < len && text[off] != '\n' && text[off] != '\r')
		off++;
	if (off < len && text[off] == '\r')
		off++;
	if (off < len && text[off] == '\n')
		off++;
	return off;
}

int csv_parse_text(const char *text, size_t len, size_t max_rows, struct csv_table *t, struct csv_problems *probs)
{
	struct parse_state ps;
	struct csv_parser p;
	size_t pos = 0, counted_off = 0, counted_line = 1;

	memset(t, 0, sizeof(*t));
	memset(&ps, 0, sizeof(ps));
	ps.t = t;
	ps.probs = probs;
	ps.max_rows = max_rows;
	ps.line = 1;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = counted_off = 3;
	if (csv_init(&p, CSV_OPTIONS) != 0)
		fatal("out of memory");
	while (pos < len && !ps.too_many) {
		size_t used = csv_parse(&p, text + pos, len - pos, on_field, on_row_end, &ps);
		size_t err_off, err_line;

		if (used == len - pos && csv_error(&p) == CSV_SUCCESS)
			break;
		if (csv_error(&p) != CSV_EPARSE)
			fatal("csv parser: %s", csv_strerror(csv_error(&p)));
		err_off = pos + used;
		/* Count lines incrementally: errors only move forward. */
		counted_line += count_line_ends(text + counted_off, err_off - counted_off);
		counted_off = err_off;
		err_line = counted_line;
		if (text[err_off] == '\n' && err_off > 0 && text[err_off - 1] == '\r')
			err_line--;	/* the LF of a CR LF pair already counted */
		csv_problem_add(probs, err_line, NULL,
				"malformed quoting: a quote inside a value must be doubled (\"\") and a quoted value "
				"must end with a quote followed by a comma or the line end");
		ps.failed = 1;
		drop_row(&ps);
		csv_free(&p);
		if (csv_init(&p, CSV_OPTIONS) != 0)
			fatal("out of memory");
		pos = next_line_start(text, len, err_off);
		counted_line += count_line_ends(text + counted_off, pos - counted_off);
		counted_off = pos;
		ps.line = counted_line;
		ps.cr_seen = 0;
	}
	if (!ps.too_many && csv_fini(&p, on_field, on_row_end, &ps) != 0) {
		csv_problem_add(probs, ps.in_row ? ps.cur.line : ps.line, NULL,
				"a quoted value is not closed: its ending quote is missing");
		ps.failed = 1;
	}
	drop_row(&ps);
	csv_free(&p);
	if (!t->header.line && !ps.failed) {
		csv_problem_add(probs, 1, NULL, "the file is empty: it needs a header row naming the columns");
		ps.failed = 1;
	}
	return ps.failed ? -1 : 0;
}

/* ASCII case-insensitive equality (Chinese names compare exactly). */
static int name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return *a == *b;
}

static int spec_matches(const struct csv_column *c, const char *name)
{
	size_t i;

	if (name_eq(c->name, name))
		return 1;
	for (i = 0; c->aliases && c->aliases[i]; i++)
		if (name_eq(c->aliases[i], name))
			return 1;
	return 0;
}

int csv_header_map(struct csv_table *t, const struct csv_column *cols, size_t ncols, struct csv_header_map *m,
		   struct csv_problems *probs)
{
	struct buf known = BUF_INIT;
	size_t i, j, r;
	int failed = 0;

	if (ncols > CSV_MAX_COLUMNS)
		fatal("csv_header_map: %zu columns", ncols);
	memset(m, 0, sizeof(*m));
	for (j = 0; j < ncols; j++)
		m->idx[j] = -1;
	m->nfile = t->header.n;
	for (j = 0; j < ncols; j++)
		buf_addf(&known, "%s%s", j ? ", " : "", cols[j].name);
	for (i = 0; i < t->header.n; i++) {
		const char *name = t->header.fields[i];

		if (!name[0]) {
			for (r = 0; r < t->nrows; r++)
				if (t->rows[r].n > i && t->rows[r].fields[i][0])
					break;
			if (r < t->nrows) {
				csv_problem_add(probs, 1, NULL, "column %zu has values (line %zu) but no name in the header",
						i + 1, t->rows[r].line);
				failed = 1;
			}
			continue;
		}
		for (j = 0; j < ncols; j++)
			if (spec_matches(&cols[j], name))
				break;
		if (j == ncols) {
			csv_problem_add(probs, 1, name, "unknown column: the columns are %s", known.data);
			failed = 1;
		} else if (m->idx[j] >= 0) {
			csv_problem_add(probs, 1, name, "the column %s appears twice (columns %d and %zu)", cols[j].name,
					m->idx[j] + 1, i + 1);
			failed = 1;
		} else {
			m->idx[j] = (int)i;
			m->label[j] = name;
		}
	}
	for (j = 0; j < ncols; j++) {
		if (m->idx[j] < 0) {
			m->label[j] = cols[j].name;
			if (cols[j].required) {
				csv_problem_add(probs, 1, cols[j].name, "the required column %s is missing", cols[j].name);
				m->missing_required = 1;
				failed = 1;
			}
		}
	}
	for (r = 0; r < t->nrows; r++) {
		struct csv_row *row = &t->rows[r];

		if (row->n > t->header.n && !row->bad) {
			for (i = t->header.n; i < row->n; i++)
				if (row->fields[i][0])
					break;
			if (i < row->n) {
				csv_problem_add(probs, row->line, NULL, "the row has %zu fields but the header has %zu", row->n,
						t->header.n);
				row->bad = 1;
				failed = 1;
			}
		}
	}
	buf_release(&known);
	return failed ? -1 : 0;
}

const char *csv_value(const struct csv_header_map *m, const struct csv_row *row, size_t i)
{
	int idx = m->idx[i];

	if (idx < 0 || (size_t)idx >= row->n || !row->fields[idx][0])
		return NULL;
	return row->fields[idx];
}
