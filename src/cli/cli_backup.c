/*
 * cli_backup.c - `yuanluo backup FILE`: copies the database while the server
 * keeps writing (one read snapshot, so the copy is consistent), with progress
 * on a terminal.
 */
#include "cli/cli.h"
#include "store/store_extra.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cmd_backup(int argc, char **argv, const struct config *cfg)
{
	struct cli_progress p = { "backing up: pages", isatty(2), 0, 0 };
	char err[512];
	struct stat st;
	int64_t t0 = mono_now_us();

	if (argc != 2)
		return cli_usage_error("backup", argc < 2 ? "give the backup FILE" : "unexpected argument '%s'", argv[2]);
	if (store_backup(cfg->db, argv[1], cli_pages_progress, &p, err, sizeof(err)) < 0) {
		cli_progress_end(&p);
		fprintf(stderr, "yuanluo backup: %s\n", err);
		return 1;
	}
	cli_progress_end(&p);
	printf("backed up %s to %s (%lld bytes) in %.1f s\n", cfg->db, argv[1],
	       stat(argv[1], &st) == 0 ? (long long)st.st_size : -1LL, (double)(mono_now_us() - t0) / 1e6);
	return 0;
}
