/*
 * investment.c - investment completed, reported month by month in 万元 (fixed
 * point): a month is YYYY-MM and not in the future; a report for a month
 * already reported replaces it; the sum of all reports never exceeds the
 * project's total investment (an absurd amount is refused, not stored).
 */
#include "project/project.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_REPORTS[] =
	"SELECT month, amount FROM project_investment_reports WHERE project_id = ? ORDER BY month";
static const char SQL_SUM_OTHERS[] =
	"SELECT COALESCE(sum(amount), 0) FROM project_investment_reports WHERE project_id = ? AND month <> ?";
static const char SQL_UPSERT[] =
	"INSERT INTO project_investment_reports (project_id, month, amount, by_user_id, at) VALUES (?, ?, ?, ?, ?)"
	" ON CONFLICT (project_id, month) DO UPDATE SET amount = excluded.amount, by_user_id = excluded.by_user_id,"
	" at = excluded.at";

void project_investment_list_release(struct project_investment_list *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int project_investments(struct store *s, int64_t project_id, struct project_investment_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_REPORTS, "i", project_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct project_investment *r;

		YL_GROW(out->items, out->n, out->cap);
		r = &out->items[out->n++];
		store_column_copy(st, 0, r->month, sizeof(r->month));
		r->amount = store_column_int64(st, 1);
		out->to_date += r->amount;
	}
	if (rc != STORE_DONE) {
		project_investment_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/* YYYY-MM of a real month, not after this one (Asia/Shanghai). */
static int check_month(const char *month, struct fault *f)
{
	char date[11], today[11];

	if (!month || strlen(month) != 7)
		return fault_set(f, FAULT_INVALID, "month", "month is YYYY-MM");
	snprintf(date, sizeof(date), "%s-01", month);
	if (date_valid(date) != 0)
		return fault_set(f, FAULT_INVALID, "month", "month is YYYY-MM");
	date_today_local(today);
	if (strncmp(month, today, 7) > 0)
		return fault_set(f, FAULT_INVALID, "month", "investment is reported for a month that has begun");
	return 0;
}

int project_investment_report(struct store *s, const struct project *p, const char *month, const char *amount,
			      int64_t by_user, struct fault *f)
{
	struct store_stmt *st;
	int64_t v, others;
	char now[32];
	int rc;

	if (check_month(month, f) < 0 || project_money_parse("amount", amount, &v, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_SUM_OTHERS, "it", p->id, month);
	if (!store_next(st, &rc)) {
		store_fault(s, rc, f);
		goto fail;
	}
	others = store_column_int64(st, 0);
	store_done(st);
	if (others + v > p->investment_total) {
		char total[32];

		project_money_wan(p->investment_total, total);
		fault_set(f, FAULT_INVALID, "amount", "completed investment would exceed the total investment (%s 万元)", total);
		goto fail;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_UPSERT, "itiIt", p->id, month, v, by_user, now)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}
