/* Audio: the loudspeaker and microphone behind one driver interface, and the voice processing
 * (echo cancellation, noise suppression, resampling) used by the call engine. Inside the call
 * plug-in only: the kiosk reaches audio_check() through struct call_api.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_AUDIO_H
#define OPENLINE_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct config;

/* One audio device: the configured driver ([audio] driver), opened for mono 16-bit full duplex
 * (calls) or for playback only (speech outside calls).
 * Samples move between the driver's realtime thread and the call thread through two lock-free
 * ring buffers. audio_dev_alloc/start/stop/free may block on a sound server: the call engine
 * runs them on its audio-control thread (app/call/audioctl.c); the others are for one thread
 * (the call thread), only while the device is started, and never block. */
struct audio_dev;

/* Latency and health counters of a running device (call thread). */
struct audio_dev_stats {
    uint64_t underruns;        /* playback callbacks that found too few samples */
    uint64_t overruns;         /* capture samples dropped because the ring was full */
    unsigned in_latency_us;    /* the driver's own input buffering */
    unsigned out_latency_us;   /* the driver's own output buffering */
    uint64_t last_callback_ns; /* CLOCK_MONOTONIC of the driver's latest callback */
    unsigned block;            /* samples the latest callback moved each way */
};

/* Prepare the configured driver without opening the microphone: find the device (PortAudio:
 * by [audio] device name; wav: read and convert capture_file) and check it can run.
 * *dp is set only on success. On failure err says why ("no audio device", the PortAudio
 * error, the WAV file problem). May block (the audio-control thread, or self-test). */
int audio_dev_alloc(struct audio_dev **dp, const struct config *cfg, char *err, size_t errlen);

/* Open and start the streams: from now the microphone is open. Rings start empty.
 * Returns 0 or an errno value with a reason in err. */
int audio_dev_start(struct audio_dev *d, char *err, size_t errlen);
/* The same for the loudspeaker only (speech outside calls): the microphone stays closed and
 * nothing is captured. May block like audio_dev_start(). */
int audio_dev_start_playback(struct audio_dev *d, char *err, size_t errlen);

/* Stop and close the streams (microphone closed). Safe when not started. */
void audio_dev_stop(struct audio_dev *d);

/* Stop if running and release everything. NULL is ignored. */
void audio_dev_free(struct audio_dev *d);

/* The device's sample rate in Hz (valid after audio_dev_alloc). */
unsigned audio_dev_rate(const struct audio_dev *d);
/* What was found: the host API and the devices, for logs and self-test. */
const char *audio_dev_name(const struct audio_dev *d);

/* Samples captured and not read yet; read up to n of them into buf, and into played (room for
 * n samples too) what the loudspeaker played at the same moments, silence included where it ran
 * dry: the echo canceller's reference, in step with the microphone whatever the playback ring
 * did (an underrun, a drop). Returns the number read. */
size_t audio_dev_capture_avail(const struct audio_dev *d);
size_t audio_dev_capture_read(struct audio_dev *d, int16_t *buf, int16_t *played, size_t n);

/* Samples waiting to be played; queue up to n more. Returns the number queued. */
size_t audio_dev_playback_fill(const struct audio_dev *d);
size_t audio_dev_playback_write(struct audio_dev *d, const int16_t *buf, size_t n);
/* Samples played (or dropped) since the start: the position the driver reads at, on the same
 * count as the samples written. */
size_t audio_dev_playback_pos(const struct audio_dev *d);
/* Drop everything queued for the loudspeaker now: the driver's next callback skips it, so the
 * output falls silent within one block. The callback honours it through an atomic (no lock);
 * what is written after this call plays. */
void audio_dev_playback_drop(struct audio_dev *d);

void audio_dev_stats(const struct audio_dev *d, struct audio_dev_stats *st);

/* An eventfd that becomes readable after every block the driver moved (captured samples to
 * read, room to play into): the call thread listens on it instead of polling. Read it to
 * clear it. Valid from audio_dev_alloc to audio_dev_free. */
int audio_dev_wake_fd(const struct audio_dev *d);

/* Real-time scheduling for the threads that must run on time (app/audio/rt.c). The device
 * outranks the call thread, which only refills the rings the device drains. */
enum {
    AUDIO_RT_PRIO_DEVICE = 20, /* the driver's thread: stands for the sound card */
    AUDIO_RT_PRIO_CALL = 10,   /* the call thread (libre's loop), woken by the device */
};

/* Make the calling thread SCHED_FIFO at prio (1-99), with SCHED_RESET_ON_FORK so that threads
 * and processes it starts run at normal priority. Where the process may not (EPERM: no
 * CAP_SYS_NICE, RLIMIT_RTPRIO below prio), ask rtkit over the D-Bus system bus, which clamps
 * prio to its MaxRealtimePriority. Either way RLIMIT_RTTIME is first lowered to a finite bound
 * (200 ms soft, 400 ms hard, 200 ms for rtkit) if it is higher: a real-time thread that stops
 * blocking ends the process (SIGXCPU) instead of holding a core.
 * Returns 0, or an errno value with why set to a sentence naming who ("the call thread") and
 * why it runs at normal priority; the thread goes on either way. May block on the system bus
 * for up to half a second: never on the audio callback. Any thread. */
int audio_rt_boost(const char *who, int prio, char *why, size_t len);
/* The same for thread tid (a kernel thread id) of this process: PortAudio's callback thread,
 * boosted from outside because its callback may not make system calls that block. */
int audio_rt_boost_tid(pid_t tid, const char *who, int prio, char *why, size_t len);
/* Log why (rc non-zero) at info level, once per process: the first refusal only. Never on the
 * audio callback or the driver's thread. */
void audio_rt_report(int rc, const char *why);

/* CLOCK_MONOTONIC in nanoseconds (any thread, including the realtime one). */
uint64_t audio_now_ns(void);

/* self-test: prepare the configured device and open its streams for a moment.
 * Returns true with a description (driver and device name) or false with the reason. */
bool audio_check(const struct config *cfg, char *why, size_t len);

/* Capture-side voice processing on fixed frames: speexdsp echo canceller (far-end reference =
 * what was sent to the loudspeaker) and noise suppression. Call thread. */
struct audio_proc;

/* rate in Hz, frame in samples (10-20 ms), tail_ms the echo's length covered after its bulk
 * delay, which is found (up to AUDIO_PROC_DELAY_MAX_MS) and followed. *pp set only on success. */
enum { AUDIO_PROC_DELAY_MAX_MS = 400 };
int audio_proc_alloc(struct audio_proc **pp, unsigned rate, unsigned frame, unsigned tail_ms,
                     bool echo_cancel, bool noise_suppression);
/* The bulk delay taken out of the reference of the canceller in use, in ms. */
unsigned audio_proc_delay_ms(const struct audio_proc *p);
/* mic and out: frame samples (may be the same buffer); ref: the frame played at the same time,
 * or NULL for silence. */
void audio_proc_run(struct audio_proc *p, const int16_t *mic, const int16_t *ref, int16_t *out);
void audio_proc_free(struct audio_proc *p);

/* The echo's bulk delay (delay.c), from frames of the microphone and of what was played at
 * the same moments. audio_delay_update() returns the delay in samples when a window of far-end
 * speech ends with a clear answer, else -1. max_ms: the longest delay looked for. */
struct audio_delay;
int audio_delay_alloc(struct audio_delay **dp, unsigned rate, unsigned frame, unsigned max_ms);
int audio_delay_update(struct audio_delay *d, const int16_t *mic, const int16_t *ref);
void audio_delay_free(struct audio_delay *d);
/* Whether the far end speaks in a frame of what was played (RMS above -50 dBFS): the frames
 * the delay is estimated on and the echo cancellers are judged on. */
bool audio_far_speaks(const int16_t *ref, unsigned n);

/* Sample-rate conversion of mono 16-bit audio (speexdsp resampler). */
struct audio_resampler;

/* quality: speexdsp's 0-10 (AUDIO_RESAMPLE_*); its delay is audio_resampler_delay_us(). */
enum {
    AUDIO_RESAMPLE_VOIP = 3, /* the device <-> 16 kHz: 1.5 ms, images below -85 dB */
    AUDIO_RESAMPLE_G711 = 2, /* 8 <-> 16 kHz around G.711: 2 ms instead of 3, images at
                              * -70 dB, far below G.711's own noise (about -38 dB) */
    AUDIO_RESAMPLE_FILE = 5, /* whole files, where delay does not matter */
};
int audio_resampler_alloc(struct audio_resampler **rp, unsigned in_rate, unsigned out_rate,
                          int quality);
/* Convert up to *in_n samples into at most *out_n; both updated to what was used/produced. */
void audio_resampler_run(struct audio_resampler *r, const int16_t *in, size_t *in_n, int16_t *out,
                         size_t *out_n);
/* Convert all n samples of in, handing the output to sink piece by piece (the converter takes
 * only as much input as fits the output it is given: up-sampling makes more than it reads).
 * Returns the number of samples produced. Allocates nothing. */
typedef void(audio_sink_h)(void *arg, const int16_t *out, size_t n);
size_t audio_resampler_all(struct audio_resampler *r, const int16_t *in, size_t n,
                           audio_sink_h *sink, void *arg);
void audio_resampler_free(struct audio_resampler *r);
/* How far its output lags its input (the filter's delay), in microseconds. */
unsigned audio_resampler_delay_us(const struct audio_resampler *r);

/* The wav driver's simulated room (room.c): the loudspeaker heard by the microphone `delay`
 * samples later, atten_db quieter, through the impulse response ir (its non-zero samples, at
 * most AUDIO_ROOM_TAPS; NULL: a single tap). Pure, so a test rebuilds the same echo. */
enum { AUDIO_ROOM_TAPS = 256 };
struct audio_room;
int audio_room_alloc(struct audio_room **rp, size_t delay, unsigned atten_db, const int16_t *ir,
                     size_t ir_n, char *err, size_t errlen);
void audio_room_free(struct audio_room *r);
void audio_room_reset(struct audio_room *r);
/* The echo the microphone hears during the next n samples (n <= delay), from what was played
 * before them; then audio_room_played() with what the loudspeaker played in those n samples. */
void audio_room_echo(const struct audio_room *r, float *echo, size_t n);
void audio_room_played(struct audio_room *r, const int16_t *out, size_t n);

/* Read a whole 16-bit PCM WAV file (any rate, any channel count) as mono at rate Hz.
 * *samples (malloc, caller frees) and *n set only on success; err says what is wrong. */
int audio_wav_load(const char *path, unsigned rate, int16_t **samples, size_t *n, char *err,
                   size_t errlen);

#endif
