/*
 * fuzz_csv.c - CSV import: the input is a CSV file.  The first byte picks the
 * import (nodes, persons, 12345 hotline orders, enterprises' monthly
 * indicators), and whether it is a dry run;
 * the file goes through the parser, the header map, every row's checks and
 * address matching, through the API route as the administrator, in a
 * transaction rolled back after.  The parser alone runs on every input too.
 */
#include "fuzz_api.h"

#include "api/api.h"
#include "csvio/csvio.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "/api/v1/import/nodes", "/api/v1/import/persons", "/api/v1/import/hotline",
					     "/api/v1/import/indicators" };
	const struct http_route *routes;
	struct http_request req;
	struct csv_table t;
	struct csv_problems probs;
	char *text;
	size_t n;

	if (size < 1 || size > 65536)
		return 0;
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	memset(&t, 0, sizeof(t));
	memset(&probs, 0, sizeof(probs));
	csv_parse_text(text, size - 1, 1000, &t, &probs);
	csv_table_release(&t);
	csv_problems_release(&probs);

	fuzz_conn_reset();
	fuzz_conn_add(1, "Content-Type", "text/csv");
	if (data[0] & 4)
		fuzz_conn_add(0, "dry_run", "true");
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.path = paths[data[0] & 3];
	req.raw_url = req.path;
	req.body = text;
	req.body_len = size - 1;
	routes = api_routes(&n);
	if (router_match(routes, n, "POST", req.path, &req) == ROUTE_FOUND)
		fuzz_api_run(req.route, &req);
	http_request_clear_params(&req);
	free(text);
	return 0;
}
