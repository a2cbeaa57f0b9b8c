/*
 * api_auth.c - /api/v1/auth (login, logout, me, password), /api/v1/users,
 * /api/v1/tokens, /api/v1/access-roles and /api/v1/audit.
 */
#include "api/api.h"
#include "api/api_auth.h"
#include "api/api_routes.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *perms_json(const struct actor *a)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < a->nperms; i++)
		json_array_append_new(arr, json_string(a->perms[i]));
	return arr;
}

static json_t *me_json(const struct actor *a)
{
	return json_pack("{s:o, s:s, s:s, s:o, s:b, s:o, s:s}", "user_id", json_id_or_null(a->user_id), "login",
			 a->login, "role", a->role, "scope_node_id", json_id_or_null(a->scope_node_id),
			 "must_change_password", a->must_change_password, "permissions", perms_json(a), "csrf_token",
			 a->csrf);
}

static void set_session_cookie(struct http_response *res, const char *token, int max_age)
{
	char cookie[256];

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", API_SESSION_COOKIE,
		 token, max_age, api_cookie_secure() ? "; Secure" : "");
	http_set_header(res, "Set-Cookie", cookie);
}

static const struct api_field login_fields[] = {
	{ "login", API_STRING, 1, 0, 64 },
	{ "password", API_STRING, 1, 0, 128 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_login(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	char token[AUTH_TOKEN_CHARS + 1];
	struct fault f = { 0 };
	struct actor a;
	json_t *body;

	if (!s || !(body = api_body(req, res, login_fields)))
		return;
	if (auth_login(s, api_auth_settings(), api_str(body, "login"), api_str(body, "password"), req->remote, token, &a,
		       &f) < 0) {
		if (f.kind == FAULT_FORBIDDEN)
			http_reply_error(res, 401, "login_failed", f.field[0] ? f.field : NULL, "%s", f.message);
		else
			api_fail(res, &f);
		json_decref(body);
		return;
	}
	json_decref(body);
	set_session_cookie(res, token, api_auth_settings()->lifetime_seconds);
	http_reply_json(res, 200, me_json(&a));
}

static void api_logout(struct http_request *req, struct http_response *res)
{
	const struct actor *a = api_actor(req);
	struct fault f = { 0 };

	if (a->session_id && auth_logout(api_store(res), a, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	set_session_cookie(res, "", 0);
	http_reply_json(res, 200, json_pack("{s:b}", "logged_out", 1));
}

static void api_me(struct http_request *req, struct http_response *res)
{
	const struct actor *a = api_actor(req);
	json_t *o = me_json(a);
	struct fault f = { 0 };
	struct user u;

	if (a->user_id && user_get(api_store(res), a->user_id, &u, &f) == 0) {
		json_object_set_new(o, "display_name", json_str_or_null(u.display_name));
		user_release(&u);
	} else {
		json_object_set_new(o, "display_name", json_null());
	}
	/* So a page knows when an unused session ends. */
	json_object_set_new(o, "idle_seconds", json_integer(api_auth_settings()->idle_seconds));
	http_reply_json(res, 200, o);
}

static const struct api_field password_fields[] = {
	{ "old_password", API_STRING, 1, 0, 128 },
	{ "password", API_STRING, 1, 0, 128 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_change_password(struct http_request *req, struct http_response *res)
{
	const struct actor *a = api_actor(req);
	struct fault f = { 0 };
	json_t *body;

	if (!a->user_id) {
		http_reply_error(res, 403, "forbidden", NULL, "an API token has no password");
		return;
	}
	if (!(body = api_body(req, res, password_fields)))
		return;
	if (user_change_password(api_store(res), a->user_id, api_str(body, "old_password"), api_str(body, "password"),
				 a->session_id, &f) < 0)
		api_fail(res, &f);
	else
		http_reply_json(res, 200, json_pack("{s:b}", "changed", 1));
	json_decref(body);
}

/* Users. */

static json_t *user_json(const struct user *u)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:s, s:o, s:b, s:b, s:o, s:s, s:s}", "id", (json_int_t)u->id, "login",
			 u->login, "display_name", json_str_or_null(u->display_name), "person_id",
			 json_id_or_null(u->person_id), "role", u->role, "scope_node_id", json_id_or_null(u->scope_node_id),
			 "must_change_password", u->must_change_password, "disabled", u->disabled, "last_login_at",
			 json_str_or_null(u->last_login_at), "created_at", u->created_at, "updated_at", u->updated_at);
}

static const struct api_field user_fields[] = {
	{ "login", API_STRING, 0, 0, 64 },
	{ "display_name", API_STRING, 0, 1, 50 },
	{ "role", API_STRING, 0, 0, 32 },
	{ "scope_node_id", API_ID, 0, 1, 0 },
	{ "person_id", API_ID, 0, 1, 0 },
	{ "disabled", API_BOOL, 0, 0, 0 },
	{ "password", API_STRING, 0, 0, 128 },
	{ NULL, 0, 0, 0, 0 },
};

static void user_input_from(json_t *body, struct user_input *in)
{
	memset(in, 0, sizeof(*in));
	in->login = api_str(body, "login");
	in->display_name = api_str(body, "display_name");
	in->set_display_name = api_has(body, "display_name");
	in->role = api_str(body, "role");
	in->scope_node_id = api_int(body, "scope_node_id", 0);
	in->set_scope = api_has(body, "scope_node_id");
	in->person_id = api_int(body, "person_id", 0);
	in->set_person = api_has(body, "person_id");
	in->set_disabled = api_has(body, "disabled");
	in->disabled = json_is_true(json_object_get(body, "disabled"));
	in->password = api_str(body, "password");
}

/*
 * Nobody hands out more than they hold: a role may be given (or a password of
 * its holder reset) only by an actor holding every permission of that role.  So
 * an administrator cannot make an auditor and read the audit log through it;
 * auditors are made at the console (`yuanluo user add ... --role auditor`).
 * API tokens administer nothing: users and tokens are managed by people.
 */
static int may_grant_role(struct http_request *req, struct http_response *res, const char *role)
{
	const struct actor *a = api_actor(req);
	struct actor probe;
	struct fault f = { 0 };
	int i;

	if (!a->user_id) {
		http_reply_error(res, 403, "forbidden", NULL, "API tokens cannot manage users or tokens");
		return 0;
	}
	if (!role)
		return 1;
	memset(&probe, 0, sizeof(probe));
	if (auth_role_permissions(api_store(res), role, &probe, &f) < 0) {
		api_fail(res, &f);
		return 0;
	}
	for (i = 0; i < probe.nperms; i++) {
		size_t n = strlen(probe.perms[i]);

		/* "x.own_only" narrows a role; it gives nothing away. */
		if (n > 9 && strcmp(probe.perms[i] + n - 9, ".own_only") == 0)
			continue;
		if (!actor_can(a, probe.perms[i])) {
			http_reply_error(res, 403, "forbidden", "role",
					 "you cannot give the role %s: it holds %s, which you do not", role, probe.perms[i]);
			return 0;
		}
	}
	return 1;
}

/* A scoped administrator of users manages only users whose scope lies inside their own. */
static int user_in_scope(struct http_request *req, struct http_response *res, const struct user *u)
{
	if (!api_scope(req))
		return 1;
	return api_scope_allows(req, res, u->scope_node_id);
}

static void reply_user(struct http_request *req, struct http_response *res, int64_t id, int status, const char *pw)
{
	struct fault f = { 0 };
	struct user u;
	json_t *o;

	if (user_get(api_store(res), id, &u, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (!user_in_scope(req, res, &u)) {
		user_release(&u);
		return;
	}
	o = user_json(&u);
	if (pw)
		json_object_set_new(o, "password", json_string(pw));
	user_release(&u);
	http_reply_json(res, status, o);
}

static void api_user_create(struct http_request *req, struct http_response *res)
{
	struct user_input in;
	struct fault f = { 0 };
	char generated[17] = "";
	json_t *body;
	int64_t id;

	if (!(body = api_body(req, res, user_fields)))
		return;
	user_input_from(body, &in);
	if (!may_grant_role(req, res, in.role)) {
		json_decref(body);
		return;
	}
	if (api_scope(req) && in.scope_node_id && !api_scope_allows(req, res, in.scope_node_id)) {
		json_decref(body);
		return;
	}
	if (api_scope(req) && !in.scope_node_id) {
		http_reply_error(res, 400, "invalid", "scope_node_id", "the user needs a scope inside yours");
		json_decref(body);
		return;
	}
	if (user_create(api_store(res), &in, generated, &id, &f) < 0)
		api_fail(res, &f);
	else
		reply_user(req, res, id, 201, generated[0] ? generated : NULL);
	json_decref(body);
}

static void api_user_get(struct http_request *req, struct http_response *res)
{
	int64_t id = api_path_id(req, res, "id");

	if (id)
		reply_user(req, res, id, 200, NULL);
}

static void api_user_update(struct http_request *req, struct http_response *res)
{
	int64_t id = api_path_id(req, res, "id");
	struct user_input in;
	struct fault f = { 0 };
	struct user cur;
	json_t *body;

	if (!id || !(body = api_body(req, res, user_fields)))
		return;
	user_input_from(body, &in);
	if (in.password) {
		http_reply_error(res, 400, "invalid", "password", "use reset-password to set a new password");
		json_decref(body);
		return;
	}
	if (user_get(api_store(res), id, &cur, &f) < 0) {
		api_fail(res, &f);
		json_decref(body);
		return;
	}
	/* Changing a user's role or scope is giving both the old and the new role's rights away. */
	if ((in.role || in.set_scope) && (!may_grant_role(req, res, cur.role) || !may_grant_role(req, res, in.role))) {
		user_release(&cur);
		json_decref(body);
		return;
	}
	if (!user_in_scope(req, res, &cur) || (in.set_scope && api_scope(req) && !api_scope_allows(req, res, in.scope_node_id))) {
		user_release(&cur);
		json_decref(body);
		return;
	}
	user_release(&cur);
	if (user_update(api_store(res), id, &in, &f) < 0)
		api_fail(res, &f);
	else
		reply_user(req, res, id, 200, NULL);
	json_decref(body);
}

static void api_user_reset(struct http_request *req, struct http_response *res)
{
	int64_t id = api_path_id(req, res, "id");
	struct fault f = { 0 };
	char generated[17];
	struct user cur;

	if (!id)
		return;
	if (user_get(api_store(res), id, &cur, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	/* Resetting a password is taking over the account: only for roles one could give. */
	if (!user_in_scope(req, res, &cur) || !may_grant_role(req, res, cur.role)) {
		user_release(&cur);
		return;
	}
	user_release(&cur);
	if (user_reset_password(api_store(res), id, generated, &f) < 0)
		api_fail(res, &f);
	else
		reply_user(req, res, id, 200, generated);
}

static void api_user_list(struct http_request *req, struct http_response *res)
{
	struct user_list list;
	struct fault f = { 0 };
	int limit, offset;
	json_t *items;
	size_t i;

	if (api_paging(req, res, &limit, &offset) < 0)
		return;
	if (user_list(api_store(res), api_scope(req), limit, offset, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		json_array_append_new(items, user_json(&list.items[i]));
	api_reply_list(res, items, list.total, limit, offset);
	user_list_release(&list);
}

/* API tokens. */

static json_t *token_json(const struct api_token *t)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:I, s:I, s:s, s:o, s:o}", "id", (json_int_t)t->id, "name", t->name,
			 "permissions", t->permissions, "scope_node_id", json_id_or_null(t->scope_node_id), "expires_at",
			 (json_int_t)t->expires_at, "created_by", (json_int_t)t->created_by, "created_at", t->created_at,
			 "revoked_at", json_str_or_null(t->revoked_at), "last_used_at", json_str_or_null(t->last_used_at));
}

static const struct api_field token_fields[] = {
	{ "name", API_STRING, 1, 0, 50 },
	{ "permissions", API_STRING_ARRAY, 1, 0, 32 },
	{ "scope_node_id", API_ID, 0, 1, 0 },
	{ "expires_at", API_INT, 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static void api_tokens_create(struct http_request *req, struct http_response *res)
{
	char token[AUTH_TOKEN_CHARS + 1];
	const char *perms[AUTH_MAX_PERMS];
	struct fault f = { 0 };
	json_t *body, *arr, *e;
	size_t i, n = 0;
	int64_t id;

	if (!may_grant_role(req, res, NULL) || !(body = api_body(req, res, token_fields)))
		return;
	arr = json_object_get(body, "permissions");
	if (json_array_size(arr) > AUTH_MAX_PERMS) {
		http_reply_error(res, 400, "invalid", "permissions", "at most %d permissions", AUTH_MAX_PERMS);
		json_decref(body);
		return;
	}
	json_array_foreach(arr, i, e)
		perms[n++] = json_string_value(e);
	if (api_token_create(api_store(res), api_actor(req), api_str(body, "name"), perms, n,
			     api_int(body, "scope_node_id", 0), api_int(body, "expires_at", 0), token, &id, &f) < 0) {
		api_fail(res, &f);
	} else {
		/* Shown once: only its hash is kept. */
		http_reply_json(res, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", api_str(body, "name"),
						    "token", token));
	}
	json_decref(body);
}

static void api_tokens_list(struct http_request *req, struct http_response *res)
{
	struct api_token_list list;
	struct fault f = { 0 };
	json_t *items;
	size_t i;

	if (api_token_list(api_store(res), &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++)
		if (!api_scope(req) || (list.items[i].scope_node_id &&
					org_is_within(api_store(res), api_scope(req), list.items[i].scope_node_id) == 1))
			json_array_append_new(items, token_json(&list.items[i]));
	api_token_list_release(&list);
	http_reply_json(res, 200, json_pack("{s:o}", "items", items));
}

static void api_tokens_revoke(struct http_request *req, struct http_response *res)
{
	int64_t id = api_path_id(req, res, "id");
	struct fault f = { 0 };

	if (!id || !may_grant_role(req, res, NULL))
		return;
	if (api_scope(req)) {
		struct api_token t;

		if (api_token_get(api_store(res), id, &t, &f) < 0) {
			api_fail(res, &f);
			return;
		}
		if (!api_scope_allows(req, res, t.scope_node_id)) {
			api_token_release(&t);
			return;
		}
		api_token_release(&t);
	}
	if (api_token_revoke(api_store(res), id, &f) < 0)
		api_fail(res, &f);
	else
		http_reply_json(res, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
}

/* Access roles and their permissions. */

/* The roles of the first migration first, in their order; the others (projects, volunteers ...) after them by code. */
static const char *const known_roles[] = { "admin", "auditor", "subdistrict_staff", "community_staff",
					   "courtyard_secretary", "grid_member", "mobile_grid_member", NULL };

static int role_json(struct http_response *res, const char *code, json_t *items)
{
	struct actor probe;
	struct fault f = { 0 };
	char name[64] = "", name_en[64] = "";
	int needs = 1;

	memset(&probe, 0, sizeof(probe));
	if (access_role_exists(api_store(res), code, &needs) != 1)
		return 0;
	if (auth_role_permissions(api_store(res), code, &probe, &f) < 0)
		return api_fail(res, &f);
	access_role_names(api_store(res), code, name, sizeof(name), name_en, sizeof(name_en));
	json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b, s:o}", "code", code, "name", name, "name_en", name_en,
					       "needs_scope", needs, "permissions", perms_json(&probe)));
	return 0;
}

static void api_access_roles(struct http_request *req, struct http_response *res)
{
	json_t *items = json_array();
	struct fault f = { 0 };
	char **codes = NULL;
	size_t i, j, n = 0;
	int rc = 0;

	YL_UNUSED(req);
	for (i = 0; known_roles[i] && rc == 0; i++)
		rc = role_json(res, known_roles[i], items);
	if (rc == 0 && access_role_codes(api_store(res), &codes, &n, &f) < 0)
		rc = api_fail(res, &f);
	for (i = 0; i < n; i++) {
		for (j = 0; known_roles[j] && strcmp(known_roles[j], codes[i]); j++)
			;
		if (rc == 0 && !known_roles[j])
			rc = role_json(res, codes[i], items);
		free(codes[i]);
	}
	free(codes);
	if (rc < 0) {
		json_decref(items);
		return;
	}
	http_reply_json(res, 200, json_pack("{s:o}", "items", items));
}

/* The audit log, for auditors. */

static void api_audit_list(struct http_request *req, struct http_response *res)
{
	struct audit_filter flt;
	struct audit_list list;
	struct fault f = { 0 };
	int64_t limit, before, user;
	json_t *items;
	size_t i;

	memset(&flt, 0, sizeof(flt));
	if (api_query_int(req, res, "limit", 1, 500, 50, &limit) < 0 ||
	    api_query_int(req, res, "before_id", 1, INT64_MAX, 0, &before) < 0 ||
	    api_query_int(req, res, "user_id", 1, INT64_MAX, 0, &user) < 0)
		return;
	flt.limit = (int)limit;
	flt.before_id = before;
	flt.user_id = user;
	flt.action = http_query(req, "action");
	flt.object_type = http_query(req, "object_type");
	flt.object_id = http_query(req, "object_id");
	flt.result = http_query(req, "result");
	flt.from = http_query(req, "from");
	flt.to = http_query(req, "to");
	if (audit_list(api_store(res), &flt, &list, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	items = json_array();
	for (i = 0; i < list.n; i++) {
		const struct audit_row *r = &list.items[i];

		json_array_append_new(items,
				      json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:s, s:o}", "id", (json_int_t)r->id,
						"at", r->at, "user_id", json_id_or_null(r->user_id), "login",
						json_str_or_null(r->login), "remote", json_str_or_null(r->remote), "action",
						r->action, "object_type", json_str_or_null(r->object_type), "object_id",
						json_str_or_null(r->object_id), "result", r->result, "detail",
						json_str_or_null(r->detail)));
	}
	/* Keyset paging: the next page is ?before_id= the last id here. */
	http_reply_json(res, 200,
			json_pack("{s:o, s:I, s:o}", "items", items, "total", (json_int_t)list.total, "next_before_id",
				  list.n == (size_t)flt.limit ? json_integer((json_int_t)list.items[list.n - 1].id)
							      : json_null()));
	audit_list_release(&list);
}

static void api_audit_verify(struct http_request *req, struct http_response *res)
{
	struct fault f = { 0 };
	int64_t checked = 0, bad = 0;
	int rc;

	YL_UNUSED(req);
	rc = audit_verify(api_store(res), &checked, &bad, &f);
	if (rc < 0) {
		api_fail(res, &f);
		return;
	}
	http_reply_json(res, 200, json_pack("{s:b, s:I, s:o}", "intact", rc == 0, "checked", (json_int_t)checked,
					    "first_bad_id", json_id_or_null(bad)));
}

const struct http_route api_auth_routes[] = {
	{ "POST", "/api/v1/auth/login", api_login, "public", "log in with login name and password" },
	{ "POST", "/api/v1/auth/logout", api_logout, "login", "end this session" },
	{ "GET", "/api/v1/auth/me", api_me, "login", "who is logged in, with permissions and the CSRF token" },
	{ "POST", "/api/v1/auth/password", api_change_password, "login", "change one's own password" },

	{ "GET", "/api/v1/users", api_user_list, "users.read", "list user accounts" },
	{ "POST", "/api/v1/users", api_user_create, "users.admin", "create a user account" },
	{ "GET", "/api/v1/users/{id}", api_user_get, "users.read", "one user account" },
	{ "PATCH", "/api/v1/users/{id}", api_user_update, "users.admin", "change role, scope, name or disable" },
	{ "POST", "/api/v1/users/{id}/reset-password", api_user_reset, "users.admin",
	  "set a generated password to be changed at next login" },
	{ "GET", "/api/v1/access-roles", api_access_roles, "users.read", "access roles and their permissions" },

	{ "GET", "/api/v1/tokens", api_tokens_list, "tokens.admin", "list API tokens" },
	{ "POST", "/api/v1/tokens", api_tokens_create, "tokens.admin", "create an API token (shown once)" },
	{ "DELETE", "/api/v1/tokens/{id}", api_tokens_revoke, "tokens.admin", "revoke an API token" },

	{ "GET", "/api/v1/audit", api_audit_list, "audit.read", "the audit log, newest first" },
	{ "GET", "/api/v1/audit/verify", api_audit_verify, "audit.read", "check the audit log's hash chain" },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
