/*
 * import.c - the frame every CSV import shares: parse, map the header, run the
 * rows inside one write transaction, then commit only when every row was good
 * and this is no dry run.  Row problems never stop the run: all are reported.
 */
#include "csvio/import.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_import_result_release(struct csv_import_result *r)
{
	csv_problems_release(&r->problems);
	memset(r, 0, sizeof(*r));
}

void import_problem(struct import_run *r, const struct csv_row *row, int i, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	csv_problem_add(&r->res->problems, row->line, i >= 0 ? r->map.label[i] : NULL, "%s", msg.data);
	buf_release(&msg);
}

void import_store_failed(struct import_run *r, const struct fault *f)
{
	if (!r->store_failed) {
		r->store_failed = 1;
		r->store_fault = *f;
	}
}

void import_progress(struct import_run *r, size_t done)
{
	if (r->pr && r->pr->fn && (done % 250 == 0 || done == r->table.nrows))
		r->pr->fn(r->pr->ctx, r->what, done, r->table.nrows);
}

/*
 * A dry run undoes its rows with a savepoint, not a rollback: when the import
 * runs inside a caller's transaction (the API's, which also holds the audit
 * row), a rollback of the inner level would doom the whole transaction, while
 * the savepoint undoes only the rows.  Both backends speak this SQL.
 */
static const char SQL_DRY_RUN_BEGIN[] = "SAVEPOINT csv_dry_run";
static const char SQL_DRY_RUN_UNDO[] = "ROLLBACK TO SAVEPOINT csv_dry_run; RELEASE SAVEPOINT csv_dry_run";

int import_in_scope(struct import_run *r, const struct csv_row *row, int i, int64_t node, const char *what)
{
	int within;

	if (!r->scope)
		return 1;
	within = node ? org_is_within(r->s, r->scope, node) : 0;
	if (within < 0) {
		struct fault f = { 0 };

		store_fault(r->s, STORE_ERROR, &f);
		import_store_failed(r, &f);
		return -1;
	}
	if (!within)
		import_problem(r, row, i, "%s is outside the part of the tree you may change", what);
	return within;
}

int import_start(struct import_run *r, struct store *s, const char *text, size_t len, const struct csv_column *cols,
		 size_t ncols, const char *what, const struct csv_import_options *opt, struct csv_import_result *res,
		 struct fault *f)
{
	int parsed, rc, dry_run = opt->dry_run;

	memset(r, 0, sizeof(*r));
	memset(res, 0, sizeof(*res));
	r->s = s;
	r->cols = cols;
	r->res = res;
	r->pr = opt->progress;
	r->what = what;
	r->scope = opt->scope;
	res->dry_run = dry_run;
	parsed = csv_parse_text(text, len, CSV_MAX_ROWS, &r->table, &res->problems);
	res->rows = r->table.nrows;
	if (!r->table.header.line)
		return 0;
	csv_header_map(&r->table, cols, ncols, &r->map, &res->problems);
	if (r->map.missing_required)
		return 0;
	/* Too many rows: parsing stopped, and running 100,000 rows only to refuse them helps nobody. */
	if (parsed < 0 && r->table.nrows >= CSV_MAX_ROWS)
		return 0;
	if (opt->chunk_ms > 0)
		return 1;		/* chunked: the run opens its own transactions (import_chunk_*) */
	if ((rc = store_begin_write(s)) != STORE_OK) {
		csv_table_release(&r->table);
		return store_fault(s, rc, f);
	}
	if (dry_run && (rc = store_exec(s, SQL_DRY_RUN_BEGIN)) != STORE_OK) {
		store_fault(s, rc, f);
		store_rollback(s);
		csv_table_release(&r->table);
		return -1;
	}
	r->began = 1;
	return 1;
}

int import_finish(struct import_run *r, struct fault *f)
{
	struct csv_import_result *res = r->res;
	int rc, ret = 0;

	res->bad_rows = csv_problems_sort(&res->problems);
	if (r->began && res->dry_run && (rc = store_exec(r->s, SQL_DRY_RUN_UNDO)) != STORE_OK && !r->store_failed) {
		struct fault sf = { 0 };

		store_fault(r->s, rc, &sf);
		import_store_failed(r, &sf);
	}
	if (r->store_failed) {
		*f = r->store_fault;
		ret = -1;
		if (r->began)
			store_rollback(r->s);
	} else if (res->problems.n) {
		if (r->began)
			store_rollback(r->s);
		fault_set(f, FAULT_INVALID, NULL, "%zu row%s ha%s errors; nothing was written", res->bad_rows,
			  res->bad_rows == 1 ? "" : "s", res->bad_rows == 1 ? "s" : "ve");
		snprintf(f->code, sizeof(f->code), "%s", "invalid_csv");
		ret = -1;
	} else if (r->began && (rc = store_commit(r->s)) != STORE_OK) {
		ret = store_fault(r->s, rc, f);
	}
	r->began = 0;
	csv_table_release(&r->table);
	return ret;
}

int import_chunk_begin(struct import_run *r)
{
	int rc = store_begin_write(r->s);

	if (rc != STORE_OK) {
		struct fault f = { 0 };

		store_fault(r->s, rc, &f);
		import_store_failed(r, &f);
		return -1;
	}
	r->began = 1;
	return 0;
}

int import_chunk_commit(struct import_run *r)
{
	int rc;

	r->began = 0;
	if (r->store_failed) {
		store_rollback(r->s);
		return -1;
	}
	if ((rc = store_commit(r->s)) != STORE_OK) {
		struct fault f = { 0 };

		store_fault(r->s, rc, &f);
		import_store_failed(r, &f);
		return -1;
	}
	return 0;
}

int import_finish_chunked(struct import_run *r, int wrote, struct fault *f)
{
	struct csv_import_result *res = r->res;

	if (!wrote)
		return import_finish(r, f);	/* validation found problems, or a dry run: nothing written */
	if (r->began) {
		store_rollback(r->s);
		r->began = 0;
	}
	res->bad_rows = csv_problems_sort(&res->problems);
	res->refused = res->bad_rows;
	csv_table_release(&r->table);
	if (r->store_failed) {
		*f = r->store_fault;
		return -1;
	}
	return 0;
}
