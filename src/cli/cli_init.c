/*
 * cli_init.c - `yuanluo init`: the database and the key file, and the first
 * administrator's password, printed once.
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

int cmd_init(int argc, char **argv, const struct config *cfg)
{
	const char *login = "admin";
	char err[512], password[17];
	struct fault f = { 0 };
	struct store *s;
	int64_t admins = 0;
	int a, created;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--admin") && a + 1 < argc)
			login = argv[++a];
		else
			return cli_usage_error("init", "unexpected argument '%s'", argv[a]);
	}
	if (auth_init() < 0) {
		fprintf(stderr, "yuanluo init: libsodium cannot start\n");
		return 1;
	}
	s = cli_open_migrated(cfg);
	if (!s)
		return 1;
	if (account_admin_count(s, &admins, &f) < 0) {
		fprintf(stderr, "yuanluo init: %s\n", f.message);
		store_close(s);
		return 1;
	}
	if (admins > 0) {
		fprintf(stderr, "yuanluo init: %s is already initialised (it has an administrator)\n", cfg->db);
		store_close(s);
		return 1;
	}
	/* Before the key and the administrator: a bad calendar leaves init free to run again. */
	if (cli_calendar_init(s, cfg) < 0) {
		store_close(s);
		return 1;
	}
	created = keyfile_ensure(cfg->key_file, err, sizeof(err));
	if (created < 0) {
		fprintf(stderr, "yuanluo init: %s\n", err);
		store_close(s);
		return 1;
	}
	if (created)
		printf("created key file %s (keep it apart from the database and back it up)\n", cfg->key_file);
	{
		struct user_input in = { 0 };

		in.login = login;
		in.role = "admin";
		in.display_name = "系统管理员";
		int64_t uid = 0;
		char id[32];

		if (user_create(s, &in, password, &uid, &f) < 0) {
			fprintf(stderr, "yuanluo init: %s\n", f.message);
			store_close(s);
			return 1;
		}
		snprintf(id, sizeof(id), "%lld", (long long)uid);
		cli_audit(s, "init", "users", id, "success", "first administrator created");
	}
	printf("initialised %s (schema version %d)\n", cfg->db, store_schema_version(s));
	printf("administrator: %s\npassword:      %s\n", login, password);
	printf("this password is shown only now; it must be changed at first login\n");
	store_close(s);
	return 0;
}
