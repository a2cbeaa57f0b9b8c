/*
 * api_insight.c - suggestions for a request being filed or dispatched
 * (insight/suggest.h).
 *
 *   GET /api/v1/suggestions?text=...&node_id=N[&type=T]
 *     200 {"categories": [{category_id, name, path, confidence}],    the three likeliest, best first
 *          "handlers": [{node_id, name, level, orders, share, basis}], who settled such orders from there
 *          "rule": {node_id, name, level, why},                       where today's routing would send it
 *          "model": {orders, trained_at}}
 *
 * The handlers and the rule are for the likeliest category.  A suggestion is
 * shown, never applied: the person filing chooses.  node_id is the request's
 * place and must lie in the caller's scope; the model is its subdistrict's.
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "calendar/calendar.h"
#include "insight/suggest.h"
#include "org/org.h"
#include "timenode/timenode.h"
#include "workorder/workorder.h"

#include <string.h>
#include <time.h>

#define MAX_CATEGORIES 3

static const struct wo_category *category_of(const struct wo_category_list *l, int64_t id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->items[i].id == id)
			return &l->items[i];
	return NULL;
}

static json_t *node_json(struct store *s, int64_t id)
{
	struct fault f = { 0 };
	struct node n;
	json_t *j;

	if (org_node_get(s, id, &n, &f) < 0)
		return json_pack("{s:I, s:n, s:n}", "node_id", (json_int_t)id, "name", "level");
	j = json_pack("{s:I, s:s, s:s}", "node_id", (json_int_t)id, "name", n.name, "level", node_level_name(n.level));
	node_release(&n);
	return j;
}

static void api_suggestions(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_category_list cats = { 0 };
	struct sg_guess guess[MAX_CATEGORIES * 4];
	struct sg_handler hs[3];
	struct sg_info info;
	struct fault f = { 0 };
	struct wo_route route;
	struct node place;
	const char *text = NULL, *type = NULL;
	json_t *categories, *handlers, *rule = json_null();
	int64_t node_id;
	size_t n = 0, nh = 0, i;

	if (!s || api_query_text(req, res, "text", 2000, &text) < 0 ||
	    api_query_text(req, res, "type", 20, &type) < 0 ||
	    api_query_int(req, res, "node_id", 1, INT64_MAX, 0, &node_id) < 0)
		return;
	if (!node_id) {
		fault_set(&f, FAULT_INVALID, "node_id", "node_id is required: the request's place");
		api_fail(res, &f);
		return;
	}
	if (org_node_get(s, node_id, &place, &f) < 0) {
		if (f.kind == FAULT_NOT_FOUND)
			fault_set(&f, FAULT_INVALID, "node_id", "node %lld does not exist", (long long)node_id);
		api_fail(res, &f);
		return;
	}
	if (!api_scope_allows(req, res, node_id)) {
		node_release(&place);
		return;
	}
	if (!text) {
		node_release(&place);
		fault_set(&f, FAULT_INVALID, "text", "text is required: the request's words");
		api_fail(res, &f);
		return;
	}
	if (sg_suggest(s, place.subdistrict_id, text, guess, sizeof(guess) / sizeof(guess[0]), &n, &info, &f) < 0 ||
	    wo_category_list(s, 1, &cats, &f) < 0) {
		node_release(&place);
		api_fail(res, &f);
		return;
	}
	/* Retired categories are not suggested. */
	categories = json_array();
	for (i = 0; i < n && json_array_size(categories) < MAX_CATEGORIES; i++) {
		const struct wo_category *c = category_of(&cats, guess[i].category_id);
		const struct wo_category *parent = c && c->parent_id ? category_of(&cats, c->parent_id) : NULL;
		char path[512];

		if (!c || !c->active)
			continue;
		snprintf(path, sizeof(path), "%s%s%s", parent ? parent->name : "", parent ? ">" : "", c->name);
		json_array_append_new(categories, json_pack("{s:I, s:s, s:s, s:f}", "category_id", (json_int_t)c->id,
							    "name", c->name, "path", path, "confidence",
							    guess[i].confidence));
	}
	handlers = json_array();
	if (json_array_size(categories)) {
		int64_t top = json_integer_value(json_object_get(json_array_get(categories, 0), "category_id"));

		if (sg_handlers(s, place.subdistrict_id, top, node_id, (int64_t)time(NULL), hs, 3, &nh, &f) < 0) {
			node_release(&place);
			wo_category_list_release(&cats);
			json_decref(categories);
			json_decref(handlers);
			api_fail(res, &f);
			return;
		}
		for (i = 0; i < nh; i++) {
			json_t *h = node_json(s, hs[i].node_id);

			json_object_set_new(h, "orders", json_integer(hs[i].orders));
			json_object_set_new(h, "share", json_real(hs[i].share));
			json_object_set_new(h, "basis", json_string(hs[i].basis));
			json_array_append_new(handlers, h);
		}
		if (wo_route(s, top, type ? type : "complaint", node_id, &route, &f) == 0) {
			json_decref(rule);
			rule = node_json(s, route.node_id);
			json_object_set_new(rule, "why", json_string(route.why));
		}
		fault_clear(&f);
	}
	node_release(&place);
	wo_category_list_release(&cats);
	http_reply_json(res, 200, json_pack("{s:o, s:o, s:o, s:{s:I, s:o}}", "categories", categories,
					    "handlers", handlers, "rule", rule, "model",
					    "orders", (json_int_t)info.orders,
					    "trained_at", json_time_or_null(info.trained_at)));
}

static void reasons_json(json_t *arr, unsigned reasons)
{
	if (reasons & DUP_SAME_CALLER)
		json_array_append_new(arr, json_string("same_caller"));
	if (reasons & DUP_SAME_PLACE)
		json_array_append_new(arr, json_string("same_place"));
	if (reasons & DUP_SAME_COURTYARD)
		json_array_append_new(arr, json_string("same_courtyard"));
	if (reasons & DUP_SIMILAR_TEXT)
		json_array_append_new(arr, json_string("similar_text"));
}

/*
 * GET /api/v1/work-orders/{id}/duplicates[?days=7]: the orders that look like the same request (insight/dup.c),
 * for the person about to dispatch it.  The order must be one the caller may see (else 404); so must each
 * candidate.  The caller's phone is compared by its keyed hash and never shown.
 */
static void api_duplicates(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	const struct actor *a = api_actor(req);
	struct dup_candidate c[20];
	struct wo_order o = { 0 };
	struct fault f = { 0 };
	int64_t id, days;
	json_t *items;
	size_t n, i;
	int vis;

	if (!s || !(id = api_path_id(req, res, "id")) || api_query_int(req, res, "days", 1, 90, 7, &days) < 0)
		return;
	if (wo_get(s, id, &o, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	vis = wo_visible(s, a, &o);
	wo_order_release(&o);
	if (vis != 1) {
		fault_set(&f, vis < 0 ? FAULT_INTERNAL : FAULT_NOT_FOUND, "id", "work order %lld does not exist", (long long)id);
		api_fail(res, &f);
		return;
	}
	if (dup_candidates(s, a, id, (int)days, c, sizeof(c) / sizeof(c[0]), &n, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++) {
		json_t *why = json_array();

		reasons_json(why, c[i].reasons);
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:o, s:f, s:f, s:o}", "id", (json_int_t)c[i].id,
						       "number", c[i].number, "state", c[i].state,
						       "received_at", json_time_or_null(c[i].received_at),
						       "similarity", c[i].similarity, "score", c[i].score, "reasons", why));
	}
	http_reply_json(res, 200, json_pack("{s:o, s:I}", "items", items, "days", (json_int_t)days));
}

/* A local date of the query as the instant its day starts (to: the next day's), or -1 after answering 400. */
static int64_t query_day(struct http_request *req, struct http_response *res, const char *name, int next, int64_t def)
{
	const char *q = http_query(req, name);
	struct fault f = { 0 };
	int32_t day;

	if (!q)
		return def;
	if (strlen(q) != 10 || calendar_day_parse(q, &day) != 0) {
		fault_set(&f, FAULT_INVALID, name, "%s must be a date YYYY-MM-DD", name);
		api_fail(res, &f);
		return -1;
	}
	return calendar_day_start(day + (next ? 1 : 0));
}

/*
 * GET /api/v1/insight/hotspots?node=&from=&to=: the buildings the most orders came from in the period (default:
 * this year to today), with their commonest category, and the callers who called twice or more - counted, with
 * their orders' numbers, never their phones.
 */
static void api_hotspots(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct hotspots h;
	struct fault f = { 0 };
	int32_t today = calendar_day_of((int64_t)time(NULL));
	int32_t jan1 = calendar_day_from_ymd(calendar_day_year(today), 1, 1);
	int64_t node = 0, from, to;
	json_t *places, *callers;
	size_t i;
	int k;

	if (!s || api_query_int(req, res, "node", 1, INT64_MAX, 0, &node) < 0 || api_scope_under(req, res, &node) < 0 ||
	    (from = query_day(req, res, "from", 0, calendar_day_start(jan1))) < 0 ||
	    (to = query_day(req, res, "to", 1, calendar_day_start(today + 1))) < 0)
		return;
	if (!node) {
		fault_set(&f, FAULT_INVALID, "node", "node is required: the subtree to look at");
		api_fail(res, &f);
		return;
	}
	if (to <= from) {
		fault_set(&f, FAULT_INVALID, "to", "to must not be before from");
		api_fail(res, &f);
		return;
	}
	if (hotspots(s, node, from, to, &h, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	places = json_array();
	for (i = 0; i < h.nplaces; i++) {
		json_t *p = node_json(s, h.places[i].node_id);

		json_object_set_new(p, "orders", json_integer(h.places[i].orders));
		json_object_set_new(p, "category_id", json_id_or_null(h.places[i].category_id));
		json_object_set_new(p, "category_orders", json_integer(h.places[i].category_orders));
		json_array_append_new(places, p);
	}
	callers = json_array();
	for (i = 0; i < h.ntop; i++) {
		json_t *numbers = json_array();

		for (k = 0; k < h.top[i].nnumbers; k++)
			json_array_append_new(numbers, json_string(h.top[i].numbers[k]));
		json_array_append_new(callers, json_pack("{s:I, s:o}", "orders", (json_int_t)h.top[i].orders,
							 "numbers", numbers));
	}
	http_reply_json(res, 200, json_pack("{s:I, s:o, s:o, s:I, s:o, s:{s:I, s:I, s:I, s:o}}",
					    "node_id", (json_int_t)node, "from", json_time_or_null(from),
					    "to", json_time_or_null(to), "orders", (json_int_t)h.orders,
					    "buildings", places, "repeat_callers",
					    "callers", (json_int_t)h.callers, "repeating", (json_int_t)h.repeat_callers,
					    "orders", (json_int_t)h.repeat_orders, "top", callers));
}

/* The tree of pressure_tree() as nested JSON: each node with its children, those with nothing open left out. */
static json_t *pressure_json(const struct pressure *p, size_t at)
{
	const struct pressure_node *n = &p->items[at];
	json_t *children = json_array();
	size_t i;

	for (i = n->first_child; i != PRESSURE_NONE; i = p->items[i].next_sibling)
		if (p->items[i].open > 0)
			json_array_append_new(children, pressure_json(p, i));
	return json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:o}", "id", (json_int_t)n->id, "name", n->name ? n->name : "",
			 "level", n->level ? n->level : "", "open", (json_int_t)n->open, "overdue", (json_int_t)n->overdue,
			 "own_open", (json_int_t)n->own_open, "children", children);
}

/*
 * GET /api/v1/insight/pressure?node=[&kind=]: open work over the tree under node, down to its buildings - work
 * orders, or the open time nodes of one kind (project_task, enterprise_problem, ...) - with how much of it is
 * overdue: the treemap of 态势.
 */
static void api_pressure(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct pressure p;
	struct fault f = { 0 };
	const char *kind = NULL;
	int64_t node = 0;

	if (!s || api_query_int(req, res, "node", 1, INT64_MAX, 0, &node) < 0 || api_scope_under(req, res, &node) < 0 ||
	    api_query_text(req, res, "kind", 40, &kind) < 0)
		return;
	if (!node) {
		fault_set(&f, FAULT_INVALID, "node", "node is required: the subtree to look at");
		api_fail(res, &f);
		return;
	}
	if (kind && !strcmp(kind, "work_order"))
		kind = NULL;
	if (kind && !tn_kind_find(kind)) {
		fault_set(&f, FAULT_INVALID, "kind", "kind %s is not a kind of time node", kind);
		api_fail(res, &f);
		return;
	}
	if (pressure_tree(s, node, kind, (int64_t)time(NULL), &p, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, 200, json_pack("{s:s, s:o}", "kind", kind ? kind : "work_order", "tree", pressure_json(&p, 0)));
	pressure_release(&p);
}

const struct http_route api_insight_routes[] = {
	{ "GET", "/api/v1/suggestions", api_suggestions, "workorder.read",
	  "suggested category (learned from the subdistrict's closed orders) and handler for a request's ?text at"
	  " ?node_id (its place), with today's routing beside them; never applied" },
	{ "GET", "/api/v1/insight/pressure", api_pressure, "workorder.read",
	  "open work under ?node down to its buildings, with how much is overdue: work orders, or ?kind= of time node" },
	{ "GET", "/api/v1/insight/hotspots", api_hotspots, "workorder.read",
	  "the buildings the most orders came from under ?node (from, to: local dates; default this year), and the"
	  " callers who called twice or more (counted, with their orders' numbers; never a phone)" },
	{ "GET", "/api/v1/work-orders/{id}/duplicates", api_duplicates, "workorder.read",
	  "orders within ?days (default 7) that look like the same request: alike words from the same place or"
	  " courtyard, or the same caller (by the keyed phone hash); best first, only those the caller may see" },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
