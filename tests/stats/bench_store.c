/* Benchmark helper of openline-stats: the bare-INSERT loop (the store's physical limit) and a
 * loader of kiosks x weeks of batches through the collector's own write path. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "ingest.h"
#include "openline/day.h"
#include "openline/log.h"
#include "store/store.h"
#include "store/writer.h"
#include "token.h"

static const char bench_usage[] =
    "usage: stats_bench insert --db URL [--seconds S]\n"
    "       stats_bench fill --db URL [--kiosks N] [--weeks W] [--sites S] [--tokens FILE]\n";

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One row per autocommit INSERT into a table of the same database, as fast as the store commits
 * durably: SQLite with the collector's settings (WAL, synchronous=FULL), PostgreSQL with the
 * server's (fsync, synchronous_commit on), a prepared statement either way. */
static int bench_insert(const char *url, double seconds)
{
    long n = 0;
    double t0, t1;

    if (!strncmp(url, "sqlite:", 7)) {
        sqlite3 *db;
        sqlite3_stmt *s;
        if (sqlite3_open(url + 7, &db) != SQLITE_OK ||
            sqlite3_exec(
                db,
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                "CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, v INTEGER)",
                NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(db, "INSERT INTO bench_bare (v) VALUES (?1)", -1, &s, NULL) !=
                SQLITE_OK) {
            fprintf(stderr, "stats_bench: sqlite: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        t0 = bench_now();
        do {
            for (int i = 0; i < 100; i++, n++) {
                sqlite3_bind_int64(s, 1, n);
                if (sqlite3_step(s) != SQLITE_DONE) {
                    fprintf(stderr, "stats_bench: sqlite: %s\n", sqlite3_errmsg(db));
                    return 1;
                }
                sqlite3_reset(s);
            }
            t1 = bench_now();
        } while (t1 - t0 < seconds);
        sqlite3_finalize(s);
        sqlite3_exec(db, "DROP TABLE bench_bare", NULL, NULL, NULL);
        sqlite3_close(db);
    } else {
        PGconn *c = PQconnectdb(url);
        PGresult *r;
        if (PQstatus(c) != CONNECTION_OK) {
            fprintf(stderr, "stats_bench: postgresql: %s", PQerrorMessage(c));
            return 1;
        }
        r = PQexec(c, "CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, v bigint)");
        PQclear(r);
        r = PQprepare(c, "ins", "INSERT INTO bench_bare (v) VALUES ($1)", 1, NULL);
        PQclear(r);
        t0 = bench_now();
        do {
            for (int i = 0; i < 100; i++, n++) {
                char v[24];
                const char *p[] = {v};
                snprintf(v, sizeof(v), "%ld", n);
                r = PQexecPrepared(c, "ins", 1, p, NULL, NULL, 0);
                if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                    fprintf(stderr, "stats_bench: postgresql: %s", PQerrorMessage(c));
                    return 1;
                }
                PQclear(r);
            }
            t1 = bench_now();
        } while (t1 - t0 < seconds);
        r = PQexec(c, "DROP TABLE bench_bare");
        PQclear(r);
        PQfinish(c);
    }
    printf("bare_inserts_per_s %.0f\n", (double)n / (t1 - t0));
    return 0;
}

/* The dense counter set a kiosk sends: the six fixed ones, 25 languages and 15 pages. */
static const char *const bench_langs[] = {"en", "es", "fr", "ar", "hi", "bn", "ur", "ne", "my",
                                          "km", "th", "vi", "tl", "id", "zh", "ru", "uk", "ro",
                                          "pt", "sw", "am", "ti", "so", "si", "ta"};
static const char *const bench_pages[] = {
    "rights", "passport", "wages",   "debt", "recruitment", "movement", "threats", "hours",
    "help",   "call",     "housing", "visa", "children",    "health",   "about"};

static void bench_batch(struct ingest_batch *b, unsigned seed)
{
    static const char *const fixed[] = {"sessions",       "quick_exit",     "read_aloud",
                                        "call.attempted", "call.connected", "call.failed"};
    size_t n = 0;
    for (size_t i = 0; i < 6; i++) {
        snprintf(b->counters[n].name, sizeof(b->counters[n].name), "%s", fixed[i]);
        b->counters[n++].value = (int32_t)((seed * (i + 3)) % (i ? 8 : 60));
    }
    for (size_t i = 0; i < 25; i++) {
        snprintf(b->counters[n].name, sizeof(b->counters[n].name), "lang.%s", bench_langs[i]);
        b->counters[n++].value = (int32_t)((seed + i * 7) % 9) - 2;
    }
    for (size_t i = 0; i < 15; i++) {
        snprintf(b->counters[n].name, sizeof(b->counters[n].name), "page.%s", bench_pages[i]);
        b->counters[n++].value = (int32_t)((seed + i * 5) % 12) - 2;
    }
    b->n = n;
}

/* The counters of b as compact JSON text, as ingest would have made them (the caller frees). */
static char *bench_json(const struct ingest_batch *b)
{
    json_t *o = json_object();
    for (size_t i = 0; i < b->n; i++)
        json_object_set_new(o, b->counters[i].name, json_integer(b->counters[i].value));
    char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return text;
}

static int bench_fill(const char *url, int kiosks, int weeks, int sites, const char *tokens)
{
    struct store *st;
    char err[512];
    FILE *tf = NULL;
    int64_t *ids = calloc((size_t)kiosks, sizeof(*ids));
    char(*site_names)[32] = calloc((size_t)kiosks, 32);
    int rc = 1;

    if (store_open(url, true, &st, err, sizeof(err))) {
        fprintf(stderr, "stats_bench: %s\n", err);
        return 1;
    }
    if (tokens && !(tf = fopen(tokens, "w"))) {
        perror(tokens);
        goto out;
    }
    for (int k = 0; k < kiosks; k++) {
        char tok[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
        token_new(tok);
        token_hash(tok, TOKEN_LEN, hash);
        snprintf(site_names[k], 32, "Site %03d", k % sites);
        if (store_kiosk_add(st, site_names[k], hash, day_monday(day_today()) - 7 * weeks - 1,
                            &ids[k]))
            goto out;
        if (tf)
            fprintf(tf, "%s\n", tok);
    }

    /* The weeks before the current one, newest first. */
    int32_t this_week = day_monday(day_today());
    size_t total = (size_t)kiosks * (size_t)weeks, done = 0;
    struct ingest_batch *batches = calloc(WRITER_GROUP_MAX, sizeof(*batches));
    struct ingest_counter *counters = calloc(WRITER_GROUP_MAX * 46, sizeof(*counters));
    struct writer_job *jobs = calloc(WRITER_GROUP_MAX, sizeof(*jobs));
    struct writer_job *ptrs[WRITER_GROUP_MAX];
    double t0 = bench_now();
    while (done < total) {
        size_t n = 0;
        for (; n < WRITER_GROUP_MAX && done < total; n++, done++) {
            int k = (int)(done % (size_t)kiosks), w = (int)(done / (size_t)kiosks);
            struct ingest_batch *b = &batches[n];
            memset(b, 0, sizeof(*b));
            b->counters = &counters[n * 46];
            bench_batch(b, (unsigned)done);
            snprintf(b->id, sizeof(b->id), "%016x%016x", (unsigned)k, (unsigned)w);
            b->start = b->week = this_week - 7 * (w + 1);
            b->days = 7;
            b->mech = INGEST_MECH_GEOMETRIC;
            b->epsilon = 1.0;
            b->counts_json = bench_json(b);
            jobs[n] =
                (struct writer_job){.w = {.kiosk = ids[k], .site = site_names[k], .batch = b}};
            ptrs[n] = &jobs[n];
        }
        writer_apply(st, ptrs, n);
        for (size_t i = 0; i < n; i++) {
            free(batches[i].counts_json);
            batches[i].counts_json = NULL;
            if (jobs[i].err || jobs[i].w.res != STORE_PUT_STORED) {
                fprintf(stderr, "stats_bench: batch not stored (%d, %d)\n", jobs[i].err,
                        (int)jobs[i].w.res);
                goto out_fill;
            }
        }
    }
    printf("filled %zu batches (%d kiosks at %d sites x %d weeks) in %.1f s\n", total, kiosks,
           sites, weeks, bench_now() - t0);
    rc = 0;
out_fill:
    free(jobs);
    free(counters);
    free(batches);
out:
    if (tf)
        fclose(tf);
    free(site_names);
    free(ids);
    store_close(st);
    return rc;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *tokens = NULL;
    double seconds = 10;
    int kiosks = 1000, weeks = 52, sites = 100;

    log_init("openline-stats", LOG_LEVEL_INFO);
    if (argc < 2 || token_init())
        goto usage;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--db"))
            db = argv[i + 1];
        else if (!strcmp(argv[i], "--seconds"))
            seconds = strtod(argv[i + 1], NULL);
        else if (!strcmp(argv[i], "--kiosks"))
            kiosks = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--weeks"))
            weeks = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--sites"))
            sites = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--tokens"))
            tokens = argv[i + 1];
        else
            goto usage;
    }
    if (!db || kiosks < 1 || weeks < 1 || sites < 1 || seconds <= 0)
        goto usage;
    if (!strcmp(argv[1], "insert"))
        return bench_insert(db, seconds);
    if (!strcmp(argv[1], "fill"))
        return bench_fill(db, kiosks, weeks, sites, tokens);
usage:
    fputs(bench_usage, stderr);
    return 2;
}
