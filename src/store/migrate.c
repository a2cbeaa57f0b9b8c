/*
 * migrate.c - applies the numbered migrations in order, each in its own
 * transaction together with its row in schema_version, so a failed migration
 * leaves the database at the previous version.
 *
 * Dialects: a migration is one text for both backends, except where a line
 * "-- dialect: sqlite" or "-- dialect: postgresql" opens a section only that
 * backend runs ("-- dialect: all" closes it).  Triggers, full-text search and
 * compatibility functions differ; everything else is written once (pg.c maps
 * the column types).
 */
#include "store/migrations.h"
#include "store/store.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_CREATE_VERSION[] =
	"CREATE TABLE IF NOT EXISTS schema_version ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at TEXT NOT NULL)";
static const char SQL_MAX_VERSION[] = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
static const char SQL_HAS_VERSION[] = "SELECT version FROM schema_version WHERE version = ?";
static const char SQL_RECORD_VERSION[] =
	"INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)";

int store_schema_latest(void)
{
	int i, v = 0;

	for (i = 0; i < migrations_count; i++)
		if (migrations[i].version > v)
			v = migrations[i].version;
	return v;
}

int store_schema_version(struct store *s)
{
	int64_t v = 0;

	if (store_exec(s, SQL_CREATE_VERSION) != STORE_OK)
		return -1;
	if (store_query_int64(s, SQL_MAX_VERSION, &v, 0) != STORE_OK)
		return -1;
	return (int)v;
}

/* The lines of sql for this backend: the sections of other dialects left out. */
static char *for_dialect(const char *sql, enum store_backend backend)
{
	static const char MARK[] = "-- dialect:";
	const char *mine = backend == STORE_POSTGRES ? "postgresql" : "sqlite";
	const char *p = sql;
	struct buf b;
	int keep = 1;

	buf_init(&b);
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) + 1 : strlen(p);

		if (strncmp(p, MARK, sizeof(MARK) - 1) == 0) {
			const char *d = p + sizeof(MARK) - 1;
			while (*d == ' ')
				d++;
			keep = strncmp(d, "all", 3) == 0 || strncmp(d, mine, strlen(mine)) == 0;
		} else if (keep) {
			buf_add(&b, p, n);
		}
		p += n;
	}
	return buf_detach(&b, NULL);
}

static int apply(struct store *s, const struct migration *m, char *err, size_t errlen)
{
	struct store_stmt *st;
	char now[32], *sql;
	int rc;

	if (store_begin_write(s) != STORE_OK)
		return set_error(err, errlen, "cannot begin migration %s: %s", m->name, store_errmsg(s));
	sql = for_dialect(m->sql, store_backend(s));
	rc = store_exec(s, sql);
	free(sql);
	if (rc != STORE_OK) {
		set_error(err, errlen, "migration %s failed: %s", m->name, store_errmsg(s));
		store_rollback(s);
		return -1;
	}
	time_format_utc(time_now_us() / 1000000, now, sizeof(now));
	st = store_prepare(s, SQL_RECORD_VERSION);
	store_bind_int64(st, 1, m->version);
	store_bind_text(st, 2, m->name);
	store_bind_text(st, 3, now);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE) {
		set_error(err, errlen, "cannot record migration %s: %s", m->name, store_errmsg(s));
		store_rollback(s);
		return -1;
	}
	if (store_commit(s) != STORE_OK)
		return set_error(err, errlen, "cannot commit migration %s: %s", m->name, store_errmsg(s));
	return 0;
}

int store_migrate(struct store *s, int *applied, char *err, size_t errlen)
{
	int current = store_schema_version(s), i, n = 0;

	if (current < 0)
		return set_error(err, errlen, "cannot read schema version: %s", store_errmsg(s));
	if (current > store_schema_latest())
		return set_error(err, errlen,
				 "database schema version %d is newer than this program (%d): upgrade yuanluo",
				 current, store_schema_latest());
	/*
	 * Every migration not recorded yet, in order: not only those above the
	 * highest applied, so one numbered below a newer one is not skipped.
	 */
	for (i = 0; i < migrations_count; i++) {
		int64_t seen;
		int rc = store_query_int64(s, SQL_HAS_VERSION, &seen, 1, (int64_t)migrations[i].version);

		if (rc == STORE_OK)
			continue;
		if (rc != STORE_NOTFOUND)
			return set_error(err, errlen, "cannot read schema version: %s", store_errmsg(s));
		if (apply(s, &migrations[i], err, errlen) < 0)
			return -1;
		n++;
	}
	/* Seeded rows carry their ids (categories): new ids continue above them (PostgreSQL). */
	if (n && store_sync_ids(s) != STORE_OK)
		return set_error(err, errlen, "cannot set the id counters: %s", store_errmsg(s));
	if (applied)
		*applied = n;
	return 0;
}
