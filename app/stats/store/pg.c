/* PostgreSQL storage driver (libpq): for several collector nodes sharing one database. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "store_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "margin.h"
#include "openline/log.h"
#include "rollup.h"

#define PG_SCHEMA_VERSION "2"

/* Advisory lock keys: (PG_LOCK_NS, 1) guards schema changes; a kiosk's own id (one bigint, a key
 * space apart from the two-integer one) serialises its batches across nodes. */
#define PG_LOCK_NS "724301"

/* The roll-ups (rollup.h), by site ("" for all sites) first, as in sqlite.c. */
#define PG_ROLLUP_TABLES                                                                           \
    "CREATE TABLE IF NOT EXISTS totals (site text NOT NULL, name text NOT NULL,"                   \
    " day integer NOT NULL, value bigint NOT NULL, var double precision NOT NULL,"                 \
    " PRIMARY KEY (site, day, name));"                                                             \
    "CREATE TABLE IF NOT EXISTS noise_totals (site text NOT NULL, day integer NOT NULL,"           \
    " mech text NOT NULL, epsilon double precision NOT NULL, batches bigint NOT NULL,"             \
    " PRIMARY KEY (site, day, mech, epsilon));"

/* Schema 1 kept weekly roll-ups of six counters per site: schema 2's are made again from the
 * batches, which are kept whole. The variance is margin.c's report_noise_var(), written in SQL
 * for this one statement (new batches carry the value computed in C). */
static const char pg_upgrade_1[] =
    "SET client_min_messages = warning;"
    "BEGIN;"
    "SELECT pg_advisory_xact_lock(" PG_LOCK_NS ", 1);"
    "ALTER TABLE kiosks ADD COLUMN IF NOT EXISTS added_day integer,"
    " ADD COLUMN IF NOT EXISTS revoked_day integer;"
    "DROP TABLE totals; DROP TABLE noise_totals;" PG_ROLLUP_TABLES
    "CREATE TEMP VIEW upgrade_b AS SELECT b.*, k.site,"
    " CASE WHEN b.days = 7 THEN b.start_day + 3 ELSE b.start_day END AS aday,"
    " CASE WHEN b.mech = 'none' OR b.epsilon <= 0 THEN 0"
    "  ELSE 2 * exp(-b.epsilon) / ((1 - exp(-b.epsilon)) ^ 2) END AS var"
    " FROM batches b JOIN kiosks k ON k.id = b.kiosk;"
    "INSERT INTO totals (site, name, day, value, var)"
    " SELECT s.site, kv.key, b.aday, SUM(kv.value::bigint), SUM(b.var) FROM upgrade_b b"
    " CROSS JOIN LATERAL jsonb_each_text(b.counts) AS kv"
    " CROSS JOIN LATERAL (SELECT '' AS site UNION ALL SELECT b.site) AS s GROUP BY 1, 2, 3;"
    "INSERT INTO noise_totals (site, day, mech, epsilon, batches)"
    " SELECT s.site, b.aday, b.mech, b.epsilon, COUNT(*) FROM upgrade_b b"
    " CROSS JOIN LATERAL (SELECT '' AS site UNION ALL SELECT b.site) AS s GROUP BY 1, 2, 3, 4;"
    "DROP VIEW upgrade_b;"
    "UPDATE meta SET value = '2' WHERE key = 'schema';"
    "COMMIT;";

static const char pg_schema[] =
    "SET client_min_messages = warning;"
    "SELECT pg_advisory_lock(" PG_LOCK_NS ", 1);"
    "CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS kiosks (id bigserial PRIMARY KEY, site text NOT NULL,"
    " token_hash text NOT NULL UNIQUE, revoked boolean NOT NULL DEFAULT false,"
    " added_day integer, revoked_day integer);"
    "CREATE TABLE IF NOT EXISTS batches (kiosk bigint NOT NULL REFERENCES kiosks(id),"
    " start_day integer NOT NULL, days integer NOT NULL, week integer NOT NULL,"
    " batch_id text NOT NULL, mech text NOT NULL, epsilon double precision NOT NULL,"
    " counts jsonb NOT NULL, PRIMARY KEY (kiosk, start_day), UNIQUE (kiosk, batch_id));"
    "CREATE INDEX IF NOT EXISTS batches_week ON batches (week, kiosk, start_day, "
    "days);" PG_ROLLUP_TABLES
    "CREATE TABLE IF NOT EXISTS heartbeats (kiosk bigint NOT NULL REFERENCES kiosks(id),"
    " day integer NOT NULL, version text NOT NULL, spool_depth integer NOT NULL,"
    " clock text NOT NULL, self_test text NOT NULL, PRIMARY KEY (kiosk, day));"
    "CREATE TABLE IF NOT EXISTS staff (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE,"
    " pwhash text NOT NULL, token_hash text UNIQUE);"
    "CREATE TABLE IF NOT EXISTS sessions (hash text PRIMARY KEY,"
    " staff bigint NOT NULL REFERENCES staff(id) ON DELETE CASCADE, expires bigint NOT NULL);"
    /* One round trip per batch: check for a duplicate or an overlapping bucket, then insert.
     * Returns 0 stored, 1 duplicate, 2 overlapping bucket, 3 batch id reused. */
    "CREATE OR REPLACE FUNCTION openline_put_batch(k bigint, s integer, d integer, w integer,"
    " bid text, m text, e double precision, c jsonb) RETURNS integer LANGUAGE plpgsql AS $f$"
    " DECLARE r record;"
    " BEGIN"
    "  PERFORM pg_advisory_xact_lock(k);"
    "  SELECT start_day, days INTO r FROM batches WHERE kiosk = k AND batch_id = bid;"
    "  IF FOUND THEN"
    "   IF r.start_day = s AND r.days = d THEN RETURN 1; END IF;"
    "   RETURN 3;"
    "  END IF;"
    "  PERFORM 1 FROM batches WHERE kiosk = k AND start_day > s - 7 AND start_day < s + d"
    "   AND start_day + days > s;"
    "  IF FOUND THEN RETURN 2; END IF;"
    "  INSERT INTO batches (kiosk, start_day, days, week, batch_id, mech, epsilon, counts)"
    "   VALUES (k, s, d, w, bid, m, e, c);"
    "  RETURN 0;"
    " END $f$;"
    /* A group of writes in one call, one transaction: {"b": [batch...], "h": [heartbeat...]}.
     * One result row per batch, in order; the stored batches are added to the roll-ups, summed
     * per key and in key order (so concurrent nodes lock rows in one order). */
    "CREATE OR REPLACE FUNCTION openline_write_group(g jsonb) RETURNS SETOF integer"
    " LANGUAGE plpgsql AS $f$"
    " DECLARE b jsonb; i bigint; r integer; stored bigint[] := '{}';"
    " BEGIN"
    "  FOR b, i IN SELECT e, n FROM jsonb_array_elements(g->'b') WITH ORDINALITY AS t(e, n)"
    "   ORDER BY n LOOP"
    "   r := openline_put_batch((b->>'k')::bigint, (b->>'s')::integer, (b->>'d')::integer,"
    "    (b->>'w')::integer, b->>'id', b->>'m', (b->>'e')::double precision, b->'c');"
    "   IF r = 0 THEN stored := stored || i; END IF;"
    "   RETURN NEXT r;"
    "  END LOOP;"
    /* "a": the day of attribution, "v": the noise's variance, both from C (rollup.h). */
    "  INSERT INTO totals (site, name, day, value, var)"
    "   SELECT x.site, kv.key, (e->>'a')::integer, SUM(kv.value::bigint),"
    "    SUM((e->>'v')::double precision)"
    "   FROM jsonb_array_elements(g->'b') WITH ORDINALITY AS t(e, n)"
    "   CROSS JOIN LATERAL jsonb_each_text(e->'c') AS kv"
    "   CROSS JOIN LATERAL (SELECT '' AS site UNION ALL SELECT e->>'site') AS x"
    "   WHERE t.n = ANY (stored) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    "   ON CONFLICT (site, day, name) DO UPDATE SET value = totals.value + EXCLUDED.value,"
    "   var = totals.var + EXCLUDED.var;"
    "  INSERT INTO noise_totals (site, day, mech, epsilon, batches)"
    "   SELECT x.site, (e->>'a')::integer, e->>'m', (e->>'e')::double precision, COUNT(*)"
    "   FROM jsonb_array_elements(g->'b') WITH ORDINALITY AS t(e, n)"
    "   CROSS JOIN LATERAL (SELECT '' AS site UNION ALL SELECT e->>'site') AS x"
    "   WHERE t.n = ANY (stored) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    "   ON CONFLICT (site, day, mech, epsilon)"
    "   DO UPDATE SET batches = noise_totals.batches + EXCLUDED.batches;"
    "  INSERT INTO heartbeats (kiosk, day, version, spool_depth, clock, self_test)"
    "   SELECT DISTINCT ON (k, day) k, day, v, sd, cl, st FROM ("
    "    SELECT (e->>'k')::bigint AS k, (e->>'day')::integer AS day, e->>'v' AS v,"
    "     (e->>'sd')::integer AS sd, e->>'cl' AS cl, e->>'st' AS st, n"
    "    FROM jsonb_array_elements(g->'h') WITH ORDINALITY AS t(e, n)) AS hb"
    "   ORDER BY k, day, n DESC"
    "   ON CONFLICT (kiosk, day) DO UPDATE SET version = EXCLUDED.version,"
    "   spool_depth = EXCLUDED.spool_depth, clock = EXCLUDED.clock,"
    "   self_test = EXCLUDED.self_test;"
    " END $f$;"
    "INSERT INTO meta (key, value) VALUES ('schema', '" PG_SCHEMA_VERSION "')"
    " ON CONFLICT (key) DO NOTHING;"
    "SELECT pg_advisory_unlock(" PG_LOCK_NS ", 1);";

/* Most distinct statements prepared per connection. */
#define PG_PREPARED_MAX 40

struct pg_priv {
    PGconn *conn;
    const char *prepared[PG_PREPARED_MAX]; /* statement texts prepared on conn */
    char names[PG_PREPARED_MAX][8];
    size_t nprepared;
};

static PGconn *pg(struct store *st)
{
    return ((struct pg_priv *)st->priv)->conn;
}

static void pg_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* notices are for people at a psql prompt; the collector logs its own errors */
}

/* Copy msg into out as one line: newlines and tabs become spaces, trailing space dropped. */
static void pg_one_line(char *out, size_t len, const char *msg)
{
    size_t j = 0;
    for (size_t i = 0; msg[i] && j + 1 < len; i++) {
        char c = msg[i];
        if (c == '\n' || c == '\t' || c == '\r')
            c = ' ';
        if (c == ' ' && (j == 0 || out[j - 1] == ' '))
            continue;
        out[j++] = c;
    }
    while (j > 0 && out[j - 1] == ' ')
        j--;
    out[j] = '\0';
}

static int pg_fail(struct store *st, const char *what, const PGresult *res)
{
    char line[300];
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    pg_one_line(line, sizeof(line), msg ? msg : PQerrorMessage(pg(st)));
    log_info("database: %s: %s", what, line);
    return EIO;
}

/* Make sure the connection is up, reconnecting once if the server went away. */
static int pg_ready(struct store *st)
{
    if (PQstatus(pg(st)) == CONNECTION_OK)
        return 0;
    PQreset(pg(st));
    ((struct pg_priv *)st->priv)->nprepared = 0; /* a new session has none */
    if (PQstatus(pg(st)) == CONNECTION_OK) {
        PQsetNoticeProcessor(pg(st), pg_notice, NULL);
        return 0;
    }
    return pg_fail(st, "reconnect", NULL);
}

/* The prepared statement of sql on this connection, preparing it on first use. Statements are
 * keyed by the address of their (literal) text; a reconnection forgets them. */
static const char *pg_prepared(struct store *st, const char *sql, int n, const char *what)
{
    struct pg_priv *p = st->priv;
    size_t i;
    for (i = 0; i < p->nprepared; i++) {
        if (p->prepared[i] == sql)
            return p->names[i];
    }
    if (i == PG_PREPARED_MAX)
        return NULL;
    snprintf(p->names[i], sizeof(p->names[i]), "ol%zu", i);
    PGresult *r = PQprepare(pg(st), p->names[i], sql, n, NULL);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        pg_fail(st, what, r);
    PQclear(r);
    if (!ok)
        return NULL;
    p->prepared[i] = sql;
    p->nprepared++;
    return p->names[i];
}

/* Run sql with n text parameters as a prepared statement; on success *resp holds the result
 * (PQclear it). A unique violation returns EEXIST without logging. */
static int pg_exec(struct store *st, const char *sql, int n, const char *const *params,
                   PGresult **resp, const char *what)
{
    PGresult *res = NULL;
    int err;
    /* A server that restarted shows only when a statement fails: then reconnect and send it
     * once more. Every statement here is its own transaction, so a second try is safe (a group
     * that did commit comes back as duplicates). */
    for (int attempt = 0; attempt < 2; attempt++) {
        PQclear(res);
        if ((err = pg_ready(st)))
            return err;
        const char *name = pg_prepared(st, sql, n, what);
        res = name ? PQexecPrepared(pg(st), name, n, params, NULL, NULL, 0)
                   : PQexecParams(pg(st), sql, n, NULL, params, NULL, NULL, 0);
        if (PQstatus(pg(st)) != CONNECTION_BAD)
            break;
    }
    ExecStatusType s = PQresultStatus(res);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        *resp = res;
        return 0;
    }
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state && !strcmp(state, "23505"))
        err = EEXIST;
    else
        err = pg_fail(st, what, res);
    PQclear(res);
    return err;
}

/* Like pg_exec for statements whose rows do not matter. */
static int pg_run(struct store *st, const char *sql, int n, const char *const *params,
                  const char *what)
{
    PGresult *res;
    int err = pg_exec(st, sql, n, params, &res, what);
    if (!err)
        PQclear(res);
    return err;
}

/* Turns row i of r into a call of q's handler; returns what the handler returned. */
typedef int(pg_row_h)(const PGresult *r, int i, const struct store_rows *q);

/* Run sql with n text parameters, calling row for each row of the result until one returns
 * non-zero. */
static int pg_rows(struct store *st, const char *sql, int n, const char *const *params,
                   pg_row_h *row, const struct store_rows *q, const char *what)
{
    PGresult *r;
    int err = pg_exec(st, sql, n, params, &r, what);
    if (err)
        return err;
    for (int i = 0; i < PQntuples(r) && !err; i++)
        err = row(r, i, q);
    PQclear(r);
    return err;
}

/* Run sql with n text parameters for its one row: 0 with *resp set (PQclear it), or ENOENT when
 * it returned none (or the store's error). */
static int pg_one(struct store *st, const char *sql, int n, const char *const *params,
                  PGresult **resp, const char *what)
{
    PGresult *r;
    int err = pg_exec(st, sql, n, params, &r, what);
    if (err)
        return err;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return ENOENT;
    }
    *resp = r;
    return 0;
}

static int64_t pg_i64(const PGresult *res, int row, int col)
{
    return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static bool pg_bool(const PGresult *res, int row, int col)
{
    return PQgetvalue(res, row, col)[0] == 't';
}

/* A number as a text parameter. */
struct pg_num {
    char s[32];
};

static const char *pg_num(struct pg_num *n, int64_t v)
{
    snprintf(n->s, sizeof(n->s), "%" PRId64, v);
    return n->s;
}

/* Run the roll-up query sql for q ($1 from_day, $2 to_day, $3 sites, $4 names: nparams of
 * them), a call of row per row. */
static int pg_range(struct store *st, const char *sql, int nparams, const struct store_query *q,
                    pg_row_h *row, const struct store_rows *rows, const char *what)
{
    struct pg_num f, t;
    const char *params[] = {pg_num(&f, q->from_day), pg_num(&t, q->to_day), q->sites_json,
                            q->names_json};
    return pg_rows(st, sql, nparams, params, row, rows, what);
}

static int pg_open(struct store *st, const char *target, bool create, char *err, size_t errlen)
{
    static const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *values[] = {"10", "openline-stats", target, NULL};
    struct pg_priv *p = st->priv;
    PGresult *res = NULL;
    char line[300];
    int rc = EIO;

    p->conn = PQconnectdbParams(keys, values, 1);
    if (!p->conn)
        return ENOMEM;
    if (PQstatus(p->conn) != CONNECTION_OK) {
        pg_one_line(line, sizeof(line), PQerrorMessage(p->conn));
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", line);
        return EIO;
    }
    PQsetNoticeProcessor(p->conn, pg_notice, NULL);

    if (create) {
        res = PQexec(p->conn, pg_schema);
        if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK) {
            pg_one_line(line, sizeof(line), PQerrorMessage(p->conn));
            snprintf(err, errlen, "cannot create tables in PostgreSQL: %s", line);
            goto out;
        }
        PQclear(res);
    }
    res = PQexec(p->conn, "SELECT value FROM meta WHERE key = 'schema'");
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        snprintf(err, errlen, "the PostgreSQL database is not an openline-stats database");
        goto out;
    }
    if (create && !strcmp(PQgetvalue(res, 0, 0), "1")) {
        PQclear(res);
        res = PQexec(p->conn, pg_upgrade_1);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            pg_one_line(line, sizeof(line), PQerrorMessage(p->conn));
            snprintf(err, errlen, "cannot upgrade the PostgreSQL database from schema 1: %s", line);
            PQclear(PQexec(p->conn, "ROLLBACK"));
            goto out;
        }
        log_info("PostgreSQL database upgraded from schema 1 to %s: roll-ups made again from the "
                 "batches",
                 PG_SCHEMA_VERSION);
        PQclear(res);
        res = PQexec(p->conn, "SELECT value FROM meta WHERE key = 'schema'");
    }
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
        strcmp(PQgetvalue(res, 0, 0), PG_SCHEMA_VERSION)) {
        snprintf(err, errlen,
                 "the PostgreSQL database has schema version %s; this program knows %s",
                 PQgetvalue(res, 0, 0), PG_SCHEMA_VERSION);
        goto out;
    }
    rc = 0;
out:
    PQclear(res);
    return rc;
}

static void pg_close(struct store *st)
{
    struct pg_priv *p = st->priv;
    if (p->conn)
        PQfinish(p->conn);
}

/* The group as one JSON document built by jansson, and one statement (one transaction). */
static int pg_write_group(struct store *st, struct store_write *w, size_t n)
{
    json_t *g = json_pack("{s:[],s:[]}", "b", "h");
    json_t *bs = json_object_get(g, "b"), *hs = json_object_get(g, "h");
    PGresult *r = NULL;
    char *text = NULL;
    size_t nb = 0;
    int err = ENOMEM;

    if (!g)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const struct ingest_batch *b = w[i].batch;
        const struct ingest_heartbeat *hb = w[i].hb;
        json_t *item = NULL;
        if (b) {
            json_t *c = b->counts ? json_incref(b->counts) : json_loads(b->counts_json, 0, NULL);
            double var = report_noise_var(b->mech == INGEST_MECH_NONE ? 0 : b->epsilon);
            item = json_pack("{s:I,s:s,s:i,s:i,s:i,s:s,s:s,s:f,s:o,s:i,s:f}", "k",
                             (json_int_t)w[i].kiosk, "site", w[i].site, "s", (int)b->start, "d",
                             b->days, "w", (int)b->week, "id", b->id, "m",
                             b->mech == INGEST_MECH_NONE ? "none" : "geometric", "e", b->epsilon,
                             "c", c, "a", (int)store_attribution_day(b->start, b->days), "v", var);
            if (!item || json_array_append_new(bs, item))
                goto out;
            nb++;
        } else if (hb) {
            item = json_pack("{s:I,s:i,s:s,s:I,s:s,s:s}", "k", (json_int_t)w[i].kiosk, "day",
                             (int)hb->day, "v", hb->version, "sd", (json_int_t)hb->spool_depth,
                             "cl", hb->clock == INGEST_CLOCK_TRUSTED ? "trusted" : "untrusted",
                             "st", hb->self_test);
            if (!item || json_array_append_new(hs, item))
                goto out;
        }
    }
    if (!(text = json_dumps(g, JSON_COMPACT | JSON_REAL_PRECISION(17))))
        goto out;
    const char *params[] = {text};
    if ((err = pg_exec(st, "SELECT openline_write_group($1::jsonb)", 1, params, &r, "write"))) {
        if (err == EEXIST)
            err = EIO; /* another node stored the same bucket at the same moment: retry */
        goto out;
    }
    if ((size_t)PQntuples(r) != nb) {
        err = pg_fail(st, "write: wrong number of results", NULL);
        goto out;
    }
    for (size_t i = 0, row = 0; i < n; i++) {
        if (!w[i].batch)
            continue;
        static const enum store_put res[] = {STORE_PUT_STORED, STORE_PUT_DUPLICATE,
                                             STORE_PUT_CONFLICT, STORE_PUT_ID_REUSED};
        int64_t v = pg_i64(r, (int)row++, 0);
        w[i].res = res[v >= 0 && v <= 3 ? v : 3];
    }
    err = 0;
out:
    PQclear(r);
    free(text);
    json_decref(g);
    return err;
}

static int pg_kiosk_auth(struct store *st, const char *hash, struct store_kiosk *k)
{
    const char *params[] = {hash};
    PGresult *r;
    int err = pg_one(st, "SELECT id, site, revoked FROM kiosks WHERE token_hash = $1", 1, params,
                     &r, "kiosk lookup");
    if (err)
        return err;
    k->id = pg_i64(r, 0, 0);
    snprintf(k->site, sizeof(k->site), "%s", PQgetvalue(r, 0, 1));
    k->revoked = pg_bool(r, 0, 2);
    PQclear(r);
    return 0;
}

static int pg_kiosk_add(struct store *st, const char *site, const char *hash, int32_t day,
                        int64_t *idp)
{
    struct pg_num d;
    const char *params[] = {site, hash, pg_num(&d, day)};
    PGresult *r;
    int err = pg_exec(st,
                      "INSERT INTO kiosks (site, token_hash, added_day) VALUES ($1, $2, $3)"
                      " RETURNING id",
                      3, params, &r, "kiosk add");
    if (err)
        return err;
    *idp = pg_i64(r, 0, 0);
    PQclear(r);
    return 0;
}

/* Run an UPDATE or DELETE; ENOENT when it touched no row. */
static int pg_change(struct store *st, const char *sql, int n, const char *const *params,
                     const char *what)
{
    PGresult *r;
    int err = pg_exec(st, sql, n, params, &r, what);
    if (err)
        return err;
    if (!strcmp(PQcmdTuples(r), "0"))
        err = ENOENT;
    PQclear(r);
    return err;
}

static int pg_kiosk_revoke(struct store *st, int64_t id, int32_t day)
{
    struct pg_num k, d;
    const char *params[] = {pg_num(&k, id), pg_num(&d, day)};
    return pg_change(st,
                     "UPDATE kiosks SET revoked = true,"
                     " revoked_day = COALESCE(revoked_day, $2::integer) WHERE id = $1",
                     2, params, "kiosk revoke");
}

/* Column c of row i as a day, STORE_NO_DAY when NULL. */
static int32_t pg_day(const PGresult *r, int i, int c)
{
    return PQgetisnull(r, i, c) ? STORE_NO_DAY : (int32_t)pg_i64(r, i, c);
}

static int pg_kiosk_row(const PGresult *r, int i, const struct store_rows *q)
{
    struct store_kiosk_info k = {
        .id = pg_i64(r, i, 0),
        .site = PQgetvalue(r, i, 1),
        .revoked = pg_bool(r, i, 2),
        .added_day = pg_day(r, i, 3),
        .revoked_day = pg_day(r, i, 4),
        .has_heartbeat = !PQgetisnull(r, i, 5),
        .day = (int32_t)pg_i64(r, i, 5),
        .version = PQgetvalue(r, i, 6),
        .spool_depth = pg_i64(r, i, 7),
        .clock = PQgetvalue(r, i, 8),
        .self_test = PQgetvalue(r, i, 9),
        .spool_before = PQgetisnull(r, i, 10) ? -1 : pg_i64(r, i, 10),
        .has_batches = !PQgetisnull(r, i, 11),
        .first_day = (int32_t)pg_i64(r, i, 11),
        .last_end = (int32_t)pg_i64(r, i, 12),
        .last_days = (int)pg_i64(r, i, 13),
    };
    return q->h.kiosk(&k, q->arg);
}

static int pg_kiosk_list(struct store *st, store_kiosk_h *h, void *arg)
{
    return pg_rows(st,
                   "SELECT k.id, k.site, k.revoked, k.added_day, k.revoked_day, h.day,"
                   " h.version, h.spool_depth, h.clock, h.self_test,"
                   " (SELECT spool_depth FROM heartbeats WHERE kiosk = k.id AND day >= h.day - 7"
                   "  AND day < h.day ORDER BY day LIMIT 1),"
                   " (SELECT MIN(start_day) FROM batches WHERE kiosk = k.id),"
                   " (SELECT start_day + days FROM batches WHERE kiosk = k.id"
                   "  ORDER BY start_day DESC LIMIT 1),"
                   " (SELECT days FROM batches WHERE kiosk = k.id ORDER BY start_day DESC"
                   "  LIMIT 1)"
                   " FROM kiosks k LEFT JOIN heartbeats h ON h.kiosk = k.id"
                   " AND h.day = (SELECT MAX(day) FROM heartbeats WHERE kiosk = k.id)"
                   " ORDER BY k.site, k.id",
                   0, NULL, pg_kiosk_row, &(struct store_rows){.h.kiosk = h, .arg = arg},
                   "kiosk list");
}

static int pg_staff_add(struct store *st, const char *name, const char *pwhash)
{
    const char *params[] = {name, pwhash};
    return pg_run(st, "INSERT INTO staff (name, pwhash) VALUES ($1, $2)", 2, params, "staff add");
}

static int pg_staff_get(struct store *st, const char *name, int64_t *idp, char *pwhash,
                        size_t pwlen)
{
    const char *params[] = {name};
    PGresult *r;
    int err =
        pg_one(st, "SELECT id, pwhash FROM staff WHERE name = $1", 1, params, &r, "staff lookup");
    if (err)
        return err;
    *idp = pg_i64(r, 0, 0);
    snprintf(pwhash, pwlen, "%s", PQgetvalue(r, 0, 1));
    PQclear(r);
    return 0;
}

static int pg_staff_set_token(struct store *st, const char *name, const char *hash)
{
    const char *params[] = {name, hash};
    return pg_change(st, "UPDATE staff SET token_hash = $2 WHERE name = $1", 2, params,
                     "staff token");
}

static int pg_staff_by_token(struct store *st, const char *hash, int64_t *idp)
{
    const char *params[] = {hash};
    PGresult *r;
    int err = pg_one(st, "SELECT id FROM staff WHERE token_hash = $1", 1, params, &r,
                     "staff token lookup");
    if (err)
        return err;
    *idp = pg_i64(r, 0, 0);
    PQclear(r);
    return 0;
}

static int pg_staff_row(const PGresult *r, int i, const struct store_rows *q)
{
    return q->h.staff(pg_i64(r, i, 0), PQgetvalue(r, i, 1), pg_bool(r, i, 2), q->arg);
}

static int pg_staff_list(struct store *st, store_staff_h *h, void *arg)
{
    return pg_rows(st, "SELECT id, name, token_hash IS NOT NULL FROM staff ORDER BY name", 0, NULL,
                   pg_staff_row, &(struct store_rows){.h.staff = h, .arg = arg}, "staff list");
}

static int pg_staff_remove(struct store *st, const char *name)
{
    const char *params[] = {name};
    return pg_change(st, "DELETE FROM staff WHERE name = $1", 1, params, "staff remove");
}

static int pg_session_add(struct store *st, const char *hash, int64_t staff, int64_t expires)
{
    struct pg_num s, e;
    const char *params[] = {hash, pg_num(&s, staff), pg_num(&e, expires)};
    return pg_run(st, "INSERT INTO sessions (hash, staff, expires) VALUES ($1, $2, $3)", 3, params,
                  "session add");
}

static int pg_session_prune(struct store *st, int64_t now)
{
    struct pg_num n;
    const char *params[] = {pg_num(&n, now)};
    return pg_run(st, "DELETE FROM sessions WHERE expires <= $1", 1, params, "session prune");
}

static int pg_session_get(struct store *st, const char *hash, int64_t now, int64_t *staffp,
                          char *name)
{
    struct pg_num n;
    const char *params[] = {hash, pg_num(&n, now)};
    PGresult *r;
    int err = pg_one(st,
                     "SELECT s.staff, st.name FROM sessions s JOIN staff st ON st.id = s.staff"
                     " WHERE s.hash = $1 AND s.expires > $2",
                     2, params, &r, "session lookup");
    if (err)
        return err;
    *staffp = pg_i64(r, 0, 0);
    snprintf(name, STORE_NAME_MAX + 1, "%s", PQgetvalue(r, 0, 1));
    PQclear(r);
    return 0;
}

static int pg_session_remove(struct store *st, const char *hash)
{
    const char *params[] = {hash};
    return pg_run(st, "DELETE FROM sessions WHERE hash = $1", 1, params, "session remove");
}

static int pg_day_row(const PGresult *r, int i, const struct store_rows *q)
{
    return q->h.total((int32_t)pg_i64(r, i, 0), NULL, PQgetvalue(r, i, 1), pg_i64(r, i, 2),
                      strtod(PQgetvalue(r, i, 3), NULL), q->arg);
}

/* $3 NULL: the all-sites rows (""). */
#define PG_SITES_IN "site IN (SELECT jsonb_array_elements_text(COALESCE($3::jsonb, '[\"\"]')))"

static int pg_days_get(struct store *st, const struct store_query *q, store_total_h *h, void *arg)
{
    return pg_range(st,
                    "SELECT day, name, SUM(value), SUM(var) FROM totals"
                    " WHERE day BETWEEN $1 AND $2 AND " PG_SITES_IN " GROUP BY day, name",
                    3, q, pg_day_row, &(struct store_rows){.h.total = h, .arg = arg},
                    "daily totals");
}

static int pg_site_row(const PGresult *r, int i, const struct store_rows *q)
{
    return q->h.total((int32_t)pg_i64(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
                      pg_i64(r, i, 3), strtod(PQgetvalue(r, i, 4), NULL), q->arg);
}

static int pg_site_days_get(struct store *st, const struct store_query *q, store_total_h *h,
                            void *arg)
{
    return pg_range(st,
                    "SELECT t.day, t.site, t.name, t.value, t.var FROM totals t"
                    " WHERE t.site = ANY (ARRAY(SELECT jsonb_array_elements_text($3::jsonb)))"
                    " AND t.day BETWEEN $1 AND $2"
                    " AND t.name = ANY (ARRAY(SELECT jsonb_array_elements_text($4::jsonb)))",
                    4, q, pg_site_row, &(struct store_rows){.h.total = h, .arg = arg},
                    "site totals per day");
}

static int pg_noise_row(const PGresult *r, int i, const struct store_rows *q)
{
    return q->h.noise((int32_t)pg_i64(r, i, 0), PQgetvalue(r, i, 1),
                      strtod(PQgetvalue(r, i, 2), NULL), pg_i64(r, i, 3), q->arg);
}

static int pg_noise_get(struct store *st, const struct store_query *q, store_noise_h *h, void *arg)
{
    return pg_range(st,
                    "SELECT day, mech, epsilon, SUM(batches) FROM noise_totals"
                    " WHERE day BETWEEN $1 AND $2 AND " PG_SITES_IN " GROUP BY day, mech, epsilon",
                    3, q, pg_noise_row, &(struct store_rows){.h.noise = h, .arg = arg},
                    "noise totals");
}

static int pg_batch_row(const PGresult *r, int i, const struct store_rows *q)
{
    return q->h.batch(pg_i64(r, i, 0), (int32_t)pg_i64(r, i, 1), (int)pg_i64(r, i, 2), q->arg);
}

static int pg_batches_get(struct store *st, const struct store_query *q, store_batch_h *h,
                          void *arg)
{
    return pg_range(st,
                    "SELECT b.kiosk, b.start_day, b.days FROM batches b"
                    " JOIN kiosks k ON k.id = b.kiosk WHERE b.week BETWEEN $1::integer - 6 AND $2"
                    " AND ($3::jsonb IS NULL OR k.site IN"
                    " (SELECT jsonb_array_elements_text($3::jsonb)))",
                    3, q, pg_batch_row, &(struct store_rows){.h.batch = h, .arg = arg}, "batches");
}

const struct store_driver store_pg = {
    .scheme = "postgresql",
    .priv_size = sizeof(struct pg_priv),
    .open = pg_open,
    .close = pg_close,
    .write_group = pg_write_group,
    .kiosk_auth = pg_kiosk_auth,
    .kiosk_add = pg_kiosk_add,
    .kiosk_revoke = pg_kiosk_revoke,
    .kiosk_list = pg_kiosk_list,
    .staff_add = pg_staff_add,
    .staff_get = pg_staff_get,
    .staff_set_token = pg_staff_set_token,
    .staff_by_token = pg_staff_by_token,
    .staff_list = pg_staff_list,
    .staff_remove = pg_staff_remove,
    .session_add = pg_session_add,
    .session_prune = pg_session_prune,
    .session_get = pg_session_get,
    .session_remove = pg_session_remove,
    .days_get = pg_days_get,
    .site_days_get = pg_site_days_get,
    .noise_get = pg_noise_get,
    .batches_get = pg_batches_get,
};
