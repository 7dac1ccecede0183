/* The spool: live counters and the outbox of noisy batches in one SQLite file (WAL).
 *
 * What is on disk is only ever: per open bucket, one value per counter of the closed set (rows
 * made when the bucket opens, so that which rows exist does not depend on use); batches waiting
 * for the collector; and a few facts about the kiosk itself (meta). No row says when something
 * happened or what went with what. The WAL would keep the order in which counters changed, so
 * the counts thread truncates it after each session (spool_checkpoint), and secure_delete
 * overwrites what is deleted.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "counts_int.h"
#include "openline/util.h"

static const char spool_schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS live (start INTEGER NOT NULL, days INTEGER NOT NULL,"
    " name TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (start, days, name))"
    " WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS open_buckets (start INTEGER NOT NULL, days INTEGER NOT NULL,"
    " PRIMARY KEY (start, days)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS outbox (batch TEXT PRIMARY KEY, start INTEGER NOT NULL,"
    " days INTEGER NOT NULL, payload TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt INTEGER NOT NULL, state INTEGER NOT NULL DEFAULT 0,"
    " reason TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', 1);";

enum spool_stmt {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_ADD,
    ST_META_GET,
    ST_META_SET,
    ST_OPEN_HOLDING,
    ST_OPEN_ADD,
    ST_OPEN_ZEROS,
    ST_ENDED,
    ST_TO_UNDATED,
    ST_FROM_UNDATED,
    ST_DELETE_LIVE,
    ST_DELETE_OPEN,
    ST_HAS_UNDATED,
    ST_COUNTS,
    ST_OUTBOX_ADD,
    ST_OUTBOX_COUNT,
    ST_OUTBOX_DROP,
    ST_NEXT_DUE,
    ST_NEXT_ATTEMPT,
    ST_LIST,
    ST_DELETE,
    ST_RETRY,
    ST_QUARANTINE,
    ST_DEPTH,
    ST_N
};

/* A counter already in live for the bucket adds the new value to its own. */
#define ADD_TO_LIVE " ON CONFLICT (start, days, name) DO UPDATE SET value = value + excluded.value"
/* One outbox row as read_batch() reads it. */
#define OUTBOX_ROW                                                                                 \
    "SELECT batch, start, days, payload, attempts, next_attempt, state, reason FROM outbox"

static const char *const spool_sql[ST_N] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_ADD] = "INSERT INTO live (start, days, name, value) VALUES (?1, ?2, ?3, ?4)" ADD_TO_LIVE,
    [ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [ST_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [ST_OPEN_HOLDING] = "SELECT start, days FROM open_buckets WHERE start <= ?1"
                        " AND start + days > ?1 ORDER BY start LIMIT 1",
    [ST_OPEN_ADD] = "INSERT OR IGNORE INTO open_buckets (start, days) VALUES (?1, ?2)",
    [ST_OPEN_ZEROS] =
        "INSERT OR IGNORE INTO live (start, days, name, value) VALUES (?1, ?2, ?3, 0)",
    [ST_ENDED] = "SELECT start, days FROM (SELECT start, days FROM open_buckets UNION"
                 " SELECT start, days FROM live WHERE start >= 0) WHERE start + days <= ?1"
                 " ORDER BY start, days LIMIT 1",
    [ST_TO_UNDATED] = "INSERT INTO live (start, days, name, value) SELECT -1, 0, name, value"
                      " FROM live WHERE start = ?1 AND days = ?2 AND value <> 0" ADD_TO_LIVE,
    [ST_FROM_UNDATED] = "INSERT INTO live (start, days, name, value) SELECT ?1, ?2, name, value"
                        " FROM live WHERE start = -1" ADD_TO_LIVE,
    [ST_DELETE_LIVE] = "DELETE FROM live WHERE start = ?1 AND days = ?2",
    [ST_DELETE_OPEN] = "DELETE FROM open_buckets WHERE start = ?1 AND days = ?2",
    [ST_HAS_UNDATED] = "SELECT 1 FROM live WHERE start = -1 LIMIT 1",
    [ST_COUNTS] = "SELECT name, value FROM live WHERE start = ?1 AND days = ?2 ORDER BY name",
    [ST_OUTBOX_ADD] = "INSERT INTO outbox (batch, start, days, payload, attempts, next_attempt)"
                      " VALUES (?1, ?2, ?3, ?4, 0, ?5)",
    [ST_OUTBOX_COUNT] = "SELECT count(*) FROM outbox",
    [ST_OUTBOX_DROP] = "DELETE FROM outbox WHERE batch IN"
                       " (SELECT batch FROM outbox ORDER BY start LIMIT ?1)",
    [ST_NEXT_DUE] = OUTBOX_ROW " WHERE state = 0 AND next_attempt <= ?1 ORDER BY start LIMIT 1",
    [ST_NEXT_ATTEMPT] = "SELECT min(next_attempt) FROM outbox WHERE state = 0",
    [ST_LIST] = OUTBOX_ROW " ORDER BY start",
    [ST_DELETE] = "DELETE FROM outbox WHERE batch = ?1",
    [ST_RETRY] = "UPDATE outbox SET attempts = ?2, next_attempt = ?3, reason = ?4 WHERE batch = ?1",
    [ST_QUARANTINE] = "UPDATE outbox SET attempts = ?2, state = 1, reason = ?3 WHERE batch = ?1",
    [ST_DEPTH] = "SELECT count(*), coalesce(sum(state = 1), 0) FROM outbox",
};

struct spool {
    sqlite3 *db;
    sqlite3_stmt *st[ST_N];
    enum spool_role role;
};

/* SQLite result codes as errno values: EBUSY is worth trying again soon; ENOSPC when the disk
 * is full; EIO for anything else. */
static int spool_errno(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return 0;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return EBUSY;
    case SQLITE_FULL:
        return ENOSPC;
    case SQLITE_NOMEM:
        return ENOMEM;
    default:
        return EIO;
    }
}

const char *spool_errmsg(struct spool *s)
{
    return s && s->db ? sqlite3_errmsg(s->db) : "no database";
}

/* mkdir -p path with mode 0700 for what it creates. */
static int make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (util_strlcpy(buf, path, sizeof(buf)))
        return ENAMETOOLONG;
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0700) && errno != EEXIST)
                return errno;
            *p = c;
            if (!c)
                break;
        }
    }
    struct stat st;
    if (stat(path, &st))
        return errno;
    return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

int spool_open(struct spool **sp, const char *state_dir, enum spool_role role, char *err,
               size_t errlen)
{
    char path[PATH_MAX + 16];
    struct spool *s = calloc(1, sizeof(*s));
    int rc, e;

    if (!s)
        return ENOMEM;
    s->role = role;
    snprintf(path, sizeof(path), "%s/counts.db", state_dir);
    /* The commands a technician runs (perhaps as root) read the kiosk's spool; they never make
     * one, which would belong to them and not to the kiosk's user. */
    if (role == SPOOL_TOOL && access(path, F_OK)) {
        e = errno;
        snprintf(err, errlen, "counts: %s: %s", path,
                 e == ENOENT ? "not made yet (the kiosk makes it when it first counts)"
                             : strerror(e));
        free(s);
        return e;
    }
    if (role != SPOOL_TOOL && (e = make_dirs(state_dir))) {
        snprintf(err, errlen, "counts: cannot create the state directory %s: %s", state_dir,
                 strerror(e));
        free(s);
        return e;
    }
    /* Created private before SQLite opens it; its -wal and -shm files take the same mode. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        e = errno;
        snprintf(err, errlen, "counts: cannot open %s: %s", path, strerror(e));
        free(s);
        return e;
    }
    close(fd);
    rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(s->db, 1);
        /* The UI thread never waits for the counts thread's lock (its write is kept and tried
         * again); the others wait a while. */
        sqlite3_busy_timeout(s->db, role == SPOOL_UI ? 0 : 10000);
        char pragmas[256];
        snprintf(pragmas, sizeof(pragmas),
                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = %s; PRAGMA secure_delete = ON;"
                 " PRAGMA wal_autocheckpoint = %d;",
                 role == SPOOL_UI ? "NORMAL" : "FULL", role == SPOOL_UI ? 0 : 1000);
        rc = sqlite3_exec(s->db, pragmas, NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, spool_schema, NULL, NULL, NULL);
    for (int i = 0; rc == SQLITE_OK && i < ST_N; i++)
        rc =
            sqlite3_prepare_v3(s->db, spool_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL);
    if (rc != SQLITE_OK) {
        struct statvfs fs;
        bool full = !statvfs(state_dir, &fs) && fs.f_bavail == 0;
        e = full ? ENOSPC : spool_errno(rc);
        snprintf(err, errlen, "counts: %s: %s%s", path,
                 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc),
                 full ? " (no space left on its disk)" : "");
        spool_close(s);
        return e ? e : EIO;
    }
    *sp = s;
    return 0;
}

void spool_close(struct spool *s)
{
    if (!s)
        return;
    for (int i = 0; i < ST_N; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s);
}

/* Run a statement that returns no rows, with its parameters bound by the caller. */
/* Ready st for its next use. */
static void stmt_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static int step_done(struct spool *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    stmt_done(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : spool_errno(rc);
}

/* Step st to its first row: 0 (read the row, then stmt_done()), ENOENT when there is none, or an
 * errno value. */
static int step_row(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? ENOENT : spool_errno(rc);
}

static void bind_bucket(sqlite3_stmt *st, const struct bucket *b)
{
    sqlite3_bind_int64(st, 1, b->start);
    sqlite3_bind_int(st, 2, b->days);
}

int spool_add(struct spool *s, const struct bucket *b, const char *name, int64_t delta)
{
    sqlite3_stmt *st = s->st[ST_ADD];
    bind_bucket(st, b);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, delta);
    return step_done(s, st);
}

int spool_begin(struct spool *s)
{
    return step_done(s, s->st[ST_BEGIN]);
}

int spool_commit(struct spool *s)
{
    return step_done(s, s->st[ST_COMMIT]);
}

void spool_rollback(struct spool *s)
{
    if (!sqlite3_get_autocommit(s->db))
        step_done(s, s->st[ST_ROLLBACK]);
}

int spool_meta_get(struct spool *s, const char *key, int64_t *v)
{
    sqlite3_stmt *st = s->st[ST_META_GET];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int err = step_row(st);
    if (!err)
        *v = sqlite3_column_int64(st, 0);
    stmt_done(st);
    return err;
}

int spool_meta_set(struct spool *s, const char *key, int64_t v)
{
    sqlite3_stmt *st = s->st[ST_META_SET];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, v);
    return step_done(s, st);
}

int spool_meta_get_text(struct spool *s, const char *key, char *out, size_t len)
{
    sqlite3_stmt *st = s->st[ST_META_GET];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int err = step_row(st);
    if (!err) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        util_strlcpy(out, t ? (const char *)t : "", len);
    }
    stmt_done(st);
    return err;
}

int spool_meta_set_text(struct spool *s, const char *key, const char *v)
{
    sqlite3_stmt *st = s->st[ST_META_SET];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, v, -1, SQLITE_TRANSIENT);
    return step_done(s, st);
}

/* Read one (start, days) row of st into *b; ENOENT when there is none. */
static int step_bucket(struct spool *s, sqlite3_stmt *st, struct bucket *b)
{
    int err = step_row(st);
    (void)s;
    if (!err) {
        b->start = sqlite3_column_int64(st, 0);
        b->days = sqlite3_column_int(st, 1);
    }
    stmt_done(st);
    return err;
}

int spool_open_bucket_holding(struct spool *s, int64_t day, struct bucket *b)
{
    sqlite3_bind_int64(s->st[ST_OPEN_HOLDING], 1, day);
    return step_bucket(s, s->st[ST_OPEN_HOLDING], b);
}

int spool_open_bucket(struct spool *s, const struct bucket *b, const struct counts_set *set)
{
    int err = spool_begin(s);
    if (err)
        return err;
    bind_bucket(s->st[ST_OPEN_ADD], b);
    err = step_done(s, s->st[ST_OPEN_ADD]);
    for (size_t i = 0; !err && i < set->n; i++) {
        bind_bucket(s->st[ST_OPEN_ZEROS], b);
        sqlite3_bind_text(s->st[ST_OPEN_ZEROS], 3, set->names[i], -1, SQLITE_STATIC);
        err = step_done(s, s->st[ST_OPEN_ZEROS]);
    }
    if (!err)
        err = spool_commit(s);
    if (err)
        spool_rollback(s);
    return err;
}

int spool_ended_bucket(struct spool *s, int64_t today, struct bucket *b)
{
    sqlite3_bind_int64(s->st[ST_ENDED], 1, today);
    return step_bucket(s, s->st[ST_ENDED], b);
}

static int move_bucket(struct spool *s, enum spool_stmt move, const struct bucket *from,
                       const struct bucket *to)
{
    int err = spool_begin(s);
    if (err)
        return err;
    bind_bucket(s->st[move], move == ST_TO_UNDATED ? from : to);
    err = step_done(s, s->st[move]);
    if (!err) {
        bind_bucket(s->st[ST_DELETE_LIVE], from);
        err = step_done(s, s->st[ST_DELETE_LIVE]);
    }
    if (!err) {
        bind_bucket(s->st[ST_DELETE_OPEN], from);
        err = step_done(s, s->st[ST_DELETE_OPEN]);
    }
    if (!err)
        err = spool_commit(s);
    if (err)
        spool_rollback(s);
    return err;
}

int spool_refile(struct spool *s, const struct bucket *b)
{
    struct bucket undated = {BUCKET_UNDATED_START, 0};
    return move_bucket(s, ST_TO_UNDATED, b, &undated);
}

int spool_assign_undated(struct spool *s, const struct bucket *b)
{
    struct bucket undated = {BUCKET_UNDATED_START, 0};
    return move_bucket(s, ST_FROM_UNDATED, &undated, b);
}

bool spool_has_undated(struct spool *s)
{
    sqlite3_stmt *st = s->st[ST_HAS_UNDATED];
    bool has = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return has;
}

void spool_counts_free(char **names, int64_t *values, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    free(values);
}

int spool_counts(struct spool *s, const struct bucket *b, char ***namesp, int64_t **valuesp,
                 size_t *np)
{
    sqlite3_stmt *st = s->st[ST_COUNTS];
    char **names = NULL;
    int64_t *values = NULL;
    size_t n = 0, cap = 0;
    int rc, err = 0;

    bind_bucket(st, b);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof(*nn));
            int64_t *nv = nn ? realloc(values, cap * sizeof(*nv)) : NULL;
            if (nn)
                names = nn;
            if (nv)
                values = nv;
            if (!nn || !nv) {
                err = ENOMEM;
                break;
            }
        }
        names[n] = strdup((const char *)sqlite3_column_text(st, 0));
        if (!names[n]) {
            err = ENOMEM;
            break;
        }
        values[n++] = sqlite3_column_int64(st, 1);
    }
    if (!err && rc != SQLITE_DONE)
        err = spool_errno(rc);
    stmt_done(st);
    if (err) {
        spool_counts_free(names, values, n);
        return err;
    }
    *namesp = names;
    *valuesp = values;
    *np = n;
    return 0;
}

int spool_close_bucket(struct spool *s, const struct spool_batch *batch, unsigned *dropped)
{
    sqlite3_stmt *st = s->st[ST_OUTBOX_ADD];
    int64_t closed_until = 0, n = 0, was = 0;
    int err;

    *dropped = 0;
    sqlite3_bind_text(st, 1, batch->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, batch->bucket.start);
    sqlite3_bind_int(st, 3, batch->bucket.days);
    sqlite3_bind_text(st, 4, batch->payload, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, batch->next_attempt_ms);
    if ((err = step_done(s, st)))
        return err;
    bind_bucket(s->st[ST_DELETE_LIVE], &batch->bucket);
    if ((err = step_done(s, s->st[ST_DELETE_LIVE])))
        return err;
    bind_bucket(s->st[ST_DELETE_OPEN], &batch->bucket);
    if ((err = step_done(s, s->st[ST_DELETE_OPEN])))
        return err;
    err = spool_meta_get(s, "closed_until", &closed_until);
    if (err && err != ENOENT)
        return err;
    if (batch->bucket.start + batch->bucket.days > closed_until &&
        (err = spool_meta_set(s, "closed_until", batch->bucket.start + batch->bucket.days)))
        return err;
    st = s->st[ST_OUTBOX_COUNT];
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (n > SPOOL_MAX_BATCHES) {
        sqlite3_bind_int64(s->st[ST_OUTBOX_DROP], 1, n - SPOOL_MAX_BATCHES);
        if ((err = step_done(s, s->st[ST_OUTBOX_DROP])))
            return err;
        err = spool_meta_get(s, "dropped", &was);
        if (err && err != ENOENT)
            return err;
        if ((err = spool_meta_set(s, "dropped", was + n - SPOOL_MAX_BATCHES)))
            return err;
        was = 0;
        err = spool_meta_get(s, "dropped_unreported", &was);
        if (err && err != ENOENT)
            return err;
        if ((err = spool_meta_set(s, "dropped_unreported", was + n - SPOOL_MAX_BATCHES)))
            return err;
        *dropped = (unsigned)(n - SPOOL_MAX_BATCHES);
    }
    return 0;
}

void spool_batch_free(struct spool_batch *b)
{
    if (b) {
        free(b->payload);
        b->payload = NULL;
    }
}

static void read_batch(sqlite3_stmt *st, struct spool_batch *b)
{
    const unsigned char *t;
    memset(b, 0, sizeof(*b));
    util_strlcpy(b->id, (const char *)sqlite3_column_text(st, 0), sizeof(b->id));
    b->bucket.start = sqlite3_column_int64(st, 1);
    b->bucket.days = sqlite3_column_int(st, 2);
    t = sqlite3_column_text(st, 3);
    b->payload = t ? strdup((const char *)t) : NULL;
    b->attempts = sqlite3_column_int64(st, 4);
    b->next_attempt_ms = sqlite3_column_int64(st, 5);
    b->state = (enum spool_state)sqlite3_column_int(st, 6);
    t = sqlite3_column_text(st, 7);
    util_strlcpy(b->reason, t ? (const char *)t : "", sizeof(b->reason));
}

int spool_next_due(struct spool *s, int64_t now_ms, struct spool_batch *batch)
{
    sqlite3_stmt *st = s->st[ST_NEXT_DUE];
    sqlite3_bind_int64(st, 1, now_ms);
    int err = step_row(st);
    if (!err) {
        read_batch(st, batch);
        err = batch->payload ? 0 : ENOMEM;
    }
    stmt_done(st);
    return err;
}

int64_t spool_next_attempt(struct spool *s)
{
    sqlite3_stmt *st = s->st[ST_NEXT_ATTEMPT];
    int64_t t = INT64_MAX;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        t = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return t;
}

int spool_list(struct spool *s, struct spool_batch **batchesp, size_t *np)
{
    sqlite3_stmt *st = s->st[ST_LIST];
    struct spool_batch *v = NULL;
    size_t n = 0;
    int rc, err = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct spool_batch *nv = realloc(v, (n + 1) * sizeof(*v));
        if (!nv) {
            err = ENOMEM;
            break;
        }
        v = nv;
        read_batch(st, &v[n]);
        if (!v[n++].payload) {
            err = ENOMEM;
            break;
        }
    }
    if (!err && rc != SQLITE_DONE)
        err = spool_errno(rc);
    sqlite3_reset(st);
    if (err) {
        spool_list_free(v, n);
        return err;
    }
    *batchesp = v;
    *np = n;
    return 0;
}

void spool_list_free(struct spool_batch *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        spool_batch_free(&v[i]);
    free(v);
}

int spool_delete(struct spool *s, const char *id)
{
    sqlite3_bind_text(s->st[ST_DELETE], 1, id, -1, SQLITE_STATIC);
    return step_done(s, s->st[ST_DELETE]);
}

int spool_retry_at(struct spool *s, const char *id, int64_t attempts, int64_t next_ms,
                   const char *reply)
{
    sqlite3_stmt *st = s->st[ST_RETRY];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, attempts);
    sqlite3_bind_int64(st, 3, next_ms);
    sqlite3_bind_text(st, 4, reply, -1, SQLITE_STATIC);
    return step_done(s, st);
}

int spool_quarantine(struct spool *s, const char *id, int64_t attempts, const char *reason)
{
    sqlite3_stmt *st = s->st[ST_QUARANTINE];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, attempts);
    sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    return step_done(s, st);
}

int spool_depth(struct spool *s, int *all, int *quarantined)
{
    sqlite3_stmt *st = s->st[ST_DEPTH];
    int rc = sqlite3_step(st), err = 0;
    if (rc == SQLITE_ROW) {
        *all = sqlite3_column_int(st, 0);
        if (quarantined)
            *quarantined = sqlite3_column_int(st, 1);
    } else {
        err = spool_errno(rc);
        if (!err)
            err = EIO;
    }
    sqlite3_reset(st);
    return err;
}

int spool_checkpoint(struct spool *s)
{
    return spool_errno(
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL));
}
