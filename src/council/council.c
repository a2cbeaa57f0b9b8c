/*
 * council.c - the council rows (a courtyard's or community's 议事会 with its
 * term, quorum and pass rule and its convenor), its members by seat and term,
 * and the courtyard's parties (物业 property company, 业委会 owners'
 * committee) with a contact phone kept as personal data (encrypted, shown
 * masked).
 */
#include "council/council_internal.h"
#include "auth/pii.h"
#include "org/org.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define NAME_CHARS 100

void council_release(struct council *c)
{
	free(c->name);
	free(c->created_at);
	free(c->updated_at);
	memset(c, 0, sizeof(*c));
}

void council_list_release(struct council_list *l)
{
	YL_LIST_RELEASE(l, council_release);
}

int council_date(const char *field, const char *d, struct fault *f)
{
	if (!d || date_valid(d) != 0)
		return fault_set(f, FAULT_INVALID, field, "%s is a date YYYY-MM-DD", field);
	return 0;
}

static const char SQL_USER_OF[] = "SELECT subdistrict_id, disabled FROM users WHERE id = ?";

int council_user_check(struct store *s, int64_t subdistrict_id, int64_t user_id, const char *field, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_USER_OF, "i", user_id);
	int64_t sub = 0;
	int rc, found = 0, disabled = 0;

	if (store_next(st, &rc)) {
		found = 1;
		sub = store_column_int64(st, 0);
		disabled = store_column_bool(st, 1);
		store_done(st);
	} else if (rc != STORE_DONE) {
		return store_fault(s, rc, f);
	}
	if (!found)
		return fault_set(f, FAULT_INVALID, field, "user %lld does not exist", (long long)user_id);
	if (disabled)
		return fault_set(f, FAULT_INVALID, field, "user %lld is disabled", (long long)user_id);
	if (sub && sub != subdistrict_id)
		return fault_set(f, FAULT_INVALID, field, "user %lld works outside the council's subdistrict",
				 (long long)user_id);
	return 0;
}

int council_node_of(struct store *s, int64_t node_id, const char *field, int64_t *subdistrict, int *level,
		    struct fault *f)
{
	struct node n;

	if (org_node_get(s, node_id, &n, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, field, "node %lld does not exist", (long long)node_id);
		return -1;
	}
	*subdistrict = n.subdistrict_id ? n.subdistrict_id : n.id;
	*level = (int)n.level;
	node_release(&n);
	return 0;
}

static const char SQL_MEMBERS_ON[] =
	"SELECT count(*) FROM council_members WHERE council_id = ? AND joined_on <= ?"
	" AND (left_on IS NULL OR left_on > ?)";

int council_members_on(struct store *s, int64_t council_id, const char *day, int64_t *n, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_MEMBERS_ON, "itt", council_id, day, day);
	int rc;

	*n = 0;
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*n = store_column_int64(st, 0);
	store_done(st);
	return 0;
}

static const char SQL_MEMBER_CURRENT[] =
	"SELECT count(*) FROM council_members WHERE id = ? AND council_id = ? AND joined_on <= ?"
	" AND (left_on IS NULL OR left_on > ?)";

int council_member_current(struct store *s, int64_t council_id, int64_t member_id, const char *day, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_MEMBER_CURRENT, "iitt", member_id, council_id, day, day);
	int rc, yes;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	yes = store_column_int64(st, 0) > 0;
	store_done(st);
	return yes;
}

#define COUNCIL_COLUMNS                                                                                   \
	"c.id, c.subdistrict_id, c.node_id, c.name, c.term_start, c.term_end, c.quorum_percent, c.pass_rule," \
	" c.convenor_user_id, c.created_at, c.updated_at,"                                                  \
	" (SELECT count(*) FROM council_members m WHERE m.council_id = c.id AND m.left_on IS NULL)"

static void read_council(struct store_stmt *st, struct council *c)
{
	memset(c, 0, sizeof(*c));
	c->id = store_column_int64(st, 0);
	c->subdistrict_id = store_column_int64(st, 1);
	c->node_id = store_column_int64(st, 2);
	c->name = store_column_dup(st, 3);
	store_column_copy(st, 4, c->term_start, sizeof(c->term_start));
	store_column_copy(st, 5, c->term_end, sizeof(c->term_end));
	c->quorum_percent = (int)store_column_int64(st, 6);
	store_column_copy(st, 7, c->pass_rule, sizeof(c->pass_rule));
	c->convenor_user_id = store_column_int64(st, 8);
	c->created_at = store_column_dup(st, 9);
	c->updated_at = store_column_dup(st, 10);
	c->members = store_column_int64(st, 11);
}

static const char SQL_COUNCIL_BY_ID[] = "SELECT " COUNCIL_COLUMNS " FROM councils c WHERE c.id = ?";

int council_get(struct store *s, int64_t id, struct council *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_COUNCIL_BY_ID, id, "council", &st, f) < 0)
		return -1;
	read_council(st, out);
	store_done(st);
	return 0;
}

static const char SQL_COUNCIL_LIST[] =
	"SELECT " COUNCIL_COLUMNS " FROM councils c"
	" WHERE (CAST(? AS INTEGER) = 0 OR c.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
	" ORDER BY c.id LIMIT ? OFFSET ?";
static const char SQL_COUNCIL_COUNT[] =
	"SELECT count(*) FROM councils c"
	" WHERE (CAST(? AS INTEGER) = 0 OR c.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))";

int council_list(struct store *s, int64_t under, int limit, int offset, struct council_list *out, int64_t *total,
		 struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	*total = 0;
	st = store_query(s, SQL_COUNCIL_COUNT, "ii", under, under);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_COUNCIL_LIST, "iiii", under, under, (int64_t)limit, (int64_t)offset);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_council(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		council_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static int check_rules(const struct council_input *in, struct fault *f)
{
	if (in->pass_rule && council_pass_rule_parse(in->pass_rule) == PASS_NONE)
		return fault_set(f, FAULT_INVALID, "pass_rule", "pass_rule is simple, majority or two_thirds");
	if (in->quorum_percent && (in->quorum_percent < 1 || in->quorum_percent > 100))
		return fault_set(f, FAULT_INVALID, "quorum_percent", "quorum_percent is 1 to 100");
	return 0;
}

static const char SQL_COUNCIL_INSERT[] =
	"INSERT INTO councils (subdistrict_id, node_id, name, term_start, term_end, quorum_percent, pass_rule,"
	" convenor_user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int council_create(struct store *s, const struct council_input *in, int64_t *id, struct fault *f)
{
	int64_t sub;
	int level, rc;
	char now[32];

	*id = 0;
	if (!in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required: the courtyard or community");
	if (check_text("name", in->name, NAME_CHARS, TEXT_REQUIRED, f) < 0 ||
	    council_date("term_start", in->term_start, f) < 0 || council_date("term_end", in->term_end, f) < 0 ||
	    check_rules(in, f) < 0)
		return -1;
	if (strcmp(in->term_end, in->term_start) <= 0)
		return fault_set(f, FAULT_INVALID, "term_end", "term_end must come after term_start");
	if (council_node_of(s, in->node_id, "node_id", &sub, &level, f) < 0)
		return -1;
	if (level != LEVEL_COURTYARD && level != LEVEL_COMMUNITY)
		return fault_set(f, FAULT_INVALID, "node_id", "a council sits on a courtyard or a community");
	if (in->convenor_user_id && council_user_check(s, sub, in->convenor_user_id, "convenor_user_id", f) < 0)
		return -1;
	time_now_text(now);
	rc = store_run(s, SQL_COUNCIL_INSERT, "iitttitItt", sub, in->node_id, in->name, in->term_start, in->term_end,
		       (int64_t)(in->quorum_percent ? in->quorum_percent : 50), in->pass_rule ? in->pass_rule : "majority",
		       in->convenor_user_id, now, now);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

static const char SQL_COUNCIL_UPDATE[] =
	"UPDATE councils SET name = ?, term_start = ?, term_end = ?, quorum_percent = ?, pass_rule = ?,"
	" convenor_user_id = ?, updated_at = ? WHERE id = ?";

int council_update(struct store *s, int64_t id, const struct council_input *in, struct fault *f)
{
	struct council c;
	const char *name, *ts, *te, *rule;
	int64_t convenor;
	int quorum, rc;
	char now[32];

	if (check_rules(in, f) < 0 || check_text("name", in->name, NAME_CHARS, TEXT_NOT_BLANK, f) < 0 ||
	    (in->term_start && council_date("term_start", in->term_start, f) < 0) ||
	    (in->term_end && council_date("term_end", in->term_end, f) < 0))
		return -1;
	if (council_get(s, id, &c, f) < 0)
		return -1;
	name = in->name ? in->name : c.name;
	ts = in->term_start ? in->term_start : c.term_start;
	te = in->term_end ? in->term_end : c.term_end;
	rule = in->pass_rule ? in->pass_rule : c.pass_rule;
	quorum = in->quorum_percent ? in->quorum_percent : c.quorum_percent;
	convenor = in->set_convenor ? in->convenor_user_id : c.convenor_user_id;
	rc = -1;
	if (strcmp(te, ts) <= 0)
		fault_set(f, FAULT_INVALID, in->term_end ? "term_end" : "term_start", "term_end must come after term_start");
	else if (in->set_convenor && convenor && council_user_check(s, c.subdistrict_id, convenor, "convenor_user_id", f) < 0)
		;
	else {
		time_now_text(now);
		rc = store_run(s, SQL_COUNCIL_UPDATE, "tttitIti", name, ts, te, (int64_t)quorum, rule, convenor, now, id);
		rc = rc == STORE_OK ? 0 : store_fault(s, rc, f);
	}
	council_release(&c);
	return rc;
}

/* Members. */

static const char *const SEATS[] = { "resident_rep", "party_member", "building_head", "property", "owners_committee",
				     "grid_member", NULL };

static int seat_valid(const char *seat)
{
	size_t i;

	for (i = 0; seat && SEATS[i]; i++)
		if (!strcmp(SEATS[i], seat))
			return 1;
	return 0;
}

static void member_release(struct council_member *m)
{
	free(m->name);
	free(m->phone);
	memset(m, 0, sizeof(*m));
}

void council_member_list_release(struct council_member_list *l)
{
	YL_LIST_RELEASE(l, member_release);
}

static const char SQL_PERSON_EXISTS[] = "SELECT id FROM persons WHERE id = ?";
static const char SQL_MEMBER_USER_TAKEN[] =
	"SELECT id FROM council_members WHERE council_id = ? AND user_id = ? AND left_on IS NULL";
static const char SQL_MEMBER_INSERT[] =
	"INSERT INTO council_members (council_id, name, seat, person_id, user_id, phone_enc, joined_on, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

int council_member_add(struct store *s, int64_t council_id, const struct council_member_input *in, int64_t *id,
		       struct fault *f)
{
	struct council c;
	struct store_stmt *st;
	char *phone = NULL, *sealed = NULL, now[32];
	int rc, ret = -1;

	*id = 0;
	if (check_text("name", in->name, NAME_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!seat_valid(in->seat))
		return fault_set(f, FAULT_INVALID, "seat",
				 "seat is resident_rep, party_member, building_head, property, owners_committee or grid_member");
	if (council_date("joined_on", in->joined_on, f) < 0 || phone_normalise("phone", in->phone, &phone, f) < 0)
		return -1;
	if (council_get(s, council_id, &c, f) < 0)
		goto out;
	if (in->user_id && council_user_check(s, c.subdistrict_id, in->user_id, "user_id", f) < 0)
		goto out_c;
	if (in->person_id) {
		if (store_get_by_id(s, SQL_PERSON_EXISTS, in->person_id, "person", &st, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "person_id", "person %lld does not exist", (long long)in->person_id);
			goto out_c;
		}
		store_done(st);
	}
	if (in->user_id) {
		st = store_query(s, SQL_MEMBER_USER_TAKEN, "ii", council_id, in->user_id);
		if (store_next(st, &rc)) {
			store_done(st);
			fault_set(f, FAULT_CONFLICT, "user_id", "user %lld already holds a seat on this council",
				  (long long)in->user_id);
			goto out_c;
		} else if (rc != STORE_DONE) {
			store_fault(s, rc, f);
			goto out_c;
		}
	}
	sealed = pii_encrypt(phone);
	time_now_text(now);
	rc = store_run(s, SQL_MEMBER_INSERT, "ittIItt" "t", council_id, in->name, in->seat, in->person_id, in->user_id,
		       sealed, in->joined_on, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto out_c;
	}
	*id = store_last_id(s);
	ret = 0;
out_c:
	council_release(&c);
out:
	free(phone);
	free(sealed);
	return ret;
}

static const char SQL_MEMBER_GET[] = "SELECT joined_on, left_on FROM council_members WHERE id = ? AND council_id = ?";
static const char SQL_MEMBER_LEAVE[] = "UPDATE council_members SET left_on = ? WHERE id = ?";

int council_member_leave(struct store *s, int64_t council_id, int64_t member_id, const char *on, struct fault *f)
{
	struct store_stmt *st;
	char joined[11], left[11];
	int rc;

	if (council_date("left_on", on, f) < 0)
		return -1;
	st = store_query(s, SQL_MEMBER_GET, "ii", member_id, council_id);
	if (!store_next(st, &rc)) {
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
		return fault_set(f, FAULT_NOT_FOUND, "member_id", "member %lld is not on this council", (long long)member_id);
	}
	store_column_copy(st, 0, joined, sizeof(joined));
	store_column_copy(st, 1, left, sizeof(left));
	store_done(st);
	if (left[0])
		return fault_set(f, FAULT_CONFLICT, "left_on", "member %lld left on %s", (long long)member_id, left);
	if (strcmp(on, joined) < 0)
		return fault_set(f, FAULT_INVALID, "left_on", "left_on must not come before joining (%s)", joined);
	rc = store_run(s, SQL_MEMBER_LEAVE, "ti", on, member_id);
	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}

static const char SQL_MEMBERS[] =
	"SELECT id, council_id, name, seat, person_id, user_id, phone_enc, joined_on, left_on FROM council_members"
	" WHERE council_id = ? AND (CAST(? AS INTEGER) = 1 OR left_on IS NULL) ORDER BY id";

int council_members(struct store *s, int64_t council_id, int all, struct council_member_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_MEMBERS, "ii", council_id, (int64_t)(all ? 1 : 0));
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct council_member *m;

		YL_GROW(out->items, out->n, out->cap);
		m = &out->items[out->n++];
		memset(m, 0, sizeof(*m));
		m->id = store_column_int64(st, 0);
		m->council_id = store_column_int64(st, 1);
		m->name = store_column_dup(st, 2);
		store_column_copy(st, 3, m->seat, sizeof(m->seat));
		m->person_id = store_column_int64(st, 4);
		m->user_id = store_column_int64(st, 5);
		m->phone = pii_decrypt(store_column_text(st, 6));
		store_column_copy(st, 7, m->joined_on, sizeof(m->joined_on));
		store_column_copy(st, 8, m->left_on, sizeof(m->left_on));
	}
	if (rc != STORE_DONE) {
		council_member_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int council_member_of_user(struct store *s, int64_t council_id, int64_t user_id, int64_t *member_id, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_MEMBER_USER_TAKEN, "ii", council_id, user_id);
	int rc;

	*member_id = 0;
	if (store_next(st, &rc)) {
		*member_id = store_column_int64(st, 0);
		store_done(st);
		return 0;
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

/* Parties. */

static void party_release(struct courtyard_party *p)
{
	free(p->name);
	free(p->contact_name);
	free(p->contact_phone);
	free(p->created_at);
	memset(p, 0, sizeof(*p));
}

void courtyard_party_list_release(struct courtyard_party_list *l)
{
	YL_LIST_RELEASE(l, party_release);
}

static const char SQL_PARTY_INSERT[] =
	"INSERT INTO courtyard_parties (subdistrict_id, node_id, kind, name, contact_name, contact_phone_enc,"
	" contact_phone_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

int courtyard_party_add(struct store *s, int64_t node_id, const char *kind, const char *name, const char *contact_name,
			const char *contact_phone, int64_t *id, struct fault *f)
{
	char *phone = NULL, *sealed = NULL, *hash = NULL, now[32];
	int64_t sub;
	int level, rc, ret = -1;

	*id = 0;
	if (!kind || (strcmp(kind, "property") && strcmp(kind, "owners_committee")))
		return fault_set(f, FAULT_INVALID, "kind", "kind is property or owners_committee");
	if (check_text("name", name, NAME_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("contact_name", contact_name, NAME_CHARS, TEXT_NOT_BLANK, f) < 0 ||
	    phone_normalise("contact_phone", contact_phone, &phone, f) < 0)
		return -1;
	if (council_node_of(s, node_id, "node_id", &sub, &level, f) < 0)
		goto out;
	if (level != LEVEL_COURTYARD) {
		fault_set(f, FAULT_INVALID, "node_id", "parties belong to a courtyard");
		goto out;
	}
	sealed = pii_encrypt(phone);
	hash = pii_lookup_hash(phone);
	time_now_text(now);
	rc = store_run(s, SQL_PARTY_INSERT, "iittttt" "t", sub, node_id, kind, name, contact_name, sealed, hash, now);
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

static const char SQL_PARTIES[] =
	"SELECT id, node_id, kind, name, contact_name, contact_phone_enc, created_at FROM courtyard_parties"
	" WHERE node_id = ? ORDER BY id";

int courtyard_parties(struct store *s, int64_t node_id, struct courtyard_party_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_PARTIES, "i", node_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct courtyard_party *p;

		YL_GROW(out->items, out->n, out->cap);
		p = &out->items[out->n++];
		p->id = store_column_int64(st, 0);
		p->node_id = store_column_int64(st, 1);
		store_column_copy(st, 2, p->kind, sizeof(p->kind));
		p->name = store_column_dup(st, 3);
		p->contact_name = store_column_dup(st, 4);
		p->contact_phone = pii_decrypt(store_column_text(st, 5));
		p->created_at = store_column_dup(st, 6);
	}
	if (rc != STORE_DONE) {
		courtyard_party_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
