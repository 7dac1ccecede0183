/* INI files through inih's stream interface, counting lines so that every error can name one.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/inifile.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* libinih hands a line to the parser in a buffer of ini_max_line bytes (its line end and the
 * terminating NUL included) that the reader fills; a longer line it would read in pieces, each
 * parsed as a line of its own: a value cut, the rest a comment or an error on the wrong line.
 * Debian builds libinih with that size as a variable (200 by default; the buffer is on the
 * stack, sized at each call), so we make every line we accept fit, and the reader refuses a
 * longer one. */
enum { INIFILE_BUF = INIFILE_LINE_MAX + 3 }; /* "\r\n" and the NUL */

struct inifile_parse {
    struct inifile f;
    FILE *fp;
    unsigned read;       /* lines read so far */
    unsigned failed_key; /* the line of the key whose handler failed first */
    unsigned bad_line;   /* a line the reader refused (0: none) ... */
    size_t bad_limit;    /* ... longer than this, or (0) holding a NUL byte */
    bool after_key;      /* libinih's "previous name" is set: an indented line continues it */
    inifile_h *h;
    void *arg;
};

static void inifile_refuse(struct inifile_parse *p, unsigned line, size_t limit)
{
    p->bad_line = line;
    p->bad_limit = limit;
}

/* Follow libinih's reading of a line far enough to know where each [section] header is: an
 * indented line right after a key continues that key's value, whatever it holds. */
static void inifile_track_section(struct inifile_parse *p, const char *line)
{
    const char *s = line;
    if (p->read == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
        s += 3; /* a UTF-8 byte order mark */
    while (isspace((unsigned char)*s))
        s++;
    if (!*s || *s == ';' || *s == '#' || (p->after_key && s > line))
        return;
    if (*s == '[') {
        p->f.section_line = p->read;
        p->after_key = false;
    }
}

/* libinih reads line by line through this (fgets' contract); the count is the line a handler
 * call refers to. A line that does not fit, or holds a NUL byte (which would end it there), is
 * refused and ends the reading, as does the handler's first error. */
static char *inifile_reader(char *str, int num, void *stream)
{
    struct inifile_parse *p = stream;
    size_t n = 0, cap = num > 1 ? (size_t)num - 1 : 0;
    /* a libinih with a smaller fixed buffer: refuse what it cannot hold, still with its line */
    size_t limit = cap >= INIFILE_BUF - 1 ? INIFILE_LINE_MAX : cap > 2 ? cap - 2 : 0;
    int c = EOF;

    if (p->f.failed || p->bad_line)
        return NULL;
    while (n < cap && (c = getc(p->fp)) != EOF) {
        if (c == '\0') {
            inifile_refuse(p, p->read + 1, 0);
            return NULL;
        }
        str[n++] = (char)c;
        if (c == '\n')
            break;
    }
    if (!n)
        return NULL; /* the end, or a read error (ferror) */
    str[n] = '\0';
    p->read++;
    size_t len = n;
    bool whole = str[len - 1] == '\n' || c == EOF;
    if (str[len - 1] == '\n')
        len--;
    if (len && str[len - 1] == '\r')
        len--;
    if (!whole || len > limit) {
        inifile_refuse(p, p->read, limit);
        return NULL;
    }
    inifile_track_section(p, str);
    return str;
}

static int inifile_handler(void *user, const char *section, const char *name, const char *value)
{
    struct inifile_parse *p = user;
    p->f.line = p->read;
    p->after_key = name[0] != '\0';
    int ok = p->h(&p->f, section, name, value, p->arg);
    if (!ok && !p->failed_key)
        p->failed_key = p->read;
    return ok;
}

static void inifile_vfail(struct inifile *f, unsigned line, const char *fmt, va_list ap)
{
    if (f->failed)
        return;
    f->failed = true;
    f->err_line = line;
    int n = line ? snprintf(f->err, f->errlen, "%s:%u: ", f->path, line)
                 : snprintf(f->err, f->errlen, "%s: ", f->path);
    if (n >= 0 && (size_t)n < f->errlen)
        vsnprintf(f->err + n, f->errlen - (size_t)n, fmt, ap);
}

void inifile_fail(struct inifile *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    inifile_vfail(f, f->line, fmt, ap);
    va_end(ap);
}

void inifile_fail_section(struct inifile *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    inifile_vfail(f, f->section_line ? f->section_line : f->line, fmt, ap);
    va_end(ap);
}

void inifile_fail_at(struct inifile *f, unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    inifile_vfail(f, line, fmt, ap);
    va_end(ap);
}

int inifile_parse(const char *path, const char *what, const char *hint, inifile_h *h, void *arg,
                  char *err, size_t errlen)
{
    struct inifile_parse p = {
        .f = {.path = path, .err = err, .errlen = errlen}, .h = h, .arg = arg};
    err[0] = '\0';
    p.fp = fopen(path, "r");
    if (!p.fp) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot read %s: %s", path, what, strerror(e));
        return e;
    }
    ini_max_line = INIFILE_BUF;
    /* libinih returns the first line it could not parse or whose handler failed */
    int line = ini_parse_stream(inifile_reader, &p, inifile_handler, &p);
    bool syntax = line > 0 && (unsigned)line != p.failed_key &&
                  (!p.f.failed || (unsigned)line < p.f.err_line);
    int rc = 0;
    if (ferror(p.fp)) {
        snprintf(err, errlen, "%s: read error", path);
        rc = EIO;
    } else if (line < 0) {
        snprintf(err, errlen, "%s: out of memory while reading", path);
        rc = ENOMEM;
    } else if (syntax) {
        p.f.failed = false; /* an earlier line than the handler's error */
        p.f.line = (unsigned)line;
        inifile_fail(&p.f, "not a 'key = value' line or [section] header%s%s", hint ? "; " : "",
                     hint ? hint : "");
        rc = EINVAL;
    } else if (p.f.failed) {
        rc = EINVAL;
    } else if (p.bad_line && p.bad_limit) {
        inifile_fail_at(&p.f, p.bad_line,
                        "line longer than %zu bytes; accepted: lines of at most %zu bytes",
                        p.bad_limit, p.bad_limit);
        rc = EINVAL;
    } else if (p.bad_line) {
        inifile_fail_at(&p.f, p.bad_line, "a NUL byte in the line; accepted: text");
        rc = EINVAL;
    }
    fclose(p.fp);
    return rc;
}
