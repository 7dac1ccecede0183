/* Monotonic milliseconds, and a virtual clock for scripted tests.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/clock.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool clock_virtual;
static uint64_t clock_virtual_ms;

static uint64_t clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t clock_now_ms(void)
{
    return clock_virtual ? clock_virtual_ms : clock_mono_ms();
}

void clock_use_virtual(void)
{
    clock_virtual_ms = clock_mono_ms();
    clock_virtual = true;
}

bool clock_is_virtual(void)
{
    return clock_virtual;
}

void clock_advance(uint64_t ms)
{
    clock_virtual_ms += ms;
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
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (!strcmp(end, units[i].unit)) {
            *ms = v * units[i].ms;
            return 0;
        }
    }
    return EINVAL;
}
