/* Wire v1 payloads (docs/wire-v1.md): noisy batches, heartbeats, and the collector's replies.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "counts_int.h"
#include "openline/config.h"
#include "openline/day.h"
#include "openline/util.h"

/* The collector accepts counts from -50 to 50000: a noisy count outside is clamped (which,
 * done after the noise, reveals nothing more; only a tiny epsilon makes -50 reachable). */
#define PAYLOAD_COUNT_MIN (-50)
#define PAYLOAD_COUNT_MAX 50000

static int add_count(json_t *counts, const struct config *cfg, const char *name, int64_t exact)
{
    int64_t v = exact, noise = 0;
    if (cfg->counts.noise == CONFIG_NOISE_GEOMETRIC) {
        int err = noise_geometric(cfg->counts.epsilon_num, cfg->counts.epsilon_den, &noise);
        if (err)
            return err;
    }
    v += noise;
    if (v < PAYLOAD_COUNT_MIN)
        v = PAYLOAD_COUNT_MIN;
    if (v > PAYLOAD_COUNT_MAX)
        v = PAYLOAD_COUNT_MAX;
    return json_object_set_new(counts, name, json_integer(v)) ? ENOMEM : 0;
}

int payload_batch(const struct config *cfg, const struct counts_set *set, const struct bucket *b,
                  char *const *names, const int64_t *values, size_t n, struct spool_batch *batch)
{
    unsigned char raw[16];
    char start[DAY_STR_LEN + 1];
    json_t *counts = json_object(), *root = NULL;
    int err = noise_random(raw, sizeof(raw));

    if (!counts)
        return ENOMEM;
    for (size_t i = 0; !err && i < sizeof(raw); i++)
        snprintf(batch->id + 2 * i, 3, "%02x", raw[i]);
    /* Every counter of the closed set, zeros included, then anything else counted (a language
     * or page that was enabled when it was counted and is no longer). */
    for (size_t i = 0; !err && i < set->n; i++) {
        int64_t v = 0;
        for (size_t j = 0; j < n; j++) {
            if (!strcmp(names[j], set->names[i]))
                v = values[j];
        }
        err = add_count(counts, cfg, set->names[i], v);
    }
    for (size_t j = 0; !err && j < n; j++) {
        if (counts_set_find(set, names[j]) < 0)
            err = add_count(counts, cfg, names[j], values[j]);
    }
    day_format((int32_t)b->start, start);
    json_t *noise =
        cfg->counts.noise == CONFIG_NOISE_GEOMETRIC
            ? json_pack("{s:s, s:f}", "mech", "geometric", "epsilon", cfg->counts.epsilon)
            : json_pack("{s:s}", "mech", "none");
    if (!err && noise)
        root =
            json_pack("{s:i, s:s, s:{s:s, s:i}, s:o, s:O}", "schema", 1, "batch", batch->id,
                      "bucket", "start", start, "days", b->days, "noise", noise, "counts", counts);
    else
        json_decref(noise);
    json_decref(counts);
    if (err)
        return err;
    batch->payload = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    if (!batch->payload)
        return ENOMEM;
    batch->bucket = *b;
    return 0;
}

char *payload_heartbeat(int64_t day, int spool_depth, bool trusted, const char *self_test)
{
    char d[DAY_STR_LEN + 1];
    day_format((int32_t)day, d);
    json_t *root = json_pack("{s:i, s:s, s:s, s:i, s:s, s:s}", "schema", 1, "day", d, "version",
                             OPENLINE_VERSION, "spool_depth", spool_depth, "clock",
                             trusted ? "trusted" : "untrusted", "self_test", self_test);
    char *s = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    return s;
}

void payload_reply_text(long status, const char *body, size_t len, char *out, size_t outlen)
{
    json_t *root = body && len ? json_loadb(body, len, 0, NULL) : NULL;
    const char *word = NULL, *reason = NULL;
    if (root && json_unpack(root, "{s:s, s:s}", "status", &word, "reason", &reason))
        word = reason = NULL;
    if (word)
        snprintf(out, outlen, "%ld %s: %s", status, word, reason);
    else if (status == 204)
        snprintf(out, outlen, "%ld heartbeat kept", status);
    else
        snprintf(out, outlen, "%ld (no reply the collector would send)", status);
    /* The reason may quote our own payload back; nothing else is in it (wire v1). Keep it to
     * one printable line. */
    for (char *p = out; *p; p++) {
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    }
    json_decref(root);
}
