/*
 * api_cobuild.c - co-building (双报到, issue 18) under /api/v1: the units that
 * reported with their in-service party members and the accounts that speak
 * for them, and the three lists — needs, resources, projects — with the
 * claims by which units carry projects out (src/cobuild/).
 *
 * Every handler takes the same steps in the same order, so that the answers
 * agree with the authorisation matrix: the path's object (404), the scope of
 * its place (404: existence does not leak; a unit's contact meets another
 * unit's claim as 404 too), the body (400 naming the field), then the part
 * the actor plays (403: staff holding cobuild.write everything in scope; a
 * unit's contact only for their unit), then the domain.  Writes are audited
 * and run in one transaction by the guard: a refusal leaves nothing written.
 */
#include "api/api.h"
#include "api/api_auth.h"
#include "api/api_routes.h"
#include "auth/auth.h"
#include "auth/pii.h"
#include "cobuild/cobuild.h"

#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* JSON. */

static json_t *date_or_null(const char *d)
{
	return d && d[0] ? json_string(d) : json_null();
}

static json_t *card_json(const char *card)
{
	return json_string(card[0] ? card : "none");
}

static json_t *hours_json(int64_t tenths)
{
	char t[24];

	if (tenths < 0)
		return json_null();
	cobuild_hours_format(tenths, t);
	return json_string(t);
}

/* DOMAIN.md, personal data: a contact's phone is masked in every answer but the audited reveal. */
static json_t *unit_json(const struct cobuild_unit *u, int masked)
{
	char *m = masked ? pii_mask_phone(u->contact_phone) : NULL;
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:I, s:s, s:s}", "id",
			      (json_int_t)u->id, "node_id", (json_int_t)u->node_id, "subdistrict_id",
			      (json_int_t)u->subdistrict_id, "name", u->name, "kind", u->kind, "credit_code",
			      json_str_or_null(u->credit_code), "party_org_name", json_str_or_null(u->party_org_name),
			      "contact_name", json_str_or_null(u->contact_name), "contact_phone",
			      json_str_or_null(masked ? m : u->contact_phone), "reported_on", u->reported_on, "members",
			      (json_int_t)u->members, "created_at", u->created_at, "updated_at", u->updated_at);

	free(m);
	return o;
}

static json_t *need_json(const struct cobuild_need *n)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:o}", "id",
			      (json_int_t)n->id, "node_id", (json_int_t)n->node_id, "subdistrict_id",
			      (json_int_t)n->subdistrict_id, "title", n->title, "detail", json_str_or_null(n->detail),
			      "kind", n->kind, "urgency", n->urgency, "source", n->source, "raised_by_person_id",
			      json_id_or_null(n->raised_by_person_id), "work_order_id", json_id_or_null(n->work_order_id),
			      "raised_on", n->raised_on, "status", n->status, "met_on", date_or_null(n->met_on));

	json_object_set_new(o, "project_id", json_id_or_null(n->project_id));
	json_object_set_new(o, "raised_by_user_id", json_id_or_null(n->raised_by_user_id));
	json_object_set_new(o, "created_at", json_string(n->created_at));
	return o;
}

static json_t *resource_json(const struct cobuild_resource *r)
{
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:s, s:s, s:o, s:o, s:s}", "id", (json_int_t)r->id, "node_id",
			 (json_int_t)r->node_id, "subdistrict_id", (json_int_t)r->subdistrict_id, "unit_id",
			 json_id_or_null(r->unit_id), "person_id", json_id_or_null(r->person_id), "kind", r->kind, "title",
			 r->title, "detail", json_str_or_null(r->detail), "offered_by", json_str_or_null(r->offered_by),
			 "created_at", r->created_at);
}

static json_t *ids_json(const int64_t *ids, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ids[i]));
	return a;
}

static json_t *project_json(const struct cobuild_project *p)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:o, s:s, s:s, s:o, s:o}", "id", (json_int_t)p->id, "node_id",
			      (json_int_t)p->node_id, "subdistrict_id", (json_int_t)p->subdistrict_id, "title", p->title,
			      "detail", json_str_or_null(p->detail), "claim_by", p->claim_by, "status", p->status,
			      "need_ids", ids_json(p->need_ids, p->n_needs), "resource_ids",
			      ids_json(p->resource_ids, p->n_resources));

	/* the unclaimed node's card while the project waits for a unit */
	json_object_set_new(o, "card", card_json(p->card));
	json_object_set_new(o, "claim_deadline", json_time_or_null(p->deadline));
	json_object_set_new(o, "created_by", json_id_or_null(p->created_by));
	json_object_set_new(o, "created_at", json_string(p->created_at));
	return o;
}

static json_t *claim_json(const struct cobuild_claim *c)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)c->id,
			      "project_id", (json_int_t)c->project_id, "node_id", (json_int_t)c->node_id, "project_title",
			      c->project_title, "unit_id", json_id_or_null(c->unit_id), "person_id",
			      json_id_or_null(c->person_id), "claimant", json_str_or_null(c->claimant), "status", c->status,
			      "claimed_on", c->claimed_on, "due_on", c->due_on, "deadline", json_time_or_null(c->deadline),
			      "card", card_json(c->card));

	json_object_set_new(o, "report", json_str_or_null(c->report));
	json_object_set_new(o, "evidence", json_str_or_null(c->evidence));
	json_object_set_new(o, "served_on", date_or_null(c->served_on));
	json_object_set_new(o, "hours", hours_json(c->hours_tenths));
	json_object_set_new(o, "reported_at", json_str_or_null(c->reported_at));
	json_object_set_new(o, "on_time", strcmp(c->status, "claimed") ? json_boolean(c->on_time) : json_null());
	json_object_set_new(o, "community_score", c->community_score ? json_integer(c->community_score) : json_null());
	json_object_set_new(o, "resident_ratings", json_integer(c->resident_ratings));
	/* the residents' average in tenths, by integer arithmetic */
	json_object_set_new(o, "resident_score",
			    c->resident_ratings
			    ? json_real((double)((c->resident_score_sum * 20 + c->resident_ratings) / (2 * c->resident_ratings)) / 10)
			    : json_null());
	json_object_set_new(o, "created_at", json_string(c->created_at));
	return o;
}

/* The steps every handler shares. */

static int64_t actor_user(struct http_request *req)
{
	const struct actor *a = api_actor(req);

	return a ? a->user_id : 0;
}

static int can_write(struct http_request *req)
{
	const struct actor *a = api_actor(req);

	return a && actor_can(a, "cobuild.write");
}

/*
 * The user whose units' claims are all the actor sees: the actor when they
 * speak for a unit and hold no cobuild.write; else 0 (every claim in scope).
 * -1 after answering when the store failed.
 */
static int64_t unit_speaker(struct http_request *req, struct http_response *res, struct store *s)
{
	struct fault f = { 0 };
	int64_t uid = actor_user(req);
	int has;

	if (!uid || can_write(req))
		return 0;
	if ((has = cobuild_user_has_units(s, uid, &f)) < 0) {
		api_fail(res, &f);
		return -1;
	}
	return has ? uid : 0;
}

static int load_unit(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
		     struct cobuild_unit *u)
{
	struct fault f = { 0 };

	if (!id)
		return 0;
	if (cobuild_unit_get(s, id, u, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, u->node_id)) {
		cobuild_unit_release(u);
		return 0;
	}
	return 1;
}

static int load_project(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			struct cobuild_project *p)
{
	struct fault f = { 0 };

	if (!id)
		return 0;
	if (cobuild_project_get(s, id, p, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, p->node_id)) {
		cobuild_project_release(p);
		return 0;
	}
	return 1;
}

/* A claim inside the scope and, for a unit's contact, of their unit (else 404 as if missing). */
static int load_claim(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
		      struct cobuild_claim *c)
{
	struct fault f = { 0 };
	int64_t speaker;
	int mine;

	if (!id)
		return 0;
	if (cobuild_claim_get(s, id, c, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, c->node_id)) {
		cobuild_claim_release(c);
		return 0;
	}
	if ((speaker = unit_speaker(req, res, s)) < 0) {
		cobuild_claim_release(c);
		return 0;
	}
	if (speaker) {
		if ((mine = cobuild_user_speaks_for(s, speaker, c->unit_id, &f)) < 0) {
			api_fail(res, &f);
			cobuild_claim_release(c);
			return 0;
		}
		if (!mine) {
			http_reply_error(res, 404, "not_found", "id", "claim %lld does not exist", (long long)id);
			cobuild_claim_release(c);
			return 0;
		}
	}
	return 1;
}

/* A list's ?under, ?status and page, the scope applied; -1 after answering. */
static int list_params(struct http_request *req, struct http_response *res, int64_t *under, const char **status,
		       int *limit, int *offset)
{
	if (api_query_int(req, res, "under", 1, INT64_MAX, 0, under) < 0 ||
	    (status && api_query_text(req, res, "status", 20, status) < 0) || api_paging(req, res, limit, offset) < 0 ||
	    api_scope_under(req, res, under) < 0)
		return -1;
	return 0;
}

/* The page [offset, offset + limit) of n rows. */
static int in_page(size_t i, int limit, int offset)
{
	return i >= (size_t)offset && i < (size_t)offset + (size_t)limit;
}

/* Units. */

static const struct api_field unit_fields[] = {
	{ "name", API_STRING, 0, 0, 100 },
	{ "kind", API_STRING, 0, 0, 20 },
	{ "node_id", API_ID, 0, 0, 0 },
	{ "credit_code", API_STRING, 0, 1, 18 },
	{ "party_org_name", API_STRING, 0, 1, 100 },
	{ "contact_name", API_STRING, 0, 1, 50 },
	{ "contact_phone", API_STRING, 0, 1, 20 },
	{ "reported_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void unit_input_from(json_t *b, struct cobuild_unit_input *in)
{
	memset(in, 0, sizeof(*in));
	in->name = api_str(b, "name");
	in->kind = api_str(b, "kind");
	in->node_id = api_int(b, "node_id", 0);
	/* null clears an optional text: the domain reads "" as cleared */
	in->credit_code = api_is_null(b, "credit_code") ? "" : api_str(b, "credit_code");
	in->party_org_name = api_is_null(b, "party_org_name") ? "" : api_str(b, "party_org_name");
	in->contact_name = api_is_null(b, "contact_name") ? "" : api_str(b, "contact_name");
	in->contact_phone = api_is_null(b, "contact_phone") ? "" : api_str(b, "contact_phone");
	in->reported_on = api_str(b, "reported_on");
}

static void reply_unit(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct cobuild_unit u;
	struct cobuild_member_list members;
	struct fault f = { 0 };
	json_t *o, *a;
	size_t i;

	if (!load_unit(req, res, s, id, &u))
		return;
	o = unit_json(&u, 1);
	cobuild_unit_release(&u);
	if (cobuild_members(s, id, &members, &f) < 0) {
		json_decref(o);
		api_fail(res, &f);
		return;
	}
	a = json_array();
	for (i = 0; i < members.n; i++) {
		const struct cobuild_member *m = &members.items[i];

		json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)m->id,
						   "person_id", (json_int_t)m->person_id, "name", m->name, "reported_on",
						   m->reported_on, "member_org_id", json_id_or_null(m->member_org_id),
						   "member_org_name", json_str_or_null(m->member_org_name), "living_org_id",
						   json_id_or_null(m->living_org_id)));
	}
	json_object_set_new(o, "in_service_members", a);
	cobuild_member_list_release(&members);
	http_reply_json(res, status, o);
}

static void api_cobuild_unit_list(struct http_request *req, struct http_response *res)
{
	int limit, offset;
	struct store *s = api_store(res);
	struct cobuild_unit_list list;
	struct fault f = { 0 };
	int64_t under;
	json_t *items;
	size_t i;

	if (!s || list_params(req, res, &under, NULL, &limit, &offset) < 0)
		return;
	if (cobuild_unit_list(s, under, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		if (in_page(i, limit, offset))
			json_array_append_new(items, unit_json(&list.items[i], 1));
	api_reply_list(res, items, (int64_t)list.n, limit, offset);
	cobuild_unit_list_release(&list);
}

static void api_cobuild_unit_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct cobuild_unit_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, unit_fields)))
		return;
	unit_input_from(body, &in);
	if (!in.node_id)
		http_reply_error(res, 400, "invalid", "node_id", "node_id is required: the community the unit reports to");
	else if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (cobuild_unit_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_unit(req, res, s, id, 201);
	}
	json_decref(body);
}

static void api_cobuild_unit_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_unit(req, res, s, id, 200);
}

static void api_cobuild_unit_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct cobuild_unit u;
	struct cobuild_unit_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!load_unit(req, res, s, id, &u))
		return;
	cobuild_unit_release(&u);
	if (!(body = api_body(req, res, unit_fields)))
		return;
	unit_input_from(body, &in);
	if (in.node_id)
		http_reply_error(res, 400, "invalid", "node_id", "node_id is given once: a unit that moves reports again");
	else if (cobuild_unit_update(s, id, &in, &f) < 0)
		api_fail(res, &f);
	else
		reply_unit(req, res, s, id, 200);
	json_decref(body);
}

static const struct api_field member_fields[] = {
	{ "person_id", API_ID, 1, 0, 0 },
	{ "reported_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_cobuild_member_add(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, mid;
	struct cobuild_unit u;
	struct fault f = { 0 };
	json_t *body;

	if (!load_unit(req, res, s, id, &u))
		return;
	if ((body = api_body(req, res, member_fields))) {
		if (cobuild_member_add(s, &u, api_int(body, "person_id", 0), api_str(body, "reported_on"), &mid, &f) < 0)
			api_fail(res, &f);
		else
			reply_unit(req, res, s, id, 201);
	}
	json_decref(body);
	cobuild_unit_release(&u);
}

static const struct api_field contact_fields[] = {
	{ "user_id", API_ID, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_cobuild_unit_account(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, uid;
	struct cobuild_unit u;
	struct fault f = { 0 };
	json_t *body;

	if (!load_unit(req, res, s, id, &u))
		return;
	if ((body = api_body(req, res, contact_fields))) {
		uid = api_int(body, "user_id", 0);
		if (cobuild_unit_user_add(s, &u, uid, &f) < 0)
			api_fail(res, &f);
		else
			http_reply_json(res, 201, json_pack("{s:I, s:I}", "unit_id", (json_int_t)id, "user_id", (json_int_t)uid));
	}
	json_decref(body);
	cobuild_unit_release(&u);
}

static const struct api_field reveal_fields[] = {
	{ "fields", API_STRING_ARRAY, 1, 0, 20 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_cobuild_unit_reveal(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct cobuild_unit u;
	json_t *body, *fields;
	char note[96];

	if (!load_unit(req, res, s, id, &u))
		return;
	if ((body = api_body(req, res, reveal_fields))) {
		fields = json_object_get(body, "fields");
		if (json_array_size(fields) != 1 || strcmp(json_string_value(json_array_get(fields, 0)), "contact_phone")) {
			http_reply_error(res, 400, "invalid", "fields", "name the fields to reveal: contact_phone");
		} else {
			snprintf(note, sizeof(note), "revealed co-building unit %lld's contact_phone", (long long)id);
			api_audit_note(req, note);
			http_reply_json(res, 200, json_pack("{s:I, s:o}", "id", (json_int_t)id, "contact_phone",
							    json_str_or_null(u.contact_phone)));
		}
	}
	json_decref(body);
	cobuild_unit_release(&u);
}

/* Needs. */

static void api_cobuild_need_list(struct http_request *req, struct http_response *res)
{
	int limit, offset;
	struct store *s = api_store(res);
	struct cobuild_need_list list;
	struct fault f = { 0 };
	const char *status = NULL;
	int64_t under;
	json_t *items;
	size_t i;

	if (!s || list_params(req, res, &under, &status, &limit, &offset) < 0)
		return;
	if (cobuild_need_list(s, under, status, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		if (in_page(i, limit, offset))
			json_array_append_new(items, need_json(&list.items[i]));
	api_reply_list(res, items, (int64_t)list.n, limit, offset);
	cobuild_need_list_release(&list);
}

static const struct api_field need_fields[] = {
	{ "node_id", API_ID, 1, 0, 0 },
	{ "title", API_STRING, 1, 0, 100 },
	{ "detail", API_STRING, 0, 1, 2000 },
	{ "kind", API_STRING, 1, 0, 20 },
	{ "urgency", API_STRING, 0, 0, 10 },
	{ "source", API_STRING, 1, 0, 20 },
	{ "raised_by_person_id", API_ID, 0, 1, 0 },
	{ "work_order_id", API_ID, 0, 1, 0 },
	{ "raised_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void reply_need(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct cobuild_need n;
	struct fault f = { 0 };

	if (cobuild_need_get(s, id, &n, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (api_scope_allows(req, res, n.node_id))
		http_reply_json(res, status, need_json(&n));
	cobuild_need_release(&n);
}

static void api_cobuild_need_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct cobuild_need_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, need_fields)))
		return;
	memset(&in, 0, sizeof(in));
	in.node_id = api_int(body, "node_id", 0);
	in.title = api_str(body, "title");
	in.detail = api_str(body, "detail");
	in.kind = api_str(body, "kind");
	in.urgency = api_str(body, "urgency");
	in.source = api_str(body, "source");
	in.raised_by_person_id = api_int(body, "raised_by_person_id", 0);
	in.work_order_id = api_int(body, "work_order_id", 0);
	in.raised_on = api_str(body, "raised_on");
	if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (cobuild_need_create(s, &in, actor_user(req), &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_need(req, res, s, id, 201);
	}
	json_decref(body);
}

static void api_cobuild_need_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_need(req, res, s, id, 200);
}

/* Resources. */

static void api_cobuild_resource_list(struct http_request *req, struct http_response *res)
{
	int limit, offset;
	struct store *s = api_store(res);
	struct cobuild_resource_list list;
	struct fault f = { 0 };
	int64_t under;
	json_t *items;
	size_t i;

	if (!s || list_params(req, res, &under, NULL, &limit, &offset) < 0)
		return;
	if (cobuild_resource_list(s, under, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		if (in_page(i, limit, offset))
			json_array_append_new(items, resource_json(&list.items[i]));
	api_reply_list(res, items, (int64_t)list.n, limit, offset);
	cobuild_resource_list_release(&list);
}

static const struct api_field resource_fields[] = {
	{ "node_id", API_ID, 1, 0, 0 },
	{ "unit_id", API_ID, 0, 1, 0 },
	{ "person_id", API_ID, 0, 1, 0 },
	{ "kind", API_STRING, 1, 0, 20 },
	{ "title", API_STRING, 1, 0, 100 },
	{ "detail", API_STRING, 0, 1, 2000 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_cobuild_resource_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct cobuild_resource_input in;
	struct cobuild_resource r;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, resource_fields)))
		return;
	memset(&in, 0, sizeof(in));
	in.node_id = api_int(body, "node_id", 0);
	in.unit_id = api_int(body, "unit_id", 0);
	in.person_id = api_int(body, "person_id", 0);
	in.kind = api_str(body, "kind");
	in.title = api_str(body, "title");
	in.detail = api_str(body, "detail");
	if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (cobuild_resource_create(s, &in, &id, &f) < 0 || cobuild_resource_get(s, id, &r, &f) < 0) {
			api_fail(res, &f);
		} else {
			http_reply_json(res, 201, resource_json(&r));
			cobuild_resource_release(&r);
		}
	}
	json_decref(body);
}

static void api_cobuild_resource_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct cobuild_resource r;
	struct fault f = { 0 };

	if (!id)
		return;
	if (cobuild_resource_get(s, id, &r, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (api_scope_allows(req, res, r.node_id))
		http_reply_json(res, 200, resource_json(&r));
	cobuild_resource_release(&r);
}

/* Projects. */

static void api_cobuild_project_list(struct http_request *req, struct http_response *res)
{
	int limit, offset;
	struct store *s = api_store(res);
	struct cobuild_project_list list;
	struct fault f = { 0 };
	const char *status = NULL;
	int64_t under;
	json_t *items;
	size_t i;

	if (!s || list_params(req, res, &under, &status, &limit, &offset) < 0)
		return;
	if (cobuild_project_list(s, under, status, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		if (in_page(i, limit, offset))
			json_array_append_new(items, project_json(&list.items[i]));
	api_reply_list(res, items, (int64_t)list.n, limit, offset);
	cobuild_project_list_release(&list);
}

/* The project with its needs and resources in full and, when the actor may see it, its claim. */
static void reply_project(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			  int status)
{
	struct cobuild_project p;
	struct cobuild_claim_list claims;
	struct fault f = { 0 };
	int64_t speaker;
	json_t *o, *a;
	size_t i;

	if (!load_project(req, res, s, id, &p))
		return;
	o = project_json(&p);
	a = json_array();
	for (i = 0; i < p.n_needs; i++) {
		struct cobuild_need n;

		if (cobuild_need_get(s, p.need_ids[i], &n, &f) < 0)
			goto fail;
		json_array_append_new(a, need_json(&n));
		cobuild_need_release(&n);
	}
	json_object_set_new(o, "needs", a);
	a = json_array();
	for (i = 0; i < p.n_resources; i++) {
		struct cobuild_resource r;

		if (cobuild_resource_get(s, p.resource_ids[i], &r, &f) < 0)
			goto fail;
		json_array_append_new(a, resource_json(&r));
		cobuild_resource_release(&r);
	}
	json_object_set_new(o, "resources", a);
	if ((speaker = unit_speaker(req, res, s)) < 0) {
		json_decref(o);
		cobuild_project_release(&p);
		return;
	}
	if (cobuild_claim_list(s, p.node_id, speaker, &claims, &f) < 0)
		goto fail;
	json_object_set_new(o, "claim", json_null());
	for (i = 0; i < claims.n; i++)
		if (claims.items[i].project_id == id)
			json_object_set_new(o, "claim", claim_json(&claims.items[i]));
	cobuild_claim_list_release(&claims);
	cobuild_project_release(&p);
	http_reply_json(res, status, o);
	return;
fail:
	json_decref(o);
	cobuild_project_release(&p);
	api_fail(res, &f);
}

static const struct api_field project_fields[] = {
	{ "node_id", API_ID, 1, 0, 0 },
	{ "title", API_STRING, 1, 0, 100 },
	{ "detail", API_STRING, 0, 1, 2000 },
	{ "claim_by", API_DATE, 0, 0, 0 },
	{ "need_ids", API_ID_ARRAY, 0, 0, 0 },
	{ "resource_ids", API_ID_ARRAY, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static int64_t *ids_from(json_t *arr, size_t *n)
{
	int64_t *ids = xcalloc(json_array_size(arr) + 1, sizeof(*ids));
	json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
		ids[i] = (int64_t)json_integer_value(e);
	*n = json_array_size(arr);
	return ids;
}

/* Each need named must lie in the scope (else 400 on need_ids, as if missing); 1, or 0 after answering. */
static int needs_in_scope(struct http_request *req, struct http_response *res, struct store *s, const int64_t *ids,
			  size_t n)
{
	struct cobuild_need need;
	struct fault f = { 0 };
	size_t i;
	int inside;

	for (i = 0; i < n; i++) {
		if (cobuild_need_get(s, ids[i], &need, &f) < 0) {
			if (f.kind == FAULT_NOT_FOUND)
				continue;	/* the domain names it */
			api_fail(res, &f);
			return 0;
		}
		inside = api_scope_target(req, res, need.node_id, "need_ids");
		cobuild_need_release(&need);
		if (!inside)
			return 0;
	}
	return 1;
}

static void api_cobuild_project_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct cobuild_project_input in;
	struct fault f = { 0 };
	int64_t *needs, *resources, id;
	json_t *body;

	if (!s || !(body = api_body(req, res, project_fields)))
		return;
	memset(&in, 0, sizeof(in));
	in.node_id = api_int(body, "node_id", 0);
	in.title = api_str(body, "title");
	in.detail = api_str(body, "detail");
	in.claim_by = api_str(body, "claim_by");
	in.need_ids = needs = ids_from(json_object_get(body, "need_ids"), &in.n_needs);
	in.resource_ids = resources = ids_from(json_object_get(body, "resource_ids"), &in.n_resources);
	if (api_scope_target(req, res, in.node_id, "node_id") && needs_in_scope(req, res, s, needs, in.n_needs)) {
		if (cobuild_project_create(s, &in, actor_user(req), &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_project(req, res, s, id, 201);
	}
	free(needs);
	free(resources);
	json_decref(body);
}

static void api_cobuild_project_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_project(req, res, s, id, 200);
}

/* Claims. */

static void reply_claim(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct cobuild_claim c;
	struct cobuild_rating_list ratings;
	struct fault f = { 0 };
	json_t *o, *a;
	size_t i;

	if (!load_claim(req, res, s, id, &c))
		return;
	o = claim_json(&c);
	cobuild_claim_release(&c);
	if (cobuild_ratings(s, id, &ratings, &f) < 0) {
		json_decref(o);
		api_fail(res, &f);
		return;
	}
	a = json_array();
	for (i = 0; i < ratings.n; i++) {
		const struct cobuild_rating *r = &ratings.items[i];

		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:i, s:o, s:s}", "id", (json_int_t)r->id, "rater",
						   r->rater, "person_id", json_id_or_null(r->person_id), "score", r->score,
						   "comment", json_str_or_null(r->comment), "created_at", r->created_at));
	}
	json_object_set_new(o, "ratings", a);
	cobuild_rating_list_release(&ratings);
	http_reply_json(res, status, o);
}

static const struct api_field claim_fields[] = {
	{ "unit_id", API_ID, 0, 1, 0 },
	{ "person_id", API_ID, 0, 1, 0 },
	{ "claimed_on", API_DATE, 0, 0, 0 },
	{ "due_on", API_DATE, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_cobuild_project_claim(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, cid, speaker;
	struct cobuild_project p;
	struct cobuild_claim_input in;
	struct fault f = { 0 };
	json_t *body;
	int mine = 1;

	if (!load_project(req, res, s, id, &p))
		return;
	if (!(body = api_body(req, res, claim_fields)))
		goto out;
	memset(&in, 0, sizeof(in));
	in.unit_id = api_int(body, "unit_id", 0);
	in.person_id = api_int(body, "person_id", 0);
	in.claimed_on = api_str(body, "claimed_on");
	in.due_on = api_str(body, "due_on");
	if ((speaker = unit_speaker(req, res, s)) < 0)
		goto out;
	/* a unit's contact claims for their unit only; a unit's claim by anyone else needs cobuild.write */
	if (speaker && (mine = cobuild_user_speaks_for(s, speaker, in.unit_id, &f)) < 0) {
		api_fail(res, &f);
		goto out;
	}
	if (speaker ? !mine : (in.unit_id && !can_write(req))) {
		http_reply_error(res, 403, "forbidden", "unit_id", "%s",
				 speaker ? "a unit's contact claims only for their own unit"
				 : "only community staff, or the unit's own contact, claim for a unit");
		goto out;
	}
	if (cobuild_claim_create(s, &p, &in, actor_user(req), &cid, &f) < 0)
		api_fail(res, &f);
	else
		reply_claim(req, res, s, cid, 201);
out:
	json_decref(body);
	cobuild_project_release(&p);
}

static void api_cobuild_claim_list(struct http_request *req, struct http_response *res)
{
	int limit, offset;
	struct store *s = api_store(res);
	struct cobuild_claim_list list;
	struct fault f = { 0 };
	int64_t under, speaker;
	json_t *items;
	size_t i;

	if (!s || list_params(req, res, &under, NULL, &limit, &offset) < 0 || (speaker = unit_speaker(req, res, s)) < 0)
		return;
	if (cobuild_claim_list(s, under, speaker, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		if (in_page(i, limit, offset))
			json_array_append_new(items, claim_json(&list.items[i]));
	api_reply_list(res, items, (int64_t)list.n, limit, offset);
	cobuild_claim_list_release(&list);
}

static void api_cobuild_claim_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_claim(req, res, s, id, 200);
}

static const struct api_field report_fields[] = {
	{ "report", API_STRING, 0, 1, 2000 },
	{ "evidence", API_STRING, 1, 0, 2000 },
	{ "served_on", API_DATE, 1, 0, 0 },
	{ "hours", API_STRING, 1, 0, 12 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_cobuild_claim_report(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct cobuild_claim c;
	struct cobuild_report_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!load_claim(req, res, s, id, &c))
		return;
	if ((body = api_body(req, res, report_fields))) {
		/* a unit's claim is reported by the unit (its contact) or by community staff */
		if (c.unit_id && !can_write(req) && !cobuild_user_speaks_for(s, actor_user(req), c.unit_id, &f)) {
			http_reply_error(res, 403, "forbidden", NULL, "only the unit's contact or community staff report a unit's claim");
		} else {
			in.report = api_str(body, "report");
			in.evidence = api_str(body, "evidence");
			in.served_on = api_str(body, "served_on");
			in.hours = api_str(body, "hours");
			if (cobuild_claim_report(s, id, &in, actor_user(req), &f) < 0)
				api_fail(res, &f);
			else
				reply_claim(req, res, s, id, 201);
		}
	}
	json_decref(body);
	cobuild_claim_release(&c);
}

static const struct api_field rating_fields[] = {
	{ "rater", API_STRING, 1, 0, 20 },
	{ "person_id", API_ID, 0, 1, 0 },
	{ "score", API_INT, 1, 0, 0 },
	{ "comment", API_STRING, 0, 1, 500 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_cobuild_claim_rate(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, score;
	struct cobuild_claim c;
	struct cobuild_rating_input in;
	struct fault f = { 0 };
	json_t *body;
	int own;

	if (!load_claim(req, res, s, id, &c))
		return;
	if (!(body = api_body(req, res, rating_fields)))
		goto out;
	memset(&in, 0, sizeof(in));
	in.rater = api_str(body, "rater");
	in.person_id = api_int(body, "person_id", 0);
	score = api_int(body, "score", 0);
	in.score = score < 0 || score > 100 ? 0 : (int)score;
	in.comment = api_str(body, "comment");
	own = c.unit_id && cobuild_user_speaks_for(s, actor_user(req), c.unit_id, &f) > 0;
	if (own) {
		http_reply_error(res, 403, "forbidden", NULL, "a unit does not rate its own claim");
	} else if (in.rater && !strcmp(in.rater, "community") && !can_write(req)) {
		http_reply_error(res, 403, "forbidden", "rater", "the community's rating is given by community staff");
	} else if (cobuild_claim_rate(s, id, &in, actor_user(req), &f) < 0) {
		api_fail(res, &f);
	} else {
		reply_claim(req, res, s, id, 201);
	}
out:
	json_decref(body);
	cobuild_claim_release(&c);
}

/* Agreements (共驻共建协议) and their annual review. */

static json_t *agreement_json(const struct cobuild_agreement *a)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "id", (json_int_t)a->id,
			      "node_id", (json_int_t)a->node_id, "subdistrict_id", (json_int_t)a->subdistrict_id, "unit_id",
			      (json_int_t)a->unit_id, "unit_name", a->unit_name, "title", a->title, "starts_on", a->starts_on,
			      "ends_on", a->ends_on, "signed_on", a->signed_on, "document_ref", json_str_or_null(a->document_ref),
			      "created_at", a->created_at);
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < a->n_commitments; i++) {
		const struct cobuild_commitment *c = &a->commitments[i];
		char amount[32];

		cobuild_amount_format(c->kind, c->per_year, amount);
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)c->id, "kind", c->kind,
						     "description", c->description, "per_year", amount));
	}
	json_object_set_new(o, "commitments", arr);
	return o;
}

static int load_agreement(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			  struct cobuild_agreement *a)
{
	struct fault f = { 0 };

	if (!id)
		return 0;
	if (cobuild_agreement_get(s, id, a, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, a->node_id)) {
		cobuild_agreement_release(a);
		return 0;
	}
	return 1;
}

static void reply_agreement(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			    int status)
{
	struct cobuild_agreement a;

	if (!load_agreement(req, res, s, id, &a))
		return;
	http_reply_json(res, status, agreement_json(&a));
	cobuild_agreement_release(&a);
}

static void api_cobuild_agreement_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct cobuild_agreement_list list;
	struct fault f = { 0 };
	int64_t under, unit;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || list_params(req, res, &under, NULL, &limit, &offset) < 0 ||
	    api_query_int(req, res, "unit_id", 1, INT64_MAX, 0, &unit) < 0)
		return;
	if (cobuild_agreement_list(s, under, unit, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		if (in_page(i, limit, offset))
			json_array_append_new(items, agreement_json(&list.items[i]));
	api_reply_list(res, items, (int64_t)list.n, limit, offset);
	cobuild_agreement_list_release(&list);
}

static const struct api_field agreement_fields[] = {
	{ "unit_id", API_ID, 1, 0, 0 },
	{ "title", API_STRING, 1, 0, 100 },
	{ "starts_on", API_DATE, 1, 0, 0 },
	{ "ends_on", API_DATE, 1, 0, 0 },
	{ "signed_on", API_DATE, 1, 0, 0 },
	{ "document_ref", API_STRING, 0, 1, 100 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_cobuild_agreement_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct cobuild_agreement_input in;
	struct cobuild_unit u;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;
	int inside = 1;

	if (!s || !(body = api_body(req, res, agreement_fields)))
		return;
	memset(&in, 0, sizeof(in));
	in.unit_id = api_int(body, "unit_id", 0);
	in.title = api_str(body, "title");
	in.starts_on = api_str(body, "starts_on");
	in.ends_on = api_str(body, "ends_on");
	in.signed_on = api_str(body, "signed_on");
	in.document_ref = api_str(body, "document_ref");
	/* a unit outside the scope is as if missing (the domain names a missing one) */
	if (cobuild_unit_get(s, in.unit_id, &u, &f) == 0) {
		inside = api_scope_target(req, res, u.node_id, "unit_id");
		cobuild_unit_release(&u);
	}
	if (inside) {
		if (cobuild_agreement_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_agreement(req, res, s, id, 201);
	}
	json_decref(body);
}

static void api_cobuild_agreement_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_agreement(req, res, s, id, 200);
}

static const struct api_field commitment_fields[] = {
	{ "kind", API_STRING, 1, 0, 10 },
	{ "description", API_STRING, 1, 0, 200 },
	{ "per_year", API_STRING, 1, 0, 20 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_cobuild_commitment_add(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, cid;
	struct cobuild_agreement a;
	struct fault f = { 0 };
	json_t *body;

	if (!load_agreement(req, res, s, id, &a))
		return;
	if ((body = api_body(req, res, commitment_fields))) {
		if (cobuild_commitment_add(s, &a, api_str(body, "kind"), api_str(body, "description"), api_str(body, "per_year"),
					   &cid, &f) < 0)
			api_fail(res, &f);
		else
			reply_agreement(req, res, s, id, 201);
	}
	json_decref(body);
	cobuild_agreement_release(&a);
}

static const struct api_field delivery_fields[] = {
	{ "year", API_INT, 1, 0, 0 },
	{ "delivered", API_STRING, 1, 0, 20 },
	{ "note", API_STRING, 0, 1, 500 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_cobuild_delivery_record(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, aid, year;
	struct cobuild_agreement a;
	struct fault f = { 0 };
	json_t *body;

	if (!id)
		return;
	if (cobuild_commitment_agreement(s, id, &aid, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (!load_agreement(req, res, s, aid, &a))
		return;
	if ((body = api_body(req, res, delivery_fields))) {
		year = api_int(body, "year", 0);
		if (cobuild_delivery_record(s, id, year < 0 || year > 9999 ? 0 : (int)year, api_str(body, "delivered"),
					    api_str(body, "note"), actor_user(req), &f) < 0)
			api_fail(res, &f);
		else
			reply_agreement(req, res, s, aid, 201);
	}
	json_decref(body);
	cobuild_agreement_release(&a);
}

static void api_cobuild_agreement_review(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, year;
	struct cobuild_agreement a;
	struct cobuild_review r;
	struct fault f = { 0 };
	char today[11], promised[32], delivered[32];
	json_t *items, *o;
	size_t i;

	if (!load_agreement(req, res, s, id, &a))
		return;
	date_today_local(today);
	if (api_query_int(req, res, "year", 2000, 2100, atoi(today), &year) < 0)
		goto out;
	if (cobuild_agreement_review(s, &a, (int)year, &r, &f) < 0) {
		api_fail(res, &f);
		goto out;
	}
	items = json_array();
	for (i = 0; i < r.n; i++) {
		const struct cobuild_review_line *l = &r.items[i];

		cobuild_amount_format(l->kind, l->promised, promised);
		cobuild_amount_format(l->kind, l->delivered, delivered);
		o = json_pack("{s:I, s:s, s:s, s:o}", "commitment_id", (json_int_t)l->commitment_id, "kind", l->kind,
			      "promised", promised, "delivered", l->recorded ? json_string(delivered) : json_null());
		/* the share delivered in whole percent, rounded half up by integer arithmetic */
		json_object_set_new(o, "percent", l->recorded ? json_integer((l->delivered * 200 + l->promised) / (2 * l->promised))
				    : json_null());
		json_array_append_new(items, o);
	}
	http_reply_json(res, 200, json_pack("{s:I, s:I, s:s, s:i, s:o}", "agreement_id", (json_int_t)a.id, "unit_id",
					    (json_int_t)a.unit_id, "unit_name", a.unit_name, "year", r.year, "items", items));
	cobuild_review_release(&r);
out:
	cobuild_agreement_release(&a);
}

/* Party members' service (part 4): the roll, status and transfers with history, service records, points. */

static int this_year(void)
{
	char today[11];

	date_today_local(today);
	return atoi(today);
}

static json_t *member_json(const struct party_member *m)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)m->id, "person_id",
			      (json_int_t)m->person_id, "org_id", (json_int_t)m->org_id, "node_id", (json_int_t)m->node_id,
			      "subdistrict_id", (json_int_t)m->subdistrict_id, "name", m->name, "org_name", m->org_name, "status",
			      m->status, "status_since", m->status_since, "pledge", json_str_or_null(m->pledge));

	json_object_set_new(o, "hours_this_year", hours_json(m->hours_year));
	json_object_set_new(o, "records_this_year", json_integer(m->records_year));
	json_object_set_new(o, "points_this_year", json_integer(m->points_year));
	json_object_set_new(o, "reported", json_boolean(m->reported));
	return o;
}

static int load_member(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
		       struct party_member *m)
{
	struct fault f = { 0 };

	if (!id)
		return 0;
	if (party_member_get(s, id, this_year(), m, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, m->node_id)) {
		party_member_release(m);
		return 0;
	}
	return 1;
}

static void reply_member(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct party_member m;
	struct party_event_list ev;
	struct party_service_list sv;
	struct fault f = { 0 };
	json_t *o, *a;
	size_t i;

	if (!load_member(req, res, s, id, &m))
		return;
	o = member_json(&m);
	party_member_release(&m);
	if (party_member_events(s, id, &ev, &f) < 0 || party_services(s, id, &sv, &f) < 0) {
		json_decref(o);
		api_fail(res, &f);
		return;
	}
	a = json_array();
	for (i = 0; i < ev.n; i++) {
		const struct party_event *e = &ev.items[i];

		json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o, s:s, s:o}", "action", e->action, "status",
						   json_str_or_null(e->status[0] ? e->status : NULL), "from_org_id",
						   json_id_or_null(e->from_org_id), "to_org_id", json_id_or_null(e->to_org_id),
						   "on", e->on_date, "reason", json_str_or_null(e->reason)));
	}
	json_object_set_new(o, "history", a);
	a = json_array();
	for (i = 0; i < sv.n; i++) {
		const struct party_service *r = &sv.items[i];

		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:s, s:o}", "id", (json_int_t)r->id, "served_on",
						   r->served_on, "hours", hours_json(r->hours_tenths), "what", r->what,
						   "for_whom", json_str_or_null(r->for_whom)));
	}
	json_object_set_new(o, "service", a);
	party_event_list_release(&ev);
	party_service_list_release(&sv);
	http_reply_json(res, status, o);
}

static void api_party_member_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct party_member_list list;
	struct fault f = { 0 };
	const char *status = NULL;
	int64_t under;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || list_params(req, res, &under, &status, &limit, &offset) < 0)
		return;
	if (party_member_list(s, under, status, this_year(), &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		if (in_page(i, limit, offset))
			json_array_append_new(items, member_json(&list.items[i]));
	api_reply_list(res, items, (int64_t)list.n, limit, offset);
	party_member_list_release(&list);
}

static const struct api_field party_member_fields[] = {
	{ "person_id", API_ID, 1, 0, 0 },
	{ "org_id", API_ID, 1, 0, 0 },
	{ "status", API_STRING, 1, 0, 20 },
	{ "since", API_DATE, 1, 0, 0 },
	{ "pledge", API_STRING, 0, 1, 200 },
	{ NULL, 0, 0, 0, 0 },
};

/* A party organisation named in a body must lie in the scope (as if missing otherwise): 1, or 0 after answering. */
static int org_in_scope(struct http_request *req, struct http_response *res, struct store *s, int64_t org_id,
			const char *field)
{
	struct fault f = { 0 };
	int64_t node;

	if (party_org_node(s, org_id, &node, &f) < 0)
		return f.kind == FAULT_NOT_FOUND ? 1 : (api_fail(res, &f), 0);	/* the domain names a missing one */
	return api_scope_target(req, res, node, field);
}

static void api_party_member_enrol(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct party_member_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, party_member_fields)))
		return;
	memset(&in, 0, sizeof(in));
	in.person_id = api_int(body, "person_id", 0);
	in.org_id = api_int(body, "org_id", 0);
	in.status = api_str(body, "status");
	in.since = api_str(body, "since");
	in.pledge = api_str(body, "pledge");
	if (org_in_scope(req, res, s, in.org_id, "org_id")) {
		if (party_member_enrol(s, &in, actor_user(req), &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_member(req, res, s, id, 201);
	}
	json_decref(body);
}

static void api_party_member_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_member(req, res, s, id, 200);
}

static const struct api_field party_status_fields[] = {
	{ "status", API_STRING, 1, 0, 20 },
	{ "since", API_DATE, 1, 0, 0 },
	{ "reason", API_STRING, 0, 1, 500 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_party_member_status(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct party_member m;
	struct fault f = { 0 };
	json_t *body;

	if (!load_member(req, res, s, id, &m))
		return;
	party_member_release(&m);
	if ((body = api_body(req, res, party_status_fields))) {
		if (party_member_status(s, id, api_str(body, "status"), api_str(body, "since"), api_str(body, "reason"),
					actor_user(req), &f) < 0)
			api_fail(res, &f);
		else
			reply_member(req, res, s, id, 201);
	}
	json_decref(body);
}

static const struct api_field party_transfer_fields[] = {
	{ "to_org_id", API_ID, 1, 0, 0 },
	{ "on", API_DATE, 1, 0, 0 },
	{ "reason", API_STRING, 1, 0, 500 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_party_member_transfer(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct party_member m;
	struct fault f = { 0 };
	json_t *body;

	if (!load_member(req, res, s, id, &m))
		return;
	party_member_release(&m);
	if ((body = api_body(req, res, party_transfer_fields))) {
		/* the relationship may leave for any branch: the one it goes to is not the scope's to hide */
		if (party_member_transfer(s, id, api_int(body, "to_org_id", 0), api_str(body, "on"), api_str(body, "reason"),
					  actor_user(req), &f) < 0)
			api_fail(res, &f);
		else
			http_reply_json(res, 201, json_pack("{s:I, s:I}", "id", (json_int_t)id, "to_org_id",
							    (json_int_t)api_int(body, "to_org_id", 0)));
	}
	json_decref(body);
}

static const struct api_field party_service_fields[] = {
	{ "served_on", API_DATE, 1, 0, 0 },
	{ "hours", API_STRING, 1, 0, 12 },
	{ "what", API_STRING, 1, 0, 200 },
	{ "for_whom", API_STRING, 0, 1, 200 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_party_service_record(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, rid;
	struct party_member m;
	struct fault f = { 0 };
	json_t *body;

	if (!load_member(req, res, s, id, &m))
		return;
	party_member_release(&m);
	if ((body = api_body(req, res, party_service_fields))) {
		if (party_service_record(s, id, api_str(body, "served_on"), api_str(body, "hours"), api_str(body, "what"),
					 api_str(body, "for_whom"), actor_user(req), &rid, &f) < 0)
			api_fail(res, &f);
		else
			reply_member(req, res, s, id, 201);
	}
	json_decref(body);
}

/* The branch's view of a quarter: its members, who reported, hours served, who served nobody. */
static void api_party_branch_view(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct party_member_list list;
	struct fault f = { 0 };
	char today[32], from[32], to[32];
	const char *q = NULL;
	int64_t under, tenths, total = 0, idle = 0, reported = 0;
	int year, quarter;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_query_text(req, res, "quarter", 7, &q) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	date_today_local(today);
	year = atoi(today);
	quarter = (atoi(today + 5) - 1) / 3 + 1;
	if (q && (sscanf(q, "%4d-Q%1d", &year, &quarter) != 2 || strlen(q) != 7 || year < 2000 || year > 2100 ||
		  quarter < 1 || quarter > 4)) {
		http_reply_error(res, 400, "invalid", "quarter", "quarter is YYYY-Qn (2026-Q4)");
		return;
	}
	snprintf(from, sizeof(from), "%04d-%02d-01", year, (quarter - 1) * 3 + 1);
	/* day 31 closes every month in a comparison of dates as text */
	snprintf(to, sizeof(to), "%04d-%02d-31", year, quarter * 3);
	if (party_member_list(s, under, NULL, year, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++) {
		const struct party_member *m = &list.items[i];
		json_t *o;

		if (party_quarter_hours(s, m->id, from, to, &tenths, &f) < 0) {
			json_decref(items);
			party_member_list_release(&list);
			api_fail(res, &f);
			return;
		}
		o = member_json(m);
		json_object_set_new(o, "hours_this_quarter", hours_json(tenths));
		json_object_set_new(o, "served_nobody", json_boolean(!tenths));
		json_array_append_new(items, o);
		total += tenths;
		idle += !tenths;
		reported += m->reported;
	}
	snprintf(today, sizeof(today), "%04d-Q%d", year, quarter);
	http_reply_json(res, 200, json_pack("{s:s, s:I, s:I, s:o, s:I, s:o}", "quarter", today, "members", (json_int_t)list.n,
					    "reported", (json_int_t)reported, "hours", hours_json(total), "served_nobody",
					    (json_int_t)idle, "items", items));
	party_member_list_release(&list);
}

/* Figures (part 5). */

static void api_cobuild_figures(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct cobuild_figures fg;
	struct fault f = { 0 };
	int64_t under, year;
	json_t *communities, *units, *o;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_query_int(req, res, "year", 2000, 2100, this_year(), &year) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	if (cobuild_figures(s, under, (int)year, &fg, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	communities = json_array();
	for (i = 0; i < fg.n_communities; i++)
		json_array_append_new(communities, json_pack("{s:I, s:s, s:I}", "node_id", (json_int_t)fg.communities[i].node_id,
							     "name", fg.communities[i].name, "units", (json_int_t)fg.communities[i].units));
	units = json_array();
	for (i = 0; i < fg.n_units; i++) {
		const struct cobuild_unit_figure *u = &fg.units[i];

		o = json_pack("{s:i, s:I, s:s, s:I, s:I, s:I, s:o}", "rank", (int)i + 1, "unit_id", (json_int_t)u->unit_id, "name",
			      u->name, "claims", (json_int_t)u->claims, "reported", (json_int_t)u->reported, "on_time",
			      (json_int_t)u->on_time, "hours", hours_json(u->hours_tenths));
		/* the community's average rating in tenths, rounded half up by integer arithmetic */
		json_object_set_new(o, "community_rating", u->ratings
				    ? json_real((double)((u->rating_sum * 20 + u->ratings) / (2 * u->ratings)) / 10) : json_null());
		json_array_append_new(units, o);
	}
	o = json_pack("{s:i, s:o, s:o}", "year", fg.year, "units_per_community", communities, "ranking", units);
	json_object_set_new(o, "needs", json_pack("{s:I, s:I, s:o}", "raised", (json_int_t)fg.needs_raised, "met",
						  (json_int_t)fg.needs_met, "average_days_to_meet", fg.needs_met
						  ? json_real((double)((fg.days_to_meet_sum * 20 + fg.needs_met) / (2 * fg.needs_met)) / 10)
						  : json_null()));
	json_object_set_new(o, "hours", json_pack("{s:o, s:o}", "units", hours_json(fg.unit_hours_tenths), "party_members",
						  hours_json(fg.member_hours_tenths)));
	cobuild_figures_release(&fg);
	http_reply_json(res, 200, o);
}

const struct http_route api_cobuild_routes[] = {
	{ "GET", "/api/v1/cobuild-units", api_cobuild_unit_list, "cobuild.read",
	  "co-building units (双报到) that reported to the communities of one's scope (?under); contacts' phones masked" },
	{ "POST", "/api/v1/cobuild-units", api_cobuild_unit_create, "cobuild.write",
	  "a unit reports: name, kind, unified social credit code (GB 32100), community (node_id), party organisation,"
	  " contact, day reported" },
	{ "GET", "/api/v1/cobuild-units/{id}", api_cobuild_unit_get, "cobuild.read",
	  "one unit with its in-service party members who reported" },
	{ "PATCH", "/api/v1/cobuild-units/{id}", api_cobuild_unit_update, "cobuild.write",
	  "change a unit's name, kind, credit code, party organisation or contact" },
	{ "POST", "/api/v1/cobuild-units/{id}/members", api_cobuild_member_add, "cobuild.write",
	  "an in-service party member (a person who is a party member) reports through the unit" },
	{ "POST", "/api/v1/cobuild-units/{id}/accounts", api_cobuild_unit_account, "cobuild.write",
	  "a user speaks for the unit (role unit_contact): claims and reports for it, sees only its claims" },
	{ "POST", "/api/v1/cobuild-units/{id}/reveal", api_cobuild_unit_reveal, "people.reveal",
	  "the contact's phone in clear ({fields: [contact_phone]}), audited", ROUTE_AUDIT },
	{ "GET", "/api/v1/cobuild-needs", api_cobuild_need_list, "cobuild.read",
	  "residents' needs (需求清单) under ?under, of ?status (open, planned, met), newest first" },
	{ "POST", "/api/v1/cobuild-needs", api_cobuild_need_create, "cobuild.act",
	  "raise a need: place, title, kind, urgency, source (resident, grid member, council, work order) and who raised it" },
	{ "GET", "/api/v1/cobuild-needs/{id}", api_cobuild_need_get, "cobuild.read", "one need" },
	{ "GET", "/api/v1/cobuild-resources", api_cobuild_resource_list, "cobuild.read",
	  "what units and persons offer (资源清单) under ?under" },
	{ "POST", "/api/v1/cobuild-resources", api_cobuild_resource_create, "cobuild.write",
	  "a resource offered by a unit or a person: a hall, a doctor's hours, legal advice, funding" },
	{ "GET", "/api/v1/cobuild-resources/{id}", api_cobuild_resource_get, "cobuild.read", "one resource" },
	{ "GET", "/api/v1/cobuild-projects", api_cobuild_project_list, "cobuild.read",
	  "projects (项目清单) under ?under, of ?status (open, claimed, reported, rated), with the unclaimed card" },
	{ "POST", "/api/v1/cobuild-projects", api_cobuild_project_create, "cobuild.write",
	  "a project built from one or more open needs (need_ids), with resources matched and a day to be claimed by" },
	{ "GET", "/api/v1/cobuild-projects/{id}", api_cobuild_project_get, "cobuild.read",
	  "one project with its needs, resources and (when one may see it) its claim" },
	{ "POST", "/api/v1/cobuild-projects/{id}/claim", api_cobuild_project_claim, "cobuild.act",
	  "claim (认领) an open project for a unit of its subdistrict or a party member, with the day it is due" },
	{ "GET", "/api/v1/cobuild-claims", api_cobuild_claim_list, "cobuild.read",
	  "claims under ?under with their card; a unit's contact sees only their unit's" },
	{ "GET", "/api/v1/cobuild-claims/{id}", api_cobuild_claim_get, "cobuild.read",
	  "one claim with its report and ratings" },
	{ "POST", "/api/v1/cobuild-claims/{id}/report", api_cobuild_claim_report, "cobuild.act",
	  "report a claim done: evidence, the day served (not in the future) and the hours" },
	{ "POST", "/api/v1/cobuild-claims/{id}/ratings", api_cobuild_claim_rate, "cobuild.act",
	  "rate a reported claim 1-5: the community (staff), or a resident who raised one of its needs" },
	{ "GET", "/api/v1/cobuild-agreements", api_cobuild_agreement_list, "cobuild.read",
	  "co-building agreements (共驻共建协议) under ?under, of ?unit_id, with their commitments per year" },
	{ "POST", "/api/v1/cobuild-agreements", api_cobuild_agreement_create, "cobuild.write",
	  "a unit's agreement with its community: title, term (starts_on, ends_on), the day signed, where the document is kept" },
	{ "GET", "/api/v1/cobuild-agreements/{id}", api_cobuild_agreement_get, "cobuild.read",
	  "one agreement with its commitments" },
	{ "POST", "/api/v1/cobuild-agreements/{id}/commitments", api_cobuild_commitment_add, "cobuild.write",
	  "a commitment per year: hours of service, money (yuan) or a number of services" },
	{ "GET", "/api/v1/cobuild-agreements/{id}/review", api_cobuild_agreement_review, "cobuild.read",
	  "the annual review of ?year: per commitment, promised and delivered (hours from the unit's reported claims)" },
	{ "POST", "/api/v1/cobuild-commitments/{id}/deliveries", api_cobuild_delivery_record, "cobuild.write",
	  "what a money or service commitment delivered in a year of the agreement (once per year)" },
	{ "GET", "/api/v1/party-members", api_party_member_list, "party.read",
	  "party members on the roll under ?under, of ?status, with this year's hours and points (党员积分)" },
	{ "POST", "/api/v1/party-members", api_party_member_enrol, "party.write",
	  "put a person on the roll: branch (org_id), status (formal, probationary, candidate, activist) since a day, pledge" },
	{ "GET", "/api/v1/party-members/{id}", api_party_member_get, "party.read",
	  "one member: status, branch, pledge (亮身份), history of status changes and transfers, service records, points" },
	{ "POST", "/api/v1/party-members/{id}/status", api_party_member_status, "party.write",
	  "a change of status since a day (not in the future, not before the last change)" },
	{ "POST", "/api/v1/party-members/{id}/transfers", api_party_member_transfer, "party.write",
	  "transfer the relationship to another branch on a day, with the reason" },
	{ "POST", "/api/v1/party-members/{id}/service", api_party_service_record, "party.write",
	  "a service record: the day served (not in the future), hours, what and for whom" },
	{ "GET", "/api/v1/party-branch-view", api_party_branch_view, "party.read",
	  "a branch's ?quarter (YYYY-Qn) under ?under: members, who reported (双报到), hours served, who served nobody" },
	{ "GET", "/api/v1/cobuild-figures", api_cobuild_figures, "cobuild.read",
	  "the year's figures under ?under (?year): units reported per community, claims per unit and on time, the units'"
	  " ranking, needs raised and met with the days to meet, hours served by units and by party members" },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
