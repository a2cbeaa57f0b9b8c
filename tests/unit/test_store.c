/* test_store.c - src/store/sqlite.c and migrate.c: connections, migrations, transactions, statements. */
#include "unit.h"
#include "store/migrations.h"
#include "store/store.h"
#include "util/fault.h"
#include "util/util.h"

#include <float.h>

/* ---- a database file of the test's own, for what unit_db_open() does for us ---- */

static char path[64];

static void tmp_path(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/yuanluo-store-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

static void tmp_remove(void)
{
	char p[96];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static struct store *open_path(void)
{
	char err[256];
	struct store *s = store_open(path, err, sizeof(err));

	if (!s)
		fail_msg("store_open: %s", err);
	return s;
}

/*
 * Tests that work on a migrated database get it as *state.  With
 * YUANLUO_TEST_PG_DSN set (make test-pg), the backend-neutral ones run again
 * on PostgreSQL, in a schema of their own made afresh for each.
 */
static const char *pg_dsn;

static const char TEST_TABLES[] =
	"CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT);"
	"CREATE TABLE c (id INTEGER PRIMARY KEY,"
	" p_id INTEGER NOT NULL REFERENCES p(id),"
	" v TEXT UNIQUE CHECK (length(v) < 5));"
	"CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT, b BLOB, n INTEGER);";

static int db_setup(void **state)
{
	struct store *s;

	if (pg_dsn) {
		char err[256];

		s = store_open(pg_dsn, err, sizeof(err));
		if (!s) {
			fprintf(stderr, "store_open(%s): %s\n", pg_dsn, err);
			return -1;
		}
		if (store_exec(s, "DROP SCHEMA IF EXISTS yl_unit CASCADE; CREATE SCHEMA yl_unit;"
				  " SET search_path TO yl_unit") != STORE_OK) {
			fprintf(stderr, "schema: %s\n", store_errmsg(s));
			store_close(s);
			return -1;
		}
	} else {
		s = unit_db_open();
	}
	if (!s)
		return -1;
	if (store_exec(s, TEST_TABLES) != STORE_OK)
		return -1;
	*state = s;
	return 0;
}

/* The backends word their errors differently: either will do. */
static int msg_has(struct store *s, const char *sqlite_words, const char *pg_words)
{
	return strstr(store_errmsg(s), pg_dsn ? pg_words : sqlite_words) != NULL;
}

static int db_teardown(void **state)
{
	if (pg_dsn)
		store_close(*state);
	else
		unit_db_close(*state);
	return 0;
}

static int64_t count(struct store *s, const char *table)
{
	char sql[128];
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
	assert_int_equal(store_query_int64(s, sql, &n, 0), STORE_OK);
	return n;
}

static int table_exists(struct store *s, const char *name)
{
	struct store_stmt *st = store_prepare(s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
	int rc;

	store_bind_text(st, 1, name);
	rc = store_step(st);
	store_done(st);
	assert_true(rc == STORE_ROW || rc == STORE_DONE);
	return rc == STORE_ROW;
}

/* ---- open and migrate ---- */

static void test_open_refuses_bad_names(void **state)
{
	char err[256];

	(void)state;
	err[0] = '\0';
	assert_null(store_open(NULL, err, sizeof(err)));
	assert_true(err[0] != '\0');
	err[0] = '\0';
	assert_null(store_open("", err, sizeof(err)));
	assert_true(err[0] != '\0');
	err[0] = '\0';
	assert_null(store_open("sqlite:", err, sizeof(err)));
	assert_non_null(strstr(err, "sqlite:"));
	assert_null(store_open("postgresql://localhost/yuanluo", err, sizeof(err)));
	assert_non_null(strstr(err, "PostgreSQL"));
	assert_null(store_open("/nonexistent-dir-yuanluo/x.db", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent-dir-yuanluo/x.db"));
	/* no error buffer: still refused, no crash */
	assert_null(store_open("", NULL, 0));
}

static void test_migrate_fresh_then_again(void **state)
{
	char err[256];
	struct store *s;
	int applied = -1, latest = store_schema_latest(), i;

	(void)state;
	assert_true(migrations_count > 0);
	for (i = 0; i < migrations_count; i++) {
		assert_true(migrations[i].version > 0);
		/* numbered in order, without repeats */
		if (i > 0)
			assert_true(migrations[i].version > migrations[i - 1].version);
	}
	assert_int_equal(latest, migrations[migrations_count - 1].version);

	tmp_path();
	s = open_path();
	assert_int_equal(store_schema_version(s), 0);
	assert_int_equal(store_migrate(s, &applied, err, sizeof(err)), 0);
	assert_int_equal(applied, migrations_count);
	assert_int_equal(store_schema_version(s), latest);
	assert_int_equal(count(s, "schema_version"), migrations_count);
	assert_true(table_exists(s, "nodes"));
	assert_true(table_exists(s, "node_closure"));
	/* nothing left to do the second time */
	applied = -1;
	assert_int_equal(store_migrate(s, &applied, err, sizeof(err)), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(count(s, "schema_version"), migrations_count);
	store_close(s);

	/* nor after reopening the file */
	s = open_path();
	assert_int_equal(store_schema_version(s), latest);
	applied = -1;
	assert_int_equal(store_migrate(s, &applied, err, sizeof(err)), 0);
	assert_int_equal(applied, 0);
	store_close(s);
	tmp_remove();
}

static void test_unit_db_is_migrated(void **state)
{
	struct store *s = *state;

	assert_int_equal(store_schema_version(s), store_schema_latest());
	assert_int_equal(store_backend(s), STORE_SQLITE);
}

static void test_newer_schema_refused(void **state)
{
	struct store *s = *state;
	struct store_stmt *st;
	char err[256];
	char newer[16], latest[16];
	int applied = -7;

	st = store_prepare(s, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', 'x')");
	store_bind_int64(st, 1, store_schema_latest() + 1);
	assert_int_equal(store_step(st), STORE_DONE);
	store_done(st);

	err[0] = '\0';
	assert_int_equal(store_migrate(s, &applied, err, sizeof(err)), -1);
	snprintf(newer, sizeof(newer), "%d", store_schema_latest() + 1);
	snprintf(latest, sizeof(latest), "%d", store_schema_latest());
	assert_non_null(strstr(err, newer));
	assert_non_null(strstr(err, latest));
	assert_int_equal(applied, -7);
	assert_int_equal(store_schema_version(s), store_schema_latest() + 1);
}

/* A migration that fails leaves the database at the version before it, with nothing of it applied. */
static void test_failed_migration_rolls_back(void **state)
{
	char err[512];
	struct store *s;
	int applied = -1;

	(void)state;
	tmp_path();
	s = open_path();
	/* 001 creates nodes, then node_closure ... then grids: a grids table already there makes it fail */
	assert_int_equal(store_exec(s, "CREATE TABLE grids (x INTEGER)"), STORE_OK);
	err[0] = '\0';
	assert_int_equal(store_migrate(s, &applied, err, sizeof(err)), -1);
	assert_non_null(strstr(err, migrations[0].name));
	assert_non_null(strstr(err, "grids"));
	assert_int_equal(store_schema_version(s), 0);
	assert_false(table_exists(s, "nodes"));
	assert_false(table_exists(s, "node_closure"));
	assert_false(store_in_transaction(s));
	/* once the obstacle is gone, the migration goes through */
	assert_int_equal(store_exec(s, "DROP TABLE grids"), STORE_OK);
	assert_int_equal(store_migrate(s, &applied, err, sizeof(err)), 0);
	assert_int_equal(applied, migrations_count);
	store_close(s);
	tmp_remove();
}

/* ---- connection settings ---- */

static void test_wal_mode(void **state)
{
	struct store *s = *state;
	struct store_stmt *st = store_prepare(s, "PRAGMA journal_mode");

	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_column_text(st, 0), "wal");
	store_done(st);
}

static void test_foreign_keys_enforced(void **state)
{
	struct store *s = *state;
	struct fault f;
	int rc;

	rc = store_exec(s, "INSERT INTO c (p_id, v) VALUES (999, 'a')");
	assert_int_equal(rc, STORE_CONSTRAINT);
	assert_true(msg_has(s, "FOREIGN KEY", "foreign key"));
	assert_int_equal(count(s, "c"), 0);
	fault_clear(&f);
	assert_int_equal(store_fault(s, rc, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);

	/* with the parent there the same row goes in */
	assert_int_equal(store_exec(s, "INSERT INTO p (id) VALUES (999)"), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO c (p_id, v) VALUES (999, 'a')"), STORE_OK);
	/* and the parent cannot be deleted from under it */
	assert_int_equal(store_exec(s, "DELETE FROM p WHERE id = 999"), STORE_CONSTRAINT);
	assert_int_equal(count(s, "p"), 1);
}

/* The real schema too: a node whose parent does not exist is refused by the database itself. */
static void test_foreign_key_in_schema(void **state)
{
	struct store *s = *state;
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO nodes (parent_id, level, name, code, created_at, updated_at)"
		" VALUES (?, 'community', 'x', 'fk-test', 'now', 'now')");

	store_bind_int64(st, 1, 424242);
	assert_int_equal(store_step(st), STORE_CONSTRAINT);
	store_done(st);
	assert_int_equal(count(s, "nodes"), 0);
}

/* ---- errors from bad data ---- */

static void test_constraint_errors(void **state)
{
	struct store *s = *state;
	struct store_stmt *st;

	assert_int_equal(store_exec(s, "INSERT INTO p (id) VALUES (1)"), STORE_OK);
	/* NOT NULL */
	assert_int_equal(store_exec(s, "INSERT INTO c (p_id, v) VALUES (NULL, 'a')"), STORE_CONSTRAINT);
	assert_true(msg_has(s, "NOT NULL", "not-null"));
	/* CHECK */
	assert_int_equal(store_exec(s, "INSERT INTO c (p_id, v) VALUES (1, 'toolong')"), STORE_CONSTRAINT);
	assert_true(msg_has(s, "CHECK", "check constraint"));
	/* UNIQUE, through a prepared statement */
	st = store_prepare(s, "INSERT INTO c (p_id, v) VALUES (?, ?)");
	store_bind_int64(st, 1, 1);
	store_bind_text(st, 2, "u");
	assert_int_equal(store_step(st), STORE_DONE);
	store_done(st);
	st = store_prepare(s, "INSERT INTO c (p_id, v) VALUES (?, ?)");
	store_bind_int64(st, 1, 1);
	store_bind_text(st, 2, "u");
	assert_int_equal(store_step(st), STORE_CONSTRAINT);
	assert_true(msg_has(s, "UNIQUE", "unique constraint"));
	store_done(st);
	/* PRIMARY KEY */
	assert_int_equal(store_exec(s, "INSERT INTO p (id) VALUES (1)"), STORE_CONSTRAINT);
	assert_int_equal(count(s, "c"), 1);
	assert_int_equal(count(s, "p"), 1);
}

static void test_other_errors_are_not_constraints(void **state)
{
	struct store *s = *state;
	struct fault f;
	int64_t v;
	int rc;

	/* a text where an integer primary key must be */
	rc = store_exec(s, "INSERT INTO p (id) VALUES ('abc')");
	assert_int_equal(rc, STORE_ERROR);
	assert_non_null(strstr(store_errmsg(s), "mismatch"));
	/* malformed SQL given to exec */
	assert_int_equal(store_exec(s, "INSERT INTO nowhere VALUES (1)"), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(s), "nowhere"));
	assert_int_equal(store_exec(s, "SELEKT 1"), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(s), "syntax"));
	/* an error while stepping: abs() of the smallest int64 overflows */
	rc = store_query_int64(s, "SELECT abs(?)", &v, 1, (int64_t)INT64_MIN);
	assert_int_equal(rc, STORE_ERROR);
	assert_non_null(strstr(store_errmsg(s), "overflow"));
	fault_clear(&f);
	assert_int_equal(store_fault(s, rc, &f), -1);
	assert_int_equal(f.kind, FAULT_INTERNAL);
	assert_non_null(strstr(f.message, "overflow"));
	/* the connection is still fine afterwards, and the statement can be used again */
	assert_int_equal(store_query_int64(s, "SELECT abs(?)", &v, 1, (int64_t)-5), STORE_OK);
	assert_int_equal(v, 5);
	assert_false(store_in_transaction(s));
}

/* ---- transactions ---- */

static void test_commit_and_rollback(void **state)
{
	struct store *s = *state;

	assert_false(store_in_transaction(s));
	assert_int_equal(store_begin(s), STORE_OK);
	assert_true(store_in_transaction(s));
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('gone')"), STORE_OK);
	assert_int_equal(store_rollback(s), STORE_OK);
	assert_false(store_in_transaction(s));
	assert_int_equal(count(s, "p"), 0);

	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('kept')"), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_false(store_in_transaction(s));
	assert_int_equal(count(s, "p"), 1);

	/* unbalanced calls */
	assert_int_equal(store_commit(s), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(s), "transaction"));
	assert_int_equal(store_rollback(s), STORE_OK);
	assert_false(store_in_transaction(s));
}

/* An inner rollback undoes only the inner work: the outer transaction goes on and commits its own. */
static void test_nested_inner_rollback_undoes_only_inner(void **state)
{
	struct store *s = *state;
	int64_t n = -1;

	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('outer')"), STORE_OK);
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('inner')"), STORE_OK);
	assert_int_equal(store_rollback(s), STORE_OK);
	/* still inside the outer transaction, which can still write */
	assert_true(store_in_transaction(s));
	assert_int_equal(count(s, "p"), 1);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('after')"), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_false(store_in_transaction(s));
	assert_int_equal(count(s, "p"), 2);
	assert_int_equal(store_query_int64(s, "SELECT COUNT(*) FROM p WHERE name = 'inner'", &n, 0), STORE_OK);
	assert_int_equal(n, 0);
}

/* A failed inner step followed by an outer rollback leaves nothing at all. */
static void test_nested_failure_then_outer_rollback(void **state)
{
	struct store *s = *state;

	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('outer')"), STORE_OK);
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('inner')"), STORE_OK);
	assert_int_equal(store_rollback(s), STORE_OK);
	assert_int_equal(store_rollback(s), STORE_OK);
	assert_false(store_in_transaction(s));
	assert_int_equal(count(s, "p"), 0);

	/* nothing sticks to the next transaction */
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('next')"), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(count(s, "p"), 1);
}

/* A domain-style step: its own transaction, -1 on failure after undoing its part. */
static int insert_child(struct store *s, int64_t parent, const char *v)
{
	struct store_stmt *st;
	int rc;

	if (store_begin_write(s) != STORE_OK)
		return -1;
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('made by the step')"), STORE_OK);
	st = store_prepare(s, "INSERT INTO c (p_id, v) VALUES (?, ?)");
	store_bind_int64(st, 1, parent);
	store_bind_text(st, 2, v);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s) == STORE_OK ? 0 : -1;
}

/* The caller that propagates the failure rolls back: all or nothing, as before. */
static void test_nested_failure_propagated_by_caller(void **state)
{
	struct store *s = *state;

	int64_t parent;

	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('parent')"), STORE_OK);
	parent = store_last_id(s);
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(insert_child(s, parent, "ok"), 0);
	assert_int_equal(insert_child(s, parent, "too long"), -1);	/* CHECK fails */
	store_rollback(s);
	assert_int_equal(count(s, "p"), 1);
	assert_int_equal(count(s, "c"), 0);
}

/* A group of independent steps in one transaction: the failed one is left out, the others commit together. */
static void test_nested_group_keeps_the_others(void **state)
{
	struct store *s = *state;
	static const char *values[] = { "a", "b", "a", "c", "waytoolong" };
	int64_t parent;
	int i, ok = 0;

	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('parent')"), STORE_OK);
	parent = store_last_id(s);
	assert_int_equal(store_begin_write(s), STORE_OK);
	for (i = 0; i < 5; i++)
		if (insert_child(s, parent, values[i]) == 0)
			ok++;
	assert_int_equal(ok, 3);	/* the repeated 'a' (UNIQUE) and the long one (CHECK) fail */
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(count(s, "c"), 3);
	assert_int_equal(count(s, "p"), 4);	/* the parent and the three steps that stood */
}

/* Three deep: each level keeps or drops only what it did. */
static void test_nested_three_levels(void **state)
{
	struct store *s = *state;
	int64_t n = -1;

	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('1')"), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('2')"), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('3')"), STORE_OK);
	assert_int_equal(store_rollback(s), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_false(store_in_transaction(s));
	assert_int_equal(count(s, "p"), 2);
	assert_int_equal(store_query_int64(s, "SELECT COUNT(*) FROM p WHERE name = '3'", &n, 0), STORE_OK);
	assert_int_equal(n, 0);

	/* the middle level rolled back takes the innermost, committed into it, along */
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('x')"), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('y')"), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(store_rollback(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('z')"), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(count(s, "p"), 3);
}

/* Savepoints of a caller's own (the CSV dry run) live inside the levels. */
static void test_nested_with_named_savepoint(void **state)
{
	struct store *s = *state;

	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('audit row')"), STORE_OK);
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "SAVEPOINT csv_dry_run"), STORE_OK);
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('row')"), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(store_exec(s, "ROLLBACK TO SAVEPOINT csv_dry_run; RELEASE SAVEPOINT csv_dry_run"), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(count(s, "p"), 1);
}

/*
 * SQLite may throw a whole transaction away on its own (an I/O error, a full
 * disk); a ROLLBACK run behind the store's back does the same here.  Nothing
 * inside can begin or commit any more, and the outermost commit says so.
 */
static void test_nested_lost_transaction(void **state)
{
	struct store *s = *state;

	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('a')"), STORE_OK);
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "ROLLBACK"), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('b')"), STORE_OK);	/* autocommitted */
	assert_int_equal(store_begin_write(s), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(s), "rolled back"));
	assert_int_equal(store_commit(s), STORE_ERROR);
	assert_true(store_in_transaction(s));
	assert_int_equal(store_commit(s), STORE_ERROR);
	assert_false(store_in_transaction(s));
	assert_int_equal(count(s, "p"), 1);	/* 'b' only: 'a' went with the lost transaction */

	/* the same with an inner rollback on the way out */
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "ROLLBACK"), STORE_OK);
	assert_int_equal(store_rollback(s), STORE_OK);
	assert_int_equal(store_commit(s), STORE_ERROR);
	assert_false(store_in_transaction(s));

	/* and the connection works normally afterwards */
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('c')"), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(count(s, "p"), 2);
}

static void test_nested_commits(void **state)
{
	struct store *s = *state;

	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('a')"), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_true(store_in_transaction(s));
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(count(s, "p"), 1);

	/* an inner commit is undone by an outer rollback */
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('b')"), STORE_OK);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_int_equal(store_rollback(s), STORE_OK);
	assert_false(store_in_transaction(s));
	assert_int_equal(count(s, "p"), 1);
}

/* Another connection sees a write only once the outermost commit returns. */
static void test_commit_visible_to_other_connection(void **state)
{
	struct store *a, *b;
	char err[256];

	(void)state;
	tmp_path();
	a = open_path();
	assert_int_equal(store_migrate(a, NULL, err, sizeof(err)), 0);
	assert_int_equal(store_exec(a, "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT)"), STORE_OK);
	b = open_path();
	assert_int_equal(store_begin_write(a), STORE_OK);
	assert_int_equal(store_begin_write(a), STORE_OK);
	assert_int_equal(store_exec(a, "INSERT INTO p (name) VALUES ('x')"), STORE_OK);
	assert_int_equal(store_commit(a), STORE_OK);
	assert_int_equal(count(b, "p"), 0);	/* inner commit: not yet */
	assert_int_equal(store_commit(a), STORE_OK);
	assert_int_equal(count(b, "p"), 1);
	store_close(b);
	store_close(a);
	tmp_remove();
}

/* Closing with a transaction open throws the transaction away. */
static void test_close_rolls_back(void **state)
{
	struct store *s;

	(void)state;
	tmp_path();
	s = open_path();
	assert_int_equal(store_exec(s, "CREATE TABLE p (id INTEGER PRIMARY KEY)"), STORE_OK);
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(store_exec(s, "INSERT INTO p VALUES (1)"), STORE_OK);
	/* a cached statement is around too: close finalizes it */
	assert_int_equal(count(s, "p"), 1);
	store_close(s);
	s = open_path();
	assert_int_equal(count(s, "p"), 0);
	store_close(s);
	tmp_remove();
}

/* ---- statements: bind, step, columns ---- */

static void test_bind_and_read_each_type(void **state)
{
	struct store *s = *state;
	static const unsigned char blob[] = { 0, 1, 2, 0, 0xff, 'x' };
	const char *text = "明水街道 \"quoted\" 'single' \\ %s";
	struct store_stmt *st;
	const void *p;
	size_t n = 99;

	st = store_prepare(s, "INSERT INTO t (i, d, s, b, n) VALUES (?, ?, ?, ?, ?)");
	assert_int_equal(store_bind_int64(st, 1, INT64_MAX), STORE_OK);
	assert_int_equal(store_bind_double(st, 2, 0.1), STORE_OK);
	assert_int_equal(store_bind_text(st, 3, text), STORE_OK);
	assert_int_equal(store_bind_blob(st, 4, blob, sizeof(blob)), STORE_OK);
	assert_int_equal(store_bind_null(st, 5), STORE_OK);
	assert_int_equal(store_step(st), STORE_DONE);
	store_done(st);
	assert_int_equal(store_last_id(s), 1);
	assert_int_equal(store_changes(s), 1);

	st = store_prepare(s, "INSERT INTO t (i, d, s, b, n) VALUES (?, ?, ?, ?, ?)");
	assert_int_equal(store_bind_int64(st, 1, INT64_MIN), STORE_OK);
	assert_int_equal(store_bind_double(st, 2, -DBL_MAX), STORE_OK);
	assert_int_equal(store_bind_text(st, 3, NULL), STORE_OK);	/* NULL text binds NULL */
	assert_int_equal(store_bind_blob(st, 4, "", 0), STORE_OK);
	assert_int_equal(store_bind_id(st, 5, 0), STORE_OK);		/* id 0 binds NULL */
	assert_int_equal(store_step(st), STORE_DONE);
	store_done(st);

	st = store_prepare(s, "INSERT INTO t (i, n) VALUES (0, ?)");
	assert_int_equal(store_bind_id(st, 1, 77), STORE_OK);
	assert_int_equal(store_step(st), STORE_DONE);
	store_done(st);

	st = store_prepare(s, "SELECT i, d, s, b, n FROM t ORDER BY id");
	assert_int_equal(store_column_count(st), 5);
	assert_string_equal(store_column_name(st, 0), "i");
	assert_string_equal(store_column_name(st, 4), "n");

	assert_int_equal(store_step(st), STORE_ROW);
	assert_true(store_column_int64(st, 0) == INT64_MAX);
	assert_true(store_column_double(st, 1) == 0.1);
	assert_string_equal(store_column_text(st, 2), text);
	p = store_column_blob(st, 3, &n);
	assert_int_equal(n, sizeof(blob));
	assert_memory_equal(p, blob, sizeof(blob));
	assert_true(store_column_is_null(st, 4));
	assert_false(store_column_is_null(st, 0));
	assert_null(store_column_text(st, 4));

	assert_int_equal(store_step(st), STORE_ROW);
	assert_true(store_column_int64(st, 0) == INT64_MIN);
	assert_true(store_column_double(st, 1) == -DBL_MAX);
	assert_true(store_column_is_null(st, 2));
	assert_null(store_column_text(st, 2));
	n = 99;
	store_column_blob(st, 3, &n);
	assert_int_equal(n, 0);
	assert_true(store_column_is_null(st, 4));

	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_int64(st, 4), 77);
	assert_true(store_column_is_null(st, 1));
	n = 99;
	assert_null(store_column_blob(st, 1, &n));
	assert_int_equal(n, 0);

	assert_int_equal(store_step(st), STORE_DONE);
	store_done(st);
}

static void test_bind_index_out_of_range(void **state)
{
	struct store *s = *state;
	struct store_stmt *st = store_prepare(s, "SELECT ?");

	assert_int_equal(store_bind_int64(st, 2, 1), STORE_ERROR);
	assert_int_equal(store_bind_text(st, 0, "x"), STORE_ERROR);
	assert_int_equal(store_bind_int64(st, 1, 5), STORE_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_int64(st, 0), 5);
	store_done(st);
}

static void test_last_id_and_changes(void **state)
{
	struct store *s = *state;
	int i;

	for (i = 0; i < 3; i++)
		assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('n')"), STORE_OK);
	assert_int_equal(store_last_id(s), 3);
	assert_int_equal(store_exec(s, "UPDATE p SET name = 'm' WHERE id >= 2"), STORE_OK);
	assert_int_equal(store_changes(s), 2);
	assert_int_equal(store_exec(s, "UPDATE p SET name = 'm' WHERE id > 100"), STORE_OK);
	assert_int_equal(store_changes(s), 0);
}

/* A statement given back is reused for the same SQL, reset and with its bindings cleared. */
static void test_statement_cache_reuse(void **state)
{
	struct store *s = *state;
	static const char sql[] = "SELECT ?, (SELECT COUNT(*) FROM p)";
	struct store_stmt *st1, *st2, *st3;

	assert_int_equal(store_exec(s, "INSERT INTO p (name) VALUES ('a'), ('b')"), STORE_OK);
	st1 = store_prepare(s, sql);
	store_bind_int64(st1, 1, 11);
	assert_int_equal(store_step(st1), STORE_ROW);
	assert_int_equal(store_column_int64(st1, 0), 11);
	store_done(st1);

	st2 = store_prepare(s, sql);
	assert_ptr_equal(st1, st2);
	/* the old binding is gone */
	assert_int_equal(store_step(st2), STORE_ROW);
	assert_true(store_column_is_null(st2, 0));
	assert_int_equal(store_column_int64(st2, 1), 2);

	/* while st2 is out, the same SQL gets a statement of its own */
	st3 = store_prepare(s, sql);
	assert_ptr_not_equal(st2, st3);
	store_bind_int64(st3, 1, 33);
	assert_int_equal(store_step(st3), STORE_ROW);
	assert_int_equal(store_column_int64(st3, 0), 33);
	assert_true(store_column_is_null(st2, 0));
	store_done(st3);
	store_done(st2);
	store_done(NULL);
}

/* A statement given back half-read starts from the first row when taken again. */
static void test_statement_reset_on_done(void **state)
{
	struct store *s = *state;
	static const char sql[] = "SELECT id FROM p ORDER BY id";
	struct store_stmt *st;

	assert_int_equal(store_exec(s, "INSERT INTO p (id) VALUES (1), (2), (3)"), STORE_OK);
	st = store_prepare(s, sql);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_int64(st, 0), 1);
	assert_int_equal(store_step(st), STORE_ROW);
	store_done(st);
	st = store_prepare(s, sql);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_int64(st, 0), 1);
	store_done(st);
	/* a half-read statement does not keep a transaction open either */
	assert_int_equal(store_exec(s, "INSERT INTO p (id) VALUES (4)"), STORE_OK);
	assert_int_equal(count(s, "p"), 4);
}

/* More distinct statements than the cache holds: each still works and none leaks. */
static void test_statement_cache_overflow(void **state)
{
	struct store *s = *state;
	char sql[64];
	int i;

	for (i = 0; i < 400; i++) {
		struct store_stmt *st;

		snprintf(sql, sizeof(sql), "SELECT %d + ?", i);
		st = store_prepare(s, sql);
		store_bind_int64(st, 1, 1000);
		assert_int_equal(store_step(st), STORE_ROW);
		assert_int_equal(store_column_int64(st, 0), 1000 + i);
		store_done(st);
	}
	/* and again, now mostly uncached */
	for (i = 399; i >= 0; i -= 7) {
		int64_t v = -1;

		snprintf(sql, sizeof(sql), "SELECT %d + ?", i);
		assert_int_equal(store_query_int64(s, sql, &v, 1, (int64_t)1), STORE_OK);
		assert_int_equal(v, i + 1);
	}
}

static void test_query_int64(void **state)
{
	struct store *s = *state;
	int64_t v = -1;

	assert_int_equal(store_exec(s, "INSERT INTO p (id, name) VALUES (5, 'five'), (6, 'six'), (7, NULL)"),
			 STORE_OK);
	assert_int_equal(store_query_int64(s, "SELECT id FROM p WHERE id = ?", &v, 1, (int64_t)6), STORE_OK);
	assert_int_equal(v, 6);
	assert_int_equal(store_query_int64(s, "SELECT COUNT(*) FROM p WHERE id BETWEEN ? AND ?", &v, 2,
					   (int64_t)5, (int64_t)6), STORE_OK);
	assert_int_equal(v, 2);
	v = 1234;
	assert_int_equal(store_query_int64(s, "SELECT id FROM p WHERE id = ?", &v, 1, (int64_t)8), STORE_NOTFOUND);
	assert_int_equal(v, 1234);
	/* an aggregate always has a row */
	assert_int_equal(store_query_int64(s, "SELECT COUNT(*) FROM p WHERE id = ?", &v, 1, (int64_t)8), STORE_OK);
	assert_int_equal(v, 0);
	/* big values survive the round trip */
	assert_int_equal(store_query_int64(s, "SELECT ?", &v, 1, (int64_t)INT64_MAX), STORE_OK);
	assert_true(v == INT64_MAX);
}

#define DB(f) cmocka_unit_test_setup_teardown(f, db_setup, db_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_refuses_bad_names),
		cmocka_unit_test(test_migrate_fresh_then_again),
		DB(test_unit_db_is_migrated),
		DB(test_newer_schema_refused),
		cmocka_unit_test(test_failed_migration_rolls_back),
		DB(test_wal_mode),
		DB(test_foreign_key_in_schema),
		DB(test_other_errors_are_not_constraints),
		cmocka_unit_test(test_commit_visible_to_other_connection),
		cmocka_unit_test(test_close_rolls_back),
	};
	/* Both backends: what store.h promises whatever is behind it. */
	const struct CMUnitTest either[] = {
		DB(test_foreign_keys_enforced),
		DB(test_constraint_errors),
		DB(test_commit_and_rollback),
		DB(test_nested_inner_rollback_undoes_only_inner),
		DB(test_nested_failure_then_outer_rollback),
		DB(test_nested_failure_propagated_by_caller),
		DB(test_nested_group_keeps_the_others),
		DB(test_nested_three_levels),
		DB(test_nested_with_named_savepoint),
		DB(test_nested_lost_transaction),
		DB(test_nested_commits),
		DB(test_bind_and_read_each_type),
		DB(test_bind_index_out_of_range),
		DB(test_last_id_and_changes),
		DB(test_statement_cache_reuse),
		DB(test_statement_reset_on_done),
		DB(test_statement_cache_overflow),
		DB(test_query_int64),
	};
	int failed = 0;

	pg_dsn = getenv("YUANLUO_TEST_PG_DSN");
	if (pg_dsn && *pg_dsn)
		return cmocka_run_group_tests_name("store on PostgreSQL", either, NULL, NULL);
	pg_dsn = NULL;
	failed += cmocka_run_group_tests_name("store on SQLite", tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("store, either backend, on SQLite", either, NULL, NULL);
	return failed;
}
