/*
 * list.c - finding work orders: the filtered, sorted, keyset-paged list of
 * what an actor may see (wo_list), and "my tasks" (wo_tasks).  The contract is
 * in workorder.h; the indexes these queries walk are in 007_search.sql.
 *
 * How a page is read, so that it costs about its own rows at ten million
 * orders, never a count or a sort of a whole subtree:
 *
 *  1. Visibility is the rule of wo_visible() as SQL: the place or the handler
 *     inside the actor's scope; without workorder.read_all, what the actor
 *     filed.  A subtree (the scope, or under=) is one equality on the
 *     denormalised column of its level: subdistrict_id, community_id or
 *     courtyard_id; below a courtyard, the courtyard's and node_id IN the
 *     closure.  An index (key, received_at) or (key, state, received_at) walks
 *     it newest first and stops at the page's end.
 *  2. An OR would break that walk (SQLite reads both sides whole and sorts), so
 *     every OR is a branch of its own: "or the handler" is a second branch over
 *     the orders whose handler is in scope but whose place is not (sent to
 *     another courtyard: a small partial index), and each state asked for is a
 *     branch on (key, state, received_at).  Each branch reads its own first
 *     page; the page is the first rows of them all (UNION, ORDER BY, LIMIT).
 *  3. The other filters are conditions on the rows a walk reaches.  A search
 *     (q, search.c) is instead where the page starts: a number's few orders,
 *     or the FTS index, whose matches come newest first, narrowed to the
 *     scope inside the index; the scope and the states are then conditions.
 *  4. Keyset: the page starts after (sort key, id) of the last row of the page
 *     before, carried by an opaque token (base64url of "t:received_at:id",
 *     "d:deadline:id", or "n:0:id" for the orders without a deadline, which come
 *     after all others: a second query, ordered by id, so that both halves are
 *     index order).  One more row than the page is read to know whether there
 *     is a next page; nothing is counted.
 *  5. The page's ids are read first, then each order in full (wo_get).
 *
 * The SQL text depends on the filters given, not on their values or the page
 * size (all bound): the store caches prepared statements by their text.
 *
 * The deadline sort sorts what its walk reaches (the deadline is in no index):
 * cheap for the open states it is meant for, a sort of the subtree's history
 * when asked of every state.
 */
#include "workorder/wo_internal.h"
#include "workorder/query.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500
#define TASKS_DEFAULT 50
#define TASKS_MAX 200

/* The reply deadline runs from acceptance to the reply: an order in these states can be overdue (OPEN_BITS). */
#define OPEN_STATES "'accepted','dispatched','return_requested','in_progress'"
#define OPEN_BITS (WO_BIT(WO_ACCEPTED) | WO_BIT(WO_DISPATCHED) | WO_BIT(WO_RETURN_REQUESTED) | WO_BIT(WO_IN_PROGRESS))

void wo_list_release(struct wo_list *l)
{
	YL_LIST_RELEASE(l, wo_order_release);
}

/* Subtrees. */

enum side {
	SIDE_PLACE,		/* the order's place (node_id) inside the subtree */
	SIDE_HANDLER,		/* its handler inside */
	SIDE_CROSS,		/* its handler inside, its place not: the second branch of visibility */
};

#define IN_CLOSURE "IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)"

/*
 * By the subtree root's level: the column an index walks (007_search.sql).  A NULL
 * CROSS: a handler inside never has its place outside (one subdistrict holds both).
 */
enum { KIND_SUBDISTRICT, KIND_COMMUNITY, KIND_COURTYARD, KIND_BELOW, KIND_NONE };

static const char *const SUBTREE_SQL[3][3] = {
	{ "w.subdistrict_id = ?", "w.subdistrict_id = ? AND w.handler_node_id IS NOT NULL", NULL },
	{ "w.community_id = ?", "w.handler_community_id = ?",
	  "w.handler_community_id = ? AND w.handler_community_id IS DISTINCT FROM w.community_id" },
	{ "w.courtyard_id = ?", "w.handler_courtyard_id = ?",
	  "w.handler_courtyard_id = ? AND w.handler_courtyard_id IS DISTINCT FROM w.courtyard_id" },
};

/*
 * Below a courtyard (a building, a unit, a household): few orders, found by the
 * closure, inside the courtyard's own index walk, so that a page never walks
 * more than the courtyard's orders.  Handlers are never below a courtyard.
 */
static const char SQL_BELOW_PLACE[] = "w.courtyard_id = ? AND w.node_id " IN_CLOSURE;
static const char SQL_BELOW_HANDLER[] = "w.handler_node_id " IN_CLOSURE;

struct subtree {
	int kind;
	int64_t node;
	int64_t courtyard;		/* KIND_BELOW: the courtyard above node */
};

/* The courtyard from the node's few closure rows (not from every courtyard: see 007_search.sql). */
static const char SQL_NODE_KIND[] =
	"SELECT n.level, (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = n.id"
	"                 AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'courtyard')"
	" FROM nodes n WHERE n.id = ?";

static int subtree_of(struct store *s, int64_t node, struct subtree *out, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	out->kind = KIND_NONE;
	out->node = node;
	out->courtyard = 0;
	st = store_query(s, SQL_NODE_KIND, "i", (int64_t)node);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		switch (node_level_parse(store_column_text(st, 0))) {
		case LEVEL_SUBDISTRICT:
			out->kind = KIND_SUBDISTRICT;
			break;
		case LEVEL_COMMUNITY:
			out->kind = KIND_COMMUNITY;
			break;
		case LEVEL_COURTYARD:
			out->kind = KIND_COURTYARD;
			break;
		default:
			out->courtyard = store_column_int64(st, 1);
			/* A building hangs under a courtyard (org.h); without one, as if no node. */
			out->kind = out->courtyard ? KIND_BELOW : KIND_NONE;
			break;
		}
	}
	store_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

/* Appends the condition (without " AND "); 0 when the side has none at that level. */
static int subtree_cond(struct wo_sql *q, const struct subtree *t, enum side side)
{
	if (t->kind == KIND_NONE) {
		/* No such node: nothing is inside it (and nothing is read to find that out). */
		wo_sql_add(q, "1 = 0");
		return 1;
	}
	if (t->kind == KIND_BELOW) {
		if (side == SIDE_PLACE) {
			wo_sql_add(q, SQL_BELOW_PLACE);
			wo_sql_int(q, t->courtyard);
		} else {
			wo_sql_add(q, SQL_BELOW_HANDLER);
		}
		wo_sql_int(q, t->node);
		return 1;
	}
	if (!SUBTREE_SQL[t->kind][side])
		return 0;
	wo_sql_add(q, SUBTREE_SQL[t->kind][side]);
	wo_sql_int(q, t->node);
	return 1;
}

/* The query of a page: branches (the scope's alternatives) and the filters they share. */
struct plan {
	struct wo_sql alt[2];
	int nalt;			/* 0: no scope condition */
	unsigned states;		/* WO_BIT()s of the states asked for; 0: any */
	int64_t since, before;		/* received_at from= and to= (both included); 0: none */
	struct wo_sql where;		/* " AND ..." */
	int searching;			/* 1: search below holds a query */
	int driven;			/* 1: the search is where a page starts (driven_page_sql) */
	struct wo_search search;
};

static void plan_init(struct plan *p)
{
	wo_sql_init(&p->alt[0]);
	wo_sql_init(&p->alt[1]);
	p->nalt = 0;
	p->states = 0;
	p->since = p->before = 0;
	wo_sql_init(&p->where);
	p->searching = p->driven = 0;
	memset(&p->search, 0, sizeof(p->search));
	wo_sql_init(&p->search.rest);
	wo_sql_init(&p->search.all);
}

static void plan_release(struct plan *p)
{
	wo_sql_release(&p->alt[0]);
	wo_sql_release(&p->alt[1]);
	wo_sql_release(&p->where);
	wo_search_release(&p->search);
}

/* The search's own narrowing to a subtree (search.c): at the subtree's level, or its courtyard's. */
static void search_within(struct plan *p, const struct subtree *t, int place_only)
{
	if (!p->searching || t->kind == KIND_NONE)
		return;
	if (t->kind == KIND_BELOW)
		wo_search_within(&p->search, t->courtyard, 1);
	else
		wo_search_within(&p->search, t->node, place_only);
}

/* Visibility, and under= (the place): the branches of the plan, and the search's narrowing. */
static int plan_scope(struct store *s, const struct actor *a, int64_t under, struct plan *p, struct fault *f)
{
	struct subtree t;
	int within;

	if (a && !actor_can(a, "workorder.read_all")) {
		/* Mobile grid members: what they filed, wherever it is; a token files as nobody. */
		wo_sql_add(&p->alt[0], "w.created_by = ?");
		wo_sql_int(&p->alt[0], a->user_id ? a->user_id : -1);
		p->nalt = 1;
	} else if (a && a->scope_node_id) {
		within = under ? org_is_within(s, a->scope_node_id, under) : 0;
		if (within < 0)
			return store_fault(s, STORE_ERROR, f);
		if (!within) {
			if (subtree_of(s, a->scope_node_id, &t, f) < 0)
				return -1;
			subtree_cond(&p->alt[0], &t, SIDE_PLACE);
			p->nalt = 1 + subtree_cond(&p->alt[1], &t, SIDE_CROSS);
			search_within(p, &t, 0);
		}
		/* else: the place inside under, inside the scope: under alone decides. */
	}
	if (!under)
		return 0;
	if (subtree_of(s, under, &t, f) < 0)
		return -1;
	search_within(p, &t, 1);
	if (p->nalt == 0) {
		subtree_cond(&p->alt[0], &t, SIDE_PLACE);
		p->nalt = 1;
	} else {
		wo_sql_add(&p->where, " AND ");
		subtree_cond(&p->where, &t, SIDE_PLACE);
	}
	return 0;
}

/* Filters. */

/* "dispatched,in_progress" to its WO_BIT()s; FAULT_INVALID naming state. */
static int parse_states(const char *list, unsigned *bits, struct fault *f)
{
	const char *p = list;
	char word[32];

	*bits = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		enum wo_state st;

		snprintf(word, sizeof(word), "%.*s", (int)(len < sizeof(word) ? len : 0), p);
		if ((st = wo_state_parse(word)) == WO_STATE_NONE)
			return fault_set(f, FAULT_INVALID, "state",
					 "state must be one or more of received, accepted, answered, dispatched,"
					 " return_requested, in_progress, replied, reviewed, dissatisfied, closed"
					 " (separated by commas)");
		*bits |= WO_BIT(st);
		p += len;
		if (!*p)
			return 0;
		p++;
	}
}

/* A local date to the instant its day starts; end: the day after (to is included). */
static int date_bound(const char *field, const char *date, int end, int64_t *out, struct fault *f)
{
	int32_t day;

	if (calendar_day_parse(date, &day) < 0)
		return fault_set(f, FAULT_INVALID, field, "%s must be a date such as 2025-09-01", field);
	*out = calendar_day_start(day + (end ? 1 : 0));
	return 0;
}

static const char SQL_CATEGORY_BELOW[] =
	" AND w.category_id IN (WITH RECURSIVE below(id) AS (SELECT CAST(? AS INTEGER) UNION"
	" SELECT c.id FROM wo_categories c JOIN below ON c.parent_id = below.id) SELECT id FROM below)";

static void where_eq(struct wo_sql *q, const char *sql, const char *v)
{
	wo_sql_add(q, sql);
	wo_sql_text(q, v);
}

/*
 * Each state asked for is a branch of the page query (page_sql), not an IN
 * list: an IN of states on (key, state, received_at) reads every row of those
 * states and sorts them, and a walk of (key, received_at) reads past every row
 * of the other states; a branch per state reads its own first rows in index order.
 */
static int plan_filters(struct store *s, const struct wo_filter *flt, int64_t now, struct plan *p, struct fault *f)
{
	struct wo_sql *q = &p->where;
	int64_t from = 0, to = 0;

	if (flt->state && parse_states(flt->state, &p->states, f) < 0)
		return -1;
	if (flt->source) {
		if (!wo_word_in(WO_SOURCES, flt->source))
			return fault_set(f, FAULT_INVALID, "source",
					 "source must be resident, grid, mobile_grid, phone, walk_in or hotline");
		where_eq(q, " AND w.source = ?", flt->source);
	}
	if (flt->type) {
		if (!wo_word_in(WO_TYPES, flt->type))
			return fault_set(f, FAULT_INVALID, "type",
					 "type must be consultation, help, complaint, report or suggestion");
		where_eq(q, " AND w.type = ?", flt->type);
	}
	if (flt->urgency) {
		if (!wo_word_in(WO_URGENCIES, flt->urgency))
			return fault_set(f, FAULT_INVALID, "urgency", "urgency must be normal or urgent");
		where_eq(q, " AND w.urgency = ?", flt->urgency);
	}
	if (flt->category_id) {
		wo_sql_add(q, SQL_CATEGORY_BELOW);
		wo_sql_int(q, flt->category_id);
	}
	if (flt->created_by) {
		wo_sql_add(q, " AND w.created_by = ?");
		wo_sql_int(q, flt->created_by);
	}
	if (flt->handler_node_id) {
		wo_sql_add(q, " AND w.handler_node_id = ?");
		wo_sql_int(q, flt->handler_node_id);
	}
	/* Bounds on received_at go with the keyset (page_sql): one upper bound, or the planner may mis-weigh. */
	if (flt->from && date_bound("from", flt->from, 0, &from, f) < 0)
		return -1;
	if (flt->to) {
		if (date_bound("to", flt->to, 1, &to, f) < 0)
			return -1;
		if (flt->from && to <= from)
			return fault_set(f, FAULT_INVALID, "to", "to must not be before from");
		p->before = to - 1;
	}
	p->since = from;
	if (flt->overdue) {
		/* Open, and overdue from the second after the deadline (calendar.h, the red card). */
		p->states = p->states ? p->states & OPEN_BITS : OPEN_BITS;
		if (!p->states)
			wo_sql_add(q, " AND 1 = 0");
		wo_sql_add(q, " AND w.deadline < ?");
		wo_sql_int(q, now);
	}
	if (flt->card) {
		if (!strcmp(flt->card, "any"))
			wo_sql_add(q, " AND w.card IN ('yellow', 'red')");
		else if (!strcmp(flt->card, "yellow") || !strcmp(flt->card, "red"))
			where_eq(q, " AND w.card = ?", flt->card);
		else
			return fault_set(f, FAULT_INVALID, "card", "card must be yellow, red or any");
	}
	if (flt->q) {
		if (wo_search_parse(flt->q, store_backend(s), &p->search, f) < 0)
			return -1;
		p->searching = 1;
	}
	return 0;
}

/* Keyset cursors. */

enum phase {
	PHASE_TIME,		/* received_at DESC, id DESC */
	PHASE_DEADLINE,		/* deadline, id: the orders with a deadline */
	PHASE_NONE,		/* id: then the orders without one */
};

static const char PHASE_LETTER[] = { 't', 'd', 'n' };
static const char *const PHASE_WHERE[] = { "", " AND w.deadline IS NOT NULL", " AND w.deadline IS NULL" };
static const char *const PHASE_KEY[] = { "w.received_at", "w.deadline", "0" };
static const char *const PHASE_ORDER[] = { "w.received_at DESC, w.id DESC", "w.deadline, w.id", "w.id" };
static const char *const PHASE_ORDER_K[] = { "k DESC, id DESC", "k, id", "id" };
/* After (key, id), besides the bound on the key (keyset_sql): ? are key, id (or id alone). */
static const char *const PHASE_AFTER[] = {
	" AND (w.received_at < ? OR w.id < ?)",
	" AND (w.deadline > ? OR w.id > ?)",
	" AND w.id > ?",
};

struct cursor {
	enum phase phase;
	int64_t key;
	int64_t id;
};

static void cursor_encode(const struct cursor *c, char out[WO_CURSOR_MAX])
{
	char text[64];
	int n = snprintf(text, sizeof(text), "%c:%lld:%lld", PHASE_LETTER[c->phase], (long long)c->key,
			 (long long)c->id);

	sodium_bin2base64(out, WO_CURSOR_MAX, (const unsigned char *)text, (size_t)n,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int cursor_fail(struct fault *f)
{
	return fault_set(f, FAULT_INVALID, "after", "after must be the next token of the page before, unchanged");
}

/* A token back to its cursor; it must belong to the sort asked for. */
static int cursor_decode(const char *token, int deadline_sort, struct cursor *c, struct fault *f)
{
	unsigned char bin[64];
	char text[64], *key, *id;
	size_t len = 0;

	if (strlen(token) >= WO_CURSOR_MAX ||
	    sodium_base642bin(bin, sizeof(bin) - 1, token, strlen(token), NULL, &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return cursor_fail(f);
	memcpy(text, bin, len);
	text[len] = '\0';
	if (len < 5 || text[1] != ':' || !(key = strchr(text + 2, ':')))
		return cursor_fail(f);
	*key++ = '\0';
	id = key;
	key = text + 2;
	switch (text[0]) {
	case 't':
		c->phase = PHASE_TIME;
		break;
	case 'd':
		c->phase = PHASE_DEADLINE;
		break;
	case 'n':
		c->phase = PHASE_NONE;
		break;
	default:
		return cursor_fail(f);
	}
	if (parse_int64(key, INT64_MIN, INT64_MAX, &c->key) < 0 || parse_int64(id, 1, INT64_MAX, &c->id) < 0)
		return cursor_fail(f);
	if ((c->phase == PHASE_TIME) == deadline_sort)
		return fault_set(f, FAULT_INVALID, "after", "after is a token of the other sort: start again from the first page");
	return 0;
}

/*
 * The phase's condition, the dates asked for and the keyset after c (NULL: none).
 * received_at gets one lower and one upper bound at most, the tighter of the date
 * and the cursor: given both, SQLite may weigh the (key, received_at) index over
 * (key, state, received_at).  key_in_index 0: the search's index holds the
 * time sort's keyset itself (search.c), only the dates are left.
 */
static void keyset_sql(const struct plan *p, enum phase ph, const struct cursor *c, int key_in_index,
		       struct wo_sql *out)
{
	int64_t upper = p->before;

	wo_sql_add(out, PHASE_WHERE[ph]);
	if (p->since) {
		wo_sql_add(out, " AND w.received_at >= ?");
		wo_sql_int(out, p->since);
	}
	if (c && ph == PHASE_TIME && key_in_index && (!upper || c->key < upper))
		upper = c->key;
	if (upper) {
		wo_sql_add(out, " AND w.received_at <= ?");
		wo_sql_int(out, upper);
	}
	if (!c || (ph == PHASE_TIME && !key_in_index))
		return;
	if (ph == PHASE_DEADLINE) {
		wo_sql_add(out, " AND w.deadline >= ?");
		wo_sql_int(out, c->key);
	}
	wo_sql_add(out, PHASE_AFTER[ph]);
	if (ph != PHASE_NONE)
		wo_sql_int(out, c->key);
	wo_sql_int(out, c->id);
}

/* One branch of a page: its scope alternative and state, the shared filters, the keyset. */
static void branch_sql(const struct plan *p, int alt, int state, const struct wo_sql *keyset, struct wo_sql *out)
{
	wo_sql_add(out, "1 = 1");
	if (alt >= 0) {
		wo_sql_add(out, " AND ");
		wo_sql_cat(out, &p->alt[alt]);
	}
	if (state >= 0) {
		wo_sql_add(out, " AND w.state = ?");
		wo_sql_text(out, wo_state_name((enum wo_state)state));
	}
	wo_sql_cat(out, &p->where);
	wo_sql_cat(out, keyset);
}

/*
 * A page that a search starts (search.c): from its matches, newest first
 * straight from the index when it can, else sorted; the scope's alternatives
 * and the states are conditions on the matches here, not branches.
 */
static void driven_page_sql(const struct plan *p, enum phase ph, const struct cursor *c, int n, struct wo_sql *out)
{
	int ordered = ph == PHASE_TIME && wo_search_ordered(&p->search), i, first = 1;

	buf_addf(&out->sql, "SELECT w.id, %s", PHASE_KEY[ph]);
	wo_search_source(out, &p->search, ordered && c, c ? c->key : 0, c ? c->id : 0);
	if (p->nalt) {
		wo_sql_add(out, " AND (");
		for (i = 0; i < p->nalt; i++) {
			wo_sql_add(out, i ? ") OR (" : "(");
			wo_sql_cat(out, &p->alt[i]);
		}
		wo_sql_add(out, "))");
	}
	if (p->states) {
		wo_sql_add(out, " AND w.state IN (");
		for (i = 0; i < WO_NSTATES; i++)
			if (p->states & WO_BIT(i)) {
				wo_sql_add(out, first ? "?" : ", ?");
				wo_sql_text(out, wo_state_name((enum wo_state)i));
				first = 0;
			}
		wo_sql_add(out, ")");
	}
	wo_sql_cat(out, &p->where);
	keyset_sql(p, ph, c, !ordered, out);
	buf_addf(&out->sql, " ORDER BY %s LIMIT ?", ordered ? wo_search_order() : PHASE_ORDER[ph]);
	wo_sql_int(out, n);
}

/*
 * The SQL of one phase's page: ids and sort keys of the first n orders after
 * the cursor (NULL: from the start).  One branch: one indexed walk.  More (a
 * scope's two alternatives, times each state asked for): each branch's first
 * n, then the first n of them all, so that no branch is read past its page.
 */
static void page_sql(const struct plan *p, enum phase ph, const struct cursor *c, int n, struct wo_sql *out)
{
	struct {
		int alt, state;
	} br[2 * WO_NSTATES];
	struct wo_sql keyset;
	int alt, st, nbr = 0, i;

	if (p->driven) {
		driven_page_sql(p, ph, c, n, out);
		return;
	}
	wo_sql_init(&keyset);
	keyset_sql(p, ph, c, 1, &keyset);
	for (alt = p->nalt ? 0 : -1; alt < p->nalt; alt++)
		for (st = p->states ? 0 : -1; st < (p->states ? WO_NSTATES : 0); st++)
			if (st < 0 || (p->states & WO_BIT(st))) {
				br[nbr].alt = alt;
				br[nbr++].state = st;
			}
	if (nbr == 1) {
		buf_addf(&out->sql, "SELECT w.id, %s FROM work_orders w WHERE ", PHASE_KEY[ph]);
		branch_sql(p, br[0].alt, br[0].state, &keyset, out);
		buf_addf(&out->sql, " ORDER BY %s LIMIT ?", PHASE_ORDER[ph]);
		wo_sql_int(out, n);
	} else {
		for (i = 0; i < nbr; i++) {
			buf_addf(&out->sql, "%sSELECT id, k FROM (SELECT w.id AS id, %s AS k FROM work_orders w WHERE ",
				 i ? " UNION " : "", PHASE_KEY[ph]);
			branch_sql(p, br[i].alt, br[i].state, &keyset, out);
			buf_addf(&out->sql, " ORDER BY %s LIMIT ?) b%d", PHASE_ORDER[ph], i);
			wo_sql_int(out, n);
		}
		buf_addf(&out->sql, " ORDER BY %s LIMIT ?", PHASE_ORDER_K[ph]);
		wo_sql_int(out, n);
	}
	wo_sql_release(&keyset);
}

struct hit {
	int64_t id;
	int64_t key;
	enum phase phase;
};

struct hits {
	struct hit *items;
	size_t n, cap;
};

static int hits_read(struct store *s, const struct wo_sql *q, enum phase ph, struct hits *h, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, q->sql.data);
	int rc;

	wo_sql_bind(st, q, 1);
	while (store_next(st, &rc)) {
		YL_GROW(h->items, h->n, h->cap);
		h->items[h->n].id = store_column_int64(st, 0);
		h->items[h->n].key = store_column_int64(st, 1);
		h->items[h->n++].phase = ph;
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

/* Orders in full, in the order of the ids. */
static int read_orders(struct store *s, const int64_t *ids, size_t n, struct wo_order **items, size_t *count,
		       struct fault *f)
{
	size_t i;

	*items = n ? xcalloc(n, sizeof(**items)) : NULL;
	*count = 0;
	for (i = 0; i < n; i++) {
		if (wo_get(s, ids[i], &(*items)[i], f) < 0)
			return -1;
		(*count)++;
	}
	return 0;
}

static const char SQL_RECEIVED_AT[] = "SELECT received_at FROM work_orders WHERE id = ?";

/* The page's starting point from after= or before_id=; *has 0 when from the first row. */
static int start_cursor(struct store *s, const struct wo_filter *flt, int deadline_sort, struct cursor *c,
			int *has, struct fault *f)
{
	int rc;

	*has = 0;
	if (flt->after && flt->before_id)
		return fault_set(f, FAULT_INVALID, "before_id", "give after or before_id, not both");
	if (flt->after) {
		if (cursor_decode(flt->after, deadline_sort, c, f) < 0)
			return -1;
		*has = 1;
		return 0;
	}
	if (!flt->before_id)
		return 0;
	if (flt->before_id < 0)
		return fault_set(f, FAULT_INVALID, "before_id", "before_id must be an order id");
	if (deadline_sort)
		return fault_set(f, FAULT_INVALID, "before_id", "before_id pages the time sort only: use after");
	c->phase = PHASE_TIME;
	c->id = flt->before_id;
	rc = store_query_int64(s, SQL_RECEIVED_AT, &c->key, 1, flt->before_id);
	if (rc == STORE_NOTFOUND)
		return fault_set(f, FAULT_INVALID, "before_id", "before_id must be an order id");
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*has = 1;
	return 0;
}

/*
 * Builds the plan of a list and checks the filter; the page SQL of each phase
 * comes from page_sql() (tests read its plan with EXPLAIN QUERY PLAN).
 */
static int plan_list(struct store *s, const struct actor *a, const struct wo_filter *flt, struct plan *p,
		     int *deadline_sort, struct fault *f)
{
	*deadline_sort = 0;
	if (flt->sort && strcmp(flt->sort, "time") != 0) {
		if (strcmp(flt->sort, "deadline") != 0)
			return fault_set(f, FAULT_INVALID, "sort", "sort must be time or deadline");
		*deadline_sort = 1;
	}
	if (flt->limit < 0 || flt->limit > MAX_LIMIT)
		return fault_set(f, FAULT_INVALID, "limit", "limit must be from 1 to %d", MAX_LIMIT);
	if (plan_filters(s, flt, flt->now ? flt->now : wo_now(), p, f) < 0 || plan_scope(s, a, flt->under_id, p, f) < 0)
		return -1;
	if (p->searching) {
		/*
		 * A number or the FTS index finds where a page starts; except that
		 * what a mobile grid member filed is few orders, and the index has no
		 * term for "filed by": there the LIKEs filter the member's own orders.
		 */
		p->driven = wo_search_drives(&p->search) &&
			    (p->search.mode == WO_SEARCH_NUMBER || !a || actor_can(a, "workorder.read_all"));
		if (!p->driven)
			wo_search_filter(&p->where, &p->search);
	}
	return 0;
}

int wo_list(struct store *s, const struct actor *a, const struct wo_filter *flt, struct wo_list *out,
	    struct fault *f)
{
	int limit = flt->limit ? flt->limit : DEFAULT_LIMIT, deadline_sort, has = 0, ret = -1;
	struct cursor c = { PHASE_TIME, 0, 0 };
	struct hits h = { NULL, 0, 0 };
	struct wo_sql q;
	struct plan p;
	int64_t *ids = NULL;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	plan_init(&p);
	wo_sql_init(&q);
	if (plan_list(s, a, flt, &p, &deadline_sort, f) < 0 || start_cursor(s, flt, deadline_sort, &c, &has, f) < 0)
		goto done;
	/* One more than the page: whether there is a next page, without counting. */
	if (!deadline_sort) {
		page_sql(&p, PHASE_TIME, has ? &c : NULL, limit + 1, &q);
		if (hits_read(s, &q, PHASE_TIME, &h, f) < 0)
			goto done;
	} else {
		if (!has || c.phase == PHASE_DEADLINE) {
			page_sql(&p, PHASE_DEADLINE, has ? &c : NULL, limit + 1, &q);
			if (hits_read(s, &q, PHASE_DEADLINE, &h, f) < 0)
				goto done;
			wo_sql_release(&q);
		}
		if (h.n < (size_t)limit + 1) {
			page_sql(&p, PHASE_NONE, has && c.phase == PHASE_NONE ? &c : NULL, limit + 1 - (int)h.n, &q);
			if (hits_read(s, &q, PHASE_NONE, &h, f) < 0)
				goto done;
		}
	}
	n = h.n > (size_t)limit ? (size_t)limit : h.n;
	if (h.n > (size_t)limit) {
		struct cursor next = { h.items[n - 1].phase, h.items[n - 1].key, h.items[n - 1].id };

		cursor_encode(&next, out->next);
		if (!deadline_sort)
			out->next_before_id = next.id;
	}
	ids = n ? xcalloc(n, sizeof(*ids)) : NULL;
	for (i = 0; i < n; i++)
		ids[i] = h.items[i].id;
	if (read_orders(s, ids, n, &out->items, &out->n, f) < 0) {
		wo_list_release(out);
		goto done;
	}
	ret = 0;
done:
	free(ids);
	free(h.items);
	wo_sql_release(&q);
	plan_release(&p);
	return ret;
}

/* My tasks. */

enum by { BY_HANDLER, BY_PLACE, BY_CREATOR };

struct task_def {
	const char *name;
	const char *permission;
	enum by by;
	const char *where;		/* constants only */
	const char *order;
};

/*
 * The states of the engine's diagram (workorder.h); the permission and the node
 * are those the state machine checks for the list's next action (machine.c):
 * sign, reply and returns by the handler, acceptance, dispatch and decisions,
 * review and callback by the place.  "w.state <> 'closed'" comes with every list:
 * it lets the partial indexes of live orders (007_search.sql) serve.  A list is
 * the scope's few live orders of a state or two, sorted: the '+' keeps the
 * planner from walking instead an index in the sort's order over the whole
 * deployment (such as the sweeper's sign_deadline index, 008), checking the
 * scope of every order it meets.
 */
static const struct task_def TASKS[] = {
	{ "to_sign", "workorder.handle", BY_HANDLER, "w.state = 'dispatched'", "+w.sign_deadline, w.id" },
	{ "in_progress", "workorder.handle", BY_HANDLER, "w.state IN ('in_progress', 'return_requested')",
	  "+w.deadline, w.id" },
	{ "carded", "workorder.handle", BY_HANDLER, "w.card IN ('yellow', 'red') AND w.state IN (" OPEN_STATES ")",
	  "+w.deadline, w.id" },
	{ "to_accept", "workorder.dispatch", BY_PLACE, "w.state = 'received'", "+w.received_at, w.id" },
	{ "to_dispatch", "workorder.dispatch", BY_PLACE, "w.state = 'accepted'", "+w.deadline, w.id" },
	{ "to_decide", "workorder.dispatch", BY_PLACE,
	  "w.state IN ('return_requested', 'in_progress')"
	  " AND (w.state = 'return_requested' OR w.extension_days_requested > 0)",
	  "+w.deadline, w.id" },
	{ "to_review", "workorder.review", BY_PLACE, "w.state = 'replied'", "+w.replied_at, w.id" },
	{ "to_call_back", "workorder.review", BY_PLACE, "w.state IN ('answered', 'reviewed')", "+w.replied_at, w.id" },
	{ "reported", "workorder.create", BY_CREATOR, "1 = 1", "w.received_at DESC, w.id DESC" },
};

void wo_tasks_release(struct wo_tasks *t)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->lists[i].n; j++)
			wo_order_release(&t->lists[i].items[j]);
		free(t->lists[i].items);
	}
	memset(t, 0, sizeof(*t));
}

/* " AND <who>" of a task list for the actor; the scope is looked up once (kind -1: not yet). */
static int task_who(struct store *s, const struct actor *a, enum by by, struct subtree *scope, struct wo_sql *q,
		    struct fault *f)
{
	if (by == BY_CREATOR) {
		wo_sql_add(q, " AND w.created_by = ?");
		wo_sql_int(q, a && a->user_id ? a->user_id : -1);
		return 0;
	}
	if (!a || !a->scope_node_id) {
		if (by == BY_HANDLER)
			wo_sql_add(q, " AND w.handler_node_id IS NOT NULL");
		return 0;
	}
	if (scope->kind < 0 && subtree_of(s, a->scope_node_id, scope, f) < 0)
		return -1;
	wo_sql_add(q, " AND ");
	subtree_cond(q, scope, by == BY_HANDLER ? SIDE_HANDLER : SIDE_PLACE);
	return 0;
}

/* The SQL of a task list: its first cap ids, or (count) how many. */
static void task_sql(const struct task_def *d, const struct wo_sql *who, int count, int cap, struct wo_sql *out)
{
	wo_sql_add(out, count ? "SELECT count(*)" : "SELECT w.id");
	wo_sql_add(out, " FROM work_orders w WHERE w.state <> 'closed'");
	wo_sql_cat(out, who);
	buf_addf(&out->sql, " AND %s", d->where);
	if (!count) {
		buf_addf(&out->sql, " ORDER BY %s LIMIT ?", d->order);
		wo_sql_int(out, cap);
	}
}

static int task_list(struct store *s, const struct task_def *d, const struct wo_sql *who, int cap,
		     struct wo_task_list *out, struct fault *f)
{
	struct hits h = { NULL, 0, 0 };
	struct store_stmt *st;
	struct wo_sql q;
	int64_t *ids = NULL;
	int rc, ret = -1;
	size_t i;

	wo_sql_init(&q);
	task_sql(d, who, 1, cap, &q);
	st = store_prepare(s, q.sql.data);
	wo_sql_bind(st, &q, 1);
	rc = store_step(st);
	if (rc == STORE_ROW)
		out->count = store_column_int64(st, 0);
	store_done(st);
	if (rc != STORE_ROW) {
		store_fault(s, rc, f);
		goto done;
	}
	wo_sql_release(&q);
	task_sql(d, who, 0, cap, &q);
	if (hits_read(s, &q, PHASE_TIME, &h, f) < 0)
		goto done;
	ids = h.n ? xcalloc(h.n, sizeof(*ids)) : NULL;
	for (i = 0; i < h.n; i++)
		ids[i] = h.items[i].id;
	ret = read_orders(s, ids, h.n, &out->items, &out->n, f);
done:
	free(ids);
	free(h.items);
	wo_sql_release(&q);
	return ret;
}

int wo_tasks(struct store *s, const struct actor *a, int cap, struct wo_tasks *out, struct fault *f)
{
	struct subtree scope = { -1, 0, 0 };
	size_t i;

	memset(out, 0, sizeof(*out));
	if (cap < 0 || cap > TASKS_MAX)
		return fault_set(f, FAULT_INVALID, "limit", "limit must be from 1 to %d", TASKS_MAX);
	if (!cap)
		cap = TASKS_DEFAULT;
	for (i = 0; i < YL_ARRAY_LEN(TASKS); i++) {
		const struct task_def *d = &TASKS[i];
		struct wo_task_list *l;
		struct wo_sql who;
		int rc;

		if (!wo_can(a, d->permission) || (d->by == BY_CREATOR && !a))
			continue;
		wo_sql_init(&who);
		rc = task_who(s, a, d->by, &scope, &who, f);
		l = &out->lists[out->n++];
		l->name = d->name;
		if (rc == 0)
			rc = task_list(s, d, &who, cap, l, f);
		wo_sql_release(&who);
		if (rc < 0) {
			wo_tasks_release(out);
			return -1;
		}
	}
	return 0;
}
