/* test_router.c - src/http/router.c: route matching, path parameters, 404 vs 405, URL decoding. */
#include "unit.h"
#include "http/http.h"

/* Handlers are never called by the router; distinct functions let a test tell routes apart. */
static void h_list(struct http_request *req, struct http_response *res) { (void)req; (void)res; }
static void h_create(struct http_request *req, struct http_response *res) { (void)req; (void)res; }
static void h_tree(struct http_request *req, struct http_response *res) { (void)req; (void)res; }
static void h_get(struct http_request *req, struct http_response *res) { (void)req; (void)res; }
static void h_put(struct http_request *req, struct http_response *res) { (void)req; (void)res; }
static void h_history(struct http_request *req, struct http_response *res) { (void)req; (void)res; }
static void h_member(struct http_request *req, struct http_response *res) { (void)req; (void)res; }
static void h_root(struct http_request *req, struct http_response *res) { (void)req; (void)res; }
static void h_head(struct http_request *req, struct http_response *res) { (void)req; (void)res; }

static const struct http_route routes[] = {
	{ "GET", "/", h_root, NULL, "home" },
	{ "GET", "/api/v1/nodes", h_list, NULL, "list" },
	{ "POST", "/api/v1/nodes", h_create, NULL, "create" },
	{ "GET", "/api/v1/nodes/tree", h_tree, NULL, "tree (literal before the {id} route)" },
	{ "GET", "/api/v1/nodes/{id}", h_get, NULL, "get" },
	{ "PUT", "/api/v1/nodes/{id}", h_put, NULL, "update" },
	{ "GET", "/api/v1/nodes/{id}/history", h_history, NULL, "history" },
	{ "DELETE", "/api/v1/groups/{group}/members/{person}", h_member, NULL, "remove member" },
	{ "HEAD", "/api/v1/ping", h_head, NULL, "explicit HEAD" },
};

static struct http_request req;

static int setup(void **state)
{
	(void)state;
	memset(&req, 0, sizeof(req));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	http_request_clear_params(&req);
	return 0;
}

static enum route_match match(const char *method, const char *path)
{
	req.route = NULL;
	return router_match(routes, YL_ARRAY_LEN(routes), method, path, &req);
}

static void test_literal_routes(void **state)
{
	(void)state;
	assert_int_equal(match("GET", "/api/v1/nodes"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_list);
	assert_int_equal(req.nparams, 0);
	assert_int_equal(match("POST", "/api/v1/nodes"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_create);
	assert_int_equal(match("GET", "/"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_root);
}

static void test_literal_must_match_whole_segment(void **state)
{
	(void)state;
	assert_int_equal(match("GET", "/api/v1/node"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1/nodesx"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v2/nodes"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "/API/v1/nodes"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "/api"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", ""), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "api/v1/nodes"), ROUTE_NOT_FOUND);
	assert_null(req.route);
}

static void test_param_captured(void **state)
{
	(void)state;
	assert_int_equal(match("GET", "/api/v1/nodes/42"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_get);
	assert_int_equal(req.nparams, 1);
	assert_string_equal(req.params[0].name, "id");
	assert_string_equal(http_param(&req, "id"), "42");
	assert_null(http_param(&req, "ID"));
	assert_null(http_param(&req, "other"));

	assert_int_equal(match("GET", "/api/v1/nodes/42/history"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_history);
	assert_string_equal(http_param(&req, "id"), "42");
	assert_int_equal(req.nparams, 1);
}

static void test_two_params_in_order(void **state)
{
	(void)state;
	assert_int_equal(match("DELETE", "/api/v1/groups/g-7/members/1001"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_member);
	assert_int_equal(req.nparams, 2);
	assert_string_equal(req.params[0].name, "group");
	assert_string_equal(req.params[0].value, "g-7");
	assert_string_equal(req.params[1].name, "person");
	assert_string_equal(req.params[1].value, "1001");
	assert_string_equal(http_param(&req, "person"), "1001");
}

/* The path reaches the router already percent-decoded: a value is taken as is, never decoded twice. */
static void test_param_values_are_decoded_text(void **state)
{
	(void)state;
	assert_int_equal(match("GET", "/api/v1/nodes/幸福社区"), ROUTE_FOUND);
	assert_string_equal(http_param(&req, "id"), "幸福社区");
	assert_int_equal(match("GET", "/api/v1/nodes/100%25"), ROUTE_FOUND);
	assert_string_equal(http_param(&req, "id"), "100%25");
	assert_int_equal(match("GET", "/api/v1/nodes/a b+c"), ROUTE_FOUND);
	assert_string_equal(http_param(&req, "id"), "a b+c");
}

/* A raw URL decoded with http_url_decode, then routed, gives the decoded parameter. */
static void test_decode_then_route(void **state)
{
	char path[] = "/api/v1/nodes/%E5%B9%B8%E7%A6%8F+1";

	(void)state;
	assert_int_equal(http_url_decode(path, 0), 0);
	assert_int_equal(match("GET", path), ROUTE_FOUND);
	assert_string_equal(http_param(&req, "id"), "幸福+1");
}

static void test_first_matching_route_wins(void **state)
{
	static const struct http_route param_first[] = {
		{ "GET", "/api/v1/nodes/{id}", h_get, NULL, NULL },
		{ "GET", "/api/v1/nodes/tree", h_tree, NULL, NULL },
	};

	(void)state;
	/* in the main table the literal comes first */
	assert_int_equal(match("GET", "/api/v1/nodes/tree"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_tree);
	assert_int_equal(req.nparams, 0);
	/* the other way round, {id} takes "tree" */
	assert_int_equal(router_match(param_first, 2, "GET", "/api/v1/nodes/tree", &req), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_get);
	assert_string_equal(http_param(&req, "id"), "tree");
}

/* Trailing slashes are not ignored: "/nodes/" is neither the collection nor an empty {id}. */
static void test_trailing_and_empty_segments(void **state)
{
	(void)state;
	assert_int_equal(match("GET", "/api/v1/nodes/"), ROUTE_NOT_FOUND);
	assert_int_equal(req.nparams, 0);
	assert_int_equal(match("GET", "/api/v1/nodes/42/"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1/nodes/42/history/"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1/nodes//history"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1//nodes"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "//"), ROUTE_NOT_FOUND);
	assert_int_equal(match("DELETE", "/api/v1/groups//members/1"), ROUTE_NOT_FOUND);
	assert_int_equal(req.nparams, 0);
}

static void test_extra_segments_not_found(void **state)
{
	(void)state;
	assert_int_equal(match("GET", "/api/v1/nodes/42/history/7"), ROUTE_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1/nodes/42/other"), ROUTE_NOT_FOUND);
	assert_int_equal(req.nparams, 0);
}

static void test_wrong_method_is_405_not_404(void **state)
{
	(void)state;
	assert_int_equal(match("DELETE", "/api/v1/nodes"), ROUTE_BAD_METHOD);
	assert_int_equal(match("POST", "/api/v1/nodes/42"), ROUTE_BAD_METHOD);
	/* no half-filled parameters are left behind */
	assert_int_equal(req.nparams, 0);
	assert_int_equal(match("GET", "/api/v1/groups/1/members/2"), ROUTE_BAD_METHOD);
	assert_int_equal(req.nparams, 0);
	/* methods are case-sensitive tokens */
	assert_int_equal(match("get", "/api/v1/nodes"), ROUTE_BAD_METHOD);
	/* a path that no route has is 404 whatever the method */
	assert_int_equal(match("DELETE", "/api/v1/missing"), ROUTE_NOT_FOUND);
}

/* A later route with the right method still wins over an earlier one with the wrong method. */
static void test_method_checked_per_route(void **state)
{
	(void)state;
	assert_int_equal(match("PUT", "/api/v1/nodes/9"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_put);
	assert_string_equal(http_param(&req, "id"), "9");
	assert_int_equal(req.nparams, 1);
}

static void test_head_matches_get(void **state)
{
	(void)state;
	assert_int_equal(match("HEAD", "/api/v1/nodes/5"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_get);
	assert_string_equal(http_param(&req, "id"), "5");
	assert_int_equal(match("HEAD", "/api/v1/nodes"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_list);
	/* HEAD stands in for GET only: a POST-only path is still 405 */
	assert_int_equal(match("HEAD", "/api/v1/groups/1/members/2"), ROUTE_BAD_METHOD);
	/* an explicit HEAD route matches HEAD, but GET does not match it */
	assert_int_equal(match("HEAD", "/api/v1/ping"), ROUTE_FOUND);
	assert_ptr_equal(req.route->handler, h_head);
	assert_int_equal(match("GET", "/api/v1/ping"), ROUTE_BAD_METHOD);
}

static void test_max_params(void **state)
{
	static const struct http_route eight[] = {
		{ "GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", h_get, NULL, NULL },
	};
	static const struct http_route nine[] = {
		{ "GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", h_get, NULL, NULL },
	};

	(void)state;
	assert_int_equal(HTTP_MAX_PARAMS, 8);
	assert_int_equal(router_match(eight, 1, "GET", "/1/2/3/4/5/6/7/8", &req), ROUTE_FOUND);
	assert_int_equal(req.nparams, 8);
	assert_string_equal(http_param(&req, "a"), "1");
	assert_string_equal(http_param(&req, "h"), "8");
	/* one more than fits is refused, without writing past the array */
	assert_int_equal(router_match(nine, 1, "GET", "/1/2/3/4/5/6/7/8/9", &req), ROUTE_NOT_FOUND);
	assert_int_equal(req.nparams, 0);
}

static void test_param_name_too_long(void **state)
{
	static const struct http_route longname[] = {
		{ "GET", "/x/{abcdefghijklmnopqrstuvwxyz012345}", h_get, NULL, NULL },
		{ "GET", "/y/{abcdefghijklmnopqrstuvwxyz01234}", h_get, NULL, NULL },
	};

	(void)state;
	/* 32 characters do not fit the 32-byte name with its terminator */
	assert_int_equal(router_match(longname, 2, "GET", "/x/1", &req), ROUTE_NOT_FOUND);
	/* 31 do */
	assert_int_equal(router_match(longname, 2, "GET", "/y/1", &req), ROUTE_FOUND);
	assert_string_equal(http_param(&req, "abcdefghijklmnopqrstuvwxyz01234"), "1");
}

/* Matching again replaces the parameters of the previous match (no leak, no stale values). */
static void test_rematch_replaces_params(void **state)
{
	(void)state;
	assert_int_equal(match("DELETE", "/api/v1/groups/a/members/b"), ROUTE_FOUND);
	assert_int_equal(req.nparams, 2);
	assert_int_equal(match("GET", "/api/v1/nodes/c"), ROUTE_FOUND);
	assert_int_equal(req.nparams, 1);
	assert_null(http_param(&req, "group"));
	assert_string_equal(http_param(&req, "id"), "c");
	http_request_clear_params(&req);
	assert_int_equal(req.nparams, 0);
	assert_null(http_param(&req, "id"));
}

/* ---- http_url_decode ---- */

static void test_url_decode_escapes(void **state)
{
	char a[] = "%E6%98%8E%E6%B0%B4", b[] = "a%2Fb%3f%3D", c[] = "no-escapes", d[] = "%41%42%43", e[] = "";
	char f[] = "%25%32%35";

	(void)state;
	assert_int_equal(http_url_decode(a, 0), 0);
	assert_string_equal(a, "明水");
	assert_int_equal(http_url_decode(b, 0), 0);
	assert_string_equal(b, "a/b?=");
	assert_int_equal(http_url_decode(c, 0), 0);
	assert_string_equal(c, "no-escapes");
	assert_int_equal(http_url_decode(d, 1), 0);
	assert_string_equal(d, "ABC");
	assert_int_equal(http_url_decode(e, 1), 0);
	assert_string_equal(e, "");
	/* decoded once only: %25 gives '%', which is not decoded again */
	assert_int_equal(http_url_decode(f, 0), 0);
	assert_string_equal(f, "%25");
}

static void test_url_decode_plus(void **state)
{
	char q[] = "a+b%2Bc+", p[] = "a+b%2Bc+";

	(void)state;
	/* in a query string '+' is a space, but an escaped plus stays a plus */
	assert_int_equal(http_url_decode(q, 1), 0);
	assert_string_equal(q, "a b+c ");
	/* in a path '+' is itself */
	assert_int_equal(http_url_decode(p, 0), 0);
	assert_string_equal(p, "a+b+c+");
}

static void test_url_decode_bad_escapes(void **state)
{
	static const char *bad[] = { "%", "%4", "abc%", "abc%4", "%G1", "%1G", "%%", "%-1", "% 1", "%\xe4\xb8" };
	size_t i;

	(void)state;
	for (i = 0; i < YL_ARRAY_LEN(bad); i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%s", bad[i]);
		if (http_url_decode(buf, 0) != -1)
			fail_msg("'%s' should be refused", bad[i]);
	}
}

static void test_url_decode_refuses_nul(void **state)
{
	char a[] = "%00", b[] = "file.txt%00.png", c[] = "%01";

	(void)state;
	assert_int_equal(http_url_decode(a, 0), -1);
	assert_int_equal(http_url_decode(b, 1), -1);
	/* other bytes decode, even control ones (text checks come later) */
	assert_int_equal(http_url_decode(c, 0), 0);
	assert_int_equal(c[0], 1);
	assert_int_equal(c[1], '\0');
}

/* ---- router_allowed_methods (the Allow header of a 405) ---- */

/* Checks that list, "A, B, C", holds exactly the methods in want (any order, each once). */
static void expect_allow(const char *list, const char *const *want, size_t nwant)
{
	char copy[256], *tok, *save = NULL;
	size_t seen[8] = { 0 }, i, n = 0;

	assert_true(nwant <= 8);
	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		for (i = 0; i < nwant; i++)
			if (strcmp(tok, want[i]) == 0)
				break;
		if (i == nwant)
			fail_msg("'%s' lists %s, which is not allowed", list, tok);
		if (seen[i]++)
			fail_msg("'%s' lists %s twice", list, tok);
		n++;
	}
	if (n != nwant)
		fail_msg("'%s' lists %zu methods, want %zu", list, n, nwant);
}

static void test_allowed_methods(void **state)
{
	static const char *const collection[] = { "GET", "POST", "HEAD" };
	static const char *const item[] = { "GET", "PUT", "HEAD" };
	static const char *const member[] = { "DELETE" };
	static const char *const ping[] = { "HEAD" };
	char out[128];

	(void)state;
	router_allowed_methods(routes, YL_ARRAY_LEN(routes), "/api/v1/nodes", out, sizeof(out));
	expect_allow(out, collection, 3);
	router_allowed_methods(routes, YL_ARRAY_LEN(routes), "/api/v1/nodes/7", out, sizeof(out));
	expect_allow(out, item, 3);
	/* two GET routes match "tree" (the literal and {id}): GET is listed once */
	router_allowed_methods(routes, YL_ARRAY_LEN(routes), "/api/v1/nodes/tree", out, sizeof(out));
	expect_allow(out, item, 3);
	router_allowed_methods(routes, YL_ARRAY_LEN(routes), "/api/v1/groups/1/members/2", out, sizeof(out));
	expect_allow(out, member, 1);
	router_allowed_methods(routes, YL_ARRAY_LEN(routes), "/api/v1/ping", out, sizeof(out));
	expect_allow(out, ping, 1);
	router_allowed_methods(routes, YL_ARRAY_LEN(routes), "/api/v1/missing", out, sizeof(out));
	assert_string_equal(out, "");
}

/* A path with both an explicit HEAD route and a GET route lists HEAD once. */
static void test_allowed_methods_explicit_head(void **state)
{
	static const struct http_route both[] = {
		{ "HEAD", "/x", h_head, NULL, NULL },
		{ "GET", "/x", h_get, NULL, NULL },
		{ "POST", "/x", h_create, NULL, NULL },
	};
	static const char *const want[] = { "HEAD", "GET", "POST" };
	char out[128];

	(void)state;
	router_allowed_methods(both, 3, "/x", out, sizeof(out));
	expect_allow(out, want, 3);
}

/* A buffer too small for the list is filled as far as it goes, terminated, and never overrun. */
static void test_allowed_methods_small_buffer(void **state)
{
	char out[16];
	size_t size;

	(void)state;
	for (size = 1; size <= sizeof(out); size++) {
		memset(out, 'Z', sizeof(out));
		router_allowed_methods(routes, YL_ARRAY_LEN(routes), "/api/v1/nodes", out, size);
		assert_true(strlen(out) < size);
		if (size < sizeof(out))
			assert_int_equal(out[size], 'Z');
	}
	assert_string_equal(out, "GET, POST, HEAD");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_literal_routes),
		T(test_literal_must_match_whole_segment),
		T(test_param_captured),
		T(test_two_params_in_order),
		T(test_param_values_are_decoded_text),
		T(test_decode_then_route),
		T(test_first_matching_route_wins),
		T(test_trailing_and_empty_segments),
		T(test_extra_segments_not_found),
		T(test_wrong_method_is_405_not_404),
		T(test_method_checked_per_route),
		T(test_head_matches_get),
		T(test_max_params),
		T(test_param_name_too_long),
		T(test_rematch_replaces_params),
		T(test_allowed_methods),
		T(test_allowed_methods_explicit_head),
		T(test_allowed_methods_small_buffer),
		T(test_url_decode_escapes),
		T(test_url_decode_plus),
		T(test_url_decode_bad_escapes),
		T(test_url_decode_refuses_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
