/*
 * sqlite.c - the embedded backend of store.h on SQLite 3.
 *
 * Every connection runs in WAL mode with foreign keys on, synchronous=FULL (a
 * commit is on disk when it returns) and a busy timeout.  Prepared statements
 * are cached per connection by their SQL text, up to STMT_CACHE_SIZE of them;
 * statements beyond that are finalized when given back.
 *
 * Transactions nest: the outermost begin is BEGIN [IMMEDIATE] and its commit
 * COMMIT; every inner level is a savepoint (yl_sp_DEPTH), released by its
 * commit or undone by its rollback, so an inner failure takes back only its
 * own work and the level above decides what happens next.  When SQLite itself
 * throws the whole transaction away (an I/O error, a full disk), or a savepoint
 * cannot be made or undone, the transaction is marked failed: no inner level
 * can begin or commit any more and the outermost commit rolls back and
 * reports an error, so a caller never half-writes.
 */
#include "store/store.h"
#include "util/util.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE_SIZE 256
#define BUSY_TIMEOUT_MS 10000

struct store_stmt {
	sqlite3_stmt *st;
	struct store *s;
	char *sql;
	uint64_t hash;
	int cached;
	int in_use;
};

struct store {
	sqlite3 *db;
	int depth;
	int failed;
	char err[512];
	struct store_stmt *cache[STMT_CACHE_SIZE];
	int ncache;
};

static uint64_t hash_sql(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int seterr(struct store *s, int rc)
{
	int ext = sqlite3_extended_errcode(s->db);

	snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(s->db));
	if ((rc & 0xff) == SQLITE_CONSTRAINT || (ext & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONSTRAINT;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return STORE_BUSY;
	return STORE_ERROR;
}

static const char *strip_scheme(const char *dsn)
{
	if (strncmp(dsn, "sqlite:", 7) == 0)
		return dsn + 7;
	return dsn;
}

struct store *store_open(const char *dsn, char *err, size_t errlen)
{
	static const char *pragmas =
		"PRAGMA journal_mode=WAL;"
		"PRAGMA synchronous=FULL;"
		"PRAGMA foreign_keys=ON;"
		"PRAGMA temp_store=MEMORY;"
		"PRAGMA cache_size=-16000;";
	struct store *s;
	const char *path;
	char *msg = NULL;
	int rc;

	if (!dsn || !*dsn) {
		set_error(err, errlen, "no database given");
		return NULL;
	}
	if (strncmp(dsn, "postgresql://", 13) == 0 || strncmp(dsn, "postgres://", 11) == 0) {
		set_error(err, errlen, "this build has no PostgreSQL backend yet: use sqlite:PATH");
		return NULL;
	}
	path = strip_scheme(dsn);
	if (!*path) {
		set_error(err, errlen, "empty database path in '%s'", dsn);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	rc = sqlite3_open_v2(path, &s->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		set_error(err, errlen, "cannot open database '%s': %s", path,
			  s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_exec(s->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		set_error(err, errlen, "cannot set up database '%s': %s", path, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	return s;
}

void store_close(struct store *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < s->ncache; i++) {
		sqlite3_finalize(s->cache[i]->st);
		free(s->cache[i]->sql);
		free(s->cache[i]);
	}
	if (s->depth > 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	/* Checkpoint on the way out so that a clean stop leaves a small WAL. */
	sqlite3_close(s->db);
	free(s);
}

enum store_backend store_backend(const struct store *s)
{
	YL_UNUSED(s);
	return STORE_SQLITE;
}

/*
 * The transaction SQLite had open is gone although callers are still inside
 * one: SQLite rolled it back on its own (I/O error, full disk, interrupt).
 */
static int lost(struct store *s)
{
	if (s->depth > 0 && !s->failed && sqlite3_get_autocommit(s->db)) {
		s->failed = 1;
		snprintf(s->err, sizeof(s->err), "the transaction was rolled back by an earlier error");
	}
	return s->failed;
}

enum sp_op { SP_OPEN, SP_RELEASE, SP_UNDO };

/* Opens, releases or undoes the savepoint that opened level depth + 1. */
static int savepoint(struct store *s, enum sp_op op, int depth)
{
	char sql[96];
	int rc;

	if (op == SP_OPEN)
		snprintf(sql, sizeof(sql), "SAVEPOINT yl_sp_%d", depth);
	else if (op == SP_RELEASE)
		snprintf(sql, sizeof(sql), "RELEASE yl_sp_%d", depth);
	else
		snprintf(sql, sizeof(sql), "ROLLBACK TO yl_sp_%d; RELEASE yl_sp_%d", depth, depth);
	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? STORE_OK : seterr(s, rc);
}

static int begin(struct store *s, const char *sql)
{
	int rc;

	if (s->depth == 0) {
		rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return seterr(s, rc);
		s->failed = 0;
		s->depth = 1;
		return STORE_OK;
	}
	if (lost(s))
		return STORE_ERROR;
	if ((rc = savepoint(s, SP_OPEN, s->depth)) != STORE_OK)
		return rc;
	s->depth++;
	return STORE_OK;
}

int store_begin(struct store *s)
{
	return begin(s, "BEGIN");
}

int store_begin_write(struct store *s)
{
	return begin(s, "BEGIN IMMEDIATE");
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
		if ((rc = savepoint(s, SP_RELEASE, s->depth)) != STORE_OK) {
			s->failed = 1;
			return rc;
		}
		return STORE_OK;
	}
	s->depth = 0;
	if (s->failed || sqlite3_get_autocommit(s->db)) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		if (!s->failed)
			snprintf(s->err, sizeof(s->err), "the transaction was rolled back by an earlier error");
		s->failed = 0;
		return STORE_ERROR;
	}
	rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int r = seterr(s, rc);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return r;
	}
	return STORE_OK;
}

int store_rollback(struct store *s)
{
	if (s->depth <= 0)
		return STORE_OK;
	if (s->depth > 1) {
		s->depth--;
		/* A lost transaction has nothing left to undo here: the outermost level rolls back. */
		if (!lost(s) && savepoint(s, SP_UNDO, s->depth) != STORE_OK)
			s->failed = 1;
		return STORE_OK;
	}
	s->depth = 0;
	s->failed = 0;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return STORE_OK;
}

int store_in_transaction(const struct store *s)
{
	return s->depth > 0;
}

int store_exec(struct store *s, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		int r = seterr(s, rc);
		if (msg)
			snprintf(s->err, sizeof(s->err), "%s", msg);
		sqlite3_free(msg);
		return r;
	}
	return STORE_OK;
}

static struct store_stmt *cache_find(struct store *s, const char *sql, uint64_t h)
{
	int i;

	for (i = 0; i < s->ncache; i++) {
		struct store_stmt *c = s->cache[i];
		if (c->hash == h && !c->in_use && strcmp(c->sql, sql) == 0)
			return c;
	}
	return NULL;
}

struct store_stmt *store_prepare(struct store *s, const char *sql)
{
	uint64_t h = hash_sql(sql);
	struct store_stmt *st = cache_find(s, sql, h);
	sqlite3_stmt *raw = NULL;
	int rc;

	if (st) {
		st->in_use = 1;
		return st;
	}
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL);
	if (rc != SQLITE_OK) {
		seterr(s, rc);
		fatal("cannot prepare SQL: %s\n%s", s->err, sql);
	}
	st = xcalloc(1, sizeof(*st));
	st->st = raw;
	st->s = s;
	st->sql = xstrdup(sql);
	st->hash = h;
	st->in_use = 1;
	if (s->ncache < STMT_CACHE_SIZE) {
		st->cached = 1;
		s->cache[s->ncache++] = st;
	}
	return st;
}

void store_done(struct store_stmt *st)
{
	if (!st)
		return;
	if (st->cached) {
		sqlite3_reset(st->st);
		sqlite3_clear_bindings(st->st);
		st->in_use = 0;
		return;
	}
	sqlite3_finalize(st->st);
	free(st->sql);
	free(st);
}

static int bindrc(struct store_stmt *st, int rc)
{
	return rc == SQLITE_OK ? STORE_OK : seterr(st->s, rc);
}

int store_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
	return bindrc(st, sqlite3_bind_int64(st->st, idx, v));
}

int store_bind_double(struct store_stmt *st, int idx, double v)
{
	return bindrc(st, sqlite3_bind_double(st->st, idx, v));
}

int store_bind_text(struct store_stmt *st, int idx, const char *v)
{
	if (!v)
		return store_bind_null(st, idx);
	return bindrc(st, sqlite3_bind_text(st->st, idx, v, -1, SQLITE_TRANSIENT));
}

int store_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n)
{
	return bindrc(st, sqlite3_bind_blob64(st->st, idx, p, n, SQLITE_TRANSIENT));
}

int store_bind_null(struct store_stmt *st, int idx)
{
	return bindrc(st, sqlite3_bind_null(st->st, idx));
}

int store_bind_id(struct store_stmt *st, int idx, int64_t v)
{
	return v ? store_bind_int64(st, idx, v) : store_bind_null(st, idx);
}

int store_step(struct store_stmt *st)
{
	int rc = sqlite3_step(st->st);

	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	return seterr(st->s, rc);
}

int store_column_count(struct store_stmt *st)
{
	return sqlite3_column_count(st->st);
}

int store_column_is_null(struct store_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

int64_t store_column_int64(struct store_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

double store_column_double(struct store_stmt *st, int col)
{
	return sqlite3_column_double(st->st, col);
}

const char *store_column_text(struct store_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

const void *store_column_blob(struct store_stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(st->st, col);

	*n = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

const char *store_column_name(struct store_stmt *st, int col)
{
	return sqlite3_column_name(st->st, col);
}

int64_t store_last_id(struct store *s)
{
	return sqlite3_last_insert_rowid(s->db);
}

int64_t store_changes(struct store *s)
{
	return sqlite3_changes64(s->db);
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
