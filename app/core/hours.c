/* Times of the week: "always", "Mo-Fr 08:00-20:00, Sa 09:00-13:00" or "22:00-06:00" (every day),
 * in the kiosk's local time.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/hours.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char day_names[7][3] = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};

/* Two letters and no third: "Mon" is refused, not read as Mo. */
static int day_of(const char *s)
{
    for (int d = 0; d < 7; d++) {
        if (s[0] == day_names[d][0] && s[1] == day_names[d][1] &&
            !((s[2] >= 'a' && s[2] <= 'z') || (s[2] >= 'A' && s[2] <= 'Z')))
            return d;
    }
    return -1;
}

/* The word at s (letters), for messages. */
static int word_len(const char *s)
{
    int n = 0;
    while (n < 12 && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
        n++;
    return n ? n : 2;
}

/* "HH:MM" at *p (end: 24:00 allowed), moving *p past it; minutes, or -1. */
static int time_of(const char **p, bool end)
{
    const char *s = *p;
    if (!(s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' && s[3] >= '0' &&
          s[3] <= '5' && s[4] >= '0' && s[4] <= '9'))
        return -1;
    int m = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 1440 || (m == 1440 && !end))
        return -1;
    *p = s + 5;
    return m;
}

static const char *skip_spaces(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* One rule: days (none: every day), then one or more time ranges. */
static const char *rule_parse(const char **pp, struct hours *h, char *why, size_t whylen)
{
    const char *p = skip_spaces(*pp);
    int from = day_of(p), to = from;
    if (from < 0 && *p >= '0' && *p <= '9') {
        from = 0; /* times without days: every day, Mo-Su */
        to = 6;
    } else if (from < 0) {
        snprintf(why, whylen, "'%.*s' is not a day (Mo Tu We Th Fr Sa Su) or a time HH:MM",
                 word_len(p), p);
        return why;
    } else {
        p += 2;
        if (*p == '-') {
            if ((to = day_of(p + 1)) < 0) {
                snprintf(why, whylen, "'%.*s' after '%s-' is not a day (Mo Tu We Th Fr Sa Su)",
                         word_len(p + 1), p + 1, day_names[from]);
                return why;
            }
            p += 3;
        }
        if (*p != ' ' && *p != '\t')
            return "days must be followed by a space and times such as 08:00-20:00";
    }
    unsigned ranges = 0;
    for (p = skip_spaces(p); *p && *p != ','; p = skip_spaces(p)) {
        int a = time_of(&p, false), b;
        if (a < 0)
            return "a time is HH:MM from 00:00 to 23:59 (24:00 only as an end)";
        if (*p != '-')
            return "a time range is HH:MM-HH:MM, such as 08:00-20:00";
        p++;
        if ((b = time_of(&p, true)) < 0)
            return "a time is HH:MM from 00:00 to 23:59 (24:00 only as an end)";
        if (a == b)
            return "a time range that starts where it ends is empty (a whole day is "
                   "00:00-24:00)";
        if (h->n == HOURS_MAX_RULES)
            return "too many time ranges (at most 16)";
        h->rules[h->n++] = (struct hours_rule){(unsigned char)from, (unsigned char)to,
                                               (unsigned short)a, (unsigned short)b};
        ranges++;
        if (*p && *p != ' ' && *p != '\t' && *p != ',')
            return "a time range is HH:MM-HH:MM, such as 08:00-20:00";
    }
    if (!ranges)
        return "days without times (such as Mo-Fr 08:00-20:00)";
    *pp = p;
    return NULL;
}

const char *hours_parse(const char *s, struct hours *h, char *why, size_t whylen)
{
    memset(h, 0, sizeof(*h));
    const char *p = skip_spaces(s);
    if (!*p)
        return NULL; /* empty: not set, nothing said */
    h->set = true;
    if (!strcmp(p, "always")) {
        h->always = true;
        return NULL;
    }
    for (;;) {
        const char *bad = rule_parse(&p, h, why, whylen);
        if (bad)
            return bad;
        if (!*p)
            return NULL;
        p++; /* the comma */
        if (!*skip_spaces(p))
            return "a comma must be followed by another rule";
    }
}

/* Whether rule r covers day d (d inside day_from..day_to, wrapping through Sunday). */
static bool rule_day(const struct hours_rule *r, int d)
{
    if (r->day_from <= r->day_to)
        return d >= r->day_from && d <= r->day_to;
    return d >= r->day_from || d <= r->day_to;
}

bool hours_within(const struct hours *h, int wday, int minute)
{
    if (!h->set || h->always)
        return h->set;
    for (unsigned i = 0; i < h->n; i++) {
        const struct hours_rule *r = &h->rules[i];
        if (r->from < r->to) {
            if (rule_day(r, wday) && minute >= r->from && minute < r->to)
                return true;
        } else if ((rule_day(r, wday) && minute >= r->from) ||
                   (rule_day(r, (wday + 6) % 7) && minute < r->to)) {
            return true; /* past midnight: begun the day before */
        }
    }
    return false;
}

bool hours_open(const struct hours *h, int wday, int minute)
{
    return !h->set || hours_within(h, wday, minute);
}

bool hours_open_at(const struct hours *h, long long t)
{
    int wday, minute;
    hours_local((int64_t)t * 1000, &wday, &minute, NULL);
    return hours_open(h, wday, minute);
}

unsigned hours_next_change(const struct hours *h, int wday, int minute)
{
    bool now = hours_within(h, wday, minute);
    /* A minute at a time through one week: simple, and at most 10,080 steps once a minute. */
    for (unsigned d = 1; d <= 7 * HOURS_PER_DAY; d++) {
        unsigned m = (unsigned)minute + d;
        if (hours_within(h, (int)((unsigned)wday + m / HOURS_PER_DAY) % 7,
                         (int)(m % HOURS_PER_DAY)) != now)
            return d;
    }
    return 0;
}

void hours_local(int64_t wall_ms, int *wday, int *minute, uint64_t *to_next_ms)
{
    time_t t = (time_t)(wall_ms / 1000);
    struct tm tm;
    tzset(); /* localtime_r need not: a time zone set while the kiosk runs is then seen */
    if (!localtime_r(&t, &tm))
        gmtime_r(&t, &tm);
    *wday = (tm.tm_wday + 6) % 7;
    *minute = tm.tm_hour * 60 + tm.tm_min;
    if (to_next_ms)
        *to_next_ms = (uint64_t)(60 - tm.tm_sec) * 1000 - (uint64_t)(wall_ms % 1000);
}

void hours_format(const struct hours *h, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    if (!h->set)
        return;
    if (h->always) {
        snprintf(buf, len, "always");
        return;
    }
    for (unsigned i = 0; i < h->n && n < len; i++) {
        const struct hours_rule *r = &h->rules[i];
        int w = snprintf(buf + n, len - n, "%s%s%s%s %02d:%02d-%02d:%02d", i ? ", " : "",
                         day_names[r->day_from], r->day_from == r->day_to ? "" : "-",
                         r->day_from == r->day_to ? "" : day_names[r->day_to], r->from / 60,
                         r->from % 60, r->to / 60, r->to % 60);
        if (w < 0)
            break;
        n += (size_t)w;
    }
}
