/* WAV files for the call suite's analysis tools (call-tone, call-echo): 16-bit PCM in, the
 * first channel as doubles; mono 16-bit PCM out.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_TESTS_WAVREAD_H
#define OPENLINE_TESTS_WAVREAD_H

#include <stddef.h>

struct wav {
    double *x; /* first channel, -1..1 */
    size_t n;
    unsigned rate;
};

/* 0, or -1 with the reason on stderr. w->x is malloc'd. */
int wav_read(const char *path, struct wav *w);
/* Mono 16-bit PCM at rate, x in -1..1 (rounded, clipped). 0 or -1 (reason on stderr). */
int wav_write(const char *path, const double *x, size_t n, unsigned rate);

#endif
