/* UI core: window, the main loop, input (touch, mouse, keyboard), focus, screen switching,
 * quick exit and inactivity.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "openline/clock.h"
#include "openline/service.h"
#include "openline/log.h"
#include "openline/signals.h"
#include "openline/util.h"
#include "ui_int.h"

/* ---- language and translation -------------------------------------------------------------- */

const struct lang *ui_lang(const struct ui *ui)
{
    return ui->s.lang ? ui->s.lang : ui->default_lang;
}

bool ui_rtl(const struct ui *ui)
{
    return ui_lang(ui)->rtl;
}

const char *ui_tr(const struct ui *ui, const char *msgid)
{
    return i18n_get(ui_lang(ui), msgid);
}

const struct lang *ui_tr_lang(const struct ui *ui, const char *msgid)
{
    const struct lang *l = ui_lang(ui);
    return i18n_translated(l, msgid) ? l : i18n_find(ui->i18n, "en");
}

/* ---- widgets ------------------------------------------------------------------------------- */

void ui_widgets_clear(struct ui *ui)
{
    ui->n_widgets = 0;
    ui->pressed = -1;
}

struct ui_widget *ui_widget_add(struct ui *ui, const char *id, SDL_Rect r,
                                enum ui_widget_style style, enum ui_action action, int arg)
{
    /* The last slot is the quick exit's, so that no screen can crowd it out (docs/design.md
     * 2.4). A widget past the cap is left out, loudly: the caller fills in a spare that is never
     * drawn or touched, the log names the cap, and the layout check counts it as a problem. */
    int cap = action == UI_ACT_QUICK_EXIT ? UI_MAX_WIDGETS : UI_MAX_WIDGETS - 1;
    struct ui_widget *w = &ui->spare_widget;
    if (ui->n_widgets >= cap) {
        log_error("screen %s: widget %s left out: more than UI_MAX_WIDGETS (%d) on one screen",
                  ui->screen->name, id, UI_MAX_WIDGETS);
        ui_problem(ui, "widget %s left out: more than UI_MAX_WIDGETS (%d) on one screen", id,
                   UI_MAX_WIDGETS);
    } else {
        w = &ui->widgets[ui->n_widgets++];
    }
    memset(w, 0, sizeof(*w));
    util_strlcpy(w->id, id, sizeof(w->id));
    w->r = r;
    w->style = style;
    w->action = action;
    w->arg = arg;
    w->label_lang = ui_lang(ui);
    return w;
}

const struct ui_widget *ui_widget_find(const struct ui *ui, const char *id)
{
    for (int i = 0; i < ui->n_widgets; i++) {
        if (!strcmp(ui->widgets[i].id, id))
            return &ui->widgets[i];
    }
    return NULL;
}

void ui_widget_label(const struct ui *ui, struct ui_widget *w, const char *msgid, const char *icon)
{
    util_strlcpy(w->label, ui_tr(ui, msgid), sizeof(w->label));
    w->label_lang = ui_tr_lang(ui, msgid);
    if (icon)
        util_strlcpy(w->icon, icon, sizeof(w->icon));
}

static bool focusable(const struct ui_widget *w)
{
    return w->style != UI_STYLE_AREA && w->action != UI_ACT_NONE;
}

static int widget_at(const struct ui *ui, int x, int y)
{
    SDL_Point p = {x, y};
    for (int i = ui->n_widgets - 1; i >= 0; i--) {
        if (ui->widgets[i].action != UI_ACT_NONE && SDL_PointInRect(&p, &ui->widgets[i].r))
            return i;
    }
    return -1;
}

/* ---- screens ------------------------------------------------------------------------------- */

/* Focus the first control that is not a display toggle (the language screen starts on the
 * languages, not on Contrast), or a toggle when there is nothing else. */
static void focus_first(struct ui *ui)
{
    for (int pass = 0; pass < 2 && ui->focus < 0; pass++) {
        for (int i = 0; i < ui->n_widgets; i++) {
            const struct ui_widget *w = &ui->widgets[i];
            bool toggle = w->action == UI_ACT_CONTRAST || w->action == UI_ACT_TEXT_SIZE;
            if (focusable(w) && (pass || !toggle)) {
                ui->focus = i;
                break;
            }
        }
    }
}

/* Focus the control of the same kind (action) as the one that went, or else the one whose
 * centre is nearest to where it was (r). */
static void focus_nearest(struct ui *ui, SDL_Rect r, enum ui_action act)
{
    long best = -1;
    for (int pass = 0; pass < 2 && ui->focus < 0; pass++) {
        for (int i = 0; i < ui->n_widgets; i++) {
            const struct ui_widget *w = &ui->widgets[i];
            if (!focusable(w) || (!pass && w->action != act))
                continue;
            long dx = (w->r.x + w->r.w / 2) - (r.x + r.w / 2);
            long dy = (w->r.y + w->r.h / 2) - (r.y + r.h / 2);
            if (best < 0 || dx * dx + dy * dy < best) {
                best = dx * dx + dy * dy;
                ui->focus = i;
            }
        }
    }
}

static void ui_relayout(struct ui *ui)
{
    char focus_id[40] = "", pressed_id[40] = "";
    SDL_Rect focus_r = {0, 0, 0, 0};
    enum ui_action focus_act = UI_ACT_NONE;
    if (ui->focus >= 0 && ui->focus < ui->n_widgets) {
        util_strlcpy(focus_id, ui->widgets[ui->focus].id, sizeof(focus_id));
        focus_r = ui->widgets[ui->focus].r;
        focus_act = ui->widgets[ui->focus].action;
    }
    if (ui->pressed >= 0 && ui->pressed < ui->n_widgets)
        util_strlcpy(pressed_id, ui->widgets[ui->pressed].id, sizeof(pressed_id));
    ui_widgets_clear(ui);
    ui->focus = -1;
    ui->exit_rect = (SDL_Rect){0, 0, 0, 0};
    ui_promises_update(ui);
    ui->hotline_open = ui_hotline_open(ui);
    ui->vars.facts = (ui->vars.facts & ~(unsigned)CONTENT_FACT_OPEN) |
                     (ui->hotline_open ? (unsigned)CONTENT_FACT_OPEN : 0);
    ui->screen->layout(ui);
    ui_exit_add(ui); /* last in focus order */
    /* Keep keyboard focus on the same control across a relayout (language or theme change), and
     * a finger's press too: an audio device coming or going lays the screen out again, and a tap
     * under way was lost. A new screen starts with neither (ui_switch, ui_close_modal). */
    for (int i = 0; (focus_id[0] || pressed_id[0]) && i < ui->n_widgets; i++) {
        if (!strcmp(ui->widgets[i].id, focus_id))
            ui->focus = i;
        if (!strcmp(ui->widgets[i].id, pressed_id))
            ui->pressed = i;
    }
    /* The focused control went with the layout ("more below" at the end of the page, Hang up
     * became Back to start): a keyboard user keeps a visible focus, on "more above", on the
     * control nearest to where it was. */
    if (focus_id[0] && ui->focus < 0 && ui->focus_visible)
        focus_nearest(ui, focus_r, focus_act);
    ui->relayout = false;
    ui->dirty = true;
}

void ui_set_counts(struct ui *ui, struct counts *c)
{
    ui->counts = c;
}

void ui_switch(struct ui *ui, const struct ui_screen *to)
{
    /* A visitor session is everything between leaving attract (the first touch) and coming
     * back to it (quick exit, idle reset, the language screen's exit). */
    if (to == &ui_screen_attract)
        counts_session_end(ui->counts);
    else if (ui->screen == &ui_screen_attract && !to->modal)
        counts_session_begin(ui->counts);
    if (to->modal) {
        ui->under = ui->screen;
        ui->under_focus[0] = '\0';
        if (ui->focus >= 0 && ui->focus < ui->n_widgets)
            util_strlcpy(ui->under_focus, ui->widgets[ui->focus].id, sizeof(ui->under_focus));
    } else {
        if (ui->under && ui->under->leave)
            ui->under->leave(ui);
        ui->under = NULL;
        if (ui->screen && ui->screen->leave)
            ui->screen->leave(ui);
    }
    ui_read_stop(ui); /* speech is about the screen it was started on */
    ui->screen = to;
    ui->focus = -1;
    ui->pressed = -1;
    ui->dragging = false;
    ui->finger_down = false;
    if (to->enter)
        to->enter(ui);
    ui_relayout(ui);
    /* A keyboard user keeps a visible focus on the first control of the new screen. */
    if (ui->focus_visible)
        focus_first(ui);
}

void ui_close_modal(struct ui *ui)
{
    if (!ui->under)
        return;
    if (ui->screen->leave)
        ui->screen->leave(ui);
    ui->screen = ui->under;
    ui->under = NULL;
    ui->focus = -1;
    ui->pressed = -1;
    ui_relayout(ui);
    /* Back where the keyboard was before the modal screen came (the idle warning's Continue),
     * or on the first control when that one is gone. */
    for (int i = 0; ui->under_focus[0] && i < ui->n_widgets; i++) {
        if (!strcmp(ui->widgets[i].id, ui->under_focus))
            ui->focus = i;
    }
    if (ui->focus_visible)
        focus_first(ui);
}

void ui_reset(struct ui *ui)
{
    /* First the call: BYE within the same event (docs/design.md 2.4); speech stops with it. */
    ui_call_hangup(ui);
    ui_read_stop(ui);
    ui->read.focus_said[0] = '\0';
    bool large = ui->s.large_text;
    /* Everything a visitor did goes: language, page, scroll, theme toggle, focus, timers. */
    memset(&ui->s, 0, sizeof(ui->s));
    ui->s.page = -1;
    ui->s.volume = (int)ui->cfg->audio.volume;
    if (ui->call) /* speech and the next call start at the configured level */
        ui->call_api->volume(ui->call, ui->s.volume);
    if (large) {
        ui_metrics_compute(ui);
        text_engine_flush(ui->text);
    }
    ui->focus_visible = false;
    ui->pressed = -1;
    ui->dragging = false;
    ui_theme_apply(ui);
    ui_switch(ui, &ui_screen_attract);
}

void ui_wake_at(struct ui *ui, uint64_t ms)
{
    if (!ui->wake_ms || ms < ui->wake_ms)
        ui->wake_ms = ms;
}

static void ui_quick_exit(struct ui *ui)
{
    ui_bench_quick_exit(ui);
    counts_add(ui->counts, COUNTS_QUICK_EXIT); /* only during a session */
    ui_reset(ui);
}

/* ---- input --------------------------------------------------------------------------------- */

/* The top bar's controls that act the same on every screen; true when w was one. */
static bool bar_action(struct ui *ui, const struct ui_widget *w)
{
    switch (w->action) {
    case UI_ACT_CONTRAST:
        ui->s.high_contrast_toggled = !ui->s.high_contrast_toggled;
        ui_theme_apply(ui);
        break;
    case UI_ACT_TEXT_SIZE:
        ui->s.large_text = !ui->s.large_text;
        ui_metrics_compute(ui);
        text_engine_flush(ui->text);
        break;
    case UI_ACT_READ:
        if (!ui->s.speech_mode && !ui->read.on)
            ui->s.speech_mode = true; /* read-aloud also starts speech mode (docs/speech.md) */
        ui_read_screen(ui, 0);
        break;
    case UI_ACT_READ_PAUSE:
        ui_read_pause(ui);
        break;
    case UI_ACT_READ_STOP:
        ui_read_stop(ui);
        break;
    default:
        return false;
    }
    ui->relayout = true;
    ui->dirty = true;
    return true;
}

static void activate(struct ui *ui, int idx)
{
    if (idx < 0 || idx >= ui->n_widgets)
        return;
    struct ui_widget w = ui->widgets[idx]; /* the screen may relayout while handling it */
    if (w.action == UI_ACT_QUICK_EXIT) {
        ui_quick_exit(ui);
        return;
    }
    if (bar_action(ui, &w))
        return;
    struct ui_event ev = {.type = UI_EV_ACTIVATE, .widget = &w};
    ui->screen->event(ui, &ev);
    ui->dirty = true;
}

static void move_focus_linear(struct ui *ui, int dir)
{
    int n = ui->n_widgets;
    if (!n)
        return;
    int i = ui->focus;
    for (int k = 0; k < n; k++) {
        i = i < 0 ? (dir > 0 ? 0 : n - 1) : (i + dir + n) % n;
        if (focusable(&ui->widgets[i])) {
            ui->focus = i;
            return;
        }
    }
}

/* Move focus to the nearest widget in direction (dx, dy). */
static void move_focus_spatial(struct ui *ui, int dx, int dy)
{
    if (ui->focus < 0) {
        move_focus_linear(ui, 1);
        return;
    }
    const SDL_Rect *f = &ui->widgets[ui->focus].r;
    int fx = f->x + f->w / 2, fy = f->y + f->h / 2;
    long best = -1;
    int best_i = -1;
    for (int i = 0; i < ui->n_widgets; i++) {
        if (i == ui->focus || !focusable(&ui->widgets[i]))
            continue;
        const SDL_Rect *r = &ui->widgets[i].r;
        int cx = r->x + r->w / 2, cy = r->y + r->h / 2;
        long along = (long)(cx - fx) * dx + (long)(cy - fy) * dy;
        long across = labs((long)(cx - fx) * dy) + labs((long)(cy - fy) * dx);
        if (along <= 0)
            continue;
        long score = along + 2 * across;
        if (best < 0 || score < best) {
            best = score;
            best_i = i;
        }
    }
    if (best_i >= 0)
        ui->focus = best_i;
}

/* A USB keypad without configuration (docs/speech.md): 8 4 6 2 are arrows, . is Back, except
 * on the call screen, which takes digits, + and - itself (the phone's keypad, the volume). */
static SDL_Keycode keypad_key(const struct ui *ui, SDL_Keycode sym)
{
    static const struct {
        SDL_Keycode from, to;
    } map[] = {
        {SDLK_KP_8, SDLK_UP},    {SDLK_KP_2, SDLK_DOWN},         {SDLK_KP_4, SDLK_LEFT},
        {SDLK_KP_6, SDLK_RIGHT}, {SDLK_KP_PERIOD, SDLK_AC_BACK},
    };
    if (ui->screen == &ui_screen_call)
        return sym;
    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        if (map[i].from == sym)
            return map[i].to;
    }
    return sym;
}

static void on_key(struct ui *ui, const SDL_KeyboardEvent *k, uint64_t now)
{
    SDL_Keycode sym = k->keysym.sym;

    if (sym == SDLK_ESCAPE) {
        ui_quick_exit(ui);
        return;
    }
    if ((sym == SDLK_LSHIFT || sym == SDLK_RSHIFT) && !k->repeat) {
        /* Shift pressed three times within the window: quick exit (docs/design.md 2.4). */
        if (!ui->s.shift_count ||
            now - ui->s.shift_first_ms > ui->cfg->kiosk.quick_exit_window_ms) {
            ui->s.shift_count = 1;
            ui->s.shift_first_ms = now;
        } else if (++ui->s.shift_count >= 3) {
            ui_quick_exit(ui);
        }
        return;
    }
    /* Any key is a press: a dark attract screen wakes on Tab as on a touch, and does no more. */
    struct ui_event press = {.type = UI_EV_TOUCH};
    if (ui->screen->event(ui, &press))
        return;
    ui->focus_visible = true;
    ui->dirty = true;
    if (ui_speech_key(ui, sym))
        return;
    sym = keypad_key(ui, sym);
    switch (sym) {
    case SDLK_TAB:
        move_focus_linear(ui, (k->keysym.mod & KMOD_SHIFT) ? -1 : 1);
        return;
    case SDLK_LEFT:
        move_focus_spatial(ui, -1, 0);
        return;
    case SDLK_RIGHT:
        move_focus_spatial(ui, 1, 0);
        return;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE:
        if (ui->focus >= 0) {
            activate(ui, ui->focus);
            return;
        }
        break;
    case SDLK_AC_BACK:
    case SDLK_BACKSPACE: {
        const struct ui_widget *b = ui_widget_find(ui, "back");
        if (b) {
            activate(ui, (int)(b - ui->widgets));
            return;
        }
        break;
    }
    default:
        break;
    }
    struct ui_event ev = {.type = UI_EV_KEY, .key = sym};
    if (ui->screen->event(ui, &ev))
        return;
    if (sym == SDLK_UP)
        move_focus_spatial(ui, 0, -1);
    else if (sym == SDLK_DOWN)
        move_focus_spatial(ui, 0, 1);
    else if (sym == SDLK_RETURN || sym == SDLK_KP_ENTER || sym == SDLK_SPACE)
        move_focus_linear(ui, 1);
}

static void pointer_down(struct ui *ui, int x, int y)
{
    struct ui_event ev = {.type = UI_EV_TOUCH};
    if (ui->screen->event(ui, &ev))
        return; /* consumed (a dark attract screen only wakes) */
    ui->focus_visible = false;
    ui->pressed = widget_at(ui, x, y);
    ui->down_ms = clock_now_ms();
    if (ui->pressed >= 0)
        ui_wake_at(ui, ui->down_ms + UI_HOLD_MS);
    ui->down_x = x;
    ui->down_y = ui->last_y = y;
    ui->dragging = false;
    ui->dirty = true;
}

static void pointer_move(struct ui *ui, int x, int y)
{
    SDL_Point p = {ui->down_x, ui->down_y};
    int slop = (int)(3 * ui->m.px_per_mm);
    if (!ui->dragging && abs(y - ui->down_y) > slop && ui->viewport.w &&
        SDL_PointInRect(&p, &ui->viewport)) {
        ui->dragging = true;
        ui->pressed = -1; /* a drag is not a tap */
        ui->dirty = true;
    }
    if (ui->dragging) {
        struct ui_event ev = {.type = UI_EV_SCROLL, .dy = ui->last_y - y, .drag = true};
        ui->screen->event(ui, &ev);
        ui->last_y = y;
    }
    (void)x;
}

static void pointer_up(struct ui *ui, int x, int y)
{
    int idx = ui->pressed;
    ui->pressed = -1;
    ui->dirty = true;
    if (ui->dragging) {
        ui->dragging = false;
        struct ui_event ev = {.type = UI_EV_SCROLL_END};
        ui->screen->event(ui, &ev);
        return;
    }
    if (idx >= 0 && idx == widget_at(ui, x, y))
        activate(ui, idx);
}

/* Touch, and the left mouse button where it is not a touch SDL turned into a click: one finger
 * at a time. Returns true when e was the visitor's input. */
static bool on_pointer(struct ui *ui, const SDL_Event *e)
{
    bool input = false;
    switch (e->type) {
    case SDL_FINGERDOWN:
        input = true;
        if (ui->finger_down)
            break; /* one finger at a time */
        ui->finger_down = true;
        ui->finger = e->tfinger.fingerId;
        pointer_down(ui, (int)(e->tfinger.x * ui->w), (int)(e->tfinger.y * ui->h));
        break;
    case SDL_FINGERMOTION:
        if (ui->finger_down && e->tfinger.fingerId == ui->finger) {
            input = true;
            pointer_move(ui, (int)(e->tfinger.x * ui->w), (int)(e->tfinger.y * ui->h));
        }
        break;
    case SDL_FINGERUP:
        if (ui->finger_down && e->tfinger.fingerId == ui->finger) {
            input = true;
            ui->finger_down = false;
            pointer_up(ui, (int)(e->tfinger.x * ui->w), (int)(e->tfinger.y * ui->h));
        }
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT) {
            input = true;
            pointer_down(ui, e->button.x, e->button.y);
        }
        break;
    case SDL_MOUSEMOTION:
        if (e->motion.which != SDL_TOUCH_MOUSEID && (e->motion.state & SDL_BUTTON_LMASK)) {
            input = true;
            pointer_move(ui, e->motion.x, e->motion.y);
        }
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT) {
            input = true;
            pointer_up(ui, e->button.x, e->button.y);
        }
        break;
    default:
        break;
    }
    return input;
}

/* Handle one SDL event; a close request sets ui->quit (outside kiosk mode). */
static void ui_handle(struct ui *ui, const SDL_Event *e)
{
    uint64_t now = clock_now_ms();
    bool input = false;

    ui->bench.ev_ticks = e->common.timestamp;
    if (e->type == ui_call_event_type()) {
        struct call_event *ev = e->user.data1;
        if (ev)
            ui_call_on_event(ui, ev);
        free(ev);
        return;
    }
    switch (e->type) {
    case SDL_QUIT:
        /* Kiosk mode ignores the close request and Alt+F4 (which arrives as SDL_QUIT). */
        if (!ui->kiosk)
            ui->quit = true;
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            ui->w = e->window.data1;
            ui->h = e->window.data2;
            ui_metrics_compute(ui);
            text_engine_flush(ui->text);
            ui->relayout = true;
        }
        ui->dirty = true;
        break;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        text_engine_flush(ui->text);
        ui_icons_free(ui);
        ui->dirty = true;
        break;
    case SDL_MOUSEWHEEL: {
        input = true;
        int dy = e->wheel.y * (e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? 1 : -1);
        struct ui_event ev = {.type = UI_EV_SCROLL, .dy = dy * ui->m.body_px * 3};
        ui->screen->event(ui, &ev);
        break;
    }
    case SDL_KEYDOWN:
        input = true;
        on_key(ui, &e->key, now);
        break;
    default:
        input = on_pointer(ui, e);
        break;
    }
    if (input)
        ui->s.last_input_ms = now;
}

/* The hotline opens or closes: the call and the other ways to get help change places (checked at
 * each minute of the wall clock while the configuration states hours). */
static void hours_tick(struct ui *ui, uint64_t now)
{
    const struct hours *h = &ui->cfg->organisation.hours;
    if (!h->set || h->always)
        return;
    if (ui_hotline_open(ui) != ui->hotline_open)
        ui->relayout = true;
    int64_t wall = clock_wall_ms();
    ui_wake_at(ui, now + (uint64_t)(60000 - (wall % 60000 + 60000) % 60000));
}

/* Time-driven work: the screen's tick and the inactivity warning. */
static void ui_tick(struct ui *ui, uint64_t now)
{
    ui->wake_ms = 0;
    /* Touch and hold: the screen may say what is held (a language's name) instead of a tap. */
    if (ui->pressed >= 0 && !ui->dragging) {
        if (now >= ui->down_ms + UI_HOLD_MS) {
            struct ui_widget w = ui->widgets[ui->pressed];
            struct ui_event ev = {.type = UI_EV_HOLD, .widget = &w};
            if (ui->screen->event(ui, &ev))
                ui->pressed = -1; /* the release is not a tap */
            ui->dirty = true;
        } else {
            ui_wake_at(ui, ui->down_ms + UI_HOLD_MS);
        }
    }
    /* Nobody touches the screen while talking: no idle warning during a call. */
    if (ui->s.call_active)
        ui->s.last_input_ms = now;
    if (ui->screen != &ui_screen_attract && ui->screen != &ui_screen_idle_warning) {
        uint64_t idle_at = ui->s.last_input_ms + ui->cfg->kiosk.idle_timeout_ms;
        if (now >= idle_at) {
            ui->s.idle_deadline_ms = now + ui->cfg->kiosk.idle_warning_ms;
            ui_switch(ui, &ui_screen_idle_warning);
        } else {
            ui_wake_at(ui, idle_at);
        }
    }
    hours_tick(ui, now);
    if (ui->screen->tick)
        ui->screen->tick(ui, now);
    ui_speech_tick(ui, now);
    uint64_t counts_retry = counts_tick(ui->counts, now);
    if (counts_retry)
        ui_wake_at(ui, counts_retry);
    if (ui->relayout)
        ui_relayout(ui);
}

void ui_draw(struct ui *ui)
{
    text_engine_next_frame(ui->text);
    ui->check.n_texts = 0;
    ui->check.clip.w = 0;
    ui->screen->draw(ui);
    SDL_RenderPresent(ui->renderer);
    ui->dirty = false;
    ui_bench_presented(ui);
}

void ui_step(struct ui *ui)
{
    SDL_Event e;
    while (SDL_PollEvent(&e))
        ui_handle(ui, &e);
    ui->bench.ev_ticks = 0;
    ui_tick(ui, clock_now_ms());
    if (ui->relayout)
        ui_relayout(ui);
    ui_speech_after_input(ui);
    if (ui->dirty)
        ui_draw(ui);
}

int ui_run(struct ui *ui)
{
    ui_step(ui);
    if (ui->bench.first_frame_exit) {
        ui_bench_first_frame_print(ui);
        return 0;
    }
    if (signals_caught())
        return 0;    /* stopped while starting: nothing more to start */
    service_ready(); /* the first frame is on screen: systemd's start-up is over */
    if (ui->on_first_frame)
        ui->on_first_frame(ui, ui->on_first_frame_arg);
    while (!ui->quit && !signals_caught()) {
        /* The watchdog is fed from here and nowhere else: a loop that hangs stops feeding it. */
        service_hang_if_asked();
        int ping_in = service_ping();
        /* Sleep until input or the next tick someone asked for: a static screen uses no CPU. */
        uint64_t now = clock_now_ms();
        int timeout = 1000;
        if (ui->wake_ms)
            timeout = ui->wake_ms > now ? (int)SDL_min(ui->wake_ms - now, 1000) : 0;
        if (ping_in >= 0)
            timeout = SDL_min(timeout, ping_in);
        SDL_Event e;
        if (SDL_WaitEventTimeout(&e, timeout))
            ui_handle(ui, &e);
        ui_step(ui);
    }
    return 0;
}

/* ---- set-up -------------------------------------------------------------------------------- */

static void set_hint_default(const char *name, const char *value)
{
    /* The environment wins, so a deployer can choose another driver without a rebuild. */
    if (!SDL_getenv(name))
        SDL_SetHint(name, value);
}

/* Set-up, step 1: the enabled languages, in configured order (all of languages.ini when not
 * configured), and the default one. */
static int enable_languages(struct ui *ui, const struct ui_opts *o, char *err, size_t errlen)
{
    if (o->cfg->kiosk.n_languages) {
        for (unsigned i = 0; i < o->cfg->kiosk.n_languages; i++) {
            const struct lang *l = i18n_find(o->i18n, o->cfg->kiosk.languages[i]);
            if (l)
                ui->langs[ui->n_langs++] = l;
        }
    } else {
        for (unsigned i = 0; i < i18n_count(o->i18n) && ui->n_langs < CONFIG_MAX_LANGS; i++)
            ui->langs[ui->n_langs++] = i18n_at(o->i18n, i);
    }
    ui->default_lang = i18n_find(o->i18n, o->cfg->kiosk.default_language);
    if (!ui->default_lang || !ui->n_langs) {
        snprintf(err, errlen, "no usable language (default %s)", o->cfg->kiosk.default_language);
        return EINVAL;
    }
    return 0;
}

/* Set-up, step 2: SDL's video, with the hints the kiosk needs; for a missing display, how to
 * run without one. */
static int start_video(bool headless, char *err, size_t errlen)
{
    if (headless) {
        SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    }
    /* The software renderer keeps the process small (docs/design.md 4). */
    set_hint_default(SDL_HINT_RENDER_DRIVER, "software");
    set_hint_default(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    /* Touch and mouse are handled separately; no synthesized duplicates. */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_WINDOWS_NO_CLOSE_ON_ALT_F4, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    /* SIGINT and SIGTERM are the commands' (signals.h): SDL's handler would turn them into an
     * SDL_QUIT that kiosk mode ignores and the headless commands never read. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");

    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) < 0) {
        const char *disp = SDL_getenv("DISPLAY"), *way = SDL_getenv("WAYLAND_DISPLAY");
        snprintf(err, errlen,
                 "cannot open a display (%s).%s\n"
                 "  To run without a screen: xvfb-run -a make run\n"
                 "  or: SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software build/openline ...\n"
                 "  To look at a screen: build/openline snapshot --screen home --out home.png",
                 SDL_GetError(),
                 (!disp || !*disp) && (!way || !*way) ? " DISPLAY and WAYLAND_DISPLAY are not set."
                                                      : "");
        return ENODEV;
    }
    return 0;
}

/* Set-up, step 3: the window (fullscreen in kiosk mode) and its renderer. */
static int open_window(struct ui *ui, const struct ui_opts *o, char *err, size_t errlen)
{
    int w = o->w ? o->w : (int)o->cfg->display.window_w;
    int h = o->h ? o->h : (int)o->cfg->display.window_h;
    int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    SDL_Rect screen;
    if (o->fullscreen && !o->headless) {
        /* Fullscreen through the window manager where there is one; where there is none (a bare
         * X server), SDL 2.26 cannot, so the window is also borderless and covers the screen. */
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
        if (SDL_GetDisplayBounds(0, &screen) == 0) {
            x = screen.x;
            y = screen.y;
            w = screen.w;
            h = screen.h;
        }
    } else if (!o->headless) {
        flags |= SDL_WINDOW_RESIZABLE;
    }
    ui->window = SDL_CreateWindow("OpenLine", x, y, w, h, flags);
    if (!ui->window) {
        snprintf(err, errlen, "cannot create the window: %s", SDL_GetError());
        return ENODEV;
    }
    ui->renderer = SDL_CreateRenderer(ui->window, -1, 0);
    if (!ui->renderer) {
        snprintf(err, errlen, "cannot create a renderer: %s", SDL_GetError());
        return ENODEV;
    }
    SDL_GetRendererOutputSize(ui->renderer, &ui->w, &ui->h);
    if (o->fullscreen && !o->headless) {
        SDL_ShowCursor(SDL_DISABLE);
        SDL_DisableScreenSaver();
    }
    return 0;
}

/* Set-up, step 4: sizes, theme, the screens' state and the first screen (attract unless
 * opts name another). */
static int show_first_screen(struct ui *ui, const struct ui_opts *o, char *err, size_t errlen)
{
    IMG_Init(0);
    ui_metrics_compute(ui);
    ui_theme_apply(ui);
    ui->s.last_input_ms = clock_now_ms();
    ui->s.volume = (int)o->cfg->audio.volume;
    ui_call_event_type(); /* registered before any call thread pushes one */
    if (ui_screens_alloc(ui)) {
        snprintf(err, errlen, "out of memory");
        return ENOMEM;
    }
    const struct ui_screen *start = o->start ? ui_screen_by_name(o->start) : NULL;
    if (o->start && (!start || start->modal)) {
        snprintf(err, errlen, "unknown start screen '%s'", o->start);
        return EINVAL;
    }
    ui_switch(ui, start ? start : &ui_screen_attract);
    return 0;
}

int ui_alloc(struct ui **up, const struct ui_opts *o, char *err, size_t errlen)
{
    struct ui *ui = calloc(1, sizeof(*ui));
    int rc;

    if (!ui)
        return ENOMEM;
    ui->cfg = o->cfg;
    ui->i18n = o->i18n;
    ui->content = o->content;
    ui->text = o->text;
    ui->kiosk = o->fullscreen;
    ui->headless = o->headless;
    ui->focus = -1;
    ui->pressed = -1;
    ui->s.page = -1;
    util_strlcpy(ui->data_dir, o->data_dir, sizeof(ui->data_dir));
    ui->vars = (struct content_vars){.organisation = o->cfg->organisation.name,
                                     .hotline = o->cfg->organisation.hotline,
                                     .sms = o->cfg->organisation.sms,
                                     .web = o->cfg->organisation.web,
                                     .emergency = o->cfg->organisation.emergency};
    ui->bench.first_frame_exit = o->first_frame_exit;
    ui->on_first_frame = o->on_first_frame;
    ui->on_first_frame_arg = o->on_first_frame_arg;

    /* Before SDL: a kiosk without a language needs no window to say so. */
    if ((rc = enable_languages(ui, o, err, errlen))) {
        free(ui);
        return rc;
    }
    if ((rc = start_video(o->headless, err, errlen))) {
        free(ui);
        return rc;
    }
    if (!(rc = open_window(ui, o, err, errlen)))
        rc = show_first_screen(ui, o, err, errlen);
    if (rc) {
        ui_free(ui);
        return rc;
    }
    *up = ui;
    return 0;
}

void ui_free(struct ui *ui)
{
    if (!ui)
        return;
    if (ui->text)
        text_engine_flush(ui->text); /* textures belong to this renderer */
    ui_call_drain_events();
    ui_screens_free(ui); /* before the renderer: screens may hold its textures */
    ui_icons_free(ui);
    ui_contact_free(ui);
    if (ui->renderer)
        SDL_DestroyRenderer(ui->renderer);
    if (ui->window)
        SDL_DestroyWindow(ui->window);
    SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    free(ui);
}

void ui_problem(struct ui *ui, const char *fmt, ...)
{
    if (!ui->check.on)
        return;
    if (ui->check.n_problems == UI_MAX_PROBLEMS) {
        ui->check.n_over++; /* counted, and the snapshot says how many */
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ui->check.problems[ui->check.n_problems++], sizeof(ui->check.problems[0]), fmt, ap);
    va_end(ap);
}
