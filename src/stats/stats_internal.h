/*
 * stats_internal.h - what the files of src/stats/ share: the counters as an
 * array, the few columns of an order the figures read, and one order's
 * contribution to the figures (contrib.c, the only place the definitions of
 * METRICS.md are written in code).
 */
#ifndef YL_STATS_INTERNAL_H
#define YL_STATS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "stats/stats.h"

#define STATS_ENUM_(name) SC_##name,
enum stats_counter {
	STATS_COUNTERS(STATS_ENUM_)
	STATS_NCOUNTERS
};


/* The select list (table alias w) that stat_row_read() reads from column col on. */
#define STAT_ROW_COLUMNS                                                                                      \
	"w.id, w.subdistrict_id, w.node_id, w.category_id, w.received_at, w.accepted_at, w.dispatched_at,"     \
	" w.signed_at, w.sign_deadline, w.replied_at, w.deadline, w.returns, w.extensions, w.redos,"           \
	" w.supervisions, w.escalations, w.resolved, w.state, w.source, w.type, w.settled_level,"              \
	" w.satisfaction, w.card"
#define STAT_ROW_NCOLUMNS 23

void stat_row_read(struct store_stmt *st, int col, struct stat_row *r);

/* One order's part of the figures: counters, and its handling-time bucket (-1: none). */
struct stat_contrib {
	int64_t v[STATS_NCOUNTERS];
	int bucket;
};

/*
 * The order's contribution.  with_handling 0 leaves the handling counters and
 * the bucket out (the caller knows they cancel); 1 counts them, reading the
 * calendar.  Cards are not in it (they are counted as given: rollup.c).
 */
int stat_contrib_of(struct store *s, const struct stat_row *r, int with_handling, struct stat_contrib *out,
		    struct fault *f);

/* The local day of received_at, the period texts of the rollup keys. */
int32_t stat_day_of(const struct stat_row *r);
void stat_day_text(int32_t day, char out[11]);
void stat_month_text(int32_t day, char out[8]);

/* The stat node of a place: the courtyard holding it, or the place itself at courtyard level or above. */
int stat_node_of(struct store *s, int64_t place, int64_t *stat_node, struct fault *f);
/* The top-level category of a category. */
int stat_category_top(struct store *s, int64_t category, int64_t *top, struct fault *f);

/* A rollup key: the stat node (and its subdistrict) and the local day of receipt. */
struct stat_key {
	int64_t node;
	int64_t subdistrict;
	int32_t day;
};

/* Moves one rollup row (span "day" or "month", period "YYYY-MM-DD" or "YYYY-MM") by v / n, creating it. */
int stat_rollup_add(struct store *s, const struct stat_key *k, const char *span, const char *period,
		    const int64_t *v, struct fault *f);
int stat_rollup_add_category(struct store *s, const struct stat_key *k, const char *span, const char *period,
			     int64_t category, int64_t n, struct fault *f);
/* The histogram of a row: one order out of bucket minus and into bucket plus (-1: none). */
int stat_rollup_move_bucket(struct store *s, const struct stat_key *k, const char *span, const char *period,
			    int minus, int plus, struct fault *f);
/* A new row with its counters and histogram text (the rebuild: the tables were emptied). */
int stat_rollup_put(struct store *s, const struct stat_key *k, const char *span, const char *period,
		    const int64_t *v, const char *hist, struct fault *f);

/*
 * The histogram text of a rollup row (wo_rollup.hist): "b:n" pairs by
 * bucket, comma-separated, no zero counts; "" when empty.  parse adds the
 * counts into hist (bad pairs are skipped); format writes the canonical text.
 */
void stat_hist_parse(const char *text, int64_t *hist);
void stat_hist_format(const int64_t *hist, struct buf *out);

/* Counters array <-> struct. */
void stat_counts_add(struct stats_counts *c, const int64_t *v);
void stat_counts_plus(struct stats_counts *c, const struct stats_counts *plus);
void stat_counts_sub(struct stats_counts *c, const struct stats_counts *minus);

#endif
