/* Unit tests for times of the week ([organisation] hours, [display] off_hours): the syntax,
 * its errors, whether a moment is inside, across midnight and through Sunday, the next
 * change, and the local time.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "openline/hours.h"

enum { MO, TU, WE, TH, FR, SA, SU };

static struct hours parse(const char *s)
{
    struct hours h;
    char why[160];
    const char *bad = hours_parse(s, &h, why, sizeof(why));
    if (bad)
        fail_msg("'%s' refused: %s", s, bad);
    return h;
}

static void refused(const char *s, const char *needle)
{
    struct hours h;
    char why[160];
    const char *bad = hours_parse(s, &h, why, sizeof(why));
    if (!bad)
        fail_msg("'%s' accepted", s);
    if (!strstr(bad, needle))
        fail_msg("'%s': message lacks '%s': %s", s, needle, bad);
}

static int at(int h, int m)
{
    return h * 60 + m;
}

static void test_always_and_unset(void **state)
{
    (void)state;
    struct hours h = parse("");
    assert_false(h.set);
    assert_true(hours_open(&h, SU, at(3, 0))); /* not stated: calls always go */
    h = parse("always");
    assert_true(h.set && h.always);
    assert_true(hours_open(&h, WE, at(3, 0)));
}

static void test_week(void **state)
{
    (void)state;
    struct hours h = parse("Mo-Fr 08:00-20:00, Sa 09:00-13:00");
    assert_int_equal(h.n, 2);
    assert_true(hours_open(&h, MO, at(8, 0)));   /* the start is open */
    assert_false(hours_open(&h, MO, at(20, 0))); /* the end is not */
    assert_true(hours_open(&h, FR, at(19, 59)));
    assert_false(hours_open(&h, TU, at(7, 59)));
    assert_true(hours_open(&h, SA, at(12, 30)));
    assert_false(hours_open(&h, SA, at(13, 0)));
    assert_false(hours_open(&h, SU, at(12, 0)));
    char buf[128];
    hours_format(&h, buf, sizeof(buf));
    assert_string_equal(buf, "Mo-Fr 08:00-20:00, Sa 09:00-13:00");
}

static void test_overnight_and_midnight(void **state)
{
    (void)state;
    /* Friday night into Saturday morning */
    struct hours h = parse("Fr 22:00-02:00");
    assert_true(hours_open(&h, FR, at(23, 0)));
    assert_true(hours_open(&h, SA, at(1, 59)));
    assert_false(hours_open(&h, SA, at(2, 0)));
    assert_false(hours_open(&h, FR, at(1, 0))); /* Thursday night is not covered */
    /* Sunday night runs into Monday */
    h = parse("Su 20:00-06:00");
    assert_true(hours_open(&h, MO, at(5, 0)));
    assert_false(hours_open(&h, SU, at(5, 0)));
    /* 24:00 ends the day; 00:00 as an end is midnight too */
    h = parse("Mo 18:00-24:00, Tu 00:00-24:00, We 20:00-00:00");
    assert_true(hours_open(&h, MO, at(23, 59)));
    assert_true(hours_open(&h, TU, at(0, 0)));
    assert_true(hours_open(&h, TU, at(23, 59)));
    assert_false(hours_open(&h, WE, at(0, 0)) && !hours_open(&h, TU, at(23, 59)));
    assert_true(hours_open(&h, WE, at(23, 59)));
    assert_false(hours_open(&h, TH, at(0, 0)));
    /* a range of days through Sunday, and two ranges a day */
    h = parse("Sa-Mo 10:00-12:00 14:00-16:00");
    assert_int_equal(h.n, 2);
    assert_true(hours_open(&h, SU, at(15, 0)));
    assert_true(hours_open(&h, MO, at(11, 0)));
    assert_false(hours_open(&h, MO, at(13, 0)));
    assert_false(hours_open(&h, TU, at(11, 0)));
}

static void test_refused(void **state)
{
    (void)state;
    refused("Mon-Fri 08:00-20:00", "not a day");
    refused("Mo-Xx 08:00-20:00", "not a day");
    refused("Mo 8:00-20:00", "HH:MM");
    refused("Mo 08:00-25:00", "HH:MM");
    refused("Mo 24:00-02:00", "24:00 only as an end");
    refused("Mo 08:60-20:00", "HH:MM");
    refused("Mo 08:00", "HH:MM-HH:MM");
    refused("Mo 08:00-08:00", "empty");
    refused("Mo", "followed by a space");
    refused("Mo ", "without times");
    refused("Mo 08:00-20:00,", "another rule");
    refused("Mo 08:00-20:00; Tu 08:00-20:00", "HH:MM-HH:MM");
    refused("Mon 08:00-20:00", "not a day");
    refused("Mo-Su 00:00-01:00 01:00-02:00 02:00-03:00 03:00-04:00 04:00-05:00 05:00-06:00 "
            "06:00-07:00 07:00-08:00 08:00-09:00 09:00-10:00 10:00-11:00 11:00-12:00 "
            "12:00-13:00 13:00-14:00 14:00-15:00 15:00-16:00 16:00-17:00",
            "too many");
}

/* [display] off_hours: times without days hold every day. */
static void test_every_day(void **state)
{
    (void)state;
    struct hours h = parse(" 22:00-06:00 ,12:30-13:00, 18:00-24:00");
    assert_true(h.set && !h.always);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.rules[0].day_from, MO);
    assert_int_equal(h.rules[0].day_to, SU);
    assert_int_equal(h.rules[2].to, HOURS_PER_DAY);
    h = parse("22:00-06:00, 12:30-13:00");
    for (int d = MO; d <= SU; d++) {
        assert_true(hours_within(&h, d, at(22, 0)));
        assert_true(hours_within(&h, d, at(23, 59)));
        assert_true(hours_within(&h, d, at(0, 0)));
        assert_true(hours_within(&h, d, at(5, 59)));
        assert_false(hours_within(&h, d, at(6, 0)));
        assert_false(hours_within(&h, d, at(21, 59)));
        assert_false(hours_within(&h, d, at(12, 29)));
        assert_true(hours_within(&h, d, at(12, 30)));
        assert_false(hours_within(&h, d, at(13, 0)));
    }
    /* not set: never within (the display stays on), though a hotline then always answers */
    h = parse("");
    assert_false(hours_within(&h, WE, at(3, 0)));
    assert_true(hours_open(&h, WE, at(3, 0)));
    refused("10pm-6am", "a time is HH:MM");
    refused("22:00-06:00; 12:00-13:00", "HH:MM-HH:MM");
}

static void test_next_change(void **state)
{
    (void)state;
    struct hours h = parse("22:00-06:00, 12:30-13:00");
    assert_int_equal(hours_next_change(&h, WE, at(21, 58)), 2);
    assert_int_equal(hours_next_change(&h, WE, at(22, 0)), 8 * 60);
    assert_int_equal(hours_next_change(&h, WE, at(6, 0)), at(6, 30));
    assert_int_equal(hours_next_change(&h, SU, at(12, 59)), 1);
    /* overlapping ranges are one stretch */
    h = parse("10:00-12:00, 11:00-14:00");
    assert_int_equal(hours_next_change(&h, MO, at(10, 0)), 4 * 60);
    /* Friday 20:00 to Monday 08:00 */
    h = parse("Mo-Fr 08:00-20:00");
    assert_int_equal(hours_next_change(&h, FR, at(20, 0)), 60 * 60);
    assert_int_equal(hours_next_change(&h, SU, at(23, 59)), 8 * 60 + 1);
    /* never, and always: no change */
    h = parse("");
    assert_int_equal(hours_next_change(&h, MO, at(10, 0)), 0);
    h = parse("00:00-24:00");
    assert_int_equal(hours_next_change(&h, MO, at(10, 0)), 0);
    h = parse("always");
    assert_int_equal(hours_next_change(&h, MO, at(10, 0)), 0);
}

static void test_local(void **state)
{
    uint64_t left;
    int wday, minute;
    (void)state;
    setenv("TZ", "UTC", 1);
    /* 2026-12-07T21:58:30.250Z, a Monday */
    int64_t ms = 1796680710250LL;
    hours_local(ms, &wday, &minute, &left);
    assert_int_equal(wday, MO);
    assert_int_equal(minute, at(21, 58));
    assert_int_equal(left, 29750);
    setenv("TZ", "NPT-5:45", 1); /* UTC+05:45, as POSIX writes it (no tzdata needed) */
    hours_local(ms, &wday, &minute, NULL);
    assert_int_equal(wday, TU);
    assert_int_equal(minute, at(3, 43));
    unsetenv("TZ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_always_and_unset),
        cmocka_unit_test(test_week),
        cmocka_unit_test(test_overnight_and_midnight),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_every_day),
        cmocka_unit_test(test_next_change),
        cmocka_unit_test(test_local),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
