/* Anonymized usage counts: a closed set of counters, each counted at most once per visitor
 * session, summed per time bucket, noised when the bucket closes and uploaded to openline-stats
 * (docs/counts.md, docs/wire-v1.md).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_COUNTS_H
#define OPENLINE_COUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct config;
struct counts;

/* The counters every kiosk has, whatever its languages and pages (wire v1 names). */
enum counts_fixed {
    COUNTS_SESSIONS,
    COUNTS_QUICK_EXIT,
    COUNTS_READ_ALOUD,
    COUNTS_CALL_ATTEMPTED,
    COUNTS_CALL_CONNECTED,
    COUNTS_CALL_FAILED,
    COUNTS_N_FIXED,
};

/* A health check the heartbeat reports, run on the counts thread: false and a check name
 * ("audio", "hotline"; wire v1: 1 to 32 of a-z 0-9 _ . -) when something the kiosk needs is not
 * working. Must be thread-safe and must not block. */
typedef bool(counts_health_h)(char *check, size_t len, void *arg);

/* Start counting with cfg's [counts] section (cfg must outlive the counts): open the spool in
 * state_dir and start the counts thread, which closes buckets, adds the noise and uploads.
 * The closed set is the fixed counters, lang.CODE for each of the n_langs langs and page.ID for
 * each of the n_pages pages (copied). When cfg has no collector, counting is off: returns 0 with
 * *cp = NULL, and every function below accepts NULL and does nothing. On failure returns an
 * errno value with a message in err; *cp is set only on success. UI thread. */
int counts_start(struct counts **cp, const struct config *cfg, const char *const *langs,
                 unsigned n_langs, const char *const *pages, unsigned n_pages, char *err,
                 size_t errlen);

/* Stop the counts thread (an upload in progress is abandoned and retried at the next start),
 * write what is still pending and close the spool. NULL is ignored. UI thread. */
void counts_stop(struct counts *c);

/* Add the heartbeat's health check (before counts_start's thread may call it: right after
 * counts_start). UI thread. */
void counts_set_health(struct counts *c, counts_health_h *h, void *arg);

/* A visitor session begins (the first touch on attract) or ends (quick exit, idle reset,
 * return to attract). Only what is remembered of the session ends with it: which counters it
 * already counted, in memory. UI thread. */
void counts_session_begin(struct counts *c);
void counts_session_end(struct counts *c);
bool counts_in_session(const struct counts *c);

/* Count one event of the current session: the first time in a session a counter is named, it
 * goes up by one in the current bucket (one SQLite update, no fsync, nothing else on disk);
 * later times and events outside a session are ignored. lang and page must be in the closed
 * set (others are ignored). UI thread. */
void counts_add(struct counts *c, enum counts_fixed which);
void counts_add_lang(struct counts *c, const char *code);
void counts_add_page(struct counts *c, const char *id);

/* Writes that could not be made yet (the database busy for a moment, the disk full) are kept
 * in memory and tried again here. Returns the monotonic time (clock_now_ms) at which to call
 * it again, or 0 when nothing waits. UI thread. */
uint64_t counts_tick(struct counts *c, uint64_t now_ms);

/* After the test clock moved: wait (real time, up to timeout_ms) until the counts thread has
 * done what was due by then (buckets closed, uploads and the heartbeat tried). False on
 * timeout. UI thread. */
bool counts_settle(struct counts *c, unsigned timeout_ms);

/* Counts made but not yet written to the spool (it was busy or failing: written again from
 * counts_tick()); 0 when every count is on disk. UI thread. */
unsigned counts_unwritten(const struct counts *c);

/* Batches in the outbox not yet acknowledged by the collector, quarantined ones included;
 * -1 when the spool cannot be read. UI thread. */
int counts_outbox(struct counts *c);

/* The `openline counts` command (technicians): print the outbox (bucket, batch id, attempts,
 * next attempt, state), whether the clock is trusted and the collector's last reply; never the
 * live counter values. With upload_now, first try every waiting batch at once. Returns 0, or 1
 * when the spool cannot be read (message in err). */
int counts_report(const struct config *cfg, bool upload_now, FILE *out, char *err, size_t errlen);

/* self-test's checks of the counts, one line each through report(check, level, reason) with
 * level 0 ok, 1 warning, 2 failed: state directory writable, token file private, collector
 * reachable and token accepted (a heartbeat whose self_test field is self_test, "pass" or
 * "fail:CHECK", the result of the checks before), clock trusted. Returns the number of checks
 * that failed. */
int counts_self_test(const struct config *cfg, const char *self_test,
                     int (*report)(const char *check, int level, const char *reason));

#endif
