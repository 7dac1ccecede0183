/* Font validation: a face is used for a script only when its file is whole, its metrics are
 * plausible and a sample of the script renders with ink (docs/design.md 4).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "text_int.h"

/* FreeType opens a file cut short, or with its glyphs overwritten, without complaint: the tables
 * at its start (names, metrics, the character map) are intact, and every glyph past the damage
 * loads as an empty outline. Text drawn with it is blank, so nothing short of drawing tells. */

#define CHECK_PX 48

/* One sample per script: the language's name in itself (locales/languages.ini), so that the
 * letters checked are ones the kiosk shows. A script not listed here gets ICU's sample
 * character for it. */
static const struct {
    const char *script, *sample;
} samples[] = {
    {"Latn", "Hamburgefonstiv"},
    {"Cyrl", "Українська"},
    {"Arab", "العربية اردو"},
    {"Deva", "हिन्दी नेपाली"},
    {"Beng", "বাংলা"},
    {"Sinh", "සිංහල"},
    {"Taml", "தமிழ்"},
    {"Thai", "ภาษาไทย"},
    {"Laoo", "ພາສາລາວ"},
    {"Mymr", "မြန်မာဘာသာ"},
    {"Khmr", "ភាសាខ្មែរ"},
    {"Ethi", "አማርኛ ትግርኛ"},
    {"Hans", "中文简体"},
    {"Hani", "中文"},
};

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Every table the font's directory lists lies inside the file. Formats other than TrueType,
 * OpenType and their collections are left to FreeType. */
static int check_whole(const char *path, int face, char *why, size_t whylen)
{
    unsigned char b[16];
    struct stat st;
    FILE *fp = fopen(path, "rb");
    int rc = 0;

    if (!fp || fstat(fileno(fp), &st)) {
        snprintf(why, whylen, "cannot be read: %s", strerror(errno));
        rc = EIO;
        goto out;
    }
    uint64_t size = (uint64_t)st.st_size, dir = 0;
    if (fread(b, 1, 12, fp) != 12)
        goto short_file;
    if (!memcmp(b, "ttcf", 4)) {
        if ((uint32_t)face >= be32(b + 8)) {
            snprintf(why, whylen, "has no face %d (a collection of %u)", face, be32(b + 8));
            rc = EINVAL;
            goto out;
        }
        if (fseek(fp, 12 + 4L * face, SEEK_SET) || fread(b, 1, 4, fp) != 4)
            goto short_file;
        dir = be32(b);
        if (fseek(fp, (long)dir, SEEK_SET) || fread(b, 1, 12, fp) != 12)
            goto short_file;
    }
    if (be32(b) != 0x00010000 && memcmp(b, "OTTO", 4) && memcmp(b, "true", 4))
        goto out;
    /* Tables past the end: the largest is named (the glyphs, usually), with the size needed. */
    unsigned n = (unsigned)b[4] << 8 | b[5], past = 0;
    uint64_t need = 0, biggest = 0;
    char tag[5] = "";
    for (unsigned i = 0; i < n; i++) {
        if (fread(b, 1, 16, fp) != 16)
            goto short_file;
        uint64_t end = (uint64_t)be32(b + 8) + be32(b + 12);
        if (end <= size)
            continue;
        past++;
        need = end > need ? end : need;
        if (be32(b + 12) >= biggest) {
            biggest = be32(b + 12);
            memcpy(tag, b, 4);
        }
    }
    if (past) {
        snprintf(why, whylen,
                 "cut short: %llu bytes where its tables need %llu ('%s' and %u more past the end)",
                 (unsigned long long)size, (unsigned long long)need, tag, past - 1);
        rc = EINVAL;
    }
    goto out;
short_file:
    snprintf(why, whylen, "cut short: %llu bytes, not even its table directory",
             (unsigned long long)size);
    rc = EINVAL;
out:
    if (fp)
        fclose(fp);
    return rc;
}

const char *text_script_sample(const char *script, char *buf, size_t len)
{
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        if (!strcmp(samples[i].script, script))
            return samples[i].sample;
    }
    UErrorCode st = U_ZERO_ERROR;
    UChar u[8];
    int32_t sc = u_getPropertyValueEnum(UCHAR_SCRIPT, script);
    int32_t n = sc < 0 ? 0 : uscript_getSampleString((UScriptCode)sc, u, 8, &st);
    buf[0] = '\0';
    if (U_SUCCESS(st) && n > 0)
        u_strToUTF8(buf, (int32_t)len, NULL, u, n, &st);
    return U_SUCCESS(st) ? buf : "";
}

/* Metrics a working face has at px: some fonts' lines are 2.5 times their size (Nastaliq,
 * Tibetan), none are shorter than it or 4 times it. */
static bool metrics_plausible(TTF_Font *f, int px)
{
    int h = TTF_FontHeight(f), asc = TTF_FontAscent(f), desc = TTF_FontDescent(f);
    return h >= px * 9 / 10 && h <= px * 4 && asc >= px / 2 && asc <= h && desc <= 0;
}

/* Letters that are drawn on their own: not spaces, format characters or non-spacing marks (some
 * are drawn only in combination, such as the Khmer coeng, and their own glyph may be empty). */
static bool wants_ink(UChar32 c)
{
    int8_t t = u_charType(c);
    return !u_isUWhiteSpace(c) && t != U_FORMAT_CHAR && t != U_CONTROL_CHAR &&
           t != U_NON_SPACING_MARK && t != U_ENCLOSING_MARK && t != U_UNASSIGNED;
}

static bool glyph_empty(TTF_Font *f, UChar32 c)
{
    int minx, maxx, miny, maxy, adv;
    if (!TTF_GlyphIsProvided32(f, (Uint32)c))
        return false; /* drawn as a box: missing, not blank (text_layout.missing) */
    return TTF_GlyphMetrics32(f, (Uint32)c, &minx, &maxx, &miny, &maxy, &adv) ||
           (maxx <= minx && maxy <= miny);
}

/* The sample's letters (wants_ink): how many the face maps, and how many of those have no
 * outline. The first empty one goes to *empty_cp. */
static void sample_glyphs(TTF_Font *f, const char *utf8, int *letters, int *provided, int *empty,
                          UChar32 *empty_cp)
{
    UChar u[64];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(u, 64, &n, utf8, -1, &st);
    *letters = *provided = *empty = 0;
    for (int32_t i = 0; U_SUCCESS(st) && i < n && i < 64;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        if (!wants_ink(c))
            continue;
        (*letters)++;
        if (!TTF_GlyphIsProvided32(f, (Uint32)c))
            continue;
        (*provided)++;
        if (glyph_empty(f, c) && !(*empty)++)
            *empty_cp = c;
    }
}

/* Shape as the layout does: the script in exact case (Han for Simplified Chinese, as layout.c
 * shapes it) and its direction. */
static void prepare(TTF_Font *f, const char *script)
{
    int32_t sc = u_getPropertyValueEnum(UCHAR_SCRIPT, script);
    TTF_SetFontScriptName(f, strcmp(script, "Hans") ? script : "Hani");
    TTF_SetFontDirection(f, sc >= 0 && uscript_isRightToLeft((UScriptCode)sc) ? TTF_DIRECTION_RTL
                                                                              : TTF_DIRECTION_LTR);
}

/* Whether a rendered 32-bit surface has a pixel that is not transparent. Text has ink in its
 * first rows, so this is cheap on every piece the kiosk draws. */
static bool surface_has_ink(const SDL_Surface *s)
{
    for (int y = 0; y < s->h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * s->pitch);
        for (int x = 0; x < s->w; x++) {
            if (row[x] & s->format->Amask)
                return true;
        }
    }
    return false;
}

int text_letters_without_ink(TTF_Font *f, const char *utf8, SDL_Surface *s, bool each)
{
    int32_t len = (int32_t)strlen(utf8), letters = 0, empty = 0;
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(utf8, i, len, c);
        if (c < 0 || !wants_ink(c))
            continue;
        letters++;
        empty += each && glyph_empty(f, c);
    }
    if (letters && (!s || !surface_has_ink(s)))
        return letters;
    return empty;
}

int text_font_check(const char *path, int face, const char *script, char *why, size_t whylen)
{
    char buf[32];
    const char *sample = text_script_sample(script, buf, sizeof(buf));
    int rc = check_whole(path, face, why, whylen);
    TTF_Font *f = NULL;

    if (rc)
        return rc;
    f = TTF_OpenFontIndex(path, CHECK_PX, face);
    if (!f) {
        snprintf(why, whylen, "cannot be opened: %s", TTF_GetError());
        return EINVAL;
    }
    rc = EINVAL;
    if (!metrics_plausible(f, CHECK_PX)) {
        snprintf(why, whylen,
                 "absurd metrics: line height %d px, ascent %d px, descent %d px at %d px",
                 TTF_FontHeight(f), TTF_FontAscent(f), TTF_FontDescent(f), CHECK_PX);
        goto out;
    }
    int letters, provided, empty;
    UChar32 cp = 0;
    sample_glyphs(f, sample, &letters, &provided, &empty, &cp);
    if (provided < letters) {
        snprintf(why, whylen, "does not cover the script: it lacks %d of the %d letters of \"%s\"",
                 letters - provided, letters, sample);
        goto out;
    }
    if (empty) {
        snprintf(why, whylen, "no outline for %d of the %d letters of \"%s\" (U+%04X first)", empty,
                 letters, sample, (unsigned)cp);
        goto out;
    }
    prepare(f, script);
    SDL_Surface *s = TTF_RenderUTF8_Blended(f, sample, (SDL_Color){255, 255, 255, 255});
    if (!s || !surface_has_ink(s)) {
        snprintf(why, whylen, "renders no ink (\"%s\" at %d px: 0 pixels of %dx%d)", sample,
                 CHECK_PX, s ? s->w : 0, s ? s->h : 0);
        SDL_FreeSurface(s);
        goto out;
    }
    SDL_FreeSurface(s);
    rc = 0;
out:
    TTF_CloseFont(f);
    return rc;
}

int text_ink_band(TTF_Font *f, const char *script, bool rtl, const char *sample)
{
    static const SDL_Color white = {255, 255, 255, 255};
    text_font_prepare(&(struct text_font){.ttf = f}, script, rtl);
    SDL_Surface *s = sample[0] ? TTF_RenderUTF8_Blended(f, sample, white) : NULL;
    if (!s)
        return 0;
    double *rows = calloc((size_t)s->h, sizeof(*rows)), total = 0;
    int band = 0;
    if (rows && !SDL_LockSurface(s)) {
        for (int y = 0; y < s->h; y++) {
            const Uint32 *px = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
            for (int x = 0; x < s->w; x++)
                rows[y] += (px[x] & s->format->Amask) >> s->format->Ashift;
            total += rows[y];
        }
        SDL_UnlockSurface(s);
        double sum = 0;
        int lo = -1, hi = -1;
        for (int y = 0; y < s->h && hi < 0; y++) {
            sum += rows[y];
            if (lo < 0 && sum >= 0.2 * total)
                lo = y;
            if (sum >= 0.8 * total)
                hi = y;
        }
        band = total > 0 && lo >= 0 && hi >= lo ? hi - lo + 1 : 0;
    }
    free(rows);
    SDL_FreeSurface(s);
    return band;
}

static bool row_has_ink(SDL_Surface *s, int y)
{
    const Uint32 *px = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
    for (int x = 0; x < s->w; x++) {
        if (px[x] & s->format->Amask)
            return true;
    }
    return false;
}

void text_surface_ink_rows(SDL_Surface *s, int *y0, int *y1)
{
    *y0 = *y1 = 0;
    if (SDL_LockSurface(s))
        return;
    int a = 0, b = s->h;
    while (a < b && !row_has_ink(s, a))
        a++;
    while (b > a && !row_has_ink(s, b - 1))
        b--;
    SDL_UnlockSurface(s);
    if (a < b) {
        *y0 = a;
        *y1 = b;
    }
}
