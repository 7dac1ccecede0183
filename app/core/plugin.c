/* Finding and loading the kiosk's plug-ins (include/openline/plugin.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/plugin.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "openline/log.h"

#ifndef OPENLINE_LIBDIR
#define OPENLINE_LIBDIR "/usr/lib/openline"
#endif

/* Next to the running program (build/openline and build/openline-call.so), else the installed
 * directory. */
static void plugin_path(const char *file, char *path, size_t len)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(path, len, "%s/%s", exe, file);
            if (access(path, F_OK) == 0)
                return;
        }
    }
    snprintf(path, len, "%s/%s", OPENLINE_LIBDIR, file);
}

void *plugin_load(const char *file, const char *symbol, const char *what, char *err, size_t errlen)
{
    char path[PATH_MAX + 64];
    plugin_path(file, path, sizeof(path));
    /* RTLD_NOW: a missing library or symbol is reported here, not in the middle of its work. */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(err, errlen, "cannot load %s: %.400s", what, why ? why : path);
        return NULL;
    }
    void *sym = dlsym(h, symbol);
    if (!sym) {
        snprintf(err, errlen, "%.300s: no %s: not %s", path, symbol, what);
        dlclose(h);
        return NULL;
    }
    log_debug("loaded %s", path);
    return sym;
}
