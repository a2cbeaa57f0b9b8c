/*
 * commit_limit.c - how many durable commits this disk takes, through the
 * product's own store (SQLite, WAL, synchronous=FULL: a commit is on disk
 * when it returns), so that the create scenario can be judged against it.
 *
 *   build/bench/commit_limit DIR [SECONDS]
 *
 * Two measures, SECONDS each (default 3), on a fresh database in DIR: one row
 * per transaction (commits a second), and rows in transactions of BATCH, as
 * group commit writes them (rows a second).  A row is about the size of a work
 * order with its intake event.  Prints one JSON object.
 */
#include "store/store.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 64
#define ROW_BYTES 600

static const char SQL_TABLE[] = "CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v TEXT NOT NULL)";
static const char SQL_INDEX[] = "CREATE INDEX t_k ON t(k)";
static const char SQL_INSERT[] = "INSERT INTO t (k, v) VALUES (?, ?)";

/* Rows a second over seconds, batch rows to a transaction. */
static double measure(struct store *s, int batch, double seconds, const char *payload, int64_t *rows_out)
{
	int64_t t0 = mono_now_us(), rows = 0, end = t0 + (int64_t)(seconds * 1e6);
	int i;

	while (mono_now_us() < end) {
		if (store_begin_write(s) != STORE_OK)
			fatal("begin: %s", store_errmsg(s));
		for (i = 0; i < batch; i++) {
			struct store_stmt *st = store_prepare(s, SQL_INSERT);

			store_bind_int64(st, 1, (int64_t)(random() % 100000));
			store_bind_text(st, 2, payload);
			if (store_step(st) != STORE_DONE)
				fatal("insert: %s", store_errmsg(s));
			store_done(st);
		}
		if (store_commit(s) != STORE_OK)
			fatal("commit: %s", store_errmsg(s));
		rows += batch;
	}
	*rows_out = rows;
	return (double)rows / ((double)(mono_now_us() - t0) / 1e6);
}

int main(int argc, char **argv)
{
	char path[4096], err[512], payload[ROW_BYTES + 1];
	double seconds = argc > 2 ? atof(argv[2]) : 3.0, single, batched;
	int64_t n1, n2;
	struct store *s;

	if (argc < 2) {
		fprintf(stderr, "usage: commit_limit DIR [SECONDS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/commit-limit.db", argv[1]);
	unlink(path);
	memset(payload, 'x', ROW_BYTES);
	payload[ROW_BYTES] = '\0';
	s = store_open(path, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "commit_limit: %s\n", err);
		return 1;
	}
	if (store_exec(s, SQL_TABLE) != STORE_OK || store_exec(s, SQL_INDEX) != STORE_OK) {
		fprintf(stderr, "commit_limit: %s\n", store_errmsg(s));
		return 1;
	}
	single = measure(s, 1, seconds, payload, &n1);
	batched = measure(s, BATCH, seconds, payload, &n2);
	printf("{\"single_commits_per_s\": %.1f, \"batched_rows_per_s\": %.1f, \"batch\": %d, \"row_bytes\": %d, "
	       "\"single_rows\": %lld, \"batched_rows\": %lld}\n",
	       single, batched, BATCH, ROW_BYTES, (long long)n1, (long long)n2);
	store_close(s);
	unlink(path);
	return 0;
}
