/*
 * cli_db.c - what the commands share: opening (and migrating) the database,
 * auditing as the operating-system user, usage errors.
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
struct store *cli_open_migrated(const struct config *cfg)
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
	return cli_open_migrated(cfg);
}
