/*
 * hotspots.c - the buildings orders keep coming from, and the callers who keep
 * calling (suggest.h).  Read straight from work_orders over a period and a
 * subtree: the rollups count by node and category, not by building or caller.
 */
#include "insight/suggest.h"
#include "util/util.h"

#include <string.h>

/* The orders of the subtree in the period: the place's building (the node itself when it is one). */
#define IN_PERIOD \
	" FROM work_orders w WHERE w.received_at >= ? AND w.received_at < ?" \
	"  AND w.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)"

static const char SQL_TOTALS[] =
	"SELECT count(*), count(DISTINCT w.caller_phone_hash)" IN_PERIOD;
static const char SQL_PLACES[] =
	"SELECT b.id, count(*) FROM work_orders w"
	" JOIN node_closure c ON c.descendant_id = w.node_id JOIN nodes b ON b.id = c.ancestor_id AND b.level = 'building'"
	" WHERE w.received_at >= ? AND w.received_at < ?"
	"  AND w.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)"
	" GROUP BY b.id HAVING count(*) >= 2 ORDER BY count(*) DESC, b.id LIMIT 10";
static const char SQL_PLACE_CATEGORY[] =
	"SELECT w.category_id, count(*) FROM work_orders w JOIN node_closure c ON c.descendant_id = w.node_id"
	" WHERE c.ancestor_id = ? AND w.received_at >= ? AND w.received_at < ? AND w.category_id IS NOT NULL"
	" GROUP BY w.category_id ORDER BY count(*) DESC, w.category_id LIMIT 1";
static const char SQL_REPEAT[] =
	"SELECT count(*), coalesce(sum(n), 0) FROM (SELECT count(*) AS n" IN_PERIOD
	"  AND w.caller_phone_hash IS NOT NULL GROUP BY w.caller_phone_hash HAVING count(*) >= 2) r";
static const char SQL_TOP_CALLERS[] =
	"SELECT w.caller_phone_hash, count(*)" IN_PERIOD
	"  AND w.caller_phone_hash IS NOT NULL GROUP BY w.caller_phone_hash HAVING count(*) >= 2"
	" ORDER BY count(*) DESC, max(w.received_at) DESC LIMIT 10";
static const char SQL_CALLER_ORDERS[] =
	"SELECT w.number" IN_PERIOD "  AND w.caller_phone_hash = ? ORDER BY w.received_at DESC, w.id DESC LIMIT 5";

int hotspots(struct store *s, int64_t under, int64_t from, int64_t to, struct hotspots *out, struct fault *f)
{
	char hashes[HOT_TOP][96];
	struct store_stmt *st;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_TOTALS, "iii", from, to, under);
	if (store_next(st, &rc)) {
		out->orders = store_column_int64(st, 0);
		out->callers = store_column_int64(st, 1);
		store_done(st);
	} else {
		return store_fault(s, rc, f);
	}
	st = store_query(s, SQL_PLACES, "iii", from, to, under);
	while (store_next(st, &rc)) {
		out->places[out->nplaces].node_id = store_column_int64(st, 0);
		out->places[out->nplaces++].orders = store_column_int64(st, 1);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	for (i = 0; i < out->nplaces; i++) {
		st = store_query(s, SQL_PLACE_CATEGORY, "iii", out->places[i].node_id, from, to);
		if (store_next(st, &rc)) {
			out->places[i].category_id = store_column_int64(st, 0);
			out->places[i].category_orders = store_column_int64(st, 1);
			store_done(st);
		} else if (rc != STORE_DONE) {
			return store_fault(s, rc, f);
		}
	}
	st = store_query(s, SQL_REPEAT, "iii", from, to, under);
	if (store_next(st, &rc)) {
		out->repeat_callers = store_column_int64(st, 0);
		out->repeat_orders = store_column_int64(st, 1);
		store_done(st);
	} else {
		return store_fault(s, rc, f);
	}
	st = store_query(s, SQL_TOP_CALLERS, "iii", from, to, under);
	while (store_next(st, &rc)) {
		store_column_copy(st, 0, hashes[out->ntop], sizeof(hashes[0]));
		out->top[out->ntop++].orders = store_column_int64(st, 1);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	for (i = 0; i < out->ntop; i++) {
		struct hot_caller *c = &out->top[i];

		st = store_query(s, SQL_CALLER_ORDERS, "iiit", from, to, under, hashes[i]);
		while (store_next(st, &rc))
			store_column_copy(st, 0, c->numbers[c->nnumbers++], sizeof(c->numbers[0]));
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
	}
	return 0;
}
