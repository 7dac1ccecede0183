/* Time buckets: which bucket a count made on a given day belongs in.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <time.h>

#include "counts_int.h"
#include "openline/day.h"

int64_t bucket_day_of(int64_t wall_ms)
{
    int64_t d = wall_ms / 86400000;
    return wall_ms < 0 && wall_ms % 86400000 ? d - 1 : d;
}

struct bucket bucket_for_day(int64_t day, int cfg_days, int64_t closed_until, int64_t open_start,
                             int open_days)
{
    if (open_days && day >= open_start && day < open_start + open_days)
        return (struct bucket){open_start, open_days};
    struct bucket b = {cfg_days == 7 ? day_monday((int32_t)day) : day, cfg_days};
    if (b.start >= closed_until)
        return b;
    if (day >= closed_until)
        return (struct bucket){day, 1};
    return (struct bucket){BUCKET_UNDATED_START, 0};
}

void bucket_format_time(int64_t wall_ms, char *out, size_t len)
{
    time_t t = (time_t)(wall_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, len, "%Y-%m-%d %H:%M UTC", &tm);
}

void bucket_label(const struct bucket *b, char *out, size_t len)
{
    char day[DAY_STR_LEN + 1];
    if (bucket_undated(b)) {
        snprintf(out, len, "undated");
        return;
    }
    day_format((int32_t)b->start, day);
    snprintf(out, len, "%s/%d", day, b->days);
}
