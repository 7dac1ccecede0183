/* Private to the counts module: buckets, noise, trusted time, the spool and the counts thread.
 * Threads: the UI thread counts (counts.c) through its own spool connection; the counts thread
 * (uploader.c) closes buckets, adds noise and uploads through another. They share only the
 * database file, the trusted clock (atomics in trust.c) and the uploader's mutex-guarded flags.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_COUNTS_INT_H
#define OPENLINE_COUNTS_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openline/counts.h"

struct config;

/* ---- the closed set (counts.c) ------------------------------------------------------------ */

/* Every counter name this kiosk sends, fixed ones first, then lang.CODE, then page.ID. */
struct counts_set {
    char **names;
    size_t n;
};

int counts_set_build(struct counts_set *set, const char *const *langs, unsigned n_langs,
                     const char *const *pages, unsigned n_pages);
void counts_set_free(struct counts_set *set);
/* Index of name in set, or -1. */
int counts_set_find(const struct counts_set *set, const char *name);

/* ---- buckets (bucket.c) ------------------------------------------------------------------- */

/* A time bucket: days since 1970-01-01 of its first day and its length, 1 or 7. The undated
 * bucket holds counts made while the clock was not trusted; they join the current bucket as
 * soon as it is (docs/counts.md). */
struct bucket {
    int64_t start;
    int days;
};
#define BUCKET_UNDATED_START (-1)

static inline bool bucket_undated(const struct bucket *b)
{
    return b->start == BUCKET_UNDATED_START;
}

/* The bucket a count made on day belongs in, with buckets of cfg_days (1 or 7) and the buckets
 * up to closed_until (a day number: everything before it is closed) already closed:
 * - the configured bucket holding day, when it starts at or after closed_until;
 * - else the one-day bucket of day, when day is at or after closed_until (the bucket size was
 *   changed to a week in the middle of one: days until the next Monday);
 * - else undated (the clock is behind what was already closed).
 * A bucket that is still open on disk (open_start/open_days, open_days 0: none) and holds day
 * wins over all of these, so changing the size takes effect when the open bucket ends. */
struct bucket bucket_for_day(int64_t day, int cfg_days, int64_t closed_until, int64_t open_start,
                             int open_days);

/* The day number of a wall-clock time (ms since 1970, UTC). */
int64_t bucket_day_of(int64_t wall_ms);

/* "2026-11-23/7" or "undated", for people. */
void bucket_label(const struct bucket *b, char *out, size_t len);

/* A wall-clock time (ms since 1970) to the minute, "2026-11-23 14:05 UTC", for people. */
void bucket_format_time(int64_t wall_ms, char *out, size_t len);

/* ---- noise (noise.c) ---------------------------------------------------------------------- */

/* Fill buf with len bytes from getrandom(). Returns 0 or an errno value. Any thread. */
int noise_random(void *buf, size_t len);

/* A uniform integer in [0, n) (n > 0) from getrandom(), without modulo bias. */
int noise_uniform(uint64_t n, uint64_t *out);

/* One draw of two-sided geometric noise for epsilon = num/den: P(k) proportional to
 * exp(-epsilon * |k|), sampled exactly with integer arithmetic (no floating point, whose
 * rounding can leak the true count). Returns 0 or an errno value. */
int noise_geometric(uint32_t num, uint32_t den, int64_t *out);

/* ---- trusted time (trust.c) --------------------------------------------------------------- */

/* Whether a bucket may be assigned now, and the UTC time in ms: the test clock, the system
 * clock when the kernel says NTP keeps it synchronised (adjtimex), or the collector's Date
 * header anchored to CLOCK_BOOTTIME within this boot. Any thread. */
bool trust_now(int64_t *wall_ms);
/* "test clock", "NTP", "collector", or "untrusted". */
const char *trust_source(void);
/* Ask the kernel again whether NTP keeps the clock synchronised (counts thread, once a minute;
 * counts_start at first). */
void trust_refresh(void);
/* The collector's Date (ms since 1970) was received at boot time boot_ms. Returns the anchor
 * (wall minus boot time), to be kept for trust_restore() after a restart within this boot. */
int64_t trust_anchor(int64_t date_ms, uint64_t boot_ms);
void trust_restore(int64_t offset);
/* This boot's id (/proc/sys/kernel/random/boot_id), so an anchor is kept across restarts of
 * the kiosk but not across reboots. Returns 0 or an errno value. */
int trust_boot_id(char *out, size_t len);

/* ---- the spool (spool.c) ------------------------------------------------------------------ */

struct spool;

enum spool_role {
    SPOOL_UI,     /* UI thread: counting; synchronous=NORMAL, never waits for a lock */
    SPOOL_THREAD, /* counts thread: the outbox; synchronous=FULL, waits for locks */
    SPOOL_TOOL,   /* `openline counts`, self-test */
};

enum spool_state {
    SPOOL_WAITING = 0,
    SPOOL_QUARANTINED = 1,
};

#define SPOOL_MAX_BATCHES 104 /* two years of weeks; beyond it the oldest batch is dropped */

struct spool_batch {
    char id[33]; /* 32 hex digits */
    struct bucket bucket;
    char *payload; /* malloc'd JSON */
    int64_t attempts;
    int64_t next_attempt_ms; /* wall clock */
    enum spool_state state;
    char reason[480]; /* the last reply to it, when it came (quarantined: the one that did) */
};

/* Open (and create: the folder 0700, the file 0600) state_dir/counts.db in WAL mode. Returns 0,
 * or an errno value with a message naming the folder or file in err. SPOOL_TOOL never creates
 * anything: ENOENT when the kiosk has not made its spool yet. */
int spool_open(struct spool **sp, const char *state_dir, enum spool_role role, char *err,
               size_t errlen);
void spool_close(struct spool *s);
/* The SQLite error of the last failed call, for messages. */
const char *spool_errmsg(struct spool *s);

/* Add delta to counter name of bucket b: one statement, no fsync. Returns 0, EBUSY (another
 * connection holds the write lock: try again later), ENOSPC (disk full) or EIO. */
int spool_add(struct spool *s, const struct bucket *b, const char *name, int64_t delta);
/* Transactions around several spool_add (UI: pending writes). */
int spool_begin(struct spool *s);
int spool_commit(struct spool *s);
void spool_rollback(struct spool *s);

/* Integer values of the meta table (closed_until, dropped, anchors...). get: ENOENT when
 * absent. */
int spool_meta_get(struct spool *s, const char *key, int64_t *v);
int spool_meta_set(struct spool *s, const char *key, int64_t v);
int spool_meta_get_text(struct spool *s, const char *key, char *out, size_t len);
int spool_meta_set_text(struct spool *s, const char *key, const char *v);

/* The bucket recorded as open that holds day (*b untouched and ENOENT when none). */
int spool_open_bucket_holding(struct spool *s, int64_t day, struct bucket *b);
/* Record b as open, with a zero for every counter of set (it will be closed, and a batch sent,
 * even if nothing is counted in it; and no row appears because of a visitor). */
int spool_open_bucket(struct spool *s, const struct bucket *b, const struct counts_set *set);
/* The earliest open or counted dated bucket that ended by day today (ENOENT when none). */
int spool_ended_bucket(struct spool *s, int64_t today, struct bucket *b);
/* Move every count of bucket b into the undated bucket and forget b (a bucket overlapping
 * one already closed: its counts go into the next bucket instead of a second batch). */
int spool_refile(struct spool *s, const struct bucket *b);
/* Move the undated counts into bucket b. */
int spool_assign_undated(struct spool *s, const struct bucket *b);
bool spool_has_undated(struct spool *s);

/* The counts of bucket b: names[i] and values[i], *n of them (malloc'd; spool_counts_free). */
int spool_counts(struct spool *s, const struct bucket *b, char ***names, int64_t **values,
                 size_t *n);
void spool_counts_free(char **names, int64_t *values, size_t n);

/* In one transaction: insert the batch (state waiting), delete bucket b's counts and its open
 * record, set closed_until to the end of b if later, and drop the oldest batches beyond
 * SPOOL_MAX_BATCHES (their number added to meta dropped; *dropped set to it). */
int spool_close_bucket(struct spool *s, const struct spool_batch *batch, unsigned *dropped);

/* Batches waiting, ordered by bucket: the first whose next attempt is due by now_ms (ENOENT
 * when none); the earliest next attempt of any (INT64_MAX when none). */
int spool_next_due(struct spool *s, int64_t now_ms, struct spool_batch *batch);
int64_t spool_next_attempt(struct spool *s);
void spool_batch_free(struct spool_batch *batch);
/* Every batch, in bucket order, for `openline counts` (spool_list_free). */
int spool_list(struct spool *s, struct spool_batch **batches, size_t *n);
void spool_list_free(struct spool_batch *batches, size_t n);

int spool_delete(struct spool *s, const char *id);
int spool_retry_at(struct spool *s, const char *id, int64_t attempts, int64_t next_ms,
                   const char *reply);
int spool_quarantine(struct spool *s, const char *id, int64_t attempts, const char *reason);
/* Batches not yet acknowledged (waiting and quarantined), and the quarantined ones. */
int spool_depth(struct spool *s, int *all, int *quarantined);

/* Write the WAL into the database and truncate it, so that the order of past counts is not
 * left in the log (counts thread, after each session). */
int spool_checkpoint(struct spool *s);

/* ---- payloads (payload.c) ----------------------------------------------------------------- */

/* The wire v1 batch of bucket b: a new random batch id into batch->id and the JSON into
 * batch->payload (malloc'd): every counter of set and any other counted name, each with its
 * noise drawn once. Returns 0 or an errno value. */
int payload_batch(const struct config *cfg, const struct counts_set *set, const struct bucket *b,
                  char *const *names, const int64_t *values, size_t n, struct spool_batch *batch);

/* The wire v1 heartbeat (malloc'd JSON). */
char *payload_heartbeat(int64_t day, int spool_depth, bool trusted, const char *self_test);

/* The collector's JSON reply {"status": ..., "reason": ...}: "201 stored: reason" into out. */
void payload_reply_text(long status, const char *body, size_t len, char *out, size_t outlen);

/* ---- the counts thread (uploader.c) ------------------------------------------------------- */

struct uploader;

int uploader_start(struct uploader **up, const struct config *cfg, const struct counts_set *set,
                   char *err, size_t errlen);
void uploader_stop(struct uploader *u);
void uploader_set_health(struct uploader *u, counts_health_h *h, void *arg);
/* A session ended: checkpoint the WAL soon. Any thread. */
void uploader_session_ended(struct uploader *u);
/* Wake the thread (the virtual clock moved). Any thread. */
void uploader_wake(struct uploader *u);
/* Wait (up to timeout_ms, real time) until the thread has done its work once since the last
 * uploader_wake(): buckets that ended by then are closed, batches and the heartbeat due by then
 * were sent (or failed). False on timeout (an upload that hangs holds the thread). */
bool uploader_settle(struct uploader *u, unsigned timeout_ms);
/* The UI thread's counts cannot be written now (the disk is full...): the heartbeat says so. */
void uploader_ui_write_failing(struct uploader *u, bool failing);

/* What a reply means to the kiosk (docs/wire-v1.md, "Replies"). */
enum reply_class {
    REPLY_DONE,       /* 2xx: kept by the collector */
    REPLY_QUARANTINE, /* 400 409 413 422: it will never take this batch */
    REPLY_PAUSE,      /* 401 403: this kiosk's token is refused */
    REPLY_RETRY,      /* anything else: no reply, 408, 429, 5xx, or an address that is wrong */
};
enum reply_class uploader_classify(long status);

/* An anchor the counts thread kept from the collector's Date, if this is still the same boot
 * (counts_start, and the commands that read the spool). */
void uploader_restore_anchor(struct spool *sp);

/* One request to the collector now, outside the thread (`openline counts --upload-now`,
 * self-test). kind "batches" or "heartbeat". Returns 0 with the HTTP status in *status (0: no
 * reply) and a text for people in out; an errno value when uploads cannot work here. With sp,
 * the reply is recorded there (the clock's anchor, the last reply). */
int uploader_post_once(const struct config *cfg, struct spool *sp, const char *kind,
                       const char *body, long *status, char *out, size_t outlen);

#endif
