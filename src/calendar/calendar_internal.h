/*
 * calendar_internal.h - what the calendar's own files share: the table of the
 * lunar festivals (festivals.c, generated) and the provisional calendar
 * (provisional.c).  Not for other modules: they ask calendar.h.
 */
#ifndef YL_CALENDAR_INTERNAL_H
#define YL_CALENDAR_INTERNAL_H

#include <stdint.h>

#include "calendar/calendar.h"

/* festivals.c: per year from calendar_festivals_first, month and day of 春节 (正月初一), 端午, 中秋. */
extern const int calendar_festivals_first, calendar_festivals_last;
extern const unsigned char calendar_festivals[][6];

/*
 * The provisional calendar of year: kind[i] is the kind of the day jan1 + i
 * (CALENDAR_HOLIDAY or CALENDAR_NONE; it never has a swapped working day).
 * names[i], when names is not NULL, is the holiday's name (static) or NULL.
 */
void calendar_provisional_kinds(int year, unsigned char kind[366], const char *names[366]);

#endif
