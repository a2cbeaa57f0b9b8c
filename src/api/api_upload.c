/*
 * api_upload.c - photos for work orders.
 *
 *   POST /api/v1/uploads   (workorder.create)
 *     body: multipart/form-data with one or more parts named "file" (at most
 *           API_UPLOAD_MAX_FILES), or one image as the whole body with
 *           Content-Type image/jpeg or image/png
 *     201 [{"id","sha256","mime","size"}], one per file, in order
 *     400 a part that is no JPEG or PNG (field "file"), a part of another name
 *         (field: that name), no file at all, a malformed multipart body
 *     413 a file over 5 MiB (field "file"); the whole body over --max-body
 *     415 any other Content-Type
 *   GET /api/v1/uploads/{id}   (workorder.read)
 *     200 the image, its Content-Type from its content, ETag its SHA-256;
 *     404 when the actor may not see it (upload.h: the uploader, or anyone
 *     who sees an order it is attached to)
 *
 * Every file of a request is saved or none is: the guard's transaction holds
 * the rows, and a refused file rolls back the rows of the files before it
 * (their files stay on disk, content-addressed and harmless).
 *
 * The body limit.  The transport gathers the whole body before the handler
 * runs, up to --max-body (default 8 MiB = 8388608 bytes): one request carries
 * one 5 MiB photo with the multipart framing to spare, or several smaller
 * ones.  Clients send large photos one request each; a deployment that wants
 * several large photos in one request raises --max-body.
 */
#include "api/api.h"
#include "api/api_auth.h"
#include "api/api_routes.h"
#include "api/api_upload.h"
#include "auth/auth.h"
#include "http/multipart.h"
#include "util/log.h"
#include "workorder/upload.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define API_UPLOAD_MAX_FILES 10
#define PART_HEAD_BYTES 4096
#define DEFAULT_UPLOAD_DIR "data/uploads"

static char *upload_dir;

static const char *dir_of_uploads(void)
{
	return upload_dir ? upload_dir : DEFAULT_UPLOAD_DIR;
}

/* path made absolute and free of ".", ".." and doubled slashes, links resolved when it exists. */
static char *absolute(const char *path)
{
	char cwd[PATH_MAX], *real = realpath(path, NULL), *joined, *out, *seg, *save = NULL;
	size_t n = 0, cap;

	if (real)
		return real;
	if (path[0] == '/')
		joined = xstrdup(path);
	else if (getcwd(cwd, sizeof(cwd)))
		joined = xasprintf("%s/%s", cwd, path);
	else
		return NULL;
	cap = strlen(joined) + 2;
	out = xcalloc(1, cap);
	for (seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			out[n] = '\0';
			continue;
		}
		n += (size_t)snprintf(out + n, cap - n, "/%s", seg);
	}
	if (!n)
		snprintf(out, cap, "/");
	free(joined);
	return out;
}

int api_upload_configure(const char *dir, const char *web_root, char *err, size_t errlen)
{
	char *d = absolute(dir), *w = web_root ? absolute(web_root) : NULL;
	int inside = 0;

	if (!d) {
		free(w);
		return set_error(err, errlen, "upload-dir '%s': cannot tell where it is", dir);
	}
	if (w) {
		size_t n = strlen(w);

		inside = strncmp(d, w, n) == 0 && (d[n] == '\0' || d[n] == '/' || (n == 1 && w[0] == '/'));
	}
	free(d);
	free(w);
	if (inside)
		return set_error(err, errlen,
				 "upload-dir '%s' is inside the web root '%s': uploads would be served to anyone; "
				 "choose a folder outside it", dir, web_root);
	free(upload_dir);
	upload_dir = xstrdup(dir);
	return 0;
}

/* The media type of a Content-Type without its parameters equals type (any case). */
static int media_is(const char *ctype, const char *type)
{
	size_t n = strlen(type);

	return ctype && strncasecmp(ctype, type, n) == 0 && (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

struct incoming {
	const char *data;
	size_t len;
	const char *filename;		/* for messages; may be NULL */
};

/* Saves every file, answering the first refusal; -1 when one was refused. */
static int save_all(struct http_request *req, struct http_response *res, struct store *s, const struct incoming *in,
		    size_t n)
{
	json_t *out = json_array();
	struct buf note = BUF_INIT;
	size_t i;

	buf_init(&note);
	buf_addf(&note, "%zu file%s:", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		struct wo_upload u;
		struct fault f = { 0 };

		if (wo_upload_save(s, api_actor(req), dir_of_uploads(), in[i].data, in[i].len, "file", &u, &f) < 0) {
			int status = !strcmp(f.code, WO_UPLOAD_TOO_LARGE) ? 413 : fault_http_status(f.kind);

			json_decref(out);
			buf_release(&note);
			if (status >= 500)
				return api_fail(res, &f);
			if (n > 1)
				http_reply_error(res, status, f.code, "file", "file %zu of %zu%s%s%s: %s", i + 1, n,
						 in[i].filename ? " (" : "", in[i].filename ? in[i].filename : "",
						 in[i].filename ? ")" : "", f.message);
			else
				http_reply_error(res, status, f.code, "file", "%s", f.message);
			return -1;
		}
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)u.id, "sha256", u.sha256,
						     "mime", u.mime, "size", (json_int_t)u.size));
		buf_addf(&note, " %lld=%.12s", (long long)u.id, u.sha256);
	}
	api_audit_note(req, note.data);
	buf_release(&note);
	http_reply_json(res, 201, out);
	return 0;
}

static void upload_multipart(struct http_request *req, struct http_response *res, struct store *s,
			     const char *boundary)
{
	static const struct multipart_limits lim = { API_UPLOAD_MAX_FILES, WO_UPLOAD_MAX_BYTES, PART_HEAD_BYTES };
	struct incoming files[API_UPLOAD_MAX_FILES];
	struct multipart mp;
	size_t i, n = 0;

	if (multipart_parse(&mp, req->body, req->body_len, boundary, &lim) < 0) {
		if (mp.error == MULTIPART_PART_TOO_LARGE)
			http_reply_error(res, 413, WO_UPLOAD_TOO_LARGE, mp.part_name[0] ? mp.part_name : "file",
					 "%s: a photo is at most %u bytes (5 MiB)", mp.message, WO_UPLOAD_MAX_BYTES);
		else if (mp.error == MULTIPART_TOO_MANY_PARTS)
			http_reply_error(res, 400, "too_many_files", "file", "%s: send at most %d files a request",
					 mp.message, API_UPLOAD_MAX_FILES);
		else
			http_reply_error(res, 400, "invalid_multipart", mp.part_name[0] ? mp.part_name : NULL, "%s",
					 mp.message);
		multipart_release(&mp);
		return;
	}
	for (i = 0; i < mp.n; i++) {
		if (strcmp(mp.parts[i].name, "file") != 0) {
			http_reply_error(res, 400, "invalid", mp.parts[i].name,
					 "unknown field '%s': send each image in a part named file", mp.parts[i].name);
			multipart_release(&mp);
			return;
		}
		files[n].data = mp.parts[i].data;
		files[n].len = mp.parts[i].len;
		files[n].filename = mp.parts[i].filename;
		n++;
	}
	if (!n)
		http_reply_error(res, 400, "invalid", "file", "the body has no file: send each image in a part named file");
	else
		save_all(req, res, s, files, n);
	multipart_release(&mp);
}

static void api_upload_create(struct http_request *req, struct http_response *res)
{
	const char *ctype = http_header(req, "Content-Type");
	struct store *s = api_store(res);
	char boundary[MULTIPART_BOUNDARY_MAX + 1];
	int rc;

	if (!s)
		return;
	rc = multipart_boundary(ctype, boundary, sizeof(boundary));
	if (rc == 0) {
		upload_multipart(req, res, s, boundary);
	} else if (rc == -2) {
		http_reply_error(res, 400, "invalid_multipart", NULL, "%s", boundary);
	} else if (media_is(ctype, "image/jpeg") || media_is(ctype, "image/png")) {
		/* One raw image; its declared type is a hint, its content decides. */
		struct incoming one = { req->body, req->body_len, NULL };

		save_all(req, res, s, &one, 1);
	} else {
		http_reply_error(res, 415, "unsupported_media_type", NULL,
				 "send multipart/form-data with each image in a part named file, or one image as the body "
				 "with Content-Type image/jpeg or image/png");
	}
}

static void api_upload_get(struct http_request *req, struct http_response *res)
{
	struct store *s = api_store(res);
	struct wo_upload u;
	struct fault f = { 0 };
	struct stat st;
	const char *inm;
	char etag[72], *path;
	int64_t id;
	int fd, visible;

	if (!s || !(id = api_path_id(req, res, "id")))
		return;
	if (wo_upload_get(s, id, &u, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	visible = wo_upload_visible(s, api_actor(req), &u);
	if (visible < 0) {
		fault_set(&f, FAULT_INTERNAL, NULL, "cannot tell who may see upload %lld", (long long)id);
		api_fail(res, &f);
		return;
	}
	if (!visible) {
		http_reply_error(res, 404, "not_found", "id", "upload %lld does not exist", (long long)id);
		return;
	}
	path = wo_upload_path(dir_of_uploads(), u.sha256);
	fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (int64_t)st.st_size != u.size) {
		/* The row says the file exists: a missing or changed file is the server's fault, said once in the log. */
		log_msg(LOG_ERROR, "upload %lld: its file %s is missing or not %lld bytes", (long long)id,
			path ? path : "(bad hash)", (long long)u.size);
		if (fd >= 0)
			close(fd);
		free(path);
		fault_set(&f, FAULT_INTERNAL, NULL, "the file of upload %lld is missing", (long long)id);
		api_fail(res, &f);
		return;
	}
	free(path);
	snprintf(etag, sizeof(etag), "\"%s\"", u.sha256);
	http_set_header(res, "ETag", etag);
	/* Who may see it is decided per request: private caches only. */
	http_set_header(res, "Cache-Control", "private, max-age=3600");
	http_set_header(res, "Content-Disposition", "inline");
	http_set_content_type(res, u.mime);
	inm = http_header(req, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0) {
		close(fd);
		res->status = 304;
		return;
	}
	res->status = 200;
	res->fd = fd;
	res->file_size = (uint64_t)st.st_size;
}

const struct http_route api_upload_routes[] = {
	{ "POST", "/api/v1/uploads", api_upload_create, "workorder.create",
	  "upload photos: multipart/form-data parts named file, or one image/jpeg or image/png body; 5 MiB each", 0 },
	{ "GET", "/api/v1/uploads/{id}", api_upload_get, "workorder.read",
	  "one photo, to its uploader and to those who see an order it is attached to", 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
