/* Group commit: one thread drains a queue of writes into one transaction at a time, and deletes
 * expired staff sessions every WRITER_SWEEP_S. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "openline/clock.h"

struct writer {
    struct store *st;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work; /* a job was queued, or stop (on CLOCK_MONOTONIC) */
    struct writer_job *head, *tail;
    bool stop;
    int64_t sweep_ms; /* between two deletions of expired sessions */
};

/* WRITER_SWEEP_S, or for tests OPENLINE_STATS_SESSION_SWEEP_S (1 to 86400 seconds). */
static int64_t writer_sweep_ms(void)
{
    const char *env = getenv("OPENLINE_STATS_SESSION_SWEEP_S");
    if (env && *env) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(env, &end, 10);
        if (!errno && !*end && v >= 1 && v <= 86400)
            return (int64_t)v * 1000;
    }
    return (int64_t)WRITER_SWEEP_S * 1000;
}

static int writer_job_cmp(const void *a, const void *b)
{
    const struct writer_job *x = *(struct writer_job *const *)a;
    const struct writer_job *y = *(struct writer_job *const *)b;
    return (x->w.kiosk > y->w.kiosk) - (x->w.kiosk < y->w.kiosk);
}

/* One transaction for all n jobs. */
static int writer_group(struct store *st, struct writer_job **jobs, size_t n)
{
    struct store_write *w = calloc(n, sizeof(*w));
    if (!w)
        return ENOMEM;
    for (size_t i = 0; i < n; i++)
        w[i] = jobs[i]->w;
    int err = store_write_group(st, w, n);
    for (size_t i = 0; !err && i < n; i++)
        jobs[i]->w.res = w[i].res;
    free(w);
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
    /* Once at start: sessions that expired while stopped. */
    int64_t sweep_at = (int64_t)clock_now_ms();

    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->head && !w->stop && (int64_t)clock_now_ms() < sweep_at) {
            struct timespec ts = {.tv_sec = (time_t)(sweep_at / 1000),
                                  .tv_nsec = (long)(sweep_at % 1000) * 1000000};
            pthread_cond_timedwait(&w->work, &w->lock, &ts);
        }
        if (!w->head && w->stop)
            break;
        if ((int64_t)clock_now_ms() >= sweep_at) {
            /* Expired sessions go now, not only when someone signs in next: one short DELETE,
             * which a job queued meanwhile waits for. A failure is logged by the driver. */
            pthread_mutex_unlock(&w->lock);
            (void)store_session_prune(w->st, (int64_t)time(NULL));
            sweep_at = (int64_t)clock_now_ms() + w->sweep_ms;
            pthread_mutex_lock(&w->lock);
            continue;
        }
        size_t n = 0;
        while (w->head && n < WRITER_GROUP_MAX) {
            group[n++] = w->head;
            w->head = w->head->next;
        }
        if (!w->head)
            w->tail = NULL;
        pthread_mutex_unlock(&w->lock);

        writer_apply(w->st, group, n);

        /* Tell the asynchronous submitters (outside the lock: they resume connections), then
         * wake the waiting ones, each on its own condition. */
        size_t waiting = 0;
        for (size_t i = 0; i < n; i++) {
            if (group[i]->done_h)
                group[i]->done_h(group[i], group[i]->done_arg);
            else
                group[waiting++] = group[i];
        }
        pthread_mutex_lock(&w->lock);
        for (size_t i = 0; i < waiting; i++) {
            group[i]->done = true;
            pthread_cond_signal(&group[i]->cond);
        }
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
    w->sweep_ms = writer_sweep_ms();
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->work, &ca);
    pthread_condattr_destroy(&ca);
    int err = pthread_create(&w->thread, NULL, writer_main, w);
    if (err) {
        pthread_cond_destroy(&w->work);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return err;
    }
    *wp = w;
    return 0;
}

static void writer_queue(struct writer *w, struct writer_job *job)
{
    job->next = NULL;
    if (w->tail)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    pthread_cond_signal(&w->work);
}

void writer_submit_async(struct writer *w, struct writer_job *job)
{
    pthread_mutex_lock(&w->lock);
    writer_queue(w, job);
    pthread_mutex_unlock(&w->lock);
}

void writer_submit(struct writer *w, struct writer_job *job)
{
    job->done = false;
    job->done_h = NULL;
    pthread_cond_init(&job->cond, NULL);
    pthread_mutex_lock(&w->lock);
    writer_queue(w, job);
    while (!job->done)
        pthread_cond_wait(&job->cond, &w->lock);
    pthread_mutex_unlock(&w->lock);
    pthread_cond_destroy(&job->cond);
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
    pthread_cond_destroy(&w->work);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
