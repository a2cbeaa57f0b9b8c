/*
 * session.c - password policy, login with throttling, sessions and bearer tokens.
 */
#include "auth/audit.h"
#include "auth/auth.h"
#include "util/log.h"
#include "util/util.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void auth_settings_default(struct auth_settings *s)
{
	s->idle_seconds = 30 * 60;
	s->lifetime_seconds = 12 * 3600;
	s->max_failures = 5;
	s->lock_seconds = 15 * 60;
}

int actor_can(const struct actor *a, const char *permission)
{
	int i;

	for (i = 0; i < a->nperms; i++)
		if (strcmp(a->perms[i], permission) == 0)
			return 1;
	return 0;
}

/* ASCII case-insensitive substring test. */
static int contains_fold(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	for (; *hay; hay++) {
		for (i = 0; i < n && hay[i]; i++)
			if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return 1;
	}
	return 0;
}

int password_policy_check(const char *login, const char *password, struct fault *f)
{
	int lower = 0, upper = 0, digit = 0, other = 0;
	const unsigned char *p;

	if (!password || utf8_length(password) < 8)
		return fault_set(f, FAULT_INVALID, "password", "the password needs at least 8 characters");
	if (strlen(password) > 128)
		return fault_set(f, FAULT_INVALID, "password", "the password is longer than 128 bytes");
	for (p = (const unsigned char *)password; *p; p++) {
		if (islower(*p))
			lower = 1;
		else if (isupper(*p))
			upper = 1;
		else if (isdigit(*p))
			digit = 1;
		else
			other = 1;
	}
	if (lower + upper + digit + other < 3)
		return fault_set(f, FAULT_INVALID, "password",
				 "the password needs 3 of: lower-case letters, capitals, digits, other characters");
	if (login && strlen(login) >= 3 && contains_fold(password, login))
		return fault_set(f, FAULT_INVALID, "password", "the password must not contain the login name");
	return 0;
}

void auth_random_token(char out[AUTH_TOKEN_CHARS + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_CHARS + 1, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void auth_token_hash(const char *token, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static const char SQL_PERMS[] = "SELECT permission FROM role_permissions WHERE role_code = ? ORDER BY permission";

int auth_role_permissions(struct store *s, const char *role, struct actor *a, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	a->nperms = 0;
	st = store_query(s, SQL_PERMS, "t", role);
	while ((rc = store_step(st)) == STORE_ROW) {
		/* Cut short, the list would drop permissions silently (and which, by name order): refuse. */
		if (a->nperms == AUTH_MAX_PERMS) {
			store_done(st);
			a->nperms = 0;
			log_msg(LOG_ERROR, "role %s holds more than %d permissions (AUTH_MAX_PERMS in auth.h)", role,
				AUTH_MAX_PERMS);
			return fault_set(f, FAULT_INTERNAL, "role", "role %s holds more than %d permissions", role,
					 AUTH_MAX_PERMS);
		}
		snprintf(a->perms[a->nperms++], sizeof(a->perms[0]), "%s", store_column_text(st, 0));
	}
	store_done(st);
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

/* Throttle rows: failures inside the lock window; a lock once max_failures is reached. */
static const char SQL_THROTTLE_GET[] = "SELECT failures, first_at, locked_until FROM login_throttle WHERE key = ?";
static const char SQL_THROTTLE_SET[] =
	"INSERT INTO login_throttle (key, failures, first_at, locked_until) VALUES (?, ?, ?, ?)"
	" ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at,"
	" locked_until = excluded.locked_until";
static const char SQL_THROTTLE_CLEAR[] = "DELETE FROM login_throttle WHERE key = ?";

static int64_t locked_until(struct store *s, const char *key, int64_t now)
{
	struct store_stmt *st;
	int64_t until = 0;

	st = store_query(s, SQL_THROTTLE_GET, "t", key);
	if (store_step(st) == STORE_ROW)
		until = store_column_int64(st, 2);
	store_done(st);
	return until > now ? until : 0;
}

static int note_failure(struct store *s, const struct auth_settings *cfg, const char *key, int64_t now)
{
	struct store_stmt *st;
	int64_t failures = 0, first = now, until = 0;
	int rc;

	st = store_query(s, SQL_THROTTLE_GET, "t", key);
	if (store_step(st) == STORE_ROW) {
		failures = store_column_int64(st, 0);
		first = store_column_int64(st, 1);
		until = store_column_int64(st, 2);
	}
	store_done(st);
	/* Failures older than the lock window, or a lock that has run out, start a new count. */
	if (now - first > cfg->lock_seconds || (until && until <= now)) {
		failures = 0;
		first = now;
		until = 0;
	}
	failures++;
	if (failures >= cfg->max_failures)
		until = now + cfg->lock_seconds;
	st = store_query(s, SQL_THROTTLE_SET, "tiii", key, (int64_t)failures, (int64_t)first, (int64_t)until);
	rc = store_step(st);
	store_done(st);
	return rc == STORE_DONE ? 0 : -1;
}

static void clear_failures(struct store *s, const char *key)
{
	store_run(s, SQL_THROTTLE_CLEAR, "t", key);
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	char pw[AUTH_TOKEN_CHARS + 1];

	auth_random_token(pw);
	if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		fatal("out of memory hashing a password");
}

static const char SQL_USER_FOR_LOGIN[] =
	"SELECT id, password_hash, role, scope_node_id, must_change_password, disabled FROM users WHERE login = ?";
static const char SQL_REHASH[] = "UPDATE users SET password_hash = ? WHERE id = ?";
static const char SQL_LAST_LOGIN[] = "UPDATE users SET last_login_at = ? WHERE id = ?";
static const char SQL_SESSION_INSERT[] =
	"INSERT INTO sessions (token_hash, user_id, csrf_token, remote, created_at, last_seen_at, expires_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";

static int audit_login(struct store *s, int64_t user_id, const char *login, const char *remote, const char *result,
		       const char *detail)
{
	struct audit_entry e = { user_id, login, remote, "login", "user", NULL, result, detail };
	struct fault ignored = { 0 };
	char id[32];

	if (user_id) {
		snprintf(id, sizeof(id), "%lld", (long long)user_id);
		e.object_id = id;
	}
	return audit_record(s, &e, &ignored);
}

int auth_login(struct store *s, const struct auth_settings *cfg, const char *login, const char *password,
	       const char *remote, char token[AUTH_TOKEN_CHARS + 1], struct actor *out, struct fault *f)
{
	char ukey[128], akey[96], hash[65], now_text[32];
	char stored[crypto_pwhash_STRBYTES] = "";
	int64_t now = time_now_us() / 1000000, uid = 0, until;
	struct store_stmt *st;
	int rc, disabled = 0, verified;

	memset(out, 0, sizeof(*out));
	snprintf(ukey, sizeof(ukey), "user:%s", login);
	snprintf(akey, sizeof(akey), "addr:%s", remote ? remote : "-");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	until = locked_until(s, ukey, now);
	if (!until)
		until = locked_until(s, akey, now);
	if (until) {
		store_commit(s);
		audit_login(s, 0, login, remote, "denied", "locked after repeated failures");
		return fault_set(f, FAULT_FORBIDDEN, NULL,
				 "too many failed logins: try again in %lld minutes", (long long)((until - now + 59) / 60));
	}
	st = store_query(s, SQL_USER_FOR_LOGIN, "t", login);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		uid = store_column_int64(st, 0);
		snprintf(stored, sizeof(stored), "%s", store_column_text(st, 1));
		snprintf(out->role, sizeof(out->role), "%s", store_column_text(st, 2));
		out->scope_node_id = store_column_int64(st, 3);
		out->must_change_password = (int)store_column_int64(st, 4);
		disabled = (int)store_column_int64(st, 5);
	}
	store_done(st);
	if (rc < 0) {
		store_rollback(s);
		return store_fault(s, rc, f);
	}
	/* Verify even for unknown logins, so timing does not tell which logins exist. */
	if (uid)
		verified = crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
	else {
		pthread_once(&dummy_once, make_dummy_hash);
		if (crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
			fatal("a random password verified");
		verified = 0;
	}
	if (!verified || disabled) {
		note_failure(s, cfg, ukey, now);
		note_failure(s, cfg, akey, now);
		store_commit(s);
		audit_login(s, uid, login, remote, "failure", disabled && verified ? "account disabled" : "bad credentials");
		return fault_set(f, FAULT_FORBIDDEN, "password", "wrong login name or password, or the account is disabled");
	}
	clear_failures(s, ukey);
	clear_failures(s, akey);
	if (crypto_pwhash_str_needs_rehash(stored, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					   crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		char fresh[crypto_pwhash_STRBYTES];

		if (crypto_pwhash_str(fresh, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0) {
			store_run(s, SQL_REHASH, "ti", fresh, (int64_t)uid);
		}
	}
	auth_random_token(token);
	auth_random_token(out->csrf);
	auth_token_hash(token, hash);
	st = store_query(s, SQL_SESSION_INSERT, "tittiii", hash, (int64_t)uid, out->csrf, remote, (int64_t)now,
			 (int64_t)now, (int64_t)(now + cfg->lifetime_seconds));
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		store_rollback(s);
		return -1;
	}
	out->session_id = store_last_id(s);
	time_now_text(now_text);
	store_run(s, SQL_LAST_LOGIN, "ti", now_text, (int64_t)uid);
	out->user_id = uid;
	snprintf(out->login, sizeof(out->login), "%s", login);
	snprintf(out->remote, sizeof(out->remote), "%s", remote ? remote : "");
	if (auth_role_permissions(s, out->role, out, f) < 0) {
		store_rollback(s);
		return -1;
	}
	/* The session and the record of its login commit together. */
	if (audit_login(s, uid, login, remote, "success", NULL) < 0) {
		store_rollback(s);
		return fault_set(f, FAULT_INTERNAL, NULL, "the audit row of the login could not be written");
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

static const char SQL_SESSION_GET[] =
	"SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, s.revoked, u.login, u.role,"
	" u.scope_node_id, u.must_change_password, u.disabled"
	" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?";
static const char SQL_SESSION_TOUCH[] = "UPDATE sessions SET last_seen_at = ? WHERE id = ?";

int auth_session(struct store *s, const struct auth_settings *cfg, const char *token, const char *remote,
		 struct actor *out, struct fault *f)
{
	char hash[65];
	struct store_stmt *st;
	int64_t now = time_now_us() / 1000000, last = 0, expires = 0;
	int rc, revoked = 0, disabled = 0;

	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) != AUTH_TOKEN_CHARS)
		return fault_set(f, FAULT_FORBIDDEN, NULL, "not logged in");
	auth_token_hash(token, hash);
	st = store_query(s, SQL_SESSION_GET, "t", hash);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		out->session_id = store_column_int64(st, 0);
		out->user_id = store_column_int64(st, 1);
		snprintf(out->csrf, sizeof(out->csrf), "%s", store_column_text(st, 2));
		last = store_column_int64(st, 3);
		expires = store_column_int64(st, 4);
		revoked = (int)store_column_int64(st, 5);
		snprintf(out->login, sizeof(out->login), "%s", store_column_text(st, 6));
		snprintf(out->role, sizeof(out->role), "%s", store_column_text(st, 7));
		out->scope_node_id = store_column_int64(st, 8);
		out->must_change_password = (int)store_column_int64(st, 9);
		disabled = (int)store_column_int64(st, 10);
	}
	store_done(st);
	if (rc < 0)
		return store_fault(s, rc, f);
	if (rc != STORE_ROW || revoked || disabled)
		return fault_set(f, FAULT_FORBIDDEN, NULL, "not logged in");
	if (now >= expires || now - last >= cfg->idle_seconds)
		return fault_set(f, FAULT_FORBIDDEN, NULL, "the session has expired: log in again");
	/*
	 * Record use at most every idle/30 seconds (a minute for the default half hour):
	 * a write per request would serialise readers, and a session ends at most that
	 * much before its idle time.
	 */
	if (now - last >= (cfg->idle_seconds / 30 > 0 ? cfg->idle_seconds / 30 : 1)) {
		st = store_query(s, SQL_SESSION_TOUCH, "ii", (int64_t)now, (int64_t)out->session_id);
		rc = store_step(st);
		store_done(st);
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
	}
	snprintf(out->remote, sizeof(out->remote), "%s", remote ? remote : "");
	return auth_role_permissions(s, out->role, out, f);
}

static const char SQL_SESSION_REVOKE[] = "UPDATE sessions SET revoked = 1 WHERE id = ?";

int auth_logout(struct store *s, const struct actor *a, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	st = store_query(s, SQL_SESSION_REVOKE, "i", (int64_t)a->session_id);
	rc = store_step(st);
	store_done(st);
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

static const char SQL_TOKEN_GET[] =
	"SELECT id, name, permissions, scope_node_id, expires_at, revoked_at, last_used_at FROM api_tokens"
	" WHERE token_hash = ?";
static const char SQL_TOKEN_USED[] = "UPDATE api_tokens SET last_used_at = ? WHERE id = ?";
/*
 * A token's use is recorded at most once a minute, as a session's is: a write
 * per request would cost a commit (an fsync) per request and take the write
 * lock from the work-order committer (a hotline bridge sends with a token).
 */
#define TOKEN_USE_RECORD_SECONDS 60

int auth_bearer(struct store *s, const char *token, const char *remote, struct actor *out, struct fault *f)
{
	char hash[65], now_text[32], last_used[32] = "", stale[32];
	struct store_stmt *st;
	int64_t now = time_now_us() / 1000000, expires = 0;
	int rc, revoked = 0;

	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) != AUTH_TOKEN_CHARS)
		return fault_set(f, FAULT_FORBIDDEN, NULL, "the API token is not valid");
	auth_token_hash(token, hash);
	st = store_query(s, SQL_TOKEN_GET, "t", hash);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		const char *perms = store_column_text(st, 2);
		char *copy = xstrdup(perms ? perms : ""), *save = NULL, *p;

		out->token_id = store_column_int64(st, 0);
		snprintf(out->login, sizeof(out->login), "token:%s", store_column_text(st, 1));
		snprintf(out->role, sizeof(out->role), "api_token");
		out->scope_node_id = store_column_int64(st, 3);
		expires = store_column_int64(st, 4);
		revoked = !store_column_is_null(st, 5);
		if (!store_column_is_null(st, 6))
			snprintf(last_used, sizeof(last_used), "%s", store_column_text(st, 6));
		for (p = strtok_r(copy, ",", &save); p && out->nperms < AUTH_MAX_PERMS; p = strtok_r(NULL, ",", &save))
			snprintf(out->perms[out->nperms++], sizeof(out->perms[0]), "%s", p);
		free(copy);
	}
	store_done(st);
	if (rc < 0)
		return store_fault(s, rc, f);
	if (rc != STORE_ROW || revoked || now >= expires)
		return fault_set(f, FAULT_FORBIDDEN, NULL, "the API token is not valid, revoked or expired");
	time_format_utc(now - TOKEN_USE_RECORD_SECONDS, stale, sizeof(stale));
	if (strcmp(last_used, stale) <= 0) {	/* never used ("" sorts first), or not within the minute */
		time_now_text(now_text);
		store_run(s, SQL_TOKEN_USED, "ti", now_text, (int64_t)out->token_id);
	}
	snprintf(out->remote, sizeof(out->remote), "%s", remote ? remote : "");
	return 0;
}
