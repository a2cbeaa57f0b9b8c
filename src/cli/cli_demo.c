/*
 * cli_demo.c - `yuanluo demo`: the Mingshui demo data set (src/demo/), with a
 * progress line on stderr when it is a terminal.
 */
#include "auth/audit.h"
#include "cli/cli.h"
#include "csvio/csvio.h"
#include "demo/demo.h"
#include "store/store.h"
#include "util/util.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void demo_progress_fn(void *ctx, size_t done, size_t total)
{
	cli_progress_show(ctx, "loading the demo: courtyards", done, total);
}

static void demo_orders_progress_fn(void *ctx, size_t done, size_t total)
{
	cli_progress_show(ctx, "loading the demo: months of work orders", done, total);
}

/* What the orders of the demo came to: the story of the hotline's months, the sources, where orders stand. */
static void print_demo_orders(const struct demo_order_counts *o)
{
	static const char *const sources[] = { "resident (web)", "grid member", "mobile grid member", "phone",
					       "walk-in", "12345 hotline" };
	static const char *const states[] = { "received", "accepted", "answered", "dispatched", "return_requested",
					      "in_progress", "replied", "reviewed", "dissatisfied", "closed" };
	size_t settled = o->settled_courtyard + o->settled_community + o->settled_subdistrict, i;
	char end[40];

	time_format_local(o->until, end, sizeof(end));
	printf("  %zu work orders with %zu events (%zu daily sweeps), from %s-01 to %.10s %.5s:\n", o->orders,
	       o->events, o->sweeps, o->month[0], end, end + 11);
	printf("    by source:");
	for (i = 0; i < YL_ARRAY_LEN(sources); i++)
		printf("%s %s %zu", i ? "," : "", sources[i], o->by_source[i]);
	printf("\n    12345 hotline by month:");
	for (i = 0; i < o->months; i++)
		printf(" %s %zu", o->month[i] + 2, o->hotline_by_month[i]);
	printf("\n    local intake by month: ");
	for (i = 0; i < o->months; i++)
		printf(" %s %zu", o->month[i] + 2, o->local_by_month[i]);
	printf("\n    settled at the courtyard:");
	for (i = 0; i < o->months; i++)
		printf(" %s %zu%%", o->month[i] + 2,
		       o->completed_by_month[i] ? o->courtyard_by_month[i] * 100 / o->completed_by_month[i] : 0);
	printf("\n    now:");
	for (i = 0; i < YL_ARRAY_LEN(states); i++)
		if (o->by_state[i])
			printf(" %s %zu", states[i], o->by_state[i]);
	printf("\n    settled at the courtyard %zu (%.0f%%), community %zu, subdistrict %zu; %zu answered at once (直办)\n",
	       o->settled_courtyard, settled ? 100.0 * (double)o->settled_courtyard / (double)settled : 0.0,
	       o->settled_community, o->settled_subdistrict, o->answered);
	printf("    %zu yellow and %zu red cards, %zu escalations, %zu returns, %zu extensions, %zu redos, "
	       "%zu supervision orders, %zu confidential callers\n",
	       o->yellow_cards, o->red_cards, o->escalations, o->returns, o->extensions, o->redos, o->supervisions,
	       o->confidential);
	if (o->calendar_ended)
		printf("    the loaded working-day calendars end: the orders end at %.10s (load next year's calendar and "
		       "the demo again on a fresh database to bring them up to today)\n", end);
	if (o->skipped_days)
		printf("    %zu days of the window have no working-day calendar loaded: no orders on them\n",
		       o->skipped_days);
}

/*
 * `yuanluo demo [--no-orders]`: the tree, its people and the demo accounts, then (unless --no-orders) a year
 * of work orders simulated up to now; all in one transaction.  The orders' dates are relative to the month of
 * loading (demo.h).
 */
int cmd_demo(int argc, char **argv, const struct config *cfg)
{
	struct cli_progress pl = { "loading", isatty(2), 0, 0 };
	struct demo_progress prog = { demo_progress_fn, &pl };
	struct demo_progress oprog = { demo_orders_progress_fn, &pl };
	struct demo_account *accounts;
	struct demo_counts c;
	struct demo_order_counts oc;
	struct demo_council_counts cc;
	struct demo_volunteer_counts vc;
	struct fault f = { 0 };
	struct store *s;
	int64_t started;
	size_t i;
	int rc, a, orders = 1;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--no-orders"))
			orders = 0;
		else
			return cli_usage_error("demo", "unexpected argument '%s'", argv[a]);
	}
	s = cli_open_store(cfg);
	if (!s)
		return 1;
	started = mono_now_us();
	accounts = xcalloc(demo_account_count(), sizeof(*accounts));
	/* The data set, its accounts and its orders land together or not at all. */
	rc = store_begin_write(s) == STORE_OK ? 0 : -1;
	if (rc < 0)
		store_fault(s, STORE_BUSY, &f);
	if (rc == 0 && (demo_load(s, &prog, &c, &f) < 0 || demo_accounts(s, accounts, &f) < 0 || demo_cobuild(s, &f) < 0))
		rc = -1;
	cli_progress_end(&pl);
	if (rc == 0 && orders && demo_orders(s, DEMO_ORDER_MONTHS, 0, &oprog, &oc, &f) < 0)
		rc = -1;
	if (rc == 0 && demo_councils(s, orders, &cc, &f) < 0)
		rc = -1;
	if (rc == 0 && orders && demo_volunteers(s, 0, &vc, &f) < 0)
		rc = -1;
	if (rc == 0 && store_commit(s) != STORE_OK) {
		store_fault(s, STORE_ERROR, &f);
		rc = -1;
	} else if (rc < 0) {
		store_rollback(s);
	}
	cli_progress_end(&pl);
	if (rc < 0) {
		if (f.kind == FAULT_CONFLICT)
			fprintf(stderr, "yuanluo demo: %s; nothing was loaded\n", f.message);
		else
			fprintf(stderr, "yuanluo demo: cannot load the demo data set: %s%s%s%s\n", f.message,
				f.field[0] ? " (" : "", f.field, f.field[0] ? ")" : "");
		store_close(s);
		free(accounts);
		return 1;
	}
	printf("loaded the Mingshui demo data set into %s in %.1f s:\n", cfg->db,
	       (double)(mono_now_us() - started) / 1e6);
	printf("  %zu nodes: 1 subdistrict, %zu communities, %zu courtyards, %zu buildings, %zu units, %zu households\n",
	       c.nodes, c.communities, c.courtyards, c.buildings, c.units, c.households);
	printf("  %zu persons (%zu party members), %zu party organisations, %zu role assignments, %zu care links, "
	       "%zu grids\n",
	       c.persons, c.party_members, c.party_orgs, c.assignments, c.care_links, c.grids);
	if (orders) {
		print_demo_orders(&oc);
		printf("  %zu volunteer teams (%zu memberships), %zu shifts with %zu places (%zu late, %zu no-shows), "
		       "%zu patrols with %zu incidents (%zu became work orders), %zu points exchanged at the shop\n",
		       vc.teams, vc.members, vc.shifts, vc.places, vc.late, vc.no_shows, vc.patrols, vc.incidents, vc.orders,
		       vc.redemptions);
	}
	printf("  %zu council (君临天下小区): %zu members, %zu meetings, %zu proposals (%zu passed), %zu resolutions "
	       "(%zu done, %zu made work orders); %zu notices on the named courtyards' boards\n",
	       cc.councils, cc.members, cc.meetings, cc.proposals, cc.passed, cc.resolutions, cc.resolutions_done, cc.orders,
	       cc.notices);
	printf("  %zu mediation cases: %zu settled in the courtyard, %zu in the community, %zu above; %zu 红白理事会 filings\n",
	       cc.cases, cc.settled_courtyard, cc.settled_community, cc.settled_above, cc.filings);
	printf("demo accounts (passwords shown only now; each must be changed at first login):\n");
	for (i = 0; i < demo_account_count(); i++)
		printf("  %-10s %-18s %-20s %s\n", accounts[i].login, accounts[i].password, accounts[i].role,
		       accounts[i].display_name);
	if (orders)
		printf("  %-10s %-18s %-20s %s\n", vc.login, vc.password, "volunteer", "桃花山宿舍巡逻队 队长 (phone: 我的班次)");
	free(accounts);
	store_close(s);
	return 0;
}
