/*
 * open311.h - Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) over the
 * work-order engine: services are categories, service requests are work
 * orders, and a location (lat/long, an address, an address id) becomes a
 * place on the organisation tree.
 *
 * This module knows the mapping and the rules of the spec that are about data
 * (what a request shows, which requests a query returns); the api layer
 * (src/api/api_open311.c) knows the formats.  Nothing here reveals a caller:
 * a request shows no name or phone at all, and a confidential (保密) one
 * shows neither its description nor its address.
 *
 * Functions return 0, or -1 with the fault filled (field named as in the spec).
 */
#ifndef YL_OPEN311_H
#define YL_OPEN311_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/store.h"
#include "util/fault.h"

/* The attributes every service takes (service definitions): code, description, values. */
struct o311_value {
	const char *key;
	const char *name;
};

struct o311_attribute {
	const char *code;
	const char *description;
	int required;
	const struct o311_value *values;	/* ended by { NULL } */
};

/* The fixed attribute list, ended by { NULL }. */
extern const struct o311_attribute o311_attributes[];

/* A service: an active category that has no active children (a leaf of the tree). */
struct o311_service {
	int64_t category_id;
	char *code;
	char *name;
	char *group;			/* the parent's name; NULL for a root */
};

struct o311_service_list {
	struct o311_service *items;
	size_t n;
};

int o311_services(struct store *s, struct o311_service_list *out, struct fault *f);
/* FAULT_NOT_FOUND on service_code when no active leaf category has this code. */
int o311_service_get(struct store *s, const char *code, struct o311_service *out, struct fault *f);
void o311_service_release(struct o311_service *sv);
void o311_service_list_release(struct o311_service_list *l);

/*
 * Where a request is about.  Exactly one way is needed (the spec: lat & long,
 * address_string or address_id); when several are given address_id wins, then
 * lat/long, then the address.  The place must lie in scope (0: anywhere).
 *   address_id      a node's code, or its id;
 *   lat/long        the nearest node with coordinates, within O311_NEAR_METRES;
 *   address_string  matched onto the tree as the hotline import does (address_match.c);
 *                   an address that matches nothing is refused.
 */
#define O311_NEAR_METRES 3000.0

struct o311_location {
	const char *address_id;
	int has_coords;
	double lat, lng;
	const char *address;
};

int o311_place(struct store *s, int64_t scope, const struct o311_location *loc, int64_t *node_id,
	       struct fault *f);

/* A request as Open311 shows it: public fields only. */
struct o311_request {
	int64_t id;
	char *number;			/* service_request_id */
	char *state;
	char *service_code;
	char *service_name;
	char *description;		/* NULL when confidential */
	char *address;			/* NULL when confidential */
	char *address_id;		/* the place's node code */
	char *agency;			/* the handling node's name, else the place's; NULL when confidential */
	int has_coords;			/* 0 when confidential */
	double lat, lng;
	int64_t requested_at;
	int64_t updated_at;
	int64_t expected_at;		/* 0: not known (no calendar loaded for the year) */
	int closed;
};

struct o311_request_list {
	struct o311_request *items;
	size_t n;
};

void o311_request_list_release(struct o311_request_list *l);

/*
 * The query of GET requests.  numbers (the spec's service_request_id, comma
 * separated) wins over every other filter.  Otherwise service_code (the
 * category and those under it), status "open", "closed" or "open,closed",
 * and a window [start, end] on the request time: none given means the last
 * 90 days; one given means 90 days from or to it; a window longer than 90 days
 * is refused.  At most O311_MAX_REQUESTS, newest first.
 */
#define O311_MAX_REQUESTS 1000
#define O311_MAX_WINDOW (90 * 86400)
#define O311_MAX_IDS 100

struct o311_query {
	const char *numbers;
	const char *service_code;
	const char *status;
	int64_t start, end;		/* unix seconds; 0: not given */
	int64_t now;			/* 0: the clock */
};

int o311_requests(struct store *s, const struct o311_query *q, struct o311_request_list *out, struct fault *f);
/* One request by its number; FAULT_NOT_FOUND when none. */
int o311_request_get(struct store *s, const char *number, struct o311_request_list *out, struct fault *f);

/*
 * Tokens: POST answers the request id at once and also a token (the spec lets
 * servers answer a token instead); the token is kept as the order's
 * idempotency key "open311:TOKEN", so GET tokens/{token} finds the order.
 */
#define O311_TOKEN_CHARS 32
void o311_token_new(char out[O311_TOKEN_CHARS + 1]);
/* The order number a token stands for; FAULT_NOT_FOUND when none. */
int o311_token_lookup(struct store *s, const char *token, char **number, struct fault *f);

/* ISO 8601 with a zone ("2026-11-29T08:56:00+08:00", "...Z", "...-05:00") to unix seconds; -1 when not one. */
int o311_parse_time(const char *v, int64_t *out);

#endif
