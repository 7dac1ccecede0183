/* Languages table (locales/languages.ini) and catalogs read from PO files with libgettextpo.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/i18n.h"

#include <errno.h>
#include <limits.h>
#include <gettext-po.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <unicode/uloc.h>

#include "openline/inifile.h"
#include "openline/log.h"
#include "openline/util.h"

struct i18n {
    struct lang langs[I18N_MAX_LANGS];
    unsigned lines[I18N_MAX_LANGS]; /* each language's [code] header in languages.ini */
    unsigned n;
    char **problems; /* every problem of every catalog, one line each, in the order found */
    unsigned n_problems;
    size_t cap_problems;
};

/* ---- languages.ini ----------------------------------------------------------------------- */

static int lang_fail(struct inifile *f, const char *section, const char *key, const char *why)
{
    inifile_fail(f, "[%s] %s: %s", section, key, why);
    return 0;
}

/* A voice name goes to espeak-ng as it is: nothing but letters, digits and '-'. */
static bool voice_name_ok(const char *v)
{
    size_t n = strlen(v);
    if (!n || n >= sizeof(((struct lang *)0)->voice))
        return false;
    for (size_t k = 0; k < n; k++) {
        char c = v[k];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return false;
    }
    return true;
}

static int lang_handler(struct inifile *p, const char *section, const char *name, const char *value,
                        void *arg)
{
    struct i18n *i = arg;
    struct lang *l = NULL;

    for (unsigned k = 0; k < i->n; k++) {
        if (!strcmp(i->langs[k].code, section))
            l = &i->langs[k];
    }
    if (!l) {
        /* errors about the section itself name its header's line */
        if (i->n == I18N_MAX_LANGS) {
            inifile_fail_section(p, "[%s]: too many languages (at most %d)", section,
                                 I18N_MAX_LANGS);
            return 0;
        }
        if (strlen(section) >= sizeof(l->code)) {
            inifile_fail_section(p, "[%s]: language code too long (at most %zu bytes)", section,
                                 sizeof(l->code) - 1);
            return 0;
        }
        i->lines[i->n] = p->section_line ? p->section_line : p->line;
        l = &i->langs[i->n++];
        memset(l, 0, sizeof(*l));
        util_strlcpy(l->code, section, sizeof(l->code));
    }
    int e = 0;
    if (!strcmp(name, "endonym")) {
        e = util_strlcpy(l->endonym, value, sizeof(l->endonym));
    } else if (!strcmp(name, "name")) {
        e = util_strlcpy(l->name, value, sizeof(l->name));
    } else if (!strcmp(name, "script")) {
        if (strlen(value) != 4 || value[0] < 'A' || value[0] > 'Z')
            return lang_fail(p, section, name,
                             "must be an ISO 15924 code in exact case, such as Arab or Mymr");
        util_strlcpy(l->script, value, sizeof(l->script));
    } else if (!strcmp(name, "direction")) {
        if (strcmp(value, "ltr") && strcmp(value, "rtl"))
            return lang_fail(p, section, name, "must be ltr or rtl");
        l->rtl = !strcmp(value, "rtl");
    } else if (!strcmp(name, "font")) {
        e = util_strlcpy(l->font, value, sizeof(l->font));
    } else if (!strcmp(name, "font_bold")) {
        e = util_strlcpy(l->font_bold, value, sizeof(l->font_bold));
    } else if (!strcmp(name, "locale")) {
        e = util_strlcpy(l->icu_locale, value, sizeof(l->icu_locale));
    } else if (!strcmp(name, "voice")) {
        if (!voice_name_ok(value))
            return lang_fail(p, section, name,
                             "must be an espeak-ng voice name: letters, digits and '-', at most "
                             "31 bytes, such as en-gb or cmn");
        util_strlcpy(l->voice, value, sizeof(l->voice));
    } else {
        return lang_fail(
            p, section, name,
            "unknown key; accepted: endonym, name, script, direction, font, font_bold, locale, "
            "voice");
    }
    if (e)
        return lang_fail(p, section, name, "value too long");
    return 1;
}

/* ---- catalogs ------------------------------------------------------------------------------ */

/* A catalog is read the way msgfmt --check reads it, but a problem costs only what it concerns:
 *
 *   - the file: no header, or a header whose charset is not UTF-8, refuses the whole catalog (its
 *     bytes cannot be trusted: a declared ISO-8859-1 would convert a file saved as UTF-8 into
 *     mojibake without a sign, so nothing is converted; msgconv -t UTF-8 fixes the file);
 *   - the header's Plural-Forms (an expression msgfmt --check refuses, nplurals=0): reported; the
 *     kiosk has no plural strings, so every translation still loads;
 *   - one entry (bytes that are not UTF-8, placeholders that differ from the English, an entry
 *     msgfmt --check refuses): that entry is left out and its English shown;
 *   - what libgettextpo reports while reading (a syntax error, a second definition of a msgid):
 *     reported; what it could read loads.
 *
 * Each problem is one line, "FILE:LINE: what; what is accepted", in the order of the lines. */

struct catalog_entry {
    char *msgid; /* msgctxt "\004" msgid when there is a context, as gettext does */
    char *msgstr;
};

struct catalog {
    struct catalog_entry *entries; /* sorted by msgid for bsearch */
    size_t n;
    unsigned fuzzy; /* entries skipped because fuzzy */
};

/* At most this many problems of one file are listed; one more line counts the rest. */
#define CATALOG_MAX_PROBLEMS 50

struct problem {
    size_t line, col; /* 0: unknown */
    unsigned seq;     /* order found, to keep it among problems on one line */
    char *text;
};

/* The problems of one file while it is read. */
struct problems {
    const char *path;
    struct problem v[CATALOG_MAX_PROBLEMS];
    unsigned n, more;
    bool nomem;
};

static void problem_add(struct problems *ps, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* s as one line, in place (it may grow by a byte per line: size is its buffer's size).
 * libgettextpo's messages may span several lines ("invalid plural expression\nTry using the
 * following ...") and end with a newline: a line that ends in a word ends a sentence. */
static void one_line(char *s, size_t size)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
    for (char *p = s; (p = strchr(p, '\n'));) {
        bool word = p > s && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                              (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'));
        if (word && n + 1 < size) {
            memmove(p + 1, p, n + 1 - (size_t)(p - s));
            *p++ = '.';
            n++;
        }
        *p++ = ' ';
    }
}

static void problem_add(struct problems *ps, size_t line, size_t col, const char *fmt, ...)
{
    if (ps->n == CATALOG_MAX_PROBLEMS) {
        ps->more++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char text[1536];
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    one_line(text, sizeof(text));
    char *dup = strdup(text);
    if (!dup) {
        ps->nomem = true;
        return;
    }
    ps->v[ps->n] = (struct problem){line, col, ps->n, dup};
    ps->n++;
}

static void problems_clear(struct problems *ps)
{
    for (unsigned k = 0; k < ps->n; k++)
        free(ps->v[k].text);
    ps->n = ps->more = 0;
}

static int problem_cmp(const void *a, const void *b)
{
    const struct problem *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Pass every problem to fn as "FILE:LINE[:COL]: text", in the order of their lines, and clear. */
static void problems_report(struct problems *ps, i18n_problem_h *fn, void *arg)
{
    char line[1536];
    qsort(ps->v, ps->n, sizeof(ps->v[0]), problem_cmp);
    for (unsigned k = 0; k < ps->n; k++) {
        const struct problem *p = &ps->v[k];
        if (p->col)
            snprintf(line, sizeof(line), "%s:%zu:%zu: %s", ps->path, p->line, p->col, p->text);
        else if (p->line)
            snprintf(line, sizeof(line), "%s:%zu: %s", ps->path, p->line, p->text);
        else
            snprintf(line, sizeof(line), "%s: %s", ps->path, p->text);
        fn(line, arg);
    }
    if (ps->more) {
        snprintf(line, sizeof(line), "%s: %u more problems not listed", ps->path, ps->more);
        fn(line, arg);
    }
    if (ps->nomem) {
        snprintf(line, sizeof(line), "%s: out of memory while listing its problems", ps->path);
        fn(line, arg);
    }
    problems_clear(ps);
    ps->nomem = false;
}

/* ---- libgettextpo's diagnostics ---- */

/* One diagnostic: the messages it concerns (when libgettextpo names them), where, and what. */
struct po_diag {
    int severity;        /* PO_SEVERITY_WARNING, _ERROR, _FATAL_ERROR */
    po_message_t m1, m2; /* NULL when it names none; m2 for a second location */
    size_t line, col;    /* 0 when it gives none */
    size_t line2;        /* the second location's line (a first definition), or 0 */
    const char *text, *text2;
};

typedef void(po_diag_h)(const struct po_diag *d, void *arg);

/* libgettextpo's handlers take no argument of ours: the one to call is set here before each call
 * into it (all from i18n_load() or i18n_check_catalog(), on one thread). */
static struct {
    po_diag_h *fn;
    void *arg;
    jmp_buf *jmp;
} po_sink;

static size_t po_known(size_t n)
{
    return n == (size_t)-1 ? 0 : n;
}

static void po_xerror(int severity, po_message_t message, const char *filename, size_t lineno,
                      size_t column, int multiline_p, const char *text)
{
    (void)filename;
    (void)multiline_p;
    struct po_diag d = {severity, message, NULL, po_known(lineno), po_known(column), 0, text, NULL};
    po_sink.fn(&d, po_sink.arg);
    if (severity == PO_SEVERITY_FATAL_ERROR)
        longjmp(*po_sink.jmp, 1); /* the handler must not return on fatal errors */
}

static void po_xerror2(int severity, po_message_t m1, const char *f1, size_t l1, size_t c1, int ml1,
                       const char *t1, po_message_t m2, const char *f2, size_t l2, size_t c2,
                       int ml2, const char *t2)
{
    (void)f1, (void)ml1, (void)f2, (void)c2, (void)ml2;
    struct po_diag d = {severity, m1, m2, po_known(l1), po_known(c1), po_known(l2), t1, t2};
    po_sink.fn(&d, po_sink.arg);
    if (severity == PO_SEVERITY_FATAL_ERROR)
        longjmp(*po_sink.jmp, 1);
}

static const struct po_xerror_handler po_handler = {po_xerror, po_xerror2};

/* Read a PO file with libgettextpo, passing every diagnostic to fn. NULL after a fatal error
 * (reported to fn) or when the file cannot be read at all. */
static po_file_t po_read(const char *path, po_diag_h *fn, void *arg)
{
    jmp_buf jb;
    po_sink.fn = fn;
    po_sink.arg = arg;
    po_sink.jmp = &jb;
    if (setjmp(jb))
        return NULL; /* a fatal error; libgettextpo's partial state is lost */
    return po_file_read(path, &po_handler);
}

/* Run one of libgettextpo's checks, passing every diagnostic to fn. */
static void po_check(void (*check)(po_file_t, po_xerror_handler_t), po_file_t file, po_diag_h *fn,
                     void *arg)
{
    jmp_buf jb;
    po_sink.fn = fn;
    po_sink.arg = arg;
    po_sink.jmp = &jb;
    if (!setjmp(jb))
        check(file, &po_handler);
}

/* ---- where a message is ---- */

struct locate {
    po_message_t m;
    size_t line;
};

static void locate_diag(const struct po_diag *d, void *arg)
{
    struct locate *lc = arg;
    if (d->m1 == lc->m && d->line && !lc->line)
        lc->line = d->line;
}

/* The line of message m in its file: that of its msgstr, which msgfmt names too; 0 if unknown.
 * libgettextpo 0.21 keeps it but has no function that returns it; only its checks report it. A
 * msgid that begins with a newline where the msgstr does not is an error po_message_check_all()
 * always reports, with that line, so m is made into one and checked. m is changed for good: call
 * this only after everything needed from the file was read from it. */
static size_t message_line(po_file_t file, po_message_t m)
{
    struct locate lc = {m, 0};
    jmp_buf jb;
    po_message_iterator_t it = po_message_iterator(file, NULL);
    po_message_set_msgid(m, "\nx");
    po_message_set_msgid_plural(m, NULL);
    po_message_set_msgstr(m, "x");
    po_message_set_fuzzy(m, 0);
    po_sink.fn = locate_diag;
    po_sink.arg = &lc;
    po_sink.jmp = &jb;
    if (!setjmp(jb))
        po_message_check_all(m, it, &po_handler);
    po_message_iterator_free(it);
    return lc.line;
}

/* The line of the header's field ("Plural-Forms") in the file at path, scanning the header's
 * msgstr from its first line, or header_line when the field is not found at the start of one. */
static size_t header_field_line(const char *path, size_t header_line, const char *field)
{
    char *data = NULL;
    size_t len = 0, line = 1, flen = strlen(field);
    if (!header_line || util_read_file(path, &data, &len))
        return header_line;
    for (const char *p = data; p < data + len && line <= header_line + 200;) {
        const char *eol = memchr(p, '\n', (size_t)(data + len - p));
        const char *s = p;
        if (line >= header_line) {
            while (*s == ' ' || *s == '\t')
                s++;
            if (line == header_line && !strncmp(s, "msgstr", 6)) {
                s += 6;
                while (*s == ' ' || *s == '\t')
                    s++;
            } else if (line > header_line && *s != '"') {
                break; /* the header's msgstr ended */
            }
            if (*s == '"' && !strncmp(s + 1, field, flen) && s[1 + flen] == ':') {
                free(data);
                return line;
            }
        }
        if (!eol)
            break;
        p = eol + 1;
        line++;
    }
    free(data);
    return header_line;
}

/* ---- what an entry must be ---- */

/* Strict UTF-8: no overlong forms, surrogates or code points above U+10FFFF. */
static bool is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, n;
        uint32_t cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 1, cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2, cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3, cp = c & 0x07;
        } else {
            return false;
        }
        for (unsigned k = 1; k <= n; k++) {
            if ((p[k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (p[k] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        p += n + 1;
    }
    return true;
}

/* The placeholders of s ("{name}": letters, digits, '_'), sorted, space-separated, in buf. */
static void placeholders(const char *s, char *buf, size_t len)
{
    const char *found[32];
    size_t n = 0;
    for (const char *p = strchr(s, '{'); p && n < ARRAY_SIZE(found); p = strchr(p + 1, '{')) {
        size_t k = 1;
        while (p[k] == '_' || (p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z') ||
               (p[k] >= '0' && p[k] <= '9'))
            k++;
        if (k > 1 && p[k] == '}')
            found[n++] = p;
    }
    for (size_t i = 1; i < n; i++) { /* insertion sort: a handful at most */
        for (size_t k = i; k > 0 && strcmp(found[k - 1], found[k]) > 0; k--) {
            const char *t = found[k];
            found[k] = found[k - 1];
            found[k - 1] = t;
        }
    }
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(buf), plen = (size_t)(strchr(found[i], '}') - found[i]) + 1;
        snprintf(buf + used, len - used, "%s%.*s", i ? " " : "", (int)plen, found[i]);
    }
}

/* How many "**" bold markers s holds (content pages keep **bold** in their msgids). */
static unsigned bold_markers(const char *s)
{
    unsigned n = 0;
    for (const char *p = strstr(s, "**"); p; p = strstr(p + 2, "**"))
        n++;
    return n;
}

/* s quoted for a message: at most about 50 characters, control characters and bytes that are
 * not UTF-8 escaped, so that the line stays one readable line. */
static void quote(const char *s, char *buf, size_t len)
{
    size_t o = 0, chars = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && o + 8 < len) {
        if (++chars > 50) {
            o += (size_t)snprintf(buf + o, len - o, "...");
            break;
        }
        if (*p == '\n') {
            o += (size_t)snprintf(buf + o, len - o, "\\n");
            p++;
        } else if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\') {
            o += (size_t)snprintf(buf + o, len - o, *p == '"' || *p == '\\' ? "\\%c" : "\\x%02x",
                                  *p);
            p++;
        } else if (*p < 0x80) {
            buf[o++] = (char)*p++;
        } else {
            /* one whole UTF-8 sequence, or the byte escaped */
            size_t n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
            char one[5] = "";
            size_t k = 0;
            while (k < n && p[k])
                k++;
            memcpy(one, p, k);
            one[k] = '\0';
            if (k == n && *p >= 0xc2 && *p <= 0xf4 && is_utf8(one)) {
                memcpy(buf + o, one, n);
                o += n;
                p += n;
            } else {
                o += (size_t)snprintf(buf + o, len - o, "\\x%02x", *p);
                p++;
            }
        }
    }
    buf[o] = '\0';
}

/* ---- reading a catalog ---- */

/* What catalog_load() knows while it reads one file. */
struct reading {
    struct problems *ps;
    po_file_t file;
    po_message_t header;
    po_message_t *left_out; /* entries msgfmt's checks refuse, sorted for bsearch after them */
    size_t n_left_out, cap_left_out;
    struct pending { /* problems of entries whose line is found last (message_line) */
        po_message_t m;
        char *text;
    } * pending;
    size_t n_pending, cap_pending;
    char *header_text[8]; /* header problems, reported at the Plural-Forms line */
    unsigned n_header_text;
};

static int ptr_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (po_message_t const *)a, y = (uintptr_t) * (po_message_t const *)b;
    return x < y ? -1 : x > y;
}

static void leave_out(struct reading *r, po_message_t m)
{
    po_message_t *v = util_grow(r->left_out, &r->cap_left_out, r->n_left_out + 1, sizeof(*v), 16);
    if (!v) {
        r->ps->nomem = true;
        return;
    }
    r->left_out = v;
    r->left_out[r->n_left_out++] = m;
}

static bool is_left_out(const struct reading *r, po_message_t m)
{
    return r->n_left_out &&
           bsearch(&m, r->left_out, r->n_left_out, sizeof(*r->left_out), ptr_cmp) != NULL;
}

/* Report why entry m is left out, at its line when known, else once it is found (message_line). */
static void entry_problem(struct reading *r, po_message_t m, size_t line, const char *why)
{
    char id[256], text[1200];
    quote(po_message_msgid(m), id, sizeof(id));
    snprintf(text, sizeof(text), "msgid \"%s\": %s; this string is shown in English", id, why);
    if (line) {
        problem_add(r->ps, line, 0, "%s", text);
        return;
    }
    if (r->ps->n + r->n_pending >= CATALOG_MAX_PROBLEMS) {
        r->ps->more++; /* not listed: no need to find its line */
        return;
    }
    struct pending *v = util_grow(r->pending, &r->cap_pending, r->n_pending + 1, sizeof(*v), 8);
    if (!v) {
        r->ps->nomem = true;
        return;
    }
    r->pending = v;
    char *dup = strdup(text);
    if (!dup) {
        r->ps->nomem = true;
        return;
    }
    r->pending[r->n_pending++] = (struct pending){m, dup};
}

/* Diagnostics while reading: errors are reported at their line; warnings (about header fields,
 * as msgfmt --check gives them) are not problems. */
static void read_diag(const struct po_diag *d, void *arg)
{
    struct problems *ps = arg;
    if (d->severity == PO_SEVERITY_WARNING)
        return;
    /* the second part only points at another line ("the first definition"), when it has one */
    if (d->text2 && d->line2)
        problem_add(ps, d->line, d->col, "%s; line %zu: %s", d->text, d->line2, d->text2);
    else
        problem_add(ps, d->line, d->col, "%s", d->text);
}

/* The header: the first message with an empty msgid and no context. */
static po_message_t find_header(po_file_t file)
{
    po_message_t header = NULL;
    po_message_iterator_t it = po_message_iterator(file, NULL);
    for (po_message_t m; (m = po_next_message(it));) {
        if (!po_message_msgid(m)[0] && !po_message_msgctxt(m) && !po_message_is_obsolete(m)) {
            header = m;
            break;
        }
    }
    po_message_iterator_free(it);
    return header;
}

/* The header declares charset=UTF-8. Else false, with why the catalog is refused and the line. */
static bool check_charset(struct reading *r, char *why, size_t len, size_t *line)
{
    static const char accepted[] =
        "accepted: a header entry (msgid \"\") declaring \"Content-Type: text/plain; "
        "charset=UTF-8\\n\" and the file saved in UTF-8 (msgconv -t UTF-8 converts one); the "
        "catalog is not read, English is shown";
    if (!r->header) {
        *line = 1;
        snprintf(why, len, "no header entry, so no charset; %s", accepted);
        return false;
    }
    char *type = po_header_field(po_message_msgstr(r->header), "Content-Type");
    const char *cs = type ? strcasestr(type, "charset=") : NULL;
    char raw[48] = "", charset[64] = "";
    if (cs) {
        cs += strlen("charset=");
        int n = (int)strcspn(cs, " \t;");
        snprintf(raw, sizeof(raw), "%.*s", n < 40 ? n : 40, cs);
        quote(raw, charset, sizeof(charset));
    }
    free(type);
    if (charset[0] && !strcasecmp(charset, "UTF-8"))
        return true;
    /* refused: the messages are read no more, so the header may be located (message_line) */
    *line = header_field_line(r->ps->path, message_line(r->file, r->header), "Content-Type");
    if (!charset[0])
        snprintf(why, len, "the header declares no charset; %s", accepted);
    else
        snprintf(why, len, "charset=%s; %s", charset, accepted);
    return false;
}

/* Diagnostics of msgfmt --check's checks: a problem of the header (its Plural-Forms), or of one
 * entry, which is left out. Warnings (header fields missing) are not problems, as in msgfmt. */
static void check_diag(const struct po_diag *d, void *arg)
{
    struct reading *r = arg;
    if (d->severity == PO_SEVERITY_WARNING)
        return;
    po_message_t entry = d->m2 && d->m2 != r->header   ? d->m2
                         : d->m1 && d->m1 != r->header ? d->m1
                                                       : NULL;
    char text[512];
    if (d->text2)
        snprintf(text, sizeof(text), "%s %s", d->text, d->text2);
    else
        snprintf(text, sizeof(text), "%s", d->text);
    one_line(text, sizeof(text));
    if (entry) {
        leave_out(r, entry);
        entry_problem(r, entry, entry == d->m1 ? d->line : 0, text);
    } else if (r->n_header_text < ARRAY_SIZE(r->header_text)) {
        char *dup = strdup(text);
        if (dup)
            r->header_text[r->n_header_text++] = dup;
        else
            r->ps->nomem = true;
    }
}

/* The translation may be shown: UTF-8, the English string's placeholders, no other, and as many
 * '**' bold markers as the English. Else false, and why is reported. */
static bool check_entry(struct reading *r, po_message_t m)
{
    const char *ctxt = po_message_msgctxt(m), *id = po_message_msgid(m),
               *str = po_message_msgstr(m);
    char want[256], got[256], why[768];
    if (!is_utf8(id) || (ctxt && !is_utf8(ctxt))) {
        entry_problem(r, m, 0, "the msgid is not valid UTF-8; accepted: UTF-8 text");
        return false;
    }
    if (!is_utf8(str)) {
        entry_problem(r, m, 0,
                      "the translation is not valid UTF-8 (a character saved in another "
                      "encoding); accepted: UTF-8 text, as the header declares");
        return false;
    }
    placeholders(id, want, sizeof(want));
    placeholders(str, got, sizeof(got));
    if (strcmp(want, got)) {
        snprintf(why, sizeof(why),
                 "the translation's placeholders are %s%s, the English string's %s%s; accepted: "
                 "the English string's placeholders, unchanged and untranslated",
                 got[0] ? "" : "none", got, want[0] ? "" : "none", want);
        entry_problem(r, m, 0, why);
        return false;
    }
    unsigned want_b = bold_markers(id), got_b = bold_markers(str);
    if (want_b != got_b) {
        snprintf(why, sizeof(why),
                 "the translation has %u '**' bold markers, the English string %u; accepted: "
                 "a pair of '**' around the phrase that matches each bold phrase of the English",
                 got_b, want_b);
        entry_problem(r, m, 0, why);
        return false;
    }
    return true;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct catalog_entry *)a)->msgid,
                  ((const struct catalog_entry *)b)->msgid);
}

static char *entry_key(const char *ctxt, const char *msgid)
{
    if (!ctxt)
        return strdup(msgid);
    size_t a = strlen(ctxt), b = strlen(msgid);
    char *k = malloc(a + b + 2);
    if (!k)
        return NULL;
    memcpy(k, ctxt, a);
    k[a] = '\004';
    memcpy(k + a + 1, msgid, b + 1);
    return k;
}

static void catalog_free(struct catalog *c)
{
    if (!c)
        return;
    for (size_t k = 0; k < c->n; k++) {
        free(c->entries[k].msgid);
        free(c->entries[k].msgstr);
    }
    free(c->entries);
    free(c);
}

static int catalog_add(struct catalog *c, size_t *cap, const char *ctxt, const char *id,
                       const char *str)
{
    struct catalog_entry *n = util_grow(c->entries, cap, c->n + 1, sizeof(*n), 256);
    if (!n)
        return ENOMEM;
    c->entries = n;
    struct catalog_entry *ce = &c->entries[c->n];
    ce->msgid = entry_key(ctxt, id);
    ce->msgstr = strdup(str);
    if (!ce->msgid || !ce->msgstr) {
        free(ce->msgid);
        free(ce->msgstr);
        return ENOMEM;
    }
    c->n++;
    return 0;
}

/* Every entry that may be shown into c. Fuzzy and empty translations are left out (English is
 * shown instead) without a problem: they are how translators mark work to do. */
static int copy_entries(struct reading *r, struct catalog *c)
{
    size_t cap = 0;
    int rc = 0;
    po_message_iterator_t it = po_message_iterator(r->file, NULL);
    for (po_message_t m; !rc && (m = po_next_message(it));) {
        const char *id = po_message_msgid(m), *str = po_message_msgstr(m);
        if (!id[0] || po_message_is_obsolete(m))
            continue; /* header or obsolete */
        if (po_message_is_fuzzy(m)) {
            c->fuzzy++;
            continue;
        }
        if (!str || !str[0] || is_left_out(r, m) || !check_entry(r, m))
            continue;
        rc = catalog_add(c, &cap, po_message_msgctxt(m), id, str);
    }
    po_message_iterator_free(it);
    if (c->n)
        qsort(c->entries, c->n, sizeof(*c->entries), entry_cmp);
    return rc;
}

/* Report the problems whose line is found last, the header's last of all: message_line() changes
 * the messages, and the header's checks need it unchanged. */
static void locate_pending(struct reading *r)
{
    for (size_t k = 0; k < r->n_pending; k++) {
        problem_add(r->ps, message_line(r->file, r->pending[k].m), 0, "%s", r->pending[k].text);
        free(r->pending[k].text);
    }
    r->n_pending = 0;
    if (r->n_header_text) {
        size_t line =
            header_field_line(r->ps->path, message_line(r->file, r->header), "Plural-Forms");
        for (unsigned k = 0; k < r->n_header_text; k++) {
            problem_add(r->ps, line, 0,
                        "Plural-Forms: %s (msgfmt --check refuses it); accepted: "
                        "nplurals=N; plural=EXPRESSION; with N at least 1 and EXPRESSION giving 0 "
                        "to N-1 (gettext's manual lists them per language)",
                        r->header_text[k]);
            free(r->header_text[k]);
        }
        r->n_header_text = 0;
    }
}

/* Read the PO file at path; its problems into ps. EINVAL when the whole catalog is refused (no
 * catalog then), ENOMEM; else 0 with the catalog in *cp, which may still have left entries out. */
static int catalog_load(struct catalog **cp, const char *path, struct problems *ps)
{
    struct reading r = {.ps = ps};
    struct catalog *c = NULL;
    int rc = 0;

    ps->path = path;
    r.file = po_read(path, read_diag, ps);
    if (!r.file) {
        if (!ps->n)
            problem_add(ps, 0, 0, "cannot be read: %s", strerror(errno));
        rc = EINVAL;
        goto out;
    }
    r.header = find_header(r.file);
    char why[640];
    size_t line = 0;
    if (!check_charset(&r, why, sizeof(why), &line)) {
        /* one problem says why: nothing else read from such a file is to be trusted */
        problems_clear(ps);
        problem_add(ps, line, 0, "%s", why);
        rc = EINVAL;
        goto out;
    }
    po_check(po_file_check_all, r.file, check_diag, &r);
    if (r.n_left_out)
        qsort(r.left_out, r.n_left_out, sizeof(*r.left_out), ptr_cmp);
    c = calloc(1, sizeof(*c));
    if (!c || copy_entries(&r, c)) {
        rc = ENOMEM;
        goto out;
    }
    locate_pending(&r);
    *cp = c;
    c = NULL;
out:
    for (size_t k = 0; k < r.n_pending; k++)
        free(r.pending[k].text);
    for (unsigned k = 0; k < r.n_header_text; k++)
        free(r.header_text[k]);
    free(r.pending);
    free(r.left_out);
    if (r.file)
        po_file_free(r.file);
    catalog_free(c);
    return rc;
}

static const struct catalog_entry *catalog_find(const struct catalog *c, const char *key)
{
    struct catalog_entry probe = {.msgid = (char *)key};
    if (!c || !c->n)
        return NULL;
    return bsearch(&probe, c->entries, c->n, sizeof(*c->entries), entry_cmp);
}

/* ---- public ---------------------------------------------------------------------------------- */

/* A catalog's problem: logged once, at start-up, and kept for self-test and i18n-report. */
static void i18n_note(const char *problem, void *arg)
{
    struct i18n *i = arg;
    log_error("%s", problem);
    char **v = util_grow(i->problems, &i->cap_problems, i->n_problems + 1, sizeof(*v), 16);
    if (!v)
        return; /* logged above; self-test still fails on those kept */
    i->problems = v;
    char *dup = strdup(problem);
    if (dup)
        i->problems[i->n_problems++] = dup;
}

int i18n_load(struct i18n **ip, const char *locales_dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    struct i18n *i = calloc(1, sizeof(*i));
    int rc = 0;

    if (!i)
        return ENOMEM;
    snprintf(path, sizeof(path), "%s/languages.ini", locales_dir);
    rc = inifile_parse(path, "the languages table", "accepted: [code] sections (README there)",
                       lang_handler, i, err, errlen);
    if (rc)
        goto out;
    if (!i18n_find(i, "en")) {
        snprintf(err, errlen, "%s: the source language [en] is missing", path);
        rc = EINVAL;
        goto out;
    }
    for (unsigned k = 0; k < i->n; k++) {
        struct lang *l = &i->langs[k];
        if (!l->endonym[0] || !l->script[0]) {
            snprintf(err, errlen, "%s:%u: [%s] needs at least endonym and script", path,
                     i->lines[k], l->code);
            rc = EINVAL;
            goto out;
        }
        if (!l->icu_locale[0])
            util_strlcpy(l->icu_locale, l->code, sizeof(l->icu_locale));
        if (!strcmp(l->code, "en"))
            continue;
        char po[PATH_MAX];
        snprintf(po, sizeof(po), "%s/%s.po", locales_dir, l->code);
        if (access(po, R_OK)) {
            /* A language without a catalog is shown in English; the report counts it missing. */
            continue;
        }
        /* A problem costs what it concerns (see "catalogs" above): visitors still get this
         * language's name and every string that reads; self-test fails. */
        struct problems ps = {0};
        if (catalog_load(&l->cat, po, &ps) == ENOMEM)
            problem_add(&ps, 0, 0, "out of memory while reading it; English is shown");
        problems_report(&ps, i18n_note, i);
    }
out:
    if (rc) {
        i18n_free(i);
        return rc;
    }
    *ip = i;
    return 0;
}

void i18n_free(struct i18n *i)
{
    if (!i)
        return;
    for (unsigned k = 0; k < i->n; k++)
        catalog_free(i->langs[k].cat);
    for (unsigned k = 0; k < i->n_problems; k++)
        free(i->problems[k]);
    free(i->problems);
    free(i);
}

const char *i18n_problem(const struct i18n *i)
{
    return i->n_problems ? i->problems[0] : NULL;
}

unsigned i18n_problem_count(const struct i18n *i)
{
    return i->n_problems;
}

const char *i18n_problem_at(const struct i18n *i, unsigned idx)
{
    return idx < i->n_problems ? i->problems[idx] : NULL;
}

struct check_count {
    i18n_problem_h *fn;
    void *arg;
    unsigned n;
};

static void check_count(const char *problem, void *arg)
{
    struct check_count *cc = arg;
    cc->n++;
    cc->fn(problem, cc->arg);
}

int i18n_check_catalog(const char *po_path, i18n_problem_h *fn, void *arg, unsigned *n)
{
    struct problems ps = {0};
    struct catalog *c = NULL;
    struct check_count cc = {fn, arg, 0};
    int rc = catalog_load(&c, po_path, &ps);
    catalog_free(c);
    problems_report(&ps, check_count, &cc);
    if (rc == ENOMEM)
        return ENOMEM;
    *n = cc.n;
    return 0;
}

unsigned i18n_count(const struct i18n *i)
{
    return i->n;
}

const struct lang *i18n_at(const struct i18n *i, unsigned idx)
{
    return idx < i->n ? &i->langs[idx] : NULL;
}

const struct lang *i18n_find(const struct i18n *i, const char *code)
{
    for (unsigned k = 0; k < i->n; k++) {
        if (!strcmp(i->langs[k].code, code))
            return &i->langs[k];
    }
    return NULL;
}

/* RFC 4647 3.4 lookup of one tag in the table: the tag, then the tag with its last subtag taken
 * off (and a single-letter subtag left before it, such as "x"), until a code matches, ignoring
 * case. tag is cut in place. */
static const struct lang *lookup_truncating(const struct i18n *i, char *tag)
{
    for (;;) {
        for (unsigned k = 0; k < i->n; k++) {
            if (!strcasecmp(i->langs[k].code, tag))
                return &i->langs[k];
        }
        char *dash = strrchr(tag, '-');
        if (!dash)
            return NULL;
        *dash = '\0';
        if (dash - tag >= 2 && dash[-2] == '-')
            dash[-2] = '\0';
    }
}

/* The tag in ICU's canonical BCP 47 form, and when maximize, with ICU's likely subtags added (zh:
 * zh-Hans-CN, pt: pt-Latn-BR). False when ICU does not read the whole tag. */
static bool icu_tag(const char *tag, bool maximize, char *out, size_t len)
{
    char id[ULOC_FULLNAME_CAPACITY], max[ULOC_FULLNAME_CAPACITY];
    UErrorCode st = U_ZERO_ERROR;
    int32_t parsed = 0;
    uloc_forLanguageTag(tag, id, (int32_t)sizeof(id), &parsed, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING || parsed != (int32_t)strlen(tag) ||
        !id[0])
        return false;
    /* a tag without a language (x-en, und) would take ICU's default locale's likely one */
    char language[ULOC_LANG_CAPACITY];
    uloc_getLanguage(id, language, (int32_t)sizeof(language), &st);
    if (U_FAILURE(st) || !language[0] || !strcmp(language, "und"))
        return false;
    if (maximize) {
        uloc_addLikelySubtags(id, max, (int32_t)sizeof(max), &st);
        if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
            return false;
        memcpy(id, max, sizeof(id));
    }
    uloc_toLanguageTag(id, out, (int32_t)len, false, &st);
    return U_SUCCESS(st) && st != U_STRING_NOT_TERMINATED_WARNING;
}

const struct lang *i18n_lookup(const struct i18n *i, const char *tag, char *err, size_t errlen)
{
    char t[ULOC_FULLNAME_CAPACITY];
    const struct lang *l = NULL;
    if (strlen(tag) < sizeof(t)) {
        /* pt_BR as POSIX locales write it is pt-BR */
        util_strlcpy(t, tag, sizeof(t));
        for (char *p = t; *p; p++)
            *p = *p == '_' ? '-' : *p;
        char canon[ULOC_FULLNAME_CAPACITY], max[ULOC_FULLNAME_CAPACITY];
        bool ok = icu_tag(t, false, canon, sizeof(canon)) && icu_tag(t, true, max, sizeof(max));
        if (!(l = lookup_truncating(i, t)) && ok && !(l = lookup_truncating(i, canon)))
            l = lookup_truncating(i, max);
    }
    if (!l && err && errlen) {
        size_t n = (size_t)snprintf(err, errlen, "unknown language '%s'; accepted: ", tag);
        for (unsigned k = 0; k < i->n && n < errlen; k++)
            n += (size_t)snprintf(err + n, errlen - n, "%s%s", k ? ", " : "", i->langs[k].code);
        if (n < errlen)
            snprintf(err + n, errlen - n,
                     " (locales/languages.ini), or a tag that narrows one "
                     "such as zh-CN or pt-BR");
    }
    return l;
}

const char *i18n_get(const struct lang *lang, const char *msgid)
{
    const struct catalog_entry *ce = lang ? catalog_find(lang->cat, msgid) : NULL;
    return ce ? ce->msgstr : msgid;
}

bool i18n_translated(const struct lang *lang, const char *msgid)
{
    return !strcmp(lang->code, "en") || catalog_find(lang->cat, msgid);
}

void i18n_each(const struct lang *lang, void (*fn)(const char *, const char *, void *), void *arg)
{
    if (!lang->cat)
        return;
    for (size_t k = 0; k < lang->cat->n; k++)
        fn(lang->cat->entries[k].msgid, lang->cat->entries[k].msgstr, arg);
}

/* The first diagnostic of reading the template, "FILE:LINE: text". */
struct first_diag {
    const char *path;
    char text[512];
};

static void first_diag(const struct po_diag *d, void *arg)
{
    struct first_diag *f = arg;
    if (f->text[0])
        return;
    if (d->line)
        snprintf(f->text, sizeof(f->text), "%s:%zu: %s", f->path, d->line, d->text);
    else
        snprintf(f->text, sizeof(f->text), "%s: %s", f->path, d->text);
    size_t n = strlen(f->text); /* libgettextpo's messages end with a newline */
    if (n && f->text[n - 1] == '\n')
        f->text[n - 1] = '\0';
}

/* The template read whole, or NULL with its first problem in err. */
static po_file_t template_read(const char *pot_path, char *err, size_t errlen)
{
    struct first_diag fd = {pot_path, ""};
    po_file_t pot = po_read(pot_path, first_diag, &fd);
    if (!pot || fd.text[0]) {
        if (fd.text[0])
            snprintf(err, errlen, "%s", fd.text);
        else
            snprintf(err, errlen, "%s: cannot be read", pot_path);
        if (pot)
            po_file_free(pot);
        return NULL;
    }
    return pot;
}

int i18n_template_each(const char *pot_path, void (*fn)(const char *msgid, void *arg), void *arg,
                       char *err, size_t errlen)
{
    po_file_t pot = template_read(pot_path, err, errlen);
    if (!pot)
        return EINVAL;
    po_message_iterator_t it = po_message_iterator(pot, NULL);
    for (po_message_t m; (m = po_next_message(it));) {
        if (po_message_msgid(m)[0] && !po_message_is_obsolete(m))
            fn(po_message_msgid(m), arg);
    }
    po_message_iterator_free(it);
    po_file_free(pot);
    return 0;
}

int i18n_coverage(const struct i18n *i, const struct lang *lang, const char *pot_path,
                  struct i18n_coverage *cov, char *err, size_t errlen)
{
    (void)i;
    memset(cov, 0, sizeof(*cov));
    po_file_t pot = template_read(pot_path, err, errlen);
    if (!pot)
        return EINVAL;
    /* Fuzzy entries are not in the catalog; count them from the PO file's own flags. */
    po_message_iterator_t it = po_message_iterator(pot, NULL);
    for (po_message_t m; (m = po_next_message(it));) {
        const char *id = po_message_msgid(m);
        if (!id[0] || po_message_is_obsolete(m))
            continue;
        cov->total++;
        if (!strcmp(lang->code, "en")) {
            cov->translated++;
            continue;
        }
        char *key = entry_key(po_message_msgctxt(m), id);
        if (key && catalog_find(lang->cat, key))
            cov->translated++;
        else
            cov->missing++;
        free(key);
    }
    po_message_iterator_free(it);
    po_file_free(pot);
    if (lang->cat) {
        cov->fuzzy = lang->cat->fuzzy;
        /* fuzzy entries were counted as missing above: report them separately */
        cov->missing = cov->missing >= cov->fuzzy ? cov->missing - cov->fuzzy : 0;
    }
    return 0;
}
