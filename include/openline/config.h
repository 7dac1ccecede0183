/* The kiosk's configuration: one INI file, parsed once into a read-only struct.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_CONFIG_H
#define OPENLINE_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openline/hours.h"

#define CONFIG_DEFAULT_PATH "/etc/openline/openline.conf"
#define CONFIG_MAX_LANGS    32
#define CONFIG_LANG_LEN     16
#define CONFIG_ERR_LEN      512
#define CONFIG_URI_LEN      256

enum config_transport {
    CONFIG_TRANSPORT_UDP,
    CONFIG_TRANSPORT_TCP,
    CONFIG_TRANSPORT_TLS,
};

enum config_srtp {
    CONFIG_SRTP_AUTO,      /* mandatory when SIP runs over TLS, off otherwise */
    CONFIG_SRTP_MANDATORY, /* RTP/SAVP with SDES keys on every transport */
    CONFIG_SRTP_OFF,       /* plain RTP (on TLS only with allow_plain_rtp = yes) */
};

enum config_audio_driver {
    CONFIG_AUDIO_PORTAUDIO,
    CONFIG_AUDIO_WAV,  /* test driver: capture reads a WAV, playback writes one */
    CONFIG_AUDIO_NULL, /* test driver: silence in, nothing out */
};

/* One per-language hotline ([hotline] uri.LANG = ...). */
struct config_lang_uri {
    char lang[CONFIG_LANG_LEN];
    char uri[CONFIG_URI_LEN];
};

/* [counts]: the time bucket counts are summed in, and the noise added when it closes. */
enum config_bucket {
    CONFIG_BUCKET_WEEK, /* ISO week, Monday 00:00 UTC */
    CONFIG_BUCKET_DAY,  /* one UTC day */
};

enum config_noise {
    CONFIG_NOISE_GEOMETRIC, /* two-sided geometric noise with epsilon (docs/design.md 7) */
    CONFIG_NOISE_NONE,      /* exact counts: tests and labs only; self-test warns */
};

enum config_theme {
    CONFIG_THEME_STANDARD,
    CONFIG_THEME_HIGH_CONTRAST,
};

/* A fact about the hotline the kiosk may promise ([organisation] independent_of_police ...).
 * Unset: the kiosk says nothing about it. */
enum config_fact {
    CONFIG_FACT_UNSET,
    CONFIG_FACT_YES,
    CONFIG_FACT_NO,
};

/* [organisation] interpreters: which languages the hotline can answer in beyond its own. */
enum config_interpreters {
    CONFIG_INTERPRETERS_UNSET, /* nothing is said */
    CONFIG_INTERPRETERS_ALL,   /* yes: an interpreter for any language */
    CONFIG_INTERPRETERS_NONE,  /* no: only the hotline's language ([hotline] language) */
    CONFIG_INTERPRETERS_LIST,  /* the languages in interpreter_langs */
};

/* [organisation] mandatory_reporting: 0 = unset (nothing is said), else these bits. */
#define CONFIG_REPORT_NONE     1u /* "none": no duty to report; the visitor decides */
#define CONFIG_REPORT_CHILDREN 2u /* a child who may be in danger must be reported */
#define CONFIG_REPORT_DANGER   4u /* someone in immediate danger must be reported */

struct config {
    char path[PATH_MAX]; /* the file this came from; "" for built-in defaults */

    struct {
        char languages[CONFIG_MAX_LANGS][CONFIG_LANG_LEN]; /* enabled, in screen order */
        unsigned n_languages;
        char default_language[CONFIG_LANG_LEN]; /* attract and reset; one of languages */
        uint64_t idle_timeout_ms;               /* no input this long: the idle warning */
        uint64_t idle_warning_ms;               /* countdown shown before the reset, >= 20 s */
        uint64_t attract_cycle_ms;              /* attract message changes language this often */
        uint64_t attract_dim_ms;                /* attract screen goes dark after this (0: never) */
        uint64_t quick_exit_window_ms;          /* Shift pressed 3 times within this = quick exit */
    } kiosk;

    struct {
        unsigned width_mm;    /* physical width of the visible screen area, millimetres */
        unsigned diagonal_mm; /* its diagonal, millimetres, whatever the orientation; 0: not
                               * given (width_mm is used) */
        bool fullscreen;      /* kiosk mode; `--kiosk` / `--windowed` override */
        unsigned window_w;    /* windowed size in pixels */
        unsigned window_h;
        enum config_theme theme;
        struct hours off_hours; /* local times the display is off (not set: always on) */
    } display;

    struct {
        char name[128];     /* shown as "a counsellor from <name>" */
        char hotline[40];   /* the number to call, as printed */
        char sms[40];       /* SMS number, "" if none */
        char web[256];      /* web address, "" if none */
        char emergency[40]; /* the local emergency number, "" if none */
        /* What the kiosk may promise about the hotline (docs/design.md, "Promises"): each
         * sentence is shown only when its fact is stated here. */
        enum config_fact independent_of_police;
        enum config_fact independent_of_immigration;
        enum config_interpreters interpreters;
        char interpreter_langs[CONFIG_MAX_LANGS][CONFIG_LANG_LEN]; /* CONFIG_INTERPRETERS_LIST */
        unsigned n_interpreter_langs;
        unsigned mandatory_reporting; /* CONFIG_REPORT_* bits; 0: not stated */
        struct hours hours;           /* when the hotline answers; not set: always called */
    } organisation;

    struct {
        char data_dir[PATH_MAX]; /* holds assets/ and locales/; "" = found next to the binary */
    } paths;

    struct {
        char uri[CONFIG_URI_LEN];           /* primary hotline; "" = calls not configured */
        char secondary_uri[CONFIG_URI_LEN]; /* tried when the primary fails; "" = none */
        struct config_lang_uri lang_uris[CONFIG_MAX_LANGS]; /* uri.LANG overrides */
        unsigned n_lang_uris;
        enum config_transport transport; /* when the URI names none (;transport= or sips:) */
        char ca_file[PATH_MAX];          /* PEM bundle the TLS server must chain to */
        enum config_srtp srtp;
        bool allow_plain_rtp; /* TLS signalling with unencrypted media */
        char username[128];   /* digest credentials, "" = none */
        char password[128];
        char registrar[CONFIG_URI_LEN]; /* "" = the primary URI's host */
        bool do_register;               /* key "register" */
        uint64_t register_interval_ms;  /* registration expiry asked for; refreshed at 90 % */
        uint64_t no_answer_timeout_ms;  /* ringing this long: no answer */
        uint64_t connect_timeout_ms;    /* no reply at all this long: unreachable */
        uint64_t media_timeout_ms;      /* no RTP nor RTCP this long mid-call: lost */
        char local_address[64];         /* IP to bind SIP and RTP; "" = towards the hotline */
        unsigned local_port;            /* SIP over UDP and TCP (TLS: +1); 0 = any free port */
        unsigned rtp_port_min;
        unsigned rtp_port_max;
        uint64_t jitter_ms;             /* playout delay kept in front of the loudspeaker */
        char language[CONFIG_LANG_LEN]; /* counsellors answer in it: tapped phrases are spoken in
                                         * it (a uri.LANG hotline answers in LANG) */
    } hotline;

    struct {
        enum config_audio_driver driver;
        char device[128];                 /* PortAudio device name (substring); "" = default */
        char capture_file[PATH_MAX];      /* wav driver: what the microphone hears */
        char playback_file[PATH_MAX];     /* wav driver: what the loudspeaker plays */
        unsigned volume;                  /* percent, 0..100; restored after every call */
        bool echo_cancel;                 /* speexdsp echo canceller on the microphone */
        bool noise_suppression;           /* speexdsp noise suppression on the microphone */
        uint64_t wav_room_delay_ms;       /* wav driver: loudspeaker heard by the mic after this */
        unsigned wav_room_attenuation_db; /* ... this many dB quieter (room simulation) */
        char wav_room_impulse[PATH_MAX];  /* ... through this impulse response ("" = none) */
        char wav_room_noise[PATH_MAX];    /* wav driver: noise the microphone hears, looped */
    } audio;

    struct {
        char collector[CONFIG_URI_LEN]; /* base URL of openline-stats; "" = counting off */
        char token_file[PATH_MAX];      /* the kiosk's bearer token, private to its user */
        char token[80];                 /* what token_file held when the configuration was read */
        char ca_file[PATH_MAX];         /* PEM certificates the collector must chain to */
        enum config_bucket bucket;
        enum config_noise noise;
        double epsilon;                    /* privacy parameter, 0 < epsilon <= 10 */
        uint32_t epsilon_num, epsilon_den; /* the same as a fraction, for exact sampling */
        char state_dir[PATH_MAX];          /* the spool: counts.db */
    } counts;

    struct {
        bool enabled; /* read-aloud, speech mode and tapped phrases */
        bool attract; /* attract speaks "Touch here for help" with its visual cycle */
    } speech;

    /* Line of each key in the file (0: not set), for later semantic errors. Index:
     * config_key_index() */
    unsigned lines[80];
};

/* Fill cfg with the built-in defaults, each read from the key table as if the file had said it
 * (no organisation: config_load requires one). */
void config_defaults(struct config *cfg);

/* Read and validate path into cfg. On any problem returns EINVAL (bad content) or an errno value
 * (unreadable file), leaves cfg unspecified, and writes one message naming the file, the line,
 * the key and what is accepted into err (errlen bytes). Nothing half-configured is ever returned.
 */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

/* Index of "section.key" into cfg->lines, or -1. */
int config_key_index(const char *section, const char *key);

/* Format an error about an already-parsed key (for checks that need other modules, such as
 * language codes): "FILE:LINE: [section] key: what; accepted: accepted". */
void config_key_error(const struct config *cfg, const char *section, const char *key, char *err,
                      size_t errlen, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The i-th key of the table (0, 1, ... in the reference's order): its section, its name
 * ("uri.LANG" for the per-language addresses) and its default as the file would write it (NULL:
 * none, or not a value). Returns false past the last key. For checks of documentation against the
 * table. */
bool config_key_at(size_t i, const char **section, const char **name, const char **def);

/* Print every section and key with its accepted values and default (the reference in README). */
void config_print_reference(void);

#endif
