/*
 * cli_export.c - `yuanluo export nodes|persons`: CSV to stdout or to --out
 * (through a temporary file), audited like the API's exports with the
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
	struct cli_progress pl = { "exporting", isatty(2), 0, 0 };
	struct csv_progress prog = { cli_csv_progress, &pl };
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
	cli_progress_end(&pl);
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
