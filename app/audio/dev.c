/* The audio device: picks the configured driver and moves samples through the rings.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "audio_int.h"
#include "openline/util.h"

/* Indexed by enum config_audio_driver. Test drivers are reachable only through their name. */
static const struct audio_driver *const drivers[] = {
    [CONFIG_AUDIO_PORTAUDIO] = &audio_driver_portaudio,
    [CONFIG_AUDIO_WAV] = &audio_driver_wav,
    [CONFIG_AUDIO_NULL] = &audio_driver_null,
};

uint64_t audio_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int audio_dev_alloc(struct audio_dev **dp, const struct config *cfg, char *err, size_t errlen)
{
    struct audio_dev *d = NULL;
    int rc;

    if ((unsigned)cfg->audio.driver >= ARRAY_SIZE(drivers)) {
        snprintf(err, errlen, "unknown audio driver");
        return EINVAL;
    }
    d = calloc(1, sizeof(*d));
    if (!d) {
        rc = ENOMEM;
        goto out;
    }
    d->drv = drivers[cfg->audio.driver];
    d->cfg = cfg;
    d->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (d->wake_fd < 0) {
        rc = errno;
        snprintf(err, errlen, "cannot create an eventfd: %s", strerror(rc));
        goto out;
    }
    atomic_init(&d->underruns, 0);
    atomic_init(&d->overruns, 0);
    atomic_init(&d->last_callback_ns, 0);
    atomic_init(&d->block, 0);
    atomic_init(&d->drop_to, 0);
    if (d->drv->priv_size && !(d->priv = calloc(1, d->drv->priv_size))) {
        rc = ENOMEM;
        goto out;
    }
    rc = d->drv->init(d, err, errlen);
    if (rc) {
        if (d->drv->uninit)
            d->drv->uninit(d);
        goto out;
    }
    /* One second each way: far more than the call thread ever lets queue up. */
    if ((rc = audio_ring_init(&d->capture, d->rate)) ||
        (rc = audio_ring_init(&d->playback, d->rate)) ||
        (rc = audio_ring_init(&d->played, d->rate))) {
        if (d->drv->uninit)
            d->drv->uninit(d);
        goto out;
    }
    *dp = d;
    d = NULL;
out:
    if (rc == ENOMEM)
        snprintf(err, errlen, "out of memory");
    if (d) {
        audio_ring_free(&d->capture);
        audio_ring_free(&d->playback);
        audio_ring_free(&d->played);
        if (d->wake_fd >= 0)
            close(d->wake_fd);
        free(d->priv);
        free(d);
    }
    return rc;
}

static int start(struct audio_dev *d, bool mic, char *err, size_t errlen)
{
    if (d->running)
        return 0;
    audio_ring_reset(&d->capture);
    audio_ring_reset(&d->playback);
    audio_ring_reset(&d->played);
    atomic_store(&d->drop_to, 0);
    atomic_store(&d->underruns, 0);
    atomic_store(&d->overruns, 0);
    atomic_store(&d->last_callback_ns, 0);
    d->mic = mic;
    int rc = d->drv->start(d, err, errlen);
    if (!rc)
        d->running = true;
    return rc;
}

int audio_dev_start(struct audio_dev *d, char *err, size_t errlen)
{
    return start(d, true, err, errlen);
}

int audio_dev_start_playback(struct audio_dev *d, char *err, size_t errlen)
{
    return start(d, false, err, errlen);
}

void audio_dev_stop(struct audio_dev *d)
{
    if (!d || !d->running)
        return;
    d->drv->stop(d);
    d->running = false;
}

void audio_dev_free(struct audio_dev *d)
{
    if (!d)
        return;
    audio_dev_stop(d);
    if (d->drv->uninit)
        d->drv->uninit(d);
    audio_ring_free(&d->capture);
    audio_ring_free(&d->playback);
    audio_ring_free(&d->played);
    close(d->wake_fd);
    free(d->priv);
    free(d);
}

int audio_dev_wake_fd(const struct audio_dev *d)
{
    return d->wake_fd;
}

unsigned audio_dev_rate(const struct audio_dev *d)
{
    return d->rate;
}

const char *audio_dev_name(const struct audio_dev *d)
{
    return d->name;
}

size_t audio_dev_capture_avail(const struct audio_dev *d)
{
    return audio_ring_fill(&d->capture);
}

size_t audio_dev_capture_read(struct audio_dev *d, int16_t *buf, int16_t *played, size_t n)
{
    n = audio_ring_read(&d->capture, buf, n);
    size_t p = audio_ring_read(&d->played, played, n);
    memset(played + p, 0, (n - p) * sizeof(*played)); /* a driver that gave no output */
    return n;
}

/* What the callback will still play: a drop it has not honoured yet counts as done. */
size_t audio_dev_playback_fill(const struct audio_dev *d)
{
    size_t drop = atomic_load_explicit(&d->drop_to, memory_order_relaxed);
    size_t head = audio_ring_head(&d->playback);
    size_t fill = audio_ring_fill(&d->playback);
    size_t after_drop = head - drop;
    return after_drop < fill ? after_drop : fill;
}

size_t audio_dev_playback_pos(const struct audio_dev *d)
{
    return audio_ring_head(&d->playback) - audio_dev_playback_fill(d);
}

void audio_dev_playback_drop(struct audio_dev *d)
{
    atomic_store_explicit(&d->drop_to, audio_ring_head(&d->playback), memory_order_release);
}

size_t audio_dev_playback_write(struct audio_dev *d, const int16_t *buf, size_t n)
{
    return audio_ring_write(&d->playback, buf, n);
}

void audio_dev_stats(const struct audio_dev *d, struct audio_dev_stats *st)
{
    st->underruns = atomic_load(&d->underruns);
    st->overruns = atomic_load(&d->overruns);
    st->in_latency_us = d->in_latency_us;
    st->out_latency_us = d->out_latency_us;
    st->last_callback_ns = atomic_load(&d->last_callback_ns);
    st->block = atomic_load(&d->block);
}

void audio_dev_process(struct audio_dev *dev, const int16_t *in, int16_t *out, size_t n)
{
    if (out) {
        audio_ring_skip_to(&dev->playback,
                           atomic_load_explicit(&dev->drop_to, memory_order_acquire));
        size_t r = audio_ring_read(&dev->playback, out, n);
        if (r < n) {
            memset(out + r, 0, (n - r) * sizeof(*out));
            atomic_fetch_add_explicit(&dev->underruns, 1, memory_order_relaxed);
        }
    }
    if (in) {
        /* What this block played goes beside what it captured, the played samples first: a
         * reader that finds a captured sample finds its reference. Both rings have the same
         * size and are read in step, so they have the same room. */
        size_t w = out ? audio_ring_write(&dev->played, out, n) : n;
        w = audio_ring_write(&dev->capture, in, w);
        if (w < n)
            atomic_fetch_add_explicit(&dev->overruns, n - w, memory_order_relaxed);
    }
    atomic_store_explicit(&dev->block, (unsigned)n, memory_order_relaxed);
    atomic_store_explicit(&dev->last_callback_ns, audio_now_ns(), memory_order_release);
    /* Wake the call thread now rather than at its next timer: the frame that just completed
     * leaves at once. A non-blocking eventfd: this neither blocks nor allocates (a full
     * counter, which a reader drains long before, just fails). */
    static const uint64_t one = 1;
    ssize_t w = write(dev->wake_fd, &one, sizeof(one));
    (void)w;
}

bool audio_check(const struct config *cfg, char *why, size_t len)
{
    struct audio_dev *d = NULL;
    char err[256];
    bool ok = false;

    if (audio_dev_alloc(&d, cfg, err, sizeof(err))) {
        snprintf(why, len, "%s", err);
        goto out;
    }
    if (audio_dev_start(d, err, sizeof(err))) {
        snprintf(why, len, "%s: %s", d->name, err);
        goto out;
    }
    snprintf(why, len, "%s driver: %s at %u Hz opens", d->drv->name, d->name, d->rate);
    ok = true;
out:
    audio_dev_free(d);
    return ok;
}
