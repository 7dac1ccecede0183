/* Times of day: "22:00-06:00, 12:30-13:00" ranges in local time, for the display's off hours.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/hours.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

/* "HH:MM" at *p (spaces before and after skipped), 00:00 to 23:59, or 24:00 when end; advances
 * *p past it. Returns the minute, or -1. */
static int parse_time(const char **p, bool end)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
        !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m || !end)))
        return -1;
    s += 5;
    while (*s == ' ' || *s == '\t')
        s++;
    *p = s;
    return h * 60 + m;
}

const char *hours_parse(const char *s, struct hours *h)
{
    memset(h, 0, sizeof(*h));
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return NULL;
    for (;;) {
        int from = parse_time(&p, false);
        if (from < 0)
            return "a range does not start with a time HH:MM (00:00 to 23:59)";
        if (*p++ != '-')
            return "a range is not two times joined by '-', such as 22:00-06:00";
        int to = parse_time(&p, true);
        if (to < 0)
            return "a range does not end with a time HH:MM (00:00 to 24:00)";
        if (from == to)
            return "a range starts and ends at the same time";
        if (h->n == HOURS_MAX)
            return "more than 8 ranges";
        h->r[h->n].from = (uint16_t)from;
        h->r[h->n++].to = (uint16_t)to;
        if (!*p)
            return NULL;
        if (*p++ != ',')
            return "ranges are not separated by commas";
    }
}

bool hours_contains(const struct hours *h, unsigned minute)
{
    for (unsigned i = 0; i < h->n; i++) {
        unsigned from = h->r[i].from, to = h->r[i].to;
        if (from < to ? minute >= from && minute < to : minute >= from || minute < to)
            return true;
    }
    return false;
}

unsigned hours_next_change(const struct hours *h, unsigned minute)
{
    bool now = hours_contains(h, minute % HOURS_PER_DAY);
    for (unsigned d = 1; d <= HOURS_PER_DAY; d++) {
        if (hours_contains(h, (minute + d) % HOURS_PER_DAY) != now)
            return d;
    }
    return 0;
}

unsigned hours_local_minute(int64_t wall_ms, uint64_t *to_next_ms)
{
    time_t t = (time_t)(wall_ms / 1000);
    struct tm tm;
    tzset(); /* localtime_r need not: a time zone set while the kiosk runs is then seen */
    if (!localtime_r(&t, &tm))
        gmtime_r(&t, &tm);
    if (to_next_ms)
        *to_next_ms = (uint64_t)(60 - tm.tm_sec) * 1000 - (uint64_t)(wall_ms % 1000);
    return (unsigned)(tm.tm_hour * 60 + tm.tm_min);
}
