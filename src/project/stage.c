/*
 * stage.c - a project's stage steps and their dated history.  The rule is
 * project_stage_check() (rules.c); the step's date is not before the current
 * stage's and not in the future; the row and its history row commit together.
 */
#include "project/project.h"
#include "project/project_internal.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

void project_stage_list_release(struct project_stage_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].reason);
		free(l->items[i].at);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static const char SQL_STAGE_SET[] =
	"UPDATE projects SET stage = ?, build_kind = ?, stage_on = ?, updated_at = ? WHERE id = ?";

int project_stage_step(struct store *s, int64_t id, const char *stage, const char *build_kind, const char *on,
		       const char *reason, int64_t by_user, struct fault *f)
{
	struct project p;
	char now[32];
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (project_get(s, id, &p, f) < 0)
		goto fail;
	if (project_stage_check(p.stage, stage, build_kind, reason, f) < 0 || project_past_date("on", on, f) < 0)
		goto fail_p;
	if (strcmp(on, p.stage_on) < 0) {
		fault_set(f, FAULT_INVALID, "on", "a step on %s comes before the current stage's date %s", on, p.stage_on);
		goto fail_p;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_STAGE_SET, "tttti", stage, build_kind, on, now, id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_p;
	}
	if (project_stage_record(s, id, stage, build_kind, on, reason, by_user, f) < 0)
		goto fail_p;
	project_release(&p);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_p:
	project_release(&p);
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_STAGES[] =
	"SELECT id, stage, build_kind, on_date, reason, by_user_id, at FROM project_stages WHERE project_id = ?"
	" ORDER BY id";

int project_stages(struct store *s, int64_t id, struct project_stage_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_STAGES, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct project_stage_row *r;

		YL_GROW(out->items, out->n, out->cap);
		r = &out->items[out->n++];
		memset(r, 0, sizeof(*r));
		r->id = store_column_int64(st, 0);
		store_column_copy(st, 1, r->stage, sizeof(r->stage));
		store_column_copy(st, 2, r->build_kind, sizeof(r->build_kind));
		store_column_copy(st, 3, r->on_date, sizeof(r->on_date));
		r->reason = store_column_dup(st, 4);
		r->by_user_id = store_column_int64(st, 5);
		r->at = store_column_dup(st, 6);
	}
	if (rc != STORE_DONE) {
		project_stage_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
