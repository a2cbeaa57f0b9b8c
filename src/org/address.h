/*
 * address.h - free-text addresses onto the organisation tree
 * (address_match.c): the hotline import and Open311 find a request's place
 * with it.
 */
#ifndef YL_ORG_ADDRESS_H
#define YL_ORG_ADDRESS_H

#include <stddef.h>
#include <stdint.h>

#include "org/org.h"
#include "store/store.h"
#include "util/fault.h"

/*
 * Address matching: a free-text address onto the most
 * specific node of the tree whose name it contains.  Subdistrict and community
 * by full name (or the community given in its own column), then the courtyard
 * (its name, or its name without 小区/院落/社区 when that is left with two or
 * more characters and is no road name), then below the courtyard buildings,
 * units and households by name or by number: 3号楼 = 3栋 = 3幢, 2单元 = 二单元,
 * 201室, and 3-2-201.  A name that two nodes match equally well is no match:
 * the search stops at the level above rather than guess.
 *
 * The index holds subdistricts, communities and courtyards from the start and
 * loads a node's children from the store the first time a match descends into
 * it.  Built without a store, it holds only the nodes added by hand (tests).
 */
struct addr_place;

struct addr_index {
	struct store *s;		/* NULL: no loading, the added nodes are the tree */
	struct addr_place *places;	/* owned */
	size_t n, cap;
	int64_t *slots;			/* id -> index + 1, open addressing */
	size_t nslots;
	size_t *top[3];			/* indexes of the subdistricts, communities and courtyards */
	size_t ntop[3], captop[3];
};

struct addr_result {
	int64_t node_id;		/* the most specific node matched; 0: nothing matched */
	enum node_level level;		/* its level (LEVEL_NONE when nothing matched) */
	int64_t community_id;		/* the community on the way (0: none) */
	int64_t courtyard_id;		/* the courtyard (0: none) */
	int community_from_column;	/* the community came from the community column */
};

void addr_index_init(struct addr_index *x, struct store *s);
void addr_index_release(struct addr_index *x);
/* Loads subdistricts, communities and courtyards; -1 with f on a store failure. */
int addr_index_load(struct addr_index *x, struct fault *f);
/* Adds a node (parent_id 0: a root); parents before their children. */
void addr_index_add(struct addr_index *x, int64_t id, int64_t parent_id, enum node_level level, const char *name);
/* Matches address (may be NULL) with the community column (may be NULL); -1 with f on a store failure. */
int addr_match(struct addr_index *x, const char *address, const char *community, struct addr_result *out,
	       struct fault *f);

#endif
