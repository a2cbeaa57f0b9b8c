/*
 * growth.c - growth between two figures and the months it compares (and the
 * checks of months and dates people give: not in the future): month on
 * month (环比, the month before) and year on year (同比, the same month a year
 * before).  Figures are fixed-point integers (万元 to the yuan); growth is an
 * integer of tenths of a percent, rounded half away from zero, as the
 * statistics office prints it ("+10.1%").  Nothing here is stored: growth is
 * computed whenever it is asked for (issue 15).
 */
#include "enterprise/enterprise.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

int enterprise_month_valid(const char *m)
{
	int y, mo;

	if (!m || strlen(m) != 7 || m[4] != '-' || strspn(m, "0123456789") != 4 || strspn(m + 5, "0123456789") != 2)
		return 0;
	y = (m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0');
	mo = (m[5] - '0') * 10 + (m[6] - '0');
	return y >= 1900 && mo >= 1 && mo <= 12;
}

/* YYYY-MM, a real month, not after the current month (Asia/Shanghai). */
int enterprise_month_check(const char *field, const char *m, struct fault *f)
{
	char today[11];

	if (!enterprise_month_valid(m))
		return fault_set(f, FAULT_INVALID, field, "%s must be a month as YYYY-MM", field);
	date_today_local(today);
	if (strncmp(m, today, 7) > 0)
		return fault_set(f, FAULT_INVALID, field, "%s must not be a month in the future", field);
	return 0;
}

/* A date as YYYY-MM-DD, not after today (Asia/Shanghai). */
int enterprise_past_date_check(const char *field, const char *d, struct fault *f)
{
	char today[11];

	if (date_valid(d) != 0)
		return fault_set(f, FAULT_INVALID, field, "%s must be a date as YYYY-MM-DD", field);
	date_today_local(today);
	if (strcmp(d, today) > 0)
		return fault_set(f, FAULT_INVALID, field, "%s must not be in the future", field);
	return 0;
}

int enterprise_month_add(const char *month, int delta, char out[8])
{
	int y, mo, n;

	if (!enterprise_month_valid(month))
		return -1;
	y = (month[0] - '0') * 1000 + (month[1] - '0') * 100 + (month[2] - '0') * 10 + (month[3] - '0');
	mo = (month[5] - '0') * 10 + (month[6] - '0');
	n = y * 12 + (mo - 1) + delta;
	if (n < 1900 * 12 || n > 9999 * 12 + 11)
		return -1;
	snprintf(out, 8, "%04d-%02d", n / 12, n % 12 + 1);
	return 0;
}

/*
 * (cur - prev) / prev in tenths of a percent.  No growth when the month
 * before is missing or zero (a figure from nothing is no percentage).
 * Exact while (cur - prev) * 1000 fits in 64 bits: differences up to about
 * 9 * 10^15 units, that is 9 * 10^11 万元, far beyond any subdistrict.
 */
int enterprise_growth_tenths(int64_t cur, int64_t prev, int64_t *out)
{
	int64_t num, q, r;

	if (prev == 0)
		return -1;
	num = (cur - prev) * 1000;
	q = num / prev;
	r = num % prev;
	/* Round half away from zero: compare twice the remainder with the divisor, signs aside. */
	if (r != 0) {
		int64_t r2 = r < 0 ? -r : r, d = prev < 0 ? -prev : prev;

		if (2 * r2 >= d)
			q += ((num < 0) != (prev < 0)) ? -1 : 1;
	}
	*out = q;
	return 0;
}

void enterprise_growth_format(int64_t tenths, char *out, size_t n)
{
	int64_t a = tenths < 0 ? -tenths : tenths;

	snprintf(out, n, "%s%lld.%lld", tenths < 0 ? "-" : "", (long long)(a / 10), (long long)(a % 10));
}
