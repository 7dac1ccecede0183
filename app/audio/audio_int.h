/* Audio drivers: the contract every driver implements, and the lock-free rings between threads.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_AUDIO_INT_H
#define OPENLINE_AUDIO_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audio.h"
#include "openline/config.h"

/* Single-producer single-consumer ring of 16-bit samples. The producer only moves `head`, the
 * consumer only `tail` (both count samples ever written/read); capacity is a power of two.
 * Neither side allocates, locks or blocks, so the realtime side may use it. */
struct audio_ring {
    int16_t *buf;
    size_t cap;
    _Atomic size_t head;
    _Atomic size_t tail;
};

/* cap is rounded up to a power of two. Returns 0 or ENOMEM. Not thread-safe (set-up). */
int audio_ring_init(struct audio_ring *r, size_t cap);
void audio_ring_free(struct audio_ring *r);
/* Empty the ring; only while neither side runs. */
void audio_ring_reset(struct audio_ring *r);
size_t audio_ring_fill(const struct audio_ring *r);
/* Producer side: samples ever written (the write position). */
size_t audio_ring_head(const struct audio_ring *r);
/* Consumer side: forget what was written before position pos (a value audio_ring_head() gave);
 * nothing when it was read already. Neither allocates, locks nor blocks. */
void audio_ring_skip_to(struct audio_ring *r, size_t pos);
/* Producer side: copy up to n samples in; returns how many fitted. */
size_t audio_ring_write(struct audio_ring *r, const int16_t *src, size_t n);
/* Consumer side: copy up to n samples out; returns how many there were. */
size_t audio_ring_read(struct audio_ring *r, int16_t *dst, size_t n);

struct audio_driver;

/* The device as drivers see it. Drivers keep their state in `priv` (struct priv of the driver,
 * priv_size bytes, zeroed) and read the settings they need from `cfg`. */
struct audio_dev {
    const struct audio_driver *drv;
    const struct config *cfg;
    void *priv;
    unsigned rate; /* set by the driver's init */
    bool running;
    bool mic;       /* set before start: open the microphone too (false: playback only) */
    char name[160]; /* what was opened, for self-test */
    struct audio_ring capture;
    struct audio_ring playback;
    /* What the loudspeaker played, sample for sample beside `capture` (full duplex only): the
     * echo canceller's reference. Written in the same callback as the capture, first, so a
     * reader finds at least as many played samples as captured ones. */
    struct audio_ring played;
    _Atomic uint64_t underruns;
    _Atomic uint64_t overruns;
    _Atomic uint64_t last_callback_ns;
    _Atomic unsigned block; /* samples of the latest callback */
    /* audio_dev_playback_drop(): the callback skips the playback ring to this write position
     * (the ring is single-producer single-consumer: only the consumer may move its tail) */
    _Atomic size_t drop_to;
    unsigned in_latency_us; /* set by the driver's start */
    unsigned out_latency_us;
    int wake_fd; /* eventfd written after every block (audio_dev_wake_fd) */
};

/* A driver (mpv's ao_driver pattern). Slots run on the thread that owns the device's life (the
 * call engine's audio-control thread, or self-test); `process` below is the only thing a driver
 * calls back.
 *
 * init:  Required. Find and check the device; set dev->rate and dev->name. Does not open the
 *        microphone. Returns 0 or an errno value with a reason in err.
 * start: Required. Open the streams and start calling audio_dev_process() from the driver's
 *        realtime thread; set dev->in_latency_us/out_latency_us. When dev->mic is false,
 *        open the output only: the microphone stays closed and `in` is NULL.
 * stop:  Required. Stop and close the streams; when it returns audio_dev_process() is no longer
 *        running nor called. Only called after a successful start.
 * uninit: Optional. Release what init acquired.
 */
struct audio_driver {
    const char *name;
    bool test_only; /* never chosen unless named in the configuration */
    size_t priv_size;
    int (*init)(struct audio_dev *dev, char *err, size_t errlen);
    int (*start)(struct audio_dev *dev, char *err, size_t errlen);
    void (*stop)(struct audio_dev *dev);
    void (*uninit)(struct audio_dev *dev);
};

extern const struct audio_driver audio_driver_portaudio;
extern const struct audio_driver audio_driver_wav;
extern const struct audio_driver audio_driver_null;

/* Called by the driver from its realtime thread for every block: `in` holds n captured samples
 * (NULL: silence), `out` receives n samples to play (silence where the ring runs short).
 * Never allocates, locks, logs or blocks. */
void audio_dev_process(struct audio_dev *dev, const int16_t *in, int16_t *out, size_t n);

#endif
