/*
 * workorder.h - residents' requests as work orders (工单): intake from every
 * source, routing to the lowest responsible node, the state machine with its
 * event history, and working-day deadlines.  DOMAIN.md, "Resident requests".
 *
 * Conventions as in org.h: structs own their strings (free with _release());
 * functions return 0, or -1 with a struct fault naming the field; writes run in
 * their own nestable write transaction.  Every state change writes one row of
 * wo_events in the same transaction as the change to work_orders: the event
 * history is never rewritten, and the order's state is what its events say.
 *
 * Who may do what in which state is ONE table (machine.c): wo_transition()
 * looks the action up, checks the actor's permission and scope, the state, and
 * the action's own rules, and answers FAULT_CONFLICT (409) with a message that
 * says why when the action is not allowed now.
 *
 * Actors.  A NULL actor is the system itself (imports, the sweeper): it holds
 * every permission and sees the whole deployment.  An actor holding
 * workorder.read_all sees an order when its scope holds the order's place or
 * its handler node; without it (mobile grid members, who can only report) an
 * actor sees only the orders it filed.  An order an actor cannot see answers
 * FAULT_NOT_FOUND.
 *
 * Deadlines are counted on the working-day calendar (calendar.h).  A deadline
 * that reaches into a year without a loaded calendar is counted on the
 * provisional one and recorded as such (struct wo_provisional, the table
 * provisional_deadlines): loading the official year recomputes it
 * (wo_calendar_load() in recalc.c).  No action is ever refused for a missing
 * calendar.
 */
#ifndef YL_WORKORDER_H
#define YL_WORKORDER_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/store.h"
#include "timenode/timenode.h"
#include "util/fault.h"

/* Sources (来源): resident (web), grid member, mobile grid member (courier or rider), staff taking a
 * phone call, a walk-in, the 12345 hotline. */
#define WO_SOURCES "resident,grid,mobile_grid,phone,walk_in,hotline"
/* Types (诉求类型): 咨询 consultation, 求助 help, 投诉 complaint, 举报 report, 建议 suggestion. */
#define WO_TYPES "consultation,help,complaint,report,suggestion"
#define WO_URGENCIES "normal,urgent"

/*
 * States (DOMAIN.md):
 *   received → accepted → answered (直办) ───────────────────────────────→ callback → closed
 *                      └→ dispatched → in_progress (签收) → replied → reviewed → callback → closed
 *   dispatched/in_progress → return_requested → (approved) accepted or dispatched elsewhere / (refused) back
 *   callback dissatisfied → dissatisfied → redo → in_progress (counted) | close
 *   received → closed (refused at intake, with a reason); closed → in_progress (reopen, within the window)
 */
#define WO_STATES "received,accepted,answered,dispatched,return_requested,in_progress,replied,reviewed,dissatisfied,closed"

/*
 * Deadlines counted on a provisional calendar: for each, the instant its
 * working days count from (kept across extensions, so that the recount is
 * exact), or 0 when it was counted on official calendars only.
 */
struct wo_provisional {
	int64_t sign_deadline, return_deadline, deadline;
};

/*
 * Public numbers (number.c): "YL", the deployment's prefix (0 to 6 capital
 * letters), the local date of receipt and that day's sequence in at least 5
 * digits: YL2026112900123, YLMS2026112900123, YL20261129123456.
 * WO_NUMBER_SIZE holds the longest with its NUL (a 19-digit sequence).
 */
#define WO_NUMBER_PREFIX_MAX 6
#define WO_NUMBER_SIZE 40
/*
 * Sets the prefix of the numbers this process gives (the setting
 * number-prefix; "" for none).  Called once at start, before any thread.
 * Returns 0, or -1 with err filled when it is not 0 to 6 capital letters.
 */
int wo_number_set_prefix(const char *prefix, char *err, size_t errlen);

struct wo_order {
	int64_t id;
	int64_t subdistrict_id;
	char *number;			/* YL, prefix, local date, daily sequence: YL2026112900123 (above) */
	char *source;
	char *external_no;		/* the hotline's 工单编号, or NULL */
	char *type;
	int64_t category_id;
	char *category_path;		/* "城乡建设 > 物业管理" */
	char *urgency;
	int64_t node_id;		/* the place: lowest node that holds it */
	char *address;
	int has_coords;
	double lat, lng;
	char *caller_name;		/* decrypted; the API masks or hides it */
	char *caller_phone;		/* decrypted; the API masks it */
	int confidential;		/* 保密: handling units never see the caller */
	char *text;
	char *state;
	char *return_from;		/* the state a return request came from, while one waits */
	int64_t handler_node_id;	/* who must act now (0 before dispatch) */
	char *handler_level;		/* its level: courtyard, community, subdistrict */
	char *settled_level;		/* level of the node that replied or answered; NULL while open */
	int64_t created_by;		/* user id, 0 for a token or an import */
	int64_t received_at;		/* unix seconds (UTC) */
	int64_t accepted_at, dispatched_at, signed_at, replied_at, closed_at;	/* 0: not yet */
	int64_t sign_deadline;		/* 0: none */
	int64_t return_deadline;
	int64_t deadline;		/* reply deadline; 0 before acceptance */
	struct wo_provisional provisional;	/* which deadlines are provisional, and from when */
	char *card;			/* none, yellow, red */
	int returns, extensions, redos, supervisions, escalations, reopens;
	int extension_days_requested;	/* > 0 while an extension request waits */
	int extension_days_granted;	/* working days approved so far (at most extension_max_days) */
	char *satisfaction;		/* satisfied, basically_satisfied, dissatisfied; NULL before callback */
	int resolved;			/* -1 unknown, 0 no, 1 yes (from the callback) */
	int64_t *photo_ids;
	size_t nphotos;
	char *created_at, *updated_at;
	char *category_external;	/* the hotline's category path, when it filed the category (config.h) */
};

void wo_order_release(struct wo_order *o);

/* An order's external number (the hotline's 工单编号): 1 to this many printable ASCII characters, no spaces. */
#define WO_EXTERNAL_NO_CHARS 64

struct wo_input {
	const char *source;
	const char *external_no;
	const char *type;
	int64_t category_id;
	const char *urgency;		/* default normal */
	int64_t node_id;		/* the place; or address matched onto the tree */
	const char *address;
	int has_coords;
	double lat, lng;
	const char *caller_name;
	const char *caller_phone;
	int confidential;
	const char *text;
	const int64_t *photo_ids;	/* uploads (wo_upload) to attach */
	size_t nphotos;
	const char *idempotency_key;	/* a retried submission with the same key returns the same order */
	int64_t received_at;		/* 0: now; imports give the hotline's time (never in the future) */
	int hotline_days;		/* hotline's 办理时限 in working days (0: the configured limit) */
	const char *category_external;	/* the hotline's category path (normalised), kept on the order */
	const char *category_by;	/* how it found category_id: tree, map, parent, fallback (config.h) */
	int64_t dispatched_at;		/* the hotline's 派单时间: the sign window counts from it (0: received_at) */
};

/*
 * Intake.  Staff-entered (phone, walk_in) and hotline orders are accepted at
 * once, and only an actor holding workorder.dispatch may enter them; residents'
 * and grid members' reports start received.  Routing (wo_route) picks the
 * handler: the routing rules (by category and type), the category's level or,
 * by default, the courtyard holding the place.  A trusted order is dispatched
 * at intake when routing finds a node of the wanted level; when the place is
 * known only above that level (an address matched to a community), it waits
 * in accepted at that node for a person to dispatch (DOMAIN.md: never dropped).
 * accepted_at and the reply deadline date from received_at (the hotline's
 * time limit counts from its own receipt); the dispatch is dated when it
 * happens, at intake, so the sign and return windows count from the moment
 * the handler got the order.
 *
 * *replayed is 1 when the idempotency key matched an earlier order of the same
 * creator (committed by a first attempt whose answer was lost): *id is that
 * order and nothing is written.  The key of another creator is a conflict.
 * A hotline order's external_no is unique: a second one is a conflict naming
 * the order that holds it.
 */
int wo_create(struct store *s, const struct actor *a, const struct wo_input *in, int64_t *id, int *replayed,
	      struct fault *f);
int wo_get(struct store *s, int64_t id, struct wo_order *out, struct fault *f);
int wo_get_by_number(struct store *s, const char *number, struct wo_order *out, struct fault *f);
/* The columns of o the figures read, for the hook of stats.h (which knows no work-order type). */
struct stat_row;
void wo_stat_row(const struct wo_order *o, struct stat_row *r);
/* 1 when actor may see the order (read_all: scope holds its place or its handler; else: filed by actor), 0 when
 * not, -1 on a store error. */
int wo_visible(struct store *s, const struct actor *a, const struct wo_order *o);

/* Routing: where an order of this category and type about this place goes. */
struct wo_route {
	int64_t node_id;		/* the handling node */
	const char *level;		/* the level wanted: courtyard, community or subdistrict (static) */
	int exact;			/* 1: node is of that level; 0: the place is above it, node is the place */
	const char *why;		/* "rule", "category" or "default" (static) */
	int64_t rule_id;		/* the wo_routing_rules row when why is "rule" */
};

int wo_route(struct store *s, int64_t category_id, const char *type, int64_t place_id, struct wo_route *out,
	     struct fault *f);

/* A transition request: the action name and what it carries. */
struct wo_action {
	const char *action;		/* accept, refuse, answer, dispatch, reassign, sign, request_return, approve_return,
					   refuse_return, request_extension, approve_extension, refuse_extension,
					   reply, approve_review, reject_review, callback, redo, close, reopen,
					   supervise, escalate */
	const char *opinion;		/* reason, answer, reply text ... (required by some actions) */
	int64_t node_id;		/* dispatch / approve_return / supervise target */
	int days;			/* request_extension: working days asked (1..10) */
	const char *satisfaction;	/* callback */
	int resolved;			/* callback, when set_resolved: 1 resolved, 0 not (unset: unknown) */
	int set_resolved;
	const int64_t *photo_ids;
	size_t nphotos;
	int64_t at;			/* 0: now; imports and tests date an action (not before the last event,
					   never in the future) */
};

/*
 * Applies one action as actor; the event row and the order change commit together.
 * Faults: FAULT_INVALID naming the field (unknown action, a missing opinion, a
 * field the action does not take); FAULT_NOT_FOUND when the actor cannot see
 * the order; FAULT_FORBIDDEN when the role lacks the action's permission or the
 * actor's scope does not hold the node the action belongs to (the handler for
 * handle actions, the place for dispatch and review actions); FAULT_CONFLICT
 * when the state or the action's own rule forbids it now, saying why.
 */
int wo_transition(struct store *s, const struct actor *a, int64_t id, const struct wo_action *act, struct fault *f);

/*
 * The resident's own rating from the public status page (api_public.c): the
 * callback action (satisfied, basically_satisfied, dissatisfied; dissatisfied
 * goes to the reviewers as a phone callback's would), run as the system once
 * the caller proved the order theirs; 409 when the order awaits no callback.
 */
int wo_resident_callback(struct store *s, int64_t id, const char *satisfaction, struct fault *f);

/* The actions actor may take on this order now (for the UI's buttons); names into a static table. */
size_t wo_allowed_actions(struct store *s, const struct actor *a, const struct wo_order *o, const char **out,
			  size_t max);
#define WO_MAX_ACTIONS 24

/*
 * Lists (list.c): the orders actor may see (wo_visible() as SQL), filtered,
 * sorted and paged by keyset: a page starts after the last order of the page
 * before, named by an opaque token, so pages never shift or repeat while
 * orders arrive, and page 1000 costs what page 1 costs.  No totals: counting
 * ten million rows for every page is not cheap.  Filters left 0/NULL match all;
 * every filter combines with every other (AND).
 *
 *   state        one state or a comma list ("dispatched,in_progress")
 *   under_id     the PLACE inside this node's subtree (where the request is about;
 *                the handler is handler_node_id's business, and "my tasks" goes by
 *                the handler)
 *   category_id  the category or any category below it
 *   source, type, urgency   one value each
 *   from, to     local dates (Asia/Shanghai, YYYY-MM-DD) on received_at, both included
 *   overdue      1: open (accepted, dispatched, return_requested, in_progress) and past
 *                its reply deadline now
 *   card         yellow, red, or any (yellow or red)
 *   handler_node_id  the handling node, exactly (the assignee: the schema has no
 *                per-user assignee; a node acts through the people who hold its roles)
 *   created_by   the user who filed it
 *   q            search text (search.c): every word in the number, the hotline's
 *                number, the address or the text; never the caller
 *
 * Sorts: "time" (default): received_at newest first, then id; "deadline": the
 * reply deadline soonest first, then id; orders without a deadline (not yet
 * accepted, or answered at once) after all others, by id.
 *
 * after is the next token of the page before (FAULT_INVALID on "after" when it
 * is not one, or belongs to the other sort).  before_id (older clients) starts
 * a time-sorted page after that order.  Faults name the filter at fault.
 */
struct wo_filter {
	const char *state;
	int64_t under_id;
	const char *source;
	const char *type;
	const char *urgency;
	int64_t category_id;
	int64_t created_by;		/* user id */
	int64_t handler_node_id;
	const char *from, *to;		/* "YYYY-MM-DD" */
	int overdue;
	const char *card;
	const char *q;
	const char *sort;		/* "time" or "deadline"; NULL: time */
	const char *after;		/* a wo_list.next token */
	int64_t before_id;
	int limit;			/* 1..500, default 50 */
	int64_t now;			/* 0: the clock (tests fix it for overdue) */
};

#define WO_CURSOR_MAX 96

struct wo_list {
	struct wo_order *items;
	size_t n;
	char next[WO_CURSOR_MAX];	/* the token of the next page; "" when this was the last */
	int64_t next_before_id;		/* time sort: the last id here when there is more; else 0 */
};

int wo_list(struct store *s, const struct actor *a, const struct wo_filter *flt, struct wo_list *out,
	    struct fault *f);
void wo_list_release(struct wo_list *l);

/*
 * "My tasks" (list.c): what waits for the actor now, one list per kind of
 * work, each the first cap orders (1..200, default 50; most urgent first) with
 * the count of all.  A list is there only when the actor's role does that work:
 *   workorder.handle    to_sign (dispatched, by sign deadline), in_progress
 *                       (in progress, or a return asked for; by deadline), carded
 *                       (yellow or red card, open; by deadline): the HANDLER in scope;
 *   workorder.dispatch  to_accept (received; oldest first), to_dispatch (accepted; by
 *                       deadline), to_decide (a return or an extension asked for): the
 *                       PLACE in scope, as the state machine checks for these actions;
 *   workorder.review    to_review (replied), to_call_back (answered or reviewed):
 *                       the place in scope, by reply time;
 *   workorder.create    reported: what the actor filed that is not closed, newest first.
 */
#define WO_TASK_LISTS 9

struct wo_task_list {
	const char *name;		/* static */
	struct wo_order *items;
	size_t n;
	int64_t count;
};

struct wo_tasks {
	struct wo_task_list lists[WO_TASK_LISTS];
	size_t n;
};

int wo_tasks(struct store *s, const struct actor *a, int cap, struct wo_tasks *out, struct fault *f);
void wo_tasks_release(struct wo_tasks *t);

struct wo_event {
	int64_t id;
	int64_t at;
	int64_t actor_user_id;
	char *actor_login;
	char *action;
	char *from_state;
	char *to_state;
	int64_t node_id;		/* the handler after the event */
	char *opinion;
	char *detail;
	int64_t *photo_ids;
	size_t nphotos;
};

struct wo_event_list {
	struct wo_event *items;
	size_t n;
};

int wo_events(struct store *s, int64_t id, struct wo_event_list *out, struct fault *f);
void wo_event_list_release(struct wo_event_list *l);

/* Categories: a configurable two-level tree, seeded with a sensible default. */
struct wo_category {
	int64_t id;
	int64_t parent_id;
	char *code;
	char *name;
	char *route_level;		/* NULL: default routing; community / subdistrict: always there */
	int active;
	int sort;
};

struct wo_category_list {
	struct wo_category *items;
	size_t n;
};

/* Parents before their children, each level in its sort order. */
int wo_category_list(struct store *s, int include_inactive, struct wo_category_list *out, struct fault *f);
void wo_category_list_release(struct wo_category_list *l);
/* "城乡建设>物业管理" (the hotline's form; spaces around '>' or '＞' ignored) to an id; FAULT_NOT_FOUND when
 * no such path. */
int wo_category_by_path(struct store *s, const char *path, int64_t *id, struct fault *f);

/* Time limits per type and urgency (working days), configuration in wo_time_limits. */
struct wo_limits {
	int reply_days;			/* Shandong default 5 */
	int sign_days;			/* 1 */
	int return_days;		/* 2 */
	int extension_max_days;		/* 10 */
	int reopen_days;		/* calendar days a closed order may be reopened: 30 */
};

int wo_limits_for(struct store *s, const char *type, const char *urgency, struct wo_limits *out, struct fault *f);

/* Orders per state, deployment-wide, in WO_STATES order (count.c, for /metrics; closed: at most 5 minutes old). */
#define WO_NSTATE_COUNT 10
int wo_count_by_state(struct store *s, int64_t counts[WO_NSTATE_COUNT], struct fault *f);


/*
 * recalc.c: loads a year's official calendar (calendar_load) and counts again
 * every provisional deadline of an order that is not closed, in one write
 * transaction; a dry run rolls it all back.  out lists every provisional
 * deadline met (before and after, whether it stays provisional, the reply
 * card before and after): release it with wo_recalc_release().
 */
struct wo_recalc_item {
	int64_t order_id;
	char number[WO_NUMBER_SIZE];
	const char *field;		/* "deadline", "sign_deadline", "return_deadline" (static) */
	int64_t base, before, after;
	int still_provisional;		/* it reaches a further year not loaded */
	char card_before[8], card_after[8];	/* for "deadline": a card the new deadline no longer justifies goes */
};

struct wo_recalc {
	struct wo_recalc_item *items;	/* by order, then field */
	size_t n;
	struct tn_recount nodes;	/* the other ledgers' time nodes (timenode.h) */
};

struct calendar_file;
int wo_calendar_load(struct store *s, const struct calendar_file *cf, const char *source, int dry_run,
		     int *changed, struct wo_recalc *out, struct fault *f);
void wo_recalc_release(struct wo_recalc *r);

#endif
