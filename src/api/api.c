/*
 * api.c - per-thread store connections and the shared handler helpers.
 */
#include "api/api.h"
#include "util/log.h"
#include "util/util.h"

#include <stdlib.h>
#include <pthread.h>
#include <string.h>

static char *api_dsn;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store **conns;
static size_t nconns;
static _Thread_local struct store *thread_store;

void api_init(const char *dsn)
{
	free(api_dsn);
	api_dsn = xstrdup(dsn);
	api_commit_start();
}

void api_shutdown(void)
{
	size_t i;

	api_commit_stop();

	pthread_mutex_lock(&conns_lock);
	for (i = 0; i < nconns; i++)
		store_close(conns[i]);
	free(conns);
	conns = NULL;
	nconns = 0;
	pthread_mutex_unlock(&conns_lock);
	free(api_dsn);
	api_dsn = NULL;
}

struct store *api_store(struct http_response *res)
{
	char err[512];

	if (thread_store)
		return thread_store;
	thread_store = store_open(api_dsn, err, sizeof(err));
	if (!thread_store) {
		log_msg(LOG_ERROR, "%s", err);
		http_reply_error(res, 503, "unavailable", NULL, "the database is not available");
		return NULL;
	}
	pthread_mutex_lock(&conns_lock);
	conns = xrealloc(conns, (nconns + 1) * sizeof(*conns));
	conns[nconns++] = thread_store;
	pthread_mutex_unlock(&conns_lock);
	return thread_store;
}

int api_fail(struct http_response *res, const struct fault *f)
{
	int status = fault_http_status(f->kind);

	if (f->kind == FAULT_BUSY) {
		/* Another writer held the store past the wait (an import's chunk, a backup): say when to come back. */
		log_msg(LOG_WARN, "%s", f->message);
		http_reply_error(res, 503, "busy", NULL, "%s", f->message);
		http_set_header(res, "Retry-After", "1");
		return -1;
	}
	if (status >= 500)
		log_msg(LOG_ERROR, "%s", f->message);
	http_reply_error(res, status, f->code[0] ? f->code : fault_code(f->kind), f->field[0] ? f->field : NULL, "%s",
			 status >= 500 ? "internal error: the operation was not carried out" : f->message);
	return -1;
}

void api_healthz(struct http_request *req, struct http_response *res)
{
	struct api_commit_stats gc;
	struct store *s;
	int64_t one = 0;

	YL_UNUSED(req);
	s = api_store(res);
	if (!s)
		return;
	if (store_query_int64(s, "SELECT 1", &one, 0) != STORE_OK) {
		http_reply_error(res, 503, "unavailable", NULL, "the database does not answer");
		return;
	}
	api_commit_stats(&gc);
	/* Counters only: the health check is public. */
	http_reply_json(res, 200,
			json_pack("{s:s, s:i, s:{s:I, s:I, s:I, s:I}}", "status", "ok", "schema_version",
				  store_schema_version(s), "group_commit", "groups", (json_int_t)gc.groups, "jobs",
				  (json_int_t)gc.jobs, "largest_group", (json_int_t)gc.largest, "failed_groups",
				  (json_int_t)gc.failed));
}

static const char *type_name(enum api_type t)
{
	switch (t) {
	case API_STRING:
		return "a string";
	case API_INT:
		return "a whole number";
	case API_NUMBER:
		return "a number";
	case API_BOOL:
		return "true or false";
	case API_DATE:
		return "a date as YYYY-MM-DD";
	case API_ID:
		return "a positive whole number (an id)";
	case API_ID_ARRAY:
		return "an array of ids";
	case API_STRING_ARRAY:
		return "an array of strings";
	}
	return "?";
}

static int check_string(const char *s, int max_chars)
{
	size_t n = strlen(s);

	if (!utf8_valid_text(s, n))
		return 0;
	return utf8_length(s) <= (size_t)(max_chars ? max_chars : 200);
}

static int check_value(const struct api_field *fd, json_t *v, const char **why)
{
	size_t i;
	json_t *e;

	*why = NULL;
	switch (fd->type) {
	case API_STRING:
		if (!json_is_string(v))
			return 0;
		if (!check_string(json_string_value(v), fd->max_chars)) {
			*why = "text";
			return 0;
		}
		return 1;
	case API_INT:
		return json_is_integer(v);
	case API_NUMBER:
		return json_is_number(v);
	case API_BOOL:
		return json_is_boolean(v);
	case API_DATE:
		return json_is_string(v) && date_valid(json_string_value(v)) == 0;
	case API_ID:
		return json_is_integer(v) && json_integer_value(v) > 0;
	case API_ID_ARRAY:
		if (!json_is_array(v) || json_array_size(v) > 10000)
			return 0;
		json_array_foreach(v, i, e)
			if (!json_is_integer(e) || json_integer_value(e) <= 0)
				return 0;
		return 1;
	case API_STRING_ARRAY:
		if (!json_is_array(v) || json_array_size(v) > 100)
			return 0;
		json_array_foreach(v, i, e)
			if (!json_is_string(e) || !check_string(json_string_value(e), fd->max_chars ? fd->max_chars : 50))
				return 0;
		return 1;
	}
	return 0;
}

json_t *api_body(struct http_request *req, struct http_response *res, const struct api_field *fields)
{
	const char *ctype = http_header(req, "Content-Type");
	json_error_t jerr;
	const char *key;
	json_t *body, *v;
	size_t i;

	if (!ctype || strncasecmp(ctype, "application/json", 16) != 0 || (ctype[16] && ctype[16] != ';' && ctype[16] != ' ')) {
		http_reply_error(res, 415, "unsupported_media_type", NULL, "send the body as application/json");
		return NULL;
	}
	if (req->body_len == 0) {
		http_reply_error(res, 400, "invalid", NULL, "the request needs a JSON object as its body");
		return NULL;
	}
	body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!body) {
		http_reply_error(res, 400, "invalid_json", NULL, "the body is not valid JSON: %s (line %d, column %d)",
				 jerr.text, jerr.line, jerr.column);
		return NULL;
	}
	if (!json_is_object(body)) {
		json_decref(body);
		http_reply_error(res, 400, "invalid", NULL, "the body must be a JSON object");
		return NULL;
	}
	json_object_foreach(body, key, v) {
		const struct api_field *fd = NULL;
		const char *why;

		for (i = 0; fields[i].name; i++)
			if (strcmp(fields[i].name, key) == 0)
				fd = &fields[i];
		if (!fd) {
			http_reply_error(res, 400, "invalid", key, "'%s' is not a field of this resource", key);
			json_decref(body);
			return NULL;
		}
		if (json_is_null(v)) {
			if (!fd->nullable || fd->required) {
				http_reply_error(res, 400, "invalid", key, "%s must not be null", key);
				json_decref(body);
				return NULL;
			}
			continue;
		}
		if (!check_value(fd, v, &why)) {
			if (why)
				http_reply_error(res, 400, "invalid", key,
						 "%s must be text of at most %d characters without control characters", key,
						 fd->max_chars ? fd->max_chars : 200);
			else
				http_reply_error(res, 400, "invalid", key, "%s must be %s", key, type_name(fd->type));
			json_decref(body);
			return NULL;
		}
	}
	for (i = 0; fields[i].name; i++) {
		if (fields[i].required && !json_object_get(body, fields[i].name)) {
			http_reply_error(res, 400, "invalid", fields[i].name, "%s is required", fields[i].name);
			json_decref(body);
			return NULL;
		}
	}
	return body;
}

const char *api_str(json_t *body, const char *key)
{
	return json_string_value(json_object_get(body, key));
}

int64_t api_int(json_t *body, const char *key, int64_t def)
{
	json_t *v = json_object_get(body, key);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

int api_has(json_t *body, const char *key)
{
	return json_object_get(body, key) != NULL;
}

int api_is_null(json_t *body, const char *key)
{
	return json_is_null(json_object_get(body, key));
}

int64_t api_path_id(struct http_request *req, struct http_response *res, const char *name)
{
	const char *v = http_param(req, name);
	int64_t id;

	if (!v || parse_int64(v, 1, INT64_MAX, &id) < 0) {
		http_reply_error(res, 404, "not_found", name, "no such resource: %s", req->path);
		return 0;
	}
	return id;
}

int api_query_int(struct http_request *req, struct http_response *res, const char *name, int64_t min, int64_t max,
		  int64_t def, int64_t *out)
{
	const char *v = http_query(req, name);

	if (!v) {
		*out = def;
		return 0;
	}
	if (parse_int64(v, min, max, out) < 0) {
		http_reply_error(res, 400, "invalid", name, "%s must be a whole number from %lld to %lld", name,
				 (long long)min, (long long)max);
		return -1;
	}
	return 0;
}

int api_paging(struct http_request *req, struct http_response *res, int *limit, int *offset)
{
	int64_t l, o;

	if (api_query_int(req, res, "limit", 1, 500, 50, &l) < 0 ||
	    api_query_int(req, res, "offset", 0, 100000000, 0, &o) < 0)
		return -1;
	*limit = (int)l;
	*offset = (int)o;
	return 0;
}

int api_query_bool(struct http_request *req, struct http_response *res, const char *name, int def)
{
	const char *v = http_query(req, name);

	if (!v)
		return def;
	if (!strcmp(v, "true") || !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "false") || !strcmp(v, "0"))
		return 0;
	http_reply_error(res, 400, "invalid", name, "%s must be true or false", name);
	return -1;
}

int api_query_text(struct http_request *req, struct http_response *res, const char *name, size_t max,
		   const char **out)
{
	const char *v = http_query(req, name);

	*out = NULL;
	if (!v)
		return 0;
	if (!*v || !utf8_valid_text(v, strlen(v)) || utf8_length(v) > max) {
		http_reply_error(res, 400, "invalid", name, "%s must be text of 1 to %zu characters", name, max);
		return -1;
	}
	*out = v;
	return 0;
}

void api_reply_list(struct http_response *res, json_t *items, int64_t total, int limit, int offset)
{
	http_reply_json(res, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "limit",
					    limit, "offset", offset));
}

json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *json_id_or_null(int64_t id)
{
	return id ? json_integer((json_int_t)id) : json_null();
}

json_t *json_time_or_null(int64_t at)
{
	char text[40];

	if (!at)
		return json_null();
	time_format_local(at, text, sizeof(text));
	return json_string(text);
}
