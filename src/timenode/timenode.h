/*
 * timenode.h - one engine for anything that is due (DESIGN.md, "Data"): a
 * deadline on the working-day calendar or in calendar days, a yellow card at
 * the start of the last working day before it (calendar_yellow_at(), the rule
 * of work orders), a red card on the first overdue second, escalation to
 * whoever answers for it (the level above, by the policy of the level), a
 * card history, one sweeper over every kind, and one inbox ("my tasks") that
 * lists what waits for a person from every kind.
 *
 * A kind registers itself: one struct tn_kind in the table of kinds
 * (kinds.c; tn_kind_register() for a kind that only a test knows).  A kind
 * either keeps its due dates on its own ledger's rows (work orders: the
 * columns card, deadline and escalate_at of work_orders, their partial indexes
 * and their own transitions) or leaves them to the shared table time_nodes
 * (011_timenodes.sql) through tn_open()/tn_done() and the callbacks of
 * TN_NODE_KIND (node.c), which is what a new ledger does: it writes its rows,
 * opens one time node per thing that is due, and closes it when done.
 *
 * The sweeper (sweep.c).  For each kind in the table's order, three passes,
 * each a range of an index over the instants that fall due, paged by
 * (key, id) and in batches of one write transaction each:
 *   1. escalation: nodes whose escalate_at has come (kind.sql_due_climb);
 *   2. red: card none, then yellow, with deadline < now (kind.sql_due_card);
 *   3. yellow: card none with now <= deadline <= the yellow bound.
 * Each node is done by the kind's callback in a nested transaction of its
 * own; a failure is counted (report.errors) and undone, and the node is tried
 * again next run.  The cost follows what is due: no pass reads a node that
 * has nothing due.  Idempotent: a second run at the same now changes nothing.
 * With several servers on one database the lease (sweeper_lease) makes one
 * of them sweep a period.
 *
 * Functions return 0, or -1 with the fault filled.
 */
#ifndef YL_TIMENODE_H
#define YL_TIMENODE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

struct actor;

#define TN_SWEEP_BATCH 500			/* nodes per write transaction */
#define TN_SWEEP_LEASE "workorders"		/* the sweeper's row of sweeper_lease (its name since 008) */
#define TN_SWEEP_LEASE_LOST "lease_lost"	/* fault code: another sweeper took the lease meanwhile */

/* The levels that may climb: a subdistrict has nothing above it. */
enum tn_level { TN_COURTYARD, TN_COMMUNITY, TN_LEVELS };

struct tn_sweep_report;

/* Escalation by the level of whoever answers (table wo_sweep_policy), and the options of one run. */
struct tn_sweep_policy {
	int escalate[TN_LEVELS];		/* 1: red nodes answered at this level climb one level */
	int after_days[TN_LEVELS];		/* working days after the deadline (0..30) */
	int batch;				/* nodes per transaction; 0: TN_SWEEP_BATCH */
	int dry_run;				/* do all the work, commit none of it */
	const char *lease_holder;		/* renew the lease with every batch, stop when lost; NULL: none */
	int lease_seconds;			/* how long a renewal holds it */
	/* Called after every batch; non-zero stops the run there (report.stopped). May be NULL. */
	int (*progress)(const struct tn_sweep_report *r, void *arg);
	void *progress_arg;
};

struct tn_sweep_report {
	int64_t now;
	long examined;				/* rows the sweep's queries read: its cost */
	long yellow, red, escalated;		/* cards issued, nodes moved up */
	long rescheduled;			/* red nodes whose escalation time moved */
	long sign_overdue;			/* work orders past their sign deadline: counted only */
	long errors;				/* nodes that failed; tried again next run */
	long batches;
	int stopped;				/* progress asked to stop: the rest is left for the next run */
	int64_t first_error_order;		/* the first failed node (0: none, or no node) ... */
	const char *first_error_kind;		/* ... of this kind, with its fault */
	struct fault first_error;
};

/* What one batch did; a kind's callbacks count here (kept only when the batch commits). */
struct tn_tally {
	long yellow, red, escalated, rescheduled, errors;
	int64_t first_error_order;
	const char *first_error_kind;
	struct fault first_error;
};

/* One run of the sweeper, as a kind's callbacks see it. */
struct tn_run {
	struct store *s;
	int64_t now;
	const struct tn_sweep_policy *p;
	struct tn_sweep_report *r;
	struct tn_tally t;
	int batch;
	const struct tn_kind *kind;		/* the kind being swept */
};

void tn_tally_error(struct tn_tally *t, const char *kind, int64_t id, const struct fault *f);

/* One thing waiting for a person, from any kind (the inbox). */
struct tn_task {
	const char *kind;			/* static: the kind's name */
	int64_t id;				/* the kind's own id (a work order's id; a time node's ref_id) */
	int64_t node;				/* time_nodes.id; 0 for a kind with its own rows */
	const char *title;			/* owned by the inbox (tn_inbox_add copies) */
	const char *list;			/* why it waits: a work-order list ("to_sign" ...), "carded", "due" */
	int64_t deadline;			/* 0: none */
	char card[8];				/* "none", "yellow", "red" */
	int64_t node_id;			/* who answers for it now */
	int provisional;			/* the deadline stands on a provisional calendar */
};

struct tn_inbox {
	struct tn_task *items;
	size_t n, cap;
	int64_t count;				/* all waiting, not only those listed */
};

void tn_inbox_add(struct tn_inbox *in, const struct tn_task *t);	/* copies title and list */
void tn_inbox_release(struct tn_inbox *in);

/*
 * A kind of time node.  The SQL of the passes is the kind's, next to its
 * callbacks, on its own indexes; parameters in this order:
 *   sql_due_climb: [kind,] lo, hi, key, id, limit  -> id, escalate_at   (NULL: never climbs)
 *   sql_due_card:  [kind,] card, lo, hi, key, id, limit -> id, deadline   (open nodes only)
 * Callbacks run inside the node's own nested transaction; each counts what it
 * did in run->t and returns 0, or -1 with the fault (the node is undone).
 * A kind whose nodes only fall due, with no warning before (volunteer_close:
 * a shift's end), leaves yellow NULL: the sweeper then makes no yellow pass.
 */
struct tn_kind {
	const char *name;
	int bind_kind;				/* 1: the passes' SQL takes the kind's name first (time_nodes) */
	const char *sql_due_climb;
	const char *sql_due_card;
	int (*yellow)(struct tn_run *run, int64_t id, int64_t deadline, struct fault *f);
	int (*red)(struct tn_run *run, int64_t id, int64_t deadline, struct fault *f);
	int (*climb)(struct tn_run *run, int64_t id, int64_t escalate_at, struct fault *f);
	/* After the passes (may be NULL): counts that are not cards (work orders' late signing). */
	int (*after)(struct tn_run *run, struct fault *f);
	/* What waits for the actor, at most limit items (count: all of them); appends to out. */
	int (*inbox)(const struct tn_kind *k, struct store *s, const struct actor *a, int limit, struct tn_inbox *out,
		     struct fault *f);
};

/* The table of kinds: work orders first, then whatever registered (at most TN_MAX_KINDS). */
#define TN_MAX_KINDS 16
int tn_kind_register(const struct tn_kind *k);	/* -1 when full or the name is taken */
void tn_kind_unregister(const char *name);	/* tests */
size_t tn_kind_count(void);
const struct tn_kind *tn_kind_at(size_t i);
const struct tn_kind *tn_kind_find(const char *name);
/* Kinds on the shared table named by YUANLUO_TEST_TIME_KINDS (a,b): for tests; how many were added. */
int tn_kinds_from_env(void);

/* The sweeper. */
void tn_sweep_policy_default(struct tn_sweep_policy *p);
int tn_sweep_policy_load(struct store *s, struct tn_sweep_policy *p, struct fault *f);
/*
 * One sweep over every kind as of now (unix seconds, never ahead of the
 * clock).  policy NULL: tn_sweep_policy_load().  0 when the run went through,
 * whatever failed node by node; -1 when it stopped early (the store failed,
 * or the lease was lost: code TN_SWEEP_LEASE_LOST).
 */
int tn_sweep(struct store *s, int64_t now, const struct tn_sweep_policy *policy, struct tn_sweep_report *report,
	     struct fault *f);

/* What this process's sweeps (not dry runs) did since it started, for /metrics. */
struct tn_sweep_totals {
	uint64_t runs, failed, yellow, red, escalated;
};
void tn_sweep_totals(struct tn_sweep_totals *out);

/* The lease: who holds it until when. */
struct tn_sweep_lease {
	char holder[128];
	int64_t until;
};
int tn_sweep_lease_take(struct store *s, const char *name, const char *holder, int64_t now, int seconds, int *got,
			struct tn_sweep_lease *other, struct fault *f);
int tn_sweep_lease_release(struct store *s, const char *name, const char *holder, struct fault *f);

/* The inbox: every kind's waiting things for the actor, each kind at most limit, kinds in table order. */
int tn_inbox(struct store *s, const struct actor *a, int limit, struct tn_inbox *out, struct fault *f);

/*
 * Deadlines.  Working days: calendar_deadline() (the day of start does not
 * count; 23:59:59 of the n-th working day after it).  Calendar days: 23:59:59
 * (Asia/Shanghai) of the n-th day after the day of start.
 */
enum tn_days { TN_WORKING_DAYS, TN_CALENDAR_DAYS };
int tn_deadline(struct store *s, int64_t start, int days, enum tn_days rule, int64_t *deadline, struct fault *f);
/* The same, and *provisional (may be NULL) 1 when a working day walked is in a year not loaded (calendar.h). */
int tn_deadline_marked(struct store *s, int64_t start, int days, enum tn_days rule, int64_t *deadline,
		       int *provisional, struct fault *f);

/*
 * The shared table time_nodes (node.c), for kinds without columns of their
 * own.  A node belongs to (kind, ref_id), the row of the kind's ledger, and
 * answers to node_id (an org node) and, when given, one user.
 */
struct tn_open_input {
	const char *kind;			/* registered */
	int64_t ref_id;
	const char *title;
	int64_t node_id;			/* who answers for it */
	int64_t assignee_user_id;		/* 0: anyone who holds node_id */
	int64_t start;				/* unix seconds */
	int days;				/* 1..365 */
	enum tn_days rule;
};

struct tn_node {
	int64_t id, ref_id, node_id, assignee_user_id, deadline, escalate_at, done_at;
	char kind[33], state[8], card[8];
	char *title;
	int provisional;
};

struct tn_event {
	int64_t at, from_node_id, to_node_id;
	char action[16];
	char *note;
};

struct tn_event_list {
	struct tn_event *items;
	size_t n, cap;
};

int tn_open(struct store *s, const struct tn_open_input *in, int64_t *id, struct fault *f);
int tn_done(struct store *s, const char *kind, int64_t ref_id, int64_t at, struct fault *f);
int tn_get(struct store *s, int64_t id, struct tn_node *out, struct fault *f);
void tn_node_release(struct tn_node *n);
int tn_events(struct store *s, int64_t id, struct tn_event_list *out, struct fault *f);
void tn_event_list_release(struct tn_event_list *l);

/*
 * A kind on time_nodes: the SQL of the passes and the callbacks of node.c
 * under the kind's name; TN_NODE_KIND("project_task") makes one.
 */
#define TN_NODE_KIND(NAME)                                                                                      \
	{ NAME, 1, TN_NODE_SQL_DUE_CLIMB, TN_NODE_SQL_DUE_CARD, tn_node_yellow, tn_node_red, tn_node_climb, NULL, \
	  tn_node_inbox }
extern const char TN_NODE_SQL_DUE_CLIMB[], TN_NODE_SQL_DUE_CARD[];
int tn_node_yellow(struct tn_run *run, int64_t id, int64_t deadline, struct fault *f);
int tn_node_red(struct tn_run *run, int64_t id, int64_t deadline, struct fault *f);
int tn_node_climb(struct tn_run *run, int64_t id, int64_t escalate_at, struct fault *f);
int tn_node_inbox(const struct tn_kind *k, struct store *s, const struct actor *a, int limit, struct tn_inbox *out,
		  struct fault *f);


/*
 * recount.c: after a year's official calendar is loaded (workorder/recalc.c,
 * in the load's transaction), every open node whose deadline was provisional
 * is counted again from its start, days and rule; a card the new deadline no
 * longer justifies is withdrawn; each node that moved gets a 'recount' event.
 * out lists every node met: release it with tn_recount_release().
 */
struct tn_recount_item {
	int64_t time_node_id;
	char kind[32];
	int64_t ref_id;
	int64_t before, after;
	int still_provisional;
	char card_before[8], card_after[8];
};

struct tn_recount {
	struct tn_recount_item *items;
	size_t n;
};

int tn_recount_provisional(struct store *s, int64_t now, struct tn_recount *out, struct fault *f);
void tn_recount_release(struct tn_recount *r);

#endif
