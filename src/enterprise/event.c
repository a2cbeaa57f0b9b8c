/*
 * event.c - events for enterprises, such as the finance and legal 直通车 (a
 * bank or a law firm meets enterprises): the node that held it, the day, the
 * kind, the partner and the enterprises attending, each an enterprise of the
 * node's subdistrict, once.  Written in one transaction with its attendees.
 */
#include "enterprise/enterprise.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_CHARS 200
#define PARTNER_CHARS 100
#define MAX_ATTENDEES 500

static int kind_valid(const char *k)
{
	return k && (!strcmp(k, "finance") || !strcmp(k, "legal") || !strcmp(k, "policy") || !strcmp(k, "other"));
}

void enterprise_event_release(struct enterprise_event *e)
{
	free(e->title);
	free(e->partner);
	free(e->attendees);
	memset(e, 0, sizeof(*e));
}

void enterprise_event_list_release(struct enterprise_event_list *l)
{
	YL_LIST_RELEASE(l, enterprise_event_release);
}

static const char SQL_NODE[] = "SELECT subdistrict_id FROM nodes WHERE id = ?";
static const char SQL_ENTERPRISE[] = "SELECT subdistrict_id FROM enterprises WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO enterprise_events (subdistrict_id, node_id, held_on, kind, title, partner, created_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ATTEND[] =
	"INSERT INTO enterprise_event_attendees (event_id, enterprise_id, subdistrict_id) VALUES (?, ?, ?)";
#define EVENT_COLUMNS                                                                                          \
	"v.id, v.node_id, v.held_on, v.kind, v.title, v.partner,"                                               \
	" (SELECT count(*) FROM enterprise_event_attendees a WHERE a.event_id = v.id)"
static const char SQL_GET[] = "SELECT " EVENT_COLUMNS " FROM enterprise_events v WHERE v.id = ?";
static const char SQL_ATTENDEES[] =
	"SELECT enterprise_id FROM enterprise_event_attendees WHERE event_id = ? ORDER BY enterprise_id";
#define EVENT_WHERE                                                                                            \
	" WHERE (CAST(? AS INTEGER) = 0 OR v.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS INTEGER) = 0 OR v.id IN (SELECT event_id FROM enterprise_event_attendees"                \
	"  WHERE enterprise_id = ?))"                                                                            \
	" AND (CAST(? AS TEXT) IS NULL OR v.kind = ?)"                                                             \
	" AND (CAST(? AS TEXT) IS NULL OR v.held_on >= ?) AND (CAST(? AS TEXT) IS NULL OR v.held_on <= ?)"
static const char SQL_COUNT[] = "SELECT count(*) FROM enterprise_events v" EVENT_WHERE;
static const char SQL_LIST[] =
	"SELECT " EVENT_COLUMNS " FROM enterprise_events v" EVENT_WHERE " ORDER BY v.held_on DESC, v.id DESC LIMIT ? OFFSET ?";

static void read_event(struct store_stmt *st, struct enterprise_event *e)
{
	memset(e, 0, sizeof(*e));
	e->id = store_column_int64(st, 0);
	e->node_id = store_column_int64(st, 1);
	store_column_copy(st, 2, e->held_on, sizeof(e->held_on));
	store_column_copy(st, 3, e->kind, sizeof(e->kind));
	e->title = store_column_dup(st, 4);
	e->partner = store_column_dup(st, 5);
	e->attendee_count = store_column_int64(st, 6);
}

/* The subdistrict of a row named in field; 400 on that field when none. */
static int subdistrict_of(struct store *s, const char *sql, int64_t id, const char *field, int64_t *out,
			  struct fault *f)
{
	struct store_stmt *st;

	if (store_get_by_id(s, sql, id, field, &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, field, "%s %lld does not exist", field, (long long)id);
		return -1;
	}
	*out = store_column_int64(st, 0);
	store_done(st);
	if (!*out)
		*out = id;
	return 0;
}

int enterprise_event_add(struct store *s, const struct enterprise_event_input *in, int64_t *id, struct fault *f)
{
	int64_t subdistrict, theirs;
	char now[32];
	size_t i, j;
	int rc;

	*id = 0;
	if (!in->held_on)
		return fault_set(f, FAULT_INVALID, "held_on", "held_on is required (YYYY-MM-DD)");
	if (enterprise_past_date_check("held_on", in->held_on, f) < 0)
		return -1;
	if (!kind_valid(in->kind))
		return fault_set(f, FAULT_INVALID, "kind", "kind is finance, legal, policy or other");
	if (check_text("title", in->title, TITLE_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("partner", in->partner, PARTNER_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	if (!in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required: who held the event");
	if (in->nenterprises > MAX_ATTENDEES)
		return fault_set(f, FAULT_INVALID, "enterprise_ids", "at most %d enterprises attend one event", MAX_ATTENDEES);
	if (subdistrict_of(s, SQL_NODE, in->node_id, "node_id", &subdistrict, f) < 0)
		return -1;
	for (i = 0; i < in->nenterprises; i++) {
		for (j = 0; j < i; j++)
			if (in->enterprise_ids[j] == in->enterprise_ids[i])
				return fault_set(f, FAULT_INVALID, "enterprise_ids", "enterprise %lld is listed twice",
						 (long long)in->enterprise_ids[i]);
		if (subdistrict_of(s, SQL_ENTERPRISE, in->enterprise_ids[i], "enterprise_ids", &theirs, f) < 0)
			return -1;
		if (theirs != subdistrict)
			return fault_set(f, FAULT_INVALID, "enterprise_ids", "enterprise %lld is not in the event's subdistrict",
					 (long long)in->enterprise_ids[i]);
	}
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	if ((rc = store_run(s, SQL_INSERT, "iittttIt", subdistrict, in->node_id, in->held_on, in->kind, in->title,
			    in->partner, in->created_by, now)) != STORE_OK)
		goto fail;
	*id = store_last_id(s);
	for (i = 0; i < in->nenterprises; i++)
		if ((rc = store_run(s, SQL_ATTEND, "iii", *id, in->enterprise_ids[i], subdistrict)) != STORE_OK)
			goto fail;
	if ((rc = store_commit(s)) != STORE_OK) {
		*id = 0;
		return store_fault(s, rc, f);
	}
	return 0;
fail:
	store_fault(s, rc, f);
	store_rollback(s);
	*id = 0;
	return -1;
}

int enterprise_event_get(struct store *s, int64_t id, struct enterprise_event *out, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_GET, id, "event", &st, f) < 0)
		return -1;
	read_event(st, out);
	store_done(st);
	st = store_query(s, SQL_ATTENDEES, "i", id);
	while (store_next(st, &rc)) {
		YL_GROW(out->attendees, out->nattendees, cap);
		out->attendees[out->nattendees++] = store_column_int64(st, 0);
	}
	if (rc != STORE_DONE) {
		enterprise_event_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int enterprise_events(struct store *s, const struct enterprise_service_filter *flt, struct enterprise_event_list *out,
		      struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (flt->kind && !kind_valid(flt->kind))
		return fault_set(f, FAULT_INVALID, "kind", "kind is finance, legal, policy or other");
	if ((flt->from && date_valid(flt->from) != 0) || (flt->to && date_valid(flt->to) != 0))
		return fault_set(f, FAULT_INVALID, flt->from && date_valid(flt->from) != 0 ? "from" : "to",
				 "from and to are dates as YYYY-MM-DD");
#define FILTER_ARGS                                                                                            \
	flt->under_id, flt->under_id, flt->enterprise_id, flt->enterprise_id, flt->kind, flt->kind, flt->from,       \
		flt->from, flt->to, flt->to
	st = store_query(s, SQL_COUNT, "iiiitttttt", FILTER_ARGS);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	out->total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_LIST, "iiiittttttii", FILTER_ARGS, (int64_t)(flt->limit > 0 ? flt->limit : 50),
			 (int64_t)(flt->offset > 0 ? flt->offset : 0));
#undef FILTER_ARGS
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_event(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		enterprise_event_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
