/*
 * sqlite.c - the embedded backend of store.h on SQLite 3.
 *
 * Every connection runs in WAL mode with foreign keys on, synchronous=FULL (a
 * commit is on disk when it returns) and a busy timeout.  Prepared statements
 * are cached per connection by their SQL text, up to STMT_CACHE_SIZE of them;
 * statements beyond that are finalized when given back.  A write transaction
 * is BEGIN IMMEDIATE: the one write lock of the file, taken at once.  Nesting
 * and failed transactions are store.c's.
 */
#include "store/store_impl.h"
#include "util/util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE_SIZE 256
#define BUSY_TIMEOUT_MS 10000
#define BUSY_STEP_MS 2

/*
 * Waits for another connection's write lock in steps of BUSY_STEP_MS, at most
 * BUSY_TIMEOUT_MS.  SQLite's own busy timeout sleeps up to 100 ms at a time,
 * so a waiting writer could miss the short gap an import job leaves between
 * its chunks (api_import_jobs.c) and wait a whole chunk more.
 */
static int busy_wait(void *arg, int count)
{
	(void)arg;
	if (count >= BUSY_TIMEOUT_MS / BUSY_STEP_MS)
		return 0;
	sqlite3_sleep(BUSY_STEP_MS);
	return 1;
}

struct lite_stmt {
	struct store_stmt base;
	sqlite3_stmt *st;
	char *sql;
	uint64_t hash;
	int cached;
	int in_use;
};

struct lite {
	struct store base;
	sqlite3 *db;
	struct lite_stmt *cache[STMT_CACHE_SIZE];
	int ncache;
};

#define LITE(s) ((struct lite *)(s))
#define LST(st) ((struct lite_stmt *)(st))

static const struct store_ops lite_ops;

static int seterr(struct store *s, int rc)
{
	sqlite3 *db = LITE(s)->db;
	int ext = sqlite3_extended_errcode(db);

	snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(db));
	if ((rc & 0xff) == SQLITE_CONSTRAINT || (ext & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONSTRAINT;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return STORE_BUSY;
	return STORE_ERROR;
}

struct store *store_sqlite_open(const char *path, char *err, size_t errlen)
{
	static const char *pragmas =
		"PRAGMA journal_mode=WAL;"
		"PRAGMA synchronous=FULL;"
		"PRAGMA foreign_keys=ON;"
		"PRAGMA temp_store=MEMORY;"
		"PRAGMA cache_size=-16000;";
	struct lite *l;
	char *msg = NULL;
	int rc;

	l = xcalloc(1, sizeof(*l));
	l->base.ops = &lite_ops;
	rc = sqlite3_open_v2(path, &l->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		set_error(err, errlen, "cannot open database '%s': %s", path,
			  l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc));
		sqlite3_close(l->db);
		free(l);
		return NULL;
	}
	sqlite3_busy_handler(l->db, busy_wait, NULL);
	sqlite3_extended_result_codes(l->db, 1);
	if (sqlite3_exec(l->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		set_error(err, errlen, "cannot set up database '%s': %s", path, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(l->db);
		free(l);
		return NULL;
	}
	return &l->base;
}

static void lite_close(struct store *s)
{
	struct lite *l = LITE(s);
	int i;

	for (i = 0; i < l->ncache; i++) {
		sqlite3_finalize(l->cache[i]->st);
		free(l->cache[i]->sql);
		free(l->cache[i]);
	}
	if (s->depth > 0)
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(l->db);
	free(l);
}

/* SQLite rolled the transaction back on its own (I/O error, full disk, interrupt). */
static int lite_lost(struct store *s)
{
	return sqlite3_get_autocommit(LITE(s)->db);
}

static int run(struct store *s, const char *sql)
{
	int rc = sqlite3_exec(LITE(s)->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? STORE_OK : seterr(s, rc);
}

static int lite_begin(struct store *s, int write)
{
	return run(s, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int lite_commit(struct store *s)
{
	int rc = run(s, "COMMIT");

	if (rc != STORE_OK)
		sqlite3_exec(LITE(s)->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static void lite_rollback(struct store *s)
{
	sqlite3_exec(LITE(s)->db, "ROLLBACK", NULL, NULL, NULL);
}

static int lite_savepoint(struct store *s, int op, int depth)
{
	char sql[96];

	if (op == SP_OPEN)
		snprintf(sql, sizeof(sql), "SAVEPOINT yl_sp_%d", depth);
	else if (op == SP_RELEASE)
		snprintf(sql, sizeof(sql), "RELEASE yl_sp_%d", depth);
	else
		snprintf(sql, sizeof(sql), "ROLLBACK TO yl_sp_%d; RELEASE yl_sp_%d", depth, depth);
	return run(s, sql);
}

static int lite_exec(struct store *s, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(LITE(s)->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		int r = seterr(s, rc);
		if (msg)
			snprintf(s->err, sizeof(s->err), "%s", msg);
		sqlite3_free(msg);
		return r;
	}
	return STORE_OK;
}

static struct lite_stmt *cache_find(struct lite *l, const char *sql, uint64_t h)
{
	int i;

	for (i = 0; i < l->ncache; i++) {
		struct lite_stmt *c = l->cache[i];
		if (c->hash == h && !c->in_use && strcmp(c->sql, sql) == 0)
			return c;
	}
	return NULL;
}

static struct store_stmt *lite_prepare(struct store *s, const char *sql)
{
	struct lite *l = LITE(s);
	uint64_t h = store_hash_sql(sql);
	struct lite_stmt *st = cache_find(l, sql, h);
	sqlite3_stmt *raw = NULL;
	int rc;

	if (st) {
		st->in_use = 1;
		return &st->base;
	}
	rc = sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL);
	if (rc != SQLITE_OK) {
		seterr(s, rc);
		fatal("cannot prepare SQL: %s\n%s", s->err, sql);
	}
	st = xcalloc(1, sizeof(*st));
	st->base.s = s;
	st->st = raw;
	st->sql = xstrdup(sql);
	st->hash = h;
	st->in_use = 1;
	if (l->ncache < STMT_CACHE_SIZE) {
		st->cached = 1;
		l->cache[l->ncache++] = st;
	}
	return &st->base;
}

static void lite_done(struct store_stmt *base)
{
	struct lite_stmt *st = LST(base);

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

static int lite_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
	return bindrc(st, sqlite3_bind_int64(LST(st)->st, idx, v));
}

static int lite_bind_double(struct store_stmt *st, int idx, double v)
{
	return bindrc(st, sqlite3_bind_double(LST(st)->st, idx, v));
}

static int lite_bind_text(struct store_stmt *st, int idx, const char *v)
{
	return bindrc(st, sqlite3_bind_text(LST(st)->st, idx, v, -1, SQLITE_TRANSIENT));
}

static int lite_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n)
{
	return bindrc(st, sqlite3_bind_blob64(LST(st)->st, idx, p, n, SQLITE_TRANSIENT));
}

static int lite_bind_null(struct store_stmt *st, int idx)
{
	return bindrc(st, sqlite3_bind_null(LST(st)->st, idx));
}

static int lite_step(struct store_stmt *st)
{
	int rc = sqlite3_step(LST(st)->st);

	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	return seterr(st->s, rc);
}

static int lite_column_count(struct store_stmt *st)
{
	return sqlite3_column_count(LST(st)->st);
}

static int lite_column_is_null(struct store_stmt *st, int col)
{
	return sqlite3_column_type(LST(st)->st, col) == SQLITE_NULL;
}

static int64_t lite_column_int64(struct store_stmt *st, int col)
{
	return sqlite3_column_int64(LST(st)->st, col);
}

static double lite_column_double(struct store_stmt *st, int col)
{
	return sqlite3_column_double(LST(st)->st, col);
}

static const char *lite_column_text(struct store_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(LST(st)->st, col);
}

static const void *lite_column_blob(struct store_stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(LST(st)->st, col);

	*n = (size_t)sqlite3_column_bytes(LST(st)->st, col);
	return p;
}

static const char *lite_column_name(struct store_stmt *st, int col)
{
	return sqlite3_column_name(LST(st)->st, col);
}

static int lite_column_type(struct store_stmt *st, int col)
{
	switch (sqlite3_column_type(LST(st)->st, col)) {
	case SQLITE_INTEGER:
		return STORE_T_INT;
	case SQLITE_FLOAT:
		return STORE_T_REAL;
	case SQLITE_BLOB:
		return STORE_T_BLOB;
	case SQLITE_NULL:
		return STORE_T_NULL;
	default:
		return STORE_T_TEXT;
	}
}

/* In the order made (rowid of sqlite_schema); not SQLite's own, nor a virtual table's or its shadows. */
static char **lite_tables(struct store *s)
{
	static const char SQL[] =
		"SELECT t.name FROM sqlite_schema t WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
		" AND t.sql NOT LIKE 'CREATE VIRTUAL%' AND NOT EXISTS (SELECT 1 FROM sqlite_schema v"
		" WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL%' AND substr(t.name, 1, length(v.name) + 1) = v.name || '_')"
		" ORDER BY t.rowid";
	struct store_stmt *st = lite_prepare(s, SQL);
	char **names = NULL;
	size_t n = 0;

	while (lite_step(st) == STORE_ROW) {
		names = xrealloc(names, (n + 2) * sizeof(*names));
		names[n++] = xstrdup(lite_column_text(st, 0));
		names[n] = NULL;
	}
	lite_done(st);
	if (!names)
		names = xcalloc(1, sizeof(*names));
	return names;
}

static int lite_defer_constraints(struct store *s)
{
	return run(s, "PRAGMA defer_foreign_keys = ON");
}

static int lite_sync_ids(struct store *s)
{
	YL_UNUSED(s);
	return STORE_OK;
}

static int64_t lite_last_id(struct store *s)
{
	return sqlite3_last_insert_rowid(LITE(s)->db);
}

static int64_t lite_changes(struct store *s)
{
	return sqlite3_changes64(LITE(s)->db);
}

static const struct store_ops lite_ops = {
	.backend = STORE_SQLITE,
	.close = lite_close,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.savepoint = lite_savepoint,
	.lost = lite_lost,
	.exec = lite_exec,
	.prepare = lite_prepare,
	.done = lite_done,
	.bind_int64 = lite_bind_int64,
	.bind_double = lite_bind_double,
	.bind_text = lite_bind_text,
	.bind_blob = lite_bind_blob,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.column_count = lite_column_count,
	.column_is_null = lite_column_is_null,
	.column_int64 = lite_column_int64,
	.column_double = lite_column_double,
	.column_text = lite_column_text,
	.column_blob = lite_column_blob,
	.column_name = lite_column_name,
	.column_type = lite_column_type,
	.tables = lite_tables,
	.defer_constraints = lite_defer_constraints,
	.sync_ids = lite_sync_ids,
	.last_id = lite_last_id,
	.changes = lite_changes,
};
