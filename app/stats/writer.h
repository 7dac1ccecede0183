/* The single writer of a collector process: queues batches and heartbeats from the HTTP threads
 * and commits them in groups, one transaction (one disk flush) for many requests. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_WRITER_H
#define STATS_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "ingest.h"
#include "store.h"

/* Most jobs committed in one transaction. */
#define WRITER_GROUP_MAX 128

/* One write: a batch (batch set) or a heartbeat (hb set) of kiosk at site. The submitter owns the
 * job and what it points to; the writer fills err and res. */
struct writer_job {
    int64_t kiosk;
    const char *site;
    const struct ingest_batch *batch;
    const struct ingest_heartbeat *hb;

    int err;              /* 0, or EIO when the store failed (reply 503) */
    enum store_put res;   /* for a batch without err */

    bool done;            /* private to writer.c */
    struct writer_job *next;
};

struct writer;

/* Start the writer thread on st, which it uses alone until writer_stop. Returns 0 or an errno. */
int writer_start(struct writer **wp, struct store *st);

/* Queue job and wait until it was committed or failed (job->err). Any thread but the writer's. */
void writer_submit(struct writer *w, struct writer_job *job);

/* Finish the queued jobs, stop the thread and free w. No submit may run or follow. */
void writer_stop(struct writer *w);

/* Apply n jobs to st in one transaction and update the roll-ups (totals per week and site,
 * noise declarations) for the batches it stored; if the transaction fails, try each job alone.
 * Sets err and res of every job. This is what the writer thread runs; the benchmark's loader
 * calls it directly. Reorders jobs (by kiosk). */
void writer_apply(struct store *st, struct writer_job **jobs, size_t n);

#endif
