/*
 * rules.c - the words of the three lists and the checks every file of
 * src/cobuild/ shares: dates not in the future, hours in tenths, the
 * subdistrict a node belongs to.
 */
#include "cobuild/cobuild.h"
#include "org/org.h"
#include "calendar/calendar.h"
#include "timenode/timenode.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

const char *const cobuild_unit_kinds[] = { "government", "institution", "enterprise", "bank", "school",
					   "hospital", "social_org", "other", NULL };
const char *const cobuild_need_kinds[] = { "facility", "care", "health", "legal", "education", "culture",
					   "environment", "finance", "employment", "other", NULL };
const char *const cobuild_need_sources[] = { "resident", "grid_member", "council", "work_order", NULL };
const char *const cobuild_resource_kinds[] = { "venue", "professional", "legal", "medical", "funding",
					       "volunteer", "training", "other", NULL };

int cobuild_word_in(const char *const *words, const char *word)
{
	size_t i;

	if (!word)
		return 0;
	for (i = 0; words[i]; i++)
		if (!strcmp(words[i], word))
			return 1;
	return 0;
}

int cobuild_past_date(const char *field, const char *d, struct fault *f)
{
	char today[11];

	if (!d || date_valid(d) != 0)
		return fault_set(f, FAULT_INVALID, field, "%s is a date YYYY-MM-DD", field);
	date_today_local(today);
	if (strcmp(d, today) > 0)
		return fault_set(f, FAULT_INVALID, field, "%s must not be in the future", field);
	return 0;
}

int cobuild_node_subdistrict(struct store *s, int64_t node_id, const char *field, int64_t *subdistrict,
			     struct fault *f)
{
	struct node n;

	*subdistrict = 0;
	if (!node_id)
		return fault_set(f, FAULT_INVALID, field, "%s is required", field);
	if (org_node_get(s, node_id, &n, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, field, "node %lld does not exist", (long long)node_id);
		return -1;
	}
	*subdistrict = n.subdistrict_id ? n.subdistrict_id : n.id;
	node_release(&n);
	return 0;
}

int cobuild_hours_parse(const char *field, const char *text, int64_t *tenths, struct fault *f)
{
	int64_t v;

	/* money_parse is the one fixed-point reader: one decimal place is the scale of hours */
	if (!text || money_parse(text, (enum money_scale)1, &v) < 0)
		return fault_set(f, FAULT_INVALID, field, "%s is a number of hours with at most one decimal (\"2.5\")",
				 field);
	if (v < 0 || v > COBUILD_HOURS_MAX_TENTHS)
		return fault_set(f, FAULT_INVALID, field, "%s is 0 to %d hours", field, COBUILD_HOURS_MAX_TENTHS / 10);
	*tenths = v;
	return 0;
}

void cobuild_hours_format(int64_t tenths, char out[24])
{
	money_format(tenths, (enum money_scale)1, out, 24);
}

int cobuild_time_node_open(struct store *s, const char *kind, int64_t ref_id, const char *title, int64_t node_id,
			   int64_t assignee_user_id, const char *from_on, const char *due_on, const char *field, struct fault *f)
{
	struct tn_open_input in = { 0 };
	int32_t from, due;
	int64_t id;

	if (calendar_day_parse(from_on, &from) < 0 || calendar_day_parse(due_on, &due) < 0)
		return fault_set(f, FAULT_INVALID, field, "%s is a date YYYY-MM-DD", field);
	if (due - from < 1 || due - from > COBUILD_CLAIM_DAYS_MAX)
		return fault_set(f, FAULT_INVALID, field, "%s is 1 to %d days after %s", field, COBUILD_CLAIM_DAYS_MAX,
				 from_on);
	in.kind = kind;
	in.ref_id = ref_id;
	in.title = title;
	in.node_id = node_id;
	in.assignee_user_id = assignee_user_id;
	in.start = calendar_day_start(from);
	in.days = (int)(due - from);
	in.rule = TN_CALENDAR_DAYS;
	return tn_open(s, &in, &id, f);
}
