/*
 * api_open311.c - Open311 GeoReport v2 under /open311/v2/ (wiki.open311.org/GeoReport_v2).
 *
 * Every resource comes as .xml (the spec requires it) and .json: one route
 * per format, so the route table and the OpenAPI description list both.  The
 * answer is built once as JSON and written as XML by one converter that
 * knows the spec's element names for list items.  Errors leave in the spec's
 * form, [{"code", "description"}] or <errors><error>, whoever raised them
 * (the guard too: api_open311_finish()).  Codes and ids are strings; times
 * are ISO 8601 with the zone (+08:00).
 *
 * Reads are public, as the spec has them, and show no personal data
 * (open311.h).  POST requests takes api_key, an API token holding
 * workorder.create (the guard reads it from the form: ROUTE_API_KEY), files a
 * resident's work order through wo_create() and answers its number at once.
 */
#include "api/api.h"
#include "api/api_auth.h"
#include "api/api_routes.h"
#include "open311/open311.h"
#include "workorder/workorder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define O311_CHANGESET "2026-11-29T00:00:00+08:00"	/* when this endpoint's behaviour last changed */

/* --- JSON written as the spec's XML ------------------------------------------------------ */

static const char *item_name(const char *list)
{
	static const char *const names[][2] = {
		{ "services", "service" }, { "endpoints", "endpoint" }, { "formats", "format" },
		{ "attributes", "attribute" }, { "values", "value" }, { "errors", "error" },
		{ "service_requests", "request" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], list) == 0)
			return names[i][1];
	return "item";
}

static void xml_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&apos;"); break;
		default:
			/* XML 1.0 has no place for the other C0 controls, not even escaped. */
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
				buf_adds(b, "\xef\xbf\xbd");
			else
				buf_addch(b, *s);
		}
	}
}

static void xml_value(struct buf *b, const char *name, json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	buf_addf(b, "<%s>", name);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach(v, key, x)
			xml_value(b, key, x);
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, x)
			xml_value(b, item_name(name), x);
		break;
	case JSON_STRING:
		xml_text(b, json_string_value(v));
		break;
	case JSON_INTEGER:
		buf_addf(b, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		buf_addf(b, "%.7f", json_real_value(v));
		break;
	case JSON_TRUE:
		buf_adds(b, "true");
		break;
	case JSON_FALSE:
		buf_adds(b, "false");
		break;
	case JSON_NULL:
		break;
	}
	buf_addf(b, "</%s>", name);
}

static int is_xml(const struct http_request *req)
{
	const char *p = req->route ? req->route->pattern : req->path;
	size_t n = strlen(p);

	return n >= 4 && strcmp(p + n - 4, ".xml") == 0;
}

/* Answers json (taken) in the request's format; root names the XML document's element. */
static void reply(struct http_request *req, struct http_response *res, int status, const char *root, json_t *json)
{
	struct buf b = BUF_INIT;

	if (!is_xml(req)) {
		http_reply_json(res, status, json);
		return;
	}
	buf_init(&b);
	buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
	xml_value(&b, root, json);
	buf_addch(&b, '\n');
	json_decref(json);
	http_reply_text(res, status, "text/xml; charset=utf-8", b.data, b.len);
	buf_release(&b);
}

void api_open311_finish(struct http_request *req, struct http_response *res)
{
	json_t *body, *err, *out;
	const char *msg, *field;
	char *text;
	int status = res->status;

	if (status < 400)
		return;
	body = res->body.len ? json_loadb(res->body.data, res->body.len, 0, NULL) : NULL;
	err = json_object_get(body, "error");
	if (!err) {		/* already in the spec's form */
		json_decref(body);
		return;
	}
	msg = json_string_value(json_object_get(err, "message"));
	field = json_string_value(json_object_get(err, "field"));
	/* The spec answers a missing or bad api_key with 403. */
	if (status == 401)
		status = 403;
	text = field && *field ? xasprintf("%s: %s", field, msg ? msg : "") : xstrdup(msg ? msg : "error");
	out = json_pack("[{s:i, s:s}]", "code", status, "description", text);
	free(text);
	json_decref(body);
	http_response_release(res);
	http_response_init(res);
	reply(req, res, status, "errors", out);
}

/* --- formatting -------------------------------------------------------------------------- */

static json_t *time_json(int64_t at)
{
	char text[40];

	if (!at)
		return json_string("");
	time_format_local(at, text, sizeof(text));
	return json_string(text);
}

static json_t *str_json(const char *s)
{
	return json_string(s ? s : "");
}

static json_t *request_json(const struct o311_request *r)
{
	json_t *j = json_object();

	json_object_set_new(j, "service_request_id", str_json(r->number));
	json_object_set_new(j, "status", json_string(r->closed ? "closed" : "open"));
	json_object_set_new(j, "status_notes", str_json(r->state));
	json_object_set_new(j, "service_name", str_json(r->service_name));
	json_object_set_new(j, "service_code", str_json(r->service_code));
	json_object_set_new(j, "description", str_json(r->description));
	json_object_set_new(j, "agency_responsible", str_json(r->agency));
	json_object_set_new(j, "service_notice", json_string(""));
	json_object_set_new(j, "requested_datetime", time_json(r->requested_at));
	json_object_set_new(j, "updated_datetime", time_json(r->updated_at));
	json_object_set_new(j, "expected_datetime", time_json(r->expected_at));
	json_object_set_new(j, "address", str_json(r->address));
	json_object_set_new(j, "address_id", str_json(r->address_id));
	json_object_set_new(j, "zipcode", json_string(""));
	if (r->has_coords) {
		json_object_set_new(j, "lat", json_real(r->lat));
		json_object_set_new(j, "long", json_real(r->lng));
	}
	json_object_set_new(j, "media_url", json_string(""));
	return j;
}

static void reply_requests(struct http_request *req, struct http_response *res, const struct o311_request_list *l)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(arr, request_json(&l->items[i]));
	reply(req, res, 200, "service_requests", arr);
}

/* --- handlers ---------------------------------------------------------------------------- */

static void api_o311_discovery(struct http_request *req, struct http_response *res)
{
	const char *host = http_header(req, "Host");
	char *url = xasprintf("%s://%s/open311/v2", api_cookie_secure() ? "https" : "http", host ? host : "localhost");
	json_t *j;

	j = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:[s, s]}]}", "changeset", O311_CHANGESET, "contact",
		      "the deployment's 12345 service desk", "key_service",
		      "api_key: an API token holding workorder.create, issued by an administrator (POST /api/v1/tokens)",
		      "endpoints", "specification", "http://wiki.open311.org/GeoReport_v2", "url", url, "changeset",
		      O311_CHANGESET, "type", "production", "formats", "text/xml", "application/json");
	free(url);
	reply(req, res, 200, "discovery", j);
}

static json_t *service_json(const struct o311_service *sv)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "service_code", sv->code, "service_name", sv->name,
			 "description", sv->name, "metadata", 1, "type", "realtime", "keywords", "", "group",
			 sv->group ? sv->group : sv->name);
}

static void api_o311_services(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct o311_service_list l;
	struct fault f = { 0 };
	json_t *arr;
	size_t i;

	if (!s)
		return;
	if (o311_services(s, &l, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	arr = json_array();
	for (i = 0; i < l.n; i++)
		json_array_append_new(arr, service_json(&l.items[i]));
	o311_service_list_release(&l);
	reply(req, res, 200, "services", arr);
}

static void api_o311_service_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct o311_service sv;
	struct fault f = { 0 };
	json_t *attrs, *j;
	size_t i, k;

	if (!s)
		return;
	if (o311_service_get(s, http_param(req, "service_code"), &sv, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	attrs = json_array();
	for (i = 0; o311_attributes[i].code; i++) {
		const struct o311_attribute *a = &o311_attributes[i];
		json_t *values = json_array();

		for (k = 0; a->values[k].key; k++)
			json_array_append_new(values, json_pack("{s:s, s:s}", "key", a->values[k].key, "name",
								a->values[k].name));
		json_array_append_new(attrs, json_pack("{s:b, s:s, s:s, s:b, s:s, s:i, s:s, s:o}", "variable", 1, "code",
						       a->code, "datatype", "singlevaluelist", "required", a->required,
						       "datatype_description", "", "order", (int)(i + 1), "description",
						       a->description, "values", values));
	}
	j = json_pack("{s:s, s:o}", "service_code", sv.code, "attributes", attrs);
	o311_service_release(&sv);
	reply(req, res, 200, "service_definition", j);
}

/* A query or form time: ISO 8601 with a zone; -1 after answering 400. */
static int time_param(struct http_response *res, const char *name, const char *v, int64_t *out)
{
	*out = 0;
	if (!v)
		return 0;
	if (o311_parse_time(v, out) < 0) {
		http_reply_error(res, 400, "invalid", name, "%s must be an ISO 8601 time with its zone, such as "
				 "2026-11-29T08:00:00+08:00", name);
		return -1;
	}
	return 0;
}

static void api_o311_requests(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct o311_request_list l;
	struct o311_query q;
	struct fault f = { 0 };

	if (!s)
		return;
	memset(&q, 0, sizeof(q));
	q.numbers = http_query(req, "service_request_id");
	q.service_code = http_query(req, "service_code");
	q.status = http_query(req, "status");
	if (time_param(res, "start_date", http_query(req, "start_date"), &q.start) < 0 ||
	    time_param(res, "end_date", http_query(req, "end_date"), &q.end) < 0)
		return;
	if (o311_requests(s, &q, &l, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	reply_requests(req, res, &l);
	o311_request_list_release(&l);
}

static void api_o311_request_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct o311_request_list l;
	struct fault f = { 0 };

	if (!s)
		return;
	if (o311_request_get(s, http_param(req, "service_request_id"), &l, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	reply_requests(req, res, &l);
	o311_request_list_release(&l);
}

static void api_o311_token_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	const char *token = http_param(req, "token_id");
	char *number;

	if (!s)
		return;
	if (o311_token_lookup(s, token, &number, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	reply(req, res, 200, "service_requests",
	      json_pack("[{s:s, s:s}]", "service_request_id", number, "token", token));
	free(number);
}

/* A decimal number, whole string; -1 after answering 400. */
static int number_param(struct http_response *res, const char *name, const char *v, double *out)
{
	char *end;

	*out = v ? strtod(v, &end) : 0;
	if (!v || *end || end == v || !isfinite(*out)) {
		http_reply_error(res, 400, "invalid", name, "%s must be a decimal number", name);
		return -1;
	}
	return 0;
}

/* An attribute's value must be one of its keys; NULL when absent, "" after answering 400. */
static const char *attribute(struct http_response *res, const struct http_form *form, const char *code)
{
	const struct o311_attribute *a;
	char name[64];
	const char *v;
	size_t i, k;

	snprintf(name, sizeof(name), "attribute[%s]", code);
	v = http_form_get(form, name);
	if (!v)
		return NULL;
	for (i = 0; o311_attributes[i].code; i++) {
		a = &o311_attributes[i];
		if (strcmp(a->code, code) != 0)
			continue;
		for (k = 0; a->values[k].key; k++)
			if (strcmp(a->values[k].key, v) == 0)
				return a->values[k].key;
	}
	http_reply_error(res, 400, "invalid", name, "'%s' is not one of the values the service definition lists", v);
	return "";
}

/* A fault of wo_create, in the spec's words: its fields are ours, the client sent Open311's. */
static void create_fault(struct http_response *res, struct fault *f)
{
	static const char *const names[][2] = {
		{ "text", "description" }, { "caller_phone", "phone" }, { "caller_name", "first_name" },
		{ "category_id", "service_code" }, { "address", "address_string" }, { "lng", "long" },
		{ "node_id", "address_id" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(f->field, names[i][0]) == 0)
			snprintf(f->field, sizeof(f->field), "%s", names[i][1]);
	api_fail(res, f);
}

static void api_o311_request_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct http_form form;
	struct o311_location loc;
	struct o311_service sv = { 0 };
	struct wo_input in;
	struct fault f = { 0 };
	char token[O311_TOKEN_CHARS + 1], key[O311_TOKEN_CHARS + 16], *name = NULL;
	const char *first, *last, *v, *type, *urgency, *conf;
	int64_t id = 0;
	int replayed = 0;
	json_t *j;

	if (!s)
		return;
	if (!http_form_body(req)) {
		http_reply_error(res, 400, "invalid", NULL,
				 "send the request as application/x-www-form-urlencoded, as the GeoReport v2 spec has it");
		return;
	}
	if (http_form_parse(req->body, &form) < 0) {
		http_reply_error(res, 400, "invalid", NULL, "the form is not valid UTF-8 percent-encoding");
		return;
	}
	memset(&loc, 0, sizeof(loc));
	memset(&in, 0, sizeof(in));
	v = http_form_get(&form, "service_code");
	if (!v) {
		http_reply_error(res, 400, "invalid", "service_code", "service_code is required");
		goto out;
	}
	if (o311_service_get(s, v, &sv, &f) < 0) {
		if (f.kind == FAULT_NOT_FOUND)
			f.kind = FAULT_INVALID;
		snprintf(f.code, sizeof(f.code), "%s", fault_code(f.kind));
		api_fail(res, &f);
		goto out;
	}
	loc.address_id = http_form_get(&form, "address_id");
	loc.address = http_form_get(&form, "address_string");
	if (http_form_get(&form, "lat") || http_form_get(&form, "long")) {
		if (!http_form_get(&form, "lat") || !http_form_get(&form, "long")) {
			http_reply_error(res, 400, "invalid", http_form_get(&form, "lat") ? "long" : "lat",
					 "lat and long go together");
			goto out;
		}
		if (number_param(res, "lat", http_form_get(&form, "lat"), &loc.lat) < 0 ||
		    number_param(res, "long", http_form_get(&form, "long"), &loc.lng) < 0)
			goto out;
		loc.has_coords = 1;
	}
	if ((type = attribute(res, &form, "type")) && !*type)
		goto out;
	if ((urgency = attribute(res, &form, "urgency")) && !*urgency)
		goto out;
	if ((conf = attribute(res, &form, "confidential")) && !*conf)
		goto out;
	if (o311_place(s, api_scope(req), &loc, &in.node_id, &f) < 0) {
		api_fail(res, &f);
		goto out;
	}
	first = http_form_get(&form, "first_name");
	last = http_form_get(&form, "last_name");
	if (first || last)	/* 姓名: family name first, no space */
		name = xasprintf("%s%s", last ? last : "", first ? first : "");
	o311_token_new(token);
	snprintf(key, sizeof(key), "open311:%s", token);
	in.source = "resident";
	in.type = type ? type : "complaint";
	in.urgency = urgency;
	in.category_id = sv.category_id;
	in.address = loc.address;
	in.has_coords = loc.has_coords;
	in.lat = loc.lat;
	in.lng = loc.lng;
	in.caller_name = name;
	in.caller_phone = http_form_get(&form, "phone");
	in.confidential = conf && strcmp(conf, "true") == 0;
	in.text = http_form_get(&form, "description") ? http_form_get(&form, "description") : sv.name;
	in.idempotency_key = key;
	if (wo_create(s, api_actor(req), &in, &id, &replayed, &f) < 0) {
		create_fault(res, &f);
		goto out;
	}
	{
		struct wo_order o;

		if (wo_get(s, id, &o, &f) < 0) {
			api_fail(res, &f);
			goto out;
		}
		j = json_pack("[{s:s, s:s, s:s, s:s}]", "service_request_id", o.number, "token", token, "service_notice",
			      "受理后按工作日时限办理 (handled within the working-day limits once accepted)", "account_id", "");
		api_audit_note(req, o.number);
		wo_order_release(&o);
	}
	reply(req, res, 200, "service_requests", j);
out:
	free(name);
	o311_service_release(&sv);
	http_form_release(&form);
}

#define FORMATS(method, path, handler, perm, summary, flags) \
	{ method, "/open311/v2/" path ".xml", handler, perm, summary " (XML)", ROUTE_OPEN311 | (flags) }, \
	{ method, "/open311/v2/" path ".json", handler, perm, summary " (JSON)", ROUTE_OPEN311 | (flags) }

const struct http_route api_open311_routes[] = {
	FORMATS("GET", "discovery", api_o311_discovery, "public", "Open311 service discovery", 0),
	FORMATS("GET", "services", api_o311_services, "public", "Open311 service list (the category tree's leaves)", 0),
	FORMATS("GET", "services/{service_code}", api_o311_service_get, "public",
		"Open311 service definition with its attributes", 0),
	FORMATS("GET", "requests", api_o311_requests, "public",
		"Open311 service requests (service_request_id, service_code, start_date, end_date, status)", 0),
	FORMATS("POST", "requests", api_o311_request_create, "workorder.create",
		"Open311 new service request (api_key: an API token with workorder.create)", ROUTE_API_KEY),
	FORMATS("GET", "requests/{service_request_id}", api_o311_request_get, "public", "Open311 one service request", 0),
	FORMATS("GET", "tokens/{token_id}", api_o311_token_get, "public", "Open311 service request id from a token", 0),
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
