/*
 * import_nodes.c - the organisation tree from CSV.
 *
 * A row is one node, keyed by its code.  A new code creates the node (its
 * parent named by parent_code: a node already in the database or one defined
 * on an earlier line); a known code updates it through org_node_update, and
 * only what differs: a row equal to the node changes nothing, so importing the
 * same file twice is idempotent.  A column present in the file is the truth
 * for that field (a blank address clears it); a column the file lacks leaves
 * the field alone.
 */
#include "csvio/import.h"
#include "org/org.h"
#include "util/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NC_CODE, NC_NAME, NC_LEVEL, NC_KIND, NC_PARENT, NC_ADDRESS, NC_LAT, NC_LNG, NC_COUNT };

static const char *const code_names[] = { "编码", "代码", "节点编码", NULL };
static const char *const name_names[] = { "名称", "节点名称", NULL };
static const char *const level_names[] = { "层级", "级别", NULL };
static const char *const kind_names[] = { "类型", NULL };
static const char *const parent_names[] = { "上级编码", "上级代码", "parent", NULL };
static const char *const address_names[] = { "地址", NULL };
static const char *const lat_names[] = { "纬度", "latitude", NULL };
static const char *const lng_names[] = { "经度", "longitude", "lon", NULL };

static const struct csv_column node_columns[NC_COUNT] = {
	[NC_CODE] = { "code", code_names, 1 },
	[NC_NAME] = { "name", name_names, 1 },
	[NC_LEVEL] = { "level", level_names, 1 },
	[NC_KIND] = { "kind", kind_names, 0 },
	[NC_PARENT] = { "parent_code", parent_names, 0 },
	[NC_ADDRESS] = { "address", address_names, 0 },
	[NC_LAT] = { "lat", lat_names, 0 },
	[NC_LNG] = { "lng", lng_names, 0 },
};

static const struct {
	const char *word;
	enum node_level level;
} level_words[] = {
	{ "街道", LEVEL_SUBDISTRICT }, { "社区", LEVEL_COMMUNITY }, { "院落", LEVEL_COURTYARD },
	{ "小区", LEVEL_COURTYARD },   { "楼栋", LEVEL_BUILDING },  { "楼", LEVEL_BUILDING },
	{ "单元", LEVEL_UNIT },        { "户", LEVEL_HOUSEHOLD },   { "住户", LEVEL_HOUSEHOLD },
};

static const struct {
	const char *word;
	const char *kind;
} kind_words[] = {
	{ "住宅", "residential" },  { "住宅小区", "residential" },     { "宿舍", "dormitory" },
	{ "商圈联盟", "business_alliance" }, { "城市", "urban" },      { "城市社区", "urban" },
	{ "农村", "rural" },        { "农村社区", "rural" },
};

/* ASCII letters in lower case, into out (truncated to outlen). */
static const char *lower(const char *s, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < outlen; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	out[i] = '\0';
	return out;
}

enum node_level csv_level_parse(const char *s)
{
	char tmp[32];
	size_t i;

	if (!s)
		return LEVEL_NONE;
	for (i = 0; i < YL_ARRAY_LEN(level_words); i++)
		if (strcmp(s, level_words[i].word) == 0)
			return level_words[i].level;
	return node_level_parse(lower(s, tmp, sizeof(tmp)));
}

const char *csv_kind_parse(const char *s)
{
	static const char *const english[] = { "residential", "dormitory", "business_alliance", "urban", "rural" };
	char tmp[32];
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < YL_ARRAY_LEN(kind_words); i++)
		if (strcmp(s, kind_words[i].word) == 0)
			return kind_words[i].kind;
	lower(s, tmp, sizeof(tmp));
	for (i = 0; i < YL_ARRAY_LEN(english); i++)
		if (strcmp(tmp, english[i]) == 0)
			return english[i];
	return s;
}

/* The column a domain fault names. */
static int column_of_field(const char *field)
{
	static const struct {
		const char *field;
		int col;
	} fields[] = {
		{ "code", NC_CODE },	 { "name", NC_NAME },	    { "level", NC_LEVEL }, { "kind", NC_KIND },
		{ "parent_id", NC_PARENT }, { "address", NC_ADDRESS }, { "lat", NC_LAT },	   { "lng", NC_LNG },
	};
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(fields); i++)
		if (strcmp(field, fields[i].field) == 0)
			return fields[i].col;
	return -1;
}

struct node_run {
	struct import_run r;
	struct strmap lines;		/* code -> first line defining it (every row, read before the run) */
	struct strmap failed;		/* code -> line of a row that had problems */
};

static int parse_coord(struct node_run *nr, const struct csv_row *row, int col, const char *v, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	if (end == v || *end || errno || !isfinite(*out)) {
		import_problem(&nr->r, row, col, "'%s' is not a number (decimal degrees such as 36.7152)", v);
		return -1;
	}
	return 0;
}

/* Resolves parent_code; 0 with *id (0 for no parent), -1 after reporting. */
static int find_parent(struct node_run *nr, const struct csv_row *row, const char *code, const char *parent_code,
		       int64_t *id)
{
	struct fault f = { 0 };
	struct node p;
	int64_t line;

	*id = 0;
	if (!parent_code)
		return 0;
	if (code && strcmp(code, parent_code) == 0) {
		import_problem(&nr->r, row, NC_PARENT, "a node cannot be its own parent");
		return -1;
	}
	if (strmap_get(&nr->failed, parent_code, &line)) {
		import_problem(&nr->r, row, NC_PARENT, "the parent %s cannot be used: its row (line %lld) has errors",
			       parent_code, (long long)line);
		return -1;
	}
	if (org_node_get_by_code(nr->r.s, parent_code, &p, &f) == 0) {
		*id = p.id;
		node_release(&p);
		return 0;
	}
	if (f.kind != FAULT_NOT_FOUND) {
		import_store_failed(&nr->r, &f);
		return -1;
	}
	if (strmap_get(&nr->lines, parent_code, &line) && (size_t)line > row->line)
		import_problem(&nr->r, row, NC_PARENT,
			       "the parent %s is defined later, on line %lld: list parents before their children",
			       parent_code, (long long)line);
	else
		import_problem(&nr->r, row, NC_PARENT, "no node has the code %s (in the database or on an earlier line)",
			       parent_code);
	return -1;
}

static void domain_problem(struct node_run *nr, const struct csv_row *row, const struct fault *f)
{
	if (f->kind == FAULT_INTERNAL) {
		import_store_failed(&nr->r, f);
		return;
	}
	import_problem(&nr->r, row, column_of_field(f->field), "%s", f->message);
}

struct node_row {
	const char *code, *name, *kind, *parent_code, *address;
	enum node_level level;
	int64_t parent_id;
	int has_coords;
	double lat, lng;
};

static int update_node(struct node_run *nr, const struct csv_row *row, const struct node_row *v, const struct node *cur)
{
	const struct csv_header_map *m = &nr->r.map;
	char what[160];
	struct node_input in;
	struct fault f = { 0 };
	int changed = 0;

	memset(&in, 0, sizeof(in));
	snprintf(what, sizeof(what), "the node %s", v->code);
	if (import_in_scope(&nr->r, row, NC_CODE, cur->id, what) <= 0)
		return -1;
	if (cur->level != v->level) {
		import_problem(&nr->r, row, NC_LEVEL, "the node %s is a %s: a node's level cannot change", v->code,
			       node_level_name(cur->level));
		return -1;
	}
	if (m->idx[NC_PARENT] >= 0) {
		if (!v->parent_id && cur->parent_id) {
			import_problem(&nr->r, row, NC_PARENT, "a %s needs a parent_code", node_level_name(cur->level));
			return -1;
		}
		if (v->parent_id && v->parent_id != cur->parent_id) {
			snprintf(what, sizeof(what), "the parent %s", v->parent_code);
			if (import_in_scope(&nr->r, row, NC_PARENT, v->parent_id, what) <= 0)
				return -1;
			in.parent_id = v->parent_id;
			changed = 1;
		}
	}
	if (m->idx[NC_KIND] >= 0 && (v->kind ? !cur->kind || strcmp(v->kind, cur->kind) != 0 : cur->kind != NULL)) {
		in.set_kind = 1;	/* a blank kind clears it where the level allows */
		in.kind = v->kind;
		changed = 1;
	}
	if (strcmp(v->name, cur->name) != 0) {
		in.name = v->name;
		changed = 1;
	}
	if (m->idx[NC_ADDRESS] >= 0 &&
	    (v->address ? !cur->address || strcmp(v->address, cur->address) != 0 : cur->address != NULL)) {
		in.set_address = 1;
		in.address = v->address;
		changed = 1;
	}
	if (m->idx[NC_LAT] >= 0 && m->idx[NC_LNG] >= 0) {
		if (!v->has_coords && cur->has_coords) {
			in.clear_coords = 1;
			changed = 1;
		} else if (v->has_coords && (!cur->has_coords || v->lat != cur->lat || v->lng != cur->lng)) {
			in.set_coords = 1;
			in.lat = v->lat;
			in.lng = v->lng;
			changed = 1;
		}
	}
	if (!changed) {
		nr->r.res->unchanged++;
		return 0;
	}
	in.detail = "imported from CSV";
	if (org_node_update(nr->r.s, cur->id, &in, &f) < 0) {
		domain_problem(nr, row, &f);
		return -1;
	}
	nr->r.res->updated++;
	return 0;
}

static int create_node(struct node_run *nr, const struct csv_row *row, const struct node_row *v)
{
	struct node_input in;
	struct fault f = { 0 };
	char what[160];

	if (nr->r.scope && !v->parent_id) {
		import_problem(&nr->r, row, NC_PARENT, "only an administrator creates a node without a parent (a subdistrict)");
		return -1;
	}
	snprintf(what, sizeof(what), "the parent %s", v->parent_code ? v->parent_code : "");
	if (v->parent_id && import_in_scope(&nr->r, row, NC_PARENT, v->parent_id, what) <= 0)
		return -1;
	memset(&in, 0, sizeof(in));
	in.level = v->level;
	in.parent_id = v->parent_id;
	in.kind = v->kind;
	in.name = v->name;
	in.code = v->code;
	in.address = v->address;
	in.set_coords = v->has_coords;
	in.lat = v->lat;
	in.lng = v->lng;
	in.detail = "imported from CSV";
	if (org_node_create(nr->r.s, &in, NULL, &f) < 0) {
		domain_problem(nr, row, &f);
		return -1;
	}
	nr->r.res->created++;
	return 0;
}

static int import_row(struct node_run *nr, const struct csv_row *row)
{
	const struct csv_header_map *m = &nr->r.map;
	const char *level_s = csv_value(m, row, NC_LEVEL), *lat_s = csv_value(m, row, NC_LAT),
		   *lng_s = csv_value(m, row, NC_LNG);
	struct node_row v;
	struct fault f = { 0 };
	struct node cur;
	int bad = 0, rc;

	memset(&v, 0, sizeof(v));
	v.code = csv_value(m, row, NC_CODE);
	v.name = csv_value(m, row, NC_NAME);
	v.kind = csv_kind_parse(csv_value(m, row, NC_KIND));
	v.parent_code = csv_value(m, row, NC_PARENT);
	v.address = csv_value(m, row, NC_ADDRESS);
	if (!v.code) {
		import_problem(&nr->r, row, NC_CODE, "code is required");
		bad = 1;
	} else {
		int64_t first;

		if (strmap_get(&nr->lines, v.code, &first) && (size_t)first != row->line) {
			import_problem(&nr->r, row, NC_CODE, "the code %s is already used on line %lld", v.code,
				       (long long)first);
			return -1;	/* the first row owns the code: do not mark it failed */
		}
	}
	if (!v.name) {
		import_problem(&nr->r, row, NC_NAME, "name is required");
		bad = 1;
	}
	v.level = csv_level_parse(level_s);
	if (!level_s) {
		import_problem(&nr->r, row, NC_LEVEL, "level is required");
		bad = 1;
	} else if (v.level == LEVEL_NONE) {
		import_problem(&nr->r, row, NC_LEVEL,
			       "'%s' is not a level: use subdistrict, community, courtyard, building, unit or household "
			       "(街道, 社区, 院落, 楼栋, 单元, 户)",
			       level_s);
		bad = 1;
	}
	if (lat_s || lng_s) {
		if (!lat_s || !lng_s) {
			import_problem(&nr->r, row, lat_s ? NC_LNG : NC_LAT, "lat and lng go together: give both or neither");
			bad = 1;
		} else {
			if (parse_coord(nr, row, NC_LAT, lat_s, &v.lat) < 0)
				bad = 1;
			if (parse_coord(nr, row, NC_LNG, lng_s, &v.lng) < 0)
				bad = 1;
			v.has_coords = 1;
		}
	}
	if (find_parent(nr, row, v.code, v.parent_code, &v.parent_id) < 0)
		bad = 1;
	if (bad || nr->r.store_failed)
		return -1;
	rc = org_node_get_by_code(nr->r.s, v.code, &cur, &f);
	if (rc == 0) {
		rc = update_node(nr, row, &v, &cur);
		node_release(&cur);
		return rc;
	}
	if (f.kind != FAULT_NOT_FOUND) {
		import_store_failed(&nr->r, &f);
		return -1;
	}
	return create_node(nr, row, &v);
}

int csv_import_nodes(struct store *s, const char *text, size_t len, const struct csv_import_options *opt,
		     struct csv_import_result *res, struct fault *f)
{
	struct node_run nr;
	size_t i;
	int rc;

	memset(&nr, 0, sizeof(nr));
	rc = import_start(&nr.r, s, text, len, node_columns, NC_COUNT, "nodes", opt, res, f);
	if (rc < 0)
		return -1;
	strmap_init(&nr.lines);
	strmap_init(&nr.failed);
	if (rc > 0) {
		for (i = 0; i < nr.r.table.nrows; i++) {
			const struct csv_row *row = &nr.r.table.rows[i];
			const char *code = csv_value(&nr.r.map, row, NC_CODE);

			if (code && !strmap_get(&nr.lines, code, NULL))
				strmap_put(&nr.lines, code, (int64_t)row->line);
			if (code && row->bad && !strmap_get(&nr.failed, code, NULL))
				strmap_put(&nr.failed, code, (int64_t)row->line);
		}
		for (i = 0; i < nr.r.table.nrows && !nr.r.store_failed; i++) {
			const struct csv_row *row = &nr.r.table.rows[i];

			if (!row->bad && import_row(&nr, row) < 0) {
				const char *code = csv_value(&nr.r.map, row, NC_CODE);
				int64_t first;

				if (code && strmap_get(&nr.lines, code, &first) && (size_t)first == row->line)
					strmap_put(&nr.failed, code, (int64_t)row->line);
			}
			import_progress(&nr.r, i + 1);
		}
	}
	strmap_release(&nr.lines);
	strmap_release(&nr.failed);
	return import_finish(&nr.r, f);
}
