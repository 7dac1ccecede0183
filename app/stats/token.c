/* Random tokens from getrandom() and their SHA-256 hashes (libsodium). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "token.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <sodium.h>

int token_init(void)
{
    return sodium_init() < 0 ? EIO : 0;
}

int token_new(char out[TOKEN_LEN + 1])
{
    unsigned char raw[TOKEN_LEN / 2];
    size_t got = 0;

    while (got < sizeof(raw)) {
        ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        got += (size_t)n;
    }
    sodium_bin2hex(out, TOKEN_LEN + 1, raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
    return 0;
}

bool token_well_formed(const char *s, size_t len)
{
    if (len == 64) {
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                return false;
        }
        return true;
    }
    if (len == 43) {
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  c == '-' || c == '_'))
                return false;
        }
        return true;
    }
    return false;
}

void token_hash(const char *s, size_t len, char out[TOKEN_HASH_LEN + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, len);
    sodium_bin2hex(out, TOKEN_HASH_LEN + 1, h, sizeof(h));
}

bool token_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}
