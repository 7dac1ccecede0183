/* Command-line options shared by the kiosk's commands: one table, each command names the ones
 * it accepts.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "kiosk.h"
#include "openline/clock.h"
#include "openline/util.h"

static const struct option kiosk_options[] = {
    {"config", required_argument, NULL, KIOSK_OPT_CONFIG},
    {"screen", required_argument, NULL, KIOSK_OPT_SCREEN},
    {"lang", required_argument, NULL, KIOSK_OPT_LANG},
    {"page", required_argument, NULL, KIOSK_OPT_PAGE},
    {"out", required_argument, NULL, KIOSK_OPT_OUT},
    {"script", required_argument, NULL, KIOSK_OPT_SCRIPT},
    {"out-dir", required_argument, NULL, KIOSK_OPT_OUT_DIR},
    {"size", required_argument, NULL, KIOSK_OPT_SIZE},
    {"kiosk", no_argument, NULL, KIOSK_OPT_KIOSK},
    {"windowed", no_argument, NULL, KIOSK_OPT_WINDOWED},
    {"test-clock", optional_argument, NULL, KIOSK_OPT_TEST_CLOCK},
    {"start", required_argument, NULL, KIOSK_OPT_START},
    {"first-frame-exit", no_argument, NULL, KIOSK_OPT_FIRST_FRAME_EXIT},
    {"width", required_argument, NULL, KIOSK_OPT_WIDTH},
    {"font-size", required_argument, NULL, KIOSK_OPT_FONT_SIZE},
    {"audio", required_argument, NULL, KIOSK_OPT_AUDIO},
    {"seconds", required_argument, NULL, KIOSK_OPT_SECONDS},
    {"repeat", required_argument, NULL, KIOSK_OPT_REPEAT},
    {"upload-now", no_argument, NULL, KIOSK_OPT_UPLOAD_NOW},
    {"help", no_argument, NULL, KIOSK_OPT_HELP},
    {"say", required_argument, NULL, KIOSK_OPT_SAY},
    {"say-at", required_argument, NULL, KIOSK_OPT_SAY_AT},
    {"speech", required_argument, NULL, KIOSK_OPT_SPEECH},
    {"dial-after", required_argument, NULL, KIOSK_OPT_DIAL_AFTER},
    {"stop-after", required_argument, NULL, KIOSK_OPT_STOP_AFTER},
    {"linger", required_argument, NULL, KIOSK_OPT_LINGER},
    {"msgid", no_argument, NULL, KIOSK_OPT_MSGID},
    {"pose", required_argument, NULL, KIOSK_OPT_POSE},
    {NULL, 0, NULL, 0},
};

static int kiosk_args_usage(const char *usage)
{
    fprintf(stderr, "usage: %s\n", usage);
    return KIOSK_EXIT_CONFIG;
}

/* The speech options of call and speech-play (take_option). */
static int take_speech_option(struct kiosk_args *a, int c, char *arg)
{
    long *ms = c == KIOSK_OPT_SAY_AT       ? &a->say_at_ms
               : c == KIOSK_OPT_DIAL_AFTER ? &a->dial_after_ms
               : c == KIOSK_OPT_STOP_AFTER ? &a->stop_after_ms
               : c == KIOSK_OPT_LINGER     ? &a->linger_ms
                                           : NULL;
    if (c == KIOSK_OPT_SAY)
        a->say = arg;
    else if (c == KIOSK_OPT_SPEECH)
        a->speech = arg;
    else if (ms && util_parse_long(arg, 0, 3600000, ms))
        return EINVAL;
    return 0;
}

/* Where in a the argument of option c goes as it is written (a file, a name), or NULL when c
 * takes none or one to be read. */
static const char **text_slot(struct kiosk_args *a, int c)
{
    switch (c) {
    case KIOSK_OPT_CONFIG:
        return &a->config;
    case KIOSK_OPT_SCREEN:
        return &a->screen;
    case KIOSK_OPT_LANG:
        return &a->lang;
    case KIOSK_OPT_PAGE:
        return &a->page;
    case KIOSK_OPT_POSE:
        return &a->pose;
    case KIOSK_OPT_OUT:
        return &a->out;
    case KIOSK_OPT_SCRIPT:
        return &a->script;
    case KIOSK_OPT_OUT_DIR:
        return &a->out_dir;
    case KIOSK_OPT_START:
        return &a->start;
    case KIOSK_OPT_AUDIO:
        return &a->audio;
    default:
        return NULL;
    }
}

/* Take option c (enum kiosk_opt) with its argument arg into a: 0, or EINVAL for an argument
 * not accepted (the caller prints the usage). */
static int take_option(struct kiosk_args *a, int c, char *arg)
{
    const char **slot = text_slot(a, c);
    if (slot) {
        *slot = arg;
        return 0;
    }
    switch (c) {
    case KIOSK_OPT_SIZE:
        if (kiosk_parse_size(arg, &a->w, &a->h))
            return EINVAL;
        break;
    case KIOSK_OPT_KIOSK:
        a->fullscreen = 1;
        break;
    case KIOSK_OPT_WINDOWED:
        a->fullscreen = 0;
        break;
    case KIOSK_OPT_TEST_CLOCK:
        a->test_clock = true;
        a->test_clock_ms = 0;
        if (arg && clock_parse_utc(arg, &a->test_clock_ms)) {
            fprintf(stderr,
                    "openline: --test-clock=%s: not a UTC time such as "
                    "2026-09-07T00:00Z\n",
                    arg);
            return EINVAL;
        }
        break;
    case KIOSK_OPT_MSGID:
        a->msgid = true;
        break;
    case KIOSK_OPT_UPLOAD_NOW:
        a->upload_now = true;
        break;
    case KIOSK_OPT_FIRST_FRAME_EXIT:
        a->first_frame_exit = true;
        break;
    case KIOSK_OPT_WIDTH:
        if (util_parse_long(arg, 16, 8000, &a->width))
            return EINVAL;
        break;
    case KIOSK_OPT_FONT_SIZE:
        if (util_parse_long(arg, 4, 400, &a->font_px))
            return EINVAL;
        break;
    case KIOSK_OPT_SECONDS:
        if (util_parse_long(arg, 0, 86400, &a->seconds))
            return EINVAL;
        break;
    case KIOSK_OPT_REPEAT:
        if (util_parse_long(arg, 1, 100000, &a->repeat))
            return EINVAL;
        break;
    default:
        return take_speech_option(a, c, arg);
    }
    return 0;
}

int kiosk_args_read(int argc, char **argv, unsigned accepted, const char *usage,
                    struct kiosk_args *a)
{
    int c;
    memset(a, 0, sizeof(*a));
    a->fullscreen = -1;
    a->width = 800;
    a->font_px = 32;
    a->seconds = 10;
    a->repeat = 1;
    a->say_at_ms = a->dial_after_ms = a->stop_after_ms = a->linger_ms = -1;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "", kiosk_options, NULL)) != -1) {
        if (c == KIOSK_OPT_HELP) {
            printf("usage: %s\n", usage);
            return 0;
        }
        if (c == '?')
            return kiosk_args_usage(usage); /* getopt said what was wrong */
        if (!(accepted & (unsigned)c)) {
            for (const struct option *o = kiosk_options; o->name; o++) {
                if (o->val == c)
                    fprintf(stderr, "openline: %s takes no --%s\n", argv[0], o->name);
            }
            return kiosk_args_usage(usage);
        }
        if (take_option(a, c, optarg))
            return kiosk_args_usage(usage);
    }
    a->operands = argv + optind;
    a->n_operands = argc - optind;
    return -1;
}
