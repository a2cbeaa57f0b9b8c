/*
 * strmap.h - a small map from string keys (copied) to int64 values: open
 * addressing with FNV-1a, grown as needed.  The CSV importers and exporters
 * index names, paths and numbers with it.
 */
#ifndef YL_STRMAP_H
#define YL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap {
	char **keys;
	int64_t *vals;
	size_t cap;
	size_t n;
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
/* 1 and *val when key is there, 0 when not (val may be NULL). */
int strmap_get(const struct strmap *m, const char *key, int64_t *val);
/* Sets key to val, adding it or replacing its value. */
void strmap_put(struct strmap *m, const char *key, int64_t val);

#endif
