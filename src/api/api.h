/*
 * api.h - the JSON API under /api/v1: the route table and what every handler
 * shares (the per-thread store connection, body and query validation, paging,
 * faults turned into error responses).
 *
 * Every handler: validate input (400 naming the field), call the domain with
 * api_store(), pack the answer.  SQL never appears here.
 */
#ifndef YL_API_H
#define YL_API_H

#include <jansson.h>

#include "http/http.h"
#include "store/store.h"
#include "util/fault.h"

/*
 * Sets the database every worker thread connects to (lazily, one connection per
 * thread) and starts the committer (below).
 */
void api_init(const char *dsn);
/* Stops the committer and closes every thread's connection; call after the HTTP server has stopped. */
void api_shutdown(void);
const struct http_route *api_routes(size_t *n);

/* The calling thread's connection; NULL after answering 503 when it cannot open. */
struct store *api_store(struct http_response *res);

/* Answers with the fault's status and the JSON error body; returns -1. */
int api_fail(struct http_response *res, const struct fault *f);

/* Field types for body validation. */
enum api_type { API_STRING, API_INT, API_NUMBER, API_BOOL, API_DATE, API_ID, API_ID_ARRAY, API_STRING_ARRAY };

struct api_field {
	const char *name;
	enum api_type type;
	int required;		/* 1: must be present and not null */
	int nullable;		/* 1: null is accepted (clears the field) */
	int max_chars;		/* strings: 0 means 200 */
};

/*
 * Parses the body as a JSON object and checks it against the fields: unknown
 * keys, missing required keys, wrong types, dates not YYYY-MM-DD, ids not
 * positive, text that is not valid UTF-8 or too long.  Returns the object (a new
 * reference), or NULL after answering 400 naming the field.
 */
json_t *api_body(struct http_request *req, struct http_response *res, const struct api_field *fields);

/* Accessors for a validated body: absent or null gives the default. */
const char *api_str(json_t *body, const char *key);
int64_t api_int(json_t *body, const char *key, int64_t def);
int api_has(json_t *body, const char *key);		/* present, null included */
int api_is_null(json_t *body, const char *key);

/* Path parameter {name} as a positive id; 0 after answering 404. */
int64_t api_path_id(struct http_request *req, struct http_response *res, const char *name);

/*
 * Query parameter as a whole number in [min,max]; absent gives def.  Returns 0,
 * or -1 after answering 400 naming the parameter.
 */
int api_query_int(struct http_request *req, struct http_response *res, const char *name, int64_t min, int64_t max,
		  int64_t def, int64_t *out);
/* limit (1..500, default 50) and offset (>= 0). */
int api_paging(struct http_request *req, struct http_response *res, int *limit, int *offset);
/* 1 for "true"/"1", 0 for "false"/"0", def when absent; -1 after answering 400. */
int api_query_bool(struct http_request *req, struct http_response *res, const char *name, int def);
/*
 * A text query parameter of 1 to max characters: *out NULL when absent; -1
 * after answering 400 naming it when empty or not text.  The domain checks
 * what the words mean.
 */
int api_query_text(struct http_request *req, struct http_response *res, const char *name, size_t max,
		   const char **out);

/* {"items": items, "total": total, "limit": limit, "offset": offset} with status 200. */
void api_reply_list(struct http_response *res, json_t *items, int64_t total, int limit, int offset);

json_t *json_str_or_null(const char *s);
/* An instant as Asia/Shanghai ISO 8601 text ("2026-12-08T10:00:00+08:00"); null for 0. */
json_t *json_time_or_null(int64_t at);
json_t *json_id_or_null(int64_t id);

/*
 * Who is acting (set by the guard; NULL on public routes), and their scope:
 * the node whose subtree they may see (0: everything).
 */
struct actor;
const struct actor *api_actor(const struct http_request *req);
int64_t api_scope(const struct http_request *req);
/*
 * 1 when the node is inside the actor's scope; otherwise answers 404 (the
 * object's existence does not leak) and returns 0.  node_id 0 (an object not
 * on the tree) is inside only an unscoped actor's view.
 */
int api_scope_allows(struct http_request *req, struct http_response *res, int64_t node_id);

/*
 * A node named in a body (a parent, a home, the node of an assignment) outside
 * the actor's scope is answered as if it did not exist: 400 on that field, and 0.
 */
int api_scope_target(struct http_request *req, struct http_response *res, int64_t node_id, const char *field);
/* A list's under filter: a named node must be in scope (else 404 and -1); none means the scope itself. */
int api_scope_under(struct http_request *req, struct http_response *res, int64_t *under);

/*
 * One audited write inside the transaction open on s (api_guard.c): in a
 * savepoint of its own, the handler and its success audit row stand together;
 * a failed handler, or an audit row that cannot be written, is undone and a
 * failure row written in its place.  Returns 0 when the write stands.
 */
int api_audited_write(struct store *s, const struct http_route *route, struct http_request *req,
		      struct http_response *res);

/*
 * Group commit (api_commit.c).  Writes of ROUTE_GROUP_COMMIT routes, once the
 * guard has let them through, wait in a queue for the committer thread: it
 * takes what has arrived (up to API_COMMIT_GROUP_MAX), runs each with
 * api_audited_write() on its own connection inside one transaction, commits
 * once (one fsync for the group) and only then answers them all.  A failed
 * write undoes only itself; a failed commit answers 500 to every write of the
 * group and acknowledges none.
 */
#define API_COMMIT_GROUP_MAX 256

struct api_commit_stats {
	uint64_t groups;	/* transactions committed */
	uint64_t jobs;		/* requests in them */
	uint64_t largest;	/* requests in the largest group */
	uint64_t failed;	/* groups whose commit failed */
};

/* Starts the committer thread; -1 when it cannot (writes then run inline). */
int api_commit_start(void);
/*
 * The HTTP server's drain hook: answers everything queued, then ends the
 * thread.  Later submissions run inline.  Safe to call when not running.
 */
void api_commit_stop(void);
/* The import job thread (api_import_jobs.c): one per server, stopped after the server stops. */
void api_import_jobs_start(const char *dsn);
void api_import_jobs_stop(void);
/* 0: req is deferred and the committer will answer it; -1: no committer, run it inline. */
int api_commit_submit(const struct http_route *route, struct http_request *req);
void api_commit_stats(struct api_commit_stats *out);

/* Open311 routes: turns an error answer, the guard's too, into the spec's error document. */
void api_open311_finish(struct http_request *req, struct http_response *res);

/* Route handlers, one group per file. */
void api_healthz(struct http_request *req, struct http_response *res);
void api_openapi(struct http_request *req, struct http_response *res);
/* Metrics (api_metrics.c): the allowed addresses ("127.0.0.1,::1,10.0.0.0/8"); -1 with err when malformed. */
int api_metrics_configure(const char *allow, char *err, size_t errlen);
/* The server's observe hook: one finished request. */
void api_metrics_observe(const struct http_route *route, int status, int64_t us);

#endif
