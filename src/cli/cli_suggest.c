/*
 * cli_suggest.c - `yuanluo suggest eval [--split 0.8]`: how well the suggested
 * category and handler (insight/suggest.h) would have done on this database.
 * For each subdistrict, its closed orders in time order: the first share
 * trains, the rest tests.  Prints top-1 and top-3 accuracy against the
 * most-frequent-category baselines, the learned handler against today's
 * routing rules, the commonest confusions, and the time per answer.  Reads
 * only.
 */
#include "cli/cli.h"
#include "insight/suggest.h"
#include "store/store.h"
#include "util/util.h"
#include "workorder/workorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUBDISTRICTS 64

static const char *category_name(const struct wo_category_list *l, int64_t id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->items[i].id == id)
			return l->items[i].name;
	return "?";
}

/* Today's rules: where wo_route() sends each test order, against who settled it. */
static double rule_accuracy(struct store *s, const struct sg_docs *d, size_t from, size_t *tested)
{
	size_t i, hit = 0;

	*tested = 0;
	for (i = from; i < d->n; i++) {
		struct fault f = { 0 };
		struct wo_route r;

		if (!d->items[i].handler_node_id || d->items[i].category_id <= 0)
			continue;
		(*tested)++;
		if (wo_route(s, d->items[i].category_id, d->items[i].type[0] ? d->items[i].type : "complaint",
			     d->items[i].node_id, &r, &f) == 0 && r.node_id == d->items[i].handler_node_id)
			hit++;
	}
	return *tested ? (double)hit / (double)*tested : 0;
}

static int eval_one(struct store *s, int64_t sub, double split, const struct wo_category_list *cats)
{
	struct fault f = { 0 };
	struct sg_docs d;
	struct sg_eval e;
	size_t i, tested;
	double rule;

	if (sg_docs_load(s, sub, SG_TRAIN_LIMIT, &d, &f) < 0) {
		fprintf(stderr, "yuanluo suggest eval: %s\n", f.message);
		return -1;
	}
	if (sg_evaluate(d.items, d.n, split, &e) < 0) {
		printf("subdistrict %lld: %zu closed orders, too few to measure\n", (long long)sub, d.n);
		sg_docs_release(&d);
		return 0;
	}
	rule = rule_accuracy(s, &d, e.train, &tested);
	printf("subdistrict %lld: %zu closed orders, %zu categories; trained on the first %zu, tested on the next %zu\n",
	       (long long)sub, d.n, e.categories, e.train, e.test);
	printf("  category  top-1 %5.1f %%   top-3 %5.1f %%   (most frequent: top-1 %5.1f %%, top-3 %5.1f %%)\n",
	       100 * e.top1, 100 * e.top3, 100 * e.base1, 100 * e.base3);
	printf("  handler   learned %5.1f %%   today's routing rules %5.1f %%   (%zu test orders with a handler)\n",
	       100 * e.handler_learned, 100 * rule, e.handler_tested);
	printf("  time      %.1f us per suggestion\n", e.us_per_predict);
	for (i = 0; i < e.nconfusion; i++)
		printf("  confused  %s -> %s: %zu\n", category_name(cats, e.confusion[i].actual),
		       category_name(cats, e.confusion[i].predicted), e.confusion[i].count);
	sg_docs_release(&d);
	return 0;
}

int cmd_suggest(int argc, char **argv, const struct config *cfg)
{
	struct wo_category_list cats = { 0 };
	struct fault f = { 0 };
	int64_t subs[MAX_SUBDISTRICTS];
	struct store *s;
	double split = 0.8;
	size_t n, i;
	int a, rc = 0;

	if (argc < 2 || strcmp(argv[1], "eval"))
		return cli_usage_error("suggest", "use 'suggest eval [--split SHARE]'");
	for (a = 2; a < argc; a++) {
		char *end;

		if (!strcmp(argv[a], "--split") && a + 1 < argc) {
			split = strtod(argv[++a], &end);
			if (*end || split <= 0 || split >= 1)
				return cli_usage_error("suggest", "--split is a share between 0 and 1, such as 0.8");
		} else {
			return cli_usage_error("suggest", "unexpected argument '%s'", argv[a]);
		}
	}
	s = cli_open_store(cfg);
	if (!s)
		return 1;
	if (sg_subdistricts(s, subs, MAX_SUBDISTRICTS, &n, &f) < 0 || wo_category_list(s, 1, &cats, &f) < 0) {
		fprintf(stderr, "yuanluo suggest eval: %s\n", f.message);
		store_close(s);
		return 1;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = eval_one(s, subs[i], split, &cats);
	wo_category_list_release(&cats);
	store_close(s);
	return rc ? 1 : 0;
}
