/* Private to the text module: the font table, the font cache and the layout cache.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_TEXT_INT_H
#define OPENLINE_TEXT_INT_H

#include <SDL_ttf.h>
#include <unicode/utypes.h>

#include "openline/text.h"

#define TEXT_MAX_SCRIPTS 48
#define TEXT_MAX_DIRS    4
#define TEXT_MAX_SPARES  4 /* spare font files per script */
/* (file, face, script) checked: every candidate of every row and each language's font */
#define TEXT_MAX_FACES   (TEXT_MAX_SCRIPTS * (4 + TEXT_MAX_SPARES) + 64)
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
    char spares[TEXT_MAX_SPARES][64]; /* used when regular and bold are refused */
    unsigned n_spares;
    int face;          /* index in a .ttc collection */
    float line_height; /* factor on the font's own line skip */
    unsigned line;     /* its [Xxxx] header in fonts.ini, for messages */
    int use[2];        /* per weight: the candidate in use + 1 (row_font); 0 not chosen yet,
                          -1 none works */
};

/* Whether a font file's face may draw a script: decided once, on first use (text_font_check). */
struct text_face_verdict {
    char file[64];
    int face;
    char script[5];
    bool ok;
    char why[160]; /* when refused: what was measured */
    float scale;   /* its size against Latin's (text_font_scale); 0 until measured */
};

/* An open font at one pixel size. */
struct text_font {
    char file[64];
    int face;
    int px;
    float line_height;
    TTF_Font *ttf;
    char ink_script[5]; /* the script ink_y0, ink_y1 were measured for, "" not yet */
    int ink_y0, ink_y1; /* rows of its ink drawing that script's sample, from the line's top */
};

/* A font file mapped into memory, shared by its sizes: FreeType reads glyphs from it with a
 * copy instead of a seek and a read(2) each, which were most of a cold Urdu page (issue 15). */
struct text_font_file {
    char file[64];
    void *map;
    size_t len;
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
    struct text_font_file files[TEXT_MAX_FACES]; /* mapped on first open, until freed */
    unsigned n_files;
    struct text_face_verdict faces[TEXT_MAX_FACES];
    unsigned n_faces;
    bool ink_each;     /* text_engine_count_ink */
    int latin_band[2]; /* the fallback font's ink band, regular and bold (text_font_scale), 0
                          until measured */
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

/* Factor on the pixel size that gives script drawn with face of file the visual size of Latin:
 * the body of its letters (the band holding the middle 60 % of the ink of the script's sample,
 * text_script_sample) against the same band of the fallback font's Latin sample in the same
 * weight (bold: a bold face), measured once.
 * 1 for the fallback script and for faces within 5 % of Latin's; never below 1 (no script is
 * shrunk: CJK stays at its size) nor above TEXT_SCALE_MAX, so that lines stay workable. */
#define TEXT_SCALE_MAX 1.5f
float text_font_scale(struct text_engine *e, const char *file, int face, const char *script,
                      bool bold);

/* The ink band of sample drawn with f (script, direction): the rows from the 20th to the 80th
 * percentile of its ink, in pixels. 0 when nothing renders. */
int text_ink_band(TTF_Font *f, const char *script, bool rtl, const char *sample);

/* The last-resort font (the fallback script's) at px. */
struct text_font *text_font_fallback(struct text_engine *e, int px, bool bold);

/* Check that face number face of the font file at path can draw script: every table its directory
 * lists lies inside the file, its metrics are plausible for its size, and a sample of the script
 * (text_script_sample) has every letter mapped and outlined and renders with ink. Returns 0, or
 * EINVAL/EIO with what was measured in why. Opens the file at 48 px once; any thread. */
int text_font_check(const char *path, int face, const char *script, char *why, size_t whylen);

/* A short UTF-8 sample of script: a language's name in itself for the scripts the kiosk ships,
 * else ICU's sample character, written to buf (len bytes). "" for an unknown script. The result
 * is static or buf. */
const char *text_script_sample(const char *script, char *buf, size_t len);

/* How many letters of utf8, drawn with f into s (NULL: rendering failed), have no ink: all of
 * them when s has not a pixel, else (when each) those whose glyph has no outline. Spaces, format
 * characters and non-spacing marks never count. For the layout check (text_piece.no_ink). */
int text_letters_without_ink(TTF_Font *f, const char *utf8, SDL_Surface *s, bool each);

/* The rows [*y0, *y1) of s (ARGB, as SDL_ttf renders) with a pixel of ink; 0, 0 when none. */
void text_surface_ink_rows(SDL_Surface *s, int *y0, int *y1);

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
