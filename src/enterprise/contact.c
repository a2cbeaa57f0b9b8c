/*
 * contact.c - an enterprise's contacts.  A contact's phone is personal data
 * (DOMAIN.md "Personal data"): sealed at rest and given a keyed hash exactly
 * as persons' phones are (auth/pii.h); this file hands the phone out in clear
 * and the api layer masks it, or shows it through the audited reveal.
 */
#include "enterprise/enterprise.h"
#include "auth/pii.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define CONTACT_NAME_CHARS 50
#define CONTACT_TITLE_CHARS 50

static void contact_release(struct enterprise_contact *c)
{
	free(c->name);
	free(c->title);
	free(c->phone);
	free(c->created_at);
}

void enterprise_contact_list_release(struct enterprise_contact_list *l)
{
	YL_LIST_RELEASE(l, contact_release);
}

static const char SQL_SUBDISTRICT[] = "SELECT subdistrict_id FROM enterprises WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO enterprise_contacts (subdistrict_id, enterprise_id, name, title, phone_enc, phone_hash,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_LIST[] =
	"SELECT id, enterprise_id, name, title, phone_enc, created_at FROM enterprise_contacts"
	" WHERE enterprise_id = ? ORDER BY id";

int enterprise_contact_add(struct store *s, int64_t enterprise_id, const struct enterprise_contact_input *in,
			   int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	char *phone = NULL, *sealed = NULL, *hash = NULL, now[32];
	int64_t subdistrict;
	int rc, ret = -1;

	*id = 0;
	if (check_text("name", in->name, CONTACT_NAME_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("title", in->title, CONTACT_TITLE_CHARS, TEXT_NOT_BLANK, f) < 0 ||
	    phone_normalise("phone", in->phone, &phone, f) < 0)
		return -1;
	if (store_get_by_id(s, SQL_SUBDISTRICT, enterprise_id, "enterprise", &st, f) < 0)
		goto out;
	subdistrict = store_column_int64(st, 0);
	store_done(st);
	sealed = pii_encrypt(phone);
	hash = pii_lookup_hash(phone);
	time_now_text(now);
	rc = store_run(s, SQL_INSERT, "iittttt", subdistrict, enterprise_id, in->name, in->title, sealed, hash, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	*id = store_last_id(s);
	ret = 0;
out:
	free(phone);
	free(sealed);
	free(hash);
	return ret;
}

int enterprise_contacts(struct store *s, int64_t enterprise_id, struct enterprise_contact_list *out,
			struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_LIST, "i", enterprise_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct enterprise_contact *c;

		YL_GROW(out->items, out->n, out->cap);
		c = &out->items[out->n++];
		c->id = store_column_int64(st, 0);
		c->enterprise_id = store_column_int64(st, 1);
		c->name = store_column_dup(st, 2);
		c->title = store_column_dup(st, 3);
		c->phone = pii_decrypt(store_column_text(st, 4));
		c->created_at = store_column_dup(st, 5);
	}
	if (rc != STORE_DONE) {
		enterprise_contact_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
