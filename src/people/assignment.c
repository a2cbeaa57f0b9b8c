/*
 * assignment.c - a person holds a role on a node of the tree from a date until
 * a date (or open): branch secretary of a courtyard, building head of a
 * building, mobile grid member of a community...
 *
 * Rules: the node's level is one the role allows; an inactive role takes no new
 * holders; a mobile grid member (a role with needs_platform) is a courier or a
 * rider of a named platform, and no other role has those; the same person does
 * not hold the same role on the same node twice over the same days.  A change
 * of role or node is a new assignment: an update only ends, annotates or
 * changes the platform.
 */
#include "people/check.h"
#include "util/check.h"
#include "people/people.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLATFORM_CHARS 50
#define NOTE_CHARS 200
/* The end of an open assignment when comparing ranges: later than any real date. */
#define OPEN_END "9999-12-31"

void assignment_release(struct assignment *a)
{
	free(a->person_name);
	free(a->role_code);
	free(a->node_name);
	free(a->starts_on);
	free(a->ends_on);
	free(a->worker_type);
	free(a->platform);
	free(a->note);
	free(a->created_at);
	free(a->updated_at);
	memset(a, 0, sizeof(*a));
}

void assignment_list_release(struct assignment_list *l)
{
	YL_LIST_RELEASE(l, assignment_release);
}

#define ASSIGNMENT_COLUMNS \
	"a.id, a.subdistrict_id, a.person_id, p.name, a.role_id, r.code, a.node_id, n.name, a.starts_on, a.ends_on, " \
	"a.worker_type, a.platform, a.note, a.created_at, a.updated_at"
#define ASSIGNMENT_FROM \
	" FROM role_assignments a JOIN persons p ON p.id = a.person_id JOIN roles r ON r.id = a.role_id" \
	" JOIN nodes n ON n.id = a.node_id"

static void read_assignment(struct store_stmt *st, struct assignment *a)
{
	memset(a, 0, sizeof(*a));
	a->id = store_column_int64(st, 0);
	a->subdistrict_id = store_column_int64(st, 1);
	a->person_id = store_column_int64(st, 2);
	a->person_name = store_column_dup(st, 3);
	a->role_id = store_column_int64(st, 4);
	a->role_code = store_column_dup(st, 5);
	a->node_id = store_column_int64(st, 6);
	a->node_name = store_column_dup(st, 7);
	a->starts_on = store_column_dup(st, 8);
	a->ends_on = store_column_dup(st, 9);
	a->worker_type = store_column_dup(st, 10);
	a->platform = store_column_dup(st, 11);
	a->note = store_column_dup(st, 12);
	a->created_at = store_column_dup(st, 13);
	a->updated_at = store_column_dup(st, 14);
}

static const char SQL_ASSIGNMENT_BY_ID[] = "SELECT " ASSIGNMENT_COLUMNS ASSIGNMENT_FROM " WHERE a.id = ?";

int people_assignment_get(struct store *s, int64_t id, struct assignment *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_ASSIGNMENT_BY_ID, id, "assignment", &st, f) < 0)
		return -1;
	read_assignment(st, out);
	store_done(st);
	return 0;
}

/* 1 when level is in the role's comma-separated levels. */
static int role_allows(const struct role *r, enum node_level level)
{
	const char *name = node_level_name(level), *p = r->levels;
	size_t n = strlen(name);

	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static int check_worker(const struct role *r, const char *worker_type, const char *platform, struct fault *f)
{
	if (!r->needs_platform) {
		if (worker_type)
			return fault_set(f, FAULT_INVALID, "worker_type",
					 "worker_type is only for mobile grid members, not for %s", r->code);
		if (platform)
			return fault_set(f, FAULT_INVALID, "platform",
					 "platform is only for mobile grid members, not for %s", r->code);
		return 0;
	}
	/* DOMAIN.md: couriers and food-delivery riders act as mobile grid members. */
	if (!worker_type)
		return fault_set(f, FAULT_INVALID, "worker_type",
				 "a %s is a courier or a rider: worker_type is required", r->code);
	if (!platform)
		return fault_set(f, FAULT_INVALID, "platform",
				 "a %s names the courier or delivery platform: platform is required", r->code);
	return 0;
}

static int check_worker_type(const char *worker_type, struct fault *f)
{
	if (worker_type && strcmp(worker_type, "courier") != 0 && strcmp(worker_type, "rider") != 0)
		return fault_set(f, FAULT_INVALID, "worker_type", "worker_type must be courier or rider");
	return 0;
}

static const char SQL_OVERLAP[] =
	"SELECT id, starts_on, ends_on FROM role_assignments"
	" WHERE person_id = ? AND role_id = ? AND node_id = ? AND id <> ?"
	"   AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)"
	" ORDER BY starts_on LIMIT 1";

/* The same person, role and node over days that overlap [starts_on, ends_on] is a conflict. */
static int check_overlap(struct store *s, int64_t self, int64_t person, const struct role *r, int64_t node,
			 const char *starts_on, const char *ends_on, struct fault *f)
{
	struct store_stmt *st;
	char other_start[11] = "", other_end[11] = "";
	int64_t other = 0;
	int rc;

	st = store_query(s, SQL_OVERLAP, "iiiitt", (int64_t)person, (int64_t)r->id, (int64_t)node, (int64_t)self,
			 ends_on ? ends_on : OPEN_END, starts_on);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		other = store_column_int64(st, 0);
		snprintf(other_start, sizeof(other_start), "%s", store_column_text(st, 1));
		if (!store_column_is_null(st, 2))
			snprintf(other_end, sizeof(other_end), "%s", store_column_text(st, 2));
	}
	store_done(st);
	if (rc < 0)
		return store_fault(s, rc, f);
	if (other)
		return fault_set(f, FAULT_CONFLICT, "starts_on",
				 "person %lld already holds %s on node %lld from %s%s%s (assignment %lld): the days overlap",
				 (long long)person, r->code, (long long)node, other_start, other_end[0] ? " to " : " (open)",
				 other_end, (long long)other);
	return 0;
}

/* Resolves the role by id or code; a missing role is the caller's input at fault. */
static int find_role(struct store *s, const struct assignment_input *in, struct role *r, struct fault *f)
{
	if (in->role_id) {
		if (people_role_get(s, in->role_id, r, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "role_id", "role %lld does not exist", (long long)in->role_id);
			return -1;
		}
		if (in->role_code && strcmp(in->role_code, r->code) != 0) {
			fault_set(f, FAULT_INVALID, "role_code", "role %lld has the code '%s', not '%s'",
				  (long long)in->role_id, r->code, in->role_code);
			role_release(r);
			return -1;
		}
		return 0;
	}
	if (people_role_get_by_code(s, in->role_code, r, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "role_code", "no role has the code '%s'", in->role_code);
		return -1;
	}
	return 0;
}

static int check_create_input(const struct assignment_input *in, struct fault *f)
{
	if (in->person_id <= 0)
		return fault_set(f, FAULT_INVALID, "person_id", "person_id is required");
	if (in->role_id <= 0 && !in->role_code)
		return fault_set(f, FAULT_INVALID, "role_id", "role_id or role_code is required");
	if (in->node_id <= 0)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required");
	if (people_check_date("starts_on", in->starts_on, f) < 0 || people_check_date("ends_on", in->ends_on, f) < 0 ||
	    check_worker_type(in->worker_type, f) < 0 ||
	    check_text("platform", in->platform, PLATFORM_CHARS, TEXT_NOT_BLANK, f) < 0 ||
	    check_text("note", in->note, NOTE_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	return 0;
}

static const char SQL_PERSON_EXISTS[] = "SELECT id FROM persons WHERE id = ?";
static const char SQL_ASSIGNMENT_INSERT[] =
	"INSERT INTO role_assignments (subdistrict_id, person_id, role_id, node_id, starts_on, ends_on, worker_type,"
	" platform, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int people_assignment_create(struct store *s, const struct assignment_input *in, int64_t *id, struct fault *f)
{
	struct role role = { 0 };
	struct node node = { 0 };
	char today[11], now[32];
	const char *starts_on;
	int64_t found;
	int rc, ret = -1;

	if (check_create_input(in, f) < 0)
		return -1;
	date_today_local(today);
	starts_on = in->starts_on ? in->starts_on : today;
	if (in->ends_on && strcmp(in->ends_on, starts_on) < 0)
		return fault_set(f, FAULT_INVALID, "ends_on", "ends_on %s is before starts_on %s", in->ends_on, starts_on);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	rc = store_query_int64(s, SQL_PERSON_EXISTS, &found, 1, (int64_t)in->person_id);
	if (rc == STORE_NOTFOUND) {
		fault_set(f, FAULT_INVALID, "person_id", "person %lld does not exist", (long long)in->person_id);
		goto out;
	}
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	if (find_role(s, in, &role, f) < 0)
		goto out;
	if (!role.active) {
		fault_set(f, FAULT_INVALID, in->role_id ? "role_id" : "role_code",
			  "role %s is inactive: it takes no new holders", role.code);
		goto out;
	}
	if (org_node_get(s, in->node_id, &node, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "node_id", "node %lld does not exist", (long long)in->node_id);
		goto out;
	}
	if (!role_allows(&role, node.level)) {
		fault_set(f, FAULT_INVALID, "node_id", "%s may be held on: %s; node %lld is a %s", role.code,
			  role.levels, (long long)node.id, node_level_name(node.level));
		goto out;
	}
	if (check_worker(&role, in->worker_type, in->platform, f) < 0 ||
	    check_overlap(s, 0, in->person_id, &role, node.id, starts_on, in->ends_on, f) < 0)
		goto out;
	time_now_text(now);
	if ((rc = store_run(s, SQL_ASSIGNMENT_INSERT, "iiiittttttt", (int64_t)node.subdistrict_id,
			    (int64_t)in->person_id, (int64_t)role.id, (int64_t)node.id, starts_on, in->ends_on,
			    in->worker_type, in->platform, in->note, now, now)) != STORE_OK) {
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
	role_release(&role);
	node_release(&node);
	return ret;
}

static const char SQL_ASSIGNMENT_UPDATE[] =
	"UPDATE role_assignments SET ends_on = ?, worker_type = ?, platform = ?, note = ?, updated_at = ? WHERE id = ?";

static int check_update_input(const struct assignment_input *in, struct fault *f)
{
	const char *field = in->person_id ? "person_id" : in->role_id ? "role_id" : in->role_code ? "role_code" :
			    in->node_id ? "node_id" : in->starts_on ? "starts_on" : NULL;

	if (field)
		return fault_set(f, FAULT_INVALID, field,
				 "%s cannot change: end this assignment and create a new one", field);
	if (people_check_date("ends_on", in->ends_on, f) < 0 || check_worker_type(in->worker_type, f) < 0 ||
	    check_text("platform", in->platform, PLATFORM_CHARS, TEXT_NOT_BLANK, f) < 0 ||
	    check_text("note", in->note, NOTE_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	return 0;
}

int people_assignment_update(struct store *s, int64_t id, const struct assignment_input *in, struct fault *f)
{
	struct assignment cur = { 0 };
	struct role role = { 0 };
	const char *ends_on, *worker_type, *platform, *note;
	char now[32];
	int rc, ret = -1;

	if (check_update_input(in, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (people_assignment_get(s, id, &cur, f) < 0 || people_role_get(s, cur.role_id, &role, f) < 0)
		goto out;
	ends_on = in->ends_on || in->set_ends_on ? in->ends_on : cur.ends_on;
	worker_type = in->worker_type ? in->worker_type : cur.worker_type;
	platform = in->platform ? in->platform : cur.platform;
	note = in->note || in->set_note ? in->note : cur.note;
	if (ends_on && strcmp(ends_on, cur.starts_on) < 0) {
		fault_set(f, FAULT_INVALID, "ends_on", "ends_on %s is before starts_on %s", ends_on, cur.starts_on);
		goto out;
	}
	/* For other roles only the input can bring worker fields in; a mobile grid member keeps both. */
	if (check_worker(&role, role.needs_platform ? worker_type : in->worker_type,
			 role.needs_platform ? platform : in->platform, f) < 0)
		goto out;
	/* Reopening or moving the end later may run into another holding of the same role. */
	if (check_overlap(s, id, cur.person_id, &role, cur.node_id, cur.starts_on, ends_on, f) < 0)
		goto out;
	time_now_text(now);
	if ((rc = store_run(s, SQL_ASSIGNMENT_UPDATE, "ttttti", ends_on, worker_type, platform, note, now,
			    (int64_t)id)) != STORE_OK) {
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
	assignment_release(&cur);
	role_release(&role);
	return ret;
}

int people_assignment_list(struct store *s, const struct assignment_filter *flt, struct assignment_list *out,
			   struct fault *f)
{
	struct buf where = BUF_INIT, sql = BUF_INIT;
	const char *texts[8];
	int64_t ids[8];
	int is_text[8], n = 0, i, rc, limit = flt->limit > 0 ? flt->limit : 50;
	struct store_stmt *st;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	buf_init(&where);
	buf_adds(&where, " WHERE 1=1");
	if (flt->person_id) {
		buf_adds(&where, " AND a.person_id = ?");
		ids[n] = flt->person_id;
		is_text[n++] = 0;
	}
	if (flt->role_id) {
		buf_adds(&where, " AND a.role_id = ?");
		ids[n] = flt->role_id;
		is_text[n++] = 0;
	}
	if (flt->role_code) {
		buf_adds(&where, " AND r.code = ?");
		texts[n] = flt->role_code;
		is_text[n++] = 1;
	}
	if (flt->node_id) {
		buf_adds(&where, " AND a.node_id = ?");
		ids[n] = flt->node_id;
		is_text[n++] = 0;
	}
	if (flt->under_id) {
		buf_adds(&where, " AND a.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?)");
		ids[n] = flt->under_id;
		is_text[n++] = 0;
	}
	if (flt->active_on) {
		buf_adds(&where, " AND a.starts_on <= ? AND (a.ends_on IS NULL OR a.ends_on >= ?)");
		texts[n] = flt->active_on;
		is_text[n++] = 1;
		texts[n] = flt->active_on;
		is_text[n++] = 1;
	}
	for (i = 0; i < 2; i++) {
		int k;

		buf_reset(&sql);
		if (i == 0)
			buf_addf(&sql, "SELECT COUNT(*)" ASSIGNMENT_FROM "%s", where.data);
		else
			buf_addf(&sql, "SELECT " ASSIGNMENT_COLUMNS ASSIGNMENT_FROM "%s ORDER BY a.id LIMIT %d OFFSET %d",
				 where.data, limit, flt->offset > 0 ? flt->offset : 0);
		st = store_prepare(s, sql.data);
		for (k = 0; k < n; k++) {
			if (is_text[k])
				store_bind_text(st, k + 1, texts[k]);
			else
				store_bind_int64(st, k + 1, ids[k]);
		}
		while ((rc = store_step(st)) == STORE_ROW) {
			if (i == 0) {
				out->total = store_column_int64(st, 0);
				continue;
			}
			YL_GROW(out->items, out->n, cap);
			read_assignment(st, &out->items[out->n++]);
		}
		store_done(st);
		if (rc != STORE_DONE) {
			assignment_list_release(out);
			buf_release(&where);
			buf_release(&sql);
			return store_fault(s, rc, f);
		}
	}
	buf_release(&where);
	buf_release(&sql);
	return 0;
}
