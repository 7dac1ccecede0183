/* Lock-free single-producer single-consumer sample rings between the audio and call threads.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "audio_int.h"

int audio_ring_init(struct audio_ring *r, size_t cap)
{
    size_t c = 1;
    while (c < cap)
        c <<= 1;
    r->buf = calloc(c, sizeof(*r->buf));
    if (!r->buf)
        return ENOMEM;
    r->cap = c;
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    return 0;
}

void audio_ring_free(struct audio_ring *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

void audio_ring_reset(struct audio_ring *r)
{
    atomic_store(&r->head, 0);
    atomic_store(&r->tail, 0);
}

size_t audio_ring_fill(const struct audio_ring *r)
{
    size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
    size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
    return head - tail;
}

size_t audio_ring_head(const struct audio_ring *r)
{
    return atomic_load_explicit(&r->head, memory_order_acquire);
}

void audio_ring_skip_to(struct audio_ring *r, size_t pos)
{
    size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    /* positions count up and wrap: compare by difference */
    if ((ptrdiff_t)(pos - tail) > 0)
        atomic_store_explicit(&r->tail, pos, memory_order_release);
}

size_t audio_ring_write(struct audio_ring *r, const int16_t *src, size_t n)
{
    size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
    size_t space = r->cap - (head - tail);
    if (n > space)
        n = space;
    size_t at = head & (r->cap - 1);
    size_t first = n < r->cap - at ? n : r->cap - at;
    memcpy(r->buf + at, src, first * sizeof(*src));
    memcpy(r->buf, src + first, (n - first) * sizeof(*src));
    atomic_store_explicit(&r->head, head + n, memory_order_release);
    return n;
}

size_t audio_ring_read(struct audio_ring *r, int16_t *dst, size_t n)
{
    size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
    size_t avail = head - tail;
    if (n > avail)
        n = avail;
    size_t at = tail & (r->cap - 1);
    size_t first = n < r->cap - at ? n : r->cap - at;
    memcpy(dst, r->buf + at, first * sizeof(*dst));
    memcpy(dst + first, r->buf, (n - first) * sizeof(*dst));
    atomic_store_explicit(&r->tail, tail + n, memory_order_release);
    return n;
}
