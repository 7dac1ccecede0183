/* The storage driver contract, private to app/stats/store/: the drivers fill it, store.c alone
 * calls it (through the functions of store.h, which document what each slot does). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_STORE_INT_H
#define STATS_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A storage back end. Each struct store is one database connection used by one thread at a time
 * (the caller serialises; different stores may be used from different threads at once). Every slot
 * is required. Every slot returning int returns 0 or an errno value: ENOENT (no such row), EEXIST
 * (unique name taken), EIO (the database failed: the driver has logged one line saying why), or
 * ENOMEM. Slots never log payloads, tokens or hashes. Strings passed in are only read during the
 * call. Every write is committed (durable) when the slot returns. */
struct store_driver {
    const char *scheme; /* URL scheme(s) this driver serves, for messages */
    size_t priv_size;   /* bytes of private state, zeroed, at st->priv */

    /* Connect to target (a file path for SQLite, the whole URL for PostgreSQL). When create is
     * true, create the schema if missing and refuse a schema newer than this program. On failure
     * write one line for a person into err (no password) and return EIO (or ENOMEM); close is
     * still called. */
    int (*open)(struct store *st, const char *target, bool create, char *err, size_t errlen);

    /* Release the connection and everything in priv. Called once, also after a failed open. */
    void (*close)(struct store *st);

    /* The rest do what their wrappers in store.h document (store_write_group for write_group,
     * and so on): write_group runs on the writer thread (writer.c) and adds the roll-ups
     * (rollup.h); session_prune runs on it too, on a timer; the others on the thread that
     * holds the store. */
    int (*write_group)(struct store *st, struct store_write *w, size_t n);
    int (*kiosk_auth)(struct store *st, const char *hash, struct store_kiosk *k);
    int (*kiosk_add)(struct store *st, const char *site, const char *hash, int32_t day,
                     int64_t *idp);
    int (*kiosk_revoke)(struct store *st, int64_t id, int32_t day);
    int (*kiosk_list)(struct store *st, store_kiosk_h *h, void *arg);
    int (*staff_add)(struct store *st, const char *name, const char *pwhash);
    int (*staff_get)(struct store *st, const char *name, int64_t *idp, char *pwhash, size_t pwlen);
    int (*staff_set_token)(struct store *st, const char *name, const char *hash);
    int (*staff_by_token)(struct store *st, const char *hash, int64_t *idp);
    int (*staff_list)(struct store *st, store_staff_h *h, void *arg);
    int (*staff_remove)(struct store *st, const char *name);
    int (*session_add)(struct store *st, const char *hash, int64_t staff, int64_t expires);
    int (*session_prune)(struct store *st, int64_t now);
    int (*session_get)(struct store *st, const char *hash, int64_t now, int64_t *staffp,
                       char *name);
    int (*session_remove)(struct store *st, const char *hash);
    int (*days_get)(struct store *st, const struct store_query *q, store_total_h *h, void *arg);
    int (*site_days_get)(struct store *st, const struct store_query *q, store_total_h *h,
                         void *arg);
    int (*noise_get)(struct store *st, const struct store_query *q, store_noise_h *h, void *arg);
    int (*batches_get)(struct store *st, const struct store_query *q, store_batch_h *h, void *arg);
};

/* The handler a query of many rows was given, and its argument: what a driver's one loop over
 * rows hands to the function that turns one row into a call of the handler. */
struct store_rows {
    union {
        store_kiosk_h *kiosk;
        store_staff_h *staff;
        store_total_h *total;
        store_noise_h *noise;
        store_batch_h *batch;
    } h;
    void *arg;
};

struct store {
    const struct store_driver *drv;
    void *priv;
};

extern const struct store_driver store_sqlite;
extern const struct store_driver store_pg;

#endif
