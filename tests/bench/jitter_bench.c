/* Jitter buffer benchmark (tests/bench/jitter.sh): the same simulated RTP traces through
 * app/call/jitter.c, driven as app/call/media.c drives it, and through speexdsp's JitterBuffer.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each trace is 20 ms packets from a seeded PRNG (the same packets, in the same order, at the
 * same arrival times for every buffer). The receiver is simulated event by event on one clock
 * in microseconds, as media.c and the audio driver run it:
 *   - an RTP packet is put into the buffer when it arrives (libre's receive handler);
 *   - every 5 ms the call thread's tick runs playback_path(): while the device ring holds less
 *     than jitter_buffer (20 ms) it takes 10 ms from the play FIFO, calling produce() when the
 *     FIFO holds less than 10 ms; produce() asks the buffer for one packet (20 ms decoded, 20 ms
 *     concealed, or 10 ms of silence when it is empty) after media.c's shrink rule;
 *   - every 10 ms the device callback plays a 10 ms block at 16 kHz from the ring.
 * A packet's delay is from its arrival to the moment its first sample leaves the device
 * ("heard"), and from its arrival to the get() that took it ("in buffer"). Both buffers sit in
 * the same pipeline, so the part after get() (FIFO and device, about jitter_buffer) is the same
 * for both.
 *
 * speexdsp is driven as speex's speex_jitter_get() (speexclient) does: one jitter_buffer_get() per
 * produce() asking for 20 ms, and jitter_buffer_tick() after it (the tick also moves its delay:
 * auto-adjust, which is jitter_buffer_update_delay() each tick); the delay step and the
 * concealment size are one packet, the maximum late rate its default 4 % and the late cost its
 * automatic one unless --late-rate or --late-cost say otherwise. It has no
 * playout-delay setting: its delay follows the measured lateness, floored by the margin (0).
 * It knows nothing of SSRCs: the caller must jitter_buffer_reset() it on a new source; the
 * variant "speexdsp, no reset" shows what happens when nobody does.
 *
 * Numbers, not pass/fail; but the run fails (exit 1) when the harness sees a buffer play a packet
 * twice or out of order, or decoded audio never reach the device; and when the buffer the kiosk
 * uses (app/call/jitter.c) plays a packet whose turn it had already concealed, or plays a new
 * source later than the old source's 95th percentile delay plus one packet. (speexdsp does the
 * former when it resyncs after 20 missing gets: counted and shown, not fatal.) */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <speex/speex_jitter.h>

#include "call_int.h"

enum {
    PKT_MS = 20,
    DEV_RATE = CALL_RATE,       /* the device runs at the voice path's rate: no resampling */
    DEV_BLOCK = DEV_RATE / 100, /* 10 ms device callbacks */
    TICK_US = 5000,             /* media.c TICK_MS */
    DEV_PHASE_US = 3000,        /* the device's callbacks are not in step with the call tick */
    BASE_DELAY_US = 40000,      /* one-way network delay every packet has (not counted) */
    FRAME = CALL_FRAME,         /* 20 ms at 16 kHz: what one packet decodes to */
};

/* ---- deterministic randomness (splitmix64) ---- */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static double rng_range(double lo, double hi)
{
    return lo + (hi - lo) * rng_unit();
}

/* Pareto with scale xm and shape alpha: heavy-tailed queueing delay. */
static double rng_pareto(double xm, double alpha)
{
    return xm / pow(1.0 - rng_unit(), 1.0 / alpha);
}

/* ---- traces ---- */
struct pkt {
    long idx;      /* position in send order over the whole trace */
    int src;       /* 0: the first source, 1: the one after the transfer */
    uint32_t ssrc; /* RTP header fields */
    uint16_t seq;
    uint32_t ts;
    int64_t send_us;
    int64_t arrive_us; /* -1: lost in the network */
};

struct source {
    uint32_t ssrc;
    uint16_t seq0;
    uint32_t ts0;
    long first, n; /* its packets' idx range */
};

struct trace {
    const char *name;
    const char *what;
    struct pkt *p; /* send order */
    long n;
    struct pkt **by_arrival; /* the packets that arrive, in arrival order */
    long arrived;
    struct source src[2];
    int nsrc;
    unsigned step; /* RTP timestamp units per packet */
};

enum trace_kind {
    T_STEADY,
    T_LIGHT,
    T_HEAVY,
    T_LOSS,
    T_REORDER,
    T_FAST,
    T_SLOW,
    T_SWITCH,
    T_COUNT,
};

static const struct trace_def {
    const char *name;
    const char *what;
} trace_defs[T_COUNT] = {
    [T_STEADY] = {"steady", "no jitter, no loss"},
    [T_LIGHT] = {"light", "jitter uniform 0-20 ms"},
    [T_HEAVY] = {"heavy", "jitter Pareto(4 ms, 1.5) - 4 ms, capped at 80 ms, and stalls of 40-80 "
                          "ms (0.4 % of packets start one) that arrive in a burst"},
    [T_LOSS] = {"loss5", "5 % of packets lost at random, no jitter"},
    [T_REORDER] = {"reorder", "5 % of packets 20-60 ms late (after 1-3 later ones), 0-2 ms "
                              "jitter"},
    [T_FAST] = {"drift+", "sender clock 0.5 % fast, jitter 0-2 ms"},
    [T_SLOW] = {"drift-", "sender clock 0.5 % slow, jitter 0-2 ms"},
    [T_SWITCH] = {"switch", "jitter 0-20 ms; at half time a transfer: new SSRC, random sequence "
                            "and timestamp bases, no gap"},
};

static int cmp_arrival(const void *a, const void *b)
{
    const struct pkt *x = *(const struct pkt *const *)a, *y = *(const struct pkt *const *)b;
    if (x->arrive_us != y->arrive_us)
        return x->arrive_us < y->arrive_us ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Network delay beyond BASE_DELAY_US for packet p (sent at s us), in microseconds. */
static double trace_jitter_us(enum trace_kind k, int64_t s, int64_t *stall_end)
{
    switch (k) {
    case T_STEADY:
    case T_LOSS:
        return 0;
    case T_LIGHT:
    case T_SWITCH:
        return rng_range(0, 20000);
    case T_HEAVY: {
        double j = rng_pareto(4.0, 1.5) - 4.0;
        if (j > 80.0)
            j = 80.0;
        if (s >= *stall_end && rng_unit() < 1.0 / 250)
            *stall_end = s + (int64_t)rng_range(40000, 80000);
        double us = j * 1000.0;
        if (s < *stall_end && (double)(*stall_end - s) > us)
            us = (double)(*stall_end - s); /* held in the stall, released all at once */
        return us;
    }
    case T_REORDER:
        return rng_range(0, 2000) + (rng_unit() < 0.05 ? rng_range(20000, 60000) : 0);
    case T_FAST:
    case T_SLOW:
        return rng_range(0, 2000);
    case T_COUNT:
        break;
    }
    return 0;
}

static void trace_free(struct trace *t)
{
    free(t->p);
    free(t->by_arrival);
    memset(t, 0, sizeof(*t));
}

/* Build trace k: seconds of packets, timestamps at clock Hz. Seeded from seed and k only, so
 * every buffer and every clock rate gets the same arrivals. */
static int trace_make(struct trace *t, enum trace_kind k, double seconds, unsigned clock,
                      uint64_t seed)
{
    memset(t, 0, sizeof(*t));
    rng_state = seed * 1000003u + (uint64_t)k;
    t->name = trace_defs[k].name;
    t->what = trace_defs[k].what;
    t->step = clock / 50;
    /* The sender's 20 ms, in receiver time. */
    double interval_us = PKT_MS * 1000.0;
    if (k == T_FAST)
        interval_us /= 1.005;
    else if (k == T_SLOW)
        interval_us /= 0.995;
    t->n = (long)(seconds * 1e6 / interval_us);
    t->p = calloc((size_t)t->n, sizeof(*t->p));
    t->by_arrival = calloc((size_t)t->n, sizeof(*t->by_arrival));
    if (!t->p || !t->by_arrival)
        return -1;
    t->nsrc = k == T_SWITCH ? 2 : 1;
    for (int s = 0; s < t->nsrc; s++) {
        t->src[s].ssrc = (uint32_t)rng_next();
        t->src[s].seq0 = (uint16_t)rng_next();
        t->src[s].ts0 = (uint32_t)rng_next();
        t->src[s].first = s ? t->n / 2 : 0;
        t->src[s].n = t->nsrc == 2 ? (s ? t->n - t->n / 2 : t->n / 2) : t->n;
    }
    int64_t stall_end = -1;
    for (long i = 0; i < t->n; i++) {
        struct pkt *p = &t->p[i];
        int s = t->nsrc == 2 && i >= t->src[1].first;
        long j = i - t->src[s].first;
        p->idx = i;
        p->src = s;
        p->ssrc = t->src[s].ssrc;
        p->seq = (uint16_t)(t->src[s].seq0 + j);
        p->ts = t->src[s].ts0 + (uint32_t)j * t->step;
        p->send_us = (int64_t)llround(interval_us * (double)i);
        double jit = trace_jitter_us(k, p->send_us, &stall_end);
        bool lost = k == T_LOSS && rng_unit() < 0.05;
        p->arrive_us = lost ? -1 : p->send_us + BASE_DELAY_US + (int64_t)llround(jit);
        if (!lost)
            t->by_arrival[t->arrived++] = p;
    }
    qsort(t->by_arrival, (size_t)t->arrived, sizeof(*t->by_arrival), cmp_arrival);
    return 0;
}

/* The trace index of (ssrc, seq), or of the slot before the source's first packet when seq is
 * before it; -1 for an unknown source. */
static long trace_idx_seq(const struct trace *t, uint32_t ssrc, uint16_t seq)
{
    for (int s = t->nsrc - 1; s >= 0; s--) {
        if (t->src[s].ssrc != ssrc)
            continue;
        uint16_t off = (uint16_t)(seq - t->src[s].seq0);
        return off >= 32768 ? t->src[s].first - 1 : t->src[s].first + off;
    }
    return -1;
}

/* The trace index of the packet with timestamp ts, in whichever source it falls; -1: none. */
static long trace_idx_ts(const struct trace *t, uint32_t ts)
{
    for (int s = t->nsrc - 1; s >= 0; s--) {
        int64_t off = (int32_t)(ts - t->src[s].ts0);
        if (off >= 0 && off % t->step == 0 && off / t->step < t->src[s].n)
            return t->src[s].first + (long)(off / t->step);
    }
    return -1;
}

/* ---- the buffers under test, behind one small table ---- */
struct opts {
    unsigned jitter_ms; /* [hotline] jitter_buffer */
    unsigned clock;     /* RTP clock rate */
    int late_rate;      /* speexdsp JITTER_BUFFER_SET_MAX_LATE_RATE, percent */
    int late_cost_ms;   /* speexdsp JITTER_BUFFER_SET_LATE_COST per percent late; 0: automatic */
    double seconds;
    uint64_t seed;
    bool verbose;
};

enum frame_kind {
    FRAME_AUDIO,   /* a packet decoded */
    FRAME_CONCEAL, /* a lost packet concealed (decoder PLC) or a speexdsp insertion */
    FRAME_SILENCE, /* the buffer was empty */
};

struct frame {
    enum frame_kind kind;
    unsigned samples; /* at DEV_RATE */
    long idx;         /* FRAME_AUDIO: the packet */
};

struct rx_ops {
    const char *name;
    bool kiosk; /* the buffer the kiosk uses: its requirements are checked */
    int (*alloc)(void **sp, const struct opts *o, const struct trace *t, bool reset_on_ssrc);
    void (*free)(void *s);
    void (*put)(void *s, const struct pkt *p);
    void (*produce)(void *s, struct frame *f);
    /* The trace index of the last slot the buffer has played, concealed or skipped; -1: none.
     * A packet arriving at or behind it can never be played: it is late. */
    long (*front)(void *s);
    void (*describe)(void *s, char *buf, size_t len);
};

static long payload_idx(const void *data)
{
    int32_t v;
    memcpy(&v, data, sizeof(v));
    return v;
}

/* (a) app/call/jitter.c with media.c's produce() around it. */
struct ol {
    struct call_jitter jb;
    const struct trace *t;
    unsigned jitter_ms;
    unsigned excess; /* media.c jb_excess */
};

static int ol_alloc(void **sp, const struct opts *o, const struct trace *t, bool reset_on_ssrc)
{
    struct ol *s = calloc(1, sizeof(*s));
    if (!s)
        return -1;
    s->t = t;
    s->jitter_ms = o->jitter_ms;
    /* media.c call_media_alloc(): the playout delay plus 200 ms of bursts, in packets. */
    call_jitter_init(&s->jb, o->jitter_ms / 20 + 10);
    *sp = s;
    return 0;
}

static void ol_free(void *s)
{
    free(s);
}

static void ol_put(void *sp, const struct pkt *p)
{
    struct ol *s = sp;
    int32_t v = (int32_t)p->idx;
    call_jitter_put(&s->jb, p->ssrc, p->seq, p->ts, (const uint8_t *)&v, sizeof(v),
                    (uint64_t)p->arrive_us * 1000u);
}

/* media.c produce(), the codec branch: its shrink rule, then one get. */
static void ol_produce(void *sp, struct frame *f)
{
    struct ol *s = sp;
    const struct call_jitter_slot *slot = NULL;
    unsigned want = s->jitter_ms / 20 + 2;
    s->excess = s->jb.count > want ? s->excess + 1 : 0;
    if (s->excess > 10) {
        s->excess = 0;
        if (call_jitter_get(&s->jb, &slot) == CALL_JITTER_OK)
            s->jb.dropped++;
    }
    switch (call_jitter_get(&s->jb, &slot)) {
    case CALL_JITTER_OK:
        f->kind = FRAME_AUDIO;
        f->samples = FRAME;
        f->idx = payload_idx(slot->data);
        break;
    case CALL_JITTER_LOST:
        f->kind = FRAME_CONCEAL;
        f->samples = FRAME;
        break;
    case CALL_JITTER_EMPTY:
        f->kind = FRAME_SILENCE;
        f->samples = FRAME / 2;
        break;
    }
}

static long ol_front(void *sp)
{
    struct ol *s = sp;
    return s->jb.started ? trace_idx_seq(s->t, s->jb.ssrc, (uint16_t)(s->jb.next - 1)) : -1;
}

static void ol_describe(void *sp, char *buf, size_t len)
{
    struct ol *s = sp;
    snprintf(buf, len, "jitter.c counters: late %llu lost %llu dropped %llu resets %llu",
             (unsigned long long)s->jb.late, (unsigned long long)s->jb.lost,
             (unsigned long long)s->jb.dropped, (unsigned long long)s->jb.reset);
}

static const struct rx_ops ol_ops = {
    .name = "jitter.c",
    .kiosk = true,
    .alloc = ol_alloc,
    .free = ol_free,
    .put = ol_put,
    .produce = ol_produce,
    .front = ol_front,
    .describe = ol_describe,
};

/* (b) speexdsp's JitterBuffer, as speex_jitter_get() drives it: get one packet, then tick. */
struct sx {
    JitterBuffer *jb;
    const struct trace *t;
    unsigned clock;
    spx_int32_t step;
    bool reset_on_ssrc; /* the caller's job: speexdsp has no notion of a source */
    bool have_ssrc;
    uint32_t ssrc;
    bool synced; /* a get() found something since the last reset */
    unsigned long resets, insertions, missing;
};

static int sx_alloc(void **sp, const struct opts *o, const struct trace *t, bool reset_on_ssrc)
{
    struct sx *s = calloc(1, sizeof(*s));
    if (!s)
        return -1;
    s->t = t;
    s->clock = o->clock;
    s->step = (spx_int32_t)(o->clock / 50);
    s->reset_on_ssrc = reset_on_ssrc;
    s->jb = jitter_buffer_init(s->step);
    if (!s->jb) {
        free(s);
        return -1;
    }
    /* Whole packets only: a codec frame cannot be cut. */
    jitter_buffer_ctl(s->jb, JITTER_BUFFER_SET_DELAY_STEP, &s->step);
    jitter_buffer_ctl(s->jb, JITTER_BUFFER_SET_CONCEALMENT_SIZE, &s->step);
    spx_int32_t rate = o->late_rate, margin = 0;
    jitter_buffer_ctl(s->jb, JITTER_BUFFER_SET_MAX_LATE_RATE, &rate);
    jitter_buffer_ctl(s->jb, JITTER_BUFFER_SET_MARGIN, &margin);
    if (o->late_cost_ms) {
        spx_int32_t cost = (spx_int32_t)(o->late_cost_ms * (int)o->clock / 1000);
        jitter_buffer_ctl(s->jb, JITTER_BUFFER_SET_LATE_COST, &cost);
    }
    *sp = s;
    return 0;
}

static void sx_free(void *sp)
{
    struct sx *s = sp;
    jitter_buffer_destroy(s->jb);
    free(s);
}

static void sx_put(void *sp, const struct pkt *p)
{
    struct sx *s = sp;
    if (s->reset_on_ssrc && s->have_ssrc && p->ssrc != s->ssrc) {
        jitter_buffer_reset(s->jb);
        s->synced = false;
        s->resets++;
    }
    s->have_ssrc = true;
    s->ssrc = p->ssrc;
    int32_t v = (int32_t)p->idx;
    JitterBufferPacket jp = {
        .data = (char *)&v,
        .len = sizeof(v),
        .timestamp = p->ts,
        .span = (spx_uint32_t)s->step,
        .sequence = p->seq,
        .user_data = (spx_uint32_t)p->idx,
    };
    jitter_buffer_put(s->jb, &jp);
}

static void sx_produce(void *sp, struct frame *f)
{
    struct sx *s = sp;
    char buf[64];
    spx_int32_t offset = 0;
    JitterBufferPacket jp = {.data = buf, .len = sizeof(buf)};
    int r = jitter_buffer_get(s->jb, &jp, s->step, &offset);
    if (r == JITTER_BUFFER_OK) {
        s->synced = true;
        f->kind = FRAME_AUDIO;
        f->samples = FRAME;
        f->idx = payload_idx(buf);
    } else if (r == JITTER_BUFFER_MISSING && jp.span == 0) {
        /* Nothing to sync on yet (after init or reset): media.c would play its 10 ms. */
        f->kind = FRAME_SILENCE;
        f->samples = FRAME / 2;
    } else {
        s->synced = true;
        f->kind = FRAME_CONCEAL;
        f->samples = (unsigned)((uint64_t)jp.span * DEV_RATE / s->clock);
        if (r == JITTER_BUFFER_INSERTION)
            s->insertions++;
        else
            s->missing++;
    }
    jitter_buffer_tick(s->jb);
}

static long sx_front(void *sp)
{
    struct sx *s = sp;
    if (!s->synced)
        return -1;
    return trace_idx_ts(s->t,
                        (uint32_t)jitter_buffer_get_pointer_timestamp(s->jb) - (uint32_t)s->step);
}

static void sx_describe(void *sp, char *buf, size_t len)
{
    struct sx *s = sp;
    snprintf(buf, len, "speexdsp: missing %lu, insertions %lu, resets by the caller %lu",
             s->missing, s->insertions, s->resets);
}

static const struct rx_ops sx_ops = {
    .name = "speexdsp",
    .alloc = sx_alloc,
    .free = sx_free,
    .put = sx_put,
    .produce = sx_produce,
    .front = sx_front,
    .describe = sx_describe,
};

/* ---- the receiver: call thread tick, play FIFO, device ring, device callbacks ---- */
struct result {
    long played, late, dropped;
    double conceal_ms; /* concealment and silence between the first and the last packet heard */
    double *heard_ms;  /* per played packet: arrival -> first sample out of the device */
    double *buffer_ms; /* per played packet: arrival -> get() */
    double switch_ms;  /* first arrival of the new source -> its first sample heard; <0: n/a */
    long underruns;    /* device blocks short of audio */
    long replayed;     /* packets played although their turn had been concealed */
    long errors;       /* rule violations (see the header) */
    char detail[200];
    double mean_heard, p95_heard, mean_buffer, p95_buffer;
};

struct marker {
    uint64_t pos; /* first sample of a decoded packet in the played stream */
    long idx;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void stats(double *v, long n, double *mean, double *p95)
{
    double sum = 0;
    for (long i = 0; i < n; i++)
        sum += v[i];
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    *mean = n ? sum / (double)n : 0;
    *p95 = n ? v[(long)((double)(n - 1) * 0.95)] : 0;
}

static void rx_error(struct result *r, const char *impl, const struct trace *t, const char *what,
                     long idx)
{
    if (r->errors++ < 5)
        fprintf(stderr, "jitter bench: %s on %s: %s (packet %ld)\n", impl, t->name, what, idx);
}

static int rx_run(const struct rx_ops *ops, bool reset_on_ssrc, const struct trace *t,
                  const struct opts *o, struct result *r)
{
    void *s = NULL;
    int rc = -1;
    long n = t->n;
    int64_t *heard_us = calloc((size_t)n, sizeof(*heard_us));
    int64_t *got_us = calloc((size_t)n, sizeof(*got_us));
    bool *is_late = calloc((size_t)n, sizeof(*is_late));
    /* at most one marker per produce(), one produce() per 10 ms at least */
    int64_t end_us = t->by_arrival[t->arrived - 1]->arrive_us + 1000000;
    size_t mcap = (size_t)(end_us / 10000) + 16, mhead = 0, mtail = 0;
    struct marker *mk = calloc(mcap, sizeof(*mk));

    memset(r, 0, sizeof(*r));
    r->switch_ms = -1;
    if (!heard_us || !got_us || !is_late || !mk || ops->alloc(&s, o, t, reset_on_ssrc))
        goto out;

    uint64_t produced = 0, written = 0, consumed = 0; /* sample positions */
    size_t play_n = 0;                                /* samples in media.c's play FIFO */
    size_t target = (size_t)o->jitter_ms * DEV_RATE / 1000;
    long ai = 0, front = -1, last_played = -1;
    double conceal_ms = 0, conceal_at_last = 0;
    bool any_audio = false;
    int64_t next_tick = 0, next_cb = DEV_PHASE_US;

    for (;;) {
        int64_t next_arr = ai < t->arrived ? t->by_arrival[ai]->arrive_us : INT64_MAX;
        int64_t now = next_arr;
        if (next_tick < now)
            now = next_tick;
        if (next_cb < now)
            now = next_cb;
        if (now > end_us)
            break;
        if (now == next_arr) {
            const struct pkt *p = t->by_arrival[ai++];
            if (p->idx <= front)
                is_late[p->idx] = true;
            ops->put(s, p);
        } else if (now == next_tick) {
            next_tick += TICK_US;
            /* media.c playback_path() */
            while (written - consumed < target) {
                if (play_n < FRAME / 2) {
                    struct frame f = {.idx = -1};
                    ops->produce(s, &f);
                    long fr = ops->front(s);
                    if (fr > front)
                        front = fr;
                    if (f.kind == FRAME_AUDIO) {
                        if (f.idx < 0 || f.idx >= n || f.idx <= last_played) {
                            rx_error(r, ops->name, t, "played twice or out of order", f.idx);
                        } else {
                            /* Its turn was concealed already: the audio after it is 20 ms
                             * later than it was (speexdsp's resync after 20 missing gets). */
                            if (is_late[f.idx]) {
                                r->replayed++;
                                if (ops->kiosk)
                                    rx_error(r, ops->name, t, "played after its turn had passed",
                                             f.idx);
                            }
                            last_played = f.idx;
                            got_us[f.idx] = now;
                            mk[mtail++ % mcap] = (struct marker){produced, f.idx};
                            r->played++;
                        }
                        any_audio = true;
                        conceal_at_last = conceal_ms;
                    } else if (any_audio) {
                        conceal_ms += f.samples * 1000.0 / DEV_RATE;
                    }
                    produced += f.samples;
                    play_n += f.samples;
                }
                size_t take = play_n < FRAME / 2 ? play_n : FRAME / 2;
                play_n -= take;
                written += take;
            }
        } else {
            next_cb += 10000;
            /* the device plays one block; its first sample at once, the rest sample by sample */
            uint64_t r_n = written - consumed < DEV_BLOCK ? written - consumed : DEV_BLOCK;
            if (r_n < DEV_BLOCK)
                r->underruns++;
            while (mhead != mtail && mk[mhead % mcap].pos < consumed + r_n) {
                struct marker *m = &mk[mhead++ % mcap];
                heard_us[m->idx] = now + (int64_t)((m->pos - consumed) * 1000000 / DEV_RATE);
            }
            consumed += r_n;
        }
    }
    if (mhead != mtail)
        rx_error(r, ops->name, t, "decoded audio never reached the device", mk[mhead % mcap].idx);

    r->conceal_ms = conceal_at_last;
    r->heard_ms = calloc((size_t)r->played + 1, sizeof(double));
    r->buffer_ms = calloc((size_t)r->played + 1, sizeof(double));
    if (!r->heard_ms || !r->buffer_ms)
        goto out;
    long k = 0, k_old = 0;
    int64_t first_new_arrival = INT64_MAX, first_new_heard = -1;
    for (long i = 0; i < n; i++) {
        const struct pkt *p = &t->p[i];
        if (p->arrive_us < 0)
            continue;
        if (p->src == 1 && p->arrive_us < first_new_arrival)
            first_new_arrival = p->arrive_us;
        if (heard_us[i]) {
            r->heard_ms[k] = (double)(heard_us[i] - p->arrive_us) / 1000.0;
            r->buffer_ms[k] = (double)(got_us[i] - p->arrive_us) / 1000.0;
            k++;
            if (p->src == 0)
                k_old = k; /* the old source's are first: send order is played order */
            if (p->src == 1 && first_new_heard < 0)
                first_new_heard = heard_us[i];
        } else if (is_late[i]) {
            r->late++;
        } else {
            r->dropped++;
        }
    }
    if (k != r->played)
        rx_error(r, ops->name, t, "played packets and heard packets differ", k);
    if (t->nsrc == 2)
        r->switch_ms =
            first_new_heard < 0 ? INFINITY : (double)(first_new_heard - first_new_arrival) / 1000;
    if (ops->kiosk && t->nsrc == 2) {
        /* The new source must play as soon as the old one did: within the old source's 95th
         * percentile delay and one packet. */
        double mean_old, p95_old;
        double *old = malloc(sizeof(double) * (size_t)(k_old + 1));
        if (!old)
            goto out;
        memcpy(old, r->heard_ms, sizeof(double) * (size_t)k_old);
        stats(old, k_old, &mean_old, &p95_old);
        free(old);
        if (!(r->switch_ms <= p95_old + PKT_MS))
            rx_error(r, ops->name, t,
                     "the new source is heard later than the old one's p95 delay + 20 ms",
                     t->src[1].first);
    }
    stats(r->heard_ms, r->played, &r->mean_heard, &r->p95_heard);
    stats(r->buffer_ms, r->played, &r->mean_buffer, &r->p95_buffer);
    ops->describe(s, r->detail, sizeof(r->detail));
    rc = 0;
out:
    if (s)
        ops->free(s);
    free(heard_us);
    free(got_us);
    free(is_late);
    free(mk);
    return rc;
}

static void result_free(struct result *r)
{
    free(r->heard_ms);
    free(r->buffer_ms);
}

/* ---- report ---- */
static void print_head(void)
{
    printf("%-8s %-20s %6s %5s %5s %8s | %6s %6s | %6s %6s | %7s\n", "trace", "buffer", "played",
           "late", "drop", "conceal", "heard", "p95", "inbuf", "p95", "switch");
    printf("%-8s %-20s %6s %5s %5s %8s | %6s %6s | %6s %6s | %7s\n", "", "", "pkts", "pkts", "pkts",
           "ms", "mean", "ms", "mean", "ms", "ms");
}

static void print_row(const char *trace, const char *name, const struct result *r)
{
    char sw[16] = "-";
    if (r->switch_ms >= 0)
        snprintf(sw, sizeof(sw), isinf(r->switch_ms) ? "never" : "%.1f", r->switch_ms);
    printf("%-8s %-20s %6ld %5ld %5ld %8.0f | %6.1f %6.1f | %6.1f %6.1f | %7s\n", trace, name,
           r->played, r->late, r->dropped, r->conceal_ms, r->mean_heard, r->p95_heard,
           r->mean_buffer, r->p95_buffer, sw);
    if (r->replayed)
        printf("%-8s   (%ld played after their turn had been concealed: a resync)\n", "",
               r->replayed);
}

static void ratio(char *buf, size_t len, double a, double b)
{
    if (b > 0)
        snprintf(buf, len, "%.2f", a / b);
    else
        snprintf(buf, len, a > 0 ? "inf" : "=");
}

static void usage(void)
{
    fprintf(stderr, "usage: jitter_bench [--seconds S] [--clock HZ] [--jitter-ms MS] "
                    "[--late-rate PCT] [--late-cost MS] [--seed N] [--trace NAME] [--verbose]\n");
}

int main(int argc, char **argv)
{
    struct opts o = {.jitter_ms = 20, .clock = 8000, .late_rate = 4, .seconds = 60, .seed = 1};
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (!strcmp(a, "--verbose")) {
            o.verbose = true;
            continue;
        }
        if (!v) {
            usage();
            return 2;
        }
        i++;
        if (!strcmp(a, "--trace")) {
            only = v;
            continue;
        }
        if (!strcmp(a, "--seconds"))
            o.seconds = strtod(v, &end);
        else if (!strcmp(a, "--clock"))
            o.clock = (unsigned)strtoul(v, &end, 10);
        else if (!strcmp(a, "--jitter-ms"))
            o.jitter_ms = (unsigned)strtoul(v, &end, 10);
        else if (!strcmp(a, "--late-rate"))
            o.late_rate = (int)strtol(v, &end, 10);
        else if (!strcmp(a, "--late-cost"))
            o.late_cost_ms = (int)strtol(v, &end, 10);
        else if (!strcmp(a, "--seed"))
            o.seed = strtoull(v, &end, 10);
        if (!end || end == v || *end) {
            usage();
            return 2;
        }
    }
    if (o.seconds < 2 || o.clock < 8000 || o.clock % 50 || o.jitter_ms < 10 || o.late_rate < 1 ||
        o.late_rate > 100 || o.late_cost_ms < 0 || o.late_cost_ms > 1000) {
        usage();
        return 2;
    }

    bool known = !only;
    for (int k = 0; k < T_COUNT && !known; k++)
        known = !strcmp(only, trace_defs[k].name);
    if (!known) {
        fprintf(stderr, "jitter bench: no trace %s\n", only);
        usage();
        return 2;
    }
    char late_cost[32] = "automatic";
    if (o.late_cost_ms)
        snprintf(late_cost, sizeof(late_cost), "%d ms per %%", o.late_cost_ms);
    printf("jitter bench: %.0f s traces of 20 ms packets (seed %llu), RTP clock %u Hz, "
           "jitter_buffer %u ms\n",
           o.seconds, (unsigned long long)o.seed, o.clock, o.jitter_ms);
    printf("  receiver as media.c: put on arrival; 5 ms tick keeps %u ms in the device ring "
           "(produce(): shrink rule, one get);\n  10 ms device blocks at 16 kHz. speexdsp: get + "
           "tick per 20 ms, step 1 packet, max late rate %d %%,\n  late cost %s, margin 0.\n",
           o.jitter_ms, o.late_rate, late_cost);
    printf("  heard = arrival -> first sample out of the device; inbuf = arrival -> get(); "
           "conceal = PLC + silence\n  between first and last packet heard; late = arrived after "
           "its turn; drop = discarded to cut delay.\n\n");

    long errors = 0;
    struct summary {
        struct result ol, sx;
    } sum[T_COUNT];
    bool ran[T_COUNT] = {0};
    for (int k = 0; k < T_COUNT; k++) {
        struct trace t;
        if (only && strcmp(only, trace_defs[k].name))
            continue;
        if (trace_make(&t, (enum trace_kind)k, o.seconds, o.clock, o.seed)) {
            fprintf(stderr, "jitter bench: out of memory\n");
            return 1;
        }
        printf("%s: %s\n  %ld sent, %ld arrived\n", t.name, t.what, t.n, t.arrived);
        print_head();
        struct result *ro = &sum[k].ol, *rs = &sum[k].sx, naive;
        if (rx_run(&ol_ops, false, &t, &o, ro) || rx_run(&sx_ops, true, &t, &o, rs)) {
            fprintf(stderr, "jitter bench: out of memory\n");
            return 1;
        }
        print_row(t.name, "jitter.c", ro);
        print_row(t.name, t.nsrc == 2 ? "speexdsp, reset" : "speexdsp", rs);
        errors += ro->errors + rs->errors;
        if (t.nsrc == 2) {
            /* What a caller that does not reset gets: the old timeline goes on. */
            if (rx_run(&sx_ops, false, &t, &o, &naive))
                return 1;
            print_row(t.name, "speexdsp, no reset", &naive);
            if (o.verbose)
                printf("  (no reset) %s\n", naive.detail);
            result_free(&naive);
        }
        if (o.verbose)
            printf("  %s\n  %s\n  device underruns: jitter.c %ld, speexdsp %ld\n", ro->detail,
                   rs->detail, ro->underruns, rs->underruns);
        printf("\n");
        ran[k] = true;
        trace_free(&t);
    }

    printf("speexdsp / jitter.c (below 1: speexdsp better; = : both zero)\n");
    printf("%-8s %10s %10s %10s %10s %10s\n", "trace", "heard", "heard p95", "conceal", "late+drop",
           "switch");
    for (int k = 0; k < T_COUNT; k++) {
        if (!ran[k])
            continue;
        const struct result *a = &sum[k].sx, *b = &sum[k].ol;
        char c1[16], c2[16], c3[16], c4[16], c5[16] = "-";
        ratio(c1, sizeof(c1), a->mean_heard, b->mean_heard);
        ratio(c2, sizeof(c2), a->p95_heard, b->p95_heard);
        ratio(c3, sizeof(c3), a->conceal_ms, b->conceal_ms);
        ratio(c4, sizeof(c4), (double)(a->late + a->dropped), (double)(b->late + b->dropped));
        if (a->switch_ms >= 0)
            ratio(c5, sizeof(c5), a->switch_ms, b->switch_ms);
        printf("%-8s %10s %10s %10s %10s %10s\n", trace_defs[k].name, c1, c2, c3, c4, c5);
        result_free(&sum[k].ol);
        result_free(&sum[k].sx);
    }
    if (errors) {
        fprintf(stderr, "jitter bench: %ld rule violations (above)\n", errors);
        return 1;
    }
    return 0;
}
