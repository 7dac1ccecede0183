/* Read-aloud's commands: speech-script (what a studio records) and i18n-report's speech column.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk.h"
#include "openline/content.h"
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
    char *text = content_expand(i18n_get(s->lang, msgid), &s->vars);
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
        for (size_t k = 0; k < pg->n_blocks; k++)
            print_string(s, pg->blocks[k].text);
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
    struct script s = {.lang = i18n_find(k.i18n, a.lang), .content = k.content};
    if (!s.lang) {
        fprintf(stderr, "openline: no language '%s' in locales/languages.ini\n", a.lang);
        rc = KIOSK_EXIT_CONFIG;
        goto out;
    }
    s.vars = (struct content_vars){k.cfg.organisation.name, k.cfg.organisation.hotline,
                                   k.cfg.organisation.sms, k.cfg.organisation.web, NULL};
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
