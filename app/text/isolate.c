/* Keep phone numbers, web and e-mail addresses left-to-right inside right-to-left text.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>

#include "openline/text.h"
#include "text_int.h"

/* The bidi algorithm reorders "1-888-373-7888" inside Arabic as "7888-373-888-1" (the hyphens
 * and digits are weak types); wrapping each match in LRI ... PDI makes it one left-to-right unit.
 * The order of alternatives matters: addresses before bare numbers. */
static const char isolate_pattern[] =
    "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"                 /* e-mail */
    "|(?:https?://|www\\.)[^\\s]+"                                    /* URL with scheme */
    "|[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?:/[^\\s]*)?" /* bare domain[/path] */
    "|\\+?\\(?[0-9][0-9()\\- ]*[0-9]";                                /* phone number */

/* The compiled pattern, kept for the life of the process (text runs on the UI thread only). */
static URegularExpression *isolate_re(void)
{
    static URegularExpression *re;
    UErrorCode st = U_ZERO_ERROR;
    if (!re) {
        re = uregex_openC(isolate_pattern, 0, NULL, &st);
        if (U_FAILURE(st))
            re = NULL;
    }
    return re;
}

int text_ltr_spans(const UChar *text, int32_t len, int32_t *spans, int max)
{
    UErrorCode st = U_ZERO_ERROR;
    URegularExpression *re = isolate_re();
    int n = 0;
    if (!re)
        return 0;
    uregex_setText(re, text, len, &st);
    while (n < max && uregex_findNext(re, &st) && U_SUCCESS(st)) {
        int32_t s = uregex_start(re, 0, &st), e = uregex_end(re, 0, &st);
        /* Sentence punctuation after an address is not part of it. */
        while (e > s && (text[e - 1] == '.' || text[e - 1] == ',' || text[e - 1] == ')' ||
                         text[e - 1] == ' ' || text[e - 1] == '-'))
            e--;
        if (e - s < 2)
            continue;
        spans[2 * n] = s;
        spans[2 * n + 1] = e;
        n++;
    }
    uregex_setText(re, NULL, 0, &st); /* do not keep a pointer to the caller's text */
    return n;
}

char *text_isolate_ltr(const char *utf8)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar *text = NULL, *out = NULL;
    int32_t *spans = NULL;
    char *res = NULL;
    int32_t len = 0, out_len = 0;

    u_strFromUTF8WithSub(NULL, 0, &len, utf8, -1, 0xFFFD, NULL, &st);
    st = U_ZERO_ERROR;
    text = malloc(sizeof(UChar) * (size_t)(len + 1));
    /* Each span adds two units and is at least two units long. */
    out = malloc(sizeof(UChar) * (size_t)(len * 2 + 2));
    spans = malloc(sizeof(int32_t) * (size_t)(len + 2));
    if (!text || !out || !spans)
        goto out;
    u_strFromUTF8WithSub(text, len + 1, NULL, utf8, -1, 0xFFFD, NULL, &st);
    if (U_FAILURE(st))
        goto out;
    int n = text_ltr_spans(text, len, spans, len / 2 + 1);
    int32_t pos = 0;
    for (int i = 0; i < n; i++) {
        int32_t s = spans[2 * i], e = spans[2 * i + 1];
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
    free(text);
    free(out);
    free(spans);
    return res ? res : strdup(utf8);
}
