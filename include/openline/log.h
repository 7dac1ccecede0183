/* Logging to standard error: one line per message, prefixed with the program name.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_LOG_H
#define OPENLINE_LOG_H

#include <stdarg.h>

enum log_level {
    LOG_LEVEL_ERROR,
    LOG_LEVEL_WARN,
    LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG,
};

/* Set the program name printed before every line and the most verbose level printed.
 * Call once at start-up, before any thread starts. */
void log_init(const char *progname, enum log_level max_level);

/* Print one line ("openline: warning: ...") to stderr. Thread-safe (one write per line).
 * Never call on the audio callback. Messages never carry visitor data (docs/design.md 2.2). */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* log_msg() with its arguments in ap: what the call plug-in logs through (struct call_host). */
void log_vmsg(enum log_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
