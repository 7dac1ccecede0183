/* openline: the kiosk. Parses the command, then hands over to it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "kiosk.h"
#include "openline/log.h"
#include "openline/util.h"

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"run", kiosk_cmd_run, "start the kiosk (the default)"},
    {"snapshot", kiosk_cmd_snapshot, "render one screen to PNG"},
    {"play", kiosk_cmd_play, "run a test script headless"},
    {"check-layout", kiosk_cmd_check_layout, "every screen and page in every language, checked"},
    {"self-test", kiosk_cmd_self_test, "check configuration, fonts, content and locales"},
    {"call", kiosk_cmd_call, "place one hotline call headless and print its states"},
    {"speech-play", kiosk_cmd_speech_play,
     "play a WAV file as speech through the call plug-in (read-aloud), headless"},
    {"counts", kiosk_cmd_counts, "the counts waiting for the collector (--upload-now: send them)"},
    {"render", kiosk_cmd_render, "render one paragraph in a language to PNG"},
    {"i18n-report", kiosk_cmd_i18n_report, "translated, fuzzy and missing strings per language"},
    {"check-catalog", kiosk_cmd_check_catalog,
     "every problem of PO files, as the kiosk reads them"},
    {"config-reference", kiosk_cmd_config_reference, "every configuration key"},
    {"pot-content", kiosk_cmd_pot_content, "print the content pages as a PO template"},
    {"speak", kiosk_cmd_speak, "say one text in a language as the kiosk reads aloud"},
    {"speech-script", kiosk_cmd_speech_script,
     "every sentence the kiosk reads aloud in a language, with its clip's name"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: openline [COMMAND] [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
        fprintf(f, "  %-17s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\nopenline COMMAND --help shows a command's options.\n");
}

int main(int argc, char **argv)
{
    log_init("openline", LOG_LEVEL_INFO);
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "--version")) {
        printf("openline %s\n", OPENLINE_VERSION);
        return 0;
    }
    if (argc > 1 && argv[1][0] != '-') {
        for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
            if (!strcmp(argv[1], commands[i].name))
                return commands[i].fn(argc - 1, argv + 1);
        }
        fprintf(stderr, "openline: unknown command '%s'\n", argv[1]);
        usage(stderr);
        return KIOSK_EXIT_CONFIG;
    }
    return kiosk_cmd_run(argc, argv);
}
