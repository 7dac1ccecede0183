/* One-line log messages on standard error. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "slog.h"

#include <stdarg.h>
#include <stdio.h>

void slog(const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    /* One fprintf call: stdio locks the stream, so lines from threads do not interleave. */
    fprintf(stderr, "openline-stats: %s\n", line);
}
