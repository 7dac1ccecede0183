/* The playout schedule: when the far end's packets are decoded and handed to the loudspeaker.
 *
 * A packet is decoded as soon as its turn comes, which for a packet on time is the moment it
 * arrives, and queued behind what the device still has to play. The first packet of a stream
 * is put behind silence up to the playout delay (see below), or starts a little way into
 * itself when more than that is queued (our ringback), so a packet on time is heard that long
 * after it arrived: the delay is the jitter allowance and nothing more. A packet early by up
 * to one packet is decoded at once; a burst waits in the jitter buffer. When every packet of
 * half a second found more than the delay queued (the first packet came late, a late packet
 * was waited for, or the sender's clock runs fast), the one that closes the half second starts
 * that much (at most 10 ms) into itself: the earliest of them would still have been on time.
 *
 * When the device is about to run dry (less than one of its blocks plus a margin left) and the
 * packet due is missing, 10 ms of concealment is played. After a whole packet's worth, a later
 * packet waiting means the missing one is lost: it is skipped, and the schedule is unchanged
 * (concealment beyond its length counts for the next missing one: a run of losses costs its
 * own length).
 * With nothing waiting (a pause in the stream, or the packet is late) concealment goes on
 * without moving past it, so a late packet is still played (100 ms at most; then the stream
 * starts again at the playout delay when packets return). A sender whose clock runs slow is
 * followed the same way, by concealment.
 *
 * The playout delay adapts. It starts at jitter_buffer, the least it ever is. A packet that
 * comes after concealment was played in its place raises it by that concealment (whole 10 ms
 * steps, at most to 200 ms): the stream is already that much later, and the trim no longer
 * takes it back, so the next packet as late is on time. Only lateness raises it: a lost packet
 * never comes (its concealment ends at the skip), and a packet is late only by as much as it
 * came later than the one decoded before it beyond their distance in the stream (a sender whose
 * clock runs slow runs the device short by a little at every packet and is still followed by
 * concealment). A packet that comes after its turn was skipped (a later one was there first)
 * is dropped by jitter.c as late and raises nothing. It comes down one step at the end of a trim
 * window when for 10 s nothing raised it and even the packet that used most of it in those 10 s
 * (found least queued) would, a step lower, still have found the least delay queued (within the
 * trim's 2 ms); the trim then takes the stream down, 10 ms per half second at most. So a network
 * with steady jitter pays its concealment once and then delay (make bench-jitter: with up to 80 ms
 * of jitter, 0.1 s concealed in a minute instead of 1.75 s, for 93 ms mean arrival -> heard instead
 * of 63), and a calm one is heard jitter_buffer after arrival.
 *
 * Pure arithmetic on the jitter buffer's state and the device's fill: media.c runs it against
 * the device, tests/bench/jitter_bench.c against simulated networks.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "call_int.h"

enum {
    MARGIN_US = 2000,         /* kept above one device block before its next callback */
    WINDOW_PACKETS = 25,      /* 0.5 s of packets: the least excess over them is trimmed */
    FIRST_WINDOW_PACKETS = 5, /* 0.1 s, the first after the stream starts */
    TRIM_MIN_US = 2000,       /* when above this (up to 10 ms at a time) */
    STALL_MAX_US = 100000,    /* concealment without any packet: the stream paused */
    LATE_MIN_US = 2000,       /* a packet later than this after the one before it came late */
};

void call_playout_init(struct call_playout *p, unsigned target_ms)
{
    unsigned us = target_ms * 1000u;
    *p = (struct call_playout){.min_us = us, .target_us = us, .max_us = us};
}

void call_playout_pause(struct call_playout *p)
{
    p->anchored = false;
    p->stall_us = 0;
    p->window_n = 0;
    p->windows = 0;
    p->after_gap = false;
    p->decoded = false;
}

/* The packet due came after stall_us of concealment was played in its place. Concealment never
 * moves past a missing packet, so the stream is already that much later: the delay is raised
 * to where the stream now is, in whole steps, and the trim leaves it there. But only by as much
 * as the packet came later than the one before it, beyond their distance in the stream: a
 * sender whose clock runs slow runs the device short too, by a little at every packet, and is
 * followed by concealment alone. */
static void raise_delay(struct call_playout *p, const struct call_jitter_slot *s, unsigned stall_us)
{
    unsigned cap = p->min_us > CALL_PLAYOUT_MAX_US ? p->min_us : CALL_PLAYOUT_MAX_US;

    uint16_t apart = (uint16_t)(s->seq - p->last_seq);
    if (!p->decoded || !apart || apart >= CALL_JITTER_SLOTS)
        return; /* nothing decoded before it in this sequence (a new source) */
    int64_t later = (int64_t)(s->arrival_ns - p->last_arrival_ns) / 1000 - apart * CALL_PACKET_US;
    if (later <= LATE_MIN_US)
        return;
    uint64_t steps = ((uint64_t)later + CALL_PLAYOUT_STEP_US - 1) / CALL_PLAYOUT_STEP_US;
    uint64_t by = steps * CALL_PLAYOUT_STEP_US < stall_us ? steps * CALL_PLAYOUT_STEP_US : stall_us;
    uint64_t t = p->target_us + by;
    unsigned old = p->target_us;
    p->target_us = t < cap ? (unsigned)t : cap;
    p->window_min_us -= p->target_us - old; /* this window's packets, against the new delay */
    if (p->target_us > p->max_us)
        p->max_us = p->target_us;
    p->calm_n = 0;
    p->raises++;
}

/* The packet due is decoded: what the next one's lateness is measured from. */
static enum call_playout_action decoded(struct call_playout *p, const struct call_jitter *jb)
{
    const struct call_jitter_slot *s = &jb->slot[jb->next % CALL_JITTER_SLOTS];
    p->decoded = true;
    p->last_seq = s->seq;
    p->last_arrival_ns = s->arrival_ns;
    return CALL_PLAYOUT_DECODE;
}

/* A trim window ended: its most used delay joins the last 10 s. The delay comes down a step when
 * even the packet of those 10 s that used most of it would, a step lower, still have found what
 * a packet on time finds at the least delay (within the trim's dead band). The trim then takes
 * the stream down, 10 ms at most per window. */
static void calm_window(struct call_playout *p)
{
    int64_t used = 0;

    p->used_us[p->calm_n++ % CALL_PLAYOUT_CALM_WINDOWS] = -p->window_min_us;
    if (p->calm_n < CALL_PLAYOUT_CALM_WINDOWS || p->target_us <= p->min_us)
        return;
    for (unsigned i = 0; i < CALL_PLAYOUT_CALM_WINDOWS; i++)
        if (p->used_us[i] > used)
            used = p->used_us[i];
    if ((int64_t)p->target_us - CALL_PLAYOUT_STEP_US - used + TRIM_MIN_US < (int64_t)p->min_us)
        return;
    p->target_us = p->target_us - p->min_us > CALL_PLAYOUT_STEP_US
                       ? p->target_us - CALL_PLAYOUT_STEP_US
                       : p->min_us;
}

/* The packet due is here and no more than a packet is queued above the delay: decode it, and
 * at the end of a trim window say how much of its start to leave out. */
static enum call_playout_action decode_due(struct call_playout *p, const struct call_jitter *jb,
                                           uint64_t queued_us, unsigned *us)
{
    /* The packet after a gap is left out of the window: it comes when the device runs low by
     * definition, and counting it would keep a lossy stream from ever coming back to the
     * delay. Concealment still counted for it (beyond a lost packet's length) was played in its
     * place: it came late. */
    if (p->after_gap) {
        p->after_gap = false;
        if (p->stall_us)
            raise_delay(p, &jb->slot[jb->next % CALL_JITTER_SLOTS], p->stall_us);
        p->stall_us = 0;
        return decoded(p, jb);
    }
    /* Every packet of the last half second found more than the delay queued: the earliest of
     * them would still be on time with that much less. */
    int64_t over = (int64_t)queued_us - p->target_us;
    if (!p->window_n || over < p->window_min_us)
        p->window_min_us = over;
    /* the first window is short: a stream often starts with a packet late */
    if (++p->window_n >= (p->windows ? WINDOW_PACKETS : FIRST_WINDOW_PACKETS)) {
        p->windows++;
        if (p->window_min_us > TRIM_MIN_US) {
            *us = (unsigned)(p->window_min_us < CALL_PLAYOUT_STEP_US ? p->window_min_us
                                                                     : CALL_PLAYOUT_STEP_US);
            p->trims++;
        }
        calm_window(p);
        p->window_n = 0;
    }
    p->stall_us = 0;
    return decoded(p, jb);
}

enum call_playout_action call_playout_next(struct call_playout *p, const struct call_jitter *jb,
                                           uint64_t queued_us, uint64_t ring_us, uint64_t block_us,
                                           unsigned *us)
{
    bool ready = call_jitter_ready(jb);
    bool low = ring_us < block_us + MARGIN_US;

    *us = 0;
    if (!p->anchored) {
        if (!ready) {
            if (!low)
                return CALL_PLAYOUT_WAIT;
            *us = CALL_PLAYOUT_STEP_US; /* nothing to play yet: keep the device fed */
            return CALL_PLAYOUT_SILENCE;
        }
        p->anchored = true;
        p->stall_us = 0;
        p->window_n = 0;
        p->windows = 0;
        p->after_gap = false;
        if (queued_us < p->target_us) {
            *us = (unsigned)(p->target_us - queued_us);
            return CALL_PLAYOUT_SILENCE;
        }
        /* More queued than the delay (our ringback runs ahead by up to 10 ms): the first
         * packet starts that much later into itself, and the stream is at the delay. */
        uint64_t over = queued_us - p->target_us;
        *us = (unsigned)(over < CALL_PACKET_US / 2 ? over : CALL_PACKET_US / 2);
        return decoded(p, jb);
    }
    if (ready && queued_us < p->target_us + CALL_PACKET_US)
        return decode_due(p, jb, queued_us, us);
    if (!low)
        return CALL_PLAYOUT_WAIT;
    /* The packet due is not here and the device needs audio before the next chance. */
    if (!ready && jb->count && p->stall_us >= CALL_PACKET_US) {
        /* what was concealed beyond this packet's length counts for the next one: a run of
         * losses costs its own length, no more */
        p->stall_us -= CALL_PACKET_US;
        p->after_gap = true;
        return CALL_PLAYOUT_SKIP;
    }
    if (ready) /* here, but more than a packet is queued: the device runs slow */
        return CALL_PLAYOUT_WAIT;
    if (p->stall_us >= STALL_MAX_US) {
        call_playout_pause(p); /* the stream paused: start again at the delay */
        *us = CALL_PLAYOUT_STEP_US;
        return CALL_PLAYOUT_SILENCE;
    }
    p->stall_us += CALL_PLAYOUT_STEP_US;
    p->after_gap = true;
    return CALL_PLAYOUT_CONCEAL;
}
