/* The wav driver's simulated room: what its microphone hears of its loudspeaker. The sound
 * arrives `delay` samples later, attenuated, and through an impulse response (reverberation);
 * the driver adds its noise file on top. Pure: tests/call/tone.c rebuilds the microphone's echo
 * from the playback file with this same code, so an echo measurement knows exactly what echo
 * the microphone heard.
 *
 * The impulse response is applied as its non-zero taps only (at most AUDIO_ROOM_TAPS): the
 * driver's thread stands for a sound card and must keep time, and a dense 100 ms response at
 * 48 kHz would cost it 4,800 multiplications a sample. A handful of reflections and a sparse
 * decaying tail is what a room test needs; no library offers a sparse convolution.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"

struct audio_room {
    size_t delay;
    unsigned ntaps;
    size_t tap_at[AUDIO_ROOM_TAPS]; /* after the delay, in samples */
    float tap_gain[AUDIO_ROOM_TAPS];
    int16_t *hist; /* the loudspeaker's last hist_n samples, a ring */
    size_t hist_n, pos;
};

int audio_room_alloc(struct audio_room **rp, size_t delay, unsigned atten_db, const int16_t *ir,
                     size_t ir_n, char *err, size_t errlen)
{
    struct audio_room *r = calloc(1, sizeof(*r));
    float gain = (float)pow(10.0, -(double)atten_db / 20.0);
    size_t len = 1;

    if (!r)
        goto nomem;
    r->delay = delay;
    if (!ir) {
        r->ntaps = 1;
        r->tap_gain[0] = gain;
    }
    for (size_t i = 0; ir && i < ir_n; i++) {
        if (!ir[i])
            continue;
        if (r->ntaps == AUDIO_ROOM_TAPS) {
            snprintf(err, errlen,
                     "the impulse response has more than %d non-zero samples (the wav driver "
                     "applies a sparse one)",
                     AUDIO_ROOM_TAPS);
            free(r);
            return EINVAL;
        }
        r->tap_at[r->ntaps] = i;
        r->tap_gain[r->ntaps++] = gain * (float)ir[i] / 32768.0f;
        len = i + 1;
    }
    if (!r->ntaps) {
        snprintf(err, errlen, "the impulse response is silent");
        free(r);
        return EINVAL;
    }
    r->hist_n = delay + len;
    r->hist = calloc(r->hist_n, sizeof(*r->hist));
    if (!r->hist)
        goto nomem;
    *rp = r;
    return 0;
nomem:
    snprintf(err, errlen, "out of memory");
    free(r);
    return ENOMEM;
}

void audio_room_free(struct audio_room *r)
{
    if (!r)
        return;
    free(r->hist);
    free(r);
}

void audio_room_reset(struct audio_room *r)
{
    memset(r->hist, 0, r->hist_n * sizeof(*r->hist));
    r->pos = 0;
}

/* Sample i of this block hears the loudspeaker's sample (i - delay - tap) of the samples
 * played so far: blocks no longer than the delay hear only what was played before them. */
void audio_room_echo(const struct audio_room *r, float *echo, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        float v = 0;
        for (unsigned k = 0; k < r->ntaps; k++) {
            size_t back = r->delay + r->tap_at[k] - i; /* samples before the block's start */
            v += r->tap_gain[k] * r->hist[(r->pos + r->hist_n - back % r->hist_n) % r->hist_n];
        }
        echo[i] = v;
    }
}

void audio_room_played(struct audio_room *r, const int16_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        r->hist[r->pos] = out[i];
        r->pos = (r->pos + 1) % r->hist_n;
    }
}
