/* openline-stats: the collector of OpenLine's anonymized usage counts and its staff dashboard. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>

#include "openline/day.h"
#include "passwd.h"
#include "server.h"
#include "slog.h"
#include "store/store.h"
#include "token.h"

#ifndef OPENLINE_VERSION
#define OPENLINE_VERSION "0.0.0"
#endif

/* Exit codes: 0 done, 1 failed, 2 used wrongly. */
enum { MAIN_OK = 0, MAIN_FAIL = 1, MAIN_USAGE = 2 };

static const char main_usage[] =
    "Usage: openline-stats COMMAND [ARGUMENTS] [OPTIONS]\n"
    "\n"
    "The collector of OpenLine's anonymized, noisy usage counts, and the dashboard where\n"
    "campaign staff see their reach. See docs/openline-stats.md.\n"
    "\n"
    "Commands:\n"
    "  serve                 receive batches and heartbeats; serve the dashboard and CSV\n"
    "  kiosk add SITE-NAME   add a kiosk at a site; prints its token once (only a hash is kept)\n"
    "  kiosk list            list kiosks with their latest heartbeat\n"
    "  kiosk revoke ID       refuse a kiosk's token from now on\n"
    "  staff add NAME        add a staff member; reads the password from standard input\n"
    "  staff token NAME      print a new read-only token for /export.csv (replaces the old)\n"
    "  staff list            list staff members\n"
    "  staff remove NAME     remove a staff member and end their sessions\n"
    "\n"
    "Options of every command:\n"
    "  --db URL              sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE; default\n"
    "                        sqlite:$STATE_DIRECTORY/stats.db if set, else\n"
    "                        sqlite:/var/lib/openline-stats/stats.db\n"
    "  -h, --help            show this help\n"
    "  --version             show the version\n"
    "  --                    the end of options: a name after it may start with -\n"
    "                        (openline-stats kiosk add -- \"-2 North\")\n"
    "\n"
    "Options of serve:\n"
    "  --listen ADDR:PORT    where to listen (default 127.0.0.1:8080; [::1]:8080 for IPv6;\n"
    "                        port 0 picks a free port, printed when listening)\n"
    "  --tls-cert FILE       serve HTTPS with this PEM certificate chain...\n"
    "  --tls-key FILE        ...and this unencrypted PEM private key\n"
    "  --secure-cookies      mark cookies Secure although TLS ends at a proxy in front\n"
    "  --rate N              requests per minute per kiosk token (default 60; 0: no limit)\n"
    "  --max-connections N   open connections at once (default 1024)\n"
    "  --timeout SECONDS     close a connection idle this long (default 30)\n"
    "  --per-ip N            connections per client address (default 64; 0: no limit, for\n"
    "                        a load balancer in front). Addresses are never stored or logged.\n";

enum main_opt {
    OPT_DB = 256,
    OPT_LISTEN,
    OPT_TLS_CERT,
    OPT_TLS_KEY,
    OPT_SECURE_COOKIES,
    OPT_RATE,
    OPT_MAX_CONNECTIONS,
    OPT_TIMEOUT,
    OPT_PER_IP,
    OPT_VERSION,
};

struct main_args {
    const char *db;
    char db_default[512];
    struct server_config serve;
    bool serve_only; /* an option of serve was given */
    char **pos;      /* command and its arguments */
    int npos;
};

static int main_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print one line for a person and return MAIN_USAGE. */
static int main_bad(const char *fmt, ...)
{
    va_list ap;
    fputs("openline-stats: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see openline-stats --help)\n", stderr);
    return MAIN_USAGE;
}

static int main_uint(const char *opt, const char *s, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v > max)
        return main_bad("%s: expected a whole number from 0 to %u, not \"%s\"", opt, max, s);
    *out = (unsigned)v;
    return 0;
}

static int main_parse(int argc, char **argv, struct main_args *a)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"tls-cert", required_argument, NULL, OPT_TLS_CERT},
        {"tls-key", required_argument, NULL, OPT_TLS_KEY},
        {"secure-cookies", no_argument, NULL, OPT_SECURE_COOKIES},
        {"rate", required_argument, NULL, OPT_RATE},
        {"max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"per-ip", required_argument, NULL, OPT_PER_IP},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int c, err;

    store_default_url(a->db_default, sizeof(a->db_default));
    a->db = a->db_default;
    a->serve = (struct server_config){
        .listen = "127.0.0.1:8080",
        .rate = 60,
        .max_connections = 1024,
        .timeout_s = 30,
        .per_ip = 64,
    };
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c != OPT_DB && c != 'h' && c != OPT_VERSION && c != '?' && c != ':')
            a->serve_only = true;
        switch (c) {
        case OPT_DB:
            a->db = optarg;
            break;
        case OPT_LISTEN:
            a->serve.listen = optarg;
            break;
        case OPT_TLS_CERT:
            a->serve.tls_cert = optarg;
            break;
        case OPT_TLS_KEY:
            a->serve.tls_key = optarg;
            break;
        case OPT_SECURE_COOKIES:
            a->serve.secure_cookies = true;
            break;
        case OPT_RATE:
            if ((err = main_uint("--rate", optarg, 1000000, &a->serve.rate)))
                return err;
            break;
        case OPT_MAX_CONNECTIONS:
            if ((err = main_uint("--max-connections", optarg, 65536, &a->serve.max_connections)))
                return err;
            if (!a->serve.max_connections)
                return main_bad("--max-connections: must be at least 1");
            break;
        case OPT_TIMEOUT:
            if ((err = main_uint("--timeout", optarg, 86400, &a->serve.timeout_s)))
                return err;
            break;
        case OPT_PER_IP:
            if ((err = main_uint("--per-ip", optarg, 65536, &a->serve.per_ip)))
                return err;
            break;
        case 'h':
            fputs(main_usage, stdout);
            exit(MAIN_OK);
        case OPT_VERSION:
            printf("openline-stats %s\n", OPENLINE_VERSION);
            exit(MAIN_OK);
        default:
            if (optopt)
                return main_bad("unknown option or missing value: -%c (a name that starts with "
                                "- goes after --: kiosk add -- NAME)",
                                optopt);
            return main_bad("unknown option or missing value: %s (a name that starts with - "
                            "goes after --)",
                            argv[optind - 1]);
        }
    }
    return 0;
}

static int main_open(const struct main_args *a, struct store **stp)
{
    char err[512];
    int rc = store_open(a->db, true, stp, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "openline-stats: %s\n", err);
        return rc == EINVAL ? MAIN_USAGE : MAIN_FAIL;
    }
    return MAIN_OK;
}

static int main_serve(struct main_args *a)
{
    struct server *srv = NULL;
    char err[512];
    unsigned port = 0;
    sigset_t set;
    int sig = 0;

    /* Every thread inherits the blocked signals; this one waits for them. A shell may have
     * started us with SIGINT ignored: take it back. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    a->serve.db_url = a->db;
    int rc = server_start(&srv, &a->serve, &port, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "openline-stats: %s\n", err);
        return rc == EINVAL ? MAIN_USAGE : MAIN_FAIL;
    }
    slog("listening on port %u (%s); database %s", port, server_tls(srv) ? "https" : "http",
         strncmp(a->db, "sqlite:", 7) ? "PostgreSQL" : a->db);
    while (sigwait(&set, &sig) == EINTR)
        ;
    slog("stopping on %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_stop(srv);
    slog("stopped");
    return MAIN_OK;
}

/* A site name: 1 to STORE_SITE_MAX bytes of UTF-8 without control characters. */
static bool main_site_ok(const char *s)
{
    size_t len = strlen(s);
    if (!len || len > STORE_SITE_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f)
            return false;
    }
    json_t *probe = json_stringn(s, len); /* jansson refuses invalid UTF-8 */
    json_decref(probe);
    return probe != NULL;
}

static bool main_staff_name_ok(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-");
    return s[n] == '\0' && n >= 1 && n <= STORE_NAME_MAX;
}

static int main_kiosk_row(const struct store_kiosk_info *k, void *arg)
{
    char day[DAY_STR_LEN + 1] = "-";
    (void)arg;
    if (k->has_heartbeat)
        day_format(k->day, day);
    printf("%-5" PRId64 " %-24s %-8s %-11s %-10s %-6" PRId64 " %-9s %s\n", k->id, k->site,
           k->revoked ? "revoked" : "active", day, k->has_heartbeat ? k->version : "-",
           k->has_heartbeat ? k->spool_depth : 0, k->has_heartbeat ? k->clock : "-",
           k->has_heartbeat ? k->self_test : "-");
    return 0;
}

static int main_kiosk(const struct main_args *a)
{
    struct store *st = NULL;
    const char *verb = a->npos > 1 ? a->pos[1] : "";
    int rc = MAIN_USAGE, err;

    if (!strcmp(verb, "add")) {
        if (a->npos != 3)
            return main_bad("usage: openline-stats kiosk add SITE-NAME");
        if (!main_site_ok(a->pos[2]))
            return main_bad("site name: 1 to %d bytes of UTF-8 text, no control characters",
                            STORE_SITE_MAX);
    } else if (!strcmp(verb, "list")) {
        if (a->npos != 2)
            return main_bad("usage: openline-stats kiosk list");
    } else if (!strcmp(verb, "revoke")) {
        if (a->npos != 3)
            return main_bad("usage: openline-stats kiosk revoke ID");
    } else {
        return main_bad("kiosk: expected add, list or revoke");
    }
    if ((rc = main_open(a, &st)))
        return rc;
    rc = MAIN_FAIL;

    if (!strcmp(verb, "add")) {
        char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
        int64_t id;
        if ((err = token_new(token))) {
            fprintf(stderr, "openline-stats: no random numbers: %s\n", strerror(err));
            goto out;
        }
        token_hash(token, TOKEN_LEN, hash);
        if (store_kiosk_add(st, a->pos[2], hash, &id))
            goto out;
        printf("%s\n", token);
        fprintf(stderr,
                "openline-stats: kiosk %" PRId64 " added at site \"%s\"; its token (above) is "
                "shown only this once\n",
                id, a->pos[2]);
    } else if (!strcmp(verb, "list")) {
        printf("%-5s %-24s %-8s %-11s %-10s %-6s %-9s %s\n", "ID", "SITE", "STATUS", "HEARTBEAT",
               "VERSION", "SPOOL", "CLOCK", "SELF-TEST");
        if (store_kiosk_list(st, main_kiosk_row, NULL))
            goto out;
    } else {
        char *end;
        errno = 0;
        long long id = strtoll(a->pos[2], &end, 10);
        if (errno || end == a->pos[2] || *end || id <= 0) {
            rc = main_bad("kiosk revoke: ID is a number from `kiosk list`, not \"%s\"", a->pos[2]);
            goto out;
        }
        err = store_kiosk_revoke(st, id);
        if (err == ENOENT) {
            fprintf(stderr, "openline-stats: there is no kiosk %lld\n", id);
            goto out;
        }
        if (err)
            goto out;
        fprintf(stderr, "openline-stats: kiosk %lld revoked\n", id);
    }
    rc = MAIN_OK;
out:
    store_close(st);
    return rc;
}

/* Read a password: from a terminal with the echo off (twice), else the first line of stdin. */
static int main_read_password(char *pw, size_t len)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    char again[PASSWD_MAX + 2];
    int rc = MAIN_FAIL;

    if (tty) {
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        fputs("Password: ", stderr);
    }
    if (!fgets(pw, (int)len, stdin)) {
        fprintf(stderr, "%sopenline-stats: no password on standard input\n", tty ? "\n" : "");
        goto out;
    }
    if (tty) {
        fputs("\nAgain: ", stderr);
        if (!fgets(again, sizeof(again), stdin))
            again[0] = '\0';
        fputs("\n", stderr);
    }
    size_t n = strcspn(pw, "\r\n");
    if (pw[n] == '\0' && n == len - 1) {
        fprintf(stderr, "openline-stats: the password is longer than %d bytes\n", PASSWD_MAX);
        goto out;
    }
    pw[n] = '\0';
    if (tty) {
        again[strcspn(again, "\r\n")] = '\0';
        if (strcmp(pw, again)) {
            fprintf(stderr, "openline-stats: the two passwords differ\n");
            goto out;
        }
    }
    if (n < PASSWD_MIN) {
        fprintf(stderr, "openline-stats: the password must have at least %d characters\n",
                PASSWD_MIN);
        goto out;
    }
    rc = MAIN_OK;
out:
    if (tty)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    explicit_bzero(again, sizeof(again));
    return rc;
}

static int main_staff_row(int64_t id, const char *name, bool has_token, void *arg)
{
    (void)arg;
    printf("%-5" PRId64 " %-24s %s\n", id, name, has_token ? "yes" : "no");
    return 0;
}

static int main_staff(const struct main_args *a)
{
    struct store *st = NULL;
    const char *verb = a->npos > 1 ? a->pos[1] : "";
    char pw[PASSWD_MAX + 2], hash[PASSWD_HASH_MAX];
    int rc, err;

    if (!strcmp(verb, "list")) {
        if (a->npos != 2)
            return main_bad("usage: openline-stats staff list");
    } else if (!strcmp(verb, "add") || !strcmp(verb, "token") || !strcmp(verb, "remove")) {
        if (a->npos != 3)
            return main_bad("usage: openline-stats staff %s NAME", verb);
        if (!main_staff_name_ok(a->pos[2]))
            return main_bad("staff name: 1 to %d of A-Z a-z 0-9 . _ @ -", STORE_NAME_MAX);
    } else {
        return main_bad("staff: expected add, token, list or remove");
    }
    if (!strcmp(verb, "add") && (rc = main_read_password(pw, sizeof(pw))))
        return rc;
    if ((rc = main_open(a, &st)))
        goto out;
    rc = MAIN_FAIL;

    if (!strcmp(verb, "add")) {
        if (passwd_hash(pw, hash, sizeof(hash))) {
            fprintf(stderr, "openline-stats: cannot hash the password (libxcrypt)\n");
            goto out;
        }
        err = store_staff_add(st, a->pos[2], hash);
        if (err == EEXIST)
            fprintf(stderr, "openline-stats: staff member \"%s\" exists already\n", a->pos[2]);
        if (err)
            goto out;
        fprintf(stderr, "openline-stats: staff member \"%s\" added\n", a->pos[2]);
    } else if (!strcmp(verb, "token")) {
        char token[TOKEN_LEN + 1], th[TOKEN_HASH_LEN + 1];
        if ((err = token_new(token))) {
            fprintf(stderr, "openline-stats: no random numbers: %s\n", strerror(err));
            goto out;
        }
        token_hash(token, TOKEN_LEN, th);
        err = store_staff_set_token(st, a->pos[2], th);
        if (err == ENOENT)
            fprintf(stderr, "openline-stats: there is no staff member \"%s\"\n", a->pos[2]);
        if (err)
            goto out;
        printf("%s\n", token);
        fprintf(stderr,
                "openline-stats: read-only token of \"%s\" (above) works on /export.csv only; "
                "it replaces any earlier one and is shown only this once\n",
                a->pos[2]);
    } else if (!strcmp(verb, "remove")) {
        err = store_staff_remove(st, a->pos[2]);
        if (err == ENOENT)
            fprintf(stderr, "openline-stats: there is no staff member \"%s\"\n", a->pos[2]);
        if (err)
            goto out;
        fprintf(stderr, "openline-stats: staff member \"%s\" removed\n", a->pos[2]);
    } else {
        printf("%-5s %-24s %s\n", "ID", "NAME", "READ-ONLY TOKEN");
        if (store_staff_list(st, main_staff_row, NULL))
            goto out;
    }
    rc = MAIN_OK;
out:
    explicit_bzero(pw, sizeof(pw));
    store_close(st);
    return rc;
}

int main(int argc, char **argv)
{
    struct main_args a = {0};
    int rc;

    if (argc < 2) {
        fputs(main_usage, stderr);
        return MAIN_USAGE;
    }
    if ((rc = main_parse(argc, argv, &a)))
        return rc;
    /* getopt_long moved the words after the options, in their order. */
    a.pos = &argv[optind];
    a.npos = argc - optind;
    if (a.npos == 0) {
        fputs(main_usage, stderr);
        return MAIN_USAGE;
    }
    if (token_init()) {
        fprintf(stderr, "openline-stats: libsodium failed to start\n");
        return MAIN_FAIL;
    }
    /* The database holds token and password hashes: nobody else reads the files made here. */
    umask(077);

    const char *cmd = a.pos[0];
    if (strcmp(cmd, "serve") && a.serve_only)
        return main_bad("--listen, --tls-*, --rate and the other serve options go with serve");
    if (!strcmp(cmd, "serve")) {
        if (a.npos != 1)
            return main_bad("serve takes no arguments, only options");
        return main_serve(&a);
    }
    if (!strcmp(cmd, "kiosk"))
        return main_kiosk(&a);
    if (!strcmp(cmd, "staff"))
        return main_staff(&a);
    return main_bad("unknown command \"%s\"", cmd);
}
