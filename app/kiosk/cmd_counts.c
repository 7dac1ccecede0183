/* openline counts: what waits to be sent to the collector, for technicians.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>

#include "kiosk.h"
#include "openline/config.h"
#include "openline/counts.h"

int kiosk_cmd_counts(int argc, char **argv)
{
    static const char usage[] = "openline counts [--config FILE] [--upload-now]";
    struct kiosk_args a;
    struct config cfg;
    char err[CONFIG_ERR_LEN + 512];

    int st = kiosk_args_read(argc, argv, KIOSK_OPT_CONFIG | KIOSK_OPT_UPLOAD_NOW, usage, &a);
    if (st >= 0)
        return st;
    if (a.n_operands) {
        fprintf(stderr, "usage: %s\n", usage);
        return KIOSK_EXIT_CONFIG;
    }
    const char *path = a.config ? a.config : CONFIG_DEFAULT_PATH;
    if (config_load(&cfg, path, err, sizeof(err))) {
        fprintf(stderr, "openline: %s\n", err);
        return KIOSK_EXIT_CONFIG;
    }
    if (counts_report(&cfg, a.upload_now, stdout, err, sizeof(err))) {
        fprintf(stderr, "openline: %s\n", err);
        return KIOSK_EXIT_FAIL;
    }
    return KIOSK_EXIT_OK;
}
