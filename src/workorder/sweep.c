/*
 * sweep.c - work orders as the first kind of time node (timenode.h): their
 * cards and escalation live on work_orders' own columns (card, deadline,
 * escalate_at) and partial indexes (008_sweep.sql), and every card and
 * escalation is a transition of machine.c taken by the system, so each
 * writes its wo_events row in the order's transaction.  The engine
 * (src/timenode/sweep.c) runs the passes; this file answers for one order.
 */
#include "workorder/sweep.h"
#include "workorder/wo_internal.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPEN_STATES "('dispatched','in_progress','return_requested')"

/* The passes: ranges of work_orders_sweep_escalate and work_orders_sweep_card, paged by (key, id). */
/* No condition on the state: with one, SQLite would rather walk work_orders_state (see climb_step). */
static const char SQL_DUE_CLIMB[] =
	"SELECT id, escalate_at FROM work_orders"
	" WHERE escalate_at >= ? AND escalate_at <= ? AND (escalate_at, id) > (?, ?) ORDER BY escalate_at, id LIMIT ?";
static const char SQL_DUE_CARD[] =
	"SELECT id, deadline FROM work_orders WHERE state IN " OPEN_STATES
	" AND card = ? AND deadline >= ? AND deadline <= ? AND (deadline, id) > (?, ?) ORDER BY deadline, id LIMIT ?";
static const char SQL_SIGN_OVERDUE[] =
	"SELECT count(*) FROM work_orders WHERE state = 'dispatched' AND sign_deadline < ?";
static const char SQL_SET_CLIMB[] = "UPDATE work_orders SET escalate_at = ? WHERE id = ?";

static int system_act(struct tn_run *w, int64_t id, const char *action, const char *opinion, struct fault *f)
{
	struct wo_action act;

	memset(&act, 0, sizeof(act));
	act.action = action;
	act.opinion = opinion;
	act.at = w->now;
	return wo_transition(w->s, NULL, id, &act, f);
}

static int set_climb(struct tn_run *w, int64_t id, int64_t at, struct fault *f)
{
	int rc = store_run(w->s, SQL_SET_CLIMB, "Ii", at, id);

	if (rc != STORE_OK)
		return store_fault(w->s, rc, f);
	return 0;
}

/*
 * When a red order climbs under the policy: the second after the deadline,
 * plus after_days working days.  *at 0: it does not climb (not red, a level
 * that does not escalate, or the subdistrict).  *after: the days applied.
 */
static int climb_instant(struct tn_run *w, const struct wo_order *o, int64_t *at, int *after, struct fault *f)
{
	enum node_level level = node_level_parse(o->handler_level);
	int i = level == LEVEL_COURTYARD ? TN_COURTYARD : level == LEVEL_COMMUNITY ? TN_COMMUNITY : -1;

	*at = 0;
	*after = 0;
	if (i < 0 || !w->p->escalate[i] || !o->deadline || !o->card || strcmp(o->card, "red") != 0)
		return 0;
	*after = w->p->after_days[i];
	if (*after > 0) {
		if (calendar_deadline(w->s, o->deadline, *after, at, f) < 0)
			return -1;
	} else {
		*at = o->deadline;
	}
	*at += 1;
	return 0;
}

/*
 * The escalation step of an order whose escalate_at was was (0: none): climb
 * now, wait for the instant the policy gives, or nothing left to do (cleared).
 * The states: dispatched and in_progress climb; return_requested waits for the
 * desk's decision (met again each run meanwhile); any other state means the
 * order left its handler's hands (replied, back to the desk), and a later red
 * card, on a new deadline, schedules it again.
 */
static int climb_step(struct tn_run *w, int64_t id, int64_t was, struct fault *f)
{
	struct wo_order o;
	char since[32], opinion[200];
	int64_t at = 0;
	int after = 0, rc = -1;

	if (wo_get(w->s, id, &o, f) < 0)
		return -1;
	if (wo_word_in("dispatched,in_progress,return_requested", o.state) && climb_instant(w, &o, &at, &after, f) < 0)
		goto out;
	if (at && at <= w->now && strcmp(o.state, "return_requested") != 0) {
		wo_local_text(o.deadline + 1, since);
		snprintf(opinion, sizeof(opinion),
			 "overdue since %s: moved up one level by the sweeper (policy: %d working days after the deadline)",
			 since, after);
		if (system_act(w, id, "escalate", opinion, f) < 0 || set_climb(w, id, 0, f) < 0)
			goto out;
		w->t.escalated++;
		rc = 0;
		goto out;
	}
	/* Waiting for its instant, or for the desk's decision on a return; or nothing to climb: cleared. */
	if (at != was) {
		if (set_climb(w, id, at, f) < 0)
			goto out;
		if (at && was)
			w->t.rescheduled++;
	}
	rc = 0;
out:
	wo_order_release(&o);
	return rc;
}

static int sweep_yellow(struct tn_run *w, int64_t id, int64_t deadline, struct fault *f)
{
	YL_UNUSED(deadline);
	if (system_act(w, id, "yellow_card", NULL, f) < 0)
		return -1;
	w->t.yellow++;
	return 0;
}

/*
 * The red card, then the escalation step at once.  When that step fails (a
 * year without a calendar) the red card stands and the next run's first pass
 * tries the escalation again.
 */
static int sweep_red(struct tn_run *w, int64_t id, int64_t deadline, struct fault *f)
{
	struct fault why = { 0 };
	int rc;

	if (system_act(w, id, "red_card", NULL, f) < 0)
		return -1;
	if ((rc = store_begin_write(w->s)) != STORE_OK)
		return store_fault(w->s, rc, f);
	if (climb_step(w, id, 0, &why) < 0) {
		store_rollback(w->s);
		if (set_climb(w, id, deadline + 1, f) < 0)
			return -1;
		tn_tally_error(&w->t, w->kind->name, id, &why);
	} else if ((rc = store_commit(w->s)) != STORE_OK) {
		return store_fault(w->s, rc, f);
	}
	w->t.red++;
	return 0;
}

static int count_sign_overdue(struct tn_run *w, struct fault *f)
{
	int64_t n = 0;
	int rc = store_query_int64(w->s, SQL_SIGN_OVERDUE, &n, 1, w->now);

	if (rc != STORE_OK)
		return store_fault(w->s, rc, f);
	w->r->sign_overdue = (long)n;
	return 0;
}

/* The inbox: the order lists of the actor's role (wo_tasks), each order once, without "reported". */
static int wo_inbox(const struct tn_kind *k, struct store *s, const struct actor *a, int limit, struct tn_inbox *out,
		    struct fault *f)
{
	struct wo_tasks tasks;
	size_t i, j, first = out->n, m;

	if (wo_tasks(s, a, limit, &tasks, f) < 0)
		return -1;
	for (i = 0; i < tasks.n; i++) {
		const struct wo_task_list *l = &tasks.lists[i];

		if (!strcmp(l->name, "reported"))
			continue;
		out->count += l->count;
		for (j = 0; j < l->n; j++) {
			const struct wo_order *o = &l->items[j];
			struct tn_task t;

			for (m = first; m < out->n && out->items[m].id != o->id; m++)
				;
			if (m < out->n)
				continue;	/* carded and in progress: listed once, under the first list */
			memset(&t, 0, sizeof(t));
			t.kind = k->name;
			t.id = o->id;
			t.title = o->number;
			t.list = l->name;
			t.deadline = o->deadline;
			snprintf(t.card, sizeof(t.card), "%s", o->card ? o->card : "none");
			t.node_id = o->handler_node_id;
			tn_inbox_add(out, &t);
		}
	}
	wo_tasks_release(&tasks);
	return 0;
}

const struct tn_kind wo_time_kind = {
	.name = "workorder",
	.sql_due_climb = SQL_DUE_CLIMB,
	.sql_due_card = SQL_DUE_CARD,
	.yellow = sweep_yellow,
	.red = sweep_red,
	.climb = climb_step,
	.after = count_sign_overdue,
	.inbox = wo_inbox,
};
