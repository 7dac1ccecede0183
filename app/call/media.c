/* The media path of one call: SDP offer/answer, RTP/RTCP, SDES-SRTP, DTMF, jitter buffer, and
 * the voice path between the audio device's rings and the codec. Call thread only.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <re.h>

#include "call_int.h"

enum {
    TICK_MS = 5,               /* the voice path runs this often */
    DEV_CHUNK = 1024,          /* device samples read at a time */
    FIFO_LEN = 8 * CALL_FRAME, /* 160 ms at CALL_RATE */
    ECHO_TAIL_MS = 150,        /* echo covered by the canceller after its bulk delay */
    PT_OPUS = 111,
    PT_TEL48 = 101,
    PT_TEL8 = 100,
    SRTP_KEY_LEN = 30, /* AES-CM-128: 16 bytes key + 14 bytes salt */
    LAYER_SRTP = 20,
};

/* A short linear queue of CALL_RATE samples. */
struct fifo {
    int16_t s[FIFO_LEN];
    size_t n;
};

static size_t fifo_push(struct fifo *f, const int16_t *s, size_t n)
{
    if (n > FIFO_LEN - f->n) {
        /* keep the newest: drop the oldest samples */
        size_t drop = n - (FIFO_LEN - f->n);
        if (drop > f->n)
            drop = f->n;
        memmove(f->s, f->s + drop, (f->n - drop) * sizeof(*s));
        f->n -= drop;
        if (n > FIFO_LEN) {
            s += n - FIFO_LEN;
            n = FIFO_LEN;
        }
    }
    memcpy(f->s + f->n, s, n * sizeof(*s));
    f->n += n;
    return n;
}

static void fifo_pop(struct fifo *f, int16_t *out, size_t n)
{
    size_t have = n < f->n ? n : f->n;
    if (out) {
        memcpy(out, f->s, have * sizeof(*out));
        memset(out + have, 0, (n - have) * sizeof(*out));
    }
    memmove(f->s, f->s + have, (f->n - have) * sizeof(*out));
    f->n -= have;
}

struct srtp_side {
    struct call_media *m;
    bool rtcp;
};

struct call_media {
    const struct config *cfg;
    struct audio_dev *audio;
    unsigned dev_rate;
    struct sa laddr;

    struct rtp_sock *rtp;
    struct sdp_session *sdp;
    struct sdp_media *sdpm;
    struct sa raddr;
    struct sa raddr_rtcp;
    bool rtcp_started;

    bool secure;
    uint8_t key[SRTP_KEY_LEN];
    struct srtp *tx;
    struct srtp *rx;
    struct udp_helper *uh_rtp;
    struct udp_helper *uh_rtcp;
    struct srtp_side side_rtp;
    struct srtp_side side_rtcp;
    uint64_t srtp_fail;

    struct call_codec *codec;
    enum call_codec_id codec_id;
    const char *codec_name;
    int pt;     /* payload type we send and accept */
    int pt_tel; /* telephone-event, -1 = the hotline takes none */
    uint32_t ts;
    uint32_t ts_tel;
    bool marker;
    struct telev *telev;

    bool sending;
    bool ringback;
    double ring_phase;
    uint64_t ring_n;
    unsigned volume;
    int32_t gain_q15;

    struct call_jitter jb;
    struct call_playout po; /* when packets from jb are decoded and played */
    bool heard_raddr;       /* media came from the negotiated address */
    bool latched;           /* a hotline behind NAT: raddr is where its media came from */
    uint64_t foreign;       /* packets from other addresses, dropped */
    struct audio_resampler *from_dev;
    struct audio_resampler *ref_from_dev; /* the same conversion, for what was played */
    struct audio_resampler *to_dev;
    struct audio_proc *proc;
    struct fifo cap; /* microphone at CALL_RATE, waiting for a whole frame */
    /* Phrases spoken into the call (call_media_say), at CALL_RATE: say[say_pos..say_n) is
     * still to be mixed into the frames sent. */
    int16_t *say;
    size_t say_n, say_pos, say_cap;
    bool say_short; /* out of memory while a phrase was converted */
    /* What the loudspeaker played while cap's samples were captured, sample for sample: the
     * echo canceller's reference. Taken from the device beside the microphone, not from what
     * was queued for it, so a device that ran dry or a drop shifts nothing the canceller has
     * learnt: it sees the silence that really played. */
    struct fifo ref;
    uint64_t cap_first_ns; /* capture time of cap.s[0] */
    struct tmr tick;

    uint64_t last_rx_ns;
    uint64_t first_tx_ms;
    uint64_t tx_packets, rx_packets;
    double cap_lat_sum, play_lat_sum;
    uint64_t cap_lat_n, play_lat_n;
    double cap_lat_max, play_lat_max;
};

static uint64_t now_ns(void)
{
    return audio_now_ns();
}

/* ---------------------------------------------------------------------------------------- */
/* SRTP: a UDP helper under RTP and one under RTCP encrypt what leaves and decrypt what comes. */

static bool srtp_send_h(int *err, struct sa *dst, struct mbuf *mb, void *arg)
{
    struct srtp_side *side = arg;
    struct call_media *m = side->m;
    if (!m->tx) {
        *err = EPROTO;
        return true;
    }
    *err = side->rtcp ? srtcp_encrypt(m->tx, mb) : srtp_encrypt(m->tx, mb);
    return *err != 0;
}

static bool srtp_recv_h(struct sa *src, struct mbuf *mb, void *arg)
{
    struct srtp_side *side = arg;
    struct call_media *m = side->m;
    if (!m->rx)
        return true; /* no key yet: drop */
    int err = side->rtcp ? srtcp_decrypt(m->rx, mb) : srtp_decrypt(m->rx, mb);
    if (err) {
        m->srtp_fail++;
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------------------------------- */

/* An address a NAT puts in front of (RFC 1918, RFC 6598 shared, link-local; IPv6 unique local
 * and link-local): a hotline that gives one in its SDP is reached at wherever its media comes
 * from. */
static bool private_addr(const struct sa *a)
{
    if (sa_af(a) == AF_INET) {
        uint32_t ip = sa_in(a);
        return (ip >> 24) == 10 || (ip >> 20) == (172u << 4 | 1) ||
               (ip >> 16) == (192u << 8 | 168) || (ip >> 22) == (100u << 2 | 1) ||
               (ip >> 16) == (169u << 8 | 254);
    }
    if (sa_af(a) == AF_INET6) {
        const uint8_t *b = a->u.in6.sin6_addr.s6_addr;
        return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);
    }
    return false;
}

/* Media only from the hotline: the address its SDP gave (RTCP: the same host), or, when that
 * is a private address behind a NAT and nothing came from it, the first address media came
 * from, kept for the rest of the call (latching; replies go there too). Anything else is
 * dropped: on plain RTP anybody who knows the port could otherwise speak into the call. */
static bool from_hotline(struct call_media *m, const struct sa *src, bool rtcp)
{
    if (rtcp ? sa_cmp(src, &m->raddr, SA_ADDR) : sa_cmp(src, &m->raddr, SA_ALL)) {
        m->heard_raddr = true;
        return true;
    }
    if (!rtcp && !m->heard_raddr && !m->latched && private_addr(&m->raddr)) {
        m->raddr = *src;
        m->latched = true;
        return true;
    }
    m->foreign++;
    return false;
}

static void playback_path(struct call_media *m);

static void media_rtp_recv(const struct sa *src, const struct rtp_header *hdr, struct mbuf *mb,
                           void *arg)
{
    struct call_media *m = arg;
    if (!sa_isset(&m->raddr, SA_ADDR) || !from_hotline(m, src, false))
        return; /* before the answer, or not the hotline */
    m->last_rx_ns = now_ns();
    m->rx_packets++;
    if (!m->codec || hdr->pt != m->pt)
        return; /* telephone-event, comfort noise, or before the answer */
    call_jitter_put(&m->jb, hdr->ssrc, hdr->seq, hdr->ts, mbuf_buf(mb), mbuf_get_left(mb),
                    m->last_rx_ns);
    if (m->audio)
        playback_path(m); /* a packet on time is decoded as it arrives */
}

static void media_rtcp_recv(const struct sa *src, struct rtcp_msg *msg, void *arg)
{
    struct call_media *m = arg;
    if (!sa_isset(&m->raddr, SA_ADDR) || !from_hotline(m, src, true))
        return;
    m->last_rx_ns = now_ns();
}

static void send_payload(struct call_media *m, int pt, uint32_t ts, bool marker,
                         const uint8_t *data, size_t len)
{
    struct mbuf *mb = mbuf_alloc(RTP_HEADER_SIZE + len + 16);
    if (!mb)
        return;
    mb->pos = RTP_HEADER_SIZE;
    if (!mbuf_write_mem(mb, data, len)) {
        mb->pos = RTP_HEADER_SIZE;
        if (!rtp_send(m->rtp, &m->raddr, false, marker, (uint8_t)pt, ts, mb)) {
            m->tx_packets++;
            if (!m->first_tx_ms)
                m->first_tx_ms = call_now_ms();
        }
    }
    mem_deref(mb);
}

/* One 20 ms frame of processed microphone audio: DTMF takes its place while an event runs. */
static void send_frame(struct call_media *m, const int16_t *pcm)
{
    uint8_t buf[1400];
    uint32_t step = call_codec_clock(m->codec) / 50;

    if (m->telev && m->pt_tel >= 0) {
        struct mbuf *mb = mbuf_alloc(16);
        bool marker = false;
        if (mb && !telev_poll(m->telev, &marker, mb) && mb->end) {
            if (marker)
                m->ts_tel = m->ts;
            send_payload(m, m->pt_tel, m->ts_tel, marker, mb->buf, mb->end);
            mem_deref(mb);
            m->ts += step;
            return;
        }
        mem_deref(mb);
    }
    int n = call_codec_encode(m->codec, pcm, buf, sizeof(buf));
    if (n > 0)
        send_payload(m, m->pt, m->ts, m->marker, buf, (size_t)n);
    m->marker = false;
    m->ts += step;
}

static void cap_sink(void *arg, const int16_t *s, size_t n)
{
    struct call_media *m = arg;
    fifo_push(&m->cap, s, n);
}

static void ref_sink(void *arg, const int16_t *s, size_t n)
{
    struct call_media *m = arg;
    fifo_push(&m->ref, s, n);
}

static void play_sink(void *arg, const int16_t *s, size_t n)
{
    struct call_media *m = arg;
    audio_dev_playback_write(m->audio, s, n);
}

/* The next frame of a phrase, added to the processed microphone frame (saturating): the
 * microphone keeps being heard under it. */
static void say_mix(struct call_media *m, int16_t *frame)
{
    size_t k = m->say_n - m->say_pos < CALL_FRAME ? m->say_n - m->say_pos : CALL_FRAME;
    for (size_t i = 0; i < k; i++) {
        int32_t v = (int32_t)frame[i] + m->say[m->say_pos + i];
        frame[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
    m->say_pos += k;
    if (m->say_pos == m->say_n) {
        free(m->say);
        m->say = NULL;
        m->say_n = m->say_pos = m->say_cap = 0;
    }
}

static void say_sink(void *arg, const int16_t *s, size_t n)
{
    struct call_media *m = arg;
    if (m->say_n + n > m->say_cap) {
        size_t cap = (m->say_n + n) * 2;
        int16_t *b = realloc(m->say, cap * sizeof(*b));
        if (!b) {
            m->say_short = true;
            return;
        }
        m->say = b;
        m->say_cap = cap;
    }
    memcpy(m->say + m->say_n, s, n * sizeof(*s));
    m->say_n += n;
}

int call_media_say(struct call_media *m, const int16_t *pcm, size_t n, unsigned rate)
{
    struct audio_resampler *rs = NULL;
    int rc;

    if (m->say_pos) {
        /* what is still to be sent moves to the front */
        memmove(m->say, m->say + m->say_pos, (m->say_n - m->say_pos) * sizeof(*m->say));
        m->say_n -= m->say_pos;
        m->say_pos = 0;
    }
    if (rate == CALL_RATE) {
        say_sink(m, pcm, n);
        return m->say_short ? (m->say_short = false, ENOMEM) : 0;
    }
    rc = audio_resampler_alloc(&rs, rate, CALL_RATE, AUDIO_RESAMPLE_FILE);
    if (rc)
        return rc;
    audio_resampler_all(rs, pcm, n, say_sink, m);
    audio_resampler_free(rs);
    if (m->say_short) {
        m->say_short = false;
        return ENOMEM;
    }
    return 0;
}

static void capture_path(struct call_media *m)
{
    int16_t dev[DEV_CHUNK], played[DEV_CHUNK];
    struct audio_dev_stats st;

    for (;;) {
        size_t n = audio_dev_capture_read(m->audio, dev, played, DEV_CHUNK);
        if (!n)
            break;
        /* every captured sample, however many it makes at 16 kHz; the played ones through an
         * identical converter fed the same counts, so the two stay in step */
        audio_resampler_all(m->from_dev, dev, n, cap_sink, m);
        audio_resampler_all(m->ref_from_dev, played, n, ref_sink, m);
        /* When the newest sample was captured: the driver's last callback, less what is still
         * queued behind it and the driver's own input buffering. */
        audio_dev_stats(m->audio, &st);
        uint64_t queued_ns =
            (uint64_t)audio_dev_capture_avail(m->audio) * 1000000000u / m->dev_rate +
            (uint64_t)st.in_latency_us * 1000u;
        uint64_t newest = st.last_callback_ns > queued_ns ? st.last_callback_ns - queued_ns : 0;
        m->cap_first_ns =
            newest - (uint64_t)(m->cap.n ? m->cap.n - 1 : 0) * 1000000000u / CALL_RATE;
    }
    while (m->cap.n >= CALL_FRAME) {
        int16_t frame[CALL_FRAME], ref[CALL_FRAME];
        uint64_t first = m->cap_first_ns;
        fifo_pop(&m->cap, frame, CALL_FRAME);
        m->cap_first_ns += (uint64_t)CALL_FRAME * 1000000000u / CALL_RATE;
        fifo_pop(&m->ref, ref, CALL_FRAME);
        audio_proc_run(m->proc, frame, ref, frame);
        if (m->sending && m->codec && sa_isset(&m->raddr, SA_ALL)) {
            if (m->say_n)
                say_mix(m, frame);
            send_frame(m, frame);
            /* from the frame's first sample at the microphone, through the resamplers */
            double lat = (double)(now_ns() - first) / 1e6 + (audio_resampler_delay_us(m->from_dev) +
                                                             call_codec_delay_us(m->codec, true)) /
                                                                1000.0;
            m->cap_lat_sum += lat;
            m->cap_lat_n++;
            if (lat > m->cap_lat_max)
                m->cap_lat_max = lat;
        }
    }
}

/* 425 Hz, one second on and four off (ITU-T E.180's common ringing tone), at -16 dBFS. */
static void ringback(struct call_media *m, int16_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++, m->ring_n++) {
        bool on = (m->ring_n % (5 * CALL_RATE)) < CALL_RATE;
        out[i] = on ? (int16_t)(5200.0 * sin(m->ring_phase)) : 0;
        m->ring_phase += 2 * M_PI * 425.0 / CALL_RATE;
        if (m->ring_phase > 2 * M_PI)
            m->ring_phase -= 2 * M_PI;
    }
}

/* Far-end audio on its way to the loudspeaker: volume, and every sample through the resampler
 * however many it makes at the device's rate. (The echo canceller's reference comes back from
 * the device: capture_path.) */
static void to_device(struct call_media *m, int16_t *pcm, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pcm[i] = (int16_t)((pcm[i] * m->gain_q15) >> 15);
    audio_resampler_all(m->to_dev, pcm, n, play_sink, m);
}

/* Until what is queued for the loudspeaker runs out (us): the device ring, which the driver
 * starts to take at its next callback, one block after its last. */
static uint64_t queued_us(const struct call_media *m, uint64_t now, uint64_t *ring_us,
                          uint64_t *block_us)
{
    struct audio_dev_stats st;
    audio_dev_stats(m->audio, &st);
    *ring_us = (uint64_t)audio_dev_playback_fill(m->audio) * 1000000u / m->dev_rate;
    *block_us = (uint64_t)(st.block ? st.block : m->dev_rate / 100) * 1000000u / m->dev_rate;
    if (!st.last_callback_ns)
        return *ring_us + *block_us; /* just started: its first callback is about a block away */
    uint64_t next_cb = st.last_callback_ns + *block_us * 1000u;
    return *ring_us + (next_cb > now ? (next_cb - now) / 1000u : 0);
}

/* One packet decoded at its turn; lat_us: until its first sample is heard. */
static void play_packet(struct call_media *m, unsigned trim_us, uint64_t queued, uint64_t now)
{
    const struct call_jitter_slot *slot = NULL;
    int16_t pcm[6 * CALL_FRAME];

    if (call_jitter_get(&m->jb, &slot) != CALL_JITTER_OK)
        return;
    int n = call_codec_decode(m->codec, slot->data, slot->len, pcm, ARRAY_SIZE(pcm));
    if (n <= 0) {
        /* undecodable: its length of concealment instead */
        n = call_codec_decode(m->codec, NULL, 0, pcm, CALL_FRAME);
        if (n <= 0)
            return;
    }
    size_t skip = (size_t)trim_us * CALL_RATE / 1000000u;
    if (skip >= (size_t)n)
        return;
    double lat =
        (double)(now - slot->arrival_ns) / 1e6 + (double)queued / 1000.0 +
        (double)(audio_resampler_delay_us(m->to_dev) + call_codec_delay_us(m->codec, false)) /
            1000.0;
    struct audio_dev_stats st;
    audio_dev_stats(m->audio, &st);
    lat += st.out_latency_us / 1000.0;
    m->play_lat_sum += lat;
    m->play_lat_n++;
    if (lat > m->play_lat_max)
        m->play_lat_max = lat;
    to_device(m, pcm + skip, (size_t)n - skip);
}

static void play_silence(struct call_media *m, unsigned us)
{
    int16_t pcm[CALL_FRAME];
    size_t n = (size_t)us * CALL_RATE / 1000000u;
    while (n) {
        size_t k = n < CALL_FRAME ? n : CALL_FRAME;
        memset(pcm, 0, k * sizeof(*pcm));
        to_device(m, pcm, k);
        n -= k;
    }
}

/* The far end, on the schedule of playout.c: run at every device callback, packet and tick. */
static void playback_path(struct call_media *m)
{
    uint64_t now = now_ns(), ring, block;
    uint64_t target = (uint64_t)m->cfg->hotline.jitter_ms * 1000u;
    int16_t pcm[CALL_FRAME];

    if (m->ringback || !m->codec) {
        /* Our own ringback, or silence before the answer: kept at the playout delay. */
        int16_t tone[CALL_FRAME / 2];
        call_playout_pause(&m->po);
        while (queued_us(m, now, &ring, &block) < target) {
            if (m->ringback)
                ringback(m, tone, ARRAY_SIZE(tone));
            else
                memset(tone, 0, sizeof(tone));
            to_device(m, tone, ARRAY_SIZE(tone));
        }
        return;
    }
    for (unsigned i = 0; i < 32; i++) {
        unsigned us;
        uint64_t q = queued_us(m, now, &ring, &block);
        switch (call_playout_next(&m->po, &m->jb, q, ring, block, &us)) {
        case CALL_PLAYOUT_WAIT:
            return;
        case CALL_PLAYOUT_SILENCE:
            play_silence(m, us);
            break;
        case CALL_PLAYOUT_DECODE:
            play_packet(m, us, q, now);
            break;
        case CALL_PLAYOUT_CONCEAL: {
            int n = call_codec_decode(m->codec, NULL, 0, pcm, CALL_FRAME / 2);
            if (n <= 0) {
                n = CALL_FRAME / 2;
                memset(pcm, 0, sizeof(pcm));
            }
            to_device(m, pcm, (size_t)n);
            break;
        }
        case CALL_PLAYOUT_SKIP: {
            const struct call_jitter_slot *slot;
            (void)call_jitter_get(&m->jb, &slot); /* counts it lost */
            break;
        }
        }
    }
}

static void tick_h(void *arg)
{
    struct call_media *m = arg;
    tmr_start(&m->tick, TICK_MS, tick_h, m);
    if (m->audio) {
        capture_path(m);
        playback_path(m);
        return;
    }
    /* No device yet (it is still opening): keep only the playout delay's worth of the far end,
     * so that what plays first when it opens is current. */
    unsigned want = (unsigned)(m->cfg->hotline.jitter_ms / 20) + 2;
    const struct call_jitter_slot *slot;
    while (m->jb.count > want)
        (void)call_jitter_get(&m->jb, &slot);
}

/* The driver moved a block: run the voice path at once (the timer is only the fallback). */
static void wake_h(int flags, void *arg)
{
    struct call_media *m = arg;
    uint64_t n;
    (void)flags;
    if (read(audio_dev_wake_fd(m->audio), &n, sizeof(n)) < 0 && errno != EAGAIN)
        return;
    capture_path(m);
    playback_path(m);
}

int call_media_attach_audio(struct call_media *m, struct audio_dev *audio)
{
    if (m->audio)
        return 0;
    m->dev_rate = audio_dev_rate(audio);
    if (audio_resampler_alloc(&m->from_dev, m->dev_rate, CALL_RATE, AUDIO_RESAMPLE_VOIP) ||
        audio_resampler_alloc(&m->ref_from_dev, m->dev_rate, CALL_RATE, AUDIO_RESAMPLE_VOIP) ||
        audio_resampler_alloc(&m->to_dev, CALL_RATE, m->dev_rate, AUDIO_RESAMPLE_VOIP)) {
        audio_resampler_free(m->from_dev);
        audio_resampler_free(m->ref_from_dev);
        audio_resampler_free(m->to_dev);
        m->from_dev = m->ref_from_dev = m->to_dev = NULL;
        return ENOMEM;
    }
    m->audio = audio;
    int rc = fd_listen(audio_dev_wake_fd(audio), FD_READ, wake_h, m);
    if (rc)
        m->audio = NULL;
    return rc;
}

/* ---------------------------------------------------------------------------------------- */

/* The SDP offer: Opus, PCMU, PCMA and telephone-events at both clock rates, 20 ms packets;
 * RTP/SAVP when the media is encrypted. */
static int offer_formats(struct call_media *m)
{
    int rc = sdp_session_alloc(&m->sdp, &m->laddr);
    if (rc)
        return rc;
    rc = sdp_media_add(&m->sdpm, m->sdp, "audio", sa_port(rtp_local(m->rtp)),
                       m->secure ? "RTP/SAVP" : "RTP/AVP");
    if (rc)
        return rc;
    rc = sdp_format_add(NULL, m->sdpm, false, "111", "opus", 48000, 2, NULL, NULL, NULL, false,
                        "minptime=10;useinbandfec=1");
    rc |= sdp_format_add(NULL, m->sdpm, false, "0", "PCMU", 8000, 1, NULL, NULL, NULL, false, NULL);
    rc |= sdp_format_add(NULL, m->sdpm, false, "8", "PCMA", 8000, 1, NULL, NULL, NULL, false, NULL);
    rc |= sdp_format_add(NULL, m->sdpm, false, "101", "telephone-event", 48000, 1, NULL, NULL, NULL,
                         false, "0-15");
    rc |= sdp_format_add(NULL, m->sdpm, false, "100", "telephone-event", 8000, 1, NULL, NULL, NULL,
                         false, "0-15");
    rc |= sdp_media_set_lattr(m->sdpm, true, "ptime", "20");
    return rc;
}

/* SDES (RFC 4568): a fresh key in the offer's a=crypto, the sending context, and SRTP on both
 * sockets through libre's UDP helpers. */
static int offer_srtp(struct call_media *m)
{
    char b64[64];
    size_t blen = sizeof(b64) - 1;
    rand_bytes(m->key, sizeof(m->key));
    int rc = base64_encode(m->key, sizeof(m->key), b64, &blen);
    if (rc)
        return rc;
    b64[blen] = '\0';
    rc = sdp_media_set_lattr(m->sdpm, true, "crypto", "1 AES_CM_128_HMAC_SHA1_80 inline:%s", b64);
    rc = rc ? rc : srtp_alloc(&m->tx, SRTP_AES_CM_128_HMAC_SHA1_80, m->key, sizeof(m->key), 0);
    if (rc)
        return rc;
    m->side_rtp = (struct srtp_side){m, false};
    m->side_rtcp = (struct srtp_side){m, true};
    rc = udp_register_helper(&m->uh_rtp, rtp_sock(m->rtp), LAYER_SRTP, srtp_send_h, srtp_recv_h,
                             &m->side_rtp);
    return rc ? rc
              : udp_register_helper(&m->uh_rtcp, rtcp_sock(m->rtp), LAYER_SRTP, srtp_send_h,
                                    srtp_recv_h, &m->side_rtcp);
}

int call_media_alloc(struct call_media **mp, const struct call_media_opts *o)
{
    struct call_media *m = calloc(1, sizeof(*m));
    const struct config *cfg = o->cfg;
    int rc = ENOMEM;

    if (!m)
        return ENOMEM;
    m->cfg = cfg;
    m->laddr = *o->laddr;
    m->secure = o->secure;
    m->pt = -1;
    m->pt_tel = -1;
    m->marker = true;
    m->ts = rand_u32();
    tmr_init(&m->tick);
    call_media_volume(m, o->volume);
    /* Depth: the playout delay plus 200 ms of bursts, in 20 ms packets. */
    call_jitter_init(&m->jb, (unsigned)(cfg->hotline.jitter_ms / 20 + 10));
    call_playout_init(&m->po, cfg->hotline.jitter_ms);

    if (o->audio && call_media_attach_audio(m, o->audio))
        goto out;
    rc = audio_proc_alloc(&m->proc, CALL_RATE, CALL_FRAME, ECHO_TAIL_MS, cfg->audio.echo_cancel,
                          cfg->audio.noise_suppression);
    if (rc)
        goto out;
    rc = rtp_listen(&m->rtp, IPPROTO_UDP, &m->laddr, (uint16_t)cfg->hotline.rtp_port_min,
                    (uint16_t)cfg->hotline.rtp_port_max, true, media_rtp_recv, media_rtcp_recv, m);
    rc = rc ? rc : offer_formats(m);
    rc = rc || !m->secure ? rc : offer_srtp(m);
    rc = rc ? rc : telev_alloc(&m->telev, 20);
    if (rc)
        goto out;
    tmr_start(&m->tick, TICK_MS, tick_h, m);
    *mp = m;
    m = NULL;
out:
    call_media_free(m);
    return rc;
}

void call_media_free(struct call_media *m)
{
    if (!m)
        return;
    tmr_cancel(&m->tick);
    if (m->audio)
        fd_close(audio_dev_wake_fd(m->audio));
    /* Helpers before the socket they sit on. */
    mem_deref(m->uh_rtp);
    mem_deref(m->uh_rtcp);
    mem_deref(m->rtp);
    mem_deref(m->sdp);
    mem_deref(m->tx);
    mem_deref(m->rx);
    mem_deref(m->telev);
    call_codec_free(m->codec);
    audio_resampler_free(m->from_dev);
    audio_resampler_free(m->ref_from_dev);
    audio_resampler_free(m->to_dev);
    audio_proc_free(m->proc);
    free(m->say);
    free(m);
}

int call_media_offer(struct call_media *m, struct mbuf **mbp)
{
    return sdp_encode(mbp, m->sdp, true);
}

struct crypto_match {
    struct call_media *m;
    int err;
    bool found;
};

/* a=crypto:<tag> <suite> inline:<key>[|lifetime][|mki:len] */
static bool crypto_h(const char *name, const char *value, void *arg)
{
    struct crypto_match *cm = arg;
    struct pl tag, suite, key;
    uint8_t raw[64];
    size_t rlen = sizeof(raw);

    if (re_regex(value, strlen(value), "[0-9]+ [^ ]+ inline:[^|]+", &tag, &suite, &key))
        return false;
    if (pl_strcmp(&suite, "AES_CM_128_HMAC_SHA1_80"))
        return false;
    if (base64_decode(key.p, key.l, raw, &rlen) || rlen != SRTP_KEY_LEN) {
        cm->err = EBADMSG;
        return false;
    }
    cm->m->rx = mem_deref(cm->m->rx);
    cm->err = srtp_alloc(&cm->m->rx, SRTP_AES_CM_128_HMAC_SHA1_80, raw, rlen, 0);
    cm->found = !cm->err;
    return true;
}

/* After an offer or answer was decoded: pick the codec, the peer's address and SRTP key. */
static int apply_remote(struct call_media *m, char *why, size_t len)
{
    const struct sdp_format *chosen = NULL, *tel = NULL;
    const struct list *l = sdp_media_format_lst(m->sdpm, false);
    enum call_codec_id id = CALL_CODEC_PCMU;

    if (!sdp_media_rport(m->sdpm)) {
        snprintf(why, len, "the hotline declined the audio stream");
        return EPROTO;
    }
    for (struct le *le = l ? l->head : NULL; le && !chosen; le = le->next) {
        const struct sdp_format *f = le->data;
        if (!f->sup)
            continue;
        if (!strcasecmp(f->name, "opus") && f->srate == 48000)
            chosen = f, id = CALL_CODEC_OPUS;
        else if (!strcasecmp(f->name, "PCMU") && f->srate == 8000)
            chosen = f, id = CALL_CODEC_PCMU;
        else if (!strcasecmp(f->name, "PCMA") && f->srate == 8000)
            chosen = f, id = CALL_CODEC_PCMA;
    }
    if (!chosen) {
        snprintf(why, len, "no common codec (offered Opus, PCMU, PCMA)");
        return EPROTO;
    }
    if (!m->codec || m->codec_id != id) {
        call_codec_free(m->codec);
        m->codec = NULL;
        int rc = call_codec_alloc(&m->codec, id);
        if (rc) {
            snprintf(why, len, "cannot start the codec");
            return rc;
        }
        m->codec_id = id;
        call_jitter_init(&m->jb, m->jb.max_depth);
    }
    m->codec_name = id == CALL_CODEC_OPUS ? "Opus" : id == CALL_CODEC_PCMU ? "PCMU" : "PCMA";
    m->pt = chosen->pt;
    unsigned clock = call_codec_clock(m->codec);
    for (struct le *le = l->head; le; le = le->next) {
        const struct sdp_format *f = le->data;
        if (f->sup && !strcasecmp(f->name, "telephone-event") && (!tel || f->srate == clock))
            tel = f;
    }
    m->pt_tel = tel ? tel->pt : -1;
    if (tel)
        telev_set_srate(m->telev, tel->srate);

    m->raddr = *sdp_media_raddr(m->sdpm);
    sdp_media_raddr_rtcp(m->sdpm, &m->raddr_rtcp);
    if (m->secure) {
        struct crypto_match cm = {.m = m};
        sdp_media_rattr_apply(m->sdpm, "crypto", crypto_h, &cm);
        if (!cm.found) {
            snprintf(why, len, "the hotline did not accept encrypted media (SDES-SRTP)");
            return EKEYREJECTED; /* its own failure class (CALL_FAIL_MEDIA) */
        }
    }
    rtcp_set_srate(m->rtp, clock, clock);
    if (!m->rtcp_started) {
        char cname[24];
        rand_str(cname, sizeof(cname));
        rtcp_start(m->rtp, cname, &m->raddr_rtcp);
        m->rtcp_started = true;
    }
    return 0;
}

int call_media_answer(struct call_media *m, struct mbuf *sdp, char *why, size_t len)
{
    int rc = sdp_decode(m->sdp, sdp, false);
    if (rc) {
        snprintf(why, len, "unreadable SDP answer");
        return rc;
    }
    return apply_remote(m, why, len);
}

int call_media_reoffer(struct call_media *m, struct mbuf *sdp, struct mbuf **mbp)
{
    char why[128];
    int rc = sdp_decode(m->sdp, sdp, true);
    if (!rc)
        rc = apply_remote(m, why, sizeof(why));
    if (!rc)
        rc = sdp_encode(mbp, m->sdp, false);
    return rc;
}

void call_media_set_ringback(struct call_media *m, bool on)
{
    if (on && !m->ringback)
        m->ring_n = 0;
    m->ringback = on;
}

void call_media_set_sending(struct call_media *m, bool on)
{
    /* The first packet leaves at once with what the microphone has so far (the rest of the
     * frame silence): the hotline hears the line open, and NATs and PBXs that latch onto the
     * first packet's address do so without waiting for a whole frame. */
    if (on && !m->sending && m->codec && sa_isset(&m->raddr, SA_ALL)) {
        int16_t frame[CALL_FRAME] = {0};
        size_t have = m->cap.n < CALL_FRAME ? m->cap.n : CALL_FRAME;
        fifo_pop(&m->cap, frame + (CALL_FRAME - have), have);
        fifo_pop(&m->ref, NULL, have); /* its reference: the two stay in step */
        m->cap_first_ns += (uint64_t)have * 1000000000u / CALL_RATE;
        send_frame(m, frame);
    }
    m->sending = on;
}

void call_media_volume(struct call_media *m, unsigned percent)
{
    if (percent > 100)
        percent = 100;
    m->volume = percent;
    /* Perceived loudness: 50 % is about -12 dB. */
    m->gain_q15 = (int32_t)(32767.0 * (percent / 100.0) * (percent / 100.0));
}

int call_media_dtmf(struct call_media *m, char digit)
{
    int code = telev_digit2code(digit);
    if (code < 0 || code > 11)
        return EINVAL;
    if (m->pt_tel < 0)
        return ENOTSUP;
    int rc = telev_send(m->telev, code, false);
    return rc ? rc : telev_send(m->telev, code, true);
}

uint64_t call_media_last_rx(const struct call_media *m)
{
    return m->last_rx_ns;
}

uint64_t call_media_first_tx_ms(const struct call_media *m)
{
    return m->first_tx_ms;
}

void call_media_summary(const struct call_media *m, char *buf, size_t len)
{
    struct audio_dev_stats st = {0};
    unsigned echo_ms = m->proc ? audio_proc_delay_ms(m->proc) : 0;
    if (m->audio)
        audio_dev_stats(m->audio, &st);
    snprintf(buf, len,
             "%s %s tx %llu rx %llu; cap->rtp %.1f ms max %.1f; rtp->play %.1f ms max %.1f; "
             "lost %llu late %llu drop %llu; delay %u ms (%u-%u); sources %llu; foreign %llu; "
             "underruns %llu; echo path from %u ms%s",
             m->codec_name ? m->codec_name : "no codec", m->secure ? "SRTP" : "RTP",
             (unsigned long long)m->tx_packets, (unsigned long long)m->rx_packets,
             m->cap_lat_n ? m->cap_lat_sum / (double)m->cap_lat_n : 0.0, m->cap_lat_max,
             m->play_lat_n ? m->play_lat_sum / (double)m->play_lat_n : 0.0, m->play_lat_max,
             (unsigned long long)m->jb.lost, (unsigned long long)m->jb.late,
             (unsigned long long)(m->jb.dropped + m->po.trims), m->po.target_us / 1000,
             m->po.min_us / 1000, m->po.max_us / 1000, (unsigned long long)m->jb.sources + 1,
             (unsigned long long)m->foreign, (unsigned long long)st.underruns, echo_ms,
             m->srtp_fail ? "; SRTP auth failures" : "");
}
