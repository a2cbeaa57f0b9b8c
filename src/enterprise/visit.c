/*
 * visit.c - visits to enterprises (送政策上门): the day, who went (a user of
 * the enterprise's subdistrict), the purpose, the policies delivered and the
 * follow-ups promised.  "200+ visits" is a count of these rows.
 */
#include "enterprise/enterprise.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_CHARS 1000

static void visit_release(struct enterprise_visit *v)
{
	free(v->enterprise_name);
	free(v->login);
	free(v->purpose);
	free(v->policies);
	free(v->follow_up);
}

void enterprise_visit_list_release(struct enterprise_visit_list *l)
{
	YL_LIST_RELEASE(l, visit_release);
}

static const char SQL_ENTERPRISE[] = "SELECT subdistrict_id FROM enterprises WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO enterprise_visits (subdistrict_id, enterprise_id, visited_on, user_id, purpose, policies,"
	" follow_up, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
#define VISIT_WHERE                                                                                            \
	" WHERE (CAST(? AS INTEGER) = 0 OR e.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS INTEGER) = 0 OR v.enterprise_id = ?) AND (CAST(? AS INTEGER) = 0 OR v.user_id = ?)"      \
	" AND (CAST(? AS TEXT) IS NULL OR v.visited_on >= ?) AND (CAST(? AS TEXT) IS NULL OR v.visited_on <= ?)"
static const char SQL_COUNT[] =
	"SELECT count(*) FROM enterprise_visits v JOIN enterprises e ON e.id = v.enterprise_id" VISIT_WHERE;
static const char SQL_LIST[] =
	"SELECT v.id, v.enterprise_id, e.node_id, e.name, v.user_id, u.login, v.visited_on, v.purpose, v.policies,"
	" v.follow_up FROM enterprise_visits v JOIN enterprises e ON e.id = v.enterprise_id"
	" JOIN users u ON u.id = v.user_id" VISIT_WHERE " ORDER BY v.visited_on DESC, v.id DESC LIMIT ? OFFSET ?";

int enterprise_visit_add(struct store *s, int64_t enterprise_id, const struct enterprise_visit_input *in, int64_t *id,
			 struct fault *f)
{
	struct store_stmt *st;
	char today[11], now[32];
	const char *on = in->visited_on;
	int64_t subdistrict;
	int rc;

	*id = 0;
	if (on && enterprise_past_date_check("visited_on", on, f) < 0)
		return -1;
	if (!on) {
		date_today_local(today);
		on = today;
	}
	if (check_text("purpose", in->purpose, TEXT_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("policies", in->policies, TEXT_CHARS, TEXT_NOT_BLANK, f) < 0 ||
	    check_text("follow_up", in->follow_up, TEXT_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	if (!in->user_id)
		return fault_set(f, FAULT_INVALID, "user_id", "user_id is required: who visited");
	if (store_get_by_id(s, SQL_ENTERPRISE, enterprise_id, "enterprise", &st, f) < 0)
		return -1;
	subdistrict = store_column_int64(st, 0);
	store_done(st);
	if (enterprise_user_in_subdistrict(s, in->user_id, subdistrict, "user_id", f) < 0)
		return -1;
	time_now_text(now);
	rc = store_run(s, SQL_INSERT, "iitittIIt", subdistrict, enterprise_id, on, in->user_id, in->purpose, in->policies,
		       in->follow_up, in->created_by, now);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

int enterprise_visits(struct store *s, const struct enterprise_service_filter *flt, struct enterprise_visit_list *out,
		      struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((flt->from && date_valid(flt->from) != 0) || (flt->to && date_valid(flt->to) != 0))
		return fault_set(f, FAULT_INVALID, flt->from && date_valid(flt->from) != 0 ? "from" : "to",
				 "from and to are dates as YYYY-MM-DD");
#define FILTER_ARGS                                                                                            \
	flt->under_id, flt->under_id, flt->enterprise_id, flt->enterprise_id, flt->user_id, flt->user_id, flt->from, \
		flt->from, flt->to, flt->to
	st = store_query(s, SQL_COUNT, "iiiiiitttt", FILTER_ARGS);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	out->total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_LIST, "iiiiiittttii", FILTER_ARGS, (int64_t)(flt->limit > 0 ? flt->limit : 50),
			 (int64_t)(flt->offset > 0 ? flt->offset : 0));
#undef FILTER_ARGS
	while (store_next(st, &rc)) {
		struct enterprise_visit *v;

		YL_GROW(out->items, out->n, out->cap);
		v = &out->items[out->n++];
		memset(v, 0, sizeof(*v));
		v->id = store_column_int64(st, 0);
		v->enterprise_id = store_column_int64(st, 1);
		v->enterprise_node_id = store_column_int64(st, 2);
		v->enterprise_name = store_column_dup(st, 3);
		v->user_id = store_column_int64(st, 4);
		v->login = store_column_dup(st, 5);
		store_column_copy(st, 6, v->visited_on, sizeof(v->visited_on));
		v->purpose = store_column_dup(st, 7);
		v->policies = store_column_dup(st, 8);
		v->follow_up = store_column_dup(st, 9);
	}
	if (rc != STORE_DONE) {
		enterprise_visit_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
