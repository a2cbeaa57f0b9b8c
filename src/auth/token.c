/*
 * token.c - API tokens for integrations (the 12345 hotline bridge ...).
 */
#include "auth/auth.h"
#include "org/org.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void api_token_release(struct api_token *t)
{
	free(t->name);
	free(t->permissions);
	free(t->created_at);
	free(t->revoked_at);
	free(t->last_used_at);
	memset(t, 0, sizeof(*t));
}

void api_token_list_release(struct api_token_list *l)
{
	YL_LIST_RELEASE(l, api_token_release);
}

static const char SQL_TOKEN_INSERT[] =
	"INSERT INTO api_tokens (name, token_hash, permissions, scope_node_id, expires_at, created_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";

int api_token_create(struct store *s, const struct actor *creator, const char *name, const char *const *perms,
		     size_t nperms, int64_t scope_node_id, int64_t expires_at, char token[AUTH_TOKEN_CHARS + 1],
		     int64_t *id, struct fault *f)
{
	struct buf list = BUF_INIT;
	struct store_stmt *st;
	char hash[65], now[32];
	int64_t now_s = time_now_us() / 1000000;
	size_t i, j;
	int rc, within;

	if (!name || !*name || utf8_length(name) > 50 || !utf8_valid_text(name, strlen(name)))
		return fault_set(f, FAULT_INVALID, "name", "name is required, at most 50 characters");
	if (nperms == 0)
		return fault_set(f, FAULT_INVALID, "permissions", "a token needs at least one permission");
	for (i = 0; i < nperms; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(perms[i], perms[j]) == 0)
				return fault_set(f, FAULT_INVALID, "permissions", "'%s' is listed twice", perms[i]);
		/* Users and tokens are managed by people, never by an integration. */
		if (!strcmp(perms[i], "users.admin") || !strcmp(perms[i], "tokens.admin"))
			return fault_set(f, FAULT_INVALID, "permissions", "a token cannot hold '%s': people manage users and tokens",
					 perms[i]);
		/* Nobody hands out more than they hold. */
		if (!actor_can(creator, perms[i]))
			return fault_set(f, FAULT_INVALID, "permissions", "you cannot grant '%s': you do not hold it",
					 perms[i]);
	}
	if (expires_at <= now_s)
		return fault_set(f, FAULT_INVALID, "expires_at", "expires_at must be in the future");
	if (expires_at > now_s + 366LL * 86400)
		return fault_set(f, FAULT_INVALID, "expires_at", "a token lives at most one year");
	if (creator->scope_node_id) {
		if (!scope_node_id)
			return fault_set(f, FAULT_INVALID, "scope_node_id", "the token needs a scope inside yours");
		within = org_is_within(s, creator->scope_node_id, scope_node_id);
		if (within < 0)
			return store_fault(s, STORE_ERROR, f);
		if (!within)
			return fault_set(f, FAULT_INVALID, "scope_node_id", "node %lld is outside your scope",
					 (long long)scope_node_id);
	} else if (scope_node_id) {
		struct node n;
		if (org_node_get(s, scope_node_id, &n, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "scope_node_id", "node %lld does not exist",
					  (long long)scope_node_id);
			return -1;
		}
		node_release(&n);
	}
	for (i = 0; i < nperms; i++)
		buf_addf(&list, "%s%s", i ? "," : "", perms[i]);
	auth_random_token(token);
	auth_token_hash(token, hash);
	time_now_text(now);
	st = store_query(s, SQL_TOKEN_INSERT, "tttIiit", name, hash, list.data, (int64_t)scope_node_id,
			 (int64_t)expires_at, (int64_t)creator->user_id, now);
	rc = store_step(st);
	store_done(st);
	buf_release(&list);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	if (id)
		*id = store_last_id(s);
	return 0;
}

static const char SQL_TOKEN_REVOKE[] = "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
static const char SQL_TOKEN_EXISTS[] = "SELECT id FROM api_tokens WHERE id = ?";

int api_token_revoke(struct store *s, int64_t id, struct fault *f)
{
	struct store_stmt *st;
	char now[32];
	int64_t found;
	int rc = store_query_int64(s, SQL_TOKEN_EXISTS, &found, 1, (int64_t)id);

	if (rc == STORE_NOTFOUND)
		return fault_set(f, FAULT_NOT_FOUND, "id", "token %lld does not exist", (long long)id);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	st = store_query(s, SQL_TOKEN_REVOKE, "ti", now, (int64_t)id);
	rc = store_step(st);
	store_done(st);
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

#define TOKEN_COLUMNS \
	"id, name, permissions, scope_node_id, expires_at, created_by, created_at, revoked_at, last_used_at"
static const char SQL_TOKEN_LIST[] = "SELECT " TOKEN_COLUMNS " FROM api_tokens ORDER BY id";
static const char SQL_TOKEN_BY_ID[] = "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE id = ?";

static void read_token(struct store_stmt *st, struct api_token *t)
{
	memset(t, 0, sizeof(*t));
	t->id = store_column_int64(st, 0);
	t->name = xstrdup(store_column_text(st, 1));
	t->permissions = xstrdup(store_column_text(st, 2));
	t->scope_node_id = store_column_int64(st, 3);
	t->expires_at = store_column_int64(st, 4);
	t->created_by = store_column_int64(st, 5);
	t->created_at = xstrdup(store_column_text(st, 6));
	t->revoked_at = store_column_dup(st, 7);
	t->last_used_at = store_column_dup(st, 8);
}

int api_token_get(struct store *s, int64_t id, struct api_token *out, struct fault *f)
{
	struct store_stmt *st;

	if (store_get_by_id(s, SQL_TOKEN_BY_ID, id, "token", &st, f) < 0)
		return -1;
	read_token(st, out);
	store_done(st);
	return 0;
}

int api_token_list(struct store *s, struct api_token_list *out, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_TOKEN_LIST);
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, cap);
		read_token(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		api_token_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
