/*
 * test_auth.c - accounts, login throttling, sessions, tokens, personal data
 * protection and the audit chain.
 */
#include "unit.h"

#include "auth/account.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/pii.h"
#include "org/org.h"
#include "store/store.h"

#include <sodium.h>

static struct auth_settings cfg;

static int setup(void **state)
{
	struct store *s = unit_db_open();
	static const unsigned char key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
					       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

	if (!s || auth_init() < 0)
		return -1;
	pii_init_with_key(key);
	auth_settings_default(&cfg);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	unit_db_close(*state);
	return 0;
}

static int64_t make_user(struct store *s, const char *login, const char *role, int64_t scope, const char *pw)
{
	struct user_input in = { 0 };
	struct fault f = { 0 };
	int64_t id = 0;

	in.login = login;
	in.role = role;
	in.scope_node_id = scope;
	in.password = pw;
	assert_int_equal(user_create(s, &in, NULL, &id, &f), 0);
	return id;
}

static void test_password_policy(void **state)
{
	struct fault f = { 0 };

	(void)state;
	assert_int_equal(password_policy_check("wang", "Short1!", &f), -1);	/* 7 characters */
	assert_string_equal(f.field, "password");
	assert_int_equal(password_policy_check("wang", "alllowercase", &f), -1);
	assert_int_equal(password_policy_check("wang", "lowerUPPER", &f), -1);	/* 2 classes */
	assert_int_equal(password_policy_check("wang", "lowerUPPER1", &f), 0);	/* 3 classes */
	assert_int_equal(password_policy_check("wang", "xWANG-2024x", &f), -1);	/* contains the login */
	assert_int_equal(password_policy_check("wang", "密码Abc12345", &f), 0);
}

static void test_login_and_session(void **state)
{
	struct store *s = *state;
	char token[AUTH_TOKEN_CHARS + 1];
	struct fault f = { 0 };
	struct actor a, b;

	make_user(s, "admin1", "admin", 0, "Good-Pass-2024");
	assert_int_equal(auth_login(s, &cfg, "admin1", "Good-Pass-2024", "127.0.0.1", token, &a, &f), 0);
	assert_int_equal(strlen(token), AUTH_TOKEN_CHARS);
	assert_true(a.must_change_password);
	assert_true(actor_can(&a, "org.write"));
	assert_false(actor_can(&a, "audit.read"));	/* separation of duties */
	assert_int_equal(auth_session(s, &cfg, token, "127.0.0.1", &b, &f), 0);
	assert_int_equal(b.user_id, a.user_id);
	assert_string_equal(b.csrf, a.csrf);
	/* The token itself is not stored, only its hash. */
	{
		int64_t n = 0;
		char sql[256];

		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM sessions WHERE token_hash = '%s'", token);
		assert_int_equal(store_query_int64(s, sql, &n, 0), STORE_OK);
		assert_int_equal(n, 0);
	}
	assert_int_equal(auth_logout(s, &b, &f), 0);
	assert_int_equal(auth_session(s, &cfg, token, "127.0.0.1", &b, &f), -1);
}

static void test_lockout_per_account(void **state)
{
	struct store *s = *state;
	char token[AUTH_TOKEN_CHARS + 1];
	struct fault f = { 0 };
	struct actor a;
	int i;

	make_user(s, "li", "admin", 0, "Right-Pass-1");
	for (i = 0; i < 5; i++) {
		char addr[32];

		/* Different addresses: only the account's counter reaches the limit. */
		snprintf(addr, sizeof(addr), "10.0.0.%d", i + 1);
		assert_int_equal(auth_login(s, &cfg, "li", "wrong", addr, token, &a, &f), -1);
	}
	/* Locked: even the right password is refused, with a message saying so. */
	assert_int_equal(auth_login(s, &cfg, "li", "Right-Pass-1", "10.0.0.9", token, &a, &f), -1);
	assert_non_null(strstr(f.message, "too many failed logins"));
	/* After the lock time the right password works again. */
	assert_int_equal(store_exec(s, "UPDATE login_throttle SET locked_until = 1, first_at = 1"), STORE_OK);
	assert_int_equal(auth_login(s, &cfg, "li", "Right-Pass-1", "10.0.0.9", token, &a, &f), 0);
}

static void test_lockout_per_address(void **state)
{
	struct store *s = *state;
	char token[AUTH_TOKEN_CHARS + 1], login[24];
	struct fault f = { 0 };
	struct actor a;
	int i;

	make_user(s, "zhao", "admin", 0, "Right-Pass-1");
	for (i = 0; i < 5; i++) {
		snprintf(login, sizeof(login), "guess%d", i);
		assert_int_equal(auth_login(s, &cfg, login, "x", "192.0.2.7", token, &a, &f), -1);
	}
	/* That address is locked for everyone; another address is not. */
	assert_int_equal(auth_login(s, &cfg, "zhao", "Right-Pass-1", "192.0.2.7", token, &a, &f), -1);
	assert_int_equal(auth_login(s, &cfg, "zhao", "Right-Pass-1", "192.0.2.8", token, &a, &f), 0);
}

static void test_idle_and_absolute_expiry(void **state)
{
	struct store *s = *state;
	char token[AUTH_TOKEN_CHARS + 1];
	struct fault f = { 0 };
	struct actor a;

	make_user(s, "sun", "admin", 0, "Right-Pass-1");
	assert_int_equal(auth_login(s, &cfg, "sun", "Right-Pass-1", "127.0.0.1", token, &a, &f), 0);
	/* Unused for 31 minutes: ended. */
	assert_int_equal(store_exec(s, "UPDATE sessions SET last_seen_at = last_seen_at - 31 * 60"), STORE_OK);
	assert_int_equal(auth_session(s, &cfg, token, "127.0.0.1", &a, &f), -1);
	assert_non_null(strstr(f.message, "expired"));
	/* Used recently but past its lifetime: ended too. */
	assert_int_equal(auth_login(s, &cfg, "sun", "Right-Pass-1", "127.0.0.1", token, &a, &f), 0);
	assert_int_equal(store_exec(s, "UPDATE sessions SET expires_at = last_seen_at - 1"), STORE_OK);
	assert_int_equal(auth_session(s, &cfg, token, "127.0.0.1", &a, &f), -1);
}

static void test_disable_ends_sessions(void **state)
{
	struct store *s = *state;
	char token[AUTH_TOKEN_CHARS + 1];
	struct user_input in = { 0 };
	struct fault f = { 0 };
	struct actor a;
	int64_t id = make_user(s, "qian", "admin", 0, "Right-Pass-1");

	assert_int_equal(auth_login(s, &cfg, "qian", "Right-Pass-1", "127.0.0.1", token, &a, &f), 0);
	in.set_disabled = 1;
	in.disabled = 1;
	assert_int_equal(user_update(s, id, &in, &f), 0);
	assert_int_equal(auth_session(s, &cfg, token, "127.0.0.1", &a, &f), -1);
	assert_int_equal(auth_login(s, &cfg, "qian", "Right-Pass-1", "127.0.0.1", token, &a, &f), -1);
}

static void test_change_and_reset_password(void **state)
{
	struct store *s = *state;
	char token[AUTH_TOKEN_CHARS + 1], generated[17];
	struct fault f = { 0 };
	struct actor a;
	struct user u;
	int64_t id = make_user(s, "zhou", "admin", 0, "First-Pass-1");

	assert_int_equal(user_change_password(s, id, "wrong", "Second-Pass-2", 0, &f), -1);
	assert_string_equal(f.field, "old_password");
	assert_int_equal(user_change_password(s, id, "First-Pass-1", "short", 0, &f), -1);
	assert_string_equal(f.field, "password");
	assert_int_equal(user_change_password(s, id, "First-Pass-1", "Second-Pass-2", 0, &f), 0);
	assert_int_equal(user_get(s, id, &u, &f), 0);
	assert_false(u.must_change_password);
	user_release(&u);
	assert_int_equal(user_reset_password(s, id, generated, &f), 0);
	assert_int_equal(strlen(generated), 16);
	assert_int_equal(password_policy_check("zhou", generated, &f), 0);
	assert_int_equal(auth_login(s, &cfg, "zhou", generated, "127.0.0.1", token, &a, &f), 0);
	assert_true(a.must_change_password);
}

static void test_role_needs_scope(void **state)
{
	struct store *s = *state;
	struct user_input in = { 0 };
	struct node_input n = { 0 };
	struct fault f = { 0 };
	int64_t node, id;

	in.login = "staff";
	in.role = "community_staff";
	in.password = "Right-Pass-1";
	assert_int_equal(user_create(s, &in, NULL, &id, &f), -1);
	assert_string_equal(f.field, "scope_node_id");
	in.role = "mayor";
	assert_int_equal(user_create(s, &in, NULL, &id, &f), -1);
	assert_string_equal(f.field, "role");
	n.level = LEVEL_SUBDISTRICT;
	n.name = "明水街道";
	assert_int_equal(org_node_create(s, &n, &node, &f), 0);
	in.role = "community_staff";
	in.scope_node_id = node;
	assert_int_equal(user_create(s, &in, NULL, &id, &f), 0);
	assert_int_equal(user_create(s, &in, NULL, &id, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
}

static void test_api_token(void **state)
{
	struct store *s = *state;
	char token[AUTH_TOKEN_CHARS + 1], tok[AUTH_TOKEN_CHARS + 1];
	const char *perms[] = { "org.read" }, *too_much[] = { "audit.read" };
	struct fault f = { 0 };
	struct actor admin, bearer;
	int64_t tid;

	make_user(s, "root2", "admin", 0, "Right-Pass-1");
	assert_int_equal(auth_login(s, &cfg, "root2", "Right-Pass-1", "127.0.0.1", token, &admin, &f), 0);
	assert_int_equal(api_token_create(s, &admin, "hotline", too_much, 1, 0, time(NULL) + 3600, tok, &tid, &f), -1);
	assert_string_equal(f.field, "permissions");
	assert_int_equal(api_token_create(s, &admin, "hotline", perms, 1, 0, time(NULL) - 1, tok, &tid, &f), -1);
	assert_string_equal(f.field, "expires_at");
	assert_int_equal(api_token_create(s, &admin, "hotline", perms, 1, 0, time(NULL) + 3600, tok, &tid, &f), 0);
	assert_int_equal(auth_bearer(s, tok, "127.0.0.1", &bearer, &f), 0);
	assert_true(actor_can(&bearer, "org.read"));
	assert_false(actor_can(&bearer, "org.write"));
	assert_int_equal(api_token_revoke(s, tid, &f), 0);
	assert_int_equal(auth_bearer(s, tok, "127.0.0.1", &bearer, &f), -1);
}

static void test_pii(void **state)
{
	char *sealed, *plain, *h1, *h2, *m;

	(void)state;
	sealed = pii_encrypt("13812341234");
	assert_null(strstr(sealed, "13812341234"));
	plain = pii_decrypt(sealed);
	assert_string_equal(plain, "13812341234");
	free(plain);
	/* A changed byte is detected, not decrypted into garbage. */
	sealed[10] = sealed[10] == 'A' ? 'B' : 'A';
	assert_null(pii_decrypt(sealed));
	free(sealed);
	h1 = pii_lookup_hash("13812341234");
	h2 = pii_lookup_hash("13812341234");
	assert_string_equal(h1, h2);
	free(h2);
	h2 = pii_lookup_hash("13812341235");
	assert_string_not_equal(h1, h2);
	free(h1);
	free(h2);
	m = pii_mask_phone("13812341234");
	assert_string_equal(m, "138****1234");
	free(m);
	m = pii_mask_phone("0531-88881234");
	assert_string_equal(m, "0531****1234");
	free(m);
	m = pii_mask_id("370102199001011237");
	assert_string_equal(m, "3701**********1237");
	free(m);
	m = pii_mask_name("欧阳娜娜");
	assert_string_equal(m, "欧***");
	free(m);
	assert_true(pii_id_number_valid("11010519491231002X"));
	assert_false(pii_id_number_valid("110105194912310021"));
	assert_false(pii_id_number_valid("11010519491331002X"));
}

static void record(struct store *s, const char *action)
{
	struct audit_entry e = { 7, "admin", "127.0.0.1", action, "nodes", "1", "success", NULL };
	struct fault f = { 0 };

	assert_int_equal(audit_record(s, &e, &f), 0);
}

static void test_audit_chain(void **state)
{
	struct store *s = *state;
	struct fault f = { 0 };
	int64_t checked, bad;

	record(s, "POST /api/v1/nodes");
	record(s, "PATCH /api/v1/nodes/{id}");
	record(s, "POST /api/v1/persons");
	assert_int_equal(audit_verify(s, &checked, &bad, &f), 0);
	assert_int_equal(checked, 3);
	/* The product cannot change or delete rows. */
	assert_int_equal(store_exec(s, "UPDATE audit_log SET result = 'failure' WHERE id = 2"), STORE_CONSTRAINT);
	assert_int_equal(store_exec(s, "DELETE FROM audit_log WHERE id = 2"), STORE_CONSTRAINT);
	/* Someone with the file drops the guard and edits a row: the chain breaks there. */
	assert_int_equal(store_exec(s, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"), STORE_OK);
	assert_int_equal(store_exec(s, "UPDATE audit_log SET login = 'someone' WHERE id = 2"), STORE_OK);
	assert_int_equal(audit_verify(s, &checked, &bad, &f), 1);
	assert_int_equal(bad, 2);
}

static void test_audit_deleted_row(void **state)
{
	struct store *s = *state;
	struct fault f = { 0 };
	int64_t checked, bad;

	record(s, "a");
	record(s, "b");
	record(s, "c");
	assert_int_equal(store_exec(s, "DROP TRIGGER audit_log_no_delete"), STORE_OK);
	assert_int_equal(store_exec(s, "DELETE FROM audit_log WHERE id = 2"), STORE_OK);
	assert_int_equal(audit_verify(s, &checked, &bad, &f), 1);
	assert_int_equal(bad, 3);
	assert_int_equal(checked, 1);
}

/* A role's permissions are read whole, or the login is refused: never cut short at AUTH_MAX_PERMS. */
static void test_role_permissions_whole(void **state)
{
	struct store *s = *state;
	struct fault f = { 0 };
	struct actor a;
	int64_t held = 0;
	char sql[160];
	int i;

	assert_int_equal(store_query_int64(s, "SELECT COUNT(*) FROM role_permissions WHERE role_code = 'admin'", &held, 0),
			 STORE_OK);
	assert_true(held > 0 && held < AUTH_MAX_PERMS);
	for (i = (int)held; i < AUTH_MAX_PERMS; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO role_permissions (role_code, permission) VALUES ('admin', 'zz.test%03d')", i);
		assert_int_equal(store_exec(s, sql), STORE_OK);
	}
	assert_int_equal(auth_role_permissions(s, "admin", &a, &f), 0);
	assert_int_equal(a.nperms, AUTH_MAX_PERMS);
	snprintf(sql, sizeof(sql), "zz.test%03d", AUTH_MAX_PERMS - 1);
	assert_true(actor_can(&a, sql));
	assert_true(actor_can(&a, "org.write"));
	assert_int_equal(store_exec(s, "INSERT INTO role_permissions (role_code, permission) VALUES ('admin', 'zz.zzz')"),
			 STORE_OK);
	assert_int_equal(auth_role_permissions(s, "admin", &a, &f), -1);
	assert_int_equal(f.kind, FAULT_INTERNAL);
	assert_int_equal(a.nperms, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_password_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_and_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout_per_account, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout_per_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_and_absolute_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_ends_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_change_and_reset_password, setup, teardown),
		cmocka_unit_test_setup_teardown(test_role_needs_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_api_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pii, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_deleted_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_role_permissions_whole, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
