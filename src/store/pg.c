/*
 * pg.c - the PostgreSQL backend of store.h on libpq, for deployments that
 * outgrow one machine: several app servers on one database.
 *
 * One connection per store (so per worker thread).  SQL is written once in the
 * dialect both backends take; what PostgreSQL needs differently is rewritten
 * here, and only here (with the dialect sections of the migrations, migrate.c):
 *   - '?' placeholders become $1, $2, ... (outside quotes and comments);
 *   - column types: INTEGER is BIGINT (SQLite's integers are 64-bit), an
 *     "INTEGER PRIMARY KEY" an identity column, BLOB is BYTEA, REAL is
 *     DOUBLE PRECISION;
 *   - foreign keys are DEFERRABLE INITIALLY IMMEDIATE: checked at each
 *     statement as before, and at commit inside store_defer_constraints()
 *     (a bulk copy, yuanluo migrate-db, in any table order);
 *   - an INSERT into a table with an identity id gets "RETURNING id", which
 *     store_last_id() answers from (no second round trip);
 *   - results come back as text: 't'/'f' read as 1/0, bytea unescaped.
 * Statements are prepared on the server (PQprepare) the first time they run
 * and cached per connection by their SQL text, as SQLite's are.  Parameters
 * go as text with their types left for the server to infer.
 *
 * Transactions keep SQLite's meaning: a write transaction takes one
 * transaction-level advisory lock at BEGIN, so writers are serialised across
 * every app server as SQLite serialises them in one file (the engine reads a
 * counter and writes the next, and must not race); a read transaction is
 * REPEATABLE READ, one snapshot.  A failed statement aborts a PostgreSQL
 * transaction until it is rolled back to a savepoint: store.c's inner levels
 * are savepoints, so an inner rollback recovers as on SQLite, and a commit of
 * an aborted transaction is refused here (PostgreSQL would silently roll it
 * back).  COMMIT waits for the WAL flush (synchronous_commit on, the default).
 */
#include "store/store_impl.h"
#include "util/util.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#define STMT_CACHE_SIZE 256
#define MAX_PARAMS 65535	/* the protocol's limit */
#define WRITE_LOCK_KEY 0x59756c6fL	/* "Yulo": the one write lock of a deployment */
#define BYTEA_OID 17
#define INT2_OID 21
#define INT4_OID 23
#define INT8_OID 20
#define FLOAT4_OID 700
#define FLOAT8_OID 701
#define NUMERIC_OID 1700
#define BOOL_OID 16

struct pg_stmt {
	struct store_stmt base;
	char *sql;		/* as the caller wrote it: the cache's key */
	char *text;		/* rewritten for PostgreSQL */
	char name[24];
	uint64_t hash;
	int prepared;
	int cached;
	int in_use;
	int nparams;
	int returns_id;		/* "RETURNING id" was added: a command, not a query */
	char **values;		/* nparams of each */
	int *lengths;
	int *formats;
	PGresult *res;
	PGresult *desc;		/* the columns, asked before a step */
	int row;
	int nrows;
	int ran;
	unsigned char *blob;	/* the last bytea read, unescaped */
};

struct pg {
	struct store base;
	PGconn *conn;
	struct pg_stmt *cache[STMT_CACHE_SIZE];
	int ncache;
	unsigned next_name;
	int64_t last_id;
	int64_t changes;
	char **id_tables;	/* tables whose id is an identity column */
	int nid_tables;
};

#define PG(s) ((struct pg *)(s))
#define PST(st) ((struct pg_stmt *)(st))

static const struct store_ops pg_ops;

/* SQLSTATE classes: 23 integrity, 40 rollback (serialization, deadlock), 55P03 lock not available. */
static int seterr_result(struct store *s, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(PG(s)->conn);
	size_t n;

	snprintf(s->err, sizeof(s->err), "%s", msg && *msg ? msg : PQerrorMessage(PG(s)->conn));
	n = strlen(s->err);
	while (n > 0 && (s->err[n - 1] == '\n' || s->err[n - 1] == ' '))
		s->err[--n] = '\0';
	if (state && strncmp(state, "23", 2) == 0)
		return STORE_CONSTRAINT;
	if (state && (strncmp(state, "40", 2) == 0 || strcmp(state, "55P03") == 0))
		return STORE_BUSY;
	return STORE_ERROR;
}

/* Runs SQL without parameters; STORE_OK or the error. */
static int run(struct store *s, const char *sql)
{
	PGresult *res = PQexec(PG(s)->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = STORE_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		rc = seterr_result(s, res);
	PQclear(res);
	return rc;
}

/* Rewriting. */

static int word_at(const char *p, const char *start, const char *w)
{
	size_t n = strlen(w);

	if (strncasecmp(p, w, n) != 0)
		return 0;
	if (p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return 0;
	return !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

/*
 * The PostgreSQL text of sql: placeholders numbered (when params is not
 * NULL, which counts them) and the types mapped.  Quotes ('...', "...") and
 * comments (--, / * * /) are copied as they are.
 */
static char *rewrite(const char *sql, int *params)
{
	struct buf b;
	const char *p = sql;
	int n = 0, in_ref = 0, depth = 0;

	buf_init(&b);
	while (*p) {
		if (in_ref && ((*p == ')' && depth == 0) || (*p == ',' && depth == 0) || *p == ';' ||
			       (p[0] == '-' && p[1] == '-'))) {
			buf_adds(&b, " DEFERRABLE INITIALLY IMMEDIATE");
			in_ref = 0;
		} else if (in_ref && *p == '(') {
			depth++;
		} else if (in_ref && *p == ')') {
			depth--;
		}
		if (*p == '\'' || *p == '"') {
			char q = *p;
			const char *e = p + 1;
			while (*e && !(*e == q && e[1] != q)) {
				if (*e == q)
					e++;	/* a doubled quote */
				e++;
			}
			if (*e)
				e++;
			buf_add(&b, p, (size_t)(e - p));
			p = e;
		} else if (p[0] == '-' && p[1] == '-') {
			const char *e = strchr(p, '\n');
			e = e ? e : p + strlen(p);
			buf_add(&b, p, (size_t)(e - p));
			p = e;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			e = e ? e + 2 : p + strlen(p);
			buf_add(&b, p, (size_t)(e - p));
			p = e;
		} else if (*p == '?' && params) {
			buf_addf(&b, "$%d", ++n);
			p++;
		} else if (word_at(p, sql, "INTEGER")) {
			const char *q = p + 7;
			while (*q == ' ' || *q == '\t')
				q++;
			if (word_at(q, sql, "PRIMARY")) {
				buf_adds(&b, "BIGINT GENERATED BY DEFAULT AS IDENTITY");
			} else {
				buf_adds(&b, "BIGINT");
			}
			p += 7;
		} else if (word_at(p, sql, "BLOB")) {
			buf_adds(&b, "BYTEA");
			p += 4;
		} else if (word_at(p, sql, "REAL")) {
			buf_adds(&b, "DOUBLE PRECISION");	/* SQLite's REAL is 8 bytes */
			p += 4;
		} else if (word_at(p, sql, "REFERENCES")) {
			buf_adds(&b, "REFERENCES");
			p += 10;
			in_ref = 1;
			depth = 0;
		} else {
			buf_add(&b, p, 1);
			p++;
		}
	}
	if (in_ref)
		buf_adds(&b, " DEFERRABLE INITIALLY IMMEDIATE");
	if (params)
		*params = n;
	return buf_detach(&b, NULL);
}

static void load_id_tables(struct pg *g)
{
	PGresult *res;
	int i;

	for (i = 0; i < g->nid_tables; i++)
		free(g->id_tables[i]);
	free(g->id_tables);
	g->id_tables = NULL;
	g->nid_tables = 0;
	res = PQexec(g->conn, "SELECT table_name FROM information_schema.columns"
			      " WHERE table_schema = current_schema() AND column_name = 'id'"
			      " AND is_identity = 'YES'");
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		g->nid_tables = PQntuples(res);
		g->id_tables = xcalloc((size_t)g->nid_tables + 1, sizeof(char *));
		for (i = 0; i < g->nid_tables; i++)
			g->id_tables[i] = xstrdup(PQgetvalue(res, i, 0));
	}
	PQclear(res);
}

/* Case-insensitive strstr (strcasestr is a GNU extension). */
static int has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* "INSERT INTO t ..." where t has an identity id and nothing is returned yet. */
static int inserts_with_id(struct pg *g, const char *sql)
{
	const char *p = sql, *e;
	size_t n;
	int i;

	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "INSERT", 6) != 0)
		return 0;
	p += 6;
	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "INTO", 4) != 0)
		return 0;
	p += 4;
	while (isspace((unsigned char)*p))
		p++;
	for (e = p; isalnum((unsigned char)*e) || *e == '_'; e++)
		;
	n = (size_t)(e - p);
	if (has_ci(sql, "RETURNING"))
		return 0;
	for (i = 0; i < g->nid_tables; i++)
		if (strlen(g->id_tables[i]) == n && strncasecmp(g->id_tables[i], p, n) == 0)
			return 1;
	return 0;
}

/* Opening. */

static const char SESSION_SETUP[] = "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC';"
				    " SET standard_conforming_strings = on; SET synchronous_commit = on";

/*
 * Outside a transaction, a connection that broke (the server restarted, a
 * failover) is made again, and the statements are prepared again on first
 * use; inside one the transaction is lost and the caller hears so.
 */
static int reconnect_if_broken(struct pg *g)
{
	int i;

	if (PQstatus(g->conn) == CONNECTION_OK)
		return 0;
	if (g->base.depth > 0)
		return -1;
	PQreset(g->conn);
	if (PQstatus(g->conn) != CONNECTION_OK)
		return -1;
	for (i = 0; i < g->ncache; i++) {
		g->cache[i]->prepared = 0;
		PQclear(g->cache[i]->desc);
		g->cache[i]->desc = NULL;
	}
	PQclear(PQexec(g->conn, SESSION_SETUP));
	return 0;
}

static void notice_quiet(void *arg, const char *msg)
{
	YL_UNUSED(arg);
	YL_UNUSED(msg);
}

struct store *store_pg_open(const char *dsn, char *err, size_t errlen)
{
	struct pg *g = xcalloc(1, sizeof(*g));

	g->base.ops = &pg_ops;
	g->conn = PQconnectdb(dsn);
	if (PQstatus(g->conn) != CONNECTION_OK) {
		char msg[512];
		size_t n;

		snprintf(msg, sizeof(msg), "%s", PQerrorMessage(g->conn));
		n = strlen(msg);
		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
		set_error(err, errlen, "cannot connect to PostgreSQL: %s", msg);
		PQfinish(g->conn);
		free(g);
		return NULL;
	}
	PQsetNoticeProcessor(g->conn, notice_quiet, NULL);
	if (run(&g->base, SESSION_SETUP) != STORE_OK) {
		set_error(err, errlen, "cannot set up the PostgreSQL session: %s", g->base.err);
		PQfinish(g->conn);
		free(g);
		return NULL;
	}
	load_id_tables(g);
	return &g->base;
}

static void stmt_clear(struct pg_stmt *st)
{
	int i;

	PQclear(st->res);
	st->res = NULL;
	PQfreemem(st->blob);
	st->blob = NULL;
	st->row = -1;
	st->nrows = 0;
	st->ran = 0;
	for (i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->lengths[i] = 0;
		st->formats[i] = 0;
	}
}

static void stmt_free(struct pg *g, struct pg_stmt *st)
{
	stmt_clear(st);
	if (st->prepared && g->conn && PQstatus(g->conn) == CONNECTION_OK && PQtransactionStatus(g->conn) != PQTRANS_INERROR) {
		char sql[48];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
		PQclear(PQexec(g->conn, sql));
	}
	PQclear(st->desc);
	free(st->values);
	free(st->lengths);
	free(st->formats);
	free(st->sql);
	free(st->text);
	free(st);
}

static void pg_close(struct store *s)
{
	struct pg *g = PG(s);
	int i;

	for (i = 0; i < g->ncache; i++) {
		g->cache[i]->prepared = 0;	/* the connection goes: no DEALLOCATE */
		stmt_free(g, g->cache[i]);
	}
	for (i = 0; i < g->nid_tables; i++)
		free(g->id_tables[i]);
	free(g->id_tables);
	if (s->depth > 0)
		PQclear(PQexec(g->conn, "ROLLBACK"));
	PQfinish(g->conn);
	free(g);
}

/* Transactions. */

/* The connection is gone, or the server ended the transaction under us. */
static int pg_lost(struct store *s)
{
	PGTransactionStatusType t = PQtransactionStatus(PG(s)->conn);

	return t == PQTRANS_IDLE || t == PQTRANS_UNKNOWN;
}

static int pg_begin(struct store *s, int write)
{
	char sql[128];

	reconnect_if_broken(PG(s));
	if (write)
		snprintf(sql, sizeof(sql), "BEGIN; SELECT pg_advisory_xact_lock(%ld)", WRITE_LOCK_KEY);
	else
		snprintf(sql, sizeof(sql), "BEGIN ISOLATION LEVEL REPEATABLE READ");
	return run(s, sql);
}

static void pg_rollback(struct store *s)
{
	PQclear(PQexec(PG(s)->conn, "ROLLBACK"));
}

static int pg_commit(struct store *s)
{
	PGresult *res;
	int rc = STORE_OK;

	if (PQtransactionStatus(PG(s)->conn) == PQTRANS_INERROR) {
		pg_rollback(s);
		snprintf(s->err, sizeof(s->err), "the transaction was rolled back by an earlier error");
		return STORE_ERROR;
	}
	res = PQexec(PG(s)->conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = seterr_result(s, res);
	} else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		snprintf(s->err, sizeof(s->err), "the transaction was rolled back: %s", PQcmdStatus(res));
		rc = STORE_ERROR;
	}
	PQclear(res);
	if (rc != STORE_OK && PQtransactionStatus(PG(s)->conn) != PQTRANS_IDLE)
		pg_rollback(s);
	return rc;
}

static int pg_savepoint(struct store *s, int op, int depth)
{
	char sql[96];

	if (op == SP_OPEN)
		snprintf(sql, sizeof(sql), "SAVEPOINT yl_sp_%d", depth);
	else if (op == SP_RELEASE)
		snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT yl_sp_%d", depth);
	else
		snprintf(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT yl_sp_%d; RELEASE SAVEPOINT yl_sp_%d", depth, depth);
	return run(s, sql);
}

/* One statement: no ';' but a last one (SQL of our own: no ';' inside quotes to mind). */
static int single_statement(const char *sql)
{
	const char *semi = strchr(sql, ';');

	if (!semi)
		return 1;
	while (*++semi)
		if (!isspace((unsigned char)*semi))
			return 0;
	return 1;
}

/*
 * Runs SQL without parameters, one or more statements.  A single INSERT into
 * a table with an identity id sets store_last_id() as a prepared one does;
 * store_changes() counts the rows of the last statement.
 */
static int pg_exec(struct store *s, const char *sql)
{
	struct pg *g = PG(s);
	char *text = rewrite(sql, NULL);
	int returning = single_statement(sql) && inserts_with_id(g, sql), rc = STORE_OK;
	ExecStatusType st;
	PGresult *res;

	if (returning) {
		size_t n = strlen(text);

		while (n && (isspace((unsigned char)text[n - 1]) || text[n - 1] == ';'))
			text[--n] = '\0';
		text = xrealloc(text, n + 16);
		strcat(text, " RETURNING id");
	}
	res = PQexec(g->conn, text);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK && returning) {
		int rows = PQntuples(res);

		if (rows > 0)
			g->last_id = strtoll(PQgetvalue(res, rows - 1, 0), NULL, 10);
		g->changes = rows;
	} else if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		const char *n = PQcmdTuples(res);
		g->changes = *n ? strtoll(n, NULL, 10) : 0;
	} else if (st != PGRES_EMPTY_QUERY) {
		rc = seterr_result(s, res);
	}
	PQclear(res);
	free(text);
	if (rc == STORE_OK && (has_ci(sql, "CREATE TABLE") || has_ci(sql, "ALTER TABLE")))
		load_id_tables(g);
	return rc;
}

/* Statements. */

static struct pg_stmt *cache_find(struct pg *g, const char *sql, uint64_t h)
{
	int i;

	for (i = 0; i < g->ncache; i++) {
		struct pg_stmt *c = g->cache[i];
		if (c->hash == h && !c->in_use && strcmp(c->sql, sql) == 0)
			return c;
	}
	return NULL;
}

static struct store_stmt *pg_prepare(struct store *s, const char *sql)
{
	struct pg *g = PG(s);
	uint64_t h = store_hash_sql(sql);
	struct pg_stmt *st = cache_find(g, sql, h);

	if (st) {
		st->in_use = 1;
		st->row = -1;
		return &st->base;
	}
	st = xcalloc(1, sizeof(*st));
	st->base.s = s;
	st->sql = xstrdup(sql);
	st->text = rewrite(sql, &st->nparams);
	if (st->nparams > MAX_PARAMS)
		fatal("too many parameters (%d) in SQL:\n%s", st->nparams, sql);
	st->values = xcalloc((size_t)st->nparams + 1, sizeof(*st->values));
	st->lengths = xcalloc((size_t)st->nparams + 1, sizeof(*st->lengths));
	st->formats = xcalloc((size_t)st->nparams + 1, sizeof(*st->formats));
	if (inserts_with_id(g, sql)) {
		char *t = xmalloc(strlen(st->text) + 16);
		sprintf(t, "%s RETURNING id", st->text);
		free(st->text);
		st->text = t;
		st->returns_id = 1;
	}
	st->hash = h;
	st->in_use = 1;
	st->row = -1;
	snprintf(st->name, sizeof(st->name), "yl_%u", g->next_name++);
	if (g->ncache < STMT_CACHE_SIZE) {
		st->cached = 1;
		g->cache[g->ncache++] = st;
	}
	return &st->base;
}

static void pg_done(struct store_stmt *base)
{
	struct pg_stmt *st = PST(base);

	if (st->cached) {
		stmt_clear(st);
		st->in_use = 0;
		return;
	}
	stmt_free(PG(base->s), st);
}

static int set_param(struct store_stmt *base, int idx, char *v, int len, int format)
{
	struct pg_stmt *st = PST(base);

	if (idx < 1 || idx > st->nparams) {
		free(v);
		snprintf(base->s->err, sizeof(base->s->err), "parameter %d out of range (%d)", idx, st->nparams);
		return STORE_ERROR;
	}
	if (st->ran) {
		/* Bound again after a run (SQLite's reset): the next step runs anew. */
		PQclear(st->res);
		st->res = NULL;
		st->ran = 0;
	}
	free(st->values[idx - 1]);
	st->values[idx - 1] = v;
	st->lengths[idx - 1] = len;
	st->formats[idx - 1] = format;
	return STORE_OK;
}

static int pg_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
	char *t = xmalloc(24);

	snprintf(t, 24, "%lld", (long long)v);
	return set_param(st, idx, t, 0, 0);
}

static int pg_bind_double(struct store_stmt *st, int idx, double v)
{
	char *t = xmalloc(32);

	snprintf(t, 32, "%.17g", v);
	return set_param(st, idx, t, 0, 0);
}

static int pg_bind_text(struct store_stmt *st, int idx, const char *v)
{
	return set_param(st, idx, xstrdup(v), 0, 0);
}

static int pg_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n)
{
	char *copy = xmalloc(n ? n : 1);

	memcpy(copy, p, n);
	return set_param(st, idx, copy, (int)n, 1);
}

static int pg_bind_null(struct store_stmt *st, int idx)
{
	return set_param(st, idx, NULL, 0, 0);
}

static int execute(struct pg_stmt *st)
{
	struct store *s = st->base.s;
	struct pg *g = PG(s);
	ExecStatusType status;
	PGresult *res;

	reconnect_if_broken(g);
	if (!st->prepared) {
		res = PQprepare(g->conn, st->name, st->text, st->nparams, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			int rc = seterr_result(s, res);
			PQclear(res);
			/* A statement the server cannot take is the program's error, as on SQLite. */
			if (rc == STORE_ERROR && PQtransactionStatus(g->conn) != PQTRANS_UNKNOWN &&
			    PQstatus(g->conn) == CONNECTION_OK) {
				if (strstr(s->err, "syntax error") || strstr(s->err, "does not exist") ||
				    strstr(s->err, "could not determine"))
					fatal("cannot prepare SQL: %s\n%s", s->err, st->text);
			}
			return rc;
		}
		PQclear(res);
		st->prepared = 1;
	}
	res = PQexecPrepared(g->conn, st->name, st->nparams, (const char *const *)st->values,
			     st->lengths, st->formats, 0);
	status = PQresultStatus(res);
	if (status == PGRES_FATAL_ERROR && PQstatus(g->conn) == CONNECTION_BAD && s->depth == 0 &&
	    strncasecmp(st->sql, "SELECT", 6) == 0 && reconnect_if_broken(g) == 0) {
		/* A read outside a transaction found the connection broken: once more on a new one. */
		PQclear(res);
		res = PQprepare(g->conn, st->name, st->text, st->nparams, NULL);
		status = PQresultStatus(res);
		PQclear(res);
		if (status != PGRES_COMMAND_OK)
			return seterr_result(s, NULL);
		st->prepared = 1;
		res = PQexecPrepared(g->conn, st->name, st->nparams, (const char *const *)st->values,
				     st->lengths, st->formats, 0);
		status = PQresultStatus(res);
	}
	st->ran = 1;
	if (status == PGRES_TUPLES_OK) {
		if (st->returns_id) {
			int n = PQntuples(res);
			if (n > 0)
				g->last_id = strtoll(PQgetvalue(res, n - 1, 0), NULL, 10);
			g->changes = n;
			PQclear(res);
			st->nrows = 0;
			return STORE_OK;
		}
		st->res = res;
		st->nrows = PQntuples(res);
		st->row = -1;
		return STORE_OK;
	}
	if (status == PGRES_COMMAND_OK) {
		const char *n = PQcmdTuples(res);
		g->changes = *n ? strtoll(n, NULL, 10) : 0;
		PQclear(res);
		st->nrows = 0;
		return STORE_OK;
	}
	{
		int rc = seterr_result(s, res);
		PQclear(res);
		return rc;
	}
}

static int pg_step(struct store_stmt *base)
{
	struct pg_stmt *st = PST(base);
	int rc;

	if (!st->ran && (rc = execute(st)) != STORE_OK)
		return rc;
	PQfreemem(st->blob);
	st->blob = NULL;
	if (st->row + 1 < st->nrows) {
		st->row++;
		return STORE_ROW;
	}
	st->row = st->nrows;
	return STORE_DONE;
}

static int valid_cell(struct pg_stmt *st, int col)
{
	return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 && col < PQnfields(st->res);
}

/* The prepared statement's columns, for the column count and names asked before a step. */
static const PGresult *described(struct pg_stmt *st)
{
	PGconn *conn = PG(st->base.s)->conn;

	if (st->desc)
		return st->desc;
	if (!st->prepared) {
		PGresult *res = PQprepare(conn, st->name, st->text, st->nparams, NULL);
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

		PQclear(res);
		if (!ok)
			return NULL;
		st->prepared = 1;
	}
	st->desc = PQdescribePrepared(conn, st->name);
	if (PQresultStatus(st->desc) != PGRES_COMMAND_OK) {
		PQclear(st->desc);
		st->desc = NULL;
	}
	return st->desc;
}

static int pg_column_count(struct store_stmt *base)
{
	struct pg_stmt *st = PST(base);
	const PGresult *r = st->res ? st->res : described(st);

	return r ? PQnfields(r) : 0;
}

static int pg_column_is_null(struct store_stmt *base, int col)
{
	struct pg_stmt *st = PST(base);

	return !valid_cell(st, col) || PQgetisnull(st->res, st->row, col);
}

/* A cell's text, NULL for NULL; a boolean ('t', 'f') read as "1" or "0", as SQLite has them. */
static const char *cell(struct store_stmt *base, int col)
{
	struct pg_stmt *st = PST(base);
	const char *v;

	if (pg_column_is_null(base, col))
		return NULL;
	v = PQgetvalue(st->res, st->row, col);
	if ((v[0] == 't' || v[0] == 'f') && !v[1] && PQftype(st->res, col) == BOOL_OID)
		return v[0] == 't' ? "1" : "0";
	return v;
}

static int64_t pg_column_int64(struct store_stmt *base, int col)
{
	const char *v = cell(base, col);

	if (!v)
		return 0;
	if (strchr(v, '.') || strchr(v, 'e') || strchr(v, 'E'))
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

static double pg_column_double(struct store_stmt *base, int col)
{
	const char *v = cell(base, col);

	return v ? strtod(v, NULL) : 0;
}

static const char *pg_column_text(struct store_stmt *base, int col)
{
	struct pg_stmt *st = PST(base);

	if (pg_column_is_null(base, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static const void *pg_column_blob(struct store_stmt *base, int col, size_t *n)
{
	struct pg_stmt *st = PST(base);

	*n = 0;
	if (pg_column_is_null(base, col))
		return NULL;
	if (PQftype(st->res, col) != BYTEA_OID) {
		*n = (size_t)PQgetlength(st->res, st->row, col);
		return PQgetvalue(st->res, st->row, col);
	}
	PQfreemem(st->blob);
	st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, col), n);
	return st->blob;
}

static const char *pg_column_name(struct store_stmt *base, int col)
{
	struct pg_stmt *st = PST(base);
	const PGresult *r = st->res ? st->res : described(st);

	return r && col >= 0 && col < PQnfields(r) ? PQfname(r, col) : NULL;
}


static int pg_column_type(struct store_stmt *base, int col)
{
	struct pg_stmt *st = PST(base);

	if (pg_column_is_null(base, col))
		return STORE_T_NULL;
	switch (PQftype(st->res, col)) {
	case INT2_OID:
	case INT4_OID:
	case INT8_OID:
	case BOOL_OID:
		return STORE_T_INT;
	case FLOAT4_OID:
	case FLOAT8_OID:
	case NUMERIC_OID:
		return STORE_T_REAL;
	case BYTEA_OID:
		return STORE_T_BLOB;
	default:
		return STORE_T_TEXT;
	}
}

/* The schema's own tables in the order made (their oids). */
static char **pg_tables(struct store *s)
{
	PGresult *res = PQexec(PG(s)->conn, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
					    " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
					    " ORDER BY c.oid");
	char **names;
	int i, n;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		seterr_result(s, res);
		PQclear(res);
		return xcalloc(1, sizeof(char *));
	}
	n = PQntuples(res);
	names = xcalloc((size_t)n + 1, sizeof(*names));
	for (i = 0; i < n; i++)
		names[i] = xstrdup(PQgetvalue(res, i, 0));
	PQclear(res);
	return names;
}

static int pg_defer_constraints(struct store *s)
{
	return run(s, "SET CONSTRAINTS ALL DEFERRED");
}

/* Every identity sequence continues after the highest id of its table. */
static int pg_sync_ids(struct store *s)
{
	struct pg *g = PG(s);
	int i, rc = STORE_OK;

	for (i = 0; i < g->nid_tables && rc == STORE_OK; i++) {
		char *sql = xasprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'),"
				      " COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false)",
				      g->id_tables[i], g->id_tables[i]);
		rc = run(s, sql);
		free(sql);
	}
	return rc;
}

static int64_t pg_last_id(struct store *s)
{
	return PG(s)->last_id;
}

static int64_t pg_changes(struct store *s)
{
	return PG(s)->changes;
}

static const struct store_ops pg_ops = {
	.backend = STORE_POSTGRES,
	.close = pg_close,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.savepoint = pg_savepoint,
	.lost = pg_lost,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.done = pg_done,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.column_count = pg_column_count,
	.column_is_null = pg_column_is_null,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_name = pg_column_name,
	.column_type = pg_column_type,
	.tables = pg_tables,
	.defer_constraints = pg_defer_constraints,
	.sync_ids = pg_sync_ids,
	.last_id = pg_last_id,
	.changes = pg_changes,
};
