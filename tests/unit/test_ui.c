/* Unit tests for the UI's caps (app/ui/ui.c, page_view.c): what does not fit is left out loudly (a
 * log line naming the cap and a problem the layout check reports), never written over what fits.
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

#include "../../app/ui/ui_int.h"
#include "openline/util.h"
#include "text_fixture.h"

static struct lang some_lang;

/* A UI without a window: enough for widgets and the layout check's records. */
static struct ui *bare_ui(void)
{
    struct ui *ui = calloc(1, sizeof(*ui));
    assert_non_null(ui);
    ui->default_lang = &some_lang;
    ui->screen = &ui_screen_home;
    ui->check.on = true;
    return ui;
}

static bool any_problem_names(const struct ui *ui, const char *needle)
{
    for (int i = 0; i < ui->check.n_problems; i++) {
        if (strstr(ui->check.problems[i], needle))
            return true;
    }
    return false;
}

/* A screen's widgets beyond UI_MAX_WIDGETS - 1 are left out (the last one used to be written
 * over, silently); the last slot stays for the quick exit. */
static void test_widget_cap(void **state)
{
    (void)state;
    struct ui *ui = bare_ui();
    char id[40];
    for (int i = 0; i < UI_MAX_WIDGETS - 1; i++) {
        snprintf(id, sizeof(id), "w%d", i);
        assert_non_null(
            ui_widget_add(ui, id, (SDL_Rect){i, 0, 1, 1}, UI_STYLE_BUTTON, UI_ACT_PAGE, i));
    }
    assert_int_equal(ui->n_widgets, UI_MAX_WIDGETS - 1);
    assert_int_equal(ui->check.n_problems, 0);

    struct ui_widget *w =
        ui_widget_add(ui, "one-too-many", (SDL_Rect){0}, UI_STYLE_BUTTON, UI_ACT_PAGE, 99);
    assert_non_null(w);
    assert_true(w < ui->widgets || w >= ui->widgets + UI_MAX_WIDGETS);
    util_strlcpy(w->label, "written by the screen", sizeof(w->label));
    assert_int_equal(ui->n_widgets, UI_MAX_WIDGETS - 1);
    snprintf(id, sizeof(id), "w%d", UI_MAX_WIDGETS - 2);
    assert_string_equal(ui->widgets[UI_MAX_WIDGETS - 2].id, id);
    assert_null(ui_widget_find(ui, "one-too-many"));
    assert_int_equal(ui->check.n_problems, 1);
    assert_true(any_problem_names(ui, "one-too-many"));
    assert_true(any_problem_names(ui, "UI_MAX_WIDGETS"));

    /* the quick exit still gets its place, once */
    assert_non_null(
        ui_widget_add(ui, "quick-exit", (SDL_Rect){0}, UI_STYLE_BUTTON, UI_ACT_QUICK_EXIT, 0));
    assert_int_equal(ui->n_widgets, UI_MAX_WIDGETS);
    assert_non_null(ui_widget_find(ui, "quick-exit"));
    ui_widget_add(ui, "quick-exit-2", (SDL_Rect){0}, UI_STYLE_BUTTON, UI_ACT_QUICK_EXIT, 0);
    assert_int_equal(ui->n_widgets, UI_MAX_WIDGETS);
    assert_int_equal(ui->check.n_problems, 2);
    free(ui);
}

/* Problems beyond UI_MAX_PROBLEMS are counted, so the check still fails and says how many. */
static void test_problem_cap(void **state)
{
    (void)state;
    struct ui *ui = bare_ui();
    for (int i = 0; i < UI_MAX_PROBLEMS + 8; i++)
        ui_problem(ui, "problem %d", i);
    assert_int_equal(ui->check.n_problems, UI_MAX_PROBLEMS);
    assert_int_equal(ui->check.n_over, 8);
    ui->check.on = false;
    ui_problem(ui, "not checking");
    assert_int_equal(ui->check.n_over, 8);
    free(ui);
}

/* A page's blocks beyond UI_PAGE_MAX_BLOCKS are left out with a problem naming the cap (they
 * used to be dropped without a word); those that fit are laid out. */
/* The layout check compares each text with those drawn before it: past UI_MAX_TEXT_CHECKS texts
 * in a frame it cannot (it used to stop recording silently), so the first text past the cap is
 * a problem; overlaps among the recorded ones are still found. */
static void test_text_check_cap(void **state)
{
    (void)state;
    struct ui *ui = bare_ui();
    char what[32];
    for (int i = 0; i < UI_MAX_TEXT_CHECKS; i++) {
        snprintf(what, sizeof(what), "t%d", i);
        SDL_Rect r = {(i % 64) * 10, (i / 64) * 10, 8, 8};
        ui_check_text(ui, r, r, what);
    }
    assert_int_equal(ui->check.n_problems, 0);
    ui_check_text(ui, (SDL_Rect){0, 0, 8, 8}, (SDL_Rect){0, 0, 8, 8}, "over-t0");
    assert_true(any_problem_names(ui, "over-t0 overlaps t0"));
    assert_true(any_problem_names(ui, "UI_MAX_TEXT_CHECKS"));
    int n = ui->check.n_problems;
    ui_check_text(ui, (SDL_Rect){2000, 2000, 8, 8}, (SDL_Rect){2000, 2000, 8, 8}, "later");
    assert_int_equal(ui->check.n_problems, n); /* reported once a frame */
    free(ui);
}

/* A UI with the test languages and fixed metrics, for laying pages out. */
static struct ui *page_ui(void)
{
    struct ui *ui = bare_ui();
    ui->i18n = langs;
    ui->text = eng;
    ui->default_lang = i18n_find(langs, "en");
    ui->m = (struct ui_metrics){.px_per_mm = 4,
                                .target = 80,
                                .body_px = 20,
                                .title_px = 24,
                                .head_px = 30,
                                .margin = 16,
                                .gap = 8};
    return ui;
}

static void test_page_block_cap(void **state)
{
    (void)state;
    struct ui *ui = page_ui();
    struct content_block blocks[UI_PAGE_MAX_BLOCKS + 4];
    for (size_t i = 0; i < ARRAY_SIZE(blocks); i++)
        blocks[i] =
            (struct content_block){CONTENT_PARAGRAPH, "A sentence.", (unsigned)i + 1, "", 0};
    struct content_page pg = {.id = "long", .icon = "rights.svg", .title = "Long"};
    pg.blocks = blocks;
    pg.n_blocks = ARRAY_SIZE(blocks);
    struct ui_page_view *pv = calloc(1, sizeof(*pv));
    assert_non_null(pv);

    ui_page_layout(ui, pv, &pg, (SDL_Rect){0, 0, 1280, 720});
    assert_int_equal(pv->n, UI_PAGE_MAX_BLOCKS);
    assert_string_equal(pv->blocks[UI_PAGE_MAX_BLOCKS - 1].text, "A sentence.");
    assert_int_equal(ui->check.n_problems, 1);
    assert_true(any_problem_names(ui, "UI_PAGE_MAX_BLOCKS"));
    assert_true(any_problem_names(ui, "page long"));
    ui_page_free(ui, pv);
    assert_int_equal(ui->viewport.w, 0);
    free(pv);
    free(ui);
}

/* The scroll position s cuts no line of pv's text and no pictogram at the viewport's top edge:
 * checked against the layouts themselves, not the view's own list of lines. */
static void expect_whole_lines(struct ui *ui, const struct ui_page_view *pv, const char *after)
{
    int s = ui->s.scroll;
    SDL_Rect head = pv->icon_box;
    if (head.y < s && s < head.y + head.h)
        fail_msg("after %s: scroll %d cuts the page's pictogram (%d-%d)", after, s, head.y,
                 head.y + head.h);
    for (int i = 0; i < pv->n; i++) {
        const struct ui_page_block *b = &pv->blocks[i];
        struct text_style st = {b->lang, b->px, b->bold, b->box.w, TEXT_ALIGN_START, true};
        const struct text_layout *l = text_layout_get(ui->text, b->text, &st);
        assert_non_null(l);
        for (int k = 0; k < l->n_lines; k++) {
            int top = b->box.y + l->lines[k].y, bottom = top + l->lines[k].h;
            if (top < s && s < bottom)
                fail_msg("after %s: scroll %d cuts line %d of block %d (%d-%d)", after, s, k, i,
                         top, bottom);
        }
        if (b->icon_box.h && b->icon_box.y < s && s < b->icon_box.y + b->icon_box.h)
            fail_msg("after %s: scroll %d cuts block %d's pictogram", after, s, i);
    }
}

/* Lay the page out again, as the core does when an arrow comes or goes. */
static void relayout(struct ui *ui, struct ui_page_view *pv, const struct content_page *pg)
{
    ui_widgets_clear(ui);
    ui_page_layout(ui, pv, pg, (SDL_Rect){0, 100, 1280, 330});
    ui->relayout = false;
}

static void scroll(struct ui *ui, struct ui_page_view *pv, const struct content_page *pg,
                   struct ui_event ev, const char *what)
{
    assert_true(ui_page_scroll_event(ui, pv, &ev));
    if (ui->relayout)
        relayout(ui, pv, pg);
    if (ev.type != UI_EV_SCROLL || !ev.drag)
        expect_whole_lines(ui, pv, what);
}

/* At rest, no line is cut at the top edge (wheel, keys, the arrows, a drag let go); the arrows
 * are there only where more is hidden, and an arrow moves most of a viewport. */
static void test_page_scroll_whole_lines(void **state)
{
    (void)state;
    struct ui *ui = page_ui();
    static const char long_text[] =
        "A sentence long enough to take more than one line in a column of this width, so that "
        "a scroll position can fall inside a paragraph and between two of its lines, which is "
        "what the view must never come to rest on.";
    struct content_block blocks[24];
    for (size_t i = 0; i < ARRAY_SIZE(blocks); i++) {
        blocks[i] = (struct content_block){i % 3 ? CONTENT_ITEM : CONTENT_PARAGRAPH,
                                           i % 3 == 1 ? "Short item." : (char *)long_text,
                                           (unsigned)i + 1, "", 0};
        if (i % 6 == 2)
            util_strlcpy(blocks[i].icon, "rights.svg", sizeof(blocks[i].icon));
    }
    struct content_page pg = {.id = "long", .icon = "rights.svg", .title = "Long"};
    pg.blocks = blocks;
    pg.n_blocks = ARRAY_SIZE(blocks);
    struct ui_page_view *pv = calloc(1, sizeof(*pv));
    assert_non_null(pv);
    relayout(ui, pv, &pg);
    assert_true(pv->max_scroll > 0);
    assert_non_null(ui_widget_find(ui, "scroll-down"));
    assert_null(ui_widget_find(ui, "scroll-up"));
    assert_true(pv->blocks[2].icon_box.h > 0);

    for (int dy = 7; dy < 400; dy += 37)
        scroll(ui, pv, &pg, (struct ui_event){.type = UI_EV_SCROLL, .dy = dy}, "a wheel down");
    for (int dy = 5; dy < 300; dy += 41)
        scroll(ui, pv, &pg, (struct ui_event){.type = UI_EV_SCROLL, .dy = -dy}, "a wheel up");
    for (int dy = 3; dy < 200; dy += 29) {
        scroll(ui, pv, &pg, (struct ui_event){.type = UI_EV_SCROLL, .dy = dy, .drag = true},
               "a drag");
        scroll(ui, pv, &pg, (struct ui_event){.type = UI_EV_SCROLL_END}, "a drag let go");
    }
    scroll(ui, pv, &pg, (struct ui_event){.type = UI_EV_KEY, .key = SDLK_HOME}, "Home");
    assert_int_equal(ui->s.scroll, 0);
    for (int i = 0; i < 6; i++)
        scroll(ui, pv, &pg, (struct ui_event){.type = UI_EV_KEY, .key = SDLK_DOWN}, "Down");
    assert_true(ui->s.scroll > 0);
    scroll(ui, pv, &pg, (struct ui_event){.type = UI_EV_KEY, .key = SDLK_HOME}, "Home");

    const struct ui_widget *down = ui_widget_find(ui, "scroll-down");
    assert_non_null(down);
    scroll(ui, pv, &pg, (struct ui_event){.type = UI_EV_ACTIVATE, .widget = down}, "scroll-down");
    assert_true(ui->s.scroll >= ui->viewport.h / 2);
    assert_non_null(ui_widget_find(ui, "scroll-up"));
    while (ui_widget_find(ui, "scroll-down") && ui->s.scroll < 100000) {
        down = ui_widget_find(ui, "scroll-down");
        scroll(ui, pv, &pg, (struct ui_event){.type = UI_EV_ACTIVATE, .widget = down},
               "scroll-down");
    }
    assert_int_equal(ui->s.scroll, pv->max_scroll);
    assert_true(pv->max_scroll >= pv->content_h - ui->viewport.h);
    assert_null(ui_widget_find(ui, "scroll-down"));
    const struct ui_widget *up = ui_widget_find(ui, "scroll-up");
    assert_non_null(up);
    scroll(ui, pv, &pg, (struct ui_event){.type = UI_EV_ACTIVATE, .widget = up}, "scroll-up");
    assert_true(ui->s.scroll < pv->max_scroll);
    ui_page_free(ui, pv);
    free(pv);
    free(ui);
}

/* The panel's size given once ([display] diagonal_mm): a touch target is 20 mm on it in
 * landscape and in portrait, at every resolution; width_mm alone keeps its old meaning (the
 * window's width), which undersizes a portrait window. */
static void test_panel_mm(void **state)
{
    (void)state;
    static const int sizes[][2] = {{1920, 1080}, {1080, 1920}, {1280, 720},
                                   {720, 1280},  {3840, 2160}, {2160, 3840}};
    struct config cfg;
    config_defaults(&cfg);
    cfg.display.diagonal_mm = 546; /* 21.5" */
    struct ui *ui = bare_ui();
    ui->cfg = &cfg;
    ui->text = eng;
    ui->i18n = langs;
    float landscape = 0;
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        ui->w = sizes[i][0];
        ui->h = sizes[i][1];
        ui_metrics_compute(ui);
        float target_mm = (float)ui->m.target / ui->m.px_per_mm;
        if (target_mm < 20.0f || target_mm > 20.5f)
            fail_msg("%dx%d: a touch target is %.2f mm, not 20", ui->w, ui->h, target_mm);
        if (i % 2 == 0)
            landscape = ui->m.px_per_mm;
        else if (ui->m.px_per_mm != landscape)
            fail_msg("%dx%d: %.3f px/mm, turned %.3f", ui->w, ui->h, ui->m.px_per_mm, landscape);
    }
    /* the same panel by its landscape width (476 mm wide): 1920 px across it */
    cfg.display.diagonal_mm = 0;
    cfg.display.width_mm = 476;
    ui->w = 1920;
    ui->h = 1080;
    ui_metrics_compute(ui);
    assert_true(fabsf(ui->m.px_per_mm - ui_px_per_mm(&(struct config){.display.diagonal_mm = 546},
                                                     1080, 1920)) < 0.01f);
    ui->w = 1080;
    ui->h = 1920;
    ui_metrics_compute(ui);
    assert_true((float)ui->m.target / (1920.0f / 476.0f) < 12.0f); /* what portrait used to be */
    free(ui);
}

/* The call screen moves while the call is put through, at most 20 frames a second, and asks for
 * no frames but the clock's once connected; nothing on it can flash faster than 3 times a second
 * (WCAG 2.3.1): the rings take RING_PERIOD_MS (2 s) to fade. */
static void test_call_motion(void **state)
{
    (void)state;
    struct ui *ui = bare_ui();
    assert_int_equal(ui_screens_alloc(ui), 0);
    ui->screen = &ui_screen_call;
    uint64_t t0 = 1000000;
    static const enum call_state moving[] = {CALL_STATE_CONNECTING, CALL_STATE_RINGING};
    for (size_t i = 0; i < ARRAY_SIZE(moving); i++) {
        ui->s.call = (struct call_event){.state = moving[i]};
        ui->s.call_since_ms = t0;
        for (uint64_t now = t0; now < t0 + 3000; now += 50) {
            ui->wake_ms = 0;
            ui->dirty = false;
            ui_screen_call.tick(ui, now);
            assert_true(ui->dirty);
            assert_int_equal(ui->wake_ms, now + 50);
        }
    }
    ui->s.call = (struct call_event){.state = CALL_STATE_CONNECTED};
    ui->wake_ms = 0;
    ui_screen_call.tick(ui, t0 + 83250);
    assert_int_equal(ui->wake_ms, t0 + 84000); /* the next second of the clock */
    ui_screens_free(ui);
    free(ui);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widget_cap),
        cmocka_unit_test(test_problem_cap),
        cmocka_unit_test(test_text_check_cap),
        cmocka_unit_test(test_page_block_cap),
        cmocka_unit_test(test_page_scroll_whole_lines),
        cmocka_unit_test(test_panel_mm),
        cmocka_unit_test(test_call_motion),
    };
    return cmocka_run_group_tests(tests, text_fixture_setup, text_fixture_teardown);
}
