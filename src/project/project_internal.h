/* project_internal.h - what the files of src/project/ share and nobody else calls. */
#ifndef YL_PROJECT_INTERNAL_H
#define YL_PROJECT_INTERNAL_H

#include "project/project.h"

/* One row of the stage history, inside the caller's transaction (project.c). */
int project_stage_record(struct store *s, int64_t id, const char *stage, const char *build_kind, const char *on,
			 const char *reason, int64_t by_user, struct fault *f);
/* A real date YYYY-MM-DD, not after today in Asia/Shanghai (project.c). */
int project_past_date(const char *field, const char *d, struct fault *f);
/* The time node of a ledger row: due at the end of due_on, counted from the start of from_on (calendar days). */
int project_time_node_open(struct store *s, const char *kind, int64_t ref_id, const char *title, int64_t node_id,
			   int64_t user_id, const char *from_on, const char *due_on, struct fault *f);

#endif
