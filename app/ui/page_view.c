/* The scrolling content view shared by the page and call-info screens: pictogram, heading,
 * subheadings, paragraphs and list items, in the visitor's language.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "openline/log.h"
#include "openline/util.h"
#include "ui_int.h"

void ui_page_free(struct ui *ui, struct ui_page_view *pv)
{
    for (int i = 0; i < pv->n; i++)
        free(pv->blocks[i].text);
    free(pv->title);
    memset(pv, 0, sizeof(*pv));
    ui->viewport = (SDL_Rect){0, 0, 0, 0};
}

/* Every text of the view is laid out with its **bold** markers drawn as bold (text_style's
 * markup; titles have none). */
static int text_height(struct ui *ui, const struct lang *lang, const char *text, int px, bool bold,
                       int width)
{
    struct text_style st = {lang, px, bold, width, TEXT_ALIGN_START, true};
    const struct text_layout *l = text_layout_get(ui->text, text, &st);
    return l ? l->h : px;
}

/* Remember a line (or pictogram) from top to bottom, in content coordinates. */
static void line_add(struct ui_page_view *pv, int top, int bottom)
{
    if (pv->n_lines < UI_PAGE_MAX_LINES && bottom > top)
        pv->lines[pv->n_lines++] = (struct ui_page_line){top, bottom};
}

/* The lines of text l drawn at box (content coordinates). */
static void lines_add(struct ui_page_view *pv, const struct text_layout *l, SDL_Rect box)
{
    for (int i = 0; l && i < l->n_lines; i++)
        line_add(pv, box.y + l->lines[i].y, box.y + l->lines[i].y + l->lines[i].h);
}

/* y moved up to the top of every line it would cut: the first position above that cuts none. */
static int snap_up(const struct ui_page_view *pv, int y)
{
    for (bool moved = true; moved;) {
        moved = false;
        for (int i = 0; i < pv->n_lines; i++) {
            if (pv->lines[i].top < y && y < pv->lines[i].bottom) {
                y = pv->lines[i].top;
                moved = true;
            }
        }
    }
    return y;
}

/* y moved down past every line it would cut. */
static int snap_down(const struct ui_page_view *pv, int y)
{
    for (bool moved = true; moved;) {
        moved = false;
        for (int i = 0; i < pv->n_lines; i++) {
            if (pv->lines[i].top < y && y < pv->lines[i].bottom) {
                y = pv->lines[i].bottom;
                moved = true;
            }
        }
    }
    return y;
}

/* Where the last line that ends above y ends (0: none). */
static int ink_end(const struct ui_page_view *pv, int y)
{
    int end = 0;
    for (int i = 0; i < pv->n_lines; i++) {
        if (pv->lines[i].bottom <= y && pv->lines[i].bottom > end)
            end = pv->lines[i].bottom;
    }
    return end;
}

/* The header: pictogram at the start edge, the title beside it; returns the height used. */
static int header_layout(struct ui *ui, struct ui_page_view *pv, int x0, int col_w, int y)
{
    const struct ui_metrics *m = &ui->m;
    bool rtl = ui_rtl(ui);
    const struct content_page *pg = pv->page;
    int icon = m->target * 3 / 2;
    pv->icon_box = (SDL_Rect){rtl ? x0 + col_w - icon : x0, y, icon, icon};
    pv->title = content_expand(ui_tr(ui, pg->title), &ui->vars);
    if (!pv->title)
        pv->title = strdup(pg->title);
    int tw = col_w - icon - m->gap;
    pv->title_lang = ui_tr_lang(ui, pg->title);
    pv->title_msgid = pg->title;
    int th = text_height(ui, pv->title_lang, pv->title, m->head_px, true, tw);
    pv->title_box = (SDL_Rect){rtl ? x0 : x0 + icon + m->gap, y, tw, th};
    if (th < icon)
        pv->title_box.y += (icon - th) / 2;
    /* one unit for scrolling: the title is never shown without its pictogram */
    line_add(pv, y, y + SDL_max(icon, th));
    return SDL_max(icon, th);
}

/* Block b of the page at y in the column from x0, col_w wide; returns its height. An item has
 * the bullet, or its pictogram about two lines tall, at the start edge. */
static int block_layout(struct ui *ui, struct ui_page_view *pv, struct ui_page_block *pb,
                        const struct content_block *b, int x0, int col_w, int y)
{
    const struct ui_metrics *m = &ui->m;
    bool rtl = ui_rtl(ui);
    pb->px = b->type == CONTENT_HEADING ? m->title_px : m->body_px;
    pb->bold = b->type == CONTENT_HEADING;
    pb->icon = b->icon;
    int icon = 0;
    if (b->type == CONTENT_ITEM && b->icon[0])
        icon = 2 * text_line_height(ui->text, pb->lang, m->body_px, false);
    int indent = icon ? icon + m->gap : b->type == CONTENT_ITEM ? m->body_px * 3 / 2 : 0;
    int w = col_w - indent;
    int h = text_height(ui, pb->lang, pb->text, pb->px, pb->bold, w);
    pb->box = (SDL_Rect){rtl ? x0 : x0 + indent, y, w, h};
    pb->icon_box = (SDL_Rect){rtl ? x0 + col_w - icon : x0, y, icon, icon};
    if (h < icon) /* one line beside a pictogram: centred on it */
        pb->box.y += (icon - h) / 2;
    struct text_style st = {pb->lang, pb->px, pb->bold, w, TEXT_ALIGN_START, true};
    lines_add(pv, text_layout_get(ui->text, pb->text, &st), pb->box);
    if (icon)
        line_add(pv, y, y + icon);
    return SDL_max(h, icon);
}

SDL_Rect ui_page_column(const struct ui *ui, SDL_Rect viewport)
{
    const struct ui_metrics *m = &ui->m;
    int lane_w = m->target;
    int col_w = SDL_min(viewport.w - 2 * m->margin - lane_w - m->gap, m->body_px * 36);
    int gx = viewport.x + (viewport.w - (col_w + m->gap + lane_w)) / 2;
    return (SDL_Rect){ui_rtl(ui) ? gx + lane_w + m->gap : gx, viewport.y, col_w, viewport.h};
}

/* The column of text (ui_page_column), and beside it at the end edge a lane as wide as a touch
 * target for the arrows and the position: both centred together in the viewport. */
static void column_layout(struct ui *ui, struct ui_page_view *pv, SDL_Rect viewport)
{
    const struct ui_metrics *m = &ui->m;
    SDL_Rect col = ui_page_column(ui, viewport);
    pv->col_w = col.w;
    pv->col_x = col.x;
    pv->lane = (SDL_Rect){ui_rtl(ui) ? col.x - m->gap - m->target : col.x + col.w + m->gap,
                          viewport.y, m->target, viewport.h};
}

/* The arrows, shown where there is more to read that way. */
static void arrows_add(struct ui *ui, const struct ui_page_view *pv)
{
    SDL_Rect l = pv->lane;
    if (l.h < 2 * l.w + ui->m.gap)
        return; /* no room for both: drag, wheel and keys still scroll */
    if (ui->s.scroll > 0) {
        struct ui_widget *w = ui_widget_add(ui, "scroll-up", (SDL_Rect){l.x, l.y, l.w, l.w},
                                            UI_STYLE_BUTTON, UI_ACT_SCROLL, -1);
        util_strlcpy(w->icon, "more-up.svg", sizeof(w->icon));
    }
    if (ui->s.scroll < pv->max_scroll) {
        struct ui_widget *w =
            ui_widget_add(ui, "scroll-down", (SDL_Rect){l.x, l.y + l.h - l.w, l.w, l.w},
                          UI_STYLE_BUTTON, UI_ACT_SCROLL, 1);
        util_strlcpy(w->icon, "more-down.svg", sizeof(w->icon));
    }
}

void ui_page_layout(struct ui *ui, struct ui_page_view *pv, const struct content_page *pg,
                    SDL_Rect viewport)
{
    const struct ui_metrics *m = &ui->m;

    ui_page_free(ui, pv);
    /* A scroll offset belongs to one page: another content view (call-info opened from a
     * scrolled page) starts at its title. */
    if (ui->s.scroll_page != pg)
        ui->s.scroll = 0;
    ui->s.scroll_page = pg;
    pv->page = pg;
    ui->viewport = viewport;
    column_layout(ui, pv, viewport);
    int y = m->margin;
    y += header_layout(ui, pv, pv->col_x, pv->col_w, y) + m->gap;

    for (size_t i = 0; i < pg->n_blocks; i++) {
        const struct content_block *b = &pg->blocks[i];
        if (pv->n == UI_PAGE_MAX_BLOCKS) {
            log_error("page %s: %zu blocks, more than UI_PAGE_MAX_BLOCKS (%d): the rest left out",
                      pg->id, pg->n_blocks, UI_PAGE_MAX_BLOCKS);
            ui_problem(ui,
                       "page %s: %zu blocks, more than UI_PAGE_MAX_BLOCKS (%d): the rest left out",
                       pg->id, pg->n_blocks, UI_PAGE_MAX_BLOCKS);
            break;
        }
        char *text = content_block_expand(b, ui_tr(ui, b->text), &ui->vars);
        if (!text)
            continue; /* a promise not stated, or a contact this deployment does not have */
        struct ui_page_block *pb = &pv->blocks[pv->n++];
        pb->text = text;
        pb->msgid = b->text;
        pb->type = b->type;
        pb->lang = ui_tr_lang(ui, b->text);
        if (b->type == CONTENT_HEADING)
            y += m->gap;
        y += block_layout(ui, pv, pb, b, pv->col_x, pv->col_w, y);
        y += b->type == CONTENT_ITEM ? m->body_px / 4 : m->body_px * 3 / 5;
    }
    pv->content_h = y + m->margin;
    /* The end: the first position that cuts no line with the last one in sight. */
    pv->max_scroll = pv->content_h > viewport.h ? snap_down(pv, pv->content_h - viewport.h) : 0;
    ui->s.scroll = SDL_clamp(ui->s.scroll, 0, pv->max_scroll);
    arrows_add(ui, pv);
}

/* Scroll to s (within the page): redraw, and lay out again when an arrow comes or goes. */
static void scroll_to(struct ui *ui, const struct ui_page_view *pv, int s)
{
    s = SDL_clamp(s, 0, pv->max_scroll);
    if (s == ui->s.scroll)
        return;
    bool arrows = ui_widget_find(ui, "scroll-up") || ui_widget_find(ui, "scroll-down");
    bool up = s > 0, down = s < pv->max_scroll;
    if (arrows && (up != (ui_widget_find(ui, "scroll-up") != NULL) ||
                   down != (ui_widget_find(ui, "scroll-down") != NULL)))
        ui->relayout = true;
    ui->s.scroll = s;
    ui->dirty = true;
}

/* Move by dy and come to rest where no line is cut at the top edge: down at least to the next
 * line, up showing the line the move would have cut. */
static void scroll_by(struct ui *ui, const struct ui_page_view *pv, int dy)
{
    int s = ui->s.scroll;
    int to = snap_up(pv, SDL_clamp(s + dy, 0, pv->max_scroll));
    if (dy > 0 && to <= s)
        to = snap_down(pv, s + 1);
    scroll_to(ui, pv, to);
}

/* Up, Down, Page Up, Page Down, Home and End: the distance, or 0 for another key. */
static int key_step(const struct ui *ui, const struct ui_page_view *pv, SDL_Keycode key)
{
    int line = ui->m.body_px * 2, page = ui->viewport.h * 4 / 5;
    switch (key) {
    case SDLK_UP:
        return -line;
    case SDLK_DOWN:
        return line;
    case SDLK_PAGEUP:
        return -page;
    case SDLK_PAGEDOWN:
        return page;
    case SDLK_HOME:
        return -pv->content_h;
    case SDLK_END:
        return pv->content_h;
    default:
        return 0;
    }
}

bool ui_page_scroll_event(struct ui *ui, const struct ui_page_view *pv, const struct ui_event *ev)
{
    int s = ui->s.scroll;
    switch (ev->type) {
    case UI_EV_SCROLL:
        if (ev->drag) /* follows the finger; settles when it lets go */
            scroll_to(ui, pv, s + ev->dy);
        else
            scroll_by(ui, pv, ev->dy);
        return true;
    case UI_EV_SCROLL_END: {
        int up = snap_up(pv, s), down = snap_down(pv, s);
        scroll_to(ui, pv, s - up <= down - s || down > pv->max_scroll ? up : down);
        return true;
    }
    case UI_EV_ACTIVATE: /* the arrows: most of a viewport */
        scroll_by(ui, pv, ev->widget->arg * ui->viewport.h * 4 / 5);
        return true;
    case UI_EV_KEY: {
        int dy = key_step(ui, pv, ev->key);
        if (!dy)
            return false;
        scroll_by(ui, pv, dy);
        /* Keys scroll only when there is somewhere to scroll; otherwise they move focus. */
        return pv->max_scroll > 0;
    }
    default:
        return false;
    }
}

void ui_page_read(struct ui *ui, const struct ui_page_view *pv)
{
    if (!pv->page)
        return;
    ui_read_add(ui, pv->title_lang, pv->title, pv->title_msgid, UI_READ_TITLE);
    for (int i = 0; i < pv->n; i++)
        ui_read_add(ui, pv->blocks[i].lang, pv->blocks[i].text, pv->blocks[i].msgid, i);
}

/* The sentence being read, when it is on this page: its text's layout and box in content
 * coordinates. */
static const struct ui_read_sentence *heard(struct ui *ui, const struct ui_page_view *pv,
                                            const struct text_layout **lp, SDL_Rect *box)
{
    const struct ui_reading *r = &ui->read;
    if (!pv->page || !r->on || !r->screen_text || r->cur >= r->n)
        return NULL;
    const struct ui_read_sentence *s = &r->s[r->cur];
    const struct ui_metrics *m = &ui->m;
    struct text_style st;
    const char *text;
    if (s->block == UI_READ_TITLE) {
        *box = pv->title_box;
        st = (struct text_style){pv->title_lang, m->head_px, true, box->w, TEXT_ALIGN_START, false};
        text = pv->title;
    } else if (s->block >= 0 && s->block < pv->n) {
        const struct ui_page_block *b = &pv->blocks[s->block];
        *box = b->box;
        st = (struct text_style){b->lang, b->px, b->bold, box->w, TEXT_ALIGN_START, true};
        text = b->text;
    } else {
        return NULL;
    }
    *lp = text_layout_get(ui->text, text, &st);
    return *lp ? s : NULL;
}

/* The lines of the sentence being heard, from first to last (content coordinates); false when
 * it is not on this page. */
static bool heard_lines(struct ui *ui, const struct ui_page_view *pv, SDL_Rect *out)
{
    const struct text_layout *l;
    SDL_Rect box;
    const struct ui_read_sentence *s = heard(ui, pv, &l, &box);
    if (!s)
        return false;
    int top = -1, bottom = -1;
    for (int i = 0; i < l->n_lines; i++) {
        const struct text_line *ln = &l->lines[i];
        if (ln->end <= s->start || ln->start >= s->end)
            continue;
        if (top < 0)
            top = ln->y;
        bottom = ln->y + ln->h;
    }
    if (top < 0)
        return false;
    *out = (SDL_Rect){box.x, box.y + top, box.w, bottom - top};
    return true;
}

void ui_page_follow(struct ui *ui, const struct ui_page_view *pv)
{
    SDL_Rect r;
    if (!ui->read.moved)
        return;
    ui->read.moved = false;
    if (!heard_lines(ui, pv, &r))
        return;
    /* Bring the sentence into sight, a third of the way down when the page must move. */
    const SDL_Rect vp = ui->viewport;
    if (r.y < ui->s.scroll || r.y + r.h > ui->s.scroll + vp.h)
        scroll_to(ui, pv, snap_up(pv, SDL_clamp(r.y - vp.h / 3, 0, pv->max_scroll)));
}

/* Behind the lines of the sentence being heard: a band, and a bar at the start edge that does
 * not depend on colour alone. */
static void draw_heard(struct ui *ui, const struct ui_page_view *pv, int oy)
{
    const struct text_layout *l;
    SDL_Rect box;
    const struct ui_read_sentence *s = heard(ui, pv, &l, &box);
    if (!s)
        return;
    int pad = SDL_max(2, ui->m.gap / 3), bar = SDL_max(3, ui->m.gap / 2);
    bool rtl = ui_rtl(ui);
    for (int i = 0; i < l->n_lines; i++) {
        const struct text_line *ln = &l->lines[i];
        if (ln->end <= s->start || ln->start >= s->end)
            continue;
        int x0 = 0, x1 = box.w;
        if (!text_layout_span(l, i, s->start, s->end, &x0, &x1))
            continue;
        SDL_Rect r = {box.x + x0 - pad, box.y + oy + ln->y, x1 - x0 + 2 * pad, ln->h};
        ui_fill(ui, r, ui->theme.highlight);
        ui_fill(ui, (SDL_Rect){rtl ? r.x + r.w : r.x - bar, r.y, bar, r.h}, ui->theme.focus);
    }
}

/* Over the column where more is hidden, a fade into the background: at the bottom over the
 * last whole line's lower part (bottom: where it ends), at the top below the viewport's edge. */
static void draw_fades(struct ui *ui, const struct ui_page_view *pv, int bottom)
{
    const SDL_Rect vp = ui->viewport;
    int fh = SDL_max(8, ui->m.body_px), steps = 16;
    SDL_Color c = ui->theme.bg;
    int x = pv->col_x - ui->m.body_px * 3 / 2, w = pv->col_w + ui->m.body_px * 3;
    for (int i = 0; i < steps; i++) {
        int y0 = fh * i / steps, y1 = fh * (i + 1) / steps;
        c.a = (Uint8)(200 * (i + 1) / steps);
        if (ui->s.scroll < pv->max_scroll)
            ui_fill(ui, (SDL_Rect){x, bottom - fh + y0, w, y1 - y0}, c);
        if (ui->s.scroll > 0)
            ui_fill(ui, (SDL_Rect){x, vp.y + fh - y1, w, y1 - y0}, c);
    }
}

/* Where the page is, in the lane between the arrows, beside the text where the eye is. */
static void draw_position(struct ui *ui, const struct ui_page_view *pv)
{
    const struct ui_metrics *m = &ui->m;
    SDL_Rect l = pv->lane;
    int top = l.y + l.w + m->gap, h = l.h - 2 * (l.w + m->gap);
    if (!pv->max_scroll || h < m->target)
        return;
    int tw = SDL_max(6, m->gap * 2 / 3);
    int x = l.x + (l.w - tw) / 2;
    int th = SDL_max(m->target / 2, h * ui->viewport.h / (pv->content_h ? pv->content_h : 1));
    th = SDL_min(th, h);
    int ty = top + (h - th) * ui->s.scroll / pv->max_scroll;
    ui_fill_round(ui, (SDL_Rect){x, top, tw, h}, tw / 2, ui->theme.surface);
    ui_fill_round(ui, (SDL_Rect){x, ty, tw, th}, tw / 2, ui->theme.muted);
}

/* An item's mark at the start edge: its pictogram, or the bullet. */
static void draw_item_mark(struct ui *ui, const struct ui_page_block *b, int oy)
{
    const struct ui_metrics *m = &ui->m;
    bool rtl = ui_rtl(ui);
    if (b->icon && b->icon[0]) {
        SDL_Rect r = b->icon_box;
        r.y += oy;
        ui_draw_icon(ui, b->icon, r, ui->theme.text, false);
        return;
    }
    SDL_Rect box = b->box;
    box.y += oy;
    int d = SDL_max(4, m->body_px / 3);
    int lh = text_line_height(ui->text, ui_lang(ui), m->body_px, false);
    int bx = rtl ? box.x + box.w + m->body_px / 2 : box.x - m->body_px;
    ui_fill_round(ui, (SDL_Rect){bx, box.y + (lh - d) / 2, d, d}, d / 2, ui->theme.muted);
}

void ui_page_draw(struct ui *ui, const struct ui_page_view *pv)
{
    const struct ui_metrics *m = &ui->m;
    const SDL_Rect vp = ui->viewport;
    int oy = vp.y - ui->s.scroll;
    char what[64];

    /* Whole lines only: a line the bottom edge would cut is left for the next scroll. */
    int bottom = vp.y + snap_up(pv, ui->s.scroll + vp.h) - ui->s.scroll;
    SDL_Rect clip = {vp.x, vp.y, vp.w, SDL_max(0, bottom - vp.y)};
    ui_clip(ui, &clip);
    draw_heard(ui, pv, oy);
    ui_draw_icon(ui, pv->page->icon,
                 (SDL_Rect){pv->icon_box.x, pv->icon_box.y + oy, pv->icon_box.w, pv->icon_box.h},
                 ui->theme.text, false);
    SDL_Rect tb = pv->title_box;
    tb.y += oy;
    struct text_style st = {pv->title_lang, m->head_px, true, tb.w, TEXT_ALIGN_START, false};
    ui_text_draw(ui, text_layout_get(ui->text, pv->title, &st), tb, false, ui->theme.text,
                 "page title");
    for (int i = 0; i < pv->n; i++) {
        const struct ui_page_block *b = &pv->blocks[i];
        SDL_Rect box = b->box;
        box.y += oy;
        int top = SDL_min(box.y, b->icon_box.y + oy);
        if (top > vp.y + vp.h || box.y + SDL_max(box.h, b->icon_box.h) < vp.y)
            continue;
        if (b->type == CONTENT_ITEM)
            draw_item_mark(ui, b, oy);
        st = (struct text_style){b->lang, b->px, b->bold, box.w, TEXT_ALIGN_START, true};
        snprintf(what, sizeof(what), "page %s block %d", pv->page->id, i + 1);
        ui_text_draw(ui, text_layout_get(ui->text, b->text, &st), box, false, ui->theme.text, what);
    }
    draw_fades(ui, pv, vp.y + ink_end(pv, ui->s.scroll + vp.h) - ui->s.scroll);
    ui_clip(ui, NULL);
    draw_position(ui, pv);
}
