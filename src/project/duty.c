/*
 * duty.c - 责任清单, a project's responsibilities: who (a user of the
 * project's subdistrict) answers for what.  A duty has no due date of its own:
 * what is due sits in the tasks and problems.
 */
#include "project/project.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define DUTY_CHARS 500

static void duty_release(struct project_duty *d)
{
	free(d->duty);
	free(d->created_at);
	memset(d, 0, sizeof(*d));
}

void project_duty_list_release(struct project_duty_list *l)
{
	YL_LIST_RELEASE(l, duty_release);
}

static const char SQL_DUTY_INSERT[] =
	"INSERT INTO project_duties (subdistrict_id, project_id, user_id, duty, created_at) VALUES (?, ?, ?, ?, ?)";

int project_duty_add(struct store *s, const struct project *p, int64_t user_id, const char *duty, int64_t *id,
		     struct fault *f)
{
	char now[32];
	int rc;

	*id = 0;
	if (check_text("duty", duty, DUTY_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (!user_id)
		return fault_set(f, FAULT_INVALID, "user_id", "user_id is required: who answers for the duty");
	if (project_user_check(s, p, user_id, "user_id", f) < 0)
		return -1;
	time_now_text(now);
	if ((rc = store_run(s, SQL_DUTY_INSERT, "iiitt", p->subdistrict_id, p->id, user_id, duty, now)) != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

static const char SQL_DUTIES[] =
	"SELECT id, project_id, user_id, duty, created_at FROM project_duties WHERE project_id = ? ORDER BY id";

int project_duties(struct store *s, int64_t project_id, struct project_duty_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_DUTIES, "i", project_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct project_duty *d;

		YL_GROW(out->items, out->n, out->cap);
		d = &out->items[out->n++];
		d->id = store_column_int64(st, 0);
		d->project_id = store_column_int64(st, 1);
		d->user_id = store_column_int64(st, 2);
		d->duty = store_column_dup(st, 3);
		d->created_at = store_column_dup(st, 4);
	}
	if (rc != STORE_DONE) {
		project_duty_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
