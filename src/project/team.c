/*
 * team.c - "四个一"'s work team (工作专班): users of the project's subdistrict,
 * each with a duty; and the check every person named on a project passes
 * (lead official, member, owner of a ledger row): an active user of the
 * project's subdistrict (issue 14: "a member outside the subdistrict" is
 * refused).
 */
#include "project/project.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define DUTY_CHARS 200

static const char SQL_USER_OF[] = "SELECT subdistrict_id, disabled FROM users WHERE id = ?";

int project_user_check(struct store *s, const struct project *p, int64_t user_id, const char *field, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_USER_OF, "i", user_id);
	int64_t subdistrict = 0;
	int rc, found = 0, disabled = 0;

	if (store_next(st, &rc)) {
		found = 1;
		subdistrict = store_column_int64(st, 0);
		disabled = store_column_bool(st, 1);
		store_done(st);
	} else if (rc != STORE_DONE) {
		return store_fault(s, rc, f);
	}
	if (!found)
		return fault_set(f, FAULT_INVALID, field, "user %lld does not exist", (long long)user_id);
	if (disabled)
		return fault_set(f, FAULT_INVALID, field, "user %lld is disabled", (long long)user_id);
	if (subdistrict != p->subdistrict_id)
		return fault_set(f, FAULT_INVALID, field, "user %lld works outside the project's subdistrict",
				 (long long)user_id);
	return 0;
}

static void member_release(struct project_member *m)
{
	free(m->login);
	free(m->display_name);
	free(m->duty);
	memset(m, 0, sizeof(*m));
}

void project_member_list_release(struct project_member_list *l)
{
	YL_LIST_RELEASE(l, member_release);
}

static const char SQL_MEMBER_TAKEN[] = "SELECT id FROM project_members WHERE project_id = ? AND user_id = ?";
static const char SQL_MEMBER_INSERT[] =
	"INSERT INTO project_members (project_id, user_id, duty, created_at) VALUES (?, ?, ?, ?)";

int project_member_add(struct store *s, int64_t project_id, int64_t user_id, const char *duty, int64_t *id,
		       struct fault *f)
{
	struct project p;
	struct store_stmt *st;
	int64_t other = 0;
	char now[32];
	int rc;

	*id = 0;
	if (check_text("duty", duty, DUTY_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (project_get(s, project_id, &p, f) < 0)
		goto fail;
	rc = project_user_check(s, &p, user_id, "user_id", f);
	project_release(&p);
	if (rc < 0)
		goto fail;
	st = store_query(s, SQL_MEMBER_TAKEN, "ii", project_id, user_id);
	if (store_next(st, &rc)) {
		other = store_column_int64(st, 0);
		store_done(st);
	} else if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (other) {
		fault_set(f, FAULT_CONFLICT, "user_id", "user %lld is already on the work team", (long long)user_id);
		goto fail;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_MEMBER_INSERT, "iitt", project_id, user_id, duty, now)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_MEMBERS[] =
	"SELECT m.id, m.user_id, u.login, u.display_name, m.duty FROM project_members m"
	" CROSS JOIN users u WHERE u.id = m.user_id AND m.project_id = ? ORDER BY m.id";

int project_members(struct store *s, int64_t project_id, struct project_member_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_MEMBERS, "i", project_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct project_member *m;

		YL_GROW(out->items, out->n, out->cap);
		m = &out->items[out->n++];
		m->id = store_column_int64(st, 0);
		m->user_id = store_column_int64(st, 1);
		m->login = store_column_dup(st, 2);
		m->display_name = store_column_dup(st, 3);
		m->duty = store_column_dup(st, 4);
	}
	if (rc != STORE_DONE) {
		project_member_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
