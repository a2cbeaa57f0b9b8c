/*
 * api_wo_config.c - the work-order engine's configuration over the API
 * (src/workorder/config.h): categories (create, rename, retire), routing
 * rules, time limits, the sweep's escalation policy and the map of the
 * hotline's category paths.  Permission workorder.config, deployment-wide
 * (ROUTE_UNSCOPED); every write is audited by the guard with its answer.
 *
 * Every write answers what it concerns now: open_orders, the open orders the
 * change is about, which keep their handler and deadlines (retroactive:
 * false), except a mapping, which re-files the orders waiting for it
 * (refiled).  ?dry_run=true does the whole change and takes it back: the
 * preview of what it would do.
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "workorder/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs the change in a nested write that a dry run takes back; 0 done (or previewed), -1 after answering. */
static int dry_begin(struct http_request *req, struct http_response *res, struct store *s, int *dry)
{
	int rc;

	if ((*dry = api_query_bool(req, res, "dry_run", 0)) < 0)
		return -1;
	if (*dry && (rc = store_begin_write(s)) != STORE_OK) {
		struct fault f = { 0 };

		store_fault(s, rc, &f);
		api_fail(res, &f);
		return -1;
	}
	return 0;
}

static void dry_end(struct store *s, int dry)
{
	if (dry)
		store_rollback(s);
}

static void reply_change(struct http_response *res, int status, json_t *j, int dry, int64_t open)
{
	json_object_set_new(j, "dry_run", json_boolean(dry));
	json_object_set_new(j, "open_orders", json_integer((json_int_t)open));
	json_object_set_new(j, "retroactive", json_false());
	http_reply_json(res, status, j);
}

/* ---- categories ---- */

static const struct api_field category_create_fields[] = {
	{ "parent_id", API_ID, 0, 1, 0 },
	{ "code", API_STRING, 1, 0, 40 },
	{ "name", API_STRING, 1, 0, 40 },
	{ "route_level", API_STRING, 0, 1, 20 },
	{ "active", API_BOOL, 0, 0, 0 },
	{ "sort", API_INT, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static const struct api_field category_update_fields[] = {
	{ "name", API_STRING, 0, 0, 40 },
	{ "route_level", API_STRING, 0, 1, 20 },
	{ "active", API_BOOL, 0, 0, 0 },
	{ "sort", API_INT, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void category_input(json_t *body, struct wo_category_input *in)
{
	memset(in, 0, sizeof(*in));
	in->parent_id = api_int(body, "parent_id", 0);
	in->code = api_str(body, "code");
	in->name = api_str(body, "name");
	in->set_route_level = api_has(body, "route_level");
	in->route_level = api_str(body, "route_level");
	in->active = api_has(body, "active") ? json_is_true(json_object_get(body, "active")) : -1;
	in->set_sort = api_has(body, "sort");
	in->sort = (int)api_int(body, "sort", 0);
}

static json_t *category_json(struct store *s, int64_t id)
{
	struct wo_category_list l;
	struct fault f = { 0 };
	json_t *j = NULL;
	size_t i;

	if (wo_category_list(s, 1, &l, &f) < 0)
		return NULL;
	for (i = 0; i < l.n && !j; i++) {
		const struct wo_category *c = &l.items[i];

		if (c->id == id)
			j = json_pack("{s:I, s:o, s:s, s:s, s:o, s:b, s:i}", "id", (json_int_t)c->id, "parent_id",
				      json_id_or_null(c->parent_id), "code", c->code, "name", c->name, "route_level",
				      json_str_or_null(c->route_level), "active", c->active, "sort", c->sort);
	}
	wo_category_list_release(&l);
	return j;
}

static void category_create_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_category_input in;
	struct fault f = { 0 };
	int64_t id = 0;
	json_t *body, *j;
	int dry;

	if (!s || !(body = api_body(req, res, category_create_fields)))
		return;
	category_input(body, &in);
	if (dry_begin(req, res, s, &dry) == 0) {
		if (wo_category_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else if (!(j = category_json(s, id)))
			http_reply_error(res, 500, "internal", NULL, "the category just written cannot be read");
		else
			reply_change(res, 201, j, dry, 0);
		dry_end(s, dry);
	}
	json_decref(body);
}

static void category_update_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = api_path_id(req, res, "id"), open = 0;
	struct wo_category_input in;
	struct fault f = { 0 };
	json_t *body, *j;
	int dry;

	if (!s || !id || !(body = api_body(req, res, category_update_fields)))
		return;
	category_input(body, &in);
	if (dry_begin(req, res, s, &dry) == 0) {
		if (wo_category_update(s, id, &in, &open, &f) < 0)
			api_fail(res, &f);
		else if (!(j = category_json(s, id)))
			http_reply_error(res, 500, "internal", NULL, "the category just written cannot be read");
		else
			reply_change(res, 200, j, dry, open);
		dry_end(s, dry);
	}
	json_decref(body);
}

/* ---- routing rules ---- */

static const struct api_field rule_fields[] = {
	{ "category_id", API_ID, 0, 1, 0 },
	{ "type", API_STRING, 0, 1, 20 },
	{ "route_level", API_STRING, 1, 0, 20 },
	{ "note", API_STRING, 0, 1, 200 },
	{ NULL, 0, 0, 0, 0 },
};

static json_t *rule_json(const struct wo_rule *r)
{
	return json_pack("{s:I, s:o, s:o, s:s, s:o}", "id", (json_int_t)r->id, "category_id",
			 json_id_or_null(r->category_id), "type", json_str_or_null(r->type), "route_level", r->route_level,
			 "note", json_str_or_null(r->note));
}

static void rules_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_rule_list l;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	(void)req;
	if (!s)
		return;
	if (wo_rule_list(s, &l, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < l.n; i++)
		json_array_append_new(items, rule_json(&l.items[i]));
	wo_rule_list_release(&l);
	http_reply_json(res, 200, json_pack("{s:o}", "items", items));
}

static void rule_create_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	struct wo_rule_input r;
	int64_t id = 0, open = 0;
	json_t *body;
	int dry;

	if (!s || !(body = api_body(req, res, rule_fields)))
		return;
	memset(&r, 0, sizeof(r));
	r.category_id = api_int(body, "category_id", 0);
	r.type = api_str(body, "type");
	r.route_level = api_str(body, "route_level");
	r.note = api_str(body, "note");
	if (dry_begin(req, res, s, &dry) == 0) {
		if (wo_rule_create(s, &r, &id, &open, &f) < 0)
			api_fail(res, &f);
		else
			reply_change(res, 201, json_pack("{s:I, s:o, s:o, s:s, s:o}", "id", (json_int_t)id, "category_id",
							 json_id_or_null(r.category_id), "type", json_str_or_null(r.type),
							 "route_level", r.route_level, "note", json_str_or_null(r.note)),
				     dry, open);
		dry_end(s, dry);
	}
	json_decref(body);
}

static void rule_delete_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = api_path_id(req, res, "id"), open = 0;
	struct fault f = { 0 };
	int dry;

	if (!s || !id || dry_begin(req, res, s, &dry) < 0)
		return;
	if (wo_rule_delete(s, id, &open, &f) < 0)
		api_fail(res, &f);
	else
		reply_change(res, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1), dry, open);
	dry_end(s, dry);
}

/* ---- time limits ---- */

static const struct api_field limit_fields[] = {
	{ "type", API_STRING, 1, 0, 15 },
	{ "urgency", API_STRING, 1, 0, 7 },
	{ "reply_days", API_INT, 1, 0, 0 },
	{ "sign_days", API_INT, 1, 0, 0 },
	{ "return_days", API_INT, 1, 0, 0 },
	{ "extension_max_days", API_INT, 1, 0, 0 },
	{ "reopen_days", API_INT, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static json_t *limit_json(const struct wo_limit_row *r)
{
	return json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i}", "type", r->type, "urgency", r->urgency, "reply_days",
			 r->lim.reply_days, "sign_days", r->lim.sign_days, "return_days", r->lim.return_days,
			 "extension_max_days", r->lim.extension_max_days, "reopen_days", r->lim.reopen_days);
}

static void limits_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_limit_row *rows;
	struct fault f = { 0 };
	json_t *items;
	size_t n, i;

	(void)req;
	if (!s)
		return;
	if (wo_limit_rows(s, &rows, &n, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, limit_json(&rows[i]));
	free(rows);
	http_reply_json(res, 200, json_pack("{s:o}", "items", items));
}

/* An int field of the body clamped into int (the domain checks its range). */
static int body_days(json_t *body, const char *key)
{
	int64_t v = api_int(body, key, -1);

	return v < -1 || v > 10000 ? -1 : (int)v;
}

static void limit_put_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_limit_row r;
	struct fault f = { 0 };
	int64_t open = 0;
	json_t *body;
	int dry;

	if (!s || !(body = api_body(req, res, limit_fields)))
		return;
	memset(&r, 0, sizeof(r));
	snprintf(r.type, sizeof(r.type), "%s", api_str(body, "type"));
	snprintf(r.urgency, sizeof(r.urgency), "%s", api_str(body, "urgency"));
	r.lim.reply_days = body_days(body, "reply_days");
	r.lim.sign_days = body_days(body, "sign_days");
	r.lim.return_days = body_days(body, "return_days");
	r.lim.extension_max_days = body_days(body, "extension_max_days");
	r.lim.reopen_days = body_days(body, "reopen_days");
	if (dry_begin(req, res, s, &dry) == 0) {
		if (wo_limit_put(s, &r, &open, &f) < 0)
			api_fail(res, &f);
		else
			reply_change(res, 200, limit_json(&r), dry, open);
		dry_end(s, dry);
	}
	json_decref(body);
}

static void limit_delete_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	const char *type = http_query(req, "type"), *urgency = http_query(req, "urgency");
	struct fault f = { 0 };
	int64_t open = 0;
	int dry;

	if (!s || dry_begin(req, res, s, &dry) < 0)
		return;
	if (wo_limit_delete(s, type, urgency, &open, &f) < 0)
		api_fail(res, &f);
	else
		reply_change(res, 200, json_pack("{s:s, s:s, s:b}", "type", type, "urgency", urgency, "deleted", 1), dry,
			     open);
	dry_end(s, dry);
}

/* ---- sweep policy ---- */

static const struct api_field sweep_fields[] = {
	{ "level", API_STRING, 1, 0, 12 },
	{ "escalate", API_BOOL, 1, 0, 0 },
	{ "after_days", API_INT, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static json_t *sweep_json(const struct wo_sweep_level *l)
{
	return json_pack("{s:s, s:b, s:i}", "level", l->level, "escalate", l->escalate, "after_days", l->after_days);
}

static void sweep_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_sweep_level lv[2];
	struct fault f = { 0 };
	json_t *items;
	size_t n, i;

	(void)req;
	if (!s)
		return;
	if (wo_sweep_levels(s, lv, &n, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, sweep_json(&lv[i]));
	http_reply_json(res, 200, json_pack("{s:o}", "items", items));
}

static void sweep_put_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_sweep_level l;
	struct fault f = { 0 };
	int64_t open = 0;
	json_t *body;
	int dry;

	if (!s || !(body = api_body(req, res, sweep_fields)))
		return;
	memset(&l, 0, sizeof(l));
	snprintf(l.level, sizeof(l.level), "%s", api_str(body, "level"));
	l.escalate = json_is_true(json_object_get(body, "escalate"));
	l.after_days = body_days(body, "after_days");
	if (dry_begin(req, res, s, &dry) == 0) {
		if (wo_sweep_level_put(s, &l, &open, &f) < 0)
			api_fail(res, &f);
		else
			reply_change(res, 200, sweep_json(&l), dry, open);
		dry_end(s, dry);
	}
	json_decref(body);
}

/* ---- the hotline's category map ---- */

static void map_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_category_map m;
	struct fault f = { 0 };
	json_t *mapped, *unmapped;
	size_t i;

	(void)req;
	if (!s)
		return;
	if (wo_category_map_read(s, &m, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	mapped = json_array();
	for (i = 0; i < m.nmapped; i++)
		json_array_append_new(mapped, json_pack("{s:s, s:I, s:I}", "path", m.mapped[i].path, "category_id",
							(json_int_t)m.mapped[i].category_id, "orders",
							(json_int_t)m.mapped[i].orders));
	unmapped = json_array();
	for (i = 0; i < m.nunmapped; i++)
		json_array_append_new(unmapped, json_pack("{s:s, s:I, s:I, s:s}", "path", m.unmapped[i].path,
							  "category_id", (json_int_t)m.unmapped[i].category_id, "orders",
							  (json_int_t)m.unmapped[i].orders, "by", m.unmapped[i].by));
	http_reply_json(res, 200, json_pack("{s:o, s:o, s:o}", "items", mapped, "unmapped", unmapped,
					    "fallback_category_id", json_id_or_null(m.fallback_id)));
	wo_category_map_release(&m);
}

static const struct api_field map_fields[] = {
	{ "path", API_STRING, 1, 0, 400 },
	{ "category_id", API_ID, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void map_put_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	int64_t refiled = 0;
	json_t *body, *j;
	char *norm;
	int dry;

	if (!s || !(body = api_body(req, res, map_fields)))
		return;
	if (dry_begin(req, res, s, &dry) == 0) {
		if (wo_category_map_put(s, api_actor(req), api_str(body, "path"), api_int(body, "category_id", 0),
					&refiled, &f) < 0) {
			api_fail(res, &f);
		} else {
			norm = wo_category_path_normal(api_str(body, "path"));
			j = json_pack("{s:s, s:I, s:I, s:b}", "path", norm, "category_id",
				      (json_int_t)api_int(body, "category_id", 0), "refiled", (json_int_t)refiled,
				      "dry_run", dry);
			free(norm);
			http_reply_json(res, 200, j);
		}
		dry_end(s, dry);
	}
	json_decref(body);
}

static const struct api_field fallback_fields[] = {
	{ "category_id", API_ID, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void fallback_put_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, fallback_fields)))
		return;
	id = api_int(body, "category_id", 0);
	if (wo_category_fallback_set(s, id, &f) < 0)
		api_fail(res, &f);
	else
		http_reply_json(res, 200, json_pack("{s:I}", "fallback_category_id", (json_int_t)id));
	json_decref(body);
}

const struct http_route api_wo_config_routes[] = {
	{ "POST", "/api/v1/wo-categories", category_create_h, "workorder.config",
	  "add a category (code, name, parent_id: a top-level category or none, route_level, sort; ?dry_run)",
	  ROUTE_UNSCOPED },
	{ "PATCH", "/api/v1/wo-categories/{id}", category_update_h, "workorder.config",
	  "rename, re-route, re-sort or retire (active false) a category: never deleted; answers the open orders it"
	  " holds (?dry_run)", ROUTE_UNSCOPED },
	{ "GET", "/api/v1/wo-routing-rules", rules_h, "workorder.config",
	  "routing rules: category and/or type to a level (the most specific wins)", ROUTE_UNSCOPED },
	{ "POST", "/api/v1/wo-routing-rules", rule_create_h, "workorder.config",
	  "add a routing rule (category_id, type, route_level, note; ?dry_run): new orders follow it", ROUTE_UNSCOPED },
	{ "DELETE", "/api/v1/wo-routing-rules/{id}", rule_delete_h, "workorder.config",
	  "remove a routing rule (?dry_run)", ROUTE_UNSCOPED },
	{ "GET", "/api/v1/wo-time-limits", limits_h, "workorder.config",
	  "time limits in working days per type and urgency ('*': any)", ROUTE_UNSCOPED },
	{ "PUT", "/api/v1/wo-time-limits", limit_put_h, "workorder.config",
	  "set the time limits of a type and urgency (?dry_run): open orders keep their deadlines", ROUTE_UNSCOPED },
	{ "DELETE", "/api/v1/wo-time-limits", limit_delete_h, "workorder.config",
	  "remove the limits of ?type and ?urgency (not the catch-all '*','*'; ?dry_run)", ROUTE_UNSCOPED },
	{ "GET", "/api/v1/wo-sweep-policy", sweep_h, "workorder.config",
	  "automatic escalation per handler level (courtyard, community)", ROUTE_UNSCOPED },
	{ "PUT", "/api/v1/wo-sweep-policy", sweep_put_h, "workorder.config",
	  "set a level's escalation (level, escalate, after_days; ?dry_run)", ROUTE_UNSCOPED },
	{ "GET", "/api/v1/wo-category-map", map_h, "workorder.config",
	  "the hotline's category paths mapped onto the tree, the paths waiting for a mapping with their orders,"
	  " the fallback", ROUTE_UNSCOPED },
	{ "PUT", "/api/v1/wo-category-map", map_put_h, "workorder.config",
	  "map a hotline category path (and the paths below it) to a category; re-files the orders waiting for it"
	  " (?dry_run)", ROUTE_UNSCOPED },
	{ "PUT", "/api/v1/wo-category-map/fallback", fallback_put_h, "workorder.config",
	  "the category of a hotline path that maps to nothing (default 其他事项)", ROUTE_UNSCOPED },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
