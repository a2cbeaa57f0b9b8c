/*
 * unit.h - what every cmocka unit test includes.  Tests mirror src/ and may
 * #include the .c file they test to reach its static functions.
 */
#ifndef YL_UNIT_H
#define YL_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "org/org.h"

/* A fresh migrated SQLite database in a temporary file; removed by unit_db_close(). */
struct store;
struct store *unit_db_open(void);
void unit_db_close(struct store *s);

/*
 * unit_fixture.c: a node made through org_node_create (courtyards residential),
 * failing the test if refused; an actor with comma-separated permissions; the
 * shipped calendars (share/calendar/, run from the project root); a local time
 * "YYYY-MM-DD[ HH:MM[:SS]]" in Asia/Shanghai as unix seconds, and back as
 * "YYYY-MM-DDTHH:MM:SS+08:00" (four buffers in turn).
 */
int64_t unit_node(struct store *s, int64_t parent, enum node_level level, const char *name);
void unit_actor(struct actor *a, int64_t uid, const char *login, int64_t scope, const char *perms);
void unit_load_calendars(struct store *s);
/* share/calendar/YEAR.csv parsed into cf (release it); 0 when the file is not there. */
struct calendar_file;
int unit_calendar_file(int year, struct calendar_file *cf);
int64_t unit_local(const char *text);
const char *unit_shown(int64_t at);

#endif
