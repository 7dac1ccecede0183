/* Private to the text module: the font table, the font cache and the layout cache.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_TEXT_INT_H
#define OPENLINE_TEXT_INT_H

#include <SDL_ttf.h>
#include <unicode/utypes.h>

#include "openline/text.h"

#define TEXT_MAX_SCRIPTS 48
#define TEXT_MAX_DIRS    4
#define TEXT_MAX_FONTS   512  /* open fonts (file, face, size); a hard limit */
#define TEXT_FONTS_SOFT  256  /* past this, the next frame starts with no fonts open */
#define TEXT_CACHE_SLOTS 4096 /* hash buckets */
/* The layout cache's byte budget until text_engine_set_budget() sizes it from the screen: one
 * 1920x1080 screen of pixels. */
#define TEXT_CACHE_DEFAULT_BYTES ((size_t)1920 * 1080 * 4)

/* One row of assets/fonts.ini. */
struct text_script_font {
    char script[5];
    char regular[64];
    char bold[64];
    int face;          /* index in a .ttc collection */
    float line_height; /* factor on the font's own line skip */
    unsigned line;     /* its [Xxxx] header in fonts.ini, for messages */
};

/* An open font at one pixel size. */
struct text_font {
    char file[64];
    int face;
    int px;
    float line_height;
    TTF_Font *ttf;
};

struct text_cache_entry {
    struct text_layout *layout;
    struct text_cache_entry *next;          /* in its hash slot */
    struct text_cache_entry *newer, *older; /* the use order, for eviction */
};

struct text_engine {
    char dirs[TEXT_MAX_DIRS][256];
    unsigned n_dirs;
    char fallback[5]; /* script whose font provides digits and Latin everywhere */
    struct text_script_font scripts[TEXT_MAX_SCRIPTS];
    unsigned n_scripts;
    struct text_font fonts[TEXT_MAX_FONTS];
    unsigned n_fonts;
    struct text_cache_entry *slots[TEXT_CACHE_SLOTS];
    struct text_cache_entry *newest, *oldest; /* every cached layout, by last use */
    unsigned n_cached;
    size_t bytes, budget; /* held by the cached layouts (their bytes), and the cap on it */
    unsigned long frame;
};

/* Open (or find) the font file at px. NULL when it cannot be opened (logged once). */
struct text_font *text_font_open(struct text_engine *e, const char *file, int face, float lh,
                                 int px);

/* The font for script in lang at px: the language's own font for its script, else the table's.
 * NULL when the script has no row. */
struct text_font *text_font_for(struct text_engine *e, const struct lang *lang, const char *script,
                                int px, bool bold);

/* The last-resort font (the fallback script's) at px. */
struct text_font *text_font_fallback(struct text_engine *e, int px, bool bold);

/* Vertical metrics of a line: the largest ascent, descent and line skip of its fonts. */
struct text_line_metrics {
    int asc, desc, skip;
};
void text_line_metrics_add(struct text_line_metrics *m, const struct text_font *f);
int text_line_metrics_height(const struct text_line_metrics *m);

/* Set script and direction on f before shaping (SDL_ttf shapes correctly only with both). */
void text_font_prepare(struct text_font *f, const char *script, bool rtl);

/* Find phone numbers, web and e-mail addresses in text: up to max [start, end) pairs of UTF-16
 * offsets into spans (2 * max entries). They are isolated in RTL text and never broken across
 * lines. UI thread only. Returns the number found. */
int text_ltr_spans(const UChar *text, int32_t len, int32_t *spans, int max);

/* Lay out without caching; the caller owns the result (text_layout_free). */
struct text_layout *text_layout_make(struct text_engine *e, const char *utf8,
                                     const struct text_style *style);
void text_layout_free(struct text_layout *l);

#endif
