/* The kiosk's user interface: window, screens, input, the main loop, snapshots and scripts.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_UI_H
#define OPENLINE_UI_H

#include <stdbool.h>
#include <stddef.h>

struct config;
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

/* Counting (NULL: off): the UI counts sessions, languages, pages, calls and quick exits into it
 * (include/openline/counts.h). Set after ui_alloc(); stop the counts after ui_free(). */
struct counts;
void ui_set_counts(struct ui *ui, struct counts *c);

/* Run until the window is closed (not in kiosk mode) or a signal asked to stop (signals.h; seen
 * within a second). Returns 0. */
int ui_run(struct ui *ui);

/* Render one screen and save it as PNG (out_png NULL: only check the layout). screen: attract,
 * language, home, page, call-info, idle-warning. lang and page may be NULL. Returns 0; 2 for an
 * unknown screen, language or page (message in err); 3 when the layout check found clipped or
 * overlapping text or touch targets under 20 mm (each printed to stderr); errno values for I/O
 * errors. */
int ui_snapshot(struct ui *ui, const char *screen, const char *lang, const char *page,
                const char *out_png, char *err, size_t errlen);

/* Run a test script (see README: `openline play`). Returns 0 when every expect held, 1 otherwise
 * (each failure printed with its line) or when a signal asked to stop (signals.h: seen within
 * 50 ms, the line then running cut short), 2 when the script cannot be read or has a bad line. */
int ui_play(struct ui *ui, const char *script_path);

#endif
