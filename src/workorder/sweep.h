/*
 * sweep.h - work orders, the first kind of time node (timenode.h): their cards
 * and automatic escalation when their deadline comes or passes.  DOMAIN.md, "Resident requests": a yellow card 1
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
 * The passes, batches, lease and totals are the engine's (src/timenode/); the
 * wo_sweep* names below are the engine's, kept for the callers and tests that
 * knew the sweeper when work orders were its only kind.
 */
#ifndef YL_SWEEP_H
#define YL_SWEEP_H

#include "timenode/timenode.h"

/* The kind: its row of the table of kinds (src/timenode/kinds.c). */
extern const struct tn_kind wo_time_kind;

#define WO_SWEEP_BATCH TN_SWEEP_BATCH
#define WO_SWEEP_LEASE TN_SWEEP_LEASE
#define WO_SWEEP_LEASE_LOST TN_SWEEP_LEASE_LOST
#define WO_SWEEP_COURTYARD TN_COURTYARD
#define WO_SWEEP_COMMUNITY TN_COMMUNITY
#define WO_SWEEP_LEVELS TN_LEVELS
#define wo_sweep_policy tn_sweep_policy
#define wo_sweep_report tn_sweep_report
#define wo_sweep_totals tn_sweep_totals
#define wo_sweep_lease tn_sweep_lease
#define wo_sweep_policy_default tn_sweep_policy_default
#define wo_sweep_policy_load tn_sweep_policy_load
#define wo_sweep tn_sweep
#define wo_sweep_lease_take tn_sweep_lease_take
#define wo_sweep_lease_release tn_sweep_lease_release

#endif
