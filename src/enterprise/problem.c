/*
 * problem.c - the problems enterprises raise (financing, land, labour,
 * approvals, utilities, logistics, other): a responsible unit (an org node of
 * the enterprise's subdistrict) and, when named, a responsible person; a
 * deadline; progress notes; closing with evidence and the enterprise's
 * satisfaction.
 *
 * Every open problem is a time node of kind "enterprise_problem" on the shared
 * engine (timenode.h): tn_open() in the transaction that records the problem,
 * tn_done() in the one that closes it.  The cards, the escalation and the
 * inbox are the engine's (TN_NODE_KIND's passes and callbacks); this file has
 * no sweeper.  One addition, the rule of issue 15: a red problem is escalated
 * to the enterprise's 帮包 leader, so the kind's inbox lists, besides what the
 * engine lists (the owner's, or the unit's), the red problems of the
 * enterprises the actor leads today.
 */
#include "enterprise/enterprise.h"
#include "auth/auth.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIPTION_CHARS 1000
#define NOTE_CHARS 1000
#define EVIDENCE_CHARS 1000


static const struct {
	const char *code, *label;
} categories[] = {
	{ "financing", "融资" }, { "land", "用地" },	    { "labour", "用工" }, { "approvals", "审批" },
	{ "utilities", "水电气暖" }, { "logistics", "物流" }, { "other", "其他" },
};

static const char *category_label(const char *code)
{
	size_t i;

	for (i = 0; code && i < YL_ARRAY_LEN(categories); i++)
		if (!strcmp(code, categories[i].code))
			return categories[i].label;
	return NULL;
}

int enterprise_problem_category_valid(const char *category)
{
	return category_label(category) != NULL;
}

static int satisfaction_valid(const char *v)
{
	return v && (!strcmp(v, "satisfied") || !strcmp(v, "basically_satisfied") || !strcmp(v, "dissatisfied"));
}

void enterprise_problem_release(struct enterprise_problem *p)
{
	free(p->enterprise_name);
	free(p->description);
	free(p->closed_at);
	free(p->evidence);
	free(p->created_at);
	free(p->updated_at);
	memset(p, 0, sizeof(*p));
}

void enterprise_problem_list_release(struct enterprise_problem_list *l)
{
	YL_LIST_RELEASE(l, enterprise_problem_release);
}

static void note_release(struct enterprise_problem_note *n)
{
	free(n->at);
	free(n->note);
}

void enterprise_problem_note_list_release(struct enterprise_problem_note_list *l)
{
	YL_LIST_RELEASE(l, note_release);
}

#define PROBLEM_SELECT                                                                                         \
	"SELECT p.id, p.enterprise_id, p.subdistrict_id, p.unit_node_id, p.owner_user_id, p.created_by,"     \
	" e.node_id, e.name, p.category, p.description, p.raised_on, p.state, p.closed_at, p.evidence,"       \
	" p.satisfaction, p.created_at, p.updated_at, t.id, t.deadline, t.node_id, t.card"                    \
	" FROM enterprise_problems p JOIN enterprises e ON e.id = p.enterprise_id"                            \
	" LEFT JOIN time_nodes t ON t.kind = 'enterprise_problem' AND t.ref_id = p.id"

static void read_problem(struct store_stmt *st, struct enterprise_problem *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_column_int64(st, 0);
	p->enterprise_id = store_column_int64(st, 1);
	p->subdistrict_id = store_column_int64(st, 2);
	p->unit_node_id = store_column_int64(st, 3);
	p->owner_user_id = store_column_int64(st, 4);
	p->created_by = store_column_int64(st, 5);
	p->enterprise_node_id = store_column_int64(st, 6);
	p->enterprise_name = store_column_dup(st, 7);
	store_column_copy(st, 8, p->category, sizeof(p->category));
	p->description = store_column_dup(st, 9);
	store_column_copy(st, 10, p->raised_on, sizeof(p->raised_on));
	store_column_copy(st, 11, p->state, sizeof(p->state));
	p->closed_at = store_column_dup(st, 12);
	p->evidence = store_column_dup(st, 13);
	store_column_copy(st, 14, p->satisfaction, sizeof(p->satisfaction));
	p->created_at = store_column_dup(st, 15);
	p->updated_at = store_column_dup(st, 16);
	p->time_node_id = store_column_int64(st, 17);
	p->deadline = store_column_int64(st, 18);
	p->answering_node_id = store_column_int64(st, 19);
	store_column_copy(st, 20, p->card, sizeof(p->card));
}

static const char SQL_GET[] = PROBLEM_SELECT " WHERE p.id = ?";
static const char SQL_ENTERPRISE[] = "SELECT subdistrict_id, name FROM enterprises WHERE id = ?";
static const char SQL_UNIT[] = "SELECT subdistrict_id FROM nodes WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO enterprise_problems (subdistrict_id, enterprise_id, category, description, unit_node_id,"
	" owner_user_id, raised_on, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_NOTE[] =
	"INSERT INTO enterprise_problem_notes (subdistrict_id, problem_id, at, user_id, note) VALUES (?, ?, ?, ?, ?)";
static const char SQL_NOTES[] =
	"SELECT id, at, user_id, note FROM enterprise_problem_notes WHERE problem_id = ? ORDER BY id";
static const char SQL_CLOSE[] =
	"UPDATE enterprise_problems SET state = 'closed', closed_at = ?, evidence = ?, satisfaction = ?,"
	" updated_at = ? WHERE id = ? AND state = 'open'";
static const char SQL_TOUCH[] = "UPDATE enterprise_problems SET updated_at = ? WHERE id = ?";
#define PROBLEM_WHERE                                                                                          \
	" WHERE (CAST(? AS INTEGER) = 0 OR e.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS INTEGER) = 0 OR p.enterprise_id = ?) AND (CAST(? AS TEXT) IS NULL OR p.state = ?)"
static const char SQL_LIST_COUNT[] =
	"SELECT count(*) FROM enterprise_problems p JOIN enterprises e ON e.id = p.enterprise_id" PROBLEM_WHERE;
static const char SQL_LIST[] = PROBLEM_SELECT PROBLEM_WHERE " ORDER BY p.id DESC LIMIT ? OFFSET ?";

int enterprise_problem_get(struct store *s, int64_t id, struct enterprise_problem *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_GET, id, "problem", &st, f) < 0)
		return -1;
	read_problem(st, out);
	store_done(st);
	return 0;
}

/* The instant a problem starts from: now when raised today, else noon (Asia/Shanghai) of the day raised. */
static int64_t start_of(const char *raised_on, const char *today)
{
	char noon[24];
	int64_t t = 0;

	if (!strcmp(raised_on, today))
		return time_now_us() / 1000000;
	snprintf(noon, sizeof(noon), "%s 12:00:00", raised_on);
	time_parse(noon, 0, &t);
	return t;
}

int enterprise_problem_create(struct store *s, int64_t enterprise_id, const struct enterprise_problem_input *in,
			      int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	struct tn_open_input tn;
	char today[11], now[32], *name = NULL;
	const char *raised = in->raised_on;
	int64_t subdistrict, unit_subdistrict, node;
	struct buf title = BUF_INIT;
	int rc;

	*id = 0;
	if (!enterprise_problem_category_valid(in->category))
		return fault_set(f, FAULT_INVALID, "category",
				 "category is financing, land, labour, approvals, utilities, logistics or other");
	if (check_text("description", in->description, DESCRIPTION_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!in->unit_node_id)
		return fault_set(f, FAULT_INVALID, "unit_node_id", "unit_node_id is required: the responsible unit");
	if (in->days < 1 || in->days > 365)
		return fault_set(f, FAULT_INVALID, "days", "days is the time to settle it: 1 to 365");
	date_today_local(today);
	if (raised && date_valid(raised) != 0)
		return fault_set(f, FAULT_INVALID, "raised_on", "raised_on must be a date as YYYY-MM-DD");
	if (raised && strcmp(raised, today) > 0)
		return fault_set(f, FAULT_INVALID, "raised_on", "raised_on must not be in the future");
	if (!raised)
		raised = today;
	if (store_get_by_id(s, SQL_ENTERPRISE, enterprise_id, "enterprise", &st, f) < 0)
		return -1;
	subdistrict = store_column_int64(st, 0);
	name = store_column_dup(st, 1);
	store_done(st);
	if (store_get_by_id(s, SQL_UNIT, in->unit_node_id, "node", &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "unit_node_id", "node %lld does not exist", (long long)in->unit_node_id);
		goto fail_quiet;
	}
	unit_subdistrict = store_column_int64(st, 0);
	store_done(st);
	if ((unit_subdistrict ? unit_subdistrict : in->unit_node_id) != subdistrict) {
		fault_set(f, FAULT_INVALID, "unit_node_id", "the responsible unit must be in the enterprise's subdistrict");
		goto fail_quiet;
	}
	if (in->owner_user_id &&
	    enterprise_user_in_subdistrict(s, in->owner_user_id, subdistrict, "owner_user_id", f) < 0)
		goto fail_quiet;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_quiet;
	}
	time_now_text(now);
	rc = store_run(s, SQL_INSERT, "iittiItItt", subdistrict, enterprise_id, in->category, in->description,
		       in->unit_node_id, in->owner_user_id, raised, in->user_id, now, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	buf_addf(&title, "%s：%s", name, category_label(in->category));
	tn = (struct tn_open_input){ .kind = ENTERPRISE_PROBLEM_KIND, .ref_id = *id, .title = title.data,
				     .node_id = in->unit_node_id, .assignee_user_id = in->owner_user_id,
				     .start = start_of(raised, today), .days = in->days, .rule = in->rule };
	if (tn_open(s, &tn, &node, f) < 0) {
		/* The title is ours; the fields the caller gave are the ones worth naming. */
		if (!strcmp(f->field, "title"))
			snprintf(f->field, sizeof(f->field), "description");
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_quiet;
	}
	buf_release(&title);
	free(name);
	return 0;
fail:
	store_rollback(s);
fail_quiet:
	*id = 0;
	buf_release(&title);
	free(name);
	return -1;
}

/* The problem, which must be open: 409 on state when it is closed. */
static int open_problem(struct store *s, int64_t id, struct enterprise_problem *p, struct fault *f)
{
	if (enterprise_problem_get(s, id, p, f) < 0)
		return -1;
	if (strcmp(p->state, "open")) {
		enterprise_problem_release(p);
		return fault_set(f, FAULT_CONFLICT, "state", "problem %lld is closed", (long long)id);
	}
	return 0;
}

int enterprise_problem_note(struct store *s, int64_t id, const char *note, int64_t user_id, struct fault *f)
{
	struct enterprise_problem p;
	char now[32];
	int rc;

	if (check_text("note", note, NOTE_CHARS, TEXT_REQUIRED, f) < 0 || open_problem(s, id, &p, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		enterprise_problem_release(&p);
		return store_fault(s, rc, f);
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_NOTE, "iitIt", p.subdistrict_id, id, now, user_id, note)) != STORE_OK ||
	    (rc = store_run(s, SQL_TOUCH, "ti", now, id)) != STORE_OK) {
		store_rollback(s);
		enterprise_problem_release(&p);
		return store_fault(s, rc, f);
	}
	enterprise_problem_release(&p);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

int enterprise_problem_close(struct store *s, int64_t id, const char *evidence, const char *satisfaction,
			     int64_t user_id, struct fault *f)
{
	struct enterprise_problem p;
	char now[32];
	int rc;

	if (check_text("evidence", evidence, EVIDENCE_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!satisfaction_valid(satisfaction))
		return fault_set(f, FAULT_INVALID, "satisfaction",
				 "satisfaction is the enterprise's: satisfied, basically_satisfied or dissatisfied");
	if (open_problem(s, id, &p, f) < 0)
		return -1;
	enterprise_problem_release(&p);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	if ((rc = store_run(s, SQL_CLOSE, "tttti", now, evidence, satisfaction, now, id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (tn_done(s, ENTERPRISE_PROBLEM_KIND, id, time_now_us() / 1000000, f) < 0)
		goto fail;
	(void)user_id;	/* the guard's audit row names who closed it */
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int enterprise_problem_notes(struct store *s, int64_t id, struct enterprise_problem_note_list *out,
			     struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_NOTES, "i", id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct enterprise_problem_note *n;

		YL_GROW(out->items, out->n, out->cap);
		n = &out->items[out->n++];
		n->id = store_column_int64(st, 0);
		n->at = store_column_dup(st, 1);
		n->user_id = store_column_int64(st, 2);
		n->note = store_column_dup(st, 3);
	}
	if (rc != STORE_DONE) {
		enterprise_problem_note_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/*
 * The inbox: the engine's (the owner, or whoever holds the answering node),
 * then the red problems of the enterprises the actor leads today that the
 * engine did not list already.  At most limit items in all.
 */
#define LED_WHERE                                                                                              \
	" FROM time_nodes t JOIN enterprise_problems p ON p.id = t.ref_id"                                     \
	" JOIN enterprise_cadres c ON c.enterprise_id = p.enterprise_id AND c.role = 'leader'"                 \
	" WHERE t.kind = 'enterprise_problem' AND t.state = 'open' AND t.card = 'red' AND c.user_id = ?"       \
	" AND c.starts_on <= ? AND (c.ends_on IS NULL OR c.ends_on >= ?)"                                      \
	" AND NOT (COALESCE(t.assignee_user_id, 0) = ? OR (t.assignee_user_id IS NULL AND t.node_id = ?))"
static const char SQL_LED_COUNT[] = "SELECT count(*)" LED_WHERE;
static const char SQL_LED[] =
	"SELECT t.id, t.ref_id, t.title, t.deadline, t.card, t.node_id, t.provisional" LED_WHERE
	" ORDER BY t.deadline, t.id LIMIT ?";

static int problem_inbox(const struct tn_kind *k, struct store *s, const struct actor *a, int limit,
			 struct tn_inbox *out, struct fault *f)
{
	struct store_stmt *st;
	int64_t uid = a ? a->user_id : 0, node = a ? a->scope_node_id : 0, count;
	size_t before = out->n;
	char today[11];
	int rc;

	if (tn_node_inbox(k, s, a, limit, out, f) < 0)
		return -1;
	if (!uid)
		return 0;
	date_today_local(today);
	st = store_query(s, SQL_LED_COUNT, "ittii", uid, today, today, uid, node);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	count = store_column_int64(st, 0);
	store_done(st);
	out->count += count;
	limit -= (int)(out->n - before);
	if (!count || limit <= 0)
		return 0;
	st = store_query(s, SQL_LED, "ittiii", uid, today, today, uid, node, (int64_t)limit);
	while (store_next(st, &rc)) {
		struct tn_task t;

		memset(&t, 0, sizeof(t));
		t.kind = k->name;
		t.node = store_column_int64(st, 0);
		t.id = store_column_int64(st, 1);
		t.title = store_column_text(st, 2);
		t.deadline = store_column_int64(st, 3);
		store_column_copy(st, 4, t.card, sizeof(t.card));
		t.list = "escalated";
		t.node_id = store_column_int64(st, 5);
		t.provisional = store_column_bool(st, 6);
		tn_inbox_add(out, &t);
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

/* The engine's passes and card callbacks on time_nodes; the inbox above. */
const struct tn_kind enterprise_problem_kind = {
	ENTERPRISE_PROBLEM_KIND, 1, TN_NODE_SQL_DUE_CLIMB, TN_NODE_SQL_DUE_CARD, tn_node_yellow, tn_node_red,
	tn_node_climb, NULL, problem_inbox,
};

int enterprise_problem_list(struct store *s, const struct enterprise_problem_filter *flt,
			    struct enterprise_problem_list *out, struct fault *f)
{
	struct store_stmt *st;
	int rc, limit = flt->limit > 0 ? flt->limit : 50;

	memset(out, 0, sizeof(*out));
	if (flt->state && strcmp(flt->state, "open") && strcmp(flt->state, "closed"))
		return fault_set(f, FAULT_INVALID, "state", "state is open or closed");
	st = store_query(s, SQL_LIST_COUNT, "iiiitt", flt->under_id, flt->under_id, flt->enterprise_id,
			 flt->enterprise_id, flt->state, flt->state);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	out->total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_LIST, "iiiittii", flt->under_id, flt->under_id, flt->enterprise_id, flt->enterprise_id,
			 flt->state, flt->state, (int64_t)limit, (int64_t)(flt->offset > 0 ? flt->offset : 0));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_problem(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		enterprise_problem_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
