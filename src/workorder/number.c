/*
 * number.c - public work-order numbers, the ones residents read out on the phone:
 *
 *     YL [prefix] YYYYMMDD sequence
 *     YL          20261129 00123        the default (no prefix), as since the first release
 *     YL MS       20261129 00123        number-prefix = MS: the deployment's or the server's letters
 *     YL          20261129 123456       the 123,456th order of that local day
 *
 * - The prefix (setting number-prefix) is 0 to WO_NUMBER_PREFIX_MAX capital
 *   letters.  Letters only, so the date always starts at the first digit and
 *   numbers of two prefixes can never be the same text.  Several subdistricts
 *   that run apart, or app servers sharing one PostgreSQL, each set their own
 *   and never collide, nor wait on each other for a number (below).
 * - The date is the local date of receipt (Asia/Shanghai).
 * - The sequence counts the orders of that prefix and day from 1, written with
 *   at least 5 digits and as many more as it needs: 99999 is followed by
 *   100000.  Nothing runs out (a 64-bit counter), the usual number keeps its
 *   length, and every number issued before stays what it was.  Numbers sort by
 *   prefix and date as text; within a day that passed 99,999 they sort by
 *   length, then text (the list sorts by receipt time, never by the number).
 *
 * The counter is one row of wo_daily_seq per prefix and day, keyed by the
 * number's stem without "YL": "20261129" (the rows of before prefixes existed)
 * or "MS20261129".  It is bumped by one atomic upsert inside the order's
 * write transaction, so a rolled-back intake gives its number back and no two
 * intakes share one.  It needs no lock of its own: on SQLite the one writer
 * (the group committer's transaction) already orders them; on PostgreSQL, at
 * READ COMMITTED, the upsert waits on the row only while another transaction
 * holds the same prefix's day, and the first order of a day cannot fail on a
 * duplicate key (ON CONFLICT takes the other's row).  Servers with different
 * prefixes touch different rows: none waits on another for a number.
 */
#include "workorder/wo_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

#define SEQ_DIGITS 5		/* the sequence's least width: the numbers of before stay as they were */

static const char SQL_SEQ_NEXT[] =
	"INSERT INTO wo_daily_seq (day, last) VALUES (?, 1)"
	" ON CONFLICT (day) DO UPDATE SET last = wo_daily_seq.last + 1 RETURNING last";

/* Set once at start (main.c, before any thread), read by every intake after. */
static char number_prefix[WO_NUMBER_PREFIX_MAX + 1];

int wo_number_set_prefix(const char *prefix, char *err, size_t errlen)
{
	size_t i, n = strlen(prefix);

	if (n > WO_NUMBER_PREFIX_MAX)
		return set_error(err, errlen, "number-prefix '%s' is longer than %d letters", prefix,
				 WO_NUMBER_PREFIX_MAX);
	for (i = 0; i < n; i++)
		if (prefix[i] < 'A' || prefix[i] > 'Z')
			return set_error(err, errlen, "number-prefix '%s' must be capital letters A to Z only", prefix);
	memcpy(number_prefix, prefix, n + 1);
	return 0;
}

int wo_number_next(struct store *s, int64_t received_at, char out[WO_NUMBER_SIZE], struct fault *f)
{
	struct store_stmt *st;
	char local[40], stem[WO_NUMBER_PREFIX_MAX + 9];
	int64_t last = 0;
	int rc;

	if (!store_in_transaction(s))
		return fault_set(f, FAULT_INTERNAL, NULL, "work-order numbers are taken inside a write transaction");
	time_format_local(received_at, local, sizeof(local));
	/* "2026-11-29T08:56:00+08:00" -> "MS20261129" */
	snprintf(stem, sizeof(stem), "%s%.4s%.2s%.2s", number_prefix, local, local + 5, local + 8);
	st = store_prepare(s, SQL_SEQ_NEXT);
	store_bind_text(st, 1, stem);
	rc = store_step(st);
	if (rc == STORE_ROW)
		last = store_column_int64(st, 0);
	store_done(st);
	if (rc != STORE_ROW)
		return store_fault(s, rc, f);
	snprintf(out, WO_NUMBER_SIZE, "YL%s%0*lld", stem, SEQ_DIGITS, (long long)last);
	return 0;
}
