/*
 * test_suggest.c - src/insight: the features of a text, the naive Bayes
 * arithmetic on a hand-countable set, and the model measured on a data set
 * generated here - another city's categories and words, not the demo's: texts
 * built from a category's own words, words shared by several categories, the
 * hotline's boilerplate, digits and punctuation, and a share of texts filed
 * under a category their words do not say (as offices do).
 */
#include "unit.h"
#include "insight/suggest.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_features(void **state)
{
	uint32_t a[64], b[64];
	size_t na, nb;

	(void)state;
	/* Characters and pairs: 3 characters give 3 + 2 features. */
	assert_int_equal(sg_features("路灯坏", a, 64), 5);
	/* Punctuation and spaces break pairs but add nothing themselves. */
	assert_int_equal(sg_features("路灯，坏", a, 64), 4);
	assert_int_equal(sg_features("路灯 坏!", a, 64), 4);
	assert_int_equal(sg_features("，。！ ", a, 64), 0);
	assert_int_equal(sg_features(NULL, a, 64), 0);
	/* Case, full-width letters and digits fold; a number is one digit whatever its length. */
	na = sg_features("ABC12号楼", a, 64);
	nb = sg_features("ａｂｃ９号楼", b, 64);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na * sizeof(*a));
	nb = sg_features("abc3456号楼", b, 64);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na * sizeof(*a));
	/* Invalid UTF-8 is skipped, never read past the end. */
	assert_int_equal(sg_features("\xe8\xb7", a, 64), 0);
	assert_int_equal(sg_features("灯\xff灯", a, 64), 2);
	/* The bound holds. */
	assert_int_equal(sg_features("一二三四五六七八九十", a, 5), 5);
}

/* Three texts, two categories: the arithmetic by hand. */
static void test_arithmetic(void **state)
{
	struct sg_doc docs[] = {
		{ .category_id = 7, .text = (char *)"灯" },
		{ .category_id = 7, .text = (char *)"灯" },
		{ .category_id = 9, .text = (char *)"水" },
	};
	struct sg_model *m = sg_train(docs, 3);
	struct sg_guess g[3];
	double s7, s9;

	(void)state;
	assert_non_null(m);
	assert_int_equal(sg_model_docs(m), 3);
	assert_int_equal(sg_model_features(m), 2);
	assert_int_equal(sg_predict(m, "灯", g, 3), 2);
	/* score_c = log(D_c/D) + log((n+1)/(N_c+V)): 7: log(2/3) + log(3/4); 9: log(1/3) + log(1/3). */
	s7 = log(2.0 / 3) + log(3.0 / 4);
	s9 = log(1.0 / 3) + log(1.0 / 3);
	assert_int_equal(g[0].category_id, 7);
	assert_true(fabs(g[0].confidence - exp(s7) / (exp(s7) + exp(s9))) < 1e-9);
	assert_true(fabs(g[0].confidence + g[1].confidence - 1) < 1e-9);
	/* A text of nothing the model knows: no guess rather than the prior dressed up as one. */
	assert_int_equal(sg_predict(m, "电梯", g, 3), 0);
	assert_int_equal(sg_predict(m, "灯", g, 1), 1);
	sg_model_free(m);
	/* Nothing to learn from. */
	docs[0].text = docs[1].text = docs[2].text = NULL;
	assert_null(sg_train(docs, 3));
	assert_null(sg_train(docs, 0));
}

/* ---- a generated city ---- */

struct kind {
	int64_t id;
	const char *words[6];
};

/* Another city's tree: codes and words unlike the demo's. */
static const struct kind kinds[] = {
	{ 101, { "电梯", "困人", "停运", "轿厢", "维保", "异响" } },
	{ 102, { "燃气", "泄漏", "气味", "阀门", "燃气表", "报警器" } },
	{ 103, { "违建", "搭建", "阳台", "加盖", "棚子", "圈占" } },
	{ 104, { "流浪狗", "犬只", "咬人", "遛狗", "狗叫", "拴绳" } },
	{ 105, { "充电桩", "电动车", "飞线", "楼道充电", "电瓶", "起火" } },
	{ 106, { "油烟", "烧烤", "排烟", "饭店", "熏", "露天" } },
	{ 107, { "公交", "站牌", "线路", "班次", "末班车", "候车" } },
	{ 108, { "学校", "入学", "学区", "转学", "校车", "托管" } },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))
static const char *const shared[] = { "楼下", "小区", "物业", "一直", "没人管", "居民", "附近", "晚上" };
static const char *const boiler[] = { "来电人反映：", "市民称，", "网格员上报：", "" };
static const char *const tail[] = { "，请尽快处理。", "，要求给个说法！", "。", "，希望相关部门核实。" };

static unsigned long rnd_state = 20261207;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)((rnd_state >> 33) % n);
}

static void make_city(struct sg_doc *docs, size_t n, int noise_percent)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct kind *k = &kinds[rnd(4) ? rnd(3) : rnd(NKINDS)];	/* a few categories dominate */
		char text[256];
		size_t len;

		len = (size_t)snprintf(text, sizeof(text), "%s%u号楼%s%s", boiler[rnd(4)], 1 + rnd(30), shared[rnd(8)],
				       k->words[rnd(6)]);
		if (rnd(2))
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s", shared[rnd(8)]);
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", k->words[rnd(6)], tail[rnd(4)]);
		docs[i].text = xstrdup(text);
		/* Filed under another category than its words say. */
		docs[i].category_id = (int)rnd(100) < noise_percent ? kinds[rnd(NKINDS)].id : k->id;
		docs[i].received_at = 1767225600 + (int64_t)i * 600;
		docs[i].courtyard_id = 10 + rnd(5);
		docs[i].community_id = 2;
		/* Courtyards 10-12 settle their own; the rest go to the community, except gas (always the community). */
		docs[i].handler_node_id = docs[i].category_id == 102 || docs[i].courtyard_id > 12 ? 2 : docs[i].courtyard_id;
	}
}

static void free_docs(struct sg_doc *docs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(docs[i].text);
}

static void test_generated_city(void **state)
{
	enum { N = 6000 };
	static struct sg_doc docs[N];
	struct sg_eval e;

	(void)state;
	make_city(docs, N, 5);
	assert_int_equal(sg_evaluate(docs, N, 0.8, &e), 0);
	printf("# generated city, 5 %% misfiled: top-1 %.3f, top-3 %.3f (most frequent %.3f, %.3f); handler %.3f;"
	       " %.1f us per suggestion\n", e.top1, e.top3, e.base1, e.base3, e.handler_learned, e.us_per_predict);
	assert_int_equal(e.train, 4800);
	assert_int_equal(e.test, 1200);
	assert_int_equal(e.categories, NKINDS);
	/* The words decide: well above the most frequent category, and within what the misfiling leaves. */
	assert_true(e.top1 > e.base1 + 0.4);
	assert_true(e.top3 >= 0.9);
	assert_true(e.top1 <= 0.97);		/* 5 % of the test set is filed against its words */
	/* The settlers are exactly the generated rule, learned from the data. */
	assert_int_equal(e.handler_tested, 1200);
	assert_true(e.handler_learned > 0.99);
	/* Every mistake counted is a real one. */
	assert_true(e.nconfusion > 0 && e.confusion[0].actual != e.confusion[0].predicted);
	free_docs(docs, N);

	/* Half of it misfiled: the model cannot know, and says so by doing worse - the test can fail. */
	make_city(docs, N, 50);
	assert_int_equal(sg_evaluate(docs, N, 0.8, &e), 0);
	assert_true(e.top1 < 0.75);
	free_docs(docs, N);

	/* A split that leaves nothing to test or train on is refused. */
	assert_int_equal(sg_evaluate(docs, 1, 0.8, &e), -1);
	assert_int_equal(sg_evaluate(docs, 10, 1.0, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_generated_city),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
