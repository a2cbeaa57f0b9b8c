/*
 * http.h - the transport: libmicrohttpd in thread-pool + epoll mode, a router
 * with path parameters, static files, limits and the access log.
 *
 * It knows nothing of the domain.  The layer above registers a route table and
 * gets each request as a struct http_request; it answers by filling the struct
 * http_response it is handed (status, body, headers).  The server owns both and
 * frees them after the response is queued.
 *
 * Or it answers later: during dispatch it calls http_defer(req), and the
 * connection waits, suspended, without holding a worker thread, until some
 * thread hands the answer to http_resume(req, res).  Meanwhile req stays valid
 * (its body, parameters, headers, user and note) for whoever holds it.
 */
#ifndef YL_HTTP_H
#define YL_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

#define HTTP_MAX_PARAMS 8
#define HTTP_MAX_HEADERS 16

struct http_request;
struct http_response;

typedef void (*http_handler)(struct http_request *req, struct http_response *res);

/* One row of a route table.  pattern: "/api/v1/nodes/{id}"; a {name} segment matches one segment. */
struct http_route {
	const char *method;
	const char *pattern;
	http_handler handler;
	const char *permission;	/* declared here, checked by the api layer */
	const char *summary;
	unsigned flags;		/* ROUTE_* below, read by the api layer */
};

#define ROUTE_AUDIT 1u		/* audit this route even though it changes nothing (exports, reveals) */
#define ROUTE_UNSCOPED 2u	/* deployment-wide data: only actors without a scope may call it */
#define ROUTE_GROUP_COMMIT 4u	/* a write the api layer commits in groups: many requests, one fsync */
#define ROUTE_OPEN311 8u	/* Open311 GeoReport v2: errors leave in the spec's form, 401 as 403 */
#define ROUTE_API_KEY 16u	/* the API token may come as the api_key form or query parameter */

struct http_param {
	char name[32];
	char *value;		/* percent-decoded; owned by the request */
};

struct http_request {
	const char *method;
	const char *path;	/* without the query string, percent-decoded */
	const char *raw_url;
	char remote[64];
	char *body;		/* NUL-terminated; never NULL when the handler runs */
	size_t body_len;
	const struct http_route *route;
	struct http_param params[HTTP_MAX_PARAMS];
	int nparams;
	void *conn;		/* struct MHD_Connection */
	int64_t started_us;
	void *user;		/* set by the layer above (who is acting); freed with user_free */
	char *note;		/* set by the layer above (an audit detail); freed by the server */
	void (*user_free)(void *user);
};

struct http_header {
	char *name;
	char *value;
};

struct http_response {
	int status;
	struct buf body;
	char *content_type;
	struct http_header headers[HTTP_MAX_HEADERS];
	int nheaders;
	int fd;			/* >= 0: send this file (size file_size) instead of body */
	uint64_t file_size;
};

struct http_limits {
	size_t max_body;		/* bytes; larger bodies get 413 */
	size_t max_header;		/* bytes of request head (line and headers); larger get 431 */
	unsigned conn_timeout;		/* seconds a connection may stay idle */
	unsigned max_conns;		/* connections at once */
	unsigned max_conns_per_ip;	/* 0: no per-address limit */
};

struct http_config {
	const char *listen;		/* "127.0.0.1:8080" or "[::1]:8080" */
	unsigned threads;
	const char *web_root;		/* NULL: no static files */
	struct http_limits limits;
	const struct http_route *routes;
	size_t nroutes;
	int access_log;			/* 1: one line per request on stderr */
	/*
	 * Comma-separated addresses of reverse proxies: a request from one of them
	 * is from the rightmost X-Forwarded-For address that is not a proxy.
	 */
	const char *trusted_proxies;
	/* When set, called for every matched route instead of route->handler (the api layer's guard). */
	void (*dispatch)(const struct http_route *route, struct http_request *req, struct http_response *res);
	/*
	 * When set, called by http_server_stop() once requests in flight had their
	 * grace: it must http_resume() every request still deferred and stop
	 * touching them (the connections close right after).
	 */
	void (*drain)(void);
	/* When set, called once per finished request (route NULL when none matched): metrics. */
	void (*observe)(const struct http_route *route, int status, int64_t us);
};

struct http_server;

/* Starts listening; NULL with err filled when it cannot. */
struct http_server *http_server_start(const struct http_config *cfg, char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const struct http_server *srv);
/*
 * Stops accepting, lets in-flight requests finish (up to grace_ms), calls the
 * drain hook, answers 503 to any request still deferred, stops the threads.
 */
void http_server_stop(struct http_server *srv, unsigned grace_ms);

/*
 * Deferred answers.  http_defer(): called during dispatch, on the dispatching
 * thread, at most once: the response handed to dispatch is then ignored and
 * the caller owes exactly one http_resume().  http_resume(): from any thread,
 * takes over the contents of res as the answer (res is left empty, still the
 * caller's to release) and wakes the connection; req must not be touched
 * afterwards.  A request the server gave up on while it waited (stop) has
 * already been answered 503: the late answer is dropped.
 */
void http_defer(struct http_request *req);
void http_resume(struct http_request *req, struct http_response *res);

/* Parses "host:port"; 0 on success. */
int http_parse_listen(const char *listen, char *host, size_t hostlen, unsigned *port);

/* Router (router.c), used by the server and by tests. */
enum route_match { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };
enum route_match router_match(const struct http_route *routes, size_t n, const char *method,
			      const char *path, struct http_request *req);
/* The methods the routes allow on path, as "GET, HEAD, PATCH" (for a 405's Allow header). */
void router_allowed_methods(const struct http_route *routes, size_t n, const char *path, char *out, size_t outlen);
void http_request_clear_params(struct http_request *req);
/* In-place percent-decoding; returns -1 on a malformed escape or a decoded NUL. */
int http_url_decode(char *s, int plus_is_space);

/* Request accessors. */
const char *http_param(const struct http_request *req, const char *name);
const char *http_query(const struct http_request *req, const char *name);
const char *http_header(const struct http_request *req, const char *name);
const char *http_cookie(const struct http_request *req, const char *name);

/* Response helpers. */
void http_response_init(struct http_response *res);
void http_response_release(struct http_response *res);
void http_set_header(struct http_response *res, const char *name, const char *value);
void http_set_content_type(struct http_response *res, const char *type);
/* Takes the reference to json. */
void http_reply_json(struct http_response *res, int status, json_t *json);
/* {"error":{"code":code,"message":message,"field":field}}; field may be NULL. */
void http_reply_error(struct http_response *res, int status, const char *code, const char *field,
		      const char *fmt, ...) YL_PRINTF(5, 6);
void http_reply_text(struct http_response *res, int status, const char *type, const char *text, size_t len);

/* Static files (static.c): serves path under root into res; 0 when answered, -1 when no file. */
int http_static(const char *root, const struct http_request *req, struct http_response *res);
const char *http_mime_type(const char *path);

/*
 * application/x-www-form-urlencoded (Open311 posts; form.c): names and values
 * percent-decoded ('+' is a space), UTF-8 checked.  http_form_get() gives NULL
 * for an absent or empty value.
 */
struct http_form {
	size_t n;
	char **names;
	char **values;
};

int http_form_parse(const char *text, struct http_form *out);	/* -1 when malformed */
const char *http_form_get(const struct http_form *f, const char *name);
void http_form_release(struct http_form *f);
/* 1 when the request's body is a form. */
int http_form_body(const struct http_request *req);

#endif
