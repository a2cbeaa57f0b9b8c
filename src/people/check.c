/*
 * check.c - input checks shared by persons, roles, assignments and care links.
 */
#include "people/check.h"
#include "util/util.h"

#include <string.h>

int people_check_text(const char *field, const char *v, size_t max_chars, int required, struct fault *f)
{
	const char *p;

	if (!v) {
		if (required)
			return fault_set(f, FAULT_INVALID, field, "%s is required", field);
		return 0;
	}
	if (!utf8_valid_text(v, strlen(v)))
		return fault_set(f, FAULT_INVALID, field, "%s must be text without control characters", field);
	for (p = v; *p == ' ' || *p == '\t'; p++)
		;
	if (!*p)
		return fault_set(f, FAULT_INVALID, field, "%s must not be blank", field);
	if (utf8_length(v) > max_chars)
		return fault_set(f, FAULT_INVALID, field, "%s is longer than %zu characters", field, max_chars);
	return 0;
}

int people_check_date(const char *field, const char *v, struct fault *f)
{
	if (v && date_valid(v) < 0)
		return fault_set(f, FAULT_INVALID, field, "%s must be a date as YYYY-MM-DD", field);
	return 0;
}

int people_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0, i;

	if (n == 0 || n > 40)
		return 0;
	for (i = 0; i < n; i++)
		if (!((code[i] >= 'a' && code[i] <= 'z') || (code[i] >= '0' && code[i] <= '9') || code[i] == '_'))
			return 0;
	return 1;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int mobile_valid(const char *s, size_t n)
{
	return n == 11 && all_digits(s, n) && s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

/* Area codes are 3 or 4 digits with the leading 0 (010, 0531); local numbers 7 or 8 digits. */
static int landline_valid(const char *s, size_t n)
{
	const char *dash = memchr(s, '-', n);

	if (n == 0 || s[0] != '0')
		return 0;
	if (dash) {
		size_t area = (size_t)(dash - s), local = n - area - 1;

		return area >= 3 && area <= 4 && local >= 7 && local <= 8 && all_digits(s, area) &&
		       all_digits(dash + 1, local);
	}
	return n >= 10 && n <= 12 && all_digits(s, n);
}

int people_phone_normalise(const char *in, char **out, struct fault *f)
{
	struct buf b = BUF_INIT;
	const char *p;

	*out = NULL;
	if (!in)
		return 0;
	buf_init(&b);
	for (p = in; *p; p++)
		if (*p != ' ')
			buf_addch(&b, *p);
	if (b.len == 0) {
		buf_release(&b);
		return 0;
	}
	if (!mobile_valid(b.data, b.len) && !landline_valid(b.data, b.len)) {
		buf_release(&b);
		return fault_set(f, FAULT_INVALID, "phone",
				 "phone must be a mobile number (11 digits from 13 to 19) or a landline such as 0531-88888888");
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

char *people_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int people_exec(struct store_stmt *st)
{
	int rc = store_step(st);

	store_done(st);
	return rc == STORE_DONE || rc == STORE_ROW ? STORE_OK : rc;
}

void *people_grow(void *items, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return items;
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(items, *cap * elem);
}
