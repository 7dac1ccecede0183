/* libFuzzer target: text layout and drawing of arbitrary UTF-8 with the real fonts, in every
 * language (text_layout_get, text_layout_draw on a software renderer).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: byte 0 picks the language (locales/languages.ini order), byte 1 the size, bold and
 * alignment, byte 2 the wrap width (0: none, else 4 px steps); the rest is the text. Sizes come
 * from a fixed set, as on the kiosk: the engine keeps at most 256 open (font, size) pairs. */
#include <SDL.h>

/* Loading the catalogs once at start-up leaks inside libgettextpo 0.21 (see fuzz_po.c); this
 * target does not read catalogs per input. */
#define FUZZ_LSAN_SUPPRESSIONS                                                                     \
    "leak:libgettextpo_xmalloc\nleak:libgettextpo_xcalloc\n"                                       \
    "leak:libgettextpo_parse_plural_expression\n"
#include "fuzz.h"
#include "openline/i18n.h"
#include "openline/text.h"

static struct i18n *langs;
static struct text_engine *eng;
static SDL_Surface *surf;
static SDL_Renderer *ren;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[512];
    (void)argc, (void)argv;
    if (i18n_load(&langs, FUZZ_ROOT "/locales", err, sizeof(err)) ||
        text_engine_alloc(&eng, FUZZ_ROOT "/assets/fonts.ini", err, sizeof(err))) {
        fprintf(stderr, "fuzz_text: %s\n", err);
        abort();
    }
    surf = SDL_CreateRGBSurfaceWithFormat(0, 320, 120, 32, SDL_PIXELFORMAT_ARGB8888);
    ren = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    if (!ren)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int sizes[] = {12, 28, 45};
    if (size < 3)
        return 0;
    const struct lang *lang = i18n_at(langs, data[0] % i18n_count(langs));
    struct text_style st = {
        .lang = lang,
        .px = sizes[(data[1] & 3) % 3],
        .bold = data[1] & 4,
        .max_width = data[2] * 4,
        .align = (enum text_align)((data[1] >> 3) % 3),
        .markup = (data[1] & 0x80) != 0,
    };
    char *text = fuzz_string(data + 3, size - 3);
    const struct text_layout *l = text_layout_get(eng, text, &st);
    if (!l)
        abort(); /* NULL only when out of memory */
    if (text_layout_get(eng, text, &st) != l)
        abort(); /* cached */
    /* The structure the UI relies on: lines index pieces in range, pieces have text. */
    int pieces = 0;
    for (int i = 0; i < l->n_lines; i++) {
        const struct text_line *ln = &l->lines[i];
        if (ln->first < 0 || ln->n < 0 || ln->first + ln->n > l->n_pieces || ln->h <= 0)
            abort();
        pieces += ln->n;
    }
    if (pieces != l->n_pieces || l->n_lines < 1)
        abort();
    for (int i = 0; i < l->n_pieces; i++) {
        if (!l->pieces[i].utf8 || !l->pieces[i].font || strlen(l->pieces[i].script) != 4)
            abort();
    }
    text_layout_draw(eng, ren, l, 0, 0, (SDL_Color){0, 0, 0, 255});
    (void)text_line_height(eng, lang, st.px, st.bold);
    text_engine_next_frame(eng);
    text_engine_flush(eng);
    free(text);
    return 0;
}
