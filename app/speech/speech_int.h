/* The speech module's parts, seen only by app/speech: SSML for espeak-ng, clips on disk.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_SPEECH_INT_H
#define OPENLINE_SPEECH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* text (UTF-8) as one SSML document for espeakSSML: the text escaped, phone numbers (at least 5
 * digits) spoken digit by digit with a short pause between the groups as written, web and e-mail
 * addresses with their short or vowel-less parts and their punctuation spelt. malloc'd (the
 * caller frees it); NULL when out of memory. Any thread (its own regex). */
char *speech_ssml(const char *text);

/* A clip decoded: mono 16-bit samples at rate Hz (malloc'd; free pcm). */
struct speech_pcm {
    int16_t *pcm;
    size_t n;
    unsigned rate;
};

/* True when dir holds at least one clip (<key>.opus or <key>.wav). */
bool speech_clip_dir_used(const char *dir);

/* The clip <dir>/<key>.opus (Ogg Opus, libopusfile, 48000 Hz) or <dir>/<key>.wav (16-bit PCM,
 * SDL_LoadWAV_RW), downmixed to mono, into *pcm. Returns 0, ENOENT when there is no clip for key
 * (or key is not a clip name: [0-9a-z-] only), EIO when the file cannot be decoded, or ENOMEM.
 * Logs nothing: a log line at the moment a clip is played would tell when somebody stood at the
 * kiosk (docs/design.md 2.2); speech_clip_check() reports broken clips at start-up. Speech
 * worker thread. */
int speech_clip_load(const char *dir, const char *key, struct speech_pcm *pcm);

/* Decode every clip in dir once and log one line per file that is not a clip (its name and why,
 * never its text). Returns how many. At start-up, on the speech worker thread. */
unsigned speech_clip_check(const char *dir);

#endif
