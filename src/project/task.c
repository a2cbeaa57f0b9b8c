/*
 * task.c - 任务清单, a project's tasks: content, owner, the day given and the
 * day due (a time node of kind PROJECT_TASK_KIND, opened with the row), status
 * open -> done with its evidence (the time node closes with it).
 */
#include "project/project.h"
#include "project/project_internal.h"
#include "timenode/timenode.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define CONTENT_CHARS 200	/* the time node's title is the content */
#define EVIDENCE_CHARS 2000

void project_task_release(struct project_task *t)
{
	free(t->content);
	free(t->evidence);
	free(t->done_at);
	free(t->created_at);
	memset(t, 0, sizeof(*t));
}

void project_task_list_release(struct project_task_list *l)
{
	YL_LIST_RELEASE(l, project_task_release);
}

#define TASK_COLUMNS                                                                                           \
	"t.id, t.project_id, t.content, t.owner_user_id, t.assigned_on, t.due_on, t.status, t.evidence, t.done_at," \
	" t.done_by, t.created_at, n.card, n.deadline"
#define TASK_FROM                                                                                 \
	" FROM project_tasks t LEFT JOIN time_nodes n ON n.kind = '" PROJECT_TASK_KIND "' AND n.ref_id = t.id"

static void read_task(struct store_stmt *st, struct project_task *t)
{
	memset(t, 0, sizeof(*t));
	t->id = store_column_int64(st, 0);
	t->project_id = store_column_int64(st, 1);
	t->content = store_column_dup(st, 2);
	t->owner_user_id = store_column_int64(st, 3);
	store_column_copy(st, 4, t->assigned_on, sizeof(t->assigned_on));
	store_column_copy(st, 5, t->due_on, sizeof(t->due_on));
	store_column_copy(st, 6, t->status, sizeof(t->status));
	t->evidence = store_column_dup(st, 7);
	t->done_at = store_column_dup(st, 8);
	t->done_by = store_column_int64(st, 9);
	t->created_at = store_column_dup(st, 10);
	store_column_copy(st, 11, t->card, sizeof(t->card));
	t->deadline = store_column_int64(st, 12);
}

static const char SQL_TASK_BY_ID[] = "SELECT " TASK_COLUMNS TASK_FROM " WHERE t.id = ?";
static const char SQL_TASKS[] = "SELECT " TASK_COLUMNS TASK_FROM " WHERE t.project_id = ? ORDER BY t.due_on, t.id";

int project_task_get(struct store *s, int64_t id, struct project_task *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_TASK_BY_ID, id, "task", &st, f) < 0)
		return -1;
	read_task(st, out);
	store_done(st);
	return 0;
}

int project_tasks(struct store *s, int64_t project_id, struct project_task_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_TASKS, "i", project_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_task(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		project_task_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_TASK_INSERT[] =
	"INSERT INTO project_tasks (subdistrict_id, project_id, content, owner_user_id, assigned_on, due_on, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";

int project_task_create(struct store *s, const struct project *p, const struct project_task_input *in, int64_t *id,
			struct fault *f)
{
	char today[11], now[32];
	const char *from = in->assigned_on;
	int rc;

	*id = 0;
	if (check_text("content", in->content, CONTENT_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!in->owner_user_id)
		return fault_set(f, FAULT_INVALID, "owner_user_id", "owner_user_id is required: who does the task");
	if (!from) {
		date_today_local(today);
		from = today;
	}
	if (project_past_date("assigned_on", from, f) < 0)
		return -1;
	if (!in->due_on || date_valid(in->due_on) != 0)
		return fault_set(f, FAULT_INVALID, "due_on", "due_on is a date YYYY-MM-DD");
	if (strcmp(in->due_on, from) <= 0)
		return fault_set(f, FAULT_INVALID, "due_on", "due_on must come after the day the task is given (%s)", from);
	if (project_user_check(s, p, in->owner_user_id, "owner_user_id", f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	rc = store_run(s, SQL_TASK_INSERT, "iitittt", p->subdistrict_id, p->id, in->content, in->owner_user_id, from,
		       in->due_on, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if (project_time_node_open(s, PROJECT_TASK_KIND, *id, in->content, p->node_id, in->owner_user_id, from,
				   in->due_on, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	*id = 0;
	return -1;
}

static const char SQL_TASK_DONE[] =
	"UPDATE project_tasks SET status = 'done', evidence = ?, done_at = ?, done_by = ? WHERE id = ? AND status = 'open'";

int project_task_done(struct store *s, int64_t id, const char *evidence, int64_t by_user, struct fault *f)
{
	struct project_task t;
	char now[32];
	int rc;

	if (check_text("evidence", evidence, EVIDENCE_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (project_task_get(s, id, &t, f) < 0)
		goto fail;
	rc = strcmp(t.status, "open");
	project_task_release(&t);
	if (rc) {
		fault_set(f, FAULT_CONFLICT, "status", "task %lld is already done", (long long)id);
		goto fail;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_TASK_DONE, "ttIi", evidence, now, by_user, id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (tn_done(s, PROJECT_TASK_KIND, id, time_now_us() / 1000000, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}
