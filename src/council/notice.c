/*
 * notice.c - the notice board (楼长公示栏): a notice is published to a node
 * and shows on it and everything under it from its first to its last day;
 * draft -> published -> withdrawn.  The board of a node (the public courtyard
 * page reads it) lists the published notices of the node and its ancestors
 * current on the day; a draft or a withdrawn notice is never on it, and of
 * the conventions (文明公约, versioned) only the latest to have started.
 */
#include "council/council_internal.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_CHARS 100
#define BODY_CHARS 5000

static const char *const CATEGORIES[] = { "council_result", "roster", "party_members", "policy", "convention", "other",
					  NULL };

void notice_release(struct notice *n)
{
	free(n->title);
	free(n->body);
	free(n->published_at);
	free(n->created_at);
	free(n->node_name);
	memset(n, 0, sizeof(*n));
}

void notice_list_release(struct notice_list *l)
{
	YL_LIST_RELEASE(l, notice_release);
}

#define NOTICE_COLUMNS                                                                                       \
	"x.id, x.node_id, x.title, x.body, x.category, x.starts_on, x.ends_on, x.status, x.published_at,"    \
	" x.created_by, x.created_at, (SELECT name FROM nodes WHERE nodes.id = x.node_id)"

static void read_notice(struct store_stmt *st, struct notice *n)
{
	memset(n, 0, sizeof(*n));
	n->id = store_column_int64(st, 0);
	n->node_id = store_column_int64(st, 1);
	n->title = store_column_dup(st, 2);
	n->body = store_column_dup(st, 3);
	store_column_copy(st, 4, n->category, sizeof(n->category));
	store_column_copy(st, 5, n->starts_on, sizeof(n->starts_on));
	store_column_copy(st, 6, n->ends_on, sizeof(n->ends_on));
	store_column_copy(st, 7, n->status, sizeof(n->status));
	n->published_at = store_column_dup(st, 8);
	n->created_by = store_column_int64(st, 9);
	n->created_at = store_column_dup(st, 10);
	n->node_name = store_column_dup(st, 11);
}

static int read_all(struct store *s, struct store_stmt *st, struct notice_list *out, struct fault *f)
{
	int rc;

	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_notice(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		notice_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_NOTICE_INSERT[] =
	"INSERT INTO notices (subdistrict_id, node_id, title, body, category, starts_on, ends_on, created_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

int notice_create(struct store *s, const struct notice_input *in, int64_t by_user, int64_t *id, struct fault *f)
{
	int64_t sub;
	int level, rc, ok = 0;
	size_t i;
	char now[32];

	*id = 0;
	if (!in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required: where the notice is published");
	if (check_text("title", in->title, TITLE_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("body", in->body, BODY_CHARS, TEXT_REQUIRED, f) < 0)
		return -1;
	for (i = 0; in->category && CATEGORIES[i]; i++)
		ok |= !strcmp(CATEGORIES[i], in->category);
	if (!ok)
		return fault_set(f, FAULT_INVALID, "category",
				 "category is council_result, roster, party_members, policy, convention or other");
	if (council_date("starts_on", in->starts_on, f) < 0 || council_date("ends_on", in->ends_on, f) < 0)
		return -1;
	if (strcmp(in->ends_on, in->starts_on) < 0)
		return fault_set(f, FAULT_INVALID, "ends_on", "ends_on must not come before starts_on (%s)", in->starts_on);
	if (council_node_of(s, in->node_id, "node_id", &sub, &level, f) < 0)
		return -1;
	time_now_text(now);
	rc = store_run(s, SQL_NOTICE_INSERT, "iitttttIt", sub, in->node_id, in->title, in->body, in->category,
		       in->starts_on, in->ends_on, by_user, now);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

static const char SQL_NOTICE_BY_ID[] = "SELECT " NOTICE_COLUMNS " FROM notices x WHERE x.id = ?";

int notice_get(struct store *s, int64_t id, struct notice *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_NOTICE_BY_ID, id, "notice", &st, f) < 0)
		return -1;
	read_notice(st, out);
	store_done(st);
	return 0;
}

static const char SQL_NOTICE_LIST[] =
	"SELECT " NOTICE_COLUMNS " FROM notices x"
	" WHERE (CAST(? AS INTEGER) = 0 OR x.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
	" ORDER BY x.id DESC LIMIT ? OFFSET ?";
static const char SQL_NOTICE_COUNT[] =
	"SELECT count(*) FROM notices x"
	" WHERE (CAST(? AS INTEGER) = 0 OR x.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))";

int notice_list(struct store *s, int64_t under, int limit, int offset, struct notice_list *out, int64_t *total,
		struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_NOTICE_COUNT, "ii", under, under);
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*total = store_column_int64(st, 0);
	store_done(st);
	return read_all(s, store_query(s, SQL_NOTICE_LIST, "iiii", under, under, (int64_t)limit, (int64_t)offset), out, f);
}

static const char SQL_PUBLISH[] = "UPDATE notices SET status = 'published', published_at = ? WHERE id = ? AND status = 'draft'";
static const char SQL_WITHDRAW[] = "UPDATE notices SET status = 'withdrawn' WHERE id = ? AND status = 'published'";

static int move(struct store *s, int64_t id, const char *from, const char *sql, const char *what, struct fault *f)
{
	struct notice n;
	char now[32];
	int rc;

	if (notice_get(s, id, &n, f) < 0)
		return -1;
	rc = strcmp(n.status, from);
	if (rc) {
		fault_set(f, FAULT_CONFLICT, "status", "notice %lld is %s: it cannot be %s", (long long)id, n.status, what);
		notice_release(&n);
		return -1;
	}
	notice_release(&n);
	time_now_text(now);
	rc = sql == SQL_PUBLISH ? store_run(s, sql, "ti", now, id) : store_run(s, sql, "i", id);
	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}

int notice_publish(struct store *s, int64_t id, struct fault *f)
{
	return move(s, id, "draft", SQL_PUBLISH, "published", f);
}

int notice_withdraw(struct store *s, int64_t id, struct fault *f)
{
	return move(s, id, "published", SQL_WITHDRAW, "withdrawn", f);
}

static const char SQL_BOARD[] =
	"SELECT " NOTICE_COLUMNS " FROM notices x"
	" WHERE x.node_id IN (SELECT ancestor_id FROM node_closure WHERE descendant_id = ?)"
	" AND x.status = 'published' AND x.starts_on <= ? AND x.ends_on >= ?"
	" ORDER BY x.starts_on DESC, x.id DESC LIMIT 100";

int notice_board(struct store *s, int64_t node_id, const char *today, struct notice_list *out, struct fault *f)
{
	size_t i, kept = 0;
	int convention = 0;

	memset(out, 0, sizeof(*out));
	if (read_all(s, store_query(s, SQL_BOARD, "itt", node_id, today, today), out, f) < 0)
		return -1;
	/* Conventions (文明公约) are versioned: the board shows the current one, the latest to have started. */
	for (i = 0; i < out->n; i++) {
		if (!strcmp(out->items[i].category, "convention") && convention++) {
			notice_release(&out->items[i]);
			continue;
		}
		out->items[kept++] = out->items[i];
	}
	out->n = kept;
	return 0;
}
