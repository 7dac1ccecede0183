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

static int text_height(struct ui *ui, const struct lang *lang, const char *text, int px, bool bold,
                       int width)
{
    struct text_style st = {lang, px, bold, width, TEXT_ALIGN_START, false};
    const struct text_layout *l = text_layout_get(ui->text, text, &st);
    return l ? l->h : px;
}

void ui_page_layout(struct ui *ui, struct ui_page_view *pv, const struct content_page *pg,
                    SDL_Rect viewport)
{
    const struct ui_metrics *m = &ui->m;
    bool rtl = ui_rtl(ui);

    ui_page_free(ui, pv);
    pv->page = pg;
    ui->viewport = viewport;
    int col_w = SDL_min(viewport.w - 2 * m->margin, m->body_px * 36);
    int x0 = viewport.x + (viewport.w - col_w) / 2;
    int y = m->margin;

    /* Header: pictogram at the start edge, the title beside it. */
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
    y += SDL_max(icon, th) + m->gap;

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
        char *text = content_expand(ui_tr(ui, b->text), &ui->vars);
        if (!text)
            continue; /* names a contact this deployment does not have */
        struct ui_page_block *pb = &pv->blocks[pv->n++];
        pb->text = text;
        pb->msgid = b->text;
        pb->type = b->type;
        pb->lang = ui_tr_lang(ui, b->text);
        int indent = b->type == CONTENT_ITEM ? m->body_px * 3 / 2 : 0;
        pb->px = b->type == CONTENT_HEADING ? m->title_px : m->body_px;
        pb->bold = b->type == CONTENT_HEADING;
        if (b->type == CONTENT_HEADING)
            y += m->gap;
        int w = col_w - indent;
        int h = text_height(ui, pb->lang, text, pb->px, pb->bold, w);
        pb->box = (SDL_Rect){rtl ? x0 : x0 + indent, y, w, h};
        y += h + (b->type == CONTENT_ITEM ? m->body_px / 4 : m->body_px * 3 / 5);
    }
    pv->content_h = y + m->margin;
    int max_scroll = SDL_max(0, pv->content_h - viewport.h);
    if (ui->s.scroll > max_scroll)
        ui->s.scroll = max_scroll;
}

bool ui_page_scroll_event(struct ui *ui, const struct ui_page_view *pv, const struct ui_event *ev)
{
    int dy;
    int line = ui->m.body_px * 2;
    int pagestep = ui->viewport.h * 9 / 10;

    if (ev->type == UI_EV_SCROLL) {
        dy = ev->dy;
    } else if (ev->type == UI_EV_KEY) {
        switch (ev->key) {
        case SDLK_UP:
            dy = -line;
            break;
        case SDLK_DOWN:
            dy = line;
            break;
        case SDLK_PAGEUP:
            dy = -pagestep;
            break;
        case SDLK_PAGEDOWN:
            dy = pagestep;
            break;
        case SDLK_HOME:
            dy = -pv->content_h;
            break;
        case SDLK_END:
            dy = pv->content_h;
            break;
        default:
            return false;
        }
    } else {
        return false;
    }
    int max_scroll = SDL_max(0, pv->content_h - ui->viewport.h);
    int s = SDL_clamp(ui->s.scroll + dy, 0, max_scroll);
    if (s != ui->s.scroll) {
        ui->s.scroll = s;
        ui->dirty = true;
    }
    /* Keys scroll only when there is somewhere to scroll; otherwise they move focus. */
    return ev->type == UI_EV_SCROLL || max_scroll > 0;
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
        st = (struct text_style){b->lang, b->px, b->bold, box->w, TEXT_ALIGN_START, false};
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
    int max_scroll = SDL_max(0, pv->content_h - vp.h);
    if (r.y < ui->s.scroll || r.y + r.h > ui->s.scroll + vp.h) {
        ui->s.scroll = SDL_clamp(r.y - vp.h / 3, 0, max_scroll);
        ui->dirty = true;
    }
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

void ui_page_draw(struct ui *ui, const struct ui_page_view *pv)
{
    const struct ui_metrics *m = &ui->m;
    const SDL_Rect vp = ui->viewport;
    bool rtl = ui_rtl(ui);
    int oy = vp.y - ui->s.scroll;
    char what[64];

    ui_clip(ui, &vp);
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
        if (box.y > vp.y + vp.h || box.y + box.h < vp.y)
            continue;
        if (b->type == CONTENT_ITEM) {
            int d = SDL_max(4, m->body_px / 3);
            int lh = text_line_height(ui->text, ui_lang(ui), m->body_px, false);
            int bx = rtl ? box.x + box.w + m->body_px / 2 : box.x - m->body_px;
            ui_fill_round(ui, (SDL_Rect){bx, box.y + (lh - d) / 2, d, d}, d / 2, ui->theme.muted);
        }
        st = (struct text_style){b->lang, b->px, b->bold, box.w, TEXT_ALIGN_START, false};
        snprintf(what, sizeof(what), "page %s block %d", pv->page->id, i + 1);
        ui_text_draw(ui, text_layout_get(ui->text, b->text, &st), box, false,
                     b->type == CONTENT_HEADING ? ui->theme.text : ui->theme.text, what);
    }
    ui_clip(ui, NULL);

    /* Scroll bar at the end edge, so it is visible that there is more to read. */
    if (pv->content_h > vp.h) {
        int tw = SDL_max(4, m->gap / 2);
        int x = rtl ? vp.x + tw : vp.x + vp.w - 2 * tw;
        int th = vp.h * vp.h / pv->content_h;
        int ty = vp.y + (vp.h - th) * ui->s.scroll / SDL_max(1, pv->content_h - vp.h);
        ui_fill(ui, (SDL_Rect){x, vp.y, tw, vp.h}, ui->theme.surface);
        ui_fill(ui, (SDL_Rect){x, ty, tw, th}, ui->theme.muted);
    }
}
