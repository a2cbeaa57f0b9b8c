/*
 * static.c - files under the web root, with MIME types, ETag and cache headers.
 *
 * Paths with "..", backslashes or hidden segments are refused before any file
 * system access; a directory serves its index.html.  HTML is revalidated on
 * every load (no-cache); other assets may be cached for five minutes and are
 * revalidated by ETag (size and modification time).
 */
#include "http/http.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".csv", "text/csv; charset=utf-8" },
	{ ".map", "application/json; charset=utf-8" },
	{ ".webmanifest", "application/manifest+json" },
};

const char *http_mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot && !strchr(dot, '/'))
		for (i = 0; i < YL_ARRAY_LEN(mime_types); i++)
			if (strcasecmp(dot, mime_types[i].ext) == 0)
				return mime_types[i].type;
	return "application/octet-stream";
}

static int path_safe(const char *p)
{
	if (p[0] != '/' || strchr(p, '\\'))
		return 0;
	for (; *p; p++)
		if (p[0] == '/' && p[1] == '.')
			return 0;	/* "..", ".git", hidden files */
	return 1;
}

/* The file's real path must lie under the root's real path: no symlinked folder leads out. */
static int inside_root(const char *root, const char *file)
{
	char *r = realpath(root, NULL), *p = realpath(file, NULL);
	size_t n;
	int ok;

	ok = r && p && (n = strlen(r), strncmp(p, r, n) == 0 && p[n] == '/');
	free(r);
	free(p);
	return ok;
}

int http_static(const char *root, const struct http_request *req, struct http_response *res)
{
	struct buf path = BUF_INIT;
	const char *inm;
	struct stat sb;
	char etag[64];
	int fd = -1, rc = -1;

	if (!root || !path_safe(req->path))
		goto out;
	buf_addf(&path, "%s%s", root, req->path);
	if (path.data[path.len - 1] == '/')
		buf_adds(&path, "index.html");
	fd = open(path.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &sb) < 0)
		goto out;
	if (S_ISDIR(sb.st_mode)) {
		close(fd);
		buf_adds(&path, "/index.html");
		fd = open(path.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 || fstat(fd, &sb) < 0)
			goto out;
	}
	if (!S_ISREG(sb.st_mode) || !inside_root(root, path.data))
		goto out;
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)sb.st_size,
		 (unsigned long long)sb.st_mtim.tv_sec * 1000000000ULL + (unsigned long long)sb.st_mtim.tv_nsec);
	http_set_header(res, "ETag", etag);
	http_set_content_type(res, http_mime_type(path.data));
	if (strstr(res->content_type, "text/html"))
		http_set_header(res, "Cache-Control", "no-cache");
	else
		http_set_header(res, "Cache-Control", "public, max-age=300");
	inm = http_header(req, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0) {
		res->status = 304;
		rc = 0;
		goto out;
	}
	res->status = 200;
	res->fd = fd;
	res->file_size = (uint64_t)sb.st_size;
	fd = -1;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	buf_release(&path);
	return rc;
}
