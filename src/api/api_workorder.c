/*
 * api_workorder.c - /api/v1/work-orders and /api/v1/wo-categories.
 *
 * The rules live in src/workorder/ (intake, routing, the state machine and
 * who sees what); this file checks JSON types, turns bodies and query strings
 * into inputs and faults into errors.  Route permissions: workorder.create,
 * workorder.read (one's own orders; with workorder.read_all every order of the
 * scope: the domain decides), workorder.act for every action (the action's own
 * permission is the state machine's), workorder.reveal for a caller in full.
 */
#include "api/api.h"
#include "util/check.h"
#include "api/api_auth.h"
#include "api/api_routes.h"
#include "api/api_workorder.h"
#include "auth/pii.h"
#include "org/org.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *path_or_null(struct store *s, int64_t node)
{
	char *p;
	json_t *v;

	if (!node)
		return json_null();
	p = org_node_path(s, node);
	v = json_str_or_null(p);
	free(p);
	return v;
}

static json_t *ids_json(const int64_t *ids, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_integer((json_int_t)ids[i]));
	return arr;
}

static json_t *caller_json(const struct actor *a, const struct wo_order *o, int *hidden)
{
	char *masked;
	json_t *c;

	/* 保密: the units handling a confidential request never see who asked. */
	*hidden = o->confidential && a && !actor_can(a, "workorder.dispatch");
	if (*hidden)
		return json_null();
	masked = pii_mask_phone(o->caller_phone);
	c = json_pack("{s:o, s:o}", "name", json_str_or_null(o->caller_name), "phone", json_str_or_null(masked));
	free(masked);
	return c;
}

json_t *api_wo_json(struct store *s, const struct actor *a, const struct wo_order *o)
{
	json_t *j, *prov;
	int hidden;

	j = json_pack("{s:I, s:s, s:s, s:o, s:s, s:I, s:s, s:s, s:I, s:o, s:o, s:o}", "id", (json_int_t)o->id,
		      "number", o->number, "source", o->source, "external_no", json_str_or_null(o->external_no), "type",
		      o->type, "category_id", (json_int_t)o->category_id, "category_path", o->category_path, "urgency",
		      o->urgency, "node_id", (json_int_t)o->node_id, "node_path", path_or_null(s, o->node_id), "address",
		      json_str_or_null(o->address), "subdistrict_id", json_id_or_null(o->subdistrict_id));
	json_object_set_new(j, "category_external", json_str_or_null(o->category_external));
	json_object_set_new(j, "lat", o->has_coords ? json_real(o->lat) : json_null());
	json_object_set_new(j, "lng", o->has_coords ? json_real(o->lng) : json_null());
	json_object_set_new(j, "caller", caller_json(a, o, &hidden));
	json_object_set_new(j, "caller_hidden", json_boolean(hidden));
	json_object_set_new(j, "confidential", json_boolean(o->confidential));
	json_object_set_new(j, "text", json_string(o->text));
	json_object_set_new(j, "state", json_string(o->state));
	json_object_set_new(j, "return_from", json_str_or_null(o->return_from));
	json_object_set_new(j, "handler_node_id", json_id_or_null(o->handler_node_id));
	json_object_set_new(j, "handler_level", json_str_or_null(o->handler_level));
	json_object_set_new(j, "handler_path", path_or_null(s, o->handler_node_id));
	json_object_set_new(j, "settled_level", json_str_or_null(o->settled_level));
	json_object_set_new(j, "created_by", json_id_or_null(o->created_by));
	json_object_set_new(j, "received_at", json_time_or_null(o->received_at));
	json_object_set_new(j, "accepted_at", json_time_or_null(o->accepted_at));
	json_object_set_new(j, "dispatched_at", json_time_or_null(o->dispatched_at));
	json_object_set_new(j, "signed_at", json_time_or_null(o->signed_at));
	json_object_set_new(j, "replied_at", json_time_or_null(o->replied_at));
	json_object_set_new(j, "closed_at", json_time_or_null(o->closed_at));
	json_object_set_new(j, "sign_deadline", json_time_or_null(o->sign_deadline));
	json_object_set_new(j, "return_deadline", json_time_or_null(o->return_deadline));
	json_object_set_new(j, "deadline", json_time_or_null(o->deadline));
	/* The deadlines counted on a provisional calendar (a year not loaded): recounted when it is. */
	prov = json_array();
	if (o->provisional.sign_deadline && o->sign_deadline)
		json_array_append_new(prov, json_string("sign_deadline"));
	if (o->provisional.return_deadline && o->return_deadline)
		json_array_append_new(prov, json_string("return_deadline"));
	if (o->provisional.deadline && o->deadline)
		json_array_append_new(prov, json_string("deadline"));
	json_object_set_new(j, "provisional", prov);
	json_object_set_new(j, "card", json_string(o->card ? o->card : "none"));
	json_object_set_new(j, "returns", json_integer(o->returns));
	json_object_set_new(j, "extensions", json_integer(o->extensions));
	json_object_set_new(j, "redos", json_integer(o->redos));
	json_object_set_new(j, "supervisions", json_integer(o->supervisions));
	json_object_set_new(j, "escalations", json_integer(o->escalations));
	json_object_set_new(j, "reopens", json_integer(o->reopens));
	json_object_set_new(j, "extension_days_requested", json_integer(o->extension_days_requested));
	json_object_set_new(j, "extension_days_granted", json_integer(o->extension_days_granted));
	json_object_set_new(j, "satisfaction", json_str_or_null(o->satisfaction));
	json_object_set_new(j, "resolved", o->resolved < 0 ? json_null() : json_boolean(o->resolved));
	json_object_set_new(j, "photo_ids", ids_json(o->photo_ids, o->nphotos));
	json_object_set_new(j, "created_at", json_string(o->created_at));
	json_object_set_new(j, "updated_at", json_string(o->updated_at));
	return j;
}

static json_t *events_json(const struct wo_event_list *l)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct wo_event *e = &l->items[i];

		json_array_append_new(
			arr, json_pack("{s:I, s:o, s:o, s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)e->id,
				       "at", json_time_or_null(e->at), "actor_user_id", json_id_or_null(e->actor_user_id),
				       "actor_login", json_str_or_null(e->actor_login), "action", e->action, "from_state",
				       json_str_or_null(e->from_state), "to_state", e->to_state, "node_id",
				       json_id_or_null(e->node_id), "opinion", json_str_or_null(e->opinion), "detail",
				       json_str_or_null(e->detail), "photo_ids", ids_json(e->photo_ids, e->nphotos)));
	}
	return arr;
}

/*
 * The order with its events and what the actor may do now; for the intake
 * desk, where routing would send it while it waits for a dispatch.
 */
static json_t *order_full_json(struct store *s, const struct actor *a, const struct wo_order *o, struct fault *f)
{
	const char *names[WO_MAX_ACTIONS];
	struct wo_event_list events;
	struct wo_route route;
	json_t *j, *allowed;
	size_t n, i;

	if (wo_events(s, o->id, &events, f) < 0)
		return NULL;
	j = api_wo_json(s, a, o);
	json_object_set_new(j, "events", events_json(&events));
	wo_event_list_release(&events);
	n = wo_allowed_actions(s, a, o, names, WO_MAX_ACTIONS);
	allowed = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(allowed, json_string(names[i]));
	json_object_set_new(j, "allowed_actions", allowed);
	if ((!strcmp(o->state, "received") || !strcmp(o->state, "accepted")) && a &&
	    actor_can(a, "workorder.dispatch") &&
	    wo_route(s, o->category_id, o->type, o->node_id, &route, f) == 0)
		json_object_set_new(j, "route",
				    json_pack("{s:I, s:s, s:b, s:o}", "node_id", (json_int_t)route.node_id, "level",
					      route.level, "exact", route.exact, "node_path",
					      path_or_null(s, route.node_id)));
	fault_clear(f);
	return j;
}

/* Loads the order as the request's actor sees it; 0 after answering (404 when not visible). */
static int load_visible(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			struct wo_order *o)
{
	struct fault f = { 0 };
	int vis;

	if (wo_get(s, id, o, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	vis = wo_visible(s, api_actor(req), o);
	if (vis == 1)
		return 1;
	if (vis < 0)
		store_fault(s, STORE_ERROR, &f);
	else
		fault_set(&f, FAULT_NOT_FOUND, "id", "work order %lld does not exist", (long long)id);
	api_fail(res, &f);
	wo_order_release(o);
	return 0;
}

static void reply_order_json(struct http_request *req, struct http_response *res, struct store *s,
			     struct wo_order *o, int status);

static void reply_order(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			int status)
{
	struct wo_order o;

	if (load_visible(req, res, s, id, &o))
		reply_order_json(req, res, s, &o, status);
}

/*
 * The answer to a submission: its filer sees what they filed even when their
 * role reads no orders (a hotline bridge's token holds workorder.create only).
 */
static void reply_filed(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct fault f = { 0 };
	struct wo_order o;

	if (wo_get(s, id, &o, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	reply_order_json(req, res, s, &o, status);
}

static void reply_order_json(struct http_request *req, struct http_response *res, struct store *s,
			     struct wo_order *o, int status)
{
	struct fault f = { 0 };
	json_t *j;

	j = order_full_json(s, api_actor(req), o, &f);
	wo_order_release(o);
	if (!j) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, status, j);
}

/* Intake. */

static const struct api_field create_fields[] = {
	{ "source", API_STRING, 1, 0, 20 },
	{ "external_no", API_STRING, 0, 1, 64 },
	{ "type", API_STRING, 1, 0, 20 },
	{ "category_id", API_ID, 0, 0, 0 },
	{ "category", API_STRING, 0, 0, 200 },
	{ "urgency", API_STRING, 0, 0, 20 },
	{ "node_id", API_ID, 1, 0, 0 },
	{ "address", API_STRING, 0, 1, 200 },
	{ "lat", API_NUMBER, 0, 1, 0 },
	{ "lng", API_NUMBER, 0, 1, 0 },
	{ "caller_name", API_STRING, 0, 1, 50 },
	{ "caller_phone", API_STRING, 0, 1, 30 },
	{ "confidential", API_BOOL, 0, 0, 0 },
	/* Up to 4000 here: the domain names its 2000-character rule. */
	{ "text", API_STRING, 1, 0, 4000 },
	{ "photo_ids", API_ID_ARRAY, 0, 1, 0 },
	{ "idempotency_key", API_STRING, 0, 0, 100 },
	{ "received_at", API_STRING, 0, 0, 40 },
	{ "hotline_days", API_INT, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

/* Fills in from a validated body; photos receives the array to free.  -1 after answering 400. */
static int create_input_from(struct http_request *req, struct http_response *res, struct store *s, json_t *body,
			     struct wo_input *in, int64_t **photos)
{
	const char *hkey = http_header(req, "Idempotency-Key"), *bkey = api_str(body, "idempotency_key");
	json_t *arr = json_object_get(body, "photo_ids"), *e;
	int has_lat = api_has(body, "lat") && !api_is_null(body, "lat");
	int has_lng = api_has(body, "lng") && !api_is_null(body, "lng");
	struct fault f = { 0 };
	size_t i;

	memset(in, 0, sizeof(*in));
	*photos = NULL;
	in->source = api_str(body, "source");
	in->external_no = api_str(body, "external_no");
	in->type = api_str(body, "type");
	in->category_id = api_int(body, "category_id", 0);
	if (api_has(body, "category")) {
		if (in->category_id) {
			http_reply_error(res, 400, "invalid", "category", "give category_id or category (a path), not both");
			return -1;
		}
		if (wo_category_by_path(s, api_str(body, "category"), &in->category_id, &f) < 0) {
			if (f.kind == FAULT_NOT_FOUND)
				f.kind = FAULT_INVALID;
			snprintf(f.code, sizeof(f.code), "%s", fault_code(f.kind));
			api_fail(res, &f);
			return -1;
		}
	}
	in->urgency = api_str(body, "urgency");
	in->node_id = api_int(body, "node_id", 0);
	in->address = api_str(body, "address");
	if (has_lat != has_lng) {
		http_reply_error(res, 400, "invalid", has_lat ? "lng" : "lat", "lat and lng go together");
		return -1;
	}
	if (has_lat) {
		in->has_coords = 1;
		in->lat = json_number_value(json_object_get(body, "lat"));
		in->lng = json_number_value(json_object_get(body, "lng"));
	}
	in->caller_name = api_str(body, "caller_name");
	in->caller_phone = api_str(body, "caller_phone");
	in->confidential = json_is_true(json_object_get(body, "confidential"));
	in->text = api_str(body, "text");
	if (hkey && bkey && strcmp(hkey, bkey) != 0) {
		http_reply_error(res, 400, "invalid", "idempotency_key",
				 "the Idempotency-Key header and the idempotency_key field differ");
		return -1;
	}
	in->idempotency_key = hkey ? hkey : bkey;
	if (api_has(body, "received_at") && time_parse(api_str(body, "received_at"), TIME_ZONE, &in->received_at) < 0) {
		http_reply_error(res, 400, "invalid", "received_at",
				 "received_at must be a time such as 2022-11-03 09:12:45 (Asia/Shanghai) or 2022-11-03T09:12:45+08:00");
		return -1;
	}
	if (in->received_at && strcmp(in->source, "hotline") != 0) {
		http_reply_error(res, 400, "invalid", "received_at", "only hotline orders carry the hotline's received_at");
		return -1;
	}
	if (api_has(body, "hotline_days")) {
		int64_t d = api_int(body, "hotline_days", 0);

		if (d < 1 || d > 60) {
			http_reply_error(res, 400, "invalid", "hotline_days", "hotline_days must be from 1 to 60 working days");
			return -1;
		}
		in->hotline_days = (int)d;
	}
	if (json_array_size(arr)) {
		*photos = xcalloc(json_array_size(arr), sizeof(**photos));
		json_array_foreach(arr, i, e)
			(*photos)[i] = (int64_t)json_integer_value(e);
		in->photo_ids = *photos;
		in->nphotos = json_array_size(arr);
	}
	return 0;
}

static void api_wo_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	struct wo_input in;
	int64_t *photos = NULL, id = 0;
	int replayed = 0;
	json_t *body;

	if (!s || !(body = api_body(req, res, create_fields)))
		return;
	if (create_input_from(req, res, s, body, &in, &photos) == 0) {
		if (wo_create(s, api_actor(req), &in, &id, &replayed, &f) < 0) {
			api_fail(res, &f);
		} else {
			if (replayed)
				api_audit_note(req, "replayed: the idempotency key matched this order");
			reply_filed(req, res, s, id, replayed ? 200 : 201);
		}
	}
	free(photos);
	json_decref(body);
}

static void api_wo_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_order(req, res, s, id, 200);
}

/* Actions. */

static const struct api_field action_fields[] = {
	{ "action", API_STRING, 1, 0, 40 },
	{ "opinion", API_STRING, 0, 1, 4000 },
	{ "node_id", API_ID, 0, 1, 0 },
	{ "days", API_INT, 0, 1, 0 },
	{ "satisfaction", API_STRING, 0, 1, 40 },
	{ "resolved", API_BOOL, 0, 1, 0 },
	{ "photo_ids", API_ID_ARRAY, 0, 1, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_wo_action(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	json_t *body, *arr, *e;
	struct wo_action act;
	struct fault f = { 0 };
	int64_t *photos = NULL;
	char note[64];
	size_t i;

	if (!id || !(body = api_body(req, res, action_fields)))
		return;
	memset(&act, 0, sizeof(act));
	act.action = api_str(body, "action");
	act.opinion = api_str(body, "opinion");
	act.node_id = api_int(body, "node_id", 0);
	if (api_has(body, "days") && !api_is_null(body, "days")) {
		int64_t d = api_int(body, "days", 0);

		/* Out of range is refused by the domain, which knows the order's limit. */
		act.days = d >= 1 && d <= INT_MAX ? (int)d : -1;
	}
	act.satisfaction = api_str(body, "satisfaction");
	if (api_has(body, "resolved") && !api_is_null(body, "resolved")) {
		act.set_resolved = 1;
		act.resolved = json_is_true(json_object_get(body, "resolved"));
	}
	arr = json_object_get(body, "photo_ids");
	if (json_array_size(arr)) {
		photos = xcalloc(json_array_size(arr), sizeof(*photos));
		json_array_foreach(arr, i, e)
			photos[i] = (int64_t)json_integer_value(e);
		act.photo_ids = photos;
		act.nphotos = json_array_size(arr);
	}
	snprintf(note, sizeof(note), "action %s", act.action);
	api_audit_note(req, note);
	if (wo_transition(s, api_actor(req), id, &act, &f) < 0)
		api_fail(res, &f);
	else
		reply_order(req, res, s, id, 200);
	free(photos);
	json_decref(body);
}

/* The caller in full: a POST, so that the guard checks CSRF and audits it. */
static void api_wo_reveal(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct wo_order o;

	if (!id || !load_visible(req, res, s, id, &o))
		return;
	api_audit_note(req, "revealed caller");
	http_reply_json(res, 200,
			json_pack("{s:I, s:s, s:o, s:o, s:b}", "id", (json_int_t)o.id, "number", o.number, "caller_name",
				  json_str_or_null(o.caller_name), "caller_phone", json_str_or_null(o.caller_phone),
				  "confidential", o.confidential));
	wo_order_release(&o);
}

/* Lists. */

/*
 * A text query parameter of at most max characters: NULL when absent; -1 after
 * answering 400 naming it when not text.  The domain checks what the words mean.
 */
static int query_text(struct http_request *req, struct http_response *res, const char *name, size_t max,
		      const char **out)
{
	const char *v = http_query(req, name);

	*out = NULL;
	if (!v)
		return 0;
	if (!utf8_valid_text(v, strlen(v)) || utf8_length(v) > max) {
		http_reply_error(res, 400, "invalid", name, "%s must be text of at most %zu characters", name, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int query_created_by(struct http_request *req, struct http_response *res, int64_t *out)
{
	const char *v = http_query(req, "created_by");
	const struct actor *a = api_actor(req);

	*out = 0;
	if (!v)
		return 0;
	if (strcmp(v, "me") == 0) {
		/* A token files as nobody: "me" matches nothing for it. */
		*out = a && a->user_id ? a->user_id : -1;
		return 0;
	}
	if (parse_int64(v, 1, INT64_MAX, out) < 0) {
		http_reply_error(res, 400, "invalid", "created_by", "created_by must be me or a user id");
		return -1;
	}
	return 0;
}

/* The list's query parameters into a filter; -1 after answering 400 naming the parameter. */
static int list_filter(struct http_request *req, struct http_response *res, struct wo_filter *flt)
{
	int64_t limit;
	int overdue;

	memset(flt, 0, sizeof(*flt));
	if (query_text(req, res, "state", 200, &flt->state) < 0 || query_text(req, res, "source", 40, &flt->source) < 0 ||
	    query_text(req, res, "type", 40, &flt->type) < 0 || query_text(req, res, "urgency", 40, &flt->urgency) < 0 ||
	    query_text(req, res, "card", 40, &flt->card) < 0 || query_text(req, res, "sort", 40, &flt->sort) < 0 ||
	    query_text(req, res, "from", 40, &flt->from) < 0 || query_text(req, res, "to", 40, &flt->to) < 0 ||
	    query_text(req, res, "q", 200, &flt->q) < 0 || query_text(req, res, "after", 200, &flt->after) < 0 ||
	    api_query_int(req, res, "under", 1, INT64_MAX, 0, &flt->under_id) < 0 ||
	    api_query_int(req, res, "category_id", 1, INT64_MAX, 0, &flt->category_id) < 0 ||
	    api_query_int(req, res, "handler_node_id", 1, INT64_MAX, 0, &flt->handler_node_id) < 0 ||
	    query_created_by(req, res, &flt->created_by) < 0 ||
	    api_query_int(req, res, "before_id", 1, INT64_MAX, 0, &flt->before_id) < 0 ||
	    api_query_int(req, res, "limit", 1, 500, 50, &limit) < 0 ||
	    (overdue = api_query_bool(req, res, "overdue", 0)) < 0)
		return -1;
	flt->limit = (int)limit;
	flt->overdue = overdue;
	return 0;
}

/*
 * GET /work-orders: {"items": [...], "next": token or null, "next_before_id": id or null}.
 * The next page is ?after=<next> with the same filters (next_before_id: the older
 * before_id paging, time sort only).  No total: see wo_list().
 */
static void api_wo_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	const struct actor *a = api_actor(req);
	struct wo_filter flt;
	struct wo_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!s || list_filter(req, res, &flt) < 0)
		return;
	/* A named node outside the scope answers 404, as everywhere. */
	if (flt.under_id && actor_can(a, "workorder.read_all") && !api_scope_allows(req, res, flt.under_id))
		return;
	if (wo_list(s, a, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, api_wo_json(s, a, &list.items[i]));
	http_reply_json(res, 200,
			json_pack("{s:o, s:o, s:o}", "items", items, "next", json_str_or_null(list.next[0] ? list.next : NULL),
				  "next_before_id", json_id_or_null(list.next_before_id)));
	wo_list_release(&list);
}

/*
 * GET /work-orders/mine: {"to_sign": {"items": [...], "count": N}, ...}, the lists
 * of wo_tasks() the actor's role has, each its first ?limit (1..200, default 50).
 */
static void api_wo_mine(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	const struct actor *a = api_actor(req);
	struct wo_tasks tasks;
	struct fault f = { 0 };
	int64_t limit;
	json_t *body;
	size_t i, j;

	if (!s || api_query_int(req, res, "limit", 1, 200, 50, &limit) < 0)
		return;
	if (wo_tasks(s, a, (int)limit, &tasks, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	body = json_object();
	for (i = 0; i < tasks.n; i++) {
		const struct wo_task_list *l = &tasks.lists[i];
		json_t *items = json_array();

		for (j = 0; j < l->n; j++)
			json_array_append_new(items, api_wo_json(s, a, &l->items[j]));
		json_object_set_new(body, l->name, json_pack("{s:o, s:I}", "items", items, "count", (json_int_t)l->count));
	}
	wo_tasks_release(&tasks);
	http_reply_json(res, 200, body);
}

/* Categories, as a tree: roots with their children. */
static void api_wo_categories(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_category_list l;
	struct fault f = { 0 };
	json_t *roots, *byid;
	int inactive;
	size_t i;

	if (!s || (inactive = api_query_bool(req, res, "include_inactive", 0)) < 0)
		return;
	if (wo_category_list(s, inactive, &l, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	roots = json_array();
	byid = json_object();
	/* Parents come before their children in the list. */
	for (i = 0; i < l.n; i++) {
		const struct wo_category *c = &l.items[i];
		char key[24], pkey[24];
		json_t *o = json_pack("{s:I, s:o, s:s, s:s, s:o, s:b, s:o}", "id", (json_int_t)c->id, "parent_id",
				      json_id_or_null(c->parent_id), "code", c->code, "name", c->name, "route_level",
				      json_str_or_null(c->route_level), "active", c->active, "children", json_array());
		json_t *parent;

		snprintf(key, sizeof(key), "%lld", (long long)c->id);
		snprintf(pkey, sizeof(pkey), "%lld", (long long)c->parent_id);
		parent = c->parent_id ? json_object_get(byid, pkey) : NULL;
		json_object_set(byid, key, o);
		if (parent)
			json_array_append_new(json_object_get(parent, "children"), o);
		else if (!c->parent_id)
			json_array_append_new(roots, o);
		else
			json_decref(o);	/* a child of a hidden parent */
	}
	json_decref(byid);
	wo_category_list_release(&l);
	http_reply_json(res, 200, json_pack("{s:o}", "items", roots));
}

const struct http_route api_workorder_routes[] = {
	{ "GET", "/api/v1/work-orders", api_wo_list, "workorder.read",
	  "work orders the actor sees: ?state (comma list), under (the place), category_id, source, type, urgency,"
	  " from, to (local dates), overdue, card (yellow, red, any), handler_node_id, created_by (me or an id),"
	  " q (search), sort (time, deadline), after (the next token), limit" },
	{ "GET", "/api/v1/work-orders/mine", api_wo_mine, "workorder.read",
	  "my tasks: to sign, in progress, carded; to accept, dispatch, decide; to review, call back; reported"
	  " (the lists of the actor's role, each its first ?limit with the count of all)" },
	{ "POST", "/api/v1/work-orders", api_wo_create, "workorder.create",
	  "file a work order (Idempotency-Key: a retry answers 200 with the same order)", ROUTE_GROUP_COMMIT },
	{ "GET", "/api/v1/work-orders/{id}", api_wo_get, "workorder.read",
	  "one work order with its events and the actions the actor may take now" },
	{ "POST", "/api/v1/work-orders/{id}/actions", api_wo_action, "workorder.act",
	  "take an action: accept, dispatch, sign, reply, callback ... (409 when not allowed now)" },
	{ "POST", "/api/v1/work-orders/{id}/reveal", api_wo_reveal, "workorder.reveal",
	  "the caller's name and phone in full (audited)" },
	{ "GET", "/api/v1/wo-categories", api_wo_categories, "workorder.read", "the category tree" },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};

int api_wo_filter(struct http_request *req, struct http_response *res, struct wo_filter *flt)
{
	return list_filter(req, res, flt);
}
