/* Configuration: a const table of keys drives parsing, validation, errors and the reference.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openline/clock.h"
#include "openline/util.h"

enum key_type {
    KEY_STRING,   /* printable text, 1..size-1 bytes */
    KEY_UINT,     /* whole number in [min, max] */
    KEY_DURATION, /* "90s", "2m" ...; stored as uint64_t ms in [min, max] ms */
    KEY_BOOL,     /* yes/no, true/false, on/off, 1/0 */
    KEY_THEME,    /* standard | high-contrast */
    KEY_LANGS,    /* space- or comma-separated language codes */
    KEY_LANG,     /* one language code */
    KEY_PHONE,    /* digits with + - ( ) and spaces */
    KEY_WEB,      /* web address without spaces */
    KEY_PATH,     /* absolute directory path */
};

struct key {
    const char *section;
    const char *name;
    enum key_type type;
    size_t off;  /* into struct config */
    size_t size; /* of the destination, for strings */
    long long min, max;
    bool required;
    const char *accepted; /* what a person may write, for errors and the reference */
    const char *def;      /* default, as written in the file ("" = none) */
};

#define F(member) offsetof(struct config, member), sizeof(((struct config *)0)->member)

/* Every key the kiosk understands. Later modules add their sections here. */
static const struct key keys[] = {
    {"kiosk", "languages", KEY_LANGS, F(kiosk.languages), 1, CONFIG_MAX_LANGS, false,
     "language codes from locales/languages.ini, separated by spaces, at most 32",
     "every language in locales/languages.ini"},
    {"kiosk", "default_language", KEY_LANG, F(kiosk.default_language), 0, 0, false,
     "one of the enabled languages", "en"},
    {"kiosk", "idle_timeout", KEY_DURATION, F(kiosk.idle_timeout_ms), 15000, 3600000, false,
     "a duration from 15s to 1h, such as 90s or 2m", "90s"},
    {"kiosk", "idle_warning", KEY_DURATION, F(kiosk.idle_warning_ms), 20000, 300000, false,
     "a duration from 20s to 5m", "30s"},
    {"kiosk", "attract_cycle", KEY_DURATION, F(kiosk.attract_cycle_ms), 1000, 60000, false,
     "a duration from 1s to 60s", "3s"},
    {"kiosk", "attract_dim_after", KEY_DURATION, F(kiosk.attract_dim_ms), 0, 86400000, false,
     "0 (never) or a duration up to 24h, such as 10m", "10m"},
    {"kiosk", "quick_exit_window", KEY_DURATION, F(kiosk.quick_exit_window_ms), 300, 5000, false,
     "a duration from 300ms to 5s", "1500ms"},
    {"display", "width_mm", KEY_UINT, F(display.width_mm), 100, 5000, false,
     "the visible screen width in millimetres, 100 to 5000", "476"},
    {"display", "fullscreen", KEY_BOOL, F(display.fullscreen), 0, 1, false, "yes or no", "yes"},
    {"display", "window_width", KEY_UINT, F(display.window_w), 320, 7680, false,
     "pixels, 320 to 7680", "1280"},
    {"display", "window_height", KEY_UINT, F(display.window_h), 240, 4320, false,
     "pixels, 240 to 4320", "720"},
    {"display", "theme", KEY_THEME, F(display.theme), 0, 0, false, "standard or high-contrast",
     "standard"},
    {"organisation", "name", KEY_STRING, F(organisation.name), 0, 0, true,
     "the organisation that answers the hotline, 1 to 127 bytes", ""},
    {"organisation", "hotline", KEY_PHONE, F(organisation.hotline), 0, 0, true,
     "a phone number: digits, spaces, + - ( ), at least 3 digits", ""},
    {"organisation", "sms", KEY_PHONE, F(organisation.sms), 0, 0, false,
     "a phone number for SMS, or empty", ""},
    {"organisation", "web", KEY_WEB, F(organisation.web), 0, 0, false,
     "a web address without spaces, such as example.org/help, or empty", ""},
    {"paths", "data_dir", KEY_PATH, F(paths.data_dir), 0, 0, false,
     "an absolute directory holding assets/ and locales/", "found next to the program"},
};

_Static_assert(ARRAY_SIZE(keys) <= ARRAY_SIZE(((struct config *)0)->lines), "lines[] too small");

static const char *const sections[] = {"kiosk", "display", "organisation", "paths"};

struct parse {
    struct config *cfg;
    const char *path;
    FILE *f;
    unsigned line;
    char *err;
    size_t errlen;
    bool failed;
};

int config_key_index(const char *section, const char *key)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, key))
            return (int)i;
    }
    return -1;
}

static bool known_section(const char *section)
{
    for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
        if (!strcmp(sections[i], section))
            return true;
    }
    return false;
}

static void section_keys(const char *section, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(keys) && n < len; i++) {
        if (strcmp(keys[i].section, section))
            continue;
        int w = snprintf(buf + n, len - n, "%s%s", n ? ", " : "", keys[i].name);
        if (w < 0)
            break;
        n += (size_t)w;
    }
}

static bool is_lang_code(const char *s)
{
    /* BCP 47 subset used by locales/languages.ini: xx, xxx, or xx-Yyyy / xx-YY */
    size_t n = strlen(s);
    if (n < 2 || n >= CONFIG_LANG_LEN)
        return false;
    size_t i = 0;
    while (i < n && islower((unsigned char)s[i]))
        i++;
    if (i < 2 || i > 3)
        return false;
    if (i == n)
        return true;
    if (s[i] != '-' || i + 1 == n)
        return false;
    for (i++; i < n; i++) {
        if (!isalnum((unsigned char)s[i]))
            return false;
    }
    return true;
}

static bool is_printable_utf8(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
    }
    return true;
}

/* Returns NULL when value is good (and stored), else a short reason. */
static const char *store_value(struct config *cfg, const struct key *k, const char *value)
{
    char *dst = (char *)cfg + k->off;
    switch (k->type) {
    case KEY_STRING:
        if (!*value && k->required)
            return "empty";
        if (!is_printable_utf8(value))
            return "contains control characters";
        if (util_strlcpy(dst, value, k->size))
            return "too long";
        return NULL;
    case KEY_UINT: {
        long v;
        int e = util_parse_long(value, (long)k->min, (long)k->max, &v);
        if (e == EINVAL)
            return "not a whole number";
        if (e)
            return "out of range";
        *(unsigned *)(void *)dst = (unsigned)v;
        return NULL;
    }
    case KEY_DURATION: {
        uint64_t ms;
        if (clock_parse_duration(value, &ms))
            return "not a duration";
        if ((long long)ms < k->min || (long long)ms > k->max)
            return "out of range";
        *(uint64_t *)(void *)dst = ms;
        return NULL;
    }
    case KEY_BOOL: {
        static const char *const yes[] = {"yes", "true", "on", "1"};
        static const char *const no[] = {"no", "false", "off", "0"};
        for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
            if (!strcasecmp(value, yes[i])) {
                *(bool *)(void *)dst = true;
                return NULL;
            }
            if (!strcasecmp(value, no[i])) {
                *(bool *)(void *)dst = false;
                return NULL;
            }
        }
        return "not yes or no";
    }
    case KEY_THEME:
        if (!strcmp(value, "standard"))
            *(enum config_theme *)(void *)dst = CONFIG_THEME_STANDARD;
        else if (!strcmp(value, "high-contrast"))
            *(enum config_theme *)(void *)dst = CONFIG_THEME_HIGH_CONTRAST;
        else
            return "unknown theme";
        return NULL;
    case KEY_LANGS: {
        char buf[CONFIG_MAX_LANGS * CONFIG_LANG_LEN * 2];
        char *save = NULL;
        unsigned n = 0;
        if (util_strlcpy(buf, value, sizeof(buf)))
            return "too long";
        for (char *tok = strtok_r(buf, " ,\t", &save); tok; tok = strtok_r(NULL, " ,\t", &save)) {
            if (!is_lang_code(tok))
                return "not a language code";
            if (n == CONFIG_MAX_LANGS)
                return "too many languages";
            for (unsigned i = 0; i < n; i++) {
                if (!strcmp(cfg->kiosk.languages[i], tok))
                    return "a language is listed twice";
            }
            util_strlcpy(cfg->kiosk.languages[n++], tok, CONFIG_LANG_LEN);
        }
        if (!n)
            return "empty";
        cfg->kiosk.n_languages = n;
        return NULL;
    }
    case KEY_LANG:
        if (!is_lang_code(value))
            return "not a language code";
        util_strlcpy(dst, value, k->size);
        return NULL;
    case KEY_PHONE: {
        unsigned digits = 0;
        for (const char *p = value; *p; p++) {
            if (isdigit((unsigned char)*p))
                digits++;
            else if (!strchr("+-() ", *p))
                return "not a phone number";
        }
        if (*value && digits < 3)
            return "too few digits";
        if (!*value && k->required)
            return "empty";
        if (util_strlcpy(dst, value, k->size))
            return "too long";
        return NULL;
    }
    case KEY_WEB:
        for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
            if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>')
                return "contains spaces or characters not allowed in an address";
        }
        if (util_strlcpy(dst, value, k->size))
            return "too long";
        return NULL;
    case KEY_PATH:
        if (value[0] != '/')
            return "not an absolute path";
        if (util_strlcpy(dst, value, k->size))
            return "too long";
        return NULL;
    }
    return "unhandled";
}

static void fail(struct parse *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct parse *p, unsigned line, const char *fmt, ...)
{
    if (p->failed)
        return; /* one message: the first problem */
    p->failed = true;
    int n = line ? snprintf(p->err, p->errlen, "%s:%u: ", p->path, line)
                 : snprintf(p->err, p->errlen, "%s: ", p->path);
    if (n < 0 || (size_t)n >= p->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct parse *p = user;
    if (!known_section(section)) {
        fail(p, p->line, "unknown section [%s]; accepted: [kiosk], [display], [organisation], [paths]",
             section);
        return 0;
    }
    int i = config_key_index(section, name);
    if (i < 0) {
        char list[512];
        section_keys(section, list, sizeof(list));
        fail(p, p->line, "[%s] unknown key '%s'; accepted in [%s]: %s", section, name, section,
             list);
        return 0;
    }
    if (p->cfg->lines[i]) {
        fail(p, p->line, "[%s] %s is set twice (first on line %u); accepted: one value", section,
             name, p->cfg->lines[i]);
        return 0;
    }
    p->cfg->lines[i] = p->line;
    const char *why = store_value(p->cfg, &keys[i], value);
    if (why) {
        fail(p, p->line, "[%s] %s = '%s': %s; accepted: %s", section, name, value, why,
             keys[i].accepted);
        return 0;
    }
    return 1;
}

/* inih reads line by line through this, which lets errors from the handler name their line. */
static char *reader(char *str, int num, void *stream)
{
    struct parse *p = stream;
    char *s = fgets(str, num, p->f);
    if (s)
        p->line++;
    return s;
}

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    util_strlcpy(cfg->kiosk.default_language, "en", CONFIG_LANG_LEN);
    cfg->kiosk.idle_timeout_ms = 90000;
    cfg->kiosk.idle_warning_ms = 30000;
    cfg->kiosk.attract_cycle_ms = 3000;
    cfg->kiosk.attract_dim_ms = 600000;
    cfg->kiosk.quick_exit_window_ms = 1500;
    cfg->display.width_mm = 476; /* a 21.5" 16:9 panel */
    cfg->display.fullscreen = true;
    cfg->display.window_w = 1280;
    cfg->display.window_h = 720;
    cfg->display.theme = CONFIG_THEME_STANDARD;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
    struct parse p = {.cfg = cfg, .path = path, .err = err, .errlen = errlen};
    int rc = 0;

    config_defaults(cfg);
    err[0] = '\0';
    if (util_strlcpy(cfg->path, path, sizeof(cfg->path))) {
        snprintf(err, errlen, "%s: path too long", path);
        return ENAMETOOLONG;
    }
    p.f = fopen(path, "r");
    if (!p.f) {
        rc = errno;
        snprintf(err, errlen, "%s: cannot read the configuration: %s", path, strerror(rc));
        return rc;
    }
    int line = ini_parse_stream(reader, &p, handler, &p);
    if (ferror(p.f)) {
        rc = EIO;
        snprintf(err, errlen, "%s: read error", path);
        goto out;
    }
    if (line > 0 && !p.failed) {
        fail(&p, (unsigned)line,
             "not a 'key = value' line, a [section] header or a ; comment; accepted: "
             "key = value lines under [kiosk], [display], [organisation], [paths]");
    }
    if (line < 0 && !p.failed)
        fail(&p, 0, "out of memory while parsing");
    if (p.failed) {
        rc = EINVAL;
        goto out;
    }
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (keys[i].required && !cfg->lines[i]) {
            fail(&p, 0, "[%s] %s is missing; accepted: %s", keys[i].section, keys[i].name,
                 keys[i].accepted);
            rc = EINVAL;
            goto out;
        }
    }
    /* The default language must be enabled; when `languages` is absent every language is. */
    if (cfg->kiosk.n_languages) {
        bool found = false;
        for (unsigned i = 0; i < cfg->kiosk.n_languages; i++)
            found |= !strcmp(cfg->kiosk.languages[i], cfg->kiosk.default_language);
        if (!found) {
            int di = config_key_index("kiosk", "default_language");
            fail(&p, cfg->lines[di], "[kiosk] default_language = '%s': not enabled; accepted: %s",
                 cfg->kiosk.default_language, keys[di].accepted);
            rc = EINVAL;
            goto out;
        }
    }
out:
    fclose(p.f);
    return rc;
}

void config_key_error(const struct config *cfg, const char *section, const char *key, char *err,
                      size_t errlen, const char *fmt, ...)
{
    int i = config_key_index(section, key);
    unsigned line = i >= 0 ? cfg->lines[i] : 0;
    const char *file = cfg->path[0] ? cfg->path : "built-in defaults";
    int n = line ? snprintf(err, errlen, "%s:%u: [%s] %s: ", file, line, section, key)
                 : snprintf(err, errlen, "%s: [%s] %s: ", file, section, key);
    if (n < 0 || (size_t)n >= errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

void config_print_reference(void)
{
    const char *section = "";
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (strcmp(section, keys[i].section)) {
            section = keys[i].section;
            printf("%s[%s]\n", i ? "\n" : "", section);
        }
        printf("%-18s %s%s (default: %s)\n", keys[i].name, keys[i].required ? "required; " : "",
               keys[i].accepted, keys[i].def[0] ? keys[i].def : "none");
    }
}
