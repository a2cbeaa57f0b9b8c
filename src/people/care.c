/*
 * care.c - party-member central households (党员中心户) and the neighbouring
 * households each looks after (DOMAIN.md: ~6-10 of them, 责任制包干).
 *
 * A central household is a household node with a party organisation of kind
 * central_household; the households it looks after are in its courtyard; a
 * household is looked after by one central household at a time.
 */
#include "people/check.h"
#include "people/people.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void care_link_release(struct care_link *c)
{
	free(c->household_name);
	free(c->starts_on);
	free(c->ends_on);
	memset(c, 0, sizeof(*c));
}

void care_list_release(struct care_list *l)
{
	YL_LIST_RELEASE(l, care_link_release);
}

#define CARE_COLUMNS "c.id, c.central_household_id, c.household_id, h.name, c.starts_on, c.ends_on"
#define CARE_FROM " FROM household_care c JOIN nodes h ON h.id = c.household_id"

static void read_care(struct store_stmt *st, struct care_link *c)
{
	memset(c, 0, sizeof(*c));
	c->id = store_column_int64(st, 0);
	c->central_household_id = store_column_int64(st, 1);
	c->household_id = store_column_int64(st, 2);
	c->household_name = store_column_dup(st, 3);
	c->starts_on = store_column_dup(st, 4);
	c->ends_on = store_column_dup(st, 5);
}

static const char SQL_CARE_BY_ID[] = "SELECT " CARE_COLUMNS CARE_FROM " WHERE c.id = ?";

int people_care_get(struct store *s, int64_t id, struct care_link *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_CARE_BY_ID, id, "care link", &st, f) < 0)
		return -1;
	read_care(st, out);
	store_done(st);
	return 0;
}

/* The household node behind an id given as field; a missing or other node is the input at fault. */
static int get_household(struct store *s, const char *field, int64_t id, struct node *out, struct fault *f)
{
	if (org_node_get(s, id, out, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, field, "node %lld does not exist", (long long)id);
		return -1;
	}
	if (out->level != LEVEL_HOUSEHOLD) {
		fault_set(f, FAULT_INVALID, field, "%s must be a household: node %lld is a %s", field, (long long)id,
			  node_level_name(out->level));
		node_release(out);
		return -1;
	}
	return 0;
}

static const char SQL_COURTYARD_OF[] =
	"SELECT c.ancestor_id FROM node_closure c JOIN nodes n ON n.id = c.ancestor_id"
	" WHERE c.descendant_id = ? AND n.level = 'courtyard'";
static const char SQL_CARE_OVERLAP[] =
	"SELECT id, central_household_id FROM household_care"
	" WHERE household_id = ? AND (ends_on IS NULL OR ends_on >= ?) ORDER BY id LIMIT 1";
static const char SQL_CARE_INSERT[] =
	"INSERT INTO household_care (subdistrict_id, central_household_id, household_id, starts_on, ends_on,"
	" created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?)";

static int check_central(struct store *s, const struct node *central, struct fault *f)
{
	struct party_org po;
	int is_central;

	if (org_party_get_by_node(s, central->id, &po, f) < 0) {
		if (f->kind != FAULT_NOT_FOUND)
			return -1;
		return fault_set(f, FAULT_INVALID, "central_household_id",
				 "household %lld is not a party-member central household: it has no party organisation",
				 (long long)central->id);
	}
	is_central = strcmp(po.kind, "central_household") == 0;
	party_org_release(&po);
	if (!is_central)
		return fault_set(f, FAULT_INVALID, "central_household_id",
				 "household %lld is not a party-member central household", (long long)central->id);
	return 0;
}

/* The household is in the central household's courtyard. */
static int check_same_courtyard(struct store *s, const struct node *central, const struct node *household,
				struct fault *f)
{
	int64_t courtyard = 0;
	int rc = store_query_int64(s, SQL_COURTYARD_OF, &courtyard, 1, (int64_t)central->id), within;

	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return store_fault(s, rc, f);
	within = rc == STORE_OK ? org_is_within(s, courtyard, household->id) : 0;
	if (within < 0)
		return store_fault(s, STORE_ERROR, f);
	if (!within)
		return fault_set(f, FAULT_INVALID, "household_id",
				 "household %lld is not in the courtyard of central household %lld", (long long)household->id,
				 (long long)central->id);
	return 0;
}

static int check_free(struct store *s, int64_t household, const char *starts_on, struct fault *f)
{
	struct store_stmt *st;
	int64_t link = 0, central = 0;
	int rc;

	st = store_query(s, SQL_CARE_OVERLAP, "it", (int64_t)household, starts_on);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		link = store_column_int64(st, 0);
		central = store_column_int64(st, 1);
	}
	store_done(st);
	if (rc < 0)
		return store_fault(s, rc, f);
	if (link)
		return fault_set(f, FAULT_CONFLICT, "household_id",
				 "household %lld is already looked after by central household %lld (care link %lld)",
				 (long long)household, (long long)central, (long long)link);
	return 0;
}

int people_care_create(struct store *s, int64_t central_household_id, int64_t household_id, const char *starts_on,
		       int64_t *id, struct fault *f)
{
	struct node central = { 0 }, household = { 0 };
	char today[11], now[32];
	int rc, ret = -1;

	if (central_household_id <= 0)
		return fault_set(f, FAULT_INVALID, "central_household_id", "central_household_id is required");
	if (household_id <= 0)
		return fault_set(f, FAULT_INVALID, "household_id", "household_id is required");
	if (household_id == central_household_id)
		return fault_set(f, FAULT_INVALID, "household_id", "a central household cannot look after itself");
	if (people_check_date("starts_on", starts_on, f) < 0)
		return -1;
	date_today_local(today);
	if (!starts_on)
		starts_on = today;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (get_household(s, "central_household_id", central_household_id, &central, f) < 0)
		goto out;
	if (check_central(s, &central, f) < 0 || get_household(s, "household_id", household_id, &household, f) < 0)
		goto out;
	if (check_same_courtyard(s, &central, &household, f) < 0 || check_free(s, household_id, starts_on, f) < 0)
		goto out;
	time_now_text(now);
	if ((rc = store_run(s, SQL_CARE_INSERT, "iiittt", (int64_t)household.subdistrict_id,
			    (int64_t)central_household_id, (int64_t)household_id, starts_on, now, now)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	if (id)
		*id = store_last_id(s);
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto done;
	}
	ret = 0;
	goto done;
out:
	store_rollback(s);
done:
	node_release(&central);
	node_release(&household);
	return ret;
}

static const char SQL_CARE_END[] = "UPDATE household_care SET ends_on = ?, updated_at = ? WHERE id = ?";

int people_care_end(struct store *s, int64_t id, const char *ends_on, struct fault *f)
{
	struct care_link cur = { 0 };
	char now[32];
	int rc, ret = -1;

	if (!ends_on)
		return fault_set(f, FAULT_INVALID, "ends_on", "ends_on is required");
	if (people_check_date("ends_on", ends_on, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (people_care_get(s, id, &cur, f) < 0)
		goto out;
	if (cur.ends_on) {
		fault_set(f, FAULT_CONFLICT, "ends_on", "care link %lld already ended on %s", (long long)id, cur.ends_on);
		goto out;
	}
	if (strcmp(ends_on, cur.starts_on) < 0) {
		fault_set(f, FAULT_INVALID, "ends_on", "ends_on %s is before starts_on %s", ends_on, cur.starts_on);
		goto out;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_CARE_END, "tti", ends_on, now, (int64_t)id)) != STORE_OK) {
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
	care_link_release(&cur);
	return ret;
}

int people_care_list(struct store *s, int64_t central_household_id, int64_t under_id, int active_only, int limit,
		     int offset, struct care_list *out, struct fault *f)
{
	struct buf where = BUF_INIT, sql = BUF_INIT;
	struct store_stmt *st;
	char today[11];
	size_t cap = 0;
	int i, rc;

	memset(out, 0, sizeof(*out));
	date_today_local(today);
	buf_init(&where);
	buf_adds(&where, " WHERE 1=1");
	if (central_household_id)
		buf_adds(&where, " AND c.central_household_id = ?");
	if (under_id)
		buf_adds(&where, " AND c.household_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)");
	if (active_only)
		buf_adds(&where, " AND (c.ends_on IS NULL OR c.ends_on >= ?)");
	for (i = 0; i < 2; i++) {
		int idx = 1;

		buf_reset(&sql);
		if (i == 0)
			buf_addf(&sql, "SELECT COUNT(*)" CARE_FROM "%s", where.data);
		else
			buf_addf(&sql, "SELECT " CARE_COLUMNS CARE_FROM "%s ORDER BY c.id LIMIT %d OFFSET %d", where.data,
				 limit > 0 ? limit : 50, offset > 0 ? offset : 0);
		st = store_prepare(s, sql.data);
		if (central_household_id)
			store_bind_int64(st, idx++, central_household_id);
		if (under_id)
			store_bind_int64(st, idx++, under_id);
		if (active_only)
			store_bind_text(st, idx++, today);
		while ((rc = store_step(st)) == STORE_ROW) {
			if (i == 0) {
				out->total = store_column_int64(st, 0);
				continue;
			}
			YL_GROW(out->items, out->n, cap);
			read_care(st, &out->items[out->n++]);
		}
		store_done(st);
		if (rc != STORE_DONE) {
			care_list_release(out);
			buf_release(&where);
			buf_release(&sql);
			return store_fault(s, rc, f);
		}
	}
	buf_release(&where);
	buf_release(&sql);
	return 0;
}
