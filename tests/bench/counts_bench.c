/* Benchmark of the kiosk's counts (tests/bench/counts.sh):
 *   count CONFIG N     N visitor sessions of four counted events each (session, language, page,
 *                      quick exit) through the UI thread's API with the counts thread running;
 *                      prints the cost of each counted event: median, 99th percentile, max (us)
 *   upload CONFIG N    N weeks' noisy batches of the closed set (25 languages, every page)
 *                      posted one by one to the configured collector as the counts thread does;
 *                      prints the time per batch, end to end: median, 99th percentile (ms)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "counts_int.h"
#include "openline/config.h"
#include "openline/log.h"

static const char *const langs[] = {"en", "es", "fr", "pt",      "ro", "ru", "uk", "ar", "fa",
                                    "ur", "hi", "ne", "bn",      "si", "ta", "th", "my", "km",
                                    "vi", "id", "tl", "zh-Hans", "am", "ti", "sw"};
static const char *const pages[] = {"rights", "fees",   "signs", "travel",
                                    "help",   "others", "call",  "counts"};

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, size_t n, const char *unit)
{
    qsort(v, n, sizeof(*v), cmp_double);
    printf("%s: n %zu, median %.1f %s, p99 %.1f %s, max %.1f %s\n", what, n, v[n / 2], unit,
           v[(size_t)(n * 0.99)], unit, v[n - 1], unit);
}

static int bench_count(const struct config *cfg, long n)
{
    struct counts *c;
    char err[1024];
    if (counts_start(&c, cfg, langs, 25, pages, 8, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    double *v = malloc(sizeof(double) * (size_t)n * 4), t;
    size_t k = 0;
    for (long i = 0; i < n; i++) {
        t = now_us();
        counts_session_begin(c);
        v[k++] = now_us() - t;
        t = now_us();
        counts_add_lang(c, langs[i % 25]);
        v[k++] = now_us() - t;
        t = now_us();
        counts_add_page(c, pages[i % 8]);
        v[k++] = now_us() - t;
        t = now_us();
        counts_add(c, COUNTS_QUICK_EXIT);
        v[k++] = now_us() - t;
        counts_session_end(c);
        counts_tick(c, 0);
    }
    report("counted event on the UI thread", v, k, "us");
    /* an event already counted in this session costs a look-up only */
    counts_session_begin(c);
    counts_add_page(c, "rights");
    for (long i = 0; i < n; i++) {
        t = now_us();
        counts_add_page(c, "rights");
        v[i] = now_us() - t;
    }
    counts_session_end(c);
    report("event already counted this session", v, (size_t)n, "us");
    free(v);
    counts_stop(c);
    return 0;
}

static int bench_upload(const struct config *cfg, long n)
{
    struct counts_set set;
    if (counts_set_build(&set, langs, 25, pages, 8))
        return 1;
    double *v = malloc(sizeof(double) * (size_t)n);
    long ok = 0;
    for (long i = 0; i < n; i++) {
        /* weeks back from 2025-12-29 (a Monday): each a new bucket, stored with 201 */
        struct bucket b = {20451 - 7 * (int64_t)(i + 1), 7};
        struct spool_batch batch = {0};
        if (payload_batch(cfg, &set, &b, NULL, NULL, 0, &batch))
            return 1;
        long status = 0;
        char text[400];
        double t = now_us();
        int e =
            uploader_post_once(cfg, NULL, "batches", batch.payload, &status, text, sizeof(text));
        v[i] = (now_us() - t) / 1000;
        if (!e && status == 201)
            ok++;
        else if (i == 0)
            fprintf(stderr, "upload: %s\n", text);
        if (i == 0)
            printf("a week's batch: %zu bytes, %zu counters\n", strlen(batch.payload), set.n);
        spool_batch_free(&batch);
    }
    report("a week's batch posted and stored (201)", v, (size_t)n, "ms");
    printf("stored: %ld of %ld\n", ok, n);
    free(v);
    counts_set_free(&set);
    return ok == n ? 0 : 1;
}

int main(int argc, char **argv)
{
    struct config cfg;
    char err[CONFIG_ERR_LEN];
    log_init("counts_bench", LOG_LEVEL_WARN);
    if (argc != 4 || (strcmp(argv[1], "count") && strcmp(argv[1], "upload"))) {
        fprintf(stderr, "usage: counts_bench count|upload CONFIG N\n");
        return 2;
    }
    if (config_load(&cfg, argv[2], err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    long n = strtol(argv[3], NULL, 10);
    if (n <= 0 || n > 10000000)
        n = 1000;
    return !strcmp(argv[1], "count") ? bench_count(&cfg, n) : bench_upload(&cfg, n);
}
