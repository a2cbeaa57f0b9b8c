/*
 * test_http_defer.c - src/http/server.c: deferred answers (http_defer /
 * http_resume) over real connections: an answer given before the worker got
 * to suspend the connection, one given from another thread at once or later,
 * keep-alive after a deferred answer, many at once, and a stop that drains
 * what is parked.
 */
#include "unit.h"
#include "http/http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void answer(struct http_request *req, const char *text)
{
	struct http_response res;

	http_response_init(&res);
	http_reply_text(&res, 200, "text/plain", text, strlen(text));
	http_resume(req, &res);
	http_response_release(&res);
}

struct later {
	struct http_request *req;
	char text[64];
	int delay_ms;
};

static void *answer_later(void *p)
{
	struct later *l = p;

	if (l->delay_ms)
		sleep_ms(l->delay_ms);
	answer(l->req, l->text);
	free(l);
	return NULL;
}

static void h_now(struct http_request *req, struct http_response *res)
{
	(void)req;
	http_reply_text(res, 200, "text/plain", "now", 3);
}

/* /later/{mode}?n=N answers "MODE N": in the handler itself, from a thread at once, or 20 ms later. */
static void h_later(struct http_request *req, struct http_response *res)
{
	const char *mode = http_param(req, "mode"), *n = http_query(req, "n");
	struct later *l = xcalloc(1, sizeof(*l));
	pthread_t t;

	(void)res;
	l->req = req;
	snprintf(l->text, sizeof(l->text), "%s %s", mode, n ? n : "-");
	http_defer(req);
	if (!strcmp(mode, "inline")) {
		answer_later(l);	/* before the worker suspends the connection */
		return;
	}
	l->delay_ms = !strcmp(mode, "sleep") ? 20 : 0;
	if (pthread_create(&t, NULL, answer_later, l) != 0)
		answer_later(l);
	else
		pthread_detach(t);
}

/* Parked until the drain hook answers. */
static pthread_mutex_t parked_lock = PTHREAD_MUTEX_INITIALIZER;
static struct http_request *parked[16];
static int nparked;

static void h_parked(struct http_request *req, struct http_response *res)
{
	(void)res;
	http_defer(req);
	pthread_mutex_lock(&parked_lock);
	if (nparked < 16)
		parked[nparked++] = req;
	else
		answer(req, "too many");
	pthread_mutex_unlock(&parked_lock);
}

static void drain(void)
{
	int i;

	pthread_mutex_lock(&parked_lock);
	for (i = 0; i < nparked; i++)
		answer(parked[i], "drained");
	nparked = 0;
	pthread_mutex_unlock(&parked_lock);
}

static const struct http_route routes[] = {
	{ "GET", "/now", h_now, NULL, "inline", 0 },
	{ "GET", "/later/{mode}", h_later, NULL, "deferred", 0 },
	{ "GET", "/parked", h_parked, NULL, "deferred until the drain", 0 },
};

static struct http_server *start(void)
{
	struct http_config c;
	struct http_server *srv;
	char err[256];

	memset(&c, 0, sizeof(c));
	c.listen = "127.0.0.1:0";
	c.threads = 2;
	c.limits.max_body = 1 << 16;
	c.limits.max_header = 32 * 1024;
	c.limits.conn_timeout = 10;
	c.limits.max_conns = 512;
	c.routes = routes;
	c.nroutes = YL_ARRAY_LEN(routes);
	c.drain = drain;
	srv = http_server_start(&c, err, sizeof(err));
	if (!srv)
		fail_msg("http_server_start: %s", err);
	return srv;
}

static int connect_to(unsigned port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The helpers below run on client threads too: they report failure (-1), they do not assert. */

/* Sends a GET and reads one response (by Content-Length): its status, body in out. */
static int get(int fd, const char *path, char *out, size_t outlen)
{
	char req[256], buf[4096];
	size_t have = 0;
	char *end, *cl;
	long len;
	int status;

	if (fd < 0)
		return -1;
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		return -1;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);

		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		cl = strstr(buf, "\r\nContent-Length:");
		if (!cl)
			return -1;
		len = strtol(cl + 17, NULL, 10);
		if ((size_t)(end + 4 - buf) + (size_t)len <= have)
			break;
	}
	status = atoi(buf + 9);
	snprintf(out, outlen, "%.*s", (int)len, end + 4);
	return status;
}

static void test_deferred_answers_each_way(void **state)
{
	struct http_server *srv = start();
	static const char *modes[] = { "inline", "thread", "sleep" };
	char body[128], want[64], path[64];
	int i, fd;

	(void)state;
	for (i = 0; i < 3; i++) {
		fd = connect_to(http_server_port(srv));
		snprintf(path, sizeof(path), "/later/%s?n=%d", modes[i], i);
		assert_int_equal(get(fd, path, body, sizeof(body)), 200);
		snprintf(want, sizeof(want), "%s %d", modes[i], i);
		assert_string_equal(body, want);
		/* the connection is kept alive after a deferred answer, and serves the next request */
		assert_int_equal(get(fd, "/now", body, sizeof(body)), 200);
		assert_string_equal(body, "now");
		assert_int_equal(get(fd, path, body, sizeof(body)), 200);
		assert_string_equal(body, want);
		close(fd);
	}
	http_server_stop(srv, 1000);
}

struct client {
	unsigned port;
	int id;
	int failures;
};

static void *client_main(void *p)
{
	struct client *c = p;
	static const char *modes[] = { "inline", "thread", "sleep" };
	char body[128], want[64], path[64];
	int i, fd = connect_to(c->port);

	for (i = 0; i < 30; i++) {
		const char *mode = modes[(c->id + i) % 3];

		snprintf(path, sizeof(path), "/later/%s?n=%d-%d", mode, c->id, i);
		snprintf(want, sizeof(want), "%s %d-%d", mode, c->id, i);
		if (get(fd, path, body, sizeof(body)) != 200 || strcmp(body, want) != 0)
			c->failures++;
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Many connections at once, each answered with its own answer, whichever thread gives it and when. */
static void test_many_at_once(void **state)
{
	struct http_server *srv = start();
	struct client c[24];
	pthread_t t[24];
	int i;

	(void)state;
	for (i = 0; i < 24; i++) {
		c[i].port = http_server_port(srv);
		c[i].id = i;
		c[i].failures = 0;
		assert_int_equal(pthread_create(&t[i], NULL, client_main, &c[i]), 0);
	}
	for (i = 0; i < 24; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].failures, 0);
	}
	http_server_stop(srv, 1000);
}

struct parked_client {
	unsigned port;
	int status;
	char body[64];
};

static void *parked_main(void *p)
{
	struct parked_client *c = p;
	int fd = connect_to(c->port);

	c->status = get(fd, "/parked", c->body, sizeof(c->body));
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* A stop calls the drain hook, whose answers reach the clients before the connections close. */
static void test_stop_drains_parked(void **state)
{
	struct http_server *srv = start();
	struct parked_client c[3];
	pthread_t t[3];
	int i, n = 0;

	(void)state;
	for (i = 0; i < 3; i++) {
		c[i].port = http_server_port(srv);
		c[i].status = 0;
		assert_int_equal(pthread_create(&t[i], NULL, parked_main, &c[i]), 0);
	}
	while (n < 3) {		/* all three parked */
		sleep_ms(5);
		pthread_mutex_lock(&parked_lock);
		n = nparked;
		pthread_mutex_unlock(&parked_lock);
	}
	http_server_stop(srv, 50);
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].status, 200);
		assert_string_equal(c[i].body, "drained");
	}
}

/* A client that leaves while its request is parked: the answer goes nowhere, nothing breaks. */
static void test_client_gone_while_deferred(void **state)
{
	struct http_server *srv = start();
	char body[64];
	int i, fd;

	(void)state;
	for (i = 0; i < 20; i++) {
		static const char req[] = "GET /later/sleep?n=gone HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

		fd = connect_to(http_server_port(srv));
		assert_true(fd >= 0);
		assert_true(write(fd, req, sizeof(req) - 1) == (ssize_t)(sizeof(req) - 1));
		close(fd);
	}
	sleep_ms(100);
	fd = connect_to(http_server_port(srv));
	assert_int_equal(get(fd, "/later/thread?n=after", body, sizeof(body)), 200);
	assert_string_equal(body, "thread after");
	close(fd);
	http_server_stop(srv, 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deferred_answers_each_way),
		cmocka_unit_test(test_many_at_once),
		cmocka_unit_test(test_stop_drains_parked),
		cmocka_unit_test(test_client_gone_while_deferred),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
