/* Home screen: large pictogram tiles for the topics, the call bar under them, and what is
 * counted as a small link.
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

static const char counts_label[] = N_("What this kiosk counts");

static void tile_label(struct ui *ui, struct ui_widget *w, const char *msgid)
{
    char *s = content_expand(ui_tr(ui, msgid), &ui->vars);
    util_strlcpy(w->label, s ? s : ui_tr(ui, msgid), sizeof(w->label));
    w->label_lang = ui_tr_lang(ui, msgid);
    free(s);
}

/* The call, first among the actions although last on the screen: a bar as wide as the screen,
 * the accent colour, at the bottom where the pages have theirs. Returns its top edge. */
static SDL_Rect call_bar_rect(struct ui *ui, int bottom)
{
    const struct ui_metrics *m = &ui->m;
    int w = ui->w - 2 * m->margin;
    int bh = SDL_max(m->target * 5 / 4, ui_button_h_for(ui, ui_call_label(ui), w) + m->gap / 2);
    return (SDL_Rect){m->margin, bottom - bh, w, bh};
}

/* What this kiosk counts: a small link at the start edge of the bottom row, still a full touch
 * target. */
static SDL_Rect counts_link_rect(struct ui *ui)
{
    const struct ui_metrics *m = &ui->m;
    const char *label = counts_label;
    int avail = ui->w - 2 * m->margin;
    int icon = m->target * 2 / 3;
    struct text_style one = {ui_tr_lang(ui, label), m->body_px, true, 0, TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(ui->text, ui_tr(ui, label), &one);
    int lw = SDL_clamp((l ? l->ink_w : avail) + icon + 4 * m->gap, m->target, avail);
    int h = ui_button_h_for(ui, label, lw);
    return (SDL_Rect){ui_rtl(ui) ? ui->w - m->margin - lw : m->margin, ui->h - m->margin - h, lw,
                      h};
}

/* Columns giving n tiles in avail_w x avail_h closest to a slightly wide shape with the rows
 * filled, each at least two targets high. */
static int tile_columns(const struct ui_metrics *m, int n, int avail_w, int avail_h)
{
    int best_cols = 1;
    double best = 1e9;
    for (int c = 1; c <= 6 && c <= n; c++) {
        int r = (n + c - 1) / c;
        double tw = (avail_w - (c - 1) * m->gap) / (double)c;
        double th = (avail_h - (r - 1) * m->gap) / (double)r;
        if (th < m->target * 2 || tw < m->target * 2)
            continue;
        /* an empty cell in the last row costs more than a less pleasing shape */
        double score = fabs(log(tw / th / 1.3)) + 0.3 * (r * c - n);
        if (score < best) {
            best = score;
            best_cols = c;
        }
    }
    return best_cols;
}

/* The topic pages' tiles in the area from y0 to bottom. */
static void tiles_add(struct ui *ui, int y0, int bottom)
{
    const struct ui_metrics *m = &ui->m;
    bool rtl = ui_rtl(ui);
    int avail_w = ui->w - 2 * m->margin, avail_h = bottom - y0;
    int n = 0;
    for (size_t i = 0; i < content_count(ui->content); i++)
        n += content_at(ui->content, i)->tile;
    if (!n)
        return;
    int cols = tile_columns(m, n, avail_w, avail_h), rows = (n + cols - 1) / cols;
    int tw = (avail_w - (cols - 1) * m->gap) / cols;
    int th = (avail_h - (rows - 1) * m->gap) / rows;
    int k = 0;
    for (size_t i = 0; i < content_count(ui->content); i++) {
        const struct content_page *pg = content_at(ui->content, i);
        if (!pg->tile)
            continue;
        int c = k % cols, r = k / cols;
        SDL_Rect rect = {m->margin + (rtl ? cols - 1 - c : c) * (tw + m->gap),
                         y0 + r * (th + m->gap), tw, th};
        char id[40];
        snprintf(id, sizeof(id), "tile-%s", pg->id);
        struct ui_widget *w = ui_widget_add(ui, id, rect, UI_STYLE_TILE, UI_ACT_PAGE, (int)i);
        tile_label(ui, w, pg->title);
        util_strlcpy(w->icon, pg->icon, sizeof(w->icon));
        k++;
    }
}

/* The widgets are added in the order keyboard focus visits them: the bar, the topics, the call,
 * what is counted. */
static void home_layout(struct ui *ui)
{
    struct home_state *hs = home_state(ui);
    const struct ui_metrics *m = &ui->m;
    int top = ui_bar_layout(ui, UI_BAR_LANGUAGE | UI_BAR_CONTRAST | UI_BAR_TEXT_SIZE);

    int title_h =
        text_line_height(ui->text, ui_tr_lang(ui, N_("Information and help")), m->title_px, true) +
        m->gap / 2;
    hs->title = (SDL_Rect){m->margin, top, ui->w - 2 * m->margin, SDL_max(m->head_px * 2, title_h)};
    int y0 = hs->title.y + hs->title.h + m->gap;
    /* Measured from the bottom up, added top down. */
    SDL_Rect link = counts_link_rect(ui);
    SDL_Rect call = call_bar_rect(ui, link.y - m->gap / 2);
    tiles_add(ui, y0, call.y - m->gap);
    struct ui_widget *c =
        ui_widget_add(ui, "tile-call", call, UI_STYLE_BUTTON, UI_ACT_CALL_INFO, 0);
    c->tone = UI_TONE_ACCENT;
    tile_label(ui, c, ui_call_label(ui));
    util_strlcpy(c->icon, ui_hotline_open(ui) ? "call.svg" : "info.svg", sizeof(c->icon));
    const struct content_page *cp = content_find(ui->content, "counts");
    struct ui_widget *w = ui_widget_add(ui, "tile-counts", link, UI_STYLE_LINK, UI_ACT_PAGE,
                                        cp ? (int)(cp - content_at(ui->content, 0)) : -1);
    tile_label(ui, w, counts_label);
    util_strlcpy(w->icon, "counts.svg", sizeof(w->icon));
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

static const char *const home_poses[] = {"open", "closed", NULL};

/* The hotline answering (the call bar), or out of its hours (the other ways to get help). */
static bool home_pose(struct ui *ui, const char *as, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    ui->hours_posed = !strcmp(as, "closed") ? UI_HOURS_POSED_CLOSED : UI_HOURS_POSED_OPEN;
    return true;
}

const struct ui_screen ui_screen_home = {
    .name = "home",
    .layout = home_layout,
    .event = home_event,
    .draw = home_draw,
    .pose = home_pose,
    .poses = home_poses,
    .state_size = sizeof(struct home_state),
};
