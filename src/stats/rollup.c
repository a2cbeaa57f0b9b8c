/*
 * rollup.c - the hook: each write to work_orders moves the rollup rows by
 * the difference between what the order added to the figures before and what
 * it adds now (contrib.c), in the writer's transaction.  A write that changes
 * no figure (an extension request, a refused return) writes nothing.
 */
#include "stats/stats_internal.h"
#include "util/util.h"

#include <string.h>

#define COL_(name) ", " #name
#define QMARK_(name) ", ?"
#define SET_(name) ", " #name " = wo_rollup." #name " + excluded." #name

static const char SQL_ROLLUP_ADD[] =
	"INSERT INTO wo_rollup (node_id, span, period, subdistrict_id" STATS_COUNTERS(COL_) ")"
	" VALUES (?, ?, ?, ?" STATS_COUNTERS(QMARK_) ")"
	" ON CONFLICT (node_id, span, period) DO UPDATE SET subdistrict_id = excluded.subdistrict_id"
	STATS_COUNTERS(SET_);


static const char SQL_CATEGORY_ADD[] =
	"INSERT INTO wo_rollup_category (node_id, span, period, category_id, subdistrict_id, n) VALUES (?, ?, ?, ?, ?, ?)"
	" ON CONFLICT (node_id, span, period, category_id) DO UPDATE SET n = wo_rollup_category.n + excluded.n";

static const char SQL_ROLLUP_HIST[] = "SELECT hist FROM wo_rollup WHERE node_id = ? AND span = ? AND period = ?";
static const char SQL_ROLLUP_SET_HIST[] = "UPDATE wo_rollup SET hist = ? WHERE node_id = ? AND span = ? AND period = ?";

static int exec_done(struct store *s, struct store_stmt *st, struct fault *f)
{
	int rc = store_step(st);

	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

int stat_rollup_add(struct store *s, const struct stat_key *k, const char *span, const char *period,
		    const int64_t *v, struct fault *f)
{
	struct store_stmt *st;
	int i;

	st = store_query(s, SQL_ROLLUP_ADD, "itti", (int64_t)k->node, span, period, (int64_t)k->subdistrict);
	for (i = 0; i < STATS_NCOUNTERS; i++)
		store_bind_int64(st, 5 + i, v[i]);
	return exec_done(s, st, f);
}

static const char SQL_ROLLUP_PUT[] =
	"INSERT INTO wo_rollup (node_id, span, period, subdistrict_id" STATS_COUNTERS(COL_) ", hist)"
	" VALUES (?, ?, ?, ?" STATS_COUNTERS(QMARK_) ", ?)";

int stat_rollup_put(struct store *s, const struct stat_key *k, const char *span, const char *period,
		    const int64_t *v, const char *hist, struct fault *f)
{
	struct store_stmt *st;
	int i;

	st = store_query(s, SQL_ROLLUP_PUT, "itti", (int64_t)k->node, span, period, (int64_t)k->subdistrict);
	for (i = 0; i < STATS_NCOUNTERS; i++)
		store_bind_int64(st, 5 + i, v[i]);
	store_bind_text(st, 5 + STATS_NCOUNTERS, hist);
	return exec_done(s, st, f);
}

int stat_rollup_add_category(struct store *s, const struct stat_key *k, const char *span, const char *period,
			     int64_t category, int64_t n, struct fault *f)
{
	struct store_stmt *st;

	st = store_query(s, SQL_CATEGORY_ADD, "ittiii", (int64_t)k->node, span, period, (int64_t)category,
			 (int64_t)k->subdistrict, (int64_t)n);
	return exec_done(s, st, f);
}

int stat_rollup_move_bucket(struct store *s, const struct stat_key *k, const char *span, const char *period,
			    int minus, int plus, struct fault *f)
{
	struct store_stmt *st;
	int64_t hist[STATS_BUCKETS];
	struct buf text = BUF_INIT;
	int rc;

	memset(hist, 0, sizeof(hist));
	st = store_query(s, SQL_ROLLUP_HIST, "itt", (int64_t)k->node, span, period);
	rc = store_step(st);
	if (rc == STORE_ROW)
		stat_hist_parse(store_column_text(st, 0), hist);
	store_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return store_fault(s, rc, f);
	/* The counters were moved first: the row is there. */
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_INTERNAL, NULL, "no rollup row %s %s of node %lld", span, period,
				 (long long)k->node);
	if (minus >= 0 && minus < STATS_BUCKETS)
		hist[minus]--;
	if (plus >= 0 && plus < STATS_BUCKETS)
		hist[plus]++;
	buf_init(&text);
	stat_hist_format(hist, &text);
	st = store_query(s, SQL_ROLLUP_SET_HIST, "titt", text.data, (int64_t)k->node, span, period);
	buf_release(&text);
	return exec_done(s, st, f);
}

/* The day row and the month row of the key, each moved by v / by n. */
static int add_counters(struct store *s, const struct stat_key *k, const int64_t *v, struct fault *f)
{
	char day[11], month[8];

	stat_day_text(k->day, day);
	stat_month_text(k->day, month);
	if (stat_rollup_add(s, k, "day", day, v, f) < 0 || stat_rollup_add(s, k, "month", month, v, f) < 0)
		return -1;
	return 0;
}

static int add_category(struct store *s, const struct stat_key *k, int64_t category, int64_t n, struct fault *f)
{
	char day[11], month[8];

	stat_day_text(k->day, day);
	stat_month_text(k->day, month);
	if (stat_rollup_add_category(s, k, "day", day, category, n, f) < 0 ||
	    stat_rollup_add_category(s, k, "month", month, category, n, f) < 0)
		return -1;
	return 0;
}

static int move_bucket(struct store *s, const struct stat_key *k, int minus, int plus, struct fault *f)
{
	char day[11], month[8];

	if (minus == plus)
		return 0;
	stat_day_text(k->day, day);
	stat_month_text(k->day, month);
	if (stat_rollup_move_bucket(s, k, "day", day, minus, plus, f) < 0 ||
	    stat_rollup_move_bucket(s, k, "month", month, minus, plus, f) < 0)
		return -1;
	return 0;
}

static int any_nonzero(const int64_t *v)
{
	int i;

	for (i = 0; i < STATS_NCOUNTERS; i++)
		if (v[i])
			return 1;
	return 0;
}

/* A card is counted when it is given: the card changes to yellow or red. */
static void count_cards(const struct stat_row *b, const struct stat_row *a, int64_t *v)
{
	if (!a || (b && strcmp(b->card, a->card) == 0))
		return;
	if (strcmp(a->card, "yellow") == 0)
		v[SC_yellow_cards]++;
	else if (strcmp(a->card, "red") == 0)
		v[SC_red_cards]++;
}

static int key_of(struct store *s, const struct stat_row *r, struct stat_key *k, struct fault *f)
{
	k->subdistrict = r->subdistrict_id;
	k->day = stat_day_of(r);
	return stat_node_of(s, r->node_id, &k->node, f);
}

/* Both sides are in the same rows: only the difference is written. */
static int apply_same_key(struct store *s, const struct stat_row *b, const struct stat_row *a,
			  const struct stat_key *k, struct fault *f)
{
	struct stat_contrib cb, ca;
	int64_t delta[STATS_NCOUNTERS];
	int with_handling, i;

	/*
	 * When neither the receipt nor the standing reply moved, the handling
	 * time is the same on both sides: it is not recomputed, so a calendar
	 * loaded since cannot make the two sides differ.
	 */
	with_handling = (b->settled_level[0] != '\0') != (a->settled_level[0] != '\0') ||
			b->received_at != a->received_at || b->replied_at != a->replied_at;
	if (stat_contrib_of(s, b, with_handling, &cb, f) < 0 || stat_contrib_of(s, a, with_handling, &ca, f) < 0)
		return -1;
	for (i = 0; i < STATS_NCOUNTERS; i++)
		delta[i] = ca.v[i] - cb.v[i];
	count_cards(b, a, delta);
	if (any_nonzero(delta) && add_counters(s, k, delta, f) < 0)
		return -1;
	if (move_bucket(s, k, cb.bucket, ca.bucket, f) < 0)
		return -1;
	if (b->category_id != a->category_id) {
		int64_t tb, ta;

		if (stat_category_top(s, b->category_id, &tb, f) < 0 || stat_category_top(s, a->category_id, &ta, f) < 0)
			return -1;
		if (tb != ta && (add_category(s, k, tb, -1, f) < 0 || add_category(s, k, ta, 1, f) < 0))
			return -1;
	}
	return 0;
}

/* One side: sign -1 takes the order out of its rows, +1 puts it in. */
static int apply_side(struct store *s, const struct stat_row *r, const struct stat_row *before, int sign,
		      struct fault *f)
{
	struct stat_contrib c;
	struct stat_key k;
	int64_t top;
	int i;

	if (key_of(s, r, &k, f) < 0 || stat_contrib_of(s, r, 1, &c, f) < 0 ||
	    stat_category_top(s, r->category_id, &top, f) < 0)
		return -1;
	for (i = 0; i < STATS_NCOUNTERS; i++)
		c.v[i] *= sign;
	if (sign > 0)
		count_cards(before, r, c.v);
	if (add_counters(s, &k, c.v, f) < 0 ||
	    move_bucket(s, &k, sign < 0 ? c.bucket : -1, sign > 0 ? c.bucket : -1, f) < 0 ||
	    add_category(s, &k, top, sign, f) < 0)
		return -1;
	return 0;
}

static int apply(struct store *s, const struct stat_row *b, const struct stat_row *a, struct fault *f)
{
	struct stat_key k;
	int rc;

	if (!b && !a)
		return 0;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (b && a && b->node_id == a->node_id && b->subdistrict_id == a->subdistrict_id &&
	    stat_day_of(b) == stat_day_of(a)) {
		if (key_of(s, a, &k, f) < 0 || apply_same_key(s, b, a, &k, f) < 0)
			goto fail;
	} else if ((b && apply_side(s, b, NULL, -1, f) < 0) || (a && apply_side(s, a, b, 1, f) < 0)) {
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int stats_on_event(struct store *s, const struct stat_row *before, const struct stat_row *after, struct fault *f)
{
	return apply(s, before, after, f);
}

static const char SQL_ORDER_ROW[] = "SELECT " STAT_ROW_COLUMNS " FROM work_orders w WHERE w.id = ?";

int stats_on_write(struct store *s, const struct stat_row *before, int64_t order_id, struct fault *f)
{
	struct store_stmt *st;
	struct stat_row a;
	int rc;

	st = store_query(s, SQL_ORDER_ROW, "i", (int64_t)order_id);
	rc = store_step(st);
	if (rc == STORE_ROW)
		stat_row_read(st, 0, &a);
	store_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return store_fault(s, rc, f);
	return apply(s, before, rc == STORE_ROW ? &a : NULL, f);
}
