/*
 * backup.c - online backup and restore of a whole database (store_extra.h).
 *
 * SQLite: the backup API.  The source connection opens one read transaction
 * first and keeps it for the whole copy, so every chunk comes from the same
 * snapshot: in WAL mode the server's writers are not held up by it, and the
 * copy is never restarted by their commits (a backup stepped in chunks without
 * it starts over at every foreign commit, and under steady writes would never
 * end).  Restore runs the backup API the other way, into the live file, as one
 * write transaction of the target: readers see the old database or the new one.
 *
 * PostgreSQL: pg_dump and pg_restore from the PostgreSQL client tools, with the
 * DSN as given.
 */
#include "store/store_extra.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BACKUP_CHUNK_PAGES 1024		/* 4 MiB of 4 KiB pages a step: progress every few milliseconds */
#define BACKUP_BUSY_MS 10000
/* SQLite's unix VFS: every connection with the WAL index mapped holds a shared lock on this byte of -shm. */
#define SHM_DMS_BYTE 128

extern char **environ;

static int is_postgres(const char *dsn)
{
	return strncmp(dsn, "postgresql://", 13) == 0 || strncmp(dsn, "postgres://", 11) == 0;
}

static const char *sqlite_path(const char *dsn)
{
	return strncmp(dsn, "sqlite:", 7) == 0 ? dsn + 7 : dsn;
}

/* Runs argv (searched on PATH) and waits; 0 when it exits 0. */
static int run_tool(char *const argv[], char *err, size_t errlen)
{
	pid_t pid;
	int status, rc;

	rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (rc != 0)
		return set_error(err, errlen, "cannot run %s: %s (install postgresql-client)", argv[0], strerror(rc));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return set_error(err, errlen, "waiting for %s: %s", argv[0], strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return set_error(err, errlen, "%s failed (status %d)", argv[0],
				 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

static int fsync_path(const char *path, int directory)
{
	int fd = open(path, (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int fsync_parent(const char *path)
{
	char *copy = xstrdup(path);
	int rc = fsync_path(dirname(copy), 1);

	free(copy);
	return rc;
}

/* 1 when a and b name one existing file. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Steps b to the end in chunks, waiting out locks; returns the final SQLite code. */
static int step_all(sqlite3_backup *b, store_progress_fn progress, void *arg)
{
	int rc, waited = 0;

	for (;;) {
		rc = sqlite3_backup_step(b, BACKUP_CHUNK_PAGES);
		if (progress && (rc == SQLITE_OK || rc == SQLITE_DONE)) {
			int total = sqlite3_backup_pagecount(b);
			progress(total - sqlite3_backup_remaining(b), total, arg);
		}
		if (rc == SQLITE_DONE)
			return SQLITE_OK;
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (waited >= BACKUP_BUSY_MS)
				return rc;
			sqlite3_sleep(20);
			waited += 20;
			continue;
		}
		if (rc != SQLITE_OK)
			return rc;
		waited = 0;
	}
}

static int backup_sqlite(const char *path, const char *dest, store_progress_fn progress, void *arg, char *err,
			 size_t errlen)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b;
	char *tmp = NULL, *journal = NULL;
	size_t n;
	int rc = -1, src_rc;

	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		set_error(err, errlen, "cannot open database '%s': %s", path, src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(src, BACKUP_BUSY_MS);
	/* One snapshot for the whole copy: the read transaction begins at the SELECT. */
	if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL) != SQLITE_OK) {
		set_error(err, errlen, "cannot read database '%s': %s", path, sqlite3_errmsg(src));
		goto out;
	}
	n = strlen(dest) + 32;
	tmp = xmalloc(n);
	snprintf(tmp, n, "%s.tmp-%ld", dest, (long)getpid());
	journal = xmalloc(n + 8);
	snprintf(journal, n + 8, "%s-journal", tmp);
	unlink(tmp);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		set_error(err, errlen, "cannot create '%s': %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		set_error(err, errlen, "cannot start the backup: %s", sqlite3_errmsg(dst));
		goto out;
	}
	src_rc = step_all(b, progress, arg);
	if (sqlite3_backup_finish(b) != SQLITE_OK || src_rc != SQLITE_OK) {
		set_error(err, errlen, "backup failed: %s", sqlite3_errstr(src_rc != SQLITE_OK ? src_rc : sqlite3_errcode(dst)));
		goto out;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		set_error(err, errlen, "cannot close '%s'", tmp);
		dst = NULL;
		goto out;
	}
	dst = NULL;
	if (fsync_path(tmp, 0) < 0 || rename(tmp, dest) < 0 || fsync_parent(dest) < 0) {
		set_error(err, errlen, "cannot put the backup in place as '%s': %s", dest, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (dst)
		sqlite3_close(dst);
	if (rc < 0 && tmp) {
		unlink(tmp);
		unlink(journal);
	}
	if (src) {
		sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(src);
	}
	free(tmp);
	free(journal);
	return rc;
}

int store_backup(const char *dsn, const char *dest, store_progress_fn progress, void *arg, char *err, size_t errlen)
{
	if (!dsn || !*dsn || !dest || !*dest)
		return set_error(err, errlen, "no database or no backup file given");
	if (is_postgres(dsn)) {
		char *tmp, *argv[7];
		size_t n = strlen(dest) + 32;
		int rc;

		if (!strcmp(dest, dsn))
			return set_error(err, errlen, "'%s' is the database itself, not a backup file", dest);
		if (is_postgres(dest))
			return set_error(err, errlen, "'%s' is a database, not a backup file", dest);
		tmp = xmalloc(n);
		snprintf(tmp, n, "%s.tmp-%ld", dest, (long)getpid());
		argv[0] = (char *)"pg_dump";
		argv[1] = (char *)"--format=custom";
		argv[2] = (char *)"--file";
		argv[3] = tmp;
		argv[4] = (char *)"--dbname";
		argv[5] = (char *)dsn;
		argv[6] = NULL;
		rc = run_tool(argv, err, errlen);
		if (rc == 0 && (fsync_path(tmp, 0) < 0 || rename(tmp, dest) < 0 || fsync_parent(dest) < 0))
			rc = set_error(err, errlen, "cannot put the backup in place as '%s': %s", dest, strerror(errno));
		if (rc < 0)
			unlink(tmp);
		free(tmp);
		return rc;
	}
	if (same_file(sqlite_path(dsn), dest))
		return set_error(err, errlen, "'%s' is the database itself: give another file", dest);
	return backup_sqlite(sqlite_path(dsn), dest, progress, arg, err, errlen);
}

static int query_text(sqlite3 *db, const char *sql, char *out, size_t outlen)
{
	sqlite3_stmt *st;
	int rc;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_backup_check(const char *file, int *version, char *err, size_t errlen)
{
	static const char *const need[] = { "schema_version", "nodes", "node_closure", "users", "audit_log" };
	sqlite3 *db = NULL;
	char text[256], sql[160];
	size_t i;
	int rc = -1;

	*version = 0;
	if (access(file, R_OK) < 0)
		return set_error(err, errlen, "cannot read '%s': %s", file, strerror(errno));
	if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		set_error(err, errlen, "'%s' is no SQLite database: %s", file, db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	if (query_text(db, "PRAGMA integrity_check", text, sizeof(text)) < 0) {
		set_error(err, errlen, "'%s' is no SQLite database: %s", file, sqlite3_errmsg(db));
		goto out;
	}
	if (strcmp(text, "ok") != 0) {
		set_error(err, errlen, "'%s' fails the integrity check: %s", file, text);
		goto out;
	}
	for (i = 0; i < YL_ARRAY_LEN(need); i++) {
		snprintf(sql, sizeof(sql), "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = '%s'", need[i]);
		if (query_text(db, sql, text, sizeof(text)) < 0) {
			set_error(err, errlen, "'%s' is no Yuanluo database: it has no table %s", file, need[i]);
			goto out;
		}
	}
	if (query_text(db, "SELECT MAX(version) FROM schema_version", text, sizeof(text)) < 0 || !text[0]) {
		set_error(err, errlen, "'%s' is no Yuanluo database: no schema version", file);
		goto out;
	}
	*version = atoi(text);
	rc = 0;
out:
	sqlite3_close(db);
	return rc;
}

int store_sqlite_in_use(const char *path)
{
	struct flock lk;
	char *shm;
	size_t n = strlen(path) + 8;
	int fd, used = 0;

	shm = xmalloc(n);
	snprintf(shm, n, "%s-shm", path);
	fd = open(shm, O_RDWR | O_CLOEXEC);
	free(shm);
	if (fd < 0)
		return 0;	/* no WAL index: nobody has it open in WAL mode */
	memset(&lk, 0, sizeof(lk));
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = SHM_DMS_BYTE;
	lk.l_len = 1;
	if (fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK)
		used = 1;
	close(fd);
	return used;
}

static int restore_sqlite(const char *path, const char *src_file, store_progress_fn progress, void *arg, char *err,
			  size_t errlen)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b;
	int rc = -1, step_rc;

	if (store_sqlite_in_use(path))
		return set_error(err, errlen, "'%s' is open in another process (a running server?): stop it first", path);
	if (sqlite3_open_v2(src_file, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		set_error(err, errlen, "cannot open '%s': %s", src_file, src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		set_error(err, errlen, "cannot open database '%s': %s", path, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(dst, BACKUP_BUSY_MS);
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		set_error(err, errlen, "cannot start the restore: %s", sqlite3_errmsg(dst));
		goto out;
	}
	step_rc = step_all(b, progress, arg);
	if (sqlite3_backup_finish(b) != SQLITE_OK || step_rc != SQLITE_OK) {
		set_error(err, errlen, "restore failed, the database is as it was: %s",
			  sqlite3_errstr(step_rc != SQLITE_OK ? step_rc : sqlite3_errcode(dst)));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc;
}

int store_restore(const char *dsn, const char *src, store_progress_fn progress, void *arg, char *err, size_t errlen)
{
	int version;

	if (!dsn || !*dsn || !src || !*src)
		return set_error(err, errlen, "no database or no backup file given");
	if (is_postgres(dsn)) {
		char *argv[9];

		if (!strcmp(src, dsn))
			return set_error(err, errlen, "'%s' is the database itself, not a backup of it", src);
		if (is_postgres(src))
			return set_error(err, errlen, "'%s' is a database, not a backup file", src);
		if (access(src, R_OK) < 0)
			return set_error(err, errlen, "cannot read '%s': %s", src, strerror(errno));
		argv[0] = (char *)"pg_restore";
		argv[1] = (char *)"--clean";
		argv[2] = (char *)"--if-exists";
		argv[3] = (char *)"--single-transaction";
		argv[4] = (char *)"--no-owner";
		argv[5] = (char *)"--dbname";
		argv[6] = (char *)dsn;
		argv[7] = (char *)src;
		argv[8] = NULL;
		return run_tool(argv, err, errlen);
	}
	if (same_file(sqlite_path(dsn), src))
		return set_error(err, errlen, "'%s' is the database itself, not a backup of it", src);
	if (store_backup_check(src, &version, err, errlen) < 0)
		return -1;
	return restore_sqlite(sqlite_path(dsn), src, progress, arg, err, errlen);
}
