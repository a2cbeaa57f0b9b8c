/*
 * sweep.h - the sweeper: cards and automatic escalation of work orders whose
 * deadline comes or passes.  DOMAIN.md, "Resident requests": a yellow card 1
 * working day before the deadline, a red card on the first overdue day, and a
 * request climbs (courtyard -> community -> subdistrict) "automatically when
 * its deadline passes".  `yuanluo serve` runs it every sweep-interval seconds
 * on a connection of its own (cli_sweep.c); `yuanluo sweep` runs it once, for
 * cron.
 *
 * What it does, for the open orders (dispatched, in_progress, return_requested):
 *   red card    when now > deadline and the card is not red (an order already
 *               overdue when first seen gets the red card only: a yellow card
 *               after the deadline warns of nothing);
 *   yellow card when calendar_yellow_at(deadline) <= now <= deadline and the card is none;
 *   escalation  of a red-carded order handled by a courtyard or a community
 *               whose level escalates (policy), from the escalation instant:
 *               the second after the deadline plus after_days working days
 *               (after_days 0: at once, on the first overdue day).  One level
 *               a run: the escalate action of machine.c gives the new handler
 *               a reply period of its own (reply_days of wo_limits from the
 *               escalation) and the card starts again, so the order climbs
 *               again only when that period passes too.  Nothing climbs above
 *               the subdistrict; an order waiting for a return decision
 *               (return_requested) climbs once the desk has decided, if still red;
 *               one that left its handler's hands (replied, sent back to
 *               the desk) is not climbed by this red card any more: the
 *               next red card, on a new deadline, schedules it again.
 * Every card and escalation is a transition of machine.c taken by the system
 * (a NULL actor): its rules are checked once, there, and the wo_events row is
 * written in the same transaction as the order.  The event is dated at the
 * sweep's now.
 *
 * Sign deadline.  A dispatched order not signed for by its sign deadline is
 * counted (report.sign_overdue), neither carded nor escalated: DOMAIN.md's
 * cards belong to the reply deadline, which runs from acceptance whether or
 * not the handler signed, so an unsigned order is carded and climbs on that
 * deadline like any other.  Local rules on late signing differ (signed
 * automatically, back to the desk): a policy for it is left for later.
 *
 * Cost.  Every query is a range of a partial index (008_sweep.sql), so a run
 * reads the orders that are due and no other: the cards by (card, deadline),
 * with the yellow bound computed exactly from now (the deadline's day is at
 * most the first working day after today); the escalations by escalate_at, a
 * column that only the sweeper writes (set with the red card, cleared by the
 * escalation or when nothing is left to do: red orders at the subdistrict, or
 * at a level that does not climb, are not read again); late signing by
 * (state, sign_deadline).  The only orders read again run after run are red
 * ones waiting for a decision on a return request.  report.examined counts
 * the rows read.  Orders are processed in batches (policy.batch, 500 by
 * default), one write transaction each, so a backlog neither holds the write
 * lock long nor fills memory; an order that fails is counted (report.errors),
 * leaves nothing half-written and is tried again by the next run.  Measured
 * on SQLite: a backlog of 20,000 overdue orders, each carded red and moved up,
 * took 16 s (a batch of 500 holds the lock about 0.4 s); a run with nothing
 * due, among them, 23 ms for the whole command.
 *
 * Idempotent: a second run at the same now changes nothing.
 *
 * Lease.  With several app servers on one database the sweep runs once a
 * period: a sweeper first takes the row of sweeper_lease (a conditional
 * UPDATE: free when expired, or already its own), and with policy.lease_holder
 * set every batch renews it in the batch's own transaction, so a sweeper that
 * lost its lease commits nothing more and stops.
 *
 * Functions return 0, or -1 with the fault filled.
 */
#ifndef YL_SWEEP_H
#define YL_SWEEP_H

#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

#define WO_SWEEP_BATCH 500		/* orders per write transaction */
#define WO_SWEEP_LEASE "workorders"	/* the sweeper's row of sweeper_lease */
#define WO_SWEEP_LEASE_LOST "lease_lost"	/* fault code: another sweeper took the lease meanwhile */

/* The levels that may climb: a subdistrict has nothing above it. */
enum wo_sweep_level { WO_SWEEP_COURTYARD, WO_SWEEP_COMMUNITY, WO_SWEEP_LEVELS };

struct wo_sweep_report;

struct wo_sweep_policy {
	/* The policy: table wo_sweep_policy, one row per level (defaults: both escalate, after 0 days). */
	int escalate[WO_SWEEP_LEVELS];		/* 1: red orders of this level climb one level */
	int after_days[WO_SWEEP_LEVELS];	/* working days after the deadline (0..30) */
	/* This run. */
	int batch;				/* orders per transaction; 0: WO_SWEEP_BATCH */
	int dry_run;				/* do all the work, commit none of it */
	const char *lease_holder;		/* renew the lease with every batch, stop when lost; NULL: none */
	int lease_seconds;			/* how long a renewal holds it */
	/* Called after every batch (a terminal's progress line); may be NULL.  Non-zero: stop the run there
	 * (a server shutting down); report.stopped says so. */
	int (*progress)(const struct wo_sweep_report *r, void *arg);
	void *progress_arg;
};

struct wo_sweep_report {
	int64_t now;
	long examined;				/* rows the sweep's queries read: its cost */
	long yellow, red, escalated;		/* cards issued, orders moved up */
	long rescheduled;			/* red orders whose escalation time moved (policy or deadline) */
	long sign_overdue;			/* dispatched orders past their sign deadline: counted only */
	long errors;				/* orders that failed; tried again next run */
	long batches;
	int stopped;				/* progress asked to stop: the rest is left for the next run */
	int64_t first_error_order;		/* the first failed order, with its fault */
	struct fault first_error;
};

/* The defaults of the policy table, and no run options. */
void wo_sweep_policy_default(struct wo_sweep_policy *p);
/* The policy from the table (a level without a row does not escalate); run options zero. */
int wo_sweep_policy_load(struct store *s, struct wo_sweep_policy *p, struct fault *f);

/*
 * One sweep as of now (unix seconds; not in the future: events are never
 * dated ahead of the clock).  policy NULL: wo_sweep_policy_load().  Returns 0
 * when the run went through, whatever failed order by order (report.errors,
 * report.first_error); -1 when it stopped early: the store failed, or the
 * lease was lost (code WO_SWEEP_LEASE_LOST).  The report holds what was
 * committed up to then (with dry_run: what would have been).
 */
int wo_sweep(struct store *s, int64_t now, const struct wo_sweep_policy *policy, struct wo_sweep_report *report,
	     struct fault *f);

/* What this process's sweeps (not dry runs) did since it started, for /metrics. */
struct wo_sweep_totals {
	uint64_t runs, failed, yellow, red, escalated;
};

void wo_sweep_totals(struct wo_sweep_totals *out);

/* The lease: who holds it until when. */
struct wo_sweep_lease {
	char holder[128];
	int64_t until;
};

/*
 * Takes lease name for holder until now + seconds when it is expired
 * (until < now) or already holder's: *got 1.  Held by another: *got 0 and
 * *other (may be NULL) says by whom and until when.  now is the wall clock.
 */
int wo_sweep_lease_take(struct store *s, const char *name, const char *holder, int64_t now, int seconds, int *got,
			struct wo_sweep_lease *other, struct fault *f);
/* Gives the lease back (expired at once) if holder holds it. */
int wo_sweep_lease_release(struct store *s, const char *name, const char *holder, struct fault *f);

#endif
