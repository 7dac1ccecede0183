/* Logging to standard error, one write per line so threads do not interleave.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/log.h"

#include <stdio.h>
#include <unistd.h>

static const char *log_prog = "openline";
static enum log_level log_max = LOG_LEVEL_INFO;

void log_init(const char *progname, enum log_level max_level)
{
    log_prog = progname;
    log_max = max_level;
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
    static const char *const prefix[] = {"error: ", "warning: ", "", "debug: "};
    char line[1024];

    if (level > log_max)
        return;
    int n = snprintf(line, sizeof(line), "%s: %s", log_prog, prefix[level]);
    if (n < 0)
        return;
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    if (m < 0)
        return;
    size_t len = (size_t)n + (size_t)m;
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    (void)!write(STDERR_FILENO, line, len);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}
