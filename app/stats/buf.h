/* Growable text buffer with HTML and CSV escaping, for building pages, replies and queries. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_BUF_H
#define STATS_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* A byte buffer that is always NUL-terminated once anything was added. Errors are sticky: after an
 * allocation fails, err is ENOMEM and every later call does nothing, so a caller builds a whole
 * page and checks err once at the end. Zero-initialised (or buf_init) it is empty and valid. */
struct buf {
    char *data;
    size_t len;
    size_t cap;
    int err;
};

void buf_init(struct buf *b);

/* Release the memory; the buffer is empty and valid again afterwards. */
void buf_free(struct buf *b);

void buf_add(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Append s with & < > " ' replaced by character references: safe in element text and in
 * double- or single-quoted attribute values. */
void buf_html(struct buf *b, const char *s);

/* Append s as one CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; a field
 * starting with = + - @ or a tab gets a leading apostrophe so spreadsheets do not run it as a
 * formula. */
void buf_csv(struct buf *b, const char *s);

/* Hand the data over: returns the NUL-terminated text (the caller frees it with free()) and its
 * length in *lenp, and leaves the buffer empty. Returns NULL if err is set or nothing was added
 * (then an empty allocated string is returned instead when possible). */
char *buf_take(struct buf *b, size_t *lenp);

#endif
