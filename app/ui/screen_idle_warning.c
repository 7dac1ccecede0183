/* Idle warning: after the configured idle time, a countdown the visitor can extend; at zero the
 * same reset as quick exit. Modal: the screen below stays as it was.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/clock.h"
#include "openline/log.h"
#include "openline/util.h"
#include "ui_int.h"

/* The screen's own state (struct ui_screen's state_size). */
struct idle_state {
    SDL_Rect panel, msg_box, count_box;
    uint64_t shown_seconds; /* the countdown on screen */
    SDL_Texture *backdrop;  /* the screen below, captured when the warning opened */
};

static struct idle_state *idle_state(const struct ui *ui)
{
    return ui_screen_state(ui, &ui_screen_idle_warning);
}

static uint64_t seconds_left(const struct ui *ui, uint64_t now)
{
    return now >= ui->s.idle_deadline_ms ? 0 : (ui->s.idle_deadline_ms - now + 999) / 1000;
}

static void capture_backdrop(struct ui *ui)
{
    struct idle_state *is = idle_state(ui);
    /* Draw the screen below once and keep its pixels, dimmed behind the dialog. */
    if (is->backdrop) {
        SDL_DestroyTexture(is->backdrop);
        is->backdrop = NULL;
    }
    if (!ui->under)
        return;
    bool checking = ui->check.on;
    ui->check.on = false;
    ui->under->draw(ui);
    ui->check.on = checking;
    /* Read straight into the texture: a screen of pixels is 32 MiB at 3840x2160, and a surface
     * copied into a texture held two at once. */
    is->backdrop = SDL_CreateTexture(ui->renderer, SDL_PIXELFORMAT_ARGB8888,
                                     SDL_TEXTUREACCESS_STREAMING, ui->w, ui->h);
    void *pixels;
    int pitch, rc = -1;
    if (is->backdrop && !SDL_LockTexture(is->backdrop, NULL, &pixels, &pitch)) {
        rc = SDL_RenderReadPixels(ui->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, pixels, pitch);
        SDL_UnlockTexture(is->backdrop);
    }
    if (rc) {
        log_warn("idle warning: cannot read the screen below: %s", SDL_GetError());
        SDL_DestroyTexture(is->backdrop);
        is->backdrop = NULL;
    }
}

static void idle_enter(struct ui *ui)
{
    struct idle_state *is = idle_state(ui);
    is->shown_seconds = seconds_left(ui, clock_now_ms());
    capture_backdrop(ui);
}

static void idle_leave(struct ui *ui)
{
    struct idle_state *is = idle_state(ui);
    if (is->backdrop) {
        SDL_DestroyTexture(is->backdrop);
        is->backdrop = NULL;
    }
}

static void idle_layout(struct ui *ui)
{
    struct idle_state *is = idle_state(ui);
    const struct ui_metrics *m = &ui->m;
    int pw = SDL_min(ui->w - 2 * m->margin, m->body_px * 30);
    int bh = SDL_max(m->target * 5 / 4, ui_button_h(ui, ui_tr_lang(ui, N_("Continue"))));
    bh = SDL_max(bh, ui_button_h(ui, ui_tr_lang(ui, N_("Exit"))));
    static const char msg[] = N_("This screen will clear soon, to keep your visit private.");
    struct text_style st = {ui_tr_lang(ui, msg),
                            m->title_px,
                            false,
                            SDL_min(ui->w - 2 * m->margin, m->body_px * 30) - 2 * m->margin,
                            TEXT_ALIGN_CENTER,
                            false};
    const struct text_layout *ml = text_layout_get(ui->text, ui_tr(ui, msg), &st);
    int msg_h = SDL_max(m->body_px * 6, ml ? ml->h : 0);
    int count_h = m->head_px * 2;
    int ph = m->margin * 2 + msg_h + count_h + bh * 2 + m->gap * 3;
    is->panel = (SDL_Rect){(ui->w - pw) / 2, (ui->h - ph) / 2, pw, ph};
    int x = is->panel.x + m->margin, w = pw - 2 * m->margin, y = is->panel.y + m->margin;
    is->msg_box = (SDL_Rect){x, y, w, msg_h};
    y += msg_h + m->gap;
    is->count_box = (SDL_Rect){x, y, w, count_h};
    y += count_h + m->gap;
    struct ui_widget *b =
        ui_widget_add(ui, "extend", (SDL_Rect){x, y, w, bh}, UI_STYLE_BUTTON, UI_ACT_EXTEND, 0);
    b->tone = UI_TONE_ACCENT;
    ui_widget_label(ui, b, N_("Continue"), NULL);
    y += bh + m->gap;
    b = ui_widget_add(ui, "quick-exit", (SDL_Rect){x, y, w, bh}, UI_STYLE_BUTTON, UI_ACT_QUICK_EXIT,
                      0);
    b->tone = UI_TONE_EXIT;
    ui_widget_label(ui, b, N_("Exit"), "exit.svg");
    b->mirror_icon = ui_rtl(ui);
}

static bool idle_event(struct ui *ui, const struct ui_event *ev)
{
    if (ev->type == UI_EV_ACTIVATE && ev->widget->action == UI_ACT_EXTEND) {
        ui->s.last_input_ms = clock_now_ms();
        ui_close_modal(ui);
        return true;
    }
    return false;
}

static void idle_tick(struct ui *ui, uint64_t now)
{
    struct idle_state *is = idle_state(ui);
    uint64_t left = seconds_left(ui, now);
    if (!left) {
        ui_reset(ui);
        return;
    }
    if (left != is->shown_seconds) {
        is->shown_seconds = left;
        ui->dirty = true;
    }
    /* Wake exactly when the displayed number changes. */
    uint64_t next = ui->s.idle_deadline_ms - (left - 1) * 1000;
    ui_wake_at(ui, next);
}

static void idle_draw(struct ui *ui)
{
    struct idle_state *is = idle_state(ui);
    const struct ui_metrics *m = &ui->m;
    char buf[64];

    ui_clear(ui);
    if (is->backdrop)
        SDL_RenderCopy(ui->renderer, is->backdrop, NULL, NULL);
    ui_fill(ui, (SDL_Rect){0, 0, ui->w, ui->h}, ui->theme.shade);
    ui_fill_round(ui, is->panel, m->radius, ui->theme.bg);
    ui_frame(ui, is->panel, SDL_max(2, m->target / 24), ui->theme.border);
    static const char msg[] = N_("This screen will clear soon, to keep your visit private.");
    const struct text_layout *l = ui_text_fit(ui, ui_tr(ui, msg), ui_tr_lang(ui, msg), m->title_px,
                                              m->body_px, false, is->msg_box, TEXT_ALIGN_CENTER);
    ui_text_draw(ui, l, is->msg_box, true, ui->theme.text, "idle message");
    snprintf(buf, sizeof(buf), "%llu", (unsigned long long)is->shown_seconds);
    /* digits in the Latin font: the same shape in every language, and a compact line */
    l = ui_text_fit(ui, buf, i18n_find(ui->i18n, "en"), m->head_px * 3 / 2, m->head_px, true,
                    is->count_box, TEXT_ALIGN_CENTER);
    ui_text_draw(ui, l, is->count_box, true, ui->theme.text, "idle countdown");
    ui_draw_widgets(ui);
}

/* Over the page asked for, or over the home screen. */
static bool idle_pose(struct ui *ui, const char *as, char *err, size_t errlen)
{
    (void)as;
    (void)err;
    (void)errlen;
    ui_switch(ui, ui->s.page >= 0 ? &ui_screen_page : &ui_screen_home);
    ui->s.idle_deadline_ms = clock_now_ms() + ui->cfg->kiosk.idle_warning_ms;
    return true;
}

const struct ui_screen ui_screen_idle_warning = {
    .name = "idle-warning",
    .enter = idle_enter,
    .leave = idle_leave,
    .layout = idle_layout,
    .event = idle_event,
    .tick = idle_tick,
    .draw = idle_draw,
    .pose = idle_pose,
    .modal = true,
    .state_size = sizeof(struct idle_state),
    .release = idle_leave,
};
