/* Calendar days as integers (days since 1970-01-01, UTC), shared by the kiosk (count buckets)
 * and the collector (buckets, weeks, date ranges).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_DAY_H
#define OPENLINE_DAY_H

#include <stddef.h>
#include <stdint.h>

/* Length of "YYYY-MM-DD" without the terminating NUL. */
#define DAY_STR_LEN 10

/* Earliest and latest day accepted anywhere: 2000-01-01 and 2999-12-31. */
#define DAY_MIN 10957
#define DAY_MAX 376199

/* Parse exactly len bytes of s as "YYYY-MM-DD" (a real calendar date between DAY_MIN and
 * DAY_MAX, nothing before or after) into *dayp. Returns 0, or EINVAL leaving *dayp untouched. */
int day_parse(const char *s, size_t len, int32_t *dayp);

/* Write day as "YYYY-MM-DD" with a NUL into out. */
void day_format(int32_t day, char out[DAY_STR_LEN + 1]);

/* Day of the week of day: 0 for Monday through 6 for Sunday. */
int day_weekday(int32_t day);

/* The Monday on or before day: the first day of its ISO week. */
int32_t day_monday(int32_t day);

/* Today by the system clock (UTC). Any thread. */
int32_t day_today(void);

#endif
