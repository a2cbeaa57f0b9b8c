/*
 * suggest.c - the suggested category (naive Bayes over characters and
 * character pairs) and handler (who settled such orders) of suggest.h.
 *
 * Training counts, for every feature f and category c, how often f occurred
 * in the texts filed under c (n_cf), and per category its documents (D_c) and
 * feature occurrences (N_c).  A text t of L known features scores
 *
 *   score_c = log(D_c / D) + sum over f in t of log((n_cf + a) / (N_c + a V))
 *
 * (Laplace smoothing a = 1, V distinct features).  Most n_cf are 0, so the sum
 * is computed as L (log a - log(N_c + a V)) plus, for the few categories that
 * saw f, log(n_cf + a) - log a: the cost is the text's features times the
 * categories that share them, not times every category.  The scores become
 * probabilities by a softmax.  A feature no category saw counts for none.
 *
 * The model is three sorted arrays: the distinct features, for each the start
 * of its run in (category index, count) pairs.  Built by sorting one array of
 * (feature, category) pairs: O(N log N) in the features of the training set.
 */
#include "insight/suggest.h"
#include "util/util.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ALPHA 1.0
#define MAX_TEXT_FEATURES 4096

struct sg_model {
	size_t ncat;
	int64_t *cat_id;		/* [ncat] */
	double *prior;			/* [ncat] log(D_c / D) */
	double *norm;			/* [ncat] log a - log(N_c + a V) */
	size_t nfeat;
	uint32_t *feat;			/* [nfeat] sorted */
	uint32_t *start;		/* [nfeat + 1] into cat/cnt */
	uint32_t *cat;			/* category index of each pair */
	uint32_t *cnt;			/* n_cf */
	size_t docs;
};

/* ---- features ---- */

/* The next code point of UTF-8 text, or -1 at the end; invalid bytes are skipped as U+FFFD. */
static long next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	long c;
	int n, i;

	if (!*s)
		return -1;
	if (*s < 0x80) {
		*p = s + 1;
		return *s;
	}
	if ((*s & 0xE0) == 0xC0) {
		c = *s & 0x1F;
		n = 1;
	} else if ((*s & 0xF0) == 0xE0) {
		c = *s & 0x0F;
		n = 2;
	} else if ((*s & 0xF8) == 0xF0) {
		c = *s & 0x07;
		n = 3;
	} else {
		*p = s + 1;
		return 0xFFFD;
	}
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + i;
			return 0xFFFD;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*p = s + n + 1;
	return c;
}

/*
 * A character that carries meaning: letters, digits and CJK ideographs.  Spaces, punctuation (ASCII, CJK
 * and full-width) and symbols break the text into runs; pairs never cross a break.  ASCII letters fold to
 * lower case, full-width letters and digits to ASCII; digits fold to one, so house numbers do not split a
 * category's vocabulary.
 */
static long fold(long c)
{
	if (c >= 0xFF10 && c <= 0xFF19)
		c = c - 0xFF10 + '0';
	else if (c >= 0xFF21 && c <= 0xFF3A)
		c = c - 0xFF21 + 'a';
	else if (c >= 0xFF41 && c <= 0xFF5A)
		c = c - 0xFF41 + 'a';
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if ((c >= 'a' && c <= 'z') || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	    (c >= 0x20000 && c <= 0x2FFFF))
		return c;
	if (c >= '0' && c <= '9')
		return '0';
	return 0;
}

static uint32_t hash2(long a, long b)
{
	uint32_t h = 2166136261u;
	long v[2] = { a, b };
	int i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 4; j++) {
			h ^= (uint32_t)((unsigned long)v[i] >> (8 * j)) & 0xFF;
			h *= 16777619u;
		}
	return h;
}

size_t sg_features(const char *text, uint32_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	long c, prev = 0;
	size_t n = 0;

	while (n < max && (c = next_cp(&p)) >= 0) {
		c = fold(c);
		if (!c) {
			prev = 0;
			continue;
		}
		if (c == '0' && prev == '0')
			continue;	/* a number is one digit */
		out[n++] = hash2(c, -1);
		if (prev && n < max)
			out[n++] = hash2(prev, c);
		prev = c;
	}
	return n;
}

/* ---- training ---- */

struct pair {
	uint32_t feat;
	uint32_t cat;
};

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->feat != y->feat)
		return x->feat < y->feat ? -1 : 1;
	return x->cat < y->cat ? -1 : x->cat > y->cat;
}

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t cat_index(const struct sg_model *m, int64_t id)
{
	const int64_t *hit = bsearch(&id, m->cat_id, m->ncat, sizeof(*m->cat_id), id_cmp);

	return (uint32_t)(hit - m->cat_id);
}

struct sg_model *sg_train(const struct sg_doc *docs, size_t n)
{
	struct sg_model *m;
	struct pair *pairs = NULL;
	size_t npairs = 0, cap = 0, i, j, k, total = 0;
	uint32_t fs[MAX_TEXT_FEATURES];
	double *ndocs, *nfeat;

	m = xcalloc(1, sizeof(*m));
	m->cat_id = xcalloc(n ? n : 1, sizeof(*m->cat_id));
	for (i = 0; i < n; i++)
		if (docs[i].text && docs[i].category_id > 0)
			m->cat_id[m->ncat++] = docs[i].category_id;
	if (!m->ncat) {
		sg_model_free(m);
		return NULL;
	}
	qsort(m->cat_id, m->ncat, sizeof(*m->cat_id), id_cmp);
	for (i = 1, j = 1; i < m->ncat; i++)
		if (m->cat_id[i] != m->cat_id[j - 1])
			m->cat_id[j++] = m->cat_id[i];
	m->ncat = j;
	ndocs = xcalloc(m->ncat, sizeof(*ndocs));
	nfeat = xcalloc(m->ncat, sizeof(*nfeat));
	for (i = 0; i < n; i++) {
		uint32_t c;
		size_t nf;

		if (!docs[i].text || docs[i].category_id <= 0)
			continue;
		c = cat_index(m, docs[i].category_id);
		nf = sg_features(docs[i].text, fs, MAX_TEXT_FEATURES);
		ndocs[c]++;
		nfeat[c] += (double)nf;
		total++;
		for (k = 0; k < nf; k++) {
			YL_GROW(pairs, npairs, cap);
			pairs[npairs].feat = fs[k];
			pairs[npairs++].cat = c;
		}
	}
	qsort(pairs, npairs, sizeof(*pairs), pair_cmp);
	/* Distinct features, and (category, count) runs under each. */
	m->feat = xcalloc(npairs + 1, sizeof(*m->feat));
	m->start = xcalloc(npairs + 2, sizeof(*m->start));
	m->cat = xcalloc(npairs + 1, sizeof(*m->cat));
	m->cnt = xcalloc(npairs + 1, sizeof(*m->cnt));
	for (i = 0, k = 0; i < npairs; i++) {
		if (!i || pairs[i].feat != pairs[i - 1].feat) {
			m->feat[m->nfeat] = pairs[i].feat;
			m->start[m->nfeat++] = (uint32_t)k;
		}
		if (i && pairs[i].feat == pairs[i - 1].feat && pairs[i].cat == pairs[i - 1].cat) {
			m->cnt[k - 1]++;
		} else {
			m->cat[k] = pairs[i].cat;
			m->cnt[k++] = 1;
		}
	}
	m->start[m->nfeat] = (uint32_t)k;
	free(pairs);
	m->prior = xcalloc(m->ncat, sizeof(*m->prior));
	m->norm = xcalloc(m->ncat, sizeof(*m->norm));
	for (i = 0; i < m->ncat; i++) {
		m->prior[i] = log(ndocs[i] / (double)total);
		m->norm[i] = log(ALPHA) - log(nfeat[i] + ALPHA * (double)m->nfeat);
	}
	m->docs = total;
	free(ndocs);
	free(nfeat);
	return m;
}

void sg_model_free(struct sg_model *m)
{
	if (!m)
		return;
	free(m->cat_id);
	free(m->prior);
	free(m->norm);
	free(m->feat);
	free(m->start);
	free(m->cat);
	free(m->cnt);
	free(m);
}

size_t sg_model_docs(const struct sg_model *m)
{
	return m ? m->docs : 0;
}

size_t sg_model_features(const struct sg_model *m)
{
	return m ? m->nfeat : 0;
}

/* ---- prediction ---- */

static long feat_find(const struct sg_model *m, uint32_t f)
{
	size_t lo = 0, hi = m->nfeat;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->feat[mid] < f)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nfeat && m->feat[lo] == f ? (long)lo : -1;
}

size_t sg_predict(const struct sg_model *m, const char *text, struct sg_guess *out, size_t k)
{
	uint32_t fs[MAX_TEXT_FEATURES];
	size_t nf, i, j, known = 0, n = 0;
	double *score, best, sum = 0;

	if (!m || !k)
		return 0;
	nf = sg_features(text, fs, MAX_TEXT_FEATURES);
	score = xcalloc(m->ncat, sizeof(*score));
	for (i = 0; i < nf; i++) {
		long at = feat_find(m, fs[i]);

		if (at < 0)
			continue;
		known++;
		for (j = m->start[at]; j < m->start[at + 1]; j++)
			score[m->cat[j]] += log((double)m->cnt[j] + ALPHA) - log(ALPHA);
	}
	if (!known) {
		free(score);
		return 0;
	}
	best = -INFINITY;
	for (i = 0; i < m->ncat; i++) {
		score[i] += m->prior[i] + (double)known * m->norm[i];
		if (score[i] > best)
			best = score[i];
	}
	for (i = 0; i < m->ncat; i++) {
		score[i] = exp(score[i] - best);
		sum += score[i];
	}
	/* The k best by selection: k is small. */
	while (n < k && n < m->ncat) {
		size_t top = 0;

		for (i = 1; i < m->ncat; i++)
			if (score[i] > score[top])
				top = i;
		if (score[top] < 0)
			break;
		out[n].category_id = m->cat_id[top];
		out[n++].confidence = score[top] / sum;
		score[top] = -1;
	}
	free(score);
	return n;
}

/* ---- the store ---- */

static const char SQL_DOCS[] =
	"SELECT category_id, text, received_at, node_id, handler_node_id, courtyard_id, community_id, type FROM ("
	" SELECT category_id, text, received_at, node_id, handler_node_id, courtyard_id, community_id, type"
	" FROM work_orders"
	" WHERE subdistrict_id = ? AND state = 'closed' AND category_id IS NOT NULL AND text IS NOT NULL"
	" ORDER BY received_at DESC, id DESC LIMIT ?) recent ORDER BY received_at, category_id";

int sg_docs_load(struct store *s, int64_t subdistrict_id, size_t limit, struct sg_docs *out, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_DOCS, "ii", subdistrict_id, (int64_t)limit);
	while (store_next(st, &rc)) {
		struct sg_doc *d;

		YL_GROW(out->items, out->n, out->alloc);
		d = &out->items[out->n++];
		d->category_id = store_column_int64(st, 0);
		d->text = store_column_dup(st, 1);
		d->received_at = store_column_int64(st, 2);
		d->node_id = store_column_int64(st, 3);
		d->handler_node_id = store_column_int64(st, 4);
		d->courtyard_id = store_column_int64(st, 5);
		d->community_id = store_column_int64(st, 6);
		store_column_copy(st, 7, d->type, sizeof(d->type));
	}
	if (rc != STORE_DONE) {
		sg_docs_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

void sg_docs_release(struct sg_docs *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->items[i].text);
	free(d->items);
	memset(d, 0, sizeof(*d));
}

/*
 * Who settled closed orders of the category from the place's courtyard; with none there, from its community;
 * else anywhere in the subdistrict.  The ancestors come from the closure, so a building or household place
 * finds its courtyard.
 */
static const char SQL_SETTLERS[] =
	"SELECT w.handler_node_id, count(*) FROM work_orders w"
	" WHERE w.subdistrict_id = ? AND w.state = 'closed' AND w.category_id = ? AND w.handler_node_id IS NOT NULL"
	"  AND w.received_at >= ?"
	"  AND (CAST(? AS TEXT) = 'subdistrict'"
	"   OR (CAST(? AS TEXT) = 'courtyard' AND w.courtyard_id = (SELECT c.ancestor_id FROM node_closure c"
	"       JOIN nodes a ON a.id = c.ancestor_id WHERE c.descendant_id = ? AND a.level = 'courtyard'))"
	"   OR (CAST(? AS TEXT) = 'community' AND w.community_id = (SELECT c.ancestor_id FROM node_closure c"
	"       JOIN nodes a ON a.id = c.ancestor_id WHERE c.descendant_id = ? AND a.level = 'community')))"
	" GROUP BY w.handler_node_id ORDER BY count(*) DESC, w.handler_node_id";

int sg_handlers(struct store *s, int64_t subdistrict_id, int64_t category_id, int64_t place_id, int64_t now,
		struct sg_handler *out, size_t k, size_t *n, struct fault *f)
{
	static const char *const basis[] = { "courtyard", "community", "subdistrict" };
	size_t b;

	*n = 0;
	for (b = 0; b < 6 && !*n; b++) {
		/* The recent window at each level first, then all time. */
		int64_t since = b < 3 ? now - SG_SETTLER_DAYS * 86400 : 0;
		struct store_stmt *st;
		int64_t all = 0;
		size_t i;
		int rc;

		st = store_query(s, SQL_SETTLERS, "iiittiti", subdistrict_id, category_id, since, basis[b % 3],
				 basis[b % 3], place_id, basis[b % 3], place_id);
		while (store_next(st, &rc)) {
			int64_t c = store_column_int64(st, 1);

			all += c;
			if (*n < k) {
				out[*n].node_id = store_column_int64(st, 0);
				out[*n].orders = c;
				out[*n].basis = basis[b % 3];
				(*n)++;
			}
		}
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
		for (i = 0; i < *n; i++)
			out[i].share = (double)out[i].orders / (double)all;
	}
	return 0;
}

/* ---- the cache: one model per subdistrict ---- */

struct cached {
	int64_t subdistrict_id;
	struct sg_model *model;
	int64_t trained_at;
	size_t orders;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cached *cache;
static size_t ncache, cache_cap;

void sg_cache_clear(void)
{
	size_t i;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < ncache; i++)
		sg_model_free(cache[i].model);
	free(cache);
	cache = NULL;
	ncache = cache_cap = 0;
	pthread_mutex_unlock(&cache_lock);
}

/* Trains the subdistrict's model when it has none or an old one.  Under cache_lock. */
static struct cached *model_for(struct store *s, int64_t subdistrict_id, struct fault *f)
{
	struct cached *c = NULL;
	struct sg_docs docs;
	int64_t now = (int64_t)time(NULL);
	size_t i;

	for (i = 0; i < ncache; i++)
		if (cache[i].subdistrict_id == subdistrict_id)
			c = &cache[i];
	if (c && now - c->trained_at < SG_MAX_AGE && now >= c->trained_at)
		return c;
	if (sg_docs_load(s, subdistrict_id, SG_TRAIN_LIMIT, &docs, f) < 0)
		return NULL;
	if (!c) {
		YL_GROW(cache, ncache, cache_cap);
		c = &cache[ncache++];
		memset(c, 0, sizeof(*c));
		c->subdistrict_id = subdistrict_id;
	}
	sg_model_free(c->model);
	c->model = sg_train(docs.items, docs.n);
	c->orders = sg_model_docs(c->model);
	c->trained_at = now;
	sg_docs_release(&docs);
	return c;
}

int sg_suggest(struct store *s, int64_t subdistrict_id, const char *text, struct sg_guess *out, size_t k, size_t *n,
	       struct sg_info *info, struct fault *f)
{
	struct cached *c;

	*n = 0;
	memset(info, 0, sizeof(*info));
	pthread_mutex_lock(&cache_lock);
	c = model_for(s, subdistrict_id, f);
	if (c) {
		*n = sg_predict(c->model, text, out, k);
		info->trained_at = c->trained_at;
		info->orders = c->orders;
	}
	pthread_mutex_unlock(&cache_lock);
	return c ? 0 : -1;
}

static const char SQL_SUBDISTRICTS[] = "SELECT id FROM nodes WHERE level = 'subdistrict' ORDER BY id";

int sg_subdistricts(struct store *s, int64_t *ids, size_t max, size_t *n, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_SUBDISTRICTS, "");
	int rc;

	*n = 0;
	while (store_next(st, &rc))
		if (*n < max)
			ids[(*n)++] = store_column_int64(st, 0);
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}
