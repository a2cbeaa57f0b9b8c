/*
 * api_project.c - key projects (重点项目, issue 14) under /api/v1/projects: the
 * projects with their stage steps and work team, and the three ledgers —
 * tasks, problems, responsibilities — of each (src/project/).
 *
 * Every handler takes the same steps in the same order, so that the answers
 * agree with the authorisation matrix: the path's object (404), the scope of
 * the project's place (404: existence does not leak), the body (400 naming
 * the field), then the part the actor plays on that project (403: office
 * staff everything, the lead official everything of theirs, a member the rows
 * they own), then the domain.  Writes are audited and run in one transaction
 * by the guard: a refusal leaves nothing written.
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "auth/auth.h"
#include "project/project.h"

#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* JSON. */

static json_t *money_json(int64_t v)
{
	char t[32];

	project_money_wan(v, t);
	return json_string(t);
}

static json_t *money_yi_json(int64_t v)
{
	char t[32];

	project_money_yi(v, t);
	return json_string(t);
}

static json_t *project_json(const struct project *p)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:s, s:o, s:s}", "id", (json_int_t)p->id,
			      "code", p->code, "name", p->name, "node_id", (json_int_t)p->node_id, "subdistrict_id",
			      (json_int_t)p->subdistrict_id, "owner_name", json_str_or_null(p->owner_name), "category",
			      json_str_or_null(p->category), "industry", json_str_or_null(p->industry), "stage", p->stage,
			      "build_kind", json_str_or_null(p->build_kind[0] ? p->build_kind : NULL), "stage_on",
			      p->stage_on);

	json_object_set_new(o, "investment_total", money_json(p->investment_total));
	json_object_set_new(o, "investment_total_yi", money_yi_json(p->investment_total));
	json_object_set_new(o, "plan_year", p->plan_year ? json_integer(p->plan_year) : json_null());
	json_object_set_new(o, "investment_plan", money_json(p->investment_plan));
	json_object_set_new(o, "investment_plan_yi", money_yi_json(p->investment_plan));
	json_object_set_new(o, "lead_user_id", json_id_or_null(p->lead_user_id));
	json_object_set_new(o, "lead_name", json_str_or_null(p->lead_name));
	json_object_set_new(o, "work_plan", json_str_or_null(p->work_plan));
	json_object_set_new(o, "created_at", json_string(p->created_at));
	json_object_set_new(o, "updated_at", json_string(p->updated_at));
	return o;
}

static json_t *card_json(const char *card)
{
	return json_string(card[0] ? card : "none");
}

static json_t *task_json(const struct project_task *t)
{
	return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)t->id,
			 "project_id", (json_int_t)t->project_id, "content", t->content, "owner_user_id",
			 (json_int_t)t->owner_user_id, "assigned_on", t->assigned_on, "due_on", t->due_on, "status",
			 t->status, "evidence", json_str_or_null(t->evidence), "done_at", json_str_or_null(t->done_at),
			 "deadline", json_time_or_null(t->deadline), "card", card_json(t->card), "done_by",
			 json_id_or_null(t->done_by));
}

static json_t *problem_json(const struct project_problem *p)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:s}", "id", (json_int_t)p->id,
			      "project_id", (json_int_t)p->project_id, "kind", p->kind, "description", p->description,
			      "raised_on", p->raised_on, "raised_where", json_str_or_null(p->raised_where), "raised_by",
			      json_id_or_null(p->raised_by), "source", p->source, "unit", json_str_or_null(p->unit),
			      "owner_user_id", json_id_or_null(p->owner_user_id), "due_on",
			      json_str_or_null(p->due_on[0] ? p->due_on : NULL), "status", p->status);

	json_object_set_new(o, "evidence", json_str_or_null(p->evidence));
	json_object_set_new(o, "closed_at", json_str_or_null(p->closed_at));
	json_object_set_new(o, "closed_by", json_id_or_null(p->closed_by));
	json_object_set_new(o, "deadline", json_time_or_null(p->deadline));
	json_object_set_new(o, "card", card_json(p->card));
	json_object_set_new(o, "meeting_id", json_id_or_null(p->meeting_id));
	return o;
}

/* The steps every handler shares. */

/* The project of the path's {id}, inside the actor's scope; 0 after answering. */
static int load_project(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			struct project *p)
{
	struct fault f = { 0 };

	if (!id)
		return 0;
	if (project_get(s, id, p, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, p->node_id)) {
		project_release(p);
		return 0;
	}
	return 1;
}

/* Only that the path's project exists and lies inside the scope: 1, or 0 after answering. */
static int project_in_scope(struct http_request *req, struct http_response *res, struct store *s, int64_t id)
{
	struct project p;

	if (!load_project(req, res, s, id, &p))
		return 0;
	project_release(&p);
	return 1;
}

/* The actor plays at least the part `need` on the project (PART_MEMBER: also the row's owner); else 403. */
static int allowed(struct http_request *req, struct http_response *res, struct store *s, const struct project *p,
		   enum project_part need, int64_t row_owner)
{
	const struct actor *a = api_actor(req);
	enum project_part part;
	struct fault f = { 0 };

	if (project_part_of(s, p, a, &part, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (part >= need && (need != PART_MEMBER || part > PART_MEMBER || !row_owner || row_owner == a->user_id))
		return 1;
	http_reply_error(res, 403, "forbidden", NULL, "%s", need == PART_MEMBER ? "only the project's team, and a row's owner, act on it"
			 : "only the project office and the project's lead official may do this");
	return 0;
}

static int64_t actor_user(struct http_request *req)
{
	const struct actor *a = api_actor(req);

	return a ? a->user_id : 0;
}

/* Projects. */

static const struct api_field project_fields[] = {
	{ "code", API_STRING, 0, 0, 40 },
	{ "name", API_STRING, 0, 0, 100 },
	{ "node_id", API_ID, 0, 0, 0 },
	{ "owner_name", API_STRING, 0, 1, 100 },
	{ "category", API_STRING, 0, 1, 100 },
	{ "industry", API_STRING, 0, 1, 100 },
	{ "stage", API_STRING, 0, 0, 20 },
	{ "build_kind", API_STRING, 0, 0, 20 },
	{ "stage_on", API_DATE, 0, 0, 0 },
	{ "investment_total", API_STRING, 0, 0, 30 },
	{ "plan_year", API_INT, 0, 1, 0 },
	{ "investment_plan", API_STRING, 0, 0, 30 },
	{ "lead_user_id", API_ID, 0, 1, 0 },
	{ "work_plan", API_STRING, 0, 1, 5000 },
	{ NULL, 0, 0, 0, 0 },
};

static void project_input_from(json_t *b, struct project_input *in)
{
	memset(in, 0, sizeof(*in));
	in->code = api_str(b, "code");
	in->name = api_str(b, "name");
	in->node_id = api_int(b, "node_id", 0);
	/* null clears an optional text: the domain reads "" as cleared. */
	in->owner_name = api_is_null(b, "owner_name") ? "" : api_str(b, "owner_name");
	in->category = api_is_null(b, "category") ? "" : api_str(b, "category");
	in->industry = api_is_null(b, "industry") ? "" : api_str(b, "industry");
	in->work_plan = api_is_null(b, "work_plan") ? "" : api_str(b, "work_plan");
	in->stage = api_str(b, "stage");
	in->build_kind = api_str(b, "build_kind");
	in->stage_on = api_str(b, "stage_on");
	in->investment_total = api_str(b, "investment_total");
	in->investment_plan = api_str(b, "investment_plan");
	in->set_plan_year = api_has(b, "plan_year");
	/* out of range: a year the domain refuses, rather than one wrapped into range */
	in->plan_year = (int)(api_int(b, "plan_year", 0) < 0 || api_int(b, "plan_year", 0) > 9999 ? -1 : api_int(b, "plan_year", 0));
	in->set_lead = api_has(b, "lead_user_id");
	in->lead_user_id = api_int(b, "lead_user_id", 0);
}

static void reply_project(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			  int status, int detail)
{
	struct project p;
	struct fault f = { 0 };
	json_t *o, *a;
	size_t i;

	if (!load_project(req, res, s, id, &p))
		return;
	o = project_json(&p);
	project_release(&p);
	if (detail) {
		struct project_stage_list stages;
		struct project_member_list members;
		struct project_investment_list inv;

		if (project_stages(s, id, &stages, &f) < 0 || project_members(s, id, &members, &f) < 0) {
			json_decref(o);
			api_fail(res, &f);
			return;
		}
		a = json_array();
		for (i = 0; i < stages.n; i++) {
			const struct project_stage_row *r = &stages.items[i];

			json_array_append_new(a, json_pack("{s:s, s:o, s:s, s:o, s:o, s:s}", "stage", r->stage,
							   "build_kind", json_str_or_null(r->build_kind[0] ? r->build_kind : NULL),
							   "on", r->on_date, "reason", json_str_or_null(r->reason),
							   "by_user_id", json_id_or_null(r->by_user_id), "at", r->at));
		}
		json_object_set_new(o, "stages", a);
		a = json_array();
		for (i = 0; i < members.n; i++) {
			const struct project_member *m = &members.items[i];

			json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:o, s:s}", "id", (json_int_t)m->id, "user_id",
							   (json_int_t)m->user_id, "login", m->login, "display_name",
							   json_str_or_null(m->display_name), "duty", m->duty));
		}
		json_object_set_new(o, "members", a);
		project_stage_list_release(&stages);
		project_member_list_release(&members);
		if (project_investments(s, id, &inv, &f) < 0) {
			json_decref(o);
			api_fail(res, &f);
			return;
		}
		json_object_set_new(o, "investment_completed", money_json(inv.to_date));
		json_object_set_new(o, "investment_completed_yi", money_yi_json(inv.to_date));
		project_investment_list_release(&inv);
	}
	http_reply_json(res, status, o);
}

static void api_project_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct project_list list;
	struct fault f = { 0 };
	int64_t under, total;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_paging(req, res, &limit, &offset) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	if (project_list(s, under, http_query(req, "stage"), limit, offset, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, project_json(&list.items[i]));
	api_reply_list(res, items, total, limit, offset);
	project_list_release(&list);
}

static void api_project_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct project_input in;
	struct fault f = { 0 };
	json_t *body;
	int64_t id;

	if (!s || !(body = api_body(req, res, project_fields)))
		return;
	project_input_from(body, &in);
	if (!in.node_id)
		http_reply_error(res, 400, "invalid", "node_id", "node_id is required: the project's place on the tree");
	else if (api_scope_target(req, res, in.node_id, "node_id")) {
		if (project_create(s, &in, actor_user(req), &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_project(req, res, s, id, 201, 1);
	}
	json_decref(body);
}

static void api_project_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (id)
		reply_project(req, res, s, id, 200, 1);
}

static void api_project_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct project_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!project_in_scope(req, res, s, id))
		return;
	if (!(body = api_body(req, res, project_fields)))
		return;
	project_input_from(body, &in);
	if (in.code || in.node_id || in.stage || in.build_kind || in.stage_on)
		http_reply_error(res, 400, "invalid", in.code ? "code" : in.node_id ? "node_id" : in.stage_on ? "stage_on" : "stage",
				 "code and place are fixed; the stage moves by POST /api/v1/projects/{id}/stage");
	else if (project_update(s, id, &in, &f) < 0)
		api_fail(res, &f);
	else
		reply_project(req, res, s, id, 200, 1);
	json_decref(body);
}

static const struct api_field stage_fields[] = {
	{ "stage", API_STRING, 1, 0, 20 },
	{ "build_kind", API_STRING, 0, 0, 20 },
	{ "on", API_DATE, 1, 0, 0 },
	{ "reason", API_STRING, 0, 0, 500 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_project_stage(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct fault f = { 0 };
	json_t *body;

	if (!project_in_scope(req, res, s, id))
		return;
	if (!(body = api_body(req, res, stage_fields)))
		return;
	if (project_stage_step(s, id, api_str(body, "stage"), api_str(body, "build_kind"), api_str(body, "on"),
			       api_str(body, "reason"), actor_user(req), &f) < 0)
		api_fail(res, &f);
	else
		reply_project(req, res, s, id, 200, 1);
	json_decref(body);
}

static const struct api_field member_fields[] = {
	{ "user_id", API_ID, 1, 0, 0 },
	{ "duty", API_STRING, 1, 0, 200 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_project_member_add(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, mid;
	struct fault f = { 0 };
	json_t *body;

	if (!project_in_scope(req, res, s, id))
		return;
	if (!(body = api_body(req, res, member_fields)))
		return;
	if (project_member_add(s, id, api_int(body, "user_id", 0), api_str(body, "duty"), &mid, &f) < 0)
		api_fail(res, &f);
	else
		reply_project(req, res, s, id, 201, 1);
	json_decref(body);
}

/* Tasks (任务清单). */

static void reply_task(struct http_response *res, struct store *s, int64_t id, int status)
{
	struct project_task t;
	struct fault f = { 0 };

	if (project_task_get(s, id, &t, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, status, task_json(&t));
	project_task_release(&t);
}

static void api_project_task_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct project_task_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!project_in_scope(req, res, s, id))
		return;
	if (project_tasks(s, id, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, task_json(&list.items[i]));
	api_reply_list(res, items, (int64_t)list.n, (int)list.n, 0);
	project_task_list_release(&list);
}

static const struct api_field task_fields[] = {
	{ "content", API_STRING, 1, 0, 200 },
	{ "owner_user_id", API_ID, 1, 0, 0 },
	{ "assigned_on", API_DATE, 0, 0, 0 },
	{ "due_on", API_DATE, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_project_task_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, tid;
	struct project p;
	struct project_task_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!load_project(req, res, s, id, &p))
		return;
	if ((body = api_body(req, res, task_fields)) && allowed(req, res, s, &p, PART_LEAD, 0)) {
		in.content = api_str(body, "content");
		in.owner_user_id = api_int(body, "owner_user_id", 0);
		in.assigned_on = api_str(body, "assigned_on");
		in.due_on = api_str(body, "due_on");
		if (project_task_create(s, &p, &in, &tid, &f) < 0)
			api_fail(res, &f);
		else
			reply_task(res, s, tid, 201);
	}
	json_decref(body);
	project_release(&p);
}

/* A ledger row's project, inside the scope: 0 after answering. */
static int load_row_project(struct http_request *req, struct http_response *res, struct store *s, int64_t project_id,
			    struct project *p)
{
	struct fault f = { 0 };

	if (project_get(s, project_id, p, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, p->node_id)) {
		project_release(p);
		return 0;
	}
	return 1;
}

static const struct api_field task_update_fields[] = {
	{ "status", API_STRING, 1, 0, 10 },
	{ "evidence", API_STRING, 1, 0, 2000 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_project_task_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct project_task t;
	struct project p;
	struct fault f = { 0 };
	json_t *body;

	if (!id)
		return;
	if (project_task_get(s, id, &t, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (!load_row_project(req, res, s, t.project_id, &p)) {
		project_task_release(&t);
		return;
	}
	if ((body = api_body(req, res, task_update_fields)) && allowed(req, res, s, &p, PART_MEMBER, t.owner_user_id)) {
		if (strcmp(api_str(body, "status"), "done"))
			http_reply_error(res, 400, "invalid", "status", "status becomes done (with its evidence)");
		else if (project_task_done(s, id, api_str(body, "evidence"), actor_user(req), &f) < 0)
			api_fail(res, &f);
		else
			reply_task(res, s, id, 200);
	}
	json_decref(body);
	project_release(&p);
	project_task_release(&t);
}

/* Problems (问题清单). */

static void reply_problem(struct http_response *res, struct store *s, int64_t id, int status)
{
	struct project_problem pr;
	struct fault f = { 0 };

	if (project_problem_get(s, id, &pr, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, status, problem_json(&pr));
	project_problem_release(&pr);
}

static void api_project_problem_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct project_problem_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!project_in_scope(req, res, s, id))
		return;
	if (project_problems(s, id, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, problem_json(&list.items[i]));
	api_reply_list(res, items, (int64_t)list.n, (int)list.n, 0);
	project_problem_list_release(&list);
}

static const struct api_field problem_fields[] = {
	{ "kind", API_STRING, 1, 0, 20 },
	{ "description", API_STRING, 1, 0, 200 },
	{ "raised_on", API_DATE, 0, 0, 0 },
	{ "raised_where", API_STRING, 0, 0, 100 },
	{ "source", API_STRING, 0, 0, 10 },
	{ "unit", API_STRING, 0, 0, 100 },
	{ "owner_user_id", API_ID, 0, 0, 0 },
	{ "due_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void problem_input_from(json_t *b, struct project_problem_input *in)
{
	memset(in, 0, sizeof(*in));
	in->kind = api_str(b, "kind");
	in->description = api_str(b, "description");
	in->raised_on = api_str(b, "raised_on");
	in->raised_where = api_str(b, "raised_where");
	in->source = api_str(b, "source");
	in->unit = api_str(b, "unit");
	in->owner_user_id = api_int(b, "owner_user_id", 0);
	in->due_on = api_str(b, "due_on");
}

static void api_project_problem_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, pid;
	struct project p;
	struct project_problem_input in;
	struct fault f = { 0 };
	json_t *body;

	if (!load_project(req, res, s, id, &p))
		return;
	/* Anyone of the team raises a problem; assigning it at once is the lead's or the office's. */
	if ((body = api_body(req, res, problem_fields)) &&
	    allowed(req, res, s, &p, api_has(body, "owner_user_id") ? PART_LEAD : PART_MEMBER, 0)) {
		problem_input_from(body, &in);
		if (project_problem_raise(s, &p, &in, actor_user(req), &pid, &f) < 0)
			api_fail(res, &f);
		else
			reply_problem(res, s, pid, 201);
	}
	json_decref(body);
	project_release(&p);
}

static const struct api_field problem_action_fields[] = {
	{ "action", API_STRING, 1, 0, 10 },
	{ "owner_user_id", API_ID, 0, 0, 0 },
	{ "due_on", API_DATE, 0, 0, 0 },
	{ "unit", API_STRING, 0, 0, 100 },
	{ "evidence", API_STRING, 0, 0, 2000 },
	{ NULL, 0, 0, 0, 0 },
};

/* assign and close (销号) are the lead's and the office's; the owner starts the work. */
static void api_project_problem_act(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct project_problem pr;
	struct project_problem_input in;
	struct project p;
	struct fault f = { 0 };
	const char *action;
	json_t *body;
	int rc = 0;

	if (!id)
		return;
	if (project_problem_get(s, id, &pr, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (!load_row_project(req, res, s, pr.project_id, &p)) {
		project_problem_release(&pr);
		return;
	}
	if (!(body = api_body(req, res, problem_action_fields)))
		goto out;
	action = api_str(body, "action");
	problem_input_from(body, &in);
	if (!strcmp(action, "start")) {
		if (allowed(req, res, s, &p, PART_MEMBER, pr.owner_user_id ? pr.owner_user_id : -1))
			rc = project_problem_start(s, id, actor_user(req), &f) < 0 ? -1 : 1;
	} else if (!strcmp(action, "assign")) {
		if (allowed(req, res, s, &p, PART_LEAD, 0))
			rc = project_problem_assign(s, &p, id, &in, actor_user(req), &f) < 0 ? -1 : 1;
	} else if (!strcmp(action, "close")) {
		if (allowed(req, res, s, &p, PART_LEAD, 0))
			rc = project_problem_close(s, id, api_str(body, "evidence"), actor_user(req), &f) < 0 ? -1 : 1;
	} else {
		http_reply_error(res, 400, "invalid", "action", "action is assign, start or close");
	}
	if (rc < 0)
		api_fail(res, &f);
	else if (rc > 0)
		reply_problem(res, s, id, 200);
	json_decref(body);
out:
	project_release(&p);
	project_problem_release(&pr);
}

/* Responsibilities (责任清单). */

static void api_project_duty_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct project_duty_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (!project_in_scope(req, res, s, id))
		return;
	if (project_duties(s, id, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++) {
		const struct project_duty *d = &list.items[i];

		json_array_append_new(items, json_pack("{s:I, s:I, s:I, s:s, s:s}", "id", (json_int_t)d->id, "project_id",
						       (json_int_t)d->project_id, "user_id", (json_int_t)d->user_id, "duty",
						       d->duty, "created_at", d->created_at));
	}
	api_reply_list(res, items, (int64_t)list.n, (int)list.n, 0);
	project_duty_list_release(&list);
}

static const struct api_field duty_fields[] = {
	{ "user_id", API_ID, 1, 0, 0 },
	{ "duty", API_STRING, 1, 0, 500 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_project_duty_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, did;
	struct project p;
	struct fault f = { 0 };
	json_t *body;

	if (!load_project(req, res, s, id, &p))
		return;
	if ((body = api_body(req, res, duty_fields))) {
		if (project_duty_add(s, &p, api_int(body, "user_id", 0), api_str(body, "duty"), &did, &f) < 0)
			api_fail(res, &f);
		else
			http_reply_json(res, 201, json_pack("{s:I, s:I, s:I, s:s}", "id", (json_int_t)did, "project_id",
							    (json_int_t)id, "user_id", (json_int_t)api_int(body, "user_id", 0),
							    "duty", api_str(body, "duty")));
	}
	json_decref(body);
	project_release(&p);
}

/* Saturday dispatch meetings (周六现场调度会). */

static json_t *problems_json(const struct project_problem_list *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, problem_json(&l->items[i]));
	return a;
}

/* node_id: the subdistrict the meeting belongs to (its scope). */
static json_t *meeting_json(struct store *s, const struct project_meeting *m, int detail, struct fault *f)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:s, s:s}", "id", (json_int_t)m->id, "node_id",
			      (json_int_t)m->subdistrict_id, "held_on", m->held_on, "place", json_str_or_null(m->place),
			      "chair_user_id", json_id_or_null(m->chair_user_id), "attendees",
			      json_str_or_null(m->attendees), "minutes", json_str_or_null(m->minutes), "created_at",
			      m->created_at, "updated_at", m->updated_at);
	json_t *sites = json_array();
	size_t i;

	for (i = 0; i < m->nprojects; i++) {
		struct project p;

		if (project_get(s, m->project_ids[i], &p, f) < 0) {
			json_decref(sites);
			json_decref(o);
			return NULL;
		}
		json_array_append_new(sites, json_pack("{s:I, s:I, s:s, s:s, s:s}", "seq", (json_int_t)(i + 1), "project_id",
						       (json_int_t)p.id, "code", p.code, "name", p.name, "stage", p.stage));
		project_release(&p);
	}
	json_object_set_new(o, "sites", sites);
	if (detail) {
		struct project_problem_list raised, open;
		size_t closed = 0;

		if (project_meeting_problems(s, m->id, &raised, f) < 0) {
			json_decref(o);
			return NULL;
		}
		if (project_meeting_open_problems(s, m->id, &open, f) < 0) {
			project_problem_list_release(&raised);
			json_decref(o);
			return NULL;
		}
		for (i = 0; i < raised.n; i++)
			closed += !strcmp(raised.items[i].status, "closed");
		json_object_set_new(o, "problems_raised", problems_json(&raised));
		json_object_set_new(o, "open_problems", problems_json(&open));
		json_object_set_new(o, "counts", json_pack("{s:I, s:I, s:I}", "raised", (json_int_t)raised.n, "closed",
							   (json_int_t)closed, "open_for_review", (json_int_t)open.n));
		project_problem_list_release(&raised);
		project_problem_list_release(&open);
	}
	return o;
}

/* The meeting of the path's {id}, inside the actor's scope; 0 after answering. */
static int load_meeting(struct http_request *req, struct http_response *res, struct store *s, int64_t id,
			struct project_meeting *m)
{
	struct fault f = { 0 };

	if (!id)
		return 0;
	if (project_meeting_get(s, id, m, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	if (!api_scope_allows(req, res, m->subdistrict_id)) {
		project_meeting_release(m);
		return 0;
	}
	return 1;
}

static void reply_meeting(struct http_response *res, struct store *s, int64_t id, int status)
{
	struct project_meeting m;
	struct fault f = { 0 };
	json_t *o;

	if (project_meeting_get(s, id, &m, &f) < 0 || !(o = meeting_json(s, &m, 1, &f))) {
		project_meeting_release(&m);
		api_fail(res, &f);
		return;
	}
	project_meeting_release(&m);
	http_reply_json(res, status, o);
}

static void api_project_meeting_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct project_meeting_list list;
	struct fault f = { 0 };
	int64_t total, sub;
	int limit, offset;
	json_t *items;
	size_t i;

	if (!s || api_query_int(req, res, "subdistrict", 1, INT64_MAX, 0, &sub) < 0 ||
	    api_paging(req, res, &limit, &offset) < 0 || api_scope_under(req, res, &sub) < 0)
		return;
	if (project_meeting_list(s, sub, limit, offset, &list, &total, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++) {
		json_t *o = meeting_json(s, &list.items[i], 0, &f);

		if (!o) {
			json_decref(items);
			project_meeting_list_release(&list);
			api_fail(res, &f);
			return;
		}
		json_array_append_new(items, o);
	}
	api_reply_list(res, items, total, limit, offset);
	project_meeting_list_release(&list);
}

static const struct api_field meeting_fields[] = {
	{ "held_on", API_DATE, 0, 0, 0 },
	{ "place", API_STRING, 0, 0, 100 },
	{ "chair_user_id", API_ID, 0, 0, 0 },
	{ "attendees", API_STRING, 0, 0, 1000 },
	{ "minutes", API_STRING, 0, 0, 10000 },
	{ "project_ids", API_ID_ARRAY, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

/* The body's projects, each inside the actor's scope (else 400 on project_ids, as if missing); 0 after answering. */
static int meeting_input_from(struct http_request *req, struct http_response *res, struct store *s, json_t *b,
			      struct project_meeting_input *in, int64_t **ids)
{
	json_t *arr = json_object_get(b, "project_ids"), *e;
	size_t i;

	memset(in, 0, sizeof(*in));
	*ids = NULL;
	in->held_on = api_str(b, "held_on");
	in->place = api_str(b, "place");
	in->attendees = api_str(b, "attendees");
	in->minutes = api_str(b, "minutes");
	in->chair_user_id = api_int(b, "chair_user_id", 0);
	if (!arr)
		return 1;
	in->set_projects = 1;
	*ids = xcalloc(json_array_size(arr) + 1, sizeof(**ids));
	json_array_foreach(arr, i, e) {
		struct project p;
		struct fault f = { 0 };
		int inside;

		(*ids)[i] = (int64_t)json_integer_value(e);
		if (project_get(s, (*ids)[i], &p, &f) < 0) {
			if (f.kind == FAULT_NOT_FOUND)
				continue;	/* the domain names it */
			api_fail(res, &f);
			return 0;
		}
		inside = api_scope_target(req, res, p.node_id, "project_ids");
		project_release(&p);
		if (!inside)
			return 0;
	}
	in->project_ids = *ids;
	in->nprojects = json_array_size(arr);
	return 1;
}

static void api_project_meeting_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct project_meeting_input in;
	struct fault f = { 0 };
	int64_t *ids = NULL, id;
	json_t *body;

	if (!s || !(body = api_body(req, res, meeting_fields)))
		return;
	if (meeting_input_from(req, res, s, body, &in, &ids)) {
		if (project_meeting_create(s, &in, &id, &f) < 0)
			api_fail(res, &f);
		else
			reply_meeting(res, s, id, 201);
	}
	free(ids);
	json_decref(body);
}

static void api_project_meeting_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct project_meeting m;

	if (!load_meeting(req, res, s, id, &m))
		return;
	project_meeting_release(&m);
	reply_meeting(res, s, id, 200);
}

static void api_project_meeting_update(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, *ids = NULL;
	struct project_meeting_input in;
	struct project_meeting m;
	struct fault f = { 0 };
	json_t *body;

	if (!load_meeting(req, res, s, id, &m))
		return;
	project_meeting_release(&m);
	if (!(body = api_body(req, res, meeting_fields)))
		return;
	if (meeting_input_from(req, res, s, body, &in, &ids)) {
		if (in.held_on || in.chair_user_id)
			http_reply_error(res, 400, "invalid", in.held_on ? "held_on" : "chair_user_id",
					 "a meeting's day and chair are fixed once it is recorded");
		else if (project_meeting_update(s, id, &in, &f) < 0)
			api_fail(res, &f);
		else
			reply_meeting(res, s, id, 200);
	}
	free(ids);
	json_decref(body);
}

static const struct api_field meeting_problem_fields[] = {
	{ "project_id", API_ID, 1, 0, 0 },
	{ "kind", API_STRING, 1, 0, 20 },
	{ "description", API_STRING, 1, 0, 200 },
	{ "unit", API_STRING, 0, 0, 100 },
	{ "owner_user_id", API_ID, 0, 0, 0 },
	{ "due_on", API_DATE, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

/* A problem raised on site: straight into the project's ledger, linked to the meeting. */
static void api_project_meeting_problem_create(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0, pid, project_id;
	struct project_problem_input in;
	struct project_meeting m;
	struct project p;
	struct fault f = { 0 };
	json_t *body;

	if (!load_meeting(req, res, s, id, &m))
		return;
	if (!(body = api_body(req, res, meeting_problem_fields)))
		goto out_m;
	project_id = api_int(body, "project_id", 0);
	if (project_get(s, project_id, &p, &f) < 0) {
		if (f.kind == FAULT_NOT_FOUND)
			fault_set(&f, FAULT_INVALID, "project_id", "project %lld does not exist", (long long)project_id);
		api_fail(res, &f);
		goto out_b;
	}
	if (api_scope_target(req, res, p.node_id, "project_id") &&
	    allowed(req, res, s, &p, api_has(body, "owner_user_id") ? PART_LEAD : PART_MEMBER, 0)) {
		problem_input_from(body, &in);
		if (project_meeting_raise(s, &m, &p, &in, actor_user(req), &pid, &f) < 0)
			api_fail(res, &f);
		else
			reply_problem(res, s, pid, 201);
	}
	project_release(&p);
out_b:
	json_decref(body);
out_m:
	project_meeting_release(&m);
}

/* Investment completed, month by month. */

static void reply_investment(struct http_response *res, struct store *s, int64_t id, int status)
{
	struct project_investment_list l;
	struct fault f = { 0 };
	json_t *items = json_array(), *o;
	size_t i;

	if (project_investments(s, id, &l, &f) < 0) {
		json_decref(items);
		api_fail(res, &f);
		return;
	}
	for (i = 0; i < l.n; i++) {
		o = json_pack("{s:s}", "month", l.items[i].month);
		json_object_set_new(o, "amount", money_json(l.items[i].amount));
		json_object_set_new(o, "amount_yi", money_yi_json(l.items[i].amount));
		json_array_append_new(items, o);
	}
	o = json_pack("{s:o}", "items", items);
	json_object_set_new(o, "to_date", money_json(l.to_date));
	json_object_set_new(o, "to_date_yi", money_yi_json(l.to_date));
	project_investment_list_release(&l);
	http_reply_json(res, status, o);
}

static void api_project_investment_list(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;

	if (!project_in_scope(req, res, s, id))
		return;
	reply_investment(res, s, id, 200);
}

static const struct api_field investment_fields[] = {
	{ "month", API_STRING, 1, 0, 7 },
	{ "amount", API_STRING, 1, 0, 30 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_project_investment_report(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	int64_t id = s ? api_path_id(req, res, "id") : 0;
	struct project p;
	struct fault f = { 0 };
	json_t *body;

	if (!load_project(req, res, s, id, &p))
		return;
	if ((body = api_body(req, res, investment_fields))) {
		if (project_investment_report(s, &p, api_str(body, "month"), api_str(body, "amount"), actor_user(req), &f) < 0)
			api_fail(res, &f);
		else
			reply_investment(res, s, id, 201);
	}
	json_decref(body);
	project_release(&p);
}

/* Figures (from stored rows only). */

static void api_project_figures(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct project_figures fg;
	struct fault f = { 0 };
	char today[11];
	int64_t under, year;
	json_t *stages, *o;
	int i;

	date_today_local(today);
	if (!s || api_query_int(req, res, "under", 1, INT64_MAX, 0, &under) < 0 ||
	    api_query_int(req, res, "year", 2000, 2100, atoi(today), &year) < 0 || api_scope_under(req, res, &under) < 0)
		return;
	if (project_figures(s, under, (int)year, time_now_us() / 1000000, &fg, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	stages = json_array();
	for (i = STAGE_PLANNING; i <= STAGE_COMPLETED; i++) {
		o = json_pack("{s:s, s:I, s:I}", "stage", project_stage_name((enum project_stage)i), "projects",
			      (json_int_t)fg.stage[i].projects, "this_year", (json_int_t)fg.stage[i].this_year);
		json_object_set_new(o, "investment_total", money_json(fg.stage[i].investment));
		json_object_set_new(o, "investment_total_yi", money_yi_json(fg.stage[i].investment));
		json_object_set_new(o, "investment_this_year_yi", money_yi_json(fg.stage[i].investment_this_year));
		json_array_append_new(stages, o);
	}
	o = json_pack("{s:I, s:o, s:I, s:I}", "year", (json_int_t)fg.year, "by_stage", stages, "projects",
		      (json_int_t)fg.projects, "meetings_held", (json_int_t)fg.meetings);
	json_object_set_new(o, "investment_total", money_json(fg.investment));
	json_object_set_new(o, "investment_total_yi", money_yi_json(fg.investment));
	json_object_set_new(o, "investment_plan", money_json(fg.investment_plan));
	json_object_set_new(o, "investment_plan_yi", money_yi_json(fg.investment_plan));
	json_object_set_new(o, "investment_completed", money_json(fg.investment_completed));
	json_object_set_new(o, "investment_completed_yi", money_yi_json(fg.investment_completed));
	json_object_set_new(o, "problems", json_pack("{s:I, s:I, s:I, s:I, s:o}", "raised", (json_int_t)fg.problems_raised,
						     "closed", (json_int_t)fg.problems_closed, "open",
						     (json_int_t)fg.problems_open, "overdue_now", (json_int_t)fg.problems_overdue,
						     "median_days_to_close",
						     fg.has_median ? json_real((double)fg.median_close_half_days / 2) : json_null()));
	/* the rate in tenths of a percent, rounded half up, by integer arithmetic */
	json_object_set_new(o, "tasks", json_pack("{s:I, s:I, s:I, s:o}", "due", (json_int_t)fg.tasks_due, "done",
						  (json_int_t)fg.tasks_done, "on_time", (json_int_t)fg.tasks_on_time,
						  "on_time_percent", fg.tasks_done
						  ? json_real((double)((fg.tasks_on_time * 1000 + fg.tasks_done / 2) / fg.tasks_done) / 10)
						  : json_null()));
	http_reply_json(res, 200, o);
}

const struct http_route api_project_routes[] = {
	{ "GET", "/api/v1/projects", api_project_list, "project.read",
	  "key projects of one's scope (?under, ?stage), by code; investment in 万元 and 亿元 as text" },
	{ "POST", "/api/v1/projects", api_project_create, "project.write",
	  "a key project: code, name, place (node_id), owner, category, industry, first stage, investment, lead official" },
	{ "GET", "/api/v1/projects/{id}", api_project_get, "project.read",
	  "one project with its stage history and work team" },
	{ "PATCH", "/api/v1/projects/{id}", api_project_update, "project.write",
	  "change a project's names, investment, lead official or work plan" },
	{ "POST", "/api/v1/projects/{id}/stage", api_project_stage, "project.write",
	  "a stage step on a date (a step back needs a reason)" },
	{ "POST", "/api/v1/projects/{id}/members", api_project_member_add, "project.write",
	  "a user of the subdistrict joins the work team with a duty" },
	{ "GET", "/api/v1/projects/{id}/investment", api_project_investment_list, "project.read",
	  "investment completed, month by month (万元 and 亿元), and to date" },
	{ "POST", "/api/v1/projects/{id}/investment", api_project_investment_report, "project.write",
	  "report a month's completed investment ({month: YYYY-MM, amount}); a month reported again is replaced" },
	{ "GET", "/api/v1/projects/{id}/tasks", api_project_task_list, "project.read",
	  "the project's tasks (任务清单) with their time node's deadline and card" },
	{ "POST", "/api/v1/projects/{id}/tasks", api_project_task_create, "project.act",
	  "a task with its owner and due day (the project office or the lead official)" },
	{ "PATCH", "/api/v1/project-tasks/{id}", api_project_task_update, "project.act",
	  "a task done with its evidence (its owner, the lead official or the office)" },
	{ "GET", "/api/v1/projects/{id}/problems", api_project_problem_list, "project.read",
	  "the project's problems (问题清单) with their time node's deadline and card" },
	{ "POST", "/api/v1/projects/{id}/problems", api_project_problem_create, "project.act",
	  "raise a problem (anyone of the team); with owner and deadline it is assigned at once (the lead, the office)" },
	{ "POST", "/api/v1/project-problems/{id}/actions", api_project_problem_act, "project.act",
	  "assign (owner, deadline), start, or close (销号, with evidence) a problem" },
	{ "GET", "/api/v1/projects/{id}/duties", api_project_duty_list, "project.read",
	  "the project's responsibilities (责任清单): who answers for what" },
	{ "POST", "/api/v1/projects/{id}/duties", api_project_duty_create, "project.write",
	  "a responsibility: a user of the subdistrict and a duty" },
	{ "GET", "/api/v1/project-figures", api_project_figures, "project.read",
	  "the office's figures for ?year under ?under: projects and investment by stage, plan, meetings held,"
	  " problems raised/closed/open/overdue and median days to close, tasks on time" },
	{ "GET", "/api/v1/project-meetings", api_project_meeting_list, "project.read",
	  "Saturday dispatch meetings of one's subdistrict (?subdistrict), newest first, with the sites visited" },
	{ "POST", "/api/v1/project-meetings", api_project_meeting_create, "project.write",
	  "a dispatch meeting: day (the coming Saturday unless given), place, chair, attendees, minutes, projects in order" },
	{ "GET", "/api/v1/project-meetings/{id}", api_project_meeting_get, "project.read",
	  "one meeting: sites, the problems raised there, the open problems of the projects visited, counts" },
	{ "PATCH", "/api/v1/project-meetings/{id}", api_project_meeting_update, "project.write",
	  "a meeting's place, attendees, minutes or projects visited" },
	{ "POST", "/api/v1/project-meetings/{id}/problems", api_project_meeting_problem_create, "project.act",
	  "raise a problem on site into a visited project's ledger, linked to the meeting" },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
