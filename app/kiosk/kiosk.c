/* Start-up shared by the kiosk's commands: configuration, data directory, languages, content,
 * fonts.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "kiosk.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>
#include <unicode/uloc.h>

#include "openline/content.h"
#include "openline/i18n.h"
#include "openline/log.h"
#include "openline/text.h"
#include "openline/ui.h"
#include "openline/util.h"

#ifndef OPENLINE_DATADIR
#define OPENLINE_DATADIR "/usr/share/openline"
#endif

int kiosk_parse_size(const char *s, int *w, int *h)
{
    char buf[32], *x;
    long a, b;
    if (util_strlcpy(buf, s, sizeof(buf)))
        return EINVAL;
    x = strchr(buf, 'x');
    if (!x)
        return EINVAL;
    *x = '\0';
    if (util_parse_long(buf, 320, 7680, &a) || util_parse_long(x + 1, 240, 7680, &b))
        return EINVAL;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static bool has_data(const char *dir)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof(p), "%s/assets/content/pages.ini", dir);
    return access(p, R_OK) == 0;
}

void kiosk_data_dir(const struct config *cfg, char *dir, size_t len)
{
    char exe[PATH_MAX];
    if (cfg && cfg->paths.data_dir[0]) {
        util_strlcpy(dir, cfg->paths.data_dir, len);
        return;
    }
    /* Run from the source tree: build/openline -> the tree's assets/ and locales/. */
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char up[PATH_MAX + 4];
            snprintf(up, sizeof(up), "%s/..", exe);
            if (has_data(up)) {
                char *real = realpath(up, NULL);
                util_strlcpy(dir, real ? real : up, len);
                free(real);
                return;
            }
        }
    }
    util_strlcpy(dir, OPENLINE_DATADIR, len);
}

/* One language tag of the configuration, replaced by the code of the language it finds in the
 * languages table (i18n_lookup: zh-CN becomes zh-Hans), so that the rest of the program compares
 * codes. key names the key for the message; returns 0 or EINVAL (message in err). */
static int resolve_config_lang(struct config *cfg, const struct i18n *i18n, char *code, size_t len,
                               const char *section, const char *key, char *err, size_t errlen)
{
    char why[768];
    const struct lang *l = i18n_lookup(i18n, code, why, sizeof(why));
    if (!l) {
        config_key_error(cfg, section, key, err, errlen, "%s", why);
        return EINVAL;
    }
    util_strlcpy(code, l->code, len);
    return 0;
}

/* After resolve_config_lang(): no language enabled twice (zh and zh-CN are one), and the default
 * one of them (when languages is absent every language is). */
static int check_enabled(const struct config *c, char *err, size_t errlen)
{
    bool found = !c->kiosk.n_languages;
    for (unsigned i = 0; i < c->kiosk.n_languages; i++) {
        found |= !strcmp(c->kiosk.languages[i], c->kiosk.default_language);
        for (unsigned j = 0; j < i; j++) {
            if (!strcmp(c->kiosk.languages[i], c->kiosk.languages[j])) {
                config_key_error(c, "kiosk", "languages", err, errlen,
                                 "%s is listed twice; accepted: each language once",
                                 c->kiosk.languages[i]);
                return EINVAL;
            }
        }
    }
    if (!found) {
        config_key_error(c, "kiosk", "default_language", err, errlen,
                         "'%s': not enabled; accepted: one of the enabled languages",
                         c->kiosk.default_language);
        return EINVAL;
    }
    return 0;
}

/* The hotline's interpreter languages may be languages this kiosk does not show (its
 * counsellors may speak German where no visitor reads it): a code of the languages table becomes
 * its code there; any other must be a language ICU can name (its name is shown to visitors). */
static int resolve_interpreters(struct config *c, const struct i18n *i18n, char *err, size_t errlen)
{
    for (unsigned i = 0; i < c->organisation.n_interpreter_langs; i++) {
        char *code = c->organisation.interpreter_langs[i], why[768];
        const struct lang *l = i18n_lookup(i18n, code, why, sizeof(why));
        if (l) {
            util_strlcpy(code, l->code, CONFIG_LANG_LEN);
            continue;
        }
        char lang[16], iso3[8];
        UErrorCode st = U_ZERO_ERROR;
        uloc_getLanguage(code, lang, sizeof(lang), &st);
        const char *three = U_SUCCESS(st) ? uloc_getISO3Language(lang) : "";
        UChar name[64];
        st = U_ZERO_ERROR;
        int32_t n = uloc_getDisplayLanguage(lang, "en", name, 64, &st);
        util_strlcpy(iso3, three ? three : "", sizeof(iso3));
        bool named = U_SUCCESS(st) && n > 0 && (size_t)n != strlen(lang);
        if (!iso3[0] || !named) {
            config_key_error(c, "organisation", "interpreters", err, errlen,
                             "'%s' is not a known language code; accepted: yes, no, or ISO 639 "
                             "language codes such as ar fr zh-Hans, separated by spaces",
                             code);
            return EINVAL;
        }
    }
    return 0;
}

int kiosk_resolve_langs(struct config *c, const struct i18n *i18n, char *err, size_t errlen)
{
    int rc = 0;
    for (unsigned i = 0; !rc && i < c->kiosk.n_languages; i++)
        rc = resolve_config_lang(c, i18n, c->kiosk.languages[i], sizeof(c->kiosk.languages[i]),
                                 "kiosk", "languages", err, errlen);
    if (!rc)
        rc = resolve_config_lang(c, i18n, c->kiosk.default_language,
                                 sizeof(c->kiosk.default_language), "kiosk", "default_language",
                                 err, errlen);
    if (!rc)
        rc = resolve_config_lang(c, i18n, c->hotline.language, sizeof(c->hotline.language),
                                 "hotline", "language", err, errlen);
    rc = rc ? rc : check_enabled(c, err, errlen);
    for (unsigned i = 0; !rc && i < c->hotline.n_lang_uris; i++) {
        struct config_lang_uri *u = &c->hotline.lang_uris[i];
        char key[8 + CONFIG_LANG_LEN];
        snprintf(key, sizeof(key), "uri.%s", u->lang);
        rc = resolve_config_lang(c, i18n, u->lang, sizeof(u->lang), "hotline", key, err, errlen);
    }
    return rc ? rc : resolve_interpreters(c, i18n, err, errlen);
}

int kiosk_open(struct kiosk *k, const char *config_path, bool need_config)
{
    char *err = k->err, path[PATH_MAX + 64];
    const char *file = config_path ? config_path : CONFIG_DEFAULT_PATH;

    memset(k, 0, sizeof(*k));
    if (need_config || config_path || access(file, F_OK) == 0) {
        int e = config_load(&k->cfg, file, err, sizeof(k->err));
        if (e) {
            fprintf(stderr, "openline: %s\n", err);
            if (!config_path && e == ENOENT)
                fprintf(stderr, "openline: pass --config FILE; an example is "
                                "assets/openline.conf.example\n");
            return KIOSK_EXIT_CONFIG;
        }
    } else {
        config_defaults(&k->cfg);
    }
    kiosk_data_dir(&k->cfg, k->data_dir, sizeof(k->data_dir));

    snprintf(path, sizeof(path), "%s/locales", k->data_dir);
    if (i18n_load(&k->i18n, path, err, sizeof(k->err))) {
        fprintf(stderr, "openline: %s\n", err);
        return KIOSK_EXIT_FAIL;
    }
    if (kiosk_resolve_langs(&k->cfg, k->i18n, err, sizeof(k->err))) {
        fprintf(stderr, "openline: %s\n", err);
        return KIOSK_EXIT_CONFIG;
    }
    snprintf(path, sizeof(path), "%s/assets/content", k->data_dir);
    if (content_load(&k->content, path, err, sizeof(k->err))) {
        fprintf(stderr, "openline: %s\n", err);
        return KIOSK_EXIT_FAIL;
    }
    snprintf(path, sizeof(path), "%s/assets/fonts.ini", k->data_dir);
    if (text_engine_alloc(&k->text, path, err, sizeof(k->err))) {
        fprintf(stderr, "openline: %s\n", err);
        return KIOSK_EXIT_FAIL;
    }
    /* Reading the PO files leaves much freed heap behind; give it back before the window opens
     * (a kiosk runs for months: its resident size matters). */
    malloc_trim(0);
    return 0;
}

/* Every pictogram the screens use loads: self-test, and `run` at start (so that a broken one is
 * logged then, not when a visitor first opens the screen that shows it). */
unsigned kiosk_check_icons(const struct kiosk *k, kiosk_icon_problem_h *problem_h, void *arg)
{
    static const char *const ui_icons[] = {"back.svg",        "exit.svg",      "language.svg",
                                           "call.svg",        "counts.svg",    "touch.svg",
                                           "contrast.svg",    "hangup.svg",    "keypad.svg",
                                           "volume-down.svg", "volume-up.svg", "globe.svg"};
    const size_t n_ui = ARRAY_SIZE(ui_icons);
    char path[PATH_MAX + 128], why[1024];
    unsigned failed = 0;
    size_t n = content_count(k->content);
    for (size_t i = 0; i < n + n_ui; i++) {
        const char *icon = i < n ? content_at(k->content, i)->icon : ui_icons[i - n];
        bool seen = false; /* pages may share a pictogram: one message each */
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(icon, j < n ? content_at(k->content, j)->icon : ui_icons[j - n]);
        if (seen)
            continue;
        snprintf(path, sizeof(path), "%s/assets/icons/%s", k->data_dir, icon);
        char *svg = NULL;
        size_t len = 0;
        if (ui_icon_read(path, &svg, &len, why, sizeof(why))) {
            problem_h(why, arg);
            failed++;
            continue;
        }
        SDL_RWops *rw = SDL_RWFromConstMem(svg, (int)len);
        SDL_Surface *s = rw ? IMG_LoadSizedSVG_RW(rw, 64, 64) : NULL;
        if (rw)
            SDL_RWclose(rw);
        free(svg);
        if (!s) {
            snprintf(why, sizeof(why), "%.600s: %.300s", path, IMG_GetError());
            problem_h(why, arg);
            failed++;
            continue;
        }
        SDL_FreeSurface(s);
    }
    return failed;
}

unsigned kiosk_languages(const struct kiosk *k, const struct lang **out)
{
    unsigned n = 0;
    if (k->cfg.kiosk.n_languages) {
        for (unsigned i = 0; i < k->cfg.kiosk.n_languages; i++) {
            const struct lang *l = i18n_find(k->i18n, k->cfg.kiosk.languages[i]);
            if (l)
                out[n++] = l;
        }
    } else {
        for (unsigned i = 0; i < i18n_count(k->i18n) && n < CONFIG_MAX_LANGS; i++)
            out[n++] = i18n_at(k->i18n, i);
    }
    return n;
}

void kiosk_close(struct kiosk *k)
{
    text_engine_free(k->text);
    content_free(k->content);
    i18n_free(k->i18n);
    memset(k, 0, sizeof(*k));
}
