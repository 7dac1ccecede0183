/* Calendar arithmetic for day numbers (proleptic Gregorian calendar, UTC). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/day.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil). */
static int32_t day_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void day_to_civil(int32_t z, int *yp, int *mp, int *dp)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp0 = (5 * doy + 2) / 153;
    int d = doy - (153 * mp0 + 2) / 5 + 1;
    int m = mp0 < 10 ? mp0 + 3 : mp0 - 9;
    *yp = yoe + era * 400 + (m <= 2);
    *mp = m;
    *dp = d;
}

static int day_digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return EINVAL;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int day_parse(const char *s, size_t len, int32_t *dayp)
{
    int y, m, d;

    if (!s || len != DAY_STR_LEN || s[4] != '-' || s[7] != '-')
        return EINVAL;
    if (day_digits(s, 4, &y) || day_digits(s + 5, 2, &m) || day_digits(s + 8, 2, &d))
        return EINVAL;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return EINVAL;

    int32_t day = day_from_civil(y, m, d);
    int ry, rm, rd;
    day_to_civil(day, &ry, &rm, &rd);
    /* 2026-02-30 comes back as March: not a real date. */
    if (ry != y || rm != m || rd != d)
        return EINVAL;
    if (day < DAY_MIN || day > DAY_MAX)
        return EINVAL;
    *dayp = day;
    return 0;
}

void day_format(int32_t day, char out[DAY_STR_LEN + 1])
{
    int y, m, d;
    day_to_civil(day, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = 0;
    snprintf(out, DAY_STR_LEN + 1, "%04d-%02d-%02d", y, m, d);
}

int day_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    return (int)(((day % 7) + 7 + 3) % 7);
}

int32_t day_monday(int32_t day)
{
    return day - day_weekday(day);
}

int32_t day_today(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int32_t)(ts.tv_sec / 86400);
}
