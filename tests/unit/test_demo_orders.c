/*
 * test_demo_orders.c - the demo's work orders (src/demo/demo_orders.c): the
 * same until gives the same orders, texts and events; the history of every
 * order is one the state machine allows, in time order; the counts agree with
 * the store; the window ends where the calendars do.  A short window (one
 * complete month and a week) on a fresh database with the shipped calendars
 * (run from the project root).
 */
#include "unit.h"

#include "calendar/calendar.h"
#include "demo/demo.h"
#include "util/util.h"
#include "workorder/workorder.h"

/* The window: March 2025 and 1 to 8 April 2025 (12:00 +08:00). */
#define UNTIL 1744084800

/* FNV-1a over the text of every order and every event, in id order (not the row times of the load). */
static void mix(uint64_t *h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "\1");

	for (; *p; p++)
		*h = (*h ^ *p) * 0x100000001b3ULL;
	*h = (*h ^ 0xff) * 0x100000001b3ULL;
}

static void mixn(uint64_t *h, int64_t v)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", (long long)v);
	mix(h, b);
}

struct load {
	uint64_t digest;
	size_t orders, events, closed_without_callback, out_of_order;
	struct demo_order_counts c;
};

static void check_events(const struct wo_order *o, const struct wo_event_list *ev, struct load *l)
{
	int answered = 0;
	size_t i;

	for (i = 0; i < ev->n; i++) {
		if (i && ev->items[i].at < ev->items[i - 1].at)
			l->out_of_order++;
		if (!strcmp(ev->items[i].action, "callback") || !strcmp(ev->items[i].action, "refuse"))
			answered = 1;
	}
	if (!strcmp(o->state, "closed") && !answered)
		l->closed_without_callback++;
}

static void load_demo(struct load *l)
{
	struct store *s = unit_db_open();
	struct demo_account *accounts;
	struct fault f = { 0 };
	int64_t id;

	assert_non_null(s);
	memset(l, 0, sizeof(*l));
	l->digest = 0xcbf29ce484222325ULL;
	unit_load_calendars(s);
	accounts = xcalloc(demo_account_count(), sizeof(*accounts));
	if (demo_load(s, NULL, NULL, &f) < 0 || demo_accounts(s, accounts, &f) < 0)
		fail_msg("demo_load: %s", f.message);
	free(accounts);
	if (demo_orders(s, 1, UNTIL, NULL, &l->c, &f) < 0)
		fail_msg("demo_orders: %s", f.message);
	for (id = 1;; id++) {
		struct wo_order o;
		struct wo_event_list ev;
		size_t i;

		if (wo_get(s, id, &o, &f) < 0)
			break;
		assert_int_equal(wo_events(s, id, &ev, &f), 0);
		l->orders++;
		l->events += ev.n;
		mix(&l->digest, o.number);
		mix(&l->digest, o.source);
		mix(&l->digest, o.external_no);
		mix(&l->digest, o.type);
		mix(&l->digest, o.category_path);
		mixn(&l->digest, o.node_id);
		mix(&l->digest, o.address);
		mix(&l->digest, o.caller_name);
		mix(&l->digest, o.caller_phone);
		mixn(&l->digest, o.confidential);
		mix(&l->digest, o.text);
		mix(&l->digest, o.state);
		mixn(&l->digest, o.handler_node_id);
		mix(&l->digest, o.settled_level);
		mixn(&l->digest, o.received_at);
		mixn(&l->digest, o.deadline);
		mix(&l->digest, o.card);
		mix(&l->digest, o.satisfaction);
		for (i = 0; i < ev.n; i++) {
			mixn(&l->digest, ev.items[i].at);
			mix(&l->digest, ev.items[i].action);
			mix(&l->digest, ev.items[i].actor_login);
			mix(&l->digest, ev.items[i].to_state);
			mixn(&l->digest, ev.items[i].node_id);
			mix(&l->digest, ev.items[i].opinion);
			mix(&l->digest, ev.items[i].detail);
		}
		check_events(&o, &ev, l);
		wo_event_list_release(&ev);
		wo_order_release(&o);
	}
	assert_int_equal(f.kind, FAULT_NOT_FOUND);
	unit_db_close(s);
}

/* The same until, the same data: two loads on two databases. */
static void test_same_until_same_orders(void **state)
{
	struct load a, b;

	(void)state;
	load_demo(&a);
	load_demo(&b);
	assert_true(a.orders > 1000);
	assert_int_equal(a.orders, b.orders);
	assert_int_equal(a.events, b.events);
	assert_true(a.digest == b.digest);
	assert_int_equal(memcmp(&a.c, &b.c, sizeof(a.c)), 0);

	/* What the counts say is what the store holds. */
	assert_int_equal(a.c.orders, a.orders);
	assert_int_equal(a.c.months, 2);
	assert_string_equal(a.c.month[0], "2025-03");
	assert_string_equal(a.c.month[1], "2025-04");
	assert_int_equal(a.c.by_source[5], a.c.hotline_by_month[0] + a.c.hotline_by_month[1]);
	assert_int_equal(a.c.orders, a.c.hotline_by_month[0] + a.c.hotline_by_month[1] + a.c.local_by_month[0] +
					     a.c.local_by_month[1]);

	/* Histories the state machine allowed, forward in time, every closed order called back or refused. */
	assert_int_equal(a.out_of_order, 0);
	assert_int_equal(a.closed_without_callback, 0);
	assert_true(a.c.by_state[9] > a.orders / 2);	/* closed */
	assert_true(a.c.settled_courtyard > 0 && a.c.settled_community > 0);
	assert_true(a.c.answered > 0 && a.c.redos > 0 && a.c.yellow_cards > 0 && a.c.sweeps > 30);
}

/*
 * A year with no official calendar (here 2025) is counted on the provisional calendar: the simulation runs
 * up to until as with every year loaded, and skips no day.
 */
static void test_runs_over_a_year_not_loaded(void **state)
{
	struct store *s = unit_db_open();
	struct demo_order_counts c;
	struct fault f = { 0 };

	(void)state;
	unit_load_calendars(s);
	assert_int_equal(store_exec(s, "DELETE FROM calendar_days WHERE year = 2025;"
				       " DELETE FROM calendar_years WHERE year = 2025"),
			 STORE_OK);
	/* Without the demo's accounts: the system acts for everyone. */
	if (demo_load(s, NULL, NULL, &f) < 0 || demo_orders(s, 1, UNTIL, NULL, &c, &f) < 0)
		fail_msg("demo: %s", f.message);
	assert_int_equal(c.calendar_ended, 0);
	assert_int_equal(c.until, UNTIL);
	assert_string_equal(c.month[0], "2025-03");
	assert_string_equal(c.month[1], "2025-04");
	assert_true(c.orders > 1000);
	assert_int_equal(c.skipped_days, 0);
	unit_db_close(s);
}

/* Without the tree there is nothing to place orders on; the window is checked. */
static void test_refusals(void **state)
{
	struct store *s = unit_db_open();
	struct fault f = { 0 };

	(void)state;
	assert_int_equal(demo_orders(s, 1, UNTIL, NULL, NULL, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	fault_clear(&f);
	assert_int_equal(demo_orders(s, 0, UNTIL, NULL, NULL, &f), -1);
	assert_string_equal(f.field, "months");
	fault_clear(&f);
	assert_int_equal(demo_orders(s, 12, time_now_us() / 1000000 + 86400, NULL, NULL, &f), -1);
	assert_string_equal(f.field, "until");
	unit_db_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_until_same_orders),
		cmocka_unit_test(test_runs_over_a_year_not_loaded),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
