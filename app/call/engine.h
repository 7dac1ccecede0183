/* The call engine's functions (engine.c), which the kiosk reaches through struct call_api
 * (include/openline/call_api.h, filled in plugin.c) and the unit tests call directly.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_CALL_ENGINE_H
#define OPENLINE_CALL_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openline/call_api.h"

struct config;

/* Start the call thread with the [hotline] and [audio] settings of cfg (cfg must outlive the
 * engine). handler runs on the call thread and must not block. *ep is set only on success. */
int call_engine_start(struct call_engine **ep, const struct config *cfg, call_event_h *handler,
                      void *arg, char *err, size_t errlen);

/* Stop any call (BYE) and the thread; waits for it. NULL is ignored. */
void call_engine_stop(struct call_engine *e);

/* The following are thread-safe and return at once; results arrive as events.
 * Place a call in language code lang (sent as Accept-Language; a per-language URI in the
 * configuration overrides the hotline URI). Tries the secondary hotline when the primary fails.
 * uri overrides both when not NULL (the `openline call` command). */
int call_engine_dial(struct call_engine *e, const char *lang, const char *uri);
/* Hang up now: BYE (or CANCEL) sent within 100 ms, audio stopped, microphone closed. */
int call_engine_hangup(struct call_engine *e);
/* RFC 4733 telephone-event for '0'-'9', '*', '#'. */
int call_engine_dtmf(struct call_engine *e, char digit);
/* Playback volume, 0..100 percent: of the call in progress (each call starts at the configured
 * level) and of speech outside calls (from now on; the configured level until the first call). */
int call_engine_volume(struct call_engine *e, int percent);

/* Speech outside calls (read-aloud). Queue n samples (mono, copied) at rate Hz after what is
 * queued, tagged tag (not 0). Any thread, at once. The call thread opens the device for
 * playback only (audio_dev_start_playback on the audio-control thread: the microphone stays
 * closed), resamples to the device's rate with the speech volume, keeps about 60 ms in its ring
 * and closes it 2 s after the last sample played. Returns 0, EINVAL (tag 0, rate 0 or above
 * 192 kHz), EBUSY from call_engine_dial() until that call ended, ENODEV while no audio device
 * is usable (call_engine_audio_ok() false), ENOMEM. Dialling drops what is queued and gives the
 * device to the call. */
int call_engine_speech_play(struct call_engine *e, uint32_t tag, const int16_t *pcm, size_t n,
                            unsigned rate);
/* Drop all queued speech: the device's ring is dropped from its next callback on (within one
 * block, <= 20 ms); speech_now reads 0 at once. Any thread. */
int call_engine_speech_stop(struct call_engine *e);
/* The tag of the speech playing now: from call_engine_speech_play() until its last sample
 * left the ring; 0 when nothing plays. Any thread (an atomic the call thread updates at each
 * device block). */
uint32_t call_engine_speech_now(const struct call_engine *e);
/* During a connected call: mix n samples (rate Hz, copied) into what the hotline hears after
 * echo cancellation and noise suppression (never into the canceller's reference; the
 * microphone keeps being sent under it), after any phrase still being sent; resampled to
 * CALL_RATE on the call thread. Any thread. ENOTCONN when no call is connected, EINVAL,
 * ENOMEM. Nothing about it is logged. */
int call_engine_say(struct call_engine *e, const int16_t *pcm, size_t n, unsigned rate);

/* True while the configured audio device is usable (else calls are unavailable and the kiosk
 * shows the number instead). Without one the engine probes again every 10 s; each change is
 * reported by an event with availability set. */
bool call_engine_audio_ok(const struct call_engine *e);

/* The registration state now, with a reason (len bytes into why, may be NULL). Thread-safe. */
enum call_reg_state call_engine_registration(struct call_engine *e, char *why, size_t len);

/* self-test: start an engine with cfg, and either wait for the registration's outcome or send
 * OPTIONS to the primary hotline (TLS verified as for calls); stop it again. Blocks up to
 * about [hotline] connect_timeout. Returns true when the hotline answered, with what it said
 * in why; false with the reason (no URI, unreachable, certificate error, 4xx from registrar). */
bool call_check_hotline(const struct config *cfg, char *why, size_t len);

#endif
