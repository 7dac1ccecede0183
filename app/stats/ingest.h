/* Wire format v1 (docs/wire-v1.md): strict validation of batch and heartbeat bodies. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_INGEST_H
#define STATS_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* Largest request body accepted on the kiosk API, in bytes (bigger: 413). */
#define INGEST_BODY_MAX 16384

/* Most counters one batch may carry. */
#define INGEST_COUNTERS_MAX 256

/* Longest counter name ("page." and 32 characters), without the NUL. */
#define INGEST_NAME_MAX 37

/* Bounds of one counter value: noise can take a small count below zero. */
#define INGEST_VALUE_MIN -50
#define INGEST_VALUE_MAX 50000

/* Bounds of a declared epsilon for the geometric mechanism (exclusive, inclusive). */
#define INGEST_EPSILON_MAX 10.0

/* Longest heartbeat version and self-test check name, without the NUL. */
#define INGEST_VERSION_MAX 32
#define INGEST_CHECK_MAX   32

enum ingest_mech {
    INGEST_MECH_GEOMETRIC,
    INGEST_MECH_NONE,
};

struct ingest_counter {
    char name[INGEST_NAME_MAX + 1];
    int32_t value;
};

/* A batch that passed every check. Counters are sorted by name; counts is the same counters as a
 * JSON object, and counts_json as compact JSON text with sorted keys (what the store keeps). */
struct ingest_batch {
    char id[33];   /* 32 lowercase hex digits */
    int32_t start; /* first day of the bucket (day.h) */
    int days;      /* 1 or 7 */
    int32_t week;  /* Monday of the ISO week holding start */
    enum ingest_mech mech;
    double epsilon; /* 0 when mech is NONE */
    size_t n;
    struct ingest_counter *counters;
    json_t *counts; /* the counts object as parsed (a reference the batch holds) */
    char *counts_json;
};

enum ingest_clock {
    INGEST_CLOCK_TRUSTED,
    INGEST_CLOCK_UNTRUSTED,
};

struct ingest_heartbeat {
    int32_t day;
    char version[INGEST_VERSION_MAX + 1];
    int64_t spool_depth;
    enum ingest_clock clock;
    char self_test[5 + INGEST_CHECK_MAX + 1]; /* "pass" or "fail:<check>" */
};

/* Why a body was refused. `what` is a fixed phrase naming the rule (safe to log); `detail` may
 * quote the client's own input and goes only into the reply. */
struct ingest_error {
    const char *what;
    char detail[160];
};

/* Parse and check a batch body of len bytes against wire format v1, with today the server's
 * current day. On success sets *bp to a new batch (free it with ingest_batch_free) and returns 0.
 * Returns EINVAL when the body breaks the format (reply 400), EAGAIN when the bucket has not ended
 * by today (reply 422), ENOMEM; then *e says why. Pure: no I/O, any thread. */
int ingest_batch_parse(const char *body, size_t len, int32_t today, struct ingest_batch **bp,
                       struct ingest_error *e);

void ingest_batch_free(struct ingest_batch *b);

/* Parse and check a heartbeat body into *hb. Returns 0, EINVAL (400), EAGAIN when its day is more
 * than one day after today (422), or ENOMEM; *e says why. Pure, any thread. */
int ingest_heartbeat_parse(const char *body, size_t len, int32_t today, struct ingest_heartbeat *hb,
                           struct ingest_error *e);

/* Whether name is a valid counter name of wire format v1. */
bool ingest_counter_name_ok(const char *name);

#endif
