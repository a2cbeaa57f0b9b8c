/*
 * check.c - the shared input rules (check.h).
 */
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int check_text(const char *field, const char *v, size_t max_chars, enum text_rule rule, struct fault *f)
{
	if (!v) {
		if (rule == TEXT_REQUIRED)
			return fault_set(f, FAULT_INVALID, field, "%s is required", field);
		return 0;
	}
	if (!utf8_valid_text(v, strlen(v)))
		return fault_set(f, FAULT_INVALID, field, "%s must be text without control characters", field);
	if (rule != TEXT_OPTIONAL && text_blank(v))
		return fault_set(f, FAULT_INVALID, field, "%s must not be blank", field);
	if (utf8_length(v) > max_chars)
		return fault_set(f, FAULT_INVALID, field, "%s is longer than %zu characters", field, max_chars);
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int phone_valid(const char *s, size_t n)
{
	const char *dash;

	if (n == 11 && all_digits(s, n) && s[0] == '1' && s[1] >= '3' && s[1] <= '9')
		return 1;
	if (n == 0 || s[0] != '0')
		return 0;
	/* Area codes are 3 or 4 digits with the leading 0 (010, 0531); local numbers 7 or 8 digits. */
	dash = memchr(s, '-', n);
	if (dash) {
		size_t area = (size_t)(dash - s), local = n - area - 1;

		return area >= 3 && area <= 4 && local >= 7 && local <= 8 && all_digits(s, area) &&
		       all_digits(dash + 1, local);
	}
	return n >= 10 && n <= 12 && all_digits(s, n);
}

int phone_normalise(const char *field, const char *in, char **out, struct fault *f)
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
	if (!phone_valid(b.data, b.len)) {
		buf_release(&b);
		return fault_set(f, FAULT_INVALID, field,
				 "%s must be a mobile number (11 digits from 13 to 19) or a landline such as 0531-88888888",
				 field);
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

int idno_valid(const char *s)
{
	/* GB 11643-1999: weights 2^(17-i) mod 11, check "10X98765432" by the sum mod 11. */
	static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char check[] = "10X98765432";
	char date[11];
	int i, sum = 0;

	if (!s || strlen(s) != 18)
		return 0;
	for (i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		sum += (s[i] - '0') * weights[i];
	}
	if (s[17] != check[sum % 11] && !(check[sum % 11] == 'X' && s[17] == 'x'))
		return 0;
	snprintf(date, sizeof(date), "%.4s-%.2s-%.2s", s + 6, s + 10, s + 12);
	return date_valid(date) == 0;
}

int uscc_valid(const char *s)
{
	/* GB 32100-2015: 31 characters, weights 3^(i-1) mod 31. */
	static const char chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int weights[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
	int i, sum = 0, c;

	if (!s || strlen(s) != 18)
		return 0;
	for (i = 0; i < 18; i++)
		if (!strchr(chars, s[i]))
			return 0;
	for (i = 0; i < 17; i++)
		sum += (int)(strchr(chars, s[i]) - chars) * weights[i];
	c = 31 - sum % 31;
	if (c == 31)
		c = 0;
	return s[17] == chars[c];
}

int money_parse(const char *s, enum money_scale scale, int64_t *out)
{
	int64_t v = 0, unit = 1;
	int neg = 0, places = 0, digits = 0, i;

	for (i = 0; i < (int)scale; i++)
		unit *= 10;
	if (!s)
		return -1;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (v > (INT64_MAX / unit - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (!digits)
		return -1;
	v *= unit;
	if (*s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (++places > (int)scale)
				return -1;
			unit /= 10;
			v += (*s - '0') * unit;
		}
		if (!places)
			return -1;
	}
	if (*s)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

void money_format(int64_t v, enum money_scale scale, char *out, size_t outlen)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, unit = 1;
	uint64_t rest;
	char frac[8];
	int i, n = (int)scale;

	for (i = 0; i < n; i++)
		unit *= 10;
	rest = a % unit;
	for (i = n - 1; i >= 0; i--, rest /= 10)
		frac[i] = (char)('0' + rest % 10);
	frac[n] = '\0';
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	snprintf(out, outlen, "%s%llu%s%s", v < 0 ? "-" : "", (unsigned long long)(a / unit), n ? "." : "", frac);
}

size_t digits_read(const char *s, size_t max, int *out)
{
	size_t i = 0;
	int v = 0;

	while (i < max && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (s[i++] - '0');
	*out = v;
	return i;
}

int time_parse(const char *s, unsigned flags, int64_t *out)
{
	int loose = (flags & TIME_SLASH_DATE) != 0, y, mo, d, h, mi, sec = 0, oh = 8, om = 0, sign = 1;
	size_t i, n;
	char sep, date[24];
	struct tm tm;

	if (!s || digits_read(s, 4, &y) != 4)
		return -1;
	i = 4;
	sep = s[i];
	if (sep != '-' && !(loose && sep == '/'))
		return -1;
	i++;
	if ((n = digits_read(s + i, 2, &mo)) == 0 || (!loose && n != 2) || s[i + n] != sep)
		return -1;
	i += n + 1;
	if ((n = digits_read(s + i, 2, &d)) == 0 || (!loose && n != 2))
		return -1;
	i += n;
	snprintf(date, sizeof(date), "%04d-%02d-%02d", y, mo, d);
	if (date_valid(date) != 0)
		return -1;
	/* Between date and time. */
	if (flags & TIME_T_ONLY) {
		if (s[i++] != 'T')
			return -1;
	} else if (s[i] != ' ' && s[i] != 'T') {
		return -1;
	} else if (flags & TIME_SEP_RUN) {
		while (s[i] == ' ' || s[i] == 'T')
			i++;
	} else {
		i++;
	}
	/* The clock. */
	if ((n = digits_read(s + i, 2, &h)) == 0 || (!loose && n != 2) || s[i + n] != ':')
		return -1;
	i += n + 1;
	if (digits_read(s + i, 2, &mi) != 2)
		return -1;
	i += 2;
	if (s[i] == ':') {
		if (digits_read(s + i + 1, 2, &sec) != 2)
			return -1;
		i += 3;
	} else if (!(flags & TIME_NO_SECONDS)) {
		return -1;
	}
	if (h > 23 || mi > 59 || sec > 59)
		return -1;
	if ((flags & TIME_FRACTION) && s[i] == '.') {
		if (s[++i] < '0' || s[i] > '9')
			return -1;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	}
	/* The zone: none is Asia/Shanghai. */
	if (s[i] == '\0') {
		if (flags & TIME_ZONE_NEEDED)
			return -1;
	} else if (!(flags & (TIME_ZONE | TIME_ZONE_NEEDED))) {
		return -1;
	} else if (s[i] == 'Z' && s[i + 1] == '\0') {
		oh = 0;
	} else if ((s[i] == '+' || s[i] == '-') && strlen(s + i) == 6 && s[i + 3] == ':') {
		if (digits_read(s + i + 1, 2, &oh) != 2 || digits_read(s + i + 4, 2, &om) != 2 || oh > 14 || om > 59)
			return -1;
		sign = s[i] == '-' ? -1 : 1;
	} else {
		return -1;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60);
	return 0;
}

int ascii_token_valid(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0, i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

int yesno_parse(const char *s, int *out)
{
	static const char *const yes[] = { "是", "yes", "true", "y", "1" };
	static const char *const no[] = { "否", "no", "false", "n", "0" };
	size_t i;

	for (i = 0; s && i < YL_ARRAY_LEN(yes); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}
