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

struct audio_proc {
    unsigned frame;
    SpeexEchoState *echo;
    SpeexPreprocessState *pre;
    int16_t *zeros;
    int16_t *tmp;
};

int audio_proc_alloc(struct audio_proc **pp, unsigned rate, unsigned frame, unsigned tail_ms,
                     bool echo_cancel, bool noise_suppression)
{
    struct audio_proc *p = calloc(1, sizeof(*p));
    int rc = ENOMEM;

    if (!p)
        return ENOMEM;
    p->frame = frame;
    p->zeros = calloc(frame, sizeof(int16_t));
    p->tmp = calloc(frame, sizeof(int16_t));
    if (!p->zeros || !p->tmp)
        goto out;
    if (echo_cancel) {
        int srate = (int)rate;
        p->echo = speex_echo_state_init((int)frame, (int)(rate * tail_ms / 1000));
        if (!p->echo)
            goto out;
        speex_echo_ctl(p->echo, SPEEX_ECHO_SET_SAMPLING_RATE, &srate);
    }
    /* The preprocessor also removes the echo the adaptive filter leaves (residual echo). */
    if (echo_cancel || noise_suppression) {
        int on = noise_suppression ? 1 : 0, off = 0;
        p->pre = speex_preprocess_state_init((int)frame, (int)rate);
        if (!p->pre)
            goto out;
        speex_preprocess_ctl(p->pre, SPEEX_PREPROCESS_SET_DENOISE, &on);
        speex_preprocess_ctl(p->pre, SPEEX_PREPROCESS_SET_AGC, &off);
        speex_preprocess_ctl(p->pre, SPEEX_PREPROCESS_SET_DEREVERB, &off);
        if (p->echo)
            speex_preprocess_ctl(p->pre, SPEEX_PREPROCESS_SET_ECHO_STATE, p->echo);
    }
    *pp = p;
    p = NULL;
    rc = 0;
out:
    audio_proc_free(p);
    return rc;
}

void audio_proc_run(struct audio_proc *p, const int16_t *mic, const int16_t *ref, int16_t *out)
{
    if (p->echo) {
        speex_echo_cancellation(p->echo, mic, ref ? ref : p->zeros, p->tmp);
        memcpy(out, p->tmp, p->frame * sizeof(*out));
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
    if (p->echo)
        speex_echo_state_destroy(p->echo);
    free(p->zeros);
    free(p->tmp);
    free(p);
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
