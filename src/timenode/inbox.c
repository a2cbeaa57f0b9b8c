/*
 * inbox.c - "my tasks": what waits for the person logged in, from every kind
 * of time node, kinds in the table's order (work orders first).
 */
#include "timenode/timenode.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

void tn_inbox_add(struct tn_inbox *in, const struct tn_task *t)
{
	struct tn_task *c;

	YL_GROW(in->items, in->n, in->cap);
	c = &in->items[in->n++];
	*c = *t;
	c->title = xstrdup_or_null(t->title);
	c->list = xstrdup_or_null(t->list);
}

void tn_inbox_release(struct tn_inbox *in)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		free((char *)in->items[i].title);
		free((char *)in->items[i].list);
	}
	free(in->items);
	memset(in, 0, sizeof(*in));
}

int tn_inbox(struct store *s, const struct actor *a, int limit, struct tn_inbox *out, struct fault *f)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < tn_kind_count(); i++) {
		const struct tn_kind *k = tn_kind_at(i);

		if (k->inbox && k->inbox(k, s, a, limit, out, f) < 0) {
			tn_inbox_release(out);
			return -1;
		}
	}
	return 0;
}
