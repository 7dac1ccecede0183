/* Call screen: connecting and ringing (the phone with moving rings, reassurance), connected
 * (elapsed time, volume, keypad, hang up), ended. SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "openline/clock.h"
#include "openline/util.h"
#include "ui_int.h"

#define CALL_ENDED_HOLD_MS 5000 /* "The call has ended." stays this long, then home */
/* While connecting and ringing, rings move out from the phone: one every RING_PERIOD_MS (two
 * while ringing), fading as they go. Nothing flashes (WCAG 2.3.1 allows 3 flashes a second; a
 * ring takes 2 s to fade) and the screen is redrawn at most every RING_FRAME_MS (20 frames a
 * second), and not at all once connected but for the clock. */
#define RING_PERIOD_MS 2000
#define RING_FRAME_MS  50

/* Said while the call is being put through, under the state. */
static const char reassure_msgid[] = N_("The call is free. You can hang up at any time.");

static const char *status_msgid(const struct ui *ui)
{
    switch (ui->s.call.state) {
    case CALL_STATE_CONNECTING:
    case CALL_STATE_IDLE:
        return N_("Connecting to a counsellor…");
    case CALL_STATE_RINGING:
        return N_("Ringing…");
    case CALL_STATE_CONNECTED:
        return N_("Connected. You can talk now.");
    case CALL_STATE_ENDED:
    case CALL_STATE_FAILED:
        break;
    }
    return N_("The call has ended.");
}

/* The screen's own state (struct ui_screen's state_size). */
struct call_screen {
    SDL_Rect status_box, time_box; /* w = 0: none (the keypad is open) */
    SDL_Rect picture;              /* the phone and its rings (connecting, ringing); w = 0: none */
    SDL_Rect reassure_box;         /* reassure_msgid under the state; w = 0: none */
    enum call_state shown;         /* the state the buttons were laid out for */
    unsigned phase_ms;             /* where the rings are in RING_PERIOD_MS (set by tick) */
};

static bool waiting(enum call_state st)
{
    return st == CALL_STATE_CONNECTING || st == CALL_STATE_RINGING || st == CALL_STATE_IDLE;
}

static struct call_screen *call_screen(const struct ui *ui)
{
    return ui_screen_state(ui, &ui_screen_call);
}

static struct ui_widget *button(struct ui *ui, const char *id, SDL_Rect r, enum ui_action act,
                                int arg, const char *msgid, const char *icon)
{
    struct ui_widget *w = ui_widget_add(ui, id, r, UI_STYLE_BUTTON, act, arg);
    if (msgid) {
        ui_widget_label(ui, w, msgid, NULL);
    }
    if (icon)
        util_strlcpy(w->icon, icon, sizeof(w->icon));
    return w;
}

/* The height of msgid's translation at px, width w. */
static int text_h(struct ui *ui, const char *msgid, int px, bool bold, int w)
{
    struct text_style st = {ui_tr_lang(ui, msgid), px, bold, w, TEXT_ALIGN_CENTER, false};
    const struct text_layout *l = text_layout_get(ui->text, ui_tr(ui, msgid), &st);
    return l ? l->h : px * 2;
}

/* Connecting and ringing: the phone with its rings, the state, and that the call is free and
 * can be ended, centred in area; the picture takes what the text leaves, up to 70 mm. */
static void waiting_layout(struct ui *ui, struct call_screen *cs, SDL_Rect area)
{
    const struct ui_metrics *m = &ui->m;
    int hs = text_h(ui, status_msgid(ui), m->head_px, true, area.w);
    int hr = text_h(ui, reassure_msgid, m->title_px, false, area.w);
    int s = SDL_min((int)(70 * m->px_per_mm), area.h - hs - hr - 3 * m->gap);
    s = SDL_max(SDL_min(s, area.w), m->target);
    int y = area.y + SDL_max(0, (area.h - (s + hs + hr + 3 * m->gap)) / 2);
    cs->picture = (SDL_Rect){area.x + (area.w - s) / 2, y, s, s};
    y += s + m->gap;
    cs->status_box = (SDL_Rect){area.x, y, area.w, hs};
    y += hs + m->gap;
    cs->reassure_box = (SDL_Rect){area.x, y, area.w, SDL_min(hr, area.y + area.h - y)};
    cs->time_box = (SDL_Rect){0, 0, 0, 0};
}

/* Keypad for hotline menus (RFC 4733 digits): 4 rows of 3, each a full touch target, between
 * head and bottom in a column w wide. */
static void keypad_layout(struct ui *ui, struct call_screen *cs, int w, int head, int bottom)
{
    const struct ui_metrics *m = &ui->m;
    static const char keys[] = "123456789*0#";
    int kh = SDL_min((bottom - head - 3 * m->gap) / 4, m->target * 2);
    int kw = SDL_min((w - 2 * m->gap) / 3, kh * 2);
    int kx = (ui->w - (3 * kw + 2 * m->gap)) / 2;
    cs->status_box = cs->time_box = cs->picture = cs->reassure_box = (SDL_Rect){0, 0, 0, 0};
    for (int i = 0; i < 12; i++) {
        char id[16], label[2] = {keys[i], '\0'};
        snprintf(id, sizeof(id), "key-%c", keys[i] == '*' ? 's' : keys[i] == '#' ? 'h' : keys[i]);
        struct ui_widget *k = ui_widget_add(
            ui, id,
            (SDL_Rect){kx + (i % 3) * (kw + m->gap), head + (i / 3) * (kh + m->gap), kw, kh},
            UI_STYLE_BUTTON, UI_ACT_DTMF, keys[i]);
        util_strlcpy(k->label, label, sizeof(k->label));
        k->label_lang = i18n_find(ui->i18n, "en"); /* digits look the same everywhere */
    }
}

static void call_layout(struct ui *ui)
{
    struct call_screen *cs = call_screen(ui);
    const struct ui_metrics *m = &ui->m;
    bool rtl = ui_rtl(ui);
    int top = ui_bar_layout(ui, 0);
    bool ended = ui->s.call.state == CALL_STATE_ENDED;
    int bh = SDL_max(m->target * 3 / 2, ui_button_h(ui, ui_tr_lang(ui, N_("Hang up"))));
    int w = SDL_min(ui->w - 2 * m->margin, m->body_px * 40);
    int x = (ui->w - w) / 2;

    /* The one action that matters at the bottom, large: hang up, or after the call, go back. */
    SDL_Rect main = {x, ui->h - m->margin - bh, w, bh};
    if (ended) {
        button(ui, "home", main, UI_ACT_HOME, 0, N_("Back to start"), "back.svg")->mirror_icon =
            rtl;
    } else {
        button(ui, "hangup", main, UI_ACT_HANGUP, 0, N_("Hang up"), "hangup.svg")->tone =
            UI_TONE_EXIT;
    }
    int bottom = main.y - m->gap;

    if (!ended && ui->s.call.state == CALL_STATE_CONNECTED) {
        /* Volume and keypad in one row above. */
        int cw = (w - 2 * m->gap) / 3;
        int rh =
            SDL_max(ui_button_h_for(ui, N_("Quieter"), cw), ui_button_h_for(ui, N_("Louder"), cw));
        rh = SDL_max(
            rh, ui_button_h_for(ui, ui->s.keypad_open ? N_("Close keypad") : N_("Keypad"), cw));
        int y = bottom - rh;
        int xs[3] = {x, x + cw + m->gap, x + 2 * (cw + m->gap)};
        if (rtl) {
            int t = xs[0];
            xs[0] = xs[2];
            xs[2] = t;
        }
        button(ui, "volume-down", (SDL_Rect){xs[0], y, cw, rh}, UI_ACT_VOLUME, -1, N_("Quieter"),
               "volume-down.svg");
        button(ui, "keypad", (SDL_Rect){xs[1], y, cw, rh}, UI_ACT_KEYPAD, 0,
               ui->s.keypad_open ? N_("Close keypad") : N_("Keypad"), "keypad.svg");
        button(ui, "volume-up", (SDL_Rect){xs[2], y, cw, rh}, UI_ACT_VOLUME, 1, N_("Louder"),
               "volume-up.svg");
        bottom = y - m->gap;
        /* For a visitor who cannot talk freely: sentences the counsellor hears. */
        if (!ui->s.keypad_open && ui_phrases_available(ui)) {
            int ph = SDL_max(rh, ui_button_h_for(ui, N_("Cannot talk?"), w));
            button(ui, "phrases", (SDL_Rect){x, bottom - ph, w, ph}, UI_ACT_PHRASES, 0,
                   N_("Cannot talk?"), "phrases.svg");
            bottom -= ph + m->gap;
        }
    }

    int head = top + m->margin;
    if (ui->s.keypad_open && ui->s.call.state == CALL_STATE_CONNECTED) {
        keypad_layout(ui, cs, w, head, bottom);
        return;
    }
    cs->picture = cs->reassure_box = (SDL_Rect){0, 0, 0, 0};
    if (waiting(ui->s.call.state)) {
        waiting_layout(ui, cs, (SDL_Rect){x, head, w, bottom - head});
        return;
    }
    int avail = bottom - head;
    cs->status_box = (SDL_Rect){x, head + avail / 6, w, avail / 3};
    cs->time_box = (SDL_Rect){x, cs->status_box.y + cs->status_box.h + m->gap, w, m->head_px * 2};
}

/* Louder (dir 1) or quieter (-1) by a tenth, for this session. */
static void step_volume(struct ui *ui, int dir)
{
    ui->s.volume = SDL_clamp(ui->s.volume + 10 * dir, 0, 100);
    if (ui->call)
        ui->call_api->volume(ui->call, ui->s.volume);
}

/* A keyboard or USB keypad in a call: digits, * and # are the phone's keypad, + and - the
 * volume (docs/speech.md). */
static bool call_key(struct ui *ui, SDL_Keycode key)
{
    static const struct {
        SDL_Keycode key;
        char digit;
    } digits[] = {
        {SDLK_KP_0, '0'}, {SDLK_KP_1, '1'},    {SDLK_KP_2, '2'},        {SDLK_KP_3, '3'},
        {SDLK_KP_4, '4'}, {SDLK_KP_5, '5'},    {SDLK_KP_6, '6'},        {SDLK_KP_7, '7'},
        {SDLK_KP_8, '8'}, {SDLK_KP_9, '9'},    {SDLK_KP_MULTIPLY, '*'}, {SDLK_ASTERISK, '*'},
        {SDLK_HASH, '#'}, {SDLK_KP_HASH, '#'},
    };
    char d = 0;
    if (key >= SDLK_0 && key <= SDLK_9)
        d = (char)('0' + (key - SDLK_0));
    for (size_t i = 0; i < ARRAY_SIZE(digits) && !d; i++) {
        if (digits[i].key == key)
            d = digits[i].digit;
    }
    if (d) {
        if (ui->call && ui->s.call_active && ui->s.call.state == CALL_STATE_CONNECTED)
            ui->call_api->dtmf(ui->call, d);
        return true;
    }
    if ((key == SDLK_KP_PLUS || key == SDLK_KP_MINUS) && ui->s.call_active) {
        step_volume(ui, key == SDLK_KP_PLUS ? 1 : -1);
        return true;
    }
    return false;
}

static bool call_event(struct ui *ui, const struct ui_event *ev)
{
    if (ev->type == UI_EV_KEY)
        return call_key(ui, ev->key);
    if (ev->type != UI_EV_ACTIVATE)
        return false;
    switch (ev->widget->action) {
    case UI_ACT_PHRASES:
        ui_switch(ui, &ui_screen_phrases);
        return true;
    case UI_ACT_HANGUP:
        ui_call_hangup(ui);
        ui->relayout = true;
        return true;
    case UI_ACT_HOME:
        ui_switch(ui, &ui_screen_home);
        return true;
    case UI_ACT_VOLUME:
        step_volume(ui, ev->widget->arg);
        return true;
    case UI_ACT_KEYPAD:
        ui->s.keypad_open = !ui->s.keypad_open;
        ui->relayout = true;
        return true;
    case UI_ACT_DTMF:
        if (ui->call && ui->s.call_active)
            ui->call_api->dtmf(ui->call, (char)ev->widget->arg);
        return true;
    default:
        return false;
    }
}

static void call_tick(struct ui *ui, uint64_t now)
{
    struct call_screen *cs = call_screen(ui);
    if (ui->s.call.state != cs->shown) {
        cs->shown = ui->s.call.state;
        ui->relayout = true; /* the buttons differ per state */
    }
    if (waiting(ui->s.call.state)) {
        uint64_t el = now - ui->s.call_since_ms;
        cs->phase_ms = (unsigned)(el % RING_PERIOD_MS);
        ui_wake_at(ui, now + RING_FRAME_MS);
        ui->dirty = true;
    } else if (ui->s.call.state == CALL_STATE_CONNECTED) {
        /* redraw when the elapsed seconds change */
        uint64_t el = now - ui->s.call_since_ms;
        ui_wake_at(ui, now + 1000 - el % 1000);
        ui->dirty = true;
    } else if (ui->s.call.state == CALL_STATE_ENDED) {
        if (now >= ui->s.call_since_ms + CALL_ENDED_HOLD_MS)
            ui_switch(ui, &ui_screen_home);
        else
            ui_wake_at(ui, ui->s.call_since_ms + CALL_ENDED_HOLD_MS);
    }
}

/* The phone on a disc of the call colour, and the rings moving out of it (phase_ms). */
static void draw_picture(struct ui *ui, const struct call_screen *cs)
{
    SDL_Rect p = cs->picture;
    SDL_FPoint c = {(float)p.x + (float)p.w / 2.0f, (float)p.y + (float)p.h / 2.0f};
    float r0 = (float)p.w * 0.25f, r1 = (float)p.w * 0.5f, th = SDL_max(2.0f, (float)p.w / 28);
    int rings = ui->s.call.state == CALL_STATE_RINGING ? 2 : 1;
    for (int i = 0; i < rings; i++) {
        unsigned ph = (cs->phase_ms + (unsigned)i * RING_PERIOD_MS / 2) % RING_PERIOD_MS;
        float t = (float)ph / RING_PERIOD_MS, r = r0 + t * (r1 - r0 - th);
        SDL_Color col = ui->theme.muted;
        col.a = (Uint8)(220.0f * (1.0f - t));
        ui_fill_ring(ui, c, r, r + th, col);
    }
    SDL_Rect disc = {(int)(c.x - r0), (int)(c.y - r0), (int)(2 * r0), (int)(2 * r0)};
    ui_fill_round(ui, disc, disc.w / 2, ui->theme.accent);
    int ic = disc.w * 11 / 20;
    SDL_Rect icon = {disc.x + (disc.w - ic) / 2, disc.y + (disc.w - ic) / 2, ic, ic};
    ui_draw_icon(ui, "call.svg", icon, ui->theme.accent_text, false);
}

static void call_draw(struct ui *ui)
{
    struct call_screen *cs = call_screen(ui);
    const struct ui_metrics *m = &ui->m;
    char buf[32];
    ui_clear(ui);
    if (cs->picture.w)
        draw_picture(ui, cs);
    if (cs->reassure_box.w) {
        const struct text_layout *l =
            ui_text_fit(ui, ui_tr(ui, reassure_msgid), ui_tr_lang(ui, reassure_msgid), m->title_px,
                        m->body_px, false, cs->reassure_box, TEXT_ALIGN_CENTER);
        ui_text_draw(ui, l, cs->reassure_box, false, ui->theme.text, "call reassurance");
    }
    if (cs->status_box.w) {
        const char *msgid = status_msgid(ui);
        const struct text_layout *l =
            ui_text_fit(ui, ui_tr(ui, msgid), ui_tr_lang(ui, msgid), m->head_px, m->title_px, true,
                        cs->status_box, TEXT_ALIGN_CENTER);
        ui_text_draw(ui, l, cs->status_box, true, ui->theme.text, "call status");
        if (ui->s.call.state == CALL_STATE_CONNECTED) {
            uint64_t s = (clock_now_ms() - ui->s.call_since_ms) / 1000;
            snprintf(buf, sizeof(buf), "%02llu:%02llu", (unsigned long long)(s / 60),
                     (unsigned long long)(s % 60));
            l = ui_text_fit(ui, buf, i18n_find(ui->i18n, "en"), m->head_px, m->title_px, false,
                            cs->time_box, TEXT_ALIGN_CENTER);
            ui_text_draw(ui, l, cs->time_box, true, ui->theme.muted, "call time");
        }
    }
    ui_draw_widgets(ui);
}

static const char *const call_poses[] = {"connected", "connecting", "ringing", "keypad", NULL};

/* A call, for looking at the screen: connected 1 min 23 s ago (with the keypad open), or
 * connecting or ringing for 1.3 s (the rings part way out). No engine: calls_posed only. */
static bool call_pose(struct ui *ui, const char *as, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    bool connected = !strcmp(as, "connected") || !strcmp(as, "keypad");
    enum call_state st = connected                ? CALL_STATE_CONNECTED
                         : !strcmp(as, "ringing") ? CALL_STATE_RINGING
                                                  : CALL_STATE_CONNECTING;
    ui->calls_posed = true;
    ui->s.call = (struct call_event){.state = st};
    ui->s.call_since_ms = clock_now_ms() - (connected ? 83000 : 1300);
    ui->s.keypad_open = !strcmp(as, "keypad");
    call_screen(ui)->shown = st;
    call_screen(ui)->phase_ms = 1300 % RING_PERIOD_MS;
    return true;
}

const struct ui_screen ui_screen_call = {
    .name = "call",
    .layout = call_layout,
    .event = call_event,
    .tick = call_tick,
    .draw = call_draw,
    .pose = call_pose,
    .poses = call_poses,
    .state_size = sizeof(struct call_screen),
};
