/*
 * cli_import.c - `yuanluo import nodes|persons|hotline|indicators FILE`.  `import hotline`
 * takes 12345 orders as the system (the console is the deployment's own
 * operator) and says where they landed.  Every bad row is printed as
 * FILE:LINE: column COL: reason (the format editors and compilers use, so a
 * terminal can jump to it) and the command exits 1 when any row is bad;
 * nothing is written then.  Imports are audited like the API's, with the
 * operating-system user as the actor ("cli:NAME").
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
	struct cli_progress pl = { "importing", isatty(2), 0, 0 };
	struct csv_progress prog = { cli_csv_progress, &pl };
	struct csv_import_options opt = { 0 };
	struct csv_import_result res;
	struct csv_hotline_report rep;
	struct buf text = BUF_INIT;
	struct fault f = { 0 };
	struct store *s;
	char detail[256], action[32];
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
	if (!what || (strcmp(what, "nodes") && strcmp(what, "persons") && strcmp(what, "hotline") &&
		      strcmp(what, "indicators")))
		return cli_usage_error("import", "say what to import: nodes, persons, hotline or indicators");
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
	else if (!strcmp(what, "indicators"))
		rc = csv_import_indicators(s, text.data, text.len, &opt, &res, &f);
	else
		rc = csv_import_hotline(s, NULL, text.data, text.len, &opt, &res, &rep, &f);	/* as the system */
	cli_progress_end(&pl);
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
		snprintf(action, sizeof(action), "import %s", what);
		cli_audit(s, action,
			  what, NULL, rc ? "failure" : "success", detail);
	}
	csv_import_result_release(&res);
	store_close(s);
	return rc;
}
