/*
 * list.c - lists of work orders as an actor sees them, newest first, paged by
 * id (keyset paging: a page never shifts when orders arrive meanwhile).
 *
 * Visibility is the rule of wo_visible() written as SQL: the place or the
 * handler inside the actor's scope; an actor without workorder.read_all sees
 * only what it filed.
 * Filters add conditions; more (search, "my tasks") belong here too.
 */
#include "workorder/wo_internal.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 16
#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500

void wo_list_release(struct wo_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		wo_order_release(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

struct params {
	int64_t ids[MAX_PARAMS];
	const char *texts[MAX_PARAMS];
	int is_text[MAX_PARAMS];
	int n;
};

static void param_id(struct params *p, int64_t v)
{
	p->ids[p->n] = v;
	p->is_text[p->n++] = 0;
}

static void param_text(struct params *p, const char *v)
{
	p->texts[p->n] = v;
	p->is_text[p->n++] = 1;
}

static void bind_params(struct store_stmt *st, const struct params *p)
{
	int i;

	for (i = 0; i < p->n; i++) {
		if (p->is_text[i])
			store_bind_text(st, i + 1, p->texts[i]);
		else
			store_bind_int64(st, i + 1, p->ids[i]);
	}
}

#define IN_SUBTREE "IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)"

/* Place or handler inside node's subtree. */
static void where_within(struct buf *w, struct params *p, int64_t node)
{
	buf_adds(w, " AND (w.node_id " IN_SUBTREE " OR w.handler_node_id " IN_SUBTREE ")");
	param_id(p, node);
	param_id(p, node);
}

static int check_filter(const struct wo_filter *flt, struct fault *f)
{
	if (flt->state && wo_state_parse(flt->state) == WO_STATE_NONE)
		return fault_set(f, FAULT_INVALID, "state",
				 "state must be received, accepted, answered, dispatched, return_requested, in_progress,"
				 " replied, reviewed, dissatisfied or closed");
	if (flt->source && !wo_word_in(WO_SOURCES, flt->source))
		return fault_set(f, FAULT_INVALID, "source",
				 "source must be resident, grid, mobile_grid, phone, walk_in or hotline");
	if (flt->type && !wo_word_in(WO_TYPES, flt->type))
		return fault_set(f, FAULT_INVALID, "type", "type must be consultation, help, complaint, report or suggestion");
	if (flt->limit < 0 || flt->limit > MAX_LIMIT)
		return fault_set(f, FAULT_INVALID, "limit", "limit must be from 1 to %d", MAX_LIMIT);
	if (flt->before_id < 0)
		return fault_set(f, FAULT_INVALID, "before_id", "before_id must be an order id");
	return 0;
}

int wo_list(struct store *s, const struct actor *a, const struct wo_filter *flt, struct wo_list *out,
	    struct fault *f)
{
	struct buf where = BUF_INIT, sql = BUF_INIT;
	struct params prm;
	struct store_stmt *st;
	int limit = flt->limit ? flt->limit : DEFAULT_LIMIT, rc;
	size_t cap = 0, i;

	memset(out, 0, sizeof(*out));
	memset(&prm, 0, sizeof(prm));
	if (check_filter(flt, f) < 0)
		return -1;
	buf_init(&where);
	buf_adds(&where, " WHERE 1=1");
	if (a && !actor_can(a, "workorder.read_all")) {
		buf_adds(&where, " AND w.created_by = ?");
		param_id(&prm, a->user_id ? a->user_id : -1);
	} else if (a && a->scope_node_id) {
		where_within(&where, &prm, a->scope_node_id);
	}
	if (flt->under_id)
		where_within(&where, &prm, flt->under_id);
	if (flt->state) {
		buf_adds(&where, " AND w.state = ?");
		param_text(&prm, flt->state);
	}
	if (flt->source) {
		buf_adds(&where, " AND w.source = ?");
		param_text(&prm, flt->source);
	}
	if (flt->type) {
		buf_adds(&where, " AND w.type = ?");
		param_text(&prm, flt->type);
	}
	if (flt->category_id) {
		buf_adds(&where, " AND (w.category_id = ?"
				 " OR w.category_id IN (SELECT id FROM wo_categories WHERE parent_id = ?))");
		param_id(&prm, flt->category_id);
		param_id(&prm, flt->category_id);
	}
	if (flt->created_by) {
		buf_adds(&where, " AND w.created_by = ?");
		param_id(&prm, flt->created_by);
	}
	if (flt->before_id) {
		buf_adds(&where, " AND w.id < ?");
		param_id(&prm, flt->before_id);
	}
	/* One more than the page: whether there is a next page, without counting. */
	buf_addf(&sql, "%s%s ORDER BY w.id DESC LIMIT %d", WO_ORDER_SELECT, where.data, limit + 1);
	st = store_prepare(s, sql.data);
	bind_params(st, &prm);
	while ((rc = store_step(st)) == STORE_ROW) {
		if (out->n == (size_t)limit) {
			out->next_before_id = out->items[out->n - 1].id;
			continue;
		}
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->items = xrealloc(out->items, cap * sizeof(*out->items));
		}
		wo_read_order(st, &out->items[out->n++]);
	}
	store_done(st);
	buf_release(&where);
	buf_release(&sql);
	if (rc != STORE_DONE) {
		wo_list_release(out);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < out->n; i++)
		if (wo_load_photos(s, &out->items[i], f) < 0) {
			wo_list_release(out);
			return -1;
		}
	return 0;
}
