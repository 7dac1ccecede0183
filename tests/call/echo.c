/* call-echo: echo measurements for the call suite and `make bench-echo`.
 *   call-echo ir FILE                 a 48 kHz room impulse response: the direct sound, then 47
 *                                     reflections over 2-90 ms decaying 60 dB in 300 ms (fixed
 *                                     seed, so every run hears the same room)
 *   call-echo rebuild PLAYED DELAY_MS ATTEN_DB IR|- OUT
 *                                     the echo the wav driver's microphone heard: the kiosk's
 *                                     playback file through the same room code (app/audio/room.c)
 *   call-echo erle ECHO SENT [NEAR]   ERLE of SENT (what the hotline received) against ECHO (the
 *                                     echo at the microphone), both mono at one rate; NEAR, the
 *                                     near-end talker, for double talk. Prints one line:
 *       lag=S      where ECHO's time 0 is in SENT (s), found by normalized cross-correlation
 *                  over the first seconds of far-end speech, before the canceller converged
 *       peak=C     that correlation
 *       erle=DB    10 log10 of echo energy over sent energy, over 20 ms frames in which the far
 *                  end is active (echo above -50 dBFS) and the near end is not, from 2 s after
 *                  the far end first spoke to the end
 *       conv=S     seconds from the far end's first frame until ERLE over the last 0.25 s of
 *                  such frames first reaches 20 dB (-1: never)
 *       min1s=DB   the worst ERLE over any 1 s of such frames after convergence
 *       near=DB    (with NEAR) sent energy over near energy in frames where both talk: how
 *                  much of the near-end talker survived double talk
 *       seconds=E1,E2,...  ERLE per second of the call (for the record; "-" without far end)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/audio/audio.h"
#include "wavread.h"

enum { IR_RATE = 48000 };

static double frame_energy(const double *x, size_t n, size_t at, size_t len)
{
    double e = 0;
    for (size_t i = at; i < at + len && i < n; i++)
        e += x[i] * x[i];
    return e;
}

static double db(double num, double den)
{
    return 10 * log10((num + 1e-20) / (den + 1e-20));
}

/* A small fixed generator: the same room in every run. */
static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static int make_ir(const char *path)
{
    size_t n = IR_RATE * 90 / 1000;
    double *x = calloc(n, sizeof(*x));
    uint32_t seed = 19;
    if (!x)
        return 2;
    x[0] = 0.9;
    for (int k = 0; k < 47; k++) {
        size_t at = IR_RATE * 2 / 1000 + lcg(&seed) % (n - IR_RATE * 2 / 1000);
        double t = (double)at / IR_RATE;
        double amp = 0.5 * pow(10.0, -3.0 * t / 0.3); /* -60 dB at 300 ms */
        x[at] += (lcg(&seed) & 1 ? amp : -amp);
    }
    int rc = wav_write(path, x, n, IR_RATE) ? 2 : 0;
    free(x);
    return rc;
}

static int rebuild(char **argv)
{
    struct wav played = {0}, irw = {0};
    int16_t *ir = NULL, *out16 = NULL;
    struct audio_room *room = NULL;
    char err[200];
    int rc = 2;
    long delay_ms = strtol(argv[3], NULL, 10), atten = strtol(argv[4], NULL, 10);

    if (wav_read(argv[2], &played) || (strcmp(argv[5], "-") && wav_read(argv[5], &irw)))
        goto out;
    if (played.rate != IR_RATE || (irw.x && irw.rate != IR_RATE)) {
        fprintf(stderr, "call-echo rebuild: 48 kHz files only\n");
        goto out;
    }
    ir = irw.x ? calloc(irw.n, sizeof(*ir)) : NULL;
    for (size_t i = 0; ir && i < irw.n; i++)
        ir[i] = (int16_t)lrint(irw.x[i] * 32768.0);
    if (audio_room_alloc(&room, (size_t)(IR_RATE / 1000 * delay_ms), (unsigned)atten, ir, irw.n,
                         err, sizeof(err))) {
        fprintf(stderr, "call-echo rebuild: %s\n", err);
        goto out;
    }
    /* the driver's 10 ms blocks, in the same order: the echo of a block, then what it played */
    out16 = calloc(played.n + 1, sizeof(*out16));
    double *echo = calloc(played.n + 1, sizeof(*echo));
    float blk[IR_RATE / 100];
    for (size_t at = 0; out16 && echo && at < played.n; at += IR_RATE / 100) {
        size_t k = played.n - at < IR_RATE / 100 ? played.n - at : IR_RATE / 100;
        audio_room_echo(room, blk, k);
        for (size_t i = 0; i < k; i++) {
            echo[at + i] = blk[i] / 32768.0;
            out16[at + i] = (int16_t)lrint(played.x[at + i] * 32768.0);
        }
        audio_room_played(room, out16 + at, k);
    }
    rc = echo && out16 && !wav_write(argv[6], echo, played.n, IR_RATE) ? 0 : 2;
    free(echo);
out:
    audio_room_free(room);
    free(out16);
    free(ir);
    free(played.x);
    free(irw.x);
    return rc;
}

struct frames {
    size_t len, count;
    double *echo, *sent, *near; /* energy per frame, sent aligned to echo's time */
};

static void corr_at(const struct wav *echo, const struct wav *sent, size_t start, size_t len,
                    size_t step, long lag, double ee, double *peak, long *best);

/* The lag of SENT behind ECHO: the best normalized cross-correlation of the first 3 s of far-end
 * speech against SENT, lags -1..+3 s. Early on the canceller has not converged, so the sent
 * signal is mostly the echo itself. */
static long find_lag(const struct wav *echo, const struct wav *sent, size_t start, double *peak)
{
    size_t len = echo->rate * 3, rate = echo->rate;
    long best = 0;
    *peak = 0;
    if (start + len > echo->n)
        len = echo->n > start ? echo->n - start : 0;
    double ee = frame_energy(echo->x, echo->n, start, len);
    /* every 4th lag on every 4th sample, then every lag around the best of those */
    for (long lag = -(long)rate; lag <= 3 * (long)rate; lag += 4)
        corr_at(echo, sent, start, len, 4, lag, ee / 4, peak, &best);
    long coarse = best;
    for (long lag = coarse - 4; lag <= coarse + 4; lag++)
        corr_at(echo, sent, start, len, 1, lag, ee, peak, &best);
    return best;
}

static void corr_at(const struct wav *echo, const struct wav *sent, size_t start, size_t len,
                    size_t step, long lag, double ee, double *peak, long *best)
{
    double dot = 0, es = 0;
    for (size_t i = 0; i < len; i += step) {
        long j = (long)(start + i) + lag;
        if (j < 0 || (size_t)j >= sent->n)
            continue;
        dot += echo->x[start + i] * sent->x[j];
        es += sent->x[j] * sent->x[j];
    }
    double c = es > 0 && ee > 0 ? dot / sqrt(es * ee) : 0;
    if (c > *peak) {
        *peak = c;
        *best = lag;
    }
}

static double sent_energy(const struct wav *sent, long lag, size_t at, size_t len)
{
    double e = 0;
    for (size_t i = at; i < at + len; i++) {
        long j = (long)i + lag;
        if (j >= 0 && (size_t)j < sent->n)
            e += sent->x[j] * sent->x[j];
    }
    return e;
}

static void print_erle(const struct frames *f, size_t first, long lag, double peak, unsigned rate)
{
    double thr = f->len * pow(10, -50 / 10.0), nthr = thr;
    double se = 0, ss = 0, ne = 0, ns = 0, conv = -1, worst = 1e9;
    size_t from = first + 2 * rate / f->len, per_s = rate / f->len;
    double win_e = 0, win_s = 0, sec_e = 0, sec_s = 0;
    size_t win_n = 0, sec_n = 0;
    double *we = calloc(f->count, sizeof(double)), *ws = calloc(f->count, sizeof(double));
    size_t wn = 0, w0 = 0;

    printf("lag=%.3f peak=%.2f", (double)lag / rate, peak);
    for (size_t k = first; we && ws && k < f->count; k++) {
        bool far = f->echo[k] > thr, nearend = f->near && f->near[k] > nthr;
        if (far && nearend) {
            ne += f->near[k];
            ns += f->sent[k];
        }
        if (!far || nearend)
            continue;
        if (k >= from) {
            se += f->echo[k];
            ss += f->sent[k];
        }
        /* the last 0.25 s of far-only frames: short, since a window reports late by its length */
        we[wn] = f->echo[k], ws[wn++] = f->sent[k];
        win_e += f->echo[k], win_s += f->sent[k], win_n++;
        while (win_n > per_s / 4) {
            win_e -= we[w0], win_s -= ws[w0++], win_n--;
        }
        if (conv < 0 && win_n == per_s / 4 && db(win_e, win_s) >= 20) {
            conv = (double)(k - first + 1) * f->len / rate;
            sec_e = sec_s = 0, sec_n = 0; /* the 1 s pieces start from here */
            continue;
        }
        sec_e += f->echo[k], sec_s += f->sent[k], sec_n++;
        if (sec_n == per_s) {
            if (conv >= 0 && db(sec_e, sec_s) < worst)
                worst = db(sec_e, sec_s);
            sec_e = sec_s = 0, sec_n = 0;
        }
    }
    printf(" erle=%.1f conv=%.2f min1s=%.1f", db(se, ss), conv, worst < 1e9 ? worst : -1.0);
    if (f->near)
        printf(" near=%.1f", db(ns, ne));
    printf(" seconds=");
    for (size_t s = 0; s * per_s < f->count; s++) {
        double e = 0, x = 0;
        for (size_t k = s * per_s; k < (s + 1) * per_s && k < f->count; k++) {
            if (f->echo[k] > thr && !(f->near && f->near[k] > nthr))
                e += f->echo[k], x += f->sent[k];
        }
        printf(e > 0 ? "%s%.0f" : "%s-", s ? "," : "", db(e, x));
    }
    printf("\n");
    free(we);
    free(ws);
}

static int erle(int argc, char **argv)
{
    struct wav echo = {0}, sent = {0}, near = {0};
    struct frames f = {0};
    int rc = 2;

    if (wav_read(argv[2], &echo) || wav_read(argv[3], &sent) ||
        (argc > 4 && wav_read(argv[4], &near)))
        goto out;
    if (sent.rate != echo.rate || (near.x && near.rate != echo.rate)) {
        fprintf(stderr, "call-echo erle: the files must have one rate\n");
        goto out;
    }
    f.len = echo.rate / 50;
    f.count = echo.n / f.len;
    f.echo = calloc(f.count + 1, sizeof(double));
    f.sent = calloc(f.count + 1, sizeof(double));
    f.near = near.x ? calloc(f.count + 1, sizeof(double)) : NULL;
    if (!f.echo || !f.sent || (near.x && !f.near))
        goto out;
    size_t first = f.count;
    double thr = f.len * pow(10, -50 / 10.0);
    for (size_t k = 0; k < f.count; k++) {
        f.echo[k] = frame_energy(echo.x, echo.n, k * f.len, f.len);
        if (f.near)
            f.near[k] = frame_energy(near.x, near.n, k * f.len, f.len);
        if (first == f.count && f.echo[k] > thr)
            first = k;
    }
    if (first == f.count) {
        fprintf(stderr, "call-echo erle: no far-end echo above -50 dBFS\n");
        goto out;
    }
    double peak;
    long lag = find_lag(&echo, &sent, first * f.len, &peak);
    /* frames past the end of what was sent (the call ended) are not counted */
    while (f.count && (long)(f.count * f.len) + lag > (long)sent.n)
        f.count--;
    for (size_t k = 0; k < f.count; k++)
        f.sent[k] = sent_energy(&sent, lag, k * f.len, f.len);
    print_erle(&f, first, lag, peak, echo.rate);
    rc = 0;
out:
    free(f.echo);
    free(f.sent);
    free(f.near);
    free(echo.x);
    free(sent.x);
    free(near.x);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "ir"))
        return make_ir(argv[2]);
    if (argc == 7 && !strcmp(argv[1], "rebuild"))
        return rebuild(argv);
    if ((argc == 4 || argc == 5) && !strcmp(argv[1], "erle"))
        return erle(argc, argv);
    fprintf(stderr, "usage: call-echo ir FILE | rebuild PLAYED DELAY_MS ATTEN_DB IR|- OUT | "
                    "erle ECHO SENT [NEAR]\n");
    return 2;
}
