/* Monotonic and wall-clock milliseconds, and a virtual clock for scripted tests.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/clock.h"

#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "openline/day.h"
#include "openline/util.h"

/* The virtual clock is read by the counts thread too: atomics, written by the UI thread. */
static atomic_bool clock_virtual;
static _Atomic uint64_t clock_virtual_ms;    /* the virtual monotonic time */
static _Atomic uint64_t clock_virtual_start; /* clock_virtual_ms when it began */
static _Atomic int64_t clock_virtual_wall;   /* wall time when it began */
static void (*clock_hook)(void *);
static void *clock_hook_arg;

static uint64_t clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t clock_now_ms(void)
{
    return clock_virtual ? clock_virtual_ms : clock_ms(CLOCK_MONOTONIC);
}

int64_t clock_wall_ms(void)
{
    if (clock_virtual)
        return clock_virtual_wall + (int64_t)(clock_virtual_ms - clock_virtual_start);
    return (int64_t)clock_ms(CLOCK_REALTIME);
}

uint64_t clock_boot_ms(void)
{
    return clock_virtual ? clock_virtual_ms : clock_ms(CLOCK_BOOTTIME);
}

void clock_use_virtual(int64_t wall_ms)
{
    uint64_t now = clock_ms(CLOCK_MONOTONIC);
    clock_virtual_ms = now;
    clock_virtual_start = now;
    clock_virtual_wall = wall_ms;
    clock_virtual = true;
}

bool clock_is_virtual(void)
{
    return clock_virtual;
}

void clock_advance(uint64_t ms)
{
    clock_virtual_ms += ms;
    if (clock_hook)
        clock_hook(clock_hook_arg);
}

void clock_set_advance_hook(void (*fn)(void *arg), void *arg)
{
    clock_hook = fn;
    clock_hook_arg = arg;
}

int clock_parse_duration(const char *s, uint64_t *ms)
{
    static const struct {
        const char *unit;
        uint64_t ms;
    } units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}, {"", 1000}};
    char *end;

    if (!s || !isdigit((unsigned char)*s))
        return EINVAL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || v > 1000000000ull)
        return EINVAL;
    for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
        if (!strcmp(end, units[i].unit)) {
            *ms = v * units[i].ms;
            return 0;
        }
    }
    return EINVAL;
}

int clock_parse_utc(const char *s, int64_t *ms)
{
    int32_t day;
    unsigned h = 0, mi = 0;
    char tail;
    int k = 0;

    if (!s || strlen(s) < DAY_STR_LEN || day_parse(s, DAY_STR_LEN, &day))
        return EINVAL;
    if (s[DAY_STR_LEN]) {
        if (sscanf(s + DAY_STR_LEN, "T%2u:%2u%c%n", &h, &mi, &tail, &k) != 3 || tail != 'Z' ||
            k != 7 || s[DAY_STR_LEN + k] || h > 23 || mi > 59)
            return EINVAL;
    }
    *ms = ((int64_t)day * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60) * 1000;
    return 0;
}
