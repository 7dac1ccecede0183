/* Jitter buffer: RTP payloads reordered by sequence number, bounded in depth.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "call_int.h"

void call_jitter_init(struct call_jitter *jb, unsigned max_depth)
{
    memset(jb, 0, sizeof(*jb));
    jb->max_depth = max_depth < 2                    ? 2
                    : max_depth >= CALL_JITTER_SLOTS ? CALL_JITTER_SLOTS - 1
                                                     : max_depth;
}

static void clear(struct call_jitter *jb)
{
    for (unsigned i = 0; i < CALL_JITTER_SLOTS; i++)
        jb->slot[i].used = false;
    jb->count = 0;
}

/* Skip forward to the oldest buffered packet. */
static void skip_to_oldest(struct call_jitter *jb)
{
    for (unsigned d = 0; d < CALL_JITTER_SLOTS; d++) {
        struct call_jitter_slot *s = &jb->slot[(uint16_t)(jb->next + d) % CALL_JITTER_SLOTS];
        if (s->used && s->seq == (uint16_t)(jb->next + d)) {
            jb->lost += d;
            jb->next = s->seq;
            return;
        }
    }
}

/* Start over at packet seq (a new source, or its sequence restarted). */
static void restart(struct call_jitter *jb, uint16_t seq)
{
    clear(jb);
    jb->reset++;
    jb->next = seq;
    jb->probation = false;
}

/* Packets this far behind the one played next are a restarted sequence or strays, not late ones;
 * this far ahead, not a gap in this sequence (RFC 3550 appendix A.1, MAX_MISORDER and
 * MAX_DROPOUT). */
#define JITTER_MAX_MISORDER 100
#define JITTER_MAX_DROPOUT  3000

void call_jitter_put(struct call_jitter *jb, uint32_t ssrc, uint16_t seq, uint32_t ts,
                     const uint8_t *data, size_t len, uint64_t arrival_ns)
{
    if (len > CALL_JITTER_MAX_PAYLOAD)
        return;
    if (!jb->started || ssrc != jb->ssrc) {
        /* The first packet, or another source (a queue or IVR handing the call to a
         * counsellor): its sequence numbers start anywhere. Play it from here (RFC 3550 8.2). */
        if (jb->started)
            jb->sources++;
        jb->started = true;
        jb->ssrc = ssrc;
        restart(jb, seq);
    }
    int16_t d = (int16_t)(uint16_t)(seq - jb->next);
    if (d < 0 && d >= -JITTER_MAX_MISORDER) {
        jb->late++;
        return;
    }
    if (d < 0 || d >= JITTER_MAX_DROPOUT) {
        /* Far off: the source restarted its sequence, or a stray packet. Two in a row decide
         * (RFC 3550 A.1): the second starts the buffer over. */
        if (!jb->probation || seq != jb->probation_seq) {
            jb->probation = true;
            jb->probation_seq = (uint16_t)(seq + 1);
            jb->late++;
            return;
        }
        restart(jb, seq);
    } else if (d >= CALL_JITTER_SLOTS) {
        /* A long gap in this sequence: start over at this packet. */
        restart(jb, seq);
    }
    struct call_jitter_slot *s = &jb->slot[seq % CALL_JITTER_SLOTS];
    if (s->used && s->seq == seq)
        return; /* duplicate */
    if (s->used)
        jb->count--;
    s->used = true;
    s->seq = seq;
    s->ts = ts;
    s->len = (uint16_t)len;
    s->arrival_ns = arrival_ns;
    memcpy(s->data, data, len);
    jb->count++;
    /* Too deep (the sender's clock runs fast, or a burst): drop the oldest to bound delay. */
    while (jb->count > jb->max_depth) {
        skip_to_oldest(jb);
        jb->slot[jb->next % CALL_JITTER_SLOTS].used = false;
        jb->count--;
        jb->next++;
        jb->dropped++;
    }
}

enum call_jitter_result call_jitter_get(struct call_jitter *jb,
                                        const struct call_jitter_slot **slot)
{
    if (!jb->count)
        return CALL_JITTER_EMPTY;
    struct call_jitter_slot *s = &jb->slot[jb->next % CALL_JITTER_SLOTS];
    if (s->used && s->seq == jb->next) {
        s->used = false;
        jb->count--;
        jb->next++;
        *slot = s;
        return CALL_JITTER_OK;
    }
    jb->next++;
    jb->lost++;
    return CALL_JITTER_LOST;
}
