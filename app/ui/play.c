/* Scripted runs: `openline play --script FILE` feeds touches, keys and time to the real event
 * loop and checks what it shows.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "openline/clock.h"
#include "openline/log.h"
#include "openline/signals.h"
#include "openline/util.h"
#include "ui_int.h"

struct play {
    struct ui *ui;
    const char *path;
    unsigned line;
    int failures;
    SDL_FingerID next_finger;
};

static void play_fail(struct play *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void play_fail(struct play *p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s:%u: %s\n", p->path, p->line, msg);
    p->failures++;
}

static void push_finger(struct play *p, Uint32 type, int x, int y)
{
    SDL_Event e = {0};
    e.type = type;
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = p->next_finger;
    e.tfinger.x = (float)x / (float)p->ui->w;
    e.tfinger.y = (float)y / (float)p->ui->h;
    e.tfinger.pressure = type == SDL_FINGERUP ? 0.0f : 1.0f;
    SDL_PushEvent(&e);
    ui_step(p->ui);
}

static int point_arg(struct play *p, const char *arg, int *x, int *y)
{
    if (arg[0] == '@') {
        const struct ui_widget *w = ui_widget_find(p->ui, arg + 1);
        if (!w) {
            play_fail(p, "no widget '%s' on screen %s", arg + 1, p->ui->screen->name);
            return ENOENT;
        }
        *x = w->r.x + w->r.w / 2;
        *y = w->r.y + w->r.h / 2;
        return 0;
    }
    long a, b;
    char xs[32], ys[32];
    if (sscanf(arg, "%31s %31s", xs, ys) != 2 || util_parse_long(xs, 0, 100000, &a) ||
        util_parse_long(ys, 0, 100000, &b))
        return EINVAL;
    *x = (int)a;
    *y = (int)b;
    return 0;
}

static int key_arg(const char *arg, SDL_Keycode *key, Uint16 *mod)
{
    char buf[64];
    util_strlcpy(buf, arg, sizeof(buf));
    char *name = buf;
    *mod = KMOD_NONE;
    for (;;) {
        char *plus = strchr(name, '+');
        if (!plus || plus == name || !plus[1])
            break;
        *plus = '\0';
        if (!strcasecmp(name, "Shift"))
            *mod |= KMOD_LSHIFT;
        else if (!strcasecmp(name, "Ctrl"))
            *mod |= KMOD_LCTRL;
        else if (!strcasecmp(name, "Alt"))
            *mod |= KMOD_LALT;
        else
            return EINVAL;
        name = plus + 1;
    }
    *key = SDL_GetKeyFromName(name);
    return *key == SDLK_UNKNOWN ? EINVAL : 0;
}

static void push_key(struct play *p, SDL_Keycode key, Uint16 mod)
{
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = key;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
    e.key.keysym.mod = mod;
    SDL_PushEvent(&e);
    ui_step(p->ui);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
    ui_step(p->ui);
}

/* Let time pass: on the virtual clock, tick at every wake-up the UI asked for on the way, so a
 * long jump behaves like the same time passing for real. */
static void pass_time(struct play *p, uint64_t ms)
{
    struct ui *ui = p->ui;
    if (clock_is_virtual()) {
        uint64_t end = clock_now_ms() + ms;
        for (;;) {
            uint64_t now = clock_now_ms();
            uint64_t next =
                ui->wake_ms && ui->wake_ms > now && ui->wake_ms < end ? ui->wake_ms : end;
            clock_advance(next - now);
            ui_step(ui);
            if (next >= end || signals_caught())
                break;
        }
        return;
    }
    uint64_t end = clock_now_ms() + ms;
    for (uint64_t now = clock_now_ms(); now < end && !signals_caught(); now = clock_now_ms()) {
        SDL_WaitEventTimeout(NULL, (int)SDL_min(end - now, 50));
        ui_step(ui);
    }
}

/* ---- expect WHAT ARG: one function per WHAT; 0, or EINVAL for a bad ARG ---------------------- */

static int expect_screen(struct play *p, const char *arg)
{
    if (strcmp(p->ui->screen->name, arg))
        play_fail(p, "expected screen %s, the kiosk shows %s", arg, p->ui->screen->name);
    return 0;
}

static int expect_focus(struct play *p, const char *arg)
{
    struct ui *ui = p->ui;
    const char *id = arg[0] == '@' ? arg + 1 : arg;
    const char *has = ui->focus >= 0 ? ui->widgets[ui->focus].id : "(none)";
    if (strcmp(has, id) || !ui->focus_visible)
        play_fail(p, "expected visible focus on %s, focus is on %s%s", id, has,
                  ui->focus_visible ? "" : " (not visible)");
    return 0;
}

static int expect_lang(struct play *p, const char *arg)
{
    const char *has = p->ui->s.lang ? p->ui->s.lang->code : "none";
    if (strcmp(has, arg))
        play_fail(p, "expected visitor language %s, it is %s", arg, has);
    return 0;
}

static int expect_widget(struct play *p, const char *arg)
{
    if (!ui_widget_find(p->ui, arg[0] == '@' ? arg + 1 : arg))
        play_fail(p, "expected widget %s on screen %s", arg, p->ui->screen->name);
    return 0;
}

static int expect_no_widget(struct play *p, const char *arg)
{
    if (ui_widget_find(p->ui, arg[0] == '@' ? arg + 1 : arg))
        play_fail(p, "widget %s should not be on screen %s", arg, p->ui->screen->name);
    return 0;
}

/* What the screen shows and Read aloud reads: a sentence holding the text, or none. */
static int expect_text_is(struct play *p, const char *arg, bool want)
{
    int has = ui_read_contains(p->ui, arg);
    if (has < 0)
        play_fail(p, "screen %s has no text to read", p->ui->screen->name);
    else if (has != want)
        play_fail(p, want ? "expected \"%s\" on screen %s" : "\"%s\" should not be on screen %s",
                  arg, p->ui->screen->name);
    return 0;
}

static int expect_text(struct play *p, const char *arg)
{
    return expect_text_is(p, arg, true);
}

static int expect_no_text(struct play *p, const char *arg)
{
    return expect_text_is(p, arg, false);
}

static int expect_contrast(struct play *p, const char *arg)
{
    bool on = p->ui->theme.borders;
    if (strcmp(arg, on ? "high" : "standard"))
        play_fail(p, "expected %s contrast, it is %s", arg, on ? "high" : "standard");
    return 0;
}

static int expect_scroll(struct play *p, const char *arg)
{
    long v;
    if (!strcmp(arg, "moved")) {
        if (p->ui->s.scroll <= 0)
            play_fail(p, "expected the page to be scrolled, it is at the top");
    } else if (!util_parse_long(arg, 0, 1000000, &v)) {
        if (p->ui->s.scroll != v)
            play_fail(p, "expected scroll %ld px, it is %d px", v, p->ui->s.scroll);
    } else {
        return EINVAL;
    }
    return 0;
}

/* speaking yes|no, speaking-sentence N: whether the visitor hears speech, and which sentence
 * of the reading. -1: arg is not one of these. */
static int speech_state_is(const struct ui *ui, const char *kind, const char *arg)
{
    long n;
    if (!strcmp(kind, "speaking") && (!strcmp(arg, "yes") || !strcmp(arg, "no")))
        return ui_speaking(ui) == !strcmp(arg, "yes");
    if (!strcmp(kind, "speaking-sentence") && !util_parse_long(arg, 0, UI_READ_MAX, &n))
        return ui_speaking_sentence(ui) == n;
    return -1;
}

static int expect_speaking(struct play *p, const char *arg)
{
    int is = speech_state_is(p->ui, "speaking", arg);
    if (is < 0)
        return EINVAL;
    if (!is)
        play_fail(p, "expected speaking %s, it is %s", arg, ui_speaking(p->ui) ? "yes" : "no");
    return 0;
}

static int expect_speaking_sentence(struct play *p, const char *arg)
{
    int is = speech_state_is(p->ui, "speaking-sentence", arg);
    if (is < 0)
        return EINVAL;
    if (!is)
        play_fail(p, "expected speaking-sentence %s, it is %d", arg, ui_speaking_sentence(p->ui));
    return 0;
}

static int expect_countdown(struct play *p, const char *arg)
{
    struct ui *ui = p->ui;
    long s;
    uint64_t now = clock_now_ms();
    if (util_parse_long(arg, 0, 100000, &s))
        return EINVAL;
    long left = ui->screen == &ui_screen_idle_warning && ui->s.idle_deadline_ms > now
                    ? (long)((ui->s.idle_deadline_ms - now + 999) / 1000)
                    : -1;
    if (left != s)
        play_fail(p, "expected an idle countdown of %ld s, it is %ld", s, left);
    return 0;
}

static int expect_display(struct play *p, const char *arg)
{
    const char *has = ui_attract_display(p->ui);
    if (strcmp(arg, "on") && strcmp(arg, "dim") && strcmp(arg, "off"))
        return EINVAL;
    if (strcmp(has, arg))
        play_fail(p, "expected the display %s, it is %s", arg, has);
    return 0;
}

static int expect_call(struct play *p, const char *arg)
{
    static const char *const states[] = {"none",      "connecting", "ringing",
                                         "connected", "ended",      "failed"};
    enum call_state state = p->ui->s.call.state;
    const char *has = (size_t)state < ARRAY_SIZE(states) ? states[state] : "?";
    if (strcmp(has, arg))
        play_fail(p, "expected call %s, it is %s", arg, has);
    return 0;
}

static int expect_outbox(struct play *p, const char *arg)
{
    long n;
    if (util_parse_long(arg, 0, 100000, &n))
        return EINVAL;
    int has = counts_outbox(p->ui->counts);
    if (has != n)
        play_fail(p, "expected %ld batch(es) in the outbox, it holds %d%s", n, has,
                  p->ui->counts ? "" : " (counting is off)");
    return 0;
}

static int expect_quick_exit_under(struct play *p, const char *arg)
{
    const struct ui_bench *b = &p->ui->bench;
    long ms;
    if (util_parse_long(arg, 1, 100000, &ms))
        return EINVAL;
    if (!b->qe_measured)
        play_fail(p, "no quick exit reached the attract screen");
    else if (b->qe_latency_ms >= (Uint32)ms)
        play_fail(p, "quick exit took %u ms (limit %ld ms)", b->qe_latency_ms, ms);
    else
        printf("%s:%u: quick exit: %u ms from input to attract frame\n", p->path, p->line,
               b->qe_latency_ms);
    return 0;
}

static const struct {
    const char *what;
    int (*check)(struct play *p, const char *arg);
} expects[] = {
    {"screen", expect_screen},       {"focus", expect_focus},
    {"lang", expect_lang},           {"widget", expect_widget},
    {"no-widget", expect_no_widget}, {"text", expect_text},
    {"no-text", expect_no_text},     {"contrast", expect_contrast},
    {"scroll", expect_scroll},       {"display", expect_display},
    {"countdown", expect_countdown}, {"call", expect_call},
    {"outbox", expect_outbox},       {"quick-exit-under", expect_quick_exit_under},
    {"speaking", expect_speaking},   {"speaking-sentence", expect_speaking_sentence},
};

/* ---- script commands: one function per command; 0, or EINVAL for a bad argument ------------- */

/* Split "NAME ARG..." at the first space: *arg is what follows (NULL: nothing). */
static char *split_word(char *line, char **arg)
{
    *arg = strchr(line, ' ');
    if (*arg) {
        *(*arg)++ = '\0';
        while (**arg == ' ')
            (*arg)++;
    }
    return line;
}

static int cmd_expect(struct play *p, char *arg)
{
    char *what = split_word(arg, &arg);
    if (!arg || !*arg)
        return EINVAL;
    for (size_t i = 0; i < ARRAY_SIZE(expects); i++) {
        if (!strcmp(what, expects[i].what))
            return expects[i].check(p, arg);
    }
    return EINVAL;
}

static int cmd_tap(struct play *p, char *arg)
{
    int x, y, rc = point_arg(p, arg, &x, &y);
    if (rc)
        return rc == ENOENT ? 0 : EINVAL; /* no such widget: a failed expectation */
    p->next_finger++;
    push_finger(p, SDL_FINGERDOWN, x, y);
    push_finger(p, SDL_FINGERUP, x, y);
    return 0;
}

/* hold @ID MS | hold X Y MS: touch, keep the finger there MS, let go */
static int cmd_hold(struct play *p, char *arg)
{
    char *ms_s = strrchr(arg, ' ');
    long ms;
    int x, y;
    if (!ms_s || util_parse_long(ms_s + 1, 1, 60000, &ms))
        return EINVAL;
    *ms_s = '\0';
    int rc = point_arg(p, arg, &x, &y);
    if (rc)
        return rc == ENOENT ? 0 : EINVAL;
    p->next_finger++;
    push_finger(p, SDL_FINGERDOWN, x, y);
    pass_time(p, (uint64_t)ms);
    push_finger(p, SDL_FINGERUP, x, y);
    return 0;
}

static int cmd_drag(struct play *p, char *arg)
{
    long v[4];
    char a[4][32];
    if (sscanf(arg, "%31s %31s %31s %31s", a[0], a[1], a[2], a[3]) != 4)
        return EINVAL;
    for (int i = 0; i < 4; i++) {
        if (util_parse_long(a[i], 0, 100000, &v[i]))
            return EINVAL;
    }
    p->next_finger++;
    push_finger(p, SDL_FINGERDOWN, (int)v[0], (int)v[1]);
    for (int i = 1; i <= 8; i++)
        push_finger(p, SDL_FINGERMOTION, (int)(v[0] + (v[2] - v[0]) * i / 8),
                    (int)(v[1] + (v[3] - v[1]) * i / 8));
    push_finger(p, SDL_FINGERUP, (int)v[2], (int)v[3]);
    return 0;
}

static int cmd_wheel(struct play *p, char *arg)
{
    long n;
    if (util_parse_long(arg, -100, 100, &n))
        return EINVAL;
    SDL_Event e = {0};
    e.type = SDL_MOUSEWHEEL;
    e.wheel.y = (Sint32)n;
    e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    SDL_PushEvent(&e);
    ui_step(p->ui);
    return 0;
}

static int cmd_key(struct play *p, char *arg)
{
    SDL_Keycode key;
    Uint16 mod;
    if (key_arg(arg, &key, &mod))
        return EINVAL;
    push_key(p, key, mod);
    return 0;
}

static int cmd_wait(struct play *p, char *arg)
{
    long ms;
    if (util_parse_long(arg, 0, 600000, &ms))
        return EINVAL;
    pass_time(p, (uint64_t)ms);
    return 0;
}

/* sleep MS: real time passes, the kiosk running, also on the test clock (which stays where it
 * is): for a test to act on files or peers between two lines */
static int cmd_sleep(struct play *p, char *arg)
{
    long ms;
    if (util_parse_long(arg, 0, 600000, &ms))
        return EINVAL;
    uint64_t end = SDL_GetTicks64() + (uint64_t)ms;
    while (SDL_GetTicks64() < end && !signals_caught()) {
        SDL_WaitEventTimeout(NULL, (int)SDL_min(end - SDL_GetTicks64(), 10));
        ui_step(p->ui);
    }
    return 0;
}

static int cmd_advance(struct play *p, char *arg)
{
    uint64_t ms;
    if (!clock_is_virtual()) {
        play_fail(p, "advance needs --test-clock");
        return 0;
    }
    if (!arg || clock_parse_duration(arg, &ms))
        return EINVAL;
    pass_time(p, ms);
    /* What the counts thread had to do by now is done before the next line runs (an upload that
     * hangs may hold it: then the script goes on after 5 s). */
    counts_settle(p->ui->counts, 5000);
    return 0;
}

/* wait-for screen NAME MS | wait-for widget ID MS | wait-for outbox N MS | wait-for unwritten N
 * MS: real time passes until the screen shows, the widget is there (calls, peers, devices), the
 * outbox holds N batches (the counts thread uploading) or N counts are not yet on disk (the
 * spool was busy: written again within COUNTS_RETRY_BUSY_MS) */
static int cmd_wait_for(struct play *p, char *arg)
{
    struct ui *ui = p->ui;
    char kind[24], name[64];
    long ms, n = 0;
    bool number = !strncmp(arg, "outbox ", 7) || !strncmp(arg, "unwritten ", 10);
    if (sscanf(arg, "%23s %63s %ld", kind, name, &ms) != 3 || ms <= 0 ||
        (strcmp(kind, "screen") && strcmp(kind, "widget") && !number &&
         speech_state_is(ui, kind, name) < 0) ||
        (number && util_parse_long(name, 0, 100000, &n)))
        return EINVAL;
    const char *id = name[0] == '@' ? name + 1 : name;
    uint64_t end = SDL_GetTicks64() + (uint64_t)ms;
    bool there;
    int has = 0;
    for (;;) {
        if (!strcmp(kind, "screen"))
            there = !strcmp(ui->screen->name, name);
        else if (!strcmp(kind, "widget"))
            there = ui_widget_find(ui, id);
        else if (!strncmp(kind, "speaking", 8))
            there = speech_state_is(ui, kind, name) == 1;
        else if (!strcmp(kind, "unwritten"))
            there = (has = (int)counts_unwritten(ui->counts)) == n;
        else
            there = (has = counts_outbox(ui->counts)) == n;
        if (there || SDL_GetTicks64() >= end || signals_caught())
            break;
        SDL_WaitEventTimeout(NULL, 10);
        ui_step(ui);
    }
    if (signals_caught())
        return 0; /* stopped: ui_play says so */
    if (!there && !strcmp(kind, "outbox"))
        play_fail(p, "the outbox did not come to %ld batch(es) within %ld ms (it holds %d)", n, ms,
                  has);
    else if (!there && number)
        play_fail(p, "%d count(s) still unwritten after %ld ms (want %ld)", has, ms, n);
    else if (!there)
        play_fail(p, "%s %s did not come within %ld ms (the screen is %s)", kind, name, ms,
                  ui->screen->name);
    return 0;
}

/* mark NAME: print the wall-clock time, to line up with a peer's log */
static int cmd_mark(struct play *p, char *arg)
{
    struct timespec ts;
    (void)p;
    clock_gettime(CLOCK_REALTIME, &ts);
    printf("mark %s %lld.%06ld\n", arg ? arg : "-", (long long)ts.tv_sec, ts.tv_nsec / 1000);
    fflush(stdout);
    return 0;
}

/* cpu NAME: print the CPU time the whole process used so far (every thread: UI, speech worker,
 * call thread, driver) and the wall-clock time, for the benchmark */
static int cmd_cpu(struct play *p, char *arg)
{
    struct rusage ru;
    struct timespec ts;
    (void)p;
    getrusage(RUSAGE_SELF, &ru);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    printf("cpu %s user %.3f sys %.3f wall %.3f\n", arg ? arg : "-",
           (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
           (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
    fflush(stdout);
    return 0;
}

/* mem NAME: print what memory the kiosk holds, for soaks and the benchmark */
static int cmd_mem(struct play *p, char *arg)
{
    struct ui_mem m;
    const double mib = 1048576.0;
    if (ui_mem_sample(p->ui, &m)) {
        play_fail(p, "cannot read /proc/self/status");
        return 0;
    }
    printf("mem %s rss %.1f MiB peak %.1f MiB heap %.1f MiB used %.1f MiB free text %.1f/%.1f MiB "
           "%u layouts %u fonts icons %.1f/%.1f MiB\n",
           arg ? arg : "-", (double)m.rss / mib, (double)m.hwm / mib, (double)m.heap_used / mib,
           (double)m.heap_free / mib, (double)m.text.bytes / mib, (double)m.text.budget / mib,
           m.text.layouts, m.text.fonts, (double)m.icons / mib, (double)m.icons_budget / mib);
    fflush(stdout);
    return 0;
}

static int cmd_snapshot(struct play *p, char *arg)
{
    char err[512];
    ui_draw(p->ui);
    if (ui_save_png(p->ui, arg, err, sizeof(err)))
        play_fail(p, "%s", err);
    return 0;
}

/* The script's commands: a new one is a function above and a line here. */
static const struct {
    const char *name;
    const char *usage; /* for the message that lists what is accepted */
    bool arg_optional; /* run without an argument too (arg NULL) */
    int (*run)(struct play *p, char *arg);
} cmds[] = {
    {"tap", "tap X Y | tap @ID", false, cmd_tap},
    {"hold", "hold X Y MS | hold @ID MS", false, cmd_hold},
    {"drag", "drag X1 Y1 X2 Y2", false, cmd_drag},
    {"wheel", "wheel N", false, cmd_wheel},
    {"key", "key NAME", false, cmd_key},
    {"wait", "wait MS", false, cmd_wait},
    {"sleep", "sleep MS", false, cmd_sleep},
    {"advance", "advance DURATION", true, cmd_advance}, /* says first that it needs the clock */
    {"expect", NULL, false, cmd_expect},                /* usage from expects[] */
    {"wait-for",
     "wait-for screen NAME MS | wait-for widget ID MS | wait-for outbox N MS | wait-for "
     "unwritten N MS | wait-for speaking yes|no MS | wait-for speaking-sentence N MS",
     false, cmd_wait_for},
    {"mark", "mark NAME", true, cmd_mark},
    {"mem", "mem NAME", true, cmd_mem},
    {"cpu", "cpu NAME", true, cmd_cpu},
    {"snapshot", "snapshot FILE", false, cmd_snapshot},
};

static int run_line(struct play *p, char *line)
{
    char *arg;
    const char *name = split_word(line, &arg);
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        if (strcmp(name, cmds[i].name))
            continue;
        if (!arg && !cmds[i].arg_optional)
            return EINVAL;
        return cmds[i].run(p, arg);
    }
    return EINVAL;
}

/* What the script may say, from cmds[] and expects[]. */
static void print_accepted(FILE *f)
{
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        fputs(i ? " | " : "", f);
        if (cmds[i].usage) {
            fputs(cmds[i].usage, f);
            continue;
        }
        fprintf(f, "%s ", cmds[i].name);
        for (size_t k = 0; k < ARRAY_SIZE(expects); k++)
            fprintf(f, "%s%s", k ? "|" : "", expects[k].what);
        fputs(" ARG", f);
    }
    fputc('\n', f);
}

int ui_play(struct ui *ui, const char *script_path)
{
    struct play p = {.ui = ui, .path = script_path};
    char buf[1024];
    FILE *f = fopen(script_path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot read the script: %s\n", script_path, strerror(errno));
        return 2;
    }
    ui_step(ui);
    while (!signals_caught() && fgets(buf, sizeof(buf), f)) {
        p.line++;
        char *line = util_trim(buf);
        if (!line[0] || line[0] == '#')
            continue;
        char copy[1024];
        util_strlcpy(copy, line, sizeof(copy));
        if (run_line(&p, line)) {
            fprintf(stderr, "%s:%u: cannot understand '%s'; accepted: ", script_path, p.line, copy);
            print_accepted(stderr);
            fclose(f);
            return 2;
        }
    }
    fclose(f);
    if (signals_caught()) {
        /* the line that ran when the signal came is not finished: its expectations are moot */
        fprintf(stderr, "%s:%u: stopped by signal %d before the script's end\n", script_path,
                p.line, signals_caught());
        return 1;
    }
    if (p.failures) {
        fprintf(stderr, "%s: %d expectation(s) failed\n", script_path, p.failures);
        return 1;
    }
    return 0;
}
