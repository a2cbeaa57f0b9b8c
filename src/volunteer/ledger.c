/*
 * ledger.c - a person's hours and points (issue 16): one row per change,
 * numbered per person (seq), each carrying the balance after it — the
 * previous row's plus its points — and the minutes served so far.  So the
 * balance always equals the sum of the rows (a second writer that read the
 * same previous row fails on UNIQUE (person_id, seq)), and the CHECK
 * (balance >= 0) of the table backs the refusal here: never negative.
 */
#include "volunteer/volunteer.h"
#include "volunteer/volunteer_internal.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REASON_CHARS 500
#define POINTS_MAX 1000000
#define MINUTES_MAX (366 * 24 * 60)

void volunteer_ledger_release(struct vol_ledger *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].reason);
		free(l->items[i].at);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static const char SQL_LAST[] =
	"SELECT seq, balance, served_minutes FROM volunteer_ledger WHERE person_id = ? ORDER BY seq DESC LIMIT 1";

int volunteer_balance(struct store *s, int64_t person_id, struct vol_balance *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_LAST, "i", person_id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_next(st, &rc)) {
		out->rows = store_column_int64(st, 0);
		out->points = store_column_int64(st, 1);
		out->minutes = store_column_int64(st, 2);
		store_done(st);
	} else if (rc != STORE_DONE) {
		return store_fault(s, rc, f);
	}
	return 0;
}

#define ROW_COLUMNS                                                                                               \
	"id, seq, person_id, team_id, assignment_id, redemption_id, by_user_id, kind, on_day, minutes, points, balance," \
	" served_minutes, reason, at"
static const char SQL_ROWS[] =
	"SELECT " ROW_COLUMNS " FROM volunteer_ledger WHERE person_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?";

int volunteer_ledger_rows(struct store *s, int64_t person_id, int limit, int offset, struct vol_ledger *out,
			  int64_t *total, struct fault *f)
{
	struct vol_balance b;
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (volunteer_balance(s, person_id, &b, f) < 0)
		return -1;
	*total = b.rows;
	st = store_query(s, SQL_ROWS, "iii", person_id, (int64_t)limit, (int64_t)offset);
	while (store_next(st, &rc)) {
		struct vol_ledger_row *r;

		YL_GROW(out->items, out->n, out->cap);
		r = &out->items[out->n++];
		memset(r, 0, sizeof(*r));
		r->id = store_column_int64(st, 0);
		r->seq = store_column_int64(st, 1);
		r->person_id = store_column_int64(st, 2);
		r->team_id = store_column_int64(st, 3);
		r->assignment_id = store_column_int64(st, 4);
		r->redemption_id = store_column_int64(st, 5);
		r->by_user_id = store_column_int64(st, 6);
		store_column_copy(st, 7, r->kind, sizeof(r->kind));
		store_column_copy(st, 8, r->on_day, sizeof(r->on_day));
		r->minutes = store_column_int64(st, 9);
		r->points = store_column_int64(st, 10);
		r->balance = store_column_int64(st, 11);
		r->served_minutes = store_column_int64(st, 12);
		r->reason = store_column_dup(st, 13);
		r->at = store_column_dup(st, 14);
	}
	if (rc != STORE_DONE) {
		volunteer_ledger_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_PERSON_SUBDISTRICT[] = "SELECT subdistrict_id FROM persons WHERE id = ?";
static const char SQL_ROW_INSERT[] =
	"INSERT INTO volunteer_ledger (subdistrict_id, person_id, seq, kind, minutes, points, balance, served_minutes, team_id,"
	" assignment_id, redemption_id, reason, by_user_id, on_day, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int volunteer_ledger_add(struct store *s, const struct vol_ledger_entry *e, int64_t *id, struct fault *f)
{
	struct vol_balance b;
	int64_t subdistrict = 0;
	char today[11], now[32];
	const char *field = e->field ? e->field : "points";
	int rc;

	*id = 0;
	if (!e->kind || !vol_word_in(e->kind, "shift,confirm,adjust,redeem"))
		return fault_set(f, FAULT_INVALID, "kind", "a ledger row is a shift, confirm, adjust or redeem");
	if (e->points < -POINTS_MAX || e->points > POINTS_MAX)
		return fault_set(f, FAULT_INVALID, field, "points is -%d to %d", POINTS_MAX, POINTS_MAX);
	if (e->minutes < -MINUTES_MAX || e->minutes > MINUTES_MAX)
		return fault_set(f, FAULT_INVALID, "minutes", "minutes is -%d to %d", MINUTES_MAX, MINUTES_MAX);
	rc = store_query_int64(s, SQL_PERSON_SUBDISTRICT, &subdistrict, 1, e->person_id);
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && !subdistrict))
		return fault_set(f, FAULT_INVALID, "person_id", "person %lld is not a resident of a subdistrict",
				 (long long)e->person_id);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (volunteer_balance(s, e->person_id, &b, f) < 0)
		goto fail;
	if (b.points + e->points < 0) {
		fault_set(f, FAULT_CONFLICT, field, "%lld points are held: not enough for %lld", (long long)b.points,
			  (long long)-e->points);
		goto fail;
	}
	if (b.minutes + e->minutes < 0) {
		fault_set(f, FAULT_CONFLICT, "minutes", "%lld minutes are served: not enough to take %lld off",
			  (long long)b.minutes, (long long)-e->minutes);
		goto fail;
	}
	if (!e->on_day)
		date_today_local(today);
	time_now_text(now);
	rc = store_run(s, SQL_ROW_INSERT, "iiitiiiiIIItItt", subdistrict, e->person_id, b.rows + 1, e->kind, e->minutes,
		       e->points, b.points + e->points, b.minutes + e->minutes, e->team_id, e->assignment_id,
		       e->redemption_id, e->reason, e->by_user_id, e->on_day ? e->on_day : today, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int volunteer_adjust(struct store *s, int64_t person_id, int64_t points, int64_t minutes, const char *reason,
		     int64_t by_user, int64_t *id, struct fault *f)
{
	struct vol_ledger_entry e;

	*id = 0;
	if (check_text("reason", reason, REASON_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!points && !minutes)
		return fault_set(f, FAULT_INVALID, "points", "an adjustment changes points or minutes");
	memset(&e, 0, sizeof(e));
	e.person_id = person_id;
	e.kind = "adjust";
	e.points = points;
	e.minutes = minutes;
	e.reason = reason;
	e.by_user_id = by_user;
	e.field = "points";
	return volunteer_ledger_add(s, &e, id, f);
}
