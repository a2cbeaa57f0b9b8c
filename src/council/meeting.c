/*
 * meeting.c - council meetings: a day, a place and the agenda; attendance of
 * the council's members (present, absent, proxy by another member) with the
 * quorum counted against the members on the day; closed only with minutes
 * (the CHECK of council_meetings says it too).  Proposals voted at a meeting:
 * proposal.c.
 */
#include "council/council_internal.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define PLACE_CHARS 200
#define AGENDA_CHARS 200
#define AGENDA_MAX 30
#define MINUTES_CHARS 20000

void council_meeting_release(struct council_meeting *m)
{
	size_t i;

	free(m->place);
	free(m->minutes);
	free(m->closed_at);
	free(m->created_at);
	for (i = 0; i < m->nagenda; i++)
		free(m->agenda[i]);
	free(m->agenda);
	free(m->attendance);
	memset(m, 0, sizeof(*m));
}

void council_meeting_list_release(struct council_meeting_list *l)
{
	YL_LIST_RELEASE(l, council_meeting_release);
}

static const char SQL_MEETING_INSERT[] =
	"INSERT INTO council_meetings (subdistrict_id, council_id, held_on, place, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_AGENDA_INSERT[] = "INSERT INTO council_agenda_items (meeting_id, seq, title) VALUES (?, ?, ?)";

int council_meeting_create(struct store *s, int64_t council_id, const struct council_meeting_input *in, int64_t *id,
			   struct fault *f)
{
	struct council c;
	char now[32];
	size_t i;
	int rc;

	*id = 0;
	if (council_date("held_on", in->held_on, f) < 0 ||
	    check_text("place", in->place, PLACE_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	if (in->nagenda > AGENDA_MAX)
		return fault_set(f, FAULT_INVALID, "agenda", "at most %d agenda items", AGENDA_MAX);
	for (i = 0; i < in->nagenda; i++)
		if (check_text("agenda", in->agenda[i], AGENDA_CHARS, TEXT_REQUIRED, f) < 0)
			return -1;
	if (council_get(s, council_id, &c, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		council_release(&c);
		return store_fault(s, rc, f);
	}
	time_now_text(now);
	rc = store_run(s, SQL_MEETING_INSERT, "iitt" "t", c.subdistrict_id, council_id, in->held_on, in->place, now);
	council_release(&c);
	if (rc != STORE_OK)
		goto fail;
	*id = store_last_id(s);
	for (i = 0; i < in->nagenda; i++)
		if ((rc = store_run(s, SQL_AGENDA_INSERT, "iit", *id, (int64_t)(i + 1), in->agenda[i])) != STORE_OK)
			goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_fault(s, rc, f);
	store_rollback(s);
	*id = 0;
	return -1;
}

#define MEETING_COLUMNS "id, council_id, held_on, place, status, minutes, closed_at, closed_by, created_at"

static void read_meeting(struct store_stmt *st, struct council_meeting *m)
{
	memset(m, 0, sizeof(*m));
	m->id = store_column_int64(st, 0);
	m->council_id = store_column_int64(st, 1);
	store_column_copy(st, 2, m->held_on, sizeof(m->held_on));
	m->place = store_column_dup(st, 3);
	store_column_copy(st, 4, m->status, sizeof(m->status));
	m->minutes = store_column_dup(st, 5);
	m->closed_at = store_column_dup(st, 6);
	m->closed_by = store_column_int64(st, 7);
	m->created_at = store_column_dup(st, 8);
}

static const char SQL_MEETING_BY_ID[] = "SELECT " MEETING_COLUMNS " FROM council_meetings WHERE id = ?";
static const char SQL_MEETINGS[] =
	"SELECT " MEETING_COLUMNS " FROM council_meetings WHERE council_id = ? ORDER BY held_on DESC, id DESC";
static const char SQL_AGENDA[] = "SELECT title FROM council_agenda_items WHERE meeting_id = ? ORDER BY seq";
static const char SQL_ATTENDANCE[] =
	"SELECT member_id, status, proxy_member_id FROM council_attendance WHERE meeting_id = ? ORDER BY member_id";
static const char SQL_QUORUM_OF[] = "SELECT quorum_percent FROM councils WHERE id = ?";

/* Agenda, attendance and the quorum of a meeting read. */
static int fill_meeting(struct store *s, struct council_meeting *m, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0, acap = 0;
	int64_t quorum = 50;
	int rc;

	st = store_query(s, SQL_AGENDA, "i", m->id);
	while (store_next(st, &rc)) {
		YL_GROW(m->agenda, m->nagenda, cap);
		m->agenda[m->nagenda++] = store_column_dup(st, 0);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_ATTENDANCE, "i", m->id);
	while (store_next(st, &rc)) {
		struct council_attendance *a;

		YL_GROW(m->attendance, m->nattendance, acap);
		a = &m->attendance[m->nattendance++];
		a->member_id = store_column_int64(st, 0);
		store_column_copy(st, 1, a->status, sizeof(a->status));
		a->proxy_member_id = store_column_int64(st, 2);
		if (strcmp(a->status, "absent"))
			m->present++;
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	if ((rc = store_query_int64(s, SQL_QUORUM_OF, &quorum, 1, m->council_id)) != STORE_OK)
		return store_fault(s, rc, f);
	if (council_members_on(s, m->council_id, m->held_on, &m->members, f) < 0)
		return -1;
	m->quorum_needed = council_quorum_needed(m->members, (int)quorum);
	m->quorum_met = council_quorum_met(m->members, m->present, (int)quorum);
	return 0;
}

int council_meeting_get(struct store *s, int64_t id, struct council_meeting *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_MEETING_BY_ID, id, "meeting", &st, f) < 0)
		return -1;
	read_meeting(st, out);
	store_done(st);
	if (fill_meeting(s, out, f) < 0) {
		council_meeting_release(out);
		return -1;
	}
	return 0;
}

int council_meetings(struct store *s, int64_t council_id, struct council_meeting_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_MEETINGS, "i", council_id);
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_meeting(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		council_meeting_list_release(out);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < out->n; i++)
		if (fill_meeting(s, &out->items[i], f) < 0) {
			council_meeting_list_release(out);
			return -1;
		}
	return 0;
}

static const char SQL_ATTEND_DELETE[] = "DELETE FROM council_attendance WHERE meeting_id = ? AND member_id = ?";
static const char SQL_ATTEND_INSERT[] =
	"INSERT INTO council_attendance (meeting_id, member_id, status, proxy_member_id) VALUES (?, ?, ?, ?)";

int council_meeting_attend(struct store *s, int64_t id, const struct council_attendance *rows, size_t n,
			   struct fault *f)
{
	struct council_meeting m;
	size_t i, j;
	int rc, cur;

	if (!n)
		return fault_set(f, FAULT_INVALID, "attendance", "attendance names at least one member");
	for (i = 0; i < n; i++) {
		const struct council_attendance *a = &rows[i];

		if (strcmp(a->status, "present") && strcmp(a->status, "absent") && strcmp(a->status, "proxy"))
			return fault_set(f, FAULT_INVALID, "attendance", "status is present, absent or proxy");
		if (!strcmp(a->status, "proxy") != !!a->proxy_member_id)
			return fault_set(f, FAULT_INVALID, "attendance",
					 "proxy_member_id names the member who holds the proxy, with status proxy only");
		if (a->proxy_member_id == a->member_id)
			return fault_set(f, FAULT_INVALID, "attendance", "a member cannot hold their own proxy");
		for (j = 0; j < i; j++)
			if (rows[j].member_id == a->member_id)
				return fault_set(f, FAULT_INVALID, "attendance", "member %lld is named twice",
						 (long long)a->member_id);
	}
	if (council_meeting_get(s, id, &m, f) < 0)
		return -1;
	if (!strcmp(m.status, "closed")) {
		council_meeting_release(&m);
		return fault_set(f, FAULT_CONFLICT, "status", "the meeting is closed: its attendance stands");
	}
	if ((rc = store_begin_write(s)) != STORE_OK) {
		council_meeting_release(&m);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < n; i++) {
		const struct council_attendance *a = &rows[i];

		if ((cur = council_member_current(s, m.council_id, a->member_id, m.held_on, f)) <= 0 ||
		    (a->proxy_member_id &&
		     (cur = council_member_current(s, m.council_id, a->proxy_member_id, m.held_on, f)) <= 0)) {
			if (!cur)
				fault_set(f, FAULT_INVALID, "attendance", "member %lld is not a member of this council on %s",
					  (long long)(a->proxy_member_id && cur == 0 ? a->proxy_member_id : a->member_id), m.held_on);
			goto fail;
		}
		if ((rc = store_run(s, SQL_ATTEND_DELETE, "ii", id, a->member_id)) != STORE_OK ||
		    (rc = store_run(s, SQL_ATTEND_INSERT, "iitI", id, a->member_id, a->status, a->proxy_member_id)) != STORE_OK) {
			store_fault(s, rc, f);
			goto fail;
		}
	}
	council_meeting_release(&m);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	council_meeting_release(&m);
	store_rollback(s);
	return -1;
}

static const char SQL_MEETING_CLOSE[] =
	"UPDATE council_meetings SET status = 'closed', minutes = ?, closed_at = ?, closed_by = ?"
	" WHERE id = ? AND status = 'planned'";

int council_meeting_close(struct store *s, int64_t id, const char *minutes, int64_t by_user, struct fault *f)
{
	struct council_meeting m;
	char now[32];
	int rc;

	/* Rule of issue 17: a meeting is closed only with its minutes. */
	if (check_text("minutes", minutes, MINUTES_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (council_meeting_get(s, id, &m, f) < 0)
		return -1;
	rc = strcmp(m.status, "planned");
	council_meeting_release(&m);
	if (rc)
		return fault_set(f, FAULT_CONFLICT, "status", "meeting %lld is already closed", (long long)id);
	time_now_text(now);
	rc = store_run(s, SQL_MEETING_CLOSE, "ttIi", minutes, now, by_user, id);
	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}
