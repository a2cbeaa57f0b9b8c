/*
 * cli_backup.c - `yuanluo backup FILE` and `yuanluo restore FILE`.
 *
 * backup copies the database while the server keeps writing (one read
 * snapshot, so the copy is consistent); restore checks the file is a whole
 * Yuanluo database and replaces the database with it in one transaction,
 * refusing while a server has it open.  Both show progress on a terminal.
 */
#include "cli/cli.h"
#include "store/store_extra.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct progress {
	const char *what;
	int tty;
	int64_t last_us;
};

static void show(int64_t done, int64_t total, void *arg)
{
	struct progress *p = arg;
	int64_t now = mono_now_us();

	if (!p->tty || (now - p->last_us < 100000 && done != total))
		return;
	p->last_us = now;
	fprintf(stderr, "\r%s: %lld of %lld pages (%d%%)\033[K", p->what, (long long)done, (long long)total,
		total ? (int)(done * 100 / total) : 100);
	fflush(stderr);
}

static void show_end(struct progress *p)
{
	if (p->tty)
		fprintf(stderr, "\r\033[K");
}

int cmd_backup(int argc, char **argv, const struct config *cfg)
{
	struct progress p = { "backing up", isatty(2), 0 };
	char err[512];
	struct stat st;
	int64_t t0 = mono_now_us();

	if (argc != 2)
		return cli_usage_error("backup", argc < 2 ? "give the backup FILE" : "unexpected argument '%s'", argv[2]);
	if (store_backup(cfg->db, argv[1], show, &p, err, sizeof(err)) < 0) {
		show_end(&p);
		fprintf(stderr, "yuanluo backup: %s\n", err);
		return 1;
	}
	show_end(&p);
	printf("backed up %s to %s (%lld bytes) in %.1f s\n", cfg->db, argv[1],
	       stat(argv[1], &st) == 0 ? (long long)st.st_size : -1LL, (double)(mono_now_us() - t0) / 1e6);
	return 0;
}

int cmd_restore(int argc, char **argv, const struct config *cfg)
{
	struct progress p = { "restoring", isatty(2), 0 };
	char err[512];
	int64_t t0 = mono_now_us();

	if (argc != 2)
		return cli_usage_error("restore", argc < 2 ? "give the backup FILE" : "unexpected argument '%s'", argv[2]);
	if (store_restore(cfg->db, argv[1], show, &p, err, sizeof(err)) < 0) {
		show_end(&p);
		fprintf(stderr, "yuanluo restore: %s\n", err);
		return 1;
	}
	show_end(&p);
	printf("restored %s from %s in %.1f s\n", cfg->db, argv[1], (double)(mono_now_us() - t0) / 1e6);
	return 0;
}
