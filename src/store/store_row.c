/*
 * store_row.c - the row helpers of store.h: binding by a type string, a
 * statement run for its effect, iteration, one row by id and typed readers.
 * They sit on the public calls of store.h only, so both backends get them.
 */
#include "store/store.h"
#include "util/fault.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>

static void bind_va(struct store_stmt *st, const char *types, va_list ap)
{
	int i;

	for (i = 0; types && types[i]; i++) {
		switch (types[i]) {
		case 'i':
			store_bind_int64(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'I':
			store_bind_id(st, i + 1, va_arg(ap, int64_t));
			break;
		case 't':
			store_bind_text(st, i + 1, va_arg(ap, const char *));
			break;
		case 'd':
			store_bind_double(st, i + 1, va_arg(ap, double));
			break;
		default:
			fatal("store: parameter type '%c' is not one of i I t d", types[i]);
		}
	}
}

struct store_stmt *store_query(struct store *s, const char *sql, const char *types, ...)
{
	struct store_stmt *st = store_prepare(s, sql);
	va_list ap;

	va_start(ap, types);
	bind_va(st, types, ap);
	va_end(ap);
	return st;
}

int store_step_done(struct store_stmt *st)
{
	int rc = store_step(st);

	store_done(st);
	return rc == STORE_DONE || rc == STORE_ROW ? STORE_OK : rc;
}

int store_run(struct store *s, const char *sql, const char *types, ...)
{
	struct store_stmt *st = store_prepare(s, sql);
	va_list ap;

	va_start(ap, types);
	bind_va(st, types, ap);
	va_end(ap);
	return store_step_done(st);
}

int store_next(struct store_stmt *st, int *rc)
{
	*rc = store_step(st);
	if (*rc == STORE_ROW)
		return 1;
	store_done(st);
	return 0;
}

int store_get_by_id(struct store *s, const char *sql, int64_t id, const char *what, struct store_stmt **st,
		    struct fault *f)
{
	int rc;

	*st = store_prepare(s, sql);
	store_bind_int64(*st, 1, id);
	if ((rc = store_step(*st)) == STORE_ROW)
		return 0;
	store_done(*st);
	*st = NULL;
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, "id", "%s %lld does not exist", what, (long long)id);
	return store_fault(s, rc, f);
}

char *store_column_dup(struct store_stmt *st, int col)
{
	return xstrdup_or_null(store_column_text(st, col));
}

void store_column_copy(struct store_stmt *st, int col, char *out, size_t outlen)
{
	const char *v = store_column_text(st, col);

	snprintf(out, outlen, "%s", v ? v : "");
}

int store_column_bool(struct store_stmt *st, int col)
{
	return store_column_int64(st, col) != 0;
}
