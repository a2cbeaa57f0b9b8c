/*
 * provisional.c - the calendar of a year whose official schedule is not loaded.
 *
 * The State Council publishes each year's holidays and swapped working days
 * in the November before; until an administrator loads them, deadlines that
 * reach into that year are counted on this calendar instead of being refused
 * (a resident's request is never turned away for a missing file), and every
 * such deadline is marked provisional (calendar.h).
 *
 * The rule is the national regulation, 全国年节及纪念日放假办法 as amended in
 * 2024 (国务院令第 795 号):
 *   第二条  元旦 1 day (1 January); 春节 4 days (除夕 and 正月初一 to 初三);
 *           清明节 1 day (the day of the solar term); 劳动节 2 days (1–2 May);
 *           端午节 1 day (五月初五); 中秋节 1 day (八月十五); 国庆节 3 days (1–3 October).
 *   第六条  a holiday of all citizens that falls on a Saturday or Sunday is
 *           given back on a working day (补假): here the first Monday-to-Friday
 *           day after it that is not a holiday itself.
 * What it cannot know is the State Council's 调休 — the weekends worked to make
 * longer breaks — so a provisional year has no swapped working days, and its
 * breaks are shorter than the official ones: deadlines on it come out the
 * same or earlier, never later, until the official year replaces it.
 *
 * The lunar dates come from festivals.c, generated from Debian's
 * python3-lunardate for 1901..2099; 清明 is the solar term by the usual
 * formula ([Y·0.2422 + C] − [Y/4], C = 5.59 in the 20th century and 4.81 in
 * the 21st; it gives every 清明 of the shipped official years).  Outside
 * 1901..2099 a provisional year has the fixed-date holidays only.
 */
#include "calendar/calendar_internal.h"

#include <string.h>

static void mark(int32_t jan1, int32_t day, unsigned char kind[366], const char *names[366], const char *name)
{
	int32_t i = day - jan1;

	if (i < 0 || i >= 366)
		return;
	kind[i] = CALENDAR_HOLIDAY;
	if (names)
		names[i] = name;
}

/* 清明: the day of the solar term (Sun at 15°), by the 寿星 formula. */
static int qingming_day(int year)
{
	int y = year >= 2000 ? year - 2000 : year - 1900;
	double c = year >= 2000 ? 4.81 : 5.59;

	return (int)(y * 0.2422 + c) - y / 4;
}

void calendar_provisional_kinds(int year, unsigned char kind[366], const char *names[366])
{
	int32_t jan1 = calendar_day_from_ymd(year, 1, 1), len = calendar_day_from_ymd(year + 1, 1, 1) - jan1, d, i;
	unsigned char statutory[366];

	memset(kind, CALENDAR_NONE, 366);
	if (names)
		memset(names, 0, 366 * sizeof(*names));
	mark(jan1, jan1, kind, names, "元旦");
	if (year >= calendar_festivals_first && year <= calendar_festivals_last) {
		const unsigned char *f = calendar_festivals[year - calendar_festivals_first];
		int32_t spring = calendar_day_from_ymd(year, f[0], f[1]);

		/* 除夕 is the day before 初一 (it may be in the year before: then it is that year's). */
		for (d = spring - 1; d <= spring + 2; d++)
			mark(jan1, d, kind, names, "春节");
		mark(jan1, calendar_day_from_ymd(year, 4, qingming_day(year)), kind, names, "清明节");
		mark(jan1, calendar_day_from_ymd(year, f[2], f[3]), kind, names, "端午节");
		mark(jan1, calendar_day_from_ymd(year, f[4], f[5]), kind, names, "中秋节");
	}
	/* 除夕 of next year's 春节 can fall on 31 December of this one. */
	if (year + 1 >= calendar_festivals_first && year + 1 <= calendar_festivals_last) {
		const unsigned char *f = calendar_festivals[year + 1 - calendar_festivals_first];

		mark(jan1, calendar_day_from_ymd(year + 1, f[0], f[1]) - 1, kind, names, "春节");
	}
	mark(jan1, calendar_day_from_ymd(year, 5, 1), kind, names, "劳动节");
	mark(jan1, calendar_day_from_ymd(year, 5, 2), kind, names, "劳动节");
	for (d = 1; d <= 3; d++)
		mark(jan1, calendar_day_from_ymd(year, 10, d), kind, names, "国庆节");

	/* 第六条: a holiday on a Saturday or Sunday is given back on the next free working day. */
	memcpy(statutory, kind, sizeof(statutory));
	for (i = 0; i < len; i++) {
		if (statutory[i] != CALENDAR_HOLIDAY || calendar_weekday(jan1 + i) <= 5)
			continue;
		for (d = jan1 + i + 1; d - jan1 < len; d++) {
			if (calendar_weekday(d) <= 5 && kind[d - jan1] != CALENDAR_HOLIDAY) {
				mark(jan1, d, kind, names, "补假");
				break;
			}
		}
	}
}
