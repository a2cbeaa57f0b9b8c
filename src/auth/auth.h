/*
 * auth.h - who is acting: users, passwords, sessions, login throttling, API
 * tokens, permissions and scope.
 *
 * A struct actor is built for every authenticated request, from a session
 * cookie or a bearer token, and carries the permissions of the user's access
 * role (from the role_permissions table) or of the token, and the scope: the
 * node whose subtree the actor may see and act in (0: the whole deployment,
 * only for roles that need no scope, such as the administrator and the auditor).
 *
 * Tokens are 256-bit random values shown once; only their SHA-256 is stored.
 */
#ifndef YL_AUTH_H
#define YL_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

#define AUTH_TOKEN_CHARS 43	/* 32 bytes, base64url without padding */
#define AUTH_MAX_PERMS 128	/* a role holding more is refused at login, never cut short (session.c) */

struct actor {
	int64_t user_id;		/* 0 for an API token */
	int64_t token_id;		/* 0 for a session */
	int64_t session_id;
	char login[65];
	char role[33];
	int64_t scope_node_id;		/* 0: everything */
	int must_change_password;
	char csrf[AUTH_TOKEN_CHARS + 1];
	char remote[64];
	char perms[AUTH_MAX_PERMS][33];
	int nperms;
};

int actor_can(const struct actor *a, const char *permission);

struct auth_settings {
	int idle_seconds;		/* a session unused this long ends (default 1800) */
	int lifetime_seconds;		/* a session ends this long after login whatever its use (default 43200) */
	int max_failures;		/* failures before a lock (5) */
	int lock_seconds;		/* lock length (900) */
};

void auth_settings_default(struct auth_settings *s);

/* Password policy: 8+ characters, 3 of 4 classes, not the login name. -1 with fault (field "password"). */
int password_policy_check(const char *login, const char *password, struct fault *f);

/*
 * Login: throttling per account and per source address, Argon2id verification
 * (rehashed when the parameters changed), a new session.  token receives the
 * session token to set in the cookie.  The audit row (success or failure) is
 * written here.  Failures answer one message whatever the cause, except a lock.
 */
int auth_login(struct store *s, const struct auth_settings *cfg, const char *login, const char *password,
	       const char *remote, char token[AUTH_TOKEN_CHARS + 1], struct actor *out, struct fault *f);
/* Resolves a session token (idle and absolute expiry applied); -1 with FAULT_FORBIDDEN when not valid. */
int auth_session(struct store *s, const struct auth_settings *cfg, const char *token, const char *remote,
		 struct actor *out, struct fault *f);
int auth_logout(struct store *s, const struct actor *a, struct fault *f);
/* Resolves a bearer API token. */
int auth_bearer(struct store *s, const char *token, const char *remote, struct actor *out, struct fault *f);

/* Users. */
struct user {
	int64_t id;
	char *login;
	char *display_name;
	int64_t person_id;
	char *role;
	int64_t scope_node_id;
	int must_change_password;
	int disabled;
	char *last_login_at;
	char *created_at, *updated_at;
};

struct user_input {
	const char *login;		/* create only */
	const char *display_name;
	int set_display_name;
	const char *role;
	int64_t scope_node_id;
	int set_scope;
	int64_t person_id;
	int set_person;
	int disabled;
	int set_disabled;
	const char *password;		/* create: NULL generates one (returned) */
};

void user_release(struct user *u);
/* generated receives a generated password when in->password is NULL (at least 17 bytes). */
int user_create(struct store *s, const struct user_input *in, char *generated, int64_t *id, struct fault *f);
int user_get(struct store *s, int64_t id, struct user *out, struct fault *f);
int user_get_by_login(struct store *s, const char *login, struct user *out, struct fault *f);
/* Disabling a user also ends their sessions. */
int user_update(struct store *s, int64_t id, const struct user_input *in, struct fault *f);
/* Changes one's own password: old must verify; clears must_change_password; ends other sessions. */
int user_change_password(struct store *s, int64_t id, const char *old_password, const char *new_password,
			 int64_t keep_session, struct fault *f);
/* Administrator reset: a new generated password (17 bytes), to be changed at next login; ends sessions. */
int user_reset_password(struct store *s, int64_t id, char *generated, struct fault *f);

struct user_list {
	struct user *items;
	size_t n;
	int64_t total;
};

int user_list(struct store *s, int64_t scope, int limit, int offset, struct user_list *out, struct fault *f);
void user_list_release(struct user_list *l);

/* Access roles and their permissions (data). */
int access_role_exists(struct store *s, const char *role, int *needs_scope);
/* Every access role's code, by code (*codes: free each and the array). */
int access_role_codes(struct store *s, char ***codes, size_t *n, struct fault *f);
/* The role's Chinese and English names (empty when unknown). */
void access_role_names(struct store *s, const char *role, char *name, size_t namelen, char *name_en, size_t enlen);
/* Fills a->perms with the role's permissions. */
int auth_role_permissions(struct store *s, const char *role, struct actor *a, struct fault *f);

/* API tokens. */
struct api_token {
	int64_t id;
	char *name;
	char *permissions;		/* comma-separated */
	int64_t scope_node_id;
	int64_t expires_at;		/* unix seconds */
	int64_t created_by;
	char *created_at;
	char *revoked_at;
	char *last_used_at;
};

void api_token_release(struct api_token *t);
/* The creator may only hand out permissions they hold, within their own scope. */
int api_token_create(struct store *s, const struct actor *creator, const char *name, const char *const *perms,
		     size_t nperms, int64_t scope_node_id, int64_t expires_at, char token[AUTH_TOKEN_CHARS + 1],
		     int64_t *id, struct fault *f);
int api_token_revoke(struct store *s, int64_t id, struct fault *f);
int api_token_get(struct store *s, int64_t id, struct api_token *out, struct fault *f);

struct api_token_list {
	struct api_token *items;
	size_t n;
};

int api_token_list(struct store *s, struct api_token_list *out, struct fault *f);
void api_token_list_release(struct api_token_list *l);

/* Random token and its stored hash. */
void auth_random_token(char out[AUTH_TOKEN_CHARS + 1]);
void auth_token_hash(const char *token, char out[65]);

#endif
