/* The echo's bulk delay: how long after the loudspeaker plays a sound the microphone first hears
 * it (the sound card's buffers both ways, the air). The echo canceller then covers the echo from
 * there on only: a shorter adaptive filter, which speexdsp's canceller learns in half the time
 * and more deeply (measured on speech in a 120 ms room with reverberation: 50 dB after 1.4 s
 * with the delay taken out and 150 ms of filter, against 34 dB after 2.6 s with 250 ms).
 *
 * By cross-correlation of the two signals, at 4 kHz (the sum of each 4 samples at 16 kHz, then
 * a first difference, which flattens speech's spectrum and so sharpens the peak), accumulated
 * over the frames in which the far end speaks. After WINDOW_FRAMES of them the lag with the
 * largest magnitude is that window's answer, and the delay when the window before gave the
 * same; the window then starts again. speexdsp has no delay estimator, and this is the textbook
 * one. Pure arithmetic: tests/unit/test_call.c checks it on known delays. SPDX-License-Identifier:
 * GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"

enum {
    DECIM = 4,           /* 16 kHz -> 4 kHz */
    WINDOW_FRAMES = 25,  /* 0.5 s of far-end speech in 20 ms frames */
    AGREE_US = 1000,     /* two windows agree: their best lags this close */
    FAR_MIN_LEVEL = 100, /* the far end speaks: frame RMS above -50 dBFS (audio_far_speaks) */
    SUB_MAX = 256,       /* decimated samples per frame: frames up to 64 ms at 16 kHz */
};

struct audio_delay {
    unsigned rate, frame, sub; /* sub: samples per frame after decimation */
    unsigned lags;             /* lags searched, at rate / DECIM */
    float *ref;                /* decimated reference history: lags + sub samples, newest last */
    float *xc;                 /* cross-correlation per lag */
    float last_mic, last_ref;  /* for the first difference */
    unsigned frames;           /* far-end frames in this window */
    int last;                  /* the previous window's best lag, -1: none yet */
};

int audio_delay_alloc(struct audio_delay **dp, unsigned rate, unsigned frame, unsigned max_ms)
{
    struct audio_delay *d;
    if (frame / DECIM > SUB_MAX || frame % DECIM)
        return EINVAL;
    d = calloc(1, sizeof(*d));
    if (!d)
        return ENOMEM;
    d->rate = rate;
    d->frame = frame;
    d->last = -1;
    d->sub = frame / DECIM;
    d->lags = rate / DECIM * max_ms / 1000;
    d->ref = calloc(d->lags + d->sub, sizeof(*d->ref));
    d->xc = calloc(d->lags, sizeof(*d->xc));
    if (!d->ref || !d->xc) {
        audio_delay_free(d);
        return ENOMEM;
    }
    *dp = d;
    return 0;
}

void audio_delay_free(struct audio_delay *d)
{
    if (!d)
        return;
    free(d->ref);
    free(d->xc);
    free(d);
}

/* Sum DECIM samples, then the first difference against the previous sum. */
static void decimate(const int16_t *x, unsigned sub, float *out, float *last)
{
    for (unsigned i = 0; i < sub; i++) {
        float s = 0;
        for (unsigned k = 0; k < DECIM; k++)
            s += x[i * DECIM + k];
        out[i] = s - *last;
        *last = s;
    }
}

/* The lag with the largest magnitude in the window. */
static int best_lag(const struct audio_delay *d)
{
    unsigned best = 0;
    for (unsigned l = 1; l < d->lags; l++) {
        if (fabsf(d->xc[l]) > fabsf(d->xc[best]))
            best = l;
    }
    return (int)best;
}

bool audio_far_speaks(const int16_t *ref, unsigned n)
{
    double e = 0;
    for (unsigned i = 0; i < n; i++)
        e += (double)ref[i] * ref[i];
    return e >= (double)FAR_MIN_LEVEL * FAR_MIN_LEVEL * n;
}

int audio_delay_update(struct audio_delay *d, const int16_t *mic, const int16_t *ref)
{
    float m[SUB_MAX];
    /* the history moves on every frame; only frames with far-end speech are correlated */
    memmove(d->ref, d->ref + d->sub, d->lags * sizeof(*d->ref));
    decimate(ref, d->sub, d->ref + d->lags, &d->last_ref);
    decimate(mic, d->sub, m, &d->last_mic);
    if (!audio_far_speaks(ref, d->frame))
        return -1;
    /* xc[l] += sum over this frame of mic[t] * ref[t - l] */
    for (unsigned l = 0; l < d->lags; l++) {
        const float *r = d->ref + d->lags - l;
        float s = 0;
        for (unsigned i = 0; i < d->sub; i++)
            s += m[i] * r[i];
        d->xc[l] += s;
    }
    if (++d->frames < WINDOW_FRAMES)
        return -1;
    /* Speech's own periodicity and the room's reflections give rival peaks nearly as tall as
     * the direct sound's in any one window (measured: 1.1 to 1.5 times), but only the direct
     * sound's stays put: two windows in a row agreeing on a lag out of hundreds is the answer. */
    int lag = best_lag(d), agree = (int)(d->rate / DECIM * AGREE_US / 1000000u);
    bool same = d->last >= 0 && abs(lag - d->last) <= agree;
    d->frames = 0;
    memset(d->xc, 0, d->lags * sizeof(*d->xc));
    d->last = lag;
    return same ? lag * DECIM : -1;
}
