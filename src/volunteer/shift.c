/*
 * shift.c - shift types (a kind of duty: default length, what it needs, its
 * points rule), shifts on a day and time at a place, one by one or from a
 * repeat rule (volunteer_repeat_expand()), their changes and cancellation.
 * A shift opens its two due instants with its row (due.c): staffing a day
 * before the start while short of people, and its close at the end.
 */
#include "volunteer/volunteer.h"
#include "volunteer/volunteer_internal.h"
#include "calendar/calendar.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_NAME_CHARS 50
#define PLACE_CHARS 200
#define NOTE_CHARS 1000

int vol_word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	const char *p = list;

	if (!n || strchr(word, ','))
		return 0;
	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

void vol_day_of(int64_t at, char out[11])
{
	calendar_day_format(calendar_day_of(at), out);
}

/* ---- types ---- */

void volunteer_shift_type_release(struct vol_shift_type *t)
{
	free(t->name);
	free(t->place);
	memset(t, 0, sizeof(*t));
}

void volunteer_shift_type_list_release(struct vol_shift_type_list *l)
{
	YL_LIST_RELEASE(l, volunteer_shift_type_release);
}

#define TYPE_COLUMNS "id, team_id, name, minutes, people, party_members, points_per_hour, place, active"

static void read_type(struct store_stmt *st, struct vol_shift_type *t)
{
	memset(t, 0, sizeof(*t));
	t->id = store_column_int64(st, 0);
	t->team_id = store_column_int64(st, 1);
	t->name = store_column_dup(st, 2);
	t->minutes = (int)store_column_int64(st, 3);
	t->people = (int)store_column_int64(st, 4);
	t->party_members = (int)store_column_int64(st, 5);
	t->points_per_hour = (int)store_column_int64(st, 6);
	t->place = store_column_dup(st, 7);
	t->active = store_column_bool(st, 8);
}

static const char SQL_TYPE_BY_ID[] = "SELECT " TYPE_COLUMNS " FROM volunteer_shift_types WHERE id = ?";
static const char SQL_TYPES[] = "SELECT " TYPE_COLUMNS " FROM volunteer_shift_types WHERE team_id = ? ORDER BY name, id";

int volunteer_shift_type_get(struct store *s, int64_t id, struct vol_shift_type *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_TYPE_BY_ID, id, "shift type", &st, f) < 0)
		return -1;
	read_type(st, out);
	store_done(st);
	return 0;
}

int volunteer_shift_types(struct store *s, int64_t team_id, struct vol_shift_type_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_TYPES, "i", team_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_type(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		volunteer_shift_type_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/* The input's numbers over the type's own (cur NULL: create, with the defaults). */
static int type_values(const struct vol_shift_type_input *in, const struct vol_shift_type *cur, struct vol_shift_type *v,
		       struct fault *f)
{
	if (check_text("name", in->name, TYPE_NAME_CHARS, cur ? TEXT_NOT_BLANK : TEXT_REQUIRED, f) < 0 ||
	    check_text("place", in->place, PLACE_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	v->minutes = in->minutes >= 0 ? in->minutes : cur ? cur->minutes : -1;
	v->people = in->people >= 0 ? in->people : cur ? cur->people : 1;
	v->party_members = in->party_members >= 0 ? in->party_members : cur ? cur->party_members : 0;
	v->points_per_hour = in->points_per_hour >= 0 ? in->points_per_hour : cur ? cur->points_per_hour : 10;
	if (v->minutes < 15 || v->minutes > 1440)
		return fault_set(f, FAULT_INVALID, "minutes", "minutes is the default length: 15 to 1440");
	if (v->people < 1 || v->people > 200)
		return fault_set(f, FAULT_INVALID, "people", "people is 1 to 200");
	if (v->party_members < 0 || v->party_members > v->people)
		return fault_set(f, FAULT_INVALID, "party_members", "party_members is 0 to people (%d)", v->people);
	if (v->points_per_hour < 0 || v->points_per_hour > 1000)
		return fault_set(f, FAULT_INVALID, "points_per_hour", "points_per_hour is 0 to 1000");
	return 0;
}

static const char SQL_TYPE_TAKEN[] = "SELECT count(*) FROM volunteer_shift_types WHERE team_id = ? AND name = ? AND id <> ?";
static const char SQL_TYPE_INSERT[] =
	"INSERT INTO volunteer_shift_types (subdistrict_id, team_id, name, minutes, people, party_members, points_per_hour,"
	" place, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
static const char SQL_TYPE_UPDATE[] =
	"UPDATE volunteer_shift_types SET name = ?, minutes = ?, people = ?, party_members = ?, points_per_hour = ?,"
	" place = ?, active = ?, updated_at = ? WHERE id = ?";

static int type_name_free(struct store *s, int64_t team_id, const char *name, int64_t id, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_TYPE_TAKEN, "iti", team_id, name, id);
	int rc;
	int64_t n;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	n = store_column_int64(st, 0);
	store_done(st);
	if (n)
		return fault_set(f, FAULT_CONFLICT, "name", "the team has a shift type named %s already", name);
	return 0;
}

int volunteer_shift_type_create(struct store *s, const struct vol_team *t, const struct vol_shift_type_input *in,
				int64_t *id, struct fault *f)
{
	struct vol_shift_type v;
	char now[32];
	int rc;

	*id = 0;
	memset(&v, 0, sizeof(v));
	if (type_values(in, NULL, &v, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (type_name_free(s, t->id, in->name, 0, f) < 0)
		goto fail;
	time_now_text(now);
	rc = store_run(s, SQL_TYPE_INSERT, "iitiiiittt", t->subdistrict_id, t->id, in->name, (int64_t)v.minutes,
		       (int64_t)v.people, (int64_t)v.party_members, (int64_t)v.points_per_hour,
		       in->place && *in->place ? in->place : NULL, now, now);
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

int volunteer_shift_type_update(struct store *s, int64_t id, const struct vol_shift_type_input *in, struct fault *f)
{
	struct vol_shift_type cur, v;
	char now[32];
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (volunteer_shift_type_get(s, id, &cur, f) < 0)
		goto fail;
	memset(&v, 0, sizeof(v));
	if (type_values(in, &cur, &v, f) < 0 ||
	    (in->name && strcmp(in->name, cur.name) && type_name_free(s, cur.team_id, in->name, id, f) < 0))
		goto fail_cur;
	time_now_text(now);
	rc = store_run(s, SQL_TYPE_UPDATE, "tiiiititi", in->name ? in->name : cur.name, (int64_t)v.minutes,
		       (int64_t)v.people, (int64_t)v.party_members, (int64_t)v.points_per_hour,
		       in->place ? (*in->place ? in->place : NULL) : cur.place,
		       (int64_t)(in->set_active ? in->active != 0 : cur.active), now, id);
	volunteer_shift_type_release(&cur);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_cur:
	volunteer_shift_type_release(&cur);
fail:
	store_rollback(s);
	return -1;
}

/* ---- shifts ---- */

void volunteer_shift_release(struct vol_shift *sh)
{
	free(sh->place);
	free(sh->note);
	free(sh->team_name);
	free(sh->type_name);
	memset(sh, 0, sizeof(*sh));
}

void volunteer_shift_list_release(struct vol_shift_list *l)
{
	YL_LIST_RELEASE(l, volunteer_shift_release);
}

#define SHIFT_COLUMNS                                                                                            \
	"sh.id, sh.subdistrict_id, sh.team_id, sh.type_id, sh.series_id, sh.node_id, sh.day, sh.starts_at, sh.ends_at," \
	" sh.place, sh.note, tm.name, ty.name, sh.people, sh.party_members, sh.filled, ty.points_per_hour, sh.state,"  \
	" sh.staff_card, sh.staff_due, sh.closed_at, tm.kind"
#define SHIFT_FROM                                                                                   \
	" FROM volunteer_shifts sh CROSS JOIN volunteer_teams tm CROSS JOIN volunteer_shift_types ty" \
	" WHERE tm.id = sh.team_id AND ty.id = sh.type_id"

static void read_shift(struct store_stmt *st, struct vol_shift *sh)
{
	memset(sh, 0, sizeof(*sh));
	sh->id = store_column_int64(st, 0);
	sh->subdistrict_id = store_column_int64(st, 1);
	sh->team_id = store_column_int64(st, 2);
	sh->type_id = store_column_int64(st, 3);
	sh->series_id = store_column_int64(st, 4);
	sh->node_id = store_column_int64(st, 5);
	store_column_copy(st, 6, sh->day, sizeof(sh->day));
	sh->starts_at = store_column_int64(st, 7);
	sh->ends_at = store_column_int64(st, 8);
	sh->place = store_column_dup(st, 9);
	sh->note = store_column_dup(st, 10);
	sh->team_name = store_column_dup(st, 11);
	sh->type_name = store_column_dup(st, 12);
	sh->people = (int)store_column_int64(st, 13);
	sh->party_members = (int)store_column_int64(st, 14);
	sh->filled = (int)store_column_int64(st, 15);
	sh->points_per_hour = (int)store_column_int64(st, 16);
	store_column_copy(st, 17, sh->state, sizeof(sh->state));
	store_column_copy(st, 18, sh->staff_card, sizeof(sh->staff_card));
	sh->staff_due = store_column_int64(st, 19);
	sh->closed_at = store_column_int64(st, 20);
	store_column_copy(st, 21, sh->team_kind, sizeof(sh->team_kind));
}

static const char SQL_SHIFT_BY_ID[] = "SELECT " SHIFT_COLUMNS SHIFT_FROM " AND sh.id = ?";

int volunteer_shift_get(struct store *s, int64_t id, struct vol_shift *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_SHIFT_BY_ID, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!store_next(st, &rc)) {
		if (rc != STORE_DONE)
			return store_fault(s, rc, f);
		return fault_set(f, FAULT_NOT_FOUND, "id", "shift %lld does not exist", (long long)id);
	}
	read_shift(st, out);
	store_done(st);
	return 0;
}

#define SHIFT_WHERE                                                                                                  \
	" AND (CAST(? AS INTEGER) = 0 OR sh.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS INTEGER) = 0 OR sh.team_id = ?)"                                                              \
	" AND (CAST(? AS INTEGER) = 0 OR sh.team_id IN (SELECT m.team_id FROM volunteer_members m WHERE m.person_id = ?" \
	" AND m.joined_on <= ? AND (m.left_on IS NULL OR m.left_on > ?)))"                                             \
	" AND (CAST(? AS INTEGER) = 0 OR sh.id IN (SELECT a.shift_id FROM volunteer_assignments a WHERE a.person_id = ?" \
	" AND a.state = 'active'))"                                                                                    \
	" AND (CAST(? AS INTEGER) = 0 OR sh.starts_at >= ?) AND (CAST(? AS INTEGER) = 0 OR sh.starts_at < ?)"           \
	" AND (CAST(? AS TEXT) IS NULL OR sh.state = ?)"                                                               \
	" AND (CAST(? AS INTEGER) = 0 OR (sh.state = 'open' AND sh.filled < sh.people))"
static const char SQL_SHIFT_COUNT[] =
	"SELECT count(*) FROM volunteer_shifts sh CROSS JOIN volunteer_teams tm CROSS JOIN volunteer_shift_types ty"
	" WHERE tm.id = sh.team_id AND ty.id = sh.type_id" SHIFT_WHERE;
static const char SQL_SHIFT_LIST[] =
	"SELECT " SHIFT_COLUMNS SHIFT_FROM SHIFT_WHERE " ORDER BY sh.starts_at, sh.id LIMIT ? OFFSET ?";

static void bind_shift_filter(struct store_stmt *st, const struct vol_shift_filter *flt, const char *today, int page)
{
	int i = 1;

	store_bind_int64(st, i++, flt->under);
	store_bind_int64(st, i++, flt->under);
	store_bind_int64(st, i++, flt->team_id);
	store_bind_int64(st, i++, flt->team_id);
	store_bind_int64(st, i++, flt->member_person);
	store_bind_int64(st, i++, flt->member_person);
	store_bind_text(st, i++, today);
	store_bind_text(st, i++, today);
	store_bind_int64(st, i++, flt->person_id);
	store_bind_int64(st, i++, flt->person_id);
	store_bind_int64(st, i++, flt->from);
	store_bind_int64(st, i++, flt->from);
	store_bind_int64(st, i++, flt->to);
	store_bind_int64(st, i++, flt->to);
	store_bind_text(st, i++, flt->state);
	store_bind_text(st, i++, flt->state);
	store_bind_int64(st, i++, flt->short_only);
	if (page) {
		store_bind_int64(st, i++, flt->limit);
		store_bind_int64(st, i, flt->offset);
	}
}

int volunteer_shift_list(struct store *s, const struct vol_shift_filter *flt, struct vol_shift_list *out,
			 int64_t *total, struct fault *f)
{
	struct store_stmt *st;
	char today[11];
	int rc;

	memset(out, 0, sizeof(*out));
	*total = 0;
	if (flt->state && !vol_word_in(flt->state, "open,cancelled,closed"))
		return fault_set(f, FAULT_INVALID, "state", "state is open, cancelled or closed");
	date_today_local(today);
	st = store_prepare(s, SQL_SHIFT_COUNT);
	bind_shift_filter(st, flt, today, 0);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*total = store_column_int64(st, 0);
	store_done(st);
	st = store_prepare(s, SQL_SHIFT_LIST);
	bind_shift_filter(st, flt, today, 1);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_shift(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		volunteer_shift_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/* The type of a team's shift: it belongs to the team and is in use. */
static int team_type(struct store *s, const struct vol_team *t, int64_t type_id, struct vol_shift_type *ty,
		     struct fault *f)
{
	if (!type_id)
		return fault_set(f, FAULT_INVALID, "type_id", "type_id is required: the kind of duty");
	if (volunteer_shift_type_get(s, type_id, ty, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND) {
			f->kind = FAULT_INVALID;
			snprintf(f->field, sizeof(f->field), "type_id");
		}
		return -1;
	}
	if (ty->team_id != t->id || !ty->active) {
		volunteer_shift_type_release(ty);
		return fault_set(f, FAULT_INVALID, "type_id", "shift type %lld is not one of the team's in use",
				 (long long)type_id);
	}
	return 0;
}

static int people_values(int people, int party, const struct vol_shift_type *ty, int *p, int *pm, struct fault *f)
{
	*p = people >= 0 ? people : ty->people;
	*pm = party >= 0 ? party : ty->party_members;
	if (*pm > *p && party < 0)
		*pm = *p;
	if (*p < 1 || *p > 200)
		return fault_set(f, FAULT_INVALID, "people", "people is 1 to 200");
	if (*pm < 0 || *pm > *p)
		return fault_set(f, FAULT_INVALID, "party_members", "party_members is 0 to people (%d)", *p);
	return 0;
}

static const char SQL_SHIFT_INSERT[] =
	"INSERT INTO volunteer_shifts (subdistrict_id, team_id, type_id, series_id, node_id, day, starts_at, ends_at, place,"
	" people, party_members, filled, state, note, staff_due, staff_card, close_due, created_by, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'open', ?, ?, 'none', ?, ?, ?, ?)";

/* One shift row inside the caller's transaction: short of everyone, so its staffing node is open. */
static int shift_insert(struct store *s, const struct vol_team *t, int64_t type_id, int64_t series_id, int64_t starts,
			int64_t ends, const char *place, int people, int party, const char *note, int64_t by_user,
			int64_t *id, struct fault *f)
{
	char day[11], now[32];
	int rc;

	vol_day_of(starts, day);
	time_now_text(now);
	rc = store_run(s, SQL_SHIFT_INSERT, "iiiIitiitiitiiItt", t->subdistrict_id, t->id, type_id, series_id, t->node_id,
		       day, starts, ends, place && *place ? place : NULL, (int64_t)people, (int64_t)party,
		       note && *note ? note : NULL, starts - VOL_STAFF_AHEAD, ends, by_user, now, now);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

int volunteer_shift_create(struct store *s, const struct vol_team *t, const struct vol_shift_input *in, int64_t by_user,
			   int64_t now, int64_t *id, struct fault *f)
{
	struct vol_shift_type ty;
	int64_t starts, ends;
	int people, party, rc;

	*id = 0;
	if (!t->active)
		return fault_set(f, FAULT_CONFLICT, "id", "the team is not active");
	if (check_text("place", in->place, PLACE_CHARS, TEXT_OPTIONAL, f) < 0 ||
	    check_text("note", in->note, NOTE_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (!in->starts_at)
		return fault_set(f, FAULT_INVALID, "starts_at", "starts_at is required: YYYY-MM-DD HH:MM");
	if (volunteer_time_parse("starts_at", in->starts_at, &starts, f) < 0 ||
	    (in->ends_at && volunteer_time_parse("ends_at", in->ends_at, &ends, f) < 0))
		return -1;
	if (team_type(s, t, in->type_id, &ty, f) < 0)
		return -1;
	if (!in->ends_at)
		ends = starts + (int64_t)ty.minutes * 60;
	rc = people_values(in->people, in->party_members, &ty, &people, &party, f);
	if (rc == 0 && ends <= starts)
		rc = fault_set(f, FAULT_INVALID, "ends_at", "the shift ends before it starts");
	if (rc == 0 && ends - starts > VOL_SHIFT_MAX)
		rc = fault_set(f, FAULT_INVALID, "ends_at", "a shift is at most 24 hours long");
	if (rc == 0 && ends <= now)
		rc = fault_set(f, FAULT_INVALID, "ends_at", "the shift is over already: shifts are planned, not recorded after");
	if (rc < 0) {
		volunteer_shift_type_release(&ty);
		return -1;
	}
	if ((rc = store_begin_write(s)) != STORE_OK) {
		volunteer_shift_type_release(&ty);
		return store_fault(s, rc, f);
	}
	rc = shift_insert(s, t, ty.id, 0, starts, ends, in->place ? in->place : ty.place, people, party, in->note, by_user,
			  id, f);
	volunteer_shift_type_release(&ty);
	if (rc < 0) {
		store_rollback(s);
		*id = 0;
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

static const char SQL_SERIES_INSERT[] =
	"INSERT INTO volunteer_shift_series (subdistrict_id, team_id, type_id, from_on, until_on, weekdays, start_time,"
	" end_time, shifts, by_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";
static const char SQL_SERIES_COUNT[] = "UPDATE volunteer_shift_series SET shifts = ? WHERE id = ?";

int volunteer_series_create(struct store *s, const struct vol_team *t, const struct vol_series_input *in,
			    int64_t by_user, int64_t now, int64_t *id, int64_t *count, struct fault *f)
{
	struct vol_shift_type ty;
	struct vol_slot *slots = NULL;
	size_t n = 0, i;
	int people, party, rc;
	int64_t shift;
	char at[32];

	*id = 0;
	*count = 0;
	if (!t->active)
		return fault_set(f, FAULT_CONFLICT, "id", "the team is not active");
	if (check_text("place", in->place, PLACE_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (volunteer_repeat_expand(&in->rule, &slots, &n, f) < 0)
		return -1;
	if (team_type(s, t, in->type_id, &ty, f) < 0) {
		free(slots);
		return -1;
	}
	if (people_values(in->people, in->party_members, &ty, &people, &party, f) < 0)
		goto fail_early;
	for (i = 0; i < n && slots[i].ends_at <= now; i++)
		;
	if (i == n) {
		fault_set(f, FAULT_INVALID, "from_on", "the rule makes no shift that is still to come");
		goto fail_early;
	}
	if ((rc = store_begin_write(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_early;
	}
	time_now_text(at);
	rc = store_run(s, SQL_SERIES_INSERT, "iiitttttIt", t->subdistrict_id, t->id, ty.id, in->rule.from_on,
		       in->rule.until_on, in->rule.weekdays, in->rule.start, in->rule.end, by_user, at);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	for (; i < n; i++) {
		if (shift_insert(s, t, ty.id, *id, slots[i].starts_at, slots[i].ends_at, in->place ? in->place : ty.place,
				 people, party, NULL, by_user, &shift, f) < 0)
			goto fail;
		(*count)++;
	}
	if ((rc = store_run(s, SQL_SERIES_COUNT, "ii", *count, *id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	volunteer_shift_type_release(&ty);
	free(slots);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	*id = 0;
	*count = 0;
fail_early:
	volunteer_shift_type_release(&ty);
	free(slots);
	return -1;
}

static const char SQL_SHIFT_UPDATE[] =
	"UPDATE volunteer_shifts SET place = ?, note = ?, people = ?, party_members = ?, updated_at = ? WHERE id = ?";

int volunteer_shift_update(struct store *s, int64_t id, const struct vol_shift_input *in, struct fault *f)
{
	struct vol_shift sh;
	char now[32];
	int people, party, rc;

	if (check_text("place", in->place, PLACE_CHARS, TEXT_OPTIONAL, f) < 0 ||
	    check_text("note", in->note, NOTE_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (volunteer_shift_get(s, id, &sh, f) < 0)
		goto fail;
	if (strcmp(sh.state, "open")) {
		fault_set(f, FAULT_CONFLICT, "id", "the shift is %s", sh.state);
		goto fail_sh;
	}
	people = in->people >= 0 ? in->people : sh.people;
	party = in->party_members >= 0 ? in->party_members : sh.party_members;
	if (people < 1 || people > 200) {
		fault_set(f, FAULT_INVALID, "people", "people is 1 to 200");
		goto fail_sh;
	}
	if (people < sh.filled) {
		fault_set(f, FAULT_CONFLICT, "people", "%d are on the shift already: give places up first", sh.filled);
		goto fail_sh;
	}
	if (party < 0 || party > people) {
		fault_set(f, FAULT_INVALID, "party_members", "party_members is 0 to people (%d)", people);
		goto fail_sh;
	}
	time_now_text(now);
	rc = store_run(s, SQL_SHIFT_UPDATE, "ttiiti", in->set_place ? (in->place && *in->place ? in->place : NULL) : sh.place,
		       in->set_note ? (in->note && *in->note ? in->note : NULL) : sh.note, (int64_t)people, (int64_t)party,
		       now, id);
	volunteer_shift_release(&sh);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (volunteer_staff_due(s, id, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_sh:
	volunteer_shift_release(&sh);
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_SHIFT_CANCEL[] =
	"UPDATE volunteer_shifts SET state = 'cancelled', close_due = NULL, staff_due = NULL, closed_at = ?, updated_at = ?"
	" WHERE id = ? AND state = 'open'";
static const char SQL_ACTIVE_PEOPLE[] =
	"SELECT person_id FROM volunteer_assignments WHERE shift_id = ? AND state = 'active' ORDER BY id";

int volunteer_shift_cancel(struct store *s, int64_t id, int64_t now, struct fault *f)
{
	struct vol_shift sh;
	struct store_stmt *st;
	int64_t *people = NULL;
	size_t n = 0, cap = 0, i;
	char at[32];
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (volunteer_shift_get(s, id, &sh, f) < 0)
		goto fail;
	rc = strcmp(sh.state, "open") ? 1 : sh.ends_at <= now ? 2 : 0;
	volunteer_shift_release(&sh);
	if (rc) {
		fault_set(f, FAULT_CONFLICT, "id", rc == 1 ? "the shift is not open" : "the shift is over: it closes, not cancels");
		goto fail;
	}
	st = store_query(s, SQL_ACTIVE_PEOPLE, "i", id);
	while (store_next(st, &rc)) {
		YL_GROW(people, n, cap);
		people[n++] = store_column_int64(st, 0);
	}
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	for (i = 0; i < n; i++)
		if (vol_withdraw(s, id, people[i], "withdrawn", f) < 0)
			goto fail;
	time_now_text(at);
	if ((rc = store_run(s, SQL_SHIFT_CANCEL, "iti", now, at, id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	free(people);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	free(people);
	store_rollback(s);
	return -1;
}
