/*
 * problem.c - 问题清单, a project's problems: raised when, where and by whom
 * (at a meeting, a visit or otherwise), of a kind (手续办理 procedures, 征地清障
 * land, 物流运输 logistics, 项目用工 labour, 资金 funding, other), with the
 * responsible unit and person and a deadline; open -> in_progress -> closed
 * (销号) with evidence and who closed it.  Every step is a row of
 * project_problem_events in the same transaction.  The deadline is a time node
 * of kind PROJECT_PROBLEM_KIND, opened when the problem has an owner and a
 * deadline (at raising or by assigning) and closed with the problem.
 */
#include "project/project.h"
#include "project/project_internal.h"
#include "timenode/timenode.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define DESCRIPTION_CHARS 200	/* the time node's title is the description */
#define PLACE_CHARS 100
#define EVIDENCE_CHARS 2000

static const char *const kinds[] = { "procedures", "land", "logistics", "labour", "funding", "other" };
static const char *const sources[] = { "meeting", "visit", "other" };

static int one_of(const char *v, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		if (!strcmp(v, list[i]))
			return 1;
	return 0;
}

void project_problem_release(struct project_problem *p)
{
	free(p->description);
	free(p->raised_where);
	free(p->unit);
	free(p->evidence);
	free(p->closed_at);
	free(p->created_at);
	memset(p, 0, sizeof(*p));
}

void project_problem_list_release(struct project_problem_list *l)
{
	YL_LIST_RELEASE(l, project_problem_release);
}

#define PROBLEM_COLUMNS                                                                                        \
	"p.id, p.project_id, p.kind, p.description, p.raised_on, p.raised_where, p.raised_by, p.source, p.unit,"  \
	" p.owner_user_id, p.due_on, p.status, p.evidence, p.closed_at, p.closed_by, p.created_at, n.card," \
	" n.deadline, p.meeting_id"
#define PROBLEM_FROM                                                                                          \
	" FROM project_problems p LEFT JOIN time_nodes n ON n.kind = '" PROJECT_PROBLEM_KIND "' AND n.ref_id = p.id"

static void read_problem(struct store_stmt *st, struct project_problem *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_column_int64(st, 0);
	p->project_id = store_column_int64(st, 1);
	store_column_copy(st, 2, p->kind, sizeof(p->kind));
	p->description = store_column_dup(st, 3);
	store_column_copy(st, 4, p->raised_on, sizeof(p->raised_on));
	p->raised_where = store_column_dup(st, 5);
	p->raised_by = store_column_int64(st, 6);
	store_column_copy(st, 7, p->source, sizeof(p->source));
	p->unit = store_column_dup(st, 8);
	p->owner_user_id = store_column_int64(st, 9);
	store_column_copy(st, 10, p->due_on, sizeof(p->due_on));
	store_column_copy(st, 11, p->status, sizeof(p->status));
	p->evidence = store_column_dup(st, 12);
	p->closed_at = store_column_dup(st, 13);
	p->closed_by = store_column_int64(st, 14);
	p->created_at = store_column_dup(st, 15);
	store_column_copy(st, 16, p->card, sizeof(p->card));
	p->deadline = store_column_int64(st, 17);
	p->meeting_id = store_column_int64(st, 18);
}

static const char SQL_PROBLEM_BY_ID[] = "SELECT " PROBLEM_COLUMNS PROBLEM_FROM " WHERE p.id = ?";
static const char SQL_PROBLEMS[] =
	"SELECT " PROBLEM_COLUMNS PROBLEM_FROM " WHERE p.project_id = ? ORDER BY p.raised_on DESC, p.id DESC";

int project_problem_get(struct store *s, int64_t id, struct project_problem *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_PROBLEM_BY_ID, id, "problem", &st, f) < 0)
		return -1;
	read_problem(st, out);
	store_done(st);
	return 0;
}

/* The meeting's own, in the order raised; the open ones of the projects it visits, raised before (not at this
 * meeting), in the order visited. */
static const char SQL_MEETING_PROBLEMS[] =
	"SELECT " PROBLEM_COLUMNS PROBLEM_FROM " WHERE p.meeting_id = ? ORDER BY p.id";
static const char SQL_MEETING_OPEN_PROBLEMS[] =
	"SELECT " PROBLEM_COLUMNS PROBLEM_FROM " CROSS JOIN project_meeting_sites m"
	" WHERE m.meeting_id = ? AND p.project_id = m.project_id AND p.status <> 'closed'"
	" AND (p.meeting_id IS NULL OR p.meeting_id <> m.meeting_id) ORDER BY m.seq, p.id";

static int problems_of(struct store *s, const char *sql, int64_t id, struct project_problem_list *out,
		       struct fault *f)
{
	struct store_stmt *st = store_query(s, sql, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_problem(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		project_problem_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int project_problems(struct store *s, int64_t project_id, struct project_problem_list *out, struct fault *f)
{
	return problems_of(s, SQL_PROBLEMS, project_id, out, f);
}

int project_meeting_problems(struct store *s, int64_t id, struct project_problem_list *out, struct fault *f)
{
	return problems_of(s, SQL_MEETING_PROBLEMS, id, out, f);
}

int project_meeting_open_problems(struct store *s, int64_t id, struct project_problem_list *out, struct fault *f)
{
	return problems_of(s, SQL_MEETING_OPEN_PROBLEMS, id, out, f);
}

static const char SQL_EVENT[] =
	"INSERT INTO project_problem_events (problem_id, at, action, by_user_id, note) VALUES (?, ?, ?, ?, ?)";

static int add_event(struct store *s, int64_t id, const char *action, int64_t by_user, const char *note,
		     struct fault *f)
{
	char now[32];
	int rc;

	time_now_text(now);
	rc = store_run(s, SQL_EVENT, "ittIt", id, now, action, by_user, note);
	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}

/* Owner, unit and deadline: the owner of the subdistrict, the deadline not before the day raised. */
static int check_assignment(struct store *s, const struct project *p, const char *raised_on,
			    const struct project_problem_input *in, struct fault *f)
{
	if (check_text("unit", in->unit, PLACE_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (!in->owner_user_id != !in->due_on)
		return fault_set(f, FAULT_INVALID, in->owner_user_id ? "due_on" : "owner_user_id",
				 "a problem is assigned with both owner_user_id and due_on");
	if (!in->due_on)
		return 0;
	if (date_valid(in->due_on) != 0)
		return fault_set(f, FAULT_INVALID, "due_on", "due_on is a date YYYY-MM-DD");
	if (strcmp(in->due_on, raised_on) <= 0)
		return fault_set(f, FAULT_INVALID, "due_on", "due_on must come after the day the problem was raised (%s)",
				 raised_on);
	return project_user_check(s, p, in->owner_user_id, "owner_user_id", f);
}

static const char SQL_PROBLEM_INSERT[] =
	"INSERT INTO project_problems (subdistrict_id, project_id, kind, description, raised_on, raised_where,"
	" raised_by, source, unit, owner_user_id, due_on, meeting_id, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int project_problem_raise(struct store *s, const struct project *p, const struct project_problem_input *in,
			  int64_t by_user, int64_t *id, struct fault *f)
{
	char today[11], now[32];
	const char *raised = in->raised_on, *source = in->meeting_id ? "meeting" : in->source ? in->source : "other";
	int rc;

	*id = 0;
	if (!one_of(in->kind, kinds, YL_ARRAY_LEN(kinds)))
		return fault_set(f, FAULT_INVALID, "kind", "kind is procedures, land, logistics, labour, funding or other");
	if (!one_of(source, sources, YL_ARRAY_LEN(sources)))
		return fault_set(f, FAULT_INVALID, "source", "source is meeting, visit or other");
	if (check_text("description", in->description, DESCRIPTION_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("raised_where", in->raised_where, PLACE_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (!raised) {
		date_today_local(today);
		raised = today;
	}
	if (project_past_date("raised_on", raised, f) < 0 || check_assignment(s, p, raised, in, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	rc = store_run(s, SQL_PROBLEM_INSERT, "iittttIttItIt", p->subdistrict_id, p->id, in->kind, in->description,
		       raised, in->raised_where, by_user, source, in->unit, in->owner_user_id, in->due_on, in->meeting_id,
		       now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if (add_event(s, *id, "raise", by_user, NULL, f) < 0)
		goto fail;
	if (in->due_on && (add_event(s, *id, "assign", by_user, NULL, f) < 0 ||
			   project_time_node_open(s, PROJECT_PROBLEM_KIND, *id, in->description, p->node_id,
						  in->owner_user_id, raised, in->due_on, f) < 0))
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	*id = 0;
	return -1;
}

static const char SQL_PROBLEM_ASSIGN[] =
	"UPDATE project_problems SET owner_user_id = ?, due_on = ?, unit = COALESCE(?, unit) WHERE id = ?";

int project_problem_assign(struct store *s, const struct project *p, int64_t id, const struct project_problem_input *in,
			   int64_t by_user, struct fault *f)
{
	struct project_problem cur;
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (project_problem_get(s, id, &cur, f) < 0)
		goto fail;
	if (!strcmp(cur.status, "closed")) {
		fault_set(f, FAULT_CONFLICT, "status", "problem %lld is closed", (long long)id);
		goto fail_c;
	}
	/* The engine keeps one time node per row (time_nodes UNIQUE (kind, ref_id)): assigned once. */
	if (cur.owner_user_id) {
		fault_set(f, FAULT_CONFLICT, "owner_user_id", "problem %lld is already assigned", (long long)id);
		goto fail_c;
	}
	if (!in->owner_user_id || !in->due_on) {
		fault_set(f, FAULT_INVALID, in->owner_user_id ? "due_on" : "owner_user_id",
			  "assigning takes owner_user_id and due_on");
		goto fail_c;
	}
	if (check_assignment(s, p, cur.raised_on, in, f) < 0)
		goto fail_c;
	if ((rc = store_run(s, SQL_PROBLEM_ASSIGN, "itti", in->owner_user_id, in->due_on, in->unit, id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_c;
	}
	if (add_event(s, id, "assign", by_user, NULL, f) < 0 ||
	    project_time_node_open(s, PROJECT_PROBLEM_KIND, id, cur.description, p->node_id, in->owner_user_id,
				   cur.raised_on, in->due_on, f) < 0)
		goto fail_c;
	project_problem_release(&cur);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_c:
	project_problem_release(&cur);
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_PROBLEM_START[] = "UPDATE project_problems SET status = 'in_progress' WHERE id = ?";

int project_problem_start(struct store *s, int64_t id, int64_t by_user, struct fault *f)
{
	struct project_problem cur;
	int rc;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (project_problem_get(s, id, &cur, f) < 0)
		goto fail;
	rc = strcmp(cur.status, "open");
	project_problem_release(&cur);
	if (rc) {
		fault_set(f, FAULT_CONFLICT, "action", "only an open problem is started");
		goto fail;
	}
	if ((rc = store_run(s, SQL_PROBLEM_START, "i", id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (add_event(s, id, "start", by_user, NULL, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_PROBLEM_CLOSE[] =
	"UPDATE project_problems SET status = 'closed', evidence = ?, closed_at = ?, closed_by = ? WHERE id = ?";

int project_problem_close(struct store *s, int64_t id, const char *evidence, int64_t by_user, struct fault *f)
{
	struct project_problem cur;
	char now[32];
	int rc, assigned;

	/* Issue 14: a closed problem without evidence is refused. */
	if (check_text("evidence", evidence, EVIDENCE_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (project_problem_get(s, id, &cur, f) < 0)
		goto fail;
	rc = !strcmp(cur.status, "closed");
	assigned = cur.card[0] != '\0' && cur.deadline;
	project_problem_release(&cur);
	if (rc) {
		fault_set(f, FAULT_CONFLICT, "action", "problem %lld is already closed", (long long)id);
		goto fail;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_PROBLEM_CLOSE, "ttIi", evidence, now, by_user, id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (add_event(s, id, "close", by_user, NULL, f) < 0)
		goto fail;
	if (assigned && tn_done(s, PROJECT_PROBLEM_KIND, id, time_now_us() / 1000000, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}
