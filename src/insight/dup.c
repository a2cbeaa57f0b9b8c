/*
 * dup.c - duplicates and repeat callers caught before anyone is dispatched
 * twice (suggest.h).  The pool: orders of the same subdistrict received within
 * days either side, from the same courtyard (the same place when it has none)
 * or with the same caller's phone hash, the newest 500.  Each is scored by the
 * weighted Dice similarity (2 x shared / (one + other)) of the two texts'
 * character and pair features
 * (the suggestion model's features, so a house number or a punctuation mark
 * changes nothing): each feature weighs log((N + 1) / (df + 1)), its rarity
 * among the subdistrict's N most recent orders of the window (at most 2,000).
 * The hotline's boilerplate (来电人反映, 请尽快处理) and the common complaints
 * (漏水, 坏了) weigh little; what the matter is about (东门路灯, 3号楼电梯)
 * weighs most.  An order is kept when
 *   - the texts are alike (similarity >= 0.5) from the same courtyard or place, or
 *   - the caller is the same and the texts are somewhat alike (>= 0.35): a repeat
 *     call about the same matter, wherever it was filed.
 * Orders the actor may not see are left out (wo_visible), so the answer never
 * tells of one.
 */
#include "auth/auth.h"
#include "insight/suggest.h"
#include "util/util.h"
#include "workorder/workorder.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FEATURES 4096
#define ALIKE 0.5
#define ALIKE_SAME_CALLER 0.35

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The text's distinct features, sorted; returns how many. */
static size_t feature_set(const char *text, uint32_t *fs)
{
	size_t n = sg_features(text, fs, MAX_FEATURES), i, j;

	qsort(fs, n, sizeof(*fs), u32_cmp);
	for (i = 0, j = 0; i < n; i++)
		if (!j || fs[j - 1] != fs[i])
			fs[j++] = fs[i];
	return j;
}

/* Document frequencies: the distinct features of a sample of texts, sorted, with how many texts hold each. */
struct dfs {
	uint32_t *feat;
	uint32_t *count;
	size_t n, cap;
	size_t docs;
};

static void dfs_build(struct dfs *d, uint32_t *all, size_t nall, size_t docs)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->docs = docs;
	qsort(all, nall, sizeof(*all), u32_cmp);
	d->feat = xcalloc(nall + 1, sizeof(*d->feat));
	d->count = xcalloc(nall + 1, sizeof(*d->count));
	for (i = 0; i < nall; i++) {
		if (d->n && d->feat[d->n - 1] == all[i]) {
			d->count[d->n - 1]++;
		} else {
			d->feat[d->n] = all[i];
			d->count[d->n++] = 1;
		}
	}
}

static void dfs_release(struct dfs *d)
{
	free(d->feat);
	free(d->count);
}

/* A feature's weight: its rarity in the sample; without a sample every feature weighs 1. */
static double weight(const struct dfs *d, uint32_t f)
{
	size_t lo = 0, hi, df = 0;

	if (!d || !d->docs)
		return 1;
	hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->feat[mid] < f)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < d->n && d->feat[lo] == f)
		df = d->count[lo];
	return log((double)(d->docs + 1) / (double)(df + 1));
}

/*
 * Weighted Dice: what the two share over what each holds, so a report with the hotline's opening and another
 * without it still read as one matter.  (Tuned on a generated set, measured on another: duplicates.test.mjs.)
 */
static double dice(const struct dfs *d, const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0, j = 0;
	double both = 0, total = 0;

	if (!na || !nb)
		return 0;
	while (i < na || j < nb) {
		if (i < na && j < nb && a[i] == b[j]) {
			double w = weight(d, a[i]);

			both += 2 * w;
			total += 2 * w;
			i++;
			j++;
		} else if (j >= nb || (i < na && a[i] < b[j])) {
			total += weight(d, a[i++]);
		} else {
			total += weight(d, b[j++]);
		}
	}
	return total > 0 ? both / total : 0;
}

double dup_similarity(const char *x, const char *y)
{
	uint32_t *a = xcalloc(MAX_FEATURES, sizeof(*a)), *b = xcalloc(MAX_FEATURES, sizeof(*b));
	size_t na = feature_set(x, a), nb = feature_set(y, b);
	double sim = dice(NULL, a, na, b, nb);

	free(a);
	free(b);
	return sim;
}

static const char SQL_SAMPLE[] =
	"SELECT text FROM work_orders WHERE subdistrict_id = ? AND received_at BETWEEN ? AND ?"
	" ORDER BY received_at DESC, id DESC LIMIT 2000";

/* The document frequencies of the window's texts. */
static int sample(struct store *s, int64_t sub, int64_t from, int64_t to, struct dfs *d, struct fault *f)
{
	uint32_t *all = NULL, fs[MAX_FEATURES];
	size_t nall = 0, cap = 0, docs = 0, k, nf;
	struct store_stmt *st = store_query(s, SQL_SAMPLE, "iii", sub, from, to);
	int rc;

	while (store_next(st, &rc)) {
		nf = feature_set(store_column_text(st, 0), fs);
		docs++;
		for (k = 0; k < nf; k++) {
			YL_GROW(all, nall, cap);
			all[nall++] = fs[k];
		}
	}
	if (rc != STORE_DONE) {
		free(all);
		return store_fault(s, rc, f);
	}
	dfs_build(d, all, nall, docs);
	free(all);
	return 0;
}

static const char SQL_ORDER[] =
	"SELECT subdistrict_id, node_id, courtyard_id, text, caller_phone_hash, received_at FROM work_orders WHERE id = ?";
static const char SQL_POOL[] =
	"SELECT id, number, state, received_at, node_id, courtyard_id, text, caller_phone_hash, handler_node_id, created_by"
	" FROM work_orders WHERE subdistrict_id = ? AND id <> ? AND received_at BETWEEN ? AND ?"
	"  AND (node_id = ? OR (CAST(? AS INTEGER) <> 0 AND courtyard_id = ?)"
	"   OR (CAST(? AS TEXT) IS NOT NULL AND caller_phone_hash = ?))"
	" ORDER BY received_at DESC, id DESC LIMIT 500";

struct found {
	struct dup_candidate c;
	int64_t node_id, handler_node_id, created_by;
};

static int by_score(const void *a, const void *b)
{
	const struct dup_candidate *x = &((const struct found *)a)->c, *y = &((const struct found *)b)->c;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->received_at > y->received_at ? -1 : x->received_at < y->received_at;
}

int dup_candidates(struct store *s, const struct actor *a, int64_t id, int days, struct dup_candidate *out, size_t k,
		   size_t *n, struct fault *f)
{
	struct found *found = NULL;
	struct store_stmt *st;
	struct dfs d;
	uint32_t *mine, *theirs;
	size_t nmine, nfound = 0, cap = 0, i;
	int64_t sub, node, yard, at;
	char *hash;
	int rc;

	*n = 0;
	if (store_get_by_id(s, SQL_ORDER, id, "work order", &st, f) < 0)
		return -1;
	sub = store_column_int64(st, 0);
	node = store_column_int64(st, 1);
	yard = store_column_int64(st, 2);
	mine = xcalloc(MAX_FEATURES, sizeof(*mine));
	theirs = xcalloc(MAX_FEATURES, sizeof(*theirs));
	nmine = feature_set(store_column_text(st, 3), mine);
	hash = store_column_dup(st, 4);
	at = store_column_int64(st, 5);
	store_done(st);
	if (sample(s, sub, at - (int64_t)days * 86400, at + (int64_t)days * 86400, &d, f) < 0) {
		free(mine);
		free(theirs);
		free(hash);
		return -1;
	}
	st = store_query(s, SQL_POOL, "iiiiiiitt", sub, id, at - (int64_t)days * 86400, at + (int64_t)days * 86400, node,
			 yard, yard, hash, hash);
	while (store_next(st, &rc)) {
		struct found c = { 0 };
		const char *their_hash = store_column_text(st, 7);
		int same_caller = hash && their_hash && !strcmp(hash, their_hash);
		int same_place = store_column_int64(st, 4) == node;
		int same_yard = yard && store_column_int64(st, 5) == yard;

		c.c.similarity = dice(&d, mine, nmine, theirs, feature_set(store_column_text(st, 6), theirs));
		if (!(((same_place || same_yard) && c.c.similarity >= ALIKE) || (same_caller && c.c.similarity >= ALIKE_SAME_CALLER)))
			continue;
		c.node_id = store_column_int64(st, 4);
		c.handler_node_id = store_column_int64(st, 8);
		c.created_by = store_column_int64(st, 9);
		c.c.id = store_column_int64(st, 0);
		store_column_copy(st, 1, c.c.number, sizeof(c.c.number));
		store_column_copy(st, 2, c.c.state, sizeof(c.c.state));
		c.c.received_at = store_column_int64(st, 3);
		c.c.reasons = (same_caller ? DUP_SAME_CALLER : 0) | (same_place ? DUP_SAME_PLACE : 0) |
			    (same_yard ? DUP_SAME_COURTYARD : 0) | (c.c.similarity >= ALIKE ? DUP_SIMILAR_TEXT : 0);
		c.c.score = c.c.similarity + (same_caller ? 0.3 : 0) + (same_place ? 0.2 : 0);
		YL_GROW(found, nfound, cap);
		found[nfound++] = c;
	}
	free(mine);
	free(theirs);
	free(hash);
	dfs_release(&d);
	if (rc != STORE_DONE) {
		free(found);
		return store_fault(s, rc, f);
	}
	if (nfound)
		qsort(found, nfound, sizeof(*found), by_score);
	/* Only what the actor may see (after the pool is read: one statement at a time on the connection). */
	for (i = 0; i < nfound && *n < k; i++) {
		struct wo_order o = { 0 };
		int vis;

		o.node_id = found[i].node_id;
		o.handler_node_id = found[i].handler_node_id;
		o.created_by = found[i].created_by;
		if ((vis = wo_visible(s, a, &o)) < 0) {
			free(found);
			return store_fault(s, STORE_ERROR, f);
		}
		if (vis)
			out[(*n)++] = found[i].c;
	}
	free(found);
	return 0;
}
