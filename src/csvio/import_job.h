/*
 * import_job.h - imports as background jobs (migration 014): a submitted file
 * waits in import_jobs until a server's job thread takes it with a lease and
 * runs it off the request path, writing its progress and then its result
 * (text the caller gives: the api layer's JSON).  The actor is a snapshot of
 * the submitter.  Strings of struct import_job are owned; _release frees them.
 */
#ifndef YL_IMPORT_JOB_H
#define YL_IMPORT_JOB_H

#include "auth/auth.h"
#include "store/store.h"
#include "util/fault.h"

struct import_job {
	int64_t id;
	char kind[12];			/* hotline, nodes, persons */
	char state[12];			/* queued, running, done, failed */
	int dry_run;
	int all_or_nothing;
	int64_t bytes;
	int64_t rows_total, rows_checked, rows_done;
	char *result;			/* the answer as the runner kept it (JSON); NULL until finished */
	int64_t user_id;
	char *login;
	int64_t created_at, started_at, finished_at;
	/* Filled by import_job_claim only: */
	char *body;			/* the file */
	size_t body_len;
	struct actor actor;
};

void import_job_release(struct import_job *j);

int import_job_submit(struct store *s, const struct actor *a, const char *kind, const char *body, size_t len,
		      int dry_run, int all_or_nothing, int64_t *id, struct fault *f);
int import_job_get(struct store *s, int64_t id, struct import_job *out, struct fault *f);
/* The newest jobs of user_id (0: everyone's), at most limit; *n set. */
int import_job_list(struct store *s, int64_t user_id, int limit, struct import_job **out, size_t *n,
		    struct fault *f);
/* Takes the oldest job waiting (or abandoned: lease run out) for owner; 1 with *out, 0 none, -1. */
int import_job_claim(struct store *s, const char *owner, int64_t now, int lease, struct import_job *out,
		     struct fault *f);
/* Progress (rows checked, or written when checked is -1) in the caller's write transaction; renews the lease. */
int import_job_progress(struct store *s, int64_t id, const char *owner, int64_t checked, size_t done, size_t total,
			int64_t lease_until, struct fault *f);
/* The end: state done or failed, the result kept, the file dropped, an audit row; its own transaction. */
int import_job_finish(struct store *s, const struct import_job *j, int ok, const char *result, const char *detail,
		      struct fault *f);

#endif
