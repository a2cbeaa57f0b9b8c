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

#endif
