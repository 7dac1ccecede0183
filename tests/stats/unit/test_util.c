/* Unit tests of the collector's small modules: days, buffers and escaping, rate limits, tokens,
 * password hashes, cell suppression and CSV, the kiosks' health as report.c reads it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "csv.h"
#include "openline/day.h"
#include "openline/util.h"
#include "passwd.h"
#include "ratelimit.h"
#include "report.h"
#include "store/store.h"
#include "token.h"

static void test_days(void **state)
{
    int32_t d;
    char s[DAY_STR_LEN + 1];
    (void)state;
    assert_int_equal(day_parse("2000-01-01", 10, &d), 0);
    assert_int_equal(d, DAY_MIN);
    assert_int_equal(day_parse("2026-11-23", 10, &d), 0);
    assert_int_equal(day_weekday(d), 0); /* a Monday */
    assert_int_equal(day_monday(d + 6), d);
    day_format(d + 8, s);
    assert_string_equal(s, "2026-12-01");
    assert_int_equal(day_parse("2024-02-29", 10, &d), 0);
    assert_int_equal(day_parse("2023-02-29", 10, &d), EINVAL);
    assert_int_equal(day_parse("2026-13-01", 10, &d), EINVAL);
    assert_int_equal(day_parse("2026-1-01", 9, &d), EINVAL);
    assert_int_equal(day_parse("2026-01-01x", 11, &d), EINVAL);
    assert_int_equal(day_parse("+026-01-01", 10, &d), EINVAL);
    assert_int_equal(day_parse("1970-01-01", 10, &d), EINVAL); /* before DAY_MIN */
    day_format(0, s);
    assert_string_equal(s, "1970-01-01");
    assert_int_equal(day_weekday(0), 3); /* a Thursday */
}

static void test_buf_escaping(void **state)
{
    struct buf b = {0};
    (void)state;
    buf_html(&b, "<a href=\"x\">Tom & Jerry's</a>");
    assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    buf_free(&b);

    buf_csv(&b, "plain");
    buf_puts(&b, "|");
    buf_csv(&b, "a,b");
    buf_puts(&b, "|");
    buf_csv(&b, "say \"hi\"");
    buf_puts(&b, "|");
    buf_csv(&b, "=HYPERLINK(1)");
    assert_string_equal(b.data, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"'=HYPERLINK(1)\"");
    buf_free(&b);
    /* formulas after white space, and cells starting with a tab or carriage return */
    const char *const guarded[][2] = {
        {" =1+1", "\"' =1+1\""}, {"\t+1", "\"'\t+1\""},
        {"\r-1", "\"'\r-1\""},   {"  @SUM(A1)", "\"'  @SUM(A1)\""},
        {"\n=2", "\"'\n=2\""},   {"\tplain", "\"'\tplain\""},
        {"a-b", "a-b"},          {"  x", "  x"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(guarded); i++) {
        buf_csv(&b, guarded[i][0]);
        assert_string_equal(b.data, guarded[i][1]);
        buf_free(&b);
    }

    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%04d,", i);
    assert_int_equal(b.len, 5000);
    size_t len;
    char *p = buf_take(&b, &len);
    assert_int_equal(len, 5000);
    assert_memory_equal(p + 4995, "0999,", 5);
    free(p);
    assert_null(b.data);
}

static void test_ratelimit(void **state)
{
    struct ratelimit *rl;
    unsigned retry = 0;
    (void)state;
    assert_int_equal(ratelimit_alloc(&rl, 3), 0);
    for (int i = 0; i < 3; i++)
        assert_true(ratelimit_take(rl, 7, 1000, &retry));
    assert_false(ratelimit_take(rl, 7, 1000, &retry));
    assert_int_equal(retry, 20);                      /* 3 a minute: one every 20 s */
    assert_true(ratelimit_take(rl, 8, 1000, &retry)); /* other keys are apart */
    assert_false(ratelimit_take(rl, 7, 11000, &retry));
    assert_int_equal(retry, 10);
    assert_true(ratelimit_take(rl, 7, 21000, &retry));
    ratelimit_free(rl);

    assert_int_equal(ratelimit_alloc(&rl, 0), 0); /* 0: no limit */
    for (int i = 0; i < 1000; i++)
        assert_true(ratelimit_take(rl, 1, 0, &retry));
    ratelimit_free(rl);
}

static void test_tokens(void **state)
{
    char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1], h[TOKEN_HASH_LEN + 1];
    (void)state;
    assert_int_equal(token_init(), 0);
    assert_int_equal(token_new(a), 0);
    assert_int_equal(token_new(b), 0);
    assert_int_equal(strlen(a), 64);
    assert_string_not_equal(a, b);
    assert_true(token_well_formed(a, 64));
    assert_true(token_well_formed("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234", 43));
    assert_false(token_well_formed(a, 63));
    assert_false(token_well_formed("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ+/01234", 43));
    token_hash("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_true(token_equal(h, h));
    assert_false(token_equal(a, b));
}

static void test_passwords(void **state)
{
    char h[PASSWD_HASH_MAX];
    bool ok;
    (void)state;
    assert_int_equal(passwd_hash("correct horse battery", h, sizeof(h)), 0);
    assert_memory_equal(h, "$y$", 3);
    assert_int_equal(passwd_verify("correct horse battery", h, &ok), 0);
    assert_true(ok);
    assert_int_equal(passwd_verify("correct horse batterY", h, &ok), 0);
    assert_false(ok);
    assert_int_equal(passwd_verify("x", "not a hash", &ok), 0);
    assert_false(ok);
}

static void test_cells_and_csv(void **state)
{
    (void)state;
    assert_false(report_shown(4));
    assert_false(report_shown(-3));
    assert_true(report_shown(5));

    /* Two weeks from 2026-11-23: the first with 12 batches at epsilon 1, the second none. */
    double v1 = 12 * report_noise_var(1);
    struct report_week weeks[2] = {
        {.monday = 20780, .batches = 12, .kiosks = 3, .c = {{12, v1}, {4, v1}, {0, v1}}},
        {.monday = 20787, .unfinished = true}};
    struct report_row sites[] = {
        {.name = "Gate \"A\", T1", .v = {{15, v1}, {4, v1}, [REPORT_COUNTERS] = {9, v1}}}};
    struct report_row langs[] = {{.name = "es", .v = {{7, v1}}}, {.name = "am", .v = {{2, v1}}}};
    struct report r = {
        .nweeks = 2, .weeks = weeks, .sites = sites, .nsites = 1, .langs = langs, .nlangs = 2};
    struct buf b = {0};
    assert_int_equal(report_margin95(v1), 9); /* ceil(1.96 sqrt(22.1) - 0.5) */
    csv_render(&b, &r, CSV_BY_WEEK);
    assert_string_equal(b.data, "\xEF\xBB\xBF"
                                "week,partial,unfinished,kiosks_reporting,batches,"
                                "sessions,sessions_margin95,call.attempted,call.attempted_margin95,"
                                "call.connected,call.connected_margin95,call.failed,"
                                "call.failed_margin95,read_aloud,read_aloud_margin95,quick_exit,"
                                "quick_exit_margin95,suppressed,no_data\r\n"
                                "2026-11-23,0,0,3,12,12,9,,,,,,,,,,,1,0\r\n"
                                "2026-11-30,0,1,0,0,,,,,,,,,,,,,0,1\r\n");
    buf_free(&b);
    csv_render(&b, &r, CSV_BY_SITE);
    assert_non_null(strstr(b.data, "\r\n\"Gate \"\"A\"\", T1\",15,9,,,,,,,,,,,9,9,,,1\r\n"));
    buf_free(&b);
    csv_render(&b, &r, CSV_BY_LANGUAGE);
    assert_string_equal(b.data, "\xEF\xBB\xBF"
                                "language,name,sessions,sessions_margin95,percent,suppressed\r\n"
                                "es,espa\xC3\xB1ol \xE2\x80\x94 Spanish,7,9,77.8,0\r\n"
                                "am,\xE1\x8A\xA0\xE1\x88\x9B\xE1\x88\xAD\xE1\x8A\x9B \xE2\x80\x94 "
                                "Amharic,,,,1\r\n");
    buf_free(&b);
    enum csv_by by;
    assert_int_equal(csv_by_parse("language", &by), 0);
    assert_int_equal(by, CSV_BY_LANGUAGE);
    assert_int_equal(csv_by_parse("ip", &by), EINVAL);
}

/* A kiosk's heartbeat written as the writer writes it. */
static void put_heartbeat(struct store *st, int64_t kiosk, int32_t day, const char *self_test,
                          enum ingest_clock clock, const char *version, int64_t spool)
{
    struct ingest_heartbeat hb = {.day = day, .spool_depth = spool, .clock = clock};
    snprintf(hb.version, sizeof(hb.version), "%s", version);
    snprintf(hb.self_test, sizeof(hb.self_test), "%s", self_test);
    struct store_write w = {.kiosk = kiosk, .site = "Site", .hb = &hb};
    assert_int_equal(store_write_group(st, &w, 1), 0);
}

/* The health table's rules, from a real SQLite store: what is flagged, what its status says, and
 * problem kiosks first. */
static void test_health(void **state)
{
    char path[] = "/tmp/openline-stats-test-XXXXXX", url[64], err[256];
    struct store *st = NULL;
    struct report_health *h = NULL;
    int64_t id[6];
    int32_t today = 20000;
    (void)state;

    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    snprintf(url, sizeof(url), "sqlite:%s", path);
    assert_int_equal(store_open(url, true, &st, err, sizeof(err)), 0);
    for (int i = 0; i < 6; i++) {
        char hash[TOKEN_HASH_LEN + 1];
        snprintf(hash, sizeof(hash), "%064d", i);
        assert_int_equal(store_kiosk_add(st, "Site", hash, today - 1, &id[i]), 0);
    }
    put_heartbeat(st, id[0], today - 1, "pass", INGEST_CLOCK_TRUSTED, "1.2.0", 0);
    put_heartbeat(st, id[1], today - 5, "fail:fonts", INGEST_CLOCK_UNTRUSTED, "1.2.0", 3);
    put_heartbeat(st, id[2], today, "pass", INGEST_CLOCK_UNTRUSTED, "1.2.0", 0);
    put_heartbeat(st, id[4], today - 9, "pass", INGEST_CLOCK_TRUSTED, "1.2.0", 0);
    assert_int_equal(store_kiosk_revoke(st, id[4], today - 8), 0);
    put_heartbeat(st, id[5], today - 6, "pass", INGEST_CLOCK_TRUSTED, "1.1.9", 3);
    put_heartbeat(st, id[5], today, "fail:spool.quarantined", INGEST_CLOCK_TRUSTED, "1.1.9", 5);

    assert_int_equal(report_health_load(&h, st, today), 0);
    assert_int_equal(h->n, 6);
    assert_int_equal(h->flagged, 4);
    assert_string_equal(h->newest, "1.2.0");
    /* flagged first (by id, one site), then the others */
    assert_int_equal(h->kiosks[0].id, id[1]);
    assert_string_equal(h->kiosks[0].status,
                        "no heartbeat for 5 days; self-test fail:fonts; clock untrusted");
    assert_int_equal(h->kiosks[0].day, today - 5);
    assert_int_equal(h->kiosks[1].id, id[2]);
    assert_string_equal(h->kiosks[1].status, "clock untrusted");
    assert_int_equal(h->kiosks[2].id, id[3]);
    assert_false(h->kiosks[2].has_heartbeat);
    assert_string_equal(h->kiosks[2].status, "no heartbeat yet");
    assert_int_equal(h->kiosks[3].id, id[5]);
    assert_string_equal(h->kiosks[3].status,
                        "spool growing: 5 batches waiting, 3 a week before; batches quarantined "
                        "on the kiosk (see `openline counts` there); old version 1.1.9 (newest "
                        "1.2.0)");
    assert_int_equal(h->kiosks[4].id, id[0]);
    assert_false(h->kiosks[4].flagged);
    assert_string_equal(h->kiosks[4].status, "ok");
    assert_int_equal(h->kiosks[5].id, id[4]);
    assert_string_equal(h->kiosks[5].status, "revoked");
    assert_int_equal(h->kiosks[5].revoked_day, today - 8);

    report_health_free(h);
    store_close(st);
    static const char *const files[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
        char f[80];
        snprintf(f, sizeof(f), "%s%s", path, files[i]);
        unlink(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days),      cmocka_unit_test(test_buf_escaping),
        cmocka_unit_test(test_ratelimit), cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_passwords), cmocka_unit_test(test_cells_and_csv),
        cmocka_unit_test(test_health),
    };
    return cmocka_run_group_tests_name("stats_util", tests, NULL, NULL);
}
