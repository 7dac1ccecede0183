/* The text engine: ICU for bidi, script detection and line breaking; SDL_ttf (HarfBuzz) for
 * shaping, measuring and rasterising, one run at a time with its script and direction set.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_TEXT_H
#define OPENLINE_TEXT_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

struct lang;
struct text_engine;

enum text_align {
    TEXT_ALIGN_START, /* left for left-to-right languages, right for right-to-left */
    TEXT_ALIGN_CENTER,
    TEXT_ALIGN_END,
};

struct text_style {
    const struct lang *lang; /* script, direction, font, line-break locale */
    int px;                  /* font size in pixels (em) */
    bool bold;
    int max_width; /* wrap at this width in pixels; 0: one line per paragraph */
    enum text_align align;
    /* Inline bold: each pair of "**" inside a paragraph is taken out and the text between drawn
     * bold ("a **key phrase** here"); a "**" left without a partner is drawn as it is. Offsets
     * in the layout (pieces, lines, text_layout_span) are then those of the text without them. */
    bool markup;
};

/* One shaped run on one line: a single font, script and direction. */
struct text_piece {
    int x, y, w, h; /* within the layout box, pixels */
    int start, end; /* UTF-16 offsets of its text in the paragraph */
    char *utf8;     /* the run's text in logical order (owned by the layout) */
    struct text_font *font;
    char script[5];
    bool rtl;
    SDL_Texture *tex; /* rendered on first draw, white, tinted by colour modulation */
    int no_ink;       /* set when rendered: letters drawn without a pixel (a damaged font) */
};

struct text_line {
    int y, h;       /* top and height in pixels */
    int x, w;       /* left edge and width of the ink in pixels, after alignment */
    int first, n;   /* pieces, in visual order from left to right */
    int start, end; /* UTF-16 offsets of the line in the paragraph (for tests) */
};

struct text_layout {
    int w, h;  /* box: max_width (or the widest line) by the sum of line heights */
    int ink_w; /* widest line */
    int n_lines, n_pieces;
    struct text_line *lines;
    struct text_piece *pieces;
    unsigned missing; /* characters no font provides (drawn as boxes) */
    bool overflow;    /* a single unbreakable cluster is wider than max_width */
    /* private */
    unsigned long hash;
    char *key; /* set while the layout is in the engine's cache */
    unsigned long last_used;
    size_t bytes; /* memory it holds, its textures' pixels included */
};

/* Load the script -> font table (assets/fonts.ini). Fonts open lazily. err gets one message with
 * the file and line on failure. *ep is set only on success. */
int text_engine_alloc(struct text_engine **ep, const char *fonts_ini, char *err, size_t errlen);
void text_engine_free(struct text_engine *e);

/* Check that every font the table and the languages name can be opened; describes the first
 * failure in err. */
int text_engine_check_fonts(struct text_engine *e, const struct lang *const *langs, unsigned n,
                            char *err, size_t errlen);

/* A font file refused for a script: its path (its name when it is not found), the script, and
 * what was measured ("cut short: ...", "renders no ink ..."). */
typedef void(text_face_problem_h)(const char *path, const char *script, const char *why, void *arg);

/* Check every face assets/fonts.ini names (regular, bold and spares of every script) and the own
 * font of each of langs, for its script, as the engine checks a face before it first draws with
 * it: the file whole, plausible metrics, a sample of the script drawn with ink. A refused face is
 * logged once and not used (the script falls back to its next font); problem_h (may be NULL) gets
 * each. Returns how many were refused. UI thread; opens each file once (milliseconds each). */
unsigned text_engine_check_faces(struct text_engine *e, const struct lang *const *langs, unsigned n,
                                 text_face_problem_h *problem_h, void *arg);

/* Lay out utf8 (paragraphs separated by '\n') with style. The result is cached by (text, style)
 * and owned by the engine: valid until text_engine_next_frame() is called twice without it being
 * used again, or until text_engine_free(). Never NULL unless out of memory. */
const struct text_layout *text_layout_get(struct text_engine *e, const char *utf8,
                                          const struct text_style *style);

/* Draw layout with its box's top-left at (x, y) in colour c. Renders textures on first use. */
void text_layout_draw(struct text_engine *e, SDL_Renderer *r, const struct text_layout *l, int x,
                      int y, SDL_Color c);

/* The rows [*top, *bottom) of l, in layout coordinates, where its letters' ink lies: on each
 * line, from the top to the bottom of the ink of its fonts drawing their scripts' samples (Latin:
 * capitals to descenders). To centre a label by what is seen rather than by its line box
 * (Naskh's and Nastaliq's letters sit low in theirs) while labels of one script keep one
 * baseline. False when l has no piece. */
bool text_layout_ink_rows(struct text_engine *e, const struct text_layout *l, int *top,
                          int *bottom);

/* How text_piece.no_ink is counted when a piece is first drawn: each letter's glyph looked up
 * (the layout check: a glyph lookup per letter, a tenth more time on a cold Urdu page), or, by
 * default, only a piece drawn without a single pixel. */
void text_engine_count_ink(struct text_engine *e, bool each);

/* Start a frame: layouts unused for two frames may be evicted when the cache is over budget. */
void text_engine_next_frame(struct text_engine *e);

/* Cap the layout cache at bytes (layouts, their text and their textures' pixels, least recently
 * used evicted first); a frame that needs more keeps what it uses until the next frame. The ui
 * sizes it from the screen (ui_metrics_compute()); until then one 1920x1080 screen of pixels. */
void text_engine_set_budget(struct text_engine *e, size_t bytes);

struct text_cache_usage {
    size_t bytes;  /* held by the cached layouts, textures included */
    size_t budget; /* the cap (text_engine_set_budget) */
    unsigned layouts;
    unsigned fonts; /* open (file, face, size): each holds its own glyph and shaping caches */
};
void text_engine_cache_usage(const struct text_engine *e, struct text_cache_usage *u);

/* Drop every cached layout and texture (on renderer loss or theme change). */
void text_engine_flush(struct text_engine *e);
/* Give back the pages of the font files that glyphs were read from (they are mapped, so the
 * pages read count as the kiosk's resident memory): still in the page cache, read again at the
 * next glyph without touching the disk. When no visitor is there (attract). */
void text_engine_trim(struct text_engine *e);

/* Line height in pixels for lang at px (the tallest of its fonts). */
int text_line_height(struct text_engine *e, const struct lang *lang, int px, bool bold);

/* Height of capital letters in pixels for lang's Latin fallback at px (to size body text in mm). */
int text_cap_height(struct text_engine *e, const struct lang *lang, int px);

/* Name of the font file a piece was shaped with (for tests and reports). */
const char *text_font_file(const struct text_font *f);
/* The horizontal extent [*x0, *x1) (layout coordinates) of the text at UTF-16 offsets [a, b) of
 * the paragraph on line line: for read-aloud's highlight of a sentence. False when none of it is
 * on that line. A piece cut inside is measured by its prefix, shaped alone. */
bool text_layout_span(const struct text_layout *l, int line, int a, int b, int *x0, int *x1);
/* The pixel size a piece's font is open at: the style's px times its script's scale to Latin's
 * visual size (for tests comparing with hb-shape). */
int text_font_px(const struct text_font *f);
/* SDL_ttf handle of a piece's font (for tests comparing with hb-shape). */
void *text_font_handle(const struct text_font *f);

/* Wrap phone numbers, web and e-mail addresses in LRI..PDI (U+2066, U+2069) so that they keep
 * their left-to-right order inside right-to-left text. Returns a malloc'd UTF-8 string. */
char *text_isolate_ltr(const char *utf8);

#endif
