/*
 * api_routes.c - the route table: every route of the server, its permission
 * and a one-line summary, gathered from the tables of the api_*.c files.
 * Tests and the OpenAPI description read this table.
 */
#include "api/api.h"
#include "api/api_routes.h"

#include <pthread.h>
#include <string.h>

static const struct http_route core_routes[] = {
	{ "GET", "/healthz", api_healthz, "public", "liveness and database check" },
	{ "GET", "/api/openapi.json", api_openapi, "public", "this API's OpenAPI 3.1 description (docs/openapi.json)" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct http_route *const tables[] = {
	core_routes,
	api_auth_routes,
	api_org_routes,
	api_people_routes,
	api_csv_routes,
	api_workorder_routes,
	api_tasks_routes,
	api_project_routes,
	api_calendar_routes,
	api_upload_routes,
	api_stats_routes,
	api_open311_routes,
	api_webhook_routes,
	api_wo_config_routes,
	api_import_job_routes,
	api_export_routes,
	api_public_routes,
	api_metrics_routes,
	api_enterprise_routes,
	api_insight_routes,
	api_cobuild_routes,
	api_council_routes,
	api_volunteer_routes,
};

static struct http_route *all;
static size_t nall;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void gather(void)
{
	size_t t, i;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (i = 0; tables[t][i].method; i++) {
			all = xrealloc(all, (nall + 1) * sizeof(*all));
			all[nall++] = tables[t][i];
		}
}

const struct http_route *api_routes(size_t *n)
{
	pthread_once(&once, gather);
	*n = nall;
	return all;
}
