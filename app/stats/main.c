/* openline-stats: the collector of OpenLine's anonymized usage counts and its staff dashboard. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include <jansson.h>

#include "openline/day.h"
#include "openline/log.h"
#include "openline/util.h"
#include "passwd.h"
#include "server.h"
#include "store/store.h"
#include "token.h"

#ifndef OPENLINE_VERSION
#define OPENLINE_VERSION "0.0.0"
#endif

/* Exit codes: 0 done, 1 failed, 2 used wrongly. */
enum { MAIN_OK = 0, MAIN_FAIL = 1, MAIN_USAGE = 2 };

static const char main_usage_head[] =
    "Usage: openline-stats COMMAND [ARGUMENTS] [OPTIONS]\n"
    "\n"
    "The collector of OpenLine's anonymized, noisy usage counts, and the dashboard where\n"
    "campaign staff see their reach. See docs/openline-stats.md.\n"
    "\n"
    "Commands:\n";

static const char main_usage_options[] =
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
    const char *password; /* read before the database opens, for commands that want one */
};

static void main_usage(FILE *f);

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

/* What a command uses when no option says otherwise (the usage text tells the same). */
static void main_defaults(struct main_args *a)
{
    store_default_url(a->db_default, sizeof(a->db_default));
    a->db = a->db_default;
    a->serve = (struct server_config){
        .listen = "127.0.0.1:8080",
        .rate = 60,
        .max_connections = 1024,
        .timeout_s = 30,
        .per_ip = 64,
    };
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

    main_defaults(a);
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
            main_usage(stdout);
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

static int main_serve(struct main_args *a, struct store *st, const char *arg)
{
    struct server *srv = NULL;
    char err[512];
    unsigned port = 0;
    sigset_t set;
    int sig = 0;

    (void)st; /* the server opens its own connections */
    (void)arg;

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
    log_info("listening on port %u (%s); database %s", port, server_tls(srv) ? "https" : "http",
             strncmp(a->db, "sqlite:", 7) ? "PostgreSQL" : a->db);
    while (sigwait(&set, &sig) == EINTR)
        ;
    log_info("stopping on %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_stop(srv);
    log_info("stopped");
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

/* A table printed with its columns lined up, for the list commands: rows are copied in as they
 * come from the store, and the widths are known only once all are in. */
#define MAIN_TABLE_COLS 8
struct main_table {
    size_t ncols;
    size_t nrows, cap;
    char **cells; /* nrows x ncols strings (malloc), row after row */
};

/* Append a copy of the row's ncols cells. Returns 0 or ENOMEM (the table is then unchanged). */
static int main_table_add(struct main_table *t, const char *const *row)
{
    size_t first = t->nrows * t->ncols;
    char **cells = util_grow(t->cells, &t->cap, first + t->ncols, sizeof *cells, 16 * t->ncols);
    if (!cells)
        return ENOMEM;
    t->cells = cells;
    for (size_t c = 0; c < t->ncols; c++) {
        cells[first + c] = strdup(row[c]);
        if (!cells[first + c]) {
            while (c-- > 0)
                free(cells[first + c]);
            return ENOMEM;
        }
    }
    t->nrows++;
    return 0;
}

static void main_table_free(struct main_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
}

/* The columns a terminal gives UTF-8 text in the calling thread's locale (C.UTF-8 while the table
 * prints): a wide (CJK) character two, a combining mark none; a byte that is not UTF-8 one. */
static size_t main_text_width(const char *s)
{
    mbstate_t mb;
    size_t width = 0, len = strlen(s);
    memset(&mb, 0, sizeof mb);
    while (len > 0) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s, len, &mb);
        int w = 1;
        if (n == (size_t)-1 || n == (size_t)-2) {
            memset(&mb, 0, sizeof mb);
            n = 1;
        } else if (n == 0) {
            break;
        } else {
            w = wcwidth(wc);
            if (w < 0)
                w = 1;
        }
        width += (size_t)w;
        s += n;
        len -= n;
    }
    return width;
}

/* Print the table to standard output, each column as wide as its widest cell, two spaces apart,
 * the last one unpadded. Site names are UTF-8 whatever the user's locale, so widths are measured
 * in C.UTF-8, set for this thread only; in bytes if the C library lacks that locale. */
static void main_table_print(const struct main_table *t)
{
    size_t width[MAIN_TABLE_COLS] = {0};
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t old = utf8 != (locale_t)0 ? uselocale(utf8) : (locale_t)0;

    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = main_text_width(t->cells[r * t->ncols + c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[r * t->ncols + c];
            fputs(cell, stdout);
            if (c + 1 < t->ncols)
                printf("%*s", (int)(width[c] - main_text_width(cell) + 2), "");
        }
        putchar('\n');
    }
    if (utf8 != (locale_t)0) {
        uselocale(old);
        freelocale(utf8);
    }
}

/* One kiosk as a row of the table arg. */
static int main_kiosk_row(const struct store_kiosk_info *k, void *arg)
{
    char id[24], day[DAY_STR_LEN + 1] = "-", spool[24];
    snprintf(id, sizeof id, "%" PRId64, k->id);
    snprintf(spool, sizeof spool, "%" PRId64, k->has_heartbeat ? k->spool_depth : 0);
    if (k->has_heartbeat)
        day_format(k->day, day);
    const char *const row[MAIN_TABLE_COLS] = {
        id,
        k->site,
        k->revoked ? "revoked" : "active",
        day,
        k->has_heartbeat ? k->version : "-",
        spool,
        k->has_heartbeat ? k->clock : "-",
        k->has_heartbeat ? k->self_test : "-",
    };
    return main_table_add(arg, row);
}

/* A new token for a kiosk or a staff member: token gets the text to print once, hash what is
 * stored. Returns MAIN_OK, or MAIN_FAIL after saying why. */
static int main_token_new(char token[TOKEN_LEN + 1], char hash[TOKEN_HASH_LEN + 1])
{
    int err = token_new(token);
    if (err) {
        fprintf(stderr, "openline-stats: no random numbers: %s\n", strerror(err));
        return MAIN_FAIL;
    }
    token_hash(token, TOKEN_LEN, hash);
    return MAIN_OK;
}

static int main_kiosk_site(const char *site)
{
    if (!main_site_ok(site))
        return main_bad("site name: 1 to %d bytes of UTF-8 text, no control characters",
                        STORE_SITE_MAX);
    return MAIN_OK;
}

static int main_kiosk_add(struct main_args *a, struct store *st, const char *site)
{
    char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    int64_t id;
    (void)a;

    if (main_token_new(token, hash) || store_kiosk_add(st, site, hash, day_today(), &id))
        return MAIN_FAIL;
    printf("%s\n", token);
    fprintf(stderr,
            "openline-stats: kiosk %" PRId64 " added at site \"%s\"; its token (above) is "
            "shown only this once\n",
            id, site);
    return MAIN_OK;
}

static int main_kiosk_list(struct main_args *a, struct store *st, const char *arg)
{
    static const char *const head[MAIN_TABLE_COLS] = {"ID",      "SITE",  "STATUS", "HEARTBEAT",
                                                      "VERSION", "SPOOL", "CLOCK",  "SELF-TEST"};
    struct main_table t = {.ncols = MAIN_TABLE_COLS};
    (void)a;
    (void)arg;

    int err = main_table_add(&t, head);
    if (!err)
        err = store_kiosk_list(st, main_kiosk_row, &t);
    if (!err)
        main_table_print(&t);
    else if (err == ENOMEM)
        fprintf(stderr, "openline-stats: out of memory\n");
    main_table_free(&t);
    return err ? MAIN_FAIL : MAIN_OK;
}

static int main_kiosk_revoke(struct main_args *a, struct store *st, const char *arg)
{
    char *end;
    (void)a;

    errno = 0;
    long long id = strtoll(arg, &end, 10);
    if (errno || end == arg || *end || id <= 0)
        return main_bad("kiosk revoke: ID is a number from `kiosk list`, not \"%s\"", arg);
    int err = store_kiosk_revoke(st, id, day_today());
    if (err == ENOENT)
        fprintf(stderr, "openline-stats: there is no kiosk %lld\n", id);
    if (err)
        return MAIN_FAIL;
    fprintf(stderr, "openline-stats: kiosk %lld revoked\n", id);
    return MAIN_OK;
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

static int main_staff_name(const char *name)
{
    if (!main_staff_name_ok(name))
        return main_bad("staff name: 1 to %d of A-Z a-z 0-9 . _ @ -", STORE_NAME_MAX);
    return MAIN_OK;
}

static int main_staff_add(struct main_args *a, struct store *st, const char *name)
{
    char hash[PASSWD_HASH_MAX];

    if (passwd_hash(a->password, hash, sizeof(hash))) {
        fprintf(stderr, "openline-stats: cannot hash the password (libxcrypt)\n");
        return MAIN_FAIL;
    }
    int err = store_staff_add(st, name, hash);
    if (err == EEXIST)
        fprintf(stderr, "openline-stats: staff member \"%s\" exists already\n", name);
    if (err)
        return MAIN_FAIL;
    fprintf(stderr, "openline-stats: staff member \"%s\" added\n", name);
    return MAIN_OK;
}

static int main_staff_token(struct main_args *a, struct store *st, const char *name)
{
    char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    (void)a;

    if (main_token_new(token, hash))
        return MAIN_FAIL;
    int err = store_staff_set_token(st, name, hash);
    if (err == ENOENT)
        fprintf(stderr, "openline-stats: there is no staff member \"%s\"\n", name);
    if (err)
        return MAIN_FAIL;
    printf("%s\n", token);
    fprintf(stderr,
            "openline-stats: read-only token of \"%s\" (above) works on /export.csv only; "
            "it replaces any earlier one and is shown only this once\n",
            name);
    return MAIN_OK;
}

static int main_staff_list(struct main_args *a, struct store *st, const char *arg)
{
    (void)a;
    (void)arg;
    printf("%-5s %-24s %s\n", "ID", "NAME", "READ-ONLY TOKEN");
    return store_staff_list(st, main_staff_row, NULL) ? MAIN_FAIL : MAIN_OK;
}

static int main_staff_remove(struct main_args *a, struct store *st, const char *name)
{
    (void)a;
    int err = store_staff_remove(st, name);
    if (err == ENOENT)
        fprintf(stderr, "openline-stats: there is no staff member \"%s\"\n", name);
    if (err)
        return MAIN_FAIL;
    fprintf(stderr, "openline-stats: staff member \"%s\" removed\n", name);
    return MAIN_OK;
}

/* A command is one entry (docs/style.md 7): the words that name it, its one argument, the check
 * of that argument made before anything else happens, and its line of the usage text. Commands
 * of a group ("kiosk", "staff") stand together, in the order the usage lists them. */
static const struct main_cmd {
    const char *group;             /* the first word */
    const char *verb;              /* the second word, or NULL (serve) */
    const char *arg;               /* the argument's name in the usage, or NULL: none */
    int (*check)(const char *arg); /* NULL: any argument; else MAIN_OK or main_bad's code */
    bool password;                 /* read a password from standard input first (a->password) */
    bool own_store;                /* opens its own connections: main opens none */
    int (*run)(struct main_args *a, struct store *st, const char *arg);
    const char *help;
} main_cmds[] = {
    {"serve", NULL, NULL, NULL, false, true, main_serve,
     "receive batches and heartbeats; serve the dashboard and CSV"},
    {"kiosk", "add", "SITE-NAME", main_kiosk_site, false, false, main_kiosk_add,
     "add a kiosk at a site; prints its token once (only a hash is kept)"},
    {"kiosk", "list", NULL, NULL, false, false, main_kiosk_list,
     "list kiosks with their latest heartbeat"},
    {"kiosk", "revoke", "ID", NULL, false, false, main_kiosk_revoke,
     "refuse a kiosk's token from now on"},
    {"staff", "add", "NAME", main_staff_name, true, false, main_staff_add,
     "add a staff member; reads the password from standard input"},
    {"staff", "token", "NAME", main_staff_name, false, false, main_staff_token,
     "print a new read-only token for /export.csv (replaces the old)"},
    {"staff", "list", NULL, NULL, false, false, main_staff_list, "list staff members"},
    {"staff", "remove", "NAME", main_staff_name, false, false, main_staff_remove,
     "remove a staff member and end their sessions"},
};

/* "kiosk add SITE-NAME": how the command is typed, for the usage. */
static void main_cmd_synopsis(const struct main_cmd *c, char *out, size_t len)
{
    snprintf(out, len, "%s%s%s%s%s", c->group, c->verb ? " " : "", c->verb ? c->verb : "",
             c->arg ? " " : "", c->arg ? c->arg : "");
}

static void main_usage(FILE *f)
{
    char syn[64];

    fputs(main_usage_head, f);
    for (size_t i = 0; i < ARRAY_SIZE(main_cmds); i++) {
        main_cmd_synopsis(&main_cmds[i], syn, sizeof(syn));
        fprintf(f, "  %-21s %s\n", syn, main_cmds[i].help);
    }
    fputs(main_usage_options, f);
}

/* The command a.pos names, or NULL after saying what was expected (*rc: MAIN_USAGE). */
static const struct main_cmd *main_cmd_find(const struct main_args *a, int *rc)
{
    const char *verb = a->npos > 1 ? a->pos[1] : "";
    char verbs[128] = "";
    size_t nverbs = 0;

    for (size_t i = 0; i < ARRAY_SIZE(main_cmds); i++) {
        const struct main_cmd *c = &main_cmds[i];
        if (strcmp(c->group, a->pos[0]))
            continue;
        if (!c->verb || !strcmp(c->verb, verb))
            return c;
        nverbs++;
    }
    if (!nverbs) {
        *rc = main_bad("unknown command \"%s\"", a->pos[0]);
        return NULL;
    }
    /* "add, list or revoke" */
    size_t k = 0;
    for (size_t i = 0; i < ARRAY_SIZE(main_cmds); i++) {
        if (strcmp(main_cmds[i].group, a->pos[0]))
            continue;
        size_t used = strlen(verbs);
        snprintf(verbs + used, sizeof(verbs) - used, "%s%s",
                 k == 0            ? ""
                 : k + 1 == nverbs ? " or "
                                   : ", ",
                 main_cmds[i].verb);
        k++;
    }
    *rc = main_bad("%s: expected %s", a->pos[0], verbs);
    return NULL;
}

/* Check the command's words and argument, read its password, open the database, run it. */
static int main_cmd_run(const struct main_cmd *c, struct main_args *a)
{
    int words = c->verb ? 2 : 1, want = words + (c->arg ? 1 : 0);
    char pw[PASSWD_MAX + 2] = "", syn[64];
    struct store *st = NULL;
    int rc;

    if (a->npos != want) {
        if (!c->verb)
            return main_bad("%s takes no arguments, only options", c->group);
        main_cmd_synopsis(c, syn, sizeof(syn));
        return main_bad("usage: openline-stats %s", syn);
    }
    const char *arg = c->arg ? a->pos[words] : NULL;
    if (c->check && (rc = c->check(arg)))
        return rc;
    if (c->password) {
        if ((rc = main_read_password(pw, sizeof(pw))))
            return rc;
        a->password = pw;
    }
    if (c->own_store || !(rc = main_open(a, &st)))
        rc = c->run(a, st, arg);
    explicit_bzero(pw, sizeof(pw));
    a->password = NULL;
    store_close(st);
    return rc;
}

int main(int argc, char **argv)
{
    struct main_args a = {0};
    int rc;

    log_init("openline-stats", LOG_LEVEL_INFO);
    if (argc < 2) {
        main_usage(stderr);
        return MAIN_USAGE;
    }
    if ((rc = main_parse(argc, argv, &a)))
        return rc;
    /* getopt_long moved the words after the options, in their order. */
    a.pos = &argv[optind];
    a.npos = argc - optind;
    if (a.npos == 0) {
        main_usage(stderr);
        return MAIN_USAGE;
    }
    if (token_init()) {
        fprintf(stderr, "openline-stats: libsodium failed to start\n");
        return MAIN_FAIL;
    }
    /* The database holds token and password hashes: nobody else reads the files made here. */
    umask(077);

    if (strcmp(a.pos[0], "serve") && a.serve_only)
        return main_bad("--listen, --tls-*, --rate and the other serve options go with serve");
    const struct main_cmd *c = main_cmd_find(&a, &rc);
    return c ? main_cmd_run(c, &a) : rc;
}
