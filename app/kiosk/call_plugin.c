/* Loading the call subsystem, openline-call.so (include/openline/call_api.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "call_plugin.h"
#include "openline/config.h"
#include "openline/log.h"
#include "openline/plugin.h"

/* All the plug-in uses of this program: it calls nothing here by name. */
static const struct call_host host = {
    .log = log_vmsg,
};

static const struct call_api *loaded;
static char load_error[512];
static bool tried;

static const struct call_api *load(char *err, size_t errlen)
{
    const struct call_api *api =
        plugin_load("openline-call.so", CALL_API_SYMBOL, "the call plug-in", err, errlen);
    if (!api)
        return NULL;
    if (api->version != CALL_API_VERSION || api->config_size != sizeof(struct config) ||
        !api->build || strcmp(api->build, OPENLINE_CALL_ABI)) {
        snprintf(err, errlen,
                 "the call plug-in is from another build (%.40s, this program is %s): reinstall "
                 "both",
                 api->build ? api->build : "?", OPENLINE_CALL_ABI);
        return NULL;
    }
    api->init(&host);
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
