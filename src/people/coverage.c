/*
 * coverage.c - "责任制包干": every building has a building head and every
 * household someone responsible for it.  The report counts, for a subtree and
 * a day, the buildings without a building head holding the role on that
 * building that day, and the households that are neither a party-member central
 * household nor looked after by one that day, and lists the first of each.
 *
 * Each figure is one query over the subtree (node_closure: ancestor_id = N),
 * the per-building and per-household tests being indexed EXISTS probes:
 * role_assignments(node_id, role_id, starts_on), party_orgs(node_id),
 * household_care(household_id, ends_on).
 */
#include "people/check.h"
#include "people/people.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

void coverage_release(struct coverage_report *r)
{
	size_t i;

	for (i = 0; i < r->nbuildings_gaps; i++) {
		free(r->buildings_gaps[i].name);
		free(r->buildings_gaps[i].code);
		free(r->buildings_gaps[i].courtyard_name);
	}
	free(r->buildings_gaps);
	for (i = 0; i < r->nhousehold_gaps; i++) {
		free(r->household_gaps[i].name);
		free(r->household_gaps[i].code);
		free(r->household_gaps[i].courtyard_name);
	}
	free(r->household_gaps);
	memset(r, 0, sizeof(*r));
}

/* Parameters: the day, twice. */
#define HEAD_ON_DAY \
	"EXISTS (SELECT 1 FROM role_assignments a WHERE a.node_id = n.id" \
	" AND a.role_id IN (SELECT id FROM roles WHERE code = 'building_head')" \
	" AND a.starts_on <= ? AND (a.ends_on IS NULL OR a.ends_on >= ?))"
/* Parameters: the day, twice. */
#define HOUSEHOLD_UNCOVERED \
	"NOT EXISTS (SELECT 1 FROM party_orgs p WHERE p.node_id = n.id AND p.kind = 'central_household')" \
	" AND NOT EXISTS (SELECT 1 FROM household_care h WHERE h.household_id = n.id" \
	" AND h.starts_on <= ? AND (h.ends_on IS NULL OR h.ends_on >= ?))"
/*
 * The subtree drives every query: CROSS JOIN keeps SQLite from starting at the
 * nodes_level index (all households of the deployment) instead of the closure
 * range; PostgreSQL reads it as an inner join.  Gaps come in closure order
 * (c.descendant_id), so LIMIT stops early instead of sorting the whole subtree.
 */
#define SUBTREE_OF_LEVEL(level) \
	" FROM node_closure c CROSS JOIN nodes n WHERE n.id = c.descendant_id AND c.ancestor_id = ?" \
	" AND n.level = '" level "'"
/* The courtyard above each listed node. */
#define GAPS_OF_LEVEL(level) \
	"SELECT n.id, n.name, n.code, cy.id, cy.name" \
	" FROM node_closure c CROSS JOIN nodes n CROSS JOIN node_closure cc CROSS JOIN nodes cy" \
	" WHERE n.id = c.descendant_id AND cc.descendant_id = n.id AND cy.id = cc.ancestor_id" \
	" AND cy.level = 'courtyard' AND c.ancestor_id = ? AND n.level = '" level "'"

static const char SQL_BUILDING_COUNTS[] =
	"SELECT COUNT(*), COALESCE(SUM(CASE WHEN " HEAD_ON_DAY " THEN 0 ELSE 1 END), 0)" SUBTREE_OF_LEVEL("building");
static const char SQL_BUILDING_GAPS[] =
	GAPS_OF_LEVEL("building") " AND NOT " HEAD_ON_DAY " ORDER BY c.descendant_id LIMIT ?";
static const char SQL_HOUSEHOLD_COUNTS[] =
	"SELECT COUNT(*), COALESCE(SUM(CASE WHEN " HOUSEHOLD_UNCOVERED " THEN 1 ELSE 0 END), 0)"
	SUBTREE_OF_LEVEL("household");
static const char SQL_HOUSEHOLD_GAPS[] =
	GAPS_OF_LEVEL("household") " AND " HOUSEHOLD_UNCOVERED " ORDER BY c.descendant_id LIMIT ?";

/* Counts: the day twice (in the select list), then the subtree root. */
static int counts(struct store *s, const char *sql, int64_t under, const char *on, int64_t *all, int64_t *gaps,
		  struct fault *f)
{
	struct store_stmt *st;
	int rc;

	st = store_query(s, sql, "tti", on, on, (int64_t)under);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*all = store_column_int64(st, 0);
		*gaps = store_column_int64(st, 1);
	}
	store_done(st);
	return rc == STORE_ROW ? 0 : store_fault(s, rc, f);
}

/* Gaps: the subtree root, the day twice, the limit. */
static int gaps(struct store *s, const char *sql, int64_t under, const char *on, int limit,
		struct coverage_gap **out, size_t *n, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	if (limit <= 0)
		return 0;
	st = store_query(s, sql, "itti", (int64_t)under, on, on, (int64_t)limit);
	while (store_next(st, &rc)) {
		struct coverage_gap *g;

		YL_GROW(*out, *n, cap);
		g = &(*out)[(*n)++];
		g->node_id = store_column_int64(st, 0);
		g->name = store_column_dup(st, 1);
		g->code = store_column_dup(st, 2);
		g->courtyard_id = store_column_int64(st, 3);
		g->courtyard_name = store_column_dup(st, 4);
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

int people_coverage(struct store *s, int64_t under_id, const char *on, int limit, struct coverage_report *out,
		    struct fault *f)
{
	struct node root;
	char today[11];

	memset(out, 0, sizeof(*out));
	if (people_check_date("on", on, f) < 0)
		return -1;
	if (!on) {
		date_today_local(today);
		on = today;
	}
	if (org_node_get(s, under_id, &root, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_NOT_FOUND, "node", "node %lld does not exist", (long long)under_id);
		return -1;
	}
	node_release(&root);
	if (counts(s, SQL_BUILDING_COUNTS, under_id, on, &out->buildings, &out->buildings_without_head, f) < 0 ||
	    counts(s, SQL_HOUSEHOLD_COUNTS, under_id, on, &out->households, &out->households_without_central, f) < 0 ||
	    gaps(s, SQL_BUILDING_GAPS, under_id, on, limit, &out->buildings_gaps, &out->nbuildings_gaps, f) < 0 ||
	    gaps(s, SQL_HOUSEHOLD_GAPS, under_id, on, limit, &out->household_gaps, &out->nhousehold_gaps, f) < 0) {
		coverage_release(out);
		return -1;
	}
	return 0;
}
