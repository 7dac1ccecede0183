/* libFuzzer target: a translation catalog (locales/<code>.po through i18n_load) and the
 * coverage count against a template (i18n_coverage, with the same file as the template).
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* libgettextpo 0.21 leaks inside po_file_read(): a string per file in lex_start (with a header),
 * each msgctxt in po_gram_parse, and on some broken inputs string_list_append's arrays (32, 96,
 * 224 bytes); its plural checks (po_file_check_all) keep the parsed Plural-Forms expression and
 * their arrays. Without frame pointers in the library the fast unwinder stops at its xmalloc,
 * xrealloc, xcalloc and the expression parser's malloc, so what libgettextpo allocates is left
 * out of the leak check, as in tests/lsan.supp (the slow unwinder would tell them apart at 1/27
 * of the speed); ours are still checked. */
#define FUZZ_LSAN_SUPPRESSIONS                                                                     \
    "leak:libgettextpo_xmalloc\nleak:libgettextpo_xrealloc\nleak:libgettextpo_xcalloc\n"           \
    "leak:libgettextpo_parse_plural_expression\n"
#include "fuzz.h"
#include "openline/i18n.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char ini[] = "[en]\nendonym = English\nscript = Latn\ndirection = ltr\n\n"
                              "[xx]\nendonym = Xx\nscript = Arab\ndirection = rtl\n";
    (void)argc, (void)argv;
    fuzz_dir_write("languages.ini", ini, sizeof(ini) - 1);
    return 0;
}

static void each(const char *msgid, const char *msgstr, void *arg)
{
    size_t *n = arg;
    if (!msgid || !msgstr)
        abort();
    *n += strlen(msgid) + strlen(msgstr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct i18n *i = NULL;
    char err[512] = "", pot[256];

    fuzz_dir_write("xx.po", data, size);
    if (i18n_load(&i, fuzz_dir_get(), err, sizeof(err)))
        abort(); /* the table is valid: a broken catalog must not fail the load */
    const struct lang *xx = i18n_find(i, "xx");
    size_t n = 0;
    i18n_each(xx, each, &n);
    (void)i18n_get(xx, "Back");
    (void)i18n_get(xx, "");
    struct i18n_coverage cov;
    snprintf(pot, sizeof(pot), "%s/xx.po", fuzz_dir_get());
    if (!i18n_coverage(i, xx, pot, &cov, err, sizeof(err)) &&
        cov.translated + cov.missing + cov.fuzzy > cov.total + cov.fuzzy)
        abort();
    i18n_free(i);
    return 0;
}
