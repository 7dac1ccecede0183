/* A pool of store connections: opened on demand up to a bound, lent to one thread at a time. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openline/log.h"

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
        log_info("database: %s", msg);

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
