/* WAV reading and writing for the call suite's analysis tools.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wavread.h"

static unsigned le16(const unsigned char *p)
{
    return (unsigned)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int wav_read(const char *path, struct wav *w)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long len;
    unsigned ch = 0, bits = 0;
    int rc = -1;

    if (!f) {
        perror(path);
        return -1;
    }
    if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 44 || fseek(f, 0, SEEK_SET))
        goto out;
    buf = malloc((size_t)len);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
        goto out;
    for (long at = 12; at + 8 <= len;) {
        uint32_t cl = le32(buf + at + 4);
        if (!memcmp(buf + at, "fmt ", 4)) {
            ch = le16(buf + at + 10);
            w->rate = le32(buf + at + 12);
            bits = le16(buf + at + 22);
        } else if (!memcmp(buf + at, "data", 4)) {
            size_t avail = (size_t)(len - at - 8);
            size_t bytes = cl && cl <= avail ? cl : avail;
            if (bits != 16 || !ch)
                goto out;
            w->n = bytes / (2u * ch);
            w->x = calloc(w->n ? w->n : 1, sizeof(double));
            if (!w->x)
                goto out;
            for (size_t i = 0; i < w->n; i++)
                w->x[i] = (int16_t)le16(buf + at + 8 + i * 2 * ch) / 32768.0;
            rc = 0;
            break;
        }
        at += 8 + (long)cl + (cl & 1);
    }
out:
    if (rc)
        fprintf(stderr, "%s: not a readable 16-bit PCM WAV\n", path);
    free(buf);
    fclose(f);
    return rc;
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

int wav_write(const char *path, const double *x, size_t n, unsigned rate)
{
    unsigned char h[44];
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    memcpy(h, "RIFF", 4);
    put32(h + 4, (uint32_t)(36 + n * 2));
    memcpy(h + 8, "WAVEfmt ", 8);
    put32(h + 16, 16);
    put16(h + 20, 1); /* PCM */
    put16(h + 22, 1); /* mono */
    put32(h + 24, rate);
    put32(h + 28, rate * 2);
    put16(h + 32, 2);
    put16(h + 34, 16);
    memcpy(h + 36, "data", 4);
    put32(h + 40, (uint32_t)(n * 2));
    int ok = fwrite(h, 1, sizeof(h), f) == sizeof(h);
    for (size_t i = 0; ok && i < n; i++) {
        double v = x[i] * 32768.0;
        v = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
        unsigned char b[2];
        put16(b, (unsigned)(uint16_t)(int16_t)(v < 0 ? v - 0.5 : v + 0.5));
        ok = fwrite(b, 1, 2, f) == 2;
    }
    if (fclose(f) || !ok) {
        fprintf(stderr, "%s: cannot write\n", path);
        return -1;
    }
    return 0;
}
