/*
 * address_match.c - a free-text address (诉求地址) onto the organisation tree.
 *
 * The 12345 hotline writes addresses as people say them:
 * "明水街道龙泉社区君临天下小区3号楼2单元201室", "君临天下3栋二单元201",
 * "龙泉社区君临天下小区 3-2-201".  Both the address and every node name are
 * normalised the same way first (white space dropped, full-width letters and
 * digits made ASCII, '#' read as 号), then matched level by level, each level
 * among the children of the node found above it:
 *
 *   subdistrict and community   the full name in the address; the community
 *                               column (所属社区), when given, wins;
 *   courtyard                   the full name, or the name without its generic
 *                               suffix (君临天下小区 -> 君临天下) unless a road
 *                               name follows it (龙泉 in 龙泉路 is a road);
 *   building, unit, household   the name, or the number: a building named 3号楼
 *                               matches 3号楼, 3栋, 3幢 and 3座, a unit 2单元
 *                               matches 二单元, a household 201室 matches 201户
 *                               and the last part of 3-2-201.
 *
 * Numbers keep their digits apart: 3号楼 is not found inside 13号楼, 201室 not
 * inside 1201室.  When two nodes of a level match equally well the search stops
 * at the level above: a guess would send the order to the wrong courtyard,
 * while stopping leaves it with a person who can tell.
 */
#include "org/address.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define NO_PLACE ((size_t)-1)
#define MAX_DESIGNATORS 16
#define LOAD_LIMIT 1000000		/* children of one node, levels of the top: no deployment has more */

/* A number in a name or an address: 3号楼 is building 3. */
enum des_kind { DES_NONE = 0, DES_BUILDING, DES_UNIT, DES_HOUSEHOLD };

struct addr_place {
	int64_t id;
	int64_t parent_id;
	enum node_level level;
	char *key;			/* the name, normalised */
	char *stem;			/* key without its generic suffix when 2+ characters remain, else NULL */
	enum des_kind des;		/* the name is a number of this kind (buildings and below) */
	int64_t des_num;
	size_t *kids;			/* indexes of the children added so far */
	size_t nkids, capkids;
	int loaded;			/* the children are all in the index */
};

struct designator {
	enum des_kind kind;
	int64_t num;
	size_t pos, end;		/* bytes of the normalised address */
};

/* ---- text ---- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Bytes of the UTF-8 sequence that starts with c (1 for a stray continuation byte: never stuck). */
static size_t seq_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/*
 * White space out (ASCII, U+00A0, U+3000), full-width ASCII (U+FF01..U+FF5E) in,
 * letters lower-case, dashes (U+2010..U+2015, U+FF0D) as '-', '#' as 号.
 */
static char *normalise(const char *in)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)in;

	buf_init(&b);
	while (*p) {
		size_t n = seq_len(*p), k;

		for (k = 1; k < n; k++)
			if (!p[k])
				break;
		if (k < n) {
			break;			/* truncated sequence at the end: drop it */
		} else if (n == 1) {
			if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
				;
			else if (*p == '#')
				buf_adds(&b, "号");
			else if (*p >= 'A' && *p <= 'Z')
				buf_addch(&b, (char)(*p - 'A' + 'a'));
			else
				buf_addch(&b, (char)*p);
		} else if (n == 2 && p[0] == 0xc2 && p[1] == 0xa0) {
			;
		} else if (n == 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
			;
		} else if (n == 3 && p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95) {
			buf_addch(&b, '-');
		} else if (n == 3 && p[0] == 0xef && (p[1] == 0xbc || p[1] == 0xbd)) {
			/* U+FF01..U+FF5E: EF BC 81..BF, EF BD 80..9E */
			unsigned cp = 0xff00u + ((unsigned)(p[1] - 0xbc) << 6) + (unsigned)(p[2] & 0x3f);

			if (cp >= 0xff01 && cp <= 0xff5e) {
				char c = (char)(cp - 0xfee0);

				if (c >= 'A' && c <= 'Z')
					c = (char)(c - 'A' + 'a');
				if (c == '#')
					buf_adds(&b, "号");
				else
					buf_addch(&b, c);
			} else {
				buf_add(&b, p, n);
			}
		} else {
			buf_add(&b, p, n);
		}
		p += n;
	}
	return buf_detach(&b, NULL);
}

static int starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* Generic suffixes of place names: what people leave out when they say the name. */
static const char *const generic_suffixes[] = { "办事处", "小区", "院落", "社区", "街道" };

static char *stem_of(const char *key)
{
	size_t n = strlen(key), i, k;

	for (i = 0; i < YL_ARRAY_LEN(generic_suffixes); i++) {
		k = strlen(generic_suffixes[i]);
		if (n > k && memcmp(key + n - k, generic_suffixes[i], k) == 0) {
			char *stem = xstrndup(key, n - k);

			if (utf8_length(stem) >= 2)
				return stem;
			free(stem);
			return NULL;
		}
	}
	return NULL;
}

/* Words that make what comes before them a road, not a place: 龙泉路, 东关大街. */
static int road_follows(const char *s, size_t n)
{
	static const char *const roads[] = { "路", "街", "大道", "道", "巷", "胡同" };
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(roads); i++)
		if (starts_with(s, n, roads[i]))
			return 1;
	return 0;
}

/*
 * The first occurrence of key in a[from..n) that keeps numbers whole (a key
 * starting or ending with a digit does not touch another digit) and, for a
 * stem, is not followed by a road word.  Returns its position or NO_PLACE.
 */
static size_t find_key(const char *a, size_t n, size_t from, const char *key, int is_stem)
{
	size_t k = strlen(key), pos = from;

	if (!k || k > n)
		return NO_PLACE;
	while (pos + k <= n) {
		const char *hit = bytes_find(a + pos, n - pos, key, k);
		size_t at;

		if (!hit)
			return NO_PLACE;
		at = (size_t)(hit - a);
		if (!(is_digit(key[0]) && at > 0 && is_digit(a[at - 1])) &&
		    !(is_digit(key[k - 1]) && at + k < n && is_digit(a[at + k])) &&
		    !(is_stem && road_follows(a + at + k, n - at - k)))
			return at;
		pos = at + 1;
	}
	return NO_PLACE;
}

/* ---- numbers ---- */

static const char *const cn_digits[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };

/* 0..9 for a Chinese numeral digit at s (两 is 2), 10 for 十, -1 otherwise. */
static int cn_value(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(cn_digits); i++)
		if (starts_with(s, n, cn_digits[i]))
			return (int)i;
	if (starts_with(s, n, "两"))
		return 2;
	if (starts_with(s, n, "十"))
		return 10;
	return -1;
}

/*
 * A number at s: ASCII digits (at most 9) or Chinese numerals up to 99 (三, 十二,
 * 二十三) or read digit by digit (二零一).  Returns the bytes read, 0 when none.
 */
static size_t read_number(const char *s, size_t n, int64_t *val)
{
	size_t i = 0;

	if (n && is_digit(s[0])) {
		int64_t v = 0;

		while (i < n && is_digit(s[i])) {
			if (i == 9)
				return 0;	/* no door number is that long */
			v = v * 10 + (s[i] - '0');
			i++;
		}
		*val = v;
		return i;
	} else {
		int vals[4], nv = 0, d, ten = -1;

		while (nv < 4 && i + 3 <= n && (d = cn_value(s + i, n - i)) >= 0) {
			if (d == 10) {
				if (ten >= 0)
					return 0;
				ten = nv;
			}
			vals[nv++] = d;
			i += 3;
		}
		if (!nv)
			return 0;
		if (ten < 0) {
			int64_t v = 0;
			int k;

			for (k = 0; k < nv; k++)
				v = v * 10 + vals[k];
			*val = v;
		} else {
			/* [d]十[d]: 十 10, 二十 20, 十二 12, 二十三 23 */
			int before = ten == 0 ? 1 : vals[0], after = ten + 1 < nv ? vals[ten + 1] : 0;

			if (ten > 1 || nv - ten > 2 || before == 10 || after == 10)
				return 0;
			*val = before * 10 + after;
		}
		return i;
	}
}

/* The byte before pos ends a digit or a Chinese numeral: a number there would be cut from a longer one. */
static int number_before(const char *a, size_t pos)
{
	if (pos >= 1 && is_digit(a[pos - 1]))
		return 1;
	return pos >= 3 && cn_value(a + pos - 3, 3) >= 0;
}

/* A node's name as a number of its level's kind: 3号楼, 3栋, 2单元, 201室, 201. */
static void name_designator(struct addr_place *p)
{
	static const char *const building[] = { "号楼", "栋", "幢", "座", "号", "楼", "" };
	static const char *const unit[] = { "单元", "" };
	static const char *const household[] = { "室", "户", "号", "" };
	const char *const *suffixes;
	size_t n = strlen(p->key), used, i, ns;
	int64_t v;

	if (p->level == LEVEL_BUILDING) {
		p->des = DES_BUILDING;
		suffixes = building;
		ns = YL_ARRAY_LEN(building);
	} else if (p->level == LEVEL_UNIT) {
		p->des = DES_UNIT;
		suffixes = unit;
		ns = YL_ARRAY_LEN(unit);
	} else if (p->level == LEVEL_HOUSEHOLD) {
		p->des = DES_HOUSEHOLD;
		suffixes = household;
		ns = YL_ARRAY_LEN(household);
	} else {
		return;
	}
	used = read_number(p->key, n, &v);
	if (used) {
		for (i = 0; i < ns; i++) {
			if (strcmp(p->key + used, suffixes[i]) == 0) {
				p->des_num = v;
				return;
			}
		}
	}
	p->des = DES_NONE;
}

static void add_designator(struct designator *d, size_t *nd, enum des_kind kind, int64_t num, size_t pos, size_t end)
{
	if (*nd < MAX_DESIGNATORS) {
		d[*nd].kind = kind;
		d[*nd].num = num;
		d[*nd].pos = pos;
		d[*nd].end = end;
		(*nd)++;
	}
}

/* Reads "a-b[-c]" digits at a[i..n): each value and where it starts and ends; the bytes used, 0 when not that shape. */
static size_t read_dashed(const char *a, size_t n, size_t i, int64_t *v, size_t *from, size_t *to, size_t maxv,
			  size_t *nv)
{
	size_t start = i, used;

	*nv = 0;
	while (*nv < maxv) {
		if (!is_digit(a[i]) || !(used = read_number(a + i, n - i, &v[*nv])))
			break;
		from[*nv] = i;
		to[*nv] = i + used;
		i += used;
		(*nv)++;
		if (*nv < maxv && i + 1 < n && a[i] == '-' && is_digit(a[i + 1]))
			i++;
		else
			break;
	}
	return *nv >= 2 ? i - start : 0;
}

/* The numbers of buildings, units and households in a normalised address, from the position from. */
static size_t address_designators(const char *a, size_t start, struct designator *d)
{
	size_t n = strlen(a), i = start, nd = 0;

	while (i < n) {
		enum des_kind prev = nd ? d[nd - 1].kind : DES_NONE;
		int adjacent = nd && d[nd - 1].end == i;
		size_t used, s, k, nparts, from[3], to[3];
		int64_t v, parts[3];

		if ((unsigned char)a[i] >= 0x80 && (unsigned char)a[i] < 0xc0) {
			i++;
			continue;
		}
		if (number_before(a, i) || !(used = read_number(a + i, n - i, &v))) {
			i += seq_len((unsigned char)a[i]);
			continue;
		}
		s = i + used;
		if (is_digit(a[i]) && (k = read_dashed(a, n, i, parts, from, to, 3, &nparts)) > 0 &&
		    !(i + k < n && a[i + k] == '-')) {
			/* 3-2-201: building, unit, household; 2-201 after a building: unit, household. */
			if (nparts == 3) {
				add_designator(d, &nd, DES_BUILDING, parts[0], from[0], to[0]);
				add_designator(d, &nd, DES_UNIT, parts[1], from[1], to[1]);
				add_designator(d, &nd, DES_HOUSEHOLD, parts[2], from[2], to[2]);
			} else if (prev == DES_BUILDING) {
				add_designator(d, &nd, DES_UNIT, parts[0], from[0], to[0]);
				add_designator(d, &nd, DES_HOUSEHOLD, parts[1], from[1], to[1]);
			}
			i += k;
			continue;
		}
		if (starts_with(a + s, n - s, "号楼")) {
			add_designator(d, &nd, DES_BUILDING, v, i, s + strlen("号楼"));
		} else if (starts_with(a + s, n - s, "栋") || starts_with(a + s, n - s, "幢") ||
			   starts_with(a + s, n - s, "座")) {
			add_designator(d, &nd, DES_BUILDING, v, i, s + 3);
		} else if (starts_with(a + s, n - s, "单元")) {
			add_designator(d, &nd, DES_UNIT, v, i, s + strlen("单元"));
		} else if (starts_with(a + s, n - s, "室") || starts_with(a + s, n - s, "户")) {
			add_designator(d, &nd, DES_HOUSEHOLD, v, i, s + 3);
		} else if (starts_with(a + s, n - s, "号") && (prev == DES_BUILDING || prev == DES_UNIT)) {
			add_designator(d, &nd, DES_HOUSEHOLD, v, i, s + 3);	/* 2单元201号 */
		} else if (adjacent && is_digit(a[i]) && (prev == DES_BUILDING || prev == DES_UNIT) &&
			   !starts_with(a + s, n - s, "层") && !starts_with(a + s, n - s, "楼")) {
			add_designator(d, &nd, DES_HOUSEHOLD, v, i, s);	/* 2单元201 */
		}
		i = s;
	}
	return nd;
}

/* ---- the index ---- */

static uint64_t mix(int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;

	return h ^ (h >> 31);
}

static size_t place_of(const struct addr_index *x, int64_t id)
{
	size_t i;

	if (!x->nslots)
		return NO_PLACE;
	for (i = (size_t)mix(id) & (x->nslots - 1); x->slots[i]; i = (i + 1) & (x->nslots - 1))
		if (x->places[x->slots[i] - 1].id == id)
			return (size_t)(x->slots[i] - 1);
	return NO_PLACE;
}

static void slot_put(struct addr_index *x, size_t idx)
{
	size_t i;

	for (i = (size_t)mix(x->places[idx].id) & (x->nslots - 1); x->slots[i]; i = (i + 1) & (x->nslots - 1))
		;
	x->slots[i] = (int64_t)idx + 1;
}

static void slots_grow(struct addr_index *x)
{
	size_t i;

	free(x->slots);
	x->nslots = x->nslots ? x->nslots * 2 : 256;
	x->slots = xcalloc(x->nslots, sizeof(*x->slots));
	for (i = 0; i < x->n; i++)
		slot_put(x, i);
}

void addr_index_init(struct addr_index *x, struct store *s)
{
	memset(x, 0, sizeof(*x));
	x->s = s;
}

void addr_index_release(struct addr_index *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		free(x->places[i].key);
		free(x->places[i].stem);
		free(x->places[i].kids);
	}
	free(x->places);
	free(x->slots);
	for (i = 0; i < 3; i++)
		free(x->top[i]);
	memset(x, 0, sizeof(*x));
}

void addr_index_add(struct addr_index *x, int64_t id, int64_t parent_id, enum node_level level, const char *name)
{
	struct addr_place *p;
	size_t idx, parent;

	if (place_of(x, id) != NO_PLACE)
		return;
	YL_GROW(x->places, x->n, x->cap);
	idx = x->n++;
	p = &x->places[idx];
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->parent_id = parent_id;
	p->level = level;
	p->key = normalise(name ? name : "");
	p->stem = level >= LEVEL_COMMUNITY && level <= LEVEL_COURTYARD ? stem_of(p->key) : NULL;
	p->loaded = x->s == NULL;
	name_designator(p);
	if ((x->n + 1) * 2 > x->nslots)
		slots_grow(x);
	else
		slot_put(x, idx);
	if (level >= LEVEL_SUBDISTRICT && level <= LEVEL_COURTYARD) {
		size_t t = (size_t)level - 1;

		if (x->ntop[t] == x->captop[t]) {
			x->captop[t] = x->captop[t] ? x->captop[t] * 2 : 64;
			x->top[t] = xrealloc(x->top[t], x->captop[t] * sizeof(*x->top[t]));
		}
		x->top[t][x->ntop[t]++] = idx;
	}
	parent = parent_id ? place_of(x, parent_id) : NO_PLACE;
	if (parent != NO_PLACE) {
		struct addr_place *pp = &x->places[parent];

		YL_GROW(pp->kids, pp->nkids, pp->capkids);
		pp->kids[pp->nkids++] = idx;
	}
}

static int load_nodes(struct addr_index *x, const struct node_filter *flt, struct fault *f)
{
	struct node_list l;
	size_t i;

	if (org_node_list(x->s, flt, &l, f) < 0)
		return -1;
	for (i = 0; i < l.n; i++)
		addr_index_add(x, l.items[i].id, l.items[i].parent_id, l.items[i].level, l.items[i].name);
	node_list_release(&l);
	return 0;
}

int addr_index_load(struct addr_index *x, struct fault *f)
{
	static const enum node_level levels[] = { LEVEL_SUBDISTRICT, LEVEL_COMMUNITY, LEVEL_COURTYARD };
	struct node_filter flt;
	size_t i;

	if (!x->s)
		return 0;
	for (i = 0; i < YL_ARRAY_LEN(levels); i++) {
		memset(&flt, 0, sizeof(flt));
		flt.level = levels[i];
		flt.limit = LOAD_LIMIT;
		if (load_nodes(x, &flt, f) < 0)
			return -1;
	}
	return 0;
}

/* The children of place idx, loaded from the store on first use.  The places array may move. */
static int load_kids(struct addr_index *x, size_t idx, struct fault *f)
{
	struct node_filter flt;

	if (x->places[idx].loaded)
		return 0;
	memset(&flt, 0, sizeof(flt));
	flt.parent_id = x->places[idx].id;
	flt.limit = LOAD_LIMIT;
	if (load_nodes(x, &flt, f) < 0)
		return -1;
	x->places[idx].loaded = 1;
	return 0;
}

/* 1 when place idx is ancestor or below it (ancestor 0: everything). */
static int is_under(const struct addr_index *x, size_t idx, int64_t ancestor)
{
	int depth = 0;

	if (!ancestor)
		return 1;
	while (idx != NO_PLACE && depth++ < 8) {
		if (x->places[idx].id == ancestor)
			return 1;
		idx = x->places[idx].parent_id ? place_of(x, x->places[idx].parent_id) : NO_PLACE;
	}
	return 0;
}

/* ---- matching ---- */

struct pick {
	size_t idx;			/* NO_PLACE: none, or a tie */
	size_t score;			/* bytes of the address it matched */
	size_t end;			/* where its match ends */
	int tie;
};

static void pick_init(struct pick *k)
{
	k->idx = NO_PLACE;
	k->score = 0;
	k->end = 0;
	k->tie = 0;
}

static void pick_offer(struct pick *k, size_t idx, size_t score, size_t end)
{
	if (!score || score < k->score)
		return;
	if (score == k->score && k->idx != idx) {
		k->tie = 1;
		return;
	}
	if (score > k->score)
		k->tie = 0;
	k->idx = idx;
	k->score = score;
	k->end = end;
}

/* The winner, or NO_PLACE when none or a tie. */
static size_t pick_result(const struct pick *k)
{
	return k->tie ? NO_PLACE : k->idx;
}

/* How well place p's name is in the address: the bytes matched, its end in *end; 0 when not. */
static size_t name_score(const struct addr_place *p, const char *a, size_t n, size_t from, int stems, size_t *end)
{
	size_t at = find_key(a, n, from, p->key, 0);

	if (at != NO_PLACE) {
		*end = at + strlen(p->key);
		return strlen(p->key);
	}
	if (stems && p->stem && (at = find_key(a, n, from, p->stem, 1)) != NO_PLACE) {
		*end = at + strlen(p->stem);
		return strlen(p->stem);
	}
	return 0;
}

/* The place of a top level (subdistrict, community, courtyard) under within whose name the address holds best. */
static size_t best_top(const struct addr_index *x, enum node_level level, int64_t within, const char *a, int stems,
		       size_t *end)
{
	size_t t = (size_t)level - 1, i, n = strlen(a), e = 0;
	struct pick k;

	pick_init(&k);
	for (i = 0; i < x->ntop[t]; i++) {
		size_t idx = x->top[t][i], score;

		if (!is_under(x, idx, within))
			continue;
		score = name_score(&x->places[idx], a, n, 0, stems, &e);
		pick_offer(&k, idx, score, e);
	}
	*end = k.end;
	return pick_result(&k);
}

/* The community the community column names: its full name or the same name without 社区. */
static size_t community_by_column(const struct addr_index *x, const char *hint, int64_t within, const char *a)
{
	char *hint_stem = stem_of(hint);
	size_t i, found = NO_PLACE, named = NO_PLACE, n = strlen(a), e;
	int count = 0, nnamed = 0;

	for (i = 0; i < x->ntop[1]; i++) {
		size_t idx = x->top[1][i];
		const struct addr_place *p = &x->places[idx];

		if (!is_under(x, idx, within))
			continue;
		if (strcmp(p->key, hint) != 0 && !(p->stem && strcmp(p->stem, hint) == 0) &&
		    !(hint_stem && (strcmp(p->key, hint_stem) == 0 || (p->stem && strcmp(p->stem, hint_stem) == 0))))
			continue;
		found = idx;
		count++;
		if (name_score(p, a, n, 0, 0, &e)) {
			named = idx;
			nnamed++;
		}
	}
	free(hint_stem);
	if (count == 1)
		return found;
	/* Two communities of one name (in two subdistricts): the one the address names too. */
	return nnamed == 1 ? named : NO_PLACE;
}

/* Below the courtyard: the child of cur that the address names best after from. */
static size_t best_child(const struct addr_index *x, size_t cur, const char *a, size_t from,
			 const struct designator *d, size_t nd, size_t *end)
{
	const struct addr_place *parent = &x->places[cur];
	size_t i, j, n = strlen(a);
	struct pick k;

	pick_init(&k);
	for (i = 0; i < parent->nkids; i++) {
		size_t idx = parent->kids[i], e = 0, score;
		const struct addr_place *p = &x->places[idx];

		score = name_score(p, a, n, from, 0, &e);
		if (p->des != DES_NONE) {
			for (j = 0; j < nd; j++) {
				if (d[j].kind == p->des && d[j].num == p->des_num && d[j].pos >= from &&
				    d[j].end - d[j].pos > score) {
					score = d[j].end - d[j].pos;
					e = d[j].end;
				}
			}
		}
		pick_offer(&k, idx, score, e);
	}
	*end = k.end;
	return pick_result(&k);
}

static void set_result(const struct addr_index *x, size_t idx, struct addr_result *out)
{
	out->node_id = x->places[idx].id;
	out->level = x->places[idx].level;
}

int addr_match(struct addr_index *x, const char *address, const char *community, struct addr_result *out,
	       struct fault *f)
{
	char *a = normalise(address ? address : ""), *hint = NULL;
	size_t sub, comm = NO_PLACE, yard, cur, end = 0, nd, next;
	struct designator d[MAX_DESIGNATORS];
	int64_t within;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->level = LEVEL_NONE;
	if (community && !text_blank(community))
		hint = normalise(community);
	sub = best_top(x, LEVEL_SUBDISTRICT, 0, a, 0, &end);
	within = sub != NO_PLACE ? x->places[sub].id : 0;
	if (sub != NO_PLACE)
		set_result(x, sub, out);
	if (hint && (comm = community_by_column(x, hint, within, a)) != NO_PLACE)
		out->community_from_column = 1;
	if (comm == NO_PLACE)
		comm = best_top(x, LEVEL_COMMUNITY, within, a, 0, &end);
	if (comm != NO_PLACE) {
		set_result(x, comm, out);
		out->community_id = x->places[comm].id;
		within = out->community_id;
	}
	yard = best_top(x, LEVEL_COURTYARD, within, a, 1, &end);
	if (yard == NO_PLACE)
		goto done;
	set_result(x, yard, out);
	out->courtyard_id = x->places[yard].id;
	if (!out->community_id && x->places[yard].parent_id) {
		size_t p = place_of(x, x->places[yard].parent_id);

		if (p != NO_PLACE && x->places[p].level == LEVEL_COMMUNITY)
			out->community_id = x->places[p].id;
	}
	nd = address_designators(a, end, d);
	for (cur = yard;;) {
		if (load_kids(x, cur, f) < 0) {
			rc = -1;
			break;
		}
		next = best_child(x, cur, a, end, d, nd, &end);
		if (next == NO_PLACE)
			break;
		set_result(x, next, out);
		cur = next;
	}
done:
	free(a);
	free(hint);
	return rc;
}
