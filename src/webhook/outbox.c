/*
 * outbox.c - webhook subscribers and the outbox: rows written with each
 * work-order event, claimed by delivery threads under a lease, and the admin
 * view of the backlog and failures.
 */
#include "webhook/webhook.h"
#include "auth/pii.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* 1 when word is one of the comma-separated words of list. */
static int word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");

		if (len == n && strncmp(p, word, n) == 0)
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* The kinds one work-order event is, as a comma list into out. */
static void kinds_of(const struct webhook_event *e, char *out, size_t outlen)
{
	size_t len = 0;

	out[0] = '\0';
#define ADD(k) (len += (size_t)snprintf(out + len, outlen - len, "%s%s", len ? "," : "", k))
	if (!e->from_state)
		ADD("order.created");
	else if (strcmp(e->from_state, e->to_state) != 0)
		ADD("order.state_changed");
	if (e->action && (!strcmp(e->action, "yellow_card") || !strcmp(e->action, "red_card")))
		ADD("card.issued");
	if (e->from_state && strcmp(e->from_state, "closed") != 0 && !strcmp(e->to_state, "closed"))
		ADD("order.closed");
#undef ADD
}

static const char SQL_ACTIVE[] = "SELECT id, events FROM webhook_subscribers WHERE active = 1 ORDER BY id";
static const char SQL_NUMBER[] = "SELECT number FROM work_orders WHERE id = ?";
static const char SQL_OUTBOX_INSERT[] =
	"INSERT INTO webhook_outbox (subdistrict_id, subscriber_id, event, order_id, event_id, payload, created_at,"
	" state, attempts, next_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)";

int webhook_on_event(struct store *s, const struct webhook_event *e, struct fault *f)
{
	struct { int64_t id; char *events; } *subs = NULL;
	size_t nsubs = 0, i;
	char kinds[96], number[40] = "", at[40];
	const char *k;
	struct store_stmt *st;
	int rc = 0;

	kinds_of(e, kinds, sizeof(kinds));
	if (!kinds[0])
		return 0;
	st = store_prepare(s, SQL_ACTIVE);
	while (store_next(st, &rc)) {
		subs = xrealloc(subs, (nsubs + 1) * sizeof(*subs));
		subs[nsubs].id = store_column_int64(st, 0);
		subs[nsubs++].events = xstrdup(store_column_text(st, 1));
	}
	if (rc != STORE_DONE) {
		rc = store_fault(s, rc, f);
		goto out;
	}
	rc = 0;
	if (!nsubs)
		goto out;
	st = store_query(s, SQL_NUMBER, "i", (int64_t)e->order_id);
	if (store_step(st) == STORE_ROW)
		snprintf(number, sizeof(number), "%s", store_column_text(st, 0));
	store_done(st);
	time_format_local(e->at, at, sizeof(at));
	for (k = kinds; *k;) {
		char kind[32];
		size_t len = strcspn(k, ",");
		char *payload;

		snprintf(kind, sizeof(kind), "%.*s", (int)len, k);
		k += len + (k[len] == ',');
		/* Identifiers only (numbers, states, actions are ASCII words): no escaping needed. */
		payload = xasprintf("{\"event\":\"%s\",\"at\":\"%s\",\"order\":{\"id\":%lld,\"number\":\"%s\","
				    "\"action\":\"%s\",\"from_state\":%s%s%s,\"state\":\"%s\",\"event_id\":%lld}}",
				    kind, at, (long long)e->order_id, number, e->action ? e->action : "",
				    e->from_state ? "\"" : "", e->from_state ? e->from_state : "null",
				    e->from_state ? "\"" : "", e->to_state, (long long)e->event_id);
		for (i = 0; i < nsubs && rc == 0; i++) {
			if (!word_in(subs[i].events, kind))
				continue;
			st = store_query(s, SQL_OUTBOX_INSERT, "iitiitii", (int64_t)e->subdistrict_id,
					 (int64_t)subs[i].id, kind, (int64_t)e->order_id, (int64_t)e->event_id, payload,
					 (int64_t)time(NULL), (int64_t)(time_now_us() / 1000));
			rc = store_step(st);
			store_done(st);
			rc = rc == STORE_DONE ? 0 : store_fault(s, rc, f);
		}
		free(payload);
		if (rc)
			break;
	}
out:
	for (i = 0; i < nsubs; i++)
		free(subs[i].events);
	free(subs);
	return rc;
}

/* --- subscribers ------------------------------------------------------------------------- */

static int url_check(const char *url, struct fault *f)
{
	const char *host, *p;

	if (!url || !*url)
		return fault_set(f, FAULT_INVALID, "url", "url is required");
	if (strlen(url) > WEBHOOK_URL_MAX)
		return fault_set(f, FAULT_INVALID, "url", "url is at most %d characters", WEBHOOK_URL_MAX);
	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return fault_set(f, FAULT_INVALID, "url", "url must be an http:// or https:// address");
	for (p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return fault_set(f, FAULT_INVALID, "url", "url must not contain spaces or control characters");
	if (!*host || *host == '/' || *host == ':' || *host == '@' || *host == '?' || *host == '#')
		return fault_set(f, FAULT_INVALID, "url", "url names no host");
	return 0;
}

/* A comma list of known events, each once; out is the list as given, trimmed of nothing. */
static int events_check(const char *events, struct fault *f)
{
	const char *p = events;
	char seen[128] = "";

	if (!events || !*events)
		return fault_set(f, FAULT_INVALID, "events", "events names at least one of %s", WEBHOOK_EVENTS);
	while (*p) {
		size_t len = strcspn(p, ",");
		char word[40];

		if (len == 0 || len >= sizeof(word))
			return fault_set(f, FAULT_INVALID, "events", "events is a list of %s", WEBHOOK_EVENTS);
		snprintf(word, sizeof(word), "%.*s", (int)len, p);
		if (!word_in(WEBHOOK_EVENTS, word))
			return fault_set(f, FAULT_INVALID, "events", "'%s' is not an event: %s", word, WEBHOOK_EVENTS);
		if (word_in(seen, word))
			return fault_set(f, FAULT_INVALID, "events", "'%s' is named twice", word);
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s", seen[0] ? "," : "", word);
		p += len;
		if (*p == ',' && !*++p)
			return fault_set(f, FAULT_INVALID, "events", "events ends with a comma");
	}
	return 0;
}

static int secret_check(const char *secret, struct fault *f)
{
	size_t n = strlen(secret);

	if (n < 16 || n > WEBHOOK_SECRET_MAX)
		return fault_set(f, FAULT_INVALID, "secret", "secret is 16 to %d characters", WEBHOOK_SECRET_MAX);
	return 0;
}

static const char SQL_SUB_INSERT[] =
	"INSERT INTO webhook_subscribers (url, secret_enc, events, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)";

int webhook_create(struct store *s, const struct webhook_input *in, int64_t *id, char **secret_out, struct fault *f)
{
	const char *events = in->events ? in->events : WEBHOOK_EVENTS;
	char now[32], gen[65], *sealed;
	struct store_stmt *st;
	int rc;

	*secret_out = NULL;
	if (url_check(in->url, f) < 0 || events_check(events, f) < 0 || (in->secret && secret_check(in->secret, f) < 0))
		return -1;
	if (!pii_ready())
		return fault_set(f, FAULT_INTERNAL, NULL, "the data key is not loaded: secrets cannot be sealed");
	if (!in->secret) {
		unsigned char raw[32];

		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(gen, sizeof(gen), raw, sizeof(raw));
	}
	sealed = pii_encrypt(in->secret ? in->secret : gen);
	time_now_text(now);
	st = store_query(s, SQL_SUB_INSERT, "tttitt", in->url, sealed, events, (int64_t)(in->active == 0 ? 0 : 1), now,
			 now);
	rc = store_step(st);
	store_done(st);
	free(sealed);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	if (!in->secret)
		*secret_out = xstrdup(gen);
	return 0;
}

static const char SQL_SUB_UPDATE[] =
	"UPDATE webhook_subscribers SET url = COALESCE(?, url), secret_enc = COALESCE(?, secret_enc),"
	" events = COALESCE(?, events), active = COALESCE(?, active), updated_at = ? WHERE id = ?";

int webhook_update(struct store *s, int64_t id, const struct webhook_input *in, struct fault *f)
{
	struct webhook_subscriber w;
	struct store_stmt *st;
	char now[32], *sealed = NULL;
	int rc;

	if (webhook_get(s, id, &w, f) < 0)
		return -1;
	webhook_subscriber_release(&w);
	if ((in->url && url_check(in->url, f) < 0) || (in->events && events_check(in->events, f) < 0) ||
	    (in->secret && secret_check(in->secret, f) < 0))
		return -1;
	if (in->secret)
		sealed = pii_encrypt(in->secret);
	time_now_text(now);
	st = store_query(s, SQL_SUB_UPDATE, "ttt", in->url, sealed, in->events);
	if (in->active < 0)
		store_bind_null(st, 4);
	else
		store_bind_int64(st, 4, in->active ? 1 : 0);
	store_bind_text(st, 5, now);
	store_bind_int64(st, 6, id);
	rc = store_step(st);
	store_done(st);
	free(sealed);
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

void webhook_subscriber_release(struct webhook_subscriber *w)
{
	free(w->url);
	free(w->events);
	free(w->created_at);
	free(w->updated_at);
	memset(w, 0, sizeof(*w));
}

void webhook_subscriber_list_release(struct webhook_subscriber_list *l)
{
	YL_LIST_RELEASE(l, webhook_subscriber_release);
}

#define SQL_SUB_SELECT \
	"SELECT w.id, w.url, w.events, w.active, w.created_at, w.updated_at," \
	" (SELECT COUNT(*) FROM webhook_outbox o WHERE o.subscriber_id = w.id AND o.state = 'pending')," \
	" (SELECT COUNT(*) FROM webhook_outbox o WHERE o.subscriber_id = w.id AND o.state = 'failed')," \
	" (SELECT COUNT(*) FROM webhook_outbox o WHERE o.subscriber_id = w.id AND o.state = 'delivered')" \
	" FROM webhook_subscribers w"

static void read_sub(struct store_stmt *st, struct webhook_subscriber *w)
{
	w->id = store_column_int64(st, 0);
	w->url = store_column_dup(st, 1);
	w->events = store_column_dup(st, 2);
	w->active = store_column_int64(st, 3) != 0;
	w->created_at = store_column_dup(st, 4);
	w->updated_at = store_column_dup(st, 5);
	w->pending = store_column_int64(st, 6);
	w->failed = store_column_int64(st, 7);
	w->delivered = store_column_int64(st, 8);
}

int webhook_get(struct store *s, int64_t id, struct webhook_subscriber *out, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_SUB_SELECT " WHERE w.id = ?", "i", (int64_t)id);
	rc = store_step(st);
	if (rc == STORE_ROW)
		read_sub(st, out);
	store_done(st);
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, NULL, "no webhook subscriber has the id %lld", (long long)id);
	return rc == STORE_ROW ? 0 : store_fault(s, rc, f);
}

static const char SQL_SUB_COUNT[] = "SELECT count(*) FROM webhook_subscribers";

int webhook_list(struct store *s, int limit, int offset, struct webhook_subscriber_list *out, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_query_int64(s, SQL_SUB_COUNT, &out->total, 0)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_SUB_SELECT " ORDER BY w.id LIMIT ? OFFSET ?", "ii",
			 limit > 0 ? (int64_t)limit : INT64_MAX, (int64_t)offset);
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, cap);
		read_sub(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		webhook_subscriber_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/* --- the admin view ---------------------------------------------------------------------- */

void webhook_delivery_list_release(struct webhook_delivery_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].event);
		free(l->items[i].state);
		free(l->items[i].last_error);
		free(l->items[i].payload);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int webhook_deliveries(struct store *s, const char *state, int64_t subscriber, int limit, int offset,
		       struct webhook_delivery_list *out, struct fault *f)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	int rc, p = 1;

	memset(out, 0, sizeof(*out));
	if (state && strcmp(state, "pending") && strcmp(state, "failed") && strcmp(state, "delivered"))
		return fault_set(f, FAULT_INVALID, "state", "state is pending, failed or delivered");
	buf_init(&sql);
	buf_adds(&sql, "SELECT id, subscriber_id, event, order_id, created_at, next_at_ms / 1000, delivered_at, state, attempts,"
		       " last_status, last_error, payload FROM webhook_outbox WHERE 1 = 1");
	if (state)
		buf_adds(&sql, " AND state = ?");
	if (subscriber)
		buf_adds(&sql, " AND subscriber_id = ?");
	buf_adds(&sql, " ORDER BY id DESC LIMIT ? OFFSET ?");
	st = store_prepare(s, sql.data);
	if (state)
		store_bind_text(st, p++, state);
	if (subscriber)
		store_bind_int64(st, p++, subscriber);
	store_bind_int64(st, p++, limit);
	store_bind_int64(st, p++, offset);
	while (store_next(st, &rc)) {
		struct webhook_delivery *d;

		out->items = xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
		d = &out->items[out->n++];
		d->id = store_column_int64(st, 0);
		d->subscriber_id = store_column_int64(st, 1);
		d->event = store_column_dup(st, 2);
		d->order_id = store_column_int64(st, 3);
		d->created_at = store_column_int64(st, 4);
		d->next_at = store_column_int64(st, 5);
		d->delivered_at = store_column_is_null(st, 6) ? 0 : store_column_int64(st, 6);
		d->state = store_column_dup(st, 7);
		d->attempts = (int)store_column_int64(st, 8);
		d->last_status = store_column_is_null(st, 9) ? -1 : (int)store_column_int64(st, 9);
		d->last_error = store_column_dup(st, 10);
		d->payload = store_column_dup(st, 11);
	}
	buf_release(&sql);
	if (rc != STORE_DONE) {
		webhook_delivery_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_BACKLOG[] =
	"SELECT state, COUNT(*), MIN(created_at) FROM webhook_outbox GROUP BY state";

int webhook_backlog(struct store *s, struct webhook_backlog *out, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_BACKLOG);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		const char *state = store_column_text(st, 0);
		int64_t n = store_column_int64(st, 1);

		if (!strcmp(state, "pending")) {
			out->pending = n;
			out->oldest_pending = store_column_int64(st, 2);
		} else if (!strcmp(state, "failed")) {
			out->failed = n;
		} else {
			out->delivered = n;
		}
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

static const char SQL_RETRY[] =
	"UPDATE webhook_outbox SET state = 'pending', attempts = 0, next_at_ms = ?, lease_owner = NULL, lease_until = NULL"
	" WHERE id = ? AND state = 'failed'";
static const char SQL_DELIVERY_STATE[] = "SELECT COUNT(*) FROM webhook_outbox WHERE id = ?";

int webhook_retry(struct store *s, int64_t delivery_id, struct fault *f)
{
	struct store_stmt *st;
	int64_t n = 0;
	int rc;

	st = store_query(s, SQL_RETRY, "ii", (int64_t)(time_now_us() / 1000), (int64_t)delivery_id);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	if (store_changes(s) == 1)
		return 0;
	if ((rc = store_query_int64(s, SQL_DELIVERY_STATE, &n, 1, delivery_id)) != STORE_OK)
		return store_fault(s, rc, f);
	if (!n)
		return fault_set(f, FAULT_NOT_FOUND, NULL, "no delivery has the id %lld", (long long)delivery_id);
	return fault_set(f, FAULT_CONFLICT, "state", "only a failed delivery is retried by hand");
}

/* --- claiming ---------------------------------------------------------------------------- */

static const char SQL_DUE[] =
	"SELECT id FROM webhook_outbox WHERE state = 'pending' AND next_at_ms <= ?"
	" AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_at_ms, id LIMIT ?";
/* Conditional: only a row nobody holds (or whose lease ran out) is taken, so two servers never both take it. */
static const char SQL_CLAIM[] =
	"UPDATE webhook_outbox SET lease_owner = ?, lease_until = ? WHERE id = ? AND state = 'pending'"
	" AND (lease_until IS NULL OR lease_until < ?)";

int webhook_claim(struct store *s, const char *owner, int64_t now, unsigned lease, int64_t *ids, int max,
		  struct fault *f)
{
	int64_t due[64];
	int n = 0, got = 0, i, rc;
	struct store_stmt *st;

	if (max > 64)
		max = 64;
	st = store_query(s, SQL_DUE, "iii", (int64_t)(time_now_us() / 1000), (int64_t)now, (int64_t)max);
	while (store_next(st, &rc))
		due[n++] = store_column_int64(st, 0);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	for (i = 0; i < n; i++) {
		if ((rc = store_begin_write(s)) != STORE_OK)
			return store_fault(s, rc, f);
		st = store_query(s, SQL_CLAIM, "tiii", owner, (int64_t)(now + lease), (int64_t)due[i], (int64_t)now);
		rc = store_step(st);
		store_done(st);
		if (rc == STORE_DONE && store_changes(s) == 1)
			ids[got++] = due[i];
		if (rc != STORE_DONE) {
			store_rollback(s);
			return store_fault(s, rc, f);
		}
		if ((rc = store_commit(s)) != STORE_OK)
			return store_fault(s, rc, f);
	}
	return got;
}
