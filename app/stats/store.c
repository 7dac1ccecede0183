/* Choosing a storage driver from a URL, the default database, and a pool of connections. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slog.h"

int store_open(const char *url, bool create, struct store **stp, char *err, size_t errlen)
{
    const struct store_driver *drv;
    const char *target;
    struct store *st = NULL;
    int rc;

    if (!strncmp(url, "sqlite:", 7)) {
        drv = &store_sqlite;
        target = url + 7;
        if (!strncmp(target, "//", 2))
            target += 2; /* sqlite:///abs/path reads as /abs/path too */
        if (!*target) {
            snprintf(err, errlen, "--db %s: no file name after \"sqlite:\"", url);
            return EINVAL;
        }
    } else if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11)) {
        drv = &store_pg;
        target = url;
    } else {
        /* Print only the scheme part: a mistyped URL may carry a password. */
        int n = (int)strcspn(url, ":@/");
        snprintf(err, errlen,
                 "--db: unknown database \"%.*s…\" (expected sqlite:PATH or postgresql://…)",
                 n > 40 ? 40 : n, url);
        return EINVAL;
    }

    st = calloc(1, sizeof(*st));
    if (!st)
        return ENOMEM;
    st->drv = drv;
    st->priv = calloc(1, drv->priv_size);
    if (!st->priv) {
        free(st);
        return ENOMEM;
    }
    rc = drv->open(st, target, create, err, errlen);
    if (rc) {
        store_close(st);
        return rc;
    }
    *stp = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    st->drv->close(st);
    free(st->priv);
    free(st);
}

void store_default_url(char *out, size_t len)
{
    const char *dir = getenv("STATE_DIRECTORY");

    if (dir && *dir) {
        int n = (int)strcspn(dir, ":");
        snprintf(out, len, "sqlite:%.*s/stats.db", n, dir);
    } else {
        snprintf(out, len, "sqlite:/var/lib/openline-stats/stats.db");
    }
}

static int store_total_cmp(const void *a, const void *b)
{
    const struct store_total *x = a, *y = b;
    if (x->week != y->week)
        return (x->week > y->week) - (x->week < y->week);
    int c = strcmp(x->site, y->site);
    return c ? c : strcmp(x->name, y->name);
}

static int store_noise_cmp(const void *a, const void *b)
{
    const struct store_noise *x = a, *y = b;
    if (x->week != y->week)
        return (x->week > y->week) - (x->week < y->week);
    int c = strcmp(x->mech, y->mech);
    if (c)
        return c;
    return (x->epsilon > y->epsilon) - (x->epsilon < y->epsilon);
}

/* The counters every site gets its own roll-up rows for; the others only count for all sites. */
static bool store_per_site(const char *name)
{
    return !strcmp(name, "sessions") || !strcmp(name, "quick_exit") ||
           !strcmp(name, "read_aloud") || !strncmp(name, "call.", 5);
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
    struct store_noise *z = calloc(n ? n : 1, sizeof(*z));
    if (!t || !z) {
        free(t);
        free(z);
        return ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct ingest_batch *b = w[i].batch;
        if (!b || w[i].res != STORE_PUT_STORED)
            continue;
        for (size_t c = 0; c < b->n; c++) {
            const char *name = b->counters[c].name;
            t[nt++] = (struct store_total){b->week, STORE_ALL_SITES, name, b->counters[c].value};
            if (store_per_site(name))
                t[nt++] = (struct store_total){b->week, w[i].site, name, b->counters[c].value};
        }
        z[nn++] = (struct store_noise){b->week, b->mech == INGEST_MECH_NONE ? "none" : "geometric",
                                       b->epsilon, 1};
    }
    /* Sort, then add up the rows with the same key. */
    size_t out = 0;
    if (nt) {
        qsort(t, nt, sizeof(*t), store_total_cmp);
        for (size_t i = 1; i < nt; i++) {
            if (!store_total_cmp(&t[out], &t[i]))
                t[out].value += t[i].value;
            else
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

struct store_pool {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char *url;
    size_t max;
    size_t open; /* stores opened (lent or idle) */
    size_t idle; /* stores waiting in free */
    struct store **free;
};

int store_pool_alloc(struct store_pool **pp, const char *url, size_t max)
{
    struct store_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return ENOMEM;
    p->url = strdup(url);
    p->free = calloc(max, sizeof(*p->free));
    if (!p->url || !p->free) {
        free(p->url);
        free(p->free);
        free(p);
        return ENOMEM;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    p->max = max;
    *pp = p;
    return 0;
}

int store_pool_get(struct store_pool *p, struct store **stp)
{
    int err = 0;

    pthread_mutex_lock(&p->lock);
    while (!p->idle && p->open >= p->max)
        pthread_cond_wait(&p->cond, &p->lock);
    if (p->idle) {
        *stp = p->free[--p->idle];
        goto out;
    }
    p->open++;
    pthread_mutex_unlock(&p->lock);

    char msg[256];
    err = store_open(p->url, false, stp, msg, sizeof(msg));
    if (err)
        slog("database: %s", msg);

    pthread_mutex_lock(&p->lock);
    if (err) {
        p->open--;
        pthread_cond_signal(&p->cond);
        err = EIO;
    }
out:
    pthread_mutex_unlock(&p->lock);
    return err;
}

void store_pool_put(struct store_pool *p, struct store *st)
{
    pthread_mutex_lock(&p->lock);
    p->free[p->idle++] = st;
    pthread_cond_signal(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

void store_pool_free(struct store_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->idle; i++)
        store_close(p->free[i]);
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    free(p->free);
    free(p->url);
    free(p);
}
