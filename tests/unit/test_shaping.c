/* Shaping matches HarfBuzz: every piece the engine draws has hb-shape's glyphs and advances.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For sample sentences from the kiosk's own catalogs (Arabic, Urdu Nastaliq, Hindi, Bengali,
 * Burmese, Khmer, Sinhala, Tamil) laid out on one line, each piece (one font, script and
 * direction) is shaped again by hb-shape (libharfbuzz-bin) with the piece's font file, script
 * and direction. SDL_ttf does not expose glyph ids, so the glyph list is checked through pixels:
 * it is rasterised here with FreeType (the load and render flags SDL_ttf uses for
 * TTF_HINTING_LIGHT, the positions from hb-shape's offsets and advances) and compared with what
 * text_layout_draw() put on a white surface. The same piece rendered with the wrong direction or
 * with no script must come out clearly different, which shows the comparison can fail. */
#include <errno.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <SDL_ttf.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "openline/content.h"
#include "openline/i18n.h"
#include "openline/text.h"

extern char **environ;

#define HB_SHAPE   "/usr/bin/hb-shape"
#define PX         32 /* font size of every sample, pixels per em */
#define MARGIN     PX /* room around the layout for ink outside the line boxes */
#define MAX_GLYPHS 1024
/* A pixel differs when its coverage differs by more than this (0..255). */
#define DIFF_LEVEL 48
/* A pixel is ink when either image covers it by more than this. */
#define INK_LEVEL 16

/* The engine's font directories (assets/fonts.ini [fonts] dirs). */
static const char *const font_dirs[] = {"/usr/share/fonts/truetype/noto",
                                        "/usr/share/fonts/opentype/noto"};

/* Sentences shown by the kiosk, by English msgid; each sample names what it must exercise (a
 * UTF-8 string its translation contains), so a changed translation cannot silently drop it. */
struct sample {
    const char *lang;
    const char *msgid;
    const char *features[4];
};

static const char microphone[] =
    "The microphone is on only during a call, and nothing is recorded.";
static const char warning[] =
    "The situations on this page are warning signs. Anyone in these situations can get help.";
static const char passport[] =
    "Never give your passport to an agent or employer to keep. **Your passport belongs to you.**";
static const char call_rights[] = "To talk about your rights, call {hotline}. The call is free, "
                                  "and you do not have to give your name.";

static const struct sample samples[] = {
    /* Arabic: joining forms, lam-alef, damma over a letter */
    {"ar", microphone, {"\u0644\u0627", "\u064f"}},
    {"ar", warning, {"\u0644\u0627"}},
    {"ar", call_rights, {"\u0627\u0644"}},
    /* Urdu in Nastaliq: yeh barree, full stop, the hotline number inside */
    {"ur", microphone, {"\u06d2", "\u06d4"}},
    {"ur", warning, {"\u06cc", "\u06d4"}},
    {"ur", call_rights, {"\u06d4"}},
    /* Hindi: conjuncts (virama) and the i-sign drawn before its consonant */
    {"hi", microphone, {"\u094d", "\u093f"}},
    {"hi", warning, {"\u094d", "\u093f"}},
    {"hi", passport, {"\u094d"}},
    /* Bengali: conjuncts and the two-part vowel signs e, o */
    {"bn", microphone, {"\u09cd", "\u09bf", "\u09c7"}},
    {"bn", warning, {"\u09cd", "\u09cb"}},
    {"bn", call_rights, {"\u09cd"}},
    /* Burmese: medials ya, ra, wa, ha and stacked consonants */
    {"my", microphone, {"\u103b", "\u103c", "\u103d", "\u103e"}},
    {"my", warning, {"\u1039", "\u103c"}},
    {"my", call_rights, {"\u103a"}},
    /* Khmer: coeng subscripts and the split vowels */
    {"km", microphone, {"\u17d2", "\u17c1", "\u17c4"}},
    {"km", warning, {"\u17d2"}},
    {"km", call_rights, {"\u17d2"}},
    /* Sinhala: al-lakuna, the kombuva sign, and ZWJ forms (yansaya, rakaransaya) */
    {"si", microphone, {"\u0dca", "\u0dd9", "\u200d"}},
    {"si", warning, {"\u0dca"}},
    {"si", passport, {"\u200d"}},
    /* Tamil: pulli and the two-part vowel signs */
    {"ta", microphone, {"\u0bcd", "\u0bc6"}},
    {"ta", warning, {"\u0bcd"}},
    {"ta", passport, {"\u0bca"}},
};

#include "files.h"
#include "text_fixture.h"

static FT_Library ft;

static int setup(void **state)
{
    if (text_fixture_setup(state) || FT_Init_FreeType(&ft))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    FT_Done_FreeType(ft);
    return text_fixture_teardown(state);
}

/* ---- hb-shape ------------------------------------------------------------------------------ */

/* One glyph of hb-shape's output; positions in 1/64 pixel (26.6, as SDL_ttf's HarfBuzz font). */
struct shaped_glyph {
    unsigned gid;
    long cluster, dx, dy, ax, ay;
};

static int parse_field(const char **s, long *v)
{
    char *end;
    errno = 0;
    *v = strtol(*s, &end, 10);
    if (end == *s || errno)
        return EINVAL;
    *s = end;
    return 0;
}

/* Parse "[gid=cluster@dx,dy+ax,ay|...]" (offsets and vertical advance only when not zero).
 * Returns the number of glyphs, or -1 on a syntax error. */
static int shaped_parse(const char *s, struct shaped_glyph *g, int max)
{
    int n = 0;
    long v;
    if (*s++ != '[')
        return -1;
    while (*s && *s != ']') {
        if (n == max)
            return -1;
        struct shaped_glyph *q = &g[n++];
        memset(q, 0, sizeof(*q));
        if (parse_field(&s, &v) || v < 0)
            return -1;
        q->gid = (unsigned)v;
        if (*s++ != '=' || parse_field(&s, &q->cluster))
            return -1;
        if (*s == '@') {
            s++;
            if (parse_field(&s, &q->dx) || *s++ != ',' || parse_field(&s, &q->dy))
                return -1;
        }
        if (*s == '+') {
            s++;
            if (parse_field(&s, &q->ax))
                return -1;
            if (*s == ',' && (s++, parse_field(&s, &q->ay)))
                return -1;
        }
        if (*s == '|')
            s++;
        else if (*s != ']')
            return -1;
    }
    return *s == ']' ? n : -1;
}

/* Run hb-shape on text as a child process and parse its glyphs into g. The size is given as
 * px * 64 units per em, so the numbers come out in 1/64 pixel (26.6), as in SDL_ttf; the
 * FreeType load flags are SDL_ttf's for TTF_HINTING_LIGHT. No --font-ppem: SDL_ttf's font comes
 * from hb_ft_font_create(), which leaves the ppem at 0, and with a ppem HarfBuzz positions marks
 * on contour points (GPOS anchor format 2): in Noto Nastaliq Urdu at 32 px that moves glyphs by
 * up to 18 px and makes words collide, a line 5 % narrower than the engine's correct one. */
static int shaped_run(const char *font, const char *script, bool rtl, int px, const char *text,
                      struct shaped_glyph *g, int max)
{
    char size[32], scr[32], *arg_text;
    int fd[2], status = 0, n = -1;
    pid_t pid;
    posix_spawn_file_actions_t fa;

    snprintf(size, sizeof(size), "--font-size=%d", px * 64);
    snprintf(scr, sizeof(scr), "--script=%s", script);
    size_t tl = strlen(text) + 8;
    arg_text = malloc(tl);
    assert_non_null(arg_text);
    snprintf(arg_text, tl, "--text=%s", text);
    char flags[32];
    snprintf(flags, sizeof(flags), "--ft-load-flags=%ld", (long)FT_LOAD_TARGET_LIGHT);
    char *const argv[] = {HB_SHAPE,
                          "--font-funcs=ft",
                          flags,
                          size,
                          scr,
                          rtl ? "--direction=rtl" : "--direction=ltr",
                          "--no-glyph-names",
                          arg_text,
                          (char *)font,
                          NULL};
    assert_int_equal(pipe(fd), 0);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    int rc = posix_spawn(&pid, HB_SHAPE, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc) {
        close(fd[0]);
        free(arg_text);
        fail_msg("cannot run %s: %s (install libharfbuzz-bin: make deps)", HB_SHAPE, strerror(rc));
    }
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (;;) {
        if (len + 1 == cap) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
        ssize_t r = read(fd[0], out + len, cap - len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    out[len] = '\0';
    close(fd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        n = shaped_parse(out, g, max);
    if (n < 0)
        fail_msg("hb-shape failed (status %d) on '%s' with %s: %s", status, text, font, out);
    free(out);
    free(arg_text);
    return n;
}

/* ---- rasterising hb-shape's glyphs ---------------------------------------------------------- */

/* A coverage image, 0..255 per pixel. */
struct cover {
    int w, h;
    unsigned char *a;
};

static void cover_free(struct cover *c)
{
    free(c->a);
    c->a = NULL;
}

static int floor64(long v)
{
    return (int)((v & -64) / 64);
}

static void font_path(const char *file, char *path, size_t len)
{
    for (size_t i = 0; i < sizeof(font_dirs) / sizeof(font_dirs[0]); i++) {
        snprintf(path, len, "%s/%s", font_dirs[i], file);
        if (access(path, R_OK) == 0)
            return;
    }
    fail_msg("font %s not found", file);
}

/* Draw glyphs as SDL_ttf 2.20.1 draws one line with HarfBuzz positions: the pen starts at 0,
 * a glyph's origin is (x + dx, y + ascent - dy) in 26.6 and is floored to whole pixels, each
 * glyph is rendered by FreeType at that integer origin, coverage is combined with OR as SDL_ttf
 * does, and the image is the union of the ink boxes, the pen's advance and the font height. The
 * box follows TTF_SizeUTF8, so its width is the engine's piece width. */
static void shaped_draw(FT_Face face, int px, int ascent, int height, const struct shaped_glyph *g,
                        int n, struct cover *out)
{
    const FT_Int32 load = FT_LOAD_DEFAULT | FT_LOAD_TARGET_LIGHT;
    long x = 0, y = 0;
    int minx = 0, maxx = 0, miny = 0, maxy = height;
    int *ox = calloc((size_t)n + 1, sizeof(int)), *oy = calloc((size_t)n + 1, sizeof(int));

    assert_non_null(ox);
    assert_non_null(oy);
    assert_int_equal(FT_Set_Char_Size(face, 0, px * 64, 0, 0), 0);
    for (int i = 0; i < n; i++) {
        long pos_x = x + g[i].dx, pos_y = y + (long)ascent * 64 - g[i].dy;
        x += g[i].ax;
        y += g[i].ay;
        assert_int_equal(FT_Load_Glyph(face, g[i].gid, load), 0);
        FT_GlyphSlot s = face->glyph;
        ox[i] = floor64(pos_x);
        oy[i] = floor64(pos_y);
        int left = ox[i] + s->bitmap_left, top = oy[i] - s->bitmap_top;
        minx = left < minx ? left : minx;
        maxx = left + (int)s->bitmap.width > maxx ? left + (int)s->bitmap.width : maxx;
        miny = top < miny ? top : miny;
        maxy = top + (int)s->bitmap.rows > maxy ? top + (int)s->bitmap.rows : maxy;
    }
    if (floor64(x) > maxx)
        maxx = floor64(x);
    out->w = maxx - minx;
    out->h = maxy - miny;
    out->a = calloc((size_t)out->w * (size_t)out->h + 1, 1);
    assert_non_null(out->a);
    for (int i = 0; i < n; i++) {
        assert_int_equal(FT_Load_Glyph(face, g[i].gid, load), 0);
        FT_GlyphSlot s = face->glyph;
        assert_int_equal(FT_Render_Glyph(s, FT_RENDER_MODE_NORMAL), 0);
        const FT_Bitmap *b = &s->bitmap;
        int gx = ox[i] - minx + s->bitmap_left, gy = oy[i] - miny - s->bitmap_top;
        for (unsigned r = 0; r < b->rows; r++) {
            for (unsigned c = 0; c < b->width; c++) {
                int px_x = gx + (int)c, px_y = gy + (int)r;
                if (px_x < 0 || px_y < 0 || px_x >= out->w || px_y >= out->h)
                    continue;
                out->a[px_y * out->w + px_x] |= b->buffer[(int)r * b->pitch + (int)c];
            }
        }
    }
    free(ox);
    free(oy);
}

/* ---- comparisons ---------------------------------------------------------------------------- */

struct diff {
    long ink, differ;
    int max;
};

static void diff_add(struct diff *d, int a, int b)
{
    int delta = abs(a - b);
    if (a <= INK_LEVEL && b <= INK_LEVEL)
        return;
    d->ink++;
    if (delta > DIFF_LEVEL)
        d->differ++;
    if (delta > d->max)
        d->max = delta;
}

/* Compare two coverage images placed at the same top-left corner, over their union. */
static void diff_covers(struct diff *d, const struct cover *a, const struct cover *b)
{
    int w = a->w > b->w ? a->w : b->w, h = a->h > b->h ? a->h : b->h;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            int va = x < a->w && y < a->h ? a->a[y * a->w + x] : 0;
            int vb = x < b->w && y < b->h ? b->a[y * b->w + x] : 0;
            diff_add(d, va, vb);
        }
    }
}

/* The alpha channel of an SDL_ttf blended rendering as coverage. */
static void cover_from_ttf(TTF_Font *f, const char *text, struct cover *out)
{
    SDL_Surface *s = TTF_RenderUTF8_Blended(f, text, (SDL_Color){255, 255, 255, 255});
    assert_non_null(s);
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    assert_non_null(c);
    out->w = c->w;
    out->h = c->h;
    out->a = malloc((size_t)c->w * (size_t)c->h + 1);
    assert_non_null(out->a);
    for (int y = 0; y < c->h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)c->pixels + y * c->pitch);
        for (int x = 0; x < c->w; x++)
            out->a[y * c->w + x] = (unsigned char)(row[x] >> 24);
    }
    SDL_FreeSurface(c);
    SDL_FreeSurface(s);
}

/* ---- structure checks ----------------------------------------------------------------------- */

static bool is_virama(UChar32 c)
{
    return c == 0x094D || c == 0x09CD || c == 0x0BCD || c == 0x0DCA || c == 0x17D2 || c == 0x1039 ||
           c == 0x200D;
}

/* A piece must hold whole clusters (no mark or joiner at its start, no virama at its end), and
 * every letter in it must be of the script it is shaped with. Describes a violation in why. */
static bool piece_sound(const struct text_piece *p, char *why, size_t len)
{
    const char *s = p->utf8;
    int32_t i = 0, n = (int32_t)strlen(s), last = -1;
    UChar32 c;
    while (i < n) {
        int32_t at = i;
        U8_NEXT(s, i, n, c);
        if (c < 0) {
            snprintf(why, len, "invalid UTF-8 at byte %d", (int)at);
            return false;
        }
        int8_t type = u_charType(c);
        if (at == 0 && (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
                        type == U_ENCLOSING_MARK || c == 0x200C || c == 0x200D)) {
            snprintf(why, len, "starts inside a cluster with U+%04X", (unsigned)c);
            return false;
        }
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &st);
        if (sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED &&
            strcmp(uscript_getShortName(sc), p->script) != 0) {
            snprintf(why, len, "U+%04X (%s) shaped as %s", (unsigned)c, uscript_getShortName(sc),
                     p->script);
            return false;
        }
        last = c;
    }
    if (last >= 0 && is_virama(last)) {
        snprintf(why, len, "ends inside a cluster with U+%04X", (unsigned)last);
        return false;
    }
    return true;
}

/* ---- the test ------------------------------------------------------------------------------- */

struct lang_result {
    int sentences, pieces, glyphs, notdef;
    long ink, differ;
    int max, worst_adv; /* largest |piece width - advance sum| in pixels */
    /* the negative controls, over the pieces of the language's own script */
    long wrong_dir_ink, wrong_dir_differ, no_script_ink, no_script_differ;
};

static const struct lang *find_lang(const char *code)
{
    const struct lang *l = i18n_find(langs, code);
    if (!l)
        fail_msg("language %s missing from locales/languages.ini", code);
    return l;
}

/* The sample's text as the kiosk shows it: translated, placeholders filled. */
static char *sample_text(const struct sample *sm, const struct lang *lang)
{
    static const struct content_vars vars = TEST_CONTENT_VARS;
    if (!i18n_translated(lang, sm->msgid))
        fail_msg("%s: no translation of '%s'", sm->lang, sm->msgid);
    char *text = content_expand(i18n_get(lang, sm->msgid), &vars);
    assert_non_null(text);
    /* the **bold** markers mark a phrase, they are not shaped: the sample is the text without */
    for (char *b; (b = strstr(text, "**"));)
        memmove(b, b + 2, strlen(b + 2) + 1);
    for (int k = 0; k < 4 && sm->features[k]; k++) {
        if (!strstr(text, sm->features[k]))
            fail_msg("%s: the sample no longer contains %s: %s", sm->lang, sm->features[k], text);
    }
    return text;
}

/* Lay out one sample, draw it with the engine, and compare every piece with hb-shape. */
static void check_sample(const struct sample *sm, struct lang_result *res)
{
    const struct lang *lang = find_lang(sm->lang);
    char *text = sample_text(sm, lang);
    struct text_style st = {lang, PX, false, 0, TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(eng, text, &st);
    assert_non_null(l);
    if (l->missing)
        fail_msg("%s: %u characters without a font in: %s", sm->lang, l->missing, text);
    assert_int_equal(l->n_lines, 1);

    /* The engine's drawing: black on white, software renderer, no display. */
    int W = l->w + 2 * MARGIN, H = l->h + 2 * MARGIN;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(surf);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(surf);
    assert_non_null(r);
    SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
    SDL_RenderClear(r);
    text_layout_draw(eng, r, l, MARGIN, MARGIN, (SDL_Color){0, 0, 0, 255});
    SDL_RenderPresent(r);

    /* The reference: each piece from hb-shape's glyphs, composited in the same order ("over",
     * as the renderer blends one texture onto another). */
    unsigned char *ref = calloc((size_t)W * (size_t)H, 1);
    struct cover *pc = calloc((size_t)l->n_pieces + 1, sizeof(*pc));
    struct shaped_glyph *g = calloc(MAX_GLYPHS, sizeof(*g));
    assert_non_null(ref);
    assert_non_null(pc);
    assert_non_null(g);
    for (int i = 0; i < l->n_pieces; i++) {
        const struct text_piece *p = &l->pieces[i];
        char path[512], why[128];
        if (!piece_sound(p, why, sizeof(why)))
            fail_msg("%s piece %d '%s' (%s): %s", sm->lang, i, p->utf8, p->script, why);
        const char *file = text_font_file(p->font);
        if (strstr(file, ".ttc"))
            fail_msg("%s: piece in a font collection (%s); hb-shape needs its face", sm->lang,
                     file);
        font_path(file, path, sizeof(path));
        TTF_Font *tf = text_font_handle(p->font);
        int px = text_font_px(p->font); /* PX times the script's scale to Latin's size */
        int n = shaped_run(path, p->script, p->rtl, px, p->utf8, g, MAX_GLYPHS);
        long adv = 0;
        for (int k = 0; k < n; k++) {
            adv += g[k].ax;
            res->notdef += g[k].gid == 0;
        }
        FT_Face face;
        assert_int_equal(FT_New_Face(ft, path, 0, &face), 0);
        shaped_draw(face, px, TTF_FontAscent(tf), TTF_FontHeight(tf), g, n, &pc[i]);
        FT_Done_Face(face);

        /* Units: the advances add up to the piece's width measured by TTF_SizeUTF8 (which also
         * takes in ink beyond the pen, hence the box comparison being exact and this not). */
        int adv_px = (int)((adv + 32) / 64);
        int gap = abs(p->w - adv_px);
        if (gap > res->worst_adv)
            res->worst_adv = gap;
        if (pc[i].w != p->w || gap > PX / 4)
            fail_msg("%s piece %d '%s': width %d px, hb-shape's box %d px, advances %.2f px",
                     sm->lang, i, p->utf8, p->w, pc[i].w, adv / 64.0);
        for (int y = 0; y < pc[i].h; y++) {
            for (int x = 0; x < pc[i].w; x++) {
                int X = MARGIN + p->x + x, Y = MARGIN + p->y + y;
                if (X < 0 || Y < 0 || X >= W || Y >= H)
                    continue;
                int a = pc[i].a[y * pc[i].w + x], d = ref[Y * W + X];
                ref[Y * W + X] = (unsigned char)(a + d * (255 - a) / 255);
            }
        }
        res->pieces++;
        res->glyphs += n;

        /* Negative controls on the language's own script: a fresh font (SDL_ttf's defaults)
         * with the direction flipped, and with the direction right but no script. */
        if (strcmp(p->script, lang->script) != 0)
            continue;
        for (int variant = 0; variant < 2; variant++) {
            TTF_Font *fresh = TTF_OpenFontIndex(path, px, 0);
            assert_non_null(fresh);
            TTF_SetFontHinting(fresh, TTF_HINTING_LIGHT);
            bool rtl = variant == 0 ? !p->rtl : p->rtl;
            TTF_SetFontDirection(fresh, rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
            if (variant == 0)
                assert_int_equal(TTF_SetFontScriptName(fresh, p->script), 0);
            struct cover wrong = {0};
            struct diff d = {0};
            cover_from_ttf(fresh, p->utf8, &wrong);
            diff_covers(&d, &wrong, &pc[i]);
            if (variant == 0) {
                res->wrong_dir_ink += d.ink;
                res->wrong_dir_differ += d.differ;
            } else {
                res->no_script_ink += d.ink;
                res->no_script_differ += d.differ;
            }
            cover_free(&wrong);
            TTF_CloseFont(fresh);
        }
    }

    /* Piece by piece: the engine's pixels against the reference's, where that piece is. */
    const Uint32 *px = surf->pixels;
    int stride = surf->pitch / 4;
    for (int i = 0; i < l->n_pieces; i++) {
        const struct text_piece *p = &l->pieces[i];
        struct diff d = {0};
        for (int y = 0; y < pc[i].h; y++) {
            for (int x = 0; x < pc[i].w; x++) {
                int X = MARGIN + p->x + x, Y = MARGIN + p->y + y;
                if (X < 0 || Y < 0 || X >= W || Y >= H)
                    continue;
                int engine = 255 - (int)((px[Y * stride + X] >> 16) & 0xff);
                diff_add(&d, engine, ref[Y * W + X]);
            }
        }
        printf("  %s piece %d: %-4s %s %-30s %3d px wide, %6ld ink px, %ld differ (max %d)\n",
               sm->lang, i, p->script, p->rtl ? "rtl" : "ltr", text_font_file(p->font), p->w, d.ink,
               d.differ, d.max);
        res->ink += d.ink;
        res->differ += d.differ;
        if (d.max > res->max)
            res->max = d.max;
        if (d.ink < 50 && p->utf8[strspn(p->utf8, " ")])
            fail_msg("%s piece %d '%s': almost no ink (%ld px)", sm->lang, i, p->utf8, d.ink);
        if (d.differ * 100 > d.ink)
            fail_msg("%s piece %d '%s' (%s, %s, %s): %ld of %ld ink pixels differ from hb-shape",
                     sm->lang, i, p->utf8, text_font_file(p->font), p->script,
                     p->rtl ? "rtl" : "ltr", d.differ, d.ink);
        cover_free(&pc[i]);
    }
    res->sentences++;
    free(g);
    free(pc);
    free(ref);
    text_engine_flush(eng); /* the textures belong to this renderer */
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    free(text);
}

static void check_language(const char *code, bool must_fail_wrong)
{
    struct lang_result res = {0};
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        if (!strcmp(samples[i].lang, code))
            check_sample(&samples[i], &res);
    }
    assert_true(res.sentences > 0);
    double wd = res.wrong_dir_ink ? 100.0 * res.wrong_dir_differ / res.wrong_dir_ink : 0;
    double ns = res.no_script_ink ? 100.0 * res.no_script_differ / res.no_script_ink : 0;
    printf("shaping %-2s: %d sentences, %d pieces, %d glyphs (%d .notdef); %ld of %ld ink px "
           "differ (max delta %d); width - advances <= %d px; wrong direction %.1f %% differ, "
           "no script %.1f %% differ\n",
           code, res.sentences, res.pieces, res.glyphs, res.notdef, res.differ, res.ink, res.max,
           res.worst_adv, wd, ns);
    assert_int_equal(res.notdef, 0);
    if (must_fail_wrong) {
        /* The comparison must be able to fail: shaped wrongly, the pixels are far apart. */
        if (wd < 10.0 || ns < 10.0)
            fail_msg("%s: wrong direction (%.1f %%) or no script (%.1f %%) is not clearly "
                     "different",
                     code, wd, ns);
    }
}

static void test_arabic(void **state)
{
    (void)state;
    check_language("ar", true);
}

static void test_urdu(void **state)
{
    (void)state;
    check_language("ur", false);
}

static void test_hindi(void **state)
{
    (void)state;
    check_language("hi", true);
}

static void test_bengali(void **state)
{
    (void)state;
    check_language("bn", false);
}

static void test_burmese(void **state)
{
    (void)state;
    check_language("my", true);
}

static void test_khmer(void **state)
{
    (void)state;
    check_language("km", false);
}

static void test_sinhala(void **state)
{
    (void)state;
    check_language("si", false);
}

static void test_tamil(void **state)
{
    (void)state;
    check_language("ta", false);
}

/* The parser of hb-shape's output, on the forms its documentation gives. */
static void test_parse(void **state)
{
    struct shaped_glyph g[4];
    (void)state;
    assert_int_equal(shaped_parse("[372=7+1507|38=6@-12,40+0]\n", g, 4), 2);
    assert_int_equal(g[0].gid, 372);
    assert_int_equal(g[0].cluster, 7);
    assert_int_equal(g[0].ax, 1507);
    assert_int_equal(g[1].dx, -12);
    assert_int_equal(g[1].dy, 40);
    assert_int_equal(g[1].ax, 0);
    assert_int_equal(shaped_parse("[1=0+5,7]", g, 4), 1);
    assert_int_equal(g[0].ay, 7);
    assert_int_equal(shaped_parse("[]", g, 4), 0);
    assert_int_equal(shaped_parse("[1=x+5]", g, 4), -1);
    assert_int_equal(shaped_parse("garbage", g, 4), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),   cmocka_unit_test(test_arabic),
        cmocka_unit_test(test_urdu),    cmocka_unit_test(test_hindi),
        cmocka_unit_test(test_bengali), cmocka_unit_test(test_burmese),
        cmocka_unit_test(test_khmer),   cmocka_unit_test(test_sinhala),
        cmocka_unit_test(test_tamil),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
