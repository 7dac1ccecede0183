/* Limits on staff sign-in (POST /login), in memory, per process: how many password checks run at
 * once, and a growing back-off per client address and per submitted name, the same whether or
 * not the name exists. Addresses and names are kept only as keyed hashes, never logged. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_SIGNIN_H
#define STATS_SIGNIN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/* Password checks (yescrypt: about 50 ms of one core and 16 MiB each) that may run at once. More
 * sign-ins meanwhile are refused at once (SIGNIN_BUSY), so a flood of them costs neither the
 * memory nor the handler threads that kiosks need. */
#define SIGNIN_CHECKS_MAX 2

/* The growing back-off, the same for an address and for a name: failures 1 and 2 in a row cost
 * nothing; the third makes the next attempt wait SIGNIN_FIRST_WAIT_MS, and each failure after it
 * doubles the wait, up to SIGNIN_MAX_WAIT_MS. A success ends it (and forgets the name's failures);
 * an address or name SIGNIN_FORGET_MS without an attempt, its wait over, is forgotten. */
#define SIGNIN_FREE_FAILS    2
#define SIGNIN_FIRST_WAIT_MS 1000
#define SIGNIN_MAX_WAIT_MS   (5 * 60 * 1000)
#define SIGNIN_FORGET_MS     (60 * 60 * 1000)

/* Attempts per address, successful or not: bursts of SIGNIN_ADDR_BURST, then one more every
 * SIGNIN_ADDR_REFILL_MS. */
#define SIGNIN_ADDR_BURST     10
#define SIGNIN_ADDR_REFILL_MS 6000

/* Addresses and names remembered at once, each (a fixed table: memory is bounded whatever comes;
 * when full, the entry with the fewest failures is dropped first). */
#define SIGNIN_ENTRIES 4096

enum signin_verdict {
    SIGNIN_GO,   /* run the password check, then call signin_end */
    SIGNIN_WAIT, /* the address or name is in its back-off (or out of attempts): 429 */
    SIGNIN_BUSY, /* SIGNIN_CHECKS_MAX checks are running: 503 */
};

enum signin_result {
    SIGNIN_OK,          /* the name and password matched */
    SIGNIN_WRONG,       /* no such name, or the wrong password: the same to this module */
    SIGNIN_NOT_CHECKED, /* nothing was decided (the database failed): only frees the check */
};

/* One attempt between signin_begin and signin_end: the keyed hashes, nothing else. */
struct signin_attempt {
    uint64_t addr, name;
    bool has_addr;
};

struct signin;

/* The guard of this process, used by web.c; created zeroed with the per-address limit on, and
 * never freed (fixed-size: 2 × SIGNIN_ENTRIES entries). token_init must have run. */
struct signin *signin_process(void);

/* A guard of one's own (tests): allows checks_max password checks at once. Sets *gp; returns 0 or
 * ENOMEM. Free with signin_free. token_init must have run. */
int signin_alloc(struct signin **gp, unsigned checks_max);
void signin_free(struct signin *g);

/* Whether to limit per client address (default on). Off behind a proxy or load balancer, where
 * every connection comes from its address: one attacker would otherwise hold every staff
 * member's sign-in in the proxy's back-off. With it off, only the name's back-off applies, to
 * everyone. Any thread. */
void signin_per_address(struct signin *g, bool on);

/* Before a password check for the typed name from client address addr (NULL, or not IPv4/IPv6:
 * no per-address limit, and the name's back-off applies). An IPv6 address counts by its /64.
 * Refuses with SIGNIN_WAIT when the address is in its back-off or out of attempts, or when the
 * name is in its back-off and the address has failed within SIGNIN_FORGET_MS (an address
 * without failures may try a name in back-off: an attacker elsewhere cannot keep its staff member
 * out); SIGNIN_BUSY when SIGNIN_CHECKS_MAX checks are running. *retry_s: seconds to wait (>= 1).
 * On SIGNIN_GO fills *a; then signin_end must follow. now_ms: clock_now_ms(). Any
 * thread; never blocks for long. */
enum signin_verdict signin_begin(struct signin *g, const struct sockaddr *addr, const char *name,
                                 int64_t now_ms, struct signin_attempt *a, unsigned *retry_s);

/* After the check that signin_begin allowed: frees it, and counts a failure against the address
 * and the name (SIGNIN_WRONG) or ends their back-off (SIGNIN_OK). Any thread. */
void signin_end(struct signin *g, const struct signin_attempt *a, enum signin_result r,
                int64_t now_ms);

/* Kinds of refused sign-ins, for signin_log. */
enum signin_refusal {
    SIGNIN_LOG_WRONG, /* 401 */
    SIGNIN_LOG_WAIT,  /* 429 */
    SIGNIN_LOG_BUSY,  /* 503 */
    SIGNIN_LOG_COUNT
};

/* Log a refused sign-in: its status and a fixed phrase, never a name or address; at most one
 * line per kind every 10 s, counting the ones not logged, so a flood does not flood the log. */
void signin_log(struct signin *g, enum signin_refusal kind, int64_t now_ms);

#endif
