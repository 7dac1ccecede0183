/* The kiosk's configuration: one INI file, parsed once into a read-only struct.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_CONFIG_H
#define OPENLINE_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_DEFAULT_PATH "/etc/openline/openline.conf"
#define CONFIG_MAX_LANGS    32
#define CONFIG_LANG_LEN     16
#define CONFIG_ERR_LEN      512

enum config_theme {
    CONFIG_THEME_STANDARD,
    CONFIG_THEME_HIGH_CONTRAST,
};

struct config {
    char path[PATH_MAX]; /* the file this came from; "" for built-in defaults */

    struct {
        char languages[CONFIG_MAX_LANGS][CONFIG_LANG_LEN]; /* enabled, in screen order */
        unsigned n_languages;
        char default_language[CONFIG_LANG_LEN]; /* attract and reset; one of languages */
        uint64_t idle_timeout_ms;   /* no input this long: the idle warning */
        uint64_t idle_warning_ms;   /* countdown shown before the reset, >= 20 s */
        uint64_t attract_cycle_ms;  /* attract message changes language this often */
        uint64_t attract_dim_ms;    /* attract screen goes dark after this (0: never) */
        uint64_t quick_exit_window_ms; /* Shift pressed 3 times within this = quick exit */
    } kiosk;

    struct {
        unsigned width_mm;    /* physical width of the visible screen area, millimetres */
        bool fullscreen;      /* kiosk mode; `--kiosk` / `--windowed` override */
        unsigned window_w;    /* windowed size in pixels */
        unsigned window_h;
        enum config_theme theme;
    } display;

    struct {
        char name[128];    /* shown as "a counsellor from <name>" */
        char hotline[40];  /* the number to call, as printed */
        char sms[40];      /* SMS number, "" if none */
        char web[256];     /* web address, "" if none */
    } organisation;

    struct {
        char data_dir[PATH_MAX]; /* holds assets/ and locales/; "" = found next to the binary */
    } paths;

    /* Line of each key in the file (0: not set), for later semantic errors. Index: config_key_index() */
    unsigned lines[64];
};

/* Fill cfg with the built-in defaults (no organisation: config_load requires one). */
void config_defaults(struct config *cfg);

/* Read and validate path into cfg. On any problem returns EINVAL (bad content) or an errno value
 * (unreadable file), leaves cfg unspecified, and writes one message naming the file, the line,
 * the key and what is accepted into err (errlen bytes). Nothing half-configured is ever returned. */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

/* Index of "section.key" into cfg->lines, or -1. */
int config_key_index(const char *section, const char *key);

/* Format an error about an already-parsed key (for checks that need other modules, such as
 * language codes): "FILE:LINE: [section] key: what; accepted: accepted". */
void config_key_error(const struct config *cfg, const char *section, const char *key, char *err,
                      size_t errlen, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Print every section and key with its accepted values and default (the reference in README). */
void config_print_reference(void);

#endif
