/* The kiosk API: POST /api/v1/batches and /api/v1/heartbeat (docs/wire-v1.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ingest.h"
#include "openline/clock.h"
#include "openline/day.h"
#include "openline/log.h"
#include "ratelimit.h"
#include "server.h"
#include "store/pool.h"
#include "store/writer.h"

static enum MHD_Result api_unavailable(struct MHD_Connection *c)
{
    const char *h[] = {MHD_HTTP_HEADER_RETRY_AFTER, "60", NULL};
    return server_json(c, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable",
                       "the database is not available; try later", h);
}

/* Authenticate the kiosk from its bearer token and apply its rate limit, before the body is read.
 * The site comes from the token, never from the body. */
enum MHD_Result api_start(struct server *s, struct MHD_Connection *c, struct request *rq)
{
    static const char *const www[] = {"WWW-Authenticate", "Bearer realm=\"openline-stats\"", NULL};
    const char *url = rq->route->path;
    const char *auth = server_header(c, MHD_HTTP_HEADER_AUTHORIZATION);
    char hash[TOKEN_HASH_LEN + 1];
    struct store *st;
    int err;

    rq->replied = true;
    if (!auth || strncasecmp(auth, "Bearer ", 7)) {
        log_info("refused %s: 401 no bearer token", url);
        return server_json(c, MHD_HTTP_UNAUTHORIZED, "unauthorized", "missing bearer token", www);
    }
    const char *tok = auth + 7;
    while (*tok == ' ')
        tok++;
    size_t len = strlen(tok);
    while (len && tok[len - 1] == ' ')
        len--;
    if (!token_well_formed(tok, len)) {
        log_info("refused %s: 401 malformed token", url);
        return server_json(c, MHD_HTTP_UNAUTHORIZED, "unauthorized", "unknown token", www);
    }
    token_hash(tok, len, hash);

    if ((err = store_pool_get(server_pool(s), &st)))
        goto unavailable;
    err = store_kiosk_auth(st, hash, &rq->kiosk);
    store_pool_put(server_pool(s), st);
    if (err == ENOENT) {
        log_info("refused %s: 401 unknown token", url);
        return server_json(c, MHD_HTTP_UNAUTHORIZED, "unauthorized", "unknown token", www);
    }
    if (err)
        goto unavailable;
    if (rq->kiosk.revoked) {
        log_info("refused %s of kiosk %" PRId64 ": 403 revoked token", url, rq->kiosk.id);
        return server_json(c, MHD_HTTP_FORBIDDEN, "revoked", "this kiosk's token was revoked",
                           NULL);
    }

    unsigned retry;
    if (!ratelimit_take(server_ratelimit(s), rq->kiosk.id, (int64_t)clock_now_ms(), &retry)) {
        char secs[16];
        snprintf(secs, sizeof(secs), "%u", retry);
        const char *h[] = {MHD_HTTP_HEADER_RETRY_AFTER, secs, NULL};
        log_info("refused %s of kiosk %" PRId64 ": 429 rate limit", url, rq->kiosk.id);
        return server_json(c, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited",
                           "too many requests from this kiosk; see Retry-After", h);
    }

    const char *ct = server_header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t ctl = ct ? strcspn(ct, ";") : 0;
    while (ctl && ct[ctl - 1] == ' ')
        ctl--;
    if (!ct || ctl != 16 || strncasecmp(ct, "application/json", 16)) {
        log_info("refused %s of kiosk %" PRId64 ": 400 content type", url, rq->kiosk.id);
        return server_json(c, MHD_HTTP_BAD_REQUEST, "malformed",
                           "Content-Type must be application/json", NULL);
    }
    rq->replied = false;
    return MHD_YES;

unavailable:
    return api_unavailable(c);
}

/* 400 or 422 for a body ingest refused; logs the rule, not the body. */
static enum MHD_Result api_refuse(struct MHD_Connection *c, struct request *rq, int err,
                                  const struct ingest_error *e)
{
    if (err == ENOMEM)
        return MHD_NO;
    unsigned status = err == EAGAIN ? 422 : MHD_HTTP_BAD_REQUEST;
    log_info("refused %s of kiosk %" PRId64 ": %u %s", rq->route->path, rq->kiosk.id, status,
             e->what);
    return server_json(c, status, err == EAGAIN ? "too_early" : "malformed", e->detail, NULL);
}

/* The writer committed the request's job: its connection goes on (the handler runs again). */
static void api_committed(struct writer_job *job, void *arg)
{
    (void)job;
    MHD_resume_connection(arg);
}

/* Hand rq->job to the writer and suspend the connection until it committed: the thread is free
 * for other connections meanwhile. Suspended first, so the resumption cannot come before it. */
static enum MHD_Result api_submit(struct server *s, struct MHD_Connection *c, struct request *rq)
{
    rq->job.done_h = api_committed;
    rq->job.done_arg = c;
    rq->pending = true;
    MHD_suspend_connection(c);
    writer_submit_async(server_writer(s), &rq->job);
    return MHD_YES;
}

enum MHD_Result api_batches(struct server *s, struct MHD_Connection *c, struct request *rq)
{
    struct ingest_error e;
    enum MHD_Result ret;

    if (!rq->pending) {
        int err = ingest_batch_parse(rq->body.data ? rq->body.data : "", rq->body.len, day_today(),
                                     &rq->batch, &e);
        if (err)
            return api_refuse(c, rq, err, &e);
        rq->job = (struct writer_job){
            .w = {.kiosk = rq->kiosk.id, .site = rq->kiosk.site, .batch = rq->batch}};
        return api_submit(s, c, rq);
    }
    struct writer_job job = rq->job;
    if (job.err) {
        ret = api_unavailable(c);
        goto out;
    }
    switch (job.w.res) {
    case STORE_PUT_STORED:
        ret = server_json(c, MHD_HTTP_CREATED, "stored", "batch stored", NULL);
        break;
    case STORE_PUT_DUPLICATE:
        ret = server_json(c, MHD_HTTP_OK, "duplicate", "this batch was stored before", NULL);
        break;
    case STORE_PUT_CONFLICT:
        log_info("refused %s of kiosk %" PRId64 ": 409 another batch covers this bucket",
                 rq->route->path, rq->kiosk.id);
        ret = server_json(c, MHD_HTTP_CONFLICT, "conflict",
                          "another batch of this kiosk covers this bucket", NULL);
        break;
    default:
        log_info("refused %s of kiosk %" PRId64 ": 409 batch id reused", rq->route->path,
                 rq->kiosk.id);
        ret = server_json(c, MHD_HTTP_CONFLICT, "conflict",
                          "this batch id was used for another bucket", NULL);
        break;
    }
out:
    ingest_batch_free(rq->batch);
    rq->batch = NULL;
    return ret;
}

enum MHD_Result api_heartbeat(struct server *s, struct MHD_Connection *c, struct request *rq)
{
    struct ingest_error e;

    if (!rq->pending) {
        int err = ingest_heartbeat_parse(rq->body.data ? rq->body.data : "", rq->body.len,
                                         day_today(), &rq->hb, &e);
        if (err)
            return api_refuse(c, rq, err, &e);
        rq->job = (struct writer_job){
            .w = {.kiosk = rq->kiosk.id, .site = rq->kiosk.site, .hb = &rq->hb}};
        return api_submit(s, c, rq);
    }
    if (rq->job.err)
        return api_unavailable(c);
    return server_reply(c, MHD_HTTP_NO_CONTENT, NULL, "", 0, NULL);
}
