/* The HTTP side of openline-stats (libmicrohttpd): daemon, routing, replies; shared by api.c
 * (the kiosk API) and web.c (log-in, dashboard, CSV). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_SERVER_H
#define STATS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "buf.h"
#include "passwd.h"
#include "store/store.h"
#include "token.h"
#include "store/writer.h"

struct server_config {
    const char *db_url;
    const char *listen;   /* "ADDR:PORT", "[ADDR]:PORT"; port 0 picks a free one */
    const char *tls_cert; /* PEM files, both or neither */
    const char *tls_key;
    unsigned rate;            /* requests per minute per kiosk token; 0: unlimited */
    unsigned max_connections; /* open connections at once */
    unsigned timeout_s;       /* idle connection timeout, seconds */
    unsigned per_ip;          /* connections per client address; 0: unlimited */
    bool secure_cookies;      /* mark cookies Secure without --tls-* (TLS ends at a proxy) */
};

struct server;

/* Open the database (creating its tables), listen and start serving in threads of their own.
 * On success sets *sp and returns 0; *portp is the port listened on. On failure writes one line
 * for a person into err and returns an errno value. */
int server_start(struct server **sp, const struct server_config *cfg, unsigned *portp, char *err,
                 size_t errlen);

/* Stop accepting, finish the requests in progress, commit what is queued, close the database. */
void server_stop(struct server *s);

/* ---- private to the HTTP modules ---- */

/* Largest log-in or log-out form, in bytes. */
#define SERVER_FORM_MAX 4096

struct request {
    const struct route *route;
    bool replied; /* a reply was queued before the body was read */
    struct buf body;
    size_t discarded; /* bytes of body beyond the route's limit */
    struct store_kiosk kiosk;
    /* A batch or heartbeat at the writer: the connection is suspended until it committed. */
    bool pending;
    struct writer_job job;
    struct ingest_batch *batch;
    struct ingest_heartbeat hb;
    /* The log-in and log-out form. */
    char name[STORE_NAME_MAX + 1];
    char password[PASSWD_MAX + 1];
    char csrf[TOKEN_LEN + 1];
    bool form_overflow;
};

struct server;

/* A handler: called once the whole request is in (body in rq->body). Queues a reply. */
typedef enum MHD_Result(server_handler_h)(struct server *s, struct MHD_Connection *c,
                                          struct request *rq);

struct route {
    const char *method;
    const char *path;
    size_t body_max; /* largest body accepted (bigger: 413); 0: none */
    /* Optional: called when the headers are in, before the body is read. Returns MHD_YES to read
     * the body, or queues a reply, sets rq->replied and returns its result. */
    server_handler_h *start;
    server_handler_h *handle;
};

/* Things the handlers share. */
struct store_pool *server_pool(struct server *s);
struct writer *server_writer(struct server *s);
struct ratelimit *server_ratelimit(struct server *s);
bool server_tls(struct server *s);
bool server_secure_cookies(struct server *s);
const char *server_dummy_hash(struct server *s);

/* Queue a reply with status and body (len bytes, copied). headers: NULL or pairs of name and
 * value ending with NULL. Adds Cache-Control: no-store and X-Content-Type-Options: nosniff, and
 * for HTML a Content-Security-Policy that allows no script and nothing from elsewhere. */
enum MHD_Result server_reply(struct MHD_Connection *c, unsigned status, const char *ctype,
                             const char *body, size_t len, const char *const *headers);

/* Queue {"status": word, "reason": reason} with status; headers as for server_reply. */
enum MHD_Result server_json(struct MHD_Connection *c, unsigned status, const char *word,
                            const char *reason, const char *const *headers);

/* Queue a redirect (303 See Other) to location, with optional extra headers. */
enum MHD_Result server_redirect(struct MHD_Connection *c, const char *location,
                                const char *const *headers);

/* Queue a short HTML page with a title and a message (escaped here). */
enum MHD_Result server_page(struct MHD_Connection *c, unsigned status, const char *title,
                            const char *message);

/* The request header name, or NULL. */
const char *server_header(struct MHD_Connection *c, const char *name);

/* Kiosk API (api.c). */
server_handler_h api_start, api_batches, api_heartbeat;

/* Staff pages (web.c). */
server_handler_h web_dashboard, web_login_page, web_login, web_logout, web_export, web_health;

#endif
