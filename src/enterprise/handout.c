/*
 * handout.c - policy documents handed out (政策汇编, booklets): a title, the
 * copies, the day, and where: to an enterprise, at an event, or at a node (a
 * stand in the subdistrict).  "300 booklets" is the sum of copies.
 */
#include "enterprise/enterprise.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_CHARS 200

static void handout_release(struct policy_handout *h)
{
	free(h->title);
}

void policy_handout_list_release(struct policy_handout_list *l)
{
	YL_LIST_RELEASE(l, handout_release);
}

static const char SQL_ENTERPRISE[] = "SELECT node_id FROM enterprises WHERE id = ?";
static const char SQL_EVENT[] = "SELECT node_id FROM enterprise_events WHERE id = ?";
static const char SQL_NODE[] = "SELECT subdistrict_id FROM nodes WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO policy_handouts (subdistrict_id, node_id, enterprise_id, event_id, title, copies, handed_on,"
	" created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
#define HANDOUT_WHERE                                                                                          \
	" WHERE (CAST(? AS INTEGER) = 0 OR h.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS INTEGER) = 0 OR h.enterprise_id = ?)"                                                   \
	" AND (CAST(? AS TEXT) IS NULL OR h.handed_on >= ?) AND (CAST(? AS TEXT) IS NULL OR h.handed_on <= ?)"
static const char SQL_TOTALS[] = "SELECT count(*), sum(h.copies) FROM policy_handouts h" HANDOUT_WHERE;
static const char SQL_LIST[] =
	"SELECT h.id, h.node_id, h.enterprise_id, h.event_id, h.title, h.copies, h.handed_on FROM policy_handouts h"
	HANDOUT_WHERE " ORDER BY h.handed_on DESC, h.id DESC LIMIT ? OFFSET ?";

/* The node a row stands at, named in field; 400 on that field when there is no such row. */
static int node_of(struct store *s, const char *sql, int64_t id, const char *field, const char *what, int64_t *out,
		   struct fault *f)
{
	struct store_stmt *st;

	if (store_get_by_id(s, sql, id, what, &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, field, "%s %lld does not exist", what, (long long)id);
		return -1;
	}
	*out = store_column_int64(st, 0);
	store_done(st);
	return 0;
}

int policy_handout_add(struct store *s, const struct policy_handout_input *in, int64_t *id, struct fault *f)
{
	int64_t node = in->node_id, subdistrict, other;
	char today[11], now[32];
	const char *on = in->handed_on;
	int rc;

	*id = 0;
	if (check_text("title", in->title, TITLE_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	if (in->copies < 1 || in->copies > 100000)
		return fault_set(f, FAULT_INVALID, "copies", "copies is 1 to 100000");
	if (on && enterprise_past_date_check("handed_on", on, f) < 0)
		return -1;
	if (!on) {
		date_today_local(today);
		on = today;
	}
	if (in->enterprise_id && node_of(s, SQL_ENTERPRISE, in->enterprise_id, "enterprise_id", "enterprise", &other, f) < 0)
		return -1;
	if (in->enterprise_id && !node)
		node = other;
	if (in->event_id && node_of(s, SQL_EVENT, in->event_id, "event_id", "event", &other, f) < 0)
		return -1;
	if (in->event_id && !node)
		node = other;
	if (!node)
		return fault_set(f, FAULT_INVALID, "node_id", "say where: node_id, enterprise_id or event_id");
	if (node_of(s, SQL_NODE, node, "node_id", "node", &subdistrict, f) < 0)
		return -1;
	if (!subdistrict)
		subdistrict = node;
	time_now_text(now);
	rc = store_run(s, SQL_INSERT, "iiIItitIt", subdistrict, node, in->enterprise_id, in->event_id, in->title,
		       in->copies, on, in->created_by, now);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

int policy_handouts(struct store *s, const struct enterprise_service_filter *flt, struct policy_handout_list *out,
		    struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((flt->from && date_valid(flt->from) != 0) || (flt->to && date_valid(flt->to) != 0))
		return fault_set(f, FAULT_INVALID, flt->from && date_valid(flt->from) != 0 ? "from" : "to",
				 "from and to are dates as YYYY-MM-DD");
#define FILTER_ARGS                                                                                            \
	flt->under_id, flt->under_id, flt->enterprise_id, flt->enterprise_id, flt->from, flt->from, flt->to, flt->to
	st = store_query(s, SQL_TOTALS, "iiiitttt", FILTER_ARGS);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	out->total = store_column_int64(st, 0);
	out->copies = store_column_is_null(st, 1) ? 0 : store_column_int64(st, 1);
	store_done(st);
	st = store_query(s, SQL_LIST, "iiiittttii", FILTER_ARGS, (int64_t)(flt->limit > 0 ? flt->limit : 50),
			 (int64_t)(flt->offset > 0 ? flt->offset : 0));
#undef FILTER_ARGS
	while (store_next(st, &rc)) {
		struct policy_handout *h;

		YL_GROW(out->items, out->n, out->cap);
		h = &out->items[out->n++];
		h->id = store_column_int64(st, 0);
		h->node_id = store_column_int64(st, 1);
		h->enterprise_id = store_column_int64(st, 2);
		h->event_id = store_column_int64(st, 3);
		h->title = store_column_dup(st, 4);
		h->copies = store_column_int64(st, 5);
		store_column_copy(st, 6, h->handed_on, sizeof(h->handed_on));
	}
	if (rc != STORE_DONE) {
		policy_handout_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
