/* The call engine: libre's SIP stack in a thread of its own, outbound calls only.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "openline/log.h"
#include "openline/util.h"

#include <re.h>
/* only for dbg_init and dbg_handler_set: this file prints nothing through libre */
#define DEBUG_MODULE "openline-call"
#define DEBUG_LEVEL  0
#include <re_dbg.h>

#include "abandon.h"
#include "call_int.h"

enum cmd {
    CMD_DIAL,
    CMD_HANGUP,
    CMD_DTMF,
    CMD_VOLUME,
    CMD_PING,
    CMD_STOP,
    CMD_AUDIO,       /* the audio-control thread has a result (call_audioctl_take) */
    CMD_SPEECH,      /* a struct speech_clip to play outside calls */
    CMD_SPEECH_STOP, /* drop all speech; data: the count of speech_stop() calls */
    CMD_SAY,         /* a struct speech_clip to speak into the connected call */
};

enum {
    MAX_ATTEMPTS = 2, /* primary, secondary */
    STOP_GRACE_MS = 300,
    AUDIO_RETRY_MS = 10000,     /* without a usable audio device: probe again this often */
    AUDIO_OPEN_MS = 3000,       /* a call whose device has not opened by then fails (AUDIO) */
    AUDIO_START_WAIT_MS = 1000, /* call_engine_start() waits this long for the first probe */
    AUDIO_CLOSE_WAIT_MS = 2000, /* call_engine_stop() waits this long for the device to close */
    SPEECH_IDLE_MS = 2000,      /* the speech device closes after this long with nothing queued */
    SPEECH_QUEUE_MS = 60,       /* speech kept in the device's ring ahead of the driver */
    SPEECH_TICK_MS = 20,        /* fallback to the device's wake fd */
    SPEECH_MARKS = 16,
    SPEECH_RATE_MAX = 192000,
};

/* PCM handed to the call thread (speech_play, call_say): a copy the call thread frees. */
struct speech_clip {
    struct speech_clip *next;
    uint32_t tag; /* speech_play's; 0 for call_say */
    unsigned rate;
    size_t n, pos; /* samples, and how many were handed on */
    int16_t pcm[];
};

/* Speech outside calls (read-aloud), on the call thread. The device is opened for playback
 * only on the audio-control thread when speech comes, fed from the wake fd like a call's, and
 * closed after SPEECH_IDLE_MS with nothing queued or when a call is dialled. */
struct speech {
    struct speech_clip *head, *tail; /* queued; head is being played */
    enum {
        SPEECH_CLOSED,
        SPEECH_OPENING, /* start_playback requested (seq) */
        SPEECH_OPEN,
    } dev_state;
    struct audio_dev *audio; /* the device while OPENING or OPEN */
    uint64_t seq;
    struct audio_resampler *rs; /* head's rate to the device's; NULL when they match */
    size_t written;             /* samples handed to the device's ring since it started */
    /* which tag the ring holds up to where (positions on the count of written) */
    struct speech_mark {
        size_t end;
        uint32_t tag;
    } marks[SPEECH_MARKS];
    unsigned n_marks;
    unsigned stops_done; /* speech_stops as of the last CMD_SPEECH_STOP taken */
    struct tmr idle_tmr;
    struct tmr tick_tmr;
};

struct dial_req {
    char lang[CONFIG_LANG_LEN];
    char uri[CONFIG_URI_LEN]; /* "" = from the configuration */
};

/* A self-test waiting for the call thread's answer (do_ping), through the condition variable. */
struct ping_wait {
    pthread_mutex_t mx;
    pthread_cond_t cv;
    bool done;
    bool ok;
    char why[256];
};

struct call;

struct call_engine {
    const struct config *cfg;
    call_event_h *handler;
    void *arg;
    pthread_t thread;

    pthread_mutex_t mx; /* guards ready/start_rc/start_err and the registration state */
    pthread_cond_t cv;
    bool ready;
    bool first_probe_done; /* the first probe answered (call_engine_start waits for it) */
    int start_rc;
    char start_err[256];
    atomic_bool audio_ok;
    enum call_reg_state reg_state;
    char reg_reason[160];

    struct mqueue *mq; /* set before ready; then only read */

    /* any thread */
    _Atomic uint32_t speech_now; /* call_engine_speech_now() */
    atomic_uint speech_pending;  /* speech_play() clips not taken by the call thread yet */
    atomic_uint speech_stops;    /* speech_stop() calls */
    atomic_bool in_call;         /* dialled and not ended: speech_play() says EBUSY */
    atomic_bool connected;       /* call_say() accepted */

    /* call thread only */
    struct dnsc *dnsc;
    struct sip *sip;
    struct sipsess_sock *sock;
    struct tls *tls;
    struct call_tls_verify tv;
    char tls_problem[256]; /* why TLS is unavailable, "" = it is available */
    struct sipreg *reg;
    struct call_abandon *abandon; /* INVITEs given up on: their late replies */
    bool aborting;                /* ending every client transaction (session_end) */
    struct sa laddr;
    char cuser[16];
    char from_uri[CONFIG_URI_LEN + 64];
    struct audio_dev *audio; /* probed and usable: calls open it (audioctl.c) */
    struct call_audioctl *audioctl;
    bool probing; /* a probe is queued or running */
    bool probed_once;
    uint64_t audio_seq; /* of the last start requested */
    char audio_problem[256];
    struct call *call;
    struct ping_wait *ping;           /* the self-test waiting for an answer, or NULL */
    struct sip_request *ping_options; /* its OPTIONS request in flight */
    struct sip_dialog *ping_dlg;
    struct tmr ping_tmr;
    uint64_t ping_t0;
    struct tmr audio_tmr; /* runs while there is no usable audio device: probe again */
    struct tmr stop_tmr;
    unsigned volume; /* percent: speech's (call_engine_volume) */
    struct speech sp;
};

struct call {
    struct call_engine *e;
    char lang[CONFIG_LANG_LEN];
    char uris[MAX_ATTEMPTS][CONFIG_URI_LEN];
    unsigned n_uris;
    unsigned attempt;
    char failover[128]; /* why the primary failed, reported with the secondary's first event */
    int probe_fd;       /* UDP: a connected socket that hears ICMP port unreachable, or -1 */
    char probe_to[80];  /* its address, for the reason */
    uint64_t t0;        /* call_now_ms() at dial */
    enum call_state state;
    bool got_reply;
    bool early_media;
    /* The device, opened on the audio-control thread while the INVITE goes out */
    enum {
        AUDIO_NONE,       /* not asked for */
        AUDIO_WAIT_PROBE, /* the first probe has not answered yet */
        AUDIO_OPENING,    /* start requested (audio_seq) */
        AUDIO_STARTED,    /* the media path uses it */
    } audio_state;
    struct audio_dev *dev; /* the device asked to open */
    uint64_t audio_seq;
    bool free_dev;        /* the device failed: free it after closing it */
    struct tmr tmr_audio; /* AUDIO_OPEN_MS */
    unsigned volume;      /* percent, for this call (the secondary attempt keeps it) */
    struct sipsess *sess;
    struct call_media *media;
    struct tmr tmr_connect;
    struct tmr tmr_noanswer;
    struct tmr tmr_media;
    struct tmr tmr_closed;
    uint64_t established_ns;
    /* result of the attempt that just closed, handled outside libre's callback */
    enum call_failure close_failure;
    enum call_failure answer_failure; /* answer_h refused the answer: the reason is its own */
    int close_status;
    char close_reason[160];
    bool close_normal;
};

uint64_t call_now_ms(void)
{
    return audio_now_ns() / 1000000u;
}

/* ---------------------------------------------------------------------------------------- */
/* Events */

static void emit(struct call *c, enum call_state st, enum call_failure f, int status,
                 const char *reason)
{
    struct call_event ev = {
        .state = st,
        .failure = f,
        .sip_status = status,
        .ms = call_now_ms() - c->t0,
        .secondary = c->attempt > 0,
    };
    snprintf(ev.reason, sizeof(ev.reason), "%s", reason ? reason : "");
    c->state = st;
    c->e->handler(&ev, c->e->arg);
}

/* Not about a call: whether calls are possible changed (call_engine_audio_ok()). */
static void emit_availability(struct call_engine *e)
{
    struct call_event ev = {.state = CALL_STATE_IDLE, .availability = true};
    snprintf(ev.reason, sizeof(ev.reason), "%.150s",
             e->audio ? "an audio device is available" : e->audio_problem);
    e->handler(&ev, e->arg);
}

static void audio_tmr_h(void *arg);
static void speech_close(struct call_engine *e);

/* Audio devices come and go: a USB handset enumerated after the kiosk started, or unplugged
 * and plugged back. Without a usable device the call thread probes again every
 * AUDIO_RETRY_MS, and the kiosk shows the number until one answers. Probing runs on the
 * audio-control thread (audioctl.c); its answer comes back as audio_probed(). */
static void audio_probe(struct call_engine *e)
{
    if (e->audio || e->probing)
        return;
    /* Still busy with an earlier device (a hung sound server): ask again later. */
    if (!call_audioctl_idle(e->audioctl) ||
        call_audioctl_request(e->audioctl, CALL_AUDIO_PROBE, NULL, 0)) {
        tmr_start(&e->audio_tmr, AUDIO_RETRY_MS, audio_tmr_h, e);
        return;
    }
    e->probing = true;
}

static void audio_tmr_h(void *arg)
{
    audio_probe(arg);
}

static void first_probe_done(struct call_engine *e)
{
    if (e->probed_once)
        return;
    e->probed_once = true;
    pthread_mutex_lock(&e->mx);
    e->first_probe_done = true;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mx);
}

/* The device failed: no new call uses it; it is freed once the call holding it closed it. */
static void audio_release(struct call_engine *e, struct audio_dev *dev)
{
    struct call *c = e->call;
    if (!dev)
        return;
    if (e->audio == dev)
        e->audio = NULL;
    if (e->sp.audio == dev)
        speech_close(e);
    if (c && c->dev == dev && (c->audio_state == AUDIO_OPENING || c->audio_state == AUDIO_STARTED))
        c->free_dev = true;
    else
        (void)call_audioctl_request(e->audioctl, CALL_AUDIO_FREE, dev, 0);
}

/* The device failed when a call needed it: drop it, say so, and probe again later. */
static void audio_lost(struct call_engine *e, struct audio_dev *dev, const char *why)
{
    audio_release(e, dev);
    atomic_store(&e->audio_ok, false);
    snprintf(e->audio_problem, sizeof(e->audio_problem), "%.200s", why);
    log_warn("audio: %s; calls are unavailable on this kiosk until a device answers", why);
    emit_availability(e);
    tmr_start(&e->audio_tmr, AUDIO_RETRY_MS, audio_tmr_h, e);
}

/* ---------------------------------------------------------------------------------------- */
/* Addresses and URIs */

/* The host of a SIP URI (without brackets for IPv6), its transport and whether TLS is used. */
struct target {
    char host[256];
    enum sip_transp tp;
    uint16_t port;      /* 0: none given */
    char hostport[270]; /* "HOST[:PORT]", IPv6 in brackets */
    char request_uri[CONFIG_URI_LEN + 32];
    /* A sips: address: libre 1.1 sends requests only to a sip: next hop (sip_request refuses
     * any other scheme with ENOSYS), so the request goes by a loose route to the same host
     * over TLS, "sip:HOST[:PORT];transport=tls", and keeps the sips: Request-URI and To (RFC
     * 3261 16.12, RFC 5630). "" for other addresses. */
    char route[CONFIG_URI_LEN + 32];
};

/* "HOST[:PORT]" of a decoded URI whose host is host (brackets around an IPv6 address). */
static void uri_hostport(const struct uri *u, const char *host, char *out, size_t len)
{
    const char *open = u->af == AF_INET6 ? "[" : "", *close = u->af == AF_INET6 ? "]" : "";
    if (u->port)
        snprintf(out, len, "%s%s%s:%u", open, host, close, u->port);
    else
        snprintf(out, len, "%s%s%s", open, host, close);
}

/* The route vector of a target, for sipsess_connect, sip_dialog_alloc and sipreg_register. */
static uint32_t target_routes(const struct target *t, const char **routev)
{
    routev[0] = t->route;
    return t->route[0] ? 1 : 0;
}

static int target_parse(const struct config *cfg, const char *uri_str, struct target *t)
{
    struct uri u;
    struct pl pl, val;

    pl_set_str(&pl, uri_str);
    if (uri_decode(&u, &pl) || !pl_isset(&u.host))
        return EINVAL;
    pl_strcpy(&u.host, t->host, sizeof(t->host));
    snprintf(t->request_uri, sizeof(t->request_uri), "%s", uri_str);
    t->port = u.port;
    uri_hostport(&u, t->host, t->hostport, sizeof(t->hostport));
    t->route[0] = '\0';
    if (!pl_strcasecmp(&u.scheme, "sips")) {
        t->tp = SIP_TRANSP_TLS;
        snprintf(t->route, sizeof(t->route), "sip:%s;transport=tls", t->hostport);
    } else if (!msg_param_decode(&u.params, "transport", &val)) {
        t->tp = !pl_strcasecmp(&val, "tls")   ? SIP_TRANSP_TLS
                : !pl_strcasecmp(&val, "tcp") ? SIP_TRANSP_TCP
                                              : SIP_TRANSP_UDP;
    } else {
        static const char *const names[] = {"udp", "tcp", "tls"};
        t->tp = cfg->hotline.transport == CONFIG_TRANSPORT_TLS   ? SIP_TRANSP_TLS
                : cfg->hotline.transport == CONFIG_TRANSPORT_TCP ? SIP_TRANSP_TCP
                                                                 : SIP_TRANSP_UDP;
        if (t->tp != SIP_TRANSP_UDP && !pl_isset(&u.headers))
            snprintf(t->request_uri, sizeof(t->request_uri), "%s;transport=%s", uri_str,
                     names[cfg->hotline.transport]);
    }
    return 0;
}

static bool media_secure(const struct config *cfg, enum sip_transp tp)
{
    return cfg->hotline.srtp == CONFIG_SRTP_MANDATORY ||
           (cfg->hotline.srtp == CONFIG_SRTP_AUTO && tp == SIP_TRANSP_TLS);
}

/* The local address facing the hotline: the route's source address for an IP literal, else
 * the default route's; loopback when there is no network. */
static void pick_laddr(const struct config *cfg, struct sa *laddr)
{
    struct target t;
    struct sa dst;

    if (cfg->hotline.local_address[0] && !sa_set_str(laddr, cfg->hotline.local_address, 0))
        return;
    if (cfg->hotline.uri[0] && !target_parse(cfg, cfg->hotline.uri, &t) &&
        !sa_set_str(&dst, t.host, 5060)) {
        int fd = socket(sa_af(&dst), SOCK_DGRAM, 0);
        struct sa local;
        sa_init(&local, sa_af(&dst));
        if (fd >= 0 && !connect(fd, &dst.u.sa, dst.len) &&
            !getsockname(fd, &local.u.sa, &local.len)) {
            close(fd);
            *laddr = local;
            sa_set_port(laddr, 0);
            return;
        }
        if (fd >= 0)
            close(fd);
    }
    if (net_default_source_addr_get(AF_INET, laddr))
        sa_set_str(laddr, "127.0.0.1", 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Authentication and registration */

static int auth_h(char **user, char **pass, const char *realm, void *arg)
{
    struct call_engine *e = arg;
    if (!e->cfg->hotline.username[0])
        return EAUTH;
    int rc = str_dup(user, e->cfg->hotline.username);
    return rc ? rc : str_dup(pass, e->cfg->hotline.password);
}

static void set_reg(struct call_engine *e, enum call_reg_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_reg(struct call_engine *e, enum call_reg_state st, const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&e->mx);
    e->reg_state = st;
    va_start(ap, fmt);
    vsnprintf(e->reg_reason, sizeof(e->reg_reason), fmt, ap);
    va_end(ap);
    pthread_mutex_unlock(&e->mx);
}

static void ping_answer(struct call_engine *e, bool ok, const char *why);

static void reg_resp_h(int err, const struct sip_msg *msg, void *arg)
{
    struct call_engine *e = arg;
    if (err == ECONNABORTED && e->aborting)
        return; /* a refresh caught by session_end(): sipreg tries again within a minute */
    if (err) {
        const char *tls = e->tv.error[0] ? e->tv.error : NULL;
        set_reg(e, CALL_REG_FAILED, "%s", tls ? tls : strerror(err));
    } else if (msg->scode >= 200 && msg->scode < 300) {
        set_reg(e, CALL_REG_OK, "registered (%u %.*s), refreshed every %u s", msg->scode,
                (int)msg->reason.l, msg->reason.p, sipreg_proxy_expires(e->reg) * 9 / 10);
    } else if (msg->scode >= 300) {
        set_reg(e, CALL_REG_FAILED, "registrar answered %u %.*s", msg->scode, (int)msg->reason.l,
                msg->reason.p);
    } else {
        return;
    }
    if (e->ping) {
        pthread_mutex_lock(&e->mx);
        bool ok = e->reg_state == CALL_REG_OK;
        char why[160];
        snprintf(why, sizeof(why), "%s", e->reg_reason);
        pthread_mutex_unlock(&e->mx);
        ping_answer(e, ok, why);
    }
}

static int start_registration(struct call_engine *e)
{
    const struct config *cfg = e->cfg;
    struct target t;
    char reg_uri[sizeof(t.hostport) + CONFIG_URI_LEN], aor[CONFIG_URI_LEN + 160];

    if (cfg->hotline.registrar[0]) {
        if (target_parse(cfg, cfg->hotline.registrar, &t))
            return EINVAL;
        snprintf(reg_uri, sizeof(reg_uri), "%s", t.request_uri);
    } else {
        /* the hotline's host; a sips: hotline's over TLS all the way (its route: the target's) */
        if (target_parse(cfg, cfg->hotline.uri, &t))
            return EINVAL;
        bool sips = !strncasecmp(cfg->hotline.uri, "sips:", 5);
        const char *tp = sips                     ? ""
                         : t.tp == SIP_TRANSP_TLS ? ";transport=tls"
                         : t.tp == SIP_TRANSP_TCP ? ";transport=tcp"
                                                  : "";
        snprintf(reg_uri, sizeof(reg_uri), "%s:%s%s", sips ? "sips" : "sip", t.hostport, tp);
    }
    if (t.tp == SIP_TRANSP_TLS && e->tls)
        call_tls_expect(e->tls, &e->tv, t.host);
    snprintf(aor, sizeof(aor), "sip:%s@%s", cfg->hotline.username, t.host);
    snprintf(e->from_uri, sizeof(e->from_uri), "%.300s", aor);
    set_reg(e, CALL_REG_TRYING, "registering");
    const char *routev[1];
    uint32_t routec = target_routes(&t, routev);
    return sipreg_register(&e->reg, e->sip, reg_uri, aor, NULL, aor,
                           (uint32_t)(cfg->hotline.register_interval_ms / 1000), e->cuser,
                           routec ? routev : NULL, routec, 0, auth_h, e, false, reg_resp_h, e, NULL,
                           NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* One call: attempts on the primary and secondary hotline */

static void call_attempt(struct call *c);

static void probe_stop(struct call *c);

/* End the attempt's SIP session. Dereferencing it sends BYE (established) or CANCEL (after a
 * provisional reply) at once. An INVITE with no reply yet is different: libre keeps it going
 * (over UDP it retransmits it for up to 32 s; a name still resolving is sent when it resolves)
 * and answers a late 200 with ACK and BYE: a call nobody is on. libre 1.1 ends one client
 * transaction only by ending them all (sip_close(sip, true)); the others that can be pending
 * are a registration refresh (sipreg retries it within a minute, long before the registration
 * expires) and the BYE of an earlier call (sent at least once). What still arrives for the
 * INVITE is answered by abandon.c. */
static void session_end(struct call *c)
{
    struct call_engine *e = c->e;

    if (!c->sess)
        return;
    bool pending = !c->got_reply;
    char callid[128] = "";
    if (pending)
        snprintf(callid, sizeof(callid), "%s", sip_dialog_callid(sipsess_dialog(c->sess)));
    c->sess = mem_deref(c->sess);
    if (!pending)
        return;
    (void)call_abandon_invite(e->abandon, callid); /* ENOENT: it never left */
    e->aborting = true;
    sip_close(e->sip, true);
    e->aborting = false;
}

static void call_free(struct call *c)
{
    if (!c)
        return;
    probe_stop(c);
    tmr_cancel(&c->tmr_connect);
    tmr_cancel(&c->tmr_noanswer);
    tmr_cancel(&c->tmr_media);
    tmr_cancel(&c->tmr_closed);
    tmr_cancel(&c->tmr_audio);
    session_end(c);
    call_media_free(c->media);
    c->media = NULL;
    /* The microphone is closed on the audio-control thread, after a start still running. */
    if (c->audio_state == AUDIO_OPENING || c->audio_state == AUDIO_STARTED) {
        (void)call_audioctl_request(c->e->audioctl, CALL_AUDIO_STOP, c->dev, 0);
        if (c->free_dev)
            (void)call_audioctl_request(c->e->audioctl, CALL_AUDIO_FREE, c->dev, 0);
    }
    free(c);
}

static void summary(struct call *c, char *buf, size_t len)
{
    char media[300] = "";
    if (c->media)
        call_media_summary(c->media, media, sizeof(media));
    uint64_t first = c->media ? call_media_first_tx_ms(c->media) : 0;
    snprintf(buf, len, "first RTP %lld ms; %s", first ? (long long)(first - c->t0) : -1LL, media);
}

/* End of the whole call: BYE/CANCEL sent and the microphone closed, then the UI is told. */
static void call_finish(struct call *c, enum call_state st, enum call_failure f, int status,
                        const char *reason)
{
    struct call_engine *e = c->e;
    struct call_event ev = {
        .state = st,
        .failure = f,
        .sip_status = status,
        .secondary = c->attempt > 0,
    };
    uint64_t t0 = c->t0;

    if (st == CALL_STATE_ENDED && !reason)
        summary(c, ev.reason, sizeof(ev.reason));
    else
        snprintf(ev.reason, sizeof(ev.reason), "%s", reason ? reason : "");
    e->call = NULL;
    atomic_store(&e->connected, false);
    atomic_store(&e->in_call, false);
    call_free(c);
    ev.ms = call_now_ms() - t0;
    e->handler(&ev, e->arg);
}

static void attempt_failed(struct call *c, enum call_failure f, int status, const char *reason);

/* ICMP port unreachable on UDP. libre's SIP socket is not connected, so the kernel reports
 * nothing to it and a closed port costs the whole connect_timeout. A connected UDP socket of
 * our own sends an RFC 5626 keep-alive (CRLF CRLF, which every SIP server ignores) to the same
 * address beside the INVITE: the kernel answers its recv() with ECONNREFUSED when the port is
 * closed. Only for a hotline given by IP address (a name is resolved inside libre). */
static void probe_stop(struct call *c)
{
    if (c->probe_fd < 0)
        return;
    fd_close(c->probe_fd);
    close(c->probe_fd);
    c->probe_fd = -1;
}

static void probe_h(int flags, void *arg)
{
    struct call *c = arg;
    char buf[64];
    (void)flags;
    ssize_t n = recv(c->probe_fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n >= 0 || errno == EAGAIN || errno == EINTR)
        return; /* a reply to a keep-alive, or nothing */
    int err = errno;
    probe_stop(c);
    if (err != ECONNREFUSED || c->got_reply)
        return;
    char why[160];
    snprintf(why, sizeof(why), "nothing listens at %.80s (ICMP port unreachable)", c->probe_to);
    attempt_failed(c, CALL_FAIL_UNREACHABLE, 0, why);
}

static void probe_start(struct call *c, const struct target *t)
{
    struct sa dst;
    c->probe_fd = -1;
    if (t->tp != SIP_TRANSP_UDP || sa_set_str(&dst, t->host, t->port ? t->port : SIP_PORT))
        return;
    int fd = socket(sa_af(&dst), SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return;
    static const char keepalive[] = "\r\n\r\n";
    if (connect(fd, &dst.u.sa, dst.len) || send(fd, keepalive, 4, 0) != 4 ||
        fd_listen(fd, FD_READ, probe_h, c)) {
        close(fd);
        return;
    }
    c->probe_fd = fd;
    re_snprintf(c->probe_to, sizeof(c->probe_to), "%J", &dst);
}

static void tmr_connect_h(void *arg)
{
    struct call *c = arg;
    if (c->got_reply)
        return;
    char why[160];
    struct target t;
    target_parse(c->e->cfg, c->uris[c->attempt], &t);
    snprintf(why, sizeof(why), "no reply from %.80s within %llu ms", t.host,
             (unsigned long long)c->e->cfg->hotline.connect_timeout_ms);
    attempt_failed(c, CALL_FAIL_UNREACHABLE, 0, why);
}

static void tmr_noanswer_h(void *arg)
{
    struct call *c = arg;
    char why[96];
    snprintf(why, sizeof(why), "no answer within %llu s",
             (unsigned long long)c->e->cfg->hotline.no_answer_timeout_ms / 1000);
    attempt_failed(c, CALL_FAIL_NO_ANSWER, 0, why);
}

static void tmr_media_h(void *arg)
{
    struct call *c = arg;
    uint64_t last = call_media_last_rx(c->media);
    uint64_t now = audio_now_ns();
    uint64_t since = last ? last : c->established_ns;
    uint64_t limit = c->e->cfg->hotline.media_timeout_ms * 1000000u;
    if (now - since > limit) {
        char why[96];
        snprintf(why, sizeof(why), "no media from the hotline for %llu ms",
                 (unsigned long long)((now - since) / 1000000u));
        call_finish(c, CALL_STATE_FAILED, CALL_FAIL_LOST, 0, why);
        return;
    }
    tmr_start(&c->tmr_media, 500, tmr_media_h, c);
}

/* Failover: every failure of the primary before the call connected moves on to the secondary
 * (busy and no answer included: another line may have someone free); the last attempt's
 * failure is the call's. */
static void attempt_failed(struct call *c, enum call_failure f, int status, const char *reason)
{
    probe_stop(c);
    if (c->attempt + 1 < c->n_uris) {
        /* An event, not a log line: a visitor's call must leave no trace in the journal. */
        snprintf(c->failover, sizeof(c->failover), "%s", reason);
        tmr_cancel(&c->tmr_connect);
        tmr_cancel(&c->tmr_noanswer);
        session_end(c);
        call_media_free(c->media);
        c->media = NULL;
        c->attempt++;
        call_attempt(c);
        return;
    }
    call_finish(c, CALL_STATE_FAILED, f, status, reason);
}

static int offer_h(struct mbuf **descp, const struct sip_msg *msg, void *arg)
{
    struct call *c = arg;
    return call_media_reoffer(c->media, msg->mb, descp);
}

static int answer_h(const struct sip_msg *msg, void *arg)
{
    struct call *c = arg;
    char why[128];
    if (c->early_media)
        return 0; /* the same SDP already arrived with 183 */
    int rc = call_media_answer(c->media, msg->mb, why, sizeof(why));
    if (rc) {
        /* libre then ends the dialog (ACK, BYE) and calls close_h with this error: the reason
         * is the answer's, not the transport's. */
        snprintf(c->close_reason, sizeof(c->close_reason), "%s", why);
        c->answer_failure = rc == EKEYREJECTED ? CALL_FAIL_MEDIA : CALL_FAIL_REJECTED;
    }
    return rc;
}

static bool has_sdp(const struct sip_msg *msg)
{
    return mbuf_get_left(msg->mb) && msg_ctype_cmp(&msg->ctyp, "application", "sdp");
}

static void progr_h(const struct sip_msg *msg, void *arg)
{
    struct call *c = arg;
    char why[128];

    c->got_reply = true;
    probe_stop(c);
    if (msg->scode <= 100)
        return;
    if (has_sdp(msg) && !c->early_media) {
        if (!call_media_answer(c->media, msg->mb, why, sizeof(why)))
            c->early_media = true;
    }
    call_media_set_ringback(c->media, !c->early_media);
    if (c->state != CALL_STATE_RINGING)
        emit(c, CALL_STATE_RINGING, CALL_FAIL_NONE, msg->scode,
             c->early_media ? "early media" : "");
}

static void estab_h(const struct sip_msg *msg, void *arg)
{
    struct call *c = arg;
    c->got_reply = true;
    probe_stop(c);
    tmr_cancel(&c->tmr_connect);
    tmr_cancel(&c->tmr_noanswer);
    call_media_set_ringback(c->media, false);
    call_media_set_sending(c->media, true);
    c->established_ns = audio_now_ns();
    tmr_start(&c->tmr_media, 500, tmr_media_h, c);
    atomic_store(&c->e->connected, true);
    emit(c, CALL_STATE_CONNECTED, CALL_FAIL_NONE, msg->scode, "");
}

/* Runs from a 0 ms timer after libre's close handler returned. */
static void closed_h(void *arg)
{
    struct call *c = arg;
    if (c->close_normal)
        call_finish(c, CALL_STATE_ENDED, CALL_FAIL_NONE, c->close_status, NULL);
    else if (c->state == CALL_STATE_CONNECTED)
        call_finish(c, CALL_STATE_FAILED, CALL_FAIL_LOST, c->close_status, c->close_reason);
    else
        attempt_failed(c, c->close_failure, c->close_status, c->close_reason);
}

static void close_h(int err, const struct sip_msg *msg, void *arg)
{
    struct call *c = arg;
    struct call_engine *e = c->e;
    char detail[128] = "";

    c->close_status = msg ? msg->scode : 0;
    c->close_normal = false;
    if (msg)
        c->got_reply = true; /* the INVITE's transaction is over: nothing to abandon */
    if (c->state == CALL_STATE_CONNECTED) {
        /* The hotline hung up (BYE), or the dialog broke. */
        /* libre reports a BYE from the hotline as ECONNRESET: a normal end. */
        c->close_normal = !err || err == ECONNRESET;
        if (!c->close_normal)
            snprintf(c->close_reason, sizeof(c->close_reason), "call lost: %s", strerror(err));
    } else if (c->answer_failure) {
        c->close_failure = c->answer_failure; /* close_reason: answer_h's */
    } else if (msg && msg->scode >= 300) {
        uint16_t s = msg->scode;
        c->close_failure = s == 486 || s == 600   ? CALL_FAIL_BUSY
                           : s == 408 || s == 480 ? CALL_FAIL_NO_ANSWER
                                                  : CALL_FAIL_REJECTED;
        if (!c->close_reason[0])
            snprintf(c->close_reason, sizeof(c->close_reason), "hotline answered %u %.*s", s,
                     (int)msg->reason.l, msg->reason.p);
    } else if (e->tv.error[0]) {
        c->close_failure = CALL_FAIL_TLS;
        snprintf(c->close_reason, sizeof(c->close_reason), "TLS: %.150s", e->tv.error);
    } else if (err) {
        struct target t;
        target_parse(e->cfg, c->uris[c->attempt], &t);
        c->close_failure = t.tp == SIP_TRANSP_TLS && err != ECONNREFUSED && err != ETIMEDOUT
                               ? CALL_FAIL_TLS
                               : CALL_FAIL_UNREACHABLE;
        snprintf(detail, sizeof(detail), "%s", strerror(err));
        snprintf(c->close_reason, sizeof(c->close_reason), "%s%.60s: %s",
                 c->close_failure == CALL_FAIL_TLS ? "TLS connection to " : "cannot reach ", t.host,
                 detail);
    } else {
        c->close_failure = CALL_FAIL_REJECTED;
        if (!c->close_reason[0])
            snprintf(c->close_reason, sizeof(c->close_reason), "call setup failed");
    }
    tmr_start(&c->tmr_closed, 0, closed_h, c);
}

static void call_attempt(struct call *c)
{
    struct call_engine *e = c->e;
    const struct config *cfg = e->cfg;
    struct target t;
    struct mbuf *desc = NULL;
    char why[160];
    int rc;

    c->state = CALL_STATE_IDLE;
    c->got_reply = false;
    c->early_media = false;
    c->close_reason[0] = '\0';
    c->answer_failure = CALL_FAIL_NONE;
    if (target_parse(cfg, c->uris[c->attempt], &t)) {
        attempt_failed(c, CALL_FAIL_REJECTED, 0, "the hotline address is not a SIP URI");
        return;
    }
    bool secure = media_secure(cfg, t.tp);
    if (t.tp == SIP_TRANSP_TLS && !secure && !cfg->hotline.allow_plain_rtp) {
        attempt_failed(c, CALL_FAIL_REJECTED, 0,
                       "TLS signalling with plain RTP is refused (set srtp or allow_plain_rtp)");
        return;
    }
    if (t.tp == SIP_TRANSP_TLS) {
        if (!e->tls) {
            attempt_failed(c, CALL_FAIL_TLS, 0, e->tls_problem);
            return;
        }
        call_tls_expect(e->tls, &e->tv, t.host);
    }
    e->tv.error[0] = '\0';
    struct call_media_opts mo = {
        .cfg = cfg,
        .audio = c->audio_state == AUDIO_STARTED ? c->dev : NULL,
        .laddr = &e->laddr,
        .secure = secure,
        .volume = c->volume,
    };
    rc = call_media_alloc(&c->media, &mo);
    if (rc) {
        snprintf(why, sizeof(why), "cannot open RTP ports: %s", strerror(rc));
        attempt_failed(c, CALL_FAIL_REJECTED, 0, why);
        return;
    }
    rc = call_media_offer(c->media, &desc);
    if (!rc) {
        const char *routev[1];
        uint32_t routec = target_routes(&t, routev);
        rc = sipsess_connect(&c->sess, e->sock, t.request_uri, NULL, e->from_uri, e->cuser,
                             routec ? routev : NULL, routec, "application/sdp", desc, auth_h, e,
                             false, offer_h, answer_h, progr_h, estab_h, NULL, NULL, close_h, c,
                             "Accept-Language: %s\r\nAllow: INVITE, ACK, BYE, CANCEL\r\n", c->lang);
    }
    mem_deref(desc);
    if (rc) {
        snprintf(why, sizeof(why), "cannot send the call to %.80s: %s", t.host, strerror(rc));
        attempt_failed(c, CALL_FAIL_UNREACHABLE, 0, why);
        return;
    }
    tmr_start(&c->tmr_connect, cfg->hotline.connect_timeout_ms, tmr_connect_h, c);
    tmr_start(&c->tmr_noanswer, cfg->hotline.no_answer_timeout_ms, tmr_noanswer_h, c);
    probe_start(c, &t);
    char note[sizeof(c->failover) + 40];
    snprintf(note, sizeof(note), "secondary hotline (the primary: %s)", c->failover);
    emit(c, CALL_STATE_CONNECTING, CALL_FAIL_NONE, 0, c->attempt ? note : (secure ? "SRTP" : ""));
}

static void tmr_audio_h(void *arg);
static void audio_open(struct call *c);
static void speech_drop(struct call_engine *e);

static void do_dial(struct call_engine *e, struct dial_req *r)
{
    const struct config *cfg = e->cfg;
    struct call *c;
    char err[256];

    if (e->call)
        return; /* a call is in progress (the UI never asks twice) */
    /* Speech gives the device up to the call: its stop is queued before the call's start on
     * the audio-control thread, which closes the output stream in a few milliseconds. */
    speech_drop(e);
    speech_close(e);
    c = calloc(1, sizeof(*c));
    if (!c) {
        atomic_store(&e->in_call, false);
        return;
    }
    c->e = e;
    c->probe_fd = -1;
    c->t0 = call_now_ms();
    c->volume = cfg->audio.volume;
    snprintf(c->lang, sizeof(c->lang), "%s", r->lang[0] ? r->lang : "en");
    e->call = c;
    if (r->uri[0]) {
        snprintf(c->uris[c->n_uris++], CONFIG_URI_LEN, "%s", r->uri);
    } else {
        const char *primary = cfg->hotline.uri;
        for (unsigned i = 0; i < cfg->hotline.n_lang_uris; i++) {
            if (!strcmp(cfg->hotline.lang_uris[i].lang, c->lang))
                primary = cfg->hotline.lang_uris[i].uri;
        }
        if (primary[0])
            snprintf(c->uris[c->n_uris++], CONFIG_URI_LEN, "%s", primary);
        if (cfg->hotline.secondary_uri[0] && strcmp(cfg->hotline.secondary_uri, primary))
            snprintf(c->uris[c->n_uris++], CONFIG_URI_LEN, "%s", cfg->hotline.secondary_uri);
    }
    if (!c->n_uris) {
        call_finish(c, CALL_STATE_FAILED, CALL_FAIL_UNREACHABLE, 0,
                    "no hotline configured ([hotline] uri)");
        return;
    }
    if (!e->audio && !e->probing) {
        snprintf(err, sizeof(err), "no usable audio device: %.200s", e->audio_problem);
        call_finish(c, CALL_STATE_FAILED, CALL_FAIL_AUDIO, 0, err);
        return;
    }
    /* INVITE first: opening the device (tens of ms under JACK) overlaps with the network, and
     * runs on the audio-control thread (audio_started() hands it to the media path). */
    call_attempt(c);
    if (e->call != c)
        return; /* finished already */
    tmr_start(&c->tmr_audio, AUDIO_OPEN_MS, tmr_audio_h, c);
    if (e->audio)
        audio_open(c);
    else
        c->audio_state = AUDIO_WAIT_PROBE; /* the first probe is still running */
}

/* The device did not open in time (a hung sound server): the call cannot be heard. */
static void tmr_audio_h(void *arg)
{
    struct call *c = arg;
    struct call_engine *e = c->e;
    char why[160];
    snprintf(why, sizeof(why), "the audio device did not open within %u s", AUDIO_OPEN_MS / 1000);
    /* Unavailable before the UI hears of the failure: it offers no "Try again". */
    atomic_store(&e->audio_ok, false);
    struct audio_dev *dev = c->audio_state == AUDIO_OPENING ? c->dev : NULL;
    if (dev)
        c->free_dev = true;
    if (e->audio == dev)
        e->audio = NULL;
    call_finish(c, CALL_STATE_FAILED, CALL_FAIL_AUDIO, 0, why);
    snprintf(e->audio_problem, sizeof(e->audio_problem), "%s", why);
    log_warn("audio: %s; calls are unavailable on this kiosk until a device answers", why);
    emit_availability(e);
    tmr_start(&e->audio_tmr, AUDIO_RETRY_MS, audio_tmr_h, e);
}

static void audio_open(struct call *c)
{
    struct call_engine *e = c->e;
    c->dev = e->audio;
    c->audio_seq = ++e->audio_seq;
    if (call_audioctl_request(e->audioctl, CALL_AUDIO_START, c->dev, c->audio_seq)) {
        call_finish(c, CALL_STATE_FAILED, CALL_FAIL_AUDIO, 0,
                    "the audio device is busy closing an earlier call");
        return;
    }
    c->audio_state = AUDIO_OPENING;
}

/* Results of the audio-control thread. */
static void audio_probed(struct call_engine *e, const struct call_audio_done *d)
{
    struct call *c = e->call;
    bool first = !e->probed_once;

    e->probing = false;
    if (d->rc) {
        /* Said once at start, then only when the reason changes: no log line every 10 s. */
        if (first || strcmp(d->why, e->audio_problem))
            log_warn("audio: %s; calls are unavailable on this kiosk until a device answers "
                     "(tried every %u s)",
                     d->why, AUDIO_RETRY_MS / 1000);
        snprintf(e->audio_problem, sizeof(e->audio_problem), "%s", d->why);
        tmr_start(&e->audio_tmr, AUDIO_RETRY_MS, audio_tmr_h, e);
        if (c && c->audio_state == AUDIO_WAIT_PROBE) {
            char why[300];
            snprintf(why, sizeof(why), "no usable audio device: %.200s", d->why);
            call_finish(c, CALL_STATE_FAILED, CALL_FAIL_AUDIO, 0, why);
        }
        if (!first)
            emit_availability(e);
        first_probe_done(e);
        return;
    }
    e->audio = d->dev;
    e->audio_problem[0] = '\0';
    atomic_store(&e->audio_ok, true);
    /* After audio_ok: call_engine_start() returns on this, and speech_play() may follow at once */
    first_probe_done(e);
    if (!first)
        log_info("audio: %s: calls are available again", audio_dev_name(e->audio));
    emit_availability(e);
    if (c && c->audio_state == AUDIO_WAIT_PROBE)
        audio_open(c);
}

static void audio_started(struct call_engine *e, const struct call_audio_done *d)
{
    struct call *c = e->call;
    bool mine = c && c->audio_state == AUDIO_OPENING && c->audio_seq == d->seq;

    if (d->rc) {
        char why[300];
        snprintf(why, sizeof(why), "audio device: %.200s", d->why);
        /* Unavailable before the UI hears of the failure: it offers no "Try again". */
        atomic_store(&e->audio_ok, false);
        if (mine) {
            c->audio_state = AUDIO_NONE; /* nothing to close */
            call_finish(c, CALL_STATE_FAILED, CALL_FAIL_AUDIO, 0, why);
        }
        audio_lost(e, d->dev, why); /* after the call and its media are gone */
        return;
    }
    if (!mine)
        return; /* that call ended meanwhile: its stop is queued behind this start */
    c->audio_state = AUDIO_STARTED;
    tmr_cancel(&c->tmr_audio);
    if (c->media && call_media_attach_audio(c->media, c->dev))
        call_finish(c, CALL_STATE_FAILED, CALL_FAIL_AUDIO, 0, "out of memory");
}

static void speech_started(struct call_engine *e, const struct call_audio_done *d);

static void audio_done(struct call_engine *e)
{
    struct call_audio_done d;
    while (call_audioctl_take(e->audioctl, &d)) {
        if (d.op == CALL_AUDIO_PROBE)
            audio_probed(e, &d);
        else if (d.op == CALL_AUDIO_START_PLAYBACK)
            speech_started(e, &d);
        else
            audio_started(e, &d);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Speech outside calls, and phrases spoken into a call */

static void speech_clip_free(struct speech_clip *k)
{
    free(k);
}

/* speech_now: the tag of the first clip the ring still holds, else the one waiting to go in.
 * Not while a speech_stop() is on its way here (the caller set 0 already), nor 0 while a
 * speech_play() is (the caller set its tag). */
static void speech_publish(struct call_engine *e)
{
    struct speech *sp = &e->sp;
    if (atomic_load(&e->speech_stops) != sp->stops_done)
        return;
    if (sp->dev_state == SPEECH_OPEN) {
        size_t played = audio_dev_playback_pos(sp->audio);
        unsigned k = 0;
        while (k < sp->n_marks && (ptrdiff_t)(sp->marks[k].end - played) <= 0)
            k++;
        memmove(sp->marks, sp->marks + k, (sp->n_marks - k) * sizeof(sp->marks[0]));
        sp->n_marks -= k;
    }
    uint32_t tag = sp->n_marks ? sp->marks[0].tag : sp->head ? sp->head->tag : 0;
    if (!tag && atomic_load(&e->speech_pending))
        return;
    atomic_store(&e->speech_now, tag);
}

/* Forget every queued clip (the ring is the caller's business). */
static void speech_drop(struct call_engine *e)
{
    struct speech *sp = &e->sp;
    while (sp->head) {
        struct speech_clip *k = sp->head;
        sp->head = k->next;
        speech_clip_free(k);
    }
    sp->tail = NULL;
    audio_resampler_free(sp->rs);
    sp->rs = NULL;
}

/* The device's speech use ends: its stop queued on the audio-control thread (after a start
 * still running). What is queued stays for the next open. */
static void speech_close(struct call_engine *e)
{
    struct speech *sp = &e->sp;
    if (sp->dev_state == SPEECH_CLOSED)
        return;
    if (sp->dev_state == SPEECH_OPEN)
        fd_close(audio_dev_wake_fd(sp->audio));
    (void)call_audioctl_request(e->audioctl, CALL_AUDIO_STOP, sp->audio, 0);
    sp->dev_state = SPEECH_CLOSED;
    sp->audio = NULL;
    sp->n_marks = 0;
    tmr_cancel(&sp->idle_tmr);
    tmr_cancel(&sp->tick_tmr);
    speech_publish(e);
}

static void speech_idle_h(void *arg)
{
    struct call_engine *e = arg;
    if (!e->sp.head && !e->sp.n_marks)
        speech_close(e);
}

/* The next piece of the head clip at the device's rate, with speech's volume: *out_n samples
 * into out. false when the clip is done (or cannot be converted). */
static bool speech_convert(struct call_engine *e, struct speech_clip *k, int16_t *out,
                           size_t *out_n)
{
    struct speech *sp = &e->sp;
    unsigned rate = audio_dev_rate(sp->audio);
    if (k->pos == k->n)
        return false;
    if (k->rate != rate && !sp->rs &&
        audio_resampler_alloc(&sp->rs, k->rate, rate, AUDIO_RESAMPLE_FILE))
        return false;
    size_t in_n = k->n - k->pos;
    if (sp->rs) {
        audio_resampler_run(sp->rs, k->pcm + k->pos, &in_n, out, out_n);
    } else {
        in_n = *out_n = in_n < *out_n ? in_n : *out_n;
        memcpy(out, k->pcm + k->pos, in_n * sizeof(*out));
    }
    k->pos += in_n;
    if (!in_n && !*out_n)
        return false; /* nothing moves: never spin */
    int32_t gain = (int32_t)(32767.0 * (e->volume / 100.0) * (e->volume / 100.0));
    for (size_t i = 0; i < *out_n; i++)
        out[i] = (int16_t)((out[i] * gain) >> 15);
    return true;
}

/* Keep SPEECH_QUEUE_MS in the device's ring, clip after clip; each piece marked with its tag. */
static void speech_feed(struct call_engine *e)
{
    struct speech *sp = &e->sp;
    int16_t out[960];
    size_t target = (size_t)audio_dev_rate(sp->audio) * SPEECH_QUEUE_MS / 1000;

    while (sp->head) {
        size_t fill = audio_dev_playback_fill(sp->audio);
        struct speech_clip *k = sp->head;
        bool new_mark = !sp->n_marks || sp->marks[sp->n_marks - 1].tag != k->tag;
        if (fill >= target || (new_mark && sp->n_marks == SPEECH_MARKS))
            break;
        size_t out_n = target - fill < ARRAY_SIZE(out) ? target - fill : ARRAY_SIZE(out);
        if (!speech_convert(e, k, out, &out_n)) {
            sp->head = k->next;
            if (!sp->head)
                sp->tail = NULL;
            speech_clip_free(k);
            audio_resampler_free(sp->rs);
            sp->rs = NULL;
            continue;
        }
        size_t w = audio_dev_playback_write(sp->audio, out, out_n);
        sp->written += w;
        if (new_mark)
            sp->marks[sp->n_marks++].tag = k->tag;
        sp->marks[sp->n_marks - 1].end = sp->written;
    }
    speech_publish(e);
    if (sp->head || sp->n_marks)
        tmr_cancel(&sp->idle_tmr);
    else if (!tmr_isrunning(&sp->idle_tmr))
        tmr_start(&sp->idle_tmr, SPEECH_IDLE_MS, speech_idle_h, e);
}

static void speech_wake_h(int flags, void *arg)
{
    struct call_engine *e = arg;
    uint64_t n;
    (void)flags;
    if (read(audio_dev_wake_fd(e->sp.audio), &n, sizeof(n)) < 0 && errno != EAGAIN)
        return;
    speech_feed(e);
}

static void speech_tick_h(void *arg)
{
    struct call_engine *e = arg;
    tmr_start(&e->sp.tick_tmr, SPEECH_TICK_MS, speech_tick_h, e);
    speech_feed(e);
}

/* Speech came: open the device for playback (once), or feed it. */
static void speech_open(struct call_engine *e)
{
    struct speech *sp = &e->sp;
    if (sp->dev_state == SPEECH_OPEN) {
        speech_feed(e);
        return;
    }
    if (sp->dev_state == SPEECH_OPENING)
        return;
    if (!e->audio ||
        call_audioctl_request(e->audioctl, CALL_AUDIO_START_PLAYBACK, e->audio, ++e->audio_seq)) {
        speech_drop(e); /* no device now: nothing to play it on */
        speech_publish(e);
        return;
    }
    sp->audio = e->audio;
    sp->seq = e->audio_seq;
    sp->dev_state = SPEECH_OPENING;
}

static void speech_started(struct call_engine *e, const struct call_audio_done *d)
{
    struct speech *sp = &e->sp;
    bool mine = sp->dev_state == SPEECH_OPENING && sp->seq == d->seq;

    if (d->rc) {
        char why[300];
        snprintf(why, sizeof(why), "audio device: %.200s", d->why);
        if (mine) {
            sp->dev_state = SPEECH_CLOSED; /* nothing to close */
            sp->audio = NULL;
            speech_drop(e);
            speech_publish(e);
        }
        atomic_store(&e->audio_ok, false);
        audio_lost(e, d->dev, why);
        return;
    }
    if (!mine)
        return; /* given up meanwhile (a dial): its stop is queued behind this start */
    sp->dev_state = SPEECH_OPEN;
    sp->written = 0;
    sp->n_marks = 0;
    if (fd_listen(audio_dev_wake_fd(sp->audio), FD_READ, speech_wake_h, e)) {
        speech_close(e);
        speech_drop(e);
        speech_publish(e);
        return;
    }
    tmr_start(&sp->tick_tmr, SPEECH_TICK_MS, speech_tick_h, e);
    speech_feed(e);
}

static void do_speech(struct call_engine *e, struct speech_clip *k)
{
    struct speech *sp = &e->sp;
    atomic_fetch_sub(&e->speech_pending, 1);
    if (e->call) {
        speech_clip_free(k); /* a call was dialled after it was queued */
        speech_publish(e);
        return;
    }
    k->next = NULL;
    if (sp->tail)
        sp->tail->next = k;
    else
        sp->head = k;
    sp->tail = k;
    tmr_cancel(&sp->idle_tmr);
    speech_open(e);
}

static void do_speech_stop(struct call_engine *e, unsigned stops)
{
    struct speech *sp = &e->sp;
    speech_drop(e);
    if (sp->dev_state == SPEECH_OPEN) {
        audio_dev_playback_drop(sp->audio);
        sp->n_marks = 0;
        speech_feed(e); /* starts the idle timer */
    }
    sp->stops_done = stops;
    speech_publish(e);
}

/* Nothing about a phrase is logged: it is what a visitor chose to say. */
static void do_say(struct call_engine *e, struct speech_clip *k)
{
    struct call *c = e->call;
    if (c && c->state == CALL_STATE_CONNECTED && c->media)
        (void)call_media_say(c->media, k->pcm, k->n, k->rate);
    speech_clip_free(k);
}

/* ---------------------------------------------------------------------------------------- */
/* Self-test: OPTIONS to the hotline, or the registration's outcome */

static void ping_answer(struct call_engine *e, bool ok, const char *why)
{
    struct ping_wait *p = e->ping;
    if (!p)
        return;
    e->ping = NULL;
    tmr_cancel(&e->ping_tmr);
    e->ping_options = mem_deref(e->ping_options);
    e->ping_dlg = mem_deref(e->ping_dlg);
    pthread_mutex_lock(&p->mx);
    p->ok = ok;
    snprintf(p->why, sizeof(p->why), "%s", why);
    p->done = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mx);
}

static void ping_resp_h(int err, const struct sip_msg *msg, void *arg)
{
    struct call_engine *e = arg;
    char why[256];
    if (msg && msg->scode < 200)
        return;
    e->ping_options = NULL; /* libre releases it after this handler */
    if (err) {
        snprintf(why, sizeof(why), "%s", e->tv.error[0] ? e->tv.error : strerror(err));
        ping_answer(e, false, why);
        return;
    }
    snprintf(why, sizeof(why), "OPTIONS answered %u %.*s in %llu ms", msg->scode,
             (int)msg->reason.l, msg->reason.p, (unsigned long long)(call_now_ms() - e->ping_t0));
    ping_answer(e, true, why);
}

static void ping_tmr_h(void *arg)
{
    struct call_engine *e = arg;
    char why[160];
    snprintf(why, sizeof(why), "%.150s",
             e->tv.error[0] ? e->tv.error : "no reply within the connect timeout");
    ping_answer(e, false, why);
}

static void do_ping(struct call_engine *e, struct ping_wait *p)
{
    const struct config *cfg = e->cfg;
    struct target t;
    int rc;

    e->ping = p;
    tmr_start(&e->ping_tmr, cfg->hotline.connect_timeout_ms, ping_tmr_h, e);
    if (e->reg) {
        pthread_mutex_lock(&e->mx);
        enum call_reg_state st = e->reg_state;
        char why[160];
        snprintf(why, sizeof(why), "%s", e->reg_reason);
        pthread_mutex_unlock(&e->mx);
        if (st == CALL_REG_OK || st == CALL_REG_FAILED)
            ping_answer(e, st == CALL_REG_OK, why);
        return; /* else reg_resp_h answers */
    }
    if (target_parse(cfg, cfg->hotline.uri, &t)) {
        ping_answer(e, false, "[hotline] uri is not a SIP URI");
        return;
    }
    if (t.tp == SIP_TRANSP_TLS) {
        if (!e->tls) {
            ping_answer(e, false, e->tls_problem);
            return;
        }
        call_tls_expect(e->tls, &e->tv, t.host);
    }
    e->ping_t0 = call_now_ms();
    const char *routev[1];
    uint32_t routec = target_routes(&t, routev);
    rc = sip_dialog_alloc(&e->ping_dlg, t.request_uri, t.request_uri, NULL, e->from_uri,
                          routec ? routev : NULL, routec);
    if (!rc)
        rc = sip_drequestf(&e->ping_options, e->sip, true, "OPTIONS", e->ping_dlg, 0, NULL, NULL,
                           ping_resp_h, e, "Accept: application/sdp\r\nContent-Length: 0\r\n\r\n");
    if (rc)
        ping_answer(e, false, strerror(rc));
}

/* ---------------------------------------------------------------------------------------- */
/* The thread */

/* Incoming calls are refused: the kiosk must never become a listening device. */
static void incoming_h(const struct sip_msg *msg, void *arg)
{
    struct call_engine *e = arg;
    log_warn("call: refused an incoming call (this kiosk only calls out)");
    (void)sip_treply(NULL, e->sip, msg, 403, "Forbidden");
}

static void stop_tmr_h(void *arg)
{
    re_cancel();
}

static void mq_h(int id, void *data, void *arg)
{
    struct call_engine *e = arg;
    struct call *c = e->call;

    switch ((enum cmd)id) {
    case CMD_DIAL:
        do_dial(e, data);
        free(data);
        break;
    case CMD_HANGUP:
        if (c)
            call_finish(c, CALL_STATE_ENDED, CALL_FAIL_NONE, 0, NULL);
        break;
    case CMD_DTMF:
        if (c && c->media && c->state == CALL_STATE_CONNECTED)
            call_media_dtmf(c->media, (char)(intptr_t)data);
        break;
    case CMD_VOLUME:
        e->volume = (unsigned)(intptr_t)data;
        if (c) {
            c->volume = (unsigned)(intptr_t)data;
            if (c->media)
                call_media_volume(c->media, c->volume);
        }
        break;
    case CMD_PING:
        do_ping(e, data);
        break;
    case CMD_AUDIO:
        audio_done(e);
        break;
    case CMD_SPEECH:
        do_speech(e, data);
        break;
    case CMD_SPEECH_STOP:
        do_speech_stop(e, (unsigned)(uintptr_t)data);
        break;
    case CMD_SAY:
        do_say(e, data);
        break;
    case CMD_STOP:
        if (c)
            call_finish(c, CALL_STATE_ENDED, CALL_FAIL_NONE, 0, NULL);
        speech_drop(e);
        speech_close(e);
        if (e->ping)
            ping_answer(e, false, "stopped");
        if (e->reg) {
            /* Unregister, and give the request a moment to leave. */
            e->reg = mem_deref(e->reg);
            tmr_start(&e->stop_tmr, STOP_GRACE_MS, stop_tmr_h, e);
        } else {
            re_cancel();
        }
        break;
    }
}

/* Every SIP message sent: abandon.c keeps the last INVITE, in case it is given up on. */
static void trace_h(bool tx, enum sip_transp tp, const struct sa *src, const struct sa *dst,
                    const uint8_t *pkt, size_t len, void *arg)
{
    struct call_engine *e = arg;
    (void)src;
    if (tx)
        call_abandon_sent(e->abandon, tp, dst, pkt, len);
}

/* Audio: prepared now on the audio-control thread (calls unavailable until it works); the
 * microphone opens per call. */
static int setup_audio(struct call_engine *e, char *err, size_t errlen)
{
    int rc = call_audioctl_alloc(&e->audioctl, e->cfg, e->mq, CMD_AUDIO);
    if (rc) {
        snprintf(err, errlen, "cannot start the audio-control thread: %s", strerror(rc));
        return rc;
    }
    audio_probe(e);
    return 0;
}

/* DNS, the SIP stack and its UDP and TCP transports on [hotline] local_port. */
static int setup_sip(struct call_engine *e, char *err, size_t errlen)
{
    struct sa nsv[8], laddr;
    uint32_t nsn = ARRAY_SIZE(nsv);
    char domain[64] = "";
    int rc;

    if (dns_srv_get(domain, sizeof(domain), nsv, &nsn))
        nsn = 0;
    rc = dnsc_alloc(&e->dnsc, NULL, nsv, nsn);
    if (rc) {
        snprintf(err, errlen, "cannot create the DNS client: %s", strerror(rc));
        return rc;
    }
    rc = sip_alloc(&e->sip, e->dnsc, 32, 32, 32, "OpenLine", NULL, e);
    if (rc) {
        snprintf(err, errlen, "cannot create the SIP stack: %s", strerror(rc));
        return rc;
    }
    sip_set_trace_handler(e->sip, trace_h);
    laddr = e->laddr;
    sa_set_port(&laddr, (uint16_t)e->cfg->hotline.local_port);
    rc = sip_transp_add(e->sip, SIP_TRANSP_UDP, &laddr);
    rc = rc ? rc : sip_transp_add(e->sip, SIP_TRANSP_TCP, &laddr);
    if (rc)
        re_snprintf(err, errlen, "cannot listen for SIP on %J: %s", &laddr, strerror(rc));
    return rc;
}

/* Some configured address uses SIP over TLS. */
static bool needs_tls(const struct config *cfg)
{
    const char *uris[] = {cfg->hotline.uri, cfg->hotline.secondary_uri, cfg->hotline.registrar};
    struct target t;
    bool need = false;
    for (size_t i = 0; i < ARRAY_SIZE(uris); i++)
        need |= uris[i][0] && !target_parse(cfg, uris[i], &t) && t.tp == SIP_TRANSP_TLS;
    for (unsigned i = 0; i < cfg->hotline.n_lang_uris; i++)
        need |= !target_parse(cfg, cfg->hotline.lang_uris[i].uri, &t) && t.tp == SIP_TRANSP_TLS;
    return need;
}

/* TLS only when a configured address uses it: the CA store costs about a megabyte and
 * OpenSSL's certificate code a few more. Without it a TLS address cannot come up later:
 * every address the kiosk dials is in the configuration (`openline call URI` puts its URI
 * there too). Its transport listens on the port after local_port. */
static int setup_tls(struct call_engine *e, char *err, size_t errlen)
{
    const struct config *cfg = e->cfg;
    bool need_tls = needs_tls(cfg);
    struct sa laddr = e->laddr;
    int rc;

    snprintf(e->tls_problem, sizeof(e->tls_problem), "no configured address uses TLS");
    rc = need_tls ? call_tls_alloc(&e->tls, cfg->hotline.ca_file, &e->tv, e->tls_problem,
                                   sizeof(e->tls_problem))
                  : ENOENT;
    if (!rc) {
        sa_set_port(&laddr, (uint16_t)(cfg->hotline.local_port ? cfg->hotline.local_port + 1 : 0));
        rc = sip_transp_add(e->sip, SIP_TRANSP_TLS, &laddr, e->tls);
        if (rc)
            snprintf(e->tls_problem, sizeof(e->tls_problem), "cannot add SIP over TLS: %s",
                     strerror(rc));
    }
    if (!rc)
        return 0;
    e->tls = mem_deref(e->tls);
    if (!need_tls)
        return 0;
    snprintf(err, errlen, "%s", e->tls_problem);
    return rc;
}

/* Late replies to abandoned INVITEs: before the sessions' listener, which takes every 2xx to an
 * INVITE (and only ACKs it). Then our From address. */
static int setup_sessions(struct call_engine *e, char *err, size_t errlen)
{
    int rc = call_abandon_alloc(&e->abandon, e->sip);
    rc = rc ? rc : sipsess_listen(&e->sock, e->sip, 16, incoming_h, e);
    if (rc) {
        snprintf(err, errlen, "cannot listen for SIP sessions: %s", strerror(rc));
        return rc;
    }
    re_snprintf(e->from_uri, sizeof(e->from_uri), "sip:openline@%j", &e->laddr);
    if (sa_af(&e->laddr) == AF_INET6)
        re_snprintf(e->from_uri, sizeof(e->from_uri), "sip:openline@[%j]", &e->laddr);
    return 0;
}

/* Say once what is not encrypted (the kiosk still calls: a deployment chose this). */
static void warn_unencrypted(const struct config *cfg)
{
    const char *uris[] = {cfg->hotline.uri, cfg->hotline.secondary_uri};
    struct target t;
    for (size_t i = 0; i < ARRAY_SIZE(uris); i++) {
        if (!uris[i][0] || target_parse(cfg, uris[i], &t))
            continue;
        if (t.tp != SIP_TRANSP_TLS)
            log_warn("hotline %s: SIP over plain %s: signalling is not encrypted (use sips: or "
                     "transport = tls)",
                     uris[i], t.tp == SIP_TRANSP_TCP ? "TCP" : "UDP");
        if (!media_secure(cfg, t.tp))
            log_warn("hotline %s: media is plain RTP, not encrypted (srtp = mandatory encrypts "
                     "it)",
                     uris[i]);
    }
}

static int setup_registration(struct call_engine *e, char *err, size_t errlen)
{
    if (!e->cfg->hotline.do_register) {
        set_reg(e, CALL_REG_OFF, "registration not configured");
        return 0;
    }
    int rc = start_registration(e);
    if (rc)
        snprintf(err, errlen, "cannot start the registration: %s", strerror(rc));
    return rc;
}

/* Everything the call thread needs before it answers its queue, in order. */
static int setup(struct call_engine *e, char *err, size_t errlen)
{
    int rc = mqueue_alloc(&e->mq, mq_h, e);
    if (rc) {
        snprintf(err, errlen, "cannot create the call queue: %s", strerror(rc));
        return rc;
    }
    rand_str(e->cuser, sizeof(e->cuser));
    pick_laddr(e->cfg, &e->laddr);
    rc = setup_audio(e, err, errlen);
    rc = rc ? rc : setup_sip(e, err, errlen);
    rc = rc ? rc : setup_tls(e, err, errlen);
    rc = rc ? rc : setup_sessions(e, err, errlen);
    if (rc)
        return rc;
    warn_unencrypted(e->cfg);
    return setup_registration(e, err, errlen);
}

static void teardown(struct call_engine *e)
{
    if (e->call)
        call_free(e->call);
    e->call = NULL;
    speech_drop(e);
    speech_close(e);
    tmr_cancel(&e->stop_tmr);
    tmr_cancel(&e->ping_tmr);
    tmr_cancel(&e->audio_tmr);
    e->ping_options = mem_deref(e->ping_options);
    e->ping_dlg = mem_deref(e->ping_dlg);
    e->reg = mem_deref(e->reg);
    e->abandon = mem_deref(e->abandon);
    e->sock = mem_deref(e->sock);
    if (e->sip)
        sip_close(e->sip, true);
    e->sip = mem_deref(e->sip);
    e->tls = mem_deref(e->tls);
    e->dnsc = mem_deref(e->dnsc);
    if (e->audio && e->audioctl)
        (void)call_audioctl_request(e->audioctl, CALL_AUDIO_FREE, e->audio, 0);
    e->audio = NULL;
    /* Before the queue it reports to. A sound server that hangs is left behind: the kiosk
     * still quits (and restarts). */
    if (!call_audioctl_close(e->audioctl, AUDIO_CLOSE_WAIT_MS))
        log_warn("audio: the audio device did not close within %u s (the sound server does "
                 "not answer); left behind",
                 AUDIO_CLOSE_WAIT_MS / 1000);
    e->audioctl = NULL;
    e->mq = mem_deref(e->mq);
}

/* Real-time where permitted, below the audio device's thread: under load a call thread that
 * waits for a core refills the playback ring late, and the device plays silence (underruns).
 * After setup(), just before libre's loop: loading certificates and the like is not urgent,
 * and on a slow CPU it could run into RLIMIT_RTTIME (a real-time thread that long without
 * blocking ends the process). Threads it starts later come back to normal priority
 * (SCHED_RESET_ON_FORK). */
static void call_thread_boost(void)
{
    char why[320];
    pthread_setname_np(pthread_self(), "openline-call");
    audio_rt_report(audio_rt_boost("the call thread", AUDIO_RT_PRIO_CALL, why, sizeof(why)), why);
}

static void *engine_thread(void *arg)
{
    struct call_engine *e = arg;
    char err[256] = "";
    int rc = re_thread_init();

    if (rc) {
        snprintf(err, sizeof(err), "cannot start libre in the call thread: %s", strerror(rc));
    } else {
        tmr_init(&e->stop_tmr);
        tmr_init(&e->ping_tmr);
        tmr_init(&e->audio_tmr);
        tmr_init(&e->sp.idle_tmr);
        tmr_init(&e->sp.tick_tmr);
        rc = setup(e, err, sizeof(err));
    }
    pthread_mutex_lock(&e->mx);
    e->start_rc = rc;
    snprintf(e->start_err, sizeof(e->start_err), "%s", err);
    e->ready = true;
    pthread_cond_signal(&e->cv);
    pthread_mutex_unlock(&e->mx);
    if (!rc) {
        call_thread_boost();
        re_main(NULL);
    }
    teardown(e);
    re_thread_close();
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Public API */

static pthread_once_t libre_once = PTHREAD_ONCE_INIT;
static int libre_rc;

/* libre's own warnings ("tls: connect: error ..." in red ANSI on stderr) go through the
 * kiosk's logger at debug level instead: they come while a visitor calls (a journal line would
 * say when), and the call's event already carries the reason. */
static void libre_dbg_h(int level, const char *p, size_t len, void *arg)
{
    (void)level;
    (void)arg;
    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
        len--;
    log_debug("libre: %.*s", (int)len, p);
}

static void libre_start(void)
{
    libre_rc = libre_init();
    dbg_init(DBG_WARNING, DBG_NONE);
    dbg_handler_set(libre_dbg_h, NULL);
}

int call_engine_start(struct call_engine **ep, const struct config *cfg, call_event_h *handler,
                      void *arg, char *err, size_t errlen)
{
    struct call_engine *e;
    int rc;

    /* PortAudio's JACK backend would otherwise try to start a JACK server of its own. */
    setenv("JACK_NO_START_SERVER", "1", 0);
    pthread_once(&libre_once, libre_start);
    if (libre_rc) {
        snprintf(err, errlen, "libre: %s", strerror(libre_rc));
        return libre_rc;
    }
    e = calloc(1, sizeof(*e));
    if (!e) {
        snprintf(err, errlen, "out of memory");
        return ENOMEM;
    }
    e->cfg = cfg;
    e->handler = handler;
    e->arg = arg;
    atomic_init(&e->audio_ok, false);
    atomic_init(&e->speech_now, 0);
    atomic_init(&e->speech_pending, 0);
    atomic_init(&e->speech_stops, 0);
    atomic_init(&e->in_call, false);
    atomic_init(&e->connected, false);
    e->volume = cfg->audio.volume;
    pthread_mutex_init(&e->mx, NULL);
    pthread_cond_init(&e->cv, NULL);
    rc = pthread_create(&e->thread, NULL, engine_thread, e);
    if (rc) {
        snprintf(err, errlen, "cannot start the call thread: %s", strerror(rc));
        goto out;
    }
    pthread_mutex_lock(&e->mx);
    while (!e->ready)
        pthread_cond_wait(&e->cv, &e->mx);
    rc = e->start_rc;
    /* Whether calls are possible is known at once when the device answers (it takes a few ms
     * or tens of ms); a sound server that hangs delays the start by AUDIO_START_WAIT_MS at most
     * (calls become available when it answers). */
    if (!rc) {
        struct timespec ts;
        util_deadline(&ts, CLOCK_REALTIME, AUDIO_START_WAIT_MS);
        while (!e->first_probe_done && pthread_cond_timedwait(&e->cv, &e->mx, &ts) == 0)
            ;
    }
    pthread_mutex_unlock(&e->mx);
    if (rc) {
        snprintf(err, errlen, "%s", e->start_err);
        pthread_join(e->thread, NULL);
        goto out;
    }
    *ep = e;
    e = NULL;
out:
    if (e) {
        pthread_mutex_destroy(&e->mx);
        pthread_cond_destroy(&e->cv);
        free(e);
    }
    return rc;
}

void call_engine_stop(struct call_engine *e)
{
    if (!e)
        return;
    mqueue_push(e->mq, CMD_STOP, NULL);
    pthread_join(e->thread, NULL);
    pthread_mutex_destroy(&e->mx);
    pthread_cond_destroy(&e->cv);
    free(e);
}

int call_engine_dial(struct call_engine *e, const char *lang, const char *uri)
{
    struct dial_req *r = calloc(1, sizeof(*r));
    if (!r)
        return ENOMEM;
    if ((lang && util_strlcpy(r->lang, lang, sizeof(r->lang))) ||
        (uri && util_strlcpy(r->uri, uri, sizeof(r->uri)))) {
        free(r);
        return ENAMETOOLONG;
    }
    /* From now speech_play() refuses: the kiosk stops speech before dialling, and the call
     * thread gives the device up to the call (do_dial). */
    atomic_store(&e->in_call, true);
    int rc = mqueue_push(e->mq, CMD_DIAL, r);
    if (rc) {
        free(r);
        atomic_store(&e->in_call, false);
    }
    return rc;
}

int call_engine_hangup(struct call_engine *e)
{
    return mqueue_push(e->mq, CMD_HANGUP, NULL);
}

int call_engine_dtmf(struct call_engine *e, char digit)
{
    if (!strchr("0123456789*#", digit) || !digit)
        return EINVAL;
    return mqueue_push(e->mq, CMD_DTMF, (void *)(intptr_t)digit);
}

int call_engine_volume(struct call_engine *e, int percent)
{
    if (percent < 0 || percent > 100)
        return EINVAL;
    return mqueue_push(e->mq, CMD_VOLUME, (void *)(intptr_t)percent);
}

/* A copy of pcm for the call thread, which frees it. */
static struct speech_clip *clip_copy(uint32_t tag, const int16_t *pcm, size_t n, unsigned rate)
{
    if (n > (SIZE_MAX - sizeof(struct speech_clip)) / sizeof(int16_t))
        return NULL;
    struct speech_clip *k = malloc(sizeof(*k) + n * sizeof(int16_t));
    if (!k)
        return NULL;
    *k = (struct speech_clip){.tag = tag, .rate = rate, .n = n};
    if (n)
        memcpy(k->pcm, pcm, n * sizeof(int16_t));
    return k;
}

int call_engine_speech_play(struct call_engine *e, uint32_t tag, const int16_t *pcm, size_t n,
                            unsigned rate)
{
    if (!tag || (!pcm && n) || !rate || rate > SPEECH_RATE_MAX)
        return EINVAL;
    if (atomic_load(&e->in_call))
        return EBUSY;
    if (!atomic_load(&e->audio_ok))
        return ENODEV;
    struct speech_clip *k = clip_copy(tag, pcm, n, rate);
    if (!k)
        return ENOMEM;
    atomic_fetch_add(&e->speech_pending, 1);
    uint32_t none = 0;
    atomic_compare_exchange_strong(&e->speech_now, &none, tag);
    int rc = mqueue_push(e->mq, CMD_SPEECH, k);
    if (rc) {
        atomic_fetch_sub(&e->speech_pending, 1);
        free(k);
    }
    return rc;
}

int call_engine_speech_stop(struct call_engine *e)
{
    unsigned stops = atomic_fetch_add(&e->speech_stops, 1) + 1;
    atomic_store(&e->speech_now, 0);
    return mqueue_push(e->mq, CMD_SPEECH_STOP, (void *)(uintptr_t)stops);
}

uint32_t call_engine_speech_now(const struct call_engine *e)
{
    return atomic_load(&((struct call_engine *)e)->speech_now);
}

int call_engine_say(struct call_engine *e, const int16_t *pcm, size_t n, unsigned rate)
{
    if ((!pcm && n) || !rate || rate > SPEECH_RATE_MAX)
        return EINVAL;
    if (!atomic_load(&e->connected))
        return ENOTCONN;
    struct speech_clip *k = clip_copy(0, pcm, n, rate);
    if (!k)
        return ENOMEM;
    int rc = mqueue_push(e->mq, CMD_SAY, k);
    if (rc)
        free(k);
    return rc;
}

bool call_engine_audio_ok(const struct call_engine *e)
{
    return atomic_load(&((struct call_engine *)e)->audio_ok);
}

enum call_reg_state call_engine_registration(struct call_engine *e, char *why, size_t len)
{
    pthread_mutex_lock(&e->mx);
    enum call_reg_state st = e->reg_state;
    if (why && len)
        snprintf(why, len, "%s", e->reg_reason);
    pthread_mutex_unlock(&e->mx);
    return st;
}

static void check_event(const struct call_event *ev, void *arg)
{
}

bool call_check_hotline(const struct config *cfg, char *why, size_t len)
{
    struct call_engine *e = NULL;
    struct ping_wait p = {.done = false};
    char err[256];
    bool ok = false;

    if (!cfg->hotline.uri[0]) {
        snprintf(why, len, "no [hotline] uri configured: the kiosk shows the number instead");
        return false;
    }
    if (call_engine_start(&e, cfg, check_event, NULL, err, sizeof(err))) {
        snprintf(why, len, "%s", err);
        return false;
    }
    pthread_mutex_init(&p.mx, NULL);
    pthread_cond_init(&p.cv, NULL);
    if (mqueue_push(e->mq, CMD_PING, &p)) {
        snprintf(why, len, "cannot reach the call thread");
        goto out;
    }
    pthread_mutex_lock(&p.mx);
    while (!p.done)
        pthread_cond_wait(&p.cv, &p.mx);
    pthread_mutex_unlock(&p.mx);
    ok = p.ok;
    snprintf(why, len, "%s", p.why);
out:
    call_engine_stop(e);
    pthread_mutex_destroy(&p.mx);
    pthread_cond_destroy(&p.cv);
    return ok;
}
