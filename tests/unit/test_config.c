/* Unit tests for the configuration: the example loads, and every error path names the file,
 * the line, the key and what is accepted.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "openline/config.h"
#include "openline/util.h"

static const char base[] = "[organisation]\n"
                           "name = Test Org\n"
                           "hotline = +1 555 0100\n";

/* Write n bytes of text to a temporary file; returns its path (static buffer). */
static const char *write_conf_n(const char *text, size_t n)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/openline-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

static const char *write_conf(const char *text)
{
    return write_conf_n(text, strlen(text));
}

/* Load n bytes; expect failure with want_rc and a message that names the file and contains every
 * one of the NULL-terminated needles. */
static void expect_error_v(const char *text, size_t n, int want_rc, const char *const *needles)
{
    struct config cfg;
    char err[CONFIG_ERR_LEN];
    const char *path = write_conf_n(text, n);
    int rc = config_load(&cfg, path, err, sizeof(err));
    unlink(path);
    if (rc != want_rc)
        fail_msg("rc %d, wanted %d; message: %s", rc, want_rc, err);
    assert_non_null(strstr(err, path)); /* names the file */
    for (; *needles; needles++) {
        if (!strstr(err, *needles))
            fail_msg("message lacks '%s': %s", *needles, err);
    }
}

/* The same with the needles as arguments, then NULL (at most 8). */
static void vexpect_error_n(const char *text, size_t n, int want_rc, va_list ap)
{
    const char *needles[9];
    size_t k = 0;
    while (k < 8 && (needles[k] = va_arg(ap, const char *)))
        k++;
    needles[k] = NULL;
    expect_error_v(text, n, want_rc, needles);
}

static void expect_error_n(const char *text, size_t n, int want_rc, ...)
{
    va_list ap;
    va_start(ap, want_rc);
    vexpect_error_n(text, n, want_rc, ap);
    va_end(ap);
}

/* Load text; expect failure whose message contains every one of the NULL-terminated needles. */
static void expect_error(const char *text, int want_rc, ...)
{
    va_list ap;
    va_start(ap, want_rc);
    vexpect_error_n(text, strlen(text), want_rc, ap);
    va_end(ap);
}

static void test_example_loads(void **state)
{
    struct config cfg;
    char err[CONFIG_ERR_LEN];
    (void)state;
    int rc = config_load(&cfg, "assets/openline.conf.example", err, sizeof(err));
    if (rc)
        fail_msg("example: %s", err);
    assert_string_equal(cfg.organisation.name, "Example Helpline");
    assert_int_equal(cfg.kiosk.n_languages, 25);
    assert_string_equal(cfg.kiosk.languages[7], "ar");
    assert_int_equal(cfg.kiosk.idle_timeout_ms, 90000);
    assert_int_equal(cfg.kiosk.idle_warning_ms, 30000);
    assert_int_equal(cfg.display.width_mm, 476);
    assert_int_equal(cfg.display.diagonal_mm, 546);
    assert_false(cfg.display.fullscreen);
}

/* A line of the example that sets a key or shows it commented out ("; key = value"). */
struct example_key {
    char section[32], name[64], value[256];
};

/* The keys assets/openline.conf.example sets or shows, in their sections ("; [counts]" too). */
static size_t read_example(struct example_key *ek, size_t max)
{
    char line[1024], section[32] = "";
    size_t n = 0;
    FILE *fp = fopen("assets/openline.conf.example", "r");
    assert_non_null(fp);
    while (fgets(line, sizeof(line), fp)) {
        char *p = line, *eq;
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(p, "; ", 2))
            p += 2;
        size_t word = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
        if (p[0] == '[' && strchr(p, ']')) {
            snprintf(section, sizeof(section), "%.*s", (int)(strchr(p, ']') - p - 1), p + 1);
        } else if (word && !strncmp(p + word, " =", 2) && n < max) {
            eq = p + word + 2;
            snprintf(ek[n].section, sizeof(ek[n].section), "%s", section);
            snprintf(ek[n].name, sizeof(ek[n].name), "%.*s", (int)word, p);
            snprintf(ek[n].value, sizeof(ek[n].value), "%s", eq + strspn(eq, " "));
            n++;
        }
    }
    fclose(fp);
    return n;
}

/* Load base and then extra; the result without what only says where it came from. */
static void load_plain(const char *extra, struct config *cfg)
{
    char text[1024], err[CONFIG_ERR_LEN];
    snprintf(text, sizeof(text), "%s%s", base, extra);
    const char *path = write_conf(text);
    int rc = config_load(cfg, path, err, sizeof(err));
    unlink(path);
    if (rc)
        fail_msg("%s: %s", extra, err);
    memset(cfg->path, 0, sizeof(cfg->path));
    memset(cfg->lines, 0, sizeof(cfg->lines));
}

/* The shipped example documents every key of the table, and where it shows a value that is not
 * one of its examples, the value is the table's default. */
static void test_example_matches_table(void **state)
{
    /* the keys whose value in the example is an example, not the default */
    static const char *const examples[] = {"languages",
                                           "fullscreen",
                                           "name",
                                           "hotline",
                                           "sms",
                                           "web",
                                           "uri",
                                           "uri.ar",
                                           "collector",
                                           "token_file",
                                           "capture_file",
                                           "playback_file",
                                           "wav_room_impulse",
                                           "wav_room_noise",
                                           "data_dir",
                                           "diagonal_mm",
                                           "independent_of_police",
                                           "independent_of_immigration",
                                           "interpreters",
                                           "hours",
                                           "mandatory_reporting"};
    static struct example_key ek[128];
    static struct config want, got;
    const char *section, *name, *def;
    char extra[512];
    (void)state;

    size_t n = read_example(ek, ARRAY_SIZE(ek));
    for (size_t i = 0; config_key_at(i, &section, &name, &def); i++) {
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = !strcmp(ek[j].section, section) &&
                    config_key_index(ek[j].section, ek[j].name) == (int)i;
        if (!found)
            fail_msg("[%s] %s is not in assets/openline.conf.example", section, name);
    }
    load_plain("", &want);
    for (size_t j = 0; j < n; j++) {
        bool example = false;
        if (config_key_index(ek[j].section, ek[j].name) < 0)
            fail_msg("the example shows [%s] %s, which is no key", ek[j].section, ek[j].name);
        for (size_t e = 0; e < ARRAY_SIZE(examples); e++)
            example |= !strcmp(ek[j].name, examples[e]);
        if (example)
            continue;
        snprintf(extra, sizeof(extra), "[%.31s]\n%.63s = %.255s\n", ek[j].section, ek[j].name,
                 ek[j].value);
        load_plain(extra, &got);
        if (memcmp(&want, &got, sizeof(want)))
            fail_msg("[%s] %s = %s in the example is not the default", ek[j].section, ek[j].name,
                     ek[j].value);
    }
}

static void test_minimal_defaults(void **state)
{
    struct config cfg;
    char err[CONFIG_ERR_LEN];
    (void)state;
    const char *path = write_conf(base);
    int rc = config_load(&cfg, path, err, sizeof(err));
    unlink(path);
    assert_int_equal(rc, 0);
    assert_int_equal(cfg.kiosk.n_languages, 0); /* all languages */
    assert_string_equal(cfg.kiosk.default_language, "en");
    assert_int_equal(cfg.kiosk.idle_warning_ms, 30000);
    assert_true(cfg.display.fullscreen);
    assert_int_equal(cfg.display.diagonal_mm, 0); /* not given: width_mm */
    assert_int_equal(cfg.lines[config_key_index("organisation", "hotline")], 3);
}

static void test_values(void **state)
{
    struct config cfg;
    char err[CONFIG_ERR_LEN];
    (void)state;
    const char *path = write_conf("[kiosk]\nidle_timeout = 2m\nidle_warning=45s\n"
                                  "languages = en, ar th\ndefault_language = th\n"
                                  "[display]\nfullscreen = off\ntheme = high-contrast\n"
                                  "width_mm=268\n"
                                  "[organisation]\nname = A\nhotline = 1-888-373-7888\n"
                                  "web = example.org/help\n");
    int rc = config_load(&cfg, path, err, sizeof(err));
    unlink(path);
    if (rc)
        fail_msg("%s", err);
    assert_int_equal(cfg.kiosk.idle_timeout_ms, 120000);
    assert_int_equal(cfg.kiosk.idle_warning_ms, 45000);
    assert_int_equal(cfg.kiosk.n_languages, 3);
    assert_string_equal(cfg.kiosk.languages[2], "th");
    assert_false(cfg.display.fullscreen);
    assert_int_equal(cfg.display.theme, CONFIG_THEME_HIGH_CONTRAST);
    assert_int_equal(cfg.display.width_mm, 268);
    assert_string_equal(cfg.organisation.web, "example.org/help");
}

static void test_unreadable(void **state)
{
    struct config cfg;
    char err[CONFIG_ERR_LEN];
    (void)state;
    int rc = config_load(&cfg, "/nonexistent/openline.conf", err, sizeof(err));
    assert_int_equal(rc, ENOENT);
    assert_non_null(strstr(err, "/nonexistent/openline.conf"));
    assert_non_null(strstr(err, "No such file"));
}

/* An unknown section is named at its header's line, not at its first key's. */
static void test_unknown_section(void **state)
{
    (void)state;
    expect_error("[organisation]\nname = A\nhotline = 123\n[sound]\nvolume = 3\n", EINVAL,
                 ":4:", "unknown section [sound]", "accepted", "[kiosk]", NULL);
    expect_error("[no-such-section]\nkey = value\n", EINVAL,
                 ":1:", "unknown section [no-such-section]", NULL);
    expect_error("; a comment\n\n  [no-such-section]  ; indented, with a comment\n\nkey = value\n",
                 EINVAL, ":3:", "unknown section [no-such-section]", NULL);
    /* a key before any section: there is no header, the key's line is named */
    expect_error("\nname = A\n", EINVAL, ":2:", "unknown section []", NULL);
}

/* Files with one mistake each, and what their message must say: the line, the key, the value,
 * the reason and what is accepted. */
static const struct {
    const char *text;
    const char *needles[7]; /* NULL-terminated */
} bad_files[] = {
    {"[kiosk]\nidle_timeot = 90s\n",
     {":2:", "unknown key 'idle_timeot'", "accepted in [kiosk]", "idle_timeout"}},
    {"[kiosk]\n\n; comment\nidle_timeout = soon\n",
     {":4:", "idle_timeout", "'soon'", "not a duration", "accepted: a duration"}},
    /* the warning must give the visitor at least 20 s (docs/design.md 2.4) */
    {"[kiosk]\nidle_warning = 10s\n", {":2:", "idle_warning", "out of range", "20s"}},
    {"[display]\nfullscreen = maybe\n",
     {":2:", "fullscreen", "not yes or no", "accepted: yes or no"}},
    {"[display]\nwidth_mm = 47.6cm\n", {":2:", "width_mm", "not a whole number", "millimetres"}},
    {"[display]\nwidth_mm = 20\n", {":2:", "width_mm", "out of range"}},
    {"[display]\ndiagonal_mm = 21.5in\n", {":2:", "diagonal_mm", "not a whole number", "25.4"}},
    {"[display]\ndiagonal_mm = 22\n", {":2:", "diagonal_mm", "out of range", "100 to 6000"}},
    {"[display]\noff_hours = 10pm-6am\n",
     {":2:", "off_hours", "a time is HH:MM", "00:00 to 23:59"}},
    {"[display]\noff_hours = 22:00-06:00; 12:00-13:00\n",
     {":2:", "off_hours", "HH:MM-HH:MM, such as 08:00-20:00"}},
    {"[display]\ntheme = dark\n",
     {":2:", "theme", "not one of the accepted words", "standard or high-contrast"}},
    {"[kiosk]\nlanguages = en English\n", {":2:", "languages", "not a language code"}},
    {"[kiosk]\nlanguages = en ar en\n", {":2:", "listed twice"}},
    {"[kiosk]\nlanguages = en ZH_hans-\n", {":2:", "languages", "not a language code"}},
    {"[organisation]\nname = A\nhotline = call us\n",
     {":3:", "hotline", "not a phone number", "digits"}},
    {"[organisation]\nname = A\nhotline = 12\n", {":3:", "too few digits"}},
    {"[organisation]\nname = A\nhotline = 123\nweb = example org\n", {":4:", "web", "spaces"}},
    {"[paths]\ndata_dir = relative/dir\n", {":2:", "data_dir", "not an absolute path"}},
    {"[organisation]\nname = A\nname = B\n", {":3:", "set twice", "line 2"}},
    {"[organisation]\nname = A\n",
     {"[organisation] hotline is missing", "accepted: a phone number"}},
    {"", {"[organisation] name is missing"}},
    {"[kiosk]\nidle_timeout 90s\n", {":2:", "not a 'key = value' line"}},
    {"[kiosk\n", {":1:"}},
};

static void test_bad_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bad_files); i++)
        expect_error_v(bad_files[i].text, strlen(bad_files[i].text), EINVAL, bad_files[i].needles);
}

/* The promises about the hotline: unset by default (nothing said); each value read; a bad one
 * named with file, line, key and what is accepted. */
static void test_promise_facts(void **state)
{
    struct config cfg;
    char err[CONFIG_ERR_LEN];
    (void)state;
    config_defaults(&cfg);
    assert_int_equal(cfg.organisation.independent_of_police, CONFIG_FACT_UNSET);
    assert_int_equal(cfg.organisation.independent_of_immigration, CONFIG_FACT_UNSET);
    assert_int_equal(cfg.organisation.interpreters, CONFIG_INTERPRETERS_UNSET);
    assert_int_equal(cfg.organisation.mandatory_reporting, 0);
    assert_false(cfg.organisation.hours.set);

    const char *path = write_conf("[organisation]\nname = O\nhotline = 123\n"
                                  "independent_of_police = yes\nindependent_of_immigration = no\n"
                                  "interpreters = fr, ar ur\nhours = Mo-Fr 08:00-20:00\n"
                                  "mandatory_reporting = children danger\n");
    int rc = config_load(&cfg, path, err, sizeof(err));
    unlink(path);
    if (rc)
        fail_msg("%s", err);
    assert_int_equal(cfg.organisation.independent_of_police, CONFIG_FACT_YES);
    assert_int_equal(cfg.organisation.independent_of_immigration, CONFIG_FACT_NO);
    assert_int_equal(cfg.organisation.interpreters, CONFIG_INTERPRETERS_LIST);
    assert_int_equal(cfg.organisation.n_interpreter_langs, 3);
    assert_string_equal(cfg.organisation.interpreter_langs[2], "ur");
    assert_true(cfg.organisation.hours.set && !cfg.organisation.hours.always);
    assert_int_equal(cfg.organisation.mandatory_reporting,
                     CONFIG_REPORT_CHILDREN | CONFIG_REPORT_DANGER);

    expect_error("[organisation]\nname = O\nhotline = 123\nindependent_of_police = maybe\n", EINVAL,
                 ":4:", "independent_of_police", "yes (the kiosk says so) or no", NULL);
    expect_error("[organisation]\nname = O\nhotline = 123\ninterpreters = fr 1x\n", EINVAL,
                 ":4:", "[organisation] interpreters = 'fr 1x'", "not yes, no or language codes",
                 "accepted: yes", NULL);
    expect_error("[organisation]\nname = O\nhotline = 123\ninterpreters = fr fr\n", EINVAL,
                 ":4:", "twice", NULL);
    expect_error("[organisation]\nname = O\nhotline = 123\nhours = Mo-Fr 8-20\n", EINVAL,
                 ":4:", "[organisation] hours", "HH:MM", "accepted: always, or rules", NULL);
    expect_error("[organisation]\nname = O\nhotline = 123\nhours = Mon 08:00-20:00\n", EINVAL,
                 ":4:", "'Mon' is not a day", NULL);
    expect_error("[organisation]\nname = O\nhotline = 123\nmandatory_reporting = police\n", EINVAL,
                 ":4:", "not none, children or danger", "accepted: none", NULL);
    expect_error("[organisation]\nname = O\nhotline = 123\nmandatory_reporting = none "
                 "children\n",
                 EINVAL, ":4:", "none together", NULL);
}

static void test_too_long(void **state)
{
    (void)state;
    char text[512];
    char name[200];
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    snprintf(text, sizeof(text), "[organisation]\nname = %s\nhotline = 123\n", name);
    expect_error(text, EINVAL, ":2:", "name", "too long", "1 to 127 bytes", NULL);
}

/* "example.org/aaa...": a web address of n bytes. */
static void fill_web(char *buf, size_t n)
{
    memcpy(buf, "example.org/", 12);
    memset(buf + 12, 'a', n - 12);
    buf[n] = '\0';
}

/* Lines longer than libinih's 200-byte line buffer are read whole: every value up to its key's
 * own limit loads uncut, and the lines after a long one keep their numbers. */
static void test_long_lines(void **state)
{
    static char text[8192], dir[4096];
    char web[257], uri[256];
    struct config cfg;
    char err[CONFIG_ERR_LEN];
    (void)state;

    fill_web(web, 255); /* [organisation] web holds up to 255 bytes */
    /* "uri = " and the value: 213 bytes, ";transport=tls" from byte 199 on (where libinih's
     * buffer ended: the rest read as a line of its own, a comment, and the call went over UDP) */
    snprintf(uri, sizeof(uri), "sip:help@pbx.example.org;x-pad=%0*d;transport=tls", 199 - 6 - 31,
             0);
    assert_int_equal(strlen("uri = ") + strlen(uri), 213);
    assert_int_equal(strstr(uri, ";transport=tls") - uri + 6, 199);
    memset(dir, 'd', 4000); /* a path: up to PATH_MAX - 1 bytes */
    dir[0] = '/';
    dir[4000] = '\0';
    snprintf(text, sizeof(text),
             "%sweb = %s\n[hotline]\nuri = %s\ntransport = udp\n[paths]\ndata_dir = %s\n"
             "[kiosk]\nidle_timeout = 2m\n",
             base, web, uri, dir);
    const char *path = write_conf(text);
    int rc = config_load(&cfg, path, err, sizeof(err));
    unlink(path);
    if (rc)
        fail_msg("%s", err);
    assert_string_equal(cfg.organisation.web, web);
    assert_string_equal(cfg.hotline.uri, uri);
    assert_string_equal(cfg.paths.data_dir, dir);
    assert_int_equal(cfg.kiosk.idle_timeout_ms, 120000);
    assert_int_equal(cfg.lines[config_key_index("kiosk", "idle_timeout")], 11);

    /* a 230-byte address is accepted ... */
    fill_web(web, 230);
    snprintf(text, sizeof(text), "%sweb = %s\n", base, web);
    path = write_conf(text);
    rc = config_load(&cfg, path, err, sizeof(err));
    unlink(path);
    if (rc)
        fail_msg("a 230-byte web address: %s", err);
    assert_string_equal(cfg.organisation.web, web);
    /* ... and an error after it names its own line and reason */
    snprintf(text, sizeof(text), "%sweb = %s\n[display]\nwidth_mm = 20\n", base, web);
    expect_error(text, EINVAL, ":6: [display] width_mm = '20': out of range", NULL);
    /* one byte over the key's limit: refused at its line, never cut */
    fill_web(web, 256);
    snprintf(text, sizeof(text), "%sweb = %s\n", base, web);
    expect_error(text, EINVAL, ":4: [organisation] web = ", "too long", NULL);
}

/* A line longer than any value can be (8192 bytes) is refused with its own line number. */
static void test_line_too_long(void **state)
{
    static char text[12000], comment[9001];
    (void)state;
    memset(comment, 'x', 9000);
    comment[0] = ';';
    comment[9000] = '\0';
    snprintf(text, sizeof(text), "%s%s\nweb = example.org\n", base, comment);
    expect_error(text, EINVAL, ":4: line longer than 8192 bytes", NULL);
    /* the same with a key on it, after a short error-free file: still its line */
    snprintf(text, sizeof(text), "%s\n\nsms =%s\n", base, comment + 1);
    expect_error(text, EINVAL, ":6: line longer than 8192 bytes", NULL);
    /* an error before the long line wins */
    snprintf(text, sizeof(text), "%sweb = a b\n%s\n", base, comment);
    expect_error(text, EINVAL, ":4: [organisation] web = 'a b'", NULL);
}

/* A NUL byte would end the value where it stands: refused instead. */
static void test_nul_byte(void **state)
{
    static const char text[] = "[organisation]\nname = A\nhotline = 123\n[hotline]\n"
                               "uri = sip:help@pbx.example.org\0;transport=tls\n";
    (void)state;
    expect_error_n(text, sizeof(text) - 1, EINVAL, ":5: a NUL byte", NULL);
}

static void test_key_error_format(void **state)
{
    struct config cfg;
    char err[CONFIG_ERR_LEN];
    (void)state;
    const char *path = write_conf("[kiosk]\nlanguages = en xx\n[organisation]\nname = A\n"
                                  "hotline = 123\n");
    assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
    config_key_error(&cfg, "kiosk", "languages", err, sizeof(err), "unknown language '%s'", "xx");
    unlink(path);
    assert_non_null(strstr(err, ":2: [kiosk] languages: unknown language 'xx'"));
}

/* A token file with mode; returns its path (static buffer). */
static const char *write_token(const char *text, mode_t mode)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/openline-token-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
    return path;
}

static const char token64[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";

static void test_counts_values(void **state)
{
    struct config cfg;
    char err[CONFIG_ERR_LEN], text[512];
    (void)state;
    const char *tok = write_token(token64, 0640);
    snprintf(text, sizeof(text),
             "%s[counts]\ncollector = https://stats.example.org/\ntoken_file = %s\n"
             "bucket = day\nnoise = geometric\nepsilon = 0.25\nstate_dir = /tmp/x\n",
             base, tok);
    const char *path = write_conf(text);
    int rc = config_load(&cfg, path, err, sizeof(err));
    unlink(path);
    unlink(tok);
    if (rc)
        fail_msg("%s", err);
    assert_string_equal(cfg.counts.collector, "https://stats.example.org"); /* no slash */
    assert_string_equal(cfg.counts.token, "0123456789abcdef0123456789abcdef0123456789abcdef"
                                          "0123456789abcdef");
    assert_int_equal(cfg.counts.bucket, CONFIG_BUCKET_DAY);
    assert_int_equal(cfg.counts.noise, CONFIG_NOISE_GEOMETRIC);
    assert_int_equal(cfg.counts.epsilon_num, 1);
    assert_int_equal(cfg.counts.epsilon_den, 4);
    assert_true(cfg.counts.epsilon == 0.25);
    assert_string_equal(cfg.counts.state_dir, "/tmp/x");

    /* defaults: counting off, week, geometric, epsilon 1, /var/lib/openline */
    path = write_conf(base);
    assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
    unlink(path);
    assert_string_equal(cfg.counts.collector, "");
    assert_int_equal(cfg.counts.bucket, CONFIG_BUCKET_WEEK);
    assert_int_equal(cfg.counts.epsilon_num, 1);
    assert_int_equal(cfg.counts.epsilon_den, 1);
    assert_string_equal(cfg.counts.state_dir, "/var/lib/openline");
}

/* [counts] with collector line 5 and the given extra lines (token_file on line 6 when tok). */
static void expect_counts_error(const char *collector, const char *tok, const char *extra,
                                const char *n1, const char *n2)
{
    char text[600];
    snprintf(text, sizeof(text), "%s[counts]\ncollector = %s\n%s%s%s%s", base, collector,
             tok ? "token_file = " : "", tok ? tok : "", tok ? "\n" : "", extra);
    expect_error(text, EINVAL, n1, n2, NULL);
}

static void test_counts_errors(void **state)
{
    /* token: "" for a good token file, NULL for none */
    static const struct {
        const char *collector, *token, *extra, *n1, *n2;
    } bad[] = {
        {"http://stats.example.org", "", "", ":5: [counts] collector", "only to 127.0.0.1"},
        {"ftp://x.org", "", "", ":5: [counts] collector", "https://"},
        {"https://x.org/?a=1", "", "", ":5:", "no ?query"},
        {"https://x.org:70000", "", "", ":5:", "port out of range"},
        {"https://x.org", NULL, "", ":5: [counts] token_file is missing", "accepted:"},
        {"https://x.org", "relative/token", "", ":6: [counts] token_file", "not an absolute path"},
        {"https://x.org", "/nonexistent/token", "", ":6: [counts] token_file", "No such file"},
        {"https://x.org", "", "epsilon = 0\n", ":7: [counts] epsilon", "out of range"},
        {"https://x.org", "", "epsilon = 10.5\n", ":7:", "out of range"},
        {"https://x.org", "", "epsilon = 0.1234567\n", ":7:", "6 decimals"},
        {"https://x.org", "", "epsilon = one\n", ":7:", "not a number"},
        {"https://x.org", "", "bucket = month\n", ":7: [counts] bucket", "week (ISO week"},
        {"https://x.org", "", "noise = laplace\n", ":7: [counts] noise", "geometric"},
        {"https://x.org", "", "state_dir = var/lib\n", ":7: [counts] state_dir", "absolute"},
    };
    (void)state;
    const char *tok = write_token(token64, 0600);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        const char *t = bad[i].token && !bad[i].token[0] ? tok : bad[i].token;
        expect_counts_error(bad[i].collector, t, bad[i].extra, bad[i].n1, bad[i].n2);
    }
    unlink(tok);
    /* a token others can read, or a file without a token */
    tok = write_token(token64, 0644);
    expect_counts_error("http://127.0.0.1:8080", tok, "", ":6: [counts] token_file",
                        "readable or writable by others (mode 0644)");
    unlink(tok);
    tok = write_token("not a token\n", 0600);
    expect_counts_error("http://[::1]:8080", tok, "", ":6: [counts] token_file",
                        "does not hold a kiosk token");
    unlink(tok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_loads),    cmocka_unit_test(test_example_matches_table),
        cmocka_unit_test(test_minimal_defaults), cmocka_unit_test(test_values),
        cmocka_unit_test(test_unreadable),       cmocka_unit_test(test_unknown_section),
        cmocka_unit_test(test_bad_files),        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_key_error_format), cmocka_unit_test(test_counts_values),
        cmocka_unit_test(test_counts_errors),    cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_line_too_long),    cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_promise_facts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
