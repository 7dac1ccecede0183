/* WAV files for the test driver: read any 16-bit PCM WAV as mono at a given rate.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio_int.h"

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Mix interleaved frames down to mono (average of the channels). */
static void mix_mono(const unsigned char *data, size_t frames, unsigned ch, int16_t *out)
{
    for (size_t i = 0; i < frames; i++) {
        int32_t sum = 0;
        for (unsigned c = 0; c < ch; c++)
            sum += (int16_t)le16(data + (i * ch + c) * 2);
        out[i] = (int16_t)(sum / (int32_t)ch);
    }
}

/* The whole file in memory (at most 512 MiB). */
static int read_whole(const char *path, unsigned char **file, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    int rc = EINVAL;
    if (!f) {
        rc = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(rc));
        return rc;
    }
    long end = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
    if (end < 12 || fseek(f, 0, SEEK_SET)) {
        snprintf(err, errlen, "%s: not a WAV file (too short)", path);
    } else if ((size_t)end > 512u * 1024 * 1024) {
        snprintf(err, errlen, "%s: larger than 512 MiB", path);
    } else if (!(*file = malloc((size_t)end)) || fread(*file, 1, (size_t)end, f) != (size_t)end) {
        rc = *file ? EIO : ENOMEM;
        snprintf(err, errlen, "%s: cannot read", path);
        free(*file);
        *file = NULL;
    } else {
        *len = (size_t)end;
        rc = 0;
    }
    fclose(f);
    return rc;
}

/* What the chunks say: the format, and where the samples are. */
struct wav_fmt {
    unsigned format, ch, rate, bits;
    const unsigned char *data;
    size_t data_len;
};

static int parse_chunks(const char *path, const unsigned char *file, size_t len, struct wav_fmt *w,
                        char *err, size_t errlen)
{
    if (memcmp(file, "RIFF", 4) || memcmp(file + 8, "WAVE", 4)) {
        snprintf(err, errlen, "%s: not a RIFF/WAVE file", path);
        return EINVAL;
    }
    for (size_t at = 12; at + 8 <= len;) {
        uint32_t clen = le32(file + at + 4);
        const unsigned char *c = file + at + 8;
        size_t avail = len - at - 8;
        if (!memcmp(file + at, "fmt ", 4) && clen >= 16 && clen <= avail) {
            w->format = le16(c);
            w->ch = le16(c + 2);
            w->rate = le32(c + 4);
            w->bits = le16(c + 14);
            if (w->format == 0xfffe && clen >= 26) /* WAVE_FORMAT_EXTENSIBLE: the sub-format */
                w->format = le16(c + 24);
        } else if (!memcmp(file + at, "data", 4)) {
            w->data = c;
            w->data_len = clen <= avail ? clen : avail; /* streams leave the size unset */
            break;
        }
        at += 8 + (size_t)clen + (clen & 1);
    }
    if (w->format != 1 || w->bits != 16 || !w->ch || w->ch > 32 || w->rate < 1000 ||
        w->rate > 384000) {
        snprintf(err, errlen,
                 "%s: not 16-bit PCM (format %u, %u bits, %u channels, %u Hz); accepted: any "
                 "16-bit PCM WAV",
                 path, w->format, w->bits, w->ch, w->rate);
        return EINVAL;
    }
    if (!w->data) {
        snprintf(err, errlen, "%s: no data chunk", path);
        return EINVAL;
    }
    return 0;
}

/* The samples as mono at rate: a new array in *samples, its length in *n. */
static int to_mono_at(const struct wav_fmt *w, unsigned rate, int16_t **samples, size_t *n,
                      char *err, size_t errlen)
{
    size_t frames = w->data_len / (2u * w->ch);
    int16_t *mono = malloc((frames ? frames : 1) * sizeof(*mono)), *res = NULL;
    struct audio_resampler *rs = NULL;
    if (!mono)
        goto nomem;
    mix_mono(w->data, frames, w->ch, mono);
    if (w->rate != rate) {
        size_t out_cap = (size_t)((double)frames * rate / w->rate) + 64;
        res = malloc(out_cap * sizeof(*res));
        if (!res || audio_resampler_alloc(&rs, w->rate, rate, AUDIO_RESAMPLE_FILE))
            goto nomem;
        size_t in_n = frames, out_n = out_cap;
        audio_resampler_run(rs, mono, &in_n, res, &out_n);
        audio_resampler_free(rs);
        free(mono);
        mono = res;
        frames = out_n;
    }
    *samples = mono;
    *n = frames;
    return 0;
nomem:
    audio_resampler_free(rs);
    free(res);
    free(mono);
    snprintf(err, errlen, "out of memory");
    return ENOMEM;
}

int audio_wav_load(const char *path, unsigned rate, int16_t **samples, size_t *n, char *err,
                   size_t errlen)
{
    unsigned char *file = NULL;
    size_t len = 0;
    struct wav_fmt w = {0};
    int rc = read_whole(path, &file, &len, err, errlen);
    if (!rc)
        rc = parse_chunks(path, file, len, &w, err, errlen);
    if (!rc)
        rc = to_mono_at(&w, rate, samples, n, err, errlen);
    free(file);
    return rc;
}
