/*
 * audit.h - the append-only, hash-chained audit log.
 *
 * audit_record() must be called inside the write transaction of the change it
 * records (it opens its own nested one when called alone).  Each row's hash is
 * SHA-256 over the previous row's hash and this row's fields, so an edited or
 * deleted row breaks the chain from there on: audit_verify() finds it.
 * Triggers refuse UPDATE and DELETE; the product has no way to remove rows.
 */
#ifndef YL_AUDIT_H
#define YL_AUDIT_H

#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

struct audit_entry {
	int64_t user_id;
	const char *login;
	const char *remote;
	const char *action;		/* "login", "POST /api/v1/nodes", "reveal", "export" ... */
	const char *object_type;
	const char *object_id;
	const char *result;		/* success, failure, denied */
	const char *detail;
};

int audit_record(struct store *s, const struct audit_entry *e, struct fault *f);

struct audit_row {
	int64_t id;
	char *at;
	int64_t user_id;
	char *login, *remote, *action, *object_type, *object_id, *result, *detail;
};

struct audit_list {
	struct audit_row *items;
	size_t n;
	int64_t total;
};

struct audit_filter {
	int64_t user_id;
	const char *action;		/* contains */
	const char *object_type;
	const char *object_id;
	const char *result;
	const char *from, *to;		/* UTC text bounds on "at" */
	int64_t before_id;		/* keyset paging: rows with id < before_id; 0: newest */
	int limit;
};

int audit_list(struct store *s, const struct audit_filter *flt, struct audit_list *out, struct fault *f);
void audit_list_release(struct audit_list *l);

/*
 * Walks the chain.  Returns 0 with *checked rows when intact; 1 with *bad_id the
 * first row whose hash or link does not match; -1 with the fault on a store error.
 */
int audit_verify(struct store *s, int64_t *checked, int64_t *bad_id, struct fault *f);

/*
 * The chain's head (the newest row's id and hash; 0 and the genesis hash when
 * empty).  Kept outside the database (`yuanluo audit verify --anchor FILE`), it
 * lets a later verify notice rows deleted from the end, which the chain alone
 * cannot show.
 */
int audit_head(struct store *s, int64_t *id, char hash[65], struct fault *f);
/* 0 when row id still holds hash; 1 when it is gone or changed; -1 on a store error. */
int audit_check_anchor(struct store *s, int64_t id, const char *hash, struct fault *f);

#endif
