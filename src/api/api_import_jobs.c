/*
 * api_import_jobs.c - imports as background jobs (csvio/import_job.h).
 *
 *   POST /api/v1/import-jobs/hotline|nodes|persons[?dry_run=true][&all_or_nothing=true]  body: text/csv
 *     202 the job (queued); the submission is audited by the guard, the import's end by the job
 *   GET  /api/v1/import-jobs            the caller's jobs, newest first (an administrator: everyone's)
 *   GET  /api/v1/import-jobs/{id}       state, progress (0..1), rows checked and written, and when it
 *                                       ended the import's answer (result: as POST /import/... answers)
 *
 * The job thread (api_import_jobs_start, one per server) takes one waiting job
 * at a time with a lease and runs it on its own connection, off the request
 * path.  A hotline file is checked whole first, writing nothing, then written
 * in transactions of at most CHUNK_MS with a pause of PAUSE_MS after each, so
 * another writer waits at most about one chunk; all_or_nothing runs it in one
 * transaction instead, as nodes and persons always run.  The submitter is the
 * actor (a snapshot of their permissions and scope at submission).
 */
#include "api/api.h"
#include "api/api_csv.h"
#include "api/api_routes.h"
#include "csvio/import_job.h"
#include "util/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#define CHUNK_MS 100		/* the longest a chunk holds the writer */
#define PAUSE_MS 10		/* a waiting writer (polling every 2 ms: sqlite.c) gets in */
#define LEASE 120		/* seconds; renewed by every chunk */
#define LEASE_WHOLE 3600	/* one transaction renews nothing: an hour */
#define POLL_MS 250

struct job_runner {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
	char *dsn;
	char owner[96];
};

static struct job_runner *runner;

/* ---- the runner ---- */

struct job_ctx {
	struct store *s;
	const struct import_job *job;
	const char *owner;
	int lease;
	int stopped;		/* the server stopped the job between two chunks */
};

/* The checking pass's progress, every 250 rows, in a small write of its own (none inside one transaction). */
static void on_checked(void *arg, const char *what, size_t done, size_t total)
{
	struct job_ctx *c = arg;
	struct fault f = { 0 };

	YL_UNUSED(what);
	if (store_in_transaction(c->s) || store_begin_write(c->s) != STORE_OK)
		return;
	if (import_job_progress(c->s, c->job->id, c->owner, (int64_t)done, 0, total, (int64_t)time(NULL) + c->lease, &f) < 0)
		store_rollback(c->s);
	else
		store_commit(c->s);
}

static int runner_stopping(struct job_runner *w);

/*
 * After each chunk: the progress, and the lease renewed.  A server that is
 * stopping leaves the job there (this chunk undone): its lease runs out within
 * LEASE seconds and a server takes it again, finding the rows written so far
 * imported (unchanged).
 */
static int on_chunk(void *arg, struct store *s, size_t done, size_t total, struct fault *f)
{
	struct job_ctx *c = arg;

	if (runner && runner_stopping(runner)) {
		c->stopped = 1;
		return fault_set(f, FAULT_BUSY, NULL, "the server is stopping: the job goes on elsewhere or after the restart");
	}
	return import_job_progress(s, c->job->id, c->owner, -1, done, total, (int64_t)time(NULL) + c->lease, f);
}

static void run_job(struct store *s, const char *owner, struct import_job *job)
{
	struct csv_progress prog;
	struct csv_import_options opt;
	struct csv_import_result r;
	struct csv_hotline_report rep;
	struct job_ctx c = { s, job, owner, LEASE, 0 };
	struct fault f = { 0 };
	char detail[640], *text;
	size_t more;
	json_t *j;
	int rc, hotline = !strcmp(job->kind, "hotline");

	memset(&opt, 0, sizeof(opt));
	memset(&r, 0, sizeof(r));
	opt.dry_run = job->dry_run;
	opt.scope = job->actor.scope_node_id;
	prog.fn = on_checked;
	prog.ctx = &c;
	opt.progress = &prog;
	if (hotline && !job->all_or_nothing) {
		opt.chunk_ms = CHUNK_MS;
		opt.pause_ms = PAUSE_MS;
		opt.on_chunk = on_chunk;
		opt.chunk_ctx = &c;
	}
	if (hotline)
		rc = csv_import_hotline(s, &job->actor, job->body, job->body_len, &opt, &r, &rep, &f);
	else if (!strcmp(job->kind, "nodes"))
		rc = csv_import_nodes(s, job->body, job->body_len, &opt, &r, &f);
	else
		rc = csv_import_persons(s, job->body, job->body_len, &opt, &r, &f);
	j = json_pack("{s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I}", "ok", rc == 0, "dry_run", job->dry_run, "rows",
		      (json_int_t)r.rows, "created", (json_int_t)r.created, "updated", (json_int_t)r.updated, "unchanged",
		      (json_int_t)r.unchanged, "refused", (json_int_t)r.refused, "bad_rows", (json_int_t)r.bad_rows);
	json_object_set_new(j, "longest_chunk_ms", json_integer((json_int_t)(r.longest_chunk_us / 1000)));
	json_object_set_new(j, "problems", api_csv_problems_json(&r.problems, &more));
	json_object_set_new(j, "more", json_integer((json_int_t)more));
	if (rc < 0)
		json_object_set_new(j, "error", json_pack("{s:s, s:s}", "code", f.code[0] ? f.code : fault_code(f.kind),
							  "message", f.kind == FAULT_INTERNAL ? "internal error" : f.message));
	if (hotline && rc == 0)
		api_csv_hotline_json(j, &rep);
	if (c.stopped) {
		log_msg(LOG_INFO, "import job %lld: left at row %zu of %zu for after the restart", (long long)job->id,
			r.created + r.unchanged, r.rows);
		json_decref(j);
		csv_import_result_release(&r);
		return;
	}
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	snprintf(detail, sizeof(detail), "%s%zu rows: %zu created, %zu updated, %zu unchanged, %zu refused%s%s",
		 job->dry_run ? "dry run; " : "", r.rows, r.created, r.updated, r.unchanged, rc < 0 ? r.bad_rows : r.refused,
		 rc < 0 ? "; " : "", rc < 0 ? f.message : "");
	if (rc < 0 && f.kind == FAULT_INTERNAL)
		log_msg(LOG_ERROR, "import job %lld: %s", (long long)job->id, f.message);
	csv_import_result_release(&r);
	if (import_job_finish(s, job, rc == 0, text, detail, &f) < 0)
		log_msg(LOG_ERROR, "import job %lld: the result cannot be kept: %s", (long long)job->id, f.message);
	free(text);
}

static int runner_stopping(struct job_runner *w)
{
	int stop;

	pthread_mutex_lock(&w->lock);
	stop = w->stop;
	pthread_mutex_unlock(&w->lock);
	return stop;
}

static void *runner_main(void *arg)
{
	struct job_runner *w = arg;
	struct fault f = { 0 };
	char err[512];
	struct store *s = store_open(w->dsn, err, sizeof(err));

	if (!s) {
		log_msg(LOG_ERROR, "import jobs: cannot open the database: %s", err);
		return NULL;
	}
	while (!runner_stopping(w)) {
		struct import_job job;
		struct timespec at;
		int n;

		memset(&job, 0, sizeof(job));
		/* Claimed with the chunked lease; a whole-file job renews nothing, so its lease is long. */
		n = import_job_claim(s, w->owner, (int64_t)time(NULL), LEASE_WHOLE, &job, &f);
		if (n < 0)
			log_msg(LOG_WARN, "import jobs: cannot claim a job: %s", f.message);
		if (n > 0) {
			run_job(s, w->owner, &job);
			import_job_release(&job);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_nsec += (long)POLL_MS * 1000000L;
		at.tv_sec += at.tv_nsec / 1000000000L;
		at.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&w->lock);
		while (!w->stop && pthread_cond_timedwait(&w->wake, &w->lock, &at) != ETIMEDOUT)
			;
		pthread_mutex_unlock(&w->lock);
	}
	store_close(s);
	return NULL;
}

void api_import_jobs_start(const char *dsn)
{
	struct job_runner *w = xcalloc(1, sizeof(*w));
	pthread_condattr_t ca;
	char host[64] = "host";
	int rc;

	w->dsn = xstrdup(dsn);
	gethostname(host, sizeof(host) - 1);
	snprintf(w->owner, sizeof(w->owner), "%s:%ld:%08x", host, (long)getpid(), randombytes_random());
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = pthread_create(&w->thread, NULL, runner_main, w)) != 0) {
		log_msg(LOG_ERROR, "import jobs: cannot start the job thread: %s", strerror(rc));
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w->dsn);
		free(w);
		return;
	}
	runner = w;
}

/* A chunked job stops after its chunk (on_chunk); a checking pass or a whole-file job runs to its end first. */
void api_import_jobs_stop(void)
{
	struct job_runner *w = runner;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w->dsn);
	free(w);
	runner = NULL;
}

static void poke(void)
{
	if (!runner)
		return;
	pthread_mutex_lock(&runner->lock);
	pthread_cond_signal(&runner->wake);
	pthread_mutex_unlock(&runner->lock);
}

/* ---- routes ---- */

static json_t *job_json(const struct import_job *j)
{
	double progress;
	json_t *o, *result = j->result ? json_loads(j->result, 0, NULL) : NULL;

	if (!strcmp(j->state, "done") || !strcmp(j->state, "failed"))
		progress = 1;
	else if (!j->rows_total)
		progress = 0;
	else if (j->dry_run || j->all_or_nothing || strcmp(j->kind, "hotline"))
		progress = (double)j->rows_checked / (double)j->rows_total;
	else		/* checked, then written: each half of the way */
		progress = ((double)j->rows_checked + (double)j->rows_done) / (2.0 * (double)j->rows_total);
	o = json_pack("{s:I, s:s, s:s, s:b, s:b, s:I, s:I, s:I, s:I, s:f, s:s, s:o, s:o, s:o}", "id", (json_int_t)j->id,
		      "kind", j->kind, "state", j->state, "dry_run", j->dry_run, "all_or_nothing", j->all_or_nothing, "bytes",
		      (json_int_t)j->bytes, "rows_total", (json_int_t)j->rows_total, "rows_checked",
		      (json_int_t)j->rows_checked, "rows_done", (json_int_t)j->rows_done, "progress",
		      progress > 1 ? 1.0 : progress, "login", j->login, "created_at", json_time_or_null(j->created_at),
		      "started_at", json_time_or_null(j->started_at), "finished_at", json_time_or_null(j->finished_at));
	json_object_set_new(o, "result", result ? result : json_null());
	return o;
}

static int content_is_csv(struct http_request *req, struct http_response *res)
{
	const char *ctype = http_header(req, "Content-Type");

	if (ctype && (!strncasecmp(ctype, "text/csv", 8) || !strncasecmp(ctype, "application/csv", 15) ||
		      !strncasecmp(ctype, "text/plain", 10)))
		return 0;
	http_reply_error(res, 415, "unsupported_media_type", NULL,
			 "send the file as the request body with Content-Type: text/csv (UTF-8)");
	return -1;
}

static void submit(struct http_request *req, struct http_response *res, const char *kind)
{
	struct store *s = api_store(res);
	struct import_job j;
	struct fault f = { 0 };
	int dry_run, whole;
	int64_t id = 0;

	if (!s || content_is_csv(req, res) < 0 || (dry_run = api_query_bool(req, res, "dry_run", 0)) < 0 ||
	    (whole = api_query_bool(req, res, "all_or_nothing", 0)) < 0)
		return;
	if (import_job_submit(s, api_actor(req), kind, req->body, req->body_len, dry_run, whole, &id, &f) < 0 ||
	    import_job_get(s, id, &j, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, 202, job_json(&j));
	import_job_release(&j);
	poke();
}

static void submit_hotline(struct http_request *req, struct http_response *res)
{
	submit(req, res, "hotline");
}

static void submit_nodes(struct http_request *req, struct http_response *res)
{
	submit(req, res, "nodes");
}

static void submit_persons(struct http_request *req, struct http_response *res)
{
	submit(req, res, "persons");
}

/* Whose jobs the actor sees: their own; an administrator of the whole deployment every one. */
static int64_t owner_filter(const struct actor *a)
{
	return !a->scope_node_id && actor_can(a, "users.admin") ? 0 : (a->user_id ? a->user_id : -1);
}

static void list_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct import_job *jobs;
	struct fault f = { 0 };
	int64_t limit;
	json_t *items;
	size_t n, i;

	if (!s || api_query_int(req, res, "limit", 1, 200, 50, &limit) < 0)
		return;
	if (import_job_list(s, owner_filter(api_actor(req)), (int)limit, &jobs, &n, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++) {
		json_t *o = job_json(&jobs[i]);

		json_object_del(o, "result");	/* one job's page has it */
		json_array_append_new(items, o);
		import_job_release(&jobs[i]);
	}
	free(jobs);
	http_reply_json(res, 200, json_pack("{s:o}", "items", items));
}

static void get_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = api_path_id(req, res, "id"), who;
	struct import_job j;
	struct fault f = { 0 };

	if (!s || !id)
		return;
	if (import_job_get(s, id, &j, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	who = owner_filter(api_actor(req));
	if (who && j.user_id != who)
		http_reply_error(res, 404, "not_found", NULL, "import job %lld does not exist", (long long)id);
	else
		http_reply_json(res, 200, job_json(&j));
	import_job_release(&j);
}

const struct http_route api_import_job_routes[] = {
	{ "POST", "/api/v1/import-jobs/hotline", submit_hotline, "workorder.dispatch",
	  "import 12345 hotline orders as a background job (202; ?dry_run, ?all_or_nothing): checked whole, then"
	  " written in short chunks", 0 },
	{ "POST", "/api/v1/import-jobs/nodes", submit_nodes, "org.import",
	  "import nodes as a background job (202; ?dry_run): one transaction off the request path", 0 },
	{ "POST", "/api/v1/import-jobs/persons", submit_persons, "people.import",
	  "import persons as a background job (202; ?dry_run): one transaction off the request path", 0 },
	{ "GET", "/api/v1/import-jobs", list_h, "import.jobs", "my import jobs, newest first, with their progress (?limit)", 0 },
	{ "GET", "/api/v1/import-jobs/{id}", get_h, "import.jobs",
	  "one import job: state, progress, and when it ended the import's answer (rows created, unchanged, refused"
	  " with reasons)", 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
