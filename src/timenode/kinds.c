/*
 * kinds.c - the table of kinds of time node: the sweeper walks it in order,
 * and the inbox lists each kind's waiting things in the same order.  A ledger
 * with due dates adds its row here (and nowhere else: never a sweeper of its
 * own); a kind that only a test knows registers itself at run time.
 */
#include "timenode/timenode.h"
#include "workorder/sweep.h"
#include "enterprise/enterprise.h"
#include "cobuild/cobuild.h"
#include "volunteer/volunteer.h"

#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* Ledgers on the shared table time_nodes (node.c's passes and callbacks). */
static const struct tn_kind project_task_kind = TN_NODE_KIND("project_task");	/* src/project/task.c */
static const struct tn_kind project_problem_kind = TN_NODE_KIND("project_problem");	/* src/project/problem.c */
static const struct tn_kind cobuild_unclaimed_kind = TN_NODE_KIND("cobuild_unclaimed");	/* src/cobuild/project.c */
static const struct tn_kind council_resolution_kind = TN_NODE_KIND("council_resolution");	/* src/council/resolution.c */

static const struct tn_kind *const built_in[] = {
	&wo_time_kind,		/* work orders: their own columns and transitions (src/workorder/sweep.c) */
	&project_task_kind,
	&project_problem_kind,
	&enterprise_problem_kind,	/* enterprises' problems on time_nodes (src/enterprise/problem.c) */
	&cobuild_claim_kind,		/* co-building claims due (src/cobuild/claim.c: its own inbox for units' contacts) */
	&cobuild_unclaimed_kind,	/* co-building projects nobody claimed yet */
	&council_resolution_kind,
	&volunteer_short_kind,		/* shifts short of people a day before (src/volunteer/due.c) */
	&volunteer_close_kind,		/* shifts at their end: late and no-show marked (src/volunteer/due.c) */
};

static const struct tn_kind *registered[TN_MAX_KINDS];
static size_t nregistered;

size_t tn_kind_count(void)
{
	return YL_ARRAY_LEN(built_in) + nregistered;
}

const struct tn_kind *tn_kind_at(size_t i)
{
	if (i < YL_ARRAY_LEN(built_in))
		return built_in[i];
	i -= YL_ARRAY_LEN(built_in);
	return i < nregistered ? registered[i] : NULL;
}

const struct tn_kind *tn_kind_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < tn_kind_count(); i++)
		if (!strcmp(tn_kind_at(i)->name, name))
			return tn_kind_at(i);
	return NULL;
}

/* At start-up (or in a test), before any sweep: the table is not locked. */
int tn_kind_register(const struct tn_kind *k)
{
	if (!k || !k->name || tn_kind_find(k->name) || nregistered == TN_MAX_KINDS)
		return -1;
	registered[nregistered++] = k;
	return 0;
}

void tn_kind_unregister(const char *name)
{
	size_t i;

	for (i = 0; i < nregistered; i++) {
		if (!strcmp(registered[i]->name, name)) {
			memmove(&registered[i], &registered[i + 1], (nregistered - i - 1) * sizeof(registered[0]));
			nregistered--;
			return;
		}
	}
}

/*
 * Kinds on the shared table that no ledger owns yet, named in the environment
 * (YUANLUO_TEST_TIME_KINDS=a,b): for tests that drive the server's sweeper and
 * inbox from outside (tests/api/tasks.test.mjs).  A name is [a-z_]{1,32}; the
 * kinds live as long as the process.
 */
int tn_kinds_from_env(void)
{
	const char *v = getenv("YUANLUO_TEST_TIME_KINDS");
	char *list, *name, *save = NULL;
	int n = 0;

	if (!v || !*v)
		return 0;
	list = xstrdup(v);
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		struct tn_kind *k;

		if (!*name || strlen(name) > 32 || strspn(name, "abcdefghijklmnopqrstuvwxyz_") != strlen(name))
			continue;
		k = xmalloc(sizeof(*k));
		*k = (struct tn_kind)TN_NODE_KIND(xstrdup(name));
		if (tn_kind_register(k) < 0) {
			free((char *)k->name);
			free(k);
			continue;
		}
		n++;
	}
	free(list);
	return n;
}
