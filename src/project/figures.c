/*
 * figures.c - the figures of the project office (issue 14, "Figures") from
 * stored rows only, for the projects under a node (0: all) and a year:
 * projects and investment by stage (and how many reached that stage this
 * year), this year's planned investment, dispatch meetings held, problems
 * raised, closed, still open, overdue now and the median days to close, the
 * investment completed in the year's monthly reports, and
 * tasks done on time.  Nothing here is stored: every number is a query.
 */
#include "project/project.h"
#include "calendar/calendar.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNDER " (CAST(? AS INTEGER) = 0 OR node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"

static const char SQL_BY_STAGE[] =
	"SELECT stage, count(*), COALESCE(sum(investment_total), 0),"
	" COALESCE(sum(CASE WHEN stage_on >= ? AND stage_on <= ? THEN 1 ELSE 0 END), 0),"
	" COALESCE(sum(CASE WHEN stage_on >= ? AND stage_on <= ? THEN investment_total ELSE 0 END), 0)"
	" FROM projects WHERE" UNDER " GROUP BY stage";
static const char SQL_PLAN[] =
	"SELECT COALESCE(sum(investment_plan), 0) FROM projects WHERE plan_year = ? AND" UNDER;
static const char SQL_COMPLETED[] =
	"SELECT COALESCE(sum(amount), 0) FROM project_investment_reports WHERE month >= ? AND month <= ?"
	" AND project_id IN (SELECT id FROM projects WHERE" UNDER ")";
static const char SQL_MEETINGS[] =
	"SELECT count(*) FROM project_meetings WHERE held_on >= ? AND held_on <= ?"
	" AND (CAST(? AS INTEGER) = 0 OR subdistrict_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))";
/* Problems raised in the year, with when each was closed (the day, local) and whether its node is red now. */
static const char SQL_PROBLEMS[] =
	"SELECT p.raised_on, p.status, p.closed_at, n.state, n.deadline FROM project_problems p"
	" LEFT JOIN time_nodes n ON n.kind = '" PROJECT_PROBLEM_KIND "' AND n.ref_id = p.id"
	" WHERE p.raised_on >= ? AND p.raised_on <= ? AND p.project_id IN (SELECT id FROM projects WHERE" UNDER ")";
/* Tasks due in the year: done, and done by their deadline. */
static const char SQL_TASKS[] =
	"SELECT t.status, n.done_at, n.deadline FROM project_tasks t"
	" LEFT JOIN time_nodes n ON n.kind = '" PROJECT_TASK_KIND "' AND n.ref_id = t.id"
	" WHERE t.due_on >= ? AND t.due_on <= ? AND t.project_id IN (SELECT id FROM projects WHERE" UNDER ")";

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The day of a stored UTC time text ("2026-11-29T00:56:00Z") in Asia/Shanghai. */
static int local_day_of_text(const char *utc, int32_t *day)
{
	char date[11];
	int32_t d;
	int hh;

	if (!utc || strlen(utc) < 13)
		return -1;
	memcpy(date, utc, 10);
	date[10] = '\0';
	if (calendar_day_parse(date, &d) < 0)
		return -1;
	hh = (utc[11] - '0') * 10 + (utc[12] - '0');
	*day = d + (hh + 8 >= 24);
	return 0;
}

int project_figures(struct store *s, int64_t under, int year, int64_t now, struct project_figures *out,
		    struct fault *f)
{
	char from[11], to[11];
	struct store_stmt *st;
	int *days = NULL;
	size_t ndays = 0, cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (year < 2000 || year > 2100)
		return fault_set(f, FAULT_INVALID, "year", "year is from 2000 to 2100");
	out->year = year;
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);

	st = store_query(s, SQL_BY_STAGE, "ttttii", from, to, from, to, under, under);
	while (store_next(st, &rc)) {
		enum project_stage k = project_stage_parse((const char *)store_column_text(st, 0));

		if (k == STAGE_NONE)
			continue;
		out->stage[k].projects = store_column_int64(st, 1);
		out->stage[k].investment = store_column_int64(st, 2);
		out->stage[k].this_year = store_column_int64(st, 3);
		out->stage[k].investment_this_year = store_column_int64(st, 4);
		out->projects += out->stage[k].projects;
		out->investment += out->stage[k].investment;
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	if ((rc = store_query_int64(s, SQL_PLAN, &out->investment_plan, 3, (int64_t)year, under, under)) != STORE_OK)
		return store_fault(s, rc, f);
	{
		char m1[8], m12[8];

		snprintf(m1, sizeof(m1), "%04d-01", year);
		snprintf(m12, sizeof(m12), "%04d-12", year);
		st = store_query(s, SQL_COMPLETED, "ttii", m1, m12, under, under);
		if (!store_next(st, &rc))
			return store_fault(s, rc, f);
		out->investment_completed = store_column_int64(st, 0);
		store_done(st);
	}
	{
		char today[11];

		/* held: up to today */
		date_today_local(today);
		st = store_query(s, SQL_MEETINGS, "ttii", from, strcmp(today, to) < 0 ? today : to, under, under);
		if (!store_next(st, &rc))
			return store_fault(s, rc, f);
		out->meetings = store_column_int64(st, 0);
		store_done(st);
	}

	st = store_query(s, SQL_PROBLEMS, "ttii", from, to, under, under);
	while (store_next(st, &rc)) {
		const char *status = (const char *)store_column_text(st, 1);
		int32_t raised, closed;

		out->problems_raised++;
		if (!strcmp(status, "closed")) {
			out->problems_closed++;
			if (calendar_day_parse((const char *)store_column_text(st, 0), &raised) == 0 &&
			    local_day_of_text((const char *)store_column_text(st, 2), &closed) == 0) {
				YL_GROW(days, ndays, cap);
				days[ndays++] = (int)(closed - raised);
			}
			continue;
		}
		out->problems_open++;
		if (!store_column_is_null(st, 4) && store_column_int64(st, 4) < now)
			out->problems_overdue++;
	}
	if (rc != STORE_DONE) {
		free(days);
		return store_fault(s, rc, f);
	}
	if (ndays) {
		qsort(days, ndays, sizeof(*days), cmp_int);
		/* the median in half days, so that an even count keeps its .5 */
		out->median_close_half_days = ndays % 2 ? 2 * days[ndays / 2] : days[ndays / 2 - 1] + days[ndays / 2];
		out->has_median = 1;
	}
	free(days);

	st = store_query(s, SQL_TASKS, "ttii", from, to, under, under);
	while (store_next(st, &rc)) {
		out->tasks_due++;
		if (strcmp((const char *)store_column_text(st, 0), "done"))
			continue;
		out->tasks_done++;
		if (store_column_int64(st, 1) <= store_column_int64(st, 2))
			out->tasks_on_time++;
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}
