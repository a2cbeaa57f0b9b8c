/*
 * sweep.c - the sweeper (sweep.h): yellow and red cards by the deadline and
 * automatic escalation by the policy, in batches of one write transaction
 * each; the policy table and the lease.
 *
 * A run is three passes over ranges of the partial indexes of 008_sweep.sql,
 * each in index order and paged by (key, id), so an order that fails (and is
 * left as it was) is passed over instead of read again:
 *   1. escalation: red orders whose escalate_at has come (set by an earlier run);
 *   2. red: card none, then card yellow, with deadline < now; each red card is
 *      followed at once by the escalation step, so that after_days 0 moves the
 *      order up in the same run (and a dry run counts it);
 *   3. yellow: card none with now <= deadline <= the yellow bound.
 * Cards and escalations are machine.c's transitions, taken by the system.
 *
 * Transactions: each batch is one write transaction and each order a nested
 * one inside it.  When an inner failure spoils the whole batch (a store whose
 * inner rollback cannot undo only its own work), the batch is rolled back and
 * done again one order per transaction, so one bad order costs its batch
 * nothing but time.
 */
#include "workorder/sweep.h"
#include "workorder/wo_internal.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

#define FUTURE_SLACK 300		/* as machine.c: an action may be dated this far ahead of the clock */
#define OPEN_STATES "('dispatched','in_progress','return_requested')"

static const char SQL_POLICY[] = "SELECT level, escalate, after_days FROM wo_sweep_policy";

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

static const char SQL_LEASE_TAKE[] =
	"UPDATE sweeper_lease SET holder = ?, until = ? WHERE name = ? AND (holder = ? OR until < ?)";
static const char SQL_LEASE_GET[] = "SELECT holder, until FROM sweeper_lease WHERE name = ?";
static const char SQL_LEASE_ADD[] = "INSERT INTO sweeper_lease (name, holder, until) VALUES (?, ?, ?)";
static const char SQL_LEASE_RENEW[] = "UPDATE sweeper_lease SET until = ? WHERE name = ? AND holder = ?";
static const char SQL_LEASE_RELEASE[] = "UPDATE sweeper_lease SET holder = '', until = 0 WHERE name = ? AND holder = ?";

void wo_sweep_policy_default(struct wo_sweep_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->escalate[WO_SWEEP_COURTYARD] = 1;
	p->escalate[WO_SWEEP_COMMUNITY] = 1;
}

int wo_sweep_policy_load(struct store *s, struct wo_sweep_policy *p, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_POLICY);
	int rc;

	memset(p, 0, sizeof(*p));
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *level = store_column_text(st, 0);
		int i = level && !strcmp(level, "courtyard") ? WO_SWEEP_COURTYARD :
			level && !strcmp(level, "community") ? WO_SWEEP_COMMUNITY : -1;

		if (i < 0)
			continue;
		p->escalate[i] = store_column_int64(st, 1) != 0;
		p->after_days[i] = (int)store_column_int64(st, 2);
	}
	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

/* Counts of one batch: added to the report only when the batch commits (or, dry, would have). */
struct tally {
	long yellow, red, escalated, rescheduled, errors;
	int64_t first_error_order;
	struct fault first_error;
};

struct sweep {
	struct store *s;
	int64_t now;
	const struct wo_sweep_policy *p;
	struct wo_sweep_report *r;
	struct tally t;
	int batch;
};

static void tally_error(struct tally *t, int64_t id, const struct fault *f)
{
	if (!t->errors++) {
		t->first_error_order = id;
		t->first_error = *f;
	}
}

static void tally_add(struct wo_sweep_report *r, const struct tally *t)
{
	r->yellow += t->yellow;
	r->red += t->red;
	r->escalated += t->escalated;
	r->rescheduled += t->rescheduled;
	if (t->errors && !r->errors) {
		r->first_error_order = t->first_error_order;
		r->first_error = t->first_error;
	}
	r->errors += t->errors;
}

static int system_act(struct sweep *w, int64_t id, const char *action, const char *opinion, struct fault *f)
{
	struct wo_action act;

	memset(&act, 0, sizeof(act));
	act.action = action;
	act.opinion = opinion;
	act.at = w->now;
	return wo_transition(w->s, NULL, id, &act, f);
}

static int set_climb(struct sweep *w, int64_t id, int64_t at, struct fault *f)
{
	struct store_stmt *st = store_prepare(w->s, SQL_SET_CLIMB);
	int rc;

	if (at)
		store_bind_int64(st, 1, at);
	else
		store_bind_null(st, 1);
	store_bind_int64(st, 2, id);
	if ((rc = store_step_done(st)) != STORE_OK)
		return store_fault(w->s, rc, f);
	return 0;
}

/*
 * When a red order climbs under the policy: the second after the deadline,
 * plus after_days working days.  *at 0: it does not climb (not red, a level
 * that does not escalate, or the subdistrict).  *after: the days applied.
 */
static int climb_instant(struct sweep *w, const struct wo_order *o, int64_t *at, int *after, struct fault *f)
{
	enum node_level level = node_level_parse(o->handler_level);
	int i = level == LEVEL_COURTYARD ? WO_SWEEP_COURTYARD : level == LEVEL_COMMUNITY ? WO_SWEEP_COMMUNITY : -1;

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
static int climb_step(struct sweep *w, int64_t id, int64_t was, struct fault *f)
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

static int sweep_yellow(struct sweep *w, int64_t id, int64_t deadline, struct fault *f)
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
static int sweep_red(struct sweep *w, int64_t id, int64_t deadline, struct fault *f)
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
		tally_error(&w->t, id, &why);
	} else if ((rc = store_commit(w->s)) != STORE_OK) {
		return store_fault(w->s, rc, f);
	}
	w->t.red++;
	return 0;
}

struct pass {
	const char *sql;
	const char *card;		/* bound first when not NULL */
	int64_t lo, hi;			/* lo <= key <= hi */
	int (*one)(struct sweep *w, int64_t id, int64_t key, struct fault *f);
};

/* One order in its own (nested) transaction; a failure is counted and undone. */
static void one_order(struct sweep *w, const struct pass *ps, int64_t id, int64_t key)
{
	struct fault f = { 0 };
	int rc;

	if ((rc = store_begin_write(w->s)) != STORE_OK) {
		store_fault(w->s, rc, &f);
		tally_error(&w->t, id, &f);
		return;
	}
	if (ps->one(w, id, key, &f) < 0) {
		store_rollback(w->s);
		tally_error(&w->t, id, &f);
		return;
	}
	if ((rc = store_commit(w->s)) != STORE_OK) {
		store_fault(w->s, rc, &f);
		tally_error(&w->t, id, &f);
	}
}

/* Inside the batch's transaction: the lease is still ours, renewed. */
static int lease_renew(struct sweep *w, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	if (!w->p->lease_holder || w->p->dry_run)
		return 0;
	st = store_prepare(w->s, SQL_LEASE_RENEW);
	store_bind_int64(st, 1, wo_now() + w->p->lease_seconds);
	store_bind_text(st, 2, WO_SWEEP_LEASE);
	store_bind_text(st, 3, w->p->lease_holder);
	if ((rc = store_step_done(st)) != STORE_OK)
		return store_fault(w->s, rc, f);
	if (store_changes(w->s) != 1) {
		fault_set(f, FAULT_CONFLICT, "lease", "another sweeper took the lease: this one stops");
		snprintf(f->code, sizeof(f->code), "%s", WO_SWEEP_LEASE_LOST);
		return -1;
	}
	return 0;
}

/* Ends a batch: commit (or, dry, roll back) with the lease renewed inside; 1 when the commit failed. */
static int batch_end(struct sweep *w, struct fault *f)
{
	int rc;

	if (lease_renew(w, f) < 0) {
		store_rollback(w->s);
		return -1;
	}
	if (w->p->dry_run) {
		store_rollback(w->s);
		return 0;
	}
	if ((rc = store_commit(w->s)) != STORE_OK)
		return 1;
	return 0;
}

/* Reads the next page of the pass into ids/keys; *n rows. */
static int fetch(struct sweep *w, const struct pass *ps, int64_t key, int64_t id, int64_t *ids, int64_t *keys,
		 int *n, struct fault *f)
{
	struct store_stmt *st = store_prepare(w->s, ps->sql);
	int i = 1, rc = STORE_DONE;

	*n = 0;
	if (ps->card)
		store_bind_text(st, i++, ps->card);
	store_bind_int64(st, i++, ps->lo);
	store_bind_int64(st, i++, ps->hi);
	store_bind_int64(st, i++, key);
	store_bind_int64(st, i++, id);
	store_bind_int64(st, i, w->batch);
	while (*n < w->batch && (rc = store_step(st)) == STORE_ROW) {
		ids[*n] = store_column_int64(st, 0);
		keys[*n] = store_column_int64(st, 1);
		(*n)++;
	}
	store_done(st);
	if (rc != STORE_DONE && rc != STORE_ROW)
		return store_fault(w->s, rc, f);
	return 0;
}

static int run_pass(struct sweep *w, const struct pass *ps, struct fault *f)
{
	int64_t *ids = xmalloc((size_t)w->batch * sizeof(*ids)), *keys = xmalloc((size_t)w->batch * sizeof(*keys));
	int64_t key = ps->lo, last = 0;
	int n, i, rc, ret = 0, spoilt;

	for (;;) {
		if ((rc = store_begin_write(w->s)) != STORE_OK) {
			ret = store_fault(w->s, rc, f);
			break;
		}
		if (fetch(w, ps, key, last, ids, keys, &n, f) < 0) {
			store_rollback(w->s);
			ret = -1;
			break;
		}
		if (n == 0) {
			store_rollback(w->s);
			break;
		}
		w->r->examined += n;
		memset(&w->t, 0, sizeof(w->t));
		for (i = 0; i < n; i++)
			one_order(w, ps, ids[i], keys[i]);
		spoilt = batch_end(w, f);
		if (spoilt < 0) {
			ret = -1;
			break;
		}
		if (spoilt) {
			/* The store could not keep the batch without its failed orders: again, one order each. */
			memset(&w->t, 0, sizeof(w->t));
			for (i = 0; i < n; i++) {
				struct fault why = { 0 };
				long before = w->t.errors;

				if ((rc = store_begin_write(w->s)) != STORE_OK) {
					ret = store_fault(w->s, rc, f);
					break;
				}
				one_order(w, ps, ids[i], keys[i]);
				if ((rc = batch_end(w, f)) < 0) {
					ret = -1;
					break;
				}
				if (rc && w->t.errors == before) {
					store_fault(w->s, STORE_ERROR, &why);
					tally_error(&w->t, ids[i], &why);
				}
			}
		}
		tally_add(w->r, &w->t);
		w->r->batches++;
		if (ret == 0 && w->p->progress && w->p->progress(w->r, w->p->progress_arg))
			w->r->stopped = 1;
		if (ret < 0 || w->r->stopped || n < w->batch)
			break;
		key = keys[n - 1];
		last = ids[n - 1];
	}
	free(ids);
	free(keys);
	return ret;
}

/* The latest deadline whose yellow card is due at now: its day is at most the first working day after today. */
static int yellow_bound(struct store *s, int64_t now, int64_t *hi, struct fault *f)
{
	int32_t next;

	if (calendar_add_working_days(s, calendar_day_of(now), 1, &next, f) < 0)
		return -1;
	*hi = calendar_day_start(next + 1) - 1;
	return 0;
}

static int count_sign_overdue(struct sweep *w, struct fault *f)
{
	int64_t n = 0;
	int rc = store_query_int64(w->s, SQL_SIGN_OVERDUE, &n, 1, w->now);

	if (rc != STORE_OK)
		return store_fault(w->s, rc, f);
	w->r->sign_overdue = (long)n;
	return 0;
}

static int sweep_run(struct store *s, int64_t now, const struct wo_sweep_policy *policy, struct wo_sweep_report *report,
	     struct fault *f)
{
	struct wo_sweep_policy loaded;
	struct sweep w;
	struct pass ps;
	struct fault why = { 0 };
	int64_t yellow_hi;
	static const char *const red_cards[] = { "none", "yellow" };
	size_t i;

	memset(report, 0, sizeof(*report));
	report->now = now;
	if (now <= 0 || now > wo_now() + FUTURE_SLACK)
		return fault_set(f, FAULT_INVALID, "now", "a sweep is dated now or in the past: events are never dated ahead");
	if (!policy) {
		if (wo_sweep_policy_load(s, &loaded, f) < 0)
			return -1;
		policy = &loaded;
	}
	memset(&w, 0, sizeof(w));
	w.s = s;
	w.now = now;
	w.p = policy;
	w.r = report;
	w.batch = policy->batch > 0 ? policy->batch : WO_SWEEP_BATCH;

	/* 1. Escalations whose time has come. */
	memset(&ps, 0, sizeof(ps));
	ps.sql = SQL_DUE_CLIMB;
	ps.lo = 0;
	ps.hi = now;
	ps.one = climb_step;
	if (run_pass(&w, &ps, f) < 0)
		return -1;
	if (report->stopped)
		return 0;
	/* 2. Red cards: overdue, from the second after the deadline. */
	for (i = 0; i < YL_ARRAY_LEN(red_cards); i++) {
		memset(&ps, 0, sizeof(ps));
		ps.sql = SQL_DUE_CARD;
		ps.card = red_cards[i];
		ps.lo = 0;
		ps.hi = now - 1;
		ps.one = sweep_red;
		if (run_pass(&w, &ps, f) < 0)
			return -1;
		if (report->stopped)
			return 0;
	}
	/* 3. Yellow cards: not overdue, and the last working day before the deadline has begun. */
	if (yellow_bound(s, now, &yellow_hi, &why) < 0) {
		/* A year without a calendar: reported, never guessed; the other passes went on. */
		struct tally t = { 0 };

		tally_error(&t, 0, &why);
		tally_add(report, &t);
	} else {
		memset(&ps, 0, sizeof(ps));
		ps.sql = SQL_DUE_CARD;
		ps.card = "none";
		ps.lo = now;
		ps.hi = yellow_hi;
		ps.one = sweep_yellow;
		if (run_pass(&w, &ps, f) < 0)
			return -1;
		if (report->stopped)
			return 0;
	}
	return count_sign_overdue(&w, f);
}

/* The lease. */

static int lease_get(struct store *s, const char *name, struct wo_sweep_lease *out, int *found, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_LEASE_GET);
	int rc;

	memset(out, 0, sizeof(*out));
	store_bind_text(st, 1, name);
	rc = store_step(st);
	*found = rc == STORE_ROW;
	if (rc == STORE_ROW) {
		snprintf(out->holder, sizeof(out->holder), "%s", store_column_text(st, 0) ? store_column_text(st, 0) : "");
		out->until = store_column_int64(st, 1);
	}
	store_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

int wo_sweep_lease_take(struct store *s, const char *name, const char *holder, int64_t now, int seconds, int *got,
			struct wo_sweep_lease *other, struct fault *f)
{
	struct wo_sweep_lease seen;
	struct store_stmt *st;
	int rc, found;

	*got = 0;
	if (other)
		memset(other, 0, sizeof(*other));
	if (!name || !holder || !*holder || seconds <= 0)
		return fault_set(f, FAULT_INVALID, "lease", "a lease needs a name, a holder and a length");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_prepare(s, SQL_LEASE_TAKE);
	store_bind_text(st, 1, holder);
	store_bind_int64(st, 2, now + seconds);
	store_bind_text(st, 3, name);
	store_bind_text(st, 4, holder);
	store_bind_int64(st, 5, now);
	if ((rc = store_step_done(st)) != STORE_OK)
		goto fail;
	if (store_changes(s) == 1) {
		*got = 1;
	} else {
		if (lease_get(s, name, &seen, &found, f) < 0) {
			store_rollback(s);
			return -1;
		}
		if (!found) {
			/* A database without the row (deleted by hand): the first to ask makes it. */
			st = store_prepare(s, SQL_LEASE_ADD);
			store_bind_text(st, 1, name);
			store_bind_text(st, 2, holder);
			store_bind_int64(st, 3, now + seconds);
			if ((rc = store_step_done(st)) != STORE_OK)
				goto fail;
			*got = 1;
		} else if (other) {
			*other = seen;
		}
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		*got = 0;
		return store_fault(s, rc, f);
	}
	return 0;
fail:
	store_rollback(s);
	return store_fault(s, rc, f);
}

int wo_sweep_lease_release(struct store *s, const char *name, const char *holder, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_LEASE_RELEASE);
	int rc;

	store_bind_text(st, 1, name);
	store_bind_text(st, 2, holder);
	if ((rc = store_step_done(st)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

/* Totals of this process's sweeps, for /metrics. */
static _Atomic uint64_t total_runs, total_failed, total_yellow, total_red, total_escalated;

int wo_sweep(struct store *s, int64_t now, const struct wo_sweep_policy *policy, struct wo_sweep_report *report,
	     struct fault *f)
{
	int rc = sweep_run(s, now, policy, report, f);

	if (policy && policy->dry_run)	/* NULL: the policy from the table, never a dry run */
		return rc;
	atomic_fetch_add(&total_runs, 1);
	if (rc < 0)
		atomic_fetch_add(&total_failed, 1);
	atomic_fetch_add(&total_yellow, (uint64_t)report->yellow);
	atomic_fetch_add(&total_red, (uint64_t)report->red);
	atomic_fetch_add(&total_escalated, (uint64_t)report->escalated);
	return rc;
}

void wo_sweep_totals(struct wo_sweep_totals *out)
{
	out->runs = atomic_load(&total_runs);
	out->failed = atomic_load(&total_failed);
	out->yellow = atomic_load(&total_yellow);
	out->red = atomic_load(&total_red);
	out->escalated = atomic_load(&total_escalated);
}
