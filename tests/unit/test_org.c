/* test_org.c - src/org: the node tree and its rules, the closure table, history, party organisations, grids. */
#include "unit.h"
#include "org/org.h"
#include "store/store.h"
#include "util/util.h"

#include <inttypes.h>

/* ---- helpers ---- */

static struct store *S;
static struct fault F;

static int setup(void **state)
{
	(void)state;
	S = unit_db_open();
	fault_clear(&F);
	return S ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	unit_db_close(S);
	S = NULL;
	return 0;
}

static const char *default_kind(enum node_level level)
{
	return level == LEVEL_COURTYARD ? "residential" : NULL;
}

static int try_create(int64_t parent, enum node_level level, const char *kind, const char *name, const char *code,
		      int64_t *id)
{
	struct node_input in;

	memset(&in, 0, sizeof(in));
	in.parent_id = parent;
	in.level = level;
	in.kind = kind;
	in.name = name;
	in.code = code;
	fault_clear(&F);
	return org_node_create(S, &in, id, &F);
}

/* Creates a node that must be accepted; returns its id. */
static int64_t mk(int64_t parent, enum node_level level, const char *name, const char *code)
{
	int64_t id = 0;

	if (try_create(parent, level, default_kind(level), name, code, &id) < 0)
		fail_msg("creating %s '%s': %s (%s)", node_level_name(level), name, F.message, F.field);
	assert_true(id > 0);
	return id;
}

static int move(int64_t id, int64_t new_parent)
{
	struct node_input in;

	memset(&in, 0, sizeof(in));
	in.parent_id = new_parent;
	fault_clear(&F);
	return org_node_update(S, id, &in, &F);
}

static int rename_node(int64_t id, const char *name)
{
	struct node_input in;

	memset(&in, 0, sizeof(in));
	in.name = name;
	fault_clear(&F);
	return org_node_update(S, id, &in, &F);
}

static void expect_fault(enum fault_kind kind, const char *field)
{
	if (F.kind != kind)
		fail_msg("fault kind %d, want %d (%s)", F.kind, kind, F.message);
	assert_string_equal(F.field, field);
	assert_true(F.message[0] != '\0');
}

static int64_t count_rows(const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int64(S, sql, &n, 0), STORE_OK);
	return n;
}

/* Ids of the subtree under a node (the node excluded), in ascending order. */
static size_t under(int64_t id, int64_t *out, size_t max)
{
	struct node_filter flt;
	struct node_list l;
	size_t i, j;

	memset(&flt, 0, sizeof(flt));
	flt.under_id = id;
	flt.limit = 1000;
	if (org_node_list(S, &flt, &l, &F) < 0)
		fail_msg("list: %s", F.message);
	assert_int_equal(l.total, (int64_t)l.n);
	assert_true(l.n <= max);
	for (i = 0; i < l.n; i++)
		out[i] = l.items[i].id;
	/* sort: the list's own order is by parent, which a move changes */
	for (i = 1; i < l.n; i++)
		for (j = i; j > 0 && out[j - 1] > out[j]; j--) {
			int64_t t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	j = l.n;
	node_list_release(&l);
	return j;
}

static void expect_under(int64_t id, const int64_t *want, size_t nwant)
{
	int64_t got[64], sorted[64];
	size_t n = under(id, got, 64), i, j;

	assert_true(nwant <= 64);
	if (nwant)
		memcpy(sorted, want, nwant * sizeof(*want));
	for (i = 1; i < nwant; i++)
		for (j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
			int64_t t = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	if (n != nwant)
		fail_msg("node %" PRId64 " has %zu nodes under it, want %zu", id, n, nwant);
	for (i = 0; i < n; i++)
		assert_int_equal(got[i], sorted[i]);
}

/* The whole closure table must equal the one rebuilt from parent_id links (recursive CTE). */
static void expect_closure_consistent(void)
{
	static const char sql[] =
		"WITH RECURSIVE anc(a, d, depth) AS ("
		"  SELECT id, id, 0 FROM nodes"
		"  UNION ALL SELECT n.parent_id, anc.d, anc.depth + 1 FROM anc JOIN nodes n ON n.id = anc.a"
		"  WHERE n.parent_id IS NOT NULL)"
		" SELECT (SELECT COUNT(*) FROM ("
		"   SELECT a, d, depth FROM anc EXCEPT SELECT ancestor_id, descendant_id, depth FROM node_closure))"
		" + (SELECT COUNT(*) FROM ("
		"   SELECT ancestor_id, descendant_id, depth FROM node_closure EXCEPT SELECT a, d, depth FROM anc))";

	assert_int_equal(count_rows(sql), 0);
}

/* ---- levels ---- */

static void test_level_names(void **state)
{
	static const char *names[] = { "subdistrict", "community", "courtyard", "building", "unit", "household" };
	int i;

	(void)state;
	for (i = 0; i < 6; i++) {
		assert_string_equal(node_level_name((enum node_level)(i + 1)), names[i]);
		assert_int_equal(node_level_parse(names[i]), i + 1);
	}
	assert_int_equal(node_level_parse("street"), LEVEL_NONE);
	assert_int_equal(node_level_parse("Community"), LEVEL_NONE);
	assert_int_equal(node_level_parse(""), LEVEL_NONE);
	assert_int_equal(node_level_parse(NULL), LEVEL_NONE);
}

/* DOMAIN: subdistrict > community > courtyard > building > unit (optional) > household. */
static int allowed(enum node_level child, enum node_level parent)
{
	switch (child) {
	case LEVEL_SUBDISTRICT: return parent == LEVEL_NONE;
	case LEVEL_COMMUNITY: return parent == LEVEL_SUBDISTRICT;
	case LEVEL_COURTYARD: return parent == LEVEL_COMMUNITY;
	case LEVEL_BUILDING: return parent == LEVEL_COURTYARD;
	case LEVEL_UNIT: return parent == LEVEL_BUILDING;
	case LEVEL_HOUSEHOLD: return parent == LEVEL_UNIT || parent == LEVEL_BUILDING;
	case LEVEL_NONE: break;
	}
	return 0;
}

/* Every (child level, parent level) pair, creation included: only the listed ones are accepted. */
static void test_every_level_pair(void **state)
{
	int64_t of_level[7] = { 0 };
	int child, parent, made = 0;
	int64_t before;

	(void)state;
	of_level[LEVEL_SUBDISTRICT] = mk(0, LEVEL_SUBDISTRICT, "明水街道", "S");
	of_level[LEVEL_COMMUNITY] = mk(of_level[1], LEVEL_COMMUNITY, "幸福社区", "C");
	of_level[LEVEL_COURTYARD] = mk(of_level[2], LEVEL_COURTYARD, "一号院", "Y");
	of_level[LEVEL_BUILDING] = mk(of_level[3], LEVEL_BUILDING, "1号楼", "B");
	of_level[LEVEL_UNIT] = mk(of_level[4], LEVEL_UNIT, "1单元", "U");
	of_level[LEVEL_HOUSEHOLD] = mk(of_level[5], LEVEL_HOUSEHOLD, "101", "H");

	for (child = LEVEL_SUBDISTRICT; child <= LEVEL_HOUSEHOLD; child++) {
		for (parent = LEVEL_NONE; parent <= LEVEL_HOUSEHOLD; parent++) {
			int ok = allowed((enum node_level)child, (enum node_level)parent);
			char code[32];
			int64_t id = 0;
			int rc;

			assert_int_equal(node_level_parent_ok((enum node_level)child, (enum node_level)parent), ok);
			snprintf(code, sizeof(code), "pair-%d-%d", child, parent);
			before = count_rows("SELECT COUNT(*) FROM nodes");
			rc = try_create(of_level[parent], (enum node_level)child, default_kind((enum node_level)child),
					"节点", code, &id);
			if (ok) {
				if (rc < 0)
					fail_msg("a %s under a %s was refused: %s", node_level_name((enum node_level)child),
						 node_level_name((enum node_level)parent), F.message);
				made++;
			} else {
				if (rc == 0)
					fail_msg("a %s under a %s was accepted", node_level_name((enum node_level)child),
						 node_level_name((enum node_level)parent));
				expect_fault(FAULT_INVALID, "parent_id");
				assert_int_equal(count_rows("SELECT COUNT(*) FROM nodes"), before);
			}
		}
	}
	assert_int_equal(made, 7);
	expect_closure_consistent();
}

static void test_missing_parent_and_level(void **state)
{
	int64_t id = 0;

	(void)state;
	assert_int_equal(try_create(4242, LEVEL_COMMUNITY, NULL, "x", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "parent_id");
	assert_int_equal(try_create(0, LEVEL_NONE, NULL, "x", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "level");
	assert_int_equal(count_rows("SELECT COUNT(*) FROM nodes"), 0);
	assert_int_equal(id, 0);
}

static void test_node_fields_round_trip(void **state)
{
	struct node_input in;
	struct node n;
	int64_t sd, c, id = 0;

	(void)state;
	sd = mk(0, LEVEL_SUBDISTRICT, "明水街道", "mingshui");
	c = mk(sd, LEVEL_COMMUNITY, "幸福社区", "xingfu");
	memset(&in, 0, sizeof(in));
	in.parent_id = c;
	in.level = LEVEL_COURTYARD;
	in.kind = "dormitory";
	in.name = "职工宿舍院";
	in.code = "xingfu.dorm-1";
	in.address = "幸福路1号";
	in.set_coords = 1;
	in.lat = 36.68;
	in.lng = 117.02;
	assert_int_equal(org_node_create(S, &in, &id, &F), 0);
	assert_int_equal(org_node_get(S, id, &n, &F), 0);
	assert_int_equal(n.id, id);
	assert_int_equal(n.parent_id, c);
	assert_int_equal(n.subdistrict_id, sd);
	assert_int_equal(n.level, LEVEL_COURTYARD);
	assert_string_equal(n.kind, "dormitory");
	assert_string_equal(n.name, "职工宿舍院");
	assert_string_equal(n.code, "xingfu.dorm-1");
	assert_string_equal(n.address, "幸福路1号");
	assert_true(n.has_coords);
	assert_true(n.lat == 36.68 && n.lng == 117.02);
	assert_non_null(n.created_at);
	node_release(&n);
	/* the subdistrict is its own subdistrict; the community counts its child */
	assert_int_equal(org_node_get(S, sd, &n, &F), 0);
	assert_int_equal(n.subdistrict_id, sd);
	assert_int_equal(n.parent_id, 0);
	assert_int_equal(n.children, 1);
	node_release(&n);
	assert_int_equal(org_node_get_by_code(S, "xingfu", &n, &F), 0);
	assert_int_equal(n.id, c);
	assert_int_equal(n.children, 1);
	node_release(&n);
	assert_int_equal(org_node_get(S, 999, &n, &F), -1);
	expect_fault(FAULT_NOT_FOUND, "id");
	assert_int_equal(org_node_get_by_code(S, "nope", &n, &F), -1);
	expect_fault(FAULT_NOT_FOUND, "code");
}

static void test_names_and_coordinates_checked(void **state)
{
	struct node_input in;
	char longname[3 * 101 + 1];
	int64_t sd, id = 0;
	int i;

	(void)state;
	sd = mk(0, LEVEL_SUBDISTRICT, "街道", NULL);
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, NULL, NULL, NULL, &id), -1);
	expect_fault(FAULT_INVALID, "name");
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, NULL, "  \t ", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "name");
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, NULL, "bad\x01name", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "name");
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, NULL, "bad\xc0\x80", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "name");
	/* 100 Chinese characters (300 bytes) fit, 101 do not: the limit counts characters */
	longname[0] = '\0';
	for (i = 0; i < 100; i++)
		strcat(longname, "社");
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, NULL, longname, NULL, &id), 0);
	strcat(longname, "区");
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, NULL, longname, NULL, &id), -1);
	expect_fault(FAULT_INVALID, "name");

	memset(&in, 0, sizeof(in));
	in.parent_id = sd;
	in.level = LEVEL_COMMUNITY;
	in.name = "坐标";
	in.set_coords = 1;
	in.lat = 91;
	assert_int_equal(org_node_create(S, &in, &id, &F), -1);
	expect_fault(FAULT_INVALID, "lat");
	in.lat = 0;
	in.lng = -180.5;
	assert_int_equal(org_node_create(S, &in, &id, &F), -1);
	expect_fault(FAULT_INVALID, "lng");
	assert_int_equal(count_rows("SELECT COUNT(*) FROM nodes"), 2);
}

/* A name of nothing but white space is blank, whatever the white space: line breaks, 全角空格 (U+3000). */
static void test_blank_names_refused(void **state)
{
	static const char *blank[] = { " ", "\t", "\n", " \r\n ", "\xe3\x80\x80", "\xe3\x80\x80 \xe3\x80\x80" };
	int64_t sd, id = 0;
	size_t i;

	(void)state;
	sd = mk(0, LEVEL_SUBDISTRICT, "街道", NULL);
	for (i = 0; i < YL_ARRAY_LEN(blank); i++) {
		if (try_create(sd, LEVEL_COMMUNITY, NULL, blank[i], NULL, &id) == 0)
			fail_msg("blank name #%zu accepted", i);
		expect_fault(FAULT_INVALID, "name");
	}
	assert_int_equal(count_rows("SELECT COUNT(*) FROM nodes"), 1);
}

/* ---- kinds ---- */

static void test_courtyard_kinds(void **state)
{
	static const char *good[] = { "residential", "dormitory", "business_alliance" };
	int64_t sd, c, y, id = 0;
	size_t i;

	(void)state;
	sd = mk(0, LEVEL_SUBDISTRICT, "街道", NULL);
	c = mk(sd, LEVEL_COMMUNITY, "社区", NULL);
	for (i = 0; i < YL_ARRAY_LEN(good); i++) {
		struct node n;

		assert_int_equal(try_create(c, LEVEL_COURTYARD, good[i], "院", NULL, &id), 0);
		assert_int_equal(org_node_get(S, id, &n, &F), 0);
		assert_string_equal(n.kind, good[i]);
		node_release(&n);
	}
	/* a courtyard must say which kind it is */
	assert_int_equal(try_create(c, LEVEL_COURTYARD, NULL, "院", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "kind");
	assert_int_equal(try_create(c, LEVEL_COURTYARD, "commercial", "院", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "kind");
	assert_int_equal(try_create(c, LEVEL_COURTYARD, "Residential", "院", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "kind");
	/* community kinds are their own */
	assert_int_equal(try_create(c, LEVEL_COURTYARD, "urban", "院", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "kind");
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, "rural", "村", NULL, &id), 0);
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, "residential", "村", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "kind");
	/* the other levels take no kind */
	y = mk(id, LEVEL_COURTYARD, "院", NULL);
	assert_int_equal(try_create(y, LEVEL_BUILDING, "residential", "楼", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "kind");
	assert_int_equal(try_create(0, LEVEL_SUBDISTRICT, "urban", "街道", NULL, &id), -1);
	expect_fault(FAULT_INVALID, "kind");
}

static void test_kind_update(void **state)
{
	struct node_input in;
	struct node n;
	int64_t sd, c, y, b;

	(void)state;
	sd = mk(0, LEVEL_SUBDISTRICT, "街道", NULL);
	c = mk(sd, LEVEL_COMMUNITY, "社区", NULL);
	y = mk(c, LEVEL_COURTYARD, "院", NULL);
	b = mk(y, LEVEL_BUILDING, "楼", NULL);
	memset(&in, 0, sizeof(in));
	in.kind = "business_alliance";
	assert_int_equal(org_node_update(S, y, &in, &F), 0);
	assert_int_equal(org_node_get(S, y, &n, &F), 0);
	assert_string_equal(n.kind, "business_alliance");
	node_release(&n);
	in.kind = "shop";
	assert_int_equal(org_node_update(S, y, &in, &F), -1);
	expect_fault(FAULT_INVALID, "kind");
	in.kind = "residential";
	assert_int_equal(org_node_update(S, b, &in, &F), -1);
	expect_fault(FAULT_INVALID, "kind");
	/* a courtyard's kind cannot be cleared; a community's can */
	memset(&in, 0, sizeof(in));
	in.set_kind = 1;
	assert_int_equal(org_node_update(S, y, &in, &F), -1);
	expect_fault(FAULT_INVALID, "kind");
	assert_int_equal(org_node_get(S, y, &n, &F), 0);
	assert_string_equal(n.kind, "business_alliance");
	node_release(&n);
	in.kind = "rural";
	assert_int_equal(org_node_update(S, c, &in, &F), 0);
	assert_int_equal(org_node_get(S, c, &n, &F), 0);
	assert_string_equal(n.kind, "rural");
	node_release(&n);
	in.kind = NULL;
	assert_int_equal(org_node_update(S, c, &in, &F), 0);
	assert_int_equal(org_node_get(S, c, &n, &F), 0);
	assert_null(n.kind);
	node_release(&n);
	/* the level never changes */
	memset(&in, 0, sizeof(in));
	in.level = LEVEL_UNIT;
	assert_int_equal(org_node_update(S, b, &in, &F), -1);
	expect_fault(FAULT_INVALID, "level");
	assert_int_equal(org_node_get(S, b, &n, &F), 0);
	assert_int_equal(n.level, LEVEL_BUILDING);
	node_release(&n);
}

/* ---- codes ---- */

static void test_code_rules(void **state)
{
	static const char *good[] = { "a", "ms-01_x.y", "ABC123", "0" };
	static const char *bad[] = { "", "a b", "a/b", "社区", "a#b", "a\tb", "a,b", "a'b" };
	char c64[66];
	int64_t sd, id = 0;
	size_t i;

	(void)state;
	sd = mk(0, LEVEL_SUBDISTRICT, "街道", "sd");
	for (i = 0; i < YL_ARRAY_LEN(good); i++)
		if (try_create(sd, LEVEL_COMMUNITY, NULL, "社区", good[i], &id) < 0)
			fail_msg("code '%s' refused: %s", good[i], F.message);
	for (i = 0; i < YL_ARRAY_LEN(bad); i++) {
		if (try_create(sd, LEVEL_COMMUNITY, NULL, "社区", bad[i], &id) == 0)
			fail_msg("code '%s' accepted", bad[i]);
		expect_fault(FAULT_INVALID, "code");
	}
	memset(c64, 'k', 64);
	c64[64] = '\0';
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, NULL, "社区", c64, &id), 0);
	c64[64] = 'k';
	c64[65] = '\0';
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, NULL, "社区", c64, &id), -1);
	expect_fault(FAULT_INVALID, "code");
}

static void test_code_unique(void **state)
{
	struct node_input in;
	struct node n;
	int64_t sd, c1, c2, id = 0, before;

	(void)state;
	sd = mk(0, LEVEL_SUBDISTRICT, "街道", "sd");
	c1 = mk(sd, LEVEL_COMMUNITY, "一社区", "c1");
	c2 = mk(sd, LEVEL_COMMUNITY, "二社区", "c2");
	before = count_rows("SELECT COUNT(*) FROM nodes");
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, NULL, "三社区", "c1", &id), -1);
	expect_fault(FAULT_CONFLICT, "code");
	/* across levels too: codes are unique in the whole tree */
	assert_int_equal(try_create(c1, LEVEL_COURTYARD, "residential", "院", "sd", &id), -1);
	expect_fault(FAULT_CONFLICT, "code");
	assert_int_equal(count_rows("SELECT COUNT(*) FROM nodes"), before);
	assert_int_equal(count_rows("SELECT COUNT(*) FROM node_history"), before);

	/* update to another node's code is refused; to its own is fine */
	memset(&in, 0, sizeof(in));
	in.code = "c1";
	assert_int_equal(org_node_update(S, c2, &in, &F), -1);
	expect_fault(FAULT_CONFLICT, "code");
	assert_int_equal(org_node_update(S, c1, &in, &F), 0);
	in.code = "c2-new";
	assert_int_equal(org_node_update(S, c2, &in, &F), 0);
	assert_int_equal(org_node_get_by_code(S, "c2-new", &n, &F), 0);
	assert_int_equal(n.id, c2);
	node_release(&n);
	/* the old code is free again */
	assert_int_equal(try_create(sd, LEVEL_COMMUNITY, NULL, "新二社区", "c2", &id), 0);
	in.code = "bad code";
	assert_int_equal(org_node_update(S, c2, &in, &F), -1);
	expect_fault(FAULT_INVALID, "code");
}

/* A node created without a code is given one that finds it. */
static void test_generated_codes(void **state)
{
	struct node n1, n2;
	int64_t sd, c;

	(void)state;
	sd = mk(0, LEVEL_SUBDISTRICT, "街道", NULL);
	c = mk(sd, LEVEL_COMMUNITY, "社区", NULL);
	assert_int_equal(org_node_get(S, sd, &n1, &F), 0);
	assert_int_equal(org_node_get(S, c, &n2, &F), 0);
	assert_true(n1.code[0] != '\0');
	assert_string_not_equal(n1.code, n2.code);
	node_release(&n2);
	assert_int_equal(org_node_get_by_code(S, n1.code, &n2, &F), 0);
	assert_int_equal(n2.id, sd);
	node_release(&n1);
	node_release(&n2);
}

/*
 * A code a user chose must not block a later node created without a code: codes
 * like "N2" are valid input (imports from other systems use them).
 */
static void test_generated_code_does_not_collide(void **state)
{
	char code[32];
	int64_t sd, next = 0;

	(void)state;
	sd = mk(0, LEVEL_SUBDISTRICT, "街道", "sd");
	/* the id the next node will get, taken as a user's code first */
	snprintf(code, sizeof(code), "N%" PRId64, sd + 2);
	mk(sd, LEVEL_COMMUNITY, "用户编码社区", code);
	if (try_create(sd, LEVEL_COMMUNITY, NULL, "无编码社区", NULL, &next) < 0)
		fail_msg("a node without a code was refused because '%s' is taken: %s (%s)", code, F.message,
			 fault_code(F.kind));
	assert_int_equal(next, sd + 2);
}

/* ---- subtree queries, moves ---- */

struct tree {
	int64_t sd, c1, c2, y1, y2, y3, b1, b2, u1, h1, h2;
};

/*
 * sd ─ c1 ─ y1 ─ b1 ─ u1 ─ h1
 *    │    │         └ h2 (directly under the building)
 *    │    └ y2 ─ b2
 *    └ c2 ─ y3
 */
static void build_tree(struct tree *t)
{
	t->sd = mk(0, LEVEL_SUBDISTRICT, "明水街道", "sd");
	t->c1 = mk(t->sd, LEVEL_COMMUNITY, "幸福社区", "c1");
	t->c2 = mk(t->sd, LEVEL_COMMUNITY, "和谐社区", "c2");
	t->y1 = mk(t->c1, LEVEL_COURTYARD, "一号院", "y1");
	t->y2 = mk(t->c1, LEVEL_COURTYARD, "二号院", "y2");
	t->y3 = mk(t->c2, LEVEL_COURTYARD, "三号院", "y3");
	t->b1 = mk(t->y1, LEVEL_BUILDING, "1号楼", "b1");
	t->b2 = mk(t->y2, LEVEL_BUILDING, "2号楼", "b2");
	t->u1 = mk(t->b1, LEVEL_UNIT, "1单元", "u1");
	t->h1 = mk(t->u1, LEVEL_HOUSEHOLD, "101室", "h1");
	t->h2 = mk(t->b1, LEVEL_HOUSEHOLD, "102室", "h2");
}

static void test_subtree_after_create(void **state)
{
	struct tree t;

	(void)state;
	build_tree(&t);
	{
		int64_t want[] = { t.c1, t.c2, t.y1, t.y2, t.y3, t.b1, t.b2, t.u1, t.h1, t.h2 };
		expect_under(t.sd, want, YL_ARRAY_LEN(want));
	}
	{
		int64_t want[] = { t.y1, t.y2, t.b1, t.b2, t.u1, t.h1, t.h2 };
		expect_under(t.c1, want, YL_ARRAY_LEN(want));
	}
	{
		int64_t want[] = { t.y3 };
		expect_under(t.c2, want, YL_ARRAY_LEN(want));
	}
	expect_under(t.h1, NULL, 0);
	assert_int_equal(org_is_within(S, t.sd, t.h1), 1);
	assert_int_equal(org_is_within(S, t.c1, t.h2), 1);
	assert_int_equal(org_is_within(S, t.y1, t.y1), 1);	/* a node is within itself */
	assert_int_equal(org_is_within(S, t.c2, t.h1), 0);
	assert_int_equal(org_is_within(S, t.h1, t.y1), 0);	/* not upwards */
	assert_int_equal(org_is_within(S, t.y1, t.b2), 0);	/* not sideways */
	assert_int_equal(org_is_within(S, 999, t.y1), 0);
	expect_closure_consistent();
}

static void test_list_filters(void **state)
{
	struct node_filter flt;
	struct node_list l;
	struct tree t;

	(void)state;
	build_tree(&t);
	memset(&flt, 0, sizeof(flt));
	flt.under_id = t.sd;
	flt.level = LEVEL_COURTYARD;
	assert_int_equal(org_node_list(S, &flt, &l, &F), 0);
	assert_int_equal(l.total, 3);
	node_list_release(&l);

	memset(&flt, 0, sizeof(flt));
	flt.parent_id = t.b1;
	assert_int_equal(org_node_list(S, &flt, &l, &F), 0);
	assert_int_equal(l.total, 2);
	assert_int_equal(l.n, 2);
	node_list_release(&l);

	memset(&flt, 0, sizeof(flt));
	flt.roots = 1;
	assert_int_equal(org_node_list(S, &flt, &l, &F), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].id, t.sd);
	assert_int_equal(l.items[0].children, 2);
	node_list_release(&l);

	/* name or code contains the text; "%" and "_" are plain characters, not wildcards */
	memset(&flt, 0, sizeof(flt));
	flt.q = "号院";
	assert_int_equal(org_node_list(S, &flt, &l, &F), 0);
	assert_int_equal(l.total, 3);
	node_list_release(&l);
	flt.q = "%";
	assert_int_equal(org_node_list(S, &flt, &l, &F), 0);
	assert_int_equal(l.total, 0);
	node_list_release(&l);

	/* paging: total is all of them, items only the page */
	memset(&flt, 0, sizeof(flt));
	flt.under_id = t.sd;
	flt.limit = 4;
	flt.offset = 8;
	assert_int_equal(org_node_list(S, &flt, &l, &F), 0);
	assert_int_equal(l.total, 10);
	assert_int_equal(l.n, 2);
	node_list_release(&l);
}

static void test_ancestors(void **state)
{
	struct node_list l;
	struct tree t;

	(void)state;
	build_tree(&t);
	assert_int_equal(org_node_ancestors(S, t.h1, &l, &F), 0);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.items[0].id, t.sd);
	assert_int_equal(l.items[1].id, t.c1);
	assert_int_equal(l.items[2].id, t.y1);
	assert_int_equal(l.items[3].id, t.b1);
	assert_int_equal(l.items[4].id, t.u1);
	node_list_release(&l);
	assert_int_equal(org_node_ancestors(S, t.sd, &l, &F), 0);
	assert_int_equal(l.n, 0);
	node_list_release(&l);
}

static void test_move_courtyard_with_subtree(void **state)
{
	struct node n;
	struct node_list l;
	struct tree t;

	(void)state;
	build_tree(&t);
	assert_int_equal(move(t.y1, t.c2), 0);
	assert_int_equal(org_node_get(S, t.y1, &n, &F), 0);
	assert_int_equal(n.parent_id, t.c2);
	node_release(&n);
	/* the whole subtree went along */
	assert_int_equal(org_is_within(S, t.c2, t.h1), 1);
	assert_int_equal(org_is_within(S, t.c2, t.b1), 1);
	assert_int_equal(org_is_within(S, t.c1, t.h1), 0);
	assert_int_equal(org_is_within(S, t.c1, t.y1), 0);
	assert_int_equal(org_is_within(S, t.sd, t.h1), 1);
	assert_int_equal(org_is_within(S, t.y1, t.h1), 1);
	{
		int64_t want[] = { t.y2, t.b2 };
		expect_under(t.c1, want, YL_ARRAY_LEN(want));
	}
	{
		int64_t want[] = { t.y3, t.y1, t.b1, t.u1, t.h1, t.h2 };
		expect_under(t.c2, want, YL_ARRAY_LEN(want));
	}
	{
		int64_t want[] = { t.c1, t.c2, t.y1, t.y2, t.y3, t.b1, t.b2, t.u1, t.h1, t.h2 };
		expect_under(t.sd, want, YL_ARRAY_LEN(want));
	}
	assert_int_equal(org_node_ancestors(S, t.h1, &l, &F), 0);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.items[1].id, t.c2);
	assert_int_equal(l.items[2].id, t.y1);
	node_list_release(&l);
	assert_int_equal(org_node_get(S, t.c1, &n, &F), 0);
	assert_int_equal(n.children, 1);
	node_release(&n);
	expect_closure_consistent();

	/* a second move, deeper down, on top of the first: b2 into y1 (now in c2) */
	assert_int_equal(move(t.b2, t.y1), 0);
	assert_int_equal(org_is_within(S, t.c2, t.b2), 1);
	assert_int_equal(org_is_within(S, t.y2, t.b2), 0);
	expect_under(t.y2, NULL, 0);
	{
		int64_t want[] = { t.b1, t.u1, t.h1, t.h2, t.b2 };
		expect_under(t.y1, want, YL_ARRAY_LEN(want));
	}
	/* and back where it started */
	assert_int_equal(move(t.y1, t.c1), 0);
	{
		int64_t want[] = { t.y3 };
		expect_under(t.c2, want, YL_ARRAY_LEN(want));
	}
	assert_int_equal(org_is_within(S, t.c1, t.b2), 1);
	expect_closure_consistent();
}

/* A household moves between a unit and a building (both allowed parents). */
static void test_move_household_between_unit_and_building(void **state)
{
	struct tree t;

	(void)state;
	build_tree(&t);
	assert_int_equal(move(t.h1, t.b2), 0);
	assert_int_equal(org_is_within(S, t.b2, t.h1), 1);
	assert_int_equal(org_is_within(S, t.u1, t.h1), 0);
	assert_int_equal(org_is_within(S, t.c1, t.h1), 1);
	assert_int_equal(move(t.h2, t.u1), 0);
	assert_int_equal(org_is_within(S, t.u1, t.h2), 1);
	expect_closure_consistent();
}

static void test_move_refusals(void **state)
{
	struct node n;
	struct tree t;
	int64_t sd2, c3, y4, history;

	(void)state;
	build_tree(&t);
	sd2 = mk(0, LEVEL_SUBDISTRICT, "东关街道", "sd2");
	c3 = mk(sd2, LEVEL_COMMUNITY, "东关社区", "c3");
	y4 = mk(c3, LEVEL_COURTYARD, "东关院", "y4");
	history = count_rows("SELECT COUNT(*) FROM node_history");

	/* under itself */
	assert_int_equal(move(t.y1, t.y1), -1);
	expect_fault(FAULT_INVALID, "parent_id");
	/* under its own descendant: a cycle */
	assert_int_equal(move(t.b1, t.u1), -1);
	expect_fault(FAULT_INVALID, "parent_id");
	assert_int_equal(move(t.y1, t.h1), -1);
	expect_fault(FAULT_INVALID, "parent_id");
	/* a level that does not fit */
	assert_int_equal(move(t.y1, t.sd), -1);
	expect_fault(FAULT_INVALID, "parent_id");
	assert_int_equal(move(t.b1, t.c2), -1);
	expect_fault(FAULT_INVALID, "parent_id");
	assert_int_equal(move(t.c1, t.c2), -1);
	expect_fault(FAULT_INVALID, "parent_id");
	/* no such parent */
	assert_int_equal(move(t.y1, 9999), -1);
	expect_fault(FAULT_INVALID, "parent_id");
	/* into another subdistrict: rows carry their subdistrict, so that is a migration, not a move */
	assert_int_equal(move(t.y1, c3), -1);
	expect_fault(FAULT_INVALID, "parent_id");
	assert_int_equal(move(t.b1, y4), -1);
	expect_fault(FAULT_INVALID, "parent_id");
	/* no such node */
	assert_int_equal(move(9999, t.c1), -1);
	expect_fault(FAULT_NOT_FOUND, "id");

	/* nothing changed: parents, closure, history */
	assert_int_equal(org_node_get(S, t.y1, &n, &F), 0);
	assert_int_equal(n.parent_id, t.c1);
	assert_int_equal(n.subdistrict_id, t.sd);
	node_release(&n);
	assert_int_equal(org_is_within(S, t.c1, t.h1), 1);
	assert_int_equal(org_is_within(S, sd2, t.y1), 0);
	assert_int_equal(count_rows("SELECT COUNT(*) FROM node_history"), history);
	expect_closure_consistent();
	assert_false(store_in_transaction(S));
}

/* Moving to the parent it already has is no move: nothing is recorded. */
static void test_move_to_same_parent(void **state)
{
	struct node_history h;
	struct tree t;

	(void)state;
	build_tree(&t);
	assert_int_equal(move(t.y1, t.c1), 0);
	assert_int_equal(org_node_history(S, t.y1, &h, &F), 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.items[0].action, "create");
	node_history_release(&h);
}

/* ---- history ---- */

static void test_history_in_order(void **state)
{
	struct node_input in;
	struct node_history h;
	struct tree t;

	(void)state;
	build_tree(&t);
	assert_int_equal(rename_node(t.y1, "一号院（东）"), 0);
	assert_int_equal(move(t.y1, t.c2), 0);
	assert_int_equal(rename_node(t.y1, "东院"), 0);
	/* a rename to the same name is not a change */
	assert_int_equal(rename_node(t.y1, "东院"), 0);
	assert_int_equal(move(t.y1, t.c1), 0);
	/* rename and move together: both recorded */
	memset(&in, 0, sizeof(in));
	in.parent_id = t.c2;
	in.name = "西院";
	in.detail = "重新划片";
	assert_int_equal(org_node_update(S, t.y1, &in, &F), 0);

	assert_int_equal(org_node_history(S, t.y1, &h, &F), 0);
	assert_int_equal(h.n, 7);
	assert_string_equal(h.items[0].action, "create");
	assert_int_equal(h.items[0].new_parent_id, t.c1);
	assert_string_equal(h.items[0].new_name, "一号院");

	assert_string_equal(h.items[1].action, "rename");
	assert_string_equal(h.items[1].old_name, "一号院");
	assert_string_equal(h.items[1].new_name, "一号院（东）");

	assert_string_equal(h.items[2].action, "move");
	assert_int_equal(h.items[2].old_parent_id, t.c1);
	assert_int_equal(h.items[2].new_parent_id, t.c2);

	assert_string_equal(h.items[3].action, "rename");
	assert_string_equal(h.items[3].old_name, "一号院（东）");
	assert_string_equal(h.items[3].new_name, "东院");

	assert_string_equal(h.items[4].action, "move");
	assert_int_equal(h.items[4].old_parent_id, t.c2);
	assert_int_equal(h.items[4].new_parent_id, t.c1);

	assert_string_equal(h.items[5].action, "move");
	assert_int_equal(h.items[5].old_parent_id, t.c1);
	assert_int_equal(h.items[5].new_parent_id, t.c2);
	assert_string_equal(h.items[5].detail, "重新划片");
	assert_string_equal(h.items[6].action, "rename");
	assert_string_equal(h.items[6].old_name, "东院");
	assert_string_equal(h.items[6].new_name, "西院");
	for (size_t i = 1; i < h.n; i++) {
		assert_true(h.items[i].id > h.items[i - 1].id);
		assert_true(strcmp(h.items[i].at, h.items[i - 1].at) >= 0);
	}
	node_history_release(&h);

	/* other nodes' history is their own: the moved subtree records nothing */
	assert_int_equal(org_node_history(S, t.h1, &h, &F), 0);
	assert_int_equal(h.n, 1);
	node_history_release(&h);
	assert_int_equal(org_node_history(S, 9999, &h, &F), -1);
	expect_fault(FAULT_NOT_FOUND, "id");
}

static void test_history_of_other_updates(void **state)
{
	struct node_input in;
	struct node_history h;
	struct tree t;

	(void)state;
	build_tree(&t);
	memset(&in, 0, sizeof(in));
	in.code = "y1-new";
	in.kind = "dormitory";
	assert_int_equal(org_node_update(S, t.y1, &in, &F), 0);
	assert_int_equal(org_node_history(S, t.y1, &h, &F), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.items[1].action, "update");
	assert_non_null(strstr(h.items[1].detail, "y1-new"));
	assert_non_null(strstr(h.items[1].detail, "dormitory"));
	node_history_release(&h);
	/* a refused rename records nothing */
	assert_int_equal(rename_node(t.y1, ""), -1);
	expect_fault(FAULT_INVALID, "name");
	assert_int_equal(org_node_history(S, t.y1, &h, &F), 0);
	assert_int_equal(h.n, 2);
	node_history_release(&h);
}

/* ---- party organisations ---- */

static int party_create(int64_t node, const char *name, int64_t *id)
{
	struct party_org_input in;

	memset(&in, 0, sizeof(in));
	in.node_id = node;
	in.name = name;
	fault_clear(&F);
	return org_party_create(S, &in, id, &F);
}

static void test_party_kind_follows_level(void **state)
{
	struct tree t;
	struct {
		int64_t node;
		const char *kind;
	} want[7];
	size_t i;

	(void)state;
	build_tree(&t);
	want[0].node = t.sd, want[0].kind = "working_committee";
	want[1].node = t.c1, want[1].kind = "general_branch";
	want[2].node = t.y1, want[2].kind = "courtyard_branch";
	want[3].node = t.b1, want[3].kind = "building_group";
	want[4].node = t.h1, want[4].kind = "central_household";
	for (i = 0; i < 5; i++) {
		struct party_org p;
		int64_t id = 0;

		if (party_create(want[i].node, NULL, &id) < 0)
			fail_msg("party org of node %" PRId64 ": %s", want[i].node, F.message);
		assert_int_equal(org_party_get(S, id, &p, &F), 0);
		assert_string_equal(p.kind, want[i].kind);
		assert_int_equal(p.node_id, want[i].node);
		assert_int_equal(p.subdistrict_id, t.sd);
		party_org_release(&p);
		assert_int_equal(org_party_get_by_node(S, want[i].node, &p, &F), 0);
		assert_int_equal(p.id, id);
		party_org_release(&p);
	}
	assert_string_equal(party_org_kind_for(LEVEL_SUBDISTRICT), "working_committee");
	assert_string_equal(party_org_kind_for(LEVEL_BUILDING), "building_group");
	/* a stairwell unit has none of its own */
	assert_null(party_org_kind_for(LEVEL_UNIT));
	assert_null(party_org_kind_for(LEVEL_NONE));
	assert_int_equal(party_create(t.u1, NULL, NULL), -1);
	expect_fault(FAULT_INVALID, "node_id");
	assert_int_equal(count_rows("SELECT COUNT(*) FROM party_orgs"), 5);
}

static void test_party_default_name(void **state)
{
	struct party_org p;
	struct tree t;
	int64_t id = 0;

	(void)state;
	build_tree(&t);
	assert_int_equal(party_create(t.c1, NULL, &id), 0);
	assert_int_equal(org_party_get(S, id, &p, &F), 0);
	/* the node's name followed by the level's suffix */
	assert_string_equal(p.name, "幸福社区党总支");
	party_org_release(&p);
	assert_int_equal(party_create(t.y1, "一号院联合党支部", &id), 0);
	assert_int_equal(org_party_get(S, id, &p, &F), 0);
	assert_string_equal(p.name, "一号院联合党支部");
	party_org_release(&p);
	assert_int_equal(party_create(t.y2, "", &id), -1);
	expect_fault(FAULT_INVALID, "name");
}

static void test_party_one_per_node(void **state)
{
	struct tree t;
	int64_t id = 0, id2 = 0;

	(void)state;
	build_tree(&t);
	assert_int_equal(party_create(t.y1, NULL, &id), 0);
	assert_int_equal(party_create(t.y1, "另一个支部", &id2), -1);
	expect_fault(FAULT_CONFLICT, "node_id");
	assert_int_equal(count_rows("SELECT COUNT(*) FROM party_orgs"), 1);
	assert_int_equal(party_create(4242, NULL, &id2), -1);
	expect_fault(FAULT_INVALID, "node_id");
	assert_int_equal(party_create(0, NULL, &id2), -1);
	expect_fault(FAULT_INVALID, "node_id");
	assert_false(store_in_transaction(S));
}

static void test_party_founded_and_secretary(void **state)
{
	struct party_org_input in;
	struct party_org p;
	struct tree t;
	int64_t id = 0;

	(void)state;
	build_tree(&t);
	memset(&in, 0, sizeof(in));
	in.node_id = t.c1;
	in.set_founded = 1;
	in.founded_on = "2021-02-30";
	assert_int_equal(org_party_create(S, &in, &id, &F), -1);
	expect_fault(FAULT_INVALID, "founded_on");
	in.founded_on = "2199-01-01";
	assert_int_equal(org_party_create(S, &in, &id, &F), -1);
	expect_fault(FAULT_INVALID, "founded_on");
	in.founded_on = "2021-07-01";
	in.set_secretary = 1;
	in.secretary_person_id = 4242;
	assert_int_equal(org_party_create(S, &in, &id, &F), -1);
	expect_fault(FAULT_INVALID, "secretary_person_id");
	assert_int_equal(count_rows("SELECT COUNT(*) FROM party_orgs"), 0);
	in.set_secretary = 0;
	assert_int_equal(org_party_create(S, &in, &id, &F), 0);
	assert_int_equal(org_party_get(S, id, &p, &F), 0);
	assert_string_equal(p.founded_on, "2021-07-01");
	assert_int_equal(p.secretary_person_id, 0);
	party_org_release(&p);
}

static void test_party_update(void **state)
{
	struct party_org_input in;
	struct party_org p;
	struct tree t;
	int64_t id = 0;

	(void)state;
	build_tree(&t);
	assert_int_equal(party_create(t.c1, NULL, &id), 0);
	memset(&in, 0, sizeof(in));
	in.name = "幸福社区党委";
	in.set_founded = 1;
	in.founded_on = "2019-05-04";
	assert_int_equal(org_party_update(S, id, &in, &F), 0);
	assert_int_equal(org_party_get(S, id, &p, &F), 0);
	assert_string_equal(p.name, "幸福社区党委");
	assert_string_equal(p.founded_on, "2019-05-04");
	assert_string_equal(p.kind, "general_branch");
	party_org_release(&p);
	/* it cannot move to another node */
	memset(&in, 0, sizeof(in));
	in.node_id = t.c2;
	assert_int_equal(org_party_update(S, id, &in, &F), -1);
	expect_fault(FAULT_INVALID, "node_id");
	memset(&in, 0, sizeof(in));
	assert_int_equal(org_party_update(S, 999, &in, &F), -1);
	expect_fault(FAULT_NOT_FOUND, "id");
}

/* A refused secretary on update is reported and changes nothing (and frees what it read). */
static void test_party_update_bad_secretary(void **state)
{
	struct party_org_input in;
	struct party_org p;
	struct tree t;
	int64_t id = 0;

	(void)state;
	build_tree(&t);
	assert_int_equal(party_create(t.c1, NULL, &id), 0);
	memset(&in, 0, sizeof(in));
	in.name = "不该写入";
	in.set_secretary = 1;
	in.secretary_person_id = 4242;
	assert_int_equal(org_party_update(S, id, &in, &F), -1);
	expect_fault(FAULT_INVALID, "secretary_person_id");
	assert_int_equal(org_party_get(S, id, &p, &F), 0);
	assert_string_equal(p.name, "幸福社区党总支");
	party_org_release(&p);
	assert_false(store_in_transaction(S));
}

static void test_party_list_under(void **state)
{
	struct party_org_list l;
	struct tree t;

	(void)state;
	build_tree(&t);
	assert_int_equal(party_create(t.sd, NULL, NULL), 0);
	assert_int_equal(party_create(t.c1, NULL, NULL), 0);
	assert_int_equal(party_create(t.c2, NULL, NULL), 0);
	assert_int_equal(party_create(t.y1, NULL, NULL), 0);
	assert_int_equal(party_create(t.h1, NULL, NULL), 0);
	assert_int_equal(org_party_list(S, t.c1, NULL, 0, 0, &l, &F), 0);
	assert_int_equal(l.total, 3);	/* c1 itself, y1, h1 */
	party_org_list_release(&l);
	assert_int_equal(org_party_list(S, 0, "general_branch", 0, 0, &l, &F), 0);
	assert_int_equal(l.total, 2);
	party_org_list_release(&l);
	/* after a move the party organisation of the moved courtyard counts under its new community */
	assert_int_equal(move(t.y1, t.c2), 0);
	assert_int_equal(org_party_list(S, t.c2, NULL, 0, 0, &l, &F), 0);
	assert_int_equal(l.total, 3);	/* c2, y1, h1 */
	party_org_list_release(&l);
	assert_int_equal(org_party_list(S, t.c1, NULL, 0, 0, &l, &F), 0);
	assert_int_equal(l.total, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].node_id, t.c1);
	party_org_list_release(&l);
}

/* ---- grids ---- */

static void test_grid_code_valid(void **state)
{
	static const char *good[] = { "370102001001001", "370102001001999", "000000000000001" };
	static const char *bad[] = { "", "37010200100100", "3701020010010010", "370102001001000",
				     "37010200100100a", "370102 01001001", "３70102001001001", "-37010200100101" };
	size_t i;

	(void)state;
	for (i = 0; i < YL_ARRAY_LEN(good); i++)
		if (!grid_code_valid(good[i]))
			fail_msg("grid code %s refused", good[i]);
	for (i = 0; i < YL_ARRAY_LEN(bad); i++)
		if (grid_code_valid(bad[i]))
			fail_msg("grid code '%s' accepted", bad[i]);
	assert_false(grid_code_valid(NULL));
}

static int grid_create(int64_t community, const char *code, const char *name, const int64_t *nodes, size_t n,
		       int64_t *id)
{
	struct grid_input in;

	memset(&in, 0, sizeof(in));
	in.community_id = community;
	in.code = code;
	in.name = name;
	in.set_nodes = nodes != NULL;
	in.node_ids = nodes;
	in.nnodes = n;
	fault_clear(&F);
	return org_grid_create(S, &in, id, &F);
}

static void test_grid_create_and_get(void **state)
{
	struct grid g;
	struct tree t;
	int64_t id = 0;

	(void)state;
	build_tree(&t);
	{
		int64_t nodes[] = { t.b2, t.y1 };

		assert_int_equal(grid_create(t.c1, "370102001001001", "第一网格", nodes, 2, &id), 0);
	}
	assert_int_equal(org_grid_get(S, id, &g, &F), 0);
	assert_int_equal(g.community_id, t.c1);
	assert_int_equal(g.subdistrict_id, t.sd);
	assert_string_equal(g.code, "370102001001001");
	assert_string_equal(g.name, "第一网格");
	assert_int_equal(g.nnodes, 2);
	assert_int_equal(g.node_ids[0], t.y1 < t.b2 ? t.y1 : t.b2);
	assert_int_equal(g.node_ids[1], t.y1 < t.b2 ? t.b2 : t.y1);
	grid_release(&g);
	assert_int_equal(org_grid_get(S, 999, &g, &F), -1);
	expect_fault(FAULT_NOT_FOUND, "id");
}

static void test_grid_refusals(void **state)
{
	struct tree t;
	int64_t id = 0;

	(void)state;
	build_tree(&t);
	assert_int_equal(grid_create(t.c1, "370102001001001", "网格", NULL, 0, &id), 0);
	/* code format and uniqueness */
	assert_int_equal(grid_create(t.c1, "37010200100100", "网格", NULL, 0, &id), -1);
	expect_fault(FAULT_INVALID, "code");
	assert_int_equal(grid_create(t.c1, "370102001001000", "网格", NULL, 0, &id), -1);
	expect_fault(FAULT_INVALID, "code");
	assert_int_equal(grid_create(t.c2, "370102001001001", "网格", NULL, 0, &id), -1);
	expect_fault(FAULT_CONFLICT, "code");
	/* required fields */
	assert_int_equal(grid_create(t.c1, NULL, "网格", NULL, 0, &id), -1);
	expect_fault(FAULT_INVALID, "code");
	assert_int_equal(grid_create(t.c1, "370102001001002", NULL, NULL, 0, &id), -1);
	expect_fault(FAULT_INVALID, "name");
	assert_int_equal(grid_create(t.c1, "370102001001002", "", NULL, 0, &id), -1);
	expect_fault(FAULT_INVALID, "name");
	/* over a community, nothing else */
	assert_int_equal(grid_create(t.y1, "370102001001002", "网格", NULL, 0, &id), -1);
	expect_fault(FAULT_INVALID, "community_id");
	assert_int_equal(grid_create(t.sd, "370102001001002", "网格", NULL, 0, &id), -1);
	expect_fault(FAULT_INVALID, "community_id");
	assert_int_equal(grid_create(4242, "370102001001002", "网格", NULL, 0, &id), -1);
	expect_fault(FAULT_INVALID, "community_id");
	assert_int_equal(grid_create(0, "370102001001002", "网格", NULL, 0, &id), -1);
	expect_fault(FAULT_INVALID, "community_id");
	/* nodes: courtyards and buildings of that community only */
	{
		int64_t outside[] = { t.y1, t.y3 };
		int64_t household[] = { t.h1 };
		int64_t unit[] = { t.u1 };
		int64_t community[] = { t.c1 };
		int64_t twice[] = { t.y1, t.b1, t.y1 };
		int64_t missing[] = { 4242 };

		assert_int_equal(grid_create(t.c1, "370102001001002", "网格", outside, 2, &id), -1);
		expect_fault(FAULT_INVALID, "node_ids");
		assert_int_equal(grid_create(t.c1, "370102001001002", "网格", household, 1, &id), -1);
		expect_fault(FAULT_INVALID, "node_ids");
		assert_int_equal(grid_create(t.c1, "370102001001002", "网格", unit, 1, &id), -1);
		expect_fault(FAULT_INVALID, "node_ids");
		assert_int_equal(grid_create(t.c1, "370102001001002", "网格", community, 1, &id), -1);
		expect_fault(FAULT_INVALID, "node_ids");
		assert_int_equal(grid_create(t.c1, "370102001001002", "网格", twice, 3, &id), -1);
		expect_fault(FAULT_INVALID, "node_ids");
		assert_int_equal(grid_create(t.c1, "370102001001002", "网格", missing, 1, &id), -1);
		expect_fault(FAULT_INVALID, "node_ids");
	}
	/* nothing half-written */
	assert_int_equal(count_rows("SELECT COUNT(*) FROM grids"), 1);
	assert_int_equal(count_rows("SELECT COUNT(*) FROM grid_nodes"), 0);
	assert_false(store_in_transaction(S));
}

/* Whether a node is inside the community follows moves (the closure table, not a stale copy). */
static void test_grid_nodes_follow_moves(void **state)
{
	struct grid_input in;
	struct grid g;
	struct tree t;
	int64_t id = 0;

	(void)state;
	build_tree(&t);
	assert_int_equal(grid_create(t.c2, "370102001002001", "和谐网格", NULL, 0, &id), 0);
	memset(&in, 0, sizeof(in));
	in.set_nodes = 1;
	in.node_ids = &t.y1;
	in.nnodes = 1;
	assert_int_equal(org_grid_update(S, id, &in, &F), -1);
	expect_fault(FAULT_INVALID, "node_ids");
	assert_int_equal(move(t.y1, t.c2), 0);
	assert_int_equal(org_grid_update(S, id, &in, &F), 0);
	/* and the building inside it, two levels down */
	{
		int64_t both[] = { t.y1, t.b1 };

		in.node_ids = both;
		in.nnodes = 2;
		assert_int_equal(org_grid_update(S, id, &in, &F), 0);
	}
	assert_int_equal(org_grid_get(S, id, &g, &F), 0);
	assert_int_equal(g.nnodes, 2);
	assert_string_equal(g.name, "和谐网格");
	grid_release(&g);
	/* a grid cannot change community */
	memset(&in, 0, sizeof(in));
	in.community_id = t.c1;
	assert_int_equal(org_grid_update(S, id, &in, &F), -1);
	expect_fault(FAULT_INVALID, "community_id");
}

/*
 * A grid covers nodes of its own community.  Moving a covered courtyard to another
 * community must not leave the old grid covering a node outside it: the move is
 * either refused or takes the node out of the grid, in the same transaction.
 */
static void test_move_keeps_grids_inside_their_community(void **state)
{
	static const char stray[] =
		"SELECT COUNT(*) FROM grid_nodes gn JOIN grids g ON g.id = gn.grid_id"
		" WHERE NOT EXISTS (SELECT 1 FROM node_closure c"
		"                   WHERE c.ancestor_id = g.community_id AND c.descendant_id = gn.node_id)";
	struct tree t;
	int64_t id = 0;

	(void)state;
	build_tree(&t);
	{
		int64_t nodes[] = { t.y1, t.b1 };

		assert_int_equal(grid_create(t.c1, "370102001001001", "幸福一网格", nodes, 2, &id), 0);
	}
	assert_int_equal(count_rows(stray), 0);
	if (move(t.y1, t.c2) < 0) {
		assert_true(F.kind == FAULT_CONFLICT || F.kind == FAULT_INVALID);
		assert_int_equal(org_is_within(S, t.c1, t.y1), 1);
	}
	if (count_rows(stray) != 0)
		fail_msg("after moving courtyard %" PRId64 " to community %" PRId64
			 ", grid %" PRId64 " of community %" PRId64 " still covers it",
			 t.y1, t.c2, id, t.c1);
}

static void test_grid_update_code_and_list(void **state)
{
	struct grid_input in;
	struct grid_list l;
	struct tree t;
	int64_t g1 = 0, g2 = 0;

	(void)state;
	build_tree(&t);
	{
		int64_t n1[] = { t.y1 };
		int64_t n2[] = { t.y3 };

		assert_int_equal(grid_create(t.c1, "370102001001001", "一", n1, 1, &g1), 0);
		assert_int_equal(grid_create(t.c2, "370102001002001", "二", n2, 1, &g2), 0);
	}
	memset(&in, 0, sizeof(in));
	in.code = "370102001002001";
	assert_int_equal(org_grid_update(S, g1, &in, &F), -1);
	expect_fault(FAULT_CONFLICT, "code");
	in.code = "370102001001001";	/* its own */
	assert_int_equal(org_grid_update(S, g1, &in, &F), 0);

	assert_int_equal(org_grid_list(S, t.sd, 0, 0, 0, &l, &F), 0);
	assert_int_equal(l.total, 2);
	grid_list_release(&l);
	assert_int_equal(org_grid_list(S, t.c1, 0, 0, 0, &l, &F), 0);
	assert_int_equal(l.total, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].id, g1);
	assert_int_equal(l.items[0].nnodes, 1);
	grid_list_release(&l);
	assert_int_equal(org_grid_list(S, 0, t.y3, 0, 0, &l, &F), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].id, g2);
	grid_list_release(&l);
	assert_int_equal(org_grid_list(S, 0, t.b1, 0, 0, &l, &F), 0);
	assert_int_equal(l.n, 0);
	grid_list_release(&l);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_names),
		T(test_every_level_pair),
		T(test_missing_parent_and_level),
		T(test_node_fields_round_trip),
		T(test_names_and_coordinates_checked),
		T(test_blank_names_refused),
		T(test_courtyard_kinds),
		T(test_kind_update),
		T(test_code_rules),
		T(test_code_unique),
		T(test_generated_codes),
		T(test_generated_code_does_not_collide),
		T(test_subtree_after_create),
		T(test_list_filters),
		T(test_ancestors),
		T(test_move_courtyard_with_subtree),
		T(test_move_household_between_unit_and_building),
		T(test_move_refusals),
		T(test_move_to_same_parent),
		T(test_history_in_order),
		T(test_history_of_other_updates),
		T(test_party_kind_follows_level),
		T(test_party_default_name),
		T(test_party_one_per_node),
		T(test_party_founded_and_secretary),
		T(test_party_update),
		T(test_party_update_bad_secretary),
		T(test_party_list_under),
		T(test_grid_code_valid),
		T(test_grid_create_and_get),
		T(test_grid_refusals),
		T(test_grid_nodes_follow_moves),
		T(test_move_keeps_grids_inside_their_community),
		T(test_grid_update_code_and_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
