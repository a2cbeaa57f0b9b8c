/*
 * cli_db.c - init, migrate, and the shared "open and migrate" step.
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

int cli_audit(struct store *s, const char *action, const char *object_type, const char *object_id, const char *result,
	      const char *detail)
{
	struct passwd *pw = getpwuid(getuid());
	struct audit_entry e;
	struct fault f = { 0 };
	char who[80];

	snprintf(who, sizeof(who), "cli:%s", pw ? pw->pw_name : "?");
	memset(&e, 0, sizeof(e));
	e.login = who;
	e.remote = "local";
	e.action = action;
	e.object_type = object_type;
	e.object_id = object_id;
	e.result = result;
	e.detail = detail;
	if (audit_record(s, &e, &f) < 0) {
		fprintf(stderr, "yuanluo: cannot write the audit log: %s\n", f.message);
		return -1;
	}
	return 0;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "yuanluo %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'yuanluo help %s')\n", cmd);
	return 2;
}

/* Opens and migrates, without the data key (init creates the key; migrate needs none). */
static struct store *open_migrated(const struct config *cfg)
{
	char err[512];
	struct store *s = store_open(cfg->db, err, sizeof(err));
	int applied = 0;

	if (!s) {
		fprintf(stderr, "yuanluo: %s\n", err);
		return NULL;
	}
	if (store_migrate(s, &applied, err, sizeof(err)) < 0) {
		fprintf(stderr, "yuanluo: %s\n", err);
		store_close(s);
		return NULL;
	}
	return s;
}

struct store *cli_open_store(const struct config *cfg)
{
	char err[512];

	/* Personal data is encrypted under the key file's key: no key, no access. */
	if (!pii_ready() && pii_init(cfg->key_file, err, sizeof(err)) < 0) {
		fprintf(stderr, "yuanluo: %s\n", err);
		return NULL;
	}
	return open_migrated(cfg);
}

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
	s = open_migrated(cfg);
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
