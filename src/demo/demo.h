/*
 * demo.h - the Mingshui demo data set (明水街道, from the article in
 * domain/source-article.txt): one subdistrict, 15 urban communities, 75
 * courtyards with their buildings, units and households, residents, party
 * organisations at every level, role holders, central households with their
 * care links, and grids.
 *
 * Deterministic: a fixed-seed generator drives every choice, so two loads give
 * the same rows apart from timestamps.  Everything goes through the domain
 * functions (the same rules as the API) inside one transaction: a failure
 * leaves the database as it was.
 *
 * The story the data tells (tests check it): the 桃花山职工宿舍 dormitory in
 * 桃花山社区 has exactly 25 resident party members and 41 volunteers; most,
 * not all, buildings have a building head and households a central household.
 */
#ifndef YL_DEMO_H
#define YL_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

#define DEMO_SUBDISTRICT_CODE "MS"
#define DEMO_STORY_COURTYARD_CODE "MS-02-01"	/* 桃花山职工宿舍 */
#define DEMO_STORY_PARTY_MEMBERS 25
#define DEMO_STORY_VOLUNTEERS 41

struct demo_counts {
	size_t nodes;
	size_t communities, courtyards, buildings, units, households;
	size_t party_orgs, persons, party_members, assignments, care_links, grids;
};

/* Called after each courtyard: done of total courtyards. */
struct demo_progress {
	void (*fn)(void *ctx, size_t done, size_t total);
	void *ctx;
};

/*
 * Loads the data set.  Refuses with a FAULT_CONFLICT when the subdistrict
 * DEMO_SUBDISTRICT_CODE exists (the demo is loaded already).  counts may be NULL.
 */
int demo_load(struct store *s, const struct demo_progress *pr, struct demo_counts *counts, struct fault *f);

/* The demo's accounts, one per kind of user (demo_users.c). */
struct demo_account {
	char login[32];
	char role[32];
	char display_name[96];
	char password[17];		/* generated; shown once */
};

size_t demo_account_count(void);
/* Creates them (out has demo_account_count() slots); run inside the demo's transaction. */
int demo_accounts(struct store *s, struct demo_account *out, struct fault *f);

/*
 * Work orders (demo_orders.c): the article's story told by stored events.
 * Months of residents' requests, simulated day by day through the work-order
 * engine (wo_create, wo_transition, tn_sweep) as the demo's accounts or the
 * system: the 12345 hotline's orders fall from about 1,500 to about 700 a
 * month while the courtyard branches take requests locally (grid members,
 * couriers and riders, residents on the web, phone calls and walk-ins at the
 * community), so where orders are settled moves down to the courtyard.
 *
 * The window is the months complete months before the month of until, then
 * that month up to until; nothing is dated after until.  Deterministic: a
 * fixed seed drives every choice, so two loads with the same until give the
 * same orders, texts and events; the dates are relative to the month of until,
 * so the timestamps shift with the month of loading (and the orders of the
 * current month with the day).  Orders still open at until are left as they
 * stand, in whatever state their simulated handlers had reached.
 *
 * Needs the tree of demo_load() (and the accounts of demo_accounts() to act as;
 * without them the system acts) and the working-day calendars of the window:
 * when the loaded calendars end before until (next year's is published in the
 * autumn), the simulation ends where deadlines can still be counted, and the
 * window moves back with it (counts->calendar_ended); a day of the window
 * without a calendar gets no order.  Runs in the caller's write transaction
 * (which must then roll back on failure), or in one of its own.
 */
#define DEMO_ORDER_MONTHS 12		/* complete months before the current one */
#define DEMO_MAX_MONTHS 36

struct demo_order_counts {
	size_t orders, events, sweeps;
	size_t months;				/* complete months + the current one */
	char month[DEMO_MAX_MONTHS + 1][8];	/* "2025-12", oldest first */
	size_t hotline_by_month[DEMO_MAX_MONTHS + 1];
	size_t local_by_month[DEMO_MAX_MONTHS + 1];
	size_t completed_by_month[DEMO_MAX_MONTHS + 1];		/* replied or answered (办结) */
	size_t courtyard_by_month[DEMO_MAX_MONTHS + 1];		/* of which settled at the courtyard */
	size_t by_source[6];			/* in WO_SOURCES order */
	size_t by_state[10];			/* in WO_STATES order, as the orders stand at the end */
	size_t answered, settled_courtyard, settled_community, settled_subdistrict;
	size_t yellow_cards, red_cards, escalations, returns, extensions, redos, supervisions;
	size_t confidential, skipped_days;	/* days without a calendar: no orders */
	int64_t until;				/* the simulation's end */
	int calendar_ended;			/* 1: until was moved back to where the loaded calendars end */
};

/*
 * Loads the orders (months: complete months before the current one, 1 to
 * DEMO_MAX_MONTHS; until: the simulation's end, 0 for now, never in the
 * future).  pr, when given, is called after each simulated month.  counts may
 * be NULL.
 */
int demo_orders(struct store *s, int months, int64_t until, const struct demo_progress *pr,
		struct demo_order_counts *counts, struct fault *f);

/*
 * Co-building (demo_cobuild.c, issue 18): the units of Mingshui with their in-service party members, needs of
 * 御泉社区's residents, resources, projects (claimed and rated, in progress, unclaimed), the bank's agreement,
 * and the 桃花山 dormitory's 25 party members on the roll with service records.  After demo_load(), in its
 * transaction.
 */
int demo_cobuild(struct store *s, struct fault *f);

/*
 * Councils, boards and mediation (demo_councils.c, issue 17): the 君临天下小区
 * council with two years of meetings, proposals, votes and resolutions (the
 * last ones open, two turned into work orders as the longquan account), the
 * boards of the named courtyards, a year of mediation cases across Mingshui
 * (most settled in the courtyard) and 红白理事会 filings.  Needs the tree and,
 * for the council's resolutions, the demo's accounts.  Dated back from today;
 * deterministic otherwise.
 */
struct demo_council_counts {
	size_t councils, members, meetings, proposals, passed, resolutions, resolutions_done, orders, notices;
	size_t cases, settled_courtyard, settled_community, settled_above, filings;
};
/* orders 0 (--no-orders): no resolution becomes a work order, so the demo holds none. */
int demo_councils(struct store *s, int orders, struct demo_council_counts *counts, struct fault *f);

/*
 * Volunteers on duty (demo_volunteers.c, issue 16): the 桃花山 dormitory's volunteers and party members on a
 * nightly patrol roster and a weekend emergency duty roster, the 香港街 alliance's volunteers on Saturday
 * mornings, the community's points shop; three months of shifts served (check-ins, a few late, a few no-shows,
 * closed at their end), patrols logged with incidents, the last weeks' incidents turned into work orders, two
 * weeks planned ahead; and one account, the patrol's leader (role volunteer).  Needs the tree of demo_load();
 * run after demo_orders() (its sweeps are dated in the past).  Deterministic; dates relative to until (0: now).
 */
struct demo_volunteer_counts {
	size_t teams, members, shifts, places, late, no_shows, patrols, incidents, orders, redemptions;
	char login[32];
	char password[17];
};
int demo_volunteers(struct store *s, int64_t until, struct demo_volunteer_counts *c, struct fault *f);

#endif
