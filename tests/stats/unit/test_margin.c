/* Unit test of the 95 % ranges (margin.h): sums of exactly drawn two-sided geometric noise fall
 * within report_margin95() about 95 % of the time, and their variance is n report_noise_var(). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "margin.h"

/* Sums drawn per configuration. */
#define MARGIN_DRAWS 10000

/* splitmix64: a small seeded generator, so every run draws the same numbers. */
static uint64_t margin_rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform on (0, 1]: 53 random bits, never 0 (the logarithm below needs u > 0). */
static double margin_rng_unit(uint64_t *s)
{
    return ((double)(margin_rng_next(s) >> 11) + 1.0) / 9007199254740992.0;
}

/* A geometric variable, the failures before the first success with success probability 1 - a,
 * by inversion of its distribution function: P(G >= k) = a^k, so G = floor(ln u / ln a) is the
 * integer k with a^(k+1) < u <= a^k. */
static int64_t margin_geometric(uint64_t *s, double log_a)
{
    return (int64_t)floor(log(margin_rng_unit(s)) / log_a);
}

/* One kiosk's noise as it adds it: the difference of two independent geometric variables. */
static int64_t margin_noise(uint64_t *s, double log_a)
{
    return margin_geometric(s, log_a) - margin_geometric(s, log_a);
}

struct margin_case {
    int n;          /* batches in the sum */
    double epsilon; /* of each batch */
};

/* Draw MARGIN_DRAWS sums of c->n noises; print the share within the margin and the variance.
 * Returns whether the share is within [0.94, 0.96] and the variance within 5 % of n var. */
static bool margin_check(const struct margin_case *c, uint64_t seed)
{
    double log_a = -c->epsilon, var = c->n * report_noise_var(c->epsilon);
    int64_t m = report_margin95(var), inside = 0;
    double sum2 = 0, sum1 = 0;

    for (int i = 0; i < MARGIN_DRAWS; i++) {
        int64_t sum = 0;
        for (int j = 0; j < c->n; j++)
            sum += margin_noise(&seed, log_a);
        if (sum >= -m && sum <= m)
            inside++;
        sum1 += (double)sum;
        sum2 += (double)sum * (double)sum;
    }
    double coverage = (double)inside / MARGIN_DRAWS;
    double mean = sum1 / MARGIN_DRAWS;
    double sample_var = (sum2 - MARGIN_DRAWS * mean * mean) / (MARGIN_DRAWS - 1);
    printf("[ margin   ] n=%d epsilon=%g: var %.1f (sampled %.1f), margin %lld, coverage %.4f\n",
           c->n, c->epsilon, var, sample_var, (long long)m, coverage);
    return coverage >= 0.94 && coverage <= 0.96 && fabs(sample_var - var) <= 0.05 * var;
}

static void test_noise_var(void **state)
{
    (void)state;
    assert_true(report_noise_var(0) == 0);
    /* a = e^-1: 2a / (1 - a)^2 = 1.84134... */
    assert_true(fabs(report_noise_var(1) - 1.84134) < 1e-4);
    assert_true(report_noise_var(0.5) > report_noise_var(1));
    assert_true(report_noise_var(2) < report_noise_var(1));
}

static void test_margin95(void **state)
{
    (void)state;
    assert_int_equal(report_margin95(0), 0);
    /* ceil(1.96 - 0.5) = 2; ceil(19.6 - 0.5) = 20; ceil(0.196 - 0.5) = 0 */
    assert_int_equal(report_margin95(1), 2);
    assert_int_equal(report_margin95(100), 20);
    assert_int_equal(report_margin95(0.01), 0);
    /* 156 weekly batches at epsilon 1: sqrt(287.25) = 16.95, 1.96 x 16.95 - 0.5 = 32.7 */
    assert_int_equal(report_margin95(156 * report_noise_var(1)), 33);
}

static void test_coverage(void **state)
{
    static const struct margin_case cases[] = {
        {.n = 156, .epsilon = 1},
        {.n = 1000, .epsilon = 1},
        {.n = 52, .epsilon = 0.5},
        {.n = 300, .epsilon = 2},
    };
    bool ok = true;
    (void)state;
    /* every configuration runs and prints before the verdict */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ok &= margin_check(&cases[i], 0x6f70656e6c696e65u + i);
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_noise_var),
        cmocka_unit_test(test_margin95),
        cmocka_unit_test(test_coverage),
    };
    return cmocka_run_group_tests_name("stats_margin", tests, NULL, NULL);
}
