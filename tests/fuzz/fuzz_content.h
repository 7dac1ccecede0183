/* The content targets' shared step: one file of the input beside the others, and the load.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_FUZZ_CONTENT_H
#define OPENLINE_FUZZ_CONTENT_H

#include "fuzz.h"
#include "openline/content.h"

/* Write data as name into the scratch directory and load the content there. Returns it (the
 * caller frees it), or NULL when it was refused; a refusal without a message aborts. */
static inline struct content *fuzz_content_load(const char *name, const uint8_t *data, size_t size)
{
    struct content *c = NULL;
    char err[512] = "";

    fuzz_dir_write(name, data, size);
    if (content_load(&c, fuzz_dir_get(), err, sizeof(err))) {
        if (!err[0])
            abort();
        return NULL;
    }
    return c;
}

#endif
