/*
 * table_out.c - report tables as CSV or XLSX (table_out.h).
 */
#include "csvio/table_out.h"
#include "csvio/csvio.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define MAX_COLUMNS 40
#define SHANGHAI_OFFSET (8 * 3600)
#define EXCEL_UNIX_EPOCH 25569.0	/* 1970-01-01 as an Excel serial day */

struct table_out {
	int xlsx;
	FILE *fp;			/* CSV */
	struct buf line;
	int sheets;
	lxw_workbook *wb;		/* XLSX */
	lxw_worksheet *ws;
	lxw_format *title, *subtitle, *header, *time, *ratio, *integer;
	enum table_kind kinds[MAX_COLUMNS];
	size_t ncols;
	lxw_row_t row;
};

struct table_out *table_out_open(const char *path, int xlsx, struct fault *f)
{
	struct table_out *t = xcalloc(1, sizeof(*t));

	t->xlsx = xlsx;
	buf_init(&t->line);
	if (!xlsx) {
		if (!(t->fp = fopen(path, "wb"))) {
			free(t);
			fault_set(f, FAULT_INTERNAL, NULL, "cannot write the export file");
			return NULL;
		}
		csv_put_bom(&t->line);
		return t;
	}
	{
		lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE };

		t->wb = workbook_new_opt(path, &opt);
	}
	if (!t->wb) {
		free(t);
		fault_set(f, FAULT_INTERNAL, NULL, "cannot write the export workbook");
		return NULL;
	}
	t->title = workbook_add_format(t->wb);
	format_set_bold(t->title);
	format_set_font_size(t->title, 16);
	t->subtitle = workbook_add_format(t->wb);
	format_set_font_color(t->subtitle, 0x555B63);
	t->header = workbook_add_format(t->wb);
	format_set_bold(t->header);
	format_set_bg_color(t->header, 0xE8EEFC);
	format_set_bottom(t->header, LXW_BORDER_THIN);
	format_set_text_wrap(t->header);
	t->time = workbook_add_format(t->wb);
	format_set_num_format(t->time, "yyyy-mm-dd hh:mm");
	t->ratio = workbook_add_format(t->wb);
	format_set_num_format(t->ratio, "0.0%");
	t->integer = workbook_add_format(t->wb);
	format_set_num_format(t->integer, "#,##0");
	return t;
}

static int lxw_fail(lxw_error e, struct fault *f)
{
	return e == LXW_NO_ERROR ? 0 : fault_set(f, FAULT_INTERNAL, NULL, "the workbook cannot be written: %s",
					     lxw_strerror(e));
}

int table_out_sheet(struct table_out *t, const char *name, const char *title, const char *subtitle,
		    const struct table_column *cols, size_t ncols, struct fault *f)
{
	const char *titles[MAX_COLUMNS];
	size_t i;

	if (ncols > MAX_COLUMNS)
		return fault_set(f, FAULT_INTERNAL, NULL, "a table of more than %d columns", MAX_COLUMNS);
	t->ncols = ncols;
	for (i = 0; i < ncols; i++)
		t->kinds[i] = cols[i].kind;
	if (!t->xlsx) {
		if (t->sheets++)
			return fault_set(f, FAULT_INTERNAL, NULL, "a CSV file holds one table");
		for (i = 0; i < ncols; i++)
			titles[i] = cols[i].title;
		csv_put_row(&t->line, titles, ncols);
		return 0;
	}
	t->sheets++;
	if (!(t->ws = workbook_add_worksheet(t->wb, name)))
		return fault_set(f, FAULT_INTERNAL, NULL, "the workbook cannot take a sheet '%s'", name);
	/* Widths and the frozen header come before any row (constant-memory mode writes rows in order). */
	for (i = 0; i < ncols; i++)
		worksheet_set_column(t->ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width > 0 ? cols[i].width : 12, NULL);
	worksheet_freeze_panes(t->ws, 3, 0);
	worksheet_set_row(t->ws, 0, 24, NULL);
	if (lxw_fail(worksheet_write_string(t->ws, 0, 0, title, t->title), f) < 0 ||
	    lxw_fail(worksheet_write_string(t->ws, 1, 0, subtitle ? subtitle : "", t->subtitle), f) < 0)
		return -1;
	for (i = 0; i < ncols; i++)
		if (lxw_fail(worksheet_write_string(t->ws, 2, (lxw_col_t)i, cols[i].title, t->header), f) < 0)
			return -1;
	worksheet_autofilter(t->ws, 2, 0, 2, (lxw_col_t)(ncols - 1));
	t->row = 3;
	return 0;
}

/* An instant as local "YYYY-MM-DD HH:MM:SS" (CSV). */
static void local_text(int64_t at, char out[32])
{
	char iso[40];

	time_format_local(at, iso, sizeof(iso));
	snprintf(out, 32, "%.10s %.8s", iso, iso + 11);
}

static int csv_row(struct table_out *t, const struct table_cell *cells, struct fault *f)
{
	char nums[MAX_COLUMNS][32];
	const char *fields[MAX_COLUMNS];
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		fields[i] = nums[i];
		nums[i][0] = '\0';
		switch (t->kinds[i]) {
		case TABLE_TEXT:
			fields[i] = cells[i].text ? cells[i].text : "";
			break;
		case TABLE_INT:
			snprintf(nums[i], sizeof(nums[i]), "%lld", (long long)cells[i].v);
			break;
		case TABLE_TIME:
			if (cells[i].v)
				local_text(cells[i].v, nums[i]);
			break;
		case TABLE_RATIO:
			if (cells[i].ratio >= 0)
				snprintf(nums[i], sizeof(nums[i]), "%.1f%%", cells[i].ratio * 100);
			break;
		}
	}
	csv_put_row(&t->line, fields, t->ncols);
	if (fwrite(t->line.data, 1, t->line.len, t->fp) != t->line.len)
		return fault_set(f, FAULT_INTERNAL, NULL, "cannot write the export file");
	buf_reset(&t->line);
	return 0;
}

int table_out_row(struct table_out *t, const struct table_cell *cells, struct fault *f)
{
	lxw_error e = LXW_NO_ERROR;
	size_t i;

	if (!t->xlsx)
		return csv_row(t, cells, f);
	for (i = 0; i < t->ncols && e == LXW_NO_ERROR; i++) {
		lxw_col_t c = (lxw_col_t)i;

		switch (t->kinds[i]) {
		case TABLE_TEXT:
			if (cells[i].text && *cells[i].text)
				e = worksheet_write_string(t->ws, t->row, c, cells[i].text, NULL);
			break;
		case TABLE_INT:
			e = worksheet_write_number(t->ws, t->row, c, (double)cells[i].v, t->integer);
			break;
		case TABLE_TIME:
			if (cells[i].v)
				e = worksheet_write_number(t->ws, t->row, c,
							   (double)(cells[i].v + SHANGHAI_OFFSET) / 86400.0 + EXCEL_UNIX_EPOCH,
							   t->time);
			break;
		case TABLE_RATIO:
			if (cells[i].ratio >= 0)
				e = worksheet_write_number(t->ws, t->row, c, cells[i].ratio, t->ratio);
			break;
		}
	}
	t->row++;
	return lxw_fail(e, f);
}

int table_out_close(struct table_out *t, struct fault *f)
{
	int rc = 0;

	if (!t)
		return 0;
	if (t->xlsx) {
		lxw_error e = workbook_close(t->wb);

		rc = lxw_fail(e, f);
	} else {
		if (t->line.len && fwrite(t->line.data, 1, t->line.len, t->fp) != t->line.len)
			rc = fault_set(f, FAULT_INTERNAL, NULL, "cannot write the export file");
		if (fclose(t->fp) != 0 && rc == 0)
			rc = fault_set(f, FAULT_INTERNAL, NULL, "cannot write the export file");
	}
	buf_release(&t->line);
	free(t);
	return rc;
}
