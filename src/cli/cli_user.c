/*
 * cli_user.c - `yuanluo user add|passwd|disable|enable|list`.  Changes made
 * here are audited like the API's, with the operating-system user as the
 * actor ("cli:NAME").
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
