/* Call-info screen: what happens when you call (who answers, free, confidential, no name
 * needed) and the hotline number.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "openline/util.h"
#include "ui_int.h"

/* The screen's own state (struct ui_screen's state_size). */
struct call_info_state {
    /* The bottom of the screen: "Back" and "Call now" when this kiosk can call; otherwise why
     * not, and the other ways to get help. */
    SDL_Rect notice_box;
    bool can_call;
    bool closed; /* out of the hotline's hours: the other ways to get help, and its hours */
    struct ui_page_view view;
    struct ui_contact_view contact;
};

static struct call_info_state *call_info_state(const struct ui *ui)
{
    return ui_screen_state(ui, &ui_screen_call_info);
}

static void call_info_enter(struct ui *ui)
{
    counts_add_page(ui->counts, "call"); /* the content page this screen shows */
}

static void call_info_leave(struct ui *ui)
{
    struct call_info_state *cs = call_info_state(ui);
    ui_page_free(ui, &cs->view);
}

static const char call_msgid[] = N_("Call now");

/* Why this kiosk cannot call, and the QR code of the number, in the page's column at the bottom;
 * the page above already lists the number, SMS and web address. Returns the top of the notice. */
static int no_calls_layout(struct ui *ui, struct call_info_state *cs)
{
    static const char why[] = N_("Calls are not available at this kiosk.");
    const struct ui_metrics *m = &ui->m;
    SDL_Rect col = ui_page_column(ui, (SDL_Rect){0, 0, ui->w, ui->h});
    struct text_style st = {ui_tr_lang(ui, why), m->title_px, true, col.w, TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(ui->text, ui_tr(ui, why), &st);
    int nh = l ? l->h : m->title_px * 2;
    /* the contact panel takes at most a third of the screen */
    int ch = SDL_min(ui->h / 3, SDL_max((int)(30 * m->px_per_mm), m->target * 2));
    int y = ui->h - m->margin - ch;
    int used = ui_contact_layout(ui, &cs->contact, (SDL_Rect){col.x, y, col.w, ch}, true);
    if (used > ch) { /* lines taller than the code: start higher */
        y = ui->h - m->margin - used;
        ui_contact_layout(ui, &cs->contact, (SDL_Rect){col.x, y, col.w, used}, true);
    }
    cs->notice_box = (SDL_Rect){col.x, y - m->gap - nh, col.w, nh};
    return cs->notice_box.y - m->gap;
}

/* Out of hours: that the hotline is closed, its hours and the other ways to get help, at the
 * bottom of the page's column. Returns the top of the notice. */
static int closed_layout(struct ui *ui, struct call_info_state *cs)
{
    const struct ui_metrics *m = &ui->m;
    SDL_Rect col = ui_page_column(ui, (SDL_Rect){0, 0, ui->w, ui->h});
    int h = ui_contact_closed_layout(ui, &cs->contact, (SDL_Rect){col.x, 0, col.w, ui->h});
    int y = ui->h - m->margin - h;
    ui_contact_closed_layout(ui, &cs->contact, (SDL_Rect){col.x, y, col.w, h});
    return y - m->gap;
}

static void call_info_layout(struct ui *ui)
{
    struct call_info_state *cs = call_info_state(ui);
    const struct ui_metrics *m = &ui->m;
    const struct content_page *pg = content_find(ui->content, "call");
    bool rtl = ui_rtl(ui);
    int top = ui_bar_layout(ui, UI_BAR_BACK | UI_BAR_LANGUAGE | UI_BAR_READ);
    int bottom;

    cs->closed = !ui_hotline_open(ui);
    cs->can_call = ui_calls_available(ui) && !cs->closed;
    cs->notice_box = (SDL_Rect){0, 0, 0, 0};
    SDL_Rect back = {0, 0, 0, 0}, call = {0, 0, 0, 0};
    if (cs->can_call) {
        int bh = SDL_max(m->target * 3 / 2, ui_button_h(ui, ui_tr_lang(ui, call_msgid)));
        int w = ui->w - 2 * m->margin, bw = (w - m->gap) / 3;
        int y = ui->h - m->margin - bh;
        back = (SDL_Rect){rtl ? m->margin + w - bw : m->margin, y, bw, bh};
        call = (SDL_Rect){rtl ? m->margin : m->margin + bw + m->gap, y, w - bw - m->gap, bh};
        bottom = y - m->gap;
    } else if (cs->closed) {
        bottom = closed_layout(ui, cs);
    } else {
        bottom = no_calls_layout(ui, cs);
    }
    if (pg)
        ui_page_layout(ui, &cs->view, pg, (SDL_Rect){0, top, ui->w, bottom - top});
    /* after the page's arrows in keyboard order, as on the screen */
    if (cs->can_call) {
        struct ui_widget *b =
            ui_widget_add(ui, "back-bottom", back, UI_STYLE_BUTTON, UI_ACT_BACK, 0);
        ui_widget_label(ui, b, N_("Back"), "back.svg");
        b->mirror_icon = rtl;
        struct ui_widget *c = ui_widget_add(ui, "dial", call, UI_STYLE_BUTTON, UI_ACT_DIAL, 0);
        c->tone = UI_TONE_ACCENT;
        ui_widget_label(ui, c, call_msgid, "call.svg");
    }
}

static bool call_info_event(struct ui *ui, const struct ui_event *ev)
{
    struct call_info_state *cs = call_info_state(ui);
    if (ev->type != UI_EV_ACTIVATE || ev->widget->action == UI_ACT_SCROLL)
        return ui_page_scroll_event(ui, &cs->view, ev);
    switch (ev->widget->action) {
    case UI_ACT_BACK:
        ui_switch(ui, ui->s.back_to ? ui->s.back_to : &ui_screen_home);
        return true;
    case UI_ACT_DIAL:
        ui_call_dial(ui);
        return true;
    case UI_ACT_LANGUAGE:
        ui->s.lang_return = &ui_screen_call_info;
        ui_switch(ui, &ui_screen_language);
        return true;
    default:
        return false;
    }
}

static void call_info_read(struct ui *ui)
{
    struct call_info_state *cs = call_info_state(ui);
    static const char why[] = N_("Calls are not available at this kiosk.");
    ui_page_read(ui, &cs->view);
    if (!cs->can_call && !cs->closed)
        ui_read_add(ui, ui_tr_lang(ui, why), ui_tr(ui, why), why, UI_READ_NONE);
    if (!cs->can_call)
        ui_contact_read(ui, &cs->contact);
}

static void call_info_tick(struct ui *ui, uint64_t now)
{
    (void)now;
    ui_page_follow(ui, &call_info_state(ui)->view);
}

static void call_info_draw(struct ui *ui)
{
    struct call_info_state *cs = call_info_state(ui);
    const struct ui_metrics *m = &ui->m;
    ui_clear(ui);
    if (ui->viewport.w)
        ui_page_draw(ui, &cs->view);
    if (!cs->can_call && !cs->closed) {
        static const char why[] = N_("Calls are not available at this kiosk.");
        struct text_style st = {ui_tr_lang(ui, why), m->title_px,      true,
                                cs->notice_box.w,    TEXT_ALIGN_START, false};
        ui_text_draw(ui, text_layout_get(ui->text, ui_tr(ui, why), &st), cs->notice_box, false,
                     ui->theme.text, "calls unavailable");
    }
    if (!cs->can_call)
        ui_contact_draw(ui, &cs->contact);
    ui_draw_widgets(ui);
}

static const char *const call_info_poses[] = {"calls", "no-calls", "closed", NULL};

/* A kiosk that calls (Back and Call now), one that cannot (why not, and the QR code), or one
 * that calls a hotline out of its hours (the other ways to get help, and the hours). */
static bool call_info_pose(struct ui *ui, const char *as, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    ui->calls_posed = strcmp(as, "no-calls") != 0;
    ui->hours_posed = !strcmp(as, "closed") ? UI_HOURS_POSED_CLOSED : UI_HOURS_POSED_OPEN;
    return true;
}

const struct ui_screen ui_screen_call_info = {
    .name = "call-info",
    .enter = call_info_enter,
    .leave = call_info_leave,
    .layout = call_info_layout,
    .event = call_info_event,
    .tick = call_info_tick,
    .draw = call_info_draw,
    .read = call_info_read,
    .pose = call_info_pose,
    .poses = call_info_poses,
    .state_size = sizeof(struct call_info_state),
    .release = call_info_leave, /* the page view's text */
};
