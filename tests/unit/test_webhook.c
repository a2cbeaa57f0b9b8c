/* test_webhook.c - webhook signatures, the kinds of an event, the outbox written with the order's
 * event (and undone with it), lease claims, subscriber checks. */
#include "unit.h"

#include "../../src/webhook/outbox.c"
#include "org/org.h"
#include "workorder/workorder.h"

#include <sodium.h>

static struct fault F;

static void test_signature_is_hmac_sha256_of_timestamp_dot_body(void **state)
{
	char sig[72];

	(void)state;
	/* node -e 'crypto.createHmac("sha256","key-0123456789abcdef").update("1700000000.{\"a\":1}").digest("hex")' */
	webhook_sign("key-0123456789abcdef", 1700000000, "{\"a\":1}", 7, sig);
	assert_string_equal(sig, "sha256=8a091117e0b1ccf5034d0d8c06ab42b29a4451a72f95b56f22afaf6bfb7af0d3");
	webhook_sign("key-0123456789abcdef", 1700000001, "{\"a\":1}", 7, sig);
	assert_string_not_equal(sig, "sha256=8a091117e0b1ccf5034d0d8c06ab42b29a4451a72f95b56f22afaf6bfb7af0d3");
}

static void kinds(const char *action, const char *from, const char *to, const char *want)
{
	struct webhook_event e = { 1, 1, 1, 0, action, from, to };
	char out[96];

	kinds_of(&e, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_kinds_of_events(void **state)
{
	(void)state;
	kinds("create", NULL, "received", "order.created");
	kinds("accept", "received", "accepted", "order.state_changed");
	kinds("refuse", "received", "closed", "order.state_changed,order.closed");
	kinds("yellow_card", "in_progress", "in_progress", "card.issued");
	kinds("red_card", "dispatched", "dispatched", "card.issued");
	kinds("supervise", "in_progress", "in_progress", "");
	kinds("reopen", "closed", "in_progress", "order.state_changed");
}

static void test_urls_and_events_checked(void **state)
{
	static const char *const bad[] = { "ftp://h/x", "file:///etc/passwd", "javascript:alert(1)", "http://", "https:///x",
					   "http://a b/", "h", "gopher://h/", "http://:80/", NULL };
	size_t i;

	(void)state;
	for (i = 0; bad[i]; i++) {
		assert_int_equal(url_check(bad[i], &F), -1);
		assert_string_equal(F.field, "url");
	}
	assert_int_equal(url_check("http://127.0.0.1:8080/hook", &F), 0);
	assert_int_equal(url_check("HTTPS://example.org/h?x=1", &F), 0);
	assert_int_equal(events_check("order.created,card.issued", &F), 0);
	assert_int_equal(events_check("order.created,", &F), -1);
	assert_int_equal(events_check("order.created,order.created", &F), -1);
	assert_int_equal(events_check("order.deleted", &F), -1);
	assert_int_equal(events_check("", &F), -1);
}

struct fx {
	struct store *s;
	int64_t court;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	struct node_input in = { 0 };
	int64_t sub = 0, com = 0;

	x->s = unit_db_open();
	if (!x->s)
		return -1;
	in.level = LEVEL_SUBDISTRICT;
	in.name = "明水街道";
	assert_int_equal(org_node_create(x->s, &in, &sub, &F), 0);
	in.parent_id = sub;
	in.level = LEVEL_COMMUNITY;
	in.name = "龙泉社区";
	assert_int_equal(org_node_create(x->s, &in, &com, &F), 0);
	in.parent_id = com;
	in.level = LEVEL_COURTYARD;
	in.name = "君临天下";
	in.kind = "residential";
	assert_int_equal(org_node_create(x->s, &in, &x->court, &F), 0);
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

static int64_t file_order(struct fx *x)
{
	struct wo_input in = { 0 };
	int64_t id = 0;

	in.source = "resident";
	in.type = "help";
	in.category_id = 2;
	in.node_id = x->court;
	in.text = "楼道灯坏了";
	in.caller_name = "张三";
	assert_int_equal(wo_create(x->s, NULL, &in, &id, NULL, &F), 0);
	return id;
}

static int64_t outbox_rows(struct fx *x)
{
	int64_t n = -1;

	assert_int_equal(store_query_int64(x->s, "SELECT COUNT(*) FROM webhook_outbox", &n, 0), STORE_OK);
	return n;
}

static void test_outbox_row_commits_and_rolls_back_with_the_event(void **state)
{
	struct fx *x = *state;
	struct webhook_input in = { "http://127.0.0.1:9/h", NULL, "order.created", -1 };
	struct webhook_input off = { "http://127.0.0.1:9/off", "0123456789abcdef", NULL, 0 };
	struct webhook_delivery_list l;
	int64_t id, id2, order;
	char *secret = NULL, *secret2 = NULL;

	assert_int_equal(outbox_rows(x), 0);
	file_order(x);		/* no subscriber: nothing */
	assert_int_equal(outbox_rows(x), 0);
	assert_int_equal(webhook_create(x->s, &in, &id, &secret, &F), 0);
	assert_non_null(secret);
	assert_int_equal(webhook_create(x->s, &off, &id2, &secret2, &F), 0);
	assert_null(secret2);	/* given, not generated: not shown */
	order = file_order(x);
	assert_int_equal(outbox_rows(x), 1);	/* created only: the inactive one and other kinds get none */
	assert_int_equal(webhook_deliveries(x->s, "pending", id, 10, 0, &l, &F), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].order_id, order);
	assert_string_equal(l.items[0].event, "order.created");
	assert_non_null(strstr(l.items[0].payload, "\"from_state\":null"));
	assert_null(strstr(l.items[0].payload, "张三"));
	webhook_delivery_list_release(&l);
	/* The order's transaction undone: its outbox row with it. */
	assert_int_equal(store_begin_write(x->s), STORE_OK);
	file_order(x);
	assert_int_equal(outbox_rows(x), 2);
	assert_int_equal(store_rollback(x->s), STORE_OK);
	assert_int_equal(outbox_rows(x), 1);
	free(secret);
}

static void test_claims_are_leased(void **state)
{
	struct fx *x = *state;
	struct webhook_input in = { "http://127.0.0.1:9/h", NULL, NULL, -1 };
	int64_t id, ids[64], now = time(NULL) + 5;
	char *secret = NULL;
	int n;

	assert_int_equal(webhook_create(x->s, &in, &id, &secret, &F), 0);
	free(secret);
	file_order(x);
	file_order(x);
	assert_int_equal(outbox_rows(x), 2);
	n = webhook_claim(x->s, "a", now, 60, ids, 64, &F);
	assert_int_equal(n, 2);
	/* Held by a: b gets nothing until the lease runs out, then everything. */
	assert_int_equal(webhook_claim(x->s, "b", now, 60, ids, 64, &F), 0);
	assert_int_equal(webhook_claim(x->s, "b", now + 59, 60, ids, 64, &F), 0);
	assert_int_equal(webhook_claim(x->s, "b", now + 61, 60, ids, 64, &F), 2);
	/* max bounds a claim. */
	assert_int_equal(webhook_claim(x->s, "c", now + 200, 60, ids, 1, &F), 1);
}

static void test_retry_only_failed(void **state)
{
	struct fx *x = *state;
	struct webhook_input in = { "http://127.0.0.1:9/h", NULL, "order.created", -1 };
	int64_t id, row = 0;
	char *secret = NULL;

	assert_int_equal(webhook_create(x->s, &in, &id, &secret, &F), 0);
	free(secret);
	file_order(x);
	assert_int_equal(store_query_int64(x->s, "SELECT id FROM webhook_outbox", &row, 0), STORE_OK);
	assert_int_equal(webhook_retry(x->s, row, &F), -1);
	assert_int_equal(F.kind, FAULT_CONFLICT);
	assert_int_equal(webhook_retry(x->s, 999999, &F), -1);
	assert_int_equal(F.kind, FAULT_NOT_FOUND);
	assert_int_equal(store_exec(x->s, "UPDATE webhook_outbox SET state = 'failed', attempts = 10"), STORE_OK);
	assert_int_equal(webhook_retry(x->s, row, &F), 0);
	assert_int_equal(store_query_int64(x->s, "SELECT attempts FROM webhook_outbox", &row, 0), STORE_OK);
	assert_int_equal(row, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_is_hmac_sha256_of_timestamp_dot_body),
		cmocka_unit_test(test_kinds_of_events),
		cmocka_unit_test(test_urls_and_events_checked),
		cmocka_unit_test_setup_teardown(test_outbox_row_commits_and_rolls_back_with_the_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claims_are_leased, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_only_failed, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
