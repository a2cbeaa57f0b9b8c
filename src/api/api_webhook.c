/*
 * api_webhook.c - /api/v1/webhooks: subscribers of outbound webhooks and the
 * admin view of their deliveries (src/webhook/webhook.h).  Permission
 * webhooks.admin; deployment-wide (ROUTE_UNSCOPED).  A secret is shown once,
 * when the server generates it; never afterwards.
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "webhook/webhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *events_json(const char *list)
{
	json_t *arr = json_array();
	const char *p = list;

	while (p && *p) {
		size_t len = strcspn(p, ",");

		json_array_append_new(arr, json_stringn(p, len));
		p += len + (p[len] == ',');
	}
	return arr;
}

static json_t *subscriber_json(const struct webhook_subscriber *w)
{
	return json_pack("{s:I, s:s, s:o, s:b, s:s, s:s, s:{s:I, s:I, s:I}}", "id", (json_int_t)w->id, "url", w->url,
			 "events", events_json(w->events), "active", w->active, "created_at", w->created_at,
			 "updated_at", w->updated_at, "deliveries", "pending", (json_int_t)w->pending, "failed",
			 (json_int_t)w->failed, "delivered", (json_int_t)w->delivered);
}

static const struct api_field create_fields[] = {
	{ "url", API_STRING, 1, 0, WEBHOOK_URL_MAX },
	{ "secret", API_STRING, 0, 0, WEBHOOK_SECRET_MAX },
	{ "events", API_STRING_ARRAY, 0, 0, 40 },
	{ "active", API_BOOL, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static const struct api_field update_fields[] = {
	{ "url", API_STRING, 0, 0, WEBHOOK_URL_MAX },
	{ "secret", API_STRING, 0, 0, WEBHOOK_SECRET_MAX },
	{ "events", API_STRING_ARRAY, 0, 0, 40 },
	{ "active", API_BOOL, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

/* The events array as a comma list (NULL when absent); -1 after answering 400. */
static int events_from(struct http_response *res, json_t *body, char **out)
{
	json_t *arr = json_object_get(body, "events"), *e;
	struct buf b = BUF_INIT;
	size_t i;

	*out = NULL;
	if (!arr)
		return 0;
	if (!json_array_size(arr)) {
		http_reply_error(res, 400, "invalid", "events", "events names at least one of %s", WEBHOOK_EVENTS);
		return -1;
	}
	buf_init(&b);
	json_array_foreach(arr, i, e) {
		const char *v = json_string_value(e);

		if (strchr(v, ',')) {
			buf_release(&b);
			http_reply_error(res, 400, "invalid", "events", "'%s' is not an event: %s", v, WEBHOOK_EVENTS);
			return -1;
		}
		buf_addf(&b, "%s%s", i ? "," : "", v);
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

static void input_from(json_t *body, struct webhook_input *in)
{
	memset(in, 0, sizeof(*in));
	in->url = api_str(body, "url");
	in->secret = api_str(body, "secret");
	in->active = api_has(body, "active") ? json_is_true(json_object_get(body, "active")) : -1;
}

static void reply_subscriber(struct http_response *res, struct store *s, int64_t id, int status, const char *secret)
{
	struct webhook_subscriber w;
	struct fault f = { 0 };
	json_t *j;

	if (webhook_get(s, id, &w, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	j = subscriber_json(&w);
	if (secret)
		json_object_set_new(j, "secret", json_string(secret));	/* shown this once */
	webhook_subscriber_release(&w);
	http_reply_json(res, status, j);
}

static void api_webhook_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct webhook_input in;
	struct fault f = { 0 };
	char *events = NULL, *secret = NULL;
	int64_t id = 0;
	json_t *body;

	if (!s || !(body = api_body(req, res, create_fields)))
		return;
	input_from(body, &in);
	if (events_from(res, body, &events) == 0) {
		in.events = events;
		if (webhook_create(s, &in, &id, &secret, &f) < 0)
			api_fail(res, &f);
		else
			reply_subscriber(res, s, id, 201, secret);
	}
	free(secret);
	free(events);
	json_decref(body);
}

static void api_webhook_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = api_path_id(req, res, "id");
	struct webhook_input in;
	struct fault f = { 0 };
	char *events = NULL;
	json_t *body;

	if (!s || !id || !(body = api_body(req, res, update_fields)))
		return;
	input_from(body, &in);
	if (events_from(res, body, &events) == 0) {
		in.events = events;
		if (webhook_update(s, id, &in, &f) < 0)
			api_fail(res, &f);
		else
			reply_subscriber(res, s, id, 200, NULL);
	}
	free(events);
	json_decref(body);
}

static void api_webhook_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = api_path_id(req, res, "id");

	if (s && id)
		reply_subscriber(res, s, id, 200, NULL);
}

static void api_webhook_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct webhook_subscriber_list l;
	struct fault f = { 0 };
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_paging(req, res, &limit, &offset) < 0)
		return;
	if (webhook_list(s, limit, offset, &l, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < l.n; i++)
		json_array_append_new(items, subscriber_json(&l.items[i]));
	api_reply_list(res, items, l.total, limit, offset);
	webhook_subscriber_list_release(&l);
}

static void api_webhook_deliveries(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct webhook_delivery_list l;
	struct webhook_backlog bl;
	struct fault f = { 0 };
	int64_t subscriber = 0;
	int limit, offset;
	json_t *items, *j;
	size_t i;

	if (!s || api_paging(req, res, &limit, &offset) < 0 ||
	    api_query_int(req, res, "subscriber_id", 1, INT64_MAX, 0, &subscriber) < 0)
		return;
	if (webhook_deliveries(s, http_query(req, "state"), subscriber, limit, offset, &l, &f) < 0 ||
	    webhook_backlog(s, &bl, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < l.n; i++) {
		const struct webhook_delivery *d = &l.items[i];
		json_t *payload = json_loads(d->payload, 0, NULL);

		json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:I, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o}",
			"id", (json_int_t)d->id, "subscriber_id", (json_int_t)d->subscriber_id, "event", d->event,
			"order_id", (json_int_t)d->order_id, "state", d->state, "attempts", d->attempts,
			"last_status", d->last_status < 0 ? json_null() : json_integer(d->last_status),
			"last_error", json_str_or_null(d->last_error), "created_at", json_time_or_null(d->created_at),
			"next_at", strcmp(d->state, "pending") ? json_null() : json_time_or_null(d->next_at),
			"delivered_at", json_time_or_null(d->delivered_at), "payload", payload ? payload : json_null()));
	}
	webhook_delivery_list_release(&l);
	j = json_pack("{s:o, s:{s:I, s:I, s:I, s:o}, s:i, s:i}", "items", items, "backlog", "pending",
		      (json_int_t)bl.pending, "failed", (json_int_t)bl.failed, "delivered", (json_int_t)bl.delivered,
		      "oldest_pending_at", json_time_or_null(bl.oldest_pending), "limit", limit, "offset", offset);
	http_reply_json(res, 200, j);
}

static void api_webhook_retry(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = api_path_id(req, res, "id");
	struct fault f = { 0 };

	if (!s || !id)
		return;
	if (webhook_retry(s, id, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "pending"));
}

const struct http_route api_webhook_routes[] = {
	{ "GET", "/api/v1/webhooks", api_webhook_list, "webhooks.admin", "webhook subscribers with their delivery counts",
	  ROUTE_UNSCOPED },
	{ "POST", "/api/v1/webhooks", api_webhook_create, "webhooks.admin",
	  "add a webhook subscriber (url http/https, events, secret: generated and shown once when not given)",
	  ROUTE_UNSCOPED },
	{ "GET", "/api/v1/webhooks/deliveries", api_webhook_deliveries, "webhooks.admin",
	  "the webhook outbox: backlog, failures (state, subscriber_id, limit, offset)", ROUTE_UNSCOPED },
	{ "POST", "/api/v1/webhooks/deliveries/{id}/retry", api_webhook_retry, "webhooks.admin",
	  "send a failed delivery again", ROUTE_UNSCOPED },
	{ "GET", "/api/v1/webhooks/{id}", api_webhook_get, "webhooks.admin", "one webhook subscriber", ROUTE_UNSCOPED },
	{ "PATCH", "/api/v1/webhooks/{id}", api_webhook_update, "webhooks.admin",
	  "change a subscriber (url, events, secret, active)", ROUTE_UNSCOPED },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
