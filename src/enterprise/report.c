/*
 * report.c - the month's figures for the enterprises under a node (issue 15,
 * "the monthly report"): totals of every measure with the month before and
 * the same month a year before (growth is the reader's: growth.c), the three
 * largest by output against all the others and their increments, the largest
 * contributors to the increment and the fastest growers year on year, the
 * enterprises that became above scale this year, the problems raised and
 * closed in the month, and the month's service activity (visits, events,
 * policy documents handed out).  Every number is a query over stored rows.
 *
 * Increments compare like with like: an enterprise counts in an increment
 * only when it reported output in both months.
 */
#include "enterprise/enterprise.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNDER                                                                                                  \
	" (CAST(? AS INTEGER) = 0 OR e.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"

static const char SQL_TOTALS[] =
	"SELECT i.month, count(*), sum(i.output), sum(i.sales), sum(i.taxes), sum(i.investment), sum(i.energy)"
	" FROM enterprise_indicators i JOIN enterprises e ON e.id = i.enterprise_id"
	" WHERE" UNDER " AND i.month IN (?, ?, ?) GROUP BY i.month";
static const char SQL_ROWS[] =
	"SELECT e.id, e.name, c.output, p.output, l.output FROM enterprise_indicators c"
	" JOIN enterprises e ON e.id = c.enterprise_id"
	" LEFT JOIN enterprise_indicators p ON p.enterprise_id = c.enterprise_id AND p.month = ?"
	" LEFT JOIN enterprise_indicators l ON l.enterprise_id = c.enterprise_id AND l.month = ?"
	" WHERE" UNDER " AND c.month = ? AND c.output IS NOT NULL ORDER BY c.output DESC, e.id";
static const char SQL_NEW_ABOVE_SCALE[] =
	"SELECT count(*) FROM enterprises e WHERE" UNDER
	" AND e.above_scale = 1 AND e.above_scale_since >= ? AND e.above_scale_since <= ?";
static const char SQL_RAISED[] =
	"SELECT count(*) FROM enterprise_problems p JOIN enterprises e ON e.id = p.enterprise_id WHERE" UNDER
	" AND p.raised_on >= ? AND p.raised_on < ?";
static const char SQL_CLOSED[] =
	"SELECT count(*) FROM enterprise_problems p JOIN enterprises e ON e.id = p.enterprise_id WHERE" UNDER
	" AND p.state = 'closed' AND p.closed_at >= ? AND p.closed_at < ?";

static const char SQL_VISITS[] =
	"SELECT count(*) FROM enterprise_visits v JOIN enterprises e ON e.id = v.enterprise_id WHERE" UNDER
	" AND v.visited_on >= ? AND v.visited_on < ?";
#define UNDER_NODE(col)                                                                                        \
	" (CAST(? AS INTEGER) = 0 OR " col " IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
static const char SQL_EVENTS[] =
	"SELECT count(*) FROM enterprise_events v WHERE" UNDER_NODE("v.node_id") " AND v.held_on >= ? AND v.held_on < ?";
static const char SQL_COPIES[] =
	"SELECT COALESCE(sum(h.copies), 0) FROM policy_handouts h WHERE" UNDER_NODE("h.node_id")
	" AND h.handed_on >= ? AND h.handed_on < ?";

static void row_release(struct enterprise_report_row *r)
{
	free(r->name);
	memset(r, 0, sizeof(*r));
}

void enterprise_month_report_release(struct enterprise_month_report *r)
{
	size_t i;

	for (i = 0; i < r->nleaders; i++)
		row_release(&r->leaders[i]);
	for (i = 0; i < r->ncontributors; i++)
		row_release(&r->contributors[i]);
	for (i = 0; i < r->ngrowers; i++)
		row_release(&r->growers[i]);
	memset(r, 0, sizeof(*r));
}

static struct enterprise_report_row row_copy(const struct enterprise_report_row *r)
{
	struct enterprise_report_row c = *r;

	c.name = xstrdup_or_null(r->name);
	return c;
}

struct rows {
	struct enterprise_report_row *items;
	size_t n, cap;
};

static int by_increment(const void *a, const void *b)
{
	const struct enterprise_report_row *x = a, *y = b;
	int64_t dx = x->output - x->prev_output, dy = y->output - y->prev_output;

	return dx < dy ? 1 : dx > dy ? -1 : (x->enterprise_id > y->enterprise_id) - (x->enterprise_id < y->enterprise_id);
}

static int by_yoy(const void *a, const void *b)
{
	const struct enterprise_report_row *x = a, *y = b;
	int64_t gx = 0, gy = 0;

	enterprise_growth_tenths(x->output, x->last_year_output, &gx);
	enterprise_growth_tenths(y->output, y->last_year_output, &gy);
	return gx < gy ? 1 : gx > gy ? -1 : (x->enterprise_id > y->enterprise_id) - (x->enterprise_id < y->enterprise_id);
}

/* count(*) of one of the statements above, with the node and two text bounds. */
static int count_between(struct store *s, const char *sql, int64_t under, const char *lo, const char *hi,
			 int64_t *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, sql, "iitt", under, under, lo, hi);
	int rc;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*out = store_column_int64(st, 0);
	store_done(st);
	return 0;
}

static int read_totals(struct store *s, int64_t under, struct enterprise_month_report *r, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_TOTALS, "iittt", under, under, r->month, r->prev_month,
					    r->last_year_month);
	int rc, m;

	while (store_next(st, &rc)) {
		const char *month = store_column_text(st, 0);
		int64_t *into = r->total_last_year;
		int *has = r->has_last_year;

		if (!strcmp(month, r->month)) {
			into = r->total;
			has = r->has;
			r->reporting = store_column_int64(st, 1);
		} else if (!strcmp(month, r->prev_month)) {
			into = r->total_prev;
			has = r->has_prev;
		}
		for (m = 0; m < EM_COUNT; m++) {
			has[m] = !store_column_is_null(st, 2 + m);
			into[m] = has[m] ? store_column_int64(st, 2 + m) : 0;
		}
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

static int read_rows(struct store *s, int64_t under, struct enterprise_month_report *r, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_ROWS, "ttiit", r->prev_month, r->last_year_month, under, under,
					    r->month);
	struct rows all = { 0 }, with_prev = { 0 }, with_last = { 0 };
	size_t i;
	int rc;

	while (store_next(st, &rc)) {
		struct enterprise_report_row *x;

		YL_GROW(all.items, all.n, all.cap);
		x = &all.items[all.n++];
		memset(x, 0, sizeof(*x));
		x->enterprise_id = store_column_int64(st, 0);
		x->name = store_column_dup(st, 1);
		x->output = store_column_int64(st, 2);
		x->has_prev = !store_column_is_null(st, 3);
		x->prev_output = x->has_prev ? store_column_int64(st, 3) : 0;
		x->has_last_year = !store_column_is_null(st, 4);
		x->last_year_output = x->has_last_year ? store_column_int64(st, 4) : 0;
	}
	if (rc != STORE_DONE) {
		YL_LIST_RELEASE(&all, row_release);
		return store_fault(s, rc, f);
	}
	/* Rows come largest first: the first three lead. */
	for (i = 0; i < all.n; i++) {
		struct enterprise_report_row *x = &all.items[i];
		int64_t inc = x->has_prev ? x->output - x->prev_output : 0;

		if (i < 3) {
			r->leaders[r->nleaders++] = row_copy(x);
			r->leaders_output += x->output;
			r->leaders_increment += inc;
		} else {
			r->rest_output += x->output;
			r->rest_increment += inc;
		}
		if (x->has_prev) {
			YL_GROW(with_prev.items, with_prev.n, with_prev.cap);
			with_prev.items[with_prev.n++] = *x;
		}
		if (x->has_last_year && x->last_year_output > 0) {
			YL_GROW(with_last.items, with_last.n, with_last.cap);
			with_last.items[with_last.n++] = *x;
		}
	}
	if (with_prev.n)
		qsort(with_prev.items, with_prev.n, sizeof(with_prev.items[0]), by_increment);
	if (with_last.n)
		qsort(with_last.items, with_last.n, sizeof(with_last.items[0]), by_yoy);
	for (i = 0; i < with_prev.n && i < ENTERPRISE_REPORT_TOP; i++)
		r->contributors[r->ncontributors++] = row_copy(&with_prev.items[i]);
	for (i = 0; i < with_last.n && i < ENTERPRISE_REPORT_TOP; i++)
		r->growers[r->ngrowers++] = row_copy(&with_last.items[i]);
	/* with_* borrowed the names of all. */
	free(with_prev.items);
	free(with_last.items);
	YL_LIST_RELEASE(&all, row_release);
	return 0;
}

/* The UTC store text of 00:00 (Asia/Shanghai) on the first of month. */
static void month_start_utc(const char *month, char out[32])
{
	char local[24];
	int64_t t = 0;

	snprintf(local, sizeof(local), "%s-01 00:00:00", month);
	time_parse(local, 0, &t);
	time_format_utc(t, out, 32);
}

int enterprise_month_report(struct store *s, int64_t under_id, const char *month, struct enterprise_month_report *out,
			    struct fault *f)
{
	char next[8], lo[11], hi[11], jan[8], lo_utc[32], hi_utc[32];

	memset(out, 0, sizeof(*out));
	if (!month)
		return fault_set(f, FAULT_INVALID, "month", "month is required (YYYY-MM)");
	if (enterprise_month_check("month", month, f) < 0)
		return -1;
	snprintf(out->month, sizeof(out->month), "%s", month);
	enterprise_month_add(month, -1, out->prev_month);
	enterprise_month_add(month, -12, out->last_year_month);
	enterprise_month_add(month, 1, next);
	snprintf(jan, sizeof(jan), "%.4s-01", month);
	snprintf(lo, sizeof(lo), "%s-01", month);
	snprintf(hi, sizeof(hi), "%s-01", next);
	month_start_utc(month, lo_utc);
	month_start_utc(next, hi_utc);
	if (read_totals(s, under_id, out, f) < 0 || read_rows(s, under_id, out, f) < 0 ||
	    count_between(s, SQL_NEW_ABOVE_SCALE, under_id, jan, month, &out->new_above_scale, f) < 0 ||
	    count_between(s, SQL_RAISED, under_id, lo, hi, &out->problems_raised, f) < 0 ||
	    count_between(s, SQL_CLOSED, under_id, lo_utc, hi_utc, &out->problems_closed, f) < 0 ||
	    count_between(s, SQL_VISITS, under_id, lo, hi, &out->visits, f) < 0 ||
	    count_between(s, SQL_EVENTS, under_id, lo, hi, &out->events, f) < 0 ||
	    count_between(s, SQL_COPIES, under_id, lo, hi, &out->handout_copies, f) < 0) {
		enterprise_month_report_release(out);
		return -1;
	}
	return 0;
}
