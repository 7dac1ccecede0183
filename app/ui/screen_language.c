/* Language screen: every enabled language by its own name in its own script, never by flags.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "openline/clock.h"
#include "openline/util.h"
#include "ui_int.h"

/* The screen's title, shown in each enabled language in turn, at attract's pace. */
static const char choose_msgid[] = N_("Choose your language");

/* The screen's own state (struct ui_screen's state_size). */
struct language_state {
    int title_bottom; /* below the pictogram that stands for the title */
    unsigned idx;     /* the language the title is shown in */
    uint64_t next_ms; /* when it changes */
};

static struct language_state *language_state(const struct ui *ui)
{
    return ui_screen_state(ui, &ui_screen_language);
}

/* A language the title may be shown in: English, or one that translates it. */
static bool title_lang(const struct lang *l)
{
    return !strcmp(l->code, "en") || i18n_translated(l, choose_msgid);
}

static void language_enter(struct ui *ui)
{
    struct language_state *ls = language_state(ui);
    ls->idx = 0;
    while (ls->idx + 1 < ui->n_langs && !title_lang(ui->langs[ls->idx]))
        ls->idx++;
    ls->next_ms = clock_now_ms() + ui->cfg->kiosk.attract_cycle_ms;
}

static void language_tick(struct ui *ui, uint64_t now)
{
    struct language_state *ls = language_state(ui);
    if (now >= ls->next_ms) {
        for (unsigned k = 1; k <= ui->n_langs; k++) {
            unsigned i = (ls->idx + k) % ui->n_langs;
            if (title_lang(ui->langs[i])) {
                ls->idx = i;
                break;
            }
        }
        while (ls->next_ms <= now)
            ls->next_ms += ui->cfg->kiosk.attract_cycle_ms;
        ui->dirty = true;
    }
    ui_wake_at(ui, ls->next_ms);
}

static void language_layout(struct ui *ui)
{
    struct language_state *ls = language_state(ui);
    const struct ui_metrics *m = &ui->m;
    /* Contrast and larger text here too: they help before anything can be read. */
    int top = ui_bar_layout(ui, (ui->s.lang_return ? UI_BAR_BACK : 0) | UI_BAR_CONTRAST |
                                    UI_BAR_TEXT_SIZE);
    bool rtl = ui_rtl(ui);

    /* The title row holds only the pictogram: the visitor may not read any language yet. */
    ls->title_bottom = top + m->target + m->gap;
    int widest = 0, tallest = 0;
    for (unsigned i = 0; i < ui->n_langs; i++) {
        struct text_style st = {ui->langs[i], m->body_px, true, 0, TEXT_ALIGN_START, false};
        const struct text_layout *l = text_layout_get(ui->text, ui->langs[i]->endonym, &st);
        if (l && l->ink_w > widest)
            widest = l->ink_w;
        if (l && l->h > tallest)
            tallest = l->h;
    }
    int avail_w = ui->w - 2 * m->margin, avail_h = ui->h - ls->title_bottom - m->margin;
    int min_w = SDL_max(widest + 2 * m->margin, m->target * 2);
    int cols = SDL_max(1, (avail_w + m->gap) / (min_w + m->gap));
    int n = (int)ui->n_langs;
    if (cols > n)
        cols = n;
    int rows = (n + cols - 1) / cols;
    /* Prefer fewer, wider columns when there is height to spare. */
    int need_h = SDL_max(m->control_h * 5 / 4, tallest + m->gap);
    while (cols > 1) {
        int r2 = (n + cols - 2) / (cols - 1);
        if ((avail_h - (r2 - 1) * m->gap) / r2 < need_h)
            break;
        cols--;
        rows = r2;
    }
    int bw = (avail_w - (cols - 1) * m->gap) / cols;
    int bh = SDL_min(need_h, (avail_h - (rows - 1) * m->gap) / rows);
    int grid_h = rows * bh + (rows - 1) * m->gap;
    int y0 = ls->title_bottom + SDL_max(0, (avail_h - grid_h) / 3);
    for (int i = 0; i < n; i++) {
        int c = i % cols, r = i / cols;
        int x = m->margin + (rtl ? cols - 1 - c : c) * (bw + m->gap);
        char id[40];
        snprintf(id, sizeof(id), "lang-%s", ui->langs[i]->code);
        struct ui_widget *w = ui_widget_add(ui, id, (SDL_Rect){x, y0 + r * (bh + m->gap), bw, bh},
                                            UI_STYLE_BUTTON, UI_ACT_SET_LANG, i);
        util_strlcpy(w->label, ui->langs[i]->endonym, sizeof(w->label));
        w->label_lang = ui->langs[i];
        w->selected = ui->s.lang == ui->langs[i];
    }
}

static bool language_event(struct ui *ui, const struct ui_event *ev)
{
    if (ev->type == UI_EV_HOLD && ev->widget->action == UI_ACT_SET_LANG) {
        /* Touch and hold: the language's name, in that language; letting go chooses nothing. */
        const struct lang *l = ui->langs[ev->widget->arg];
        ui_say(ui, l, l->endonym, NULL);
        return true;
    }
    if (ev->type != UI_EV_ACTIVATE)
        return false;
    switch (ev->widget->action) {
    case UI_ACT_SET_LANG:
        ui->s.lang = ui->langs[ev->widget->arg];
        counts_add_lang(ui->counts, ui->s.lang->code);
        ui_switch(ui, ui->s.lang_return ? ui->s.lang_return : &ui_screen_home);
        return true;
    case UI_ACT_BACK:
        ui_switch(ui, ui->s.lang_return ? ui->s.lang_return : &ui_screen_attract);
        return true;
    default:
        return false;
    }
}

static void language_draw(struct ui *ui)
{
    struct language_state *ls = language_state(ui);
    const struct ui_metrics *m = &ui->m;
    ui_clear(ui);
    int top = ls->title_bottom - m->target - m->gap;
    /* A globe and "Choose your language", in one language after another: the globe needs no
     * reading, the title in the visitor's own language tells what the names are. */
    const struct lang *lang = ui->langs[ls->idx % ui->n_langs];
    if (!title_lang(lang))
        lang = NULL; /* no enabled language has the title: the globe alone */
    int icon = m->target;
    SDL_Rect box = {0, top, ui->w - 2 * m->margin - icon - m->gap, m->target};
    const struct text_layout *l =
        lang ? ui_text_fit(ui, i18n_get(lang, choose_msgid), lang, m->title_px, m->body_px, true,
                           box, TEXT_ALIGN_START)
             : NULL;
    int tw = l ? SDL_min(l->ink_w, box.w) : 0;
    int group = icon + (tw ? m->gap + tw : 0), x0 = (ui->w - group) / 2;
    bool rtl = lang && lang->rtl;
    ui_draw_icon(ui, "globe.svg", (SDL_Rect){rtl ? x0 + group - icon : x0, top, icon, icon},
                 ui->theme.text, false);
    if (l) { /* the layout's box is as wide as it was fitted to: its ink where the group is */
        box.x = rtl ? x0 + tw - l->w : x0 + icon + m->gap;
        box.w = l->w;
        ui_text_draw(ui, l, box, true, ui->theme.text, "language title");
    }
    ui_draw_widgets(ui);
}

const struct ui_screen ui_screen_language = {
    .name = "language",
    .enter = language_enter,
    .layout = language_layout,
    .tick = language_tick,
    .event = language_event,
    .draw = language_draw,
    .state_size = sizeof(struct language_state),
};
