/* libmicrohttpd daemon: listening, limits, routing, body collection and reply helpers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ingest.h"
#include "openline/clock.h"
#include "openline/log.h"
#include "openline/util.h"
#include "ratelimit.h"
#include "signin.h"
#include "store/pool.h"
#include "store/writer.h"

/* Largest TLS certificate or key file read, in bytes. */
#define SERVER_PEM_MAX (1 << 20)

/* Threads that serve all connections (libmicrohttpd's epoll in each): a connection costs a
 * socket and a little memory, not a thread, so slow clients cannot use the threads up. A batch
 * or heartbeat waiting for its commit holds none (its connection is suspended: api.c); a
 * password check or a dashboard query holds one while it runs. */
#define SERVER_THREADS 16
/* Seconds a request may take to send its headers, from its connection's start or its previous
 * request's end, however slowly its bytes trickle in (libmicrohttpd's timeout counts only
 * silence). Its body then has --timeout seconds. */
#define SERVER_HEADER_DEADLINE_S 10
/* Above this share of --max-connections, each new connection closes the oldest one still
 * waiting for its headers, before libmicrohttpd's limit stops accepting: a slow client from
 * many addresses cannot keep a kiosk or staff member out. A real client sends its headers in
 * one packet and is never the oldest one waiting for long. */
#define SERVER_EVICT_AT(max) ((max)*3 / 4)

/* A connection as the watchdog sees it (libmicrohttpd's socket context). */
struct conn {
    struct server *s;
    struct conn *prev, *next;
    int fd;
    enum { CONN_HEADERS, CONN_BODY, CONN_HANDLING } phase;
    int64_t since_ms; /* the phase's start */
    bool closed;      /* shut down by the watchdog */
};

struct watchdog {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool running, stop;
    struct conn *head, *tail; /* oldest first */
    unsigned n;
    unsigned evict_at;
    unsigned body_deadline_s;
    uint64_t closed_headers, closed_body, evicted;
};

struct server {
    struct MHD_Daemon *daemon;
    int fd;
    struct store *wstore;
    struct writer *writer;
    struct store_pool *pool;
    struct ratelimit *rate;
    char *cert, *key;
    bool tls;
    bool secure_cookies;
    bool started;                /* MHD messages are logged only once running */
    char mhd_error[200];         /* the last MHD message while starting */
    char dummy[PASSWD_HASH_MAX]; /* verified against for unknown staff names */
    struct watchdog wd;
    unsigned timeout_s;
    atomic_bool stopping; /* SIGTERM: finishing the requests taken, refusing new ones */
    atomic_uint active;   /* requests between their headers and their reply's end */
};

static const struct route server_routes[] = {
    {"POST", "/api/v1/batches", INGEST_BODY_MAX, api_start, api_batches},
    {"POST", "/api/v1/heartbeat", INGEST_BODY_MAX, api_start, api_heartbeat},
    {"GET", "/", 0, NULL, web_dashboard},
    {"GET", "/login", 0, NULL, web_login_page},
    {"POST", "/login", SERVER_FORM_MAX, NULL, web_login},
    {"POST", "/logout", SERVER_FORM_MAX, NULL, web_logout},
    {"GET", "/export.csv", 0, NULL, web_export},
    {"GET", "/healthz", 0, NULL, web_health},
};

struct store_pool *server_pool(struct server *s)
{
    return s->pool;
}

struct writer *server_writer(struct server *s)
{
    return s->writer;
}

struct ratelimit *server_ratelimit(struct server *s)
{
    return s->rate;
}

bool server_tls(struct server *s)
{
    return s->tls;
}

bool server_secure_cookies(struct server *s)
{
    return s->tls || s->secure_cookies;
}

const char *server_dummy_hash(struct server *s)
{
    return s->dummy;
}

const char *server_header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

enum MHD_Result server_reply(struct MHD_Connection *c, unsigned status, const char *ctype,
                             const char *body, size_t len, const char *const *headers)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    if (ctype)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    if (ctype && !strncmp(ctype, "text/html", 9)) {
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    }
    for (size_t i = 0; headers && headers[i]; i += 2)
        MHD_add_response_header(resp, headers[i], headers[i + 1]);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    const struct conn *k = ci ? ci->socket_context : NULL;
    if (k && k->s->tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    if (k && atomic_load(&k->s->stopping))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result server_json(struct MHD_Connection *c, unsigned status, const char *word,
                            const char *reason, const char *const *headers)
{
    json_t *obj = json_pack("{s:s,s:s}", "status", word, "reason", reason ? reason : "");
    char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
    enum MHD_Result ret = MHD_NO;
    if (text) {
        size_t len = strlen(text);
        struct buf b = {0};
        buf_add(&b, text, len);
        buf_puts(&b, "\n");
        if (!b.err)
            ret = server_reply(c, status, "application/json", b.data, b.len, headers);
        buf_free(&b);
    }
    free(text);
    json_decref(obj);
    return ret;
}

enum MHD_Result server_redirect(struct MHD_Connection *c, const char *location,
                                const char *const *headers)
{
    const char *h[12] = {"Location", location};
    size_t n = 2;
    for (size_t i = 0; headers && headers[i] && n + 2 < 12; i += 2) {
        h[n++] = headers[i];
        h[n++] = headers[i + 1];
    }
    h[n] = NULL;
    static const char body[] = "See other\n";
    return server_reply(c, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", body, sizeof(body) - 1,
                        h);
}

enum MHD_Result server_page(struct MHD_Connection *c, unsigned status, const char *title,
                            const char *message)
{
    struct buf b = {0};
    enum MHD_Result ret = MHD_NO;

    buf_puts(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    buf_html(&b, title);
    buf_puts(&b, "</title></head><body style=\"font-family:system-ui,sans-serif;margin:40px\">"
                 "<h1>");
    buf_html(&b, title);
    buf_puts(&b, "</h1><p>");
    buf_html(&b, message);
    buf_puts(&b, "</p><p><a href=\"/\">Back to the dashboard</a></p></body></html>\n");
    if (!b.err)
        ret = server_reply(c, status, "text/html; charset=utf-8", b.data, b.len, NULL);
    buf_free(&b);
    return ret;
}

static const struct route *server_route(const char *method, const char *url, bool *path_known)
{
    *path_known = false;
    for (size_t i = 0; i < ARRAY_SIZE(server_routes); i++) {
        if (strcmp(url, server_routes[i].path))
            continue;
        *path_known = true;
        if (!strcmp(method, server_routes[i].method))
            return &server_routes[i];
    }
    return NULL;
}

static enum MHD_Result server_not_found(struct MHD_Connection *c, const char *method,
                                        const char *url, bool path_known)
{
    bool api = !strncmp(url, "/api/", 5);
    if (path_known) {
        char allow[32] = "";
        for (size_t i = 0; i < ARRAY_SIZE(server_routes); i++) {
            if (!strcmp(url, server_routes[i].path))
                snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s",
                         allow[0] ? ", " : "", server_routes[i].method);
        }
        const char *h[] = {"Allow", allow, NULL};
        if (api)
            return server_json(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", "use POST", h);
        static const char msg[] = "Method not allowed\n";
        return server_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", msg,
                            sizeof(msg) - 1, h);
    }
    (void)method;
    if (api)
        return server_json(c, MHD_HTTP_NOT_FOUND, "not_found", "no such endpoint", NULL);
    static const char msg[] = "Not found\n";
    return server_reply(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", msg, sizeof(msg) - 1,
                        NULL);
}

/* ---- the connection watchdog: deadlines that trickled bytes do not reset ---- */

static void conn_unlink(struct watchdog *wd, struct conn *k)
{
    if (k->prev)
        k->prev->next = k->next;
    else
        wd->head = k->next;
    if (k->next)
        k->next->prev = k->prev;
    else
        wd->tail = k->prev;
    k->prev = k->next = NULL;
}

/* Close a connection from outside libmicrohttpd: with its socket shut down, its next read fails
 * and libmicrohttpd cleans it up. Safe against a descriptor used again: libmicrohttpd reports
 * the close (server_notify, which takes wd->lock) before it closes the socket. wd->lock held. */
static void conn_close(struct conn *k)
{
    if (!k->closed && k->fd >= 0)
        shutdown(k->fd, SHUT_RDWR);
    k->closed = true;
}

static void server_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct server *s = cls;
    struct watchdog *wd = &s->wd;
    struct conn *k = *socket_context;

    if (code != MHD_CONNECTION_NOTIFY_STARTED) {
        if (!k)
            return;
        pthread_mutex_lock(&wd->lock);
        conn_unlink(wd, k);
        wd->n--;
        pthread_mutex_unlock(&wd->lock);
        free(k);
        *socket_context = NULL;
        return;
    }
    k = calloc(1, sizeof(*k));
    *socket_context = k;
    if (!k)
        return; /* unwatched: libmicrohttpd's own timeout still applies */
    k->s = s;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    k->fd = ci ? ci->connect_fd : -1;
    k->phase = CONN_HEADERS;
    k->since_ms = (int64_t)clock_now_ms();
    pthread_mutex_lock(&wd->lock);
    k->prev = wd->tail;
    if (wd->tail)
        wd->tail->next = k;
    else
        wd->head = k;
    wd->tail = k;
    wd->n++;
    if (wd->n > wd->evict_at) {
        for (struct conn *o = wd->head; o && o != k; o = o->next) {
            if (o->phase == CONN_HEADERS && !o->closed) {
                conn_close(o);
                wd->evicted++;
                break;
            }
        }
    }
    pthread_mutex_unlock(&wd->lock);
}

/* The request on c moved on: its headers are in, its body is in, or it was answered (the
 * connection waits for the next request's headers). */
static void server_phase(struct server *s, struct MHD_Connection *c, int phase)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct conn *k = ci ? ci->socket_context : NULL;
    if (!k)
        return;
    pthread_mutex_lock(&s->wd.lock);
    k->phase = phase;
    k->since_ms = (int64_t)clock_now_ms();
    pthread_mutex_unlock(&s->wd.lock);
}

static void *server_watchdog(void *arg)
{
    struct watchdog *wd = arg;
    pthread_mutex_lock(&wd->lock);
    while (!wd->stop) {
        int64_t now = (int64_t)clock_now_ms();
        for (struct conn *k = wd->head; k; k = k->next) {
            if (k->closed)
                continue;
            if (k->phase == CONN_HEADERS && now - k->since_ms > SERVER_HEADER_DEADLINE_S * 1000) {
                conn_close(k);
                wd->closed_headers++;
            } else if (k->phase == CONN_BODY &&
                       now - k->since_ms > (int64_t)wd->body_deadline_s * 1000) {
                conn_close(k);
                wd->closed_body++;
            }
        }
        struct timespec ts;
        util_deadline(&ts, CLOCK_REALTIME, 250);
        pthread_cond_timedwait(&wd->wake, &wd->lock, &ts);
    }
    pthread_mutex_unlock(&wd->lock);
    return NULL;
}

/* libmicrohttpd percent-decodes the path (and stops at a decoded NUL) unless told otherwise:
 * the path and the query are kept as sent. Dates and words need no decoding (an encoded one fails
 * their validation); site and language filters are decoded by web.c, which refuses a NUL. */
static size_t server_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static enum MHD_Result server_too_large(struct MHD_Connection *c, const struct route *r,
                                        const char *url)
{
    log_info("refused %s: 413 body larger than %zu bytes", url, r->body_max);
    return server_json(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", "the body is too large", NULL);
}

/* A request's first call, with its headers: refuse what is malformed, arrives while stopping, has
 * no route or declares too large a body; else the route's start (if any). */
static enum MHD_Result server_request_begin(struct server *s, struct MHD_Connection *c,
                                            struct request *rq, const char *url, const char *method,
                                            const char *version)
{
    bool path_known;

    /* url is the path as sent (server_unescape): routes match it byte for byte, so
     * /api/v1/%62atches is no route. An encoded NUL or slash is refused outright: decoded by
     * something in front, it would name another path (/healthz%00.html). */
    if (strstr(url, "%00") || strcasestr(url, "%2f") || strcasestr(url, "%5c")) {
        rq->replied = true;
        log_info("refused a request: 400 encoded NUL, slash or backslash in the path");
        return server_json(c, MHD_HTTP_BAD_REQUEST, "malformed",
                           "the path has an encoded NUL, slash or backslash", NULL);
    }
    if (!strcmp(version, MHD_HTTP_VERSION_1_1) && !server_header(c, MHD_HTTP_HEADER_HOST)) {
        rq->replied = true;
        log_info("refused a request: 400 HTTP/1.1 without Host");
        return server_json(c, MHD_HTTP_BAD_REQUEST, "malformed",
                           "an HTTP/1.1 request must have a Host header", NULL);
    }
    if (atomic_load(&s->stopping)) {
        /* After SIGTERM, on a connection kept alive: nothing new is taken. */
        const char *h[] = {MHD_HTTP_HEADER_RETRY_AFTER, "5", NULL};
        rq->replied = true;
        return server_json(c, MHD_HTTP_SERVICE_UNAVAILABLE, "stopping",
                           "the collector is stopping; send again later", h);
    }
    rq->route = server_route(method, url, &path_known);
    if (!rq->route) {
        rq->replied = true;
        return server_not_found(c, method, url, path_known);
    }
    /* Refuse a declared oversize body before reading any of it. */
    const char *cl = server_header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (errno || end == cl || *end || n > rq->route->body_max) {
            rq->replied = true;
            return server_too_large(c, rq->route, url);
        }
    }
    if (rq->route->start)
        return rq->route->start(s, c, rq);
    return MHD_YES;
}

/* A piece of the body: kept up to the route's limit. */
static enum MHD_Result server_request_body(struct request *rq, const char *data, size_t n)
{
    if (rq->replied)
        return MHD_YES;
    if (rq->discarded || rq->body.len + n > rq->route->body_max) {
        /* A chunked body grew past the limit: drop it, answer 413 at its end, and give up on the
         * connection if it goes on much longer. */
        rq->discarded += n;
        if (rq->discarded > 4 * (rq->route->body_max + 1024))
            return MHD_NO;
        return MHD_YES;
    }
    buf_add(&rq->body, data, n);
    return rq->body.err ? MHD_NO : MHD_YES;
}

static enum MHD_Result server_access(void *cls, struct MHD_Connection *c, const char *url,
                                     const char *method, const char *version,
                                     const char *upload_data, size_t *upload_data_size,
                                     void **con_cls)
{
    struct server *s = cls;
    struct request *rq = *con_cls;

    if (!rq) {
        rq = calloc(1, sizeof(*rq));
        if (!rq)
            return MHD_NO;
        *con_cls = rq;
        atomic_fetch_add(&s->active, 1);
        server_phase(s, c, CONN_BODY);
        return server_request_begin(s, c, rq, url, method, version);
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        return server_request_body(rq, upload_data, n);
    }
    server_phase(s, c, CONN_HANDLING);
    if (rq->replied)
        return MHD_YES;
    if (rq->discarded)
        return server_too_large(c, rq->route, url);
    return rq->route->handle(s, c, rq);
}

static void server_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                             enum MHD_RequestTerminationCode toe)
{
    struct request *rq = *con_cls;
    (void)toe;
    server_phase(cls, c, CONN_HEADERS); /* a kept-alive connection: the next request's */
    if (!rq)
        return;
    atomic_fetch_sub(&((struct server *)cls)->active, 1);
    buf_free(&rq->body);
    ingest_batch_free(rq->batch); /* a request ended before its reply (the daemon stopped) */
    explicit_bzero(rq->password, sizeof(rq->password));
    free(rq);
    *con_cls = NULL;
}

/* libmicrohttpd's messages can carry a client address among their arguments: log only the
 * format, never the arguments. */
static void server_mhd_log(void *cls, const char *fm, va_list ap)
{
    struct server *s = cls;
    char line[200];
    size_t n = 0;
    (void)ap;
    for (; fm[n] && fm[n] != '\n' && n + 1 < sizeof(line); n++)
        line[n] = fm[n];
    line[n] = '\0';
    if (!s->started) {
        snprintf(s->mhd_error, sizeof(s->mhd_error), "%s", line);
        return;
    }
    log_info("libmicrohttpd: %s", line);
}

/* Read a whole PEM file into *outp (NUL-terminated). */
static int server_read_pem(const char *path, const char *what, char **outp, char *err,
                           size_t errlen)
{
    char *data = NULL;
    size_t len = 0;
    struct stat sb;
    int rc = EBADMSG;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        rc = errno;
        snprintf(err, errlen, "%s %s: %s", what, path, strerror(rc));
        return rc;
    }
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size <= 0 || sb.st_size > SERVER_PEM_MAX) {
        snprintf(err, errlen, "%s %s: not a regular file of a sensible size", what, path);
        goto out;
    }
    data = malloc((size_t)sb.st_size + 1);
    if (!data) {
        rc = ENOMEM;
        goto out;
    }
    while (len < (size_t)sb.st_size) {
        ssize_t n = read(fd, data + len, (size_t)sb.st_size - len);
        if (n <= 0) {
            rc = n < 0 ? errno : EIO;
            snprintf(err, errlen, "%s %s: %s", what, path, strerror(rc));
            goto out;
        }
        len += (size_t)n;
    }
    data[len] = '\0';
    if (!strstr(data, "-----BEGIN ")) {
        snprintf(err, errlen, "%s %s: not a PEM file", what, path);
        goto out;
    }
    *outp = data;
    data = NULL;
    rc = 0;
out:
    free(data);
    close(fd);
    return rc;
}

/* Bind and listen on spec ("ADDR:PORT" or "[ADDR]:PORT"). */
static int server_listen(const char *spec, int *fdp, bool *v6p, unsigned *portp, char *err,
                         size_t errlen)
{
    char host[128];
    const char *port;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *ai = NULL;
    int fd = -1, rc;

    if (spec[0] == '[') {
        const char *close_br = strchr(spec, ']');
        if (!close_br || close_br[1] != ':' || (size_t)(close_br - spec - 1) >= sizeof(host))
            goto bad;
        memcpy(host, spec + 1, (size_t)(close_br - spec - 1));
        host[close_br - spec - 1] = '\0';
        port = close_br + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof(host) || strchr(spec, ':') != colon)
            goto bad;
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
        port = colon + 1;
    }
    if (!*host || !*port || strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
        strtol(port, NULL, 10) > 65535)
        goto bad;
    rc = getaddrinfo(host, port, &hints, &ai);
    if (rc) {
        snprintf(err, errlen, "--listen %s: %s", spec, gai_strerror(rc));
        return EINVAL;
    }
    fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        rc = errno;
        snprintf(err, errlen, "--listen %s: %s", spec, strerror(rc));
        goto out;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ai->ai_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 128)) {
        rc = errno;
        snprintf(err, errlen, "cannot listen on %s: %s", spec, strerror(rc));
        goto out;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *portp = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                            : ((struct sockaddr_in *)&ss)->sin_port);
    *v6p = ai->ai_family == AF_INET6;
    *fdp = fd;
    fd = -1;
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    return rc;
bad:
    snprintf(err, errlen, "--listen %s: expected ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080",
             spec);
    return EINVAL;
}

/* Read --tls-cert and --tls-key (both or neither) into s. Returns 0, EINVAL or the file's error
 * (err says which). */
static int server_tls_read(struct server *s, const struct server_config *cfg, char *err,
                           size_t errlen)
{
    int rc;

    if (!cfg->tls_cert && !cfg->tls_key)
        return 0;
    if (!cfg->tls_cert || !cfg->tls_key) {
        snprintf(err, errlen, "--tls-cert and --tls-key go together");
        return EINVAL;
    }
    if ((rc = server_read_pem(cfg->tls_cert, "--tls-cert", &s->cert, err, errlen)) ||
        (rc = server_read_pem(cfg->tls_key, "--tls-key", &s->key, err, errlen)))
        return rc;
    s->tls = true;
    return 0;
}

/* Descriptors: as many as allowed, and no more connections than they can hold. Returns the
 * connections to allow, want or fewer (logged). */
static unsigned server_max_connections(unsigned want)
{
    unsigned max_conn = want;
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl))
        return max_conn;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
        (void)getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)max_conn + 64) {
        max_conn = rl.rlim_cur > 128 ? (unsigned)rl.rlim_cur - 64 : 64;
        log_info("--max-connections %u is more than the open-file limit allows (%llu): %u", want,
                 (unsigned long long)rl.rlim_cur, max_conn);
    }
    return max_conn;
}

/* Start libmicrohttpd on s's listening socket. Returns 0, or EIO with err saying why. */
static int server_daemon_start(struct server *s, const struct server_config *cfg, bool v6,
                               unsigned max_conn, char *err, size_t errlen)
{
    /* MHD_ALLOW_SUSPEND_RESUME (which includes MHD_USE_ITC, for server_stop's quiesce): a
     * batch waiting for its commit suspends its connection (api.c). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG | (s->tls ? MHD_USE_TLS : 0) | (v6 ? MHD_USE_IPv6 : 0);
    /* TLS 1.2 and 1.3 only (GnuTLS priority string). */
    static char priorities[] = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_KEY, 0, s->key},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, priorities},
        {MHD_OPTION_END, 0, NULL},
    };
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, server_access, s, MHD_OPTION_LISTEN_SOCKET, s->fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SERVER_THREADS, MHD_OPTION_CONNECTION_LIMIT,
        max_conn, MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)64 * 1024, MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip,
        MHD_OPTION_THREAD_STACK_SIZE, (size_t)1024 * 1024, MHD_OPTION_NOTIFY_CONNECTION,
        server_notify, s, MHD_OPTION_NOTIFY_COMPLETED, server_completed, s,
        MHD_OPTION_EXTERNAL_LOGGER, server_mhd_log, s, MHD_OPTION_ARRAY,
        s->tls ? tls_opts : &tls_opts[3], MHD_OPTION_UNESCAPE_CALLBACK, server_unescape, s,
        MHD_OPTION_END);
    if (!s->daemon) {
        if (s->tls)
            snprintf(err, errlen,
                     "cannot start TLS with --tls-cert %s and --tls-key %s: %s (is the key the "
                     "certificate's, unencrypted, in PEM?)",
                     cfg->tls_cert, cfg->tls_key, s->mhd_error[0] ? s->mhd_error : "refused");
        else
            snprintf(err, errlen, "cannot start the HTTP server: %s",
                     s->mhd_error[0] ? s->mhd_error : "refused");
        return EIO;
    }
    return 0;
}

int server_start(struct server **sp, const struct server_config *cfg, unsigned *portp, char *err,
                 size_t errlen)
{
    struct server *s = calloc(1, sizeof(*s));
    bool v6 = false;
    int rc;

    if (!s)
        return ENOMEM;
    s->fd = -1;
    pthread_mutex_init(&s->wd.lock, NULL);
    pthread_cond_init(&s->wd.wake, NULL);
    s->secure_cookies = cfg->secure_cookies;
    if ((rc = store_open(cfg->db_url, true, &s->wstore, err, errlen)))
        goto fail;
    if ((rc = server_listen(cfg->listen, &s->fd, &v6, portp, err, errlen)))
        goto fail;
    if ((rc = server_tls_read(s, cfg, err, errlen)))
        goto fail;
    if ((rc = passwd_hash("openline-stats dummy password", s->dummy, sizeof(s->dummy)))) {
        snprintf(err, errlen, "the password hash library (libxcrypt) does not work");
        goto fail;
    }
    if ((rc = store_pool_alloc(&s->pool, cfg->db_url, 8)) ||
        (rc = ratelimit_alloc(&s->rate, cfg->rate))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    /* Behind a proxy (--per-ip 0) every sign-in comes from its address: limit by name only. */
    signin_per_address(signin_process(), cfg->per_ip != 0);
    if ((rc = writer_start(&s->writer, s->wstore))) {
        snprintf(err, errlen, "cannot start the writer thread: %s", strerror(rc));
        goto fail;
    }

    unsigned max_conn = server_max_connections(cfg->max_connections);
    s->wd.evict_at = SERVER_EVICT_AT(max_conn);
    s->wd.body_deadline_s = cfg->timeout_s;
    if ((rc = pthread_create(&s->wd.thread, NULL, server_watchdog, &s->wd))) {
        snprintf(err, errlen, "cannot start the connection watchdog: %s", strerror(rc));
        goto fail;
    }
    s->wd.running = true;

    s->timeout_s = cfg->timeout_s;
    if ((rc = server_daemon_start(s, cfg, v6, max_conn, err, errlen)))
        goto fail;
    s->started = true;
    s->fd = -1; /* the daemon owns the listening socket now and closes it when stopped */
    *sp = s;
    return 0;
fail:
    server_stop(s);
    return rc;
}

void server_stop(struct server *s)
{
    if (!s)
        return;
    if (s->daemon) {
        /* Stop accepting; answer what was taken (new requests on open connections get 503
         * and Connection: close); then stop. MHD_stop_daemon alone closes connections whose
         * handler is still waiting for its commit: their batch is stored, their reply lost. */
        MHD_socket lfd = MHD_quiesce_daemon(s->daemon);
        if (lfd != MHD_INVALID_SOCKET)
            close(lfd);
        atomic_store(&s->stopping, true);
        int64_t until =
            (int64_t)clock_now_ms() + (int64_t)(s->timeout_s ? s->timeout_s : 30) * 1000;
        while (atomic_load(&s->active) && (int64_t)clock_now_ms() < until)
            usleep(10 * 1000);
        if (atomic_load(&s->active)) {
            log_info("stopping with %u requests unanswered after %u s", atomic_load(&s->active),
                     s->timeout_s);
            /* Requests still at the writer (a store that hangs): it finishes them before the
             * daemon frees their connections, which its resumption still points at. */
            writer_stop(s->writer);
            s->writer = NULL;
        }
        MHD_stop_daemon(s->daemon);
    }
    if (s->wd.running) {
        pthread_mutex_lock(&s->wd.lock);
        s->wd.stop = true;
        pthread_cond_signal(&s->wd.wake);
        pthread_mutex_unlock(&s->wd.lock);
        pthread_join(s->wd.thread, NULL);
    }
    pthread_mutex_destroy(&s->wd.lock);
    pthread_cond_destroy(&s->wd.wake);
    if (s->fd >= 0)
        close(s->fd);
    writer_stop(s->writer);
    store_close(s->wstore);
    store_pool_free(s->pool);
    ratelimit_free(s->rate);
    if (s->key)
        explicit_bzero(s->key, strlen(s->key));
    free(s->key);
    free(s->cert);
    free(s);
}
