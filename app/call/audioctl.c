/* The audio device's life on a thread of its own: probing (PortAudio's Pa_Initialize, JACK's
 * jack_client_open), opening and closing the streams. A sound server that is slow or hung
 * (measured: a stopped jackd holds Pa_Initialize for more than 40 s) then holds up only this
 * thread; SIP retransmissions, BYE and CANCEL on the call thread never wait behind it.
 *
 * Requests run in the order given. Results are kept here and the call thread is woken through
 * its mqueue to take them (call_audioctl_take), so nothing is lost or leaked when the call
 * thread stops first. The device's rings are touched by the call thread only between a
 * successful start it has taken and the stop it requests, never while this thread starts or
 * stops the streams.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <re.h>

#include "openline/log.h"
#include "openline/util.h"

#include "call_int.h"

enum { QUEUE_MAX = 16 };

struct request {
    enum call_audio_op op;
    struct audio_dev *dev;
    uint64_t seq;
};

struct call_audioctl {
    const struct config *cfg;
    struct mqueue *mq;
    int mq_id;
    pthread_t thread;
    pthread_mutex_t mx;
    pthread_cond_t cv;
    struct request q[QUEUE_MAX];
    unsigned head, n;
    struct call_audio_done done[QUEUE_MAX];
    unsigned n_done;
    bool busy;     /* a request is running */
    bool closing;  /* call_audioctl_close() began: no more results, no more opening */
    bool finished; /* the thread returned */
    bool orphaned; /* close gave up waiting: the thread frees this when it returns */
};

static void destroy(struct call_audioctl *a)
{
    for (unsigned i = 0; i < a->n_done; i++) {
        if (a->done[i].op == CALL_AUDIO_PROBE && !a->done[i].rc)
            audio_dev_free(a->done[i].dev);
    }
    pthread_mutex_destroy(&a->mx);
    pthread_cond_destroy(&a->cv);
    free(a);
}

static void *thread_main(void *arg)
{
    struct call_audioctl *a = arg;

    /* At normal priority (the call thread starts it before it turns real-time): it blocks on
     * sound servers. Named for ps and tests/call/rt.sh. */
    pthread_setname_np(pthread_self(), "openline-audctl");
    pthread_mutex_lock(&a->mx);
    for (;;) {
        while (!a->n && !a->closing)
            pthread_cond_wait(&a->cv, &a->mx);
        if (!a->n)
            break; /* closing, and everything queued is done */
        struct request r = a->q[a->head];
        a->head = (a->head + 1) % QUEUE_MAX;
        a->n--;
        /* Closing: what is queued is still closed and freed, nothing is opened any more. */
        bool opens = r.op == CALL_AUDIO_PROBE || r.op == CALL_AUDIO_START ||
                     r.op == CALL_AUDIO_START_PLAYBACK;
        bool skip = a->closing && opens;
        a->busy = !skip;
        pthread_mutex_unlock(&a->mx);

        struct call_audio_done d = {.op = r.op, .dev = r.dev, .seq = r.seq};
        if (!skip) {
            switch (r.op) {
            case CALL_AUDIO_PROBE:
                d.rc = audio_dev_alloc(&d.dev, a->cfg, d.why, sizeof(d.why));
                if (d.rc)
                    d.dev = NULL;
                break;
            case CALL_AUDIO_START:
                d.rc = audio_dev_start(r.dev, d.why, sizeof(d.why));
                break;
            case CALL_AUDIO_START_PLAYBACK:
                d.rc = audio_dev_start_playback(r.dev, d.why, sizeof(d.why));
                break;
            case CALL_AUDIO_STOP:
                audio_dev_stop(r.dev);
                break;
            case CALL_AUDIO_FREE:
                audio_dev_free(r.dev);
                break;
            }
        }

        pthread_mutex_lock(&a->mx);
        a->busy = false;
        bool report = !skip && opens;
        if (report && !a->closing && a->n_done < QUEUE_MAX) {
            a->done[a->n_done++] = d;
            mqueue_push(a->mq, a->mq_id, NULL);
        } else if (report && r.op == CALL_AUDIO_PROBE && !d.rc) {
            audio_dev_free(d.dev); /* nobody will take it */
        }
    }
    a->finished = true;
    bool orphaned = a->orphaned;
    pthread_mutex_unlock(&a->mx);
    if (orphaned)
        destroy(a);
    return NULL;
}

int call_audioctl_alloc(struct call_audioctl **ap, const struct config *cfg, struct mqueue *mq,
                        int mq_id)
{
    struct call_audioctl *a = calloc(1, sizeof(*a));
    if (!a)
        return ENOMEM;
    a->cfg = cfg;
    a->mq = mq;
    a->mq_id = mq_id;
    pthread_mutex_init(&a->mx, NULL);
    pthread_cond_init(&a->cv, NULL);
    int rc = pthread_create(&a->thread, NULL, thread_main, a);
    if (rc) {
        pthread_mutex_destroy(&a->mx);
        pthread_cond_destroy(&a->cv);
        free(a);
        return rc;
    }
    *ap = a;
    return 0;
}

int call_audioctl_request(struct call_audioctl *a, enum call_audio_op op, struct audio_dev *dev,
                          uint64_t seq)
{
    int rc = 0;
    pthread_mutex_lock(&a->mx);
    if (a->n == QUEUE_MAX) {
        rc = EAGAIN;
    } else {
        a->q[(a->head + a->n) % QUEUE_MAX] = (struct request){.op = op, .dev = dev, .seq = seq};
        a->n++;
        pthread_cond_signal(&a->cv);
    }
    pthread_mutex_unlock(&a->mx);
    return rc;
}

bool call_audioctl_idle(struct call_audioctl *a)
{
    pthread_mutex_lock(&a->mx);
    bool idle = !a->n && !a->busy;
    pthread_mutex_unlock(&a->mx);
    return idle;
}

bool call_audioctl_take(struct call_audioctl *a, struct call_audio_done *d)
{
    bool got = false;
    pthread_mutex_lock(&a->mx);
    if (a->n_done) {
        *d = a->done[0];
        memmove(&a->done[0], &a->done[1], (a->n_done - 1) * sizeof(a->done[0]));
        a->n_done--;
        got = true;
    }
    pthread_mutex_unlock(&a->mx);
    return got;
}

bool call_audioctl_close(struct call_audioctl *a, unsigned wait_ms)
{
    struct timespec ts;

    if (!a)
        return true;
    pthread_mutex_lock(&a->mx);
    a->closing = true;
    pthread_cond_signal(&a->cv);
    pthread_mutex_unlock(&a->mx);

    util_deadline(&ts, CLOCK_REALTIME, wait_ms);
    if (!pthread_timedjoin_np(a->thread, NULL, &ts)) {
        destroy(a);
        return true;
    }
    pthread_mutex_lock(&a->mx);
    bool finished = a->finished;
    if (!finished)
        a->orphaned = true;
    pthread_mutex_unlock(&a->mx);
    if (finished) {
        pthread_join(a->thread, NULL);
        destroy(a);
        return true;
    }
    pthread_detach(a->thread);
    return false;
}
