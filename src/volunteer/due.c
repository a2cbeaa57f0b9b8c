/*
 * due.c - the two kinds of time node a shift brings to the shared engine
 * (src/timenode/, rows in kinds.c), both kept on the shift's own row as work
 * orders keep theirs (040_volunteers.sql):
 *
 *   volunteer_short  staff_due = the start less a day, while the shift is open
 *                    and short of people (NULL otherwise).  The engine's
 *                    yellow card when the last working day before it has
 *                    begun, red once it has passed; the inbox lists carded
 *                    shifts for the team's leader and for staff whose scope
 *                    is the team's node.  A shift that fills up has nothing
 *                    due and its card is withdrawn; one that falls short
 *                    again is due again.
 *   volunteer_close  close_due = the end, while open.  No warning: a kind
 *                    without a yellow callback has no yellow pass, and its
 *                    SQL answers only the first red pass (card 'none').  Its
 *                    red callback is the close: volunteer_shift_close().
 */
#include "volunteer/volunteer.h"
#include "volunteer/volunteer_internal.h"
#include "auth/auth.h"
#include "timenode/timenode.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static const char SQL_STAFF_DUE[] =
	"UPDATE volunteer_shifts SET"
	" staff_due = CASE WHEN state = 'open' AND filled < people THEN starts_at - CAST(? AS INTEGER) ELSE NULL END,"
	" staff_card = CASE WHEN state = 'open' AND filled < people THEN staff_card ELSE 'none' END WHERE id = ?";

int volunteer_staff_due(struct store *s, int64_t shift_id, struct fault *f)
{
	int rc = store_run(s, SQL_STAFF_DUE, "ii", (int64_t)VOL_STAFF_AHEAD, shift_id);

	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}

/* ---- volunteer_short ---- */

static const char SQL_SHORT_DUE[] =
	"SELECT id, staff_due FROM volunteer_shifts WHERE staff_card = ? AND staff_due >= ? AND staff_due <= ?"
	" AND (staff_due, id) > (?, ?) ORDER BY staff_due, id LIMIT ?";
static const char SQL_SHORT_YELLOW[] =
	"UPDATE volunteer_shifts SET staff_card = 'yellow' WHERE id = ? AND staff_card = 'none' AND staff_due IS NOT NULL";
static const char SQL_SHORT_RED[] =
	"UPDATE volunteer_shifts SET staff_card = 'red' WHERE id = ? AND staff_card <> 'red' AND staff_due IS NOT NULL";

static int card(struct tn_run *run, const char *sql, int64_t id, long *count, struct fault *f)
{
	int rc = store_run(run->s, sql, "i", id);

	if (rc != STORE_OK)
		return store_fault(run->s, rc, f);
	if (store_changes(run->s) == 1)
		(*count)++;
	return 0;
}

static int short_yellow(struct tn_run *run, int64_t id, int64_t deadline, struct fault *f)
{
	(void)deadline;
	return card(run, SQL_SHORT_YELLOW, id, &run->t.yellow, f);
}

static int short_red(struct tn_run *run, int64_t id, int64_t deadline, struct fault *f)
{
	(void)deadline;
	return card(run, SQL_SHORT_RED, id, &run->t.red, f);
}

/* Carded shifts still short: of the teams the person leads, or (staff) of teams on the staff's own node. */
static const char SQL_SHORT_INBOX_WHERE[] =
	" FROM volunteer_shifts sh CROSS JOIN volunteer_teams tm CROSS JOIN volunteer_shift_types ty"
	" WHERE tm.id = sh.team_id AND ty.id = sh.type_id AND sh.staff_due IS NOT NULL AND sh.staff_card <> 'none'"
	" AND (tm.leader_person_id = ? OR (CAST(? AS INTEGER) = 1 AND sh.node_id = ?))";

static int short_inbox(const struct tn_kind *k, struct store *s, const struct actor *a, int limit, struct tn_inbox *out,
		       struct fault *f)
{
	char sql_count[512], sql_list[768];
	struct store_stmt *st;
	int64_t person = 0, staff;
	int rc;

	if (!a)
		return 0;
	if (volunteer_actor_person(s, a, &person, f) < 0)
		return -1;
	staff = actor_can(a, "volunteer.write") && a->scope_node_id;
	if (!person && !staff)
		return 0;
	snprintf(sql_count, sizeof(sql_count), "SELECT count(*)%s", SQL_SHORT_INBOX_WHERE);
	snprintf(sql_list, sizeof(sql_list),
		 "SELECT sh.id, tm.name, ty.name, sh.day, sh.starts_at, sh.filled, sh.people, sh.staff_card, sh.node_id,"
		 " sh.staff_due%s ORDER BY sh.starts_at, sh.id LIMIT ?", SQL_SHORT_INBOX_WHERE);
	st = store_query(s, sql_count, "iii", person, staff, a->scope_node_id);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	out->count += store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, sql_list, "iiii", person, staff, a->scope_node_id, (int64_t)limit);
	while (store_next(st, &rc)) {
		struct tn_task t;
		char title[400], when[40];

		memset(&t, 0, sizeof(t));
		time_format_local(store_column_int64(st, 4), when, sizeof(when));
		snprintf(title, sizeof(title), "%s %s %s %.5s (%lld/%lld)", store_column_text(st, 1),
			 store_column_text(st, 2), store_column_text(st, 3), when + 11, (long long)store_column_int64(st, 5),
			 (long long)store_column_int64(st, 6));
		t.kind = k->name;
		t.id = store_column_int64(st, 0);
		t.title = title;
		t.list = "carded";
		store_column_copy(st, 7, t.card, sizeof(t.card));
		t.node_id = store_column_int64(st, 8);
		t.deadline = store_column_int64(st, 9);
		tn_inbox_add(out, &t);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

const struct tn_kind volunteer_short_kind = {
	VOL_SHORT_KIND, 0, NULL, SQL_SHORT_DUE, short_yellow, short_red, NULL, NULL, short_inbox,
};

/* ---- volunteer_close ---- */

static const char SQL_CLOSE_DUE[] =
	"SELECT id, close_due FROM volunteer_shifts WHERE CAST(? AS TEXT) = 'none' AND close_due >= ? AND close_due <= ?"
	" AND (close_due, id) > (?, ?) ORDER BY close_due, id LIMIT ?";

static int close_red(struct tn_run *run, int64_t id, int64_t deadline, struct fault *f)
{
	(void)deadline;
	return volunteer_shift_close(run->s, id, run->now, f);
}

const struct tn_kind volunteer_close_kind = {
	VOL_CLOSE_KIND, 0, NULL, SQL_CLOSE_DUE, NULL, close_red, NULL, NULL, NULL,
};
