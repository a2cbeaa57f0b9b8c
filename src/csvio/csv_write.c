/*
 * csv_write.c - RFC 4180 output: quoting, CRLF record ends, the BOM, and the
 * guard against formula injection.
 *
 * Spreadsheets run a cell that starts with = + - or @ as a formula, so a name
 * typed as "=HYPERLINK(...)" would become a live link in the exported file
 * (OWASP "CSV injection").  Such text is written with a leading apostrophe,
 * which Excel shows as text; the import takes exactly one apostrophe off a
 * value that starts with an apostrophe and one of = + - @ ', so an export reads
 * back unchanged.  Numbers ("-12.5", "+8613...") are left alone.
 */
#include "csvio/csvio.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_put_bom(struct buf *b)
{
	buf_add(b, "\xef\xbb\xbf", 3);
}

static int formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@';
}

static int is_number(const char *s)
{
	char *end;

	if (!*s)
		return 0;
	(void)strtod(s, &end);
	return *end == '\0' && end != s;
}

static int needs_guard(const char *s)
{
	if (formula_start(s[0]))
		return !is_number(s);
	return s[0] == '\'' && (formula_start(s[1]) || s[1] == '\'');
}

void csv_unguard(char *s)
{
	if (s[0] == '\'' && (formula_start(s[1]) || s[1] == '\''))
		memmove(s, s + 1, strlen(s));
}

void csv_put_field(struct buf *b, const char *s)
{
	const char *p;
	int guard;

	if (!s || !*s)
		return;
	guard = needs_guard(s);
	/* Leading or trailing blanks are quoted so that no reader trims them. */
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && s[strlen(s) - 1] != ' ') {
		if (guard)
			buf_addch(b, '\'');
		buf_adds(b, s);
		return;
	}
	buf_addch(b, '"');
	if (guard)
		buf_addch(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			buf_addch(b, '"');
		buf_addch(b, *p);
	}
	buf_addch(b, '"');
}

void csv_put_row(struct buf *b, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_addch(b, ',');
		csv_put_field(b, fields[i]);
	}
	buf_add(b, "\r\n", 2);
}

void csv_format_double(double v, char *out, size_t outlen)
{
	int prec;

	if (!isfinite(v)) {
		snprintf(out, outlen, "%s", "");
		return;
	}
	for (prec = 6; prec <= 17; prec++) {
		snprintf(out, outlen, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}
