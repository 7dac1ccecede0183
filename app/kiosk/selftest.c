/* self-test: one line per check with ok/FAIL and a reason, for technicians and the heartbeat.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>

#include "kiosk.h"
#include "call_plugin.h"
#include "openline/content.h"
#include "openline/counts.h"
#include "openline/i18n.h"
#include "openline/text.h"
#include "openline/ui.h"
#include "openline/util.h"

/* The first check that failed, for the heartbeat ("fail:CHECK"). */
static char selftest_first_failed[32];

/* What a technician does when a check fails or warns, in plain words: the first entry for the
 * check whose words appear in the reason ("" matches any). The reasons come from the call
 * plug-in (app/call, app/audio), the counts (app/counts/report.c) and this file;
 * tests/deb/selftest.sh checks the ones a test can cause. */
static const struct selftest_advice {
    const char *check, *words, *todo;
} selftest_advice[] = {
    {"configuration", "",
     "fix the line named above in the configuration (openline config-reference lists every "
     "key), then run self-test again"},
    {"data", "",
     "reinstall the kiosk's files: apt-get install --reinstall openline (or set [paths] "
     "data_dir to the directory holding assets/ and locales/)"},
    {"content", "", "reinstall the kiosk's files (apt-get install --reinstall openline)"},
    {"locales", "",
     "fix the catalog lines named (msgfmt --check -o /dev/null FILE), or reinstall the kiosk's "
     "files (apt-get install --reinstall openline)"},
    {"audio", "call plug-in",
     "reinstall the kiosk (apt-get install --reinstall openline): calls need "
     "/usr/lib/openline/openline-call.so and its libraries"},
    {"audio", "no audio device",
     "plug in the handset or headset (or the sound card's cable); `aplay -l` must list a card, "
     "and the user openline-kiosk must be in group audio"},
    {"audio", "no input device",
     "plug in a microphone: the handset's or headset's (a loudspeaker alone cannot take a call)"},
    {"audio", "no output device", "plug in the handset, headset or loudspeaker"},
    {"audio", "named like",
     "[audio] device names no device present: empty it for the default, or use a name "
     "`aplay -l` shows"},
    {"audio", "JACK", "restart the kiosk: systemctl restart openline-kiosk"},
    {"audio", "",
     "another program may hold the sound card (stop it), or the user openline-kiosk is not in "
     "group audio (adduser openline-kiosk audio)"},
    {"hotline", "call plug-in",
     "reinstall the kiosk (apt-get install --reinstall openline): calls need "
     "/usr/lib/openline/openline-call.so and its libraries"},
    {"hotline", "no [hotline] uri",
     "set [hotline] uri in /etc/openline/openline.conf to the hotline's SIP address (sips: "
     "for TLS), as the hotline gave it"},
    {"hotline", "cannot load CA",
     "[hotline] ca_file must name a readable file of PEM CA certificates (the default "
     "/etc/ssl/certs/ca-certificates.crt comes with package ca-certificates)"},
    {"hotline", "did not verify",
     "the hotline's certificate is not trusted: install the hotline's CA certificate as a .crt "
     "file in /usr/local/share/ca-certificates/ and run update-ca-certificates, or name its PEM "
     "file in [hotline] ca_file; the host name in [hotline] uri must be the certificate's"},
    {"hotline", "401",
     "the hotline refused the credentials: check [hotline] username and password with the "
     "hotline"},
    {"hotline", "403",
     "the hotline refused this kiosk: check [hotline] username and password, and that the "
     "hotline accepts calls from this kiosk's address"},
    {"hotline", "404",
     "the hotline does not know this address: check the part before @ in "
     "[hotline] uri"},
    {"hotline", "nothing listens",
     "no SIP server at that port: check the port and transport in [hotline] uri (5060 for "
     "udp and tcp, 5061 for tls)"},
    {"hotline", "",
     "check the network (cable, Wi-Fi, `ip route` has a default route), the host and port in "
     "[hotline] uri, and that the site's firewall lets SIP (5060 udp/tcp, 5061 tls) and RTP "
     "([hotline] rtp_port_min to rtp_port_max, udp) out"},
    {"state_dir", "",
     "the spool must be the kiosk user's: chown openline-kiosk:openline-kiosk /var/lib/openline "
     "&& chmod 750 /var/lib/openline, and run self-test as that user (runuser -u "
     "openline-kiosk -- openline self-test)"},
    {"collector", "certificate",
     "the collector's certificate is not trusted: install its CA in "
     "/usr/local/share/ca-certificates/ and run update-ca-certificates, or name it in [counts] "
     "ca_file"},
    {"collector", "401",
     "the collector refused the token: issue one (openline-stats kiosk add \"SITE\") and copy "
     "it into [counts] token_file"},
    {"collector", "403",
     "the collector refused the token (revoked?): issue a new one with openline-stats kiosk add "
     "and copy it into [counts] token_file"},
    {"collector", "",
     "check the network and [counts] collector (https://HOST[:PORT]); `curl -sI URL` from this "
     "kiosk must reach it. Counts wait meanwhile; nothing is lost"},
    {"clock", "",
     "let the kiosk synchronise its clock (timedatectl set-ntp true; NTP, port 123/udp, must "
     "reach a time server) or reach the collector, whose reply dates the counts"},
    {"noise", "", "set [counts] noise = geometric (the default) before the kiosk goes to a site"},
};

static const char *selftest_todo(const char *check, const char *reason)
{
    for (size_t i = 0; i < ARRAY_SIZE(selftest_advice); i++) {
        const struct selftest_advice *a = &selftest_advice[i];
        if (!strcmp(a->check, check) && strstr(reason, a->words))
            return a->todo;
    }
    return NULL;
}

/* level: 0 ok, 1 warning, 2 failed; a warning or failure is followed by what to do. Returns 1
 * when failed. */
static int report_level(const char *check, int level, const char *reason)
{
    static const char *const words[] = {"ok", "WARN", "FAIL"};
    printf("%-14s %-4s %s\n", check, words[level], reason);
    const char *todo = level ? selftest_todo(check, reason) : NULL;
    if (todo)
        printf("%-14s %-4s what to do: %s\n", "", "", todo);
    fflush(stdout);
    if (level == 2 && !selftest_first_failed[0])
        snprintf(selftest_first_failed, sizeof(selftest_first_failed), "%s", check);
    return level == 2;
}

static int report(const char *check, bool ok, const char *reason)
{
    return report_level(check, ok ? 0 : 2, reason);
}

/* The pictograms' problems, kept to print under the content check's line. */
struct icon_problems {
    char why[32][1024];
    unsigned n;
};

static void keep_icon_problem(const char *why, void *arg)
{
    struct icon_problems *p = arg;
    if (p->n < ARRAY_SIZE(p->why))
        snprintf(p->why[p->n++], sizeof(p->why[0]), "%s", why);
}

/* Refused font files, kept to print under the fonts check's line, each with what to do. */
struct face_problems {
    char why[16][1024];
    char path[16][512];
    unsigned n, total;
};

static void keep_face_problem(const char *path, const char *script, const char *why, void *arg)
{
    struct face_problems *p = arg;
    for (unsigned i = 0; i < p->n; i++) {
        if (!strcmp(p->path[i], path))
            return; /* one file serving two scripts (Latin, Cyrillic): one line */
    }
    /* The fonts the package depends on come from these two Debian packages. */
    static const char *const dirs[][2] = {{"/usr/share/fonts/truetype/noto/", "fonts-noto-core"},
                                          {"/usr/share/fonts/opentype/noto/", "fonts-noto-cjk"}};
    const char *pkg = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
        if (!strncmp(path, dirs[i][0], strlen(dirs[i][0])))
            pkg = dirs[i][1];
    }
    char fix[160];
    if (!strncmp(why, "not found", 9))
        snprintf(fix, sizeof(fix), "install it or name another file in assets/fonts.ini");
    else if (!strncmp(why, "does not cover", 14))
        snprintf(fix, sizeof(fix), "name a font for %s in assets/fonts.ini", script);
    else if (pkg)
        snprintf(fix, sizeof(fix), "reinstall package %s (apt-get install --reinstall %s)", pkg,
                 pkg);
    else if (!strncmp(path, "/usr/share/", 11))
        snprintf(fix, sizeof(fix), "reinstall the package that installed it (dpkg -S names it)");
    else
        snprintf(fix, sizeof(fix), "replace it with a good copy");
    if (p->n < ARRAY_SIZE(p->why))
        snprintf(p->path[p->n], sizeof(p->path[0]), "%s", path);
    if (p->n < ARRAY_SIZE(p->why))
        snprintf(p->why[p->n++], sizeof(p->why[0]), "font %.400s for script %s refused: %.400s; %s",
                 path, script, why, fix);
    p->total++;
}

/* The lines kept under a check's own line: n kept of total. */
static void print_below(const char *lines, size_t stride, unsigned n, unsigned total)
{
    for (unsigned i = 0; i < n; i++)
        printf("%-14s %-4s %s\n", "", "", lines + i * stride);
    if (total > n)
        printf("%-14s %-4s %u more\n", "", "", total - n);
}

/* fonts: every script's font opens, every enabled language has one, and every face draws a
 * sample of its script with ink; each refused one on its own line. Returns 1 when failed. */
static int check_fonts(struct kiosk *k, const struct lang **langs, unsigned n)
{
    char why[1024];
    bool ok = !text_engine_check_fonts(k->text, langs, n, why, sizeof(why));
    struct face_problems faces = {0};
    text_engine_check_faces(k->text, langs, n, keep_face_problem, &faces);
    if (ok && faces.total == 1)
        snprintf(why, sizeof(why), "%s", faces.why[0]);
    else if (ok && faces.total)
        snprintf(why, sizeof(why), "%u font files refused, each below:", faces.total);
    else if (ok)
        snprintf(why, sizeof(why), "fonts for %u language(s) open and draw their scripts", n);
    int failed = report("fonts", ok && !faces.total, why);
    if (!ok || faces.total > 1)
        print_below(faces.why[0], sizeof(faces.why[0]), faces.n, faces.total);
    return failed;
}

/* content: every pictogram is checked and loads; each refused one on a line of its own. */
static int check_content(struct kiosk *k)
{
    char why[1024];
    struct icon_problems icons = {0};
    unsigned bad = kiosk_check_icons(k, keep_icon_problem, &icons);
    if (!bad)
        snprintf(why, sizeof(why), "%zu page(s) and their pictograms load",
                 content_count(k->content));
    else if (bad == 1)
        snprintf(why, sizeof(why), "%s", icons.why[0]);
    else
        snprintf(why, sizeof(why), "%u pictograms refused or unreadable, each below:", bad);
    int failed = report("content", !bad, why);
    if (bad > 1)
        print_below(icons.why[0], sizeof(icons.why[0]), icons.n, bad);
    return failed;
}

/* locales: every catalog reads whole; enabled languages without a catalog are reported; each
 * problem on a line of its own, so that a technician sees every file and line. */
static int check_locales(struct kiosk *k, const struct lang **langs, unsigned n)
{
    char why[1024], missing[256] = "";
    const char *problem = i18n_problem(k->i18n);
    unsigned n_problems = i18n_problem_count(k->i18n), without = 0;
    for (unsigned i = 0; i < n; i++) {
        if (strcmp(langs[i]->code, "en") && !langs[i]->cat) {
            without++;
            size_t len = strlen(missing);
            snprintf(missing + len, sizeof(missing) - len, "%s%s", len ? " " : "", langs[i]->code);
        }
    }
    if (problem && n_problems > 1)
        snprintf(why, sizeof(why), "%u problems in the catalogs, each below:", n_problems);
    else if (problem)
        snprintf(why, sizeof(why), "%s", problem);
    else if (without)
        snprintf(why, sizeof(why), "no catalog for enabled language(s): %s", missing);
    else
        snprintf(why, sizeof(why), "%u language(s) enabled, every catalog reads", n);
    int failed = report("locales", !problem && !without, why);
    for (unsigned i = 0; n_problems > 1 && i < n_problems; i++)
        printf("%-14s %-4s %s\n", "", "", i18n_problem_at(k->i18n, i));
    return failed;
}

/* What each content fact needs in the configuration, for the deployer (bit i: 1u << i). */
static const char *const fact_keys[] = {
    "independent_of_police = yes and independent_of_immigration = yes",
    "independent_of_police = yes (immigration not stated)",
    "independent_of_immigration = yes (police not stated)",
    "interpreters = yes, or a list (for visitors reading a listed language)",
    "mandatory_reporting = none",
    "mandatory_reporting = children",
    "mandatory_reporting = danger",
    "hours = always",
    "hours: the moment is inside them (no hours stated: always)",
};

/* Print every promise sentence of the pages under fact bit f once (English, as a deployer reads
 * it), with "makes" (to whom: "" for every visitor) or "not made". Returns how many. */
static unsigned print_fact(const struct content *c, unsigned f, bool made, const char *to)
{
    char seen[16][256];
    unsigned n = 0;
    for (size_t i = 0; i < content_count(c); i++) {
        const struct content_page *pg = content_at(c, i);
        for (size_t b = 0; b < pg->n_blocks; b++) {
            if (pg->blocks[b].when != 1u << f || n == ARRAY_SIZE(seen))
                continue;
            char *plain = util_unmark_bold(pg->blocks[b].text);
            bool dup = !plain;
            for (unsigned k = 0; k < n && plain; k++)
                dup |= !strcmp(seen[k], plain);
            if (!dup) {
                util_strlcpy(seen[n++], plain, sizeof(seen[0]));
                printf("%-14s %-4s %s \"%s\" (page %s)%s\n", "", "",
                       made ? "makes:" : "not made:", plain, pg->id, to);
            }
            free(plain);
        }
    }
    if (n && !made)
        printf("%-14s %-4s            ... until [organisation] %s\n", "", "", fact_keys[f]);
    return n;
}

/* The promises this kiosk makes about the hotline, in English, for a deployer to read once
 * (docs/design.md, "Promises"); and those it does not make because their fact is not stated. */
static int check_promises(struct kiosk *k)
{
    const struct config *cfg = &k->cfg;
    unsigned facts = content_facts(cfg, "und"); /* a visitor in no particular language */
    if (cfg->organisation.interpreters == CONFIG_INTERPRETERS_LIST)
        facts |= CONTENT_FACT_INTERPRETER;
    unsigned made = 0;
    char to[CONFIG_MAX_LANGS * CONFIG_LANG_LEN + 40] = "";
    const __typeof__(cfg->organisation) *o = &cfg->organisation;
    if (o->interpreters == CONFIG_INTERPRETERS_LIST) {
        size_t len = (size_t)snprintf(to, sizeof(to), " to visitors reading:");
        for (unsigned i = 0; i < o->n_interpreter_langs && len < sizeof(to); i++)
            len += (size_t)snprintf(to + len, sizeof(to) - len, " %s", o->interpreter_langs[i]);
    }
    for (unsigned f = 0; content_fact_name(f); f++)
        made += (facts & 1u << f) ? 1 : 0;
    report("promises", true, "what the call page promises about the hotline, in English:");
    for (unsigned f = 0; content_fact_name(f); f++) {
        if (facts & 1u << f)
            print_fact(k->content, f, true, 1u << f == CONTENT_FACT_INTERPRETER ? to : "");
    }
    char hours[512] = "", langs[512];
    const struct lang *en = i18n_find(k->i18n, "en");
    if (en) {
        ui_promise_hours(cfg, en, hours, sizeof(hours));
        if (hours[0])
            printf("%-14s %-4s makes: \"The hotline answers at these times: %s.\" Out of these "
                   "hours the Call button gives way to the other ways to get help\n",
                   "", "", hours);
        if (content_names_languages(cfg, "und")) {
            struct lang other = *en;
            util_strlcpy(other.code, "und", sizeof(other.code));
            ui_promise_languages(cfg, k->i18n, &other, langs, sizeof(langs));
            printf("%-14s %-4s makes: a visitor reading another language is told \"The "
                   "counsellor speaks these languages: %s.\"\n",
                   "", "", langs);
        }
    }
    for (unsigned f = 0; content_fact_name(f); f++) {
        if (!(facts & 1u << f) && 1u << f != CONTENT_FACT_OPEN) /* a state, not a promise */
            print_fact(k->content, f, false, "");
    }
    if (!made && !hours[0])
        printf("%-14s %-4s no promise about the hotline is made: no fact is stated in "
               "[organisation]\n",
               "", "");
    return 0;
}

/* audio (the configured device opens, its microphone only for this moment) and hotline
 * (OPTIONS answered, or the registration's outcome; TLS verified as for calls): both need the
 * call plug-in, and without it both fail with its reason. */
static int check_calls(struct kiosk *k)
{
    char why[1024];
    const struct call_api *api = call_api_load(why, sizeof(why));
    bool ok = api && api->check_audio(&k->cfg, why, sizeof(why));
    int failed = report("audio", ok, why);
    ok = api && api->check_hotline(&k->cfg, why, sizeof(why));
    return failed | report("hotline", ok, why);
}

int kiosk_cmd_self_test(int argc, char **argv)
{
    static const char usage[] = "openline self-test [--config FILE]";
    struct kiosk_args a;
    int failed = 0;
    struct kiosk k;

    int st = kiosk_args_read(argc, argv, KIOSK_OPT_CONFIG, usage, &a);
    if (st >= 0)
        return st;
    if (a.n_operands) {
        fprintf(stderr, "usage: %s\n", usage);
        return KIOSK_EXIT_CONFIG;
    }
    int rc = kiosk_open(&k, a.config, true);
    if (rc == KIOSK_EXIT_CONFIG) {
        report("configuration", false, "see the message above");
        kiosk_close(&k);
        return KIOSK_EXIT_CONFIG;
    }
    if (rc) {
        report("configuration", true, k.cfg.path);
        report("data", false, k.err);
        kiosk_close(&k);
        return KIOSK_EXIT_FAIL;
    }
    failed |= report("configuration", true, k.cfg.path);

    const struct lang *langs[CONFIG_MAX_LANGS];
    unsigned n = kiosk_languages(&k, langs);
    failed |= check_fonts(&k, langs, n);
    failed |= check_content(&k);
    failed |= check_promises(&k);
    failed |= check_locales(&k, langs, n);
    failed |= check_calls(&k);

    /* counts: the spool, the token, the collector (a heartbeat carrying this result), clock */
    char result[48] = "pass";
    if (selftest_first_failed[0])
        snprintf(result, sizeof(result), "fail:%s", selftest_first_failed);
    failed |= counts_self_test(&k.cfg, result, report_level) != 0;

    kiosk_close(&k);
    SDL_Quit();
    return failed ? KIOSK_EXIT_FAIL : KIOSK_EXIT_OK;
}
