/* Unit tests of wire format v1 validation (ingest.c): what is accepted and every refusal. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ingest.h"
#include "openline/day.h"
#include "openline/util.h"

/* 2026-11-30, a Monday: the week of 2026-11-23 has ended, this week has not. */
static int32_t test_today(void)
{
    int32_t d;
    assert_int_equal(day_parse("2026-11-30", 10, &d), 0);
    return d;
}

static int test_batch(const char *body, struct ingest_batch **bp, struct ingest_error *e)
{
    return ingest_batch_parse(body, strlen(body), test_today(), bp, e);
}

#define GOOD_HEAD   "{\"schema\":1,\"batch\":\"0123456789abcdef0123456789abcdef\","
#define GOOD_BUCKET "\"bucket\":{\"start\":\"2026-11-23\",\"days\":7},"
#define GOOD_NOISE  "\"noise\":{\"mech\":\"geometric\",\"epsilon\":1.0},"
#define GOOD_COUNTS                                                                                \
    "\"counts\":{\"sessions\":12,\"lang.es\":3,\"page.rights\":5,\"read_aloud\":1,"                \
    "\"call.attempted\":2,\"call.connected\":1,\"call.failed\":1,\"quick_exit\":0}}"

static void test_accepts_issue_example(void **state)
{
    struct ingest_batch *b = NULL;
    struct ingest_error e;
    (void)state;
    assert_int_equal(test_batch(GOOD_HEAD GOOD_BUCKET GOOD_NOISE GOOD_COUNTS, &b, &e), 0);
    assert_non_null(b);
    assert_string_equal(b->id, "0123456789abcdef0123456789abcdef");
    assert_int_equal(b->days, 7);
    assert_int_equal(b->week, b->start);
    assert_int_equal(b->mech, INGEST_MECH_GEOMETRIC);
    assert_true(b->epsilon == 1.0);
    assert_int_equal(b->n, 8);
    /* Sorted by name. */
    assert_string_equal(b->counters[0].name, "call.attempted");
    assert_string_equal(b->counters[7].name, "sessions");
    assert_int_equal(b->counters[7].value, 12);
    assert_string_equal(b->counts_json,
                        "{\"call.attempted\":2,\"call.connected\":1,\"call.failed\":1,"
                        "\"lang.es\":3,\"page.rights\":5,\"quick_exit\":0,\"read_aloud\":1,"
                        "\"sessions\":12}");
    ingest_batch_free(b);
}

static void test_accepts_day_bucket_and_none(void **state)
{
    struct ingest_batch *b = NULL;
    struct ingest_error e;
    (void)state;
    const char *body = GOOD_HEAD "\"bucket\":{\"start\":\"2026-11-26\",\"days\":1},"
                                 "\"noise\":{\"mech\":\"none\"},"
                                 "\"counts\":{\"sessions\":-50,\"lang.pt-BR\":50000}}";
    assert_int_equal(test_batch(body, &b, &e), 0);
    assert_int_equal(b->days, 1);
    assert_int_equal(b->week, b->start - 3); /* Thursday -> Monday */
    assert_int_equal(b->mech, INGEST_MECH_NONE);
    assert_int_equal(b->counters[1].value, -50);
    ingest_batch_free(b);
}

struct refusal {
    const char *body;
    int err;
    const char *what;
};

static void test_refusals(void **state)
{
    static const struct refusal cases[] = {
        {"", EINVAL, "malformed JSON"},
        {"{", EINVAL, "malformed JSON"},
        {"[1,2]", EINVAL, "wrong type"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE GOOD_COUNTS " x", EINVAL, "malformed JSON"},
        /* duplicate key */
        {"{\"schema\":1,\"schema\":1}", EINVAL, "malformed JSON"},
        /* unknown fields at each level */
        {GOOD_HEAD "\"site\":\"x\"," GOOD_BUCKET GOOD_NOISE GOOD_COUNTS, EINVAL, "unknown field"},
        {GOOD_HEAD
         "\"bucket\":{\"start\":\"2026-11-23\",\"days\":7,\"tz\":0}," GOOD_NOISE GOOD_COUNTS,
         EINVAL, "unknown field"},
        {GOOD_HEAD GOOD_BUCKET
         "\"noise\":{\"mech\":\"geometric\",\"epsilon\":1,\"delta\":0}," GOOD_COUNTS,
         EINVAL, "unknown field"},
        /* wrong types */
        {"{\"schema\":\"1\",\"batch\":\"0123456789abcdef0123456789abcdef\"," GOOD_BUCKET GOOD_NOISE
             GOOD_COUNTS,
         EINVAL, "wrong type"},
        {GOOD_HEAD "\"bucket\":{\"start\":\"2026-11-23\",\"days\":\"7\"}," GOOD_NOISE GOOD_COUNTS,
         EINVAL, "wrong type"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":{\"sessions\":1.5}}", EINVAL, "wrong type"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":{\"sessions\":\"3\"}}", EINVAL, "wrong type"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":[1]}", EINVAL, "wrong type"},
        {GOOD_HEAD GOOD_BUCKET "\"noise\":{\"mech\":\"geometric\",\"epsilon\":\"1\"}," GOOD_COUNTS,
         EINVAL, "wrong type"},
        /* missing */
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"x\":1}", EINVAL, "unknown field"},
        {GOOD_HEAD GOOD_BUCKET GOOD_COUNTS, EINVAL, "missing field"},
        {GOOD_HEAD GOOD_BUCKET "\"noise\":{\"mech\":\"geometric\"}," GOOD_COUNTS, EINVAL,
         "missing field"},
        /* out of range */
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":{\"sessions\":-51}}", EINVAL,
         "value out of range"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":{\"sessions\":50001}}", EINVAL,
         "value out of range"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":{\"sessions\":99999999999999999999}}", EINVAL,
         "malformed JSON"},
        {GOOD_HEAD GOOD_BUCKET "\"noise\":{\"mech\":\"geometric\",\"epsilon\":0}," GOOD_COUNTS,
         EINVAL, "value out of range"},
        {GOOD_HEAD GOOD_BUCKET "\"noise\":{\"mech\":\"geometric\",\"epsilon\":10.5}," GOOD_COUNTS,
         EINVAL, "value out of range"},
        {GOOD_HEAD GOOD_BUCKET "\"noise\":{\"mech\":\"laplace\",\"epsilon\":1}," GOOD_COUNTS,
         EINVAL, "unknown mechanism"},
        {GOOD_HEAD GOOD_BUCKET "\"noise\":{\"mech\":\"none\",\"epsilon\":1}," GOOD_COUNTS, EINVAL,
         "unexpected epsilon"},
        {GOOD_HEAD "\"bucket\":{\"start\":\"2026-11-23\",\"days\":3}," GOOD_NOISE GOOD_COUNTS,
         EINVAL, "value out of range"},
        {GOOD_HEAD "\"bucket\":{\"start\":\"2026-11-24\",\"days\":7}," GOOD_NOISE GOOD_COUNTS,
         EINVAL, "week not on a Monday"},
        {GOOD_HEAD "\"bucket\":{\"start\":\"2026-02-30\",\"days\":1}," GOOD_NOISE GOOD_COUNTS,
         EINVAL, "bad date"},
        {GOOD_HEAD "\"bucket\":{\"start\":\"1999-12-31\",\"days\":1}," GOOD_NOISE GOOD_COUNTS,
         EINVAL, "bad date"},
        {"{\"schema\":2,\"batch\":\"0123456789abcdef0123456789abcdef\"," GOOD_BUCKET GOOD_NOISE
             GOOD_COUNTS,
         EINVAL, "unsupported schema"},
        /* batch ids */
        {"{\"schema\":1,\"batch\":\"0123456789ABCDEF0123456789abcdef\"," GOOD_BUCKET GOOD_NOISE
             GOOD_COUNTS,
         EINVAL, "bad batch id"},
        {"{\"schema\":1,\"batch\":\"0123\"," GOOD_BUCKET GOOD_NOISE GOOD_COUNTS, EINVAL,
         "bad batch id"},
        /* counter names */
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":{\"visitors\":1}}", EINVAL,
         "unknown counter"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":{\"page.Rights\":1}}", EINVAL,
         "unknown counter"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE
         "\"counts\":{\"page.abcdefghijklmnopqrstuvwxyz0123456\":1}}",
         EINVAL, "unknown counter"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":{\"lang.e\":1}}", EINVAL, "unknown counter"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":{\"lang.<b>\":1}}", EINVAL,
         "unknown counter"},
        {GOOD_HEAD GOOD_BUCKET GOOD_NOISE "\"counts\":{}}", EINVAL, "no counters"},
        /* buckets that have not ended */
        {GOOD_HEAD "\"bucket\":{\"start\":\"2026-11-30\",\"days\":7}," GOOD_NOISE GOOD_COUNTS,
         EAGAIN, "bucket not ended"},
        {GOOD_HEAD "\"bucket\":{\"start\":\"2026-11-30\",\"days\":1}," GOOD_NOISE GOOD_COUNTS,
         EAGAIN, "bucket not ended"},
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct ingest_batch *b = NULL;
        struct ingest_error e = {0};
        int err = test_batch(cases[i].body, &b, &e);
        if (err != cases[i].err || !e.what || strcmp(e.what, cases[i].what))
            fail_msg("case %zu: got %d \"%s\" (%s), want %d \"%s\"", i, err, e.what ? e.what : "",
                     e.detail, cases[i].err, cases[i].what);
        assert_null(b);
    }
}

static void test_yesterday_bucket_ended(void **state)
{
    struct ingest_batch *b = NULL;
    struct ingest_error e;
    (void)state;
    assert_int_equal(
        test_batch(GOOD_HEAD
                   "\"bucket\":{\"start\":\"2026-11-29\",\"days\":1}," GOOD_NOISE GOOD_COUNTS,
                   &b, &e),
        0);
    ingest_batch_free(b);
}

static void test_counter_names(void **state)
{
    (void)state;
    assert_true(ingest_counter_name_ok("lang.zh-Hans"));
    assert_true(ingest_counter_name_ok("lang.sr_Latn"));
    assert_true(ingest_counter_name_ok("lang.fil"));
    assert_true(ingest_counter_name_ok("page.a"));
    assert_true(ingest_counter_name_ok("page.abcdefghijklmnopqrstuvwxyz012345"));
    assert_false(ingest_counter_name_ok("page."));
    assert_false(ingest_counter_name_ok("page.under_score"));
    assert_false(ingest_counter_name_ok("lang.ES"));
    assert_false(ingest_counter_name_ok("lang.es-"));
    assert_false(ingest_counter_name_ok("lang.es-a-b-c"));
    assert_false(ingest_counter_name_ok("call.dropped"));
}

static int test_hb(const char *body, struct ingest_heartbeat *hb, struct ingest_error *e)
{
    return ingest_heartbeat_parse(body, strlen(body), test_today(), hb, e);
}

static void test_heartbeat(void **state)
{
    struct ingest_heartbeat hb;
    struct ingest_error e;
    (void)state;
    assert_int_equal(test_hb("{\"schema\":1,\"day\":\"2026-11-29\",\"version\":\"1.2.0~rc1\","
                             "\"spool_depth\":3,\"clock\":\"untrusted\","
                             "\"self_test\":\"fail:audio\"}",
                             &hb, &e),
                     0);
    assert_string_equal(hb.version, "1.2.0~rc1");
    assert_int_equal(hb.spool_depth, 3);
    assert_int_equal(hb.clock, INGEST_CLOCK_UNTRUSTED);
    assert_string_equal(hb.self_test, "fail:audio");

    static const struct refusal cases[] = {
        {"{\"schema\":1,\"day\":\"2026-12-05\",\"version\":\"1\",\"spool_depth\":0,"
         "\"clock\":\"trusted\",\"self_test\":\"pass\"}",
         EAGAIN, "day in the future"},
        {"{\"schema\":1,\"day\":\"2026-11-29\",\"version\":\"1\",\"spool_depth\":-1,"
         "\"clock\":\"trusted\",\"self_test\":\"pass\"}",
         EINVAL, "value out of range"},
        {"{\"schema\":1,\"day\":\"2026-11-29\",\"version\":\"1\",\"spool_depth\":0,"
         "\"clock\":\"maybe\",\"self_test\":\"pass\"}",
         EINVAL, "bad clock"},
        {"{\"schema\":1,\"day\":\"2026-11-29\",\"version\":\"1\",\"spool_depth\":0,"
         "\"clock\":\"trusted\",\"self_test\":\"fail:\"}",
         EINVAL, "bad self_test"},
        {"{\"schema\":1,\"day\":\"2026-11-29\",\"version\":\"1 2\",\"spool_depth\":0,"
         "\"clock\":\"trusted\",\"self_test\":\"pass\"}",
         EINVAL, "bad version"},
        {"{\"schema\":1,\"day\":\"2026-11-29\",\"version\":\"1\",\"spool_depth\":0,"
         "\"clock\":\"trusted\",\"self_test\":\"pass\",\"ip\":\"x\"}",
         EINVAL, "unknown field"},
        {"{\"schema\":1,\"day\":\"2026-11-29\",\"version\":\"1\",\"spool_depth\":0,"
         "\"clock\":\"trusted\"}",
         EINVAL, "missing field"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct ingest_error ee = {0};
        int err = test_hb(cases[i].body, &hb, &ee);
        if (err != cases[i].err || !ee.what || strcmp(ee.what, cases[i].what))
            fail_msg("heartbeat case %zu: got %d \"%s\", want %d \"%s\"", i, err,
                     ee.what ? ee.what : "", cases[i].err, cases[i].what);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_issue_example),
        cmocka_unit_test(test_accepts_day_bucket_and_none),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_yesterday_bucket_ended),
        cmocka_unit_test(test_counter_names),
        cmocka_unit_test(test_heartbeat),
    };
    return cmocka_run_group_tests_name("stats_ingest", tests, NULL, NULL);
}
