/* Group commit: one thread drains a queue of writes into one transaction at a time. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct writer {
    struct store *st;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work; /* a job was queued, or stop */
    pthread_cond_t done; /* a group finished */
    struct writer_job *head, *tail;
    bool stop;
};

static int writer_job_cmp(const void *a, const void *b)
{
    const struct writer_job *x = *(struct writer_job *const *)a;
    const struct writer_job *y = *(struct writer_job *const *)b;
    return (x->kiosk > y->kiosk) - (x->kiosk < y->kiosk);
}

static int writer_total_cmp(const void *a, const void *b)
{
    const struct store_total *x = a, *y = b;
    if (x->week != y->week)
        return (x->week > y->week) - (x->week < y->week);
    int c = strcmp(x->site, y->site);
    return c ? c : strcmp(x->name, y->name);
}

static int writer_noise_cmp(const void *a, const void *b)
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
static bool writer_per_site(const char *name)
{
    return !strcmp(name, "sessions") || !strcmp(name, "quick_exit") ||
           !strcmp(name, "read_aloud") || !strncmp(name, "call.", 5);
}

/* Sort rows and add up the ones with the same key, so each key appears once. */
static size_t writer_merge_totals(struct store_total *rows, size_t n)
{
    size_t out = 0;
    if (!n)
        return 0;
    qsort(rows, n, sizeof(*rows), writer_total_cmp);
    for (size_t i = 1; i < n; i++) {
        if (!writer_total_cmp(&rows[out], &rows[i]))
            rows[out].value += rows[i].value;
        else
            rows[++out] = rows[i];
    }
    return out + 1;
}

static size_t writer_merge_noise(struct store_noise *rows, size_t n)
{
    size_t out = 0;
    if (!n)
        return 0;
    qsort(rows, n, sizeof(*rows), writer_noise_cmp);
    for (size_t i = 1; i < n; i++) {
        if (!writer_noise_cmp(&rows[out], &rows[i]))
            rows[out].batches += rows[i].batches;
        else
            rows[++out] = rows[i];
    }
    return out + 1;
}

/* One transaction for all n jobs. Returns 0 with every job's res set, or the first error. */
static int writer_group(struct store *st, struct writer_job **jobs, size_t n)
{
    struct store_total *totals = NULL;
    struct store_noise *noise = NULL;
    size_t nt = 0, nn = 0, cap = 0;
    int err;

    for (size_t i = 0; i < n; i++) {
        if (jobs[i]->batch)
            cap += jobs[i]->batch->n * 2;
    }
    totals = calloc(cap ? cap : 1, sizeof(*totals));
    noise = calloc(n, sizeof(*noise));
    if (!totals || !noise) {
        err = ENOMEM;
        goto out;
    }

    if ((err = st->drv->begin(st)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct writer_job *j = jobs[i];
        if (j->hb) {
            if ((err = st->drv->heartbeat_put(st, j->kiosk, j->hb)))
                goto out;
            continue;
        }
        const struct ingest_batch *b = j->batch;
        if ((err = st->drv->batch_put(st, j->kiosk, b, &j->res)))
            goto out;
        if (j->res != STORE_PUT_STORED)
            continue;
        for (size_t c = 0; c < b->n; c++) {
            const char *name = b->counters[c].name;
            totals[nt++] = (struct store_total){b->week, STORE_ALL_SITES, name, b->counters[c].value};
            if (writer_per_site(name))
                totals[nt++] = (struct store_total){b->week, j->site, name, b->counters[c].value};
        }
        noise[nn++] = (struct store_noise){
            b->week, b->mech == INGEST_MECH_NONE ? "none" : "geometric", b->epsilon, 1};
    }
    nt = writer_merge_totals(totals, nt);
    nn = writer_merge_noise(noise, nn);
    if ((err = st->drv->totals_add(st, totals, nt)) || (err = st->drv->noise_add(st, noise, nn)))
        goto out;
    err = st->drv->commit(st);
out:
    if (err)
        st->drv->rollback(st);
    free(totals);
    free(noise);
    return err;
}

void writer_apply(struct store *st, struct writer_job **jobs, size_t n)
{
    /* Kiosk order: PostgreSQL takes a lock per kiosk, and every node takes them in this order. */
    qsort(jobs, n, sizeof(*jobs), writer_job_cmp);
    int err = writer_group(st, jobs, n);
    if (err && n > 1) {
        /* One bad job (or a race with another node) must not fail the others. */
        for (size_t i = 0; i < n; i++)
            jobs[i]->err = writer_group(st, &jobs[i], 1);
        return;
    }
    for (size_t i = 0; i < n; i++)
        jobs[i]->err = err;
}

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    struct writer_job *group[WRITER_GROUP_MAX];

    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->head && !w->stop)
            pthread_cond_wait(&w->work, &w->lock);
        if (!w->head && w->stop)
            break;
        size_t n = 0;
        while (w->head && n < WRITER_GROUP_MAX) {
            group[n++] = w->head;
            w->head = w->head->next;
        }
        if (!w->head)
            w->tail = NULL;
        pthread_mutex_unlock(&w->lock);

        writer_apply(w->st, group, n);

        pthread_mutex_lock(&w->lock);
        for (size_t i = 0; i < n; i++)
            group[i]->done = true;
        pthread_cond_broadcast(&w->done);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

int writer_start(struct writer **wp, struct store *st)
{
    struct writer *w = calloc(1, sizeof(*w));
    if (!w)
        return ENOMEM;
    w->st = st;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->done, NULL);
    int err = pthread_create(&w->thread, NULL, writer_main, w);
    if (err) {
        pthread_cond_destroy(&w->done);
        pthread_cond_destroy(&w->work);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return err;
    }
    *wp = w;
    return 0;
}

void writer_submit(struct writer *w, struct writer_job *job)
{
    job->done = false;
    job->next = NULL;
    pthread_mutex_lock(&w->lock);
    if (w->tail)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    pthread_cond_signal(&w->work);
    while (!job->done)
        pthread_cond_wait(&w->done, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

void writer_stop(struct writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->done);
    pthread_cond_destroy(&w->work);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
