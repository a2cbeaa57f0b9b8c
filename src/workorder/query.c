/*
 * query.c - SQL pieces with their parameters (query.h).
 */
#include "workorder/query.h"

#include <stdlib.h>
#include <string.h>

/* Allocates nothing: the buffer grows on the first piece (util.h), so an unused piece costs nothing. */
void wo_sql_init(struct wo_sql *q)
{
	memset(q, 0, sizeof(*q));
}

void wo_sql_release(struct wo_sql *q)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		free(q->params[i].text);
	free(q->params);
	buf_release(&q->sql);
	wo_sql_init(q);
}

void wo_sql_add(struct wo_sql *q, const char *sql)
{
	buf_adds(&q->sql, sql);
}

static struct wo_sql_param *next_param(struct wo_sql *q)
{
	struct wo_sql_param *p;

	YL_GROW(q->params, q->n, q->cap);
	p = &q->params[q->n++];
	memset(p, 0, sizeof(*p));
	return p;
}

void wo_sql_int(struct wo_sql *q, int64_t v)
{
	next_param(q)->v = v;
}

void wo_sql_text(struct wo_sql *q, const char *v)
{
	struct wo_sql_param *p = next_param(q);

	p->is_text = 1;
	p->text = xstrdup_or_null(v);
}

void wo_sql_cat(struct wo_sql *dst, const struct wo_sql *src)
{
	size_t i;

	if (src->sql.len)
		buf_add(&dst->sql, src->sql.data, src->sql.len);
	for (i = 0; i < src->n; i++) {
		if (src->params[i].is_text)
			wo_sql_text(dst, src->params[i].text);
		else
			wo_sql_int(dst, src->params[i].v);
	}
}

int wo_sql_bind(struct store_stmt *st, const struct wo_sql *q, int first)
{
	size_t i;

	for (i = 0; i < q->n; i++, first++) {
		if (q->params[i].is_text)
			store_bind_text(st, first, q->params[i].text);
		else
			store_bind_int64(st, first, q->params[i].v);
	}
	return first;
}
