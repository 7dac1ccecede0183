/* Voice processing with speexdsp: echo cancellation, noise suppression, resampling.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>
#include <speex/speex_resampler.h>

#include "audio.h"
#include "openline/util.h"

/* One echo canceller on the reference delayed by `delay` samples, covering tail_n after it. */
struct canceller {
    SpeexEchoState *st;
    unsigned delay;
    double left;     /* energy it left over this judging window's far-end frames */
    unsigned losses; /* windows in a row it left more than the one in use */
    int16_t *out;
};

enum {
    BANK = 4,              /* cancellers at most at once */
    FIRST_DELAYS_MS = 100, /* the first ones start at 0, 100, 200 ms: all cover 150 ms */
    FIRST_COUNT = 3,
    DELAY_MARGIN_MS = 10, /* a new one's reference starts this much before the delay found */
    JUDGE_FRAMES = 25,    /* far-end frames (0.5 s) they are compared over */
    LOSSES_MAX = 3,       /* a canceller behind the one in use this often in a row is dropped */
};

/* The echo's bulk delay (the sound card's buffers, the air) is not known in advance and may be
 * anything up to a few hundred ms, but a canceller covering all of it learns slowly: speexdsp's
 * adapts at a reduced rate until it has seen as many frames as its filter has blocks, and a
 * long filter also settles less deep. So short cancellers (tail_ms) run side by side from the
 * call's start, their references delayed by 0, 100 and 200 ms; every half second of far-end
 * speech the one that left the least is the one heard, and one that keeps losing is dropped.
 * The delay estimator (delay.c) then places one exactly (10 ms before the direct sound) when
 * the one in use does not have the direct sound in the first half of what it covers. Measured
 * on speech in a 120 ms room with reverberation: 40 dB and 20 dB after 1.4 s, against 34 dB and
 * 2.6 s for one 250 ms canceller. */
struct audio_proc {
    unsigned rate, frame, tail_n;
    struct canceller bank[BANK];
    unsigned cur; /* the one heard */
    unsigned far_frames;
    struct audio_delay *est;
    /* what was played, newest last: hist_n samples, the reference of every canceller */
    int16_t *hist;
    size_t hist_n;
    SpeexPreprocessState *pre;
    int16_t *zeros;
};

static int canceller_start(struct audio_proc *p, unsigned delay)
{
    int srate = (int)p->rate;
    for (unsigned i = 0; i < BANK; i++) {
        struct canceller *c = &p->bank[i];
        if (c->st)
            continue;
        c->st = speex_echo_state_init((int)p->frame, (int)p->tail_n);
        if (!c->st)
            return ENOMEM;
        speex_echo_ctl(c->st, SPEEX_ECHO_SET_SAMPLING_RATE, &srate);
        c->delay = delay;
        c->left = 0;
        c->losses = 0;
        return 0;
    }
    return ENOSPC;
}

static void canceller_stop(struct canceller *c)
{
    if (c->st)
        speex_echo_state_destroy(c->st);
    c->st = NULL;
}

static int echo_alloc(struct audio_proc *p, unsigned tail_ms)
{
    int rc = 0;
    p->tail_n = p->rate * tail_ms / 1000;
    p->hist_n = p->rate * AUDIO_PROC_DELAY_MAX_MS / 1000 + p->frame;
    p->hist = calloc(p->hist_n, sizeof(*p->hist));
    if (!p->hist)
        return ENOMEM;
    for (unsigned i = 0; i < BANK; i++) {
        if (!(p->bank[i].out = calloc(p->frame, sizeof(int16_t))))
            return ENOMEM;
    }
    for (unsigned i = 0; i < FIRST_COUNT && !rc; i++)
        rc = canceller_start(p, p->rate * FIRST_DELAYS_MS / 1000 * i);
    return rc ? rc : audio_delay_alloc(&p->est, p->rate, p->frame, AUDIO_PROC_DELAY_MAX_MS);
}

int audio_proc_alloc(struct audio_proc **pp, unsigned rate, unsigned frame, unsigned tail_ms,
                     bool echo_cancel, bool noise_suppression)
{
    struct audio_proc *p = calloc(1, sizeof(*p));
    int rc = ENOMEM;

    if (!p)
        return ENOMEM;
    p->rate = rate;
    p->frame = frame;
    p->zeros = calloc(frame, sizeof(int16_t));
    if (!p->zeros || (echo_cancel && echo_alloc(p, tail_ms)))
        goto out;
    /* The preprocessor removes the echo the adaptive filter leaves (residual echo) as well as
     * noise, both through one spectral gain, which speexdsp applies only with denoising on:
     * with it off, speex_preprocess_run() leaves every band at gain 1 and the linear filter
     * alone is left (measured with speech: 18 dB instead of 40, converging in 4 s instead of
     * 2). So denoising stays on whenever the canceller runs, and without noise suppression its
     * noise floor is 0 dB: the gain floor of a band is then
     * sqrt(noise + echo_floor * echo) / sqrt(1 + noise + echo), which is 1 where there is only
     * noise and falls only where there is residual echo (speexdsp's compute_gain_floor). */
    if (echo_cancel || noise_suppression) {
        int on = 1, off = 0, no_floor = 0;
        p->pre = speex_preprocess_state_init((int)frame, (int)rate);
        if (!p->pre)
            goto out;
        speex_preprocess_ctl(p->pre, SPEEX_PREPROCESS_SET_DENOISE, &on);
        if (!noise_suppression)
            speex_preprocess_ctl(p->pre, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, &no_floor);
        speex_preprocess_ctl(p->pre, SPEEX_PREPROCESS_SET_AGC, &off);
        speex_preprocess_ctl(p->pre, SPEEX_PREPROCESS_SET_DEREVERB, &off);
        if (p->bank[0].st)
            speex_preprocess_ctl(p->pre, SPEEX_PREPROCESS_SET_ECHO_STATE, p->bank[0].st);
    }
    *pp = p;
    p = NULL;
    rc = 0;
out:
    audio_proc_free(p);
    return rc;
}

/* A new estimate of the bulk delay: a canceller placed 10 ms before it, unless one running has
 * the direct sound in the first half of what it covers already. */
static void follow_delay(struct audio_proc *p, const int16_t *mic, const int16_t *ref)
{
    int est = audio_delay_update(p->est, mic, ref);
    unsigned margin = p->rate * DELAY_MARGIN_MS / 1000;
    if (est < 0)
        return;
    for (unsigned i = 0; i < BANK; i++) {
        const struct canceller *c = &p->bank[i];
        if (c->st && (unsigned)est >= c->delay && (unsigned)est < c->delay + p->tail_n / 2)
            return;
    }
    /* out of room or memory: those running go on */
    (void)canceller_start(p, (unsigned)est > margin ? (unsigned)est - margin : 0);
}

static double energy(const int16_t *x, unsigned n)
{
    double e = 0;
    for (unsigned i = 0; i < n; i++)
        e += (double)x[i] * x[i];
    return e;
}

/* After each half second of far-end speech: the one that left the least is heard from now on
 * (the preprocessor's residual echo estimate follows it); one that lost too often stops. */
static void judge(struct audio_proc *p)
{
    unsigned best = p->cur;
    for (unsigned i = 0; i < BANK; i++) {
        if (p->bank[i].st && p->bank[i].left < p->bank[best].left)
            best = i;
    }
    if (best != p->cur) {
        p->cur = best;
        if (p->pre)
            speex_preprocess_ctl(p->pre, SPEEX_PREPROCESS_SET_ECHO_STATE, p->bank[best].st);
    }
    for (unsigned i = 0; i < BANK; i++) {
        struct canceller *c = &p->bank[i];
        if (!c->st || i == best)
            continue;
        c->losses = c->left > p->bank[best].left ? c->losses + 1 : 0;
        if (c->losses >= LOSSES_MAX)
            canceller_stop(c);
    }
    for (unsigned i = 0; i < BANK; i++)
        p->bank[i].left = 0;
}

static void cancel(struct audio_proc *p, const int16_t *mic, const int16_t *ref)
{
    bool far = audio_far_speaks(ref, p->frame);
    memmove(p->hist, p->hist + p->frame, (p->hist_n - p->frame) * sizeof(*p->hist));
    memcpy(p->hist + p->hist_n - p->frame, ref, p->frame * sizeof(*ref));
    follow_delay(p, mic, ref);
    for (unsigned i = 0; i < BANK; i++) {
        struct canceller *c = &p->bank[i];
        if (!c->st)
            continue;
        speex_echo_cancellation(c->st, mic, p->hist + p->hist_n - p->frame - c->delay, c->out);
        if (far)
            c->left += energy(c->out, p->frame);
    }
    if (far && ++p->far_frames % JUDGE_FRAMES == 0)
        judge(p);
}

void audio_proc_run(struct audio_proc *p, const int16_t *mic, const int16_t *ref, int16_t *out)
{
    if (p->hist) {
        cancel(p, mic, ref ? ref : p->zeros);
        memcpy(out, p->bank[p->cur].out, p->frame * sizeof(*out));
    } else if (out != mic) {
        memcpy(out, mic, p->frame * sizeof(*out));
    }
    if (p->pre)
        speex_preprocess_run(p->pre, out);
}

void audio_proc_free(struct audio_proc *p)
{
    if (!p)
        return;
    if (p->pre)
        speex_preprocess_state_destroy(p->pre);
    for (unsigned i = 0; i < BANK; i++) {
        canceller_stop(&p->bank[i]);
        free(p->bank[i].out);
    }
    audio_delay_free(p->est);
    free(p->hist);
    free(p->zeros);
    free(p);
}

unsigned audio_proc_delay_ms(const struct audio_proc *p)
{
    return p->hist ? p->bank[p->cur].delay * 1000u / p->rate : 0;
}

struct audio_resampler {
    SpeexResamplerState *st;
};

int audio_resampler_alloc(struct audio_resampler **rp, unsigned in_rate, unsigned out_rate,
                          int quality)
{
    int e = 0;
    struct audio_resampler *r = calloc(1, sizeof(*r));
    if (!r)
        return ENOMEM;
    /* The filter's delay stays in the signal (no speex_resampler_skip_zeros): output then keeps
     * pace with input sample for sample, so two 10 ms device blocks at 48 kHz make exactly one
     * 20 ms frame at 16 kHz. Skipping the zeros makes the output lag by half the filter in
     * count instead, and every frame then waits for one more device block: 10 ms more from
     * microphone to network. */
    r->st = speex_resampler_init(1, in_rate, out_rate, quality, &e);
    if (!r->st) {
        free(r);
        return e == RESAMPLER_ERR_ALLOC_FAILED ? ENOMEM : EINVAL;
    }
    *rp = r;
    return 0;
}

void audio_resampler_run(struct audio_resampler *r, const int16_t *in, size_t *in_n, int16_t *out,
                         size_t *out_n)
{
    spx_uint32_t i = (spx_uint32_t)*in_n, o = (spx_uint32_t)*out_n;
    speex_resampler_process_int(r->st, 0, in, &i, out, &o);
    *in_n = i;
    *out_n = o;
}

size_t audio_resampler_all(struct audio_resampler *r, const int16_t *in, size_t n,
                           audio_sink_h *sink, void *arg)
{
    int16_t out[512];
    size_t done = 0, made = 0;
    while (done < n) {
        size_t in_n = n - done, out_n = ARRAY_SIZE(out);
        audio_resampler_run(r, in + done, &in_n, out, &out_n);
        if (out_n)
            sink(arg, out, out_n);
        done += in_n;
        made += out_n;
        if (!in_n && !out_n)
            break; /* nothing moves: never spin */
    }
    return made;
}

void audio_resampler_free(struct audio_resampler *r)
{
    if (!r)
        return;
    speex_resampler_destroy(r->st);
    free(r);
}

unsigned audio_resampler_delay_us(const struct audio_resampler *r)
{
    spx_uint32_t in_rate, out_rate;
    speex_resampler_get_rate(r->st, &in_rate, &out_rate);
    int lat = speex_resampler_get_output_latency(r->st);
    return lat > 0 && out_rate ? (unsigned)((uint64_t)lat * 1000000u / out_rate) : 0;
}
