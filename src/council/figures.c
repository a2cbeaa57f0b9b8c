/*
 * figures.c - the council figures of a year under a node (issue 17, part 6),
 * from stored rows only: meetings held (closed) and how many of them had the
 * quorum, proposals decided by result, resolutions due in the year, done and
 * done on time (by the end of their due day), notices published.
 */
#include "council/council_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

#define UNDER(col) "(CAST(? AS INTEGER) = 0 OR " col " IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"

static const char SQL_MEETINGS[] =
	"SELECT m.id FROM council_meetings m CROSS JOIN councils c WHERE c.id = m.council_id AND m.status = 'closed'"
	" AND m.held_on >= ? AND m.held_on <= ? AND " UNDER("c.node_id");
static const char SQL_PROPOSALS[] =
	"SELECT p.status, count(*) FROM council_proposals p CROSS JOIN councils c WHERE c.id = p.council_id"
	" AND p.created_at >= ? AND p.created_at < ? AND " UNDER("c.node_id") " GROUP BY p.status";
static const char SQL_RESOLUTIONS[] =
	"SELECT count(*), COALESCE(sum(CASE WHEN r.status = 'done' THEN 1 ELSE 0 END), 0)"
	" FROM council_resolutions r CROSS JOIN councils c WHERE c.id = r.council_id"
	" AND r.due_on >= ? AND r.due_on <= ? AND " UNDER("c.node_id");
static const char SQL_ON_TIME[] =
	"SELECT count(*) FROM council_resolutions r CROSS JOIN councils c CROSS JOIN time_nodes n"
	" WHERE c.id = r.council_id AND n.kind = '" COUNCIL_RESOLUTION_KIND "' AND n.ref_id = r.id"
	" AND r.status = 'done' AND n.done_at <= n.deadline AND r.due_on >= ? AND r.due_on <= ? AND " UNDER("c.node_id");
static const char SQL_NOTICES[] =
	"SELECT count(*) FROM notices x WHERE x.status <> 'draft' AND x.published_at >= ? AND x.published_at < ? AND "
	UNDER("x.node_id");

static const char SQL_CASES_OPENED[] =
	"SELECT count(*) FROM mediation_cases x WHERE x.opened_on >= ? AND x.opened_on <= ? AND " UNDER("x.node_id");
static const char SQL_CASES_CLOSED[] =
	"SELECT x.status, COALESCE(x.settled_level, ''), count(*) FROM mediation_cases x WHERE x.status <> 'open'"
	" AND x.closed_on >= ? AND x.closed_on <= ? AND " UNDER("x.node_id") " GROUP BY x.status, x.settled_level";
static const char SQL_FILINGS[] =
	"SELECT x.kind, count(*), COALESCE(sum(x.frugal_pledge), 0) FROM red_white_filings x"
	" WHERE x.held_on >= ? AND x.held_on <= ? AND " UNDER("x.node_id") " GROUP BY x.kind";

/* Mediation cases and 红白理事会 filings of the year. */
static int mediation_figures(struct store *s, int64_t under, const char *from, const char *to, struct council_figures *out,
			     struct fault *f)
{
	struct store_stmt *st;
	int rc;

	st = store_query(s, SQL_CASES_OPENED, "ttii", from, to, under, under);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	out->cases_opened = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_CASES_CLOSED, "ttii", from, to, under, under);
	while (store_next(st, &rc)) {
		const char *status = store_column_text(st, 0), *level = store_column_text(st, 1);
		int64_t n = store_column_int64(st, 2);

		if (!strcmp(status, "referred"))
			out->referred += n;
		else if (!strcmp(status, "withdrawn"))
			out->withdrawn += n;
		else if (!strcmp(level, "courtyard"))
			out->settled_courtyard += n;
		else if (!strcmp(level, "community"))
			out->settled_community += n;
		else
			out->settled_above += n;
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_FILINGS, "ttii", from, to, under, under);
	while (store_next(st, &rc)) {
		if (!strcmp(store_column_text(st, 0), "wedding"))
			out->weddings = store_column_int64(st, 1);
		else
			out->funerals = store_column_int64(st, 1);
		out->frugal_pledges += store_column_int64(st, 2);
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

int council_figures(struct store *s, int64_t under, int year, struct council_figures *out, struct fault *f)
{
	struct store_stmt *st;
	struct council_meeting m;
	char from[11], to[11], t0[32], t1[32];
	int rc;

	memset(out, 0, sizeof(*out));
	out->year = year;
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	/* created_at / published_at are UTC text: the local year starts 8 hours earlier */
	snprintf(t0, sizeof(t0), "%04d-12-31T16:00:00", year - 1);
	snprintf(t1, sizeof(t1), "%04d-12-31T16:00:00", year);
	st = store_query(s, SQL_MEETINGS, "ttii", from, to, under, under);
	while (store_next(st, &rc)) {
		int64_t id = store_column_int64(st, 0);

		out->meetings_held++;
		/* the quorum of each meeting is counted as the meeting page shows it */
		if (council_meeting_get(s, id, &m, f) < 0) {
			store_done(st);
			return -1;
		}
		out->meetings_quorate += m.quorum_met;
		council_meeting_release(&m);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_PROPOSALS, "ttii", t0, t1, under, under);
	while (store_next(st, &rc)) {
		const char *status = store_column_text(st, 0);
		int64_t n = store_column_int64(st, 1);

		out->proposals += n;
		if (!strcmp(status, "passed"))
			out->passed += n;
		else if (!strcmp(status, "rejected"))
			out->rejected += n;
		else if (!strcmp(status, "no_quorum"))
			out->no_quorum += n;
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_RESOLUTIONS, "ttii", from, to, under, under);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	out->resolutions_due = store_column_int64(st, 0);
	out->resolutions_done = store_column_int64(st, 1);
	store_done(st);
	st = store_query(s, SQL_ON_TIME, "ttii", from, to, under, under);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	out->resolutions_on_time = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_NOTICES, "ttii", t0, t1, under, under);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	out->notices_published = store_column_int64(st, 0);
	store_done(st);
	return mediation_figures(s, under, from, to, out, f);
}
