/* Snapshots: render one screen headless to PNG, with the layout check switched on.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <SDL_image.h>

#include "openline/clock.h"
#include "openline/util.h"
#include "ui_int.h"

int ui_save_png(struct ui *ui, const char *path, char *err, size_t errlen);
int ui_save_png(struct ui *ui, const char *path, char *err, size_t errlen)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, ui->w, ui->h, 32, SDL_PIXELFORMAT_ARGB8888);
    int rc = 0;
    if (!s)
        return ENOMEM;
    if (SDL_RenderReadPixels(ui->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch)) {
        snprintf(err, errlen, "cannot read the rendered screen: %s", SDL_GetError());
        rc = EIO;
    } else if (IMG_SavePNG(s, path)) {
        snprintf(err, errlen, "%s: cannot write: %s", path, IMG_GetError());
        rc = EIO;
    }
    SDL_FreeSurface(s);
    return rc;
}

static const struct ui_screen *const screens[] = {
    &ui_screen_attract,   &ui_screen_language,     &ui_screen_home, &ui_screen_page,
    &ui_screen_call_info, &ui_screen_idle_warning, &ui_screen_call, &ui_screen_call_failed,
};

const struct ui_screen *ui_screen_by_name(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(screens); i++) {
        if (!strcmp(screens[i]->name, name))
            return screens[i];
    }
    return NULL;
}

int ui_snapshot(struct ui *ui, const char *screen, const char *lang, const char *page,
                const char *out_png, char *err, size_t errlen)
{
    const struct ui_screen *to = ui_screen_by_name(screen);
    if (!to) {
        snprintf(err, errlen,
                 "unknown screen '%s'; accepted: attract, language, home, page, call-info, "
                 "idle-warning, call, call-failed",
                 screen);
        return 2;
    }
    const struct lang *l = NULL;
    if (lang) {
        l = i18n_find(ui->i18n, lang);
        if (!l) {
            snprintf(err, errlen, "unknown language '%s' (see locales/languages.ini)", lang);
            return 2;
        }
    }
    int page_idx = -1;
    if (page) {
        const struct content_page *pg = content_find(ui->content, page);
        if (!pg) {
            snprintf(err, errlen, "unknown page '%s' (see assets/content/pages.ini)", page);
            return 2;
        }
        page_idx = (int)(pg - content_at(ui->content, 0));
    } else {
        for (size_t i = 0; i < content_count(ui->content) && page_idx < 0; i++) {
            if (content_at(ui->content, i)->tile)
                page_idx = (int)i;
        }
    }

    ui_reset(ui);
    ui->checking = true;
    ui->n_problems = 0;
    ui->n_problems_over = 0;
    if (to == &ui_screen_attract) {
        /* attract has no visitor language; show its message in the one asked for */
        for (unsigned i = 0; l && i < ui->n_langs; i++) {
            if (ui->langs[i] == l)
                ui->attract_idx = i;
        }
        if (l && ui->langs[ui->attract_idx] != l) {
            snprintf(err, errlen, "language '%s' is not enabled in the configuration", lang);
            return 2;
        }
    } else {
        ui->s.lang = l;
        ui->s.page = page_idx;
        if (to == &ui_screen_call) { /* a connected call, for looking at the screen */
            ui->s.call = (struct call_event){.state = CALL_STATE_CONNECTED};
            ui->s.call_since_ms = clock_now_ms() - 83000;
        } else if (to == &ui_screen_call_failed) {
            ui->s.call =
                (struct call_event){.state = CALL_STATE_FAILED, .failure = CALL_FAIL_UNREACHABLE};
        }
        if (to == &ui_screen_idle_warning) {
            ui_switch(ui, page ? &ui_screen_page : &ui_screen_home);
            ui->s.idle_deadline_ms = clock_now_ms() + ui->cfg->kiosk.idle_warning_ms;
        }
        ui_switch(ui, to);
    }
    ui_draw(ui);
    int rc = out_png ? ui_save_png(ui, out_png, err, errlen) : 0;
    if (rc)
        return rc;
    const char *code = l ? l->code : ui_lang(ui)->code;
    for (int i = 0; i < ui->n_problems; i++)
        fprintf(stderr, "layout: %s %dx%d %s: %s\n", screen, ui->w, ui->h, code, ui->problems[i]);
    if (ui->n_problems_over)
        fprintf(stderr, "layout: %s %dx%d %s: %d more problem(s) beyond UI_MAX_PROBLEMS (%d)\n",
                screen, ui->w, ui->h, code, ui->n_problems_over, UI_MAX_PROBLEMS);
    ui->checking = false;
    return ui->n_problems ? 3 : 0;
}
