/* The kiosk program's commands and the start-up they share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_KIOSK_H
#define OPENLINE_KIOSK_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "openline/config.h"

struct i18n;
struct content;
struct text_engine;

/* Exit statuses shared by every command. Stopped by SIGINT or SIGTERM, `run` exits 0 and every
 * other command ends by the signal (signals.h; after cleaning up where it has something to). */
enum {
    KIOSK_EXIT_OK = 0,
    KIOSK_EXIT_FAIL = 1,
    KIOSK_EXIT_CONFIG = 2, /* configuration, usage or unknown name */
};

/* What a command needs loaded: the configuration, then languages, content and fonts. */
struct kiosk {
    struct config cfg;
    char data_dir[PATH_MAX];
    struct i18n *i18n;
    struct content *content;
    struct text_engine *text;
    char err[CONFIG_ERR_LEN + 512]; /* what kiosk_open() refused, also printed to stderr */
};

/* Load config_path (NULL: the default path; when need_config is false and that file does not
 * exist, built-in defaults) and everything it points to. Prints one message and
 * returns KIOSK_EXIT_CONFIG for a configuration error, KIOSK_EXIT_FAIL when the bundled data
 * (languages, content, fonts table) cannot be loaded; 0 on success. kiosk_close() in any case. */
int kiosk_open(struct kiosk *k, const char *config_path, bool need_config);
void kiosk_close(struct kiosk *k);

/* The directory holding assets/ and locales/: the configured one, the source tree next to the
 * binary, or the installed one. */
void kiosk_data_dir(const struct config *cfg, char *dir, size_t len);

/* Every language tag in cfg ([kiosk] languages, default_language, [hotline] language, the CODE
 * of each uri.CODE) replaced by the code i18n_lookup() finds for it (zh-CN: zh-Hans), so that the
 * rest of the program compares codes; then no language enabled twice and the default one of
 * them. Returns 0 or EINVAL with "FILE:LINE: [section] key: ..." in err. kiosk_open() does it. */
int kiosk_resolve_langs(struct config *cfg, const struct i18n *i18n, char *err, size_t errlen);

/* Commands: argc/argv start at the command name. Return the process exit status. */
int kiosk_cmd_run(int argc, char **argv);
int kiosk_cmd_snapshot(int argc, char **argv);
int kiosk_cmd_play(int argc, char **argv);
int kiosk_cmd_check_layout(int argc, char **argv);
int kiosk_cmd_self_test(int argc, char **argv);
int kiosk_cmd_render(int argc, char **argv);
int kiosk_cmd_pot_content(int argc, char **argv);
int kiosk_cmd_i18n_report(int argc, char **argv);
int kiosk_cmd_check_catalog(int argc, char **argv);
int kiosk_cmd_config_reference(int argc, char **argv);
int kiosk_cmd_call(int argc, char **argv);
int kiosk_cmd_speech_play(int argc, char **argv);
int kiosk_cmd_counts(int argc, char **argv);
int kiosk_cmd_speech_script(int argc, char **argv);
int kiosk_cmd_speak(int argc, char **argv);

/* Read-aloud for the reports (app/kiosk/cmd_speech.c): a speech module on k's data directory
 * that makes no sound (NULL when it cannot start: printed), and how l is read aloud in words
 * ("clips+en-gb", "voice en-gb", "not read") into buf. */
struct speech;
struct lang;
struct speech *kiosk_speech_probe(const struct kiosk *k);
void kiosk_speech_describe(struct speech *sp, const struct lang *l, char *buf, size_t len);

/* Start counting for a UI: the closed set is the enabled languages and every content page;
 * the call engine's health (engine may be NULL) goes into the heartbeat. A failure is logged
 * and the kiosk runs on without counting (visitors come first). Returns the counts or NULL
 * (also when counting is off); counts_stop() after ui_free(). */
struct ui;
struct call_engine;
struct counts *kiosk_counts_start(struct kiosk *k, struct ui *ui, struct call_engine *engine);

/* Every pictogram (the pages' and the screens'), each once: read and checked before SDL_image
 * sees it (ui_icon_read(): size, complexity, truncation), then loaded as SVG. problem_h gets
 * one message per pictogram that fails, naming its file and the reason (valid during the call).
 * Returns how many failed; 0: every one loads. */
typedef void(kiosk_icon_problem_h)(const char *why, void *arg);
unsigned kiosk_check_icons(const struct kiosk *k, kiosk_icon_problem_h *problem_h, void *arg);

/* The enabled languages, in configured order (every language of locales/languages.ini when
 * none is configured), into out; returns how many (at most CONFIG_MAX_LANGS). */
struct lang;
unsigned kiosk_languages(const struct kiosk *k, const struct lang **out);

/* Options of the kiosk's commands (see kiosk_args_read). */
struct kiosk_args {
    const char *config, *screen, *lang, *page, *out, *script, *out_dir, *start;
    const char *pose;      /* snapshot: --pose NAME (a call ringing ...) */
    int w, h;              /* --size WxH; 0 when not given */
    int fullscreen;        /* -1: as configured, 0: --windowed, 1: --kiosk */
    bool test_clock;       /* --test-clock[=YYYY-MM-DDTHH:MMZ] */
    int64_t test_clock_ms; /* the UTC time it starts at (0: now) */
    bool upload_now;       /* counts: --upload-now */
    bool msgid;            /* speak: the text is an English source string, spoken translated */
    bool first_frame_exit;
    long width, font_px;  /* render: --width, --font-size */
    const char *audio;    /* call: --audio DRIVER[:...] */
    long seconds, repeat; /* call: --seconds (10), --repeat (1) */
    /* call: --say FILE.wav --say-at MS (into the connected call), --speech FILE.wav
     * --dial-after MS (speech first, dialled while it plays); speech-play: --stop-after MS,
     * --linger MS. -1: not given. */
    const char *say, *speech;
    long say_at_ms, dial_after_ms, stop_after_ms, linger_ms;
    char **operands; /* what follows the options */
    int n_operands;
};

/* The options a command may accept, named; getopt_long() returns them as they are (a power of
 * two is never its '?' or ':'). */
enum kiosk_opt {
    KIOSK_OPT_CONFIG = 1 << 0,            /* --config FILE */
    KIOSK_OPT_SCREEN = 1 << 1,            /* --screen NAME */
    KIOSK_OPT_LANG = 1 << 2,              /* --lang CODE */
    KIOSK_OPT_PAGE = 1 << 3,              /* --page ID */
    KIOSK_OPT_OUT = 1 << 4,               /* --out FILE */
    KIOSK_OPT_SCRIPT = 1 << 5,            /* --script FILE */
    KIOSK_OPT_OUT_DIR = 1 << 6,           /* --out-dir DIR */
    KIOSK_OPT_SIZE = 1 << 7,              /* --size WxH */
    KIOSK_OPT_KIOSK = 1 << 8,             /* --kiosk */
    KIOSK_OPT_WINDOWED = 1 << 9,          /* --windowed */
    KIOSK_OPT_TEST_CLOCK = 1 << 10,       /* --test-clock[=YYYY-MM-DDTHH:MMZ] */
    KIOSK_OPT_START = 1 << 11,            /* --start SCREEN */
    KIOSK_OPT_FIRST_FRAME_EXIT = 1 << 12, /* --first-frame-exit */
    KIOSK_OPT_WIDTH = 1 << 13,            /* --width PX */
    KIOSK_OPT_FONT_SIZE = 1 << 14,        /* --font-size PX */
    KIOSK_OPT_AUDIO = 1 << 15,            /* --audio DRIVER[:...] */
    KIOSK_OPT_SECONDS = 1 << 16,          /* --seconds N */
    KIOSK_OPT_REPEAT = 1 << 17,           /* --repeat N */
    KIOSK_OPT_UPLOAD_NOW = 1 << 18,       /* --upload-now */
    KIOSK_OPT_HELP = 1 << 19,             /* --help, accepted by every command */
    KIOSK_OPT_SAY = 1 << 20,              /* --say FILE.wav */
    KIOSK_OPT_SAY_AT = 1 << 21,           /* --say-at MS */
    KIOSK_OPT_SPEECH = 1 << 22,           /* --speech FILE.wav */
    KIOSK_OPT_DIAL_AFTER = 1 << 23,       /* --dial-after MS */
    KIOSK_OPT_STOP_AFTER = 1 << 24,       /* --stop-after MS */
    KIOSK_OPT_LINGER = 1 << 25,           /* --linger MS */
    KIOSK_OPT_MSGID = 1 << 26,            /* --msgid */
    KIOSK_OPT_POSE = 1 << 27,             /* --pose NAME */
};

/* Parse the options of a command that accepts those in accepted (enum kiosk_opt, or'ed; --help
 * always). Returns -1 to go on, or the exit status: 0 after --help, KIOSK_EXIT_CONFIG for a bad
 * option (usage printed). */
int kiosk_args_read(int argc, char **argv, unsigned accepted, const char *usage,
                    struct kiosk_args *a);

/* Parse "WxH". Returns 0 or EINVAL. */
int kiosk_parse_size(const char *s, int *w, int *h);

#endif
