/*
 * config.h - the work-order engine's configuration, changed by the people who
 * run the office (permission workorder.config, deployment-wide): categories
 * (two levels; retired, never deleted, so every order keeps its category),
 * routing rules, time limits per type and urgency, the sweep's escalation
 * policy, and the map of a hotline's own category paths onto our tree.
 *
 * Each change runs in the caller's write transaction (the api layer's, with
 * its audit row) or its own.  None changes an open order retroactively: a
 * change answers in *open how many open orders it concerns (they keep their
 * handler and deadlines; new orders and the next actions follow the change).
 * The category map is the one change meant to reach back: mapping a path
 * re-files the orders that waited for it (their category only, with an event
 * on each and the figures moved in the same transaction).
 *
 * Strings of the result structs are owned by them; *_release frees them.
 */
#ifndef YL_WO_CONFIG_H
#define YL_WO_CONFIG_H

#include "workorder/workorder.h"

/* Categories.  parent_id 0: a top-level category; a child's parent must be top-level. */
struct wo_category_input {
	int64_t parent_id;
	const char *code;		/* create only: letters, digits, '.', '_', '-'; unique */
	const char *name;		/* NULL: unchanged */
	int set_route_level;		/* 1: route_level below applies (NULL clears it) */
	const char *route_level;	/* courtyard, community, subdistrict */
	int active;			/* -1: unchanged */
	int set_sort;
	int sort;
};

int wo_category_create(struct store *s, const struct wo_category_input *in, int64_t *id, struct fault *f);
int wo_category_update(struct store *s, int64_t id, const struct wo_category_input *in, int64_t *open,
		       struct fault *f);

/* Routing rules: the most specific wins (route.c). */
struct wo_rule {
	int64_t id;
	int64_t category_id;		/* 0: any category */
	char *type;			/* NULL: any type */
	char *route_level;
	char *note;
};

struct wo_rule_list {
	struct wo_rule *items;
	size_t n;
};

int wo_rule_list(struct store *s, struct wo_rule_list *out, struct fault *f);
void wo_rule_list_release(struct wo_rule_list *l);
struct wo_rule_input {
	int64_t category_id;		/* 0: any category */
	const char *type;		/* NULL: any type */
	const char *route_level;
	const char *note;
};

int wo_rule_create(struct store *s, const struct wo_rule_input *in, int64_t *id, int64_t *open, struct fault *f);
int wo_rule_delete(struct store *s, int64_t id, int64_t *open, struct fault *f);

/* Time limits: one row per type and urgency ('*' for any). */
struct wo_limit_row {
	char type[16];
	char urgency[8];
	struct wo_limits lim;
};

int wo_limit_rows(struct store *s, struct wo_limit_row **rows, size_t *n, struct fault *f);
int wo_limit_put(struct store *s, const struct wo_limit_row *r, int64_t *open, struct fault *f);
/* The catch-all row ('*', '*') stays: every order needs a limit. */
int wo_limit_delete(struct store *s, const char *type, const char *urgency, int64_t *open, struct fault *f);

/* The sweep's escalation policy per handler level (courtyard, community). */
struct wo_sweep_level {
	char level[12];
	int escalate;
	int after_days;
};

int wo_sweep_levels(struct store *s, struct wo_sweep_level out[2], size_t *n, struct fault *f);
int wo_sweep_level_put(struct store *s, const struct wo_sweep_level *l, int64_t *open, struct fault *f);

/*
 * The hotline's categories (category_map.c).  A path is normalised (parts
 * trimmed, joined by '>') and resolved: a mapping of the path, else the path
 * in our tree by name, else the same for its nearest parent path, else the
 * fallback category.  *by (static): "map" (a mapping of the path or of a
 * parent path), "tree" (the path by name), "parent" (a parent path by name),
 * "fallback".  A retired category is passed over.
 */
/* The path's parts trimmed and joined by '>'; NULL when it is no path (empty part, deeper than 3). */
char *wo_category_path_normal(const char *path);
int wo_category_resolve(struct store *s, const char *path, char **norm, int64_t *id, const char **by,
			struct fault *f);

struct wo_category_mapping {
	char *path;
	int64_t category_id;
	int64_t orders;			/* orders filed by this mapping, or waiting under the path */
	char *by;			/* unmapped only: parent or fallback */
};

struct wo_category_map {
	struct wo_category_mapping *mapped;
	size_t nmapped;
	struct wo_category_mapping *unmapped;	/* paths whose orders wait for a mapping, most orders first */
	size_t nunmapped;
	int64_t fallback_id;
};

int wo_category_map_read(struct store *s, struct wo_category_map *out, struct fault *f);
void wo_category_map_release(struct wo_category_map *m);
/* Maps path (normalised first) to category_id and re-files the orders waiting under it or below it. */
int wo_category_map_put(struct store *s, const struct actor *a, const char *path, int64_t category_id,
			int64_t *refiled, struct fault *f);
int wo_category_fallback_set(struct store *s, int64_t category_id, struct fault *f);

#endif
