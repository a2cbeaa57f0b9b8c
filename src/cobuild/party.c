/*
 * party.c - party members' service (issue 18 part 4): a member's status
 * (正式, 预备, 发展对象, 积极分子) since a day, the branch that holds the
 * relationship (its node is the scope), what they pledged on their public
 * card (亮身份); an append-only history of status changes and of transfers
 * between branches; service records (what, when, hours, for whom); and the
 * points (党员积分) of a year, computed on reading by point_rules[] below.
 * Each write is one transaction: the member's row and its history row.
 */
#include "cobuild/cobuild.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLEDGE_CHARS 200
#define REASON_CHARS 500
#define WHAT_CHARS 200

static const char *const statuses[] = { "formal", "probationary", "candidate", "activist", NULL };

/*
 * 党员积分 rules (the branch's scheme, one row each): points per full hour
 * served, per service record, per co-building claim the member reported.
 */
static const struct point_rule {
	const char *name;
	int per_hour, per_record, per_claim;
} point_rules = { "service", 1, 2, 5 };

int64_t party_points(int64_t hours_tenths, int64_t records, int64_t claims)
{
	return hours_tenths / 10 * point_rules.per_hour + records * point_rules.per_record + claims * point_rules.per_claim;
}

void party_member_release(struct party_member *m)
{
	free(m->name);
	free(m->org_name);
	free(m->pledge);
	free(m->status);
	memset(m, 0, sizeof(*m));
}

void party_member_list_release(struct party_member_list *l)
{
	YL_LIST_RELEASE(l, party_member_release);
}

static void event_release(struct party_event *e)
{
	free(e->reason);
	free(e->created_at);
}

void party_event_list_release(struct party_event_list *l)
{
	YL_LIST_RELEASE(l, event_release);
}

static void service_release(struct party_service *r)
{
	free(r->what);
	free(r->for_whom);
}

void party_service_list_release(struct party_service_list *l)
{
	YL_LIST_RELEASE(l, service_release);
}

/* The year's figures ride along: ?1 and ?2 are the year's first and last day. */
#define MEMBER_COLUMNS                                                                                                \
	"m.id, m.subdistrict_id, m.person_id, m.org_id, m.node_id, p.name, o.name, m.pledge, m.status, m.status_since," \
	" (SELECT COALESCE(sum(r.hours_tenths), 0) FROM party_service_records r WHERE r.member_id = m.id"             \
	"   AND r.served_on >= ? AND r.served_on <= ?),"                                                                 \
	" (SELECT count(*) FROM party_service_records r WHERE r.member_id = m.id AND r.served_on >= ? AND r.served_on <= ?)," \
	" (SELECT count(*) FROM cobuild_claims c WHERE c.person_id = m.person_id AND c.status <> 'claimed'"            \
	"   AND c.served_on >= ? AND c.served_on <= ?),"                                                                 \
	" (SELECT count(*) FROM cobuild_unit_members u WHERE u.person_id = m.person_id)"
#define MEMBER_FROM " FROM party_members m JOIN persons p ON p.id = m.person_id JOIN party_orgs o ON o.id = m.org_id"

static const char SQL_MEMBER_BY_ID[] = "SELECT " MEMBER_COLUMNS MEMBER_FROM " WHERE m.id = ?";
static const char SQL_MEMBERS[] =
	"SELECT " MEMBER_COLUMNS MEMBER_FROM
	" WHERE (CAST(? AS INTEGER) = 0 OR m.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
	" AND (CAST(? AS TEXT) IS NULL OR m.status = ?) ORDER BY o.name, p.name, m.id";
static const char SQL_ORG[] = "SELECT subdistrict_id, node_id FROM party_orgs WHERE id = ?";
static const char SQL_PERSON[] = "SELECT id FROM persons WHERE id = ?";
static const char SQL_ENROLLED[] = "SELECT id FROM party_members WHERE person_id = ?";
static const char SQL_MEMBER_INSERT[] =
	"INSERT INTO party_members (subdistrict_id, person_id, org_id, node_id, status, status_since, pledge, created_at,"
	" updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EVENT_INSERT[] =
	"INSERT INTO party_member_events (member_id, action, status, from_org_id, to_org_id, on_date, reason, by_user_id,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_STATUS_UPDATE[] =
	"UPDATE party_members SET status = ?, status_since = ?, updated_at = ? WHERE id = ?";
static const char SQL_TRANSFER_UPDATE[] =
	"UPDATE party_members SET org_id = ?, node_id = ?, subdistrict_id = ?, updated_at = ? WHERE id = ?";
static const char SQL_LAST_EVENT_DAY[] = "SELECT max(on_date) FROM party_member_events WHERE member_id = ?";
static const char SQL_EVENTS[] =
	"SELECT id, action, status, from_org_id, to_org_id, on_date, reason, by_user_id, created_at"
	" FROM party_member_events WHERE member_id = ? ORDER BY id";
static const char SQL_SERVICE_INSERT[] =
	"INSERT INTO party_service_records (subdistrict_id, member_id, served_on, hours_tenths, what, for_whom, by_user_id,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SERVICES[] =
	"SELECT id, served_on, hours_tenths, what, for_whom FROM party_service_records WHERE member_id = ?"
	" ORDER BY served_on DESC, id DESC";
static const char SQL_QUARTER_HOURS[] =
	"SELECT COALESCE(sum(hours_tenths), 0) FROM party_service_records WHERE member_id = ? AND served_on >= ?"
	" AND served_on <= ?";

static void year_bounds(int year, char from[11], char to[11])
{
	snprintf(from, 11, "%04d-01-01", year);
	snprintf(to, 11, "%04d-12-31", year);
}

static void read_member(struct store_stmt *st, struct party_member *m)
{
	memset(m, 0, sizeof(*m));
	m->id = store_column_int64(st, 0);
	m->subdistrict_id = store_column_int64(st, 1);
	m->person_id = store_column_int64(st, 2);
	m->org_id = store_column_int64(st, 3);
	m->node_id = store_column_int64(st, 4);
	m->name = store_column_dup(st, 5);
	m->org_name = store_column_dup(st, 6);
	m->pledge = store_column_dup(st, 7);
	m->status = store_column_dup(st, 8);
	store_column_copy(st, 9, m->status_since, sizeof(m->status_since));
	m->hours_year = store_column_int64(st, 10);
	m->records_year = store_column_int64(st, 11);
	m->claims_year = store_column_int64(st, 12);
	m->reported = store_column_int64(st, 13) > 0;
	m->points_year = party_points(m->hours_year, m->records_year, m->claims_year);
}

int party_member_get(struct store *s, int64_t id, int year, struct party_member *out, struct fault *f)
{
	char from[11], to[11];
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	year_bounds(year, from, to);
	st = store_query(s, SQL_MEMBER_BY_ID, "tttttti", from, to, from, to, from, to, id);
	if (!store_next(st, &rc))
		return rc == STORE_DONE ? fault_set(f, FAULT_NOT_FOUND, "id", "party member %lld does not exist", (long long)id)
					: store_fault(s, rc, f);
	read_member(st, out);
	store_done(st);
	return 0;
}

int party_member_list(struct store *s, int64_t under, const char *status, int year, struct party_member_list *out,
		      struct fault *f)
{
	char from[11], to[11];
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (status && !cobuild_word_in(statuses, status))
		return fault_set(f, FAULT_INVALID, "status", "status is formal, probationary, candidate or activist");
	year_bounds(year, from, to);
	st = store_query(s, SQL_MEMBERS, "ttttttiitt", from, to, from, to, from, to, under, under, status, status);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_member(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		party_member_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static int org_place(struct store *s, int64_t org_id, const char *field, int64_t *subdistrict, int64_t *node,
		     struct fault *f)
{
	struct store_stmt *st;

	if (store_get_by_id(s, SQL_ORG, org_id, "party organisation", &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, field, "party organisation %lld does not exist", (long long)org_id);
		return -1;
	}
	*subdistrict = store_column_int64(st, 0);
	*node = store_column_int64(st, 1);
	store_done(st);
	return 0;
}

int party_member_enrol(struct store *s, const struct party_member_input *in, int64_t by_user, int64_t *id,
		       struct fault *f)
{
	struct store_stmt *st;
	int64_t subdistrict, node;
	char now[32];
	int rc;

	*id = 0;
	if (!cobuild_word_in(statuses, in->status))
		return fault_set(f, FAULT_INVALID, "status", "status is formal, probationary, candidate or activist");
	if (cobuild_past_date("since", in->since, f) < 0 ||
	    check_text("pledge", in->pledge, PLEDGE_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (store_get_by_id(s, SQL_PERSON, in->person_id, "person", &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "person_id", "person %lld does not exist", (long long)in->person_id);
		return -1;
	}
	store_done(st);
	if (org_place(s, in->org_id, "org_id", &subdistrict, &node, f) < 0)
		return -1;
	st = store_query(s, SQL_ENROLLED, "i", in->person_id);
	if (store_next(st, &rc)) {
		store_done(st);
		return fault_set(f, FAULT_CONFLICT, "person_id", "person %lld is already on the roll", (long long)in->person_id);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	rc = store_run(s, SQL_MEMBER_INSERT, "iiiittttt", subdistrict, in->person_id, in->org_id, node, in->status, in->since,
		       in->pledge && *in->pledge ? in->pledge : NULL, now, now);
	if (rc == STORE_OK) {
		*id = store_last_id(s);
		rc = store_run(s, SQL_EVENT_INSERT, "ittIittIt", *id, "enrol", in->status, (int64_t)0, in->org_id, in->since,
			       NULL, by_user, now);
	}
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		store_rollback(s);
		*id = 0;
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

/* The day of a change: a real day, not in the future, not before the member's last recorded change. */
static int change_day(struct store *s, int64_t id, const char *field, const char *on, struct fault *f)
{
	struct store_stmt *st;
	char last[11] = "";
	int rc;

	if (cobuild_past_date(field, on, f) < 0)
		return -1;
	st = store_query(s, SQL_LAST_EVENT_DAY, "i", id);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	store_column_copy(st, 0, last, sizeof(last));
	store_done(st);
	if (last[0] && strcmp(on, last) < 0)
		return fault_set(f, FAULT_INVALID, field, "%s is not before the last change (%s)", field, last);
	return 0;
}

int party_member_status(struct store *s, int64_t id, const char *status, const char *since, const char *reason,
			int64_t by_user, struct fault *f)
{
	struct party_member m;
	char today[11], now[32];
	int rc, same;

	date_today_local(today);
	if (party_member_get(s, id, atoi(today), &m, f) < 0)
		return -1;
	same = status && !strcmp(m.status, status);
	party_member_release(&m);
	if (!cobuild_word_in(statuses, status))
		return fault_set(f, FAULT_INVALID, "status", "status is formal, probationary, candidate or activist");
	if (same)
		return fault_set(f, FAULT_CONFLICT, "status", "the member's status is already %s", status);
	if (check_text("reason", reason, REASON_CHARS, TEXT_OPTIONAL, f) < 0 || change_day(s, id, "since", since, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	rc = store_run(s, SQL_STATUS_UPDATE, "ttti", status, since, now, id);
	if (rc == STORE_OK)
		rc = store_run(s, SQL_EVENT_INSERT, "ittIIttIt", id, "status", status, (int64_t)0, (int64_t)0, since,
			       reason && *reason ? reason : NULL, by_user, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		store_rollback(s);
		return -1;
	}
	return (rc = store_commit(s)) == STORE_OK ? 0 : store_fault(s, rc, f);
}

int party_member_transfer(struct store *s, int64_t id, int64_t to_org_id, const char *on, const char *reason,
			  int64_t by_user, struct fault *f)
{
	struct party_member m;
	char today[11], now[32];
	int64_t subdistrict, node, from;
	int rc;

	date_today_local(today);
	if (party_member_get(s, id, atoi(today), &m, f) < 0)
		return -1;
	from = m.org_id;
	party_member_release(&m);
	if (org_place(s, to_org_id, "to_org_id", &subdistrict, &node, f) < 0)
		return -1;
	if (to_org_id == from)
		return fault_set(f, FAULT_INVALID, "to_org_id", "the relationship is already held by this branch");
	if (check_text("reason", reason, REASON_CHARS, TEXT_REQUIRED, f) < 0 || change_day(s, id, "on", on, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	rc = store_run(s, SQL_TRANSFER_UPDATE, "iiiti", to_org_id, node, subdistrict, now, id);
	if (rc == STORE_OK)
		rc = store_run(s, SQL_EVENT_INSERT, "ittiittIt", id, "transfer", NULL, from, to_org_id, on, reason, by_user, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		store_rollback(s);
		return -1;
	}
	return (rc = store_commit(s)) == STORE_OK ? 0 : store_fault(s, rc, f);
}

int party_member_events(struct store *s, int64_t id, struct party_event_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_EVENTS, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct party_event *e;

		YL_GROW(out->items, out->n, out->cap);
		e = &out->items[out->n++];
		memset(e, 0, sizeof(*e));
		e->id = store_column_int64(st, 0);
		store_column_copy(st, 1, e->action, sizeof(e->action));
		store_column_copy(st, 2, e->status, sizeof(e->status));
		e->from_org_id = store_column_int64(st, 3);
		e->to_org_id = store_column_int64(st, 4);
		store_column_copy(st, 5, e->on_date, sizeof(e->on_date));
		e->reason = store_column_dup(st, 6);
		e->by_user_id = store_column_int64(st, 7);
		e->created_at = store_column_dup(st, 8);
	}
	if (rc != STORE_DONE) {
		party_event_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int party_service_record(struct store *s, int64_t member_id, const char *served_on, const char *hours, const char *what,
			 const char *for_whom, int64_t by_user, int64_t *id, struct fault *f)
{
	struct party_member m;
	char today[11], now[32];
	int64_t tenths, subdistrict;
	int rc;

	*id = 0;
	date_today_local(today);
	if (party_member_get(s, member_id, atoi(today), &m, f) < 0)
		return -1;
	subdistrict = m.subdistrict_id;
	party_member_release(&m);
	/* hours in the future are refused: a record says what was done */
	if (cobuild_past_date("served_on", served_on, f) < 0 || cobuild_hours_parse("hours", hours, &tenths, f) < 0 ||
	    check_text("what", what, WHAT_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("for_whom", for_whom, WHAT_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (!tenths)
		return fault_set(f, FAULT_INVALID, "hours", "hours is more than nothing");
	time_now_text(now);
	rc = store_run(s, SQL_SERVICE_INSERT, "iitittIt", subdistrict, member_id, served_on, tenths, what,
		       for_whom && *for_whom ? for_whom : NULL, by_user, now);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

int party_services(struct store *s, int64_t member_id, struct party_service_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_SERVICES, "i", member_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct party_service *r;

		YL_GROW(out->items, out->n, out->cap);
		r = &out->items[out->n++];
		r->id = store_column_int64(st, 0);
		store_column_copy(st, 1, r->served_on, sizeof(r->served_on));
		r->hours_tenths = store_column_int64(st, 2);
		r->what = store_column_dup(st, 3);
		r->for_whom = store_column_dup(st, 4);
	}
	if (rc != STORE_DONE) {
		party_service_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int party_quarter_hours(struct store *s, int64_t member_id, const char *from, const char *to, int64_t *tenths,
			struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_QUARTER_HOURS, "itt", member_id, from, to);
	int rc;

	*tenths = 0;
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*tenths = store_column_int64(st, 0);
	store_done(st);
	return 0;
}

int party_org_node(struct store *s, int64_t org_id, int64_t *node, struct fault *f)
{
	int64_t subdistrict;

	*node = 0;
	if (org_place(s, org_id, "org_id", &subdistrict, node, f) < 0) {
		if (f->kind == FAULT_INVALID)
			f->kind = FAULT_NOT_FOUND;
		return -1;
	}
	return 0;
}
