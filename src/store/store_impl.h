/*
 * store_impl.h - what a backend of store.h provides (sqlite.c, pg.c) and what
 * store.c shares between them.  Nothing above src/store includes this file.
 *
 * A backend's connection starts with a struct store and its statements with a
 * struct store_stmt, so store.c reaches the backend through ops and the
 * backend reaches its own fields with a cast.  Transactions nest the same way
 * in both (store.c keeps depth and failed; the backend runs the SQL).
 */
#ifndef YL_STORE_IMPL_H
#define YL_STORE_IMPL_H

#include "store/store.h"

struct store_ops {
	enum store_backend backend;
	void (*close)(struct store *s);
	/* Outermost begin (write: take the write lock at once), commit, rollback. */
	int (*begin)(struct store *s, int write);
	int (*commit)(struct store *s);
	void (*rollback)(struct store *s);
	/* Savepoint yl_sp_DEPTH: open, release, undo (roll back to it and release it). */
	int (*savepoint)(struct store *s, int op, int depth);
	/* The backend dropped the transaction on its own (SQLite after an I/O error). */
	int (*lost)(struct store *s);
	int (*exec)(struct store *s, const char *sql);
	struct store_stmt *(*prepare)(struct store *s, const char *sql);
	void (*done)(struct store_stmt *st);
	int (*bind_int64)(struct store_stmt *st, int idx, int64_t v);
	int (*bind_double)(struct store_stmt *st, int idx, double v);
	int (*bind_text)(struct store_stmt *st, int idx, const char *v);
	int (*bind_blob)(struct store_stmt *st, int idx, const void *p, size_t n);
	int (*bind_null)(struct store_stmt *st, int idx);
	int (*step)(struct store_stmt *st);
	int (*column_count)(struct store_stmt *st);
	int (*column_is_null)(struct store_stmt *st, int col);
	int64_t (*column_int64)(struct store_stmt *st, int col);
	double (*column_double)(struct store_stmt *st, int col);
	const char *(*column_text)(struct store_stmt *st, int col);
	const void *(*column_blob)(struct store_stmt *st, int col, size_t *n);
	const char *(*column_name)(struct store_stmt *st, int col);
	int (*column_type)(struct store_stmt *st, int col);
	char **(*tables)(struct store *s);
	int (*defer_constraints)(struct store *s);
	int (*sync_ids)(struct store *s);
	int64_t (*last_id)(struct store *s);
	int64_t (*changes)(struct store *s);
};

enum { SP_OPEN, SP_RELEASE, SP_UNDO };

struct store {
	const struct store_ops *ops;
	int depth;		/* 0: no transaction; 1: the outermost; 2...: savepoints */
	int failed;		/* the transaction can only be rolled back */
	char err[512];
};

struct store_stmt {
	struct store *s;
};

struct store *store_sqlite_open(const char *path, char *err, size_t errlen);
struct store *store_pg_open(const char *dsn, char *err, size_t errlen);

/* FNV-1a of a statement's text: the statement caches' key. */
uint64_t store_hash_sql(const char *sql);

#endif
