/* Other ways to get help, for when a call is not possible or did not connect: the hotline
 * number, SMS, web address, and a QR code of the number (libqrencode). Never a call-back.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "openline/log.h"
#include "openline/util.h"
#include "ui_int.h"

/* The QR code encodes a tel: link to the hotline: digits and a leading "+". */
static SDL_Texture *qr_texture(struct ui *ui)
{
    char tel[64] = "tel:";
    size_t n = strlen(tel);
    if (ui->qr)
        return ui->qr;
    for (const char *p = ui->cfg->organisation.hotline; *p && n < sizeof(tel) - 1; p++) {
        if (isdigit((unsigned char)*p) || (*p == '+' && n == 4))
            tel[n++] = *p;
    }
    tel[n] = '\0';
    QRcode *q = QRcode_encodeString(tel, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) {
        log_error("QR code for the hotline: cannot encode %s", tel);
        return NULL;
    }
    /* One pixel per module with a quiet zone of four; drawn scaled without smoothing. Dark on
     * white in every theme: phones read that best. */
    int quiet = 4, size = q->width + 2 * quiet;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, size, size, 32, SDL_PIXELFORMAT_ARGB8888);
    if (s) {
        SDL_FillRect(s, NULL, 0xffffffffu);
        Uint32 *px = s->pixels;
        for (int y = 0; y < q->width; y++) {
            for (int x = 0; x < q->width; x++) {
                if (q->data[y * q->width + x] & 1)
                    px[(y + quiet) * (s->pitch / 4) + x + quiet] = 0xff000000u;
            }
        }
        ui->qr = SDL_CreateTextureFromSurface(ui->renderer, s);
        if (ui->qr)
            SDL_SetTextureScaleMode(ui->qr, SDL_ScaleModeNearest);
        SDL_FreeSurface(s);
    }
    QRcode_free(q);
    return ui->qr;
}

void ui_contact_free(struct ui *ui)
{
    if (ui->qr)
        SDL_DestroyTexture(ui->qr);
    ui->qr = NULL;
}

/* Lay out the msgids that have values (content_expand) from y down in a column tx..tx+tw; bold:
 * which of them are larger and bold. Returns the bottom of the last line. */
static int lines_layout(struct ui *ui, struct ui_contact_view *cv, const char *const *msgids, int n,
                        unsigned bold, int tx, int tw, int y)
{
    const struct ui_metrics *m = &ui->m;
    for (int i = 0; i < n && cv->n < UI_CONTACT_LINES; i++) {
        char *s = content_expand(ui_tr(ui, msgids[i]), &ui->vars);
        if (!s)
            continue; /* this deployment has no SMS number, web address ... */
        util_strlcpy(cv->text[cv->n], s, sizeof(cv->text[0]));
        free(s);
        cv->lang[cv->n] = ui_tr_lang(ui, msgids[i]);
        cv->msgid[cv->n] = msgids[i];
        cv->bold[cv->n] = bold & 1u << i;
        struct text_style st = {cv->lang[cv->n],  cv->bold[cv->n] ? m->title_px : m->body_px,
                                cv->bold[cv->n],  tw,
                                TEXT_ALIGN_START, false};
        const struct text_layout *l = text_layout_get(ui->text, cv->text[cv->n], &st);
        int h = l ? l->h : m->body_px * 2;
        cv->lines[cv->n] = (SDL_Rect){tx, y, tw, h};
        y += h + m->gap / 2;
        cv->n++;
    }
    return y;
}

int ui_contact_layout(struct ui *ui, struct ui_contact_view *cv, SDL_Rect area, bool code_only)
{
    static const char *const msgids[] = {
        N_("Call {hotline} from any phone."),
        N_("Send a text message to {sms}."),
        N_("Visit {web}."),
        N_("Scan the code with a phone to call."),
    };
    const struct ui_metrics *m = &ui->m;
    bool rtl = ui_rtl(ui);

    memset(cv, 0, sizeof(*cv));
    /* The code: square, at least 30 mm so that any phone camera reads it from arm's length. */
    int side = SDL_min(area.h, SDL_max((int)(30 * m->px_per_mm), m->target * 2));
    side = SDL_min(side, area.w / 3);
    cv->qr = (SDL_Rect){rtl ? area.x + area.w - side : area.x, area.y, side, side};
    int tx = rtl ? area.x : area.x + side + m->margin;
    int tw = area.w - side - m->margin;
    /* the number, or the one line, larger and bold */
    int y = code_only ? lines_layout(ui, cv, msgids + 3, 1, 1u, tx, tw, area.y)
                      : lines_layout(ui, cv, msgids, 4, 1u, tx, tw, area.y);
    /* lines shorter than the code: centred beside it */
    int drop = (side - (y - m->gap / 2 - area.y)) / 2;
    for (int i = 0; drop > 0 && i < cv->n; i++)
        cv->lines[i].y += drop;
    return SDL_max(side, y - area.y);
}

int ui_contact_closed_layout(struct ui *ui, struct ui_contact_view *cv, SDL_Rect area)
{
    static const char *const msgids[] = {
        N_("The hotline is closed now."),
        N_("The hotline answers at these times: {hours}."),
        N_("Send a text message to {sms}."),
        N_("Visit {web}."),
        N_("In an emergency, call {emergency}."),
    };
    memset(cv, 0, sizeof(*cv));
    int y = lines_layout(ui, cv, msgids, (int)ARRAY_SIZE(msgids), 1u, area.x, area.w, area.y);
    return y - ui->m.gap / 2 - area.y;
}

void ui_contact_draw(struct ui *ui, const struct ui_contact_view *cv)
{
    const struct ui_metrics *m = &ui->m;
    SDL_Texture *qr = cv->qr.w ? qr_texture(ui) : NULL;
    if (qr)
        SDL_RenderCopy(ui->renderer, qr, NULL, &cv->qr);
    for (int i = 0; i < cv->n; i++) {
        struct text_style st = {cv->lang[i],      cv->bold[i] ? m->title_px : m->body_px,
                                cv->bold[i],      cv->lines[i].w,
                                TEXT_ALIGN_START, false};
        ui_text_draw(ui, text_layout_get(ui->text, cv->text[i], &st), cv->lines[i], false,
                     ui->theme.text, "contact");
    }
}

void ui_contact_read(struct ui *ui, const struct ui_contact_view *cv)
{
    for (int i = 0; i < cv->n; i++)
        ui_read_add(ui, cv->lang[i], cv->text[i], cv->msgid[i], UI_READ_NONE);
}
