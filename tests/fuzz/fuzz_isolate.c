/* libFuzzer target: left-to-right isolation of numbers and addresses (text_isolate_ltr).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <unicode/ustring.h>

#include "fuzz.h"
#include "openline/text.h"

/* Whether s is valid UTF-8 without LRI (U+2066) or PDI (U+2069) of its own. */
static int plain_utf8(const char *s)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, s, -1, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return 0;
    return !strstr(s, "\u2066") && !strstr(s, "\u2069");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_string(data, size);
    char *out = text_isolate_ltr(in);
    if (!out)
        abort();
    if (plain_utf8(in)) {
        /* Only LRI and PDI are added: without them the text is the input. */
        size_t k = 0;
        for (const char *p = out; *p;) {
            if (!strncmp(p, "\u2066", 3) || !strncmp(p, "\u2069", 3)) {
                p += 3;
                continue;
            }
            if (in[k] != *p)
                abort();
            k++;
            p++;
        }
        if (in[k])
            abort();
    }
    free(out);
    free(in);
    return 0;
}
