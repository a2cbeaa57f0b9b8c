/*
 * config.c - categories, routing rules, time limits and the sweep policy as
 * their administrators change them (config.h).  Each function checks its
 * input, writes in one write transaction (nested in the caller's when there
 * is one) and counts the open orders the change concerns, which keep what they
 * have: no change here reaches back into an open order.
 */
#include "workorder/config.h"
#include "workorder/wo_internal.h"
#include "util/check.h"
#include "util/util.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_CHARS 40
#define CODE_BYTES 40
#define NOTE_CHARS 200
/* An order still being worked on: what a change of the configuration could concern. */
#define OPEN_STATES "w.state NOT IN ('closed', 'answered')"

static const char *const TYPES[] = { "consultation", "help", "complaint", "report", "suggestion" };
static const char *const URGENCIES[] = { "normal", "urgent" };

static int in_words(const char *v, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v, words[i]))
			return 1;
	return 0;
}

static int check_level(const char *field, const char *v, int allow_subdistrict, struct fault *f)
{
	if (v && (!strcmp(v, "courtyard") || !strcmp(v, "community") ||
		  (allow_subdistrict && !strcmp(v, "subdistrict"))))
		return 0;
	return fault_set(f, FAULT_INVALID, field, "%s must be %s", field,
			 allow_subdistrict ? "courtyard, community or subdistrict" : "courtyard or community");
}

static int check_code(const char *v, struct fault *f)
{
	size_t i, n = v ? strlen(v) : 0;

	if (!n || n > CODE_BYTES)
		return fault_set(f, FAULT_INVALID, "code", "code is 1 to %d letters, digits, '.', '_' or '-'", CODE_BYTES);
	for (i = 0; i < n; i++) {
		char c = v[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return fault_set(f, FAULT_INVALID, "code", "code is 1 to %d letters, digits, '.', '_' or '-'",
					 CODE_BYTES);
	}
	return 0;
}

/* A category name is one part of a path: no '>' (the hotline's separator). */
static int check_name(const char *v, int required, struct fault *f)
{
	if (check_text("name", v, NAME_CHARS, required ? TEXT_REQUIRED : TEXT_OPTIONAL, f) < 0)
		return -1;
	if (v && (strchr(v, '>') || strstr(v, "\xef\xbc\x9e")))
		return fault_set(f, FAULT_INVALID, "name", "a category name holds no '>': it separates the levels of a path");
	return 0;
}

static int count_open(struct store *s, const char *sql, int64_t *open, int nparams, int64_t a, int64_t b,
		      struct fault *f)
{
	int rc = nparams == 2 ? store_query_int64(s, sql, open, 2, a, b) : store_query_int64(s, sql, open, nparams, a);

	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

/* ---- categories ---- */

static const char SQL_CAT_PARENT[] = "SELECT parent_id FROM wo_categories WHERE id = ?";
static const char SQL_CAT_CODE[] = "SELECT id FROM wo_categories WHERE code = ?";
static const char SQL_CAT_SIBLING[] =
	"SELECT id FROM wo_categories WHERE name = ? AND id <> ? AND"
	" (parent_id = ? OR (parent_id IS NULL AND CAST(? AS INTEGER) = 0))";
static const char SQL_CAT_INSERT[] =
	"INSERT INTO wo_categories (parent_id, code, name, route_level, active, sort) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_CAT_OPEN[] =
	"SELECT COUNT(*) FROM work_orders w JOIN wo_categories c ON c.id = w.category_id"
	" WHERE (c.id = ? OR c.parent_id = ?) AND " OPEN_STATES;

/* 0 when name is free among the children of parent (0: the roots), else a conflict. */
static int name_free(struct store *s, const char *name, int64_t parent, int64_t self, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_CAT_SIBLING);
	int rc;

	store_bind_text(st, 1, name);
	store_bind_int64(st, 2, self);
	store_bind_int64(st, 3, parent);
	store_bind_int64(st, 4, parent);
	rc = store_step(st);
	store_done(st);
	if (rc == STORE_ROW)
		return fault_set(f, FAULT_CONFLICT, "name", "a category '%s' is already at that level", name);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

int wo_category_create(struct store *s, const struct wo_category_input *in, int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	int64_t v;
	int rc;

	if (check_code(in->code, f) < 0 || check_name(in->name, 1, f) < 0 ||
	    (in->route_level && check_level("route_level", in->route_level, 1, f) < 0))
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (in->parent_id) {
		rc = store_query_int64(s, SQL_CAT_PARENT, &v, 1, in->parent_id);
		if (rc == STORE_NOTFOUND) {
			fault_set(f, FAULT_INVALID, "parent_id", "category %lld does not exist", (long long)in->parent_id);
			goto fail;
		}
		if (rc != STORE_OK) {
			store_fault(s, rc, f);
			goto fail;
		}
		if (v) {
			/* Two levels, as the engine's figures and Open311 services read the tree. */
			fault_set(f, FAULT_INVALID, "parent_id", "category %lld is itself below another: the tree has two levels",
				  (long long)in->parent_id);
			goto fail;
		}
	}
	{
		struct store_stmt *q = store_prepare(s, SQL_CAT_CODE);

		store_bind_text(q, 1, in->code);
		rc = store_step(q);
		store_done(q);
	}
	if (rc == STORE_ROW) {
		fault_set(f, FAULT_CONFLICT, "code", "the code %s is taken", in->code);
		goto fail;
	}
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (name_free(s, in->name, in->parent_id, 0, f) < 0)
		goto fail;
	st = store_prepare(s, SQL_CAT_INSERT);
	store_bind_id(st, 1, in->parent_id);
	store_bind_text(st, 2, in->code);
	store_bind_text(st, 3, in->name);
	store_bind_text(st, 4, in->route_level);
	store_bind_int64(st, 5, in->active == 0 ? 0 : 1);
	store_bind_int64(st, 6, in->set_sort ? in->sort : 0);
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_CAT_UPDATE[] =
	"UPDATE wo_categories SET name = COALESCE(?, name),"
	" route_level = CASE WHEN CAST(? AS INTEGER) = 1 THEN ? ELSE route_level END,"
	" active = CASE WHEN CAST(? AS INTEGER) < 0 THEN active ELSE CAST(? AS INTEGER) END,"
	" sort = CASE WHEN CAST(? AS INTEGER) = 1 THEN CAST(? AS INTEGER) ELSE sort END WHERE id = ?";
static const char SQL_FALLBACK[] = "SELECT CAST(value AS INTEGER) FROM wo_settings WHERE key = 'category_fallback'";

int wo_category_update(struct store *s, int64_t id, const struct wo_category_input *in, int64_t *open,
		       struct fault *f)
{
	struct store_stmt *st;
	int64_t parent = 0, fallback = 0;
	int rc;

	if (check_name(in->name, 0, f) < 0 ||
	    (in->set_route_level && in->route_level && check_level("route_level", in->route_level, 1, f) < 0))
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	rc = store_query_int64(s, SQL_CAT_PARENT, &parent, 1, id);
	if (rc == STORE_NOTFOUND) {
		fault_set(f, FAULT_NOT_FOUND, NULL, "category %lld does not exist", (long long)id);
		goto fail;
	}
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (in->name && name_free(s, in->name, parent, id, f) < 0)
		goto fail;
	if (in->active == 0) {
		rc = store_query_int64(s, SQL_FALLBACK, &fallback, 0);
		if (rc != STORE_OK && rc != STORE_NOTFOUND) {
			store_fault(s, rc, f);
			goto fail;
		}
		if (fallback == id) {
			fault_set(f, FAULT_CONFLICT, "active", "category %lld is the hotline's fallback: choose another "
				  "fallback before retiring it", (long long)id);
			goto fail;
		}
	}
	st = store_prepare(s, SQL_CAT_UPDATE);
	store_bind_text(st, 1, in->name);
	store_bind_int64(st, 2, in->set_route_level ? 1 : 0);
	store_bind_text(st, 3, in->route_level);
	store_bind_int64(st, 4, in->active < 0 ? -1 : 0);
	store_bind_int64(st, 5, in->active > 0 ? 1 : 0);
	store_bind_int64(st, 6, in->set_sort ? 1 : 0);
	store_bind_int64(st, 7, in->sort);
	store_bind_int64(st, 8, id);
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (count_open(s, SQL_CAT_OPEN, open, 2, id, id, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/* ---- routing rules ---- */

static const char SQL_RULES[] =
	"SELECT id, category_id, type, route_level, note FROM wo_routing_rules ORDER BY id";
static const char SQL_RULE_INSERT[] =
	"INSERT INTO wo_routing_rules (category_id, type, route_level, note) VALUES (?, ?, ?, ?)";
static const char SQL_RULE_GET[] = "SELECT COALESCE(category_id, 0) FROM wo_routing_rules WHERE id = ?";
static const char SQL_RULE_TYPE[] = "SELECT type FROM wo_routing_rules WHERE id = ?";
static const char SQL_RULE_DELETE[] = "DELETE FROM wo_routing_rules WHERE id = ?";
static const char SQL_CAT_EXISTS[] = "SELECT id FROM wo_categories WHERE id = ?";
static const char SQL_RULE_OPEN[] =
	"SELECT COUNT(*) FROM work_orders w JOIN wo_categories c ON c.id = w.category_id"
	" WHERE (CAST(? AS INTEGER) = 0 OR c.id = ? OR c.parent_id = ?) AND (CAST(? AS TEXT) IS NULL OR w.type = ?)"
	" AND " OPEN_STATES;

void wo_rule_list_release(struct wo_rule_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].type);
		free(l->items[i].route_level);
		free(l->items[i].note);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static char *dup_text(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int wo_rule_list(struct store *s, struct wo_rule_list *out, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_RULES);
	int rc;

	memset(out, 0, sizeof(*out));
	while ((rc = store_step(st)) == STORE_ROW) {
		struct wo_rule *r;

		out->items = xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
		r = &out->items[out->n++];
		r->id = store_column_int64(st, 0);
		r->category_id = store_column_int64(st, 1);
		r->type = dup_text(store_column_text(st, 2));
		r->route_level = dup_text(store_column_text(st, 3));
		r->note = dup_text(store_column_text(st, 4));
	}
	store_done(st);
	if (rc != STORE_DONE) {
		wo_rule_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static int rule_open(struct store *s, int64_t category, const char *type, int64_t *open, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_RULE_OPEN);
	int rc;

	store_bind_int64(st, 1, category);
	store_bind_int64(st, 2, category);
	store_bind_int64(st, 3, category);
	store_bind_text(st, 4, type);
	store_bind_text(st, 5, type);
	rc = store_step(st);
	if (rc == STORE_ROW)
		*open = store_column_int64(st, 0);
	store_done(st);
	return rc == STORE_ROW ? 0 : store_fault(s, rc, f);
}

int wo_rule_create(struct store *s, const struct wo_rule_input *in, int64_t *id, int64_t *open, struct fault *f)
{
	struct store_stmt *st;
	int64_t v;
	int rc;

	if (in->type && !in_words(in->type, TYPES, YL_ARRAY_LEN(TYPES)))
		return fault_set(f, FAULT_INVALID, "type", "type must be consultation, help, complaint, report or suggestion");
	if (check_level("route_level", in->route_level, 1, f) < 0 || check_text("note", in->note, NOTE_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (in->category_id) {
		rc = store_query_int64(s, SQL_CAT_EXISTS, &v, 1, in->category_id);
		if (rc == STORE_NOTFOUND) {
			fault_set(f, FAULT_INVALID, "category_id", "category %lld does not exist", (long long)in->category_id);
			goto fail;
		}
		if (rc != STORE_OK) {
			store_fault(s, rc, f);
			goto fail;
		}
	}
	st = store_prepare(s, SQL_RULE_INSERT);
	store_bind_id(st, 1, in->category_id);
	store_bind_text(st, 2, in->type);
	store_bind_text(st, 3, in->route_level);
	store_bind_text(st, 4, in->note);
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if (rule_open(s, in->category_id, in->type, open, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int wo_rule_delete(struct store *s, int64_t id, int64_t *open, struct fault *f)
{
	struct store_stmt *st;
	int64_t category = 0;
	char *type = NULL;
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	rc = store_query_int64(s, SQL_RULE_GET, &category, 1, id);
	if (rc == STORE_NOTFOUND) {
		fault_set(f, FAULT_NOT_FOUND, NULL, "routing rule %lld does not exist", (long long)id);
		goto fail;
	}
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	st = store_prepare(s, SQL_RULE_TYPE);
	store_bind_int64(st, 1, id);
	if ((rc = store_step(st)) == STORE_ROW)
		type = dup_text(store_column_text(st, 0));
	store_done(st);
	if (rc != STORE_ROW) {
		store_fault(s, rc, f);
		goto fail;
	}
	st = store_prepare(s, SQL_RULE_DELETE);
	store_bind_int64(st, 1, id);
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (rule_open(s, category, type, open, f) < 0)
		goto fail;
	free(type);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	free(type);
	store_rollback(s);
	return -1;
}

/* ---- time limits ---- */

static const char SQL_LIMIT_ROWS[] =
	"SELECT type, urgency, reply_days, sign_days, return_days, extension_max_days, reopen_days FROM wo_time_limits"
	" ORDER BY type = '*' DESC, type, urgency = '*' DESC, urgency";
static const char SQL_LIMIT_UPSERT[] =
	"INSERT INTO wo_time_limits (type, urgency, reply_days, sign_days, return_days, extension_max_days, reopen_days)"
	" VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (type, urgency) DO UPDATE SET reply_days = excluded.reply_days,"
	" sign_days = excluded.sign_days, return_days = excluded.return_days,"
	" extension_max_days = excluded.extension_max_days, reopen_days = excluded.reopen_days";
static const char SQL_LIMIT_DELETE[] = "DELETE FROM wo_time_limits WHERE type = ? AND urgency = ?";
static const char SQL_LIMIT_OPEN[] =
	"SELECT COUNT(*) FROM work_orders w WHERE (CAST(? AS TEXT) = '*' OR w.type = ?)"
	" AND (CAST(? AS TEXT) = '*' OR w.urgency = ?) AND " OPEN_STATES;

int wo_limit_rows(struct store *s, struct wo_limit_row **rows, size_t *n, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_LIMIT_ROWS);
	int rc;

	*rows = NULL;
	*n = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		struct wo_limit_row *r;

		*rows = xrealloc(*rows, (*n + 1) * sizeof(**rows));
		r = &(*rows)[(*n)++];
		memset(r, 0, sizeof(*r));
		snprintf(r->type, sizeof(r->type), "%s", store_column_text(st, 0));
		snprintf(r->urgency, sizeof(r->urgency), "%s", store_column_text(st, 1));
		r->lim.reply_days = (int)store_column_int64(st, 2);
		r->lim.sign_days = (int)store_column_int64(st, 3);
		r->lim.return_days = (int)store_column_int64(st, 4);
		r->lim.extension_max_days = (int)store_column_int64(st, 5);
		r->lim.reopen_days = (int)store_column_int64(st, 6);
	}
	store_done(st);
	if (rc != STORE_DONE) {
		free(*rows);
		*rows = NULL;
		*n = 0;
		return store_fault(s, rc, f);
	}
	return 0;
}

static int check_type_urgency(const char *type, const char *urgency, struct fault *f)
{
	if (!type || (strcmp(type, "*") && !in_words(type, TYPES, YL_ARRAY_LEN(TYPES))))
		return fault_set(f, FAULT_INVALID, "type",
				 "type must be consultation, help, complaint, report, suggestion or * (any)");
	if (!urgency || (strcmp(urgency, "*") && !in_words(urgency, URGENCIES, YL_ARRAY_LEN(URGENCIES))))
		return fault_set(f, FAULT_INVALID, "urgency", "urgency must be normal, urgent or * (any)");
	return 0;
}

static int limit_open(struct store *s, const char *type, const char *urgency, int64_t *open, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_LIMIT_OPEN);
	int rc;

	store_bind_text(st, 1, type);
	store_bind_text(st, 2, type);
	store_bind_text(st, 3, urgency);
	store_bind_text(st, 4, urgency);
	rc = store_step(st);
	if (rc == STORE_ROW)
		*open = store_column_int64(st, 0);
	store_done(st);
	return rc == STORE_ROW ? 0 : store_fault(s, rc, f);
}

/* The ranges of migration 005's CHECKs, named by field before the store refuses them. */
static int check_days(const struct wo_limits *l, struct fault *f)
{
	static const struct {
		const char *field;
		size_t off;
		int min, max;
	} ranges[] = {
		{ "reply_days", offsetof(struct wo_limits, reply_days), 1, 60 },
		{ "sign_days", offsetof(struct wo_limits, sign_days), 1, 10 },
		{ "return_days", offsetof(struct wo_limits, return_days), 1, 10 },
		{ "extension_max_days", offsetof(struct wo_limits, extension_max_days), 0, 30 },
		{ "reopen_days", offsetof(struct wo_limits, reopen_days), 0, 365 },
	};
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(ranges); i++) {
		int v = *(const int *)(const void *)((const char *)l + ranges[i].off);

		if (v < ranges[i].min || v > ranges[i].max)
			return fault_set(f, FAULT_INVALID, ranges[i].field, "%s must be from %d to %d", ranges[i].field,
					 ranges[i].min, ranges[i].max);
	}
	return 0;
}

int wo_limit_put(struct store *s, const struct wo_limit_row *r, int64_t *open, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	if (check_type_urgency(r->type, r->urgency, f) < 0 || check_days(&r->lim, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_prepare(s, SQL_LIMIT_UPSERT);
	store_bind_text(st, 1, r->type);
	store_bind_text(st, 2, r->urgency);
	store_bind_int64(st, 3, r->lim.reply_days);
	store_bind_int64(st, 4, r->lim.sign_days);
	store_bind_int64(st, 5, r->lim.return_days);
	store_bind_int64(st, 6, r->lim.extension_max_days);
	store_bind_int64(st, 7, r->lim.reopen_days);
	if ((rc = store_step_done(st)) != STORE_OK || limit_open(s, r->type, r->urgency, open, f) < 0) {
		if (rc != STORE_OK)
			store_fault(s, rc, f);
		store_rollback(s);
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

int wo_limit_delete(struct store *s, const char *type, const char *urgency, int64_t *open, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	if (check_type_urgency(type, urgency, f) < 0)
		return -1;
	if (!strcmp(type, "*") && !strcmp(urgency, "*"))
		return fault_set(f, FAULT_CONFLICT, "type", "the limits for any type and urgency stay: every order needs one");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_prepare(s, SQL_LIMIT_DELETE);
	store_bind_text(st, 1, type);
	store_bind_text(st, 2, urgency);
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (!store_changes(s)) {
		fault_set(f, FAULT_NOT_FOUND, NULL, "no time limits for %s orders of %s urgency", type, urgency);
		goto fail;
	}
	if (limit_open(s, type, urgency, open, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/* ---- sweep policy ---- */

static const char SQL_SWEEP_ROWS[] =
	"SELECT level, escalate, after_days FROM wo_sweep_policy ORDER BY level = 'community', level";
static const char SQL_SWEEP_UPSERT[] =
	"INSERT INTO wo_sweep_policy (level, escalate, after_days) VALUES (?, ?, ?)"
	" ON CONFLICT (level) DO UPDATE SET escalate = excluded.escalate, after_days = excluded.after_days";
static const char SQL_SWEEP_OPEN[] =
	"SELECT COUNT(*) FROM work_orders w JOIN nodes h ON h.id = w.handler_node_id WHERE h.level = ? AND " OPEN_STATES;

int wo_sweep_levels(struct store *s, struct wo_sweep_level out[2], size_t *n, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_SWEEP_ROWS);
	int rc;

	*n = 0;
	while ((rc = store_step(st)) == STORE_ROW && *n < 2) {
		snprintf(out[*n].level, sizeof(out[*n].level), "%s", store_column_text(st, 0));
		out[*n].escalate = store_column_int64(st, 1) != 0;
		out[*n].after_days = (int)store_column_int64(st, 2);
		(*n)++;
	}
	store_done(st);
	if (rc != STORE_DONE && rc != STORE_ROW)
		return store_fault(s, rc, f);
	return 0;
}

int wo_sweep_level_put(struct store *s, const struct wo_sweep_level *l, int64_t *open, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	/* A subdistrict has nothing above it (008_sweep.sql). */
	if (check_level("level", l->level, 0, f) < 0)
		return -1;
	if (l->after_days < 0 || l->after_days > 30)
		return fault_set(f, FAULT_INVALID, "after_days", "after_days must be from 0 to 30 working days");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_prepare(s, SQL_SWEEP_UPSERT);
	store_bind_text(st, 1, l->level);
	store_bind_int64(st, 2, l->escalate ? 1 : 0);
	store_bind_int64(st, 3, l->after_days);
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		store_rollback(s);
		return -1;
	}
	st = store_prepare(s, SQL_SWEEP_OPEN);
	store_bind_text(st, 1, l->level);
	rc = store_step(st);
	if (rc == STORE_ROW)
		*open = store_column_int64(st, 0);
	store_done(st);
	if (rc != STORE_ROW) {
		store_fault(s, rc, f);
		store_rollback(s);
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}
