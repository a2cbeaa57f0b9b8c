/*
 * resource.c - 资源清单: what a unit or a person offers the community (a hall,
 * a doctor's hours, legal advice, funding), matched to projects.
 */
#include "cobuild/cobuild.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_CHARS 100
#define DETAIL_CHARS 2000

void cobuild_resource_release(struct cobuild_resource *r)
{
	free(r->kind);
	free(r->title);
	free(r->detail);
	free(r->offered_by);
	free(r->created_at);
	memset(r, 0, sizeof(*r));
}

void cobuild_resource_list_release(struct cobuild_resource_list *l)
{
	YL_LIST_RELEASE(l, cobuild_resource_release);
}

#define RES_COLUMNS                                                                                        \
	"r.id, r.subdistrict_id, r.node_id, r.unit_id, r.person_id, r.kind, r.title, r.detail, r.created_at," \
	" COALESCE(u.name, p.name)"
#define RES_FROM                                                                                   \
	" FROM cobuild_resources r LEFT JOIN cobuild_units u ON u.id = r.unit_id"               \
	" LEFT JOIN persons p ON p.id = r.person_id"

static void read_resource(struct store_stmt *st, struct cobuild_resource *r)
{
	memset(r, 0, sizeof(*r));
	r->id = store_column_int64(st, 0);
	r->subdistrict_id = store_column_int64(st, 1);
	r->node_id = store_column_int64(st, 2);
	r->unit_id = store_column_int64(st, 3);
	r->person_id = store_column_int64(st, 4);
	r->kind = store_column_dup(st, 5);
	r->title = store_column_dup(st, 6);
	r->detail = store_column_dup(st, 7);
	r->created_at = store_column_dup(st, 8);
	r->offered_by = store_column_dup(st, 9);
}

static const char SQL_RES_BY_ID[] = "SELECT " RES_COLUMNS RES_FROM " WHERE r.id = ?";
static const char SQL_RESOURCES[] =
	"SELECT " RES_COLUMNS RES_FROM
	" WHERE (CAST(? AS INTEGER) = 0 OR r.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
	" ORDER BY r.id";
static const char SQL_UNIT_SUBDISTRICT[] = "SELECT subdistrict_id FROM cobuild_units WHERE id = ?";
static const char SQL_PERSON_EXISTS[] = "SELECT id FROM persons WHERE id = ?";
static const char SQL_RES_INSERT[] =
	"INSERT INTO cobuild_resources (subdistrict_id, node_id, unit_id, person_id, kind, title, detail, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

int cobuild_resource_get(struct store *s, int64_t id, struct cobuild_resource *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_RES_BY_ID, id, "resource", &st, f) < 0)
		return -1;
	read_resource(st, out);
	store_done(st);
	return 0;
}

int cobuild_resource_list(struct store *s, int64_t under, struct cobuild_resource_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_RESOURCES, "ii", under, under);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_resource(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		cobuild_resource_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int cobuild_resource_create(struct store *s, const struct cobuild_resource_input *in, int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	int64_t subdistrict;
	char now[32];
	int rc;

	*id = 0;
	if (!cobuild_word_in(cobuild_resource_kinds, in->kind))
		return fault_set(f, FAULT_INVALID, "kind", "kind is venue, professional, legal, medical, funding, volunteer,"
				 " training or other");
	if (check_text("title", in->title, TITLE_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("detail", in->detail, DETAIL_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (cobuild_node_subdistrict(s, in->node_id, "node_id", &subdistrict, f) < 0)
		return -1;
	if (!in->unit_id == !in->person_id)
		return fault_set(f, FAULT_INVALID, "unit_id", "a resource is offered by a unit (unit_id) or a person"
				 " (person_id), one of them");
	if (in->unit_id) {
		if (store_get_by_id(s, SQL_UNIT_SUBDISTRICT, in->unit_id, "unit", &st, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "unit_id", "unit %lld does not exist", (long long)in->unit_id);
			return -1;
		}
		rc = store_column_int64(st, 0) != subdistrict;
		store_done(st);
		if (rc)
			return fault_set(f, FAULT_INVALID, "unit_id", "unit %lld reported to another subdistrict",
					 (long long)in->unit_id);
	} else {
		if (store_get_by_id(s, SQL_PERSON_EXISTS, in->person_id, "person", &st, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "person_id", "person %lld does not exist", (long long)in->person_id);
			return -1;
		}
		store_done(st);
	}
	time_now_text(now);
	rc = store_run(s, SQL_RES_INSERT, "iiIItttt", subdistrict, in->node_id, in->unit_id, in->person_id, in->kind,
		       in->title, in->detail, now);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}
