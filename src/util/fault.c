#include "util/fault.h"

#include <stdio.h>
#include <string.h>

int fault_set(struct fault *f, enum fault_kind kind, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!f)
		return -1;
	f->kind = kind;
	snprintf(f->code, sizeof(f->code), "%s", fault_code(kind));
	snprintf(f->field, sizeof(f->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	return -1;
}

void fault_clear(struct fault *f)
{
	memset(f, 0, sizeof(*f));
}

const char *fault_code(enum fault_kind kind)
{
	switch (kind) {
	case FAULT_NONE:
		return "ok";
	case FAULT_INVALID:
		return "invalid";
	case FAULT_NOT_FOUND:
		return "not_found";
	case FAULT_CONFLICT:
		return "conflict";
	case FAULT_FORBIDDEN:
		return "forbidden";
	case FAULT_BUSY:
		return "busy";
	case FAULT_INTERNAL:
		break;
	}
	return "internal";
}

int fault_http_status(enum fault_kind kind)
{
	switch (kind) {
	case FAULT_NONE:
		return 200;
	case FAULT_INVALID:
		return 400;
	case FAULT_NOT_FOUND:
		return 404;
	case FAULT_CONFLICT:
		return 409;
	case FAULT_FORBIDDEN:
		return 403;
	case FAULT_BUSY:
		return 503;
	case FAULT_INTERNAL:
		break;
	}
	return 500;
}
