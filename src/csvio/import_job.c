/*
 * import_job.c - the import_jobs table (import_job.h).  A claim is one
 * conditional UPDATE of the lease (as the webhook outbox does it), so two
 * servers never run one job at once; a job whose server died is taken again
 * when its lease runs out.
 */
#include "csvio/import_job.h"
#include "auth/audit.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void import_job_release(struct import_job *j)
{
	free(j->result);
	free(j->login);
	free(j->body);
	memset(j, 0, sizeof(*j));
}

static const char SQL_JOB_INSERT[] =
	"INSERT INTO import_jobs (kind, state, dry_run, all_or_nothing, bytes, user_id, login, role,"
	" scope_node_id, permissions, remote, created_at) VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/* The file beside the job, not in its row (016_import_job_files.sql). */
static const char SQL_FILE_INSERT[] = "INSERT INTO import_job_files (job_id, body) VALUES (?, ?)";
static const char SQL_FILE_DELETE[] = "DELETE FROM import_job_files WHERE job_id = ?";

int import_job_submit(struct store *s, const struct actor *a, const char *kind, const char *body, size_t len,
		      int dry_run, int all_or_nothing, int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	struct buf perms = BUF_INIT;
	int i, rc;

	if (strcmp(kind, "hotline") && strcmp(kind, "nodes") && strcmp(kind, "persons"))
		return fault_set(f, FAULT_INVALID, "kind", "an import is of hotline, nodes or persons");
	if (!len)
		return fault_set(f, FAULT_INVALID, "body", "the file is empty");
	buf_init(&perms);
	for (i = 0; i < a->nperms; i++)
		buf_addf(&perms, "%s%s", i ? "," : "", a->perms[i]);
	if ((rc = store_begin_write(s)) != STORE_OK) {
		buf_release(&perms);
		return store_fault(s, rc, f);
	}
	st = store_prepare(s, SQL_JOB_INSERT);
	store_bind_text(st, 1, kind);
	store_bind_int64(st, 2, dry_run ? 1 : 0);
	store_bind_int64(st, 3, all_or_nothing ? 1 : 0);
	store_bind_int64(st, 4, (int64_t)len);
	store_bind_id(st, 5, a->user_id);
	store_bind_text(st, 6, a->login);
	store_bind_text(st, 7, a->role);
	store_bind_id(st, 8, a->scope_node_id);
	store_bind_text(st, 9, perms.data);
	store_bind_text(st, 10, a->remote);
	store_bind_int64(st, 11, (int64_t)time(NULL));
	rc = store_step(st);
	store_done(st);
	if (rc == STORE_DONE) {
		*id = store_last_id(s);
		st = store_prepare(s, SQL_FILE_INSERT);
		store_bind_int64(st, 1, *id);
		store_bind_blob(st, 2, body, len);
		rc = store_step(st);
		store_done(st);
	}
	buf_release(&perms);
	if (rc != STORE_DONE) {
		store_rollback(s);
		return store_fault(s, rc, f);
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

#define JOB_COLUMNS \
	"id, kind, state, dry_run, all_or_nothing, bytes, rows_total, rows_done, result, user_id, login, created_at," \
	" started_at, finished_at, rows_checked"

static void read_job(struct store_stmt *st, struct import_job *j)
{
	const char *result = store_column_text(st, 8);

	memset(j, 0, sizeof(*j));
	j->id = store_column_int64(st, 0);
	snprintf(j->kind, sizeof(j->kind), "%s", store_column_text(st, 1));
	snprintf(j->state, sizeof(j->state), "%s", store_column_text(st, 2));
	j->dry_run = store_column_int64(st, 3) != 0;
	j->all_or_nothing = store_column_int64(st, 4) != 0;
	j->bytes = store_column_int64(st, 5);
	j->rows_total = store_column_int64(st, 6);
	j->rows_done = store_column_int64(st, 7);
	j->result = result ? xstrdup(result) : NULL;
	j->user_id = store_column_int64(st, 9);
	j->login = xstrdup(store_column_text(st, 10));
	j->created_at = store_column_int64(st, 11);
	j->started_at = store_column_int64(st, 12);
	j->finished_at = store_column_int64(st, 13);
	j->rows_checked = store_column_int64(st, 14);
}

static const char SQL_JOB_GET[] = "SELECT " JOB_COLUMNS " FROM import_jobs WHERE id = ?";

int import_job_get(struct store *s, int64_t id, struct import_job *out, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_JOB_GET);
	int rc;

	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc == STORE_ROW)
		read_job(st, out);
	store_done(st);
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, NULL, "import job %lld does not exist", (long long)id);
	return rc == STORE_ROW ? 0 : store_fault(s, rc, f);
}

static const char SQL_JOB_LIST[] =
	"SELECT " JOB_COLUMNS " FROM import_jobs WHERE (CAST(? AS INTEGER) = 0 OR user_id = ?) ORDER BY id DESC LIMIT ?";

int import_job_list(struct store *s, int64_t user_id, int limit, struct import_job **out, size_t *n,
		    struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_JOB_LIST);
	int rc;

	*out = NULL;
	*n = 0;
	store_bind_int64(st, 1, user_id);
	store_bind_int64(st, 2, user_id);
	store_bind_int64(st, 3, limit);
	while ((rc = store_step(st)) == STORE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		read_job(st, &(*out)[(*n)++]);
	}
	store_done(st);
	if (rc != STORE_DONE) {
		size_t i;

		for (i = 0; i < *n; i++)
			import_job_release(&(*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
		return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_JOB_CLAIM[] =
	"UPDATE import_jobs SET state = 'running', lease_owner = ?, lease_until = ?,"
	" started_at = COALESCE(started_at, ?) WHERE id = (SELECT id FROM import_jobs"
	"  WHERE state = 'queued' OR (state = 'running' AND lease_until < ?) ORDER BY id LIMIT 1)"
	" AND (state = 'queued' OR lease_until < ?)";
static const char SQL_JOB_CLAIMED[] =
	"SELECT " JOB_COLUMNS ", (SELECT body FROM import_job_files WHERE job_id = import_jobs.id), role,"
	" scope_node_id, permissions, remote FROM import_jobs"
	" WHERE state = 'running' AND lease_owner = ? AND lease_until = ? ORDER BY id LIMIT 1";

int import_job_claim(struct store *s, const char *owner, int64_t now, int lease, struct import_job *out,
		     struct fault *f)
{
	struct store_stmt *st;
	const void *blob;
	size_t n;
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_prepare(s, SQL_JOB_CLAIM);
	store_bind_text(st, 1, owner);
	store_bind_int64(st, 2, now + lease);
	store_bind_int64(st, 3, now);
	store_bind_int64(st, 4, now);
	store_bind_int64(st, 5, now);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE) {
		store_rollback(s);
		return store_fault(s, rc, f);
	}
	if (!store_changes(s)) {
		store_rollback(s);
		return 0;
	}
	st = store_prepare(s, SQL_JOB_CLAIMED);
	store_bind_text(st, 1, owner);
	store_bind_int64(st, 2, now + lease);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		char *perms, *save = NULL, *p;

		read_job(st, out);
		blob = store_column_blob(st, 15, &n);
		out->body = xmalloc(n + 1);
		if (n)
			memcpy(out->body, blob, n);
		out->body[n] = '\0';
		out->body_len = n;
		out->actor.user_id = out->user_id;
		snprintf(out->actor.login, sizeof(out->actor.login), "%s", out->login);
		snprintf(out->actor.role, sizeof(out->actor.role), "%s", store_column_text(st, 16));
		out->actor.scope_node_id = store_column_int64(st, 17);
		snprintf(out->actor.remote, sizeof(out->actor.remote), "%s",
			 store_column_text(st, 19) ? store_column_text(st, 19) : "");
		perms = xstrdup(store_column_text(st, 18));
		for (p = strtok_r(perms, ",", &save); p && out->actor.nperms < AUTH_MAX_PERMS; p = strtok_r(NULL, ",", &save))
			snprintf(out->actor.perms[out->actor.nperms++], sizeof(out->actor.perms[0]), "%s", p);
		free(perms);
	}
	store_done(st);
	if (rc != STORE_ROW) {
		store_rollback(s);
		return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		import_job_release(out);
		return store_fault(s, rc, f);
	}
	return 1;
}

static const char SQL_JOB_PROGRESS[] =
	"UPDATE import_jobs SET rows_checked = CASE WHEN CAST(? AS INTEGER) < 0 THEN rows_total ELSE CAST(? AS INTEGER) END,"
	" rows_done = CASE WHEN CAST(? AS INTEGER) < 0 THEN CAST(? AS INTEGER) ELSE rows_done END, rows_total = ?,"
	" lease_until = ? WHERE id = ? AND lease_owner = ?";

int import_job_progress(struct store *s, int64_t id, const char *owner, int64_t checked, size_t done, size_t total,
			int64_t lease_until, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_JOB_PROGRESS);
	int rc;

	store_bind_int64(st, 1, checked);
	store_bind_int64(st, 2, checked);
	store_bind_int64(st, 3, checked);
	store_bind_int64(st, 4, (int64_t)done);
	store_bind_int64(st, 5, (int64_t)total);
	store_bind_int64(st, 6, lease_until);
	store_bind_int64(st, 7, id);
	store_bind_text(st, 8, owner);
	rc = store_step(st);
	store_done(st);
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

static const char SQL_JOB_FINISH[] =
	"UPDATE import_jobs SET state = ?, result = ?, body = NULL, finished_at = ?, lease_owner = NULL,"
	" lease_until = NULL, rows_done = CASE WHEN CAST(? AS TEXT) = 'done' THEN rows_total ELSE rows_done END WHERE id = ?";

int import_job_finish(struct store *s, const struct import_job *j, int ok, const char *result, const char *detail,
		      struct fault *f)
{
	struct store_stmt *st;
	struct audit_entry e;
	char action[40], id[24];
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_prepare(s, SQL_JOB_FINISH);
	store_bind_text(st, 1, ok ? "done" : "failed");
	store_bind_text(st, 2, result);
	store_bind_int64(st, 3, (int64_t)time(NULL));
	store_bind_text(st, 4, ok ? "done" : "failed");
	store_bind_int64(st, 5, j->id);
	rc = store_step(st);
	store_done(st);
	if (rc == STORE_DONE) {
		st = store_prepare(s, SQL_FILE_DELETE);
		store_bind_int64(st, 1, j->id);
		rc = store_step(st);
		store_done(st);
	}
	if (rc != STORE_DONE) {
		store_rollback(s);
		return store_fault(s, rc, f);
	}
	/* The import itself, as the submitter, beside the audit row of the submission. */
	snprintf(action, sizeof(action), "import %s", j->kind);
	snprintf(id, sizeof(id), "%lld", (long long)j->id);
	memset(&e, 0, sizeof(e));
	e.user_id = j->user_id;
	e.login = j->login;
	e.remote = j->actor.remote;
	e.action = action;
	e.object_type = "import_job";
	e.object_id = id;
	e.result = ok ? "success" : "failure";
	e.detail = detail;
	if (audit_record(s, &e, f) < 0) {
		store_rollback(s);
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}
