/* Configuration: a const table of keys drives parsing, validation, errors and the reference.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <regex.h>
#include <sys/stat.h>
#include <unistd.h>

#include "openline/clock.h"
#include "openline/hours.h"
#include "openline/inifile.h"
#include "openline/util.h"

enum key_type {
    KEY_STRING,       /* printable text, up to size-1 bytes (at least 1 when required) */
    KEY_UINT,         /* whole number in [min, max] */
    KEY_DURATION,     /* "90s", "2m" ...; stored as uint64_t ms in [min, max] ms */
    KEY_BOOL,         /* yes/no, true/false, on/off, 1/0 */
    KEY_CHOICE,       /* one word of the key's choices, stored as its enum value */
    KEY_LANGS,        /* space- or comma-separated language codes, at most max */
    KEY_LANG,         /* one language code */
    KEY_PHONE,        /* digits with + - ( ) and spaces */
    KEY_WEB,          /* web address without spaces */
    KEY_PATH,         /* absolute directory path */
    KEY_FILE,         /* absolute file path (readability is checked where the file is used) */
    KEY_SIP_URI,      /* sip: or sips: URI with a host, as libre decodes it; "" allowed */
    KEY_LANG_URI,     /* [section] NAME.LANG = SIP URI: one per language, stored in a list */
    KEY_IP,           /* IPv4 or IPv6 address literal, or "" */
    KEY_URL,          /* https://host[:port][/path], or http:// to a loopback address; "" allowed */
    KEY_EPSILON,      /* decimal number, 0 < e <= max, at most EPSILON_DECIMALS decimals */
    KEY_INTERPRETERS, /* yes, no, or language codes: enum config_interpreters and the list */
    KEY_REPORTING,    /* none, or kinds of report: CONFIG_REPORT_* bits */
    KEY_HOURS,        /* always, or opening hours (hours.h): struct hours */
};

/* One word of a KEY_CHOICE key and the enum value it stands for (config.h). */
struct choice {
    const char *word;
    unsigned value;
    const char *note; /* shown in brackets after the word in what is accepted; NULL: none */
};

/* Everything about one key. What a person may write (errors, the reference) is generated from
 * it: key_accepted() puts the range or the choices where help says RANGE. */
struct key {
    const char *section;
    const char *name;
    enum key_type type;
    size_t off;         /* into struct config */
    size_t size;        /* of the destination, for strings */
    long long min, max; /* KEY_UINT, KEY_DURATION (ms), KEY_LANGS (how many), KEY_EPSILON (max) */
    const struct choice *choices; /* KEY_CHOICE: ends with a NULL word */
    bool required;
    const char *def;      /* default as written in the file, set by config_defaults(); NULL: none */
    const char *def_note; /* the default in words where it is not a value (NULL: "none") */
    const char *help;
};

#define F(member)                                                                                  \
    .off = offsetof(struct config, member), .size = sizeof(((struct config *)0)->member)
#define RANGE "{range}"

/* config.h's enums are stored through an unsigned. */
_Static_assert(sizeof(enum config_theme) == sizeof(unsigned) &&
                   sizeof(enum config_transport) == sizeof(unsigned) &&
                   sizeof(enum config_srtp) == sizeof(unsigned) &&
                   sizeof(enum config_audio_driver) == sizeof(unsigned) &&
                   sizeof(enum config_bucket) == sizeof(unsigned) &&
                   sizeof(enum config_noise) == sizeof(unsigned) &&
                   sizeof(enum config_fact) == sizeof(unsigned),
               "a KEY_CHOICE field is not the size of an unsigned");

static const struct choice themes[] = {
    {"standard", CONFIG_THEME_STANDARD, NULL},
    {"high-contrast", CONFIG_THEME_HIGH_CONTRAST, NULL},
    {NULL, 0, NULL},
};
static const struct choice transports[] = {
    {"udp", CONFIG_TRANSPORT_UDP, NULL},
    {"tcp", CONFIG_TRANSPORT_TCP, NULL},
    {"tls", CONFIG_TRANSPORT_TLS, NULL},
    {NULL, 0, NULL},
};
static const struct choice srtp_modes[] = {
    {"auto", CONFIG_SRTP_AUTO, "encrypted media whenever SIP runs over TLS"},
    {"mandatory", CONFIG_SRTP_MANDATORY, NULL},
    {"off", CONFIG_SRTP_OFF, NULL},
    {NULL, 0, NULL},
};
static const struct choice drivers[] = {
    {"portaudio", CONFIG_AUDIO_PORTAUDIO, "the sound card"},
    {"wav", CONFIG_AUDIO_WAV, "test driver: WAV files"},
    {"null", CONFIG_AUDIO_NULL, "test driver: silence"},
    {NULL, 0, NULL},
};
static const struct choice buckets[] = {
    {"week", CONFIG_BUCKET_WEEK, "ISO week from Monday 00:00 UTC"},
    {"day", CONFIG_BUCKET_DAY, "UTC"},
    {NULL, 0, NULL},
};
static const struct choice noises[] = {
    {"geometric", CONFIG_NOISE_GEOMETRIC, "privacy noise on every count"},
    {"none", CONFIG_NOISE_NONE, "exact counts: tests and labs only"},
    {NULL, 0, NULL},
};

static const struct choice facts[] = {
    {"yes", CONFIG_FACT_YES, "the kiosk says so"},
    {"no", CONFIG_FACT_NO, "the kiosk says nothing"},
    {NULL, 0, NULL},
};

#define EPSILON_DECIMALS 6
#define ACCEPTED_LEN     512
#define STR_(x)          #x
#define STR(x)           STR_(x)

/* Table entries by kind of key. RANGE in help stands for what min and max or the choices allow;
 * def is the default as the file would say it (NULL: none), def_note the default in words where
 * it is not a value. */
#define RANGED(sec, nm, t, field, lo, hi, d, h)                                                    \
    {                                                                                              \
        .section = sec, .name = nm, .type = t, F(field), .min = lo, .max = hi, .def = d, .help = h \
    }
#define BOOL(sec, nm, field, d, h)                                                                 \
    {                                                                                              \
        .section = sec, .name = nm, .type = KEY_BOOL, F(field), .def = d, .help = h                \
    }
#define CHOICE(sec, nm, field, ch, d, h)                                                           \
    {                                                                                              \
        .section = sec, .name = nm, .type = KEY_CHOICE, F(field), .choices = ch, .def = d,         \
        .help = h                                                                                  \
    }
#define TEXT(sec, nm, t, field, d, dn, h)                                                          \
    {                                                                                              \
        .section = sec, .name = nm, .type = t, F(field), .def = d, .def_note = dn, .help = h       \
    }
#define REQUIRED(sec, nm, t, field, h)                                                             \
    {                                                                                              \
        .section = sec, .name = nm, .type = t, F(field), .required = true, .help = h               \
    }

/* A fact the kiosk may promise about the hotline ([organisation]): unset by default. */
#define FACT(nm, field, h)                                                                         \
    {                                                                                              \
        .section = "organisation", .name = nm, .type = KEY_CHOICE, F(field), .choices = facts,     \
        .def_note = "unset: nothing is said", .help = RANGE ": " h                                 \
    }

/* Every key the kiosk understands, section by section in the reference's order; the sections
 * are the ones named here. The one place to add a key (ARCHITECTURE.md). */
static const struct key keys[] = {
    {.section = "kiosk",
     .name = "languages",
     .type = KEY_LANGS,
     F(kiosk.languages),
     .min = 1,
     .max = CONFIG_MAX_LANGS,
     .def_note = "every language in locales/languages.ini",
     .help = "language tags, separated by spaces, " RANGE ", each finding a code of "
             "locales/languages.ini (zh and zh-CN find zh-Hans, pt-BR finds pt)"},
    TEXT("kiosk", "default_language", KEY_LANG, kiosk.default_language, "en", NULL,
         "one of the enabled languages (a tag, as for languages)"),
    RANGED("kiosk", "idle_timeout", KEY_DURATION, kiosk.idle_timeout_ms, 15000, 3600000, "90s",
           "a duration " RANGE ", such as 90s or 2m"),
    RANGED("kiosk", "idle_warning", KEY_DURATION, kiosk.idle_warning_ms, 20000, 300000, "30s",
           "a duration " RANGE),
    RANGED("kiosk", "attract_cycle", KEY_DURATION, kiosk.attract_cycle_ms, 1000, 60000, "3s",
           "a duration " RANGE),
    RANGED("kiosk", "attract_dim_after", KEY_DURATION, kiosk.attract_dim_ms, 0, 86400000, "10m",
           "0 (never) or a duration " RANGE ", such as 10m"),
    RANGED("kiosk", "quick_exit_window", KEY_DURATION, kiosk.quick_exit_window_ms, 300, 5000,
           "1500ms", "a duration " RANGE),
    /* a 21.5" 16:9 panel: 546 mm across, 476 mm wide in landscape */
    {.section = "display",
     .name = "diagonal_mm",
     .type = KEY_UINT,
     F(display.diagonal_mm),
     .min = 100,
     .max = 6000,
     .def_note = "width_mm is used",
     .help = "the visible screen's diagonal in millimetres (inches times 25.4), " RANGE
             ": sizes stay the same in portrait and landscape"},
    RANGED("display", "width_mm", KEY_UINT, display.width_mm, 100, 5000, "476",
           "the visible screen width in millimetres as the window is turned, " RANGE
           ", used when diagonal_mm is not given"),
    BOOL("display", "fullscreen", display.fullscreen, "yes", RANGE),
    RANGED("display", "window_width", KEY_UINT, display.window_w, 320, 7680, "1280",
           "pixels, " RANGE),
    RANGED("display", "window_height", KEY_UINT, display.window_h, 240, 4320, "720",
           "pixels, " RANGE),
    CHOICE("display", "theme", display.theme, themes, "standard", RANGE),
    TEXT("display", "off_hours", KEY_HOURS, display.off_hours, NULL, "always on",
         "local times when the display is off, written as [organisation] hours is, such as "
         "22:00-06:00 (times without days: every day) or Mo-Fr 20:00-07:00, Sa-Su 00:00-24:00: "
         "the attract screen is black, a first touch only wakes it, and it goes black again "
         "after idle_timeout without a visitor"),
    REQUIRED("organisation", "name", KEY_STRING, organisation.name,
             "the organisation that answers the hotline, " RANGE),
    REQUIRED("organisation", "hotline", KEY_PHONE, organisation.hotline,
             "a phone number: digits, spaces, + - ( ), at least 3 digits"),
    TEXT("organisation", "sms", KEY_PHONE, organisation.sms, NULL, NULL,
         "a phone number for SMS, or empty"),
    TEXT("organisation", "web", KEY_WEB, organisation.web, NULL, NULL,
         "a web address without spaces, such as example.org/help, or empty"),
    TEXT("organisation", "emergency", KEY_PHONE, organisation.emergency, NULL, NULL,
         "the local emergency number, such as 112, or empty"),
    /* Promises about the hotline: each only where the deployment states the fact (unset: the
     * kiosk says nothing about it). assets/openline.conf.example says why each matters. */
    FACT("independent_of_police", organisation.independent_of_police,
         "the counsellors are not police and do not work for them"),
    FACT("independent_of_immigration", organisation.independent_of_immigration,
         "the counsellors are not immigration officers and do not work for them"),
    {.section = "organisation",
     .name = "interpreters",
     .type = KEY_INTERPRETERS,
     F(organisation.interpreters),
     .max = CONFIG_MAX_LANGS,
     .def_note = "unset: nothing is said",
     .help = "yes (an interpreter for any language at any hour), no (only [hotline] language), "
             "or the language codes the hotline answers in besides its own, separated by "
             "spaces, " RANGE},
    {.section = "organisation",
     .name = "hours",
     .type = KEY_HOURS,
     F(organisation.hours),
     .def_note = "unset: nothing is said and calls are always offered",
     .help = HOURS_SYNTAX},
    {.section = "organisation",
     .name = "mandatory_reporting",
     .type = KEY_REPORTING,
     F(organisation.mandatory_reporting),
     .def_note = "unset: nothing is said",
     .help = "none (the visitor decides what happens next), or what the counsellors must "
             "report to the authorities by law: children (a child who may be in danger), "
             "danger (someone in immediate danger), or both"},
    TEXT("paths", "data_dir", KEY_PATH, paths.data_dir, NULL, "found next to the program",
         "an absolute directory holding assets/ and locales/"),
    TEXT("hotline", "uri", KEY_SIP_URI, hotline.uri, NULL, NULL,
         "a SIP address such as sip:help@pbx.example.org or sips:help@pbx.example.org, or "
         "empty (no calls; the number is shown instead)"),
    TEXT("hotline", "secondary_uri", KEY_SIP_URI, hotline.secondary_uri, NULL, NULL,
         "a SIP address tried when the primary hotline is busy, unreachable or fails, or "
         "empty"),
    TEXT("hotline", "uri.LANG", KEY_LANG_URI, hotline.lang_uris, NULL, "the primary uri",
         "uri.CODE = a SIP address for visitors who chose language CODE (such as uri.ar)"),
    CHOICE("hotline", "transport", hotline.transport, transports, "udp",
           RANGE " (used when the address names none with ;transport= or sips:)"),
    TEXT("hotline", "ca_file", KEY_FILE, hotline.ca_file, "/etc/ssl/certs/ca-certificates.crt",
         NULL, "an absolute path to PEM certificates the TLS server must chain to"),
    CHOICE("hotline", "srtp", hotline.srtp, srtp_modes, "auto", RANGE),
    BOOL("hotline", "allow_plain_rtp", hotline.allow_plain_rtp, "no",
         RANGE ": allow unencrypted media with TLS signalling"),
    TEXT("hotline", "username", KEY_STRING, hotline.username, NULL, NULL,
         "the SIP account's user name for digest authentication, or empty"),
    TEXT("hotline", "password", KEY_STRING, hotline.password, NULL, NULL,
         "the SIP account's password, or empty"),
    TEXT("hotline", "registrar", KEY_SIP_URI, hotline.registrar, NULL, "the uri's host",
         "a SIP address of the registrar such as sip:pbx.example.org, or empty"),
    BOOL("hotline", "register", hotline.do_register, "no",
         RANGE ": keep the account registered (needs username)"),
    RANGED("hotline", "register_interval", KEY_DURATION, hotline.register_interval_ms, 30000,
           3600000, "60s", "a duration " RANGE "; refreshed at 90 % of it"),
    RANGED("hotline", "no_answer_timeout", KEY_DURATION, hotline.no_answer_timeout_ms, 2000, 300000,
           "45s", "a duration " RANGE),
    RANGED("hotline", "connect_timeout", KEY_DURATION, hotline.connect_timeout_ms, 1000, 30000,
           "4s", "a duration " RANGE " without any reply before a hotline counts as unreachable"),
    RANGED("hotline", "media_timeout", KEY_DURATION, hotline.media_timeout_ms, 2000, 60000, "8s",
           "a duration " RANGE " without media before a call counts as lost"),
    TEXT("hotline", "local_address", KEY_IP, hotline.local_address, NULL,
         "the address towards the hotline", "an IP address of this machine to call from, or empty"),
    RANGED("hotline", "local_port", KEY_UINT, hotline.local_port, 0, 65534, "0",
           "0 (any free port) or the UDP/TCP port SIP is sent from (TLS uses the next one)"),
    RANGED("hotline", "rtp_port_min", KEY_UINT, hotline.rtp_port_min, 1024, 65534, "10000",
           "a UDP port, " RANGE),
    RANGED("hotline", "rtp_port_max", KEY_UINT, hotline.rtp_port_max, 1025, 65535, "20000",
           "a UDP port above rtp_port_min, " RANGE),
    RANGED("hotline", "jitter_buffer", KEY_DURATION, hotline.jitter_ms, 10, 500, "20ms",
           "a duration " RANGE " of audio kept ahead of the loudspeaker on a calm network (late "
           "packets raise it, up to 200ms)"),
    TEXT("hotline", "language", KEY_LANG, hotline.language, "en", NULL,
         "the language code the counsellors answer in (tapped phrases are spoken in it; a "
         "uri.CODE hotline answers in CODE)"),
    CHOICE("audio", "driver", audio.driver, drivers, "portaudio", RANGE),
    TEXT("audio", "device", KEY_STRING, audio.device, NULL, "the default",
         "part of a PortAudio device name (openline self-test lists them), or empty"),
    TEXT("audio", "capture_file", KEY_FILE, audio.capture_file, NULL, "silence",
         "wav driver: an absolute path to a 16-bit PCM WAV the microphone hears"),
    TEXT("audio", "playback_file", KEY_FILE, audio.playback_file, NULL, "discarded",
         "wav driver: an absolute path the loudspeaker's sound is written to"),
    RANGED("audio", "volume", KEY_UINT, audio.volume, 0, 100, "80",
           "loudspeaker volume in percent, " RANGE " (restored after every call)"),
    BOOL("audio", "echo_cancel", audio.echo_cancel, "yes", RANGE),
    BOOL("audio", "noise_suppression", audio.noise_suppression, "yes", RANGE),
    RANGED("audio", "wav_room_delay", KEY_DURATION, audio.wav_room_delay_ms, 0, 500, "0",
           "wav driver: 0 or a delay " RANGE " after which the microphone hears the loudspeaker"),
    RANGED("audio", "wav_room_attenuation", KEY_UINT, audio.wav_room_attenuation_db, 0, 60, "10",
           "wav driver: dB, " RANGE ", the loudspeaker is quieter at the microphone"),
    TEXT("audio", "wav_room_impulse", KEY_FILE, audio.wav_room_impulse, NULL, "none",
         "wav driver: an absolute path to a 48 kHz WAV impulse response of the room (at most "
         "256 non-zero samples)"),
    TEXT("audio", "wav_room_noise", KEY_FILE, audio.wav_room_noise, NULL, "none",
         "wav driver: an absolute path to a WAV the microphone also hears, looped (room noise)"),
    TEXT("counts", "collector", KEY_URL, counts.collector, NULL, NULL,
         "the address of openline-stats, such as https://stats.example.org (http:// only to "
         "127.0.0.1, ::1 or localhost), or empty (counting off, nothing stored)"),
    TEXT("counts", "token_file", KEY_FILE, counts.token_file, NULL, NULL,
         "an absolute path to the file holding this kiosk's token (openline-stats kiosk "
         "add), readable by the kiosk and not by others; required with a collector"),
    TEXT("counts", "ca_file", KEY_FILE, counts.ca_file, "/etc/ssl/certs/ca-certificates.crt", NULL,
         "an absolute path to PEM certificates the collector's TLS certificate must chain "
         "to"),
    CHOICE("counts", "bucket", counts.bucket, buckets, "week",
           RANGE ": the counts are summed this long"),
    CHOICE("counts", "noise", counts.noise, noises, "geometric", RANGE),
    {.section = "counts",
     .name = "epsilon",
     .type = KEY_EPSILON,
     F(counts.epsilon),
     .max = 10,
     .def = "1",
     .help = "the privacy parameter of the noise, a number " RANGE " (smaller: more noise), at "
             "most " STR(EPSILON_DECIMALS) " decimals"},
    TEXT("counts", "state_dir", KEY_PATH, counts.state_dir, "/var/lib/openline", NULL,
         "an absolute directory for the counts waiting to be sent (created if missing)"),
    BOOL("speech", "enabled", speech.enabled, "yes",
         RANGE ": read-aloud buttons, speech mode and phrases tapped during a call"),
    BOOL("speech", "attract", speech.attract, "no",
         RANGE ": the attract screen says \"Touch here for help\" in turn with its languages "
               "(sites where sound is welcome)"),
};

_Static_assert(ARRAY_SIZE(keys) <= ARRAY_SIZE(((struct config *)0)->lines), "lines[] too small");

/* A duration as the file would say it: whole hours, else whole minutes above one (60s reads
 * better than 1m beside seconds), else seconds, else milliseconds. */
static void format_duration(long long ms, char *buf, size_t len)
{
    if (ms && ms % 3600000 == 0)
        snprintf(buf, len, "%lldh", ms / 3600000);
    else if (ms > 60000 && ms % 60000 == 0)
        snprintf(buf, len, "%lldm", ms / 60000);
    else if (ms % 1000 == 0)
        snprintf(buf, len, "%llds", ms / 1000);
    else
        snprintf(buf, len, "%lldms", ms);
}

/* Append what fmt makes to buf (len bytes), whose first *n bytes are taken; a list that does not
 * fit is cut, still NUL-terminated. */
static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
    if (*n >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *n, len - *n, fmt, ap);
    va_end(ap);
    if (w > 0)
        *n += (size_t)w;
}

/* The words of a choice key as a sentence: "a (note), b or c". */
static void format_choices(const struct choice *c, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; c[i].word; i++) {
        append(buf, len, &n, "%s%s", !i ? "" : c[i + 1].word ? ", " : " or ", c[i].word);
        if (c[i].note)
            append(buf, len, &n, " (%s)", c[i].note);
    }
}

/* The range or the choices of k in words, from its numbers and its choices. */
static void format_range(const struct key *k, char *buf, size_t len)
{
    char lo[24], hi[24];
    switch (k->type) {
    case KEY_UINT:
        snprintf(buf, len, "%lld to %lld", k->min, k->max);
        return;
    case KEY_DURATION:
        format_duration(k->min, lo, sizeof(lo));
        format_duration(k->max, hi, sizeof(hi));
        if (k->min)
            snprintf(buf, len, "from %s to %s", lo, hi);
        else
            snprintf(buf, len, "up to %s", hi);
        return;
    case KEY_LANGS:
    case KEY_INTERPRETERS:
        snprintf(buf, len, "at most %lld", k->max);
        return;
    case KEY_STRING:
        snprintf(buf, len, "%d to %zu bytes", k->required ? 1 : 0, k->size - 1);
        return;
    case KEY_BOOL:
        snprintf(buf, len, "yes or no");
        return;
    case KEY_CHOICE:
        format_choices(k->choices, buf, len);
        return;
    case KEY_EPSILON:
        snprintf(buf, len, "above 0 and at most %lld", k->max);
        return;
    default:
        buf[0] = '\0';
        return;
    }
}

/* What a person may write for k (errors and the reference): its help with RANGE replaced by
 * format_range(). Returns buf. */
static const char *key_accepted(const struct key *k, char *buf, size_t len)
{
    const char *at = strstr(k->help, RANGE);
    if (!at) {
        snprintf(buf, len, "%s", k->help);
        return buf;
    }
    char range[256];
    format_range(k, range, sizeof(range));
    snprintf(buf, len, "%.*s%s%s", (int)(at - k->help), k->help, range, at + strlen(RANGE));
    return buf;
}

/* "[kiosk], [display], ...": every section of the table, in its order. */
static void section_list(char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (!i || strcmp(keys[i - 1].section, keys[i].section))
            append(buf, len, &n, "%s[%s]", n ? ", " : "", keys[i].section);
    }
}

/* "uri.ar" matches the table's "uri.LANG" (KEY_LANG_URI): the part before the dot must match. */
static bool key_matches(const struct key *k, const char *key)
{
    if (k->type != KEY_LANG_URI)
        return !strcmp(k->name, key);
    size_t n = strcspn(k->name, ".");
    return !strncmp(k->name, key, n) && key[n] == '.' && !strcmp(k->name + n, ".LANG") &&
           key[n + 1];
}

int config_key_index(const char *section, const char *key)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (!strcmp(keys[i].section, section) && key_matches(&keys[i], key))
            return (int)i;
    }
    return -1;
}

static bool known_section(const char *section)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (!strcmp(keys[i].section, section))
            return true;
    }
    return false;
}

/* "a, b, c": the names of the keys of section. */
static void section_keys(const char *section, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (!strcmp(keys[i].section, section))
            append(buf, len, &n, "%s%s", n ? ", " : "", keys[i].name);
    }
}

static bool is_lang_code(const char *s)
{
    /* The shape of a BCP 47 tag (xx, xxx, then subtags such as -Hans or -BR, in any case, "_"
     * as POSIX locales write it); which language it finds is i18n_lookup()'s, once the
     * languages table is read (app/kiosk/kiosk.c). */
    size_t n = strlen(s);
    if (n < 2 || n >= CONFIG_LANG_LEN)
        return false;
    size_t i = 0;
    while (i < n && isalpha((unsigned char)s[i]))
        i++;
    if (i < 2 || i > 3)
        return false;
    if (i == n)
        return true;
    if ((s[i] != '-' && s[i] != '_') || i + 1 == n)
        return false;
    for (i++; i < n; i++) {
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    }
    return s[n - 1] != '-' && s[n - 1] != '_';
}

static bool is_printable_utf8(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
    }
    return true;
}

/* The SIP address syntax accepted (RFC 3261 section 19.1): sip: or sips:, an optional user part,
 * a host name, IPv4 address or [IPv6] address, an optional port, then ;parameters and ?headers.
 * A regular expression of the C library checks it, because the kiosk program must not load
 * libre (and with it OpenSSL) before its first frame: the call plug-in parses the address with
 * libre when it dials, and tests/unit/test_call.c checks that libre takes every address
 * accepted here. */
#define SIP_LABEL "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
static const char sip_uri_re[] =
    "^sips?:"
    "([^@?]+@)?"                                                  /* user */
    "(" SIP_LABEL "(\\." SIP_LABEL ")*\\.?|\\[[0-9A-Fa-f:.]+\\])" /* host */
    "(:([0-9]{1,5}))?"                                            /* port */
    "(;[^?]*)?(\\?.*)?$";                                         /* ;params ?headers */
#define SIP_RE_PORT 7 /* the port's digits: user 1, host 2-5, ":port" 6 */

/* Printable ASCII without spaces, <, > and ", nor any byte of also: what an address may hold. */
static bool address_chars_ok(const char *value, const char *also)
{
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f || strchr("<>\"", *p) || strchr(also, *p))
            return false;
    }
    return true;
}

/* value against the regular expression re_text (nm subexpressions into m): shorter than
 * CONFIG_URI_LEN, matching, its port (subexpression port, when present) from port_min to 65535.
 * Returns NULL, or a short reason (mismatch when re_text does not match). */
static const char *match_address(const char *value, const char *re_text, regmatch_t *m, size_t nm,
                                 size_t port, long port_min, const char *mismatch)
{
    regex_t re;
    if (strlen(value) >= CONFIG_URI_LEN)
        return "too long";
    if (regcomp(&re, re_text, REG_EXTENDED))
        return "cannot be checked (out of memory)";
    int nomatch = regexec(&re, value, nm, m, 0);
    regfree(&re);
    if (nomatch)
        return mismatch;
    if (m[port].rm_so >= 0) {
        long n = strtol(value + m[port].rm_so, NULL, 10);
        if (n < port_min || n > 65535)
            return "port out of range";
    }
    return NULL;
}

/* Returns NULL when value is good, else a short reason. */
static const char *check_sip_uri(const char *value)
{
    regmatch_t m[SIP_RE_PORT + 1];

    if (!address_chars_ok(value, ""))
        return "contains spaces or characters not allowed in a SIP address";
    if (strncmp(value, "sip:", 4) && strncmp(value, "sips:", 5))
        return "does not start with sip: or sips:";
    return match_address(value, sip_uri_re, m, ARRAY_SIZE(m), SIP_RE_PORT, 0,
                         "not a SIP address with a host");
}

/* The collector's address: https:// anywhere, http:// only to this machine (tests and the demo;
 * the kiosk must never send counts in the clear across a network). Like SIP addresses, checked
 * with a regular expression: libcurl is loaded only by the upload thread. */
static const char url_re[] = "^(https?)://"
                             "(" SIP_LABEL "(\\." SIP_LABEL ")*|\\[[0-9A-Fa-f:.]+\\])" /* host */
                             "(:([0-9]{1,5}))?"                                        /* port */
                             "(/[^?#]*)?$";                                            /* path */
#define URL_RE_HOST 2
#define URL_RE_PORT 7

static const char *check_url(const char *value)
{
    regmatch_t m[URL_RE_PORT + 1];
    char host[CONFIG_URI_LEN];

    if (!address_chars_ok(value, "\\"))
        return "contains spaces or characters not allowed in an address";
    if (strncmp(value, "https://", 8) && strncmp(value, "http://", 7))
        return "does not start with https://";
    const char *why = match_address(value, url_re, m, ARRAY_SIZE(m), URL_RE_PORT, 1,
                                    "not an address with a host (and no ?query or #fragment)");
    if (why)
        return why;
    if (value[4] == 's')
        return NULL;
    /* http://: the host must be this machine */
    size_t n = (size_t)(m[URL_RE_HOST].rm_eo - m[URL_RE_HOST].rm_so);
    memcpy(host, value + m[URL_RE_HOST].rm_so, n);
    host[n] = '\0';
    unsigned char a[sizeof(struct in6_addr)];
    if (!strcmp(host, "localhost") || !strcmp(host, "[::1]"))
        return NULL;
    if (inet_pton(AF_INET, host, a) == 1 && a[0] == 127)
        return NULL;
    return "http:// is accepted only to 127.0.0.1, ::1 or localhost (counts travel over "
           "https:// across a network)";
}

/* "1", "0.25", "10": a decimal number into a fraction num/den in lowest terms, 0 < e <= max. */
static const char *parse_epsilon(const char *value, uint64_t max, double *e, uint32_t *num,
                                 uint32_t *den)
{
    uint64_t n = 0, d = 1;
    const char *p = value;
    if (!isdigit((unsigned char)*p))
        return "not a number";
    for (; isdigit((unsigned char)*p); p++) {
        n = n * 10 + (uint64_t)(*p - '0');
        if (n > max)
            return "out of range";
    }
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return "not a number";
        for (int decimals = 0; isdigit((unsigned char)*p); p++) {
            if (++decimals > EPSILON_DECIMALS)
                return "more than " STR(EPSILON_DECIMALS) " decimals";
            n = n * 10 + (uint64_t)(*p - '0');
            d *= 10;
        }
    }
    if (*p)
        return "not a number";
    if (!n || n > max * d)
        return "out of range";
    uint64_t a = n, b = d;
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    *num = (uint32_t)(n / a);
    *den = (uint32_t)(d / a);
    *e = (double)*num / (double)*den;
    return NULL;
}

/* One parser per key type: each checks value, stores it at dst (cfg + the key's offset) and
 * returns NULL, or returns why the value is refused (the error's last words). */
typedef const char *store_fn(struct config *cfg, const struct key *k, const char *name,
                             const char *value, char *dst);

static const char *store_string(struct config *cfg, const struct key *k, const char *name,
                                const char *value, char *dst)
{
    (void)cfg, (void)name;
    if (!*value && k->required)
        return "empty";
    if (!is_printable_utf8(value))
        return "contains control characters";
    return util_strlcpy(dst, value, k->size) ? "too long" : NULL;
}

static const char *store_uint(struct config *cfg, const struct key *k, const char *name,
                              const char *value, char *dst)
{
    (void)cfg, (void)name;
    long v;
    int e = util_parse_long(value, (long)k->min, (long)k->max, &v);
    if (e)
        return e == EINVAL ? "not a whole number" : "out of range";
    *(unsigned *)(void *)dst = (unsigned)v;
    return NULL;
}

static const char *store_duration(struct config *cfg, const struct key *k, const char *name,
                                  const char *value, char *dst)
{
    (void)cfg, (void)name;
    uint64_t ms;
    if (clock_parse_duration(value, &ms))
        return "not a duration";
    if ((long long)ms < k->min || (long long)ms > k->max)
        return "out of range";
    *(uint64_t *)(void *)dst = ms;
    return NULL;
}

static const char *store_bool(struct config *cfg, const struct key *k, const char *name,
                              const char *value, char *dst)
{
    (void)cfg, (void)k, (void)name;
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcasecmp(value, yes[i]) || !strcasecmp(value, no[i])) {
            *(bool *)(void *)dst = !strcasecmp(value, yes[i]);
            return NULL;
        }
    }
    return "not yes or no";
}

static const char *store_choice(struct config *cfg, const struct key *k, const char *name,
                                const char *value, char *dst)
{
    (void)cfg, (void)name;
    for (const struct choice *c = k->choices; c->word; c++) {
        if (!strcmp(c->word, value)) {
            *(unsigned *)(void *)dst = c->value;
            return NULL;
        }
    }
    return "not one of the accepted words";
}

/* Language codes separated by spaces or commas into list (at most max, each once); *n is set
 * only on success. Returns NULL or why value is refused (bad: the words for a bad code). */
static const char *parse_langs(const char *value, long long max, char (*list)[CONFIG_LANG_LEN],
                               unsigned *np, const char *bad)
{
    char buf[CONFIG_MAX_LANGS * CONFIG_LANG_LEN * 2];
    char *save = NULL;
    unsigned n = 0;
    if (util_strlcpy(buf, value, sizeof(buf)))
        return "too long";
    for (char *tok = strtok_r(buf, " ,\t", &save); tok; tok = strtok_r(NULL, " ,\t", &save)) {
        if (!is_lang_code(tok))
            return bad;
        if (n == max)
            return "too many languages";
        for (unsigned i = 0; i < n; i++) {
            if (!strcmp(list[i], tok))
                return "a language is listed twice";
        }
        util_strlcpy(list[n++], tok, CONFIG_LANG_LEN);
    }
    if (!n)
        return "empty";
    *np = n;
    return NULL;
}

static const char *store_langs(struct config *cfg, const struct key *k, const char *name,
                               const char *value, char *dst)
{
    (void)name, (void)dst;
    return parse_langs(value, k->max, cfg->kiosk.languages, &cfg->kiosk.n_languages,
                       "not a language code");
}

static const char *store_lang(struct config *cfg, const struct key *k, const char *name,
                              const char *value, char *dst)
{
    (void)cfg, (void)name;
    if (!is_lang_code(value))
        return "not a language code";
    util_strlcpy(dst, value, k->size);
    return NULL;
}

static const char *store_phone(struct config *cfg, const struct key *k, const char *name,
                               const char *value, char *dst)
{
    (void)cfg, (void)name;
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
    return util_strlcpy(dst, value, k->size) ? "too long" : NULL;
}

static const char *store_web(struct config *cfg, const struct key *k, const char *name,
                             const char *value, char *dst)
{
    (void)cfg, (void)name;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>')
            return "contains spaces or characters not allowed in an address";
    }
    return util_strlcpy(dst, value, k->size) ? "too long" : NULL;
}

static const char *store_path(struct config *cfg, const struct key *k, const char *name,
                              const char *value, char *dst)
{
    if (value[0] != '/')
        return "not an absolute path";
    return store_string(cfg, k, name, value, dst);
}

static const char *store_sip_uri(struct config *cfg, const struct key *k, const char *name,
                                 const char *value, char *dst)
{
    (void)cfg, (void)name;
    const char *why = *value ? check_sip_uri(value) : NULL;
    if (why)
        return why;
    return util_strlcpy(dst, value, k->size) ? "too long" : NULL;
}

static const char *store_lang_uri(struct config *cfg, const struct key *k, const char *name,
                                  const char *value, char *dst)
{
    (void)k, (void)dst;
    const char *lang = strchr(name, '.') + 1;
    struct config_lang_uri *lu = cfg->hotline.lang_uris;
    if (!is_lang_code(lang))
        return "the part after 'uri.' is not a language code";
    for (unsigned i = 0; i < cfg->hotline.n_lang_uris; i++) {
        if (!strcmp(lu[i].lang, lang))
            return "this language already has an address";
    }
    if (cfg->hotline.n_lang_uris == CONFIG_MAX_LANGS)
        return "too many per-language addresses";
    const char *why = check_sip_uri(value);
    if (why)
        return why;
    lu += cfg->hotline.n_lang_uris++;
    util_strlcpy(lu->lang, lang, sizeof(lu->lang));
    util_strlcpy(lu->uri, value, sizeof(lu->uri));
    return NULL;
}

static const char *store_url(struct config *cfg, const struct key *k, const char *name,
                             const char *value, char *dst)
{
    (void)cfg, (void)name;
    const char *why = *value ? check_url(value) : NULL;
    if (why)
        return why;
    if (util_strlcpy(dst, value, k->size))
        return "too long";
    /* one form for building request addresses: no trailing slash */
    size_t n = strlen(dst);
    while (n && dst[n - 1] == '/')
        dst[--n] = '\0';
    return NULL;
}

static const char *store_epsilon(struct config *cfg, const struct key *k, const char *name,
                                 const char *value, char *dst)
{
    (void)name;
    return parse_epsilon(value, (uint64_t)k->max, (double *)(void *)dst, &cfg->counts.epsilon_num,
                         &cfg->counts.epsilon_den);
}

static const char *store_ip(struct config *cfg, const struct key *k, const char *name,
                            const char *value, char *dst)
{
    (void)cfg, (void)name;
    unsigned char buf[sizeof(struct in6_addr)];
    if (*value && inet_pton(AF_INET, value, buf) != 1 && inet_pton(AF_INET6, value, buf) != 1)
        return "not an IPv4 or IPv6 address";
    return util_strlcpy(dst, value, k->size) ? "too long" : NULL;
}

/* yes, no, or the languages the hotline answers in besides its own. */
static const char *store_interpreters(struct config *cfg, const struct key *k, const char *name,
                                      const char *value, char *dst)
{
    (void)name, (void)dst;
    cfg->organisation.n_interpreter_langs = 0;
    if (!strcmp(value, "yes") || !strcmp(value, "no")) {
        cfg->organisation.interpreters =
            value[0] == 'y' ? CONFIG_INTERPRETERS_ALL : CONFIG_INTERPRETERS_NONE;
        return NULL;
    }
    const char *why =
        parse_langs(value, k->max, cfg->organisation.interpreter_langs,
                    &cfg->organisation.n_interpreter_langs, "not yes, no or language codes");
    if (!why)
        cfg->organisation.interpreters = CONFIG_INTERPRETERS_LIST;
    return why;
}

static const char *store_reporting(struct config *cfg, const struct key *k, const char *name,
                                   const char *value, char *dst)
{
    (void)cfg, (void)k, (void)name;
    char buf[128];
    char *save = NULL;
    unsigned bits = 0;
    if (util_strlcpy(buf, value, sizeof(buf)))
        return "too long";
    for (char *tok = strtok_r(buf, " ,\t", &save); tok; tok = strtok_r(NULL, " ,\t", &save)) {
        unsigned b = !strcmp(tok, "none")       ? CONFIG_REPORT_NONE
                     : !strcmp(tok, "children") ? CONFIG_REPORT_CHILDREN
                     : !strcmp(tok, "danger")   ? CONFIG_REPORT_DANGER
                                                : 0;
        if (!b)
            return "not none, children or danger";
        if (bits & b)
            return "a word is given twice";
        bits |= b;
    }
    if (!bits)
        return "empty";
    if ((bits & CONFIG_REPORT_NONE) && bits != CONFIG_REPORT_NONE)
        return "none together with a kind of report";
    *(unsigned *)(void *)dst = bits;
    return NULL;
}

static const char *store_hours(struct config *cfg, const struct key *k, const char *name,
                               const char *value, char *dst)
{
    (void)cfg, (void)k, (void)name;
    static _Thread_local char why[160];
    /* empty: not set (hours: nothing is said; off_hours: always on) */
    return hours_parse(value, (struct hours *)(void *)dst, why, sizeof(why));
}

/* Indexed by enum key_type: a new type is one parser and one line here. */
static store_fn *const stores[] = {
    [KEY_STRING] = store_string,
    [KEY_UINT] = store_uint,
    [KEY_DURATION] = store_duration,
    [KEY_BOOL] = store_bool,
    [KEY_CHOICE] = store_choice,
    [KEY_LANGS] = store_langs,
    [KEY_LANG] = store_lang,
    [KEY_PHONE] = store_phone,
    [KEY_WEB] = store_web,
    [KEY_PATH] = store_path,
    [KEY_FILE] = store_path,
    [KEY_SIP_URI] = store_sip_uri,
    [KEY_LANG_URI] = store_lang_uri,
    [KEY_IP] = store_ip,
    [KEY_URL] = store_url,
    [KEY_EPSILON] = store_epsilon,
    [KEY_INTERPRETERS] = store_interpreters,
    [KEY_REPORTING] = store_reporting,
    [KEY_HOURS] = store_hours,
};

static const char *store_value(struct config *cfg, const struct key *k, const char *name,
                               const char *value)
{
    if ((size_t)k->type >= ARRAY_SIZE(stores) || !stores[k->type])
        return "unhandled";
    return stores[k->type](cfg, k, name, value, (char *)cfg + k->off);
}

static int handler(struct inifile *f, const char *section, const char *name, const char *value,
                   void *arg)
{
    struct config *cfg = arg;
    char acc[ACCEPTED_LEN];
    if (!known_section(section)) {
        section_list(acc, sizeof(acc));
        inifile_fail_section(f, "unknown section [%s]; accepted: %s", section, acc);
        return 0;
    }
    int i = config_key_index(section, name);
    if (i < 0) {
        char list[512];
        section_keys(section, list, sizeof(list));
        inifile_fail(f, "[%s] unknown key '%s'; accepted in [%s]: %s", section, name, section,
                     list);
        return 0;
    }
    /* uri.LANG keys share one line slot (the first); store_value() refuses a language twice. */
    if (cfg->lines[i] && keys[i].type != KEY_LANG_URI) {
        inifile_fail(f, "[%s] %s is set twice (first on line %u); accepted: one value", section,
                     name, cfg->lines[i]);
        return 0;
    }
    if (!cfg->lines[i])
        cfg->lines[i] = f->line;
    const char *why = store_value(cfg, &keys[i], name, value);
    if (why) {
        inifile_fail(f, "[%s] %s = '%s': %s; accepted: %s", section, name, value, why,
                     key_accepted(&keys[i], acc, sizeof(acc)));
        return 0;
    }
    return 1;
}

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    /* Through the parser, as if the file said so: tests/unit/test_config.c checks that every
     * default is accepted and equals the example's. */
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (keys[i].def)
            store_value(cfg, &keys[i], keys[i].name, keys[i].def);
    }
}

/* The token file: a regular file the kiosk can read and others cannot (a token lets anyone
 * send counts in this kiosk's name), holding one token as `openline-stats kiosk add` prints it:
 * 64 hex digits (43 base64url characters are accepted too, as by the collector). */
static int check_token_file(struct config *cfg, struct inifile *f)
{
    int ki = config_key_index("counts", "token_file");
    unsigned line =
        cfg->lines[ki] ? cfg->lines[ki] : cfg->lines[config_key_index("counts", "collector")];
    const char *path = cfg->counts.token_file;
    char accepted[ACCEPTED_LEN];
    key_accepted(&keys[ki], accepted, sizeof(accepted));
    struct stat st;
    char *data = NULL;
    size_t len;
    int rc = EINVAL;

    if (!path[0]) {
        inifile_fail_at(
            f, line, "[counts] token_file is missing (a collector is set); accepted: %s", accepted);
        return EINVAL;
    }
    /* O_NONBLOCK: a FIFO given by mistake must not hang the start */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0 || fstat(fd, &st)) {
        inifile_fail_at(f, line, "[counts] token_file = '%s': %s; accepted: %s", path,
                        strerror(errno), accepted);
        if (fd >= 0)
            close(fd);
        return EINVAL;
    }
    close(fd);
    if (!S_ISREG(st.st_mode)) {
        inifile_fail_at(f, line, "[counts] token_file = '%s': not a regular file; accepted: %s",
                        path, accepted);
        return EINVAL;
    }
    if (st.st_mode & (S_IROTH | S_IWOTH)) {
        inifile_fail_at(f, line,
                        "[counts] token_file = '%s': readable or writable by others (mode %04o); "
                        "accepted: a file only the kiosk's user and group can read (chmod 640)",
                        path, (unsigned)(st.st_mode & 07777));
        return EINVAL;
    }
    int e = util_read_file(path, &data, &len);
    if (e) {
        inifile_fail_at(f, line, "[counts] token_file = '%s': cannot read it: %s; accepted: %s",
                        path, strerror(e), accepted);
        return EINVAL;
    }
    char *tok = util_trim(data);
    size_t n = strlen(tok), hex = strspn(tok, "0123456789abcdef"),
           b64 = strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    if ((n == 64 && hex == 64) || (n == 43 && b64 == 43)) {
        util_strlcpy(cfg->counts.token, tok, sizeof(cfg->counts.token));
        rc = 0;
    } else {
        inifile_fail_at(f, line,
                        "[counts] token_file = '%s': does not hold a kiosk token; accepted: the 64 "
                        "hex digits printed by openline-stats kiosk add, on one line",
                        path);
    }
    explicit_bzero(data, len);
    free(data);
    return rc;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
    struct inifile f = {.path = path, .err = err, .errlen = errlen};
    char acc[ACCEPTED_LEN], hint[ACCEPTED_LEN + 64];
    int rc;

    config_defaults(cfg);
    err[0] = '\0';
    if (util_strlcpy(cfg->path, path, sizeof(cfg->path))) {
        snprintf(err, errlen, "%s: path too long", path);
        return ENAMETOOLONG;
    }
    section_list(acc, sizeof(acc));
    snprintf(hint, sizeof(hint), "accepted: key = value lines under %s, and ; comments", acc);
    rc = inifile_parse(path, "the configuration", hint, handler, cfg, err, errlen);
    if (rc)
        return rc;
    /* Checks across keys, once the whole file is read. */
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (keys[i].required && !cfg->lines[i]) {
            inifile_fail_at(&f, 0, "[%s] %s is missing; accepted: %s", keys[i].section,
                            keys[i].name, key_accepted(&keys[i], acc, sizeof(acc)));
            return EINVAL;
        }
    }
    /* That the default language is enabled is checked once the tags are resolved against the
     * languages table (zh-CN and zh are the same language there): kiosk_open(). */
    if (cfg->hotline.rtp_port_min >= cfg->hotline.rtp_port_max) {
        int ki = config_key_index("hotline", "rtp_port_max");
        inifile_fail_at(&f, cfg->lines[ki],
                        "[hotline] rtp_port_max = %u: not above rtp_port_min (%u); "
                        "accepted: %s",
                        cfg->hotline.rtp_port_max, cfg->hotline.rtp_port_min,
                        key_accepted(&keys[ki], acc, sizeof(acc)));
        return EINVAL;
    }
    if (cfg->hotline.do_register && !cfg->hotline.username[0]) {
        int ki = config_key_index("hotline", "register");
        inifile_fail_at(&f, cfg->lines[ki],
                        "[hotline] register = yes needs a username; accepted: "
                        "username = NAME (and password) in [hotline], or register = no");
        return EINVAL;
    }
    if (cfg->counts.collector[0] && check_token_file(cfg, &f))
        return EINVAL;
    if (cfg->hotline.transport == CONFIG_TRANSPORT_TLS && cfg->hotline.srtp == CONFIG_SRTP_OFF &&
        !cfg->hotline.allow_plain_rtp) {
        int ki = config_key_index("hotline", "srtp");
        inifile_fail_at(
            &f, cfg->lines[ki],
            "[hotline] srtp = off with transport = tls: media would be "
            "unencrypted; accepted: srtp = auto or mandatory, or allow_plain_rtp = yes");
        return EINVAL;
    }
    return 0;
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

bool config_key_at(size_t i, const char **section, const char **name, const char **def)
{
    if (i >= ARRAY_SIZE(keys))
        return false;
    *section = keys[i].section;
    *name = keys[i].name;
    *def = keys[i].def;
    return true;
}

void config_print_reference(void)
{
    char acc[ACCEPTED_LEN];
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (!i || strcmp(keys[i - 1].section, keys[i].section))
            printf("%s[%s]\n", i ? "\n" : "", keys[i].section);
        printf("%-18s %s%s (default: %s)\n", keys[i].name, keys[i].required ? "required; " : "",
               key_accepted(&keys[i], acc, sizeof(acc)),
               keys[i].def        ? keys[i].def
               : keys[i].def_note ? keys[i].def_note
                                  : "none");
    }
}
