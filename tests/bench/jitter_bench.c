/* Jitter buffer benchmark (tests/bench/jitter.sh): the same simulated RTP traces through
 * app/call/jitter.c on app/call/playout.c's schedule, driven as app/call/media.c drives them,
 * and through speexdsp's JitterBuffer.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each trace is 20 ms packets from a seeded PRNG (the same packets, in the same order, at the
 * same arrival times for every buffer). The receiver is simulated event by event on one clock
 * in microseconds, as media.c and the audio driver run it:
 *   - an RTP packet is put into the buffer when it arrives (libre's receive handler);
 *   - every 10 ms the device callback takes a 10 ms block at 16 kHz from the device ring (its
 *     first sample is heard at once, the rest sample by sample);
 *   - every 5 ms the call thread's tick runs.
 * Ours: media.c's playback_path() runs after every packet's put, after every device callback
 * (the driver wakes the call thread) and at every tick. It asks call_playout_next() with what
 * media.c's queued_us() gives (what the ring holds, plus the wait for the next callback; the ring
 * alone; the device block) and does what it says until CALL_PLAYOUT_WAIT (32 steps at most, as
 * media.c): silence, a packet decoded (20 ms less its trim) into the ring, 10 ms of concealment,
 * or a lost packet skipped. Nothing of the schedule is copied here: playout.o is linked.
 * speexdsp is driven as speex's speex_jitter_get() (speexclient) does, at the same playout
 * delay: at every tick, while the device ring holds less than jitter_buffer (20 ms), 10 ms is
 * moved into it from a play FIFO, which takes one jitter_buffer_get() asking for 20 ms when it
 * holds less than 10 ms, followed by jitter_buffer_tick() (the tick also moves its delay:
 * auto-adjust, which is jitter_buffer_update_delay() each tick); 10 ms of silence while it has
 * nothing to sync on. The delay step and the concealment size are one packet, the maximum late
 * rate its default 4 % and the late cost its automatic one unless --late-rate or --late-cost say
 * otherwise. It has no playout-delay setting: its delay follows the measured lateness, floored
 * by the margin (0). It knows nothing of SSRCs: the caller must jitter_buffer_reset() it on a new
 * source; the variant "speexdsp, no reset" shows what happens when nobody does.
 * A packet's delay is from its arrival to the moment its first sample played leaves the device
 * ("heard"; after a trim, the first sample kept), and from its arrival to the get() that took it
 * ("in buffer"). A trimmed packet is played, not lost: the trim column adds up what was left out.
 *
 * Numbers, not pass/fail; but the run fails (exit 1) when the harness sees a buffer play a packet
 * twice or out of order, or decoded audio never reach the device; and when the buffer the kiosk
 * uses (app/call/jitter.c on playout.c's schedule) plays a packet whose turn it had already
 * passed, plays a new source later than the old source's 95th percentile delay plus one packet,
 * trims more than 10 ms from a packet, is told to decode a packet that is not there or to skip
 * one that is, lets the device run short of audio, or does not settle within 32 steps.
 * (speexdsp plays packets whose turn it concealed when it resyncs after 20 missing gets:
 * counted and shown, not fatal.) */
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

/* When a buffer's playout runs: media.c runs ours at all three, speexdsp runs at the tick. */
enum rx_event {
    RX_ARRIVAL, /* a packet was put */
    RX_TICK,    /* the call thread's 5 ms tick */
    RX_CALLBACK /* the device took a block */
};

struct rx;

struct rx_ops {
    const char *name;
    bool kiosk; /* the buffer the kiosk uses: its requirements are checked */
    int (*alloc)(void **sp, const struct opts *o, const struct trace *t, bool reset_on_ssrc);
    void (*free)(void *s);
    void (*put)(void *s, const struct pkt *p);
    /* Whatever is due at now (us): frames into rx_emit(), samples into the device ring
     * (rx->written). */
    void (*run)(void *s, struct rx *rx, enum rx_event ev, int64_t now);
    /* The trace index of the last slot the buffer has played or skipped (speexdsp: concealed
     * too); -1: none. A packet arriving at or behind it can never be played: it is late. */
    long (*front)(void *s);
    void (*describe)(void *s, char *buf, size_t len);
};

/* ---- the receiver: what the buffers hand on, the device ring, the device ---- */
struct result {
    long played, late, dropped;
    double conceal_ms; /* concealment and silence between the first and the last packet heard */
    long trims;        /* packets played without their first trim_ms (ours: back to the delay) */
    double trim_ms;
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

struct rx {
    const struct rx_ops *ops;
    void *s; /* the buffer under test */
    const struct trace *t;
    struct result *r;
    /* sample positions in the stream the buffer makes: made, in the ring or played, played */
    uint64_t produced, written, consumed;
    int64_t last_cb; /* the device's last callback (us); -1: none yet */
    long front, last_played;
    bool *is_late;     /* per packet: it arrived at or behind front */
    int64_t *got_us;   /* per packet: its get() */
    int64_t *heard_us; /* per packet: its first sample out of the device */
    struct marker *mk; /* decoded packets not yet heard, in stream order */
    size_t mcap, mhead, mtail;
    double conceal_ms, conceal_at_last;
    bool any_audio;
};

static void rx_error(struct rx *rx, const char *what, long idx)
{
    if (rx->r->errors++ < 5)
        fprintf(stderr, "jitter bench: %s on %s: %s (packet %ld)\n", rx->ops->name, rx->t->name,
                what, idx);
}

/* After every get(): how far the buffer has moved, for telling late packets. */
static void rx_note_front(struct rx *rx)
{
    long fr = rx->ops->front(rx->s);
    if (fr > rx->front)
        rx->front = fr;
}

/* A frame made by the buffer's playout at now: checked and counted, its samples appended to the
 * stream (the caller moves them into the device ring). */
static void rx_emit(struct rx *rx, const struct frame *f, int64_t now)
{
    struct result *r = rx->r;
    if (f->kind == FRAME_AUDIO) {
        if (f->idx < 0 || f->idx >= rx->t->n || f->idx <= rx->last_played) {
            rx_error(rx, "played twice or out of order", f->idx);
        } else {
            /* Its turn had passed: the audio after it is 20 ms later than it was (speexdsp's
             * resync after 20 missing gets). */
            if (rx->is_late[f->idx]) {
                r->replayed++;
                if (rx->ops->kiosk)
                    rx_error(rx, "played after its turn had passed", f->idx);
            }
            rx->last_played = f->idx;
            rx->got_us[f->idx] = now;
            rx->mk[rx->mtail++ % rx->mcap] = (struct marker){rx->produced, f->idx};
            r->played++;
        }
        rx->any_audio = true;
        rx->conceal_at_last = rx->conceal_ms;
    } else if (rx->any_audio) {
        rx->conceal_ms += f->samples * 1000.0 / DEV_RATE;
    }
    rx->produced += f->samples;
}

static unsigned us_to_samples(unsigned us)
{
    return (unsigned)((uint64_t)us * DEV_RATE / 1000000u);
}

static long payload_idx(const void *data)
{
    int32_t v;
    memcpy(&v, data, sizeof(v));
    return v;
}

/* (a) app/call/jitter.c on app/call/playout.c's schedule, as media.c runs them. */
enum {
    PLAYOUT_STEPS_MAX = 32, /* media.c playback_path()'s bound on one run */
};

struct ol {
    struct call_jitter jb;
    struct call_playout po;
    const struct trace *t;
};

static int ol_alloc(void **sp, const struct opts *o, const struct trace *t, bool reset_on_ssrc)
{
    struct ol *s = calloc(1, sizeof(*s));
    if (!s)
        return -1;
    s->t = t;
    /* media.c call_media_alloc(): the playout delay plus 200 ms of bursts, in packets. */
    call_jitter_init(&s->jb, o->jitter_ms / 20 + 10);
    call_playout_init(&s->po, o->jitter_ms);
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

/* media.c queued_us(): until what the device ring holds runs out, the driver taking it from its
 * next callback on, one block after its last. */
static uint64_t ol_queued_us(const struct rx *rx, int64_t now, uint64_t *ring_us,
                             uint64_t *block_us)
{
    *ring_us = (rx->written - rx->consumed) * 1000000u / DEV_RATE;
    *block_us = (uint64_t)DEV_BLOCK * 1000000u / DEV_RATE;
    if (rx->last_cb < 0)
        return *ring_us + *block_us;
    int64_t next_cb = rx->last_cb + (int64_t)*block_us;
    return *ring_us + (uint64_t)(next_cb > now ? next_cb - now : 0);
}

static void ol_play(struct rx *rx, enum frame_kind kind, unsigned samples, long idx, int64_t now)
{
    struct frame f = {.kind = kind, .samples = samples, .idx = idx};
    rx_emit(rx, &f, now);
    rx->written += samples; /* to_device(): no FIFO, straight into the ring */
}

/* media.c playback_path(), the codec branch: what call_playout_next() says, until it waits. */
static void ol_run(void *sp, struct rx *rx, enum rx_event ev, int64_t now)
{
    struct ol *s = sp;
    const struct call_jitter_slot *slot = NULL;
    (void)ev; /* the same at a packet, a tick and a callback */
    for (unsigned i = 0; i < PLAYOUT_STEPS_MAX; i++) {
        uint64_t ring, block;
        unsigned us;
        uint64_t q = ol_queued_us(rx, now, &ring, &block);
        switch (call_playout_next(&s->po, &s->jb, q, ring, block, &us)) {
        case CALL_PLAYOUT_WAIT:
            return;
        case CALL_PLAYOUT_SILENCE:
            ol_play(rx, FRAME_SILENCE, us_to_samples(us), -1, now);
            break;
        case CALL_PLAYOUT_DECODE: {
            long idx = s->jb.started ? trace_idx_seq(s->t, s->jb.ssrc, s->jb.next) : -1;
            if (call_jitter_get(&s->jb, &slot) != CALL_JITTER_OK) {
                rx_error(rx, "told to decode a packet that is not there", idx);
                rx_note_front(rx);
                break;
            }
            rx_note_front(rx);
            unsigned skip = us_to_samples(us);
            if (us > CALL_PLAYOUT_STEP_US || skip >= FRAME) {
                rx_error(rx, "trimmed more than 10 ms from a packet", payload_idx(slot->data));
                if (skip >= FRAME)
                    break; /* media.c plays nothing of it */
            }
            if (us) {
                rx->r->trims++;
                rx->r->trim_ms += us / 1000.0;
            }
            ol_play(rx, FRAME_AUDIO, FRAME - skip, payload_idx(slot->data), now);
            break;
        }
        case CALL_PLAYOUT_CONCEAL:
            ol_play(rx, FRAME_CONCEAL, FRAME / 2, -1, now);
            break;
        case CALL_PLAYOUT_SKIP: {
            long idx = s->jb.started ? trace_idx_seq(s->t, s->jb.ssrc, s->jb.next) : -1;
            if (call_jitter_get(&s->jb, &slot) == CALL_JITTER_OK)
                rx_error(rx, "told to skip a packet that is there", idx);
            rx_note_front(rx);
            break;
        }
        }
    }
    rx_error(rx, "the schedule did not settle within 32 steps", -1);
}

static long ol_front(void *sp)
{
    struct ol *s = sp;
    return s->jb.started ? trace_idx_seq(s->t, s->jb.ssrc, (uint16_t)(s->jb.next - 1)) : -1;
}

static void ol_describe(void *sp, char *buf, size_t len)
{
    struct ol *s = sp;
    snprintf(buf, len,
             "jitter.c counters: late %llu lost %llu dropped %llu resets %llu; "
             "playout.c trims %llu",
             (unsigned long long)s->jb.late, (unsigned long long)s->jb.lost,
             (unsigned long long)s->jb.dropped, (unsigned long long)s->jb.reset,
             (unsigned long long)s->po.trims);
}

static const struct rx_ops ol_ops = {
    .name = "jitter.c",
    .kiosk = true,
    .alloc = ol_alloc,
    .free = ol_free,
    .put = ol_put,
    .run = ol_run,
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
    bool synced;   /* a get() found something since the last reset */
    size_t target; /* the playout delay kept in the device ring, samples */
    size_t play_n; /* samples in the play FIFO */
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
    s->target = (size_t)o->jitter_ms * DEV_RATE / 1000;
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

/* One 20 ms get, then the tick. */
static void sx_produce(struct sx *s, struct frame *f)
{
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
        /* Nothing to sync on yet (after init or reset): 10 ms of silence. */
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

/* At the tick: the device ring topped up to the playout delay, 10 ms at a time, from the play
 * FIFO, which gets 20 ms from the buffer when it runs low. */
static void sx_run(void *sp, struct rx *rx, enum rx_event ev, int64_t now)
{
    struct sx *s = sp;
    if (ev != RX_TICK)
        return;
    while (rx->written - rx->consumed < s->target) {
        if (s->play_n < FRAME / 2) {
            struct frame f = {.idx = -1};
            sx_produce(s, &f);
            rx_note_front(rx);
            rx_emit(rx, &f, now);
            s->play_n += f.samples;
        }
        size_t take = s->play_n < FRAME / 2 ? s->play_n : FRAME / 2;
        s->play_n -= take;
        rx->written += take;
    }
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
    .run = sx_run,
    .front = sx_front,
    .describe = sx_describe,
};

/* ---- one trace through one buffer ---- */
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

/* The device takes one block at now; its first sample is heard at once, the rest sample by
 * sample. A ring short of a block is an underrun. */
static void rx_callback(struct rx *rx, int64_t now)
{
    uint64_t r_n = rx->written - rx->consumed < DEV_BLOCK ? rx->written - rx->consumed : DEV_BLOCK;
    if (r_n < DEV_BLOCK) {
        rx->r->underruns++;
        /* ours must keep the device fed (playout.c conceals before it runs dry) */
        if (rx->ops->kiosk && rx->r->underruns == 1)
            rx_error(rx, "the device ran short of audio", rx->last_played);
    }
    while (rx->mhead != rx->mtail && rx->mk[rx->mhead % rx->mcap].pos < rx->consumed + r_n) {
        struct marker *m = &rx->mk[rx->mhead++ % rx->mcap];
        rx->heard_us[m->idx] = now + (int64_t)((m->pos - rx->consumed) * 1000000 / DEV_RATE);
    }
    rx->consumed += r_n;
    rx->last_cb = now;
}

static int rx_run(const struct rx_ops *ops, bool reset_on_ssrc, const struct trace *t,
                  const struct opts *o, struct result *r)
{
    int rc = -1;
    long n = t->n;
    int64_t end_us = t->by_arrival[t->arrived - 1]->arrive_us + 1000000;
    struct rx rx = {
        .ops = ops,
        .t = t,
        .r = r,
        .last_cb = -1,
        .front = -1,
        .last_played = -1,
        .is_late = calloc((size_t)n, sizeof(bool)),
        .got_us = calloc((size_t)n, sizeof(int64_t)),
        .heard_us = calloc((size_t)n, sizeof(int64_t)),
        .mcap = (size_t)n + 16, /* one marker per packet played, at most */
    };
    rx.mk = calloc(rx.mcap, sizeof(*rx.mk));

    memset(r, 0, sizeof(*r));
    r->switch_ms = -1;
    if (!rx.heard_us || !rx.got_us || !rx.is_late || !rx.mk ||
        ops->alloc(&rx.s, o, t, reset_on_ssrc))
        goto out;

    long ai = 0;
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
            if (p->idx <= rx.front)
                rx.is_late[p->idx] = true;
            ops->put(rx.s, p);
            ops->run(rx.s, &rx, RX_ARRIVAL, now);
        } else if (now == next_tick) {
            next_tick += TICK_US;
            ops->run(rx.s, &rx, RX_TICK, now);
        } else {
            next_cb += DEV_BLOCK * 1000000 / DEV_RATE;
            rx_callback(&rx, now);
            ops->run(rx.s, &rx, RX_CALLBACK, now);
        }
    }
    if (rx.mhead != rx.mtail)
        rx_error(&rx, "decoded audio never reached the device", rx.mk[rx.mhead % rx.mcap].idx);

    r->conceal_ms = rx.conceal_at_last;
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
        if (rx.heard_us[i]) {
            r->heard_ms[k] = (double)(rx.heard_us[i] - p->arrive_us) / 1000.0;
            r->buffer_ms[k] = (double)(rx.got_us[i] - p->arrive_us) / 1000.0;
            k++;
            if (p->src == 0)
                k_old = k; /* the old source's are first: send order is played order */
            if (p->src == 1 && first_new_heard < 0)
                first_new_heard = rx.heard_us[i];
        } else if (rx.is_late[i]) {
            r->late++;
        } else {
            r->dropped++;
        }
    }
    if (k != r->played)
        rx_error(&rx, "played packets and heard packets differ", k);
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
            rx_error(&rx, "the new source is heard later than the old one's p95 delay + 20 ms",
                     t->src[1].first);
    }
    stats(r->heard_ms, r->played, &r->mean_heard, &r->p95_heard);
    stats(r->buffer_ms, r->played, &r->mean_buffer, &r->p95_buffer);
    ops->describe(rx.s, r->detail, sizeof(r->detail));
    rc = 0;
out:
    if (rx.s)
        ops->free(rx.s);
    free(rx.heard_us);
    free(rx.got_us);
    free(rx.is_late);
    free(rx.mk);
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
    printf("%-8s %-20s %6s %5s %5s %8s %6s | %6s %6s | %6s %6s | %7s\n", "trace", "buffer",
           "played", "late", "drop", "conceal", "trim", "heard", "p95", "inbuf", "p95", "switch");
    printf("%-8s %-20s %6s %5s %5s %8s %6s | %6s %6s | %6s %6s | %7s\n", "", "", "pkts", "pkts",
           "pkts", "ms", "ms", "mean", "ms", "mean", "ms", "ms");
}

static void print_row(const char *trace, const char *name, const struct result *r)
{
    char sw[16] = "-";
    if (r->switch_ms >= 0)
        snprintf(sw, sizeof(sw), isinf(r->switch_ms) ? "never" : "%.1f", r->switch_ms);
    printf("%-8s %-20s %6ld %5ld %5ld %8.0f %6.0f | %6.1f %6.1f | %6.1f %6.1f | %7s\n", trace, name,
           r->played, r->late, r->dropped, r->conceal_ms, r->trim_ms, r->mean_heard, r->p95_heard,
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
    printf(
        "  jitter.c as media.c runs it: put on arrival; playout.c's schedule after every packet, "
        "every device\n  callback and every 5 ms tick. speexdsp: the 5 ms tick keeps %u ms in the "
        "device ring, one get + tick\n  per 20 ms, step 1 packet, max late rate %d %%, late "
        "cost %s, margin 0. 10 ms device blocks at 16 kHz.\n",
        o.jitter_ms, o.late_rate, late_cost);
    printf("  heard = arrival -> first sample out of the device; inbuf = arrival -> get(); "
           "conceal = PLC + silence\n  between first and last packet heard; trim = the starts of "
           "packets left out (ours: back to the\n  delay; not a loss); late = arrived after its "
           "turn; drop = discarded to cut delay.\n\n");

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
