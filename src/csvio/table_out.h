/*
 * table_out.h - a report table written row by row to a file, as CSV or as
 * XLSX (libxlsxwriter in constant-memory mode), so an export of any size
 * takes the memory of one row.  XLSX has the layout of an office report: a
 * title, a line saying the period and who exported it, the header frozen
 * under them, column widths, number and date formats; a workbook may hold
 * several sheets, each written whole before the next.  CSV is the header and
 * the rows (UTF-8 with a BOM, CRLF), one sheet only.
 *
 * Cells: text, a whole number, an instant (unix seconds, shown in
 * Asia/Shanghai), or a ratio (0..1, shown as a percentage); a NULL text or an
 * instant 0 is an empty cell.
 */
#ifndef YL_TABLE_OUT_H
#define YL_TABLE_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "util/fault.h"

enum table_kind { TABLE_TEXT, TABLE_INT, TABLE_TIME, TABLE_RATIO };

struct table_column {
	const char *title;
	enum table_kind kind;
	double width;			/* characters; 0: 12 */
};

struct table_cell {
	const char *text;
	int64_t v;			/* TABLE_INT, TABLE_TIME */
	double ratio;			/* TABLE_RATIO; < 0: empty */
};

struct table_out;

/* Opens path for writing (xlsx 1: a workbook, 0: CSV); NULL with f filled. */
struct table_out *table_out_open(const char *path, int xlsx, struct fault *f);
int table_out_sheet(struct table_out *t, const char *name, const char *title, const char *subtitle,
		    const struct table_column *cols, size_t ncols, struct fault *f);
int table_out_row(struct table_out *t, const struct table_cell *cells, struct fault *f);
/* Finishes the file and frees t (also after a failure); -1 with f filled when the file is not whole. */
int table_out_close(struct table_out *t, struct fault *f);

#endif
