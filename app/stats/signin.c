/* Sign-in limits: a counter of running password checks and two fixed tables of back-off records
 * (client addresses, typed names) keyed by SipHash-2-4 with keys drawn when the guard is made. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "signin.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "openline/log.h"

/* The tables are set-associative: a key's record is one of SIGNIN_WAYS in the set its hash
 * picks. Lookups touch one set; a full set drops its least useful record. */
#define SIGNIN_WAYS 8
#define SIGNIN_SETS (SIGNIN_ENTRIES / SIGNIN_WAYS)
/* Idle records are wiped from a whole table at most this often (and from a set when it is used). */
#define SIGNIN_SWEEP_MS (60 * 1000)
/* One log line per kind of refusal at most this often. */
#define SIGNIN_LOG_MS (10 * 1000)

/* What one address or name has done lately. */
struct signin_entry {
    uint64_t key;          /* keyed hash of the address or name; 0: free */
    int64_t seen_ms;       /* the last attempt or failure (tokens are as of then) */
    int64_t wait_until_ms; /* no attempt before this */
    double tokens;         /* attempts left (addresses only) */
    unsigned fails;        /* failures since the last success */
};

struct signin_table {
    bool bucket; /* attempts are also limited by tokens (the address table) */
    struct signin_entry set[SIGNIN_SETS][SIGNIN_WAYS];
};

struct signin {
    pthread_mutex_t lock;
    unsigned checks_max;
    unsigned checks; /* running now; guarded by lock */
    bool per_address_off;
    unsigned char addr_key[crypto_shorthash_KEYBYTES];
    unsigned char name_key[crypto_shorthash_KEYBYTES];
    int64_t swept_ms; /* last whole-table sweep */
    int64_t logged_ms[SIGNIN_LOG_COUNT];
    unsigned unlogged[SIGNIN_LOG_COUNT];
    struct signin_table addrs, names;
};

static struct signin signin_proc = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .checks_max = SIGNIN_CHECKS_MAX,
    .addrs.bucket = true,
};
static pthread_once_t signin_proc_once = PTHREAD_ONCE_INIT;

static void signin_keys(struct signin *g)
{
    randombytes_buf(g->addr_key, sizeof(g->addr_key));
    randombytes_buf(g->name_key, sizeof(g->name_key));
}

static void signin_proc_init(void)
{
    signin_keys(&signin_proc);
}

struct signin *signin_process(void)
{
    pthread_once(&signin_proc_once, signin_proc_init);
    return &signin_proc;
}

int signin_alloc(struct signin **gp, unsigned checks_max)
{
    struct signin *g = calloc(1, sizeof(*g));
    if (!g)
        return ENOMEM;
    pthread_mutex_init(&g->lock, NULL);
    g->checks_max = checks_max;
    g->addrs.bucket = true;
    signin_keys(g);
    *gp = g;
    return 0;
}

void signin_free(struct signin *g)
{
    if (!g || g == &signin_proc)
        return;
    pthread_mutex_destroy(&g->lock);
    sodium_memzero(g, sizeof(*g));
    free(g);
}

void signin_per_address(struct signin *g, bool on)
{
    pthread_mutex_lock(&g->lock);
    g->per_address_off = !on;
    pthread_mutex_unlock(&g->lock);
}

static uint64_t signin_hash(const unsigned char *key, const void *data, size_t len)
{
    unsigned char out[crypto_shorthash_BYTES];
    uint64_t h;
    crypto_shorthash(out, data, len, key);
    memcpy(&h, out, sizeof(h));
    return h ? h : 1; /* 0 marks a free record */
}

/* The keyed hash of the part of addr that names a client: an IPv4 address, or an IPv6 address's
 * /64 (one host usually has a whole /64). The address is copied only onto the stack, and wiped. */
static bool signin_addr_key(const struct signin *g, const struct sockaddr *addr, uint64_t *keyp)
{
    unsigned char raw[9];
    size_t len;

    if (!addr)
        return false;
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        raw[0] = 4;
        memcpy(raw + 1, &in->sin_addr, 4);
        len = 5;
    } else if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            raw[0] = 4;
            memcpy(raw + 1, in6->sin6_addr.s6_addr + 12, 4);
            len = 5;
        } else {
            raw[0] = 6;
            memcpy(raw + 1, in6->sin6_addr.s6_addr, 8);
            len = 9;
        }
    } else {
        return false;
    }
    *keyp = signin_hash(g->addr_key, raw, len);
    sodium_memzero(raw, sizeof(raw));
    return true;
}

/* The wait a record's failures call for, in milliseconds. */
static int64_t signin_backoff_ms(unsigned fails)
{
    if (fails <= SIGNIN_FREE_FAILS)
        return 0;
    unsigned doublings = fails - SIGNIN_FREE_FAILS - 1;
    if (doublings >= 20)
        return SIGNIN_MAX_WAIT_MS;
    int64_t ms = (int64_t)SIGNIN_FIRST_WAIT_MS << doublings;
    return ms < SIGNIN_MAX_WAIT_MS ? ms : SIGNIN_MAX_WAIT_MS;
}

/* Bring a record's tokens up to now. */
static void signin_refill(const struct signin_table *t, struct signin_entry *e, int64_t now_ms)
{
    if (t->bucket && now_ms > e->seen_ms) {
        e->tokens += (double)(now_ms - e->seen_ms) / SIGNIN_ADDR_REFILL_MS;
        if (e->tokens > SIGNIN_ADDR_BURST)
            e->tokens = SIGNIN_ADDR_BURST;
    }
    if (now_ms > e->seen_ms)
        e->seen_ms = now_ms;
}

/* Whether a record says nothing any more: its wait is over and either it has no failures and a
 * full bucket, or it has been left alone for SIGNIN_FORGET_MS. */
static bool signin_idle(const struct signin_table *t, const struct signin_entry *e, int64_t now_ms)
{
    if (now_ms < e->wait_until_ms)
        return false;
    if (e->fails)
        return now_ms - e->seen_ms >= SIGNIN_FORGET_MS;
    if (!t->bucket)
        return true;
    return e->tokens + (double)(now_ms - e->seen_ms) / SIGNIN_ADDR_REFILL_MS >= SIGNIN_ADDR_BURST;
}

/* The record of key, or NULL. With create, a new record (full bucket, no failures) when there is
 * none, in a free way of its set or in place of the one with the fewest failures, oldest first:
 * records of many one-off keys (a flood of names or addresses) push each other out, not the
 * record of a name or address that keeps failing. Idle records of the set are wiped on the way. */
static struct signin_entry *signin_find(struct signin_table *t, uint64_t key, int64_t now_ms,
                                        bool create)
{
    struct signin_entry *set = t->set[key % SIGNIN_SETS], *victim = NULL;

    for (size_t i = 0; i < SIGNIN_WAYS; i++) {
        struct signin_entry *e = &set[i];
        if (e->key && signin_idle(t, e, now_ms))
            memset(e, 0, sizeof(*e));
        if (e->key == key)
            return e;
    }
    if (!create)
        return NULL;
    for (size_t i = 0; i < SIGNIN_WAYS; i++) {
        struct signin_entry *e = &set[i];
        if (!e->key) {
            victim = e;
            break;
        }
        if (!victim || e->fails < victim->fails ||
            (e->fails == victim->fails && e->seen_ms < victim->seen_ms))
            victim = e;
    }
    *victim = (struct signin_entry){
        .key = key, .seen_ms = now_ms, .tokens = t->bucket ? SIGNIN_ADDR_BURST : 0};
    return victim;
}

static void signin_sweep(struct signin_table *t, int64_t now_ms)
{
    for (size_t s = 0; s < SIGNIN_SETS; s++) {
        for (size_t i = 0; i < SIGNIN_WAYS; i++) {
            struct signin_entry *e = &t->set[s][i];
            if (e->key && signin_idle(t, e, now_ms))
                memset(e, 0, sizeof(*e));
        }
    }
}

static void signin_fail(struct signin_entry *e, int64_t now_ms)
{
    if (e->fails < UINT16_MAX)
        e->fails++;
    e->seen_ms = now_ms;
    int64_t wait_ms = signin_backoff_ms(e->fails);
    e->wait_until_ms = wait_ms ? now_ms + wait_ms : 0;
}

enum signin_verdict signin_begin(struct signin *g, const struct sockaddr *addr, const char *name,
                                 int64_t now_ms, struct signin_attempt *a, unsigned *retry_s)
{
    struct signin_attempt at = {0};
    enum signin_verdict v = SIGNIN_GO;
    int64_t wait_ms = 0;

    at.name = signin_hash(g->name_key, name, strlen(name));
    pthread_mutex_lock(&g->lock);
    at.has_addr = !g->per_address_off && signin_addr_key(g, addr, &at.addr);
    if (now_ms - g->swept_ms >= SIGNIN_SWEEP_MS) {
        signin_sweep(&g->addrs, now_ms);
        signin_sweep(&g->names, now_ms);
        g->swept_ms = now_ms;
    }

    struct signin_entry *ae = at.has_addr ? signin_find(&g->addrs, at.addr, now_ms, false) : NULL;
    if (ae) {
        signin_refill(&g->addrs, ae, now_ms);
        if (ae->wait_until_ms - now_ms > wait_ms)
            wait_ms = ae->wait_until_ms - now_ms;
        if (ae->tokens < 1.0) {
            int64_t refill_ms = (int64_t)((1.0 - ae->tokens) * SIGNIN_ADDR_REFILL_MS) + 1;
            if (refill_ms > wait_ms)
                wait_ms = refill_ms;
        }
    }
    /* An address that has not failed lately may try a name in back-off; any other waits. */
    bool clean = at.has_addr && (!ae || ae->fails == 0);
    struct signin_entry *ne = signin_find(&g->names, at.name, now_ms, false);
    if (ne && !clean && ne->wait_until_ms - now_ms > wait_ms)
        wait_ms = ne->wait_until_ms - now_ms;

    if (wait_ms > 0) {
        v = SIGNIN_WAIT;
        *retry_s = (unsigned)((wait_ms + 999) / 1000);
    } else if (g->checks >= g->checks_max) {
        v = SIGNIN_BUSY;
        *retry_s = 1;
    } else {
        g->checks++;
        if (at.has_addr) {
            ae = signin_find(&g->addrs, at.addr, now_ms, true);
            signin_refill(&g->addrs, ae, now_ms);
            ae->tokens -= 1.0;
        }
        *a = at;
    }
    pthread_mutex_unlock(&g->lock);
    return v;
}

void signin_end(struct signin *g, const struct signin_attempt *a, enum signin_result r,
                int64_t now_ms)
{
    struct signin_entry *e;

    pthread_mutex_lock(&g->lock);
    if (g->checks)
        g->checks--;
    if (r == SIGNIN_WRONG) {
        if (a->has_addr && (e = signin_find(&g->addrs, a->addr, now_ms, true))) {
            signin_refill(&g->addrs, e, now_ms);
            signin_fail(e, now_ms);
        }
        if ((e = signin_find(&g->names, a->name, now_ms, true)))
            signin_fail(e, now_ms);
    } else if (r == SIGNIN_OK) {
        if (a->has_addr && (e = signin_find(&g->addrs, a->addr, now_ms, false))) {
            e->fails = 0;
            e->wait_until_ms = 0;
        }
        if ((e = signin_find(&g->names, a->name, now_ms, false)))
            memset(e, 0, sizeof(*e));
    }
    pthread_mutex_unlock(&g->lock);
}

void signin_log(struct signin *g, enum signin_refusal kind, int64_t now_ms)
{
    static const char *const what[SIGNIN_LOG_COUNT] = {
        [SIGNIN_LOG_WRONG] = "401 wrong name or password",
        [SIGNIN_LOG_WAIT] = "429 too many failed attempts",
        [SIGNIN_LOG_BUSY] = "503 too many password checks at once",
    };
    unsigned more = 0;
    bool log = false;

    pthread_mutex_lock(&g->lock);
    if (!g->logged_ms[kind] || now_ms - g->logged_ms[kind] >= SIGNIN_LOG_MS) {
        log = true;
        more = g->unlogged[kind];
        g->unlogged[kind] = 0;
        g->logged_ms[kind] = now_ms ? now_ms : 1;
    } else {
        g->unlogged[kind]++;
    }
    pthread_mutex_unlock(&g->lock);
    if (log && more)
        log_info("refused /login: %s (and %u more not logged since the last such line)", what[kind],
                 more);
    else if (log)
        log_info("refused /login: %s", what[kind]);
}
