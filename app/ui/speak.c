/* Speech in the UI: read-aloud of a screen with the sentence being heard highlighted, speech
 * mode (every control that gets focus is spoken), a language's name, attract's line, and
 * phrases spoken into a call. Text becomes audio on the speech worker (app/speech), which hands
 * it to the call plug-in: the speaker (speech_play) or the call (call_say). The UI thread only
 * queues and polls, so it never waits for synthesis or for a device.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../speech/speech.h"
#include "openline/clock.h"
#include "openline/log.h"
#include "openline/util.h"
#include "ui_int.h"

/* A tag: bit 31 into the call, bits 12-30 the reading's generation, bits 0-11 the sentence's
 * index + 1 (never 0: speech_now() says 0 for silence). */
enum {
    TAG_CALL = 1u << 31,
    TAG_IDX_BITS = 12,
    TAG_GEN_MASK = (1u << 19) - 1,
    POLL_MS = 40,        /* progress is looked at this often while speaking */
    QUIET_DONE_MS = 400, /* nothing made and nothing heard this long: the reading is over */
};
_Static_assert(UI_READ_MAX < (1 << TAG_IDX_BITS), "sentence index must fit its tag bits");

static uint32_t tag_of(const struct ui_reading *r, unsigned idx)
{
    return (r->into_call ? TAG_CALL : 0) | (r->gen & TAG_GEN_MASK) << TAG_IDX_BITS | (idx + 1);
}

/* The speech worker's audio: to the speaker or into the call. Speech worker thread. */
static void speech_out(uint32_t tag, const int16_t *pcm, size_t n, unsigned rate, void *arg)
{
    struct ui *ui = arg;
    struct call_engine *e = atomic_load(&ui->speech_e);
    int rc = ENODEV;
    if (e)
        rc = (tag & TAG_CALL) ? ui->call_api->call_say(e, pcm, n, rate)
                              : ui->call_api->speech_play(e, tag, pcm, n, rate);
    if (rc)
        atomic_fetch_add(&ui->speech_errors, 1);
}

int ui_speech_start(struct ui *ui, char *err, size_t errlen)
{
    if (!ui->cfg->speech.enabled || ui->speech)
        return 0;
    int rc = speech_alloc(&ui->speech, ui->data_dir, speech_out, ui, err, errlen);
    /* Every enabled language asked once now: a voice that is named but missing is logged at
     * start-up, not when a visitor is there (docs/design.md 2.2). */
    for (unsigned i = 0; !rc && i < ui->n_langs; i++)
        speech_source(ui->speech, ui->langs[i]);
    return rc;
}

void ui_speech_end(struct ui *ui)
{
    if (!ui->speech)
        return;
    ui_read_stop(ui);
    speech_free(ui->speech); /* joins the worker: no audio is handed on after this */
    ui->speech = NULL;
    atomic_store(&ui->speech_e, NULL);
}

bool ui_speech_can(const struct ui *ui, const struct lang *lang)
{
    return ui->speech && lang && atomic_load(&ui->speech_e) && ui->call_api->audio_ok(ui->call) &&
           speech_source(ui->speech, lang) != SPEECH_NONE;
}

const struct lang *ui_hotline_lang(const struct ui *ui)
{
    const struct lang *v = ui_lang(ui);
    for (unsigned i = 0; i < ui->cfg->hotline.n_lang_uris; i++) {
        if (!strcmp(ui->cfg->hotline.lang_uris[i].lang, v->code))
            return v;
    }
    const struct lang *h = i18n_find(ui->i18n, ui->cfg->hotline.language);
    return h ? h : i18n_find(ui->i18n, "en");
}

/* ---- the reading --------------------------------------------------------------------------- */

static void reading_clear(struct ui_reading *r)
{
    for (unsigned i = 0; i < r->n; i++)
        free(r->s[i].text);
    r->n = r->cur = r->next = 0;
    r->on = r->paused = r->into_call = r->screen_text = false;
    r->quiet_since_ms = 0;
    r->gen++;
}

/* Silence now: nothing more is made, and what is queued for the speaker is dropped. */
static void silence(struct ui *ui)
{
    if (!ui->speech)
        return;
    speech_cancel(ui->speech);
    struct call_engine *e = atomic_load(&ui->speech_e);
    if (e)
        ui->call_api->speech_stop(e);
}

/* UTF-16 offset of byte b of utf8: the text engine's lines count in UTF-16. */
static int utf16_at(const char *utf8, size_t b)
{
    int n = 0;
    for (size_t i = 0; i < b && utf8[i]; i++) {
        unsigned char c = (unsigned char)utf8[i];
        if ((c & 0xC0) != 0x80)
            n += c >= 0xF0 ? 2 : 1; /* a 4-byte sequence is a surrogate pair */
    }
    return n;
}

struct add_ctx {
    struct ui *ui;
    const struct lang *lang;
    const char *text, *msgid;
    int block;
};

static void add_sentence(size_t start, size_t end, void *arg)
{
    struct add_ctx *a = arg;
    struct ui_reading *r = &a->ui->read;
    if (r->n == UI_READ_MAX) {
        log_error("read-aloud: more than %d sentences on screen %s: the rest is not read",
                  UI_READ_MAX, a->ui->screen->name);
        return;
    }
    struct ui_read_sentence *s = &r->s[r->n];
    if (!(s->text = strndup(a->text + start, end - start)))
        return;
    s->lang = a->lang;
    s->block = a->block;
    s->start = utf16_at(a->text, start);
    s->end = utf16_at(a->text, end);
    s->key[0] = '\0';
    /* Clips are recorded per sentence of the translation of msgid (openline speech-script). */
    if (a->msgid)
        speech_key(a->msgid, r->n_in_text, s->key, sizeof(s->key));
    r->n_in_text++;
    r->n++;
}

void ui_read_add(struct ui *ui, const struct lang *lang, const char *text, const char *msgid,
                 int block)
{
    if (!text || !*text || !lang)
        return;
    char *plain = util_unmark_bold(text); /* said without them; the layout counts so too */
    if (!plain)
        return;
    struct add_ctx a = {ui, lang, plain, msgid, block};
    ui->read.n_in_text = 0;
    speech_sentences(lang, plain, add_sentence, &a);
    free(plain);
}

/* Hand the worker the next run of sentences in one language (it takes one language at a time:
 * an English fallback block is read by the English voice, never by the visitor's). */
static void feed(struct ui *ui)
{
    struct ui_reading *r = &ui->read;
    struct speech_item items[UI_READ_MAX];
    unsigned first = r->next, n = 0;
    if (first >= r->n)
        return;
    const struct lang *lang = r->s[first].lang;
    for (unsigned i = first; i < r->n && r->s[i].lang == lang; i++, n++)
        items[n] =
            (struct speech_item){r->s[i].text, r->s[i].key[0] ? r->s[i].key : NULL, tag_of(r, i)};
    r->next = first + n;
    if (speech_say(ui->speech, lang, items, n)) {
        /* No voice for this run (a fallback language without one): skip it, never a wrong voice. */
        r->cur = r->next;
    }
}

/* Start speaking what was added since reading_clear(), from sentence from. */
static void reading_start(struct ui *ui, unsigned from)
{
    struct ui_reading *r = &ui->read;
    if (!r->n || from >= r->n) {
        reading_clear(r);
        return;
    }
    atomic_store(&ui->speech_errors, 0);
    r->on = true;
    r->paused = false;
    r->cur = r->next = from;
    r->moved = true;
    r->quiet_since_ms = 0;
    feed(ui);
    ui_wake_at(ui, clock_now_ms() + POLL_MS);
    ui->dirty = true;
}

void ui_read_stop(struct ui *ui)
{
    if (ui->read.on)
        silence(ui);
    reading_clear(&ui->read);
    ui->dirty = true;
    ui->relayout = true; /* the bar's buttons change */
}

void ui_read_pause(struct ui *ui)
{
    struct ui_reading *r = &ui->read;
    if (!r->on || r->paused)
        return;
    silence(ui);
    r->gen++; /* audio still on its way belongs to the paused run */
    r->paused = true;
    r->next = r->cur; /* on again from the start of the sentence that was heard */
    ui->relayout = true;
}

void ui_read_screen(struct ui *ui, unsigned from)
{
    struct ui_reading *r = &ui->read;
    if (!ui->screen->read || !ui_speech_can(ui, ui_lang(ui)))
        return;
    if (r->on && r->paused && r->screen_text) {
        from = r->cur; /* Continue */
    } else {
        silence(ui);
        reading_clear(r);
        ui->screen->read(ui);
        r->screen_text = true;
    }
    if (!ui->s.read_counted) {
        counts_add(ui->counts, COUNTS_READ_ALOUD);
        ui->s.read_counted = true;
    }
    reading_start(ui, from);
    ui->relayout = true;
}

int ui_read_contains(struct ui *ui, const char *needle)
{
    if (!ui->screen->read)
        return -1;
    struct ui_reading *saved = malloc(sizeof(*saved));
    if (!saved)
        return -1;
    *saved = ui->read; /* a reading under way goes on untouched */
    memset(&ui->read, 0, sizeof(ui->read));
    ui->screen->read(ui);
    int found = 0;
    for (unsigned i = 0; i < ui->read.n && !found; i++)
        found = strstr(ui->read.s[i].text, needle) != NULL;
    reading_clear(&ui->read);
    ui->read = *saved;
    free(saved);
    return found;
}

void ui_say(struct ui *ui, const struct lang *lang, const char *text, const char *msgid)
{
    if (msgid)
        text = i18n_get(lang, msgid);
    if (!ui_speech_can(ui, lang))
        return;
    silence(ui);
    reading_clear(&ui->read);
    ui_read_add(ui, lang, text, msgid, UI_READ_NONE);
    reading_start(ui, 0);
}

void ui_say_into_call(struct ui *ui, const struct lang *lang, const char *text, const char *msgid)
{
    if (!ui->speech || !ui->call || speech_source(ui->speech, lang) == SPEECH_NONE)
        return;
    /* Whatever the visitor was hearing stops; the phrase goes to the counsellor. */
    silence(ui);
    reading_clear(&ui->read);
    ui->read.into_call = true;
    ui_read_add(ui, lang, text, msgid, UI_READ_NONE);
    reading_start(ui, 0);
}

bool ui_speaking(const struct ui *ui)
{
    return ui->read.on && !ui->read.paused && !ui->read.into_call;
}

int ui_speaking_sentence(const struct ui *ui)
{
    return ui_speaking(ui) ? (int)ui->read.cur : -1;
}

/* Progress: which sentence is heard, the next run, and the end. */
void ui_speech_tick(struct ui *ui, uint64_t now)
{
    struct ui_reading *r = &ui->read;
    if (!r->on || r->paused)
        return;
    struct call_engine *e = atomic_load(&ui->speech_e);
    if (!e || atomic_load(&ui->speech_errors)) {
        /* The output refused it (a call began, the device went): stop rather than skip. */
        ui_read_stop(ui);
        return;
    }
    bool busy = speech_busy(ui->speech);
    uint32_t now_tag = r->into_call ? 0 : ui->call_api->speech_now(e);
    if (now_tag && !((now_tag ^ tag_of(r, 0)) & ~((1u << TAG_IDX_BITS) - 1))) {
        unsigned idx = (now_tag & ((1u << TAG_IDX_BITS) - 1)) - 1;
        if (idx != r->cur && idx < r->n) {
            r->cur = idx;
            r->moved = true;
            ui->dirty = true;
        }
    }
    if (!busy && r->next < r->n) {
        feed(ui);
        busy = true;
    }
    if (busy || now_tag) {
        r->quiet_since_ms = 0;
    } else if (!r->quiet_since_ms) {
        r->quiet_since_ms = now;
    } else if (now - r->quiet_since_ms >= QUIET_DONE_MS) {
        reading_clear(r); /* all heard */
        ui->relayout = true;
        ui->dirty = true;
        return;
    }
    /* Someone listening is not idle. */
    ui->s.last_input_ms = now;
    ui_wake_at(ui, now + POLL_MS);
}

/* ---- speech mode --------------------------------------------------------------------------- */

/* What a control does, said after its label. */
static const char *const action_says[] = {
    [UI_ACT_QUICK_EXIT] = N_("Leaves at once and clears the screen."),
    [UI_ACT_BACK] = N_("Goes back."),
    [UI_ACT_LANGUAGE] = N_("Opens the list of languages."),
    [UI_ACT_CONTRAST] = N_("Changes the colours."),
    [UI_ACT_SET_LANG] = N_("Chooses this language."),
    [UI_ACT_PAGE] = N_("Opens this topic."),
    [UI_ACT_CALL_INFO] = N_("Opens the page about calling the hotline."),
    [UI_ACT_EXTEND] = N_("Keeps the screen open."),
    [UI_ACT_START] = N_("Starts."),
    [UI_ACT_DIAL] = N_("Calls the hotline now."),
    [UI_ACT_HANGUP] = N_("Ends the call."),
    [UI_ACT_VOLUME] = N_("Changes the volume."),
    [UI_ACT_KEYPAD] = N_("Opens the number keys."),
    [UI_ACT_DTMF] = N_("Sends this number."),
    [UI_ACT_HOME] = N_("Goes to the start."),
    [UI_ACT_READ] = N_("Reads the screen aloud."),
    [UI_ACT_READ_PAUSE] = N_("Pauses the reading."),
    [UI_ACT_READ_STOP] = N_("Stops the reading."),
    [UI_ACT_PHRASES] = N_("Opens sentences the counsellor can hear."),
    [UI_ACT_PHRASE] = N_("Speaks this sentence into the call."),
    [UI_ACT_TEXT_SIZE] = N_("Makes the text larger."),
    [UI_ACT_SCROLL] = N_("Shows more of the page."),
};

/* Say the focused control: its label (in the label's language) and what it does. A language's
 * name is said in that language, and only that (the visitor may not know any other). */
static void say_focus(struct ui *ui)
{
    if (ui->focus < 0 || ui->focus >= ui->n_widgets)
        return;
    const struct ui_widget *w = &ui->widgets[ui->focus];
    util_strlcpy(ui->read.focus_said, w->id, sizeof(ui->read.focus_said));
    if (w->action == UI_ACT_SET_LANG) {
        if (ui_speech_can(ui, w->label_lang))
            ui_say(ui, w->label_lang, w->label, NULL);
        return;
    }
    const struct lang *lang = ui_lang(ui);
    if (!ui_speech_can(ui, lang))
        return;
    silence(ui);
    reading_clear(&ui->read);
    const struct lang *ll = w->label_lang ? w->label_lang : lang;
    if (w->label[0] && ui_speech_can(ui, ll))
        ui_read_add(ui, ll, w->label, NULL, UI_READ_NONE);
    const char *does = (size_t)w->action < ARRAY_SIZE(action_says) ? action_says[w->action] : NULL;
    if (does)
        ui_read_add(ui, ui_tr_lang(ui, does), ui_tr(ui, does), does, UI_READ_NONE);
    reading_start(ui, 0);
}

/* After input: speak the control that got focus (speech mode; on the language screen a
 * language's name always). */
void ui_speech_after_input(struct ui *ui)
{
    if (ui->focus < 0 || !ui->focus_visible || ui->focus >= ui->n_widgets)
        return;
    const struct ui_widget *w = &ui->widgets[ui->focus];
    if (!strcmp(w->id, ui->read.focus_said))
        return;
    if (ui->s.speech_mode || w->action == UI_ACT_SET_LANG)
        say_focus(ui);
}

void ui_speech_mode_on(struct ui *ui)
{
    static const char intro[] = N_("Speech mode. Move with the arrow keys or Tab, choose with "
                                   "Enter. Press Help to hear this screen again.");
    ui->s.speech_mode = true;
    ui->focus_visible = true;
    ui->read.focus_said[0] = '\0';
    ui_say(ui, ui_tr_lang(ui, intro), NULL, intro);
    ui->dirty = true;
}

/* The keys of a USB numeric or navigation keypad, without configuration (docs/speech.md):
 * Help (or F1, or keypad /) speech mode and then the screen read aloud; keypad * stops speech;
 * keypad 8 4 6 2 move focus and 5 says the focused control, except on the call screen, where
 * the digits are the phone's keypad; keypad . goes back; + and - are the volume in a call. */
bool ui_speech_key(struct ui *ui, SDL_Keycode key)
{
    switch (key) {
    case SDLK_HELP:
    case SDLK_F1:
    case SDLK_KP_DIVIDE:
        if (!ui->s.speech_mode)
            ui_speech_mode_on(ui);
        else if (ui->screen->read)
            ui_read_screen(ui, 0);
        else
            say_focus(ui);
        return true;
    case SDLK_KP_MULTIPLY:
        if (ui->screen == &ui_screen_call)
            return false; /* the phone's * */
        ui_read_stop(ui);
        return true;
    case SDLK_KP_5:
        if (ui->screen == &ui_screen_call)
            return false;
        ui->read.focus_said[0] = '\0';
        say_focus(ui);
        return true;
    default:
        return false;
    }
}
