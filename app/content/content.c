/* Content pages: pages.ini (inih) names CommonMark files (cmark), reduced to translatable blocks.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/content.h"

#include <cmark.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openline/inifile.h"
#include "openline/util.h"

#define CONTENT_MAX_PAGES   64
#define CONTENT_MAX_PHRASES 16

struct content {
    struct content_page pages[CONTENT_MAX_PAGES];
    size_t n;
    /* pages.ini lines, for messages about a page: its [id] header and its file key */
    unsigned lines[CONTENT_MAX_PAGES], file_lines[CONTENT_MAX_PAGES];
    struct content_phrase phrases[CONTENT_MAX_PHRASES];
    size_t n_phrases;
};

static const char *const placeholders[] = {"organisation", "hotline",   "sms",   "web",
                                           "language",     "emergency", "hours", "interpreters"};
/* indexes into placeholders[] */
enum {
    PH_ORGANISATION,
    PH_HOTLINE,
    PH_SMS,
    PH_WEB,
    PH_LANGUAGE,
    PH_EMERGENCY,
    PH_HOURS,
    PH_INTERPRETERS
};
/* placeholders a deployment or a visitor may leave without a value: their block is left out */
#define PH_OPTIONAL                                                                                \
    (1u << PH_SMS | 1u << PH_WEB | 1u << PH_EMERGENCY | 1u << PH_HOURS | 1u << PH_INTERPRETERS)

/* enum content_fact, bit by bit, as a page writes it after "{if " */
static const char *const fact_names[] = {
    "independent",      "not-police",     "not-immigration", "interpreter", "visitor-decides",
    "reports-children", "reports-danger", "always-open",     "open",
};

static const char accepted_md[] =
    "accepted: one '# Title' first, then paragraphs, '## Subheadings' and '- ' bullet lists "
    "(README-content.md)";

/* ---- pages.ini ----------------------------------------------------------------------------- */

static int index_fail(struct inifile *f, const char *section, const char *key, const char *why)
{
    inifile_fail(f, "[%s] %s: %s", section, key, why);
    return 0;
}

static bool is_page_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 32)
        return false;
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    }
    return true;
}

static int index_handler(struct inifile *p, const char *section, const char *name,
                         const char *value, void *arg)
{
    struct content *c = arg;
    struct content_page *pg = NULL;

    /* errors about the section itself name its header's line */
    if (!is_page_id(section)) {
        inifile_fail_section(p, "[%s]: a page id is 1 to 32 of a-z, 0-9 and -", section);
        return 0;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (!strcmp(c->pages[i].id, section))
            pg = &c->pages[i];
    }
    if (!pg) {
        if (c->n == CONTENT_MAX_PAGES) {
            inifile_fail_section(p, "[%s]: too many pages (at most 64)", section);
            return 0;
        }
        c->lines[c->n] = p->section_line ? p->section_line : p->line;
        pg = &c->pages[c->n++];
        util_strlcpy(pg->id, section, sizeof(pg->id));
    }
    if (!strcmp(name, "file")) {
        if (strchr(value, '/') || util_strlcpy(pg->file, value, sizeof(pg->file)))
            return index_fail(p, section, name, "a file name in this folder");
        c->file_lines[pg - c->pages] = p->line;
    } else if (!strcmp(name, "icon")) {
        if (strchr(value, '/') || util_strlcpy(pg->icon, value, sizeof(pg->icon)))
            return index_fail(p, section, name, "a file name in assets/icons/");
    } else if (!strcmp(name, "tile")) {
        if (!strcmp(value, "yes"))
            pg->tile = true;
        else if (!strcmp(value, "no"))
            pg->tile = false;
        else
            return index_fail(p, section, name, "yes or no");
    } else {
        return index_fail(p, section, name, "unknown key; accepted: file, icon, tile");
    }
    return 1;
}

/* ---- phrases.ini --------------------------------------------------------------------------- */

static int phrase_handler(struct inifile *p, const char *section, const char *name,
                          const char *value, void *arg)
{
    struct content *c = arg;
    if (!is_page_id(section)) {
        inifile_fail_section(p, "[%s]: a phrase id is 1 to 32 of a-z, 0-9 and -", section);
        return 0;
    }
    if (strcmp(name, "text"))
        return index_fail(p, section, name, "unknown key; accepted: text");
    for (size_t i = 0; i < c->n_phrases; i++) {
        if (!strcmp(c->phrases[i].id, section))
            return index_fail(p, section, name, "given twice");
    }
    if (c->n_phrases == CONTENT_MAX_PHRASES) {
        inifile_fail_section(p, "[%s]: too many phrases (at most %d)", section,
                             CONTENT_MAX_PHRASES);
        return 0;
    }
    if (!*value || strchr(value, '{') != strstr(value, "{language}"))
        return index_fail(p, section, name, "a sentence; the only placeholder is {language}");
    struct content_phrase *ph = &c->phrases[c->n_phrases];
    util_strlcpy(ph->id, section, sizeof(ph->id));
    ph->line = p->line;
    if (!(ph->text = strdup(value))) {
        inifile_fail(p, "out of memory");
        return 0;
    }
    c->n_phrases++;
    return 1;
}

/* ---- Markdown ------------------------------------------------------------------------------ */

struct md {
    const char *path;
    char *err;
    size_t errlen;
    bool failed;
};

static void md_fail(struct md *m, cmark_node *n, const char *what)
{
    if (m->failed)
        return;
    m->failed = true;
    snprintf(m->err, m->errlen, "%s:%d: %s; %s", m->path, cmark_node_get_start_line(n), what,
             accepted_md);
}

struct buf {
    char *s;
    size_t n, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
    char *ns = util_grow(b->s, &b->cap, b->n + n + 1, 1, 256);
    if (!ns)
        return ENOMEM;
    b->s = ns;
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

/* Flatten the inline children of n from first on into text: emphasis keeps its text, strong
 * keeps its markers ("**phrase**", drawn bold); nested strong is flattened into the outer one. */
static int md_inline_from(struct md *m, cmark_node *n, cmark_node *first, struct buf *b,
                          bool in_strong)
{
    for (cmark_node *ch = first; ch; ch = cmark_node_next(ch)) {
        switch (cmark_node_get_type(ch)) {
        case CMARK_NODE_TEXT: {
            const char *t = cmark_node_get_literal(ch);
            if (strstr(t, "**")) {
                md_fail(m, n, "'**' in the text itself (kept for **bold** phrases)");
                return EINVAL;
            }
            if (buf_add(b, t, strlen(t)))
                return ENOMEM;
            break;
        }
        case CMARK_NODE_SOFTBREAK:
            if (buf_add(b, " ", 1))
                return ENOMEM;
            break;
        case CMARK_NODE_EMPH:
            if (md_inline_from(m, ch, cmark_node_first_child(ch), b, in_strong))
                return EINVAL;
            break;
        case CMARK_NODE_STRONG:
            if ((!in_strong && buf_add(b, "**", 2)) ||
                md_inline_from(m, ch, cmark_node_first_child(ch), b, true) ||
                (!in_strong && buf_add(b, "**", 2)))
                return EINVAL;
            break;
        default:
            md_fail(m, n,
                    "links, code, HTML, hard line breaks and images (but one at the start of a "
                    "list item) are not allowed");
            return EINVAL;
        }
    }
    return 0;
}

/* A list item's pictogram: "- ![](passport.svg) text" gives icon "passport.svg" and leaves
 * *first at the text after it. 0 when there is none, EINVAL when the name is not a file name in
 * assets/icons/. */
static int item_icon(struct md *m, cmark_node *n, cmark_node **first, char *icon, size_t len)
{
    icon[0] = '\0';
    if (!*first || cmark_node_get_type(*first) != CMARK_NODE_IMAGE)
        return 0;
    const char *url = cmark_node_get_url(*first);
    if (!url || !url[0] || strchr(url, '/') || strchr(url, '\\') || url[0] == '.' ||
        util_strlcpy(icon, url, len)) {
        icon[0] = '\0';
        md_fail(m, n, "a list item's pictogram is a file name in assets/icons/ (no folder)");
        return EINVAL;
    }
    *first = cmark_node_next(*first);
    return 0;
}

static int check_placeholders(struct md *m, cmark_node *n, const char *text)
{
    unsigned used = 0; /* bit i: placeholders[i] */
    for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        bool ok = false;
        for (size_t i = 0; end && i < ARRAY_SIZE(placeholders); i++) {
            size_t len = strlen(placeholders[i]);
            if ((size_t)(end - p - 1) == len && !strncmp(p + 1, placeholders[i], len)) {
                ok = true;
                used |= 1u << i;
            }
        }
        if (!ok) {
            md_fail(m, n,
                    "unknown placeholder (use {organisation}, {hotline}, {sms}, {web}, "
                    "{emergency}, {hours} or {interpreters}; a condition only at the start: "
                    "{if FACT})");
            return EINVAL;
        }
    }
    /* A block naming a setting that is not configured is left out (content_expand), so
     * {sms}, {web}, {emergency}, {hours} and {interpreters}, which a deployment may leave
     * empty, each need a block of their own: the hotline's number must never disappear with
     * them. */
    unsigned optional = used & PH_OPTIONAL;
    if (optional && (used & (1u << PH_HOTLINE) || (optional & (optional - 1)))) {
        md_fail(m, n,
                "{sms}, {web}, {emergency}, {hours} and {interpreters} each need a sentence of "
                "their own, without {hotline}: where one has no value its sentence is left out");
        return EINVAL;
    }
    return 0;
}

const char *content_fact_name(unsigned i)
{
    return i < ARRAY_SIZE(fact_names) ? fact_names[i] : NULL;
}

/* "{if FACT} text": the condition at the start of a block, taken out of its text (the msgid
 * translators see has none) into *when. 0, or EINVAL for an unknown fact. */
static int take_condition(struct md *m, cmark_node *n, char *text, unsigned *when)
{
    *when = 0;
    if (strncmp(text, "{if ", 4))
        return 0;
    char *end = strchr(text, '}');
    size_t len = end ? (size_t)(end - text - 4) : 0;
    for (size_t i = 0; end && i < ARRAY_SIZE(fact_names); i++) {
        if (strlen(fact_names[i]) == len && !strncmp(text + 4, fact_names[i], len)) {
            *when = 1u << i;
            memmove(text, end + 1, strlen(end + 1) + 1);
            util_trim(text);
            memmove(text, text + strspn(text, " "), strlen(text + strspn(text, " ")) + 1);
            if (!text[0])
                break;
            return 0;
        }
    }
    md_fail(m, n,
            "a condition is {if FACT} before a sentence, FACT one of independent, not-police, "
            "not-immigration, interpreter, visitor-decides, reports-children, reports-danger, "
            "always-open, open (README-content.md, Promises)");
    return EINVAL;
}

static int add_block(struct md *m, struct content_page *pg, cmark_node *n,
                     enum content_block_type type, cmark_node *inl)
{
    struct buf b = {0};
    char icon[sizeof(pg->blocks->icon)];
    cmark_node *first = cmark_node_first_child(inl);
    if (type == CONTENT_ITEM && item_icon(m, n, &first, icon, sizeof(icon)))
        return EINVAL;
    if (type != CONTENT_ITEM)
        icon[0] = '\0';
    if (md_inline_from(m, n, first, &b, false) || !b.s || !util_trim(b.s)[0]) {
        if (!m->failed)
            md_fail(m, n, "empty block");
        free(b.s);
        return EINVAL;
    }
    util_trim(b.s);
    unsigned when;
    if (take_condition(m, n, b.s, &when) || check_placeholders(m, n, b.s)) {
        free(b.s);
        return EINVAL;
    }
    struct content_block *nb = realloc(pg->blocks, (pg->n_blocks + 1) * sizeof(*nb));
    if (!nb) {
        free(b.s);
        return ENOMEM;
    }
    pg->blocks = nb;
    struct content_block *cb = &pg->blocks[pg->n_blocks++];
    *cb = (struct content_block){type, b.s, (unsigned)cmark_node_get_start_line(n), "", when};
    util_strlcpy(cb->icon, icon, sizeof(cb->icon));
    return 0;
}

/* Read the page pg->file names (path); index names where pages.ini does ("PATH:LINE: [id] file =
 * NAME"), for the message when the file cannot be read. */
static int page_parse(struct content_page *pg, const char *path, const char *index, char *err,
                      size_t errlen)
{
    struct md m = {.path = path, .err = err, .errlen = errlen};
    char *data = NULL;
    size_t len;
    int rc = util_read_file(path, &data, &len);
    if (rc) {
        snprintf(err, errlen, "%s: cannot read %s: %s", index, path, strerror(rc));
        return rc;
    }
    cmark_node *doc = cmark_parse_document(data, len, CMARK_OPT_DEFAULT);
    free(data);
    if (!doc) {
        snprintf(err, errlen, "%s: cannot parse", path);
        return ENOMEM;
    }
    for (cmark_node *n = cmark_node_first_child(doc); n && !rc; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (!pg->title) {
            if (t != CMARK_NODE_HEADING || cmark_node_get_heading_level(n) != 1) {
                md_fail(&m, n, "the page must start with one '# Title'");
                rc = EINVAL;
                break;
            }
            struct buf b = {0};
            /* the title is bold already: its **markers** are not kept */
            if (md_inline_from(&m, n, cmark_node_first_child(n), &b, true) || !b.s) {
                if (!m.failed)
                    md_fail(&m, n, "empty title");
                free(b.s);
                rc = EINVAL;
                break;
            }
            pg->title = util_trim(b.s);
            continue;
        }
        switch (t) {
        case CMARK_NODE_HEADING:
            if (cmark_node_get_heading_level(n) != 2) {
                md_fail(&m, n, "only one '# Title'; subheadings are '## '");
                rc = EINVAL;
                break;
            }
            rc = add_block(&m, pg, n, CONTENT_HEADING, n);
            break;
        case CMARK_NODE_PARAGRAPH:
            rc = add_block(&m, pg, n, CONTENT_PARAGRAPH, n);
            break;
        case CMARK_NODE_LIST:
            if (cmark_node_get_list_type(n) != CMARK_BULLET_LIST) {
                md_fail(&m, n, "numbered lists are not allowed");
                rc = EINVAL;
                break;
            }
            for (cmark_node *it = cmark_node_first_child(n); it && !rc; it = cmark_node_next(it)) {
                cmark_node *para = cmark_node_first_child(it);
                if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH ||
                    cmark_node_next(para)) {
                    md_fail(&m, it, "a list item is one short paragraph (no nested lists)");
                    rc = EINVAL;
                    break;
                }
                rc = add_block(&m, pg, it, CONTENT_ITEM, para);
            }
            break;
        default:
            md_fail(&m, n, "block quotes, code, HTML and rules are not allowed");
            rc = EINVAL;
            break;
        }
    }
    if (!rc && !pg->title) {
        snprintf(err, errlen, "%s: empty page; %s", path, accepted_md);
        rc = EINVAL;
    }
    if (!rc && m.failed)
        rc = EINVAL;
    cmark_node_free(doc);
    return rc;
}

/* ---- public ---------------------------------------------------------------------------------- */

int content_load(struct content **cp, const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    struct content *c = calloc(1, sizeof(*c));
    int rc = 0;

    if (!c)
        return ENOMEM;
    snprintf(path, sizeof(path), "%s/pages.ini", dir);
    rc = inifile_parse(path, "the page index", "accepted: [page-id] sections with file, icon, tile",
                       index_handler, c, err, errlen);
    if (rc)
        goto out;
    if (!c->n) {
        snprintf(err, errlen, "%s: no pages", path);
        rc = EINVAL;
        goto out;
    }
    char phrases[PATH_MAX];
    snprintf(phrases, sizeof(phrases), "%s/phrases.ini", dir);
    if (access(phrases, F_OK) == 0) {
        rc = inifile_parse(phrases, "the phrases", "accepted: [phrase-id] sections with text",
                           phrase_handler, c, err, errlen);
        if (rc)
            goto out;
    }
    for (size_t i = 0; i < c->n && !rc; i++) {
        struct content_page *pg = &c->pages[i];
        if (!pg->file[0] || !pg->icon[0]) {
            snprintf(err, errlen, "%s:%u: [%s] needs both file and icon", path, c->lines[i],
                     pg->id);
            rc = EINVAL;
            break;
        }
        char md[PATH_MAX + 256], index[PATH_MAX + 320];
        snprintf(md, sizeof(md), "%s/%s", dir, pg->file);
        snprintf(index, sizeof(index), "%s:%u: [%s] file = %s", path, c->file_lines[i], pg->id,
                 pg->file);
        rc = page_parse(pg, md, index, err, errlen);
    }
out:
    if (rc) {
        content_free(c);
        return rc;
    }
    *cp = c;
    return 0;
}

void content_free(struct content *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        for (size_t k = 0; k < c->pages[i].n_blocks; k++)
            free(c->pages[i].blocks[k].text);
        free(c->pages[i].blocks);
        free(c->pages[i].title);
    }
    for (size_t i = 0; i < c->n_phrases; i++)
        free(c->phrases[i].text);
    free(c);
}

size_t content_count(const struct content *c)
{
    return c->n;
}

const struct content_page *content_at(const struct content *c, size_t i)
{
    return i < c->n ? &c->pages[i] : NULL;
}

const struct content_page *content_find(const struct content *c, const char *id)
{
    for (size_t i = 0; i < c->n; i++) {
        if (!strcmp(c->pages[i].id, id))
            return &c->pages[i];
    }
    return NULL;
}

size_t content_phrase_count(const struct content *c)
{
    return c->n_phrases;
}

const struct content_phrase *content_phrase_at(const struct content *c, size_t i)
{
    return i < c->n_phrases ? &c->phrases[i] : NULL;
}

char *content_expand(const char *text, const struct content_vars *vars)
{
    const char *values[] = {vars->organisation, vars->hotline,   vars->sms,   vars->web,
                            vars->language,     vars->emergency, vars->hours, vars->interpreters};
    _Static_assert(ARRAY_SIZE(values) == ARRAY_SIZE(placeholders), "a value per placeholder");
    struct buf b = {0};
    const char *p = text;

    while (*p) {
        const char *brace = strchr(p, '{');
        if (!brace) {
            if (buf_add(&b, p, strlen(p)))
                goto fail;
            break;
        }
        if (buf_add(&b, p, (size_t)(brace - p)))
            goto fail;
        size_t i;
        for (i = 0; i < ARRAY_SIZE(placeholders); i++) {
            size_t len = strlen(placeholders[i]);
            if (!strncmp(brace + 1, placeholders[i], len) && brace[1 + len] == '}') {
                if (!values[i] || !values[i][0])
                    goto fail; /* not configured: leave the sentence out */
                if (buf_add(&b, values[i], strlen(values[i])))
                    goto fail;
                p = brace + 2 + len;
                break;
            }
        }
        if (i == ARRAY_SIZE(placeholders)) {
            if (buf_add(&b, "{", 1))
                goto fail;
            p = brace + 1;
        }
    }
    if (!b.s)
        return strdup("");
    return b.s;
fail:
    free(b.s);
    return NULL;
}

char *content_block_expand(const struct content_block *b, const char *text,
                           const struct content_vars *vars)
{
    if (b->when & ~vars->facts)
        return NULL; /* a promise this deployment does not state */
    return content_expand(text, vars);
}

static void pot_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void content_write_pot(const struct content *c, FILE *out)
{
    static const char *const kind[] = {"subheading", "paragraph", "list item"};
    for (size_t i = 0; i < c->n; i++) {
        const struct content_page *pg = &c->pages[i];
        fprintf(out, "#. page %s: title\n#: assets/content/%s:1\nmsgid ", pg->id, pg->file);
        pot_string(out, pg->title);
        fputs("\nmsgstr \"\"\n\n", out);
        for (size_t k = 0; k < pg->n_blocks; k++) {
            const struct content_block *bl = &pg->blocks[k];
            fprintf(out, "#. page %s: %s", pg->id, kind[bl->type]);
            if (strchr(bl->text, '{'))
                fputs("; keep {placeholders} exactly as written", out);
            for (unsigned f = 0; f < ARRAY_SIZE(fact_names); f++) {
                if (bl->when & 1u << f && 1u << f == CONTENT_FACT_OPEN)
                    fputs("; shown only while the hotline answers (open)", out);
                else if (bl->when & 1u << f)
                    fprintf(out, "; shown only where the hotline states it (%s)", fact_names[f]);
            }
            fprintf(out, "\n#: assets/content/%s:%u\nmsgid ", pg->file, bl->line);
            pot_string(out, bl->text);
            fputs("\nmsgstr \"\"\n\n", out);
        }
    }
    for (size_t i = 0; i < c->n_phrases; i++) {
        const struct content_phrase *ph = &c->phrases[i];
        fprintf(out,
                "#. phrase %s: tapped during a call by a visitor who cannot talk freely, heard "
                "by the counsellor in the hotline's language%s\n#: assets/content/phrases.ini:%u\n"
                "msgid ",
                ph->id, strchr(ph->text, '{') ? "; keep {language} exactly as written" : "",
                ph->line);
        pot_string(out, ph->text);
        fputs("\nmsgstr \"\"\n\n", out);
    }
}
