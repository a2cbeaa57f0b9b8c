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

/* A fresh migrated SQLite database in a temporary file; removed by unit_db_close(). */
struct store;
struct store *unit_db_open(void);
void unit_db_close(struct store *s);

#endif
