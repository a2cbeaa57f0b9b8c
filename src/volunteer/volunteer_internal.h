/* volunteer_internal.h - what the files of src/volunteer/ share and nobody else calls. */
#ifndef YL_VOLUNTEER_INTERNAL_H
#define YL_VOLUNTEER_INTERNAL_H

#include "volunteer/volunteer.h"

/* 1 when word is one of the comma-separated list. */
int vol_word_in(const char *word, const char *list);
/*
 * Ends the person's active place on an open shift (state given_up, swapped or
 * withdrawn), inside the caller's transaction: one fewer on the shift, its
 * staffing node again when it falls short.  *id (may be NULL): the place ended.
 */
int vol_end_place(struct store *s, int64_t shift_id, int64_t person_id, const char *state, int64_t *id, struct fault *f);
#define vol_withdraw(s, shift, person, state, f) vol_end_place((s), (shift), (person), (state), NULL, (f))
/* A local day "YYYY-MM-DD" of an instant. */
void vol_day_of(int64_t at, char out[11]);

#endif
