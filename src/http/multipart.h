/*
 * multipart.h - multipart/form-data request bodies (RFC 7578 over the
 * multipart syntax of RFC 2046, section 5.1), parsed from a body already in
 * memory.  Transport only: it knows parts, names, file names and types, and
 * nothing of what the parts mean.
 *
 * The body is never modified and never read past its length (it need not be
 * NUL-terminated).  A part's data points into the body: it is valid while the
 * body is.  Names, file names and types are copies owned by the struct
 * multipart; multipart_release() frees them and leaves the struct empty.
 *
 * Strict where it costs a client nothing: every delimiter line ends with CRLF
 * (transport padding of spaces and tabs allowed before it), every header line
 * ends with CRLF, the header block ends with an empty line, the body ends with
 * the close delimiter ("--BOUNDARY--"), each part has a Content-Disposition of
 * form-data with a name.  The boundary must not occur inside a part: a line
 * starting with "--BOUNDARY" that is neither a delimiter nor the close
 * delimiter is an error, not data.  A preamble before the first delimiter and
 * an epilogue after the close delimiter are ignored, as RFC 2046 says.
 *
 * Limits are the caller's: the number of parts, the bytes of one part's data,
 * the bytes of one part's header block.  A part over the limit is reported
 * with its name, before the rest of the body is looked at.
 */
#ifndef YL_HTTP_MULTIPART_H
#define YL_HTTP_MULTIPART_H

#include <stddef.h>

#define MULTIPART_BOUNDARY_MAX 70	/* RFC 2046: 1 to 70 characters */
#define MULTIPART_NAME_MAX 255		/* a name or file name, bytes */
#define MULTIPART_TYPE_MAX 127		/* a part's Content-Type, bytes */

struct multipart_part {
	char *name;			/* Content-Disposition's name: never NULL */
	char *filename;			/* its filename; NULL when the part carries none */
	char *content_type;		/* the part's Content-Type (parameters kept); NULL when none was given */
	const char *data;		/* into the body */
	size_t len;
};

struct multipart_limits {
	size_t max_parts;
	size_t max_part_bytes;		/* data of one part */
	size_t max_head_bytes;		/* header block of one part, its CRLFs included */
};

enum multipart_error {
	MULTIPART_OK = 0,
	MULTIPART_MALFORMED,		/* the body does not follow the syntax */
	MULTIPART_TOO_MANY_PARTS,
	MULTIPART_PART_TOO_LARGE,
	MULTIPART_HEAD_TOO_LARGE,
};

struct multipart {
	struct multipart_part *parts;
	size_t n;
	enum multipart_error error;	/* after a failed parse */
	char part_name[MULTIPART_NAME_MAX + 1];	/* the part at fault, when its name was known; else "" */
	char message[200];		/* what is wrong, lower-case, for people */
};

/*
 * The boundary of a Content-Type "multipart/form-data; boundary=XYZ" (the
 * media type and the parameter name in any case; the value a token or a quoted
 * string; other parameters allowed).  Returns 0 with the boundary in out (at
 * least MULTIPART_BOUNDARY_MAX + 1 bytes), -1 when content_type is not
 * multipart/form-data (out is ""), -2 when it is but its boundary is missing or
 * not a valid boundary (out holds the reason).
 */
int multipart_boundary(const char *content_type, char *out, size_t outlen);

/*
 * Parses body (len bytes) into mp.  Returns 0 with mp->parts (possibly none:
 * a body of just the close delimiter), or -1 with mp->error, mp->message and,
 * when known, mp->part_name; no parts are kept then.
 */
int multipart_parse(struct multipart *mp, const char *body, size_t len, const char *boundary,
		    const struct multipart_limits *lim);
void multipart_release(struct multipart *mp);

#endif
