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

/* Facts about the hotline that a block may be shown under ("{if interpreter} ..." at the start
 * of a block in a page's Markdown; README-content.md, "Promises"). A block with a condition is
 * shown only when the deployment states that fact (content_vars.facts). */
enum content_fact {
    CONTENT_FACT_INDEPENDENT = 1u << 0,      /* "independent": neither police nor immigration */
    CONTENT_FACT_NOT_POLICE = 1u << 1,       /* "not-police": not police; immigration not stated */
    CONTENT_FACT_NOT_IMMIGRATION = 1u << 2,  /* "not-immigration": the other way round */
    CONTENT_FACT_INTERPRETER = 1u << 3,      /* "interpreter": one for the visitor's language */
    CONTENT_FACT_VISITOR_DECIDES = 1u << 4,  /* "visitor-decides": no duty to report */
    CONTENT_FACT_REPORTS_CHILDREN = 1u << 5, /* "reports-children": must report a child at risk */
    CONTENT_FACT_REPORTS_DANGER = 1u << 6,   /* "reports-danger": must report immediate danger */
    CONTENT_FACT_ALWAYS_OPEN = 1u << 7,      /* "always-open": answers day and night */
    /* "open": the hotline answers now (no hours stated, or inside them): not a promise the
     * configuration states but the state of the moment, set by the UI at each layout, so that
     * no sentence sends a visitor to a closed hotline ("Call it from another phone"). */
    CONTENT_FACT_OPEN = 1u << 8,
};

/* The name of each fact as a page writes it ("interpreter"), for messages; NULL past the last.
 * i is a bit number (CONTENT_FACT_x == 1u << i). */
const char *content_fact_name(unsigned i);

/* One translatable unit: its English text is the msgid in locales/<code>.po. */
struct content_block {
    enum content_block_type type;
    char *text;    /* UTF-8, placeholders kept ("{hotline}"); inline markup removed but for
                      bold phrases, kept as "**phrase**" (translations keep the pair) */
    unsigned line; /* in the source file */
    char icon[64]; /* an item's pictogram in assets/icons/ ("- ![](passport.svg) ..."), or "" */
    unsigned when; /* enum content_fact bits that must all be stated for it to show; 0: always */
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
    const char *language;     /* the visitor's language, named in the language of the text */
    const char *emergency;    /* the local emergency number */
    const char *hours;        /* when the hotline answers, in the visitor's language ("" or NULL:
                                 not stated, or always) */
    const char *interpreters; /* the languages the counsellor speaks, named in the visitor's
                                 language; NULL unless the visitor's is not among them */
    unsigned facts;           /* enum content_fact bits the deployment states for this visitor */
};

/* Replace {organisation}, {hotline}, {sms}, {web}, {emergency}, {hours}, {interpreters} and
 * {language} in text. Returns a
 * malloc'd string, or NULL when a placeholder used in text has no value (the caller leaves that
 * sentence out) or on out-of-memory. */
char *content_expand(const char *text, const struct content_vars *vars);

struct config;

/* The enum content_fact bits the configuration states for a visitor reading lang (a code of the
 * languages table): "you can ask for an interpreter" only where the hotline has one for lang. */
unsigned content_facts(const struct config *cfg, const char *lang);
/* Whether the hotline answers in lang: its own language, a uri.LANG hotline, or an interpreter
 * ([organisation] interpreters yes, or lang listed). */
bool content_language_served(const struct config *cfg, const char *lang);
/* Whether a visitor reading lang is told which languages the counsellor speaks ({interpreters}):
 * the hotline states its languages (interpreters = no or a list) and lang is not among them. */
bool content_names_languages(const struct config *cfg, const char *lang);

/* A block as this visitor sees it: the translation text of b with its placeholders filled in
 * (content_expand), or NULL when b is left out: its condition (b->when) is not among vars->facts
 * or it names a placeholder without a value. Malloc'd. */
char *content_block_expand(const struct content_block *b, const char *text,
                           const struct content_vars *vars);

/* Write every title and block as POT entries (with "#: file:line" references) to out, for
 * `make pot`. */
void content_write_pot(const struct content *c, FILE *out);

#endif
