/* libFuzzer target: the page index (assets/content/pages.ini) with real pages beside it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz_content.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char a[] = "# Your rights\n\nEvery worker has rights.\n\n## Pay\n\n"
                            "- Call {hotline}.\n- Visit {web}.\n";
    static const char b[] = "# Fees\n\nNo fees for {organisation}.\n";
    (void)argc, (void)argv;
    fuzz_dir_write("rights.md", a, sizeof(a) - 1);
    fuzz_dir_write("fees.md", b, sizeof(b) - 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct content *c = fuzz_content_load("pages.ini", data, size);
    if (!c)
        return 0;
    for (size_t i = 0; i < content_count(c); i++) {
        const struct content_page *pg = content_at(c, i);
        if (content_find(c, pg->id) != pg)
            abort(); /* ids are unique */
    }
    content_free(c);
    return 0;
}
