/*
 * patrol.c - patrol logs (巡逻记录, issue 16): the route, start and end, who
 * went (members of the team that day), what was seen, and incidents at places
 * of the team's node with a photo; an incident becomes a work order in one
 * step, linked both ways (the incident holds the order; the order's text and
 * intake event name the patrol).
 */
#include "volunteer/volunteer.h"
#include "volunteer/volunteer_internal.h"
#include "auth/auth.h"
#include "org/org.h"
#include "util/check.h"
#include "util/util.h"
#include "workorder/config.h"
#include "workorder/workorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUTE_CHARS 200
#define SEEN_CHARS 2000
#define INCIDENT_CHARS 1000

void volunteer_incident_release(struct vol_incident *i)
{
	free(i->description);
	free(i->work_order_number);
	free(i->work_order_state);
	memset(i, 0, sizeof(*i));
}

void volunteer_patrol_release(struct vol_patrol *p)
{
	size_t i;

	free(p->route);
	free(p->seen);
	free(p->team_name);
	free(p->created_at);
	free(p->person_ids);
	for (i = 0; i < p->npersons; i++)
		free(p->person_names[i]);
	free(p->person_names);
	for (i = 0; i < p->nincidents; i++)
		volunteer_incident_release(&p->incidents[i]);
	free(p->incidents);
	memset(p, 0, sizeof(*p));
}

void volunteer_patrol_list_release(struct vol_patrol_list *l)
{
	YL_LIST_RELEASE(l, volunteer_patrol_release);
}

#define PATROL_COLUMNS                                                                                          \
	"p.id, p.subdistrict_id, p.team_id, p.node_id, p.shift_id, p.by_user_id, p.route, p.seen, t.name, p.created_at," \
	" p.started_at, p.ended_at"
#define PATROL_FROM " FROM volunteer_patrols p CROSS JOIN volunteer_teams t WHERE t.id = p.team_id"

static void read_patrol(struct store_stmt *st, struct vol_patrol *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_column_int64(st, 0);
	p->subdistrict_id = store_column_int64(st, 1);
	p->team_id = store_column_int64(st, 2);
	p->node_id = store_column_int64(st, 3);
	p->shift_id = store_column_int64(st, 4);
	p->by_user_id = store_column_int64(st, 5);
	p->route = store_column_dup(st, 6);
	p->seen = store_column_dup(st, 7);
	p->team_name = store_column_dup(st, 8);
	p->created_at = store_column_dup(st, 9);
	p->started_at = store_column_int64(st, 10);
	p->ended_at = store_column_int64(st, 11);
}

static const char SQL_PEOPLE[] =
	"SELECT m.person_id, n.name FROM volunteer_patrol_members m CROSS JOIN persons n WHERE n.id = m.person_id"
	" AND m.patrol_id = ? ORDER BY n.name, m.person_id";
#define INCIDENT_COLUMNS                                                                                     \
	"i.id, i.patrol_id, i.node_id, i.upload_id, i.work_order_id, i.description, w.number, w.state"
#define INCIDENT_FROM " FROM volunteer_patrol_incidents i LEFT JOIN work_orders w ON w.id = i.work_order_id"
static const char SQL_INCIDENTS[] = "SELECT " INCIDENT_COLUMNS INCIDENT_FROM " WHERE i.patrol_id = ? ORDER BY i.id";
static const char SQL_INCIDENT[] =
	"SELECT " INCIDENT_COLUMNS ", p.team_id" INCIDENT_FROM " CROSS JOIN volunteer_patrols p"
	" WHERE p.id = i.patrol_id AND i.id = ?";

static void read_incident(struct store_stmt *st, struct vol_incident *i)
{
	memset(i, 0, sizeof(*i));
	i->id = store_column_int64(st, 0);
	i->patrol_id = store_column_int64(st, 1);
	i->node_id = store_column_int64(st, 2);
	i->upload_id = store_column_int64(st, 3);
	i->work_order_id = store_column_int64(st, 4);
	i->description = store_column_dup(st, 5);
	i->work_order_number = store_column_dup(st, 6);
	i->work_order_state = store_column_dup(st, 7);
}

/* Who went and what happened, for a patrol read. */
static int patrol_details(struct store *s, struct vol_patrol *p, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_PEOPLE, "i", p->id);
	size_t cap = 0, cap2 = 0;
	int rc;

	while (store_next(st, &rc)) {
		if (p->npersons == cap) {
			cap = cap ? cap * 2 : 4;
			p->person_ids = xrealloc(p->person_ids, cap * sizeof(*p->person_ids));
			p->person_names = xrealloc(p->person_names, cap * sizeof(*p->person_names));
		}
		p->person_ids[p->npersons] = store_column_int64(st, 0);
		p->person_names[p->npersons++] = store_column_dup(st, 1);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_INCIDENTS, "i", p->id);
	while (store_next(st, &rc)) {
		YL_GROW(p->incidents, p->nincidents, cap2);
		read_incident(st, &p->incidents[p->nincidents++]);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

static const char SQL_PATROL_BY_ID[] = "SELECT " PATROL_COLUMNS PATROL_FROM " AND p.id = ?";

int volunteer_patrol_get(struct store *s, int64_t id, struct vol_patrol *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_PATROL_BY_ID, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!store_next(st, &rc)) {
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
		return fault_set(f, FAULT_NOT_FOUND, "id", "patrol %lld does not exist", (long long)id);
	}
	read_patrol(st, out);
	store_done(st);
	if (patrol_details(s, out, f) < 0) {
		volunteer_patrol_release(out);
		return -1;
	}
	return 0;
}

#define PATROL_WHERE                                                                                                 \
	" AND (CAST(? AS INTEGER) = 0 OR p.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS INTEGER) = 0 OR p.team_id = ?)"                                                              \
	" AND (CAST(? AS INTEGER) = 0 OR p.team_id IN (SELECT m.team_id FROM volunteer_members m WHERE m.person_id = ?" \
	" AND m.joined_on <= ? AND (m.left_on IS NULL OR m.left_on > ?)))"
static const char SQL_PATROL_COUNT[] = "SELECT count(*)" PATROL_FROM PATROL_WHERE;
static const char SQL_PATROL_LIST[] =
	"SELECT " PATROL_COLUMNS PATROL_FROM PATROL_WHERE " ORDER BY p.started_at DESC, p.id DESC LIMIT ? OFFSET ?";

int volunteer_patrol_list(struct store *s, int64_t under, int64_t team_id, int64_t member_person, int limit, int offset,
			  struct vol_patrol_list *out, int64_t *total, struct fault *f)
{
	struct store_stmt *st;
	char today[11];
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	date_today_local(today);
	st = store_query(s, SQL_PATROL_COUNT, "iiiiiitt", under, under, team_id, team_id, member_person, member_person,
			 today, today);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_PATROL_LIST, "iiiiiittii", under, under, team_id, team_id, member_person, member_person,
			 today, today, (int64_t)limit, (int64_t)offset);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_patrol(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		volunteer_patrol_list_release(out);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < out->n; i++)
		if (patrol_details(s, &out->items[i], f) < 0) {
			volunteer_patrol_list_release(out);
			return -1;
		}
	return 0;
}

static const char SQL_SHIFT_TEAM[] = "SELECT team_id FROM volunteer_shifts WHERE id = ?";
static const char SQL_UPLOAD[] = "SELECT id FROM wo_uploads WHERE id = ?";
static const char SQL_PATROL_INSERT[] =
	"INSERT INTO volunteer_patrols (subdistrict_id, team_id, node_id, shift_id, route, started_at, ended_at, seen,"
	" by_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PATROL_PERSON[] = "INSERT INTO volunteer_patrol_members (patrol_id, person_id) VALUES (?, ?)";
static const char SQL_INCIDENT_INSERT[] =
	"INSERT INTO volunteer_patrol_incidents (subdistrict_id, patrol_id, node_id, description, upload_id, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?)";

static int check_patrol(struct store *s, const struct vol_team *t, const struct vol_patrol_input *in, int64_t now,
			int64_t *started, int64_t *ended, struct fault *f)
{
	char day[11];
	size_t i, j;
	int64_t v;
	int yes, rc;

	if (check_text("route", in->route, ROUTE_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("seen", in->seen, SEEN_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (!in->started_at)
		return fault_set(f, FAULT_INVALID, "started_at", "started_at is required: YYYY-MM-DD HH:MM");
	if (!in->ended_at)
		return fault_set(f, FAULT_INVALID, "ended_at", "ended_at is required: YYYY-MM-DD HH:MM");
	if (volunteer_time_parse("started_at", in->started_at, started, f) < 0 ||
	    volunteer_time_parse("ended_at", in->ended_at, ended, f) < 0)
		return -1;
	if (*ended <= *started)
		return fault_set(f, FAULT_INVALID, "ended_at", "the patrol ends before it starts");
	if (*ended - *started > VOL_SHIFT_MAX)
		return fault_set(f, FAULT_INVALID, "ended_at", "a patrol is at most 24 hours long");
	if (*ended > now + 300)
		return fault_set(f, FAULT_INVALID, "ended_at", "a patrol is logged once it is over");
	if (in->shift_id) {
		rc = store_query_int64(s, SQL_SHIFT_TEAM, &v, 1, in->shift_id);
		if (rc == STORE_NOTFOUND || (rc == STORE_OK && v != t->id))
			return fault_set(f, FAULT_INVALID, "shift_id", "shift %lld is not one of the team's",
					 (long long)in->shift_id);
		if (rc != STORE_OK)
			return store_fault(s, rc, f);
	}
	if (!in->npersons)
		return fault_set(f, FAULT_INVALID, "person_ids", "person_ids is required: who went on the patrol");
	if (in->npersons > VOL_PATROL_MAX_PEOPLE)
		return fault_set(f, FAULT_INVALID, "person_ids", "at most %d people", VOL_PATROL_MAX_PEOPLE);
	vol_day_of(*started, day);
	for (i = 0; i < in->npersons; i++) {
		for (j = 0; j < i; j++)
			if (in->person_ids[j] == in->person_ids[i])
				return fault_set(f, FAULT_INVALID, "person_ids", "person %lld is named twice",
						 (long long)in->person_ids[i]);
		if (volunteer_is_member(s, t->id, in->person_ids[i], day, &yes, f) < 0)
			return -1;
		if (!yes)
			return fault_set(f, FAULT_INVALID, "person_ids", "person %lld is not a member of the team on %s",
					 (long long)in->person_ids[i], day);
	}
	if (in->nincidents > VOL_PATROL_MAX_INCIDENTS)
		return fault_set(f, FAULT_INVALID, "incidents", "at most %d incidents", VOL_PATROL_MAX_INCIDENTS);
	for (i = 0; i < in->nincidents; i++) {
		const struct vol_incident_input *x = &in->incidents[i];

		if (check_text("incidents", x->description, INCIDENT_CHARS, TEXT_REQUIRED, f) < 0)
			return -1;
		if (!x->node_id || org_is_within(s, t->node_id, x->node_id) != 1)
			return fault_set(f, FAULT_INVALID, "incidents", "incident %zu: node_id is a place of the team's %s",
					 i + 1, "node");
		if (x->upload_id) {
			rc = store_query_int64(s, SQL_UPLOAD, &v, 1, x->upload_id);
			if (rc == STORE_NOTFOUND)
				return fault_set(f, FAULT_INVALID, "incidents", "incident %zu: upload %lld does not exist",
						 i + 1, (long long)x->upload_id);
			if (rc != STORE_OK)
				return store_fault(s, rc, f);
		}
	}
	return 0;
}

int volunteer_patrol_create(struct store *s, const struct vol_team *t, const struct vol_patrol_input *in, int64_t by_user,
			    int64_t now, int64_t *id, struct fault *f)
{
	int64_t started, ended;
	char at[32];
	size_t i;
	int rc;

	*id = 0;
	if (check_patrol(s, t, in, now, &started, &ended, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(at);
	rc = store_run(s, SQL_PATROL_INSERT, "iiiItiitIt", t->subdistrict_id, t->id, t->node_id, in->shift_id, in->route,
		       started, ended, in->seen && *in->seen ? in->seen : NULL, by_user, at);
	if (rc != STORE_OK)
		goto fail_rc;
	*id = store_last_id(s);
	for (i = 0; i < in->npersons; i++)
		if ((rc = store_run(s, SQL_PATROL_PERSON, "ii", *id, in->person_ids[i])) != STORE_OK)
			goto fail_rc;
	for (i = 0; i < in->nincidents; i++) {
		rc = store_run(s, SQL_INCIDENT_INSERT, "iiitIt", t->subdistrict_id, *id, in->incidents[i].node_id,
			       in->incidents[i].description, in->incidents[i].upload_id, at);
		if (rc != STORE_OK)
			goto fail_rc;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_rc:
	store_fault(s, rc, f);
	store_rollback(s);
	*id = 0;
	return -1;
}

static const char SQL_INCIDENT_COUNT[] = "SELECT count(*) FROM volunteer_patrol_incidents WHERE patrol_id = ?";

int volunteer_incident_add(struct store *s, const struct vol_patrol *p, const struct vol_incident_input *in, int64_t *id,
			   struct fault *f)
{
	int64_t v = 0;
	char at[32];
	int rc;

	*id = 0;
	if (check_text("description", in->description, INCIDENT_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required: where it was seen");
	if ((rc = org_is_within(s, p->node_id, in->node_id)) != 1)
		return rc < 0 ? store_fault(s, STORE_ERROR, f)
			      : fault_set(f, FAULT_INVALID, "node_id", "node %lld is not a place of the team's node",
					  (long long)in->node_id);
	if (in->upload_id) {
		rc = store_query_int64(s, SQL_UPLOAD, &v, 1, in->upload_id);
		if (rc == STORE_NOTFOUND)
			return fault_set(f, FAULT_INVALID, "upload_id", "upload %lld does not exist", (long long)in->upload_id);
		if (rc != STORE_OK)
			return store_fault(s, rc, f);
	}
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	rc = store_query_int64(s, SQL_INCIDENT_COUNT, &v, 1, p->id);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (v >= VOL_PATROL_MAX_INCIDENTS) {
		fault_set(f, FAULT_CONFLICT, "id", "a patrol has at most %d incidents", VOL_PATROL_MAX_INCIDENTS);
		goto fail;
	}
	time_now_text(at);
	rc = store_run(s, SQL_INCIDENT_INSERT, "iiitIt", p->subdistrict_id, p->id, in->node_id, in->description,
		       in->upload_id, at);
	if (rc != STORE_OK) {
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

int volunteer_incident_get(struct store *s, int64_t id, struct vol_incident *out, int64_t *team_id, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_INCIDENT, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!store_next(st, &rc)) {
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
		return fault_set(f, FAULT_NOT_FOUND, "id", "incident %lld does not exist", (long long)id);
	}
	read_incident(st, out);
	if (team_id)
		*team_id = store_column_int64(st, 8);
	store_done(st);
	return 0;
}

static const char SQL_LINK[] =
	"UPDATE volunteer_patrol_incidents SET work_order_id = ? WHERE id = ? AND work_order_id IS NULL";

int volunteer_incident_order(struct store *s, const struct actor *a, int64_t incident_id, int64_t category_id,
			     const char *type, const char *urgency, int64_t received_at, int64_t *order_id, struct fault *f)
{
	struct vol_incident inc;
	struct vol_patrol p;
	struct wo_input in;
	struct actor as;
	char *text = NULL, started[40];
	int64_t team;
	int replayed = 0, rc, ret = -1;

	*order_id = 0;
	if (!a)
		return fault_set(f, FAULT_FORBIDDEN, NULL, "an incident becomes a work order by someone's hand");
	if (volunteer_incident_get(s, incident_id, &inc, &team, f) < 0)
		return -1;
	if (inc.work_order_id) {
		fault_set(f, FAULT_CONFLICT, "id", "incident %lld became work order %s already", (long long)incident_id,
			  inc.work_order_number ? inc.work_order_number : "");
		volunteer_incident_release(&inc);
		return -1;
	}
	if (volunteer_patrol_get(s, inc.patrol_id, &p, f) < 0) {
		volunteer_incident_release(&inc);
		return -1;
	}
	time_format_local(p.started_at, started, sizeof(started));
	/* 【巡逻发现】夜间巡逻队 11月28日19时巡逻（记录28）：…  (the order's text reads as its other texts do) */
	text = xasprintf("【巡逻发现】%s %d月%d日%d时巡逻（记录%lld）：%s", p.team_name, atoi(started + 5), atoi(started + 8),
			 atoi(started + 11), (long long)p.id, inc.description);
	/* A volunteer on the patrol files it as the patrol: this one right, inside the team's node. */
	as = *a;
	if (!actor_can(a, "workorder.create")) {
		if (as.nperms < AUTH_MAX_PERMS)
			snprintf(as.perms[as.nperms++], sizeof(as.perms[0]), "%s", "workorder.create");
		as.scope_node_id = p.node_id;
	}
	if (!category_id) {
		/* none given (a volunteer sees no category tree): public security (治安), else the fallback */
		char *norm = NULL;
		const char *by = NULL;

		rc = wo_category_resolve(s, "治安", &norm, &category_id, &by, f);
		free(norm);
		if (rc < 0)
			goto out;
	}
	memset(&in, 0, sizeof(in));
	in.source = "grid";
	in.type = type ? type : "report";
	in.urgency = urgency;
	in.category_id = category_id;
	in.node_id = inc.node_id;
	in.text = text;
	in.received_at = received_at;
	if (inc.upload_id) {
		in.photo_ids = &inc.upload_id;
		in.nphotos = 1;
	}
	if ((rc = store_begin_write(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	if (wo_create(s, &as, &in, order_id, &replayed, f) < 0)
		goto undo;
	if ((rc = store_run(s, SQL_LINK, "ii", *order_id, incident_id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto undo;
	}
	if (store_changes(s) != 1) {
		fault_set(f, FAULT_CONFLICT, "id", "incident %lld became a work order already", (long long)incident_id);
		goto undo;
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		*order_id = 0;
		goto out;
	}
	ret = 0;
	goto out;
undo:
	store_rollback(s);
	*order_id = 0;
out:
	free(text);
	volunteer_patrol_release(&p);
	volunteer_incident_release(&inc);
	return ret;
}
