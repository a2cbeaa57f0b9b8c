/*
 * check.c - input checks, times for messages, and a store helper shared by the
 * work-order files.
 */
#include "workorder/wo_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

int wo_check_text(const char *field, const char *v, size_t max_chars, int required, struct fault *f)
{
	if (!v) {
		if (required)
			return fault_set(f, FAULT_INVALID, field, "%s is required", field);
		return 0;
	}
	if (!utf8_valid_text(v, strlen(v)))
		return fault_set(f, FAULT_INVALID, field, "%s must be text without control characters", field);
	if (required && text_blank(v))
		return fault_set(f, FAULT_INVALID, field, "%s must not be blank", field);
	if (utf8_length(v) > max_chars)
		return fault_set(f, FAULT_INVALID, field, "%s is longer than %zu characters", field, max_chars);
	return 0;
}

void wo_local_text(int64_t unix_seconds, char out[32])
{
	char iso[40];

	/* "2025-10-09T23:59:59+08:00" -> "2025-10-09 23:59:59" */
	time_format_local(unix_seconds, iso, sizeof(iso));
	snprintf(out, 32, "%.10s %.8s", iso, iso + 11);
}

int64_t wo_now(void)
{
	return time_now_us() / 1000000;
}

int wo_exec(struct store_stmt *st)
{
	int rc = store_step(st);

	store_done(st);
	return rc == STORE_DONE || rc == STORE_ROW ? STORE_OK : rc;
}
