/*
 * stats.h - the figures (统计) of work orders for any node's subtree and any
 * period: the "三率" and friends that evaluations use.  Every figure is
 * defined in docs/METRICS.md; this header is the contract of the code.
 *
 * Which orders count.  A period is a range of local (Asia/Shanghai) days,
 * both ends included; its orders are those RECEIVED on those days (the cohort
 * of received_at) whose place (work_orders.node_id) lies in the node's
 * subtree.  Every figure of a period is about that one set of orders, as they
 * stand now: a numerator is always a subset of its denominator, and a period's
 * figures are the sum of its days'.  So the figures of a recent period move
 * while its orders are still being handled (METRICS.md, "Which orders count").
 *
 * Rollups.  Figures are read from rollup tables (006_stats.sql), never from
 * the orders, so that a year of a subdistrict reads about a thousand rows
 * whatever the number of orders:
 *   wo_rollup            one row of counters per (stat node, day) and per
 *                        (stat node, month), with the handling-time
 *                        histogram of its orders as a short text;
 *   wo_rollup_category   orders per top-level category, same keys.
 * The stat node of an order is its place cut to the courtyard: the courtyard
 * holding the place, or the place itself when it is a courtyard, community or
 * subdistrict.  The period of a row is the local day (or month) of
 * received_at.  A node's figures sum the rows of the stat nodes in its subtree
 * (node_closure) over the days and months of the period: whole months from
 * the month rows, the days of a cut month from the day rows.  Nodes below the
 * courtyard (buildings, units, households) are counted from the orders
 * themselves (their subtrees are small).
 *
 * THE HOOK.  The rollups are kept in the same transaction as each write, by
 * whoever writes work_orders, through stats_on_write() (or stats_on_event()):
 *   - wo_create() (order.c): after the intake event is written
 *     (wo_event_add) and BEFORE wo_dispatch_at_intake():
 *         if (stats_on_write(s, NULL, oid, f) < 0) goto fail;
 *   - every transition, machine.c run() (wo_transition(), the dispatch at
 *     intake, and the sweeper's yellow_card / red_card actions all pass
 *     there): after write_row() and wo_event_add(), before
 *     wo_order_release(&o) and the commit, with o, the order as it was
 *     loaded at the start of the transition:
 *         if (stats_on_write(s, &o, id, f) < 0) goto fail;
 *   - anything else that changes the columns figures read (an import writing
 *     rows by SQL, a repair, a purge) calls it per order, or stats_rebuild()
 *     after.
 * A failure (-1) means the write must be rolled back with the rest.  Calling
 * it twice for one change counts the change twice: once per write, exactly.
 *
 * Yellow and red cards are not on the order row for good (an extension or a
 * redo clears the card), so they are counted as they are given: the hook
 * counts a change of work_orders.card to yellow or red, and stats_rebuild()
 * counts the wo_events rows of the actions below.  The two agree because
 * each card is given by one transition, which writes one such event.
 *
 * Handling time is counted in working seconds (calendar_working_seconds()) on
 * the calendar loaded when the hook runs.  Loading a calendar that changes a
 * day already used, or moving a building or household to another courtyard,
 * leaves rollup rows that a recomputation would not give: run
 * stats_rebuild() after either.
 *
 * Conventions as in org.h: functions return 0, or -1 with the fault filled;
 * structs own their arrays and strings (free with the _release() functions).
 */
#ifndef YL_STATS_H
#define YL_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "org/org.h"
#include "store/store.h"
#include "util/fault.h"

/* The wo_events actions of cards (written by the sweeper; counted by stats_rebuild()). */
#define STATS_ACTION_YELLOW_CARD "yellow_card"
#define STATS_ACTION_RED_CARD "red_card"

/* Handling-time histogram: bucket b holds times in [b/10, (b+1)/10) working days; the last, 60 or more. */
#define STATS_BUCKET_SECONDS 8640	/* a tenth of a working day */
#define STATS_BUCKETS 601
#define STATS_MAX_DAYS 3700		/* a period is at most about ten years */

/*
 * The counters: one per rollup column, each the number of orders of the
 * cohort with the property (or the sum of a per-order count, marked "sum").
 * METRICS.md defines each; the order row's columns are in 005_workorders.sql.
 */
#define STATS_COUNTERS(X)                                                                                        \
	X(received)		/* 受理量: every order received */                                              \
	X(refused)		/* 不予受理: closed at intake, never accepted */                                \
	X(still_open)		/* not closed */                                                                \
	X(closed)		/* closed, refused ones excepted */                                             \
	X(completed)		/* 办结: a reply or direct answer stands (settled_level set) */                 \
	X(on_time)		/* completed, replied_at <= deadline (as extended) */                           \
	X(settled_courtyard)	/* completed, settled_level courtyard */                                        \
	X(settled_community)	/* completed, settled_level community */                                        \
	X(settled_subdistrict)	/* completed, settled_level subdistrict */                                      \
	X(dispatched)		/* dispatched at least once (dispatched_at set, or returned) */                 \
	X(response_due)		/* a dispatch stands (dispatched_at set) */                                     \
	X(responded)		/* that dispatch signed for by its sign deadline */                             \
	X(signed_for)		/* that dispatch signed for, on time or late */                                 \
	X(returned)		/* returned at least once (退单) */                                             \
	X(returns)		/* sum of returns */                                                            \
	X(extended)		/* extended at least once (延期) */                                             \
	X(extensions)		/* sum of extensions */                                                         \
	X(callbacks)		/* a callback stands (satisfaction set) */                                      \
	X(satisfied)		/* callback: 满意 */                                                            \
	X(basically_satisfied)	/* callback: 基本满意 */                                                        \
	X(dissatisfied)		/* callback: 不满意 */                                                          \
	X(resolved_known)	/* callback with resolved said (0 or 1) */                                      \
	X(resolved)		/* callback: resolved = 1 */                                                    \
	X(redo_base)		/* called back, or redone (the redo rate's denominator) */                      \
	X(redone)		/* redone at least once (重办) */                                               \
	X(redos)		/* sum of redos */                                                              \
	X(supervised)		/* under supervision at least once (督办) */                                    \
	X(supervisions)		/* sum of supervision orders */                                                 \
	X(escalated)		/* escalated at least once */                                                   \
	X(escalations)		/* sum of escalations */                                                        \
	X(yellow_cards)		/* yellow cards given (黄牌) */                                                 \
	X(red_cards)		/* red cards given (红牌) */                                                    \
	X(handled)		/* completed, handling time known */                                            \
	X(handling_seconds)	/* sum of working seconds from receipt to the standing reply */                 \
	X(handling_unknown)	/* completed, no calendar for the time between */                               \
	X(src_resident)		/* source: resident */                                                          \
	X(src_grid)		/* source: grid member */                                                       \
	X(src_mobile_grid)	/* source: mobile grid member */                                                \
	X(src_phone)		/* source: staff taking a phone call */                                         \
	X(src_walk_in)		/* source: walk-in */                                                           \
	X(src_hotline)		/* source: the 12345 hotline */                                                 \
	X(type_consultation)	/* 咨询 */                                                                      \
	X(type_help)		/* 求助 */                                                                      \
	X(type_complaint)	/* 投诉 */                                                                      \
	X(type_report)		/* 举报 */                                                                      \
	X(type_suggestion)	/* 建议 */

#define STATS_COUNT_FIELD_(name) int64_t name;
struct stats_counts {
	STATS_COUNTERS(STATS_COUNT_FIELD_)
};

/* A rate kept as its two counts, so nothing is rounded twice: rate = num / den; no rate when den is 0. */
struct stats_ratio {
	int64_t num, den;
};

struct stats_rates {
	struct stats_ratio response;		/* 响应率: responded / response_due */
	struct stats_ratio resolution;		/* 解决率: resolved / resolved_known */
	struct stats_ratio satisfaction;	/* 满意率: (satisfied + basically_satisfied) / callbacks */
	struct stats_ratio completion;		/* 办结率: completed / (received - refused) */
	struct stats_ratio on_time;		/* 按期办结率: on_time / completed */
	struct stats_ratio returns;		/* 退单率: returned / dispatched */
	struct stats_ratio extensions;		/* 延期率: extended / dispatched */
	struct stats_ratio redos;		/* 重办率: redone / redo_base */
	struct stats_ratio settled_courtyard;	/* 院落化解率: settled_courtyard / completed */
	struct stats_ratio settled_community;	/* 社区化解率: settled_community / completed */
	struct stats_ratio settled_subdistrict;	/* 街道化解率: settled_subdistrict / completed */
};

void stats_rates_of(const struct stats_counts *c, struct stats_rates *r);

struct stats_month {
	char month[8];			/* "2025-01" */
	int64_t received;		/* orders received that month (inside the period) */
	int64_t hotline;		/* of which from the 12345 hotline */
};

struct stats_category {
	int64_t id;			/* a top-level category */
	char *code;
	char *name;
	int64_t received;
};

struct wo_stats {
	int64_t node_id;		/* 0: the whole deployment */
	char from[11], to[11];		/* the period, local days, both included */
	struct stats_counts c;
	struct stats_rates r;
	/* Handling time (受理 → 办结), working days. */
	int64_t hist[STATS_BUCKETS];	/* orders per bucket (sum: c.handled) */
	double mean_days;		/* c.handling_seconds / c.handled / 86400; 0 when none */
	double p90_days;		/* upper edge of the bucket of the 90th percentile; 0 when none */
	int p90_bucket;			/* that bucket; -1 when none (STATS_BUCKETS - 1: 60 days or more) */
	/* Volume. */
	struct stats_month *months;	/* every month the period touches, in order */
	size_t nmonths;
	struct stats_category *categories;	/* top-level categories with orders, in the tree's order */
	size_t ncategories;
};

void wo_stats_release(struct wo_stats *st);

/*
 * Figures of node's subtree (0: the whole deployment) for the orders received
 * from from to to ("YYYY-MM-DD", local days, both included).  Faults:
 * FAULT_INVALID on field "from" or "to" (not a date, from after to, a period
 * longer than STATS_MAX_DAYS); FAULT_NOT_FOUND on "node" (no such node).
 * Scope is the caller's business (the api layer).
 */
int stats_compute(struct store *s, int64_t node_id, const char *from, const char *to, struct wo_stats *out,
		  struct fault *f);

/*
 * The same figures counted from the orders and their events themselves, with
 * the calendar as it is now: slow (it reads every order of the period), for
 * tests, checks and the nodes below the courtyard.
 */
int stats_compute_raw(struct store *s, int64_t node_id, const char *from, const char *to, struct wo_stats *out,
		      struct fault *f);

/* The dashboard's ranking table: node's children (0: the roots), each with its counts and rates. */
struct stats_rank_item {
	int64_t node_id;
	char *name;
	enum node_level level;
	struct stats_counts c;
	struct stats_rates r;
};

struct stats_ranking {
	int64_t node_id;
	char from[11], to[11];
	struct stats_rank_item *items;	/* the children, by name */
	size_t n;
	struct stats_rank_item total;	/* the node's own figures (node_id 0 and no name for the deployment) */
	int has_self;			/* 1: orders placed on the node itself, in no child */
	struct stats_rank_item self;	/* those (total minus the children) */
};

int stats_ranking(struct store *s, int64_t node_id, const char *from, const char *to, struct stats_ranking *out,
		  struct fault *f);
void stats_ranking_release(struct stats_ranking *r);

/*
 * The columns of an order the figures read, and all the hook needs to know of
 * an order: a narrow type, so that stats/ never includes the work-order
 * headers (work orders call stats; stats does not call back).  The work-order
 * side fills it (wo_stat_row()).  Empty strings stand for NULL.
 */
struct stat_row {
	int64_t id;
	int64_t subdistrict_id;
	int64_t node_id;
	int64_t category_id;
	int64_t received_at, accepted_at, dispatched_at, signed_at, sign_deadline, replied_at, deadline;
	int returns, extensions, redos, supervisions, escalations;
	int resolved;			/* -1 unknown */
	char state[20], source[16], type[16], settled_level[16], satisfaction[24], card[8];
};

/*
 * The hook (see THE HOOK above): one write to work_orders.  before is the
 * order as it was (NULL: the row was just inserted), after as it is now (NULL:
 * the row was deleted).  Only the columns figures read are used: node_id,
 * subdistrict_id, received_at, source, type, category_id, state, accepted_at,
 * dispatched_at, signed_at, sign_deadline, replied_at, deadline,
 * settled_level, card, returns, extensions, redos, supervisions, escalations,
 * satisfaction, resolved.  Runs in its own nested write transaction.
 */
int stats_on_event(struct store *s, const struct stat_row *before, const struct stat_row *after, struct fault *f);
/* The same, reading the order as it is now from work_orders by id. */
int stats_on_write(struct store *s, const struct stat_row *before, int64_t order_id, struct fault *f);

/*
 * Recomputes every rollup row from work_orders and wo_events, in one write
 * transaction: after an import that wrote rows directly, a calendar change,
 * moves below the courtyard, or to repair.  *orders (may be NULL): orders counted.
 */
int stats_rebuild(struct store *s, int64_t *orders, struct fault *f);

#endif
