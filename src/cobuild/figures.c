/*
 * figures.c - the figures of co-building for a year under a node, counted
 * from the rows only (DESIGN.md: no number typed twice): units reported per
 * community; claims per unit (claimed that year), reported, reported by their
 * due day, hours, and the community's ratings — ranked for the annual review
 * (most reported, then most on time, most hours, best rated); needs raised
 * that year, met, and the days from raised to met; hours served by units
 * (their claims) and by party members (their claims and service records).
 */
#include "cobuild/cobuild.h"
#include "calendar/calendar.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNDER(col) \
	" (CAST(? AS INTEGER) = 0 OR " col " IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"

static const char SQL_COMMUNITIES[] =
	"SELECT n.id, n.name, count(*) FROM cobuild_units u JOIN nodes n ON n.id = u.node_id WHERE" UNDER("u.node_id")
	" AND u.reported_on <= ? GROUP BY n.id, n.name ORDER BY count(*) DESC, n.name";
static const char SQL_UNITS[] =
	"SELECT u.id, u.name, count(c.id),"
	" COALESCE(sum(CASE WHEN c.status <> 'claimed' THEN 1 ELSE 0 END), 0),"
	" COALESCE(sum(CASE WHEN c.status <> 'claimed' AND c.reported_on <= c.due_on THEN 1 ELSE 0 END), 0),"
	" COALESCE(sum(c.hours_tenths), 0),"
	" COALESCE(sum((SELECT r.score FROM cobuild_ratings r WHERE r.claim_id = c.id AND r.rater = 'community')), 0),"
	" COALESCE(sum((SELECT count(*) FROM cobuild_ratings r WHERE r.claim_id = c.id AND r.rater = 'community')), 0)"
	" FROM cobuild_units u LEFT JOIN cobuild_claims c ON c.unit_id = u.id AND c.claimed_on >= ? AND c.claimed_on <= ?"
	" WHERE" UNDER("u.node_id") " GROUP BY u.id, u.name";
static const char SQL_NEEDS[] =
	"SELECT raised_on, met_on FROM cobuild_needs WHERE" UNDER("node_id") " AND raised_on >= ? AND raised_on <= ?";
static const char SQL_MEMBER_HOURS[] =
	"SELECT COALESCE(sum(r.hours_tenths), 0) FROM party_service_records r JOIN party_members m ON m.id = r.member_id"
	" WHERE" UNDER("m.node_id") " AND r.served_on >= ? AND r.served_on <= ?";
static const char SQL_MEMBER_CLAIM_HOURS[] =
	"SELECT COALESCE(sum(c.hours_tenths), 0) FROM cobuild_claims c JOIN cobuild_projects p ON p.id = c.project_id"
	" WHERE c.person_id IS NOT NULL AND" UNDER("p.node_id") " AND c.served_on >= ? AND c.served_on <= ?";

void cobuild_figures_release(struct cobuild_figures *fg)
{
	size_t i;

	for (i = 0; i < fg->n_communities; i++)
		free(fg->communities[i].name);
	for (i = 0; i < fg->n_units; i++)
		free(fg->units[i].name);
	free(fg->communities);
	free(fg->units);
	memset(fg, 0, sizeof(*fg));
}

/* The annual review's order: most reported, most on time, most hours, best average rating, then by name. */
static int rank_cmp(const void *pa, const void *pb)
{
	const struct cobuild_unit_figure *a = pa, *b = pb;

	if (a->reported != b->reported)
		return a->reported > b->reported ? -1 : 1;
	if (a->on_time != b->on_time)
		return a->on_time > b->on_time ? -1 : 1;
	if (a->hours_tenths != b->hours_tenths)
		return a->hours_tenths > b->hours_tenths ? -1 : 1;
	/* ratings compared as fractions, by cross-multiplying */
	if (a->rating_sum * (b->ratings ? b->ratings : 1) != b->rating_sum * (a->ratings ? a->ratings : 1))
		return a->rating_sum * (b->ratings ? b->ratings : 1) > b->rating_sum * (a->ratings ? a->ratings : 1) ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int sum_of(struct store *s, struct store_stmt *st, int64_t *out, struct fault *f)
{
	int rc;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*out = store_column_int64(st, 0);
	store_done(st);
	return 0;
}

int cobuild_figures(struct store *s, int64_t under, int year, struct cobuild_figures *out, struct fault *f)
{
	char from[16], to[16];
	struct store_stmt *st;
	int64_t claims_hours = 0;
	int32_t a, b;
	int rc;

	memset(out, 0, sizeof(*out));
	out->year = year;
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	st = store_query(s, SQL_COMMUNITIES, "iit", under, under, to);
	while (store_next(st, &rc)) {
		struct cobuild_community_figure *c;

		YL_GROW(out->communities, out->n_communities, out->cap_communities);
		c = &out->communities[out->n_communities++];
		c->node_id = store_column_int64(st, 0);
		c->name = store_column_dup(st, 1);
		c->units = store_column_int64(st, 2);
	}
	if (rc != STORE_DONE)
		goto store_fail;
	st = store_query(s, SQL_UNITS, "ttii", from, to, under, under);
	while (store_next(st, &rc)) {
		struct cobuild_unit_figure *u;

		YL_GROW(out->units, out->n_units, out->cap_units);
		u = &out->units[out->n_units++];
		u->unit_id = store_column_int64(st, 0);
		u->name = store_column_dup(st, 1);
		u->claims = store_column_int64(st, 2);
		u->reported = store_column_int64(st, 3);
		u->on_time = store_column_int64(st, 4);
		u->hours_tenths = store_column_int64(st, 5);
		u->rating_sum = store_column_int64(st, 6);
		u->ratings = store_column_int64(st, 7);
		out->unit_hours_tenths += u->hours_tenths;
	}
	if (rc != STORE_DONE)
		goto store_fail;
	if (out->n_units)
		qsort(out->units, out->n_units, sizeof(*out->units), rank_cmp);
	st = store_query(s, SQL_NEEDS, "iitt", under, under, from, to);
	while (store_next(st, &rc)) {
		out->needs_raised++;
		if (store_column_is_null(st, 1))
			continue;
		out->needs_met++;
		if (calendar_day_parse(store_column_text(st, 0), &a) == 0 && calendar_day_parse(store_column_text(st, 1), &b) == 0)
			out->days_to_meet_sum += b - a;
	}
	if (rc != STORE_DONE)
		goto store_fail;
	if (sum_of(s, store_query(s, SQL_MEMBER_HOURS, "iitt", under, under, from, to), &out->member_hours_tenths, f) < 0 ||
	    sum_of(s, store_query(s, SQL_MEMBER_CLAIM_HOURS, "iitt", under, under, from, to), &claims_hours, f) < 0) {
		cobuild_figures_release(out);
		return -1;
	}
	out->member_hours_tenths += claims_hours;
	return 0;
store_fail:
	cobuild_figures_release(out);
	return store_fault(s, rc, f);
}
