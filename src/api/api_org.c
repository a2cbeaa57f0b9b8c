/*
 * api_org.c - /api/v1/nodes, /api/v1/party-orgs and /api/v1/grids.
 */
#include "api/api.h"
#include "api/api_org.h"
#include "api/api_routes.h"
#include "org/org.h"

#include <stdlib.h>
#include <string.h>

json_t *api_node_json(const struct node *n)
{
	json_t *o = json_pack("{s:I, s:o, s:I, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:I, s:s, s:s}", "id",
			      (json_int_t)n->id, "parent_id", json_id_or_null(n->parent_id), "subdistrict_id",
			      (json_int_t)n->subdistrict_id, "level", node_level_name(n->level), "kind",
			      json_str_or_null(n->kind), "name", n->name, "code", n->code, "address",
			      json_str_or_null(n->address), "lat", n->has_coords ? json_real(n->lat) : json_null(), "lng",
			      n->has_coords ? json_real(n->lng) : json_null(), "child_count", (json_int_t)n->children,
			      "created_at", n->created_at, "updated_at", n->updated_at);
	return o;
}

static const struct api_field node_fields[] = {
	{ "parent_id", API_ID, 0, 1, 0 },
	{ "level", API_STRING, 0, 0, 20 },
	{ "kind", API_STRING, 0, 1, 40 },
	{ "name", API_STRING, 0, 0, 100 },
	{ "code", API_STRING, 0, 0, 64 },
	{ "address", API_STRING, 0, 1, 200 },
	{ "lat", API_NUMBER, 0, 1, 0 },
	{ "lng", API_NUMBER, 0, 1, 0 },
	{ "note", API_STRING, 0, 1, 200 },
	{ NULL, 0, 0, 0, 0 },
};

/* Fills a node_input from a validated body; -1 after answering 400. */
static int node_input_from(json_t *body, struct node_input *in, int create, struct http_response *res)
{
	int has_lat = api_has(body, "lat"), has_lng = api_has(body, "lng");

	memset(in, 0, sizeof(*in));
	in->parent_id = api_int(body, "parent_id", 0);
	if (api_has(body, "level")) {
		in->level = node_level_parse(api_str(body, "level"));
		if (in->level == LEVEL_NONE) {
			http_reply_error(res, 400, "invalid", "level",
					 "level must be subdistrict, community, courtyard, building, unit or household");
			return -1;
		}
	} else if (create) {
		http_reply_error(res, 400, "invalid", "level", "level is required");
		return -1;
	}
	if (create && !api_has(body, "name")) {
		http_reply_error(res, 400, "invalid", "name", "name is required");
		return -1;
	}
	in->kind = api_str(body, "kind");
	in->set_kind = api_has(body, "kind");
	in->name = api_str(body, "name");
	in->code = api_str(body, "code");
	in->address = api_str(body, "address");
	in->set_address = api_has(body, "address");
	in->detail = api_str(body, "note");
	if (has_lat != has_lng || api_is_null(body, "lat") != api_is_null(body, "lng")) {
		http_reply_error(res, 400, "invalid", has_lat ? "lng" : "lat", "lat and lng go together");
		return -1;
	}
	if (has_lat && api_is_null(body, "lat")) {
		in->clear_coords = 1;
	} else if (has_lat) {
		in->set_coords = 1;
		in->lat = json_number_value(json_object_get(body, "lat"));
		in->lng = json_number_value(json_object_get(body, "lng"));
	}
	if (!create && api_has(body, "parent_id") && api_is_null(body, "parent_id")) {
		http_reply_error(res, 400, "invalid", "parent_id", "a node cannot be made a root");
		return -1;
	}
	return 0;
}


static void reply_node(struct store *s, struct http_response *res, int64_t id, int status)
{
	struct node_list anc;
	struct fault f = { 0 };
	struct party_org po;
	struct node n;
	json_t *o, *a;
	size_t i;

	if (org_node_get(s, id, &n, &f) < 0 || org_node_ancestors(s, id, &anc, &f) < 0) {
		if (f.kind != FAULT_NOT_FOUND)
			node_release(&n);
		api_fail(res, &f);
		return;
	}
	o = api_node_json(&n);
	{
		char *path = org_node_path(s, id);

		json_object_set_new(o, "path", json_str_or_null(path));
		free(path);
	}
	a = json_array();
	for (i = 0; i < anc.n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)anc.items[i].id, "name",
						   anc.items[i].name, "level", node_level_name(anc.items[i].level)));
	json_object_set_new(o, "ancestors", a);
	if (org_party_get_by_node(s, id, &po, &f) == 0) {
		json_object_set_new(o, "party_org", api_party_json(&po));
		party_org_release(&po);
	} else {
		json_object_set_new(o, "party_org", json_null());
	}
	node_list_release(&anc);
	node_release(&n);
	http_reply_json(res, status, o);
}

void api_node_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct node_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, node_fields)))
		return;
	if (node_input_from(body, &in, 1, res) == 0) {
		if (api_scope(req) && !in.parent_id)
			http_reply_error(res, 400, "invalid", "parent_id", "parent_id is required inside your scope");
		else if (api_scope_target(req, res, in.parent_id, "parent_id")) {
			if (org_node_create(s, &in, &id, &f) < 0)
				api_fail(res, &f);
			else
				reply_node(s, res, id, 201);
		}
	}
	json_decref(body);
}

void api_node_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = api_path_id(req, res, "id");

	if (s && id && api_scope_allows(req, res, id))
		reply_node(s, res, id, 200);
}

void api_node_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct node_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!id || !api_scope_allows(req, res, id) || !(body = api_body(req, res, node_fields)))
		return;
	if (node_input_from(body, &in, 0, res) == 0) {
		if (api_scope_target(req, res, in.parent_id, "parent_id")) {
			if (org_node_update(s, id, &in, &f) < 0)
				api_fail(res, &f);
			else
				reply_node(s, res, id, 200);
		}
	}
	json_decref(body);
}

/* Reads the filters shared by the list and the CSV export. */
int api_node_filter(struct http_request *req, struct http_response *res, struct node_filter *flt)
{
	int64_t v;
	const char *level = http_query(req, "level");

	memset(flt, 0, sizeof(*flt));
	if (api_query_int(req, res, "parent_id", 1, INT64_MAX, 0, &flt->parent_id) < 0 ||
	    api_query_int(req, res, "under", 1, INT64_MAX, 0, &flt->under_id) < 0)
		return -1;
	if ((v = api_query_bool(req, res, "roots", 0)) < 0)
		return -1;
	flt->roots = (int)v;
	if (level) {
		flt->level = node_level_parse(level);
		if (flt->level == LEVEL_NONE) {
			http_reply_error(res, 400, "invalid", "level",
					 "level must be subdistrict, community, courtyard, building, unit or household");
			return -1;
		}
	}
	flt->kind = http_query(req, "kind");
	if (flt->kind && !node_kind_known(flt->kind)) {
		http_reply_error(res, 400, "invalid", "kind",
				 "kind must be residential, dormitory, business_alliance, urban or rural");
		return -1;
	}
	flt->q = http_query(req, "q");
	if (api_scope(req)) {
		/* Lists are cut to the scope; a named node outside it answers 404. */
		if ((flt->under_id && !api_scope_allows(req, res, flt->under_id)) ||
		    (flt->parent_id && !api_scope_allows(req, res, flt->parent_id)))
			return -1;
		flt->scope_id = api_scope(req);
	}
	if (flt->q && !utf8_valid_text(flt->q, strlen(flt->q))) {
		http_reply_error(res, 400, "invalid", "q", "q must be text");
		return -1;
	}
	return 0;
}

void api_node_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct node_filter flt;
	struct node_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!s || api_node_filter(req, res, &flt) < 0 || api_paging(req, res, &flt.limit, &flt.offset) < 0)
		return;
	if (org_node_list(s, &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++) {
		/* A list mixes places ("1号楼" is in many courtyards): each item says where it is. */
		json_t *o = api_node_json(&list.items[i]);
		char *path = org_node_path(s, list.items[i].id);

		json_object_set_new(o, "path", json_str_or_null(path));
		free(path);
		json_array_append_new(items, o);
	}
	api_reply_list(res, items, list.total, flt.limit, flt.offset);
	node_list_release(&list);
}

/* Nested children down to depth levels (bounded: the tree of a city is large). */
static int add_children(struct store *s, json_t *parent, int64_t id, int depth, int *budget, struct fault *f)
{
	struct node_filter flt = { 0 };
	struct node_list list;
	json_t *arr;
	size_t i;

	flt.parent_id = id;
	flt.limit = 500;
	if (org_node_list(s, &flt, &list, f) < 0)
		return -1;
	arr = json_array();
	for (i = 0; i < list.n && *budget > 0; i++, (*budget)--) {
		json_t *c = api_node_json(&list.items[i]);

		if (depth > 1 && list.items[i].children > 0 && add_children(s, c, list.items[i].id, depth - 1, budget, f) < 0) {
			json_decref(c);
			json_decref(arr);
			node_list_release(&list);
			return -1;
		}
		json_array_append_new(arr, c);
	}
	json_object_set_new(parent, "children", arr);
	if (list.total > (int64_t)json_array_size(arr))
		json_object_set_new(parent, "truncated", json_true());
	node_list_release(&list);
	return 0;
}

#define TREE_MAX_NODES 5000

void api_node_tree(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, depth;
	struct fault f = { 0 };
	struct node n;
	int budget = TREE_MAX_NODES;
	json_t *o;

	if (!id || !api_scope_allows(req, res, id) || api_query_int(req, res, "depth", 1, 6, 2, &depth) < 0)
		return;
	if (org_node_get(s, id, &n, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	o = api_node_json(&n);
	node_release(&n);
	if (add_children(s, o, id, (int)depth, &budget, &f) < 0) {
		json_decref(o);
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, 200, o);
}

void api_tree_roots(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct node_filter flt = { 0 };
	struct node_list list;
	struct fault f = { 0 };
	int budget = TREE_MAX_NODES;
	int64_t depth;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "depth", 1, 6, 2, &depth) < 0)
		return;
	/* A scoped actor's tree starts at the node of their scope. */
	if (api_scope(req)) {
		struct node top;

		memset(&list, 0, sizeof(list));
		if (org_node_get(s, api_scope(req), &top, &f) < 0) {
			api_fail(res, &f);
			return;
		}
		list.items = xmalloc(sizeof(top));
		list.items[0] = top;
		list.n = 1;
	} else {
		flt.roots = 1;
		flt.limit = 500;
		if (org_node_list(s, &flt, &list, &f) < 0) {
			api_fail(res, &f);
			return;
		}
	}
	items = json_array();
	for (i = 0; i < list.n; i++) {
		json_t *o = api_node_json(&list.items[i]);

		if (add_children(s, o, list.items[i].id, (int)depth, &budget, &f) < 0) {
			json_decref(o);
			json_decref(items);
			node_list_release(&list);
			api_fail(res, &f);
			return;
		}
		json_array_append_new(items, o);
	}
	node_list_release(&list);
	http_reply_json(res, 200, json_pack("{s:o}", "items", items));
}

void api_node_history(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct node_history h;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!id || !api_scope_allows(req, res, id))
		return;
	if (org_node_history(s, id, &h, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < h.n; i++) {
		const struct node_change *c = &h.items[i];

		json_array_append_new(items,
				      json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)c->id, "at",
						c->at, "action", c->action, "old_parent_id", json_id_or_null(c->old_parent_id),
						"new_parent_id", json_id_or_null(c->new_parent_id), "old_name",
						json_str_or_null(c->old_name), "new_name", json_str_or_null(c->new_name),
						"detail", json_str_or_null(c->detail)));
	}
	node_history_release(&h);
	http_reply_json(res, 200, json_pack("{s:o}", "items", items));
}

/* Party organisations. */

json_t *api_party_json(const struct party_org *p)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s}", "id", (json_int_t)p->id, "node_id",
			 (json_int_t)p->node_id, "subdistrict_id", (json_int_t)p->subdistrict_id, "kind", p->kind, "name",
			 p->name, "secretary_person_id", json_id_or_null(p->secretary_person_id), "secretary_name",
			 json_str_or_null(p->secretary_name), "founded_on", json_str_or_null(p->founded_on),
			 "created_at", p->created_at, "updated_at", p->updated_at);
}

static const struct api_field party_fields[] = {
	{ "node_id", API_ID, 0, 0, 0 },
	{ "name", API_STRING, 0, 0, 100 },
	{ "secretary_person_id", API_ID, 0, 1, 0 },
	{ "founded_on", API_DATE, 0, 1, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void party_input_from(json_t *body, struct party_org_input *in)
{
	memset(in, 0, sizeof(*in));
	in->node_id = api_int(body, "node_id", 0);
	in->name = api_str(body, "name");
	in->set_secretary = api_has(body, "secretary_person_id");
	in->secretary_person_id = api_int(body, "secretary_person_id", 0);
	in->set_founded = api_has(body, "founded_on");
	in->founded_on = api_str(body, "founded_on");
}

static void reply_party(struct http_request *req, struct store *s, struct http_response *res, int64_t id, int status)
{
	struct party_org p;
	struct fault f = { 0 };

	if (org_party_get(s, id, &p, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (!api_scope_allows(req, res, p.node_id)) {
		party_org_release(&p);
		return;
	}
	http_reply_json(res, status, api_party_json(&p));
	party_org_release(&p);
}

void api_party_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct party_org_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, party_fields)))
		return;
	party_input_from(body, &in);
	if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (org_party_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_party(req, s, res, id, 201);
	}
	json_decref(body);
}

void api_party_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_party(req, s, res, id, 200);
}

void api_party_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct party_org_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!id || !(body = api_body(req, res, party_fields)))
		return;
	party_input_from(body, &in);
	{
		struct party_org cur;

		if (org_party_get(s, id, &cur, &f) < 0) {
			api_fail(res, &f);
			json_decref(body);
			return;
		}
		if (!api_scope_allows(req, res, cur.node_id)) {
			party_org_release(&cur);
			json_decref(body);
			return;
		}
		party_org_release(&cur);
	}
	if (org_party_update(s, id, &in, &f) < 0)
		api_fail(res, &f);
	else
		reply_party(req, s, res, id, 200);
	json_decref(body);
}

void api_party_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct party_org_list list;
	struct fault f = { 0 };
	const char *kind;
	int64_t under;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_paging(req, res, &limit, &offset) < 0)
		return;
	if (api_scope_under(req, res, &under) < 0)
		return;
	kind = http_query(req, "kind");
	if (kind && strcmp(kind, "working_committee") && strcmp(kind, "general_branch") &&
	    strcmp(kind, "courtyard_branch") && strcmp(kind, "building_group") && strcmp(kind, "central_household")) {
		http_reply_error(res, 400, "invalid", "kind",
				 "kind must be working_committee, general_branch, courtyard_branch, building_group or central_household");
		return;
	}
	if (org_party_list(s, under, kind, limit, offset, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, api_party_json(&list.items[i]));
	api_reply_list(res, items, list.total, limit, offset);
	party_org_list_release(&list);
}

/* Grids. */

static json_t *grid_json(const struct grid *g)
{
	json_t *ids = json_array();
	size_t i;

	for (i = 0; i < g->nnodes; i++)
		json_array_append_new(ids, json_integer((json_int_t)g->node_ids[i]));
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)g->id, "community_id",
			 (json_int_t)g->community_id, "subdistrict_id", (json_int_t)g->subdistrict_id, "code", g->code,
			 "name", g->name, "node_ids", ids, "created_at", g->created_at, "updated_at", g->updated_at);
}

static const struct api_field grid_fields[] = {
	{ "community_id", API_ID, 0, 0, 0 },
	{ "code", API_STRING, 0, 0, 15 },
	{ "name", API_STRING, 0, 0, 100 },
	{ "node_ids", API_ID_ARRAY, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static int64_t *grid_input_from(json_t *body, struct grid_input *in)
{
	json_t *arr = json_object_get(body, "node_ids"), *e;
	int64_t *ids = NULL;
	size_t i;

	memset(in, 0, sizeof(*in));
	in->community_id = api_int(body, "community_id", 0);
	in->code = api_str(body, "code");
	in->name = api_str(body, "name");
	if (arr) {
		in->set_nodes = 1;
		in->nnodes = json_array_size(arr);
		ids = xcalloc(in->nnodes ? in->nnodes : 1, sizeof(*ids));
		json_array_foreach(arr, i, e)
			ids[i] = (int64_t)json_integer_value(e);
		in->node_ids = ids;
	}
	return ids;
}

static void reply_grid(struct http_request *req, struct store *s, struct http_response *res, int64_t id, int status)
{
	struct grid g;
	struct fault f = { 0 };

	if (org_grid_get(s, id, &g, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (!api_scope_allows(req, res, g.community_id)) {
		grid_release(&g);
		return;
	}
	http_reply_json(res, status, grid_json(&g));
	grid_release(&g);
}

void api_grid_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct grid_input in;
	struct fault f = { 0 };
	int64_t *ids, id;
	json_t *body;

	if (!s || !(body = api_body(req, res, grid_fields)))
		return;
	ids = grid_input_from(body, &in);
	if (api_scope_target(req, res, in.community_id, "community_id")) {
		if (org_grid_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_grid(req, s, res, id, 201);
	}
	free(ids);
	json_decref(body);
}

void api_grid_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_grid(req, s, res, id, 200);
}

void api_grid_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, *ids;
	struct grid_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!id || !(body = api_body(req, res, grid_fields)))
		return;
	ids = grid_input_from(body, &in);
	{
		struct grid cur;

		if (org_grid_get(s, id, &cur, &f) < 0) {
			api_fail(res, &f);
			free(ids);
			json_decref(body);
			return;
		}
		if (!api_scope_allows(req, res, cur.community_id)) {
			grid_release(&cur);
			free(ids);
			json_decref(body);
			return;
		}
		grid_release(&cur);
	}
	if (org_grid_update(s, id, &in, &f) < 0)
		api_fail(res, &f);
	else
		reply_grid(req, s, res, id, 200);
	free(ids);
	json_decref(body);
}

void api_grid_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct grid_list list;
	struct fault f = { 0 };
	int64_t under, node;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_query_int(req, res, "node_id", 1, INT64_MAX, 0, &node) < 0 || api_paging(req, res, &limit, &offset) < 0)
		return;
	if (api_scope_under(req, res, &under) < 0 || (node && !api_scope_allows(req, res, node)))
		return;
	if (org_grid_list(s, under, node, limit, offset, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, grid_json(&list.items[i]));
	api_reply_list(res, items, list.total, limit, offset);
	grid_list_release(&list);
}

const struct http_route api_org_routes[] = {
	{ "GET", "/api/v1/tree", api_tree_roots, "org.read", "the tree from its roots, nested to ?depth=" },
	{ "GET", "/api/v1/nodes", api_node_list, "org.read", "list nodes with filters" },
	{ "POST", "/api/v1/nodes", api_node_create, "org.write", "create a node" },
	{ "GET", "/api/v1/nodes/{id}", api_node_get, "org.read", "one node with its ancestors and party organisation" },
	{ "PATCH", "/api/v1/nodes/{id}", api_node_update, "org.write", "rename, move or update a node" },
	{ "GET", "/api/v1/nodes/{id}/tree", api_node_tree, "org.read", "a subtree, nested to ?depth=" },
	{ "GET", "/api/v1/nodes/{id}/history", api_node_history, "org.read", "renames, moves and changes of a node" },

	{ "GET", "/api/v1/party-orgs", api_party_list, "org.read", "list party organisations" },
	{ "POST", "/api/v1/party-orgs", api_party_create, "org.write", "create a node's party organisation" },
	{ "GET", "/api/v1/party-orgs/{id}", api_party_get, "org.read", "one party organisation" },
	{ "PATCH", "/api/v1/party-orgs/{id}", api_party_update, "org.write", "update a party organisation" },

	{ "GET", "/api/v1/grids", api_grid_list, "org.read", "list grids" },
	{ "POST", "/api/v1/grids", api_grid_create, "org.write", "create a grid" },
	{ "GET", "/api/v1/grids/{id}", api_grid_get, "org.read", "one grid" },
	{ "PATCH", "/api/v1/grids/{id}", api_grid_update, "org.write", "update a grid and the nodes it covers" },
	{ NULL, NULL, NULL, NULL, NULL },
};
