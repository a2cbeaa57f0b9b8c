/*
 * route.c - where an order goes (DOMAIN.md, "Routing"): to the lowest
 * responsible node, normally the courtyard that holds the place.
 *
 * The level wanted is, first match wins: the most specific routing rule for
 * the category and type (a rule naming the category beats one naming its
 * parent, which beats one naming none; naming the type adds to each), else the
 * category's own route_level (or its parent's), else courtyard.  The node is
 * the place's ancestor of that level, or the place itself when it is of that
 * level or above it (an address matched only to a community stays there, for a
 * person to dispatch).
 */
#include "workorder/wo_internal.h"
#include "org/org.h"

#include <string.h>

static const char SQL_RULE[] =
	"SELECT r.id, r.route_level FROM wo_routing_rules r"
	" WHERE (r.category_id IS NULL OR r.category_id = ?"
	"        OR r.category_id = (SELECT parent_id FROM wo_categories WHERE id = ?))"
	"   AND (r.type IS NULL OR r.type = ?)"
	" ORDER BY (CASE WHEN r.category_id = ? THEN 4 WHEN r.category_id IS NULL THEN 0 ELSE 2 END)"
	"        + (CASE WHEN r.type IS NULL THEN 0 ELSE 1 END) DESC, r.id"
	" LIMIT 1";
static const char SQL_CATEGORY_LEVEL[] =
	"SELECT COALESCE(c.route_level, p.route_level) FROM wo_categories c"
	" LEFT JOIN wo_categories p ON p.id = c.parent_id WHERE c.id = ?";
static const char SQL_ANCESTOR_AT[] =
	"SELECT n.id FROM node_closure c JOIN nodes n ON n.id = c.ancestor_id"
	" WHERE c.descendant_id = ? AND n.level = ?";

/* The level name as a static string (the row's text dies with the statement). */
static const char *static_level(const char *level)
{
	enum node_level l = node_level_parse(level);

	return l == LEVEL_COMMUNITY || l == LEVEL_SUBDISTRICT ? node_level_name(l) : "courtyard";
}

static int wanted_level(struct store *s, int64_t category_id, const char *type, struct wo_route *out, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	st = store_query(s, SQL_RULE, "iiti", (int64_t)category_id, (int64_t)category_id, type, (int64_t)category_id);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		out->rule_id = store_column_int64(st, 0);
		out->level = static_level(store_column_text(st, 1));
		out->why = "rule";
	}
	store_done(st);
	if (rc == STORE_ROW)
		return 0;
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_CATEGORY_LEVEL, "i", (int64_t)category_id);
	rc = store_step(st);
	if (rc == STORE_ROW && store_column_text(st, 0)) {
		out->level = static_level(store_column_text(st, 0));
		out->why = "category";
	}
	store_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return store_fault(s, rc, f);
	if (!out->why) {
		out->level = "courtyard";
		out->why = "default";
	}
	return 0;
}

int wo_route(struct store *s, int64_t category_id, const char *type, int64_t place_id, struct wo_route *out,
	     struct fault *f)
{
	struct node place;
	struct store_stmt *st;
	enum node_level want;
	int rc;

	memset(out, 0, sizeof(*out));
	if (org_node_get(s, place_id, &place, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "node_id", "node %lld does not exist", (long long)place_id);
		return -1;
	}
	if (wanted_level(s, category_id, type, out, f) < 0) {
		node_release(&place);
		return -1;
	}
	want = node_level_parse(out->level);
	out->node_id = place.id;
	out->exact = place.level == want;
	if (place.level > want) {
		st = store_query(s, SQL_ANCESTOR_AT, "it", (int64_t)place.id, out->level);
		rc = store_step(st);
		if (rc == STORE_ROW) {
			out->node_id = store_column_int64(st, 0);
			out->exact = 1;
		}
		store_done(st);
		if (rc != STORE_ROW && rc != STORE_DONE) {
			node_release(&place);
			return store_fault(s, rc, f);
		}
	}
	node_release(&place);
	return 0;
}
