/*
 * count.c - how many work orders are in each state, deployment-wide (for
 * /metrics; the figures of evaluations are src/stats/).
 */
#include "workorder/wo_internal.h"

#include <string.h>

_Static_assert(WO_NSTATE_COUNT == WO_NSTATES, "workorder.h counts every state");

static const char SQL_BY_STATE[] = "SELECT state, COUNT(*) FROM work_orders GROUP BY state";

int wo_count_by_state(struct store *s, int64_t counts[WO_NSTATE_COUNT], struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_BY_STATE);
	int rc;

	memset(counts, 0, WO_NSTATE_COUNT * sizeof(counts[0]));
	while ((rc = store_step(st)) == STORE_ROW) {
		enum wo_state k = wo_state_parse(store_column_text(st, 0));

		if (k != WO_STATE_NONE)
			counts[k] = store_column_int64(st, 1);
	}
	store_done(st);
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}
