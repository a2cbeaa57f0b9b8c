/*
 * cli_progress.c - progress on a terminal for the long commands (import,
 * export, demo): one line on stderr rewritten in place, at most ten times a
 * second, and only when stderr is a terminal.
 */
#include "cli/cli.h"
#include "util/util.h"

#include <stdio.h>

void cli_progress_show(struct cli_progress *pl, const char *what, size_t done, size_t total)
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

void cli_progress_end(struct cli_progress *pl)
{
	if (pl->tty && pl->shown)
		fprintf(stderr, "\r\033[K");
	pl->shown = 0;
}

void cli_csv_progress(void *ctx, const char *what, size_t done, size_t total)
{
	struct cli_progress *pl = ctx;
	char label[64];

	snprintf(label, sizeof(label), "%s %s", pl->verb, what);
	cli_progress_show(pl, label, done, total);
}

void cli_pages_progress(int64_t done, int64_t total, void *ctx)
{
	struct cli_progress *pl = ctx;

	cli_progress_show(pl, pl->verb, (size_t)done, (size_t)total);
}
