/* Growable text buffer with sticky errors and HTML/CSV escaping. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b)
{
    memset(b, 0, sizeof(*b));
}

void buf_free(struct buf *b)
{
    free(b->data);
    buf_init(b);
}

static int buf_reserve(struct buf *b, size_t extra)
{
    if (b->err)
        return b->err;
    if (extra > (size_t)-1 / 2 - b->len) {
        b->err = ENOMEM;
        return b->err;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->err = ENOMEM;
        return b->err;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    char small[256];

    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    if (n < 0) {
        if (!b->err)
            b->err = EINVAL;
        goto out;
    }
    if ((size_t)n < sizeof(small)) {
        buf_add(b, small, (size_t)n);
        goto out;
    }
    if (buf_reserve(b, (size_t)n))
        goto out;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
out:
    va_end(ap2);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_html(struct buf *b, const char *s)
{
    const char *run = s;

    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        buf_add(b, run, (size_t)(s - run));
        buf_puts(b, rep);
        run = s + 1;
    }
    buf_add(b, run, (size_t)(s - run));
}

void buf_csv(struct buf *b, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    /* A spreadsheet reads a cell as a formula when it starts with = + - @, also after spaces,
     * tabs or line breaks, and some when it starts with a tab or carriage return: all get a
     * leading apostrophe. */
    size_t lead = strspn(s, " \t\r\n");
    int formula = (s[lead] && strchr("=+-@", s[lead])) || s[0] == '\t' || s[0] == '\r';

    if (!quote && !formula) {
        buf_puts(b, s);
        return;
    }
    buf_puts(b, "\"");
    if (formula)
        buf_puts(b, "'");
    for (const char *run = s;; s++) {
        if (*s == '"' || *s == '\0') {
            buf_add(b, run, (size_t)(s - run));
            if (*s == '\0')
                break;
            buf_puts(b, "\"\"");
            run = s + 1;
        }
    }
    buf_puts(b, "\"");
}

char *buf_take(struct buf *b, size_t *lenp)
{
    if (b->err) {
        buf_free(b);
        return NULL;
    }
    if (!b->data)
        buf_add(b, "", 0);
    if (b->err) {
        buf_free(b);
        return NULL;
    }
    char *p = b->data;
    if (lenp)
        *lenp = b->len;
    buf_init(b);
    return p;
}
