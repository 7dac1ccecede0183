/* The staff dashboard: one server-rendered HTML page with inline SVG charts, and the log-in
 * page. No scripts, no fonts or files from elsewhere. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_DASHBOARD_H
#define STATS_DASHBOARD_H

#include <stdint.h>

#include "buf.h"
#include "report.h"

/* The period presets, by their ?period= names. */
enum dashboard_period {
    DASHBOARD_RANGE, /* from and to as given */
    DASHBOARD_THIS_QUARTER,
    DASHBOARD_LAST_QUARTER,
    DASHBOARD_LAST_12_MONTHS,
    DASHBOARD_THIS_YEAR,
    DASHBOARD_PERIODS
};
extern const char *const dashboard_period_names[DASHBOARD_PERIODS]; /* "", "this-quarter"… */

/* The days of period p as of today (p not DASHBOARD_RANGE). */
void dashboard_period_days(enum dashboard_period p, int32_t today, int32_t *from, int32_t *to);

struct dashboard_page {
    const struct report *r; /* its filter holds the range, sites and languages shown */
    const struct report_health *health;
    enum dashboard_period period;
    const char *filter_query; /* the sites and languages as URL query text ("site=A&lang=ar"),
                                 "" for none: kept by every link */
    int64_t now;              /* Unix seconds, for the statement's "generated" line */
    const char *staff;        /* who is signed in */
    const char *csrf;         /* token of the sign-out form */
};

/* Append the dashboard for p to out (out->err set when out of memory). Reads nothing but p: the
 * data come from report.c. */
void dashboard_render(struct buf *out, const struct dashboard_page *p);

/* Append the log-in page to out: a form posting name, password and csrf to /login. message, if
 * not NULL, is shown above the form (plain text, escaped here). */
void dashboard_login(struct buf *out, const char *csrf, const char *message);

#endif
