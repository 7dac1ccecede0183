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
#include "openline/inifile.h"
#include "openline/util.h"

enum key_type {
    KEY_STRING,    /* printable text, 1..size-1 bytes */
    KEY_UINT,      /* whole number in [min, max] */
    KEY_DURATION,  /* "90s", "2m" ...; stored as uint64_t ms in [min, max] ms */
    KEY_BOOL,      /* yes/no, true/false, on/off, 1/0 */
    KEY_THEME,     /* standard | high-contrast */
    KEY_LANGS,     /* space- or comma-separated language codes */
    KEY_LANG,      /* one language code */
    KEY_PHONE,     /* digits with + - ( ) and spaces */
    KEY_WEB,       /* web address without spaces */
    KEY_PATH,      /* absolute directory path */
    KEY_FILE,      /* absolute file path (readability is checked where the file is used) */
    KEY_SIP_URI,   /* sip: or sips: URI with a host, as libre decodes it; "" allowed */
    KEY_LANG_URI,  /* [section] NAME.LANG = SIP URI: one per language, stored in a list */
    KEY_TRANSPORT, /* udp | tcp | tls */
    KEY_SRTP,      /* auto | mandatory | off */
    KEY_DRIVER,    /* portaudio | wav | null */
    KEY_IP,        /* IPv4 or IPv6 address literal, or "" */
    KEY_URL,       /* https://host[:port][/path], or http:// to a loopback address; "" allowed */
    KEY_BUCKET,    /* week | day */
    KEY_NOISE,     /* geometric | none */
    KEY_EPSILON,   /* decimal number, 0 < e <= 10, at most 6 decimals */
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
    {"hotline", "uri", KEY_SIP_URI, F(hotline.uri), 0, 0, false,
     "a SIP address such as sip:help@pbx.example.org or sips:help@pbx.example.org, or empty "
     "(no calls; the number is shown instead)",
     ""},
    {"hotline", "secondary_uri", KEY_SIP_URI, F(hotline.secondary_uri), 0, 0, false,
     "a SIP address tried when the primary hotline is busy, unreachable or fails, or empty", ""},
    {"hotline", "uri.LANG", KEY_LANG_URI, F(hotline.lang_uris), 0, 0, false,
     "uri.CODE = a SIP address for visitors who chose language CODE (such as uri.ar)",
     "the primary uri"},
    {"hotline", "transport", KEY_TRANSPORT, F(hotline.transport), 0, 0, false,
     "udp, tcp or tls (used when the address names none with ;transport= or sips:)", "udp"},
    {"hotline", "ca_file", KEY_FILE, F(hotline.ca_file), 0, 0, false,
     "an absolute path to PEM certificates the TLS server must chain to",
     "/etc/ssl/certs/ca-certificates.crt"},
    {"hotline", "srtp", KEY_SRTP, F(hotline.srtp), 0, 0, false,
     "auto (encrypted media whenever SIP runs over TLS), mandatory or off", "auto"},
    {"hotline", "allow_plain_rtp", KEY_BOOL, F(hotline.allow_plain_rtp), 0, 1, false,
     "yes or no: allow unencrypted media with TLS signalling", "no"},
    {"hotline", "username", KEY_STRING, F(hotline.username), 0, 0, false,
     "the SIP account's user name for digest authentication, or empty", ""},
    {"hotline", "password", KEY_STRING, F(hotline.password), 0, 0, false,
     "the SIP account's password, or empty", ""},
    {"hotline", "registrar", KEY_SIP_URI, F(hotline.registrar), 0, 0, false,
     "a SIP address of the registrar such as sip:pbx.example.org, or empty", "the uri's host"},
    {"hotline", "register", KEY_BOOL, F(hotline.do_register), 0, 1, false,
     "yes or no: keep the account registered (needs username)", "no"},
    {"hotline", "register_interval", KEY_DURATION, F(hotline.register_interval_ms), 30000, 3600000,
     false, "a duration from 30s to 1h; refreshed at 90 % of it", "60s"},
    {"hotline", "no_answer_timeout", KEY_DURATION, F(hotline.no_answer_timeout_ms), 2000, 300000,
     false, "a duration from 2s to 5m", "45s"},
    {"hotline", "connect_timeout", KEY_DURATION, F(hotline.connect_timeout_ms), 1000, 30000, false,
     "a duration from 1s to 30s without any reply before a hotline counts as unreachable", "4s"},
    {"hotline", "media_timeout", KEY_DURATION, F(hotline.media_timeout_ms), 2000, 60000, false,
     "a duration from 2s to 60s without media before a call counts as lost", "8s"},
    {"hotline", "local_address", KEY_IP, F(hotline.local_address), 0, 0, false,
     "an IP address of this machine to call from, or empty", "the address towards the hotline"},
    {"hotline", "local_port", KEY_UINT, F(hotline.local_port), 0, 65534, false,
     "0 (any free port) or the UDP/TCP port SIP is sent from (TLS uses the next one)", "0"},
    {"hotline", "rtp_port_min", KEY_UINT, F(hotline.rtp_port_min), 1024, 65534, false,
     "a UDP port, 1024 to 65534", "10000"},
    {"hotline", "rtp_port_max", KEY_UINT, F(hotline.rtp_port_max), 1025, 65535, false,
     "a UDP port above rtp_port_min, 1025 to 65535", "20000"},
    {"hotline", "jitter_buffer", KEY_DURATION, F(hotline.jitter_ms), 10, 500, false,
     "a duration from 10ms to 500ms of audio kept ahead of the loudspeaker", "20ms"},
    {"audio", "driver", KEY_DRIVER, F(audio.driver), 0, 0, false,
     "portaudio, or the test drivers wav and null", "portaudio"},
    {"audio", "device", KEY_STRING, F(audio.device), 0, 0, false,
     "part of a PortAudio device name (openline self-test lists them), or empty", "the default"},
    {"audio", "capture_file", KEY_FILE, F(audio.capture_file), 0, 0, false,
     "wav driver: an absolute path to a 16-bit PCM WAV the microphone hears", "silence"},
    {"audio", "playback_file", KEY_FILE, F(audio.playback_file), 0, 0, false,
     "wav driver: an absolute path the loudspeaker's sound is written to", "discarded"},
    {"audio", "volume", KEY_UINT, F(audio.volume), 0, 100, false,
     "loudspeaker volume in percent, 0 to 100 (restored after every call)", "80"},
    {"audio", "echo_cancel", KEY_BOOL, F(audio.echo_cancel), 0, 1, false, "yes or no", "yes"},
    {"audio", "noise_suppression", KEY_BOOL, F(audio.noise_suppression), 0, 1, false, "yes or no",
     "yes"},
    {"audio", "wav_room_delay", KEY_DURATION, F(audio.wav_room_delay_ms), 0, 500, false,
     "wav driver: 0 or a delay up to 500ms after which the microphone hears the loudspeaker", "0"},
    {"audio", "wav_room_attenuation", KEY_UINT, F(audio.wav_room_attenuation_db), 0, 60, false,
     "wav driver: dB, 0 to 60, the loudspeaker is quieter at the microphone", "10"},
    {"counts", "collector", KEY_URL, F(counts.collector), 0, 0, false,
     "the address of openline-stats, such as https://stats.example.org (http:// only to "
     "127.0.0.1, ::1 or localhost), or empty (counting off, nothing stored)",
     ""},
    {"counts", "token_file", KEY_FILE, F(counts.token_file), 0, 0, false,
     "an absolute path to the file holding this kiosk's token (openline-stats kiosk add), "
     "readable by the kiosk and not by others; required with a collector",
     ""},
    {"counts", "ca_file", KEY_FILE, F(counts.ca_file), 0, 0, false,
     "an absolute path to PEM certificates the collector's TLS certificate must chain to",
     "/etc/ssl/certs/ca-certificates.crt"},
    {"counts", "bucket", KEY_BUCKET, F(counts.bucket), 0, 0, false,
     "week (ISO week from Monday 00:00 UTC) or day (UTC): the counts are summed this long", "week"},
    {"counts", "noise", KEY_NOISE, F(counts.noise), 0, 0, false,
     "geometric (privacy noise on every count) or none (exact counts: tests and labs only)",
     "geometric"},
    {"counts", "epsilon", KEY_EPSILON, F(counts.epsilon), 0, 0, false,
     "the privacy parameter of the noise, a number above 0 and at most 10 (smaller: more "
     "noise), at most 6 decimals",
     "1"},
    {"counts", "state_dir", KEY_PATH, F(counts.state_dir), 0, 0, false,
     "an absolute directory for the counts waiting to be sent (created if missing)",
     "/var/lib/openline"},
};

_Static_assert(ARRAY_SIZE(keys) <= ARRAY_SIZE(((struct config *)0)->lines), "lines[] too small");

static const char *const sections[] = {"kiosk",   "display", "organisation", "paths",
                                       "hotline", "audio",   "counts"};

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

/* Returns NULL when value is good (and stored), else a short reason. */
static const char *check_sip_uri(const char *value)
{
    regmatch_t m[SIP_RE_PORT + 1];
    regex_t re;
    int nomatch;

    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f || *p == '<' || *p == '>' || *p == '"')
            return "contains spaces or characters not allowed in a SIP address";
    }
    if (strncmp(value, "sip:", 4) && strncmp(value, "sips:", 5))
        return "does not start with sip: or sips:";
    if (strlen(value) >= CONFIG_URI_LEN)
        return "too long";
    if (regcomp(&re, sip_uri_re, REG_EXTENDED))
        return "cannot be checked (out of memory)";
    nomatch = regexec(&re, value, SIP_RE_PORT + 1, m, 0);
    regfree(&re);
    if (nomatch)
        return "not a SIP address with a host";
    if (m[SIP_RE_PORT].rm_so >= 0 && strtol(value + m[SIP_RE_PORT].rm_so, NULL, 10) > 65535)
        return "port out of range";
    return NULL;
}

/* Words of the enum-valued key types, in enum order (config.h). */
static const char *const transports[] = {"udp", "tcp", "tls"};
static const char *const srtp_modes[] = {"auto", "mandatory", "off"};
static const char *const drivers[] = {"portaudio", "wav", "null"};
static const char *const buckets[] = {"week", "day"};
static const char *const noises[] = {"geometric", "none"};

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
    regex_t re;
    char host[CONFIG_URI_LEN];

    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f || *p == '<' || *p == '>' || *p == '"' || *p == '\\')
            return "contains spaces or characters not allowed in an address";
    }
    if (strncmp(value, "https://", 8) && strncmp(value, "http://", 7))
        return "does not start with https://";
    if (strlen(value) >= CONFIG_URI_LEN)
        return "too long";
    if (regcomp(&re, url_re, REG_EXTENDED))
        return "cannot be checked (out of memory)";
    int nomatch = regexec(&re, value, URL_RE_PORT + 1, m, 0);
    regfree(&re);
    if (nomatch)
        return "not an address with a host (and no ?query or #fragment)";
    if (m[URL_RE_PORT].rm_so >= 0 && (strtol(value + m[URL_RE_PORT].rm_so, NULL, 10) > 65535 ||
                                      strtol(value + m[URL_RE_PORT].rm_so, NULL, 10) < 1))
        return "port out of range";
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

/* "1", "0.25", "10": a decimal number into a fraction num/den in lowest terms, 0 < e <= 10. */
static const char *parse_epsilon(const char *value, double *e, uint32_t *num, uint32_t *den)
{
    uint64_t n = 0, d = 1;
    const char *p = value;
    if (!isdigit((unsigned char)*p))
        return "not a number";
    for (; isdigit((unsigned char)*p); p++) {
        n = n * 10 + (uint64_t)(*p - '0');
        if (n > 10)
            return "out of range";
    }
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return "not a number";
        for (; isdigit((unsigned char)*p); p++) {
            if (d == 1000000)
                return "more than 6 decimals";
            n = n * 10 + (uint64_t)(*p - '0');
            d *= 10;
        }
    }
    if (*p)
        return "not a number";
    if (!n || n > 10 * d)
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

static const char *store_word(const char *const *words, size_t n, const char *value, unsigned *dst)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(words[i], value)) {
            *dst = (unsigned)i;
            return NULL;
        }
    }
    return "not one of the accepted words";
}

static const char *store_value(struct config *cfg, const struct key *k, const char *name,
                               const char *value)
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
    case KEY_FILE:
        if (value[0] != '/')
            return "not an absolute path";
        if (!is_printable_utf8(value))
            return "contains control characters";
        if (util_strlcpy(dst, value, k->size))
            return "too long";
        return NULL;
    case KEY_SIP_URI: {
        const char *why = *value ? check_sip_uri(value) : NULL;
        if (why)
            return why;
        if (util_strlcpy(dst, value, k->size))
            return "too long";
        return NULL;
    }
    case KEY_LANG_URI: {
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
    case KEY_TRANSPORT:
        return store_word(transports, ARRAY_SIZE(transports), value, (unsigned *)(void *)dst);
    case KEY_SRTP:
        return store_word(srtp_modes, ARRAY_SIZE(srtp_modes), value, (unsigned *)(void *)dst);
    case KEY_DRIVER:
        return store_word(drivers, ARRAY_SIZE(drivers), value, (unsigned *)(void *)dst);
    case KEY_URL: {
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
    case KEY_BUCKET:
        return store_word(buckets, ARRAY_SIZE(buckets), value, (unsigned *)(void *)dst);
    case KEY_NOISE:
        return store_word(noises, ARRAY_SIZE(noises), value, (unsigned *)(void *)dst);
    case KEY_EPSILON:
        return parse_epsilon(value, (double *)(void *)dst, &cfg->counts.epsilon_num,
                             &cfg->counts.epsilon_den);
    case KEY_IP: {
        unsigned char buf[sizeof(struct in6_addr)];
        if (*value && inet_pton(AF_INET, value, buf) != 1 && inet_pton(AF_INET6, value, buf) != 1)
            return "not an IPv4 or IPv6 address";
        if (util_strlcpy(dst, value, k->size))
            return "too long";
        return NULL;
    }
    }
    return "unhandled";
}

static int handler(struct inifile *f, const char *section, const char *name, const char *value,
                   void *arg)
{
    struct config *cfg = arg;
    if (!known_section(section)) {
        inifile_fail_section(f,
                             "unknown section [%s]; accepted: [kiosk], [display], [organisation], "
                             "[paths], [hotline], [audio], [counts]",
                             section);
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
                     keys[i].accepted);
        return 0;
    }
    return 1;
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
    cfg->hotline.transport = CONFIG_TRANSPORT_UDP;
    util_strlcpy(cfg->hotline.ca_file, "/etc/ssl/certs/ca-certificates.crt",
                 sizeof(cfg->hotline.ca_file));
    cfg->hotline.srtp = CONFIG_SRTP_AUTO;
    cfg->hotline.register_interval_ms = 60000;
    cfg->hotline.no_answer_timeout_ms = 45000;
    cfg->hotline.connect_timeout_ms = 4000;
    cfg->hotline.media_timeout_ms = 8000;
    cfg->hotline.rtp_port_min = 10000;
    cfg->hotline.rtp_port_max = 20000;
    cfg->hotline.jitter_ms = 20;
    cfg->audio.driver = CONFIG_AUDIO_PORTAUDIO;
    cfg->audio.volume = 80;
    cfg->audio.echo_cancel = true;
    cfg->audio.noise_suppression = true;
    cfg->audio.wav_room_attenuation_db = 10;
    util_strlcpy(cfg->counts.ca_file, "/etc/ssl/certs/ca-certificates.crt",
                 sizeof(cfg->counts.ca_file));
    cfg->counts.bucket = CONFIG_BUCKET_WEEK;
    cfg->counts.noise = CONFIG_NOISE_GEOMETRIC;
    cfg->counts.epsilon = 1.0;
    cfg->counts.epsilon_num = 1;
    cfg->counts.epsilon_den = 1;
    util_strlcpy(cfg->counts.state_dir, "/var/lib/openline", sizeof(cfg->counts.state_dir));
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
    const char *accepted = keys[ki].accepted;
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
    int rc;

    config_defaults(cfg);
    err[0] = '\0';
    if (util_strlcpy(cfg->path, path, sizeof(cfg->path))) {
        snprintf(err, errlen, "%s: path too long", path);
        return ENAMETOOLONG;
    }
    rc = inifile_parse(path, "the configuration",
                       "accepted: key = value lines under [kiosk], [display], [organisation], "
                       "[paths], [hotline], [audio], [counts], and ; comments",
                       handler, cfg, err, errlen);
    if (rc)
        return rc;
    /* Checks across keys, once the whole file is read. */
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (keys[i].required && !cfg->lines[i]) {
            inifile_fail_at(&f, 0, "[%s] %s is missing; accepted: %s", keys[i].section,
                            keys[i].name, keys[i].accepted);
            return EINVAL;
        }
    }
    /* The default language must be enabled; when `languages` is absent every language is. */
    if (cfg->kiosk.n_languages) {
        bool found = false;
        for (unsigned i = 0; i < cfg->kiosk.n_languages; i++)
            found |= !strcmp(cfg->kiosk.languages[i], cfg->kiosk.default_language);
        if (!found) {
            int di = config_key_index("kiosk", "default_language");
            inifile_fail_at(&f, cfg->lines[di],
                            "[kiosk] default_language = '%s': not enabled; accepted: %s",
                            cfg->kiosk.default_language, keys[di].accepted);
            return EINVAL;
        }
    }
    if (cfg->hotline.rtp_port_min >= cfg->hotline.rtp_port_max) {
        int ki = config_key_index("hotline", "rtp_port_max");
        inifile_fail_at(&f, cfg->lines[ki],
                        "[hotline] rtp_port_max = %u: not above rtp_port_min (%u); "
                        "accepted: %s",
                        cfg->hotline.rtp_port_max, cfg->hotline.rtp_port_min, keys[ki].accepted);
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
