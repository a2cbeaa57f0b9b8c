/*
 * store.h - the only door to the database.
 *
 * A struct store is one connection, used by one thread at a time.  SQL text is
 * written once, with '?' placeholders, in the dialect both backends accept; a
 * backend rewrites what it must (placeholders, a few functions) in one place.
 *
 * Statements: store_prepare() returns a statement that belongs to the
 * connection (it may come from a cache keyed by the SQL text); the caller binds,
 * steps and reads columns, then gives it back with store_done().  Text returned
 * by store_column_text() is valid until the next step or store_done().
 *
 * Errors: functions return STORE_OK (0) or a negative STORE_* code and leave a
 * message in store_errmsg().  STORE_CONSTRAINT and STORE_BUSY are told apart so
 * callers can answer 409 or retry.
 */
#ifndef YL_STORE_H
#define YL_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct store_stmt;

enum store_rc {
	STORE_OK = 0,
	STORE_ROW = 1,		/* store_step: a row is ready */
	STORE_DONE = 2,		/* store_step: no more rows */
	STORE_ERROR = -1,
	STORE_CONSTRAINT = -2,	/* unique, foreign key or check constraint */
	STORE_BUSY = -3,	/* locked by another writer past the busy timeout */
	STORE_NOTFOUND = -4,	/* used by callers: the row asked for is not there */
};

enum store_backend { STORE_SQLITE, STORE_POSTGRES };

/*
 * Opens "sqlite:PATH", a plain PATH, or "postgresql://..." (libpq's URI:
 * postgresql://user@host/db, or postgresql:///db?host=/socket/dir).
 * On failure returns NULL and fills err.
 */
struct store *store_open(const char *dsn, char *err, size_t errlen);
void store_close(struct store *s);
enum store_backend store_backend(const struct store *s);

/*
 * Transactions.  store_begin_write() takes the write lock at once.
 *
 * They nest: a begin inside a transaction opens a savepoint.  An inner commit
 * keeps the inner work as part of the enclosing transaction (nothing is on
 * disk before the outermost commit returns); an inner rollback undoes only the
 * inner work, and the enclosing level goes on.  So a function that fails must
 * say so (return -1) and its caller decides: roll back too (all or nothing), or
 * carry on without that part (one failed order in a group commit).  When the
 * database throws the whole transaction away (I/O error, full disk) no inner
 * begin or commit succeeds any more and the outermost commit reports an error.
 * Every begin that returned STORE_OK is paired with one commit or rollback; a
 * begin that failed is not.
 */
int store_begin(struct store *s);
int store_begin_write(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s);
int store_in_transaction(const struct store *s);

/* Runs SQL without parameters (one or more statements). */
int store_exec(struct store *s, const char *sql);

struct store_stmt *store_prepare(struct store *s, const char *sql);
void store_done(struct store_stmt *st);

int store_bind_int64(struct store_stmt *st, int idx, int64_t v);
int store_bind_double(struct store_stmt *st, int idx, double v);
int store_bind_text(struct store_stmt *st, int idx, const char *v);	/* NULL binds NULL */
int store_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n);
int store_bind_null(struct store_stmt *st, int idx);
/* Binds NULL when v is 0: convenient for optional foreign keys. */
int store_bind_id(struct store_stmt *st, int idx, int64_t v);

int store_step(struct store_stmt *st);

int store_column_count(struct store_stmt *st);
int store_column_is_null(struct store_stmt *st, int col);
int64_t store_column_int64(struct store_stmt *st, int col);
double store_column_double(struct store_stmt *st, int col);
const char *store_column_text(struct store_stmt *st, int col);	/* NULL for NULL */
const void *store_column_blob(struct store_stmt *st, int col, size_t *n);
const char *store_column_name(struct store_stmt *st, int col);

/* What a column's value is, as the backend reports it (copies and checksums). */
enum store_type { STORE_T_NULL, STORE_T_INT, STORE_T_REAL, STORE_T_TEXT, STORE_T_BLOB };
int store_column_type(struct store_stmt *st, int col);

/*
 * For whole-database copies (yuanluo migrate-db).  store_tables(): the tables
 * of the schema in the order they were made (referenced tables first), without
 * the backend's own or derived ones (SQLite's full-text index); a NULL-ended
 * array the caller frees with free_strv().  store_defer_constraints(): inside
 * a write transaction, foreign keys are checked at its commit, not per row.
 * store_sync_ids(): after rows came in with their ids, new ids continue above
 * them (PostgreSQL's identity sequences; nothing to do on SQLite).
 */
char **store_tables(struct store *s);
int store_defer_constraints(struct store *s);
int store_sync_ids(struct store *s);

int64_t store_last_id(struct store *s);
int64_t store_changes(struct store *s);
const char *store_errmsg(const struct store *s);

/*
 * Convenience: prepare, bind int64 params, step once, return column 0 as int64.
 * Returns STORE_OK with *out set, STORE_NOTFOUND when no row, or an error.
 */
int store_query_int64(struct store *s, const char *sql, int64_t *out, int nparams, ...);

/*
 * Turns a failed store call into a fault: STORE_CONSTRAINT becomes a conflict,
 * anything else an internal error carrying store_errmsg().  Returns -1.
 */
struct fault;
int store_fault(struct store *s, int rc, struct fault *f);

/*
 * Row helpers (store_row.c): they take the ceremony out of a statement, never
 * the SQL, which stays a named constant next to the function that runs it.
 *
 * types names each parameter in order, one letter each:
 *   'i' int64_t   'I' int64_t id, 0 binds NULL   't' const char *, NULL binds NULL   'd' double
 * (a wrong letter is a programming error: fatal()).
 */
/* Prepares sql and binds the parameters: for reading rows with store_next(). */
struct store_stmt *store_query(struct store *s, const char *sql, const char *types, ...);
/* A statement that returns no rows: prepare, bind, step, give back.  STORE_OK or the error. */
int store_run(struct store *s, const char *sql, const char *types, ...);
/* Steps a statement that returns no rows and gives it back: STORE_OK or the error. */
int store_step_done(struct store_stmt *st);
/*
 * Iterating:   while (store_next(st, &rc)) { read the row }   if (rc != STORE_DONE) ... error.
 * Returns 1 with a row; 0 at the end or on an error, having given st back (rc says which).
 * A loop left early (break) gives st back itself.
 */
int store_next(struct store_stmt *st, int *rc);
/*
 * One row by its id: prepares sql, binds id as its only parameter and steps.
 * 0: *st holds the row (read it, then store_done); -1 with the fault: no row
 * (FAULT_NOT_FOUND, field "id", "WHAT ID does not exist") or the store failed.
 */
int store_get_by_id(struct store *s, const char *sql, int64_t id, const char *what, struct store_stmt **st,
		    struct fault *f);
/* Typed readers: a copy of the text (NULL for NULL); the text into a buffer ("" for NULL); 0/1. */
char *store_column_dup(struct store_stmt *st, int col);
void store_column_copy(struct store_stmt *st, int col, char *out, size_t outlen);
int store_column_bool(struct store_stmt *st, int col);

/* Schema migrations (migrate.c): applies every numbered migration not yet applied. */
int store_migrate(struct store *s, int *applied, char *err, size_t errlen);
int store_schema_version(struct store *s);
int store_schema_latest(void);

#endif
