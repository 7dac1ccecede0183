/* Call-failed screen: what happened, in plain words, and the other ways to get help (number,
 * SMS, web, QR code). Never a call-back.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "openline/util.h"
#include "ui_int.h"

static const char *reason_msgid(enum call_failure f)
{
    switch (f) {
    case CALL_FAIL_BUSY:
        return N_("The line is busy.");
    case CALL_FAIL_NO_ANSWER:
        return N_("Nobody answered.");
    case CALL_FAIL_LOST:
        return N_("The call was cut off.");
    case CALL_FAIL_AUDIO:
        return N_("Calls are not available at this kiosk.");
    case CALL_FAIL_UNREACHABLE:
    case CALL_FAIL_TLS:
        return N_("The hotline cannot be reached from this kiosk right now.");
    case CALL_FAIL_REJECTED:
    case CALL_FAIL_MEDIA:
    case CALL_FAIL_NONE:
        break;
    }
    return N_("The call could not be connected.");
}

/* The screen's own state (struct ui_screen's state_size). */
struct failed_state {
    SDL_Rect reason_box, intro_box;
    struct ui_contact_view contact;
};

static struct failed_state *failed_state(const struct ui *ui)
{
    return ui_screen_state(ui, &ui_screen_call_failed);
}

static void failed_layout(struct ui *ui)
{
    struct failed_state *fs = failed_state(ui);
    const struct ui_metrics *m = &ui->m;
    bool rtl = ui_rtl(ui);
    int top = ui_bar_layout(ui, UI_BAR_READ);
    int w = SDL_min(ui->w - 2 * m->margin, m->body_px * 44);
    int x = (ui->w - w) / 2;
    const char *reason = reason_msgid(ui->s.call.failure);

    struct text_style st = {ui_tr_lang(ui, reason), m->head_px, true, w, TEXT_ALIGN_CENTER, false};
    const struct text_layout *l = text_layout_get(ui->text, ui_tr(ui, reason), &st);
    fs->reason_box = (SDL_Rect){x, top + m->margin, w, l ? l->h : m->head_px * 2};
    int y = fs->reason_box.y + fs->reason_box.h + m->margin;
    const char *intro = N_("You can still get help:");
    st = (struct text_style){ui_tr_lang(ui, intro), m->title_px, false, w, TEXT_ALIGN_START, false};
    l = text_layout_get(ui->text, ui_tr(ui, intro), &st);
    fs->intro_box = (SDL_Rect){x, y, w, l ? l->h : m->title_px * 2};
    y += fs->intro_box.h + m->gap;

    /* Buttons at the bottom: try again (when calls work here and the hotline answers now) and
     * back to the start. */
    int bh = SDL_max(m->target * 5 / 4, ui_button_h(ui, ui_tr_lang(ui, N_("Try again"))));
    int by = ui->h - m->margin - bh;
    bool again = ui_calls_available(ui) && ui_hotline_open(ui);
    int bw = again ? (w - m->gap) / 2 : w;
    SDL_Rect back = {rtl ? x + w - bw : x, by, bw, bh}; /* back at the start edge */
    struct ui_widget *b = ui_widget_add(ui, "home", back, UI_STYLE_BUTTON, UI_ACT_HOME, 0);
    ui_widget_label(ui, b, N_("Back to start"), "back.svg");
    b->mirror_icon = rtl;
    if (again) {
        SDL_Rect r = {rtl ? x : x + w - bw, by, bw, bh};
        struct ui_widget *a = ui_widget_add(ui, "retry", r, UI_STYLE_BUTTON, UI_ACT_DIAL, 0);
        a->tone = UI_TONE_ACCENT;
        ui_widget_label(ui, a, N_("Try again"), "call.svg");
    }
    ui_contact_layout(ui, &fs->contact, (SDL_Rect){x, y, w, by - m->gap - y}, false);
}

static bool failed_event(struct ui *ui, const struct ui_event *ev)
{
    if (ev->type != UI_EV_ACTIVATE)
        return false;
    switch (ev->widget->action) {
    case UI_ACT_HOME:
        ui_switch(ui, &ui_screen_home);
        return true;
    case UI_ACT_DIAL:
        ui_call_dial(ui);
        return true;
    default:
        return false;
    }
}

static void failed_read(struct ui *ui)
{
    const char *reason = reason_msgid(ui->s.call.failure);
    static const char intro[] = N_("You can still get help:");
    ui_read_add(ui, ui_tr_lang(ui, reason), ui_tr(ui, reason), reason, UI_READ_NONE);
    ui_read_add(ui, ui_tr_lang(ui, intro), ui_tr(ui, intro), intro, UI_READ_NONE);
    ui_contact_read(ui, &failed_state(ui)->contact);
}

static void failed_draw(struct ui *ui)
{
    struct failed_state *fs = failed_state(ui);
    const struct ui_metrics *m = &ui->m;
    const char *reason = reason_msgid(ui->s.call.failure);
    const char *intro = N_("You can still get help:");
    ui_clear(ui);
    struct text_style st = {ui_tr_lang(ui, reason), m->head_px,        true,
                            fs->reason_box.w,       TEXT_ALIGN_CENTER, false};
    ui_text_draw(ui, text_layout_get(ui->text, ui_tr(ui, reason), &st), fs->reason_box, false,
                 ui->theme.text, "call failure");
    st = (struct text_style){ui_tr_lang(ui, intro), m->title_px,      false,
                             fs->intro_box.w,       TEXT_ALIGN_START, false};
    ui_text_draw(ui, text_layout_get(ui->text, ui_tr(ui, intro), &st), fs->intro_box, false,
                 ui->theme.muted, "call failure intro");
    ui_contact_draw(ui, &fs->contact);
    ui_draw_widgets(ui);
}

static const char *const failed_poses[] = {"calls", "no-calls", NULL};

/* The hotline could not be reached, for looking at the screen: on a kiosk that calls (Try
 * again), or on one that cannot. */
static bool failed_pose(struct ui *ui, const char *as, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    ui->calls_posed = !strcmp(as, "calls");
    ui->s.call = (struct call_event){.state = CALL_STATE_FAILED, .failure = CALL_FAIL_UNREACHABLE};
    return true;
}

const struct ui_screen ui_screen_call_failed = {
    .name = "call-failed",
    .layout = failed_layout,
    .event = failed_event,
    .draw = failed_draw,
    .read = failed_read,
    .pose = failed_pose,
    .poses = failed_poses,
    .state_size = sizeof(struct failed_state),
};
