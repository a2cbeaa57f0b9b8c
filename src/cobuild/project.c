/*
 * project.c - 项目清单: a project is built from one or more needs (never
 * none: "a project without a need" is refused), open and of its subdistrict,
 * with the resources matched.  Each need goes into one project and becomes
 * planned.  Until a unit claims it, the project is due to be claimed by its
 * claim_by day: a time node of kind COBUILD_UNCLAIMED_KIND, opened with the
 * project in its transaction, so an unclaimed project is carded yellow and
 * red by the shared sweeper and waits in the inbox of its place's staff.
 */
#include "cobuild/cobuild.h"
#include "calendar/calendar.h"
#include "timenode/timenode.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_CHARS 100
#define DETAIL_CHARS 2000
#define CLAIM_BY_DEFAULT_DAYS 14	/* two weeks to find a unit, unless the community says otherwise */
#define MAX_LINKS 50

void cobuild_project_release(struct cobuild_project *p)
{
	free(p->title);
	free(p->detail);
	free(p->status);
	free(p->need_ids);
	free(p->resource_ids);
	free(p->created_at);
	memset(p, 0, sizeof(*p));
}

void cobuild_project_list_release(struct cobuild_project_list *l)
{
	YL_LIST_RELEASE(l, cobuild_project_release);
}

#define PROJECT_COLUMNS                                                                                           \
	"p.id, p.subdistrict_id, p.node_id, p.title, p.detail, p.claim_by, p.status, p.created_by, p.created_at,"   \
	" t.card, t.deadline"
#define PROJECT_FROM                                                                                          \
	" FROM cobuild_projects p LEFT JOIN time_nodes t ON t.kind = '" COBUILD_UNCLAIMED_KIND "'"           \
	" AND t.ref_id = p.id AND t.state = 'open'"

static const char SQL_PROJECT_BY_ID[] = "SELECT " PROJECT_COLUMNS PROJECT_FROM " WHERE p.id = ?";
static const char SQL_PROJECTS[] =
	"SELECT " PROJECT_COLUMNS PROJECT_FROM
	" WHERE (CAST(? AS INTEGER) = 0 OR p.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
	" AND (CAST(? AS TEXT) IS NULL OR p.status = ?) ORDER BY p.id DESC";
static const char SQL_PROJECT_NEEDS[] = "SELECT need_id FROM cobuild_project_needs WHERE project_id = ? ORDER BY need_id";
static const char SQL_PROJECT_RESOURCES[] =
	"SELECT resource_id FROM cobuild_project_resources WHERE project_id = ? ORDER BY resource_id";
static const char SQL_NEED_STATE[] = "SELECT subdistrict_id, status FROM cobuild_needs WHERE id = ?";
static const char SQL_RESOURCE_SUBDISTRICT[] = "SELECT subdistrict_id FROM cobuild_resources WHERE id = ?";
static const char SQL_PROJECT_INSERT[] =
	"INSERT INTO cobuild_projects (subdistrict_id, node_id, title, detail, claim_by, created_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_LINK_NEED[] = "INSERT INTO cobuild_project_needs (project_id, need_id) VALUES (?, ?)";
static const char SQL_NEED_PLANNED[] = "UPDATE cobuild_needs SET status = 'planned' WHERE id = ? AND status = 'open'";
static const char SQL_LINK_RESOURCE[] =
	"INSERT INTO cobuild_project_resources (project_id, resource_id) VALUES (?, ?)";

static int read_ids(struct store *s, const char *sql, int64_t id, int64_t **ids, size_t *n, struct fault *f)
{
	struct store_stmt *st = store_query(s, sql, "i", id);
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	while (store_next(st, &rc)) {
		YL_GROW(*ids, *n, cap);
		(*ids)[(*n)++] = store_column_int64(st, 0);
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

static void read_project(struct store_stmt *st, struct cobuild_project *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_column_int64(st, 0);
	p->subdistrict_id = store_column_int64(st, 1);
	p->node_id = store_column_int64(st, 2);
	p->title = store_column_dup(st, 3);
	p->detail = store_column_dup(st, 4);
	store_column_copy(st, 5, p->claim_by, sizeof(p->claim_by));
	p->status = store_column_dup(st, 6);
	p->created_by = store_column_int64(st, 7);
	p->created_at = store_column_dup(st, 8);
	store_column_copy(st, 9, p->card, sizeof(p->card));
	p->deadline = store_column_int64(st, 10);
}

static int fill_links(struct store *s, struct cobuild_project *p, struct fault *f)
{
	if (read_ids(s, SQL_PROJECT_NEEDS, p->id, &p->need_ids, &p->n_needs, f) < 0 ||
	    read_ids(s, SQL_PROJECT_RESOURCES, p->id, &p->resource_ids, &p->n_resources, f) < 0)
		return -1;
	return 0;
}

int cobuild_project_get(struct store *s, int64_t id, struct cobuild_project *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_PROJECT_BY_ID, id, "project", &st, f) < 0)
		return -1;
	read_project(st, out);
	store_done(st);
	if (fill_links(s, out, f) < 0) {
		cobuild_project_release(out);
		return -1;
	}
	return 0;
}

int cobuild_project_list(struct store *s, int64_t under, const char *status, struct cobuild_project_list *out,
			 struct fault *f)
{
	struct store_stmt *st;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (status && strcmp(status, "open") && strcmp(status, "claimed") && strcmp(status, "reported") &&
	    strcmp(status, "rated"))
		return fault_set(f, FAULT_INVALID, "status", "status is open, claimed, reported or rated");
	st = store_query(s, SQL_PROJECTS, "iitt", under, under, status, status);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_project(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		cobuild_project_list_release(out);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < out->n; i++)
		if (fill_links(s, &out->items[i], f) < 0) {
			cobuild_project_list_release(out);
			return -1;
		}
	return 0;
}

/* Each need: there, of the subdistrict, open (not yet in a project), named once. */
static int needs_check(struct store *s, const struct cobuild_project_input *in, int64_t subdistrict, struct fault *f)
{
	struct store_stmt *st;
	size_t i, j;
	int bad;

	if (!in->n_needs)
		return fault_set(f, FAULT_INVALID, "need_ids", "need_ids is required: a project is built from at least one need");
	if (in->n_needs > MAX_LINKS)
		return fault_set(f, FAULT_INVALID, "need_ids", "at most %d needs", MAX_LINKS);
	for (i = 0; i < in->n_needs; i++) {
		for (j = 0; j < i; j++)
			if (in->need_ids[j] == in->need_ids[i])
				return fault_set(f, FAULT_INVALID, "need_ids", "need %lld is named twice",
						 (long long)in->need_ids[i]);
		if (store_get_by_id(s, SQL_NEED_STATE, in->need_ids[i], "need", &st, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "need_ids", "need %lld does not exist", (long long)in->need_ids[i]);
			return -1;
		}
		if (store_column_int64(st, 0) != subdistrict) {
			store_done(st);
			return fault_set(f, FAULT_INVALID, "need_ids", "need %lld belongs to another subdistrict",
					 (long long)in->need_ids[i]);
		}
		bad = strcmp(store_column_text(st, 1), "open") != 0;
		store_done(st);
		if (bad)
			return fault_set(f, FAULT_CONFLICT, "need_ids", "need %lld is already in a project",
					 (long long)in->need_ids[i]);
	}
	return 0;
}

static int resources_check(struct store *s, const struct cobuild_project_input *in, int64_t subdistrict,
			   struct fault *f)
{
	struct store_stmt *st;
	size_t i, j;
	int bad;

	if (in->n_resources > MAX_LINKS)
		return fault_set(f, FAULT_INVALID, "resource_ids", "at most %d resources", MAX_LINKS);
	for (i = 0; i < in->n_resources; i++) {
		for (j = 0; j < i; j++)
			if (in->resource_ids[j] == in->resource_ids[i])
				return fault_set(f, FAULT_INVALID, "resource_ids", "resource %lld is named twice",
						 (long long)in->resource_ids[i]);
		if (store_get_by_id(s, SQL_RESOURCE_SUBDISTRICT, in->resource_ids[i], "resource", &st, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "resource_ids", "resource %lld does not exist",
					  (long long)in->resource_ids[i]);
			return -1;
		}
		bad = store_column_int64(st, 0) != subdistrict;
		store_done(st);
		if (bad)
			return fault_set(f, FAULT_INVALID, "resource_ids", "resource %lld belongs to another subdistrict",
					 (long long)in->resource_ids[i]);
	}
	return 0;
}

int cobuild_project_create(struct store *s, const struct cobuild_project_input *in, int64_t by_user, int64_t *id,
			   struct fault *f)
{
	char today[11], claim_by[11], now[32];
	int64_t subdistrict;
	int32_t d;
	size_t i;
	int rc;

	*id = 0;
	if (check_text("title", in->title, TITLE_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("detail", in->detail, DETAIL_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (cobuild_node_subdistrict(s, in->node_id, "node_id", &subdistrict, f) < 0)
		return -1;
	date_today_local(today);
	if (in->claim_by) {
		if (date_valid(in->claim_by) != 0)
			return fault_set(f, FAULT_INVALID, "claim_by", "claim_by is a date YYYY-MM-DD");
		memcpy(claim_by, in->claim_by, sizeof(claim_by));
	} else {
		calendar_day_parse(today, &d);
		calendar_day_format(d + CLAIM_BY_DEFAULT_DAYS, claim_by);
	}
	if (strcmp(claim_by, today) <= 0)
		return fault_set(f, FAULT_INVALID, "claim_by", "claim_by must come after today (%s)", today);
	if (needs_check(s, in, subdistrict, f) < 0 || resources_check(s, in, subdistrict, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	rc = store_run(s, SQL_PROJECT_INSERT, "iitttIt", subdistrict, in->node_id, in->title, in->detail, claim_by,
		       by_user, now);
	if (rc != STORE_OK)
		goto store_fail;
	*id = store_last_id(s);
	for (i = 0; i < in->n_needs; i++) {
		if ((rc = store_run(s, SQL_LINK_NEED, "ii", *id, in->need_ids[i])) != STORE_OK ||
		    (rc = store_run(s, SQL_NEED_PLANNED, "i", in->need_ids[i])) != STORE_OK)
			goto store_fail;
	}
	for (i = 0; i < in->n_resources; i++)
		if ((rc = store_run(s, SQL_LINK_RESOURCE, "ii", *id, in->resource_ids[i])) != STORE_OK)
			goto store_fail;
	if (cobuild_time_node_open(s, COBUILD_UNCLAIMED_KIND, *id, in->title, in->node_id, 0, today, claim_by, "claim_by",
				   f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
store_fail:
	store_fault(s, rc, f);
fail:
	store_rollback(s);
	*id = 0;
	return -1;
}
