/*
 * export.c - the tree and persons as CSV, in the columns the imports read.
 *
 * Nodes are written level by level (subdistricts first), so every parent comes
 * before its children whatever moves have done to the ids, and the file
 * imports back in one pass.  A subtree export starts with the subtree's root.
 */
#include "auth/pii.h"
#include "csvio/import.h"
#include "people/people.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 10000

int csv_resolve_node(struct store *s, const char *ref, const char *field, int64_t *id, struct fault *f)
{
	struct node n;
	int64_t v;

	if (parse_int64(ref, 1, INT64_MAX, &v) == 0) {
		if (org_node_get(s, v, &n, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_NOT_FOUND, field, "node %lld does not exist", (long long)v);
			return -1;
		}
	} else if (org_node_get_by_code(s, ref, &n, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_NOT_FOUND, field, "no node has the code '%s'", ref);
		return -1;
	}
	*id = n.id;
	node_release(&n);
	return 0;
}

/* Node id -> code, filled as nodes are written and on demand for ancestors. */
struct code_cache {
	struct strmap index;		/* decimal id -> slot in codes */
	char **codes;
	size_t n, cap;
};

static void cache_put(struct code_cache *c, int64_t id, const char *code)
{
	char key[24];

	snprintf(key, sizeof(key), "%lld", (long long)id);
	YL_GROW(c->codes, c->n, c->cap);
	c->codes[c->n] = xstrdup(code);
	strmap_put(&c->index, key, (int64_t)c->n);
	c->n++;
}

/* The code of node id; NULL (with f set) on a store failure. */
static const char *cache_code(struct store *s, struct code_cache *c, int64_t id, struct fault *f)
{
	char key[24];
	struct node n;
	int64_t slot;

	snprintf(key, sizeof(key), "%lld", (long long)id);
	if (strmap_get(&c->index, key, &slot))
		return c->codes[slot];
	if (org_node_get(s, id, &n, f) < 0)
		return NULL;
	cache_put(c, id, n.code);
	node_release(&n);
	return c->codes[c->n - 1];
}

static void cache_release(struct code_cache *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->codes[i]);
	free(c->codes);
	strmap_release(&c->index);
	memset(c, 0, sizeof(*c));
}

static const char *const node_header[] = { "code", "name", "level", "kind", "parent_code", "address", "lat", "lng" };

static int put_node(struct store *s, struct code_cache *cc, const struct node *n, struct buf *out, struct fault *f)
{
	const char *fields[YL_ARRAY_LEN(node_header)];
	char lat[32] = "", lng[32] = "";

	fields[0] = n->code;
	fields[1] = n->name;
	fields[2] = node_level_name(n->level);
	fields[3] = n->kind;
	fields[4] = NULL;
	if (n->parent_id && !(fields[4] = cache_code(s, cc, n->parent_id, f)))
		return -1;
	fields[5] = n->address;
	if (n->has_coords) {
		csv_format_double(n->lat, lat, sizeof(lat));
		csv_format_double(n->lng, lng, sizeof(lng));
	}
	fields[6] = lat;
	fields[7] = lng;
	csv_put_row(out, fields, YL_ARRAY_LEN(fields));
	cache_put(cc, n->id, n->code);
	return 0;
}

static void progress(const struct csv_progress *pr, const char *what, size_t done, size_t total)
{
	if (pr && pr->fn)
		pr->fn(pr->ctx, what, done, total);
}

int csv_export_nodes(struct store *s, int64_t under, enum node_level level, const struct csv_progress *pr,
		     struct buf *out, size_t *rows, struct fault *f)
{
	struct code_cache cc;
	struct node root = { 0 };
	size_t written = 0;
	int lv, ret = -1;

	memset(&cc, 0, sizeof(cc));
	if (under && org_node_get(s, under, &root, f) < 0)
		return -1;
	csv_put_bom(out);
	csv_put_row(out, node_header, YL_ARRAY_LEN(node_header));
	if (under && (level == LEVEL_NONE || level == root.level)) {
		if (put_node(s, &cc, &root, out, f) < 0)
			goto done;
		written++;
	}
	for (lv = LEVEL_SUBDISTRICT; lv <= LEVEL_HOUSEHOLD; lv++) {
		struct node_filter flt;

		if (level != LEVEL_NONE && lv != (int)level)
			continue;
		if (under && lv <= (int)root.level)
			continue;
		memset(&flt, 0, sizeof(flt));
		flt.under_id = under;
		flt.level = (enum node_level)lv;
		flt.limit = PAGE;
		for (;;) {
			struct node_list list;
			size_t i, got;

			if (org_node_list(s, &flt, &list, f) < 0)
				goto done;
			for (i = 0; i < list.n; i++) {
				if (put_node(s, &cc, &list.items[i], out, f) < 0) {
					node_list_release(&list);
					goto done;
				}
			}
			written += list.n;
			got = list.n;
			node_list_release(&list);
			progress(pr, "nodes", written, 0);
			if (got < PAGE)
				break;
			flt.offset += PAGE;
		}
	}
	if (rows)
		*rows = written;
	ret = 0;
done:
	node_release(&root);
	cache_release(&cc);
	return ret;
}

static const char *const person_header[] = { "name",	    "phone",	       "gender",	  "birth_year",
					     "home_code",   "tags",	       "party_member",	  "member_org_code",
					     "member_org_name", "living_org_code", "registered_on" };

/* Party organisation id -> the code of its node. */
static const char *org_code(struct store *s, struct code_cache *orgs, struct code_cache *nodes, int64_t org_id,
			    struct fault *f)
{
	char key[24];
	struct party_org po;
	const char *code;
	int64_t slot;

	snprintf(key, sizeof(key), "%lld", (long long)org_id);
	if (strmap_get(&orgs->index, key, &slot))
		return orgs->codes[slot];
	if (org_party_get(s, org_id, &po, f) < 0)
		return NULL;
	code = cache_code(s, nodes, po.node_id, f);
	party_org_release(&po);
	if (!code)
		return NULL;
	cache_put(orgs, org_id, code);
	return orgs->codes[orgs->n - 1];
}

static int put_person(struct store *s, struct code_cache *nodes, struct code_cache *orgs, const struct person *p,
		      int unmasked, struct buf *out, struct fault *f)
{
	char *masked = unmasked ? NULL : pii_mask_phone(p->phone);
	const char *fields[YL_ARRAY_LEN(person_header)];
	struct buf tags = BUF_INIT;
	char year[16] = "";
	size_t i;

	buf_init(&tags);
	for (i = 0; i < p->ntags; i++)
		buf_addf(&tags, "%s%s", i ? ";" : "", p->tags[i]);
	if (p->birth_year)
		snprintf(year, sizeof(year), "%d", p->birth_year);
	memset(fields, 0, sizeof(fields));
	fields[0] = p->name;
	fields[1] = unmasked ? p->phone : masked;
	fields[2] = p->gender;
	fields[3] = year;
	if (p->home_node_id && !(fields[4] = cache_code(s, nodes, p->home_node_id, f)))
		goto fail;
	fields[5] = tags.data;
	fields[6] = p->party_member ? "true" : "false";
	if (p->member_org_id && !(fields[7] = org_code(s, orgs, nodes, p->member_org_id, f)))
		goto fail;
	fields[8] = p->member_org_name;
	if (p->living_org_id && !(fields[9] = org_code(s, orgs, nodes, p->living_org_id, f)))
		goto fail;
	fields[10] = p->registered_on;
	csv_put_row(out, fields, YL_ARRAY_LEN(fields));
	buf_release(&tags);
	free(masked);
	return 0;
fail:
	buf_release(&tags);
	free(masked);
	return -1;
}

int csv_export_persons(struct store *s, int64_t under, int unmasked, const struct csv_progress *pr, struct buf *out,
		       size_t *rows,
		       struct fault *f)
{
	struct code_cache nodes, orgs;
	struct person_filter flt;
	size_t written = 0;
	int ret = -1;

	memset(&nodes, 0, sizeof(nodes));
	memset(&orgs, 0, sizeof(orgs));
	memset(&flt, 0, sizeof(flt));
	if (under) {
		struct node n;

		if (org_node_get(s, under, &n, f) < 0)
			return -1;
		node_release(&n);
	}
	flt.under_id = under;
	flt.party_member = -1;
	flt.limit = PAGE;
	csv_put_bom(out);
	csv_put_row(out, person_header, YL_ARRAY_LEN(person_header));
	for (;;) {
		struct person_list list;
		size_t i, got;

		if (people_person_list(s, &flt, &list, f) < 0)
			goto done;
		for (i = 0; i < list.n; i++) {
			if (put_person(s, &nodes, &orgs, &list.items[i], unmasked, out, f) < 0) {
				person_list_release(&list);
				goto done;
			}
		}
		written += list.n;
		got = list.n;
		person_list_release(&list);
		progress(pr, "persons", written, 0);
		if (got < PAGE)
			break;
		flt.offset += PAGE;
	}
	if (rows)
		*rows = written;
	ret = 0;
done:
	cache_release(&nodes);
	cache_release(&orgs);
	return ret;
}
