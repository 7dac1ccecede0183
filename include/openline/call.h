/* Hotline calls: SIP and RTP on libre in a thread of their own; outbound only.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_CALL_H
#define OPENLINE_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;

/* What the call thread reports. Delivered on the call thread to the handler given to
 * call_engine_start(); the kiosk's handler only copies it into an SDL user event. */
enum call_state {
    CALL_STATE_IDLE,
    CALL_STATE_CONNECTING, /* INVITE sent */
    CALL_STATE_RINGING,    /* 180/183 received */
    CALL_STATE_CONNECTED,  /* 200 OK, media flowing */
    CALL_STATE_ENDED,      /* normal end (either side hung up) */
    CALL_STATE_FAILED,     /* see enum call_failure */
};

enum call_failure {
    CALL_FAIL_NONE,
    CALL_FAIL_BUSY,        /* 486/600 */
    CALL_FAIL_NO_ANSWER,   /* no answer within the configured time */
    CALL_FAIL_UNREACHABLE, /* no route, timeout, connection refused */
    CALL_FAIL_TLS,         /* the server's certificate did not verify */
    CALL_FAIL_REJECTED,    /* other 4xx/5xx/6xx (503 ...) */
    CALL_FAIL_LOST,        /* media or signalling lost mid-call */
    CALL_FAIL_AUDIO,       /* no usable audio device */
    CALL_FAIL_MEDIA,       /* the answer had no usable SRTP key: encrypted media refused */
};

struct call_event {
    enum call_state state;
    enum call_failure failure;
    int sip_status;    /* final SIP status when there was one, else 0 */
    char reason[160];  /* for logs and `openline call`: never shown with visitor data */
    uint64_t ms;       /* milliseconds since call_engine_dial() */
    bool secondary;    /* this attempt is on the secondary hotline */
    bool availability; /* not about a call: call_engine_audio_ok() changed (reason: why) */
};

typedef void(call_event_h)(const struct call_event *ev, void *arg);

struct call_engine;

/* Start the call thread with the [hotline] and [audio] settings of cfg (cfg must outlive the
 * engine). handler runs on the call thread and must not block. *ep is set only on success. */
int call_engine_start(struct call_engine **ep, const struct config *cfg, call_event_h *handler,
                      void *arg, char *err, size_t errlen);

/* Stop any call (BYE) and the thread; waits for it. NULL is ignored. */
void call_engine_stop(struct call_engine *e);

/* The following are thread-safe and return at once; results arrive as events.
 * Place a call in language code lang (sent as Accept-Language; a per-language URI in the
 * configuration overrides the hotline URI). Tries the secondary hotline when the primary fails.
 * uri overrides both when not NULL (the `openline call` command). */
int call_engine_dial(struct call_engine *e, const char *lang, const char *uri);
/* Hang up now: BYE (or CANCEL) sent within 100 ms, audio stopped, microphone closed. */
int call_engine_hangup(struct call_engine *e);
/* RFC 4733 telephone-event for '0'-'9', '*', '#'. */
int call_engine_dtmf(struct call_engine *e, char digit);
/* Playback volume, 0..100 percent, for this call; reset to the configured level by
 * call_engine_hangup(). */
int call_engine_volume(struct call_engine *e, int percent);

/* True while the configured audio device is usable (else calls are unavailable and the kiosk
 * shows the number instead). Without one the engine probes again every 10 s; each change is
 * reported by an event with availability set. */
bool call_engine_audio_ok(const struct call_engine *e);

/* Registration with the hotline's registrar ([hotline] register = yes). */
enum call_reg_state {
    CALL_REG_OFF,    /* not configured */
    CALL_REG_TRYING, /* REGISTER sent, no final answer yet */
    CALL_REG_OK,     /* registered; refreshed at 90 % of register_interval */
    CALL_REG_FAILED, /* see the reason; retried by libre with back-off */
};

/* The registration state now, with a reason (len bytes into why, may be NULL). Thread-safe. */
enum call_reg_state call_engine_registration(struct call_engine *e, char *why, size_t len);

/* self-test: start an engine with cfg, and either wait for the registration's outcome or send
 * OPTIONS to the primary hotline (TLS verified as for calls); stop it again. Blocks up to
 * about [hotline] connect_timeout. Returns true when the hotline answered, with what it said
 * in why; false with the reason (no URI, unreachable, certificate error, 4xx from registrar). */
bool call_check_hotline(const struct config *cfg, char *why, size_t len);

/* The call subsystem (this header's functions, the audio drivers and their libraries: libre,
 * OpenSSL, PortAudio, Opus, speexdsp) is built as a plug-in, openline-call.so, that the kiosk
 * loads after its first frame is on screen. The content therefore appears without waiting for
 * SIP, TLS and the sound system, the kiosk's first-frame memory holds none of them, and a
 * kiosk whose call libraries are missing or broken still starts and shows the number.
 * The kiosk reaches the functions above only through this table. */
#define CALL_API_VERSION 1

struct call_api {
    unsigned version;   /* CALL_API_VERSION */
    size_t config_size; /* sizeof(struct config): plug-in and kiosk share the struct */
    const char *build;  /* OPENLINE_CALL_ABI: version and a checksum of this header and
                         * config.h, so that a plug-in from another build is refused */
    int (*engine_start)(struct call_engine **ep, const struct config *cfg, call_event_h *handler,
                        void *arg, char *err, size_t errlen);
    void (*engine_stop)(struct call_engine *e);
    int (*dial)(struct call_engine *e, const char *lang, const char *uri);
    int (*hangup)(struct call_engine *e);
    int (*dtmf)(struct call_engine *e, char digit);
    int (*volume)(struct call_engine *e, int percent);
    bool (*audio_ok)(const struct call_engine *e);
    enum call_reg_state (*registration)(struct call_engine *e, char *why, size_t len);
    bool (*check_hotline)(const struct config *cfg, char *why, size_t len);
    bool (*check_audio)(const struct config *cfg, char *why, size_t len);
};

/* The plug-in's one exported symbol. */
#define CALL_API_SYMBOL "openline_call_api"

/* The kiosk side (app/kiosk/call_plugin.c): load openline-call.so once, from the directory of
 * the running program (a build tree) or else the installed plug-in directory. Returns NULL with
 * the reason in err when it is missing, does not load, or comes from another build. Not
 * thread-safe: call from the main thread. */
const struct call_api *call_api_load(char *err, size_t errlen);

#endif
