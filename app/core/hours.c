/* Opening hours: "always" or "Mo-Fr 08:00-20:00, Sa 09:00-13:00", in the kiosk's local time.
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

/* One rule: days, then one or more time ranges. */
static const char *rule_parse(const char **pp, struct hours *h, char *why, size_t whylen)
{
    const char *p = skip_spaces(*pp);
    int from = day_of(p), to;
    if (from < 0) {
        snprintf(why, whylen, "'%.*s' is not a day (Mo Tu We Th Fr Sa Su)", word_len(p), p);
        return why;
    }
    p += 2;
    to = from;
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

bool hours_open(const struct hours *h, int wday, int minute)
{
    if (!h->set || h->always)
        return true;
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

bool hours_open_at(const struct hours *h, long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return true;
    return hours_open(h, (tm.tm_wday + 6) % 7, tm.tm_hour * 60 + tm.tm_min);
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
