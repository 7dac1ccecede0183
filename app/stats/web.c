/* Staff pages: log-in and log-out (session cookies, CSRF checks), dashboard, CSV export. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "csv.h"
#include "dashboard.h"
#include "openline/clock.h"
#include "openline/day.h"
#include "openline/log.h"
#include "report.h"
#include "server.h"
#include "signin.h"
#include "store/pool.h"

#define WEB_SESSION_COOKIE "ol_session"
#define WEB_CSRF_COOKIE    "ol_csrf"
/* How long a log-in lasts at least, in seconds; its expiry is rounded up to WEB_SESSION_ROUND_S
 * (so a session lasts 12 to 13 hours). */
#define WEB_SESSION_S       (12 * 3600)
#define WEB_SESSION_ROUND_S 3600
/* Weeks shown when the range is not given. */
#define WEB_DEFAULT_WEEKS 12

static enum MHD_Result web_unavailable(struct MHD_Connection *c)
{
    return server_page(c, MHD_HTTP_SERVICE_UNAVAILABLE, "Database unavailable",
                       "The database does not answer. Try again in a minute.");
}

/* Build a Set-Cookie value: name=value with the attributes every cookie here has. */
static void web_cookie(struct server *s, char *out, size_t len, const char *name, const char *value,
                       const char *path, int max_age)
{
    snprintf(out, len, "%s=%s; Path=%s; Max-Age=%d; HttpOnly; SameSite=Strict%s", name, value, path,
             max_age, server_secure_cookies(s) ? "; Secure" : "");
}

/* The token of the sign-out form of a session: bound to the session, unknown to other sites. */
static void web_logout_token(const char *session, char out[TOKEN_HASH_LEN + 1])
{
    char in[TOKEN_LEN + 16];
    int n = snprintf(in, sizeof(in), "logout:%s", session);
    token_hash(in, (size_t)n, out);
}

/* The staff member signed in on this request, from the session cookie. Returns 0, ENOENT or
 * EIO. csrf (optional) receives the session's sign-out form token. */
static int web_session(struct server *s, struct MHD_Connection *c, char *name,
                       char csrf[TOKEN_HASH_LEN + 1])
{
    const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, WEB_SESSION_COOKIE);
    char hash[TOKEN_HASH_LEN + 1];
    struct store *st;
    int64_t staff;
    int err;

    if (!cookie || !token_well_formed(cookie, strlen(cookie)))
        return ENOENT;
    token_hash(cookie, strlen(cookie), hash);
    if ((err = store_pool_get(server_pool(s), &st)))
        return err;
    err = store_session_get(st, hash, (int64_t)time(NULL), &staff, name);
    store_pool_put(server_pool(s), st);
    if (!err && csrf)
        web_logout_token(cookie, csrf);
    return err;
}

/* What the dashboard and the CSV export were asked for: the period, the sites, the languages,
 * and the sites and languages again as URL query text for the page's links. */
struct web_query {
    struct report_filter f;
    enum dashboard_period period;
    char text[REPORT_FILTER_MAX * 2 * (3 * STORE_SITE_MAX + 8)];
    size_t len;
    char values[2 * REPORT_FILTER_MAX][STORE_SITE_MAX + 1]; /* the names, percent-decoded */
    size_t nvalues;
    int err; /* EINVAL: a bad value; E2BIG: too many sites or languages */
};

/* Append key=value to q->text, value percent-encoded (RFC 3986: unreserved characters kept).
 * Written here: libmicrohttpd decodes query strings but does not encode them. */
static void web_query_add(struct web_query *q, const char *key, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t cap = sizeof(q->text);
    int n = snprintf(q->text + q->len, cap - q->len, "%s%s=", q->len ? "&" : "", key);
    q->len += (size_t)n;
    for (const unsigned char *v = (const unsigned char *)value; *v && q->len + 4 < cap; v++) {
        if ((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9') ||
            strchr("-._~", *v)) {
            q->text[q->len++] = (char)*v;
        } else {
            q->text[q->len++] = '%';
            q->text[q->len++] = hex[*v >> 4];
            q->text[q->len++] = hex[*v & 15];
        }
    }
    q->text[q->len] = '\0';
}

/* A language code as the kiosks send it: 2 or 3 lowercase letters, then "-" and a region or
 * script of letters and digits. */
static bool web_lang_ok(const char *v)
{
    size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyz");
    if (n < 2 || n > 3)
        return false;
    if (!v[n])
        return true;
    return v[n] == '-' && strlen(v + n + 1) >= 2 && strlen(v) <= INGEST_NAME_MAX - 5 &&
           strspn(v + n + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
               strlen(v + n + 1);
}

static enum MHD_Result web_query_arg(void *arg, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    struct web_query *q = arg;
    (void)kind;
    bool site = !strcmp(key, "site"), lang = !strcmp(key, "lang");
    if ((!site && !lang) || !value || !*value)
        return MHD_YES;
    size_t *n = site ? &q->f.nsites : &q->f.nlangs;
    if (*n >= REPORT_FILTER_MAX) {
        q->err = E2BIG;
        return MHD_NO;
    }
    /* The server keeps queries as sent (server.c): decode the percent escapes here, and refuse a
     * decoded NUL. */
    char raw[3 * STORE_SITE_MAX + 1];
    size_t rawlen = strlen(value);
    if (rawlen >= sizeof(raw)) {
        q->err = EINVAL;
        return MHD_NO;
    }
    memcpy(raw, value, rawlen + 1);
    size_t len = MHD_http_unescape(raw);
    if (len != strlen(raw) || len > STORE_SITE_MAX || (lang && !web_lang_ok(raw))) {
        q->err = EINVAL;
        return MHD_NO;
    }
    char *v = q->values[q->nvalues++];
    memcpy(v, raw, len + 1);
    value = v;
    (site ? q->f.sites : q->f.langs)[(*n)++] = value;
    web_query_add(q, key, value);
    return MHD_YES;
}

/* Parse the query: period=NAME, or from and to (to defaults to today, from to 12 weeks before
 * to's week), then any number of site= and lang=. Returns 0, EINVAL (a bad date, period, site or
 * language; *why says which), E2BIG or ERANGE (from after to). */
static int web_query_parse(struct MHD_Connection *c, int32_t today, struct web_query *q,
                           const char **why)
{
    const char *from = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "from");
    const char *to = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to");
    const char *period = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "period");
    int32_t f, t = today;

    *why = "Dates are written YYYY-MM-DD.";
    if (period && *period) {
        while (q->period < DASHBOARD_PERIODS && strcmp(dashboard_period_names[q->period], period))
            q->period++;
        *why = "The period is this-quarter, last-quarter, last-12-months or this-year.";
        if (q->period == DASHBOARD_RANGE || q->period == DASHBOARD_PERIODS)
            return EINVAL;
        dashboard_period_days(q->period, today, &f, &t);
    } else {
        if (to && *to && day_parse(to, strlen(to), &t))
            return EINVAL;
        f = day_monday(t) - 7 * WEB_DEFAULT_WEEKS;
        if (from && *from && day_parse(from, strlen(from), &f))
            return EINVAL;
    }
    *why = "The range ends before it starts.";
    if (f > t)
        return ERANGE;
    q->f.from_day = f;
    q->f.to_day = t;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, web_query_arg, q);
    *why = q->err == E2BIG ? "At most 32 sites and 32 languages at once."
                           : "A site name is at most 64 bytes; a language is a code like ar or "
                             "pt-BR.";
    return q->err;
}

/* A POST from a page of this server, judged by the browser's Sec-Fetch-Site and Origin. The
 * SameSite=Strict cookies and the form tokens are the main guard; this refuses early. */
static bool web_same_origin(struct MHD_Connection *c)
{
    const char *site = server_header(c, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
        return false;
    const char *origin = server_header(c, "Origin");
    if (!origin)
        return true;
    const char *host = server_header(c, MHD_HTTP_HEADER_HOST);
    if (!host)
        return false;
    const char *rest = !strncmp(origin, "https://", 8)  ? origin + 8
                       : !strncmp(origin, "http://", 7) ? origin + 7
                                                        : NULL;
    return rest && !strcmp(rest, host);
}

static enum MHD_Result web_form_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *filename, const char *content_type,
                                      const char *transfer_encoding, const char *data, uint64_t off,
                                      size_t size)
{
    struct request *rq = cls;
    char *dst;
    size_t cap;
    (void)kind;
    (void)filename;
    (void)content_type;
    (void)transfer_encoding;

    if (!strcmp(key, "name")) {
        dst = rq->name;
        cap = sizeof(rq->name);
    } else if (!strcmp(key, "password")) {
        dst = rq->password;
        cap = sizeof(rq->password);
    } else if (!strcmp(key, "csrf")) {
        dst = rq->csrf;
        cap = sizeof(rq->csrf);
    } else {
        return MHD_YES;
    }
    if (off + size >= cap) {
        rq->form_overflow = true;
        return MHD_YES;
    }
    memcpy(dst + off, data, size);
    dst[off + size] = '\0';
    return MHD_YES;
}

/* Decode the url-encoded form in the body with libmicrohttpd's post processor. */
static int web_form(struct MHD_Connection *c, struct request *rq)
{
    struct MHD_PostProcessor *pp = MHD_create_post_processor(c, 1024, web_form_field, rq);
    if (!pp)
        return EINVAL;
    enum MHD_Result ok = MHD_YES;
    if (rq->body.len)
        ok = MHD_post_process(pp, rq->body.data, rq->body.len);
    enum MHD_Result done = MHD_destroy_post_processor(pp);
    if (ok != MHD_YES || done != MHD_YES || rq->form_overflow)
        return EINVAL;
    return 0;
}

/* The sign-in form with status and message (optional); retry_s > 0 adds Retry-After. */
static enum MHD_Result web_login_form(struct server *s, struct MHD_Connection *c, unsigned status,
                                      const char *message, unsigned retry_s)
{
    char csrf[TOKEN_LEN + 1], cookie[200], retry[16];
    struct buf b = {0};
    enum MHD_Result ret = MHD_NO;

    if (token_new(csrf))
        return MHD_NO;
    web_cookie(s, cookie, sizeof(cookie), WEB_CSRF_COOKIE, csrf, "/login", 3600);
    snprintf(retry, sizeof(retry), "%u", retry_s);
    /* Without retry_s the list ends after the cookie. */
    const char *h[] = {MHD_HTTP_HEADER_SET_COOKIE, cookie,
                       retry_s ? MHD_HTTP_HEADER_RETRY_AFTER : NULL, retry, NULL};
    dashboard_login(&b, csrf, message);
    if (!b.err)
        ret = server_reply(c, status, "text/html; charset=utf-8", b.data, b.len, h);
    buf_free(&b);
    return ret;
}

/* A sign-in refused before any password check (429, 503): the form, saying when to come back. */
static enum MHD_Result web_login_later(struct server *s, struct MHD_Connection *c, unsigned status,
                                       unsigned retry_s, const char *why)
{
    char msg[160];
    snprintf(msg, sizeof(msg), "%s Try again in %u second%s.", why, retry_s,
             retry_s == 1 ? "" : "s");
    return web_login_form(s, c, status, msg, retry_s);
}

enum MHD_Result web_login_page(struct server *s, struct MHD_Connection *c, struct request *rq)
{
    char name[STORE_NAME_MAX + 1];
    (void)rq;
    int err = web_session(s, c, name, NULL);
    if (!err)
        return server_redirect(c, "/", NULL);
    if (err != ENOENT)
        return web_unavailable(c);
    return web_login_form(s, c, MHD_HTTP_OK, NULL, 0);
}

/* Check name and password: *staffp and SIGNIN_OK, or SIGNIN_WRONG for an unknown name or a wrong
 * password alike (an unknown name is checked against a dummy hash: it takes as long), or
 * SIGNIN_NOT_CHECKED with *errp EIO (database) or ENOMEM. */
static enum signin_result web_check(struct server *s, struct request *rq, int64_t *staffp,
                                    int *errp)
{
    char pwhash[PASSWD_HASH_MAX];
    struct store *st;
    bool ok = false;

    if ((*errp = store_pool_get(server_pool(s), &st)))
        return SIGNIN_NOT_CHECKED;
    int err = store_staff_get(st, rq->name, staffp, pwhash, sizeof(pwhash));
    store_pool_put(server_pool(s), st);
    if (err && err != ENOENT) {
        *errp = err;
        return SIGNIN_NOT_CHECKED;
    }
    *errp = passwd_verify(rq->password, err ? server_dummy_hash(s) : pwhash, &ok);
    explicit_bzero(pwhash, sizeof(pwhash));
    if (*errp)
        return SIGNIN_NOT_CHECKED;
    return !err && ok ? SIGNIN_OK : SIGNIN_WRONG;
}

/* POST /login. Every name gets the same replies, existing or not: the limits (signin.c) go by
 * a keyed hash of the name as typed and of the client address, never by the staff member. */
enum MHD_Result web_login(struct server *s, struct MHD_Connection *c, struct request *rq)
{
    char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    char cookie[200], clear[200];
    struct signin *g = signin_process();
    struct signin_attempt at;
    struct store *st;
    int64_t staff = 0;
    unsigned retry = 1;
    int err;

    if (!web_same_origin(c)) {
        log_info("refused /login: 403 cross-site request");
        return server_page(c, MHD_HTTP_FORBIDDEN, "Refused", "Sign in from this site's own page.");
    }
    if (web_form(c, rq))
        return server_page(c, MHD_HTTP_BAD_REQUEST, "Bad request", "The sign-in form was garbled.");
    const char *want = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, WEB_CSRF_COOKIE);
    if (!want || !rq->csrf[0] || !token_equal(want, rq->csrf)) {
        log_info("refused /login: 403 missing or wrong form token");
        return web_login_form(s, c, MHD_HTTP_FORBIDDEN,
                              "The sign-in form had expired. Please sign in again.", 0);
    }

    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    switch (signin_begin(g, ci ? ci->client_addr : NULL, rq->name, (int64_t)clock_now_ms(), &at,
                         &retry)) {
    case SIGNIN_WAIT:
        signin_log(g, SIGNIN_LOG_WAIT, (int64_t)clock_now_ms());
        return web_login_later(s, c, MHD_HTTP_TOO_MANY_REQUESTS, retry, "Too many attempts.");
    case SIGNIN_BUSY:
        signin_log(g, SIGNIN_LOG_BUSY, (int64_t)clock_now_ms());
        return web_login_later(s, c, MHD_HTTP_SERVICE_UNAVAILABLE, retry,
                               "The server is busy signing others in.");
    case SIGNIN_GO:
        break;
    }
    enum signin_result r = web_check(s, rq, &staff, &err);
    signin_end(g, &at, r, (int64_t)clock_now_ms());
    if (r == SIGNIN_NOT_CHECKED)
        return err == EIO ? web_unavailable(c) : MHD_NO;
    if (r == SIGNIN_WRONG) {
        signin_log(g, SIGNIN_LOG_WRONG, (int64_t)clock_now_ms());
        return web_login_form(s, c, MHD_HTTP_UNAUTHORIZED, "Wrong name or password.", 0);
    }

    if (token_new(token))
        return MHD_NO;
    token_hash(token, TOKEN_LEN, hash);
    /* Stored on the hour: an expiry to the second would say when the staff member signed in. */
    int64_t now = (int64_t)time(NULL);
    int64_t expires =
        (now + WEB_SESSION_S + WEB_SESSION_ROUND_S - 1) / WEB_SESSION_ROUND_S * WEB_SESSION_ROUND_S;
    if ((err = store_pool_get(server_pool(s), &st)))
        return web_unavailable(c);
    err = store_session_add(st, hash, staff, expires);
    store_pool_put(server_pool(s), st);
    if (err)
        return web_unavailable(c);
    web_cookie(s, cookie, sizeof(cookie), WEB_SESSION_COOKIE, token, "/", (int)(expires - now));
    web_cookie(s, clear, sizeof(clear), WEB_CSRF_COOKIE, "", "/login", 0);
    const char *h[] = {MHD_HTTP_HEADER_SET_COOKIE, cookie, MHD_HTTP_HEADER_SET_COOKIE, clear, NULL};
    explicit_bzero(token, sizeof(token));
    return server_redirect(c, "/", h);
}

enum MHD_Result web_logout(struct server *s, struct MHD_Connection *c, struct request *rq)
{
    char name[STORE_NAME_MAX + 1], csrf[TOKEN_HASH_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    char clear[200];
    struct store *st;

    if (!web_same_origin(c)) {
        log_info("refused /logout: 403 cross-site request");
        return server_page(c, MHD_HTTP_FORBIDDEN, "Refused", "Sign out from this site's own page.");
    }
    if (web_form(c, rq))
        return server_page(c, MHD_HTTP_BAD_REQUEST, "Bad request", "The form was garbled.");
    int err = web_session(s, c, name, csrf);
    if (err == ENOENT)
        return server_redirect(c, "/login", NULL);
    if (err)
        return web_unavailable(c);
    if (!token_equal(csrf, rq->csrf)) {
        log_info("refused /logout: 403 missing or wrong form token");
        return server_page(c, MHD_HTTP_FORBIDDEN, "Refused", "Sign out from this site's own page.");
    }
    const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, WEB_SESSION_COOKIE);
    token_hash(cookie, strlen(cookie), hash);
    if (store_pool_get(server_pool(s), &st))
        return web_unavailable(c);
    err = store_session_remove(st, hash);
    store_pool_put(server_pool(s), st);
    if (err)
        return web_unavailable(c);
    web_cookie(s, clear, sizeof(clear), WEB_SESSION_COOKIE, "", "/", 0);
    const char *h[] = {MHD_HTTP_HEADER_SET_COOKIE, clear, NULL};
    return server_redirect(c, "/login", h);
}

/* Load the kiosks' health and the report of q as of today, through a store of the pool given
 * back before the page is rendered. Returns 0, ERANGE (the range is too long), EIO or ENOMEM. */
static int web_report(struct server *s, const struct web_query *q, int32_t today,
                      struct report **rp, struct report_health **hp)
{
    struct store *st;

    if (store_pool_get(server_pool(s), &st))
        return EIO;
    int err = report_health_load(hp, st, today);
    if (!err && (err = report_load(rp, st, &q->f, *hp, today))) {
        report_health_free(*hp);
        *hp = NULL;
    }
    store_pool_put(server_pool(s), st);
    return err;
}

/* A 400 reply for a bad query: a page for a person, plain text for a CSV client. */
static enum MHD_Result web_bad_query(struct MHD_Connection *c, bool page, const char *why)
{
    char msg[300];
    if (page)
        return server_page(c, MHD_HTTP_BAD_REQUEST, "Bad period or filter", why);
    int n = snprintf(msg, sizeof(msg),
                     "%s Use from=YYYY-MM-DD&to=YYYY-MM-DD or period=this-quarter|last-quarter|"
                     "last-12-months|this-year, by=week|site|site-week|language|page, and any "
                     "number of site=NAME and lang=CODE.\n",
                     why);
    return server_reply(c, MHD_HTTP_BAD_REQUEST, "text/plain; charset=utf-8", msg, (size_t)n, NULL);
}

enum MHD_Result web_dashboard(struct server *s, struct MHD_Connection *c, struct request *rq)
{
    char name[STORE_NAME_MAX + 1], csrf[TOKEN_HASH_LEN + 1];
    struct report *r = NULL;
    struct report_health *health = NULL;
    struct web_query q = {0};
    struct buf b = {0};
    int32_t today = day_today();
    const char *why;
    enum MHD_Result ret;
    (void)rq;

    int err = web_session(s, c, name, csrf);
    if (err == ENOENT)
        return server_redirect(c, "/login", NULL);
    if (err)
        return web_unavailable(c);
    if (web_query_parse(c, today, &q, &why))
        return web_bad_query(c, true, why);
    err = web_report(s, &q, today, &r, &health);
    if (err == ERANGE)
        return web_bad_query(c, true, "The range is longer than ten years.");
    if (err)
        return err == EIO ? web_unavailable(c) : MHD_NO;
    struct dashboard_page p = {.r = r,
                               .health = health,
                               .period = q.period,
                               .filter_query = q.text,
                               .now = (int64_t)time(NULL),
                               .staff = name,
                               .csrf = csrf};
    dashboard_render(&b, &p);
    ret = b.err ? MHD_NO
                : server_reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", b.data, b.len, NULL);
    report_health_free(health);
    report_free(r);
    buf_free(&b);
    return ret;
}

/* Whether the request carries a staff member's read-only token (only /export.csv takes it). */
static int web_export_token(struct server *s, struct MHD_Connection *c)
{
    const char *auth = server_header(c, MHD_HTTP_HEADER_AUTHORIZATION);
    char hash[TOKEN_HASH_LEN + 1];
    struct store *st;
    int64_t staff;

    if (!auth || strncasecmp(auth, "Bearer ", 7))
        return ENOENT;
    const char *tok = auth + 7;
    while (*tok == ' ')
        tok++;
    if (!token_well_formed(tok, strlen(tok)))
        return ENOENT;
    token_hash(tok, strlen(tok), hash);
    if (store_pool_get(server_pool(s), &st))
        return EIO;
    int err = store_staff_by_token(st, hash, &staff);
    store_pool_put(server_pool(s), st);
    return err;
}

enum MHD_Result web_export(struct server *s, struct MHD_Connection *c, struct request *rq)
{
    static const char *const www[] = {"WWW-Authenticate", "Bearer realm=\"openline-stats\"", NULL};
    char name[STORE_NAME_MAX + 1], fname[120], disp[160];
    char f[DAY_STR_LEN + 1], t[DAY_STR_LEN + 1];
    struct report *r = NULL;
    struct report_health *health = NULL;
    struct web_query q = {0};
    struct buf b = {0};
    enum csv_by by = CSV_BY_WEEK;
    int32_t today = day_today();
    const char *why = "";
    enum MHD_Result ret;
    (void)rq;

    int err = web_session(s, c, name, NULL);
    if (err == ENOENT)
        err = web_export_token(s, c);
    if (err == ENOENT) {
        log_info("refused /export.csv: 401 no session or read-only token");
        static const char msg[] = "Sign in, or send a staff read-only token.\n";
        return server_reply(c, MHD_HTTP_UNAUTHORIZED, "text/plain; charset=utf-8", msg,
                            sizeof(msg) - 1, www);
    }
    if (err)
        return web_unavailable(c);

    const char *bys = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "by");
    if ((bys && csv_by_parse(bys, &by)) || web_query_parse(c, today, &q, &why))
        return web_bad_query(c, false, bys && csv_by_parse(bys, &by) ? "Unknown grouping." : why);
    err = web_report(s, &q, today, &r, &health);
    if (err == ERANGE)
        return web_bad_query(c, false, "The range is longer than ten years.");
    if (err)
        return web_unavailable(c);
    csv_render(&b, r, by);
    report_free(r);
    report_health_free(health);
    if (b.err) {
        buf_free(&b);
        return MHD_NO;
    }
    day_format(q.f.from_day, f);
    day_format(q.f.to_day, t);
    snprintf(fname, sizeof(fname), "openline-stats-%s-%s-%s.csv", csv_by_names[by], f, t);
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", fname);
    const char *h[] = {"Content-Disposition", disp, NULL};
    ret = server_reply(c, MHD_HTTP_OK, "text/csv; charset=utf-8; header=present", b.data, b.len, h);
    buf_free(&b);
    return ret;
}

enum MHD_Result web_health(struct server *s, struct MHD_Connection *c, struct request *rq)
{
    (void)s;
    (void)rq;
    return server_reply(c, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n", 3, NULL);
}
