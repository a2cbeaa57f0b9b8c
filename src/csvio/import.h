/*
 * import.h - internal to src/csvio: the frame every import shares (parse, map
 * the header, one write transaction, all or nothing).
 */
#ifndef YL_CSVIO_IMPORT_H
#define YL_CSVIO_IMPORT_H

#include "csvio/csvio.h"
#include "util/strmap.h"

struct import_run {
	struct store *s;
	struct csv_table table;
	struct csv_header_map map;
	const struct csv_column *cols;
	struct csv_import_result *res;
	const struct csv_progress *pr;
	const char *what;		/* "nodes" or "persons", for progress */
	int64_t scope;			/* 0: everything */
	int began;			/* the write transaction is open */
	int store_failed;		/* a store error: the import stops, fault holds it */
	struct fault store_fault;
};

/*
 * Parses and maps the header, then opens the write transaction.  Returns 1
 * when rows should be processed, 0 when the file cannot be read row by row (its
 * problems are in res), -1 on a store failure (f filled).
 */
int import_start(struct import_run *r, struct store *s, const char *text, size_t len, const struct csv_column *cols,
		 size_t ncols, const char *what, const struct csv_import_options *opt, struct csv_import_result *res,
		 struct fault *f);
/* Rolls back when dry_run or anything is wrong, else commits; fills the fault as csvio.h says. */
int import_finish(struct import_run *r, struct fault *f);

/*
 * Chunked runs (csv_import_options.chunk_ms): a chunk's write transaction,
 * begun and committed (rolled back after a store failure, kept in r; -1).
 * import_finish_chunked: as import_finish when nothing was written (wrote 0);
 * else the chunks stand, and the rows refused while writing are res->refused.
 */
int import_chunk_begin(struct import_run *r);
int import_chunk_commit(struct import_run *r);
int import_finish_chunked(struct import_run *r, int wrote, struct fault *f);

/* A problem on a row's column spec i (NULL column when i < 0). */
void import_problem(struct import_run *r, const struct csv_row *row, int i, const char *fmt, ...) YL_PRINTF(4, 5);
/* Keeps the first store failure; later rows are not processed. */
void import_store_failed(struct import_run *r, const struct fault *f);
void import_progress(struct import_run *r, size_t done);
/* 1 when node is inside the run's scope; 0 after reporting on column i; -1 on a store failure (kept). */
int import_in_scope(struct import_run *r, const struct csv_row *row, int i, int64_t node, const char *what);

#endif
