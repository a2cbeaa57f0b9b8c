/*
 * order.c - intake and reading of work orders.
 *
 * wo_create() checks the input without the store (naming the field), then,
 * inside one write transaction: the idempotency key, the hotline's number, the
 * category, the place and the actor's scope over it, the photos, routing, the
 * public number, the row, its intake event and, for a trusted source, the
 * dispatch (machine.c).  Nothing is half-written: any failure rolls it all back.
 *
 * The caller's name and phone are personal data: stored encrypted
 * (pii_encrypt), the phone also as its keyed hash for exact lookup.
 */
#include "workorder/wo_internal.h"
#include "util/check.h"
#include "stats/stats.h"
#include "auth/pii.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_CHARS 2000
#define ADDRESS_CHARS 200
#define CALLER_CHARS 50
#define KEY_BYTES 100
#define FUTURE_SLACK 300		/* seconds of clock skew tolerated in a given time */
#define EARLIEST 946684800		/* 2000-01-01: no 12345 order is older */

void wo_order_release(struct wo_order *o)
{
	free(o->number);
	free(o->source);
	free(o->external_no);
	free(o->type);
	free(o->category_path);
	free(o->urgency);
	free(o->address);
	free(o->caller_name);
	free(o->caller_phone);
	free(o->text);
	free(o->state);
	free(o->return_from);
	free(o->handler_level);
	free(o->settled_level);
	free(o->card);
	free(o->satisfaction);
	free(o->photo_ids);
	free(o->created_at);
	free(o->updated_at);
	free(o->category_external);
	memset(o, 0, sizeof(*o));
}

const char WO_ORDER_SELECT[] =
	"SELECT w.id, w.subdistrict_id, w.number, w.source, w.external_no, w.type, w.category_id,"
	" CASE WHEN cp.id IS NULL THEN c.name ELSE cp.name || ' > ' || c.name END,"
	" w.urgency, w.node_id, w.address, w.lat, w.lng, w.caller_name_enc, w.caller_phone_enc, w.confidential, w.text,"
	" w.state, w.return_from, w.handler_node_id, h.level, w.settled_level, w.created_by, w.received_at,"
	" w.accepted_at, w.dispatched_at, w.signed_at, w.replied_at, w.closed_at, w.sign_deadline, w.return_deadline,"
	" w.deadline, w.card, w.returns, w.extensions, w.redos, w.supervisions, w.escalations, w.reopens,"
	" w.extension_days_requested, w.extension_days_granted, w.satisfaction, w.resolved, w.created_at, w.updated_at,"
	/* The bases of provisional deadlines (provisional.c): lookups on its primary key, in the same query. */
	" (SELECT p.base_at FROM provisional_deadlines p WHERE p.kind = 'work_order' AND p.ref_id = w.id"
	"  AND p.field = 'sign_deadline'),"
	" (SELECT p.base_at FROM provisional_deadlines p WHERE p.kind = 'work_order' AND p.ref_id = w.id"
	"  AND p.field = 'return_deadline'),"
	" (SELECT p.base_at FROM provisional_deadlines p WHERE p.kind = 'work_order' AND p.ref_id = w.id"
	"  AND p.field = 'deadline'),"
	" w.category_external"
	" FROM work_orders w JOIN wo_categories c ON c.id = w.category_id"
	" LEFT JOIN wo_categories cp ON cp.id = c.parent_id"
	" LEFT JOIN nodes h ON h.id = w.handler_node_id";

void wo_read_order(struct store_stmt *st, struct wo_order *o)
{
	memset(o, 0, sizeof(*o));
	o->id = store_column_int64(st, 0);
	o->subdistrict_id = store_column_int64(st, 1);
	o->number = store_column_dup(st, 2);
	o->source = store_column_dup(st, 3);
	o->external_no = store_column_dup(st, 4);
	o->type = store_column_dup(st, 5);
	o->category_id = store_column_int64(st, 6);
	o->category_path = store_column_dup(st, 7);
	o->urgency = store_column_dup(st, 8);
	o->node_id = store_column_int64(st, 9);
	o->address = store_column_dup(st, 10);
	o->has_coords = !store_column_is_null(st, 11) && !store_column_is_null(st, 12);
	o->lat = store_column_double(st, 11);
	o->lng = store_column_double(st, 12);
	o->caller_name = pii_decrypt(store_column_text(st, 13));
	o->caller_phone = pii_decrypt(store_column_text(st, 14));
	o->confidential = store_column_int64(st, 15) != 0;
	o->text = store_column_dup(st, 16);
	o->state = store_column_dup(st, 17);
	o->return_from = store_column_dup(st, 18);
	o->handler_node_id = store_column_int64(st, 19);
	o->handler_level = store_column_dup(st, 20);
	o->settled_level = store_column_dup(st, 21);
	o->created_by = store_column_int64(st, 22);
	o->received_at = store_column_int64(st, 23);
	o->accepted_at = store_column_int64(st, 24);
	o->dispatched_at = store_column_int64(st, 25);
	o->signed_at = store_column_int64(st, 26);
	o->replied_at = store_column_int64(st, 27);
	o->closed_at = store_column_int64(st, 28);
	o->sign_deadline = store_column_int64(st, 29);
	o->return_deadline = store_column_int64(st, 30);
	o->deadline = store_column_int64(st, 31);
	o->card = store_column_dup(st, 32);
	o->returns = (int)store_column_int64(st, 33);
	o->extensions = (int)store_column_int64(st, 34);
	o->redos = (int)store_column_int64(st, 35);
	o->supervisions = (int)store_column_int64(st, 36);
	o->escalations = (int)store_column_int64(st, 37);
	o->reopens = (int)store_column_int64(st, 38);
	o->extension_days_requested = (int)store_column_int64(st, 39);
	o->extension_days_granted = (int)store_column_int64(st, 40);
	o->satisfaction = store_column_dup(st, 41);
	o->resolved = store_column_is_null(st, 42) ? -1 : store_column_int64(st, 42) != 0;
	o->created_at = store_column_dup(st, 43);
	o->updated_at = store_column_dup(st, 44);
	o->provisional.sign_deadline = store_column_int64(st, 45);
	o->provisional.return_deadline = store_column_int64(st, 46);
	o->provisional.deadline = store_column_int64(st, 47);
	o->category_external = store_column_dup(st, 48);
}

static const char SQL_ORDER_PHOTOS[] = "SELECT upload_id FROM wo_photos WHERE order_id = ? ORDER BY event_id, upload_id";

int wo_load_photos(struct store *s, struct wo_order *o, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	st = store_query(s, SQL_ORDER_PHOTOS, "i", (int64_t)o->id);
	while (store_next(st, &rc)) {
		YL_GROW(o->photo_ids, o->nphotos, cap);
		o->photo_ids[o->nphotos++] = store_column_int64(st, 0);
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

static int get_where(struct store *s, const char *where, int64_t id, const char *number, struct wo_order *out,
		     struct fault *f)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&sql);
	buf_addf(&sql, "%s%s", WO_ORDER_SELECT, where);
	st = store_prepare(s, sql.data);
	buf_release(&sql);
	if (number)
		store_bind_text(st, 1, number);
	else
		store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc == STORE_ROW)
		wo_read_order(st, out);
	store_done(st);
	if (rc == STORE_DONE) {
		if (number)
			return fault_set(f, FAULT_NOT_FOUND, "number", "no work order has the number '%s'", number);
		return fault_set(f, FAULT_NOT_FOUND, "id", "work order %lld does not exist", (long long)id);
	}
	if (rc != STORE_ROW)
		return store_fault(s, rc, f);
	if (wo_load_photos(s, out, f) < 0) {
		wo_order_release(out);
		return -1;
	}
	return 0;
}

int wo_get(struct store *s, int64_t id, struct wo_order *out, struct fault *f)
{
	return get_where(s, " WHERE w.id = ?", id, NULL, out, f);
}

int wo_get_by_number(struct store *s, const char *number, struct wo_order *out, struct fault *f)
{
	if (!number)
		return fault_set(f, FAULT_INVALID, "number", "number is required");
	return get_where(s, " WHERE w.number = ?", 0, number, out, f);
}

/* Phones as persons keep them (util/check.h), so that one keyed hash finds a caller among persons. */
static int is_trusted(const char *source)
{
	/* Taken by staff or pushed by the hotline: accepted at intake. */
	return !strcmp(source, "phone") || !strcmp(source, "walk_in") || !strcmp(source, "hotline");
}

/* Everything that needs no store; *phone receives the normalised phone. */
static int check_input(const struct actor *a, const struct wo_input *in, int64_t now, char **phone, struct fault *f)
{
	*phone = NULL;
	if (!wo_can(a, "workorder.create"))
		return fault_set(f, FAULT_FORBIDDEN, NULL, "your role may not file work orders (workorder.create)");
	if (!in->source)
		return fault_set(f, FAULT_INVALID, "source", "source is required");
	if (!wo_word_in(WO_SOURCES, in->source))
		return fault_set(f, FAULT_INVALID, "source",
				 "source must be resident, grid, mobile_grid, phone, walk_in or hotline");
	if (is_trusted(in->source) && !wo_can(a, "workorder.dispatch"))
		return fault_set(f, FAULT_FORBIDDEN, "source",
				 "%s orders are accepted at intake: only the intake desk (workorder.dispatch) enters them",
				 in->source);
	if (!strcmp(in->source, "hotline")) {
		if (!in->external_no)
			return fault_set(f, FAULT_INVALID, "external_no", "a hotline order needs the hotline's number (external_no)");
		if (!ascii_token_valid(in->external_no, WO_EXTERNAL_NO_CHARS))
			return fault_set(f, FAULT_INVALID, "external_no",
					 "external_no is 1 to %d letters, digits or signs without spaces", WO_EXTERNAL_NO_CHARS);
	} else {
		if (in->external_no)
			return fault_set(f, FAULT_INVALID, "external_no", "only hotline orders carry an external_no");
		if (in->hotline_days)
			return fault_set(f, FAULT_INVALID, "hotline_days", "only hotline orders carry the hotline's time limit");
	}
	if (in->hotline_days < 0 || in->hotline_days > 60)
		return fault_set(f, FAULT_INVALID, "hotline_days", "hotline_days must be from 1 to 60 working days");
	if (!in->type)
		return fault_set(f, FAULT_INVALID, "type", "type is required");
	if (!wo_word_in(WO_TYPES, in->type))
		return fault_set(f, FAULT_INVALID, "type", "type must be consultation, help, complaint, report or suggestion");
	if (in->category_id <= 0)
		return fault_set(f, FAULT_INVALID, "category_id", "category_id is required");
	if (in->urgency && !wo_word_in(WO_URGENCIES, in->urgency))
		return fault_set(f, FAULT_INVALID, "urgency", "urgency must be normal or urgent");
	if (in->node_id <= 0)
		return fault_set(f, FAULT_INVALID, "node_id", "node_id (the place) is required");
	if (check_text("address", in->address, ADDRESS_CHARS, TEXT_OPTIONAL, f) < 0 ||
	    check_text("text", in->text, TEXT_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("caller_name", in->caller_name, CALLER_CHARS, TEXT_OPTIONAL, f) < 0)
		return -1;
	if (in->has_coords) {
		if (!(in->lat >= -90.0 && in->lat <= 90.0))
			return fault_set(f, FAULT_INVALID, "lat", "lat must be between -90 and 90");
		if (!(in->lng >= -180.0 && in->lng <= 180.0))
			return fault_set(f, FAULT_INVALID, "lng", "lng must be between -180 and 180");
	}
	if (in->idempotency_key && !ascii_token_valid(in->idempotency_key, KEY_BYTES))
		return fault_set(f, FAULT_INVALID, "idempotency_key",
				 "idempotency_key is 1 to %d letters, digits or signs without spaces", KEY_BYTES);
	if (in->received_at && (in->received_at < EARLIEST || in->received_at > now + FUTURE_SLACK))
		return fault_set(f, FAULT_INVALID, "received_at", "received_at must be a past time, after 2000");
	if (in->nphotos && !in->photo_ids)
		return fault_set(f, FAULT_INVALID, "photo_ids", "photo_ids is missing");
	return phone_normalise("caller_phone", in->caller_phone, phone, f);
}

static const char SQL_BY_KEY[] = "SELECT id, created_by FROM work_orders WHERE idempotency_key = ?";
static const char SQL_BY_EXTERNAL[] = "SELECT number FROM work_orders WHERE source = ? AND external_no = ?";

/* 1 when the key names an earlier order of this creator (*id set), 0 when unused, -1 with f. */
static int find_replay(struct store *s, const struct actor *a, const char *key, int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	int64_t creator = 0;
	int rc;

	st = store_query(s, SQL_BY_KEY, "t", key);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*id = store_column_int64(st, 0);
		creator = store_column_int64(st, 1);
	}
	store_done(st);
	if (rc == STORE_DONE)
		return 0;
	if (rc != STORE_ROW)
		return store_fault(s, rc, f);
	if (creator != (a ? a->user_id : 0))
		return fault_set(f, FAULT_CONFLICT, "idempotency_key",
				 "this idempotency_key was used by another submission: make a new key for a new order");
	return 1;
}

static int check_external(struct store *s, const struct wo_input *in, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	if (!in->external_no)
		return 0;
	st = store_query(s, SQL_BY_EXTERNAL, "tt", in->source, in->external_no);
	rc = store_step(st);
	if (rc == STORE_ROW)
		fault_set(f, FAULT_CONFLICT, "external_no", "hotline order %s is already work order %s", in->external_no,
			  store_column_text(st, 0));
	store_done(st);
	if (rc == STORE_ROW)
		return -1;
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	return 0;
}

/* The place: a node inside the actor's scope (outside it, as if it did not exist); *subdistrict from it. */
static int check_place(struct store *s, const struct actor *a, int64_t node_id, int64_t *subdistrict,
		       struct fault *f)
{
	struct node n;
	int in;

	if (org_node_get(s, node_id, &n, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "node_id", "node %lld does not exist", (long long)node_id);
		return -1;
	}
	*subdistrict = n.subdistrict_id;
	node_release(&n);
	in = wo_in_scope(s, a, node_id);
	if (in < 0)
		return store_fault(s, STORE_ERROR, f);
	if (!in)
		return fault_set(f, FAULT_INVALID, "node_id", "node %lld does not exist", (long long)node_id);
	return 0;
}

/*
 * The place's community and courtyard are written with the row.  The schema derives them too (007: a trigger
 * on SQLite, after the insert; on PostgreSQL before it): given here, SQLite's derivation changes nothing, so
 * the order's text is put in the search index once instead of being indexed, taken out and indexed again.
 */
#define ANCESTOR_AT(level) "(SELECT c.ancestor_id FROM node_closure c JOIN nodes a ON a.id = c.ancestor_id" \
	" WHERE c.descendant_id = ? AND a.level = '" level "')"
static const char SQL_ORDER_INSERT[] =
	"INSERT INTO work_orders (subdistrict_id, number, source, external_no, idempotency_key, type, category_id,"
	" urgency, node_id, address, lat, lng, caller_name_enc, caller_phone_enc, caller_phone_hash, confidential, text,"
	" state, created_by, received_at, accepted_at, deadline, created_at, updated_at, category_external, category_by,"
	" community_id, courtyard_id)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " ANCESTOR_AT("community")
	", " ANCESTOR_AT("courtyard") ")";

static void bind_sealed(struct store_stmt *st, int idx, const char *plain)
{
	char *sealed = pii_encrypt(plain);

	store_bind_text(st, idx, sealed);
	free(sealed);
}

struct intake {
	const char *state;
	int64_t subdistrict_id;
	int64_t at;
	int64_t deadline;
	int64_t deadline_base;		/* wo_deadline(): 0 unless the deadline is provisional */
	const char *phone;		/* normalised */
	char number[WO_NUMBER_SIZE];
};

static int insert_order(struct store *s, const struct actor *a, const struct wo_input *in, const struct intake *k,
			int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	char now[32], *hash;
	int rc;

	time_now_text(now);
	st = store_query(s, SQL_ORDER_INSERT, "itttttitit", (int64_t)k->subdistrict_id, k->number, in->source,
			 in->external_no, in->idempotency_key, in->type, (int64_t)in->category_id,
			 in->urgency ? in->urgency : "normal", (int64_t)in->node_id, in->address);
	if (in->has_coords) {
		store_bind_double(st, 11, in->lat);
		store_bind_double(st, 12, in->lng);
	} else {
		store_bind_null(st, 11);
		store_bind_null(st, 12);
	}
	bind_sealed(st, 13, in->caller_name && !text_blank(in->caller_name) ? in->caller_name : NULL);
	bind_sealed(st, 14, k->phone);
	hash = pii_lookup_hash(k->phone);
	store_bind_text(st, 15, hash);
	free(hash);
	store_bind_int64(st, 16, in->confidential ? 1 : 0);
	store_bind_text(st, 17, in->text);
	store_bind_text(st, 18, k->state);
	store_bind_id(st, 19, a ? a->user_id : 0);
	store_bind_int64(st, 20, k->at);
	store_bind_id(st, 21, strcmp(k->state, "accepted") == 0 ? k->at : 0);
	store_bind_id(st, 22, k->deadline);
	store_bind_text(st, 23, now);
	store_bind_text(st, 24, now);
	store_bind_text(st, 25, in->category_external);
	store_bind_text(st, 26, in->category_external ? in->category_by : NULL);
	store_bind_int64(st, 27, (int64_t)in->node_id);
	store_bind_int64(st, 28, (int64_t)in->node_id);
	if ((rc = store_step_done(st)) != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

/* The reply deadline at intake: the hotline's own days, or the configured limit. */
static int intake_deadline(struct store *s, const struct wo_input *in, int64_t at, int64_t *deadline,
			   int64_t *base, struct fault *f)
{
	struct wo_limits lim;
	int days = in->hotline_days;

	if (!days) {
		if (wo_limits_for(s, in->type, in->urgency ? in->urgency : "normal", &lim, f) < 0)
			return -1;
		days = lim.reply_days;
	}
	return wo_deadline(s, at, days, 0, deadline, base, f);
}

/*
 * When the handler got the order: now, or for a hotline order of a file the
 * hotline's 派单时间, else its 受理时间, so that the sign window of a historical
 * import counts from the file's dates, not from the day of the import (and the
 * sweeper cards it by them).
 */
static int64_t intake_dispatch_at(const struct wo_input *in, const struct intake *k, int64_t now)
{
	if (!strcmp(in->source, "hotline") && in->received_at)
		return in->dispatched_at ? in->dispatched_at : k->at;
	return now > k->at ? now : k->at;
}

static int check_dispatched_at(const struct wo_input *in, int64_t now, struct fault *f)
{
	if (!in->dispatched_at)
		return 0;
	if (strcmp(in->source, "hotline") || !in->received_at)
		return fault_set(f, FAULT_INVALID, "dispatched_at", "only a hotline order with its received_at carries the "
				 "hotline's dispatch time");
	if (in->dispatched_at < in->received_at || in->dispatched_at > now + FUTURE_SLACK)
		return fault_set(f, FAULT_INVALID, "dispatched_at", "dispatched_at must be after received_at and not in "
				 "the future");
	return 0;
}

int wo_create(struct store *s, const struct actor *a, const struct wo_input *in, int64_t *id, int *replayed,
	      struct fault *f)
{
	struct intake k;
	struct wo_route route;
	struct wo_event_input ev;
	char *phone = NULL, detail[160];
	int64_t now = wo_now(), oid = 0;
	int trusted, rc, found;

	if (replayed)
		*replayed = 0;
	memset(&k, 0, sizeof(k));
	if (check_input(a, in, now, &phone, f) < 0)
		return -1;
	if (check_dispatched_at(in, now, f) < 0) {
		free(phone);
		return -1;
	}
	k.phone = phone;
	k.at = in->received_at ? in->received_at : now;
	trusted = is_trusted(in->source);
	k.state = trusted ? "accepted" : "received";
	if ((rc = store_begin_write(s)) != STORE_OK) {
		free(phone);
		return store_fault(s, rc, f);
	}
	if (in->idempotency_key) {
		found = find_replay(s, a, in->idempotency_key, &oid, f);
		if (found < 0)
			goto fail;
		if (found) {
			if ((rc = store_commit(s)) != STORE_OK) {
				free(phone);
				return store_fault(s, rc, f);
			}
			free(phone);
			if (replayed)
				*replayed = 1;
			if (id)
				*id = oid;
			return 0;
		}
	}
	if (check_external(s, in, f) < 0 || wo_category_check(s, in->category_id, "category_id", f) < 0 ||
	    check_place(s, a, in->node_id, &k.subdistrict_id, f) < 0 ||
	    wo_photos_check(s, a, 0, in->photo_ids, in->nphotos, f) < 0 ||
	    wo_route(s, in->category_id, in->type, in->node_id, &route, f) < 0)
		goto fail;
	if (trusted && intake_deadline(s, in, k.at, &k.deadline, &k.deadline_base, f) < 0)
		goto fail;
	if (wo_number_next(s, k.at, k.number, f) < 0 || insert_order(s, a, in, &k, &oid, f) < 0)
		goto fail;
	if (k.deadline_base) {
		struct wo_provisional p = { .deadline = k.deadline_base };

		if (wo_provisional_save(s, oid, NULL, &p, f) < 0)
			goto fail;
	}
	if (route.why[0] == 'r')
		snprintf(detail, sizeof(detail), "source %s; routed to the %s by rule %lld", in->source, route.level,
			 (long long)route.rule_id);
	else
		snprintf(detail, sizeof(detail), "source %s; routed to the %s (%s)", in->source, route.level,
			 route.why[0] == 'c' ? "category" : "default");
	if (trusted && !route.exact)
		snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail),
			 "; the place is known only above that level: waiting for a dispatcher");
	memset(&ev, 0, sizeof(ev));
	ev.order_id = oid;
	ev.subdistrict_id = k.subdistrict_id;
	ev.at = k.at;
	ev.actor = a;
	ev.action = "create";
	ev.to_state = k.state;
	ev.detail = detail;
	ev.photo_ids = in->photo_ids;
	ev.nphotos = in->nphotos;
	if (wo_event_add(s, &ev, NULL, f) < 0)
		goto fail;
	/* The figures' rollups change in the same transaction as the order (stats.h). */
	if (stats_on_write(s, NULL, oid, f) < 0)
		goto fail;
	if (trusted && route.exact && wo_dispatch_at_intake(s, a, oid, route.node_id, intake_dispatch_at(in, &k, now), f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK) {
		free(phone);
		return store_fault(s, rc, f);
	}
	free(phone);
	if (id)
		*id = oid;
	return 0;
fail:
	store_rollback(s);
	free(phone);
	return -1;
}

/* The columns of an order the figures read (stats.h): what the hook is handed as the order was. */
void wo_stat_row(const struct wo_order *o, struct stat_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = o->id;
	r->subdistrict_id = o->subdistrict_id;
	r->node_id = o->node_id;
	r->category_id = o->category_id;
	r->received_at = o->received_at;
	r->accepted_at = o->accepted_at;
	r->dispatched_at = o->dispatched_at;
	r->signed_at = o->signed_at;
	r->sign_deadline = o->sign_deadline;
	r->replied_at = o->replied_at;
	r->deadline = o->deadline;
	r->returns = o->returns;
	r->extensions = o->extensions;
	r->redos = o->redos;
	r->supervisions = o->supervisions;
	r->escalations = o->escalations;
	r->resolved = o->resolved;
	snprintf(r->state, sizeof(r->state), "%s", o->state ? o->state : "");
	snprintf(r->source, sizeof(r->source), "%s", o->source ? o->source : "");
	snprintf(r->type, sizeof(r->type), "%s", o->type ? o->type : "");
	snprintf(r->settled_level, sizeof(r->settled_level), "%s", o->settled_level ? o->settled_level : "");
	snprintf(r->satisfaction, sizeof(r->satisfaction), "%s", o->satisfaction ? o->satisfaction : "");
	snprintf(r->card, sizeof(r->card), "%s", o->card ? o->card : "none");
}
