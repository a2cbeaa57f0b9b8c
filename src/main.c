/*
 * main.c - the yuanluo binary: settings first, then the git-style subcommand.
 */
#include "cli/cli.h"
#include "config/config.h"
#include "timenode/timenode.h"
#include "util/log.h"
#include "util/util.h"
#include "workorder/workorder.h"

#include <stdio.h>
#include <string.h>

#ifndef YUANLUO_VERSION
#define YUANLUO_VERSION "0.1.0"
#endif

static int cmd_version(int argc, char **argv, const struct config *cfg);
static int cmd_help(int argc, char **argv, const struct config *cfg);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv, const struct config *cfg);
	const char *usage;
	const char *help;
} commands[] = {
	{ "serve", cmd_serve, "serve [--listen HOST:PORT] [--db DB] [--threads N]", "serve the web UI and the JSON API" },
	{ "init", cmd_init, "init [--db DB] [--key-file FILE] [--admin LOGIN] [--first-start]",
	  "create the database and the key file; print the first administrator's password once"
	  " (--first-start: only the key file of a new database, for the service)" },
	{ "migrate", cmd_migrate, "migrate [--db DB] [--status]",
	  "bring the database schema up to date (--status: print the database's and this program's versions)" },
	{ "migrate-db", cmd_migrate_db, "migrate-db --from DB --to DB",
	  "copy a deployment to an empty database (SQLite to PostgreSQL), verified by row counts and checksums" },
	{ "demo", cmd_demo, "demo [--no-orders] [--db DB]",
	  "load the Mingshui demo data set: tree, people, accounts and a year of work orders (deterministic)" },
	{ "import", cmd_import, "import nodes|persons|hotline|indicators FILE.csv|- [--dry-run] [--chunked]",
	  "import the tree, persons or 12345 hotline orders from CSV; nothing is written unless every row is valid" },
	{ "export", cmd_export, "export nodes|persons [--under NODE] [--level LEVEL] [--unmasked] [--out FILE.csv]",
	  "export as CSV (phones masked unless --unmasked; every export is audited)" },
	{ "user", cmd_user, "user add LOGIN --role ROLE [--scope NODE] [--name NAME] | passwd LOGIN | disable LOGIN"
	  " | enable LOGIN | list", "manage user accounts (generated passwords are shown once)" },
	{ "audit", cmd_audit, "audit verify [--anchor FILE] | list",
	  "verify the audit log's hash chain (with --anchor, also that no rows were cut from its end), or print its last rows" },
	{ "stats", cmd_stats, "stats rebuild", "recompute the figures' rollups from the orders and their events" },
	{ "routes", cmd_routes, "routes", "print the API's route table as JSON (with each route's permission)" },
	{ "calendar", cmd_calendar, "calendar load FILE... | show YEAR | years",
	  "load the working-day calendars (holidays and swapped working days), or show them" },
	{ "sweep", cmd_sweep, "sweep [--now 'YYYY-MM-DD HH:MM'] [--dry-run]",
	  "issue yellow and red cards and escalate overdue work orders once (for cron; serve sweeps every sweep-interval)" },
	{ "backup", cmd_backup, "backup FILE",
	  "copy the database to FILE while the server runs (a consistent snapshot; pg_dump for PostgreSQL)" },
	{ "restore", cmd_restore, "restore FILE",
	  "replace the database with the backup FILE (checked first; refused while a server has it open)" },
	{ "suggest", cmd_suggest, "suggest eval [--split SHARE]",
	  "measure the suggested category and handler on this database's closed orders (a time split)" },
	{ "version", cmd_version, "version", "print the version" },
	{ "help", cmd_help, "help [COMMAND]", "this help" },
};

static int cmd_version(int argc, char **argv, const struct config *cfg)
{
	YL_UNUSED(argv);
	YL_UNUSED(cfg);
	if (argc > 1)
		return cli_usage_error("version", "unexpected argument '%s'", argv[1]);
	printf("yuanluo %s\n", YUANLUO_VERSION);
	return 0;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: yuanluo COMMAND [OPTIONS]\n\nCommands:\n");
	for (i = 0; i < YL_ARRAY_LEN(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\nRun 'yuanluo help COMMAND' for a command's options, 'yuanluo help settings' for all settings.\n");
}

static int cmd_help(int argc, char **argv, const struct config *cfg)
{
	size_t i;

	YL_UNUSED(cfg);
	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "settings") == 0) {
		config_print_help();
		return 0;
	}
	for (i = 0; i < YL_ARRAY_LEN(commands); i++) {
		if (strcmp(commands[i].name, argv[1]) == 0) {
			printf("usage: yuanluo %s\n\n%s\n\n", commands[i].usage, commands[i].help);
			config_print_help();
			return 0;
		}
	}
	fprintf(stderr, "yuanluo: no command '%s'; see 'yuanluo help'\n", argv[1]);
	return 2;
}

int main(int argc, char **argv)
{
	struct config cfg;
	char err[512];
	size_t i;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv, NULL);
	if (config_load(&cfg, &argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "yuanluo: %s\n", err);
		return 2;
	}
	if (!strcmp(cfg.log_level, "debug"))
		log_set_level(LOG_DEBUG);
	else if (!strcmp(cfg.log_level, "warn"))
		log_set_level(LOG_WARN);
	else if (!strcmp(cfg.log_level, "error"))
		log_set_level(LOG_ERROR);
	/* Every command that files orders (serve, import, demo) numbers them with the prefix. */
	if (wo_number_set_prefix(cfg.number_prefix, err, sizeof(err)) < 0) {
		fprintf(stderr, "yuanluo: %s\n", err);
		config_release(&cfg);
		return 2;
	}
	tn_kinds_from_env();
	if (argc < 2) {
		fprintf(stderr, "yuanluo: no command given; see 'yuanluo help'\n");
		config_release(&cfg);
		return 2;
	}
	for (i = 0; i < YL_ARRAY_LEN(commands); i++) {
		if (strcmp(commands[i].name, argv[1]) == 0) {
			int a;

			for (a = 2; a < argc; a++) {
				if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
					char help[] = "help", *hv[] = { help, argv[1], NULL };
					rc = cmd_help(2, hv, &cfg);
					config_release(&cfg);
					return rc;
				}
			}
			rc = commands[i].run(argc - 1, argv + 1, &cfg);
			config_release(&cfg);
			return rc;
		}
	}
	fprintf(stderr, "yuanluo: '%s' is not a command; see 'yuanluo help'\n", argv[1]);
	config_release(&cfg);
	return 2;
}
