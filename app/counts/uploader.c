/* The counts thread: closes buckets (adding the noise), sends the batches and the daily
 * heartbeat to the collector, and keeps the spool's log short.
 *
 * Nothing it does depends on when visitors came: buckets close at their end, a batch's first
 * attempt is at a uniformly random time in the 24 hours after its bucket closed, the heartbeat
 * goes at a random time of each day, and retries follow the collector's replies only
 * (docs/counts.md). It logs what the kiosk itself does (collector unreachable, token refused,
 * disk full), once per change, never anything a visitor did.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "counts_int.h"
#include "openline/clock.h"
#include "openline/config.h"
#include "openline/day.h"
#include "openline/log.h"
#include "openline/plugin.h"
#include "openline/upload.h"
#include "openline/util.h"

#define MS_MINUTE 60000ll
#define MS_HOUR   (60 * MS_MINUTE)
#define MS_DAY    (24 * MS_HOUR)

/* libcurl's limits (DESIGN: 15 s to connect, 60 s in all). */
#define UPLOAD_CONNECT_S 15
#define UPLOAD_TOTAL_S   60

/* Longest sleep between looks at the clock, the token file and the bucket. */
#define UPLOADER_POLL_MS 60000
/* The WAL is truncated at least this often (real time), and after every session. */
#define UPLOADER_CHECKPOINT_MS (10 * MS_MINUTE)

struct uploader {
    const struct config *cfg;
    const struct counts_set *set;
    struct spool *sp; /* counts thread only (after start) */
    pthread_t th;

    pthread_mutex_t mx;
    pthread_cond_t cv;            /* on CLOCK_MONOTONIC */
    bool stop, wake, checkpoint;  /* guarded by mx */
    counts_health_h *health;      /* guarded by mx */
    void *health_arg;             /* guarded by mx */
    atomic_int cancel;            /* the request in progress gives up */
    atomic_bool ui_write_failing; /* set by the UI thread */
    /* uploader_wake() calls, and how many of them the thread has answered with a look at the
     * buckets (uploader_settle) */
    atomic_uint_fast64_t wakes, settled;

    /* counts thread only */
    const struct upload_api *http;
    char token[80];
    bool paused;          /* 401/403: nothing is sent until the token changes or a day passes */
    bool refused;         /* logged that the token is refused (until a reply takes it) */
    int64_t paused_until; /* wall ms: try once more then */
    int64_t gate;         /* wall ms: no batch before this (a retry is pending), 0: none */
    struct bucket opened; /* the bucket last recorded as open (not again at every wake-up) */
    int64_t hb_due;       /* wall ms of the next heartbeat */
    unsigned hb_failures;
    bool hb_trusted;        /* the clock was trusted when hb_due was set */
    bool unreachable;       /* logged that the collector cannot be reached */
    bool write_failing;     /* logged that the spool cannot be written */
    uint64_t checkpoint_ms; /* monotonic time of the last checkpoint */
    bool no_http_logged;
};

/* Jitter from getrandom: uniform in [0, max_ms]. */
static int64_t uniform_ms(int64_t max_ms)
{
    uint64_t v = 0;
    if (max_ms <= 0 || noise_uniform((uint64_t)max_ms + 1, &v))
        return max_ms > 0 ? max_ms / 2 : 0;
    return (int64_t)v;
}

/* Full jitter after failures failed attempts: rand(0, min(6 h, 5 min * 2^(failures-1))). */
static int64_t backoff_ms(int64_t failures)
{
    int64_t cap = 5 * MS_MINUTE;
    for (int64_t i = 1; i < failures && cap < 6 * MS_HOUR; i++)
        cap *= 2;
    return uniform_ms(cap < 6 * MS_HOUR ? cap : 6 * MS_HOUR);
}

static const struct upload_api *uploader_http(struct uploader *u)
{
    char err[512];
    if (!u->http) {
        u->http = upload_api_load(err, sizeof(err));
        if (!u->http && !u->no_http_logged) {
            log_error("counts: uploads unavailable, every batch is kept: %s", err);
            u->no_http_logged = true;
        }
    }
    return u->http;
}

/* One POST of body to the collector's api/v1/KIND; *rp is the reply (status 0: none). */
static int post(const struct config *cfg, const struct upload_api *http, const char *token,
                const char *kind, const char *body, const atomic_int *cancel,
                struct upload_reply *rp)
{
    char url[CONFIG_URI_LEN + 32];
    snprintf(url, sizeof(url), "%s/api/v1/%s", cfg->counts.collector, kind);
    struct upload_request rq = {
        .url = url,
        .token = token,
        .ca_file = cfg->counts.ca_file,
        .body = body,
        .body_len = strlen(body),
        .connect_timeout_s = UPLOAD_CONNECT_S,
        .timeout_s = UPLOAD_TOTAL_S,
        .cancel = cancel,
    };
    return http->post(&rq, rp);
}

enum reply_class uploader_classify(long status)
{
    if (status >= 200 && status < 300)
        return REPLY_DONE;
    if (status == 400 || status == 409 || status == 413 || status == 422)
        return REPLY_QUARANTINE;
    if (status == 401 || status == 403)
        return REPLY_PAUSE;
    return REPLY_RETRY;
}

static void reply_text(const struct upload_reply *rp, char *out, size_t len)
{
    if (!rp->status)
        snprintf(out, len, "no reply: %s", rp->error);
    else
        payload_reply_text(rp->status, rp->body, rp->body_len, out, len);
}

void uploader_restore_anchor(struct spool *sp)
{
    char boot[64], was[64];
    int64_t offset;
    if (!trust_boot_id(boot, sizeof(boot)) &&
        !spool_meta_get_text(sp, "anchor_boot", was, sizeof(was)) && !strcmp(boot, was) &&
        !spool_meta_get(sp, "anchor_offset", &offset))
        trust_restore(offset);
}

/* "2026-06-09 08:35 UTC: 429 rate_limited: ...": a reply and when it came, for people. */
static void reply_line(const struct upload_reply *rp, int64_t now, bool trusted, char *out,
                       size_t len)
{
    char text[400], stamp[40];
    reply_text(rp, text, sizeof(text));
    bucket_format_time(now, stamp, sizeof(stamp));
    snprintf(out, len, "%s%s: %s", stamp, trusted ? "" : " (clock untrusted)", text);
}

/* Every reply with a Date anchors the clock (used only while NTP does not keep it); the reply
 * is kept for `openline counts`. */
static void record_reply(struct spool *sp, const struct upload_reply *rp, int64_t now, bool trusted)
{
    char boot_id[64], line[480];
    /* (the test clock is trusted already, and its time is not CLOCK_BOOTTIME's) */
    if (rp->date_ms && !clock_is_virtual()) {
        int64_t offset = trust_anchor(rp->date_ms, clock_boot_ms());
        if (!trust_boot_id(boot_id, sizeof(boot_id))) {
            spool_meta_set_text(sp, "anchor_boot", boot_id);
            spool_meta_set(sp, "anchor_offset", offset);
        }
    }
    reply_line(rp, now, trusted, line, sizeof(line));
    spool_meta_set_text(sp, "last_reply", line);
}

static void note_reply(struct uploader *u, const struct upload_reply *rp, int64_t now, bool trusted)
{
    if (u->sp)
        record_reply(u->sp, rp, now, trusted);
    if (rp->status >= 200 && rp->status < 300)
        u->refused = false;
    if (rp->status && u->unreachable) {
        log_info("counts: the collector answers again");
        u->unreachable = false;
    } else if (!rp->status && !u->unreachable) {
        log_warn("counts: the collector cannot be reached (%s); every batch is kept and tried "
                 "again",
                 rp->error);
        u->unreachable = true;
    }
}

static void pause_uploads(struct uploader *u, const struct upload_reply *rp, int64_t now)
{
    char text[400];
    reply_text(rp, text, sizeof(text));
    if (!u->refused)
        log_error("counts: the collector refused this kiosk's token (%s): uploads are paused "
                  "and every batch is kept; put a valid token in %s",
                  text, u->cfg->counts.token_file);
    u->refused = true;
    u->paused = true;
    u->paused_until = now + MS_DAY;
}

/* While paused: go on when the token file holds another token, or a day later. */
static bool still_paused(struct uploader *u, int64_t now)
{
    char *data = NULL;
    size_t len;
    if (!u->paused)
        return false;
    if (!util_read_file(u->cfg->counts.token_file, &data, &len)) {
        char *tok = util_trim(data);
        if (strcmp(tok, u->token) && strlen(tok) < sizeof(u->token)) {
            util_strlcpy(u->token, tok, sizeof(u->token));
            u->paused = false;
            log_info("counts: %s holds a new token: uploads go on", u->cfg->counts.token_file);
        }
        explicit_bzero(data, len);
        free(data);
    }
    if (u->paused && now >= u->paused_until)
        u->paused = false; /* one more try a day */
    return u->paused;
}

/* ---- buckets -------------------------------------------------------------------------------- */

static void spool_failed(struct uploader *u, const char *what, int err)
{
    if (!u->write_failing)
        log_error("counts: cannot %s in %s: %s (%s); counts are kept and it is tried again", what,
                  u->cfg->counts.state_dir, strerror(err), spool_errmsg(u->sp));
    u->write_failing = true;
}

static int close_bucket(struct uploader *u, const struct bucket *b)
{
    struct spool_batch batch = {.bucket = *b};
    char **names = NULL;
    int64_t *values = NULL;
    size_t n = 0;
    unsigned dropped = 0;
    /* Read, noise, store and delete in one transaction: a count made at the same moment either
     * lands before it (and is in this batch) or after (and is refiled). */
    int err = spool_begin(u->sp);
    if (!err)
        err = spool_counts(u->sp, b, &names, &values, &n);
    if (!err) {
        batch.next_attempt_ms = (b->start + b->days) * MS_DAY + uniform_ms(MS_DAY);
        err = payload_batch(u->cfg, u->set, b, names, values, n, &batch);
    }
    if (!err)
        err = spool_close_bucket(u->sp, &batch, &dropped);
    if (!err)
        err = spool_commit(u->sp);
    if (err)
        spool_rollback(u->sp);
    spool_counts_free(names, values, n);
    spool_batch_free(&batch);
    if (dropped)
        log_warn("counts: the outbox holds %d batches, the most it keeps: %u older batch(es) "
                 "dropped (reported in the heartbeat)",
                 SPOOL_MAX_BATCHES, dropped);
    return err;
}

/* Close every bucket that ended, open the current one, and give undated counts a bucket. */
static void buckets_work(struct uploader *u, int64_t now)
{
    int64_t today = bucket_day_of(now), closed_until = 0;
    struct bucket b, open = {0, 0};
    int err = 0;

    while (!err && !(err = spool_ended_bucket(u->sp, today, &b))) {
        if (spool_meta_get(u->sp, "closed_until", &closed_until))
            closed_until = 0;
        /* A bucket overlapping one already sent (a count that raced its bucket's end, or a
         * changed bucket size): its counts go into the next bucket, never a second batch. */
        err = b.start < closed_until ? spool_refile(u->sp, &b) : close_bucket(u, &b);
    }
    if (err && err != ENOENT) {
        spool_failed(u, "close a bucket", err);
        return;
    }
    err = 0;
    if (spool_meta_get(u->sp, "closed_until", &closed_until))
        closed_until = 0;
    spool_open_bucket_holding(u->sp, today, &open);
    b = bucket_for_day(today, u->cfg->counts.bucket == CONFIG_BUCKET_DAY ? 1 : 7, closed_until,
                       open.start, open.days);
    if (bucket_undated(&b))
        return; /* the clock is behind the buckets already sent: wait */
    if (b.start != u->opened.start || b.days != u->opened.days) {
        err = spool_open_bucket(u->sp, &b, u->set);
        if (!err)
            u->opened = b;
    }
    if (!err && spool_has_undated(u->sp))
        err = spool_assign_undated(u->sp, &b);
    if (err) {
        spool_failed(u, "open the current bucket", err);
        return;
    }
    if (u->write_failing)
        log_info("counts: %s can be written again", u->cfg->counts.state_dir);
    u->write_failing = false;
}

/* When the current bucket ends (wall ms), to close it on time. */
static int64_t bucket_end_ms(struct uploader *u, int64_t now)
{
    struct bucket open;
    int64_t today = bucket_day_of(now);
    if (!spool_open_bucket_holding(u->sp, today, &open))
        return (open.start + open.days) * MS_DAY;
    return (today + 1) * MS_DAY;
}

/* ---- uploads -------------------------------------------------------------------------------- */

static bool stopping(struct uploader *u)
{
    return atomic_load(&u->cancel) != 0;
}

/* Send every batch whose time has come, oldest bucket first, until one cannot be sent. */
static void uploads_work(struct uploader *u, int64_t now, bool trusted)
{
    struct spool_batch batch;
    const struct upload_api *http;
    if (now < u->gate || still_paused(u, now) || !(http = uploader_http(u)))
        return;
    u->gate = 0;
    while (!stopping(u) && !spool_next_due(u->sp, now, &batch)) {
        struct upload_reply rp;
        char text[400];
        int err = post(u->cfg, http, u->token, "batches", batch.payload, &u->cancel, &rp);
        if (stopping(u)) { /* abandoned: the same batch goes again at the next start */
            spool_batch_free(&batch);
            return;
        }
        if (!err)
            note_reply(u, &rp, now, trusted);
        enum reply_class rc = err ? REPLY_RETRY : uploader_classify(rp.status);
        batch.attempts++;
        switch (rc) {
        case REPLY_DONE:
            err = spool_delete(u->sp, batch.id);
            break;
        case REPLY_QUARANTINE: {
            char label[32];
            reply_text(&rp, text, sizeof(text));
            bucket_label(&batch.bucket, label, sizeof(label));
            log_warn("counts: the collector refused the batch of %s (%s): it is kept aside and "
                     "reported in the heartbeat",
                     label, text);
            err = spool_quarantine(u->sp, batch.id, batch.attempts, text);
            break;
        }
        case REPLY_PAUSE:
            pause_uploads(u, &rp, now);
            spool_batch_free(&batch);
            return;
        case REPLY_RETRY: {
            int64_t delay = backoff_ms(batch.attempts);
            if (!err && rp.retry_after_s > 0 && rp.retry_after_s * 1000 > delay)
                delay = rp.retry_after_s * 1000;
            char line[480] = "";
            if (err)
                snprintf(line, sizeof(line), "cannot send: %s", strerror(err));
            else
                reply_line(&rp, now, trusted, line, sizeof(line));
            err = spool_retry_at(u->sp, batch.id, batch.attempts, now + delay, line);
            spool_batch_free(&batch);
            if (err)
                spool_failed(u, "record an attempt", err);
            /* The other batches wait as long: a collector that is down or overloaded gets one
             * request at a time from this kiosk, the oldest batch's, until it answers. */
            u->gate = now + delay;
            return;
        }
        }
        spool_batch_free(&batch);
        if (err) {
            spool_failed(u, "record a reply", err);
            return;
        }
    }
}

/* ---- heartbeat ------------------------------------------------------------------------------ */

/* A random time of the next day. */
static int64_t next_day_random(int64_t now)
{
    return (bucket_day_of(now) + 1) * MS_DAY + uniform_ms(MS_DAY - 1);
}

/* The health the heartbeat reports: "pass" or "fail:CHECK". */
static void health(struct uploader *u, int quarantined, char *out, size_t len)
{
    char check[40] = "", last[48];
    int64_t dropped = 0;
    pthread_mutex_lock(&u->mx);
    counts_health_h *h = u->health;
    void *arg = u->health_arg;
    pthread_mutex_unlock(&u->mx);
    /* The first failing check, most urgent first. */
    if (u->write_failing || atomic_load(&u->ui_write_failing))
        util_strlcpy(check, "state_dir", sizeof(check));
    else if (h && !h(check, sizeof(check), arg)) {
        if (!check[0])
            util_strlcpy(check, "health", sizeof(check));
    } else if (u->sp && !spool_meta_get_text(u->sp, "self_test", last, sizeof(last)) &&
               !strncmp(last, "fail:", 5)) {
        util_strlcpy(check, last + 5, sizeof(check)); /* `openline self-test`, at start */
    } else if (quarantined)
        util_strlcpy(check, "spool.quarantined", sizeof(check));
    else if (u->sp && !spool_meta_get(u->sp, "dropped_unreported", &dropped) && dropped)
        util_strlcpy(check, "spool.dropped", sizeof(check));
    if (check[0])
        snprintf(out, len, "fail:%s", check);
    else
        util_strlcpy(out, "pass", len);
}

static void heartbeat_work(struct uploader *u, int64_t now, bool trusted)
{
    const struct upload_api *http;
    int depth = 0, quarantined = 0;
    char self_test[48];
    if (now < u->hb_due || still_paused(u, now) || !(http = uploader_http(u)))
        return;
    if (u->sp)
        spool_depth(u->sp, &depth, &quarantined);
    health(u, quarantined, self_test, sizeof(self_test));
    char *body = payload_heartbeat(bucket_day_of(now), depth, trusted, self_test);
    struct upload_reply rp;
    int err = body ? post(u->cfg, http, u->token, "heartbeat", body, &u->cancel, &rp) : ENOMEM;
    free(body);
    if (stopping(u))
        return;
    if (!err)
        note_reply(u, &rp, now, trusted);
    int64_t now2;
    bool trusted2 = trust_now(&now2);
    switch (err ? REPLY_RETRY : uploader_classify(rp.status)) {
    case REPLY_DONE:
        u->hb_failures = 0;
        if (u->sp && !strcmp(self_test, "fail:spool.dropped"))
            spool_meta_set(u->sp, "dropped_unreported", 0);
        u->hb_due = next_day_random(now2);
        break;
    case REPLY_PAUSE:
        pause_uploads(u, &rp, now);
        break;
    case REPLY_QUARANTINE:
        if (!trusted && trusted2) { /* its Date gave us the date: send the right day at once */
            u->hb_due = now2;
            break;
        }
        log_warn("counts: the collector refused the heartbeat (%d %s)", (int)rp.status,
                 rp.body_len ? rp.body : "");
        u->hb_due = next_day_random(now2);
        break;
    case REPLY_RETRY:
        u->hb_due = now2 + (rp.retry_after_s > 0 ? rp.retry_after_s * 1000 : 0) +
                    backoff_ms(++u->hb_failures);
        break;
    }
    u->hb_trusted = trusted2;
}

/* ---- the thread ----------------------------------------------------------------------------- */

/* The thread's spool connection, opened again while it cannot be (a full disk cannot take the
 * journal's files): until then the heartbeat still goes, saying fail:state_dir. */
static bool spool_ready(struct uploader *u)
{
    char err[PATH_MAX + 256];
    if (u->sp)
        return true;
    if (!spool_open(&u->sp, u->cfg->counts.state_dir, SPOOL_THREAD, err, sizeof(err))) {
        uploader_restore_anchor(u->sp);
        return true;
    }
    if (!u->write_failing)
        log_error("%s; the counts are kept and it is tried again", err);
    u->write_failing = true;
    return false;
}

static void *uploader_main(void *arg)
{
    struct uploader *u = arg;
    int64_t now;
    u->hb_trusted = trust_now(&now);
    /* At start (not a visitor's doing): a heartbeat within a minute, so that a technician sees
     * a restarted kiosk, and an untrusted clock learns the date from the reply. */
    u->hb_due = now + uniform_ms(u->hb_trusted ? MS_MINUTE : 2000);
    u->checkpoint_ms = clock_now_ms();

    pthread_mutex_lock(&u->mx);
    while (!u->stop) {
        bool checkpoint = u->checkpoint;
        u->checkpoint = false;
        u->wake = false;
        uint_fast64_t wakes = atomic_load(&u->wakes);
        pthread_mutex_unlock(&u->mx);

        trust_refresh();
        bool trusted = trust_now(&now);
        if (trusted != u->hb_trusted) { /* the date just became known, or was lost */
            u->hb_trusted = trusted;
            u->hb_due = now + uniform_ms(MS_MINUTE);
        }
        bool ready = spool_ready(u);
        if (ready && trusted)
            buckets_work(u, now);
        if (ready && (checkpoint || clock_now_ms() - u->checkpoint_ms >= UPLOADER_CHECKPOINT_MS)) {
            spool_checkpoint(u->sp); /* busy: the next one will do */
            u->checkpoint_ms = clock_now_ms();
        }
        if (ready && trusted)
            uploads_work(u, now, trusted);
        heartbeat_work(u, now, trusted);
        atomic_store(&u->settled, wakes);

        /* Sleep until the next thing is due (wall time), a minute at most. */
        trusted = trust_now(&now);
        int64_t due = u->hb_due;
        if (ready && trusted && !u->paused) {
            int64_t t = spool_next_attempt(u->sp);
            t = t < u->gate ? u->gate : t;
            due = t < due ? t : due;
        }
        if (ready && trusted) {
            int64_t t = bucket_end_ms(u, now);
            due = t < due ? t : due;
        }
        int64_t wait = due - now;
        if (wait > UPLOADER_POLL_MS)
            wait = UPLOADER_POLL_MS;
        pthread_mutex_lock(&u->mx);
        if (wait > 0 && !u->stop && !u->wake && !u->checkpoint) {
            struct timespec ts;
            util_deadline(&ts, CLOCK_MONOTONIC, (unsigned long)wait);
            while (!u->stop && !u->wake && !u->checkpoint &&
                   pthread_cond_timedwait(&u->cv, &u->mx, &ts) != ETIMEDOUT)
                ;
        }
    }
    pthread_mutex_unlock(&u->mx);
    return NULL;
}

int uploader_start(struct uploader **up, const struct config *cfg, const struct counts_set *set,
                   char *err, size_t errlen)
{
    struct uploader *u = calloc(1, sizeof(*u));
    pthread_condattr_t ca;
    int e;
    if (!u)
        return ENOMEM;
    u->cfg = cfg;
    u->set = set;
    util_strlcpy(u->token, cfg->counts.token, sizeof(u->token));
    pthread_mutex_init(&u->mx, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&u->cv, &ca);
    pthread_condattr_destroy(&ca);
    if ((e = pthread_create(&u->th, NULL, uploader_main, u))) {
        snprintf(err, errlen, "counts: cannot start the counts thread: %s", strerror(e));
        pthread_cond_destroy(&u->cv);
        pthread_mutex_destroy(&u->mx);
        spool_close(u->sp);
        free(u);
        return e;
    }
    *up = u;
    return 0;
}

void uploader_stop(struct uploader *u)
{
    if (!u)
        return;
    atomic_store(&u->cancel, 1);
    pthread_mutex_lock(&u->mx);
    u->stop = true;
    pthread_cond_signal(&u->cv);
    pthread_mutex_unlock(&u->mx);
    pthread_join(u->th, NULL);
    pthread_cond_destroy(&u->cv);
    pthread_mutex_destroy(&u->mx);
    explicit_bzero(u->token, sizeof(u->token));
    spool_close(u->sp);
    free(u);
}

void uploader_set_health(struct uploader *u, counts_health_h *h, void *arg)
{
    pthread_mutex_lock(&u->mx);
    u->health = h;
    u->health_arg = arg;
    pthread_mutex_unlock(&u->mx);
}

static void uploader_signal(struct uploader *u, bool checkpoint)
{
    pthread_mutex_lock(&u->mx);
    if (checkpoint)
        u->checkpoint = true;
    u->wake = true;
    pthread_cond_signal(&u->cv);
    pthread_mutex_unlock(&u->mx);
}

void uploader_session_ended(struct uploader *u)
{
    uploader_signal(u, true);
}

void uploader_wake(struct uploader *u)
{
    atomic_fetch_add(&u->wakes, 1);
    uploader_signal(u, false);
}

bool uploader_settle(struct uploader *u, unsigned timeout_ms)
{
    uint_fast64_t want = atomic_load(&u->wakes);
    for (unsigned waited = 0; atomic_load(&u->settled) < want; waited++) {
        if (waited >= timeout_ms)
            return false;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    return true;
}

void uploader_ui_write_failing(struct uploader *u, bool failing)
{
    atomic_store(&u->ui_write_failing, failing);
}

int uploader_post_once(const struct config *cfg, struct spool *sp, const char *kind,
                       const char *body, long *status, char *out, size_t outlen)
{
    char err[512];
    const struct upload_api *http = upload_api_load(err, sizeof(err));
    struct upload_reply rp;
    int64_t now;
    if (!http) {
        snprintf(out, outlen, "%s", err);
        return ENOENT;
    }
    bool trusted = trust_now(&now);
    int e = post(cfg, http, cfg->counts.token, kind, body, NULL, &rp);
    if (e) {
        snprintf(out, outlen, "cannot send: %s", strerror(e));
        return e;
    }
    if (sp)
        record_reply(sp, &rp, now, trusted);
    else if (rp.date_ms && !clock_is_virtual())
        trust_anchor(rp.date_ms, clock_boot_ms());
    *status = rp.status;
    reply_text(&rp, out, outlen);
    return 0;
}

/* ---- loading the upload plug-in ------------------------------------------------------------- */

static pthread_once_t upload_once = PTHREAD_ONCE_INIT;
static const struct upload_api *upload_loaded;
static char upload_error[512];

static void upload_load_once(void)
{
    const struct upload_api *api = plugin_load(
        UPLOAD_PLUGIN, UPLOAD_API_SYMBOL, "the upload plug-in", upload_error, sizeof(upload_error));
    if (api && (api->version != UPLOAD_API_VERSION || !api->build ||
                strcmp(api->build, OPENLINE_UPLOAD_ABI))) {
        snprintf(upload_error, sizeof(upload_error),
                 "the upload plug-in is from another build (%.40s, this program is %s): "
                 "reinstall both",
                 api->build ? api->build : "?", OPENLINE_UPLOAD_ABI);
        api = NULL;
    }
    upload_loaded = api;
}

const struct upload_api *upload_api_load(char *err, size_t errlen)
{
    pthread_once(&upload_once, upload_load_once);
    if (!upload_loaded)
        snprintf(err, errlen, "%s", upload_error);
    return upload_loaded;
}
