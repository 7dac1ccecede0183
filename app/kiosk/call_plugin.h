/* Loading the call plug-in, openline-call.so (call_plugin.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_KIOSK_CALL_PLUGIN_H
#define OPENLINE_KIOSK_CALL_PLUGIN_H

#include <stddef.h>

#include "openline/call_api.h"

/* Load openline-call.so once, from the directory of the running program (a build tree) or
 * else the installed plug-in directory. Returns NULL with the reason in err when it is missing,
 * does not load, or comes from another build. Not thread-safe: call from the main thread. */
const struct call_api *call_api_load(char *err, size_t errlen);

#endif
