/* Call engine internals shared by the engine (SIP), the media path (RTP) and their helpers.
 * Everything here runs on the call thread unless a comment says otherwise.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_CALL_INT_H
#define OPENLINE_CALL_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../audio/audio.h"
#include "engine.h"
#include "openline/config.h"

struct sa;
struct sdp_session;
struct mbuf;

/* ---- jitter buffer (jitter.c): RTP packets ordered by sequence number ---- */
enum {
    CALL_JITTER_SLOTS = 64,
    CALL_JITTER_MAX_PAYLOAD = 1400,
};

struct call_jitter {
    struct call_jitter_slot {
        bool used;
        uint16_t seq;
        uint32_t ts;
        uint16_t len;
        uint64_t arrival_ns; /* CLOCK_MONOTONIC when received, for latency figures */
        uint8_t data[CALL_JITTER_MAX_PAYLOAD];
    } slot[CALL_JITTER_SLOTS];
    bool started;
    uint32_t ssrc;  /* the source being played (RFC 3550 synchronization source) */
    uint16_t next;  /* sequence number played next */
    bool probation; /* a packet far behind came: one more in sequence after it restarts */
    uint16_t probation_seq;
    unsigned count;
    unsigned max_depth; /* packets kept at most; older ones are skipped */
    uint64_t late, lost, dropped, reset, sources;
};

enum call_jitter_result {
    CALL_JITTER_EMPTY, /* nothing buffered: underflow */
    CALL_JITTER_LOST,  /* the next packet is missing but later ones are here: conceal one */
    CALL_JITTER_OK,
};

void call_jitter_init(struct call_jitter *jb, unsigned max_depth);
/* Store one payload; late and duplicate packets are dropped. */
void call_jitter_put(struct call_jitter *jb, uint32_t ssrc, uint16_t seq, uint32_t ts,
                     const uint8_t *data, size_t len, uint64_t arrival_ns);
/* Take the next packet in order: on CALL_JITTER_OK *slot points into jb until the next put. */
enum call_jitter_result call_jitter_get(struct call_jitter *jb,
                                        const struct call_jitter_slot **slot);
/* The next packet in order is here (call_jitter_get would return CALL_JITTER_OK). */
bool call_jitter_ready(const struct call_jitter *jb);

/* ---- playout schedule (playout.c): when the far end's packets are decoded and played ---- */
enum {
    CALL_PLAYOUT_STEP_US = 10000,   /* silence, concealment and trims come in 10 ms pieces */
    CALL_PACKET_US = 20000,         /* the packets' length (ptime 20) */
    CALL_PLAYOUT_MAX_US = 200000,   /* late packets raise the playout delay up to this */
    CALL_PLAYOUT_CALM_WINDOWS = 20, /* 10 s of trim windows: the delay falls after this calm */
};

struct call_playout {
    unsigned min_us;       /* jitter_buffer: the playout delay on a calm network, and the least */
    unsigned target_us;    /* playout delay now: raised by late packets, lowered after calm */
    unsigned max_us;       /* the most target_us has been */
    bool anchored;         /* playing a stream at the playout delay */
    unsigned stall_us;     /* concealed so far for the packet that is due and missing */
    unsigned window_n;     /* packets decoded in this half second */
    unsigned windows;      /* windows since the stream started */
    bool after_gap;        /* concealment or a skip came before the next decode */
    int64_t window_min_us; /* the least of their queued time above the delay */
    uint64_t trims;        /* times the start of a packet was left out to come back to the delay */
    unsigned calm_n;       /* windows since the delay was last raised */
    /* per window of the last CALL_PLAYOUT_CALM_WINDOWS: the most of the delay a packet used
     * (the delay less what it found queued), indexed by calm_n */
    int64_t used_us[CALL_PLAYOUT_CALM_WINDOWS];
    uint64_t raises;          /* times a late packet raised the delay */
    bool decoded;             /* a packet of this stream was decoded: the next two are set */
    uint16_t last_seq;        /* the last packet decoded */
    uint64_t last_arrival_ns; /* and when it arrived */
};

enum call_playout_action {
    CALL_PLAYOUT_WAIT,    /* nothing until the next packet or callback */
    CALL_PLAYOUT_SILENCE, /* queue *us of silence */
    CALL_PLAYOUT_DECODE,  /* take the next packet, decode it, queue it without its first *us */
    CALL_PLAYOUT_CONCEAL, /* queue 10 ms of concealment: the packet due is missing */
    CALL_PLAYOUT_SKIP,    /* the packet due is lost (a later one is here): take it, queue nothing */
};

/* target_ms: jitter_buffer, the playout delay to start at and the least it is lowered to. */
void call_playout_init(struct call_playout *p, unsigned target_ms);
/* What to do now. queued_us: until what is queued for the loudspeaker runs out (the device
 * ring, played from the driver's next callback on); ring_us: what the ring holds; block_us:
 * what the driver takes per callback. Call again after doing it, until CALL_PLAYOUT_WAIT. */
enum call_playout_action call_playout_next(struct call_playout *p, const struct call_jitter *jb,
                                           uint64_t queued_us, uint64_t ring_us, uint64_t block_us,
                                           unsigned *us);
/* Something else plays (ringback, no codec yet): the next packet starts a stream again. */
void call_playout_pause(struct call_playout *p);

/* ---- codecs (codec.c) ---- */
enum call_codec_id {
    CALL_CODEC_OPUS,
    CALL_CODEC_PCMU,
    CALL_CODEC_PCMA,
};

enum {
    CALL_RATE = 16000,           /* the voice path between codec and device: wideband */
    CALL_FRAME = CALL_RATE / 50, /* 20 ms */
};

struct call_codec;

/* Encoder and decoder for CALL_RATE mono audio in 20 ms frames. */
int call_codec_alloc(struct call_codec **cp, enum call_codec_id id);
void call_codec_free(struct call_codec *c);
/* RTP clock rate (48000 for Opus, 8000 for G.711). */
unsigned call_codec_clock(const struct call_codec *c);
/* Delay of the resampling around G.711 (encode: 16 to 8 kHz; decode: 8 to 16 kHz), in us. */
unsigned call_codec_delay_us(const struct call_codec *c, bool encode);
/* Encode CALL_FRAME samples; returns the payload length or -1. */
int call_codec_encode(struct call_codec *c, const int16_t *pcm, uint8_t *out, size_t outlen);
/* Decode one payload (NULL: conceal one lost frame) into at most max samples at CALL_RATE;
 * returns the samples produced or -1. */
int call_codec_decode(struct call_codec *c, const uint8_t *data, size_t len, int16_t *pcm,
                      size_t max);

/* ---- media (media.c): one RTP stream with its SDP, SRTP, jitter buffer and audio path ---- */
struct call_media;

struct call_media_opts {
    const struct config *cfg;
    struct audio_dev *audio; /* started by the caller, or NULL until it is; not owned */
    const struct sa *laddr;  /* local IP */
    bool secure;             /* RTP/SAVP with SDES keys */
    unsigned volume;         /* percent */
};

int call_media_alloc(struct call_media **mp, const struct call_media_opts *o);
/* The device opened (started by the caller; not owned): the media path starts using it. */
int call_media_attach_audio(struct call_media *m, struct audio_dev *audio);
void call_media_free(struct call_media *m);
/* Our SDP offer. *mbp (libre mbuf) set on success. */
int call_media_offer(struct call_media *m, struct mbuf **mbp);
/* Apply an SDP answer (final or early). Returns 0, or an errno value with why set. */
int call_media_answer(struct call_media *m, struct mbuf *sdp, char *why, size_t len);
/* A re-INVITE's offer: apply it and write our answer into *mbp. */
int call_media_reoffer(struct call_media *m, struct mbuf *sdp, struct mbuf **mbp);
/* What the loudspeaker plays: local ringback, remote early media, or the call. */
void call_media_set_ringback(struct call_media *m, bool on);
/* Start sending the microphone (after 200 OK). */
void call_media_set_sending(struct call_media *m, bool on);
void call_media_volume(struct call_media *m, unsigned percent);
/* Mix n samples at rate Hz into what the hotline hears (after echo cancellation and noise
 * suppression, never into the canceller's reference), after any phrase still being sent.
 * Resampled to CALL_RATE here. 0 or ENOMEM. */
int call_media_say(struct call_media *m, const int16_t *pcm, size_t n, unsigned rate);
int call_media_dtmf(struct call_media *m, char digit);
/* Nanoseconds (CLOCK_MONOTONIC) of the last RTP or RTCP packet received; 0 = none yet. */
uint64_t call_media_last_rx(const struct call_media *m);
/* One line about codec, encryption, packets and latency, for `openline call`. */
void call_media_summary(const struct call_media *m, char *buf, size_t len);
/* Milliseconds since CLOCK_MONOTONIC epoch of the first RTP packet sent, 0 = none. */
uint64_t call_media_first_tx_ms(const struct call_media *m);

/* ---- TLS verification (tls.c) ---- */
struct tls;

/* Where verification results land (owned by the engine, outlives the TLS context). */
struct call_tls_verify {
    char host[256];  /* name or IP literal the server must prove */
    char error[200]; /* first failure since call_tls_expect(), "" = none */
};

/* A client TLS context that verifies the server's chain against ca_file and its name against
 * v->host (OpenSSL's X509_VERIFY_PARAM; SNI set for names). libre 1.1.0 verifies nothing by
 * itself. *tp set on success; err says why not. */
int call_tls_alloc(struct tls **tp, const char *ca_file, struct call_tls_verify *v, char *err,
                   size_t errlen);
/* Expect host (name or IP literal) on the next connections; clears the last error. */
int call_tls_expect(struct tls *t, struct call_tls_verify *v, const char *host);

/* ---- the audio device's life (audioctl.c): probe, open and close on a thread of their own,
 * so a slow or hung sound server never holds up signalling ---- */
struct call_audioctl;
struct mqueue;

enum call_audio_op {
    CALL_AUDIO_PROBE,          /* audio_dev_alloc: result dev, or rc and why */
    CALL_AUDIO_START,          /* audio_dev_start(dev): result rc and why */
    CALL_AUDIO_START_PLAYBACK, /* audio_dev_start_playback(dev), speech: result rc and why */
    CALL_AUDIO_STOP,           /* audio_dev_stop(dev): no result */
    CALL_AUDIO_FREE,           /* audio_dev_free(dev): no result */
};

/* The outcome of a probe or a start (either kind), taken on the call thread. */
struct call_audio_done {
    enum call_audio_op op;
    struct audio_dev *dev; /* probe: the device (owned by the taker) or NULL */
    uint64_t seq;          /* the request's */
    int rc;
    char why[256];
};

/* Starts the thread; results are announced by mqueue_push(mq, mq_id, NULL). */
int call_audioctl_alloc(struct call_audioctl **ap, const struct config *cfg, struct mqueue *mq,
                        int mq_id);
/* Queue a request (run in order). EAGAIN when the queue is full. */
int call_audioctl_request(struct call_audioctl *a, enum call_audio_op op, struct audio_dev *dev,
                          uint64_t seq);
/* Nothing queued or running. */
bool call_audioctl_idle(struct call_audioctl *a);
/* The next result, if any. */
bool call_audioctl_take(struct call_audioctl *a, struct call_audio_done *d);
/* Close and free what is queued (nothing more is opened), wait up to wait_ms for the thread.
 * false: it is stuck in a driver and is left behind; it frees itself if it ever returns. */
bool call_audioctl_close(struct call_audioctl *a, unsigned wait_ms);

uint64_t call_now_ms(void);

#endif
