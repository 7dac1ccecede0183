/* A hotline's opening hours ([organisation] hours): parsed from the configuration, asked whether
 * the hotline answers at a local time.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_HOURS_H
#define OPENLINE_HOURS_H

#include <stdbool.h>
#include <stddef.h>

#define HOURS_MAX_RULES 16

/* One opening: from minute `from` to minute `to` of each day day_from..day_to (0 = Monday ...
 * 6 = Sunday; day_to before day_from wraps through Sunday, "Sa-Mo"). to <= from: the opening
 * runs past midnight into the next day and ends there at `to` ("22:00-02:00"); to = 1440 is the
 * end of the day ("24:00"). */
struct hours_rule {
    unsigned char day_from, day_to;
    unsigned short from, to;
};

struct hours {
    bool set;    /* the configuration states the hours; false: nothing is said, calls always go */
    bool always; /* "always": day and night, every day */
    unsigned n;
    struct hours_rule rules[HOURS_MAX_RULES];
};

/* What `hours` accepts, for errors and the configuration reference. */
#define HOURS_SYNTAX                                                                               \
    "always, or rules separated by commas, each days and times in local time such as "             \
    "'Mo-Fr 08:00-20:00, Sa 09:00-13:00' (days Mo Tu We Th Fr Sa Su, one or a range; one or more " \
    "HH:MM-HH:MM ranges; 24:00 ends a day; an end before the start runs past midnight)"

/* Parse s into h. Returns NULL, or why s is refused ("Xy is not a day") with h unspecified. The
 * reason is a static string or written into why (whylen bytes). */
const char *hours_parse(const char *s, struct hours *h, char *why, size_t whylen);

/* Whether the hotline answers on weekday wday (0 = Monday) at minute (0..1439) of the local day.
 * Hours not set, or "always": true. */
bool hours_open(const struct hours *h, int wday, int minute);

/* The same at the local time of t (seconds since 1970; the kiosk's time zone). */
bool hours_open_at(const struct hours *h, long long t);

/* The hours back in the configuration's syntax (for self-test). */
void hours_format(const struct hours *h, char *buf, size_t len);

#endif
