/* Keep phone numbers, web and e-mail addresses left-to-right inside right-to-left text.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <regex.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/ustring.h>

#include "openline/text.h"
#include "text_int.h"

/* The bidi algorithm reorders "1-888-373-7888" inside Arabic as "7888-373-888-1" (the hyphens
 * and digits are weak types); wrapping each match in LRI ... PDI makes it one left-to-right unit.
 * POSIX extended regular expressions from the C library, on the UTF-8 form of the text (the
 * patterns are ASCII; other bytes are ordinary characters to them), leftmost-longest. */
static const char isolate_pattern[] =
    "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"                   /* e-mail */
    "|(https?://|www\\.)[^[:space:]]+"                                  /* URL with scheme */
    "|[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(/[^[:space:]]*)?" /* bare domain[/path] */
    "|\\+?\\(?[0-9][0-9() -]*[0-9]";                                    /* phone number */

/* The compiled pattern, kept for the life of the process (text runs on the UI thread only). */
static const regex_t *isolate_re(void)
{
    static regex_t re;
    static int state; /* 0: not compiled, 1: ready, -1: failed */
    if (!state)
        state = regcomp(&re, isolate_pattern, REG_EXTENDED) ? -1 : 1;
    return state > 0 ? &re : NULL;
}

int text_ltr_spans(const UChar *text, int32_t len, int32_t *spans, int max)
{
    const regex_t *re = isolate_re();
    UErrorCode st = U_ZERO_ERROR;
    int n = 0;
    if (!re || len <= 0)
        return 0;
    /* UTF-8 for the matcher, and for every byte the UTF-16 offset it came from. */
    size_t cap = (size_t)len * 3 + 1;
    char *u8 = malloc(cap);
    int32_t *at = malloc(sizeof(*at) * (cap + 1));
    if (!u8 || !at)
        goto out;
    size_t nb = 0;
    for (int32_t i = 0; i < len;) {
        int32_t s = i;
        UChar32 c;
        U16_NEXT(text, i, len, c);
        char buf[4];
        int32_t k = 0;
        UBool err = false;
        U8_APPEND((uint8_t *)buf, k, 4, c, err);
        if (err)
            buf[(k = 1) - 1] = '?';
        for (int32_t b = 0; b < k; b++) {
            at[nb] = s;
            u8[nb++] = buf[b] ? buf[b] : ' '; /* a NUL would end the matcher's string */
        }
    }
    u8[nb] = '\0';
    at[nb] = len;
    regmatch_t m;
    size_t off = 0;
    while (n < max && off < nb && !regexec(re, u8 + off, 1, &m, off ? REG_NOTBOL : 0)) {
        size_t bs = off + (size_t)m.rm_so, be = off + (size_t)m.rm_eo;
        off = be > bs ? be : bs + 1;
        int32_t s = at[bs], e = at[be];
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
out:
    (void)st;
    free(u8);
    free(at);
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
