/*
 * pressure.c - open work and its overdue share over the organisation tree, for
 * the treemap of 态势 (suggest.h).  Three reads: the subtree's nodes down to the
 * buildings (parents first: by depth), the open items of the subtree counted at
 * their building, and those placed above any building counted at their own
 * node; then each node's counts are added to its parent's, deepest first.
 */
#include "insight/suggest.h"
#include "org/org.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_NODES[] =
	"SELECT n.id, n.parent_id, n.name, n.level FROM node_closure c JOIN nodes n ON n.id = c.descendant_id"
	" WHERE c.ancestor_id = ? AND n.level IN ('subdistrict', 'community', 'courtyard', 'building')"
	" ORDER BY c.depth, n.id";

/*
 * Work orders: open is every state but closed; overdue, past the reply deadline while it runs (from acceptance
 * to the reply: the states GET /work-orders?overdue=true counts, workorder/list.c).
 */
#define ORDER_OVERDUE \
	"w.state IN ('accepted', 'dispatched', 'return_requested', 'in_progress') AND w.deadline < ?"
#define ORDERS_OPEN \
	" FROM work_orders w JOIN node_closure u ON u.descendant_id = w.node_id AND u.ancestor_id = ?" \
	" WHERE w.state <> 'closed'"
#define NODES_OPEN \
	" FROM time_nodes w JOIN node_closure u ON u.descendant_id = w.node_id AND u.ancestor_id = ?" \
	" WHERE w.state = 'open' AND w.kind = ?"
#define ABOVE_BUILDINGS(overdue, from) \
	"SELECT w.node_id, count(*), sum(CASE WHEN " overdue " THEN 1 ELSE 0 END)" from \
	" AND NOT EXISTS (SELECT 1 FROM node_closure c JOIN nodes b ON b.id = c.ancestor_id" \
	"  WHERE c.descendant_id = w.node_id AND b.level = 'building') GROUP BY w.node_id"

static const char SQL_ORDERS_AT_BUILDINGS[] =
	"SELECT c.ancestor_id, count(*), sum(CASE WHEN " ORDER_OVERDUE " THEN 1 ELSE 0 END)"
	" FROM work_orders w JOIN node_closure u ON u.descendant_id = w.node_id AND u.ancestor_id = ?"
	" JOIN node_closure c ON c.descendant_id = w.node_id JOIN nodes b ON b.id = c.ancestor_id AND b.level = 'building'"
	" WHERE w.state <> 'closed' GROUP BY c.ancestor_id";
static const char SQL_ORDERS_ABOVE[] = ABOVE_BUILDINGS(ORDER_OVERDUE, ORDERS_OPEN);
static const char SQL_NODES_AT_BUILDINGS[] =
	"SELECT c.ancestor_id, count(*), sum(CASE WHEN w.deadline < ? THEN 1 ELSE 0 END)"
	" FROM time_nodes w JOIN node_closure u ON u.descendant_id = w.node_id AND u.ancestor_id = ?"
	" JOIN node_closure c ON c.descendant_id = w.node_id JOIN nodes b ON b.id = c.ancestor_id AND b.level = 'building'"
	" WHERE w.state = 'open' AND w.kind = ? GROUP BY c.ancestor_id";
static const char SQL_NODES_ABOVE[] = ABOVE_BUILDINGS("w.deadline < ?", NODES_OPEN);

void pressure_release(struct pressure *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->items[i].name);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

/* The nodes' positions sorted by id, so a row or a parent is found by binary search, not a scan of the tree. */
struct by_id {
	int64_t id;
	size_t at;
};

static int by_id_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct by_id *)a)->id, y = ((const struct by_id *)b)->id;

	return x < y ? -1 : x > y;
}

static struct pressure_node *find(struct pressure *p, const struct by_id *index, int64_t id)
{
	struct by_id key = { id, 0 };
	const struct by_id *hit = bsearch(&key, index, p->n, sizeof(*index), by_id_cmp);

	return hit ? &p->items[hit->at] : NULL;
}

/* Adds a read's (node, open, overdue) rows to the nodes' own counts. */
static int add_counts(struct store *s, struct store_stmt *st, struct pressure *p, const struct by_id *index,
		      struct fault *f)
{
	int rc;

	while (store_next(st, &rc)) {
		struct pressure_node *n = find(p, index, store_column_int64(st, 0));

		if (n) {
			n->own_open += store_column_int64(st, 1);
			n->own_overdue += store_column_int64(st, 2);
		}
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

int pressure_tree(struct store *s, int64_t root, const char *kind, int64_t now, struct pressure *out, struct fault *f)
{
	struct store_stmt *st;
	struct by_id *index;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_NODES, "i", root);
	while (store_next(st, &rc)) {
		struct pressure_node *n;
		enum node_level level;

		YL_GROW(out->items, out->n, out->cap);
		n = &out->items[out->n++];
		memset(n, 0, sizeof(*n));
		n->first_child = n->next_sibling = PRESSURE_NONE;
		n->id = store_column_int64(st, 0);
		n->parent_id = store_column_int64(st, 1);
		n->name = store_column_dup(st, 2);
		level = node_level_parse(store_column_text(st, 3));
		n->level = node_level_name(level);
	}
	if (rc != STORE_DONE) {
		pressure_release(out);
		return store_fault(s, rc, f);
	}
	if (!out->n) {
		pressure_release(out);
		return fault_set(f, FAULT_INVALID, "node", "node %lld is not a subdistrict, community, courtyard or building",
				 (long long)root);
	}
	index = xcalloc(out->n, sizeof(*index));
	for (i = 0; i < out->n; i++)
		index[i] = (struct by_id){ out->items[i].id, i };
	qsort(index, out->n, sizeof(*index), by_id_cmp);
	if ((kind ? add_counts(s, store_query(s, SQL_NODES_AT_BUILDINGS, "iit", now, root, kind), out, index, f)
		  : add_counts(s, store_query(s, SQL_ORDERS_AT_BUILDINGS, "ii", now, root), out, index, f)) < 0 ||
	    (kind ? add_counts(s, store_query(s, SQL_NODES_ABOVE, "iit", now, root, kind), out, index, f)
		  : add_counts(s, store_query(s, SQL_ORDERS_ABOVE, "ii", now, root), out, index, f)) < 0) {
		free(index);
		pressure_release(out);
		return -1;
	}
	/* Children come after their parents: add up from the end. */
	for (i = out->n; i-- > 0;) {
		struct pressure_node *n = &out->items[i], *parent;

		n->open += n->own_open;
		n->overdue += n->own_overdue;
		if (i && (parent = find(out, index, n->parent_id)) != NULL) {
			parent->open += n->open;
			parent->overdue += n->overdue;
			n->next_sibling = parent->first_child;	/* from the end: siblings end up in order */
			parent->first_child = i;
		}
	}
	free(index);
	return 0;
}
