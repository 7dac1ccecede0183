/* Bearer tokens and session keys: 256 random bits as hex, stored only as SHA-256 hashes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_TOKEN_H
#define STATS_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

/* A token is 64 lowercase hex characters (256 bits); its hash is 64 lowercase hex characters. */
#define TOKEN_LEN      64
#define TOKEN_HASH_LEN 64

/* Initialise the hashing library once, before any thread uses this module. Returns 0 or EIO. */
int token_init(void);

/* Fill out with a new token from getrandom() and a NUL. Returns 0 or the errno of getrandom. */
int token_new(char out[TOKEN_LEN + 1]);

/* Whether the len bytes at s have the shape of a token: 64 hex digits (either case) or 43
 * base64url characters. Anything else can never match a stored hash. */
bool token_well_formed(const char *s, size_t len);

/* SHA-256 of the len bytes at s (a token as sent, or any text), as 64 lowercase hex and a NUL. */
void token_hash(const char *s, size_t len, char out[TOKEN_HASH_LEN + 1]);

/* Compare two NUL-terminated strings in time that depends only on their lengths. */
bool token_equal(const char *a, const char *b);

#endif
