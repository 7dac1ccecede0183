/* Jitter buffer: RTP payloads reordered by sequence number, bounded in depth.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why ours and not speexdsp's JitterBuffer (issue 10): measured by `make bench-jitter`
 * (tests/bench/jitter_bench.c), the same seeded 60 s traces through both, this one on playout.c's
 * schedule run as media.c runs it, speexdsp with a get per 20 ms, jitter_buffer 20 ms. speexdsp
 * added more delay in every trace but the one with up to 80 ms of jitter, where playout.c raises
 * its playout delay on late packets and pays in delay for what it no longer conceals; where
 * speexdsp lost fewer packets it paid in delay.
 * Arrival -> heard, mean / 95th percentile ms, ours vs speexdsp, seed 1 at 8 kHz (48 kHz if
 * different):
 *   no jitter             20 / 20 vs 23 / 23
 *   jitter 0-20 ms        32 / 41 vs 43 / 52, and it lost a packet that this one played
 *   jitter up to 80 ms    93 / 101 vs 78 / 103 (68 / 102); 1 packet late and 0.1 s concealed
 *                         vs 64 (83) late or dropped and 1.3 s (1.7 s) concealed
 *   5 % random loss       20 / 20 vs 23 / 23, the same 3.26 s concealed
 *   5 % reordered         63 / 80 vs 73 / 83; 36 vs 34 (39) late or dropped, and 0.78 s vs
 *                         0.72 s (0.82 s) concealed
 *   sender 0.5 % fast     24 / 26 vs 96 / 121; none lost vs 13 dropped
 *   sender 0.5 % slow     20 / 24 and none lost vs 27 / 36 and 219 (238) late: it learns
 *                         lateness only at its 20 ms tick and tolerates its late rate
 *   new SSRC              heard 25 ms after arrival vs 32 (speexdsp reset by the caller on the
 *                         new SSRC, which it knows nothing of; 452 ms if nobody resets it)
 * Its knobs move it along one curve (max late rate 1-20 %, late cost 1-40 ms): less loss for more
 * delay or the reverse. Earlier, the schedule counted the concealment of the second of two lost
 * packets from zero and never trimmed a window with a skip in it, which let speexdsp win the
 * 5 % loss trace (23 vs 26 / 50); playout.c now carries concealment over at a skip and leaves
 * the packet after a gap out of its trim window.
 */
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

bool call_jitter_ready(const struct call_jitter *jb)
{
    const struct call_jitter_slot *s = &jb->slot[jb->next % CALL_JITTER_SLOTS];
    return jb->count && s->used && s->seq == jb->next;
}
