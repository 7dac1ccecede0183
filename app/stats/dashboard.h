/* The staff dashboard: one server-rendered HTML page with inline SVG charts, and the log-in
 * page. No scripts, no fonts or files from elsewhere. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_DASHBOARD_H
#define STATS_DASHBOARD_H

#include <stdint.h>

#include "buf.h"
#include "report.h"

struct dashboard_page {
    const struct report *r;
    const struct report_health *health;
    int32_t from_day, to_day; /* the range asked for */
    int32_t today;
    const char *staff; /* who is signed in */
    const char *csrf;  /* token of the sign-out form */
};

/* Append the dashboard for p to out (out->err set when out of memory). Reads nothing but p: the
 * data come from report.c. */
void dashboard_render(struct buf *out, const struct dashboard_page *p);

/* Append the log-in page to out: a form posting name, password and csrf to /login. message, if
 * not NULL, is shown above the form (plain text, escaped here). */
void dashboard_login(struct buf *out, const char *csrf, const char *message);

#endif
