/*
 * machine.c - the work-order state machine: ONE table of actions (who may do
 * what, from which states, with which fields) and their effects.
 *
 * A transition runs in this order, each step with its own answer:
 *   1. the action's fields, without the store (FAULT_INVALID naming the field);
 *   2. the order, as the actor sees it (FAULT_NOT_FOUND);
 *   3. the action's permission (FAULT_FORBIDDEN);
 *   4. the state (FAULT_CONFLICT: "... is allowed only when it is ...");
 *   5. the actor's scope over the node the action belongs to: the handler for
 *      handle actions, the place for dispatch and review actions (FAULT_FORBIDDEN);
 *   6. the action's own rule, such as the return window (FAULT_CONFLICT, saying why);
 *   7. the effect, checking what the action carries (a dispatch target, the days
 *      of an extension), then the order row and exactly one wo_events row, in
 *      one write transaction.
 * wo_allowed_actions() asks steps 3 to 6 of every row, so the buttons a user
 * sees and the answers the API gives cannot disagree.
 *
 * Deadlines (DOMAIN.md, Shandong practice; limits from wo_time_limits): the
 * reply deadline counts from acceptance; a dispatch sets the sign deadline
 * (sign_days) and the return window (return_days); an approved extension moves
 * the deadline by the days asked, all extensions of an order together at most
 * extension_max_days; a redo or a reopen starts a new reply period.
 *
 * Cards and automatic escalation are the system's (the sweeper, sweep.c): the
 * card actions are rows of this table that no user may take (NEED_SYSTEM),
 * and an escalation of an overdue order gives the new handler a reply period
 * of its own.
 */
#include "workorder/wo_internal.h"
#include "util/check.h"
#include "stats/stats.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPINION_CHARS 2000
#define FUTURE_SLACK 300

#define P_DISPATCH "workorder.dispatch"
#define P_HANDLE "workorder.handle"
#define P_REVIEW "workorder.review"
#define P_SYSTEM "system"	/* no role: only the system (a NULL actor) */

/* What an action needs, and what it takes besides an opinion and photos. */
#define NEED_OPINION 1u
#define NEED_NODE 2u
#define NEED_DAYS 4u
#define NEED_SATISFACTION 8u
#define NEED_SYSTEM 16u		/* the system's own action: a NULL actor, never a user */
#define TAKES_NODE 1u
#define TAKES_DAYS 2u
#define TAKES_CALLBACK 4u	/* satisfaction and resolved */

/* System intake: no permission or scope checks (wo_dispatch_at_intake). */
#define RUN_SYSTEM 1u

/* The row a transition writes: the order's current values with the effect applied. */
struct mut {
	const char *state;
	const char *return_from;
	int64_t handler_node_id;
	const char *handler_level;
	const char *settled_level;
	int64_t accepted_at, dispatched_at, signed_at, replied_at, closed_at;
	int64_t sign_deadline, return_deadline, deadline;
	struct wo_provisional prov;	/* bases of the deadlines counted on a provisional calendar */
	const char *card;
	int returns, extensions, redos, supervisions, escalations, reopens;
	int extension_days_requested, extension_days_granted;
	const char *satisfaction;
	int resolved;
};

struct ctx {
	struct store *s;
	const struct actor *a;
	const struct wo_action *act;	/* NULL when only asking (wo_allowed_actions) */
	const struct wo_order *o;
	enum wo_state from;
	int64_t now;			/* the action's time */
	struct wo_limits lim;
	unsigned flags;
	struct mut m;
	char detail[320];
};

struct rule {
	const char *action;
	unsigned from;
	const char *permission;
	enum wo_scope_of scope;
	unsigned needs;
	unsigned takes;
	const char *to;			/* the usual next state (for the table's readers); NULL: unchanged */
	int (*check)(struct ctx *c, struct fault *f);	/* the action's own rule now; NULL: none */
	int (*apply)(struct ctx *c, struct fault *f);
};

static void detail_add(struct ctx *c, const char *fmt, ...) YL_PRINTF(2, 3);

static void detail_add(struct ctx *c, const char *fmt, ...)
{
	size_t n = strlen(c->detail);
	va_list ap;

	if (n + 3 >= sizeof(c->detail))
		return;
	if (n) {
		memcpy(c->detail + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(c->detail + n, sizeof(c->detail) - n, fmt, ap);
	va_end(ap);
}

/* "2025-10-09" of an instant, for messages. */
static void day_text(int64_t at, char out[32])
{
	wo_local_text(at, out);
	out[10] = '\0';
}

/* Action rules (step 6). */

/* Shandong rule: a return (退单) is asked within return_days working days of dispatch. */
static int check_return_window(struct ctx *c, struct fault *f)
{
	char dispatched[32], limit[32];

	if (!c->o->return_deadline || c->now <= c->o->return_deadline)
		return 0;
	day_text(c->o->dispatched_at, dispatched);
	wo_local_text(c->o->return_deadline, limit);
	return fault_set(f, FAULT_CONFLICT, "action",
			 "return requests are allowed within %d working days of dispatch; this order was dispatched on %s"
			 " and the window closed at %s",
			 c->lim.return_days, dispatched, limit);
}

/* Shandong rule: extensions (延期) are asked before the deadline, up to extension_max_days in all. */
static int check_extension_request(struct ctx *c, struct fault *f)
{
	char due[32];

	if (c->o->extension_days_requested > 0)
		return fault_set(f, FAULT_CONFLICT, "action",
				 "an extension of %d working days is already waiting for a decision",
				 c->o->extension_days_requested);
	if (c->o->extension_days_granted >= c->lim.extension_max_days)
		return fault_set(f, FAULT_CONFLICT, "action",
				 "this order has had all the extension allowed: %d working days in all",
				 c->lim.extension_max_days);
	if (c->o->deadline && c->now > c->o->deadline) {
		wo_local_text(c->o->deadline, due);
		return fault_set(f, FAULT_CONFLICT, "action",
				 "an extension is asked before the deadline; this order was due at %s", due);
	}
	return 0;
}

static int check_extension_waiting(struct ctx *c, struct fault *f)
{
	if (c->o->extension_days_requested > 0)
		return 0;
	return fault_set(f, FAULT_CONFLICT, "action", "no extension request is waiting for a decision");
}

static int check_reopen_window(struct ctx *c, struct fault *f)
{
	char closed[32];

	if (c->o->closed_at && c->now <= c->o->closed_at + (int64_t)c->lim.reopen_days * 86400)
		return 0;
	day_text(c->o->closed_at, closed);
	return fault_set(f, FAULT_CONFLICT, "action",
			 "a closed order may be reopened within %d days of closing; this order was closed on %s",
			 c->lim.reopen_days, closed);
}

/* DOMAIN.md: a supervision order (督办) when overdue, or when the caller is still dissatisfied. */
static int check_supervise(struct ctx *c, struct fault *f)
{
	char due[32];

	if (c->from == WO_DISSATISFIED || (c->o->deadline && c->now > c->o->deadline))
		return 0;
	if (!c->o->deadline)
		return fault_set(f, FAULT_CONFLICT, "action",
				 "a supervision order is for an overdue order or a dissatisfied caller");
	wo_local_text(c->o->deadline, due);
	return fault_set(f, FAULT_CONFLICT, "action",
			 "a supervision order is for an overdue order or a dissatisfied caller; this order is due at %s",
			 due);
}

/* Requests climb courtyard -> community -> subdistrict and no further. */
static int check_escalate(struct ctx *c, struct fault *f)
{
	enum node_level l = node_level_parse(c->o->handler_level);

	if (l == LEVEL_COURTYARD || l == LEVEL_COMMUNITY)
		return 0;
	if (l == LEVEL_SUBDISTRICT)
		return fault_set(f, FAULT_CONFLICT, "action",
				 "this order is already handled by the subdistrict: there is no level above it");
	return fault_set(f, FAULT_CONFLICT, "action", "only a courtyard or a community can escalate an order");
}

/* DOMAIN.md: a yellow card 1 working day before the deadline, while the order is not yet overdue. */
static int check_yellow_card(struct ctx *c, struct fault *f)
{
	char due[32], from[32];
	int64_t at;

	if (!c->o->deadline)
		return fault_set(f, FAULT_CONFLICT, "action", "this order has no deadline to card");
	if (c->o->card && strcmp(c->o->card, "none") != 0)
		return fault_set(f, FAULT_CONFLICT, "action", "this order already has a %s card", c->o->card);
	wo_local_text(c->o->deadline, due);
	if (c->now > c->o->deadline)
		return fault_set(f, FAULT_CONFLICT, "action", "this order was due at %s: a red card is due, not a yellow one",
				 due);
	if (calendar_yellow_at(c->s, c->o->deadline, &at, f) < 0)
		return -1;
	if (c->now < at) {
		wo_local_text(at, from);
		return fault_set(f, FAULT_CONFLICT, "action",
				 "a yellow card is due from %s, 1 working day before the deadline %s", from, due);
	}
	return 0;
}

/* DOMAIN.md: a red card on the first overdue day (from the second after the deadline). */
static int check_red_card(struct ctx *c, struct fault *f)
{
	char due[32];

	if (c->o->card && strcmp(c->o->card, "red") == 0)
		return fault_set(f, FAULT_CONFLICT, "action", "this order already has a red card");
	if (!c->o->deadline)
		return fault_set(f, FAULT_CONFLICT, "action", "this order has no deadline to card");
	if (c->now > c->o->deadline)
		return 0;
	wo_local_text(c->o->deadline, due);
	return fault_set(f, FAULT_CONFLICT, "action", "a red card is for an overdue order; this order is due at %s", due);
}

/* Effects (step 7). */

/* A deadline days working days after from, with its provisional base (an extension keeps the order's). */
static int deadline_after(struct ctx *c, int64_t from, int days, int64_t *out, int64_t *base, struct fault *f)
{
	int64_t chain = c->o->deadline && from == c->o->deadline ? c->o->provisional.deadline : 0;

	return wo_deadline(c->s, from, days, chain, out, base, f);
}

/* Sends the order to node: the target checks, then the dispatch fields. check_scope: the actor must see node. */
static int send_to(struct ctx *c, int64_t node_id, int check_scope, struct fault *f)
{
	struct node n;
	enum node_level level;
	char sign_by[32];
	int in;

	if (org_node_get(c->s, node_id, &n, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "node_id", "node %lld does not exist", (long long)node_id);
		return -1;
	}
	level = n.level;
	if (check_scope && !(c->flags & RUN_SYSTEM)) {
		in = wo_in_scope(c->s, c->a, node_id);
		if (in <= 0) {
			node_release(&n);
			if (in < 0)
				return store_fault(c->s, STORE_ERROR, f);
			return fault_set(f, FAULT_INVALID, "node_id", "node %lld does not exist", (long long)node_id);
		}
	}
	if (level != LEVEL_COURTYARD && level != LEVEL_COMMUNITY && level != LEVEL_SUBDISTRICT) {
		fault_set(f, FAULT_INVALID, "node_id",
			  "orders are handled by a courtyard, a community or a subdistrict: %s is a %s", n.name,
			  node_level_name(level));
		node_release(&n);
		return -1;
	}
	if (n.subdistrict_id != c->o->subdistrict_id) {
		fault_set(f, FAULT_INVALID, "node_id", "%s belongs to another subdistrict than the order's place", n.name);
		node_release(&n);
		return -1;
	}
	c->m.state = "dispatched";
	c->m.handler_node_id = node_id;
	c->m.handler_level = node_level_name(level);
	c->m.dispatched_at = c->now;
	c->m.signed_at = 0;
	if (deadline_after(c, c->now, c->lim.sign_days, &c->m.sign_deadline, &c->m.prov.sign_deadline, f) < 0 ||
	    deadline_after(c, c->now, c->lim.return_days, &c->m.return_deadline, &c->m.prov.return_deadline, f) < 0 ||
	    (!c->m.deadline && deadline_after(c, c->now, c->lim.reply_days, &c->m.deadline, &c->m.prov.deadline, f) < 0)) {
		node_release(&n);
		return -1;
	}
	wo_local_text(c->m.sign_deadline, sign_by);
	detail_add(c, "to %s (%s, node %lld), to sign by %s", n.name, c->m.handler_level, (long long)node_id,
		   sign_by);
	node_release(&n);
	return 0;
}

static int apply_accept(struct ctx *c, struct fault *f)
{
	char due[32];

	c->m.state = "accepted";
	c->m.accepted_at = c->now;
	if (deadline_after(c, c->now, c->lim.reply_days, &c->m.deadline, &c->m.prov.deadline, f) < 0)
		return -1;
	wo_local_text(c->m.deadline, due);
	detail_add(c, "reply due at %s (%d working days)", due, c->lim.reply_days);
	return 0;
}

static int apply_refuse(struct ctx *c, struct fault *f)
{
	YL_UNUSED(f);
	c->m.state = "closed";
	c->m.closed_at = c->now;
	return 0;
}

/*
 * 直办: the intake desk answers itself.  Where it was settled is the desk's
 * level: the actor's scope node when it holds the place (a community's
 * staff), else the order's subdistrict.
 */
static int apply_answer(struct ctx *c, struct fault *f)
{
	int64_t desk = c->o->subdistrict_id;
	enum node_level level = LEVEL_SUBDISTRICT;
	struct node n;

	if (c->a && c->a->scope_node_id && org_node_get(c->s, c->a->scope_node_id, &n, f) == 0) {
		if (n.level == LEVEL_COMMUNITY || n.level == LEVEL_COURTYARD || n.level == LEVEL_SUBDISTRICT) {
			desk = n.id;
			level = n.level;
		}
		node_release(&n);
	}
	fault_clear(f);
	c->m.state = "answered";
	c->m.handler_node_id = desk;
	c->m.handler_level = node_level_name(level);
	c->m.settled_level = c->m.handler_level;
	c->m.replied_at = c->now;
	detail_add(c, "answered at the %s", c->m.handler_level);
	return 0;
}

static int apply_dispatch(struct ctx *c, struct fault *f)
{
	return send_to(c, c->act->node_id, 1, f);
}

/* The desk moves an order from one handling node to another (not a return: nothing is counted). */
static int check_reassign(struct ctx *c, struct fault *f)
{
	/* Asked without an action (wo_allowed_actions): any other node will do. */
	if (c->act && c->act->node_id && c->act->node_id == c->o->handler_node_id)
		return fault_set(f, FAULT_CONFLICT, "node_id", "the order is already with that node");
	return 0;
}

static int apply_reassign(struct ctx *c, struct fault *f)
{
	return send_to(c, c->act->node_id, 1, f);
}

static int apply_sign(struct ctx *c, struct fault *f)
{
	YL_UNUSED(f);
	c->m.state = "in_progress";
	c->m.signed_at = c->now;
	return 0;
}

static int apply_request_return(struct ctx *c, struct fault *f)
{
	YL_UNUSED(f);
	c->m.state = "return_requested";
	c->m.return_from = wo_state_name(c->from);
	return 0;
}

/* An approved return goes back to the desk, or straight to another node when one is named. */
static int apply_approve_return(struct ctx *c, struct fault *f)
{
	c->m.returns++;
	c->m.return_from = NULL;
	if (c->act->node_id)
		return send_to(c, c->act->node_id, 1, f);
	c->m.state = "accepted";
	c->m.handler_node_id = 0;
	c->m.handler_level = NULL;
	c->m.dispatched_at = 0;
	c->m.signed_at = 0;
	c->m.sign_deadline = 0;
	c->m.return_deadline = 0;
	c->m.prov.sign_deadline = 0;
	c->m.prov.return_deadline = 0;
	detail_add(c, "back to the desk for dispatch");
	return 0;
}

static int apply_refuse_return(struct ctx *c, struct fault *f)
{
	enum wo_state back = wo_state_parse(c->o->return_from);

	YL_UNUSED(f);
	c->m.state = wo_state_name(back == WO_IN_PROGRESS ? WO_IN_PROGRESS : WO_DISPATCHED);
	c->m.return_from = NULL;
	return 0;
}

static int apply_request_extension(struct ctx *c, struct fault *f)
{
	int left = c->lim.extension_max_days - c->o->extension_days_granted;

	if (c->act->days < 1 || c->act->days > left)
		return fault_set(f, FAULT_INVALID, "days",
				 "days must be from 1 to %d: extensions are %d working days at most in all, %d already granted",
				 left, c->lim.extension_max_days, c->o->extension_days_granted);
	c->m.extension_days_requested = c->act->days;
	detail_add(c, "%d working days asked", c->act->days);
	return 0;
}

static int apply_approve_extension(struct ctx *c, struct fault *f)
{
	int days = c->o->extension_days_requested;
	char before[32], after[32];

	if (deadline_after(c, c->o->deadline ? c->o->deadline : c->now, days, &c->m.deadline, &c->m.prov.deadline, f) < 0)
		return -1;
	c->m.extensions++;
	c->m.extension_days_granted += days;
	c->m.extension_days_requested = 0;
	c->m.card = "none";
	wo_local_text(c->o->deadline, before);
	wo_local_text(c->m.deadline, after);
	detail_add(c, "%d working days granted: due at %s instead of %s", days, after, before);
	return 0;
}

static int apply_refuse_extension(struct ctx *c, struct fault *f)
{
	YL_UNUSED(f);
	detail_add(c, "%d working days refused", c->o->extension_days_requested);
	c->m.extension_days_requested = 0;
	return 0;
}

static int apply_reply(struct ctx *c, struct fault *f)
{
	YL_UNUSED(f);
	c->m.state = "replied";
	c->m.replied_at = c->now;
	c->m.settled_level = c->m.handler_level;
	return 0;
}

static int apply_approve_review(struct ctx *c, struct fault *f)
{
	YL_UNUSED(f);
	c->m.state = "reviewed";
	return 0;
}

static int apply_reject_review(struct ctx *c, struct fault *f)
{
	YL_UNUSED(f);
	c->m.state = "in_progress";
	c->m.settled_level = NULL;
	return 0;
}

static const char *const satisfactions[] = { "satisfied", "basically_satisfied", "dissatisfied" };

static int apply_callback(struct ctx *c, struct fault *f)
{
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(satisfactions); i++)
		if (strcmp(c->act->satisfaction, satisfactions[i]) == 0)
			break;
	if (i == YL_ARRAY_LEN(satisfactions))
		return fault_set(f, FAULT_INVALID, "satisfaction",
				 "satisfaction must be satisfied, basically_satisfied or dissatisfied");
	c->m.satisfaction = satisfactions[i];
	c->m.resolved = c->act->set_resolved ? c->act->resolved : -1;
	if (i == 2) {
		c->m.state = "dissatisfied";
	} else {
		c->m.state = "closed";
		c->m.closed_at = c->now;
	}
	detail_add(c, "%s%s", satisfactions[i],
		   c->m.resolved == 1 ? ", resolved" : c->m.resolved == 0 ? ", not resolved" : "");
	return 0;
}

/* A new reply period: redo and reopen. */
static int restart(struct ctx *c, struct fault *f)
{
	char due[32];

	if (deadline_after(c, c->now, c->lim.reply_days, &c->m.deadline, &c->m.prov.deadline, f) < 0)
		return -1;
	c->m.card = "none";
	c->m.settled_level = NULL;
	wo_local_text(c->m.deadline, due);
	detail_add(c, "reply due at %s", due);
	return 0;
}

static int apply_redo(struct ctx *c, struct fault *f)
{
	c->m.state = "in_progress";
	c->m.redos++;
	return restart(c, f);
}

static int apply_close(struct ctx *c, struct fault *f)
{
	YL_UNUSED(f);
	c->m.state = "closed";
	c->m.closed_at = c->now;
	return 0;
}

/* Back to its handler; an order refused at intake (never handled) goes back to the desk. */
static int apply_reopen(struct ctx *c, struct fault *f)
{
	c->m.state = c->o->handler_node_id ? "in_progress" : "accepted";
	c->m.reopens++;
	c->m.closed_at = 0;
	c->m.satisfaction = NULL;
	c->m.resolved = -1;
	if (!c->m.accepted_at)
		c->m.accepted_at = c->now;
	return restart(c, f);
}

static int apply_supervise(struct ctx *c, struct fault *f)
{
	YL_UNUSED(f);
	c->m.supervisions++;
	return 0;
}

static int apply_yellow_card(struct ctx *c, struct fault *f)
{
	char due[32];

	YL_UNUSED(f);
	c->m.card = "yellow";
	wo_local_text(c->o->deadline, due);
	detail_add(c, "reply due at %s", due);
	return 0;
}

static int apply_red_card(struct ctx *c, struct fault *f)
{
	char due[32];

	YL_UNUSED(f);
	c->m.card = "red";
	wo_local_text(c->o->deadline, due);
	detail_add(c, "overdue: the reply was due at %s", due);
	return 0;
}

/*
 * One level up: courtyard -> community -> subdistrict; the new handler signs
 * again.  An overdue order gives the new handler a reply period of its own
 * (reply_days from now) and its card starts again (the red card stays in the
 * history): else it would arrive overdue and climb again at once.  Before the
 * deadline the deadline stays: passing an order up does not restart the
 * caller's time limit.
 */
static int apply_escalate(struct ctx *c, struct fault *f)
{
	struct node h;
	int64_t parent;
	char due[32];

	if (org_node_get(c->s, c->o->handler_node_id, &h, f) < 0)
		return -1;
	parent = h.parent_id;
	node_release(&h);
	if (!parent)
		return fault_set(f, FAULT_CONFLICT, "action", "the handling node has no level above it");
	c->m.escalations++;
	if (c->o->deadline && c->now > c->o->deadline) {
		if (deadline_after(c, c->now, c->lim.reply_days, &c->m.deadline, &c->m.prov.deadline, f) < 0)
			return -1;
		c->m.card = "none";
	}
	if (send_to(c, parent, 0, f) < 0)
		return -1;
	if (c->m.deadline != c->o->deadline) {
		wo_local_text(c->m.deadline, due);
		detail_add(c, "overdue: a new reply period, due at %s (%d working days)", due, c->lim.reply_days);
	}
	return 0;
}

#define B(s) WO_BIT(WO_##s)

/* THE transition table. */
static const struct rule rules[] = {
	{ "accept", B(RECEIVED), P_DISPATCH, WO_SCOPE_PLACE, 0, 0, "accepted", NULL, apply_accept },
	{ "refuse", B(RECEIVED), P_DISPATCH, WO_SCOPE_PLACE, NEED_OPINION, 0, "closed", NULL, apply_refuse },
	{ "answer", B(ACCEPTED), P_DISPATCH, WO_SCOPE_PLACE, NEED_OPINION, 0, "answered", NULL, apply_answer },
	{ "dispatch", B(ACCEPTED), P_DISPATCH, WO_SCOPE_PLACE, NEED_NODE, TAKES_NODE, "dispatched", NULL,
	  apply_dispatch },
	{ "reassign", B(DISPATCHED) | B(IN_PROGRESS), P_DISPATCH, WO_SCOPE_PLACE, NEED_NODE | NEED_OPINION, TAKES_NODE,
	  "dispatched", check_reassign, apply_reassign },
	{ "sign", B(DISPATCHED), P_HANDLE, WO_SCOPE_HANDLER, 0, 0, "in_progress", NULL, apply_sign },
	{ "request_return", B(DISPATCHED) | B(IN_PROGRESS), P_HANDLE, WO_SCOPE_HANDLER, NEED_OPINION, 0,
	  "return_requested", check_return_window, apply_request_return },
	{ "approve_return", B(RETURN_REQUESTED), P_DISPATCH, WO_SCOPE_PLACE, 0, TAKES_NODE, "accepted", NULL,
	  apply_approve_return },
	{ "refuse_return", B(RETURN_REQUESTED), P_DISPATCH, WO_SCOPE_PLACE, NEED_OPINION, 0, NULL, NULL,
	  apply_refuse_return },
	{ "request_extension", B(IN_PROGRESS), P_HANDLE, WO_SCOPE_HANDLER, NEED_OPINION | NEED_DAYS, TAKES_DAYS, NULL,
	  check_extension_request, apply_request_extension },
	{ "approve_extension", B(IN_PROGRESS), P_DISPATCH, WO_SCOPE_PLACE, 0, 0, NULL, check_extension_waiting,
	  apply_approve_extension },
	{ "refuse_extension", B(IN_PROGRESS), P_DISPATCH, WO_SCOPE_PLACE, NEED_OPINION, 0, NULL,
	  check_extension_waiting, apply_refuse_extension },
	{ "reply", B(IN_PROGRESS), P_HANDLE, WO_SCOPE_HANDLER, NEED_OPINION, 0, "replied", NULL, apply_reply },
	{ "approve_review", B(REPLIED), P_REVIEW, WO_SCOPE_PLACE, 0, 0, "reviewed", NULL, apply_approve_review },
	{ "reject_review", B(REPLIED), P_REVIEW, WO_SCOPE_PLACE, NEED_OPINION, 0, "in_progress", NULL,
	  apply_reject_review },
	{ "callback", B(ANSWERED) | B(REVIEWED), P_REVIEW, WO_SCOPE_PLACE, NEED_SATISFACTION, TAKES_CALLBACK, "closed",
	  NULL, apply_callback },
	{ "redo", B(DISSATISFIED), P_REVIEW, WO_SCOPE_PLACE, NEED_OPINION, 0, "in_progress", NULL, apply_redo },
	{ "close", B(DISSATISFIED), P_REVIEW, WO_SCOPE_PLACE, NEED_OPINION, 0, "closed", NULL, apply_close },
	{ "reopen", B(CLOSED), P_REVIEW, WO_SCOPE_PLACE, NEED_OPINION, 0, "in_progress", check_reopen_window,
	  apply_reopen },
	{ "supervise", B(DISPATCHED) | B(RETURN_REQUESTED) | B(IN_PROGRESS) | B(DISSATISFIED), P_DISPATCH,
	  WO_SCOPE_PLACE, NEED_OPINION, 0, NULL, check_supervise, apply_supervise },
	{ "escalate", B(DISPATCHED) | B(IN_PROGRESS), P_HANDLE, WO_SCOPE_HANDLER, NEED_OPINION, 0, "dispatched",
	  check_escalate, apply_escalate },
	/* The system's own (the sweeper): a card keeps the state and marks the deadline. */
	{ "yellow_card", B(DISPATCHED) | B(RETURN_REQUESTED) | B(IN_PROGRESS), P_SYSTEM, WO_SCOPE_HANDLER, NEED_SYSTEM,
	  0, NULL, check_yellow_card, apply_yellow_card },
	{ "red_card", B(DISPATCHED) | B(RETURN_REQUESTED) | B(IN_PROGRESS), P_SYSTEM, WO_SCOPE_HANDLER, NEED_SYSTEM, 0,
	  NULL, check_red_card, apply_red_card },
};

#undef B

#define NRULES YL_ARRAY_LEN(rules)

size_t wo_rule_count(void)
{
	return NRULES;
}

void wo_rule_get(size_t i, struct wo_rule_view *out)
{
	memset(out, 0, sizeof(*out));
	if (i >= NRULES)
		return;
	out->action = rules[i].action;
	out->from = rules[i].from;
	out->permission = rules[i].permission;
	out->scope = rules[i].scope;
	out->to = rules[i].to;
}

static const struct rule *rule_for(const char *action)
{
	size_t i;

	for (i = 0; action && i < NRULES; i++)
		if (strcmp(rules[i].action, action) == 0)
			return &rules[i];
	return NULL;
}

/* "dispatched or in_progress", "dispatched, return_requested, in_progress or dissatisfied" */
static void states_text(unsigned bits, char *out, size_t outlen)
{
	int i, n = 0, total = 0;
	size_t len = 0;

	for (i = 0; i < WO_NSTATES; i++)
		total += (bits & WO_BIT(i)) != 0;
	out[0] = '\0';
	for (i = 0; i < WO_NSTATES && len < outlen; i++) {
		if (!(bits & WO_BIT(i)))
			continue;
		n++;
		len += (size_t)snprintf(out + len, outlen - len, "%s%s", n == 1 ? "" : n == total ? " or " : ", ",
					wo_state_name((enum wo_state)i));
	}
}

static const char *permission_word(const char *perm)
{
	if (strcmp(perm, P_DISPATCH) == 0)
		return "the intake desk";
	if (strcmp(perm, P_HANDLE) == 0)
		return "the handling node";
	return "the reviewers";
}

/* Step 1: the fields of the action, without the store. */
static int check_fields(const struct rule *r, const struct wo_action *act, struct fault *f)
{
	if (check_text("opinion", act->opinion, OPINION_CHARS, (r->needs & NEED_OPINION) ? TEXT_REQUIRED : TEXT_OPTIONAL, f) < 0) {
		if (!act->opinion)
			fault_set(f, FAULT_INVALID, "opinion", "%s needs an opinion: say why or what was done", r->action);
		return -1;
	}
	if ((r->needs & NEED_NODE) && act->node_id <= 0)
		return fault_set(f, FAULT_INVALID, "node_id", "%s needs node_id: the node to send the order to", r->action);
	if (act->node_id && !(r->takes & TAKES_NODE))
		return fault_set(f, FAULT_INVALID, "node_id", "%s takes no node_id", r->action);
	if (act->node_id < 0)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id must be a node id");
	if ((r->needs & NEED_DAYS) && act->days == 0)
		return fault_set(f, FAULT_INVALID, "days", "%s needs days: the working days asked", r->action);
	if (act->days && !(r->takes & TAKES_DAYS))
		return fault_set(f, FAULT_INVALID, "days", "%s takes no days", r->action);
	if ((r->needs & NEED_SATISFACTION) && !act->satisfaction)
		return fault_set(f, FAULT_INVALID, "satisfaction",
				 "%s needs satisfaction: satisfied, basically_satisfied or dissatisfied", r->action);
	if (act->satisfaction && !(r->takes & TAKES_CALLBACK))
		return fault_set(f, FAULT_INVALID, "satisfaction", "%s takes no satisfaction", r->action);
	if (act->set_resolved && !(r->takes & TAKES_CALLBACK))
		return fault_set(f, FAULT_INVALID, "resolved", "%s takes no resolved", r->action);
	if (act->set_resolved && act->resolved != 0 && act->resolved != 1)
		return fault_set(f, FAULT_INVALID, "resolved", "resolved must be true or false");
	if (act->nphotos && !act->photo_ids)
		return fault_set(f, FAULT_INVALID, "photo_ids", "photo_ids is missing");
	return 0;
}

/* Steps 3 to 6: may the actor take this action on this order now? */
static int may(struct ctx *c, const struct rule *r, struct fault *f)
{
	char states[160], now_state[40];
	int64_t node;
	int in;

	if ((r->needs & NEED_SYSTEM) && c->a)
		return fault_set(f, FAULT_FORBIDDEN, "action", "%s is the system's own action: no user may take it",
				 r->action);
	if (!(c->flags & RUN_SYSTEM) && !wo_can(c->a, r->permission))
		return fault_set(f, FAULT_FORBIDDEN, "action", "your role may not %s work orders (%s)", r->action,
				 r->permission);
	if (!(r->from & WO_BIT(c->from))) {
		states_text(r->from, states, sizeof(states));
		snprintf(now_state, sizeof(now_state), "%s", wo_state_name(c->from));
		return fault_set(f, FAULT_CONFLICT, "action",
				 "cannot %s this order: it is %s, and %s is allowed only when it is %s", r->action,
				 now_state, r->action, states);
	}
	if (!(c->flags & RUN_SYSTEM)) {
		node = r->scope == WO_SCOPE_HANDLER ? c->o->handler_node_id : c->o->node_id;
		in = wo_in_scope(c->s, c->a, node);
		if (in < 0)
			return store_fault(c->s, STORE_ERROR, f);
		if (!in)
			return fault_set(f, FAULT_FORBIDDEN, "action",
					 "only %s over this order may %s it, and its %s is outside your scope",
					 permission_word(r->permission), r->action,
					 r->scope == WO_SCOPE_HANDLER ? "handling node" : "place");
	}
	return r->check ? r->check(c, f) : 0;
}

static void mut_from(struct mut *m, const struct wo_order *o)
{
	memset(m, 0, sizeof(*m));
	m->state = o->state;
	m->return_from = o->return_from;
	m->handler_node_id = o->handler_node_id;
	m->handler_level = o->handler_level;
	m->settled_level = o->settled_level;
	m->accepted_at = o->accepted_at;
	m->dispatched_at = o->dispatched_at;
	m->signed_at = o->signed_at;
	m->replied_at = o->replied_at;
	m->closed_at = o->closed_at;
	m->sign_deadline = o->sign_deadline;
	m->return_deadline = o->return_deadline;
	m->deadline = o->deadline;
	m->prov = o->provisional;
	m->card = o->card ? o->card : "none";
	m->returns = o->returns;
	m->extensions = o->extensions;
	m->redos = o->redos;
	m->supervisions = o->supervisions;
	m->escalations = o->escalations;
	m->reopens = o->reopens;
	m->extension_days_requested = o->extension_days_requested;
	m->extension_days_granted = o->extension_days_granted;
	m->satisfaction = o->satisfaction;
	m->resolved = o->resolved;
}

static const char SQL_ORDER_UPDATE[] =
	"UPDATE work_orders SET state = ?, return_from = ?, handler_node_id = ?, settled_level = ?, accepted_at = ?,"
	" dispatched_at = ?, signed_at = ?, replied_at = ?, closed_at = ?, sign_deadline = ?, return_deadline = ?,"
	" deadline = ?, card = ?, returns = ?, extensions = ?, redos = ?, supervisions = ?, escalations = ?, reopens = ?,"
	" extension_days_requested = ?, extension_days_granted = ?, satisfaction = ?, resolved = ?, updated_at = ?"
	" WHERE id = ? AND state = ?";

static int write_row(struct ctx *c, struct fault *f)
{
	struct store_stmt *st = store_prepare(c->s, SQL_ORDER_UPDATE);
	const struct mut *m = &c->m;
	char now[32];
	int rc;

	time_now_text(now);
	store_bind_text(st, 1, m->state);
	store_bind_text(st, 2, m->return_from);
	store_bind_id(st, 3, m->handler_node_id);
	store_bind_text(st, 4, m->settled_level);
	store_bind_id(st, 5, m->accepted_at);
	store_bind_id(st, 6, m->dispatched_at);
	store_bind_id(st, 7, m->signed_at);
	store_bind_id(st, 8, m->replied_at);
	store_bind_id(st, 9, m->closed_at);
	store_bind_id(st, 10, m->sign_deadline);
	store_bind_id(st, 11, m->return_deadline);
	store_bind_id(st, 12, m->deadline);
	store_bind_text(st, 13, m->card);
	store_bind_int64(st, 14, m->returns);
	store_bind_int64(st, 15, m->extensions);
	store_bind_int64(st, 16, m->redos);
	store_bind_int64(st, 17, m->supervisions);
	store_bind_int64(st, 18, m->escalations);
	store_bind_int64(st, 19, m->reopens);
	store_bind_int64(st, 20, m->extension_days_requested);
	store_bind_int64(st, 21, m->extension_days_granted);
	store_bind_text(st, 22, m->satisfaction);
	if (m->resolved < 0)
		store_bind_null(st, 23);
	else
		store_bind_int64(st, 23, m->resolved);
	store_bind_text(st, 24, now);
	store_bind_int64(st, 25, c->o->id);
	store_bind_text(st, 26, c->o->state);
	if ((rc = store_step_done(st)) != STORE_OK)
		return store_fault(c->s, rc, f);
	if (store_changes(c->s) != 1)
		return fault_set(f, FAULT_CONFLICT, "action", "the order changed meanwhile: reload it and try again");
	return wo_provisional_save(c->s, c->o->id, &c->o->provisional, &m->prov, f);
}

static int load_limits(struct ctx *c, struct fault *f)
{
	return wo_limits_for(c->s, c->o->type, c->o->urgency, &c->lim, f);
}

/* The action's time: now, or the time given (not before the order's last event, never in the future). */
static int action_time(struct store *s, const struct wo_action *act, int64_t id, int64_t *at, struct fault *f)
{
	int64_t now = wo_now(), last;

	*at = now;
	if (!act->at)
		return 0;
	if (act->at > now + FUTURE_SLACK)
		return fault_set(f, FAULT_INVALID, "at", "an action cannot be dated in the future");
	if (wo_last_event_at(s, id, &last, f) < 0)
		return -1;
	if (act->at < last)
		return fault_set(f, FAULT_INVALID, "at", "an action cannot be dated before the order's last event");
	*at = act->at;
	return 0;
}

/* "'x' is not an action: use accept, refuse ... or escalate": the actions a person may take, from rules[]. */
static int unknown_action(const char *name, struct fault *f)
{
	struct buf b = BUF_INIT;
	size_t i, n = 0, last = 0;

	for (i = 0; i < NRULES; i++)
		if (!(rules[i].needs & NEED_SYSTEM))
			last = i;
	buf_init(&b);
	for (i = 0; i < NRULES; i++) {
		if (rules[i].needs & NEED_SYSTEM)
			continue;
		buf_addf(&b, "%s%s", n++ ? (i == last ? " or " : ", ") : "", rules[i].action);
	}
	fault_set(f, FAULT_INVALID, "action", "'%s' is not an action: use %s", name, b.data);
	buf_release(&b);
	return -1;
}

static int run(struct store *s, const struct actor *a, int64_t id, const struct wo_action *act, unsigned flags,
	       struct fault *f)
{
	const struct rule *r = act ? rule_for(act->action) : NULL;
	struct wo_event_input ev;
	struct wo_order o = { 0 };
	struct ctx c;
	struct stat_row was;
	int rc, vis, opinion_blank;

	if (!r)
		return unknown_action(act && act->action ? act->action : "", f);
	if (check_fields(r, act, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	memset(&c, 0, sizeof(c));
	if (wo_get(s, id, &o, f) < 0)
		goto fail;
	if (!(flags & RUN_SYSTEM)) {
		vis = wo_visible(s, a, &o);
		if (vis < 0) {
			store_fault(s, STORE_ERROR, f);
			goto fail;
		}
		if (!vis) {
			fault_set(f, FAULT_NOT_FOUND, "id", "work order %lld does not exist", (long long)id);
			goto fail;
		}
	}
	c.s = s;
	c.a = a;
	c.act = act;
	c.o = &o;
	c.flags = flags;
	c.from = wo_state_parse(o.state);
	if (c.from == WO_STATE_NONE) {
		fault_set(f, FAULT_INTERNAL, "state", "work order %lld is in an unknown state '%s'", (long long)id, o.state);
		goto fail;
	}
	if (action_time(s, act, id, &c.now, f) < 0 || load_limits(&c, f) < 0 || may(&c, r, f) < 0 ||
	    wo_photos_check(s, a, id, act->photo_ids, act->nphotos, f) < 0)
		goto fail;
	mut_from(&c.m, &o);
	if (r->apply(&c, f) < 0)
		goto fail;
	/* An extension request lapses when the order leaves the hands that asked. */
	if (strcmp(c.m.state, "in_progress") != 0)
		c.m.extension_days_requested = 0;
	if (write_row(&c, f) < 0)
		goto fail;
	opinion_blank = !act->opinion || text_blank(act->opinion);
	memset(&ev, 0, sizeof(ev));
	ev.order_id = id;
	ev.subdistrict_id = o.subdistrict_id;
	ev.at = c.now;
	ev.actor = a;
	ev.action = r->action;
	ev.from_state = o.state;
	ev.to_state = c.m.state;
	ev.node_id = c.m.handler_node_id;
	ev.opinion = opinion_blank ? NULL : act->opinion;
	ev.detail = c.detail[0] ? c.detail : NULL;
	ev.photo_ids = act->photo_ids;
	ev.nphotos = act->nphotos;
	if (wo_event_add(s, &ev, NULL, f) < 0)
		goto fail;
	/* The figures' rollups change in the same transaction as the order (stats.h). */
	wo_stat_row(&o, &was);
	if (stats_on_write(s, &was, id, f) < 0)
		goto fail;
	wo_order_release(&o);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	wo_order_release(&o);
	return -1;
}

int wo_transition(struct store *s, const struct actor *a, int64_t id, const struct wo_action *act, struct fault *f)
{
	return run(s, a, id, act, 0, f);
}

int wo_dispatch_at_intake(struct store *s, const struct actor *a, int64_t id, int64_t node, int64_t at,
			  struct fault *f)
{
	struct wo_action act;

	memset(&act, 0, sizeof(act));
	act.action = "dispatch";
	act.node_id = node;
	act.at = at;
	return run(s, a, id, &act, RUN_SYSTEM, f);
}

size_t wo_allowed_actions(struct store *s, const struct actor *a, const struct wo_order *o, const char **out,
			  size_t max)
{
	struct fault f = { 0 };
	struct ctx c;
	size_t i, n = 0;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.a = a;
	c.o = o;
	c.now = wo_now();
	c.from = wo_state_parse(o->state);
	if (c.from == WO_STATE_NONE || load_limits(&c, &f) < 0)
		return 0;
	for (i = 0; i < NRULES && n < max; i++) {
		if (may(&c, &rules[i], &f) == 0)
			out[n++] = rules[i].action;
		fault_clear(&f);
	}
	return n;
}

int wo_resident_callback(struct store *s, int64_t id, const char *satisfaction, struct fault *f)
{
	struct wo_action act;

	memset(&act, 0, sizeof(act));
	act.action = "callback";
	act.satisfaction = satisfaction;
	act.opinion = "居民在查询页评价";	/* the callback without a phone call: the resident's own rating */
	return run(s, NULL, id, &act, RUN_SYSTEM, f);
}
