/* The call plug-in's contract: all the kiosk may know of hotline calls (SIP and RTP on libre
 * in a thread of their own, outbound only), which live in openline-call.so.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_CALL_API_H
#define OPENLINE_CALL_API_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openline/log.h"

struct config;

/* What the call thread reports. Delivered on the call thread to the handler given to
 * engine_start(); the kiosk's handler only copies it into an SDL user event. */
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
    char reason[320];  /* for logs and `openline call`: never shown with visitor data */
    uint64_t ms;       /* milliseconds since dial() */
    bool secondary;    /* this attempt is on the secondary hotline */
    bool availability; /* not about a call: audio_ok() changed (reason: why) */
};

typedef void(call_event_h)(const struct call_event *ev, void *arg);

/* The engine (opaque): started and reached only through struct call_api. */
struct call_engine;

/* Registration with the hotline's registrar ([hotline] register = yes). */
enum call_reg_state {
    CALL_REG_OFF,    /* not configured */
    CALL_REG_TRYING, /* REGISTER sent, no final answer yet */
    CALL_REG_OK,     /* registered; refreshed at 90 % of register_interval */
    CALL_REG_FAILED, /* see the reason; retried by libre with back-off */
};

/* The call subsystem (the engine, the audio drivers and their libraries: libre, OpenSSL,
 * PortAudio, Opus, speexdsp, spandsp, libsystemd) is built as a plug-in, openline-call.so, that
 * the kiosk loads after its first frame is on screen. The content therefore appears without waiting
 * for SIP, TLS and the sound system, the kiosk's first-frame memory holds none of them, and a kiosk
 * whose call libraries are missing or broken still starts and shows the number. The kiosk reaches
 * the plug-in only through this table (filled in app/call/plugin.c; the functions behind it are
 * documented in app/call/engine.h and app/audio/audio.h). */
#define CALL_API_VERSION 4

/* What the kiosk hands the plug-in in init(): all it uses of the program. The plug-in calls no
 * function of the program by name (tools/check-plugin.sh checks both binaries at every build):
 * small pure helpers such as util_strlcpy() are compiled into it. */
struct call_host {
    /* log_vmsg(): one line at level to the kiosk's log. Any thread but the audio callback;
     * never visitor data (docs/design.md 2.2). */
    void (*log)(enum log_level level, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));
};

struct call_api {
    unsigned version;   /* CALL_API_VERSION */
    size_t config_size; /* sizeof(struct config): plug-in and kiosk share the struct */
    const char *build;  /* OPENLINE_CALL_ABI: version and a checksum of this header, config.h
                         * and log.h, so that a plug-in from another build is refused */
    /* The loader calls this once, after checking the three fields above and before any other
     * slot; host stays valid until the program exits. */
    void (*init)(const struct call_host *host);
    /* Start the call thread with the [hotline] and [audio] settings of cfg (cfg must outlive
     * the engine). handler runs on the call thread and must not block. *ep set on success. */
    int (*engine_start)(struct call_engine **ep, const struct config *cfg, call_event_h *handler,
                        void *arg, char *err, size_t errlen);
    /* Stop any call (BYE) and the thread; waits for it. NULL is ignored. */
    void (*engine_stop)(struct call_engine *e);
    /* Thread-safe and at once; results arrive as events. Place a call in language code lang
     * (uri, when not NULL, overrides the configured hotline addresses). */
    int (*dial)(struct call_engine *e, const char *lang, const char *uri);
    /* Hang up now: BYE (or CANCEL) sent within 100 ms, audio stopped, microphone closed. */
    int (*hangup)(struct call_engine *e);
    /* RFC 4733 telephone-event for '0'-'9', '*', '#'. */
    int (*dtmf)(struct call_engine *e, char digit);
    /* Playback volume, 0..100 percent: of the call in progress, and of speech outside calls
     * (the kiosk sets it at each session's start to the configured level). */
    int (*volume)(struct call_engine *e, int percent);
    /* Speech outside calls (read-aloud): queue n samples at rate Hz (mono, copied) after what
     * is queued, tagged tag (never 0). Any thread, at once. The device is opened for playback
     * only (the microphone stays closed) on the audio-control thread when needed, and closed
     * after 2 s with nothing queued. EBUSY while a call is dialled and not ended (the kiosk
     * stops speech before dialling; a dial drops what is queued); ENODEV when no audio device
     * is usable; EINVAL for tag 0 or a rate of 0 or above 192000. */
    int (*speech_play)(struct call_engine *e, uint32_t tag, const int16_t *pcm, size_t n,
                       unsigned rate);
    /* Drop all queued speech: the output falls silent within one device block (<= 20 ms). Any
     * thread. */
    int (*speech_stop)(struct call_engine *e);
    /* The tag of the speech the device is playing now (from speech_play until its last sample
     * was played), 0 when nothing is playing (all played or stopped). Any thread (an atomic). */
    uint32_t (*speech_now)(const struct call_engine *e);
    /* During a connected call: mix pcm (rate Hz, copied) into what the hotline hears, after
     * echo cancellation and noise suppression, while the microphone keeps working; queued
     * after any phrase still being sent. Any thread. ENOTCONN when no call is connected.
     * Nothing about it is logged. */
    int (*call_say)(struct call_engine *e, const int16_t *pcm, size_t n, unsigned rate);
    /* True while the configured audio device is usable (else the kiosk shows the number). */
    bool (*audio_ok)(const struct call_engine *e);
    /* The registration state now, with a reason (len bytes into why, may be NULL). */
    enum call_reg_state (*registration)(struct call_engine *e, char *why, size_t len);
    /* self-test: does the hotline (or the registrar) answer; is there a usable audio device.
     * Block up to about [hotline] connect_timeout; the outcome in why either way. */
    bool (*check_hotline)(const struct config *cfg, char *why, size_t len);
    bool (*check_audio)(const struct config *cfg, char *why, size_t len);
};

/* The plug-in's one exported symbol. */
#define CALL_API_SYMBOL "openline_call_api"

#endif
