/*
 * meeting.c - Saturday dispatch meetings (周六现场调度会, 刁镇): the leaders walk
 * the sites of a subdistrict's key projects, review their open problems and
 * raise new ones.  A meeting has a date (the coming Saturday unless given; any
 * day is allowed), place, chair, attendees, minutes and the projects visited
 * in order; a problem raised there goes straight into the project's problem
 * ledger (problem.c), linked to the meeting, on its day and at its place.
 */
#include "project/project.h"
#include "project/project_internal.h"
#include "calendar/calendar.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLACE_CHARS 100
#define ATTENDEES_CHARS 1000
#define MINUTES_CHARS 10000
#define SITES_MAX 50

void project_meeting_release(struct project_meeting *m)
{
	free(m->place);
	free(m->attendees);
	free(m->minutes);
	free(m->created_at);
	free(m->updated_at);
	free(m->project_ids);
	memset(m, 0, sizeof(*m));
}

void project_meeting_list_release(struct project_meeting_list *l)
{
	YL_LIST_RELEASE(l, project_meeting_release);
}

void project_meeting_saturday(const char *day, char out[11])
{
	int32_t d;

	if (calendar_day_parse(day, &d) < 0) {
		out[0] = '\0';
		return;
	}
	/* 1 Monday .. 7 Sunday: Saturday is 6. */
	d += (6 - calendar_weekday(d) + 7) % 7;
	calendar_day_format(d, out);
}

#define MEETING_COLUMNS \
	"id, subdistrict_id, held_on, place, chair_user_id, attendees, minutes, created_at, updated_at"

static const char SQL_SITES[] = "SELECT project_id FROM project_meeting_sites WHERE meeting_id = ? ORDER BY seq";

static int read_meeting(struct store *s, struct store_stmt *st, struct project_meeting *m, struct fault *f)
{
	size_t cap = 0;
	int rc;

	memset(m, 0, sizeof(*m));
	m->id = store_column_int64(st, 0);
	m->subdistrict_id = store_column_int64(st, 1);
	store_column_copy(st, 2, m->held_on, sizeof(m->held_on));
	m->place = store_column_dup(st, 3);
	m->chair_user_id = store_column_int64(st, 4);
	m->attendees = store_column_dup(st, 5);
	m->minutes = store_column_dup(st, 6);
	m->created_at = store_column_dup(st, 7);
	m->updated_at = store_column_dup(st, 8);
	store_done(st);
	st = store_query(s, SQL_SITES, "i", m->id);
	while (store_next(st, &rc)) {
		YL_GROW(m->project_ids, m->nprojects, cap);
		m->project_ids[m->nprojects++] = store_column_int64(st, 0);
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

static const char SQL_MEETING_BY_ID[] = "SELECT " MEETING_COLUMNS " FROM project_meetings WHERE id = ?";

int project_meeting_get(struct store *s, int64_t id, struct project_meeting *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_MEETING_BY_ID, id, "meeting", &st, f) < 0)
		return -1;
	if (read_meeting(s, st, out, f) < 0) {
		project_meeting_release(out);
		return -1;
	}
	return 0;
}

static const char SQL_MEETING_IDS[] =
	"SELECT id FROM project_meetings WHERE (CAST(? AS INTEGER) = 0 OR subdistrict_id = ?)"
	" ORDER BY held_on DESC, id DESC LIMIT ? OFFSET ?";
static const char SQL_MEETING_COUNT[] =
	"SELECT count(*) FROM project_meetings WHERE (CAST(? AS INTEGER) = 0 OR subdistrict_id = ?)";

int project_meeting_list(struct store *s, int64_t subdistrict, int limit, int offset, struct project_meeting_list *out,
			 int64_t *total, struct fault *f)
{
	struct store_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_MEETING_COUNT, "ii", subdistrict, subdistrict);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_MEETING_IDS, "iiii", subdistrict, subdistrict, (int64_t)limit, (int64_t)offset);
	while (store_next(st, &rc)) {
		YL_GROW(ids, n, cap);
		ids[n++] = store_column_int64(st, 0);
	}
	if (rc != STORE_DONE) {
		free(ids);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < n; i++) {
		YL_GROW(out->items, out->n, out->cap);
		if (project_meeting_get(s, ids[i], &out->items[out->n], f) < 0) {
			free(ids);
			project_meeting_list_release(out);
			return -1;
		}
		out->n++;
	}
	free(ids);
	return 0;
}

static int check_texts(const struct project_meeting_input *in, struct fault *f)
{
	if (check_text("place", in->place, PLACE_CHARS, TEXT_OPTIONAL, f) < 0 ||
	    check_text("attendees", in->attendees, ATTENDEES_CHARS, TEXT_OPTIONAL, f) < 0 ||
	    check_text("minutes", in->minutes, MINUTES_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	return 0;
}

/*
 * The projects visited: 1..SITES_MAX, each once, all of one subdistrict
 * (*subdistrict: theirs; or, when already set, they must share it).
 */
static int check_sites(struct store *s, const struct project_meeting_input *in, int64_t *subdistrict, struct fault *f)
{
	size_t i, j;

	if (in->nprojects < 1 || in->nprojects > SITES_MAX)
		return fault_set(f, FAULT_INVALID, "project_ids", "a meeting visits 1 to %d projects", SITES_MAX);
	for (i = 0; i < in->nprojects; i++) {
		struct project p;

		for (j = 0; j < i; j++)
			if (in->project_ids[j] == in->project_ids[i])
				return fault_set(f, FAULT_INVALID, "project_ids", "project %lld is listed twice",
						 (long long)in->project_ids[i]);
		if (project_get(s, in->project_ids[i], &p, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "project_ids", "project %lld does not exist",
					  (long long)in->project_ids[i]);
			return -1;
		}
		if (!*subdistrict)
			*subdistrict = p.subdistrict_id;
		j = p.subdistrict_id != *subdistrict;
		project_release(&p);
		if (j)
			return fault_set(f, FAULT_INVALID, "project_ids", "the projects of a meeting are of one subdistrict");
	}
	return 0;
}

static const char SQL_MEETING_INSERT[] =
	"INSERT INTO project_meetings (subdistrict_id, held_on, place, chair_user_id, attendees, minutes, created_at,"
	" updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SITE_INSERT[] = "INSERT INTO project_meeting_sites (meeting_id, seq, project_id) VALUES (?, ?, ?)";
static const char SQL_SITES_CLEAR[] = "DELETE FROM project_meeting_sites WHERE meeting_id = ?";

static int write_sites(struct store *s, int64_t id, const struct project_meeting_input *in, struct fault *f)
{
	size_t i;
	int rc;

	if ((rc = store_run(s, SQL_SITES_CLEAR, "i", id)) != STORE_OK)
		return store_fault(s, rc, f);
	for (i = 0; i < in->nprojects; i++)
		if ((rc = store_run(s, SQL_SITE_INSERT, "iii", id, (int64_t)(i + 1), in->project_ids[i])) != STORE_OK)
			return store_fault(s, rc, f);
	return 0;
}

int project_meeting_create(struct store *s, const struct project_meeting_input *in, int64_t *id, struct fault *f)
{
	char today[11], held[11], now[32];
	int64_t subdistrict = 0;
	struct project p;
	int rc;

	*id = 0;
	if (check_texts(in, f) < 0 || check_sites(s, in, &subdistrict, f) < 0)
		return -1;
	if (in->held_on) {
		if (date_valid(in->held_on) != 0)
			return fault_set(f, FAULT_INVALID, "held_on", "held_on is a date YYYY-MM-DD");
		snprintf(held, sizeof(held), "%s", in->held_on);
	} else {
		date_today_local(today);
		project_meeting_saturday(today, held);
	}
	memset(&p, 0, sizeof(p));
	p.subdistrict_id = subdistrict;
	if (in->chair_user_id && project_user_check(s, &p, in->chair_user_id, "chair_user_id", f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	rc = store_run(s, SQL_MEETING_INSERT, "ittItttt", subdistrict, held, in->place, in->chair_user_id,
		       in->attendees, in->minutes, now, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if (write_sites(s, *id, in, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	*id = 0;
	return -1;
}

static const char SQL_MEETING_UPDATE[] =
	"UPDATE project_meetings SET place = ?, attendees = ?, minutes = ?, updated_at = ? WHERE id = ?";

int project_meeting_update(struct store *s, int64_t id, const struct project_meeting_input *in, struct fault *f)
{
	struct project_meeting m;
	int64_t subdistrict;
	char now[32];
	int rc;

	if (check_texts(in, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (project_meeting_get(s, id, &m, f) < 0)
		goto fail;
	subdistrict = m.subdistrict_id;
	if (in->set_projects && (check_sites(s, in, &subdistrict, f) < 0 || write_sites(s, id, in, f) < 0))
		goto fail_m;
	time_now_text(now);
	rc = store_run(s, SQL_MEETING_UPDATE, "tttti", in->place ? in->place : m.place,
		       in->attendees ? in->attendees : m.attendees, in->minutes ? in->minutes : m.minutes, now, id);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_m;
	}
	project_meeting_release(&m);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_m:
	project_meeting_release(&m);
fail:
	store_rollback(s);
	return -1;
}

int project_meeting_raise(struct store *s, const struct project_meeting *m, const struct project *p,
			  const struct project_problem_input *in, int64_t by_user, int64_t *id, struct fault *f)
{
	struct project_problem_input at = *in;
	char today[11];
	size_t i;

	*id = 0;
	date_today_local(today);
	if (strcmp(m->held_on, today) > 0)
		return fault_set(f, FAULT_CONFLICT, "meeting_id", "meeting %lld is on %s: problems are raised on the day",
				 (long long)m->id, m->held_on);
	for (i = 0; i < m->nprojects && m->project_ids[i] != p->id; i++)
		;
	if (i == m->nprojects)
		return fault_set(f, FAULT_INVALID, "project_id", "meeting %lld does not visit project %lld",
				 (long long)m->id, (long long)p->id);
	if (in->raised_on || in->source || in->raised_where)
		return fault_set(f, FAULT_INVALID, in->raised_on ? "raised_on" : in->source ? "source" : "raised_where",
				 "a problem raised at a meeting takes the meeting's day and place");
	at.meeting_id = m->id;
	at.raised_on = m->held_on;
	at.raised_where = m->place;
	at.source = "meeting";
	return project_problem_raise(s, p, &at, by_user, id, f);
}
