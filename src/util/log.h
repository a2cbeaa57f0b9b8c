/*
 * log.h - the server's own lines on stderr: one line each, UTC time first.
 * Library-like modules (store, csv, domain) do not log; they return errors.
 */
#ifndef YL_LOG_H
#define YL_LOG_H

#include "util/util.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) YL_PRINTF(2, 3);
/* A preformatted line (the access log), written with one write(2). */
void log_line(const char *line, size_t len);

#endif
