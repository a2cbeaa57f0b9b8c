/*
 * api_volunteer.c - volunteers, duty rosters and patrols (issue 16) under
 * /api/v1/volunteer-*: teams and members, shift types, shifts and repeat
 * rules, sign-ups and the day's actions, the hours and points ledger with the
 * points shop, "my shifts" and the calendar feed (src/volunteer/).
 *
 * Every handler takes the same steps in the same order, so that the answers
 * agree with the authorisation matrix: the path's object (404), the scope of
 * its node (404: existence does not leak) and, for a volunteer, their own
 * teams (404 too), the body (400 naming the field), then the part the actor
 * plays (403: staff everything of their scope, the team's leader the team, a
 * member themselves), then the domain.  Writes are audited and run in one
 * transaction by the guard: a refusal leaves nothing written.
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "auth/auth.h"
#include "volunteer/volunteer.h"

#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOT_GIVEN (-1)
#define OUT_OF_RANGE 1000000000

static int64_t now_s(void)
{
	return time_now_us() / 1000000;
}

static int64_t actor_user(struct http_request *req)
{
	const struct actor *a = api_actor(req);

	return a ? a->user_id : 0;
}

/* A small whole number of the body: NOT_GIVEN when absent or null, OUT_OF_RANGE when negative or huge. */
static int small_int(json_t *b, const char *key)
{
	int64_t v;

	if (!api_has(b, key) || api_is_null(b, key))
		return NOT_GIVEN;
	v = api_int(b, key, 0);
	return v < 0 || v > 100000000 ? OUT_OF_RANGE : (int)v;
}

static json_t *card_json(const char *card)
{
	return json_string(card[0] ? card : "none");
}

/* ---- JSON ---- */

static json_t *team_json(const struct vol_team *t)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:i, s:o, s:b, s:I, s:s, s:s}", "id",
			      (json_int_t)t->id, "node_id", (json_int_t)t->node_id, "subdistrict_id",
			      (json_int_t)t->subdistrict_id, "name", t->name, "kind", t->kind, "leader_person_id",
			      json_id_or_null(t->leader_person_id), "leader_name", json_str_or_null(t->leader_name),
			      "weekly_limit_minutes", t->weekly_limit_minutes ? json_integer(t->weekly_limit_minutes) : json_null(),
			      "cutoff_hours", t->cutoff_hours, "description", json_str_or_null(t->description), "active",
			      t->active, "members", (json_int_t)t->members, "created_at", t->created_at, "updated_at",
			      t->updated_at);
	return o;
}

static json_t *member_json(const struct vol_member *m)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:b, s:o, s:s, s:o}", "id", (json_int_t)m->id, "team_id",
			 (json_int_t)m->team_id, "person_id", (json_int_t)m->person_id, "name", m->name, "party_member",
			 m->party_member, "home_node_id", json_id_or_null(m->home_node_id), "joined_on", m->joined_on,
			 "left_on", json_str_or_null(m->left_on[0] ? m->left_on : NULL));
}

static json_t *type_json(const struct vol_shift_type *t)
{
	return json_pack("{s:I, s:I, s:s, s:i, s:i, s:i, s:i, s:o, s:b}", "id", (json_int_t)t->id, "team_id",
			 (json_int_t)t->team_id, "name", t->name, "minutes", t->minutes, "people", t->people,
			 "party_members", t->party_members, "points_per_hour", t->points_per_hour, "place",
			 json_str_or_null(t->place), "active", t->active);
}

static json_t *place_json(const struct vol_assignment *a)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:b, s:s, s:s}", "id", (json_int_t)a->id, "shift_id",
			      (json_int_t)a->shift_id, "person_id", (json_int_t)a->person_id, "name", a->name,
			      "party_member", a->party_member, "how", a->how, "state", a->state);

	json_object_set_new(o, "attendance", json_str_or_null(a->attendance[0] ? a->attendance : NULL));
	json_object_set_new(o, "check_in_at", json_time_or_null(a->check_in_at));
	json_object_set_new(o, "check_out_at", json_time_or_null(a->check_out_at));
	json_object_set_new(o, "minutes", a->minutes >= 0 ? json_integer(a->minutes) : json_null());
	json_object_set_new(o, "confirmed", json_boolean(a->confirmed_by != 0));
	return o;
}

static json_t *shift_json(const struct vol_shift *sh)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:o, s:I, s:s}", "id", (json_int_t)sh->id, "team_id",
			      (json_int_t)sh->team_id, "team_name", sh->team_name, "team_kind", sh->team_kind, "type_id",
			      (json_int_t)sh->type_id, "type_name", sh->type_name, "series_id",
			      json_id_or_null(sh->series_id), "node_id", (json_int_t)sh->node_id, "day", sh->day);

	json_object_set_new(o, "starts_at", json_time_or_null(sh->starts_at));
	json_object_set_new(o, "ends_at", json_time_or_null(sh->ends_at));
	json_object_set_new(o, "place", json_str_or_null(sh->place));
	json_object_set_new(o, "note", json_str_or_null(sh->note));
	json_object_set_new(o, "people", json_integer(sh->people));
	json_object_set_new(o, "party_members", json_integer(sh->party_members));
	json_object_set_new(o, "filled", json_integer(sh->filled));
	json_object_set_new(o, "points_per_hour", json_integer(sh->points_per_hour));
	json_object_set_new(o, "state", json_string(sh->state));
	json_object_set_new(o, "staff_card", card_json(sh->staff_card));
	json_object_set_new(o, "staff_due", json_time_or_null(sh->staff_due));
	json_object_set_new(o, "closed_at", json_time_or_null(sh->closed_at));
	return o;
}

/* The shift with who is on it (all: every place ever taken, else those on it now). */
static json_t *shift_with_places(struct store *s, const struct vol_shift *sh, int all, struct fault *f)
{
	struct vol_assignment_list l;
	json_t *o, *a;
	size_t i;

	if (volunteer_assignments(s, sh->id, !all, &l, f) < 0)
		return NULL;
	o = shift_json(sh);
	a = json_array();
	for (i = 0; i < l.n; i++)
		json_array_append_new(a, place_json(&l.items[i]));
	json_object_set_new(o, all ? "places" : "on", a);
	volunteer_assignment_list_release(&l);
	return o;
}

static json_t *item_json(const struct vol_item *it)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:I, s:I, s:b}", "id", (json_int_t)it->id, "node_id",
			 (json_int_t)it->node_id, "subdistrict_id", (json_int_t)it->subdistrict_id, "name", it->name,
			 "points", (json_int_t)it->points, "stock", (json_int_t)it->stock, "active", it->active);
}

/* ---- the steps every handler shares ---- */

/* The actor's person (0: none); -1 after answering. */
static int actor_person(struct http_request *req, struct http_response *res, struct store *s, int64_t *person)
{
	struct fault f = { 0 };

	if (volunteer_actor_person(s, api_actor(req), person, &f) < 0) {
		api_fail(res, &f);
		return -1;
	}
	return 0;
}

/*
 * The team of an id, inside the scope and, for a volunteer, one of their own
 * teams (else 404); *part: what the actor plays on it.  1, or 0 after answering.
 */
static int load_team(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
		     struct vol_team *t, enum vol_part *part, int64_t *person)
{
	struct fault f = { 0 };
	enum vol_part p;
	int64_t me;

	if (!id)
		return 0;
	if (volunteer_team_get(s, id, t, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, t->node_id))
		goto no;
	if (volunteer_part_of(s, t, api_actor(req), &p, &me, &f) < 0) {
		api_fail(res, &f);
		goto no;
	}
	if (!volunteer_sees_all(api_actor(req)) && p < VOL_PART_MEMBER) {
		http_reply_error(res, 404, "not_found", NULL, "no such resource: %s", req->path);
		goto no;
	}
	if (part)
		*part = p;
	if (person)
		*person = me;
	return 1;
no:
	volunteer_team_release(t);
	return 0;
}

static int load_team_of_path(struct http_request *req, struct http_response *res, struct store *s, struct vol_team *t,
			     enum vol_part *part, int64_t *person)
{
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	return load_team(req, res, s, id, t, part, person);
}

/* The shift of the path's {id} and its team (as load_team); 1, or 0 after answering. */
static int load_shift(struct http_request *req, struct http_response *res, struct store *s, struct vol_shift *sh,
		      struct vol_team *t, enum vol_part *part, int64_t *person)
{
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct fault f = { 0 };

	if (!id)
		return 0;
	if (volunteer_shift_get(s, id, sh, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, sh->node_id) || !load_team(req, res, s, sh->team_id, t, part, person)) {
		volunteer_shift_release(sh);
		return 0;
	}
	return 1;
}

static int need_part(struct http_response *res, enum vol_part part, enum vol_part need, const char *what)
{
	if (part >= need)
		return 1;
	http_reply_error(res, 403, "forbidden", NULL, "%s", what);
	return 0;
}

/* A person named in a body by staff: their home inside the scope, else 400 as if missing. */
static int person_in_scope(struct http_request *req, struct http_response *res, struct store *s, int64_t person_id,
			   const char *field)
{
	struct vol_person p;
	struct fault f = { 0 };
	int ok;

	if (!api_scope(req))
		return 1;
	if (volunteer_person_get(s, person_id, field, &p, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	ok = p.home_node_id && api_scope_target(req, res, p.home_node_id, field);
	if (!p.home_node_id)
		http_reply_error(res, 400, "invalid", field, "person %lld does not exist", (long long)person_id);
	volunteer_person_release(&p);
	return ok;
}

/* ---- teams ---- */

static void reply_team(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct vol_team t;
	struct vol_member_list members;
	struct vol_shift_type_list types;
	struct fault f = { 0 };
	enum vol_part part = VOL_PART_NONE;
	int64_t person = 0;
	json_t *o, *a;
	size_t i;
	static const char *const parts[] = { "none", "member", "leader", "staff" };

	if (!load_team(req, res, s, id, &t, &part, &person))
		return;
	o = team_json(&t);
	volunteer_team_release(&t);
	if (volunteer_members(s, id, 1, &members, &f) < 0 || volunteer_shift_types(s, id, &types, &f) < 0) {
		json_decref(o);
		api_fail(res, &f);
		return;
	}
	a = json_array();
	for (i = 0; i < members.n; i++)
		json_array_append_new(a, member_json(&members.items[i]));
	json_object_set_new(o, "member_list", a);
	a = json_array();
	for (i = 0; i < types.n; i++)
		json_array_append_new(a, type_json(&types.items[i]));
	json_object_set_new(o, "shift_types", a);
	json_object_set_new(o, "my_part", json_string(parts[part]));
	volunteer_member_list_release(&members);
	volunteer_shift_type_list_release(&types);
	http_reply_json(res, status, o);
}

static void api_vol_team_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_team_filter flt;
	struct vol_team_list list;
	struct fault f = { 0 };
	int64_t total, person = 0;
	const char *kind = NULL;
	json_t *items;
	int all;
	size_t i;

	memset(&flt, 0, sizeof(flt));
	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &flt.under) < 0 ||
	    api_query_text(req, res, "kind", 20, &kind) < 0 || (all = api_query_bool(req, res, "all", 0)) < 0 ||
	    api_paging(req, res, &flt.limit, &flt.offset) < 0 || api_scope_under(req, res, &flt.under) < 0)
		return;
	flt.kind = kind;
	flt.include_inactive = all;
	if (!volunteer_sees_all(api_actor(req))) {
		if (actor_person(req, res, s, &person) < 0)
			return;
		if (!person) {
			api_reply_list(res, json_array(), 0, flt.limit, flt.offset);
			return;
		}
		flt.member_person = person;
	}
	if (volunteer_team_list(s, &flt, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, team_json(&list.items[i]));
	api_reply_list(res, items, total, flt.limit, flt.offset);
	volunteer_team_list_release(&list);
}

static const struct api_field team_fields[] = {
	{ "name", API_STRING, 0, 0, 100 },
	{ "kind", API_STRING, 0, 0, 20 },
	{ "node_id", API_ID, 0, 0, 0 },
	{ "leader_person_id", API_ID, 0, 1, 0 },
	{ "weekly_limit_minutes", API_INT, 0, 1, 0 },
	{ "cutoff_hours", API_INT, 0, 0, 0 },
	{ "description", API_STRING, 0, 1, 2000 },
	{ "active", API_BOOL, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void team_input_from(json_t *b, struct vol_team_input *in)
{
	int v;

	memset(in, 0, sizeof(*in));
	in->name = api_str(b, "name");
	in->kind = api_str(b, "kind");
	in->description = api_is_null(b, "description") ? "" : api_str(b, "description");
	in->node_id = api_int(b, "node_id", 0);
	in->set_leader = api_has(b, "leader_person_id");
	in->leader_person_id = api_int(b, "leader_person_id", 0);
	in->set_weekly_limit = api_has(b, "weekly_limit_minutes");
	v = small_int(b, "weekly_limit_minutes");
	in->weekly_limit_minutes = v == NOT_GIVEN ? 0 : v == 0 ? OUT_OF_RANGE : v;
	in->set_cutoff = api_has(b, "cutoff_hours");
	in->cutoff_hours = small_int(b, "cutoff_hours");
	if (in->cutoff_hours == NOT_GIVEN)
		in->set_cutoff = 0;
	in->set_active = api_has(b, "active");
	in->active = json_is_true(json_object_get(b, "active"));
}

static void api_vol_team_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_team_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, team_fields)))
		return;
	team_input_from(body, &in);
	if (!in.node_id)
		http_reply_error(res, 400, "invalid", "node_id", "node_id is required: the team's subdistrict, community or courtyard");
	else if (api_scope_target(req, res, in.node_id, "node_id") &&
		 (!in.leader_person_id || person_in_scope(req, res, s, in.leader_person_id, "leader_person_id"))) {
		if (volunteer_team_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_team(req, res, s, id, 201);
	}
	json_decref(body);
}

static void api_vol_team_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_team(req, res, s, id, 200);
}

static void api_vol_team_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_team t;
	struct vol_team_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!load_team_of_path(req, res, s, &t, NULL, NULL))
		return;
	id = t.id;
	volunteer_team_release(&t);
	if (!(body = api_body(req, res, team_fields)))
		return;
	team_input_from(body, &in);
	if (in.node_id)
		http_reply_error(res, 400, "invalid", "node_id", "a team stays on its node: make a new team elsewhere");
	else if (!in.leader_person_id || person_in_scope(req, res, s, in.leader_person_id, "leader_person_id")) {
		if (volunteer_team_update(s, id, &in, &f) < 0)
			api_fail(res, &f);
		else
			reply_team(req, res, s, id, 200);
	}
	json_decref(body);
}

static const struct api_field member_fields[] = {
	{ "person_id", API_ID, 1, 0, 0 },
	{ "joined_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_vol_member_add(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_team t;
	struct vol_member m;
	struct fault f = { 0 };
	json_t *body;
	int64_t id, person;

	if (!load_team_of_path(req, res, s, &t, NULL, NULL))
		return;
	if (!(body = api_body(req, res, member_fields))) {
		volunteer_team_release(&t);
		return;
	}
	person = api_int(body, "person_id", 0);
	if (person_in_scope(req, res, s, person, "person_id")) {
		if (volunteer_member_add(s, t.id, person, api_str(body, "joined_on"), &id, &f) < 0 ||
		    volunteer_member_get(s, id, &m, &f) < 0) {
			api_fail(res, &f);
		} else {
			http_reply_json(res, 201, member_json(&m));
			volunteer_member_release(&m);
		}
	}
	volunteer_team_release(&t);
	json_decref(body);
}

static const struct api_field member_update_fields[] = {
	{ "left_on", API_DATE, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_vol_member_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct vol_member m;
	struct vol_team t;
	struct fault f = { 0 };
	json_t *body;
	int64_t team;

	if (!id)
		return;
	if (volunteer_member_get(s, id, &m, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	team = m.team_id;
	volunteer_member_release(&m);
	if (!load_team(req, res, s, team, &t, NULL, NULL))
		return;
	volunteer_team_release(&t);
	if (!(body = api_body(req, res, member_update_fields)))
		return;
	if (volunteer_member_leave(s, id, api_str(body, "left_on"), &f) < 0 || volunteer_member_get(s, id, &m, &f) < 0) {
		api_fail(res, &f);
	} else {
		http_reply_json(res, 200, member_json(&m));
		volunteer_member_release(&m);
	}
	json_decref(body);
}

/* ---- shift types ---- */

static const struct api_field type_fields[] = {
	{ "name", API_STRING, 0, 0, 50 },
	{ "minutes", API_INT, 0, 0, 0 },
	{ "people", API_INT, 0, 0, 0 },
	{ "party_members", API_INT, 0, 0, 0 },
	{ "points_per_hour", API_INT, 0, 0, 0 },
	{ "place", API_STRING, 0, 1, 200 },
	{ "active", API_BOOL, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void type_input_from(json_t *b, struct vol_shift_type_input *in)
{
	memset(in, 0, sizeof(*in));
	in->name = api_str(b, "name");
	in->place = api_is_null(b, "place") ? "" : api_str(b, "place");
	in->minutes = small_int(b, "minutes");
	in->people = small_int(b, "people");
	in->party_members = small_int(b, "party_members");
	in->points_per_hour = small_int(b, "points_per_hour");
	in->set_active = api_has(b, "active");
	in->active = json_is_true(json_object_get(b, "active"));
}

static void reply_type(struct http_response *res, struct store *s, int64_t id, int status)
{
	struct vol_shift_type ty;
	struct fault f = { 0 };

	if (volunteer_shift_type_get(s, id, &ty, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, status, type_json(&ty));
	volunteer_shift_type_release(&ty);
}

static void api_vol_type_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_team t;
	struct vol_shift_type_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!load_team_of_path(req, res, s, &t, NULL, NULL))
		return;
	if ((body = api_body(req, res, type_fields))) {
		type_input_from(body, &in);
		if (volunteer_shift_type_create(s, &t, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_type(res, s, id, 201);
		json_decref(body);
	}
	volunteer_team_release(&t);
}

static void api_vol_type_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct vol_shift_type ty;
	struct vol_shift_type_input in;
	struct vol_team t;
	struct fault f = { 0 };
	json_t *body;
	int64_t team;

	if (!id)
		return;
	if (volunteer_shift_type_get(s, id, &ty, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	team = ty.team_id;
	volunteer_shift_type_release(&ty);
	if (!load_team(req, res, s, team, &t, NULL, NULL))
		return;
	volunteer_team_release(&t);
	if (!(body = api_body(req, res, type_fields)))
		return;
	type_input_from(body, &in);
	if (volunteer_shift_type_update(s, id, &in, &f) < 0)
		api_fail(res, &f);
	else
		reply_type(res, s, id, 200);
	json_decref(body);
}

/* ---- shifts ---- */

static void reply_shift(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct vol_shift sh;
	struct fault f = { 0 };
	json_t *o;

	if (volunteer_shift_get(s, id, &sh, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	o = shift_with_places(s, &sh, 1, &f);
	volunteer_shift_release(&sh);
	if (!o) {
		api_fail(res, &f);
		return;
	}
	(void)req;
	http_reply_json(res, status, o);
}

static const struct api_field shift_fields[] = {
	{ "type_id", API_ID, 0, 0, 0 },
	{ "starts_at", API_STRING, 0, 0, 40 },
	{ "ends_at", API_STRING, 0, 0, 40 },
	{ "place", API_STRING, 0, 1, 200 },
	{ "note", API_STRING, 0, 1, 1000 },
	{ "people", API_INT, 0, 0, 0 },
	{ "party_members", API_INT, 0, 0, 0 },
	{ "state", API_STRING, 0, 0, 20 },
	{ NULL, 0, 0, 0, 0 },
};

static void shift_input_from(json_t *b, struct vol_shift_input *in)
{
	memset(in, 0, sizeof(*in));
	in->type_id = api_int(b, "type_id", 0);
	in->starts_at = api_str(b, "starts_at");
	in->ends_at = api_str(b, "ends_at");
	in->set_place = api_has(b, "place");
	in->place = api_is_null(b, "place") ? "" : api_str(b, "place");
	in->set_note = api_has(b, "note");
	in->note = api_is_null(b, "note") ? "" : api_str(b, "note");
	in->people = small_int(b, "people");
	in->party_members = small_int(b, "party_members");
}

static const char LEADS[] = "only the team's leader and the staff of its place plan its shifts";

static void api_vol_shift_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_team t;
	struct vol_shift_input in;
	struct fault f = { 0 };
	enum vol_part part;
	json_t *body;
	int64_t id;

	if (!load_team_of_path(req, res, s, &t, &part, NULL))
		return;
	if ((body = api_body(req, res, shift_fields))) {
		shift_input_from(body, &in);
		if (api_has(body, "state"))
			http_reply_error(res, 400, "invalid", "state", "a new shift is open");
		else if (!in.type_id)
			http_reply_error(res, 400, "invalid", "type_id", "type_id is required: the kind of duty");
		else if (need_part(res, part, VOL_PART_LEADER, LEADS)) {
			if (volunteer_shift_create(s, &t, &in, actor_user(req), now_s(), &id, &f) < 0)
				api_fail(res, &f);
			else
				reply_shift(req, res, s, id, 201);
		}
		json_decref(body);
	}
	volunteer_team_release(&t);
}

static const struct api_field series_fields[] = {
	{ "type_id", API_ID, 1, 0, 0 },
	{ "from_on", API_DATE, 1, 0, 0 },
	{ "until_on", API_DATE, 1, 0, 0 },
	{ "weekdays", API_STRING, 0, 0, 7 },
	{ "start", API_STRING, 1, 0, 5 },
	{ "end", API_STRING, 1, 0, 5 },
	{ "place", API_STRING, 0, 0, 200 },
	{ "people", API_INT, 0, 0, 0 },
	{ "party_members", API_INT, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_vol_series_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_team t;
	struct vol_series_input in;
	struct fault f = { 0 };
	enum vol_part part;
	json_t *body;
	int64_t id, count;

	if (!load_team_of_path(req, res, s, &t, &part, NULL))
		return;
	if ((body = api_body(req, res, series_fields))) {
		memset(&in, 0, sizeof(in));
		in.type_id = api_int(body, "type_id", 0);
		in.rule.from_on = api_str(body, "from_on");
		in.rule.until_on = api_str(body, "until_on");
		in.rule.weekdays = api_has(body, "weekdays") ? api_str(body, "weekdays") : "1234567";
		in.rule.start = api_str(body, "start");
		in.rule.end = api_str(body, "end");
		in.place = api_str(body, "place");
		in.people = small_int(body, "people");
		in.party_members = small_int(body, "party_members");
		if (need_part(res, part, VOL_PART_LEADER, LEADS)) {
			if (volunteer_series_create(s, &t, &in, actor_user(req), now_s(), &id, &count, &f) < 0)
				api_fail(res, &f);
			else
				http_reply_json(res, 201, json_pack("{s:I, s:I, s:I}", "series_id", (json_int_t)id, "team_id",
								    (json_int_t)t.id, "shifts", (json_int_t)count));
		}
		json_decref(body);
	}
	volunteer_team_release(&t);
}

/* ?from / ?to as days (YYYY-MM-DD, to inclusive) into instants; -1 after answering. */
static int day_range(struct http_request *req, struct http_response *res, int64_t *from, int64_t *to)
{
	const char *v;
	int64_t at;
	struct fault f = { 0 };
	char text[32];

	*from = *to = 0;
	if ((v = http_query(req, "from"))) {
		snprintf(text, sizeof(text), "%.10s 00:00", v);
		if (strlen(v) != 10 || volunteer_time_parse("from", text, &at, &f) < 0) {
			http_reply_error(res, 400, "invalid", "from", "from is a date YYYY-MM-DD");
			return -1;
		}
		*from = at;
	}
	if ((v = http_query(req, "to"))) {
		snprintf(text, sizeof(text), "%.10s 00:00", v);
		if (strlen(v) != 10 || volunteer_time_parse("to", text, &at, &f) < 0) {
			http_reply_error(res, 400, "invalid", "to", "to is a date YYYY-MM-DD");
			return -1;
		}
		*to = at + 86400;
	}
	if (*from && *to && *to <= *from) {
		http_reply_error(res, 400, "invalid", "to", "to comes before from");
		return -1;
	}
	return 0;
}

static void api_vol_shift_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_shift_filter flt;
	struct vol_shift_list list;
	struct fault f = { 0 };
	int64_t total, person = 0;
	const char *state = NULL;
	json_t *items, *o;
	int mine, shorts;
	size_t i;

	memset(&flt, 0, sizeof(flt));
	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &flt.under) < 0 ||
	    api_query_int(req, res, "team_id", 1, INT64_MAX, 0, &flt.team_id) < 0 ||
	    api_query_text(req, res, "state", 20, &state) < 0 || (mine = api_query_bool(req, res, "mine", 0)) < 0 ||
	    (shorts = api_query_bool(req, res, "short", 0)) < 0 || day_range(req, res, &flt.from, &flt.to) < 0 ||
	    api_paging(req, res, &flt.limit, &flt.offset) < 0 || api_scope_under(req, res, &flt.under) < 0)
		return;
	flt.state = state;
	flt.short_only = shorts;
	if (mine || !volunteer_sees_all(api_actor(req))) {
		if (actor_person(req, res, s, &person) < 0)
			return;
		if (!person) {
			api_reply_list(res, json_array(), 0, flt.limit, flt.offset);
			return;
		}
		if (mine)
			flt.person_id = person;
		if (!volunteer_sees_all(api_actor(req)))
			flt.member_person = person;
	}
	if (volunteer_shift_list(s, &flt, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++) {
		if (!(o = shift_with_places(s, &list.items[i], 0, &f))) {
			json_decref(items);
			volunteer_shift_list_release(&list);
			api_fail(res, &f);
			return;
		}
		json_array_append_new(items, o);
	}
	api_reply_list(res, items, total, flt.limit, flt.offset);
	volunteer_shift_list_release(&list);
}

static void api_vol_shift_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_shift sh;
	struct vol_team t;
	struct fault f = { 0 };
	enum vol_part part;
	int64_t person;
	json_t *o;
	static const char *const parts[] = { "none", "member", "leader", "staff" };

	if (!load_shift(req, res, s, &sh, &t, &part, &person))
		return;
	o = shift_with_places(s, &sh, 1, &f);
	volunteer_shift_release(&sh);
	volunteer_team_release(&t);
	if (!o) {
		api_fail(res, &f);
		return;
	}
	json_object_set_new(o, "my_part", json_string(parts[part]));
	json_object_set_new(o, "my_person_id", json_id_or_null(person));
	http_reply_json(res, 200, o);
}

static void api_vol_shift_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_shift sh;
	struct vol_team t;
	struct vol_shift_input in;
	struct fault f = { 0 };
	enum vol_part part;
	const char *state;
	json_t *body;
	int64_t id;

	if (!load_shift(req, res, s, &sh, &t, &part, NULL))
		return;
	id = sh.id;
	volunteer_shift_release(&sh);
	volunteer_team_release(&t);
	if (!(body = api_body(req, res, shift_fields)))
		return;
	shift_input_from(body, &in);
	state = api_str(body, "state");
	if (in.type_id || in.starts_at || in.ends_at)
		http_reply_error(res, 400, "invalid", in.type_id ? "type_id" : in.starts_at ? "starts_at" : "ends_at",
				 "a shift keeps its kind and times: cancel it and plan another");
	else if (state && strcmp(state, "cancelled"))
		http_reply_error(res, 400, "invalid", "state", "state may only become cancelled");
	else if (need_part(res, part, VOL_PART_LEADER, LEADS)) {
		if ((state ? volunteer_shift_cancel(s, id, now_s(), &f) : volunteer_shift_update(s, id, &in, &f)) < 0)
			api_fail(res, &f);
		else
			reply_shift(req, res, s, id, 200);
	}
	json_decref(body);
}

static const struct api_field signup_fields[] = {
	{ "person_id", API_ID, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_vol_signup(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_shift sh;
	struct vol_team t;
	struct fault f = { 0 };
	enum vol_part part;
	int64_t me, person, id;
	json_t *body;

	if (!load_shift(req, res, s, &sh, &t, &part, &me))
		return;
	if ((body = api_body(req, res, signup_fields))) {
		person = api_int(body, "person_id", me);
		if (!person)
			http_reply_error(res, 400, "invalid", "person_id",
					 "person_id is required: the account stands for no person");
		else if (person != me && part < VOL_PART_LEADER)
			http_reply_error(res, 403, "forbidden", "person_id",
					 "a member signs up themselves; only the team's leader assigns others");
		else if (person != me && part == VOL_PART_STAFF && !person_in_scope(req, res, s, person, "person_id"))
			;
		else if (volunteer_signup(s, sh.id, person, person == me ? "signup" : "assigned", actor_user(req), now_s(), &id,
					  &f) < 0)
			api_fail(res, &f);
		else
			reply_shift(req, res, s, sh.id, 201);
		json_decref(body);
	}
	volunteer_shift_release(&sh);
	volunteer_team_release(&t);
}

static const struct api_field action_fields[] = {
	{ "action", API_STRING, 1, 0, 20 },
	{ "person_id", API_ID, 0, 0, 0 },
	{ "to_person_id", API_ID, 0, 0, 0 },
	{ "at", API_STRING, 0, 0, 40 },
	{ "minutes", API_INT, 0, 0, 0 },
	{ "reason", API_STRING, 0, 0, 500 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_vol_shift_act(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_shift sh;
	struct vol_team t;
	struct fault f = { 0 };
	enum vol_part part;
	int64_t me, person, at, id, now = now_s();
	const char *action;
	json_t *body;
	int rc = 0, leader;

	if (!load_shift(req, res, s, &sh, &t, &part, &me))
		return;
	if (!(body = api_body(req, res, action_fields)))
		goto out;
	action = api_str(body, "action");
	person = api_int(body, "person_id", me);
	leader = part >= VOL_PART_LEADER;
	at = now;
	if (strcmp(action, "give_up") && strcmp(action, "swap") && strcmp(action, "check_in") &&
	    strcmp(action, "check_out") && strcmp(action, "confirm")) {
		http_reply_error(res, 400, "invalid", "action", "action is give_up, swap, check_in, check_out or confirm");
		goto out_body;
	}
	if (api_has(body, "at") && volunteer_time_parse("at", api_str(body, "at"), &at, &f) < 0) {
		api_fail(res, &f);
		goto out_body;
	}
	if (!strcmp(action, "confirm") && (!api_has(body, "minutes") || api_is_null(body, "minutes"))) {
		http_reply_error(res, 400, "invalid", "minutes", "minutes is required: the minutes served");
		goto out_body;
	}
	if (!strcmp(action, "swap") && !api_has(body, "to_person_id")) {
		http_reply_error(res, 400, "invalid", "to_person_id", "to_person_id is required: who takes the place");
		goto out_body;
	}
	if (!person) {
		http_reply_error(res, 400, "invalid", "person_id", "person_id is required: the account stands for no person");
		goto out_body;
	}
	if (person != me && !leader) {
		http_reply_error(res, 403, "forbidden", "person_id", "a member acts for themselves; the leader for the team");
		goto out_body;
	}
	if (!strcmp(action, "confirm") && !leader) {
		http_reply_error(res, 403, "forbidden", NULL, "only the team's leader confirms hours");
		goto out_body;
	}
	if (api_has(body, "at") && !leader) {
		http_reply_error(res, 403, "forbidden", "at", "a member checks in and out as it happens; the leader records times");
		goto out_body;
	}
	if (!strcmp(action, "give_up"))
		rc = volunteer_give_up(s, sh.id, person, leader, actor_user(req), now, &f);
	else if (!strcmp(action, "swap"))
		rc = (part == VOL_PART_STAFF &&
		      !person_in_scope(req, res, s, api_int(body, "to_person_id", 0), "to_person_id"))
			     ? 1
			     : volunteer_swap(s, sh.id, person, api_int(body, "to_person_id", 0), leader, actor_user(req), now,
					      &id, &f);
	else if (!strcmp(action, "check_in") || !strcmp(action, "check_out"))
		rc = volunteer_check(s, sh.id, person, !strcmp(action, "check_out"), at, actor_user(req), now, &f);
	else
		rc = volunteer_confirm(s, sh.id, person, small_int(body, "minutes") == OUT_OF_RANGE
							      ? -1 : api_int(body, "minutes", 0),
				       api_str(body, "reason"), actor_user(req), &f);
	if (rc < 0)
		api_fail(res, &f);
	else if (rc == 0)
		reply_shift(req, res, s, sh.id, 200);
out_body:
	json_decref(body);
out:
	volunteer_shift_release(&sh);
	volunteer_team_release(&t);
}

/* ---- my shifts ---- */

static int shifts_into(struct store *s, const struct vol_shift_filter *flt, json_t *arr, int all_places,
		       struct fault *f)
{
	struct vol_shift_list list;
	int64_t total;
	size_t i;
	json_t *o;

	if (volunteer_shift_list(s, flt, &list, &total, f) < 0)
		return -1;
	for (i = 0; i < list.n; i++) {
		if (!(o = shift_with_places(s, &list.items[i], all_places, f))) {
			volunteer_shift_list_release(&list);
			return -1;
		}
		json_array_append_new(arr, o);
	}
	volunteer_shift_list_release(&list);
	return 0;
}

static void api_vol_me(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_person p;
	struct vol_team_filter tf;
	struct vol_team_list teams;
	struct vol_shift_filter sf;
	struct vol_balance b;
	struct fault f = { 0 };
	int64_t person = 0, now = now_s(), total;
	json_t *o, *a, *mine, *past, *open, *carded;
	size_t i;

	if (!s || actor_person(req, res, s, &person) < 0)
		return;
	if (!person) {
		http_reply_json(res, 200, json_pack("{s:n, s:[], s:[], s:[], s:[], s:[], s:{s:i, s:i}}", "person", "teams",
						    "shifts", "past", "open", "carded", "balance", "points", 0, "minutes", 0));
		return;
	}
	if (volunteer_person_get(s, person, NULL, &p, &f) < 0 || volunteer_balance(s, person, &b, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	o = json_pack("{s:{s:I, s:s, s:b, s:o}}", "person", "id", (json_int_t)p.id, "name", p.name, "party_member",
		      p.party_member, "home_node_id", json_id_or_null(p.home_node_id));
	volunteer_person_release(&p);
	json_object_set_new(o, "balance", json_pack("{s:I, s:I}", "points", (json_int_t)b.points, "minutes",
						    (json_int_t)b.minutes));
	memset(&tf, 0, sizeof(tf));
	tf.member_person = person;
	tf.limit = 100;
	if (volunteer_team_list(s, &tf, &teams, &total, &f) < 0)
		goto fail;
	a = json_array();
	for (i = 0; i < teams.n; i++)
		json_array_append_new(a, team_json(&teams.items[i]));
	json_object_set_new(o, "teams", a);
	volunteer_team_list_release(&teams);
	/* my places to come (and going on), the last ones served, my teams' shifts still short, and, as a
	 * leader, those carded short */
	mine = json_array();
	past = json_array();
	open = json_array();
	carded = json_array();
	json_object_set_new(o, "shifts", mine);
	json_object_set_new(o, "past", past);
	json_object_set_new(o, "open", open);
	json_object_set_new(o, "carded", carded);
	memset(&sf, 0, sizeof(sf));
	sf.person_id = person;
	sf.state = "open";
	sf.limit = 50;
	if (shifts_into(s, &sf, mine, 1, &f) < 0)
		goto fail;
	memset(&sf, 0, sizeof(sf));
	sf.person_id = person;
	sf.state = "closed";
	sf.from = now - 60 * 86400;
	sf.limit = 500;
	if (shifts_into(s, &sf, past, 1, &f) < 0)
		goto fail;
	memset(&sf, 0, sizeof(sf));
	sf.member_person = person;
	sf.short_only = 1;
	sf.from = now;
	sf.to = now + 14 * 86400;
	sf.limit = 50;
	if (shifts_into(s, &sf, open, 0, &f) < 0)
		goto fail;
	{
		struct vol_shift_list list;
		struct vol_team t;

		memset(&sf, 0, sizeof(sf));
		sf.member_person = person;
		sf.short_only = 1;
		sf.from = now;
		sf.limit = 100;
		if (volunteer_shift_list(s, &sf, &list, &total, &f) < 0)
			goto fail;
		for (i = 0; i < list.n; i++) {
			if (!strcmp(list.items[i].staff_card, "none") || !list.items[i].staff_due)
				continue;
			if (volunteer_team_get(s, list.items[i].team_id, &t, &f) < 0) {
				volunteer_shift_list_release(&list);
				goto fail;
			}
			if (t.leader_person_id == person)
				json_array_append_new(carded, shift_json(&list.items[i]));
			volunteer_team_release(&t);
		}
		volunteer_shift_list_release(&list);
	}
	http_reply_json(res, 200, o);
	return;
fail:
	json_decref(o);
	api_fail(res, &f);
}

static void api_vol_ical_token(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	char token[VOL_ICAL_TOKEN_CHARS + 1], path[128];
	int64_t person = 0;

	if (!s || actor_person(req, res, s, &person) < 0)
		return;
	if (volunteer_ical_token_new(s, actor_user(req), person, token, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	snprintf(path, sizeof(path), "/api/v1/volunteer-ical/%s.ics", token);
	http_reply_json(res, 201, json_pack("{s:s, s:s}", "token", token, "path", path));
}

static void api_vol_ical(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	struct buf out;
	int64_t person;

	if (!s)
		return;
	if (volunteer_ical_person(s, http_param(req, "token"), &person, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	buf_init(&out);
	if (volunteer_ical_feed(s, person, now_s(), &out, &f) < 0)
		api_fail(res, &f);
	else
		http_reply_text(res, 200, "text/calendar; charset=utf-8", out.data, out.len);
	buf_release(&out);
}

/* ---- the ledger ---- */

/*
 * The person of the path, inside the scope, and for a volunteer themselves or (leaders) a member of a
 * team they lead: 1, or 0 after answering 404.
 */
static int load_person(struct http_request *req, struct http_response *res, struct store *s, struct vol_person *p)
{
	int64_t id = s ? api_path_id(req, res, "id") : 0, me = 0;
	struct fault f = { 0 };
	int leads = 0;

	if (!id)
		return 0;
	if (volunteer_person_get(s, id, NULL, p, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, p->home_node_id))
		goto no;
	if (!volunteer_sees_all(api_actor(req))) {
		if (actor_person(req, res, s, &me) < 0)
			goto no_answered;
		if (me != p->id && volunteer_leads(s, me, p->id, &leads, &f) < 0) {
			api_fail(res, &f);
			goto no;
		}
		if (me != p->id && !leads) {
			http_reply_error(res, 404, "not_found", NULL, "no such resource: %s", req->path);
			goto no;
		}
	}
	return 1;
no:
no_answered:
	volunteer_person_release(p);
	return 0;
}

static void api_vol_ledger(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_person p;
	struct vol_ledger l;
	struct vol_balance b;
	struct fault f = { 0 };
	int64_t total;
	int limit, offset;
	json_t *items, *o;
	size_t i;

	if (!load_person(req, res, s, &p))
		return;
	if (api_paging(req, res, &limit, &offset) < 0)
		goto out;
	if (volunteer_balance(s, p.id, &b, &f) < 0 || volunteer_ledger_rows(s, p.id, limit, offset, &l, &total, &f) < 0) {
		api_fail(res, &f);
		goto out;
	}
	items = json_array();
	for (i = 0; i < l.n; i++) {
		const struct vol_ledger_row *r = &l.items[i];

		o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I}", "id", (json_int_t)r->id, "seq", (json_int_t)r->seq,
			      "kind", r->kind, "on_day", r->on_day, "minutes", (json_int_t)r->minutes, "points",
			      (json_int_t)r->points, "balance", (json_int_t)r->balance, "served_minutes",
			      (json_int_t)r->served_minutes);
		json_object_set_new(o, "team_id", json_id_or_null(r->team_id));
		json_object_set_new(o, "assignment_id", json_id_or_null(r->assignment_id));
		json_object_set_new(o, "redemption_id", json_id_or_null(r->redemption_id));
		json_object_set_new(o, "reason", json_str_or_null(r->reason));
		json_object_set_new(o, "by_user_id", json_id_or_null(r->by_user_id));
		json_object_set_new(o, "at", json_string(r->at));
		json_array_append_new(items, o);
	}
	volunteer_ledger_release(&l);
	o = json_pack("{s:I, s:s, s:I, s:I, s:o, s:I, s:i, s:i}", "person_id", (json_int_t)p.id, "name", p.name, "points",
		      (json_int_t)b.points, "minutes", (json_int_t)b.minutes, "items", items, "total", (json_int_t)total,
		      "limit", limit, "offset", offset);
	http_reply_json(res, 200, o);
out:
	volunteer_person_release(&p);
}

static const struct api_field adjust_fields[] = {
	{ "points", API_INT, 0, 0, 0 },
	{ "minutes", API_INT, 0, 0, 0 },
	{ "reason", API_STRING, 1, 0, 500 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_vol_adjust(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_person p;
	struct fault f = { 0 };
	int64_t id, points, minutes;
	json_t *body;

	if (!load_person(req, res, s, &p))
		return;
	if ((body = api_body(req, res, adjust_fields))) {
		points = api_int(body, "points", 0);
		minutes = api_int(body, "minutes", 0);
		if (points < -10000000 || points > 10000000)
			http_reply_error(res, 400, "invalid", "points", "points is -10000000 to 10000000");
		else if (minutes < -10000000 || minutes > 10000000)
			http_reply_error(res, 400, "invalid", "minutes", "minutes is -10000000 to 10000000");
		else if (volunteer_adjust(s, p.id, points, minutes, api_str(body, "reason"), actor_user(req), &id, &f) < 0)
			api_fail(res, &f);
		else {
			struct vol_balance b;

			if (volunteer_balance(s, p.id, &b, &f) < 0)
				api_fail(res, &f);
			else
				http_reply_json(res, 201, json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)id, "person_id",
								    (json_int_t)p.id, "points", (json_int_t)b.points,
								    "minutes", (json_int_t)b.minutes));
		}
		json_decref(body);
	}
	volunteer_person_release(&p);
}

/* ---- the points shop ---- */

static void api_vol_item_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_item_list list;
	struct fault f = { 0 };
	int64_t under, total;
	int limit, offset, all;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    (all = api_query_bool(req, res, "all", 0)) < 0 || api_paging(req, res, &limit, &offset) < 0 ||
	    api_scope_under(req, res, &under) < 0)
		return;
	if (volunteer_item_list(s, under, all, limit, offset, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, item_json(&list.items[i]));
	api_reply_list(res, items, total, limit, offset);
	volunteer_item_list_release(&list);
}

static const struct api_field item_fields[] = {
	{ "name", API_STRING, 0, 0, 100 },
	{ "node_id", API_ID, 0, 0, 0 },
	{ "points", API_INT, 0, 0, 0 },
	{ "stock", API_INT, 0, 0, 0 },
	{ "active", API_BOOL, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void item_input_from(json_t *b, struct vol_item_input *in)
{
	int v;

	memset(in, 0, sizeof(*in));
	in->name = api_str(b, "name");
	in->node_id = api_int(b, "node_id", 0);
	v = small_int(b, "points");
	in->points = v == NOT_GIVEN ? -1 : v;
	v = small_int(b, "stock");
	in->stock = v == NOT_GIVEN ? -1 : v;
	in->set_active = api_has(b, "active");
	in->active = json_is_true(json_object_get(b, "active"));
}

static void reply_item(struct http_response *res, struct store *s, int64_t id, int status)
{
	struct vol_item it;
	struct fault f = { 0 };

	if (volunteer_item_get(s, id, &it, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, status, item_json(&it));
	volunteer_item_release(&it);
}

static void api_vol_item_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_item_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, item_fields)))
		return;
	item_input_from(body, &in);
	if (!in.node_id)
		http_reply_error(res, 400, "invalid", "node_id", "node_id is required: the shop's node");
	else if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (volunteer_item_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_item(res, s, id, 201);
	}
	json_decref(body);
}

/* The item of the path's {id}, inside the scope: 1, or 0 after answering. */
static int load_item(struct http_request *req, struct http_response *res, struct store *s, struct vol_item *it)
{
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct fault f = { 0 };

	if (!id)
		return 0;
	if (volunteer_item_get(s, id, it, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, it->node_id)) {
		volunteer_item_release(it);
		return 0;
	}
	return 1;
}

static void api_vol_item_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_item it;
	struct vol_item_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!load_item(req, res, s, &it))
		return;
	if ((body = api_body(req, res, item_fields))) {
		item_input_from(body, &in);
		if (in.node_id)
			http_reply_error(res, 400, "invalid", "node_id", "an item stays in its shop");
		else if (volunteer_item_update(s, it.id, &in, &f) < 0)
			api_fail(res, &f);
		else
			reply_item(res, s, it.id, 200);
		json_decref(body);
	}
	volunteer_item_release(&it);
}

static const struct api_field redeem_fields[] = {
	{ "person_id", API_ID, 0, 0, 0 },
	{ "quantity", API_INT, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_vol_redeem(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_item it;
	struct vol_balance b;
	struct fault f = { 0 };
	int64_t me = 0, person, id;
	int quantity;
	json_t *body;

	if (!load_item(req, res, s, &it))
		return;
	if (!(body = api_body(req, res, redeem_fields)))
		goto out;
	if (actor_person(req, res, s, &me) < 0)
		goto out_body;
	person = api_int(body, "person_id", me);
	quantity = small_int(body, "quantity");
	if (quantity == NOT_GIVEN)
		quantity = 1;
	if (!person)
		http_reply_error(res, 400, "invalid", "person_id", "person_id is required: whose points");
	else if (person != me && !actor_can(api_actor(req), "volunteer.write"))
		http_reply_error(res, 403, "forbidden", "person_id", "a volunteer exchanges their own points");
	else if (person != me && !person_in_scope(req, res, s, person, "person_id"))
		;
	else if (volunteer_redeem(s, it.id, person, quantity, actor_user(req), &id, &f) < 0 ||
		 volunteer_balance(s, person, &b, &f) < 0)
		api_fail(res, &f);
	else
		http_reply_json(res, 201, json_pack("{s:I, s:I, s:I, s:i, s:I, s:I}", "id", (json_int_t)id, "item_id",
						    (json_int_t)it.id, "person_id", (json_int_t)person, "quantity", quantity,
						    "points", (json_int_t)(it.points * quantity), "balance",
						    (json_int_t)b.points));
out_body:
	json_decref(body);
out:
	volunteer_item_release(&it);
}

static void api_vol_redemption_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_redemption_list list;
	struct fault f = { 0 };
	int64_t under, person, total, me = 0;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_query_int(req, res, "person_id", 1, INT64_MAX, 0, &person) < 0 ||
	    api_paging(req, res, &limit, &offset) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	if (!volunteer_sees_all(api_actor(req))) {
		if (actor_person(req, res, s, &me) < 0)
			return;
		if (!me || (person && person != me)) {
			api_reply_list(res, json_array(), 0, limit, offset);
			return;
		}
		person = me;
	}
	if (volunteer_redemptions(s, under, person, limit, offset, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++) {
		const struct vol_redemption *r = &list.items[i];

		json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:I, s:I, s:s, s:I, s:I, s:o, s:s}", "id",
						       (json_int_t)r->id, "item_id", (json_int_t)r->item_id, "item_name",
						       r->item_name, "node_id", (json_int_t)r->node_id, "person_id",
						       (json_int_t)r->person_id, "person_name", r->person_name, "quantity",
						       (json_int_t)r->quantity, "points", (json_int_t)r->points, "by_user_id",
						       json_id_or_null(r->by_user_id), "at", r->at));
	}
	api_reply_list(res, items, total, limit, offset);
	volunteer_redemption_list_release(&list);
}

/* ---- patrol logs ---- */

static json_t *patrol_json(const struct vol_patrol *p)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:o, s:s, s:o}", "id", (json_int_t)p->id, "team_id",
			      (json_int_t)p->team_id, "team_name", p->team_name, "node_id", (json_int_t)p->node_id,
			      "shift_id", json_id_or_null(p->shift_id), "route", p->route, "seen", json_str_or_null(p->seen));
	json_t *people = json_array(), *incidents = json_array();
	size_t i;

	json_object_set_new(o, "started_at", json_time_or_null(p->started_at));
	json_object_set_new(o, "ended_at", json_time_or_null(p->ended_at));
	json_object_set_new(o, "by_user_id", json_id_or_null(p->by_user_id));
	for (i = 0; i < p->npersons; i++)
		json_array_append_new(people, json_pack("{s:I, s:s}", "person_id", (json_int_t)p->person_ids[i], "name",
							p->person_names[i]));
	for (i = 0; i < p->nincidents; i++) {
		const struct vol_incident *x = &p->incidents[i];

		json_array_append_new(incidents, json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)x->id,
							   "node_id", (json_int_t)x->node_id, "description", x->description,
							   "upload_id", json_id_or_null(x->upload_id), "work_order_id",
							   json_id_or_null(x->work_order_id), "work_order_number",
							   json_str_or_null(x->work_order_number), "work_order_state",
							   json_str_or_null(x->work_order_state)));
	}
	json_object_set_new(o, "people", people);
	json_object_set_new(o, "incidents", incidents);
	return o;
}

/* The patrol of an id and its team (as load_team); 1, or 0 after answering. */
static int load_patrol(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
		       struct vol_patrol *p, enum vol_part *part)
{
	struct vol_team t;
	struct fault f = { 0 };

	if (!id)
		return 0;
	if (volunteer_patrol_get(s, id, p, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, p->node_id) || !load_team(req, res, s, p->team_id, &t, part, NULL)) {
		volunteer_patrol_release(p);
		return 0;
	}
	volunteer_team_release(&t);
	return 1;
}

static void reply_patrol(struct http_response *res, struct store *s, int64_t id, int status)
{
	struct vol_patrol p;
	struct fault f = { 0 };

	if (volunteer_patrol_get(s, id, &p, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, status, patrol_json(&p));
	volunteer_patrol_release(&p);
}

static void api_vol_patrol_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_patrol_list list;
	struct fault f = { 0 };
	int64_t under, team, total, person = 0;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_query_int(req, res, "team_id", 1, INT64_MAX, 0, &team) < 0 || api_paging(req, res, &limit, &offset) < 0 ||
	    api_scope_under(req, res, &under) < 0)
		return;
	if (!volunteer_sees_all(api_actor(req))) {
		if (actor_person(req, res, s, &person) < 0)
			return;
		if (!person) {
			api_reply_list(res, json_array(), 0, limit, offset);
			return;
		}
	}
	if (volunteer_patrol_list(s, under, team, person, limit, offset, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, patrol_json(&list.items[i]));
	api_reply_list(res, items, total, limit, offset);
	volunteer_patrol_list_release(&list);
}

static const struct api_field patrol_fields[] = {
	{ "route", API_STRING, 1, 0, 200 },
	{ "started_at", API_STRING, 1, 0, 40 },
	{ "ended_at", API_STRING, 1, 0, 40 },
	{ "seen", API_STRING, 0, 0, 2000 },
	{ "shift_id", API_ID, 0, 0, 0 },
	{ "person_ids", API_ID_ARRAY, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_vol_patrol_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_team t;
	struct vol_patrol_input in;
	struct fault f = { 0 };
	enum vol_part part;
	int64_t *people = NULL, id;
	json_t *body, *arr, *v;
	size_t i;

	if (!load_team_of_path(req, res, s, &t, &part, NULL))
		return;
	if ((body = api_body(req, res, patrol_fields))) {
		memset(&in, 0, sizeof(in));
		in.route = api_str(body, "route");
		in.started_at = api_str(body, "started_at");
		in.ended_at = api_str(body, "ended_at");
		in.seen = api_str(body, "seen");
		in.shift_id = api_int(body, "shift_id", 0);
		arr = json_object_get(body, "person_ids");
		in.npersons = json_array_size(arr);
		people = xcalloc(in.npersons + 1, sizeof(*people));
		json_array_foreach(arr, i, v)
			people[i] = (int64_t)json_integer_value(v);
		in.person_ids = people;
		if (need_part(res, part, VOL_PART_MEMBER, "only the team's members log its patrols")) {
			if (volunteer_patrol_create(s, &t, &in, actor_user(req), now_s(), &id, &f) < 0)
				api_fail(res, &f);
			else
				reply_patrol(res, s, id, 201);
		}
		free(people);
		json_decref(body);
	}
	volunteer_team_release(&t);
}

static void api_vol_patrol_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct vol_patrol p;

	if (!load_patrol(req, res, s, id, &p, NULL))
		return;
	http_reply_json(res, 200, patrol_json(&p));
	volunteer_patrol_release(&p);
}

static const struct api_field incident_fields[] = {
	{ "description", API_STRING, 1, 0, 1000 },
	{ "node_id", API_ID, 1, 0, 0 },
	{ "upload_id", API_ID, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_vol_incident_add(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, iid;
	struct vol_patrol p;
	struct vol_incident_input in;
	struct fault f = { 0 };
	enum vol_part part;
	json_t *body;

	if (!load_patrol(req, res, s, id, &p, &part))
		return;
	if ((body = api_body(req, res, incident_fields))) {
		memset(&in, 0, sizeof(in));
		in.description = api_str(body, "description");
		in.node_id = api_int(body, "node_id", 0);
		in.upload_id = api_int(body, "upload_id", 0);
		if (need_part(res, part, VOL_PART_MEMBER, "only the team's members log its patrols") &&
		    api_scope_target(req, res, in.node_id, "node_id")) {
			if (volunteer_incident_add(s, &p, &in, &iid, &f) < 0)
				api_fail(res, &f);
			else
				reply_patrol(res, s, p.id, 201);
		}
		json_decref(body);
	}
	volunteer_patrol_release(&p);
}

static const struct api_field incident_order_fields[] = {
	{ "category_id", API_ID, 0, 0, 0 },
	{ "type", API_STRING, 0, 0, 20 },
	{ "urgency", API_STRING, 0, 0, 20 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_vol_incident_order(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, team, order;
	struct vol_incident inc;
	struct vol_patrol p;
	struct fault f = { 0 };
	enum vol_part part;
	json_t *body;

	if (!id)
		return;
	if (volunteer_incident_get(s, id, &inc, &team, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (!load_patrol(req, res, s, inc.patrol_id, &p, &part)) {
		volunteer_incident_release(&inc);
		return;
	}
	volunteer_patrol_release(&p);
	if ((body = api_body(req, res, incident_order_fields))) {
		if (need_part(res, part, VOL_PART_MEMBER, "only the team's members and staff report its incidents")) {
			if (volunteer_incident_order(s, api_actor(req), id, api_int(body, "category_id", 0),
						     api_str(body, "type"), api_str(body, "urgency"), 0, &order, &f) < 0)
				api_fail(res, &f);
			else
				reply_patrol(res, s, inc.patrol_id, 201);
		}
		json_decref(body);
	}
	volunteer_incident_release(&inc);
}

/* ---- figures ---- */

static json_t *rate_json(int64_t part, int64_t whole)
{
	/* tenths of a percent, rounded half up, by integer arithmetic */
	return whole ? json_real((double)((part * 1000 + whole / 2) / whole) / 10) : json_null();
}

static void api_vol_figures(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct vol_figures fg;
	struct fault f = { 0 };
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	char today[11], first[11];
	int64_t under;
	json_t *o, *a;
	size_t i;

	date_today_local(today);
	snprintf(first, sizeof(first), "%.4s-01-01", today);
	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	if (volunteer_figures(s, under, from ? from : first, to ? to : today, &fg, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	o = json_pack("{s:s, s:s}", "from", fg.from, "to", fg.to);
	json_object_set_new(o, "shifts", json_pack("{s:I, s:I, s:I, s:o}", "closed", (json_int_t)fg.shifts, "places_needed",
						   (json_int_t)fg.people, "places_taken", (json_int_t)fg.filled,
						   "fill_percent", rate_json(fg.filled, fg.people)));
	json_object_set_new(o, "attendance", json_pack("{s:I, s:I, s:I, s:I, s:o}", "places", (json_int_t)fg.places,
						       "present", (json_int_t)fg.present, "late", (json_int_t)fg.late,
						       "no_show", (json_int_t)fg.no_show, "no_show_percent",
						       rate_json(fg.no_show, fg.places)));
	json_object_set_new(o, "served", json_pack("{s:I, s:I, s:I, s:I}", "minutes", (json_int_t)fg.minutes, "points",
						   (json_int_t)fg.points, "redeemed", (json_int_t)fg.redeemed, "volunteers",
						   (json_int_t)fg.active));
	json_object_set_new(o, "patrols", json_pack("{s:I, s:I, s:I, s:I}", "patrols", (json_int_t)fg.patrols, "incidents",
						    (json_int_t)fg.incidents, "work_orders", (json_int_t)fg.orders,
						    "work_orders_closed", (json_int_t)fg.orders_closed));
	a = json_array();
	for (i = 0; i < fg.nteams; i++) {
		const struct vol_fig_team *t = &fg.teams[i];

		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:o}", "team_id", (json_int_t)t->team_id,
						   "name", t->name, "kind", t->kind, "minutes", (json_int_t)t->minutes,
						   "points", (json_int_t)t->points, "shifts", (json_int_t)t->shifts,
						   "fill_percent", rate_json(t->filled, t->people)));
	}
	json_object_set_new(o, "teams", a);
	a = json_array();
	for (i = 0; i < fg.nmonths; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:I}", "month", fg.months[i].key, "minutes",
						   (json_int_t)fg.months[i].minutes, "points", (json_int_t)fg.months[i].points,
						   "volunteers", (json_int_t)fg.months[i].count));
	json_object_set_new(o, "months", a);
	a = json_array();
	/* names and hours of others are for those who see everything of the scope */
	for (i = 0; volunteer_sees_all(api_actor(req)) && i < fg.npersons; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:I, s:I}", "person_id", (json_int_t)fg.persons[i].id, "name",
						   fg.persons[i].name, "minutes", (json_int_t)fg.persons[i].minutes,
						   "points", (json_int_t)fg.persons[i].points));
	json_object_set_new(o, "persons", a);
	a = json_array();
	for (i = 0; i < fg.ncourtyards; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:I, s:I, s:o}", "node_id", (json_int_t)fg.courtyards[i].id,
						   "name", fg.courtyards[i].name, "volunteers",
						   (json_int_t)fg.courtyards[i].count, "residents",
						   (json_int_t)fg.courtyards[i].total,
						   "share_percent", rate_json(fg.courtyards[i].count, fg.courtyards[i].total)));
	json_object_set_new(o, "courtyards", a);
	volunteer_figures_release(&fg);
	http_reply_json(res, 200, o);
}

const struct http_route api_volunteer_routes[] = {
	{ "GET", "/api/v1/volunteer-teams", api_vol_team_list, "volunteer.read",
	  "volunteer teams of one's scope (?under, ?kind, ?all with the inactive); a volunteer: their own teams" },
	{ "POST", "/api/v1/volunteer-teams", api_vol_team_create, "volunteer.write",
	  "a team on a subdistrict, community or courtyard: name, kind, leader, weekly limit, give-up cut-off" },
	{ "GET", "/api/v1/volunteer-teams/{id}", api_vol_team_get, "volunteer.read",
	  "one team with its members today, its shift types and the part the caller plays" },
	{ "PATCH", "/api/v1/volunteer-teams/{id}", api_vol_team_update, "volunteer.write",
	  "change a team's name, kind, leader, limits or description, or retire it" },
	{ "POST", "/api/v1/volunteer-teams/{id}/members", api_vol_member_add, "volunteer.write",
	  "a person of the team's subdistrict joins on a day" },
	{ "PATCH", "/api/v1/volunteer-members/{id}", api_vol_member_update, "volunteer.write",
	  "a member leaves on a day ({left_on}); their shifts from then on are withdrawn" },
	{ "POST", "/api/v1/volunteer-teams/{id}/shift-types", api_vol_type_create, "volunteer.write",
	  "a kind of duty: default length, people, party members needed, points per hour, place" },
	{ "PATCH", "/api/v1/volunteer-shift-types/{id}", api_vol_type_update, "volunteer.write",
	  "change a shift type (shifts already planned keep theirs)" },
	{ "POST", "/api/v1/volunteer-teams/{id}/shifts", api_vol_shift_create, "volunteer.act",
	  "a shift of a type at a time and place (the team's leader or staff)" },
	{ "POST", "/api/v1/volunteer-teams/{id}/shift-series", api_vol_series_create, "volunteer.act",
	  "shifts by a repeat rule: weekdays from a day until a day, start and end (the leader or staff)" },
	{ "GET", "/api/v1/volunteer-shifts", api_vol_shift_list, "volunteer.read",
	  "shifts (?under, ?team_id, ?from, ?to days, ?state, ?short, ?mine) with who is on each; a volunteer: their teams'" },
	{ "GET", "/api/v1/volunteer-shifts/{id}", api_vol_shift_get, "volunteer.read",
	  "one shift with every place taken on it, attendance and minutes" },
	{ "PATCH", "/api/v1/volunteer-shifts/{id}", api_vol_shift_update, "volunteer.act",
	  "a shift's place, note or people, or {state: cancelled} (the leader or staff)" },
	{ "POST", "/api/v1/volunteer-shifts/{id}/signups", api_vol_signup, "volunteer.act",
	  "sign up (oneself) or assign (the leader, {person_id}) under the conflict rules" },
	{ "POST", "/api/v1/volunteer-shifts/{id}/actions", api_vol_shift_act, "volunteer.act",
	  "give_up, swap (to_person_id), check_in, check_out (the leader may give at), confirm (minutes: the leader)" },
	{ "GET", "/api/v1/volunteer-me", api_vol_me, "volunteer.read",
	  "my shifts: the caller's person, teams, places to come and served, open shifts of their teams, balance" },
	{ "POST", "/api/v1/volunteer-me/ical-token", api_vol_ical_token, "volunteer.act",
	  "a new personal calendar feed token (shown once; the old one stops working)" },
	{ "GET", "/api/v1/volunteer-ical/{token}.ics", api_vol_ical, "public",
	  "the shifts of a personal token as an iCalendar feed (RFC 5545)" },
	{ "GET", "/api/v1/volunteers/{id}/ledger", api_vol_ledger, "volunteer.read",
	  "a person's hours and points: balance and rows, newest first (a volunteer: their own)" },
	{ "POST", "/api/v1/volunteers/{id}/adjustments", api_vol_adjust, "volunteer.write",
	  "adjust a person's points or minutes with a reason (never below zero)" },
	{ "GET", "/api/v1/volunteer-shop-items", api_vol_item_list, "volunteer.read",
	  "the points shops' items of one's scope (?under, ?all with those withdrawn)" },
	{ "POST", "/api/v1/volunteer-shop-items", api_vol_item_create, "volunteer.write",
	  "an item in a node's points shop: name, price in points, stock" },
	{ "PATCH", "/api/v1/volunteer-shop-items/{id}", api_vol_item_update, "volunteer.write",
	  "change an item's name, price, stock, or withdraw it" },
	{ "POST", "/api/v1/volunteer-shop-items/{id}/redeem", api_vol_redeem, "volunteer.act",
	  "exchange points for an item (oneself; staff for a person): stock and balance checked, all or nothing" },
	{ "GET", "/api/v1/volunteer-redemptions", api_vol_redemption_list, "volunteer.read",
	  "exchanges at the points shops of one's scope (?under, ?person_id); a volunteer: their own" },
	{ "GET", "/api/v1/volunteer-patrols", api_vol_patrol_list, "volunteer.read",
	  "patrol logs of one's scope (?under, ?team_id), newest first, with who went and the incidents; a volunteer: their teams'" },
	{ "POST", "/api/v1/volunteer-teams/{id}/patrols", api_vol_patrol_create, "volunteer.act",
	  "log a patrol: route, started_at, ended_at, seen, the members who went (person_ids), the shift" },
	{ "GET", "/api/v1/volunteer-patrols/{id}", api_vol_patrol_get, "volunteer.read",
	  "one patrol with who went, what was seen and its incidents with the work orders they became" },
	{ "POST", "/api/v1/volunteer-patrols/{id}/incidents", api_vol_incident_add, "volunteer.act",
	  "an incident seen on the patrol: description, the place (node_id), a photo (upload_id)" },
	{ "POST", "/api/v1/volunteer-patrol-incidents/{id}/work-order", api_vol_incident_order, "volunteer.act",
	  "the incident becomes a work order in one step (category_id, else 治安; type, urgency): place and photo carried over" },
	{ "GET", "/api/v1/volunteer-figures", api_vol_figures, "volunteer.read",
	  "figures under ?under for ?from..?to: fill and no-show rates, hours and points by team, month and person,"
	  " active volunteers per courtyard, patrol incidents and their work orders" },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
