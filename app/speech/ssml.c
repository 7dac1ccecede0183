/* Text to SSML for espeak-ng: numbers spoken digit by digit, addresses spelt where needed.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "openline/util.h"
#include "speech_int.h"

/* Read as a number, "+44 20 7946 0000" becomes "forty-four, twenty, seven thousand nine hundred
 * and forty-six, zero": no use to someone who must dial it. A run of digits, spaces, '+', '-'
 * and parentheses with at least PHONE_MIN_DIGITS digits is spelt digit by digit, a pause between
 * its groups as written. Addresses are the patterns app/text/isolate.c keeps left-to-right; a
 * voice reads "org" as a word and "www" as a mumble, so their short or vowel-less parts and their
 * punctuation ("dot", "slash", "at") are spelt with SSML's say-as characters, which espeak-ng
 * says in the voice's language. POSIX ERE on the UTF-8 text, leftmost-longest. */
static const char ssml_pattern[] =
    "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"                   /* e-mail */
    "|(https?://|www\\.)[^[:space:]]*[^[:space:].,;:!?)]"               /* URL with scheme */
    "|[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(/[^[:space:]]*)?" /* bare domain[/path] */
    "|\\+?\\(?[0-9][0-9() -]*[0-9]";                                    /* phone number */

#define PHONE_MIN_DIGITS  5
#define PHONE_GROUP_PAUSE "<break time=\"250ms\"/>"
#define SPELL_OPEN        "<say-as interpret-as=\"characters\">"
#define SPELL_CLOSE       "</say-as>"

struct sbuf {
    char *p;
    size_t n, cap;
    bool oom;
};

static void put_n(struct sbuf *b, const char *s, size_t n)
{
    char *p = util_grow(b->p, &b->cap, b->n + n + 1, 1, 256);
    if (!p) {
        b->oom = true;
        return;
    }
    b->p = p;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void put(struct sbuf *b, const char *s)
{
    put_n(b, s, strlen(s));
}

/* Text as SSML character data: the five XML specials as entities. */
static void put_escaped(struct sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&':
            put(b, "&amp;");
            break;
        case '<':
            put(b, "&lt;");
            break;
        case '>':
            put(b, "&gt;");
            break;
        case '"':
            put(b, "&quot;");
            break;
        case '\'':
            put(b, "&apos;");
            break;
        default:
            put_n(b, s + i, 1);
        }
    }
}

static void put_spelt(struct sbuf *b, const char *s, size_t n)
{
    put(b, " " SPELL_OPEN);
    put_escaped(b, s, n);
    put(b, SPELL_CLOSE " ");
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static size_t count_digits(const char *s, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        d += is_digit(s[i]);
    return d;
}

/* Each group of the number ('+' kept with its digits) spelt, a pause between them. */
static void put_phone(struct sbuf *b, const char *s, size_t n)
{
    size_t i = 0;
    bool first = true;
    while (i < n) {
        while (i < n && !is_digit(s[i]) && s[i] != '+')
            i++;
        size_t start = i;
        while (i < n && (is_digit(s[i]) || s[i] == '+'))
            i++;
        if (i == start)
            break;
        if (!first)
            put(b, PHONE_GROUP_PAUSE);
        put_spelt(b, s + start, i - start);
        first = false;
    }
}

/* A word a voice reads well: four letters or more, with a vowel. */
static bool readable_word(const char *s, size_t n)
{
    if (n < 4)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (strchr("aeiouyAEIOUY", s[i]))
            return true;
    }
    return false;
}

/* An address: the scheme left out (nobody types it), words read, the rest spelt. */
static void put_address(struct sbuf *b, const char *s, size_t n)
{
    static const char *const schemes[] = {"https://", "http://"};
    for (size_t k = 0; k < ARRAY_SIZE(schemes); k++) {
        size_t len = strlen(schemes[k]);
        if (n > len && !strncmp(s, schemes[k], len)) {
            s += len;
            n -= len;
        }
    }
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        if (is_letter(s[i])) {
            while (i < n && is_letter(s[i]))
                i++;
            if (readable_word(s + start, i - start)) {
                put(b, " ");
                put_escaped(b, s + start, i - start);
                put(b, " ");
                continue;
            }
        } else if (is_digit(s[i])) {
            while (i < n && is_digit(s[i]))
                i++;
        } else {
            i++;
        }
        put_spelt(b, s + start, i - start);
    }
}

static const regex_t *ssml_re(regex_t *re)
{
    return regcomp(re, ssml_pattern, REG_EXTENDED) ? NULL : re;
}

char *speech_ssml(const char *text)
{
    struct sbuf b = {0};
    regex_t store;
    const regex_t *re = ssml_re(&store);
    put(&b, "<speak>");
    const char *s = text;
    regmatch_t m;
    while (re && *s && !regexec(re, s, 1, &m, s == text ? 0 : REG_NOTBOL)) {
        size_t len = (size_t)(m.rm_eo - m.rm_so);
        put_escaped(&b, s, (size_t)m.rm_so);
        const char *hit = s + m.rm_so;
        if (len == 0) {
            put_n(&b, s + m.rm_so, 1); /* an empty match cannot happen; never loop on one */
            s += m.rm_so + 1;
            continue;
        }
        bool address = false;
        for (size_t i = 0; i < len; i++)
            address |= is_letter(hit[i]) || hit[i] == '@';
        if (address)
            put_address(&b, hit, len);
        else if (count_digits(hit, len) >= PHONE_MIN_DIGITS)
            put_phone(&b, hit, len);
        else
            put_escaped(&b, hit, len);
        s = hit + len;
    }
    put_escaped(&b, s, strlen(s));
    put(&b, "</speak>");
    if (re)
        regfree(&store);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
