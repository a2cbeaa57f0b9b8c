/*
 * audit.c - writing, listing and verifying the hash-chained audit log.
 */
#include "auth/audit.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* The bytes a row's hash covers: fields joined by the unit separator, NULL as an empty field marked \x01. */
static void chain_hash(const char *prev, int64_t id, const char *at, int64_t user_id, const char *login,
		       const char *remote, const char *action, const char *object_type, const char *object_id,
		       const char *result, const char *detail, char out[65])
{
	const char *fields[] = { login, remote, action, object_type, object_id, result, detail };
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char num[64];
	size_t i;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)prev, strlen(prev));
	snprintf(num, sizeof(num), "\x1f%lld\x1f", (long long)id);
	crypto_hash_sha256_update(&st, (const unsigned char *)num, strlen(num));
	crypto_hash_sha256_update(&st, (const unsigned char *)at, strlen(at));
	snprintf(num, sizeof(num), "\x1f%lld", (long long)user_id);
	crypto_hash_sha256_update(&st, (const unsigned char *)num, strlen(num));
	for (i = 0; i < YL_ARRAY_LEN(fields); i++) {
		crypto_hash_sha256_update(&st, (const unsigned char *)"\x1f", 1);
		if (fields[i])
			crypto_hash_sha256_update(&st, (const unsigned char *)fields[i], strlen(fields[i]));
		else
			crypto_hash_sha256_update(&st, (const unsigned char *)"\x01", 1);
	}
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static const char SQL_LAST[] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
static const char SQL_INSERT[] =
	"INSERT INTO audit_log (id, at, user_id, login, remote, action, object_type, object_id, result, detail,"
	" prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int audit_record(struct store *s, const struct audit_entry *e, struct fault *f)
{
	struct store_stmt *st;
	char prev[65] = GENESIS, hash[65], at[32];
	int64_t id = 1;
	int rc;

	/* The write lock makes reading the chain's head and appending one step. */
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_prepare(s, SQL_LAST);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		id = store_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", store_column_text(st, 1));
	}
	store_done(st);
	if (rc < 0)
		goto fail;
	time_now_text(at);
	chain_hash(prev, id, at, e->user_id, e->login, e->remote, e->action, e->object_type, e->object_id, e->result,
		   e->detail, hash);
	st = store_query(s, SQL_INSERT, "itIttttttttt", (int64_t)id, at, (int64_t)e->user_id, e->login, e->remote,
			 e->action, e->object_type, e->object_id, e->result, e->detail, prev, hash);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_fault(s, rc, f);
	store_rollback(s);
	return -1;
}

void audit_list_release(struct audit_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct audit_row *r = &l->items[i];
		free(r->at);
		free(r->login);
		free(r->remote);
		free(r->action);
		free(r->object_type);
		free(r->object_id);
		free(r->result);
		free(r->detail);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int audit_list(struct store *s, const struct audit_filter *flt, struct audit_list *out, struct fault *f)
{
	struct buf where = BUF_INIT, sql = BUF_INIT;
	const char *texts[8];
	int ntexts = 0, rc, pass, i;
	struct store_stmt *st;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	buf_init(&where);
	buf_adds(&where, " WHERE 1=1");
	if (flt->user_id)
		buf_addf(&where, " AND user_id = %lld", (long long)flt->user_id);
	if (flt->action) {
		buf_adds(&where, " AND instr(action, ?) > 0");
		texts[ntexts++] = flt->action;
	}
	if (flt->object_type) {
		buf_adds(&where, " AND object_type = ?");
		texts[ntexts++] = flt->object_type;
	}
	if (flt->object_id) {
		buf_adds(&where, " AND object_id = ?");
		texts[ntexts++] = flt->object_id;
	}
	if (flt->result) {
		buf_adds(&where, " AND result = ?");
		texts[ntexts++] = flt->result;
	}
	if (flt->from) {
		buf_adds(&where, " AND at >= ?");
		texts[ntexts++] = flt->from;
	}
	if (flt->to) {
		buf_adds(&where, " AND at < ?");
		texts[ntexts++] = flt->to;
	}
	for (pass = 0; pass < 2; pass++) {
		buf_reset(&sql);
		if (pass == 0)
			buf_addf(&sql, "SELECT COUNT(*) FROM audit_log%s", where.data);
		else
			buf_addf(&sql,
				 "SELECT id, at, user_id, login, remote, action, object_type, object_id, result, detail"
				 " FROM audit_log%s%s ORDER BY id DESC LIMIT %d",
				 where.data, flt->before_id ? " AND id < ?" : "", flt->limit > 0 ? flt->limit : 50);
		st = store_prepare(s, sql.data);
		for (i = 0; i < ntexts; i++)
			store_bind_text(st, i + 1, texts[i]);
		if (pass == 1 && flt->before_id)
			store_bind_int64(st, ntexts + 1, flt->before_id);
		while ((rc = store_step(st)) == STORE_ROW) {
			struct audit_row *r;

			if (pass == 0) {
				out->total = store_column_int64(st, 0);
				continue;
			}
			YL_GROW(out->items, out->n, cap);
			r = &out->items[out->n++];
			r->id = store_column_int64(st, 0);
			r->at = store_column_dup(st, 1);
			r->user_id = store_column_int64(st, 2);
			r->login = store_column_dup(st, 3);
			r->remote = store_column_dup(st, 4);
			r->action = store_column_dup(st, 5);
			r->object_type = store_column_dup(st, 6);
			r->object_id = store_column_dup(st, 7);
			r->result = store_column_dup(st, 8);
			r->detail = store_column_dup(st, 9);
		}
		store_done(st);
		if (rc != STORE_DONE) {
			audit_list_release(out);
			buf_release(&where);
			buf_release(&sql);
			return store_fault(s, rc, f);
		}
	}
	buf_release(&where);
	buf_release(&sql);
	return 0;
}

static const char SQL_WALK[] =
	"SELECT id, at, user_id, login, remote, action, object_type, object_id, result, detail, prev_hash, hash"
	" FROM audit_log ORDER BY id";

int audit_verify(struct store *s, int64_t *checked, int64_t *bad_id, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_WALK);
	char prev[65] = GENESIS, want[65];
	int64_t n = 0, expect_id = 1;
	int rc, broken = 0;

	*bad_id = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t id = store_column_int64(st, 0);
		const char *stored_prev = store_column_text(st, 10), *stored = store_column_text(st, 11);

		chain_hash(prev, id, store_column_text(st, 1), store_column_int64(st, 2), store_column_text(st, 3),
			   store_column_text(st, 4), store_column_text(st, 5), store_column_text(st, 6),
			   store_column_text(st, 7), store_column_text(st, 8), store_column_text(st, 9), want);
		/* Ids are dense: a gap is a deleted row. */
		if (id != expect_id || !stored_prev || strcmp(stored_prev, prev) != 0 || !stored ||
		    strcmp(stored, want) != 0) {
			*bad_id = id;
			broken = 1;
			break;
		}
		snprintf(prev, sizeof(prev), "%s", stored);
		expect_id = id + 1;
		n++;
	}
	store_done(st);
	if (rc < 0)
		return store_fault(s, rc, f);
	*checked = n;
	return broken;
}

int audit_head(struct store *s, int64_t *id, char hash[65], struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_LAST);
	int rc = store_step(st);

	*id = 0;
	snprintf(hash, 65, "%s", GENESIS);
	if (rc == STORE_ROW) {
		*id = store_column_int64(st, 0);
		snprintf(hash, 65, "%s", store_column_text(st, 1));
	}
	store_done(st);
	return rc < 0 ? store_fault(s, rc, f) : 0;
}

static const char SQL_ROW_HASH[] = "SELECT hash FROM audit_log WHERE id = ?";

int audit_check_anchor(struct store *s, int64_t id, const char *hash, struct fault *f)
{
	struct store_stmt *st;
	int rc, same = 0;

	if (id == 0)
		return 0;
	st = store_query(s, SQL_ROW_HASH, "i", (int64_t)id);
	rc = store_step(st);
	if (rc == STORE_ROW)
		same = strcmp(store_column_text(st, 0), hash) == 0;
	store_done(st);
	if (rc < 0)
		return store_fault(s, rc, f);
	return same ? 0 : 1;
}
