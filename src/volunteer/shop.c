/*
 * shop.c - the points shop (积分超市) of a node: items with their price in
 * points and their stock; an exchange takes the stock down and writes a
 * redemption row and a ledger row together, or nothing (stock short: 409 on
 * quantity; more points than held: 409 on quantity, from the ledger).
 */
#include "volunteer/volunteer.h"
#include "volunteer/volunteer_internal.h"
#include "org/org.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_NAME_CHARS 100

void volunteer_item_release(struct vol_item *it)
{
	free(it->name);
	memset(it, 0, sizeof(*it));
}

void volunteer_item_list_release(struct vol_item_list *l)
{
	YL_LIST_RELEASE(l, volunteer_item_release);
}

#define ITEM_COLUMNS "id, subdistrict_id, node_id, name, points, stock, active"

static void read_item(struct store_stmt *st, struct vol_item *it)
{
	memset(it, 0, sizeof(*it));
	it->id = store_column_int64(st, 0);
	it->subdistrict_id = store_column_int64(st, 1);
	it->node_id = store_column_int64(st, 2);
	it->name = store_column_dup(st, 3);
	it->points = store_column_int64(st, 4);
	it->stock = store_column_int64(st, 5);
	it->active = store_column_bool(st, 6);
}

static const char SQL_ITEM_BY_ID[] = "SELECT " ITEM_COLUMNS " FROM volunteer_shop_items WHERE id = ?";

int volunteer_item_get(struct store *s, int64_t id, struct vol_item *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_ITEM_BY_ID, id, "shop item", &st, f) < 0)
		return -1;
	read_item(st, out);
	store_done(st);
	return 0;
}

#define ITEM_WHERE                                                                                                 \
	" WHERE (CAST(? AS INTEGER) = 0 OR node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS INTEGER) = 1 OR active = 1)"
static const char SQL_ITEM_COUNT[] = "SELECT count(*) FROM volunteer_shop_items" ITEM_WHERE;
static const char SQL_ITEM_LIST[] =
	"SELECT " ITEM_COLUMNS " FROM volunteer_shop_items" ITEM_WHERE " ORDER BY node_id, points, id LIMIT ? OFFSET ?";

int volunteer_item_list(struct store *s, int64_t under, int include_inactive, int limit, int offset,
			struct vol_item_list *out, int64_t *total, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_ITEM_COUNT, "iii", under, under, (int64_t)include_inactive);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_ITEM_LIST, "iiiii", under, under, (int64_t)include_inactive, (int64_t)limit, (int64_t)offset);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_item(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		volunteer_item_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static int item_values(const struct vol_item_input *in, int create, struct fault *f)
{
	if (check_text("name", in->name, ITEM_NAME_CHARS, create ? TEXT_REQUIRED : TEXT_NOT_BLANK, f) < 0)
		return -1;
	if ((create || in->points >= 0) && (in->points < 1 || in->points > 1000000))
		return fault_set(f, FAULT_INVALID, "points", "points is the price: 1 to 1000000");
	if (in->stock != -1 && (in->stock < 0 || in->stock > 1000000))
		return fault_set(f, FAULT_INVALID, "stock", "stock is 0 to 1000000");
	return 0;
}

static const char SQL_ITEM_TAKEN[] = "SELECT count(*) FROM volunteer_shop_items WHERE node_id = ? AND name = ? AND id <> ?";
static const char SQL_ITEM_INSERT[] =
	"INSERT INTO volunteer_shop_items (subdistrict_id, node_id, name, points, stock, active, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, 1, ?, ?)";
static const char SQL_ITEM_UPDATE[] =
	"UPDATE volunteer_shop_items SET name = ?, points = ?, stock = ?, active = ?, updated_at = ? WHERE id = ?";

static int item_name_free(struct store *s, int64_t node_id, const char *name, int64_t id, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_ITEM_TAKEN, "iti", node_id, name, id);
	int64_t n;
	int rc;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	n = store_column_int64(st, 0);
	store_done(st);
	if (n)
		return fault_set(f, FAULT_CONFLICT, "name", "the shop has an item named %s already", name);
	return 0;
}

int volunteer_item_create(struct store *s, const struct vol_item_input *in, int64_t *id, struct fault *f)
{
	struct node n;
	int64_t subdistrict;
	char now[32];
	int rc;

	*id = 0;
	if (item_values(in, 1, f) < 0)
		return -1;
	if (!in->node_id)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id is required: the shop's node");
	if (org_node_get(s, in->node_id, &n, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			f->kind = FAULT_INVALID;
		snprintf(f->field, sizeof(f->field), "node_id");
		return -1;
	}
	subdistrict = n.subdistrict_id ? n.subdistrict_id : n.id;
	rc = n.level != LEVEL_SUBDISTRICT && n.level != LEVEL_COMMUNITY && n.level != LEVEL_COURTYARD;
	node_release(&n);
	if (rc)
		return fault_set(f, FAULT_INVALID, "node_id", "a points shop belongs to a subdistrict, community or courtyard");
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (item_name_free(s, in->node_id, in->name, 0, f) < 0)
		goto fail;
	time_now_text(now);
	rc = store_run(s, SQL_ITEM_INSERT, "iitiitt", subdistrict, in->node_id, in->name, in->points,
		       in->stock >= 0 ? in->stock : (int64_t)0, now, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	*id = store_last_id(s);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int volunteer_item_update(struct store *s, int64_t id, const struct vol_item_input *in, struct fault *f)
{
	struct vol_item it;
	char now[32];
	int rc;

	if (item_values(in, 0, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (volunteer_item_get(s, id, &it, f) < 0)
		goto fail;
	if (in->name && strcmp(in->name, it.name) && item_name_free(s, it.node_id, in->name, id, f) < 0) {
		volunteer_item_release(&it);
		goto fail;
	}
	time_now_text(now);
	rc = store_run(s, SQL_ITEM_UPDATE, "tiiiti", in->name ? in->name : it.name, in->points >= 0 ? in->points : it.points,
		       in->stock >= 0 ? in->stock : it.stock, (int64_t)(in->set_active ? in->active != 0 : it.active), now,
		       id);
	volunteer_item_release(&it);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static const char SQL_STOCK_TAKE[] =
	"UPDATE volunteer_shop_items SET stock = stock - ?, updated_at = ? WHERE id = ? AND stock >= ?";
static const char SQL_REDEMPTION_INSERT[] =
	"INSERT INTO volunteer_redemptions (subdistrict_id, item_id, node_id, person_id, quantity, points, by_user_id, at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

int volunteer_redeem(struct store *s, int64_t item_id, int64_t person_id, int quantity, int64_t by_user, int64_t *id,
		     struct fault *f)
{
	struct vol_item it;
	struct vol_person p;
	struct vol_ledger_entry e;
	int64_t ledger;
	char now[32], reason[160];
	int rc;

	*id = 0;
	if (quantity < 1 || quantity > 100)
		return fault_set(f, FAULT_INVALID, "quantity", "quantity is 1 to 100");
	if (!person_id)
		return fault_set(f, FAULT_INVALID, "person_id", "person_id is required: whose points");
	if (volunteer_person_get(s, person_id, "person_id", &p, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK) {
		volunteer_person_release(&p);
		return store_fault(s, rc, f);
	}
	if (volunteer_item_get(s, item_id, &it, f) < 0)
		goto fail_p;
	if (!it.active) {
		fault_set(f, FAULT_CONFLICT, "id", "the item is no longer offered");
		goto fail_it;
	}
	if (p.subdistrict_id != it.subdistrict_id) {
		fault_set(f, FAULT_INVALID, "person_id", "person %lld belongs to another subdistrict than the shop",
			  (long long)person_id);
		goto fail_it;
	}
	time_now_text(now);
	if ((rc = store_run(s, SQL_STOCK_TAKE, "itii", (int64_t)quantity, now, item_id, (int64_t)quantity)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_it;
	}
	if (store_changes(s) != 1) {
		fault_set(f, FAULT_CONFLICT, "quantity", "%lld left in stock", (long long)it.stock);
		goto fail_it;
	}
	rc = store_run(s, SQL_REDEMPTION_INSERT, "iiiiiiIt", it.subdistrict_id, item_id, it.node_id, person_id,
		       (int64_t)quantity, it.points * quantity, by_user, now);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail_it;
	}
	*id = store_last_id(s);
	snprintf(reason, sizeof(reason), "%d × %.100s", quantity, it.name);
	memset(&e, 0, sizeof(e));
	e.person_id = person_id;
	e.redemption_id = *id;
	e.by_user_id = by_user;
	e.kind = "redeem";
	e.reason = reason;
	e.points = -it.points * quantity;
	e.field = "quantity";
	if (volunteer_ledger_add(s, &e, &ledger, f) < 0)
		goto fail_it;
	volunteer_item_release(&it);
	volunteer_person_release(&p);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_it:
	volunteer_item_release(&it);
fail_p:
	volunteer_person_release(&p);
	store_rollback(s);
	*id = 0;
	return -1;
}

void volunteer_redemption_list_release(struct vol_redemption_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].item_name);
		free(l->items[i].person_name);
		free(l->items[i].at);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

#define REDEMPTION_WHERE                                                                                             \
	" FROM volunteer_redemptions r CROSS JOIN volunteer_shop_items i CROSS JOIN persons p"                        \
	" WHERE i.id = r.item_id AND p.id = r.person_id"                                                              \
	" AND (CAST(? AS INTEGER) = 0 OR r.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))" \
	" AND (CAST(? AS INTEGER) = 0 OR r.person_id = ?)"
static const char SQL_REDEMPTION_COUNT[] = "SELECT count(*)" REDEMPTION_WHERE;
static const char SQL_REDEMPTION_LIST[] =
	"SELECT r.id, r.item_id, r.node_id, r.person_id, r.quantity, r.points, r.by_user_id, i.name, p.name, r.at"
	REDEMPTION_WHERE " ORDER BY r.id DESC LIMIT ? OFFSET ?";

int volunteer_redemptions(struct store *s, int64_t under, int64_t person_id, int limit, int offset,
			  struct vol_redemption_list *out, int64_t *total, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_REDEMPTION_COUNT, "iiii", under, under, person_id, person_id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*total = store_column_int64(st, 0);
	store_done(st);
	st = store_query(s, SQL_REDEMPTION_LIST, "iiiiii", under, under, person_id, person_id, (int64_t)limit, (int64_t)offset);
	while (store_next(st, &rc)) {
		struct vol_redemption *r;

		YL_GROW(out->items, out->n, out->cap);
		r = &out->items[out->n++];
		memset(r, 0, sizeof(*r));
		r->id = store_column_int64(st, 0);
		r->item_id = store_column_int64(st, 1);
		r->node_id = store_column_int64(st, 2);
		r->person_id = store_column_int64(st, 3);
		r->quantity = store_column_int64(st, 4);
		r->points = store_column_int64(st, 5);
		r->by_user_id = store_column_int64(st, 6);
		r->item_name = store_column_dup(st, 7);
		r->person_name = store_column_dup(st, 8);
		r->at = store_column_dup(st, 9);
	}
	if (rc != STORE_DONE) {
		volunteer_redemption_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
