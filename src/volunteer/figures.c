/*
 * figures.c - the figures of volunteering under a node for days from..to
 * (issue 16), counted from the stored rows only: shifts closed and their fill
 * rate, attendance (no-show rate), hours and points by team, month and person
 * (the ledger's shift and confirmation rows), active volunteers per courtyard
 * against its residents, points exchanged, and patrol incidents with the work
 * orders they became.
 */
#include "volunteer/volunteer.h"
#include "volunteer/volunteer_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNDER(col) " AND (CAST(? AS INTEGER) = 0 OR " col " IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"

static const char SQL_SHIFTS[] =
	"SELECT count(*), coalesce(sum(people), 0), coalesce(sum(filled), 0) FROM volunteer_shifts sh"
	" WHERE sh.state = 'closed' AND sh.day >= ? AND sh.day <= ?" UNDER("sh.node_id");
static const char SQL_ATTENDANCE[] =
	"SELECT a.attendance, count(*) FROM volunteer_assignments a CROSS JOIN volunteer_shifts sh WHERE sh.id = a.shift_id"
	" AND a.state = 'active' AND sh.state = 'closed' AND sh.day >= ? AND sh.day <= ?" UNDER("sh.node_id")
	" GROUP BY a.attendance";
#define SERVED_FROM                                                                                   \
	" FROM volunteer_ledger l CROSS JOIN volunteer_teams t WHERE t.id = l.team_id"                 \
	" AND l.kind IN ('shift','confirm') AND l.on_day >= ? AND l.on_day <= ?" UNDER("t.node_id")
static const char SQL_TEAMS[] =
	"SELECT t.id, t.name, t.kind, sum(l.minutes), sum(l.points)" SERVED_FROM
	" GROUP BY t.id, t.name, t.kind ORDER BY sum(l.minutes) DESC, t.id";
static const char SQL_TEAM_SHIFTS[] =
	"SELECT count(*), coalesce(sum(people), 0), coalesce(sum(filled), 0) FROM volunteer_shifts"
	" WHERE team_id = ? AND state = 'closed' AND day >= ? AND day <= ?";
static const char SQL_MONTHS[] =
	"SELECT substr(l.on_day, 1, 7), sum(l.minutes), sum(l.points), count(DISTINCT l.person_id)" SERVED_FROM
	" GROUP BY substr(l.on_day, 1, 7) ORDER BY substr(l.on_day, 1, 7)";
static const char SQL_PERSONS[] =
	"SELECT p.id, p.name, sum(l.minutes), sum(l.points) FROM volunteer_ledger l CROSS JOIN volunteer_teams t"
	" CROSS JOIN persons p WHERE t.id = l.team_id AND p.id = l.person_id AND l.kind IN ('shift','confirm')"
	" AND l.on_day >= ? AND l.on_day <= ?" UNDER("t.node_id")
	" GROUP BY p.id, p.name ORDER BY sum(l.minutes) DESC, p.id LIMIT 20";
static const char SQL_TOTALS[] = "SELECT coalesce(sum(l.minutes), 0), coalesce(sum(l.points), 0),"
				 " count(DISTINCT l.person_id)" SERVED_FROM;
static const char SQL_ACTIVE_BY_COURTYARD[] =
	"SELECT c.id, c.name, count(DISTINCT l.person_id) FROM volunteer_ledger l CROSS JOIN volunteer_teams t"
	" CROSS JOIN persons p CROSS JOIN node_closure nc CROSS JOIN nodes c WHERE t.id = l.team_id AND p.id = l.person_id"
	" AND nc.descendant_id = p.home_node_id AND c.id = nc.ancestor_id AND c.level = 'courtyard'"
	" AND l.kind IN ('shift','confirm') AND l.minutes > 0 AND l.on_day >= ? AND l.on_day <= ?" UNDER("t.node_id")
	" GROUP BY c.id, c.name ORDER BY count(DISTINCT l.person_id) DESC, c.id LIMIT 200";
static const char SQL_RESIDENTS[] =
	"SELECT count(*) FROM persons p CROSS JOIN node_closure nc WHERE nc.descendant_id = p.home_node_id"
	" AND nc.ancestor_id = ?";
static const char SQL_REDEEMED[] =
	"SELECT coalesce(sum(points), 0) FROM volunteer_redemptions r WHERE substr(r.at, 1, 10) >= ? AND"
	" substr(r.at, 1, 10) <= ?" UNDER("r.node_id");
static const char SQL_PATROLS[] =
	"SELECT count(*) FROM volunteer_patrols p WHERE p.started_at >= ? AND p.started_at < ?" UNDER("p.node_id");
static const char SQL_INCIDENTS[] =
	"SELECT count(*), count(i.work_order_id), coalesce(sum(CASE WHEN w.state = 'closed' THEN 1 ELSE 0 END), 0)"
	" FROM volunteer_patrol_incidents i CROSS JOIN volunteer_patrols p LEFT JOIN work_orders w ON w.id = i.work_order_id"
	" WHERE p.id = i.patrol_id AND p.started_at >= ? AND p.started_at < ?" UNDER("p.node_id");

void volunteer_figures_release(struct vol_figures *fg)
{
	size_t i;

	for (i = 0; i < fg->nteams; i++)
		free(fg->teams[i].name);
	free(fg->teams);
	for (i = 0; i < fg->nmonths; i++)
		free(fg->months[i].name);
	free(fg->months);
	for (i = 0; i < fg->npersons; i++)
		free(fg->persons[i].name);
	free(fg->persons);
	for (i = 0; i < fg->ncourtyards; i++)
		free(fg->courtyards[i].name);
	free(fg->courtyards);
	memset(fg, 0, sizeof(*fg));
}

/* A query of one row: its integer columns into out (n of them). */
static int one_row(struct store *s, struct store_stmt *st, int64_t *out, int n, struct fault *f)
{
	int rc, i;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	for (i = 0; i < n; i++)
		out[i] = store_column_int64(st, i);
	store_done(st);
	return 0;
}

/* Rows of (id or key, name, a, b, c) into a list. */
static int rows(struct store *s, struct store_stmt *st, int key_text, struct vol_fig_row **out, size_t *n,
		struct fault *f)
{
	size_t cap = 0;
	int rc;

	while (store_next(st, &rc)) {
		struct vol_fig_row *r;

		YL_GROW(*out, *n, cap);
		r = &(*out)[(*n)++];
		memset(r, 0, sizeof(*r));
		if (key_text) {
			store_column_copy(st, 0, r->key, sizeof(r->key));
			r->minutes = store_column_int64(st, 1);
			r->points = store_column_int64(st, 2);
			r->count = store_column_int64(st, 3);
		} else {
			r->id = store_column_int64(st, 0);
			r->name = store_column_dup(st, 1);
			r->minutes = store_column_int64(st, 2);
			r->points = store_column_int64(st, 3);
		}
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

int volunteer_figures(struct store *s, int64_t under, const char *from, const char *to, struct vol_figures *out,
		      struct fault *f)
{
	struct store_stmt *st;
	int64_t v[3], lo, hi;
	size_t i, cap = 0;
	char text[24];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!from || date_valid(from) != 0)
		return fault_set(f, FAULT_INVALID, "from", "from is a date YYYY-MM-DD");
	if (!to || date_valid(to) != 0)
		return fault_set(f, FAULT_INVALID, "to", "to is a date YYYY-MM-DD");
	if (strcmp(to, from) < 0)
		return fault_set(f, FAULT_INVALID, "to", "to comes before from");
	snprintf(out->from, sizeof(out->from), "%s", from);
	snprintf(out->to, sizeof(out->to), "%s", to);
	snprintf(text, sizeof(text), "%s 00:00", from);
	if (volunteer_time_parse("from", text, &lo, f) < 0)
		return -1;
	snprintf(text, sizeof(text), "%s 00:00", to);
	if (volunteer_time_parse("to", text, &hi, f) < 0)
		return -1;
	hi += 86400;

	st = store_query(s, SQL_SHIFTS, "ttii", from, to, under, under);
	if (one_row(s, st, v, 3, f) < 0)
		return -1;
	out->shifts = v[0];
	out->people = v[1];
	out->filled = v[2];
	st = store_query(s, SQL_ATTENDANCE, "ttii", from, to, under, under);
	while (store_next(st, &rc)) {
		const char *a = store_column_text(st, 0);
		int64_t n = store_column_int64(st, 1);

		out->places += n;
		if (a && !strcmp(a, "present"))
			out->present = n;
		else if (a && !strcmp(a, "late"))
			out->late = n;
		else if (a && !strcmp(a, "no_show"))
			out->no_show = n;
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_TOTALS, "ttii", from, to, under, under);
	if (one_row(s, st, v, 3, f) < 0)
		return -1;
	out->minutes = v[0];
	out->points = v[1];
	st = store_query(s, SQL_REDEEMED, "ttii", from, to, under, under);
	if (one_row(s, st, v, 1, f) < 0)
		return -1;
	out->redeemed = v[0];

	st = store_query(s, SQL_TEAMS, "ttii", from, to, under, under);
	while (store_next(st, &rc)) {
		struct vol_fig_team *t;

		YL_GROW(out->teams, out->nteams, cap);
		t = &out->teams[out->nteams++];
		memset(t, 0, sizeof(*t));
		t->team_id = store_column_int64(st, 0);
		t->name = store_column_dup(st, 1);
		store_column_copy(st, 2, t->kind, sizeof(t->kind));
		t->minutes = store_column_int64(st, 3);
		t->points = store_column_int64(st, 4);
	}
	if (rc != STORE_DONE)
		goto fail_rc;
	for (i = 0; i < out->nteams; i++) {
		st = store_query(s, SQL_TEAM_SHIFTS, "itt", out->teams[i].team_id, from, to);
		if (one_row(s, st, v, 3, f) < 0)
			goto fail;
		out->teams[i].shifts = v[0];
		out->teams[i].people = v[1];
		out->teams[i].filled = v[2];
	}
	st = store_query(s, SQL_MONTHS, "ttii", from, to, under, under);
	if (rows(s, st, 1, &out->months, &out->nmonths, f) < 0)
		goto fail;
	st = store_query(s, SQL_PERSONS, "ttii", from, to, under, under);
	if (rows(s, st, 0, &out->persons, &out->npersons, f) < 0)
		goto fail;
	st = store_query(s, SQL_ACTIVE_BY_COURTYARD, "ttii", from, to, under, under);
	cap = 0;
	while (store_next(st, &rc)) {
		struct vol_fig_row *r;

		YL_GROW(out->courtyards, out->ncourtyards, cap);
		r = &out->courtyards[out->ncourtyards++];
		memset(r, 0, sizeof(*r));
		r->id = store_column_int64(st, 0);
		r->name = store_column_dup(st, 1);
		r->count = store_column_int64(st, 2);
	}
	if (rc != STORE_DONE)
		goto fail_rc;
	for (i = 0; i < out->ncourtyards; i++) {
		st = store_query(s, SQL_RESIDENTS, "i", out->courtyards[i].id);
		if (one_row(s, st, v, 1, f) < 0)
			goto fail;
		out->courtyards[i].total = v[0];
	}
	st = store_query(s, SQL_TOTALS, "ttii", from, to, under, under);
	if (one_row(s, st, v, 3, f) < 0)
		goto fail;
	out->active = v[2];
	st = store_query(s, SQL_PATROLS, "iiii", lo, hi, under, under);
	if (one_row(s, st, v, 1, f) < 0)
		goto fail;
	out->patrols = v[0];
	st = store_query(s, SQL_INCIDENTS, "iiii", lo, hi, under, under);
	if (one_row(s, st, v, 3, f) < 0)
		goto fail;
	out->incidents = v[0];
	out->orders = v[1];
	out->orders_closed = v[2];
	return 0;
fail_rc:
	store_fault(s, rc, f);
fail:
	volunteer_figures_release(out);
	return -1;
}
