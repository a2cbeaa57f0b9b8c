/*
 * count.c - the quorum and the counting of votes (issue 17): pure rules, no
 * store, so that the unit test pins them down at their boundaries.  Integer
 * arithmetic only: "more than half" is 2 * yes > cast, "two thirds" is
 * 3 * yes >= 2 * cast.
 */
#include "council/council.h"

#include <string.h>

enum council_pass_rule council_pass_rule_parse(const char *s)
{
	if (!s)
		return PASS_NONE;
	if (!strcmp(s, "simple"))
		return PASS_SIMPLE;
	if (!strcmp(s, "majority"))
		return PASS_MAJORITY;
	if (!strcmp(s, "two_thirds"))
		return PASS_TWO_THIRDS;
	return PASS_NONE;
}

int64_t council_quorum_needed(int64_t members, int quorum_percent)
{
	/* the smallest p with p * 100 >= quorum_percent * members */
	return (members * quorum_percent + 99) / 100;
}

int council_quorum_met(int64_t members, int64_t present, int quorum_percent)
{
	if (members <= 0)
		return 0;
	return present * 100 >= (int64_t)quorum_percent * members;
}

int council_tally_result(const struct council_tally *t, int quorum_percent, enum council_pass_rule rule,
			 const char **result, struct fault *f)
{
	int64_t cast;

	*result = NULL;
	if (t->yes < 0)
		return fault_set(f, FAULT_INVALID, "yes", "yes must not be negative");
	if (t->no < 0)
		return fault_set(f, FAULT_INVALID, "no", "no must not be negative");
	if (t->abstain < 0)
		return fault_set(f, FAULT_INVALID, "abstain", "abstain must not be negative");
	cast = t->yes + t->no + t->abstain;
	if (cast > t->eligible)
		return fault_set(f, FAULT_INVALID, "yes",
				 "the counts do not add up: %lld cast, only %lld members may vote (one member one vote)",
				 (long long)cast, (long long)t->eligible);
	if (quorum_percent < 1 || quorum_percent > 100 || rule == PASS_NONE)
		return fault_set(f, FAULT_INVALID, "pass_rule", "the council's quorum or pass rule is not set");
	if (!council_quorum_met(t->eligible, cast, quorum_percent)) {
		*result = "no_quorum";
		return 0;
	}
	switch (rule) {
	case PASS_SIMPLE:
		*result = t->yes > t->no ? "passed" : "rejected";
		break;
	case PASS_MAJORITY:
		*result = 2 * t->yes > cast ? "passed" : "rejected";
		break;
	case PASS_TWO_THIRDS:
		*result = 3 * t->yes >= 2 * cast && t->yes > 0 ? "passed" : "rejected";
		break;
	default:
		return fault_set(f, FAULT_INVALID, "pass_rule", "the council's pass rule is not set");
	}
	return 0;
}
