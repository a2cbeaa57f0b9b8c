/*
 * recalc.c - loading an official year's calendar, and counting again the
 * deadlines of open orders that were counted on the provisional one.
 *
 * The steps, all inside one write transaction (nested in the caller's):
 *   1. read every provisional deadline of an order that is not closed, and
 *      count its working days from its base on the calendar as it stands
 *      (the year still provisional): n = count(day of base, day of deadline);
 *   2. load the year (calendar_load);
 *   3. give each the n-th working day after its base on the new calendar
 *      (still provisional when it reaches a further year not loaded), write
 *      the changed deadlines, withdraw a card the new reply deadline no longer
 *      justifies (a red card before the deadline, a yellow one before its
 *      day), and add one event to each changed order, dated now, by the
 *      system: the history says what moved and why.
 * A card that the new deadline calls for is left to the sweeper, which gives
 * it with its own event as it does every card.  A dry run does all of it and
 * rolls back, so what it lists is exactly what a load would do.
 */
#include "workorder/workorder.h"
#include "workorder/wo_internal.h"
#include "auth/pii.h"
#include "calendar/calendar.h"
#include "stats/stats.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_PROVISIONAL_OPEN[] =
	"SELECT p.ref_id, p.field, p.base_at, w.number, w.sign_deadline, w.return_deadline, w.deadline, w.card"
	" FROM provisional_deadlines p JOIN work_orders w ON w.id = p.ref_id"
	" WHERE p.kind = 'work_order' AND w.state <> 'closed' ORDER BY p.ref_id, p.field";
static const char SQL_SET_SIGN[] = "UPDATE work_orders SET sign_deadline = ? WHERE id = ?";
static const char SQL_SET_RETURN[] = "UPDATE work_orders SET return_deadline = ? WHERE id = ?";
static const char SQL_SET_DEADLINE[] = "UPDATE work_orders SET deadline = ? WHERE id = ?";
static const char SQL_SET_CARD[] = "UPDATE work_orders SET card = ?, escalate_at = NULL WHERE id = ?";

static const char *const fields[] = { "sign_deadline", "return_deadline", "deadline" };

void wo_recalc_release(struct wo_recalc *r)
{
	free(r->items);
	tn_recount_release(&r->nodes);
	memset(r, 0, sizeof(*r));
}

/* Step 1: the provisional deadlines of open orders, with their working days counted now. */
static int collect(struct store *s, struct wo_recalc *r, int **days, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_PROVISIONAL_OPEN, "");
	size_t cap = 0, k;
	int rc;

	while (store_next(st, &rc)) {
		const char *field = store_column_text(st, 1);
		struct wo_recalc_item *it;
		size_t old = cap;
		int i;

		for (i = 0; i < 3 && (!field || strcmp(field, fields[i]) != 0); i++)
			;
		if (i == 3 || store_column_int64(st, 4 + i) == 0)
			continue;
		YL_GROW(r->items, r->n, cap);
		if (cap != old)
			*days = xrealloc(*days, cap * sizeof(**days));
		it = &r->items[r->n];
		memset(it, 0, sizeof(*it));
		it->order_id = store_column_int64(st, 0);
		it->field = fields[i];
		it->base = store_column_int64(st, 2);
		it->before = store_column_int64(st, 4 + i);
		store_column_copy(st, 3, it->number, sizeof(it->number));
		store_column_copy(st, 7, it->card_before, sizeof(it->card_before));
		if (!it->card_before[0])
			snprintf(it->card_before, sizeof(it->card_before), "none");
		snprintf(it->card_after, sizeof(it->card_after), "%s", it->card_before);
		r->n++;
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	for (k = 0; k < r->n; k++)
		if (calendar_count_working_days(s, calendar_day_of(r->items[k].base), calendar_day_of(r->items[k].before),
						&(*days)[k], f) < 0)
			return -1;
	return 0;
}

/* The card the new reply deadline allows, when it is lower than the one held (else the card held). */
static int card_after(struct store *s, struct wo_recalc_item *it, int64_t now, struct fault *f)
{
	int64_t yellow;

	if (strcmp(it->card_before, "none") == 0 || now > it->after)
		return 0;
	if (calendar_yellow_at(s, it->after, &yellow, f) < 0)
		return -1;
	snprintf(it->card_after, sizeof(it->card_after), "%s", now >= yellow ? "yellow" : "none");
	return 0;
}

/* Step 3 for one order: items[from, to) are its deadlines. */
static int apply_order(struct store *s, struct wo_recalc *r, size_t from, size_t to, int64_t now, struct fault *f)
{
	struct wo_order before;
	struct wo_provisional prov;
	struct wo_event_input ev;
	struct buf detail = BUF_INIT;
	struct stat_row was;
	char a[32], b[32];
	size_t k;
	int changed = 0, rc;

	if (wo_get(s, r->items[from].order_id, &before, f) < 0)
		return -1;
	prov = before.provisional;
	wo_stat_row(&before, &was);
	buf_init(&detail);
	for (k = from; k < to; k++) {
		struct wo_recalc_item *it = &r->items[k];
		int64_t *base = it->field == fields[0] ? &prov.sign_deadline :
				it->field == fields[1] ? &prov.return_deadline : &prov.deadline;

		*base = it->still_provisional ? it->base : 0;
		if (it->after == it->before && !(it->field == fields[2] && strcmp(it->card_after, it->card_before)))
			continue;
		changed = 1;
		rc = store_run(s, it->field == fields[0] ? SQL_SET_SIGN : it->field == fields[1] ? SQL_SET_RETURN :
			       SQL_SET_DEADLINE, "Ii", it->after, it->order_id);
		if (rc != STORE_OK) {
			store_fault(s, rc, f);
			goto fail;
		}
		wo_local_text(it->before, a);
		wo_local_text(it->after, b);
		buf_addf(&detail, "%s%s %s -> %s", detail.len ? "; " : "", it->field, a, b);
		if (it->field == fields[2] && strcmp(it->card_after, it->card_before) != 0) {
			if ((rc = store_run(s, SQL_SET_CARD, "ti", it->card_after, it->order_id)) != STORE_OK) {
				store_fault(s, rc, f);
				goto fail;
			}
			buf_addf(&detail, "; %s card withdrawn (now %s)", it->card_before, it->card_after);
		}
	}
	if (wo_provisional_save(s, before.id, &before.provisional, &prov, f) < 0)
		goto fail;
	if (changed) {
		memset(&ev, 0, sizeof(ev));
		ev.order_id = before.id;
		ev.subdistrict_id = before.subdistrict_id;
		ev.at = now;
		ev.action = "recount_deadline";
		ev.from_state = before.state;
		ev.to_state = before.state;
		ev.node_id = before.handler_node_id;
		ev.detail = detail.data;
		if (wo_event_add(s, &ev, NULL, f) < 0 || stats_on_write(s, &was, before.id, f) < 0)
			goto fail;
	}
	wo_order_release(&before);
	buf_release(&detail);
	return 0;
fail:
	wo_order_release(&before);
	buf_release(&detail);
	return -1;
}

int wo_calendar_load(struct store *s, const struct calendar_file *cf, const char *source, int dry_run,
		     int *changed, struct wo_recalc *out, struct fault *f)
{
	int64_t now = wo_now();
	int *days = NULL, rc;
	size_t k, first;

	memset(out, 0, sizeof(*out));
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (collect(s, out, &days, f) < 0)
		goto fail;
	/* The orders are read whole (their callers sealed): without the data key they cannot be. */
	if (out->n && !pii_ready()) {
		fault_set(f, FAULT_CONFLICT, "key_file",
			  "%zu provisional deadlines of open orders must be counted again: give the data key (--key-file)",
			  out->n);
		goto fail;
	}
	if (calendar_load(s, cf, source, changed, f) < 0)
		goto fail;
	for (k = 0; k < out->n; k++) {
		struct wo_recalc_item *it = &out->items[k];
		int prov = 0;

		/* days >= 1 always (a deadline is after its base); a stored base could have been tampered with. */
		if (calendar_deadline_marked(s, it->base, days[k] > 0 ? days[k] : 1, &it->after, &prov, f) < 0)
			goto fail;
		it->still_provisional = prov;
		if (it->field == fields[2] && card_after(s, it, now, f) < 0)
			goto fail;
	}
	for (first = 0; first < out->n; first = k) {
		for (k = first; k < out->n && out->items[k].order_id == out->items[first].order_id; k++)
			;
		if (apply_order(s, out, first, k, now, f) < 0)
			goto fail;
	}
	/* The other ledgers' due dates: the shared table keeps each node's start, days and rule. */
	if (tn_recount_provisional(s, now, &out->nodes, f) < 0)
		goto fail;
	free(days);
	rc = dry_run ? store_rollback(s) : store_commit(s);
	if (rc != STORE_OK) {
		wo_recalc_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
fail:
	free(days);
	store_rollback(s);
	wo_recalc_release(out);
	return -1;
}
