/* Paragraph layout: itemize (bidi level, script, font coverage), break lines with ICU, reorder
 * each line visually, shape and measure every run with SDL_ttf.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubidi.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "openline/i18n.h"
#include "openline/log.h"
#include "text_int.h"

/* Per UTF-16 unit: what the itemizer decided. */
struct unit {
    struct text_font *font; /* NULL for bidi controls, which are not drawn */
    const char *script;     /* ISO 15924 short name for shaping */
    UBiDiLevel level;
};

struct run {
    int start, end; /* UTF-16 offsets within the paragraph */
    struct text_font *font;
    const char *script;
    UBiDiLevel level;
};

/* A width already shaped for [a, b) of one run: line breaking asks for the same slices again
 * (a line shaped whole, then its pieces), and shaping is most of the cost (Nastaliq). */
struct span_width {
    int run, a, b, w, h;
};

struct para {
    struct span_width *memo;
    int n_memo, cap_memo;
    struct text_engine *e;
    const struct text_style *style;
    const UChar *text;
    int len;
    const bool *bold; /* per unit: inside a ** pair (style.markup); NULL: none is */
    struct unit *units;
    struct run *runs;
    int n_runs;
    unsigned missing;
    UBiDi *bidi; /* the paragraph's bidi levels; lines are cut from it */
};

struct out {
    struct text_line *lines;
    int n_lines, cap_lines;
    struct text_piece *pieces;
    int n_pieces, cap_pieces;
    int y;
    int widest;
    bool overflow;
};

static bool is_bidi_control(UChar32 c)
{
    return c == 0x200E || c == 0x200F || c == 0x061C || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

/* Characters that must stay in the font of the character before them. */
static bool joins_previous(UChar32 c, UScriptCode sc)
{
    return sc == USCRIPT_INHERITED || c == 0x200C || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) ||
           u_getIntPropertyValue(c, UCHAR_GENERAL_CATEGORY) == U_NON_SPACING_MARK ||
           u_getIntPropertyValue(c, UCHAR_GENERAL_CATEGORY) == U_COMBINING_SPACING_MARK;
}

/* Whether unit i of the paragraph is drawn bold: the style's weight or a ** pair around it. */
static bool unit_bold(const struct para *p, int i)
{
    return p->style->bold || (p->bold && p->bold[i]);
}

static struct text_font *covering_font(struct para *p, UChar32 c, const char *script, bool bold,
                                       const char **shape_script)
{
    struct text_engine *e = p->e;
    const struct text_style *style = p->style;
    struct text_font *f = text_font_for(e, style->lang, script, style->px, bold);
    *shape_script = script;
    if (f && TTF_GlyphIsProvided32(f->ttf, (Uint32)c))
        return f;
    /* Fallback chain: the fallback script's font (digits, Latin, punctuation), the language's
     * own font, then CJK. Script fonts such as Thai or Ethiopic have no ASCII digits. */
    struct text_font *fb = text_font_fallback(e, style->px, bold);
    if (fb && TTF_GlyphIsProvided32(fb->ttf, (Uint32)c)) {
        UScriptCode sc = uscript_getScript(c, &(UErrorCode){U_ZERO_ERROR});
        if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED)
            *shape_script = e->fallback;
        return fb;
    }
    if (style->lang) {
        struct text_font *lf = text_font_for(e, style->lang, style->lang->script, style->px, bold);
        if (lf && TTF_GlyphIsProvided32(lf->ttf, (Uint32)c)) {
            *shape_script = style->lang->script;
            return lf;
        }
    }
    struct text_font *cjk = text_font_for(e, NULL, "Hans", style->px, bold);
    if (cjk && TTF_GlyphIsProvided32(cjk->ttf, (Uint32)c)) {
        *shape_script = "Hani";
        return cjk;
    }
    if (!u_isUWhiteSpace(c) && !u_iscntrl(c))
        p->missing++;
    return f ? f : fb;
}

/* Itemize, step 1: the paragraph's bidi levels (p->bidi keeps them; the caller closes it). */
static int bidi_levels(struct para *p, const UBiDiLevel **levels)
{
    UErrorCode uerr = U_ZERO_ERROR;
    const struct lang *lang = p->style->lang;
    UBiDi *bidi = ubidi_openSized(p->len, 0, &uerr);
    if (U_FAILURE(uerr))
        return ENOMEM;
    p->bidi = bidi;
    ubidi_setPara(bidi, p->text, p->len, lang && lang->rtl ? UBIDI_RTL : UBIDI_LTR, NULL, &uerr);
    if (U_FAILURE(uerr))
        return EINVAL;
    *levels = ubidi_getLevels(bidi, &uerr);
    return U_FAILURE(uerr) ? EINVAL : 0;
}

/* Itemize, step 2: each unit's script in sc[], Common and Inherited characters taking the script
 * around them; USCRIPT_INVALID_CODE where the paragraph has none at all. */
static void resolve_scripts(const struct para *p, UScriptCode *sc)
{
    UErrorCode uerr = U_ZERO_ERROR;
    UScriptCode last = USCRIPT_INVALID_CODE;
    for (int i = 0; i < p->len;) {
        int s = i;
        UChar32 c;
        U16_NEXT(p->text, i, p->len, c);
        UScriptCode x = uscript_getScript(c, &uerr);
        if (x != USCRIPT_COMMON && x != USCRIPT_INHERITED)
            last = x;
        for (int k = s; k < i; k++)
            sc[k] = (x == USCRIPT_COMMON || x == USCRIPT_INHERITED) ? last : x;
    }
    /* Leading Common characters take the first real script, or the language's. */
    UScriptCode first = USCRIPT_INVALID_CODE;
    for (int i = 0; i < p->len; i++) {
        if (sc[i] != USCRIPT_INVALID_CODE) {
            first = sc[i];
            break;
        }
    }
    for (int i = 0; i < p->len && sc[i] == USCRIPT_INVALID_CODE; i++)
        sc[i] = first;
}

/* Itemize, step 3: each unit's font, shaping script and level; marks keep the font before them,
 * bidi controls get none. */
static void assign_fonts(struct para *p, const UScriptCode *sc, const UBiDiLevel *levels)
{
    UErrorCode uerr = U_ZERO_ERROR;
    const struct lang *lang = p->style->lang;
    const char *lang_script = lang ? lang->script : "Latn";
    struct text_font *prev_font = NULL;
    const char *prev_script = lang_script;
    for (int i = 0; i < p->len;) {
        int s = i;
        UChar32 c;
        U16_NEXT(p->text, i, p->len, c);
        UScriptCode raw = uscript_getScript(c, &uerr);
        const char *script =
            sc[s] == USCRIPT_INVALID_CODE ? lang_script : uscript_getShortName(sc[s]);
        struct text_font *f;
        if (is_bidi_control(c)) {
            f = NULL;
            script = prev_script;
        } else if (prev_font && joins_previous(c, raw)) {
            f = prev_font;
            script = prev_script;
        } else {
            f = covering_font(p, c, script, unit_bold(p, s), &script);
        }
        for (int k = s; k < i; k++) {
            p->units[k].font = f;
            p->units[k].script = script;
            p->units[k].level = levels[k];
        }
        if (f) {
            prev_font = f;
            prev_script = script;
        }
    }
}

/* Itemize, step 4: a span of Common characters (a phone number: digits, "-", "(", spaces) is
 * drawn in one font: when the script's font lacks any of them, the fallback font takes the whole
 * span, so a number never mixes two typefaces. */
static void one_font_per_number(struct para *p)
{
    UErrorCode uerr = U_ZERO_ERROR;
    for (int i = 0; i < p->len;) {
        UChar32 c;
        int s = i;
        U16_GET(p->text, 0, i, p->len, c);
        if (uscript_getScript(c, &uerr) != USCRIPT_COMMON || u_isUWhiteSpace(c)) {
            i += U16_LENGTH(c);
            continue;
        }
        int e = i;
        bool mixed = false;
        struct text_font *first_font = p->units[s].font;
        while (e < p->len) {
            UChar32 d;
            U16_GET(p->text, 0, e, p->len, d);
            if (uscript_getScript(d, &uerr) != USCRIPT_COMMON || is_bidi_control(d) ||
                unit_bold(p, e) != unit_bold(p, s))
                break;
            mixed |= p->units[e].font && p->units[e].font != first_font;
            e += U16_LENGTH(d);
        }
        while (e > s && u_isUWhiteSpace(p->text[e - 1]))
            e--; /* trailing spaces stay with the words around them */
        if (mixed) {
            struct text_font *fb = text_font_fallback(p->e, p->style->px, unit_bold(p, s));
            bool covers = fb != NULL;
            for (int k = s; k < e && covers; k++) {
                if (!U16_IS_TRAIL(p->text[k]) && !u_isUWhiteSpace(p->text[k]))
                    covers = TTF_GlyphIsProvided32(fb->ttf, p->text[k]);
            }
            for (int k = s; covers && k < e; k++) {
                if (p->units[k].font) {
                    p->units[k].font = fb;
                    p->units[k].script = p->e->fallback;
                }
            }
        }
        i = e > s ? e : s + 1;
    }
}

/* Itemize, step 5: runs, maximal spans of one (level, font, script); bidi controls join any
 * run. */
static int make_runs(struct para *p)
{
    p->runs = malloc(sizeof(*p->runs) * (size_t)(p->len + 1));
    if (!p->runs)
        return ENOMEM;
    p->n_runs = 0;
    for (int i = 0; i < p->len; i++) {
        struct unit *u = &p->units[i];
        struct run *r = p->n_runs ? &p->runs[p->n_runs - 1] : NULL;
        if (r && (!u->font ||
                  (u->font == r->font && u->level == r->level && !strcmp(u->script, r->script)))) {
            r->end = i + 1;
            continue;
        }
        if (r && !r->font && u->font) { /* a run of controls only: adopt this font */
            r->font = u->font;
            r->script = u->script;
            r->level = u->level;
            r->end = i + 1;
            continue;
        }
        p->runs[p->n_runs++] = (struct run){i, i + 1, u->font, u->script, u->level};
    }
    for (int i = 0; i < p->n_runs; i++) {
        if (!p->runs[i].font)
            p->runs[i].font =
                text_font_fallback(p->e, p->style->px, unit_bold(p, p->runs[i].start));
    }
    return 0;
}

/* Split the paragraph into runs of one bidi level, script and font (p->runs). */
static int itemize(struct para *p)
{
    const UBiDiLevel *levels;
    int rc = bidi_levels(p, &levels);
    if (rc)
        return rc;
    UScriptCode *sc = malloc(sizeof(*sc) * (size_t)(p->len + 1));
    if (!sc)
        return ENOMEM;
    resolve_scripts(p, sc);
    assign_fonts(p, sc, levels);
    free(sc);
    one_font_per_number(p);
    return make_runs(p);
}

/* UTF-8 of text[a, b) without bidi controls; malloc'd. */
static char *slice_utf8(const UChar *text, int a, int b)
{
    UChar *tmp = malloc(sizeof(UChar) * (size_t)(b - a + 1));
    int n = 0;
    if (!tmp)
        return NULL;
    for (int i = a; i < b;) {
        int s = i;
        UChar32 c;
        U16_NEXT(text, i, b, c);
        if (is_bidi_control(c))
            continue;
        for (int k = s; k < i; k++)
            tmp[n++] = text[k];
    }
    UErrorCode uerr = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8WithSub(NULL, 0, &need, tmp, n, 0xFFFD, NULL, &uerr);
    uerr = U_ZERO_ERROR;
    char *out = malloc((size_t)need + 1);
    if (out)
        u_strToUTF8WithSub(out, need + 1, NULL, tmp, n, 0xFFFD, NULL, &uerr);
    free(tmp);
    if (out && U_FAILURE(uerr)) {
        free(out);
        return NULL;
    }
    return out;
}

/* Shape run r's slice [s, t) (or find it already shaped): width and height in *w, *h. */
static void slice_size(struct para *p, int r, int s, int t, const char *u8, int *w, int *h)
{
    struct run *run = &p->runs[r];
    for (int i = 0; i < p->n_memo; i++) {
        const struct span_width *m = &p->memo[i];
        if (m->run == r && m->a == s && m->b == t) {
            *w = m->w;
            *h = m->h;
            return;
        }
    }
    char *own = u8 ? NULL : slice_utf8(p->text, s, t);
    const char *text = u8 ? u8 : own;
    *w = *h = 0;
    if (text && text[0]) {
        text_font_prepare(run->font, run->script, run->level & 1);
        TTF_SizeUTF8(run->font->ttf, text, w, h);
    }
    free(own);
    if (p->n_memo == p->cap_memo) {
        int ncap = p->cap_memo ? p->cap_memo * 2 : 64;
        struct span_width *nm = realloc(p->memo, sizeof(*nm) * (size_t)ncap);
        if (!nm)
            return; /* only a cache */
        p->memo = nm;
        p->cap_memo = ncap;
    }
    p->memo[p->n_memo++] = (struct span_width){r, s, t, *w, *h};
}

static int measure_span(struct para *p, int a, int b)
{
    int w = 0;
    for (int r = 0; r < p->n_runs; r++) {
        const struct run *run = &p->runs[r];
        int s = run->start > a ? run->start : a;
        int t = run->end < b ? run->end : b;
        if (s >= t)
            continue;
        int rw, rh;
        slice_size(p, r, s, t, NULL, &rw, &rh);
        w += rw;
    }
    return w;
}

static int trim_end(const UChar *text, int a, int b)
{
    while (b > a) {
        int i = b;
        UChar32 c;
        U16_PREV(text, a, i, c);
        if (!u_isUWhiteSpace(c) && !is_bidi_control(c) && c != 0x200B)
            break;
        b = i;
    }
    return b;
}

static int grow(void **arr, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return 0;
    int ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *n = realloc(*arr, elem * (size_t)ncap);
    if (!n)
        return ENOMEM;
    *arr = n;
    *cap = ncap;
    return 0;
}

/* Emit line, step 1a: one visual run [s, t) of the line: a piece for each of our runs inside it,
 * in visual order, placed from *x on. */
static int add_visual_run(struct para *p, struct out *o, int s, int t, bool rtl, int *x)
{
    /* Runs are disjoint and in logical order, so those inside [s, t) are the range [r0, r1):
     * no list of them, and no cap on how many a line holds. */
    int r0 = 0, r1;
    while (r0 < p->n_runs && p->runs[r0].end <= s)
        r0++;
    for (r1 = r0; r1 < p->n_runs && p->runs[r1].start < t;)
        r1++;
    for (int k = 0; k < r1 - r0; k++) {
        int ri = rtl ? r1 - 1 - k : r0 + k;
        struct run *run = &p->runs[ri];
        int rs = run->start > s ? run->start : s;
        int rt = run->end < t ? run->end : t;
        char *u8 = slice_utf8(p->text, rs, rt);
        if (!u8)
            return ENOMEM;
        if (!u8[0]) {
            free(u8);
            continue;
        }
        if (grow((void **)&o->pieces, &o->cap_pieces, o->n_pieces + 1, sizeof(*o->pieces))) {
            free(u8);
            return ENOMEM;
        }
        struct text_piece *pc = &o->pieces[o->n_pieces++];
        memset(pc, 0, sizeof(*pc));
        pc->utf8 = u8;
        pc->start = rs;
        pc->end = rt;
        pc->font = run->font;
        memcpy(pc->script, run->script, 4);
        pc->script[4] = '\0';
        pc->rtl = run->level & 1;
        slice_size(p, ri, rs, rt, u8, &pc->w, &pc->h);
        pc->x = *x;
        *x += pc->w;
    }
    return 0;
}

/* Emit line, step 1: the pieces of [a, end), reordered visually by ubidi; *x: the line's width
 * so far. */
static int add_pieces(struct para *p, struct out *o, int a, int end, int *x)
{
    UErrorCode uerr = U_ZERO_ERROR;
    int rc = 0;
    UBiDi *line = ubidi_openSized(end - a, 0, &uerr);
    if (U_FAILURE(uerr)) {
        ubidi_close(line);
        return ENOMEM;
    }
    ubidi_setLine(p->bidi, a, end, line, &uerr);
    int nv = U_SUCCESS(uerr) ? ubidi_countRuns(line, &uerr) : 0;
    for (int v = 0; v < nv && !rc; v++) {
        int32_t vs, vl;
        UBiDiDirection dir = ubidi_getVisualRun(line, v, &vs, &vl);
        rc = add_visual_run(p, o, a + vs, a + vs + vl, dir == UBIDI_RTL, x);
    }
    ubidi_close(line);
    return rc;
}

/* Emit line, step 2: vertical metrics: the tallest font on the line, at least the language's
 * own; the pieces from first on sit on one baseline. Returns the line's height. */
static int place_on_baseline(struct para *p, struct out *o, int first)
{
    const struct lang *lang = p->style->lang;
    struct text_font *base =
        lang ? text_font_for(p->e, lang, lang->script, p->style->px, p->style->bold) : NULL;
    if (!base)
        base = text_font_fallback(p->e, p->style->px, p->style->bold);
    struct text_line_metrics lm = {0};
    text_line_metrics_add(&lm, base);
    for (int i = first; i < o->n_pieces; i++)
        text_line_metrics_add(&lm, o->pieces[i].font);
    int lh = text_line_metrics_height(&lm), asc = lm.asc, desc = lm.desc;
    int baseline = o->y + (lh - asc - desc) / 2 + asc;
    for (int i = first; i < o->n_pieces; i++) {
        struct text_piece *pc = &o->pieces[i];
        pc->y = baseline - TTF_FontAscent(pc->font->ttf);
    }
    return lh;
}

/* Emit line [a, b) of the paragraph: visual order from ubidi, pieces per run. */
static int emit_line(struct para *p, struct out *o, int a, int b)
{
    int end = trim_end(p->text, a, b);
    int first = o->n_pieces;
    int x = 0, rc;

    if (grow((void **)&o->lines, &o->cap_lines, o->n_lines + 1, sizeof(*o->lines)))
        return ENOMEM;
    if (end > a && (rc = add_pieces(p, o, a, end, &x)))
        return rc;
    int lh = place_on_baseline(p, o, first);
    struct text_line *ln = &o->lines[o->n_lines++];
    *ln = (struct text_line){.y = o->y,
                             .h = lh,
                             .x = 0,
                             .w = x,
                             .first = first,
                             .n = o->n_pieces - first,
                             .start = a,
                             .end = b};
    o->y += lh;
    return 0;
}

/* A segment wider than the line: break it between grapheme clusters. Emits every full line and
 * returns in *rest where the unfinished last line starts. */
static int break_clusters(struct para *p, struct out *o, int line_start, int a, int b, int *rest)
{
    UErrorCode uerr = U_ZERO_ERROR;
    const struct lang *lang = p->style->lang;
    int maxw = p->style->max_width, w = 0, rc = 0;
    UBreakIterator *gi =
        ubrk_open(UBRK_CHARACTER, lang ? lang->icu_locale : "en", p->text + a, b - a, &uerr);
    if (U_FAILURE(uerr))
        return ENOMEM;
    int start = line_start;
    w = line_start < a ? measure_span(p, line_start, a) : 0;
    for (int g = ubrk_next(gi), gp = 0; g != UBRK_DONE; gp = g, g = ubrk_next(gi)) {
        int gw = measure_span(p, a + gp, a + g);
        if (w + gw > maxw && a + gp > start) {
            if ((rc = emit_line(p, o, start, a + gp)))
                break;
            start = a + gp;
            w = 0;
        }
        if (gw > maxw)
            o->overflow = true; /* one cluster wider than the line: nothing else can be done */
        w += gw;
    }
    ubrk_close(gi);
    *rest = start;
    return rc;
}

/* Segments between ICU line-break opportunities: segment i is [brk[i-1], brk[i]) with
 * brk[-1] = 0; its width with (full) and without (trim) trailing spaces, and whether a hard
 * break ends it. */
struct segments {
    int *brk, *full, *trim;
    bool *hard;
    int n;
};

static void segments_free(struct segments *sg)
{
    free(sg->brk);
    free(sg->full);
    free(sg->trim);
    free(sg->hard);
}

/* Break lines, step 1: the segments, measured. */
static int find_segments(struct para *p, struct segments *sg)
{
    UErrorCode uerr = U_ZERO_ERROR;
    const struct lang *lang = p->style->lang;
    UBreakIterator *bi = ubrk_open(UBRK_LINE, lang && lang->icu_locale[0] ? lang->icu_locale : "en",
                                   p->text, p->len, &uerr);
    if (U_FAILURE(uerr))
        return ENOMEM;
    size_t cap = (size_t)p->len + 1;
    sg->brk = malloc(cap * sizeof(*sg->brk));
    sg->full = malloc(cap * sizeof(*sg->full));
    sg->trim = malloc(cap * sizeof(*sg->trim));
    sg->hard = malloc(cap * sizeof(*sg->hard));
    if (!sg->brk || !sg->full || !sg->trim || !sg->hard) {
        ubrk_close(bi);
        return ENOMEM;
    }
    /* No break inside a phone number or an address: "+1 555 0100" stays on one line. */
    int32_t keep[2 * 16];
    int n_keep = text_ltr_spans(p->text, p->len, keep, 16);
    int prev = ubrk_first(bi), n = 0;
    for (int b = ubrk_next(bi); b != UBRK_DONE; b = ubrk_next(bi)) {
        bool inside = false;
        for (int k = 0; k < n_keep && !inside; k++)
            inside = b > keep[2 * k] && b < keep[2 * k + 1];
        if (inside)
            continue;
        int status = ubrk_getRuleStatus(bi);
        int t = trim_end(p->text, prev, b);
        sg->brk[n] = b;
        sg->trim[n] = t > prev ? measure_span(p, prev, t) : 0;
        /* the trailing spaces on their own: cheap, where the word shaped twice was not */
        sg->full[n] = sg->trim[n] + (t < b ? measure_span(p, t, b) : 0);
        sg->hard[n] = status >= UBRK_LINE_HARD && status < UBRK_LINE_HARD_LIMIT && b < p->len;
        n++;
        prev = b;
    }
    sg->n = n;
    ubrk_close(bi);
    return 0;
}

/* Break lines, step 2: the last segment of the line that begins at segment first, taking
 * segments while the line (without trailing spaces, widths times scale) fits; a hard break ends
 * it. At least segment first. */
static int fill_line(const struct segments *sg, int first, int maxw, double scale)
{
    int w = 0, last = first - 1;
    for (int i = first; i < sg->n; i++) {
        if (i > first && (w + sg->trim[i]) * scale > maxw)
            break;
        w += sg->full[i];
        last = i;
        if (sg->hard[i])
            break;
    }
    return last;
}

/* Break lines, step 3a: segment *first is one word wider than the line. Its clusters fill
 * lines; its tail begins the next line with the segments that fit after it. */
static int break_long_word(struct para *p, struct out *o, const struct segments *sg,
                           int *line_start, int *first)
{
    int f = *first, maxw = p->style->max_width, rest, rc;
    int seg_start = f ? sg->brk[f - 1] : 0;
    if ((rc = break_clusters(p, o, *line_start, seg_start, sg->brk[f], &rest)))
        return rc;
    int i = f + 1;
    if (f + 1 < sg->n && !sg->hard[f]) {
        /* the tail continues the next line with the following segments */
        int lw = measure_span(p, rest, sg->brk[f]);
        while (i < sg->n && lw + sg->trim[i] <= maxw && !sg->hard[i - 1]) {
            lw += sg->full[i];
            i++;
        }
    }
    if ((rc = emit_line(p, o, rest, sg->brk[i - 1])))
        return rc;
    *line_start = sg->brk[i - 1];
    *first = i;
    return 0;
}

/* The width of [a, b) shaped whole, without trailing spaces. */
static int line_width(struct para *p, int a, int b)
{
    return measure_span(p, a, trim_end(p->text, a, b));
}

/* Break lines, step 3b: segment widths are an estimate: shaped whole, a line can come out wider
 * (rounding) or, in joined scripts such as Nastaliq, narrower. Settle the end of the line
 * *first..last on its real width, emit it, and learn the ratio for the next guess in *scale. */
static int settle_line(struct para *p, struct out *o, const struct segments *sg, int *line_start,
                       int *first, int last, double *scale)
{
    int maxw = p->style->max_width, f = *first, a = *line_start;
    int est = 0;
    for (int i = f; i < last; i++)
        est += sg->full[i];
    est += sg->trim[last];
    int real = line_width(p, a, sg->brk[last]);
    if (est > 0 && real > 0 && last > f)
        *scale = (double)real / est;
    while (last > f && real > maxw)
        real = line_width(p, a, sg->brk[--last]);
    /* One more segment: shaped whole only when the estimate leaves it a chance (a tenth over
     * the width at most), not once more for every line (a cold Urdu page shaped each line a
     * third time for nothing). */
    while (last + 1 < sg->n && !sg->hard[last] &&
           real + (sg->full[last] - sg->trim[last] + sg->trim[last + 1]) * *scale <= maxw * 1.1 &&
           (real = line_width(p, a, sg->brk[last + 1])) <= maxw)
        last++;
    int rc = emit_line(p, o, a, sg->brk[last]);
    if (rc)
        return rc;
    *line_start = sg->brk[last];
    *first = last + 1;
    return 0;
}

/* Break one paragraph into lines at ICU line-break opportunities: greedy on segment widths,
 * then each line's end is settled on its width shaped whole. */
static int break_lines(struct para *p, struct out *o)
{
    struct segments sg = {0};
    int maxw = p->style->max_width;

    if (maxw <= 0 || p->len == 0)
        return emit_line(p, o, 0, p->len);
    int rc = find_segments(p, &sg);
    int line_start = 0, first = 0; /* the line begins at segment `first` */
    /* Segments shaped apart add up wider than a line shaped whole in joined scripts (Nastaliq):
     * learn the ratio from each line so that the next guess needs fewer corrections. */
    double scale = 1.0;
    while (!rc && first < sg.n) {
        int last = fill_line(&sg, first, maxw, scale);
        if (last == first && sg.trim[first] > maxw)
            rc = break_long_word(p, o, &sg, &line_start, &first);
        else
            rc = settle_line(p, o, &sg, &line_start, &first, last, &scale);
    }
    if (!rc && o->n_lines == 0)
        rc = emit_line(p, o, 0, p->len);
    segments_free(&sg);
    return rc;
}

/* Lay out the paragraph text[a, b) (no '\n' inside) into o: itemize, then break lines. Adds
 * the characters no font has to *missing. */
static int layout_paragraph(struct text_engine *e, const struct text_style *style,
                            const UChar *text, const bool *bold, int a, int b, struct out *o,
                            unsigned *missing)
{
    struct para p = {
        .e = e, .style = style, .text = text + a, .len = b - a, .bold = bold ? bold + a : NULL};
    int first_line = o->n_lines;
    p.units = calloc((size_t)(p.len + 1), sizeof(*p.units));
    if (!p.units)
        return ENOMEM;
    /* An empty paragraph is an empty line (ICU's bidi has no levels for it). */
    int rc = p.len ? itemize(&p) : 0;
    if (!rc)
        rc = p.len ? break_lines(&p, o) : emit_line(&p, o, 0, 0);
    if (p.bidi)
        ubidi_close(p.bidi);
    for (int i = first_line; i < o->n_lines; i++) {
        o->lines[i].start += a;
        o->lines[i].end += a;
    }
    *missing += p.missing;
    free(p.units);
    free(p.runs);
    free(p.memo);
    return rc;
}

/* Inline bold (text_style.markup): take each pair of "**" out of every paragraph of text (len
 * units, changed in place) and mark what was between them in *boldp (malloc'd, one flag per
 * unit left). A paragraph's last "**" without a partner stays as it is. */
static int strip_markup(UChar *text, int32_t *len, bool **boldp)
{
    bool *bold = calloc((size_t)*len + 1, sizeof(*bold));
    if (!bold)
        return ENOMEM;
    int n = 0;
    for (int a = 0; a <= *len;) {
        int b = a, marks = 0;
        while (b < *len && text[b] != '\n')
            b++;
        for (int i = a; i + 1 < b; i++) {
            if (text[i] == '*' && text[i + 1] == '*') {
                marks++;
                i++;
            }
        }
        int pairs = marks / 2, seen = 0;
        bool on = false;
        for (int i = a; i < b; i++) {
            if (seen < 2 * pairs && i + 1 < b && text[i] == '*' && text[i + 1] == '*') {
                seen++;
                on = !on;
                i++;
                continue;
            }
            bold[n] = on;
            text[n++] = text[i];
        }
        if (b < *len)
            text[n++] = '\n';
        a = b + 1;
    }
    text[n] = 0;
    *len = n;
    *boldp = bold;
    return 0;
}

/* Horizontal alignment: "start" follows the paragraph direction. */
static void align_lines(struct text_layout *l, const struct text_style *style)
{
    bool rtl = style->lang && style->lang->rtl;
    for (int i = 0; i < l->n_lines; i++) {
        struct text_line *ln = &l->lines[i];
        int slack = l->w - ln->w;
        int dx = 0;
        if (style->align == TEXT_ALIGN_CENTER)
            dx = slack / 2;
        else if ((style->align == TEXT_ALIGN_START) == rtl)
            dx = slack;
        if (dx < 0)
            dx = 0;
        ln->x = dx;
        for (int k = ln->first; k < ln->first + ln->n; k++)
            l->pieces[k].x += dx;
    }
}

struct text_layout *text_layout_make(struct text_engine *e, const char *utf8,
                                     const struct text_style *style)
{
    struct text_layout *l = calloc(1, sizeof(*l));
    struct out o = {0};
    UChar *text = NULL;
    bool *bold = NULL; /* per unit, with style.markup */
    char *src = NULL;
    UErrorCode uerr = U_ZERO_ERROR;
    int32_t len = 0;

    if (!l)
        return NULL;
    if (!text_font_fallback(e, style->px, style->bold)) {
        free(l);
        return NULL; /* no font at all: nothing can be measured (logged when opening) */
    }
    src = style->lang && style->lang->rtl ? text_isolate_ltr(utf8) : strdup(utf8);
    if (!src)
        goto fail;
    u_strFromUTF8WithSub(NULL, 0, &len, src, -1, 0xFFFD, NULL, &uerr);
    uerr = U_ZERO_ERROR;
    text = malloc(sizeof(UChar) * (size_t)(len + 1));
    if (!text)
        goto fail;
    u_strFromUTF8WithSub(text, len + 1, NULL, src, -1, 0xFFFD, NULL, &uerr);
    if (U_FAILURE(uerr))
        goto fail;
    if (style->markup && strip_markup(text, &len, &bold))
        goto fail;

    /* Paragraphs are separated by '\n'; each gets its own bidi paragraph and breaks. */
    for (int a = 0; a <= len;) {
        int b = a;
        while (b < len && text[b] != '\n')
            b++;
        if (layout_paragraph(e, style, text, bold, a, b, &o, &l->missing))
            goto fail;
        a = b + 1;
    }

    for (int i = 0; i < o.n_lines; i++)
        o.widest = SDL_max(o.widest, o.lines[i].w);
    l->lines = o.lines;
    l->n_lines = o.n_lines;
    l->pieces = o.pieces;
    l->n_pieces = o.n_pieces;
    l->ink_w = o.widest;
    l->overflow = o.overflow;
    l->w = style->max_width > 0 ? style->max_width : o.widest;
    l->h = o.y;
    if (style->max_width > 0 && o.widest > style->max_width)
        l->overflow = true;

    align_lines(l, style);
    free(bold);
    free(text);
    free(src);
    return l;
fail:
    log_error("text layout failed (out of memory or invalid text)");
    for (int i = 0; i < o.n_pieces; i++)
        free(o.pieces[i].utf8);
    free(o.pieces);
    free(o.lines);
    free(bold);
    free(text);
    free(src);
    free(l);
    return NULL;
}

/* UTF-8 bytes of the first n UTF-16 units of s. */
static size_t utf8_bytes_of(const char *s, int n)
{
    size_t i = 0;
    while (n > 0 && s[i]) {
        unsigned char c = (unsigned char)s[i];
        int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        n -= len == 4 ? 2 : 1;
        for (i++; --len > 0 && s[i]; i++)
            ;
    }
    return i;
}

/* Width of the first n UTF-16 units of piece pc, shaped as the piece is. */
static int prefix_width(const struct text_piece *pc, int n)
{
    size_t b = utf8_bytes_of(pc->utf8, n);
    char *pre = strndup(pc->utf8, b);
    int w = 0, h = 0;
    if (pre && pre[0]) {
        text_font_prepare(pc->font, pc->script, pc->rtl);
        TTF_SizeUTF8(pc->font->ttf, pre, &w, &h);
    }
    free(pre);
    return SDL_min(w, pc->w);
}

bool text_layout_span(const struct text_layout *l, int line, int a, int b, int *x0, int *x1)
{
    if (line < 0 || line >= l->n_lines)
        return false;
    const struct text_line *ln = &l->lines[line];
    bool any = false;
    for (int i = ln->first; i < ln->first + ln->n; i++) {
        const struct text_piece *pc = &l->pieces[i];
        int s = SDL_max(a, pc->start), t = SDL_min(b, pc->end);
        if (s >= t)
            continue;
        /* Logical offsets to pixels within the piece: from the start edge of its direction. */
        int from = s == pc->start ? 0 : prefix_width(pc, s - pc->start);
        int to = t == pc->end ? pc->w : prefix_width(pc, t - pc->start);
        int l0 = pc->rtl ? pc->x + pc->w - to : pc->x + from;
        int l1 = pc->rtl ? pc->x + pc->w - from : pc->x + to;
        if (!any || l0 < *x0)
            *x0 = l0;
        if (!any || l1 > *x1)
            *x1 = l1;
        any = true;
    }
    return any;
}
