/*
 * rebuild.c - every rollup row recomputed from work_orders and wo_events, in
 * one write transaction: the rows are emptied, then each stat node's orders
 * are read in the order of receipt and summed a day and a month at a time
 * (memory stays small whatever the number of orders), then the cards given
 * are counted from their events.
 */
#include "stats/stats_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A day's or a month's sums for one stat node, written out when the day or month ends. */
struct bin {
	int active;
	char period[11];
	struct stat_key key;
	int64_t v[STATS_NCOUNTERS];
	int64_t hist[STATS_BUCKETS];
	int touched[STATS_BUCKETS];	/* buckets with a count, in first-use order */
	size_t ntouched;
	int64_t *cats;			/* (top category, n) pairs */
	size_t ncats, capcats;
};

static void bin_start(struct bin *b, const struct stat_key *k, const char *period)
{
	b->active = 1;
	b->key = *k;
	snprintf(b->period, sizeof(b->period), "%s", period);
	memset(b->v, 0, sizeof(b->v));
	b->ntouched = 0;
	b->ncats = 0;
}

static void bin_add(struct bin *b, const struct stat_contrib *c, int64_t top)
{
	size_t i;
	int j;

	for (j = 0; j < STATS_NCOUNTERS; j++)
		b->v[j] += c->v[j];
	if (c->bucket >= 0) {
		if (b->hist[c->bucket]++ == 0)
			b->touched[b->ntouched++] = c->bucket;
	}
	for (i = 0; i < b->ncats; i++)
		if (b->cats[2 * i] == top) {
			b->cats[2 * i + 1]++;
			return;
		}
	if (b->ncats == b->capcats) {
		b->capcats = b->capcats ? 2 * b->capcats : 8;
		b->cats = xrealloc(b->cats, 2 * b->capcats * sizeof(*b->cats));
	}
	b->cats[2 * b->ncats] = top;
	b->cats[2 * b->ncats + 1] = 1;
	b->ncats++;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int bin_flush(struct store *s, struct bin *b, const char *span, struct fault *f)
{
	struct buf hist = BUF_INIT;
	size_t i;
	int rc;

	if (!b->active)
		return 0;
	b->active = 0;
	/* The touched buckets, not all 601: a rebuild flushes a bin per stat node and day. */
	qsort(b->touched, b->ntouched, sizeof(b->touched[0]), cmp_int);
	buf_init(&hist);
	for (i = 0; i < b->ntouched; i++) {
		buf_addf(&hist, "%s%d:%lld", i ? "," : "", b->touched[i], (long long)b->hist[b->touched[i]]);
		b->hist[b->touched[i]] = 0;
	}
	b->ntouched = 0;
	rc = stat_rollup_put(s, &b->key, span, b->period, b->v, hist.data, f);
	buf_release(&hist);
	if (rc < 0)
		return -1;
	for (i = 0; i < b->ncats; i++)
		if (stat_rollup_add_category(s, &b->key, span, b->period, b->cats[2 * i], b->cats[2 * i + 1], f) < 0)
			return -1;
	b->ncats = 0;
	return 0;
}

/* Categories in memory: id -> top-level id (the table is small). */
struct cat_map {
	int64_t *ids, *tops;
	size_t n;
};

static const char SQL_CATEGORIES[] = "SELECT id FROM wo_categories ORDER BY id";

static int cat_map_load(struct store *s, struct cat_map *m, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_CATEGORIES);
	size_t i;
	int rc;

	memset(m, 0, sizeof(*m));
	while (store_next(st, &rc)) {
		m->ids = xrealloc(m->ids, (m->n + 1) * sizeof(*m->ids));
		m->ids[m->n++] = store_column_int64(st, 0);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	m->tops = xcalloc(m->n ? m->n : 1, sizeof(*m->tops));
	for (i = 0; i < m->n; i++)
		if (stat_category_top(s, m->ids[i], &m->tops[i], f) < 0)
			return -1;
	return 0;
}

static int cat_map_top(struct store *s, const struct cat_map *m, int64_t id, int64_t *top, struct fault *f)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (m->ids[mid] == id) {
			*top = m->tops[mid];
			return 0;
		}
		if (m->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return stat_category_top(s, id, top, f);
}

static void cat_map_release(struct cat_map *m)
{
	free(m->ids);
	free(m->tops);
	memset(m, 0, sizeof(*m));
}

static const char SQL_STAT_NODES[] =
	"SELECT id, level FROM nodes WHERE level IN ('subdistrict', 'community', 'courtyard') ORDER BY id";
/* A courtyard's orders: placed anywhere in its subtree; a community's or subdistrict's: placed on it. */
static const char SQL_ORDERS_COURTYARD[] =
	"SELECT " STAT_ROW_COLUMNS " FROM node_closure nc JOIN work_orders w ON w.node_id = nc.descendant_id"
	" WHERE nc.ancestor_id = ? ORDER BY w.received_at, w.id";
static const char SQL_ORDERS_NODE[] =
	"SELECT " STAT_ROW_COLUMNS " FROM work_orders w WHERE w.node_id = ? ORDER BY w.received_at, w.id";

struct rebuild {
	struct store *s;
	struct cat_map cats;
	struct bin day, month;
	int64_t orders;
};

static int rebuild_node(struct rebuild *rb, int64_t node, int courtyard, struct fault *f)
{
	struct store *s = rb->s;
	struct store_stmt *st;
	struct stat_contrib c;
	struct stat_row r;
	struct stat_key k;
	char day[11], month[8];
	int64_t top;
	int rc;

	st = store_query(s, courtyard ? SQL_ORDERS_COURTYARD : SQL_ORDERS_NODE, "i", (int64_t)node);
	while ((rc = store_step(st)) == STORE_ROW) {
		stat_row_read(st, 0, &r);
		k.node = node;
		k.subdistrict = r.subdistrict_id;
		k.day = stat_day_of(&r);
		stat_day_text(k.day, day);
		stat_month_text(k.day, month);
		if (rb->day.active && strcmp(rb->day.period, day) != 0 && bin_flush(s, &rb->day, "day", f) < 0)
			goto fail;
		if (rb->month.active && strcmp(rb->month.period, month) != 0 &&
		    bin_flush(s, &rb->month, "month", f) < 0)
			goto fail;
		if (!rb->day.active)
			bin_start(&rb->day, &k, day);
		if (!rb->month.active)
			bin_start(&rb->month, &k, month);
		if (stat_contrib_of(s, &r, 1, &c, f) < 0 || cat_map_top(s, &rb->cats, r.category_id, &top, f) < 0)
			goto fail;
		bin_add(&rb->day, &c, top);
		bin_add(&rb->month, &c, top);
		rb->orders++;
	}
	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	if (bin_flush(s, &rb->day, "day", f) < 0 || bin_flush(s, &rb->month, "month", f) < 0)
		return -1;
	return 0;
fail:
	store_done(st);
	return -1;
}

static const char SQL_CARD_EVENTS[] =
	"SELECT w.node_id, w.subdistrict_id, w.received_at, e.action FROM wo_events e"
	" JOIN work_orders w ON w.id = e.order_id WHERE e.action IN ('" STATS_ACTION_YELLOW_CARD "', '"
	STATS_ACTION_RED_CARD "') ORDER BY w.node_id, e.id";

static int rebuild_cards(struct store *s, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_CARD_EVENTS);
	int64_t place = 0, stat_node = 0, v[STATS_NCOUNTERS];
	char day[11], month[8];
	struct stat_row r;
	struct stat_key k;
	int rc;

	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t at_node = store_column_int64(st, 0);
		const char *action = store_column_text(st, 3);

		if (at_node != place) {
			if (stat_node_of(s, at_node, &stat_node, f) < 0)
				goto fail;
			place = at_node;
		}
		memset(&r, 0, sizeof(r));
		r.received_at = store_column_int64(st, 2);
		memset(v, 0, sizeof(v));
		v[strcmp(action, STATS_ACTION_RED_CARD) == 0 ? SC_red_cards : SC_yellow_cards] = 1;
		k.node = stat_node;
		k.subdistrict = store_column_int64(st, 1);
		k.day = stat_day_of(&r);
		stat_day_text(k.day, day);
		stat_month_text(k.day, month);
		if (stat_rollup_add(s, &k, "day", day, v, f) < 0 || stat_rollup_add(s, &k, "month", month, v, f) < 0)
			goto fail;
	}
	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_done(st);
	return -1;
}

static const char SQL_CLEAR[] = "DELETE FROM wo_rollup_category; DELETE FROM wo_rollup;";

int stats_rebuild(struct store *s, int64_t *orders, struct fault *f)
{
	struct rebuild rb;
	int64_t *nodes = NULL;
	char *courtyard = NULL;
	size_t n = 0, i;
	struct store_stmt *st;
	int rc, ret = -1;

	memset(&rb, 0, sizeof(rb));
	rb.s = s;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if ((rc = store_exec(s, SQL_CLEAR)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (cat_map_load(s, &rb.cats, f) < 0)
		goto fail;
	st = store_prepare(s, SQL_STAT_NODES);
	while (store_next(st, &rc)) {
		nodes = xrealloc(nodes, (n + 1) * sizeof(*nodes));
		courtyard = xrealloc(courtyard, n + 1);
		nodes[n] = store_column_int64(st, 0);
		courtyard[n] = strcmp(store_column_text(st, 1), "courtyard") == 0;
		n++;
	}
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	for (i = 0; i < n; i++)
		if (rebuild_node(&rb, nodes[i], courtyard[i], f) < 0)
			goto fail;
	if (rebuild_cards(s, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	if (orders)
		*orders = rb.orders;
	ret = 0;
	goto out;
fail:
	store_rollback(s);
out:
	free(nodes);
	free(courtyard);
	free(rb.day.cats);
	free(rb.month.cats);
	cat_map_release(&rb.cats);
	return ret;
}
