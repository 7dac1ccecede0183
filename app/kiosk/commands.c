/* The kiosk's commands: run, snapshot, play, render, and the translator tools.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#include "kiosk.h"
#include "call_plugin.h"
#include "openline/clock.h"
#include "openline/content.h"
#include "openline/counts.h"
#include "openline/i18n.h"
#include "openline/log.h"
#include "openline/service.h"
#include "openline/signals.h"
#include "openline/text.h"
#include "openline/ui.h"
#include "openline/util.h"
#include "speech.h"

/* Start the call thread when a hotline is configured, or for speech alone (its audio device).
 * Without a hotline, or when it cannot start, the kiosk runs on and shows the number instead
 * of a Call button. */
static struct call_engine *start_calls(struct kiosk *k, struct ui *ui)
{
    struct call_engine *e = NULL;
    char err[512];
    if (!k->cfg.hotline.uri[0]) {
        log_info("no [hotline] uri: calls are off, the number is shown instead");
        if (!k->cfg.speech.enabled)
            return NULL;
        /* the plug-in still owns the audio device that read-aloud plays on */
    }
    const struct call_api *api = call_api_load(err, sizeof(err));
    if (!api || api->engine_start(&e, &k->cfg, ui_call_event_h, NULL, err, sizeof(err))) {
        log_error("calls unavailable: %s", err);
        return NULL;
    }
    ui_set_call_engine(ui, api, e);
    /* Speech plays on the call plug-in's audio device: it starts with the engine. */
    if (ui_speech_start(ui, err, sizeof(err)))
        log_error("speech unavailable: %s; the kiosk runs on without read-aloud", err);
    return e;
}

/* What the heartbeat says about calls: the audio device and the registration, read through the
 * engine's thread-safe functions (on the counts thread). */
struct calls_health {
    const struct config *cfg;
    const struct call_api *api;
    struct call_engine *engine;
};

static bool calls_health_h(char *check, size_t len, void *arg)
{
    const struct calls_health *h = arg;
    const char *bad = NULL;
    if (!h->cfg->hotline.uri[0])
        return true; /* calls are not configured here */
    if (!h->api || !h->engine)
        bad = "calls";
    else if (!h->api->audio_ok(h->engine))
        bad = "audio";
    else if (h->api->registration(h->engine, NULL, 0) == CALL_REG_FAILED)
        bad = "hotline";
    if (bad)
        snprintf(check, len, "%s", bad);
    return !bad;
}

static struct calls_health calls_health_state;

struct counts *kiosk_counts_start(struct kiosk *k, struct ui *ui, struct call_engine *engine)
{
    const struct lang *enabled[CONFIG_MAX_LANGS];
    const char *langs[CONFIG_MAX_LANGS], *pages[64];
    unsigned nl = kiosk_languages(k, enabled), np = 0;
    for (unsigned i = 0; i < nl; i++)
        langs[i] = enabled[i]->code;
    struct counts *c = NULL;
    char err[1024];
    for (size_t i = 0; i < content_count(k->content) && np < 64; i++)
        pages[np++] = content_at(k->content, i)->id;
    if (counts_start(&c, &k->cfg, langs, nl, pages, np, err, sizeof(err))) {
        log_error("%s; the kiosk runs on without counting", err);
        return NULL;
    }
    const struct call_api *api = engine ? call_api_load(err, sizeof(err)) : NULL;
    calls_health_state = (struct calls_health){&k->cfg, api, engine};
    counts_set_health(c, calls_health_h, &calls_health_state);
    ui_set_counts(ui, c);
    return c;
}

/* Hang up a call still running and stop the thread; before the UI goes. */
static void stop_calls(struct call_engine *e)
{
    char err[512];
    const struct call_api *api = e ? call_api_load(err, sizeof(err)) : NULL;
    if (api)
        api->engine_stop(e);
}

static void log_icon_problem(const char *why, void *arg)
{
    log_error("content: %s; it is left out where it would show", why);
}

/* What a command that shows the UI holds; kiosk_ui_close() ends it in reverse. */
struct kiosk_ui {
    struct kiosk k;
    struct ui *ui;
    struct call_engine *engine; /* NULL: no calls */
    struct counts *counts;      /* NULL: not counting */
};

/* The UI in o (size, mode, hooks: the command's) over what s->k opened. Returns 0 or
 * KIOSK_EXIT_FAIL (message printed). */
static int kiosk_ui_alloc(struct kiosk_ui *s, struct ui_opts *o)
{
    char err[1024];
    o->cfg = &s->k.cfg;
    o->i18n = s->k.i18n;
    o->content = s->k.content;
    o->text = s->k.text;
    o->data_dir = s->k.data_dir;
    if (ui_alloc(&s->ui, o, err, sizeof(err))) {
        fprintf(stderr, "openline: %s\n", err);
        return KIOSK_EXIT_FAIL;
    }
    return 0;
}

/* The screen of snapshot, check-layout and play unless --size says otherwise. */
enum { HEADLESS_W = 1920, HEADLESS_H = 1080 };

/* The kiosk from config_path and a headless UI of w x h (0: HEADLESS_W, HEADLESS_H). Returns 0
 * or the exit status (message printed); kiosk_ui_close() in any case. */
static int kiosk_ui_open_headless(struct kiosk_ui *s, const char *config_path, int w, int h)
{
    int rc = kiosk_open(&s->k, config_path, true);
    if (rc)
        return rc;
    struct ui_opts o = {.w = w ? w : HEADLESS_W, .h = h ? h : HEADLESS_H, .headless = true};
    return kiosk_ui_alloc(s, &o);
}

/* Calls hung up and stopped before the UI goes, the counts written after it. */
static void kiosk_ui_close(struct kiosk_ui *s)
{
    if (s->ui)
        ui_speech_end(s->ui); /* its worker hands audio to the engine: first */
    stop_calls(s->engine);
    ui_free(s->ui);
    counts_stop(s->counts);
    kiosk_close(&s->k);
    SDL_Quit();
}

/* What `run` starts after its first frame (arg: its struct kiosk_ui). */
static void start_later(struct ui *ui, void *arg)
{
    struct kiosk_ui *s = arg;
    const struct lang *langs[CONFIG_MAX_LANGS];
    kiosk_check_icons(&s->k, log_icon_problem, NULL);
    /* every font now, so that a refused one is logged at start, not when a visitor needs it */
    text_engine_check_faces(s->k.text, langs, kiosk_languages(&s->k, langs), NULL, NULL);
    s->engine = start_calls(&s->k, ui);
    s->counts = kiosk_counts_start(&s->k, ui, s->engine);
}

static int bad_usage(const char *usage)
{
    fprintf(stderr, "usage: %s\n", usage);
    return KIOSK_EXIT_CONFIG;
}

/* The directory dir, where option's value (FILE or DIR) is to be written, exists and takes new
 * files: checked before any rendering, so that a mistyped path gets one message and the usage
 * status rather than a failure per screen. Returns 0 or KIOSK_EXIT_CONFIG (message printed). */
static int check_out_dir(const char *option, const char *value, const char *dir)
{
    struct stat st;
    const char *why = NULL;
    if (stat(dir, &st))
        why = strerror(errno);
    else if (!S_ISDIR(st.st_mode))
        why = "not a directory";
    else if (access(dir, W_OK | X_OK))
        why = strerror(errno);
    if (!why)
        return 0;
    if (strcmp(value, dir))
        fprintf(stderr, "openline: %s %s: the directory %s: %s; accepted: ", option, value, dir,
                why);
    else
        fprintf(stderr, "openline: %s %s: %s; accepted: ", option, value, why);
    fprintf(stderr, "an existing directory this user can write to\n");
    return KIOSK_EXIT_CONFIG;
}

/* The same for a file to be written: its directory ("." when it names none). */
static int check_out_file(const char *option, const char *file)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(file, '/');
    if (!slash)
        return check_out_dir(option, file, ".");
    size_t n = slash == file ? 1 : (size_t)(slash - file);
    if (n >= sizeof(dir))
        n = sizeof(dir) - 1;
    memcpy(dir, file, n);
    dir[n] = '\0';
    return check_out_dir(option, file, dir);
}

int kiosk_cmd_run(int argc, char **argv)
{
    static const char usage[] =
        "openline [run] [--config FILE] [--kiosk | --windowed] [--size WxH]";
    struct kiosk_args a;
    struct kiosk_ui s = {0};

    /* --start SCREEN and --first-frame-exit are for benchmarks and demos */
    int st = kiosk_args_read(argc, argv,
                             KIOSK_OPT_CONFIG | KIOSK_OPT_KIOSK | KIOSK_OPT_WINDOWED |
                                 KIOSK_OPT_SIZE | KIOSK_OPT_START | KIOSK_OPT_FIRST_FRAME_EXIT,
                             usage, &a);
    if (st >= 0)
        return st;
    if (a.n_operands)
        return bad_usage(usage);
    /* SIGTERM and SIGINT stop the kiosk: a call is hung up, the counts are written, exit 0 (how
     * its service is stopped) */
    signals_catch();
    service_start(); /* systemd's watchdog, fed by the UI loop (ui_run) */
    int rc = kiosk_open(&s.k, a.config, true);
    if (rc)
        goto out;
    struct ui_opts o = {
        .w = a.w,
        .h = a.h,
        .fullscreen = a.fullscreen < 0 ? s.k.cfg.display.fullscreen : a.fullscreen,
        .start = a.start,
        .first_frame_exit = a.first_frame_exit,
        .on_first_frame = start_later,
        .on_first_frame_arg = &s,
    };
    if ((rc = kiosk_ui_alloc(&s, &o)))
        goto out;
    log_info("running (%s), configuration %s", o.fullscreen ? "kiosk mode" : "windowed",
             s.k.cfg.path);
    rc = ui_run(s.ui);
out:
    kiosk_ui_close(&s);
    return rc;
}

int kiosk_cmd_snapshot(int argc, char **argv)
{
    static const char usage[] = "openline snapshot --screen NAME [--pose NAME] [--lang CODE] "
                                "[--page ID] [--size WxH] [--config FILE] --out FILE.png";
    struct kiosk_args a;
    struct kiosk_ui s = {0};
    char err[1024];

    int st = kiosk_args_read(argc, argv,
                             KIOSK_OPT_CONFIG | KIOSK_OPT_SCREEN | KIOSK_OPT_LANG | KIOSK_OPT_PAGE |
                                 KIOSK_OPT_OUT | KIOSK_OPT_SIZE | KIOSK_OPT_POSE,
                             usage, &a);
    if (st >= 0)
        return st;
    if (!a.screen || !a.out || a.n_operands)
        return bad_usage(usage);
    if ((st = check_out_file("--out", a.out)))
        return st;
    int rc = kiosk_ui_open_headless(&s, a.config, a.w, a.h);
    if (!rc) {
        rc = ui_snapshot(s.ui, a.screen, a.pose, a.lang, a.page, a.out, err, sizeof(err));
        if (rc && rc != 3)
            fprintf(stderr, "openline: %s\n", err);
        if (rc && rc != 2 && rc != 3)
            rc = KIOSK_EXIT_FAIL; /* the PNG could not be written: an errno is no status */
    }
    kiosk_ui_close(&s);
    return rc;
}

/* One screen in one language, in each of its poses (a screen that shows a page: once for every
 * page), each with the snapshot's layout check, into dir when given. Counts the checks in *n and
 * those with problems in *bad; returns 0 or KIOSK_EXIT_FAIL when a PNG cannot be written
 * (message printed). */
static int check_screen(struct kiosk_ui *s, const char *screen, bool pages, const struct lang *l,
                        const char *dir, int w, int h, int *n, int *bad)
{
    char err[1024], png[PATH_MAX];
    size_t np = pages ? content_count(s->k.content) : 1;
    const char *pose = ui_screen_pose_at(screen, 0);
    for (size_t qi = 1; qi == 1 || pose; pose = ui_screen_pose_at(screen, qi++)) {
        for (size_t pi = 0; pi < np; pi++) {
            const char *page = pages ? content_at(s->k.content, pi)->id : NULL;
            if (dir)
                snprintf(png, sizeof(png), "%s/%s-%s%s%s%s%s-%dx%d.png", dir, l->code, screen,
                         pose ? "-" : "", pose ? pose : "", page ? "-" : "", page ? page : "", w,
                         h);
            int r =
                ui_snapshot(s->ui, screen, pose, l->code, page, dir ? png : NULL, err, sizeof(err));
            (*n)++;
            if (r == 3) {
                (*bad)++;
            } else if (r) {
                /* a PNG that cannot be written (the names are the program's own) */
                fprintf(stderr, "openline: %s\n", err);
                return KIOSK_EXIT_FAIL;
            }
        }
    }
    return 0;
}

/* One language through every screen (check_screen). */
static int check_language(struct kiosk_ui *s, const struct lang *l, const char *dir, int w, int h,
                          int *n, int *bad)
{
    const char *screen;
    bool pages;
    int rc = 0;
    for (size_t si = 0; !rc && (screen = ui_screen_name_at(si, &pages)); si++)
        rc = check_screen(s, screen, pages, l, dir, w, h, n, bad);
    return rc;
}

/* Every screen and every page in every enabled language through the snapshot's layout check,
 * in one process. */
int kiosk_cmd_check_layout(int argc, char **argv)
{
    static const char usage[] =
        "openline check-layout [--size WxH] [--config FILE] [--out-dir DIR]";
    struct kiosk_args a;
    int bad = 0, n = 0;
    struct kiosk_ui s = {0};

    int st = kiosk_args_read(argc, argv, KIOSK_OPT_CONFIG | KIOSK_OPT_SIZE | KIOSK_OPT_OUT_DIR,
                             usage, &a);
    if (st >= 0)
        return st;
    if (a.n_operands)
        return bad_usage(usage);
    const char *dir = a.out_dir;
    if (dir && (st = check_out_dir("--out-dir", dir, dir)))
        return st;
    int w = a.w ? a.w : HEADLESS_W, h = a.h ? a.h : HEADLESS_H;
    int rc = kiosk_ui_open_headless(&s, a.config, w, h);
    for (unsigned li = 0; !rc && li < i18n_count(s.k.i18n); li++) {
        const struct lang *l = i18n_at(s.k.i18n, li);
        if (s.k.cfg.kiosk.n_languages) {
            bool enabled = false;
            for (unsigned i = 0; i < s.k.cfg.kiosk.n_languages; i++)
                enabled |= !strcmp(s.k.cfg.kiosk.languages[i], l->code);
            if (!enabled)
                continue;
        }
        rc = check_language(&s, l, dir, w, h, &n, &bad);
    }
    if (!rc)
        printf("check-layout %dx%d: %d screen(s) checked, %d with problems\n", w, h, n, bad);
    kiosk_ui_close(&s);
    return rc ? rc : bad ? KIOSK_EXIT_FAIL : 0;
}

int kiosk_cmd_play(int argc, char **argv)
{
    static const char usage[] = "openline play --script FILE [--config FILE] [--size WxH] "
                                "[--test-clock[=YYYY-MM-DDTHH:MMZ]]";
    struct kiosk_args a;
    struct kiosk_ui s = {0};

    int st = kiosk_args_read(
        argc, argv, KIOSK_OPT_CONFIG | KIOSK_OPT_SCRIPT | KIOSK_OPT_SIZE | KIOSK_OPT_TEST_CLOCK,
        usage, &a);
    if (st >= 0)
        return st;
    if (!a.script || a.n_operands)
        return bad_usage(usage);
    /* SIGTERM and SIGINT end the script: a call is hung up and the counts are written before the
     * program ends by the signal */
    signals_catch();
    /* The test clock is also trusted UTC time, from the given time on (default: now). */
    if (a.test_clock)
        clock_use_virtual(a.test_clock_ms ? a.test_clock_ms : clock_wall_ms());
    int rc = kiosk_ui_open_headless(&s, a.config, a.w, a.h);
    if (!rc) {
        s.engine = start_calls(&s.k, s.ui);
        s.counts = kiosk_counts_start(&s.k, s.ui, s.engine);
        rc = ui_play(s.ui, a.script);
    }
    kiosk_ui_close(&s);
    return signals_exit(rc);
}

int kiosk_cmd_render(int argc, char **argv)
{
    static const char usage[] =
        "openline render --lang CODE [--width PX] [--font-size PX] --out FILE.png TEXT";
    struct kiosk_args a;
    int rc;
    struct kiosk k;

    int st = kiosk_args_read(argc, argv,
                             KIOSK_OPT_CONFIG | KIOSK_OPT_LANG | KIOSK_OPT_WIDTH |
                                 KIOSK_OPT_FONT_SIZE | KIOSK_OPT_OUT,
                             usage, &a);
    if (st >= 0)
        return st;
    if (!a.lang || !a.out || a.n_operands != 1)
        return bad_usage(usage);
    const char *code = a.lang, *out = a.out, *config = a.config;
    long width = a.width, px = a.font_px;
    if ((rc = kiosk_open(&k, config, false)))
        goto out;
    char why[768];
    const struct lang *lang = i18n_lookup(k.i18n, code, why, sizeof(why));
    if (!lang) {
        fprintf(stderr, "openline: --lang: %s\n", why);
        rc = KIOSK_EXIT_CONFIG;
        goto out;
    }
    char err[512];
    const struct lang *one[] = {lang};
    if (text_engine_check_fonts(k.text, one, 1, err, sizeof(err))) {
        fprintf(stderr, "openline: %s\n", err);
        rc = KIOSK_EXIT_CONFIG;
        goto out;
    }
    /* A software renderer on a surface: no display needed. */
    struct text_style style = {lang, (int)px, false, (int)width - 2 * (int)px / 2, TEXT_ALIGN_START,
                               false};
    const struct text_layout *l = text_layout_get(k.text, a.operands[0], &style);
    if (!l) {
        rc = KIOSK_EXIT_FAIL;
        goto out;
    }
    int pad = (int)px / 2;
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, (int)width, l->h + 2 * pad, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
    if (!r) {
        fprintf(stderr, "openline: cannot create a renderer: %s\n", SDL_GetError());
        rc = KIOSK_EXIT_FAIL;
        if (s)
            SDL_FreeSurface(s);
        goto out;
    }
    SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
    SDL_RenderClear(r);
    text_layout_draw(k.text, r, l, pad, pad, (SDL_Color){0, 0, 0, 255});
    SDL_RenderPresent(r);
    unsigned missing = l->missing;
    text_engine_flush(k.text); /* textures belong to this renderer; l is gone too */
    SDL_DestroyRenderer(r);
    if (IMG_SavePNG(s, out)) {
        fprintf(stderr, "openline: %s: %s\n", out, IMG_GetError());
        rc = KIOSK_EXIT_FAIL;
    }
    if (missing)
        fprintf(stderr, "openline: %u character(s) have no font and show as boxes\n", missing);
    SDL_FreeSurface(s);
out:
    kiosk_close(&k);
    SDL_Quit();
    return rc;
}

int kiosk_cmd_pot_content(int argc, char **argv)
{
    struct kiosk k;
    (void)argc;
    (void)argv;
    int rc = kiosk_open(&k, NULL, false);
    if (!rc) {
        fputs("msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n",
              stdout);
        content_write_pot(k.content, stdout);
    }
    kiosk_close(&k);
    return rc;
}

int kiosk_cmd_i18n_report(int argc, char **argv)
{
    struct kiosk k;
    struct speech *sp = NULL;
    char pot[PATH_MAX + 64], err[512];
    int rc = kiosk_open(&k, argc > 2 && !strcmp(argv[1], "--config") ? argv[2] : NULL, false);
    if (rc)
        goto out;
    snprintf(pot, sizeof(pot), "%s/locales/openline.pot", k.data_dir);
    sp = kiosk_speech_probe(&k);
    printf("%-8s %-22s %10s %6s %8s %6s  %s\n", "code", "language", "translated", "fuzzy",
           "missing", "done", "read aloud");
    for (unsigned i = 0; i < i18n_count(k.i18n); i++) {
        const struct lang *l = i18n_at(k.i18n, i);
        struct i18n_coverage cov;
        char spoken[64];
        if (i18n_coverage(k.i18n, l, pot, &cov, err, sizeof(err))) {
            fprintf(stderr, "openline: %s\n", err);
            rc = KIOSK_EXIT_FAIL;
            goto out;
        }
        kiosk_speech_describe(sp, l, spoken, sizeof(spoken));
        printf("%-8s %-22s %10u %6u %8u %5u%%  %s\n", l->code, l->name[0] ? l->name : l->endonym,
               cov.translated, cov.fuzzy, cov.missing,
               cov.total ? cov.translated * 100 / cov.total : 0, spoken);
    }
    if (i18n_problem_count(k.i18n)) {
        /* each was logged when the catalogs were read, above the table */
        fprintf(stderr, "openline: %u problem(s) in the catalogs, listed above\n",
                i18n_problem_count(k.i18n));
        rc = KIOSK_EXIT_FAIL;
    }
out:
    speech_free(sp);
    kiosk_close(&k);
    return rc;
}

static void print_problem(const char *problem, void *arg)
{
    (void)arg;
    fprintf(stderr, "%s\n", problem);
}

int kiosk_cmd_check_catalog(int argc, char **argv)
{
    static const char usage[] = "usage: openline check-catalog FILE.po...\n"
                                "Reads each PO file as the kiosk does and prints every problem as "
                                "FILE:LINE: ...;\nexits 1 when there is one (the build runs it "
                                "on every catalog: tools/check-po.sh).\n";
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return KIOSK_EXIT_OK;
    }
    if (argc < 2 || argv[1][0] == '-') {
        fputs(usage, stderr);
        return KIOSK_EXIT_CONFIG;
    }
    unsigned total = 0;
    for (int k = 1; k < argc; k++) {
        unsigned n = 0;
        if (i18n_check_catalog(argv[k], print_problem, NULL, &n)) {
            fprintf(stderr, "openline: %s: out of memory\n", argv[k]);
            return KIOSK_EXIT_FAIL;
        }
        total += n;
    }
    return total ? KIOSK_EXIT_FAIL : KIOSK_EXIT_OK;
}

int kiosk_cmd_config_reference(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    config_print_reference();
    return 0;
}
