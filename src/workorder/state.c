/*
 * state.c - the names of the work-order states (WO_STATES) and of the
 * dictionaries kept as comma-separated words in workorder.h.
 */
#include "workorder/wo_internal.h"

#include <string.h>

static const char *const state_names[WO_NSTATES] = {
	"received", "accepted", "answered", "dispatched", "return_requested",
	"in_progress", "replied", "reviewed", "dissatisfied", "closed",
};

const char *wo_state_name(enum wo_state st)
{
	if (st < 0 || st >= WO_NSTATES)
		return "?";
	return state_names[st];
}

enum wo_state wo_state_parse(const char *name)
{
	int i;

	if (!name)
		return WO_STATE_NONE;
	for (i = 0; i < WO_NSTATES; i++)
		if (strcmp(name, state_names[i]) == 0)
			return (enum wo_state)i;
	return WO_STATE_NONE;
}

int wo_word_in(const char *list, const char *v)
{
	size_t n;
	const char *p;

	if (!v || !*v)
		return 0;
	n = strlen(v);
	for (p = list; *p;) {
		size_t w = strcspn(p, ",");

		if (w == n && strncmp(p, v, n) == 0)
			return 1;
		p += w;
		if (*p == ',')
			p++;
	}
	return 0;
}
