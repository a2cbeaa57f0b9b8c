/*
 * access.c - the accounts that speak for a unit (role unit_contact).  A user
 * who speaks for a unit claims and reports only for it and sees only its
 * claims; staff who speak for none see every claim in their scope.  The
 * route's permission and the scope are the api layer's.
 */
#include "cobuild/cobuild.h"

static const char SQL_USER[] = "SELECT id FROM users WHERE id = ?";
static const char SQL_LINK_TAKEN[] = "SELECT count(*) FROM cobuild_unit_users WHERE unit_id = ? AND user_id = ?";
static const char SQL_LINK_INSERT[] = "INSERT INTO cobuild_unit_users (unit_id, user_id) VALUES (?, ?)";
static const char SQL_HAS_UNITS[] = "SELECT count(*) FROM cobuild_unit_users WHERE user_id = ?";

static int count_of(struct store *s, struct store_stmt *st, int64_t *n, struct fault *f)
{
	int rc;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*n = store_column_int64(st, 0);
	store_done(st);
	return 0;
}

int cobuild_unit_user_add(struct store *s, const struct cobuild_unit *u, int64_t user_id, struct fault *f)
{
	struct store_stmt *st;
	int64_t n = 0;
	int rc;

	if (store_get_by_id(s, SQL_USER, user_id, "user", &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "user_id", "user %lld does not exist", (long long)user_id);
		return -1;
	}
	store_done(st);
	if (count_of(s, store_query(s, SQL_LINK_TAKEN, "ii", u->id, user_id), &n, f) < 0)
		return -1;
	if (n)
		return fault_set(f, FAULT_CONFLICT, "user_id", "user %lld already speaks for this unit", (long long)user_id);
	if ((rc = store_run(s, SQL_LINK_INSERT, "ii", u->id, user_id)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

int cobuild_user_has_units(struct store *s, int64_t user_id, struct fault *f)
{
	int64_t n = 0;

	if (!user_id)
		return 0;
	if (count_of(s, store_query(s, SQL_HAS_UNITS, "i", user_id), &n, f) < 0)
		return -1;
	return n > 0;
}

int cobuild_user_speaks_for(struct store *s, int64_t user_id, int64_t unit_id, struct fault *f)
{
	int64_t n = 0;

	if (!user_id || !unit_id)
		return 0;
	if (count_of(s, store_query(s, SQL_LINK_TAKEN, "ii", unit_id, user_id), &n, f) < 0)
		return -1;
	return n > 0;
}
