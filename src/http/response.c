/*
 * response.c - filling a struct http_response: JSON bodies, errors, headers.
 */
#include "http/http.h"

#include <stdlib.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void http_response_init(struct http_response *res)
{
	memset(res, 0, sizeof(*res));
	res->status = 200;
	res->fd = -1;
	buf_init(&res->body);
}

void http_response_release(struct http_response *res)
{
	int i;

	buf_release(&res->body);
	free(res->content_type);
	for (i = 0; i < res->nheaders; i++) {
		free(res->headers[i].name);
		free(res->headers[i].value);
	}
	if (res->fd >= 0)
		close(res->fd);
	res->fd = -1;
	res->nheaders = 0;
	res->content_type = NULL;
}

void http_set_header(struct http_response *res, const char *name, const char *value)
{
	int i;

	for (i = 0; i < res->nheaders; i++) {
		if (strcasecmp(res->headers[i].name, name) == 0) {
			free(res->headers[i].value);
			res->headers[i].value = xstrdup(value);
			return;
		}
	}
	if (res->nheaders >= HTTP_MAX_HEADERS)
		fatal("too many response headers (adding %s)", name);
	res->headers[res->nheaders].name = xstrdup(name);
	res->headers[res->nheaders].value = xstrdup(value);
	res->nheaders++;
}

void http_set_content_type(struct http_response *res, const char *type)
{
	free(res->content_type);
	res->content_type = xstrdup(type);
}

void http_reply_json(struct http_response *res, int status, json_t *json)
{
	char *s = json_dumps(json, JSON_COMPACT);

	json_decref(json);
	if (!s)
		fatal("cannot serialise JSON response");
	buf_reset(&res->body);
	buf_adds(&res->body, s);
	free(s);
	res->status = status;
	http_set_content_type(res, "application/json; charset=utf-8");
}

void http_reply_error(struct http_response *res, int status, const char *code, const char *field,
		      const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	json_t *err;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	err = json_pack("{s:s, s:s}", "code", code, "message", msg.data);
	if (field)
		json_object_set_new(err, "field", json_string(field));
	else
		json_object_set_new(err, "field", json_null());
	buf_release(&msg);
	http_reply_json(res, status, json_pack("{s:o}", "error", err));
}

void http_reply_text(struct http_response *res, int status, const char *type, const char *text, size_t len)
{
	buf_reset(&res->body);
	buf_add(&res->body, text, len);
	res->status = status;
	http_set_content_type(res, type);
}

const char *http_query(const struct http_request *req, const char *name)
{
	const char *v = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);

	/* Empty parameters count as absent: "?state=" filters nothing. */
	return v && *v ? v : NULL;
}

const char *http_cookie(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *http_header(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}
