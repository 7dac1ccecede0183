/* libFuzzer target: the kiosk's configuration file (config_load).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz.h"
#include "openline/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct config cfg; /* large; one per process */
    char err[CONFIG_ERR_LEN];
    int rc = config_load(&cfg, fuzz_memfd_path(data, size), err, sizeof(err));
    if (rc && !err[0])
        abort(); /* every failure must explain itself */
    if (!rc) {
        /* A loaded configuration is complete: its strings are terminated. */
        if (strnlen(cfg.organisation.name, sizeof(cfg.organisation.name)) ==
                sizeof(cfg.organisation.name) ||
            cfg.kiosk.n_languages > CONFIG_MAX_LANGS || cfg.hotline.n_lang_uris > CONFIG_MAX_LANGS)
            abort();
        config_key_error(&cfg, "kiosk", "languages", err, sizeof(err), "fuzz %d", 1);
    }
    return 0;
}
