/* libFuzzer target: a content page in the CommonMark subset (content_load on one page), its
 * placeholders (content_expand) and its POT output (content_write_pot).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz_content.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char ini[] = "[p]\nfile = p.md\nicon = p.svg\ntile = yes\n";
    (void)argc, (void)argv;
    fuzz_dir_write("pages.ini", ini, sizeof(ini) - 1);
    devnull = fopen("/dev/null", "w");
    return devnull ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct content_vars full = {"Org",         "+1 555 0100", "+1 555 0101",
                                             "example.org", "Tagalog",     "112"};
    static const struct content_vars none = {NULL, NULL, "", NULL, NULL, NULL};
    struct content *c = fuzz_content_load("p.md", data, size);
    if (!c)
        return 0;
    for (size_t i = 0; i < content_count(c); i++) {
        const struct content_page *pg = content_at(c, i);
        for (size_t k = 0; k < pg->n_blocks; k++) {
            free(content_expand(pg->blocks[k].text, &full));
            free(content_expand(pg->blocks[k].text, &none));
        }
        free(content_expand(pg->title, &full));
    }
    content_write_pot(c, devnull);
    content_free(c);
    return 0;
}
