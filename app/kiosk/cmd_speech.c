/* Read-aloud's commands: speech-script (what a studio records) and i18n-report's speech column.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <stdatomic.h>

#include "call_plugin.h"
#include "kiosk.h"
#include "openline/call_api.h"
#include "openline/content.h"
#include "openline/signals.h"
#include "openline/ui.h"
#include "openline/util.h"
#include "openline/i18n.h"
#include "speech.h"

/* One string of the kiosk, in one language, sentence by sentence. */
struct script {
    const struct lang *lang;
    const struct content *content;
    struct content_vars vars;
    const char *msgid;
    const char *text; /* the translation, placeholders expanded */
    unsigned lines;   /* sentences of msgid so far: the next clip's index */
};

/* One line: key, a tab, the sentence on one line (a tab or newline inside becomes a space). */
static void print_sentence(size_t start, size_t end, void *arg)
{
    struct script *s = arg;
    char key[48];
    speech_key(s->msgid, s->lines++, key, sizeof(key));
    printf("%s\t", key);
    for (size_t i = start; i < end; i++)
        putchar(s->text[i] == '\t' || s->text[i] == '\n' || s->text[i] == '\r' ? ' ' : s->text[i]);
    putchar('\n');
}

/* msgid as the kiosk shows it in s->lang; a string whose contact this deployment lacks is left
 * out, as the kiosk leaves it out. */
static void print_string(struct script *s, const char *msgid)
{
    char *marked = content_expand(i18n_get(s->lang, msgid), &s->vars);
    char *text = marked ? util_unmark_bold(marked) : NULL; /* said as the kiosk says it */
    free(marked);
    if (!text)
        return;
    s->msgid = msgid;
    s->text = text;
    s->lines = 0;
    speech_sentences(s->lang, text, print_sentence, s);
    free(text);
}

static bool is_content(const struct content *c, const char *msgid)
{
    for (size_t i = 0; i < content_count(c); i++) {
        const struct content_page *pg = content_at(c, i);
        if (!strcmp(pg->title, msgid))
            return true;
        for (size_t k = 0; k < pg->n_blocks; k++) {
            if (!strcmp(pg->blocks[k].text, msgid))
                return true;
        }
    }
    return false;
}

/* A UI string of the template that is not a page's (those came first). */
static void print_ui_string(const char *msgid, void *arg)
{
    struct script *s = arg;
    if (!is_content(s->content, msgid))
        print_string(s, msgid);
}

static void print_pages(struct script *s)
{
    for (size_t i = 0; i < content_count(s->content); i++) {
        const struct content_page *pg = content_at(s->content, i);
        print_string(s, pg->title);
        for (size_t k = 0; k < pg->n_blocks; k++) {
            if (!(pg->blocks[k].when & ~s->vars.facts)) /* a promise made here */
                print_string(s, pg->blocks[k].text);
        }
    }
}

int kiosk_cmd_speech_script(int argc, char **argv)
{
    static const char usage[] = "openline speech-script --lang CODE [--config FILE]";
    struct kiosk_args a;
    struct kiosk k;
    char pot[PATH_MAX + 64], err[512];
    int st = kiosk_args_read(argc, argv, KIOSK_OPT_CONFIG | KIOSK_OPT_LANG, usage, &a);
    if (st >= 0)
        return st;
    if (!a.lang || a.n_operands) {
        fprintf(stderr, "usage: %s\n", usage);
        return KIOSK_EXIT_CONFIG;
    }
    int rc = kiosk_open(&k, a.config, false);
    if (rc)
        goto out;
    char why[768];
    struct script s = {.lang = i18n_lookup(k.i18n, a.lang, why, sizeof(why)), .content = k.content};
    if (!s.lang) {
        fprintf(stderr, "openline: --lang: %s\n", why);
        rc = KIOSK_EXIT_CONFIG;
        goto out;
    }
    /* every promise the kiosk may make here, in this deployment's words */
    char hours[1024], langs[1024];
    ui_promise_hours(&k.cfg, s.lang, hours, sizeof(hours));
    ui_promise_languages(&k.cfg, k.i18n, s.lang, langs, sizeof(langs));
    s.vars =
        (struct content_vars){.organisation = k.cfg.organisation.name,
                              .hotline = k.cfg.organisation.hotline,
                              .sms = k.cfg.organisation.sms,
                              .web = k.cfg.organisation.web,
                              .emergency = k.cfg.organisation.emergency,
                              .hours = hours,
                              .interpreters = langs,
                              .facts = content_facts(&k.cfg, s.lang->code) | CONTENT_FACT_OPEN};
    print_pages(&s);
    snprintf(pot, sizeof(pot), "%s/locales/openline.pot", k.data_dir);
    if (i18n_template_each(pot, print_ui_string, &s, err, sizeof(err))) {
        fprintf(stderr, "openline: %s\n", err);
        rc = KIOSK_EXIT_FAIL;
    }
out:
    kiosk_close(&k);
    return rc;
}

static void no_audio(uint32_t tag, const int16_t *pcm, size_t n, unsigned rate, void *arg)
{
}

struct speech *kiosk_speech_probe(const struct kiosk *k)
{
    struct speech *sp = NULL;
    char err[256];
    if (speech_alloc(&sp, k->data_dir, no_audio, NULL, err, sizeof(err)))
        fprintf(stderr, "openline: %s\n", err);
    return sp;
}

void kiosk_speech_describe(struct speech *sp, const struct lang *l, char *buf, size_t len)
{
    switch (speech_source(sp, l)) {
    case SPEECH_CLIPS:
        snprintf(buf, len, "clips%s%s", speech_voice(sp, l)[0] ? "+" : "", speech_voice(sp, l));
        break;
    case SPEECH_SYNTH:
        snprintf(buf, len, "voice %s", speech_voice(sp, l));
        break;
    case SPEECH_NONE:
        snprintf(buf, len, "not read");
        break;
    }
}

/* ---- speak ------------------------------------------------------------------------------- */

enum { UI_SPEAK_MAX = 64 }; /* sentences of one text */

/* The speech worker's audio, on to the call plug-in as the kiosk sends it. */
struct speak {
    const struct call_api *api;
    struct call_engine *engine;
    atomic_uint refused;
    char key[UI_SPEAK_MAX][48];
};

static void speak_out(uint32_t tag, const int16_t *pcm, size_t n, unsigned rate, void *arg)
{
    struct speak *s = arg;
    if (s->api->speech_play(s->engine, tag, pcm, n, rate))
        atomic_fetch_add(&s->refused, 1);
}

struct speak_items {
    struct speak *s;
    const char *text, *msgid;
    struct speech_item items[UI_SPEAK_MAX];
    char *texts[UI_SPEAK_MAX];
    unsigned n;
};

static void speak_sentence(size_t start, size_t end, void *arg)
{
    struct speak_items *si = arg;
    if (si->n == UI_SPEAK_MAX || !(si->texts[si->n] = strndup(si->text + start, end - start)))
        return;
    const char *key = NULL;
    if (si->msgid) {
        speech_key(si->msgid, si->n, si->s->key[si->n], sizeof(si->s->key[0]));
        key = si->s->key[si->n];
    }
    si->items[si->n] = (struct speech_item){si->texts[si->n], key, si->n + 1};
    si->n++;
}

static void speak_event(const struct call_event *ev, void *arg)
{
    (void)ev;
    (void)arg; /* no calls here; an availability change shows as a refused speech_play */
}

/* Until everything was made and played (or the output refused it, or a signal). */
static int speak_wait(struct speech *sp, struct speak *s)
{
    uint64_t quiet = 0;
    for (;;) {
        if (atomic_load(&s->refused))
            return EIO;
        if (signals_caught())
            return EINTR;
        bool busy = speech_busy(sp) || s->api->speech_now(s->engine);
        uint64_t now = SDL_GetTicks64();
        if (busy)
            quiet = 0;
        else if (!quiet)
            quiet = now;
        else if (now - quiet >= 100)
            return 0;
        SDL_Delay(10);
    }
}

/* speak: one text in a language through the speech worker and the call plug-in's speech
 * output, as the kiosk reads aloud (to the wav driver with --out). */
int kiosk_cmd_speak(int argc, char **argv)
{
    static const char usage[] =
        "openline speak --lang CODE [--config FILE] [--out FILE.wav] [--msgid] TEXT";
    struct kiosk_args a;
    struct kiosk k;
    struct speech *sp = NULL;
    struct speak s = {.api = NULL};
    struct speak_items si = {.s = &s};
    char *said = NULL;
    char err[CONFIG_ERR_LEN + 256];
    int st = kiosk_args_read(
        argc, argv, KIOSK_OPT_CONFIG | KIOSK_OPT_LANG | KIOSK_OPT_OUT | KIOSK_OPT_MSGID, usage, &a);
    if (st >= 0)
        return st;
    if (!a.lang || a.n_operands != 1) {
        fprintf(stderr, "usage: %s\n", usage);
        return KIOSK_EXIT_CONFIG;
    }
    int rc = kiosk_open(&k, a.config, false);
    if (rc)
        goto out;
    char why[768];
    const struct lang *lang = i18n_lookup(k.i18n, a.lang, why, sizeof(why));
    if (!lang) {
        fprintf(stderr, "openline speak: --lang: %s\n", why);
        rc = KIOSK_EXIT_CONFIG;
        goto out;
    }
    if (a.out) { /* the wav driver writes what the speaker would play */
        k.cfg.audio.driver = CONFIG_AUDIO_WAV;
        k.cfg.audio.capture_file[0] = '\0';
        if (util_strlcpy(k.cfg.audio.playback_file, a.out, sizeof(k.cfg.audio.playback_file))) {
            fprintf(stderr, "openline speak: --out %s: too long\n", a.out);
            rc = KIOSK_EXIT_CONFIG;
            goto out;
        }
    }
    rc = KIOSK_EXIT_FAIL;
    if (speech_alloc(&sp, k.data_dir, speak_out, &s, err, sizeof(err))) {
        fprintf(stderr, "openline speak: %s\n", err);
        goto out;
    }
    if (speech_source(sp, lang) == SPEECH_NONE) {
        fprintf(stderr,
                "openline speak: %s (%s) has no voice and no recorded clips: it is not read "
                "aloud (docs/speech.md)\n",
                lang->name, lang->code);
        rc = KIOSK_EXIT_CONFIG;
        goto out;
    }
    s.api = call_api_load(err, sizeof(err));
    if (!s.api || s.api->engine_start(&s.engine, &k.cfg, speak_event, NULL, err, sizeof(err))) {
        fprintf(stderr, "openline speak: no audio output: %s\n", err);
        goto out;
    }
    si.msgid = a.msgid ? a.operands[0] : NULL;
    said = util_unmark_bold(a.msgid ? i18n_get(lang, a.operands[0]) : a.operands[0]);
    si.text = said ? said : "";
    speech_sentences(lang, si.text, speak_sentence, &si);
    signals_catch();
    if (!si.n || speech_say(sp, lang, si.items, si.n) || (rc = speak_wait(sp, &s))) {
        fprintf(stderr, "openline speak: %s\n",
                !si.n       ? "nothing to say"
                : rc == EIO ? "the audio output refused it"
                            : "stopped");
        rc = KIOSK_EXIT_FAIL;
    }
out:
    speech_free(sp); /* before the engine: its worker hands audio on */
    if (s.engine)
        s.api->engine_stop(s.engine);
    for (unsigned i = 0; i < si.n; i++)
        free(si.texts[i]);
    free(said);
    kiosk_close(&k);
    return rc;
}
