/*
 * api_council.c - courtyard councils (小区议事会, issue 17) under /api/v1: the
 * councils with their members and the courtyard's parties, meetings with
 * attendance, quorum and minutes, proposals with supports, votes and results,
 * resolutions (time nodes; a work order spawned from one), the notice board,
 * the figures, and the public courtyard board (no login) (src/council/).
 *
 * Every handler takes the same steps in the same order, so that the answers
 * agree with the authorisation matrix: the path's object (404), the scope of
 * its council's place (404: existence does not leak), the body (400 naming
 * the field), then who acts: staff holding council.write act for any member
 * (naming member_id); an actor holding only council.act (a council member
 * with a login) acts only as their own seat, and closes only resolutions they
 * own (403 otherwise).  Writes are audited and run in one transaction by the
 * guard: a refusal leaves nothing written.
 *
 * Personal data: members' and parties' phones are shown masked; the public
 * board shows no phone, ID number, address or proposer at all — only
 * published notices, the council's members by name and seat, and results.
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "auth/auth.h"
#include "auth/pii.h"
#include "council/council.h"
#include "org/org.h"
#include "workorder/workorder.h"

#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static json_t *masked_phone(const char *phone)
{
	char *m;
	json_t *o;

	if (!phone)
		return json_null();
	m = pii_mask_phone(phone);
	o = json_string(m);
	free(m);
	return o;
}

static json_t *council_json(const struct council *c)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:i, s:s, s:o, s:I, s:s, s:s}", "id", (json_int_t)c->id,
			 "node_id", (json_int_t)c->node_id, "subdistrict_id", (json_int_t)c->subdistrict_id, "name", c->name,
			 "term_start", c->term_start, "term_end", c->term_end, "quorum_percent", c->quorum_percent,
			 "pass_rule", c->pass_rule, "convenor_user_id", json_id_or_null(c->convenor_user_id), "members",
			 (json_int_t)c->members, "created_at", c->created_at, "updated_at", c->updated_at);
}

static json_t *member_json(const struct council_member *m)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:o}", "id", (json_int_t)m->id, "name", m->name, "seat",
			 m->seat, "person_id", json_id_or_null(m->person_id), "user_id", json_id_or_null(m->user_id), "phone",
			 masked_phone(m->phone), "joined_on", m->joined_on, "left_on",
			 json_str_or_null(m->left_on[0] ? m->left_on : NULL));
}

static json_t *meeting_json(const struct council_meeting *m, int64_t node_id)
{
	json_t *agenda = json_array(), *att = json_array(), *o;
	size_t i;

	for (i = 0; i < m->nagenda; i++)
		json_array_append_new(agenda, json_string(m->agenda[i]));
	for (i = 0; i < m->nattendance; i++)
		json_array_append_new(att, json_pack("{s:I, s:s, s:o}", "member_id", (json_int_t)m->attendance[i].member_id,
						     "status", m->attendance[i].status, "proxy_member_id",
						     json_id_or_null(m->attendance[i].proxy_member_id)));
	o = json_pack("{s:I, s:I, s:I, s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)m->id, "council_id",
		      (json_int_t)m->council_id, "node_id", (json_int_t)node_id, "held_on", m->held_on, "place",
		      json_str_or_null(m->place), "status", m->status, "minutes", json_str_or_null(m->minutes), "closed_at",
		      json_str_or_null(m->closed_at), "agenda", agenda, "attendance", att);
	json_object_set_new(o, "quorum", json_pack("{s:I, s:I, s:I, s:b}", "members", (json_int_t)m->members, "present",
						   (json_int_t)m->present, "needed", (json_int_t)m->quorum_needed, "met",
						   m->quorum_met));
	return o;
}

static json_t *proposal_json(const struct council_proposal *p, int64_t node_id)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:o, s:s, s:o, s:o, s:s, s:o, s:o}", "id", (json_int_t)p->id,
			      "council_id", (json_int_t)p->council_id, "node_id", (json_int_t)node_id, "title", p->title,
			      "body", json_str_or_null(p->body), "source", p->source, "proposer_name",
			      json_str_or_null(p->proposer_name), "proposer_member_id", json_id_or_null(p->proposer_member_id),
			      "status", p->status, "meeting_id", json_id_or_null(p->meeting_id), "vote_closes_on",
			      json_str_or_null(p->vote_closes_on[0] ? p->vote_closes_on : NULL));

	json_object_set_new(o, "supports", json_integer(p->supports));
	json_object_set_new(o, "votes", json_integer(p->votes));
	json_object_set_new(o, "result", p->has_result
			    ? json_pack("{s:I, s:I, s:I, s:I}", "yes", (json_int_t)p->tally.yes, "no", (json_int_t)p->tally.no,
					"abstain", (json_int_t)p->tally.abstain, "eligible", (json_int_t)p->tally.eligible)
			    : json_null());
	json_object_set_new(o, "decided_at", json_str_or_null(p->decided_at));
	json_object_set_new(o, "created_at", json_string(p->created_at));
	return o;
}

static json_t *resolution_json(const struct council_resolution *r, int64_t node_id)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)r->id,
			      "council_id", (json_int_t)r->council_id, "proposal_id", (json_int_t)r->proposal_id, "node_id",
			      (json_int_t)node_id, "content", r->content, "owner_user_id", (json_int_t)r->owner_user_id,
			      "assigned_on", r->assigned_on, "due_on", r->due_on, "status", r->status, "evidence",
			      json_str_or_null(r->evidence), "done_at", json_str_or_null(r->done_at));

	json_object_set_new(o, "work_order_id", json_id_or_null(r->work_order_id));
	json_object_set_new(o, "deadline", json_time_or_null(r->deadline));
	json_object_set_new(o, "card", json_string(r->card[0] ? r->card : "none"));
	return o;
}

static json_t *notice_json(const struct notice *n)
{
	return json_pack("{s:I, s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "id", (json_int_t)n->id, "node_id",
			 (json_int_t)n->node_id, "node_name", json_str_or_null(n->node_name), "title", n->title, "body",
			 n->body, "category", n->category, "starts_on", n->starts_on, "ends_on", n->ends_on, "status",
			 n->status, "published_at", json_str_or_null(n->published_at), "created_at", n->created_at);
}

/* The steps every handler shares. */

static int64_t actor_user(struct http_request *req)
{
	const struct actor *a = api_actor(req);

	return a ? a->user_id : 0;
}

static int is_staff(struct http_request *req)
{
	const struct actor *a = api_actor(req);

	return a && actor_can(a, "council.write");
}

/* The council {id}, inside the scope; 0 after answering. */
static int load_council(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			struct council *c)
{
	struct fault f = { 0 };

	if (!s || !id)
		return 0;
	if (council_get(s, id, c, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, c->node_id)) {
		council_release(c);
		return 0;
	}
	return 1;
}

/* A council's node when it is inside the scope: the node, or 0 after answering. */
static int64_t council_node(struct http_request *req, struct http_response *res, struct store *s, int64_t council_id)
{
	struct council c;
	int64_t node;

	if (!load_council(req, res, s, council_id, &c))
		return 0;
	node = c.node_id;
	council_release(&c);
	return node;
}

/*
 * The member the actor acts as: staff name one (member_id, required unless
 * optional); a council member with only council.act is their own seat (403
 * when they have none, or name another).  0 after answering; *member 0 when
 * optional and none named by staff.
 */
static int acting_member(struct http_request *req, struct http_response *res, struct store *s, int64_t council_id,
			 int64_t named, int optional, int64_t *member)
{
	struct fault f = { 0 };
	int64_t own;

	*member = 0;
	if (is_staff(req)) {
		if (!named && !optional) {
			http_reply_error(res, 400, "invalid", "member_id", "member_id is required: which member");
			return 0;
		}
		*member = named;
		return 1;
	}
	if (council_member_of_user(s, council_id, actor_user(req), &own, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!own || (named && named != own)) {
		http_reply_error(res, 403, "forbidden", "member_id", "%s",
				 own ? "a council member acts only as themselves" : "you hold no seat on this council");
		return 0;
	}
	*member = own;
	return 1;
}

/* Councils. */

static const struct api_field council_fields[] = {
	{ "node_id", API_ID, 0, 0, 0 },
	{ "name", API_STRING, 0, 0, 100 },
	{ "term_start", API_DATE, 0, 0, 0 },
	{ "term_end", API_DATE, 0, 0, 0 },
	{ "quorum_percent", API_INT, 0, 0, 0 },
	{ "pass_rule", API_STRING, 0, 0, 20 },
	{ "convenor_user_id", API_ID, 0, 1, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void council_input_from(json_t *b, struct council_input *in)
{
	int64_t q = api_int(b, "quorum_percent", 0);

	memset(in, 0, sizeof(*in));
	in->node_id = api_int(b, "node_id", 0);
	in->name = api_str(b, "name");
	in->term_start = api_str(b, "term_start");
	in->term_end = api_str(b, "term_end");
	in->pass_rule = api_str(b, "pass_rule");
	/* out of range: a value the domain refuses, never one wrapped into range */
	in->quorum_percent = api_has(b, "quorum_percent") ? (q < 1 || q > 100 ? -1 : (int)q) : 0;
	in->set_convenor = api_has(b, "convenor_user_id");
	in->convenor_user_id = api_int(b, "convenor_user_id", 0);
}

static void reply_council(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct council c;
	struct council_member_list ml;
	struct courtyard_party_list pl;
	struct fault f = { 0 };
	json_t *o, *a;
	size_t i;

	if (!load_council(req, res, s, id, &c))
		return;
	if (council_members(s, id, 1, &ml, &f) < 0) {
		council_release(&c);
		api_fail(res, &f);
		return;
	}
	if (courtyard_parties(s, c.node_id, &pl, &f) < 0) {
		council_member_list_release(&ml);
		council_release(&c);
		api_fail(res, &f);
		return;
	}
	o = council_json(&c);
	council_release(&c);
	a = json_array();
	for (i = 0; i < ml.n; i++)
		json_array_append_new(a, member_json(&ml.items[i]));
	json_object_set_new(o, "member_list", a);
	a = json_array();
	for (i = 0; i < pl.n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)pl.items[i].id, "kind",
						   pl.items[i].kind, "name", pl.items[i].name, "contact_name",
						   json_str_or_null(pl.items[i].contact_name), "contact_phone",
						   masked_phone(pl.items[i].contact_phone)));
	json_object_set_new(o, "parties", a);
	council_member_list_release(&ml);
	courtyard_party_list_release(&pl);
	http_reply_json(res, status, o);
}

static void api_council_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct council_list list;
	struct fault f = { 0 };
	int64_t under, total;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_paging(req, res, &limit, &offset) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	if (council_list(s, under, limit, offset, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, council_json(&list.items[i]));
	api_reply_list(res, items, total, limit, offset);
	council_list_release(&list);
}

static void api_council_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct council_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, council_fields)))
		return;
	council_input_from(body, &in);
	if (!in.node_id)
		http_reply_error(res, 400, "invalid", "node_id", "node_id is required: the courtyard or community");
	else if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (council_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_council(req, res, s, id, 201);
	}
	json_decref(body);
}

static void api_council_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_council(req, res, s, id, 200);
}

static void api_council_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct council_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!council_node(req, res, s, id) || !(body = api_body(req, res, council_fields)))
		return;
	council_input_from(body, &in);
	if (in.node_id)
		http_reply_error(res, 400, "invalid", "node_id", "a council's place is fixed");
	else if (council_update(s, id, &in, &f) < 0)
		api_fail(res, &f);
	else
		reply_council(req, res, s, id, 200);
	json_decref(body);
}

static const struct api_field member_fields[] = {
	{ "name", API_STRING, 1, 0, 100 },
	{ "seat", API_STRING, 1, 0, 20 },
	{ "phone", API_STRING, 0, 1, 30 },
	{ "joined_on", API_DATE, 1, 0, 0 },
	{ "person_id", API_ID, 0, 1, 0 },
	{ "user_id", API_ID, 0, 1, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_member_add(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, mid;
	struct council_member_input in = { 0 };
	struct fault f = { 0 };
	json_t *body;

	if (!council_node(req, res, s, id) || !(body = api_body(req, res, member_fields)))
		return;
	in.name = api_str(body, "name");
	in.seat = api_str(body, "seat");
	in.phone = api_str(body, "phone");
	in.joined_on = api_str(body, "joined_on");
	in.person_id = api_int(body, "person_id", 0);
	in.user_id = api_int(body, "user_id", 0);
	if (council_member_add(s, id, &in, &mid, &f) < 0)
		api_fail(res, &f);
	else
		reply_council(req, res, s, id, 201);
	json_decref(body);
}

static const struct api_field departure_fields[] = {
	{ "member_id", API_ID, 1, 0, 0 },
	{ "left_on", API_DATE, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_departure(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct fault f = { 0 };
	json_t *body;

	if (!council_node(req, res, s, id) || !(body = api_body(req, res, departure_fields)))
		return;
	if (council_member_leave(s, id, api_int(body, "member_id", 0), api_str(body, "left_on"), &f) < 0)
		api_fail(res, &f);
	else
		reply_council(req, res, s, id, 200);
	json_decref(body);
}

static const struct api_field party_fields[] = {
	{ "node_id", API_ID, 1, 0, 0 },
	{ "kind", API_STRING, 1, 0, 20 },
	{ "name", API_STRING, 1, 0, 100 },
	{ "contact_name", API_STRING, 0, 1, 100 },
	{ "contact_phone", API_STRING, 0, 1, 30 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_courtyard_party_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	json_t *body;
	int64_t node, id;

	if (!s || !(body = api_body(req, res, party_fields)))
		return;
	node = api_int(body, "node_id", 0);
	if (api_scope_target(req, res, node, "node_id")) {
		if (courtyard_party_add(s, node, api_str(body, "kind"), api_str(body, "name"), api_str(body, "contact_name"),
					api_str(body, "contact_phone"), &id, &f) < 0)
			api_fail(res, &f);
		else
			http_reply_json(res, 201, json_pack("{s:I, s:I}", "id", (json_int_t)id, "node_id", (json_int_t)node));
	}
	json_decref(body);
}

/* Meetings. */

static void reply_meeting(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct council_meeting m;
	struct fault f = { 0 };
	int64_t node;

	if (council_meeting_get(s, id, &m, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if ((node = council_node(req, res, s, m.council_id)))
		http_reply_json(res, status, meeting_json(&m, node));
	council_meeting_release(&m);
}

/* The meeting {id} inside the scope: its council's id, or 0 after answering. */
static int64_t meeting_in_scope(struct http_request *req, struct http_response *res, struct store *s, int64_t id)
{
	struct council_meeting m;
	struct fault f = { 0 };
	int64_t council;

	if (!s || !id)
		return 0;
	if (council_meeting_get(s, id, &m, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	council = m.council_id;
	council_meeting_release(&m);
	return council_node(req, res, s, council) ? council : 0;
}

static void api_council_meeting_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, node;
	struct council_meeting_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!(node = council_node(req, res, s, id)))
		return;
	if (council_meetings(s, id, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, meeting_json(&list.items[i], node));
	api_reply_list(res, items, (int64_t)list.n, (int)list.n, 0);
	council_meeting_list_release(&list);
}

static const struct api_field meeting_fields[] = {
	{ "held_on", API_DATE, 1, 0, 0 },
	{ "place", API_STRING, 0, 1, 200 },
	{ "agenda", API_STRING_ARRAY, 0, 0, 200 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_meeting_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, mid;
	struct council_meeting_input in = { 0 };
	struct fault f = { 0 };
	const char **agenda = NULL;
	json_t *body, *arr, *e;
	size_t i;

	if (!council_node(req, res, s, id) || !(body = api_body(req, res, meeting_fields)))
		return;
	in.held_on = api_str(body, "held_on");
	in.place = api_str(body, "place");
	if ((arr = json_object_get(body, "agenda"))) {
		agenda = xcalloc(json_array_size(arr) + 1, sizeof(*agenda));
		json_array_foreach(arr, i, e)
			agenda[i] = json_string_value(e);
		in.agenda = agenda;
		in.nagenda = json_array_size(arr);
	}
	if (council_meeting_create(s, id, &in, &mid, &f) < 0)
		api_fail(res, &f);
	else
		reply_meeting(req, res, s, mid, 201);
	free(agenda);
	json_decref(body);
}

static void api_council_meeting_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_meeting(req, res, s, id, 200);
}

static const struct api_field attendance_fields[] = {
	{ "present", API_ID_ARRAY, 0, 0, 0 },
	{ "absent", API_ID_ARRAY, 0, 0, 0 },
	{ "proxy", API_ID_ARRAY, 0, 0, 0 },
	{ "proxy_holders", API_ID_ARRAY, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_meeting_attend(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct council_attendance *rows = NULL;
	static const char *const statuses[] = { "present", "absent", "proxy" };
	struct fault f = { 0 };
	json_t *body, *arr, *holders, *e;
	size_t i, n = 0, k, cap = 0;

	if (!meeting_in_scope(req, res, s, id) || !(body = api_body(req, res, attendance_fields)))
		return;
	holders = json_object_get(body, "proxy_holders");
	arr = json_object_get(body, "proxy");
	if (json_array_size(holders) != json_array_size(arr)) {
		http_reply_error(res, 400, "invalid", "proxy_holders",
				 "proxy_holders names, for each member in proxy, the member who holds their proxy");
		json_decref(body);
		return;
	}
	for (k = 0; k < 3; k++) {
		arr = json_object_get(body, statuses[k]);
		json_array_foreach(arr, i, e) {
			YL_GROW(rows, n, cap);
			memset(&rows[n], 0, sizeof(rows[n]));
			rows[n].member_id = (int64_t)json_integer_value(e);
			snprintf(rows[n].status, sizeof(rows[n].status), "%s", statuses[k]);
			if (k == 2)
				rows[n].proxy_member_id = (int64_t)json_integer_value(json_array_get(holders, i));
			n++;
		}
	}
	if (council_meeting_attend(s, id, rows, n, &f) < 0)
		api_fail(res, &f);
	else
		reply_meeting(req, res, s, id, 200);
	free(rows);
	json_decref(body);
}

static const struct api_field close_fields[] = {
	{ "minutes", API_STRING, 0, 0, 20000 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_meeting_close(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct fault f = { 0 };
	json_t *body;

	if (!meeting_in_scope(req, res, s, id) || !(body = api_body(req, res, close_fields)))
		return;
	if (council_meeting_close(s, id, api_str(body, "minutes"), actor_user(req), &f) < 0)
		api_fail(res, &f);
	else
		reply_meeting(req, res, s, id, 200);
	json_decref(body);
}

/* Proposals. */

/* The proposal {id} inside the scope (*p filled, release it) and its council's node; 0 after answering. */
static int64_t load_proposal(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			     struct council_proposal *p)
{
	struct fault f = { 0 };
	int64_t node;

	if (!s || !id)
		return 0;
	if (council_proposal_get(s, id, p, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!(node = council_node(req, res, s, p->council_id)))
		council_proposal_release(p);
	return node;
}

static void reply_proposal(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct council_proposal p;
	struct council_resolution_list rl;
	struct fault f = { 0 };
	int64_t node;
	json_t *o, *a;
	size_t i;

	if (!(node = load_proposal(req, res, s, id, &p)))
		return;
	o = proposal_json(&p, node);
	council_proposal_release(&p);
	if (council_resolutions(s, id, 0, &rl, &f) < 0) {
		json_decref(o);
		api_fail(res, &f);
		return;
	}
	a = json_array();
	for (i = 0; i < rl.n; i++)
		json_array_append_new(a, resolution_json(&rl.items[i], node));
	json_object_set_new(o, "resolutions", a);
	council_resolution_list_release(&rl);
	http_reply_json(res, status, o);
}

static void api_council_proposal_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, node;
	struct council_proposal_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!(node = council_node(req, res, s, id)))
		return;
	if (council_proposals(s, id, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, proposal_json(&list.items[i], node));
	api_reply_list(res, items, (int64_t)list.n, (int)list.n, 0);
	council_proposal_list_release(&list);
}

static const struct api_field proposal_fields[] = {
	{ "title", API_STRING, 1, 0, 200 },
	{ "body", API_STRING, 0, 1, 5000 },
	{ "source", API_STRING, 0, 0, 20 },
	{ "proposer_name", API_STRING, 0, 1, 100 },
	{ "proposer_member_id", API_ID, 0, 1, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_proposal_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, pid, member = 0;
	struct council_proposal_input in = { 0 };
	struct fault f = { 0 };
	json_t *body;

	if (!council_node(req, res, s, id) || !(body = api_body(req, res, proposal_fields)))
		return;
	in.title = api_str(body, "title");
	in.body = api_str(body, "body");
	in.source = api_str(body, "source");
	in.proposer_name = api_str(body, "proposer_name");
	in.proposer_member_id = api_int(body, "proposer_member_id", 0);
	if (!is_staff(req)) {
		/* a council member proposes as themselves */
		if (!acting_member(req, res, s, id, in.proposer_member_id, 0, &member))
			goto out;
		if (in.source && strcmp(in.source, "member")) {
			http_reply_error(res, 403, "forbidden", "source", "a council member proposes as a member");
			goto out;
		}
		in.source = "member";
		in.proposer_member_id = member;
	} else if (!in.source) {
		in.source = in.proposer_member_id ? "member" : in.proposer_name ? "resident" : "staff";
	}
	if (council_proposal_create(s, id, &in, actor_user(req), &pid, &f) < 0)
		api_fail(res, &f);
	else
		reply_proposal(req, res, s, pid, 201);
out:
	json_decref(body);
}

static void api_council_proposal_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_proposal(req, res, s, id, 200);
}

static const struct api_field support_fields[] = {
	{ "member_id", API_ID, 0, 0, 0 },
	{ "name", API_STRING, 0, 0, 100 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_support(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, member;
	struct council_proposal p;
	struct fault f = { 0 };
	const char *name;
	json_t *body;
	int64_t council;

	if (!load_proposal(req, res, s, id, &p))
		return;
	council = p.council_id;
	council_proposal_release(&p);
	if (!(body = api_body(req, res, support_fields)))
		return;
	name = api_str(body, "name");
	if (acting_member(req, res, s, council, api_int(body, "member_id", 0), name != NULL, &member)) {
		if (member && name && !is_staff(req))
			name = NULL;	/* a member supports under their seat's name */
		if (council_proposal_support(s, id, member, member ? NULL : name, &f) < 0)
			api_fail(res, &f);
		else
			reply_proposal(req, res, s, id, 201);
	}
	json_decref(body);
}

static const struct api_field vote_open_fields[] = {
	{ "meeting_id", API_ID, 0, 0, 0 },
	{ "closes_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_vote_open(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct council_proposal p;
	struct fault f = { 0 };
	json_t *body;

	if (!load_proposal(req, res, s, id, &p))
		return;
	council_proposal_release(&p);
	if (!(body = api_body(req, res, vote_open_fields)))
		return;
	if (council_proposal_open_vote(s, id, api_int(body, "meeting_id", 0), api_str(body, "closes_on"), &f) < 0)
		api_fail(res, &f);
	else
		reply_proposal(req, res, s, id, 200);
	json_decref(body);
}

static const struct api_field vote_fields[] = {
	{ "member_id", API_ID, 0, 0, 0 },
	{ "choice", API_STRING, 1, 0, 10 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_vote(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, member, council;
	struct council_proposal p;
	struct fault f = { 0 };
	json_t *body;

	if (!load_proposal(req, res, s, id, &p))
		return;
	council = p.council_id;
	council_proposal_release(&p);
	if (!(body = api_body(req, res, vote_fields)))
		return;
	if (acting_member(req, res, s, council, api_int(body, "member_id", 0), 0, &member)) {
		if (council_vote(s, id, member, api_str(body, "choice"), actor_user(req), &f) < 0)
			api_fail(res, &f);
		else
			reply_proposal(req, res, s, id, 201);
	}
	json_decref(body);
}

static const struct api_field result_fields[] = {
	{ "yes", API_INT, 0, 0, 0 },
	{ "no", API_INT, 0, 0, 0 },
	{ "abstain", API_INT, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_result(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct council_proposal p;
	struct council_tally t = { 0 };
	struct fault f = { 0 };
	json_t *body;
	int hands;

	if (!load_proposal(req, res, s, id, &p))
		return;
	council_proposal_release(&p);
	if (!(body = api_body(req, res, result_fields)))
		return;
	hands = api_has(body, "yes") || api_has(body, "no") || api_has(body, "abstain");
	if (hands && !api_has(body, "yes"))
		http_reply_error(res, 400, "invalid", "yes", "a show of hands gives yes, no and abstain");
	else if (hands && !api_has(body, "no"))
		http_reply_error(res, 400, "invalid", "no", "a show of hands gives yes, no and abstain");
	else {
		/* a count beyond any council: refused by the domain as not adding up, never wrapped */
		t.yes = api_int(body, "yes", 0);
		t.no = api_int(body, "no", 0);
		t.abstain = api_int(body, "abstain", 0);
		if (council_proposal_decide(s, id, hands ? &t : NULL, &f) < 0)
			api_fail(res, &f);
		else
			reply_proposal(req, res, s, id, 200);
	}
	json_decref(body);
}

static void api_council_withdraw(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct council_proposal p;
	struct fault f = { 0 };

	if (!load_proposal(req, res, s, id, &p))
		return;
	council_proposal_release(&p);
	if (council_proposal_withdraw(s, id, &f) < 0)
		api_fail(res, &f);
	else
		reply_proposal(req, res, s, id, 200);
}

/* Resolutions. */

static const struct api_field resolution_fields[] = {
	{ "content", API_STRING, 1, 0, 200 },
	{ "owner_user_id", API_ID, 1, 0, 0 },
	{ "assigned_on", API_DATE, 0, 0, 0 },
	{ "due_on", API_DATE, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void reply_resolution(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			     int status)
{
	struct council_resolution r;
	struct fault f = { 0 };
	int64_t node;

	if (council_resolution_get(s, id, &r, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if ((node = council_node(req, res, s, r.council_id)))
		http_reply_json(res, status, resolution_json(&r, node));
	council_resolution_release(&r);
}

static void api_council_resolution_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, rid;
	struct council_resolution_input in = { 0 };
	struct council_proposal p;
	struct fault f = { 0 };
	json_t *body;

	if (!load_proposal(req, res, s, id, &p))
		return;
	council_proposal_release(&p);
	if (!(body = api_body(req, res, resolution_fields)))
		return;
	in.content = api_str(body, "content");
	in.owner_user_id = api_int(body, "owner_user_id", 0);
	in.assigned_on = api_str(body, "assigned_on");
	in.due_on = api_str(body, "due_on");
	if (council_resolution_create(s, id, &in, &rid, &f) < 0)
		api_fail(res, &f);
	else
		reply_resolution(req, res, s, rid, 201);
	json_decref(body);
}

/* The resolution {id} inside the scope: 1 with *owner, or 0 after answering. */
static int resolution_in_scope(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			       int64_t *owner)
{
	struct council_resolution r;
	struct fault f = { 0 };
	int ok;

	if (!s || !id)
		return 0;
	if (council_resolution_get(s, id, &r, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	*owner = r.owner_user_id;
	ok = council_node(req, res, s, r.council_id) != 0;
	council_resolution_release(&r);
	return ok;
}

static void api_council_resolution_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_resolution(req, res, s, id, 200);
}

static void api_council_resolution_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct council_resolution_list list;
	struct fault f = { 0 };
	int64_t proposal, order;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "proposal_id", 1, INT64_MAX, 0, &proposal) < 0 ||
	    api_query_int(req, res, "work_order_id", 1, INT64_MAX, 0, &order) < 0)
		return;
	if (council_resolutions(s, proposal, order, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++) {
		struct council c;

		/* only what lies in the scope: the others are left out, not refused */
		if (council_get(s, list.items[i].council_id, &c, &f) < 0)
			continue;
		if (!api_scope(req) || org_is_within(s, api_scope(req), c.node_id) == 1)
			json_array_append_new(items, resolution_json(&list.items[i], c.node_id));
		council_release(&c);
	}
	api_reply_list(res, items, (int64_t)json_array_size(items), (int)json_array_size(items), 0);
	council_resolution_list_release(&list);
}

static const struct api_field done_fields[] = {
	{ "evidence", API_STRING, 0, 0, 2000 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_resolution_done(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, owner = 0;
	struct fault f = { 0 };
	json_t *body;

	if (!resolution_in_scope(req, res, s, id, &owner) || !(body = api_body(req, res, done_fields)))
		return;
	if (!is_staff(req) && owner != actor_user(req))
		http_reply_error(res, 403, "forbidden", NULL, "only the resolution's owner or council staff close it");
	else if (council_resolution_done(s, id, api_str(body, "evidence"), actor_user(req), 0, &f) < 0)
		api_fail(res, &f);
	else
		reply_resolution(req, res, s, id, 200);
	json_decref(body);
}

static const struct api_field spawn_fields[] = {
	{ "category_id", API_ID, 1, 0, 0 },
	{ "type", API_STRING, 0, 0, 20 },
	{ "text", API_STRING, 0, 0, 2000 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_council_resolution_order(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, owner = 0, order;
	struct fault f = { 0 };
	json_t *body;

	if (!resolution_in_scope(req, res, s, id, &owner) || !(body = api_body(req, res, spawn_fields)))
		return;
	if (council_resolution_spawn_order(s, api_actor(req), id, api_int(body, "category_id", 0), api_str(body, "type"),
					   api_str(body, "text"), &order, &f) < 0)
		api_fail(res, &f);
	else
		reply_resolution(req, res, s, id, 201);
	json_decref(body);
}

/* Notices. */

static const struct api_field notice_fields[] = {
	{ "node_id", API_ID, 1, 0, 0 },
	{ "title", API_STRING, 1, 0, 100 },
	{ "body", API_STRING, 1, 0, 5000 },
	{ "category", API_STRING, 1, 0, 20 },
	{ "starts_on", API_DATE, 1, 0, 0 },
	{ "ends_on", API_DATE, 1, 0, 0 },
	{ "publish", API_BOOL, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void reply_notice(struct http_response *res, struct store *s, int64_t id, int status)
{
	struct notice n;
	struct fault f = { 0 };

	if (notice_get(s, id, &n, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, status, notice_json(&n));
	notice_release(&n);
}

static void api_notice_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct notice_list list;
	struct fault f = { 0 };
	int64_t under, total;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_paging(req, res, &limit, &offset) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	if (notice_list(s, under, limit, offset, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, notice_json(&list.items[i]));
	api_reply_list(res, items, total, limit, offset);
	notice_list_release(&list);
}

static void api_notice_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct notice_input in = { 0 };
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, notice_fields)))
		return;
	in.node_id = api_int(body, "node_id", 0);
	in.title = api_str(body, "title");
	in.body = api_str(body, "body");
	in.category = api_str(body, "category");
	in.starts_on = api_str(body, "starts_on");
	in.ends_on = api_str(body, "ends_on");
	if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (notice_create(s, &in, actor_user(req), &id, &f) < 0 ||
		    (json_is_true(json_object_get(body, "publish")) && notice_publish(s, id, &f) < 0))
			api_fail(res, &f);
		else
			reply_notice(res, s, id, 201);
	}
	json_decref(body);
}

static int notice_in_scope(struct http_request *req, struct http_response *res, struct store *s, int64_t id)
{
	struct notice n;
	struct fault f = { 0 };
	int ok;

	if (!s || !id)
		return 0;
	if (notice_get(s, id, &n, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	ok = api_scope_allows(req, res, n.node_id);
	notice_release(&n);
	return ok;
}

static void api_notice_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (notice_in_scope(req, res, s, id))
		reply_notice(res, s, id, 200);
}

static void notice_move(struct http_request *req, struct http_response *res, int (*fn)(struct store *, int64_t, struct fault *))
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct fault f = { 0 };

	if (!notice_in_scope(req, res, s, id))
		return;
	if (fn(s, id, &f) < 0)
		api_fail(res, &f);
	else
		reply_notice(res, s, id, 200);
}

static void api_notice_publish(struct http_request *req, struct http_response *res)
{
	notice_move(req, res, notice_publish);
}

static void api_notice_withdraw(struct http_request *req, struct http_response *res)
{
	notice_move(req, res, notice_withdraw);
}

/* Figures. */

static json_t *percent_json(int64_t part, int64_t whole)
{
	/* tenths of a percent, rounded half up, by integer arithmetic */
	return whole ? json_real((double)((part * 1000 + whole / 2) / whole) / 10) : json_null();
}

static void api_council_figures(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct council_figures fg;
	struct fault f = { 0 };
	char today[11];
	int64_t under, year, settled;
	json_t *o;

	date_today_local(today);
	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_query_int(req, res, "year", 2000, 2100, atoi(today), &year) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	if (council_figures(s, under, (int)year, &fg, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	o = json_pack("{s:i, s:{s:I, s:I, s:o}, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:o},"
					    " s:{s:I}}",
					    "year", fg.year, "meetings", "held", (json_int_t)fg.meetings_held, "quorate",
					    (json_int_t)fg.meetings_quorate, "quorum_percent",
					    percent_json(fg.meetings_quorate, fg.meetings_held), "proposals", "raised",
					    (json_int_t)fg.proposals, "passed", (json_int_t)fg.passed, "rejected",
					    (json_int_t)fg.rejected, "no_quorum", (json_int_t)fg.no_quorum, "resolutions",
					    "due", (json_int_t)fg.resolutions_due, "done", (json_int_t)fg.resolutions_done,
					    "on_time", (json_int_t)fg.resolutions_on_time, "on_time_percent",
					    percent_json(fg.resolutions_on_time, fg.resolutions_due), "notices", "published",
					    (json_int_t)fg.notices_published);
	settled = fg.settled_courtyard + fg.settled_community + fg.settled_above;
	/* "小事不出院落，矛盾不出社区": the share of settled disputes settled in the courtyard or the community */
	json_object_set_new(o, "mediation", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "opened",
						    (json_int_t)fg.cases_opened, "settled_courtyard",
						    (json_int_t)fg.settled_courtyard, "settled_community",
						    (json_int_t)fg.settled_community, "settled_above", (json_int_t)fg.settled_above,
						    "referred", (json_int_t)fg.referred, "withdrawn", (json_int_t)fg.withdrawn,
						    "within_community_percent",
						    percent_json(fg.settled_courtyard + fg.settled_community, settled)));
	json_object_set_new(o, "red_white", json_pack("{s:I, s:I, s:I}", "weddings", (json_int_t)fg.weddings, "funerals",
						    (json_int_t)fg.funerals, "frugal_pledges", (json_int_t)fg.frugal_pledges));
	http_reply_json(res, 200, o);
}

/* The public courtyard board: no login, nothing personal. */

static void api_public_board(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct notice_list nl;
	struct council_list cl;
	struct fault f = { 0 };
	json_t *o, *a, *councils;
	char today[11];
	int64_t total;
	size_t i, j;

	struct node n;

	if (!id)
		return;
	/* boards hang from the subdistrict down to buildings; a unit or a household has none */
	if (org_node_get(s, id, &n, &f) < 0 || (n.level > LEVEL_BUILDING && (node_release(&n), 1))) {
		http_reply_error(res, 404, "not_found", NULL, "no notice board here: %s", req->path);
		return;
	}
	date_today_local(today);
	if (notice_board(s, id, today, &nl, &f) < 0 || council_list(s, id, 20, 0, &cl, &total, &f) < 0) {
		node_release(&n);
		api_fail(res, &f);
		return;
	}
	a = json_array();
	for (i = 0; i < nl.n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "title", nl.items[i].title, "body",
						   nl.items[i].body, "category", nl.items[i].category, "starts_on",
						   nl.items[i].starts_on, "ends_on", nl.items[i].ends_on, "from",
						   json_str_or_null(nl.items[i].node_name)));
	councils = json_array();
	for (i = 0; i < cl.n; i++) {
		const struct council *c = &cl.items[i];
		struct council_member_list ml;
		struct council_proposal_list pl;
		json_t *members = json_array(), *results = json_array();

		if (c->node_id != id)
			continue;	/* the board of this courtyard: its own council */
		if (council_members(s, c->id, 0, &ml, &f) == 0) {
			for (j = 0; j < ml.n; j++)
				json_array_append_new(members, json_pack("{s:s, s:s}", "name", ml.items[j].name, "seat",
									 ml.items[j].seat));
			council_member_list_release(&ml);
		}
		if (council_proposals(s, c->id, &pl, &f) == 0) {
			for (j = 0; j < pl.n && json_array_size(results) < 10; j++) {
				const struct council_proposal *p = &pl.items[j];

				if (!p->has_result)
					continue;
				json_array_append_new(results, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o}", "title",
									 p->title, "status", p->status, "yes",
									 (json_int_t)p->tally.yes, "no", (json_int_t)p->tally.no,
									 "abstain", (json_int_t)p->tally.abstain, "eligible",
									 (json_int_t)p->tally.eligible, "decided_at",
									 json_str_or_null(p->decided_at)));
			}
			council_proposal_list_release(&pl);
		}
		json_array_append_new(councils, json_pack("{s:s, s:s, s:s, s:o, s:o}", "name", c->name, "term_start",
							  c->term_start, "term_end", c->term_end, "members", members,
							  "results", results));
	}
	o = json_pack("{s:I, s:s, s:s, s:o, s:o}", "node_id", (json_int_t)id, "name", n.name, "today", today, "notices", a,
		      "councils", councils);
	node_release(&n);
	notice_list_release(&nl);
	council_list_release(&cl);
	http_reply_json(res, 200, o);
}

/* Mediation cases (mediation.read / mediation.write): sensitive text only in the case itself. */

static json_t *masked_name(const char *name)
{
	char *m = pii_mask_name(name);
	json_t *o = json_string(m ? m : "");

	free(m);
	return o;
}

static json_t *case_json(const struct mediation_case *c, int detail)
{
	json_t *parties = json_array(), *o;
	size_t i;

	for (i = 0; i < c->nparties; i++) {
		const struct mediation_party *p = &c->parties[i];

		json_array_append_new(parties, detail
				      ? json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)p->id, "name", p->name, "role",
						  p->role, "person_id", json_id_or_null(p->person_id), "phone", masked_phone(p->phone))
				      : json_pack("{s:o, s:s}", "name", masked_name(p->name), "role", p->role));
	}
	o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)c->id, "node_id",
		      (json_int_t)c->node_id, "kind", c->kind, "status", c->status, "mediator_user_id",
		      json_id_or_null(c->mediator_user_id), "mediator_name", json_str_or_null(c->mediator_name), "opened_on",
		      c->opened_on, "closed_on", json_str_or_null(c->closed_on[0] ? c->closed_on : NULL), "settled_level",
		      json_str_or_null(c->settled_level[0] ? c->settled_level : NULL), "referred_to",
		      json_str_or_null(c->referred_to), "work_order_id", json_id_or_null(c->work_order_id), "parties", parties);
	if (detail) {
		json_t *sessions = json_array();

		for (i = 0; i < c->nsessions; i++)
			json_array_append_new(sessions, json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)c->sessions[i].id,
								  "held_on", c->sessions[i].held_on, "notes",
								  json_str_or_null(c->sessions[i].notes), "by_user_id",
								  json_id_or_null(c->sessions[i].by_user_id)));
		json_object_set_new(o, "summary", json_str_or_null(c->summary));
		json_object_set_new(o, "agreement", json_str_or_null(c->agreement));
		json_object_set_new(o, "sessions", sessions);
	}
	return o;
}

/* The case {id} inside the scope, read whole (release it); 0 after answering. */
static int load_case(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
		     struct mediation_case *c)
{
	struct fault f = { 0 };

	if (!s || !id)
		return 0;
	if (mediation_case_get(s, id, c, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, c->node_id)) {
		mediation_case_release(c);
		return 0;
	}
	return 1;
}

static void reply_case(struct http_request *req, struct http_response *res, struct store *s, int64_t id, int status)
{
	struct mediation_case c;

	if (!load_case(req, res, s, id, &c))
		return;
	http_reply_json(res, status, case_json(&c, 1));
	mediation_case_release(&c);
}

static void api_mediation_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct mediation_case_list list;
	struct fault f = { 0 };
	int64_t under, total;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_paging(req, res, &limit, &offset) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	if (mediation_case_list(s, under, limit, offset, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, case_json(&list.items[i], 0));
	api_reply_list(res, items, total, limit, offset);
	mediation_case_list_release(&list);
}

static const struct api_field case_fields[] = {
	{ "node_id", API_ID, 0, 0, 0 },
	{ "kind", API_STRING, 0, 0, 20 },
	{ "summary", API_STRING, 0, 0, 5000 },
	{ "mediator_user_id", API_ID, 0, 1, 0 },
	{ "mediator_name", API_STRING, 0, 1, 100 },
	{ "opened_on", API_DATE, 0, 0, 0 },
	{ "work_order_id", API_ID, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_mediation_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct mediation_input in = { 0 };
	struct fault f = { 0 };
	json_t *body;
	int64_t id, order;
	int rc = -1;

	if (!s || !(body = api_body(req, res, case_fields)))
		return;
	in.node_id = api_int(body, "node_id", 0);
	in.kind = api_str(body, "kind");
	in.summary = api_str(body, "summary");
	in.mediator_user_id = api_int(body, "mediator_user_id", 0);
	in.mediator_name = api_str(body, "mediator_name");
	in.opened_on = api_str(body, "opened_on");
	order = api_int(body, "work_order_id", 0);
	if (order) {
		struct wo_order o;
		int seen;

		if (in.node_id || in.kind || in.summary || in.opened_on) {
			http_reply_error(res, 400, "invalid", in.node_id ? "node_id" : in.kind ? "kind" : in.summary ? "summary"
					 : "opened_on", "a case from a work order takes its place and text from the order");
			goto out;
		}
		/* an order the actor may not see is as if missing */
		if (wo_get(s, order, &o, &f) < 0) {
			http_reply_error(res, 400, "invalid", "work_order_id", "work order %lld does not exist", (long long)order);
			goto out;
		}
		seen = wo_visible(s, api_actor(req), &o) == 1;
		if (!seen)
			http_reply_error(res, 400, "invalid", "work_order_id", "work order %lld does not exist", (long long)order);
		else
			seen = api_scope_target(req, res, o.node_id, "work_order_id");	/* answers when outside */
		wo_order_release(&o);
		if (!seen)
			goto out;
		rc = mediation_case_from_order(s, order, in.mediator_user_id, actor_user(req), &id, &f);
	} else if (!in.node_id) {
		http_reply_error(res, 400, "invalid", "node_id", "node_id is required: where the dispute is");
		goto out;
	} else if (api_scope_target(req, res, in.node_id, "node_id")) {
		rc = mediation_case_create(s, &in, actor_user(req), &id, &f);
	} else {
		goto out;
	}
	if (rc < 0)
		api_fail(res, &f);
	else
		reply_case(req, res, s, id, 201);
out:
	json_decref(body);
}

static void api_mediation_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_case(req, res, s, id, 200);
}

/* The case {id} exists inside the scope: 1, or 0 after answering. */
static int case_in_scope(struct http_request *req, struct http_response *res, struct store *s, int64_t id)
{
	struct mediation_case c;

	if (!load_case(req, res, s, id, &c))
		return 0;
	mediation_case_release(&c);
	return 1;
}

static const struct api_field party_add_fields[] = {
	{ "name", API_STRING, 1, 0, 100 },
	{ "role", API_STRING, 1, 0, 20 },
	{ "person_id", API_ID, 0, 1, 0 },
	{ "phone", API_STRING, 0, 1, 30 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_mediation_party_add(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, pid;
	struct fault f = { 0 };
	json_t *body;

	if (!case_in_scope(req, res, s, id) || !(body = api_body(req, res, party_add_fields)))
		return;
	if (mediation_party_add(s, id, api_str(body, "name"), api_str(body, "role"), api_int(body, "person_id", 0),
				api_str(body, "phone"), &pid, &f) < 0)
		api_fail(res, &f);
	else
		reply_case(req, res, s, id, 201);
	json_decref(body);
}

static const struct api_field session_fields[] = {
	{ "held_on", API_DATE, 1, 0, 0 },
	{ "notes", API_STRING, 1, 0, 5000 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_mediation_session_add(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, sid;
	struct fault f = { 0 };
	json_t *body;

	if (!case_in_scope(req, res, s, id) || !(body = api_body(req, res, session_fields)))
		return;
	if (mediation_session_add(s, id, api_str(body, "held_on"), api_str(body, "notes"), actor_user(req), &sid, &f) < 0)
		api_fail(res, &f);
	else
		reply_case(req, res, s, id, 201);
	json_decref(body);
}

static const struct api_field case_close_fields[] = {
	{ "outcome", API_STRING, 1, 0, 20 },
	{ "level", API_STRING, 0, 0, 20 },
	{ "agreement", API_STRING, 0, 0, 5000 },
	{ "referred_to", API_STRING, 0, 0, 100 },
	{ "closed_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_mediation_close(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct fault f = { 0 };
	json_t *body;

	if (!case_in_scope(req, res, s, id) || !(body = api_body(req, res, case_close_fields)))
		return;
	if (mediation_case_close(s, id, api_str(body, "outcome"), api_str(body, "level"), api_str(body, "agreement"),
				 api_str(body, "referred_to"), api_str(body, "closed_on"), &f) < 0)
		api_fail(res, &f);
	else
		reply_case(req, res, s, id, 200);
	json_decref(body);
}

/* 红白理事会 filings. */

static json_t *filing_json(const struct red_white_filing *x)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:b}", "id", (json_int_t)x->id, "node_id", (json_int_t)x->node_id,
			 "kind", x->kind, "held_on", x->held_on, "family_name", x->family_name, "tables", x->tables,
			 "frugal_pledge", x->frugal_pledge);
}

static void api_red_white_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct red_white_list list;
	struct fault f = { 0 };
	int64_t under, total;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_paging(req, res, &limit, &offset) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	if (red_white_list(s, under, limit, offset, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, filing_json(&list.items[i]));
	api_reply_list(res, items, total, limit, offset);
	red_white_list_release(&list);
}

static const struct api_field filing_fields[] = {
	{ "node_id", API_ID, 1, 0, 0 },
	{ "kind", API_STRING, 1, 0, 10 },
	{ "held_on", API_DATE, 1, 0, 0 },
	{ "family_name", API_STRING, 1, 0, 100 },
	{ "tables", API_INT, 1, 0, 0 },
	{ "frugal_pledge", API_BOOL, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_red_white_file(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct fault f = { 0 };
	json_t *body;
	int64_t node, id, tables;

	if (!s || !(body = api_body(req, res, filing_fields)))
		return;
	node = api_int(body, "node_id", 0);
	tables = api_int(body, "tables", 0);
	if (api_scope_target(req, res, node, "node_id")) {
		struct red_white_filing x = { 0 };

		if (red_white_file(s, node, api_str(body, "kind"), api_str(body, "held_on"), api_str(body, "family_name"),
				   tables < 0 || tables > 200 ? -1 : (int)tables,
				   json_is_true(json_object_get(body, "frugal_pledge")), actor_user(req), &id, &f) < 0) {
			api_fail(res, &f);
		} else {
			x.id = id;
			x.node_id = node;
			snprintf(x.kind, sizeof(x.kind), "%s", api_str(body, "kind"));
			snprintf(x.held_on, sizeof(x.held_on), "%s", api_str(body, "held_on"));
			x.family_name = (char *)api_str(body, "family_name");
			x.tables = (int)tables;
			x.frugal_pledge = json_is_true(json_object_get(body, "frugal_pledge"));
			http_reply_json(res, 201, filing_json(&x));
		}
	}
	json_decref(body);
}

const struct http_route api_council_routes[] = {
	{ "GET", "/api/v1/councils", api_council_list, "council.read",
	  "courtyard and community councils (议事会) of one's scope (?under)" },
	{ "POST", "/api/v1/councils", api_council_create, "council.write",
	  "a council on a courtyard or community: name, term, quorum (percent of members), pass rule, convenor" },
	{ "GET", "/api/v1/councils/{id}", api_council_get, "council.read",
	  "one council with its members by seat (phones masked) and the courtyard's parties" },
	{ "PATCH", "/api/v1/councils/{id}", api_council_update, "council.write",
	  "change a council's name, term, quorum, pass rule or convenor" },
	{ "POST", "/api/v1/councils/{id}/members", api_council_member_add, "council.write",
	  "a member joins by seat (居民代表, 党员, 楼长, 物业, 业委会, 网格员) on a day; phone kept encrypted" },
	{ "POST", "/api/v1/councils/{id}/departures", api_council_departure, "council.write",
	  "a member leaves on a day ({member_id, left_on})" },
	{ "POST", "/api/v1/courtyard-parties", api_courtyard_party_create, "council.write",
	  "a courtyard's property company or owners' committee with its contact (三位一体)" },
	{ "GET", "/api/v1/councils/{id}/meetings", api_council_meeting_list, "council.read",
	  "a council's meetings, newest first, with agenda, attendance and quorum" },
	{ "POST", "/api/v1/councils/{id}/meetings", api_council_meeting_create, "council.write",
	  "a meeting: day, place, agenda items" },
	{ "GET", "/api/v1/council-meetings/{id}", api_council_meeting_get, "council.read",
	  "one meeting with agenda, attendance, the quorum and the minutes (printable)" },
	{ "POST", "/api/v1/council-meetings/{id}/attendance", api_council_meeting_attend, "council.write",
	  "attendance: present, absent, proxy with proxy_holders (replaces what was recorded for those members)" },
	{ "POST", "/api/v1/council-meetings/{id}/close", api_council_meeting_close, "council.write",
	  "close a meeting with its minutes (required)" },
	{ "GET", "/api/v1/councils/{id}/proposals", api_council_proposal_list, "council.read",
	  "a council's proposals, newest first, with supports, votes and results" },
	{ "POST", "/api/v1/councils/{id}/proposals", api_council_proposal_create, "council.act",
	  "a proposal from a resident (through staff), a member or staff; a council member proposes as themselves" },
	{ "GET", "/api/v1/council-proposals/{id}", api_council_proposal_get, "council.read",
	  "one proposal with its result and resolutions" },
	{ "POST", "/api/v1/council-proposals/{id}/supports", api_council_support, "council.act",
	  "support a proposal: a member once, or a resident by name (staff)" },
	{ "POST", "/api/v1/council-proposals/{id}/vote", api_council_vote_open, "council.write",
	  "put a proposal to the vote at a meeting (meeting_id) or until a day (closes_on)" },
	{ "POST", "/api/v1/council-proposals/{id}/votes", api_council_vote, "council.act",
	  "one member one vote: yes, no or abstain (staff name the member; a member votes as themselves)" },
	{ "POST", "/api/v1/council-proposals/{id}/result", api_council_result, "council.write",
	  "the result by the council's quorum and pass rule: counted from the votes, or a show of hands that adds up" },
	{ "POST", "/api/v1/council-proposals/{id}/withdraw", api_council_withdraw, "council.write",
	  "withdraw an open proposal" },
	{ "POST", "/api/v1/council-proposals/{id}/resolutions", api_council_resolution_create, "council.write",
	  "a resolution of a passed proposal: content, owner, due day (a time node)" },
	{ "GET", "/api/v1/council-resolutions", api_council_resolution_list, "council.read",
	  "resolutions of a proposal (?proposal_id) or the one that spawned a work order (?work_order_id)" },
	{ "GET", "/api/v1/council-resolutions/{id}", api_council_resolution_get, "council.read",
	  "one resolution with its time node's deadline and card and its work order" },
	{ "POST", "/api/v1/council-resolutions/{id}/done", api_council_resolution_done, "council.act",
	  "a resolution done with its evidence (its owner or council staff)" },
	{ "POST", "/api/v1/council-resolutions/{id}/work-order", api_council_resolution_order, "council.write",
	  "spawn a work order from a resolution (category, type, text), linked both ways" },
	{ "GET", "/api/v1/council-figures", api_council_figures, "council.read",
	  "council figures for ?year under ?under: meetings held and quorate, proposals by result, resolutions on time,"
	  " notices published" },
	{ "GET", "/api/v1/notices", api_notice_list, "council.read",
	  "notices on the boards of one's scope (?under), newest first" },
	{ "POST", "/api/v1/notices", api_notice_create, "notice.publish",
	  "a notice to a node and everything under it: title, body, category, first and last day (publish: true)" },
	{ "GET", "/api/v1/notices/{id}", api_notice_get, "council.read", "one notice" },
	{ "POST", "/api/v1/notices/{id}/publish", api_notice_publish, "notice.publish", "publish a draft notice" },
	{ "POST", "/api/v1/notices/{id}/withdraw", api_notice_withdraw, "notice.publish",
	  "take a published notice off the boards" },
	{ "GET", "/api/v1/public/boards/{id}", api_public_board, "public",
	  "a courtyard's public notice board (no login; the QR code on the real board): notices published and current,"
	  " the council's members by name and seat, its latest results; never a phone or ID number" },
	{ "GET", "/api/v1/mediation-cases", api_mediation_list, "mediation.read",
	  "mediation cases (民事调解) of one's scope (?under), newest first: parties' names masked, no sensitive text" },
	{ "POST", "/api/v1/mediation-cases", api_mediation_create, "mediation.write",
	  "a mediation case: place, kind, summary (encrypted), mediator; or from a 邻里纠纷 work order (work_order_id)" },
	{ "GET", "/api/v1/mediation-cases/{id}", api_mediation_get, "mediation.read",
	  "one case with its parties (phones masked), sessions and agreement (sensitive text, audited)", ROUTE_AUDIT },
	{ "POST", "/api/v1/mediation-cases/{id}/parties", api_mediation_party_add, "mediation.write",
	  "a party: a person of the register or a free name, role, phone (encrypted)" },
	{ "POST", "/api/v1/mediation-cases/{id}/sessions", api_mediation_session_add, "mediation.write",
	  "a mediation session on a day with its notes (encrypted)" },
	{ "POST", "/api/v1/mediation-cases/{id}/close", api_mediation_close, "mediation.write",
	  "the end: settled (level: courtyard, community, above; the agreement), referred (to whom) or withdrawn" },
	{ "GET", "/api/v1/red-white-filings", api_red_white_list, "council.read",
	  "红白理事会 filings of one's scope (?under): weddings and funerals with their scale and frugality pledge" },
	{ "POST", "/api/v1/red-white-filings", api_red_white_file, "council.write",
	  "file a wedding or funeral: place, day, family, tables, frugality pledge" },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
