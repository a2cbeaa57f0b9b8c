/*
 * rules.c - the rules of a key project that need no store: the stage steps
 * (谋划/前期 → 签约 → 拟开工 → 在建(新建/续建) → 竣工/投产, issue 14) and the
 * amounts in 万元 (fixed point, util/check.h MONEY_WAN).
 */
#include "project/project.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static const char *const stages[] = { "planning", "signed", "to_start", "building", "completed" };

enum project_stage project_stage_parse(const char *s)
{
	size_t i;

	for (i = 0; s && i < YL_ARRAY_LEN(stages); i++)
		if (!strcmp(s, stages[i]))
			return (enum project_stage)i;
	return STAGE_NONE;
}

const char *project_stage_name(enum project_stage st)
{
	return st >= 0 && (size_t)st < YL_ARRAY_LEN(stages) ? stages[st] : "";
}

int project_stage_check(const char *from, const char *to, const char *build_kind, const char *reason,
			struct fault *f)
{
	enum project_stage a = project_stage_parse(from), b = project_stage_parse(to);

	if (b == STAGE_NONE)
		return fault_set(f, FAULT_INVALID, "stage",
				 "stage is planning, signed, to_start, building or completed, not '%s'", to ? to : "");
	if (b == STAGE_BUILDING && (!build_kind || (strcmp(build_kind, "new") && strcmp(build_kind, "continued"))))
		return fault_set(f, FAULT_INVALID, "build_kind", "a project under construction is new or continued");
	if (b != STAGE_BUILDING && build_kind)
		return fault_set(f, FAULT_INVALID, "build_kind", "only a project under construction is new or continued");
	if (a == STAGE_NONE)
		return 0;	/* the first stage */
	if (a == b)
		return fault_set(f, FAULT_CONFLICT, "stage", "the project is already at stage %s", to);
	/* Issue 14: a step back needs a reason. */
	if (b < a && check_text("reason", reason, 500, TEXT_REQUIRED, f) < 0) {
		if (!reason)
			fault_set(f, FAULT_INVALID, "reason", "a step back from %s to %s needs a reason", from, to);
		return -1;
	}
	return check_text("reason", reason, 500, TEXT_OPTIONAL, f);
}

int project_money_parse(const char *field, const char *text, int64_t *out, struct fault *f)
{
	if (!text || money_parse(text, MONEY_WAN, out) < 0)
		return fault_set(f, FAULT_INVALID, field, "%s is an amount in 万元 with at most 4 decimals, as text", field);
	if (*out < 0)
		return fault_set(f, FAULT_INVALID, field, "%s must not be negative", field);
	if (*out > (int64_t)PROJECT_MONEY_MAX_WAN * 10000)
		return fault_set(f, FAULT_INVALID, field, "%s is over %d 万元: not a real amount", field,
				 PROJECT_MONEY_MAX_WAN);
	return 0;
}

void project_money_wan(int64_t v, char out[32])
{
	money_format(v, MONEY_WAN, out, 32);
}

/* 1 亿元 = 10000 万元: the 万元 fixed point divided by 10000, rounded half up, read again at 4 places. */
void project_money_yi(int64_t v, char out[32])
{
	money_format((v + 5000) / 10000, MONEY_WAN, out, 32);
}
