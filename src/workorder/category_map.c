/*
 * category_map.c - the hotline's own category tree (hundreds of entries,
 * renamed from year to year) mapped onto ours, so that an import never fails
 * because of a category (config.h).
 *
 * Resolving a path: for the path and then each parent path (dropping the last
 * part), a row of wo_category_map, else our tree by name.  An active category
 * found by a mapping (of the path or of a parent path: someone chose it) is
 * 'map'; found by name, 'tree' for the path itself and 'parent' for a parent
 * path (a guess); nothing: the fallback setting ('fallback').  Orders filed by
 * 'parent' or 'fallback' keep the path (category_external) and are listed as
 * waiting; a mapping given later re-files them, each with a refile_category
 * event and its figures moved, in the caller's write transaction.
 */
#include "workorder/config.h"
#include "workorder/wo_internal.h"
#include "stats/stats.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FOUND_NONE, FOUND_MAP, FOUND_TREE };

static const char SQL_MAP_GET[] = "SELECT category_id FROM wo_category_map WHERE path = ?";
static const char SQL_FALLBACK_GET[] = "SELECT CAST(value AS INTEGER) FROM wo_settings WHERE key = 'category_fallback'";
static const char SQL_ACTIVE[] =
	"SELECT c.active * COALESCE(p.active, 1) FROM wo_categories c LEFT JOIN wo_categories p ON p.id = c.parent_id"
	" WHERE c.id = ?";

/* 1 when the category exists and it and its parent are active; 0 not; -1 store failure. */
static int active(struct store *s, int64_t id, struct fault *f)
{
	int64_t v = 0;
	int rc = store_query_int64(s, SQL_ACTIVE, &v, 1, id);

	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	return v != 0;
}

/* FOUND_MAP or FOUND_TREE with *id (an active category), FOUND_NONE, or -1. */
static int lookup(struct store *s, const char *path, int64_t *id, struct fault *f)
{
	struct store_stmt *st = store_prepare(s, SQL_MAP_GET);
	int rc, ok;

	store_bind_text(st, 1, path);
	rc = store_step(st);
	if (rc == STORE_ROW)
		*id = store_column_int64(st, 0);
	store_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return store_fault(s, rc, f);
	if (rc == STORE_ROW) {
		if ((ok = active(s, *id, f)) != 0)
			return ok < 0 ? -1 : FOUND_MAP;
	}
	if (wo_category_by_path(s, path, id, f) < 0) {
		if (f->kind == FAULT_INTERNAL)
			return -1;
		fault_clear(f);
		return FOUND_NONE;
	}
	if ((ok = active(s, *id, f)) < 0)
		return -1;
	return ok ? FOUND_TREE : FOUND_NONE;
}

int wo_category_resolve(struct store *s, const char *path, char **norm, int64_t *id, const char **by,
			struct fault *f)
{
	char *p = wo_category_path_normal(path), *cut;
	int found, own = 1, rc;

	*norm = NULL;
	if (!p)
		return fault_set(f, FAULT_INVALID, "category",
				 "'%s' is not a category path: names separated by '>', such as 城乡建设>物业管理",
				 path ? path : "");
	*norm = xstrdup(p);
	for (;;) {
		if ((found = lookup(s, p, id, f)) < 0) {
			free(p);
			return -1;
		}
		if (found != FOUND_NONE) {
			*by = found == FOUND_MAP ? "map" : own ? "tree" : "parent";
			free(p);
			return 0;
		}
		if (!(cut = strrchr(p, '>')))
			break;
		*cut = '\0';
		own = 0;
	}
	free(p);
	rc = store_query_int64(s, SQL_FALLBACK_GET, id, 0);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return store_fault(s, rc, f);
	if (rc == STORE_NOTFOUND || (found = active(s, *id, f)) == 0)
		return fault_set(f, FAULT_INVALID, "category", "'%s' maps to no category and no active fallback is set",
				 *norm);
	if (found < 0)
		return -1;
	*by = "fallback";
	return 0;
}

/* ---- reading the map ---- */

static const char SQL_MAPPED[] =
	"SELECT m.path, m.category_id, (SELECT COUNT(*) FROM work_orders w WHERE w.category_external = m.path"
	" AND w.category_by = 'map') FROM wo_category_map m ORDER BY m.path";
static const char SQL_UNMAPPED[] =
	"SELECT category_external, MIN(category_by), MIN(category_id), COUNT(*) FROM work_orders"
	" WHERE category_external IS NOT NULL AND category_by IN ('parent', 'fallback')"
	" GROUP BY category_external ORDER BY COUNT(*) DESC, category_external";

static void mappings_release(struct wo_category_mapping *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].path);
		free(m[i].by);
	}
	free(m);
}

void wo_category_map_release(struct wo_category_map *m)
{
	mappings_release(m->mapped, m->nmapped);
	mappings_release(m->unmapped, m->nunmapped);
	memset(m, 0, sizeof(*m));
}

static int read_rows(struct store *s, const char *sql, int with_by, struct wo_category_mapping **out, size_t *n,
		     struct fault *f)
{
	struct store_stmt *st = store_prepare(s, sql);
	int rc;

	while ((rc = store_step(st)) == STORE_ROW) {
		struct wo_category_mapping *m;

		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		m = &(*out)[(*n)++];
		memset(m, 0, sizeof(*m));
		m->path = xstrdup(store_column_text(st, 0));
		if (with_by) {
			m->by = xstrdup(store_column_text(st, 1));
			m->category_id = store_column_int64(st, 2);
			m->orders = store_column_int64(st, 3);
		} else {
			m->category_id = store_column_int64(st, 1);
			m->orders = store_column_int64(st, 2);
		}
	}
	store_done(st);
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

int wo_category_map_read(struct store *s, struct wo_category_map *out, struct fault *f)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (read_rows(s, SQL_MAPPED, 0, &out->mapped, &out->nmapped, f) < 0 ||
	    read_rows(s, SQL_UNMAPPED, 1, &out->unmapped, &out->nunmapped, f) < 0) {
		wo_category_map_release(out);
		return -1;
	}
	rc = store_query_int64(s, SQL_FALLBACK_GET, &out->fallback_id, 0);
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		wo_category_map_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/* ---- changing it ---- */

static const char SQL_MAP_UPSERT[] =
	"INSERT INTO wo_category_map (path, category_id, created_at, updated_at) VALUES (?, ?, ?, ?)"
	" ON CONFLICT (path) DO UPDATE SET category_id = excluded.category_id, updated_at = excluded.updated_at";
/* The waiting paths at or below a path (length and substr count characters on both backends). */
static const char SQL_WAITING_PATHS[] =
	"SELECT DISTINCT category_external FROM work_orders WHERE category_by IN ('parent', 'fallback')"
	" AND (category_external = ?"
	"      OR substr(category_external, 1, length(CAST(? AS TEXT)) + 1) = CAST(? AS TEXT) || '>')";
static const char SQL_WAITING_ORDERS[] =
	"SELECT id FROM work_orders WHERE category_external = ? AND category_by IN ('parent', 'fallback') ORDER BY id";
static const char SQL_REFILE[] =
	"UPDATE work_orders SET category_id = ?, category_by = ?, updated_at = ? WHERE id = ?";

static int refile_order(struct store *s, const struct actor *a, int64_t oid, int64_t cat, const char *by,
			const char *path, int *changed, struct fault *f)
{
	struct wo_order before;
	struct stat_row was;
	struct wo_event_input ev;
	struct store_stmt *st;
	char now[32], detail[320];
	int rc;

	*changed = 0;
	if (wo_get(s, oid, &before, f) < 0)
		return -1;
	st = store_prepare(s, SQL_REFILE);
	time_now_text(now);
	store_bind_int64(st, 1, cat);
	store_bind_text(st, 2, by);
	store_bind_text(st, 3, now);
	store_bind_int64(st, 4, oid);
	if ((rc = store_step_done(st)) != STORE_OK) {
		wo_order_release(&before);
		return store_fault(s, rc, f);
	}
	snprintf(detail, sizeof(detail), "the hotline's category %s re-filed from category %lld to %lld (%s)", path,
		 (long long)before.category_id, (long long)cat, by);
	memset(&ev, 0, sizeof(ev));
	ev.order_id = oid;
	ev.subdistrict_id = before.subdistrict_id;
	ev.at = wo_now();
	ev.actor = a;
	ev.action = "refile_category";
	ev.from_state = before.state;
	ev.to_state = before.state;
	ev.node_id = before.handler_node_id;
	ev.detail = detail;
	wo_stat_row(&before, &was);
	rc = wo_event_add(s, &ev, NULL, f) < 0 || stats_on_write(s, &was, oid, f) < 0 ? -1 : 0;
	*changed = before.category_id != cat;
	wo_order_release(&before);
	return rc;
}

/* Re-files the orders waiting under one path by resolving it again; adds to *refiled. */
static int refile_path(struct store *s, const struct actor *a, const char *path, int64_t *refiled, struct fault *f)
{
	struct store_stmt *st;
	int64_t cat, *ids = NULL;
	const char *by;
	char *norm = NULL;
	size_t n = 0, i;
	int rc, changed;

	if (wo_category_resolve(s, path, &norm, &cat, &by, f) < 0) {
		free(norm);
		return -1;
	}
	free(norm);
	st = store_prepare(s, SQL_WAITING_ORDERS);
	store_bind_text(st, 1, path);
	while ((rc = store_step(st)) == STORE_ROW) {
		ids = xrealloc(ids, (n + 1) * sizeof(*ids));
		ids[n++] = store_column_int64(st, 0);
	}
	store_done(st);
	if (rc != STORE_DONE) {
		free(ids);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < n; i++) {
		if (refile_order(s, a, ids[i], cat, by, path, &changed, f) < 0) {
			free(ids);
			return -1;
		}
		*refiled += 1;
	}
	free(ids);
	return 0;
}

int wo_category_map_put(struct store *s, const struct actor *a, const char *path, int64_t category_id,
			int64_t *refiled, struct fault *f)
{
	struct store_stmt *st;
	char *p = wo_category_path_normal(path), **paths = NULL, now[32];
	size_t n = 0, i;
	int rc, ok;

	*refiled = 0;
	if (!p)
		return fault_set(f, FAULT_INVALID, "path",
				 "path is a category path of the hotline: 1 to 3 names separated by '>', such as 公用设施>路灯");
	if ((rc = store_begin_write(s)) != STORE_OK) {
		free(p);
		return store_fault(s, rc, f);
	}
	if ((ok = active(s, category_id, f)) <= 0) {
		if (!ok)
			fault_set(f, FAULT_INVALID, "category_id", "category %lld does not exist or is retired",
				  (long long)category_id);
		goto fail;
	}
	st = store_prepare(s, SQL_MAP_UPSERT);
	time_now_text(now);
	store_bind_text(st, 1, p);
	store_bind_int64(st, 2, category_id);
	store_bind_text(st, 3, now);
	store_bind_text(st, 4, now);
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	st = store_prepare(s, SQL_WAITING_PATHS);
	store_bind_text(st, 1, p);
	store_bind_text(st, 2, p);
	store_bind_text(st, 3, p);
	while ((rc = store_step(st)) == STORE_ROW) {
		paths = xrealloc(paths, (n + 1) * sizeof(*paths));
		paths[n++] = xstrdup(store_column_text(st, 0));
	}
	store_done(st);
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	for (i = 0; i < n; i++)
		if (refile_path(s, a, paths[i], refiled, f) < 0)
			goto fail;
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(p);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(p);
	store_rollback(s);
	return -1;
}

static const char SQL_FALLBACK_SET[] =
	"INSERT INTO wo_settings (key, value) VALUES ('category_fallback', ?)"
	" ON CONFLICT (key) DO UPDATE SET value = excluded.value";

int wo_category_fallback_set(struct store *s, int64_t category_id, struct fault *f)
{
	struct store_stmt *st;
	char v[24];
	int rc, ok;

	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if ((ok = active(s, category_id, f)) <= 0) {
		if (!ok)
			fault_set(f, FAULT_INVALID, "category_id", "category %lld does not exist or is retired",
				  (long long)category_id);
		store_rollback(s);
		return -1;
	}
	snprintf(v, sizeof(v), "%lld", (long long)category_id);
	st = store_prepare(s, SQL_FALLBACK_SET);
	store_bind_text(st, 1, v);
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		store_rollback(s);
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}
