/* The weekly roll-up of a group of writes, summed and sorted in memory (SQLite driver). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "rollup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "margin.h"

static int store_total_cmp(const void *a, const void *b)
{
    const struct store_total *x = a, *y = b;
    int c = strcmp(x->site, y->site);
    if (c)
        return c;
    if ((c = strcmp(x->name, y->name)))
        return c;
    return (x->day > y->day) - (x->day < y->day);
}

static int store_noise_cmp(const void *a, const void *b)
{
    const struct store_noise *x = a, *y = b;
    int c = strcmp(x->site, y->site);
    if (c)
        return c;
    if (x->day != y->day)
        return (x->day > y->day) - (x->day < y->day);
    if ((c = strcmp(x->mech, y->mech)))
        return c;
    return (x->epsilon > y->epsilon) - (x->epsilon < y->epsilon);
}

int store_rollup(const struct store_write *w, size_t n, struct store_total **tp, size_t *ntp,
                 struct store_noise **np, size_t *nnp)
{
    size_t cap = 0, nt = 0, nn = 0;

    for (size_t i = 0; i < n; i++) {
        if (w[i].batch)
            cap += w[i].batch->n * 2;
    }
    struct store_total *t = calloc(cap ? cap : 1, sizeof(*t));
    struct store_noise *z = calloc(n ? 2 * n : 1, sizeof(*z));
    if (!t || !z) {
        free(t);
        free(z);
        return ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct ingest_batch *b = w[i].batch;
        if (!b || w[i].res != STORE_PUT_STORED)
            continue;
        int32_t day = store_attribution_day(b->start, b->days);
        double var = report_noise_var(b->mech == INGEST_MECH_NONE ? 0 : b->epsilon);
        for (size_t c = 0; c < b->n; c++) {
            const char *name = b->counters[c].name;
            int64_t v = b->counters[c].value;
            t[nt++] = (struct store_total){day, STORE_ALL_SITES, name, v, var};
            t[nt++] = (struct store_total){day, w[i].site, name, v, var};
        }
        const char *mech = b->mech == INGEST_MECH_NONE ? "none" : "geometric";
        z[nn++] = (struct store_noise){day, STORE_ALL_SITES, mech, b->epsilon, 1};
        z[nn++] = (struct store_noise){day, w[i].site, mech, b->epsilon, 1};
    }
    /* Sort, then add up the rows with the same key. */
    size_t out = 0;
    if (nt) {
        qsort(t, nt, sizeof(*t), store_total_cmp);
        for (size_t i = 1; i < nt; i++) {
            if (!store_total_cmp(&t[out], &t[i])) {
                t[out].value += t[i].value;
                t[out].var += t[i].var;
            } else
                t[++out] = t[i];
        }
        nt = out + 1;
    }
    out = 0;
    if (nn) {
        qsort(z, nn, sizeof(*z), store_noise_cmp);
        for (size_t i = 1; i < nn; i++) {
            if (!store_noise_cmp(&z[out], &z[i]))
                z[out].batches += z[i].batches;
            else
                z[++out] = z[i];
        }
        nn = out + 1;
    }
    *tp = t;
    *ntp = nt;
    *np = z;
    *nnp = nn;
    return 0;
}
