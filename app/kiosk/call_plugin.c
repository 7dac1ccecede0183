/* Loading the call subsystem, openline-call.so (include/openline/call.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "openline/call.h"
#include "openline/config.h"
#include "openline/log.h"

#ifndef OPENLINE_LIBDIR
#define OPENLINE_LIBDIR "/usr/lib/openline"
#endif
#define PLUGIN_NAME "openline-call.so"

static const struct call_api *loaded;
static char load_error[512];
static bool tried;

/* Where the plug-in is: next to the running program (build/openline and
 * build/openline-call.so), else the installed directory. */
static void plugin_path(char *path, size_t len)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(path, len, "%s/" PLUGIN_NAME, exe);
            if (access(path, F_OK) == 0)
                return;
        }
    }
    snprintf(path, len, "%s/" PLUGIN_NAME, OPENLINE_LIBDIR);
}

static const struct call_api *load(char *err, size_t errlen)
{
    char path[PATH_MAX + 32];
    plugin_path(path, sizeof(path));
    /* RTLD_NOW: a missing library or symbol is reported here, not in the middle of a call. */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(err, errlen, "cannot load the call plug-in: %.400s", why ? why : path);
        return NULL;
    }
    const struct call_api *api = dlsym(h, CALL_API_SYMBOL);
    if (!api) {
        snprintf(err, errlen, "%.300s: no %s: not an OpenLine call plug-in", path, CALL_API_SYMBOL);
        dlclose(h);
        return NULL;
    }
    if (api->version != CALL_API_VERSION || api->config_size != sizeof(struct config) ||
        !api->build || strcmp(api->build, OPENLINE_CALL_ABI)) {
        snprintf(err, errlen,
                 "%.300s is from another build (%.40s, this program is %s): reinstall both", path,
                 api->build ? api->build : "?", OPENLINE_CALL_ABI);
        dlclose(h);
        return NULL;
    }
    log_debug("calls: loaded %s", path);
    return api; /* never unloaded: the call thread's code must stay mapped until exit */
}

const struct call_api *call_api_load(char *err, size_t errlen)
{
    if (!tried) {
        tried = true;
        loaded = load(load_error, sizeof(load_error));
    }
    if (!loaded)
        snprintf(err, errlen, "%s", load_error);
    return loaded;
}
