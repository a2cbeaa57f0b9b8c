/*
 * load.c - the benchmark's bulk loader: N work orders with their events, fast,
 * into a database that holds the demo (yuanluo init; yuanluo demo).
 *
 *   build/bench/load --db DB N
 *
 * Every order is a copy of one of the demo's closed orders (the simulation's
 * real event histories: intake, dispatch, signing, replies, returns, cards,
 * callbacks), moved in time: the N orders are spread evenly, about a million
 * a year, over the years just before the demo's own year, each a fixed hash of
 * its index away from its slot, so two loads of the same N are the same.  It
 * keeps its template's place, handler, category and words, and gets its own
 * number (YL + local date + that day's sequence, continued in wo_daily_seq)
 * and, for hotline orders, its own hotline number.
 *
 * The bulk path: the intake trigger (search index row and place columns) is
 * set aside, the place columns are copied from the template (same node, same
 * values) and the search rows are made in one statement at the end; the
 * secondary indexes of work_orders and wo_events are
 * dropped first and made again from their own SQL at the end (a sort each,
 * instead of twenty B-trees updated at random for every row); one prepared
 * INSERT ... SELECT for the order and one for its events, BATCH orders to a
 * transaction.  A load cut short leaves a database without those indexes:
 * start again from a fresh one (bench/run.mjs does).  The search index and the place
 * columns are kept by the schema's triggers as for any insert; the figures'
 * rollups are not (stats_on_write is the engine's): run `yuanluo stats rebuild`
 * afterwards, as bench/run.mjs does.  During the load: a 1 GiB page cache
 * and synchronous=OFF on the loader's connection (below).
 */
#include "store/store.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 20000
#define PER_YEAR 1000000LL
#define YEAR_S (365LL * 86400)

static const char SQL_TEMPLATES[] =
	"SELECT id, received_at FROM work_orders WHERE state = 'closed' AND closed_at IS NOT NULL ORDER BY id";
static const char SQL_BULK_SETTINGS[] = "PRAGMA cache_size=-1048576; PRAGMA synchronous=OFF";
static const char SQL_FIRST[] = "SELECT MIN(received_at) FROM work_orders";

static const char SQL_CLONE_ORDER[] =
	"INSERT INTO work_orders (subdistrict_id, number, source, external_no, idempotency_key, type, category_id,"
	" urgency, node_id, address, lat, lng, caller_name_enc, caller_phone_enc, caller_phone_hash, confidential, text,"
	" state, return_from, handler_node_id, settled_level, created_by, received_at, accepted_at, dispatched_at,"
	" signed_at, replied_at, closed_at, sign_deadline, return_deadline, deadline, card, returns, extensions, redos,"
	" supervisions, escalations, reopens, extension_days_requested, extension_days_granted, satisfaction, resolved,"
	" created_at, updated_at, community_id, courtyard_id, handler_community_id, handler_courtyard_id)"
	" SELECT subdistrict_id, ?, source, CASE WHEN external_no IS NULL THEN NULL ELSE ? END, NULL, type, category_id,"
	" urgency, node_id, address, lat, lng, caller_name_enc, caller_phone_enc, caller_phone_hash, confidential, text,"
	" state, return_from, handler_node_id, settled_level, created_by, received_at + ?3, accepted_at + ?3,"
	" dispatched_at + ?3, signed_at + ?3, replied_at + ?3, closed_at + ?3, sign_deadline + ?3,"
	" return_deadline + ?3, deadline + ?3, card, returns, extensions, redos, supervisions, escalations, reopens,"
	" extension_days_requested, extension_days_granted, satisfaction, resolved, ?4, ?5, community_id, courtyard_id,"
	" handler_community_id, handler_courtyard_id FROM work_orders WHERE id = ?6";
static const char SQL_CLONE_EVENTS[] =
	"INSERT INTO wo_events (order_id, subdistrict_id, at, actor_user_id, actor_login, action, from_state, to_state,"
	" node_id, opinion, detail)"
	" SELECT ?, subdistrict_id, at + ?, actor_user_id, actor_login, action, from_state, to_state, node_id, opinion,"
	" detail FROM wo_events WHERE order_id = ? ORDER BY id";
static const char SQL_SEQ[] =
	"INSERT INTO wo_daily_seq (day, last) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET last = excluded.last";
static const char SQL_SEQ_GET[] = "SELECT last FROM wo_daily_seq WHERE day = ?";
/*
 * The secondary indexes of the two big tables: dropped for the load, made again from their own SQL after.
 * Kept: those the load appends to in order (orders come in time order with rising ids), one of which the
 * copy of a template's events reads.
 */
static const char SQL_INDEXES[] =
	"SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('work_orders', 'wo_events')"
	" AND sql IS NOT NULL AND name NOT IN ('wo_events_order', 'work_orders_time') ORDER BY name";

/*
 * The search index rows of the loaded orders, in one statement: the expression of 007_search.sql's
 * first fill and of its work_orders_intake trigger (keep them alike), which is off during the load.
 */
static const char SQL_SEARCH_FILL[] =
	"INSERT INTO wo_search (rowid, number, external_no, address, text, place, handler)"
	" SELECT (w.received_at - 946684800) * 1073741824 + w.id, w.number, w.external_no, w.address, w.text,"
	" CASE WHEN w.subdistrict_id IS NULL THEN '' ELSE char(57344 + w.subdistrict_id / 40960000 % 6400, 57344 + w.subdistrict_id / 6400 % 6400, 57344 + w.subdistrict_id % 6400) || ' ' END"
	" || CASE WHEN w.community_id IS NULL THEN '' ELSE char(57344 + w.community_id / 40960000 % 6400, 57344 + w.community_id / 6400 % 6400, 57344 + w.community_id % 6400) || ' ' END"
	" || CASE WHEN w.courtyard_id IS NULL THEN '' ELSE char(57344 + w.courtyard_id / 40960000 % 6400, 57344 + w.courtyard_id / 6400 % 6400, 57344 + w.courtyard_id % 6400) || ' ' END,"
	" CASE WHEN w.handler_community_id IS NULL THEN '' ELSE char(57344 + w.handler_community_id / 40960000 % 6400, 57344 + w.handler_community_id / 6400 % 6400, 57344 + w.handler_community_id % 6400) || ' ' END"
	" || CASE WHEN w.handler_courtyard_id IS NULL THEN '' ELSE char(57344 + w.handler_courtyard_id / 40960000 % 6400, 57344 + w.handler_courtyard_id / 6400 % 6400, 57344 + w.handler_courtyard_id % 6400) || ' ' END"
	" FROM work_orders w WHERE w.id > ?";
static const char SQL_TRIGGER[] = "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'work_orders_intake'";
static const char SQL_MAX_ID[] = "SELECT COALESCE(MAX(id), 0) FROM work_orders";

struct index_def {
	char *name, *sql;
};

static struct index_def *indexes;
static size_t nindexes;

static int drop_indexes(struct store *s)
{
	struct store_stmt *st = store_prepare(s, SQL_INDEXES);
	char sql[256];
	size_t i;
	int rc;

	while ((rc = store_step(st)) == STORE_ROW) {
		indexes = xrealloc(indexes, (nindexes + 1) * sizeof(*indexes));
		indexes[nindexes].name = xstrdup(store_column_text(st, 0));
		indexes[nindexes].sql = xstrdup(store_column_text(st, 1));
		nindexes++;
	}
	store_done(st);
	if (rc != STORE_DONE || store_begin_write(s) != STORE_OK)
		return -1;
	for (i = 0; i < nindexes; i++) {
		snprintf(sql, sizeof(sql), "DROP INDEX \"%s\"", indexes[i].name);
		if (store_exec(s, sql) != STORE_OK) {
			store_rollback(s);
			return -1;
		}
	}
	return store_commit(s) == STORE_OK ? 0 : -1;
}

/* Sorting once per index beats keeping twenty of them in step through millions of inserts. */
static int make_indexes(struct store *s, int tty)
{
	int64_t t0 = mono_now_us();
	size_t i;

	for (i = 0; i < nindexes; i++) {
		fprintf(stderr, "%sindexing: %s (%zu of %zu)%s", tty ? "\r" : "", indexes[i].name, i + 1, nindexes,
			tty ? "\033[K" : "\n");
		if (store_exec(s, indexes[i].sql) != STORE_OK)
			return -1;
	}
	if (tty)
		fprintf(stderr, "\n");
	fprintf(stderr, "indexing: %zu indexes in %.1f s\n", nindexes, (double)(mono_now_us() - t0) / 1e6);
	return 0;
}

struct tmpl {
	int64_t id, received_at;
};

/* splitmix64: the fixed hash that places order i and picks its template. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void local_day(int64_t t, char day[9])
{
	char local[40];

	time_format_local(t, local, sizeof(local));
	snprintf(day, 9, "%.4s%.2s%.2s", local, local + 5, local + 8);
}

static int fail(struct store *s, const char *what)
{
	fprintf(stderr, "load: %s: %s\n", what, store_errmsg(s));
	return 1;
}

static int save_seq(struct store *s, const char *day, int64_t last)
{
	struct store_stmt *st = store_prepare(s, SQL_SEQ);
	int rc;

	store_bind_text(st, 1, day);
	store_bind_int64(st, 2, last);
	rc = store_step(st);
	store_done(st);
	return rc == STORE_DONE ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct store *s;
	struct store_stmt *st;
	struct tmpl *t = NULL;
	size_t nt = 0;
	int64_t n, i, first = 0, start, span, slot, seq = 0, t0, t1, events = 0, base_id = 0;
	char *trigger = NULL;
	char err[512], day[9] = "", number[32], ext[32], created[40];
	const char *db = NULL;
	int a, rc, tty = isatty(2);

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--db") && a + 1 < argc)
			db = argv[++a];
		else
			break;
	}
	if (!db || a != argc - 1 || (n = atoll(argv[a])) <= 0) {
		fprintf(stderr, "usage: load --db DB N\n");
		return 2;
	}
	s = store_open(db, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "load: %s\n", err);
		return 1;
	}
	/*
	 * The load only, on this connection only: a large page cache (the indexes
	 * outgrow the store's 16 MB within a million orders, and every insert then
	 * reads its index pages back) and no sync at each batch's commit.  A load
	 * cut short is started again from a fresh database; the server's
	 * connections keep synchronous=FULL.  SQLite dialect: a bench tool.
	 */
	if (store_exec(s, SQL_BULK_SETTINGS) != STORE_OK)
		return fail(s, "bulk settings");
	st = store_prepare(s, SQL_TEMPLATES);
	while ((rc = store_step(st)) == STORE_ROW) {
		t = xrealloc(t, (nt + 1) * sizeof(*t));
		t[nt].id = store_column_int64(st, 0);
		t[nt].received_at = store_column_int64(st, 1);
		nt++;
	}
	store_done(st);
	if (rc != STORE_DONE || nt == 0) {
		fprintf(stderr, "load: no closed demo orders to copy: run 'yuanluo demo' first\n");
		return 1;
	}
	if (store_query_int64(s, SQL_FIRST, &first, 0) != STORE_OK)
		return fail(s, "reading the demo's first order");
	/* The years before the demo's, ending two days before its first order, at PER_YEAR orders a year. */
	span = (n * YEAR_S + PER_YEAR - 1) / PER_YEAR;
	if (span < YEAR_S)
		span = YEAR_S;
	start = first - 2 * 86400 - span;
	slot = span / n > 0 ? span / n : 1;
	if (store_query_int64(s, SQL_MAX_ID, &base_id, 0) != STORE_OK)
		return fail(s, "reading the last order id");
	st = store_prepare(s, SQL_TRIGGER);
	if (store_step(st) == STORE_ROW)
		trigger = xstrdup(store_column_text(st, 0));
	store_done(st);
	if (!trigger || store_exec(s, "DROP TRIGGER work_orders_intake") != STORE_OK)
		return fail(s, "setting the intake trigger aside");
	if (drop_indexes(s) < 0)
		return fail(s, "dropping the indexes for the load");
	t0 = mono_now_us();
	for (i = 0; i < n; i++) {
		uint64_t h = mix((uint64_t)i);
		const struct tmpl *tp = &t[h % nt];
		int64_t at = start + (int64_t)((__int128)i * span / n) + (int64_t)((h >> 32) % (uint64_t)slot), id;
		char d[9];

		if (i % BATCH == 0 && store_begin_write(s) != STORE_OK)
			return fail(s, "beginning a batch");
		/* Orders come in time order, so each day's sequence is a counter. */
		local_day(at, d);
		if (strcmp(d, day) != 0) {
			if (day[0] && save_seq(s, day, seq) < 0)
				return fail(s, "saving a day's sequence");
			memcpy(day, d, sizeof(day));
			seq = 0;
			st = store_prepare(s, SQL_SEQ_GET);
			store_bind_text(st, 1, day);
			if (store_step(st) == STORE_ROW)
				seq = store_column_int64(st, 0);
			store_done(st);
		}
		seq++;
		snprintf(number, sizeof(number), "YL%s%05lld", day, (long long)seq);
		snprintf(ext, sizeof(ext), "B%s%07lld", day, (long long)seq);
		time_format_utc(at, created, sizeof(created));
		st = store_prepare(s, SQL_CLONE_ORDER);
		store_bind_text(st, 1, number);
		store_bind_text(st, 2, ext);
		store_bind_int64(st, 3, at - tp->received_at);
		store_bind_text(st, 4, created);
		store_bind_text(st, 5, created);
		store_bind_int64(st, 6, tp->id);
		rc = store_step(st);
		store_done(st);
		if (rc != STORE_DONE)
			return fail(s, "copying an order");
		id = store_last_id(s);
		st = store_prepare(s, SQL_CLONE_EVENTS);
		store_bind_int64(st, 1, id);
		store_bind_int64(st, 2, at - tp->received_at);
		store_bind_int64(st, 3, tp->id);
		rc = store_step(st);
		store_done(st);
		if (rc != STORE_DONE)
			return fail(s, "copying an order's events");
		events += store_changes(s);
		if ((i + 1) % BATCH == 0 || i + 1 == n) {
			double secs = (double)(mono_now_us() - t0) / 1e6;

			if (save_seq(s, day, seq) < 0)
				return fail(s, "saving a day's sequence");
			if (store_commit(s) != STORE_OK)
				return fail(s, "committing a batch");
			if (tty || (i + 1) % (BATCH * 10) == 0 || i + 1 == n)
				fprintf(stderr, "%sloading: %lld of %lld orders (%d%%), %lld events, %.0f orders/s%s",
					tty ? "\r" : "", (long long)(i + 1), (long long)n, (int)((i + 1) * 100 / n),
					(long long)events, (double)(i + 1) / (secs > 0 ? secs : 1), tty ? "\033[K" : "\n");
		}
	}
	if (tty)
		fprintf(stderr, "\n");
	t1 = mono_now_us();
	fprintf(stderr, "indexing: the search index of %lld orders\n", (long long)n);
	st = store_prepare(s, SQL_SEARCH_FILL);
	store_bind_int64(st, 1, base_id);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE || store_exec(s, trigger) != STORE_OK)
		return fail(s, "filling the search index");
	fprintf(stderr, "indexing: search index in %.1f s\n", (double)(mono_now_us() - t1) / 1e6);
	if (make_indexes(s, tty) < 0)
		return fail(s, "making the indexes again");
	printf("{\"orders\": %lld, \"events\": %lld, \"seconds\": %.1f, \"from\": %lld, \"to\": %lld}\n", (long long)n,
	       (long long)events, (double)(mono_now_us() - t0) / 1e6, (long long)start, (long long)(start + span));
	free(t);
	free(trigger);
	store_close(s);
	return 0;
}
