/* test_open311.c - Open311 pieces: ISO 8601 times, routes with a format suffix, places from a
 * location (code, id, nearest coordinates, scope), the request window and filters. */
#include "unit.h"

#include "../../src/open311/open311.c"
#include "http/http.h"

static struct fault F;

static void test_times_need_a_zone(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(o311_parse_time("2026-11-29T08:00:00+08:00", &t), 0);
	assert_int_equal(t, 1795910400);
	assert_int_equal(o311_parse_time("2026-11-29T00:00:00Z", &t), 0);
	assert_int_equal(t, 1795910400);
	assert_int_equal(o311_parse_time("2026-11-28T19:00:00-05:00", &t), 0);
	assert_int_equal(t, 1795910400);
	assert_int_equal(o311_parse_time("2026-11-29T00:00:00.123Z", &t), 0);
	assert_int_equal(t, 1795910400);
	assert_int_equal(o311_parse_time("2026-11-29T00:00:00", &t), -1);	/* no zone */
	assert_int_equal(o311_parse_time("2026-11-29", &t), -1);
	assert_int_equal(o311_parse_time("2026-02-30T00:00:00Z", &t), -1);
	assert_int_equal(o311_parse_time("2026-11-29T24:00:00Z", &t), -1);
	assert_int_equal(o311_parse_time("2026-11-29T00:00:00+0800", &t), -1);
	assert_int_equal(o311_parse_time("2026-11-29T00:00:00Zjunk", &t), -1);
	assert_int_equal(o311_parse_time("", &t), -1);
}

static void h(struct http_request *req, struct http_response *res)
{
	(void)req;
	(void)res;
}

static const struct http_route routes[] = {
	{ "GET", "/open311/v2/services.json", h, "public", "", 0 },
	{ "GET", "/open311/v2/services/{service_code}.xml", h, "public", "", 0 },
	{ "GET", "/open311/v2/services/{service_code}.json", h, "public", "", 0 },
};

static void test_parameters_before_a_format_suffix(void **state)
{
	struct http_request req;

	(void)state;
	memset(&req, 0, sizeof(req));
	assert_int_equal(router_match(routes, 3, "GET", "/open311/v2/services.json", &req), ROUTE_FOUND);
	assert_int_equal(router_match(routes, 3, "GET", "/open311/v2/services/env.clean.json", &req), ROUTE_FOUND);
	assert_ptr_equal(req.route, &routes[2]);
	assert_string_equal(http_param(&req, "service_code"), "env.clean");
	assert_int_equal(router_match(routes, 3, "GET", "/open311/v2/services/a.xml", &req), ROUTE_FOUND);
	assert_ptr_equal(req.route, &routes[1]);
	assert_string_equal(http_param(&req, "service_code"), "a");
	/* The parameter is never empty, and the suffix must be there. */
	assert_int_equal(router_match(routes, 3, "GET", "/open311/v2/services/.json", &req), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(routes, 3, "GET", "/open311/v2/services/a.csv", &req), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(routes, 3, "GET", "/open311/v2/services/json", &req), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(routes, 3, "GET", "/open311/v2/services.xml", &req), ROUTE_NOT_FOUND);
	http_request_clear_params(&req);
}

struct fx {
	struct store *s;
	int64_t sub, com, court, bldg, other;
};

static int64_t node(struct store *s, int64_t parent, enum node_level level, const char *name, const char *code,
		    double lat, double lng)
{
	struct node_input in = { 0 };
	int64_t id = 0;

	in.parent_id = parent;
	in.level = level;
	in.name = name;
	in.code = code;
	if (level == LEVEL_COURTYARD)
		in.kind = "residential";
	if (lat != 0) {
		in.set_coords = 1;
		in.lat = lat;
		in.lng = lng;
	}
	if (org_node_create(s, &in, &id, &F) < 0)
		fail_msg("node %s: %s", name, F.message);
	return id;
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	x->s = unit_db_open();
	if (!x->s)
		return -1;
	x->sub = node(x->s, 0, LEVEL_SUBDISTRICT, "明水街道", "MS", 36.712, 117.538);
	x->com = node(x->s, x->sub, LEVEL_COMMUNITY, "龙泉社区", "MS-01", 36.701324, 117.519923);
	x->court = node(x->s, x->com, LEVEL_COURTYARD, "君临天下小区", "MS-01-01", 36.701252, 117.520767);
	x->bldg = node(x->s, x->court, LEVEL_BUILDING, "1号楼", "MS-01-01-B01", 36.701495, 117.520697);
	x->other = node(x->s, x->sub, LEVEL_COMMUNITY, "燕山社区", "MS-02", 36.73, 117.56);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	unit_db_close(x->s);
	free(x);
	return 0;
}

static void test_places(void **state)
{
	struct fx *x = *state;
	struct o311_location loc;
	int64_t id;

	memset(&loc, 0, sizeof(loc));
	loc.address_id = "MS-01-01-B01";
	assert_int_equal(o311_place(x->s, 0, &loc, &id, &F), 0);
	assert_int_equal(id, x->bldg);
	loc.address_id = "NOPE";
	assert_int_equal(o311_place(x->s, 0, &loc, &id, &F), -1);
	assert_string_equal(F.field, "address_id");
	/* A numeric address_id is a node id when no code matches. */
	{
		char ref[24];

		snprintf(ref, sizeof(ref), "%lld", (long long)x->court);
		loc.address_id = ref;
		assert_int_equal(o311_place(x->s, 0, &loc, &id, &F), 0);
		assert_int_equal(id, x->court);
	}
	memset(&loc, 0, sizeof(loc));
	loc.has_coords = 1;
	loc.lat = 36.70150;
	loc.lng = 117.52069;
	assert_int_equal(o311_place(x->s, 0, &loc, &id, &F), 0);
	assert_int_equal(id, x->bldg);	/* the nearest, a few metres away */
	loc.lat = 36.7301;
	loc.lng = 117.5601;
	assert_int_equal(o311_place(x->s, 0, &loc, &id, &F), 0);
	assert_int_equal(id, x->other);
	/* A key scoped to 龙泉社区 never lands on 燕山, however near: nothing of its scope is within 3 km. */
	assert_int_equal(o311_place(x->s, x->com, &loc, &id, &F), -1);
	assert_string_equal(F.field, "lat");
	loc.lat = 31.2;
	loc.lng = 121.5;	/* Shanghai: nothing within 3 km */
	assert_int_equal(o311_place(x->s, 0, &loc, &id, &F), -1);
	assert_string_equal(F.field, "lat");
	loc.lat = 91;
	assert_int_equal(o311_place(x->s, 0, &loc, &id, &F), -1);
	/* A place outside the key's scope is refused. */
	memset(&loc, 0, sizeof(loc));
	loc.address_id = "MS-02";
	assert_int_equal(o311_place(x->s, x->com, &loc, &id, &F), -1);
	assert_string_equal(F.field, "address_id");
	memset(&loc, 0, sizeof(loc));
	assert_int_equal(o311_place(x->s, 0, &loc, &id, &F), -1);	/* no location at all */
}

static void test_request_query(void **state)
{
	struct fx *x = *state;
	struct o311_request_list l;
	struct o311_query q;
	struct wo_input in = { 0 };
	int64_t id = 0;
	char ids[4000];
	size_t i;

	in.source = "resident";
	in.type = "help";
	in.category_id = 2;
	in.node_id = x->court;
	in.text = "路灯坏了";
	in.confidential = 1;
	in.address = "君临天下小区1号楼";
	assert_int_equal(wo_create(x->s, NULL, &in, &id, NULL, &F), 0);
	memset(&q, 0, sizeof(q));
	assert_int_equal(o311_requests(x->s, &q, &l, &F), 0);
	assert_int_equal(l.n, 1);
	assert_null(l.items[0].description);	/* confidential */
	assert_null(l.items[0].address);
	assert_null(l.items[0].agency);
	assert_false(l.items[0].closed);
	o311_request_list_release(&l);
	q.service_code = "env";		/* the group: its services */
	assert_int_equal(o311_requests(x->s, &q, &l, &F), 0);
	assert_int_equal(l.n, 1);
	o311_request_list_release(&l);
	q.service_code = "prop";
	assert_int_equal(o311_requests(x->s, &q, &l, &F), 0);
	assert_int_equal(l.n, 0);
	o311_request_list_release(&l);
	q.service_code = "nope";
	assert_int_equal(o311_requests(x->s, &q, &l, &F), -1);
	assert_string_equal(F.field, "service_code");
	q.service_code = NULL;
	q.status = "closed";
	assert_int_equal(o311_requests(x->s, &q, &l, &F), 0);
	assert_int_equal(l.n, 0);
	o311_request_list_release(&l);
	q.status = "open,closed";
	assert_int_equal(o311_requests(x->s, &q, &l, &F), 0);
	assert_int_equal(l.n, 1);
	o311_request_list_release(&l);
	q.status = "pending";
	assert_int_equal(o311_requests(x->s, &q, &l, &F), -1);
	q.status = NULL;
	q.start = 1700000000;
	q.end = q.start + O311_MAX_WINDOW + 1;
	assert_int_equal(o311_requests(x->s, &q, &l, &F), -1);
	assert_string_equal(F.field, "end_date");
	q.end = q.start - 1;
	assert_int_equal(o311_requests(x->s, &q, &l, &F), -1);
	/* At most 100 ids. */
	memset(&q, 0, sizeof(q));
	ids[0] = '\0';
	for (i = 0; i < 101; i++)
		snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%sYL%013zu", i ? "," : "", i);
	q.numbers = ids;
	assert_int_equal(o311_requests(x->s, &q, &l, &F), -1);
	assert_string_equal(F.field, "service_request_id");
	q.numbers = " , ";
	assert_int_equal(o311_requests(x->s, &q, &l, &F), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times_need_a_zone),
		cmocka_unit_test(test_parameters_before_a_format_suffix),
		cmocka_unit_test_setup_teardown(test_places, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_query, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
