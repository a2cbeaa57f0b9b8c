/*
 * util.h - allocation wrappers, growable string buffer, error helpers and time.
 *
 * The x* allocators never return NULL: on out-of-memory they print a message and
 * abort, so call sites carry no NULL checks.  A struct buf owns its bytes; its
 * data is always NUL-terminated and never NULL after buf_init().
 */
#ifndef YL_UTIL_H
#define YL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define YL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define YL_UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define YL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define YL_NORETURN __attribute__((noreturn))
#else
#define YL_PRINTF(f, a)
#define YL_NORETURN
#endif

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xstrdup, except that NULL stays NULL (optional columns and fields). */
char *xstrdup_or_null(const char *s);
char *xasprintf(const char *fmt, ...) YL_PRINTF(1, 2);
/*
 * Makes room for one more element in a growable array: when n == cap, the
 * capacity doubles (16 to begin with) and the array moves.  items is any
 * T *, cap a size_t:  YL_GROW(list->items, list->n, list->cap);
 * list->items[list->n++] = x;
 */
#define YL_GROW(items, n, cap) ((items) = yl_grow((items), (n), &(cap), sizeof(*(items))))
void *yl_grow(void *items, size_t n, size_t *cap, size_t elem);
/*
 * Releases a list of the usual shape ({items, n, ...}): release(&items[i])
 * for each element, then the array, and leaves the list empty and zeroed.
 */
#define YL_LIST_RELEASE(list, release)                                                        \
	do {                                                                                  \
		size_t yl_i_;                                                                 \
		for (yl_i_ = 0; yl_i_ < (list)->n; yl_i_++)                                   \
			release(&(list)->items[yl_i_]);                                       \
		free((list)->items);                                                          \
		memset((list), 0, sizeof(*(list)));                                           \
	} while (0)
/* Frees a NULL-ended array of strings and the strings. */
void free_strv(char **v);

/* The impossible happened: print and abort. */
YL_NORETURN void fatal(const char *fmt, ...) YL_PRINTF(1, 2);

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) YL_PRINTF(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Hand the bytes to the caller (who frees them); b is left empty. */
char *buf_detach(struct buf *b, size_t *len);

/* Formats into an error buffer that may be NULL; always returns -1. */
int set_error(char *err, size_t errlen, const char *fmt, ...) YL_PRINTF(3, 4);

/* Wall clock and monotonic clock. */
int64_t time_now_us(void);
int64_t mono_now_us(void);
/* "2026-11-29T08:56:00+08:00": UTC instants shown in Asia/Shanghai (fixed UTC+8, no DST). */
void time_format_local(int64_t unix_seconds, char *out, size_t outlen);
/* UTC timestamp text used in the store: "2026-11-29T00:56:00Z". */
void time_format_utc(int64_t unix_seconds, char *out, size_t outlen);
/* The current instant as store text (time_format_utc of now). */
void time_now_text(char out[32]);
/* Validates "YYYY-MM-DD" (a real calendar date). Returns 0 when valid. */
int date_valid(const char *s);
/* Today's date in Asia/Shanghai as "YYYY-MM-DD". */
void date_today_local(char out[11]);

/* Decimal parse of a whole string into [min,max]; returns 0 on success. */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* key (k bytes, k >= 1) in s (n bytes): its first position, or NULL (memmem without _GNU_SOURCE). */
const char *bytes_find(const char *s, size_t n, const char *key, size_t k);

/* True when s is valid UTF-8 without NUL and control characters other than \t\r\n. */
int utf8_valid_text(const char *s, size_t n);
/* True when s holds nothing but white space (ASCII, no-break space U+00A0, ideographic space U+3000). */
int text_blank(const char *s);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);

#endif
