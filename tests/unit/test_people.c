/*
 * test_people.c - the rules of src/people/: persons, roles, role sets,
 * assignments, care links and the coverage report, on a fresh database each.
 */
#include "unit.h"

#include "org/org.h"
#include "people/check.h"
#include "people/people.h"
#include "util/util.h"

/*
 * The tree every test starts from (ids in t->...):
 *
 *   sub 明水街道
 *     com 龙泉社区
 *       y1 君临天下 (courtyard)
 *         b1 1号楼: h1 101, h2 102 (directly under the building)
 *         b2 2号楼: u1 1单元: h3 101, h4 102
 *       y2 泉景 (courtyard)
 *         b3 1号楼: h5 101
 */
struct tree {
	struct store *s;
	int64_t sub, com, y1, y2, b1, b2, b3, u1, h1, h2, h3, h4, h5;
	int64_t y1_branch, central_h1;	/* party organisations */
};

static int64_t mk_party(struct store *s, int64_t node)
{
	struct party_org_input in = { 0 };
	struct fault f = { 0 };
	int64_t id = 0;

	in.node_id = node;
	if (org_party_create(s, &in, &id, &f) < 0)
		fail_msg("party org on %lld: %s", (long long)node, f.message);
	return id;
}

static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	t->s = unit_db_open();
	if (!t->s) {
		free(t);
		return -1;
	}
	t->sub = unit_node(t->s, 0, LEVEL_SUBDISTRICT, "明水街道");
	t->com = unit_node(t->s, t->sub, LEVEL_COMMUNITY, "龙泉社区");
	t->y1 = unit_node(t->s, t->com, LEVEL_COURTYARD, "君临天下");
	t->y2 = unit_node(t->s, t->com, LEVEL_COURTYARD, "泉景");
	t->b1 = unit_node(t->s, t->y1, LEVEL_BUILDING, "1号楼");
	t->b2 = unit_node(t->s, t->y1, LEVEL_BUILDING, "2号楼");
	t->b3 = unit_node(t->s, t->y2, LEVEL_BUILDING, "1号楼");
	t->u1 = unit_node(t->s, t->b2, LEVEL_UNIT, "1单元");
	t->h1 = unit_node(t->s, t->b1, LEVEL_HOUSEHOLD, "101");
	t->h2 = unit_node(t->s, t->b1, LEVEL_HOUSEHOLD, "102");
	t->h3 = unit_node(t->s, t->u1, LEVEL_HOUSEHOLD, "101");
	t->h4 = unit_node(t->s, t->u1, LEVEL_HOUSEHOLD, "102");
	t->h5 = unit_node(t->s, t->b3, LEVEL_HOUSEHOLD, "101");
	t->y1_branch = mk_party(t->s, t->y1);
	t->central_h1 = mk_party(t->s, t->h1);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;

	unit_db_close(t->s);
	free(t);
	return 0;
}

/* Asserts that the call failed with this kind and field. */
#define assert_fault(call, f, k, fld)                                  \
	do {                                                           \
		fault_clear(&(f));                                     \
		assert_int_equal((call), -1);                          \
		if ((f).kind != (k) || strcmp((f).field, (fld)) != 0)  \
			fail_msg("expected %d/%s, got %d/%s: %s", (k), \
				 (fld), (f).kind, (f).field,           \
				 (f).message);                         \
	} while (0)

static int64_t mk_person(struct tree *t, const char *name, int64_t home)
{
	struct person_input in = { 0 };
	struct fault f = { 0 };
	int64_t id = 0;

	in.name = name;
	in.home_node_id = home;
	if (people_person_create(t->s, &in, &id, &f) < 0)
		fail_msg("person %s: %s", name, f.message);
	return id;
}

static int64_t role_id(struct tree *t, const char *code)
{
	struct fault f = { 0 };
	struct role r;
	int64_t id;

	if (people_role_get_by_code(t->s, code, &r, &f) < 0)
		fail_msg("role %s: %s", code, f.message);
	id = r.id;
	role_release(&r);
	return id;
}

static int64_t assign(struct tree *t, int64_t person, const char *code, int64_t node, const char *from,
		      const char *to, struct fault *f)
{
	struct assignment_input in = { 0 };
	int64_t id = 0;

	in.person_id = person;
	in.role_code = code;
	in.node_id = node;
	in.starts_on = from;
	in.ends_on = to;
	if (people_assignment_create(t->s, &in, &id, f) < 0)
		return -1;
	return id;
}

/* Phones. */

static void test_phone(void **state)
{
	struct fault f = { 0 };
	char *out = NULL;

	YL_UNUSED(state);
	assert_int_equal(phone_normalise("phone", "138 1234 5678", &out, &f), 0);
	assert_string_equal(out, "13812345678");
	free(out);
	assert_int_equal(phone_normalise("phone", "0531-88888888", &out, &f), 0);
	assert_string_equal(out, "0531-88888888");
	free(out);
	assert_int_equal(phone_normalise("phone", "010 1234567", &out, &f), 0);
	assert_string_equal(out, "0101234567");
	free(out);
	assert_int_equal(phone_normalise("phone", "   ", &out, &f), 0);
	assert_null(out);
	assert_int_equal(phone_normalise("phone", NULL, &out, &f), 0);
	assert_null(out);
	assert_fault(phone_normalise("phone", "12812345678", &out, &f), f, FAULT_INVALID, "phone");	/* 12x */
	assert_fault(phone_normalise("phone", "1381234567", &out, &f), f, FAULT_INVALID, "phone");	/* 10 digits */
	assert_fault(phone_normalise("phone", "138123456789", &out, &f), f, FAULT_INVALID, "phone");
	assert_fault(phone_normalise("phone", "0531-123", &out, &f), f, FAULT_INVALID, "phone");
	assert_fault(phone_normalise("phone", "5311-88888888", &out, &f), f, FAULT_INVALID, "phone");
	assert_fault(phone_normalise("phone", "138-1234-5678", &out, &f), f, FAULT_INVALID, "phone");
	assert_null(out);
}

static void test_code(void **state)
{
	YL_UNUSED(state);
	assert_true(people_code_valid("building_head"));
	assert_true(people_code_valid("a1"));
	assert_false(people_code_valid(""));
	assert_false(people_code_valid("Building"));
	assert_false(people_code_valid("a-b"));
	assert_false(people_code_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));	/* 41 */
}

/* Persons. */

static void test_person_create_and_get(void **state)
{
	struct tree *t = *state;
	const char *tags[] = { "退休", "老党员", "退休" };
	struct person_input in = { 0 };
	struct fault f = { 0 };
	struct person p;
	int64_t id;

	in.name = "张三";
	in.phone = "138 0000 1111";
	in.gender = "male";
	in.birth_year = 1958;
	in.home_node_id = t->h1;
	in.tags = tags;
	in.ntags = 3;
	in.party_member = 1;
	in.living_org_id = t->y1_branch;
	in.member_org_name = "济南市某局机关党支部";
	in.registered_on = "2022-03-01";
	assert_int_equal(people_person_create(t->s, &in, &id, &f), 0);
	assert_int_equal(people_person_get(t->s, id, &p, &f), 0);
	assert_string_equal(p.name, "张三");
	assert_string_equal(p.phone, "13800001111");
	assert_string_equal(p.gender, "male");
	assert_int_equal(p.birth_year, 1958);
	assert_int_equal(p.home_node_id, t->h1);
	assert_int_equal(p.subdistrict_id, t->sub);
	assert_int_equal(p.ntags, 2);	/* a repeated tag is kept once, sorted */
	assert_string_equal(p.tags[0], "老党员");
	assert_string_equal(p.tags[1], "退休");
	assert_true(p.party_member);
	assert_int_equal(p.living_org_id, t->y1_branch);
	assert_string_equal(p.member_org_name, "济南市某局机关党支部");
	assert_int_equal(p.member_org_id, 0);
	assert_string_equal(p.registered_on, "2022-03-01");
	person_release(&p);

	assert_fault(people_person_get(t->s, 9999, &p, &f), f, FAULT_NOT_FOUND, "id");
}

static void test_person_rules(void **state)
{
	struct tree *t = *state;
	struct person_input in;
	struct fault f = { 0 };
	const char *many[21], *long_tag[] = { "一二三四五六七八九十一二三四五六七八九十一" }, *blank[] = { " " };
	char year[16], today[11];
	int64_t id;
	int i;

	memset(&in, 0, sizeof(in));
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "name");
	in.name = "  ";
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "name");
	/* 51 characters of Chinese: the limit counts characters, not bytes. */
	in.name = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一";
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "name");
	in.name = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";
	assert_int_equal(people_person_create(t->s, &in, &id, &f), 0);

	memset(&in, 0, sizeof(in));
	in.name = "李四";
	in.phone = "12345";
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "phone");
	in.phone = NULL;
	in.gender = "other";
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "gender");
	in.gender = NULL;
	in.birth_year = 1899;
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "birth_year");
	date_today_local(today);
	in.birth_year = atoi(today) + 1;
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "birth_year");
	in.birth_year = atoi(today);
	assert_int_equal(people_person_create(t->s, &in, &id, &f), 0);
	in.birth_year = 0;

	in.home_node_id = 9999;
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "home_node_id");
	in.home_node_id = t->com;
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "home_node_id");
	in.home_node_id = t->y2;	/* a courtyard is a home (dormitories) */
	assert_int_equal(people_person_create(t->s, &in, &id, &f), 0);
	in.home_node_id = 0;

	for (i = 0; i < 21; i++) {
		snprintf(year, sizeof(year), "t%d", i);
		many[i] = xstrdup(year);
	}
	in.tags = many;
	in.ntags = 21;
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "tags");
	in.ntags = 20;
	assert_int_equal(people_person_create(t->s, &in, &id, &f), 0);
	for (i = 0; i < 21; i++)
		free((char *)many[i]);
	in.tags = long_tag;
	in.ntags = 1;
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "tags");
	in.tags = blank;
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "tags");
	in.tags = NULL;
	in.ntags = 0;

	/* Party fields are for party members only. */
	in.living_org_id = t->y1_branch;
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "living_org_id");
	in.living_org_id = 0;
	in.registered_on = "2020-01-01";
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "registered_on");
	in.party_member = 1;
	in.registered_on = "2020-02-30";
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "registered_on");
	in.registered_on = "2200-01-01";
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "registered_on");
	in.registered_on = NULL;
	in.member_org_id = 9999;
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "member_org_id");
	in.member_org_id = t->y1_branch;
	in.member_org_name = "elsewhere";
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "member_org_name");
	in.member_org_name = NULL;
	in.living_org_id = 9999;
	assert_fault(people_person_create(t->s, &in, &id, &f), f, FAULT_INVALID, "living_org_id");
	in.living_org_id = t->y1_branch;
	assert_int_equal(people_person_create(t->s, &in, &id, &f), 0);
}

static void test_person_update(void **state)
{
	struct tree *t = *state;
	const char *tags[] = { "志愿者" };
	struct person_input in = { 0 };
	struct fault f = { 0 };
	struct person p;
	int64_t id;

	in.name = "王五";
	in.phone = "0531-88888888";
	in.home_node_id = t->h2;
	in.party_member = 1;
	in.member_org_id = t->y1_branch;
	in.living_org_id = t->y1_branch;
	assert_int_equal(people_person_create(t->s, &in, &id, &f), 0);

	/* Leaves what it does not name; clears what it sets to NULL; replaces the tags. */
	memset(&in, 0, sizeof(in));
	in.set_phone = 1;
	in.tags = tags;
	in.ntags = 1;
	in.set_tags = 1;
	in.member_org_name = "外单位党支部";
	assert_int_equal(people_person_update(t->s, id, &in, &f), 0);
	assert_int_equal(people_person_get(t->s, id, &p, &f), 0);
	assert_string_equal(p.name, "王五");
	assert_null(p.phone);
	assert_int_equal(p.ntags, 1);
	assert_string_equal(p.tags[0], "志愿者");
	assert_int_equal(p.member_org_id, 0);	/* the membership moved outside the tree */
	assert_string_equal(p.member_org_name, "外单位党支部");
	assert_int_equal(p.living_org_id, t->y1_branch);
	person_release(&p);

	/* No longer a member: the party fields go with it, and cannot be set alongside. */
	memset(&in, 0, sizeof(in));
	in.set_party_member = 1;
	in.party_member = 0;
	in.living_org_id = t->y1_branch;
	assert_fault(people_person_update(t->s, id, &in, &f), f, FAULT_INVALID, "living_org_id");
	in.living_org_id = 0;
	assert_int_equal(people_person_update(t->s, id, &in, &f), 0);
	assert_int_equal(people_person_get(t->s, id, &p, &f), 0);
	assert_false(p.party_member);
	assert_int_equal(p.living_org_id, 0);
	assert_null(p.member_org_name);
	person_release(&p);

	/* Moving home changes the subdistrict; moving out of the tree clears it. */
	memset(&in, 0, sizeof(in));
	in.set_home = 1;
	assert_int_equal(people_person_update(t->s, id, &in, &f), 0);
	assert_int_equal(people_person_get(t->s, id, &p, &f), 0);
	assert_int_equal(p.home_node_id, 0);
	assert_int_equal(p.subdistrict_id, 0);
	person_release(&p);

	memset(&in, 0, sizeof(in));
	in.name = "";
	assert_fault(people_person_update(t->s, id, &in, &f), f, FAULT_INVALID, "name");
	in.name = "x";
	assert_fault(people_person_update(t->s, 9999, &in, &f), f, FAULT_NOT_FOUND, "id");
}

static void test_person_list(void **state)
{
	struct tree *t = *state;
	const char *tags_a[] = { "低保", "独居" }, *tags_b[] = { "独居" };
	struct person_filter flt = { 0 };
	struct person_input in = { 0 };
	struct person_list l;
	struct fault f = { 0 };
	int64_t a, b, c;

	in.name = "赵一";
	in.home_node_id = t->h1;
	in.tags = tags_a;
	in.ntags = 2;
	in.party_member = 1;
	in.living_org_id = t->y1_branch;
	assert_int_equal(people_person_create(t->s, &in, &a, &f), 0);
	memset(&in, 0, sizeof(in));
	in.name = "赵二";
	in.home_node_id = t->h3;
	in.tags = tags_b;
	in.ntags = 1;
	assert_int_equal(people_person_create(t->s, &in, &b, &f), 0);
	c = mk_person(t, "钱三", t->h5);
	assert_true(assign(t, c, "building_head", t->b3, "2020-01-01", NULL, &f) > 0);

	flt.party_member = -1;
	assert_int_equal(people_person_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 3);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.items[0].ntags, 2);	/* tags loaded for list rows too */
	assert_string_equal(l.items[1].tags[0], "独居");
	assert_int_equal(l.items[2].ntags, 0);
	person_list_release(&l);

	flt.under_id = t->y1;
	assert_int_equal(people_person_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 2);
	person_list_release(&l);
	flt.under_id = t->h1;	/* the node itself counts */
	assert_int_equal(people_person_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 1);
	person_list_release(&l);
	flt.under_id = 0;

	flt.q = "赵";
	flt.limit = 1;
	flt.offset = 1;
	assert_int_equal(people_person_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 2);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].id, b);
	person_list_release(&l);
	memset(&flt, 0, sizeof(flt));
	flt.party_member = -1;

	flt.tag = "独居";
	assert_int_equal(people_person_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 2);
	person_list_release(&l);
	flt.tag = NULL;
	flt.party_member = 1;
	assert_int_equal(people_person_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 1);
	assert_int_equal(l.items[0].id, a);
	person_list_release(&l);
	flt.party_member = 0;
	assert_int_equal(people_person_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 2);
	person_list_release(&l);
	flt.party_member = -1;
	flt.living_org_id = t->y1_branch;
	assert_int_equal(people_person_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 1);
	person_list_release(&l);
	flt.living_org_id = 0;
	flt.role_code = "building_head";
	assert_int_equal(people_person_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 1);
	assert_int_equal(l.items[0].id, c);
	person_list_release(&l);
}

/* Roles and role sets. */

static void test_roles(void **state)
{
	struct tree *t = *state;
	struct role_input in = { 0 };
	struct role_list l;
	struct fault f = { 0 };
	struct role r;
	int64_t id;
	size_t n_active, i;
	int found;

	in.code = "Patrol";
	in.name = "巡逻员";
	in.levels = "courtyard";
	assert_fault(people_role_create(t->s, &in, &id, &f), f, FAULT_INVALID, "code");
	in.code = "building_head";
	assert_fault(people_role_create(t->s, &in, &id, &f), f, FAULT_CONFLICT, "code");
	in.code = "patrol";
	in.levels = "courtyard,yard";
	assert_fault(people_role_create(t->s, &in, &id, &f), f, FAULT_INVALID, "levels");
	in.levels = "courtyard,";
	assert_fault(people_role_create(t->s, &in, &id, &f), f, FAULT_INVALID, "levels");
	in.levels = "";
	assert_fault(people_role_create(t->s, &in, &id, &f), f, FAULT_INVALID, "levels");
	in.levels = NULL;
	assert_fault(people_role_create(t->s, &in, &id, &f), f, FAULT_INVALID, "levels");
	in.levels = "building, courtyard,building";
	in.name = NULL;
	assert_fault(people_role_create(t->s, &in, &id, &f), f, FAULT_INVALID, "name");
	in.name = "巡逻员";
	assert_int_equal(people_role_create(t->s, &in, &id, &f), 0);
	assert_int_equal(people_role_get(t->s, id, &r, &f), 0);
	assert_string_equal(r.levels, "courtyard,building");	/* tree order, no repeats */
	assert_true(r.active);
	assert_false(r.needs_platform);
	assert_null(r.name_en);
	role_release(&r);

	assert_int_equal(people_role_list(t->s, 0, &l, &f), 0);
	n_active = l.n;
	role_list_release(&l);

	memset(&in, 0, sizeof(in));
	in.code = "other";
	assert_fault(people_role_update(t->s, id, &in, &f), f, FAULT_INVALID, "code");
	in.code = NULL;
	in.set_active = 1;
	in.active = 0;
	in.name_en = "patrol";
	assert_int_equal(people_role_update(t->s, id, &in, &f), 0);
	assert_fault(people_role_update(t->s, 9999, &in, &f), f, FAULT_NOT_FOUND, "id");
	assert_int_equal(people_role_list(t->s, 0, &l, &f), 0);
	assert_int_equal(l.n, n_active - 1);
	role_list_release(&l);
	assert_int_equal(people_role_list(t->s, 1, &l, &f), 0);
	assert_int_equal(l.n, n_active);
	for (i = 0, found = 0; i < l.n; i++)
		if (l.items[i].id == id)
			found = !l.items[i].active && strcmp(l.items[i].name_en, "patrol") == 0;
	assert_true(found);
	role_list_release(&l);

	assert_fault(people_role_get_by_code(t->s, "nope", &r, &f), f, FAULT_NOT_FOUND, "code");
}

static void test_role_sets(void **state)
{
	struct tree *t = *state;
	int64_t ids[3], id;
	struct role_set_input in = { 0 };
	struct role_set_list l;
	struct fault f = { 0 };
	struct role_set rs;

	assert_int_equal(people_role_set_list(t->s, &l, &f), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].code, "san_zhang_si_yuan");
	assert_int_equal(l.items[0].nroles, 7);	/* three heads and four officers */
	role_set_list_release(&l);

	ids[0] = role_id(t, "grid_member");
	ids[1] = role_id(t, "mobile_grid_member");
	ids[2] = ids[0];
	in.code = "grid";
	in.name = "网格力量";
	in.role_ids = ids;
	in.nroles = 3;
	in.set_roles = 1;
	assert_fault(people_role_set_create(t->s, &in, &id, &f), f, FAULT_INVALID, "role_ids");
	ids[2] = 9999;
	assert_fault(people_role_set_create(t->s, &in, &id, &f), f, FAULT_INVALID, "role_ids");
	in.nroles = 2;
	in.code = "san_zhang_si_yuan";
	assert_fault(people_role_set_create(t->s, &in, &id, &f), f, FAULT_CONFLICT, "code");
	in.code = "Grid";
	assert_fault(people_role_set_create(t->s, &in, &id, &f), f, FAULT_INVALID, "code");
	in.code = "grid";
	assert_int_equal(people_role_set_create(t->s, &in, &id, &f), 0);
	assert_int_equal(people_role_set_get(t->s, id, &rs, &f), 0);
	assert_int_equal(rs.nroles, 2);
	role_set_release(&rs);

	memset(&in, 0, sizeof(in));
	in.set_roles = 1;	/* an empty set is allowed */
	in.name = "网格";
	assert_int_equal(people_role_set_update(t->s, id, &in, &f), 0);
	assert_int_equal(people_role_set_get(t->s, id, &rs, &f), 0);
	assert_int_equal(rs.nroles, 0);
	assert_string_equal(rs.name, "网格");
	role_set_release(&rs);
	assert_fault(people_role_set_get(t->s, 9999, &rs, &f), f, FAULT_NOT_FOUND, "id");
	assert_fault(people_role_set_update(t->s, 9999, &in, &f), f, FAULT_NOT_FOUND, "id");
}

/* Assignments. */

static void test_assignment_rules(void **state)
{
	struct tree *t = *state;
	struct assignment_input in = { 0 };
	struct role_input rin = { 0 };
	struct fault f = { 0 };
	struct assignment a;
	char today[11];
	int64_t p = mk_person(t, "孙楼长", t->h1), id;

	assert_fault(assign(t, 9999, "building_head", t->b1, NULL, NULL, &f), f, FAULT_INVALID, "person_id");
	assert_fault(assign(t, p, "nope", t->b1, NULL, NULL, &f), f, FAULT_INVALID, "role_code");
	assert_fault(assign(t, p, "building_head", 9999, NULL, NULL, &f), f, FAULT_INVALID, "node_id");
	/* The role's levels: a building head sits on a building. */
	assert_fault(assign(t, p, "building_head", t->h1, NULL, NULL, &f), f, FAULT_INVALID, "node_id");
	assert_non_null(strstr(f.message, "building"));
	assert_fault(assign(t, p, "building_head", t->b1, "2024-05-01", "2024-04-30", &f), f, FAULT_INVALID, "ends_on");
	assert_fault(assign(t, p, "building_head", t->b1, "2024-02-30", NULL, &f), f, FAULT_INVALID, "starts_on");

	/* starts_on defaults to today. */
	id = assign(t, p, "unit_head", t->u1, NULL, NULL, &f);
	assert_true(id > 0);
	assert_int_equal(people_assignment_get(t->s, id, &a, &f), 0);
	date_today_local(today);
	assert_string_equal(a.starts_on, today);
	assert_null(a.ends_on);
	assert_string_equal(a.role_code, "unit_head");
	assert_string_equal(a.person_name, "孙楼长");
	assert_int_equal(a.subdistrict_id, t->sub);
	assignment_release(&a);

	/* Role by id, and id and code that disagree. */
	in.person_id = p;
	in.role_id = role_id(t, "courtyard_head");
	in.node_id = t->y1;
	in.role_code = "building_head";
	assert_fault(people_assignment_create(t->s, &in, &id, &f), f, FAULT_INVALID, "role_code");
	in.role_code = NULL;
	assert_int_equal(people_assignment_create(t->s, &in, &id, &f), 0);

	/* An inactive role takes no new holders. */
	rin.set_active = 1;
	rin.active = 0;
	assert_int_equal(people_role_update(t->s, role_id(t, "mediator"), &rin, &f), 0);
	assert_fault(assign(t, p, "mediator", t->y1, NULL, NULL, &f), f, FAULT_INVALID, "role_code");
}

static void test_assignment_platform(void **state)
{
	struct tree *t = *state;
	struct assignment_input in = { 0 };
	struct fault f = { 0 };
	struct assignment a;
	int64_t p = mk_person(t, "周骑手", 0), id;

	in.person_id = p;
	in.role_code = "mobile_grid_member";
	in.node_id = t->com;
	assert_fault(people_assignment_create(t->s, &in, &id, &f), f, FAULT_INVALID, "worker_type");
	in.worker_type = "driver";
	assert_fault(people_assignment_create(t->s, &in, &id, &f), f, FAULT_INVALID, "worker_type");
	in.worker_type = "rider";
	assert_fault(people_assignment_create(t->s, &in, &id, &f), f, FAULT_INVALID, "platform");
	in.platform = "美团";
	assert_int_equal(people_assignment_create(t->s, &in, &id, &f), 0);

	/* A change of platform is an update; the fields stay mobile-grid-only. */
	memset(&in, 0, sizeof(in));
	in.platform = "饿了么";
	assert_int_equal(people_assignment_update(t->s, id, &in, &f), 0);
	assert_int_equal(people_assignment_get(t->s, id, &a, &f), 0);
	assert_string_equal(a.platform, "饿了么");
	assert_string_equal(a.worker_type, "rider");
	assignment_release(&a);

	memset(&in, 0, sizeof(in));
	in.person_id = p;
	in.role_code = "grid_member";
	in.node_id = t->com;
	in.worker_type = "courier";
	assert_fault(people_assignment_create(t->s, &in, &id, &f), f, FAULT_INVALID, "worker_type");
	in.worker_type = NULL;
	in.platform = "顺丰";
	assert_fault(people_assignment_create(t->s, &in, &id, &f), f, FAULT_INVALID, "platform");
	in.platform = NULL;
	assert_int_equal(people_assignment_create(t->s, &in, &id, &f), 0);
	memset(&in, 0, sizeof(in));
	in.platform = "顺丰";
	assert_fault(people_assignment_update(t->s, id, &in, &f), f, FAULT_INVALID, "platform");
}

static void test_assignment_overlap_and_end(void **state)
{
	struct tree *t = *state;
	struct assignment_input in = { 0 };
	struct fault f = { 0 };
	struct assignment a;
	int64_t p = mk_person(t, "吴", t->h1), q = mk_person(t, "郑", t->h2), first, second;

	first = assign(t, p, "building_head", t->b1, "2023-01-01", NULL, &f);
	assert_true(first > 0);
	assert_fault(assign(t, p, "building_head", t->b1, "2024-01-01", NULL, &f), f, FAULT_CONFLICT, "starts_on");
	assert_fault(assign(t, p, "building_head", t->b1, "2022-01-01", "2023-01-01", &f), f, FAULT_CONFLICT,
		     "starts_on");
	/* Before it, another node, or another person: no conflict. */
	assert_true(assign(t, p, "building_head", t->b1, "2022-01-01", "2022-12-31", &f) > 0);
	assert_true(assign(t, p, "building_head", t->b2, "2023-01-01", NULL, &f) > 0);
	assert_true(assign(t, q, "building_head", t->b1, "2023-01-01", NULL, &f) > 0);

	/* End it; then a new term after the end is fine. */
	in.ends_on = "2023-12-31";
	in.note = "换届";
	assert_int_equal(people_assignment_update(t->s, first, &in, &f), 0);
	assert_int_equal(people_assignment_get(t->s, first, &a, &f), 0);
	assert_string_equal(a.ends_on, "2023-12-31");
	assert_string_equal(a.note, "换届");
	assignment_release(&a);
	second = assign(t, p, "building_head", t->b1, "2024-01-01", NULL, &f);
	assert_true(second > 0);

	/* Reopening the first would overlap the second. */
	memset(&in, 0, sizeof(in));
	in.set_ends_on = 1;
	assert_fault(people_assignment_update(t->s, first, &in, &f), f, FAULT_CONFLICT, "starts_on");
	in.set_ends_on = 0;
	in.ends_on = "2022-12-31";
	assert_fault(people_assignment_update(t->s, first, &in, &f), f, FAULT_INVALID, "ends_on");
	in.ends_on = NULL;
	in.node_id = t->b2;
	assert_fault(people_assignment_update(t->s, first, &in, &f), f, FAULT_INVALID, "node_id");
	in.node_id = 0;
	in.starts_on = "2023-02-01";
	assert_fault(people_assignment_update(t->s, first, &in, &f), f, FAULT_INVALID, "starts_on");
	in.starts_on = NULL;
	in.set_note = 1;
	assert_int_equal(people_assignment_update(t->s, first, &in, &f), 0);
	assert_int_equal(people_assignment_get(t->s, first, &a, &f), 0);
	assert_null(a.note);
	assignment_release(&a);
	assert_fault(people_assignment_update(t->s, 9999, &in, &f), f, FAULT_NOT_FOUND, "id");
	assert_fault(people_assignment_get(t->s, 9999, &a, &f), f, FAULT_NOT_FOUND, "id");
}

static void test_assignment_list(void **state)
{
	struct tree *t = *state;
	struct assignment_filter flt = { 0 };
	struct assignment_list l;
	struct fault f = { 0 };
	int64_t p = mk_person(t, "冯", t->h1), q = mk_person(t, "陈", t->h5);

	assert_true(assign(t, p, "building_head", t->b1, "2023-01-01", "2023-06-30", &f) > 0);
	assert_true(assign(t, p, "building_head", t->b2, "2023-01-01", NULL, &f) > 0);
	assert_true(assign(t, q, "building_head", t->b3, "2023-07-01", NULL, &f) > 0);
	assert_true(assign(t, q, "courtyard_head", t->y2, "2023-07-01", NULL, &f) > 0);

	assert_int_equal(people_assignment_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 4);
	assignment_list_release(&l);
	flt.person_id = p;
	assert_int_equal(people_assignment_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 2);
	assignment_list_release(&l);
	flt.person_id = 0;
	flt.role_code = "courtyard_head";
	assert_int_equal(people_assignment_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 1);
	assignment_list_release(&l);
	flt.role_code = NULL;
	flt.role_id = role_id(t, "building_head");
	assert_int_equal(people_assignment_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 3);
	assignment_list_release(&l);
	flt.role_id = 0;
	flt.under_id = t->y1;
	assert_int_equal(people_assignment_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 2);
	assignment_list_release(&l);
	flt.under_id = 0;
	flt.node_id = t->b3;
	assert_int_equal(people_assignment_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 1);
	assignment_list_release(&l);
	flt.node_id = 0;
	flt.active_on = "2023-08-01";
	assert_int_equal(people_assignment_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 3);	/* the first ended on 2023-06-30 */
	assignment_list_release(&l);
	flt.active_on = "2023-06-30";	/* the end day is still held */
	assert_int_equal(people_assignment_list(t->s, &flt, &l, &f), 0);
	assert_int_equal(l.total, 2);
	assignment_list_release(&l);
}

/* Care links. */

static void test_care(void **state)
{
	struct tree *t = *state;
	struct care_list l;
	struct care_link c;
	struct fault f = { 0 };
	int64_t id, id2;

	assert_fault(people_care_create(t->s, t->h2, t->h3, NULL, &id, &f), f, FAULT_INVALID, "central_household_id");
	assert_fault(people_care_create(t->s, t->b1, t->h3, NULL, &id, &f), f, FAULT_INVALID, "central_household_id");
	assert_fault(people_care_create(t->s, 9999, t->h3, NULL, &id, &f), f, FAULT_INVALID, "central_household_id");
	assert_fault(people_care_create(t->s, t->h1, t->h1, NULL, &id, &f), f, FAULT_INVALID, "household_id");
	assert_fault(people_care_create(t->s, t->h1, t->b2, NULL, &id, &f), f, FAULT_INVALID, "household_id");
	assert_fault(people_care_create(t->s, t->h1, 9999, NULL, &id, &f), f, FAULT_INVALID, "household_id");
	/* h5 is in the other courtyard. */
	assert_fault(people_care_create(t->s, t->h1, t->h5, NULL, &id, &f), f, FAULT_INVALID, "household_id");
	assert_fault(people_care_create(t->s, t->h1, t->h3, "2024-13-01", &id, &f), f, FAULT_INVALID, "starts_on");

	/* h3 sits under a unit of another building of the same courtyard. */
	assert_int_equal(people_care_create(t->s, t->h1, t->h3, "2024-01-01", &id, &f), 0);
	assert_fault(people_care_create(t->s, t->h1, t->h3, "2025-01-01", &id2, &f), f, FAULT_CONFLICT, "household_id");

	assert_fault(people_care_end(t->s, id, NULL, &f), f, FAULT_INVALID, "ends_on");
	assert_fault(people_care_end(t->s, id, "2023-12-31", &f), f, FAULT_INVALID, "ends_on");
	assert_fault(people_care_end(t->s, 9999, "2024-06-30", &f), f, FAULT_NOT_FOUND, "id");
	assert_int_equal(people_care_end(t->s, id, "2024-06-30", &f), 0);
	assert_fault(people_care_end(t->s, id, "2024-07-30", &f), f, FAULT_CONFLICT, "ends_on");
	assert_int_equal(people_care_get(t->s, id, &c, &f), 0);
	assert_string_equal(c.ends_on, "2024-06-30");
	assert_string_equal(c.household_name, "101");
	care_link_release(&c);

	/* A new link may start after the old one ended, not during it. */
	assert_fault(people_care_create(t->s, t->h1, t->h3, "2024-06-30", &id2, &f), f, FAULT_CONFLICT, "household_id");
	assert_int_equal(people_care_create(t->s, t->h1, t->h3, "2024-07-01", &id2, &f), 0);
	assert_int_equal(people_care_create(t->s, t->h1, t->h2, NULL, &id2, &f), 0);

	assert_int_equal(people_care_list(t->s, 0, 0, 0, 50, 0, &l, &f), 0);
	assert_int_equal(l.total, 3);
	care_list_release(&l);
	assert_int_equal(people_care_list(t->s, 0, 0, 1, 50, 0, &l, &f), 0);
	assert_int_equal(l.total, 2);
	care_list_release(&l);
	assert_int_equal(people_care_list(t->s, t->h1, t->b1, 0, 50, 0, &l, &f), 0);
	assert_int_equal(l.total, 1);
	assert_int_equal(l.items[0].household_id, t->h2);
	care_list_release(&l);
	assert_int_equal(people_care_list(t->s, 0, 0, 0, 1, 2, &l, &f), 0);
	assert_int_equal(l.total, 3);
	assert_int_equal(l.n, 1);
	care_list_release(&l);
	assert_fault(people_care_get(t->s, 9999, &c, &f), f, FAULT_NOT_FOUND, "id");
}

/* Coverage. */

static void test_coverage(void **state)
{
	struct tree *t = *state;
	struct coverage_report r;
	struct fault f = { 0 };
	int64_t p = mk_person(t, "楼长甲", t->h1), q = mk_person(t, "楼长乙", t->h5), link;

	/* Before anything: 3 buildings without a head; of 5 households only h1 (central) is covered. */
	assert_int_equal(people_coverage(t->s, t->sub, "2024-03-01", 50, &r, &f), 0);
	assert_int_equal(r.buildings, 3);
	assert_int_equal(r.buildings_without_head, 3);
	assert_int_equal(r.households, 5);
	assert_int_equal(r.households_without_central, 4);
	assert_int_equal(r.nbuildings_gaps, 3);
	assert_int_equal(r.nhousehold_gaps, 4);
	assert_int_equal(r.household_gaps[0].node_id, t->h2);
	assert_int_equal(r.household_gaps[0].courtyard_id, t->y1);
	assert_string_equal(r.household_gaps[0].courtyard_name, "君临天下");
	assert_int_equal(r.household_gaps[3].node_id, t->h5);
	assert_int_equal(r.household_gaps[3].courtyard_id, t->y2);
	coverage_release(&r);

	assert_true(assign(t, p, "building_head", t->b1, "2024-01-01", "2024-06-30", &f) > 0);
	assert_true(assign(t, q, "building_head", t->b3, "2024-04-01", NULL, &f) > 0);
	/* A unit head on b2 is not a building head. */
	assert_true(assign(t, q, "unit_head", t->b2, "2024-01-01", NULL, &f) > 0);
	assert_int_equal(people_care_create(t->s, t->h1, t->h2, "2024-02-01", &link, &f), 0);
	assert_int_equal(people_care_create(t->s, t->h1, t->h3, "2024-05-01", &link, &f), 0);

	assert_int_equal(people_coverage(t->s, t->sub, "2024-03-01", 50, &r, &f), 0);
	assert_int_equal(r.buildings_without_head, 2);	/* b2, b3 (b3's head starts in April) */
	assert_int_equal(r.buildings_gaps[0].node_id, t->b2);
	assert_int_equal(r.buildings_gaps[1].node_id, t->b3);
	assert_int_equal(r.households_without_central, 3);	/* h3, h4, h5 */
	coverage_release(&r);

	assert_int_equal(people_coverage(t->s, t->sub, "2024-07-01", 50, &r, &f), 0);
	assert_int_equal(r.buildings_without_head, 2);	/* b1 (ended), b2 */
	assert_int_equal(r.households_without_central, 2);	/* h4, h5 */
	coverage_release(&r);

	/* A subtree, and a limit that cuts the lists but not the counts. */
	assert_int_equal(people_coverage(t->s, t->y1, "2024-07-01", 1, &r, &f), 0);
	assert_int_equal(r.buildings, 2);
	assert_int_equal(r.buildings_without_head, 2);
	assert_int_equal(r.nbuildings_gaps, 1);
	assert_int_equal(r.households, 4);
	assert_int_equal(r.households_without_central, 1);
	assert_int_equal(r.nhousehold_gaps, 1);
	assert_int_equal(r.household_gaps[0].node_id, t->h4);
	coverage_release(&r);
	assert_int_equal(people_coverage(t->s, t->b3, "2024-07-01", 0, &r, &f), 0);
	assert_int_equal(r.buildings, 1);
	assert_int_equal(r.buildings_without_head, 0);
	assert_int_equal(r.households, 1);
	assert_int_equal(r.nhousehold_gaps, 0);
	coverage_release(&r);

	assert_fault(people_coverage(t->s, 9999, NULL, 10, &r, &f), f, FAULT_NOT_FOUND, "node");
	assert_fault(people_coverage(t->s, t->sub, "2024-02-30", 10, &r, &f), f, FAULT_INVALID, "on");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_code),
		cmocka_unit_test_setup_teardown(test_person_create_and_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_role_sets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assignment_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assignment_platform, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assignment_overlap_and_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assignment_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_care, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coverage, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
