/* Awareness content: pages in a CommonMark subset (assets/content/), indexed by pages.ini.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_CONTENT_H
#define OPENLINE_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum content_block_type {
    CONTENT_HEADING,   /* "## Subheading" */
    CONTENT_PARAGRAPH, /* plain text */
    CONTENT_ITEM,      /* "- list item" */
};

/* One translatable unit: its English text is the msgid in locales/<code>.po. */
struct content_block {
    enum content_block_type type;
    char *text;    /* UTF-8, placeholders kept ("{hotline}"); inline markup removed but for
                      bold phrases, kept as "**phrase**" (translations keep the pair) */
    unsigned line; /* in the source file */
    char icon[64]; /* an item's pictogram in assets/icons/ ("- ![](passport.svg) ..."), or "" */
};

struct content_page {
    char id[33];    /* [a-z0-9-]{1,32}, the section name in pages.ini */
    char icon[64];  /* SVG file name in assets/icons/ */
    bool tile;      /* shown as a tile on the home screen */
    char file[256]; /* the .md file, for messages */
    char *title;    /* the "# Title" */
    struct content_block *blocks;
    size_t n_blocks;
};

/* A phrase a visitor can tap during a call (phrases.ini): shown in the visitor's language,
 * heard by the counsellor in the hotline's. */
struct content_phrase {
    char id[33];   /* [a-z0-9-]{1,32}: the section name; widget phrase-<id> */
    char *text;    /* the English source: the msgid; placeholders kept ("{language}") */
    unsigned line; /* of its text in phrases.ini */
};

struct content;

/* Read dir/pages.ini and every page it names. On failure returns EINVAL or an errno value and
 * one message naming the file and line in err. *cp is set only on success; content_free(). */
int content_load(struct content **cp, const char *dir, char *err, size_t errlen);
void content_free(struct content *c);

size_t content_count(const struct content *c);
/* Pages in pages.ini order; valid until content_free(). */
const struct content_page *content_at(const struct content *c, size_t i);
const struct content_page *content_find(const struct content *c, const char *id);
/* The phrases, in phrases.ini order (none when the file is missing). */
size_t content_phrase_count(const struct content *c);
const struct content_phrase *content_phrase_at(const struct content *c, size_t i);

/* Values for the placeholders, from the configuration. NULL or "" means not configured. */
struct content_vars {
    const char *organisation, *hotline, *sms, *web;
    const char *language;  /* the visitor's language, named in the language of the text */
    const char *emergency; /* the local emergency number */
};

/* Replace {organisation}, {hotline}, {sms}, {web}, {emergency} and {language} in text. Returns a
 * malloc'd string, or NULL when a placeholder used in text has no value (the caller leaves that
 * sentence out) or on out-of-memory. */
char *content_expand(const char *text, const struct content_vars *vars);

/* Write every title and block as POT entries (with "#: file:line" references) to out, for
 * `make pot`. */
void content_write_pot(const struct content *c, FILE *out);

#endif
