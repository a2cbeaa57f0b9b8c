/*
 * compute.c - the figures of a node's subtree and a period, read from the
 * rollups (stats_compute, stats_ranking) or counted from the orders
 * themselves (stats_compute_raw, and nodes below the courtyard).
 *
 * A period is cut into at most three ranges of rollup rows: the days of a
 * first month it does not cover whole, the whole months, the days of a last
 * month it does not cover whole.  Each range is one indexed query per table:
 * the stat nodes under the node (node_closure, depth down to the courtyard)
 * joined to their rows in the range.  A year of a subdistrict reads its
 * (1 + communities + courtyards) x 12 month rows.
 */
#include "stats/stats_internal.h"
#include "calendar/calendar.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- periods ---- */

static void ym_of(int32_t day, int *y, int *m)
{
	char d[11];

	calendar_day_format(day, d);
	*y = atoi(d);
	*m = atoi(d + 5);
}

static int32_t month_first(int32_t day)
{
	int y, m;

	ym_of(day, &y, &m);
	return calendar_day_from_ymd(y, m, 1);
}

static int32_t next_month_first(int32_t day)
{
	int y, m;

	ym_of(day, &y, &m);
	return m == 12 ? calendar_day_from_ymd(y + 1, 1, 1) : calendar_day_from_ymd(y, m + 1, 1);
}

static int parse_period(const char *from, const char *to, int32_t *d0, int32_t *d1, struct fault *f)
{
	if (!from || calendar_day_parse(from, d0) < 0)
		return fault_set(f, FAULT_INVALID, "from", "from must be a date YYYY-MM-DD");
	if (!to || calendar_day_parse(to, d1) < 0)
		return fault_set(f, FAULT_INVALID, "to", "to must be a date YYYY-MM-DD");
	if (*d1 < *d0)
		return fault_set(f, FAULT_INVALID, "to", "the period ends (%s) before it starts (%s)", to, from);
	if (*d1 - *d0 + 1 > STATS_MAX_DAYS)
		return fault_set(f, FAULT_INVALID, "to", "a period is at most %d days long", STATS_MAX_DAYS);
	return 0;
}

/* A range of rollup rows: span "day" (periods YYYY-MM-DD) or "month" (YYYY-MM), both ends included. */
struct range {
	const char *span;
	char lo[11], hi[11];
};

static void day_range(struct range *r, int32_t lo, int32_t hi)
{
	r->span = "day";
	stat_day_text(lo, r->lo);
	stat_day_text(hi, r->hi);
}

/* [d0, d1] as day ranges for cut months and one month range for the whole ones between. */
static size_t split_period(int32_t d0, int32_t d1, struct range out[3])
{
	int32_t d = d0, last_whole = -1, first_whole = 0, end;
	size_t n = 0;

	end = next_month_first(d) - 1;
	if (d != month_first(d) || end > d1) {
		day_range(&out[n++], d, end < d1 ? end : d1);
		d = (end < d1 ? end : d1) + 1;
	}
	while (d <= d1 && (end = next_month_first(d) - 1) <= d1) {
		if (last_whole < 0)
			first_whole = d;
		last_whole = d;
		d = end + 1;
	}
	if (last_whole >= 0) {
		out[n].span = "month";
		stat_month_text(first_whole, out[n].lo);
		stat_month_text(last_whole, out[n].hi);
		n++;
	}
	if (d <= d1)
		day_range(&out[n++], d, d1);
	return n;
}

/* ---- accumulating ---- */

struct acc {
	int counts_only;		/* ranking: counters, no histogram, months or categories */
	struct stats_counts c;
	int64_t hist[STATS_BUCKETS];
	struct stats_month *months;
	size_t nmonths;
	int64_t *cats;			/* (top category, n) pairs */
	size_t ncats;
};

static void acc_init(struct acc *a, int32_t d0, int32_t d1, int counts_only)
{
	int32_t m;

	memset(a, 0, sizeof(*a));
	a->counts_only = counts_only;
	if (counts_only)
		return;
	for (m = month_first(d0); m <= d1; m = next_month_first(m)) {
		a->months = xrealloc(a->months, (a->nmonths + 1) * sizeof(*a->months));
		memset(&a->months[a->nmonths], 0, sizeof(a->months[0]));
		stat_month_text(m, a->months[a->nmonths].month);
		a->nmonths++;
	}
}

static void acc_release(struct acc *a)
{
	free(a->months);
	free(a->cats);
	memset(a, 0, sizeof(*a));
}

/* The month of a period text ("2025-01" or "2025-01-15"). */
static struct stats_month *acc_month(struct acc *a, const char *period)
{
	size_t i;

	for (i = 0; i < a->nmonths; i++)
		if (strncmp(a->months[i].month, period, 7) == 0)
			return &a->months[i];
	return NULL;
}

static void acc_category(struct acc *a, int64_t id, int64_t n)
{
	size_t i;

	for (i = 0; i < a->ncats; i++)
		if (a->cats[2 * i] == id) {
			a->cats[2 * i + 1] += n;
			return;
		}
	a->cats = xrealloc(a->cats, 2 * (a->ncats + 1) * sizeof(*a->cats));
	a->cats[2 * a->ncats] = id;
	a->cats[2 * a->ncats + 1] = n;
	a->ncats++;
}

/* ---- from the rollups ---- */

/*
 * The rows are read and summed here rather than by SUM() ... GROUP BY: 46
 * aggregates a row cost SQLite about twice the CPU of reading the columns
 * (measured on the 10-million-order rollup of test_stats.c).
 */
#define COL_(name) ", r." #name
#define UNDER_ " FROM node_closure nc JOIN "
#define WHERE_ \
	" r ON r.node_id = nc.descendant_id WHERE nc.ancestor_id = ? AND nc.depth <= ? AND r.span = ?" \
	" AND r.period BETWEEN ? AND ?"

static const char SQL_ROWS[] = "SELECT r.period, r.hist" STATS_COUNTERS(COL_) UNDER_ "wo_rollup" WHERE_;
static const char SQL_CATEGORY_ROWS[] = "SELECT r.category_id, r.n" UNDER_ "wo_rollup_category" WHERE_;

#undef COL_
#undef UNDER_
#undef WHERE_

static void bind_range(struct store_stmt *st, int64_t node, int depth, const struct range *r)
{
	store_bind_int64(st, 1, node);
	store_bind_int64(st, 2, depth);
	store_bind_text(st, 3, r->span);
	store_bind_text(st, 4, r->lo);
	store_bind_text(st, 5, r->hi);
}

static int sum_rows(struct store *s, int64_t node, int depth, const struct range *r, struct acc *a,
		    struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_ROWS);
	int64_t v[STATS_NCOUNTERS];
	struct stats_month *m = NULL;
	int rc, i;

	bind_range(st, node, depth, r);
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *period = store_column_text(st, 0);

		for (i = 0; i < STATS_NCOUNTERS; i++)
			v[i] = store_column_int64(st, 2 + i);
		stat_counts_add(&a->c, v);
		if (a->counts_only)
			continue;
		stat_hist_parse(store_column_text(st, 1), a->hist);
		if ((!m || strncmp(m->month, period, 7) != 0) && !(m = acc_month(a, period)))
			continue;
		m->received += v[SC_received];
		m->hotline += v[SC_src_hotline];
	}
	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

static int sum_categories(struct store *s, int64_t node, int depth, const struct range *r, struct acc *a,
			  struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_CATEGORY_ROWS);
	int rc;

	bind_range(st, node, depth, r);
	while (store_next(st, &rc))
		acc_category(a, store_column_int64(st, 0), store_column_int64(st, 1));
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

/* node is at courtyard level or above: the stat nodes under it lie at most 3 - level deep. */
static int acc_rollup(struct store *s, int64_t node, enum node_level level, const struct range *rs, size_t nr,
		      struct acc *a, struct fault *f)
{
	int depth = LEVEL_COURTYARD - (int)level;
	size_t i;

	for (i = 0; i < nr; i++) {
		if (sum_rows(s, node, depth, &rs[i], a, f) < 0)
			return -1;
		if (!a->counts_only && sum_categories(s, node, depth, &rs[i], a, f) < 0)
			return -1;
	}
	return 0;
}

/* ---- from the orders ---- */

static const char SQL_RAW_ORDERS[] =
	"SELECT " STAT_ROW_COLUMNS " FROM node_closure nc JOIN work_orders w ON w.node_id = nc.descendant_id"
	" WHERE nc.ancestor_id = ? AND w.received_at >= ? AND w.received_at < ?";
static const char SQL_RAW_CARDS[] =
	"SELECT e.action, COUNT(*) FROM node_closure nc JOIN work_orders w ON w.node_id = nc.descendant_id"
	" JOIN wo_events e ON e.order_id = w.id WHERE nc.ancestor_id = ? AND w.received_at >= ? AND w.received_at < ?"
	" AND e.action IN ('" STATS_ACTION_YELLOW_CARD "', '" STATS_ACTION_RED_CARD "') GROUP BY e.action";

static int acc_raw(struct store *s, int64_t node, int32_t d0, int32_t d1, struct acc *a, struct fault *f)
{
	struct store_stmt *st;
	struct stat_contrib c;
	struct stat_row r;
	char day[11];
	int64_t top;
	int rc;

	st = store_query(s, SQL_RAW_ORDERS, "iii", (int64_t)node, (int64_t)(calendar_day_start(d0)),
			 (int64_t)(calendar_day_start(d1 + 1)));
	while ((rc = store_step(st)) == STORE_ROW) {
		stat_row_read(st, 0, &r);
		if (stat_contrib_of(s, &r, 1, &c, f) < 0)
			goto fail;
		stat_counts_add(&a->c, c.v);
		if (a->counts_only)
			continue;
		if (c.bucket >= 0)
			a->hist[c.bucket]++;
		stat_day_text(stat_day_of(&r), day);
		{
			struct stats_month *m = acc_month(a, day);

			if (m) {
				m->received++;
				m->hotline += c.v[SC_src_hotline];
			}
		}
		if (stat_category_top(s, r.category_id, &top, f) < 0)
			goto fail;
		acc_category(a, top, 1);
	}
	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);

	st = store_query(s, SQL_RAW_CARDS, "iii", (int64_t)node, (int64_t)(calendar_day_start(d0)),
			 (int64_t)(calendar_day_start(d1 + 1)));
	while (store_next(st, &rc)) {
		if (strcmp(store_column_text(st, 0), STATS_ACTION_RED_CARD) == 0)
			a->c.red_cards += store_column_int64(st, 1);
		else
			a->c.yellow_cards += store_column_int64(st, 1);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_done(st);
	return -1;
}

/* ---- nodes ---- */

struct node_ref {
	int64_t id;
	char *name;
	enum node_level level;
};

static void node_refs_release(struct node_ref *refs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(refs[i].name);
	free(refs);
}

static const char SQL_ROOTS[] = "SELECT id, name, level FROM nodes WHERE parent_id IS NULL ORDER BY name, id";
static const char SQL_CHILDREN[] = "SELECT id, name, level FROM nodes WHERE parent_id = ? ORDER BY name, id";

/* parent 0: the roots (the subdistricts). */
static int node_children(struct store *s, int64_t parent, struct node_ref **out, size_t *n, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, parent ? SQL_CHILDREN : SQL_ROOTS);
	int rc;

	*out = NULL;
	*n = 0;
	if (parent)
		store_bind_int64(st, 1, parent);
	while (store_next(st, &rc)) {
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[*n].id = store_column_int64(st, 0);
		(*out)[*n].name = xstrdup(store_column_text(st, 1));
		(*out)[*n].level = node_level_parse(store_column_text(st, 2));
		(*n)++;
	}
	if (rc != STORE_DONE) {
		node_refs_release(*out, *n);
		*out = NULL;
		*n = 0;
		return store_fault(s, rc, f);
	}
	return 0;
}

enum source_of { FROM_ROLLUP, FROM_ORDERS };

/* One node's figures into a: from the rollups down to the courtyard, from the orders below it (or when raw). */
static int acc_node(struct store *s, int64_t node, enum node_level level, int32_t d0, int32_t d1,
		    const struct range *rs, size_t nr, enum source_of src, struct acc *a, struct fault *f)
{
	if (src == FROM_ROLLUP && level >= LEVEL_SUBDISTRICT && level <= LEVEL_COURTYARD)
		return acc_rollup(s, node, level, rs, nr, a, f);
	return acc_raw(s, node, d0, d1, a, f);
}

/* node 0: the sum over the roots. */
static int acc_subtree(struct store *s, int64_t node, enum node_level level, int32_t d0, int32_t d1,
		       enum source_of src, struct acc *a, struct fault *f)
{
	struct range rs[3];
	size_t nr = split_period(d0, d1, rs), i, nroots;
	struct node_ref *roots;
	int rc = 0;

	if (node)
		return acc_node(s, node, level, d0, d1, rs, nr, src, a, f);
	if (node_children(s, 0, &roots, &nroots, f) < 0)
		return -1;
	for (i = 0; i < nroots && rc == 0; i++)
		rc = acc_node(s, roots[i].id, roots[i].level, d0, d1, rs, nr, src, a, f);
	node_refs_release(roots, nroots);
	return rc;
}

static int node_level_of(struct store *s, int64_t node, enum node_level *level, struct fault *f)
{
	struct node n;

	*level = LEVEL_NONE;
	if (!node)
		return 0;
	if (org_node_get(s, node, &n, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_NOT_FOUND, "node", "node %lld does not exist", (long long)node);
		return -1;
	}
	*level = n.level;
	node_release(&n);
	return 0;
}

/* ---- results ---- */

void wo_stats_release(struct wo_stats *st)
{
	size_t i;

	for (i = 0; i < st->ncategories; i++) {
		free(st->categories[i].code);
		free(st->categories[i].name);
	}
	free(st->categories);
	free(st->months);
	memset(st, 0, sizeof(*st));
}

/*
 * The 90th percentile by nearest rank: the bucket of the ceil(0.9 n)-th
 * shortest time, reported as its upper edge (never below the exact value,
 * at most a tenth of a working day above it).
 */
static void handling_figures(struct wo_stats *out)
{
	int64_t n = out->c.handled, want, seen = 0;
	int b;

	out->p90_bucket = -1;
	if (n <= 0)
		return;
	out->mean_days = (double)out->c.handling_seconds / (double)n / 86400.0;
	want = (9 * n + 9) / 10;
	for (b = 0; b < STATS_BUCKETS; b++) {
		seen += out->hist[b];
		if (seen >= want) {
			out->p90_bucket = b;
			out->p90_days = (double)(b + 1) * STATS_BUCKET_SECONDS / 86400.0;
			if (b == STATS_BUCKETS - 1)
				out->p90_days = (double)b * STATS_BUCKET_SECONDS / 86400.0;
			return;
		}
	}
}

static const char SQL_CATEGORY_NAMES[] =
	"SELECT id, code, name FROM wo_categories ORDER BY CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END, sort, id";

static int fill_categories(struct store *s, const struct acc *a, struct wo_stats *out, struct fault *f)
{
	struct store_stmt *st;
	size_t i;
	int rc;

	if (!a->ncats)
		return 0;
	out->categories = xcalloc(a->ncats, sizeof(*out->categories));
	st = store_prepare(s, SQL_CATEGORY_NAMES);
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t id = store_column_int64(st, 0);

		for (i = 0; i < a->ncats; i++) {
			struct stats_category *c;

			if (a->cats[2 * i] != id || a->cats[2 * i + 1] == 0)
				continue;
			c = &out->categories[out->ncategories++];
			c->id = id;
			c->code = xstrdup(store_column_text(st, 1));
			c->name = xstrdup(store_column_text(st, 2));
			c->received = a->cats[2 * i + 1];
		}
	}
	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

static int compute(struct store *s, int64_t node_id, const char *from, const char *to, enum source_of src,
		   struct wo_stats *out, struct fault *f)
{
	enum node_level level;
	int32_t d0, d1;
	struct acc a;

	memset(out, 0, sizeof(*out));
	out->p90_bucket = -1;
	if (parse_period(from, to, &d0, &d1, f) < 0 || node_level_of(s, node_id, &level, f) < 0)
		return -1;
	acc_init(&a, d0, d1, 0);
	if (acc_subtree(s, node_id, level, d0, d1, src, &a, f) < 0 || fill_categories(s, &a, out, f) < 0) {
		acc_release(&a);
		wo_stats_release(out);
		return -1;
	}
	out->node_id = node_id;
	stat_day_text(d0, out->from);
	stat_day_text(d1, out->to);
	out->c = a.c;
	stats_rates_of(&out->c, &out->r);
	memcpy(out->hist, a.hist, sizeof(out->hist));
	handling_figures(out);
	out->months = a.months;
	out->nmonths = a.nmonths;
	a.months = NULL;
	acc_release(&a);
	return 0;
}

int stats_compute(struct store *s, int64_t node_id, const char *from, const char *to, struct wo_stats *out,
		  struct fault *f)
{
	return compute(s, node_id, from, to, FROM_ROLLUP, out, f);
}

int stats_compute_raw(struct store *s, int64_t node_id, const char *from, const char *to, struct wo_stats *out,
		      struct fault *f)
{
	return compute(s, node_id, from, to, FROM_ORDERS, out, f);
}

/* ---- ranking ---- */

void stats_ranking_release(struct stats_ranking *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->items[i].name);
	free(r->items);
	free(r->total.name);
	free(r->self.name);
	memset(r, 0, sizeof(*r));
}

static int rank_counts(struct store *s, int64_t node, enum node_level level, int32_t d0, int32_t d1,
		       struct stats_counts *c, struct fault *f)
{
	struct acc a;
	int rc;

	acc_init(&a, d0, d1, 1);
	rc = acc_subtree(s, node, level, d0, d1, FROM_ROLLUP, &a, f);
	*c = a.c;
	acc_release(&a);
	return rc;
}

int stats_ranking(struct store *s, int64_t node_id, const char *from, const char *to, struct stats_ranking *out,
		  struct fault *f)
{
	struct node_ref *kids = NULL;
	struct stats_counts sum;
	enum node_level level;
	int32_t d0, d1;
	size_t n = 0, i;

	memset(out, 0, sizeof(*out));
	if (parse_period(from, to, &d0, &d1, f) < 0 || node_level_of(s, node_id, &level, f) < 0 ||
	    node_children(s, node_id, &kids, &n, f) < 0)
		return -1;
	out->node_id = node_id;
	stat_day_text(d0, out->from);
	stat_day_text(d1, out->to);
	out->items = xcalloc(n ? n : 1, sizeof(*out->items));
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < n; i++) {
		struct stats_rank_item *it = &out->items[out->n++];

		it->node_id = kids[i].id;
		it->name = kids[i].name;
		it->level = kids[i].level;
		kids[i].name = NULL;
		if (rank_counts(s, it->node_id, it->level, d0, d1, &it->c, f) < 0)
			goto fail;
		stats_rates_of(&it->c, &it->r);
		stat_counts_plus(&sum, &it->c);
	}
	out->total.node_id = node_id;
	out->total.level = level;
	if (node_id) {
		struct node nd;

		if (org_node_get(s, node_id, &nd, f) < 0)
			goto fail;
		out->total.name = xstrdup(nd.name);
		node_release(&nd);
		if (rank_counts(s, node_id, level, d0, d1, &out->total.c, f) < 0)
			goto fail;
	} else {
		out->total.c = sum;
	}
	stats_rates_of(&out->total.c, &out->total.r);
	/* Orders placed on the node itself (an address known only to the community) are in no child. */
	out->self = out->total;
	out->self.name = xstrdup_or_null(out->total.name);
	stat_counts_sub(&out->self.c, &sum);
	stats_rates_of(&out->self.c, &out->self.r);
	out->has_self = out->self.c.received != 0;
	node_refs_release(kids, n);
	return 0;
fail:
	node_refs_release(kids, n);
	stats_ranking_release(out);
	return -1;
}
