/*
 * api_tasks.c - GET /api/v1/tasks, "my tasks": everything waiting for the
 * person logged in, from every kind of time node (src/timenode/inbox.c), work
 * orders first.  The work orders' own lists, with whole orders, stay at
 * GET /api/v1/work-orders/mine; this answer names each thing, why it waits
 * (its list), its deadline and card, so that one page can show every kind.
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "timenode/timenode.h"

static void api_tasks_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	const struct actor *a = api_actor(req);
	struct tn_inbox in;
	struct fault f = { 0 };
	int64_t limit;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "limit", 1, 200, 50, &limit) < 0)
		return;
	if (tn_inbox(s, a, (int)limit, &in, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < in.n; i++) {
		const struct tn_task *t = &in.items[i];

		json_array_append_new(items, json_pack("{s:s, s:I, s:o, s:s, s:s, s:o, s:s, s:b, s:o}", "kind", t->kind,
						       "id", (json_int_t)t->id, "time_node_id", json_id_or_null(t->node),
						       "title", t->title ? t->title : "", "list", t->list ? t->list : "",
						       "deadline", json_time_or_null(t->deadline), "card", t->card,
						       "provisional", t->provisional, "node_id", json_id_or_null(t->node_id)));
	}
	http_reply_json(res, 200, json_pack("{s:o, s:I}", "items", items, "count", (json_int_t)in.count));
	tn_inbox_release(&in);
}

const struct http_route api_tasks_routes[] = {
	/* tasks.read (020): whoever held workorder.read, and the roles of key projects, whose ledgers list here too. */
	{ "GET", "/api/v1/tasks", api_tasks_list, "tasks.read",
	  "my tasks from every kind of time node (work orders first): kind, id, title, list, deadline, card;"
	  " each kind its first ?limit, count of all" },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
