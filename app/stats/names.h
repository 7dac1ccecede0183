/* What staff read instead of codes: a language's name (its own and in English) and a page's
 * title. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_NAMES_H
#define STATS_NAMES_H

#include <stddef.h>

/* "العربية — Arabic" for "ar" (ICU's display names: the endonym, then English; one name when
 * both are the same); the code itself when ICU knows no name for it. */
void names_language(const char *code, char *out, size_t len);

/* The English title of content page id ("Your rights at work" for "rights"), from the first
 * heading of assets/content/ID.md at build time; NULL for a page this build does not know. */
const char *names_page_title(const char *id);

#endif
