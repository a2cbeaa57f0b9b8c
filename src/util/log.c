#include "util/log.h"

#include <stdio.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;

void log_set_level(enum log_level level)
{
	min_level = level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	struct buf b = BUF_INIT;
	char ts[32];
	va_list ap;

	if (level < min_level)
		return;
	time_format_utc(time_now_us() / 1000000, ts, sizeof(ts));
	buf_addf(&b, "%s level=%s msg=\"", ts, names[level]);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	buf_adds(&b, "\"\n");
	log_line(b.data, b.len);
	buf_release(&b);
}

void log_line(const char *line, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDERR_FILENO, line, len);
		if (n <= 0)
			return;
		line += n;
		len -= (size_t)n;
	}
}
