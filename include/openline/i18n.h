/* Languages and their catalogs: locales/languages.ini and one PO file per language.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_I18N_H
#define OPENLINE_I18N_H

#include <stdbool.h>
#include <stddef.h>

#define I18N_MAX_LANGS 64

/* Marks a string for extraction by xgettext (`make pot`); translate it with i18n_get(). */
#define N_(s) s

struct catalog;

/* One language, as described in locales/languages.ini. Valid until i18n_free(). */
struct lang {
    char code[16];       /* BCP 47, also the PO file name: locales/<code>.po */
    char endonym[64];    /* the language's name in itself, UTF-8 */
    char name[64];       /* English name, for staff and reports */
    char script[5];      /* ISO 15924, exact case ("Arab", "Mymr"), for shaping */
    bool rtl;            /* paragraph direction right-to-left */
    char font[64];       /* font file overriding the script's font in assets/fonts.ini, or "" */
    char font_bold[64];  /* its bold weight, or "" (then bold text uses font) */
    char icu_locale[32]; /* locale for ICU line breaking ("th", "my", "zh_Hans") */
    char voice[32];      /* espeak-ng voice reading it aloud ("en-gb", "cmn"), or "" (none) */
    struct catalog *cat; /* translations; NULL for the source language (en) */
};

struct i18n;

/* Load locales/languages.ini from locales_dir and the PO file of every language in it (English is
 * the source language and needs none). Returns 0, or EINVAL/errno with one message naming the file
 * and line in err when the languages table is unusable. A broken PO file does not fail the load:
 * each problem in it is logged and kept (i18n_problem_at) and costs only what it concerns. A file
 * with no header or a charset other than UTF-8 is not read (the language shows English); an entry
 * that is not UTF-8, whose placeholders differ from the English string's, or that msgfmt --check
 * refuses is left out (that string shows English); a Plural-Forms that msgfmt --check refuses is
 * reported and the translations still load (the kiosk has no plural strings). *ip is set only on
 * success; release with i18n_free(). Runs at start-up, on one thread (libgettextpo's handlers are
 * process-wide). */
int i18n_load(struct i18n **ip, const char *locales_dir, char *err, size_t errlen);
void i18n_free(struct i18n *i);

/* The catalogs' problems, one line each: "FILE:LINE: what is wrong; what is accepted; what is
 * shown instead", in the order of the languages and, within a file, of the lines. Owned by i,
 * valid until i18n_free(). i18n_problem() is the first, or NULL when every catalog reads whole;
 * i18n_problem_at() NULL past the last. self-test and i18n-report show them. */
const char *i18n_problem(const struct i18n *i);
unsigned i18n_problem_count(const struct i18n *i);
const char *i18n_problem_at(const struct i18n *i, unsigned idx);

/* Called with each problem of a catalog, one line as i18n_problem_at() gives it. */
typedef void(i18n_problem_h)(const char *problem, void *arg);

/* Read the PO file at po_path as i18n_load() reads a language's catalog, and call fn with each of
 * its problems, in the order of their lines; *n is set to their number. Returns 0 (also when the
 * file has problems or cannot be read: that is a problem too) or ENOMEM. For the build's check of
 * every catalog (openline check-catalog, tools/check-po.sh). Not thread-safe, as i18n_load(). */
int i18n_check_catalog(const char *po_path, i18n_problem_h *fn, void *arg, unsigned *n);

unsigned i18n_count(const struct i18n *i);
const struct lang *i18n_at(const struct i18n *i, unsigned idx);
/* The language with this code, or NULL. */
const struct lang *i18n_find(const struct i18n *i, const char *code);
/* The language for a BCP 47 tag as people write it: RFC 4647 lookup against the table's codes,
 * ignoring case, first on the tag as written ("_" read as "-"), then on ICU's canonical form of it,
 * then on that form with ICU's likely subtags added, each shortened a subtag at a time until a code
 * matches: en-US finds en, pt-BR pt, zh and zh-CN zh-Hans (zh-Hans-CN), ZH-hans zh-Hans; zh-TW
 * (zh-Hant-TW) finds none without a zh-Hant. NULL when none matches, with "unknown language
 * 'TAG'; accepted: " and every code in err (err may be NULL). Every tag the kiosk accepts (the
 * command line's --lang, the configuration's language keys) goes through it. */
const struct lang *i18n_lookup(const struct i18n *i, const char *tag, char *err, size_t errlen);

/* The translation of msgid into lang, or msgid itself when lang is the source language or the
 * string is missing, empty or fuzzy in its catalog (English fallback). The result is valid until
 * i18n_free() (or as long as msgid, when msgid is returned). */
const char *i18n_get(const struct lang *lang, const char *msgid);

/* True when lang shows msgid in itself: lang is the source language or translates it. Text that
 * falls back to English is laid out as English (left-to-right, Latin line breaking). */
bool i18n_translated(const struct lang *lang, const char *msgid);

/* Counts for the coverage report: of the msgids in the template (locales/openline.pot),
 * how many lang translates, how many are fuzzy, how many are missing. */
struct i18n_coverage {
    unsigned total, translated, fuzzy, missing;
};
int i18n_coverage(const struct i18n *i, const struct lang *lang, const char *pot_path,
                  struct i18n_coverage *cov, char *err, size_t errlen);

/* Every msgid of the template at pot_path (locales/openline.pot), in its order, the header and
 * obsolete entries left out: the UI strings and the pages' sentences the kiosk can show (for
 * openline speech-script). Returns 0, or EINVAL with the template's first problem ("FILE:LINE:
 * ...") in err. Not thread-safe, as i18n_load(). */
int i18n_template_each(const char *pot_path, void (*fn)(const char *msgid, void *arg), void *arg,
                       char *err, size_t errlen);

/* Every msgid in lang's catalog and its translation, for tests: calls fn for each translated
 * (non-fuzzy, non-empty) entry. */
void i18n_each(const struct lang *lang,
               void (*fn)(const char *msgid, const char *msgstr, void *arg), void *arg);

#endif
