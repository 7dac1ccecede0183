/* The single writer of a collector process: queues batches and heartbeats from the HTTP threads
 * and commits them in groups, one transaction (one disk flush) for many requests. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_WRITER_H
#define STATS_WRITER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ingest.h"
#include "store.h"

/* Most jobs committed in one transaction. */
#define WRITER_GROUP_MAX 128

/* Seconds between two deletions of expired staff sessions (store_session_prune) by the
 * writer thread, when no write is queued. Tests shorten it with the environment variable
 * OPENLINE_STATS_SESSION_SWEEP_S (1 to 86400), read once by writer_start. */
#define WRITER_SWEEP_S 600

struct writer_job;
/* Called on the writer thread once the job's group committed or failed: the writer touches the
 * job no more after it. */
typedef void(writer_done_h)(struct writer_job *job, void *arg);

/* One write and its outcome. The submitter owns the job and what it points to. */
struct writer_job {
    struct store_write w;  /* what to write; w.res is the outcome of a batch */
    int err;               /* 0, or EIO when the store failed (reply 503) */
    writer_done_h *done_h; /* writer_submit_async: told here instead of waited for */
    void *done_arg;

    /* private to writer.c */
    bool done;
    pthread_cond_t cond;
    struct writer_job *next;
};

struct writer;

/* Start the writer thread on st, which it uses alone until writer_stop: it commits the jobs
 * submitted and deletes expired sessions every WRITER_SWEEP_S. Returns 0 or an errno. */
int writer_start(struct writer **wp, struct store *st);

/* Queue job and wait until it was committed or failed (job->err). Any thread but the writer's. */
void writer_submit(struct writer *w, struct writer_job *job);

/* Queue job and return at once; job->done_h(job, job->done_arg) is called on the writer thread
 * when it committed or failed. The job must stay valid until then. The HTTP handlers use this
 * with a suspended connection, so that a waiting batch holds no thread of the server's pool and
 * every request in flight can join the next group. */
void writer_submit_async(struct writer *w, struct writer_job *job);

/* Finish the queued jobs, stop the thread and free w. No submit may run or follow. */
void writer_stop(struct writer *w);

/* Apply n jobs to st in one transaction (store_write_group); if it fails, try each job
 * alone, so one bad job does not fail the others. Sets err and w.res of every job. This is what
 * the writer thread runs; the benchmark's loader calls it directly. Reorders jobs (by kiosk). */
void writer_apply(struct store *st, struct writer_job **jobs, size_t n);

#endif
