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
#include "util/fault.h"

/* Text of at most max_chars characters; required: present and not blank. NULL passes when not required. */
int people_check_text(const char *field, const char *v, size_t max_chars, int required, struct fault *f);
/* A real calendar date as YYYY-MM-DD (NULL passes). */
int people_check_date(const char *field, const char *v, struct fault *f);
/* Dictionary codes: [a-z0-9_]{1,40}. */
int people_code_valid(const char *code);
/*
 * Phones are stored as given without spaces: a mainland mobile (1[3-9] and 9
 * more digits) or a landline (0 and a 2-3 digit area code, an optional '-', and
 * 7 or 8 digits).  *out is NULL for NULL or blank input, else a new string.
 */
int people_phone_normalise(const char *in, char **out, struct fault *f);

char *people_dup(const char *s);		/* NULL stays NULL */
/* Steps a statement that returns no rows and gives it back: STORE_OK or the error. */
int people_exec(struct store_stmt *st);
/* Grows *items (of size elem) so that one more fits; cap holds the capacity. */
void *people_grow(void *items, size_t n, size_t *cap, size_t elem);

#endif
