/*
 * eval.c - measuring the suggestion model on a time split (suggest.h): top-1
 * and top-3 accuracy against the most-frequent-category baselines, the learned
 * handler's accuracy, the commonest confusions, and the time per answer.
 */
#include "insight/suggest.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

struct tally {
	int64_t key1, key2, value;
	size_t count;
};

static int tally_cmp(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->key1 != y->key1)
		return x->key1 < y->key1 ? -1 : 1;
	if (x->key2 != y->key2)
		return x->key2 < y->key2 ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Counts of (key1, key2, value), sorted and merged. */
struct tallies {
	struct tally *items;
	size_t n, cap;
};

static void tally_add(struct tallies *t, int64_t k1, int64_t k2, int64_t v)
{
	YL_GROW(t->items, t->n, t->cap);
	t->items[t->n++] = (struct tally){ k1, k2, v, 1 };
}

static void tally_merge(struct tallies *t)
{
	size_t i, j = 0;

	qsort(t->items, t->n, sizeof(*t->items), tally_cmp);
	for (i = 0; i < t->n; i++) {
		if (j && tally_cmp(&t->items[j - 1], &t->items[i]) == 0)
			t->items[j - 1].count++;
		else
			t->items[j++] = t->items[i];
	}
	t->n = j;
}

/* The value counted most often for (k1, k2); 0 when none.  Ties: the smallest value. */
static int64_t tally_best(const struct tallies *t, int64_t k1, int64_t k2)
{
	size_t lo = 0, hi = t->n, best = 0;
	int64_t v = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tally *m = &t->items[mid];

		if (m->key1 < k1 || (m->key1 == k1 && m->key2 < k2))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n && t->items[lo].key1 == k1 && t->items[lo].key2 == k2; lo++)
		if (t->items[lo].count > best) {
			best = t->items[lo].count;
			v = t->items[lo].value;
		}
	return v;
}

static int count_desc(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return tally_cmp(a, b);
}

int sg_evaluate(const struct sg_doc *docs, size_t n, double split, struct sg_eval *out)
{
	struct tallies freq = { 0 }, settled = { 0 }, mistakes = { 0 };
	struct sg_model *m;
	size_t ntrain = (size_t)((double)n * split), i, hit1 = 0, hit3 = 0, b1 = 0, b3 = 0, hh = 0;
	int64_t top[3] = { 0, 0, 0 };
	int64_t t0;

	memset(out, 0, sizeof(*out));
	if (split <= 0 || split >= 1 || ntrain == 0 || ntrain >= n)
		return -1;
	m = sg_train(docs, ntrain);
	if (!m)
		return -1;
	/* The baselines and the settlers, from the training part only; the settlers of its last SG_SETTLER_DAYS. */
	for (i = 0; i < ntrain; i++) {
		const struct sg_doc *d = &docs[i];

		if (d->category_id <= 0)
			continue;
		tally_add(&freq, 0, 0, d->category_id);
		if (d->handler_node_id && d->received_at >= docs[ntrain - 1].received_at - SG_SETTLER_DAYS * 86400) {
			if (d->courtyard_id)
				tally_add(&settled, d->category_id, d->courtyard_id, d->handler_node_id);
			if (d->community_id)
				tally_add(&settled, d->category_id, -d->community_id, d->handler_node_id);
			tally_add(&settled, d->category_id, 0, d->handler_node_id);
		}
	}
	tally_merge(&freq);
	tally_merge(&settled);
	out->categories = freq.n;
	qsort(freq.items, freq.n, sizeof(*freq.items), count_desc);
	for (i = 0; i < 3 && i < freq.n; i++)
		top[i] = freq.items[i].value;
	t0 = mono_now_us();
	for (i = ntrain; i < n; i++) {
		const struct sg_doc *d = &docs[i];
		struct sg_guess g[3];
		size_t k, got;

		if (d->category_id <= 0 || !d->text)
			continue;
		out->test++;
		got = sg_predict(m, d->text, g, 3);
		for (k = 0; k < got; k++)
			if (g[k].category_id == d->category_id) {
				hit1 += k == 0;
				hit3++;
				break;
			}
		if (got && g[0].category_id != d->category_id)
			tally_add(&mistakes, d->category_id, g[0].category_id, 0);
		b1 += top[0] == d->category_id;
		b3 += top[0] == d->category_id || top[1] == d->category_id || top[2] == d->category_id;
		if (d->handler_node_id) {
			int64_t h = d->courtyard_id ? tally_best(&settled, d->category_id, d->courtyard_id) : 0;

			if (!h && d->community_id)
				h = tally_best(&settled, d->category_id, -d->community_id);
			if (!h)
				h = tally_best(&settled, d->category_id, 0);
			out->handler_tested++;
			hh += h == d->handler_node_id;
		}
	}
	if (out->test)
		out->us_per_predict = (double)(mono_now_us() - t0) / (double)out->test;
	out->train = ntrain;
	if (out->test) {
		out->top1 = (double)hit1 / (double)out->test;
		out->top3 = (double)hit3 / (double)out->test;
		out->base1 = (double)b1 / (double)out->test;
		out->base3 = (double)b3 / (double)out->test;
	}
	if (out->handler_tested)
		out->handler_learned = (double)hh / (double)out->handler_tested;
	tally_merge(&mistakes);
	qsort(mistakes.items, mistakes.n, sizeof(*mistakes.items), count_desc);
	for (i = 0; i < mistakes.n && i < SG_CONFUSIONS; i++) {
		out->confusion[i].actual = mistakes.items[i].key1;
		out->confusion[i].predicted = mistakes.items[i].key2;
		out->confusion[i].count = mistakes.items[i].count;
	}
	out->nconfusion = i;
	free(freq.items);
	free(settled.items);
	free(mistakes.items);
	sg_model_free(m);
	return 0;
}
