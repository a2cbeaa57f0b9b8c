/*
 * cli_audit.c - `yuanluo audit verify [--anchor FILE] | list`: the audit log's
 * hash chain checked (with an anchor file, also that no rows were cut from its
 * end), or its last rows printed.
 */
#include "api/api.h"
#include "auth/account.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads "ID HASH" from an anchor file; 0 when there is none yet, -1 when unreadable. */
static int read_anchor(const char *path, int64_t *id, char hash[65])
{
	FILE *fp = fopen(path, "r");
	long long v;
	int n;

	*id = 0;
	hash[0] = '\0';
	if (!fp)
		return 0;
	n = fscanf(fp, "%lld %64s", &v, hash);
	fclose(fp);
	if (n != 2 || v < 0 || strlen(hash) != 64)
		return -1;
	*id = v;
	return 0;
}

static int write_anchor(const char *path, int64_t id, const char *hash)
{
	char tmp[4096];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fp = fopen(tmp, "w");
	if (!fp)
		return -1;
	fprintf(fp, "%lld %s\n", (long long)id, hash);
	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return rename(tmp, path);
}

static int audit_verify_cmd(struct store *s, const char *anchor)
{
	char old_hash[65], head_hash[65];
	struct fault f = { 0 };
	int64_t checked = 0, bad = 0, old_id = 0, head_id = 0;
	int rc = audit_verify(s, &checked, &bad, &f);

	if (rc < 0) {
		fprintf(stderr, "yuanluo audit verify: %s\n", f.message);
		return 1;
	}
	if (rc == 1) {
		fprintf(stderr, "yuanluo audit verify: the chain is broken at row %lld (%lld rows before it are intact):"
				" a row was edited or deleted\n", (long long)bad, (long long)checked);
		return 1;
	}
	if (anchor) {
		if (read_anchor(anchor, &old_id, old_hash) < 0) {
			fprintf(stderr, "yuanluo audit verify: cannot read the anchor file %s\n", anchor);
			return 1;
		}
		rc = audit_check_anchor(s, old_id, old_hash, &f);
		if (rc < 0) {
			fprintf(stderr, "yuanluo audit verify: %s\n", f.message);
			return 1;
		}
		if (rc == 1) {
			fprintf(stderr, "yuanluo audit verify: row %lld, the head recorded in %s, is gone or changed:"
					" rows were deleted from the end of the log\n", (long long)old_id, anchor);
			return 1;
		}
		if (audit_head(s, &head_id, head_hash, &f) < 0 || write_anchor(anchor, head_id, head_hash) < 0) {
			fprintf(stderr, "yuanluo audit verify: cannot record the new head in %s\n", anchor);
			return 1;
		}
	}
	printf("audit log intact: %lld rows verified%s%s\n", (long long)checked, anchor ? "; head recorded in " : "",
	       anchor ? anchor : "");
	return 0;
}

int cmd_audit(int argc, char **argv, const struct config *cfg)
{
	const char *anchor = NULL;
	struct fault f = { 0 };
	struct store *s;
	int rc, a;

	if (argc < 2 || (strcmp(argv[1], "verify") && strcmp(argv[1], "list")))
		return cli_usage_error("audit", "use 'audit verify [--anchor FILE]' or 'audit list'");
	for (a = 2; a < argc; a++) {
		if (!strcmp(argv[1], "verify") && !strcmp(argv[a], "--anchor") && a + 1 < argc)
			anchor = argv[++a];
		else
			return cli_usage_error("audit", "unexpected argument '%s'", argv[a]);
	}
	if (auth_init() < 0)
		return 1;
	s = cli_open_store(cfg);
	if (!s)
		return 1;
	if (!strcmp(argv[1], "list")) {
		struct audit_filter flt = { 0 };
		struct audit_list l;
		size_t i;

		flt.limit = 500;
		if (audit_list(s, &flt, &l, &f) < 0) {
			fprintf(stderr, "yuanluo audit: %s\n", f.message);
			store_close(s);
			return 1;
		}
		for (i = l.n; i-- > 0;)
			printf("%lld\t%s\t%s\t%s\t%s\t%s/%s\t%s\t%s\n", (long long)l.items[i].id, l.items[i].at,
			       l.items[i].login ? l.items[i].login : "-", l.items[i].remote ? l.items[i].remote : "-",
			       l.items[i].action, l.items[i].object_type ? l.items[i].object_type : "-",
			       l.items[i].object_id ? l.items[i].object_id : "-", l.items[i].result,
			       l.items[i].detail ? l.items[i].detail : "");
		audit_list_release(&l);
		store_close(s);
		return 0;
	}
	rc = audit_verify_cmd(s, anchor);
	store_close(s);
	return rc;
}
