/* libFuzzer target: the script -> font table (assets/fonts.ini, text_engine_alloc).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz.h"
#include "openline/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct text_engine *e = NULL;
    char err[512] = "";
    int rc = text_engine_alloc(&e, fuzz_memfd_path(data, size), err, sizeof(err));
    if (rc && !err[0])
        abort();
    if (!rc)
        text_engine_free(e);
    return 0;
}
