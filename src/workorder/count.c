/*
 * count.c - how many work orders are in each state, deployment-wide (for
 * /metrics; the figures of evaluations are src/stats/).
 *
 * A scrape comes every few seconds and the table holds millions of orders,
 * nearly all closed.  The open states are counted on every call, a range of
 * the state index that skips the closed ones (cost: the open orders); the
 * closed are counted at most every CLOSED_REFRESH seconds per process, as
 * their walk costs the whole table.
 */
#include "workorder/wo_internal.h"

#include <pthread.h>
#include <string.h>

_Static_assert(WO_NSTATE_COUNT == WO_NSTATES, "workorder.h counts every state");

#define CLOSED_REFRESH 300

/* One equality range of the state index per state (a "<>" would walk the whole index). */
static const char SQL_ONE_STATE[] = "SELECT COUNT(*) FROM work_orders WHERE state = ?";
static const char SQL_CLOSED[] = "SELECT COUNT(*) FROM work_orders WHERE state = 'closed'";

static pthread_mutex_t closed_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t closed_count = -1, closed_at;

static int count_closed(struct store *s, int64_t *out, struct fault *f)
{
	int64_t now = time_now_us() / 1000000, n = 0;
	int rc;

	pthread_mutex_lock(&closed_lock);
	if (closed_count >= 0 && now - closed_at < CLOSED_REFRESH) {
		*out = closed_count;
		pthread_mutex_unlock(&closed_lock);
		return 0;
	}
	pthread_mutex_unlock(&closed_lock);
	if ((rc = store_query_int64(s, SQL_CLOSED, &n, 0)) != STORE_OK)
		return store_fault(s, rc, f);
	pthread_mutex_lock(&closed_lock);
	closed_count = n;
	closed_at = now;
	pthread_mutex_unlock(&closed_lock);
	*out = n;
	return 0;
}

int wo_count_by_state(struct store *s, int64_t counts[WO_NSTATE_COUNT], struct fault *f)
{
	int i;

	memset(counts, 0, WO_NSTATE_COUNT * sizeof(counts[0]));
	for (i = 0; i < WO_NSTATES; i++) {
		struct store_stmt *st;
		int rc;

		if (i == WO_CLOSED)
			continue;
		st = store_query(s, SQL_ONE_STATE, "t", wo_state_name((enum wo_state)i));
		rc = store_step(st);
		if (rc == STORE_ROW)
			counts[i] = store_column_int64(st, 0);
		store_done(st);
		if (rc != STORE_ROW)
			return store_fault(s, rc, f);
	}
	return count_closed(s, &counts[WO_CLOSED], f);
}
