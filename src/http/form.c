/*
 * form.c - application/x-www-form-urlencoded bodies (http.h): names and
 * values percent-decoded ('+' is a space) and UTF-8 checked.  Open311 posts
 * them, and the guard reads an API key from them.
 */
#include "http/http.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void http_form_release(struct http_form *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->names[i]);
		free(f->values[i]);
	}
	free(f->names);
	free(f->values);
	memset(f, 0, sizeof(*f));
}

int http_form_parse(const char *text, struct http_form *out)
{
	const char *p = text;

	memset(out, 0, sizeof(*out));
	while (p && *p) {
		size_t len = strcspn(p, "&");
		char *pair = xstrndup(p, len), *eq = strchr(pair, '=');
		char *name = pair, *value = eq ? eq + 1 : pair + len;

		if (eq)
			*eq = '\0';
		if (http_url_decode(name, 1) < 0 || http_url_decode(value, 1) < 0 ||
		    !utf8_valid_text(name, strlen(name)) || !utf8_valid_text(value, strlen(value))) {
			free(pair);
			http_form_release(out);
			return -1;
		}
		if (*name) {
			out->names = xrealloc(out->names, (out->n + 1) * sizeof(*out->names));
			out->values = xrealloc(out->values, (out->n + 1) * sizeof(*out->values));
			out->names[out->n] = xstrdup(name);
			out->values[out->n++] = xstrdup(value);
		}
		free(pair);
		p += len;
		if (*p == '&')
			p++;
	}
	return 0;
}

const char *http_form_get(const struct http_form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->names[i], name) == 0)
			return *f->values[i] ? f->values[i] : NULL;	/* empty counts as absent */
	return NULL;
}

int http_form_body(const struct http_request *req)
{
	const char *type = http_header(req, "Content-Type");

	return type && strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0;
}
