/*
 * person.c - persons: who they are, where they live, their tags, and the
 * party membership of the "双找" rule (the branch holding the membership and the
 * courtyard branch where the member lives and registered).
 *
 * A create or update first merges the input into the row it will write (the
 * current row on update), checks that row without the store, then checks its
 * references (home node, party organisations) inside the write transaction.
 */
#include "people/check.h"
#include "util/check.h"
#include "auth/pii.h"
#include "people/people.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_CHARS 50
#define ORG_NAME_CHARS 100
#define MAX_TAGS 20
#define TAG_CHARS 20
#define TAG_BATCH 50		/* persons whose tags one list query loads */

void person_release(struct person *p)
{
	size_t i;

	free(p->name);
	free(p->phone);
	free(p->id_number);
	free(p->health);
	free(p->disability);
	free(p->gender);
	for (i = 0; i < p->ntags; i++)
		free(p->tags[i]);
	free(p->tags);
	free(p->member_org_name);
	free(p->registered_on);
	free(p->created_at);
	free(p->updated_at);
	memset(p, 0, sizeof(*p));
}

void person_list_release(struct person_list *l)
{
	YL_LIST_RELEASE(l, person_release);
}

#define PERSON_COLUMNS \
	"p.id, p.subdistrict_id, p.name, p.phone_enc, p.gender, p.birth_year, p.home_node_id, p.party_member, " \
	"p.member_org_id, p.member_org_name, p.living_org_id, p.registered_on, p.created_at, p.updated_at, " \
	"p.id_number_enc, p.health_enc, p.disability_enc, p.low_income_enc, p.key_person_enc"

/* Flags are encrypted too ("1" / "0"): whether a family is low-income is itself sensitive. */
static int decrypt_flag(const char *sealed)
{
	char *v = pii_decrypt(sealed);
	int on = v && strcmp(v, "1") == 0;

	free(v);
	return on;
}

static void read_person(struct store_stmt *st, struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_column_int64(st, 0);
	p->subdistrict_id = store_column_int64(st, 1);
	p->name = store_column_dup(st, 2);
	p->phone = pii_decrypt(store_column_text(st, 3));
	p->gender = store_column_dup(st, 4);
	p->birth_year = (int)store_column_int64(st, 5);
	p->home_node_id = store_column_int64(st, 6);
	p->party_member = store_column_int64(st, 7) != 0;
	p->member_org_id = store_column_int64(st, 8);
	p->member_org_name = store_column_dup(st, 9);
	p->living_org_id = store_column_int64(st, 10);
	p->registered_on = store_column_dup(st, 11);
	p->created_at = store_column_dup(st, 12);
	p->updated_at = store_column_dup(st, 13);
	p->id_number = pii_decrypt(store_column_text(st, 14));
	p->health = pii_decrypt(store_column_text(st, 15));
	p->disability = pii_decrypt(store_column_text(st, 16));
	p->low_income = decrypt_flag(store_column_text(st, 17));
	p->key_person = decrypt_flag(store_column_text(st, 18));
}

static void add_tag(struct person *p, const char *tag, size_t *cap)
{
	YL_GROW(p->tags, p->ntags, *cap);
	p->tags[p->ntags++] = xstrdup(tag);
}

static const char SQL_PERSON_BY_ID[] = "SELECT " PERSON_COLUMNS " FROM persons p WHERE p.id = ?";
static const char SQL_TAGS_OF[] = "SELECT tag FROM person_tags WHERE person_id = ? ORDER BY tag";

int people_person_get(struct store *s, int64_t id, struct person *out, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_PERSON_BY_ID, id, "person", &st, f) < 0)
		return -1;
	read_person(st, out);
	store_done(st);
	st = store_query(s, SQL_TAGS_OF, "i", (int64_t)id);
	while (store_next(st, &rc))
		add_tag(out, store_column_text(st, 0), &cap);
	if (rc != STORE_DONE) {
		person_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/* The row a create or update writes: the current values with the input applied. */
struct person_row {
	const char *name;
	char *phone;			/* owned: normalised */
	const char *gender;
	int birth_year;
	int64_t home_node_id;
	int64_t subdistrict_id;
	int party_member;
	int64_t member_org_id;
	const char *member_org_name;
	int64_t living_org_id;
	const char *registered_on;
	char *id_number;		/* owned: upper-case check character */
	const char *health;
	const char *disability;
	int low_income;
	int key_person;
	int set_tags;
	const char **tags;		/* owned array of borrowed strings, sorted, without repeats */
	size_t ntags;
};

static void row_release(struct person_row *r)
{
	free(r->phone);
	free(r->id_number);
	free(r->tags);
	memset(r, 0, sizeof(*r));
}

static void row_from(struct person_row *r, const struct person *cur)
{
	memset(r, 0, sizeof(*r));
	if (!cur)
		return;
	r->name = cur->name;
	r->phone = xstrdup_or_null(cur->phone);
	r->gender = cur->gender;
	r->birth_year = cur->birth_year;
	r->home_node_id = cur->home_node_id;
	r->subdistrict_id = cur->subdistrict_id;
	r->party_member = cur->party_member;
	r->member_org_id = cur->member_org_id;
	r->member_org_name = cur->member_org_name;
	r->living_org_id = cur->living_org_id;
	r->registered_on = cur->registered_on;
	r->id_number = xstrdup_or_null(cur->id_number);
	r->health = cur->health;
	r->disability = cur->disability;
	r->low_income = cur->low_income;
	r->key_person = cur->key_person;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int apply_tags(struct person_row *r, const struct person_input *in, struct fault *f)
{
	size_t i, n = 0;

	if (!in->set_tags && !in->ntags)
		return 0;
	if (in->ntags > MAX_TAGS)
		return fault_set(f, FAULT_INVALID, "tags", "a person has at most %d tags, %zu given", MAX_TAGS, in->ntags);
	for (i = 0; i < in->ntags; i++) {
		if (!in->tags[i])
			return fault_set(f, FAULT_INVALID, "tags", "a tag must be text");
		if (check_text("tags", in->tags[i], TAG_CHARS, TEXT_REQUIRED, f) < 0)
			return fault_set(f, FAULT_INVALID, "tags", "each tag is 1 to %d characters of text ('%s' is not)",
					 TAG_CHARS, in->tags[i]);
	}
	r->set_tags = 1;
	r->tags = xcalloc(in->ntags ? in->ntags : 1, sizeof(*r->tags));
	for (i = 0; i < in->ntags; i++)
		r->tags[i] = in->tags[i];
	qsort(r->tags, in->ntags, sizeof(*r->tags), cmp_str);
	/* Tags are a set: a repeated tag is kept once. */
	for (i = 0; i < in->ntags; i++)
		if (n == 0 || strcmp(r->tags[n - 1], r->tags[i]) != 0)
			r->tags[n++] = r->tags[i];
	r->ntags = n;
	return 0;
}

static int this_year(void)
{
	char today[11];

	date_today_local(today);
	return atoi(today);
}

/* The party fields the input sets to a value (clearing one is always allowed). */
static const char *party_field_given(const struct person_input *in)
{
	if (in->member_org_id)
		return "member_org_id";
	if (in->member_org_name)
		return "member_org_name";
	if (in->living_org_id)
		return "living_org_id";
	if (in->registered_on)
		return "registered_on";
	return NULL;
}

static int apply_party(struct person_row *r, const struct person_input *in, struct fault *f)
{
	const char *given = party_field_given(in);
	char today[11];

	if (in->party_member || in->set_party_member)
		r->party_member = in->party_member != 0;
	if (!r->party_member) {
		/* 双找 fields describe a membership: a non-member has none. */
		if (given)
			return fault_set(f, FAULT_INVALID, given,
					 "%s is only for party members: set party_member to true", given);
		r->member_org_id = 0;
		r->member_org_name = NULL;
		r->living_org_id = 0;
		r->registered_on = NULL;
		return 0;
	}
	if (in->member_org_id && in->member_org_name)
		return fault_set(f, FAULT_INVALID, "member_org_name",
				 "give member_org_id for a branch in the tree or member_org_name for one outside it, not both");
	if (in->member_org_name &&
	    check_text("member_org_name", in->member_org_name, ORG_NAME_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (in->member_org_id || in->set_member_org) {
		r->member_org_id = in->member_org_id;
		if (in->member_org_id && !in->set_member_org_name)
			r->member_org_name = NULL;	/* the membership moved into the tree */
	}
	if (in->member_org_name || in->set_member_org_name) {
		r->member_org_name = in->member_org_name;
		if (in->member_org_name && !in->set_member_org)
			r->member_org_id = 0;		/* the membership moved outside the tree */
	}
	if (in->living_org_id || in->set_living_org)
		r->living_org_id = in->living_org_id;
	if (in->registered_on || in->set_registered_on) {
		if (people_check_date("registered_on", in->registered_on, f) < 0)
			return -1;
		date_today_local(today);
		if (in->registered_on && strcmp(in->registered_on, today) > 0)
			return fault_set(f, FAULT_INVALID, "registered_on", "registered_on %s is in the future",
					 in->registered_on);
		r->registered_on = in->registered_on;
	}
	return 0;
}

/* Everything that needs no store: f names the first field at fault. */
static int apply_input(struct person_row *r, const struct person_input *in, int create, struct fault *f)
{
	if (in->name || create) {
		if (check_text("name", in->name, NAME_CHARS, TEXT_REQUIRED, f) < 0)
			return -1;
		r->name = in->name;
	}
	if (in->phone || in->set_phone) {
		free(r->phone);
		r->phone = NULL;
		if (phone_normalise("phone", in->phone, &r->phone, f) < 0)
			return -1;
	}
	if (in->gender || in->set_gender) {
		if (in->gender && strcmp(in->gender, "male") != 0 && strcmp(in->gender, "female") != 0)
			return fault_set(f, FAULT_INVALID, "gender", "gender must be male or female");
		r->gender = in->gender;
	}
	if (in->birth_year || in->set_birth_year) {
		int max = this_year();

		/* 0 means unknown (cleared). */
		if (in->birth_year && (in->birth_year < 1900 || in->birth_year > max))
			return fault_set(f, FAULT_INVALID, "birth_year", "birth_year must be from 1900 to %d", max);
		r->birth_year = in->birth_year;
	}
	if (in->id_number || in->set_id_number) {
		free(r->id_number);
		r->id_number = NULL;
		if (in->id_number) {
			char *p;

			r->id_number = xstrdup(in->id_number);
			for (p = r->id_number; *p; p++)
				if (*p == 'x')
					*p = 'X';
			if (!pii_id_number_valid(r->id_number))
				return fault_set(f, FAULT_INVALID, "id_number",
						 "id_number must be an 18-character resident ID with a valid date and check character");
		}
	}
	if (in->health || in->set_health) {
		if (in->health && check_text("health", in->health, 200, TEXT_NOT_BLANK, f) < 0)
			return -1;
		r->health = in->health;
	}
	if (in->disability || in->set_disability) {
		if (in->disability && check_text("disability", in->disability, 200, TEXT_NOT_BLANK, f) < 0)
			return -1;
		r->disability = in->disability;
	}
	if (in->low_income || in->set_low_income)
		r->low_income = in->low_income != 0;
	if (in->key_person || in->set_key_person)
		r->key_person = in->key_person != 0;
	if (in->home_node_id || in->set_home)
		r->home_node_id = in->home_node_id;
	if (in->home_node_id < 0)
		return fault_set(f, FAULT_INVALID, "home_node_id", "home_node_id must be a node id");
	if (apply_party(r, in, f) < 0 || apply_tags(r, in, f) < 0)
		return -1;
	return 0;
}

static int check_org(struct store *s, const char *field, int64_t id, struct fault *f)
{
	struct party_org po;

	if (!id)
		return 0;
	if (org_party_get(s, id, &po, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, field, "party organisation %lld does not exist", (long long)id);
		return -1;
	}
	party_org_release(&po);
	return 0;
}

static const char SQL_ID_NUMBER_TAKEN[] = "SELECT id FROM persons WHERE id_number_hash = ? AND id <> ?";

/* A resident ID belongs to one person. */
static int check_id_number(struct store *s, const struct person_row *r, int64_t self, struct fault *f)
{
	struct store_stmt *st;
	int64_t other = 0;
	char *h;
	int rc;

	if (!r->id_number)
		return 0;
	h = pii_lookup_hash(r->id_number);
	st = store_query(s, SQL_ID_NUMBER_TAKEN, "ti", h, (int64_t)self);
	rc = store_step(st);
	if (rc == STORE_ROW)
		other = store_column_int64(st, 0);
	store_done(st);
	free(h);
	if (rc < 0)
		return store_fault(s, rc, f);
	if (other)
		return fault_set(f, FAULT_CONFLICT, "id_number", "person %lld already has this ID number", (long long)other);
	return 0;
}

/* References, checked inside the write transaction; sets the row's subdistrict from its home. */
static int check_refs(struct store *s, struct person_row *r, struct fault *f)
{
	struct node home;

	r->subdistrict_id = 0;
	if (r->home_node_id) {
		if (org_node_get(s, r->home_node_id, &home, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "home_node_id", "node %lld does not exist",
					  (long long)r->home_node_id);
			return -1;
		}
		if (home.level != LEVEL_HOUSEHOLD && home.level != LEVEL_UNIT && home.level != LEVEL_BUILDING &&
		    home.level != LEVEL_COURTYARD) {
			fault_set(f, FAULT_INVALID, "home_node_id",
				  "a home is a household, unit, building or courtyard: node %lld is a %s",
				  (long long)home.id, node_level_name(home.level));
			node_release(&home);
			return -1;
		}
		r->subdistrict_id = home.subdistrict_id;
		node_release(&home);
	}
	if (check_org(s, "member_org_id", r->member_org_id, f) < 0 ||
	    check_org(s, "living_org_id", r->living_org_id, f) < 0)
		return -1;
	return 0;
}

static const char SQL_PERSON_INSERT[] =
	"INSERT INTO persons (subdistrict_id, name, phone_enc, gender, birth_year, home_node_id, party_member,"
	" member_org_id, member_org_name, living_org_id, registered_on, phone_hash, id_number_enc, id_number_hash,"
	" health_enc, disability_enc, low_income_enc, key_person_enc, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PERSON_UPDATE[] =
	"UPDATE persons SET subdistrict_id = ?, name = ?, phone_enc = ?, gender = ?, birth_year = ?, home_node_id = ?,"
	" party_member = ?, member_org_id = ?, member_org_name = ?, living_org_id = ?, registered_on = ?,"
	" phone_hash = ?, id_number_enc = ?, id_number_hash = ?, health_enc = ?, disability_enc = ?,"
	" low_income_enc = ?, key_person_enc = ?, updated_at = ? WHERE id = ?";
static const char SQL_TAGS_CLEAR[] = "DELETE FROM person_tags WHERE person_id = ?";
static const char SQL_TAG_ADD[] =
	"INSERT INTO person_tags (person_id, tag, subdistrict_id) VALUES (?, ?, (SELECT subdistrict_id FROM persons WHERE id = ?))";

/* Binds encrypted text (NULL stays NULL) and frees the sealed copy. */
static void bind_sealed(struct store_stmt *st, int idx, const char *plain)
{
	char *sealed = pii_encrypt(plain);

	store_bind_text(st, idx, sealed);
	free(sealed);
}

static void bind_hash(struct store_stmt *st, int idx, const char *plain)
{
	char *h = pii_lookup_hash(plain);

	store_bind_text(st, idx, h);
	free(h);
}

/* Binds the row's columns 1..18 (subdistrict .. key_person), shared by insert and update. */
static void bind_row(struct store_stmt *st, const struct person_row *r)
{
	store_bind_id(st, 1, r->subdistrict_id);
	store_bind_text(st, 2, r->name);
	bind_sealed(st, 3, r->phone);
	store_bind_text(st, 4, r->gender);
	store_bind_id(st, 5, r->birth_year);
	store_bind_id(st, 6, r->home_node_id);
	store_bind_int64(st, 7, r->party_member);
	store_bind_id(st, 8, r->member_org_id);
	store_bind_text(st, 9, r->member_org_name);
	store_bind_id(st, 10, r->living_org_id);
	store_bind_text(st, 11, r->registered_on);
	bind_hash(st, 12, r->phone);
	bind_sealed(st, 13, r->id_number);
	bind_hash(st, 14, r->id_number);
	bind_sealed(st, 15, r->health);
	bind_sealed(st, 16, r->disability);
	bind_sealed(st, 17, r->low_income ? "1" : "0");
	bind_sealed(st, 18, r->key_person ? "1" : "0");
}

static int write_tags(struct store *s, int64_t id, const struct person_row *r)
{
	size_t i;
	int rc;

	if (!r->set_tags)
		return STORE_OK;
	if ((rc = store_run(s, SQL_TAGS_CLEAR, "i", (int64_t)id)) != STORE_OK)
		return rc;
	for (i = 0; i < r->ntags; i++) {
		if ((rc = store_run(s, SQL_TAG_ADD, "iti", (int64_t)id, r->tags[i], (int64_t)id)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

int people_person_create(struct store *s, const struct person_input *in, int64_t *id, struct fault *f)
{
	struct person_row r;
	struct store_stmt *st;
	char now[32];
	int64_t pid;
	int rc;

	row_from(&r, NULL);
	if (apply_input(&r, in, 1, f) < 0)
		goto invalid;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto invalid;
	}
	if (check_refs(s, &r, f) < 0 || check_id_number(s, &r, 0, f) < 0)
		goto out;
	time_now_text(now);
	st = store_prepare(s, SQL_PERSON_INSERT);
	bind_row(st, &r);
	store_bind_text(st, 19, now);
	store_bind_text(st, 20, now);
	if ((rc = store_step_done(st)) != STORE_OK)
		goto store_failed;
	pid = store_last_id(s);
	if ((rc = write_tags(s, pid, &r)) != STORE_OK)
		goto store_failed;
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto invalid;
	}
	if (id)
		*id = pid;
	row_release(&r);
	return 0;
store_failed:
	store_fault(s, rc, f);
out:
	store_rollback(s);
invalid:
	row_release(&r);
	return -1;
}

int people_person_update(struct store *s, int64_t id, const struct person_input *in, struct fault *f)
{
	struct person cur = { 0 };
	struct person_row r = { 0 };
	struct store_stmt *st;
	char now[32];
	int rc, ret = -1;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (people_person_get(s, id, &cur, f) < 0)
		goto out;
	row_from(&r, &cur);
	if (apply_input(&r, in, 0, f) < 0 || check_refs(s, &r, f) < 0 || check_id_number(s, &r, id, f) < 0)
		goto out;
	time_now_text(now);
	st = store_prepare(s, SQL_PERSON_UPDATE);
	bind_row(st, &r);
	store_bind_text(st, 19, now);
	store_bind_int64(st, 20, id);
	if ((rc = store_step_done(st)) != STORE_OK || (rc = write_tags(s, id, &r)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto done;
	}
	ret = 0;
	goto done;
out:
	store_rollback(s);
done:
	row_release(&r);
	person_release(&cur);
	return ret;
}

/* Filters: up to 8 parameters, ints and texts, bound in order. */
struct params {
	int64_t ids[8];
	const char *texts[8];
	int is_text[8];
	int n;
};

static void param_id(struct params *p, int64_t v)
{
	p->ids[p->n] = v;
	p->is_text[p->n++] = 0;
}

static void param_text(struct params *p, const char *v)
{
	p->texts[p->n] = v;
	p->is_text[p->n++] = 1;
}

static void bind_params(struct store_stmt *st, const struct params *p)
{
	int i;

	for (i = 0; i < p->n; i++) {
		if (p->is_text[i])
			store_bind_text(st, i + 1, p->texts[i]);
		else
			store_bind_int64(st, i + 1, p->ids[i]);
	}
}

#define TAG_BATCH_IN \
	"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
static const char SQL_TAGS_BATCH[] =
	"SELECT person_id, tag FROM person_tags WHERE person_id IN (" TAG_BATCH_IN ") ORDER BY person_id, tag";

/*
 * The tags of a page of persons (sorted by id) in one query per TAG_BATCH
 * persons: the statement text stays the same, short batches repeat the last id.
 */
static int load_tags_batch(struct store *s, struct person *items, size_t n, struct fault *f)
{
	size_t start, i, j, caps[TAG_BATCH];
	struct store_stmt *st;
	int rc;

	for (start = 0; start < n; start += TAG_BATCH) {
		size_t end = start + TAG_BATCH < n ? start + TAG_BATCH : n;

		memset(caps, 0, sizeof(caps));
		st = store_prepare(s, SQL_TAGS_BATCH);
		for (i = 0; i < TAG_BATCH; i++)
			store_bind_int64(st, (int)i + 1, items[start + i < end ? start + i : end - 1].id);
		j = start;
		while (store_next(st, &rc)) {
			int64_t pid = store_column_int64(st, 0);

			while (j < end && items[j].id < pid)
				j++;
			if (j < end && items[j].id == pid)
				add_tag(&items[j], store_column_text(st, 1), &caps[j - start]);
		}
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
	}
	return 0;
}

int people_person_list(struct store *s, const struct person_filter *flt, struct person_list *out, struct fault *f)
{
	struct buf where = BUF_INIT, sql = BUF_INIT;
	struct params prm = { 0 };
	struct store_stmt *st;
	char *hashes[2] = { NULL, NULL };
	int nhashes = 0;
	char today[11];
	size_t cap = 0;
	int rc, limit = flt->limit > 0 ? flt->limit : 50;

	memset(out, 0, sizeof(*out));
	buf_init(&where);
	buf_adds(&where, " WHERE 1=1");
	if (flt->under_id) {
		buf_adds(&where, " AND p.home_node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)");
		param_id(&prm, flt->under_id);
	}
	if (flt->q) {
		/* instr() on both backends: no LIKE wildcards to escape. */
		buf_adds(&where, " AND instr(p.name, ?) > 0");
		param_text(&prm, flt->q);
	}
	if (flt->phone) {
		char *norm = NULL;
		struct fault ignored = { 0 };

		/* Matched through the keyed hash of the normalised number; a malformed one matches nobody. */
		if (phone_normalise("phone", flt->phone, &norm, &ignored) < 0 || !norm) {
			buf_adds(&where, " AND 1=0");
		} else {
			hashes[nhashes] = pii_lookup_hash(norm);
			buf_adds(&where, " AND p.phone_hash = ?");
			param_text(&prm, hashes[nhashes++]);
		}
		free(norm);
	}
	if (flt->id_number) {
		char *up = xstrdup(flt->id_number), *c;

		for (c = up; *c; c++)
			if (*c == 'x')
				*c = 'X';
		hashes[nhashes] = pii_lookup_hash(up);
		buf_adds(&where, " AND p.id_number_hash = ?");
		param_text(&prm, hashes[nhashes++]);
		free(up);
	}
	if (flt->tag) {
		buf_adds(&where, " AND p.id IN (SELECT person_id FROM person_tags WHERE tag = ?)");
		param_text(&prm, flt->tag);
	}
	if (flt->party_member >= 0) {
		buf_adds(&where, " AND p.party_member = ?");
		param_id(&prm, flt->party_member ? 1 : 0);
	}
	if (flt->living_org_id) {
		buf_adds(&where, " AND p.living_org_id = ?");
		param_id(&prm, flt->living_org_id);
	}
	if (flt->role_code) {
		date_today_local(today);
		buf_adds(&where, " AND p.id IN (SELECT a.person_id FROM role_assignments a JOIN roles r ON r.id = a.role_id"
				 " WHERE r.code = ? AND a.starts_on <= ? AND (a.ends_on IS NULL OR a.ends_on >= ?))");
		param_text(&prm, flt->role_code);
		param_text(&prm, today);
		param_text(&prm, today);
	}
	buf_addf(&sql, "SELECT COUNT(*) FROM persons p%s", where.data);
	st = store_prepare(s, sql.data);
	bind_params(st, &prm);
	rc = store_step(st);
	if (rc == STORE_ROW)
		out->total = store_column_int64(st, 0);
	store_done(st);
	if (rc != STORE_ROW) {
		store_fault(s, rc, f);
		goto fail;
	}
	buf_reset(&sql);
	buf_addf(&sql, "SELECT " PERSON_COLUMNS " FROM persons p%s ORDER BY p.id LIMIT %d OFFSET %d", where.data, limit,
		 flt->offset > 0 ? flt->offset : 0);
	st = store_prepare(s, sql.data);
	bind_params(st, &prm);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, cap);
		read_person(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (load_tags_batch(s, out->items, out->n, f) < 0)
		goto fail;
	buf_release(&where);
	buf_release(&sql);
	free(hashes[0]);
	free(hashes[1]);
	return 0;
fail:
	person_list_release(out);
	buf_release(&where);
	buf_release(&sql);
	free(hashes[0]);
	free(hashes[1]);
	return -1;
}
