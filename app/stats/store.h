/* Storage of openline-stats behind one driver interface: SQLite (store_sqlite.c) or PostgreSQL
 * (store_pg.c), chosen by the --db URL. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_STORE_H
#define STATS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"
#include "token.h"

/* Longest site name, in bytes, without the NUL. */
#define STORE_SITE_MAX 64
/* Longest staff name, in bytes, without the NUL. */
#define STORE_NAME_MAX 64

/* What storing a batch came to. */
enum store_put {
    STORE_PUT_STORED,    /* new: 201 */
    STORE_PUT_DUPLICATE, /* this kiosk already sent this batch id for this bucket: 200 */
    STORE_PUT_CONFLICT,  /* another batch covers an overlapping bucket of this kiosk: 409 */
    STORE_PUT_ID_REUSED, /* this batch id was used by this kiosk for another bucket: 409 */
};

/* One write of a group: a batch (batch set) or a heartbeat (hb set) of kiosk at site. */
struct store_write {
    int64_t kiosk;
    const char *site;
    const struct ingest_batch *batch;
    const struct ingest_heartbeat *hb;
    enum store_put res; /* set by write_group for a batch */
};

/* A kiosk found by its token hash. */
struct store_kiosk {
    int64_t id;
    char site[STORE_SITE_MAX + 1];
    bool revoked;
};

/* A kiosk and its latest heartbeat (has_heartbeat false: none yet), for `kiosk list` and the
 * health table. */
struct store_kiosk_info {
    int64_t id;
    const char *site;
    bool revoked;
    bool has_heartbeat;
    int32_t day;
    const char *version;
    int64_t spool_depth;
    const char *clock;     /* "trusted" or "untrusted" */
    const char *self_test; /* "pass" or "fail:<check>" */
};

/* One row of the weekly roll-up: the sum of counter name over every batch of the ISO week that
 * starts on day week, for one site, or for all sites when site is "" (STORE_ALL_SITES). */
struct store_total {
    int32_t week;
    const char *site;
    const char *name;
    int64_t value;
};
#define STORE_ALL_SITES ""

/* How many batches of a week declared a noise mechanism and epsilon (0 for "none"). */
struct store_noise {
    int32_t week;
    const char *mech;
    double epsilon;
    int64_t batches;
};

/* Row handlers of the query slots. Strings are valid only during the call. Return 0 to go on, or
 * an errno value to stop the query, which then returns that value. */
typedef int(store_kiosk_h)(const struct store_kiosk_info *k, void *arg);
typedef int(store_staff_h)(int64_t id, const char *name, bool has_token, void *arg);
typedef int(store_week_h)(int32_t week, const char *name, int64_t value, void *arg);
typedef int(store_site_h)(const char *site, const char *name, int64_t value, void *arg);
typedef int(store_noise_h)(const char *mech, double epsilon, int64_t batches, void *arg);

struct store;

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

    /* Apply the n writes in one transaction, in this order: store each batch unless its kiosk
     * already has the same batch id (DUPLICATE or ID_REUSED) or a batch whose bucket overlaps
     * (CONFLICT), counting the writes before it, and set w[i].res; add the batches stored to
     * the roll-ups (store_rollup); keep each heartbeat as its kiosk's for its day, replacing one
     * sent earlier that day. All or nothing: on an error nothing of the group is kept. Called
     * by the writer thread (writer.c); PostgreSQL does the group in one round trip. */
    int (*write_group)(struct store *st, struct store_write *w, size_t n);

    /* Find the kiosk whose token hashes to hash (64 hex). ENOENT if none. */
    int (*kiosk_auth)(struct store *st, const char *hash, struct store_kiosk *k);

    /* Add a kiosk at site with the given token hash; set *idp to its new id. */
    int (*kiosk_add)(struct store *st, const char *site, const char *hash, int64_t *idp);

    /* Mark kiosk id revoked (its token is refused from then on). ENOENT if no such kiosk. */
    int (*kiosk_revoke)(struct store *st, int64_t id);

    /* Call h for every kiosk with its latest heartbeat, by site then id. */
    int (*kiosk_list)(struct store *st, store_kiosk_h *h, void *arg);

    /* Add a staff member with a password hash from passwd_hash. EEXIST if the name is taken. */
    int (*staff_add)(struct store *st, const char *name, const char *pwhash);

    /* Look staff name up: set *idp and copy the password hash into pwhash. ENOENT if none. */
    int (*staff_get)(struct store *st, const char *name, int64_t *idp, char *pwhash, size_t pwlen);

    /* Set the read-only export token hash of staff name, replacing an earlier one. ENOENT. */
    int (*staff_set_token)(struct store *st, const char *name, const char *hash);

    /* Find the staff member whose read-only token hashes to hash. ENOENT if none. */
    int (*staff_by_token)(struct store *st, const char *hash, int64_t *idp);

    /* Call h for every staff member, by name. */
    int (*staff_list)(struct store *st, store_staff_h *h, void *arg);

    /* Remove staff name and their sessions. ENOENT if none. */
    int (*staff_remove)(struct store *st, const char *name);

    /* Add a log-in session (hash of its cookie) of staff until expires (Unix seconds; the
     * caller rounds it, so that it does not tell when the session began). */
    int (*session_add)(struct store *st, const char *hash, int64_t staff, int64_t expires);

    /* Delete the sessions that expired at or before now (Unix seconds). Called by the writer
     * thread on a timer (writer.c). */
    int (*session_prune)(struct store *st, int64_t now);

    /* Find the live session with cookie hash at time now: set *staffp and copy the staff name
     * into name (STORE_NAME_MAX + 1 bytes). ENOENT if none or expired. */
    int (*session_get)(struct store *st, const char *hash, int64_t now, int64_t *staffp,
                       char *name);

    /* End the session with cookie hash (nothing if there is none). */
    int (*session_remove)(struct store *st, const char *hash);

    /* Call h for each all-sites roll-up row with from_week <= week <= to_week, in any order. */
    int (*weeks_get)(struct store *st, int32_t from_week, int32_t to_week, store_week_h *h,
                     void *arg);

    /* Call h with the sum over from_week..to_week of each per-site roll-up row, grouped by
     * (site, name) and ordered by site. */
    int (*sites_get)(struct store *st, int32_t from_week, int32_t to_week, store_site_h *h,
                     void *arg);

    /* Call h with the number of batches per (mech, epsilon) declared in from_week..to_week. */
    int (*noise_get)(struct store *st, int32_t from_week, int32_t to_week, store_noise_h *h,
                     void *arg);
};

struct store {
    const struct store_driver *drv;
    void *priv;
};

extern const struct store_driver store_sqlite;
extern const struct store_driver store_pg;

/* Open the database named by url: "sqlite:PATH" or "postgresql://…" ("postgres://…" too). With
 * create, the schema is created or checked. On success sets *stp (release with store_close). On
 * failure writes one line for a person into err and returns EINVAL (a URL that names no back end)
 * or the driver's error. */
int store_open(const char *url, bool create, struct store **stp, char *err, size_t errlen);

void store_close(struct store *st);

/* Write the default database URL into out: "sqlite:" and stats.db in $STATE_DIRECTORY (the first
 * of its colon-separated folders) when set, else in /var/lib/openline-stats. */
void store_default_url(char *out, size_t len);

/* The roll-up rows of the writes w[i] that are batches with res STORE_PUT_STORED: every
 * counter summed per (week, "" for all sites, name), the six fixed counters also per (week,
 * site, name); and the batches per (week, mech, epsilon). Both sorted by key without repeats
 * (so concurrent writers lock rows in one order). Sets *tp, *ntp, *np, *nnp (free *tp and *np;
 * names point into the batches). Returns 0 or ENOMEM. */
int store_rollup(const struct store_write *w, size_t n, struct store_total **tp, size_t *ntp,
                 struct store_noise **np, size_t *nnp);

/* A bounded set of open stores shared by threads (the HTTP handlers). */
struct store_pool;

/* Allocate a pool opening up to max connections to url on demand (the schema must exist). */
int store_pool_alloc(struct store_pool **pp, const char *url, size_t max);

/* Borrow a store, waiting while all max are lent. Returns 0, or EIO when a new connection could
 * not be opened (logged). Give it back with store_pool_put. */
int store_pool_get(struct store_pool *p, struct store **stp);
void store_pool_put(struct store_pool *p, struct store *st);

/* Close every store; none may be lent. */
void store_pool_free(struct store_pool *p);

#endif
