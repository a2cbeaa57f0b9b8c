/*
 * org.h - the organisation tree: nodes of six levels, their history, grids and
 * party organisations.  Plain structs over a store; no HTTP, no JSON.
 *
 * Levels (DOMAIN.md, 五级组织架构): subdistrict > community > courtyard >
 * building > unit (stairwell, optional) > household.  A node's level never
 * changes; its parent must be of the level just above (a household may hang
 * directly under a building).  Subdistricts are roots.
 *
 * Strings in the structs are owned by the struct: node_release() frees them.
 * Functions return 0, or -1 with the fault filled.  Writes run in their own
 * transaction (nested inside the caller's when there is one).
 */
#ifndef YL_ORG_H
#define YL_ORG_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

enum node_level {
	LEVEL_NONE = 0,
	LEVEL_SUBDISTRICT = 1,
	LEVEL_COMMUNITY,
	LEVEL_COURTYARD,
	LEVEL_BUILDING,
	LEVEL_UNIT,
	LEVEL_HOUSEHOLD,
};

const char *node_level_name(enum node_level level);
enum node_level node_level_parse(const char *s);	/* LEVEL_NONE when unknown */
/* 1 when a node of level child may sit under a node of level parent (LEVEL_NONE: a root). */
int node_level_parent_ok(enum node_level child, enum node_level parent);
/* NULL-terminated list of the kinds a level allows; NULL when the level takes no kind. */
const char *const *node_level_kinds(enum node_level level);
int node_kind_required(enum node_level level);
/* 1 when kind is a kind of some level (for filters). */
int node_kind_known(const char *kind);

struct node {
	int64_t id;
	int64_t parent_id;		/* 0: a root */
	int64_t subdistrict_id;
	enum node_level level;
	char *kind;			/* may be NULL */
	char *name;
	char *code;
	char *address;			/* may be NULL */
	int has_coords;
	double lat, lng;
	char *created_at;
	char *updated_at;
	int64_t children;		/* filled by get and list */
};

void node_release(struct node *n);

/* What a create or update sets: a NULL string or a 0 flag leaves the field alone. */
struct node_input {
	int64_t parent_id;		/* create: the parent; update: 0 keeps, >0 moves */
	enum node_level level;		/* create only */
	const char *kind;
	int set_kind;			/* update: 1 sets kind (NULL clears, where the level allows) */
	const char *name;
	const char *code;
	const char *address;
	int set_address;		/* update: 1 sets address (NULL clears) */
	int set_coords;			/* 1: lat/lng below apply */
	int clear_coords;
	double lat, lng;
	const char *detail;		/* history note, may be NULL */
};

int org_node_create(struct store *s, const struct node_input *in, int64_t *id, struct fault *f);
int org_node_get(struct store *s, int64_t id, struct node *out, struct fault *f);
int org_node_get_by_code(struct store *s, const char *code, struct node *out, struct fault *f);
int org_node_update(struct store *s, int64_t id, const struct node_input *in, struct fault *f);

struct node_filter {
	int64_t parent_id;		/* direct children of; 0: any */
	int roots;			/* 1: only nodes without a parent */
	int64_t under_id;		/* the whole subtree of (the node itself excluded); 0: any */
	enum node_level level;
	const char *kind;
	const char *q;			/* name or code contains */
	int64_t scope_id;		/* only this node and its subtree (an actor's scope); 0: any */
	int limit, offset;
};

struct node_list {
	struct node *items;
	size_t n;
	int64_t total;
};

int org_node_list(struct store *s, const struct node_filter *flt, struct node_list *out, struct fault *f);
void node_list_release(struct node_list *l);

/* The chain from the root down to the node's parent, root first. */
int org_node_ancestors(struct store *s, int64_t id, struct node_list *out, struct fault *f);
/*
 * The node's place in words, from below the subdistrict down to the node:
 * "龙泉社区 / 君临天下小区 / 3号楼 / 2单元 / 201室".  Caller frees; NULL on a store error.
 */
char *org_node_path(struct store *s, int64_t id);

/* 1 when node is ancestor or inside ancestor's subtree, 0 when not, -1 on store error. */
int org_is_within(struct store *s, int64_t ancestor, int64_t node);

struct node_change {
	int64_t id;
	char *at;
	char *action;
	int64_t old_parent_id, new_parent_id;
	char *old_name, *new_name, *detail;
};

struct node_history {
	struct node_change *items;
	size_t n;
};

int org_node_history(struct store *s, int64_t id, struct node_history *out, struct fault *f);
void node_history_release(struct node_history *h);

/* Party organisations (one per node; the kind follows the node's level). */
struct party_org {
	int64_t id;
	int64_t node_id;
	int64_t subdistrict_id;
	char *kind;
	char *name;
	int64_t secretary_person_id;	/* 0: none */
	char *secretary_name;		/* joined from persons, may be NULL */
	char *founded_on;		/* YYYY-MM-DD or NULL */
	char *created_at, *updated_at;
};

struct party_org_input {
	int64_t node_id;		/* create only */
	const char *name;		/* create: NULL takes the node's name and the level's suffix */
	int set_secretary;
	int64_t secretary_person_id;	/* 0 clears */
	int set_founded;
	const char *founded_on;		/* NULL clears */
};

/* The kind of party organisation a level has ("courtyard_branch"...), or NULL. */
const char *party_org_kind_for(enum node_level level);
int org_party_create(struct store *s, const struct party_org_input *in, int64_t *id, struct fault *f);
int org_party_get(struct store *s, int64_t id, struct party_org *out, struct fault *f);
int org_party_get_by_node(struct store *s, int64_t node_id, struct party_org *out, struct fault *f);
int org_party_update(struct store *s, int64_t id, const struct party_org_input *in, struct fault *f);

struct party_org_list {
	struct party_org *items;
	size_t n;
	int64_t total;
};

/* under_id 0: all; kind NULL: any. */
int org_party_list(struct store *s, int64_t under_id, const char *kind, int limit, int offset,
		   struct party_org_list *out, struct fault *f);
void party_org_release(struct party_org *p);
void party_org_list_release(struct party_org_list *l);

/* Grids: 15-digit code (6 county + 3 subdistrict + 3 community + 3 grid) over one community. */
struct grid {
	int64_t id;
	int64_t community_id;
	int64_t subdistrict_id;
	char *code;
	char *name;
	int64_t *node_ids;
	size_t nnodes;
	char *created_at, *updated_at;
};

struct grid_input {
	int64_t community_id;		/* create only */
	const char *code;
	const char *name;
	int set_nodes;
	const int64_t *node_ids;	/* courtyards or buildings inside the community */
	size_t nnodes;
};

int grid_code_valid(const char *code);
int org_grid_create(struct store *s, const struct grid_input *in, int64_t *id, struct fault *f);
int org_grid_get(struct store *s, int64_t id, struct grid *out, struct fault *f);
int org_grid_update(struct store *s, int64_t id, const struct grid_input *in, struct fault *f);

struct grid_list {
	struct grid *items;
	size_t n;
	int64_t total;
};

/* under_id: grids of communities inside that subtree; node_id: grids covering that node. */
int org_grid_list(struct store *s, int64_t under_id, int64_t node_id, int limit, int offset,
		  struct grid_list *out, struct fault *f);
void grid_release(struct grid *g);
void grid_list_release(struct grid_list *l);

#endif
