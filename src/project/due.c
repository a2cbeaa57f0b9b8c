/*
 * due.c - a ledger row's due date as a time node of the shared engine
 * (src/timenode/): counted in calendar days from the start of the day it was
 * given (assigned, raised) to 23:59:59 of its due day, answered by the
 * project's place and waiting for its owner.  Cards, escalation and the inbox
 * are the engine's.
 */
#include "project/project_internal.h"
#include "calendar/calendar.h"
#include "timenode/timenode.h"

int project_time_node_open(struct store *s, const char *kind, int64_t ref_id, const char *title, int64_t node_id,
			   int64_t user_id, const char *from_on, const char *due_on, struct fault *f)
{
	struct tn_open_input in = { 0 };
	int32_t from, due;
	int64_t id;

	if (calendar_day_parse(from_on, &from) < 0 || calendar_day_parse(due_on, &due) < 0)
		return fault_set(f, FAULT_INVALID, "due_on", "due_on is a date YYYY-MM-DD");
	if (due - from < 1 || due - from > 365)
		return fault_set(f, FAULT_INVALID, "due_on", "due_on is 1 to 365 days after %s", from_on);
	in.kind = kind;
	in.ref_id = ref_id;
	in.title = title;
	in.node_id = node_id;
	in.assignee_user_id = user_id;
	in.start = calendar_day_start(from);
	in.days = (int)(due - from);
	in.rule = TN_CALENDAR_DAYS;
	return tn_open(s, &in, &id, f);
}
