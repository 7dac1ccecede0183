/* Test audio drivers "wav" and "null", paced in real time by a thread of their own.
 * wav: the microphone hears [audio] capture_file (then silence), optionally plus the loudspeaker
 * delayed, attenuated and reverberated (a simulated room, room.c) and a looped noise file; the
 * loudspeaker is written to playback_file.
 * null: silence in, nothing out. Neither is ever chosen unless named.
 * Started for playback only (speech outside calls), neither captures: the capture file is not
 * read and audio_dev_process() gets no input. The playback file is written block by block as
 * the device plays, so it shows when output starts and stops.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio_int.h"
#include "openline/log.h"

enum {
    WAV_RATE = 48000,
    BLOCK = WAV_RATE / 100, /* 10 ms */
};

struct priv {
    bool is_wav;
    int16_t *in; /* capture_file, converted */
    size_t in_n;
    size_t in_pos;
    FILE *out; /* playback_file while started */
    uint32_t out_bytes;
    struct audio_room *room; /* the loudspeaker heard by the microphone, or NULL */
    int16_t *noise;          /* wav_room_noise, looped */
    size_t noise_n, noise_pos;
    pthread_t thread;
    struct timespec start; /* CLOCK_MONOTONIC when the device's clock began */
    atomic_bool quit;
    /* The pace thread's real-time priority (audio_rt_boost), which it may not log: set before
     * it posts rt_ready, read and logged by wav_start. */
    sem_t rt_ready;
    int rt_rc;
    char rt_why[320];
};

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* 44-byte header of a mono 16-bit PCM WAV holding `bytes` of samples. */
static void wav_header(unsigned char h[44], uint32_t bytes)
{
    memcpy(h, "RIFF", 4);
    put_le32(h + 4, 36 + bytes);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_le32(h + 16, 16);
    h[20] = 1, h[21] = 0; /* PCM */
    h[22] = 1, h[23] = 0; /* mono */
    put_le32(h + 24, WAV_RATE);
    put_le32(h + 28, WAV_RATE * 2);
    h[32] = 2, h[33] = 0;
    h[34] = 16, h[35] = 0;
    memcpy(h + 36, "data", 4);
    put_le32(h + 40, bytes);
}

/* The room: [audio] wav_room_delay, wav_room_attenuation, wav_room_impulse, wav_room_noise. */
static int room_init(struct audio_dev *dev, char *err, size_t errlen)
{
    struct priv *p = dev->priv;
    const struct config *cfg = dev->cfg;
    int16_t *ir = NULL;
    size_t ir_n = 0;
    char why[200];
    int rc = 0;

    if (cfg->audio.wav_room_noise[0]) {
        rc = audio_wav_load(cfg->audio.wav_room_noise, WAV_RATE, &p->noise, &p->noise_n, why,
                            sizeof(why));
        if (!rc && !p->noise_n) {
            rc = EINVAL;
            snprintf(why, sizeof(why), "no samples");
        }
        if (rc) {
            snprintf(err, errlen, "wav_room_noise: %s", why);
            return rc;
        }
    }
    if (!cfg->audio.wav_room_delay_ms)
        return 0;
    if (cfg->audio.wav_room_delay_ms < 10) {
        /* the echo of a block comes only from blocks played before it */
        snprintf(err, errlen, "wav_room_delay: at least 10ms (the driver's block), or 0");
        return EINVAL;
    }
    if (cfg->audio.wav_room_impulse[0]) {
        rc = audio_wav_load(cfg->audio.wav_room_impulse, WAV_RATE, &ir, &ir_n, why, sizeof(why));
        if (rc) {
            snprintf(err, errlen, "wav_room_impulse: %s", why);
            return rc;
        }
    }
    rc = audio_room_alloc(&p->room, WAV_RATE / 1000 * (size_t)cfg->audio.wav_room_delay_ms,
                          cfg->audio.wav_room_attenuation_db, ir, ir_n, why, sizeof(why));
    if (rc)
        snprintf(err, errlen, "wav_room_impulse: %s", why);
    free(ir);
    return rc;
}

static int init_common(struct audio_dev *dev, bool is_wav, char *err, size_t errlen)
{
    struct priv *p = dev->priv;
    const struct config *cfg = dev->cfg;

    p->is_wav = is_wav;
    dev->rate = WAV_RATE;
    sem_init(&p->rt_ready, 0, 0);
    atomic_init(&p->quit, false);
    if (!is_wav) {
        snprintf(dev->name, sizeof(dev->name), "null (silence, nothing played)");
        return 0;
    }
    if (cfg->audio.capture_file[0]) {
        int rc = audio_wav_load(cfg->audio.capture_file, WAV_RATE, &p->in, &p->in_n, err, errlen);
        if (rc)
            return rc;
    }
    int rc = room_init(dev, err, errlen);
    if (rc)
        return rc;
    snprintf(dev->name, sizeof(dev->name), "wav (capture %s, playback %s%s%s)",
             cfg->audio.capture_file[0] ? "from a file" : "silence",
             cfg->audio.playback_file[0] ? "to a file" : "discarded", p->room ? ", room echo" : "",
             p->noise ? ", room noise" : "");
    return 0;
}

static int wav_init(struct audio_dev *dev, char *err, size_t errlen)
{
    return init_common(dev, true, err, errlen);
}

static int null_init(struct audio_dev *dev, char *err, size_t errlen)
{
    return init_common(dev, false, err, errlen);
}

/* What the microphone hears besides capture_file: the room's echo of what the loudspeaker
 * played, and the room's noise. */
static void room_hear(struct priv *p, int16_t *in)
{
    float echo[BLOCK];
    if (p->room)
        audio_room_echo(p->room, echo, BLOCK);
    for (size_t i = 0; i < BLOCK; i++) {
        float v = in[i];
        if (p->room)
            v += echo[i];
        if (p->noise) {
            v += p->noise[p->noise_pos];
            p->noise_pos = (p->noise_pos + 1) % p->noise_n;
        }
        v = v < 0 ? v - 0.5f : v + 0.5f; /* to the nearest */
        in[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}

/* The device's clock: one 10 ms block per absolute deadline on CLOCK_MONOTONIC. This thread
 * stands for the sound card, so it may sleep and write the file; audio_dev_process() does not.
 * It runs real-time where permitted, above the call thread, as a sound card's interrupt and
 * PortAudio's callback do: the call thread refills what it drains. */
static void *pace_thread(void *arg)
{
    struct audio_dev *dev = arg;
    struct priv *p = dev->priv;
    int16_t in[BLOCK], out[BLOCK];
    struct timespec next;

    pthread_setname_np(pthread_self(), "openline-audio");
    p->rt_rc = audio_rt_boost("the audio device's thread", AUDIO_RT_PRIO_DEVICE, p->rt_why,
                              sizeof(p->rt_why));
    sem_post(&p->rt_ready);
    next = p->start; /* sample 0 plays at start + one block */
    while (!atomic_load(&p->quit)) {
        next.tv_nsec += 10000000;
        if (next.tv_nsec >= 1000000000) {
            next.tv_nsec -= 1000000000;
            next.tv_sec++;
        }
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
            ;
        if (!dev->mic) {
            audio_dev_process(dev, NULL, out, BLOCK);
            if (p->out && fwrite(out, sizeof(*out), BLOCK, p->out) == BLOCK)
                p->out_bytes += BLOCK * sizeof(*out);
            continue;
        }
        size_t take = 0;
        if (p->in_pos < p->in_n) {
            take = p->in_n - p->in_pos < BLOCK ? p->in_n - p->in_pos : BLOCK;
            memcpy(in, p->in + p->in_pos, take * sizeof(*in));
            p->in_pos += take;
        }
        memset(in + take, 0, (BLOCK - take) * sizeof(*in));
        room_hear(p, in);
        audio_dev_process(dev, in, out, BLOCK);
        if (p->room)
            audio_room_played(p->room, out, BLOCK);
        if (p->out && fwrite(out, sizeof(*out), BLOCK, p->out) == BLOCK)
            p->out_bytes += BLOCK * sizeof(*out);
    }
    return NULL;
}

/* The wav driver with a playback file, for tests only: one line per start appended to
 * PLAYBACK_FILE.starts, which way it opened (a test tells that speech outside calls never opens
 * the microphone) and when its clock began, wall time (a test tells when a sample of the
 * playback file played: sample i at that time + i / rate + one block). Not the log: a log line
 * at a visitor's moment would say when someone was at the kiosk (docs/design.md 2.2). */
static void note_start(const struct audio_dev *dev, const char *playback_file)
{
    char path[PATH_MAX + 8];
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    snprintf(path, sizeof(path), "%s.starts", playback_file);
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    fprintf(f, "%s clock %lld.%06ld\n", dev->mic ? "microphone-open" : "playback-only",
            (long long)wall.tv_sec, wall.tv_nsec / 1000);
    fclose(f);
}

static int wav_start(struct audio_dev *dev, char *err, size_t errlen)
{
    struct priv *p = dev->priv;
    const struct config *cfg = dev->cfg;
    unsigned char h[44];
    int rc;

    p->in_pos = 0;
    p->out_bytes = 0;
    p->noise_pos = 0;
    if (p->room)
        audio_room_reset(p->room);
    atomic_store(&p->quit, false);
    if (p->is_wav && cfg->audio.playback_file[0]) {
        p->out = fopen(cfg->audio.playback_file, "wb");
        if (!p->out) {
            rc = errno;
            snprintf(err, errlen, "%s: %s", cfg->audio.playback_file, strerror(rc));
            return rc;
        }
        wav_header(h, 0);
        fwrite(h, 1, sizeof(h), p->out);
    }
    /* The newest sample of a block is captured at its callback, and the first sample handed
     * out plays at once: no buffering beyond the block itself (counted sample by sample). */
    dev->in_latency_us = dev->out_latency_us = 0;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    if (p->out)
        note_start(dev, cfg->audio.playback_file);
    rc = pthread_create(&p->thread, NULL, pace_thread, dev);
    if (rc) {
        snprintf(err, errlen, "cannot start the audio thread: %s", strerror(rc));
        if (p->out)
            fclose(p->out);
        p->out = NULL;
        return rc;
    }
    /* The thread may not log; this one may. Its first deadline is absolute, so the wait (a
     * system call, or rtkit's answer) costs it no block. */
    while (sem_wait(&p->rt_ready) && errno == EINTR)
        ;
    audio_rt_report(p->rt_rc, p->rt_why);
    return 0;
}

static void wav_stop(struct audio_dev *dev)
{
    struct priv *p = dev->priv;
    unsigned char h[44];

    atomic_store(&p->quit, true);
    pthread_join(p->thread, NULL);
    if (p->out) {
        wav_header(h, p->out_bytes);
        if (!fseek(p->out, 0, SEEK_SET))
            fwrite(h, 1, sizeof(h), p->out);
        fclose(p->out);
        p->out = NULL;
    }
}

static void wav_uninit(struct audio_dev *dev)
{
    struct priv *p = dev->priv;
    free(p->in);
    free(p->noise);
    audio_room_free(p->room);
    sem_destroy(&p->rt_ready);
    p->in = NULL;
    p->noise = NULL;
    p->room = NULL;
}

const struct audio_driver audio_driver_wav = {
    .name = "wav",
    .test_only = true,
    .priv_size = sizeof(struct priv),
    .init = wav_init,
    .start = wav_start,
    .stop = wav_stop,
    .uninit = wav_uninit,
};

const struct audio_driver audio_driver_null = {
    .name = "null",
    .test_only = true,
    .priv_size = sizeof(struct priv),
    .init = null_init,
    .start = wav_start,
    .stop = wav_stop,
    .uninit = wav_uninit,
};
