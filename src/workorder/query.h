/*
 * query.h - SQL built from pieces, each piece carrying its own parameters in
 * order, so that a condition can be written once and used in two branches of
 * a query (list.c) and the search condition can live in one function of its
 * own (search.c).  Internal to src/workorder/.
 *
 * A struct wo_sql owns its text and copies of its text parameters;
 * wo_sql_release() frees them and leaves it empty, ready for use again.  Its
 * text (sql.data) is NULL until the first piece is added.  Text is SQL written by this program, never
 * input: input always travels as a parameter.
 */
#ifndef YL_WO_QUERY_H
#define YL_WO_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"
#include "util/util.h"

struct wo_sql_param {
	int is_text;
	int64_t v;
	char *text;			/* owned */
};

struct wo_sql {
	struct buf sql;
	struct wo_sql_param *params;
	size_t n, cap;
};

void wo_sql_init(struct wo_sql *q);
void wo_sql_release(struct wo_sql *q);
void wo_sql_add(struct wo_sql *q, const char *sql);
void wo_sql_int(struct wo_sql *q, int64_t v);
void wo_sql_text(struct wo_sql *q, const char *v);	/* copied; NULL binds NULL */
/* Appends src's text and parameters to dst. */
void wo_sql_cat(struct wo_sql *dst, const struct wo_sql *src);
/* Binds the parameters from index first (1-based); returns the next free index. */
int wo_sql_bind(struct store_stmt *st, const struct wo_sql *q, int first);

/*
 * search.c: a search (q=...) as SQL.  Every word must occur in the number, the
 * hotline's number, the address or the text of the order w (work_orders w).
 * wo_search_parse() fails with FAULT_INVALID on field "q" (blank, more than 8
 * words, a word over 50 characters, more than 100 characters).
 *
 * Either the search is where a page starts (wo_search_drives(): a number, or a
 * word of 3 characters or more): the caller writes "SELECT ...", then
 * wo_search_source() (" FROM ... WHERE ..." of the matches), then its own
 * " AND ..." conditions; with wo_search_ordered(), the matches come newest
 * first (the time sort) and the page is "ORDER BY wo_search_order() LIMIT n",
 * the keyset given to wo_search_source().  wo_search_within() narrows the
 * matches to a subtree inside the index (the caller's own condition on the
 * subtree stays: the index may narrow to a courtyard holding the subtree).
 * Or the search is wo_search_filter(): " AND ..." LIKEs of every word on the
 * rows the list reaches by itself.
 */
enum wo_search_mode { WO_SEARCH_LIKE, WO_SEARCH_FTS, WO_SEARCH_NUMBER };

struct wo_search {
	enum wo_search_mode mode;
	char *match;			/* FTS: the MATCH expression */
	char *number;			/* NUMBER: an order's or a hotline's number, or a prefix of one */
	struct wo_sql rest;		/* " AND ..." LIKEs confirming what the driver finds */
	struct wo_sql all;		/* " AND ..." LIKEs of every word: the search as a filter */
};

int wo_search_parse(const char *text, enum store_backend backend, struct wo_search *out, struct fault *f);
void wo_search_release(struct wo_search *q);
int wo_search_drives(const struct wo_search *q);
int wo_search_ordered(const struct wo_search *q);
/* Only the orders whose place (place_only) or place or handler is in node's subtree: node is a
 * subdistrict, a community or a courtyard. */
void wo_search_within(struct wo_search *q, int64_t node, int place_only);
void wo_search_source(struct wo_sql *out, const struct wo_search *q, int has_after, int64_t after_received_at,
		      int64_t after_id);
const char *wo_search_order(void);
void wo_search_filter(struct wo_sql *out, const struct wo_search *q);

#endif
