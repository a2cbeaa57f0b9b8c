/*
 * api_public.c - residents follow their request (no login):
 *
 *   POST /api/v1/public/status  {"number", "phone_last4"}  the stages, the reply, whether it may be rated
 *   POST /api/v1/public/rating  {"number", "phone_last4", "satisfaction"}  the callback without a phone call
 *
 * The order number and the last four digits of the caller's phone open one
 * order (POST: they stay out of addresses and access logs).  The answer holds
 * no personal data: no name, phone, address or request text; only the type,
 * the category, the stages with their times, the deadline and the reply.  A
 * wrong pair answers 404 whichever half was wrong; five wrong pairs from one
 * address, or ten for one number, in THROTTLE_WINDOW answer 429 with
 * Retry-After (counted in this process: several servers each count their
 * own).  Every lookup and rating is audited, failures too.
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "auth/audit.h"
#include "util/log.h"
#include "workorder/workorder.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THROTTLE_WINDOW 900	/* seconds */
#define MAX_FAILS_ADDR 5
#define MAX_FAILS_NUMBER 10
#define SLOTS 1024

struct slot {
	char key[80];
	int64_t start;
	int fails;
};

static struct slot slots[SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

static struct slot *slot_of(const char *key, int64_t now)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	const char *p;

	for (p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	i = (size_t)(h % SLOTS);
	if (strcmp(slots[i].key, key) || now - slots[i].start >= THROTTLE_WINDOW) {
		/* A new key, or its window over: a collision only forgets an older key's count. */
		snprintf(slots[i].key, sizeof(slots[i].key), "%s", key);
		slots[i].start = now;
		slots[i].fails = 0;
	}
	return &slots[i];
}

/* Seconds until key may try again; 0 when it may now. */
static int64_t blocked(const char *key, int max, int64_t now)
{
	struct slot *sl;
	int64_t wait = 0;

	pthread_mutex_lock(&slots_lock);
	sl = slot_of(key, now);
	if (sl->fails >= max)
		wait = sl->start + THROTTLE_WINDOW - now;
	pthread_mutex_unlock(&slots_lock);
	return wait;
}

static void failed(const char *key, int64_t now)
{
	pthread_mutex_lock(&slots_lock);
	slot_of(key, now)->fails++;
	pthread_mutex_unlock(&slots_lock);
}

static void audit_public(struct store *s, struct http_request *req, const char *action, int64_t order, const char *result,
			 const char *detail)
{
	struct audit_entry e;
	struct fault f = { 0 };
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)order);
	memset(&e, 0, sizeof(e));
	e.login = "resident";
	e.remote = req->remote;
	e.action = action;
	e.object_type = "work_order";
	e.object_id = order ? id : NULL;
	e.result = result;
	e.detail = detail;
	if (audit_record(s, &e, &f) < 0)
		log_msg(LOG_WARN, "public %s: the audit row cannot be written: %s", action, f.message);
}

static const struct api_field status_fields[] = {
	{ "number", API_STRING, 1, 0, 40 },
	{ "phone_last4", API_STRING, 1, 0, 4 },
	{ NULL, 0, 0, 0, 0 },
};

static const struct api_field rating_fields[] = {
	{ "number", API_STRING, 1, 0, 40 },
	{ "phone_last4", API_STRING, 1, 0, 4 },
	{ "satisfaction", API_STRING, 1, 0, 30 },
	{ NULL, 0, 0, 0, 0 },
};

/*
 * The order the pair opens, into o; 0, or -1 after answering (400, 404, 429).
 * The number is matched as written (letters upper-cased); the digits against
 * the end of the caller's phone.
 */
static int open_order(struct store *s, struct http_request *req, struct http_response *res, json_t *body,
		      const char *action, struct wo_order *o)
{
	const char *last4 = api_str(body, "phone_last4");
	char number[48], key[80];
	int64_t now = (int64_t)time(NULL), wait;
	struct fault f = { 0 };
	size_t i, n;
	int match;

	snprintf(number, sizeof(number), "%s", api_str(body, "number"));
	for (i = 0; number[i]; i++)
		if (number[i] >= 'a' && number[i] <= 'z')
			number[i] = (char)(number[i] - 'a' + 'A');
	if (strlen(last4) != 4 || strspn(last4, "0123456789") != 4) {
		http_reply_error(res, 400, "invalid", "phone_last4", "phone_last4 is the last four digits of your phone");
		return -1;
	}
	snprintf(key, sizeof(key), "addr:%s", req->remote);
	wait = blocked(key, MAX_FAILS_ADDR, now);
	snprintf(key, sizeof(key), "no:%s", number);
	if (!wait)
		wait = blocked(key, MAX_FAILS_NUMBER, now);
	if (wait) {
		char after[24];

		snprintf(after, sizeof(after), "%lld", (long long)wait);
		http_reply_error(res, 429, "too_many", NULL, "too many wrong tries: try again in %lld minutes",
				 (long long)((wait + 59) / 60));
		http_set_header(res, "Retry-After", after);
		audit_public(s, req, action, 0, "denied", "throttled");
		return -1;
	}
	match = wo_get_by_number(s, number, o, &f) == 0;
	if (!match && f.kind != FAULT_NOT_FOUND) {
		api_fail(res, &f);
		return -1;
	}
	n = match && o->caller_phone ? strlen(o->caller_phone) : 0;
	if (!match || n < 4 || strcmp(o->caller_phone + n - 4, last4)) {
		snprintf(key, sizeof(key), "addr:%s", req->remote);
		failed(key, now);
		snprintf(key, sizeof(key), "no:%s", number);
		failed(key, now);
		audit_public(s, req, action, match ? o->id : 0, "failure", "no order with that number and phone");
		if (match)
			wo_order_release(o);
		http_reply_error(res, 404, "not_found", NULL,
				 "no request has that number and a phone ending in those digits");
		return -1;
	}
	return 0;
}

/* What the resident may see: stages, deadline, the reply; nothing personal. */
static json_t *status_json(struct store *s, const struct wo_order *o)
{
	struct wo_event_list l;
	struct fault f = { 0 };
	const char *reply = NULL;
	json_t *j, *stages = json_array();
	int64_t reply_at = 0;
	size_t i;

	if (wo_events(s, o->id, &l, &f) == 0) {
		for (i = 0; i < l.n; i++)
			if (!strcmp(l.items[i].action, "reply") || !strcmp(l.items[i].action, "answer")) {
				reply = l.items[i].opinion;
				reply_at = l.items[i].at;
			}
	} else {
		memset(&l, 0, sizeof(l));
	}
	json_array_append_new(stages, json_pack("{s:s, s:o}", "stage", "received", "at", json_time_or_null(o->received_at)));
	if (o->accepted_at)
		json_array_append_new(stages, json_pack("{s:s, s:o}", "stage", "accepted", "at", json_time_or_null(o->accepted_at)));
	if (o->dispatched_at)
		json_array_append_new(stages, json_pack("{s:s, s:o}", "stage", "dispatched", "at",
							json_time_or_null(o->dispatched_at)));
	if (o->signed_at)
		json_array_append_new(stages, json_pack("{s:s, s:o}", "stage", "signed", "at", json_time_or_null(o->signed_at)));
	if (reply_at)
		json_array_append_new(stages, json_pack("{s:s, s:o}", "stage", "replied", "at", json_time_or_null(reply_at)));
	if (o->closed_at && !strcmp(o->state, "closed"))
		json_array_append_new(stages, json_pack("{s:s, s:o}", "stage", "closed", "at", json_time_or_null(o->closed_at)));
	j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b}", "number", o->number, "type", o->type,
		      "category", o->category_path, "state", o->state, "stages", stages, "deadline",
		      json_time_or_null(o->deadline), "reply", json_str_or_null(reply), "replied_at", json_time_or_null(reply_at),
		      "satisfaction", json_str_or_null(o->satisfaction), "can_rate",
		      !strcmp(o->state, "answered") || !strcmp(o->state, "reviewed"));
	wo_event_list_release(&l);
	return j;
}

static void status_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_order o;
	json_t *body;

	if (!s || !(body = api_body(req, res, status_fields)))
		return;
	if (open_order(s, req, res, body, "status lookup", &o) == 0) {
		audit_public(s, req, "status lookup", o.id, "success", NULL);
		http_reply_json(res, 200, status_json(s, &o));
		wo_order_release(&o);
	}
	json_decref(body);
}

static void rating_h(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	const char *sat;
	struct fault f = { 0 };
	struct wo_order o, after;
	json_t *body;

	if (!s || !(body = api_body(req, res, rating_fields)))
		return;
	sat = api_str(body, "satisfaction");
	if (strcmp(sat, "satisfied") && strcmp(sat, "basically_satisfied") && strcmp(sat, "dissatisfied")) {
		http_reply_error(res, 400, "invalid", "satisfaction",
				 "satisfaction is satisfied, basically_satisfied or dissatisfied");
	} else if (open_order(s, req, res, body, "rating", &o) == 0) {
		if (wo_resident_callback(s, o.id, sat, &f) < 0) {
			audit_public(s, req, "rating", o.id, "failure", f.message);
			if (f.kind == FAULT_CONFLICT)
				http_reply_error(res, 409, "conflict", "satisfaction", "this request awaits no rating now");
			else
				api_fail(res, &f);
		} else if (wo_get(s, o.id, &after, &f) < 0) {
			api_fail(res, &f);
		} else {
			audit_public(s, req, "rating", o.id, "success", sat);
			http_reply_json(res, 200, status_json(s, &after));
			wo_order_release(&after);
		}
		wo_order_release(&o);
	}
	json_decref(body);
}

const struct http_route api_public_routes[] = {
	{ "POST", "/api/v1/public/status", status_h, "public",
	  "a resident's request by its number and the last four digits of the caller's phone: stages, deadline, reply"
	  " (nothing personal; wrong tries limited; audited)", 0 },
	{ "POST", "/api/v1/public/rating", rating_h, "public",
	  "the resident rates the answer (satisfied, basically_satisfied, dissatisfied): the callback without a phone"
	  " call (audited)", 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
