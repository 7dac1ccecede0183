/* The kiosk's user interface: window, screens, input, the main loop, snapshots and scripts.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_UI_H
#define OPENLINE_UI_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct lang;
struct i18n;
struct content;
struct text_engine;
struct ui;

struct ui_opts {
    const struct config *cfg;
    struct i18n *i18n;
    struct content *content;
    struct text_engine *text;
    const char *data_dir;  /* holds assets/ */
    int w, h;              /* window size; 0: from the configuration */
    bool fullscreen;       /* kiosk mode: fullscreen, no cursor, close ignored */
    bool headless;         /* offscreen video driver, software renderer (snapshot, play) */
    const char *start;     /* benchmarks and demos: start on this screen (NULL: attract) */
    bool first_frame_exit; /* benchmarks: print the time from exec to the first frame, exit */
    /* Called once on the UI thread after the first frame is on screen: slow start-up work
     * (the call thread, audio devices) waits until the visitor already sees the kiosk. */
    void (*on_first_frame)(struct ui *ui, void *arg);
    void *on_first_frame_arg;
};

/* Start SDL video and create the window and renderer. On failure returns an errno value and a
 * message in err (for a missing display: how to run headless). *up is set only on success.
 * UI thread only; ui_free() releases everything. */
/* The hotline's opening hours in lang, formatted by ICU for its locale ("Monday–Friday 8:00 AM–
 * 8:00 PM and Saturday ..."), or "" when the configuration states none or "always". */
void ui_promise_hours(const struct config *cfg, const struct lang *lang, char *out, size_t len);
/* The languages the counsellors speak, named in lang and joined by ICU ("English, French and
 * Arabic"), or "" unless a visitor reading lang is told them (content_names_languages). */
void ui_promise_languages(const struct config *cfg, const struct i18n *i18n,
                          const struct lang *lang, char *out, size_t len);

int ui_alloc(struct ui **up, const struct ui_opts *opts, char *err, size_t errlen);
void ui_free(struct ui *ui);

/* Calls: the plug-in's functions and the engine (NULL: calls unavailable), and the handler to
 * give its engine_start(), which turns each call event into an SDL event for the UI thread.
 * Start the engine after ui_alloc(); stop it before ui_free(). */
struct call_api;
struct call_engine;
struct call_event;
void ui_set_call_engine(struct ui *ui, const struct call_api *api, struct call_engine *e);
void ui_call_event_h(const struct call_event *ev, void *arg);

/* Speech (read-aloud, speech mode, phrases): start the speech worker ([speech] enabled) after
 * ui_set_call_engine(), whose audio device it plays on; 0 or an errno value with err. End it
 * before the call engine stops (it joins the worker). */
int ui_speech_start(struct ui *ui, char *err, size_t errlen);
void ui_speech_end(struct ui *ui);

/* Counting (NULL: off): the UI counts sessions, languages, pages, calls and quick exits into it
 * (include/openline/counts.h). Set after ui_alloc(); stop the counts after ui_free(). */
struct counts;
void ui_set_counts(struct ui *ui, struct counts *c);

/* Run until the window is closed (not in kiosk mode) or a signal asked to stop (signals.h; seen
 * within a second). Returns 0. */
int ui_run(struct ui *ui);

/* The i-th screen's name (NULL past the last), in the order check-layout goes through them;
 * *shows_page (may be NULL) is set when the screen shows one content page, to be checked once
 * for every page. */
const char *ui_screen_name_at(size_t i, bool *shows_page);

/* The i-th state screen can be shown in by a snapshot (a call connecting, ringing, connected,
 * with its keypad; call-info on a kiosk that calls or cannot), NULL past the last: none for a
 * screen with one state. The first is what a snapshot shows when none is asked for. */
const char *ui_screen_pose_at(const char *screen, size_t i);

/* Render one screen and save it as PNG (out_png NULL: only check the layout). screen: a name of
 * ui_screen_name_at(); pose one of its ui_screen_pose_at() or NULL (the first). lang (a tag, as
 * i18n_lookup() finds it) and page may be NULL (page: the first tile page). Returns 0; 2 for an
 * unknown screen, pose, language or page (message in err); 3 when the layout check found clipped
 * or overlapping text or touch targets under 20 mm (each printed to stderr); errno values for
 * I/O errors. */
int ui_snapshot(struct ui *ui, const char *screen, const char *pose, const char *lang,
                const char *page, const char *out_png, char *err, size_t errlen);

/* Run a test script (see README: `openline play`). Returns 0 when every expect held, 1 otherwise
 * (each failure printed with its line) or when a signal asked to stop (signals.h: seen within
 * 50 ms, the line then running cut short), 2 when the script cannot be read or has a bad line. */
int ui_play(struct ui *ui, const char *script_path);

/* Pictograms (the SVG files in assets/icons/): limits checked before SDL_image sees a file, so
 * that the first draw and self-test stay fast (the reasons and the measurements are at the top of
 * app/ui/icon.c; the rules for authors in assets/content/README-content.md, "Pictograms"). */
#define UI_ICON_MAX_BYTES    (32 * 1024) /* the largest bundled pictogram has 1,097 */
#define UI_ICON_MAX_ELEMENTS 64          /* the bundled ones have at most 10 */
#define UI_ICON_MAX_NUMBERS  1024        /* coordinates and sizes; the bundled ones at most 88 */

/* Check the SVG in data[0, len): 0 when SDL_image may have it; otherwise EFBIG (too large),
 * E2BIG (too complex) or EINVAL (truncated, broken or not an SVG) and the reason in why. Reads
 * nothing past data + len. Any thread. */
int ui_icon_check(const char *data, size_t len, char *why, size_t whylen);

/* Read the pictogram at path and check it (ui_icon_check). On success *datap is the file,
 * NUL-terminated, owned by the caller (free()), and *lenp its length; otherwise an errno value
 * and a message naming path in why. Reads at most UI_ICON_MAX_BYTES + 1 bytes. Any thread. */
int ui_icon_read(const char *path, char **datap, size_t *lenp, char *why, size_t whylen);

#endif
