/* The screen registry: every screen, found by name, listed from UI_SCREENS in ui_int.h, and
 * each screen's own state.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openline/util.h"
#include "ui_int.h"

#define UI_SCREEN_ENTRY(name) &ui_screen_##name,
static const struct ui_screen *const screens[] = {UI_SCREENS(UI_SCREEN_ENTRY)};
#undef UI_SCREEN_ENTRY

const struct ui_screen *ui_screen_by_name(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(screens); i++) {
        if (!strcmp(screens[i]->name, name))
            return screens[i];
    }
    return NULL;
}

const char *ui_screen_name_at(size_t i, bool *shows_page)
{
    if (i >= ARRAY_SIZE(screens))
        return NULL;
    if (shows_page)
        *shows_page = screens[i]->shows_page;
    return screens[i]->name;
}

const char *ui_screen_pose_at(const char *screen, size_t i)
{
    const struct ui_screen *sc = ui_screen_by_name(screen);
    if (!sc || !sc->poses)
        return NULL;
    for (size_t k = 0; sc->poses[k]; k++) {
        if (k == i)
            return sc->poses[k];
    }
    return NULL;
}

void ui_screen_names(char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(screens) && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", screens[i]->name);
}

int ui_screens_alloc(struct ui *ui)
{
    ui->screen_state = calloc(ARRAY_SIZE(screens), sizeof(*ui->screen_state));
    if (!ui->screen_state)
        return ENOMEM;
    for (size_t i = 0; i < ARRAY_SIZE(screens); i++) {
        /* one byte at least, so that every screen's state is a distinct pointer */
        size_t size = screens[i]->state_size ? screens[i]->state_size : 1;
        if (!(ui->screen_state[i] = calloc(1, size)))
            return ENOMEM;
    }
    return 0;
}

void ui_screens_free(struct ui *ui)
{
    if (!ui->screen_state)
        return;
    for (size_t i = 0; i < ARRAY_SIZE(screens); i++) {
        if (ui->screen_state[i] && screens[i]->release)
            screens[i]->release(ui);
        free(ui->screen_state[i]);
    }
    free(ui->screen_state);
    ui->screen_state = NULL;
}

void *ui_screen_state(const struct ui *ui, const struct ui_screen *sc)
{
    for (size_t i = 0; i < ARRAY_SIZE(screens); i++) {
        if (screens[i] == sc)
            return ui->screen_state[i];
    }
    return NULL;
}
