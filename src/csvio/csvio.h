/*
 * csvio.h - CSV import and export of the organisation tree and of persons.
 *
 * Reading (csv_read.c): RFC 4180 text parsed with libcsv into rows that know
 * the line of the file they start on (the header is line 1).  A UTF-8 BOM is
 * skipped, blank lines are skipped, every field must be valid UTF-8 text.
 * Columns are found by name, English or Chinese (csv_header_map), so their
 * order is free; unknown, duplicated and missing required columns are problems.
 *
 * Problems (struct csv_problems) are what a user fixes in the file: a line, the
 * column as the file names it (NULL for the whole row) and a reason.  Every bad
 * row is reported, not only the first.
 *
 * Import (import_nodes.c, import_persons.c): all rows run through the domain
 * functions inside one transaction, so the same rules apply as for the API.  A
 * dry run, or any problem, rolls the transaction back: an import writes all its
 * rows or nothing.
 *
 * Writing (csv_write.c, export.c): UTF-8 with a BOM (Excel in China needs it),
 * CRLF line ends and RFC 4180 quoting; the columns are those the import reads,
 * so an export imports back unchanged.  Persons' ID numbers and sensitive
 * fields (health, disability, low income, key person) are neither exported nor
 * imported: in bulk they are a leak waiting to happen, and the API reveals them
 * one at a time, audited.
 *
 * Ownership: tables, problems and results own their strings; the _release()
 * functions free them and leave the struct empty (reusable).
 */
#ifndef YL_CSVIO_H
#define YL_CSVIO_H

#include <stddef.h>
#include <stdint.h>

#include "org/org.h"
#include "store/store.h"
#include "util/fault.h"
#include "util/util.h"
#include "org/address.h"

#define CSV_MAX_ROWS 100000		/* data rows in one file */
#define CSV_MAX_FIELD_BYTES 4096	/* one field; longer text is no tree or person data */
#define CSV_MAX_COLUMNS 64

/* Problems. */

struct csv_problem {
	size_t line;			/* 1-based line of the file; the header is line 1 */
	char *column;			/* as named in the file's header; NULL: the whole row */
	char *reason;
};

struct csv_problems {
	struct csv_problem *items;
	size_t n;
	size_t cap;
};

void csv_problem_add(struct csv_problems *p, size_t line, const char *column, const char *fmt, ...) YL_PRINTF(4, 5);
/* Sorts by line (stable) and returns the number of distinct lines with a problem. */
size_t csv_problems_sort(struct csv_problems *p);
void csv_problems_release(struct csv_problems *p);

/* Reading. */

struct csv_row {
	size_t line;
	char **fields;			/* n NUL-terminated, trimmed fields, never NULL */
	size_t n;
	int bad;			/* a problem was already reported for this row */
};

struct csv_table {
	struct csv_row header;		/* n == 0: the text had no rows at all */
	struct csv_row *rows;		/* data rows, blank rows left out */
	size_t nrows;
	size_t cap;
};

/*
 * Parses text (a BOM is skipped) into t.  Returns 0, or -1 when a problem was
 * added to probs: malformed quoting (the row is reported and skipped, parsing
 * goes on from the next line), text that is not UTF-8, too many rows (more
 * than max_rows data rows: parsing stops), an empty file.
 */
int csv_parse_text(const char *text, size_t len, size_t max_rows, struct csv_table *t, struct csv_problems *probs);
void csv_table_release(struct csv_table *t);

/* A column an import reads: its export name, other accepted names (NULL-ended), required or not. */
struct csv_column {
	const char *name;
	const char *const *aliases;
	int required;
};

struct csv_header_map {
	int idx[CSV_MAX_COLUMNS];	/* per column spec: index in the row, -1 when the file lacks it */
	const char *label[CSV_MAX_COLUMNS];	/* per column spec: the name the file uses (points into the table) */
	size_t nfile;			/* fields in the header row */
	int missing_required;		/* 1: a required column is absent (rows cannot be read) */
};

/*
 * Finds each column of cols in the header row (names are trimmed, English ones
 * compared without case).  Unknown, duplicated and unnamed-but-used columns
 * and missing required ones are added to probs (line 1); a row with more
 * fields than the header is reported and marked bad (fewer fields read as
 * blanks).  Returns 0, or -1 when it added a problem.
 */
int csv_header_map(struct csv_table *t, const struct csv_column *cols, size_t ncols, struct csv_header_map *m,
		   struct csv_problems *probs);
/* The value of column spec i in a row: NULL when the file lacks the column or the field is blank. */
const char *csv_value(const struct csv_header_map *m, const struct csv_row *row, size_t i);

/* Writing. */

/* The UTF-8 byte order mark that makes Excel read the file as UTF-8. */
void csv_put_bom(struct buf *b);
/* One field, quoted when it must be; NULL and "" write nothing.  Formula-like text is guarded (see csv_write.c). */
void csv_put_field(struct buf *b, const char *s);
/* A whole record ended by CRLF. */
void csv_put_row(struct buf *b, const char *const *fields, size_t n);
/* The shortest "%.Ng" that reads back as the same double. */
void csv_format_double(double v, char *out, size_t outlen);
/* Undoes the export's formula guard on one imported field (in place). */
void csv_unguard(char *s);

/* Import and export. */

/* Progress of long work: done of total rows (total 0: unknown). */
struct csv_progress {
	void (*fn)(void *ctx, const char *what, size_t done, size_t total);
	void *ctx;
};

struct csv_import_result {
	int dry_run;
	size_t rows;			/* data rows read */
	size_t created, updated, unchanged;
	size_t bad_rows;		/* distinct lines with problems */
	size_t refused;			/* chunked: rows refused while writing, the others written */
	int64_t longest_chunk_us;	/* chunked: the longest a chunk held the writer (begin to commit) */
	struct csv_problems problems;	/* sorted by line */
};

void csv_import_result_release(struct csv_import_result *r);

struct csv_import_options {
	int dry_run;			/* validate everything, write nothing */
	int64_t scope;			/* the acting user's subtree (0: everything): rows may touch nothing outside */
	const struct csv_progress *progress;	/* may be NULL */
	/*
	 * Chunked (the hotline import; import_job.c): validate the whole file
	 * first, writing nothing; then, when every row is good and this is no
	 * dry run, write in bounded transactions of at most chunk_ms (and 500
	 * rows), pausing pause_ms between them so other writers get the store.
	 * A row refused while writing is refused alone (res->refused); the rest
	 * stand.  on_chunk runs inside each chunk's transaction before it commits
	 * (the job's progress row) and may fail it.  0: one transaction, all or
	 * nothing (the caller's, when one is open).
	 */
	int chunk_ms;
	int pause_ms;
	int (*on_chunk)(void *ctx, struct store *s, size_t done, size_t total, struct fault *f);
	void *chunk_ctx;
};

/*
 * Imports nodes (code, name, level, kind, parent_code, address, lat, lng) or
 * persons (name, phone, gender, birth_year, home_code, tags, party_member,
 * member_org_code, member_org_name, living_org_code, registered_on).
 *
 * Returns 0 with the counts (nothing written when dry_run).  Returns -1 with
 * f->code "invalid_csv" (FAULT_INVALID) and res->problems filled when any row
 * is bad: nothing is written.  Any other fault is a store failure.  Inside a
 * caller's transaction a dry run leaves that transaction usable.
 */
int csv_import_nodes(struct store *s, const char *text, size_t len, const struct csv_import_options *opt,
		     struct csv_import_result *res, struct fault *f);
int csv_import_persons(struct store *s, const char *text, size_t len, const struct csv_import_options *opt,
		       struct csv_import_result *res, struct fault *f);
/*
 * Enterprises' monthly indicators (credit_code, month, output, sales, taxes,
 * investment, energy, reason; import_indicators.c): created counts months
 * reported, updated months corrected.  Returns as the imports above.
 */
int csv_import_indicators(struct store *s, const char *text, size_t len, const struct csv_import_options *opt,
			  struct csv_import_result *res, struct fault *f);

/*
 * Appends a CSV file (BOM, header, rows) to out.  under: a subtree (the node
 * itself included; 0: everything); level: nodes of that level only (LEVEL_NONE:
 * all).  Nodes come parents first, so the file imports back in one pass.
 * *rows receives the number of data rows when not NULL.
 */
int csv_export_nodes(struct store *s, int64_t under, enum node_level level, const struct csv_progress *pr,
		     struct buf *out, size_t *rows, struct fault *f);
/*
 * Persons whose home is inside under (0: every person).  Phones are masked
 * (138****1234) unless unmasked: the caller checks the reveal permission and
 * records the export.
 */
int csv_export_persons(struct store *s, int64_t under, int unmasked, const struct csv_progress *pr, struct buf *out,
		       size_t *rows, struct fault *f);

/* A node given as an id ("42") or a code ("MS-01"); -1 with a not-found fault naming field. */
int csv_resolve_node(struct store *s, const char *ref, const char *field, int64_t *id, struct fault *f);

/* Level and kind words an import accepts, English or Chinese. */
enum node_level csv_level_parse(const char *s);
/* The kind in English ("dormitory" for "宿舍"); the input itself when it is no known word. */
const char *csv_kind_parse(const char *s);

/*
 * Hotline orders (import_hotline.c): the CSV a 12345 centre hands down, one
 * order a row, columns by their Chinese names (DOMAIN.md, "The hotline's
 * export"): 工单编号, 受理时间, 来源渠道, 诉求类型, 诉求分类, 紧急程度, 诉求人,
 * 联系电话, 是否保密, 诉求地址, 所属社区, 诉求内容, 办理时限.  Every row becomes a
 * work order of source "hotline" through wo_create(), as actor (NULL: the
 * system, for the console).  The address is matched onto the tree (below);
 * one that matches no courtyard lands at the lowest node that matches, for a
 * person to dispatch, never dropped.  工单编号 is the order's external_no: a
 * number already imported counts as unchanged, so the same file imports
 * twice into one set of orders.  All or nothing, as the other imports.
 */
struct actor;

#define CSV_UNMAPPED_MAX 64

struct csv_hotline_report {
	size_t placed[LEVEL_HOUSEHOLD + 1];	/* created orders by the level of their place (enum node_level) */
	size_t waiting;			/* of them, accepted but waiting for a person to dispatch them */
	size_t by_fallback;		/* of them, placed where nothing in the address matched (the scope or the subdistrict) */
	/* The hotline's category paths that found no category of their own (filed under a parent path's or
	 * the fallback, workorder/config.h), with the created orders of each; the first CSV_UNMAPPED_MAX. */
	struct csv_unmapped {
		char path[400];
		size_t orders;
		int64_t category_id;
		const char *by;		/* "parent" or "fallback" (static) */
	} unmapped[CSV_UNMAPPED_MAX];
	size_t nunmapped;		/* paths kept above */
	size_t unmapped_more;		/* paths beyond them */
	size_t unmapped_orders;		/* created orders under any unmapped path */
};

int csv_import_hotline(struct store *s, const struct actor *a, const char *text, size_t len,
		       const struct csv_import_options *opt, struct csv_import_result *res,
		       struct csv_hotline_report *rep, struct fault *f);

/*
 * Work orders out for reports (export_orders.c): the orders flt finds for a
 * (as GET /work-orders lists them, every page), written to path as CSV or
 * XLSX (table_out.h) in one read snapshot, a page of orders in memory at a
 * time.  Phones masked unless unmasked (the caller checks workorder.reveal);
 * events adds a sheet of the orders' events (CSV: the events instead).
 * *rows: the rows written (orders, or events for a CSV of events).
 */
struct wo_filter;
struct csv_export_orders_options {
	int xlsx;
	int unmasked;
	int events;
	const char *title;		/* XLSX: the report's title and the line below it */
	const char *subtitle;
};

int csv_export_orders(struct store *s, const struct actor *a, const struct wo_filter *flt,
		      const struct csv_export_orders_options *opt, const char *path, size_t *rows, struct fault *f);

#endif
