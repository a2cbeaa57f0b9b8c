/*
 * import_indicators.c - enterprises' monthly indicators from the statistics
 * office's spreadsheet saved as CSV.
 *
 * Every row is one enterprise (by its unified social credit code) and one
 * month, with any of output, sales, taxes, investment and energy, as fixed
 * point text (万元; energy in tonnes of standard coal).  Each row goes
 * through enterprise_indicator_put(), so the rules are the domain's: a month
 * in the future or a negative figure is refused on its column, and a month
 * already reported needs a correction reason (the reason column).  The same
 * enterprise and month twice in one file is refused on the second line.  As
 * every import: every bad row named, nothing written unless all are good.
 */
#include "csvio/import.h"
#include "enterprise/enterprise.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { IC_CODE, IC_MONTH, IC_OUTPUT, IC_SALES, IC_TAXES, IC_INVESTMENT, IC_ENERGY, IC_REASON, IC_COUNT };

static const char *const code_names[] = { "统一社会信用代码", "信用代码", "社会信用代码", NULL };
static const char *const month_names[] = { "月份", "统计月份", "报告期", NULL };
static const char *const output_names[] = { "工业产值", "工业总产值", "产值", NULL };
static const char *const sales_names[] = { "销售收入", "营业收入", "主营业务收入", NULL };
static const char *const taxes_names[] = { "税金", "税收", "应交税金", NULL };
static const char *const investment_names[] = { "固定资产投资", "投资", NULL };
static const char *const energy_names[] = { "能耗", "综合能耗", NULL };
static const char *const reason_names[] = { "更正原因", "原因", NULL };

static const struct csv_column indicator_columns[IC_COUNT] = {
	[IC_CODE] = { "credit_code", code_names, 1 },
	[IC_MONTH] = { "month", month_names, 1 },
	[IC_OUTPUT] = { "output", output_names, 0 },
	[IC_SALES] = { "sales", sales_names, 0 },
	[IC_TAXES] = { "taxes", taxes_names, 0 },
	[IC_INVESTMENT] = { "investment", investment_names, 0 },
	[IC_ENERGY] = { "energy", energy_names, 0 },
	[IC_REASON] = { "reason", reason_names, 0 },
};

/* The column of a measure (EM_*) and of a field a domain fault names. */
static int column_of_field(const char *field)
{
	int m;

	if (!strcmp(field, "month"))
		return IC_MONTH;
	if (!strcmp(field, "reason"))
		return IC_REASON;
	for (m = 0; m < EM_COUNT; m++)
		if (!strcmp(field, enterprise_measure_names[m]))
			return IC_OUTPUT + m;
	return IC_CODE;
}

struct indicator_run {
	struct import_run r;
	struct strmap enterprises;	/* credit code -> enterprise id (-1: none) */
	struct strmap seen;		/* credit code + month -> line, within the file */
};

/* "2025-11", and what spreadsheets write back: "2025/11", "2025年11月", "2025-11-01". */
static int month_normalise(const char *s, char out[8])
{
	int y, m, n = 0;

	if ((sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 || sscanf(s, "%4d/%2d%n", &y, &m, &n) == 2 ||
	     sscanf(s, "%4d年%2d月%n", &y, &m, &n) == 2) &&
	    (s[n] == '\0' || (s[n] == '-' && date_valid(s) == 0) || (s[n] == '/' && strlen(s + n) <= 3))) {
		snprintf(out, 8, "%04d-%02d", y, m);
		return enterprise_month_valid(out) ? 0 : -1;
	}
	return -1;
}

/* The enterprise a code names, 0 when none (reported); -1 on a store failure. */
static int enterprise_of(struct indicator_run *ir, const struct csv_row *row, const char *code, int64_t *id)
{
	struct enterprise e;
	struct fault f = { 0 };
	int in;

	if (strmap_get(&ir->enterprises, code, id)) {
		if (*id < 0)
			import_problem(&ir->r, row, IC_CODE, "no enterprise has the credit code %s", code);
		return *id > 0;
	}
	if (enterprise_get_by_code(ir->r.s, code, &e, &f) < 0) {
		if (f.kind != FAULT_NOT_FOUND) {
			import_store_failed(&ir->r, &f);
			return -1;
		}
		strmap_put(&ir->enterprises, code, -1);
		*id = -1;
		import_problem(&ir->r, row, IC_CODE, "no enterprise has the credit code %s", code);
		return 0;
	}
	*id = e.id;
	in = ir->r.scope ? import_in_scope(&ir->r, row, IC_CODE, e.node_id, "the enterprise") : 1;
	enterprise_release(&e);
	if (in <= 0)
		*id = -1;
	strmap_put(&ir->enterprises, code, *id);
	return in;
}

static void import_row(struct indicator_run *ir, const struct csv_row *row)
{
	struct enterprise_indicator_input in;
	struct fault f = { 0 };
	const char *code = csv_value(&ir->r.map, row, IC_CODE), *reason;
	char month[8], key[40];
	int64_t id, line;
	int m, corrected;

	memset(&in, 0, sizeof(in));
	if (!code || !*code) {
		import_problem(&ir->r, row, IC_CODE, "the credit code is required");
		return;
	}
	if (month_normalise(csv_value(&ir->r.map, row, IC_MONTH) ? csv_value(&ir->r.map, row, IC_MONTH) : "", month) < 0) {
		import_problem(&ir->r, row, IC_MONTH, "the month is YYYY-MM (or 2025/11, 2025年11月)");
		return;
	}
	snprintf(key, sizeof(key), "%.18s %s", code, month);
	if (strmap_get(&ir->seen, key, &line)) {
		import_problem(&ir->r, row, IC_MONTH, "this enterprise and month are already on line %lld", (long long)line);
		return;
	}
	strmap_put(&ir->seen, key, (int64_t)row->line);
	if (enterprise_of(ir, row, code, &id) <= 0)
		return;
	in.month = month;
	for (m = 0; m < EM_COUNT; m++) {
		const char *v = csv_value(&ir->r.map, row, IC_OUTPUT + m);

		in.value[m] = v && *v ? v : NULL;
	}
	reason = csv_value(&ir->r.map, row, IC_REASON);
	in.reason = reason && *reason ? reason : NULL;
	if (enterprise_indicator_put(ir->r.s, id, &in, &corrected, &f) < 0) {
		if (f.kind == FAULT_INTERNAL)
			import_store_failed(&ir->r, &f);
		else
			import_problem(&ir->r, row, column_of_field(f.field), "%s", f.message);
		return;
	}
	if (corrected)
		ir->r.res->updated++;
	else
		ir->r.res->created++;
}

int csv_import_indicators(struct store *s, const char *text, size_t len, const struct csv_import_options *opt,
			  struct csv_import_result *res, struct fault *f)
{
	struct indicator_run ir;
	size_t i;
	int rc;

	memset(&ir, 0, sizeof(ir));
	rc = import_start(&ir.r, s, text, len, indicator_columns, IC_COUNT, "indicators", opt, res, f);
	if (rc < 0)
		return -1;
	strmap_init(&ir.enterprises);
	strmap_init(&ir.seen);
	if (rc > 0) {
		for (i = 0; i < ir.r.table.nrows && !ir.r.store_failed; i++) {
			if (!ir.r.table.rows[i].bad)
				import_row(&ir, &ir.r.table.rows[i]);
			import_progress(&ir.r, i + 1);
		}
	}
	strmap_release(&ir.enterprises);
	strmap_release(&ir.seen);
	return import_finish(&ir.r, f);
}
