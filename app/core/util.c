/* Small string, file and time helpers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int util_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (!size)
        return ENAMETOOLONG;
    if (n >= size) {
        memcpy(dst, src, size - 1);
        dst[size - 1] = '\0';
        return ENAMETOOLONG;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

int util_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    if (!s || !*s || isspace((unsigned char)*s))
        return EINVAL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end)
        return EINVAL;
    if (errno == ERANGE || v < min || v > max)
        return ERANGE;
    *out = v;
    return 0;
}

char *util_trim(char *s)
{
    char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    size_t n = strlen(p);
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    memmove(s, p, n);
    s[n] = '\0';
    return s;
}

int util_read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    int err = 0;

    if (!f)
        return errno;
    for (;;) {
        char *nb = util_grow(buf, &cap, n + 4096, 1, 8192);
        if (!nb) {
            err = ENOMEM;
            goto out;
        }
        buf = nb;
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        err = EIO;
        goto out;
    }
    buf[n] = '\0';
    *data = buf;
    if (len)
        *len = n;
    buf = NULL;
out:
    free(buf);
    fclose(f);
    return err;
}

void *util_grow(void *v, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return v;
    size_t ncap = *cap ? *cap : first;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return NULL;
        ncap *= 2;
    }
    void *nv = realloc(v, ncap * size);
    if (nv)
        *cap = ncap;
    return nv;
}

void util_deadline(struct timespec *ts, int clock, unsigned long ms)
{
    clock_gettime((clockid_t)clock, ts);
    ts->tv_sec += (time_t)(ms / 1000);
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

char *util_unmark_bold(const char *text)
{
    char *s = strdup(text), *w = s;
    for (const char *r = text; s && *r; r++) {
        if (r[0] == '*' && r[1] == '*')
            r++;
        else
            *w++ = *r;
    }
    if (s)
        *w = '\0';
    return s;
}

int util_strcmp_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
