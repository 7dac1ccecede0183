/* Unit tests for the content parser: the bundled pages, the CommonMark subset and its errors,
 * placeholders.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
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

#include "openline/config.h"
#include "openline/content.h"
#include "openline/util.h"

#include "files.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
    write_in(dir, name, text);
}

static void remove_file(const char *name)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/openline-content-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

/* One page "p" with the given Markdown; expect failure naming every needle. */
static void expect_page_error(const char *md, ...)
{
    struct content *c = NULL;
    char err[512];
    write_file("pages.ini", "[p]\nfile = p.md\nicon = p.svg\ntile = yes\n");
    write_file("p.md", md);
    int rc = content_load(&c, dir, err, sizeof(err));
    assert_int_equal(rc, EINVAL);
    assert_null(c);
    va_list ap;
    va_start(ap, md);
    for (const char *needle; (needle = va_arg(ap, const char *));) {
        if (!strstr(err, needle))
            fail_msg("message lacks '%s': %s", needle, err);
    }
    va_end(ap);
}

static void test_bundled_pages(void **state)
{
    struct content *c = NULL;
    char err[512];
    (void)state;
    int rc = content_load(&c, "assets/content", err, sizeof(err));
    if (rc)
        fail_msg("%s", err);
    const char *ids[] = {"rights", "fees",   "signs", "forced", "travel",
                         "help",   "others", "call",  "counts", "children"};
    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        const struct content_page *pg = content_find(c, ids[i]);
        if (!pg)
            fail_msg("page %s missing", ids[i]);
        assert_non_null(pg->title);
        assert_true(pg->n_blocks >= 3);
        /* docs/design.md 2.1: no page asks the visitor anything */
        if (strchr(pg->title, '?'))
            fail_msg("page %s title asks a question", ids[i]);
        for (size_t k = 0; k < pg->n_blocks; k++) {
            if (strchr(pg->blocks[k].text, '?'))
                fail_msg("%s:%u asks a question: %s", pg->file, pg->blocks[k].line,
                         pg->blocks[k].text);
        }
    }
    assert_false(content_find(c, "call")->tile);
    assert_true(content_find(c, "rights")->tile);
    /* the phrases a visitor can tap in a call, Yes and No among them */
    assert_true(content_phrase_count(c) >= 7);
    bool yes = false, no = false;
    for (size_t i = 0; i < content_phrase_count(c); i++) {
        const struct content_phrase *ph = content_phrase_at(c, i);
        yes |= !strcmp(ph->id, "yes") && !strcmp(ph->text, "Yes.");
        no |= !strcmp(ph->id, "no") && !strcmp(ph->text, "No.");
    }
    assert_true(yes && no);
    content_free(c);
}

/* phrases.ini: ids, one text each, {language} the only placeholder; errors name the line. */
static void test_phrases(void **state)
{
    struct content *c = NULL;
    char err[512];
    (void)state;
    write_file("pages.ini", "[p]\nfile = p.md\nicon = p.svg\n");
    write_file("p.md", "# Title\n\nOne.\n\nTwo.\n\nThree.\n");
    write_file("phrases.ini", "; c\n[yes]\ntext = Yes.\n[lang]\ntext = Speak {language}.\n");
    if (content_load(&c, dir, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(content_phrase_count(c), 2);
    assert_string_equal(content_phrase_at(c, 1)->id, "lang");
    assert_string_equal(content_phrase_at(c, 1)->text, "Speak {language}.");
    assert_int_equal(content_phrase_at(c, 1)->line, 5);
    assert_null(content_phrase_at(c, 2));
    content_free(c);
    c = NULL;
    write_file("phrases.ini", "[yes]\ntext = Call {hotline}.\n");
    assert_int_equal(content_load(&c, dir, err, sizeof(err)), EINVAL);
    assert_non_null(strstr(err, "phrases.ini:2: [yes] text: a sentence; the only placeholder"));
    write_file("phrases.ini", "[yes]\ntext = Yes.\n[yes]\ntext = No.\n");
    assert_int_equal(content_load(&c, dir, err, sizeof(err)), EINVAL);
    assert_non_null(strstr(err, "phrases.ini:4: [yes] text: given twice"));
    write_file("phrases.ini", "[Yes]\ntext = Yes.\n");
    assert_int_equal(content_load(&c, dir, err, sizeof(err)), EINVAL);
    assert_non_null(strstr(err, "phrases.ini:1: [Yes]: a phrase id"));
    remove_file("phrases.ini");
}

static void test_blocks(void **state)
{
    struct content *c = NULL;
    char err[512];
    (void)state;
    write_file("pages.ini", "; comment\n[a-1]\nfile = a.md\nicon = a.svg\ntile = no\n");
    write_file("a.md", "# Title *here*\n\nFirst line\nsecond **bold** line.\n\n## Sub\n\n"
                       "- one {hotline}\n- two\n\nLast.\n");
    int rc = content_load(&c, dir, err, sizeof(err));
    if (rc)
        fail_msg("%s", err);
    const struct content_page *pg = content_at(c, 0);
    assert_string_equal(pg->id, "a-1");
    assert_string_equal(pg->title, "Title here");
    assert_int_equal(pg->n_blocks, 5);
    assert_int_equal(pg->blocks[0].type, CONTENT_PARAGRAPH);
    assert_string_equal(pg->blocks[0].text, "First line second **bold** line.");
    assert_int_equal(pg->blocks[0].line, 3);
    assert_int_equal(pg->blocks[1].type, CONTENT_HEADING);
    assert_int_equal(pg->blocks[2].type, CONTENT_ITEM);
    assert_string_equal(pg->blocks[2].text, "one {hotline}");
    assert_int_equal(pg->blocks[2].line, 8);
    assert_string_equal(pg->blocks[4].text, "Last.");
    content_free(c);
}

static void test_no_title(void **state)
{
    (void)state;
    expect_page_error("Just text.\n", "p.md:1:", "must start with one '# Title'", NULL);
}

static void test_two_titles(void **state)
{
    (void)state;
    expect_page_error("# A\n\ntext\n\n# B\n", "p.md:5:", "only one '# Title'", NULL);
}

static void test_link(void **state)
{
    (void)state;
    expect_page_error("# A\n\nSee [this](http://x).\n", "p.md:3:", "links", NULL);
}

static void test_image(void **state)
{
    (void)state;
    expect_page_error("# A\n\n![x](y.png)\n", "p.md:3:", "images", NULL);
}

/* **bold** stays in the msgid as its markers (translators keep them around the matching
 * phrase); emphasis inside it and a title's bold are flattened. */
static void test_bold_kept(void **state)
{
    struct content *c = NULL;
    char err[512];
    (void)state;
    write_file("pages.ini", "[a]\nfile = a.md\nicon = a.svg\n");
    write_file("a.md", "# A **title**\n\nKeep **this** and **that**.\n\n"
                       "- **one *two* three** four\n\n## **Sub**\n");
    int rc = content_load(&c, dir, err, sizeof(err));
    if (rc)
        fail_msg("%s", err);
    const struct content_page *pg = content_at(c, 0);
    assert_string_equal(pg->title, "A title");
    assert_int_equal(pg->n_blocks, 3);
    assert_string_equal(pg->blocks[0].text, "Keep **this** and **that**.");
    assert_string_equal(pg->blocks[1].text, "**one two three** four");
    assert_string_equal(pg->blocks[2].text, "**Sub**");
    content_free(c);
}

static void test_bold_literal(void **state)
{
    (void)state;
    /* an escaped "**" would read as a marker in the msgid */
    expect_page_error("# A\n\nText \\*\\*x.\n", "p.md:3:", "'**' in the text itself", NULL);
}

/* "- ![](name.svg) text": the item's pictogram, and its text without the image. */
static void test_item_icon(void **state)
{
    struct content *c = NULL;
    char err[512];
    (void)state;
    write_file("pages.ini", "[a]\nfile = a.md\nicon = a.svg\n");
    write_file("a.md", "# A\n\n- ![](passport.svg) Someone keeps your **passport**.\n"
                       "- No pictogram.\n\nA paragraph.\n");
    int rc = content_load(&c, dir, err, sizeof(err));
    if (rc)
        fail_msg("%s", err);
    const struct content_page *pg = content_at(c, 0);
    assert_int_equal(pg->n_blocks, 3);
    assert_int_equal(pg->blocks[0].type, CONTENT_ITEM);
    assert_string_equal(pg->blocks[0].icon, "passport.svg");
    assert_string_equal(pg->blocks[0].text, "Someone keeps your **passport**.");
    assert_string_equal(pg->blocks[1].icon, "");
    assert_string_equal(pg->blocks[1].text, "No pictogram.");
    assert_string_equal(pg->blocks[2].icon, "");
    content_free(c);
}

static void test_item_icon_errors(void **state)
{
    (void)state;
    expect_page_error("# A\n\n- ![](../x.svg) Text.\n", "p.md:3:", "a file name in assets/icons/",
                      NULL);
    expect_page_error("# A\n\n- ![](icons/x.svg) Text.\n", "p.md:3:", "no folder", NULL);
    expect_page_error("# A\n\n- ![]() Text.\n", "p.md:3:", "a file name", NULL);
    expect_page_error("# A\n\n- Text ![](x.svg) here.\n", "p.md:3:", "images", NULL);
    expect_page_error("# A\n\n![](x.svg) A paragraph.\n", "p.md:3:", "images", NULL);
    expect_page_error("# A\n\n- ![](x.svg)\n", "p.md:3:", "empty block", NULL);
    expect_page_error("# A\n\n- ![](x.svg) ![](y.svg) Two.\n", "p.md:3:", "images", NULL);
}

static void test_numbered_list(void **state)
{
    (void)state;
    expect_page_error("# A\n\n1. one\n2. two\n", "p.md:3:", "numbered lists", NULL);
}

static void test_nested_list(void **state)
{
    (void)state;
    expect_page_error("# A\n\n- one\n  - inner\n", "p.md:3:", "no nested lists", NULL);
}

static void test_html_and_code(void **state)
{
    (void)state;
    expect_page_error("# A\n\n<div>x</div>\n", "p.md:3:", "HTML", NULL);
    expect_page_error("# A\n\n    code\n", "p.md:3:", "code", NULL);
    expect_page_error("# A\n\n> quote\n", "p.md:3:", "block quotes", NULL);
}

static void test_unknown_placeholder(void **state)
{
    (void)state;
    expect_page_error("# A\n\nCall {phone} now.\n", "p.md:3:", "unknown placeholder", NULL);
    /* the hotline's number must not depend on a setting a deployment may leave empty */
    expect_page_error("# A\n\nCall {hotline} or visit {web}.\n",
                      "p.md:3:", "{sms}, {web}, {emergency}", NULL);
    expect_page_error("# A\n\n- Text {sms} or visit {web}.\n", "p.md:3:", "own", NULL);
    /* {emergency} may be unset too: never with {hotline} */
    expect_page_error("# A\n\nCall {emergency} or {hotline}.\n", "p.md:3:", "{emergency}", NULL);
}

/* "{if FACT} ..." at the start of a block: taken out of the msgid into the block's condition; an
 * unknown fact, or a condition anywhere else, is refused with its line. */
static void test_conditions(void **state)
{
    struct content *c = NULL;
    char err[512];
    (void)state;
    write_file("pages.ini", "[p]\nfile = p.md\nicon = p.svg\ntile = yes\n");
    write_file("p.md", "# A\n\n{if interpreter} You can ask for an interpreter.\n\n"
                       "- ![](x.svg) {if reports-children} A **duty**.\n- Plain.\n\n"
                       "{if always-open}   Day and night.\n");
    if (content_load(&c, dir, err, sizeof(err)))
        fail_msg("%s", err);
    const struct content_page *pg = content_find(c, "p");
    assert_int_equal(pg->n_blocks, 4);
    assert_string_equal(pg->blocks[0].text, "You can ask for an interpreter.");
    assert_int_equal(pg->blocks[0].when, CONTENT_FACT_INTERPRETER);
    assert_string_equal(pg->blocks[1].text, "A **duty**.");
    assert_string_equal(pg->blocks[1].icon, "x.svg");
    assert_int_equal(pg->blocks[1].when, CONTENT_FACT_REPORTS_CHILDREN);
    assert_int_equal(pg->blocks[2].when, 0);
    assert_string_equal(pg->blocks[3].text, "Day and night.");
    assert_int_equal(pg->blocks[3].when, CONTENT_FACT_ALWAYS_OPEN);

    /* shown only where the fact is stated */
    struct content_vars v = {.organisation = "Org", .hotline = "+1 555 0100"};
    assert_null(content_block_expand(&pg->blocks[0], pg->blocks[0].text, &v));
    v.facts = CONTENT_FACT_REPORTS_CHILDREN;
    assert_null(content_block_expand(&pg->blocks[0], pg->blocks[0].text, &v));
    v.facts |= CONTENT_FACT_INTERPRETER;
    char *t = content_block_expand(&pg->blocks[0], "Vous pouvez demander un interprète.", &v);
    assert_string_equal(t, "Vous pouvez demander un interprète.");
    free(t);
    content_free(c);

    expect_page_error("# A\n\n{if police} Not the police.\n", "p.md:3:", "{if FACT}", "independent",
                      NULL);
    expect_page_error("# A\n\n{if interpreter}\n", "p.md:3:", "{if FACT}", NULL);
    expect_page_error("# A\n\nAsk {if interpreter} for one.\n", "p.md:3:", "placeholder", NULL);
    /* {hours} and {interpreters} may have no value: never beside {hotline} or each other */
    expect_page_error("# A\n\nCall {hotline}: {hours}.\n", "p.md:3:", "{hours}", NULL);
    expect_page_error("# A\n\n{interpreters} at {hours}.\n", "p.md:3:", "own", NULL);
}

/* Words that make a promise about the hotline. Every bundled sentence holding one must have a
 * condition: with no fact stated none is shown, and with every fact stated each is (so the list
 * matches the pages and this test can fail). */
static const char *const promise_words[] = {
    "police",
    "immigration",
    "interpreter",
    "what happens next",
    "must tell",
    "day and night",
    "answers at these times",
    "speaks these languages",
};

static unsigned shown_promises(const struct content *c, const struct content_vars *v)
{
    unsigned seen = 0;
    for (size_t i = 0; i < content_count(c); i++) {
        const struct content_page *pg = content_at(c, i);
        for (size_t b = 0; b < pg->n_blocks; b++) {
            char *t = content_block_expand(&pg->blocks[b], pg->blocks[b].text, v);
            for (size_t w = 0; t && w < ARRAY_SIZE(promise_words); w++) {
                if (strstr(t, promise_words[w]) && !(v->facts || v->hours || v->interpreters))
                    fail_msg("page %s, line %u: \"%s\" is shown with no fact stated", pg->id,
                             pg->blocks[b].line, t);
                if (strstr(t, promise_words[w]))
                    seen |= 1u << w;
            }
            free(t);
        }
    }
    return seen;
}

static void test_no_promise_unset(void **state)
{
    struct content *c = NULL;
    struct config cfg;
    char err[512];
    (void)state;
    if (content_load(&c, "assets/content", err, sizeof(err)))
        fail_msg("%s", err);
    config_defaults(&cfg); /* nothing stated */
    struct content_vars v = {.organisation = "Org",
                             .hotline = "+1 555 0100",
                             .sms = "+1 555 0101",
                             .web = "example.org",
                             .emergency = "112",
                             .language = "English",
                             .facts = content_facts(&cfg, "ar")};
    assert_int_equal(v.facts, 0);
    assert_false(content_names_languages(&cfg, "ar"));
    assert_int_equal(shown_promises(c, &v), 0);

    v.facts = ~0u;
    v.hours = "Monday–Friday 08:00–20:00";
    v.interpreters = "English and French";
    assert_int_equal(shown_promises(c, &v), (1u << ARRAY_SIZE(promise_words)) - 1);
    content_free(c);
}

/* Which facts a configuration states for a visitor's language. */
static void test_facts(void **state)
{
    struct config cfg;
    (void)state;
    config_defaults(&cfg);
    cfg.organisation.independent_of_police = CONFIG_FACT_YES;
    assert_int_equal(content_facts(&cfg, "en"), CONTENT_FACT_NOT_POLICE);
    cfg.organisation.independent_of_immigration = CONFIG_FACT_YES;
    assert_int_equal(content_facts(&cfg, "en"), CONTENT_FACT_INDEPENDENT);
    cfg.organisation.independent_of_police = CONFIG_FACT_NO;
    assert_int_equal(content_facts(&cfg, "en"), CONTENT_FACT_NOT_IMMIGRATION);
    cfg.organisation.independent_of_immigration = CONFIG_FACT_UNSET;

    cfg.organisation.interpreters = CONFIG_INTERPRETERS_LIST;
    cfg.organisation.n_interpreter_langs = 2;
    util_strlcpy(cfg.organisation.interpreter_langs[0], "fr", CONFIG_LANG_LEN);
    util_strlcpy(cfg.organisation.interpreter_langs[1], "ar", CONFIG_LANG_LEN);
    assert_int_equal(content_facts(&cfg, "ar"), CONTENT_FACT_INTERPRETER);
    assert_int_equal(content_facts(&cfg, "th"), 0);
    assert_true(content_names_languages(&cfg, "th"));
    assert_false(content_names_languages(&cfg, "fr"));
    assert_false(content_names_languages(&cfg, "en")); /* the hotline's own language */
    cfg.organisation.interpreters = CONFIG_INTERPRETERS_NONE;
    assert_true(content_names_languages(&cfg, "fr"));
    assert_int_equal(content_facts(&cfg, "fr"), 0);

    cfg.organisation.mandatory_reporting = CONFIG_REPORT_NONE;
    assert_int_equal(content_facts(&cfg, "en"), CONTENT_FACT_VISITOR_DECIDES);
    cfg.organisation.mandatory_reporting = CONFIG_REPORT_CHILDREN | CONFIG_REPORT_DANGER;
    assert_int_equal(content_facts(&cfg, "en"),
                     CONTENT_FACT_REPORTS_CHILDREN | CONTENT_FACT_REPORTS_DANGER);
}

static void test_empty_page(void **state)
{
    (void)state;
    expect_page_error("", "p.md", "empty page", NULL);
}

static void test_index_errors(void **state)
{
    struct content *c = NULL;
    char err[512];
    (void)state;
    write_file("pages.ini", "[Bad Id]\nfile = a.md\n");
    assert_int_equal(content_load(&c, dir, err, sizeof(err)), EINVAL);
    assert_non_null(strstr(err, "pages.ini:1: [Bad Id]: a page id")); /* the header's line */
    write_file("pages.ini", "[a]\nfile = a.md\ncolour = red\n");
    assert_int_equal(content_load(&c, dir, err, sizeof(err)), EINVAL);
    assert_non_null(strstr(err, "pages.ini:3:"));
    assert_non_null(strstr(err, "accepted: file, icon, tile"));
    write_file("pages.ini", "[a]\nfile = a.md\n");
    assert_int_equal(content_load(&c, dir, err, sizeof(err)), EINVAL);
    assert_non_null(strstr(err, "pages.ini:1: [a] needs both file and icon"));
}

/* A page whose .md file is missing: the message names pages.ini's line and section as well as
 * the file it could not read. */
static void test_missing_page_file(void **state)
{
    struct content *c = NULL;
    char err[512], want[256];
    (void)state;
    write_file("a.md", "# A\n\nText.\n");
    write_file("pages.ini", "[a]\nfile = a.md\nicon = a.svg\n\n[b]\nicon = b.svg\n"
                            "file = missing.md\n");
    assert_int_equal(content_load(&c, dir, err, sizeof(err)), ENOENT);
    assert_null(c);
    snprintf(want, sizeof(want),
             "%s/pages.ini:7: [b] file = missing.md: cannot read %s/missing.md: ", dir, dir);
    if (!strstr(err, want))
        fail_msg("message lacks '%s': %s", want, err);
    assert_non_null(strstr(err, "No such file"));
}

/* Lines longer than libinih's 200-byte buffer: read whole (a long comment stays a comment), and
 * the lines after them keep their numbers. */
static void test_index_long_lines(void **state)
{
    struct content *c = NULL;
    char err[512], text[1024], comment[301];
    (void)state;
    memset(comment, '-', 300);
    comment[0] = ';';
    comment[300] = '\0';
    write_file("a.md", "# A\n\nText.\n");
    snprintf(text, sizeof(text), "%s\n[a]\nfile = a.md\nicon = a.svg\ntile = yes\n", comment);
    write_file("pages.ini", text);
    if (content_load(&c, dir, err, sizeof(err)))
        fail_msg("%s", err);
    content_free(c);
    c = NULL;
    snprintf(text, sizeof(text), "%s\n[a]\nfile = a.md\nicon = a.svg\ntile = maybe\n", comment);
    write_file("pages.ini", text);
    assert_int_equal(content_load(&c, dir, err, sizeof(err)), EINVAL);
    if (!strstr(err, "pages.ini:5: [a] tile: yes or no"))
        fail_msg("%s", err);
}

static void test_expand(void **state)
{
    (void)state;
    struct content_vars v = {.organisation = "Org", .hotline = "+1 555 0100", .sms = ""};
    char *s = content_expand("Call {hotline} ({organisation}) {unknown", &v);
    assert_string_equal(s, "Call +1 555 0100 (Org) {unknown");
    free(s);
    /* {language}: a phrase names the visitor's language */
    assert_null(content_expand("My language: {language}.", &v));
    v.language = "Tagalog";
    s = content_expand("My language: {language}.", &v);
    assert_string_equal(s, "My language: Tagalog.");
    free(s);
    /* a sentence naming a contact the deployment lacks is left out */
    assert_null(content_expand("Text {sms}.", &v));
    assert_null(content_expand("Visit {web}.", &v));
    assert_null(content_expand("In an emergency, call {emergency}.", &v));
    v.emergency = "";
    assert_null(content_expand("In an emergency, call {emergency}.", &v));
    v.emergency = "112";
    s = content_expand("In an emergency, call {emergency}.", &v);
    assert_string_equal(s, "In an emergency, call 112.");
    free(s);
    s = content_expand("", &v);
    assert_string_equal(s, "");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_pages),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_no_title),
        cmocka_unit_test(test_two_titles),
        cmocka_unit_test(test_link),
        cmocka_unit_test(test_image),
        cmocka_unit_test(test_bold_kept),
        cmocka_unit_test(test_bold_literal),
        cmocka_unit_test(test_item_icon),
        cmocka_unit_test(test_item_icon_errors),
        cmocka_unit_test(test_numbered_list),
        cmocka_unit_test(test_nested_list),
        cmocka_unit_test(test_html_and_code),
        cmocka_unit_test(test_unknown_placeholder),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_no_promise_unset),
        cmocka_unit_test(test_facts),
        cmocka_unit_test(test_empty_page),
        cmocka_unit_test(test_index_errors),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_missing_page_file),
        cmocka_unit_test(test_index_long_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
