/* Call-info screen: what happens when you call (who answers, free, confidential, no name
 * needed) and the hotline number.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>

#include "openline/util.h"
#include "ui_int.h"

static SDL_Rect number_box;
static char number_text[256];
static const struct lang *number_lang;

static void call_info_leave(struct ui *ui)
{
    ui_page_free();
    ui->viewport = (SDL_Rect){0, 0, 0, 0};
}

static void call_info_layout(struct ui *ui)
{
    const struct ui_metrics *m = &ui->m;
    const struct content_page *pg = content_find(ui->content, "call");
    int top = ui_bar_layout(ui, UI_BAR_BACK | UI_BAR_LANGUAGE);

    /* The number, large, at the bottom: a visitor can call it later from any phone. */
    number_lang = ui_tr_lang(ui, N_("Hotline: {hotline}"));
    char *s = content_expand(ui_tr(ui, N_("Hotline: {hotline}")), &ui->vars);
    util_strlcpy(number_text, s ? s : ui->cfg->organisation.hotline, sizeof(number_text));
    free(s);
    int nh = SDL_max(m->target * 3 / 2,
                     text_line_height(ui->text, number_lang, m->title_px, true) + m->gap);
    number_box = (SDL_Rect){m->margin, ui->h - m->margin - nh, ui->w - 2 * m->margin, nh};
    SDL_Rect vp = {0, top, ui->w, number_box.y - m->gap - top};
    if (pg)
        ui_page_layout(ui, pg, vp);
}

static bool call_info_event(struct ui *ui, const struct ui_event *ev)
{
    if (ev->type != UI_EV_ACTIVATE)
        return ui_page_scroll_event(ui, ev);
    switch (ev->widget->action) {
    case UI_ACT_BACK:
        ui_switch(ui, ui->s.back_to ? ui->s.back_to : &ui_screen_home);
        return true;
    case UI_ACT_LANGUAGE:
        ui->lang_return = &ui_screen_call_info;
        ui_switch(ui, &ui_screen_language);
        return true;
    default:
        return false;
    }
}

static void call_info_draw(struct ui *ui)
{
    const struct ui_metrics *m = &ui->m;
    ui_clear(ui);
    if (ui->viewport.w)
        ui_page_draw(ui);
    ui_fill_round(ui, number_box, m->radius, ui->theme.surface);
    if (ui->theme.borders)
        ui_frame(ui, number_box, SDL_max(2, m->target / 24), ui->theme.border);
    int icon = m->target;
    bool rtl = ui_rtl(ui);
    SDL_Rect ir = {rtl ? number_box.x + number_box.w - m->gap - icon : number_box.x + m->gap,
                   number_box.y + (number_box.h - icon) / 2, icon, icon};
    ui_draw_icon(ui, "call.svg", ir, ui->theme.text, false);
    SDL_Rect tb = {rtl ? number_box.x + m->gap : ir.x + icon + m->gap, number_box.y,
                   number_box.w - icon - 3 * m->gap, number_box.h};
    const struct text_layout *l = ui_text_fit(ui, number_text, number_lang, m->head_px, m->title_px,
                                              true, tb, TEXT_ALIGN_CENTER);
    ui_text_draw(ui, l, tb, true, ui->theme.text, "hotline number");
    ui_draw_widgets(ui);
}

const struct ui_screen ui_screen_call_info = {
    .name = "call-info",
    .leave = call_info_leave,
    .layout = call_info_layout,
    .event = call_info_event,
    .draw = call_info_draw,
};
