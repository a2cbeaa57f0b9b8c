/*
 * api_stats.c - /api/v1/stats: the figures of work orders (src/stats/,
 * definitions in docs/METRICS.md).
 *
 *   GET /api/v1/stats?node=ID&from=DATE&to=DATE          every figure of the node's subtree
 *   GET /api/v1/stats/ranking?node=ID&from=DATE&to=DATE  the node's children side by side
 *
 * node: inside the actor's scope (else 404); absent, the actor's scope node,
 * or for an unscoped actor the whole deployment (node null in the answer).
 * from, to: local days YYYY-MM-DD, both included; absent, to is today and
 * from the first of January of to's year.  Rates are {numerator, denominator,
 * rate}, rate null when the denominator is 0, so a client rounds once.
 * Permission workorder.stats.
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "api/api_stats.h"
#include "stats/stats.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static json_t *ratio_json(struct stats_ratio r)
{
	return json_pack("{s:I, s:I, s:o}", "numerator", (json_int_t)r.num, "denominator", (json_int_t)r.den, "rate",
			 r.den ? json_real((double)r.num / (double)r.den) : json_null());
}

static json_t *rates_json(const struct stats_rates *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "response", ratio_json(r->response));
	json_object_set_new(o, "resolution", ratio_json(r->resolution));
	json_object_set_new(o, "satisfaction", ratio_json(r->satisfaction));
	json_object_set_new(o, "completion", ratio_json(r->completion));
	json_object_set_new(o, "on_time_completion", ratio_json(r->on_time));
	json_object_set_new(o, "return", ratio_json(r->returns));
	json_object_set_new(o, "extension", ratio_json(r->extensions));
	json_object_set_new(o, "redo", ratio_json(r->redos));
	json_object_set_new(o, "settled_courtyard", ratio_json(r->settled_courtyard));
	json_object_set_new(o, "settled_community", ratio_json(r->settled_community));
	json_object_set_new(o, "settled_subdistrict", ratio_json(r->settled_subdistrict));
	return o;
}

static json_t *counts_json(const struct stats_counts *c)
{
	json_t *o = json_object();

#define COUNT_(name) json_object_set_new(o, #name, json_integer((json_int_t)c->name));
	STATS_COUNTERS(COUNT_)
#undef COUNT_
	return o;
}

static json_t *node_json(struct store *s, int64_t id)
{
	struct fault f = { 0 };
	struct node n;
	json_t *o;

	if (!id || org_node_get(s, id, &n, &f) < 0)
		return json_null();
	o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)n.id, "name", n.name, "level", node_level_name(n.level));
	node_release(&n);
	return o;
}

/* node, from and to of the query; -1 after answering. */
static int read_query(struct http_request *req, struct http_response *res, int64_t *node, char from[11],
		      char to[11])
{
	const char *qf = http_query(req, "from"), *qt = http_query(req, "to");

	if (api_query_int(req, res, "node", 1, INT64_MAX, 0, node) < 0 || api_scope_under(req, res, node) < 0)
		return -1;
	if (qt)
		snprintf(to, 11, "%.10s", qt);
	else
		date_today_local(to);
	if (qt && (strlen(qt) != 10 || date_valid(qt) != 0)) {
		http_reply_error(res, 400, "invalid", "to", "to must be a date YYYY-MM-DD");
		return -1;
	}
	if (qf && (strlen(qf) != 10 || date_valid(qf) != 0)) {
		http_reply_error(res, 400, "invalid", "from", "from must be a date YYYY-MM-DD");
		return -1;
	}
	if (qf)
		snprintf(from, 11, "%s", qf);
	else
		snprintf(from, 11, "%.4s-01-01", to);
	return 0;
}

static json_t *handling_json(const struct wo_stats *st)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:f}", "count", (json_int_t)st->c.handled, "unknown",
			 (json_int_t)st->c.handling_unknown, "mean",
			 st->c.handled ? json_real(st->mean_days) : json_null(), "p90",
			 st->p90_bucket >= 0 ? json_real(st->p90_days) : json_null(), "bucket_days",
			 (double)STATS_BUCKET_SECONDS / 86400.0);
}

static json_t *volume_json(const struct wo_stats *st)
{
	static const char *const sources[] = { "resident", "grid", "mobile_grid", "phone", "walk_in", "hotline" };
	static const char *const types[] = { "consultation", "help", "complaint", "report", "suggestion" };
	const int64_t by_source[] = { st->c.src_resident, st->c.src_grid, st->c.src_mobile_grid,
				      st->c.src_phone, st->c.src_walk_in, st->c.src_hotline };
	const int64_t by_type[] = { st->c.type_consultation, st->c.type_help, st->c.type_complaint,
				    st->c.type_report, st->c.type_suggestion };
	json_t *o = json_object(), *a;
	size_t i;

	a = json_array();
	for (i = 0; i < st->nmonths; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I}", "month", st->months[i].month, "received",
						   (json_int_t)st->months[i].received, "hotline",
						   (json_int_t)st->months[i].hotline));
	json_object_set_new(o, "by_month", a);
	a = json_array();
	for (i = 0; i < YL_ARRAY_LEN(sources); i++)
		json_array_append_new(a, json_pack("{s:s, s:I}", "source", sources[i], "received",
						   (json_int_t)by_source[i]));
	json_object_set_new(o, "by_source", a);
	a = json_array();
	for (i = 0; i < YL_ARRAY_LEN(types); i++)
		json_array_append_new(a, json_pack("{s:s, s:I}", "type", types[i], "received", (json_int_t)by_type[i]));
	json_object_set_new(o, "by_type", a);
	a = json_array();
	for (i = 0; i < st->ncategories; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)st->categories[i].id,
						   "code", st->categories[i].code, "name", st->categories[i].name,
						   "received", (json_int_t)st->categories[i].received));
	json_object_set_new(o, "by_category", a);
	return o;
}

static void api_stats_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	struct wo_stats st;
	char from[11], to[11];
	int64_t node;
	json_t *o;

	if (!s || read_query(req, res, &node, from, to) < 0)
		return;
	if (stats_compute(s, node, from, to, &st, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	o = json_pack("{s:o, s:s, s:s, s:o, s:o, s:o}", "node", node_json(s, node), "from", st.from, "to", st.to,
		      "counts", counts_json(&st.c), "rates", rates_json(&st.r), "handling_days", handling_json(&st));
	json_object_update_new(o, volume_json(&st));
	wo_stats_release(&st);
	http_reply_json(res, 200, o);
}

static json_t *rank_item_json(const struct stats_rank_item *it)
{
	json_t *o = json_pack("{s:o, s:o, s:o, s:I, s:I}", "node_id", json_id_or_null(it->node_id), "name",
			      json_str_or_null(it->name), "level",
			      it->level != LEVEL_NONE ? json_string(node_level_name(it->level)) : json_null(),
			      "received", (json_int_t)it->c.received, "completed", (json_int_t)it->c.completed);

	json_object_set_new(o, "rates", rates_json(&it->r));
	return o;
}

static void api_stats_ranking(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct stats_ranking rk;
	struct fault f = { 0 };
	char from[11], to[11];
	int64_t node;
	json_t *items;
	size_t i;

	if (!s || read_query(req, res, &node, from, to) < 0)
		return;
	if (stats_ranking(s, node, from, to, &rk, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < rk.n; i++)
		json_array_append_new(items, rank_item_json(&rk.items[i]));
	http_reply_json(res, 200,
			json_pack("{s:o, s:s, s:s, s:o, s:o, s:o}", "node", node_json(s, node), "from", rk.from, "to",
				  rk.to, "items", items, "total", rank_item_json(&rk.total), "self",
				  rk.has_self ? rank_item_json(&rk.self) : json_null()));
	stats_ranking_release(&rk);
}

const struct http_route api_stats_routes[] = {
	{ "GET", "/api/v1/stats", api_stats_get, "workorder.stats",
	  "work-order figures of a node's subtree for a period (?node=&from=&to=)" },
	{ "GET", "/api/v1/stats/ranking", api_stats_ranking, "workorder.stats",
	  "the figures of a node's children side by side (?node=&from=&to=)" },
	{ NULL, NULL, NULL, NULL, NULL },
};

int api_stats_query(struct http_request *req, struct http_response *res, int64_t *node, char from[11], char to[11])
{
	return read_query(req, res, node, from, to);
}
