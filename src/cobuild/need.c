/*
 * need.c - 需求清单: what residents need ("a ramp at building 3"), where, of
 * what kind and urgency, raised by a resident (a person), a grid member, a
 * council or from a work order, recorded by a user.  open -> planned (it went
 * into a project) -> met (the community rated the claim that carried it out).
 */
#include "cobuild/cobuild.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_CHARS 100
#define DETAIL_CHARS 2000

void cobuild_need_release(struct cobuild_need *n)
{
	free(n->title);
	free(n->detail);
	free(n->kind);
	free(n->urgency);
	free(n->source);
	free(n->status);
	free(n->created_at);
	memset(n, 0, sizeof(*n));
}

void cobuild_need_list_release(struct cobuild_need_list *l)
{
	YL_LIST_RELEASE(l, cobuild_need_release);
}

#define NEED_COLUMNS                                                                                             \
	"n.id, n.subdistrict_id, n.node_id, n.title, n.detail, n.kind, n.urgency, n.source, n.raised_by_person_id," \
	" n.work_order_id, n.raised_by_user_id, n.raised_on, n.status, n.met_on, n.created_at, pn.project_id"
#define NEED_FROM " FROM cobuild_needs n LEFT JOIN cobuild_project_needs pn ON pn.need_id = n.id"

static void read_need(struct store_stmt *st, struct cobuild_need *n)
{
	memset(n, 0, sizeof(*n));
	n->id = store_column_int64(st, 0);
	n->subdistrict_id = store_column_int64(st, 1);
	n->node_id = store_column_int64(st, 2);
	n->title = store_column_dup(st, 3);
	n->detail = store_column_dup(st, 4);
	n->kind = store_column_dup(st, 5);
	n->urgency = store_column_dup(st, 6);
	n->source = store_column_dup(st, 7);
	n->raised_by_person_id = store_column_int64(st, 8);
	n->work_order_id = store_column_int64(st, 9);
	n->raised_by_user_id = store_column_int64(st, 10);
	store_column_copy(st, 11, n->raised_on, sizeof(n->raised_on));
	n->status = store_column_dup(st, 12);
	store_column_copy(st, 13, n->met_on, sizeof(n->met_on));
	n->created_at = store_column_dup(st, 14);
	n->project_id = store_column_int64(st, 15);
}

static const char SQL_NEED_BY_ID[] = "SELECT " NEED_COLUMNS NEED_FROM " WHERE n.id = ?";
static const char SQL_NEEDS[] =
	"SELECT " NEED_COLUMNS NEED_FROM
	" WHERE (CAST(? AS INTEGER) = 0 OR n.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
	" AND (CAST(? AS TEXT) IS NULL OR n.status = ?) ORDER BY n.raised_on DESC, n.id DESC";
static const char SQL_PERSON_EXISTS[] = "SELECT id FROM persons WHERE id = ?";
static const char SQL_ORDER_SUBDISTRICT[] = "SELECT subdistrict_id FROM work_orders WHERE id = ?";
static const char SQL_NEED_INSERT[] =
	"INSERT INTO cobuild_needs (subdistrict_id, node_id, title, detail, kind, urgency, source, raised_by_person_id,"
	" work_order_id, raised_by_user_id, raised_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int cobuild_need_get(struct store *s, int64_t id, struct cobuild_need *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_NEED_BY_ID, id, "need", &st, f) < 0)
		return -1;
	read_need(st, out);
	store_done(st);
	return 0;
}

int cobuild_need_list(struct store *s, int64_t under, const char *status, struct cobuild_need_list *out,
		      struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (status && strcmp(status, "open") && strcmp(status, "planned") && strcmp(status, "met"))
		return fault_set(f, FAULT_INVALID, "status", "status is open, planned or met");
	st = store_query(s, SQL_NEEDS, "iitt", under, under, status, status);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_need(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		cobuild_need_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int cobuild_need_create(struct store *s, const struct cobuild_need_input *in, int64_t by_user, int64_t *id,
			struct fault *f)
{
	struct store_stmt *st;
	char today[11], now[32];
	const char *raised_on = in->raised_on, *urgency = in->urgency ? in->urgency : "normal";
	int64_t subdistrict;
	int rc;

	*id = 0;
	if (check_text("title", in->title, TITLE_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("detail", in->detail, DETAIL_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (!cobuild_word_in(cobuild_need_kinds, in->kind))
		return fault_set(f, FAULT_INVALID, "kind", "kind is facility, care, health, legal, education, culture,"
				 " environment, finance, employment or other");
	if (strcmp(urgency, "normal") && strcmp(urgency, "urgent"))
		return fault_set(f, FAULT_INVALID, "urgency", "urgency is normal or urgent");
	if (!cobuild_word_in(cobuild_need_sources, in->source))
		return fault_set(f, FAULT_INVALID, "source", "source is resident, grid_member, council or work_order");
	if (!raised_on) {
		date_today_local(today);
		raised_on = today;
	}
	if (cobuild_past_date("raised_on", raised_on, f) < 0)
		return -1;
	if (cobuild_node_subdistrict(s, in->node_id, "node_id", &subdistrict, f) < 0)
		return -1;
	if (!strcmp(in->source, "resident") && !in->raised_by_person_id)
		return fault_set(f, FAULT_INVALID, "raised_by_person_id",
				 "raised_by_person_id is required: the resident who raised the need");
	if (in->raised_by_person_id) {
		if (store_get_by_id(s, SQL_PERSON_EXISTS, in->raised_by_person_id, "person", &st, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "raised_by_person_id", "person %lld does not exist",
					  (long long)in->raised_by_person_id);
			return -1;
		}
		store_done(st);
	}
	if (!strcmp(in->source, "work_order") && !in->work_order_id)
		return fault_set(f, FAULT_INVALID, "work_order_id", "work_order_id is required for a need from a work order");
	if (in->work_order_id) {
		if (store_get_by_id(s, SQL_ORDER_SUBDISTRICT, in->work_order_id, "work order", &st, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "work_order_id", "work order %lld does not exist",
					  (long long)in->work_order_id);
			return -1;
		}
		rc = store_column_int64(st, 0) != subdistrict;
		store_done(st);
		if (rc)
			return fault_set(f, FAULT_INVALID, "work_order_id", "work order %lld belongs to another subdistrict",
					 (long long)in->work_order_id);
	}
	time_now_text(now);
	rc = store_run(s, SQL_NEED_INSERT, "iitttttIIItt", subdistrict, in->node_id, in->title, in->detail,
		       in->kind, urgency, in->source, in->raised_by_person_id, in->work_order_id, by_user, raised_on, now);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}
