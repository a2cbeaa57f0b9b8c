/*
 * import_persons.c - persons from CSV.
 *
 * Every row is a person.  A row with a phone names a person by name and phone
 * together: when a person with that name and phone exists, the row updates it
 * (only what differs; an equal row changes nothing), so importing the same file
 * again adds nobody.  A row without a phone always creates.  Places and party
 * organisations are given by node codes: home_code is the home node,
 * member_org_code and living_org_code the node whose party organisation holds
 * the membership and the one where the member lives and registered (双找).
 * As with nodes, a column present in the file is the truth for its field.
 */
#include "csvio/import.h"
#include "util/check.h"
#include "people/people.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	PC_NAME,
	PC_PHONE,
	PC_GENDER,
	PC_BIRTH_YEAR,
	PC_HOME,
	PC_TAGS,
	PC_PARTY,
	PC_MEMBER_ORG,
	PC_MEMBER_ORG_NAME,
	PC_LIVING_ORG,
	PC_REGISTERED,
	PC_COUNT
};

static const char *const name_names[] = { "姓名", "名字", NULL };
static const char *const phone_names[] = { "电话", "手机", "手机号", "联系电话", NULL };
static const char *const gender_names[] = { "性别", "sex", NULL };
static const char *const birth_names[] = { "出生年份", "出生年", NULL };
static const char *const home_names[] = { "住址编码", "住址", NULL };
static const char *const tags_names[] = { "标签", NULL };
static const char *const party_names[] = { "党员", "是否党员", NULL };
static const char *const member_org_names[] = { "党组织关系所在支部编码", "组织关系编码", NULL };
static const char *const member_org_name_names[] = { "党组织关系所在支部", "党组织关系所在支部名称", NULL };
static const char *const living_org_names[] = { "居住地支部编码", NULL };
static const char *const registered_names[] = { "报到日期", NULL };

static const struct csv_column person_columns[PC_COUNT] = {
	[PC_NAME] = { "name", name_names, 1 },
	[PC_PHONE] = { "phone", phone_names, 0 },
	[PC_GENDER] = { "gender", gender_names, 0 },
	[PC_BIRTH_YEAR] = { "birth_year", birth_names, 0 },
	[PC_HOME] = { "home_code", home_names, 0 },
	[PC_TAGS] = { "tags", tags_names, 0 },
	[PC_PARTY] = { "party_member", party_names, 0 },
	[PC_MEMBER_ORG] = { "member_org_code", member_org_names, 0 },
	[PC_MEMBER_ORG_NAME] = { "member_org_name", member_org_name_names, 0 },
	[PC_LIVING_ORG] = { "living_org_code", living_org_names, 0 },
	[PC_REGISTERED] = { "registered_on", registered_names, 0 },
};

#define MAX_TAGS 32

static int column_of_field(const char *field)
{
	static const struct {
		const char *field;
		int col;
	} fields[] = {
		{ "name", PC_NAME },
		{ "phone", PC_PHONE },
		{ "gender", PC_GENDER },
		{ "birth_year", PC_BIRTH_YEAR },
		{ "home_node_id", PC_HOME },
		{ "tags", PC_TAGS },
		{ "party_member", PC_PARTY },
		{ "member_org_id", PC_MEMBER_ORG },
		{ "member_org_name", PC_MEMBER_ORG_NAME },
		{ "living_org_id", PC_LIVING_ORG },
		{ "registered_on", PC_REGISTERED },
	};
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(fields); i++)
		if (strcmp(field, fields[i].field) == 0)
			return fields[i].col;
	return -1;
}

struct person_run {
	struct import_run r;
	struct strmap homes;		/* node code -> node id (-1: no such node) */
	struct strmap orgs;		/* node code -> party organisation id (-1: none) */
	struct strmap seen;		/* name + phone -> line, within the file */
};

/* The identity key: the name, a unit separator, the phone without spaces. */
static char *person_key(const char *name, const char *phone)
{
	struct buf b = BUF_INIT;
	const char *p;

	buf_init(&b);
	buf_adds(&b, name);
	buf_addch(&b, '\x1f');
	for (p = phone; *p; p++)
		if (*p != ' ')
			buf_addch(&b, *p);
	return buf_detach(&b, NULL);
}

struct person_row {
	const char *name, *phone, *gender, *member_org_name, *registered_on;
	char *registered_buf;		/* registered_on normalised from Excel's 2022/3/5 */
	int birth_year;
	int64_t home_id, member_org_id, living_org_id;
	int party_member;
	char *tags_buf;			/* owned copy split in place */
	const char *tags[MAX_TAGS];
	size_t ntags;
};

static void person_row_release(struct person_row *v)
{
	free(v->tags_buf);
	free(v->registered_buf);
	memset(v, 0, sizeof(*v));
}

static int parse_gender(const char *s, const char **out)
{
	if (!strcmp(s, "male") || !strcmp(s, "男") || !strcmp(s, "M") || !strcmp(s, "m"))
		*out = "male";
	else if (!strcmp(s, "female") || !strcmp(s, "女") || !strcmp(s, "F") || !strcmp(s, "f"))
		*out = "female";
	else
		return -1;
	return 0;
}

/* YYYY-MM-DD, or the YYYY/M/D that Excel writes back, as YYYY-MM-DD. */
static char *parse_date(const char *s)
{
	int y, m, d, n = 0;
	char out[16];

	if (date_valid(s) == 0)
		return xstrdup(s);
	if (sscanf(s, "%4d/%2d/%2d%n", &y, &m, &d, &n) == 3 && s[n] == '\0') {
		snprintf(out, sizeof(out), "%04d-%02d-%02d", y, m, d);
		if (date_valid(out) == 0)
			return xstrdup(out);
	}
	return NULL;
}

/* Splits tags on ';', '；' or '、' into v->tags; -1 after reporting. */
static int split_tags(struct person_run *pr, const struct csv_row *row, const char *s, struct person_row *v)
{
	char *p, *start;

	v->tags_buf = xstrdup(s);
	p = start = v->tags_buf;
	for (;;) {
		size_t sep = 0;

		if (*p == ';')
			sep = 1;
		else if (!strncmp(p, "；", strlen("；")))
			sep = strlen("；");
		else if (!strncmp(p, "、", strlen("、")))
			sep = strlen("、");
		if (sep || !*p) {
			int end = !*p;
			char *t = start, *e = p;

			*p = '\0';
			while (*t == ' ')
				t++;
			while (e > t && e[-1] == ' ')
				*--e = '\0';
			if (*t) {
				if (v->ntags == MAX_TAGS) {
					import_problem(&pr->r, row, PC_TAGS, "a person has at most %d tags", MAX_TAGS);
					return -1;
				}
				v->tags[v->ntags++] = t;
			}
			if (end)
				break;
			p += sep;
			start = p;
			continue;
		}
		p++;
	}
	return 0;
}

/* A node code to a node id (cached); -1 after reporting. */
static int resolve_home(struct person_run *pr, const struct csv_row *row, const char *code, int64_t *id)
{
	struct fault f = { 0 };
	struct node n;

	if (!strmap_get(&pr->homes, code, id)) {
		if (org_node_get_by_code(pr->r.s, code, &n, &f) == 0) {
			*id = n.id;
			node_release(&n);
		} else if (f.kind == FAULT_NOT_FOUND) {
			*id = -1;
		} else {
			import_store_failed(&pr->r, &f);
			return -1;
		}
		strmap_put(&pr->homes, code, *id);
	}
	if (*id < 0) {
		import_problem(&pr->r, row, PC_HOME, "no node has the code %s", code);
		return -1;
	}
	return 0;
}

/* A node code to the id of its party organisation (cached); -1 after reporting. */
static int resolve_org(struct person_run *pr, const struct csv_row *row, int col, const char *code, int64_t *id)
{
	struct fault f = { 0 };
	struct party_org po;
	int64_t node;

	if (!strmap_get(&pr->orgs, code, id)) {
		if (!strmap_get(&pr->homes, code, &node)) {
			struct node n;

			if (org_node_get_by_code(pr->r.s, code, &n, &f) == 0) {
				node = n.id;
				node_release(&n);
			} else if (f.kind == FAULT_NOT_FOUND) {
				node = -1;
			} else {
				import_store_failed(&pr->r, &f);
				return -1;
			}
			strmap_put(&pr->homes, code, node);
		}
		*id = -1;
		if (node > 0) {
			if (org_party_get_by_node(pr->r.s, node, &po, &f) == 0) {
				*id = po.id;
				party_org_release(&po);
			} else if (f.kind != FAULT_NOT_FOUND) {
				import_store_failed(&pr->r, &f);
				return -1;
			} else {
				*id = -2;
			}
		}
		strmap_put(&pr->orgs, code, *id);
	}
	if (*id == -1) {
		import_problem(&pr->r, row, col, "no node has the code %s", code);
		return -1;
	}
	if (*id == -2) {
		import_problem(&pr->r, row, col, "the node %s has no party organisation", code);
		return -1;
	}
	return 0;
}

/* Reads and converts a row; -1 after reporting every problem found. */
static int read_row(struct person_run *pr, const struct csv_row *row, struct person_row *v)
{
	const struct csv_header_map *m = &pr->r.map;
	const char *gender = csv_value(m, row, PC_GENDER), *birth = csv_value(m, row, PC_BIRTH_YEAR),
		   *home = csv_value(m, row, PC_HOME), *tags = csv_value(m, row, PC_TAGS),
		   *party = csv_value(m, row, PC_PARTY), *member_org = csv_value(m, row, PC_MEMBER_ORG),
		   *living_org = csv_value(m, row, PC_LIVING_ORG), *registered = csv_value(m, row, PC_REGISTERED);
	int bad = 0;

	memset(v, 0, sizeof(*v));
	v->name = csv_value(m, row, PC_NAME);
	v->phone = csv_value(m, row, PC_PHONE);
	v->member_org_name = csv_value(m, row, PC_MEMBER_ORG_NAME);
	if (!v->name) {
		import_problem(&pr->r, row, PC_NAME, "name is required");
		bad = 1;
	}
	if (gender && parse_gender(gender, &v->gender) < 0) {
		import_problem(&pr->r, row, PC_GENDER, "'%s' is not a gender: use male or female (男 or 女)", gender);
		bad = 1;
	}
	if (birth) {
		int64_t y;

		if (parse_int64(birth, 1, 9999, &y) < 0) {
			import_problem(&pr->r, row, PC_BIRTH_YEAR, "'%s' is not a year such as 1958", birth);
			bad = 1;
		} else {
			v->birth_year = (int)y;
		}
	}
	if (party && yesno_parse(party, &v->party_member) < 0) {
		import_problem(&pr->r, row, PC_PARTY, "'%s' is not yes or no: use 是 or 否 (true or false)", party);
		bad = 1;
	}
	if (registered && !(v->registered_on = v->registered_buf = parse_date(registered))) {
		import_problem(&pr->r, row, PC_REGISTERED, "'%s' is not a date as YYYY-MM-DD", registered);
		bad = 1;
	}
	if (tags && split_tags(pr, row, tags, v) < 0)
		bad = 1;
	if (home && resolve_home(pr, row, home, &v->home_id) < 0) {
		bad = 1;
	} else if (pr->r.scope) {
		char what[120];

		/* A person without a home would be nobody's to see: a scoped user names one. */
		snprintf(what, sizeof(what), home ? "the home %s" : "a person without home_code", home ? home : "");
		if (import_in_scope(&pr->r, row, PC_HOME, v->home_id, what) <= 0)
			bad = 1;
	}
	if (member_org && resolve_org(pr, row, PC_MEMBER_ORG, member_org, &v->member_org_id) < 0)
		bad = 1;
	if (living_org && resolve_org(pr, row, PC_LIVING_ORG, living_org, &v->living_org_id) < 0)
		bad = 1;
	return bad ? -1 : 0;
}

/* The input that sets every column the file has. */
static void fill_input(const struct person_run *pr, const struct person_row *v, struct person_input *in)
{
	const int *idx = pr->r.map.idx;

	memset(in, 0, sizeof(*in));
	in->name = v->name;
	in->phone = v->phone;
	in->set_phone = idx[PC_PHONE] >= 0;
	in->gender = v->gender;
	in->set_gender = idx[PC_GENDER] >= 0;
	in->birth_year = v->birth_year;
	in->set_birth_year = idx[PC_BIRTH_YEAR] >= 0;
	in->home_node_id = v->home_id;
	in->set_home = idx[PC_HOME] >= 0;
	in->tags = v->tags;
	in->ntags = v->ntags;
	in->set_tags = idx[PC_TAGS] >= 0;
	in->party_member = v->party_member;
	in->set_party_member = idx[PC_PARTY] >= 0;
	in->member_org_id = v->member_org_id;
	in->set_member_org = idx[PC_MEMBER_ORG] >= 0;
	in->member_org_name = v->member_org_name;
	in->set_member_org_name = idx[PC_MEMBER_ORG_NAME] >= 0;
	in->living_org_id = v->living_org_id;
	in->set_living_org = idx[PC_LIVING_ORG] >= 0;
	in->registered_on = v->registered_on;
	in->set_registered_on = idx[PC_REGISTERED] >= 0;
}

static int str_eq(const char *a, const char *b)
{
	return a ? b && strcmp(a, b) == 0 : b == NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int tags_equal(const struct person_row *v, const struct person *cur)
{
	const char *sorted[MAX_TAGS];
	size_t i, n = 0;

	memcpy(sorted, v->tags, v->ntags * sizeof(*sorted));
	qsort(sorted, v->ntags, sizeof(*sorted), cmp_str);
	for (i = 0; i < v->ntags; i++)
		if (n == 0 || strcmp(sorted[n - 1], sorted[i]) != 0)
			sorted[n++] = sorted[i];
	if (n != cur->ntags)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(sorted[i], cur->tags[i]) != 0)
			return 0;
	return 1;
}

/* 1 when applying the row would change nothing. */
static int row_matches(const struct person_run *pr, const struct person_row *v, const struct person *cur)
{
	const int *idx = pr->r.map.idx;

	if (idx[PC_GENDER] >= 0 && !str_eq(v->gender, cur->gender))
		return 0;
	if (idx[PC_BIRTH_YEAR] >= 0 && v->birth_year != cur->birth_year)
		return 0;
	if (idx[PC_HOME] >= 0 && v->home_id != cur->home_node_id)
		return 0;
	if (idx[PC_TAGS] >= 0 && !tags_equal(v, cur))
		return 0;
	if (idx[PC_PARTY] >= 0 && v->party_member != cur->party_member)
		return 0;
	if (idx[PC_MEMBER_ORG] >= 0 && v->member_org_id != cur->member_org_id)
		return 0;
	if (idx[PC_MEMBER_ORG_NAME] >= 0 && !str_eq(v->member_org_name, cur->member_org_name))
		return 0;
	if (idx[PC_LIVING_ORG] >= 0 && v->living_org_id != cur->living_org_id)
		return 0;
	if (idx[PC_REGISTERED] >= 0 && !str_eq(v->registered_on, cur->registered_on))
		return 0;
	return 1;
}

#define PAGE 100

/* The person the row names (the same name and phone), 0 when none; -1 on a store failure. */
static int find_existing(struct person_run *pr, const char *name, const char *phone, int64_t *id)
{
	struct person_filter flt;
	struct person_list list;
	struct fault f = { 0 };
	size_t i, got;

	*id = 0;
	memset(&flt, 0, sizeof(flt));
	flt.party_member = -1;
	flt.phone = phone;		/* exact, through the phone's keyed hash (indexed) */
	flt.limit = PAGE;
	do {
		if (people_person_list(pr->r.s, &flt, &list, &f) < 0) {
			import_store_failed(&pr->r, &f);
			return -1;
		}
		for (i = 0; i < list.n && !*id; i++)
			if (strcmp(list.items[i].name, name) == 0)
				*id = list.items[i].id;
		got = list.n;
		flt.offset += PAGE;
		person_list_release(&list);
	} while (!*id && got == PAGE);
	return 0;
}

static void domain_problem(struct person_run *pr, const struct csv_row *row, const struct fault *f)
{
	if (f->kind == FAULT_INTERNAL) {
		import_store_failed(&pr->r, f);
		return;
	}
	import_problem(&pr->r, row, column_of_field(f->field), "%s", f->message);
}

static void import_row(struct person_run *pr, const struct csv_row *row)
{
	struct person_row v;
	struct person_input in;
	struct fault f = { 0 };
	struct person cur;
	char *key = NULL;
	int64_t id = 0, line;

	if (read_row(pr, row, &v) < 0 || pr->r.store_failed)
		goto done;
	if (v.phone) {
		key = person_key(v.name, v.phone);
		if (strmap_get(&pr->seen, key, &line)) {
			import_problem(&pr->r, row, PC_PHONE, "the same person (name and phone) is already on line %lld",
				       (long long)line);
			goto done;
		}
		strmap_put(&pr->seen, key, (int64_t)row->line);
		if (find_existing(pr, v.name, v.phone, &id) < 0)
			goto done;
	}
	fill_input(pr, &v, &in);
	if (!id) {
		if (people_person_create(pr->r.s, &in, NULL, &f) < 0)
			domain_problem(pr, row, &f);
		else
			pr->r.res->created++;
		goto done;
	}
	if (people_person_get(pr->r.s, id, &cur, &f) < 0) {
		import_store_failed(&pr->r, &f);
		goto done;
	}
	if (pr->r.scope && import_in_scope(&pr->r, row, PC_NAME, cur.home_node_id,
					   "the existing person with this name and phone") <= 0) {
		person_release(&cur);
		goto done;
	}
	if (row_matches(pr, &v, &cur)) {
		pr->r.res->unchanged++;
	} else if (people_person_update(pr->r.s, id, &in, &f) < 0) {
		domain_problem(pr, row, &f);
	} else {
		pr->r.res->updated++;
	}
	person_release(&cur);
done:
	free(key);
	person_row_release(&v);
}

int csv_import_persons(struct store *s, const char *text, size_t len, const struct csv_import_options *opt,
		       struct csv_import_result *res, struct fault *f)
{
	struct person_run pr;
	size_t i;
	int rc;

	memset(&pr, 0, sizeof(pr));
	rc = import_start(&pr.r, s, text, len, person_columns, PC_COUNT, "persons", opt, res, f);
	if (rc < 0)
		return -1;
	strmap_init(&pr.homes);
	strmap_init(&pr.orgs);
	strmap_init(&pr.seen);
	if (rc > 0) {
		for (i = 0; i < pr.r.table.nrows && !pr.r.store_failed; i++) {
			if (!pr.r.table.rows[i].bad)
				import_row(&pr, &pr.r.table.rows[i]);
			import_progress(&pr.r, i + 1);
		}
	}
	strmap_release(&pr.homes);
	strmap_release(&pr.orgs);
	strmap_release(&pr.seen);
	return import_finish(&pr.r, f);
}
