/*
 * resolution.c - resolutions (决议) of a passed proposal: content, owner, the
 * day given and the day due, a time node of kind COUNCIL_RESOLUTION_KIND on
 * the shared engine (calendar days from the start of the day given to the end
 * of the day due, answered by the council's place: the sweeper cards it and
 * climbs it to the community when red; the inbox lists it for its owner),
 * done with evidence (the time node closes).  A resolution may spawn one work
 * order through the ordinary intake (with the actor's own rights); the
 * resolution keeps the order's id and the order is found by it
 * (council_resolutions(..., work_order_id)): linked both ways.
 */
#include "council/council_internal.h"
#include "calendar/calendar.h"
#include "timenode/timenode.h"
#include "util/check.h"
#include "util/util.h"
#include "workorder/workorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTENT_CHARS 200
#define EVIDENCE_CHARS 2000

void council_resolution_release(struct council_resolution *r)
{
	free(r->content);
	free(r->evidence);
	free(r->done_at);
	free(r->created_at);
	memset(r, 0, sizeof(*r));
}

void council_resolution_list_release(struct council_resolution_list *l)
{
	YL_LIST_RELEASE(l, council_resolution_release);
}

#define RESOLUTION_COLUMNS                                                                                      \
	"r.id, r.council_id, r.proposal_id, r.content, r.owner_user_id, r.assigned_on, r.due_on, r.status,"       \
	" r.evidence, r.done_at, r.done_by, r.work_order_id, r.created_at, n.card, n.deadline"
#define RESOLUTION_FROM                                                                                         \
	" FROM council_resolutions r LEFT JOIN time_nodes n ON n.kind = '" COUNCIL_RESOLUTION_KIND "'"            \
	" AND n.ref_id = r.id"

static void read_resolution(struct store_stmt *st, struct council_resolution *r)
{
	memset(r, 0, sizeof(*r));
	r->id = store_column_int64(st, 0);
	r->council_id = store_column_int64(st, 1);
	r->proposal_id = store_column_int64(st, 2);
	r->content = store_column_dup(st, 3);
	r->owner_user_id = store_column_int64(st, 4);
	store_column_copy(st, 5, r->assigned_on, sizeof(r->assigned_on));
	store_column_copy(st, 6, r->due_on, sizeof(r->due_on));
	store_column_copy(st, 7, r->status, sizeof(r->status));
	r->evidence = store_column_dup(st, 8);
	r->done_at = store_column_dup(st, 9);
	r->done_by = store_column_int64(st, 10);
	r->work_order_id = store_column_int64(st, 11);
	r->created_at = store_column_dup(st, 12);
	store_column_copy(st, 13, r->card, sizeof(r->card));
	r->deadline = store_column_int64(st, 14);
}

static const char SQL_RESOLUTION_BY_ID[] = "SELECT " RESOLUTION_COLUMNS RESOLUTION_FROM " WHERE r.id = ?";
static const char SQL_RESOLUTIONS[] =
	"SELECT " RESOLUTION_COLUMNS RESOLUTION_FROM
	" WHERE (CAST(? AS INTEGER) = 0 OR r.proposal_id = ?) AND (CAST(? AS INTEGER) = 0 OR r.work_order_id = ?)"
	" ORDER BY r.id";

int council_resolution_get(struct store *s, int64_t id, struct council_resolution *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_RESOLUTION_BY_ID, id, "resolution", &st, f) < 0)
		return -1;
	read_resolution(st, out);
	store_done(st);
	return 0;
}

int council_resolutions(struct store *s, int64_t proposal_id, int64_t work_order_id,
			struct council_resolution_list *out, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!proposal_id && !work_order_id)
		return fault_set(f, FAULT_INVALID, "proposal_id", "resolutions of a proposal or of a work order");
	st = store_query(s, SQL_RESOLUTIONS, "iiii", proposal_id, proposal_id, work_order_id, work_order_id);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_resolution(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		council_resolution_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_RESOLUTION_INSERT[] =
	"INSERT INTO council_resolutions (subdistrict_id, council_id, proposal_id, content, owner_user_id, assigned_on,"
	" due_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

int council_resolution_create(struct store *s, int64_t proposal_id, const struct council_resolution_input *in,
			      int64_t *id, struct fault *f)
{
	struct council_proposal p;
	struct council c;
	struct tn_open_input tn = { 0 };
	char today[11], now[32];
	const char *from = in->assigned_on;
	int32_t d0, d1;
	int64_t node;
	int rc;

	*id = 0;
	if (check_text("content", in->content, CONTENT_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!in->owner_user_id)
		return fault_set(f, FAULT_INVALID, "owner_user_id", "owner_user_id is required: who carries it out");
	date_today_local(today);
	if (!from)
		from = today;
	if (council_date("assigned_on", from, f) < 0)
		return -1;
	if (strcmp(from, today) > 0)
		return fault_set(f, FAULT_INVALID, "assigned_on", "assigned_on must not be in the future");
	if (council_date("due_on", in->due_on, f) < 0)
		return -1;
	if (calendar_day_parse(from, &d0) < 0 || calendar_day_parse(in->due_on, &d1) < 0 || d1 - d0 < 1 || d1 - d0 > 365)
		return fault_set(f, FAULT_INVALID, "due_on", "due_on is 1 to 365 days after %s", from);
	if (council_proposal_get(s, proposal_id, &p, f) < 0)
		return -1;
	rc = strcmp(p.status, "passed");
	if (rc) {
		fault_set(f, FAULT_CONFLICT, "status", "proposal %lld is %s: only a passed proposal has resolutions",
			  (long long)proposal_id, p.status);
		council_proposal_release(&p);
		return -1;
	}
	if (council_get(s, p.council_id, &c, f) < 0) {
		council_proposal_release(&p);
		return -1;
	}
	council_proposal_release(&p);
	node = c.node_id;
	if (council_user_check(s, c.subdistrict_id, in->owner_user_id, "owner_user_id", f) < 0)
		goto fail_c;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_c;
	}
	time_now_text(now);
	rc = store_run(s, SQL_RESOLUTION_INSERT, "iiitittt", c.subdistrict_id, c.id, proposal_id, in->content,
		       in->owner_user_id, from, in->due_on, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	tn.kind = COUNCIL_RESOLUTION_KIND;
	tn.ref_id = *id;
	tn.title = in->content;
	tn.node_id = node;
	tn.assignee_user_id = in->owner_user_id;
	tn.start = calendar_day_start(d0);
	tn.days = (int)(d1 - d0);
	tn.rule = TN_CALENDAR_DAYS;
	{
		int64_t tn_id;

		if (tn_open(s, &tn, &tn_id, f) < 0)
			goto fail;
	}
	council_release(&c);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
fail_c:
	council_release(&c);
	*id = 0;
	return -1;
}

static const char SQL_RESOLUTION_DONE[] =
	"UPDATE council_resolutions SET status = 'done', evidence = ?, done_at = ?, done_by = ? WHERE id = ? AND status = 'open'";

int council_resolution_done(struct store *s, int64_t id, const char *evidence, int64_t by_user, int64_t at,
			    struct fault *f)
{
	struct council_resolution r;
	char now[32];
	int32_t given;
	int rc;

	if (check_text("evidence", evidence, EVIDENCE_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!at)
		at = time_now_us() / 1000000;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (council_resolution_get(s, id, &r, f) < 0)
		goto fail;
	rc = strcmp(r.status, "open");
	given = 0;
	calendar_day_parse(r.assigned_on, &given);
	council_resolution_release(&r);
	if (rc) {
		fault_set(f, FAULT_CONFLICT, "status", "resolution %lld is done already", (long long)id);
		goto fail;
	}
	if (at < calendar_day_start(given) || at > time_now_us() / 1000000 + 60) {
		fault_set(f, FAULT_INVALID, "at", "a resolution is done between the day it was given and now");
		goto fail;
	}
	time_format_utc(at, now, sizeof(now));
	if ((rc = store_run(s, SQL_RESOLUTION_DONE, "ttIi", evidence, now, by_user, id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (tn_done(s, COUNCIL_RESOLUTION_KIND, id, at, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_LINK_ORDER[] =
	"UPDATE council_resolutions SET work_order_id = ? WHERE id = ? AND work_order_id IS NULL";
static const char SQL_COUNCIL_NODE[] = "SELECT node_id, name FROM councils WHERE id = ?";

int council_resolution_spawn_order(struct store *s, const struct actor *a, int64_t id, int64_t category_id,
				   const char *type, const char *text, int64_t *order_id, struct fault *f)
{
	struct council_resolution r;
	struct wo_input in;
	struct store_stmt *st;
	char *name = NULL, *body = NULL;
	int replayed = 0, rc;
	size_t n;

	*order_id = 0;
	if (!category_id)
		return fault_set(f, FAULT_INVALID, "category_id", "category_id is required: the work order's category");
	if (check_text("text", text, 2000, TEXT_NOT_BLANK, f) < 0)
		return -1;
	if (council_resolution_get(s, id, &r, f) < 0)
		return -1;
	if (r.work_order_id) {
		fault_set(f, FAULT_CONFLICT, "work_order_id", "resolution %lld spawned work order %lld already",
			  (long long)id, (long long)r.work_order_id);
		goto fail_r;
	}
	if (strcmp(r.status, "open")) {
		fault_set(f, FAULT_CONFLICT, "status", "resolution %lld is done", (long long)id);
		goto fail_r;
	}
	memset(&in, 0, sizeof(in));
	st = store_query(s, SQL_COUNCIL_NODE, "i", r.council_id);
	if (!store_next(st, &rc)) {
		store_fault(s, rc, f);
		goto fail_r;
	}
	in.node_id = store_column_int64(st, 0);
	name = store_column_dup(st, 1);
	store_done(st);
	n = strlen(name) + strlen(r.content) + (text ? strlen(text) : 0) + 64;
	body = xmalloc(n);
	snprintf(body, n, "【%s决议 #%lld】%s%s%s", name, (long long)id, r.content, text ? "\n" : "", text ? text : "");
	in.source = "walk_in";
	in.type = type ? type : "suggestion";
	in.category_id = category_id;
	in.text = body;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_r;
	}
	if (wo_create(s, a, &in, order_id, &replayed, f) < 0)
		goto fail;
	if ((rc = store_run(s, SQL_LINK_ORDER, "ii", *order_id, id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_r;
	}
	council_resolution_release(&r);
	free(name);
	free(body);
	return 0;
fail:
	store_rollback(s);
fail_r:
	council_resolution_release(&r);
	free(name);
	free(body);
	*order_id = 0;
	return -1;
}
