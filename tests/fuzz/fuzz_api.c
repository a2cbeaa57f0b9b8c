/*
 * fuzz_api.c - the shared set-up of the API fuzz targets (fuzz_api.h).
 */
#include "fuzz_api.h"

#include "api/api.h"
#include "auth/auth.h"
#include "auth/pii.h"
#include "store/store.h"
#include "util/log.h"
#include "util/util.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_VALUES 64

struct fake_value {
	int is_header;
	char *key, *value;
};

static struct fake_value values[MAX_VALUES];
static int nvalues;
static struct actor admin;
static struct store *db;

/*
 * Stands in for libmicrohttpd's own: the executable's definition wins over
 * the shared library's, so handlers read the fuzz input.  Keys compare as
 * libmicrohttpd compares them: headers without case, arguments exactly.
 */
const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind, const char *key)
{
	int i;

	(void)connection;
	if (!key)
		return NULL;
	for (i = 0; i < nvalues; i++) {
		if (values[i].is_header && (kind & MHD_HEADER_KIND) && strcasecmp(values[i].key, key) == 0)
			return values[i].value;
		if (!values[i].is_header && (kind & MHD_GET_ARGUMENT_KIND) && strcmp(values[i].key, key) == 0)
			return values[i].value;
	}
	return NULL;
}

void fuzz_conn_reset(void)
{
	int i;

	for (i = 0; i < nvalues; i++) {
		free(values[i].key);
		free(values[i].value);
	}
	nvalues = 0;
}

void fuzz_conn_add(int is_header, const char *key, const char *value)
{
	if (nvalues == MAX_VALUES)
		return;
	values[nvalues].is_header = is_header;
	values[nvalues].key = xstrdup(key);
	values[nvalues].value = xstrdup(value);
	nvalues++;
}

static void run_or_die(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "fuzz set-up failed: %s\n", cmd);
		exit(1);
	}
}

void fuzz_api_setup(void)
{
	static char dir[] = "/tmp/yuanluo-fuzz-XXXXXX";
	const char *bin = getenv("YUANLUO_BIN") ? getenv("YUANLUO_BIN") : "./yuanluo";
	char cmd[1024], dbpath[256], key[256], err[512];
	const struct http_route *routes;
	size_t n, i;

	if (db)
		return;
	log_set_level(LOG_ERROR);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(dbpath, sizeof(dbpath), "%s/fuzz.db", dir);
	snprintf(key, sizeof(key), "%s/fuzz.key", dir);
	snprintf(cmd, sizeof(cmd), "%s init --db %s --key-file %s >/dev/null && %s demo --no-orders --db %s --key-file %s >/dev/null",
		 bin, dbpath, key, bin, dbpath, key);
	run_or_die(cmd);
	if (pii_init(key, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz set-up: %s\n", err);
		exit(1);
	}
	api_init(dbpath);
	db = api_store(NULL);
	if (!db) {
		fprintf(stderr, "fuzz set-up: cannot open %s\n", dbpath);
		exit(1);
	}
	/* The administrator: user 1 from init, every permission a route asks for, no scope. */
	memset(&admin, 0, sizeof(admin));
	admin.user_id = 1;
	admin.session_id = 1;
	snprintf(admin.login, sizeof(admin.login), "admin");
	snprintf(admin.role, sizeof(admin.role), "admin");
	snprintf(admin.remote, sizeof(admin.remote), "127.0.0.1");
	routes = api_routes(&n);
	for (i = 0; i < n && admin.nperms < AUTH_MAX_PERMS; i++) {
		int j, seen = 0;

		for (j = 0; j < admin.nperms; j++)
			seen |= strcmp(admin.perms[j], routes[i].permission) == 0;
		if (!seen)
			snprintf(admin.perms[admin.nperms++], sizeof(admin.perms[0]), "%s", routes[i].permission);
	}
}

void fuzz_api_run(const struct http_route *route, struct http_request *req)
{
	struct http_response res;

	http_response_init(&res);
	req->conn = (void *)1;	/* never dereferenced: the lookups above ignore it */
	req->route = route;
	req->user = &admin;
	req->user_free = NULL;
	snprintf(req->remote, sizeof(req->remote), "127.0.0.1");
	if (store_begin_write(db) != STORE_OK) {
		fprintf(stderr, "fuzz: cannot begin: %s\n", store_errmsg(db));
		abort();
	}
	route->handler(req, &res);
	while (store_in_transaction(db))
		store_rollback(db);
	if (res.status >= 500 || res.status < 100) {
		fprintf(stderr, "fuzz: %s %s answered %d: %.*s\n", req->method, route->pattern, res.status,
			(int)res.body.len, res.body.data ? res.body.data : "");
		abort();
	}
	free(req->note);
	req->note = NULL;
	http_response_release(&res);
}
