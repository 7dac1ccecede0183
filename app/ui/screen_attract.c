/* Attract screen: calm, neutral, "Touch here for help" in each enabled language in turn.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "openline/clock.h"
#include "openline/hours.h"
#include "openline/util.h"
#include "ui_int.h"

/* The screen's own state (struct ui_screen's state_size). */
struct attract_state {
    unsigned idx;      /* the language its message is in, in ui->langs */
    uint64_t next_ms;  /* when the message changes language */
    uint64_t since_ms; /* shown since (or woken at): dark attract_dim_after later */
    bool dark;
    /* [display] off_hours: black, nothing drawn; a touch wakes it until awake_until */
    bool off;
    uint64_t awake_until_ms; /* woken in off hours: black again at this time (0: not woken) */
    bool trim_due;           /* the visitor's pages are freed: the heap gives back its free pages */
};

static struct attract_state *attract_state(const struct ui *ui)
{
    return ui_screen_state(ui, &ui_screen_attract);
}

static void attract_enter(struct ui *ui)
{
    struct attract_state *at = attract_state(ui);
    uint64_t now = clock_now_ms();
    at->trim_due = true;
    at->idx = 0;
    for (unsigned i = 0; i < ui->n_langs; i++) {
        if (ui->langs[i] == ui->default_lang)
            at->idx = i;
    }
    at->next_ms = now + ui->cfg->kiosk.attract_cycle_ms;
    at->since_ms = now;
    at->dark = false;
    /* Back from a visitor in off hours: black at the next tick, nobody has to be drawn in. */
    at->off = false;
    at->awake_until_ms = 0;
}

static void attract_layout(struct ui *ui)
{
    /* The whole screen is one target; there is nothing else to press. */
    ui_widget_add(ui, "attract", (SDL_Rect){0, 0, ui->w, ui->h}, UI_STYLE_AREA, UI_ACT_START, 0);
}

static void attract_wake(struct ui *ui)
{
    struct attract_state *at = attract_state(ui);
    at->dark = false;
    at->off = false;
    at->since_ms = clock_now_ms();
    at->awake_until_ms = at->since_ms + ui->cfg->kiosk.idle_timeout_ms;
    at->next_ms = at->since_ms + ui->cfg->kiosk.attract_cycle_ms;
    ui->dirty = true;
}

static bool attract_event(struct ui *ui, const struct ui_event *ev)
{
    struct attract_state *at = attract_state(ui);
    switch (ev->type) {
    case UI_EV_TOUCH:
        /* The first touch on a dark or black screen only wakes it: no call starts from it. */
        if (at->dark || at->off) {
            attract_wake(ui);
            return true;
        }
        return false;
    case UI_EV_KEY:
        if (at->dark || at->off) {
            attract_wake(ui);
            return true;
        }
        if (ev->key == SDLK_RETURN || ev->key == SDLK_KP_ENTER || ev->key == SDLK_SPACE) {
            ui->s.lang_return = NULL;
            ui_switch(ui, &ui_screen_language);
            return true;
        }
        return false;
    case UI_EV_HOLD:
        /* A long press anywhere: speech mode, for a visitor who cannot see the screen well. */
        if (at->dark || at->off)
            return false;
        ui->s.lang_return = NULL;
        ui_switch(ui, &ui_screen_language);
        ui_speech_mode_on(ui);
        return true;
    case UI_EV_ACTIVATE:
        if (ev->widget->action == UI_ACT_START) {
            ui->s.lang_return = NULL;
            ui_switch(ui, &ui_screen_language);
            return true;
        }
        return false;
    default:
        return false;
    }
}

/* [display] off_hours: whether the display is off now (at->off), and a wake-up at the next
 * change (the schedule's next boundary, or the end of a wake in off hours). True when off. */
static bool attract_schedule(struct ui *ui, uint64_t now)
{
    struct attract_state *at = attract_state(ui);
    const struct hours *h = &ui->cfg->display.off_hours;
    if (!h->set)
        return false;
    uint64_t to_minute;
    int wday, minute;
    hours_local(clock_wall_ms(), &wday, &minute, &to_minute);
    bool off_hours = hours_within(h, wday, minute);
    bool off = off_hours && now >= at->awake_until_ms;
    if (off != at->off) {
        at->off = off;
        at->dark = false;
        at->since_ms = now;
        at->next_ms = now + ui->cfg->kiosk.attract_cycle_ms;
        ui->dirty = true;
    }
    /* The next boundary, looked at again at least every 15 minutes (a clock set or a change
     * to summer time moves it). */
    unsigned minutes = hours_next_change(h, wday, minute);
    uint64_t wait = minutes ? to_minute + (uint64_t)(minutes - 1) * 60000 : 900000;
    ui_wake_at(ui, now + SDL_min(wait, 900000));
    if (off_hours && !off)
        ui_wake_at(ui, at->awake_until_ms);
    return off;
}

static void attract_tick(struct ui *ui, uint64_t now)
{
    struct attract_state *at = attract_state(ui);
    uint64_t dim = ui->cfg->kiosk.attract_dim_ms;
    if (attract_schedule(ui, now))
        return; /* black: no wake-ups but the schedule's */
    if (at->dark)
        return; /* nothing moves on a dark screen: no wake-ups at all */
    if (dim && now >= at->since_ms + dim) {
        at->dark = true;
        ui->dirty = true;
        return;
    }
    if (now >= at->next_ms) {
        /* At the first change of language: the screen is on and nobody is there. */
        if (at->trim_due) {
            ui_mem_trim();
            text_engine_trim(ui->text);
        }
        at->trim_due = false;
        at->idx = (at->idx + 1) % ui->n_langs;
        while (at->next_ms <= now)
            at->next_ms += ui->cfg->kiosk.attract_cycle_ms;
        ui->dirty = true;
        /* Where sound is welcome, the line is also said, in the language shown (a language
         * without a voice is shown in silence; one still being said is not cut off). */
        if (ui->cfg->speech.attract && !ui_speaking(ui)) {
            static const char line[] = N_("Touch here for help");
            const struct lang *l = ui->langs[at->idx];
            if (i18n_translated(l, line) || !strcmp(l->code, "en"))
                ui_say(ui, l, NULL, line);
        }
    }
    ui_wake_at(ui, at->next_ms);
    if (dim)
        ui_wake_at(ui, at->since_ms + dim);
}

static void attract_draw(struct ui *ui)
{
    struct attract_state *at = attract_state(ui);
    const struct ui_metrics *m = &ui->m;
    const struct lang *lang = ui->langs[at->idx % ui->n_langs];
    SDL_Color fg = ui->theme.text;

    if (at->off) {
        SDL_SetRenderDrawColor(ui->renderer, 0, 0, 0, 255);
        SDL_RenderClear(ui->renderer);
        return;
    }
    if (at->dark) {
        SDL_SetRenderDrawColor(ui->renderer, 0, 0, 0, 255);
        SDL_RenderClear(ui->renderer);
        fg = (SDL_Color){40, 40, 40, 255};
    } else {
        ui_clear(ui);
    }
    int icon = SDL_min(ui->h / 4, m->target * 3);
    SDL_Rect ir = {(ui->w - icon) / 2, ui->h / 2 - icon - m->margin, icon, icon};
    ui_draw_icon(ui, "touch.svg", ir, fg, false);
    if (at->dark)
        return;
    SDL_Rect box = {m->margin * 2, ui->h / 2, ui->w - 4 * m->margin, ui->h / 2 - 2 * m->margin};
    const char *msg = i18n_get(lang, N_("Touch here for help"));
    const struct text_layout *l =
        ui_text_fit(ui, msg, lang, m->head_px * 3 / 2, m->head_px, true,
                    (SDL_Rect){box.x, box.y, box.w, box.h / 2}, TEXT_ALIGN_CENTER);
    ui_text_draw(ui, l, (SDL_Rect){box.x, box.y, box.w, box.h / 2}, false, fg, "attract message");
    const char *sub = i18n_get(lang, N_("Information about work, travel and your rights"));
    SDL_Rect sb = {box.x, box.y + box.h / 2, box.w, box.h / 2};
    l = ui_text_fit(ui, sub, lang, m->title_px, m->body_px, false, sb, TEXT_ALIGN_CENTER);
    ui_text_draw(ui, l, sb, false, ui->theme.muted, "attract subtitle");
}

/* Attract has no visitor language: the snapshot shows its message in the one asked for, lit
 * (message), dimmed after attract_dim_after (dim) or black in off hours (off). */
static const char *const attract_poses[] = {"message", "dim", "off", NULL};

static bool attract_pose(struct ui *ui, const char *as, char *err, size_t errlen)
{
    struct attract_state *at = attract_state(ui);
    at->dark = as && !strcmp(as, "dim");
    at->off = as && !strcmp(as, "off");
    const struct lang *l = ui->s.lang;
    ui->s.lang = NULL;
    for (unsigned i = 0; l && i < ui->n_langs; i++) {
        if (ui->langs[i] == l)
            at->idx = i;
    }
    if (l && ui->langs[at->idx] != l) {
        snprintf(err, errlen, "language '%s' is not enabled in the configuration", l->code);
        return false;
    }
    return true;
}

const char *ui_attract_display(const struct ui *ui)
{
    const struct attract_state *at = attract_state(ui);
    if (ui->screen != &ui_screen_attract)
        return "on";
    return at->off ? "off" : at->dark ? "dim" : "on";
}

const struct ui_screen ui_screen_attract = {
    .name = "attract",
    .enter = attract_enter,
    .layout = attract_layout,
    .event = attract_event,
    .tick = attract_tick,
    .draw = attract_draw,
    .pose = attract_pose,
    .poses = attract_poses,
    .state_size = sizeof(struct attract_state),
};
