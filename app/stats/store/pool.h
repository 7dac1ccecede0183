/* A bounded set of open stores shared by the HTTP handlers' threads. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_STORE_POOL_H
#define STATS_STORE_POOL_H

#include <stddef.h>

#include "store.h"

struct store_pool;

/* Allocate a pool opening up to max connections to url on demand (the schema must exist). */
int store_pool_alloc(struct store_pool **pp, const char *url, size_t max);

/* Borrow a store, waiting while all max are lent. Returns 0, or EIO when a new connection could
 * not be opened (logged). Give it back with store_pool_put. */
int store_pool_get(struct store_pool *p, struct store **stp);
void store_pool_put(struct store_pool *p, struct store *st);

/* Close every store; none may be lent. */
void store_pool_free(struct store_pool *p);

#endif
