/*
 * suggest.h - a suggested category and handler for a new request, learned from
 * the subdistrict's own closed orders (issue 21, part 1).
 *
 * The category: a multinomial naive Bayes classifier over the characters and
 * character pairs of the request's text.  Chinese is written without spaces,
 * so words are not split out; single characters and pairs carry most of what
 * a word would (积水, 噪音, 路灯), need no dictionary, and the model trains in
 * one pass and answers in microseconds on the server's own CPU.  Why this
 * model and what it scores: docs/INSIGHT.md.
 *
 * The handler: the nodes that actually settled closed orders of that category
 * from the same courtyard (else community, else subdistrict), with their
 * share - what the office did, beside what the routing rule says.
 *
 * Suggestions only: nothing here writes an order.
 */
#ifndef YL_INSIGHT_SUGGEST_H
#define YL_INSIGHT_SUGGEST_H

#include "store/store.h"
#include "util/fault.h"

#include <stddef.h>
#include <stdint.h>

/* One training text: the category the office filed it under. */
struct sg_doc {
	int64_t category_id;
	char *text;
	int64_t received_at;
	int64_t node_id;		/* the request's place */
	int64_t courtyard_id, community_id;	/* the place's (0: above that level) */
	int64_t handler_node_id;	/* who settled it (0: none recorded) */
	char type[16];			/* complaint, request, ... (the routing rules read it) */
};

struct sg_docs {
	struct sg_doc *items;
	size_t n, alloc;
};

struct sg_guess {
	int64_t category_id;
	double confidence;		/* the model's probability, 0..1 */
};

struct sg_model;

/* Trains on docs[0..n); NULL when there is nothing to learn from (no doc with text). */
struct sg_model *sg_train(const struct sg_doc *docs, size_t n);
void sg_model_free(struct sg_model *m);
size_t sg_model_docs(const struct sg_model *m);
size_t sg_model_features(const struct sg_model *m);

/* The k likeliest categories, best first; returns how many (0: the text has nothing the model knows). */
size_t sg_predict(const struct sg_model *m, const char *text, struct sg_guess *out, size_t k);

/* The features of a text (exposed for tests): up to max hashes; returns how many. */
size_t sg_features(const char *text, uint32_t *out, size_t max);

/*
 * The closed orders of a subdistrict with a category and a text, oldest first,
 * at most limit (the most recent ones).
 */
int sg_docs_load(struct store *s, int64_t subdistrict_id, size_t limit, struct sg_docs *out, struct fault *f);
void sg_docs_release(struct sg_docs *d);

/*
 * Who settled such orders: up to k nodes, most orders first, among the orders
 * received in the last SG_SETTLER_DAYS before now (where orders are settled
 * moves as an office changes how it works), else among all.
 */
#define SG_SETTLER_DAYS 90
struct sg_handler {
	int64_t node_id;
	int64_t orders;			/* closed orders of the category from that place it settled */
	double share;			/* of all such orders, 0..1 */
	const char *basis;		/* "courtyard", "community" or "subdistrict": where the orders came from (static) */
};
int sg_handlers(struct store *s, int64_t subdistrict_id, int64_t category_id, int64_t place_id, int64_t now,
		struct sg_handler *out, size_t k, size_t *n, struct fault *f);

/*
 * The suggestion the API gives: the subdistrict's model (trained on first use
 * and again when older than max_age seconds), its k guesses, and when and on
 * how many orders it was trained.  Thread-safe.
 */
struct sg_info {
	int64_t trained_at;
	size_t orders;
};
#define SG_MAX_AGE 3600
#define SG_TRAIN_LIMIT 100000
int sg_suggest(struct store *s, int64_t subdistrict_id, const char *text, struct sg_guess *out, size_t k, size_t *n,
	       struct sg_info *info, struct fault *f);
/* Forgets every cached model (tests; a server that loads another database). */
void sg_cache_clear(void);


/*
 * Measuring the model (eval.c): docs in time order, the first split share
 * trains, the rest tests - as the model is used, on what comes after what it
 * learned.  Baselines: the most frequent categories of the training part.
 * Handlers: the settler the training part names for the test order's category
 * and courtyard (else community, else category) against who settled it.
 */
#define SG_CONFUSIONS 5
struct sg_confusion {
	int64_t actual, predicted;
	size_t count;
};
struct sg_eval {
	size_t train, test;		/* test: orders with a category, text and a test-time model */
	double top1, top3;		/* shares of the test orders */
	double base1, base3;		/* the most frequent category (top 3: the three most frequent) */
	size_t handler_tested;		/* test orders with a handler recorded */
	double handler_learned;		/* share whose settler the training part named first */
	double us_per_predict;		/* mean wall time of sg_predict */
	size_t categories;
	struct sg_confusion confusion[SG_CONFUSIONS];	/* the commonest mistakes, most first */
	size_t nconfusion;
};
int sg_evaluate(const struct sg_doc *docs, size_t n, double split, struct sg_eval *out);
/* The subdistricts (ids, at most max), in id order. */
int sg_subdistricts(struct store *s, int64_t *ids, size_t max, size_t *n, struct fault *f);


/*
 * Duplicates and repeat callers (dup.c): the orders received within days of
 * order id that look like the same request - similar words (the character and
 * pair features they share, each weighted by its rarity: Dice) from the same
 * place or courtyard, or the same caller (by the keyed phone hash, never the
 * number).  Only orders the actor may see; best first.
 */
#define DUP_SAME_CALLER 1u
#define DUP_SAME_PLACE 2u
#define DUP_SAME_COURTYARD 4u
#define DUP_SIMILAR_TEXT 8u
struct dup_candidate {
	int64_t id;
	char number[32];
	char state[20];
	int64_t received_at;
	double similarity;		/* of the texts, 0..1 (weighted Dice) */
	double score;			/* similarity, plus 0.3 for the same caller and 0.2 for the same place */
	unsigned reasons;		/* DUP_* */
};
struct actor;
int dup_candidates(struct store *s, const struct actor *a, int64_t id, int days, struct dup_candidate *out, size_t k,
		   size_t *n, struct fault *f);
/* The similarity dup_candidates() uses, of two texts (exposed for tests). */
double dup_similarity(const char *x, const char *y);


/*
 * Hot spots and repeat callers (hotspots.c), over the orders received in
 * [from, to) under a node: the buildings the most orders came from (again and
 * again: the same lift, the same drain), with their commonest category; and
 * the callers who called more than once (by the keyed phone hash, never shown),
 * the most frequent first, with their orders' numbers.
 */
#define HOT_TOP 10
#define HOT_NUMBERS 5
struct hot_place {
	int64_t node_id;
	int64_t orders;
	int64_t category_id;		/* the commonest among them */
	int64_t category_orders;
};
struct hot_caller {
	int64_t orders;
	char numbers[HOT_NUMBERS][32];	/* the newest first */
	int nnumbers;
};
struct hotspots {
	int64_t orders;			/* in the period, under the node */
	int64_t callers;		/* distinct callers with a phone */
	int64_t repeat_callers;		/* of them, who called twice or more */
	int64_t repeat_orders;		/* the orders of those */
	struct hot_place places[HOT_TOP];
	size_t nplaces;
	struct hot_caller top[HOT_TOP];
	size_t ntop;
};
int hotspots(struct store *s, int64_t under, int64_t from, int64_t to, struct hotspots *out, struct fault *f);


/*
 * Pressure (pressure.c): the subtree of a node down to its buildings, each
 * with the open items under it and how many of them are past their deadline -
 * work orders (kind NULL) or the open time nodes of one kind on the engine.
 * An item placed in a household counts at its building; one placed higher
 * counts at its own node.  Parents count their children's.
 */
struct pressure_node {
	int64_t id, parent_id;
	char *name;
	const char *level;		/* static */
	int64_t open, overdue;		/* under it, itself included */
	int64_t own_open, own_overdue;	/* placed at it */
	size_t first_child, next_sibling;	/* positions in items, in tree order; PRESSURE_NONE: none */
};
#define PRESSURE_NONE ((size_t)-1)
struct pressure {
	struct pressure_node *items;	/* parents before children */
	size_t n, cap;
};
int pressure_tree(struct store *s, int64_t root, const char *kind, int64_t now, struct pressure *out, struct fault *f);
void pressure_release(struct pressure *p);

#endif
