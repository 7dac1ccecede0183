/* libFuzzer target: read-aloud's text handling, the SSML for espeak-ng (speech_ssml) and the
 * sentences (speech_sentences).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz.h"
#include "openline/i18n.h"
#include "../../app/speech/speech.h"
#include "../../app/speech/speech_int.h"

/* Every markup in the SSML is one the module writes; everything else was escaped. */
static void check_ssml(const char *ssml)
{
    static const char *const tags[] = {"<speak>", "</speak>",
                                       "<say-as interpret-as=\"characters\">", "</say-as>",
                                       "<break time=\"250ms\"/>"};
    static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    unsigned open = 0;
    for (const char *p = ssml; *p;) {
        size_t k, n = 0;
        if (*p == '<') {
            for (k = 0; k < 5 && !n; k++)
                n = !strncmp(p, tags[k], strlen(tags[k])) ? strlen(tags[k]) : 0;
            if (!n)
                abort();
            if (!strncmp(p, tags[2], n))
                open++;
            else if (!strncmp(p, tags[3], n) && !open--)
                abort();
        } else if (*p == '&') {
            for (k = 0; k < 5 && !n; k++)
                n = !strncmp(p, entities[k], strlen(entities[k])) ? strlen(entities[k]) : 0;
            if (!n)
                abort();
        } else if (*p == '>') {
            abort();
        }
        p += n ? n : 1;
    }
    if (open)
        abort();
}

struct ranges {
    const char *text;
    size_t len, last_end;
};

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* In order, inside the text, not empty, not overlapping, no white space at either end. */
static void check_range(size_t start, size_t end, void *arg)
{
    struct ranges *r = arg;
    if (start >= end || end > r->len || start < r->last_end || blank(r->text[start]) ||
        blank(r->text[end - 1]))
        abort();
    r->last_end = end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_string(data, size);
    char *ssml = speech_ssml(in);
    if (!ssml)
        abort();
    check_ssml(ssml);
    free(ssml);
    static const char *const locales[] = {"en", "ar", "th", "zh_Hans", "my"};
    struct lang l = {0};
    snprintf(l.icu_locale, sizeof(l.icu_locale), "%s", locales[size % 5]);
    struct ranges r = {in, strlen(in), 0};
    speech_sentences(&l, in, check_range, &r);
    free(in);
    return 0;
}
