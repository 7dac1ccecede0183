/* Snapshots: render one screen headless to PNG, with the layout check switched on.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <SDL_image.h>

#include "openline/clock.h"
#include "openline/util.h"
#include "ui_int.h"

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

/* The pose asked for (NULL: the screen's first) among the screen's, into *as: 0 or 2 with the
 * accepted ones in err. */
static int find_pose(const struct ui_screen *to, const char *pose, const char **as, char *err,
                     size_t errlen)
{
    *as = to->poses ? to->poses[0] : NULL;
    if (!pose)
        return 0;
    for (size_t i = 0; to->poses && to->poses[i]; i++) {
        if (!strcmp(to->poses[i], pose)) {
            *as = to->poses[i];
            return 0;
        }
    }
    size_t n =
        (size_t)snprintf(err, errlen, "screen %s has no pose '%s'; accepted: ", to->name, pose);
    for (size_t i = 0; to->poses && to->poses[i] && n < errlen; i++)
        n += (size_t)snprintf(err + n, errlen - n, "%s%s", i ? ", " : "", to->poses[i]);
    if (!to->poses && n < errlen)
        snprintf(err + n, errlen - n, "none (it has one state)");
    return 2;
}

/* The layout check's findings, one line each: "layout: SCREEN[/POSE] WxH LANG: problem". */
static void print_problems(const struct ui *ui, const char *screen, const char *as,
                           const char *code)
{
    char name[96];
    snprintf(name, sizeof(name), "%s%s%s", screen, as ? "/" : "", as ? as : "");
    for (int i = 0; i < ui->check.n_problems; i++)
        fprintf(stderr, "layout: %s %dx%d %s: %s\n", name, ui->w, ui->h, code,
                ui->check.problems[i]);
    if (ui->check.n_over)
        fprintf(stderr, "layout: %s %dx%d %s: %d more problem(s) beyond UI_MAX_PROBLEMS (%d)\n",
                name, ui->w, ui->h, code, ui->check.n_over, UI_MAX_PROBLEMS);
}

int ui_snapshot(struct ui *ui, const char *screen, const char *pose, const char *lang,
                const char *page, const char *out_png, char *err, size_t errlen)
{
    const struct ui_screen *to = ui_screen_by_name(screen);
    const char *as = NULL;
    if (!to) {
        char names[256];
        ui_screen_names(names, sizeof(names));
        snprintf(err, errlen, "unknown screen '%s'; accepted: %s", screen, names);
        return 2;
    }
    if (find_pose(to, pose, &as, err, errlen))
        return 2;
    const struct lang *l = NULL;
    if (lang && !(l = i18n_lookup(ui->i18n, lang, err, errlen)))
        return 2;
    int page_idx = -1;
    if (page) {
        const struct content_page *pg = content_find(ui->content, page);
        if (!pg) {
            snprintf(err, errlen, "unknown page '%s' (see assets/content/pages.ini)", page);
            return 2;
        }
        page_idx = (int)(pg - content_at(ui->content, 0));
    }

    ui->calls_posed = false;
    ui->hours_posed = UI_HOURS_POSED_OPEN;
    ui_reset(ui);
    ui->check.on = true;
    ui->check.n_problems = 0;
    ui->check.n_over = 0;
    ui->s.lang = l;
    ui->s.page = page_idx;
    int rc = to->pose && !to->pose(ui, as, err, errlen) ? 2 : 0;
    if (!rc && ui->screen != to)
        ui_switch(ui, to);
    if (!rc)
        ui_draw(ui);
    if (!rc && out_png)
        rc = ui_save_png(ui, out_png, err, errlen);
    if (!rc) {
        print_problems(ui, screen, as, l ? l->code : ui_lang(ui)->code);
        rc = ui->check.n_problems ? 3 : 0;
    }
    ui->check.on = false;
    ui->calls_posed = false;
    ui->hours_posed = UI_HOURS_REAL;
    return rc;
}
