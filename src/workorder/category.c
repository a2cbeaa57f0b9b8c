/*
 * category.c - the category tree (诉求分类): a configurable two-level tree,
 * seeded by migration 005 after the categories 12345 centres use.
 */
#include "workorder/wo_internal.h"
#include "workorder/config.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define PATH_PARTS 3		/* the deepest tree a hotline sends */
#define PART_BYTES 128

void wo_category_list_release(struct wo_category_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].code);
		free(l->items[i].name);
		free(l->items[i].route_level);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* Roots by sort, then each root's children by sort: parents come first. */
static const char SQL_CATEGORIES[] =
	"SELECT c.id, c.parent_id, c.code, c.name, c.route_level, c.active, c.sort"
	" FROM wo_categories c LEFT JOIN wo_categories p ON p.id = c.parent_id"
	" WHERE (? = 1 OR (c.active = 1 AND (p.id IS NULL OR p.active = 1)))"
	" ORDER BY COALESCE(p.sort, c.sort), COALESCE(p.id, c.id), c.parent_id IS NOT NULL, c.sort, c.id";

int wo_category_list(struct store *s, int include_inactive, struct wo_category_list *out, struct fault *f)
{
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_CATEGORIES, "i", (int64_t)(include_inactive ? 1 : 0));
	while (store_next(st, &rc)) {
		struct wo_category *c;

		YL_GROW(out->items, out->n, cap);
		c = &out->items[out->n++];
		c->id = store_column_int64(st, 0);
		c->parent_id = store_column_int64(st, 1);
		c->code = store_column_dup(st, 2);
		c->name = store_column_dup(st, 3);
		c->route_level = store_column_dup(st, 4);
		c->active = store_column_int64(st, 5) != 0;
		c->sort = (int)store_column_int64(st, 6);
	}
	if (rc != STORE_DONE) {
		wo_category_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/* Copies the trimmed text between p and end (spaces, ideographic spaces) into out; 0 when empty or too long. */
static int trim_part(const char *p, const char *end, char out[PART_BYTES])
{
	size_t n;

	for (;;) {
		if (p < end && *p == ' ')
			p++;
		else if (end - p >= 3 && memcmp(p, "\xe3\x80\x80", 3) == 0)
			p += 3;
		else
			break;
	}
	for (;;) {
		if (end > p && end[-1] == ' ')
			end--;
		else if (end - p >= 3 && memcmp(end - 3, "\xe3\x80\x80", 3) == 0)
			end -= 3;
		else
			break;
	}
	n = (size_t)(end - p);
	if (n == 0 || n >= PART_BYTES)
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	return 1;
}

/* The next separator: '>' or the full-width '＞' (U+FF1E); sets *len to its bytes. */
static const char *next_sep(const char *p, size_t *len)
{
	for (; *p; p++) {
		if (*p == '>') {
			*len = 1;
			return p;
		}
		if ((unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbc && (unsigned char)p[2] == 0x9e) {
			*len = 3;
			return p;
		}
	}
	*len = 0;
	return p;
}

static const char SQL_ROOT_BY_NAME[] =
	"SELECT id FROM wo_categories WHERE parent_id IS NULL AND name = ? ORDER BY active DESC, id LIMIT 1";
static const char SQL_CHILD_BY_NAME[] =
	"SELECT id FROM wo_categories WHERE parent_id = ? AND name = ? ORDER BY active DESC, id LIMIT 1";

int wo_category_by_path(struct store *s, const char *path, int64_t *id, struct fault *f)
{
	char part[PART_BYTES];
	const char *p = path, *sep;
	int64_t cur = 0;
	size_t seplen;
	int depth = 0, rc;

	if (!path || !utf8_valid_text(path, strlen(path)))
		return fault_set(f, FAULT_INVALID, "category", "a category path is text such as 城乡建设>物业管理");
	for (;;) {
		struct store_stmt *st;

		sep = next_sep(p, &seplen);
		if (!trim_part(p, sep, part) || ++depth > PATH_PARTS)
			return fault_set(f, FAULT_INVALID, "category",
					 "'%s' is not a category path: names separated by '>', such as 城乡建设>物业管理", path);
		st = store_prepare(s, cur ? SQL_CHILD_BY_NAME : SQL_ROOT_BY_NAME);
		if (cur) {
			store_bind_int64(st, 1, cur);
			store_bind_text(st, 2, part);
		} else {
			store_bind_text(st, 1, part);
		}
		rc = store_step(st);
		if (rc == STORE_ROW)
			cur = store_column_int64(st, 0);
		store_done(st);
		if (rc == STORE_DONE)
			return fault_set(f, FAULT_NOT_FOUND, "category", "no category '%s' in the path '%s'", part, path);
		if (rc != STORE_ROW)
			return store_fault(s, rc, f);
		if (!*sep)
			break;
		p = sep + seplen;
	}
	*id = cur;
	return 0;
}

static const char SQL_CATEGORY_ACTIVE[] =
	"SELECT c.active * COALESCE(p.active, 1) FROM wo_categories c LEFT JOIN wo_categories p ON p.id = c.parent_id"
	" WHERE c.id = ?";

int wo_category_check(struct store *s, int64_t id, const char *field, struct fault *f)
{
	int64_t active;
	int rc;

	if (id <= 0)
		return fault_set(f, FAULT_INVALID, field, "%s is required", field);
	rc = store_query_int64(s, SQL_CATEGORY_ACTIVE, &active, 1, id);
	if (rc == STORE_NOTFOUND)
		return fault_set(f, FAULT_INVALID, field, "category %lld does not exist", (long long)id);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	if (!active)
		return fault_set(f, FAULT_INVALID, field, "category %lld is no longer in use", (long long)id);
	return 0;
}

char *wo_category_path_normal(const char *path)
{
	struct buf b = BUF_INIT;
	char part[PART_BYTES];
	const char *p = path, *sep;
	size_t seplen;
	int depth = 0;

	if (!path || !utf8_valid_text(path, strlen(path)))
		return NULL;
	buf_init(&b);
	for (;;) {
		sep = next_sep(p, &seplen);
		if (!trim_part(p, sep, part) || ++depth > PATH_PARTS) {
			buf_release(&b);
			return NULL;
		}
		buf_addf(&b, "%s%s", depth > 1 ? ">" : "", part);
		if (!*sep)
			break;
		p = sep + seplen;
	}
	return buf_detach(&b, NULL);
}
