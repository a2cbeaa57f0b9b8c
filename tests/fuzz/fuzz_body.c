/*
 * fuzz_body.c - the JSON body of every write route.  The first byte picks the
 * route (POST, PATCH, PUT, DELETE of the API's real route table, photo uploads
 * aside: fuzz_multipart has their parser), the second the id in its path and
 * the Content-Type; the rest is the body.  Each runs as the administrator in a
 * transaction rolled back after, so the body validation tables and the domain
 * checks behind them meet the input, and must answer 4xx, never crash or 5xx.
 */
#include "fuzz_api.h"

#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WRITES 256

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct http_route *writes[MAX_WRITES];
static size_t nwrites;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct http_route *routes;
	size_t n, i;

	(void)argc;
	(void)argv;
	fuzz_api_setup();
	routes = api_routes(&n);
	for (i = 0; i < n && nwrites < MAX_WRITES; i++) {
		if (!strcmp(routes[i].method, "GET") || strstr(routes[i].pattern, "/uploads") ||
		    !strcmp(routes[i].pattern, "/api/v1/auth/logout"))
			continue;
		writes[nwrites++] = &routes[i];
	}
	return 0;
}

/* The route's pattern with every {name} replaced by id. */
static void fill_path(const char *pattern, unsigned id, char *out, size_t outlen)
{
	size_t o = 0;

	while (*pattern && o + 12 < outlen) {
		if (*pattern == '{') {
			const char *end = strchr(pattern, '}');

			o += (size_t)snprintf(out + o, outlen - o, "%u", id);
			pattern = end ? end + 1 : pattern + strlen(pattern);
			continue;
		}
		out[o++] = *pattern++;
	}
	out[o] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = { "application/json", "application/json; charset=utf-8", "text/csv",
					     "text/csv; charset=utf-8", "text/plain", "multipart/form-data", "", "application/json" };
	const struct http_route *route, *routes;
	struct http_request req;
	char path[256], *body;
	size_t n;
	unsigned id;

	if (size < 2 || size > 65536 || !nwrites)
		return 0;
	route = writes[data[0] % nwrites];
	id = (data[1] & 0x1f) == 0x1f ? 2026 : (data[1] & 0x1f);	/* small ids, and a calendar year */
	fill_path(route->pattern, id, path, sizeof(path));
	fuzz_conn_reset();
	if (types[data[1] >> 5][0])
		fuzz_conn_add(1, "Content-Type", types[data[1] >> 5]);
	body = malloc(size - 2 + 1);
	memcpy(body, data + 2, size - 2);
	body[size - 2] = '\0';
	memset(&req, 0, sizeof(req));
	req.method = route->method;
	req.path = path;
	req.raw_url = path;
	req.body = body;
	req.body_len = size - 2;
	routes = api_routes(&n);
	if (router_match(routes, n, route->method, path, &req) == ROUTE_FOUND)
		fuzz_api_run(req.route, &req);
	http_request_clear_params(&req);
	free(body);
	return 0;
}
