/* Choosing a storage driver from a URL, the default database, and the one way to a driver. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

int store_open(const char *url, bool create, struct store **stp, char *err, size_t errlen)
{
    const struct store_driver *drv;
    const char *target;
    struct store *st = NULL;
    int rc;

    if (!strncmp(url, "sqlite:", 7)) {
        drv = &store_sqlite;
        target = url + 7;
        if (!strncmp(target, "//", 2))
            target += 2; /* sqlite:///abs/path reads as /abs/path too */
        if (!*target) {
            snprintf(err, errlen, "--db %s: no file name after \"sqlite:\"", url);
            return EINVAL;
        }
    } else if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11)) {
        drv = &store_pg;
        target = url;
    } else {
        /* Print only the scheme part: a mistyped URL may carry a password. */
        int n = (int)strcspn(url, ":@/");
        snprintf(err, errlen,
                 "--db: unknown database \"%.*s…\" (expected sqlite:PATH or postgresql://…)",
                 n > 40 ? 40 : n, url);
        return EINVAL;
    }

    st = calloc(1, sizeof(*st));
    if (!st)
        return ENOMEM;
    st->drv = drv;
    st->priv = calloc(1, drv->priv_size);
    if (!st->priv) {
        free(st);
        return ENOMEM;
    }
    rc = drv->open(st, target, create, err, errlen);
    if (rc) {
        store_close(st);
        return rc;
    }
    *stp = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    st->drv->close(st);
    free(st->priv);
    free(st);
}

void store_default_url(char *out, size_t len)
{
    const char *dir = getenv("STATE_DIRECTORY");

    if (dir && *dir) {
        int n = (int)strcspn(dir, ":");
        snprintf(out, len, "sqlite:%.*s/stats.db", n, dir);
    } else {
        snprintf(out, len, "sqlite:/var/lib/openline-stats/stats.db");
    }
}

/* Each function below only reaches the driver: what it does is documented in store.h. */

int store_write_group(struct store *st, struct store_write *w, size_t n)
{
    return st->drv->write_group(st, w, n);
}

int store_kiosk_auth(struct store *st, const char *hash, struct store_kiosk *k)
{
    return st->drv->kiosk_auth(st, hash, k);
}

int store_kiosk_add(struct store *st, const char *site, const char *hash, int32_t day, int64_t *idp)
{
    return st->drv->kiosk_add(st, site, hash, day, idp);
}

int store_kiosk_revoke(struct store *st, int64_t id, int32_t day)
{
    return st->drv->kiosk_revoke(st, id, day);
}

int store_kiosk_list(struct store *st, store_kiosk_h *h, void *arg)
{
    return st->drv->kiosk_list(st, h, arg);
}

int store_staff_add(struct store *st, const char *name, const char *pwhash)
{
    return st->drv->staff_add(st, name, pwhash);
}

int store_staff_get(struct store *st, const char *name, int64_t *idp, char *pwhash, size_t pwlen)
{
    return st->drv->staff_get(st, name, idp, pwhash, pwlen);
}

int store_staff_set_token(struct store *st, const char *name, const char *hash)
{
    return st->drv->staff_set_token(st, name, hash);
}

int store_staff_by_token(struct store *st, const char *hash, int64_t *idp)
{
    return st->drv->staff_by_token(st, hash, idp);
}

int store_staff_list(struct store *st, store_staff_h *h, void *arg)
{
    return st->drv->staff_list(st, h, arg);
}

int store_staff_remove(struct store *st, const char *name)
{
    return st->drv->staff_remove(st, name);
}

int store_session_add(struct store *st, const char *hash, int64_t staff, int64_t expires)
{
    return st->drv->session_add(st, hash, staff, expires);
}

int store_session_prune(struct store *st, int64_t now)
{
    return st->drv->session_prune(st, now);
}

int store_session_get(struct store *st, const char *hash, int64_t now, int64_t *staffp, char *name)
{
    return st->drv->session_get(st, hash, now, staffp, name);
}

int store_session_remove(struct store *st, const char *hash)
{
    return st->drv->session_remove(st, hash);
}

int store_days_get(struct store *st, const struct store_query *q, store_total_h *h, void *arg)
{
    return st->drv->days_get(st, q, h, arg);
}

int store_site_days_get(struct store *st, const struct store_query *q, store_total_h *h, void *arg)
{
    return st->drv->site_days_get(st, q, h, arg);
}

int store_noise_get(struct store *st, const struct store_query *q, store_noise_h *h, void *arg)
{
    return st->drv->noise_get(st, q, h, arg);
}

int store_batches_get(struct store *st, const struct store_query *q, store_batch_h *h, void *arg)
{
    return st->drv->batches_get(st, q, h, arg);
}
