/*
 * open311.c - the data side of Open311 GeoReport v2: services from the
 * category tree, places from locations, the request query, tokens.
 */
#include "open311/open311.h"
#include "util/check.h"
#include "calendar/calendar.h"
#include "org/address.h"
#include "org/org.h"
#include "workorder/workorder.h"
#include "util/util.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct o311_value type_values[] = {
	{ "consultation", "咨询" }, { "help", "求助" }, { "complaint", "投诉" }, { "report", "举报" },
	{ "suggestion", "建议" }, { NULL, NULL },
};
static const struct o311_value urgency_values[] = { { "normal", "一般" }, { "urgent", "紧急" }, { NULL, NULL } };
static const struct o311_value bool_values[] = { { "false", "否" }, { "true", "是" }, { NULL, NULL } };

/* Every service asks the same questions: the work order's type, urgency and 保密. */
const struct o311_attribute o311_attributes[] = {
	{ "type", "诉求类型 (type of request; default complaint)", 0, type_values },
	{ "urgency", "紧急程度 (urgency; default normal)", 0, urgency_values },
	{ "confidential", "保密 (keep the caller from the handling units; the request's description and address "
	  "are not published)", 0, bool_values },
	{ NULL, NULL, 0, NULL },
};

void o311_service_release(struct o311_service *sv)
{
	free(sv->code);
	free(sv->name);
	free(sv->group);
	memset(sv, 0, sizeof(*sv));
}

void o311_service_list_release(struct o311_service_list *l)
{
	YL_LIST_RELEASE(l, o311_service_release);
}

/* Active categories without an active child: the leaves are what a request is filed under. */
#define SQL_SERVICE_SELECT \
	"SELECT c.id, c.code, c.name, p.name FROM wo_categories c LEFT JOIN wo_categories p ON p.id = c.parent_id" \
	" WHERE c.active = 1 AND (p.id IS NULL OR p.active = 1)" \
	" AND NOT EXISTS (SELECT 1 FROM wo_categories k WHERE k.parent_id = c.id AND k.active = 1)"
static const char SQL_SERVICES[] = SQL_SERVICE_SELECT " ORDER BY COALESCE(p.sort, c.sort), p.id, c.sort, c.id";
static const char SQL_SERVICE[] = SQL_SERVICE_SELECT " AND c.code = ?";

static void read_service(struct store_stmt *st, struct o311_service *sv)
{
	sv->category_id = store_column_int64(st, 0);
	sv->code = store_column_dup(st, 1);
	sv->name = store_column_dup(st, 2);
	sv->group = store_column_dup(st, 3);
}

int o311_services(struct store *s, struct o311_service_list *out, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_SERVICES);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		out->items = xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
		read_service(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		o311_service_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

int o311_service_get(struct store *s, const char *code, struct o311_service *out, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_SERVICE, "t", code);
	rc = store_step(st);
	if (rc == STORE_ROW)
		read_service(st, out);
	store_done(st);
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, "service_code", "no service has the code '%s'", code);
	if (rc != STORE_ROW)
		return store_fault(s, rc, f);
	return 0;
}

static const char SQL_NODE_BY_CODE[] = "SELECT id FROM nodes WHERE code = ?";
static const char SQL_NODE_BY_ID[] = "SELECT id FROM nodes WHERE id = ?";
static const char SQL_NEAR[] =
	"SELECT id, lat, lng FROM nodes WHERE lat IS NOT NULL AND lng IS NOT NULL"
	" AND lat BETWEEN ? AND ? AND lng BETWEEN ? AND ?";

static int node_by_ref(struct store *s, const char *ref, int64_t *id, struct fault *f)
{
	struct store_stmt *st;
	int64_t n;
	int rc;

	st = store_query(s, SQL_NODE_BY_CODE, "t", ref);
	rc = store_step(st);
	if (rc == STORE_ROW)
		*id = store_column_int64(st, 0);
	store_done(st);
	if (rc == STORE_ROW)
		return 0;
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	if (parse_int64(ref, 1, INT64_MAX, &n) == 0) {
		rc = store_query_int64(s, SQL_NODE_BY_ID, id, 1, n);
		if (rc == STORE_OK)
			return 0;
		if (rc != STORE_NOTFOUND)
			return store_fault(s, rc, f);
	}
	return fault_set(f, FAULT_INVALID, "address_id", "no place has the address_id '%s'", ref);
}

/* Great-circle distance in metres. */
static double metres_between(double lat1, double lng1, double lat2, double lng2)
{
	const double r = 6371000.0, rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlng = (lng2 - lng1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dlng / 2) * sin(dlng / 2);

	return 2 * r * atan2(sqrt(a), sqrt(1 - a));
}

/* The nearest node with coordinates inside scope, within O311_NEAR_METRES; ties go to the first found. */
static int node_near(struct store *s, int64_t scope, double lat, double lng, int64_t *id, struct fault *f)
{
	double dlat = O311_NEAR_METRES / 111320.0, dlng = dlat / fmax(cos(lat * M_PI / 180.0), 0.01);
	double best = O311_NEAR_METRES + 1;
	struct store_stmt *st;
	int rc;

	*id = 0;
	st = store_query(s, SQL_NEAR, "dddd", lat - dlat, lat + dlat, lng - dlng, lng + dlng);
	while ((rc = store_step(st)) == STORE_ROW) {
		double d = metres_between(lat, lng, store_column_double(st, 1), store_column_double(st, 2));
		int64_t n = store_column_int64(st, 0);

		if (d >= best)
			continue;
		if (scope && org_is_within(s, scope, n) != 1)
			continue;
		best = d;
		*id = n;
	}
	store_done(st);
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	if (!*id)
		return fault_set(f, FAULT_INVALID, "lat", "no place on the tree lies within %.0f metres of %.6f,%.6f",
				 O311_NEAR_METRES, lat, lng);
	return 0;
}

static int node_by_address(struct store *s, const char *address, int64_t *id, struct fault *f)
{
	struct addr_index x;
	struct addr_result m;
	int rc;

	addr_index_init(&x, s);
	rc = addr_index_load(&x, f);
	if (rc == 0)
		rc = addr_match(&x, address, NULL, &m, f);
	addr_index_release(&x);
	if (rc < 0)
		return -1;
	if (!m.node_id)
		return fault_set(f, FAULT_INVALID, "address_string",
				 "the address names no subdistrict, community or courtyard on the tree");
	*id = m.node_id;
	return 0;
}

int o311_place(struct store *s, int64_t scope, const struct o311_location *loc, int64_t *node_id, struct fault *f)
{
	const char *field;
	int in;

	*node_id = 0;
	if (loc->address_id) {
		field = "address_id";
		if (node_by_ref(s, loc->address_id, node_id, f) < 0)
			return -1;
	} else if (loc->has_coords) {
		field = "lat";
		if (!(loc->lat >= -90.0 && loc->lat <= 90.0))
			return fault_set(f, FAULT_INVALID, "lat", "lat must be between -90 and 90");
		if (!(loc->lng >= -180.0 && loc->lng <= 180.0))
			return fault_set(f, FAULT_INVALID, "long", "long must be between -180 and 180");
		if (node_near(s, scope, loc->lat, loc->lng, node_id, f) < 0)
			return -1;
	} else if (loc->address) {
		field = "address_string";
		if (node_by_address(s, loc->address, node_id, f) < 0)
			return -1;
	} else {
		return fault_set(f, FAULT_INVALID, "lat", "a location is required: lat and long, address_string or address_id");
	}
	if (!scope)
		return 0;
	in = org_is_within(s, scope, *node_id);
	if (in < 0)
		return store_fault(s, STORE_ERROR, f);
	if (!in)	/* outside the key's scope: as if it were not there */
		return fault_set(f, FAULT_INVALID, field, "the location lies outside the places this key may file for");
	return 0;
}

void o311_request_list_release(struct o311_request_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct o311_request *r = &l->items[i];

		free(r->number);
		free(r->state);
		free(r->service_code);
		free(r->service_name);
		free(r->description);
		free(r->address);
		free(r->address_id);
		free(r->agency);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

#define SQL_REQUEST_SELECT \
	"SELECT w.id, w.number, w.state, c.code, c.name, w.text, w.address, n.code, COALESCE(h.name, n.name)," \
	" w.lat, w.lng, w.received_at, w.updated_at, w.deadline, w.confidential, w.type, w.urgency" \
	" FROM work_orders w JOIN wo_categories c ON c.id = w.category_id JOIN nodes n ON n.id = w.node_id" \
	" LEFT JOIN nodes h ON h.id = w.handler_node_id"

/* The reply deadline, or, before acceptance, the one the order would get received now. */
static int64_t expected_of(struct store *s, int64_t deadline, int64_t received, const char *type,
			   const char *urgency, int closed)
{
	struct wo_limits lim;
	struct fault f = { 0 };
	int64_t at;

	if (deadline)
		return deadline;
	if (closed || wo_limits_for(s, type, urgency, &lim, &f) < 0 ||
	    calendar_deadline(s, received, lim.reply_days, &at, &f) < 0)
		return 0;
	return at;
}

static int read_requests(struct store *s, struct store_stmt *st, struct o311_request_list *out, struct fault *f)
{
	struct o311_request_list l = { 0 };
	char (*kind)[2][16] = NULL;	/* type and urgency of each row, for the expected time */
	size_t i;
	int rc;

	while (store_next(st, &rc)) {
		struct o311_request *r;
		int confidential = store_column_int64(st, 14) != 0;
		const char *updated = store_column_text(st, 12);

		l.items = xrealloc(l.items, (l.n + 1) * sizeof(*l.items));
		kind = xrealloc(kind, (l.n + 1) * sizeof(*kind));
		r = &l.items[l.n];
		memset(r, 0, sizeof(*r));
		snprintf(kind[l.n][0], sizeof(kind[0][0]), "%s", store_column_text(st, 15));
		snprintf(kind[l.n][1], sizeof(kind[0][1]), "%s", store_column_text(st, 16));
		l.n++;
		r->id = store_column_int64(st, 0);
		r->number = store_column_dup(st, 1);
		r->state = store_column_dup(st, 2);
		r->service_code = store_column_dup(st, 3);
		r->service_name = store_column_dup(st, 4);
		/* 保密: that the request exists is public; what it says and where it is are not. */
		if (!confidential) {
			r->description = store_column_dup(st, 5);
			r->address = store_column_dup(st, 6);
			r->address_id = store_column_dup(st, 7);
			r->has_coords = !store_column_is_null(st, 9) && !store_column_is_null(st, 10);
			r->lat = store_column_double(st, 9);
			r->lng = store_column_double(st, 10);
			r->agency = store_column_dup(st, 8);
		}
		r->requested_at = store_column_int64(st, 11);
		if (!updated || o311_parse_time(updated, &r->updated_at) < 0)
			r->updated_at = r->requested_at;
		r->closed = r->state && strcmp(r->state, "closed") == 0;
		r->expected_at = store_column_is_null(st, 13) ? 0 : store_column_int64(st, 13);
	}
	if (rc != STORE_DONE) {
		free(kind);
		o311_request_list_release(&l);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < l.n; i++)
		l.items[i].expected_at = expected_of(s, l.items[i].expected_at, l.items[i].requested_at, kind[i][0],
						     kind[i][1], l.items[i].closed);
	free(kind);
	*out = l;
	return 0;
}

static const char SQL_REQUEST_ONE[] = SQL_REQUEST_SELECT " WHERE w.number = ?";
static const char SQL_CATEGORY_BY_CODE[] = "SELECT id FROM wo_categories WHERE code = ?";

int o311_request_get(struct store *s, const char *number, struct o311_request_list *out, struct fault *f)
{
	struct store_stmt *st;

	st = store_query(s, SQL_REQUEST_ONE, "t", number);
	if (read_requests(s, st, out, f) < 0)
		return -1;
	if (!out->n)
		return fault_set(f, FAULT_NOT_FOUND, "service_request_id", "no service request has the id '%s'", number);
	return 0;
}

/* Splits a comma list into at most max trimmed, non-empty words; -1 when there are more. */
static int split_list(const char *v, char ***words, size_t *n, size_t max)
{
	const char *p = v;

	*words = NULL;
	*n = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		const char *a = p, *b = p + len;

		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		if (b > a) {
			if (*n == max) {
				size_t i;

				for (i = 0; i < *n; i++)
					free((*words)[i]);
				free(*words);
				*words = NULL;
				*n = 0;
				return -1;
			}
			*words = xrealloc(*words, (*n + 1) * sizeof(**words));
			(*words)[(*n)++] = xstrndup(a, (size_t)(b - a));
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

int o311_requests(struct store *s, const struct o311_query *q, struct o311_request_list *out, struct fault *f)
{
	struct buf sql = BUF_INIT;
	struct store_stmt *st;
	char **words = NULL;
	size_t nwords = 0, i;
	int64_t now = q->now ? q->now : (int64_t)time(NULL), start = q->start, end = q->end, cat = 0;
	int want_open = 1, want_closed = 1, param = 1, rc;

	memset(out, 0, sizeof(*out));
	if (q->numbers) {
		if (split_list(q->numbers, &words, &nwords, O311_MAX_IDS) < 0)
			return fault_set(f, FAULT_INVALID, "service_request_id", "at most %d ids at once", O311_MAX_IDS);
		if (!nwords)
			return fault_set(f, FAULT_INVALID, "service_request_id", "service_request_id names no id");
	} else {
		if (q->status) {
			if (split_list(q->status, &words, &nwords, 2) < 0 || !nwords)
				return fault_set(f, FAULT_INVALID, "status", "status is open, closed or open,closed");
			want_open = want_closed = 0;
			for (i = 0; i < nwords; i++) {
				if (!strcmp(words[i], "open"))
					want_open = 1;
				else if (!strcmp(words[i], "closed"))
					want_closed = 1;
				else
					want_open = want_closed = -1;
			}
			for (i = 0; i < nwords; i++)
				free(words[i]);
			free(words);
			words = NULL;
			nwords = 0;
			if (want_open < 0)
				return fault_set(f, FAULT_INVALID, "status", "status is open, closed or open,closed");
		}
		if (q->service_code) {
			st = store_query(s, SQL_CATEGORY_BY_CODE, "t", q->service_code);
			rc = store_step(st);
			if (rc == STORE_ROW)
				cat = store_column_int64(st, 0);
			store_done(st);
			if (rc == STORE_DONE)
				return fault_set(f, FAULT_INVALID, "service_code", "no service has the code '%s'", q->service_code);
			if (rc != STORE_ROW)
				return store_fault(s, rc, f);
		}
		/* The spec's default window: the last 90 days; a window is at most 90 days long. */
		if (!start && !end) {
			end = now;
			start = now - O311_MAX_WINDOW;
		} else if (!end) {
			end = start + O311_MAX_WINDOW;
		} else if (!start) {
			start = end - O311_MAX_WINDOW;
		}
		if (end < start)
			return fault_set(f, FAULT_INVALID, "end_date", "end_date is before start_date");
		if (end - start > O311_MAX_WINDOW)
			return fault_set(f, FAULT_INVALID, "end_date", "the window from start_date to end_date is at most 90 days");
	}

	buf_init(&sql);
	buf_adds(&sql, SQL_REQUEST_SELECT " WHERE ");
	if (nwords) {
		buf_adds(&sql, "w.number IN (");
		for (i = 0; i < nwords; i++)
			buf_adds(&sql, i ? ", ?" : "?");
		buf_adds(&sql, ")");
	} else {
		buf_adds(&sql, "w.received_at >= ? AND w.received_at <= ?");
		if (cat)
			buf_adds(&sql, " AND (w.category_id = ? OR c.parent_id = ?)");
		if (want_open && !want_closed)
			buf_adds(&sql, " AND w.state <> 'closed'");
		if (want_closed && !want_open)
			buf_adds(&sql, " AND w.state = 'closed'");
	}
	buf_addf(&sql, " ORDER BY w.received_at DESC, w.id DESC LIMIT %d", O311_MAX_REQUESTS);
	st = store_prepare(s, sql.data);
	if (nwords) {
		for (i = 0; i < nwords; i++)
			store_bind_text(st, param++, words[i]);
	} else {
		store_bind_int64(st, param++, start);
		store_bind_int64(st, param++, end);
		if (cat) {
			store_bind_int64(st, param++, cat);
			store_bind_int64(st, param++, cat);
		}
	}
	rc = read_requests(s, st, out, f);
	for (i = 0; i < nwords; i++)
		free(words[i]);
	free(words);
	buf_release(&sql);
	return rc;
}

void o311_token_new(char out[O311_TOKEN_CHARS + 1])
{
	unsigned char raw[O311_TOKEN_CHARS / 2];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, O311_TOKEN_CHARS + 1, raw, sizeof(raw));
}

static const char SQL_BY_TOKEN[] = "SELECT number FROM work_orders WHERE idempotency_key = ?";

int o311_token_lookup(struct store *s, const char *token, char **number, struct fault *f)
{
	struct store_stmt *st;
	char key[O311_TOKEN_CHARS + 16];
	int rc;

	*number = NULL;
	if (strlen(token) != O311_TOKEN_CHARS || strspn(token, "0123456789abcdef") != O311_TOKEN_CHARS)
		return fault_set(f, FAULT_NOT_FOUND, "token_id", "no request has the token '%.64s'", token);
	snprintf(key, sizeof(key), "open311:%s", token);
	st = store_query(s, SQL_BY_TOKEN, "t", key);
	rc = store_step(st);
	if (rc == STORE_ROW)
		*number = store_column_dup(st, 0);
	store_done(st);
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, "token_id", "no request has the token '%s'", token);
	if (rc != STORE_ROW)
		return store_fault(s, rc, f);
	return 0;
}

int o311_parse_time(const char *v, int64_t *out)
{
	return time_parse(v, TIME_T_ONLY | TIME_ZONE_NEEDED | TIME_FRACTION, out);
}
