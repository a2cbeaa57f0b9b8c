/*
 * upload.h - photos for work orders (照片): JPEG and PNG images that a report,
 * a reply or any other action carries (wo_input.photo_ids, wo_action.photo_ids).
 *
 * An upload is checked by its content, never by its name or declared type:
 * a PNG starts with the PNG signature and an IHDR chunk and ends with IEND; a
 * JPEG starts with SOI (FF D8) and a valid marker segment and ends with EOI
 * (FF D9).  At most WO_UPLOAD_MAX_BYTES each.
 *
 * Storage: the file lives on disk under a data folder (the setting upload-dir,
 * kept outside the web root, so no URL reaches it but the API's), named by the
 * SHA-256 of its content: DIR/ab/abcdef... (the first two hex digits as a
 * folder, so no folder grows too large).  It is written to a temporary file in
 * that folder, flushed to disk (fsync), renamed into place and the folder
 * flushed: a reader never sees half a file, and a crash leaves at worst a
 * temporary file.  The same content uploaded twice is one file on disk.
 * Every upload is also a row of wo_uploads (id, sha256, mime, size, uploader),
 * one per upload, in the caller's transaction.  A file written for a row that
 * is then rolled back stays on disk: harmless, it is reused by the next upload
 * of the same content.
 *
 * Who sees an upload: its uploader, and anyone who may see an order it is
 * attached to (wo_photos, through wo_visible()).  The system (a NULL actor)
 * sees everything.
 *
 * Functions return 0, or -1 with a struct fault naming the field ("file").
 */
#ifndef YL_WO_UPLOAD_H
#define YL_WO_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/store.h"
#include "util/fault.h"

#define WO_UPLOAD_MAX_BYTES (5u * 1024u * 1024u)	/* 5 MiB a photo */
#define WO_UPLOAD_TOO_LARGE "file_too_large"		/* fault code of a file over the limit */
#define WO_UPLOAD_NOT_IMAGE "not_an_image"		/* fault code of content that is no JPEG or PNG */

struct wo_upload {
	int64_t id;
	char sha256[65];		/* hex */
	char mime[16];			/* image/jpeg or image/png */
	int64_t size;
	int64_t uploaded_by;		/* user id; 0: an API token or the system */
	char created_at[32];		/* UTC text */
};

/*
 * The type of data by its content: "image/jpeg" or "image/png", or NULL with
 * f (FAULT_INVALID on field, code WO_UPLOAD_NOT_IMAGE or WO_UPLOAD_TOO_LARGE)
 * saying why not.
 */
const char *wo_upload_sniff(const void *data, size_t len, const char *field, struct fault *f);

/*
 * Checks data, stores its file under dir (created when missing) and adds its
 * row as uploaded by actor; out receives the row.  field names the input in
 * faults ("file").
 */
int wo_upload_save(struct store *s, const struct actor *a, const char *dir, const void *data, size_t len,
		   const char *field, struct wo_upload *out, struct fault *f);

/* The row; FAULT_NOT_FOUND when there is none. */
int wo_upload_get(struct store *s, int64_t id, struct wo_upload *out, struct fault *f);

/* 1 when actor may see the upload (see above), 0 when not, -1 on a store error. */
int wo_upload_visible(struct store *s, const struct actor *a, const struct wo_upload *u);

/* The file of a hash under dir: DIR/ab/abcd... (caller frees); NULL when sha256 is not 64 hex digits. */
char *wo_upload_path(const char *dir, const char *sha256);

#endif
