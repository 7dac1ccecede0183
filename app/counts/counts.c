/* Counting on the UI thread: which counters this session already counted (in memory only), and
 * one SQLite update per counted event into the current bucket.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counts_int.h"
#include "openline/clock.h"
#include "openline/config.h"
#include "openline/log.h"
#include "openline/util.h"

/* Writes kept in memory while the spool cannot take them (its lock held by the counts thread
 * for a moment, or the disk full). Beyond this many, the oldest bucket's are moved to the
 * newest: a count may change bucket, it is never dropped. */
#define COUNTS_MAX_PENDING 256
/* Tried again this soon after the lock was busy, and this soon after other failures. */
#define COUNTS_RETRY_BUSY_MS 20
#define COUNTS_RETRY_FAIL_MS 2000

static const char *const fixed_names[COUNTS_N_FIXED] = {
    [COUNTS_SESSIONS] = "sessions",
    [COUNTS_QUICK_EXIT] = "quick_exit",
    [COUNTS_READ_ALOUD] = "read_aloud",
    [COUNTS_CALL_ATTEMPTED] = "call.attempted",
    [COUNTS_CALL_CONNECTED] = "call.connected",
    [COUNTS_CALL_FAILED] = "call.failed",
};

struct counts_pending {
    struct bucket b;
    int idx; /* into set */
    int64_t delta;
};

struct counts {
    const struct config *cfg;
    struct counts_set set;
    struct spool *sp; /* the UI thread's connection */
    struct uploader *up;
    bool session;
    unsigned char *counted; /* per counter of set: already counted in this session */

    /* the bucket of cached_day (recomputed when the day or the clock's trust changes) */
    int64_t cached_day;
    bool cached_valid;
    struct bucket cached;

    struct counts_pending pending[COUNTS_MAX_PENDING];
    size_t n_pending;
    uint64_t retry_ms; /* monotonic time of the next try, 0: nothing pending */
};

/* ---- the closed set ------------------------------------------------------------------------ */

/* Names wire v1 accepts for lang.CODE and page.ID (docs/wire-v1.md): a name the collector would
 * refuse would have every batch quarantined, so it is left out here, with a message. */
static bool wire_name_ok(const char *prefix, const char *code)
{
    static const char lang_re[] = "^[a-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,2}$";
    static const char page_re[] = "^[a-z0-9-]{1,32}$";
    regex_t re;
    if (regcomp(&re, strcmp(prefix, "lang.") ? page_re : lang_re, REG_EXTENDED | REG_NOSUB))
        return false;
    bool ok = !regexec(&re, code, 0, NULL, 0);
    regfree(&re);
    return ok;
}

static int set_add(struct counts_set *set, const char *prefix, const char *code)
{
    char name[80];
    if (*prefix && !wire_name_ok(prefix, code)) {
        log_error("counts: %s%s cannot be counted (not a name wire v1 accepts); left out", prefix,
                  code);
        return 0;
    }
    snprintf(name, sizeof(name), "%s%s", prefix, code);
    if (counts_set_find(set, name) >= 0)
        return 0;
    char **nn = realloc(set->names, (set->n + 1) * sizeof(*nn));
    if (!nn)
        return ENOMEM;
    set->names = nn;
    if (!(set->names[set->n] = strdup(name)))
        return ENOMEM;
    set->n++;
    return 0;
}

int counts_set_build(struct counts_set *set, const char *const *langs, unsigned n_langs,
                     const char *const *pages, unsigned n_pages)
{
    int err = 0;
    memset(set, 0, sizeof(*set));
    for (int i = 0; !err && i < COUNTS_N_FIXED; i++)
        err = set_add(set, "", fixed_names[i]);
    for (unsigned i = 0; !err && i < n_langs; i++)
        err = set_add(set, "lang.", langs[i]);
    for (unsigned i = 0; !err && i < n_pages; i++)
        err = set_add(set, "page.", pages[i]);
    if (err)
        counts_set_free(set);
    return err;
}

void counts_set_free(struct counts_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->names[i]);
    free(set->names);
    memset(set, 0, sizeof(*set));
}

int counts_set_find(const struct counts_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++) {
        if (!strcmp(set->names[i], name))
            return (int)i;
    }
    return -1;
}

/* ---- start and stop ------------------------------------------------------------------------ */

static void counts_on_advance(void *arg)
{
    struct counts *c = arg;
    uploader_wake(c->up);
}

int counts_start(struct counts **cp, const struct config *cfg, const char *const *langs,
                 unsigned n_langs, const char *const *pages, unsigned n_pages, char *err,
                 size_t errlen)
{
    struct counts *c;
    int e;

    if (!cfg->counts.collector[0]) {
        *cp = NULL;
        return 0;
    }
    if (!(c = calloc(1, sizeof(*c))))
        return ENOMEM;
    c->cfg = cfg;
    if ((e = counts_set_build(&c->set, langs, n_langs, pages, n_pages)) ||
        !(c->counted = calloc(c->set.n, 1))) {
        snprintf(err, errlen, "counts: out of memory");
        counts_set_free(&c->set);
        free(c);
        return e ? e : ENOMEM;
    }
    /* A spool that cannot be opened now (a full disk) is opened again when a count is written;
     * the counts wait in memory meanwhile. */
    if (spool_open(&c->sp, cfg->counts.state_dir, SPOOL_UI, err, errlen))
        log_error("%s; counts are kept in memory until it can be written", err);
    else
        uploader_restore_anchor(c->sp);
    trust_refresh();
    if ((e = uploader_start(&c->up, cfg, &c->set, err, errlen)))
        goto fail;
    clock_set_advance_hook(counts_on_advance, c);
    *cp = c;
    return 0;
fail:
    spool_close(c->sp);
    counts_set_free(&c->set);
    free(c->counted);
    free(c);
    return e;
}

static void flush(struct counts *c);

void counts_stop(struct counts *c)
{
    if (!c)
        return;
    clock_set_advance_hook(NULL, NULL);
    uploader_stop(c->up);
    if (c->n_pending) {
        flush(c);
        if (c->n_pending)
            log_error("counts: %zu count(s) could not be written to %s: %s", c->n_pending,
                      c->cfg->counts.state_dir, spool_errmsg(c->sp));
    }
    spool_close(c->sp);
    counts_set_free(&c->set);
    free(c->counted);
    free(c);
}

void counts_set_health(struct counts *c, counts_health_h *h, void *arg)
{
    if (c)
        uploader_set_health(c->up, h, arg);
}

/* ---- counting ------------------------------------------------------------------------------ */

/* The bucket a count made now belongs in (undated while the clock is not trusted). */
static struct bucket current_bucket(struct counts *c)
{
    int64_t now, closed_until = 0;
    if (!trust_now(&now)) {
        c->cached_valid = false;
        return (struct bucket){BUCKET_UNDATED_START, 0};
    }
    int64_t day = bucket_day_of(now);
    if (c->cached_valid && c->cached_day == day)
        return c->cached;
    struct bucket open = {0, 0};
    if (!c->sp || spool_meta_get(c->sp, "closed_until", &closed_until))
        closed_until = 0;
    if (c->sp)
        spool_open_bucket_holding(c->sp, day, &open);
    c->cached = bucket_for_day(day, c->cfg->counts.bucket == CONFIG_BUCKET_DAY ? 1 : 7,
                               closed_until, open.start, open.days);
    c->cached_day = day;
    c->cached_valid = c->sp != NULL; /* without the spool: a guess, made again with it */
    return c->cached;
}

static bool same_bucket(const struct bucket *a, const struct bucket *b)
{
    return a->start == b->start && a->days == b->days;
}

static void pending_push(struct counts *c, const struct bucket *b, int idx)
{
    for (size_t i = 0; i < c->n_pending; i++) {
        if (c->pending[i].idx == idx && same_bucket(&c->pending[i].b, b)) {
            c->pending[i].delta++;
            return;
        }
    }
    if (c->n_pending == COUNTS_MAX_PENDING) {
        /* Full (a disk full for a long time): fold everything into this bucket. */
        size_t n = 0;
        for (size_t i = 0; i < c->n_pending; i++) {
            struct counts_pending p = c->pending[i];
            p.b = *b;
            size_t j;
            for (j = 0; j < n && c->pending[j].idx != p.idx; j++)
                ;
            if (j < n)
                c->pending[j].delta += p.delta;
            else
                c->pending[n++] = p;
        }
        c->n_pending = n;
        pending_push(c, b, idx);
        return;
    }
    c->pending[c->n_pending++] = (struct counts_pending){*b, idx, 1};
}

/* Write what is pending: one statement for one count (the usual case), else one transaction. */
static void flush(struct counts *c)
{
    char msg[PATH_MAX + 256];
    int err;
    if (!c->sp && spool_open(&c->sp, c->cfg->counts.state_dir, SPOOL_UI, msg, sizeof(msg))) {
        err = EIO;
    } else if (c->n_pending == 1) {
        err = spool_add(c->sp, &c->pending[0].b, c->set.names[c->pending[0].idx],
                        c->pending[0].delta);
    } else {
        err = spool_begin(c->sp);
        for (size_t i = 0; !err && i < c->n_pending; i++)
            err = spool_add(c->sp, &c->pending[i].b, c->set.names[c->pending[i].idx],
                            c->pending[i].delta);
        if (!err)
            err = spool_commit(c->sp);
        if (err)
            spool_rollback(c->sp);
    }
    if (!err) {
        c->n_pending = 0;
        c->retry_ms = 0;
        uploader_ui_write_failing(c->up, false);
        return;
    }
    /* Kept, and tried again from counts_tick(). Nothing is logged here: a log line would say
     * when a visitor was at the kiosk; the counts thread reports a spool it cannot write. */
    c->retry_ms = clock_now_ms() + (err == EBUSY ? COUNTS_RETRY_BUSY_MS : COUNTS_RETRY_FAIL_MS);
    if (err != EBUSY)
        uploader_ui_write_failing(c->up, true);
}

static void count(struct counts *c, int idx)
{
    if (!c || !c->session || idx < 0 || c->counted[idx])
        return;
    c->counted[idx] = 1;
    struct bucket b = current_bucket(c);
    pending_push(c, &b, idx);
    flush(c);
}

void counts_add(struct counts *c, enum counts_fixed which)
{
    count(c, (int)which); /* the fixed names come first in the set */
}

static void count_named(struct counts *c, const char *prefix, const char *code)
{
    char name[80];
    if (!c || !c->session)
        return;
    snprintf(name, sizeof(name), "%s%s", prefix, code);
    count(c, counts_set_find(&c->set, name));
}

void counts_add_lang(struct counts *c, const char *code)
{
    count_named(c, "lang.", code);
}

void counts_add_page(struct counts *c, const char *id)
{
    count_named(c, "page.", id);
}

void counts_session_begin(struct counts *c)
{
    if (!c || c->session)
        return;
    c->session = true;
    memset(c->counted, 0, c->set.n);
    counts_add(c, COUNTS_SESSIONS);
}

void counts_session_end(struct counts *c)
{
    if (!c || !c->session)
        return;
    c->session = false;
    memset(c->counted, 0, c->set.n);
    uploader_session_ended(c->up);
}

unsigned counts_unwritten(const struct counts *c)
{
    unsigned n = 0;
    for (size_t i = 0; c && i < c->n_pending; i++)
        n += c->pending[i].delta;
    return n;
}

bool counts_in_session(const struct counts *c)
{
    return c && c->session;
}

uint64_t counts_tick(struct counts *c, uint64_t now_ms)
{
    if (!c || !c->n_pending)
        return 0;
    if (now_ms >= c->retry_ms)
        flush(c);
    return c->n_pending ? c->retry_ms : 0;
}

bool counts_settle(struct counts *c, unsigned timeout_ms)
{
    return !c || uploader_settle(c->up, timeout_ms);
}

int counts_outbox(struct counts *c)
{
    int n = -1;
    if (c && (!c->sp || spool_depth(c->sp, &n, NULL)))
        n = -1;
    return n;
}
