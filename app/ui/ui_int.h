/* Private to the UI module: the ui state, screens, widgets, theme and drawing helpers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_UI_INT_H
#define OPENLINE_UI_INT_H

#include <SDL.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "openline/call_api.h"
#include "openline/config.h"
#include "openline/content.h"
#include "openline/counts.h"
#include "openline/i18n.h"
#include "openline/text.h"
#include "openline/ui.h"

#define UI_MAX_WIDGETS     64
#define UI_MAX_TEXT_CHECKS 512
#define UI_MAX_PROBLEMS    32

struct ui_event;

/* What a widget does when activated; screens interpret UI_ACT_SCREEN and above. */
enum ui_action {
    UI_ACT_NONE,
    UI_ACT_QUICK_EXIT, /* handled by the ui core on every screen */
    UI_ACT_BACK,
    UI_ACT_LANGUAGE,  /* open the language screen */
    UI_ACT_CONTRAST,  /* toggle the high-contrast theme for this visitor */
    UI_ACT_SET_LANG,  /* arg: index into ui->langs */
    UI_ACT_PAGE,      /* arg: content page index */
    UI_ACT_CALL_INFO, /* what happens when you call */
    UI_ACT_EXTEND,    /* idle warning: keep going */
    UI_ACT_START,     /* attract: begin */
    UI_ACT_DIAL,      /* call-info: place the call */
    UI_ACT_HANGUP,
    UI_ACT_VOLUME,     /* arg: -1 quieter, +1 louder */
    UI_ACT_KEYPAD,     /* open or close the keypad */
    UI_ACT_DTMF,       /* arg: the digit's character */
    UI_ACT_HOME,       /* back to the home screen */
    UI_ACT_READ,       /* read the screen aloud (again, or on from where it was paused) */
    UI_ACT_READ_PAUSE, /* pause the reading */
    UI_ACT_READ_STOP,  /* stop the reading */
    UI_ACT_PHRASES,    /* call: open the phrases a visitor can tap */
    UI_ACT_PHRASE,     /* arg: the phrase's index in the content's phrases */
    UI_ACT_CLOSE,      /* close a modal screen */
    UI_ACT_TEXT_SIZE,  /* larger text for this visitor, or back */
    UI_ACT_SCROLL,     /* arg: -1 more above, +1 more below (page view) */
};

enum ui_widget_style {
    UI_STYLE_BUTTON, /* icon beside a label */
    UI_STYLE_TILE,   /* large pictogram over a label */
    UI_STYLE_AREA,   /* invisible: a whole region (attract) */
    UI_STYLE_LINK,   /* a secondary action: icon beside an underlined label, no fill */
};

enum ui_tone {
    UI_TONE_NORMAL, /* surface colour */
    UI_TONE_ACCENT, /* the call action */
    UI_TONE_EXIT,   /* quick exit */
};

struct ui_widget {
    char id[40]; /* for scripts: `tap @id`, `expect focus id` */
    SDL_Rect r;
    enum ui_widget_style style;
    enum ui_tone tone;
    enum ui_action action;
    int arg;
    char label[512];               /* already translated and expanded */
    const struct lang *label_lang; /* language the label is in */
    char icon[64];                 /* assets/icons/<icon>, or "" */
    bool mirror_icon;              /* direction-implying icon in a right-to-left language */
    bool selected;
};

/* Cleared at every quick exit, idle reset and return to attract (docs/design.md 2.4). */
struct ui_session {
    const struct lang *lang;
    /* the call, if any: hung up by every reset */
    bool call_active;       /* dialled and not yet ended or failed */
    struct call_event call; /* the last event (state, failure, reason) */
    uint64_t call_since_ms; /* when the current state began (connected: elapsed time) */
    int volume;             /* percent; starts at the configured level each session */
    bool keypad_open;
    bool high_contrast_toggled;
    int page;                               /* content page index shown by the page screen */
    int scroll;                             /* page scroll offset, pixels */
    const struct content_page *scroll_page; /* the page scroll belongs to */
    uint64_t last_input_ms;
    uint64_t idle_deadline_ms; /* idle warning: reset at this time */
    unsigned shift_count;
    uint64_t shift_first_ms;
    const struct ui_screen *back_to;     /* where "back" goes from page and call-info */
    const struct ui_screen *lang_return; /* where the language screen goes back to */
    bool speech_mode;                    /* every control that gets focus is spoken (speak.c) */
    bool large_text;                     /* the visitor asked for larger text */
    bool read_counted;                   /* read-aloud was used and counted in this session */
};

struct ui_theme {
    SDL_Color bg, surface, surface_pressed, text, muted, accent, accent_text, exit, exit_text,
        focus, border, shade, highlight;
    bool borders; /* high contrast: outline every control */
};

struct ui_metrics {
    float px_per_mm;
    int target;  /* smallest touch target, >= 20 mm */
    int body_px; /* body text size: capitals >= 4.8 mm */
    int title_px;
    int head_px;
    int margin;
    int gap;
    int control_h; /* height of buttons: a touch target that holds a line of body text */
    int bar_h;     /* top bar height */
    int radius;
};

struct ui_screen {
    const char *name;
    /* Called when the screen becomes current (not when a modal on top of it closes). */
    void (*enter)(struct ui *ui);
    /* Called when another screen replaces it. */
    void (*leave)(struct ui *ui);
    /* Build widgets for the current size, language and theme (after enter and on changes). */
    void (*layout)(struct ui *ui);
    /* An activation, scroll or key the core did not handle; true if handled. */
    bool (*event)(struct ui *ui, const struct ui_event *ev);
    /* Time passed; request redraws with ui->dirty and wake-ups with ui_wake_at(). */
    void (*tick)(struct ui *ui, uint64_t now_ms);
    /* Draw from state only; no state changes. */
    void (*draw)(struct ui *ui);
    /* Snapshots only, optional: after the session got the language and page asked for and
     * before the screen is entered, make it worth looking at (a connected call, a countdown
     * over the screen below), as the pose as, one of poses (NULL when the screen lists none).
     * False when it cannot be shown so (message in err). */
    bool (*pose)(struct ui *ui, const char *as, char *err, size_t errlen);
    /* The states a snapshot can show it in (snapshot --pose, each one checked by check-layout),
     * ending with NULL; the first is shown when none is asked for. NULL: one state. */
    const char *const *poses;
    /* Optional: what read-aloud reads, in reading order, through ui_read_add(). Without it the
     * screen has no read-aloud button. */
    void (*read)(struct ui *ui);
    bool modal;      /* drawn over the screen below it, which is not left */
    bool shows_page; /* shows one content page (ui->s.page): checked once for every page */
    /* The screen's own state, reached with ui_screen_state(): state_size bytes, zeroed when the
     * UI is made and kept across visits (enter sets what starts afresh); release (optional)
     * frees what it holds when the UI goes, the core frees the rest. */
    size_t state_size;
    void (*release)(struct ui *ui);
};

enum ui_event_type {
    UI_EV_ACTIVATE,   /* widget */
    UI_EV_SCROLL,     /* dy pixels, positive: content moves up (read further) */
    UI_EV_KEY,        /* key */
    UI_EV_TOUCH,      /* any press or key (attract wakes on it); true from the screen: consumed */
    UI_EV_HOLD,       /* widget touched and held UI_HOLD_MS; true from the screen: no tap */
    UI_EV_SCROLL_END, /* a drag that scrolled was let go */
};

#define UI_HOLD_MS 700

struct ui_event {
    enum ui_event_type type;
    const struct ui_widget *widget;
    int dy;
    bool drag; /* UI_EV_SCROLL: from a finger's drag (settles at UI_EV_SCROLL_END) */
    SDL_Keycode key;
};

struct ui_text_check {
    SDL_Rect ink; /* where the text's pixels are */
    SDL_Rect box; /* where it had to fit */
    char what[64];
    bool overflow;
};

/* The layout check (snapshot, check-layout): what was drawn this frame and what is wrong. */
struct ui_check {
    bool on;
    struct ui_text_check texts[UI_MAX_TEXT_CHECKS]; /* the texts drawn so far this frame */
    int n_texts;
    char problems[UI_MAX_PROBLEMS][256];
    int n_problems;
    int n_over;    /* problems found beyond UI_MAX_PROBLEMS: counted, not kept */
    SDL_Rect clip; /* current clip for checks (scroll viewport), w = 0: none */
};

/* Timing for benchmarks and scripts (bench.c). */
struct ui_bench {
    bool first_frame_exit; /* print the time from exec to the first frame, then stop */
    uint64_t frames;       /* presented so far */
    /* quick-exit latency: from the input event (SDL ticks) to the attract frame presented */
    Uint32 ev_ticks; /* timestamp of the event being handled */
    Uint32 qe_ticks; /* 0: no quick exit waiting for its frame */
    Uint32 qe_latency_ms;
    bool qe_measured;
};

/* What is being read aloud (speak.c): sentences in reading order, which one is heard. */
#define UI_READ_MAX 256
struct ui_read_sentence {
    const struct lang *lang;
    char *text;     /* owned */
    char key[40];   /* the clip's name (speech_key), "" for none */
    int block;      /* the page view's block it is in; UI_READ_TITLE; UI_READ_NONE: not on a page */
    int start, end; /* UTF-16 offsets in the block's text */
};
enum { UI_READ_TITLE = -1, UI_READ_NONE = -2 };
struct ui_reading {
    struct ui_read_sentence s[UI_READ_MAX];
    unsigned n;
    bool on; /* started, not stopped or finished (paused is on) */
    bool paused;
    bool into_call;          /* a phrase: spoken into the call, not on the speaker */
    bool screen_text;        /* the screen's text (highlighted), not a label or a message */
    unsigned cur;            /* the sentence being heard */
    unsigned next;           /* the first not yet handed to the speech worker */
    uint32_t gen;            /* in every tag: audio of an older reading is not counted */
    uint64_t quiet_since_ms; /* nothing heard and nothing being made since, 0: audio going */
    bool moved;              /* cur changed: a page view brings it into sight */
    char focus_said[40];     /* speech mode: the control last spoken */
    unsigned n_in_text;      /* sentences of the text being added so far (their clip keys) */
};

struct ui {
    const struct config *cfg;
    struct i18n *i18n;
    struct content *content;
    struct text_engine *text;
    char data_dir[PATH_MAX];
    struct content_vars vars;
    /* what vars.hours and vars.interpreters point to, for promises_lang (promises.c) */
    const struct lang *promises_lang;
    char hours_text[1024], languages_text[1024];
    bool hotline_open; /* at the last layout: a change lays the screen out again (ui_tick) */

    SDL_Window *window;
    SDL_Renderer *renderer;
    int w, h;
    bool kiosk;
    bool headless;

    const struct lang *langs[CONFIG_MAX_LANGS]; /* enabled, in configured order */
    unsigned n_langs;
    const struct lang *default_lang;

    struct ui_metrics m;
    struct ui_theme theme;

    const struct ui_screen *screen;
    const struct ui_screen *under; /* the screen below a modal one */
    char under_focus[40];          /* the id focused on it when the modal came, "" for none */
    struct ui_widget widgets[UI_MAX_WIDGETS];
    int n_widgets;
    struct ui_widget spare_widget; /* what ui_widget_add() returns past the cap: never shown */
    int focus;                     /* widget index, -1: none */
    bool focus_visible;            /* after keyboard use */
    int pressed;                   /* widget under a press, -1: none */
    bool dragging;
    int down_x, down_y, last_y;
    uint64_t down_ms; /* when the press began (touch and hold) */
    SDL_FingerID finger;
    bool finger_down;

    struct ui_session s;

    void **screen_state; /* one per screen of the registry (screens.c) */
    SDL_Rect viewport; /* the current screen's scrolling area, where a drag scrolls; w = 0: none */

    bool dirty;
    bool relayout;
    void (*on_first_frame)(struct ui *ui, void *arg);
    void *on_first_frame_arg;
    bool quit;
    uint64_t wake_ms; /* next tick wanted, 0: none */

    struct ui_bench bench;
    struct ui_check check;

    struct ui_reading read;
    struct speech *speech;                  /* NULL: no speech on this kiosk */
    _Atomic(struct call_engine *) speech_e; /* where the speech worker sends audio */
    _Atomic unsigned speech_errors;         /* audio the output refused (speak.c) */

    struct ui_icon *icons;
    struct counts *counts;    /* NULL: counting is off (include/openline/counts.h) */
    struct call_engine *call; /* NULL: calls are unavailable on this kiosk */
    /* Snapshots only (a pose): ui_calls_available() says yes with call NULL, to show the screens
     * of a kiosk that calls; whatever would reach the engine checks call first. Cleared by
     * ui_snapshot(). */
    bool calls_posed;
    /* Snapshots only: the hotline answers (UI_HOURS_POSED_OPEN, every snapshot unless its pose
     * says otherwise: pixels never depend on the hour they were made) or is out of its hours
     * (UI_HOURS_POSED_CLOSED); 0: the configured hours and the clock (ui_hotline_open). */
    enum { UI_HOURS_REAL, UI_HOURS_POSED_OPEN, UI_HOURS_POSED_CLOSED } hours_posed;
    const struct call_api *call_api; /* the plug-in's functions, set with call */
    SDL_Texture *qr;                 /* QR code of the hotline (tel: link), made once */
    SDL_Rect exit_rect;              /* where the top bar put the quick exit, w = 0: none */
};

/* The screen registry: one line per screen, ui_screen_<name> defined in
 * app/ui/screen_<name>.c. Declared here and listed in screens.c from this line alone; the order
 * is check-layout's. */
#define UI_SCREENS(X)                                                                              \
    X(attract)                                                                                     \
    X(language)                                                                                    \
    X(home)                                                                                        \
    X(page)                                                                                        \
    X(call_info)                                                                                   \
    X(idle_warning)                                                                                \
    X(call)                                                                                        \
    X(call_failed)                                                                                 \
    X(phrases)

#define UI_SCREEN_DECLARE(name) extern const struct ui_screen ui_screen_##name;
UI_SCREENS(UI_SCREEN_DECLARE)
#undef UI_SCREEN_DECLARE

/* What the display shows ("on"; on attract also "dim" after attract_dim_after, "off" in
 * [display] off_hours): for play's `expect display`. */
const char *ui_attract_display(const struct ui *ui);

/* Speech (speak.c). Everything spoken goes through one reading: a screen's text, a control in
 * speech mode, a language's name, attract's line, a phrase into the call. A new one replaces the
 * one before. */
/* True when text in lang can be spoken here: speech on, a voice or clips, an audio output. */
bool ui_speech_can(const struct ui *ui, const struct lang *lang);
/* Read the current screen (its read hook) from sentence from; counts read-aloud once. */
void ui_read_screen(struct ui *ui, unsigned from);
/* Whether what Read aloud would read on this screen (its text as drawn) has a sentence holding
 * needle (UTF-8, bold markers removed): 1 or 0, -1 for a screen without text to read. For
 * scripts (`expect text`); a reading under way is left as it was. */
int ui_read_contains(struct ui *ui, const char *needle);
/* Add text (translated, expanded) in lang from msgid to the reading being made, as the page
 * view's block (UI_READ_TITLE, UI_READ_NONE): the screens' read hooks call this. */
void ui_read_add(struct ui *ui, const struct lang *lang, const char *text, const char *msgid,
                 int block);
void ui_read_pause(struct ui *ui);
/* Stop whatever is spoken, at once (quick exit, leaving a screen, a call starting). */
void ui_read_stop(struct ui *ui);
/* Say msgid's translation (or text when msgid is NULL) in lang: a message, a label. */
void ui_say(struct ui *ui, const struct lang *lang, const char *text, const char *msgid);
/* A phrase into the connected call: text in lang, heard by the counsellor. */
void ui_say_into_call(struct ui *ui, const struct lang *lang, const char *text, const char *msgid);
/* Speech mode on: the intro said, focus shown and every focused control spoken. */
void ui_speech_mode_on(struct ui *ui);
/* True while the visitor hears speech (or it is being made for them). */
bool ui_speaking(const struct ui *ui);
/* The sentence being heard: its index in the reading, -1 when not speaking. */
int ui_speaking_sentence(const struct ui *ui);
/* Time passed (ui_tick) and input handled (ui_step): progress, the next run, speech mode. */
void ui_speech_tick(struct ui *ui, uint64_t now);
void ui_speech_after_input(struct ui *ui);
/* Keys of a USB keypad and the help key (speech mode); true when handled. */
bool ui_speech_key(struct ui *ui, SDL_Keycode key);
/* True when the phrases screen can be offered in this call (screen_phrases.c). */
bool ui_phrases_available(const struct ui *ui);
/* The language tapped phrases are heard in: [hotline] language, or the visitor's when a
 * uri.LANG hotline answers them. */
const struct lang *ui_hotline_lang(const struct ui *ui);

/* Timing (bench.c): print the time from exec to the first frame (--first-frame-exit); a quick
 * exit begins (at the input event being handled); a frame was presented (ends a quick exit's
 * measurement when it shows attract). */
void ui_bench_first_frame_print(const struct ui *ui);
void ui_bench_quick_exit(struct ui *ui);
void ui_bench_presented(struct ui *ui);

/* Calls (call.c): place the call in the visitor's language; hang up (also on every reset). */
void ui_call_dial(struct ui *ui);
void ui_call_hangup(struct ui *ui);
/* The SDL event type of call events (registered on first use). */
Uint32 ui_call_event_type(void);
/* Free the copies of call events still queued when the UI stops reading (the call engine is
 * stopped first, so none come after). */
void ui_call_drain_events(void);
/* An event from the call thread, on the UI thread. */
void ui_call_on_event(struct ui *ui, const struct call_event *ev);
/* True when this kiosk can place calls (an engine and a working audio device). */
bool ui_calls_available(const struct ui *ui);

/* Promises about the hotline (promises.c): ui->vars' facts, {hours} and {interpreters} for the
 * visitor's language, made again when the language changes (before every layout). */
void ui_promises_update(struct ui *ui);
/* Whether the hotline answers now ([organisation] hours in local time; not set: always); a
 * snapshot's "closed" pose says no. */
bool ui_hotline_open(const struct ui *ui);
/* The msgid of the call's label on home and the pages: the call, or, out of hours, the other
 * ways to get help. */
const char *ui_call_label(const struct ui *ui);

/* The ways to get help without this kiosk: number, SMS, web and a QR code (contact.c), laid out
 * in the state of the screen that shows them. */
#define UI_CONTACT_LINES 5
struct ui_contact_view {
    SDL_Rect qr;
    SDL_Rect lines[UI_CONTACT_LINES];
    char text[UI_CONTACT_LINES][256];
    const struct lang *lang[UI_CONTACT_LINES];
    const char *msgid[UI_CONTACT_LINES];
    bool bold[UI_CONTACT_LINES]; /* larger and bold: the number, or a line alone */
    int n;
};
/* Lay out in area (top to bottom); returns the height used. code_only: the QR code and the line
 * saying what it does, where the page above already lists the number, SMS and web address. */
int ui_contact_layout(struct ui *ui, struct ui_contact_view *cv, SDL_Rect area, bool code_only);
/* Out of the hotline's hours: that it is closed, its hours, and the ways to get help that do
 * not need it (SMS, web, the emergency number), in area's width without a code. Returns the
 * height used. */
int ui_contact_closed_layout(struct ui *ui, struct ui_contact_view *cv, SDL_Rect area);
void ui_contact_draw(struct ui *ui, const struct ui_contact_view *cv);
/* Read-aloud: its lines, in order. */
void ui_contact_read(struct ui *ui, const struct ui_contact_view *cv);
/* The QR code's texture, made once for the UI. */
void ui_contact_free(struct ui *ui);

/* Each screen's state (struct ui_screen's state_size), made with the UI and freed with it:
 * 0 or ENOMEM (screens.c). */
int ui_screens_alloc(struct ui *ui);
void ui_screens_free(struct ui *ui);
/* The state of screen sc in this UI; never NULL after ui_screens_alloc(). */
void *ui_screen_state(const struct ui *ui, const struct ui_screen *sc);

/* The screen called name (struct ui_screen's name, e.g. call-info), or NULL (screens.c). */
const struct ui_screen *ui_screen_by_name(const char *name);
/* Every screen's name, ", " between them, into buf (for messages saying what is accepted). */
void ui_screen_names(char *buf, size_t len);

/* The one function that switches screens. A modal screen keeps the current one below it. */
void ui_switch(struct ui *ui, const struct ui_screen *to);

/* Leave a modal screen and return to the one below it. */
void ui_close_modal(struct ui *ui);

/* Quick exit and idle reset: clear the session and show attract (docs/design.md 2.4). */
void ui_reset(struct ui *ui);

/* Process queued events, tick, and draw if anything changed (the loop's body; play uses it). */
void ui_step(struct ui *ui);
/* Draw the current screen and present it. */
void ui_draw(struct ui *ui);
/* Save what the renderer shows as PNG at path: 0, ENOMEM or EIO (message in err). */
int ui_save_png(struct ui *ui, const char *path, char *err, size_t errlen);

/* Ask for a tick at ms (monotonic or virtual clock). */
void ui_wake_at(struct ui *ui, uint64_t ms);

/* Translate msgid into the visitor's language (English fallback). */
const char *ui_tr(const struct ui *ui, const char *msgid);
/* The language ui_tr(msgid) is in: the visitor's, or English where it has no translation. */
const struct lang *ui_tr_lang(const struct ui *ui, const char *msgid);
/* The visitor's language, or the default one. */
const struct lang *ui_lang(const struct ui *ui);
bool ui_rtl(const struct ui *ui);

/* Widgets. ui_widget_add() never returns NULL: a screen's widgets beyond UI_MAX_WIDGETS - 1
 * (the last slot is the quick exit's) are left out, logged and reported by the layout check,
 * and the widget returned then is a spare that is never drawn or touched. */
void ui_widgets_clear(struct ui *ui);
struct ui_widget *ui_widget_add(struct ui *ui, const char *id, SDL_Rect r,
                                enum ui_widget_style style, enum ui_action action, int arg);
const struct ui_widget *ui_widget_find(const struct ui *ui, const char *id);
/* Label w with msgid in the visitor's language (and the language it is in), and with the
 * pictogram icon (assets/icons/<icon>; NULL: none). */
void ui_widget_label(const struct ui *ui, struct ui_widget *w, const char *msgid, const char *icon);

/* Top bar: back (optional), language (optional), contrast (optional), quick exit; mirrored for
 * right-to-left languages. Returns the bar's bottom edge. */
enum {
    UI_BAR_BACK = 1,
    UI_BAR_LANGUAGE = 2,
    UI_BAR_CONTRAST = 4,
    UI_BAR_READ = 8,       /* read-aloud, or pause and stop while reading (when it can speak) */
    UI_BAR_TEXT_SIZE = 16, /* larger text */
};
int ui_bar_layout(struct ui *ui, unsigned flags);
/* Height of a button whose label is in lang: a touch target, and tall enough for the script. */
int ui_button_h(struct ui *ui, const struct lang *lang);
/* Height of a button of width w with an icon and the label of msgid, wrapping when it must. */
int ui_button_h_for(struct ui *ui, const char *msgid, int w);
/* Add the quick exit where ui_bar_layout() placed it (the core does this after each layout). */
void ui_exit_add(struct ui *ui);

/* Drawing helpers */
void ui_fill(struct ui *ui, SDL_Rect r, SDL_Color c);
void ui_fill_round(struct ui *ui, SDL_Rect r, int radius, SDL_Color c);
void ui_frame(struct ui *ui, SDL_Rect r, int thickness, SDL_Color c);
/* A ring between radii r_in and r_out (pixels) around centre; r_in 0: a disc. */
void ui_fill_ring(struct ui *ui, SDL_FPoint centre, float r_in, float r_out, SDL_Color c);
void ui_clear(struct ui *ui);
void ui_draw_widgets(struct ui *ui);
void ui_draw_widget(struct ui *ui, const struct ui_widget *w);
void ui_draw_icon(struct ui *ui, const char *name, SDL_Rect r, SDL_Color c, bool mirror);

/* Lay out text to fit box: at px, shrinking down to min_px if needed (never below the body
 * minimum), then bold text in regular weight at min_px. The result is cached by the text
 * engine. */
const struct text_layout *ui_text_fit(struct ui *ui, const char *text, const struct lang *lang,
                                      int px, int min_px, bool bold, SDL_Rect box,
                                      enum text_align align);
/* Draw a layout in box (vertically centred when valign_center), recording it for layout checks. */
void ui_text_draw(struct ui *ui, const struct text_layout *l, SDL_Rect box, bool valign_center,
                  SDL_Color c, const char *what);

/* Set the clip rectangle for drawing and checks (NULL: none). */
void ui_clip(struct ui *ui, const SDL_Rect *r);

/* Record a layout problem found while drawing (snapshot reports them). */
void ui_problem(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Layout check: a text whose ink is at ink, in its box, named what: reported when it overlaps a
 * text drawn before it this frame, then recorded. Past UI_MAX_TEXT_CHECKS texts in a frame, the
 * first one left unrecorded is reported (the rest could overlap unseen). */
void ui_check_text(struct ui *ui, SDL_Rect ink, SDL_Rect box, const char *what);

/* Theme for the current session (configured theme, or toggled by the visitor). */
void ui_theme_apply(struct ui *ui);
/* Pixels per millimetre of a w x h window filling the panel of cfg: from [display] diagonal_mm
 * when given (the same in portrait and landscape), else from width_mm (the window's width). */
float ui_px_per_mm(const struct config *cfg, int w, int h);
/* Compute metrics for the window size and the panel's physical size (ui_px_per_mm). */
void ui_metrics_compute(struct ui *ui);

/* The scrolling content view of the page and call-info screens, each of which keeps one in its
 * state (page_view.c). A page's blocks beyond UI_PAGE_MAX_BLOCKS are left out, logged and
 * reported by the layout check. */
#define UI_PAGE_MAX_BLOCKS 96
struct ui_page_block {
    char *text; /* translated and expanded; owned */
    enum content_block_type type;
    const char *msgid;       /* the English source (the content's) */
    const struct lang *lang; /* the visitor's, or English where untranslated */
    SDL_Rect box;            /* in content coordinates (y from the top of the content) */
    int px;
    bool bold;
    const char *icon; /* an item's pictogram (the content's), "" for the bullet */
    SDL_Rect icon_box;
};
/* A line of text or a pictogram, in content coordinates: a scroll position never cuts one at the
 * viewport's edges. */
struct ui_page_line {
    int top, bottom;
};
#define UI_PAGE_MAX_LINES 1024
struct ui_page_view {
    const struct content_page *page; /* NULL: nothing laid out */
    char *title;                     /* owned */
    const char *title_msgid;
    const struct lang *title_lang;
    SDL_Rect title_box, icon_box;
    struct ui_page_block blocks[UI_PAGE_MAX_BLOCKS];
    int n;
    int content_h; /* full height of the page's content */
    struct ui_page_line lines[UI_PAGE_MAX_LINES];
    int n_lines;
    int max_scroll;   /* the last scroll position, one that cuts no line */
    int col_x, col_w; /* the text column */
    SDL_Rect lane;    /* beside it at the end edge: the arrows and where the page is */
};
/* The column a page's text takes in viewport (x and w; y and h are the viewport's): what is
 * shown under a page lines up with it. */
SDL_Rect ui_page_column(const struct ui *ui, SDL_Rect viewport);
/* Lay out pg in viewport (which becomes ui->viewport, where drags scroll). */
void ui_page_layout(struct ui *ui, struct ui_page_view *pv, const struct content_page *pg,
                    SDL_Rect viewport);
void ui_page_draw(struct ui *ui, const struct ui_page_view *pv);
/* Read-aloud: the page's title and blocks in reading order (a read hook); and, when the
 * sentence heard moved on, scroll it into sight (a tick). */
void ui_page_read(struct ui *ui, const struct ui_page_view *pv);
void ui_page_follow(struct ui *ui, const struct ui_page_view *pv);
/* Scrolling by drag, wheel, keys and the arrow buttons (scroll-up, scroll-down: UI_ACT_SCROLL);
 * at rest no line is cut at the viewport's edges. True when ev was handled. */
bool ui_page_scroll_event(struct ui *ui, const struct ui_page_view *pv, const struct ui_event *ev);
/* Free what pv holds and forget the page; the drag area goes with it. */
void ui_page_free(struct ui *ui, struct ui_page_view *pv);

/* Icons, kept by most recent use within ui_icon_budget() bytes (half a screen of pixels). */
void ui_icons_free(struct ui *ui);
size_t ui_icons_bytes(const struct ui *ui);
size_t ui_icon_budget(const struct ui *ui);

/* Memory the process holds (memstat.c), for scripted soaks and the benchmark. */
struct ui_mem {
    size_t rss, hwm;              /* resident now and at most so far (/proc/self/status) */
    size_t heap_used, heap_free;  /* malloc'd and held by glibc but free, all arenas */
    struct text_cache_usage text; /* the layout cache */
    size_t icons, icons_budget;   /* the pictogram cache */
};
int ui_mem_sample(const struct ui *ui, struct ui_mem *m);
/* Return the heap's free pages to the system (tens of ms): when no visitor is there. */
void ui_mem_trim(void);

#endif
