/* Unit tests for the text engine: itemization, font fallback, bidi order, line breaking, and
 * LTR isolation of phone numbers in RTL text. Uses the real fonts and ICU data.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "openline/i18n.h"
#include "openline/text.h"
#include "openline/util.h"

#include "text_fixture.h"

static const struct lang *L(const char *code)
{
    const struct lang *l = i18n_find(langs, code);
    if (!l)
        fail_msg("language %s missing", code);
    return l;
}

static const struct text_layout *lay(const char *code, const char *text, int width)
{
    struct text_style st = {L(code), 32, false, width, TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(eng, text, &st);
    assert_non_null(l);
    return l;
}

/* The piece whose text is s, or NULL. */
static const struct text_piece *piece(const struct text_layout *l, const char *s)
{
    for (int i = 0; i < l->n_pieces; i++) {
        if (!strcmp(l->pieces[i].utf8, s))
            return &l->pieces[i];
    }
    return NULL;
}

static void test_isolate(void **state)
{
    (void)state;
    char *s = text_isolate_ltr("اتصل بالرقم 1-888-373-7888 أو زر example.org/help.");
    assert_non_null(strstr(s, "\u20661-888-373-7888\u2069"));
    assert_non_null(strstr(s, "\u2066example.org/help\u2069."));
    free(s);
    s = text_isolate_ltr("info@example.org");
    assert_string_equal(s, "\u2066info@example.org\u2069");
    free(s);
    s = text_isolate_ltr("لا أرقام هنا");
    assert_string_equal(s, "لا أرقام هنا");
    free(s);
}

/* A phone number inside Arabic and Urdu keeps its order, as one left-to-right run in one
 * font. */
static void test_phone_in_rtl(void **state)
{
    (void)state;
    static const char *const texts[][2] = {
        {"ar", "اتصل بالرقم 1-888-373-7888 في أي وقت."},
        {"ur", "کسی بھی وقت 1-888-373-7888 پر کال کریں۔"},
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const struct text_layout *l = lay(texts[i][0], texts[i][1], 0);
        assert_int_equal(l->missing, 0);
        const struct text_piece *p = piece(l, "1-888-373-7888");
        if (!p)
            fail_msg("%s: the number is split or reordered", texts[i][0]);
        assert_false(p->rtl);
        /* Naskh lacks "-": the whole number moves to one fallback font, never mixed */
        if (!strcmp(texts[i][0], "ar"))
            assert_string_equal(text_font_file(p->font), "NotoSans-Regular.ttf");
        /* The number sits between the Arabic words, left of the first word (RTL order). */
        int first_arabic_x = -1;
        for (int k = 0; k < l->n_pieces; k++) {
            if (l->pieces[k].rtl && l->pieces[k].x > first_arabic_x)
                first_arabic_x = l->pieces[k].x;
        }
        assert_true(p->x < first_arabic_x);
    }
}

/* Digits and Latin inside Thai, Ethiopic, Khmer and Myanmar fall back to Noto Sans. */
/* The pixels of the number inside right-to-left text are exactly those of the number drawn on
 * its own, left to right: its order survives the bidi algorithm, whatever the eye reads. */
static void test_phone_pixels(void **state)
{
    (void)state;
    static const char *const texts[][2] = {
        {"ar", "اتصل بالرقم +1 555 0100 من هاتف آخر."},
        {"ur", "کسی دوسرے فون سے +1 555 0100 پر کال کریں۔"},
        {"fa", "با شماره +1 555 0100 تماس بگیرید."},
    };
    const char *number = "+1 555 0100";
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const struct text_layout *l = lay(texts[i][0], texts[i][1], 0);
        /* the number on its own: one left-to-right run in the same font */
        struct text_style st = {L(texts[i][0]), 32, false, 0, TEXT_ALIGN_START, false};
        const struct text_layout *alone = text_layout_get(eng, number, &st);
        const struct text_piece *p = piece(l, number);
        if (!p)
            fail_msg("%s: the number is not one run", texts[i][0]);
        assert_int_equal(alone->n_pieces, 1);
        const struct text_piece *q = &alone->pieces[0];
        assert_false(p->rtl);
        assert_false(q->rtl); /* shaped left to right, so the reference itself is in order */
        /* the same font and size on both sides */
        assert_string_equal(text_font_file(p->font), text_font_file(q->font));
        /* Both layouts on one white surface (software renderer, no display), one under the
         * other; then compare the piece's rectangle with the number's. */
        int w = l->w > alone->w ? l->w : alone->w, h = l->h + alone->h;
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        assert_non_null(s);
        SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
        assert_non_null(r);
        SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
        SDL_RenderClear(r);
        text_layout_draw(eng, r, l, 0, 0, (SDL_Color){0, 0, 0, 255});
        text_layout_draw(eng, r, alone, 0, l->h, (SDL_Color){0, 0, 0, 255});
        SDL_RenderPresent(r);
        int diff = 0, ink = 0;
        Uint32 *px = s->pixels;
        int stride = s->pitch / 4;
        for (int y = 0; y < p->h; y++) {
            for (int x = 0; x < p->w; x++) {
                Uint32 pa = px[(p->y + y) * stride + p->x + x];
                Uint32 pb = px[(l->h + q->y + y) * stride + q->x + x];
                diff += pa != pb;
                ink += pb != 0xffffffffu;
            }
        }
        text_engine_flush(eng); /* the textures belong to this renderer */
        SDL_DestroyRenderer(r);
        SDL_FreeSurface(s);
        assert_true(ink > 100); /* something was drawn */
        if (diff)
            fail_msg("%s: %d pixels of the number differ from its left-to-right rendering",
                     texts[i][0], diff);
    }
}

static void test_fallback_digits(void **state)
{
    (void)state;
    static const char *const texts[][2] = {
        {"th", "โทร 1-888-373-7888 ฟรี"},
        {"am", "ወደ 1-888-373-7888 ይደውሉ።"},
        {"km", "ហៅទៅលេខ 1-888-373-7888 ឥតគិតថ្លៃ"},
        {"my", "1-888-373-7888 ကို ဖုန်းဆက်ပါ။"},
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const struct text_layout *l = lay(texts[i][0], texts[i][1], 0);
        if (l->missing)
            fail_msg("%s: %u characters without a font", texts[i][0], l->missing);
        bool found = false;
        for (int k = 0; k < l->n_pieces; k++) {
            if (strstr(l->pieces[k].utf8, "888")) {
                found = true;
                assert_string_equal(text_font_file(l->pieces[k].font), "NotoSans-Regular.ttf");
            }
        }
        assert_true(found);
    }
}

/* Chinese: the CJK font has its own digits; nothing may be a box. */
static void test_cjk(void **state)
{
    (void)state;
    const struct text_layout *l = lay("zh-Hans", "请拨打1-888-373-7888，免费。", 0);
    assert_int_equal(l->missing, 0);
    assert_int_equal(l->n_lines, 1);
}

static void test_script_runs(void **state)
{
    (void)state;
    const struct text_layout *l = lay("hi", "यह हिंदी है और English भी।", 0);
    assert_int_equal(l->missing, 0);
    bool deva = false, latn = false;
    for (int k = 0; k < l->n_pieces; k++) {
        deva |= !strcmp(l->pieces[k].script, "Deva");
        latn |= !strcmp(l->pieces[k].script, "Latn") && strstr(l->pieces[k].utf8, "English");
    }
    assert_true(deva);
    assert_true(latn);
}

/* A line holds any number of runs: 600 one-letter runs (Latin and Cyrillic in turn) on one line
 * all come out, in order (emit_line once kept at most 512 of a visual run's and dropped the
 * rest without a word). */
static void test_many_runs_on_a_line(void **state)
{
    (void)state;
    char text[1300], got[1300];
    size_t n = 0;
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "a\xd0\xb1"); /* a, Cyrillic be */
    const struct text_layout *l = lay("en", text, 0);
    assert_int_equal(l->n_lines, 1);
    assert_int_equal(l->n_pieces, 600);
    n = 0;
    for (int k = 0; k < l->n_pieces && n < sizeof(got); k++)
        n += (size_t)snprintf(got + n, sizeof(got) - n, "%s", l->pieces[k].utf8);
    assert_string_equal(got, text);
}

/* Thai has no spaces between words: lines must break at ICU's dictionary opportunities, never
 * inside a word or a cluster. */
/* Lines in Thai, Khmer, Burmese and Chinese break only at ICU line-break opportunities (with the
 * language's dictionary), never inside a grapheme cluster, and no Chinese line starts with
 * closing punctuation. Checked on every translated string of those catalogs at three widths. */
struct break_walk {
    const char *code;
    unsigned lines, strings;
};

static void check_breaks(const char *msgid, const char *marked, void *arg)
{
    struct break_walk *bw = arg;
    /* as the kiosk lays it out: bold markers taken out (text_style's markup) */
    char *msgstr = util_unmark_bold(marked);
    assert_non_null(msgstr);
    static const int widths[] = {300, 450, 640};
    UChar u[4096];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    (void)msgid;
    u_strFromUTF8(u, 4096, &n, msgstr, -1, &st);
    if (U_FAILURE(st) || n < 12) {
        free(msgstr);
        return;
    }
    UBreakIterator *lb = ubrk_open(UBRK_LINE, L(bw->code)->icu_locale, u, n, &st);
    UBreakIterator *gb = ubrk_open(UBRK_CHARACTER, L(bw->code)->icu_locale, u, n, &st);
    assert_true(U_SUCCESS(st));
    bw->strings++;
    for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
        const struct text_layout *l = lay(bw->code, msgstr, widths[w]);
        assert_false(l->overflow);
        for (int i = 1; i < l->n_lines; i++) {
            int at = l->lines[i].start;
            bw->lines++;
            if (!ubrk_isBoundary(lb, at) || !ubrk_isBoundary(gb, at))
                fail_msg("%s at %d px: line %d starts at %d, not a line-break opportunity: %s",
                         bw->code, widths[w], i + 1, at, msgstr);
            UChar32 c;
            U16_GET(u, 0, at, n, c);
            int cls = u_getIntPropertyValue(c, UCHAR_LINE_BREAK);
            if (cls == U_LB_CLOSE_PUNCTUATION || cls == U_LB_CLOSE_PARENTHESIS ||
                cls == U_LB_EXCLAMATION || cls == U_LB_INFIX_NUMERIC)
                fail_msg("%s: a line starts with closing punctuation U+%04X: %s", bw->code,
                         (unsigned)c, msgstr);
        }
        text_engine_next_frame(eng);
    }
    ubrk_close(lb);
    ubrk_close(gb);
    free(msgstr);
}

static void test_breaks(void **state)
{
    (void)state;
    static const char *const codes[] = {"th", "km", "my", "zh-Hans"};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        struct break_walk bw = {.code = codes[i]};
        i18n_each(L(codes[i]), check_breaks, &bw);
        printf("%s: %u line breaks in %u strings checked\n", codes[i], bw.lines, bw.strings);
        assert_true(bw.lines > 50); /* the catalogs are there and the text does wrap */
    }
}

static void test_wrap_width(void **state)
{
    (void)state;
    const struct text_layout *l =
        lay("en", "Your passport and ID card belong to you. Your employer may not keep them.", 260);
    assert_true(l->n_lines >= 3);
    for (int i = 0; i < l->n_lines; i++)
        assert_true(l->lines[i].w <= 260);
    assert_int_equal(l->w, 260);
    /* RTL paragraphs align to the right edge */
    l = lay("ar", "جواز سفرك ملك لك. لا يحق لصاحب العمل الاحتفاظ به.", 260);
    for (int i = 0; i < l->n_lines; i++)
        assert_int_equal(l->lines[i].x + l->lines[i].w, 260);
}

/* A phone number or address is never broken across lines, in any script. */
static void test_numbers_unbroken(void **state)
{
    (void)state;
    static const char *const texts[][2] = {
        {"en", "If calling here is not safe, call +1 555 0100 from another phone or visit "
               "help.example.org."},
        {"th", "ถ้าโทรจากที่นี่ไม่ปลอดภัย โทร +1 555 0100 จากโทรศัพท์เครื่องอื่น"},
        {"km", "ហៅទៅលេខ +1 555 0100 ពីទូរស័ព្ទផ្សេង ឬចូលមើល help.example.org"},
        {"ar", "اتصل بالرقم +1 555 0100 من هاتف آخر أو زر help.example.org."},
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        for (int width = 200; width <= 640; width += 40) {
            const struct text_layout *l = lay(texts[i][0], texts[i][1], width);
            bool whole = false;
            for (int k = 0; k < l->n_pieces; k++)
                whole |= strstr(l->pieces[k].utf8, "+1 555 0100") != NULL;
            if (!whole)
                fail_msg("%s at %d px: the number is broken", texts[i][0], width);
        }
    }
}

/* Empty paragraphs are empty lines, never a failed layout (found by fuzzing). */
static void test_empty_paragraphs(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int lines;
    } cases[] = {{"", 1}, {"Hello\n", 2}, {"\nHello", 2}, {"Hello\n\nWorld", 3}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (int w = 0; w <= 300; w += 300) {
            const struct text_layout *l = lay("ar", cases[i].text, w);
            assert_int_equal(l->n_lines, cases[i].lines);
            assert_true(l->h > 0);
            l = lay("en", cases[i].text, w);
            assert_int_equal(l->n_lines, cases[i].lines);
        }
    }
}

/* Hundreds of font sizes (window resizes, text shrunk to fit) never run out of font slots. */
static void test_many_sizes(void **state)
{
    (void)state;
    for (int round = 0; round < 3; round++) {
        for (int px = 8; px < 300; px++) {
            struct text_style st = {L(px % 2 ? "my" : "th"), px,   px % 3 == 0, 0,
                                    TEXT_ALIGN_START,        false};
            const struct text_layout *l = text_layout_get(eng, "ၼ 1-888 ไทย", &st);
            assert_non_null(l);
            assert_int_equal(l->missing, 0);
            text_engine_next_frame(eng);
        }
    }
}

static void test_cache(void **state)
{
    (void)state;
    const struct text_layout *a = lay("en", "Cached text", 0);
    const struct text_layout *b = lay("en", "Cached text", 0);
    assert_ptr_equal(a, b);
    const struct text_layout *c = lay("en", "Cached text", 100);
    assert_ptr_not_equal(a, c);
}

/* Heap in use, all arenas (what the process holds, less what glibc keeps free). */
static size_t heap_used(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* A software renderer on a surface the width of a 1920x1080 screen, for drawing layouts. */
static SDL_Renderer *wide_renderer(SDL_Surface **sp)
{
    *sp = SDL_CreateRGBSurfaceWithFormat(0, 1920, 64, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(*sp);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(*sp);
    assert_non_null(r);
    return r;
}

static const struct text_layout *draw_line(SDL_Renderer *r, int i)
{
    char text[128];
    snprintf(text, sizeof(text), "Line %d of a page shown in every language for months", i);
    const struct text_layout *l = lay("en", text, 0);
    text_layout_draw(eng, r, l, 0, 0, (SDL_Color){0, 0, 0, 255});
    return l;
}

/* A kiosk shows every page in every language for months: the layout cache is capped by bytes,
 * textures included (by default one 1920x1080 screen of pixels, 7.9 MiB), not by count (3,000
 * layouts held 380 MiB at 1920x1080). Drawing 400 lines of about 160 KiB of texture each, one a
 * frame, grows the heap by no more than the budget. */
static void test_cache_capped_in_bytes(void **state)
{
    (void)state;
    SDL_Surface *s;
    SDL_Renderer *r = wide_renderer(&s);
    const size_t budget = (size_t)1920 * 1080 * 4, slack = 4u << 20;
    draw_line(r, -1); /* the font open before counting */
    text_engine_flush(eng);
    size_t before = heap_used(), grown = 0;
    for (int i = 0; i < 400; i++) {
        draw_line(r, i);
        text_engine_next_frame(eng);
        size_t now = heap_used();
        grown = now > before && now - before > grown ? now - before : grown;
    }
    text_engine_flush(eng); /* the textures belong to this renderer */
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(s);
    if (grown > budget + slack)
        fail_msg("the heap grew by %.1f MiB drawing 400 lines (budget %.1f MiB)",
                 (double)grown / 1048576.0, (double)budget / 1048576.0);
}

/* The cache counts what it holds (textures' pixels included) and keeps it within the budget set,
 * least recently used out first, except the layouts the last two frames used: a frame that needs
 * more than the budget keeps every layout it was given, and the cache shrinks again after. */
static void test_cache_budget(void **state)
{
    (void)state;
    SDL_Surface *s;
    SDL_Renderer *r = wide_renderer(&s);
    struct text_cache_usage u;
    const size_t budget = 1u << 20;
    text_engine_flush(eng);
    text_engine_cache_usage(eng, &u);
    const size_t was = u.budget;
    assert_int_equal(u.bytes, 0);
    text_engine_set_budget(eng, budget);

    const struct text_layout *l = draw_line(r, 0);
    size_t pixels = 0;
    for (int i = 0; i < l->n_pieces; i++) {
        int w, h;
        SDL_QueryTexture(l->pieces[i].tex, NULL, NULL, &w, &h);
        pixels += (size_t)w * (size_t)h * 4;
    }
    text_engine_cache_usage(eng, &u);
    assert_true(pixels > 0);
    assert_true(u.bytes >= pixels && u.bytes < pixels + 4096);

    for (int i = 1; i < 100; i++) {
        l = draw_line(r, i);
        text_engine_next_frame(eng);
        text_engine_cache_usage(eng, &u);
        if (u.bytes > budget + l->bytes)
            fail_msg("frame %d: %zu bytes cached, budget %zu", i, u.bytes, budget);
    }
    /* one frame drawing 20 lines, several times the budget: all stay */
    const struct text_layout *got[20];
    for (int i = 0; i < 20; i++)
        got[i] = draw_line(r, 1000 + i);
    for (int i = 0; i < 20; i++)
        assert_ptr_equal(draw_line(r, 1000 + i), got[i]);
    text_engine_cache_usage(eng, &u);
    assert_true(u.bytes > 2 * budget);
    text_engine_next_frame(eng);
    text_engine_next_frame(eng);
    text_engine_cache_usage(eng, &u);
    assert_true(u.bytes <= budget);

    text_engine_flush(eng);
    text_engine_cache_usage(eng, &u);
    assert_int_equal(u.bytes, 0);
    assert_int_equal(u.layouts, 0);
    text_engine_set_budget(eng, was);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(s);
}

static void test_line_heights(void **state)
{
    (void)state;
    int latn = text_line_height(eng, L("en"), 32, false);
    int mymr = text_line_height(eng, L("my"), 32, false);
    int nast = text_line_height(eng, L("ur"), 32, false);
    /* Myanmar and Nastaliq need 1.6-1.8 times the Latin line height (docs/design.md 4) */
    assert_true(mymr * 10 >= latn * 15);
    assert_true(nast * 10 >= latn * 15);
}

/* Lay out text in code's language with inline bold (text_style.markup). */
static const struct text_layout *lay_marked(const char *code, const char *text, int width)
{
    struct text_style st = {L(code), 32, false, width, TEXT_ALIGN_START, true};
    const struct text_layout *l = text_layout_get(eng, text, &st);
    assert_non_null(l);
    return l;
}

/* Characters of l's pieces drawn with a bold face, and whether any piece shows "*". */
static int bold_chars(const struct text_layout *l, bool *star)
{
    int n = 0;
    *star = false;
    for (int i = 0; i < l->n_pieces; i++) {
        const struct text_piece *pc = &l->pieces[i];
        if (strstr(text_font_file(pc->font), "Bold"))
            n += pc->end - pc->start;
        *star |= strchr(pc->utf8, '*') != NULL;
    }
    return n;
}

static void test_markup_bold(void **state)
{
    (void)state;
    bool star;
    const struct text_layout *plain = lay("en", "Keep your passport with you.", 0);
    const struct text_layout *marked = lay_marked("en", "Keep **your passport** with you.", 0);
    /* the span in bold, wider than the same text regular, and no asterisk drawn */
    assert_int_equal(bold_chars(marked, &star), (int)strlen("your passport"));
    assert_false(star);
    assert_true(marked->ink_w > plain->ink_w);
    assert_non_null(piece(marked, "your passport"));
    /* without the flag the asterisks are text, and the cache keeps the two apart */
    const struct text_layout *literal = lay("en", "Keep **your passport** with you.", 0);
    assert_ptr_not_equal(literal, marked);
    assert_int_equal(bold_chars(literal, &star), 0);
    assert_true(star);
    /* a "**" without a partner is drawn; the pair before it still makes bold */
    const struct text_layout *odd = lay_marked("en", "**Free** help ** always", 0);
    assert_int_equal(bold_chars(odd, &star), 4);
    assert_true(star);
    /* a pair per paragraph: a marker does not reach into the next one */
    const struct text_layout *paras = lay_marked("en", "one **two\nthree** four", 0);
    assert_int_equal(bold_chars(paras, &star), 0);
    assert_true(star);
    /* right-to-left, Thai, CJK and Nastaliq, wrapped across the span's edges */
    static const char *const texts[][2] = {
        {"ar", "إذا أخذ أحد **جواز سفرك** فهذا غير مسموح. اتصل بنا."},
        {"ur", "اگر کوئی **آپ کا پاسپورٹ** رکھ لے تو یہ اجازت نہیں۔"},
        {"th", "ถ้ามีคน**ยึดหนังสือเดินทาง**ของคุณ นี่ไม่ได้รับอนุญาต"},
        {"zh-Hans", "如果有人**拿走你的护照**，这是不允许的。"},
        {"my", "တစ်စုံတစ်ယောက်က **သင့်နိုင်ငံကူးလက်မှတ်ကို** ယူထားလျှင်"},
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        for (int width = 0; width <= 200; width += 200) {
            const struct text_layout *l = lay_marked(texts[i][0], texts[i][1], width);
            int n = bold_chars(l, &star);
            if (star || n < 4)
                fail_msg("%s at width %d: %d characters bold, asterisks %s", texts[i][0], width, n,
                         star ? "shown" : "hidden");
            assert_int_equal(l->missing, 0);
            if (width)
                assert_true(l->n_lines > 1);
        }
    }
}

/* The body of text drawn with l: the rows from the 20th to the 80th percentile of its ink, in
 * pixels (the tall and deep strokes of a few letters left out). Drawn black on white. */
static int ink_band(const struct text_layout *l)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, l->w, l->h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
    assert_non_null(r);
    SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
    SDL_RenderClear(r);
    text_layout_draw(eng, r, l, 0, 0, (SDL_Color){0, 0, 0, 255});
    SDL_RenderPresent(r);
    double *rows = calloc((size_t)s->h, sizeof(*rows)), total = 0, sum = 0;
    assert_non_null(rows);
    for (int y = 0; y < s->h; y++) {
        const Uint32 *px = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < s->w; x++)
            rows[y] += 255 - (px[x] & 0xff); /* darkness of the blue channel */
        total += rows[y];
    }
    int lo = -1, hi = -1;
    for (int y = 0; y < s->h && hi < 0; y++) {
        sum += rows[y];
        if (lo < 0 && sum >= 0.2 * total)
            lo = y;
        if (sum >= 0.8 * total)
            hi = y;
    }
    free(rows);
    text_engine_flush(eng); /* the textures belong to this renderer */
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(s);
    assert_true(total > 0);
    return hi - lo + 1;
}

/* Every language's name in itself, at one pixel size, has a body at least 4/5 as tall as
 * Latin's and at most 3/2 (issue 15: Arabic and Persian came out at 0.8, Urdu at 0.7 by this
 * measure, before each script was scaled to Latin's visual size). */
static void test_visual_size(void **state)
{
    (void)state;
    struct text_style st = {L("en"), 48, true, 0, TEXT_ALIGN_START, false};
    int latin = ink_band(text_layout_get(eng, "English Español Français", &st));
    for (unsigned i = 0; i < i18n_count(langs); i++) {
        const struct lang *lang = i18n_at(langs, i);
        st.lang = lang;
        int band = ink_band(text_layout_get(eng, lang->endonym, &st));
        print_message("%s %s: body %d px, Latin %d px (%.2f)\n", lang->code, lang->endonym, band,
                      latin, (double)band / latin);
        if (band * 5 < latin * 4 || band * 2 > latin * 3)
            fail_msg("%s: its name's body is %d px, Latin's %d px: not the same visual size",
                     lang->code, band, latin);
    }
}

/* Write text to a temporary fonts.ini and load it; returns text_engine_alloc's result. */
static int load_fonts(const char *text, char *err, size_t errlen)
{
    char path[64];
    struct text_engine *e = NULL;
    snprintf(path, sizeof(path), "/tmp/openline-fonts-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    int rc = text_engine_alloc(&e, path, err, errlen);
    text_engine_free(e);
    unlink(path);
    return rc;
}

/* fonts.ini: lines longer than libinih's 200-byte buffer are read whole, values never cut (a
 * file name longer than the table holds is refused), errors about a section at its header. */
static void test_fonts_ini(void **state)
{
    char err[512], text[2048], comment[301], name[80];
    (void)state;
    memset(comment, '-', 300);
    comment[0] = '#';
    comment[300] = '\0';
    snprintf(text, sizeof(text),
             "%s\n[fonts]\ndirs = /usr/share/fonts/truetype/noto\n[Latn]\n"
             "regular = NotoSans-Regular.ttf\n",
             comment);
    if (load_fonts(text, err, sizeof(err)))
        fail_msg("%s", err);
    snprintf(text, sizeof(text),
             "%s\n[fonts]\ndirs = /usr/share/fonts/truetype/noto\n[Latn]\nface = 99\n", comment);
    assert_int_equal(load_fonts(text, err, sizeof(err)), EINVAL);
    if (!strstr(err, ":5: face must be"))
        fail_msg("%s", err);
    memset(name, 'n', sizeof(name));
    memcpy(name + sizeof(name) - 5, ".ttf", 5);
    snprintf(text, sizeof(text), "[fonts]\ndirs = /usr/share/fonts\n[Latn]\nregular = %s\n", name);
    assert_int_equal(load_fonts(text, err, sizeof(err)), EINVAL);
    if (!strstr(err, ":4: regular: too long") || !strstr(err, name))
        fail_msg("%s", err);
    assert_int_equal(load_fonts("[fonts]\ndirs = /usr/share/fonts\n\n[latn]\nregular = a.ttf\n",
                                err, sizeof(err)),
                     EINVAL);
    if (!strstr(err, ":4: section must be an ISO 15924 script code"))
        fail_msg("%s", err);
    assert_int_equal(
        load_fonts("[fonts]\ndirs = /usr/share/fonts\n\n[Latn]\nbold = b.ttf\n", err, sizeof(err)),
        EINVAL);
    if (!strstr(err, ":4: [Latn] has no 'regular' font"))
        fail_msg("%s", err);
}

struct refusals {
    char why[4][512];
    int n;
};

static void keep_refusal(const char *path, const char *script, const char *why, void *arg)
{
    struct refusals *r = arg;
    if (r->n < 4)
        snprintf(r->why[r->n++], sizeof(r->why[0]), "%s %s: %s", path, script, why);
}

/* A font file cut in half opens in FreeType and draws nothing: the engine refuses it by name and
 * draws the script with its other weight; a spare that lacks the script is refused too. */
static void test_damaged_faces(void **state)
{
    static const char noto[] = "/usr/share/fonts/truetype/noto";
    char dir[] = "/tmp/openline-faces-XXXXXX", path[128], ini[256], cmd[512], err[512];
    struct text_engine *e = NULL;
    struct refusals r = {0};
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd),
             "head -c 18872 %s/NotoSansThai-Regular.ttf > %s/NotoSansThai-Regular.ttf", noto, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(ini, sizeof(ini), "%s/fonts.ini", dir);
    FILE *f = fopen(ini, "w");
    assert_non_null(f);
    fprintf(f,
            "[fonts]\ndirs = %s %s\n[Latn]\nregular = NotoSans-Regular.ttf\n[Thai]\n"
            "regular = NotoSansThai-Regular.ttf\nbold = NotoSansThai-Bold.ttf\n"
            "spares = NotoSans-Regular.ttf NotoSerifThai-Regular.ttf\n",
            dir, noto);
    fclose(f);
    if (text_engine_alloc(&e, ini, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(text_engine_check_faces(e, NULL, 0, keep_refusal, &r), 2);
    snprintf(path, sizeof(path), "%s/NotoSansThai-Regular.ttf Thai: cut short: 18872 bytes", dir);
    if (strncmp(r.why[0], path, strlen(path)))
        fail_msg("%s", r.why[0]);
    if (!strstr(r.why[1], "NotoSans-Regular.ttf Thai: does not cover the script"))
        fail_msg("%s", r.why[1]);
    struct text_style st = {L("th"), 24, false, 0, TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(e, "ภาษาไทย", &st);
    assert_non_null(l);
    assert_int_equal(l->n_pieces, 1);
    assert_string_equal(text_font_file(l->pieces[0].font), "NotoSansThai-Bold.ttf");
    text_engine_free(e);
    unlink(ini);
    snprintf(path, sizeof(path), "%s/NotoSansThai-Regular.ttf", dir);
    unlink(path);
    rmdir(dir);

    assert_int_equal(load_fonts("[fonts]\ndirs = /usr/share/fonts\n[Latn]\nregular = a.ttf\n"
                                "spares = b.ttf c.ttf d.ttf e.ttf f.ttf\n",
                                err, sizeof(err)),
                     EINVAL);
    if (!strstr(err, ":5: more than 4 spares at 'f.ttf'"))
        fail_msg("%s", err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_isolate),
        cmocka_unit_test(test_phone_in_rtl),
        cmocka_unit_test(test_phone_pixels),
        cmocka_unit_test(test_fallback_digits),
        cmocka_unit_test(test_cjk),
        cmocka_unit_test(test_script_runs),
        cmocka_unit_test(test_many_runs_on_a_line),
        cmocka_unit_test(test_breaks),
        cmocka_unit_test(test_wrap_width),
        cmocka_unit_test(test_numbers_unbroken),
        cmocka_unit_test(test_cache),
        cmocka_unit_test(test_cache_capped_in_bytes),
        cmocka_unit_test(test_cache_budget),
        cmocka_unit_test(test_empty_paragraphs),
        cmocka_unit_test(test_many_sizes),
        cmocka_unit_test(test_line_heights),
        cmocka_unit_test(test_visual_size),
        cmocka_unit_test(test_markup_bold),
        cmocka_unit_test(test_fonts_ini),
        cmocka_unit_test(test_damaged_faces),
    };
    return cmocka_run_group_tests(tests, text_fixture_setup, text_fixture_teardown);
}
