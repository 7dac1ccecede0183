/* The playout schedule: when the far end's packets are decoded and handed to the loudspeaker.
 *
 * A packet is decoded as soon as its turn comes, which for a packet on time is the moment it
 * arrives, and queued behind what the device still has to play. The first packet of a stream
 * is put behind silence up to the playout delay (jitter_buffer), or starts a little way into
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
};

void call_playout_init(struct call_playout *p, unsigned target_ms)
{
    *p = (struct call_playout){.target_us = target_ms * 1000u};
}

void call_playout_pause(struct call_playout *p)
{
    p->anchored = false;
    p->stall_us = 0;
    p->window_n = 0;
    p->windows = 0;
    p->after_gap = false;
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
        return CALL_PLAYOUT_DECODE;
    }
    if (ready && queued_us < p->target_us + CALL_PACKET_US) {
        /* Every packet of the last half second found more than the delay queued: the
         * earliest of them would still be on time with that much less. The packet after a
         * gap is left out: it comes when the device runs low by definition, and counting it
         * would keep a lossy stream from ever coming back to the delay. */
        if (p->after_gap) {
            p->after_gap = false;
            p->stall_us = 0;
            return CALL_PLAYOUT_DECODE;
        }
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
            p->window_n = 0;
        }
        p->stall_us = 0;
        return CALL_PLAYOUT_DECODE;
    }
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
