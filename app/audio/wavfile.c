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

int audio_wav_load(const char *path, unsigned rate, int16_t **samples, size_t *n, char *err,
                   size_t errlen)
{
    unsigned char *file = NULL;
    int16_t *mono = NULL, *res = NULL;
    struct audio_resampler *rs = NULL;
    const unsigned char *data = NULL;
    size_t len = 0, data_len = 0;
    unsigned ch = 0, srate = 0, bits = 0, format = 0;
    int rc = EINVAL;
    FILE *f = fopen(path, "rb");

    if (!f) {
        rc = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(rc));
        return rc;
    }
    if (fseek(f, 0, SEEK_END) || (len = (size_t)ftell(f)) < 12 || fseek(f, 0, SEEK_SET)) {
        snprintf(err, errlen, "%s: not a WAV file (too short)", path);
        goto out;
    }
    if (len > 512u * 1024 * 1024) {
        snprintf(err, errlen, "%s: larger than 512 MiB", path);
        goto out;
    }
    file = malloc(len);
    if (!file || fread(file, 1, len, f) != len) {
        rc = file ? EIO : ENOMEM;
        snprintf(err, errlen, "%s: cannot read", path);
        goto out;
    }
    if (memcmp(file, "RIFF", 4) || memcmp(file + 8, "WAVE", 4)) {
        snprintf(err, errlen, "%s: not a RIFF/WAVE file", path);
        goto out;
    }
    for (size_t at = 12; at + 8 <= len;) {
        uint32_t clen = le32(file + at + 4);
        const unsigned char *c = file + at + 8;
        size_t avail = len - at - 8;
        if (!memcmp(file + at, "fmt ", 4) && clen >= 16 && clen <= avail) {
            format = le16(c);
            ch = le16(c + 2);
            srate = le32(c + 4);
            bits = le16(c + 14);
            if (format == 0xfffe && clen >= 26) /* WAVE_FORMAT_EXTENSIBLE: the sub-format */
                format = le16(c + 24);
        } else if (!memcmp(file + at, "data", 4)) {
            data = c;
            data_len = clen <= avail ? clen : avail; /* streams leave the size unset */
            break;
        }
        at += 8 + (size_t)clen + (clen & 1);
    }
    if (format != 1 || bits != 16 || !ch || ch > 32 || srate < 1000 || srate > 384000) {
        snprintf(err, errlen,
                 "%s: not 16-bit PCM (format %u, %u bits, %u channels, %u Hz); accepted: any "
                 "16-bit PCM WAV",
                 path, format, bits, ch, srate);
        goto out;
    }
    if (!data) {
        snprintf(err, errlen, "%s: no data chunk", path);
        goto out;
    }
    size_t frames = data_len / (2u * ch);
    mono = malloc((frames ? frames : 1) * sizeof(*mono));
    if (!mono) {
        rc = ENOMEM;
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    mix_mono(data, frames, ch, mono);
    if (srate != rate) {
        size_t out_cap = (size_t)((double)frames * rate / srate) + 64;
        res = malloc(out_cap * sizeof(*res));
        if (!res || audio_resampler_alloc(&rs, srate, rate, AUDIO_RESAMPLE_FILE)) {
            rc = ENOMEM;
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        size_t in_n = frames, out_n = out_cap;
        audio_resampler_run(rs, mono, &in_n, res, &out_n);
        free(mono);
        mono = res;
        res = NULL;
        frames = out_n;
    }
    *samples = mono;
    *n = frames;
    mono = NULL;
    rc = 0;
out:
    audio_resampler_free(rs);
    free(res);
    free(mono);
    free(file);
    fclose(f);
    return rc;
}
