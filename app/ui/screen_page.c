/* Page screen: one content page, scrollable by drag, wheel and keys, the call button always
 * in reach at the bottom.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/util.h"
#include "ui_int.h"

/* The screen's own state (struct ui_screen's state_size). */
struct page_state {
    struct ui_page_view view;
};

static struct page_state *page_state(const struct ui *ui)
{
    return ui_screen_state(ui, &ui_screen_page);
}

static void page_enter(struct ui *ui)
{
    counts_add_page(ui->counts, content_at(ui->content, (size_t)SDL_max(0, ui->s.page))->id);
}

static void page_leave(struct ui *ui)
{
    struct page_state *ps = page_state(ui);
    ui_page_free(ui, &ps->view);
}

static void page_layout(struct ui *ui)
{
    struct page_state *ps = page_state(ui);
    const struct ui_metrics *m = &ui->m;
    const struct content_page *pg = content_at(ui->content, (size_t)SDL_max(0, ui->s.page));
    int top = ui_bar_layout(ui, UI_BAR_BACK | UI_BAR_LANGUAGE | UI_BAR_READ);
    const char *label = ui_call_label(ui);
    int bh = SDL_max(m->target * 5 / 4, ui_button_h(ui, ui_tr_lang(ui, label)));
    /* A long translation on a narrow screen takes two lines: the button grows with it. */
    int icon = SDL_min(bh - 2 * m->gap, m->target * 2 / 3);
    struct text_style st = {
        ui_tr_lang(ui, label), m->body_px, true, ui->w - 2 * m->margin - 3 * m->gap - icon,
        TEXT_ALIGN_START,      false};
    const struct text_layout *l = text_layout_get(ui->text, ui_tr(ui, label), &st);
    if (l && l->h + m->gap > bh)
        bh = l->h + m->gap;
    SDL_Rect call = {m->margin, ui->h - m->margin - bh, ui->w - 2 * m->margin, bh};
    /* the page's arrows come before the call in keyboard order, as on the screen */
    ui_page_layout(ui, &ps->view, pg, (SDL_Rect){0, top, ui->w, call.y - m->gap - top});
    struct ui_widget *w = ui_widget_add(ui, "call", call, UI_STYLE_BUTTON, UI_ACT_CALL_INFO, 0);
    w->tone = UI_TONE_ACCENT;
    ui_widget_label(ui, w, label, ui_hotline_open(ui) ? "call.svg" : "info.svg");
}

static bool page_event(struct ui *ui, const struct ui_event *ev)
{
    struct page_state *ps = page_state(ui);
    if (ev->type != UI_EV_ACTIVATE || ev->widget->action == UI_ACT_SCROLL)
        return ui_page_scroll_event(ui, &ps->view, ev);
    switch (ev->widget->action) {
    case UI_ACT_BACK:
        ui_switch(ui, &ui_screen_home);
        return true;
    case UI_ACT_CALL_INFO:
        ui->s.back_to = &ui_screen_page;
        ui_switch(ui, &ui_screen_call_info);
        return true;
    case UI_ACT_LANGUAGE:
        ui->s.lang_return = &ui_screen_page;
        ui_switch(ui, &ui_screen_language);
        return true;
    default:
        return false;
    }
}

static void page_read(struct ui *ui)
{
    ui_page_read(ui, &page_state(ui)->view);
}

static void page_tick(struct ui *ui, uint64_t now)
{
    (void)now;
    ui_page_follow(ui, &page_state(ui)->view);
}

static void page_draw(struct ui *ui)
{
    struct page_state *ps = page_state(ui);
    ui_clear(ui);
    ui_page_draw(ui, &ps->view);
    ui_draw_widgets(ui);
}

/* Without a page asked for, the first one with a tile on the home screen. (Its call button
 * out of hours has home's label, checked in home's "closed" pose.) */
static bool page_pose(struct ui *ui, const char *as, char *err, size_t errlen)
{
    (void)as;
    (void)err;
    (void)errlen;
    for (size_t i = 0; i < content_count(ui->content) && ui->s.page < 0; i++) {
        if (content_at(ui->content, i)->tile)
            ui->s.page = (int)i;
    }
    return true;
}

const struct ui_screen ui_screen_page = {
    .name = "page",
    .enter = page_enter,
    .leave = page_leave,
    .layout = page_layout,
    .event = page_event,
    .tick = page_tick,
    .draw = page_draw,
    .read = page_read,
    .pose = page_pose,
    .shows_page = true,
    .state_size = sizeof(struct page_state),
    .release = page_leave, /* the page view's text */
};
