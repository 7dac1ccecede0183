/* Text benchmark: every content page in every language, laid out and drawn by the page screen.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The measurement is the kiosk's own work when a visitor opens a page: the page screen's layout
 * (every block of the page through the text engine, as ui_page_layout does) and one frame drawn
 * by the software renderer of a headless 1920x1080 UI, the renderer the kiosk runs on
 * (docs/design.md 4). Per language and page:
 *   open cold    text_engine_flush() first: every layout is made and every piece rendered again
 *                (fonts stay open and SDL_ttf's glyph caches stay warm, as in a running kiosk)
 *   open cached  the same again with the layouts and textures from the run before
 *   full cold    open cold, then every further screenful drawn by scrolling to the end: all the
 *                page's text rasterised once (summed over the frames)
 *   full cached  the same with warm caches
 *   new engine   a new text engine (fonts opened again, glyph caches empty): the first page
 *                shown after start-up, a few repetitions only
 * Times are medians of --reps runs (CLOCK_MONOTONIC). The target: a cold page opens within one
 * frame at 60 Hz, 16.7 ms. Run from the repository root (tests/bench/text.sh does). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "openline/config.h"
#include "openline/content.h"
#include "openline/i18n.h"
#include "openline/log.h"
#include "openline/text.h"
#include "openline/ui.h"
#include "openline/util.h"
#include "ui_int.h"

#define TARGET_MS 16.7
#define MAX_REPS  1001

enum bench_mode {
    BENCH_OPEN_COLD,
    BENCH_OPEN_CACHED,
    BENCH_FULL_COLD,
    BENCH_FULL_CACHED,
    BENCH_NEW_ENGINE,
    BENCH_MODES,
};

static const char *const mode_names[BENCH_MODES] = {"open cold", "open cached", "full cold",
                                                    "full cached", "new engine"};

struct bench {
    struct config cfg;
    struct i18n *i18n;
    struct content *content;
    struct ui *ui;
    const char *fonts_ini;
    int reps, fresh_reps;
    bool verbose;
    bool profile; /* only the cold opens, for perf or callgrind */
};

/* Medians of one page in one language, milliseconds. */
struct page_result {
    double ms[BENCH_MODES];
    double cold_cpu; /* open cold: CPU time of this thread (other processes do not count) */
    double cold_max; /* slowest single cold open */
};

/* Wall-clock and this thread's CPU time, milliseconds. */
struct stamp {
    double wall, cpu;
};

static double clock_ms(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static struct stamp now(void)
{
    return (struct stamp){clock_ms(CLOCK_MONOTONIC), clock_ms(CLOCK_THREAD_CPUTIME_ID)};
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Open page idx in lang and draw its first frame, as a tap on the page's tile does. */
static void bench_open(struct ui *ui, const struct lang *lang, int idx)
{
    ui->s.lang = lang;
    ui->s.page = idx;
    ui->s.scroll = 0;
    ui_switch(ui, &ui_screen_page);
    ui_draw(ui);
}

/* Open, then scroll screenful by screenful to the end, drawing each. */
static void bench_full(struct ui *ui, const struct lang *lang, int idx)
{
    bench_open(ui, lang, idx);
    int step = ui->viewport.h > 0 ? ui->viewport.h : ui->h;
    int max_scroll = ui->content_h - ui->viewport.h;
    for (int s = step; s - step < max_scroll; s += step) {
        ui->s.scroll = s < max_scroll ? s : max_scroll;
        ui_draw(ui);
    }
}

/* Replace the UI's text engine by a new one: no layouts, no open fonts, no glyph caches. */
static int bench_new_engine(struct bench *b)
{
    struct text_engine *e;
    char err[512];
    text_engine_free(b->ui->text);
    b->ui->text = NULL;
    if (text_engine_alloc(&e, b->fonts_ini, err, sizeof(err))) {
        fprintf(stderr, "text_bench: %s\n", err);
        return EIO;
    }
    b->ui->text = e;
    return 0;
}

/* Not inlined, so that a profiler can be told to collect only here
 * (valgrind --tool=callgrind --toggle-collect=bench_page). */
__attribute__((noinline)) static int bench_page(struct bench *b, const struct lang *lang, int idx,
                                                struct page_result *res)
{
    double t[BENCH_MODES][MAX_REPS], cpu[MAX_REPS];
    struct ui *ui = b->ui;

    for (int r = 0; r < b->reps; r++) {
        text_engine_flush(ui->text);
        struct stamp t0 = now();
        bench_open(ui, lang, idx);
        struct stamp t1 = now();
        t[BENCH_OPEN_COLD][r] = t1.wall - t0.wall;
        cpu[r] = t1.cpu - t0.cpu;
        if (b->profile) {
            for (int m = BENCH_OPEN_CACHED; m < BENCH_MODES; m++)
                t[m][r] = 0;
            continue;
        }
        bench_open(ui, lang, idx);
        struct stamp t2 = now();
        t[BENCH_OPEN_CACHED][r] = t2.wall - t1.wall;

        text_engine_flush(ui->text);
        t0 = now();
        bench_full(ui, lang, idx);
        t1 = now();
        bench_full(ui, lang, idx);
        t2 = now();
        t[BENCH_FULL_COLD][r] = t1.wall - t0.wall;
        t[BENCH_FULL_CACHED][r] = t2.wall - t1.wall;
    }
    for (int r = 0; r < b->fresh_reps; r++) {
        int rc = bench_new_engine(b);
        if (rc)
            return rc;
        struct stamp t0 = now();
        bench_open(ui, lang, idx);
        t[BENCH_NEW_ENGINE][r] = now().wall - t0.wall;
    }
    res->cold_cpu = median(cpu, b->reps);
    res->cold_max = 0;
    for (int r = 0; r < b->reps; r++)
        res->cold_max =
            t[BENCH_OPEN_COLD][r] > res->cold_max ? t[BENCH_OPEN_COLD][r] : res->cold_max;
    for (int m = 0; m < BENCH_MODES; m++) {
        int n = m == BENCH_NEW_ENGINE ? b->fresh_reps : b->reps;
        res->ms[m] = n ? median(t[m], n) : 0;
    }
    return 0;
}

/* The first three fields of /proc/loadavg: other work on the machine skews wall-clock times. */
static const char *loadavg(char *buf, size_t len)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double a, b, c;
    if (!f || fscanf(f, "%lf %lf %lf", &a, &b, &c) != 3)
        snprintf(buf, len, "unknown");
    else
        snprintf(buf, len, "%.2f %.2f %.2f", a, b, c);
    if (f)
        fclose(f);
    return buf;
}

static int bench_run(struct bench *b, const char *only_lang, const char *only_page)
{
    unsigned n_langs = i18n_count(b->i18n);
    size_t n_pages = content_count(b->content);
    const struct lang *worst_lang = NULL;
    const char *worst_page = "";
    struct page_result worst = {.cold_max = 0};
    unsigned misses = 0;
    char la[64];

    /* Warm up: icons rasterised, fonts opened, glyph caches filled, code paged in. */
    for (unsigned li = 0; li < n_langs; li++) {
        const struct lang *lang = i18n_at(b->i18n, li);
        for (size_t p = 0; p < n_pages; p++) {
            if ((!only_lang || !strcmp(lang->code, only_lang)) &&
                (!only_page || !strcmp(content_at(b->content, p)->id, only_page)))
                bench_full(b->ui, lang, (int)p);
        }
    }

    printf("text benchmark: %dx%d, body %d px, software renderer; medians of %d runs (new "
           "engine: %d); ms; load average %s\n",
           b->ui->w, b->ui->h, b->ui->m.body_px, b->reps, b->fresh_reps, loadavg(la, sizeof(la)));
    printf("%-7s %-7s %9s %8s %11s %9s %11s %10s %9s  %s\n", "lang", "slowest", "open cold",
           "cold cpu", "open cached", "full cold", "full cached", "new engine", "cold max",
           "all pages (open cold)");
    for (unsigned li = 0; li < n_langs; li++) {
        const struct lang *lang = i18n_at(b->i18n, li);
        if (only_lang && strcmp(lang->code, only_lang))
            continue;
        struct page_result slow = {.cold_max = 0}, r;
        const char *slow_page = "";
        double lo = 1e9, hi = 0;
        for (size_t p = 0; p < n_pages; p++) {
            const struct content_page *pg = content_at(b->content, p);
            if (only_page && strcmp(pg->id, only_page))
                continue;
            int rc = bench_page(b, lang, (int)p, &r);
            if (rc)
                return rc;
            if (b->verbose)
                printf("  %-5s %-7s %9.2f %8.2f %11.2f %9.2f %11.2f %10.2f %9.2f\n", lang->code,
                       pg->id, r.ms[BENCH_OPEN_COLD], r.cold_cpu, r.ms[BENCH_OPEN_CACHED],
                       r.ms[BENCH_FULL_COLD], r.ms[BENCH_FULL_CACHED], r.ms[BENCH_NEW_ENGINE],
                       r.cold_max);
            lo = r.ms[BENCH_OPEN_COLD] < lo ? r.ms[BENCH_OPEN_COLD] : lo;
            hi = r.ms[BENCH_OPEN_COLD] > hi ? r.ms[BENCH_OPEN_COLD] : hi;
            if (r.ms[BENCH_OPEN_COLD] >= slow.ms[BENCH_OPEN_COLD]) {
                slow = r;
                slow_page = pg->id;
            }
        }
        if (!slow_page[0])
            continue;
        printf("%-7s %-7s %9.2f %8.2f %11.2f %9.2f %11.2f %10.2f %9.2f  %.2f..%.2f%s\n", lang->code,
               slow_page, slow.ms[BENCH_OPEN_COLD], slow.cold_cpu, slow.ms[BENCH_OPEN_CACHED],
               slow.ms[BENCH_FULL_COLD], slow.ms[BENCH_FULL_CACHED], slow.ms[BENCH_NEW_ENGINE],
               slow.cold_max, lo, hi, slow.ms[BENCH_OPEN_COLD] > TARGET_MS ? "  MISSED" : "");
        misses += slow.ms[BENCH_OPEN_COLD] > TARGET_MS;
        fflush(stdout);
        if (slow.ms[BENCH_OPEN_COLD] >= worst.ms[BENCH_OPEN_COLD]) {
            worst = slow;
            worst_lang = lang;
            worst_page = slow_page;
        }
    }
    if (!worst_lang) {
        fprintf(stderr, "text_bench: no such language or page\n");
        return EINVAL;
    }
    printf("slowest language: %s (%s), page %s: %s %.2f ms (median; CPU %.2f ms), %.2f ms "
           "worst run; target %.1f ms: %s; %u language(s) miss it; load average %s\n",
           worst_lang->code, worst_lang->name, worst_page, mode_names[BENCH_OPEN_COLD],
           worst.ms[BENCH_OPEN_COLD], worst.cold_cpu, worst.cold_max, TARGET_MS,
           worst.ms[BENCH_OPEN_COLD] <= TARGET_MS ? "met" : "MISSED", misses,
           loadavg(la, sizeof(la)));
    return 0;
}

static int usage(FILE *f)
{
    fprintf(f, "usage: text_bench [--reps N] [--new-engine-reps N] [--size WxH] [--config FILE] "
               "[--lang CODE] [--page ID] [--verbose] [--profile-cold]\n"
               "  --profile-cold  only cold opens (text cache flushed), to run under perf or "
               "callgrind\n");
    return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"reps", required_argument, NULL, 'r'}, {"new-engine-reps", required_argument, NULL, 'n'},
        {"size", required_argument, NULL, 's'}, {"config", required_argument, NULL, 'c'},
        {"lang", required_argument, NULL, 'l'}, {"page", required_argument, NULL, 'p'},
        {"verbose", no_argument, NULL, 'v'},    {"profile-cold", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    struct bench b = {.fonts_ini = "assets/fonts.ini", .reps = 11, .fresh_reps = 3};
    const char *config = "assets/openline.conf.example", *only_lang = NULL, *only_page = NULL;
    long w = 1920, h = 1080, v;
    struct text_engine *text = NULL;
    char err[1024];
    int c, rc = 0;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            if (util_parse_long(optarg, 1, MAX_REPS, &v))
                return usage(stderr);
            b.reps = (int)v;
            break;
        case 'n':
            if (util_parse_long(optarg, 0, MAX_REPS, &v))
                return usage(stderr);
            b.fresh_reps = (int)v;
            break;
        case 's': {
            char buf[32], *x;
            util_strlcpy(buf, optarg, sizeof(buf));
            x = strchr(buf, 'x');
            if (!x)
                return usage(stderr);
            *x = '\0';
            if (util_parse_long(buf, 320, 8192, &w) || util_parse_long(x + 1, 240, 8192, &h))
                return usage(stderr);
            break;
        }
        case 'c':
            config = optarg;
            break;
        case 'l':
            only_lang = optarg;
            break;
        case 'p':
            only_page = optarg;
            break;
        case 'v':
            b.verbose = true;
            break;
        case 'P':
            b.profile = true;
            b.fresh_reps = 0;
            break;
        case 'h':
            return usage(stdout);
        default:
            return usage(stderr);
        }
    }
    log_init("text_bench", LOG_LEVEL_INFO);
    if (config_load(&b.cfg, config, err, sizeof(err)) ||
        i18n_load(&b.i18n, "locales", err, sizeof(err)) ||
        content_load(&b.content, "assets/content", err, sizeof(err)) ||
        text_engine_alloc(&text, b.fonts_ini, err, sizeof(err))) {
        fprintf(stderr, "text_bench: %s\n", err);
        rc = 1;
        goto out;
    }
    struct ui_opts o = {
        .cfg = &b.cfg,
        .i18n = b.i18n,
        .content = b.content,
        .text = text,
        .data_dir = ".",
        .w = (int)w,
        .h = (int)h,
        .headless = true,
    };
    if (ui_alloc(&b.ui, &o, err, sizeof(err))) {
        fprintf(stderr, "text_bench: %s\n", err);
        rc = 1;
        goto out;
    }
    rc = bench_run(&b, only_lang, only_page) ? 1 : 0;
out:
    if (b.ui)
        text = b.ui->text; /* the benchmark may have replaced it */
    ui_free(b.ui);
    text_engine_free(text);
    content_free(b.content);
    i18n_free(b.i18n);
    SDL_Quit();
    return rc;
}
