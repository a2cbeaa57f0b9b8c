/*
 * server.c - libmicrohttpd glue: one request context per request, the body
 * gathered within limits, the route called on the last callback, the response
 * queued, and one access-log line when the request completes.
 *
 * libmicrohttpd calls the access handler at least twice per request.  We answer
 * only on the call where no upload data remains (the second or later): answering
 * on the first call would make the daemon close keep-alive connections.  The
 * one exception is a declared body over the limit, refused at once with 413 so
 * its bytes are never read.
 *
 * A deferred request (http_defer) is suspended instead of answered; whoever
 * holds it calls http_resume() with the answer, which wakes the connection, and
 * the next access-handler call queues that answer.  The handoff goes through
 * the server's lock in three states (waiting -> suspended -> ready) so that a
 * connection is resumed only after it was suspended, even when the answer
 * comes before the worker got to suspend it.  The context is reference
 * counted: libmicrohttpd's completion and the deferring party each hold one,
 * so neither frees it under the other.
 */
#include "http/http.h"
#include "util/log.h"

#include <stdlib.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

/* After the drain hook, how long answers given at the last moment may take to go out. */
#define STOP_SEND_MS 2000

struct request_ctx;

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_config cfg;
	char *web_root;
	unsigned port;
	atomic_int active;
	pthread_mutex_t lock;		/* the deferral state of every context, and the list below */
	struct request_ctx *deferred;	/* deferred and not yet answered */
};

enum defer_state {
	DEFER_NONE,
	DEFER_WAITING,		/* http_defer() called; the worker has not suspended the connection yet */
	DEFER_SUSPENDED,	/* suspended: whoever answers resumes it */
	DEFER_READY,		/* answered: the next access-handler call queues ctx->answer */
};

struct request_ctx {
	struct http_request req;	/* first: http_defer/http_resume get the context from it */
	struct http_server *srv;
	struct buf body;
	int too_large;
	int status;
	uint64_t bytes;
	char *path;
	atomic_int refs;
	enum defer_state defer;		/* under srv->lock */
	struct http_response answer;	/* a deferred request's answer, once DEFER_READY */
	struct request_ctx *dprev, *dnext;
};

static const char CSP[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
	"connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

int http_parse_listen(const char *listen, char *host, size_t hostlen, unsigned *port)
{
	const char *colon, *hs = listen, *he;
	int64_t p;

	if (!listen || !*listen)
		return -1;
	if (listen[0] == '[') {
		he = strchr(listen, ']');
		if (!he || he[1] != ':')
			return -1;
		hs = listen + 1;
		colon = he + 1;
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			return -1;
		he = colon;
	}
	if ((size_t)(he - hs) >= hostlen || he == hs)
		return -1;
	if (parse_int64(colon + 1, 0, 65535, &p) < 0)
		return -1;
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = '\0';
	*port = (unsigned)p;
	return 0;
}

static void client_address(struct MHD_Connection *c, char *out, size_t outlen)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	socklen_t len;

	snprintf(out, outlen, "-");
	if (!sa)
		return;
	len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	getnameinfo(sa, len, out, (socklen_t)outlen, NULL, 0, NI_NUMERICHOST);
}

/* addr is one of the comma-separated addresses of list. */
static int listed(const char *list, const char *addr, size_t n)
{
	const char *p = list;

	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t len;

		while (*p == ' ')
			p++;
		len = e ? (size_t)(e - p) : strlen(p);
		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && strncmp(p, addr, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/*
 * Behind a trusted reverse proxy the client is the rightmost address of
 * X-Forwarded-For that is not itself a trusted proxy (what the proxies added;
 * anything to its left the client may have written).  out keeps the peer's
 * address when there is no such header or the peer is not trusted.
 */
static void forwarded_address(struct MHD_Connection *c, const char *proxies, char *out, size_t outlen)
{
	const char *xff, *end, *start;

	if (!proxies || !*proxies || !listed(proxies, out, strlen(out)))
		return;
	xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	end = xff + strlen(xff);
	for (;;) {
		const char *seg = end;
		size_t n;

		while (seg > xff && seg[-1] != ',')
			seg--;
		start = seg;
		while (start < end && *start == ' ')
			start++;
		n = (size_t)(end - start);
		while (n && start[n - 1] == ' ')
			n--;
		if (n && !listed(proxies, start, n)) {
			size_t i;

			if (n >= outlen)
				return;
			for (i = 0; i < n; i++)
				if (!strchr("0123456789abcdefABCDEF.:", start[i]))
					return;	/* not an address: keep the proxy's */
			memcpy(out, start, n);
			out[n] = '\0';
			return;
		}
		if (seg == xff)
			return;
		end = seg - 1;	/* the comma */
	}
}

static void add_common_headers(struct MHD_Response *r, const struct http_response *res)
{
	int i;

	MHD_add_response_header(r, "Content-Type",
				res->content_type ? res->content_type : "application/json; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	for (i = 0; i < res->nheaders; i++)
		MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
	if (res->content_type && strncmp(res->content_type, "application/json", 16) == 0 &&
	    !MHD_get_response_header(r, "Cache-Control"))
		MHD_add_response_header(r, "Cache-Control", "no-store");
}

static enum MHD_Result queue(struct MHD_Connection *c, struct request_ctx *ctx, struct http_response *res)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (res->fd >= 0) {
		r = MHD_create_response_from_fd64(res->file_size, res->fd);
		ctx->bytes = res->file_size;
		res->fd = -1;	/* libmicrohttpd closes it */
	} else {
		size_t len;
		char *data = buf_detach(&res->body, &len);
		r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
		ctx->bytes = len;
	}
	if (!r)
		return MHD_NO;
	add_common_headers(r, res);
	ctx->status = res->status;
	ret = MHD_queue_response(c, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void dispatch(struct http_server *srv, struct request_ctx *ctx, struct http_response *res)
{
	struct http_request *req = &ctx->req;
	enum route_match m;

	if (!utf8_valid_text(req->path, strlen(req->path))) {
		http_reply_error(res, 400, "bad_request", NULL, "the path is not valid UTF-8 text");
		return;
	}
	m = router_match(srv->cfg.routes, srv->cfg.nroutes, req->method, req->path, req);
	if (m == ROUTE_FOUND) {
		if (srv->cfg.dispatch)
			srv->cfg.dispatch(req->route, req, res);
		else
			req->route->handler(req, res);
		return;
	}
	if (m == ROUTE_BAD_METHOD) {
		char allow[128];

		router_allowed_methods(srv->cfg.routes, srv->cfg.nroutes, req->path, allow, sizeof(allow));
		http_set_header(res, "Allow", allow);
		http_reply_error(res, 405, "method_not_allowed", NULL, "%s is not allowed on %s (allowed: %s)",
				 req->method, req->path, allow);
		return;
	}
	if (strncmp(req->path, "/api/", 5) != 0 &&
	    (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) &&
	    http_static(srv->web_root, req, res) == 0)
		return;
	http_reply_error(res, 404, "not_found", NULL, "no such resource: %s", req->path);
}

static struct request_ctx *ctx_of(struct http_request *req)
{
	return (struct request_ctx *)(void *)((char *)req - offsetof(struct request_ctx, req));
}

static void ctx_unref(struct request_ctx *ctx)
{
	if (atomic_fetch_sub(&ctx->refs, 1) != 1)
		return;
	http_request_clear_params(&ctx->req);
	if (ctx->req.user && ctx->req.user_free)
		ctx->req.user_free(ctx->req.user);
	free(ctx->req.note);
	http_response_release(&ctx->answer);
	buf_release(&ctx->body);
	free(ctx->path);
	free(ctx);
}

static enum defer_state defer_state(struct request_ctx *ctx)
{
	enum defer_state st;

	pthread_mutex_lock(&ctx->srv->lock);
	st = ctx->defer;
	pthread_mutex_unlock(&ctx->srv->lock);
	return st;
}

static void deferred_unlink(struct http_server *srv, struct request_ctx *ctx)
{
	if (ctx->dprev)
		ctx->dprev->dnext = ctx->dnext;
	else
		srv->deferred = ctx->dnext;
	if (ctx->dnext)
		ctx->dnext->dprev = ctx->dprev;
	ctx->dprev = ctx->dnext = NULL;
}

void http_defer(struct http_request *req)
{
	struct request_ctx *ctx = ctx_of(req);
	struct http_server *srv = ctx->srv;

	pthread_mutex_lock(&srv->lock);
	if (ctx->defer != DEFER_NONE)
		fatal("request deferred twice: %s %s", req->method, req->path);
	ctx->defer = DEFER_WAITING;
	atomic_fetch_add(&ctx->refs, 1);
	ctx->dprev = NULL;
	ctx->dnext = srv->deferred;
	if (srv->deferred)
		srv->deferred->dprev = ctx;
	srv->deferred = ctx;
	pthread_mutex_unlock(&srv->lock);
}

/* Under srv->lock: ctx becomes ready with answer (taken over); a suspended connection is woken. */
static void answer_locked(struct request_ctx *ctx, struct http_response *answer)
{
	enum defer_state was = ctx->defer;

	http_response_release(&ctx->answer);
	ctx->answer = *answer;
	http_response_init(answer);	/* empty, still its owner's to release */
	ctx->defer = DEFER_READY;
	deferred_unlink(ctx->srv, ctx);
	/*
	 * Never before the suspension: resuming a connection that is not suspended
	 * is undefined.  Under our lock, so that a stop cannot slip in between;
	 * libmicrohttpd calls none of our callbacks while holding its own.
	 */
	if (was == DEFER_SUSPENDED)
		MHD_resume_connection(ctx->req.conn);
}

void http_resume(struct http_request *req, struct http_response *res)
{
	struct request_ctx *ctx = ctx_of(req);
	struct http_server *srv = ctx->srv;

	pthread_mutex_lock(&srv->lock);
	if (ctx->defer == DEFER_READY)		/* given up on at stop: already answered */
		http_response_release(res);
	else
		answer_locked(ctx, res);
	pthread_mutex_unlock(&srv->lock);
	ctx_unref(ctx);
}

/*
 * On the worker, after a dispatch that deferred, and again when woken: queue
 * the answer if it is there, else suspend until it is.
 */
static enum MHD_Result wait_for_answer(struct MHD_Connection *c, struct request_ctx *ctx)
{
	struct http_server *srv = ctx->srv;
	int ready;

	if (defer_state(ctx) == DEFER_READY)
		return queue(c, ctx, &ctx->answer);
	MHD_suspend_connection(c);
	pthread_mutex_lock(&srv->lock);
	ready = ctx->defer == DEFER_READY;
	if (!ready)
		ctx->defer = DEFER_SUSPENDED;
	pthread_mutex_unlock(&srv->lock);
	if (ready)	/* answered while we suspended: the next call queues it */
		MHD_resume_connection(c);
	return MHD_YES;
}

/* At stop, after the drain hook: whatever still waits gets 503 and is woken, so no connection stays suspended. */
static void abandon_deferred(struct http_server *srv)
{
	pthread_mutex_lock(&srv->lock);
	while (srv->deferred) {
		struct request_ctx *ctx = srv->deferred;
		struct http_response res;

		log_msg(LOG_WARN, "stopping: %s %s was still waiting for its answer", ctx->req.method, ctx->path);
		http_response_init(&res);
		http_reply_error(&res, 503, "unavailable", NULL, "the server is stopping: the request was not carried out");
		answer_locked(ctx, &res);
		http_response_release(&res);
	}
	pthread_mutex_unlock(&srv->lock);
}

static enum MHD_Result add_value_len(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	size_t *n = cls;

	YL_UNUSED(kind);
	*n += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 4;	/* ": " and CRLF, or "=" and "&" */
	return MHD_YES;
}

/*
 * The request head's size as sent, near enough: the request line, the query
 * arguments and the header lines.  libmicrohttpd is given twice --max-header
 * of memory per connection, so a head up to that size reaches this check and
 * gets the JSON 431 below; only a larger one meets libmicrohttpd's own 431,
 * whose small HTML body it has no hook for.
 */
static size_t head_size(struct MHD_Connection *c, const char *url, const char *method)
{
	size_t n = strlen(method) + strlen(url) + 12;

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_value_len, &n);
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_value_len, &n);
	return n + 2;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct http_server *srv = cls;
	struct request_ctx *ctx = *con_cls;
	struct http_response res;
	enum MHD_Result ret;

	YL_UNUSED(version);
	if (!ctx) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		int64_t n;

		ctx = xcalloc(1, sizeof(*ctx));
		ctx->srv = srv;
		atomic_init(&ctx->refs, 1);
		ctx->defer = DEFER_NONE;
		http_response_init(&ctx->answer);
		ctx->req.started_us = mono_now_us();
		ctx->req.method = method;
		ctx->path = xstrdup(url);
		ctx->req.path = ctx->path;
		ctx->req.raw_url = url;
		ctx->req.conn = c;
		ctx->status = 0;
		client_address(c, ctx->req.remote, sizeof(ctx->req.remote));
		forwarded_address(c, srv->cfg.trusted_proxies, ctx->req.remote, sizeof(ctx->req.remote));
		buf_init(&ctx->body);
		*con_cls = ctx;
		atomic_fetch_add(&srv->active, 1);
		if (head_size(c, url, method) > srv->cfg.limits.max_header) {
			http_response_init(&res);
			http_reply_error(&res, 431, "header_too_large", NULL,
					 "the request head (line and headers) is larger than the limit of %zu bytes",
					 srv->cfg.limits.max_header);
			ret = queue(c, ctx, &res);
			http_response_release(&res);
			return ret;
		}
		if (cl && (parse_int64(cl, 0, INT64_MAX, &n) < 0 || (uint64_t)n > srv->cfg.limits.max_body)) {
			/* Refused before reading: the connection closes after this answer. */
			http_response_init(&res);
			http_reply_error(&res, 413, "body_too_large", NULL,
					 "the request body is larger than the limit of %zu bytes",
					 srv->cfg.limits.max_body);
			ret = queue(c, ctx, &res);
			http_response_release(&res);
			return ret;
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!ctx->too_large) {
			if (ctx->body.len + *upload_data_size > srv->cfg.limits.max_body)
				ctx->too_large = 1;
			else
				buf_add(&ctx->body, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (ctx->status)	/* already answered (413 above) */
		return MHD_YES;
	if (defer_state(ctx) != DEFER_NONE)	/* woken up with its answer */
		return wait_for_answer(c, ctx);
	http_response_init(&res);
	if (ctx->too_large) {
		http_reply_error(&res, 413, "body_too_large", NULL,
				 "the request body is larger than the limit of %zu bytes", srv->cfg.limits.max_body);
	} else {
		ctx->req.body = ctx->body.data;
		ctx->req.body_len = ctx->body.len;
		dispatch(srv, ctx, &res);
		if (defer_state(ctx) != DEFER_NONE) {
			http_response_release(&res);
			return wait_for_answer(c, ctx);
		}
	}
	ret = queue(c, ctx, &res);
	http_response_release(&res);
	return ret;
}

static void access_log(const struct request_ctx *ctx, int64_t us)
{
	const char *path = ctx->path ? ctx->path : "-";
	struct buf escaped = BUF_INIT;
	char ts[32], *s;
	json_t *line;

	if (!utf8_valid_text(path, strlen(path))) {
		/* Probes send such paths: log them with the bytes escaped. */
		const unsigned char *p;

		buf_init(&escaped);
		for (p = (const unsigned char *)path; *p; p++) {
			if (*p >= 0x80 || *p < 0x20 || *p == 0x7f)
				buf_addf(&escaped, "%%%02X", *p);
			else
				buf_addch(&escaped, (char)*p);
		}
		path = escaped.data;
	}
	time_format_utc(time_now_us() / 1000000, ts, sizeof(ts));
	line = json_pack("{s:s, s:s, s:s, s:i, s:I, s:I, s:s}", "time", ts, "method",
			 ctx->req.method ? ctx->req.method : "-", "path", path, "status", ctx->status, "bytes",
			 (json_int_t)ctx->bytes, "us", (json_int_t)us, "remote", ctx->req.remote);
	buf_release(&escaped);
	if (!line)
		return;
	s = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(line);
	if (s) {
		struct buf b = BUF_INIT;

		buf_adds(&b, s);
		buf_addch(&b, '\n');
		log_line(b.data, b.len);
		buf_release(&b);
		free(s);
	}
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct request_ctx *ctx = *con_cls;

	YL_UNUSED(c);
	YL_UNUSED(toe);
	if (!ctx)
		return;
	if (srv->cfg.access_log || srv->cfg.observe) {
		int64_t us = mono_now_us() - ctx->req.started_us;

		if (srv->cfg.access_log)
			access_log(ctx, us);
		if (srv->cfg.observe)
			srv->cfg.observe(ctx->req.route, ctx->status, us);
	}
	*con_cls = NULL;
	ctx_unref(ctx);
	atomic_fetch_sub(&srv->active, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;

	YL_UNUSED(cls);
	buf_vaddf(&b, fmt, ap);
	while (b.len && (b.data[b.len - 1] == '\n'))
		b.data[--b.len] = '\0';
	log_msg(LOG_WARN, "libmicrohttpd: %s", b.data);
	buf_release(&b);
}

/*
 * Each connection is a descriptor: with Debian's default soft limit of 1024,
 * max-conns (1024 by default) idle clients would leave none for the database
 * or new connections, and accept() would fail for everyone.  Raise the soft
 * limit towards the hard one so that max-conns, not the process, is the limit.
 */
static void raise_fd_limit(unsigned max_conns)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)max_conns + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < want)
		log_msg(LOG_WARN, "open-file limit %llu is below max-conns + 256: raise it (ulimit -n)",
			(unsigned long long)rl.rlim_cur);
}

struct http_server *http_server_start(const struct http_config *cfg, char *err, size_t errlen)
{
	struct http_server *srv;
	struct sockaddr_storage ss;
	char host[128];
	unsigned port;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;

	memset(&ss, 0, sizeof(ss));
	if (http_parse_listen(cfg->listen, host, sizeof(host), &port) < 0) {
		set_error(err, errlen, "bad listen address '%s': expected HOST:PORT", cfg->listen);
		return NULL;
	}
	if (strchr(host, ':')) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1) {
			set_error(err, errlen, "bad listen address '%s': not an IPv6 address", cfg->listen);
			return NULL;
		}
		flags |= MHD_USE_IPv6;
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		if (strcmp(host, "localhost") == 0)
			snprintf(host, sizeof(host), "127.0.0.1");
		if (inet_pton(AF_INET, host, &a4->sin_addr) != 1) {
			set_error(err, errlen, "bad listen address '%s': not an IPv4 address", cfg->listen);
			return NULL;
		}
	}
	raise_fd_limit(cfg->limits.max_conns);
	srv = xcalloc(1, sizeof(*srv));
	srv->cfg = *cfg;
	srv->web_root = xstrdup_or_null(cfg->web_root);
	atomic_init(&srv->active, 0);
	pthread_mutex_init(&srv->lock, NULL);
	srv->daemon = MHD_start_daemon(
		flags, (uint16_t)port, NULL, NULL, on_request, srv,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads ? cfg->threads : 2),
		MHD_OPTION_CONNECTION_LIMIT, cfg->limits.max_conns,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->limits.max_conns_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->limits.conn_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->limits.max_header * 2,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_END);
	if (!srv->daemon) {
		set_error(err, errlen, "cannot listen on %s (address in use, or not allowed?)", cfg->listen);
		pthread_mutex_destroy(&srv->lock);
		free(srv->web_root);
		free(srv);
		return NULL;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : port;
	return srv;
}

unsigned http_server_port(const struct http_server *srv)
{
	return srv->port;
}

static void wait_idle(struct http_server *srv, unsigned ms)
{
	int64_t deadline = mono_now_us() + (int64_t)ms * 1000;

	while (atomic_load(&srv->active) > 0 && mono_now_us() < deadline) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

void http_server_stop(struct http_server *srv, unsigned grace_ms)
{
	MHD_socket fd;

	if (!srv)
		return;
	fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	wait_idle(srv, grace_ms);
	/* libmicrohttpd must not be stopped with a connection suspended. */
	if (srv->cfg.drain)
		srv->cfg.drain();
	abandon_deferred(srv);
	wait_idle(srv, STOP_SEND_MS);
	MHD_stop_daemon(srv->daemon);
	pthread_mutex_destroy(&srv->lock);
	free(srv->web_root);
	free(srv);
}
