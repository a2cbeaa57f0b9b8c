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

/*
 * `init --first-start`, run by the service before every start: a new database
 * gets its key file (0600, never replaced); the first administrator is left to
 * `yuanluo init` at the operator's terminal, where the password is shown.  A key
 * is made only while the database has no administrator, so a lost key file is
 * never silently replaced by a new one under data it cannot read.
 */
static int first_start_key(const struct config *cfg, int64_t admins)
{
	char err[512];
	int created;

	if (admins > 0) {
		if (access(cfg->key_file, F_OK) == 0)
			return 0;
		fprintf(stderr, "yuanluo init: the database %s has data but the key file %s is missing: put the key"
			" file back from its backup\n", cfg->db, cfg->key_file);
		return 1;
	}
	created = keyfile_ensure(cfg->key_file, err, sizeof(err));
	if (created < 0) {
		fprintf(stderr, "yuanluo init: %s\n", err);
		return 1;
	}
	if (created)
		printf("created key file %s (keep it apart from the database and back it up)\n", cfg->key_file);
	printf("%s has no administrator yet: create the first one with 'yuanluo init' as the service's user\n",
	       cfg->db);
	return 0;
}

int cmd_init(int argc, char **argv, const struct config *cfg)
{
	const char *login = "admin";
	char err[512], password[17];
	struct fault f = { 0 };
	struct store *s;
	int64_t admins = 0;
	int a, created, first_start = 0, rc;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--admin") && a + 1 < argc)
			login = argv[++a];
		else if (!strcmp(argv[a], "--first-start"))
			first_start = 1;
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
	if (first_start) {
		rc = first_start_key(cfg, admins);
		store_close(s);
		return rc;
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
