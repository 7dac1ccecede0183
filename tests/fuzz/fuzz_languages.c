/* libFuzzer target: the languages table (locales/languages.ini, i18n_load), with a catalog for
 * the codes "xx" and "ar" beside it.
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
    static const char po[] = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
                             "msgid \"Back\"\nmsgstr \"Retour\"\n";
    (void)argc, (void)argv;
    fuzz_dir_write("xx.po", po, sizeof(po) - 1);
    fuzz_dir_write("ar.po", po, sizeof(po) - 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct i18n *i = NULL;
    char err[512] = "";

    fuzz_dir_write("languages.ini", data, size);
    int rc = i18n_load(&i, fuzz_dir_get(), err, sizeof(err));
    if (rc && !err[0])
        abort();
    if (rc)
        return 0;
    for (unsigned k = 0; k < i18n_count(i); k++) {
        const struct lang *l = i18n_at(i, k);
        if (i18n_find(i, l->code) != l || strlen(l->script) > 4)
            abort();
        (void)i18n_get(l, "Back");
        (void)i18n_translated(l, "Back");
    }
    (void)i18n_problem(i);
    i18n_free(i);
    return 0;
}
