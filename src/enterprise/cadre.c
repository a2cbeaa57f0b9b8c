/*
 * cadre.c - who answers for an enterprise: its 帮包 leader (帮包领导) and its
 * service officer (企业服务专员), each a user of the enterprise's subdistrict,
 * with dated history so that "who was responsible in any month" is a query.
 *
 * Rule (issue 15): one holder of each role at a time.  Assigning a new holder
 * ends the current one on the day before the new one starts, in the same
 * transaction; an officer from another subdistrict is refused on user_id.
 */
#include "enterprise/enterprise.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int enterprise_cadre_role_valid(const char *role)
{
	return role && (!strcmp(role, "leader") || !strcmp(role, "officer"));
}

static void cadre_release(struct enterprise_cadre *c)
{
	free(c->login);
	free(c->display_name);
}

void enterprise_cadre_list_release(struct enterprise_cadre_list *l)
{
	YL_LIST_RELEASE(l, cadre_release);
}

static const char SQL_USER[] = "SELECT subdistrict_id, disabled FROM users WHERE id = ?";
static const char SQL_ENTERPRISE_SUBDISTRICT[] = "SELECT subdistrict_id FROM enterprises WHERE id = ?";
static const char SQL_HOLDER[] =
	"SELECT id, user_id, starts_on FROM enterprise_cadres WHERE enterprise_id = ? AND role = ? AND ends_on IS NULL";
static const char SQL_END[] = "UPDATE enterprise_cadres SET ends_on = ? WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO enterprise_cadres (subdistrict_id, enterprise_id, role, user_id, starts_on, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?)";
#define CADRE_SELECT                                                                                           \
	"SELECT c.id, c.enterprise_id, c.user_id, c.role, c.starts_on, c.ends_on, u.login, u.display_name"    \
	" FROM enterprise_cadres c JOIN users u ON u.id = c.user_id WHERE c.enterprise_id = ?"
static const char SQL_HISTORY[] = CADRE_SELECT " ORDER BY c.role, c.starts_on, c.id";
static const char SQL_ON[] =
	CADRE_SELECT " AND c.starts_on <= ? AND (c.ends_on IS NULL OR c.ends_on >= ?) ORDER BY c.role, c.id";

/* An active user of the subdistrict, named in field; 400 on that field otherwise. */
int enterprise_user_in_subdistrict(struct store *s, int64_t user_id, int64_t subdistrict, const char *field,
				   struct fault *f)
{
	struct store_stmt *st;
	int64_t theirs;
	int disabled;

	if (store_get_by_id(s, SQL_USER, user_id, "user", &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, field, "user %lld does not exist", (long long)user_id);
		return -1;
	}
	theirs = store_column_int64(st, 0);
	disabled = store_column_bool(st, 1);
	store_done(st);
	if (disabled)
		return fault_set(f, FAULT_INVALID, field, "user %lld is disabled", (long long)user_id);
	if (theirs != subdistrict)
		return fault_set(f, FAULT_INVALID, field, "user %lld does not work in the enterprise's subdistrict",
				 (long long)user_id);
	return 0;
}

/* The date before d (YYYY-MM-DD), in out. */
static void day_before(const char *d, char out[11])
{
	char noon[24];
	char text[40];
	int64_t t = 0;

	snprintf(noon, sizeof(noon), "%s 12:00:00", d);
	time_parse(noon, 0, &t);
	time_format_local(t - 86400, text, sizeof(text));
	snprintf(out, 11, "%.10s", text);
}

int enterprise_cadre_assign(struct store *s, int64_t enterprise_id, const char *role, int64_t user_id,
			    const char *starts_on, int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	char today[11], now[32], hold_start[11] = "", end[11];
	int64_t subdistrict, holder = 0, holder_user = 0;
	int rc;

	*id = 0;
	if (!enterprise_cadre_role_valid(role))
		return fault_set(f, FAULT_INVALID, "role", "role is leader (帮包领导) or officer (企业服务专员)");
	if (!user_id)
		return fault_set(f, FAULT_INVALID, "user_id", "user_id is required");
	if (starts_on && date_valid(starts_on) != 0)
		return fault_set(f, FAULT_INVALID, "starts_on", "starts_on must be a date as YYYY-MM-DD");
	if (!starts_on) {
		date_today_local(today);
		starts_on = today;
	}
	if (store_get_by_id(s, SQL_ENTERPRISE_SUBDISTRICT, enterprise_id, "enterprise", &st, f) < 0)
		return -1;
	subdistrict = store_column_int64(st, 0);
	store_done(st);
	if (enterprise_user_in_subdistrict(s, user_id, subdistrict, "user_id", f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_HOLDER, "it", enterprise_id, role);
	if (store_next(st, &rc)) {
		holder = store_column_int64(st, 0);
		holder_user = store_column_int64(st, 1);
		store_column_copy(st, 2, hold_start, sizeof(hold_start));
		store_done(st);
	} else if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (holder && holder_user == user_id) {
		fault_set(f, FAULT_CONFLICT, "user_id", "user %lld already holds this role", (long long)user_id);
		goto fail;
	}
	if (holder && strcmp(starts_on, hold_start) <= 0) {
		fault_set(f, FAULT_INVALID, "starts_on", "starts_on must be after the current holder's start (%s)",
			  hold_start);
		goto fail;
	}
	if (holder) {
		day_before(starts_on, end);
		if ((rc = store_run(s, SQL_END, "ti", end, holder)) != STORE_OK) {
			store_fault(s, rc, f);
			goto fail;
		}
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_INSERT, "iititt", subdistrict, enterprise_id, role, user_id, starts_on, now)) !=
	    STORE_OK) {
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

int enterprise_cadres(struct store *s, int64_t enterprise_id, const char *on, struct enterprise_cadre_list *out,
		      struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (on && date_valid(on) != 0)
		return fault_set(f, FAULT_INVALID, "on", "on must be a date as YYYY-MM-DD");
	st = on ? store_query(s, SQL_ON, "itt", enterprise_id, on, on) : store_query(s, SQL_HISTORY, "i", enterprise_id);
	while (store_next(st, &rc)) {
		struct enterprise_cadre *c;

		YL_GROW(out->items, out->n, out->cap);
		c = &out->items[out->n++];
		memset(c, 0, sizeof(*c));
		c->id = store_column_int64(st, 0);
		c->enterprise_id = store_column_int64(st, 1);
		c->user_id = store_column_int64(st, 2);
		store_column_copy(st, 3, c->role, sizeof(c->role));
		store_column_copy(st, 4, c->starts_on, sizeof(c->starts_on));
		store_column_copy(st, 5, c->ends_on, sizeof(c->ends_on));
		c->login = store_column_dup(st, 6);
		c->display_name = store_column_dup(st, 7);
	}
	if (rc != STORE_DONE) {
		enterprise_cadre_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
