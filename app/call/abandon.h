/* INVITEs given up on (abandon.c): nothing more of them goes out but what a late reply
 * requires. Call thread only.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_CALL_ABANDON_H
#define OPENLINE_CALL_ABANDON_H

#include <re.h>

struct call_abandon;
struct call_abandon_stats {
    unsigned abandoned; /* INVITEs given up on before any reply */
    unsigned cancels;   /* CANCELs sent for a late provisional reply */
    unsigned acks;      /* ACKs sent for a late final non-2xx reply */
    unsigned byes;      /* ACK and BYE sent for a late 2xx */
};

/* Answers late replies to the INVITEs handed to call_abandon_invite() on sip. */
int call_abandon_alloc(struct call_abandon **ap, struct sip *sip);
/* From the SIP trace handler: every message sent (it keeps the last INVITE). */
void call_abandon_sent(struct call_abandon *a, enum sip_transp tp, const struct sa *dst,
                       const uint8_t *pkt, size_t len);
/* The INVITE of this Call-ID is given up on; the caller then ends its transaction. */
int call_abandon_invite(struct call_abandon *a, const char *callid);
void call_abandon_get_stats(const struct call_abandon *a, struct call_abandon_stats *st);

#endif
