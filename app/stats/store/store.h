/* Storage of openline-stats behind one driver interface: SQLite (sqlite.c) or PostgreSQL (pg.c),
 * chosen by the --db URL. The only way in: nothing outside app/stats/store/ sees a driver. */
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

/* No day: a kiosk added before the collector kept the day, or not revoked. */
#define STORE_NO_DAY INT32_MIN

/* A kiosk, its batches and its latest heartbeat (has_heartbeat false: none yet), for `kiosk
 * list`, the health table and the coverage per week. */
struct store_kiosk_info {
    int64_t id;
    const char *site;
    bool revoked;
    int32_t added_day, revoked_day; /* or STORE_NO_DAY */
    bool has_batches;               /* it has sent a batch, ever */
    int32_t first_day;              /* first day of its first batch (when has_batches) */
    int32_t last_end;               /* the day after its latest batch's bucket */
    int last_days;                  /* bucket of its latest batch: 1 or 7 */
    bool has_heartbeat;
    int32_t day;
    const char *version;
    int64_t spool_depth;
    int64_t spool_before;  /* spool depth at its earliest heartbeat of the 7 days before; -1 none */
    const char *clock;     /* "trusted" or "untrusted" */
    const char *self_test; /* "pass" or "fail:<check>" */
};

/* The part of the roll-ups a report reads: buckets whose day of attribution (rollup.h) is in
 * from_day..to_day, of the sites in sites_json (a JSON array of site names; NULL: all sites).
 * names_json (a JSON array of counter names) is used by store_site_days_get only. */
struct store_query {
    int32_t from_day, to_day;
    const char *sites_json;
    const char *names_json;
};

/* Row handlers of the queries. Strings are valid only during the call. Return 0 to go on, or
 * an errno value to stop the query, which then returns that value. */
typedef int(store_kiosk_h)(const struct store_kiosk_info *k, void *arg);
typedef int(store_staff_h)(int64_t id, const char *name, bool has_token, void *arg);
typedef int(store_total_h)(int32_t day, const char *site, const char *name, int64_t value,
                           double var, void *arg);
typedef int(store_noise_h)(int32_t day, const char *mech, double epsilon, int64_t batches,
                           void *arg);
typedef int(store_batch_h)(int64_t kiosk, int32_t start, int days, void *arg);

/* One database connection, used by one thread at a time (the caller serialises; different stores
 * may be used from different threads at once). Reached only through the functions below, which
 * call its driver (store_int.h). Every function returning int returns 0 or an errno value: ENOENT
 * (no such row), EEXIST (unique name taken), EIO (the database failed: one line saying why was
 * logged), or ENOMEM. Nothing logs payloads, tokens or hashes. Strings passed in are only read
 * during the call. Every write is committed (durable) when the function returns. */
struct store;

/* Apply the n writes in one transaction, in this order: store each batch unless its kiosk
 * already has the same batch id (DUPLICATE or ID_REUSED) or a batch whose bucket overlaps
 * (CONFLICT), counting the writes before it, and set w[i].res; add the batches stored to the
 * roll-ups (rollup.h); keep each heartbeat as its kiosk's for its day, replacing one sent earlier
 * that day. All or nothing: on an error nothing of the group is kept. Called by the writer thread
 * (writer.c); PostgreSQL does the group in one round trip. */
int store_write_group(struct store *st, struct store_write *w, size_t n);

/* Find the kiosk whose token hashes to hash (64 hex). ENOENT if none. */
int store_kiosk_auth(struct store *st, const char *hash, struct store_kiosk *k);

/* Add a kiosk at site with the given token hash on day; set *idp to its new id. */
int store_kiosk_add(struct store *st, const char *site, const char *hash, int32_t day,
                    int64_t *idp);

/* Mark kiosk id revoked on day (its token is refused from then on). ENOENT if no such kiosk. */
int store_kiosk_revoke(struct store *st, int64_t id, int32_t day);

/* Call h for every kiosk with its latest heartbeat, by site then id. */
int store_kiosk_list(struct store *st, store_kiosk_h *h, void *arg);

/* Add a staff member with a password hash from passwd_hash. EEXIST if the name is taken. */
int store_staff_add(struct store *st, const char *name, const char *pwhash);

/* Look staff name up: set *idp and copy the password hash into pwhash. ENOENT if none. */
int store_staff_get(struct store *st, const char *name, int64_t *idp, char *pwhash, size_t pwlen);

/* Set the read-only export token hash of staff name, replacing an earlier one. ENOENT. */
int store_staff_set_token(struct store *st, const char *name, const char *hash);

/* Find the staff member whose read-only token hashes to hash. ENOENT if none. */
int store_staff_by_token(struct store *st, const char *hash, int64_t *idp);

/* Call h for every staff member, by name. */
int store_staff_list(struct store *st, store_staff_h *h, void *arg);

/* Remove staff name and their sessions. ENOENT if none. */
int store_staff_remove(struct store *st, const char *name);

/* Add a log-in session (hash of its cookie) of staff until expires (Unix seconds; the caller
 * rounds it, so that it does not tell when the session began). */
int store_session_add(struct store *st, const char *hash, int64_t staff, int64_t expires);

/* Delete the sessions that expired at or before now (Unix seconds). Called by the writer thread
 * on a timer (writer.c). */
int store_session_prune(struct store *st, int64_t now);

/* Find the live session with cookie hash at time now: set *staffp and copy the staff name into
 * name (STORE_NAME_MAX + 1 bytes). ENOENT if none or expired. */
int store_session_get(struct store *st, const char *hash, int64_t now, int64_t *staffp, char *name);

/* End the session with cookie hash (nothing if there is none). */
int store_session_remove(struct store *st, const char *hash);

/* Call h(day, NULL, name, value, var) with each roll-up row of q summed over q's sites, per day of
 * attribution and counter, in any order. */
int store_days_get(struct store *st, const struct store_query *q, store_total_h *h, void *arg);

/* Call h(day, site, name, value, var) with each roll-up row of q's days, of the sites of
 * q->sites_json (not NULL here) and the counters of q->names_json, in any order. */
int store_site_days_get(struct store *st, const struct store_query *q, store_total_h *h, void *arg);

/* Call h with the number of batches of q's sites per day of attribution and declared (mech,
 * epsilon). */
int store_noise_get(struct store *st, const struct store_query *q, store_noise_h *h, void *arg);

/* Call h for every batch of q's sites whose ISO week starts from q->from_day - 6 through
 * q->to_day (a superset of the batches attributed to q's days), in any order. */
int store_batches_get(struct store *st, const struct store_query *q, store_batch_h *h, void *arg);

/* Open the database named by url: "sqlite:PATH" or "postgresql://…" ("postgres://…" too). With
 * create, the schema is created or checked. On success sets *stp (release with store_close). On
 * failure writes one line for a person into err and returns EINVAL (a URL that names no back end)
 * or the driver's error. */
int store_open(const char *url, bool create, struct store **stp, char *err, size_t errlen);

void store_close(struct store *st);

/* Write the default database URL into out: "sqlite:" and stats.db in $STATE_DIRECTORY (the first
 * of its colon-separated folders) when set, else in /var/lib/openline-stats. */
void store_default_url(char *out, size_t len);

#endif
