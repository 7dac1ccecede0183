/* The weekly roll-up of a group of writes: what the SQLite driver adds to its totals tables
 * (PostgreSQL's openline_write_group computes the same in SQL, in pg.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_STORE_ROLLUP_H
#define STATS_STORE_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One row of the roll-up: the sum of counter name, and of its noise's variance (margin.h), over
 * every batch attributed to day, for one site, or for all sites when site is ""
 * (STORE_ALL_SITES).
 *
 * The day of attribution of a bucket: a day bucket's own day; a week bucket's Thursday (the ISO
 * 8601 rule that puts a week in a year), so that a week counts in exactly one month, quarter or
 * year and periods added together never count a week twice. A kiosk set up with day buckets gives
 * exact months. */
struct store_total {
    int32_t day;
    const char *site;
    const char *name;
    int64_t value;
    double var;
};
#define STORE_ALL_SITES ""

/* How many batches attributed to day, of one site or of all (""), declared a noise mechanism and
 * epsilon (0 for "none"). */
struct store_noise {
    int32_t day;
    const char *site;
    const char *mech;
    double epsilon;
    int64_t batches;
};

/* The day of attribution of a bucket starting on start, days long (1 or 7). */
static inline int32_t store_attribution_day(int32_t start, int days)
{
    return days == 7 ? start + 3 : start;
}

/* The roll-up rows of the writes w[i] that are batches with res STORE_PUT_STORED: every counter
 * summed per (site and "" for all sites, name, day of attribution); and the batches per (site
 * and "", day, mech, epsilon). Both sorted by key without repeats (so concurrent writers lock
 * rows in one order). Sets *tp, *ntp, *np, *nnp (free *tp and *np; names point into the
 * batches). Returns 0 or ENOMEM. */
int store_rollup(const struct store_write *w, size_t n, struct store_total **tp, size_t *ntp,
                 struct store_noise **np, size_t *nnp);

#endif
