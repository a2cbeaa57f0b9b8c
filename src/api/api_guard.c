/*
 * api_guard.c - the one place where every API request is authenticated,
 * authorised and audited, before and after its handler runs.
 *
 * 1. "public" routes run as they are.
 * 2. Everyone else is an actor: a bearer API token (Authorization: Bearer) or a
 *    session cookie.  No actor: 401.
 * 3. A session whose password must change may only reach "login" routes (403).
 * 4. A state-changing request on a session needs X-CSRF-Token equal to the
 *    session's token (403).  Bearer tokens are not sent by browsers on their
 *    own, so they need none.
 * 5. The route's permission, from the route table, must be held (403).
 * 6. Writes (and routes marked ROUTE_AUDIT) run inside one write transaction
 *    with their audit row: the change and its record commit together, or
 *    neither does.  A refused or failed write is recorded after the rollback.
 * 7. Writes of routes marked ROUTE_GROUP_COMMIT go, once past 1-5, to the
 *    committer (api_commit.c), which runs many of them in one transaction,
 *    each in a savepoint of its own exactly as step 6 runs one alone.
 */
#include "api/api.h"
#include "api/api_auth.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "org/org.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct auth_settings settings;
static int cookie_secure;

void api_auth_configure(const struct auth_settings *s, int secure_cookie)
{
	settings = *s;
	cookie_secure = secure_cookie;
}

const struct auth_settings *api_auth_settings(void)
{
	if (!settings.idle_seconds)
		auth_settings_default(&settings);
	return &settings;
}

int api_cookie_secure(void)
{
	return cookie_secure;
}

const struct actor *api_actor(const struct http_request *req)
{
	return req->user;
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* "/api/v1/nodes/{id}/history" -> "nodes" */
static void object_type_of(const char *pattern, char *out, size_t outlen)
{
	const char *p = strncmp(pattern, "/api/v1/", 8) == 0 ? pattern + 8 : pattern + 1;
	size_t n = strcspn(p, "/");

	snprintf(out, outlen, "%.*s", (int)n, p);
}

static void object_id_of(const struct http_request *req, const struct http_response *res, char *out, size_t outlen)
{
	const char *id = http_param(req, "id");
	json_t *body, *v;

	out[0] = '\0';
	if (id) {
		snprintf(out, outlen, "%s", id);
		return;
	}
	if (res->status != 201 || !res->body.len)
		return;
	body = json_loadb(res->body.data, res->body.len, 0, NULL);
	v = json_object_get(body, "id");
	if (json_is_integer(v))
		snprintf(out, outlen, "%lld", (long long)json_integer_value(v));
	json_decref(body);
}

/* The error message of a JSON error body, for the audit detail. */
static char *error_message_of(const struct http_response *res)
{
	json_t *body = json_loadb(res->body.data, res->body.len, 0, NULL);
	const char *m = json_string_value(json_object_get(json_object_get(body, "error"), "message"));
	char *out = xstrdup_or_null(m);

	json_decref(body);
	return out;
}

static int audit_row(struct store *s, const struct http_request *req, const char *action, const char *object_type,
		     const char *object_id, const char *result, const char *detail)
{
	const struct actor *a = req->user;
	struct audit_entry e;
	struct fault f = { 0 };

	memset(&e, 0, sizeof(e));
	e.user_id = a ? a->user_id : 0;
	e.login = a ? a->login : NULL;
	e.remote = req->remote;
	e.action = action;
	e.object_type = object_type;
	e.object_id = object_id && *object_id ? object_id : NULL;
	e.result = result;
	e.detail = detail;
	if (audit_record(s, &e, &f) < 0) {
		log_msg(LOG_ERROR, "cannot write the audit log: %s", f.message);
		return -1;
	}
	return 0;
}

void api_audit(struct store *s, const struct http_request *req, const char *action, const char *object_type,
	       const char *object_id, const char *result, const char *detail)
{
	audit_row(s, req, action, object_type, object_id, result, detail);
}

/*
 * Open311 clients send their key as the api_key parameter of the form (or the
 * query): on ROUTE_API_KEY routes it stands for "Authorization: Bearer".
 */
static char *api_key_of(const struct http_route *route, const struct http_request *req)
{
	struct http_form form;
	const char *v;
	char *key = NULL;

	if (!(route->flags & ROUTE_API_KEY))
		return NULL;
	if ((v = http_query(req, "api_key")))
		return xstrdup(v);
	if (http_form_body(req) && http_form_parse(req->body, &form) == 0) {
		if ((v = http_form_get(&form, "api_key")))
			key = xstrdup(v);
		http_form_release(&form);
	}
	return key;
}

static int authenticate(struct store *s, const struct http_route *route, struct http_request *req,
			struct http_response *res, struct actor *a)
{
	const char *authz = http_header(req, "Authorization");
	const char *cookie = http_cookie(req, API_SESSION_COOKIE);
	char *key = authz || cookie ? NULL : api_key_of(route, req);
	struct fault f = { 0 };
	int rc;

	if (key) {
		rc = auth_bearer(s, key, req->remote, a, &f);
		free(key);
	} else if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0) {
			http_reply_error(res, 401, "unauthenticated", NULL, "use 'Authorization: Bearer TOKEN'");
			return -1;
		}
		rc = auth_bearer(s, authz + 7, req->remote, a, &f);
	} else if (cookie) {
		rc = auth_session(s, api_auth_settings(), cookie, req->remote, a, &f);
	} else {
		http_reply_error(res, 401, "unauthenticated", (route->flags & ROUTE_API_KEY) ? "api_key" : NULL,
				 (route->flags & ROUTE_API_KEY) ? "an api_key is required" : "log in first");
		return -1;
	}
	if (rc < 0) {
		if (f.kind == FAULT_FORBIDDEN)
			http_reply_error(res, 401, "unauthenticated", NULL, "%s", f.message);
		else
			api_fail(res, &f);
		return -1;
	}
	return 0;
}

/*
 * The write did not happen: whatever the handler answered gives way to the
 * error.  rc is the store's error, or STORE_OK when the audit row failed.
 */
static void fail_write(struct store *s, int rc, struct http_response *res)
{
	struct fault f = { 0 };

	if (rc == STORE_OK)
		fault_set(&f, FAULT_INTERNAL, NULL, "the audit row could not be written");
	else
		store_fault(s, rc, &f);
	http_response_release(res);
	http_response_init(res);
	api_fail(res, &f);
}

static void free_actor(void *p)
{
	free(p);
}

static void guard(const struct http_route *route, struct http_request *req, struct http_response *res);

void api_dispatch(const struct http_route *route, struct http_request *req, struct http_response *res)
{
	guard(route, req, res);
	if (route->flags & ROUTE_OPEN311)
		api_open311_finish(req, res);
}

static void guard(const struct http_route *route, struct http_request *req, struct http_response *res)
{
	char action[160], type[48];
	struct actor *a;
	struct store *s;
	int write, audited, rc;

	if (strcmp(route->permission, "public") == 0) {
		route->handler(req, res);
		return;
	}
	s = api_store(res);
	if (!s)
		return;
	a = xcalloc(1, sizeof(*a));
	if (authenticate(s, route, req, res, a) < 0) {
		free(a);
		return;
	}
	req->user = a;
	req->user_free = free_actor;
	write = is_write(req->method);
	snprintf(action, sizeof(action), "%s %s", req->method, route->pattern);
	object_type_of(route->pattern, type, sizeof(type));
	if (a->session_id && a->must_change_password && strcmp(route->permission, "login") != 0) {
		http_reply_error(res, 403, "password_change_required", "password",
				 "change your password before anything else");
		return;
	}
	if (a->session_id && write) {
		const char *sent = http_header(req, "X-CSRF-Token");

		if (!sent || strcmp(sent, a->csrf) != 0) {
			http_reply_error(res, 403, "csrf", NULL, "the request lacks this session's X-CSRF-Token header");
			api_audit(s, req, action, type, http_param(req, "id"), "denied", "missing or wrong CSRF token");
			return;
		}
	}
	if (strcmp(route->permission, "login") != 0 && !actor_can(a, route->permission)) {
		http_reply_error(res, 403, "forbidden", NULL, "your role may not do this (%s)", route->permission);
		if (write || (route->flags & ROUTE_AUDIT))
			api_audit(s, req, action, type, http_param(req, "id"), "denied", route->permission);
		return;
	}
	/* The role dictionary, the calendar ...: not on the tree, so not inside anyone's scope. */
	if ((route->flags & ROUTE_UNSCOPED) && a->scope_node_id) {
		http_reply_error(res, 403, "forbidden", NULL,
				 "deployment-wide settings are changed by users without a scope (administrators)");
		if (write)
			api_audit(s, req, action, type, http_param(req, "id"), "denied", "scoped actor on a deployment-wide route");
		return;
	}
	audited = write || (route->flags & ROUTE_AUDIT);
	if (!audited) {
		route->handler(req, res);
		return;
	}
	if ((route->flags & ROUTE_GROUP_COMMIT) && api_commit_submit(route, req) == 0)
		return;		/* deferred: the committer answers */
	if ((rc = store_begin_write(s)) != STORE_OK) {
		fail_write(s, rc, res);
		return;
	}
	api_audited_write(s, route, req, res);
	if ((rc = store_commit(s)) != STORE_OK && res->status < 400)
		fail_write(s, rc, res);
}

int api_audited_write(struct store *s, const struct http_route *route, struct http_request *req,
		      struct http_response *res)
{
	char action[160], type[48], id[32], *msg;
	int rc;

	snprintf(action, sizeof(action), "%s %s", req->method, route->pattern);
	object_type_of(route->pattern, type, sizeof(type));
	if ((rc = store_begin_write(s)) != STORE_OK) {
		fail_write(s, rc, res);
		return -1;
	}
	route->handler(req, res);
	object_id_of(req, res, id, sizeof(id));
	if (res->status < 400) {
		if (audit_row(s, req, action, type, id, "success", req->note) < 0) {
			/* The change without its record does not stand. */
			store_rollback(s);
			fail_write(s, STORE_OK, res);
			return -1;
		}
		if ((rc = store_commit(s)) != STORE_OK) {
			fail_write(s, rc, res);
			return -1;
		}
		return 0;
	}
	store_rollback(s);
	msg = error_message_of(res);
	audit_row(s, req, action, type, id, "failure", msg);
	free(msg);
	return -1;
}

void api_audit_note(struct http_request *req, const char *note)
{
	free(req->note);
	req->note = xstrdup_or_null(note);
}

int api_scope_allows(struct http_request *req, struct http_response *res, int64_t node_id)
{
	const struct actor *a = req->user;
	int within;

	if (!a || !a->scope_node_id)
		return 1;
	if (!node_id) {
		/* Objects outside the tree (no node) are for the whole deployment only. */
		http_reply_error(res, 404, "not_found", NULL, "no such resource: %s", req->path);
		return 0;
	}
	within = org_is_within(api_store(res), a->scope_node_id, node_id);
	if (within == 1)
		return 1;
	http_reply_error(res, 404, "not_found", NULL, "no such resource: %s", req->path);
	return 0;
}

int64_t api_scope(const struct http_request *req)
{
	const struct actor *a = req->user;

	return a ? a->scope_node_id : 0;
}

int api_scope_target(struct http_request *req, struct http_response *res, int64_t node_id, const char *field)
{
	int within;

	if (!api_scope(req) || !node_id)
		return 1;
	within = org_is_within(api_store(res), api_scope(req), node_id);
	if (within == 1)
		return 1;
	http_reply_error(res, 400, "invalid", field, "node %lld does not exist", (long long)node_id);
	return 0;
}

int api_scope_under(struct http_request *req, struct http_response *res, int64_t *under)
{
	if (*under)
		return api_scope_allows(req, res, *under) ? 0 : -1;
	*under = api_scope(req);
	return 0;
}
