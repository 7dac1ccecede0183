/* Pictograms: reading an SVG and refusing it before SDL_image sees it when it is too large, too
 * complex, truncated or not an SVG at all.
 *
 * Why before: SDL_image 2.6 renders SVG with nanosvg, whose cost grows much faster than the
 * number of curves (measured at 64 px: 1,000 curves 100 ms, 1,500 curves 350 ms, 2,000 curves
 * 740-800 ms; reported: 20,000 curves 36 s, 50,000 more than 100 s), and it does so on the UI
 * thread on the first draw and in `self-test`. nanosvg also accepts a file cut off in the middle
 * and draws what it got, and for a file in which it finds no picture SDL_image 2.6 returns an error
 * and leaks the parsed image (16 bytes, IMG_LoadSizedSVG_RW). So the bytes are read here once,
 * checked, and handed to SDL_image from memory.
 *
 * The check is a bounded scan of at most UI_ICON_MAX_BYTES, not an XML parser (the kiosk links no
 * XML library, and nanosvg, which is not one either, still draws the file): it walks the tags
 * (quotes, comments and processing instructions respected) to see that the document element is
 * <svg> and is closed, counts the elements and the numbers in the whole file (every coordinate of a
 * path, polyline, circle... is a number; an arc or a circle becomes a few curves, so the cap bounds
 * the curves), and reads the root's size. The limits are in include/openline/ui.h and documented in
 * assets/content/README-content.md ("Pictograms"). The worst files measured within them take at
 * most 60 ms (168 curves with coordinates of a million: 38-47 ms at 64 px; 63 circles: 53-57 ms
 * at 512 px); the largest bundled pictogram, fees.svg, 0.14 ms at 64 px, 0.8 ms at 256 px and
 * 3.2 ms at 512 px, and the check itself 0.01-0.06 ms.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openline/ui.h"

#define ICON_MAX_DEPTH 16 /* nesting of elements (<svg><g><path/></g></svg> is 2) */
#define ICON_RULES     "(assets/content/README-content.md, Pictograms)"

struct icon_scan {
    const char *p, *end;
    unsigned elements, numbers, depth;
    const char *open[ICON_MAX_DEPTH]; /* names of the open elements, for their closing tags */
    size_t open_len[ICON_MAX_DEPTH];
    const char *root; /* the document element's start tag, once seen */
    size_t root_len;
    bool root_closed;
};

/* Numbers in data[0, len): "10", "-1.5", ".5", "1e3" count one each; ".5.5" two. */
static unsigned count_numbers(const char *s, size_t len)
{
    unsigned n = 0;
    for (size_t i = 0; i < len;) {
        bool dot_start = s[i] == '.' && i + 1 < len && isdigit((unsigned char)s[i + 1]);
        if (!isdigit((unsigned char)s[i]) && !dot_start) {
            i++;
            continue;
        }
        n++;
        while (i < len && isdigit((unsigned char)s[i]))
            i++;
        if (i + 1 < len && s[i] == '.' && isdigit((unsigned char)s[i + 1]))
            for (i++; i < len && isdigit((unsigned char)s[i]);)
                i++;
        if (i + 1 < len && (s[i] == 'e' || s[i] == 'E') &&
            (isdigit((unsigned char)s[i + 1]) || ((s[i + 1] == '-' || s[i + 1] == '+') &&
                                                  i + 2 < len && isdigit((unsigned char)s[i + 2]))))
            for (i += 2; i < len && isdigit((unsigned char)s[i]);)
                i++;
    }
    return n;
}

static const char *find(const char *p, const char *end, const char *what)
{
    size_t n = strlen(what);
    for (; p + n <= end; p++)
        if (!memcmp(p, what, n))
            return p;
    return NULL;
}

/* The end of the tag starting at p ('<'): just past its '>', quotes respected; NULL if none. */
static const char *tag_end(const char *p, const char *end)
{
    char quote = 0;
    for (p++; p < end; p++) {
        if (quote)
            quote = *p == quote ? 0 : quote;
        else if (*p == '"' || *p == '\'')
            quote = *p;
        else if (*p == '>')
            return p + 1;
        else if (*p == '<')
            return NULL; /* a '<' inside a tag: cut off and something else pasted after it */
    }
    return NULL;
}

static size_t name_len(const char *p, const char *end)
{
    size_t n = 0;
    while (p + n < end && !isspace((unsigned char)p[n]) && p[n] != '>' && p[n] != '/')
        n++;
    return n;
}

/* The value of attribute name in the start tag [tag, tag + len) as a number; 0 if absent. With
 * four (viewBox), *wh gets the third and fourth. */
static double attr_number(const char *tag, size_t len, const char *name, double *wh)
{
    size_t n = strlen(name);
    const char *end = tag + len;
    for (const char *p = tag; p + n + 2 < end; p++) {
        if (!isspace((unsigned char)p[0]) || memcmp(p + 1, name, n))
            continue;
        const char *q = p + 1 + n;
        while (q < end && isspace((unsigned char)*q))
            q++;
        if (q + 1 >= end || *q != '=')
            continue;
        for (q++; q < end && isspace((unsigned char)*q);)
            q++;
        if (q >= end || (*q != '"' && *q != '\''))
            return 0;
        char buf[128];
        const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
        size_t vlen = close ? (size_t)(close - q - 1) : 0;
        if (!close || vlen >= sizeof(buf))
            return 0;
        memcpy(buf, q + 1, vlen);
        buf[vlen] = '\0';
        char *s = buf;
        double v[4] = {0, 0, 0, 0};
        for (int i = 0; i < 4; i++) {
            char *next;
            v[i] = strtod(s, &next);
            if (next == s)
                break;
            for (s = next; *s == ',' || isspace((unsigned char)*s);)
                s++;
        }
        if (wh) {
            wh[0] = v[2];
            wh[1] = v[3];
        }
        return v[0];
    }
    return 0;
}

/* One tag at s->p ('<'): moves past it. Returns NULL or what is wrong. */
static const char *scan_tag(struct icon_scan *s)
{
    const char *p = s->p, *end = s->end;
    if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
        const char *c = find(p + 4, end, "-->");
        s->p = c ? c + 3 : end;
        return c ? NULL : "truncated: a comment is not closed";
    }
    if (end - p >= 9 && !memcmp(p, "<![CDATA[", 9)) {
        const char *c = find(p + 9, end, "]]>");
        s->p = c ? c + 3 : end;
        return c ? NULL : "truncated: a CDATA section is not closed";
    }
    const char *e = tag_end(p, end);
    if (!e)
        return "truncated: a tag is not closed";
    s->p = e;
    if (p[1] == '?' || p[1] == '!')
        return NULL; /* <?xml ...?>, <!DOCTYPE ...> */
    if (p[1] == '/') {
        size_t n = name_len(p + 2, e);
        if (!s->depth || s->open_len[s->depth - 1] != n || memcmp(s->open[s->depth - 1], p + 2, n))
            return "broken: a closing tag does not match the element it closes";
        if (--s->depth == 0)
            s->root_closed = true;
        return NULL;
    }
    if (s->root_closed)
        return "broken: an element after the end of <svg>";
    s->elements++; /* the cap is checked by the caller, with the numbers */
    size_t n = name_len(p + 1, e);
    if (!s->root) {
        if (n != 3 || memcmp(p + 1, "svg", 3))
            return "not an SVG: the document element is not <svg>";
        s->root = p;
        s->root_len = (size_t)(e - p);
    }
    if (e[-2] == '/') { /* <path .../> */
        s->root_closed = s->depth == 0;
        return NULL;
    }
    if (s->depth == ICON_MAX_DEPTH)
        return "too complex: elements nested too deep";
    s->open[s->depth] = p + 1;
    s->open_len[s->depth] = n;
    s->depth++;
    if (n == 0)
        return "broken: a tag without a name";
    return NULL;
}

int ui_icon_check(const char *data, size_t len, char *why, size_t whylen)
{
    if (len > UI_ICON_MAX_BYTES) {
        snprintf(why, whylen, "too large: %zu bytes, a pictogram may have at most %d " ICON_RULES,
                 len, UI_ICON_MAX_BYTES);
        return EFBIG;
    }
    struct icon_scan s = {.p = data, .end = data + len};
    while (s.p < s.end) {
        const char *lt = memchr(s.p, '<', (size_t)(s.end - s.p));
        if (!lt)
            break;
        s.p = lt;
        const char *bad = scan_tag(&s);
        if (bad) {
            snprintf(why, whylen, "%s " ICON_RULES, bad);
            return EINVAL;
        }
    }
    if (!s.root) {
        snprintf(why, whylen, "not an SVG: no <svg> element " ICON_RULES);
        return EINVAL;
    }
    if (!s.root_closed) {
        snprintf(why, whylen, "truncated: <svg> is not closed (the file ends early) " ICON_RULES);
        return EINVAL;
    }
    s.numbers = count_numbers(data, len);
    if (s.elements > UI_ICON_MAX_ELEMENTS || s.numbers > UI_ICON_MAX_NUMBERS) {
        snprintf(why, whylen,
                 "too complex: %u elements and %u numbers, a pictogram may have at most %d and "
                 "%d " ICON_RULES,
                 s.elements, s.numbers, UI_ICON_MAX_ELEMENTS, UI_ICON_MAX_NUMBERS);
        return E2BIG;
    }
    double vb[2] = {0, 0};
    attr_number(s.root, s.root_len, "viewBox", vb);
    double w = attr_number(s.root, s.root_len, "width", NULL);
    double h = attr_number(s.root, s.root_len, "height", NULL);
    if (!(w >= 1 && h >= 1) && !(vb[0] >= 1 && vb[1] >= 1)) { /* nanosvg would make 0 of less */
        snprintf(why, whylen,
                 "broken: <svg> has neither width and height nor a viewBox " ICON_RULES);
        return EINVAL;
    }
    return 0;
}

int ui_icon_read(const char *path, char **datap, size_t *lenp, char *why, size_t whylen)
{
    char *data = NULL;
    size_t len = 0;
    int rc = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rc = errno;
        snprintf(why, whylen, "%.600s: cannot read: %s", path, strerror(rc));
        return rc;
    }
    /* One byte more than the cap tells a file at the cap from a larger one without reading it. */
    data = malloc(UI_ICON_MAX_BYTES + 2);
    if (!data) {
        rc = ENOMEM;
        snprintf(why, whylen, "%.600s: out of memory", path);
        goto out;
    }
    len = fread(data, 1, UI_ICON_MAX_BYTES + 1, f);
    if (ferror(f)) {
        rc = EIO;
        snprintf(why, whylen, "%.600s: cannot read: %s", path, strerror(EIO));
        goto out;
    }
    if (len > UI_ICON_MAX_BYTES) {
        long size = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
        rc = EFBIG;
        snprintf(why, whylen,
                 "%.600s: too large: %ld bytes, a pictogram may have at most %d " ICON_RULES, path,
                 size, UI_ICON_MAX_BYTES);
        goto out;
    }
    data[len] = '\0';
    char reason[400];
    rc = ui_icon_check(data, len, reason, sizeof(reason));
    if (rc) {
        snprintf(why, whylen, "%.600s: %s", path, reason);
        goto out;
    }
    *datap = data;
    *lenp = len;
    data = NULL;
out:
    free(data);
    fclose(f);
    return rc;
}
