/* Unit tests for the pictogram check (app/ui/icon.c): every bundled pictogram passes; files too
 * large, too complex, truncated, broken or not SVG are refused with the reason, before SDL_image
 * would see them (tests/flow/icons.sh runs self-test and a snapshot over such files). And the
 * pictogram cache (app/ui/draw.c) stays within its bytes however many sizes are drawn.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "openline/config.h"
#include "openline/content.h"
#include "openline/i18n.h"
#include "openline/text.h"
#include "openline/ui.h"
#include "ui_int.h"

#define HEAD "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"96\">"

static void expect_ok(const char *svg)
{
    char why[512] = "";
    int rc = ui_icon_check(svg, strlen(svg), why, sizeof(why));
    if (rc)
        fail_msg("refused (%d: %s): %s", rc, why, svg);
}

static void expect_refused(const char *svg, int want, const char *needle)
{
    char why[512] = "";
    int rc = ui_icon_check(svg, strlen(svg), why, sizeof(why));
    if (rc != want || !strstr(why, needle))
        fail_msg("want %d '%s', got %d '%s' for: %.200s", want, needle, rc, why, svg);
    if (!strstr(why, "README-content.md"))
        fail_msg("the message does not say where the rules are: %s", why);
}

/* n cubic curves in one path */
static char *curves(unsigned n)
{
    size_t cap = 200 + (size_t)n * 40;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t len = (size_t)snprintf(s, cap, HEAD "<path d=\"M10 10");
    for (unsigned i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len, "C%u %u %u %u %u %u", i % 97, i % 89, i % 93,
                                i % 91, i % 96, i % 95);
    snprintf(s + len, cap - len, "\" fill=\"#ffffff\"/></svg>\n");
    return s;
}

static void test_bundled_pictograms_pass(void **state)
{
    (void)state;
    DIR *d = opendir("assets/icons");
    assert_non_null(d);
    unsigned n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strstr(e->d_name, ".svg"))
            continue;
        char path[512], why[1024] = "", *svg = NULL;
        size_t len = 0;
        snprintf(path, sizeof(path), "assets/icons/%s", e->d_name);
        int rc = ui_icon_read(path, &svg, &len, why, sizeof(why));
        if (rc)
            fail_msg("%s", why);
        assert_non_null(svg);
        assert_int_equal(strlen(svg), len);
        free(svg);
        n++;
    }
    closedir(d);
    assert_true(n >= 10);
}

static void test_well_formed_variants_pass(void **state)
{
    (void)state;
    expect_ok(HEAD "<path d=\"M0 0 L96 96\"/></svg>");
    expect_ok(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg>\n<!-- a <comment> -->\n" HEAD
        "<g><circle cx='48' cy='48' r='8' data-x='a > b'/></g></svg>\n\n");
    expect_ok("<svg viewBox=\"0 0 96 96\"><rect x=\"1\" y=\"1\" width=\"9\" height=\"9\"/></svg>");
    expect_ok("<svg width='1' height='1'/>");
    expect_ok(HEAD "</svg><!-- trailing comment -->\n");
}

static void test_truncated_refused(void **state)
{
    (void)state;
    static const char whole[] = HEAD "<path d=\"M0 0 L96 96\" stroke=\"#ffffff\"/>\n</svg>\n";
    /* every cut before the closing tag is complete */
    size_t last = strlen(whole) - 2; /* before "\n" and ">" */
    for (size_t cut = 1; cut <= last; cut++) {
        char part[sizeof(whole)];
        memcpy(part, whole, cut);
        part[cut] = '\0';
        char why[512] = "";
        int rc = ui_icon_check(part, cut, why, sizeof(why));
        if (rc != EINVAL)
            fail_msg("cut at %zu accepted: %s", cut, part);
    }
    expect_refused(HEAD "<path d=\"M0 0\"/>\n", EINVAL, "truncated: <svg> is not closed");
    expect_refused(HEAD "<path d=\"M0 0 L9", EINVAL, "truncated: a tag is not closed");
    expect_refused(HEAD "<!-- cut", EINVAL, "truncated: a comment");
    expect_refused(HEAD "<path d=\"M0 0 L<path d=\"M1 1\"/></svg>", EINVAL, "truncated");
}

static void test_broken_refused(void **state)
{
    (void)state;
    expect_refused("", EINVAL, "not an SVG: no <svg> element");
    expect_refused("this is not a pictogram\n", EINVAL, "not an SVG");
    expect_refused("<html><body/></html>", EINVAL, "not an SVG: the document element");
    expect_refused(HEAD "<g><path d=\"M0 0\"/></svg></g>", EINVAL, "does not match");
    expect_refused(HEAD "</svg><path d=\"M0 0\"/>", EINVAL, "after the end of <svg>");
    /* SDL_image 2.6 leaks the parsed image of an SVG without a size and without shapes */
    expect_refused("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", EINVAL,
                   "neither width and height nor a viewBox");
    expect_refused("<svg width=\"0\" height=\"96\"><path d=\"M0 0\"/></svg>", EINVAL,
                   "neither width");
}

static void test_complexity_capped(void **state)
{
    (void)state;
    char *s = curves(150); /* about 910 numbers: within the cap */
    expect_ok(s);
    free(s);
    s = curves(1500); /* under the size cap, but more than 9,000 numbers */
    assert_true(strlen(s) <= UI_ICON_MAX_BYTES);
    expect_refused(s, E2BIG, "too complex: 2 elements and 90");
    free(s);

    char many[8192];
    size_t len = (size_t)snprintf(many, sizeof(many), HEAD);
    for (int i = 0; i < UI_ICON_MAX_ELEMENTS; i++)
        len += (size_t)snprintf(many + len, sizeof(many) - len, "<g/>");
    snprintf(many + len, sizeof(many) - len, "</svg>");
    expect_refused(many, E2BIG, "too complex: 65 elements");

    char deep[1024];
    len = (size_t)snprintf(deep, sizeof(deep), HEAD);
    for (int i = 0; i < 20; i++)
        len += (size_t)snprintf(deep + len, sizeof(deep) - len, "<g>");
    expect_refused(deep, EINVAL, "nested too deep");
}

/* The 50,000-curve file of the report: refused by its size, without reading it whole. */
static void test_size_capped(void **state)
{
    (void)state;
    char *s = curves(50000);
    char path[] = "/tmp/openline-icon-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(s);
    assert_int_equal(write(fd, s, len), (ssize_t)len);
    close(fd);
    char why[1024] = "", *svg = NULL;
    size_t got = 0;
    int rc = ui_icon_read(path, &svg, &got, why, sizeof(why));
    unlink(path);
    assert_int_equal(rc, EFBIG);
    assert_null(svg);
    char want[128];
    snprintf(want, sizeof(want), "too large: %zu bytes, a pictogram may have at most 32768", len);
    if (!strstr(why, path) || !strstr(why, want))
        fail_msg("%s", why);
    expect_refused(s, EFBIG, "too large");
    free(s);

    rc = ui_icon_read("/nonexistent/x.svg", &svg, &got, why, sizeof(why));
    assert_int_equal(rc, ENOENT);
    assert_non_null(strstr(why, "/nonexistent/x.svg: cannot read"));
}

static size_t heap_used(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* Every bundled pictogram drawn at 20 sizes on a headless 640x360 kiosk (a window resized often
 * would do the same): the cache keeps them within its budget, half a screen of pixels (450 KiB),
 * and the heap grows by no more; a cache without a cap kept them all (11 MiB). */
static void test_cache_capped_in_bytes(void **state)
{
    (void)state;
    static const char *const names[] = {"rights.svg", "fees.svg",   "signs.svg", "travel.svg",
                                        "help.svg",   "others.svg", "call.svg",  "counts.svg",
                                        "back.svg",   "exit.svg"};
    struct config cfg;
    struct i18n *i18n = NULL;
    struct content *content = NULL;
    struct text_engine *text = NULL;
    struct ui *ui = NULL;
    char err[1024];
    if (config_load(&cfg, "assets/openline.conf.example", err, sizeof(err)) ||
        i18n_load(&i18n, "locales", err, sizeof(err)) ||
        content_load(&content, "assets/content", err, sizeof(err)) ||
        text_engine_alloc(&text, "assets/fonts.ini", err, sizeof(err)))
        fail_msg("%s", err);
    struct ui_opts o = {.cfg = &cfg,
                        .i18n = i18n,
                        .content = content,
                        .text = text,
                        .data_dir = ".",
                        .w = 640,
                        .h = 360,
                        .headless = true};
    if (ui_alloc(&ui, &o, err, sizeof(err)))
        fail_msg("%s", err);
    const size_t budget = (size_t)640 * 360 * 4 / 2, slack = 1u << 20;
    size_t before = heap_used(), grown = 0;
    for (int size = 40; size < 200; size += 8) {
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            ui_draw_icon(ui, names[i], (SDL_Rect){0, 0, size, size}, (SDL_Color){0, 0, 0, 255},
                         false);
            size_t now = heap_used();
            grown = now > before && now - before > grown ? now - before : grown;
        }
    }
    assert_int_equal(ui_icon_budget(ui), budget);
    assert_true(ui_icons_bytes(ui) <= budget);
    ui_free(ui);
    text_engine_free(text);
    content_free(content);
    i18n_free(i18n);
    SDL_Quit();
    if (grown > budget + slack)
        fail_msg("the heap grew by %.1f MiB drawing pictograms at 20 sizes (budget %.2f MiB)",
                 (double)grown / 1048576.0, (double)budget / 1048576.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_pictograms_pass),
        cmocka_unit_test(test_well_formed_variants_pass),
        cmocka_unit_test(test_truncated_refused),
        cmocka_unit_test(test_broken_refused),
        cmocka_unit_test(test_complexity_capped),
        cmocka_unit_test(test_size_capped),
        cmocka_unit_test(test_cache_capped_in_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
