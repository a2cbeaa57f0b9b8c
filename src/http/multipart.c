/*
 * multipart.c - multipart/form-data bodies, parsed in place (multipart.h).
 *
 * Every read is bounded by an explicit end pointer: the body is not assumed to
 * be NUL-terminated, and nothing is looked up past its length.  The search for
 * the next delimiter ("\r\n--BOUNDARY") is cut at the part limit plus the
 * delimiter's length, so a part over the limit is refused without scanning the
 * rest of the body.  The delimiter starts with CR LF and a boundary holds
 * neither, so the plain search below never backtracks more than the delimiter
 * once per candidate: linear in the body.
 */
#include "http/multipart.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(struct multipart *mp, enum multipart_error e, const char *part, const char *fmt, ...)
	YL_PRINTF(4, 5);

static int fail(struct multipart *mp, enum multipart_error e, const char *part, const char *fmt, ...)
{
	va_list ap;

	mp->error = e;
	snprintf(mp->part_name, sizeof(mp->part_name), "%s", part ? part : "");
	va_start(ap, fmt);
	vsnprintf(mp->message, sizeof(mp->message), fmt, ap);
	va_end(ap);
	return -1;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* s (n bytes) equals the lower-case ASCII word, ignoring case. */
static int word_eq(const char *s, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != word[i])
			return 0;
	return 1;
}

/* RFC 7230 tchar. */
static int is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 2046 bchars (the space only inside, never last). */
static int is_bchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("'()+_,-./:=? ", c) != NULL);
}

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_ows(const char *p, const char *end)
{
	while (p < end && is_ows(*p))
		p++;
	return p;
}

enum param_rc { PARAM_END = 0, PARAM_OK = 1, PARAM_BAD = -1, PARAM_LONG = -2 };

/* Stores c into val unless full; counts it either way. */
static void put_val(char *val, size_t vcap, size_t *n, char c)
{
	if (*n + 1 < vcap)
		val[*n] = c;
	(*n)++;
}

/*
 * The next "; name=value" of a header value, from *p to end.  The value (a
 * token, or a quoted string with its backslash escapes undone) goes to val,
 * NUL-terminated, at most vcap - 1 bytes; a longer one is PARAM_LONG, with *p
 * moved past it all the same, so a caller may skip it.  A trailing ';' is
 * tolerated.
 */
static int next_param(const char **p, const char *end, const char **name, size_t *nlen, char *val, size_t vcap,
		      size_t *vlen)
{
	const char *s = skip_ows(*p, end);
	size_t n = 0;

	*vlen = 0;
	if (s == end)
		return PARAM_END;
	if (*s != ';')
		return PARAM_BAD;
	s = skip_ows(s + 1, end);
	if (s == end) {
		*p = s;
		return PARAM_END;
	}
	*name = s;
	while (s < end && is_tchar((unsigned char)*s))
		s++;
	*nlen = (size_t)(s - *name);
	if (!*nlen || s == end || *s != '=')
		return PARAM_BAD;
	s++;
	if (s < end && *s == '"') {
		s++;
		for (;;) {
			char c;

			if (s == end)
				return PARAM_BAD;	/* no closing quote */
			c = *s++;
			if (c == '"')
				break;
			if (c == '\\') {
				if (s == end)
					return PARAM_BAD;
				c = *s++;
			}
			if (c == '\0' || c == '\r' || c == '\n')
				return PARAM_BAD;
			put_val(val, vcap, &n, c);
		}
	} else {
		while (s < end && is_tchar((unsigned char)*s))
			put_val(val, vcap, &n, *s++);
		if (!n)
			return PARAM_BAD;
	}
	val[n < vcap ? n : vcap - 1] = '\0';
	*vlen = n;
	*p = s;
	return n < vcap ? PARAM_OK : PARAM_LONG;
}

int multipart_boundary(const char *content_type, char *out, size_t outlen)
{
	const char *p, *end, *type, *name;
	char val[MULTIPART_BOUNDARY_MAX + 1];	/* 70 characters and the NUL: a longer one is PARAM_LONG */
	size_t nlen, vlen, i;
	int found = 0, rc;

	if (outlen)
		out[0] = '\0';
	if (!content_type || outlen < MULTIPART_BOUNDARY_MAX + 1)
		return -1;
	end = content_type + strlen(content_type);
	type = p = skip_ows(content_type, end);
	while (p < end && *p != ';' && !is_ows(*p))
		p++;
	if (!word_eq(type, (size_t)(p - type), "multipart/form-data"))
		return -1;
	while ((rc = next_param(&p, end, &name, &nlen, val, sizeof(val), &vlen)) != PARAM_END) {
		if (rc == PARAM_BAD) {
			snprintf(out, outlen, "the parameters of the Content-Type are malformed");
			return -2;
		}
		if (!word_eq(name, nlen, "boundary"))
			continue;	/* a long other parameter is skipped too */
		if (rc == PARAM_LONG || vlen > MULTIPART_BOUNDARY_MAX) {
			snprintf(out, outlen, "the boundary is longer than %d characters", MULTIPART_BOUNDARY_MAX);
			return -2;
		}
		if (found++) {
			snprintf(out, outlen, "the Content-Type gives the boundary twice");
			return -2;
		}
		for (i = 0; i < vlen; i++) {
			if (!is_bchar((unsigned char)val[i])) {
				snprintf(out, outlen, "the boundary holds a character a boundary may not");
				return -2;
			}
		}
		if (vlen == 0 || val[vlen - 1] == ' ') {
			snprintf(out, outlen, "the boundary is empty or ends with a space");
			return -2;
		}
		memcpy(out, val, vlen + 1);
	}
	if (!found) {
		snprintf(out, outlen, "the Content-Type has no boundary");
		return -2;
	}
	return 0;
}

static void part_release(struct multipart_part *pt)
{
	free(pt->name);
	free(pt->filename);
	free(pt->content_type);
	memset(pt, 0, sizeof(*pt));
}

void multipart_release(struct multipart *mp)
{
	size_t i;

	for (i = 0; i < mp->n; i++)
		part_release(&mp->parts[i]);
	free(mp->parts);
	memset(mp, 0, sizeof(*mp));
}

/* No byte a C string or a header line cannot hold. */
static int text_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

/* Content-Disposition: form-data; name="..."[; filename="..."] */
static int parse_disposition(struct multipart *mp, const char *v, const char *end, struct multipart_part *pt)
{
	const char *p = v, *name;
	char val[MULTIPART_NAME_MAX + 1];
	size_t nlen, vlen;
	int rc;

	while (p < end && *p != ';' && !is_ows(*p))
		p++;
	if (!word_eq(v, (size_t)(p - v), "form-data"))
		return fail(mp, MULTIPART_MALFORMED, NULL, "a part's Content-Disposition must be form-data");
	while ((rc = next_param(&p, end, &name, &nlen, val, sizeof(val), &vlen)) != PARAM_END) {
		char **slot;

		if (rc == PARAM_BAD)
			return fail(mp, MULTIPART_MALFORMED, pt->name, "a part's Content-Disposition is malformed");
		if (word_eq(name, nlen, "name"))
			slot = &pt->name;
		else if (word_eq(name, nlen, "filename"))
			slot = &pt->filename;
		else
			continue;	/* filename* and the like: not needed */
		if (rc == PARAM_LONG)
			return fail(mp, MULTIPART_MALFORMED, pt->name, "a part's %.*s is longer than %d bytes", (int)nlen,
				    name, MULTIPART_NAME_MAX);
		if (*slot)
			return fail(mp, MULTIPART_MALFORMED, pt->name, "a part's Content-Disposition gives %.*s twice",
				    (int)nlen, name);
		if (!text_ok(val, vlen))
			return fail(mp, MULTIPART_MALFORMED, pt->name, "a part's %.*s holds control characters", (int)nlen,
				    name);
		*slot = xstrndup(val, vlen);
	}
	if (!pt->name || !pt->name[0])
		return fail(mp, MULTIPART_MALFORMED, NULL, "a part's Content-Disposition has no name");
	return 0;
}

/* One header line [ls, le) without its CRLF. */
static int parse_header(struct multipart *mp, const char *ls, const char *le, struct multipart_part *pt,
			int *have_disposition)
{
	const char *colon, *v, *ve;

	if (memchr(ls, '\r', (size_t)(le - ls)) || memchr(ls, '\n', (size_t)(le - ls)))
		return fail(mp, MULTIPART_MALFORMED, pt->name, "a part's header lines must end with CRLF");
	if (ls < le && is_ows(*ls))
		return fail(mp, MULTIPART_MALFORMED, pt->name, "a part's header line is folded");
	colon = memchr(ls, ':', (size_t)(le - ls));
	if (!colon || colon == ls)
		return fail(mp, MULTIPART_MALFORMED, pt->name, "a part's header line has no name and ':'");
	for (v = ls; v < colon; v++)
		if (!is_tchar((unsigned char)*v))
			return fail(mp, MULTIPART_MALFORMED, pt->name, "a part's header name is malformed");
	v = skip_ows(colon + 1, le);
	ve = le;
	while (ve > v && is_ows(ve[-1]))
		ve--;
	if (!text_ok(v, (size_t)(ve - v)))
		return fail(mp, MULTIPART_MALFORMED, pt->name, "a part's header holds control characters");
	if (word_eq(ls, (size_t)(colon - ls), "content-disposition")) {
		if ((*have_disposition)++)
			return fail(mp, MULTIPART_MALFORMED, pt->name, "a part has two Content-Disposition headers");
		return parse_disposition(mp, v, ve, pt);
	}
	if (word_eq(ls, (size_t)(colon - ls), "content-type")) {
		if (pt->content_type)
			return fail(mp, MULTIPART_MALFORMED, pt->name, "a part has two Content-Type headers");
		if ((size_t)(ve - v) > MULTIPART_TYPE_MAX)
			return fail(mp, MULTIPART_MALFORMED, pt->name, "a part's Content-Type is longer than %d bytes",
				    MULTIPART_TYPE_MAX);
		pt->content_type = xstrndup(v, (size_t)(ve - v));
	}
	return 0;
}

/* The header block starting at *pos (just after a delimiter line's CRLF); *pos moves past its empty line. */
static int parse_head(struct multipart *mp, const char *body, size_t len, size_t *pos, const struct multipart_limits *lim,
		      struct multipart_part *pt)
{
	const char *start = body + *pos, *end, *ls, *le;
	size_t avail = len - *pos, window = avail < lim->max_head_bytes ? avail : lim->max_head_bytes;
	int have_disposition = 0;

	if (avail >= 2 && start[0] == '\r' && start[1] == '\n') {
		end = start;		/* no header lines at all */
	} else {
		end = bytes_find(start, window, "\r\n\r\n", 4);
		if (!end) {
			if (avail > lim->max_head_bytes)
				return fail(mp, MULTIPART_HEAD_TOO_LARGE, NULL,
					    "a part's headers are longer than %zu bytes", lim->max_head_bytes);
			return fail(mp, MULTIPART_MALFORMED, NULL, "a part's headers must end with an empty line (CRLF CRLF)");
		}
		for (ls = start; ls <= end; ls = le + 2) {
			le = ls == end ? end : bytes_find(ls, (size_t)(end - ls), "\r\n", 2);
			if (!le)
				le = end;
			if (parse_header(mp, ls, le, pt, &have_disposition) < 0)
				return -1;
			if (le == end)
				break;
		}
		end += 2;		/* the last header line's CRLF */
	}
	*pos = (size_t)(end - body) + 2;
	if (!have_disposition)
		return fail(mp, MULTIPART_MALFORMED, NULL, "a part has no Content-Disposition: form-data; name=\"...\"");
	return 0;
}

int multipart_parse(struct multipart *mp, const char *body, size_t len, const char *boundary,
		    const struct multipart_limits *lim)
{
	char delim[4 + MULTIPART_BOUNDARY_MAX + 1];
	size_t blen = boundary ? strlen(boundary) : 0, dlen, pos, cap = 0;
	const char *hit;

	memset(mp, 0, sizeof(*mp));
	if (blen == 0 || blen > MULTIPART_BOUNDARY_MAX)
		return fail(mp, MULTIPART_MALFORMED, NULL, "the boundary must be 1 to %d characters",
			    MULTIPART_BOUNDARY_MAX);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	dlen = 4 + blen;
	/* The first delimiter: at the very start, or after a preamble and CRLF. */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
		pos = dlen - 2;
	} else {
		hit = bytes_find(body, len, delim, dlen);
		if (!hit)
			return fail(mp, MULTIPART_MALFORMED, NULL,
				    "the body does not contain the boundary the Content-Type gives");
		pos = (size_t)(hit - body) + dlen;
	}
	for (;;) {
		struct multipart_part pt;
		size_t avail, window;

		/* Just after "--BOUNDARY": the close delimiter, or padding and CRLF before a part. */
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			return 0;
		while (pos < len && is_ows(body[pos]))
			pos++;
		if (pos >= len)
			goto truncated;
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
			goto bad_line;
		pos += 2;
		if (mp->n == lim->max_parts)
			goto too_many;
		memset(&pt, 0, sizeof(pt));
		if (parse_head(mp, body, len, &pos, lim, &pt) < 0) {
			part_release(&pt);
			goto failed;
		}
		avail = len - pos;
		window = lim->max_part_bytes >= avail || avail - lim->max_part_bytes <= dlen ? avail
									 : lim->max_part_bytes + dlen;
		hit = bytes_find(body + pos, window, delim, dlen);
		if (!hit || (size_t)(hit - (body + pos)) > lim->max_part_bytes) {
			if (hit || window < avail)
				fail(mp, MULTIPART_PART_TOO_LARGE, pt.name, "the part %s is larger than %zu bytes", pt.name,
				     lim->max_part_bytes);
			else
				fail(mp, MULTIPART_MALFORMED, pt.name,
				     "the part %s is not closed: the body ends before the next boundary", pt.name);
			part_release(&pt);
			goto failed;
		}
		pt.data = body + pos;
		pt.len = (size_t)(hit - (body + pos));
		YL_GROW(mp->parts, mp->n, cap);
		mp->parts[mp->n++] = pt;
		pos = (size_t)(hit - body) + dlen;
	}
truncated:
	fail(mp, MULTIPART_MALFORMED, NULL, "the body ends before the closing boundary (--%s--)", boundary);
	goto failed;
bad_line:
	fail(mp, MULTIPART_MALFORMED, NULL,
	     "a boundary line must end with CRLF, or with -- for the last one (or the boundary occurs inside a part)");
	goto failed;
too_many:
	fail(mp, MULTIPART_TOO_MANY_PARTS, NULL, "the body has more than %zu parts", lim->max_parts);
failed:
	{
		struct multipart keep = *mp;	/* the error survives the release */

		keep.parts = NULL;
		keep.n = 0;
		multipart_release(mp);
		*mp = keep;
	}
	return -1;
}
