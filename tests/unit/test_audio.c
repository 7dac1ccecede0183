/* Unit tests for the voice path's echo handling: the played reference kept in step with the
 * microphone through an underrun, the bulk delay estimator, and the canceller with and without
 * noise suppression.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../app/audio/audio_int.h"
#include "openline/config.h"
#include "openline/util.h"

enum { RATE = 16000, FRAME = 320 };

/* A speech-like far end: noise through a resonator, in bursts of 300 ms with 100 ms pauses,
 * from a fixed seed. */
static int16_t *far_signal(size_t n, unsigned seed)
{
    int16_t *x = calloc(n, sizeof(*x));
    double y1 = 0, y2 = 0;
    for (size_t i = 0; x && i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        double e = ((double)(seed >> 8) / (1 << 24) - 0.5) * 4000;
        double y = e + 1.6 * y1 - 0.8 * y2; /* a resonance near 500 Hz */
        y2 = y1, y1 = y;
        x[i] = (i % (RATE * 4 / 10)) < RATE * 3 / 10 ? (int16_t)(y * 0.5) : 0;
    }
    return x;
}

static double energy(const int16_t *x, size_t n)
{
    double e = 0;
    for (size_t i = 0; i < n; i++)
        e += (double)x[i] * x[i];
    return e;
}

/* What the microphone gets and what was played come out of the device in step, and where the
 * playback ring ran dry the reference says silence: the echo canceller's reference is what was
 * heard, not what was queued. */
static void test_played_reference_in_step(void **state)
{
    struct config cfg;
    struct audio_dev *d = NULL;
    char err[256];
    int16_t in[480], out[480], mic[1500], played[1500];

    (void)state;
    config_defaults(&cfg);
    cfg.audio.driver = CONFIG_AUDIO_NULL;
    assert_int_equal(audio_dev_alloc(&d, &cfg, err, sizeof(err)), 0);
    for (size_t i = 0; i < ARRAY_SIZE(in); i++)
        in[i] = (int16_t)i;
    int16_t queued[700];
    for (size_t i = 0; i < ARRAY_SIZE(queued); i++)
        queued[i] = 5000;
    assert_int_equal(audio_dev_playback_write(d, queued, ARRAY_SIZE(queued)), 700);
    for (int b = 0; b < 3; b++) /* 1440 samples: the last 740 find the ring dry */
        audio_dev_process(d, in, out, ARRAY_SIZE(out));
    assert_int_equal(audio_dev_capture_avail(d), 1440);
    assert_int_equal(audio_dev_capture_read(d, mic, played, ARRAY_SIZE(mic)), 1440);
    for (size_t i = 0; i < 1440; i++) {
        assert_int_equal(mic[i], (int16_t)(i % 480));
        assert_int_equal(played[i], i < 700 ? 5000 : 0);
    }
    /* a drop is silence in the reference too */
    assert_int_equal(audio_dev_playback_write(d, queued, 480), 480);
    audio_dev_playback_drop(d);
    audio_dev_process(d, in, out, ARRAY_SIZE(out));
    assert_int_equal(audio_dev_capture_read(d, mic, played, 480), 480);
    assert_int_equal(energy(played, 480), 0);
    audio_dev_free(d);
}

/* The estimator finds a known delay within a millisecond after two windows of far-end speech,
 * and says nothing without far-end speech. */
static void test_delay_estimate(void **state)
{
    const unsigned delays_ms[] = {0, 40, 120, 230};
    (void)state;
    for (size_t k = 0; k < ARRAY_SIZE(delays_ms); k++) {
        size_t n = RATE * 4, dn = RATE / 1000 * delays_ms[k];
        int16_t *far = far_signal(n, 7 + (unsigned)k), *mic = calloc(n, sizeof(*mic));
        struct audio_delay *est;
        int found = -1;
        double found_at = -1;
        assert_non_null(far);
        assert_non_null(mic);
        for (size_t i = dn; i < n; i++) /* the echo, 6 dB down, plus a reflection */
            mic[i] = (int16_t)(far[i - dn] / 2 + (i >= dn + 160 ? far[i - dn - 160] / 5 : 0));
        assert_int_equal(audio_delay_alloc(&est, RATE, FRAME, 400), 0);
        for (size_t at = 0; at + FRAME <= n && found < 0; at += FRAME) {
            found = audio_delay_update(est, mic + at, far + at);
            found_at = (double)(at + FRAME) / RATE;
        }
        printf("      delay %u ms: found %.2f ms after %.2f s\n", delays_ms[k],
               found * 1000.0 / RATE, found_at);
        assert_true(found >= 0);
        assert_true(abs(found - (int)dn) <= RATE / 1000);
        assert_true(found_at < 2.0);
        audio_delay_free(est);
        free(far);
        free(mic);
    }
    /* silence from the far end: no answer, however long */
    struct audio_delay *est;
    int16_t zero[FRAME] = {0}, noise[FRAME];
    for (int i = 0; i < FRAME; i++)
        noise[i] = (int16_t)((i * 7919) % 2001 - 1000);
    assert_int_equal(audio_delay_alloc(&est, RATE, FRAME, 400), 0);
    for (int f = 0; f < 500; f++)
        assert_int_equal(audio_delay_update(est, noise, zero), -1);
    audio_delay_free(est);
}

/* ERLE over the last two seconds of n samples of mic = echo (delay_ms) + near noise, with the
 * canceller and the given noise suppression; *near_db: the output over the input where only the
 * near-end noise was (the far end silent from 4 s on). */
static double erle_run(unsigned delay_ms, bool ns, double *near_db, unsigned *found_ms)
{
    size_t n = RATE * 6, dn = RATE / 1000 * delay_ms;
    int16_t *far = far_signal(n, 3), *mic = calloc(n, sizeof(*mic)), *out = calloc(n, 2);
    struct audio_proc *p;
    unsigned seed = 99;
    assert_true(far && mic && out);
    for (size_t i = RATE * 4; i < n; i++)
        far[i] = 0;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        int noise = (int)((seed >> 8) % 61) - 30; /* about -64 dBFS */
        mic[i] = (int16_t)((i >= dn ? far[i - dn] / 2 : 0) + noise);
    }
    assert_int_equal(audio_proc_alloc(&p, RATE, FRAME, 150, true, ns), 0);
    for (size_t at = 0; at + FRAME <= n; at += FRAME)
        audio_proc_run(p, mic + at, far + at, out + at);
    *found_ms = audio_proc_delay_ms(p);
    audio_proc_free(p);
    /* echo energy against what is left, over 2-4 s (far end speaking, settled) */
    double echo = 0, left = 0;
    for (size_t i = RATE * 2; i < RATE * 4; i++) {
        double e = i >= dn ? far[i - dn] / 2 : 0;
        echo += e * e;
        left += (double)out[i] * out[i];
    }
    /* 5-6 s: only the near end's noise, which must pass untouched without noise suppression */
    *near_db = 10 * log10(energy(out + RATE * 5, RATE) / energy(mic + RATE * 5, RATE));
    free(far);
    free(mic);
    free(out);
    return 10 * log10(echo / (left + 1));
}

static void test_canceller(void **state)
{
    double near_db, erle;
    unsigned found;
    (void)state;
    /* a delay the first canceller covers, and one only a later one does */
    erle = erle_run(40, true, &near_db, &found);
    printf("      40 ms, noise suppression on: ERLE %.1f dB, noise %.1f dB, in use at %u ms\n",
           erle, near_db, found);
    assert_true(erle > 30);
    assert_true(near_db < -6); /* noise suppression works, so the next check can fail */
    erle = erle_run(280, true, &near_db, &found);
    printf("      280 ms: ERLE %.1f dB, in use at %u ms\n", erle, found);
    assert_true(erle > 30);
    assert_true(found >= 200 && found <= 280);
    /* noise suppression off: the residual echo is still suppressed, the noise is not */
    erle = erle_run(40, false, &near_db, &found);
    printf("      40 ms, noise suppression off: ERLE %.1f dB, noise %.1f dB\n", erle, near_db);
    assert_true(erle > 30);
    assert_true(fabs(near_db) < 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_played_reference_in_step),
        cmocka_unit_test(test_delay_estimate),
        cmocka_unit_test(test_canceller),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
