/* Command-line options shared by the kiosk's commands: one table, each command names the ones
 * it accepts.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "kiosk.h"
#include "openline/clock.h"
#include "openline/util.h"

static const struct option kiosk_options[] = {
    {"config", required_argument, NULL, 'c'},
    {"screen", required_argument, NULL, 'S'},
    {"lang", required_argument, NULL, 'l'},
    {"page", required_argument, NULL, 'p'},
    {"out", required_argument, NULL, 'o'},
    {"script", required_argument, NULL, 'x'},
    {"out-dir", required_argument, NULL, 'd'},
    {"size", required_argument, NULL, 's'},
    {"kiosk", no_argument, NULL, 'k'},
    {"windowed", no_argument, NULL, 'w'},
    {"test-clock", optional_argument, NULL, 't'},
    {"start", required_argument, NULL, 'T'},
    {"first-frame-exit", no_argument, NULL, 'F'},
    {"width", required_argument, NULL, 'W'},
    {"font-size", required_argument, NULL, 'f'},
    {"audio", required_argument, NULL, 'a'},
    {"seconds", required_argument, NULL, 'n'},
    {"repeat", required_argument, NULL, 'r'},
    {"upload-now", no_argument, NULL, 'u'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int kiosk_args_usage(const char *usage)
{
    fprintf(stderr, "usage: %s\n", usage);
    return KIOSK_EXIT_CONFIG;
}

int kiosk_args_parse(int argc, char **argv, const char *accepted, const char *usage,
                     struct kiosk_args *a)
{
    int c;
    memset(a, 0, sizeof(*a));
    a->fullscreen = -1;
    a->width = 800;
    a->font_px = 32;
    a->seconds = 10;
    a->repeat = 1;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "", kiosk_options, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: %s\n", usage);
            return 0;
        }
        if (c == '?')
            return kiosk_args_usage(usage); /* getopt said what was wrong */
        if (!strchr(accepted, c)) {
            for (const struct option *o = kiosk_options; o->name; o++) {
                if (o->val == c)
                    fprintf(stderr, "openline: %s takes no --%s\n", argv[0], o->name);
            }
            return kiosk_args_usage(usage);
        }
        switch (c) {
        case 'c':
            a->config = optarg;
            break;
        case 'S':
            a->screen = optarg;
            break;
        case 'l':
            a->lang = optarg;
            break;
        case 'p':
            a->page = optarg;
            break;
        case 'o':
            a->out = optarg;
            break;
        case 'x':
            a->script = optarg;
            break;
        case 'd':
            a->out_dir = optarg;
            break;
        case 's':
            if (kiosk_parse_size(optarg, &a->w, &a->h))
                return kiosk_args_usage(usage);
            break;
        case 'k':
            a->fullscreen = 1;
            break;
        case 'w':
            a->fullscreen = 0;
            break;
        case 't':
            a->test_clock = true;
            a->test_clock_ms = 0;
            if (optarg && clock_parse_utc(optarg, &a->test_clock_ms)) {
                fprintf(stderr,
                        "openline: --test-clock=%s: not a UTC time such as "
                        "2026-09-07T00:00Z\n",
                        optarg);
                return kiosk_args_usage(usage);
            }
            break;
        case 'u':
            a->upload_now = true;
            break;
        case 'T':
            a->start = optarg;
            break;
        case 'F':
            a->first_frame_exit = true;
            break;
        case 'W':
            if (util_parse_long(optarg, 16, 8000, &a->width))
                return kiosk_args_usage(usage);
            break;
        case 'f':
            if (util_parse_long(optarg, 4, 400, &a->font_px))
                return kiosk_args_usage(usage);
            break;
        case 'a':
            a->audio = optarg;
            break;
        case 'n':
            if (util_parse_long(optarg, 0, 86400, &a->seconds))
                return kiosk_args_usage(usage);
            break;
        case 'r':
            if (util_parse_long(optarg, 1, 100000, &a->repeat))
                return kiosk_args_usage(usage);
            break;
        }
    }
    a->operands = argv + optind;
    a->n_operands = argc - optind;
    return -1;
}
