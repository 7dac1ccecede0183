/* Unit tests for the call and audio modules: ring buffer and its drop, jitter buffer, playout
 * schedule, G.711 concealment, WAV loading and the [hotline]/[audio] configuration keys.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../app/audio/audio_int.h"
#include "../../app/call/call_int.h"
#include "openline/config.h"

#include <re.h>

static void test_ring_wraps(void **state)
{
    struct audio_ring r;
    int16_t in[100], out[100];
    assert_int_equal(audio_ring_init(&r, 100), 0);
    assert_int_equal(r.cap, 128);
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 100; i++)
            in[i] = (int16_t)(round * 100 + i);
        assert_int_equal(audio_ring_write(&r, in, 100), 100);
        assert_int_equal(audio_ring_write(&r, in, 100), 28); /* full */
        assert_int_equal(audio_ring_read(&r, out, 100), 100);
        assert_memory_equal(in, out, sizeof(in));
        assert_int_equal(audio_ring_read(&r, out, 100), 28);
        assert_int_equal(audio_ring_fill(&r), 0);
    }
    audio_ring_free(&r);
}

/* audio_dev_playback_drop(): the consumer skips what was queued before it at its next block, and
 * what is written after it plays; the producer sees the ring empty at once. The null driver's
 * device, not started: the test plays the callback (audio_dev_process) itself. */
static void test_playback_drop(void **state)
{
    struct config cfg;
    struct audio_dev *d = NULL;
    char err[256];
    int16_t in[480], out[480];

    config_defaults(&cfg);
    cfg.audio.driver = CONFIG_AUDIO_NULL;
    assert_int_equal(audio_dev_alloc(&d, &cfg, err, sizeof(err)), 0);
    for (size_t i = 0; i < ARRAY_SIZE(in); i++)
        in[i] = 1000;
    for (int i = 0; i < 3; i++)
        assert_int_equal(audio_dev_playback_write(d, in, ARRAY_SIZE(in)), ARRAY_SIZE(in));
    audio_dev_process(d, NULL, out, ARRAY_SIZE(out));
    assert_int_equal(out[0], 1000);
    assert_int_equal(audio_dev_playback_pos(d), 480);
    audio_dev_playback_drop(d);
    assert_int_equal(audio_dev_playback_fill(d), 0);
    assert_int_equal(audio_dev_playback_pos(d), 3 * 480);
    audio_dev_process(d, NULL, out, ARRAY_SIZE(out));
    for (size_t i = 0; i < ARRAY_SIZE(out); i++)
        assert_int_equal(out[i], 0); /* silent from the next block on */
    for (size_t i = 0; i < ARRAY_SIZE(in); i++)
        in[i] = -700;
    assert_int_equal(audio_dev_playback_write(d, in, 100), 100);
    assert_int_equal(audio_dev_playback_fill(d), 100);
    audio_dev_process(d, NULL, out, ARRAY_SIZE(out));
    assert_int_equal(out[0], -700);
    assert_int_equal(out[99], -700);
    assert_int_equal(out[100], 0);
    assert_int_equal(audio_dev_playback_pos(d), 3 * 480 + 100);
    audio_dev_free(d);
}

static void test_jitter_reorders_and_conceals(void **state)
{
    static struct call_jitter jb;
    const struct call_jitter_slot *s;
    uint8_t p = 0;
    call_jitter_init(&jb, 8);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_EMPTY);
    call_jitter_put(&jb, 7, 10, 0, &p, 1, 0);
    call_jitter_put(&jb, 7, 12, 0, &p, 1, 0);
    call_jitter_put(&jb, 7, 11, 0, &p, 1, 0);
    call_jitter_put(&jb, 7, 11, 0, &p, 1, 0); /* duplicate */
    for (uint16_t seq = 10; seq <= 12; seq++) {
        assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_OK);
        assert_int_equal(s->seq, seq);
    }
    call_jitter_put(&jb, 7, 9, 0, &p, 1, 0); /* late */
    assert_int_equal(jb.late, 1);
    call_jitter_put(&jb, 7, 14, 0, &p, 1, 0);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_LOST); /* 13 missing */
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_OK);
    assert_int_equal(s->seq, 14);
    /* wraps at 65535 and stays bounded */
    call_jitter_init(&jb, 4);
    for (uint16_t seq = 65530; seq != 5; seq++)
        call_jitter_put(&jb, 7, seq, 0, &p, 1, 0);
    assert_true(jb.count <= 4);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_OK);
    assert_int_equal(s->seq, 1);
}

/* A transfer: the hotline's media comes from another source (new SSRC, sequence numbers
 * anywhere); or the same source restarts its sequence. The new audio plays at once. */
static void test_jitter_source_change(void **state)
{
    static struct call_jitter jb;
    const struct call_jitter_slot *s;
    uint8_t p = 0;
    (void)state;
    call_jitter_init(&jb, 8);
    for (uint16_t seq = 30000; seq < 30003; seq++)
        call_jitter_put(&jb, 0xaaaa, seq, 0, &p, 1, 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_OK);
    /* another source, its numbers "behind" the first's: played, not counted late */
    call_jitter_put(&jb, 0xbbbb, 1000, 0, &p, 1, 0);
    call_jitter_put(&jb, 0xbbbb, 1001, 0, &p, 1, 0);
    assert_int_equal(jb.late, 0);
    assert_int_equal(jb.sources, 1);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_OK);
    assert_int_equal(s->seq, 1000);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_OK);
    assert_int_equal(s->seq, 1001);
    /* a little late: dropped as late */
    call_jitter_put(&jb, 0xbbbb, 995, 0, &p, 1, 0);
    assert_int_equal(jb.late, 1);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_EMPTY);
    /* the same source restarts far behind: one packet on probation, the next in sequence plays */
    call_jitter_put(&jb, 0xbbbb, 100, 0, &p, 1, 0);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_EMPTY);
    call_jitter_put(&jb, 0xbbbb, 101, 0, &p, 1, 0);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_OK);
    assert_int_equal(s->seq, 101);
    call_jitter_put(&jb, 0xbbbb, 102, 0, &p, 1, 0);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_OK);
    assert_int_equal(s->seq, 102);
    /* a lone stray packet far ahead or far behind does not restart anything */
    call_jitter_put(&jb, 0xbbbb, 20000, 0, &p, 1, 0);
    call_jitter_put(&jb, 0xbbbb, (uint16_t)(103 - 5000), 0, &p, 1, 0);
    call_jitter_put(&jb, 0xbbbb, 103, 0, &p, 1, 0);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_OK);
    assert_int_equal(s->seq, 103);
    /* a gap of a few seconds in the same sequence plays on at once */
    call_jitter_put(&jb, 0xbbbb, 103 + 250, 0, &p, 1, 0);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_OK);
    assert_int_equal(s->seq, 103 + 250);
}

/* The playout schedule (playout.c) on a 20 ms delay and 10 ms device blocks. queued_us, ring_us
 * as media.c's queued_us() gives them: low means the ring holds less than a block and 2 ms. */
enum {
    PO_DELAY_MS = 20,
    PO_BLOCK = 10000,
    PO_LOW_RING = 5000,
};

static enum call_playout_action po_next(struct call_playout *p, const struct call_jitter *jb,
                                        uint64_t queued, uint64_t ring, unsigned *us)
{
    return call_playout_next(p, jb, queued, ring, PO_BLOCK, us);
}

/* The device about to run dry: what is queued ends within the next block. */
static enum call_playout_action po_low(struct call_playout *p, const struct call_jitter *jb,
                                       unsigned *us)
{
    return po_next(p, jb, PO_LOW_RING + PO_BLOCK, PO_LOW_RING, us);
}

static void po_put(struct call_jitter *jb, uint16_t seq)
{
    uint8_t b = 0;
    call_jitter_put(jb, 7, seq, (uint32_t)seq * 160u, &b, 1, 0);
}

static void po_take(struct call_jitter *jb, uint16_t seq)
{
    const struct call_jitter_slot *s;
    assert_int_equal(call_jitter_get(jb, &s), CALL_JITTER_OK);
    assert_int_equal(s->seq, seq);
}

/* Packet seq arrives with queued and ring (us) as given and is decoded at once; returns how much
 * of its start is left out (the trim). */
static unsigned po_arrive_decoded(struct call_playout *p, struct call_jitter *jb, uint16_t seq,
                                  uint64_t queued, uint64_t ring)
{
    unsigned us = 99;
    po_put(jb, seq);
    assert_int_equal(po_next(p, jb, queued, ring, &us), CALL_PLAYOUT_DECODE);
    po_take(jb, seq);
    return us;
}

/* A stream playing at the delay: packet 100 came with exactly the delay queued. */
static void po_start(struct call_playout *p, struct call_jitter *jb)
{
    call_jitter_init(jb, 8);
    call_playout_init(p, PO_DELAY_MS);
    assert_int_equal(po_arrive_decoded(p, jb, 100, 20000, 15000), 0);
}

static void test_playout_first_packet_after_silence(void **state)
{
    static struct call_jitter jb;
    struct call_playout p;
    unsigned us;
    (void)state;
    call_jitter_init(&jb, 8);
    call_playout_init(&p, PO_DELAY_MS);
    /* nothing yet: silence only when the device needs it */
    assert_int_equal(po_next(&p, &jb, 25000, 15000, &us), CALL_PLAYOUT_WAIT);
    assert_int_equal(po_low(&p, &jb, &us), CALL_PLAYOUT_SILENCE);
    assert_int_equal(us, 10000);
    assert_int_equal(po_next(&p, &jb, 21000, 11000, &us), CALL_PLAYOUT_SILENCE); /* 2 ms margin */
    /* the first packet waits behind silence up to the delay, then is decoded whole */
    po_put(&jb, 100);
    assert_int_equal(po_next(&p, &jb, 6000, 1000, &us), CALL_PLAYOUT_SILENCE);
    assert_int_equal(us, 14000);
    assert_int_equal(po_next(&p, &jb, 20000, 15000, &us), CALL_PLAYOUT_DECODE);
    assert_int_equal(us, 0);
}

static void test_playout_on_time_decoded_at_once(void **state)
{
    static struct call_jitter jb;
    struct call_playout p;
    unsigned us;
    (void)state;
    po_start(&p, &jb);
    /* less than the delay and one packet queued: decoded as it arrives */
    assert_int_equal(po_arrive_decoded(&p, &jb, 101, 39999, 30000), 0);
    /* early (a burst): it waits in the jitter buffer until the device has played enough */
    po_put(&jb, 102);
    assert_int_equal(po_next(&p, &jb, 40000, 31000, &us), CALL_PLAYOUT_WAIT);
    assert_int_equal(po_next(&p, &jb, 55000, 45000, &us), CALL_PLAYOUT_WAIT);
    assert_int_equal(po_next(&p, &jb, 39000, 30000, &us), CALL_PLAYOUT_DECODE);
    po_take(&jb, 102);
}

static void test_playout_missing_concealed_then_skipped(void **state)
{
    static struct call_jitter jb;
    struct call_playout p;
    const struct call_jitter_slot *s;
    unsigned us;
    (void)state;
    po_start(&p, &jb);
    po_put(&jb, 102); /* 101 missing */
    assert_int_equal(po_next(&p, &jb, 30000, 25000, &us), CALL_PLAYOUT_WAIT);
    /* a packet's worth of concealment, 10 ms at a time and only when the device needs it */
    assert_int_equal(po_low(&p, &jb, &us), CALL_PLAYOUT_CONCEAL);
    assert_int_equal(po_next(&p, &jb, 25000, 15000, &us), CALL_PLAYOUT_WAIT);
    assert_int_equal(po_low(&p, &jb, &us), CALL_PLAYOUT_CONCEAL);
    assert_int_equal(po_next(&p, &jb, 25000, 15000, &us), CALL_PLAYOUT_WAIT);
    /* then 101 is lost: skipped, and 102 follows at once */
    assert_int_equal(po_low(&p, &jb, &us), CALL_PLAYOUT_SKIP);
    assert_int_equal(call_jitter_get(&jb, &s), CALL_JITTER_LOST);
    assert_int_equal(po_low(&p, &jb, &us), CALL_PLAYOUT_DECODE);
    assert_int_equal(us, 0);
    po_take(&jb, 102);
    assert_int_equal(jb.lost, 1);
}

static void test_playout_waits_for_late_packet_then_pauses(void **state)
{
    static struct call_jitter jb;
    struct call_playout p;
    unsigned us;
    (void)state;
    po_start(&p, &jb);
    /* 101 is late and nothing after it is here: concealment goes on, nothing is skipped */
    for (int i = 0; i < 6; i++)
        assert_int_equal(po_low(&p, &jb, &us), CALL_PLAYOUT_CONCEAL);
    po_put(&jb, 101);
    assert_int_equal(po_low(&p, &jb, &us), CALL_PLAYOUT_DECODE); /* still played */
    po_take(&jb, 101);
    assert_int_equal(jb.lost, 0);
    /* 100 ms without a packet: the stream paused; silence, and the next packet starts a
     * stream again at the delay */
    for (int i = 0; i < 10; i++)
        assert_int_equal(po_low(&p, &jb, &us), CALL_PLAYOUT_CONCEAL);
    assert_int_equal(po_low(&p, &jb, &us), CALL_PLAYOUT_SILENCE);
    assert_int_equal(us, 10000);
    assert_false(p.anchored);
    assert_int_equal(po_low(&p, &jb, &us), CALL_PLAYOUT_SILENCE);
    assert_int_equal(us, 10000);
    po_put(&jb, 102);
    assert_int_equal(po_next(&p, &jb, 8000, 3000, &us), CALL_PLAYOUT_SILENCE);
    assert_int_equal(us, 12000);
    assert_int_equal(po_next(&p, &jb, 20000, 15000, &us), CALL_PLAYOUT_DECODE);
    assert_int_equal(us, 0);
    po_take(&jb, 102);
}

/* One packet decoded with excess_us more than the delay queued; returns its trim. */
static unsigned po_decode(struct call_playout *p, struct call_jitter *jb, uint16_t seq,
                          unsigned excess_us)
{
    uint64_t queued = PO_DELAY_MS * 1000u + excess_us;
    return po_arrive_decoded(p, jb, seq, queued, queued - 5000);
}

static void test_playout_trims_least_excess(void **state)
{
    static struct call_jitter jb;
    struct call_playout p;
    static const unsigned first[] = {5000, 4000, 7000, 6000, 4500};
    uint16_t seq = 101;
    (void)state;
    po_start(&p, &jb);
    /* the first window is 0.1 s: its last packet starts the least excess into itself */
    for (int i = 0; i < 4; i++)
        assert_int_equal(po_decode(&p, &jb, seq++, first[i]), 0);
    assert_int_equal(po_decode(&p, &jb, seq++, first[4]), 4000);
    assert_int_equal(p.trims, 1);
    /* then 0.5 s windows, and at most 10 ms at a time */
    for (int i = 0; i < 24; i++)
        assert_int_equal(po_decode(&p, &jb, seq++, 15000 + 100u * (unsigned)i), 0);
    assert_int_equal(po_decode(&p, &jb, seq++, 16000), 10000);
    assert_int_equal(p.trims, 2);
    /* one packet of the window within 2 ms of the delay: nothing is trimmed */
    for (int i = 0; i < 24; i++)
        assert_int_equal(po_decode(&p, &jb, seq++, i == 7 ? 2000 : 15000), 0);
    assert_int_equal(po_decode(&p, &jb, seq++, 15000), 0);
    assert_int_equal(p.trims, 2);
}

static void test_playout_ringback_ahead_trimmed(void **state)
{
    static struct call_jitter jb;
    struct call_playout p;
    (void)state;
    call_jitter_init(&jb, 8);
    call_playout_init(&p, PO_DELAY_MS);
    /* 7 ms more than the delay queued (ringback) when the first packet comes */
    assert_int_equal(po_arrive_decoded(&p, &jb, 100, 27000, 17000), 7000);
    /* ringback again (call_playout_pause): the next packet starts a stream, at most 10 ms in */
    call_playout_pause(&p);
    assert_int_equal(po_arrive_decoded(&p, &jb, 101, 35000, 25000), 10000);
}

/* The adaptive delay on a simulated network, the schedule run as media.c runs it: at every
 * packet's arrival, every 10 ms device callback and every 5 ms tick. Packet i is sent at
 * interval_us * i and arrives 40 ms plus its jitter later, except packet lost. The jitter, from a
 * fixed seed, until calm_after_s (none after): one packet in eight uniform in 0..jitter_ms, the
 * others in its first twelfth; steady, and what a fixed delay pays for again and again (the trim
 * takes the stream back to the others between the late ones). Counts are of 10 ms pieces. */
struct po_net {
    unsigned jitter_ms;
    double calm_after_s;
    long lost;            /* -1: none */
    unsigned interval_us; /* 20000: the sender's clock is ours */
};

struct po_sim {
    struct call_jitter jb;
    struct call_playout p;
    const struct po_net *net;
    int64_t *arrive_us; /* per packet; -1: lost */
    long n;
    uint64_t ring_us;       /* what the device ring holds */
    int64_t last_cb;        /* the device's last callback; -1: none yet */
    unsigned conceal[200];  /* concealment per second of the simulation */
    unsigned min_target_us; /* the least target from the sim's start_s on */
    unsigned max_target_us;
};

static void po_sim_trace(struct po_sim *s, long n)
{
    uint64_t seed = 12345;
    s->n = n;
    s->arrive_us = calloc((size_t)n, sizeof(*s->arrive_us));
    assert_non_null(s->arrive_us);
    for (long i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int64_t send = (int64_t)s->net->interval_us * i;
        /* one packet in eight anywhere in the jitter, the others within its first twelfth */
        unsigned most = s->net->jitter_ms * 1000u / ((seed >> 20) % 8 ? 12 : 1);
        int64_t jit =
            send < (int64_t)(s->net->calm_after_s * 1e6) ? (int64_t)((seed >> 33) % (most + 1)) : 0;
        s->arrive_us[i] = i == s->net->lost ? -1 : send + 40000 + jit;
    }
}

/* media.c playback_path(): what the schedule says until it waits. */
static void po_sim_run(struct po_sim *s, int64_t now)
{
    const struct call_jitter_slot *slot;
    for (int i = 0; i < 32; i++) {
        uint64_t q =
            s->ring_us + (s->last_cb < 0 ? PO_BLOCK : (uint64_t)(s->last_cb + PO_BLOCK - now));
        unsigned us;
        switch (call_playout_next(&s->p, &s->jb, q, s->ring_us, PO_BLOCK, &us)) {
        case CALL_PLAYOUT_WAIT:
            return;
        case CALL_PLAYOUT_SILENCE:
            s->ring_us += us;
            break;
        case CALL_PLAYOUT_DECODE:
            assert_int_equal(call_jitter_get(&s->jb, &slot), CALL_JITTER_OK);
            s->ring_us += CALL_PACKET_US - us;
            break;
        case CALL_PLAYOUT_CONCEAL:
            s->ring_us += CALL_PLAYOUT_STEP_US;
            s->conceal[now / 1000000]++;
            break;
        case CALL_PLAYOUT_SKIP:
            assert_int_equal(call_jitter_get(&s->jb, &slot), CALL_JITTER_LOST);
            break;
        }
    }
    fail_msg("the schedule did not settle");
}

/* Simulate from_s to to_s seconds; the target's range is noted from start_s on. */
static void po_sim(struct po_sim *s, double from_s, double to_s, double start_s)
{
    s->min_target_us = UINT32_MAX;
    s->max_target_us = 0;
    for (int64_t now = (int64_t)(from_s * 1e6); now < (int64_t)(to_s * 1e6); now += 1000) {
        bool run = now % 5000 == 0;   /* the tick */
        if (now % PO_BLOCK == 3000) { /* the device takes a block */
            s->ring_us = s->ring_us > PO_BLOCK ? s->ring_us - PO_BLOCK : 0;
            s->last_cb = now;
            run = true;
        }
        for (long i = now / s->net->interval_us - 6; i <= now / s->net->interval_us; i++) {
            if (i < 0 || i >= s->n || s->arrive_us[i] / 1000 != now / 1000)
                continue;
            uint8_t b = 0;
            call_jitter_put(&s->jb, 7, (uint16_t)i, (uint32_t)i * 160u, &b, 1,
                            (uint64_t)s->arrive_us[i] * 1000u);
            run = true;
        }
        if (run)
            po_sim_run(s, now);
        if (now >= (int64_t)(start_s * 1e6)) {
            if (s->p.target_us < s->min_target_us)
                s->min_target_us = s->p.target_us;
            if (s->p.target_us > s->max_target_us)
                s->max_target_us = s->p.target_us;
        }
    }
}

static struct po_sim *po_sim_new(const struct po_net *net, double seconds)
{
    static struct po_sim s;
    free(s.arrive_us);
    memset(&s, 0, sizeof(s));
    s.net = net;
    s.last_cb = -1;
    call_jitter_init(&s.jb, PO_DELAY_MS / 20 + 10); /* media.c's depth */
    call_playout_init(&s.p, PO_DELAY_MS);
    po_sim_trace(&s, (long)(seconds * 1e6 / net->interval_us));
    return &s;
}

static unsigned po_conceal(const struct po_sim *s, int from_s, int to_s)
{
    unsigned n = 0;
    for (int i = from_s; i < to_s; i++)
        n += s->conceal[i];
    return n;
}

/* Steady 0-60 ms jitter: the delay grows on the late packets until they stop being concealed,
 * stays there while the jitter lasts, and comes back to jitter_buffer after 10 s of calm, a step
 * per half second. (At a fixed 20 ms this trace conceals 130 ms in every 10 s.) */
static void test_playout_delay_adapts_to_jitter(void **state)
{
    static const struct po_net net = {
        .jitter_ms = 60, .calm_after_s = 60, .lost = -1, .interval_us = 20000};
    (void)state;
    struct po_sim *s = po_sim_new(&net, 100);
    po_sim(s, 0, 30, 20);
    /* concealment at first (the delay raised for it), then hardly any: at most 10 ms in the
     * 10 s from 20 s on */
    assert_true(po_conceal(s, 0, 10) >= 2);
    assert_true(s->p.raises >= 1);
    assert_true(po_conceal(s, 20, 30) <= 1);
    /* settled: covering most of the 60 ms, below the cap */
    assert_int_equal(s->min_target_us, s->max_target_us);
    assert_true(s->p.target_us >= 50000 && s->p.target_us <= 100000);
    assert_true(s->p.max_us >= s->p.target_us);
    po_sim(s, 30, 60, 30);
    assert_true(po_conceal(s, 30, 60) <= 3);
    assert_true(s->min_target_us >= 50000);
    /* calm from 60 s on: lowered after 10 s of it, back at jitter_buffer a step per half second */
    unsigned steps = (s->p.target_us - PO_DELAY_MS * 1000u) / CALL_PLAYOUT_STEP_US;
    po_sim(s, 60, 70, 60);
    assert_true(s->p.target_us > PO_DELAY_MS * 1000u);
    po_sim(s, 70, 70.6 + 0.5 * steps, 70);
    assert_int_equal(s->p.target_us, PO_DELAY_MS * 1000u);
    po_sim(s, 70.6 + 0.5 * steps, 100, 75);
    assert_int_equal(s->max_target_us, PO_DELAY_MS * 1000u);
    assert_int_equal(po_conceal(s, 60, 100), 0);
    free(s->arrive_us);
    s->arrive_us = NULL;
}

/* A lost packet never comes: it is concealed and skipped, and the delay stays. Nor does a sender
 * whose clock runs slow raise it: it is followed by concealment. */
static void test_playout_delay_not_raised_by_loss_or_slow_sender(void **state)
{
    static const struct po_net lost = {.lost = 400, .interval_us = 20000};
    static const struct po_net slow = {.lost = -1, .interval_us = 20100};
    (void)state;
    struct po_sim *s = po_sim_new(&lost, 20);
    po_sim(s, 0, 20, 0);
    assert_int_equal(s->jb.lost, 1);
    assert_int_equal(po_conceal(s, 0, 20), 2);
    assert_int_equal(s->max_target_us, PO_DELAY_MS * 1000u);
    assert_int_equal(s->p.raises, 0);
    s = po_sim_new(&slow, 30);
    po_sim(s, 0, 30, 0);
    assert_true(po_conceal(s, 0, 30) >= 10); /* 150 ms behind by the end */
    assert_int_equal(s->max_target_us, PO_DELAY_MS * 1000u);
    free(s->arrive_us);
    s->arrive_us = NULL;
}

/* Up-sampling makes more than it reads: every input sample must still go through (a device
 * below 16 kHz, a loudspeaker at 96 kHz). */
static size_t sunk;
static void count_sink(void *arg, const int16_t *out, size_t n)
{
    (void)arg;
    (void)out;
    sunk += n;
}

static void test_resampler_takes_everything(void **state)
{
    (void)state;
    static int16_t in[4096];
    for (size_t i = 0; i < 4096; i++)
        in[i] = (int16_t)(8000 * sin(2 * M_PI * 440 * (double)i / 8000));
    struct audio_resampler *r;
    assert_int_equal(audio_resampler_alloc(&r, 8000, 16000, AUDIO_RESAMPLE_G711), 0);
    sunk = 0;
    size_t made = audio_resampler_all(r, in, 4096, count_sink, NULL);
    assert_int_equal(made, sunk);
    /* 8,192 less the converter's delay (tens of samples) */
    assert_in_range(made, 8000, 8192);
    audio_resampler_free(r);
    assert_int_equal(audio_resampler_alloc(&r, 16000, 96000, AUDIO_RESAMPLE_VOIP), 0);
    sunk = 0;
    made = audio_resampler_all(r, in, 320, count_sink, NULL);
    assert_in_range(made, 1700, 1920); /* 1,920 less the delay (24 input samples at this quality) */
    audio_resampler_free(r);
}

/* G.711 concealment: a 440 Hz tone at -12 dBFS (peak) through the codec in 20 ms frames, then
 * the playout's 10 ms pieces of concealment. Silence, as G.711 alone gives, fails (a) at once. */
enum {
    PLC_PIECE = CALL_FRAME / 2, /* what the playout asks for per missing 10 ms */
    PLC_FRAMES = 10,            /* received before the loss */
    PLC_PIECES = 20,            /* 200 ms lost */
};

static double plc_tone(double n)
{
    return 32767.0 * pow(10, -12.0 / 20) * sin(2 * M_PI * 440 * n / CALL_RATE);
}

static double plc_dbfs(const int16_t *x, size_t n)
{
    double acc = 0;
    for (size_t i = 0; i < n; i++)
        acc += (double)x[i] * x[i];
    return acc > 0 ? 20 * log10(sqrt(acc / (double)n) / 32768.0) : -200;
}

/* Normalised correlation of x with the tone from input sample at, delayed by lag samples. */
static double plc_corr(const int16_t *x, size_t n, size_t at, unsigned lag)
{
    double xy = 0, xx = 0, yy = 0;
    for (size_t i = 0; i < n; i++) {
        double y = plc_tone((double)(at + i) - lag);
        xy += x[i] * y;
        xx += (double)x[i] * x[i];
        yy += y * y;
    }
    return xx > 0 ? xy / sqrt(xx * yy) : 0;
}

/* The delay (0..40 samples: more than one period of 440 Hz, so it absorbs the resamplers'
 * delay) at which x best matches the tone, and that match. */
static unsigned plc_lag(const int16_t *x, size_t n, size_t at, double *best)
{
    unsigned lag = 0;
    *best = -1;
    for (unsigned l = 0; l <= 40; l++) {
        double r = plc_corr(x, n, at, l);
        if (r > *best) {
            *best = r;
            lag = l;
        }
    }
    return lag;
}

/* Encode and decode frame f of the tone; the decoded 20 ms in out. */
static void plc_frame(struct call_codec *c, unsigned f, int16_t *out)
{
    int16_t in[CALL_FRAME];
    uint8_t pkt[CALL_FRAME];
    for (size_t i = 0; i < CALL_FRAME; i++)
        in[i] = (int16_t)lrint(plc_tone((double)(f * CALL_FRAME + i)));
    int len = call_codec_encode(c, in, pkt, sizeof(pkt));
    assert_int_equal(len, CALL_FRAME / 2);
    assert_int_equal(call_codec_decode(c, pkt, (size_t)len, out, CALL_FRAME), CALL_FRAME);
}

static void plc_check(enum call_codec_id id)
{
    struct call_codec *c;
    int16_t last[CALL_FRAME], lost[PLC_PIECES * PLC_PIECE];
    double db[PLC_PIECES], r;
    const size_t at = PLC_FRAMES * CALL_FRAME; /* the tone's first lost sample */
    assert_int_equal(call_codec_alloc(&c, id), 0);
    for (unsigned f = 0; f < PLC_FRAMES; f++)
        plc_frame(c, f, last);
    unsigned lag = plc_lag(last, CALL_FRAME, at - CALL_FRAME, &r);
    assert_true(r > 0.99);
    for (unsigned k = 0; k < PLC_PIECES; k++) {
        int16_t *piece = lost + k * PLC_PIECE;
        /* as long as the silence it replaces: the playout's timing is unchanged */
        assert_int_equal(call_codec_decode(c, NULL, 0, piece, PLC_PIECE), PLC_PIECE);
        db[k] = plc_dbfs(piece, PLC_PIECE);
    }
    /* (a) the first 20 ms lost sound like the frame before them (measured 1.6 dB down,
     * 1.7 for PCMA) */
    double ref = plc_dbfs(last, CALL_FRAME);
    assert_true(fabs(plc_dbfs(lost, 2 * PLC_PIECE) - ref) < 6);
    /* (b) and continue its waveform in phase with it. Measured 0.87 (PCMU), 0.83 (PCMA) over
     * the first 10 ms: its first quarter pitch period is blended with the tail played before
     * the loss, time-reversed (0.66, 0.62 there; 0.97, 0.93 after); the next 10 ms 0.99. */
    assert_true(plc_corr(lost, PLC_PIECE, at, lag) > 0.8);
    assert_true(plc_corr(lost + PLC_PIECE, PLC_PIECE, at + PLC_PIECE, lag) > 0.95);
    /* (c) then fade: lower every 10 ms (measured -1, -2, -5, -9, -16, -39 dB from the frame
     * before), and silent (below -60 dBFS; measured all zero) from 60 ms, as in Appendix I */
    for (unsigned k = 1; k < 6; k++)
        assert_true(db[k] < db[k - 1]);
    for (unsigned k = 6; k < PLC_PIECES; k++)
        assert_true(db[k] < -60);
    /* the call resumes at its own level after a long loss */
    plc_frame(c, PLC_FRAMES + PLC_PIECES / 2, last);
    plc_frame(c, PLC_FRAMES + PLC_PIECES / 2 + 1, last);
    assert_true(fabs(plc_dbfs(last, CALL_FRAME) - ref) < 1);
    call_codec_free(c);
}

static void test_codec_pcmu_conceals(void **state)
{
    (void)state;
    plc_check(CALL_CODEC_PCMU);
}

static void test_codec_pcma_conceals(void **state)
{
    (void)state;
    plc_check(CALL_CODEC_PCMA);
}

static char tmpdir[] = "/tmp/openline-test-call.XXXXXX";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int load(const char *body, char *err, struct config *cfg)
{
    char path[256], text[2048];
    snprintf(path, sizeof(path), "%s/c.conf", tmpdir);
    snprintf(text, sizeof(text), "[organisation]\nname = T\nhotline = +1 555 0100\n%s", body);
    write_file(path, text);
    return config_load(cfg, path, err, CONFIG_ERR_LEN);
}

static void test_config_hotline_keys(void **state)
{
    static struct config cfg;
    char err[CONFIG_ERR_LEN];

    assert_int_equal(load("", err, &cfg), 0);
    assert_int_equal(cfg.hotline.no_answer_timeout_ms, 45000);
    assert_int_equal(cfg.audio.driver, CONFIG_AUDIO_PORTAUDIO);
    assert_int_equal(cfg.audio.volume, 80);

    assert_int_equal(
        load("[hotline]\nuri = sips:help@pbx.example.org\nuri.ar = "
             "sip:ar@pbx.example.org;transport=tcp\nuri.zh-Hans = sip:zh@10.0.0.1:5062\n"
             "secondary_uri = sip:b@127.0.0.1\ntransport = tls\nsrtp = mandatory\n"
             "no_answer_timeout = 30s\n[audio]\ndriver = wav\ncapture_file = /tmp/a.wav\n"
             "volume = 50\necho_cancel = no\n",
             err, &cfg),
        0);
    assert_string_equal(cfg.hotline.uri, "sips:help@pbx.example.org");
    assert_int_equal(cfg.hotline.n_lang_uris, 2);
    assert_string_equal(cfg.hotline.lang_uris[1].lang, "zh-Hans");
    assert_int_equal(cfg.hotline.transport, CONFIG_TRANSPORT_TLS);
    assert_int_equal(cfg.hotline.srtp, CONFIG_SRTP_MANDATORY);
    assert_int_equal(cfg.audio.driver, CONFIG_AUDIO_WAV);
    assert_false(cfg.audio.echo_cancel);

    assert_int_not_equal(load("[hotline]\nuri = http://example.org\n", err, &cfg), 0);
    assert_non_null(strstr(err, "[hotline] uri"));
    /* uri.XX has a tag's shape (which language it finds is kiosk_open()'s); uri.x-1 has not */
    assert_int_not_equal(load("[hotline]\nuri.x-1 = sip:a@b\n", err, &cfg), 0);
    assert_non_null(strstr(err, "language code"));
    assert_int_not_equal(load("[hotline]\nuri.ar = sip:a@b\nuri.ar = sip:c@d\n", err, &cfg), 0);
    assert_int_not_equal(load("[hotline]\ntransport = sctp\n", err, &cfg), 0);
    assert_int_not_equal(load("[hotline]\ntransport = tls\nsrtp = off\n", err, &cfg), 0);
    assert_non_null(strstr(err, "allow_plain_rtp"));
    assert_int_not_equal(load("[hotline]\nregister = yes\n", err, &cfg), 0);
    assert_int_not_equal(load("[hotline]\nlocal_address = 1.2.3\n", err, &cfg), 0);
    assert_int_not_equal(load("[audio]\ndriver = alsa\n", err, &cfg), 0);
    assert_int_not_equal(load("[audio]\nvolume = 101\n", err, &cfg), 0);
    assert_int_not_equal(load("[audio]\ncapture_file = relative.wav\n", err, &cfg), 0);
    assert_int_not_equal(load("[phone]\nx = 1\n", err, &cfg), 0);
    assert_non_null(strstr(err, "[hotline], [audio]"));
}

/* The configuration checks SIP addresses with a regular expression (app/core/config.c) so that
 * the kiosk need not load libre before its first frame; libre must take every one it accepts,
 * with the same host and port, or a kiosk would start with a hotline it cannot dial. */
static void test_config_sip_addresses_agree_with_libre(void **state)
{
    static const struct {
        const char *uri;
        bool ok;
        const char *host;
        unsigned port;
    } cases[] = {
        {"sip:hotline@127.0.0.1:5070", true, "127.0.0.1", 5070},
        {"sips:help@pbx.example.org", true, "pbx.example.org", 0},
        {"sip:ar@pbx.example.org;transport=tcp", true, "pbx.example.org", 0},
        {"sip:zh@10.0.0.1:5062", true, "10.0.0.1", 5062},
        {"sip:a@b", true, "b", 0},
        {"sip:pbx.example.org", true, "pbx.example.org", 0},
        {"sip:hotline@[::1]:5070", true, "::1", 5070},
        {"sip:hotline@[2001:db8::5]", true, "2001:db8::5", 0},
        {"sip:+4930123456@gw.example.org;user=phone", true, "gw.example.org", 0},
        {"sip:agent:secret@pbx.example.org:5061;transport=tls?subject=x", true, "pbx.example.org",
         5061},
        {"sip:help@pbx.example.org.", true, "pbx.example.org.", 0},
        {"sip:", false, NULL, 0},
        {"sip:help@", false, NULL, 0},
        {"sip:help@:5060", false, NULL, 0},
        {"sip:help@pbx..example.org", false, NULL, 0},
        {"sip:help@-pbx.example.org", false, NULL, 0},
        {"sip:help@pbx_example.org", false, NULL, 0},
        {"sip:help@pbx.example.org:", false, NULL, 0},
        {"sip:help@pbx.example.org:65536", false, NULL, 0},
        {"sip:help@pbx.example.org:123456", false, NULL, 0},
        {"sip:help@[::1", false, NULL, 0},
        {"sip:help@[pbx]", false, NULL, 0},
        {"sip:help@pbx.example.org:50x", false, NULL, 0},
        {"sips:@pbx.example.org", false, NULL, 0},
        {"tel:+4930123456", false, NULL, 0},
        {"sip:help@pbx.example.org/path", false, NULL, 0},
    };
    static struct config cfg;
    char err[CONFIG_ERR_LEN], body[256];

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        snprintf(body, sizeof(body), "[hotline]\nuri = %s\n", cases[i].uri);
        int rc = load(body, err, &cfg);
        if ((rc == 0) != cases[i].ok)
            fail_msg("%s: config %s it: %s", cases[i].uri, rc ? "refused" : "accepted",
                     rc ? err : "");
        if (!cases[i].ok) {
            assert_non_null(strstr(err, "[hotline] uri"));
            continue;
        }
        struct uri u;
        struct pl pl;
        pl_set_str(&pl, cases[i].uri);
        if (uri_decode(&u, &pl) || !pl_isset(&u.host))
            fail_msg("%s: accepted by the configuration, not by libre", cases[i].uri);
        if (pl_strcmp(&u.host, cases[i].host) || u.port != cases[i].port)
            fail_msg("%s: libre reads host %.*s port %u", cases[i].uri, (int)u.host.l, u.host.p,
                     u.port);
    }
}

static void test_wav_load_converts(void **state)
{
    /* 8 kHz stereo, 0.5 s: channel 0 = 1000, channel 1 = 3000 -> mono 2000 at 48 kHz */
    char path[256], err[256];
    unsigned char h[44] = "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0\x40\x1f\0\0\0\x7d\0\0"
                          "\x04\0\x10\0data";
    int16_t frames[8000];
    int16_t *out = NULL;
    size_t n = 0;
    uint32_t bytes = sizeof(frames);
    for (int i = 0; i < 4000; i++) {
        frames[2 * i] = 1000;
        frames[2 * i + 1] = 3000;
    }
    memcpy(h + 40, &bytes, 4);
    snprintf(path, sizeof(path), "%s/s.wav", tmpdir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(h, 1, 44, f);
    fwrite(frames, 1, sizeof(frames), f);
    fclose(f);
    assert_int_equal(audio_wav_load(path, 48000, &out, &n, err, sizeof(err)), 0);
    assert_true(n > 23000 && n <= 24000);
    assert_true(abs(out[n / 2] - 2000) < 40);
    free(out);
    write_file(path, "not a wav file at all, but long enough");
    assert_int_not_equal(audio_wav_load(path, 48000, &out, &n, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "RIFF"));
}

static int setup(void **state)
{
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/c.conf", tmpdir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/s.wav", tmpdir);
    unlink(path);
    rmdir(tmpdir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_wraps),
        cmocka_unit_test(test_jitter_reorders_and_conceals),
        cmocka_unit_test(test_jitter_source_change),
        cmocka_unit_test(test_playout_first_packet_after_silence),
        cmocka_unit_test(test_playout_on_time_decoded_at_once),
        cmocka_unit_test(test_playout_missing_concealed_then_skipped),
        cmocka_unit_test(test_playout_waits_for_late_packet_then_pauses),
        cmocka_unit_test(test_playout_trims_least_excess),
        cmocka_unit_test(test_playout_ringback_ahead_trimmed),
        cmocka_unit_test(test_playout_delay_adapts_to_jitter),
        cmocka_unit_test(test_playout_delay_not_raised_by_loss_or_slow_sender),
        cmocka_unit_test(test_resampler_takes_everything),
        cmocka_unit_test(test_codec_pcmu_conceals),
        cmocka_unit_test(test_codec_pcma_conceals),
        cmocka_unit_test(test_config_hotline_keys),
        cmocka_unit_test(test_config_sip_addresses_agree_with_libre),
        cmocka_unit_test(test_wav_load_converts),
        cmocka_unit_test(test_playback_drop),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
