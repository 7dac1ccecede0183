/* Times of the week in local time: a hotline's opening hours ([organisation] hours: "always", or
 * "Mo-Fr 08:00-20:00, Sa 09:00-13:00") and the display's off hours ([display] off_hours:
 * "22:00-06:00", a rule without days holding for every day). Parsed from the configuration and
 * asked about a moment of the kiosk's local time.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_HOURS_H
#define OPENLINE_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOURS_MAX_RULES 16
#define HOURS_PER_DAY   1440 /* minutes */

/* One time range from minute `from` to minute `to` of each day day_from..day_to (0 = Monday ...
 * 6 = Sunday; day_to before day_from wraps through Sunday, "Sa-Mo"). to <= from: the range runs
 * past midnight into the next day and ends there at `to` ("22:00-02:00"); to = 1440 is the end of
 * the day ("24:00"). */
struct hours_rule {
    unsigned char day_from, day_to;
    unsigned short from, to;
};

struct hours {
    bool set;    /* the configuration states the times; false: nothing is said */
    bool always; /* "always": day and night, every day */
    unsigned n;
    struct hours_rule rules[HOURS_MAX_RULES];
};

/* What a value of hours accepts, for errors and the configuration reference. */
#define HOURS_SYNTAX                                                                               \
    "always, or rules separated by commas, each days and times in local time such as "             \
    "'Mo-Fr 08:00-20:00, Sa 09:00-13:00' (days Mo Tu We Th Fr Sa Su, one or a range, or none for " \
    "every day; one or more HH:MM-HH:MM ranges; 24:00 ends a day; an end before the start runs "   \
    "past midnight)"

/* Parse s into h. Returns NULL, or why s is refused ("Xy is not a day") with h unspecified. The
 * reason is a static string or written into why (whylen bytes). "" leaves h not set. */
const char *hours_parse(const char *s, struct hours *h, char *why, size_t whylen);

/* Whether minute (0..1439) of weekday wday (0 = Monday) of the local week is inside h's times:
 * false when h is not set, true for "always". */
bool hours_within(const struct hours *h, int wday, int minute);

/* Whether a hotline with opening hours h answers then: hours not set (nothing said) or within. */
bool hours_open(const struct hours *h, int wday, int minute);

/* hours_open at the local time of t (seconds since 1970; the kiosk's time zone). */
bool hours_open_at(const struct hours *h, long long t);

/* Minutes from minute of weekday wday until hours_within() next gives another answer (1 .. one
 * week), or 0 when it never does. */
unsigned hours_next_change(const struct hours *h, int wday, int minute);

/* The local weekday (0 = Monday) and minute of the day of wall_ms (ms since 1970, UTC), and the
 * ms left until the next whole local minute in *to_next_ms (may be NULL). Reads TZ again each
 * time, so a time zone set while the kiosk runs is seen. */
void hours_local(int64_t wall_ms, int *wday, int *minute, uint64_t *to_next_ms);

/* h back in the configuration's syntax (for self-test). */
void hours_format(const struct hours *h, char *buf, size_t len);

#endif
