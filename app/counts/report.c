/* For technicians: `openline counts` (the outbox, the clock, the last reply; never the live
 * counter values) and the counts' part of `openline self-test`.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "counts_int.h"
#include "openline/config.h"
#include "openline/day.h"

/* --upload-now: every waiting batch once, each reply printed and acted on as the counts thread
 * would (a refused token stops it). */
static void upload_now(const struct config *cfg, struct spool *sp, FILE *out)
{
    struct spool_batch *v = NULL;
    size_t n = 0;
    char label[32], text[400];
    if (spool_list(sp, &v, &n)) {
        fprintf(out, "upload: cannot read the outbox: %s\n", spool_errmsg(sp));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        long status = 0;
        if (v[i].state != SPOOL_WAITING)
            continue;
        bucket_label(&v[i].bucket, label, sizeof(label));
        if (uploader_post_once(cfg, sp, "batches", v[i].payload, &status, text, sizeof(text))) {
            fprintf(out, "upload %s: %s\n", label, text);
            break;
        }
        fprintf(out, "upload %s: %s\n", label, text);
        enum reply_class rc = uploader_classify(status);
        if (rc == REPLY_DONE)
            spool_delete(sp, v[i].id);
        else if (rc == REPLY_QUARANTINE)
            spool_quarantine(sp, v[i].id, v[i].attempts + 1, text);
        else if (rc == REPLY_PAUSE)
            break;
        else if (!status)
            break; /* unreachable: the others would fail the same way */
    }
    spool_list_free(v, n);
}

int counts_report(const struct config *cfg, bool upload, FILE *out, char *err, size_t errlen)
{
    struct spool *sp;
    struct spool_batch *v = NULL;
    size_t n = 0;
    int64_t now, dropped = 0;
    char text[480], when[40], label[32];

    if (!cfg->counts.collector[0]) {
        fprintf(out, "counting is off: the configuration has no [counts] collector\n");
        return 0;
    }
    int e = spool_open(&sp, cfg->counts.state_dir, SPOOL_TOOL, err, errlen);
    if (e == ENOENT) {
        trust_refresh();
        fprintf(out, "collector:  %s\n", cfg->counts.collector);
        fprintf(out, "clock:      %s (%s)\n", trust_now(&now) ? "trusted" : "untrusted",
                trust_source());
        fprintf(out, "outbox:     0 batch(es): %s\n", err);
        return 0;
    }
    if (e)
        return 1;
    uploader_restore_anchor(sp);
    trust_refresh();
    if (upload)
        upload_now(cfg, sp, out);
    bool trusted = trust_now(&now);
    fprintf(out, "collector:  %s\n", cfg->counts.collector);
    fprintf(out, "clock:      %s (%s)\n", trusted ? "trusted" : "untrusted", trust_source());
    if (cfg->counts.noise == CONFIG_NOISE_GEOMETRIC)
        fprintf(out, "buckets:    one %s, two-sided geometric noise, epsilon %g\n",
                cfg->counts.bucket == CONFIG_BUCKET_DAY ? "day" : "week", cfg->counts.epsilon);
    else
        fprintf(out, "buckets:    one %s, NO noise (noise = none: tests and labs only)\n",
                cfg->counts.bucket == CONFIG_BUCKET_DAY ? "day" : "week");
    if (spool_list(sp, &v, &n)) {
        snprintf(err, errlen, "counts: cannot read the outbox in %s: %s", cfg->counts.state_dir,
                 spool_errmsg(sp));
        spool_close(sp);
        return 1;
    }
    spool_meta_get(sp, "dropped", &dropped);
    fprintf(out, "outbox:     %zu batch(es) not yet acknowledged by the collector", n);
    if (dropped)
        fprintf(out, "; %lld older batch(es) dropped (more than %d waited)", (long long)dropped,
                SPOOL_MAX_BATCHES);
    fputc('\n', out);
    if (n)
        fprintf(out, "  %-12s %-32s %8s  %-20s %s\n", "bucket", "batch", "attempts", "next attempt",
                "state");
    for (size_t i = 0; i < n; i++) {
        bucket_label(&v[i].bucket, label, sizeof(label));
        bucket_format_time(v[i].next_attempt_ms, when, sizeof(when));
        bool waiting = v[i].state == SPOOL_WAITING;
        fprintf(out, "  %-12s %-32s %8lld  %-20s %s%s%s%s\n", label, v[i].id,
                (long long)v[i].attempts, waiting ? when : "-", waiting ? "waiting" : "quarantined",
                !v[i].reason[0] ? ""
                : waiting       ? " (last reply: "
                                : ": ",
                v[i].reason, waiting && v[i].reason[0] ? ")" : "");
    }
    spool_list_free(v, n);
    if (spool_meta_get_text(sp, "last_reply", text, sizeof(text)))
        snprintf(text, sizeof(text), "none yet");
    fprintf(out, "last reply: %s\n", text);
    spool_close(sp);
    return 0;
}

/* No spool yet: can this user make the folder (or is it there) and write in it? */
static bool state_dir_usable(const char *dir, char *why, size_t len)
{
    char parent[PATH_MAX];
    snprintf(parent, sizeof(parent), "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent)
        *slash = '\0';
    else if (slash)
        slash[1] = '\0';
    if (!access(dir, W_OK | X_OK)) {
        snprintf(why, len, "%s writable; the kiosk makes counts.db there when it first counts",
                 dir);
        return true;
    }
    if (errno == ENOENT && !access(parent, W_OK | X_OK)) {
        snprintf(why, len, "%s will be made by the kiosk when it first counts", dir);
        return true;
    }
    snprintf(why, len, "%s: %s (for this user)", access(dir, F_OK) ? parent : dir, strerror(errno));
    return false;
}

int counts_self_test(const struct config *cfg, const char *self_test,
                     int (*report)(const char *check, int level, const char *reason))
{
    char err[600], why[PATH_MAX + 700];
    struct spool *sp = NULL;
    int failed = 0;

    if (!cfg->counts.collector[0])
        return report("counts", 0, "off: no [counts] collector, nothing is counted or sent");
    /* state directory: the spool opens and takes a write (the result of this self-test, which
     * the heartbeat reports) */
    int e = spool_open(&sp, cfg->counts.state_dir, SPOOL_TOOL, err, sizeof(err));
    if (e == ENOENT) {
        if (!state_dir_usable(cfg->counts.state_dir, why, sizeof(why)))
            failed += report("state_dir", 2, why);
        else
            report("state_dir", 0, why);
    } else if (e || spool_meta_set_text(sp, "self_test", self_test)) {
        failed += report("state_dir", 2, sp ? spool_errmsg(sp) : err);
        spool_close(sp);
        sp = NULL;
    } else {
        struct statvfs fs;
        if (!statvfs(cfg->counts.state_dir, &fs) &&
            (unsigned long long)fs.f_bavail * fs.f_frsize < 1024 * 1024) {
            snprintf(why, sizeof(why), "%s/counts.db writable, but less than 1 MiB is free",
                     cfg->counts.state_dir);
            failed += report("state_dir", 1, why);
        } else {
            snprintf(why, sizeof(why), "%s/counts.db writable", cfg->counts.state_dir);
            report("state_dir", 0, why);
        }
        uploader_restore_anchor(sp);
    }
    /* token: config_load refused a file others can read or without a token */
    snprintf(why, sizeof(why), "%s is private and holds a token", cfg->counts.token_file);
    report("token", 0, why);
    if (cfg->counts.noise == CONFIG_NOISE_NONE)
        report("noise", 1,
               "noise = none: exact counts leave this kiosk; for tests and labs only, never at a "
               "site");
    /* collector: a heartbeat, carrying the result of this self-test */
    trust_refresh();
    int64_t now;
    bool trusted = trust_now(&now);
    int depth = 0;
    if (sp)
        spool_depth(sp, &depth, NULL);
    char test[48];
    snprintf(test, sizeof(test), "%s",
             failed && !strcmp(self_test, "pass") ? "fail:state_dir" : self_test);
    char *body = payload_heartbeat(bucket_day_of(now), depth, trusted, test);
    long status = 0;
    char text[420];
    if (!body || uploader_post_once(cfg, sp, "heartbeat", body, &status, text, sizeof(text))) {
        snprintf(why, sizeof(why), "%s", body ? text : "out of memory");
        failed += report("collector", 2, why);
    } else if (status == 204) {
        snprintf(why, sizeof(why), "%s: heartbeat accepted, token valid", cfg->counts.collector);
        report("collector", 0, why);
    } else {
        snprintf(why, sizeof(why), "%s: %s", cfg->counts.collector, text);
        failed += report("collector", 2, why);
    }
    free(body);
    /* clock: after the heartbeat, whose Date may have given it */
    trusted = trust_now(&now);
    if (trusted) {
        snprintf(why, sizeof(why), "trusted (%s)", trust_source());
        report("clock", 0, why);
    } else {
        failed += report("clock", 2,
                         "untrusted: not synchronised by NTP and no reply from the collector; "
                         "counts wait undated until the date is known");
    }
    spool_close(sp);
    return failed;
}
