/* openline call: place one hotline call headless and print each state change.
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

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
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
static int load_settings(struct config *cfg, const char *config, const char *uri, const char *audio)
{
    char err[CONFIG_ERR_LEN];
    if (config) {
        if (config_load(cfg, config, err, sizeof(err))) {
            fprintf(stderr, "openline call: %s\n", err);
            return EINVAL;
        }
    } else {
        config_defaults(cfg);
        fprintf(stderr, "openline call: no --config: default settings\n");
    }
    if (uri && util_strlcpy(cfg->hotline.uri, uri, sizeof(cfg->hotline.uri))) {
        fprintf(stderr, "openline call: URI too long\n");
        return EINVAL;
    }
    if (audio && parse_audio(cfg, audio)) {
        fprintf(stderr,
                "openline call: --audio %s: accepted: wav:IN.wav:OUT.wav, null, "
                "portaudio or portaudio:DEVICE\n",
                audio);
        return EINVAL;
    }
    return 0;
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

/* One call: dial, print every event until it ends, hang up after seconds connected or at
 * SIGINT or SIGTERM. Returns the exit status it earns. */
static int place_call(const struct call_api *api, struct call_engine *e, struct queue *q,
                      const char *lang, const char *uri, long seconds)
{
    bool connected = false, hung_up = false;
    uint64_t hangup_at = 0;
    int status = -1; /* until the call ends */
    struct call_event ev;

    if (api->dial(e, lang, uri)) {
        fprintf(stderr, "openline call: cannot queue the call\n");
        return CALL_EXIT_FAILED;
    }
    while (status < 0) {
        if (next_event(q, &ev, 20)) {
            print_event(&ev);
            switch (ev.state) {
            case CALL_STATE_CONNECTED:
                connected = true;
                hangup_at = mono_ms() + (uint64_t)seconds * 1000u;
                break;
            case CALL_STATE_ENDED:
                status = connected ? CALL_EXIT_OK : CALL_EXIT_FAILED;
                break;
            case CALL_STATE_FAILED:
                status = ev.failure == CALL_FAIL_BUSY        ? CALL_EXIT_BUSY
                         : ev.failure == CALL_FAIL_NO_ANSWER ? CALL_EXIT_NO_ANSWER
                                                             : CALL_EXIT_FAILED;
                break;
            default:
                break;
            }
        }
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
        "portaudio[:DEVICE]] [--seconds N] [--repeat N] [URI]";
    struct kiosk_args a;
    struct config *cfg = NULL;
    const struct call_api *api = NULL;
    struct call_engine *e = NULL;
    struct queue q = {.n = 0};
    char err[CONFIG_ERR_LEN];
    int status = CALL_EXIT_FAILED;

    int st = kiosk_args_read(argc, argv,
                             KIOSK_OPT_CONFIG | KIOSK_OPT_LANG | KIOSK_OPT_AUDIO |
                                 KIOSK_OPT_SECONDS | KIOSK_OPT_REPEAT,
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
    if (load_settings(cfg, a.config, uri, a.audio))
        goto out;
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
        status = place_call(api, e, &q, a.lang ? a.lang : "en", uri, a.seconds);
        if (status != CALL_EXIT_OK)
            break;
    }
    api->engine_stop(e);
out_q:
    pthread_mutex_destroy(&q.mx);
    pthread_cond_destroy(&q.cv);
out:
    free(cfg);
    return signals_exit(status);
}
