/* UI drawing: metrics from physical size, themes, shapes, icons, widgets, text with layout checks.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "openline/log.h"
#include "openline/ui.h"
#include "openline/util.h"
#include "ui_int.h"

#define MM_TARGET 20.0f /* smallest touch target */
#define MM_CAP    4.8f  /* smallest height of capital letters in body text */

struct ui_icon {
    char name[64];
    int size;
    SDL_Texture *tex; /* NULL: failed to load (not retried) */
    struct ui_icon *next;
};

/* ---- cache budgets ------------------------------------------------------------------------- */

/* A kiosk runs for months through every language and page: its caches are capped by bytes, sized
 * from the screen, because what a layout or pictogram costs grows with the screen's pixels (a cap
 * of 3,000 layouts by count let a 1920x1080 kiosk settle at 380 MiB and a 3840x2160 one at
 * 1.2 GiB). The layouts two frames use hold at most a third of a screen of texture pixels (2.6 MiB
 * at 1920x1080, 10 MiB at 3840x2160, over every page in every language), so one screen keeps the
 * screen shown and those a visitor goes back to drawn; pictograms are smaller and fewer. */
#define UI_TEXT_CACHE_SCREENS 1
#define UI_ICON_CACHE_DIV     2 /* pictograms: half a screen */

static size_t screen_bytes(const struct ui *ui)
{
    return (size_t)SDL_max(ui->w, 1) * (size_t)SDL_max(ui->h, 1) * 4;
}

size_t ui_icon_budget(const struct ui *ui)
{
    return screen_bytes(ui) / UI_ICON_CACHE_DIV;
}

static void cache_budgets(struct ui *ui)
{
    struct text_cache_usage u;
    size_t text = screen_bytes(ui) * UI_TEXT_CACHE_SCREENS;
    text_engine_cache_usage(ui->text, &u);
    if (u.budget == text)
        return;
    text_engine_set_budget(ui->text, text);
    log_info("caches sized from the %dx%d screen: text %.1f MiB, pictograms %.1f MiB", ui->w, ui->h,
             (double)text / 1048576.0, (double)ui_icon_budget(ui) / 1048576.0);
}

/* ---- metrics and theme --------------------------------------------------------------------- */

/* The smallest size from px up whose capitals are at least cap_px tall. A working Latin face has
 * capitals of 0.5 to 0.9 of its size, so the answer is within half again of px (which assumes
 * 0.714, Noto Sans). A measurement outside that comes from a damaged font and must never grow
 * the text (an "H" of height 0 once made body text 400 px and moved every control): px stays,
 * and the log says why. */
static int body_px_for_caps(struct ui *ui, int px, float cap_px)
{
    for (int size = px; size <= px * 3 / 2; size++) {
        int cap = text_cap_height(ui->text, NULL, size);
        if (cap * 10 < size * 5 || cap * 10 > size * 9) {
            log_error("capital H of the fallback font measures %d px at %d px, not 0.5 to 0.9 of "
                      "it (a damaged font?): body text stays at %d px",
                      cap, size, px);
            return px;
        }
        if (cap >= cap_px)
            return size;
    }
    return px * 3 / 2;
}

float ui_px_per_mm(const struct config *cfg, int w, int h)
{
    /* Pixels are square, so the window's diagonal in pixels over the panel's in millimetres holds
     * in either orientation; width_mm is the width of the window as it is. */
    if (cfg->display.diagonal_mm)
        return (float)(hypot(w, h) / cfg->display.diagonal_mm);
    return (float)w / (float)cfg->display.width_mm;
}

void ui_metrics_compute(struct ui *ui)
{
    struct ui_metrics *m = &ui->m;
    int min_dim = ui->w < ui->h ? ui->w : ui->h;

    m->px_per_mm = ui_px_per_mm(ui->cfg, ui->w, ui->h);
    m->target = (int)ceilf(MM_TARGET * m->px_per_mm);
    /* Body text: capitals at least 4.8 mm, and never tiny relative to the screen. */
    /* A visitor who asked for larger text gets capitals half as tall again, with fewer lines
     * on screen and more scrolling. */
    float cap = MM_CAP * (ui->s.large_text ? 1.5f : 1.0f);
    int px = (int)ceilf(cap * m->px_per_mm / 0.714f);
    int floor_px = ui->s.large_text ? min_dim * 3 / 80 : min_dim / 40;
    if (px < floor_px)
        px = floor_px;
    if (px < 12)
        px = 12;
    m->body_px = body_px_for_caps(ui, px, cap * m->px_per_mm);
    m->title_px = px * 13 / 10;
    m->head_px = px * 8 / 5;
    m->margin = SDL_max(m->target / 3, min_dim / 40);
    m->gap = m->margin / 2;
    int line = text_line_height(ui->text, NULL, px, true);
    m->control_h = SDL_max(m->target, line + m->gap);
    m->bar_h = m->control_h + m->gap;
    m->radius = m->target / 6;
    cache_budgets(ui);
}

void ui_theme_apply(struct ui *ui)
{
    bool hc = (ui->cfg->display.theme == CONFIG_THEME_HIGH_CONTRAST) != ui->s.high_contrast_toggled;
    struct ui_theme *t = &ui->theme;
    if (hc) {
        *t = (struct ui_theme){
            .bg = {0, 0, 0, 255},
            .surface = {0, 0, 0, 255},
            .surface_pressed = {60, 60, 0, 255},
            .text = {255, 255, 255, 255},
            .muted = {255, 255, 255, 255},
            .accent = {255, 230, 0, 255},
            .accent_text = {0, 0, 0, 255},
            .exit = {255, 255, 255, 255},
            .exit_text = {0, 0, 0, 255},
            .focus = {0, 255, 255, 255},
            .border = {255, 255, 255, 255},
            .shade = {0, 0, 0, 230},
            .highlight = {0, 0, 150, 255},
            .borders = true,
        };
    } else {
        *t = (struct ui_theme){
            .bg = {18, 38, 58, 255},
            .surface = {32, 62, 92, 255},
            .surface_pressed = {52, 92, 130, 255},
            .text = {255, 255, 255, 255},
            .muted = {205, 220, 235, 255},
            .accent = {26, 122, 76, 255},
            .accent_text = {255, 255, 255, 255},
            .exit = {176, 72, 16, 255},
            .exit_text = {255, 255, 255, 255},
            .focus = {255, 214, 0, 255},
            .border = {120, 160, 200, 255},
            .shade = {8, 16, 26, 215},
            .highlight = {48, 88, 128, 255},
            .borders = false,
        };
    }
    ui->dirty = true;
}

/* ---- shapes -------------------------------------------------------------------------------- */

void ui_fill(struct ui *ui, SDL_Rect r, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(ui->renderer, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(ui->renderer, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(ui->renderer, &r);
}

void ui_fill_round(struct ui *ui, SDL_Rect r, int radius, SDL_Color c)
{
    if (radius * 2 > r.h)
        radius = r.h / 2;
    if (radius * 2 > r.w)
        radius = r.w / 2;
    SDL_SetRenderDrawBlendMode(ui->renderer, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(ui->renderer, c.r, c.g, c.b, c.a);
    SDL_Rect mid = {r.x, r.y + radius, r.w, r.h - 2 * radius};
    SDL_RenderFillRect(ui->renderer, &mid);
    for (int i = 0; i < radius; i++) {
        float dy = (float)radius - (float)i - 0.5f;
        int inset = radius - (int)lroundf(sqrtf((float)(radius * radius) - dy * dy));
        SDL_Rect top = {r.x + inset, r.y + i, r.w - 2 * inset, 1};
        SDL_Rect bot = {r.x + inset, r.y + r.h - 1 - i, r.w - 2 * inset, 1};
        SDL_RenderFillRect(ui->renderer, &top);
        SDL_RenderFillRect(ui->renderer, &bot);
    }
}

void ui_fill_ring(struct ui *ui, SDL_FPoint centre, float r_in, float r_out, SDL_Color c)
{
    enum { SEGMENTS = 96 }; /* smooth at 4K sizes; 192 triangles */
    SDL_Vertex v[2 * SEGMENTS];
    int idx[6 * SEGMENTS];
    for (int i = 0; i < SEGMENTS; i++) {
        float a = (float)i * 2.0f * (float)M_PI / SEGMENTS, ca = cosf(a), sa = sinf(a);
        v[2 * i] = (SDL_Vertex){{centre.x + r_in * ca, centre.y + r_in * sa}, c, {0, 0}};
        v[2 * i + 1] = (SDL_Vertex){{centre.x + r_out * ca, centre.y + r_out * sa}, c, {0, 0}};
        int j = (i + 1) % SEGMENTS, *t = idx + 6 * i;
        t[0] = 2 * i, t[1] = 2 * i + 1, t[2] = 2 * j + 1;
        t[3] = 2 * i, t[4] = 2 * j + 1, t[5] = 2 * j;
    }
    SDL_SetRenderDrawBlendMode(ui->renderer, SDL_BLENDMODE_BLEND);
    SDL_RenderGeometry(ui->renderer, NULL, v, 2 * SEGMENTS, idx, 6 * SEGMENTS);
}

void ui_frame(struct ui *ui, SDL_Rect r, int t, SDL_Color c)
{
    ui_fill(ui, (SDL_Rect){r.x, r.y, r.w, t}, c);
    ui_fill(ui, (SDL_Rect){r.x, r.y + r.h - t, r.w, t}, c);
    ui_fill(ui, (SDL_Rect){r.x, r.y, t, r.h}, c);
    ui_fill(ui, (SDL_Rect){r.x + r.w - t, r.y, t, r.h}, c);
}

void ui_clear(struct ui *ui)
{
    SDL_RenderSetClipRect(ui->renderer, NULL);
    SDL_SetRenderDrawColor(ui->renderer, ui->theme.bg.r, ui->theme.bg.g, ui->theme.bg.b, 255);
    SDL_RenderClear(ui->renderer);
}

void ui_clip(struct ui *ui, const SDL_Rect *r)
{
    SDL_RenderSetClipRect(ui->renderer, r);
    ui->check.clip = r ? *r : (SDL_Rect){0, 0, 0, 0};
}

/* ---- icons --------------------------------------------------------------------------------- */

static size_t icon_bytes(const struct ui_icon *i)
{
    return sizeof(*i) + (i->tex ? (size_t)i->size * (size_t)i->size * 4 : 0);
}

size_t ui_icons_bytes(const struct ui *ui)
{
    size_t n = 0;
    for (const struct ui_icon *i = ui->icons; i; i = i->next)
        n += icon_bytes(i);
    return n;
}

/* The list runs from the most recently drawn; what does not fit in the budget after it is dropped,
 * never the newest (which may alone be larger). Rendering a bundled pictogram again takes 0.1 to
 * 3 ms (the top of icon.c). A texture drawn earlier in this frame may go: SDL finishes the
 * frame's queued drawing with it before destroying it. */
static void icons_trim(struct ui *ui)
{
    size_t budget = ui_icon_budget(ui), n = icon_bytes(ui->icons);
    for (struct ui_icon **pi = &ui->icons->next; *pi;) {
        n += icon_bytes(*pi);
        if (n <= budget) {
            pi = &(*pi)->next;
            continue;
        }
        struct ui_icon *gone = *pi;
        *pi = gone->next;
        n -= icon_bytes(gone);
        if (gone->tex)
            SDL_DestroyTexture(gone->tex);
        free(gone);
    }
}

static SDL_Texture *icon_get(struct ui *ui, const char *name, int size)
{
    for (struct ui_icon **pi = &ui->icons; *pi; pi = &(*pi)->next) {
        struct ui_icon *i = *pi;
        if (i->size == size && !strcmp(i->name, name)) {
            *pi = i->next; /* to the front: most recently used */
            i->next = ui->icons;
            ui->icons = i;
            return i->tex;
        }
    }
    struct ui_icon *i = calloc(1, sizeof(*i));
    if (!i)
        return NULL;
    util_strlcpy(i->name, name, sizeof(i->name));
    i->size = size;
    i->next = ui->icons;
    ui->icons = i;

    char path[PATH_MAX + 128];
    snprintf(path, sizeof(path), "%s/assets/icons/%s", ui->data_dir, name);
    /* Refused (too large, too complex, truncated: ui_icon_read()) or unreadable: left out;
     * `run` and self-test name it at start, not when a visitor opens the screen (a log line
     * would say when someone was here). The failure stays cached: it is not tried again. */
    char *svg = NULL, why[1024];
    size_t len = 0;
    if (ui_icon_read(path, &svg, &len, why, sizeof(why)))
        return NULL;
    SDL_RWops *rw = SDL_RWFromConstMem(svg, (int)len);
    SDL_Surface *s = rw ? IMG_LoadSizedSVG_RW(rw, size, size) : NULL;
    if (rw)
        SDL_RWclose(rw);
    free(svg);
    if (!s)
        return NULL;
    i->tex = SDL_CreateTextureFromSurface(ui->renderer, s);
    SDL_FreeSurface(s);
    if (i->tex)
        SDL_SetTextureBlendMode(i->tex, SDL_BLENDMODE_BLEND);
    icons_trim(ui);
    return i->tex;
}

void ui_icons_free(struct ui *ui)
{
    while (ui->icons) {
        struct ui_icon *n = ui->icons->next;
        if (ui->icons->tex)
            SDL_DestroyTexture(ui->icons->tex);
        free(ui->icons);
        ui->icons = n;
    }
}

void ui_draw_icon(struct ui *ui, const char *name, SDL_Rect r, SDL_Color c, bool mirror)
{
    int size = r.w < r.h ? r.w : r.h;
    SDL_Texture *t = icon_get(ui, name, size);
    if (!t)
        return;
    SDL_Rect dst = {r.x + (r.w - size) / 2, r.y + (r.h - size) / 2, size, size};
    SDL_SetTextureColorMod(t, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(t, c.a);
    SDL_RenderCopyEx(ui->renderer, t, NULL, &dst, 0, NULL,
                     mirror ? SDL_FLIP_HORIZONTAL : SDL_FLIP_NONE);
}

/* ---- text ---------------------------------------------------------------------------------- */

const struct text_layout *ui_text_fit(struct ui *ui, const char *text, const struct lang *lang,
                                      int px, int min_px, bool bold, SDL_Rect box,
                                      enum text_align align)
{
    const struct text_layout *l = NULL;
    if (min_px < ui->m.body_px)
        min_px = ui->m.body_px; /* never below 4.8 mm capitals */
    if (px < min_px)
        px = min_px;
    for (int size = px; size >= min_px; size -= SDL_max(1, size / 20)) {
        struct text_style st = {lang, size, bold, box.w, align, false};
        l = text_layout_get(ui->text, text, &st);
        if (!l || (!l->overflow && l->h <= box.h))
            return l;
    }
    /* Too long in bold at the smallest size: regular is narrower (Urdu's Nastaliq Bold is). */
    struct text_style st = {lang, min_px, false, box.w, align, false};
    if (bold && (l = text_layout_get(ui->text, text, &st)) && !l->overflow && l->h <= box.h)
        return l;
    st.bold = bold;
    return text_layout_get(ui->text, text, &st);
}

static bool rect_inside(const SDL_Rect *in, const SDL_Rect *out)
{
    return in->x >= out->x - 1 && in->y >= out->y - 1 && in->x + in->w <= out->x + out->w + 1 &&
           in->y + in->h <= out->y + out->h + 1;
}

/* How many bytes of t to quote in a problem: at most max, cut between characters. */
static int utf8_prefix(const char *t, int max)
{
    int n = (int)strlen(t);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
            n--;
    }
    return n;
}

/* Text that should have ink and has none: a font that opens and measures but draws nothing
 * (cut short, overwritten). One problem per text, naming the first blank piece and its font. */

static void check_text_ink(struct ui *ui, const struct text_layout *l, const char *what)
{
    int blank = 0, first = -1;
    /* Boxes are ink, but no more readable: characters no working font provides (every font of
     * the script refused, or none in the table). */
    if (l->missing && l->n_pieces) {
        const char *t = l->pieces[0].utf8;
        int n = utf8_prefix(t, 60);
        ui_problem(ui, "%s: %u character(s) no font draws, shown as boxes, in \"%.*s%s\"", what,
                   l->missing, n, t, t[n] ? "..." : "");
    }
    for (int i = 0; i < l->n_pieces; i++) {
        if (l->pieces[i].no_ink) {
            blank += l->pieces[i].no_ink;
            first = first < 0 ? i : first;
        }
    }
    if (!blank)
        return;
    const char *t = l->pieces[first].utf8;
    int n = utf8_prefix(t, 60);
    ui_problem(ui, "%s: %d letter(s) drawn without ink in \"%.*s%s\" (font %s)", what, blank, n, t,
               t[n] ? "..." : "", text_font_file(l->pieces[first].font));
}

void ui_text_draw(struct ui *ui, const struct text_layout *l, SDL_Rect box, bool valign_center,
                  SDL_Color c, const char *what)
{
    if (!l)
        return;
    int y = box.y, top = 0, bottom = 0;
    text_engine_count_ink(ui->text, ui->check.on);
    bool inked = text_layout_ink_rows(ui->text, l, &top, &bottom);
    /* Centred by its fonts' ink, not its line box: Naskh and Nastaliq letters sit low in theirs;
     * when that box is too tall for the box, the line box. */
    if (valign_center && inked && bottom - top <= box.h)
        y += SDL_max(0, SDL_min(box.h - l->h, (box.h - (bottom - top)) / 2 - top));
    else if (valign_center && l->h < box.h)
        y += (box.h - l->h) / 2;
    text_layout_draw(ui->text, ui->renderer, l, box.x, y, c);

    if (!ui->check.on)
        return;
    check_text_ink(ui, l, what);
    /* Where the ink is: the union of the lines' extents. */
    SDL_Rect ink = {0, 0, 0, 0};
    for (int i = 0; i < l->n_lines; i++) {
        SDL_Rect lr = {box.x + l->lines[i].x, y + l->lines[i].y, l->lines[i].w, l->lines[i].h};
        if (!lr.w)
            continue;
        if (!ink.w)
            ink = lr;
        else
            SDL_UnionRect(&ink, &lr, &ink);
    }
    if (!ink.w)
        return;
    SDL_Rect screen = {0, 0, ui->w, ui->h};
    if (ui->check.clip.w) {
        /* Scrolled content: it may run past the viewport vertically, never sideways. */
        SDL_Rect wide = {box.x, ink.y, box.w, ink.h};
        if (l->overflow || !rect_inside(&(SDL_Rect){ink.x, ink.y, ink.w, 1}, &wide))
            ui_problem(ui, "%s: clipped: text is %d px wide, its box %d px", what, ink.w, box.w);
        if (!SDL_IntersectRect(&ink, &ui->check.clip, &ink))
            return;
    } else if (l->overflow || !rect_inside(&ink, &box) || !rect_inside(&ink, &screen)) {
        ui_problem(ui, "%s: clipped: text needs %dx%d px at (%d,%d), its box is %dx%d at (%d,%d)",
                   what, ink.w, l->h, ink.x, ink.y, box.w, box.h, box.x, box.y);
    }
    ui_check_text(ui, ink, box, what);
}

void ui_check_text(struct ui *ui, SDL_Rect ink, SDL_Rect box, const char *what)
{
    for (int i = 0; i < ui->check.n_texts && i < UI_MAX_TEXT_CHECKS; i++) {
        SDL_Rect both;
        if (SDL_IntersectRect(&ink, &ui->check.texts[i].ink, &both) && both.w > 1 && both.h > 1)
            ui_problem(ui, "%s overlaps %s by %dx%d px", what, ui->check.texts[i].what, both.w,
                       both.h);
    }
    if (ui->check.n_texts == UI_MAX_TEXT_CHECKS) {
        /* once per frame: what is drawn past the cap could overlap unseen */
        ui_problem(ui,
                   "%s: more than UI_MAX_TEXT_CHECKS (%d) texts on one screen; the rest are "
                   "not checked for overlaps",
                   what, UI_MAX_TEXT_CHECKS);
        ui->check.n_texts++;
    } else if (ui->check.n_texts < UI_MAX_TEXT_CHECKS) {
        struct ui_text_check *ck = &ui->check.texts[ui->check.n_texts++];
        ck->ink = ink;
        ck->box = box;
        util_strlcpy(ck->what, what, sizeof(ck->what));
    }
}

/* ---- widgets ------------------------------------------------------------------------------- */

/* A link's label is underlined under its last line, as wide as that line's ink: a secondary
 * action that reads as one without the weight of a button. */
static void link_underline(struct ui *ui, const struct text_layout *l, SDL_Rect lb, SDL_Color c)
{
    if (!l->n_lines)
        return;
    const struct text_line *ln = &l->lines[l->n_lines - 1];
    int y = lb.y + (l->h < lb.h ? (lb.h - l->h) / 2 : 0) + ln->y + ln->h;
    int t = SDL_max(2, ui->m.body_px / 14);
    ui_fill(ui, (SDL_Rect){lb.x + ln->x, y - t, ln->w, t}, c);
}

/* A tile: the pictogram over the label, centred together. */
static void draw_tile(struct ui *ui, const struct ui_widget *w, SDL_Color fg, const char *what)
{
    const struct ui_metrics *m = &ui->m;
    int pad = m->gap;
    /* Pictogram over the label, centred together in the tile. */
    int icon = w->r.h * 2 / 5;
    SDL_Rect avail = {w->r.x + pad, w->r.y + pad + icon + pad / 2, w->r.w - 2 * pad,
                      w->r.h - 2 * pad - icon - pad / 2};
    const struct text_layout *l = ui_text_fit(ui, w->label, w->label_lang, m->title_px, m->body_px,
                                              true, avail, TEXT_ALIGN_CENTER);
    if (l && l->h > avail.h) {
        /* A label that needs more lines than fit (a long title, a tall script): the
         * pictogram gives way, down to a fifth of the tile, so the words stay whole. */
        /* (and a gap more: the group is centred on the label's ink, not its line box) */
        int room = SDL_min(l->h - avail.h + pad, icon - w->r.h / 5);
        icon -= room;
        avail.y -= room;
        avail.h += room;
    }
    int lh = l ? SDL_min(l->h, avail.h) : 0, top = 0, bottom = lh;
    /* The group is the pictogram and the label's ink (its fonts' ink, as buttons centre) */
    if (!l || !text_layout_ink_rows(ui->text, l, &top, &bottom) || bottom - top > lh)
        top = 0, bottom = lh;
    top = SDL_min(top, pad / 2); /* the line box stays clear of the pictogram */
    int group = icon + pad / 2 + bottom - top;
    int y0 = w->r.y + (w->r.h - group) / 2;
    /* centred on the ink, the label's whole line box must still fit above the tile's pad */
    int below = w->r.y + w->r.h - pad - (y0 + icon + pad / 2 - top);
    if (below < lh)
        y0 = SDL_max(w->r.y + pad / 2, y0 - (lh - below));
    if (w->icon[0])
        ui_draw_icon(ui, w->icon, (SDL_Rect){w->r.x, y0, w->r.w, icon}, fg, w->mirror_icon);
    SDL_Rect lb = {avail.x, y0 + icon + pad / 2 - top, avail.w,
                   w->r.y + w->r.h - pad - (y0 + icon + pad / 2 - top)};
    ui_text_draw(ui, l, lb, false, fg, what);
}

void ui_draw_widget(struct ui *ui, const struct ui_widget *w)
{
    const struct ui_theme *t = &ui->theme;
    const struct ui_metrics *m = &ui->m;
    bool pressed = ui->pressed >= 0 && &ui->widgets[ui->pressed] == w;
    SDL_Color bg = t->surface, fg = t->text;
    char what[80];

    if (w->style == UI_STYLE_AREA)
        return;
    if (w->tone == UI_TONE_ACCENT) {
        bg = t->accent;
        fg = t->accent_text;
    } else if (w->tone == UI_TONE_EXIT) {
        bg = t->exit;
        fg = t->exit_text;
    }
    if (pressed)
        bg = w->tone == UI_TONE_NORMAL ? t->surface_pressed : t->focus;
    if (w->style != UI_STYLE_LINK || pressed)
        ui_fill_round(ui, w->r, m->radius, bg);
    if ((t->borders && w->style != UI_STYLE_LINK) || w->selected)
        ui_frame(ui, w->r, SDL_max(2, m->target / 24), w->selected ? t->accent : t->border);

    snprintf(what, sizeof(what), "widget %s", w->id);
    int pad = m->gap;
    if (w->style == UI_STYLE_TILE) {
        draw_tile(ui, w, fg, what);
    } else if (w->label[0]) {
        int icon = w->icon[0] ? SDL_min(w->r.h - 2 * pad, m->target * 2 / 3) : 0;
        SDL_Rect inner = {w->r.x + pad, w->r.y, w->r.w - 2 * pad, w->r.h};
        /* Measure the label on one line to centre icon + label as a group. */
        struct text_style one = {w->label_lang, m->body_px, true, 0, TEXT_ALIGN_START, false};
        const struct text_layout *probe = text_layout_get(ui->text, w->label, &one);
        int lw = inner.w - (icon ? icon + pad : 0);
        /* a little slack: a line measured whole may round a pixel wider than its parts */
        int need = probe ? probe->ink_w + 4 : lw;
        int group = (icon ? icon + pad : 0) + (need < lw ? need : lw);
        int x0 = inner.x + (inner.w - group) / 2;
        bool rtl = w->label_lang && w->label_lang->rtl;
        SDL_Rect ir = {rtl ? x0 + group - icon : x0, w->r.y, icon, w->r.h};
        SDL_Rect lb = {rtl ? x0 : x0 + (icon ? icon + pad : 0), w->r.y + 2,
                       group - (icon ? icon + pad : 0), w->r.h - 4};
        if (icon)
            ui_draw_icon(ui, w->icon, ir, fg, w->mirror_icon);
        const struct text_layout *l =
            ui_text_fit(ui, w->label, w->label_lang, m->body_px, m->body_px, true, lb,
                        icon ? (rtl ? TEXT_ALIGN_START : TEXT_ALIGN_START) : TEXT_ALIGN_CENTER);
        ui_text_draw(ui, l, lb, true, fg, what);
        if (w->style == UI_STYLE_LINK && l)
            link_underline(ui, l, lb, fg);
    } else if (w->icon[0]) {
        SDL_Rect ir = {w->r.x + pad, w->r.y + pad, w->r.w - 2 * pad, w->r.h - 2 * pad};
        ui_draw_icon(ui, w->icon, ir, fg, w->mirror_icon);
    }
}

void ui_draw_widgets(struct ui *ui)
{
    for (int i = 0; i < ui->n_widgets; i++)
        ui_draw_widget(ui, &ui->widgets[i]);
    if (ui->focus >= 0 && ui->focus_visible) {
        /* The focus ring sits just outside the control, thick enough to see from a step away. */
        int t = SDL_max(3, ui->m.target / 14);
        SDL_Rect r = ui->widgets[ui->focus].r;
        SDL_Rect ring = {r.x - t - 1, r.y - t - 1, r.w + 2 * t + 2, r.h + 2 * t + 2};
        ui_frame(ui, ring, t, ui->theme.focus);
    }
    if (!ui->check.on)
        return;
    /* Touch targets: at least 20 mm, inside the screen, not overlapping. */
    for (int i = 0; i < ui->n_widgets; i++) {
        const struct ui_widget *w = &ui->widgets[i];
        if (w->action == UI_ACT_NONE || w->style == UI_STYLE_AREA)
            continue;
        if (w->r.w < ui->m.target || w->r.h < ui->m.target)
            ui_problem(ui, "widget %s: %dx%d px is under 20 mm (%d px)", w->id, w->r.w, w->r.h,
                       ui->m.target);
        SDL_Rect screen = {0, 0, ui->w, ui->h};
        if (!rect_inside(&w->r, &screen) && !ui->viewport.w)
            ui_problem(ui, "widget %s is outside the screen", w->id);
        for (int k = i + 1; k < ui->n_widgets; k++) {
            SDL_Rect both;
            const struct ui_widget *o = &ui->widgets[k];
            if (o->style != UI_STYLE_AREA && SDL_IntersectRect(&w->r, &o->r, &both))
                ui_problem(ui, "widgets %s and %s overlap", w->id, o->id);
        }
    }
}

/* ---- the top bar --------------------------------------------------------------------------- */

static int label_width(struct ui *ui, const char *label, const struct lang *lang)
{
    struct text_style one = {lang, ui->m.body_px, true, 0, TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(ui->text, label, &one);
    return l ? l->ink_w : 0;
}

int ui_button_h(struct ui *ui, const struct lang *lang)
{
    return SDL_max(ui->m.control_h,
                   text_line_height(ui->text, lang, ui->m.body_px, true) + ui->m.gap / 2);
}

int ui_button_h_for(struct ui *ui, const char *msgid, int w)
{
    const struct ui_metrics *m = &ui->m;
    const struct lang *lang = ui_tr_lang(ui, msgid);
    int icon = m->target * 2 / 3;
    struct text_style st = {lang, m->body_px, true, w - icon - 3 * m->gap - 4, TEXT_ALIGN_START,
                            false};
    const struct text_layout *l = text_layout_get(ui->text, ui_tr(ui, msgid), &st);
    return SDL_max(ui_button_h(ui, lang), l ? l->h + m->gap / 2 : 0);
}

void ui_exit_add(struct ui *ui)
{
    if (!ui->exit_rect.w)
        return;
    struct ui_widget *w =
        ui_widget_add(ui, "quick-exit", ui->exit_rect, UI_STYLE_BUTTON, UI_ACT_QUICK_EXIT, 0);
    w->tone = UI_TONE_EXIT;
    util_strlcpy(w->label, ui_tr(ui, N_("Exit")), sizeof(w->label));
    w->label_lang = ui_tr_lang(ui, N_("Exit"));
    util_strlcpy(w->icon, "exit.svg", sizeof(w->icon));
    w->mirror_icon = ui_rtl(ui);
}

/* One control of the top bar. */
struct bar_item {
    const char *id, *label, *icon;
    enum ui_action act;
    enum ui_tone tone;
    const struct lang *lang;
    bool mirror;
    bool selected;
};
#define BAR_MAX_ITEMS 7

/* The bar's controls for flags, in order from the start edge, the quick exit last. */
static int bar_items(struct ui *ui, unsigned flags, struct bar_item *items)
{
    bool rtl = ui_rtl(ui);
    int n = 0;
#define ITEM(id_, msgid_, icon_, act_, mirror_)                                                    \
    (struct bar_item)                                                                              \
    {                                                                                              \
        .id = id_, .label = ui_tr(ui, msgid_), .icon = icon_, .act = act_, .tone = UI_TONE_NORMAL, \
        .lang = ui_tr_lang(ui, msgid_), .mirror = mirror_                                          \
    }

    if (flags & UI_BAR_BACK)
        items[n++] = ITEM("back", N_("Back"), "back.svg", UI_ACT_BACK, rtl);
    if (flags & UI_BAR_LANGUAGE) {
        items[n++] = (struct bar_item){.id = "language",
                                       .label = ui_lang(ui)->endonym,
                                       .icon = "language.svg",
                                       .act = UI_ACT_LANGUAGE,
                                       .tone = UI_TONE_NORMAL,
                                       .lang = ui_lang(ui)};
    }
    if (flags & UI_BAR_CONTRAST) {
        items[n] = ITEM("contrast", N_("Contrast"), "contrast.svg", UI_ACT_CONTRAST, false);
        items[n++].selected = ui->s.high_contrast_toggled;
    }
    if (flags & UI_BAR_TEXT_SIZE) {
        items[n] = ITEM("text-size", N_("Larger text"), "text-size.svg", UI_ACT_TEXT_SIZE, false);
        items[n++].selected = ui->s.large_text;
    }
    /* Read-aloud where the visitor's language can be spoken: pause and stop while reading. */
    if ((flags & UI_BAR_READ) && ui->screen->read && ui_speech_can(ui, ui_lang(ui))) {
        const struct ui_reading *rd = &ui->read;
        bool reading = rd->on && rd->screen_text;
        if (reading && !rd->paused)
            items[n++] = ITEM("read-pause", N_("Pause"), "pause.svg", UI_ACT_READ_PAUSE, false);
        else
            items[n++] = ITEM("read-aloud", reading ? N_("Continue") : N_("Read aloud"),
                              "read-aloud.svg", UI_ACT_READ, false);
        if (reading)
            items[n++] = ITEM("read-stop", N_("Stop"), "stop.svg", UI_ACT_READ_STOP, false);
    }
    items[n] = ITEM("quick-exit", N_("Exit"), "exit.svg", UI_ACT_QUICK_EXIT, rtl);
    items[n++].tone = UI_TONE_EXIT;
#undef ITEM
    return n;
}

/* The height a bar control needs when its label wraps in width w: the bar grows with it rather
 * than cut the label (large text on a portrait screen). */
static int wrapped_h(struct ui *ui, const struct bar_item *it, int w)
{
    struct text_style st = {it->lang, ui->m.body_px, true, SDL_max(1, w), TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(ui->text, it->label, &st);
    return l ? l->h + ui->m.gap / 2 : 0;
}

int ui_bar_layout(struct ui *ui, unsigned flags)
{
    const struct ui_metrics *m = &ui->m;
    bool rtl = ui_rtl(ui);
    int h = m->control_h;
    int y = m->gap;
    int icon = m->target * 2 / 3;
    struct bar_item items[BAR_MAX_ITEMS];
    int n = bar_items(ui, flags, items);

    /* Widths from the labels; the exit sits at the end edge, the rest from the start edge. */
    int widths[ARRAY_SIZE(items)], total = 0;
    for (int i = 0; i < n; i++) {
        h = SDL_max(h, ui_button_h(ui, items[i].lang)); /* tall scripts (Myanmar, Nastaliq) */
        widths[i] = label_width(ui, items[i].label, items[i].lang) + icon + 3 * m->gap + 4;
        if (widths[i] < m->target * 2)
            widths[i] = m->target * 2;
        total += widths[i];
    }
    int avail = ui->w - 2 * m->margin - (n - 1) * m->gap;
    if (total > avail) {
        /* Narrow screens: share the row in proportion; labels wrap or shrink to fit. */
        for (int i = 0; i < n; i++) {
            widths[i] = (int)((long)widths[i] * avail / total);
            h = SDL_max(h, wrapped_h(ui, &items[i], widths[i] - icon - 3 * m->gap - 4));
        }
    }
    int start = m->margin;
    for (int i = 0; i < n; i++) {
        int x;
        if (i == n - 1) /* quick exit: the end edge */
            x = rtl ? m->margin : ui->w - m->margin - widths[i];
        else
            x = rtl ? ui->w - start - widths[i] : start;
        start += widths[i] + m->gap;
        SDL_Rect r = {x, y, widths[i], h};
        if (items[i].act == UI_ACT_QUICK_EXIT) {
            /* added last by the core, so that keyboard focus reaches it last */
            ui->exit_rect = r;
            continue;
        }
        struct ui_widget *w = ui_widget_add(ui, items[i].id, r, UI_STYLE_BUTTON, items[i].act, 0);
        w->tone = items[i].tone;
        util_strlcpy(w->label, items[i].label, sizeof(w->label));
        util_strlcpy(w->icon, items[i].icon, sizeof(w->icon));
        w->label_lang = items[i].lang;
        w->mirror_icon = items[i].mirror;
        w->selected = items[i].selected;
    }
    return y + h + m->gap;
}
