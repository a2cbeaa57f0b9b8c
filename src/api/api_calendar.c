/*
 * api_calendar.c - /api/v1/calendar: the working-day calendar.
 *
 *   GET /api/v1/calendar                      the loaded years
 *   GET /api/v1/calendar/{year}               a year's special days and its working-day count
 *   PUT /api/v1/calendar/{year}               body: the year's CSV (text/csv); replaces the year
 *     400 {"error":{"code":"invalid_calendar","message","field":"rows","rows":[{"line","reason"}]}}
 *     400 {"error":{"code":"year_mismatch","field":"year",...}} when the file is of another year
 *   GET /api/v1/calendar/working-days?date=D          is D a working day
 *                                    ?date=D&add=N    the N-th working day after D (N < 0: before)
 *                                    ?from=A&to=B     working days after A up to and including B
 *   GET /api/v1/calendar/deadline?received_at=T&days=N   the deadline and yellow-card instants (unix seconds)
 *
 * A year with no calendar loaded is never refused: its days are the
 * provisional calendar's (calendar.h), GET /calendar/{year} shows that
 * calendar with "provisional": true, and every answer counted over such a year
 * says "provisional": true.  GET /calendar names the year an administrator
 * should load ("awaiting", from 1 November for next year).  A PUT counts again
 * the provisional deadlines of open orders (workorder/recalc.c) and lists them
 * ("recounted"); with ?dry_run=true it changes nothing and lists what it would.
 * The calendar belongs to the whole deployment: every holder of calendar.read
 * reads it, but only an unscoped actor with calendar.admin loads it (a scoped
 * one gets 404, as for any object outside its scope).  The guard runs the PUT
 * inside its write transaction with the audit row.
 */
#include "api/api.h"
#include "api/api_auth.h"
#include "api/api_routes.h"
#include "calendar/calendar.h"
#include "util/util.h"
#include "workorder/workorder.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_ADD 1000		/* working days a ?add= may move: years of them, far past any limit */

static json_t *year_json(const struct calendar_year *y)
{
	return json_pack("{s:i, s:s, s:s?, s:I, s:I, s:I, s:b}", "year", y->year, "source", y->source, "loaded_at",
			 y->loaded_at, "holidays", (json_int_t)y->holidays, "workdays", (json_int_t)y->workdays,
			 "working_days", (json_int_t)y->working_days, "provisional", y->provisional);
}

static json_t *day_json(int32_t day)
{
	char d[11];

	calendar_day_format(day, d);
	return json_string(d);
}

static void api_calendar_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct calendar_year_list l;
	struct fault f = { 0 };
	int limit, offset, awaiting = 0;
	json_t *items;
	size_t i;

	if (!s || api_paging(req, res, &limit, &offset) < 0)
		return;
	if (calendar_year_list(s, limit, offset, &l, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (calendar_missing_year(s, time_now_us() / 1000000, &awaiting, &f) < 0) {
		calendar_year_list_release(&l);
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < l.n; i++)
		json_array_append_new(items, year_json(&l.items[i]));
	/* awaiting: the year to load now (null: none); the banner of the UI and `yuanluo calendar` say it too. */
	http_reply_json(res, 200, json_pack("{s:o, s:I, s:i, s:i, s:o}", "items", items, "total", (json_int_t)l.total,
					    "limit", limit, "offset", offset, "awaiting", json_id_or_null(awaiting)));
	calendar_year_list_release(&l);
}

/* {year} as a year from 1900 to 2200; 0 after answering 404. */
static int path_year(struct http_request *req, struct http_response *res)
{
	const char *v = http_param(req, "year");
	int64_t y;

	if (!v || parse_int64(v, 1900, 2200, &y) < 0) {
		http_reply_error(res, 404, "not_found", "year", "no such resource: %s (a year is 1900 to 2200)",
				 req->path);
		return 0;
	}
	return (int)y;
}

/* A year's answer (the provisional calendar when it is not loaded); NULL after answering an error. */
static json_t *year_body(struct store *s, struct http_response *res, int year, int changed)
{
	struct calendar_year y;
	struct fault f = { 0 };
	json_t *o, *days;
	size_t i;

	if (calendar_year_get(s, year, &y, &f) < 0) {
		if (f.kind != FAULT_NOT_FOUND) {
			api_fail(res, &f);
			return NULL;
		}
		calendar_year_provisional(year, &y);
	}
	o = year_json(&y);
	days = json_array();
	for (i = 0; i < y.n; i++)
		json_array_append_new(days, json_pack("{s:o, s:i, s:s, s:s}", "date", day_json(y.entries[i].day),
						      "weekday", calendar_weekday(y.entries[i].day), "kind",
						      calendar_kind_name(y.entries[i].kind), "name", y.entries[i].name));
	json_object_set_new(o, "days", days);
	if (changed >= 0)
		json_object_set_new(o, "changed", json_boolean(changed));
	calendar_year_release(&y);
	return o;
}

static void reply_year(struct store *s, struct http_response *res, int year, int status, int changed)
{
	json_t *o = year_body(s, res, year, changed);

	if (o)
		http_reply_json(res, status, o);
}

static json_t *recount_json(const struct wo_recalc_item *it)
{
	char before[40], after[40];

	time_format_local(it->before, before, sizeof(before));
	time_format_local(it->after, after, sizeof(after));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s}", "order_id", (json_int_t)it->order_id, "number",
			 it->number, "field", it->field, "before", before, "after", after, "changed", it->before != it->after,
			 "still_provisional", it->still_provisional, "card_before", it->card_before, "card_after",
			 it->card_after);
}

/* A PUT's answer: the year as stored now (a dry run left it as it was) and the deadlines recounted. */
static void reply_loaded(struct store *s, struct http_response *res, int year, int status, int changed, int dry_run,
			 const struct wo_recalc *rc)
{
	json_t *o, *list = json_array(), *nodes = json_array();
	size_t i, moved = 0;

	for (i = 0; i < rc->n; i++) {
		moved += rc->items[i].before != rc->items[i].after;
		json_array_append_new(list, recount_json(&rc->items[i]));
	}
	for (i = 0; i < rc->nodes.n; i++) {
		const struct tn_recount_item *it = &rc->nodes.items[i];
		char before[40], after[40];

		moved += it->before != it->after;
		time_format_local(it->before, before, sizeof(before));
		time_format_local(it->after, after, sizeof(after));
		json_array_append_new(nodes, json_pack("{s:I, s:s, s:I, s:s, s:s, s:b, s:b, s:s, s:s}", "time_node_id",
						       (json_int_t)it->time_node_id, "kind", it->kind, "ref_id",
						       (json_int_t)it->ref_id, "before", before, "after", after, "changed",
						       it->before != it->after, "still_provisional", it->still_provisional,
						       "card_before", it->card_before, "card_after", it->card_after));
	}
	o = year_body(s, res, year, changed);
	if (!o) {
		json_decref(list);
		json_decref(nodes);
		return;
	}
	json_object_set_new(o, "time_nodes", nodes);
	json_object_set_new(o, "dry_run", json_boolean(dry_run));
	json_object_set_new(o, "recounted", list);
	json_object_set_new(o, "deadlines_moved", json_integer((json_int_t)moved));
	http_reply_json(res, status, o);
}

static void api_calendar_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int year = s ? path_year(req, res) : 0;

	if (year)
		reply_year(s, res, year, 200, -1);
}

static int csv_body(struct http_request *req, struct http_response *res)
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
			 "send the calendar file as the request body with Content-Type: text/csv (UTF-8)");
	return -1;
}

static void reply_file_problems(struct http_response *res, const struct calendar_file *cf, const struct fault *f)
{
	json_t *rows = json_array();
	size_t i;

	for (i = 0; i < cf->nproblems; i++)
		json_array_append_new(rows, json_pack("{s:I, s:s}", "line", (json_int_t)cf->problems[i].line, "reason",
						      cf->problems[i].reason));
	http_reply_json(res, 400, json_pack("{s:{s:s, s:s, s:s, s:o}}", "error", "code", f->code, "message", f->message,
					    "field", f->field[0] ? f->field : "rows", "rows", rows));
}

static void api_calendar_put(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int year = s ? path_year(req, res) : 0, changed = 0, existed, dry_run = 0;
	struct calendar_year probe;
	struct wo_recalc rc = { 0 };
	struct calendar_file cf;
	struct fault f = { 0 };
	char note[200];

	/* The calendar is the whole deployment's: a scoped actor (a token or user with a node) may not change it. */
	if (!year || !api_scope_allows(req, res, 0) || (dry_run = api_query_bool(req, res, "dry_run", 0)) < 0 ||
	    csv_body(req, res) < 0)
		return;
	if (calendar_file_parse(&cf, req->body, req->body_len, year, &f) < 0) {
		reply_file_problems(res, &cf, &f);
		calendar_file_release(&cf);
		return;
	}
	existed = calendar_year_get(s, year, &probe, &f) == 0;
	if (existed)
		calendar_year_release(&probe);
	fault_clear(&f);
	if (wo_calendar_load(s, &cf, "api", dry_run, &changed, &rc, &f) < 0) {
		api_fail(res, &f);
	} else {
		snprintf(note, sizeof(note), "%d: %zu special days, %s%s; %zu provisional deadlines of open orders recounted%s",
			 year, cf.n, dry_run ? "dry run, " : "", changed ? "loaded" : "unchanged", rc.n,
			 rc.nodes.n ? ", and time nodes of other ledgers" : "");
		api_audit_note(req, note);
		reply_loaded(s, res, year, dry_run ? 200 : existed ? 200 : 201, changed, dry_run, &rc);
	}
	wo_recalc_release(&rc);
	calendar_file_release(&cf);
}

/* A query parameter as a date; 1 when present and good, 0 when absent, -1 after answering 400. */
static int query_day(struct http_request *req, struct http_response *res, const char *name, int32_t *day)
{
	const char *v = http_query(req, name);

	if (!v)
		return 0;
	if (calendar_day_parse(v, day) < 0) {
		http_reply_error(res, 400, "invalid", name, "%s must be a real date as YYYY-MM-DD from 1900 to 2200",
				 name);
		return -1;
	}
	return 1;
}

static void api_calendar_working_days(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int32_t date = 0, from = 0, to = 0, out;
	int has_date, has_from, has_to, working, n, provisional = 0;
	struct fault f = { 0 };
	int64_t add;

	if (!s)
		return;
	if ((has_date = query_day(req, res, "date", &date)) < 0 || (has_from = query_day(req, res, "from", &from)) < 0 ||
	    (has_to = query_day(req, res, "to", &to)) < 0)
		return;
	if (has_date && (has_from || has_to)) {
		http_reply_error(res, 400, "invalid", has_from ? "from" : "to", "ask either ?date= (and add=) or ?from=&to=");
		return;
	}
	if (has_date) {
		if (api_query_int(req, res, "add", -MAX_ADD, MAX_ADD, 0, &add) < 0)
			return;
		if (!http_query(req, "add")) {
			if (calendar_is_working_day(s, date, &working, &f) < 0 ||
			    calendar_provisional_between(s, date, date, &provisional, &f) < 0) {
				api_fail(res, &f);
				return;
			}
			http_reply_json(res, 200, json_pack("{s:o, s:i, s:b, s:b}", "date", day_json(date), "weekday",
							    calendar_weekday(date), "working", working, "provisional",
							    provisional));
			return;
		}
		if (calendar_add_working_days(s, date, (int)add, &out, &f) < 0 ||
		    calendar_provisional_between(s, out < date ? out : date + (add != 0), out < date ? date - 1 : out,
						 &provisional, &f) < 0) {
			api_fail(res, &f);
			return;
		}
		http_reply_json(res, 200, json_pack("{s:o, s:I, s:o, s:i, s:b}", "date", day_json(date), "add",
						    (json_int_t)add, "result", day_json(out), "result_weekday",
						    calendar_weekday(out), "provisional", provisional));
		return;
	}
	if (http_query(req, "add")) {
		http_reply_error(res, 400, "invalid", "add", "add goes with ?date=");
		return;
	}
	if (!has_from || !has_to) {
		http_reply_error(res, 400, "invalid", has_from ? "to" : "from",
				 "ask ?date=YYYY-MM-DD[&add=N] or ?from=YYYY-MM-DD&to=YYYY-MM-DD");
		return;
	}
	if (calendar_count_working_days(s, from, to, &n, &f) < 0 ||
	    calendar_provisional_between(s, from < to ? from + 1 : to, from < to ? to : from - 1, &provisional, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, 200, json_pack("{s:o, s:o, s:i, s:b}", "from", day_json(from), "to", day_json(to),
					    "working_days", n, "provisional", provisional));
}

static void api_calendar_deadline(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t received, days, deadline, yellow;
	char t1[40], t2[40], t3[40];
	int provisional = 0;
	struct fault f = { 0 };

	if (!s)
		return;
	if (!http_query(req, "received_at")) {
		http_reply_error(res, 400, "invalid", "received_at", "received_at (unix seconds) is required");
		return;
	}
	if (api_query_int(req, res, "received_at", 0, 7289654399, 0, &received) < 0 ||
	    api_query_int(req, res, "days", 1, MAX_ADD, 5, &days) < 0)
		return;
	if (calendar_deadline_marked(s, received, (int)days, &deadline, &provisional, &f) < 0 ||
	    calendar_yellow_at(s, deadline, &yellow, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	time_format_local(received, t1, sizeof(t1));
	time_format_local(deadline, t2, sizeof(t2));
	time_format_local(yellow, t3, sizeof(t3));
	http_reply_json(res, 200, json_pack("{s:I, s:s, s:I, s:I, s:s, s:I, s:s, s:b}", "received_at",
					    (json_int_t)received, "received_local", t1, "days", (json_int_t)days,
					    "deadline_at", (json_int_t)deadline, "deadline_local", t2, "yellow_at",
					    (json_int_t)yellow, "yellow_local", t3, "provisional", provisional));
}

/* The literal routes come before {year}: the first pattern that matches wins. */
const struct http_route api_calendar_routes[] = {
	{ "GET", "/api/v1/calendar", api_calendar_list, "calendar.read", "the years with a working-day calendar" },
	{ "GET", "/api/v1/calendar/working-days", api_calendar_working_days, "calendar.read",
	  "is ?date= a working day; ?date=&add=N working days; working days ?from=&to=" },
	{ "GET", "/api/v1/calendar/deadline", api_calendar_deadline, "calendar.read",
	  "the deadline and yellow-card instants of ?received_at= (unix seconds) with ?days= working days" },
	{ "GET", "/api/v1/calendar/{year}", api_calendar_get, "calendar.read",
	  "a year's holidays and swapped working days, and its working-day count" },
	{ "PUT", "/api/v1/calendar/{year}", api_calendar_put, "calendar.admin",
	  "load a year's calendar (text/csv): every bad line is reported, nothing is loaded unless all are good" },
	{ NULL, NULL, NULL, NULL, NULL },
};
