/* Home screen: large pictogram tiles for the topics, talking to someone, and what is counted.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "openline/util.h"
#include "ui_int.h"

/* The screen's own state (struct ui_screen's state_size). */
struct home_state {
    SDL_Rect title;
};

static struct home_state *home_state(const struct ui *ui)
{
    return ui_screen_state(ui, &ui_screen_home);
}

static void tile_label(struct ui *ui, struct ui_widget *w, const char *msgid)
{
    char *s = content_expand(ui_tr(ui, msgid), &ui->vars);
    util_strlcpy(w->label, s ? s : ui_tr(ui, msgid), sizeof(w->label));
    w->label_lang = ui_tr_lang(ui, msgid);
    free(s);
}

static void home_layout(struct ui *ui)
{
    struct home_state *hs = home_state(ui);
    const struct ui_metrics *m = &ui->m;
    int top = ui_bar_layout(ui, UI_BAR_LANGUAGE | UI_BAR_CONTRAST);
    bool rtl = ui_rtl(ui);

    int title_h =
        text_line_height(ui->text, ui_tr_lang(ui, N_("Information and help")), m->title_px, true) +
        m->gap / 2;
    hs->title = (SDL_Rect){m->margin, top, ui->w - 2 * m->margin, SDL_max(m->head_px * 2, title_h)};
    int y0 = hs->title.y + hs->title.h + m->gap;
    int avail_w = ui->w - 2 * m->margin, avail_h = ui->h - y0 - m->margin;

    /* Tiles: the topic pages, then talking to someone, then what this kiosk counts. */
    int n = 0;
    for (size_t i = 0; i < content_count(ui->content); i++)
        n += content_at(ui->content, i)->tile;
    n += 2;
    /* Columns giving tiles closest to a slightly wide shape, each at least two targets high. */
    int best_cols = 1;
    double best = 1e9;
    for (int c = 1; c <= 6 && c <= n; c++) {
        int r = (n + c - 1) / c;
        double tw = (avail_w - (c - 1) * m->gap) / (double)c;
        double th = (avail_h - (r - 1) * m->gap) / (double)r;
        if (th < m->target * 2 || tw < m->target * 2)
            continue;
        double score = fabs(log(tw / th / 1.3));
        if (score < best) {
            best = score;
            best_cols = c;
        }
    }
    int cols = best_cols, rows = (n + cols - 1) / cols;
    int tw = (avail_w - (cols - 1) * m->gap) / cols;
    int th = (avail_h - (rows - 1) * m->gap) / rows;
    int k = 0;
    for (size_t i = 0; i <= content_count(ui->content) + 1; i++) {
        const struct content_page *pg = content_at(ui->content, i);
        if (pg && !pg->tile)
            continue;
        int c = k % cols, r = k / cols;
        SDL_Rect rect = {m->margin + (rtl ? cols - 1 - c : c) * (tw + m->gap),
                         y0 + r * (th + m->gap), tw, th};
        char id[40];
        struct ui_widget *w;
        if (pg) {
            snprintf(id, sizeof(id), "tile-%s", pg->id);
            w = ui_widget_add(ui, id, rect, UI_STYLE_TILE, UI_ACT_PAGE, (int)i);
            tile_label(ui, w, pg->title);
            util_strlcpy(w->icon, pg->icon, sizeof(w->icon));
        } else if (i == content_count(ui->content)) {
            w = ui_widget_add(ui, "tile-call", rect, UI_STYLE_TILE, UI_ACT_CALL_INFO, 0);
            w->tone = UI_TONE_ACCENT;
            tile_label(ui, w, N_("Talk to someone"));
            util_strlcpy(w->icon, "call.svg", sizeof(w->icon));
        } else {
            const struct content_page *cp = content_find(ui->content, "counts");
            w = ui_widget_add(ui, "tile-counts", rect, UI_STYLE_TILE, UI_ACT_PAGE,
                              cp ? (int)(cp - content_at(ui->content, 0)) : -1);
            tile_label(ui, w, N_("What this kiosk counts"));
            util_strlcpy(w->icon, "counts.svg", sizeof(w->icon));
        }
        k++;
    }
}

static bool home_event(struct ui *ui, const struct ui_event *ev)
{
    if (ev->type != UI_EV_ACTIVATE)
        return false;
    switch (ev->widget->action) {
    case UI_ACT_PAGE:
        if (ev->widget->arg < 0)
            return true;
        ui->s.page = ev->widget->arg;
        ui->s.scroll = 0;
        ui_switch(ui, &ui_screen_page);
        return true;
    case UI_ACT_CALL_INFO:
        ui->s.scroll = 0;
        ui->s.back_to = &ui_screen_home;
        ui_switch(ui, &ui_screen_call_info);
        return true;
    case UI_ACT_LANGUAGE:
        ui->s.lang_return = &ui_screen_home;
        ui_switch(ui, &ui_screen_language);
        return true;
    default:
        return false;
    }
}

static void home_draw(struct ui *ui)
{
    struct home_state *hs = home_state(ui);
    ui_clear(ui);
    const struct text_layout *l = ui_text_fit(
        ui, ui_tr(ui, N_("Information and help")), ui_tr_lang(ui, N_("Information and help")),
        ui->m.head_px, ui->m.title_px, true, hs->title, TEXT_ALIGN_START);
    ui_text_draw(ui, l, hs->title, true, ui->theme.text, "home title");
    ui_draw_widgets(ui);
}

const struct ui_screen ui_screen_home = {
    .name = "home",
    .layout = home_layout,
    .event = home_event,
    .draw = home_draw,
    .state_size = sizeof(struct home_state),
};
