/* Monotonic and wall-clock time, with a virtual clock for scripted tests.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_CLOCK_H
#define OPENLINE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Milliseconds on the monotonic clock (CLOCK_MONOTONIC), or on the virtual clock once
 * clock_use_virtual() was called. Any thread. */
uint64_t clock_now_ms(void);

/* UTC wall-clock time in milliseconds since 1970-01-01 (CLOCK_REALTIME), or the virtual
 * clock's wall time. Whether it can be trusted is the counts module's business
 * (app/counts/trust.c). Any thread. */
int64_t clock_wall_ms(void);

/* Milliseconds on CLOCK_BOOTTIME (runs through suspend; starts again at every boot), or the
 * virtual clock. Any thread. */
uint64_t clock_boot_ms(void);

/* Switch to a virtual clock that starts at the current monotonic time and at UTC wall time
 * wall_ms, and moves only through clock_advance(). For `openline play --test-clock`. Call
 * before any thread reads the clock. */
void clock_use_virtual(int64_t wall_ms);
bool clock_is_virtual(void);

/* Move the virtual clock forward by ms, then call the advance hook. No effect on the real
 * clock. UI thread. */
void clock_advance(uint64_t ms);

/* One function called after every clock_advance() (on the advancing thread), so that a thread
 * waiting for a virtual time wakes up; NULL removes it. */
void clock_set_advance_hook(void (*fn)(void *arg), void *arg);

/* Parse a duration such as "250ms", "20s", "5m", "2h", "1d" or a bare number of seconds.
 * Returns 0 and sets *ms, or EINVAL. */
int clock_parse_duration(const char *s, uint64_t *ms);

/* Parse a UTC time "YYYY-MM-DDTHH:MMZ" (also "YYYY-MM-DD", midnight) from 2000 to 2999.
 * Returns 0 and sets *ms (since 1970), or EINVAL. */
int clock_parse_utc(const char *s, int64_t *ms);

#endif
