/*
 * fuzz_route.c - URL, query string and routing: the input is a request line
 * "METHOD URL" and header lines.  The path is percent-decoded and routed over
 * the API's real route table; the query string is split and decoded as the
 * transport does; a GET that matches runs its handler as the administrator,
 * so every list filter and paging parameter meets the input.
 */
#include "fuzz_api.h"

#include "api/api.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_api_setup();
	return 0;
}

static void add_query(char *q)
{
	char *save = NULL, *pair;

	for (pair = strtok_r(q, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '='), *v = pair + strlen(pair);

		if (eq) {
			*eq = '\0';
			v = eq + 1;
		}
		if (http_url_decode(pair, 1) < 0 || http_url_decode(v, 1) < 0)
			continue;
		fuzz_conn_add(0, pair, v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct http_route *routes;
	struct http_request req;
	char *text, *line, *save = NULL, *sp, *url, *q, method[16], allow[256];
	size_t n;
	enum route_match m;

	if (size > 8192)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	fuzz_conn_reset();
	line = strtok_r(text, "\n", &save);
	if (!line || !(sp = strchr(line, ' ')) || sp - line >= (long)sizeof(method)) {
		free(text);
		return 0;
	}
	memcpy(method, line, (size_t)(sp - line));
	method[sp - line] = '\0';
	url = sp + 1;
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *colon = strchr(line, ':');

		if (colon) {
			*colon = '\0';
			fuzz_conn_add(1, line, colon[1] == ' ' ? colon + 2 : colon + 1);
		}
	}
	q = strchr(url, '?');
	if (q) {
		*q++ = '\0';
		add_query(q);
	}
	if (http_url_decode(url, 0) < 0 || !utf8_valid_text(url, strlen(url))) {
		free(text);
		return 0;
	}
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = url;
	req.raw_url = url;
	req.body = (char *)"";
	routes = api_routes(&n);
	m = router_match(routes, n, method, url, &req);
	if (m == ROUTE_BAD_METHOD)
		router_allowed_methods(routes, n, url, allow, sizeof(allow));
	/* Reads only (writes are fuzz_body's), and not the whole-database exports (slow, nothing parsed). */
	if (m == ROUTE_FOUND && strcmp(method, "GET") == 0 && !strstr(req.route->pattern, "/export/") &&
	    !strstr(req.route->pattern, "/audit/verify"))
		fuzz_api_run(req.route, &req);
	http_request_clear_params(&req);
	free(text);
	return 0;
}
