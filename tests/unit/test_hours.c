/* Unit tests for times of day ([display] off_hours): parsing, membership, the next change.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "openline/hours.h"
#include "openline/util.h"

#define HM(h, m) ((h)*60 + (m))

static void test_parse_good(void **state)
{
    struct hours h;
    (void)state;
    assert_null(hours_parse("", &h));
    assert_int_equal(h.n, 0);
    assert_null(hours_parse("  ", &h));
    assert_int_equal(h.n, 0);
    assert_null(hours_parse("22:00-06:00", &h));
    assert_int_equal(h.n, 1);
    assert_int_equal(h.r[0].from, HM(22, 0));
    assert_int_equal(h.r[0].to, HM(6, 0));
    assert_null(hours_parse(" 22:00 - 06:00 ,12:30-13:00, 18:00-24:00", &h));
    assert_int_equal(h.n, 3);
    assert_int_equal(h.r[1].from, HM(12, 30));
    assert_int_equal(h.r[2].to, HOURS_PER_DAY);
    assert_null(hours_parse("00:00-01:00,01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,"
                            "05:00-06:00,06:00-07:00,07:00-08:00",
                            &h));
    assert_int_equal(h.n, HOURS_MAX);
}

static void test_parse_bad(void **state)
{
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"22-06", "does not start with a time"},
        {"22:00", "two times joined by '-'"},
        {"22:00-6:00", "does not end with a time"},
        {"22:00-06:60", "does not end with a time"},
        {"24:00-06:00", "does not start with a time"},
        {"22:00-24:01", "does not end with a time"},
        {"10:00-10:00", "same time"},
        {"00:00-24:00,", "does not start with a time"},
        {"22:00-06:00; 12:00-13:00", "separated by commas"},
        {"22:00-06:00 12:00-13:00", "separated by commas"},
        {"00:00-01:00,01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,05:00-06:00,"
         "06:00-07:00,07:00-08:00,08:00-09:00",
         "more than 8"},
    };
    struct hours h;
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        const char *why = hours_parse(bad[i].text, &h);
        if (!why || !strstr(why, bad[i].why))
            fail_msg("'%s': %s, wanted '%s'", bad[i].text, why ? why : "accepted", bad[i].why);
    }
}

static void test_contains(void **state)
{
    struct hours h;
    (void)state;
    assert_null(hours_parse("22:00-06:00, 12:30-13:00", &h));
    assert_true(hours_contains(&h, HM(22, 0)));
    assert_true(hours_contains(&h, HM(23, 59)));
    assert_true(hours_contains(&h, HM(0, 0)));
    assert_true(hours_contains(&h, HM(5, 59)));
    assert_false(hours_contains(&h, HM(6, 0)));
    assert_false(hours_contains(&h, HM(21, 59)));
    assert_false(hours_contains(&h, HM(12, 29)));
    assert_true(hours_contains(&h, HM(12, 30)));
    assert_false(hours_contains(&h, HM(13, 0)));
    assert_null(hours_parse("", &h));
    assert_false(hours_contains(&h, HM(3, 0)));
}

static void test_next_change(void **state)
{
    struct hours h;
    (void)state;
    assert_null(hours_parse("22:00-06:00, 12:30-13:00", &h));
    assert_int_equal(hours_next_change(&h, HM(21, 58)), 2);
    assert_int_equal(hours_next_change(&h, HM(22, 0)), 8 * 60);
    assert_int_equal(hours_next_change(&h, HM(6, 0)), HM(6, 30));
    assert_int_equal(hours_next_change(&h, HM(12, 59)), 1);
    /* overlapping ranges are one stretch */
    assert_null(hours_parse("10:00-12:00, 11:00-14:00", &h));
    assert_int_equal(hours_next_change(&h, HM(10, 0)), 4 * 60);
    /* never, and always: no change */
    assert_null(hours_parse("", &h));
    assert_int_equal(hours_next_change(&h, HM(10, 0)), 0);
    assert_null(hours_parse("00:00-24:00", &h));
    assert_int_equal(hours_next_change(&h, HM(10, 0)), 0);
}

static void test_local_minute(void **state)
{
    uint64_t left;
    (void)state;
    setenv("TZ", "UTC", 1);
    /* 2026-12-07T21:58:30.250Z */
    int64_t ms = 1796680710250LL;
    assert_int_equal(hours_local_minute(ms, &left), HM(21, 58));
    assert_int_equal(left, 29750);
    setenv("TZ", "NPT-5:45", 1); /* UTC+05:45, as POSIX writes it (no tzdata needed) */
    assert_int_equal(hours_local_minute(ms, NULL), HM(3, 43));
    unsetenv("TZ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),   cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_contains),     cmocka_unit_test(test_next_change),
        cmocka_unit_test(test_local_minute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
