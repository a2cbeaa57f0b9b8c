/*
 * upload.c - photos: content check, storage by content hash, rows (upload.h).
 */
#include "workorder/upload.h"
#include "workorder/workorder.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR_MODE 0750
#define MAX_ATTACHED 100		/* orders one upload is looked for on; more is no photo of a report */

/* ---- content ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* CRC-32 as PNG chunks carry it (ISO 3309, reflected 0xEDB88320). */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

static int not_image(struct fault *f, const char *field, const char *why)
{
	fault_set(f, FAULT_INVALID, field, "the %s is not a JPEG or PNG image: %s (its content was checked, not its name)",
		  field, why);
	snprintf(f->code, sizeof(f->code), "%s", WO_UPLOAD_NOT_IMAGE);
	return -1;
}

/* PNG: the signature, a well-formed IHDR (its CRC too) right after it, and IEND at the end. */
static int png_ok(const unsigned char *d, size_t n, const char *field, struct fault *f)
{
	static const unsigned char iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
	uint32_t w, h;
	unsigned depth, color;

	if (n < 8 + 25 + 12)
		return not_image(f, field, "it is too short to be a PNG");
	if (be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
		return not_image(f, field, "a PNG starts with its IHDR chunk, and this one does not");
	w = be32(d + 16);
	h = be32(d + 20);
	depth = d[24];
	color = d[25];
	if (!w || !h || w > 0x7fffffffu || h > 0x7fffffffu)
		return not_image(f, field, "its PNG width or height is zero or too large");
	/* PNG spec, table 11.1: the bit depths each colour type allows. */
	if (!((color == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)) ||
	      ((color == 2 || color == 4 || color == 6) && (depth == 8 || depth == 16)) ||
	      (color == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8))) ||
	    d[26] != 0 || d[27] != 0 || d[28] > 1)
		return not_image(f, field, "its PNG header (IHDR) holds values no PNG has");
	if (crc32_of(d + 12, 17) != be32(d + 29))
		return not_image(f, field, "its PNG header (IHDR) fails its checksum");
	if (memcmp(d + n - 12, iend, sizeof(iend)) != 0)
		return not_image(f, field, "the PNG does not end with its IEND chunk: the file is cut short or has bytes added");
	return 0;
}

/* A marker that may follow SOI: a frame (SOFn), tables (DHT, DAC, DQT, DRI), APPn or a comment. */
static int jpeg_first_marker(unsigned char m)
{
	return (m >= 0xc0 && m <= 0xcf) || m == 0xdb || m == 0xdd || (m >= 0xe0 && m <= 0xef) || m == 0xfe;
}

/* JPEG: SOI, a marker segment that fits in the file, EOI at the end. */
static int jpeg_ok(const unsigned char *d, size_t n, const char *field, struct fault *f)
{
	size_t seg;

	if (n < 8)
		return not_image(f, field, "it is too short to be a JPEG");
	if (d[2] != 0xff || !jpeg_first_marker(d[3]))
		return not_image(f, field, "a JPEG's start marker (FF D8) is followed by no valid segment");
	seg = (size_t)d[4] << 8 | d[5];
	if (seg < 2 || 4 + seg > n - 2)
		return not_image(f, field, "the JPEG's first segment has a length the file cannot hold");
	if (d[n - 2] != 0xff || d[n - 1] != 0xd9)
		return not_image(f, field, "the JPEG does not end with its end marker (FF D9): the file is cut short");
	return 0;
}

const char *wo_upload_sniff(const void *data, size_t len, const char *field, struct fault *f)
{
	static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	const unsigned char *d = data;

	if (len > WO_UPLOAD_MAX_BYTES) {
		fault_set(f, FAULT_INVALID, field, "the %s is larger than %u bytes (5 MiB)", field, WO_UPLOAD_MAX_BYTES);
		snprintf(f->code, sizeof(f->code), "%s", WO_UPLOAD_TOO_LARGE);
		return NULL;
	}
	if (len == 0) {
		not_image(f, field, "it is empty");
		return NULL;
	}
	if (len >= 8 && memcmp(d, png_sig, 8) == 0)
		return png_ok(d, len, field, f) == 0 ? "image/png" : NULL;
	if (len >= 2 && d[0] == 0xff && d[1] == 0xd8)
		return jpeg_ok(d, len, field, f) == 0 ? "image/jpeg" : NULL;
	not_image(f, field, "its first bytes are neither the PNG signature nor a JPEG start marker");
	return NULL;
}

/* ---- files ---- */

static int hex_valid(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

char *wo_upload_path(const char *dir, const char *sha256)
{
	if (!sha256 || !hex_valid(sha256))
		return NULL;
	return xasprintf("%s/%.2s/%s", dir, sha256, sha256);
}

/* Creates path and its missing parents. */
static int mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;
	struct stat st;
	int rc = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char c = *s;

			*s = '\0';
			if (mkdir(p, DIR_MODE) < 0 && errno != EEXIST)
				rc = -1;
			else if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode))
				rc = -1;
			*s = c;
		}
		if (rc < 0 || *s == '\0')
			break;
	}
	free(p);
	return rc;
}

static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The file of this content under dir: kept when already there with this size,
 * else written to a temporary file, flushed, renamed into place, the folder
 * flushed.
 */
static int store_file(const char *dir, const char *sha, const void *data, size_t len, struct fault *f)
{
	char *sub = xasprintf("%s/%.2s", dir, sha), *path = wo_upload_path(dir, sha), *tmp = NULL;
	struct stat st;
	int fd = -1, rc = -1;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == (uint64_t)len) {
		rc = 0;		/* the same content: one file */
		goto done;
	}
	if (mkdir_p(sub) < 0) {
		fault_set(f, FAULT_INTERNAL, NULL, "cannot create the upload folder %s: %s", sub, strerror(errno));
		goto done;
	}
	tmp = xasprintf("%s/.upload-XXXXXX", sub);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fault_set(f, FAULT_INTERNAL, NULL, "cannot create a file in %s: %s", sub, strerror(errno));
		goto done;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		fault_set(f, FAULT_INTERNAL, NULL, "cannot write the file in %s: %s", sub, strerror(errno));
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		fault_set(f, FAULT_INTERNAL, NULL, "cannot write the file in %s: %s", sub, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		fault_set(f, FAULT_INTERNAL, NULL, "cannot move the file into place in %s: %s", sub, strerror(errno));
		goto done;
	}
	free(tmp);
	tmp = NULL;
	/* The new name, and a new folder's name in its parent, on disk before the row says the file exists. */
	if (fsync_dir(sub) < 0 || fsync_dir(dir) < 0) {
		fault_set(f, FAULT_INTERNAL, NULL, "cannot flush the upload folder %s: %s", sub, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(sub);
	free(path);
	return rc;
}

/* ---- rows ---- */

static const char SQL_UPLOAD_INSERT[] =
	"INSERT INTO wo_uploads (sha256, mime, size, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_UPLOAD_GET[] =
	"SELECT id, sha256, mime, size, uploaded_by, created_at FROM wo_uploads WHERE id = ?";
static const char SQL_UPLOAD_ORDERS[] = "SELECT order_id FROM wo_photos WHERE upload_id = ? ORDER BY order_id";

int wo_upload_save(struct store *s, const struct actor *a, const char *dir, const void *data, size_t len,
		   const char *field, struct wo_upload *out, struct fault *f)
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	struct store_stmt *st;
	const char *mime;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(mime = wo_upload_sniff(data, len, field, f)))
		return -1;
	crypto_hash_sha256(hash, data, len);
	sodium_bin2hex(out->sha256, sizeof(out->sha256), hash, sizeof(hash));
	snprintf(out->mime, sizeof(out->mime), "%s", mime);
	out->size = (int64_t)len;
	out->uploaded_by = a ? a->user_id : 0;
	time_now_text(out->created_at);
	if (store_file(dir, out->sha256, data, len, f) < 0)
		return -1;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_UPLOAD_INSERT, "ttiIt", out->sha256, out->mime, (int64_t)out->size,
			 (int64_t)out->uploaded_by, out->created_at);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		store_rollback(s);
		return -1;
	}
	out->id = store_last_id(s);
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

int wo_upload_get(struct store *s, int64_t id, struct wo_upload *out, struct fault *f)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(s, SQL_UPLOAD_GET, "i", (int64_t)id);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		const char *sha = store_column_text(st, 1), *mime = store_column_text(st, 2),
			   *at = store_column_text(st, 5);

		out->id = store_column_int64(st, 0);
		snprintf(out->sha256, sizeof(out->sha256), "%s", sha ? sha : "");
		snprintf(out->mime, sizeof(out->mime), "%s", mime ? mime : "");
		out->size = store_column_int64(st, 3);
		out->uploaded_by = store_column_int64(st, 4);
		snprintf(out->created_at, sizeof(out->created_at), "%s", at ? at : "");
	}
	store_done(st);
	if (rc == STORE_DONE)
		return fault_set(f, FAULT_NOT_FOUND, "id", "upload %lld does not exist", (long long)id);
	if (rc != STORE_ROW)
		return store_fault(s, rc, f);
	return 0;
}

int wo_upload_visible(struct store *s, const struct actor *a, const struct wo_upload *u)
{
	int64_t orders[MAX_ATTACHED];
	struct store_stmt *st;
	size_t n = 0, i;
	int rc, seen = 0;

	if (!a)
		return 1;
	if (a->user_id && u->uploaded_by == a->user_id)
		return 1;
	st = store_query(s, SQL_UPLOAD_ORDERS, "i", (int64_t)u->id);
	while ((rc = store_step(st)) == STORE_ROW && n < MAX_ATTACHED)
		orders[n++] = store_column_int64(st, 0);
	store_done(st);
	if (rc != STORE_DONE && rc != STORE_ROW)
		return -1;
	for (i = 0; i < n && !seen; i++) {
		struct wo_order o;
		struct fault f = { 0 };

		if (wo_get(s, orders[i], &o, &f) < 0) {
			if (f.kind == FAULT_NOT_FOUND)
				continue;
			return -1;
		}
		seen = wo_visible(s, a, &o);
		wo_order_release(&o);
		if (seen < 0)
			return -1;
	}
	return seen;
}
