/* Read-aloud: text to PCM off the UI thread, by recorded clips or espeak-ng (issue 14).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_SPEECH_H
#define OPENLINE_SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lang;

enum speech_source { SPEECH_NONE, SPEECH_CLIPS, SPEECH_SYNTH };
struct speech;
/* Audio for an item, in order, on the speech worker thread: pieces as they are made (so that the
 * first sound comes early), at rate Hz mono. Must not block for long. pcm is valid during the call
 * only. It must not call speech_say, speech_cancel or speech_render (speech_cancel waits for a
 * call in progress to return). */
typedef void(speech_out_h)(uint32_t tag, const int16_t *pcm, size_t n, unsigned rate, void *arg);
/* Start the speech worker thread (it owns espeak-ng) and find the clips under
 * <data_dir>/assets/speech/<lang code>/. Returns 0 or an errno value with a message in err; waits
 * for espeak-ng to start (at start-up: tens of ms). espeak-ng missing or without its data is not a
 * failure: it is logged once and only clips speak. *sp is set only on success. */
int speech_alloc(struct speech **sp, const char *data_dir, speech_out_h *out, void *arg, char *err,
                 size_t errlen);
void speech_free(struct speech *sp); /* stops the worker; NULL ignored */
/* How lang is spoken: by its clips, by its espeak-ng voice (lang->voice) or not at all. Any
 * thread; never calls espeak-ng. A voice named but missing is logged once and gives SPEECH_NONE:
 * ask for every enabled language at start-up, so that the line is written then and not when a
 * visitor picks the language (docs/design.md 2.2). */
enum speech_source speech_source(const struct speech *sp, const struct lang *lang);
/* The espeak-ng voice lang speaks with ("" when none works). Any thread. */
const char *speech_voice(const struct speech *sp, const struct lang *lang);
struct speech_item {
    const char *text; /* UTF-8 as shown on screen (placeholders already expanded) */
    const char *key;  /* clip name (see speech_key), or NULL: synthesis only */
    uint32_t tag;     /* handed back to out with this item's audio; never 0 */
};
/* Replace whatever is queued or being made with these items in lang (all copied). 0, or ENOTSUP
 * when lang has neither clips nor a voice (nothing is queued). Never blocks on synthesis: UI
 * thread. */
int speech_say(struct speech *sp, const struct lang *lang, const struct speech_item *items,
               unsigned n);
/* Drop everything not yet handed to out. After this returns, out is never called again for items
 * given before it. */
void speech_cancel(struct speech *sp);
/* True while items given to speech_say are still being made (not all handed to out yet). */
bool speech_busy(const struct speech *sp);
/* The same audio speech_say would make for items, handed to out (not the one given to
 * speech_alloc) on the calling thread's behalf: the worker makes it (espeak-ng stays on one
 * thread) while the caller waits, after whatever the worker is making. Returns 0, ENOTSUP as
 * speech_say, or ENOMEM. For commands and tests, never the UI thread. */
int speech_render(struct speech *sp, const struct lang *lang, const struct speech_item *items,
                  unsigned n, speech_out_h *out, void *arg);
/* The sentences of text in lang as byte ranges [start, end) (ICU sentence break iterator, the
 * lang's icu_locale); whitespace trimmed at both ends; returns the count, calls fn per sentence. */
unsigned speech_sentences(const struct lang *lang, const char *text,
                          void (*fn)(size_t start, size_t end, void *arg), void *arg);
/* A clip's name for sentence idx (0-based) of the string msgid: 16 lower-case hex digits of the
 * 64-bit FNV-1a hash of msgid's UTF-8 bytes, '-', idx in decimal ("3fa2...c2-0"). */
void speech_key(const char *msgid, unsigned idx, char *buf, size_t len);

#endif
