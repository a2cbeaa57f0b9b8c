/*
 * api_enterprise.c - /api/v1/enterprises, /api/v1/enterprise-problems,
 * /api/v1/enterprise-honours and /api/v1/economy/report: the register,
 * contacts (masked; revealed through an audited POST), status, cadres,
 * problems with their time nodes, honours, monthly indicators and the
 * month's report.
 *
 * The rules live in src/enterprise/; this file checks JSON types, turns bodies
 * and query strings into inputs and faults into errors.  Scope: an enterprise
 * belongs where it sits on the tree (node_id), a problem where its enterprise
 * sits.  A path id outside the scope answers 404 before the body is read, so
 * existence does not leak; a node named in a body outside it answers 400.
 */
#include "api/api.h"
#include "api/api_auth.h"
#include "api/api_routes.h"
#include "auth/auth.h"
#include "auth/pii.h"
#include "enterprise/enterprise.h"
#include "util/check.h"

#include <stdlib.h>
#include <string.h>

static int64_t actor_user(const struct http_request *req)
{
	const struct actor *a = api_actor(req);

	return a ? a->user_id : 0;
}

/* The register. */

static json_t *enterprise_json(const struct enterprise *e)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:b, s:o, s:s, s:s, s:s}", "id",
			      (json_int_t)e->id, "subdistrict_id", (json_int_t)e->subdistrict_id, "node_id",
			      (json_int_t)e->node_id, "credit_code", e->credit_code, "name", e->name, "legal_rep",
			      json_str_or_null(e->legal_rep), "industry_code", json_str_or_null(e->industry_code),
			      "industry_name", json_str_or_null(e->industry_name), "address",
			      json_str_or_null(e->address), "size", e->size, "above_scale", e->above_scale,
			      "above_scale_since", json_str_or_null(e->above_scale_since[0] ? e->above_scale_since : NULL),
			      "status", e->status, "created_at", e->created_at, "updated_at", e->updated_at);
	return o;
}

/* DOMAIN.md, personal data: a contact's phone is masked in every answer but the audited reveal. */
static json_t *contacts_json(const struct enterprise_contact_list *l, int masked)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct enterprise_contact *c = &l->items[i];
		char *m = masked ? pii_mask_phone(c->phone) : NULL;

		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)c->id, "name", c->name,
						   "title", json_str_or_null(c->title), "phone",
						   json_str_or_null(masked ? m : c->phone)));
		free(m);
	}
	return a;
}

static json_t *cadres_json(const struct enterprise_cadre_list *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct enterprise_cadre *c = &l->items[i];

		json_array_append_new(a, json_pack("{s:I, s:s, s:I, s:s, s:o, s:s, s:o}", "id", (json_int_t)c->id,
						   "role", c->role, "user_id", (json_int_t)c->user_id, "login",
						   c->login, "display_name", json_str_or_null(c->display_name),
						   "starts_on", c->starts_on, "ends_on",
						   json_str_or_null(c->ends_on[0] ? c->ends_on : NULL)));
	}
	return a;
}

static json_t *status_history_json(const struct enterprise_status_list *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o, s:s}", "status", l->items[i].status, "since",
						   l->items[i].since, "reason", json_str_or_null(l->items[i].reason),
						   "user_id", json_id_or_null(l->items[i].user_id), "at",
						   l->items[i].created_at));
	return a;
}

static json_t *honour_json(const struct enterprise_honour *x)
{
	return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:i, s:o}", "id", (json_int_t)x->id, "enterprise_id",
			 (json_int_t)x->enterprise_id, "enterprise_name", x->enterprise_name, "node_id",
			 (json_int_t)x->enterprise_node_id, "kind", x->kind, "level", x->level, "title",
			 json_str_or_null(x->title), "year", x->year, "expires_on",
			 json_str_or_null(x->expires_on[0] ? x->expires_on : NULL));
}

static json_t *honours_json(const struct enterprise_honour_list *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, honour_json(&l->items[i]));
	return a;
}

/*
 * The enterprise when it exists and lies in the actor's scope: 0 with *out
 * filled (release it); otherwise answers (404) and returns -1.
 */
static int visible_enterprise(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			      struct enterprise *out)
{
	struct fault f = { 0 };

	if (enterprise_get(s, id, out, &f) < 0) {
		api_fail(res, &f);
		return -1;
	}
	if (!api_scope_allows(req, res, out->node_id)) {
		enterprise_release(out);
		return -1;
	}
	return 0;
}

/*
 * The steps every write on one enterprise starts with: the path id, the
 * enterprise visible in the scope (404 before the body is read, so that
 * existence does not leak), then the body checked against fields.  NULL after
 * answering.
 */
static json_t *enterprise_write_body(struct http_request *req, struct http_response *res, struct store *s,
				     const struct api_field *fields, int64_t *id)
{
	struct enterprise e;

	*id = s ? api_path_id(req, res, "id") : 0;
	if (!*id || visible_enterprise(req, res, s, *id, &e) < 0)
		return NULL;
	enterprise_release(&e);
	return api_body(req, res, fields);
}

/* One enterprise in full: the register's fields, today's cadres, the contacts (masked) and the status history. */
static void reply_enterprise(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			     int status)
{
	struct enterprise e;
	struct enterprise_contact_list contacts;
	struct enterprise_cadre_list cadres;
	struct enterprise_status_list history;
	struct enterprise_honour_list honours;
	struct enterprise_honour_filter hf = { .enterprise_id = id, .limit = 500 };
	struct fault f = { 0 };
	char today[11];
	json_t *o;

	if (visible_enterprise(req, res, s, id, &e) < 0)
		return;
	date_today_local(today);
	if (enterprise_contacts(s, id, &contacts, &f) < 0) {
		api_fail(res, &f);
		enterprise_release(&e);
		return;
	}
	if (enterprise_cadres(s, id, today, &cadres, &f) < 0) {
		api_fail(res, &f);
		goto out_contacts;
	}
	if (enterprise_status_history(s, id, &history, &f) < 0) {
		api_fail(res, &f);
		goto out_cadres;
	}
	if (enterprise_honours(s, &hf, &honours, &f) < 0) {
		api_fail(res, &f);
		goto out_history;
	}
	o = enterprise_json(&e);
	json_object_set_new(o, "contacts", contacts_json(&contacts, 1));
	json_object_set_new(o, "cadres", cadres_json(&cadres));
	json_object_set_new(o, "status_history", status_history_json(&history));
	json_object_set_new(o, "honours", honours_json(&honours));
	http_reply_json(res, status, o);
	enterprise_honour_list_release(&honours);
out_history:
	enterprise_status_list_release(&history);
out_cadres:
	enterprise_cadre_list_release(&cadres);
out_contacts:
	enterprise_contact_list_release(&contacts);
	enterprise_release(&e);
}

static const struct api_field enterprise_fields[] = {
	{ "credit_code", API_STRING, 0, 0, 18 },
	{ "name", API_STRING, 0, 0, 100 },
	{ "legal_rep", API_STRING, 0, 1, 50 },
	{ "industry_code", API_STRING, 0, 1, 5 },
	{ "industry_name", API_STRING, 0, 1, 100 },
	{ "address", API_STRING, 0, 1, 200 },
	{ "size", API_STRING, 0, 0, 10 },
	{ "node_id", API_ID, 0, 0, 0 },
	{ "above_scale", API_BOOL, 0, 0, 0 },
	{ "above_scale_since", API_STRING, 0, 1, 7 },
	{ "status_since", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void enterprise_input_from(struct http_request *req, json_t *body, struct enterprise_input *in)
{
	memset(in, 0, sizeof(*in));
	in->credit_code = api_str(body, "credit_code");
	in->name = api_str(body, "name");
	in->legal_rep = api_str(body, "legal_rep");
	in->set_legal_rep = api_has(body, "legal_rep");
	in->industry_code = api_str(body, "industry_code");
	in->set_industry_code = api_has(body, "industry_code");
	in->industry_name = api_str(body, "industry_name");
	in->set_industry_name = api_has(body, "industry_name");
	in->address = api_str(body, "address");
	in->set_address = api_has(body, "address");
	in->size = api_str(body, "size");
	in->node_id = api_int(body, "node_id", 0);
	in->set_above_scale = api_has(body, "above_scale");
	in->above_scale = json_is_true(json_object_get(body, "above_scale"));
	in->above_scale_since = api_str(body, "above_scale_since");
	in->status_since = api_str(body, "status_since");
	in->user_id = actor_user(req);
}

static void api_enterprise_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct enterprise_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, enterprise_fields)))
		return;
	enterprise_input_from(req, body, &in);
	if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (enterprise_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_enterprise(req, res, s, id, 201);
	}
	json_decref(body);
}

static void api_enterprise_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_enterprise(req, res, s, id, 200);
}

static void api_enterprise_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id;
	struct enterprise_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!(body = enterprise_write_body(req, res, s, enterprise_fields, &id)))
		return;
	enterprise_input_from(req, body, &in);
	if (api_has(body, "status_since"))
		http_reply_error(res, 400, "invalid", "status_since", "status_since is for a create: POST .../status changes the status");
	else if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (enterprise_update(s, id, &in, &f) < 0)
			api_fail(res, &f);
		else
			reply_enterprise(req, res, s, id, 200);
	}
	json_decref(body);
}

static void api_enterprise_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct enterprise_filter flt;
	struct enterprise_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;
	int above;

	memset(&flt, 0, sizeof(flt));
	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &flt.under_id) < 0 ||
	    api_query_int(req, res, "cadre_user_id", 1, INT64_MAX, 0, &flt.cadre_user_id) < 0 ||
	    api_query_text(req, res, "q", 100, &flt.q) < 0 || api_query_text(req, res, "status", 20, &flt.status) < 0 ||
	    api_query_text(req, res, "above_scale_from", 7, &flt.above_scale_from) < 0 ||
	    api_query_text(req, res, "above_scale_to", 7, &flt.above_scale_to) < 0 ||
	    api_query_text(req, res, "without_cadre", 10, &flt.without_cadre) < 0 ||
	    (above = api_query_bool(req, res, "above_scale", 2)) < 0 ||
	    api_paging(req, res, &flt.limit, &flt.offset) < 0 || api_scope_under(req, res, &flt.under_id) < 0)
		return;
	flt.above_scale = above == 2 ? -1 : above;
	if (enterprise_list(s, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, enterprise_json(&list.items[i]));
	api_reply_list(res, items, list.total, flt.limit, flt.offset);
	enterprise_list_release(&list);
}

static const struct api_field status_fields[] = {
	{ "status", API_STRING, 1, 0, 20 },
	{ "since", API_DATE, 0, 0, 0 },
	{ "reason", API_STRING, 0, 1, 500 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_enterprise_status(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id;
	struct fault f = { 0 };
	json_t *body;

	if (!(body = enterprise_write_body(req, res, s, status_fields, &id)))
		return;
	if (enterprise_set_status(s, id, api_str(body, "status"), api_str(body, "since"), api_str(body, "reason"),
				  actor_user(req), &f) < 0)
		api_fail(res, &f);
	else
		reply_enterprise(req, res, s, id, 201);
	json_decref(body);
}

/* Contacts. */

static const struct api_field contact_fields[] = {
	{ "name", API_STRING, 1, 0, 50 },
	{ "title", API_STRING, 0, 1, 50 },
	{ "phone", API_STRING, 0, 1, 30 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_enterprise_contact_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id, contact;
	struct enterprise_contact_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!(body = enterprise_write_body(req, res, s, contact_fields, &id)))
		return;
	in = (struct enterprise_contact_input){ .name = api_str(body, "name"), .title = api_str(body, "title"),
						.phone = api_str(body, "phone") };
	if (enterprise_contact_add(s, id, &in, &contact, &f) < 0)
		api_fail(res, &f);
	else
		reply_enterprise(req, res, s, id, 201);
	json_decref(body);
}

static const struct api_field reveal_fields[] = {
	{ "fields", API_STRING_ARRAY, 1, 0, 20 },
	{ NULL, 0, 0, 0, 0 },
};

/*
 * The contacts' phones in full: {"fields":["phone"]}.  A POST, so the guard
 * checks the CSRF token and audits it; the audit row names what was shown.
 */
static void api_enterprise_reveal(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id;
	struct enterprise_contact_list contacts;
	struct fault f = { 0 };
	json_t *body, *fields;
	struct buf note = BUF_INIT;
	size_t i;

	if (!(body = enterprise_write_body(req, res, s, reveal_fields, &id)))
		return;
	fields = json_object_get(body, "fields");
	if (json_array_size(fields) != 1 || strcmp(json_string_value(json_array_get(fields, 0)), "phone")) {
		http_reply_error(res, 400, "invalid", "fields", "name the fields to reveal: phone");
		json_decref(body);
		return;
	}
	json_decref(body);
	if (enterprise_contacts(s, id, &contacts, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	buf_adds(&note, "revealed contacts' phone:");
	for (i = 0; i < contacts.n; i++)
		buf_addf(&note, "%s%lld", i ? "," : " ", (long long)contacts.items[i].id);
	api_audit_note(req, note.data);
	buf_release(&note);
	http_reply_json(res, 200, json_pack("{s:I, s:o}", "id", (json_int_t)id, "contacts",
					    contacts_json(&contacts, 0)));
	enterprise_contact_list_release(&contacts);
}

/* Cadres. */

static void api_enterprise_cadre_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct enterprise_cadre_list list;
	struct enterprise e;
	struct fault f = { 0 };
	const char *on;

	if (!id || visible_enterprise(req, res, s, id, &e) < 0)
		return;
	enterprise_release(&e);
	if (api_query_text(req, res, "on", 10, &on) < 0)
		return;
	if (enterprise_cadres(s, id, on, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, 200, json_pack("{s:o}", "items", cadres_json(&list)));
	enterprise_cadre_list_release(&list);
}

static const struct api_field cadre_fields[] = {
	{ "role", API_STRING, 1, 0, 10 },
	{ "user_id", API_ID, 1, 0, 0 },
	{ "starts_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_enterprise_cadre_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id, cadre;
	struct fault f = { 0 };
	json_t *body;

	if (!(body = enterprise_write_body(req, res, s, cadre_fields, &id)))
		return;
	if (enterprise_cadre_assign(s, id, api_str(body, "role"), api_int(body, "user_id", 0),
				    api_str(body, "starts_on"), &cadre, &f) < 0)
		api_fail(res, &f);
	else
		reply_enterprise(req, res, s, id, 201);
	json_decref(body);
}

/* Problems. */

static json_t *problem_json(const struct enterprise_problem *p)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:I, s:o, s:s, s:s, s:o, s:o, s:o, s:s, s:s}", "id",
			      (json_int_t)p->id, "enterprise_id", (json_int_t)p->enterprise_id, "enterprise_name",
			      p->enterprise_name, "node_id", (json_int_t)p->enterprise_node_id, "category", p->category,
			      "description", p->description, "unit_node_id", (json_int_t)p->unit_node_id,
			      "owner_user_id", json_id_or_null(p->owner_user_id), "raised_on", p->raised_on, "state",
			      p->state, "closed_at", json_str_or_null(p->closed_at), "evidence",
			      json_str_or_null(p->evidence), "satisfaction",
			      json_str_or_null(p->satisfaction[0] ? p->satisfaction : NULL), "created_at",
			      p->created_at, "updated_at", p->updated_at);

	json_object_set_new(o, "time_node_id", json_id_or_null(p->time_node_id));
	json_object_set_new(o, "deadline", p->time_node_id ? json_time_or_null(p->deadline) : json_null());
	json_object_set_new(o, "card", json_str_or_null(p->time_node_id ? p->card : NULL));
	json_object_set_new(o, "answering_node_id", json_id_or_null(p->answering_node_id));
	return o;
}

/* The problem when its enterprise lies in the actor's scope: 0 with *out; otherwise answers 404, -1. */
static int visible_problem(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			   struct enterprise_problem *out)
{
	struct fault f = { 0 };

	if (enterprise_problem_get(s, id, out, &f) < 0) {
		api_fail(res, &f);
		return -1;
	}
	if (!api_scope_allows(req, res, out->enterprise_node_id)) {
		enterprise_problem_release(out);
		return -1;
	}
	return 0;
}

static void reply_problem(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			  int status)
{
	struct enterprise_problem p;
	struct enterprise_problem_note_list notes;
	struct fault f = { 0 };
	json_t *o, *a;
	size_t i;

	if (visible_problem(req, res, s, id, &p) < 0)
		return;
	if (enterprise_problem_notes(s, id, &notes, &f) < 0) {
		api_fail(res, &f);
		enterprise_problem_release(&p);
		return;
	}
	o = problem_json(&p);
	a = json_array();
	for (i = 0; i < notes.n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)notes.items[i].id, "at",
						   notes.items[i].at, "user_id", json_id_or_null(notes.items[i].user_id),
						   "note", notes.items[i].note));
	json_object_set_new(o, "notes", a);
	http_reply_json(res, status, o);
	enterprise_problem_note_list_release(&notes);
	enterprise_problem_release(&p);
}

static const struct api_field problem_fields[] = {
	{ "category", API_STRING, 1, 0, 20 },
	{ "description", API_STRING, 1, 0, 1000 },
	{ "unit_node_id", API_ID, 1, 0, 0 },
	{ "owner_user_id", API_ID, 0, 1, 0 },
	{ "raised_on", API_DATE, 0, 0, 0 },
	{ "days", API_INT, 1, 0, 0 },
	{ "day_rule", API_STRING, 0, 0, 10 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_enterprise_problem_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id, problem, days;
	struct enterprise_problem_input in;
	struct fault f = { 0 };
	const char *rule;
	json_t *body;

	if (!(body = enterprise_write_body(req, res, s, problem_fields, &id)))
		return;
	rule = api_str(body, "day_rule");
	days = api_int(body, "days", 0);
	in = (struct enterprise_problem_input){ .category = api_str(body, "category"),
						.description = api_str(body, "description"),
						.unit_node_id = api_int(body, "unit_node_id", 0),
						.owner_user_id = api_int(body, "owner_user_id", 0),
						.raised_on = api_str(body, "raised_on"),
						.days = days < 1 || days > 365 ? 0 : (int)days,
						.rule = rule && !strcmp(rule, "calendar") ? TN_CALENDAR_DAYS : TN_WORKING_DAYS,
						.user_id = actor_user(req) };
	if (rule && strcmp(rule, "calendar") && strcmp(rule, "working"))
		http_reply_error(res, 400, "invalid", "day_rule", "day_rule is working (the default) or calendar");
	else if (api_scope_target(req, res, in.unit_node_id, "unit_node_id")) {
		if (enterprise_problem_create(s, id, &in, &problem, &f) < 0)
			api_fail(res, &f);
		else
			reply_problem(req, res, s, problem, 201);
	}
	json_decref(body);
}

static void api_enterprise_problem_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_problem(req, res, s, id, 200);
}

static void api_enterprise_problem_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct enterprise_problem_filter flt;
	struct enterprise_problem_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	memset(&flt, 0, sizeof(flt));
	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &flt.under_id) < 0 ||
	    api_query_int(req, res, "enterprise_id", 1, INT64_MAX, 0, &flt.enterprise_id) < 0 ||
	    api_query_text(req, res, "state", 10, &flt.state) < 0 || api_paging(req, res, &flt.limit, &flt.offset) < 0 ||
	    api_scope_under(req, res, &flt.under_id) < 0)
		return;
	if (enterprise_problem_list(s, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, problem_json(&list.items[i]));
	api_reply_list(res, items, list.total, flt.limit, flt.offset);
	enterprise_problem_list_release(&list);
}

static const struct api_field note_fields[] = {
	{ "note", API_STRING, 1, 0, 1000 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_enterprise_problem_note(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct enterprise_problem p;
	struct fault f = { 0 };
	json_t *body;

	if (!id || visible_problem(req, res, s, id, &p) < 0)
		return;
	enterprise_problem_release(&p);
	if (!(body = api_body(req, res, note_fields)))
		return;
	if (enterprise_problem_note(s, id, api_str(body, "note"), actor_user(req), &f) < 0)
		api_fail(res, &f);
	else
		reply_problem(req, res, s, id, 201);
	json_decref(body);
}

static const struct api_field close_fields[] = {
	{ "evidence", API_STRING, 1, 0, 1000 },
	{ "satisfaction", API_STRING, 1, 0, 30 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_enterprise_problem_close(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct enterprise_problem p;
	struct fault f = { 0 };
	json_t *body;

	if (!id || visible_problem(req, res, s, id, &p) < 0)
		return;
	enterprise_problem_release(&p);
	if (!(body = api_body(req, res, close_fields)))
		return;
	if (enterprise_problem_close(s, id, api_str(body, "evidence"), api_str(body, "satisfaction"), actor_user(req),
				     &f) < 0)
		api_fail(res, &f);
	else
		reply_problem(req, res, s, id, 200);
	json_decref(body);
}

/* Honours. */

static const struct api_field honour_fields[] = {
	{ "kind", API_STRING, 1, 0, 20 },
	{ "level", API_STRING, 1, 0, 20 },
	{ "title", API_STRING, 0, 1, 100 },
	{ "year", API_INT, 1, 0, 0 },
	{ "expires_on", API_DATE, 0, 1, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_enterprise_honour_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id, honour, year;
	struct enterprise_honour_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!(body = enterprise_write_body(req, res, s, honour_fields, &id)))
		return;
	year = api_int(body, "year", 0);
	in = (struct enterprise_honour_input){ .kind = api_str(body, "kind"), .level = api_str(body, "level"),
					       .title = api_str(body, "title"),
					       .year = year < 0 || year > 9999 ? 0 : (int)year,
					       .expires_on = api_str(body, "expires_on"), .user_id = actor_user(req) };
	if (enterprise_honour_add(s, id, &in, &honour, &f) < 0)
		api_fail(res, &f);
	else
		reply_enterprise(req, res, s, id, 201);
	json_decref(body);
}

static void api_enterprise_honour_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct enterprise_honour_filter flt;
	struct enterprise_honour_list list;
	struct fault f = { 0 };
	int64_t year;

	memset(&flt, 0, sizeof(flt));
	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &flt.under_id) < 0 ||
	    api_query_int(req, res, "enterprise_id", 1, INT64_MAX, 0, &flt.enterprise_id) < 0 ||
	    api_query_int(req, res, "year", 1990, 9999, 0, &year) < 0 ||
	    api_query_text(req, res, "kind", 20, &flt.kind) < 0 || api_query_text(req, res, "level", 20, &flt.level) < 0 ||
	    api_query_text(req, res, "valid_on", 10, &flt.valid_on) < 0 ||
	    api_paging(req, res, &flt.limit, &flt.offset) < 0 || api_scope_under(req, res, &flt.under_id) < 0)
		return;
	flt.year = (int)year;
	if (enterprise_honours(s, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	api_reply_list(res, honours_json(&list), list.total, flt.limit, flt.offset);
	enterprise_honour_list_release(&list);
}

/* Service records: visits, events, policy documents handed out. */

static json_t *visit_json(const struct enterprise_visit *v)
{
	return json_pack("{s:I, s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)v->id, "enterprise_id",
			 (json_int_t)v->enterprise_id, "enterprise_name", v->enterprise_name, "node_id",
			 (json_int_t)v->enterprise_node_id, "visited_on", v->visited_on, "user_id", (json_int_t)v->user_id,
			 "login", v->login, "purpose", v->purpose, "policies", json_str_or_null(v->policies), "follow_up",
			 json_str_or_null(v->follow_up));
}

static const struct api_field visit_fields[] = {
	{ "visited_on", API_DATE, 0, 0, 0 },
	{ "user_id", API_ID, 0, 0, 0 },
	{ "purpose", API_STRING, 1, 0, 1000 },
	{ "policies", API_STRING, 0, 1, 1000 },
	{ "follow_up", API_STRING, 0, 1, 1000 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_enterprise_visit_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id, visit;
	struct enterprise_visit_input in;
	struct enterprise_service_filter flt = { 0 };
	struct enterprise_visit_list list;
	struct fault f = { 0 };
	json_t *body;
	size_t i;

	if (!(body = enterprise_write_body(req, res, s, visit_fields, &id)))
		return;
	in = (struct enterprise_visit_input){ .visited_on = api_str(body, "visited_on"),
					      .user_id = api_int(body, "user_id", actor_user(req)),
					      .purpose = api_str(body, "purpose"), .policies = api_str(body, "policies"),
					      .follow_up = api_str(body, "follow_up"), .created_by = actor_user(req) };
	flt.enterprise_id = id;
	flt.limit = 500;
	if (enterprise_visit_add(s, id, &in, &visit, &f) < 0 || enterprise_visits(s, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		json_decref(body);
		return;
	}
	for (i = 0; i < list.n && list.items[i].id != visit; i++)
		;
	if (i < list.n)
		http_reply_json(res, 201, visit_json(&list.items[i]));
	else
		http_reply_json(res, 201, json_pack("{s:I}", "id", (json_int_t)visit));
	enterprise_visit_list_release(&list);
	json_decref(body);
}

/* The filters the service lists share: under, enterprise_id, user_id, from, to (dates), kind. */
static int service_filter(struct http_request *req, struct http_response *res, struct enterprise_service_filter *flt)
{
	memset(flt, 0, sizeof(*flt));
	return api_query_int(req, res, "under", 1, INT64_MAX, 0, &flt->under_id) < 0 ||
			       api_query_int(req, res, "enterprise_id", 1, INT64_MAX, 0, &flt->enterprise_id) < 0 ||
			       api_query_int(req, res, "user_id", 1, INT64_MAX, 0, &flt->user_id) < 0 ||
			       api_query_text(req, res, "from", 10, &flt->from) < 0 ||
			       api_query_text(req, res, "to", 10, &flt->to) < 0 ||
			       api_query_text(req, res, "kind", 20, &flt->kind) < 0 ||
			       api_paging(req, res, &flt->limit, &flt->offset) < 0 ||
			       api_scope_under(req, res, &flt->under_id) < 0
		       ? -1
		       : 0;
}

static void api_enterprise_visit_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct enterprise_service_filter flt;
	struct enterprise_visit_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!s || service_filter(req, res, &flt) < 0)
		return;
	if (enterprise_visits(s, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, visit_json(&list.items[i]));
	api_reply_list(res, items, list.total, flt.limit, flt.offset);
	enterprise_visit_list_release(&list);
}

static json_t *event_json(const struct enterprise_event *e, int with_attendees)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:I}", "id", (json_int_t)e->id, "node_id",
			      (json_int_t)e->node_id, "held_on", e->held_on, "kind", e->kind, "title", e->title, "partner",
			      json_str_or_null(e->partner), "attendee_count", (json_int_t)e->attendee_count);
	size_t i;

	if (with_attendees) {
		json_t *a = json_array();

		for (i = 0; i < e->nattendees; i++)
			json_array_append_new(a, json_integer((json_int_t)e->attendees[i]));
		json_object_set_new(o, "enterprise_ids", a);
	}
	return o;
}

static void reply_event(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct enterprise_event e;
	struct fault f = { 0 };

	if (enterprise_event_get(s, id, &e, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (api_scope_allows(req, res, e.node_id))
		http_reply_json(res, status, event_json(&e, 1));
	enterprise_event_release(&e);
}

static const struct api_field event_fields[] = {
	{ "node_id", API_ID, 1, 0, 0 },
	{ "held_on", API_DATE, 1, 0, 0 },
	{ "kind", API_STRING, 1, 0, 20 },
	{ "title", API_STRING, 1, 0, 200 },
	{ "partner", API_STRING, 0, 1, 100 },
	{ "enterprise_ids", API_ID_ARRAY, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_enterprise_event_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct enterprise_event_input in;
	struct fault f = { 0 };
	json_t *body, *ids, *v;
	int64_t *list = NULL, id;
	size_t i, n;

	if (!s || !(body = api_body(req, res, event_fields)))
		return;
	ids = json_object_get(body, "enterprise_ids");
	n = json_array_size(ids);
	list = xcalloc(n ? n : 1, sizeof(*list));
	json_array_foreach(ids, i, v) {
		struct enterprise e;

		list[i] = (int64_t)json_integer_value(v);
		/* An enterprise outside the scope is refused as if it did not exist. */
		if (enterprise_get(s, list[i], &e, &f) == 0) {
			int in_scope = api_scope_target(req, res, e.node_id, "enterprise_ids");

			enterprise_release(&e);
			if (!in_scope)
				goto out;
		}
	}
	in = (struct enterprise_event_input){ .node_id = api_int(body, "node_id", 0), .held_on = api_str(body, "held_on"),
					      .kind = api_str(body, "kind"), .title = api_str(body, "title"),
					      .partner = api_str(body, "partner"), .enterprise_ids = list,
					      .nenterprises = n, .created_by = actor_user(req) };
	if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (enterprise_event_add(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_event(req, res, s, id, 201);
	}
out:
	free(list);
	json_decref(body);
}

static void api_enterprise_event_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_event(req, res, s, id, 200);
}

static void api_enterprise_event_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct enterprise_service_filter flt;
	struct enterprise_event_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!s || service_filter(req, res, &flt) < 0)
		return;
	if (enterprise_events(s, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, event_json(&list.items[i], 0));
	api_reply_list(res, items, list.total, flt.limit, flt.offset);
	enterprise_event_list_release(&list);
}

static json_t *handout_json(const struct policy_handout *x)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:s, s:I, s:s}", "id", (json_int_t)x->id, "node_id", (json_int_t)x->node_id,
			 "enterprise_id", json_id_or_null(x->enterprise_id), "event_id", json_id_or_null(x->event_id),
			 "title", x->title, "copies", (json_int_t)x->copies, "handed_on", x->handed_on);
}

static const struct api_field handout_fields[] = {
	{ "node_id", API_ID, 0, 1, 0 },
	{ "enterprise_id", API_ID, 0, 1, 0 },
	{ "event_id", API_ID, 0, 1, 0 },
	{ "title", API_STRING, 1, 0, 200 },
	{ "copies", API_INT, 1, 0, 0 },
	{ "handed_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_policy_handout_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct policy_handout_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id, at = 0;

	if (!s || !(body = api_body(req, res, handout_fields)))
		return;
	in = (struct policy_handout_input){ .node_id = api_int(body, "node_id", 0),
					    .enterprise_id = api_int(body, "enterprise_id", 0),
					    .event_id = api_int(body, "event_id", 0), .title = api_str(body, "title"),
					    .handed_on = api_str(body, "handed_on"), .copies = api_int(body, "copies", 0),
					    .created_by = actor_user(req) };
	/* Where it was handed out must lie in the scope: the node, the enterprise's node or the event's node. */
	if (in.enterprise_id) {
		struct enterprise e;

		if (enterprise_get(s, in.enterprise_id, &e, &f) == 0) {
			at = api_scope_target(req, res, e.node_id, "enterprise_id") ? 0 : -1;
			enterprise_release(&e);
		}
	}
	if (!at && in.event_id) {
		struct enterprise_event e;

		if (enterprise_event_get(s, in.event_id, &e, &f) == 0) {
			at = api_scope_target(req, res, e.node_id, "event_id") ? 0 : -1;
			enterprise_event_release(&e);
		}
	}
	if (!at && api_scope_target(req, res, in.node_id, "node_id")) {
		if (api_scope(req) && !in.node_id && !in.enterprise_id && !in.event_id)
			http_reply_error(res, 400, "invalid", "node_id", "say where: node_id, enterprise_id or event_id");
		else if (policy_handout_add(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			http_reply_json(res, 201, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "title", in.title,
							    "copies", (json_int_t)in.copies));
	}
	json_decref(body);
}

static void api_policy_handout_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct enterprise_service_filter flt;
	struct policy_handout_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!s || service_filter(req, res, &flt) < 0)
		return;
	if (policy_handouts(s, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, handout_json(&list.items[i]));
	http_reply_json(res, 200, json_pack("{s:o, s:I, s:i, s:i, s:I}", "items", items, "total", (json_int_t)list.total,
					    "limit", flt.limit, "offset", flt.offset, "copies", (json_int_t)list.copies));
	policy_handout_list_release(&list);
}

/* Monthly indicators: figures travel as fixed-point text ("20.27" 万元), never as JSON numbers. */

static json_t *measure_json(int has, int64_t v)
{
	char text[40];

	if (!has)
		return json_null();
	money_format(v, MONEY_WAN, text, sizeof(text));
	return json_string(text);
}

static json_t *growth_json(int has, int64_t tenths)
{
	char text[40];

	if (!has)
		return json_null();
	enterprise_growth_format(tenths, text, sizeof(text));
	return json_string(text);
}

static json_t *indicator_json(const struct enterprise_indicator *r)
{
	json_t *o = json_pack("{s:s, s:i, s:s}", "month", r->month, "revision", r->revision, "updated_at",
			      r->updated_at ? r->updated_at : ""), *g = json_object();
	int m;

	for (m = 0; m < EM_COUNT; m++) {
		json_object_set_new(o, enterprise_measure_names[m], measure_json(r->has[m], r->value[m]));
		json_object_set_new(g, enterprise_measure_names[m],
				    json_pack("{s:o, s:o}", "mom", growth_json(r->has_mom[m], r->mom[m]), "yoy",
					      growth_json(r->has_yoy[m], r->yoy[m])));
	}
	json_object_set_new(o, "growth", g);
	return o;
}

static const struct api_field indicator_fields[] = {
	{ "month", API_STRING, 1, 0, 7 },
	{ "output", API_STRING, 0, 1, 20 },
	{ "sales", API_STRING, 0, 1, 20 },
	{ "taxes", API_STRING, 0, 1, 20 },
	{ "investment", API_STRING, 0, 1, 20 },
	{ "energy", API_STRING, 0, 1, 20 },
	{ "reason", API_STRING, 0, 1, 500 },
	{ NULL, 0, 0, 0, 0 },
};

static void reply_indicators(struct http_response *res, struct store *s, int64_t id, const char *from, const char *to,
			     int status, json_t *extra)
{
	struct enterprise_indicator_list list;
	struct enterprise_indicator_correction_list fixes;
	struct fault f = { 0 };
	json_t *items, *corrections;
	size_t i;
	int m;

	if (enterprise_indicators(s, id, from, to, &list, &f) < 0) {
		api_fail(res, &f);
		json_decref(extra);
		return;
	}
	if (enterprise_indicator_corrections(s, id, &fixes, &f) < 0) {
		api_fail(res, &f);
		enterprise_indicator_list_release(&list);
		json_decref(extra);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, indicator_json(&list.items[i]));
	corrections = json_array();
	for (i = 0; i < fixes.n; i++) {
		const struct enterprise_indicator_correction *c = &fixes.items[i];
		json_t *o = json_pack("{s:s, s:i, s:s, s:o, s:s}", "month", c->month, "revision", c->revision, "reason",
				      c->reason, "user_id", json_id_or_null(c->user_id), "at", c->created_at);

		for (m = 0; m < EM_COUNT; m++)
			json_object_set_new(o, enterprise_measure_names[m], measure_json(c->has[m], c->value[m]));
		json_array_append_new(corrections, o);
	}
	if (!extra)
		extra = json_object();
	json_object_set_new(extra, "enterprise_id", json_integer((json_int_t)id));
	json_object_set_new(extra, "items", items);
	json_object_set_new(extra, "corrections", corrections);
	http_reply_json(res, status, extra);
	enterprise_indicator_correction_list_release(&fixes);
	enterprise_indicator_list_release(&list);
}

static void api_enterprise_indicator_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct enterprise e;
	const char *from, *to;

	if (!id || visible_enterprise(req, res, s, id, &e) < 0)
		return;
	enterprise_release(&e);
	if (api_query_text(req, res, "from", 7, &from) < 0 || api_query_text(req, res, "to", 7, &to) < 0)
		return;
	reply_indicators(res, s, id, from, to, 200, NULL);
}

/* A month's figures, or a correction of a month already reported (with a reason). */
static void api_enterprise_indicator_put(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id;
	struct enterprise_indicator_input in;
	struct fault f = { 0 };
	json_t *body;
	int m, corrected;

	if (!(body = enterprise_write_body(req, res, s, indicator_fields, &id)))
		return;
	memset(&in, 0, sizeof(in));
	in.month = api_str(body, "month");
	for (m = 0; m < EM_COUNT; m++)
		in.value[m] = api_str(body, enterprise_measure_names[m]);
	in.reason = api_str(body, "reason");
	in.user_id = actor_user(req);
	if (enterprise_indicator_put(s, id, &in, &corrected, &f) < 0)
		api_fail(res, &f);
	else
		reply_indicators(res, s, id, in.month, in.month, 201,
				 json_pack("{s:s, s:b}", "month", in.month, "corrected", corrected));
	json_decref(body);
}

/* The month's report. */

static json_t *report_rows_json(const struct enterprise_report_row *rows, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		const struct enterprise_report_row *r = &rows[i];
		int64_t mom = 0, yoy = 0;
		int has_mom = r->has_prev && enterprise_growth_tenths(r->output, r->prev_output, &mom) == 0;
		int has_yoy = r->has_last_year && enterprise_growth_tenths(r->output, r->last_year_output, &yoy) == 0;

		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "enterprise_id",
						   (json_int_t)r->enterprise_id, "name", r->name, "output",
						   measure_json(1, r->output), "prev_output",
						   measure_json(r->has_prev, r->prev_output), "increment",
						   measure_json(r->has_prev, r->output - r->prev_output), "last_year_output",
						   measure_json(r->has_last_year, r->last_year_output), "mom",
						   growth_json(has_mom, mom), "yoy", growth_json(has_yoy, yoy)));
	}
	return a;
}

static void api_economy_report(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct enterprise_month_report r;
	struct fault f = { 0 };
	const char *month;
	int64_t node;
	json_t *totals;
	int m;

	if (!s || api_query_int(req, res, "node", 1, INT64_MAX, 0, &node) < 0 ||
	    api_query_text(req, res, "month", 7, &month) < 0)
		return;
	if (!node)
		node = api_scope(req);
	if (!node) {
		http_reply_error(res, 400, "invalid", "node", "node is required: the subdistrict or community to report on");
		return;
	}
	if (!api_scope_allows(req, res, node))
		return;
	if (enterprise_month_report(s, node, month, &r, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	totals = json_object();
	for (m = 0; m < EM_COUNT; m++) {
		int64_t mom = 0, yoy = 0;
		int has_mom = r.has[m] && r.has_prev[m] &&
			      enterprise_growth_tenths(r.total[m], r.total_prev[m], &mom) == 0;
		int has_yoy = r.has[m] && r.has_last_year[m] &&
			      enterprise_growth_tenths(r.total[m], r.total_last_year[m], &yoy) == 0;

		json_object_set_new(totals, enterprise_measure_names[m],
				    json_pack("{s:o, s:o, s:o, s:o, s:o}", "value", measure_json(r.has[m], r.total[m]),
					      "prev", measure_json(r.has_prev[m], r.total_prev[m]), "last_year",
					      measure_json(r.has_last_year[m], r.total_last_year[m]), "mom",
					      growth_json(has_mom, mom), "yoy", growth_json(has_yoy, yoy)));
	}
	http_reply_json(res, 200,
			json_pack("{s:I, s:s, s:s, s:s, s:I, s:o, s:{s:o, s:o, s:o, s:o, s:o}, s:o, s:o, s:I, s:{s:I, s:I},"
				  " s:{s:I, s:I, s:I}}",
				  "node_id", (json_int_t)node, "month", r.month, "prev_month", r.prev_month,
				  "last_year_month", r.last_year_month, "reporting", (json_int_t)r.reporting, "totals",
				  totals, "output_split", "leaders", report_rows_json(r.leaders, r.nleaders),
				  "leaders_output", measure_json(1, r.leaders_output), "leaders_increment",
				  measure_json(1, r.leaders_increment), "rest_output", measure_json(1, r.rest_output),
				  "rest_increment", measure_json(1, r.rest_increment), "contributors",
				  report_rows_json(r.contributors, r.ncontributors), "growers",
				  report_rows_json(r.growers, r.ngrowers), "new_above_scale",
				  (json_int_t)r.new_above_scale, "problems", "raised", (json_int_t)r.problems_raised,
				  "closed", (json_int_t)r.problems_closed, "service", "visits", (json_int_t)r.visits,
				  "events", (json_int_t)r.events, "handout_copies", (json_int_t)r.handout_copies));
	enterprise_month_report_release(&r);
}

const struct http_route api_enterprise_routes[] = {
	{ "GET", "/api/v1/enterprises", api_enterprise_list, "enterprise.read",
	  "list enterprises: under, q, status, above_scale, above_scale_from/to (YYYY-MM), cadre_user_id, without_cadre" },
	{ "POST", "/api/v1/enterprises", api_enterprise_create, "enterprise.write", "register an enterprise" },
	{ "GET", "/api/v1/enterprises/{id}", api_enterprise_get, "enterprise.read",
	  "one enterprise with today's cadres, contacts (phones masked) and status history" },
	{ "PATCH", "/api/v1/enterprises/{id}", api_enterprise_update, "enterprise.write", "update an enterprise" },
	{ "POST", "/api/v1/enterprises/{id}/status", api_enterprise_status, "enterprise.write",
	  "change an enterprise's status (operating, suspended, closed, moved_out) with the date and reason" },
	{ "POST", "/api/v1/enterprises/{id}/contacts", api_enterprise_contact_create, "enterprise.write",
	  "add a contact to an enterprise" },
	{ "POST", "/api/v1/enterprises/{id}/reveal", api_enterprise_reveal, "enterprise.reveal",
	  "an enterprise's contacts' phones in full (audited)" },
	{ "GET", "/api/v1/enterprises/{id}/cadres", api_enterprise_cadre_list, "enterprise.read",
	  "the history of an enterprise's 帮包 leaders and service officers (?on=YYYY-MM-DD: who held it that day)" },
	{ "POST", "/api/v1/enterprises/{id}/cadres", api_enterprise_cadre_create, "enterprise.write",
	  "a user becomes an enterprise's leader or officer from a date" },
	{ "POST", "/api/v1/enterprises/{id}/problems", api_enterprise_problem_create, "enterprise.write",
	  "record a problem an enterprise raised, due on the time-node engine" },
	{ "GET", "/api/v1/enterprise-problems", api_enterprise_problem_list, "enterprise.read",
	  "enterprises' problems: under, enterprise_id, state" },
	{ "GET", "/api/v1/enterprise-problems/{id}", api_enterprise_problem_get, "enterprise.read",
	  "one problem with its card, deadline and progress notes" },
	{ "POST", "/api/v1/enterprise-problems/{id}/notes", api_enterprise_problem_note, "enterprise.write",
	  "add a progress note to an open problem" },
	{ "POST", "/api/v1/enterprise-problems/{id}/close", api_enterprise_problem_close, "enterprise.write",
	  "close a problem with evidence and the enterprise's satisfaction" },
	{ "POST", "/api/v1/enterprises/{id}/honours", api_enterprise_honour_create, "enterprise.write",
	  "record an honour (专精特新, 小巨人, 瞪羚, 高新技术企业 ...) with its level, year and expiry" },
	{ "GET", "/api/v1/enterprise-honours", api_enterprise_honour_list, "enterprise.read",
	  "honours of the enterprises in scope: under, enterprise_id, kind, level, year, valid_on" },
	{ "POST", "/api/v1/enterprises/{id}/visits", api_enterprise_visit_create, "enterprise.write",
	  "record a visit (送政策上门): day, who, purpose, policies delivered, follow-ups" },
	{ "GET", "/api/v1/enterprise-visits", api_enterprise_visit_list, "enterprise.read",
	  "visits to the enterprises in scope: under, enterprise_id, user_id, from, to" },
	{ "POST", "/api/v1/enterprise-events", api_enterprise_event_create, "enterprise.write",
	  "record an event such as a finance or legal 直通车 with the enterprises attending" },
	{ "GET", "/api/v1/enterprise-events", api_enterprise_event_list, "enterprise.read",
	  "events held in scope: under, enterprise_id (attending), kind, from, to" },
	{ "GET", "/api/v1/enterprise-events/{id}", api_enterprise_event_get, "enterprise.read",
	  "one event with the enterprises attending" },
	{ "POST", "/api/v1/policy-handouts", api_policy_handout_create, "enterprise.write",
	  "record policy documents handed out (title, copies) to an enterprise, at an event or a node" },
	{ "GET", "/api/v1/policy-handouts", api_policy_handout_list, "enterprise.read",
	  "policy documents handed out in scope, with the copies of all that match: under, enterprise_id, from, to" },
	{ "GET", "/api/v1/enterprises/{id}/indicators", api_enterprise_indicator_list, "enterprise.read",
	  "an enterprise's monthly indicators (?from=&to= YYYY-MM) with growth on the month and the year before, and the corrections" },
	{ "POST", "/api/v1/enterprises/{id}/indicators", api_enterprise_indicator_put, "enterprise.write",
	  "report a month's indicators (figures as text in 万元), or correct a month with a reason" },
	{ "GET", "/api/v1/economy/report", api_economy_report, "enterprise.read",
	  "the month's economy for the enterprises under a node (?month=YYYY-MM&node=): totals with 环比 and 同比, leaders, contributors, growers" },
	{ NULL, NULL, NULL, NULL, NULL },
};
