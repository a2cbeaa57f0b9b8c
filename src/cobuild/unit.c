/*
 * unit.c - the units that reported to a community (报到单位): name, kind, the
 * GB 32100 unified social credit code when it has one (checked by the one
 * uscc_valid() of util/check.h, unique), its party organisation, the day it
 * reported, and a contact whose phone is personal data — sealed and hashed as
 * persons' phones are (auth/pii.h); this file hands it out in clear and the
 * api layer masks it.  Its in-service party members who reported are persons
 * who are party members (their own branch and living place stay on the person).
 */
#include "cobuild/cobuild.h"
#include "auth/pii.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define NAME_CHARS 100
#define SHORT_CHARS 50

void cobuild_unit_release(struct cobuild_unit *u)
{
	free(u->name);
	free(u->kind);
	free(u->credit_code);
	free(u->party_org_name);
	free(u->contact_name);
	free(u->contact_phone);
	free(u->created_at);
	free(u->updated_at);
	memset(u, 0, sizeof(*u));
}

void cobuild_unit_list_release(struct cobuild_unit_list *l)
{
	YL_LIST_RELEASE(l, cobuild_unit_release);
}

#define UNIT_COLUMNS                                                                                          \
	"u.id, u.subdistrict_id, u.node_id, u.name, u.kind, u.credit_code, u.party_org_name, u.contact_name,"   \
	" u.contact_phone_enc, u.reported_on, u.created_at, u.updated_at,"                                      \
	" (SELECT count(*) FROM cobuild_unit_members m WHERE m.unit_id = u.id)"

static void read_unit(struct store_stmt *st, struct cobuild_unit *u)
{
	memset(u, 0, sizeof(*u));
	u->id = store_column_int64(st, 0);
	u->subdistrict_id = store_column_int64(st, 1);
	u->node_id = store_column_int64(st, 2);
	u->name = store_column_dup(st, 3);
	u->kind = store_column_dup(st, 4);
	u->credit_code = store_column_dup(st, 5);
	u->party_org_name = store_column_dup(st, 6);
	u->contact_name = store_column_dup(st, 7);
	u->contact_phone = pii_decrypt(store_column_text(st, 8));
	store_column_copy(st, 9, u->reported_on, sizeof(u->reported_on));
	u->created_at = store_column_dup(st, 10);
	u->updated_at = store_column_dup(st, 11);
	u->members = store_column_int64(st, 12);
}

static const char SQL_UNIT_BY_ID[] = "SELECT " UNIT_COLUMNS " FROM cobuild_units u WHERE u.id = ?";
static const char SQL_UNITS[] =
	"SELECT " UNIT_COLUMNS " FROM cobuild_units u"
	" WHERE (CAST(? AS INTEGER) = 0 OR u.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)) ORDER BY u.name, u.id";
static const char SQL_CODE_TAKEN[] = "SELECT id FROM cobuild_units WHERE credit_code = ? AND id <> ?";
static const char SQL_UNIT_INSERT[] =
	"INSERT INTO cobuild_units (subdistrict_id, node_id, name, kind, credit_code, party_org_name, contact_name,"
	" contact_phone_enc, contact_phone_hash, reported_on, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_UNIT_UPDATE[] =
	"UPDATE cobuild_units SET name = ?, kind = ?, credit_code = ?, party_org_name = ?, contact_name = ?,"
	" contact_phone_enc = ?, contact_phone_hash = ?, reported_on = ?, updated_at = ? WHERE id = ?";

int cobuild_unit_get(struct store *s, int64_t id, struct cobuild_unit *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_UNIT_BY_ID, id, "unit", &st, f) < 0)
		return -1;
	read_unit(st, out);
	store_done(st);
	return 0;
}

int cobuild_unit_list(struct store *s, int64_t under, struct cobuild_unit_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_UNITS, "ii", under, under);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_unit(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		cobuild_unit_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/* "" clears an optional text (NULL in the row). */
static const char *opt(const char *v)
{
	return v && *v ? v : NULL;
}

/* The checks of every field, on the unit as it will be. */
static int unit_check(struct store *s, int64_t id, const struct cobuild_unit_input *in, char **phone,
		      struct fault *f)
{
	struct store_stmt *st;
	int rc;

	if (check_text("name", in->name, NAME_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!cobuild_word_in(cobuild_unit_kinds, in->kind))
		return fault_set(f, FAULT_INVALID, "kind",
				 "kind is government, institution, enterprise, bank, school, hospital, social_org or other");
	if (opt(in->credit_code) && !uscc_valid(in->credit_code))
		return fault_set(f, FAULT_INVALID, "credit_code",
				 "credit_code is not a valid unified social credit code (GB 32100: 18 characters and"
				 " its check character)");
	if (check_text("party_org_name", in->party_org_name, NAME_CHARS, TEXT_OPTIONAL, f) < 0 ||
	    check_text("contact_name", in->contact_name, SHORT_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (cobuild_past_date("reported_on", in->reported_on, f) < 0)
		return -1;
	if (phone_normalise("contact_phone", opt(in->contact_phone), phone, f) < 0)
		return -1;
	if (opt(in->credit_code)) {
		st = store_query(s, SQL_CODE_TAKEN, "ti", in->credit_code, id);
		if (store_next(st, &rc)) {
			int64_t other = store_column_int64(st, 0);

			store_done(st);
			free(*phone);
			*phone = NULL;
			return fault_set(f, FAULT_CONFLICT, "credit_code", "the credit code %s is already unit %lld's",
					 in->credit_code, (long long)other);
		}
		if (rc != STORE_DONE) {
			free(*phone);
			*phone = NULL;
			return store_fault(s, rc, f);
		}
	}
	return 0;
}

int cobuild_unit_create(struct store *s, const struct cobuild_unit_input *in, int64_t *id, struct fault *f)
{
	char *phone = NULL, *sealed = NULL, *hash = NULL, now[32];
	int64_t subdistrict;
	int rc;

	*id = 0;
	if (cobuild_node_subdistrict(s, in->node_id, "node_id", &subdistrict, f) < 0)
		return -1;
	if (unit_check(s, 0, in, &phone, f) < 0)
		return -1;
	sealed = pii_encrypt(phone);
	hash = pii_lookup_hash(phone);
	time_now_text(now);
	rc = store_run(s, SQL_UNIT_INSERT, "iitttttttttt", subdistrict, in->node_id, in->name, in->kind,
		       opt(in->credit_code), opt(in->party_org_name), opt(in->contact_name), sealed, hash,
		       in->reported_on, now, now);
	free(phone);
	free(sealed);
	free(hash);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

int cobuild_unit_update(struct store *s, int64_t id, const struct cobuild_unit_input *in, struct fault *f)
{
	struct cobuild_unit u;
	struct cobuild_unit_input m;
	char *phone = NULL, *sealed = NULL, *hash = NULL, now[32];
	int rc;

	if (cobuild_unit_get(s, id, &u, f) < 0)
		return -1;
	m.name = in->name ? in->name : u.name;
	m.kind = in->kind ? in->kind : u.kind;
	m.credit_code = in->credit_code ? in->credit_code : u.credit_code;
	m.party_org_name = in->party_org_name ? in->party_org_name : u.party_org_name;
	m.contact_name = in->contact_name ? in->contact_name : u.contact_name;
	m.contact_phone = in->contact_phone ? in->contact_phone : u.contact_phone;
	m.reported_on = in->reported_on ? in->reported_on : u.reported_on;
	m.node_id = u.node_id;
	if (unit_check(s, id, &m, &phone, f) < 0) {
		cobuild_unit_release(&u);
		return -1;
	}
	sealed = pii_encrypt(phone);
	hash = pii_lookup_hash(phone);
	time_now_text(now);
	rc = store_run(s, SQL_UNIT_UPDATE, "ttttttttti", m.name, m.kind, opt(m.credit_code), opt(m.party_org_name),
		       opt(m.contact_name), sealed, hash, m.reported_on, now, id);
	free(phone);
	free(sealed);
	free(hash);
	cobuild_unit_release(&u);
	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}

/* In-service party members. */

static void member_release(struct cobuild_member *m)
{
	free(m->name);
	free(m->member_org_name);
}

void cobuild_member_list_release(struct cobuild_member_list *l)
{
	YL_LIST_RELEASE(l, member_release);
}

static const char SQL_PERSON[] = "SELECT party_member FROM persons WHERE id = ?";
static const char SQL_MEMBER_TAKEN[] = "SELECT id FROM cobuild_unit_members WHERE unit_id = ? AND person_id = ?";
static const char SQL_MEMBER_INSERT[] =
	"INSERT INTO cobuild_unit_members (unit_id, person_id, reported_on, created_at) VALUES (?, ?, ?, ?)";
static const char SQL_MEMBERS[] =
	"SELECT m.id, m.unit_id, m.person_id, p.name, p.member_org_id, p.member_org_name, p.living_org_id, m.reported_on"
	" FROM cobuild_unit_members m JOIN persons p ON p.id = m.person_id WHERE m.unit_id = ? ORDER BY m.id";

int cobuild_member_add(struct store *s, const struct cobuild_unit *u, int64_t person_id, const char *reported_on,
		       int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	char today[11], now[32];
	int party, rc;

	*id = 0;
	if (!reported_on) {
		date_today_local(today);
		reported_on = today;
	}
	if (cobuild_past_date("reported_on", reported_on, f) < 0)
		return -1;
	if (store_get_by_id(s, SQL_PERSON, person_id, "person", &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "person_id", "person %lld does not exist", (long long)person_id);
		return -1;
	}
	party = (int)store_column_int64(st, 0);
	store_done(st);
	if (!party)
		return fault_set(f, FAULT_INVALID, "person_id",
				 "person %lld is not a party member: only party members report as in-service members",
				 (long long)person_id);
	st = store_query(s, SQL_MEMBER_TAKEN, "ii", u->id, person_id);
	if (store_next(st, &rc)) {
		store_done(st);
		return fault_set(f, FAULT_CONFLICT, "person_id", "person %lld has already reported through this unit",
				 (long long)person_id);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	time_now_text(now);
	if ((rc = store_run(s, SQL_MEMBER_INSERT, "iitt", u->id, person_id, reported_on, now)) != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

int cobuild_members(struct store *s, int64_t unit_id, struct cobuild_member_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_MEMBERS, "i", unit_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct cobuild_member *m;

		YL_GROW(out->items, out->n, out->cap);
		m = &out->items[out->n++];
		memset(m, 0, sizeof(*m));
		m->id = store_column_int64(st, 0);
		m->unit_id = store_column_int64(st, 1);
		m->person_id = store_column_int64(st, 2);
		m->name = store_column_dup(st, 3);
		m->member_org_id = store_column_int64(st, 4);
		m->member_org_name = store_column_dup(st, 5);
		m->living_org_id = store_column_int64(st, 6);
		store_column_copy(st, 7, m->reported_on, sizeof(m->reported_on));
	}
	if (rc != STORE_DONE) {
		cobuild_member_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
