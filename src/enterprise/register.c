/*
 * register.c - the enterprise register: create, read, update and list
 * enterprises, and their status with its append-only history.
 *
 * Rules (issue 15): the unified social credit code is checked (GB 32100,
 * util/check.c) and unique; an enterprise sits on the tree (node_id, which
 * gives its subdistrict); "above scale" (规模以上, annual revenue >= 20 million
 * yuan) carries the month it became so, never a month in the future, so that
 * "new above-scale enterprises this year" is a range query.  A status change
 * writes the status and its history row in one transaction.
 */
#include "enterprise/enterprise.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_CHARS 100
#define LEGAL_REP_CHARS 50
#define INDUSTRY_NAME_CHARS 100
#define ADDRESS_CHARS 200
#define REASON_CHARS 500

void enterprise_release(struct enterprise *e)
{
	free(e->credit_code);
	free(e->name);
	free(e->legal_rep);
	free(e->industry_code);
	free(e->industry_name);
	free(e->address);
	free(e->created_at);
	free(e->updated_at);
	memset(e, 0, sizeof(*e));
}

void enterprise_list_release(struct enterprise_list *l)
{
	YL_LIST_RELEASE(l, enterprise_release);
}

static void status_entry_release(struct enterprise_status_entry *e)
{
	free(e->reason);
	free(e->created_at);
}

void enterprise_status_list_release(struct enterprise_status_list *l)
{
	YL_LIST_RELEASE(l, status_entry_release);
}

int enterprise_status_valid(const char *status)
{
	static const char *const all[] = { "operating", "suspended", "closed", "moved_out" };
	size_t i;

	for (i = 0; status && i < YL_ARRAY_LEN(all); i++)
		if (!strcmp(status, all[i]))
			return 1;
	return 0;
}

static int size_valid(const char *size)
{
	return size && (!strcmp(size, "large") || !strcmp(size, "medium") || !strcmp(size, "small") ||
			!strcmp(size, "micro"));
}

/* GB/T 4754-2017: a section letter A..T, then the division, group and class digits (2 to 4). */
static int industry_code_valid(const char *c)
{
	size_t n = strlen(c);

	if (n < 3 || n > 5 || c[0] < 'A' || c[0] > 'T')
		return 0;
	return strspn(c + 1, "0123456789") == n - 1;
}

#define ENTERPRISE_COLUMNS                                                                                     \
	"e.id, e.subdistrict_id, e.node_id, e.credit_code, e.name, e.legal_rep, e.industry_code, e.industry_name," \
	" e.address, e.size, e.above_scale, e.above_scale_since, e.status, e.created_at, e.updated_at"

static void read_enterprise(struct store_stmt *st, struct enterprise *e)
{
	memset(e, 0, sizeof(*e));
	e->id = store_column_int64(st, 0);
	e->subdistrict_id = store_column_int64(st, 1);
	e->node_id = store_column_int64(st, 2);
	e->credit_code = store_column_dup(st, 3);
	e->name = store_column_dup(st, 4);
	e->legal_rep = store_column_dup(st, 5);
	e->industry_code = store_column_dup(st, 6);
	e->industry_name = store_column_dup(st, 7);
	e->address = store_column_dup(st, 8);
	store_column_copy(st, 9, e->size, sizeof(e->size));
	e->above_scale = store_column_bool(st, 10);
	store_column_copy(st, 11, e->above_scale_since, sizeof(e->above_scale_since));
	store_column_copy(st, 12, e->status, sizeof(e->status));
	e->created_at = store_column_dup(st, 13);
	e->updated_at = store_column_dup(st, 14);
}

static const char SQL_BY_ID[] = "SELECT " ENTERPRISE_COLUMNS " FROM enterprises e WHERE e.id = ?";
static const char SQL_BY_CODE[] = "SELECT " ENTERPRISE_COLUMNS " FROM enterprises e WHERE e.credit_code = ?";
static const char SQL_CODE_TAKEN[] = "SELECT id FROM enterprises WHERE credit_code = ? AND id <> ?";
static const char SQL_NODE_SUBDISTRICT[] = "SELECT subdistrict_id FROM nodes WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO enterprises (subdistrict_id, node_id, credit_code, name, legal_rep, industry_code, industry_name,"
	" address, size, above_scale, above_scale_since, status, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'operating', ?, ?)";
static const char SQL_UPDATE[] =
	"UPDATE enterprises SET subdistrict_id = ?, node_id = ?, credit_code = ?, name = ?, legal_rep = ?,"
	" industry_code = ?, industry_name = ?, address = ?, size = ?, above_scale = ?, above_scale_since = ?,"
	" updated_at = ? WHERE id = ?";
static const char SQL_STATUS_INSERT[] =
	"INSERT INTO enterprise_status_history (subdistrict_id, enterprise_id, status, since, reason, user_id,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_STATUS_SET[] = "UPDATE enterprises SET status = ?, updated_at = ? WHERE id = ?";
static const char SQL_STATUS_LAST[] =
	"SELECT since FROM enterprise_status_history WHERE enterprise_id = ? ORDER BY id DESC LIMIT 1";
static const char SQL_STATUS_HISTORY[] =
	"SELECT id, status, since, reason, user_id, created_at FROM enterprise_status_history"
	" WHERE enterprise_id = ? ORDER BY id";

int enterprise_get(struct store *s, int64_t id, struct enterprise *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_BY_ID, id, "enterprise", &st, f) < 0)
		return -1;
	read_enterprise(st, out);
	store_done(st);
	return 0;
}

int enterprise_get_by_code(struct store *s, const char *code, struct enterprise *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_BY_CODE, "t", code);
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_next(st, &rc)) {
		read_enterprise(st, out);
		store_done(st);
		return 0;
	}
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, "credit_code", "no enterprise has the credit code %s", code);
	return store_fault(s, rc, f);
}

/* The subdistrict of an org node named in field; 400 on that field when there is no such node. */
static int node_subdistrict(struct store *s, int64_t node_id, const char *field, int64_t *out, struct fault *f)
{
	struct store_stmt *st;

	if (store_get_by_id(s, SQL_NODE_SUBDISTRICT, node_id, "node", &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, field, "node %lld does not exist", (long long)node_id);
		return -1;
	}
	*out = store_column_int64(st, 0);
	store_done(st);
	if (!*out)
		*out = node_id;
	return 0;
}

static int code_free(struct store *s, const char *code, int64_t self, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_CODE_TAKEN, "ti", code, self);
	int rc, taken = store_next(st, &rc);

	if (taken) {
		int64_t other = store_column_int64(st, 0);

		store_done(st);
		return fault_set(f, FAULT_CONFLICT, "credit_code", "enterprise %lld already has the credit code %s",
				 (long long)other, code);
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

/* The row an input makes of cur (a create starts from an empty one); every field checked. */
static int apply_input(const struct enterprise_input *in, int create, struct enterprise *r, struct fault *f)
{
	if (create || in->credit_code) {
		if (!in->credit_code)
			return fault_set(f, FAULT_INVALID, "credit_code", "credit_code is required");
		if (!uscc_valid(in->credit_code))
			return fault_set(f, FAULT_INVALID, "credit_code",
					 "credit_code is not a unified social credit code (GB 32100: 18 characters,"
					 " the last a check character)");
	}
	if (check_text("name", in->name, NAME_CHARS, create ? TEXT_REQUIRED : TEXT_NOT_BLANK, f) < 0 ||
	    check_text("legal_rep", in->legal_rep, LEGAL_REP_CHARS, TEXT_NOT_BLANK, f) < 0 ||
	    check_text("industry_name", in->industry_name, INDUSTRY_NAME_CHARS, TEXT_NOT_BLANK, f) < 0 ||
	    check_text("address", in->address, ADDRESS_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	if (in->industry_code && !industry_code_valid(in->industry_code))
		return fault_set(f, FAULT_INVALID, "industry_code",
				 "industry_code is a GB/T 4754 code: a section letter and 2 to 4 digits, as C2614");
	if (in->size && !size_valid(in->size))
		return fault_set(f, FAULT_INVALID, "size", "size is large, medium, small or micro");
	if (create && !in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required: where the enterprise is");
	if (in->credit_code) {
		free(r->credit_code);
		r->credit_code = xstrdup(in->credit_code);
	}
	if (in->name) {
		free(r->name);
		r->name = xstrdup(in->name);
	}
#define SET_TEXT(field)                                              \
	if (in->field || in->set_##field) {                          \
		free(r->field);                                      \
		r->field = xstrdup_or_null(in->field);               \
	}
	SET_TEXT(legal_rep)
	SET_TEXT(industry_code)
	SET_TEXT(industry_name)
	SET_TEXT(address)
#undef SET_TEXT
	if (in->size)
		snprintf(r->size, sizeof(r->size), "%s", in->size);
	else if (create)
		snprintf(r->size, sizeof(r->size), "small");
	if (in->node_id)
		r->node_id = in->node_id;
	if (in->set_above_scale) {
		r->above_scale = in->above_scale;
		if (!in->above_scale) {
			if (in->above_scale_since)
				return fault_set(f, FAULT_INVALID, "above_scale_since",
						 "above_scale_since is only for an above-scale enterprise");
			r->above_scale_since[0] = '\0';
		}
	}
	if (in->above_scale_since) {
		if (!r->above_scale)
			return fault_set(f, FAULT_INVALID, "above_scale_since",
					 "above_scale_since is only for an above-scale enterprise");
		if (enterprise_month_check("above_scale_since", in->above_scale_since, f) < 0)
			return -1;
		snprintf(r->above_scale_since, sizeof(r->above_scale_since), "%s", in->above_scale_since);
	}
	if (r->above_scale && !r->above_scale_since[0])
		return fault_set(f, FAULT_INVALID, "above_scale_since",
				 "above_scale_since is required: the month the enterprise became above scale (YYYY-MM)");
	return 0;
}

static struct store_stmt *bind_row(struct store *s, const char *sql, const struct enterprise *r, const char *now)
{
	struct store_stmt *st = store_prepare(s, sql);

	store_bind_int64(st, 1, r->subdistrict_id);
	store_bind_int64(st, 2, r->node_id);
	store_bind_text(st, 3, r->credit_code);
	store_bind_text(st, 4, r->name);
	store_bind_text(st, 5, r->legal_rep);
	store_bind_text(st, 6, r->industry_code);
	store_bind_text(st, 7, r->industry_name);
	store_bind_text(st, 8, r->address);
	store_bind_text(st, 9, r->size);
	store_bind_int64(st, 10, r->above_scale);
	store_bind_text(st, 11, r->above_scale_since[0] ? r->above_scale_since : NULL);
	store_bind_text(st, 12, now);
	return st;
}

int enterprise_create(struct store *s, const struct enterprise_input *in, int64_t *id, struct fault *f)
{
	struct enterprise r;
	struct store_stmt *st;
	char now[32], today[11];
	const char *since = in->status_since;
	int rc;

	*id = 0;
	memset(&r, 0, sizeof(r));
	if (apply_input(in, 1, &r, f) < 0)
		goto fail_quiet;
	if (since && enterprise_past_date_check("status_since", since, f) < 0)
		goto fail_quiet;
	if (!since) {
		date_today_local(today);
		since = today;
	}
	if (node_subdistrict(s, r.node_id, "node_id", &r.subdistrict_id, f) < 0)
		goto fail_quiet;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_quiet;
	}
	if (code_free(s, r.credit_code, 0, f) < 0)
		goto fail;
	time_now_text(now);
	st = bind_row(s, SQL_INSERT, &r, now);
	store_bind_text(st, 13, now);
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if ((rc = store_run(s, SQL_STATUS_INSERT, "iitttIt", r.subdistrict_id, *id, "operating", since, (const char *)NULL,
			    in->user_id, now)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_quiet;
	}
	enterprise_release(&r);
	return 0;
fail:
	store_rollback(s);
fail_quiet:
	*id = 0;
	enterprise_release(&r);
	return -1;
}

int enterprise_update(struct store *s, int64_t id, const struct enterprise_input *in, struct fault *f)
{
	struct enterprise r;
	struct store_stmt *st;
	char now[32];
	int rc;

	if (enterprise_get(s, id, &r, f) < 0)
		return -1;
	if (apply_input(in, 0, &r, f) < 0)
		goto fail_quiet;
	if (in->node_id && node_subdistrict(s, r.node_id, "node_id", &r.subdistrict_id, f) < 0)
		goto fail_quiet;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_quiet;
	}
	if (code_free(s, r.credit_code, id, f) < 0)
		goto fail;
	time_now_text(now);
	st = bind_row(s, SQL_UPDATE, &r, now);
	store_bind_int64(st, 13, id);
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_quiet;
	}
	enterprise_release(&r);
	return 0;
fail:
	store_rollback(s);
fail_quiet:
	enterprise_release(&r);
	return -1;
}

int enterprise_set_status(struct store *s, int64_t id, const char *status, const char *since, const char *reason,
			  int64_t user_id, struct fault *f)
{
	struct enterprise e;
	struct store_stmt *st;
	char now[32], today[11], last[11] = "";
	int rc;

	if (!enterprise_status_valid(status))
		return fault_set(f, FAULT_INVALID, "status", "status is operating, suspended, closed or moved_out");
	if (since && enterprise_past_date_check("since", since, f) < 0)
		return -1;
	if (check_text("reason", reason, REASON_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	if (!since) {
		date_today_local(today);
		since = today;
	}
	if (enterprise_get(s, id, &e, f) < 0)
		return -1;
	if (!strcmp(e.status, status)) {
		fault_set(f, FAULT_CONFLICT, "status", "the enterprise is already %s", status);
		enterprise_release(&e);
		return -1;
	}
	if ((rc = store_begin_write(s)) != STORE_OK) {
		enterprise_release(&e);
		return store_fault(s, rc, f);
	}
	st = store_query(s, SQL_STATUS_LAST, "i", id);
	if (store_next(st, &rc)) {
		store_column_copy(st, 0, last, sizeof(last));
		store_done(st);
	} else if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (strcmp(since, last) < 0) {
		fault_set(f, FAULT_INVALID, "since", "since must not be before the last change of status (%s)", last);
		goto fail;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_STATUS_INSERT, "iitttIt", e.subdistrict_id, id, status, since, reason, user_id,
			    now)) != STORE_OK ||
	    (rc = store_run(s, SQL_STATUS_SET, "tti", status, now, id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	enterprise_release(&e);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	enterprise_release(&e);
	return -1;
}

int enterprise_status_history(struct store *s, int64_t id, struct enterprise_status_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_STATUS_HISTORY, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct enterprise_status_entry *e;

		YL_GROW(out->items, out->n, out->cap);
		e = &out->items[out->n++];
		memset(e, 0, sizeof(*e));
		e->id = store_column_int64(st, 0);
		store_column_copy(st, 1, e->status, sizeof(e->status));
		store_column_copy(st, 2, e->since, sizeof(e->since));
		e->reason = store_column_dup(st, 3);
		e->user_id = store_column_int64(st, 4);
		e->created_at = store_column_dup(st, 5);
	}
	if (rc != STORE_DONE) {
		enterprise_status_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/*
 * One statement for every filter: an absent filter binds a value that makes
 * its clause true (0 or NULL), so the SQL stays a constant.  The cadre clauses
 * ask who holds a role today.
 */
#define LIST_WHERE                                                                                             \
	" WHERE (CAST(? AS INTEGER) = 0 OR e.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS TEXT) IS NULL OR instr(e.name, ?) > 0 OR e.credit_code = ?)"                             \
	" AND (CAST(? AS TEXT) IS NULL OR e.status = ?)"                                                           \
	" AND (CAST(? AS INTEGER) < 0 OR e.above_scale = ?)"                                                       \
	" AND (CAST(? AS TEXT) IS NULL OR e.above_scale_since >= ?)"                                               \
	" AND (CAST(? AS TEXT) IS NULL OR e.above_scale_since <= ?)"                                               \
	" AND (CAST(? AS INTEGER) = 0 OR e.id IN (SELECT c.enterprise_id FROM enterprise_cadres c"                \
	"  WHERE c.user_id = ? AND c.starts_on <= ? AND (c.ends_on IS NULL OR c.ends_on >= ?)))"                 \
	" AND (CAST(? AS TEXT) IS NULL OR e.id NOT IN (SELECT c.enterprise_id FROM enterprise_cadres c"           \
	"  WHERE c.role = ? AND c.starts_on <= ? AND (c.ends_on IS NULL OR c.ends_on >= ?)))"

static const char SQL_LIST_COUNT[] = "SELECT count(*) FROM enterprises e" LIST_WHERE;
static const char SQL_LIST[] =
	"SELECT " ENTERPRISE_COLUMNS " FROM enterprises e" LIST_WHERE " ORDER BY e.id LIMIT ? OFFSET ?";

static void bind_filter(struct store_stmt *st, const struct enterprise_filter *flt, const char *today)
{
	int i = 1;

	store_bind_int64(st, i++, flt->under_id);
	store_bind_int64(st, i++, flt->under_id);
	store_bind_text(st, i++, flt->q);
	store_bind_text(st, i++, flt->q);
	store_bind_text(st, i++, flt->q);
	store_bind_text(st, i++, flt->status);
	store_bind_text(st, i++, flt->status);
	store_bind_int64(st, i++, flt->above_scale);
	store_bind_int64(st, i++, flt->above_scale);
	store_bind_text(st, i++, flt->above_scale_from);
	store_bind_text(st, i++, flt->above_scale_from);
	store_bind_text(st, i++, flt->above_scale_to);
	store_bind_text(st, i++, flt->above_scale_to);
	store_bind_int64(st, i++, flt->cadre_user_id);
	store_bind_int64(st, i++, flt->cadre_user_id);
	store_bind_text(st, i++, today);
	store_bind_text(st, i++, today);
	store_bind_text(st, i++, flt->without_cadre);
	store_bind_text(st, i++, flt->without_cadre);
	store_bind_text(st, i++, today);
	store_bind_text(st, i++, today);
	if (flt->limit > 0) {
		store_bind_int64(st, i++, flt->limit);
		store_bind_int64(st, i++, flt->offset > 0 ? flt->offset : 0);
	}
}

int enterprise_list(struct store *s, const struct enterprise_filter *flt, struct enterprise_list *out,
		    struct fault *f)
{
	struct enterprise_filter page = *flt;
	struct store_stmt *st;
	char today[11];
	int rc;

	memset(out, 0, sizeof(*out));
	if (page.limit <= 0)
		page.limit = 50;
	if (page.status && !enterprise_status_valid(page.status))
		return fault_set(f, FAULT_INVALID, "status", "status is operating, suspended, closed or moved_out");
	if (page.without_cadre && !enterprise_cadre_role_valid(page.without_cadre))
		return fault_set(f, FAULT_INVALID, "without_cadre", "without_cadre is leader or officer");
	/* A range may end in a month still to come ("this year" is January to December on any day of it);
	 * it cannot start there, for nobody has become above scale in the future. */
	if (page.above_scale_from && enterprise_month_check("above_scale_from", page.above_scale_from, f) < 0)
		return -1;
	if (page.above_scale_to && !enterprise_month_valid(page.above_scale_to))
		return fault_set(f, FAULT_INVALID, "above_scale_to", "above_scale_to must be a month as YYYY-MM");
	date_today_local(today);
	st = store_prepare(s, SQL_LIST_COUNT);
	bind_filter(st, &(struct enterprise_filter){ .under_id = page.under_id, .q = page.q, .status = page.status,
						     .above_scale = page.above_scale,
						     .above_scale_from = page.above_scale_from,
						     .above_scale_to = page.above_scale_to,
						     .cadre_user_id = page.cadre_user_id,
						     .without_cadre = page.without_cadre },
		    today);
	if (store_next(st, &rc)) {
		out->total = store_column_int64(st, 0);
		store_done(st);
	} else {
		return store_fault(s, rc, f);
	}
	st = store_prepare(s, SQL_LIST);
	bind_filter(st, &page, today);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_enterprise(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		enterprise_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
