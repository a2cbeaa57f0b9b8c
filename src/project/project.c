/*
 * project.c - the project rows: create (with its first stage in the history),
 * update, one by id, and the list under a node.  Stage steps: stage.c; the
 * work team and who may act: team.c and access.c.
 */
#include "project/project.h"
#include "project/project_internal.h"
#include "org/org.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_CHARS 40
#define NAME_CHARS 100
#define TEXT_CHARS 100
#define PLAN_CHARS 5000

void project_release(struct project *p)
{
	free(p->code);
	free(p->name);
	free(p->owner_name);
	free(p->category);
	free(p->industry);
	free(p->work_plan);
	free(p->created_at);
	free(p->updated_at);
	free(p->lead_name);
	memset(p, 0, sizeof(*p));
}

void project_list_release(struct project_list *l)
{
	YL_LIST_RELEASE(l, project_release);
}

#define PROJECT_COLUMNS                                                                                       \
	"id, subdistrict_id, node_id, code, name, owner_name, category, industry, stage, build_kind, stage_on," \
	" investment_total, plan_year, investment_plan, lead_user_id, work_plan, created_at, updated_at,"      \
	" (SELECT COALESCE(display_name, login) FROM users WHERE users.id = projects.lead_user_id)"

static void read_project(struct store_stmt *st, struct project *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_column_int64(st, 0);
	p->subdistrict_id = store_column_int64(st, 1);
	p->node_id = store_column_int64(st, 2);
	p->code = store_column_dup(st, 3);
	p->name = store_column_dup(st, 4);
	p->owner_name = store_column_dup(st, 5);
	p->category = store_column_dup(st, 6);
	p->industry = store_column_dup(st, 7);
	store_column_copy(st, 8, p->stage, sizeof(p->stage));
	store_column_copy(st, 9, p->build_kind, sizeof(p->build_kind));
	store_column_copy(st, 10, p->stage_on, sizeof(p->stage_on));
	p->investment_total = store_column_int64(st, 11);
	p->plan_year = (int)store_column_int64(st, 12);
	p->investment_plan = store_column_int64(st, 13);
	p->lead_user_id = store_column_int64(st, 14);
	p->work_plan = store_column_dup(st, 15);
	p->created_at = store_column_dup(st, 16);
	p->updated_at = store_column_dup(st, 17);
	p->lead_name = store_column_dup(st, 18);
}

static const char SQL_PROJECT_BY_ID[] = "SELECT " PROJECT_COLUMNS " FROM projects WHERE id = ?";

int project_get(struct store *s, int64_t id, struct project *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_PROJECT_BY_ID, id, "project", &st, f) < 0)
		return -1;
	read_project(st, out);
	store_done(st);
	return 0;
}

static const char SQL_PROJECT_LIST[] =
	"SELECT " PROJECT_COLUMNS " FROM projects"
	" WHERE (CAST(? AS INTEGER) = 0 OR node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
	" AND (CAST(? AS TEXT) IS NULL OR stage = ?) ORDER BY code, id LIMIT ? OFFSET ?";
static const char SQL_PROJECT_COUNT[] =
	"SELECT count(*) FROM projects"
	" WHERE (CAST(? AS INTEGER) = 0 OR node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
	" AND (CAST(? AS TEXT) IS NULL OR stage = ?)";

int project_list(struct store *s, int64_t under, const char *stage, int limit, int offset, struct project_list *out,
		 int64_t *total, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	*total = 0;
	if (stage && project_stage_parse(stage) == STAGE_NONE)
		return fault_set(f, FAULT_INVALID, "stage", "stage is planning, signed, to_start, building or completed");
	st = store_query(s, SQL_PROJECT_COUNT, "iitt", under, under, stage, stage);
	if (store_next(st, &rc)) {
		*total = store_column_int64(st, 0);
		store_done(st);
	} else {
		return store_fault(s, rc, f);
	}
	st = store_query(s, SQL_PROJECT_LIST, "iittii", under, under, stage, stage, (int64_t)limit, (int64_t)offset);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_project(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		project_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/* The text fields, the amounts and the year; amounts parsed into *total and *plan when given. */
static int check_input(const struct project_input *in, int create, int64_t *total, int64_t *plan, struct fault *f)
{
	enum text_rule req = create ? TEXT_REQUIRED : TEXT_NOT_BLANK;

	if (create && (!in->code || !ascii_token_valid(in->code, CODE_CHARS)))
		return fault_set(f, FAULT_INVALID, "code", "code is 1 to %d letters, digits or signs, no spaces", CODE_CHARS);
	if (check_text("name", in->name, NAME_CHARS, req, f) < 0 ||
	    check_text("owner_name", in->owner_name, TEXT_CHARS, TEXT_OPTIONAL, f) < 0 ||
	    check_text("category", in->category, TEXT_CHARS, TEXT_OPTIONAL, f) < 0 ||
	    check_text("industry", in->industry, TEXT_CHARS, TEXT_OPTIONAL, f) < 0 ||
	    check_text("work_plan", in->work_plan, PLAN_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (in->investment_total && project_money_parse("investment_total", in->investment_total, total, f) < 0)
		return -1;
	if (in->investment_plan && project_money_parse("investment_plan", in->investment_plan, plan, f) < 0)
		return -1;
	if (in->set_plan_year && in->plan_year && (in->plan_year < 2000 || in->plan_year > 2100))
		return fault_set(f, FAULT_INVALID, "plan_year", "plan_year is a year from 2000 to 2100");
	if (*plan > *total && (in->investment_plan || in->investment_total))
		return fault_set(f, FAULT_INVALID, in->investment_plan ? "investment_plan" : "investment_total",
				 "this year's plan must not exceed the total investment");
	return 0;
}

/* A date that is real and not after today (Asia/Shanghai). */
int project_past_date(const char *field, const char *d, struct fault *f)
{
	char today[11];

	if (!d || date_valid(d) != 0)
		return fault_set(f, FAULT_INVALID, field, "%s is a date YYYY-MM-DD", field);
	date_today_local(today);
	if (strcmp(d, today) > 0)
		return fault_set(f, FAULT_INVALID, field, "%s must not be in the future", field);
	return 0;
}

static const char SQL_PROJECT_CODE_TAKEN[] = "SELECT id FROM projects WHERE code = ?";
static const char SQL_PROJECT_INSERT[] =
	"INSERT INTO projects (subdistrict_id, node_id, code, name, owner_name, category, industry, stage, build_kind,"
	" stage_on, investment_total, plan_year, investment_plan, lead_user_id, work_plan, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_STAGE_INSERT[] =
	"INSERT INTO project_stages (project_id, stage, build_kind, on_date, reason, by_user_id, at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";

int project_stage_record(struct store *s, int64_t id, const char *stage, const char *build_kind, const char *on,
			 const char *reason, int64_t by_user, struct fault *f)
{
	char now[32];
	int rc;

	time_now_text(now);
	rc = store_run(s, SQL_STAGE_INSERT, "ittttIt", id, stage, build_kind, on, reason, by_user, now);
	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}

int project_create(struct store *s, const struct project_input *in, int64_t by_user, int64_t *id, struct fault *f)
{
	struct project tmp;
	struct node n;
	struct store_stmt *st;
	int64_t total = 0, plan = 0, other = 0;
	char now[32];
	int rc;

	*id = 0;
	if (check_input(in, 1, &total, &plan, f) < 0)
		return -1;
	if (project_stage_check(NULL, in->stage ? in->stage : "planning", in->build_kind, NULL, f) < 0)
		return -1;
	if (project_past_date("stage_on", in->stage_on, f) < 0)
		return -1;
	if (!in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required: the project's place on the tree");
	if (org_node_get(s, in->node_id, &n, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "node_id", "node %lld does not exist", (long long)in->node_id);
		return -1;
	}
	memset(&tmp, 0, sizeof(tmp));
	tmp.subdistrict_id = n.subdistrict_id ? n.subdistrict_id : n.id;
	node_release(&n);
	if (in->lead_user_id && project_user_check(s, &tmp, in->lead_user_id, "lead_user_id", f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_PROJECT_CODE_TAKEN, "t", in->code);
	if (store_next(st, &rc)) {
		other = store_column_int64(st, 0);
		store_done(st);
	} else if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (other) {
		fault_set(f, FAULT_CONFLICT, "code", "the project code '%s' is already used by project %lld", in->code,
			  (long long)other);
		goto fail;
	}
	time_now_text(now);
	rc = store_run(s, SQL_PROJECT_INSERT, "iittttttttiiiIttt", tmp.subdistrict_id, in->node_id, in->code, in->name,
		       in->owner_name, in->category, in->industry, in->stage ? in->stage : "planning", in->build_kind,
		       in->stage_on, total, (int64_t)in->plan_year, plan, in->lead_user_id, in->work_plan, now, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if (project_stage_record(s, *id, in->stage ? in->stage : "planning", in->build_kind, in->stage_on, NULL,
				 by_user, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	*id = 0;
	return -1;
}

static const char SQL_PROJECT_UPDATE[] =
	"UPDATE projects SET name = ?, owner_name = ?, category = ?, industry = ?, investment_total = ?, plan_year = ?,"
	" investment_plan = ?, lead_user_id = ?, work_plan = ?, updated_at = ? WHERE id = ?";

/* NULL leaves the old text; "" (blank optional text) clears it. */
static const char *pick(const char *given, const char *old)
{
	if (!given)
		return old;
	return text_blank(given) ? NULL : given;
}

int project_update(struct store *s, int64_t id, const struct project_input *in, struct fault *f)
{
	struct project p;
	int64_t total, plan;
	char now[32];
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (project_get(s, id, &p, f) < 0)
		goto fail;
	total = p.investment_total;
	plan = p.investment_plan;
	if (check_input(in, 0, &total, &plan, f) < 0)
		goto fail_p;
	if (in->set_lead && in->lead_user_id && project_user_check(s, &p, in->lead_user_id, "lead_user_id", f) < 0)
		goto fail_p;
	time_now_text(now);
	rc = store_run(s, SQL_PROJECT_UPDATE, "ttttiiiItti", in->name ? in->name : p.name,
		       pick(in->owner_name, p.owner_name), pick(in->category, p.category), pick(in->industry, p.industry),
		       total, (int64_t)(in->set_plan_year ? in->plan_year : p.plan_year), plan,
		       in->set_lead ? in->lead_user_id : p.lead_user_id, pick(in->work_plan, p.work_plan), now, id);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_p;
	}
	project_release(&p);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_p:
	project_release(&p);
fail:
	store_rollback(s);
	return -1;
}
