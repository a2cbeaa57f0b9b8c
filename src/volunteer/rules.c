/*
 * rules.c - the rules of a roster that need no store (issue 16): times and
 * weeks, the repeat rule, the conflict rules of a sign-up, and the hours and
 * points arithmetic.  tests/unit/test_volunteer.c tests each of them alone.
 */
#include "volunteer/volunteer.h"
#include "calendar/calendar.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int volunteer_time_parse(const char *field, const char *text, int64_t *out, struct fault *f)
{
	if (!text || time_parse(text, TIME_SEP_RUN | TIME_NO_SECONDS | TIME_ZONE, out) < 0)
		return fault_set(f, FAULT_INVALID, field, "%s is a local time YYYY-MM-DD HH:MM (or ISO 8601 with a zone)",
				 field);
	return 0;
}

int volunteer_hhmm_parse(const char *field, const char *text, int *minutes, struct fault *f)
{
	int h, m;

	if (!text || strlen(text) != 5 || digits_read(text, 2, &h) != 2 || text[2] != ':' ||
	    digits_read(text + 3, 2, &m) != 2 || h > 23 || m > 59)
		return fault_set(f, FAULT_INVALID, field, "%s is a time of day HH:MM", field);
	*minutes = h * 60 + m;
	return 0;
}

void volunteer_week(int64_t at, int64_t *from, int64_t *to)
{
	int32_t day = calendar_day_of(at);
	int32_t monday = day - (calendar_weekday(day) - 1);

	*from = calendar_day_start(monday);
	*to = calendar_day_start(monday + 7);
}

int volunteer_repeat_expand(const struct vol_repeat *r, struct vol_slot **out, size_t *n, struct fault *f)
{
	int32_t from, until, d;
	int start, end, wanted[8] = { 0 };
	size_t cap = 0;
	const char *w;

	*out = NULL;
	*n = 0;
	if (!r->from_on || calendar_day_parse(r->from_on, &from) < 0)
		return fault_set(f, FAULT_INVALID, "from_on", "from_on is a date YYYY-MM-DD");
	if (!r->until_on || calendar_day_parse(r->until_on, &until) < 0)
		return fault_set(f, FAULT_INVALID, "until_on", "until_on is a date YYYY-MM-DD");
	if (until < from)
		return fault_set(f, FAULT_INVALID, "until_on", "until_on comes before from_on");
	if (until - from + 1 > VOL_SERIES_DAYS)
		return fault_set(f, FAULT_INVALID, "until_on", "a repeat rule spans at most %d days", VOL_SERIES_DAYS);
	if (!r->weekdays || !*r->weekdays || strlen(r->weekdays) > 7)
		return fault_set(f, FAULT_INVALID, "weekdays", "weekdays lists ISO weekdays 1 (Monday) to 7 (Sunday): \"1234567\"");
	for (w = r->weekdays; *w; w++) {
		if (*w < '1' || *w > '7' || wanted[*w - '0'])
			return fault_set(f, FAULT_INVALID, "weekdays",
					 "weekdays lists ISO weekdays 1 (Monday) to 7 (Sunday), each once");
		wanted[*w - '0'] = 1;
	}
	if (volunteer_hhmm_parse("start", r->start, &start, f) < 0 || volunteer_hhmm_parse("end", r->end, &end, f) < 0)
		return -1;
	if (end <= start)
		return fault_set(f, FAULT_INVALID, "end", "the shift ends (%s) before it starts (%s)", r->end, r->start);
	for (d = from; d <= until; d++) {
		struct vol_slot *sl;

		if (!wanted[calendar_weekday(d)])
			continue;
		if (*n == VOL_SERIES_MAX) {
			free(*out);
			*out = NULL;
			*n = 0;
			return fault_set(f, FAULT_INVALID, "until_on", "a repeat rule makes at most %d shifts", VOL_SERIES_MAX);
		}
		YL_GROW(*out, *n, cap);
		sl = &(*out)[(*n)++];
		memset(sl, 0, sizeof(*sl));
		sl->starts_at = calendar_day_start(d) + (int64_t)start * 60;
		sl->ends_at = calendar_day_start(d) + (int64_t)end * 60;
	}
	return 0;
}

static void hhmm(int64_t at, char out[6])
{
	char t[40];

	time_format_local(at, t, sizeof(t));
	snprintf(out, 6, "%.5s", t + 11);
}

int volunteer_signup_rules(const struct vol_signup_case *c, struct fault *f)
{
	int64_t week_from, week_to, minutes;
	size_t i;

	if (c->already)
		return fault_set(f, FAULT_CONFLICT, "person_id", "the person is on this shift already");
	if (c->filled >= c->people)
		return fault_set(f, FAULT_CONFLICT, "id", "the shift is full (%d of %d)", c->filled, c->people);
	if (!c->person_party && c->party_needed > c->party_filled &&
	    c->people - c->filled <= c->party_needed - c->party_filled)
		return fault_set(f, FAULT_CONFLICT, "person_id",
				 "the places left are kept for the party members the shift needs (%d more)",
				 c->party_needed - c->party_filled);
	for (i = 0; i < c->nothers; i++) {
		const struct vol_slot *o = &c->others[i];

		if (o->starts_at < c->ends_at && o->ends_at > c->starts_at) {
			char a[6], b[6];

			hhmm(o->starts_at, a);
			hhmm(o->ends_at, b);
			return fault_set(f, FAULT_CONFLICT, "person_id", "two shifts at once: the person is on shift %lld (%s-%s)",
					 (long long)o->shift_id, a, b);
		}
	}
	if (c->weekly_limit_minutes > 0) {
		volunteer_week(c->starts_at, &week_from, &week_to);
		minutes = (c->ends_at - c->starts_at) / 60;
		for (i = 0; i < c->nothers; i++)
			if (c->others[i].starts_at >= week_from && c->others[i].starts_at < week_to)
				minutes += (c->others[i].ends_at - c->others[i].starts_at) / 60;
		if (minutes > c->weekly_limit_minutes)
			return fault_set(f, FAULT_CONFLICT, "person_id",
					 "over the weekly limit: %lld minutes that week, the team allows %d",
					 (long long)minutes, c->weekly_limit_minutes);
	}
	return 0;
}

int64_t volunteer_minutes_served(int64_t starts_at, int64_t ends_at, int64_t check_in, int64_t check_out)
{
	int64_t from, to;

	if (!check_in)
		return 0;
	from = check_in > starts_at ? check_in : starts_at;
	to = check_out && check_out < ends_at ? check_out : ends_at;
	return to > from ? (to - from) / 60 : 0;
}

int64_t volunteer_points_for(int64_t minutes, int points_per_hour)
{
	int64_t v = (minutes < 0 ? -minutes : minutes) * points_per_hour;

	v = (v + 30) / 60;
	return minutes < 0 ? -v : v;
}

const char *volunteer_attendance(int64_t starts_at, int64_t check_in)
{
	if (!check_in)
		return "no_show";
	return check_in > starts_at + VOL_LATE_GRACE ? "late" : "present";
}
