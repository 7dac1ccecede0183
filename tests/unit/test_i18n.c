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
    struct content_vars v = {"Example Helpline", "+1 555 0100", "+1 555 0101", "help.example.org"};
    char *text = content_expand(msgstr, &v);
    if (!text)
        return;
    struct text_style st = {w->lang, 28, false, 900, TEXT_ALIGN_START};
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
        struct text_style st = {l, 28, true, 0, TEXT_ALIGN_START};
        const struct text_layout *lay = text_layout_get(eng, l->endonym, &st);
        assert_non_null(lay);
        if (lay->missing)
            fail_msg("%s: endonym %s has characters without a font", l->code, l->endonym);
    }
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
    snprintf(path, sizeof(path), "%s/languages.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    int rc = i18n_load(&i, dir, err, errlen);
    if (!rc)
        assert_string_equal(i18n_find(i, "en")->endonym, "English");
    i18n_free(i);
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
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogs),
        cmocka_unit_test(test_endonyms),
        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_languages_ini),
    };
    return cmocka_run_group_tests(tests, text_fixture_setup, text_fixture_teardown);
}
