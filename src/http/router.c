/*
 * router.c - matches a method and a decoded path against a route table.
 *
 * Patterns are literal segments and {name} segments, which may end in a literal
 * ("{service_code}.json": the parameter is what comes before it); the first route whose
 * segments all match wins.  A path that matches some route's pattern but not
 * its method is told apart, so the server can answer 405 instead of 404.
 */
#include "http/http.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int http_url_decode(char *s, int plus_is_space)
{
	char *r = s, *w = s;

	while (*r) {
		if (*r == '%') {
			int hi = hexval((unsigned char)r[1]), lo;
			if (hi < 0)
				return -1;
			lo = hexval((unsigned char)r[2]);
			if (lo < 0 || (hi == 0 && lo == 0))
				return -1;
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else if (*r == '+' && plus_is_space) {
			*w++ = ' ';
			r++;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return 0;
}

void http_request_clear_params(struct http_request *req)
{
	int i;

	for (i = 0; i < req->nparams; i++)
		free(req->params[i].value);
	req->nparams = 0;
}

/* Matches one pattern; on success fills req's params. */
static int match_one(const char *pattern, const char *path, struct http_request *req)
{
	const char *p = pattern, *s = path;

	http_request_clear_params(req);
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			goto fail;
		p++;
		s++;
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = strchr(s, '/'), *suffix;
			size_t nlen, slen;
			struct http_param *prm;

			if (!pe)
				goto fail;
			if (!se)
				se = s + strlen(s);
			if (se == s || req->nparams >= HTTP_MAX_PARAMS)
				goto fail;
			nlen = (size_t)(pe - p - 1);
			if (nlen >= sizeof(req->params[0].name))
				goto fail;
			/* "{id}.json": a literal after the parameter ends the segment and is not part of it. */
			suffix = pe + 1;
			slen = strcspn(suffix, "/");
			if (slen && ((size_t)(se - s) <= slen || memcmp(se - slen, suffix, slen) != 0))
				goto fail;
			prm = &req->params[req->nparams++];
			memcpy(prm->name, p + 1, nlen);
			prm->name[nlen] = '\0';
			prm->value = xstrndup(s, (size_t)(se - s) - slen);
			p = suffix + slen;
			s = se;
		} else {
			const char *pe = strchr(p, '/');
			const char *se = strchr(s, '/');
			size_t plen, slen;

			if (!pe)
				pe = p + strlen(p);
			if (!se)
				se = s + strlen(s);
			plen = (size_t)(pe - p);
			slen = (size_t)(se - s);
			if (plen != slen || memcmp(p, s, plen) != 0)
				goto fail;
			p = pe;
			s = se;
		}
	}
	if (*p == '\0' && *s == '\0')
		return 1;
fail:
	http_request_clear_params(req);
	return 0;
}

enum route_match router_match(const struct http_route *routes, size_t n, const char *method,
			      const char *path, struct http_request *req)
{
	int path_seen = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct http_route *r = &routes[i];
		int method_ok = strcmp(r->method, method) == 0 ||
				(strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0);

		if (!match_one(r->pattern, path, req))
			continue;
		if (method_ok) {
			req->route = r;
			return ROUTE_FOUND;
		}
		path_seen = 1;
		http_request_clear_params(req);
	}
	return path_seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}

void router_allowed_methods(const struct http_route *routes, size_t n, const char *path, char *out, size_t outlen)
{
	struct http_request probe;
	size_t i, len = 0;
	int head = 0;

	memset(&probe, 0, sizeof(probe));
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!match_one(routes[i].pattern, path, &probe))
			continue;
		http_request_clear_params(&probe);
		if (strstr(out, routes[i].method))
			continue;
		if (len < outlen)	/* once truncated, out + len would point past the buffer */
			len += (size_t)snprintf(out + len, outlen - len, "%s%s", len ? ", " : "", routes[i].method);
		if (strcmp(routes[i].method, "GET") == 0)
			head = 1;
	}
	if (head && !strstr(out, "HEAD") && len < outlen)	/* an explicit HEAD route is listed already */
		snprintf(out + len, outlen - len, ", HEAD");
}

const char *http_param(const struct http_request *req, const char *name)
{
	int i;

	for (i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].name, name) == 0)
			return req->params[i].value;
	return NULL;
}
