/*
 * search.c - the search of the lists (q=...): every word of the query must
 * occur in the order's number, the hotline's number, the address or the text.
 * Personal data (the caller) is encrypted at rest and never searched.
 *
 * This file holds all of the program's search SQL.  On PostgreSQL there is no
 * FTS5: every word is ILIKE '%word%' (case-insensitive for Latin letters, as
 * SQLite's LIKE and trigram index are) over the same four columns, answered
 * by the pg_trgm GIN index of 007_search.sql (which takes words of every
 * length), as a filter on the list's own walk; numbers drive as on SQLite.
 *
 * SQLite: the FTS5 table wo_search (007_search.sql), trigram tokenizer, which
 * finds any substring of 3 or more characters: right for Chinese, written
 * without spaces.  Three things make a page of a search cost about its own rows
 * at ten million orders:
 *
 *  - The index's rowid is the order's key in the time sort, (received_at -
 *    2000-01-01) * 2^30 + id: the matches come out newest first, and a page
 *    stops when it is full.
 *  - The index also holds the order's place and handler as tokens (columns
 *    place and handler: a code of 3 private-use characters per subdistrict,
 *    community and courtyard), so "in my courtyard" is one more term of the
 *    query, intersected inside the index, instead of a check of every match
 *    of the whole deployment against the courtyard.
 *  - A word of n characters is searched as the AND of its first, middle and
 *    last trigrams, without positions, and confirmed by LIKE on the rows found:
 *    a phrase of n - 2 overlapping trigrams costs the index several times more
 *    for the same answer (measured: 3 trigrams instead of a 7-trigram phrase,
 *    a third of the time).
 *
 * A trigram index cannot see words of 1 or 2 characters ("漏水", "3号"): those
 * are LIKE '%word%' on the same four columns (Latin letters in any case, as the
 * index), a filter on what the rest of the query reaches; a search of short
 * words only reads the actor's view, newest first, until the page is full.
 *
 * Order numbers ("YL2025090100017", or a prefix of one: "yl20250901") and
 * hotline numbers ("JN12345-20221103-004512") are looked up on their own
 * B-tree indexes instead: their trigrams ("YL2", "202", "-20") are in nearly
 * every order.
 */
#include "workorder/query.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 8
#define MAX_WORD_CHARS 50
#define MAX_QUERY_CHARS 100
#define TRIGRAM 3
#define NUMBER_MIN 8		/* "YL" and 6 digits: a day's numbers at most */
#define CODE_BASE 6400		/* the private-use area U+E000..U+F8FF */
/* The index's rowid, as 007_search.sql writes it: (received_at - KEY_EPOCH) * KEY_ID_SPAN + id. */
#define KEY_EPOCH 946684800	/* 2000-01-01: no order is older (order.c) */
#define KEY_ID_SPAN 1073741824	/* 2^30: ids below it */
#define CODE_FIRST 0xe000

static const char SQL_FTS_SOURCE[] =
	" FROM wo_search CROSS JOIN work_orders w ON w.id = (wo_search.rowid & 1073741823)"
	" WHERE wo_search MATCH ?";
static const char SQL_FTS_AFTER[] = " AND wo_search.rowid < ?";
static const char SQL_FTS_ORDER[] = "wo_search.rowid DESC";
/* A number: its prefix range on the unique index of numbers, or on the hotline's (source, external_no). */
static const char SQL_NUMBER_SOURCE[] =
	" FROM (SELECT id FROM work_orders WHERE number >= ? AND number < ?"
	" UNION SELECT id FROM work_orders WHERE source = 'hotline' AND external_no >= ? AND external_no < ?) hit"
	" CROSS JOIN work_orders w WHERE w.id = hit.id";
static const char SQL_LIKE[] =
	" AND (w.number LIKE ? ESCAPE '\\' OR w.external_no LIKE ? ESCAPE '\\'"
	" OR w.address LIKE ? ESCAPE '\\' OR w.text LIKE ? ESCAPE '\\')";
/* PostgreSQL: one expression, the one its trigram index is built on (007_search.sql). */
static const char SQL_ILIKE[] =
	" AND (COALESCE(w.number, '') || ' ' || COALESCE(w.external_no, '') || ' ' || COALESCE(w.address, '')"
	" || ' ' || COALESCE(w.text, '')) ILIKE ? ESCAPE '\\'";
/* The words are in these columns; the place and handler tokens in the other two. */
static const char MATCH_WORDS[] = "{number external_no address text} : (";

void wo_search_release(struct wo_search *q)
{
	free(q->match);
	free(q->number);
	wo_sql_release(&q->rest);
	wo_sql_release(&q->all);
	memset(q, 0, sizeof(*q));
	wo_sql_init(&q->rest);
	wo_sql_init(&q->all);
}

/* Length of the white space at p (ASCII, or the ideographic space U+3000 of Chinese input), 0 if none. */
static size_t space_at(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	if ((unsigned char)p[0] == 0xe3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
		return 3;
	return 0;
}

/* Code points in n bytes of valid UTF-8. */
static size_t chars_in(const char *w, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)w[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* The byte offset of code point k of w. */
static size_t char_at(const char *w, size_t k)
{
	size_t i = 0;

	while (k) {
		i++;
		if (((unsigned char)w[i] & 0xc0) != 0x80)
			k--;
	}
	return i;
}

/* "%word%" with LIKE's own characters escaped. */
static void like_word(struct wo_sql *q, const char *w, size_t n, int pg)
{
	struct buf b = BUF_INIT;
	size_t i;
	int k;

	buf_init(&b);
	buf_addch(&b, '%');
	for (i = 0; i < n; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == '\\')
			buf_addch(&b, '\\');
		buf_addch(&b, w[i]);
	}
	buf_addch(&b, '%');
	if (pg) {
		wo_sql_add(q, SQL_ILIKE);
		wo_sql_text(q, b.data);
	} else {
		wo_sql_add(q, SQL_LIKE);
		for (k = 0; k < 4; k++)
			wo_sql_text(q, b.data);
	}
	buf_release(&b);
}

/* One token of the query, in double quotes, its own quotes doubled, so that nothing is read as syntax. */
static void match_token(struct buf *b, const char *w, size_t n)
{
	size_t i;

	if (b->len && b->data[b->len - 1] != '(')
		buf_adds(b, " AND ");
	buf_addch(b, '"');
	for (i = 0; i < n; i++) {
		if (w[i] == '"')
			buf_addch(b, '"');
		buf_addch(b, w[i]);
	}
	buf_addch(b, '"');
}

/*
 * The trigrams a word of chars >= 3 characters is looked up by: its first, its
 * last and one from the middle.  More would cost the index more (each is a list
 * to intersect) for little: the LIKE on the rows found confirms the word whole.
 */
static void match_cover(struct buf *b, const char *w, size_t chars)
{
	size_t at[3], n = 0, i, from, to;

	at[n++] = 0;
	if (chars >= 2 * TRIGRAM)
		at[n++] = (chars - TRIGRAM) / 2;
	if (chars > TRIGRAM)
		at[n++] = chars - TRIGRAM;
	for (i = 0; i < n; i++) {
		from = char_at(w, at[i]);
		to = char_at(w, at[i] + TRIGRAM);
		match_token(b, w + from, to - from);
	}
}

static int is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * A number's word: an order number or a prefix of one ("YL", a prefix's
 * letters, then digits: YLMS2026120800001, YL20261208100000; any case,
 * number.c), or a hotline number: 8 to 64 letters, digits and '-',
 * starting with a letter and holding a digit ("JN12345-20221103-004512").
 * A date ("2026-10-08") is not one: it is searched as words are.
 */
static int is_number(const char *w, size_t n)
{
	size_t i, digits = 0;

	if (n < NUMBER_MIN || n > 64 || !is_letter(w[0]))
		return 0;
	for (i = 0; i < n; i++) {
		if (w[i] >= '0' && w[i] <= '9')
			digits++;
		else if (!is_letter(w[i]) && w[i] != '-')
			return 0;
	}
	return digits > 0;
}

int wo_search_parse(const char *text, enum store_backend backend, struct wo_search *out, struct fault *f)
{
	const char *word[MAX_WORDS];
	size_t len[MAX_WORDS];
	struct buf match = BUF_INIT;
	const char *p;
	int n = 0, i, number = -1, pg = backend == STORE_POSTGRES;

	memset(out, 0, sizeof(*out));
	wo_sql_init(&out->rest);
	wo_sql_init(&out->all);
	if (!text || !utf8_valid_text(text, strlen(text)) || utf8_length(text) > MAX_QUERY_CHARS)
		return fault_set(f, FAULT_INVALID, "q", "q must be text of at most %d characters", MAX_QUERY_CHARS);
	for (p = text;;) {
		size_t sp, l = 0;

		while ((sp = space_at(p)) != 0)
			p += sp;
		if (!*p)
			break;
		while (p[l] && !space_at(p + l))
			l++;
		if (n == MAX_WORDS)
			return fault_set(f, FAULT_INVALID, "q", "q may hold at most %d words", MAX_WORDS);
		if (chars_in(p, l) > MAX_WORD_CHARS)
			return fault_set(f, FAULT_INVALID, "q", "a word of q is longer than %d characters", MAX_WORD_CHARS);
		if (number < 0 && is_number(p, l))
			number = n;
		word[n] = p;
		len[n++] = l;
		p += l;
	}
	if (!n)
		return fault_set(f, FAULT_INVALID, "q", "q must not be blank");
	for (i = 0; i < n; i++)
		like_word(&out->all, word[i], len[i], pg);
	if (number >= 0) {
		/* The number drives: every other word is a LIKE on its few orders. */
		out->mode = WO_SEARCH_NUMBER;
		out->number = xstrndup(word[number], len[number]);
		for (i = 0; i < n; i++)
			if (i != number)
				like_word(&out->rest, word[i], len[i], pg);
		return 0;
	}
	if (pg) {
		/* The trigram index answers the LIKEs themselves: they filter the list's walk. */
		out->mode = WO_SEARCH_LIKE;
		return 0;
	}
	/* Words of 3 characters or more drive, through their trigrams; every word is confirmed by LIKE. */
	buf_init(&match);
	buf_adds(&match, MATCH_WORDS);
	for (i = 0; i < n; i++) {
		size_t chars = chars_in(word[i], len[i]);

		if (chars >= TRIGRAM)
			match_cover(&match, word[i], chars);
		if (chars != TRIGRAM)	/* a single trigram is its own proof */
			like_word(&out->rest, word[i], len[i], 0);
	}
	if (match.data[match.len - 1] != '(') {
		buf_addch(&match, ')');
		out->mode = WO_SEARCH_FTS;
		out->match = buf_detach(&match, NULL);
	} else {
		out->mode = WO_SEARCH_LIKE;
	}
	buf_release(&match);
	return 0;
}

/* A node's token: its id in base 6400, three private-use characters, UTF-8. */
static void node_code(int64_t id, char out[10])
{
	int64_t digit[3] = { id / ((int64_t)CODE_BASE * CODE_BASE) % CODE_BASE, id / CODE_BASE % CODE_BASE,
			     id % CODE_BASE };
	int i;

	for (i = 0; i < 3; i++) {
		unsigned cp = CODE_FIRST + (unsigned)digit[i];

		out[i * 3] = (char)(0xe0 | (cp >> 12));
		out[i * 3 + 1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[i * 3 + 2] = (char)(0x80 | (cp & 0x3f));
	}
	out[9] = '\0';
}

void wo_search_within(struct wo_search *q, int64_t node, int place_only)
{
	char code[10];
	char *m;

	if (q->mode != WO_SEARCH_FTS)
		return;
	node_code(node, code);
	m = xasprintf("%s AND %s : \"%s\"", q->match, place_only ? "place" : "{place handler}", code);
	free(q->match);
	q->match = m;
}

/* [prefix, prefix + "~"): '~' sorts after every letter, digit and '-'. */
static void prefix_range(struct wo_sql *q, const char *prefix, int upper)
{
	char *lo = xstrdup(prefix), *hi;
	size_t i;

	if (upper)
		for (i = 0; lo[i]; i++)
			if (lo[i] >= 'a' && lo[i] <= 'z')
				lo[i] = (char)(lo[i] - 'a' + 'A');
	hi = xasprintf("%s~", lo);
	wo_sql_text(q, lo);
	wo_sql_text(q, hi);
	free(lo);
	free(hi);
}

int wo_search_drives(const struct wo_search *q)
{
	return q->mode == WO_SEARCH_NUMBER || q->mode == WO_SEARCH_FTS;
}

int wo_search_ordered(const struct wo_search *q)
{
	return q->mode == WO_SEARCH_FTS;
}

void wo_search_source(struct wo_sql *out, const struct wo_search *q, int has_after, int64_t after_received_at,
		      int64_t after_id)
{
	if (q->mode == WO_SEARCH_NUMBER) {
		wo_sql_add(out, SQL_NUMBER_SOURCE);
		/* Order numbers are written in capitals; hotline numbers as the hotline wrote them. */
		prefix_range(out, q->number, 1);
		prefix_range(out, q->number, 0);
	} else {
		wo_sql_add(out, SQL_FTS_SOURCE);
		wo_sql_text(out, q->match);
		if (has_after) {
			/* The index's rowid is the time sort's key: after (received_at, id) is below its key. */
			wo_sql_add(out, SQL_FTS_AFTER);
			wo_sql_int(out, (after_received_at - KEY_EPOCH) * KEY_ID_SPAN + after_id);
		}
	}
	wo_sql_cat(out, &q->rest);
}

const char *wo_search_order(void)
{
	return SQL_FTS_ORDER;
}

void wo_search_filter(struct wo_sql *out, const struct wo_search *q)
{
	wo_sql_cat(out, &q->all);
}
