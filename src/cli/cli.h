/*
 * cli.h - the subcommands of the yuanluo binary.  Each gets the settings
 * (already read from flags, environment and INI) and its own remaining
 * arguments (argv[0] is the subcommand's name); it returns the exit status.
 */
#ifndef YL_CLI_H
#define YL_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

struct store;

int cmd_serve(int argc, char **argv, const struct config *cfg);
int cmd_init(int argc, char **argv, const struct config *cfg);
int cmd_migrate(int argc, char **argv, const struct config *cfg);
int cmd_migrate_db(int argc, char **argv, const struct config *cfg);
int cmd_demo(int argc, char **argv, const struct config *cfg);
int cmd_import(int argc, char **argv, const struct config *cfg);
int cmd_export(int argc, char **argv, const struct config *cfg);
int cmd_user(int argc, char **argv, const struct config *cfg);
int cmd_audit(int argc, char **argv, const struct config *cfg);
int cmd_routes(int argc, char **argv, const struct config *cfg);
int cmd_stats(int argc, char **argv, const struct config *cfg);
int cmd_calendar(int argc, char **argv, const struct config *cfg);
int cmd_sweep(int argc, char **argv, const struct config *cfg);
int cmd_backup(int argc, char **argv, const struct config *cfg);
int cmd_restore(int argc, char **argv, const struct config *cfg);
int cmd_suggest(int argc, char **argv, const struct config *cfg);
/* The sweeper thread of serve (cli_sweep.c): NULL when sweep-interval is 0 (or it cannot start, logged). */
struct cli_sweeper;
struct cli_sweeper *cli_sweeper_start(const struct config *cfg);
/* Stops it after its current batch and waits; its connection is closed.  NULL is fine. */
void cli_sweeper_stop(struct cli_sweeper *sw);
/* The init step that loads the shipped working-day calendars (cli_calendar.c); 0, or -1 after printing why. */
int cli_calendar_init(struct store *s, const struct config *cfg);

/* Opens the database and brings its schema up to date; NULL after printing why. */
struct store *cli_open_store(const struct config *cfg);
/* Opens and migrates without the data key (init creates the key; migrate needs none); NULL after printing. */
struct store *cli_open_migrated(const struct config *cfg);
/*
 * Records a console action in the audit log, with the operating-system user as
 * "cli:NAME"; -1 (after saying so) when it cannot.  Inside a transaction the
 * caller rolls back: a change does not stand without its record.
 */
int cli_audit(struct store *s, const char *action, const char *object_type, const char *object_id, const char *result,
	      const char *detail);
/* Prints "yuanluo CMD: unexpected argument 'X'" and returns 2 when extra args remain past want. */
/* Progress on a terminal (cli_progress.c). */
struct cli_progress {
	const char *verb;		/* "importing", "exporting", "backing up: pages" */
	int tty;
	int shown;
	int64_t last_us;
};
void cli_progress_show(struct cli_progress *pl, const char *what, size_t done, size_t total);
void cli_progress_end(struct cli_progress *pl);
/* A struct csv_progress callback: ctx is a struct cli_progress. */
void cli_csv_progress(void *ctx, const char *what, size_t done, size_t total);
/* A backup's or restore's callback (store_extra.h): ctx is a struct cli_progress whose verb is the label. */
void cli_pages_progress(int64_t done, int64_t total, void *ctx);

int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
