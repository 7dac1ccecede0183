/* Unit tests for the catalogs: for every language and every string, the placeholders are kept and
 * every character is provided by a font the engine picks (no boxes); fallback to English.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "openline/content.h"
#include "openline/i18n.h"
#include "openline/text.h"
#include "openline/util.h"

#include "files.h"
#include "text_fixture.h"

/* The {placeholders} of s, sorted, in buf. */
static void placeholders(const char *s, char *buf, size_t len)
{
    const char *found[16];
    size_t lens[16], n = 0;
    for (const char *p = strchr(s, '{'); p && n < 16; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e)
            break;
        found[n] = p;
        lens[n++] = (size_t)(e - p + 1);
    }
    for (size_t i = 1; i < n; i++) { /* insertion sort: a handful at most */
        for (size_t k = i; k > 0 && strncmp(found[k - 1], found[k], 16) > 0; k--) {
            const char *t = found[k];
            found[k] = found[k - 1];
            found[k - 1] = t;
            size_t tl = lens[k];
            lens[k] = lens[k - 1];
            lens[k - 1] = tl;
        }
    }
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strncat(buf, found[i], lens[i] < len - strlen(buf) - 1 ? lens[i] : 0);
}

struct walk {
    const struct lang *lang;
    unsigned strings, bad;
};

static void check_one(const char *msgid, const char *msgstr, void *arg)
{
    struct walk *w = arg;
    char a[256], b[256];
    w->strings++;
    placeholders(msgid, a, sizeof(a));
    placeholders(msgstr, b, sizeof(b));
    if (strcmp(a, b)) {
        fprintf(stderr, "%s: placeholders differ: '%s' has %s, translation has %s\n", w->lang->code,
                msgid, a, b);
        w->bad++;
    }
    struct content_vars v = TEST_CONTENT_VARS;
    char *text = content_expand(msgstr, &v);
    if (!text)
        return;
    struct text_style st = {w->lang, 28, false, 900, TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(eng, text, &st);
    if (!l || l->missing || l->overflow) {
        fprintf(stderr, "%s: %s: '%s'\n", w->lang->code,
                !l           ? "no layout"
                : l->missing ? "characters without a font"
                             : "overflows 900 px",
                text);
        w->bad++;
    }
    free(text);
}

static void test_catalogs(void **state)
{
    (void)state;
    unsigned total = 0, bad = 0, with_catalog = 0;
    for (unsigned i = 0; i < i18n_count(langs); i++) {
        struct walk w = {.lang = i18n_at(langs, i)};
        i18n_each(w.lang, check_one, &w);
        total += w.strings;
        bad += w.bad;
        with_catalog += w.strings > 0;
        text_engine_next_frame(eng);
    }
    printf("checked %u translated strings in %u catalogs\n", total, with_catalog);
    assert_int_equal(bad, 0);
    assert_null(i18n_problem(langs));
}

/* Every endonym renders in its own script without boxes. */
static void test_endonyms(void **state)
{
    (void)state;
    for (unsigned i = 0; i < i18n_count(langs); i++) {
        const struct lang *l = i18n_at(langs, i);
        struct text_style st = {l, 28, true, 0, TEXT_ALIGN_START, false};
        const struct text_layout *lay = text_layout_get(eng, l->endonym, &st);
        assert_non_null(lay);
        if (lay->missing)
            fail_msg("%s: endonym %s has characters without a font", l->code, l->endonym);
    }
}

/* Tags as people write them find the table's codes (RFC 4647 lookup); others are refused with
 * the accepted codes named. */
static void test_lookup(void **state)
{
    (void)state;
    static const struct {
        const char *tag, *code;
    } found[] = {
        {"zh", "zh-Hans"},      {"zh-CN", "zh-Hans"}, {"zh-Hans", "zh-Hans"},
        {"ZH-hans", "zh-Hans"}, {"zh-SG", "zh-Hans"}, {"zh-Hans-CN", "zh-Hans"},
        {"pt-BR", "pt"},        {"pt_BR", "pt"},      {"en-US", "en"},
        {"EN", "en"},           {"ar-EG", "ar"},      {"my-MM", "my"},
        {"am", "am"},           {"fa-IR", "fa"},      {"en-x-kiosk", "en"},
    };
    char err[1024];
    for (size_t k = 0; k < ARRAY_SIZE(found); k++) {
        const struct lang *l = i18n_lookup(langs, found[k].tag, err, sizeof(err));
        if (!l || strcmp(l->code, found[k].code))
            fail_msg("%s: wanted %s, found %s", found[k].tag, found[k].code, l ? l->code : "none");
    }
    /* Traditional Chinese is not Simplified; no language, no tag, or another language's region */
    static const char *const refused[] = {"zh-TW", "zh-Hant", "de", "english", "", "x-en", "-en"};
    for (size_t k = 0; k < ARRAY_SIZE(refused); k++) {
        err[0] = '\0';
        const struct lang *l = i18n_lookup(langs, refused[k], err, sizeof(err));
        if (l)
            fail_msg("'%s' found %s", refused[k], l->code);
        char want[64];
        snprintf(want, sizeof(want), "unknown language '%s'; accepted: en, ", refused[k]);
        if (!strstr(err, want) || !strstr(err, "zh-Hans") || !strstr(err, "am"))
            fail_msg("'%s': the message does not name the accepted codes: %s", refused[k], err);
    }
    assert_null(i18n_lookup(langs, "de", NULL, 0));
}

static void test_fallback(void **state)
{
    (void)state;
    const struct lang *en = i18n_find(langs, "en");
    assert_non_null(en);
    assert_string_equal(i18n_get(en, "Back"), "Back");
    assert_true(i18n_translated(en, "Anything at all"));
    for (unsigned i = 0; i < i18n_count(langs); i++) {
        const struct lang *l = i18n_at(langs, i);
        const char *id = "A string that no catalog has";
        assert_ptr_equal(i18n_get(l, id), id);
        if (strcmp(l->code, "en"))
            assert_false(i18n_translated(l, id));
    }
}

/* Write text to DIR/languages.ini and load it; returns i18n_load's result, the message in err. */
static int load_languages(const char *text, char *err, size_t errlen)
{
    char dir[64], path[128];
    struct i18n *i = NULL;
    snprintf(dir, sizeof(dir), "/tmp/openline-langs-XXXXXX");
    assert_non_null(mkdtemp(dir));
    write_in(dir, "languages.ini", text);
    int rc = i18n_load(&i, dir, err, errlen);
    if (!rc)
        assert_string_equal(i18n_find(i, "en")->endonym, "English");
    i18n_free(i);
    snprintf(path, sizeof(path), "%s/languages.ini", dir);
    unlink(path);
    rmdir(dir);
    return rc;
}

/* languages.ini: lines longer than libinih's 200-byte buffer are read whole (a long comment
 * stays a comment) and the lines after them keep their numbers; errors about a section name its
 * header's line. */
static void test_languages_ini(void **state)
{
    char err[512], text[1024], comment[301];
    (void)state;
    memset(comment, '-', 300);
    comment[0] = ';';
    comment[300] = '\0';
    snprintf(text, sizeof(text), "%s\n[en]\nendonym = English\nscript = Latn\n", comment);
    if (load_languages(text, err, sizeof(err)))
        fail_msg("%s", err);
    snprintf(text, sizeof(text), "%s\n[en]\nendonym = English\nscript = Latn\ndirection = up\n",
             comment);
    assert_int_equal(load_languages(text, err, sizeof(err)), EINVAL);
    if (!strstr(err, "languages.ini:5: [en] direction: must be ltr or rtl"))
        fail_msg("%s", err);
    assert_int_equal(load_languages("[en]\nendonym = English\nscript = Latn\n\n"
                                    "[xx-a-very-long-language-code]\nendonym = X\n",
                                    err, sizeof(err)),
                     EINVAL);
    if (!strstr(err, "languages.ini:5: [xx-a-very-long-language-code]: language code too long"))
        fail_msg("%s", err);
    assert_int_equal(
        load_languages("[en]\nendonym = English\nscript = Latn\n\n[fr]\nname = French\n", err,
                       sizeof(err)),
        EINVAL);
    if (!strstr(err, "languages.ini:5: [fr] needs at least endonym and script"))
        fail_msg("%s", err);
    /* voice: letters, digits and '-' (it goes to espeak-ng as it is), at most 31 bytes */
    static const char *const bad_voices[] = {"en gb", "../en", "en_GB",
                                             "a-voice-name-far-too-long-for-espeak"};
    for (size_t k = 0; k < sizeof(bad_voices) / sizeof(bad_voices[0]); k++) {
        snprintf(text, sizeof(text), "[en]\nendonym = English\nscript = Latn\nvoice = %s\n",
                 bad_voices[k]);
        assert_int_equal(load_languages(text, err, sizeof(err)), EINVAL);
        if (!strstr(err, "languages.ini:4: [en] voice: must be an espeak-ng voice name"))
            fail_msg("%s: %s", bad_voices[k], err);
    }
    /* and the shipped table names one for 22 of its 25 languages */
    struct i18n *i;
    assert_int_equal(i18n_load(&i, "locales", err, sizeof(err)), 0);
    unsigned voiced = 0;
    for (unsigned k = 0; k < i18n_count(i); k++)
        voiced += i18n_at(i, k)->voice[0] != '\0';
    assert_int_equal(voiced, 22);
    assert_string_equal(i18n_find(i, "zh-Hans")->voice, "cmn");
    assert_string_equal(i18n_find(i, "km")->voice, "");
    i18n_free(i);
}

/* ---- broken catalogs: each problem named with its file and line, English for that string alone */

/* A catalog's header: line 1 msgid "", 2 msgstr "", 3 Content-Type, 4 Plural-Forms, 5 blank; its
 * first entry's msgid is on line 6 and its msgstr on line 7 (the line msgfmt names). */
#define PO_HEAD(charset, plural)                                                                   \
    "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=" charset "\\n\"\n"              \
    "\"Plural-Forms: " plural "\\n\"\n\n"
#define PO_PLURAL_OK "nplurals=2; plural=(n != 1);"
#define PO_UTF8      PO_HEAD("UTF-8", PO_PLURAL_OK)
/* The entry under test in most: "Back", translated in UTF-8. */
#define PO_BACK "msgid \"Back\"\nmsgstr \"Atr\xc3\xa1s\"\n"
/* Two good entries after the one under test: they must load whatever it holds. */
#define PO_GOOD "\nmsgid \"Home\"\nmsgstr \"Inicio\"\n\nmsgid \"Exit\"\nmsgstr \"Salir\"\n"

static char catalog_dir[64];
static struct i18n *catalog_langs;

/* Write languages.ini ([en] and [xx]) and po as xx.po into a new temporary folder and load it;
 * a broken catalog never fails the load. catalog_teardown() releases both. */
static struct i18n *load_catalog(const char *po)
{
    static const char ini[] = "[en]\nendonym = English\nscript = Latn\n\n"
                              "[xx]\nendonym = Xx\nscript = Latn\n";
    char err[512];
    i18n_free(catalog_langs);
    catalog_langs = NULL;
    if (!catalog_dir[0]) {
        snprintf(catalog_dir, sizeof(catalog_dir), "/tmp/openline-po-XXXXXX");
        assert_non_null(mkdtemp(catalog_dir));
        write_in(catalog_dir, "languages.ini", ini);
    }
    write_in(catalog_dir, "xx.po", po);
    if (i18n_load(&catalog_langs, catalog_dir, err, sizeof(err)))
        fail_msg("a broken catalog failed the load: %s", err);
    return catalog_langs;
}

static int catalog_teardown(void **state)
{
    char path[128];
    (void)state;
    i18n_free(catalog_langs);
    catalog_langs = NULL;
    if (catalog_dir[0]) {
        snprintf(path, sizeof(path), "%s/languages.ini", catalog_dir);
        unlink(path);
        snprintf(path, sizeof(path), "%s/xx.po", catalog_dir);
        unlink(path);
        rmdir(catalog_dir);
        catalog_dir[0] = '\0';
    }
    return 0;
}

/* The first problem names xx.po, the line (":LINE:") and contains what. */
static void expect_problem(const struct i18n *i, const char *line, const char *what)
{
    const char *p = i18n_problem(i);
    char where[32];
    snprintf(where, sizeof(where), "/xx.po%s", line);
    if (!p || !strstr(p, where) || !strstr(p, what))
        fail_msg("expected a problem at xx.po%s about '%s'; got: %s", line, what, p ? p : "none");
}

/* msgid shows in English (the very pointer: nothing of the catalog is shown for it). */
static void expect_english(const struct lang *xx, const char *msgid)
{
    if (i18n_get(xx, msgid) != msgid)
        fail_msg("'%s' shows '%s', not English", msgid, i18n_get(xx, msgid));
    assert_false(i18n_translated(xx, msgid));
}

/* Load po as xx.po (load_catalog()) and expect its first problem at line about what. Returns the
 * language xx, valid until the next load. */
static const struct lang *load_with_problem(const char *po, const char *line, const char *what)
{
    struct i18n *i = load_catalog(po);
    expect_problem(i, line, what);
    return i18n_find(i, "xx");
}

static void expect_rest_loads(const struct lang *xx)
{
    assert_string_equal(i18n_get(xx, "Home"), "Inicio");
    assert_string_equal(i18n_get(xx, "Exit"), "Salir");
}

/* Saved as ISO-8859-1 and saying so: refused at its Content-Type line, never shown as "Atr?s". */
static void test_catalog_latin1(void **state)
{
    (void)state;
    static const char po[] =
        PO_HEAD("ISO-8859-1", PO_PLURAL_OK) "msgid \"Back\"\nmsgstr \"Atr\xe1s\"\n" PO_GOOD;
    const struct lang *xx = load_with_problem(po, ":3:", "charset=ISO-8859-1");
    expect_english(xx, "Back");
    expect_english(xx, "Home");
    expect_problem(catalog_langs, ":3:", "UTF-8");
}

/* No header at all (so no charset): refused, naming line 1. */
static void test_catalog_no_header(void **state)
{
    (void)state;
    const struct lang *xx =
        load_with_problem("msgid \"Back\"\nmsgstr \"Atr\xe1s\"\n" PO_GOOD, ":1:", "header");
    expect_english(xx, "Back");
    expect_english(xx, "Home");
}

/* A header without a charset: refused, naming the header's line. */
static void test_catalog_no_charset(void **state)
{
    (void)state;
    const struct lang *xx = load_with_problem(
        "msgid \"\"\nmsgstr \"\"\n\"Language: xx\\n\"\n\n" PO_BACK PO_GOOD, ":2:", "charset");
    expect_english(xx, "Home");
}

/* Declared UTF-8, one translation in ISO-8859-1: that entry alone is left out. */
static void test_catalog_bad_utf8_entry(void **state)
{
    (void)state;
    static const char po[] = PO_UTF8 "msgid \"Back\"\nmsgstr \"Atr\xe1s\"\n" PO_GOOD;
    const struct lang *xx = load_with_problem(po, ":7:", "not valid UTF-8");
    expect_english(xx, "Back");
    expect_rest_loads(xx);
}

/* A broken Plural-Forms expression and nplurals=0, which msgfmt --check refuses: reported at the
 * Plural-Forms line; the kiosk has no plural strings, so the translations still load. */
static void test_catalog_plural_forms(void **state)
{
    (void)state;
    static const char broken[] = PO_HEAD("UTF-8", "nplurals=2; plural=(n != ;") PO_BACK PO_GOOD;
    static const char zero[] = PO_HEAD("UTF-8", "nplurals=0; plural=0;") PO_BACK PO_GOOD;
    const struct lang *xx = load_with_problem(broken, ":4:", "invalid plural expression");
    assert_string_equal(i18n_get(xx, "Back"), "Atr\xc3\xa1s");
    expect_rest_loads(xx);

    xx = load_with_problem(zero, ":4:", "nplurals = 0");
    expect_rest_loads(xx);
}

/* A placeholder the English does not have (and the English one lost): English for that string. */
static void test_catalog_placeholder(void **state)
{
    (void)state;
    static const char po[] =
        PO_UTF8 "msgid \"Call {hotline} now.\"\nmsgstr \"Llame al {web}.\"\n" PO_GOOD;
    const struct lang *xx = load_with_problem(po, ":7:", "{web}");
    expect_english(xx, "Call {hotline} now.");
    expect_rest_loads(xx);
}

/* **bold** markers as in the English, or English for that string: one lost, or an odd one. */
static void test_catalog_bold_markers(void **state)
{
    (void)state;
    static const char lost[] = PO_UTF8 "msgid \"It is **free**.\"\nmsgstr \"Es gratis.\"\n" PO_GOOD;
    static const char odd[] =
        PO_UTF8 "msgid \"It is **free**.\"\nmsgstr \"Es **gratis.\"\n" PO_GOOD;
    static const char kept[] =
        PO_UTF8 "msgid \"It is **free**.\"\nmsgstr \"Es **gratis**.\"\n" PO_GOOD;
    const struct lang *xx = load_with_problem(lost, ":7:", "0 '**' bold markers");
    expect_english(xx, "It is **free**.");
    expect_rest_loads(xx);
    xx = load_with_problem(odd, ":7:", "1 '**' bold markers, the English string 2");
    expect_english(xx, "It is **free**.");
    expect_rest_loads(xx);
    struct i18n *i = load_catalog(kept);
    assert_null(i18n_problem(i));
    assert_string_equal(i18n_get(i18n_find(i, "xx"), "It is **free**."), "Es **gratis**.");
}

/* What libgettextpo and msgfmt --check refuse in one entry costs that entry only: a second
 * definition of a msgid (the first is kept), a msgid ending in a newline its msgstr lacks. */
static void test_catalog_bad_entries(void **state)
{
    (void)state;
    static const char twice[] = PO_UTF8 PO_BACK "\nmsgid \"Back\"\nmsgstr \"Otro\"\n" PO_GOOD;
    static const char newline[] = PO_UTF8 "msgid \"Back\\n\"\nmsgstr \"Atras\"\n" PO_GOOD;
    const struct lang *xx = load_with_problem(twice, ":9:", "duplicate");
    assert_string_equal(i18n_get(xx, "Back"), "Atr\xc3\xa1s");
    expect_rest_loads(xx);

    xx = load_with_problem(newline, ":7:", "\\n");
    expect_english(xx, "Back\n");
    expect_rest_loads(xx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogs),
        cmocka_unit_test(test_endonyms),
        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_languages_ini),
        cmocka_unit_test_teardown(test_catalog_latin1, catalog_teardown),
        cmocka_unit_test_teardown(test_catalog_no_header, catalog_teardown),
        cmocka_unit_test_teardown(test_catalog_no_charset, catalog_teardown),
        cmocka_unit_test_teardown(test_catalog_bad_utf8_entry, catalog_teardown),
        cmocka_unit_test_teardown(test_catalog_plural_forms, catalog_teardown),
        cmocka_unit_test_teardown(test_catalog_placeholder, catalog_teardown),
        cmocka_unit_test_teardown(test_catalog_bold_markers, catalog_teardown),
        cmocka_unit_test_teardown(test_catalog_bad_entries, catalog_teardown),
    };
    return cmocka_run_group_tests(tests, text_fixture_setup, text_fixture_teardown);
}
