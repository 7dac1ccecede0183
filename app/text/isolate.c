/* Keep phone numbers, web and e-mail addresses left-to-right inside right-to-left text.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>

#include "openline/text.h"

/* The bidi algorithm reorders "1-888-373-7888" inside Arabic as "7888-373-888-1" (the hyphens
 * and digits are weak types); wrapping each match in LRI ... PDI makes it one left-to-right unit.
 * The order of alternatives matters: addresses before bare numbers. */
static const char isolate_pattern[] =
    "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"                 /* e-mail */
    "|(?:https?://|www\\.)[^\\s]+"                                    /* URL with scheme */
    "|[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?:/[^\\s]*)?" /* bare domain[/path] */
    "|\\+?\\(?[0-9][0-9()\\- ]*[0-9]";                                /* phone number */

char *text_isolate_ltr(const char *utf8)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar *text = NULL, *out = NULL;
    char *res = NULL;
    int32_t len = 0, out_len = 0;
    URegularExpression *re = NULL;

    u_strFromUTF8WithSub(NULL, 0, &len, utf8, -1, 0xFFFD, NULL, &st);
    st = U_ZERO_ERROR;
    text = malloc(sizeof(UChar) * (size_t)(len + 1));
    if (!text)
        goto out;
    u_strFromUTF8WithSub(text, len + 1, NULL, utf8, -1, 0xFFFD, NULL, &st);
    /* Each match adds two units; at most one match per two characters. */
    out = malloc(sizeof(UChar) * (size_t)(len * 2 + 2));
    if (!out || U_FAILURE(st))
        goto out;
    re = uregex_openC(isolate_pattern, 0, NULL, &st);
    if (U_FAILURE(st))
        goto out;
    uregex_setText(re, text, len, &st);
    int32_t pos = 0;
    while (uregex_findNext(re, &st) && U_SUCCESS(st)) {
        int32_t s = uregex_start(re, 0, &st), e = uregex_end(re, 0, &st);
        /* Sentence punctuation after an address is not part of it. */
        while (e > s && (text[e - 1] == '.' || text[e - 1] == ',' || text[e - 1] == ')' ||
                         text[e - 1] == ' ' || text[e - 1] == '-'))
            e--;
        if (e - s < 2) {
            continue;
        }
        memcpy(out + out_len, text + pos, sizeof(UChar) * (size_t)(s - pos));
        out_len += s - pos;
        out[out_len++] = 0x2066; /* LRI */
        memcpy(out + out_len, text + s, sizeof(UChar) * (size_t)(e - s));
        out_len += e - s;
        out[out_len++] = 0x2069; /* PDI */
        pos = e;
    }
    memcpy(out + out_len, text + pos, sizeof(UChar) * (size_t)(len - pos));
    out_len += len - pos;
    if (U_FAILURE(st))
        goto out;

    int32_t need = 0;
    u_strToUTF8WithSub(NULL, 0, &need, out, out_len, 0xFFFD, NULL, &st);
    st = U_ZERO_ERROR;
    res = malloc((size_t)need + 1);
    if (res) {
        u_strToUTF8WithSub(res, need + 1, NULL, out, out_len, 0xFFFD, NULL, &st);
        if (U_FAILURE(st)) {
            free(res);
            res = NULL;
        }
    }
out:
    if (re)
        uregex_close(re);
    free(text);
    free(out);
    return res ? res : strdup(utf8);
}
