/*
 * user.c - user accounts: create, read, update, passwords; access roles.
 */
#include "auth/account.h"
#include "auth/auth.h"
#include "org/org.h"
#include "util/util.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void user_release(struct user *u)
{
	free(u->login);
	free(u->display_name);
	free(u->role);
	free(u->last_login_at);
	free(u->created_at);
	free(u->updated_at);
	memset(u, 0, sizeof(*u));
}

void user_list_release(struct user_list *l)
{
	YL_LIST_RELEASE(l, user_release);
}

static const char SQL_ROLE[] = "SELECT needs_scope FROM access_roles WHERE code = ?";

int access_role_exists(struct store *s, const char *role, int *needs_scope)
{
	struct store_stmt *st;
	int rc, found = 0;

	st = store_query(s, SQL_ROLE, "t", role);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		found = 1;
		if (needs_scope)
			*needs_scope = (int)store_column_int64(st, 0);
	}
	store_done(st);
	return rc < 0 ? -1 : found;
}

static const char SQL_ROLE_CODES[] = "SELECT code FROM access_roles ORDER BY code";

int access_role_codes(struct store *s, char ***codes, size_t *n, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_ROLE_CODES, NULL);
	size_t cap = 0;
	int rc;

	*codes = NULL;
	*n = 0;
	while (store_next(st, &rc)) {
		YL_GROW(*codes, *n, cap);
		(*codes)[(*n)++] = store_column_dup(st, 0);
	}
	if (rc != STORE_DONE) {
		while (*n)
			free((*codes)[--*n]);
		free(*codes);
		*codes = NULL;
		return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_ROLE_NAMES[] = "SELECT name, name_en FROM access_roles WHERE code = ?";

void access_role_names(struct store *s, const char *role, char *name, size_t namelen, char *name_en, size_t enlen)
{
	struct store_stmt *st;

	name[0] = name_en[0] = '\0';
	st = store_query(s, SQL_ROLE_NAMES, "t", role);
	if (store_step(st) == STORE_ROW) {
		snprintf(name, namelen, "%s", store_column_text(st, 0));
		snprintf(name_en, enlen, "%s", store_column_text(st, 1));
	}
	store_done(st);
}

#define USER_COLUMNS \
	"id, login, display_name, person_id, role, scope_node_id, must_change_password, disabled, last_login_at," \
	" created_at, updated_at"

static void read_user(struct store_stmt *st, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = store_column_int64(st, 0);
	u->login = store_column_dup(st, 1);
	u->display_name = store_column_dup(st, 2);
	u->person_id = store_column_int64(st, 3);
	u->role = store_column_dup(st, 4);
	u->scope_node_id = store_column_int64(st, 5);
	u->must_change_password = (int)store_column_int64(st, 6);
	u->disabled = (int)store_column_int64(st, 7);
	u->last_login_at = store_column_dup(st, 8);
	u->created_at = store_column_dup(st, 9);
	u->updated_at = store_column_dup(st, 10);
}

static const char SQL_USER_BY_ID[] = "SELECT " USER_COLUMNS " FROM users WHERE id = ?";
static const char SQL_USER_BY_LOGIN[] = "SELECT " USER_COLUMNS " FROM users WHERE login = ?";

int user_get(struct store *s, int64_t id, struct user *out, struct fault *f)
{
	struct store_stmt *st;

	if (store_get_by_id(s, SQL_USER_BY_ID, id, "user", &st, f) < 0)
		return -1;
	read_user(st, out);
	store_done(st);
	return 0;
}

int user_get_by_login(struct store *s, const char *login, struct user *out, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	st = store_query(s, SQL_USER_BY_LOGIN, "t", login);
	rc = store_step(st);
	if (rc == STORE_ROW)
		read_user(st, out);
	store_done(st);
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, "login", "no user has the login '%s'", login);
	return rc == STORE_ROW ? 0 : store_fault(s, rc, f);
}

static int login_valid(const char *login)
{
	size_t n = strlen(login), i;

	if (n < 2 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)login[i]) && login[i] != '.' && login[i] != '_' && login[i] != '-')
			return 0;
	return 1;
}

/* Role and scope go together: a role that needs a scope needs a node; the node must exist. */
static int check_role_scope(struct store *s, const char *role, int64_t scope, int64_t *subdistrict, struct fault *f)
{
	struct node n;
	int needs = 1, rc = access_role_exists(s, role, &needs);

	*subdistrict = 0;
	if (rc < 0)
		return store_fault(s, STORE_ERROR, f);
	if (rc == 0)
		return fault_set(f, FAULT_INVALID, "role",
				 "'%s' is not an access role: admin, auditor, subdistrict_staff, community_staff,"
				 " courtyard_secretary, grid_member, mobile_grid_member, project_office, project_lead,"
				 " project_member or subdistrict_leader", role);
	if (needs && !scope)
		return fault_set(f, FAULT_INVALID, "scope_node_id", "a %s needs a scope: the node they work in", role);
	if (scope) {
		if (org_node_get(s, scope, &n, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "scope_node_id", "node %lld does not exist", (long long)scope);
			return -1;
		}
		*subdistrict = n.subdistrict_id;
		node_release(&n);
	}
	return 0;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES], struct fault *f)
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return fault_set(f, FAULT_INTERNAL, NULL, "out of memory hashing the password");
	return 0;
}

static const char SQL_USER_INSERT[] =
	"INSERT INTO users (subdistrict_id, login, display_name, person_id, password_hash, role, scope_node_id,"
	" must_change_password, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
static const char SQL_PERSON_EXISTS[] = "SELECT id FROM persons WHERE id = ?";

int user_create(struct store *s, const struct user_input *in, char *generated, int64_t *id, struct fault *f)
{
	char hash[crypto_pwhash_STRBYTES], now[32], pw[17];
	const char *password = in->password;
	struct store_stmt *st;
	struct user existing;
	int64_t subdistrict, found;
	int rc;

	if (!in->login || !login_valid(in->login))
		return fault_set(f, FAULT_INVALID, "login", "a login is 2 to 64 letters, digits, '.', '_' or '-'");
	if (!in->role)
		return fault_set(f, FAULT_INVALID, "role", "role is required");
	if (in->display_name && (!utf8_valid_text(in->display_name, strlen(in->display_name)) ||
				 utf8_length(in->display_name) > 50))
		return fault_set(f, FAULT_INVALID, "display_name", "display_name is text of at most 50 characters");
	if (!password) {
		auth_generate_password(pw, 16);
		password = pw;
	} else if (password_policy_check(in->login, password, f) < 0) {
		return -1;
	}
	if (hash_password(password, hash, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (user_get_by_login(s, in->login, &existing, f) == 0) {
		user_release(&existing);
		store_rollback(s);
		return fault_set(f, FAULT_CONFLICT, "login", "the login '%s' is taken", in->login);
	}
	fault_clear(f);
	if (check_role_scope(s, in->role, in->scope_node_id, &subdistrict, f) < 0)
		goto fail;
	if (in->person_id) {
		rc = store_query_int64(s, SQL_PERSON_EXISTS, &found, 1, (int64_t)in->person_id);
		if (rc != STORE_OK) {
			if (rc == STORE_NOTFOUND)
				fault_set(f, FAULT_INVALID, "person_id", "person %lld does not exist", (long long)in->person_id);
			else
				store_fault(s, rc, f);
			goto fail;
		}
	}
	time_now_text(now);
	st = store_query(s, SQL_USER_INSERT, "IttIttItt", (int64_t)subdistrict, in->login, in->display_name,
			 (int64_t)in->person_id, hash, in->role, (int64_t)in->scope_node_id, now, now);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (id)
		*id = store_last_id(s);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (!in->password && generated)
		memcpy(generated, pw, sizeof(pw));
	sodium_memzero(pw, sizeof(pw));
	return 0;
fail:
	store_rollback(s);
	sodium_memzero(pw, sizeof(pw));
	return -1;
}

static const char SQL_USER_UPDATE[] =
	"UPDATE users SET subdistrict_id = ?, display_name = ?, role = ?, scope_node_id = ?, person_id = ?,"
	" disabled = ?, updated_at = ? WHERE id = ?";
static const char SQL_END_SESSIONS[] = "UPDATE sessions SET revoked = 1 WHERE user_id = ? AND id <> ?";

static int end_sessions(struct store *s, int64_t user, int64_t keep)
{
	struct store_stmt *st;
	int rc;

	st = store_query(s, SQL_END_SESSIONS, "ii", (int64_t)user, (int64_t)keep);
	rc = store_step(st);
	store_done(st);
	return rc == STORE_DONE ? STORE_OK : rc;
}

int user_update(struct store *s, int64_t id, const struct user_input *in, struct fault *f)
{
	struct user cur;
	struct store_stmt *st;
	const char *role;
	int64_t scope, subdistrict, person;
	char now[32];
	int rc;

	if (in->login)
		return fault_set(f, FAULT_INVALID, "login", "a login cannot change");
	if (in->display_name && (!utf8_valid_text(in->display_name, strlen(in->display_name)) ||
				 utf8_length(in->display_name) > 50))
		return fault_set(f, FAULT_INVALID, "display_name", "display_name is text of at most 50 characters");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (user_get(s, id, &cur, f) < 0) {
		store_rollback(s);
		return -1;
	}
	role = in->role ? in->role : cur.role;
	scope = in->set_scope ? in->scope_node_id : cur.scope_node_id;
	person = in->set_person ? in->person_id : cur.person_id;
	if (check_role_scope(s, role, scope, &subdistrict, f) < 0)
		goto fail;
	time_now_text(now);
	st = store_query(s, SQL_USER_UPDATE, "IttIIiti", (int64_t)subdistrict,
			 in->set_display_name ? in->display_name : cur.display_name, role, (int64_t)scope,
			 (int64_t)person, (int64_t)(in->set_disabled ? in->disabled : cur.disabled), now, (int64_t)id);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	/* A disabled user, or one whose rights changed, starts over. */
	if ((in->set_disabled && in->disabled) || in->role || in->set_scope) {
		if ((rc = end_sessions(s, id, 0)) != STORE_OK) {
			store_fault(s, rc, f);
			goto fail;
		}
	}
	user_release(&cur);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	user_release(&cur);
	store_rollback(s);
	return -1;
}

static const char SQL_GET_HASH[] = "SELECT password_hash, login FROM users WHERE id = ?";
static const char SQL_SET_PASSWORD[] =
	"UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?, updated_at = ? WHERE id = ?";

static int set_password(struct store *s, int64_t id, const char *password, int must_change, int64_t keep_session,
			struct fault *f)
{
	char hash[crypto_pwhash_STRBYTES], now[32];
	struct store_stmt *st;
	int rc;

	if (hash_password(password, hash, f) < 0)
		return -1;
	time_now_text(now);
	st = store_query(s, SQL_SET_PASSWORD, "titti", hash, (int64_t)must_change, now, now, (int64_t)id);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE || (rc = end_sessions(s, id, keep_session)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

int user_change_password(struct store *s, int64_t id, const char *old_password, const char *new_password,
			 int64_t keep_session, struct fault *f)
{
	struct store_stmt *st;
	char stored[crypto_pwhash_STRBYTES] = "", login[65] = "";
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_GET_HASH, "i", (int64_t)id);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		snprintf(stored, sizeof(stored), "%s", store_column_text(st, 0));
		snprintf(login, sizeof(login), "%s", store_column_text(st, 1));
	}
	store_done(st);
	if (rc != STORE_ROW) {
		store_rollback(s);
		return rc == STORE_DONE ? fault_set(f, FAULT_NOT_FOUND, "id", "user %lld does not exist", (long long)id)
					: store_fault(s, rc, f);
	}
	if (!old_password || crypto_pwhash_str_verify(stored, old_password, strlen(old_password)) != 0) {
		store_rollback(s);
		return fault_set(f, FAULT_INVALID, "old_password", "the current password is not right");
	}
	if (strcmp(old_password, new_password) == 0) {
		store_rollback(s);
		return fault_set(f, FAULT_INVALID, "password", "the new password must differ from the current one");
	}
	if (password_policy_check(login, new_password, f) < 0 ||
	    set_password(s, id, new_password, 0, keep_session, f) < 0) {
		store_rollback(s);
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

int user_reset_password(struct store *s, int64_t id, char *generated, struct fault *f)
{
	struct user u;
	char pw[17];
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (user_get(s, id, &u, f) < 0) {
		store_rollback(s);
		return -1;
	}
	user_release(&u);
	auth_generate_password(pw, 16);
	if (set_password(s, id, pw, 1, 0, f) < 0) {
		store_rollback(s);
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	memcpy(generated, pw, sizeof(pw));
	sodium_memzero(pw, sizeof(pw));
	return 0;
}

int user_list(struct store *s, int64_t scope, int limit, int offset, struct user_list *out, struct fault *f)
{
	static const char where_scoped[] =
		" WHERE scope_node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)";
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	size_t cap = 0;
	int rc, pass;

	memset(out, 0, sizeof(*out));
	for (pass = 0; pass < 2; pass++) {
		buf_reset(&sql);
		if (pass == 0)
			buf_addf(&sql, "SELECT COUNT(*) FROM users%s", scope ? where_scoped : "");
		else
			buf_addf(&sql, "SELECT " USER_COLUMNS " FROM users%s ORDER BY id LIMIT %d OFFSET %d",
				 scope ? where_scoped : "", limit > 0 ? limit : 50, offset > 0 ? offset : 0);
		st = store_prepare(s, sql.data);
		if (scope)
			store_bind_int64(st, 1, scope);
		while ((rc = store_step(st)) == STORE_ROW) {
			if (pass == 0) {
				out->total = store_column_int64(st, 0);
				continue;
			}
			YL_GROW(out->items, out->n, cap);
			read_user(st, &out->items[out->n++]);
		}
		store_done(st);
		if (rc != STORE_DONE) {
			user_list_release(out);
			buf_release(&sql);
			return store_fault(s, rc, f);
		}
	}
	buf_release(&sql);
	return 0;
}
