/* api_routes.h - the route tables of the api_*.c files, each ended by a { NULL } row. */
#ifndef YL_API_ROUTES_H
#define YL_API_ROUTES_H

#include "http/http.h"

extern const struct http_route api_auth_routes[];
extern const struct http_route api_org_routes[];
extern const struct http_route api_people_routes[];
extern const struct http_route api_csv_routes[];
extern const struct http_route api_workorder_routes[];
extern const struct http_route api_calendar_routes[];
extern const struct http_route api_upload_routes[];
extern const struct http_route api_stats_routes[];
extern const struct http_route api_open311_routes[];
extern const struct http_route api_webhook_routes[];
extern const struct http_route api_wo_config_routes[];
extern const struct http_route api_import_job_routes[];
extern const struct http_route api_export_routes[];
extern const struct http_route api_public_routes[];
extern const struct http_route api_metrics_routes[];
extern const struct http_route api_tasks_routes[];
extern const struct http_route api_insight_routes[];
extern const struct http_route api_project_routes[];
extern const struct http_route api_council_routes[];
extern const struct http_route api_enterprise_routes[];
extern const struct http_route api_cobuild_routes[];
extern const struct http_route api_volunteer_routes[];

#endif
