/* Unit tests of the counts module: the noise's distribution, buckets, payloads and the spool.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "counts_int.h"
#include "openline/config.h"
#include "openline/day.h"

/* 100,000 draws: the mean is 0 and the variance that of the two-sided geometric distribution,
 * 2a/(1-a)^2 with a = exp(-epsilon), within 3 %; P(0) = (1-a)/(1+a) within 3 %. */
static void check_noise(uint32_t num, uint32_t den)
{
    const int n = 100000;
    double eps = (double)num / den, a = exp(-eps);
    double want_var = 2 * a / ((1 - a) * (1 - a)), want_p0 = (1 - a) / (1 + a);
    double sum = 0, sum2 = 0;
    int zeros = 0;
    for (int i = 0; i < n; i++) {
        int64_t v;
        assert_int_equal(noise_geometric(num, den, &v), 0);
        sum += (double)v;
        sum2 += (double)v * (double)v;
        zeros += v == 0;
    }
    double mean = sum / n, var = sum2 / n - mean * mean, p0 = (double)zeros / n;
    print_message("epsilon %g: mean %.4f, variance %.4f (want %.4f, %+.2f %%), P(0) %.4f (want "
                  "%.4f)\n",
                  eps, mean, var, want_var, 100 * (var / want_var - 1), p0, want_p0);
    /* the mean's standard error is sqrt(var/n): 0.0043 for epsilon 1; allow 6 of them */
    if (fabs(mean) > 6 * sqrt(want_var / n))
        fail_msg("mean %f is not about 0", mean);
    if (fabs(var / want_var - 1) > 0.03)
        fail_msg("variance %f is not within 3 %% of %f", var, want_var);
    if (fabs(p0 / want_p0 - 1) > 0.03)
        fail_msg("P(0) %f is not within 3 %% of %f", p0, want_p0);
}

static void test_noise_epsilon_1(void **state)
{
    (void)state;
    check_noise(1, 1);
}

static void test_noise_epsilon_half(void **state)
{
    (void)state;
    check_noise(1, 2);
}

static void test_noise_epsilon_2_5(void **state)
{
    (void)state;
    check_noise(5, 2);
}

static void test_noise_uniform(void **state)
{
    (void)state;
    int seen[7] = {0};
    for (int i = 0; i < 70000; i++) {
        uint64_t v;
        assert_int_equal(noise_uniform(7, &v), 0);
        assert_true(v < 7);
        seen[v]++;
    }
    for (int i = 0; i < 7; i++)
        assert_in_range(seen[i], 9400, 10600); /* 10,000 +- 6 standard deviations */
    int64_t v;
    assert_int_equal(noise_geometric(0, 1, &v), EINVAL);
}

static void test_buckets(void **state)
{
    (void)state;
    int32_t thu;
    assert_int_equal(day_parse("2026-12-03", 10, &thu), 0); /* a Thursday */
    int32_t mon = thu - 3;
    struct bucket b = bucket_for_day(thu, 7, 0, 0, 0);
    assert_int_equal(b.start, mon);
    assert_int_equal(b.days, 7);
    b = bucket_for_day(thu, 1, 0, 0, 0);
    assert_int_equal(b.start, thu);
    assert_int_equal(b.days, 1);
    /* the size changed to a week on Thursday after days up to Wednesday were sent: days */
    b = bucket_for_day(thu, 7, thu, 0, 0);
    assert_int_equal(b.start, thu);
    assert_int_equal(b.days, 1);
    /* the clock is behind what was sent: undated */
    b = bucket_for_day(thu - 1, 7, thu, 0, 0);
    assert_true(bucket_undated(&b));
    /* an open bucket holding the day wins (a week kept until its end after a change to days) */
    b = bucket_for_day(thu, 1, 0, mon, 7);
    assert_int_equal(b.start, mon);
    assert_int_equal(b.days, 7);
    b = bucket_for_day(mon + 7, 1, 0, mon, 7);
    assert_int_equal(b.start, mon + 7);
    assert_int_equal(b.days, 1);
    assert_int_equal(bucket_day_of(-1), -1);
    assert_int_equal(bucket_day_of(86400000), 1);
    char label[32];
    bucket_label(&(struct bucket){mon, 7}, label, sizeof(label));
    assert_string_equal(label, "2026-11-30/7");
}

static struct config test_cfg(enum config_noise noise)
{
    struct config cfg;
    config_defaults(&cfg);
    cfg.counts.noise = noise;
    return cfg;
}

static void test_payload_exact(void **state)
{
    (void)state;
    const char *langs[] = {"en", "zh-Hans", "BAD!"}, *pages[] = {"rights", "Not_OK"};
    struct counts_set set;
    assert_int_equal(counts_set_build(&set, langs, 3, pages, 2), 0);
    assert_int_equal(set.n, COUNTS_N_FIXED + 3); /* the two names wire v1 refuses left out */
    assert_int_equal(counts_set_find(&set, "lang.zh-Hans"), COUNTS_N_FIXED + 1);
    assert_int_equal(counts_set_find(&set, "page.Not_OK"), -1);

    struct config cfg = test_cfg(CONFIG_NOISE_NONE);
    char *names[] = {"sessions", "lang.en", "page.old"}; /* page.old: counted, since removed */
    int64_t values[] = {7, 3, 60000};
    struct spool_batch batch = {0};
    struct bucket b = {20423, 7};
    assert_int_equal(payload_batch(&cfg, &set, &b, names, values, 3, &batch), 0);
    json_error_t je;
    json_t *root = json_loads(batch.payload, 0, &je);
    assert_non_null(root);
    assert_int_equal(strlen(batch.id), 32);
    assert_int_equal(strspn(batch.id, "0123456789abcdef"), 32);
    assert_string_equal(json_string_value(json_object_get(root, "batch")), batch.id);
    assert_int_equal(json_integer_value(json_object_get(root, "schema")), 1);
    json_t *bk = json_object_get(root, "bucket"), *noise = json_object_get(root, "noise");
    assert_string_equal(json_string_value(json_object_get(bk, "start")), "2025-12-01");
    assert_int_equal(json_integer_value(json_object_get(bk, "days")), 7);
    assert_string_equal(json_string_value(json_object_get(noise, "mech")), "none");
    assert_null(json_object_get(noise, "epsilon"));
    json_t *counts = json_object_get(root, "counts");
    assert_int_equal(json_object_size(counts), set.n + 1);
    assert_int_equal(json_integer_value(json_object_get(counts, "sessions")), 7);
    assert_int_equal(json_integer_value(json_object_get(counts, "lang.en")), 3);
    assert_int_equal(json_integer_value(json_object_get(counts, "lang.zh-Hans")), 0);
    assert_int_equal(json_integer_value(json_object_get(counts, "call.failed")), 0);
    assert_int_equal(json_integer_value(json_object_get(counts, "page.old")), 50000); /* clamp */
    assert_int_equal(json_object_size(root), 5);
    json_decref(root);
    spool_batch_free(&batch);
    counts_set_free(&set);
}

static void test_payload_noisy(void **state)
{
    (void)state;
    const char *langs[] = {"en"};
    struct counts_set set;
    assert_int_equal(counts_set_build(&set, langs, 1, NULL, 0), 0);
    struct config cfg = test_cfg(CONFIG_NOISE_GEOMETRIC);
    cfg.counts.epsilon = 0.5;
    cfg.counts.epsilon_num = 1;
    cfg.counts.epsilon_den = 2;
    /* 200 batches of zeros: not all counts come out 0, each within the wire's bounds */
    int nonzero = 0;
    for (int i = 0; i < 200; i++) {
        struct spool_batch batch = {0};
        struct bucket b = {20423, 1};
        assert_int_equal(payload_batch(&cfg, &set, &b, NULL, NULL, 0, &batch), 0);
        json_t *root = json_loads(batch.payload, 0, NULL);
        json_t *noise = json_object_get(root, "noise");
        assert_string_equal(json_string_value(json_object_get(noise, "mech")), "geometric");
        assert_true(json_real_value(json_object_get(noise, "epsilon")) == 0.5);
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(root, "counts"), k, v)
        {
            assert_true(json_is_integer(v));
            assert_in_range(json_integer_value(v) + 50, 0, 50050);
            nonzero += json_integer_value(v) != 0;
        }
        json_decref(root);
        spool_batch_free(&batch);
    }
    assert_true(nonzero > 200); /* of 1,400 counts, about 62 % are not 0 at epsilon 0.5 */
    counts_set_free(&set);
}

static char spool_dir[64];

static void test_spool(void **state)
{
    (void)state;
    char err[512];
    snprintf(spool_dir, sizeof(spool_dir), "/tmp/openline-spool-XXXXXX");
    assert_non_null(mkdtemp(spool_dir));
    char dir[128];
    snprintf(dir, sizeof(dir), "%s/state/sub", spool_dir);
    struct spool *ui, *th;
    assert_int_equal(spool_open(&ui, dir, SPOOL_UI, err, sizeof(err)), 0);
    assert_int_equal(spool_open(&th, dir, SPOOL_THREAD, err, sizeof(err)), 0);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    char db[160];
    snprintf(db, sizeof(db), "%s/counts.db", dir);
    assert_int_equal(stat(db, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    const char *langs[] = {"en"};
    struct counts_set set;
    assert_int_equal(counts_set_build(&set, langs, 1, NULL, 0), 0);
    struct bucket w = {20423, 7}, undated = {BUCKET_UNDATED_START, 0}, b;
    assert_int_equal(spool_open_bucket(th, &w, &set), 0);
    assert_int_equal(spool_open_bucket_holding(ui, 20426, &b), 0);
    assert_int_equal(b.start, 20423);
    assert_int_equal(spool_add(ui, &w, "sessions", 1), 0);
    assert_int_equal(spool_add(ui, &w, "sessions", 1), 0);
    assert_int_equal(spool_add(ui, &undated, "lang.en", 1), 0);
    assert_true(spool_has_undated(th));
    assert_int_equal(spool_assign_undated(th, &w), 0);
    assert_false(spool_has_undated(th));

    /* the UI never waits: while the counts thread holds the lock, its write says EBUSY */
    assert_int_equal(spool_begin(th), 0);
    assert_int_equal(spool_add(ui, &w, "sessions", 1), EBUSY);
    spool_rollback(th);

    assert_int_equal(spool_ended_bucket(th, 20429, &b), ENOENT); /* not ended on Sunday */
    assert_int_equal(spool_ended_bucket(th, 20430, &b), 0);
    char **names;
    int64_t *values;
    size_t n;
    assert_int_equal(spool_counts(th, &b, &names, &values, &n), 0);
    assert_int_equal(n, set.n); /* every counter has its row, zeros included */
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(names[i], "sessions"))
            assert_int_equal(values[i], 2);
        else if (!strcmp(names[i], "lang.en"))
            assert_int_equal(values[i], 1);
        else
            assert_int_equal(values[i], 0);
    }
    spool_counts_free(names, values, n);

    /* 110 batches: the 6 oldest dropped and counted */
    struct spool_batch batch = {.payload = "{}"};
    unsigned dropped, total = 0;
    for (int i = 0; i < 110; i++) {
        snprintf(batch.id, sizeof(batch.id), "%032x", i);
        batch.bucket = (struct bucket){20423 + 7 * i, 7};
        batch.next_attempt_ms = i;
        assert_int_equal(spool_begin(th), 0);
        assert_int_equal(spool_close_bucket(th, &batch, &dropped), 0);
        assert_int_equal(spool_commit(th), 0);
        total += dropped;
    }
    assert_int_equal(total, 6);
    int64_t v;
    assert_int_equal(spool_meta_get(th, "dropped", &v), 0);
    assert_int_equal(v, 6);
    assert_int_equal(spool_meta_get(th, "closed_until", &v), 0);
    assert_int_equal(v, 20423 + 7 * 110);
    int all, quarantined;
    assert_int_equal(spool_depth(ui, &all, &quarantined), 0);
    assert_int_equal(all, SPOOL_MAX_BATCHES);
    struct spool_batch due;
    assert_int_equal(spool_next_due(th, 1000, &due), 0);
    assert_int_equal(due.bucket.start, 20423 + 7 * 6); /* the oldest left */
    assert_int_equal(spool_quarantine(th, due.id, 1, "400 malformed: x"), 0);
    assert_int_equal(spool_retry_at(th, "00000000000000000000000000000007", 3, 5000, "500"), 0);
    spool_batch_free(&due);
    assert_int_equal(spool_next_due(th, 1000, &due), 0);
    assert_int_equal(due.bucket.start, 20423 + 7 * 8);
    spool_batch_free(&due);
    assert_int_equal(spool_depth(ui, &all, &quarantined), 0);
    assert_int_equal(quarantined, 1);
    assert_int_equal(spool_delete(th, "0000000000000000000000000000006d"), 0);
    assert_int_equal(spool_depth(ui, &all, NULL), 0);
    assert_int_equal(all, SPOOL_MAX_BATCHES - 1);
    assert_int_equal(spool_checkpoint(th), 0);
    char wal[170];
    snprintf(wal, sizeof(wal), "%s-wal", db);
    assert_int_equal(stat(wal, &st), 0);
    assert_int_equal(st.st_size, 0); /* the log of past changes is gone */

    counts_set_free(&set);
    spool_close(ui);
    spool_close(th);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", spool_dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_noise_epsilon_1),   cmocka_unit_test(test_noise_epsilon_half),
        cmocka_unit_test(test_noise_epsilon_2_5), cmocka_unit_test(test_noise_uniform),
        cmocka_unit_test(test_buckets),           cmocka_unit_test(test_payload_exact),
        cmocka_unit_test(test_payload_noisy),     cmocka_unit_test(test_spool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
