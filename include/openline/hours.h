/* Times of day: ranges such as "22:00-06:00, 12:30-13:00" in local time ([display] off_hours).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_HOURS_H
#define OPENLINE_HOURS_H

#include <stdbool.h>
#include <stdint.h>

#define HOURS_MAX     8    /* ranges in one value */
#define HOURS_PER_DAY 1440 /* minutes */

/* Ranges of minutes since local midnight: from inclusive, to exclusive; from > to wraps past
 * midnight (22:00-06:00); from == to is never stored. n == 0: no range (never). */
struct hours {
    unsigned n;
    struct hours_range {
        uint16_t from, to; /* 0 .. HOURS_PER_DAY */
    } r[HOURS_MAX];
};

/* Parse "HH:MM-HH:MM" ranges separated by commas (spaces allowed around each part; 24:00 only
 * as an end) into h; "" gives no range. Returns NULL, or a short reason the value is refused
 * (h is then unspecified). Pure; any thread. */
const char *hours_parse(const char *s, struct hours *h);

/* Whether minute (0 .. HOURS_PER_DAY - 1 since local midnight) is inside one of h's ranges. */
bool hours_contains(const struct hours *h, unsigned minute);

/* Minutes from minute until hours_contains() next gives another answer (1 .. HOURS_PER_DAY), or
 * 0 when it never does (no range, or ranges covering the whole day). */
unsigned hours_next_change(const struct hours *h, unsigned minute);

/* The local time of wall_ms (ms since 1970, UTC) as minutes since local midnight, and the ms
 * left until the next whole local minute in *to_next_ms (may be NULL). Uses TZ. */
unsigned hours_local_minute(int64_t wall_ms, uint64_t *to_next_ms);

#endif
