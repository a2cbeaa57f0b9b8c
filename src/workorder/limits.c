/*
 * limits.c - time limits per type and urgency, in working days (wo_time_limits;
 * Shandong defaults: reply 5, sign 1, return 2, extension up to 10; reopen 30
 * calendar days).
 */
#include "workorder/wo_internal.h"

#include <string.h>

/* The most specific row: the exact type before '*', the exact urgency before '*'. */
static const char SQL_LIMITS[] =
	"SELECT reply_days, sign_days, return_days, extension_max_days, reopen_days FROM wo_time_limits"
	" WHERE type IN (?, '*') AND urgency IN (?, '*')"
	" ORDER BY type = '*', urgency = '*' LIMIT 1";

int wo_limits_for(struct store *s, const char *type, const char *urgency, struct wo_limits *out, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_LIMITS, "tt", type ? type : "*", urgency ? urgency : "*");
	rc = store_step(st);
	if (rc == STORE_ROW) {
		out->reply_days = (int)store_column_int64(st, 0);
		out->sign_days = (int)store_column_int64(st, 1);
		out->return_days = (int)store_column_int64(st, 2);
		out->extension_max_days = (int)store_column_int64(st, 3);
		out->reopen_days = (int)store_column_int64(st, 4);
	}
	store_done(st);
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_CONFLICT, "type", "no time limits are configured for %s orders of %s urgency",
				 type ? type : "any", urgency ? urgency : "any");
	if (rc != STORE_ROW)
		return store_fault(s, rc, f);
	return 0;
}
