/*
 * store_extra.h - store functions outside the connection interface of
 * store.h: online backup and restore of a whole database (backup.c).
 *
 * They take a DSN, not a struct store: a backup is a copy of the file (or a
 * pg_dump), not a query.  Each returns 0, or -1 with err filled; progress, when
 * given, is called now and then with the work done and the work in all (pages
 * for SQLite), so that a terminal can show it.
 */
#ifndef YL_STORE_EXTRA_H
#define YL_STORE_EXTRA_H

#include <stddef.h>
#include <stdint.h>

typedef void (*store_progress_fn)(int64_t done, int64_t total, void *arg);

/*
 * Copies the database dsn to the file dest, online: writers go on while it
 * runs, and the copy is the database as it stood when the backup began (one
 * read snapshot, copied in chunks).  dest is written under a temporary name
 * and renamed into place once complete and synced, so a backup cut short
 * leaves no half file under dest.  PostgreSQL: pg_dump --format=custom.
 */
int store_backup(const char *dsn, const char *dest, store_progress_fn progress, void *arg, char *err, size_t errlen);

/*
 * Checks that file is a whole Yuanluo database: it opens, passes
 * integrity_check, and has the schema_version table and the tables of the
 * first migration.  *version gets its schema version.
 */
int store_backup_check(const char *file, int *version, char *err, size_t errlen);

/*
 * Replaces the database dsn with the backup file src (checked first with
 * store_backup_check).  Refused while another process has the database open
 * (a server).  The replacement is one write transaction of the target: it is
 * all there or, cut short, the old database is untouched.  PostgreSQL:
 * pg_restore --clean --single-transaction.
 */
int store_restore(const char *dsn, const char *src, store_progress_fn progress, void *arg, char *err, size_t errlen);

/* 1 when another process has the SQLite database at path open (its -shm is locked), else 0. */
int store_sqlite_in_use(const char *path);

#endif
