/* api_stats.h - the figures' query (?node=&from=&to=), shared by api_stats.c and the exports of api_export.c. */
#ifndef YL_API_STATS_H
#define YL_API_STATS_H

#include "api/api.h"

/* node inside the actor's scope (absent: the scope, or 0 for the deployment), from and to as local days; -1 after 4xx. */
int api_stats_query(struct http_request *req, struct http_response *res, int64_t *node, char from[11], char to[11]);

#endif
