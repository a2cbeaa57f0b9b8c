/*
 * node.c - the shared table time_nodes (011_timenodes.sql): opening and
 * closing a node, reading it and its card history, deadlines in working or
 * calendar days, and the callbacks of every kind that keeps its due dates
 * here (TN_NODE_KIND): cards, escalation and the inbox.
 *
 * Escalation, as for work orders: a red node answered at a courtyard or a
 * community whose level escalates (the policy) moves to the level above at
 * the second after its deadline plus after_days working days, in the run
 * that gives the red card when that instant has come, else when escalate_at
 * comes.  A node climbs one level per red card: its deadline stays, so the
 * level above answers for it from then on (a kind that wants a new period
 * closes the node and opens another).
 */
#include "timenode/timenode.h"
#include "auth/auth.h"
#include "calendar/calendar.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_CHARS 200

const char TN_NODE_SQL_DUE_CLIMB[] =
	"SELECT id, escalate_at FROM time_nodes WHERE kind = ? AND escalate_at >= ? AND escalate_at <= ?"
	" AND (escalate_at, id) > (?, ?) ORDER BY escalate_at, id LIMIT ?";
const char TN_NODE_SQL_DUE_CARD[] =
	"SELECT id, deadline FROM time_nodes WHERE kind = ? AND state = 'open' AND card = ? AND deadline >= ?"
	" AND deadline <= ? AND (deadline, id) > (?, ?) ORDER BY deadline, id LIMIT ?";

static const char SQL_NODE_OF[] = "SELECT level, parent_id, subdistrict_id FROM nodes WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO time_nodes (subdistrict_id, kind, ref_id, title, node_id, assignee_user_id, start_at, days,"
	" day_rule, deadline, provisional, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EVENT[] =
	"INSERT INTO time_node_events (subdistrict_id, time_node_id, at, action, from_node_id, to_node_id, note)"
	" SELECT subdistrict_id, id, ?, ?, ?, ?, ? FROM time_nodes WHERE id = ?";
static const char SQL_FIND[] = "SELECT id, node_id FROM time_nodes WHERE kind = ? AND ref_id = ? AND state = 'open'";
static const char SQL_DONE[] = "UPDATE time_nodes SET state = 'done', done_at = ?, escalate_at = NULL WHERE id = ?";
static const char SQL_GET[] =
	"SELECT id, kind, ref_id, title, node_id, assignee_user_id, state, deadline, provisional, card, escalate_at,"
	" done_at FROM time_nodes WHERE id = ?";
static const char SQL_EVENTS[] =
	"SELECT at, action, from_node_id, to_node_id, note FROM time_node_events WHERE time_node_id = ? ORDER BY id";
static const char SQL_CARD[] = "UPDATE time_nodes SET card = ? WHERE id = ?";
static const char SQL_SET_CLIMB[] = "UPDATE time_nodes SET escalate_at = ? WHERE id = ?";
static const char SQL_CLIMB[] = "UPDATE time_nodes SET node_id = ?, escalate_at = NULL WHERE id = ?";
static const char SQL_INBOX[] =
	"SELECT id, ref_id, title, deadline, card, node_id, provisional FROM time_nodes"
	" WHERE kind = ? AND state = 'open' AND (assignee_user_id = ? OR (assignee_user_id IS NULL AND node_id = ?))"
	" ORDER BY deadline, id LIMIT ?";
static const char SQL_INBOX_COUNT[] =
	"SELECT count(*) FROM time_nodes"
	" WHERE kind = ? AND state = 'open' AND (assignee_user_id = ? OR (assignee_user_id IS NULL AND node_id = ?))";

int tn_deadline_marked(struct store *s, int64_t start, int days, enum tn_days rule, int64_t *deadline,
		       int *provisional, struct fault *f)
{
	int p = 0;

	if (rule == TN_WORKING_DAYS) {
		if (calendar_deadline_marked(s, start, days, deadline, &p, f) < 0)
			return -1;
	} else {
		/* Calendar days do not depend on holidays: never provisional. */
		*deadline = calendar_day_start(calendar_day_of(start) + days + 1) - 1;
	}
	if (provisional)
		*provisional = p;
	return 0;
}

int tn_deadline(struct store *s, int64_t start, int days, enum tn_days rule, int64_t *deadline, struct fault *f)
{
	return tn_deadline_marked(s, start, days, rule, deadline, NULL, f);
}

/* The org node's level, parent and subdistrict. */
static int node_of(struct store *s, int64_t id, char level[16], int64_t *parent, int64_t *subdistrict, struct fault *f)
{
	struct store_stmt *st;

	if (store_get_by_id(s, SQL_NODE_OF, id, "node", &st, f) < 0)
		return -1;
	store_column_copy(st, 0, level, 16);
	*parent = store_column_int64(st, 1);
	*subdistrict = store_column_int64(st, 2);
	store_done(st);
	return 0;
}

static int add_event(struct store *s, int64_t id, int64_t at, const char *action, int64_t from, int64_t to,
		     const char *note, struct fault *f)
{
	int rc = store_run(s, SQL_EVENT, "itIIti", at, action, from, to, note, id);

	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}

int tn_open(struct store *s, const struct tn_open_input *in, int64_t *id, struct fault *f)
{
	char level[16];
	int64_t parent, subdistrict, deadline;
	int rc, provisional = 0;

	*id = 0;
	if (!tn_kind_find(in->kind))
		return fault_set(f, FAULT_INVALID, "kind", "'%s' is no kind of time node", in->kind ? in->kind : "");
	if (check_text("title", in->title, TITLE_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (in->days < 1 || in->days > 365)
		return fault_set(f, FAULT_INVALID, "days", "days is 1 to 365");
	if (node_of(s, in->node_id, level, &parent, &subdistrict, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			f->kind = FAULT_INVALID;
		snprintf(f->field, sizeof(f->field), "node_id");
		return -1;
	}
	if (tn_deadline_marked(s, in->start, in->days, in->rule, &deadline, &provisional, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	rc = store_run(s, SQL_INSERT, "ititiIiitiii", subdistrict ? subdistrict : in->node_id, in->kind, in->ref_id,
		       in->title, in->node_id, in->assignee_user_id, in->start, (int64_t)in->days,
		       in->rule == TN_WORKING_DAYS ? "working" : "calendar", deadline, (int64_t)provisional, in->start);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if (add_event(s, *id, in->start, "open", 0, in->node_id, NULL, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	*id = 0;
	return -1;
}

int tn_done(struct store *s, const char *kind, int64_t ref_id, int64_t at, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_FIND, "ti", kind, ref_id);
	int64_t id = 0, node = 0;
	int rc;

	if (store_next(st, &rc)) {
		id = store_column_int64(st, 0);
		node = store_column_int64(st, 1);
		store_done(st);
	} else if (rc != STORE_DONE) {
		return store_fault(s, rc, f);
	}
	if (!id)
		return fault_set(f, FAULT_NOT_FOUND, "ref_id", "%s %lld has no open time node", kind, (long long)ref_id);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if ((rc = store_run(s, SQL_DONE, "ii", at, id)) != STORE_OK) {
		store_rollback(s);
		return store_fault(s, rc, f);
	}
	if (add_event(s, id, at, "done", node, 0, NULL, f) < 0) {
		store_rollback(s);
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

int tn_get(struct store *s, int64_t id, struct tn_node *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_GET, id, "time node", &st, f) < 0)
		return -1;
	out->id = store_column_int64(st, 0);
	store_column_copy(st, 1, out->kind, sizeof(out->kind));
	out->ref_id = store_column_int64(st, 2);
	out->title = store_column_dup(st, 3);
	out->node_id = store_column_int64(st, 4);
	out->assignee_user_id = store_column_int64(st, 5);
	store_column_copy(st, 6, out->state, sizeof(out->state));
	out->deadline = store_column_int64(st, 7);
	out->provisional = store_column_bool(st, 8);
	store_column_copy(st, 9, out->card, sizeof(out->card));
	out->escalate_at = store_column_int64(st, 10);
	out->done_at = store_column_int64(st, 11);
	store_done(st);
	return 0;
}

void tn_node_release(struct tn_node *n)
{
	free(n->title);
	n->title = NULL;
}

int tn_events(struct store *s, int64_t id, struct tn_event_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_EVENTS, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct tn_event *e;

		YL_GROW(out->items, out->n, out->cap);
		e = &out->items[out->n++];
		memset(e, 0, sizeof(*e));
		e->at = store_column_int64(st, 0);
		store_column_copy(st, 1, e->action, sizeof(e->action));
		e->from_node_id = store_column_int64(st, 2);
		e->to_node_id = store_column_int64(st, 3);
		e->note = store_column_dup(st, 4);
	}
	if (rc != STORE_DONE) {
		tn_event_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

void tn_event_list_release(struct tn_event_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->items[i].note);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* The sweeper's callbacks. */

static int set_card(struct tn_run *w, int64_t id, const char *card, const char *action, struct fault *f)
{
	struct tn_node n;
	int rc;

	if (tn_get(w->s, id, &n, f) < 0)
		return -1;
	rc = store_run(w->s, SQL_CARD, "ti", card, id);
	tn_node_release(&n);
	if (rc != STORE_OK)
		return store_fault(w->s, rc, f);
	return add_event(w->s, id, w->now, action, n.node_id, n.node_id, NULL, f);
}

int tn_node_yellow(struct tn_run *w, int64_t id, int64_t deadline, struct fault *f)
{
	YL_UNUSED(deadline);
	if (set_card(w, id, "yellow", "yellow_card", f) < 0)
		return -1;
	w->t.yellow++;
	return 0;
}

/*
 * The escalation step: climb now, wait for the instant of the policy
 * (escalate_at), or nothing to do (cleared): a node done, not red, or
 * answered at a level that does not climb.
 */
static int climb_step(struct tn_run *w, int64_t id, int64_t was, struct fault *f)
{
	struct tn_node n;
	char level[16], note[160];
	int64_t parent, subdistrict, at = 0;
	int i, after = 0, rc = -1;

	if (tn_get(w->s, id, &n, f) < 0)
		return -1;
	if (!strcmp(n.state, "open") && !strcmp(n.card, "red")) {
		if (node_of(w->s, n.node_id, level, &parent, &subdistrict, f) < 0)
			goto out;
		i = !strcmp(level, "courtyard") ? TN_COURTYARD : !strcmp(level, "community") ? TN_COMMUNITY : -1;
		if (i >= 0 && w->p->escalate[i] && parent) {
			after = w->p->after_days[i];
			at = n.deadline;
			if (after > 0 && calendar_deadline(w->s, n.deadline, after, &at, f) < 0)
				goto out;
			at += 1;
		}
	}
	if (at && at <= w->now) {
		snprintf(note, sizeof(note), "overdue: moved up one level by the sweeper (policy: %d working days after"
			 " the deadline)", after);
		if ((rc = store_run(w->s, SQL_CLIMB, "ii", parent, id)) != STORE_OK) {
			rc = store_fault(w->s, rc, f);
			goto out;
		}
		if ((rc = add_event(w->s, id, w->now, "escalate", n.node_id, parent, note, f)) < 0)
			goto out;
		w->t.escalated++;
		goto out;
	}
	if (at != was) {
		if ((rc = store_run(w->s, SQL_SET_CLIMB, "Ii", at, id)) != STORE_OK) {
			rc = store_fault(w->s, rc, f);
			goto out;
		}
		if (at && was)
			w->t.rescheduled++;
	}
	rc = 0;
out:
	tn_node_release(&n);
	return rc;
}

int tn_node_climb(struct tn_run *w, int64_t id, int64_t escalate_at, struct fault *f)
{
	return climb_step(w, id, escalate_at, f);
}

int tn_node_red(struct tn_run *w, int64_t id, int64_t deadline, struct fault *f)
{
	YL_UNUSED(deadline);
	if (set_card(w, id, "red", "red_card", f) < 0 || climb_step(w, id, 0, f) < 0)
		return -1;
	w->t.red++;
	return 0;
}

int tn_node_inbox(const struct tn_kind *k, struct store *s, const struct actor *a, int limit, struct tn_inbox *out,
		  struct fault *f)
{
	struct store_stmt *st;
	int64_t count = 0, uid = a ? a->user_id : 0, node = a ? a->scope_node_id : 0;
	int rc;

	if (!uid && !node)
		return 0;
	st = store_query(s, SQL_INBOX_COUNT, "tii", k->name, uid, node);
	if (store_next(st, &rc)) {
		count = store_column_int64(st, 0);
		store_done(st);
	} else {
		return store_fault(s, rc, f);
	}
	out->count += count;
	st = store_query(s, SQL_INBOX, "tiii", k->name, uid, node, (int64_t)limit);
	while (store_next(st, &rc)) {
		struct tn_task t;

		memset(&t, 0, sizeof(t));
		t.kind = k->name;
		t.node = store_column_int64(st, 0);
		t.id = store_column_int64(st, 1);
		t.title = store_column_text(st, 2);
		t.deadline = store_column_int64(st, 3);
		store_column_copy(st, 4, t.card, sizeof(t.card));
		t.list = strcmp(t.card, "none") ? "carded" : "due";
		t.node_id = store_column_int64(st, 5);
		t.provisional = store_column_bool(st, 6);
		tn_inbox_add(out, &t);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}
