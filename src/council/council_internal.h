/* council_internal.h - what the files of src/council/ share and nobody else calls. */
#ifndef YL_COUNCIL_INTERNAL_H
#define YL_COUNCIL_INTERNAL_H

#include "council/council.h"

/* A real date YYYY-MM-DD (field names it). */
int council_date(const char *field, const char *d, struct fault *f);
/* An active user of the subdistrict (field names the body's key). */
int council_user_check(struct store *s, int64_t subdistrict_id, int64_t user_id, const char *field, struct fault *f);
/* The node's subdistrict and level, or 400 naming field when it does not exist. */
int council_node_of(struct store *s, int64_t node_id, const char *field, int64_t *subdistrict, int *level,
		    struct fault *f);
/* Current members of a council (joined on or before day, not left on or before it). */
int council_members_on(struct store *s, int64_t council_id, const char *day, int64_t *n, struct fault *f);
/* 1 when member_id is a member of council_id current on day; 0 when not. -1 on a store error. */
int council_member_current(struct store *s, int64_t council_id, int64_t member_id, const char *day, struct fault *f);

#endif
