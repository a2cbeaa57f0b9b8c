/*
 * agreement.c - 共驻共建协议: a unit's agreement with the community it
 * reported to, for a term (starts_on .. ends_on), signed on a day with its
 * document kept somewhere named; its commitments per year — hours of service,
 * money (yuan, as fen), a number of services — and the annual review of what
 * was delivered against what was promised.  Hours delivered are the hours of
 * the unit's reported claims served in that year (claim.c), never typed
 * again; money and services delivered are recorded once per commitment and
 * year.
 */
#include "cobuild/cobuild.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_CHARS 100
#define DESCRIPTION_CHARS 200
#define NOTE_CHARS 500
#define MONEY_MAX_FEN 100000000000LL	/* 10 亿元 a year: more is a typing error */
#define SERVICES_MAX 100000

void cobuild_agreement_release(struct cobuild_agreement *a)
{
	size_t i;

	free(a->unit_name);
	free(a->title);
	free(a->document_ref);
	free(a->created_at);
	for (i = 0; i < a->n_commitments; i++)
		free(a->commitments[i].description);
	free(a->commitments);
	memset(a, 0, sizeof(*a));
}

void cobuild_agreement_list_release(struct cobuild_agreement_list *l)
{
	YL_LIST_RELEASE(l, cobuild_agreement_release);
}

void cobuild_review_release(struct cobuild_review *r)
{
	free(r->items);
	memset(r, 0, sizeof(*r));
}

int cobuild_amount_parse(const char *kind, const char *field, const char *text, int64_t *out, struct fault *f)
{
	int64_t v;

	if (!strcmp(kind, "hours"))
		return cobuild_hours_parse(field, text, out, f);
	if (!strcmp(kind, "money")) {
		if (!text || money_parse(text, MONEY_FEN, &v) < 0 || v < 0 || v > MONEY_MAX_FEN)
			return fault_set(f, FAULT_INVALID, field, "%s is an amount in yuan with at most two decimals (\"5000.00\")",
					 field);
		*out = v;
		return 0;
	}
	if (!text || money_parse(text, (enum money_scale)0, &v) < 0 || v < 0 || v > SERVICES_MAX)
		return fault_set(f, FAULT_INVALID, field, "%s is a whole number of services (0 to %d)", field, SERVICES_MAX);
	*out = v;
	return 0;
}

void cobuild_amount_format(const char *kind, int64_t v, char out[32])
{
	if (!strcmp(kind, "hours"))
		money_format(v, (enum money_scale)1, out, 32);
	else if (!strcmp(kind, "money"))
		money_format(v, MONEY_FEN, out, 32);
	else
		snprintf(out, 32, "%lld", (long long)v);
}

#define AGREEMENT_COLUMNS                                                                                        \
	"a.id, a.subdistrict_id, a.node_id, a.unit_id, u.name, a.title, a.starts_on, a.ends_on, a.signed_on,"      \
	" a.document_ref, a.created_at"
#define AGREEMENT_FROM " FROM cobuild_agreements a JOIN cobuild_units u ON u.id = a.unit_id"

static const char SQL_AGREEMENT_BY_ID[] = "SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM " WHERE a.id = ?";
static const char SQL_AGREEMENTS[] =
	"SELECT " AGREEMENT_COLUMNS AGREEMENT_FROM
	" WHERE (CAST(? AS INTEGER) = 0 OR a.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
	" AND (CAST(? AS INTEGER) = 0 OR a.unit_id = ?) ORDER BY a.starts_on DESC, a.id DESC";
static const char SQL_COMMITMENTS[] =
	"SELECT id, agreement_id, kind, description, per_year FROM cobuild_commitments WHERE agreement_id = ? ORDER BY id";
static const char SQL_UNIT[] = "SELECT subdistrict_id, node_id FROM cobuild_units WHERE id = ?";
static const char SQL_AGREEMENT_INSERT[] =
	"INSERT INTO cobuild_agreements (subdistrict_id, node_id, unit_id, title, starts_on, ends_on, signed_on,"
	" document_ref, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_COMMITMENT_INSERT[] =
	"INSERT INTO cobuild_commitments (agreement_id, kind, description, per_year, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_COMMITMENT[] = "SELECT agreement_id, kind FROM cobuild_commitments WHERE id = ?";
static const char SQL_DELIVERED[] = "SELECT count(*) FROM cobuild_deliveries WHERE commitment_id = ? AND year = ?";
static const char SQL_DELIVERY_INSERT[] =
	"INSERT INTO cobuild_deliveries (commitment_id, year, delivered, note, by_user_id, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_DELIVERY[] = "SELECT delivered FROM cobuild_deliveries WHERE commitment_id = ? AND year = ?";
/* the unit's reported claims served in the year: the hours it delivered */
static const char SQL_HOURS_SERVED[] =
	"SELECT COALESCE(sum(hours_tenths), 0) FROM cobuild_claims WHERE unit_id = ? AND status <> 'claimed'"
	" AND served_on >= ? AND served_on <= ?";

static void read_agreement(struct store_stmt *st, struct cobuild_agreement *a)
{
	memset(a, 0, sizeof(*a));
	a->id = store_column_int64(st, 0);
	a->subdistrict_id = store_column_int64(st, 1);
	a->node_id = store_column_int64(st, 2);
	a->unit_id = store_column_int64(st, 3);
	a->unit_name = store_column_dup(st, 4);
	a->title = store_column_dup(st, 5);
	store_column_copy(st, 6, a->starts_on, sizeof(a->starts_on));
	store_column_copy(st, 7, a->ends_on, sizeof(a->ends_on));
	store_column_copy(st, 8, a->signed_on, sizeof(a->signed_on));
	a->document_ref = store_column_dup(st, 9);
	a->created_at = store_column_dup(st, 10);
}

static int read_commitments(struct store *s, struct cobuild_agreement *a, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_COMMITMENTS, "i", a->id);
	int rc;

	while (store_next(st, &rc)) {
		struct cobuild_commitment *c;

		YL_GROW(a->commitments, a->n_commitments, a->cap_commitments);
		c = &a->commitments[a->n_commitments++];
		c->id = store_column_int64(st, 0);
		c->agreement_id = store_column_int64(st, 1);
		store_column_copy(st, 2, c->kind, sizeof(c->kind));
		c->description = store_column_dup(st, 3);
		c->per_year = store_column_int64(st, 4);
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

int cobuild_agreement_get(struct store *s, int64_t id, struct cobuild_agreement *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_AGREEMENT_BY_ID, id, "agreement", &st, f) < 0)
		return -1;
	read_agreement(st, out);
	store_done(st);
	if (read_commitments(s, out, f) < 0) {
		cobuild_agreement_release(out);
		return -1;
	}
	return 0;
}

int cobuild_agreement_list(struct store *s, int64_t under, int64_t unit_id, struct cobuild_agreement_list *out,
			   struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_AGREEMENTS, "iiii", under, under, unit_id, unit_id);
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_agreement(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		cobuild_agreement_list_release(out);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < out->n; i++)
		if (read_commitments(s, &out->items[i], f) < 0) {
			cobuild_agreement_list_release(out);
			return -1;
		}
	return 0;
}

int cobuild_agreement_create(struct store *s, const struct cobuild_agreement_input *in, int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	int64_t subdistrict, node;
	char now[32];
	int rc;

	*id = 0;
	if (check_text("title", in->title, TITLE_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("document_ref", in->document_ref, TITLE_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (!in->starts_on || date_valid(in->starts_on) != 0)
		return fault_set(f, FAULT_INVALID, "starts_on", "starts_on is a date YYYY-MM-DD");
	if (!in->ends_on || date_valid(in->ends_on) != 0)
		return fault_set(f, FAULT_INVALID, "ends_on", "ends_on is a date YYYY-MM-DD");
	if (strcmp(in->ends_on, in->starts_on) <= 0)
		return fault_set(f, FAULT_INVALID, "ends_on", "ends_on must come after starts_on (%s)", in->starts_on);
	if (cobuild_past_date("signed_on", in->signed_on, f) < 0)
		return -1;
	if (store_get_by_id(s, SQL_UNIT, in->unit_id, "unit", &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "unit_id", "unit %lld does not exist", (long long)in->unit_id);
		return -1;
	}
	subdistrict = store_column_int64(st, 0);
	node = store_column_int64(st, 1);
	store_done(st);
	time_now_text(now);
	rc = store_run(s, SQL_AGREEMENT_INSERT, "iiitttttt", subdistrict, node, in->unit_id, in->title, in->starts_on,
		       in->ends_on, in->signed_on, in->document_ref && *in->document_ref ? in->document_ref : NULL, now);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

int cobuild_commitment_add(struct store *s, const struct cobuild_agreement *a, const char *kind, const char *description,
			   const char *per_year, int64_t *id, struct fault *f)
{
	char now[32];
	int64_t v;
	int rc;

	*id = 0;
	if (!kind || (strcmp(kind, "hours") && strcmp(kind, "money") && strcmp(kind, "service")))
		return fault_set(f, FAULT_INVALID, "kind", "kind is hours, money or service");
	if (check_text("description", description, DESCRIPTION_CHARS, TEXT_REQUIRED, f) < 0 ||
	    cobuild_amount_parse(kind, "per_year", per_year, &v, f) < 0)
		return -1;
	if (!v)
		return fault_set(f, FAULT_INVALID, "per_year", "per_year is more than nothing");
	time_now_text(now);
	if ((rc = store_run(s, SQL_COMMITMENT_INSERT, "ittit", a->id, kind, description, v, now)) != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

int cobuild_commitment_agreement(struct store *s, int64_t commitment_id, int64_t *agreement_id, struct fault *f)
{
	struct store_stmt *st;

	*agreement_id = 0;
	if (store_get_by_id(s, SQL_COMMITMENT, commitment_id, "commitment", &st, f) < 0)
		return -1;
	*agreement_id = store_column_int64(st, 0);
	store_done(st);
	return 0;
}

static int count_of(struct store *s, struct store_stmt *st, int64_t *n, struct fault *f)
{
	int rc;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*n = store_column_int64(st, 0);
	store_done(st);
	return 0;
}

int cobuild_delivery_record(struct store *s, int64_t commitment_id, int year, const char *delivered, const char *note,
			    int64_t by_user, struct fault *f)
{
	struct cobuild_agreement a;
	struct store_stmt *st;
	char kind[8], today[11], now[32];
	int64_t agreement_id, v, n = 0;
	int rc, first, last;

	if (store_get_by_id(s, SQL_COMMITMENT, commitment_id, "commitment", &st, f) < 0)
		return -1;
	agreement_id = store_column_int64(st, 0);
	store_column_copy(st, 1, kind, sizeof(kind));
	store_done(st);
	if (!strcmp(kind, "hours"))
		return fault_set(f, FAULT_CONFLICT, "kind",
				 "hours are counted from the unit's reported claims, never recorded by hand");
	if (cobuild_agreement_get(s, agreement_id, &a, f) < 0)
		return -1;
	first = atoi(a.starts_on);
	last = atoi(a.ends_on);
	cobuild_agreement_release(&a);
	date_today_local(today);
	if (year < first || year > last || year > atoi(today))
		return fault_set(f, FAULT_INVALID, "year", "year is one of the agreement's years (%d to %d), not in the future",
				 first, last);
	if (cobuild_amount_parse(kind, "delivered", delivered, &v, f) < 0 ||
	    check_text("note", note, NOTE_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (count_of(s, store_query(s, SQL_DELIVERED, "ii", commitment_id, (int64_t)year), &n, f) < 0)
		return -1;
	if (n)
		return fault_set(f, FAULT_CONFLICT, "year", "what was delivered in %d is already recorded", year);
	time_now_text(now);
	rc = store_run(s, SQL_DELIVERY_INSERT, "iiitIt", commitment_id, (int64_t)year, v, note && *note ? note : NULL,
		       by_user, now);
	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}

int cobuild_agreement_review(struct store *s, const struct cobuild_agreement *a, int year, struct cobuild_review *out,
			     struct fault *f)
{
	char from[11], to[11];
	struct store_stmt *st;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->year = year;
	if (year < atoi(a->starts_on) || year > atoi(a->ends_on))
		return fault_set(f, FAULT_INVALID, "year", "year is one of the agreement's years (%d to %d)",
				 atoi(a->starts_on), atoi(a->ends_on));
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	for (i = 0; i < a->n_commitments; i++) {
		const struct cobuild_commitment *c = &a->commitments[i];
		struct cobuild_review_line *l;

		YL_GROW(out->items, out->n, out->cap);
		l = &out->items[out->n++];
		memset(l, 0, sizeof(*l));
		l->commitment_id = c->id;
		memcpy(l->kind, c->kind, sizeof(l->kind));
		l->promised = c->per_year;
		if (!strcmp(c->kind, "hours")) {
			if (count_of(s, store_query(s, SQL_HOURS_SERVED, "itt", a->unit_id, from, to), &l->delivered, f) < 0)
				goto fail;
			l->recorded = 1;
			continue;
		}
		st = store_query(s, SQL_DELIVERY, "ii", c->id, (int64_t)year);
		if (store_next(st, &rc)) {
			l->delivered = store_column_int64(st, 0);
			l->recorded = 1;
			store_done(st);
		} else if (rc != STORE_DONE) {
			store_fault(s, rc, f);
			goto fail;
		}
	}
	return 0;
fail:
	cobuild_review_release(out);
	return -1;
}
