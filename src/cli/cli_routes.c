/*
 * cli_routes.c - `yuanluo routes`: the API's route table as JSON, each route
 * with its permission (tests and tools/openapi.mjs read it).
 */
#include "api/api.h"
#include "auth/account.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_routes(int argc, char **argv, const struct config *cfg)
{
	const struct http_route *r;
	json_t *arr = json_array();
	size_t n, i;
	char *out;

	YL_UNUSED(cfg);
	if (argc > 1)
		return cli_usage_error("routes", "unexpected argument '%s'", argv[1]);
	r = api_routes(&n);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "method", r[i].method,
						     "pattern", r[i].pattern, "permission", r[i].permission, "summary",
						     r[i].summary, "audit", (r[i].flags & ROUTE_AUDIT) != 0, "unscoped",
						     (r[i].flags & ROUTE_UNSCOPED) != 0));
	out = json_dumps(arr, JSON_INDENT(1));
	puts(out);
	free(out);
	json_decref(arr);
	return 0;
}
