/* The plug-in's entry: the table through which the kiosk reaches the call subsystem
 * (include/openline/call_api.h). Everything else in openline-call.so is hidden.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "../audio/audio.h"
#include "engine.h"
#include "openline/config.h"

__attribute__((visibility("default"))) extern const struct call_api openline_call_api;

const struct call_api openline_call_api = {
    .version = CALL_API_VERSION,
    .config_size = sizeof(struct config),
    .build = OPENLINE_CALL_ABI,
    .engine_start = call_engine_start,
    .engine_stop = call_engine_stop,
    .dial = call_engine_dial,
    .hangup = call_engine_hangup,
    .dtmf = call_engine_dtmf,
    .volume = call_engine_volume,
    .audio_ok = call_engine_audio_ok,
    .registration = call_engine_registration,
    .check_hotline = call_check_hotline,
    .check_audio = audio_check,
};
