/* Language names from ICU, page titles from the content the kiosk was built with. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "names.h"

#include <stdio.h>
#include <string.h>

#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "stats_pages.h" /* generated: stats_page_titles, {"id", "Title"} pairs */

/* The display name of locale code in locale in, as UTF-8; false when ICU has none. */
static bool names_display(const char *code, const char *in, char *out, size_t len)
{
    UChar name[128];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayName(code, in, name, (int32_t)(sizeof(name) / sizeof(*name)), &e);
    if (U_FAILURE(e) || e == U_USING_DEFAULT_WARNING || n <= 0)
        return false;
    e = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)len, NULL, name, n, &e);
    return U_SUCCESS(e) && e != U_STRING_NOT_TERMINATED_WARNING;
}

void names_language(const char *code, char *out, size_t len)
{
    char own[160], en[160];
    bool has_own = names_display(code, code, own, sizeof(own));
    bool has_en = names_display(code, "en", en, sizeof(en));

    /* ICU echoes an unknown code back as its name. */
    if (has_en && !strcmp(en, code))
        has_en = has_own = false;
    if (has_own && has_en && strcmp(own, en))
        snprintf(out, len, "%s \xE2\x80\x94 %s", own, en);
    else if (has_en)
        snprintf(out, len, "%s", en);
    else
        snprintf(out, len, "%s", code);
}

const char *names_page_title(const char *id)
{
    for (size_t i = 0; i < sizeof(stats_page_titles) / sizeof(*stats_page_titles); i++) {
        if (!strcmp(stats_page_titles[i][0], id))
            return stats_page_titles[i][1];
    }
    return NULL;
}
