/* Unit tests for read-aloud (app/speech): every voice speaks, clips override synthesis, cancel
 * stops the audio, sentences split per script, numbers and addresses spelt.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "openline/i18n.h"
#include "speech.h"
#include "speech_int.h"

static struct i18n *langs;
static char data_dir[64];

/* What out received for one request: samples, pieces, and the tag and rate of each sample. */
struct heard {
    int16_t *pcm;
    size_t n, cap;
    unsigned pieces, rate, rate_changes;
    uint32_t last_tag;
    size_t n_by_tag[5]; /* samples per tag 1..4 */
    unsigned rate_by_tag[5];
};

static void heard_out(uint32_t tag, const int16_t *pcm, size_t n, unsigned rate, void *arg)
{
    struct heard *h = arg;
    if (h->n + n > h->cap) {
        h->cap = (h->n + n) * 2;
        h->pcm = realloc(h->pcm, h->cap * sizeof(*h->pcm));
        assert_non_null(h->pcm);
    }
    memcpy(h->pcm + h->n, pcm, n * sizeof(*pcm));
    h->n += n;
    h->pieces++;
    if (h->rate && h->rate != rate)
        h->rate_changes++;
    h->rate = rate;
    h->last_tag = tag;
    if (tag < 5) {
        h->n_by_tag[tag] += n;
        h->rate_by_tag[tag] = rate;
    }
}

static double rms(const int16_t *pcm, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)pcm[i] * pcm[i];
    return n ? sqrt(sum / (double)n) : 0;
}

/* Silent stretches of at least min_ms inside the speech (not at its ends). */
static unsigned gaps(const struct heard *h, unsigned min_ms)
{
    size_t win = h->rate / 100, quiet = 0; /* 10 ms windows */
    size_t first = h->n, last = 0;
    for (size_t at = 0; at + win <= h->n; at += win) {
        if (rms(h->pcm + at, win) > 300) {
            if (first == h->n)
                first = at;
            last = at;
        }
    }
    unsigned count = 0;
    for (size_t at = first; at + win <= last; at += win) {
        if (rms(h->pcm + at, win) <= 300) {
            quiet++;
        } else {
            count += quiet * 10 >= min_ms;
            quiet = 0;
        }
    }
    return count;
}

static double seconds(const struct heard *h)
{
    return h->rate ? (double)h->n / h->rate : 0;
}

static int setup_all(void **state)
{
    char err[512];
    snprintf(data_dir, sizeof(data_dir), "/tmp/openline-speech-XXXXXX");
    if (!mkdtemp(data_dir))
        return -1;
    if (i18n_load(&langs, "locales", err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown_all(void **state)
{
    char cmd[128];
    i18n_free(langs);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", data_dir);
    return system(cmd) ? -1 : 0;
}

static struct speech *alloc_speech(speech_out_h *out, void *arg)
{
    struct speech *sp = NULL;
    char err[256];
    int rc = speech_alloc(&sp, data_dir, out, arg, err, sizeof(err));
    if (rc)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    return sp;
}

static void render(struct speech *sp, const char *code, const char *text, const char *key,
                   struct heard *h)
{
    const struct lang *l = i18n_find(langs, code);
    assert_non_null(l);
    struct speech_item it = {.text = text, .key = key, .tag = 1};
    memset(h, 0, sizeof(*h));
    assert_int_equal(speech_render(sp, l, &it, 1, heard_out, h), 0);
}

/* Every language with a voice says "Touch here for help" in its own words, aloud. */
static void test_every_voice(void **state)
{
    struct speech *sp = alloc_speech(heard_out, NULL);
    unsigned voiced = 0;
    for (unsigned i = 0; i < i18n_count(langs); i++) {
        const struct lang *l = i18n_at(langs, i);
        const char *text = i18n_get(l, "Touch here for help");
        if (!l->voice[0]) {
            struct speech_item it = {.text = text, .tag = 1};
            assert_int_equal(speech_source(sp, l), SPEECH_NONE);
            assert_int_equal(speech_say(sp, l, &it, 1), ENOTSUP);
            assert_false(speech_busy(sp));
            continue;
        }
        struct heard h;
        render(sp, l->code, text, NULL, &h);
        double level = rms(h.pcm, h.n), s = seconds(&h);
        printf("  %-8s %-8s %5.2f s  rms %5.0f  %u pieces\n", l->code, l->voice, s, level,
               h.pieces);
        if (speech_source(sp, l) != SPEECH_SYNTH || level < 500 || s < 0.3 || s > 10)
            fail_msg("%s (%s): source %d, %.2f s, rms %.0f", l->code, l->voice,
                     speech_source(sp, l), s, level);
        assert_int_equal(h.rate, 22050);
        voiced++;
        free(h.pcm);
    }
    assert_int_equal(voiced, 22);
    speech_free(sp);
}

/* km, tl and ti have no voice in languages.ini; a voice named but missing is no voice either. */
static void test_no_voice(void **state)
{
    static const char *const none[] = {"km", "tl", "ti"};
    struct speech *sp = alloc_speech(heard_out, NULL);
    for (size_t i = 0; i < 3; i++) {
        const struct lang *l = i18n_find(langs, none[i]);
        assert_non_null(l);
        assert_string_equal(l->voice, "");
        assert_int_equal(speech_source(sp, l), SPEECH_NONE);
    }
    struct lang fake = *i18n_find(langs, "en");
    snprintf(fake.voice, sizeof(fake.voice), "xx-nonesuch");
    struct speech_item it = {.text = "Hello.", .tag = 1};
    assert_int_equal(speech_source(sp, &fake), SPEECH_NONE);
    assert_int_equal(speech_say(sp, &fake, &it, 1), ENOTSUP);
    speech_free(sp);
}

/* 0.5 s of a 440 Hz tone in stereo: a 16 kHz WAV (sox), or Ogg Opus (opusenc) from a 48 kHz one. */
static void write_tone(const char *dir, const char *key, const char *ext)
{
    char cmd[768];
    if (!strcmp(ext, "wav"))
        snprintf(cmd, sizeof(cmd), "sox -q -n -r 16000 -c 2 -b 16 '%s/%s.wav' synth 0.5 sine 440",
                 dir, key);
    else
        snprintf(cmd, sizeof(cmd),
                 "sox -q -n -r 48000 -c 2 -b 16 '%s/tone.wav' synth 0.5 sine 440 && "
                 "opusenc --quiet '%s/tone.wav' '%s/%s.opus' && rm '%s/tone.wav'",
                 dir, dir, dir, key, dir);
    assert_int_equal(system(cmd), 0);
}

/* A clip is what comes out for its key (its own rate and length); an item without one, or
 * whose clip is broken, is synthesised. */
static void test_clips(void **state)
{
    char dir[128], key[40], key2[40], bad[40], opus[40];
    snprintf(dir, sizeof(dir), "%s/assets/speech/en", data_dir);
    char mk[256];
    snprintf(mk, sizeof(mk), "mkdir -p '%s'", dir);
    assert_int_equal(system(mk), 0);
    speech_key("Touch here for help", 0, key, sizeof(key));
    speech_key("Touch here for help", 1, key2, sizeof(key2));
    speech_key("Broken", 0, bad, sizeof(bad));
    speech_key("Touch here for help", 2, opus, sizeof(opus));
    write_tone(dir, key, "wav");
    write_tone(dir, opus, "opus");
    char path[192];
    snprintf(path, sizeof(path), "%s/%s.opus", dir, bad);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("not an Ogg stream at all", f);
    fclose(f);

    struct heard h = {0};
    struct speech *sp = alloc_speech(heard_out, &h);
    const struct lang *en = i18n_find(langs, "en"), *km = i18n_find(langs, "km");
    assert_int_equal(speech_source(sp, en), SPEECH_CLIPS);
    assert_int_equal(speech_source(sp, km), SPEECH_NONE);
    struct speech_item items[] = {
        {.text = "Touch here for help", .key = key, .tag = 1},
        {.text = "Touch here for help", .key = key2, .tag = 2}, /* no such clip */
        {.text = "Broken", .key = bad, .tag = 3},
        {.text = "Touch here for help", .key = opus, .tag = 4},
    };
    assert_int_equal(speech_say(sp, en, items, 4), 0);
    for (int i = 0; i < 1000 && speech_busy(sp); i++)
        usleep(10000);
    assert_false(speech_busy(sp));
    assert_int_equal(h.n_by_tag[1], 8000); /* 0.5 s at 16000 Hz, stereo downmixed */
    assert_int_equal(h.rate_by_tag[1], 16000);
    assert_true(rms(h.pcm, 8000) > 5000); /* the tone itself, not speech */
    assert_int_equal(h.rate_by_tag[2], 22050);
    assert_true(h.n_by_tag[2] > 22050 / 2);
    assert_int_equal(h.rate_by_tag[3], 22050);
    assert_true(h.n_by_tag[3] > 22050 / 4);
    assert_int_equal(h.rate_by_tag[4], 48000); /* Ogg Opus: 0.5 s at 48000 Hz, in mono */
    assert_int_equal(h.n_by_tag[4], 24000);
    assert_true(rms(h.pcm + h.n - 24000, 24000) > 5000);
    speech_free(sp);
    free(h.pcm);
    snprintf(mk, sizeof(mk), "rm -rf '%s/assets'", data_dir);
    assert_int_equal(system(mk), 0);
}

struct cancel_watch {
    atomic_uint calls, after;
    atomic_bool cancelled;
};

static void watch_out(uint32_t tag, const int16_t *pcm, size_t n, unsigned rate, void *arg)
{
    struct cancel_watch *w = arg;
    atomic_fetch_add(&w->calls, 1);
    if (atomic_load(&w->cancelled))
        atomic_fetch_add(&w->after, 1);
    usleep(2000); /* as a playback queue might: synthesis is far faster than the pieces' length */
}

static void count_out(uint32_t tag, const int16_t *pcm, size_t n, unsigned rate, void *arg)
{
    (*(unsigned *)arg)++;
}

/* After speech_cancel returns, out is not called again for what was said before. */
static void test_cancel(void **state)
{
    struct cancel_watch w = {0};
    struct speech *sp = alloc_speech(watch_out, &w);
    const struct lang *en = i18n_find(langs, "en");
    struct speech_item it = {
        .text = "Your employer may not keep your passport. You have the right to rest days. "
                "You do not have to give your name. Talking to someone is free and confidential.",
        .tag = 7};
    unsigned whole = 0;
    assert_int_equal(speech_render(sp, en, &it, 1, count_out, &whole), 0);
    assert_true(whole > 50);
    for (unsigned round = 0; round < 3; round++) {
        atomic_store(&w.calls, 0);
        atomic_store(&w.cancelled, false);
        assert_int_equal(speech_say(sp, en, &it, 1), 0);
        assert_true(speech_busy(sp));
        for (int i = 0; i < 500 && atomic_load(&w.calls) < 2 + round * 5; i++)
            usleep(2000);
        assert_true(atomic_load(&w.calls) >= 2);
        speech_cancel(sp);
        atomic_store(&w.cancelled, true);
        assert_false(speech_busy(sp));
        usleep(300000);
        assert_int_equal(atomic_load(&w.after), 0);
        assert_true(atomic_load(&w.calls) < whole); /* cut short, not finished before */
    }
    /* and a say after it speaks again, to the end */
    struct speech_item short_it = {.text = "Hello.", .tag = 8};
    atomic_store(&w.cancelled, false);
    atomic_store(&w.calls, 0);
    assert_int_equal(speech_say(sp, en, &short_it, 1), 0);
    for (int i = 0; i < 500 && speech_busy(sp); i++)
        usleep(10000);
    assert_false(speech_busy(sp));
    assert_true(atomic_load(&w.calls) > 0);
    speech_free(sp);
}

static void count_fn(size_t start, size_t end, void *arg)
{
    (*(unsigned *)arg)++;
}

static void first_fn(size_t start, size_t end, void *arg)
{
    size_t *r = arg;
    if (r[1] == 0) {
        r[0] = start;
        r[1] = end;
    }
}

static void expect_sentences(const char *code, const char *text, unsigned want)
{
    const struct lang *l = i18n_find(langs, code);
    unsigned calls = 0;
    assert_non_null(l);
    unsigned got = speech_sentences(l, text, count_fn, &calls);
    if (got != want || calls != want)
        fail_msg("%s: %u sentences (%u calls), expected %u", code, got, calls, want);
}

static void test_sentences(void **state)
{
    expect_sentences("en", "  You can call us. It is free!\nNobody asks your name.  ", 3);
    expect_sentences("en", "Call 1-888-373-7888 or visit example.org/help. Thanks.", 2);
    expect_sentences(
        "ar", "لا يحق لصاحب العمل الاحتفاظ بجواز سفرك. المكالمة مجانية. لا تحتاج إلى ذكر اسمك.", 3);
    expect_sentences("th", "นายจ้างไม่มีสิทธิ์ยึดหนังสือเดินทางของคุณ\nการโทรไม่เสียค่าใช้จ่าย", 2);
    expect_sentences("zh-Hans", "雇主不得扣留您的护照。通话是免费的！您不必说出姓名。", 3);
    expect_sentences("en", "   ", 0);
    /* the ranges are trimmed: the first sentence starts at its first letter */
    size_t r[2] = {0, 0};
    const char *text = " \u3000 Hello there.  Bye.";
    speech_sentences(i18n_find(langs, "en"), text, first_fn, r);
    assert_int_equal(r[0], strlen(" \u3000 "));
    assert_int_equal(r[1] - r[0], strlen("Hello there."));
}

static void test_key(void **state)
{
    char buf[40];
    speech_key("", 0, buf, sizeof(buf));
    assert_string_equal(buf, "cbf29ce484222325-0"); /* FNV-1a's offset basis */
    speech_key("a", 12, buf, sizeof(buf));
    assert_string_equal(buf, "af63dc4c8601ec8c-12"); /* the published FNV-1a 64 of "a" */
}

/* The SSML: phone numbers' groups spelt with pauses, addresses spelt where read badly, the
 * rest escaped. */
static void test_ssml(void **state)
{
    char *s = speech_ssml("Call +44 20 7946 0000 & visit www.example.org/help <now>.");
    assert_non_null(s);
    assert_non_null(strstr(s, "<say-as interpret-as=\"characters\">+44</say-as>"));
    assert_non_null(strstr(s, "<say-as interpret-as=\"characters\">7946</say-as>"));
    assert_non_null(strstr(s, "<say-as interpret-as=\"characters\">www</say-as>"));
    assert_non_null(strstr(s, "<say-as interpret-as=\"characters\">org</say-as>"));
    assert_non_null(strstr(s, " example "));
    assert_non_null(strstr(s, " help "));
    assert_non_null(strstr(s, "&amp; visit"));
    assert_non_null(strstr(s, "&lt;now&gt;"));
    unsigned breaks = 0;
    for (const char *p = strstr(s, "<break"); p; p = strstr(p + 1, "<break"))
        breaks++;
    assert_int_equal(breaks, 3);
    free(s);
    s = speech_ssml("In 2024 there were 300 calls.");
    assert_null(strstr(s, "say-as")); /* fewer than 5 digits: read as numbers */
    free(s);
}

/* Heard, not just written: a phone number spelt in groups lasts clearly longer than the same
 * digits read as one number by espeak-ng itself, with a pause between every group; an address
 * is spelt. */
static void test_numbers_heard(void **state)
{
    struct speech *sp = alloc_speech(heard_out, NULL);
    struct heard grouped, ungrouped, one, word;
    render(sp, "en", "+44 20 7946 0000", NULL, &grouped);
    render(sp, "en", "+442079460000", NULL, &ungrouped);
    render(sp, "en", "20000", NULL, &one);
    /* espeak-ng reads 20000 as "twenty thousand"; spelt it is five words */
    FILE *p = popen("espeak-ng -v en-gb -s 150 --stdout 20000 | wc -c", "r");
    long bytes = 0;
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%ld", &bytes), 1);
    pclose(p);
    double as_number = (double)(bytes - 44) / 2 / 22050;
    printf("  +44 20 7946 0000: %.2f s, %u pauses; +442079460000 %.2f s, %u pauses; 20000 spelt "
           "%.2f s, as a number %.2f s\n",
           seconds(&grouped), gaps(&grouped, 150), seconds(&ungrouped), gaps(&ungrouped, 150),
           seconds(&one), as_number);
    assert_true(seconds(&one) > as_number * 1.3);
    assert_true(gaps(&grouped, 150) >= 3);
    assert_true(gaps(&grouped, 150) > gaps(&ungrouped, 150));
    assert_true(seconds(&grouped) > seconds(&ungrouped) + 0.5);
    render(sp, "en", "example.org", NULL, &word);
    struct heard plain;
    render(sp, "en", "example", NULL, &plain);
    assert_true(seconds(&word) > seconds(&plain) + 0.5); /* "dot o r g" */
    free(grouped.pcm);
    free(ungrouped.pcm);
    free(one.pcm);
    free(word.pcm);
    free(plain.pcm);
    speech_free(sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key),         cmocka_unit_test(test_ssml),
        cmocka_unit_test(test_sentences),   cmocka_unit_test(test_no_voice),
        cmocka_unit_test(test_every_voice), cmocka_unit_test(test_clips),
        cmocka_unit_test(test_cancel),      cmocka_unit_test(test_numbers_heard),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
