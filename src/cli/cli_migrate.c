/*
 * cli_migrate.c - `yuanluo migrate`: the schema brought up to date; `--status` says where it stands.
 */
#include "auth/account.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/pii.h"
#include "cli/cli.h"
#include "store/store.h"
#include "util/util.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_migrate(int argc, char **argv, const struct config *cfg)
{
	char err[512];
	struct store *s;
	int applied = 0, before, status = argc == 2 && !strcmp(argv[1], "--status");

	if (argc > 1 && !status)
		return cli_usage_error("migrate", "unexpected argument '%s'", argv[1]);
	s = store_open(cfg->db, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "yuanluo: %s\n", err);
		return 1;
	}
	before = store_schema_version(s);
	/* For the package's scripts: is there a migration to make (and a backup first), or a downgrade to refuse? */
	if (status) {
		if (before < 0)
			fprintf(stderr, "yuanluo migrate: cannot read the schema version: %s\n", store_errmsg(s));
		else
			printf("database schema version %d, this program %d\n", before, store_schema_latest());
		store_close(s);
		return before < 0 ? 1 : 0;
	}
	if (store_migrate(s, &applied, err, sizeof(err)) < 0) {
		fprintf(stderr, "yuanluo migrate: %s\n", err);
		store_close(s);
		return 1;
	}
	printf("schema version %d -> %d (%d migration%s applied)\n", before, store_schema_version(s), applied,
	       applied == 1 ? "" : "s");
	store_close(s);
	return 0;
}
