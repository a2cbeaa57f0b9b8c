/*
 * api_csv.c - CSV import (with dry-run) and export of the tree and of persons.
 *
 *   POST /api/v1/import/nodes|persons|hotline|indicators[?dry_run=true]   body: text/csv
 *     200 {"dry_run","rows","created","updated","unchanged"}; hotline adds "placed" (created orders by the
 *         level of their place), "waiting" (for a person to dispatch) and "unmatched" (address matched nothing)
 *     400 {"error":{"code":"invalid_csv","message","field":null,"rows":[{"line","column","reason"}],"more"}}
 *   GET /api/v1/export/nodes.csv?under=&level=, /api/v1/export/persons.csv?under=
 *     200 text/csv (UTF-8 with BOM, CRLF), as an attachment
 *
 * The guard runs an import inside its write transaction with the audit row; a
 * bad file is rolled back with it.  Exports are audited too (ROUTE_AUDIT).
 * A scoped user imports and exports only inside their subtree.
 */
#include "api/api.h"
#include "api/api_auth.h"
#include "auth/auth.h"
#include "api/api_routes.h"
#include "csvio/csvio.h"
#include "api/api_csv.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_LISTED_PROBLEMS 1000

static int csv_content_type(struct http_request *req, struct http_response *res)
{
	const char *ctype = http_header(req, "Content-Type");
	static const char *const accepted[] = { "text/csv", "application/csv", "text/plain" };
	size_t i, n;

	for (i = 0; ctype && i < YL_ARRAY_LEN(accepted); i++) {
		n = strlen(accepted[i]);
		if (strncasecmp(ctype, accepted[i], n) == 0 && (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' '))
			return 0;
	}
	http_reply_error(res, 415, "unsupported_media_type", NULL,
			 "send the file as the request body with Content-Type: text/csv (UTF-8)");
	return -1;
}

json_t *api_csv_problems_json(const struct csv_problems *p, size_t *more)
{
	size_t i, listed = p->n < MAX_LISTED_PROBLEMS ? p->n : MAX_LISTED_PROBLEMS;
	json_t *rows = json_array();

	for (i = 0; i < listed; i++)
		json_array_append_new(rows, json_pack("{s:I, s:o, s:s}", "line", (json_int_t)p->items[i].line, "column",
						      json_str_or_null(p->items[i].column), "reason", p->items[i].reason));
	*more = p->n - listed;
	return rows;
}

void api_csv_hotline_json(json_t *into, const struct csv_hotline_report *rep)
{
	json_t *placed = json_object(), *unmapped = json_array();
	int level;
	size_t i;

	for (level = LEVEL_SUBDISTRICT; level <= LEVEL_HOUSEHOLD; level++)
		json_object_set_new(placed, node_level_name((enum node_level)level),
				    json_integer((json_int_t)rep->placed[level]));
	for (i = 0; i < rep->nunmapped; i++)
		json_array_append_new(unmapped, json_pack("{s:s, s:I, s:I, s:s}", "path", rep->unmapped[i].path, "orders",
							  (json_int_t)rep->unmapped[i].orders, "category_id",
							  (json_int_t)rep->unmapped[i].category_id, "by", rep->unmapped[i].by));
	json_object_set_new(into, "placed", placed);
	json_object_set_new(into, "waiting", json_integer((json_int_t)rep->waiting));
	json_object_set_new(into, "unmatched", json_integer((json_int_t)rep->by_fallback));
	json_object_set_new(into, "unmapped", unmapped);
	json_object_set_new(into, "unmapped_orders", json_integer((json_int_t)rep->unmapped_orders));
	json_object_set_new(into, "unmapped_more", json_integer((json_int_t)rep->unmapped_more));
}

static void reply_problems(struct http_response *res, const struct csv_import_result *r, const struct fault *f)
{
	size_t more;
	json_t *rows = api_csv_problems_json(&r->problems, &more), *err;

	if (more)
		err = json_pack("{s:s, s:s+, s:n, s:o, s:I}", "code", "invalid_csv", "message", f->message,
				"; only the first 1000 problems are listed", "field", "rows", rows, "more", (json_int_t)more);
	else
		err = json_pack("{s:s, s:s, s:n, s:o, s:I}", "code", "invalid_csv", "message", f->message, "field", "rows",
				rows, "more", (json_int_t)0);
	http_reply_json(res, 400, json_pack("{s:o}", "error", err));
}

typedef int (*csv_importer)(struct store *s, const char *text, size_t len, const struct csv_import_options *opt,
			    struct csv_import_result *res, struct fault *f);

static void import(struct http_request *req, struct http_response *res, csv_importer run)
{
	struct store *s = api_store(res);
	struct csv_import_options opt = { 0 };
	struct csv_import_result r;
	struct fault f = { 0 };
	int dry_run, rc;

	if (!s || csv_content_type(req, res) < 0 || (dry_run = api_query_bool(req, res, "dry_run", 0)) < 0)
		return;
	opt.dry_run = dry_run;
	opt.scope = api_scope(req);
	rc = run(s, req->body, req->body_len, &opt, &r, &f);
	if (rc < 0 && strcmp(f.code, "invalid_csv") == 0)
		reply_problems(res, &r, &f);
	else if (rc < 0)
		api_fail(res, &f);
	else
		http_reply_json(res, 200, json_pack("{s:b, s:I, s:I, s:I, s:I}", "dry_run", dry_run, "rows",
						    (json_int_t)r.rows, "created", (json_int_t)r.created, "updated",
						    (json_int_t)r.updated, "unchanged", (json_int_t)r.unchanged));
	csv_import_result_release(&r);
}

static void api_import_nodes(struct http_request *req, struct http_response *res)
{
	import(req, res, csv_import_nodes);
}

static void api_import_persons(struct http_request *req, struct http_response *res)
{
	import(req, res, csv_import_persons);
}

/* Enterprises' monthly indicators (created: months reported; updated: months corrected with a reason). */
static void api_import_indicators(struct http_request *req, struct http_response *res)
{
	import(req, res, csv_import_indicators);
}

/*
 * Hotline orders: as the other imports, and where the orders landed: created
 * orders by the level of their place, how many wait for a person to dispatch
 * them and how many matched nothing (placed at the scope or the subdistrict).
 */
static void api_import_hotline(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct csv_import_options opt = { 0 };
	struct csv_hotline_report rep;
	struct csv_import_result r;
	struct fault f = { 0 };
	json_t *j;
	int dry_run;

	if (!s || csv_content_type(req, res) < 0 || (dry_run = api_query_bool(req, res, "dry_run", 0)) < 0)
		return;
	opt.dry_run = dry_run;
	opt.scope = api_scope(req);
	if (csv_import_hotline(s, api_actor(req), req->body, req->body_len, &opt, &r, &rep, &f) < 0) {
		if (strcmp(f.code, "invalid_csv") == 0)
			reply_problems(res, &r, &f);
		else
			api_fail(res, &f);
		csv_import_result_release(&r);
		return;
	}
	j = json_pack("{s:b, s:I, s:I, s:I, s:I}", "dry_run", dry_run, "rows", (json_int_t)r.rows, "created",
		      (json_int_t)r.created, "updated", (json_int_t)r.updated, "unchanged", (json_int_t)r.unchanged);
	api_csv_hotline_json(j, &rep);
	http_reply_json(res, 200, j);
	csv_import_result_release(&r);
}

/* ?under= as an id or a code, inside the actor's scope; a scoped actor without it gets their scope. */
static int export_under(struct http_request *req, struct http_response *res, struct store *s, int64_t *under)
{
	const char *v = http_query(req, "under");
	struct fault f = { 0 };

	*under = api_scope(req);
	if (!v)
		return 0;
	if (!utf8_valid_text(v, strlen(v)) || csv_resolve_node(s, v, "under", under, &f) < 0) {
		if (f.kind == FAULT_NONE)
			fault_set(&f, FAULT_NOT_FOUND, "under", "no node has the code given as under");
		if (f.kind == FAULT_NOT_FOUND)
			f.kind = FAULT_INVALID;	/* a bad filter is the caller's input at fault */
		api_fail(res, &f);
		return -1;
	}
	return api_scope_allows(req, res, *under) ? 0 : -1;
}

static void reply_csv(struct http_response *res, const char *what, struct buf *csv)
{
	char disp[96], today[11];

	date_today_local(today);
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s-%s.csv\"", what, today);
	http_reply_text(res, 200, "text/csv; charset=utf-8", csv->data, csv->len);
	http_set_header(res, "Content-Disposition", disp);
	http_set_header(res, "Cache-Control", "no-store");
}

static void api_export_nodes(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	const char *level_arg = http_query(req, "level");
	enum node_level level = LEVEL_NONE;
	struct buf csv = BUF_INIT;
	struct fault f = { 0 };
	int64_t under;

	if (!s || export_under(req, res, s, &under) < 0)
		return;
	if (level_arg && (level = csv_level_parse(level_arg)) == LEVEL_NONE) {
		http_reply_error(res, 400, "invalid", "level",
				 "level must be subdistrict, community, courtyard, building, unit or household");
		return;
	}
	buf_init(&csv);
	if (csv_export_nodes(s, under, level, NULL, &csv, NULL, &f) < 0)
		api_fail(res, &f);
	else
		reply_csv(res, "nodes", &csv);
	buf_release(&csv);
}

static void api_export_persons(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct buf csv = BUF_INIT;
	struct fault f = { 0 };
	int64_t under;

	int unmasked;

	if (!s || export_under(req, res, s, &under) < 0 || (unmasked = api_query_bool(req, res, "unmasked", 0)) < 0)
		return;
	/* Full phone numbers are a reveal: the same permission, recorded in the audit row. */
	if (unmasked && !actor_can(api_actor(req), "people.reveal")) {
		http_reply_error(res, 403, "forbidden", "unmasked", "your role may not export full phone numbers (people.reveal)");
		return;
	}
	api_audit_note(req, unmasked ? "phones unmasked" : "phones masked");
	buf_init(&csv);
	if (csv_export_persons(s, under, unmasked, NULL, &csv, NULL, &f) < 0)
		api_fail(res, &f);
	else
		reply_csv(res, "persons", &csv);
	buf_release(&csv);
}

const struct http_route api_csv_routes[] = {
	{ "POST", "/api/v1/import/nodes", api_import_nodes, "org.import",
	  "import the tree from CSV (?dry_run=true validates only); all rows or none", 0 },
	{ "POST", "/api/v1/import/persons", api_import_persons, "people.import",
	  "import persons from CSV (?dry_run=true validates only); all rows or none", 0 },
	{ "POST", "/api/v1/import/hotline", api_import_hotline, "workorder.dispatch",
	  "import 12345 hotline orders from CSV (?dry_run=true validates only); all rows or none, a number once", 0 },
	{ "POST", "/api/v1/import/indicators", api_import_indicators, "enterprise.write",
	  "import enterprises' monthly indicators from CSV (?dry_run=true validates only); all rows or none", 0 },
	{ "GET", "/api/v1/export/nodes.csv", api_export_nodes, "org.export",
	  "the tree as CSV (?under=, ?level=), in the columns the import reads", ROUTE_AUDIT },
	{ "GET", "/api/v1/export/persons.csv", api_export_persons, "people.export",
	  "persons as CSV (?under=, ?unmasked=true for full phones), in the columns the import reads", ROUTE_AUDIT },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
