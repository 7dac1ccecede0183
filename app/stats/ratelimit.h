/* Token-bucket rate limits keyed by a number (a kiosk id), in memory, per process. Sign-in has
 * its own limits, keyed by hashes of addresses and names (signin.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_RATELIMIT_H
#define STATS_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit;

/* Allocate a limiter that allows per_minute requests per key per minute, in bursts of up to
 * per_minute; per_minute 0 allows everything. Sets *rlp on success. Returns 0 or ENOMEM. Keys are
 * never forgotten, so only pass keys that were authenticated (their number is bounded). */
int ratelimit_alloc(struct ratelimit **rlp, unsigned per_minute);

void ratelimit_free(struct ratelimit *rl);

/* Take one request for key at monotonic time now_ms (clock_now_ms()). Returns true if allowed;
 * otherwise false with *retry_s set to the whole seconds until a request will be allowed (>= 1).
 * Any thread. Returns true without remembering anything when out of memory. */
bool ratelimit_take(struct ratelimit *rl, int64_t key, int64_t now_ms, unsigned *retry_s);

#endif
