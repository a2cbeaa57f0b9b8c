/*
 * mediation.c - mediation cases (民事调解, issue 17 part 5) and 红白理事会
 * filings.  A case opens with its place, kind and summary; parties and
 * sessions are added while it is open; it ends settled (with the agreement
 * and the level where it was settled), referred (to whom) or withdrawn, on a
 * day not before it opened.  Summary, session notes and agreement are
 * encrypted at rest (pii_encrypt) and decrypted when read; phones too.
 */
#include "council/council_internal.h"
#include "auth/pii.h"
#include "org/org.h"
#include "util/check.h"
#include "util/util.h"
#include "workorder/workorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_CHARS 100
#define TEXT_CHARS 5000

static const char *const KINDS[] = { "neighbours", "family", "property", "rent", "debt", "other", NULL };

static int word_in(const char *const *words, const char *w)
{
	size_t i;

	for (i = 0; w && words[i]; i++)
		if (!strcmp(words[i], w))
			return 1;
	return 0;
}

static void party_release(struct mediation_party *p)
{
	free(p->name);
	free(p->phone);
	memset(p, 0, sizeof(*p));
}

void mediation_case_release(struct mediation_case *c)
{
	size_t i;

	free(c->summary);
	free(c->agreement);
	free(c->mediator_name);
	free(c->referred_to);
	free(c->created_at);
	for (i = 0; i < c->nparties; i++)
		party_release(&c->parties[i]);
	free(c->parties);
	for (i = 0; i < c->nsessions; i++)
		free(c->sessions[i].notes);
	free(c->sessions);
	memset(c, 0, sizeof(*c));
}

void mediation_case_list_release(struct mediation_case_list *l)
{
	YL_LIST_RELEASE(l, mediation_case_release);
}

static const char SQL_CASE_INSERT[] =
	"INSERT INTO mediation_cases (subdistrict_id, node_id, kind, summary_enc, mediator_user_id, mediator_name,"
	" opened_on, work_order_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static int case_insert(struct store *s, const struct mediation_input *in, int64_t work_order_id, int64_t by_user,
		       int64_t *id, struct fault *f)
{
	char today[11], now[32], *sealed;
	const char *opened = in->opened_on;
	int64_t sub;
	int level, rc;

	*id = 0;
	if (!in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required: where the dispute is");
	if (!word_in(KINDS, in->kind))
		return fault_set(f, FAULT_INVALID, "kind", "kind is neighbours, family, property, rent, debt or other");
	if (check_text("summary", in->summary, TEXT_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("mediator_name", in->mediator_name, NAME_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	date_today_local(today);
	if (!opened)
		opened = today;
	if (council_date("opened_on", opened, f) < 0)
		return -1;
	if (strcmp(opened, today) > 0)
		return fault_set(f, FAULT_INVALID, "opened_on", "opened_on must not be in the future");
	if (council_node_of(s, in->node_id, "node_id", &sub, &level, f) < 0)
		return -1;
	if (in->mediator_user_id && council_user_check(s, sub, in->mediator_user_id, "mediator_user_id", f) < 0)
		return -1;
	sealed = pii_encrypt(in->summary);
	time_now_text(now);
	rc = store_run(s, SQL_CASE_INSERT, "iittIttIIt", sub, in->node_id, in->kind, sealed, in->mediator_user_id,
		       in->mediator_name, opened, work_order_id, by_user, now);
	free(sealed);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

int mediation_case_create(struct store *s, const struct mediation_input *in, int64_t by_user, int64_t *id,
			  struct fault *f)
{
	return case_insert(s, in, 0, by_user, id, f);
}

static const char SQL_CASE_OF_ORDER[] = "SELECT id FROM mediation_cases WHERE work_order_id = ?";
/* Rule of issue 17: only a work order of the 邻里纠纷 kind becomes a case. */
#define NEIGHBOUR_ROOT "邻里纠纷"

int mediation_case_from_order(struct store *s, int64_t work_order_id, int64_t mediator_user_id, int64_t by_user,
			      int64_t *id, struct fault *f)
{
	struct mediation_input in = { 0 };
	struct wo_order o;
	int64_t other = 0, pid;
	int rc, ret = -1;

	*id = 0;
	if (wo_get(s, work_order_id, &o, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "work_order_id", "work order %lld does not exist", (long long)work_order_id);
		return -1;
	}
	if (!o.category_path || strncmp(o.category_path, NEIGHBOUR_ROOT, strlen(NEIGHBOUR_ROOT))) {
		fault_set(f, FAULT_INVALID, "work_order_id", "only a work order of the 邻里纠纷 kind becomes a mediation case");
		goto out;
	}
	rc = store_query_int64(s, SQL_CASE_OF_ORDER, &other, 1, work_order_id);
	if (rc == STORE_OK) {
		fault_set(f, FAULT_CONFLICT, "work_order_id", "work order %lld is mediation case %lld already",
			  (long long)work_order_id, (long long)other);
		goto out;
	} else if (rc != STORE_NOTFOUND) {
		store_fault(s, rc, f);
		goto out;
	}
	in.node_id = o.node_id;
	in.kind = "neighbours";
	in.summary = o.text;
	in.mediator_user_id = mediator_user_id;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	if (case_insert(s, &in, work_order_id, by_user, id, f) < 0 ||
	    (o.caller_name && mediation_party_add(s, *id, o.caller_name, "applicant", 0, o.caller_phone, &pid, f) < 0)) {
		store_rollback(s);
		*id = 0;
		goto out;
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		*id = 0;
		goto out;
	}
	ret = 0;
out:
	wo_order_release(&o);
	return ret;
}

#define CASE_COLUMNS                                                                                        \
	"id, subdistrict_id, node_id, kind, summary_enc, mediator_user_id, mediator_name, opened_on, status,"  \
	" settled_level, agreement_enc, referred_to, closed_on, work_order_id, created_by, created_at"

static void read_case(struct store_stmt *st, struct mediation_case *c, int sensitive)
{
	memset(c, 0, sizeof(*c));
	c->id = store_column_int64(st, 0);
	c->subdistrict_id = store_column_int64(st, 1);
	c->node_id = store_column_int64(st, 2);
	store_column_copy(st, 3, c->kind, sizeof(c->kind));
	if (sensitive)
		c->summary = pii_decrypt(store_column_text(st, 4));
	c->mediator_user_id = store_column_int64(st, 5);
	c->mediator_name = store_column_dup(st, 6);
	store_column_copy(st, 7, c->opened_on, sizeof(c->opened_on));
	store_column_copy(st, 8, c->status, sizeof(c->status));
	store_column_copy(st, 9, c->settled_level, sizeof(c->settled_level));
	if (sensitive)
		c->agreement = pii_decrypt(store_column_text(st, 10));
	c->referred_to = store_column_dup(st, 11);
	store_column_copy(st, 12, c->closed_on, sizeof(c->closed_on));
	c->work_order_id = store_column_int64(st, 13);
	c->created_by = store_column_int64(st, 14);
	c->created_at = store_column_dup(st, 15);
}

static const char SQL_CASE_BY_ID[] = "SELECT " CASE_COLUMNS " FROM mediation_cases WHERE id = ?";
static const char SQL_PARTIES[] =
	"SELECT id, person_id, role, name, phone_enc FROM mediation_parties WHERE case_id = ? ORDER BY id";
static const char SQL_SESSIONS[] =
	"SELECT id, by_user_id, held_on, notes_enc FROM mediation_sessions WHERE case_id = ? ORDER BY held_on, id";

static int read_parties(struct store *s, struct mediation_case *c, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_PARTIES, "i", c->id);
	size_t cap = 0;
	int rc;

	while (store_next(st, &rc)) {
		struct mediation_party *p;

		YL_GROW(c->parties, c->nparties, cap);
		p = &c->parties[c->nparties++];
		memset(p, 0, sizeof(*p));
		p->id = store_column_int64(st, 0);
		p->person_id = store_column_int64(st, 1);
		store_column_copy(st, 2, p->role, sizeof(p->role));
		p->name = store_column_dup(st, 3);
		p->phone = pii_decrypt(store_column_text(st, 4));
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

int mediation_case_get(struct store *s, int64_t id, struct mediation_case *out, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_CASE_BY_ID, id, "mediation case", &st, f) < 0)
		return -1;
	read_case(st, out, 1);
	store_done(st);
	if (read_parties(s, out, f) < 0)
		goto fail;
	st = store_query(s, SQL_SESSIONS, "i", id);
	while (store_next(st, &rc)) {
		struct mediation_session *x;

		YL_GROW(out->sessions, out->nsessions, cap);
		x = &out->sessions[out->nsessions++];
		memset(x, 0, sizeof(*x));
		x->id = store_column_int64(st, 0);
		x->by_user_id = store_column_int64(st, 1);
		store_column_copy(st, 2, x->held_on, sizeof(x->held_on));
		x->notes = pii_decrypt(store_column_text(st, 3));
	}
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	return 0;
fail:
	mediation_case_release(out);
	return -1;
}

#define UNDER_NODE "(CAST(? AS INTEGER) = 0 OR node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
static const char SQL_CASE_LIST[] =
	"SELECT " CASE_COLUMNS " FROM mediation_cases WHERE " UNDER_NODE " ORDER BY id DESC LIMIT ? OFFSET ?";
static const char SQL_CASE_COUNT[] = "SELECT count(*) FROM mediation_cases WHERE " UNDER_NODE;

int mediation_case_list(struct store *s, int64_t under, int limit, int offset, struct mediation_case_list *out,
			int64_t *total, struct fault *f)
{
	struct store_stmt *st;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_CASE_COUNT, "ii", under, under);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_CASE_LIST, "iiii", under, under, (int64_t)limit, (int64_t)offset);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		/* a list carries no sensitive text */
		read_case(st, &out->items[out->n++], 0);
	}
	if (rc != STORE_DONE) {
		mediation_case_list_release(out);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < out->n; i++)
		if (read_parties(s, &out->items[i], f) < 0) {
			mediation_case_list_release(out);
			return -1;
		}
	return 0;
}

static const char SQL_CASE_STATUS[] = "SELECT status, opened_on FROM mediation_cases WHERE id = ?";

/* The case exists and is open: 0, or -1 (404, or 409 naming status). */
static int case_open(struct store *s, int64_t id, char opened[11], struct fault *f)
{
	struct store_stmt *st;
	char status[10];

	if (store_get_by_id(s, SQL_CASE_STATUS, id, "mediation case", &st, f) < 0)
		return -1;
	store_column_copy(st, 0, status, sizeof(status));
	store_column_copy(st, 1, opened, 11);
	store_done(st);
	if (strcmp(status, "open"))
		return fault_set(f, FAULT_CONFLICT, "status", "mediation case %lld is %s", (long long)id, status);
	return 0;
}

static const char SQL_PERSON[] = "SELECT id FROM persons WHERE id = ?";
static const char SQL_PARTY_INSERT[] =
	"INSERT INTO mediation_parties (case_id, person_id, name, role, phone_enc, created_at) VALUES (?, ?, ?, ?, ?, ?)";

int mediation_party_add(struct store *s, int64_t case_id, const char *name, const char *role, int64_t person_id,
			const char *phone, int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	char opened[11], now[32], *norm = NULL, *sealed = NULL;
	int rc;

	*id = 0;
	if (check_text("name", name, NAME_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!role || (strcmp(role, "applicant") && strcmp(role, "respondent") && strcmp(role, "other")))
		return fault_set(f, FAULT_INVALID, "role", "role is applicant, respondent or other");
	if (phone_normalise("phone", phone, &norm, f) < 0)
		return -1;
	if (case_open(s, case_id, opened, f) < 0)
		goto fail;
	if (person_id) {
		if (store_get_by_id(s, SQL_PERSON, person_id, "person", &st, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "person_id", "person %lld does not exist", (long long)person_id);
			goto fail;
		}
		store_done(st);
	}
	sealed = pii_encrypt(norm);
	time_now_text(now);
	rc = store_run(s, SQL_PARTY_INSERT, "iIttt" "t", case_id, person_id, name, role, sealed, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	free(norm);
	free(sealed);
	return 0;
fail:
	free(norm);
	free(sealed);
	return -1;
}

static const char SQL_SESSION_INSERT[] =
	"INSERT INTO mediation_sessions (case_id, held_on, notes_enc, by_user_id, created_at) VALUES (?, ?, ?, ?, ?)";

int mediation_session_add(struct store *s, int64_t case_id, const char *held_on, const char *notes, int64_t by_user,
			  int64_t *id, struct fault *f)
{
	char opened[11], today[11], now[32], *sealed;
	int rc;

	*id = 0;
	if (council_date("held_on", held_on, f) < 0 || check_text("notes", notes, TEXT_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	date_today_local(today);
	if (strcmp(held_on, today) > 0)
		return fault_set(f, FAULT_INVALID, "held_on", "held_on must not be in the future");
	if (case_open(s, case_id, opened, f) < 0)
		return -1;
	if (strcmp(held_on, opened) < 0)
		return fault_set(f, FAULT_INVALID, "held_on", "held_on must not come before the case opened (%s)", opened);
	sealed = pii_encrypt(notes);
	time_now_text(now);
	rc = store_run(s, SQL_SESSION_INSERT, "ittIt", case_id, held_on, sealed, by_user, now);
	free(sealed);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

static const char SQL_CASE_CLOSE[] =
	"UPDATE mediation_cases SET status = ?, settled_level = ?, agreement_enc = ?, referred_to = ?, closed_on = ?"
	" WHERE id = ? AND status = 'open'";

int mediation_case_close(struct store *s, int64_t id, const char *outcome, const char *level, const char *agreement,
			 const char *referred_to, const char *closed_on, struct fault *f)
{
	char opened[11], today[11], *sealed = NULL;
	int settled, rc;

	if (!outcome || (strcmp(outcome, "settled") && strcmp(outcome, "referred") && strcmp(outcome, "withdrawn")))
		return fault_set(f, FAULT_INVALID, "outcome", "outcome is settled, referred or withdrawn");
	settled = !strcmp(outcome, "settled");
	if (settled) {
		if (!level || (strcmp(level, "courtyard") && strcmp(level, "community") && strcmp(level, "above")))
			return fault_set(f, FAULT_INVALID, "level", "a settled case says where: courtyard, community or above");
		if (check_text("agreement", agreement, TEXT_CHARS, TEXT_REQUIRED, f) < 0)
			return -1;
	} else if (level || agreement) {
		return fault_set(f, FAULT_INVALID, level ? "level" : "agreement", "only a settled case has a level and an agreement");
	}
	if (!strcmp(outcome, "referred")) {
		if (check_text("referred_to", referred_to, NAME_CHARS, TEXT_REQUIRED, f) < 0)
			return -1;
	} else if (referred_to) {
		return fault_set(f, FAULT_INVALID, "referred_to", "only a referred case names where it went");
	}
	date_today_local(today);
	if (!closed_on)
		closed_on = today;
	if (council_date("closed_on", closed_on, f) < 0)
		return -1;
	if (strcmp(closed_on, today) > 0)
		return fault_set(f, FAULT_INVALID, "closed_on", "closed_on must not be in the future");
	if (case_open(s, id, opened, f) < 0)
		return -1;
	if (strcmp(closed_on, opened) < 0)
		return fault_set(f, FAULT_INVALID, "closed_on", "closed_on must not come before the case opened (%s)", opened);
	if (settled)
		sealed = pii_encrypt(agreement);
	rc = store_run(s, SQL_CASE_CLOSE, "ttttti", outcome, settled ? level : NULL, sealed, referred_to, closed_on, id);
	free(sealed);
	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}

/* 红白理事会. */

static void filing_release(struct red_white_filing *x)
{
	free(x->family_name);
	memset(x, 0, sizeof(*x));
}

void red_white_list_release(struct red_white_list *l)
{
	YL_LIST_RELEASE(l, filing_release);
}

static const char SQL_FILING_INSERT[] =
	"INSERT INTO red_white_filings (subdistrict_id, node_id, kind, held_on, family_name, tables, frugal_pledge,"
	" created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

int red_white_file(struct store *s, int64_t node_id, const char *kind, const char *held_on, const char *family_name,
		   int tables, int frugal_pledge, int64_t by_user, int64_t *id, struct fault *f)
{
	char now[32];
	int64_t sub;
	int level, rc;

	*id = 0;
	if (!kind || (strcmp(kind, "wedding") && strcmp(kind, "funeral")))
		return fault_set(f, FAULT_INVALID, "kind", "kind is wedding or funeral");
	if (council_date("held_on", held_on, f) < 0 ||
	    check_text("family_name", family_name, NAME_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (tables < 0 || tables > 200)
		return fault_set(f, FAULT_INVALID, "tables", "tables is 0 to 200");
	if (!node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required: the family's courtyard or home");
	if (council_node_of(s, node_id, "node_id", &sub, &level, f) < 0)
		return -1;
	time_now_text(now);
	rc = store_run(s, SQL_FILING_INSERT, "iitttiiIt", sub, node_id, kind, held_on, family_name, (int64_t)tables,
		       (int64_t)(frugal_pledge ? 1 : 0), by_user, now);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

static const char SQL_FILINGS[] =
	"SELECT id, node_id, kind, held_on, family_name, tables, frugal_pledge FROM red_white_filings WHERE " UNDER_NODE
	" ORDER BY held_on DESC, id DESC LIMIT ? OFFSET ?";
static const char SQL_FILINGS_COUNT[] = "SELECT count(*) FROM red_white_filings WHERE " UNDER_NODE;

int red_white_list(struct store *s, int64_t under, int limit, int offset, struct red_white_list *out, int64_t *total,
		   struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_FILINGS_COUNT, "ii", under, under);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_FILINGS, "iiii", under, under, (int64_t)limit, (int64_t)offset);
	while (store_next(st, &rc)) {
		struct red_white_filing *x;

		YL_GROW(out->items, out->n, out->cap);
		x = &out->items[out->n++];
		x->id = store_column_int64(st, 0);
		x->node_id = store_column_int64(st, 1);
		store_column_copy(st, 2, x->kind, sizeof(x->kind));
		store_column_copy(st, 3, x->held_on, sizeof(x->held_on));
		x->family_name = store_column_dup(st, 4);
		x->tables = (int)store_column_int64(st, 5);
		x->frugal_pledge = (int)store_column_int64(st, 6);
	}
	if (rc != STORE_DONE) {
		red_white_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
