/* The dashboard's charts: weekly bars with the 95 % range as a whisker, and horizontal bars of
 * named rows. Each chart is drawn for people who cannot see it too: a role="img" with a label
 * here, and a text summary and a table of its values in dashboard.c. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_CHART_H
#define STATS_CHART_H

#include <stdint.h>

#include "buf.h"
#include "report.h"

/* Append n written as 12,345 (the sign when negative). */
void chart_int(struct buf *out, int64_t n);

/* A round axis maximum at or above v (1, 2 or 5 times a power of ten) and its number of equal
 * steps with round labels. */
int64_t chart_axis(int64_t v, int *steps);

/* Vertical bars per week of r for one or two counters side by side, each with a whisker over its
 * 95 % range. Weeks without data say "no data"; suppressed cells draw a flat grey mark; weeks whose
 * coverage changed (a kiosk new, silent or revoked) get a marker under the axis. ytitle names the
 * y axis with its unit. */
void chart_weeks(struct buf *out, const struct report *r, const enum report_counter *series,
                 int nseries, const char *label, const char *ytitle);

/* Horizontal bars of rows (v[0] or v[counter]), in HTML so names wrap whole: name, bar with its
 * whisker, the figure with its range and share of total (total 0: no share). */
void chart_hbars(struct buf *out, const struct report_row *rows, size_t n, int counter,
                 const char *const *names, int64_t total, const char *label);

#endif
