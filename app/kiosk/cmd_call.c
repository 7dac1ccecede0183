/* openline call: place one hotline call headless and print each state change; openline
 * speech-play: play a WAV file as speech outside calls (read-aloud), headless.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk.h"
#include "call_plugin.h"
#include "openline/config.h"
#include "openline/i18n.h"
#include "openline/signals.h"
#include "openline/util.h"

/* Exit statuses of `openline call` (issue 4). */
enum {
    CALL_EXIT_OK = 0, /* connected and ended normally */
    CALL_EXIT_BUSY = 2,
    CALL_EXIT_NO_ANSWER = 3,
    CALL_EXIT_FAILED = 4, /* the reason is printed */
};

enum { QUEUE_LEN = 32 };

/* Events from the call thread, handed to the main thread. */
struct queue {
    pthread_mutex_t mx;
    pthread_cond_t cv;
    struct call_event ev[QUEUE_LEN];
    unsigned head, n;
};

static void on_event(const struct call_event *ev, void *arg)
{
    struct queue *q = arg;
    if (ev->availability)
        return; /* the engine's log says it; this command reports its call */
    pthread_mutex_lock(&q->mx);
    if (q->n < QUEUE_LEN) {
        q->ev[(q->head + q->n) % QUEUE_LEN] = *ev;
        q->n++;
    }
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mx);
}

/* Wait up to ms for the next event. */
static bool next_event(struct queue *q, struct call_event *ev, unsigned ms)
{
    struct timespec ts;
    bool got = false;
    util_deadline(&ts, CLOCK_REALTIME, ms);
    pthread_mutex_lock(&q->mx);
    if (!q->n)
        pthread_cond_timedwait(&q->cv, &q->mx, &ts);
    if (q->n) {
        *ev = q->ev[q->head];
        q->head = (q->head + 1) % QUEUE_LEN;
        q->n--;
        got = true;
    }
    pthread_mutex_unlock(&q->mx);
    return got;
}

static uint64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t mono_ms(void)
{
    return mono_us() / 1000u;
}

static const char *state_name(enum call_state s)
{
    static const char *const names[] = {"idle",      "connecting", "ringing",
                                        "connected", "ended",      "failed"};
    return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "?";
}

static const char *failure_name(enum call_failure f)
{
    static const char *const names[] = {"",         "busy", "no answer", "unreachable", "tls",
                                        "rejected", "lost", "audio",     "media"};
    return (unsigned)f < ARRAY_SIZE(names) ? names[f] : "?";
}

/* 16-bit PCM from a WAV file, its first channel: what --say, --speech and speech-play play. */
struct pcm {
    int16_t *s; /* malloc */
    size_t n;
    unsigned rate;
};

static uint32_t le(const unsigned char *p, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The fmt and data chunks of a whole RIFF WAVE file in buf: 16-bit PCM only. */
static int wav_parse(const unsigned char *buf, size_t len, struct pcm *p)
{
    unsigned channels = 0;
    if (len < 12 || memcmp(buf, "RIFF", 4) || memcmp(buf + 8, "WAVE", 4))
        return EINVAL;
    for (size_t at = 12; at + 8 <= len;) {
        size_t size = le(buf + at + 4, 4);
        const unsigned char *body = buf + at + 8;
        if (size > len - at - 8)
            size = len - at - 8;
        if (!memcmp(buf + at, "fmt ", 4) && size >= 16) {
            if (le(body, 2) != 1 || le(body + 14, 2) != 16)
                return ENOTSUP;
            channels = le(body + 2, 2);
            p->rate = le(body + 4, 4);
        } else if (!memcmp(buf + at, "data", 4) && channels && p->rate) {
            p->n = size / 2 / channels;
            p->s = malloc(p->n ? p->n * sizeof(*p->s) : 1);
            if (!p->s)
                return ENOMEM;
            for (size_t i = 0; i < p->n; i++)
                p->s[i] = (int16_t)le(body + i * 2 * channels, 2);
            return 0;
        }
        at += 8 + size + (size & 1);
    }
    return EINVAL;
}

static int wav_load(const char *path, struct pcm *p)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long len;
    int rc = EINVAL;

    if (!f) {
        fprintf(stderr, "openline: %s: %s\n", path, strerror(errno));
        return errno;
    }
    if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) > 0 && len < (64L << 20) &&
        !fseek(f, 0, SEEK_SET) && (buf = malloc((size_t)len)) &&
        fread(buf, 1, (size_t)len, f) == (size_t)len)
        rc = wav_parse(buf, (size_t)len, p);
    free(buf);
    fclose(f);
    if (rc)
        fprintf(stderr, "openline: %s: not a 16-bit PCM WAV file of up to 64 MiB\n", path);
    return rc;
}

/* --audio wav:IN.wav:OUT.wav | null | portaudio[:DEVICE] */
static int parse_audio(struct config *cfg, const char *spec)
{
    if (!strncmp(spec, "wav:", 4)) {
        const char *in = spec + 4, *sep = strchr(in, ':');
        if (!sep || sep == in || !sep[1])
            return EINVAL;
        size_t n = (size_t)(sep - in);
        if (n >= sizeof(cfg->audio.capture_file) ||
            util_strlcpy(cfg->audio.playback_file, sep + 1, sizeof(cfg->audio.playback_file)))
            return EINVAL;
        memcpy(cfg->audio.capture_file, in, n);
        cfg->audio.capture_file[n] = '\0';
        cfg->audio.driver = CONFIG_AUDIO_WAV;
        return 0;
    }
    if (!strcmp(spec, "null")) {
        cfg->audio.driver = CONFIG_AUDIO_NULL;
        return 0;
    }
    if (!strncmp(spec, "portaudio", 9) && (!spec[9] || spec[9] == ':')) {
        cfg->audio.driver = CONFIG_AUDIO_PORTAUDIO;
        return util_strlcpy(cfg->audio.device, spec[9] ? spec + 10 : "", sizeof(cfg->audio.device));
    }
    return EINVAL;
}

/* The settings: --config FILE or the defaults, with the URI and --audio given. Prints why not. */
/* cmd: the command's name, for its messages */
static int load_settings(const char *cmd, struct config *cfg, const char *config, const char *uri,
                         const char *audio)
{
    char err[CONFIG_ERR_LEN];
    if (config) {
        if (config_load(cfg, config, err, sizeof(err))) {
            fprintf(stderr, "openline %s: %s\n", cmd, err);
            return EINVAL;
        }
    } else {
        config_defaults(cfg);
        fprintf(stderr, "openline %s: no --config: default settings\n", cmd);
    }
    if (uri && util_strlcpy(cfg->hotline.uri, uri, sizeof(cfg->hotline.uri))) {
        fprintf(stderr, "openline %s: URI too long\n", cmd);
        return EINVAL;
    }
    if (audio && parse_audio(cfg, audio)) {
        fprintf(stderr,
                "openline %s: --audio %s: accepted: wav:IN.wav:OUT.wav, null, "
                "portaudio or portaudio:DEVICE\n",
                cmd, audio);
        return EINVAL;
    }
    return 0;
}

/* --lang and the configuration's language tags as the languages table finds them (zh: zh-Hans),
 * so that the hotline of the visitor's language answers: *lang then points at code. Returns 0
 * or EINVAL (message printed). Without a languages table (no data directory) the tags stay as
 * written. */
static int resolve_langs(struct config *cfg, const char **lang, char *code, size_t len)
{
    char dir[PATH_MAX], locales[PATH_MAX + 16], err[CONFIG_ERR_LEN + 512];
    struct i18n *i18n = NULL;
    kiosk_data_dir(cfg, dir, sizeof(dir));
    snprintf(locales, sizeof(locales), "%s/locales", dir);
    if (i18n_load(&i18n, locales, err, sizeof(err))) {
        fprintf(stderr, "openline call: %s; language tags are taken as written\n", err);
        return 0;
    }
    const struct lang *l = NULL;
    int rc = kiosk_resolve_langs(cfg, i18n, err, sizeof(err));
    if (!rc && *lang && !(l = i18n_lookup(i18n, *lang, err, sizeof(err))))
        rc = EINVAL;
    if (rc)
        fprintf(stderr, "openline call: %s%s\n", l || !*lang ? "" : "--lang: ", err);
    else if (l && !util_strlcpy(code, l->code, len))
        *lang = code;
    i18n_free(i18n);
    return rc;
}

/* One line per state change, with milliseconds since dialling. */
static void print_event(const struct call_event *ev)
{
    printf("%7llu ms  %s%s%s%s", (unsigned long long)ev->ms, state_name(ev->state),
           ev->failure ? " (" : "", failure_name(ev->failure), ev->failure ? ")" : "");
    if (ev->sip_status)
        printf("  SIP %d", ev->sip_status);
    if (ev->secondary)
        printf("  [secondary]");
    if (ev->reason[0])
        printf("  %s", ev->reason);
    printf("\n");
    fflush(stdout);
}

/* What `openline call` does beside the call: speech played before dialling (--speech, dialled
 * --dial-after MS later while it plays) and a phrase said into the call (--say, --say-at MS
 * after it connected). */
struct call_extras {
    struct pcm speech;
    long dial_after_ms;
    struct pcm say;
    long say_at_ms;
};

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* --speech: read-aloud plays, and the call is dialled while it does. */
static void speech_before_dial(const struct call_api *api, struct call_engine *e,
                               const struct call_extras *x)
{
    uint64_t t0 = mono_ms();
    int rc = api->speech_play(e, 1, x->speech.s, x->speech.n, x->speech.rate);
    printf("speech: %zu samples at %u Hz queued as tag 1: %s\n", x->speech.n, x->speech.rate,
           rc ? strerror(rc) : "ok");
    while (mono_ms() < t0 + (uint64_t)x->dial_after_ms && !signals_caught())
        sleep_ms(2);
    printf("speech: tag %u playing when dialled, %llu ms after speech_play\n", api->speech_now(e),
           (unsigned long long)(mono_ms() - t0));
    fflush(stdout);
}

/* --say: the phrase into the connected call, once, say_at_ms after it connected. */
static void say_when_due(const struct call_api *api, struct call_engine *e,
                         const struct call_extras *x, uint64_t connected_at, bool *said)
{
    if (*said || !x->say.s || mono_ms() < connected_at + (uint64_t)x->say_at_ms)
        return;
    *said = true;
    int rc = api->call_say(e, x->say.s, x->say.n, x->say.rate);
    printf("say: %zu samples at %u Hz, %llu ms after connected: %s\n", x->say.n, x->say.rate,
           (unsigned long long)(mono_ms() - connected_at), rc ? strerror(rc) : "ok");
    fflush(stdout);
}

/* The call's exit status for an event that ends it, or -1. */
static int end_status(const struct call_event *ev, bool connected)
{
    switch (ev->state) {
    case CALL_STATE_ENDED:
        return connected ? CALL_EXIT_OK : CALL_EXIT_FAILED;
    case CALL_STATE_FAILED:
        return ev->failure == CALL_FAIL_BUSY        ? CALL_EXIT_BUSY
               : ev->failure == CALL_FAIL_NO_ANSWER ? CALL_EXIT_NO_ANSWER
                                                    : CALL_EXIT_FAILED;
    default:
        return -1;
    }
}

/* One call: dial, print every event until it ends, hang up after seconds connected or at
 * SIGINT or SIGTERM. Returns the exit status it earns. */
static int place_call(const struct call_api *api, struct call_engine *e, struct queue *q,
                      const char *lang, const char *uri, long seconds, const struct call_extras *x)
{
    bool connected = false, hung_up = false, said = false;
    uint64_t hangup_at = 0, connected_at = 0;
    int status = -1; /* until the call ends */
    struct call_event ev;

    if (x->speech.s)
        speech_before_dial(api, e, x);
    if (api->dial(e, lang, uri)) {
        fprintf(stderr, "openline call: cannot queue the call\n");
        return CALL_EXIT_FAILED;
    }
    while (status < 0) {
        if (next_event(q, &ev, connected && x->say.s && !said ? 2 : 20)) {
            print_event(&ev);
            if (ev.state == CALL_STATE_CONNECTED) {
                connected = true;
                connected_at = mono_ms();
                hangup_at = connected_at + (uint64_t)seconds * 1000u;
                if (x->speech.s)
                    printf("speech: tag %u playing when connected\n", api->speech_now(e));
            }
            status = end_status(&ev, connected);
        }
        if (connected)
            say_when_due(api, e, x, connected_at, &said);
        if (!hung_up && (signals_caught() || (connected && mono_ms() >= hangup_at))) {
            api->hangup(e);
            hung_up = true;
        }
    }
    return status;
}

int kiosk_cmd_call(int argc, char **argv)
{
    static const char usage[] =
        "openline call [--config FILE] [--lang CODE] [--audio wav:IN.wav:OUT.wav | null | "
        "portaudio[:DEVICE]] [--seconds N] [--repeat N] [--say FILE.wav [--say-at MS]] "
        "[--speech FILE.wav [--dial-after MS]] [URI]";
    struct kiosk_args a;
    struct config *cfg = NULL;
    const struct call_api *api = NULL;
    struct call_engine *e = NULL;
    struct queue q = {.n = 0};
    struct call_extras x = {.dial_after_ms = 0};
    char err[CONFIG_ERR_LEN];
    int status = CALL_EXIT_FAILED;

    int st = kiosk_args_read(argc, argv,
                             KIOSK_OPT_CONFIG | KIOSK_OPT_LANG | KIOSK_OPT_AUDIO |
                                 KIOSK_OPT_SECONDS | KIOSK_OPT_REPEAT | KIOSK_OPT_SAY |
                                 KIOSK_OPT_SAY_AT | KIOSK_OPT_SPEECH | KIOSK_OPT_DIAL_AFTER,
                             usage, &a);
    if (st >= 0) /* usage mistakes exit 4 here: 2 means busy */
        return st == KIOSK_EXIT_CONFIG ? CALL_EXIT_FAILED : st;
    /* Without URI: the configured hotline (per-language address, then the secondary). */
    if (a.n_operands > 1) {
        fprintf(stderr, "usage: %s\n", usage);
        return CALL_EXIT_FAILED;
    }
    const char *uri = a.n_operands ? a.operands[0] : NULL;
    cfg = calloc(1, sizeof(*cfg));
    if (!cfg)
        return CALL_EXIT_FAILED;
    char lang[CONFIG_LANG_LEN];
    if (load_settings("call", cfg, a.config, uri, a.audio) ||
        resolve_langs(cfg, &a.lang, lang, sizeof(lang)) || (a.say && wav_load(a.say, &x.say)) ||
        (a.speech && wav_load(a.speech, &x.speech)))
        goto out;
    x.say_at_ms = a.say_at_ms < 0 ? 0 : a.say_at_ms;
    x.dial_after_ms = a.dial_after_ms < 0 ? 0 : a.dial_after_ms;
    pthread_mutex_init(&q.mx, NULL);
    pthread_cond_init(&q.cv, NULL);
    api = call_api_load(err, sizeof(err));
    if (!api || api->engine_start(&e, cfg, on_event, &q, err, sizeof(err))) {
        fprintf(stderr, "openline call: %s\n", err);
        goto out_q;
    }
    /* SIGINT and SIGTERM hang the call up; then the program ends by the signal */
    signals_catch();

    for (long i = 0; i < a.repeat && !signals_caught(); i++) {
        if (a.repeat > 1)
            printf("call %ld\n", i + 1);
        status = place_call(api, e, &q, a.lang ? a.lang : "en", uri, a.seconds, &x);
        if (status != CALL_EXIT_OK)
            break;
    }
    api->engine_stop(e);
out_q:
    pthread_mutex_destroy(&q.mx);
    pthread_cond_destroy(&q.cv);
out:
    free(x.say.s);
    free(x.speech.s);
    free(cfg);
    return signals_exit(status);
}

/* speech-play: play until speech_now() reads 0, or stop after stop_ms; then linger_ms more
 * with the engine running (the device closes 2 s after the speech). */
static int play_speech(const struct call_api *api, struct call_engine *e, const struct pcm *p,
                       long stop_ms, long linger_ms)
{
    uint64_t t0 = mono_us();
    int rc = api->speech_play(e, 7, p->s, p->n, p->rate);
    if (rc) {
        fprintf(stderr, "openline speech-play: %s\n", strerror(rc));
        return CALL_EXIT_FAILED;
    }
    printf("speech: %zu samples at %u Hz (%.3f s) queued as tag 7\n", p->n, p->rate,
           (double)p->n / p->rate);
    fflush(stdout);
    while (!signals_caught()) {
        uint64_t us = mono_us() - t0;
        if (stop_ms >= 0 && us >= (uint64_t)stop_ms * 1000u) {
            rc = api->speech_stop(e);
            printf("speech: stopped at %.1f ms (%s); speech_now %u\n", us / 1000.0,
                   rc ? strerror(rc) : "ok", api->speech_now(e));
            break;
        }
        if (!api->speech_now(e)) {
            printf("speech: played out at %.1f ms\n", us / 1000.0);
            break;
        }
        sleep_ms(1);
    }
    fflush(stdout);
    for (uint64_t end = mono_ms() + (uint64_t)(linger_ms > 0 ? linger_ms : 0);
         mono_ms() < end && !signals_caught();)
        sleep_ms(10);
    return rc ? CALL_EXIT_FAILED : CALL_EXIT_OK;
}

int kiosk_cmd_speech_play(int argc, char **argv)
{
    static const char usage[] =
        "openline speech-play [--config FILE] [--audio wav:IN.wav:OUT.wav | null | "
        "portaudio[:DEVICE]] [--stop-after MS] [--linger MS] FILE.wav";
    struct kiosk_args a;
    struct config *cfg = NULL;
    const struct call_api *api = NULL;
    struct call_engine *e = NULL;
    struct queue q = {.n = 0};
    struct pcm p = {.s = NULL};
    char err[CONFIG_ERR_LEN];
    int status = CALL_EXIT_FAILED;

    int st = kiosk_args_read(
        argc, argv, KIOSK_OPT_CONFIG | KIOSK_OPT_AUDIO | KIOSK_OPT_STOP_AFTER | KIOSK_OPT_LINGER,
        usage, &a);
    if (st >= 0)
        return st == KIOSK_EXIT_CONFIG ? CALL_EXIT_FAILED : st;
    if (a.n_operands != 1) {
        fprintf(stderr, "usage: %s\n", usage);
        return CALL_EXIT_FAILED;
    }
    cfg = calloc(1, sizeof(*cfg));
    if (!cfg || load_settings("speech-play", cfg, a.config, NULL, a.audio) ||
        wav_load(a.operands[0], &p))
        goto out;
    pthread_mutex_init(&q.mx, NULL);
    pthread_cond_init(&q.cv, NULL);
    api = call_api_load(err, sizeof(err));
    if (!api || api->engine_start(&e, cfg, on_event, &q, err, sizeof(err))) {
        fprintf(stderr, "openline speech-play: %s\n", err);
        goto out_q;
    }
    signals_catch();
    status = play_speech(api, e, &p, a.stop_after_ms, a.linger_ms);
    api->engine_stop(e);
out_q:
    pthread_mutex_destroy(&q.mx);
    pthread_cond_destroy(&q.cv);
out:
    free(p.s);
    free(cfg);
    return signals_exit(status);
}
