/*
 * event.c - the history of a work order: one wo_events row per action, never
 * rewritten, and the photos that came with it (wo_photos links an upload to
 * the order and to the event that brought it).
 */
#include "workorder/wo_internal.h"
#include "workorder/upload.h"
#include "webhook/webhook.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PHOTOS 9		/* a phone's photo picker offers nine */

void wo_event_list_release(struct wo_event_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct wo_event *e = &l->items[i];

		free(e->actor_login);
		free(e->action);
		free(e->from_state);
		free(e->to_state);
		free(e->opinion);
		free(e->detail);
		free(e->photo_ids);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static const char SQL_UPLOAD_EXISTS[] = "SELECT id FROM wo_uploads WHERE id = ?";
static const char SQL_PHOTO_ON_ORDER[] = "SELECT upload_id FROM wo_photos WHERE order_id = ? AND upload_id = ?";

int wo_photos_check(struct store *s, const struct actor *a, int64_t order_id, const int64_t *ids, size_t n,
		    struct fault *f)
{
	size_t i, j;
	int64_t got;
	int rc;

	if (n > MAX_PHOTOS)
		return fault_set(f, FAULT_INVALID, "photo_ids", "at most %d photos go with one action, %zu given",
				 MAX_PHOTOS, n);
	for (i = 0; i < n; i++) {
		if (ids[i] <= 0)
			return fault_set(f, FAULT_INVALID, "photo_ids", "photo ids are positive whole numbers");
		for (j = 0; j < i; j++)
			if (ids[j] == ids[i])
				return fault_set(f, FAULT_INVALID, "photo_ids", "photo %lld is given twice",
						 (long long)ids[i]);
		rc = store_query_int64(s, SQL_UPLOAD_EXISTS, &got, 1, ids[i]);
		if (rc == STORE_NOTFOUND)
			return fault_set(f, FAULT_INVALID, "photo_ids", "upload %lld does not exist", (long long)ids[i]);
		if (rc != STORE_OK)
			return store_fault(s, rc, f);
		/* Only photos the actor may see can be attached: an id is not a key to someone else's upload. */
		if (a) {
			struct wo_upload u;
			int vis;

			if (wo_upload_get(s, ids[i], &u, f) < 0)
				return -1;
			vis = wo_upload_visible(s, a, &u);
			if (vis < 0)
				return store_fault(s, STORE_ERROR, f);
			if (!vis)
				return fault_set(f, FAULT_INVALID, "photo_ids", "upload %lld does not exist",
						 (long long)ids[i]);
		}
		if (!order_id)
			continue;
		rc = store_query_int64(s, SQL_PHOTO_ON_ORDER, &got, 2, order_id, ids[i]);
		if (rc == STORE_OK)
			return fault_set(f, FAULT_INVALID, "photo_ids", "photo %lld is already attached to this order",
					 (long long)ids[i]);
		if (rc != STORE_NOTFOUND)
			return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_EVENT_INSERT[] =
	"INSERT INTO wo_events (order_id, subdistrict_id, at, actor_user_id, actor_login, action, from_state, to_state,"
	" node_id, opinion, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PHOTO_INSERT[] =
	"INSERT INTO wo_photos (order_id, event_id, upload_id, subdistrict_id)"
	" VALUES (?, ?, ?, (SELECT subdistrict_id FROM work_orders WHERE id = ?))";

int wo_event_add(struct store *s, const struct wo_event_input *e, int64_t *event_id, struct fault *f)
{
	int64_t eid;
	size_t i;
	int rc;

	if ((rc = store_run(s, SQL_EVENT_INSERT, "iiiIttttItt", (int64_t)e->order_id, (int64_t)e->subdistrict_id,
			    (int64_t)e->at, (int64_t)(e->actor ? e->actor->user_id : 0),
			    e->actor ? e->actor->login : NULL, e->action, e->from_state, e->to_state,
			    (int64_t)e->node_id, e->opinion, e->detail)) != STORE_OK)
		return store_fault(s, rc, f);
	eid = store_last_id(s);
	for (i = 0; i < e->nphotos; i++) {
		if ((rc = store_run(s, SQL_PHOTO_INSERT, "iiii", (int64_t)e->order_id, (int64_t)eid,
				    (int64_t)e->photo_ids[i], (int64_t)e->order_id)) != STORE_OK)
			return store_fault(s, rc, f);
	}
	{
		/* Webhooks: the outbox row commits with the event, or neither does. */
		struct webhook_event we = { e->order_id, eid, e->subdistrict_id, e->at, e->action, e->from_state,
					    e->to_state };

		if (webhook_on_event(s, &we, f) < 0)
			return -1;
	}
	if (event_id)
		*event_id = eid;
	return 0;
}

static const char SQL_LAST_AT[] = "SELECT COALESCE(MAX(at), 0) FROM wo_events WHERE order_id = ?";

int wo_last_event_at(struct store *s, int64_t order_id, int64_t *at, struct fault *f)
{
	int rc = store_query_int64(s, SQL_LAST_AT, at, 1, order_id);

	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

static const char SQL_EVENTS[] =
	"SELECT id, at, actor_user_id, actor_login, action, from_state, to_state, node_id, opinion, detail"
	" FROM wo_events WHERE order_id = ? ORDER BY id";
static const char SQL_EVENT_PHOTOS[] =
	"SELECT event_id, upload_id FROM wo_photos WHERE order_id = ? AND event_id IS NOT NULL"
	" ORDER BY event_id, upload_id";

/* Hands each event its photos: both lists are sorted by event id. */
static int load_event_photos(struct store *s, int64_t id, struct wo_event_list *l, struct fault *f)
{
	struct store_stmt *st;
	size_t j = 0;
	int rc;

	st = store_query(s, SQL_EVENT_PHOTOS, "i", (int64_t)id);
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t eid = store_column_int64(st, 0);
		struct wo_event *e;

		while (j < l->n && l->items[j].id < eid)
			j++;
		if (j == l->n || l->items[j].id != eid)
			continue;
		e = &l->items[j];
		e->photo_ids = xrealloc(e->photo_ids, (e->nphotos + 1) * sizeof(*e->photo_ids));
		e->photo_ids[e->nphotos++] = store_column_int64(st, 1);
	}
	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

static const char SQL_ORDER_EXISTS[] = "SELECT id FROM work_orders WHERE id = ?";

int wo_events(struct store *s, int64_t id, struct wo_event_list *out, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int64_t got;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_int64(s, SQL_ORDER_EXISTS, &got, 1, id);
	if (rc == STORE_NOTFOUND)
		return fault_set(f, FAULT_NOT_FOUND, "id", "work order %lld does not exist", (long long)id);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_EVENTS, "i", (int64_t)id);
	while (store_next(st, &rc)) {
		struct wo_event *e;

		YL_GROW(out->items, out->n, cap);
		e = &out->items[out->n++];
		memset(e, 0, sizeof(*e));
		e->id = store_column_int64(st, 0);
		e->at = store_column_int64(st, 1);
		e->actor_user_id = store_column_int64(st, 2);
		e->actor_login = store_column_dup(st, 3);
		e->action = store_column_dup(st, 4);
		e->from_state = store_column_dup(st, 5);
		e->to_state = store_column_dup(st, 6);
		e->node_id = store_column_int64(st, 7);
		e->opinion = store_column_dup(st, 8);
		e->detail = store_column_dup(st, 9);
	}
	if (rc != STORE_DONE || load_event_photos(s, id, out, f) < 0) {
		if (rc != STORE_DONE)
			store_fault(s, rc, f);
		wo_event_list_release(out);
		return -1;
	}
	return 0;
}
