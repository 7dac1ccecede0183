/* yescrypt password hashing and verification with libxcrypt. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "passwd.h"

#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"

int passwd_hash(const char *password, char *out, size_t outlen)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data *cd = NULL;
    int err = 0;

    /* NULL random bytes: libxcrypt draws the salt from the kernel itself. */
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt))) {
        err = EIO;
        goto out;
    }
    cd = calloc(1, sizeof(*cd));
    if (!cd) {
        err = ENOMEM;
        goto out;
    }
    const char *h = crypt_r(password, salt, cd);
    if (!h || h[0] != '$') {
        err = EIO;
        goto out;
    }
    if (strlen(h) + 1 > outlen) {
        err = EINVAL;
        goto out;
    }
    memcpy(out, h, strlen(h) + 1);
out:
    if (cd) {
        explicit_bzero(cd, sizeof(*cd));
        free(cd);
    }
    return err;
}

int passwd_verify(const char *password, const char *hash, bool *okp)
{
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    if (!cd)
        return ENOMEM;
    const char *h = crypt_r(password, hash, cd);
    /* libxcrypt returns a string starting with '*' for a malformed setting. */
    *okp = h && h[0] == '$' && token_equal(h, hash);
    explicit_bzero(cd, sizeof(*cd));
    free(cd);
    return 0;
}
