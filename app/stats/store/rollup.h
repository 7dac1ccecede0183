/* The weekly roll-up of a group of writes: what the SQLite driver adds to its totals tables
 * (PostgreSQL's openline_write_group computes the same in SQL, in pg.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_STORE_ROLLUP_H
#define STATS_STORE_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One row of the weekly roll-up: the sum of counter name over every batch of the ISO week that
 * starts on day week, for one site, or for all sites when site is "" (STORE_ALL_SITES). */
struct store_total {
    int32_t week;
    const char *site;
    const char *name;
    int64_t value;
};
#define STORE_ALL_SITES ""

/* How many batches of a week declared a noise mechanism and epsilon (0 for "none"). */
struct store_noise {
    int32_t week;
    const char *mech;
    double epsilon;
    int64_t batches;
};

/* The roll-up rows of the writes w[i] that are batches with res STORE_PUT_STORED: every
 * counter summed per (week, "" for all sites, name), the six fixed counters also per (week,
 * site, name); and the batches per (week, mech, epsilon). Both sorted by key without repeats
 * (so concurrent writers lock rows in one order). Sets *tp, *ntp, *np, *nnp (free *tp and *np;
 * names point into the batches). Returns 0 or ENOMEM. */
int store_rollup(const struct store_write *w, size_t n, struct store_total **tp, size_t *ntp,
                 struct store_noise **np, size_t *nnp);

#endif
