/* test_csv.c - src/csvio: the CSV parser (lines, quoting, problems), the header map, the writer, and row validation of the imports. */
#include "unit.h"
#include "csvio/csvio.h"
#include "org/org.h"
#include "people/people.h"
#include "store/store.h"
#include "util/fault.h"
#include "util/util.h"

/* ---- parsing ---- */

struct parsed {
	struct csv_table t;
	struct csv_problems p;
	int rc;
};

static void parse(struct parsed *x, const char *text, size_t max_rows)
{
	memset(x, 0, sizeof(*x));
	x->rc = csv_parse_text(text, strlen(text), max_rows, &x->t, &x->p);
}

static void parsed_release(struct parsed *x)
{
	csv_table_release(&x->t);
	csv_problems_release(&x->p);
}

static void test_parse_basic(void **state)
{
	struct parsed x;

	(void)state;
	parse(&x, "\xef\xbb\xbf" "code,name\r\nA, 甲 \r\nB,\"乙, \"\"丙\"\"\"\r\n", 100);
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.p.n, 0);
	assert_int_equal(x.t.header.line, 1);
	assert_int_equal(x.t.header.n, 2);
	assert_string_equal(x.t.header.fields[0], "code");	/* the BOM is gone */
	assert_int_equal(x.t.nrows, 2);
	assert_int_equal(x.t.rows[0].line, 2);
	assert_string_equal(x.t.rows[0].fields[1], "甲");	/* trimmed */
	assert_int_equal(x.t.rows[1].line, 3);
	assert_string_equal(x.t.rows[1].fields[1], "乙, \"丙\"");
	parsed_release(&x);
}

static void test_parse_line_numbers(void **state)
{
	struct parsed x;

	(void)state;
	/* LF, CR LF, a lone CR, blank lines, a quoted value over three lines, no final line end. */
	parse(&x, "a,b\n1,2\r\n\r\n3,\"x\r\ny\nz\"\n\n4,5\r6,7", 100);
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.t.nrows, 4);
	assert_int_equal(x.t.rows[0].line, 2);
	assert_int_equal(x.t.rows[1].line, 4);
	assert_string_equal(x.t.rows[1].fields[1], "x\r\ny\nz");
	assert_int_equal(x.t.rows[2].line, 8);
	assert_int_equal(x.t.rows[3].line, 9);
	assert_string_equal(x.t.rows[3].fields[0], "6");
	parsed_release(&x);

	/* Rows of empty fields (spreadsheets leave them) are skipped like blank lines. */
	parse(&x, "a,b\n,\n , \n1,2\n", 100);
	assert_int_equal(x.t.nrows, 1);
	assert_int_equal(x.t.rows[0].line, 4);
	parsed_release(&x);
}

static void test_parse_malformed_quote_goes_on(void **state)
{
	struct parsed x;

	(void)state;
	parse(&x, "a,b\n1,\"x\"y\n2,q\"r\n3,\"ok\"\n", 100);
	assert_int_equal(x.rc, -1);
	assert_int_equal(x.p.n, 2);
	assert_int_equal(x.p.items[0].line, 2);
	assert_null(x.p.items[0].column);
	assert_non_null(strstr(x.p.items[0].reason, "malformed quoting"));
	assert_int_equal(x.p.items[1].line, 3);
	assert_int_equal(x.t.nrows, 1);
	assert_int_equal(x.t.rows[0].line, 4);
	assert_string_equal(x.t.rows[0].fields[1], "ok");
	parsed_release(&x);

	/* CR LF files report the same lines. */
	parse(&x, "a,b\r\n1,\"x\"y\r\n2,3\r\n", 100);
	assert_int_equal(x.p.n, 1);
	assert_int_equal(x.p.items[0].line, 2);
	assert_int_equal(x.t.nrows, 1);
	assert_int_equal(x.t.rows[0].line, 3);
	parsed_release(&x);
}

static void test_parse_unclosed_quote(void **state)
{
	struct parsed x;

	(void)state;
	parse(&x, "a,b\n1,2\n3,\"never closed\n4,5\n", 100);
	assert_int_equal(x.rc, -1);
	assert_int_equal(x.p.n, 1);
	assert_int_equal(x.p.items[0].line, 3);
	assert_non_null(strstr(x.p.items[0].reason, "not closed"));
	assert_int_equal(x.t.nrows, 1);
	parsed_release(&x);
}

static void test_parse_not_utf8(void **state)
{
	struct parsed x;

	(void)state;
	parse(&x, "code,name\nA,\xc4\xe3\xba\xc3\nB,ok\nC,bell\x07\n", 100);
	assert_int_equal(x.rc, -1);
	assert_int_equal(x.p.n, 2);
	assert_int_equal(x.p.items[0].line, 2);
	assert_string_equal(x.p.items[0].column, "name");
	assert_non_null(strstr(x.p.items[0].reason, "UTF-8"));
	assert_int_equal(x.p.items[1].line, 4);
	assert_int_equal(x.t.nrows, 3);
	assert_true(x.t.rows[0].bad);
	assert_false(x.t.rows[1].bad);
	parsed_release(&x);
}

static void test_parse_limits(void **state)
{
	struct parsed x;
	struct buf b = BUF_INIT;
	int i;

	(void)state;
	parse(&x, "a\n1\n2\n3\n4\n5\n", 3);
	assert_int_equal(x.rc, -1);
	assert_int_equal(x.t.nrows, 3);
	assert_int_equal(x.p.n, 1);
	assert_int_equal(x.p.items[0].line, 5);
	assert_non_null(strstr(x.p.items[0].reason, "more than 3 data rows"));
	parsed_release(&x);

	parse(&x, "", 10);
	assert_int_equal(x.rc, -1);
	assert_non_null(strstr(x.p.items[0].reason, "empty"));
	parsed_release(&x);
	parse(&x, "\xef\xbb\xbf\r\n\r\n", 10);
	assert_int_equal(x.rc, -1);
	assert_int_equal(x.p.n, 1);
	parsed_release(&x);

	buf_init(&b);
	buf_adds(&b, "a,b\nx,");
	for (i = 0; i < CSV_MAX_FIELD_BYTES + 1; i++)
		buf_addch(&b, 'y');
	buf_adds(&b, "\nz,ok\n");
	parse(&x, b.data, 10);
	assert_int_equal(x.p.n, 1);
	assert_string_equal(x.p.items[0].column, "b");
	assert_int_equal(x.t.nrows, 2);
	parsed_release(&x);
	buf_release(&b);
}

static void test_problems_sort_is_stable(void **state)
{
	struct csv_problems p = { 0 };

	(void)state;
	csv_problem_add(&p, 5, "a", "first on 5");
	csv_problem_add(&p, 2, NULL, "on 2");
	csv_problem_add(&p, 5, "b", "second on 5");
	csv_problem_add(&p, 1, "x", "on 1");
	assert_int_equal(csv_problems_sort(&p), 3);
	assert_int_equal(p.items[0].line, 1);
	assert_int_equal(p.items[1].line, 2);
	assert_string_equal(p.items[2].reason, "first on 5");
	assert_string_equal(p.items[3].reason, "second on 5");
	csv_problems_release(&p);
}

/* ---- the header map ---- */

static const char *const zh_code[] = { "编码", NULL };
static const char *const zh_name[] = { "名称", NULL };
static const struct csv_column cols[] = {
	{ "code", zh_code, 1 },
	{ "name", zh_name, 1 },
	{ "note", NULL, 0 },
};

static void test_header_map(void **state)
{
	struct csv_header_map m;
	struct parsed x;

	(void)state;
	parse(&x, "名称,CODE\n甲,A\n", 10);
	assert_int_equal(csv_header_map(&x.t, cols, 3, &m, &x.p), 0);
	assert_int_equal(m.idx[0], 1);
	assert_int_equal(m.idx[1], 0);
	assert_int_equal(m.idx[2], -1);
	assert_string_equal(m.label[1], "名称");
	assert_string_equal(csv_value(&m, &x.t.rows[0], 0), "A");
	assert_null(csv_value(&m, &x.t.rows[0], 2));
	parsed_release(&x);

	parse(&x, "code,colour,code,,\nA,red,B,,\nC,,,used,\n", 10);
	assert_int_equal(csv_header_map(&x.t, cols, 3, &m, &x.p), -1);
	assert_true(m.missing_required);
	assert_int_equal(x.p.n, 4);
	assert_string_equal(x.p.items[0].column, "colour");
	assert_non_null(strstr(x.p.items[1].reason, "appears twice"));
	assert_non_null(strstr(x.p.items[2].reason, "column 4 has values (line 3)"));
	assert_string_equal(x.p.items[3].column, "name");
	parsed_release(&x);

	parse(&x, "code,name\nA,a,extra\nB,b,\nC\n", 10);
	assert_int_equal(csv_header_map(&x.t, cols, 3, &m, &x.p), -1);
	assert_int_equal(x.p.n, 1);
	assert_int_equal(x.p.items[0].line, 2);
	assert_true(x.t.rows[0].bad);
	assert_false(x.t.rows[1].bad);	/* an empty extra field is harmless */
	assert_null(csv_value(&m, &x.t.rows[2], 1));	/* fewer fields read as blanks */
	parsed_release(&x);
}

/* ---- writing ---- */

static char *field(const char *s)
{
	struct buf b = BUF_INIT;

	buf_init(&b);
	csv_put_field(&b, s);
	return buf_detach(&b, NULL);
}

static void test_put_field(void **state)
{
	static const char *const cases[][2] = {
		{ "plain", "plain" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\r\nlines", "\"two\r\nlines\"" },
		{ " padded ", "\" padded \"" },
		{ "=SUM(A1)", "'=SUM(A1)" },
		{ "@cmd", "'@cmd" },
		{ "-12.5", "-12.5" },
		{ "+8613800000000", "+8613800000000" },
		{ "-x", "'-x" },
		{ "'=x", "''=x" },
		{ "'plain", "'plain" },
		{ "=a,b", "\"'=a,b\"" },
		{ "", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < YL_ARRAY_LEN(cases); i++) {
		char *got = field(cases[i][0]), *back = xstrdup(cases[i][1][0] == '"' ? "" : cases[i][1]);

		assert_string_equal(got, cases[i][1]);
		if (back[0]) {
			csv_unguard(back);
			assert_string_equal(back, cases[i][0]);
		}
		free(got);
		free(back);
	}
}

static void test_put_row_and_double(void **state)
{
	static const double values[] = { 36.7012, 117.5203, 0.1, -117.123456789, 1e-7, 90, -0.5 };
	const char *row[] = { "a", NULL, "c,d" };
	struct buf b = BUF_INIT;
	char out[32];
	size_t i;

	(void)state;
	buf_init(&b);
	csv_put_bom(&b);
	csv_put_row(&b, row, 3);
	assert_int_equal(b.len, 3 + strlen("a,,\"c,d\"\r\n"));
	assert_memory_equal(b.data, "\xef\xbb\xbf" "a,,\"c,d\"\r\n", b.len);
	buf_release(&b);
	for (i = 0; i < YL_ARRAY_LEN(values); i++) {
		csv_format_double(values[i], out, sizeof(out));
		assert_true(strtod(out, NULL) == values[i]);
		assert_true(strlen(out) < 20);
	}
	csv_format_double(36.7012, out, sizeof(out));
	assert_string_equal(out, "36.7012");
}

/* Whatever is written reads back the same (values without outer blanks). */
static void test_write_read_round_trip(void **state)
{
	static const char *const pieces[] = { "a", "甲", ",", "\"", "\r\n", "\n", "'", "=", "-", "@", "x y", "；", "\t" };
	uint64_t seed = 42;
	int round;

	(void)state;
	for (round = 0; round < 200; round++) {
		char *values[12];
		const char *cvalues[12];
		struct buf b = BUF_INIT;
		struct parsed x;
		int i, j, n = 1 + round % 12;

		buf_init(&b);
		for (i = 0; i < n; i++) {
			struct buf v = BUF_INIT;
			int len;

			buf_init(&v);
			buf_adds(&v, "k");
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			len = (int)(seed >> 60);
			for (j = 0; j < len; j++) {
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				buf_adds(&v, pieces[(seed >> 33) % YL_ARRAY_LEN(pieces)]);
			}
			buf_adds(&v, "k");
			if (round % 3 == 0)
				memmove(v.data, v.data + 1, v.len--);	/* sometimes starting with a piece */
			values[i] = buf_detach(&v, NULL);
			cvalues[i] = values[i];
		}
		csv_put_row(&b, cvalues, (size_t)n);	/* as a header: fine for the parser */
		csv_put_row(&b, cvalues, (size_t)n);
		parse(&x, b.data, 10);
		assert_int_equal(x.rc, 0);
		assert_int_equal(x.t.nrows, 1);
		assert_int_equal(x.t.rows[0].n, (size_t)n);
		for (i = 0; i < n; i++) {
			if (values[i][0] != '\t')
				assert_string_equal(x.t.rows[0].fields[i], values[i]);
			free(values[i]);
		}
		parsed_release(&x);
		buf_release(&b);
	}
}

static void test_level_and_kind_words(void **state)
{
	(void)state;
	assert_int_equal(csv_level_parse("街道"), LEVEL_SUBDISTRICT);
	assert_int_equal(csv_level_parse("小区"), LEVEL_COURTYARD);
	assert_int_equal(csv_level_parse("household"), LEVEL_HOUSEHOLD);
	assert_int_equal(csv_level_parse("户"), LEVEL_HOUSEHOLD);
	assert_int_equal(csv_level_parse("Community"), LEVEL_COMMUNITY);
	assert_int_equal(csv_level_parse("galaxy"), LEVEL_NONE);
	assert_int_equal(csv_level_parse("householdhouseholdhouseholdhousehold"), LEVEL_NONE);
	assert_int_equal(csv_level_parse(NULL), LEVEL_NONE);
	assert_string_equal(csv_kind_parse("宿舍"), "dormitory");
	assert_string_equal(csv_kind_parse("商圈联盟"), "business_alliance");
	assert_string_equal(csv_kind_parse("农村社区"), "rural");
	assert_string_equal(csv_kind_parse("residential"), "residential");
	assert_string_equal(csv_kind_parse("Dormitory"), "dormitory");
	assert_string_equal(csv_kind_parse("villa"), "villa");	/* the domain says why it is no kind */
	assert_null(csv_kind_parse(NULL));
}

/* ---- imports against a database ---- */

static int db_setup(void **state)
{
	*state = unit_db_open();
	return *state ? 0 : -1;
}

static int db_teardown(void **state)
{
	unit_db_close(*state);
	return 0;
}

#define NODE_HEADER "code,name,level,kind,parent_code,address,lat,lng\n"
#define TREE NODE_HEADER \
	"S,街道,subdistrict,,,,,\n" \
	"S-C,社区,community,urban,S,,,\n" \
	"S-Y,院,courtyard,dormitory,S-C,幸福路1号,36.7,117.5\n" \
	"S-B,1号楼,building,,S-Y,,,\n" \
	"S-H,101室,household,,S-B,,,\n"

static int import_nodes(struct store *s, const char *text, int dry_run, int64_t scope, struct csv_import_result *r,
			struct fault *f)
{
	struct csv_import_options opt = { 0 };

	opt.dry_run = dry_run;
	opt.scope = scope;
	memset(f, 0, sizeof(*f));
	return csv_import_nodes(s, text, strlen(text), &opt, r, f);
}

static int import_persons(struct store *s, const char *text, int dry_run, struct csv_import_result *r, struct fault *f)
{
	struct csv_import_options opt = { 0 };

	opt.dry_run = dry_run;
	memset(f, 0, sizeof(*f));
	return csv_import_persons(s, text, strlen(text), &opt, r, f);
}

static int64_t node_id(struct store *s, const char *code)
{
	struct fault f = { 0 };
	struct node n;
	int64_t id;

	if (org_node_get_by_code(s, code, &n, &f) < 0)
		return 0;
	id = n.id;
	node_release(&n);
	return id;
}

static void test_import_nodes_all_or_nothing(void **state)
{
	struct store *s = *state;
	struct csv_import_result r;
	struct fault f;

	assert_int_equal(import_nodes(s, TREE, 1, 0, &r, &f), 0);
	assert_int_equal(r.created, 5);
	assert_int_equal(node_id(s, "S"), 0);	/* dry run */
	csv_import_result_release(&r);

	assert_int_equal(import_nodes(s, TREE "S-X,,unit,,S-B,,,\n", 0, 0, &r, &f), -1);
	assert_string_equal(f.code, "invalid_csv");
	assert_int_equal(f.kind, FAULT_INVALID);
	assert_int_equal(r.bad_rows, 1);
	assert_int_equal(r.problems.items[0].line, 7);
	assert_string_equal(r.problems.items[0].column, "name");
	assert_int_equal(node_id(s, "S"), 0);	/* the good rows are not written either */
	csv_import_result_release(&r);

	assert_int_equal(import_nodes(s, TREE, 0, 0, &r, &f), 0);
	assert_int_equal(r.rows, 5);
	assert_int_equal(r.created, 5);
	assert_false(store_in_transaction(s));
	assert_true(node_id(s, "S-H") > 0);
	csv_import_result_release(&r);

	assert_int_equal(import_nodes(s, TREE, 0, 0, &r, &f), 0);
	assert_int_equal(r.unchanged, 5);
	assert_int_equal(r.created + r.updated, 0);
	csv_import_result_release(&r);
}

static void test_import_nodes_row_rules(void **state)
{
	struct store *s = *state;
	struct csv_import_result r;
	struct fault f;
	const char *text = NODE_HEADER
		"T,街道,subdistrict,,,,,\n"		/* 2 */
		"T-C,社区,community,urban,T-LATER,,,\n"	/* 3: parent defined later */
		"T-LATER,后来,community,,T,,,\n"		/* 4 */
		"T-Y,,courtyard,dormitory,T-BAD,,,\n"	/* 5: no name */
		"T-Z,院,courtyard,dormitory,T-Y,,,\n"	/* 6: the parent's row has errors */
		"T,again,subdistrict,,,,,\n"		/* 7: duplicate code */
		"T-Q,q,community,,T,,36.7,\n"		/* 8: lat without lng */
		"T-S,s,community,,T-S,,,\n";		/* 9: its own parent */

	assert_int_equal(import_nodes(s, text, 1, 0, &r, &f), -1);
	assert_int_equal(r.bad_rows, 6);
	assert_int_equal(r.problems.n, 7);
	assert_int_equal(r.problems.items[0].line, 3);
	assert_non_null(strstr(r.problems.items[0].reason, "defined later, on line 4"));
	assert_int_equal(r.problems.items[1].line, 5);
	assert_string_equal(r.problems.items[1].column, "name");
	assert_int_equal(r.problems.items[2].line, 5);
	assert_string_equal(r.problems.items[2].column, "parent_code");
	assert_int_equal(r.problems.items[3].line, 6);
	assert_non_null(strstr(r.problems.items[3].reason, "its row (line 5) has errors"));
	assert_int_equal(r.problems.items[4].line, 7);
	assert_non_null(strstr(r.problems.items[4].reason, "already used on line 2"));
	assert_int_equal(r.problems.items[5].line, 8);
	assert_string_equal(r.problems.items[5].column, "lng");
	assert_int_equal(r.problems.items[6].line, 9);
	assert_non_null(strstr(r.problems.items[6].reason, "own parent"));
	csv_import_result_release(&r);
}

static void test_import_updates_through_the_domain(void **state)
{
	struct store *s = *state;
	struct csv_import_result r;
	struct node_history h;
	struct fault f;
	struct node n;

	assert_int_equal(import_nodes(s, TREE "S-Y2,二院,courtyard,residential,S-C,,,\n", 0, 0, &r, &f), 0);
	csv_import_result_release(&r);
	/* Move the building, rename the household, clear the address and coordinates of the courtyard. */
	assert_int_equal(import_nodes(s,
				      NODE_HEADER "S-B,1号楼,building,,S-Y2,,,\nS-H,一〇一,household,,S-B,,,\n"
						  "S-Y,院,courtyard,dormitory,S-C,,,\n",
				      0, 0, &r, &f),
			 0);
	assert_int_equal(r.updated, 3);
	csv_import_result_release(&r);
	assert_int_equal(org_node_get_by_code(s, "S-B", &n, &f), 0);
	assert_int_equal(n.parent_id, node_id(s, "S-Y2"));
	node_release(&n);
	assert_int_equal(org_node_get_by_code(s, "S-Y", &n, &f), 0);
	assert_null(n.address);
	assert_false(n.has_coords);
	node_release(&n);
	assert_int_equal(org_node_history(s, node_id(s, "S-H"), &h, &f), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.items[1].action, "rename");
	node_history_release(&h);
	/* Columns the file lacks are left alone. */
	assert_int_equal(import_nodes(s, "code,name,level\nS-Y2,二号院,courtyard\n", 0, 0, &r, &f), 0);
	assert_int_equal(r.updated, 1);
	csv_import_result_release(&r);
	assert_int_equal(org_node_get_by_code(s, "S-Y2", &n, &f), 0);
	assert_string_equal(n.kind, "residential");
	node_release(&n);
	/* A blank kind clears it where the level allows, and is refused where a kind is required. */
	assert_int_equal(import_nodes(s, "code,name,level,kind\nS-C,社区,community,\n", 0, 0, &r, &f), 0);
	assert_int_equal(r.updated, 1);
	csv_import_result_release(&r);
	assert_int_equal(org_node_get_by_code(s, "S-C", &n, &f), 0);
	assert_null(n.kind);
	node_release(&n);
	assert_int_equal(import_nodes(s, "code,name,level,kind\nS-Y2,二号院,courtyard,\n", 0, 0, &r, &f), -1);
	assert_string_equal(r.problems.items[0].column, "kind");
	csv_import_result_release(&r);
	/* A level never changes. */
	assert_int_equal(import_nodes(s, "code,name,level\nS-Y2,二号院,building\n", 0, 0, &r, &f), -1);
	assert_string_equal(r.problems.items[0].column, "level");
	csv_import_result_release(&r);
}

static void test_dry_run_inside_a_transaction(void **state)
{
	struct store *s = *state;
	struct csv_import_result r;
	struct node_input in;
	struct fault f;

	/* The API's guard holds a write transaction (with its audit row) around the handler. */
	assert_int_equal(store_begin_write(s), STORE_OK);
	memset(&in, 0, sizeof(in));
	in.level = LEVEL_SUBDISTRICT;
	in.name = "外层";
	in.code = "OUTER";
	assert_int_equal(org_node_create(s, &in, NULL, &f), 0);
	assert_int_equal(import_nodes(s, TREE, 1, 0, &r, &f), 0);
	csv_import_result_release(&r);
	assert_int_equal(node_id(s, "S"), 0);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_true(node_id(s, "OUTER") > 0);
	assert_int_equal(node_id(s, "S"), 0);

	/* A real import inside commits with the caller. */
	assert_int_equal(store_begin_write(s), STORE_OK);
	assert_int_equal(import_nodes(s, TREE, 0, 0, &r, &f), 0);
	csv_import_result_release(&r);
	assert_int_equal(store_commit(s), STORE_OK);
	assert_true(node_id(s, "S-H") > 0);
}

static void test_import_scope(void **state)
{
	struct store *s = *state;
	struct csv_import_result r;
	struct fault f;
	int64_t community;

	assert_int_equal(import_nodes(s, TREE NODE_HEADER, 0, 0, &r, &f), -1);	/* a header twice is a bad row */
	csv_import_result_release(&r);
	assert_int_equal(import_nodes(s, TREE "O,其他,subdistrict,,,,,\nO-C,其他社区,community,,O,,,\n", 0, 0, &r, &f), 0);
	csv_import_result_release(&r);
	community = node_id(s, "S-C");
	assert_int_equal(import_nodes(s,
				      NODE_HEADER "S-Y9,新院,courtyard,residential,S-C,,,\n"
						  "O-Y9,外院,courtyard,residential,O-C,,,\n"
						  "N,新街道,subdistrict,,,,,\n"
						  "O-C,改名,community,,O,,,\n",
				      1, community, &r, &f),
			 -1);
	assert_int_equal(r.bad_rows, 3);
	assert_int_equal(r.problems.items[0].line, 3);
	assert_non_null(strstr(r.problems.items[0].reason, "outside the part of the tree you may change"));
	assert_int_equal(r.problems.items[1].line, 4);
	assert_int_equal(r.problems.items[2].line, 5);
	csv_import_result_release(&r);
}

#define PERSON_HEADER "name,phone,gender,birth_year,home_code,tags,party_member,member_org_code,member_org_name,living_org_code,registered_on\n"

static void test_import_persons(void **state)
{
	struct store *s = *state;
	struct csv_import_result r;
	struct person_filter flt;
	struct person_list list;
	struct party_org_input po;
	struct fault f;

	assert_int_equal(import_nodes(s, TREE, 0, 0, &r, &f), 0);
	csv_import_result_release(&r);
	memset(&po, 0, sizeof(po));
	po.node_id = node_id(s, "S-Y");
	assert_int_equal(org_party_create(s, &po, NULL, &f), 0);

	assert_int_equal(import_persons(s,
					"姓名,电话,性别,出生年份,住址编码,标签,党员,党组织关系所在支部,居住地支部编码,报到日期\n"
					"王秀英,138 0000 0001,女,1958,S-H,高龄老人、独居老人；高龄老人,是,某局机关党支部,S-Y,2022/3/5\n"
					"李四,,男,1990,S-B,,否,,,\n",
					0, &r, &f),
			 0);
	assert_int_equal(r.created, 2);
	csv_import_result_release(&r);
	memset(&flt, 0, sizeof(flt));
	flt.party_member = 1;
	assert_int_equal(people_person_list(s, &flt, &list, &f), 0);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.items[0].phone, "13800000001");
	assert_string_equal(list.items[0].gender, "female");
	assert_int_equal(list.items[0].ntags, 2);
	assert_string_equal(list.items[0].member_org_name, "某局机关党支部");
	assert_string_equal(list.items[0].registered_on, "2022-03-05");
	assert_int_equal(list.items[0].home_node_id, node_id(s, "S-H"));
	person_list_release(&list);

	/* The same name and phone is the same person: unchanged, then updated. */
	assert_int_equal(import_persons(s, "name,phone,gender\n王秀英,13800000001,female\n", 0, &r, &f), 0);
	assert_int_equal(r.unchanged, 1);
	csv_import_result_release(&r);
	assert_int_equal(import_persons(s, "name,phone,birth_year\n王秀英,13800000001,1959\n", 1, &r, &f), 0);
	assert_int_equal(r.updated, 1);
	csv_import_result_release(&r);
	/* Without a phone a row always creates. */
	assert_int_equal(import_persons(s, "name,home_code\n李四,S-B\n", 0, &r, &f), 0);
	assert_int_equal(r.created, 1);
	csv_import_result_release(&r);

	assert_int_equal(import_persons(s,
					PERSON_HEADER "甲,1380000000,male,1960,S-H,,false,,,,\n"
						      "乙,,male,1960,S-H,,true,S-C,,,\n"
						      "丙,,male,1960,S-H,,true,,,,2022-02-30\n",
					0, &r, &f),
			 -1);
	assert_int_equal(r.bad_rows, 3);
	assert_string_equal(r.problems.items[0].column, "phone");
	assert_string_equal(r.problems.items[1].column, "member_org_code");
	assert_non_null(strstr(r.problems.items[1].reason, "has no party organisation"));
	assert_string_equal(r.problems.items[2].column, "registered_on");
	csv_import_result_release(&r);
}

static void test_export_round_trip(void **state)
{
	struct store *s = *state;
	struct csv_import_result r;
	struct node_input in;
	struct buf out = BUF_INIT;
	struct fault f;
	struct parsed x;
	size_t rows = 0;
	int64_t id = 0;

	assert_int_equal(import_nodes(s, TREE "S-Y2,\"二院, \"\"新\"\"\",courtyard,residential,S-C,,,\n", 0, 0, &r, &f), 0);
	csv_import_result_release(&r);
	/* Move the first courtyard's building under the later courtyard: ids no longer give the order. */
	memset(&in, 0, sizeof(in));
	in.parent_id = node_id(s, "S-Y2");
	assert_int_equal(org_node_update(s, node_id(s, "S-B"), &in, &f), 0);

	buf_init(&out);
	assert_int_equal(csv_export_nodes(s, 0, LEVEL_NONE, NULL, &out, &rows, &f), 0);
	assert_int_equal(rows, 6);
	assert_memory_equal(out.data, "\xef\xbb\xbf", 3);
	parse(&x, out.data, 100);
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.t.nrows, 6);
	assert_string_equal(x.t.rows[0].fields[0], "S");
	assert_string_equal(x.t.rows[3].fields[1], "二院, \"新\"");
	assert_string_equal(x.t.rows[4].fields[0], "S-B");
	assert_string_equal(x.t.rows[4].fields[4], "S-Y2");
	parsed_release(&x);
	assert_int_equal(import_nodes(s, out.data, 0, 0, &r, &f), 0);
	assert_int_equal(r.unchanged, 6);
	csv_import_result_release(&r);

	/* A subtree starts with its root; a level filter keeps that level only. */
	buf_reset(&out);
	assert_int_equal(csv_export_nodes(s, node_id(s, "S-C"), LEVEL_NONE, NULL, &out, &rows, &f), 0);
	assert_int_equal(rows, 5);
	assert_non_null(strstr(out.data, "\r\nS-C,社区,community,urban,S,,,\r\n"));
	buf_reset(&out);
	assert_int_equal(csv_export_nodes(s, 0, LEVEL_COURTYARD, NULL, &out, &rows, &f), 0);
	assert_int_equal(rows, 2);
	buf_release(&out);
	assert_int_equal(csv_resolve_node(s, "S-C", "under", &id, &f), 0);
	assert_int_equal(id, node_id(s, "S-C"));
	assert_int_equal(csv_resolve_node(s, "NOPE", "under", &id, &f), -1);
	assert_int_equal(f.kind, FAULT_NOT_FOUND);
	assert_string_equal(f.field, "under");
}

#define DB(fn) cmocka_unit_test_setup_teardown(fn, db_setup, db_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_line_numbers),
		cmocka_unit_test(test_parse_malformed_quote_goes_on),
		cmocka_unit_test(test_parse_unclosed_quote),
		cmocka_unit_test(test_parse_not_utf8),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_problems_sort_is_stable),
		cmocka_unit_test(test_header_map),
		cmocka_unit_test(test_put_field),
		cmocka_unit_test(test_put_row_and_double),
		cmocka_unit_test(test_write_read_round_trip),
		cmocka_unit_test(test_level_and_kind_words),
		DB(test_import_nodes_all_or_nothing),
		DB(test_import_nodes_row_rules),
		DB(test_import_updates_through_the_domain),
		DB(test_dry_run_inside_a_transaction),
		DB(test_import_scope),
		DB(test_import_persons),
		DB(test_export_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
