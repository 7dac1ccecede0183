/* Staff password hashes: yescrypt through libxcrypt's crypt_r. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_PASSWD_H
#define STATS_PASSWD_H

#include <stdbool.h>
#include <stddef.h>

/* Longest hash string passwd_hash writes, with its NUL. */
#define PASSWD_HASH_MAX 128

/* Shortest and longest password accepted by `staff add`, in bytes. */
#define PASSWD_MIN 10
#define PASSWD_MAX 256

/* Hash password with a fresh random salt ("$y$…", the default cost) into out. Returns 0, EINVAL
 * when the result does not fit, or EIO when libxcrypt refuses. Takes tens of milliseconds. */
int passwd_hash(const char *password, char *out, size_t outlen);

/* Set *okp to whether password matches hash. A malformed hash never matches. Returns 0 or
 * ENOMEM. Takes as long as passwd_hash, whether or not it matches. Any thread. */
int passwd_verify(const char *password, const char *hash, bool *okp);

#endif
