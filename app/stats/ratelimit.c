/* Token buckets in a chained hash table behind one mutex. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ratelimit.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#define RATELIMIT_SLOTS 1024

struct ratelimit_entry {
    int64_t key;
    double tokens;   /* requests left, fractional while refilling */
    int64_t last_ms; /* when tokens was last brought up to date */
    struct ratelimit_entry *next;
};

struct ratelimit {
    pthread_mutex_t lock;
    unsigned per_minute;
    struct ratelimit_entry *slots[RATELIMIT_SLOTS];
};

int ratelimit_alloc(struct ratelimit **rlp, unsigned per_minute)
{
    struct ratelimit *rl = calloc(1, sizeof(*rl));
    if (!rl)
        return ENOMEM;
    pthread_mutex_init(&rl->lock, NULL);
    rl->per_minute = per_minute;
    *rlp = rl;
    return 0;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    for (size_t i = 0; i < RATELIMIT_SLOTS; i++) {
        struct ratelimit_entry *e = rl->slots[i];
        while (e) {
            struct ratelimit_entry *next = e->next;
            free(e);
            e = next;
        }
    }
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

bool ratelimit_take(struct ratelimit *rl, int64_t key, int64_t now_ms, unsigned *retry_s)
{
    bool ok = true;

    if (!rl->per_minute)
        return true;
    uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ull;
    size_t slot = (size_t)(h >> 54) % RATELIMIT_SLOTS;

    pthread_mutex_lock(&rl->lock);
    struct ratelimit_entry *e = rl->slots[slot];
    while (e && e->key != key)
        e = e->next;
    if (!e) {
        e = calloc(1, sizeof(*e));
        if (!e)
            goto out;
        e->key = key;
        e->tokens = rl->per_minute;
        e->last_ms = now_ms;
        e->next = rl->slots[slot];
        rl->slots[slot] = e;
    }
    double rate_per_ms = rl->per_minute / 60000.0;
    if (now_ms > e->last_ms) {
        e->tokens += (double)(now_ms - e->last_ms) * rate_per_ms;
        if (e->tokens > rl->per_minute)
            e->tokens = rl->per_minute;
        e->last_ms = now_ms;
    }
    if (e->tokens >= 1.0) {
        e->tokens -= 1.0;
        goto out;
    }
    ok = false;
    double wait_ms = (1.0 - e->tokens) / rate_per_ms;
    unsigned s = (unsigned)((wait_ms + 999.0) / 1000.0);
    *retry_s = s ? s : 1;
out:
    pthread_mutex_unlock(&rl->lock);
    return ok;
}
