/* INI files through inih's stream interface, counting lines so that every error can name one.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/inifile.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct inifile_parse {
    struct inifile f;
    FILE *fp;
    unsigned read; /* lines read so far */
    inifile_h *h;
    void *arg;
};

/* inih reads line by line through this; the count is the line a handler call refers to. */
static char *inifile_reader(char *str, int num, void *stream)
{
    struct inifile_parse *p = stream;
    char *s = fgets(str, num, p->fp);
    if (s)
        p->read++;
    return s;
}

static int inifile_handler(void *user, const char *section, const char *name, const char *value)
{
    struct inifile_parse *p = user;
    p->f.line = p->read;
    return p->h(&p->f, section, name, value, p->arg);
}

static void inifile_vfail(struct inifile *f, unsigned line, const char *fmt, va_list ap)
{
    if (f->failed)
        return;
    f->failed = true;
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
    int line = ini_parse_stream(inifile_reader, &p, inifile_handler, &p);
    int rc = 0;
    if (ferror(p.fp)) {
        snprintf(err, errlen, "%s: read error", path);
        rc = EIO;
    } else if (p.f.failed) {
        rc = EINVAL;
    } else if (line > 0) {
        p.f.line = (unsigned)line;
        inifile_fail(&p.f, "not a 'key = value' line or [section] header%s%s", hint ? "; " : "",
                     hint ? hint : "");
        rc = EINVAL;
    } else if (line < 0) {
        snprintf(err, errlen, "%s: out of memory while reading", path);
        rc = ENOMEM;
    }
    fclose(p.fp);
    return rc;
}
