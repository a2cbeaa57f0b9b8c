/*
 * cli_migrate_db.c - yuanluo migrate-db --from DB --to DB: moves a deployment
 * to another database, SQLite to PostgreSQL when one machine is outgrown (or
 * back).
 *
 * The target must hold no Yuanluo data: no tables at all, or the schema with
 * nothing in it but what the migrations seed (a copy that failed halfway
 * leaves it so, and may be run again).  The source is read as it is, at the
 * latest schema version, and is never written.  Every table is copied in one
 * transaction of the target, with its foreign keys checked at the commit, so a
 * failure leaves nothing half-written; the identity counters then continue
 * above the copied ids.  After the commit each table is read back from both
 * sides and compared: row count and a checksum (the sum of a BLAKE2b hash of
 * every row's values, so independent of row order and of the backends' way of
 * storing them).  Any difference is an error (exit 1).
 */
#include "cli/cli.h"
#include "store/store.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Tables that hold a deployment's own data: the target must have none of their rows. */
static const char *const DATA_TABLES[] = { "nodes", "users", "audit_log", "work_orders", "persons" };

struct table_sum {
	int64_t rows;
	uint64_t sum;
};

static int progress_tty;

static void progress(const char *table, int64_t done, int64_t total, int final)
{
	if (!progress_tty && !final)
		return;
	if (progress_tty)
		fprintf(stderr, "\r  %-28s %10lld / %-10lld %3d%%", table, (long long)done, (long long)total,
			total ? (int)(done * 100 / total) : 100);
	if (final)
		fprintf(stderr, progress_tty ? "\n" : "  %-28s %10lld rows\n", table, (long long)done);
}

/* Adds one value to a row's hash: its canonical text, length first, NULL apart from "". */
static void hash_value(crypto_generichash_state *h, struct store_stmt *st, int col)
{
	char num[40], head[24];
	const void *p = NULL;
	size_t n = 0;

	switch (store_column_type(st, col)) {
	case STORE_T_NULL:
		crypto_generichash_update(h, (const unsigned char *)"N", 1);
		return;
	case STORE_T_INT:
		n = (size_t)snprintf(num, sizeof(num), "%lld", (long long)store_column_int64(st, col));
		p = num;
		break;
	case STORE_T_REAL:
		n = (size_t)snprintf(num, sizeof(num), "%.17g", store_column_double(st, col));
		p = num;
		break;
	case STORE_T_BLOB:
		p = store_column_blob(st, col, &n);
		break;
	default:
		p = store_column_text(st, col);
		n = p ? strlen(p) : 0;
		break;
	}
	snprintf(head, sizeof(head), "V%zu:", n);
	crypto_generichash_update(h, (const unsigned char *)head, strlen(head));
	if (n)
		crypto_generichash_update(h, p, n);
}

static uint64_t row_hash(struct store_stmt *st, int ncols)
{
	crypto_generichash_state h;
	unsigned char out[8];
	uint64_t v = 0;
	int i;

	crypto_generichash_init(&h, NULL, 0, sizeof(out));
	for (i = 0; i < ncols; i++)
		hash_value(&h, st, i);
	crypto_generichash_final(&h, out, sizeof(out));
	for (i = 0; i < 8; i++)
		v = v << 8 | out[i];
	return v;
}

static int count_rows(struct store *s, const char *table, int64_t *n)
{
	char *sql = xasprintf("SELECT COUNT(*) FROM %s", table);
	int rc = store_query_int64(s, sql, n, 0);

	free(sql);
	return rc;
}

/* The columns of a table, as SELECT * gives them ("a, b, c"); NULL when it is empty of columns or fails. */
static char *column_list(struct store *s, const char *table, int *ncols)
{
	char *sql = xasprintf("SELECT * FROM %s WHERE 1 = 0", table);
	struct store_stmt *st = store_prepare(s, sql);
	struct buf b = BUF_INIT;
	int i, n;

	store_step(st);
	n = store_column_count(st);
	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", store_column_name(st, i));
	store_done(st);
	free(sql);
	*ncols = n;
	return buf_detach(&b, NULL);
}

static int checksum(struct store *s, const char *table, const char *cols, int ncols, struct table_sum *out)
{
	char *sql = xasprintf("SELECT %s FROM %s", cols, table);
	struct store_stmt *st = store_prepare(s, sql);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		out->rows++;
		out->sum += row_hash(st, ncols);
	}
	free(sql);
	return rc == STORE_DONE ? 0 : -1;
}

/* One value of a row, kept until its batch is sent. */
struct value {
	int type;
	int64_t i;
	double d;
	char *p;
	size_t n;
};

static void keep_value(struct store_stmt *in, int col, struct value *v)
{
	const void *p;

	free(v->p);
	memset(v, 0, sizeof(*v));
	v->type = store_column_type(in, col);
	switch (v->type) {
	case STORE_T_INT:
		v->i = store_column_int64(in, col);
		break;
	case STORE_T_REAL:
		v->d = store_column_double(in, col);
		break;
	case STORE_T_BLOB:
		p = store_column_blob(in, col, &v->n);
		v->p = xmalloc(v->n + 1);
		if (v->n)
			memcpy(v->p, p, v->n);
		break;
	case STORE_T_TEXT:
		v->p = xstrdup(store_column_text(in, col));
		break;
	default:
		break;
	}
}

static void bind_kept(struct store_stmt *out, int idx, const struct value *v)
{
	switch (v->type) {
	case STORE_T_INT:
		store_bind_int64(out, idx, v->i);
		break;
	case STORE_T_REAL:
		store_bind_double(out, idx, v->d);
		break;
	case STORE_T_BLOB:
		store_bind_blob(out, idx, v->p, v->n);
		break;
	case STORE_T_TEXT:
		store_bind_text(out, idx, v->p);
		break;
	default:
		store_bind_null(out, idx);
		break;
	}
}

/* "INSERT INTO t (cols) VALUES (?, ...), ..." for rows rows. */
static char *insert_sql(const char *table, const char *cols, int ncols, int rows)
{
	struct buf q = BUF_INIT;
	int r, i;

	buf_init(&q);
	buf_addf(&q, "INSERT INTO %s (%s) VALUES ", table, cols);
	for (r = 0; r < rows; r++) {
		buf_adds(&q, r ? ", (" : "(");
		for (i = 0; i < ncols; i++)
			buf_adds(&q, i ? ", ?" : "?");
		buf_addch(&q, ')');
	}
	return buf_detach(&q, NULL);
}

/*
 * Rows go in batches of up to BATCH_ROWS rows and BATCH_PARAMS values, one
 * statement each: on PostgreSQL a round trip costs more than the rows.
 */
#define BATCH_PARAMS 30000
#define BATCH_ROWS 500

static int send_batch(struct store *to, const char *table, const char *cols, int ncols, const struct value *vals,
		      int rows)
{
	char *sql = insert_sql(table, cols, ncols, rows);
	struct store_stmt *out = store_prepare(to, sql);
	int i, rc;

	for (i = 0; i < rows * ncols; i++)
		bind_kept(out, i + 1, &vals[i]);
	rc = store_step(out);
	store_done(out);
	free(sql);
	if (rc != STORE_DONE) {
		fprintf(stderr, "%syuanluo migrate-db: cannot copy rows of %s: %s\n", progress_tty ? "\n" : "", table,
			store_errmsg(to));
		return -1;
	}
	return 0;
}

/* Copies one table inside the target's transaction; fills the source's sum as it reads. */
static int copy_table(struct store *from, struct store *to, const char *table, const char *cols, int ncols,
		      struct table_sum *sum)
{
	char *select = xasprintf("SELECT %s FROM %s", cols, table);
	int per = ncols ? BATCH_PARAMS / ncols : 1, i, rc, rows = 0;
	struct store_stmt *in;
	struct value *vals;
	int64_t total = 0;

	if (per > BATCH_ROWS)
		per = BATCH_ROWS;
	if (per < 1)
		per = 1;
	vals = xcalloc((size_t)per * (size_t)(ncols ? ncols : 1), sizeof(*vals));
	count_rows(from, table, &total);
	memset(sum, 0, sizeof(*sum));
	in = store_prepare(from, select);
	while ((rc = store_step(in)) == STORE_ROW) {
		for (i = 0; i < ncols; i++)
			keep_value(in, i, &vals[rows * ncols + i]);
		sum->rows++;
		sum->sum += row_hash(in, ncols);
		if (++rows == per) {
			if (send_batch(to, table, cols, ncols, vals, rows) < 0)
				goto fail;
			rows = 0;
			progress(table, sum->rows, total, 0);
		}
	}
	if (rc != STORE_DONE) {
		fprintf(stderr, "yuanluo migrate-db: cannot read %s: %s\n", table, store_errmsg(from));
		goto fail;
	}
	if (rows && send_batch(to, table, cols, ncols, vals, rows) < 0)
		goto fail;
	progress(table, sum->rows, total, 1);
	rc = 0;
	goto out;
fail:
	rc = -1;
out:
	for (i = 0; i < per * ncols; i++)
		free(vals[i].p);
	free(vals);
	store_done(in);
	free(select);
	return rc;
}

static int in_list(char **list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return 1;
	return 0;
}

/* 0 when the target may be written: no tables, or the schema and no data; else prints why. */
static int target_empty(struct store *to, const char *dsn)
{
	char **tables = store_tables(to);
	size_t i;
	int ret = 0;

	if (!tables[0])
		goto out;
	if (!in_list(tables, "schema_version")) {
		fprintf(stderr, "yuanluo migrate-db: the target %s holds tables that are not Yuanluo's: refusing to write"
			" into it\n", dsn);
		ret = -1;
		goto out;
	}
	for (i = 0; i < YL_ARRAY_LEN(DATA_TABLES); i++) {
		int64_t n = 0;

		if (!in_list(tables, DATA_TABLES[i]))
			continue;
		if (count_rows(to, DATA_TABLES[i], &n) != STORE_OK || n > 0) {
			fprintf(stderr, "yuanluo migrate-db: the target %s is not empty (%s: %lld rows): refusing to write"
				" into it\n", dsn, DATA_TABLES[i], (long long)n);
			ret = -1;
			goto out;
		}
	}
out:
	free_strv(tables);
	return ret;
}

static int usage(void)
{
	return cli_usage_error("migrate-db", "usage: yuanluo migrate-db --from DB --to DB");
}

int cmd_migrate_db(int argc, char **argv, const struct config *cfg)
{
	const char *from_dsn = NULL, *to_dsn = NULL;
	struct store *from = NULL, *to = NULL;
	struct table_sum *src = NULL, dst;
	char err[512], **tables = NULL, **cols = NULL;
	int *ncols = NULL, a, n = 0, i, ret = 1, applied = 0, bad = 0;
	int64_t version = 0;

	YL_UNUSED(cfg);
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--from") && a + 1 < argc)
			from_dsn = argv[++a];
		else if (!strcmp(argv[a], "--to") && a + 1 < argc)
			to_dsn = argv[++a];
		else
			return cli_usage_error("migrate-db", "unexpected argument '%s'", argv[a]);
	}
	if (!from_dsn || !to_dsn)
		return usage();
	if (!strcmp(from_dsn, to_dsn))
		return cli_usage_error("migrate-db", "--from and --to name the same database");
	if (sodium_init() < 0) {
		fprintf(stderr, "yuanluo migrate-db: libsodium cannot start\n");
		return 1;
	}
	progress_tty = isatty(STDERR_FILENO);
	if (!(from = store_open(from_dsn, err, sizeof(err)))) {
		fprintf(stderr, "yuanluo migrate-db: source: %s\n", err);
		goto out;
	}
	if (store_query_int64(from, "SELECT COALESCE(MAX(version), 0) FROM schema_version", &version, 0) != STORE_OK) {
		fprintf(stderr, "yuanluo migrate-db: the source %s is not a Yuanluo database\n", from_dsn);
		goto out;
	}
	if (version != store_schema_latest()) {
		fprintf(stderr, "yuanluo migrate-db: the source is at schema version %lld, this program at %d: run"
			" 'yuanluo migrate --db %s' first\n", (long long)version, store_schema_latest(), from_dsn);
		goto out;
	}
	if (!(to = store_open(to_dsn, err, sizeof(err)))) {
		fprintf(stderr, "yuanluo migrate-db: target: %s\n", err);
		goto out;
	}
	if (target_empty(to, to_dsn) < 0)
		goto out;
	if (store_migrate(to, &applied, err, sizeof(err)) < 0) {
		fprintf(stderr, "yuanluo migrate-db: target: %s\n", err);
		goto out;
	}

	tables = store_tables(from);
	{
		char **theirs = store_tables(to);
		for (i = 0; tables[i]; i++) {
			if (strcmp(tables[i], "schema_version") && !in_list(theirs, tables[i])) {
				fprintf(stderr, "yuanluo migrate-db: the target has no table %s\n", tables[i]);
				free_strv(theirs);
				goto out;
			}
		}
		free_strv(theirs);
	}
	for (n = 0; tables[n]; n++)
		;
	cols = xcalloc((size_t)n + 1, sizeof(*cols));
	ncols = xcalloc((size_t)n + 1, sizeof(*ncols));
	src = xcalloc((size_t)n + 1, sizeof(*src));
	for (i = 0; i < n; i++)
		cols[i] = column_list(from, tables[i], &ncols[i]);

	fprintf(stderr, "copying %d tables from %s to %s\n", n - (in_list(tables, "schema_version") ? 1 : 0),
		from_dsn, to_dsn);
	if (store_begin_write(to) != STORE_OK || store_defer_constraints(to) != STORE_OK) {
		fprintf(stderr, "yuanluo migrate-db: target: %s\n", store_errmsg(to));
		goto out;
	}
	/* The target's seeded rows (roles, categories, policies) give way to the source's. */
	for (i = n - 1; i >= 0; i--) {
		int64_t k = 0;
		char *sql;

		if (!strcmp(tables[i], "schema_version") || count_rows(to, tables[i], &k) != STORE_OK || !k)
			continue;
		sql = xasprintf("DELETE FROM %s", tables[i]);
		if (store_exec(to, sql) != STORE_OK) {
			fprintf(stderr, "yuanluo migrate-db: cannot clear the target's %s: %s\n", tables[i], store_errmsg(to));
			free(sql);
			store_rollback(to);
			goto out;
		}
		free(sql);
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(tables[i], "schema_version"))
			continue;
		if (copy_table(from, to, tables[i], cols[i], ncols[i], &src[i]) < 0) {
			store_rollback(to);
			goto out;
		}
	}
	if (store_sync_ids(to) != STORE_OK || store_commit(to) != STORE_OK) {
		fprintf(stderr, "yuanluo migrate-db: the copy was not committed (nothing was written): %s\n",
			store_errmsg(to));
		goto out;
	}

	fprintf(stderr, "verifying\n");
	printf("%-28s %10s  %-16s %s\n", "table", "rows", "checksum", "");
	for (i = 0; i < n; i++) {
		int same;

		if (!strcmp(tables[i], "schema_version"))
			continue;
		if (checksum(to, tables[i], cols[i], ncols[i], &dst) < 0) {
			fprintf(stderr, "yuanluo migrate-db: cannot read back %s: %s\n", tables[i], store_errmsg(to));
			bad++;
			continue;
		}
		same = dst.rows == src[i].rows && dst.sum == src[i].sum;
		printf("%-28s %10lld  %016llx %s\n", tables[i], (long long)src[i].rows, (unsigned long long)src[i].sum,
		       same ? "ok" : "DIFFERS");
		if (!same) {
			fprintf(stderr, "yuanluo migrate-db: %s differs: %lld rows (checksum %016llx) in the source,"
				" %lld (%016llx) in the target\n", tables[i], (long long)src[i].rows,
				(unsigned long long)src[i].sum, (long long)dst.rows, (unsigned long long)dst.sum);
			bad++;
		}
	}
	if (bad) {
		fprintf(stderr, "yuanluo migrate-db: %d tables differ\n", bad);
		goto out;
	}
	printf("copied and verified: %s -> %s\n", from_dsn, to_dsn);
	ret = 0;
out:
	if (cols)
		for (i = 0; i < n; i++)
			free(cols[i]);
	free(cols);
	free(ncols);
	free(src);
	free_strv(tables);
	store_close(from);
	store_close(to);
	return ret;
}
