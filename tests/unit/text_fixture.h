/* Shared by the unit tests that need the real languages table and fonts (text, i18n, shaping):
 * load them from the tree (the tests run from its top) and release them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_TEXT_FIXTURE_H
#define OPENLINE_TEXT_FIXTURE_H

#include <stdio.h>

#include "openline/i18n.h"
#include "openline/text.h"

static struct text_engine *eng;
static struct i18n *langs;

/* cmocka group setup: 0, or -1 with the reason printed. */
static int text_fixture_setup(void **state)
{
    char err[512];
    (void)state;
    if (i18n_load(&langs, "locales", err, sizeof(err)) ||
        text_engine_alloc(&eng, "assets/fonts.ini", err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int text_fixture_teardown(void **state)
{
    (void)state;
    text_engine_free(eng);
    i18n_free(langs);
    return 0;
}

#endif
