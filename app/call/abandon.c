/* INVITEs the kiosk gave up on: no more of them goes out, and a late reply gets only the
 * CANCEL, ACK or BYE the protocol requires, at once.
 *
 * Why by hand: libre 1.1 can end one client transaction only by ending all of them
 * (sip_close(sip, true)); a session dereferenced before any reply keeps retransmitting its
 * INVITE over UDP for up to 32 s (timer B) and, when a hotline answers late, ACKs and BYEs a
 * call nobody is on. The engine ends the transactions (call_abandon_invite) and this file then
 * answers what still arrives for that INVITE, for 64*T1 (RFC 3261 17.1.1.2):
 *   1xx      CANCEL, with the INVITE's Via, Route, From, To, Call-ID (RFC 3261 9.1)
 *   3xx-6xx  ACK in the INVITE's transaction (17.1.1.3)
 *   2xx      ACK and BYE in the dialog the 2xx created (13.2.2.4, 15)
 * Every message goes to the INVITE's own next hop (the address it was sent to).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <re.h>

#include "openline/log.h"

#include "abandon.h"

enum { ABANDON_MS = 64 * SIP_T1 }; /* timer B: how long a reply to an INVITE may come */

struct call_abandon {
    struct sip *sip;
    struct sip_lsnr *lsnr;
    struct list invites; /* struct abandoned */
    /* the last INVITE sent (call_abandon_sent): the one given up on is among them */
    struct mbuf *last;
    enum sip_transp last_tp;
    struct sa last_dst;
    struct call_abandon_stats stats;
};

struct abandoned {
    struct le le;
    struct call_abandon *a;
    struct mbuf *mb;     /* the INVITE as sent */
    struct sip_msg *inv; /* decoded from mb */
    enum sip_transp tp;
    struct sa dst;
    struct tmr tmr;
    bool byed; /* the 2xx was answered with ACK and BYE (its retransmissions: ACK) */
    struct sip_request *bye;
};

static void abandoned_destructor(void *arg)
{
    struct abandoned *ab = arg;
    tmr_cancel(&ab->tmr);
    list_unlink(&ab->le);
    mem_deref(ab->bye);
    mem_deref(ab->inv);
    mem_deref(ab->mb);
}

static void expire_h(void *arg)
{
    mem_deref(arg);
}

static bool route_h(const struct sip_hdr *hdr, const struct sip_msg *msg, void *arg)
{
    (void)msg;
    return 0 != mbuf_printf(arg, "Route: %r\r\n", &hdr->val);
}

/* A request in the INVITE's transaction: CANCEL, or ACK of a final non-2xx response (its To
 * carries the response's tag). Sent as the INVITE was: same Via (branch), Route and next hop. */
static int send_in_transaction(struct abandoned *ab, const char *met, const struct pl *to)
{
    const struct sip_msg *inv = ab->inv;
    struct mbuf *mb = mbuf_alloc(512);
    int err;

    if (!mb)
        return ENOMEM;
    err = mbuf_printf(mb, "%s %r SIP/2.0\r\nVia: %r\r\n", met, &inv->ruri, &inv->via.val);
    err |= sip_msg_hdr_apply(inv, true, SIP_HDR_ROUTE, route_h, mb) ? ENOMEM : 0;
    err |= mbuf_printf(mb,
                       "Max-Forwards: 70\r\nTo: %r\r\nFrom: %r\r\nCall-ID: %r\r\n"
                       "CSeq: %u %s\r\nContent-Length: 0\r\n\r\n",
                       to, &inv->from.val, &inv->callid, inv->cseq.num, met);
    if (!err) {
        mb->pos = 0;
        err = sip_send(ab->a->sip, NULL, ab->tp, &ab->dst, mb);
    }
    mem_deref(mb);
    return err;
}

static void bye_resp_h(int err, const struct sip_msg *msg, void *arg)
{
    struct abandoned *ab = arg;
    (void)err;
    (void)msg;
    ab->bye = NULL; /* libre frees the request after this handler */
}

/* A request in the dialog a late 2xx created: ACK (stateless) or BYE (with retransmissions).
 * Request-URI: the 2xx's Contact. Route: its Record-Route in reverse (it lists the proxies
 * nearest the callee first; RFC 3261 12.1.2). Next hop: the INVITE's. */
static int send_in_dialog(struct abandoned *ab, const struct sip_msg *ok, const char *met)
{
    const struct sip_msg *inv = ab->inv;
    const struct sip_hdr *contact = sip_msg_hdr(ok, SIP_HDR_CONTACT);
    struct sip_addr addr;
    struct mbuf *hdrs = NULL;
    struct uri route;
    struct pl pl;
    char *next = NULL;
    bool bye = !strcmp(met, "BYE");
    int err;

    if (!contact || sip_addr_decode(&addr, &contact->val))
        return EBADMSG;
    err = re_sdprintf(&next, "sip:%J;transport=%s", &ab->dst, sip_transp_param(ab->tp));
    if (err)
        return err;
    pl_set_str(&pl, next);
    err = uri_decode(&route, &pl);
    hdrs = err ? NULL : mbuf_alloc(512);
    if (!err && !hdrs)
        err = ENOMEM;
    if (!err) {
        err = sip_msg_hdr_apply(ok, false, SIP_HDR_RECORD_ROUTE, route_h, hdrs) ? ENOMEM : 0;
        err |= mbuf_printf(hdrs,
                           "Max-Forwards: 70\r\nTo: %r\r\nFrom: %r\r\nCall-ID: %r\r\n"
                           "CSeq: %u %s\r\nContent-Length: 0\r\n\r\n",
                           &ok->to.val, &inv->from.val, &inv->callid,
                           inv->cseq.num + (bye ? 1u : 0u), met);
        hdrs->pos = 0;
    }
    if (!err)
        err = sip_request(bye ? &ab->bye : NULL, ab->a->sip, bye, met, -1, addr.auri.p,
                          (int)addr.auri.l, &route, hdrs, 0, NULL, bye ? bye_resp_h : NULL, ab);
    mem_deref(hdrs);
    mem_deref(next);
    return err;
}

/* Replies no transaction took: those to an abandoned INVITE are claimed. */
static bool response_h(const struct sip_msg *msg, void *arg)
{
    struct call_abandon *a = arg;
    struct abandoned *ab = NULL;
    int err = 0;

    for (struct le *le = a->invites.head; le && !ab; le = le->next) {
        struct abandoned *x = le->data;
        if (!pl_cmp(&x->inv->callid, &msg->callid))
            ab = x;
    }
    if (!ab)
        return false;
    if (pl_strcmp(&msg->cseq.met, "INVITE") || msg->cseq.num != ab->inv->cseq.num ||
        msg->scode <= 100)
        return true; /* 100 Trying, or the reply to our CANCEL or BYE: nothing to send */
    if (msg->scode < 200) {
        err = send_in_transaction(ab, "CANCEL", &ab->inv->to.val);
        a->stats.cancels += !err;
    } else if (msg->scode < 300) {
        /* ACK every 2xx (its retransmissions too); BYE once */
        err = send_in_dialog(ab, msg, "ACK");
        if (!err && !ab->byed) {
            err = send_in_dialog(ab, msg, "BYE");
            ab->byed = !err;
            a->stats.byes += !err;
        }
    } else {
        err = send_in_transaction(ab, "ACK", &msg->to.val);
        a->stats.acks += !err;
    }
    if (err)
        log_debug("call: a late %u for a call already given up: cannot answer it: %s", msg->scode,
                  strerror(err));
    return true;
}

static void destructor(void *arg)
{
    struct call_abandon *a = arg;
    list_flush(&a->invites);
    mem_deref(a->lsnr);
    mem_deref(a->last);
}

int call_abandon_alloc(struct call_abandon **ap, struct sip *sip)
{
    struct call_abandon *a = mem_zalloc(sizeof(*a), destructor);
    if (!a)
        return ENOMEM;
    a->sip = sip;
    /* After the transactions' listener (sip_alloc's): only replies no transaction took. Before
     * the sessions' (sipsess_listen), which takes every 2xx to an INVITE. Only the Call-IDs
     * of abandoned INVITEs are claimed. */
    int err = sip_listen(&a->lsnr, sip, false, response_h, a);
    if (err) {
        mem_deref(a);
        return err;
    }
    *ap = a;
    return 0;
}

void call_abandon_sent(struct call_abandon *a, enum sip_transp tp, const struct sa *dst,
                       const uint8_t *pkt, size_t len)
{
    if (!a || len < 7 || memcmp(pkt, "INVITE ", 7))
        return;
    if (!a->last)
        a->last = mbuf_alloc(len);
    if (!a->last)
        return;
    mbuf_rewind(a->last);
    if (mbuf_write_mem(a->last, pkt, len))
        return;
    a->last_tp = tp;
    a->last_dst = *dst;
}

int call_abandon_invite(struct call_abandon *a, const char *callid)
{
    struct abandoned *ab;
    struct sip_msg *inv = NULL;
    int err;

    if (!a || !a->last || !callid)
        return EINVAL;
    a->last->pos = 0;
    err = sip_msg_decode(&inv, a->last);
    if (err)
        return err;
    if (pl_strcmp(&inv->callid, callid)) {
        mem_deref(inv);
        return ENOENT; /* the INVITE never left (no transport, no address) */
    }
    ab = mem_zalloc(sizeof(*ab), abandoned_destructor);
    if (!ab) {
        mem_deref(inv);
        return ENOMEM;
    }
    ab->a = a;
    ab->inv = inv;
    ab->mb = a->last; /* inv points into it */
    a->last = NULL;
    ab->tp = a->last_tp;
    ab->dst = a->last_dst;
    tmr_init(&ab->tmr);
    tmr_start(&ab->tmr, ABANDON_MS, expire_h, ab);
    list_append(&a->invites, &ab->le, ab);
    a->stats.abandoned++;
    return 0;
}

void call_abandon_get_stats(const struct call_abandon *a, struct call_abandon_stats *st)
{
    *st = a ? a->stats : (struct call_abandon_stats){0};
}
