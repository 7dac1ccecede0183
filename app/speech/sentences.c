/* Sentences (ICU's sentence break iterator) and clip names.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include "openline/i18n.h"
#include "speech.h"

/* [*start, *end) of text without white space (Unicode's, so U+3000 and NBSP too) at either end. */
static void trim(const char *text, size_t *start, size_t *end)
{
    const uint8_t *s = (const uint8_t *)text;
    while (*start < *end) {
        int32_t i = (int32_t)*start;
        UChar32 c;
        U8_NEXT(s, i, (int32_t)*end, c);
        if (c < 0 || !u_isUWhiteSpace(c))
            break;
        *start = (size_t)i;
    }
    while (*end > *start) {
        int32_t i = (int32_t)*end;
        UChar32 c;
        U8_PREV(s, (int32_t)*start, i, c);
        if (c < 0 || !u_isUWhiteSpace(c))
            break;
        *end = (size_t)i;
    }
}

unsigned speech_sentences(const struct lang *lang, const char *text,
                          void (*fn)(size_t start, size_t end, void *arg), void *arg)
{
    UErrorCode st = U_ZERO_ERROR;
    size_t len = strlen(text);
    unsigned count = 0;
    if (len > INT32_MAX)
        return 0;
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
    UBreakIterator *bi =
        ubrk_open(UBRK_SENTENCE, lang && lang->icu_locale[0] ? lang->icu_locale : "", NULL, 0, &st);
    if (U_FAILURE(st))
        goto out;
    ubrk_setUText(bi, ut, &st);
    if (U_FAILURE(st))
        goto out;
    /* UTF-8 UText: the iterator's indexes are byte offsets. */
    int32_t prev = ubrk_first(bi);
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE; prev = b, b = ubrk_next(bi)) {
        size_t start = (size_t)prev, end = (size_t)b;
        trim(text, &start, &end);
        if (start == end)
            continue;
        if (fn)
            fn(start, end, arg);
        count++;
    }
out:
    ubrk_close(bi);
    utext_close(ut);
    return count;
}

void speech_key(const char *msgid, unsigned idx, char *buf, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, 64 bits: offset basis and prime */
    for (const unsigned char *p = (const unsigned char *)msgid; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    snprintf(buf, len, "%016" PRIx64 "-%u", h, idx);
}
