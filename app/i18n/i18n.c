/* Languages table (locales/languages.ini) and catalogs read from PO files with libgettextpo.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/i18n.h"

#include <errno.h>
#include <limits.h>
#include <gettext-po.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openline/inifile.h"
#include "openline/log.h"
#include "openline/util.h"

struct catalog_entry {
    char *msgid; /* msgctxt "\004" msgid when there is a context, as gettext does */
    char *msgstr;
};

struct catalog {
    struct catalog_entry *entries; /* sorted by msgid for bsearch */
    size_t n;
    unsigned fuzzy; /* entries skipped because fuzzy */
};

struct i18n {
    struct lang langs[I18N_MAX_LANGS];
    unsigned lines[I18N_MAX_LANGS]; /* each language's [code] header in languages.ini */
    unsigned n;
    char problem[640]; /* the first broken catalog, "" when all load */
};

/* ---- languages.ini ----------------------------------------------------------------------- */

static int lang_fail(struct inifile *f, const char *section, const char *key, const char *why)
{
    inifile_fail(f, "[%s] %s: %s", section, key, why);
    return 0;
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
    } else if (!strcmp(name, "locale")) {
        e = util_strlcpy(l->icu_locale, value, sizeof(l->icu_locale));
    } else {
        return lang_fail(p, section, name,
                         "unknown key; accepted: endonym, name, script, direction, font, locale");
    }
    if (e)
        return lang_fail(p, section, name, "value too long");
    return 1;
}

/* ---- catalogs ------------------------------------------------------------------------------ */

static jmp_buf *po_jmp;
static char po_err[512];

static void po_xerror(int severity, po_message_t message, const char *filename, size_t lineno,
                      size_t column, int multiline_p, const char *text)
{
    (void)message;
    (void)column;
    (void)multiline_p;
    if (!po_err[0]) {
        if (filename && lineno != (size_t)-1)
            snprintf(po_err, sizeof(po_err), "%s:%zu: %s", filename, lineno, text);
        else
            snprintf(po_err, sizeof(po_err), "%s", text);
        /* libgettextpo's messages end with a newline */
        size_t n = strlen(po_err);
        if (n && po_err[n - 1] == '\n')
            po_err[n - 1] = '\0';
    }
    if (severity == PO_SEVERITY_FATAL_ERROR)
        longjmp(*po_jmp, 1); /* the handler must not return on fatal errors */
}

static void po_xerror2(int severity, po_message_t m1, const char *f1, size_t l1, size_t c1, int ml1,
                       const char *t1, po_message_t m2, const char *f2, size_t l2, size_t c2,
                       int ml2, const char *t2)
{
    (void)m2, (void)f2, (void)l2, (void)c2, (void)ml2, (void)t2;
    po_xerror(severity, m1, f1, l1, c1, ml1, t1);
}

static const struct po_xerror_handler po_handler = {po_xerror, po_xerror2};

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

/* Read a PO file with libgettextpo; NULL with the first problem in po_err. */
static po_file_t po_read(const char *path)
{
    jmp_buf jb;
    po_jmp = &jb;
    po_err[0] = '\0';
    if (setjmp(jb))
        return NULL; /* a fatal error; libgettextpo's partial state is lost */
    po_file_t file = po_file_read(path, &po_handler);
    if (file && po_err[0]) {
        po_file_free(file);
        return NULL;
    }
    if (!file && !po_err[0])
        snprintf(po_err, sizeof(po_err), "%s: cannot read", path);
    return file;
}

/* Read a PO file. Fuzzy and empty translations are left out (English is shown instead). */
static int catalog_load(struct catalog **cp, const char *path, char *err, size_t errlen)
{
    struct catalog *c = calloc(1, sizeof(*c));
    size_t cap = 0;

    if (!c)
        return ENOMEM;
    po_file_t file = po_read(path);
    if (!file) {
        snprintf(err, errlen, "%s", po_err);
        catalog_free(c);
        return EINVAL;
    }
    po_message_iterator_t it = po_message_iterator(file, NULL);
    for (po_message_t m; (m = po_next_message(it));) {
        const char *id = po_message_msgid(m), *str = po_message_msgstr(m);
        if (!id[0] || po_message_is_obsolete(m))
            continue; /* header or obsolete */
        if (po_message_is_fuzzy(m)) {
            c->fuzzy++;
            continue;
        }
        if (!str || !str[0])
            continue;
        if (c->n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            struct catalog_entry *n = realloc(c->entries, ncap * sizeof(*n));
            if (!n)
                break;
            c->entries = n;
            cap = ncap;
        }
        struct catalog_entry *ce = &c->entries[c->n];
        ce->msgid = entry_key(po_message_msgctxt(m), id);
        ce->msgstr = strdup(str);
        if (!ce->msgid || !ce->msgstr) {
            free(ce->msgid);
            free(ce->msgstr);
            break;
        }
        c->n++;
    }
    po_message_iterator_free(it);
    po_file_free(file);
    if (c->n)
        qsort(c->entries, c->n, sizeof(*c->entries), entry_cmp);
    *cp = c;
    return 0;
}

static const struct catalog_entry *catalog_find(const struct catalog *c, const char *key)
{
    struct catalog_entry probe = {.msgid = (char *)key};
    if (!c || !c->n)
        return NULL;
    return bsearch(&probe, c->entries, c->n, sizeof(*c->entries), entry_cmp);
}

/* ---- public ---------------------------------------------------------------------------------- */

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
        char why[512];
        if (catalog_load(&l->cat, po, why, sizeof(why))) {
            /* Visitors still get this language's name and English text; self-test fails. */
            log_error("%s: broken catalog, showing English instead: %s", po, why);
            if (!i->problem[0])
                snprintf(i->problem, sizeof(i->problem), "%.200s: %.400s", po, why);
        }
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
    free(i);
}

const char *i18n_problem(const struct i18n *i)
{
    return i->problem[0] ? i->problem : NULL;
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

int i18n_coverage(const struct i18n *i, const struct lang *lang, const char *pot_path,
                  struct i18n_coverage *cov, char *err, size_t errlen)
{
    (void)i;
    memset(cov, 0, sizeof(*cov));
    po_file_t pot = po_read(pot_path);
    if (!pot) {
        snprintf(err, errlen, "%s", po_err);
        return EINVAL;
    }
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
