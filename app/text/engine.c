/* Text engine: the script -> font table, open fonts, the layout cache and drawing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "openline/i18n.h"
#include "openline/inifile.h"
#include "openline/log.h"
#include "openline/util.h"
#include "text_int.h"

static int fonts_fail(struct inifile *f, const char *what, const char *value)
{
    inifile_fail(f, "%s '%s'", what, value);
    return 0;
}

/* Copy a value whole into dst (size bytes), or refuse it: a cut file name would name another. */
static int fonts_copy(struct inifile *f, const char *name, char *dst, size_t size,
                      const char *value)
{
    if (util_strlcpy(dst, value, size)) {
        inifile_fail(f, "%s: too long (at most %zu bytes): '%s'", name, size - 1, value);
        return 0;
    }
    return 1;
}

static struct text_script_font *script_row(struct text_engine *e, const char *script, bool add)
{
    for (unsigned i = 0; i < e->n_scripts; i++) {
        if (!strcmp(e->scripts[i].script, script))
            return &e->scripts[i];
    }
    if (!add || e->n_scripts == TEXT_MAX_SCRIPTS)
        return NULL;
    struct text_script_font *row = &e->scripts[e->n_scripts++];
    memset(row, 0, sizeof(*row));
    util_strlcpy(row->script, script, sizeof(row->script));
    row->line_height = 1.0f;
    return row;
}

static bool is_script_code(const char *s)
{
    return strlen(s) == 4 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z' &&
           s[2] >= 'a' && s[2] <= 'z' && s[3] >= 'a' && s[3] <= 'z';
}

/* spares = FILE...: the files a script falls back to, in order, when its own are refused. */
static int fonts_spares(struct inifile *p, struct text_script_font *row, const char *value)
{
    char buf[TEXT_MAX_SPARES * sizeof(row->spares[0])], *save = NULL;
    if (!fonts_copy(p, "spares", buf, sizeof(buf), value))
        return 0;
    row->n_spares = 0;
    for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        if (row->n_spares == TEXT_MAX_SPARES)
            return fonts_fail(p, "more than 4 spares at", t);
        if (!fonts_copy(p, "spares", row->spares[row->n_spares++], sizeof(row->spares[0]), t))
            return 0;
    }
    return 1;
}

static int fonts_handler(struct inifile *p, const char *section, const char *name,
                         const char *value, void *arg)
{
    struct text_engine *e = arg;

    if (!strcmp(section, "fonts")) {
        if (!strcmp(name, "dirs")) {
            char buf[TEXT_MAX_DIRS * sizeof(e->dirs[0])], *save = NULL;
            if (!fonts_copy(p, name, buf, sizeof(buf), value))
                return 0;
            for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
                if (e->n_dirs == TEXT_MAX_DIRS)
                    return fonts_fail(p, "too many font directories at", t);
                if (!fonts_copy(p, name, e->dirs[e->n_dirs++], sizeof(e->dirs[0]), t))
                    return 0;
            }
            return 1;
        }
        if (!strcmp(name, "fallback")) {
            if (!is_script_code(value))
                return fonts_fail(p, "fallback must be an ISO 15924 code such as Latn, not", value);
            util_strlcpy(e->fallback, value, sizeof(e->fallback));
            return 1;
        }
        return fonts_fail(p, "unknown key in [fonts] (accepted: dirs, fallback):", name);
    }
    /* errors about the section itself name its header's line */
    if (!is_script_code(section)) {
        inifile_fail_section(p, "section must be an ISO 15924 script code in exact case, not '%s'",
                             section);
        return 0;
    }
    struct text_script_font *row = script_row(e, section, false);
    if (!row) {
        row = script_row(e, section, true);
        if (!row) {
            inifile_fail_section(p, "too many scripts at '%s'", section);
            return 0;
        }
        row->line = p->section_line ? p->section_line : p->line;
    }
    if (!strcmp(name, "regular")) {
        return fonts_copy(p, name, row->regular, sizeof(row->regular), value);
    } else if (!strcmp(name, "bold")) {
        return fonts_copy(p, name, row->bold, sizeof(row->bold), value);
    } else if (!strcmp(name, "spares")) {
        return fonts_spares(p, row, value);
    } else if (!strcmp(name, "face")) {
        long v;
        if (util_parse_long(value, 0, 15, &v))
            return fonts_fail(p, "face must be a collection index 0..15, not", value);
        row->face = (int)v;
    } else if (!strcmp(name, "line_height")) {
        char *end;
        float v = strtof(value, &end);
        if (*end || v < 0.8f || v > 3.0f)
            return fonts_fail(p, "line_height must be a factor from 0.8 to 3.0, not", value);
        row->line_height = v;
    } else {
        return fonts_fail(
            p, "unknown key (accepted: regular, bold, spares, face, line_height):", name);
    }
    return 1;
}

int text_engine_alloc(struct text_engine **ep, const char *fonts_ini, char *err, size_t errlen)
{
    struct text_engine *e = calloc(1, sizeof(*e));
    int rc = 0;

    if (!e)
        return ENOMEM;
    if (!TTF_WasInit() && TTF_Init() < 0) {
        snprintf(err, errlen, "cannot start SDL_ttf: %s", TTF_GetError());
        free(e);
        return EIO;
    }
    util_strlcpy(e->fallback, "Latn", sizeof(e->fallback));
    e->budget = TEXT_CACHE_DEFAULT_BYTES;
    rc = inifile_parse(fonts_ini, "the font table", "accepted: [fonts] and [Xxxx] script sections",
                       fonts_handler, e, err, errlen);
    if (rc)
        goto out;
    for (unsigned i = 0; i < e->n_scripts; i++) {
        if (!e->scripts[i].regular[0]) {
            snprintf(err, errlen, "%s:%u: [%s] has no 'regular' font", fonts_ini,
                     e->scripts[i].line, e->scripts[i].script);
            rc = EINVAL;
            goto out;
        }
    }
    if (!script_row(e, e->fallback, false)) {
        snprintf(err, errlen, "%s: the fallback script %s has no [%s] section", fonts_ini,
                 e->fallback, e->fallback);
        rc = EINVAL;
        goto out;
    }
    if (!e->n_dirs) {
        snprintf(err, errlen, "%s: [fonts] dirs is missing", fonts_ini);
        rc = EINVAL;
        goto out;
    }
out:
    if (rc) {
        free(e);
        return rc;
    }
    *ep = e;
    return 0;
}

static void layout_drop_textures(struct text_layout *l)
{
    for (int i = 0; i < l->n_pieces; i++) {
        if (l->pieces[i].tex) {
            SDL_DestroyTexture(l->pieces[i].tex);
            l->pieces[i].tex = NULL;
        }
    }
}

void text_engine_flush(struct text_engine *e)
{
    for (unsigned s = 0; s < TEXT_CACHE_SLOTS; s++) {
        struct text_cache_entry *c = e->slots[s];
        while (c) {
            struct text_cache_entry *next = c->next;
            text_layout_free(c->layout);
            free(c);
            c = next;
        }
        e->slots[s] = NULL;
    }
    e->newest = e->oldest = NULL;
    e->n_cached = 0;
    e->bytes = 0;
}

void text_engine_free(struct text_engine *e)
{
    if (!e)
        return;
    text_engine_flush(e);
    for (unsigned i = 0; i < e->n_fonts; i++)
        TTF_CloseFont(e->fonts[i].ttf);
    for (unsigned i = 0; i < e->n_files; i++)
        munmap(e->files[i].map, e->files[i].len);
    free(e);
}

static int font_path(const struct text_engine *e, const char *file, char *path, size_t len)
{
    for (unsigned d = 0; d < e->n_dirs; d++) {
        snprintf(path, len, "%s/%s", e->dirs[d], file);
        if (access(path, R_OK) == 0)
            return 0;
    }
    return ENOENT;
}

/* The font file at path, mapped read-only (once per file; NULL when it cannot be). */
static const struct text_font_file *font_file_map(struct text_engine *e, const char *file,
                                                  const char *path)
{
    for (unsigned i = 0; i < e->n_files; i++) {
        if (!strcmp(e->files[i].file, file))
            return &e->files[i];
    }
    if (e->n_files == TEXT_MAX_FACES)
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    void *map = MAP_FAILED;
    if (!fstat(fd, &st) && st.st_size > 0)
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return NULL;
    struct text_font_file *ff = &e->files[e->n_files++];
    util_strlcpy(ff->file, file, sizeof(ff->file));
    ff->map = map;
    ff->len = (size_t)st.st_size;
    return ff;
}

void text_engine_trim(struct text_engine *e)
{
    for (unsigned i = 0; i < e->n_files; i++)
        madvise((void *)e->files[i].map, e->files[i].len, MADV_DONTNEED);
}

struct text_font *text_font_open(struct text_engine *e, const char *file, int face, float lh,
                                 int px)
{
    char path[512];

    for (unsigned i = 0; i < e->n_fonts; i++) {
        struct text_font *f = &e->fonts[i];
        if (f->px == px && f->face == face && !strcmp(f->file, file))
            return f->ttf ? f : NULL;
    }
    if (e->n_fonts == TEXT_MAX_FONTS) {
        /* Sizes are few and fixed per screen size: a full table is a bug, not a load. */
        log_error("more than %d font sizes requested; %s at %d px not opened", TEXT_MAX_FONTS, file,
                  px);
        return NULL;
    }
    struct text_font *f = &e->fonts[e->n_fonts++];
    memset(f, 0, sizeof(*f));
    util_strlcpy(f->file, file, sizeof(f->file));
    f->face = face;
    f->px = px;
    f->line_height = lh;
    if (font_path(e, file, path, sizeof(path))) {
        log_error("font %s not found in the font directories of assets/fonts.ini", file);
        return NULL;
    }
    const struct text_font_file *ff = font_file_map(e, file, path);
    SDL_RWops *rw = ff ? SDL_RWFromConstMem(ff->map, (int)ff->len) : NULL;
    f->ttf = rw ? TTF_OpenFontIndexRW(rw, 1, px, face) : TTF_OpenFontIndex(path, px, face);
    if (!f->ttf) {
        log_error("cannot open font %s: %s", path, TTF_GetError());
        return NULL;
    }
    TTF_SetFontHinting(f->ttf, TTF_HINTING_LIGHT);
    return f;
}

/* Whether face of file may draw script: checked once (text_font_check), a refusal logged then,
 * with what was measured and what the kiosk does instead. */
static const struct text_face_verdict *face_verdict(struct text_engine *e, const char *file,
                                                    int face, const char *script)
{
    static struct text_face_verdict spill; /* a full table: checked again, never logged twice */
    struct text_face_verdict *v = &spill;
    char path[512];

    for (unsigned i = 0; i < e->n_faces; i++) {
        v = &e->faces[i];
        if (v->face == face && !strcmp(v->script, script) && !strcmp(v->file, file))
            return v;
    }
    v = e->n_faces < TEXT_MAX_FACES ? &e->faces[e->n_faces++] : &spill;
    memset(v, 0, sizeof(*v));
    util_strlcpy(v->file, file, sizeof(v->file));
    util_strlcpy(v->script, script, sizeof(v->script));
    v->face = face;
    if (font_path(e, file, path, sizeof(path))) {
        snprintf(v->why, sizeof(v->why), "not found in %.100s%s", e->dirs[0],
                 e->n_dirs > 1 ? " or the other [fonts] dirs" : "");
        util_strlcpy(path, file, sizeof(path));
    } else {
        v->ok = !text_font_check(path, face, script, v->why, sizeof(v->why));
    }
    if (!v->ok && v != &spill)
        log_error("font %s for script %s refused: %s; the next font for %s in assets/fonts.ini "
                  "is used",
                  path, script, v->why, script);
    return v;
}

#define SCALE_PX 128 /* the size the ink bands are measured at: a pixel is under 1 % */

/* The ink band of file's face drawing script's sample at SCALE_PX; 0 when it cannot be opened. */
static int face_band(struct text_engine *e, const char *file, int face, const char *script)
{
    char path[512], buf[64];
    if (font_path(e, file, path, sizeof(path)))
        return 0;
    TTF_Font *f = TTF_OpenFontIndex(path, SCALE_PX, face);
    if (!f)
        return 0;
    int32_t sc = u_getPropertyValueEnum(UCHAR_SCRIPT, script);
    bool rtl = sc >= 0 && uscript_isRightToLeft((UScriptCode)sc);
    int band = text_ink_band(f, script, rtl, text_script_sample(script, buf, sizeof(buf)));
    TTF_CloseFont(f);
    return band;
}

float text_font_scale(struct text_engine *e, const char *file, int face, const char *script,
                      bool bold)
{
    if (!strcmp(script, e->fallback))
        return 1.0f;
    struct text_face_verdict *v = (struct text_face_verdict *)face_verdict(e, file, face, script);
    if (v->scale > 0)
        return v->scale;
    int *latin = &e->latin_band[bold];
    if (!*latin) {
        const struct text_script_font *fb = script_row(e, e->fallback, false);
        const char *ff = fb && bold && fb->bold[0] ? fb->bold : fb ? fb->regular : NULL;
        *latin = ff ? face_band(e, ff, fb->face, e->fallback) : 0;
        if (!*latin)
            *latin = -1;
    }
    int band = v->ok ? face_band(e, file, face, script) : 0;
    float k = band > 0 && *latin > 0 ? (float)*latin / (float)band : 1.0f;
    /* Within 5 %: the measure's own noise (a pixel of the band), not a smaller script. */
    v->scale = k < 1.05f ? 1.0f : k > TEXT_SCALE_MAX ? TEXT_SCALE_MAX : k;
    log_debug("%s drawn %.2f times the size asked (its letters' body %d px, Latin's %d px at %d)",
              file, (double)v->scale, band, *latin, SCALE_PX);
    return v->scale;
}

/* px for script drawn with face of file: scaled to Latin's visual size. */
static int scaled_px(struct text_engine *e, const char *file, int face, const char *script,
                     bool bold, int px)
{
    return (int)((float)px * text_font_scale(e, file, face, script, bold) + 0.5f);
}

/* The files a row may draw with, in order: the weight asked for, the other weight (the same
 * letters, lighter or heavier, rather than none), the spares, then the fallback script's fonts
 * (which may cover this script too: Noto Sans covers Cyrillic). NULL past the last. */
static const char *row_candidate(struct text_engine *e, const struct text_script_font *row,
                                 bool bold, int k, int *face)
{
    *face = row->face;
    if (k < 2)
        return (k == 0) == bold ? row->bold : row->regular;
    k -= 2;
    if (k < (int)row->n_spares)
        return row->spares[k];
    k -= (int)row->n_spares;
    const struct text_script_font *fb = script_row(e, e->fallback, false);
    if (!fb || fb == row || k >= 2)
        return NULL;
    *face = fb->face;
    return (k == 0) == bold ? fb->bold : fb->regular;
}

/* The row's font at px: the first candidate whose face draws the row's script. The choice is made
 * once per weight: text is never blank because a file is damaged while another would do. */
static struct text_font *row_font(struct text_engine *e, struct text_script_font *row, int px,
                                  bool bold)
{
    int face, *use = &row->use[bold ? 1 : 0];
    const char *file;

    if (*use > 0) {
        file = row_candidate(e, row, bold, *use - 1, &face);
        return text_font_open(e, file, face, row->line_height,
                              scaled_px(e, file, face, row->script, bold, px));
    }
    if (*use < 0)
        return NULL;
    for (int k = 0; (file = row_candidate(e, row, bold, k, &face)); k++) {
        if (!file[0] || !face_verdict(e, file, face, row->script)->ok)
            continue;
        *use = k + 1;
        return text_font_open(e, file, face, row->line_height,
                              scaled_px(e, file, face, row->script, bold, px));
    }
    log_error("no font in assets/fonts.ini draws script %s: its text shows as boxes", row->script);
    *use = -1;
    return NULL;
}

struct text_font *text_font_for(struct text_engine *e, const struct lang *lang, const char *script,
                                int px, bool bold)
{
    struct text_script_font *row = script_row(e, script, false);
    /* A language may name its own font for its own script (Urdu: Nastaliq instead of Naskh);
     * when it is refused, the script's fonts draw the language. */
    if (lang && lang->font[0] && !strcmp(lang->script, script)) {
        /* Bold in its bold file when it has one (Urdu's Nastaliq has), else in its regular */
        const char *files[2] = {bold && lang->font_bold[0] ? lang->font_bold : lang->font,
                                lang->font};
        float lh = row ? row->line_height : 1.0f;
        for (int k = 0; k < 2; k++) {
            if (!face_verdict(e, files[k], 0, script)->ok)
                continue;
            struct text_font *f = text_font_open(
                e, files[k], 0, lh, scaled_px(e, files[k], 0, script, bold && k == 0, px));
            if (f)
                return f;
        }
    }
    if (!row && (!strcmp(script, "Hani") || !strcmp(script, "Hans") || !strcmp(script, "Bopo")))
        row = script_row(e, "Hans", false);
    if (!row)
        return NULL;
    return row_font(e, row, px, bold);
}

struct text_font *text_font_fallback(struct text_engine *e, int px, bool bold)
{
    return row_font(e, script_row(e, e->fallback, false), px, bold);
}

void text_font_prepare(struct text_font *f, const char *script, bool rtl)
{
    TTF_SetFontScriptName(f->ttf, script);
    TTF_SetFontDirection(f->ttf, rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
}

const char *text_font_file(const struct text_font *f)
{
    return f->file;
}

int text_font_px(const struct text_font *f)
{
    return f->px;
}

void *text_font_handle(const struct text_font *f)
{
    return f->ttf;
}

int text_engine_check_fonts(struct text_engine *e, const struct lang *const *langs, unsigned n,
                            char *err, size_t errlen)
{
    char path[512];
    for (unsigned i = 0; i < e->n_scripts; i++) {
        struct text_script_font *row = &e->scripts[i];
        const char *files[2] = {row->regular, row->bold};
        for (int k = 0; k < 2; k++) {
            if (!files[k][0])
                continue;
            if (font_path(e, files[k], path, sizeof(path))) {
                snprintf(err, errlen, "font %s (script %s) not found in %s%s", files[k],
                         row->script, e->dirs[0],
                         e->n_dirs > 1 ? " or the other [fonts] dirs" : "");
                return ENOENT;
            }
        }
        if (!row_font(e, row, 24, false)) {
            snprintf(err, errlen, "font %s (script %s) cannot be opened", row->regular,
                     row->script);
            return EIO;
        }
    }
    for (unsigned i = 0; i < n; i++) {
        if (!text_font_for(e, langs[i], langs[i]->script, 24, false)) {
            snprintf(err, errlen, "language %s: no font for script %s", langs[i]->code,
                     langs[i]->script);
            return ENOENT;
        }
    }
    return 0;
}

/* One face for text_engine_check_faces: its verdict, reported when refused. */
static unsigned check_face(struct text_engine *e, const char *file, int face, const char *script,
                           text_face_problem_h *problem_h, void *arg)
{
    char path[512];
    const struct text_face_verdict *v = face_verdict(e, file, face, script);
    if (v->ok)
        return 0;
    if (problem_h) {
        if (font_path(e, file, path, sizeof(path)))
            util_strlcpy(path, file, sizeof(path));
        problem_h(path, script, v->why, arg);
    }
    return 1;
}

unsigned text_engine_check_faces(struct text_engine *e, const struct lang *const *langs, unsigned n,
                                 text_face_problem_h *problem_h, void *arg)
{
    unsigned bad = 0;
    for (unsigned i = 0; i < e->n_scripts; i++) {
        const struct text_script_font *row = &e->scripts[i];
        if (row->regular[0])
            bad += check_face(e, row->regular, row->face, row->script, problem_h, arg);
        if (row->bold[0])
            bad += check_face(e, row->bold, row->face, row->script, problem_h, arg);
        for (unsigned k = 0; k < row->n_spares; k++)
            bad += check_face(e, row->spares[k], row->face, row->script, problem_h, arg);
    }
    for (unsigned i = 0; i < n; i++) {
        bool seen = false; /* languages may share a font (Urdu's): one report */
        for (unsigned j = 0; j < i && !seen; j++)
            seen = !strcmp(langs[j]->font, langs[i]->font) &&
                   !strcmp(langs[j]->script, langs[i]->script);
        if (langs[i]->font[0] && !seen)
            bad += check_face(e, langs[i]->font, 0, langs[i]->script, problem_h, arg);
        if (langs[i]->font_bold[0] && !seen)
            bad += check_face(e, langs[i]->font_bold, 0, langs[i]->script, problem_h, arg);
    }
    return bad;
}

void text_line_metrics_add(struct text_line_metrics *m, const struct text_font *f)
{
    int asc = TTF_FontAscent(f->ttf), desc = -TTF_FontDescent(f->ttf);
    int skip = (int)(TTF_FontLineSkip(f->ttf) * f->line_height + 0.5f);
    m->asc = SDL_max(m->asc, asc);
    m->desc = SDL_max(m->desc, desc);
    m->skip = SDL_max(m->skip, skip);
}

int text_line_metrics_height(const struct text_line_metrics *m)
{
    return SDL_max(m->skip, m->asc + m->desc);
}

int text_line_height(struct text_engine *e, const struct lang *lang, int px, bool bold)
{
    /* The same rule as a laid-out line: the language's font and the fallback font (digits,
     * Latin) may both be on it. */
    struct text_line_metrics m = {0};
    struct text_font *f = lang ? text_font_for(e, lang, lang->script, px, bold) : NULL;
    struct text_font *fb = text_font_fallback(e, px, bold);
    if (f)
        text_line_metrics_add(&m, f);
    if (fb)
        text_line_metrics_add(&m, fb);
    int h = text_line_metrics_height(&m);
    return h ? h : px;
}

int text_cap_height(struct text_engine *e, const struct lang *lang, int px)
{
    struct text_font *f = text_font_fallback(e, px, false);
    int minx, maxx, miny, maxy, adv;
    (void)lang;
    if (!f || TTF_GlyphMetrics32(f->ttf, 'H', &minx, &maxx, &miny, &maxy, &adv))
        return px * 7 / 10;
    return maxy;
}

/* ---- layout cache ------------------------------------------------------------------------ */

static unsigned long hash_str(const char *s, unsigned long h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ul;
    return h;
}

static char *style_key(const char *utf8, const struct text_style *st, unsigned long *hash)
{
    char head[96];
    int n = snprintf(head, sizeof(head), "%s|%d|%d|%d|%d|%d|", st->lang ? st->lang->code : "",
                     st->px, st->bold, st->max_width, (int)st->align, st->markup);
    size_t len = strlen(utf8);
    char *key = malloc((size_t)n + len + 1);
    if (!key)
        return NULL;
    memcpy(key, head, (size_t)n);
    memcpy(key + n, utf8, len + 1);
    *hash = hash_str(key, 14695981039346656037ul);
    return key;
}

/* The use order: a doubly linked list from the newest to the oldest, so that a hit and an
 * eviction cost the same however many layouts are cached. */
static void lru_unlink(struct text_engine *e, struct text_cache_entry *c)
{
    if (c->newer)
        c->newer->older = c->older;
    else
        e->newest = c->older;
    if (c->older)
        c->older->newer = c->newer;
    else
        e->oldest = c->newer;
    c->newer = c->older = NULL;
}

static void lru_push(struct text_engine *e, struct text_cache_entry *c)
{
    c->older = e->newest;
    c->newer = NULL;
    if (e->newest)
        e->newest->newer = c;
    e->newest = c;
    if (!e->oldest)
        e->oldest = c;
}

/* Memory a layout holds before it is drawn: itself, its cache entry, key, lines, pieces and their
 * text. The arrays may have grown past their counts; what is used is counted. Its textures add
 * their pixels as they are made (text_layout_draw). */
static size_t layout_bytes(const struct text_layout *l)
{
    size_t n = sizeof(*l) + sizeof(struct text_cache_entry) + strlen(l->key) + 1 +
               (size_t)l->n_lines * sizeof(*l->lines) + (size_t)l->n_pieces * sizeof(*l->pieces);
    for (int i = 0; i < l->n_pieces; i++)
        n += strlen(l->pieces[i].utf8) + 1;
    return n;
}

static void cache_remove(struct text_engine *e, struct text_cache_entry *c)
{
    for (struct text_cache_entry **pc = &e->slots[c->layout->hash % TEXT_CACHE_SLOTS]; *pc;
         pc = &(*pc)->next) {
        if (*pc == c) {
            *pc = c->next;
            break;
        }
    }
    lru_unlink(e, c);
    e->bytes -= c->layout->bytes;
    e->n_cached--;
    text_layout_free(c->layout);
    free(c);
}

/* Drop the least recently used layouts until the cache is within its budget. A layout used in
 * this frame or the last one stays (text_layout_get's promise), so a frame that needs more than
 * the budget gets it, and gives it back at the next frame that needs less. */
static void cache_evict(struct text_engine *e)
{
    while (e->bytes > e->budget && e->oldest && e->oldest->layout->last_used + 1 < e->frame)
        cache_remove(e, e->oldest);
}

const struct text_layout *text_layout_get(struct text_engine *e, const char *utf8,
                                          const struct text_style *style)
{
    unsigned long hash;
    char *key = style_key(utf8, style, &hash);
    if (!key)
        return NULL;
    unsigned slot = (unsigned)(hash % TEXT_CACHE_SLOTS);
    for (struct text_cache_entry *c = e->slots[slot]; c; c = c->next) {
        if (c->layout->hash == hash && !strcmp(c->layout->key, key)) {
            free(key);
            c->layout->last_used = e->frame;
            if (c != e->newest) {
                lru_unlink(e, c);
                lru_push(e, c);
            }
            return c->layout;
        }
    }
    struct text_layout *l = text_layout_make(e, utf8, style);
    struct text_cache_entry *c = calloc(1, sizeof(*c));
    if (!l || !c) {
        free(key);
        free(c);
        text_layout_free(l);
        return NULL;
    }
    l->hash = hash;
    l->key = key;
    l->last_used = e->frame;
    l->bytes = layout_bytes(l);
    c->layout = l;
    c->next = e->slots[slot];
    e->slots[slot] = c;
    lru_push(e, c);
    e->n_cached++;
    e->bytes += l->bytes;
    cache_evict(e);
    return l;
}

void text_engine_next_frame(struct text_engine *e)
{
    e->frame++;
    /* Every size ever asked for stays open (window resizes, text shrunk to fit): at a frame's
     * start no layout is in use, so drop them all and let the frame open what it needs. */
    if (e->n_fonts >= TEXT_FONTS_SOFT) {
        text_engine_flush(e);
        for (unsigned i = 0; i < e->n_fonts; i++)
            TTF_CloseFont(e->fonts[i].ttf);
        e->n_fonts = 0;
    }
    /* The textures the last frames drew count only now. */
    cache_evict(e);
}

void text_engine_set_budget(struct text_engine *e, size_t bytes)
{
    e->budget = bytes;
    cache_evict(e);
}

void text_engine_cache_usage(const struct text_engine *e, struct text_cache_usage *u)
{
    u->bytes = e->bytes;
    u->budget = e->budget;
    u->layouts = e->n_cached;
    u->fonts = e->n_fonts;
}

/* A texture's pixels, 4 bytes each as the software renderer keeps them (a GPU's copy costs the
 * same in video memory), join its layout's bytes, and the cache's when the layout is cached. */
static void layout_add_texture(struct text_engine *e, struct text_layout *l, SDL_Texture *tex)
{
    int w = 0, h = 0;
    SDL_QueryTexture(tex, NULL, NULL, &w, &h);
    size_t n = (size_t)w * (size_t)h * 4;
    l->bytes += n;
    if (l->key)
        e->bytes += n;
}

/* Render piece p of l into its texture, white (drawing tints it). */
static void piece_render(struct text_engine *e, SDL_Renderer *r, struct text_layout *l,
                         struct text_piece *p)
{
    static const SDL_Color white = {255, 255, 255, 255};
    text_font_prepare(p->font, p->script, p->rtl);
    SDL_Surface *s = TTF_RenderUTF8_Blended(p->font->ttf, p->utf8, white);
    p->no_ink = text_letters_without_ink(p->font->ttf, p->utf8, s, e->ink_each);
    if (!s)
        return;
    p->tex = SDL_CreateTextureFromSurface(r, s);
    SDL_FreeSurface(s);
    if (!p->tex)
        return;
    SDL_SetTextureBlendMode(p->tex, SDL_BLENDMODE_BLEND);
    layout_add_texture(e, l, p->tex);
}

/* The rows of f's ink drawing script's sample, from the top of its line; measured once. */
static void font_ink_rows(struct text_font *f, const char *script, bool rtl, int *y0, int *y1)
{
    if (strcmp(f->ink_script, script)) {
        static const SDL_Color white = {255, 255, 255, 255};
        char buf[64];
        const char *sample = text_script_sample(script, buf, sizeof(buf));
        text_font_prepare(f, script, rtl);
        SDL_Surface *s = sample[0] ? TTF_RenderUTF8_Blended(f->ttf, sample, white) : NULL;
        f->ink_y0 = 0;
        f->ink_y1 = TTF_FontHeight(f->ttf);
        if (s)
            text_surface_ink_rows(s, &f->ink_y0, &f->ink_y1);
        if (f->ink_y1 <= f->ink_y0) {
            f->ink_y0 = 0;
            f->ink_y1 = TTF_FontHeight(f->ttf);
        }
        SDL_FreeSurface(s);
        util_strlcpy(f->ink_script, script, sizeof(f->ink_script));
    }
    *y0 = f->ink_y0;
    *y1 = f->ink_y1;
}

bool text_layout_ink_rows(struct text_engine *e, const struct text_layout *l, int *top, int *bottom)
{
    bool any = false;
    (void)e;
    for (int i = 0; i < l->n_pieces; i++) {
        struct text_piece *p = &l->pieces[i];
        int y0, y1;
        font_ink_rows(p->font, p->script, p->rtl, &y0, &y1);
        *top = any ? SDL_min(*top, p->y + y0) : p->y + y0;
        *bottom = any ? SDL_max(*bottom, p->y + y1) : p->y + y1;
        any = true;
    }
    return any;
}

void text_layout_draw(struct text_engine *e, SDL_Renderer *r, const struct text_layout *cl, int x,
                      int y, SDL_Color c)
{
    /* Textures are a cache inside the layout; drawing does not change what it shows. */
    struct text_layout *l = (struct text_layout *)cl;
    for (int i = 0; i < l->n_pieces; i++) {
        struct text_piece *p = &l->pieces[i];
        if (!p->tex && p->utf8[0])
            piece_render(e, r, l, p);
        if (!p->tex)
            continue;
        int tw, th;
        SDL_QueryTexture(p->tex, NULL, NULL, &tw, &th);
        SDL_Rect dst = {x + p->x, y + p->y, tw, th};
        SDL_SetTextureColorMod(p->tex, c.r, c.g, c.b);
        SDL_SetTextureAlphaMod(p->tex, c.a);
        SDL_RenderCopy(r, p->tex, NULL, &dst);
    }
}

void text_engine_count_ink(struct text_engine *e, bool each)
{
    e->ink_each = each;
}

void text_layout_free(struct text_layout *l)
{
    if (!l)
        return;
    layout_drop_textures(l);
    for (int i = 0; i < l->n_pieces; i++)
        free(l->pieces[i].utf8);
    free(l->pieces);
    free(l->lines);
    free(l->key);
    free(l);
}
