/*
 * number.c - public work-order numbers: YL, the local date of receipt and a
 * 5-digit sequence of that day (YL2026112900123).  The sequence row is bumped
 * inside the order's write transaction, so two intakes never share a number
 * and a rolled-back intake gives its number back.
 */
#include "workorder/wo_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

#define DAILY_MAX 99999

static const char SQL_SEQ_BUMP[] = "UPDATE wo_daily_seq SET last = last + 1 WHERE day = ?";
static const char SQL_SEQ_FIRST[] = "INSERT INTO wo_daily_seq (day, last) VALUES (?, 1)";
static const char SQL_SEQ_GET[] = "SELECT last FROM wo_daily_seq WHERE day = ?";

int wo_number_next(struct store *s, int64_t received_at, char out[24], struct fault *f)
{
	struct store_stmt *st;
	char local[40], day[9];
	int64_t last = 0;
	int rc;

	if (!store_in_transaction(s))
		return fault_set(f, FAULT_INTERNAL, NULL, "work-order numbers are taken inside a write transaction");
	time_format_local(received_at, local, sizeof(local));
	/* "2026-11-29T08:56:00+08:00" -> "20261129" */
	snprintf(day, sizeof(day), "%.4s%.2s%.2s", local, local + 5, local + 8);
	if ((rc = store_run(s, SQL_SEQ_BUMP, "t", day)) != STORE_OK)
		return store_fault(s, rc, f);
	if (store_changes(s) == 0) {
		if ((rc = store_run(s, SQL_SEQ_FIRST, "t", day)) != STORE_OK)
			return store_fault(s, rc, f);
	}
	st = store_query(s, SQL_SEQ_GET, "t", day);
	rc = store_step(st);
	if (rc == STORE_ROW)
		last = store_column_int64(st, 0);
	store_done(st);
	if (rc != STORE_ROW)
		return store_fault(s, rc, f);
	if (last > DAILY_MAX)
		return fault_set(f, FAULT_CONFLICT, NULL, "the %d numbers of %s are used up", DAILY_MAX, day);
	snprintf(out, 24, "YL%s%05d", day, (int)last);
	return 0;
}
