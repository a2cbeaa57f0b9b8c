/*
 * cli_restore.c - `yuanluo restore FILE`: checks the file is a whole Yuanluo
 * database and replaces the database with it in one transaction, refusing
 * while a server has it open; progress on a terminal.
 */
#include "cli/cli.h"
#include "store/store_extra.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cmd_restore(int argc, char **argv, const struct config *cfg)
{
	struct cli_progress p = { "restoring: pages", isatty(2), 0, 0 };
	char err[512];
	int64_t t0 = mono_now_us();

	if (argc != 2)
		return cli_usage_error("restore", argc < 2 ? "give the backup FILE" : "unexpected argument '%s'", argv[2]);
	if (store_restore(cfg->db, argv[1], cli_pages_progress, &p, err, sizeof(err)) < 0) {
		cli_progress_end(&p);
		fprintf(stderr, "yuanluo restore: %s\n", err);
		return 1;
	}
	cli_progress_end(&p);
	printf("restored %s from %s in %.1f s\n", cfg->db, argv[1], (double)(mono_now_us() - t0) / 1e6);
	return 0;
}
