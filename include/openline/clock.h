/* Monotonic time for the UI, with a virtual clock for scripted tests.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_CLOCK_H
#define OPENLINE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Milliseconds on the monotonic clock (CLOCK_MONOTONIC), or on the virtual clock once
 * clock_use_virtual() was called. UI thread only. */
uint64_t clock_now_ms(void);

/* Switch to a virtual clock that starts at the current monotonic time and moves only through
 * clock_advance(). For `openline play --test-clock`. */
void clock_use_virtual(void);
bool clock_is_virtual(void);

/* Move the virtual clock forward by ms. No effect on the real clock. */
void clock_advance(uint64_t ms);

/* Parse a duration such as "250ms", "20s", "5m", "2h", "1d" or a bare number of seconds.
 * Returns 0 and sets *ms, or EINVAL. */
int clock_parse_duration(const char *s, uint64_t *ms);

#endif
