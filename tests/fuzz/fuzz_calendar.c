/*
 * fuzz_calendar.c - loading a working-day calendar: the first byte picks the
 * year the file is said to be for (none, 2025, 2026); the rest is the file.
 * It is parsed alone, then sent to PUT /api/v1/calendar/{year} as the
 * administrator (parsed again, checked, loaded, rolled back).
 */
#include "fuzz_api.h"

#include "api/api.h"
#include "calendar/calendar.h"
#include "util/fault.h"

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
	static const int years[] = { 0, 2025, 2026 };
	const struct http_route *routes;
	struct calendar_file cf;
	struct http_request req;
	struct fault f = { 0 };
	char *text, path[64];
	int year;
	size_t n;

	if (size < 1 || size > 65536)
		return 0;
	year = years[data[0] % 3];
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	memset(&cf, 0, sizeof(cf));
	calendar_file_parse(&cf, text, size - 1, year, &f);
	calendar_file_release(&cf);

	snprintf(path, sizeof(path), "/api/v1/calendar/%d", year ? year : 2026);
	fuzz_conn_reset();
	fuzz_conn_add(1, "Content-Type", (data[0] & 8) ? "text/csv" : "text/plain; charset=utf-8");
	memset(&req, 0, sizeof(req));
	req.method = "PUT";
	req.path = path;
	req.raw_url = path;
	req.body = text;
	req.body_len = size - 1;
	routes = api_routes(&n);
	if (router_match(routes, n, "PUT", path, &req) == ROUTE_FOUND)
		fuzz_api_run(req.route, &req);
	http_request_clear_params(&req);
	free(text);
	return 0;
}
