/*
 * recount.c - the open time nodes whose deadline was counted on a provisional
 * calendar, counted again once the year is loaded (calendar.h).  Called by
 * wo_calendar_load() (workorder/recalc.c) in the transaction of the load,
 * after the year is in: a node keeps its start, days and rule, so its new
 * deadline is simply counted again; a card the new deadline no longer
 * justifies is withdrawn (a card it calls for is the sweeper's), and each
 * node that moved gets a 'recount' row in its history.
 */
#include "timenode/timenode.h"
#include "calendar/calendar.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_PROVISIONAL[] =
	"SELECT id, subdistrict_id, kind, ref_id, start_at, days, day_rule, deadline, card FROM time_nodes"
	" WHERE state = 'open' AND provisional = 1 ORDER BY id";
static const char SQL_SET[] = "UPDATE time_nodes SET deadline = ?, provisional = ? WHERE id = ?";
static const char SQL_WITHDRAW[] = "UPDATE time_nodes SET card = ?, escalate_at = NULL WHERE id = ?";
static const char SQL_EVENT[] =
	"INSERT INTO time_node_events (subdistrict_id, time_node_id, at, action, note) VALUES (?, ?, ?, 'recount', ?)";

void tn_recount_release(struct tn_recount *r)
{
	free(r->items);
	memset(r, 0, sizeof(*r));
}

/* One node: its deadline again, the card it may keep, the row and its history. */
static int recount_one(struct store *s, struct tn_recount_item *it, int64_t subdistrict, int64_t start, int days,
		       enum tn_days rule, int64_t now, struct fault *f)
{
	char a[40], b[40], note[200];
	int64_t yellow;
	int rc;

	if (tn_deadline_marked(s, start, days, rule, &it->after, &it->still_provisional, f) < 0)
		return -1;
	if (strcmp(it->card_before, "none") != 0 && now <= it->after) {
		if (calendar_yellow_at(s, it->after, &yellow, f) < 0)
			return -1;
		snprintf(it->card_after, sizeof(it->card_after), "%s", now >= yellow ? "yellow" : "none");
	}
	if ((rc = store_run(s, SQL_SET, "iii", it->after, (int64_t)it->still_provisional, it->time_node_id)) != STORE_OK)
		return store_fault(s, rc, f);
	if (it->after == it->before && strcmp(it->card_after, it->card_before) == 0)
		return 0;
	if (strcmp(it->card_after, it->card_before) != 0 &&
	    (rc = store_run(s, SQL_WITHDRAW, "ti", it->card_after, it->time_node_id)) != STORE_OK)
		return store_fault(s, rc, f);
	time_format_local(it->before, a, sizeof(a));
	time_format_local(it->after, b, sizeof(b));
	snprintf(note, sizeof(note), "deadline %s -> %s on the official calendar%s%s%s", a, b,
		 strcmp(it->card_after, it->card_before) ? "; " : "",
		 strcmp(it->card_after, it->card_before) ? it->card_before : "",
		 strcmp(it->card_after, it->card_before) ? " card withdrawn" : "");
	if ((rc = store_run(s, SQL_EVENT, "iiit", subdistrict, it->time_node_id, now, note)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

int tn_recount_provisional(struct store *s, int64_t now, struct tn_recount *out, struct fault *f)
{
	struct store_stmt *st;
	struct row { int64_t subdistrict, start; int days; enum tn_days rule; } *rows = NULL;
	size_t cap = 0, rcap = 0, k;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_PROVISIONAL, "");
	while (store_next(st, &rc)) {
		struct tn_recount_item *it;
		const char *rule = store_column_text(st, 6);

		YL_GROW(out->items, out->n, cap);
		YL_GROW(rows, out->n, rcap);
		it = &out->items[out->n];
		memset(it, 0, sizeof(*it));
		it->time_node_id = store_column_int64(st, 0);
		store_column_copy(st, 2, it->kind, sizeof(it->kind));
		it->ref_id = store_column_int64(st, 3);
		it->before = store_column_int64(st, 7);
		store_column_copy(st, 8, it->card_before, sizeof(it->card_before));
		snprintf(it->card_after, sizeof(it->card_after), "%s", it->card_before);
		rows[out->n].subdistrict = store_column_int64(st, 1);
		rows[out->n].start = store_column_int64(st, 4);
		rows[out->n].days = (int)store_column_int64(st, 5);
		rows[out->n].rule = rule && !strcmp(rule, "calendar") ? TN_CALENDAR_DAYS : TN_WORKING_DAYS;
		out->n++;
	}
	if (rc != STORE_DONE) {
		free(rows);
		tn_recount_release(out);
		return store_fault(s, rc, f);
	}
	for (k = 0; k < out->n; k++) {
		if (recount_one(s, &out->items[k], rows[k].subdistrict, rows[k].start, rows[k].days, rows[k].rule, now,
				f) < 0) {
			free(rows);
			tn_recount_release(out);
			return -1;
		}
	}
	free(rows);
	return 0;
}
