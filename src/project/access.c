/*
 * access.c - who acts on a project (issue 14): project-office staff (holding
 * project.write) on everything of the projects in their scope; the lead
 * official (帮包领导) on everything of their projects; a work-team member on
 * the rows they own.  The route's permission and the scope are the api
 * layer's; this is the part a person plays on one project.
 */
#include "project/project.h"
#include "auth/auth.h"

static const char SQL_IS_MEMBER[] = "SELECT count(*) FROM project_members WHERE project_id = ? AND user_id = ?";

int project_part_of(struct store *s, const struct project *p, const struct actor *a, enum project_part *out,
		    struct fault *f)
{
	struct store_stmt *st;
	int rc;

	*out = PART_NONE;
	if (!a)
		return 0;
	if (actor_can(a, "project.write")) {
		*out = PART_OFFICE;
		return 0;
	}
	if (a->user_id && a->user_id == p->lead_user_id) {
		*out = PART_LEAD;
		return 0;
	}
	if (!a->user_id)
		return 0;
	st = store_query(s, SQL_IS_MEMBER, "ii", p->id, a->user_id);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	if (store_column_int64(st, 0) > 0)
		*out = PART_MEMBER;
	store_done(st);
	return 0;
}
