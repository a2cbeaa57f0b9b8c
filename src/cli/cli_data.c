/*
 * cli_data.c - `yuanluo import`, `yuanluo export` and `yuanluo demo`.
 * `yuanluo import hotline FILE` takes 12345 orders as the system (the console
 * is the deployment's own operator) and says where they landed.
 *
 * Import prints every bad row as FILE:LINE: column COL: reason (the format
 * editors and compilers use, so a terminal can jump to it) and exits 1 when
 * any row is bad; nothing is written then.  Export writes CSV to stdout or to
 * --out.  Imports and exports are audited like the API's, with the operating-
 * system user as the actor ("cli:NAME").  Long work shows a progress line on
 * stderr when stderr is a terminal.
 */
#include "auth/audit.h"
#include "cli/cli.h"
#include "csvio/csvio.h"
#include "demo/demo.h"
#include "store/store.h"
#include "util/util.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Progress on a terminal: one line rewritten in place, at most ten times a second. */
struct progress_line {
	const char *verb;		/* "importing", "exporting" */
	int tty;
	int shown;
	int64_t last_us;
};

static void progress_show(struct progress_line *pl, const char *what, size_t done, size_t total)
{
	int64_t now;

	if (!pl->tty)
		return;
	now = mono_now_us();
	if (pl->shown && now - pl->last_us < 100000 && done != total)
		return;
	pl->last_us = now;
	pl->shown = 1;
	if (total)
		fprintf(stderr, "\r%s: %zu of %zu (%d%%)\033[K", what, done, total, (int)(done * 100 / total));
	else
		fprintf(stderr, "\r%s: %zu rows\033[K", what, done);
	fflush(stderr);
}

static void progress_end(struct progress_line *pl)
{
	if (pl->tty && pl->shown)
		fprintf(stderr, "\r\033[K");
	pl->shown = 0;
}

static void csv_progress_fn(void *ctx, const char *what, size_t done, size_t total)
{
	struct progress_line *pl = ctx;
	char label[64];

	snprintf(label, sizeof(label), "%s %s", pl->verb, what);
	progress_show(pl, label, done, total);
}

static void demo_progress_fn(void *ctx, size_t done, size_t total)
{
	progress_show(ctx, "loading the demo: courtyards", done, total);
}

/* The whole file, or standard input for "-". */
static int read_all(const char *path, struct buf *out)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!fp)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	n = (size_t)ferror(fp);
	if (fp != stdin)
		fclose(fp);
	return n ? -1 : 0;
}

static void print_problems(const char *file, const struct csv_problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (p->items[i].column)
			fprintf(stderr, "%s:%zu: column %s: %s\n", file, p->items[i].line, p->items[i].column,
				p->items[i].reason);
		else
			fprintf(stderr, "%s:%zu: %s\n", file, p->items[i].line, p->items[i].reason);
	}
}

/* Where the hotline's orders landed: "placed: 12 at a courtyard, 2 at a community; 2 wait for a person ...". */
static void print_placed(const struct csv_hotline_report *rep)
{
	int level, first = 1;

	printf("placed:");
	for (level = LEVEL_HOUSEHOLD; level >= LEVEL_SUBDISTRICT; level--) {
		if (!rep->placed[level])
			continue;
		printf("%s %zu at a %s", first ? "" : ",", rep->placed[level], node_level_name((enum node_level)level));
		first = 0;
	}
	printf("%s; %zu wait for a person to dispatch them, %zu matched no place in their address\n",
	       first ? " nothing" : "", rep->waiting, rep->by_fallback);
	if (rep->unmapped_orders) {
		size_t i;

		printf("%zu orders filed under a parent or the fallback category, their hotline category not mapped yet"
		       " (map them: PUT /api/v1/wo-category-map):\n", rep->unmapped_orders);
		for (i = 0; i < rep->nunmapped; i++)
			printf("  %s: %zu (%s)\n", rep->unmapped[i].path, rep->unmapped[i].orders, rep->unmapped[i].by);
		if (rep->unmapped_more)
			printf("  and %zu more paths\n", rep->unmapped_more);
	}
}

int cmd_import(int argc, char **argv, const struct config *cfg)
{
	const char *what = NULL, *file = NULL;
	struct progress_line pl = { "importing", isatty(2), 0, 0 };
	struct csv_progress prog = { csv_progress_fn, &pl };
	struct csv_import_options opt = { 0 };
	struct csv_import_result res;
	struct csv_hotline_report rep;
	struct buf text = BUF_INIT;
	struct fault f = { 0 };
	struct store *s;
	char detail[256];
	int a, dry_run = 0, chunked = 0, rc;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--dry-run"))
			dry_run = 1;
		else if (!strcmp(argv[a], "--chunked"))
			chunked = 1;
		else if (argv[a][0] == '-' && argv[a][1])
			return cli_usage_error("import", "unknown option '%s'", argv[a]);
		else if (!what)
			what = argv[a];
		else if (!file)
			file = argv[a];
		else
			return cli_usage_error("import", "unexpected argument '%s'", argv[a]);
	}
	if (!what || (strcmp(what, "nodes") && strcmp(what, "persons") && strcmp(what, "hotline")))
		return cli_usage_error("import", "say what to import: nodes, persons or hotline");
	if (chunked && strcmp(what, "hotline"))
		return cli_usage_error("import", "--chunked is for a hotline file (nodes and persons import all or nothing)");
	if (!file)
		return cli_usage_error("import", "name the CSV file to import ('-' for standard input)");
	buf_init(&text);
	if (read_all(file, &text) < 0) {
		fprintf(stderr, "yuanluo import: cannot read %s: %s\n", file, strerror(errno));
		buf_release(&text);
		return 1;
	}
	s = cli_open_store(cfg);	/* it loads the key that personal data is encrypted under */
	if (!s) {
		buf_release(&text);
		return 1;
	}
	opt.dry_run = dry_run;
	opt.progress = &prog;
	if (chunked) {
		/* Beside a running server: checked whole, then written in short transactions (api_import_jobs.c). */
		opt.chunk_ms = 50;
		opt.pause_ms = 20;
	}
	memset(&rep, 0, sizeof(rep));
	if (!strcmp(what, "nodes"))
		rc = csv_import_nodes(s, text.data, text.len, &opt, &res, &f);
	else if (!strcmp(what, "persons"))
		rc = csv_import_persons(s, text.data, text.len, &opt, &res, &f);
	else
		rc = csv_import_hotline(s, NULL, text.data, text.len, &opt, &res, &rep, &f);	/* as the system */
	progress_end(&pl);
	buf_release(&text);
	if (rc < 0 && !strcmp(f.code, "invalid_csv")) {
		print_problems(file, &res.problems);
		fprintf(stderr, "%s: %s\n", file, f.message);
		rc = 1;
	} else if (rc < 0) {
		fprintf(stderr, "yuanluo import: %s\n", f.message);
		rc = 1;
	} else if (dry_run) {
		printf("%s: %zu row%s valid (dry run: would create %zu, update %zu, leave %zu unchanged); nothing was written\n",
		       file, res.rows, res.rows == 1 ? " is" : "s are", res.created, res.updated, res.unchanged);
		rc = 0;
	} else {
		printf("%s: %zu row%s imported: %zu created, %zu updated, %zu unchanged\n", file, res.rows,
		       res.rows == 1 ? "" : "s", res.created, res.updated, res.unchanged);
		rc = 0;
	}
	if (rc == 0 && !strcmp(what, "hotline"))
		print_placed(&rep);
	if (!dry_run) {
		snprintf(detail, sizeof(detail), "%s: %zu rows, %zu created, %zu updated, %zu unchanged, %zu bad", file,
			 res.rows, res.created, res.updated, res.unchanged, res.bad_rows);
		cli_audit(s, !strcmp(what, "nodes") ? "import nodes" : !strcmp(what, "persons") ? "import persons" : "import hotline",
			  what, NULL, rc ? "failure" : "success", detail);
	}
	csv_import_result_release(&res);
	store_close(s);
	return rc;
}

/* Writes to path through a temporary file, so a failed export leaves no half file. */
static int write_file(const char *path, const struct buf *b)
{
	char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	FILE *fp = fopen(tmp, "wb");
	int ok;

	if (!fp) {
		free(tmp);
		return -1;
	}
	ok = fwrite(b->data, 1, b->len, fp) == b->len;
	ok = (fclose(fp) == 0) && ok;
	if (ok && rename(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	unlink(tmp);
	free(tmp);
	return -1;
}

int cmd_export(int argc, char **argv, const struct config *cfg)
{
	const char *what = NULL, *under_arg = NULL, *level_arg = NULL, *out = NULL;
	struct progress_line pl = { "exporting", isatty(2), 0, 0 };
	struct csv_progress prog = { csv_progress_fn, &pl };
	enum node_level level = LEVEL_NONE;
	struct buf csv = BUF_INIT;
	struct fault f = { 0 };
	struct store *s;
	int64_t under = 0;
	size_t rows = 0;
	char detail[256];
	int a, rc = 1, unmasked = 0;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--unmasked"))
			unmasked = 1;
		else if (!strcmp(argv[a], "--under") && a + 1 < argc)
			under_arg = argv[++a];
		else if (!strcmp(argv[a], "--level") && a + 1 < argc)
			level_arg = argv[++a];
		else if (!strcmp(argv[a], "--out") && a + 1 < argc)
			out = argv[++a];
		else if (argv[a][0] == '-')
			return cli_usage_error("export", "unknown option '%s' (or its value is missing)", argv[a]);
		else if (!what)
			what = argv[a];
		else
			return cli_usage_error("export", "unexpected argument '%s'", argv[a]);
	}
	if (!what || (strcmp(what, "nodes") && strcmp(what, "persons")))
		return cli_usage_error("export", "say what to export: nodes or persons");
	if (unmasked && strcmp(what, "persons"))
		return cli_usage_error("export", "--unmasked is for persons only");
	if (level_arg) {
		if (strcmp(what, "nodes"))
			return cli_usage_error("export", "--level is for nodes only");
		level = csv_level_parse(level_arg);
		if (level == LEVEL_NONE)
			return cli_usage_error("export", "'%s' is not a level: use subdistrict, community, courtyard, "
							 "building, unit or household", level_arg);
	}
	s = cli_open_store(cfg);
	if (!s)
		return 1;
	if (under_arg && csv_resolve_node(s, under_arg, "under", &under, &f) < 0) {
		fprintf(stderr, "yuanluo export: --under: %s\n", f.message);
		goto done;
	}
	buf_init(&csv);
	if (!strcmp(what, "nodes"))
		rc = csv_export_nodes(s, under, level, &prog, &csv, &rows, &f);
	else
		rc = csv_export_persons(s, under, unmasked, &prog, &csv, &rows, &f);
	progress_end(&pl);
	if (rc < 0) {
		fprintf(stderr, "yuanluo export: %s\n", f.message);
		rc = 1;
		goto done;
	}
	if (out) {
		if (write_file(out, &csv) < 0) {
			fprintf(stderr, "yuanluo export: cannot write %s: %s\n", out, strerror(errno));
			rc = 1;
			goto done;
		}
		fprintf(stderr, "exported %zu %s to %s\n", rows, what, out);
	} else if (fwrite(csv.data, 1, csv.len, stdout) != csv.len || fflush(stdout) != 0) {
		fprintf(stderr, "yuanluo export: cannot write to standard output: %s\n", strerror(errno));
		rc = 1;
		goto done;
	}
	snprintf(detail, sizeof(detail), "%zu rows%s%s%s%s%s", rows, under_arg ? " under " : "", under_arg ? under_arg : "",
		 level_arg ? " level " : "", level_arg ? level_arg : "", unmasked ? ", phones unmasked" : "");
	cli_audit(s, !strcmp(what, "nodes") ? "export nodes" : "export persons", what, NULL, "success", detail);
	rc = 0;
done:
	buf_release(&csv);
	store_close(s);
	return rc;
}

static void demo_orders_progress_fn(void *ctx, size_t done, size_t total)
{
	progress_show(ctx, "loading the demo: months of work orders", done, total);
}

/* What the orders of the demo came to: the story of the hotline's months, the sources, where orders stand. */
static void print_demo_orders(const struct demo_order_counts *o)
{
	static const char *const sources[] = { "resident (web)", "grid member", "mobile grid member", "phone",
					       "walk-in", "12345 hotline" };
	static const char *const states[] = { "received", "accepted", "answered", "dispatched", "return_requested",
					      "in_progress", "replied", "reviewed", "dissatisfied", "closed" };
	size_t settled = o->settled_courtyard + o->settled_community + o->settled_subdistrict, i;
	char end[40];

	time_format_local(o->until, end, sizeof(end));
	printf("  %zu work orders with %zu events (%zu daily sweeps), from %s-01 to %.10s %.5s:\n", o->orders,
	       o->events, o->sweeps, o->month[0], end, end + 11);
	printf("    by source:");
	for (i = 0; i < YL_ARRAY_LEN(sources); i++)
		printf("%s %s %zu", i ? "," : "", sources[i], o->by_source[i]);
	printf("\n    12345 hotline by month:");
	for (i = 0; i < o->months; i++)
		printf(" %s %zu", o->month[i] + 2, o->hotline_by_month[i]);
	printf("\n    local intake by month: ");
	for (i = 0; i < o->months; i++)
		printf(" %s %zu", o->month[i] + 2, o->local_by_month[i]);
	printf("\n    settled at the courtyard:");
	for (i = 0; i < o->months; i++)
		printf(" %s %zu%%", o->month[i] + 2,
		       o->completed_by_month[i] ? o->courtyard_by_month[i] * 100 / o->completed_by_month[i] : 0);
	printf("\n    now:");
	for (i = 0; i < YL_ARRAY_LEN(states); i++)
		if (o->by_state[i])
			printf(" %s %zu", states[i], o->by_state[i]);
	printf("\n    settled at the courtyard %zu (%.0f%%), community %zu, subdistrict %zu; %zu answered at once (直办)\n",
	       o->settled_courtyard, settled ? 100.0 * (double)o->settled_courtyard / (double)settled : 0.0,
	       o->settled_community, o->settled_subdistrict, o->answered);
	printf("    %zu yellow and %zu red cards, %zu escalations, %zu returns, %zu extensions, %zu redos, "
	       "%zu supervision orders, %zu confidential callers\n",
	       o->yellow_cards, o->red_cards, o->escalations, o->returns, o->extensions, o->redos, o->supervisions,
	       o->confidential);
	if (o->calendar_ended)
		printf("    the loaded working-day calendars end: the orders end at %.10s (load next year's calendar and "
		       "the demo again on a fresh database to bring them up to today)\n", end);
	if (o->skipped_days)
		printf("    %zu days of the window have no working-day calendar loaded: no orders on them\n",
		       o->skipped_days);
}

/*
 * `yuanluo demo [--no-orders]`: the tree, its people and the demo accounts, then (unless --no-orders) a year
 * of work orders simulated up to now; all in one transaction.  The orders' dates are relative to the month of
 * loading (demo.h).
 */
int cmd_demo(int argc, char **argv, const struct config *cfg)
{
	struct progress_line pl = { "loading", isatty(2), 0, 0 };
	struct demo_progress prog = { demo_progress_fn, &pl };
	struct demo_progress oprog = { demo_orders_progress_fn, &pl };
	struct demo_account *accounts;
	struct demo_counts c;
	struct demo_order_counts oc;
	struct fault f = { 0 };
	struct store *s;
	int64_t started;
	size_t i;
	int rc, a, orders = 1;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--no-orders"))
			orders = 0;
		else
			return cli_usage_error("demo", "unexpected argument '%s'", argv[a]);
	}
	s = cli_open_store(cfg);
	if (!s)
		return 1;
	started = mono_now_us();
	accounts = xcalloc(demo_account_count(), sizeof(*accounts));
	/* The data set, its accounts and its orders land together or not at all. */
	rc = store_begin_write(s) == STORE_OK ? 0 : -1;
	if (rc < 0)
		store_fault(s, STORE_BUSY, &f);
	if (rc == 0 && (demo_load(s, &prog, &c, &f) < 0 || demo_accounts(s, accounts, &f) < 0))
		rc = -1;
	progress_end(&pl);
	if (rc == 0 && orders && demo_orders(s, DEMO_ORDER_MONTHS, 0, &oprog, &oc, &f) < 0)
		rc = -1;
	if (rc == 0 && store_commit(s) != STORE_OK) {
		store_fault(s, STORE_ERROR, &f);
		rc = -1;
	} else if (rc < 0) {
		store_rollback(s);
	}
	progress_end(&pl);
	if (rc < 0) {
		if (f.kind == FAULT_CONFLICT)
			fprintf(stderr, "yuanluo demo: %s; nothing was loaded\n", f.message);
		else
			fprintf(stderr, "yuanluo demo: cannot load the demo data set: %s%s%s%s\n", f.message,
				f.field[0] ? " (" : "", f.field, f.field[0] ? ")" : "");
		store_close(s);
		free(accounts);
		return 1;
	}
	printf("loaded the Mingshui demo data set into %s in %.1f s:\n", cfg->db,
	       (double)(mono_now_us() - started) / 1e6);
	printf("  %zu nodes: 1 subdistrict, %zu communities, %zu courtyards, %zu buildings, %zu units, %zu households\n",
	       c.nodes, c.communities, c.courtyards, c.buildings, c.units, c.households);
	printf("  %zu persons (%zu party members), %zu party organisations, %zu role assignments, %zu care links, "
	       "%zu grids\n",
	       c.persons, c.party_members, c.party_orgs, c.assignments, c.care_links, c.grids);
	if (orders)
		print_demo_orders(&oc);
	printf("demo accounts (passwords shown only now; each must be changed at first login):\n");
	for (i = 0; i < demo_account_count(); i++)
		printf("  %-10s %-18s %-20s %s\n", accounts[i].login, accounts[i].password, accounts[i].role,
		       accounts[i].display_name);
	free(accounts);
	store_close(s);
	return 0;
}
