/* Voice codecs for the call: Opus (wideband, preferred), G.711 u-law and A-law.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdlib.h>

#include <opus/opus.h>
#include <re.h>
#include <rem.h>
/* The concealer's headers alone: the umbrella <spandsp.h> declares goertzel_*() functions that
 * librem declares too, with other types. */
#include <spandsp/telephony.h>
#include <spandsp/plc.h>

#include "call_int.h"

struct call_codec {
    enum call_codec_id id;
    OpusEncoder *enc;
    OpusDecoder *dec;
    struct audio_resampler *down; /* G.711: CALL_RATE -> 8 kHz */
    struct audio_resampler *up;   /* G.711: 8 kHz -> CALL_RATE */
    plc_state_t plc;              /* G.711: Appendix I concealment, fed every decoded block */
};

enum {
    G711_RATE = 8000,
    G711_MAX = 960, /* the most of one packet we decode: 120 ms at 8 kHz */
};

int call_codec_alloc(struct call_codec **cp, enum call_codec_id id)
{
    struct call_codec *c = calloc(1, sizeof(*c));
    int e = 0, rc = ENOMEM;

    if (!c)
        return ENOMEM;
    c->id = id;
    if (id == CALL_CODEC_OPUS) {
        c->enc = opus_encoder_create(CALL_RATE, 1, OPUS_APPLICATION_VOIP, &e);
        c->dec = opus_decoder_create(CALL_RATE, 1, &e);
        if (!c->enc || !c->dec)
            goto out;
        opus_encoder_ctl(c->enc, OPUS_SET_BITRATE(32000));
        opus_encoder_ctl(c->enc, OPUS_SET_INBAND_FEC(1));
        opus_encoder_ctl(c->enc, OPUS_SET_PACKET_LOSS_PERC(5));
        opus_encoder_ctl(c->enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
    } else {
        if (audio_resampler_alloc(&c->down, CALL_RATE, G711_RATE, AUDIO_RESAMPLE_G711) ||
            audio_resampler_alloc(&c->up, G711_RATE, CALL_RATE, AUDIO_RESAMPLE_G711))
            goto out;
        plc_init(&c->plc);
    }
    *cp = c;
    c = NULL;
    rc = 0;
out:
    call_codec_free(c);
    return rc;
}

void call_codec_free(struct call_codec *c)
{
    if (!c)
        return;
    if (c->enc)
        opus_encoder_destroy(c->enc);
    if (c->dec)
        opus_decoder_destroy(c->dec);
    audio_resampler_free(c->down);
    audio_resampler_free(c->up);
    free(c);
}

unsigned call_codec_clock(const struct call_codec *c)
{
    return c->id == CALL_CODEC_OPUS ? 48000 : 8000;
}

int call_codec_encode(struct call_codec *c, const int16_t *pcm, uint8_t *out, size_t outlen)
{
    if (c->id == CALL_CODEC_OPUS)
        return opus_encode(c->enc, pcm, CALL_FRAME, out, (opus_int32)outlen);

    int16_t nb[CALL_FRAME];
    size_t in_n = CALL_FRAME, out_n = CALL_FRAME / 2;
    audio_resampler_run(c->down, pcm, &in_n, nb, &out_n);
    if (out_n > outlen)
        return -1;
    for (size_t i = 0; i < out_n; i++)
        out[i] = c->id == CALL_CODEC_PCMU ? g711_pcm2ulaw(nb[i]) : g711_pcm2alaw(nb[i]);
    return (int)out_n;
}

/* G.711 into nb at 8 kHz; returns the samples written. A missing piece (data NULL) is what
 * spandsp's concealer (after G.711 Appendix I) makes of the signal before it: the last pitch
 * period repeated, joined by overlap-add, without Appendix I's 3.75 ms delay. Its length is what
 * max holds at CALL_RATE, so that the output is exactly as long as the silence it replaces.
 * spandsp fades the repetition linearly from the loss's first sample to nothing 50 ms into it
 * (<spandsp/plc.h>); after the resampler the unit test measures the 10 ms pieces at -1, -2, -5,
 * -9, -16 and -39 dB from the frame before, then zeros. Appendix I holds the level for 10 ms
 * and is silent from 60 ms: so is this, and a long loss is silence, not a buzz. Every received
 * block goes through plc_rx(): it keeps the history that concealment repeats, and blends the
 * first block after a loss into the synthetic signal. */
static size_t g711_decode(struct call_codec *c, const uint8_t *data, size_t len, int16_t *nb,
                          size_t max)
{
    if (!data) {
        size_t n = max / (CALL_RATE / G711_RATE);
        n = n < G711_MAX ? n : G711_MAX;
        return (size_t)plc_fillin(&c->plc, nb, (int)n);
    }
    size_t n = len < G711_MAX ? len : G711_MAX;
    for (size_t i = 0; i < n; i++)
        nb[i] = c->id == CALL_CODEC_PCMU ? g711_ulaw2pcm(data[i]) : g711_alaw2pcm(data[i]);
    if (n)
        plc_rx(&c->plc, nb, (int)n);
    return n;
}

int call_codec_decode(struct call_codec *c, const uint8_t *data, size_t len, int16_t *pcm,
                      size_t max)
{
    if (c->id == CALL_CODEC_OPUS) {
        int frame = (int)(max < CALL_FRAME ? max : CALL_FRAME);
        return opus_decode(c->dec, data, (opus_int32)len, pcm, data ? (int)max : frame, 0);
    }
    int16_t nb[G711_MAX];
    size_t in_n = g711_decode(c, data, len, nb, max), out_n = max;
    audio_resampler_run(c->up, nb, &in_n, pcm, &out_n);
    return (int)out_n;
}

unsigned call_codec_delay_us(const struct call_codec *c, bool encode)
{
    if (!c || c->id == CALL_CODEC_OPUS)
        return 0; /* the codec's own look-ahead is not the kiosk's: see docs/calls.md */
    return audio_resampler_delay_us(encode ? c->down : c->up);
}
