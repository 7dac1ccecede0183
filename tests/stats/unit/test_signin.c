/* Unit tests of the sign-in limits (app/stats/signin.c): the growing back-off per address and per
 * name, the clean-address rule, the cap on password checks at once, attempts per address,
 * forgetting, bounded tables under a flood, IPv6 prefixes. Time is passed in, so nothing waits. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "openline/util.h"
#include "signin.h"
#include "token.h"

static struct sockaddr_in v4(const char *s)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, s, &a.sin_addr), 1);
    return a;
}

static struct sockaddr_in6 v6(const char *s)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6};
    assert_int_equal(inet_pton(AF_INET6, s, &a.sin6_addr), 1);
    return a;
}

#define SA(x) ((const struct sockaddr *)&(x))

/* One whole attempt at now: begin, and if allowed, end with r (the check takes no time here).
 * Returns the verdict; *retry_s on refusal. */
static enum signin_verdict try(struct signin *g, const struct sockaddr *addr, const char *name,
                               int64_t now, enum signin_result r, unsigned *retry_s)
{
    struct signin_attempt a;
    unsigned retry = 0;
    enum signin_verdict v = signin_begin(g, addr, name, now, &a, &retry);
    if (v == SIGNIN_GO)
        signin_end(g, &a, r, now);
    if (retry_s)
        *retry_s = retry;
    return v;
}

static int setup(void **state)
{
    struct signin *g;
    assert_int_equal(token_init(), 0);
    assert_int_equal(signin_alloc(&g, SIGNIN_CHECKS_MAX), 0);
    *state = g;
    return 0;
}

static int teardown(void **state)
{
    signin_free(*state);
    return 0;
}

/* Two failures free, then 1 s, doubling to 5 min; a success ends it. */
static void test_backoff_grows(void **state)
{
    struct signin *g = *state;
    struct sockaddr_in a = v4("192.0.2.1");
    static const unsigned want[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300};
    int64_t t = 1000000;
    unsigned retry;

    assert_int_equal(try(g, SA(a), "alice", t, SIGNIN_WRONG, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(a), "alice", t + 100, SIGNIN_WRONG, NULL), SIGNIN_GO);
    t += 200;
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        /* the failure that starts this wait */
        assert_int_equal(try(g, SA(a), "alice", t, SIGNIN_WRONG, NULL), SIGNIN_GO);
        assert_int_equal(try(g, SA(a), "alice", t + 1, SIGNIN_WRONG, &retry), SIGNIN_WAIT);
        assert_int_equal(retry, want[i]);
        /* still waiting just before the end, free at the end */
        assert_int_equal(try(g, SA(a), "alice", t + want[i] * 1000 - 1, SIGNIN_WRONG, NULL),
                         SIGNIN_WAIT);
        t += want[i] * 1000;
    }
    assert_int_equal(try(g, SA(a), "alice", t, SIGNIN_OK, NULL), SIGNIN_GO);
    /* A success ends both back-offs: two free failures again. */
    assert_int_equal(try(g, SA(a), "alice", t + 100, SIGNIN_WRONG, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(a), "alice", t + 200, SIGNIN_WRONG, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(a), "alice", t + 300, SIGNIN_WRONG, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(a), "alice", t + 400, SIGNIN_WRONG, &retry), SIGNIN_WAIT);
    assert_int_equal(retry, 1);
}

/* The module never learns whether a name exists: a real and an unknown name, from addresses in
 * the same state, get the same verdicts at the same times. */
static void test_names_alike(void **state)
{
    struct signin *g = *state;
    struct sockaddr_in a = v4("192.0.2.2"), b = v4("192.0.2.3");
    for (int i = 0; i < 30; i++) {
        unsigned ra = 0, rb = 0;
        int64_t t = 5000 + i * 300;
        assert_int_equal(try(g, SA(a), "alice", t, SIGNIN_WRONG, &ra),
                         try(g, SA(b), "nobody", t, SIGNIN_WRONG, &rb));
        assert_int_equal(ra, rb);
    }
}

/* A name in back-off: an address without failures may still try it (the staff member, while an
 * attacker elsewhere hammers it); an address that failed lately waits for the name. */
static void test_clean_address(void **state)
{
    struct signin *g = *state;
    struct sockaddr_in att = v4("198.51.100.1"), att2 = v4("198.51.100.2");
    struct sockaddr_in staff = v4("203.0.113.9"), other = v4("203.0.113.10");
    int64_t t = 1000000;
    unsigned retry;

    for (int i = 0; i < 6; i++) {
        while (try(g, SA(att), "bob", t, SIGNIN_WRONG, NULL) == SIGNIN_WAIT)
            t += 500;
    }
    /* The attacker's second address: fails once on another name, then waits for bob's back-off. */
    assert_int_equal(try(g, SA(att2), "carol", t, SIGNIN_WRONG, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(att2), "bob", t + 100, SIGNIN_OK, &retry), SIGNIN_WAIT);
    assert_true(retry >= 4);
    /* Bob from an address without failures signs in; his name's back-off ends. */
    assert_int_equal(try(g, SA(staff), "bob", t + 200, SIGNIN_OK, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(att2), "bob", t + 300, SIGNIN_WRONG, NULL), SIGNIN_GO);
    /* The attacker's first address is still in its own back-off. */
    assert_int_equal(try(g, SA(att), "bob", t + 300, SIGNIN_WRONG, NULL), SIGNIN_WAIT);
    /* Without the per-address limit (behind a proxy), the name's back-off holds for everyone. */
    signin_per_address(g, false);
    for (int i = 0; i < 3; i++)
        try(g, SA(att), "dave", t + 400 + i, SIGNIN_WRONG, NULL);
    assert_int_equal(try(g, SA(other), "dave", t + 500, SIGNIN_OK, NULL), SIGNIN_WAIT);
    assert_int_equal(try(g, SA(other), "erin", t + 500, SIGNIN_OK, NULL), SIGNIN_GO);
    signin_per_address(g, true);
}

/* No more than SIGNIN_CHECKS_MAX checks at once; the others are refused at once. */
static void test_busy(void **state)
{
    struct signin *g = *state;
    struct signin_attempt a[SIGNIN_CHECKS_MAX + 1];
    unsigned retry = 0;
    char ip[32];

    for (int i = 0; i < SIGNIN_CHECKS_MAX; i++) {
        snprintf(ip, sizeof(ip), "192.0.2.%d", 100 + i);
        struct sockaddr_in x = v4(ip);
        assert_int_equal(signin_begin(g, SA(x), "alice", 1000, &a[i], &retry), SIGNIN_GO);
    }
    struct sockaddr_in y = v4("192.0.2.200");
    assert_int_equal(signin_begin(g, SA(y), "zoe", 1000, &a[SIGNIN_CHECKS_MAX], &retry),
                     SIGNIN_BUSY);
    assert_int_equal(retry, 1);
    signin_end(g, &a[0], SIGNIN_NOT_CHECKED, 1010);
    assert_int_equal(signin_begin(g, SA(y), "zoe", 1020, &a[SIGNIN_CHECKS_MAX], &retry), SIGNIN_GO);
    for (int i = 1; i <= SIGNIN_CHECKS_MAX; i++)
        signin_end(g, &a[i], SIGNIN_NOT_CHECKED, 1030);
}

/* Attempts per address, failed or not: a burst, then one every SIGNIN_ADDR_REFILL_MS. */
static void test_attempts_per_address(void **state)
{
    struct signin *g = *state;
    struct sockaddr_in a = v4("192.0.2.50");
    unsigned retry;
    int i;

    for (i = 0; i < SIGNIN_ADDR_BURST; i++)
        assert_int_equal(try(g, SA(a), "alice", 1000 + i, SIGNIN_OK, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(a), "alice", 1000 + i, SIGNIN_OK, &retry), SIGNIN_WAIT);
    assert_int_equal(retry, (SIGNIN_ADDR_REFILL_MS + 999) / 1000);
    assert_int_equal(try(g, SA(a), "alice", 1000 + i + SIGNIN_ADDR_REFILL_MS, SIGNIN_OK, NULL),
                     SIGNIN_GO);
}

/* An address's failures are forgotten SIGNIN_FORGET_MS after its last attempt. */
static void test_forget(void **state)
{
    struct signin *g = *state;
    struct sockaddr_in a = v4("192.0.2.60"), b = v4("192.0.2.61");
    int64_t t = 1000;

    for (int i = 0; i < 5; i++)
        while (try(g, SA(a), "frank", t, SIGNIN_WRONG, NULL) == SIGNIN_WAIT)
            t += 1000;
    /* A fresh failure of b keeps frank's name in back-off; a is not clean: it waits. */
    assert_int_equal(try(g, SA(b), "frank", t, SIGNIN_WRONG, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(a), "frank", t + 100, SIGNIN_OK, NULL), SIGNIN_WAIT);
    /* An hour later a is clean again, and the name's failures are forgotten too. */
    t += SIGNIN_FORGET_MS + SIGNIN_MAX_WAIT_MS;
    assert_int_equal(try(g, SA(a), "frank", t, SIGNIN_WRONG, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(a), "frank", t + 100, SIGNIN_WRONG, NULL), SIGNIN_GO);
}

/* A flood of one-off names and addresses stays in the fixed tables and does not push out the
 * record of a name that keeps failing: its back-off holds. */
static void test_flood_bounded(void **state)
{
    struct signin *g = *state;
    struct sockaddr_in att = v4("198.51.100.77"), dirty = v4("198.51.100.78");
    int64_t t = 1000;
    char name[32];

    for (int i = 0; i < 6; i++)
        while (try(g, SA(att), "grace", t, SIGNIN_WRONG, NULL) == SIGNIN_WAIT)
            t += 500;
    /* Another address of the attacker's fails three times elsewhere (a 1 s wait of its own). */
    for (int i = 0; i < 3; i++)
        assert_int_equal(try(g, SA(dirty), "x", t + i, SIGNIN_WRONG, NULL), SIGNIN_GO);
    for (uint32_t i = 0; i < 20 * SIGNIN_ENTRIES; i++) {
        struct sockaddr_in x = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x0a000000 + i)};
        snprintf(name, sizeof(name), "flood-%u", (unsigned)i);
        assert_int_equal(try(g, SA(x), name, t + 10, SIGNIN_WRONG, NULL), SIGNIN_GO);
    }
    /* Its own wait is over; grace's (8 s) is not, and both records survived the flood. */
    unsigned retry;
    assert_int_equal(try(g, SA(dirty), "grace", t + 2000, SIGNIN_OK, &retry), SIGNIN_WAIT);
    assert_int_equal(retry, 6);
}

/* An IPv6 client counts by its /64; an IPv4-mapped address as the IPv4 address. */
static void test_ipv6_prefix(void **state)
{
    struct signin *g = *state;
    struct sockaddr_in6 a = v6("2001:db8:1:2::1"), b = v6("2001:db8:1:2:ffff::9");
    struct sockaddr_in6 c = v6("2001:db8:1:3::1"), m = v6("::ffff:192.0.2.70");
    struct sockaddr_in d = v4("192.0.2.70");

    for (int i = 0; i < 3; i++)
        assert_int_equal(try(g, SA(a), "heidi", 1000 + i, SIGNIN_WRONG, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(b), "ivan", 1010, SIGNIN_WRONG, NULL), SIGNIN_WAIT);
    assert_int_equal(try(g, SA(c), "ivan", 1010, SIGNIN_WRONG, NULL), SIGNIN_GO);
    for (int i = 0; i < 3; i++)
        assert_int_equal(try(g, SA(m), "judy", 2000 + i, SIGNIN_WRONG, NULL), SIGNIN_GO);
    assert_int_equal(try(g, SA(d), "mallory", 2010, SIGNIN_WRONG, NULL), SIGNIN_WAIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backoff_grows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_alike, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clean_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attempts_per_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flood_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ipv6_prefix, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
