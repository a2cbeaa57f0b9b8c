/*
 * check.c - input checks, times for messages, and a store helper shared by the
 * work-order files.
 */
#include "workorder/wo_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

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
