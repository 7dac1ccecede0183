/* The plug-in's entry: the table through which the kiosk reaches the call subsystem
 * (include/openline/call_api.h). Everything else in openline-call.so is hidden.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>

#include "../audio/audio.h"
#include "engine.h"
#include "openline/config.h"
#include "openline/log.h"

/* Set by init() before the kiosk calls anything else, so before any of our threads starts. */
static const struct call_host *host;

static void plugin_init(const struct call_host *h)
{
    host = h;
}

/* The plug-in's own log_msg(), hidden like all its symbols: every log_warn() in app/call and
 * app/audio goes to the kiosk's log through the host table, not through a symbol the program
 * exports. The unit tests link app/core/log.c instead of this file. */
void log_msg(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    if (!host)
        return;
    va_start(ap, fmt);
    host->log(level, fmt, ap);
    va_end(ap);
}

__attribute__((visibility("default"))) extern const struct call_api openline_call_api;

const struct call_api openline_call_api = {
    .version = CALL_API_VERSION,
    .config_size = sizeof(struct config),
    .build = OPENLINE_CALL_ABI,
    .init = plugin_init,
    .engine_start = call_engine_start,
    .engine_stop = call_engine_stop,
    .dial = call_engine_dial,
    .hangup = call_engine_hangup,
    .dtmf = call_engine_dtmf,
    .volume = call_engine_volume,
    .speech_play = call_engine_speech_play,
    .speech_stop = call_engine_speech_stop,
    .speech_now = call_engine_speech_now,
    .call_say = call_engine_say,
    .audio_ok = call_engine_audio_ok,
    .registration = call_engine_registration,
    .check_hotline = call_check_hotline,
    .check_audio = audio_check,
};
