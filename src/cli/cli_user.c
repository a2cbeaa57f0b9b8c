/*
 * cli_user.c - `yuanluo user add|passwd|disable|enable|list`, `yuanluo audit
 * verify|list` and `yuanluo routes`.  Changes made here are audited like the
 * API's, with the operating-system user as the actor ("cli:NAME").
 */
#include "api/api.h"
#include "auth/account.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "org/org.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int audit_user(struct store *s, const char *action, int64_t user_id, const char *result, const char *detail)
{
	char id[32];

	snprintf(id, sizeof(id), "%lld", (long long)user_id);
	return cli_audit(s, action, "users", user_id ? id : NULL, result, detail);
}

/* A scope given as a node id or a node code. */
static int resolve_node(struct store *s, const char *arg, int64_t *id)
{
	struct fault f = { 0 };
	struct node n;

	if (parse_int64(arg, 1, INT64_MAX, id) == 0 && org_node_get(s, *id, &n, &f) == 0) {
		node_release(&n);
		return 0;
	}
	if (org_node_get_by_code(s, arg, &n, &f) == 0) {
		*id = n.id;
		node_release(&n);
		return 0;
	}
	return -1;
}

static int user_add(struct store *s, int argc, char **argv)
{
	struct user_input in = { 0 };
	struct fault f = { 0 };
	char generated[17] = "";
	int64_t id;
	int a, rc;

	if (argc < 3)
		return cli_usage_error("user", "add needs a login: user add LOGIN --role ROLE [--scope NODE] [--name NAME]");
	in.login = argv[2];
	for (a = 3; a < argc; a++) {
		if (!strcmp(argv[a], "--role") && a + 1 < argc) {
			in.role = argv[++a];
		} else if (!strcmp(argv[a], "--scope") && a + 1 < argc) {
			if (resolve_node(s, argv[++a], &in.scope_node_id) < 0) {
				fprintf(stderr, "yuanluo user: no node has the id or code '%s'\n", argv[a]);
				return 1;
			}
			in.set_scope = 1;
		} else if (!strcmp(argv[a], "--name") && a + 1 < argc) {
			in.display_name = argv[++a];
		} else {
			return cli_usage_error("user", "unexpected argument '%s'", argv[a]);
		}
	}
	if (!in.role)
		return cli_usage_error("user", "add needs --role");
	store_begin_write(s);
	rc = user_create(s, &in, generated, &id, &f);
	if (rc < 0) {
		store_rollback(s);
		audit_user(s, "user add", 0, "failure", f.message);
		fprintf(stderr, "yuanluo user add: %s%s%s\n", f.field[0] ? f.field : "", f.field[0] ? ": " : "", f.message);
		return 1;
	}
	if (audit_user(s, "user add", id, "success", in.login) < 0) {
		store_rollback(s);
		return 1;
	}
	if (store_commit(s) != STORE_OK) {
		fprintf(stderr, "yuanluo user add: %s\n", store_errmsg(s));
		return 1;
	}
	printf("created user %s (id %lld, role %s)\npassword: %s\n", in.login, (long long)id, in.role, generated);
	printf("the password is shown only now; it must be changed at first login\n");
	return 0;
}

static int find_user(struct store *s, const char *login, struct user *u)
{
	struct fault f = { 0 };

	if (user_get_by_login(s, login, u, &f) < 0) {
		fprintf(stderr, "yuanluo user: %s\n", f.message);
		return -1;
	}
	return 0;
}

static int user_passwd(struct store *s, int argc, char **argv)
{
	struct fault f = { 0 };
	char generated[17];
	struct user u;

	if (argc != 3)
		return cli_usage_error("user", "passwd takes one login");
	if (find_user(s, argv[2], &u) < 0)
		return 1;
	store_begin_write(s);
	if (user_reset_password(s, u.id, generated, &f) < 0) {
		store_rollback(s);
		fprintf(stderr, "yuanluo user passwd: %s\n", f.message);
		user_release(&u);
		return 1;
	}
	if (audit_user(s, "user passwd", u.id, "success", "password reset") < 0) {
		store_rollback(s);
		user_release(&u);
		return 1;
	}
	if (store_commit(s) != STORE_OK) {
		fprintf(stderr, "yuanluo user passwd: %s\n", store_errmsg(s));
		user_release(&u);
		return 1;
	}
	printf("new password for %s: %s\n(shown only now; it must be changed at next login)\n", u.login, generated);
	user_release(&u);
	return 0;
}

static int user_set_disabled(struct store *s, int argc, char **argv, int disabled)
{
	struct user_input in = { 0 };
	struct fault f = { 0 };
	struct user u;

	if (argc != 3)
		return cli_usage_error("user", "%s takes one login", disabled ? "disable" : "enable");
	if (find_user(s, argv[2], &u) < 0)
		return 1;
	in.set_disabled = 1;
	in.disabled = disabled;
	store_begin_write(s);
	if (user_update(s, u.id, &in, &f) < 0) {
		store_rollback(s);
		fprintf(stderr, "yuanluo user: %s\n", f.message);
		user_release(&u);
		return 1;
	}
	if (audit_user(s, disabled ? "user disable" : "user enable", u.id, "success", NULL) < 0) {
		store_rollback(s);
		user_release(&u);
		return 1;
	}
	if (store_commit(s) != STORE_OK) {
		fprintf(stderr, "yuanluo user: %s\n", store_errmsg(s));
		user_release(&u);
		return 1;
	}
	printf("%s %s\n", disabled ? "disabled" : "enabled", u.login);
	user_release(&u);
	return 0;
}

static int user_ls(struct store *s, int argc, char **argv)
{
	struct user_list l;
	struct fault f = { 0 };
	size_t i;

	YL_UNUSED(argv);
	if (argc != 2)
		return cli_usage_error("user", "list takes no arguments");
	if (user_list(s, 0, 500, 0, &l, &f) < 0) {
		fprintf(stderr, "yuanluo user list: %s\n", f.message);
		return 1;
	}
	printf("%-6s %-20s %-20s %-10s %s\n", "id", "login", "role", "scope", "state");
	for (i = 0; i < l.n; i++)
		printf("%-6lld %-20s %-20s %-10lld %s%s\n", (long long)l.items[i].id, l.items[i].login, l.items[i].role,
		       (long long)l.items[i].scope_node_id, l.items[i].disabled ? "disabled" : "active",
		       l.items[i].must_change_password ? ", must change password" : "");
	user_list_release(&l);
	return 0;
}

int cmd_user(int argc, char **argv, const struct config *cfg)
{
	struct store *s;
	int rc;

	if (argc < 2)
		return cli_usage_error("user", "which action: add, passwd, disable, enable or list?");
	if (strcmp(argv[1], "add") && strcmp(argv[1], "passwd") && strcmp(argv[1], "disable") &&
	    strcmp(argv[1], "enable") && strcmp(argv[1], "list"))
		return cli_usage_error("user", "'%s' is not an action: add, passwd, disable, enable or list", argv[1]);
	if (auth_init() < 0) {
		fprintf(stderr, "yuanluo user: libsodium cannot start\n");
		return 1;
	}
	s = cli_open_store(cfg);
	if (!s)
		return 1;
	if (!strcmp(argv[1], "add"))
		rc = user_add(s, argc, argv);
	else if (!strcmp(argv[1], "passwd"))
		rc = user_passwd(s, argc, argv);
	else if (!strcmp(argv[1], "disable"))
		rc = user_set_disabled(s, argc, argv, 1);
	else if (!strcmp(argv[1], "enable"))
		rc = user_set_disabled(s, argc, argv, 0);
	else
		rc = user_ls(s, argc, argv);
	store_close(s);
	return rc;
}

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

int cmd_routes(int argc, char **argv, const struct config *cfg)
{
	const struct http_route *r;
	json_t *arr = json_array();
	size_t n, i;
	char *out;

	YL_UNUSED(cfg);
	if (argc > 1)
		return cli_usage_error("routes", "unexpected argument '%s'", argv[1]);
	r = api_routes(&n);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "method", r[i].method,
						     "pattern", r[i].pattern, "permission", r[i].permission, "summary",
						     r[i].summary, "audit", (r[i].flags & ROUTE_AUDIT) != 0, "unscoped",
						     (r[i].flags & ROUTE_UNSCOPED) != 0));
	out = json_dumps(arr, JSON_INDENT(1));
	puts(out);
	free(out);
	json_decref(arr);
	return 0;
}
