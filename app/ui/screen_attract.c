/* Attract screen: calm, neutral, "Touch here for help" in each enabled language in turn.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/clock.h"
#include "openline/util.h"
#include "ui_int.h"

static bool trim_due; /* the visitor's pages are freed: the heap gives back its free pages */

static void attract_enter(struct ui *ui)
{
    uint64_t now = clock_now_ms();
    trim_due = true;
    ui->attract_idx = 0;
    for (unsigned i = 0; i < ui->n_langs; i++) {
        if (ui->langs[i] == ui->default_lang)
            ui->attract_idx = i;
    }
    ui->attract_next_ms = now + ui->cfg->kiosk.attract_cycle_ms;
    ui->attract_since_ms = now;
    ui->attract_dark = false;
}

static void attract_layout(struct ui *ui)
{
    /* The whole screen is one target; there is nothing else to press. */
    ui_widget_add(ui, "attract", (SDL_Rect){0, 0, ui->w, ui->h}, UI_STYLE_AREA, UI_ACT_START, 0);
}

static void attract_wake(struct ui *ui)
{
    ui->attract_dark = false;
    ui->attract_since_ms = clock_now_ms();
    ui->attract_next_ms = ui->attract_since_ms + ui->cfg->kiosk.attract_cycle_ms;
    ui->dirty = true;
}

static bool attract_event(struct ui *ui, const struct ui_event *ev)
{
    switch (ev->type) {
    case UI_EV_TOUCH:
        /* The first touch on a dark screen only wakes it. */
        if (ui->attract_dark) {
            attract_wake(ui);
            return true;
        }
        return false;
    case UI_EV_KEY:
        if (ui->attract_dark) {
            attract_wake(ui);
            return true;
        }
        if (ev->key == SDLK_RETURN || ev->key == SDLK_KP_ENTER || ev->key == SDLK_SPACE) {
            ui->lang_return = NULL;
            ui_switch(ui, &ui_screen_language);
            return true;
        }
        return false;
    case UI_EV_ACTIVATE:
        if (ev->widget->action == UI_ACT_START) {
            ui->lang_return = NULL;
            ui_switch(ui, &ui_screen_language);
            return true;
        }
        return false;
    default:
        return false;
    }
}

static void attract_tick(struct ui *ui, uint64_t now)
{
    uint64_t dim = ui->cfg->kiosk.attract_dim_ms;
    if (ui->attract_dark)
        return; /* nothing moves on a dark screen: no wake-ups at all */
    if (dim && now >= ui->attract_since_ms + dim) {
        ui->attract_dark = true;
        ui->dirty = true;
        return;
    }
    if (now >= ui->attract_next_ms) {
        /* At the first change of language: the screen is on and nobody is there. */
        if (trim_due)
            ui_mem_trim();
        trim_due = false;
        ui->attract_idx = (ui->attract_idx + 1) % ui->n_langs;
        while (ui->attract_next_ms <= now)
            ui->attract_next_ms += ui->cfg->kiosk.attract_cycle_ms;
        ui->dirty = true;
    }
    ui_wake_at(ui, ui->attract_next_ms);
    if (dim)
        ui_wake_at(ui, ui->attract_since_ms + dim);
}

static void attract_draw(struct ui *ui)
{
    const struct ui_metrics *m = &ui->m;
    const struct lang *lang = ui->langs[ui->attract_idx % ui->n_langs];
    SDL_Color fg = ui->theme.text;

    if (ui->attract_dark) {
        SDL_SetRenderDrawColor(ui->renderer, 0, 0, 0, 255);
        SDL_RenderClear(ui->renderer);
        fg = (SDL_Color){40, 40, 40, 255};
    } else {
        ui_clear(ui);
    }
    int icon = SDL_min(ui->h / 4, m->target * 3);
    SDL_Rect ir = {(ui->w - icon) / 2, ui->h / 2 - icon - m->margin, icon, icon};
    ui_draw_icon(ui, "touch.svg", ir, fg, false);
    if (ui->attract_dark)
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

const struct ui_screen ui_screen_attract = {
    .name = "attract",
    .enter = attract_enter,
    .layout = attract_layout,
    .event = attract_event,
    .tick = attract_tick,
    .draw = attract_draw,
};
