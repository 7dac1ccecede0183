/* call-tone: test helper for the call suite: tone levels by Goertzel filter, onset latency,
 * and free ports for peers.
 *   call-tone freeport                       a port P with UDP P, TCP P and TCP P+1 free
 *   call-tone level FILE HZ [FROM_S TO_S]     tone level, overall level and purity
 *   call-tone check FILE HZ [FROM_S TO_S]     exit 0 when HZ dominates the (non-silent) audio
 *   call-tone silent FILE                    exit 0 when the file holds (almost) nothing
 *   call-tone onset FILE                     seconds to the first sample above -20 dBFS
 *   call-tone corr FILE REF [FROM_S TO_S]     where REF (or that part of it) is in FILE: the peak
 *                                            of their normalized cross-correlation at 8 kHz, its
 *                                            lag (s in FILE where REF's FROM_S lands), the
 *                                            largest elsewhere (over 0.25 s away), and when each
 *                                            file is active (10 ms windows above -40 dBFS)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "wavread.h"

/* Goertzel amplitude at hz over x[0..n) (a full-scale sine gives 1). */
static double goertzel_amp(const double *x, size_t n, unsigned rate, double hz)
{
    double k = 2 * cos(2 * M_PI * hz / rate), s1 = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        double s0 = x[i] + k * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    double p = s1 * s1 + s2 * s2 - k * s1 * s2;
    return 2 * sqrt(p > 0 ? p : 0) / (double)n;
}

/* Mean power of 40 ms Goertzel blocks (a 25 Hz wide filter), so that a phase jump from a lost
 * packet or concealment does not cancel the tone out; in dBFS. */
static double goertzel_dbfs(const double *x, size_t n, unsigned rate, double hz)
{
    size_t block = rate / 25, blocks = 0;
    double sum = 0;
    for (size_t at = 0; at + block <= n; at += block, blocks++) {
        double a = goertzel_amp(x + at, block, rate, hz);
        sum += a * a;
    }
    double amp = blocks ? sqrt(sum / (double)blocks) : 0;
    return 20 * log10(amp > 1e-9 ? amp : 1e-9);
}

static double rms_dbfs(const double *x, size_t n)
{
    double e = 0;
    for (size_t i = 0; i < n; i++)
        e += x[i] * x[i];
    double r = n ? sqrt(e / (double)n) * sqrt(2.0) : 0; /* sine-referenced: full-scale sine 0 */
    return 20 * log10(r > 1e-9 ? r : 1e-9);
}

static int range(const struct wav *w, int argc, char **argv, int at, size_t *from, size_t *to)
{
    *from = 0;
    *to = w->n;
    if (argc > at + 1) {
        *from = (size_t)(strtod(argv[at], NULL) * w->rate);
        *to = (size_t)(strtod(argv[at + 1], NULL) * w->rate);
        if (*to > w->n)
            *to = w->n;
        if (*from >= *to) {
            fprintf(stderr, "empty range\n");
            return -1;
        }
    }
    return 0;
}

/* x at 8 kHz: a moving average over one output period, then linear interpolation. */
static double *to_8k(const struct wav *w, size_t from, size_t to, size_t *n)
{
    double step = w->rate / 8000.0;
    size_t span = (size_t)(step + 0.5) ? (size_t)(step + 0.5) : 1;
    *n = (size_t)((double)(to - from) / step);
    double *y = calloc(*n ? *n : 1, sizeof(*y));
    for (size_t i = 0; y && i < *n; i++) {
        size_t at = from + (size_t)((double)i * step), k = 0;
        double sum = 0;
        for (; k < span && at + k < to; k++)
            sum += w->x[at + k];
        y[i] = k ? sum / (double)k : 0;
    }
    return y;
}

/* First and last 10 ms window above -40 dBFS, in seconds; -1 when none. */
static void active(const struct wav *w, double *first, double *last)
{
    size_t win = w->rate / 100;
    *first = *last = -1;
    for (size_t at = 0; at + win <= w->n; at += win) {
        if (rms_dbfs(w->x + at, win) > -40) {
            if (*first < 0)
                *first = (double)at / w->rate;
            *last = (double)(at + win) / w->rate;
        }
    }
}

static int corr(const struct wav *w, const char *ref_path, int argc, char **argv)
{
    struct wav r = {0};
    size_t nx, nr, from, to;
    if (wav_read(ref_path, &r) || range(&r, argc, argv, 4, &from, &to))
        return 2;
    double *x = to_8k(w, 0, w->n, &nx), *y = to_8k(&r, from, to, &nr);
    if (!x || !y || !nx || !nr)
        return 2;
    if (nr > nx)
        nr = nx;
    double er = 0, *cum = calloc(nx + 1, sizeof(*cum));
    for (size_t i = 0; i < nr; i++)
        er += y[i] * y[i];
    for (size_t i = 0; cum && i < nx; i++)
        cum[i + 1] = cum[i] + x[i] * x[i];
    size_t lags = nx - nr + 1, best = 0;
    double *c = calloc(lags, sizeof(*c));
    if (!cum || !c)
        return 2;
    for (size_t l = 0; l < lags; l++) {
        double dot = 0, ex = cum[l + nr] - cum[l];
        for (size_t i = 0; i < nr; i++)
            dot += x[l + i] * y[i];
        c[l] = ex > 1e-9 && er > 1e-9 ? dot / sqrt(ex * er) : 0;
        if (c[l] > c[best])
            best = l;
    }
    double other = 0;
    for (size_t l = 0; l < lags; l++) {
        if ((l > best ? l - best : best - l) > 2000 && fabs(c[l]) > other)
            other = fabs(c[l]);
    }
    double a0, a1, r0, r1;
    active(w, &a0, &a1);
    active(&r, &r0, &r1);
    printf("peak=%.3f lag=%.3f elsewhere=%.3f active=%.3f-%.3f ref_active=%.3f-%.3f\n", c[best],
           (double)best / 8000.0, other, a0, a1, r0, r1);
    free(x);
    free(y);
    free(cum);
    free(c);
    free(r.x);
    return 0;
}

static int freeport(void)
{
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (int tries = 0; tries < 200; tries++) {
        int p = 20000 + rand() % 30000;
        int ok = 1;
        for (int i = 0; i < 3 && ok; i++) {
            int type = i == 0 ? SOCK_DGRAM : SOCK_STREAM;
            int fd = socket(AF_INET, type, 0);
            struct sockaddr_in a = {.sin_family = AF_INET,
                                    .sin_port = htons((uint16_t)(p + (i == 2))),
                                    .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
            ok = fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a));
            if (fd >= 0)
                close(fd);
        }
        if (ok) {
            printf("%d\n", p);
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv)
{
    struct wav w = {0};
    size_t from, to;

    if (argc >= 2 && !strcmp(argv[1], "freeport"))
        return freeport();
    if (argc < 3) {
        fprintf(stderr, "usage: call-tone freeport | level|check FILE HZ [FROM TO] | silent FILE "
                        "| onset FILE | active FILE | corr FILE REF [FROM TO]\n");
        return 2;
    }
    if (wav_read(argv[2], &w))
        return 2;
    if (!strcmp(argv[1], "silent")) {
        double db = rms_dbfs(w.x, w.n);
        printf("%s: %.2f s, level %.1f dBFS\n", argv[2], (double)w.n / w.rate, db);
        free(w.x);
        return db < -60 ? 0 : 1;
    }
    if (!strcmp(argv[1], "corr")) {
        int rc = argc >= 4 ? corr(&w, argv[3], argc, argv) : 2;
        free(w.x);
        return rc;
    }
    if (!strcmp(argv[1], "active")) { /* sound (10 ms windows above -40 dBFS): first, last */
        double a0, a1;
        active(&w, &a0, &a1);
        printf("%.3f %.3f %.3f\n", a0, a1, (double)w.n / w.rate);
        free(w.x);
        return a0 < 0;
    }
    if (!strcmp(argv[1], "onset")) {
        for (size_t i = 0; i < w.n; i++) {
            if (fabs(w.x[i]) > 0.1) {
                printf("%.4f\n", (double)i / w.rate);
                free(w.x);
                return 0;
            }
        }
        free(w.x);
        printf("none\n");
        return 1;
    }
    if (argc < 4 || range(&w, argc, argv, 4, &from, &to)) {
        free(w.x);
        return 2;
    }
    double hz = strtod(argv[3], NULL);
    double tone = goertzel_dbfs(w.x + from, to - from, w.rate, hz);
    double all = rms_dbfs(w.x + from, to - from);
    printf("%s: %.0f Hz at %.1f dBFS, all %.1f dBFS, purity %.2f (%.2f..%.2f s of %.2f s)\n",
           argv[2], hz, tone, all, pow(10, (tone - all) / 10), (double)from / w.rate,
           (double)to / w.rate, (double)w.n / w.rate);
    free(w.x);
    if (!strcmp(argv[1], "check"))
        return tone > -40 && tone - all > -3 ? 0 : 1;
    return 0;
}
