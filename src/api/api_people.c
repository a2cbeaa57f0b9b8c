/*
 * api_people.c - /api/v1/persons, roles, role-sets, assignments, care-links and coverage.
 *
 * JSON field names are the struct field names of people.h.  The rules live in
 * the domain (src/people/); this file checks JSON types, turns bodies and query
 * strings into inputs and faults into errors.
 */
#include "api/api.h"
#include "api/api_auth.h"
#include "api/api_routes.h"
#include "auth/pii.h"
#include "org/org.h"
#include "people/people.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/*
 * Scope (api_scope): an actor sees the subtree of one node.  A person belongs
 * where they live, an assignment where it is held, a care link where the
 * household is.  Objects outside the scope answer 404; a node named in a body
 * outside it answers 400 on that field, as if it did not exist.  The role
 * dictionary and role sets are the deployment's, not a node's.
 */

/* Persons. */

/*
 * DOMAIN.md, personal data: phone and ID number are masked in every response;
 * the sensitive fields are not shown at all, only whether any is recorded.
 * POST .../reveal shows them in full to those allowed, and is audited.
 */
static json_t *person_json(struct store *s, const struct person *p)
{
	json_t *tags = json_array(), *o;
	char *masked = pii_mask_phone(p->phone), *masked_id = pii_mask_id(p->id_number);
	size_t i;

	for (i = 0; i < p->ntags; i++)
		json_array_append_new(tags, json_string(p->tags[i]));
	o = json_pack("{s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:s, s:s}", "id",
		      (json_int_t)p->id, "subdistrict_id", json_id_or_null(p->subdistrict_id), "name", p->name,
		      "phone", json_str_or_null(masked), "gender", json_str_or_null(p->gender), "birth_year",
		      json_id_or_null(p->birth_year), "home_node_id", json_id_or_null(p->home_node_id), "tags", tags,
		      "party_member", p->party_member, "member_org_id", json_id_or_null(p->member_org_id),
		      "member_org_name", json_str_or_null(p->member_org_name), "living_org_id",
		      json_id_or_null(p->living_org_id), "registered_on", json_str_or_null(p->registered_on),
		      "created_at", p->created_at, "updated_at", p->updated_at);
	json_object_set_new(o, "id_number", json_str_or_null(masked_id));
	if (p->home_node_id) {
		char *path = org_node_path(s, p->home_node_id);

		json_object_set_new(o, "home_path", json_str_or_null(path));
		free(path);
	} else {
		json_object_set_new(o, "home_path", json_null());
	}
	json_object_set_new(o, "has_sensitive",
			    json_boolean(p->health || p->disability || p->low_income || p->key_person));
	free(masked);
	free(masked_id);
	return o;
}

static const struct api_field person_fields[] = {
	{ "name", API_STRING, 0, 0, 50 },
	{ "phone", API_STRING, 0, 1, 30 },
	{ "gender", API_STRING, 0, 1, 10 },
	{ "birth_year", API_INT, 0, 1, 0 },
	{ "home_node_id", API_ID, 0, 1, 0 },
	/* Elements up to 200 characters here: the domain names the 20-character rule. */
	{ "tags", API_STRING_ARRAY, 0, 1, 200 },
	{ "party_member", API_BOOL, 0, 0, 0 },
	{ "member_org_id", API_ID, 0, 1, 0 },
	{ "member_org_name", API_STRING, 0, 1, 100 },
	{ "living_org_id", API_ID, 0, 1, 0 },
	{ "registered_on", API_DATE, 0, 1, 0 },
	{ "id_number", API_STRING, 0, 1, 18 },
	{ "health", API_STRING, 0, 1, 200 },
	{ "disability", API_STRING, 0, 1, 200 },
	{ "low_income", API_BOOL, 0, 0, 0 },
	{ "key_person", API_BOOL, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

/* Fills in from a validated body; returns the tag array to free after the call. */
static const char **person_input_from(json_t *body, struct person_input *in)
{
	json_t *tags = json_object_get(body, "tags"), *e;
	const char **arr = NULL;
	size_t i;

	memset(in, 0, sizeof(*in));
	in->name = api_str(body, "name");
	in->phone = api_str(body, "phone");
	in->set_phone = api_has(body, "phone");
	in->gender = api_str(body, "gender");
	in->set_gender = api_has(body, "gender");
	if (api_has(body, "birth_year")) {
		int64_t y = api_int(body, "birth_year", 0);

		in->set_birth_year = 1;
		/* In the struct 0 means unknown; in JSON unknown is null, so a 0 sent is out of range. */
		in->birth_year = api_is_null(body, "birth_year") ? 0 : (y <= 0 || y > INT_MAX) ? -1 : (int)y;
	}
	in->home_node_id = api_int(body, "home_node_id", 0);
	in->set_home = api_has(body, "home_node_id");
	if (tags) {
		in->set_tags = 1;
		in->ntags = json_array_size(tags);
		arr = xcalloc(in->ntags ? in->ntags : 1, sizeof(*arr));
		json_array_foreach(tags, i, e)
			arr[i] = json_string_value(e);
		in->tags = arr;
	}
	in->set_party_member = api_has(body, "party_member");
	in->party_member = json_is_true(json_object_get(body, "party_member"));
	in->member_org_id = api_int(body, "member_org_id", 0);
	in->set_member_org = api_has(body, "member_org_id");
	in->member_org_name = api_str(body, "member_org_name");
	in->set_member_org_name = api_has(body, "member_org_name");
	in->id_number = api_str(body, "id_number");
	in->set_id_number = api_has(body, "id_number");
	in->health = api_str(body, "health");
	in->set_health = api_has(body, "health");
	in->disability = api_str(body, "disability");
	in->set_disability = api_has(body, "disability");
	in->set_low_income = api_has(body, "low_income");
	in->low_income = json_is_true(json_object_get(body, "low_income"));
	in->set_key_person = api_has(body, "key_person");
	in->key_person = json_is_true(json_object_get(body, "key_person"));
	in->living_org_id = api_int(body, "living_org_id", 0);
	in->set_living_org = api_has(body, "living_org_id");
	in->registered_on = api_str(body, "registered_on");
	in->set_registered_on = api_has(body, "registered_on");
	return arr;
}

/* 1 when the person exists and is in the actor's scope; otherwise answers and returns 0. */
static int person_visible(struct http_request *req, struct store *s, struct http_response *res, int64_t id)
{
	struct fault f = { 0 };
	struct person p;
	int ok;

	if (!api_scope(req))
		return 1;
	if (people_person_get(s, id, &p, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	ok = api_scope_allows(req, res, p.home_node_id);
	person_release(&p);
	return ok;
}

static void reply_person(struct http_request *req, struct store *s, struct http_response *res, int64_t id,
			 int status)
{
	struct fault f = { 0 };
	struct person p;

	if (people_person_get(s, id, &p, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (api_scope_allows(req, res, p.home_node_id))
		http_reply_json(res, status, person_json(s, &p));
	person_release(&p);
}

static void api_person_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct person_input in;
	struct fault f = { 0 };
	const char **tags;
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, person_fields)))
		return;
	tags = person_input_from(body, &in);
	if (api_scope(req) && !in.home_node_id)
		http_reply_error(res, 400, "invalid", "home_node_id", "home_node_id is required inside your scope");
	else if (api_scope_target(req, res, in.home_node_id, "home_node_id")) {
		if (people_person_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_person(req, s, res, id, 201);
	}
	free(tags);
	json_decref(body);
}

static void api_person_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_person(req, s, res, id, 200);
}

static const struct api_field reveal_fields[] = {
	{ "fields", API_STRING_ARRAY, 1, 0, 20 },
	{ NULL, 0, 0, 0, 0 },
};

/*
 * Personal data in full: {"fields":["phone","id_number","sensitive"]}.  A POST
 * so that the guard checks the CSRF token and audits it; the audit row names the
 * fields shown (api_audit_note).
 */
static void api_person_reveal(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct fault f = { 0 };
	struct buf shown = BUF_INIT;
	json_t *body, *e, *o;
	struct person p;
	size_t i;

	if (!id || !(body = api_body(req, res, reveal_fields)))
		return;
	if (json_array_size(json_object_get(body, "fields")) == 0) {
		http_reply_error(res, 400, "invalid", "fields", "name the fields to reveal: phone, id_number, sensitive");
		json_decref(body);
		return;
	}
	json_array_foreach(json_object_get(body, "fields"), i, e) {
		const char *v = json_string_value(e);

		if (strcmp(v, "phone") && strcmp(v, "id_number") && strcmp(v, "sensitive")) {
			http_reply_error(res, 400, "invalid", "fields", "'%s' cannot be revealed: phone, id_number or sensitive", v);
			json_decref(body);
			return;
		}
	}
	if (people_person_get(s, id, &p, &f) < 0) {
		api_fail(res, &f);
		json_decref(body);
		return;
	}
	if (!api_scope_allows(req, res, p.home_node_id)) {
		person_release(&p);
		json_decref(body);
		return;
	}
	o = json_pack("{s:I}", "id", (json_int_t)p.id);
	json_array_foreach(json_object_get(body, "fields"), i, e) {
		const char *v = json_string_value(e);

		if (!strcmp(v, "phone"))
			json_object_set_new(o, "phone", json_str_or_null(p.phone));
		else if (!strcmp(v, "id_number"))
			json_object_set_new(o, "id_number", json_str_or_null(p.id_number));
		else
			json_object_set_new(o, "sensitive",
					    json_pack("{s:o, s:o, s:b, s:b}", "health", json_str_or_null(p.health),
						      "disability", json_str_or_null(p.disability), "low_income",
						      p.low_income, "key_person", p.key_person));
		buf_addf(&shown, "%s%s", shown.len ? "," : "revealed ", v);
	}
	api_audit_note(req, shown.data);
	buf_release(&shown);
	person_release(&p);
	json_decref(body);
	http_reply_json(res, 200, o);
}

static void api_person_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct person_input in;
	struct fault f = { 0 };
	const char **tags;
	json_t *body;

	if (!id || !person_visible(req, s, res, id) || !(body = api_body(req, res, person_fields)))
		return;
	tags = person_input_from(body, &in);
	if (api_scope(req) && in.set_home && !in.home_node_id)
		http_reply_error(res, 400, "invalid", "home_node_id", "home_node_id is required inside your scope");
	else if (api_scope_target(req, res, in.home_node_id, "home_node_id")) {
		if (people_person_update(s, id, &in, &f) < 0)
			api_fail(res, &f);
		else
			reply_person(req, s, res, id, 200);
	}
	free(tags);
	json_decref(body);
}

/* A text query parameter: NULL when absent; -1 after answering 400 when not text. */
static int query_text(struct http_request *req, struct http_response *res, const char *name, const char **out)
{
	const char *v = http_query(req, name);

	*out = NULL;
	if (!v)
		return 0;
	if (!*v || !utf8_valid_text(v, strlen(v)) || utf8_length(v) > 100) {
		http_reply_error(res, 400, "invalid", name, "%s must be text of 1 to 100 characters", name);
		return -1;
	}
	*out = v;
	return 0;
}

static int query_date(struct http_request *req, struct http_response *res, const char *name, const char **out)
{
	const char *v = http_query(req, name);

	*out = v;
	if (v && date_valid(v) < 0) {
		http_reply_error(res, 400, "invalid", name, "%s must be a date as YYYY-MM-DD", name);
		return -1;
	}
	return 0;
}

static void api_person_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct person_filter flt;
	struct person_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;
	int pm;

	memset(&flt, 0, sizeof(flt));
	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &flt.under_id) < 0 ||
	    api_query_int(req, res, "living_org_id", 1, INT64_MAX, 0, &flt.living_org_id) < 0 ||
	    query_text(req, res, "q", &flt.q) < 0 || query_text(req, res, "tag", &flt.tag) < 0 ||
	    query_text(req, res, "role", &flt.role_code) < 0 || query_text(req, res, "phone", &flt.phone) < 0 ||
	    query_text(req, res, "id_number", &flt.id_number) < 0 ||
	    (pm = api_query_bool(req, res, "party_member", 2)) < 0 ||
	    api_paging(req, res, &flt.limit, &flt.offset) < 0 || api_scope_under(req, res, &flt.under_id) < 0)
		return;
	flt.party_member = pm == 2 ? -1 : pm;
	if (people_person_list(s, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, person_json(s, &list.items[i]));
	api_reply_list(res, items, list.total, flt.limit, flt.offset);
	person_list_release(&list);
}

/* Roles. */

static json_t *role_json(const struct role *r)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:b, s:b, s:s, s:s}", "id", (json_int_t)r->id, "code", r->code,
			 "name", r->name, "name_en", json_str_or_null(r->name_en), "levels", r->levels, "needs_platform",
			 r->needs_platform, "active", r->active, "created_at", r->created_at, "updated_at",
			 r->updated_at);
}

static const struct api_field role_fields[] = {
	{ "code", API_STRING, 0, 0, 40 },
	{ "name", API_STRING, 0, 0, 50 },
	{ "name_en", API_STRING, 0, 0, 100 },
	{ "levels", API_STRING, 0, 0, 100 },
	{ "needs_platform", API_BOOL, 0, 0, 0 },
	{ "active", API_BOOL, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void role_input_from(json_t *body, struct role_input *in)
{
	memset(in, 0, sizeof(*in));
	in->code = api_str(body, "code");
	in->name = api_str(body, "name");
	in->name_en = api_str(body, "name_en");
	in->levels = api_str(body, "levels");
	in->set_needs_platform = api_has(body, "needs_platform");
	in->needs_platform = json_is_true(json_object_get(body, "needs_platform"));
	in->set_active = api_has(body, "active");
	in->active = json_is_true(json_object_get(body, "active"));
}

static void reply_role(struct store *s, struct http_response *res, int64_t id, int status)
{
	struct fault f = { 0 };
	struct role r;

	if (people_role_get(s, id, &r, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, status, role_json(&r));
	role_release(&r);
}

static void api_role_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct role_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, role_fields)))
		return;
	role_input_from(body, &in);
	if (people_role_create(s, &in, &id, &f) < 0)
		api_fail(res, &f);
	else
		reply_role(s, res, id, 201);
	json_decref(body);
}

static void api_role_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_role(s, res, id, 200);
}

static void api_role_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct role_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!id || !(body = api_body(req, res, role_fields)))
		return;
	role_input_from(body, &in);
	if (people_role_update(s, id, &in, &f) < 0)
		api_fail(res, &f);
	else
		reply_role(s, res, id, 200);
	json_decref(body);
}

/* The dictionary is small and read whole; paging slices it. */
static void api_role_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct role_list list;
	struct fault f = { 0 };
	int inactive, limit, offset;
	json_t *items;
	size_t i;

	if (!s || (inactive = api_query_bool(req, res, "include_inactive", 0)) < 0 ||
	    api_paging(req, res, &limit, &offset) < 0)
		return;
	if (people_role_page(s, inactive, limit, offset, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, role_json(&list.items[i]));
	api_reply_list(res, items, list.total, limit, offset);
	role_list_release(&list);
}

/* Role sets. */

static json_t *role_set_json(const struct role_set *rs)
{
	json_t *ids = json_array();
	size_t i;

	for (i = 0; i < rs->nroles; i++)
		json_array_append_new(ids, json_integer((json_int_t)rs->role_ids[i]));
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)rs->id, "code", rs->code, "name",
			 rs->name, "role_ids", ids, "created_at", rs->created_at, "updated_at", rs->updated_at);
}

static const struct api_field role_set_fields[] = {
	{ "code", API_STRING, 0, 0, 40 },
	{ "name", API_STRING, 0, 0, 50 },
	{ "role_ids", API_ID_ARRAY, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static int64_t *role_set_input_from(json_t *body, struct role_set_input *in)
{
	json_t *arr = json_object_get(body, "role_ids"), *e;
	int64_t *ids = NULL;
	size_t i;

	memset(in, 0, sizeof(*in));
	in->code = api_str(body, "code");
	in->name = api_str(body, "name");
	if (arr) {
		in->set_roles = 1;
		in->nroles = json_array_size(arr);
		ids = xcalloc(in->nroles ? in->nroles : 1, sizeof(*ids));
		json_array_foreach(arr, i, e)
			ids[i] = (int64_t)json_integer_value(e);
		in->role_ids = ids;
	}
	return ids;
}

static void reply_role_set(struct store *s, struct http_response *res, int64_t id, int status)
{
	struct fault f = { 0 };
	struct role_set rs;

	if (people_role_set_get(s, id, &rs, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, status, role_set_json(&rs));
	role_set_release(&rs);
}

static void api_role_set_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct role_set_input in;
	struct fault f = { 0 };
	int64_t *ids, id;
	json_t *body;

	if (!s || !(body = api_body(req, res, role_set_fields)))
		return;
	ids = role_set_input_from(body, &in);
	if (people_role_set_create(s, &in, &id, &f) < 0)
		api_fail(res, &f);
	else
		reply_role_set(s, res, id, 201);
	free(ids);
	json_decref(body);
}

static void api_role_set_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_role_set(s, res, id, 200);
}

static void api_role_set_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, *ids;
	struct role_set_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!id || !(body = api_body(req, res, role_set_fields)))
		return;
	ids = role_set_input_from(body, &in);
	if (people_role_set_update(s, id, &in, &f) < 0)
		api_fail(res, &f);
	else
		reply_role_set(s, res, id, 200);
	free(ids);
	json_decref(body);
}

static void api_role_set_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct role_set_list list;
	struct fault f = { 0 };
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_paging(req, res, &limit, &offset) < 0)
		return;
	if (people_role_set_page(s, limit, offset, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, role_set_json(&list.items[i]));
	api_reply_list(res, items, list.total, limit, offset);
	role_set_list_release(&list);
}

/* Assignments. */

static json_t *assignment_json(const struct assignment *a)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s}", "id",
			 (json_int_t)a->id, "subdistrict_id", (json_int_t)a->subdistrict_id, "person_id",
			 (json_int_t)a->person_id, "person_name", a->person_name, "role_id", (json_int_t)a->role_id,
			 "role_code", a->role_code, "node_id", (json_int_t)a->node_id, "node_name", a->node_name,
			 "starts_on", a->starts_on, "ends_on", json_str_or_null(a->ends_on), "worker_type",
			 json_str_or_null(a->worker_type), "platform", json_str_or_null(a->platform), "note",
			 json_str_or_null(a->note), "created_at", a->created_at, "updated_at", a->updated_at);
}

static const struct api_field assignment_fields[] = {
	{ "person_id", API_ID, 0, 0, 0 },
	{ "role_id", API_ID, 0, 0, 0 },
	{ "role_code", API_STRING, 0, 0, 40 },
	{ "node_id", API_ID, 0, 0, 0 },
	{ "starts_on", API_DATE, 0, 0, 0 },
	{ "ends_on", API_DATE, 0, 1, 0 },
	{ "worker_type", API_STRING, 0, 0, 20 },
	{ "platform", API_STRING, 0, 0, 50 },
	{ "note", API_STRING, 0, 1, 200 },
	{ NULL, 0, 0, 0, 0 },
};

static void assignment_input_from(json_t *body, struct assignment_input *in)
{
	memset(in, 0, sizeof(*in));
	in->person_id = api_int(body, "person_id", 0);
	in->role_id = api_int(body, "role_id", 0);
	in->role_code = api_str(body, "role_code");
	in->node_id = api_int(body, "node_id", 0);
	in->starts_on = api_str(body, "starts_on");
	in->ends_on = api_str(body, "ends_on");
	in->set_ends_on = api_has(body, "ends_on");
	in->worker_type = api_str(body, "worker_type");
	in->platform = api_str(body, "platform");
	in->note = api_str(body, "note");
	in->set_note = api_has(body, "note");
}

static void reply_assignment(struct http_request *req, struct store *s, struct http_response *res, int64_t id,
			     int status)
{
	struct fault f = { 0 };
	struct assignment a;

	if (people_assignment_get(s, id, &a, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (api_scope_allows(req, res, a.node_id))
		http_reply_json(res, status, assignment_json(&a));
	assignment_release(&a);
}

static int assignment_visible(struct http_request *req, struct store *s, struct http_response *res, int64_t id)
{
	struct fault f = { 0 };
	struct assignment a;
	int ok;

	if (!api_scope(req))
		return 1;
	if (people_assignment_get(s, id, &a, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	ok = api_scope_allows(req, res, a.node_id);
	assignment_release(&a);
	return ok;
}

static void api_assignment_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct assignment_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, assignment_fields)))
		return;
	assignment_input_from(body, &in);
	if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (people_assignment_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_assignment(req, s, res, id, 201);
	}
	json_decref(body);
}

static void api_assignment_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_assignment(req, s, res, id, 200);
}

static void api_assignment_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct assignment_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!id || !assignment_visible(req, s, res, id) || !(body = api_body(req, res, assignment_fields)))
		return;
	assignment_input_from(body, &in);
	if (people_assignment_update(s, id, &in, &f) < 0)
		api_fail(res, &f);
	else
		reply_assignment(req, s, res, id, 200);
	json_decref(body);
}

static void api_assignment_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct assignment_filter flt;
	struct assignment_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	memset(&flt, 0, sizeof(flt));
	if (!s || api_query_int(req, res, "person_id", 1, INT64_MAX, 0, &flt.person_id) < 0 ||
	    api_query_int(req, res, "role_id", 1, INT64_MAX, 0, &flt.role_id) < 0 ||
	    api_query_int(req, res, "node_id", 1, INT64_MAX, 0, &flt.node_id) < 0 ||
	    api_query_int(req, res, "under", 1, INT64_MAX, 0, &flt.under_id) < 0 ||
	    query_text(req, res, "role", &flt.role_code) < 0 || query_date(req, res, "active_on", &flt.active_on) < 0 ||
	    api_paging(req, res, &flt.limit, &flt.offset) < 0 || api_scope_under(req, res, &flt.under_id) < 0 ||
	    (flt.node_id && !api_scope_allows(req, res, flt.node_id)))
		return;
	if (people_assignment_list(s, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, assignment_json(&list.items[i]));
	api_reply_list(res, items, list.total, flt.limit, flt.offset);
	assignment_list_release(&list);
}

/* Care links. */

static json_t *care_json(const struct care_link *c)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:o}", "id", (json_int_t)c->id, "central_household_id",
			 (json_int_t)c->central_household_id, "household_id", (json_int_t)c->household_id,
			 "household_name", c->household_name, "starts_on", c->starts_on, "ends_on",
			 json_str_or_null(c->ends_on));
}

static const struct api_field care_fields[] = {
	{ "central_household_id", API_ID, 1, 0, 0 },
	{ "household_id", API_ID, 1, 0, 0 },
	{ "starts_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static const struct api_field care_end_fields[] = {
	{ "ends_on", API_DATE, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void reply_care(struct http_request *req, struct store *s, struct http_response *res, int64_t id, int status)
{
	struct fault f = { 0 };
	struct care_link c;

	if (people_care_get(s, id, &c, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (api_scope_allows(req, res, c.household_id))
		http_reply_json(res, status, care_json(&c));
	care_link_release(&c);
}

static int care_visible(struct http_request *req, struct store *s, struct http_response *res, int64_t id)
{
	struct fault f = { 0 };
	struct care_link c;
	int ok;

	if (!api_scope(req))
		return 1;
	if (people_care_get(s, id, &c, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	ok = api_scope_allows(req, res, c.household_id);
	care_link_release(&c);
	return ok;
}

static void api_care_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, care_fields)))
		return;
	if (api_scope_target(req, res, api_int(body, "central_household_id", 0), "central_household_id") &&
	    api_scope_target(req, res, api_int(body, "household_id", 0), "household_id")) {
		if (people_care_create(s, api_int(body, "central_household_id", 0), api_int(body, "household_id", 0),
					    api_str(body, "starts_on"), &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_care(req, s, res, id, 201);
	}
	json_decref(body);
}

static void api_care_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_care(req, s, res, id, 200);
}

static void api_care_end(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct fault f = { 0 };
	json_t *body;

	if (!id || !care_visible(req, s, res, id) || !(body = api_body(req, res, care_end_fields)))
		return;
	if (people_care_end(s, id, api_str(body, "ends_on"), &f) < 0)
		api_fail(res, &f);
	else
		reply_care(req, s, res, id, 200);
	json_decref(body);
}

static void api_care_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct care_list list;
	struct fault f = { 0 };
	int64_t central, under;
	int active, limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "central_household_id", 1, INT64_MAX, 0, &central) < 0 ||
	    api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    (active = api_query_bool(req, res, "active", 0)) < 0 || api_paging(req, res, &limit, &offset) < 0 ||
	    api_scope_under(req, res, &under) < 0 || (central && !api_scope_allows(req, res, central)))
		return;
	if (people_care_list(s, central, under, active, limit, offset, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, care_json(&list.items[i]));
	api_reply_list(res, items, list.total, limit, offset);
	care_list_release(&list);
}

/* Coverage. */

/* Each gap with its place in words ("龙泉社区 / 君临天下小区 / 3号楼 / 2单元 / 201室"). */
static json_t *gaps_json(struct store *s, const struct coverage_gap *g, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		char *path = org_node_path(s, g[i].node_id);

		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:I, s:s, s:o}", "node_id", (json_int_t)g[i].node_id,
						     "name", g[i].name, "code", g[i].code, "courtyard_id",
						     (json_int_t)g[i].courtyard_id, "courtyard_name", g[i].courtyard_name,
						     "path", json_str_or_null(path)));
		free(path);
	}
	return arr;
}

static void api_coverage_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct coverage_report r;
	struct fault f = { 0 };
	const char *on;
	char today[11];
	int64_t node, limit;

	if (!s || api_query_int(req, res, "node", 1, INT64_MAX, 0, &node) < 0 || query_date(req, res, "on", &on) < 0 ||
	    api_query_int(req, res, "limit", 0, 500, 50, &limit) < 0)
		return;
	if (!node) {
		http_reply_error(res, 400, "invalid", "node", "node is required: the id of the subtree to report on");
		return;
	}
	if (!api_scope_allows(req, res, node))
		return;
	if (!on) {
		date_today_local(today);
		on = today;
	}
	if (people_coverage(s, node, on, (int)limit, &r, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, 200,
			json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:o, s:o}", "node_id", (json_int_t)node, "on", on,
				  "buildings", (json_int_t)r.buildings, "buildings_without_head",
				  (json_int_t)r.buildings_without_head, "households", (json_int_t)r.households,
				  "households_without_central", (json_int_t)r.households_without_central,
				  "buildings_gaps", gaps_json(s, r.buildings_gaps, r.nbuildings_gaps), "household_gaps",
				  gaps_json(s, r.household_gaps, r.nhousehold_gaps)));
	coverage_release(&r);
}

const struct http_route api_people_routes[] = {
	{ "GET", "/api/v1/persons", api_person_list, "people.read", "list persons with filters" },
	{ "POST", "/api/v1/persons", api_person_create, "people.write", "create a person" },
	{ "GET", "/api/v1/persons/{id}", api_person_get, "people.read", "one person with tags and party membership" },
	{ "PATCH", "/api/v1/persons/{id}", api_person_update, "people.write", "update a person" },
	{ "POST", "/api/v1/persons/{id}/reveal", api_person_reveal, "people.reveal",
	  "a person's phone, ID number or sensitive fields in full (audited)" },

	{ "GET", "/api/v1/roles", api_role_list, "people.read", "the role dictionary (?include_inactive=true)" },
	{ "POST", "/api/v1/roles", api_role_create, "people.write", "add a role to the dictionary", ROUTE_UNSCOPED },
	{ "GET", "/api/v1/roles/{id}", api_role_get, "people.read", "one role" },
	{ "PATCH", "/api/v1/roles/{id}", api_role_update, "people.write", "rename, re-level or deactivate a role",
	  ROUTE_UNSCOPED },

	{ "GET", "/api/v1/role-sets", api_role_set_list, "people.read", "role sets such as 三长四员" },
	{ "POST", "/api/v1/role-sets", api_role_set_create, "people.write", "create a role set", ROUTE_UNSCOPED },
	{ "GET", "/api/v1/role-sets/{id}", api_role_set_get, "people.read", "one role set" },
	{ "PATCH", "/api/v1/role-sets/{id}", api_role_set_update, "people.write", "rename a role set or replace its roles",
	  ROUTE_UNSCOPED },

	{ "GET", "/api/v1/assignments", api_assignment_list, "people.read", "list role assignments with filters" },
	{ "POST", "/api/v1/assignments", api_assignment_create, "people.write", "a person takes a role on a node" },
	{ "GET", "/api/v1/assignments/{id}", api_assignment_get, "people.read", "one role assignment" },
	{ "PATCH", "/api/v1/assignments/{id}", api_assignment_update, "people.write", "end an assignment, or change its note or platform" },

	{ "GET", "/api/v1/care-links", api_care_list, "people.read", "central households and the households they look after" },
	{ "POST", "/api/v1/care-links", api_care_create, "people.write", "a central household takes on a household" },
	{ "GET", "/api/v1/care-links/{id}", api_care_get, "people.read", "one care link" },
	{ "PATCH", "/api/v1/care-links/{id}", api_care_end, "people.write", "end a care link with {\"ends_on\":...}" },

	{ "GET", "/api/v1/coverage", api_coverage_get, "people.read", "buildings without a head and households without a central household" },
	{ NULL, NULL, NULL, NULL, NULL },
};
