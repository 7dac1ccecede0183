/* Phrases screen, over a connected call: for a visitor who cannot talk freely (someone may be
 * beside them), large tiles of short sentences (assets/content/phrases.ini) in the visitor's
 * language. A tap speaks the sentence into the call in the language the hotline answers in,
 * while the microphone stays on. Which phrase was tapped is never stored, logged or counted.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "openline/util.h"
#include "ui_int.h"

#define PHRASES_MAX 16

static const char intro_msgid[] =
    N_("Tap a sentence. The counsellor hears it, spoken in their language.");
static const char mic_msgid[] = N_("Your microphone is still on.");

/* The screen's own state (struct ui_screen's state_size). */
struct phrases_state {
    SDL_Rect intro_box;
    /* per tile: what the counsellor hears, in the hotline's language, under the tile when that
     * differs from the visitor's */
    char heard[PHRASES_MAX][512];
    SDL_Rect heard_box[PHRASES_MAX];
    int n;
};

static struct phrases_state *phrases_state(const struct ui *ui)
{
    return ui_screen_state(ui, &ui_screen_phrases);
}

/* The name of language of, in language in (ICU's display names), for {language}. */
static void language_name(const struct lang *of, const struct lang *in, char *buf, size_t len)
{
    UChar name[128];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayLanguage(of->icu_locale, in->icu_locale, name, 128, &st);
    buf[0] = '\0';
    if (U_SUCCESS(st) && n > 0) {
        st = U_ZERO_ERROR;
        u_strToUTF8(buf, (int32_t)len, NULL, name, n, &st);
        if (U_FAILURE(st))
            buf[0] = '\0';
    }
    if (!buf[0] || (of == in))
        util_strlcpy(buf, of->endonym, len);
}

/* Phrase text in lang, {language} named in lang; "" when lang has no translation of it. */
static void phrase_text(const struct ui *ui, const struct content_phrase *ph,
                        const struct lang *lang, char *buf, size_t len)
{
    char name[128];
    buf[0] = '\0';
    if (strcmp(lang->code, "en") && !i18n_translated(lang, ph->text))
        return; /* never a sentence in a language other than the one it is said in */
    language_name(ui_lang(ui), lang, name, sizeof(name));
    struct content_vars v = ui->vars;
    v.language = name;
    char *s = content_expand(i18n_get(lang, ph->text), &v);
    if (s)
        util_strlcpy(buf, s, len);
    free(s);
}

/* True when phrases can be offered in this call: there are some, and the hotline's language can
 * be spoken (never a wrong-language voice). */
bool ui_phrases_available(const struct ui *ui)
{
    return content_phrase_count(ui->content) && ui->s.call.state == CALL_STATE_CONNECTED &&
           ui->speech && ui_speech_can(ui, ui_hotline_lang(ui));
}

static bool shown(const struct ui *ui, const struct content_phrase *ph)
{
    /* Asking for one's own language is pointless when the counsellor already speaks it. */
    return !(strstr(ph->text, "{language}") && ui_hotline_lang(ui) == ui_lang(ui));
}

static void phrases_layout(struct ui *ui)
{
    struct phrases_state *ps = phrases_state(ui);
    const struct ui_metrics *m = &ui->m;
    const struct lang *vl = ui_lang(ui), *hl = ui_hotline_lang(ui);
    bool rtl = ui_rtl(ui);
    int top = ui_bar_layout(ui, 0);
    int w = ui->w - 2 * m->margin;

    struct text_style st = {
        ui_tr_lang(ui, intro_msgid), m->title_px, true, w, TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(ui->text, ui_tr(ui, intro_msgid), &st);
    int ih = l ? l->h : m->title_px * 2;
    st = (struct text_style){ui_tr_lang(ui, mic_msgid), m->body_px, false, w,
                             TEXT_ALIGN_START,          false};
    l = text_layout_get(ui->text, ui_tr(ui, mic_msgid), &st);
    ih += m->gap / 2 + (l ? l->h : m->body_px * 2);
    ps->intro_box = (SDL_Rect){m->margin, top, w, ih};

    /* Close at the bottom, the tiles between. */
    int bh = SDL_max(m->target * 5 / 4, ui_button_h(ui, ui_tr_lang(ui, N_("Close"))));
    SDL_Rect close = {m->margin, ui->h - m->margin - bh, w, bh};
    struct ui_widget *c =
        ui_widget_add(ui, "phrases-close", close, UI_STYLE_BUTTON, UI_ACT_CLOSE, 0);
    ui_widget_label(ui, c, N_("Close"), "back.svg");
    c->mirror_icon = rtl;

    int y0 = ps->intro_box.y + ih + m->gap, avail = close.y - m->gap - y0;
    const struct content_phrase *list[PHRASES_MAX];
    int n = 0;
    for (size_t i = 0; i < content_phrase_count(ui->content) && n < PHRASES_MAX; i++) {
        const struct content_phrase *ph = content_phrase_at(ui->content, i);
        if (shown(ui, ph))
            list[n++] = ph;
    }
    ps->n = n;
    int cols = ui->w > ui->h ? 2 : 1, rows = (n + cols - 1) / SDL_max(1, cols);
    int cw = (w - (cols - 1) * m->gap) / cols;
    int cell = rows ? (avail - (rows - 1) * m->gap) / rows : 0;
    int cap = hl != vl ? SDL_min(cell / 3, text_line_height(ui->text, hl, m->body_px, false)) : 0;
    for (int i = 0; i < n; i++) {
        int col = i % cols, row = i / cols;
        int x = m->margin + (rtl ? cols - 1 - col : col) * (cw + m->gap);
        int y = y0 + row * (cell + m->gap);
        char id[48], text[512];
        snprintf(id, sizeof(id), "phrase-%s", list[i]->id);
        /* the index into the content's phrases: the tap finds the phrase again */
        int idx = 0;
        while (content_phrase_at(ui->content, (size_t)idx) != list[i])
            idx++;
        struct ui_widget *t = ui_widget_add(ui, id, (SDL_Rect){x, y, cw, cell - cap},
                                            UI_STYLE_BUTTON, UI_ACT_PHRASE, idx);
        phrase_text(ui, list[i], vl, text, sizeof(text));
        t->label_lang = vl;
        if (!text[0]) { /* untranslated: the hotline's sentence, which is what is heard */
            phrase_text(ui, list[i], hl, text, sizeof(text));
            t->label_lang = hl;
        }
        util_strlcpy(t->label, text, sizeof(t->label));
        ps->heard[i][0] = '\0';
        ps->heard_box[i] = (SDL_Rect){x, y + cell - cap, cw, cap};
        if (cap && t->label_lang != hl)
            phrase_text(ui, list[i], hl, ps->heard[i], sizeof(ps->heard[i]));
    }
}

static bool phrases_event(struct ui *ui, const struct ui_event *ev)
{
    if (ev->type != UI_EV_ACTIVATE)
        return false;
    switch (ev->widget->action) {
    case UI_ACT_CLOSE:
        ui_close_modal(ui);
        return true;
    case UI_ACT_PHRASE: {
        const struct content_phrase *ph = content_phrase_at(ui->content, (size_t)ev->widget->arg);
        const struct lang *hl = ui_hotline_lang(ui);
        char text[512];
        if (!ph)
            return true;
        phrase_text(ui, ph, hl, text, sizeof(text));
        if (text[0])
            ui_say_into_call(ui, hl, text, strchr(ph->text, '{') ? NULL : ph->text);
        return true;
    }
    default:
        return false;
    }
}

static void phrases_tick(struct ui *ui, uint64_t now)
{
    (void)now;
    /* The call ended or was lost: back to the call screen, which says so. */
    if (ui->s.call.state != CALL_STATE_CONNECTED)
        ui_close_modal(ui);
}

static void phrases_draw(struct ui *ui)
{
    struct phrases_state *ps = phrases_state(ui);
    const struct ui_metrics *m = &ui->m;
    SDL_Rect b = ps->intro_box;
    ui_clear(ui);
    struct text_style st = {
        ui_tr_lang(ui, intro_msgid), m->title_px, true, b.w, TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(ui->text, ui_tr(ui, intro_msgid), &st);
    if (l) {
        ui_text_draw(ui, l, (SDL_Rect){b.x, b.y, b.w, l->h}, false, ui->theme.text,
                     "phrases intro");
        b.y += l->h + m->gap / 2;
    }
    st = (struct text_style){ui_tr_lang(ui, mic_msgid), m->body_px, false, b.w,
                             TEXT_ALIGN_START,          false};
    l = text_layout_get(ui->text, ui_tr(ui, mic_msgid), &st);
    if (l)
        ui_text_draw(ui, l, (SDL_Rect){b.x, b.y, b.w, l->h}, false, ui->theme.muted,
                     "phrases microphone");
    const struct lang *hl = ui_hotline_lang(ui);
    for (int i = 0; i < ps->n; i++) {
        if (!ps->heard[i][0])
            continue;
        l = ui_text_fit(ui, ps->heard[i], hl, m->body_px, m->body_px, false, ps->heard_box[i],
                        TEXT_ALIGN_CENTER);
        ui_text_draw(ui, l, ps->heard_box[i], true, ui->theme.muted, "phrase heard");
    }
    ui_draw_widgets(ui);
}

/* A connected call, for looking at the screen. */
static bool phrases_pose(struct ui *ui, const char *as, char *err, size_t errlen)
{
    (void)as;
    (void)err;
    (void)errlen;
    ui->s.call = (struct call_event){.state = CALL_STATE_CONNECTED};
    return true;
}

const struct ui_screen ui_screen_phrases = {
    .name = "phrases",
    .layout = phrases_layout,
    .event = phrases_event,
    .tick = phrases_tick,
    .draw = phrases_draw,
    .modal = true,
    .pose = phrases_pose,
    .state_size = sizeof(struct phrases_state),
};
