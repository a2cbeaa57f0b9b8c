/*
 * honour.c - enterprises' honours: 专精特新 (specialised), 专精特新"小巨人"
 * (little_giant), 瞪羚 (gazelle), 高新技术企业 (high_tech) and others, each
 * with the level that awarded it (national, provincial, city, district), the
 * year and the date it lapses, so that "2 national 小巨人, 4 provincial
 * 专精特新" are counts of rows (issue 15).  An enterprise holds a kind at a
 * level once a year: a second is refused naming kind.
 */
#include "enterprise/enterprise.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_CHARS 100

static int kind_valid(const char *k)
{
	static const char *const all[] = { "specialised", "little_giant", "gazelle", "high_tech", "other" };
	size_t i;

	for (i = 0; k && i < YL_ARRAY_LEN(all); i++)
		if (!strcmp(k, all[i]))
			return 1;
	return 0;
}

static int level_valid(const char *l)
{
	return l && (!strcmp(l, "national") || !strcmp(l, "provincial") || !strcmp(l, "city") || !strcmp(l, "district"));
}

static void honour_release(struct enterprise_honour *h)
{
	free(h->enterprise_name);
	free(h->title);
	free(h->created_at);
}

void enterprise_honour_list_release(struct enterprise_honour_list *l)
{
	YL_LIST_RELEASE(l, honour_release);
}

static const char SQL_ENTERPRISE[] = "SELECT subdistrict_id FROM enterprises WHERE id = ?";
static const char SQL_TAKEN[] =
	"SELECT id FROM enterprise_honours WHERE enterprise_id = ? AND kind = ? AND level = ? AND year = ?";
static const char SQL_INSERT[] =
	"INSERT INTO enterprise_honours (subdistrict_id, enterprise_id, kind, title, level, year, expires_on, user_id,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
#define HONOUR_WHERE                                                                                           \
	" WHERE (CAST(? AS INTEGER) = 0 OR e.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS INTEGER) = 0 OR h.enterprise_id = ?) AND (CAST(? AS TEXT) IS NULL OR h.kind = ?)"        \
	" AND (CAST(? AS TEXT) IS NULL OR h.level = ?) AND (CAST(? AS INTEGER) = 0 OR h.year = ?)"                \
	" AND (CAST(? AS TEXT) IS NULL OR h.expires_on IS NULL OR h.expires_on >= ?)"
static const char SQL_COUNT[] =
	"SELECT count(*) FROM enterprise_honours h JOIN enterprises e ON e.id = h.enterprise_id" HONOUR_WHERE;
static const char SQL_LIST[] =
	"SELECT h.id, h.enterprise_id, e.node_id, e.name, h.kind, h.level, h.title, h.year, h.expires_on, h.created_at"
	" FROM enterprise_honours h JOIN enterprises e ON e.id = h.enterprise_id" HONOUR_WHERE
	" ORDER BY h.year DESC, h.id LIMIT ? OFFSET ?";

int enterprise_honour_add(struct store *s, int64_t enterprise_id, const struct enterprise_honour_input *in,
			  int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	char today[11], now[32], first[24];
	int64_t subdistrict;
	int rc, this_year;

	*id = 0;
	if (!kind_valid(in->kind))
		return fault_set(f, FAULT_INVALID, "kind", "kind is specialised, little_giant, gazelle, high_tech or other");
	if (!level_valid(in->level))
		return fault_set(f, FAULT_INVALID, "level", "level is national, provincial, city or district");
	if (check_text("title", in->title, TITLE_CHARS, !strcmp(in->kind, "other") ? TEXT_REQUIRED : TEXT_NOT_BLANK,
		       f) < 0)
		return -1;
	date_today_local(today);
	this_year = atoi(today);
	if (in->year < 1990 || in->year > this_year)
		return fault_set(f, FAULT_INVALID, "year", "year is 1990 to %d", this_year);
	snprintf(first, sizeof(first), "%04d-01-01", in->year);
	if (in->expires_on && (date_valid(in->expires_on) != 0 || strcmp(in->expires_on, first) < 0))
		return fault_set(f, FAULT_INVALID, "expires_on", "expires_on is a date (YYYY-MM-DD) not before the year awarded");
	if (store_get_by_id(s, SQL_ENTERPRISE, enterprise_id, "enterprise", &st, f) < 0)
		return -1;
	subdistrict = store_column_int64(st, 0);
	store_done(st);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_TAKEN, "itti", enterprise_id, in->kind, in->level, (int64_t)in->year);
	if (store_next(st, &rc)) {
		store_done(st);
		fault_set(f, FAULT_CONFLICT, "kind", "the enterprise already holds this honour at this level for %d", in->year);
		goto fail;
	}
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_INSERT, "iitttitIt", subdistrict, enterprise_id, in->kind, in->title, in->level,
			    (int64_t)in->year, in->expires_on, in->user_id, now)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if ((rc = store_commit(s)) != STORE_OK) {
		*id = 0;
		return store_fault(s, rc, f);
	}
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int enterprise_honours(struct store *s, const struct enterprise_honour_filter *flt, struct enterprise_honour_list *out,
		       struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (flt->kind && !kind_valid(flt->kind))
		return fault_set(f, FAULT_INVALID, "kind", "kind is specialised, little_giant, gazelle, high_tech or other");
	if (flt->level && !level_valid(flt->level))
		return fault_set(f, FAULT_INVALID, "level", "level is national, provincial, city or district");
	if (flt->valid_on && date_valid(flt->valid_on) != 0)
		return fault_set(f, FAULT_INVALID, "valid_on", "valid_on is a date as YYYY-MM-DD");
#define FILTER_ARGS                                                                                            \
	flt->under_id, flt->under_id, flt->enterprise_id, flt->enterprise_id, flt->kind, flt->kind, flt->level,       \
		flt->level, (int64_t)flt->year, (int64_t)flt->year, flt->valid_on, flt->valid_on
	st = store_query(s, SQL_COUNT, "iiiittttiitt", FILTER_ARGS);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	out->total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_LIST, "iiiittttiittii", FILTER_ARGS, (int64_t)(flt->limit > 0 ? flt->limit : 50),
			 (int64_t)(flt->offset > 0 ? flt->offset : 0));
#undef FILTER_ARGS
	while (store_next(st, &rc)) {
		struct enterprise_honour *h;

		YL_GROW(out->items, out->n, out->cap);
		h = &out->items[out->n++];
		memset(h, 0, sizeof(*h));
		h->id = store_column_int64(st, 0);
		h->enterprise_id = store_column_int64(st, 1);
		h->enterprise_node_id = store_column_int64(st, 2);
		h->enterprise_name = store_column_dup(st, 3);
		store_column_copy(st, 4, h->kind, sizeof(h->kind));
		store_column_copy(st, 5, h->level, sizeof(h->level));
		h->title = store_column_dup(st, 6);
		h->year = (int)store_column_int64(st, 7);
		store_column_copy(st, 8, h->expires_on, sizeof(h->expires_on));
		h->created_at = store_column_dup(st, 9);
	}
	if (rc != STORE_DONE) {
		enterprise_honour_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
