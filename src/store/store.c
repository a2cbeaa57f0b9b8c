/*
 * store.c - the backend-neutral half of store.h: opening by DSN, nested
 * transactions (savepoints) and the calls every backend answers through its
 * ops (store_impl.h).
 *
 * Transactions nest: the outermost begin is the backend's BEGIN and its
 * commit COMMIT; every inner level is a savepoint (yl_sp_DEPTH), released by
 * its commit or undone by its rollback, so an inner failure takes back only
 * its own work and the level above decides what happens next.  When the
 * backend throws the whole transaction away (an I/O error, a full disk), or a
 * savepoint cannot be made or undone, the transaction is marked failed: no
 * inner level can begin or commit any more and the outermost commit rolls back
 * and reports an error, so a caller never half-writes.
 */
#include "store/store_impl.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

uint64_t store_hash_sql(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int is_pg_dsn(const char *dsn)
{
	return strncmp(dsn, "postgresql://", 13) == 0 || strncmp(dsn, "postgres://", 11) == 0 ||
	       strncmp(dsn, "postgresql:", 11) == 0;
}

struct store *store_open(const char *dsn, char *err, size_t errlen)
{
	const char *path = dsn;

	if (!dsn || !*dsn) {
		set_error(err, errlen, "no database given");
		return NULL;
	}
	if (is_pg_dsn(dsn))
		return store_pg_open(dsn, err, errlen);
	if (strncmp(dsn, "sqlite:", 7) == 0)
		path = dsn + 7;
	if (!*path) {
		set_error(err, errlen, "empty database path in '%s'", dsn);
		return NULL;
	}
	return store_sqlite_open(path, err, errlen);
}

void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

enum store_backend store_backend(const struct store *s)
{
	return s->ops->backend;
}

static int lost(struct store *s)
{
	if (s->depth > 0 && !s->failed && s->ops->lost(s)) {
		s->failed = 1;
		snprintf(s->err, sizeof(s->err), "the transaction was rolled back by an earlier error");
	}
	return s->failed;
}

static int begin(struct store *s, int write)
{
	int rc;

	if (s->depth == 0) {
		if ((rc = s->ops->begin(s, write)) != STORE_OK)
			return rc;
		s->failed = 0;
		s->depth = 1;
		return STORE_OK;
	}
	if (lost(s))
		return STORE_ERROR;
	if ((rc = s->ops->savepoint(s, SP_OPEN, s->depth)) != STORE_OK)
		return rc;
	s->depth++;
	return STORE_OK;
}

int store_begin(struct store *s)
{
	return begin(s, 0);
}

int store_begin_write(struct store *s)
{
	return begin(s, 1);
}

int store_commit(struct store *s)
{
	int rc;

	if (s->depth <= 0) {
		snprintf(s->err, sizeof(s->err), "commit without a transaction");
		return STORE_ERROR;
	}
	if (s->depth > 1) {
		s->depth--;
		if (lost(s))
			return STORE_ERROR;
		if ((rc = s->ops->savepoint(s, SP_RELEASE, s->depth)) != STORE_OK) {
			s->failed = 1;
			return rc;
		}
		return STORE_OK;
	}
	s->depth = 0;
	if (s->failed || s->ops->lost(s)) {
		s->ops->rollback(s);
		if (!s->failed)
			snprintf(s->err, sizeof(s->err), "the transaction was rolled back by an earlier error");
		s->failed = 0;
		return STORE_ERROR;
	}
	return s->ops->commit(s);
}

int store_rollback(struct store *s)
{
	if (s->depth <= 0)
		return STORE_OK;
	if (s->depth > 1) {
		s->depth--;
		/* A lost transaction has nothing left to undo here: the outermost level rolls back. */
		if (!lost(s) && s->ops->savepoint(s, SP_UNDO, s->depth) != STORE_OK)
			s->failed = 1;
		return STORE_OK;
	}
	s->depth = 0;
	s->failed = 0;
	s->ops->rollback(s);
	return STORE_OK;
}

int store_in_transaction(const struct store *s)
{
	return s->depth > 0;
}

int store_exec(struct store *s, const char *sql)
{
	return s->ops->exec(s, sql);
}

struct store_stmt *store_prepare(struct store *s, const char *sql)
{
	return s->ops->prepare(s, sql);
}

void store_done(struct store_stmt *st)
{
	if (st)
		st->s->ops->done(st);
}

int store_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
	return st->s->ops->bind_int64(st, idx, v);
}

int store_bind_double(struct store_stmt *st, int idx, double v)
{
	return st->s->ops->bind_double(st, idx, v);
}

int store_bind_text(struct store_stmt *st, int idx, const char *v)
{
	if (!v)
		return store_bind_null(st, idx);
	return st->s->ops->bind_text(st, idx, v);
}

int store_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n)
{
	return st->s->ops->bind_blob(st, idx, p, n);
}

int store_bind_null(struct store_stmt *st, int idx)
{
	return st->s->ops->bind_null(st, idx);
}

int store_bind_id(struct store_stmt *st, int idx, int64_t v)
{
	return v ? store_bind_int64(st, idx, v) : store_bind_null(st, idx);
}

int store_step(struct store_stmt *st)
{
	return st->s->ops->step(st);
}

int store_column_count(struct store_stmt *st)
{
	return st->s->ops->column_count(st);
}

int store_column_is_null(struct store_stmt *st, int col)
{
	return st->s->ops->column_is_null(st, col);
}

int64_t store_column_int64(struct store_stmt *st, int col)
{
	return st->s->ops->column_int64(st, col);
}

double store_column_double(struct store_stmt *st, int col)
{
	return st->s->ops->column_double(st, col);
}

const char *store_column_text(struct store_stmt *st, int col)
{
	return st->s->ops->column_text(st, col);
}

const void *store_column_blob(struct store_stmt *st, int col, size_t *n)
{
	return st->s->ops->column_blob(st, col, n);
}

const char *store_column_name(struct store_stmt *st, int col)
{
	return st->s->ops->column_name(st, col);
}

int store_column_type(struct store_stmt *st, int col)
{
	return st->s->ops->column_type(st, col);
}

char **store_tables(struct store *s)
{
	return s->ops->tables(s);
}

int store_defer_constraints(struct store *s)
{
	if (s->depth == 0) {
		snprintf(s->err, sizeof(s->err), "constraints are deferred inside a transaction only");
		return STORE_ERROR;
	}
	return s->ops->defer_constraints(s);
}

int store_sync_ids(struct store *s)
{
	return s->ops->sync_ids(s);
}

int64_t store_last_id(struct store *s)
{
	return s->ops->last_id(s);
}

int64_t store_changes(struct store *s)
{
	return s->ops->changes(s);
}

const char *store_errmsg(const struct store *s)
{
	return s->err;
}

int store_query_int64(struct store *s, const char *sql, int64_t *out, int nparams, ...)
{
	struct store_stmt *st = store_prepare(s, sql);
	va_list ap;
	int i, rc;

	va_start(ap, nparams);
	for (i = 1; i <= nparams; i++)
		store_bind_int64(st, i, va_arg(ap, int64_t));
	va_end(ap);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*out = store_column_int64(st, 0);
		rc = STORE_OK;
	} else if (rc == STORE_DONE) {
		rc = STORE_NOTFOUND;
	}
	store_done(st);
	return rc;
}
