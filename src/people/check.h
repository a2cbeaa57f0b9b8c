/*
 * check.h - input checks and small store helpers shared by the people files.
 * Internal to src/people/: the contract for other modules is people.h.
 *
 * Every check returns 0, or -1 with the fault filled and naming the field.
 */
#ifndef YL_PEOPLE_CHECK_H
#define YL_PEOPLE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/check.h"
#include "util/fault.h"

/* A real calendar date as YYYY-MM-DD (NULL passes). */
int people_check_date(const char *field, const char *v, struct fault *f);
/* Dictionary codes: [a-z0-9_]{1,40}. */
int people_code_valid(const char *code);

#endif
