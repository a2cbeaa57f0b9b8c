/* api_workorder.h - JSON shapes of work orders, for the handlers of api_workorder.c and those that list orders. */
#ifndef YL_API_WORKORDER_H
#define YL_API_WORKORDER_H

#include "api/api.h"
#include "auth/auth.h"
#include "workorder/workorder.h"

/*
 * An order as actor may see it: the caller's phone masked; a confidential
 * caller hidden ("caller": null, "caller_hidden": true) from actors without
 * workorder.dispatch; times as Asia/Shanghai text.  No events: see the get route.
 */
json_t *api_wo_json(struct store *s, const struct actor *a, const struct wo_order *o);

/* GET /work-orders' query parameters (state, under, category_id, from, to, q ...) into a filter; -1 after 400. */
int api_wo_filter(struct http_request *req, struct http_response *res, struct wo_filter *flt);

#endif
