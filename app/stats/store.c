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

struct store_pool {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char *url;
    size_t max;
    size_t open;       /* stores opened (lent or idle) */
    size_t idle;       /* stores waiting in free */
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
