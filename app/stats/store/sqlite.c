/* SQLite storage driver: one file, WAL journal, synchronous=FULL, prepared statements. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "store_int.h"

#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "openline/log.h"
#include "margin.h"
#include "rollup.h"

#define SQ_SCHEMA_VERSION "2"

/* The roll-ups (rollup.h), keyed by site ("" for all sites), then day: a report reads one range
 * of days of one site, and a batch's rows lie together (two runs of pages to write, one for its
 * site and one for all sites, not one page per counter). */
#define SQ_ROLLUP_TABLES                                                                           \
    "CREATE TABLE IF NOT EXISTS totals (site TEXT NOT NULL, name TEXT NOT NULL,"                   \
    " day INTEGER NOT NULL, value INTEGER NOT NULL, var REAL NOT NULL,"                            \
    " PRIMARY KEY (site, day, name)) WITHOUT ROWID;"                                               \
    "CREATE TABLE IF NOT EXISTS noise_totals (site TEXT NOT NULL, day INTEGER NOT NULL,"           \
    " mech TEXT NOT NULL, epsilon REAL NOT NULL, batches INTEGER NOT NULL,"                        \
    " PRIMARY KEY (site, day, mech, epsilon)) WITHOUT ROWID;"

/* Schema 1 kept weekly roll-ups of six counters per site: schema 2's are made again from the
 * batches, which are kept whole. openline_noise_var() is margin.c's, registered in sq_open. */
static const char sq_upgrade_1[] =
    "ALTER TABLE kiosks ADD COLUMN added_day INTEGER;"
    "ALTER TABLE kiosks ADD COLUMN revoked_day INTEGER;"
    "DROP TABLE totals; DROP TABLE noise_totals;" SQ_ROLLUP_TABLES
    "CREATE INDEX IF NOT EXISTS batches_week ON batches (week, kiosk, start_day, days);"
    "CREATE TEMP VIEW upgrade_b AS SELECT b.*, k.site,"
    " CASE WHEN b.days = 7 THEN b.start_day + 3 ELSE b.start_day END AS aday,"
    " openline_noise_var(b.epsilon) AS var FROM batches b JOIN kiosks k ON k.id = b.kiosk;"
    "INSERT INTO totals (site, name, day, value, var)"
    " SELECT s.site, j.key, b.aday, SUM(j.value), SUM(b.var) FROM upgrade_b b, json_each(b.counts) "
    "j"
    " JOIN (SELECT '' AS site UNION ALL SELECT DISTINCT site FROM kiosks) s"
    " ON s.site = '' OR s.site = b.site GROUP BY s.site, j.key, b.aday;"
    "INSERT INTO noise_totals (site, day, mech, epsilon, batches)"
    " SELECT s.site, b.aday, b.mech, b.epsilon, COUNT(*) FROM upgrade_b b"
    " JOIN (SELECT '' AS site UNION ALL SELECT DISTINCT site FROM kiosks) s"
    " ON s.site = '' OR s.site = b.site GROUP BY s.site, b.aday, b.mech, b.epsilon;"
    "DROP VIEW upgrade_b;"
    "UPDATE meta SET value = '2' WHERE key = 'schema';";

static const char sq_schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS kiosks (id INTEGER PRIMARY KEY, site TEXT NOT NULL,"
    " token_hash TEXT NOT NULL UNIQUE, revoked INTEGER NOT NULL DEFAULT 0, added_day INTEGER,"
    " revoked_day INTEGER);"
    "CREATE TABLE IF NOT EXISTS batches (kiosk INTEGER NOT NULL REFERENCES kiosks(id),"
    " start_day INTEGER NOT NULL, days INTEGER NOT NULL, week INTEGER NOT NULL,"
    " batch_id TEXT NOT NULL, mech TEXT NOT NULL, epsilon REAL NOT NULL, counts TEXT NOT NULL,"
    " PRIMARY KEY (kiosk, start_day), UNIQUE (kiosk, batch_id)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS batches_week ON batches (week, kiosk, start_day, "
    "days);" SQ_ROLLUP_TABLES
    "CREATE TABLE IF NOT EXISTS heartbeats (kiosk INTEGER NOT NULL REFERENCES kiosks(id),"
    " day INTEGER NOT NULL, version TEXT NOT NULL, spool_depth INTEGER NOT NULL,"
    " clock TEXT NOT NULL, self_test TEXT NOT NULL, PRIMARY KEY (kiosk, day)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS staff (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " pwhash TEXT NOT NULL, token_hash TEXT UNIQUE);"
    "CREATE TABLE IF NOT EXISTS sessions (hash TEXT PRIMARY KEY,"
    " staff INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
    " expires INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '" SQ_SCHEMA_VERSION "');";

enum sq_stmt {
    SQ_BEGIN,
    SQ_COMMIT,
    SQ_ROLLBACK,
    SQ_BATCH_BY_ID,
    SQ_BATCH_OVERLAP,
    SQ_BATCH_INSERT,
    SQ_HEARTBEAT_PUT,
    SQ_TOTALS_ADD,
    SQ_NOISE_ADD,
    SQ_KIOSK_AUTH,
    SQ_KIOSK_ADD,
    SQ_KIOSK_REVOKE,
    SQ_KIOSK_LIST,
    SQ_STAFF_ADD,
    SQ_STAFF_GET,
    SQ_STAFF_SET_TOKEN,
    SQ_STAFF_BY_TOKEN,
    SQ_STAFF_LIST,
    SQ_STAFF_REMOVE,
    SQ_SESSION_PRUNE,
    SQ_SESSION_ADD,
    SQ_SESSION_GET,
    SQ_SESSION_REMOVE,
    SQ_DAYS_GET,
    SQ_SITE_DAYS_GET,
    SQ_NOISE_GET,
    SQ_BATCHES_GET,
    SQ_COUNT
};

static const char *const sq_sql[SQ_COUNT] = {
    [SQ_BEGIN] = "BEGIN IMMEDIATE",
    [SQ_COMMIT] = "COMMIT",
    [SQ_ROLLBACK] = "ROLLBACK",
    [SQ_BATCH_BY_ID] = "SELECT start_day, days FROM batches WHERE kiosk = ?1 AND batch_id = ?2",
    [SQ_BATCH_OVERLAP] = "SELECT 1 FROM batches WHERE kiosk = ?1 AND start_day > ?2 - 7"
                         " AND start_day < ?2 + ?3 AND start_day + days > ?2 LIMIT 1",
    [SQ_BATCH_INSERT] = "INSERT INTO batches (kiosk, start_day, days, week, batch_id, mech,"
                        " epsilon, counts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [SQ_HEARTBEAT_PUT] = "INSERT INTO heartbeats (kiosk, day, version, spool_depth, clock,"
                         " self_test) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (kiosk, day)"
                         " DO UPDATE SET version = excluded.version,"
                         " spool_depth = excluded.spool_depth, clock = excluded.clock,"
                         " self_test = excluded.self_test",
    [SQ_TOTALS_ADD] = "INSERT INTO totals (site, name, day, value, var) VALUES (?1, ?2, ?3, ?4, ?5)"
                      " ON CONFLICT (site, day, name)"
                      " DO UPDATE SET value = value + excluded.value, var = var + excluded.var",
    [SQ_NOISE_ADD] = "INSERT INTO noise_totals (site, day, mech, epsilon, batches)"
                     " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (site, day, mech, epsilon)"
                     " DO UPDATE SET batches = batches + excluded.batches",
    [SQ_KIOSK_AUTH] = "SELECT id, site, revoked FROM kiosks WHERE token_hash = ?1",
    [SQ_KIOSK_ADD] = "INSERT INTO kiosks (site, token_hash, added_day) VALUES (?1, ?2, ?3)",
    [SQ_KIOSK_REVOKE] = "UPDATE kiosks SET revoked = 1, revoked_day = COALESCE(revoked_day, ?2)"
                        " WHERE id = ?1",
    [SQ_KIOSK_LIST] =
        "SELECT k.id, k.site, k.revoked, k.added_day, k.revoked_day, h.day, h.version,"
        " h.spool_depth, h.clock, h.self_test,"
        " (SELECT spool_depth FROM heartbeats WHERE kiosk = k.id AND day >= h.day - 7"
        "  AND day < h.day ORDER BY day LIMIT 1),"
        " (SELECT MIN(start_day) FROM batches WHERE kiosk = k.id),"
        " (SELECT start_day + days FROM batches WHERE kiosk = k.id ORDER BY start_day DESC"
        "  LIMIT 1),"
        " (SELECT days FROM batches WHERE kiosk = k.id ORDER BY start_day DESC LIMIT 1)"
        " FROM kiosks k LEFT JOIN heartbeats h ON h.kiosk = k.id"
        " AND h.day = (SELECT MAX(day) FROM heartbeats WHERE kiosk = k.id)"
        " ORDER BY k.site, k.id",
    [SQ_STAFF_ADD] = "INSERT INTO staff (name, pwhash) VALUES (?1, ?2)",
    [SQ_STAFF_GET] = "SELECT id, pwhash FROM staff WHERE name = ?1",
    [SQ_STAFF_SET_TOKEN] = "UPDATE staff SET token_hash = ?2 WHERE name = ?1",
    [SQ_STAFF_BY_TOKEN] = "SELECT id FROM staff WHERE token_hash = ?1",
    [SQ_STAFF_LIST] = "SELECT id, name, token_hash IS NOT NULL FROM staff ORDER BY name",
    [SQ_STAFF_REMOVE] = "DELETE FROM staff WHERE name = ?1",
    [SQ_SESSION_PRUNE] = "DELETE FROM sessions WHERE expires <= ?1",
    [SQ_SESSION_ADD] = "INSERT INTO sessions (hash, staff, expires) VALUES (?1, ?2, ?3)",
    [SQ_SESSION_GET] = "SELECT s.staff, st.name FROM sessions s JOIN staff st ON st.id = s.staff"
                       " WHERE s.hash = ?1 AND s.expires > ?2",
    [SQ_SESSION_REMOVE] = "DELETE FROM sessions WHERE hash = ?1",
    /* ?3 NULL: the all-sites rows (""). */
    [SQ_DAYS_GET] = "SELECT t.day, t.name, SUM(t.value), SUM(t.var)"
                    " FROM json_each(COALESCE(?3, '[\"\"]')) s CROSS JOIN totals t"
                    " ON t.site = s.value WHERE t.day BETWEEN ?1 AND ?2 GROUP BY t.day, t.name",
    /* CROSS JOIN keeps the order: one range of the primary key per site. */
    [SQ_SITE_DAYS_GET] = "SELECT t.day, t.site, t.name, t.value, t.var"
                         " FROM json_each(?3) s CROSS JOIN totals t"
                         " ON t.site = s.value AND t.day BETWEEN ?1 AND ?2"
                         " WHERE t.name IN (SELECT value FROM json_each(?4))",
    [SQ_NOISE_GET] = "SELECT z.day, z.mech, z.epsilon, SUM(z.batches)"
                     " FROM json_each(COALESCE(?3, '[\"\"]')) s CROSS JOIN noise_totals z"
                     " ON z.site = s.value WHERE z.day BETWEEN ?1 AND ?2"
                     " GROUP BY z.day, z.mech, z.epsilon",
    [SQ_BATCHES_GET] = "SELECT b.kiosk, b.start_day, b.days FROM batches b"
                       " JOIN kiosks k ON k.id = b.kiosk WHERE b.week BETWEEN ?1 - 6 AND ?2"
                       " AND (?3 IS NULL OR k.site IN (SELECT value FROM json_each(?3)))",
};

struct sq_priv {
    sqlite3 *db;
    sqlite3_stmt *stmt[SQ_COUNT];
};

static struct sq_priv *sq(struct store *st)
{
    return st->priv;
}

static int sq_fail(struct store *st, const char *what)
{
    log_info("database: %s: %s", what, sqlite3_errmsg(sq(st)->db));
    return EIO;
}

/* The prepared statement for id, reset and with no bindings; NULL after logging a failure. */
static sqlite3_stmt *sq_stmt(struct store *st, enum sq_stmt id)
{
    struct sq_priv *p = sq(st);

    if (!p->stmt[id]) {
        if (sqlite3_prepare_v3(p->db, sq_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &p->stmt[id],
                               NULL) != SQLITE_OK) {
            sq_fail(st, "prepare");
            return NULL;
        }
    }
    return p->stmt[id];
}

static void sq_done(sqlite3_stmt *s)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static void sq_text(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* Run statement s that returns no rows. */
static int sq_run(struct store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    int err = 0;
    if (rc != SQLITE_DONE) {
        if (sqlite3_extended_errcode(sq(st)->db) == SQLITE_CONSTRAINT_UNIQUE)
            err = EEXIST;
        else
            err = sq_fail(st, what);
    }
    sq_done(s);
    return err;
}

/* Run statement s that changes rows: ENOENT when it changed none. */
static int sq_change(struct store *st, sqlite3_stmt *s, const char *what)
{
    int err = sq_run(st, s, what);
    if (!err && sqlite3_changes(sq(st)->db) == 0)
        err = ENOENT;
    return err;
}

/* Step statement s to its one row: 0 with the row's columns readable until sq_done(s), else
 * ENOENT (no row) or EIO (logged), s done. */
static int sq_one(struct store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return 0;
    int err = rc == SQLITE_DONE ? ENOENT : sq_fail(st, what);
    sq_done(s);
    return err;
}

/* Turns the current row of s into a call of q's handler; returns what the handler returned. */
typedef int(sq_row_h)(sqlite3_stmt *s, const struct store_rows *q);

/* Step statement s (bound) through its rows, calling row for each until one returns non-zero. */
static int sq_rows(struct store *st, sqlite3_stmt *s, sq_row_h *row, const struct store_rows *q,
                   const char *what)
{
    int err = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((err = row(s, q)))
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = sq_fail(st, what);
    sq_done(s);
    return err;
}

/* Run the roll-up query id for q (?1 from_day, ?2 to_day, ?3 sites, ?4 names), a call of row per
 * row. */
static int sq_range(struct store *st, enum sq_stmt id, const struct store_query *q, sq_row_h *row,
                    const struct store_rows *rows, const char *what)
{
    sqlite3_stmt *s = sq_stmt(st, id);
    if (!s)
        return EIO;
    sqlite3_bind_int(s, 1, q->from_day);
    sqlite3_bind_int(s, 2, q->to_day);
    if (q->sites_json)
        sq_text(s, 3, q->sites_json);
    if (q->names_json && sqlite3_bind_parameter_count(s) >= 4)
        sq_text(s, 4, q->names_json);
    return sq_rows(st, s, row, rows, what);
}

/* Before the first connection: no global memory statistics, whose mutex every allocation of
 * every connection would take. */
static void sq_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

static void sq_noise_var(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_result_double(ctx, report_noise_var(sqlite3_value_double(argv[0])));
}

/* Bring a schema 1 database to this program's schema, in one transaction. */
static int sq_upgrade(sqlite3 *db, const char *target, char *err, size_t errlen)
{
    if (sqlite3_create_function(db, "openline_noise_var", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                NULL, sq_noise_var, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, sq_upgrade_1, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot upgrade sqlite:%s from schema 1 to %s: %s", target,
                 SQ_SCHEMA_VERSION, sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return EIO;
    }
    log_info("database sqlite:%s upgraded from schema 1 to %s: roll-ups made again from the "
             "batches",
             target, SQ_SCHEMA_VERSION);
    return 0;
}

static int sq_open(struct store *st, const char *target, bool create, char *err, size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    struct sq_priv *p = sq(st);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    sqlite3_stmt *s = NULL;
    int rc = EIO;

    pthread_once(&once, sq_setup);
    if (sqlite3_open_v2(target, &p->db, flags, NULL) != SQLITE_OK) {
        char *copy = strdup(target);
        struct stat sb;
        const char *dir = copy ? dirname(copy) : ".";
        if (copy && stat(dir, &sb) != 0)
            snprintf(err, errlen, "cannot open database sqlite:%s: folder %s does not exist",
                     target, dir);
        else
            snprintf(err, errlen, "cannot open database sqlite:%s: %s", target,
                     p->db ? sqlite3_errmsg(p->db) : "out of memory");
        free(copy);
        return EIO;
    }
    sqlite3_extended_result_codes(p->db, 1);
    sqlite3_busy_timeout(p->db, 10000);

    /* The first statement that reads the file tells a non-database apart. */
    if (sqlite3_prepare_v2(p->db, "PRAGMA journal_mode = WAL", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        snprintf(err, errlen, "cannot use database sqlite:%s: %s", target, sqlite3_errmsg(p->db));
        goto out;
    }
    if (strcmp((const char *)sqlite3_column_text(s, 0), "wal")) {
        snprintf(err, errlen, "cannot use database sqlite:%s: WAL journal refused", target);
        goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (sqlite3_exec(p->db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", NULL, NULL,
                     NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot use database sqlite:%s: %s", target, sqlite3_errmsg(p->db));
        goto out;
    }
    if (create) {
        if (sqlite3_exec(p->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(p->db, sq_schema, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(err, errlen, "cannot create tables in sqlite:%s: %s", target,
                     sqlite3_errmsg(p->db));
            sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
            goto out;
        }
    }
    if (sqlite3_prepare_v2(p->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &s, NULL) !=
            SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        snprintf(err, errlen, "sqlite:%s is not an openline-stats database", target);
        goto out;
    }
    bool old = !strcmp((const char *)sqlite3_column_text(s, 0), "1");
    if (!old && strcmp((const char *)sqlite3_column_text(s, 0), SQ_SCHEMA_VERSION)) {
        snprintf(err, errlen, "sqlite:%s has schema version %s; this program knows %s", target,
                 (const char *)sqlite3_column_text(s, 0), SQ_SCHEMA_VERSION);
        goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (old && sq_upgrade(p->db, target, err, errlen))
        goto out;
    rc = 0;
out:
    sqlite3_finalize(s);
    return rc;
}

static void sq_close(struct store *st)
{
    struct sq_priv *p = sq(st);
    for (int i = 0; i < SQ_COUNT; i++)
        sqlite3_finalize(p->stmt[i]);
    sqlite3_close(p->db);
}

static int sq_simple(struct store *st, enum sq_stmt id, const char *what)
{
    sqlite3_stmt *s = sq_stmt(st, id);
    return s ? sq_run(st, s, what) : EIO;
}

static int sq_begin(struct store *st)
{
    return sq_simple(st, SQ_BEGIN, "begin");
}

static int sq_commit(struct store *st)
{
    return sq_simple(st, SQ_COMMIT, "commit");
}

static void sq_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(sq(st)->db))
        sq_simple(st, SQ_ROLLBACK, "rollback");
}

static int sq_batch_put(struct store *st, int64_t kiosk, const struct ingest_batch *b,
                        enum store_put *res)
{
    sqlite3_stmt *s;
    int rc;

    if (!(s = sq_stmt(st, SQ_BATCH_BY_ID)))
        return EIO;
    sqlite3_bind_int64(s, 1, kiosk);
    sq_text(s, 2, b->id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        bool same = sqlite3_column_int(s, 0) == b->start && sqlite3_column_int(s, 1) == b->days;
        *res = same ? STORE_PUT_DUPLICATE : STORE_PUT_ID_REUSED;
    }
    sq_done(s);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return sq_fail(st, "batch lookup");

    if (!(s = sq_stmt(st, SQ_BATCH_OVERLAP)))
        return EIO;
    sqlite3_bind_int64(s, 1, kiosk);
    sqlite3_bind_int(s, 2, b->start);
    sqlite3_bind_int(s, 3, b->days);
    rc = sqlite3_step(s);
    sq_done(s);
    if (rc == SQLITE_ROW) {
        *res = STORE_PUT_CONFLICT;
        return 0;
    }
    if (rc != SQLITE_DONE)
        return sq_fail(st, "batch overlap");

    if (!(s = sq_stmt(st, SQ_BATCH_INSERT)))
        return EIO;
    sqlite3_bind_int64(s, 1, kiosk);
    sqlite3_bind_int(s, 2, b->start);
    sqlite3_bind_int(s, 3, b->days);
    sqlite3_bind_int(s, 4, b->week);
    sq_text(s, 5, b->id);
    sq_text(s, 6, b->mech == INGEST_MECH_NONE ? "none" : "geometric");
    sqlite3_bind_double(s, 7, b->epsilon);
    sq_text(s, 8, b->counts_json);
    int err = sq_run(st, s, "batch insert");
    if (err)
        return err == EEXIST ? EIO : err;
    *res = STORE_PUT_STORED;
    return 0;
}

static int sq_heartbeat_put(struct store *st, int64_t kiosk, const struct ingest_heartbeat *hb)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_HEARTBEAT_PUT);
    if (!s)
        return EIO;
    sqlite3_bind_int64(s, 1, kiosk);
    sqlite3_bind_int(s, 2, hb->day);
    sq_text(s, 3, hb->version);
    sqlite3_bind_int64(s, 4, hb->spool_depth);
    sq_text(s, 5, hb->clock == INGEST_CLOCK_TRUSTED ? "trusted" : "untrusted");
    sq_text(s, 6, hb->self_test);
    return sq_run(st, s, "heartbeat");
}

static int sq_totals_add(struct store *st, const struct store_total *rows, size_t n)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_TOTALS_ADD);
    if (!s)
        return EIO;
    for (size_t i = 0; i < n; i++) {
        sq_text(s, 1, rows[i].site);
        sq_text(s, 2, rows[i].name);
        sqlite3_bind_int(s, 3, rows[i].day);
        sqlite3_bind_int64(s, 4, rows[i].value);
        sqlite3_bind_double(s, 5, rows[i].var);
        int err = sq_run(st, s, "totals");
        if (err)
            return err;
    }
    return 0;
}

static int sq_noise_add(struct store *st, const struct store_noise *rows, size_t n)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_NOISE_ADD);
    if (!s)
        return EIO;
    for (size_t i = 0; i < n; i++) {
        sq_text(s, 1, rows[i].site);
        sqlite3_bind_int(s, 2, rows[i].day);
        sq_text(s, 3, rows[i].mech);
        sqlite3_bind_double(s, 4, rows[i].epsilon);
        sqlite3_bind_int64(s, 5, rows[i].batches);
        int err = sq_run(st, s, "noise totals");
        if (err)
            return err;
    }
    return 0;
}

static int sq_write_group(struct store *st, struct store_write *w, size_t n)
{
    struct store_total *totals = NULL;
    struct store_noise *noise = NULL;
    size_t nt = 0, nn = 0;
    int err;

    if ((err = sq_begin(st)))
        return err;
    for (size_t i = 0; i < n && !err; i++) {
        if (w[i].batch)
            err = sq_batch_put(st, w[i].kiosk, w[i].batch, &w[i].res);
        else if (w[i].hb)
            err = sq_heartbeat_put(st, w[i].kiosk, w[i].hb);
    }
    if (err || (err = store_rollup(w, n, &totals, &nt, &noise, &nn)) ||
        (err = sq_totals_add(st, totals, nt)) || (err = sq_noise_add(st, noise, nn)) ||
        (err = sq_commit(st)))
        sq_rollback(st);
    free(totals);
    free(noise);
    return err;
}

static void sq_copy(char *dst, size_t len, const unsigned char *src)
{
    snprintf(dst, len, "%s", src ? (const char *)src : "");
}

static int sq_kiosk_auth(struct store *st, const char *hash, struct store_kiosk *k)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_KIOSK_AUTH);
    if (!s)
        return EIO;
    sq_text(s, 1, hash);
    int err = sq_one(st, s, "kiosk lookup");
    if (err)
        return err;
    k->id = sqlite3_column_int64(s, 0);
    sq_copy(k->site, sizeof(k->site), sqlite3_column_text(s, 1));
    k->revoked = sqlite3_column_int(s, 2) != 0;
    sq_done(s);
    return 0;
}

static int sq_kiosk_add(struct store *st, const char *site, const char *hash, int32_t day,
                        int64_t *idp)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_KIOSK_ADD);
    if (!s)
        return EIO;
    sq_text(s, 1, site);
    sq_text(s, 2, hash);
    sqlite3_bind_int(s, 3, day);
    int err = sq_run(st, s, "kiosk add");
    if (!err)
        *idp = sqlite3_last_insert_rowid(sq(st)->db);
    return err;
}

static int sq_kiosk_revoke(struct store *st, int64_t id, int32_t day)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_KIOSK_REVOKE);
    if (!s)
        return EIO;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, day);
    return sq_change(st, s, "kiosk revoke");
}

/* Column i as a day, STORE_NO_DAY when NULL. */
static int32_t sq_day(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? STORE_NO_DAY : sqlite3_column_int(s, i);
}

static int sq_kiosk_row(sqlite3_stmt *s, const struct store_rows *q)
{
    struct store_kiosk_info k = {
        .id = sqlite3_column_int64(s, 0),
        .site = (const char *)sqlite3_column_text(s, 1),
        .revoked = sqlite3_column_int(s, 2) != 0,
        .added_day = sq_day(s, 3),
        .revoked_day = sq_day(s, 4),
        .has_heartbeat = sqlite3_column_type(s, 5) != SQLITE_NULL,
        .day = sqlite3_column_int(s, 5),
        .version = (const char *)sqlite3_column_text(s, 6),
        .spool_depth = sqlite3_column_int64(s, 7),
        .clock = (const char *)sqlite3_column_text(s, 8),
        .self_test = (const char *)sqlite3_column_text(s, 9),
        .spool_before =
            sqlite3_column_type(s, 10) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 10),
        .has_batches = sqlite3_column_type(s, 11) != SQLITE_NULL,
        .first_day = sqlite3_column_int(s, 11),
        .last_end = sqlite3_column_int(s, 12),
        .last_days = sqlite3_column_int(s, 13),
    };
    return q->h.kiosk(&k, q->arg);
}

static int sq_kiosk_list(struct store *st, store_kiosk_h *h, void *arg)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_KIOSK_LIST);
    if (!s)
        return EIO;
    return sq_rows(st, s, sq_kiosk_row, &(struct store_rows){.h.kiosk = h, .arg = arg},
                   "kiosk list");
}

static int sq_staff_add(struct store *st, const char *name, const char *pwhash)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_STAFF_ADD);
    if (!s)
        return EIO;
    sq_text(s, 1, name);
    sq_text(s, 2, pwhash);
    return sq_run(st, s, "staff add");
}

static int sq_staff_get(struct store *st, const char *name, int64_t *idp, char *pwhash,
                        size_t pwlen)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_STAFF_GET);
    if (!s)
        return EIO;
    sq_text(s, 1, name);
    int err = sq_one(st, s, "staff lookup");
    if (err)
        return err;
    *idp = sqlite3_column_int64(s, 0);
    sq_copy(pwhash, pwlen, sqlite3_column_text(s, 1));
    sq_done(s);
    return 0;
}

static int sq_staff_set_token(struct store *st, const char *name, const char *hash)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_STAFF_SET_TOKEN);
    if (!s)
        return EIO;
    sq_text(s, 1, name);
    sq_text(s, 2, hash);
    return sq_change(st, s, "staff token");
}

static int sq_staff_by_token(struct store *st, const char *hash, int64_t *idp)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_STAFF_BY_TOKEN);
    if (!s)
        return EIO;
    sq_text(s, 1, hash);
    int err = sq_one(st, s, "staff token lookup");
    if (err)
        return err;
    *idp = sqlite3_column_int64(s, 0);
    sq_done(s);
    return 0;
}

static int sq_staff_row(sqlite3_stmt *s, const struct store_rows *q)
{
    return q->h.staff(sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
                      sqlite3_column_int(s, 2) != 0, q->arg);
}

static int sq_staff_list(struct store *st, store_staff_h *h, void *arg)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_STAFF_LIST);
    if (!s)
        return EIO;
    return sq_rows(st, s, sq_staff_row, &(struct store_rows){.h.staff = h, .arg = arg},
                   "staff list");
}

static int sq_staff_remove(struct store *st, const char *name)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_STAFF_REMOVE);
    if (!s)
        return EIO;
    sq_text(s, 1, name);
    return sq_change(st, s, "staff remove");
}

static int sq_session_add(struct store *st, const char *hash, int64_t staff, int64_t expires)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_SESSION_ADD);
    if (!s)
        return EIO;
    sq_text(s, 1, hash);
    sqlite3_bind_int64(s, 2, staff);
    sqlite3_bind_int64(s, 3, expires);
    return sq_run(st, s, "session add");
}

static int sq_session_prune(struct store *st, int64_t now)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_SESSION_PRUNE);
    if (!s)
        return EIO;
    sqlite3_bind_int64(s, 1, now);
    return sq_run(st, s, "session prune");
}

static int sq_session_get(struct store *st, const char *hash, int64_t now, int64_t *staffp,
                          char *name)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_SESSION_GET);
    if (!s)
        return EIO;
    sq_text(s, 1, hash);
    sqlite3_bind_int64(s, 2, now);
    int err = sq_one(st, s, "session lookup");
    if (err)
        return err;
    *staffp = sqlite3_column_int64(s, 0);
    sq_copy(name, STORE_NAME_MAX + 1, sqlite3_column_text(s, 1));
    sq_done(s);
    return 0;
}

static int sq_session_remove(struct store *st, const char *hash)
{
    sqlite3_stmt *s = sq_stmt(st, SQ_SESSION_REMOVE);
    if (!s)
        return EIO;
    sq_text(s, 1, hash);
    return sq_run(st, s, "session remove");
}

static int sq_day_row(sqlite3_stmt *s, const struct store_rows *q)
{
    return q->h.total(sqlite3_column_int(s, 0), NULL, (const char *)sqlite3_column_text(s, 1),
                      sqlite3_column_int64(s, 2), sqlite3_column_double(s, 3), q->arg);
}

static int sq_days_get(struct store *st, const struct store_query *q, store_total_h *h, void *arg)
{
    return sq_range(st, SQ_DAYS_GET, q, sq_day_row, &(struct store_rows){.h.total = h, .arg = arg},
                    "daily totals");
}

static int sq_site_row(sqlite3_stmt *s, const struct store_rows *q)
{
    return q->h.total(sqlite3_column_int(s, 0), (const char *)sqlite3_column_text(s, 1),
                      (const char *)sqlite3_column_text(s, 2), sqlite3_column_int64(s, 3),
                      sqlite3_column_double(s, 4), q->arg);
}

static int sq_site_days_get(struct store *st, const struct store_query *q, store_total_h *h,
                            void *arg)
{
    return sq_range(st, SQ_SITE_DAYS_GET, q, sq_site_row,
                    &(struct store_rows){.h.total = h, .arg = arg}, "site totals per day");
}

static int sq_noise_row(sqlite3_stmt *s, const struct store_rows *q)
{
    return q->h.noise(sqlite3_column_int(s, 0), (const char *)sqlite3_column_text(s, 1),
                      sqlite3_column_double(s, 2), sqlite3_column_int64(s, 3), q->arg);
}

static int sq_noise_get(struct store *st, const struct store_query *q, store_noise_h *h, void *arg)
{
    return sq_range(st, SQ_NOISE_GET, q, sq_noise_row,
                    &(struct store_rows){.h.noise = h, .arg = arg}, "noise totals");
}

static int sq_batch_row(sqlite3_stmt *s, const struct store_rows *q)
{
    return q->h.batch(sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1),
                      sqlite3_column_int(s, 2), q->arg);
}

static int sq_batches_get(struct store *st, const struct store_query *q, store_batch_h *h,
                          void *arg)
{
    return sq_range(st, SQ_BATCHES_GET, q, sq_batch_row,
                    &(struct store_rows){.h.batch = h, .arg = arg}, "batches");
}

const struct store_driver store_sqlite = {
    .scheme = "sqlite",
    .priv_size = sizeof(struct sq_priv),
    .open = sq_open,
    .close = sq_close,
    .write_group = sq_write_group,
    .kiosk_auth = sq_kiosk_auth,
    .kiosk_add = sq_kiosk_add,
    .kiosk_revoke = sq_kiosk_revoke,
    .kiosk_list = sq_kiosk_list,
    .staff_add = sq_staff_add,
    .staff_get = sq_staff_get,
    .staff_set_token = sq_staff_set_token,
    .staff_by_token = sq_staff_by_token,
    .staff_list = sq_staff_list,
    .staff_remove = sq_staff_remove,
    .session_add = sq_session_add,
    .session_prune = sq_session_prune,
    .session_get = sq_session_get,
    .session_remove = sq_session_remove,
    .days_get = sq_days_get,
    .site_days_get = sq_site_days_get,
    .noise_get = sq_noise_get,
    .batches_get = sq_batches_get,
};
