/*
 * sweep.c - the one sweeper (timenode.h): for every kind of the table of
 * kinds, escalations whose time has come, red cards, yellow cards, in
 * batches of one write transaction each; the policy table and the lease.
 *
 * Each pass is a range of the kind's index over the instants that fall due,
 * in index order and paged by (key, id), so a node that fails (and is left as
 * it was) is passed over instead of read again.
 *
 * Transactions: each batch is one write transaction and each node a nested
 * one inside it.  When an inner failure spoils the whole batch (a store whose
 * inner rollback cannot undo only its own work), the batch is rolled back and
 * done again one node per transaction, so one bad node costs its batch
 * nothing but time.
 */
#include "timenode/timenode.h"
#include "calendar/calendar.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

#define FUTURE_SLACK 300		/* as machine.c: an action may be dated this far ahead of the clock */

static const char SQL_POLICY[] = "SELECT level, escalate, after_days FROM wo_sweep_policy";

static const char SQL_LEASE_TAKE[] =
	"UPDATE sweeper_lease SET holder = ?, until = ? WHERE name = ? AND (holder = ? OR until < ?)";
static const char SQL_LEASE_GET[] = "SELECT holder, until FROM sweeper_lease WHERE name = ?";
static const char SQL_LEASE_ADD[] = "INSERT INTO sweeper_lease (name, holder, until) VALUES (?, ?, ?)";
static const char SQL_LEASE_RENEW[] = "UPDATE sweeper_lease SET until = ? WHERE name = ? AND holder = ?";
static const char SQL_LEASE_RELEASE[] = "UPDATE sweeper_lease SET holder = '', until = 0 WHERE name = ? AND holder = ?";

static int64_t wall_now(void)
{
	return time_now_us() / 1000000;
}

void tn_sweep_policy_default(struct tn_sweep_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->escalate[TN_COURTYARD] = 1;
	p->escalate[TN_COMMUNITY] = 1;
}

int tn_sweep_policy_load(struct store *s, struct tn_sweep_policy *p, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_POLICY, NULL);
	int rc;

	memset(p, 0, sizeof(*p));
	while (store_next(st, &rc)) {
		const char *level = store_column_text(st, 0);
		int i = level && !strcmp(level, "courtyard") ? TN_COURTYARD :
			level && !strcmp(level, "community") ? TN_COMMUNITY : -1;

		if (i < 0)
			continue;
		p->escalate[i] = store_column_bool(st, 1);
		p->after_days[i] = (int)store_column_int64(st, 2);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

void tn_tally_error(struct tn_tally *t, const char *kind, int64_t id, const struct fault *f)
{
	if (!t->errors++) {
		t->first_error_order = id;
		t->first_error_kind = kind;
		t->first_error = *f;
	}
}

static void tally_add(struct tn_sweep_report *r, const struct tn_tally *t)
{
	r->yellow += t->yellow;
	r->red += t->red;
	r->escalated += t->escalated;
	r->rescheduled += t->rescheduled;
	if (t->errors && !r->errors) {
		r->first_error_order = t->first_error_order;
		r->first_error_kind = t->first_error_kind;
		r->first_error = t->first_error;
	}
	r->errors += t->errors;
}

struct pass {
	const char *sql;
	const char *card;		/* bound after the kind (if any) when not NULL */
	int64_t lo, hi;			/* lo <= key <= hi */
	int (*one)(struct tn_run *w, int64_t id, int64_t key, struct fault *f);
};

/* One node in its own (nested) transaction; a failure is counted and undone. */
static void one_node(struct tn_run *w, const struct pass *ps, int64_t id, int64_t key)
{
	struct fault f = { 0 };
	int rc;

	if ((rc = store_begin_write(w->s)) != STORE_OK) {
		store_fault(w->s, rc, &f);
		tn_tally_error(&w->t, w->kind->name, id, &f);
		return;
	}
	if (ps->one(w, id, key, &f) < 0) {
		store_rollback(w->s);
		tn_tally_error(&w->t, w->kind->name, id, &f);
		return;
	}
	if ((rc = store_commit(w->s)) != STORE_OK) {
		store_fault(w->s, rc, &f);
		tn_tally_error(&w->t, w->kind->name, id, &f);
	}
}

/* Inside the batch's transaction: the lease is still ours, renewed. */
static int lease_renew(struct tn_run *w, struct fault *f)
{
	int rc;

	if (!w->p->lease_holder || w->p->dry_run)
		return 0;
	rc = store_run(w->s, SQL_LEASE_RENEW, "itt", wall_now() + w->p->lease_seconds, TN_SWEEP_LEASE,
		       w->p->lease_holder);
	if (rc != STORE_OK)
		return store_fault(w->s, rc, f);
	if (store_changes(w->s) != 1) {
		fault_set(f, FAULT_CONFLICT, "lease", "another sweeper took the lease: this one stops");
		snprintf(f->code, sizeof(f->code), "%s", TN_SWEEP_LEASE_LOST);
		return -1;
	}
	return 0;
}

/* Ends a batch: commit (or, dry, roll back) with the lease renewed inside; 1 when the commit failed. */
static int batch_end(struct tn_run *w, struct fault *f)
{
	if (lease_renew(w, f) < 0) {
		store_rollback(w->s);
		return -1;
	}
	if (w->p->dry_run) {
		store_rollback(w->s);
		return 0;
	}
	if (store_commit(w->s) != STORE_OK)
		return 1;
	return 0;
}

/* Reads the next page of the pass into ids/keys; *n rows. */
static int fetch(struct tn_run *w, const struct pass *ps, int64_t key, int64_t id, int64_t *ids, int64_t *keys,
		 int *n, struct fault *f)
{
	struct store_stmt *st = store_prepare(w->s, ps->sql);
	int i = 1, rc = STORE_DONE;

	*n = 0;
	if (w->kind->bind_kind)
		store_bind_text(st, i++, w->kind->name);
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
static int run_pass(struct tn_run *w, const struct pass *ps, struct fault *f)
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
			one_node(w, ps, ids[i], keys[i]);
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
				one_node(w, ps, ids[i], keys[i]);
				if ((rc = batch_end(w, f)) < 0) {
					ret = -1;
					break;
				}
				if (rc && w->t.errors == before) {
					store_fault(w->s, STORE_ERROR, &why);
					tn_tally_error(&w->t, w->kind->name, ids[i], &why);
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

/* The three passes over one kind. */
static int sweep_kind(struct tn_run *w, int64_t yellow_hi, int have_yellow, struct fault *f)
{
	static const char *const red_cards[] = { "none", "yellow" };
	const struct tn_kind *k = w->kind;
	struct pass ps;
	size_t i;

	/* 1. Escalations whose time has come. */
	if (k->sql_due_climb && k->climb) {
		memset(&ps, 0, sizeof(ps));
		ps.sql = k->sql_due_climb;
		ps.lo = 0;
		ps.hi = w->now;
		ps.one = k->climb;
		if (run_pass(w, &ps, f) < 0)
			return -1;
		if (w->r->stopped)
			return 0;
	}
	/* 2. Red cards: overdue, from the second after the deadline. */
	for (i = 0; i < YL_ARRAY_LEN(red_cards); i++) {
		memset(&ps, 0, sizeof(ps));
		ps.sql = k->sql_due_card;
		ps.card = red_cards[i];
		ps.lo = 0;
		ps.hi = w->now - 1;
		ps.one = k->red;
		if (run_pass(w, &ps, f) < 0)
			return -1;
		if (w->r->stopped)
			return 0;
	}
	/* 3. Yellow cards: not overdue, and the last working day before the deadline has begun (a kind
	 * without a yellow callback gives none: only its due instant matters). */
	if (have_yellow && k->yellow) {
		memset(&ps, 0, sizeof(ps));
		ps.sql = k->sql_due_card;
		ps.card = "none";
		ps.lo = w->now;
		ps.hi = yellow_hi;
		ps.one = k->yellow;
		if (run_pass(w, &ps, f) < 0)
			return -1;
		if (w->r->stopped)
			return 0;
	}
	return k->after ? k->after(w, f) : 0;
}

static int sweep_run(struct store *s, int64_t now, const struct tn_sweep_policy *policy,
		     struct tn_sweep_report *report, struct fault *f)
{
	struct tn_sweep_policy loaded;
	struct tn_run w;
	struct fault why = { 0 };
	int64_t yellow_hi = 0;
	int have_yellow;
	size_t i;

	memset(report, 0, sizeof(*report));
	report->now = now;
	if (now <= 0 || now > wall_now() + FUTURE_SLACK)
		return fault_set(f, FAULT_INVALID, "now", "a sweep is dated now or in the past: events are never dated ahead");
	if (!policy) {
		if (tn_sweep_policy_load(s, &loaded, f) < 0)
			return -1;
		policy = &loaded;
	}
	memset(&w, 0, sizeof(w));
	w.s = s;
	w.now = now;
	w.p = policy;
	w.r = report;
	w.batch = policy->batch > 0 ? policy->batch : TN_SWEEP_BATCH;
	have_yellow = yellow_bound(s, now, &yellow_hi, &why) == 0;
	for (i = 0; i < tn_kind_count(); i++) {
		w.kind = tn_kind_at(i);
		if (sweep_kind(&w, yellow_hi, have_yellow, f) < 0)
			return -1;
		if (report->stopped)
			return 0;
	}
	if (!have_yellow) {
		/* A year without a calendar: reported, never guessed; the other passes went on. */
		struct tn_tally t = { 0 };

		tn_tally_error(&t, NULL, 0, &why);
		tally_add(report, &t);
	}
	return 0;
}

/* The lease. */

static int lease_get(struct store *s, const char *name, struct tn_sweep_lease *out, int *found, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_LEASE_GET, "t", name);
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_step(st);
	*found = rc == STORE_ROW;
	if (rc == STORE_ROW) {
		store_column_copy(st, 0, out->holder, sizeof(out->holder));
		out->until = store_column_int64(st, 1);
	}
	store_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

int tn_sweep_lease_take(struct store *s, const char *name, const char *holder, int64_t now, int seconds, int *got,
			struct tn_sweep_lease *other, struct fault *f)
{
	struct tn_sweep_lease seen;
	int rc, found;

	*got = 0;
	if (other)
		memset(other, 0, sizeof(*other));
	if (!name || !holder || !*holder || seconds <= 0)
		return fault_set(f, FAULT_INVALID, "lease", "a lease needs a name, a holder and a length");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if ((rc = store_run(s, SQL_LEASE_TAKE, "titti", holder, now + seconds, name, holder, now)) != STORE_OK)
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
			if ((rc = store_run(s, SQL_LEASE_ADD, "tti", name, holder, now + seconds)) != STORE_OK)
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

int tn_sweep_lease_release(struct store *s, const char *name, const char *holder, struct fault *f)
{
	int rc = store_run(s, SQL_LEASE_RELEASE, "tt", name, holder);

	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

/* Totals of this process's sweeps, for /metrics. */
static _Atomic uint64_t total_runs, total_failed, total_yellow, total_red, total_escalated;

int tn_sweep(struct store *s, int64_t now, const struct tn_sweep_policy *policy, struct tn_sweep_report *report,
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

void tn_sweep_totals(struct tn_sweep_totals *out)
{
	out->runs = atomic_load(&total_runs);
	out->failed = atomic_load(&total_failed);
	out->yellow = atomic_load(&total_yellow);
	out->red = atomic_load(&total_red);
	out->escalated = atomic_load(&total_escalated);
}
