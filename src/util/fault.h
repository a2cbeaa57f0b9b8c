/*
 * fault.h - why a domain operation failed, in terms a caller can act on.
 *
 * The domain fills a struct fault and returns -1; the api layer turns the kind
 * into an HTTP status and the rest into the JSON error body, the CLI prints it.
 * message is for people (lower-case, no full stop); field names the input at fault.
 */
#ifndef YL_FAULT_H
#define YL_FAULT_H

#include "util/util.h"

enum fault_kind {
	FAULT_NONE = 0,
	FAULT_INVALID,		/* 400: the input breaks a rule */
	FAULT_NOT_FOUND,	/* 404 */
	FAULT_CONFLICT,		/* 409: the state of the data forbids it */
	FAULT_FORBIDDEN,	/* 403 */
	FAULT_INTERNAL,		/* 500: the store failed */
	FAULT_BUSY,		/* 503 with Retry-After: the store was busy past its wait; nothing was done */
};

struct fault {
	enum fault_kind kind;
	char code[32];
	char field[64];
	char message[384];
};

/* Sets the fault (field may be NULL) and returns -1. */
int fault_set(struct fault *f, enum fault_kind kind, const char *field, const char *fmt, ...) YL_PRINTF(4, 5);
void fault_clear(struct fault *f);
/* Default machine-readable code of a kind: "invalid", "not_found", "conflict" ... */
const char *fault_code(enum fault_kind kind);
int fault_http_status(enum fault_kind kind);

#endif
