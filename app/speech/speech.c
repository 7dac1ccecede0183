/* The speech worker: one thread owns espeak-ng and makes every item's audio, clip or synthesis.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <espeak-ng/speak_lib.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "openline/i18n.h"
#include "openline/log.h"
#include "openline/util.h"
#include "speech.h"
#include "speech_int.h"

/* espeak-ng keeps its state in globals and is not thread-safe: it is used only on the worker
 * thread of the one struct speech a process may have at a time (speech_alloc() refuses a second
 * with EBUSY). It is initialised once per process and never terminated: espeak-ng 1.51 hangs when
 * initialised again after espeak_Terminate() (a second speech_alloc() in the same process). Its
 * synthesis callback hands back the pieces of ESPEAK_BUFFER_MS each as they are made, so the first
 * sound of a sentence comes early. */
#define ESPEAK_BUFFER_MS 40
#define ESPEAK_RATE_WPM  150  /* a little slower than espeak-ng's 175: visitors may read little */
#define CLIP_PIECE       4800 /* samples handed to out at a time from a clip */
#define MAX_CLIP_LANGS   I18N_MAX_LANGS

static atomic_bool speech_taken;
static int espeak_rate; /* espeak_Initialize's result; touched by the one worker thread at a time */
static bool espeak_started;

/* One request: items copied from the caller, and where their audio goes. */
struct job_item {
    char *text, *key;
    uint32_t tag;
};

struct job {
    uint64_t gen;   /* speech_say's generation; 0: speech_render's (never cancelled) */
    char voice[32]; /* espeak-ng voice, "" for clips only */
    char clip_dir[PATH_MAX + 32]; /* the language's clip folder, "" when it has none */
    struct job_item *items;
    unsigned n;
    speech_out_h *out; /* speech_render's; NULL: the speech's own */
    void *arg;
    bool done; /* speech_render: guarded by mx */
};

struct voice_entry {
    char name[32];      /* a name, file or language espeak_SetVoiceByName finds */
    atomic_bool broken; /* espeak_SetVoiceByName refused it */
};

struct speech {
    char data_dir[PATH_MAX];
    speech_out_h *out;
    void *arg;
    pthread_t thread;

    /* set by the worker before speech_alloc returns, then read-only (except the flags) */
    unsigned rate; /* espeak-ng's sample rate in Hz; 0 when espeak-ng could not start */
    struct voice_entry *voices;
    size_t n_voices, cap_voices;
    char clip_langs[MAX_CLIP_LANGS][16]; /* languages whose folder holds a clip */
    unsigned n_clip_langs;

    pthread_mutex_t mx;
    pthread_cond_t cv;
    /* guarded by mx */
    bool started, stop;
    struct job *pending, *render;
    char missing[I18N_MAX_LANGS][32]; /* voices named but missing, logged once each */
    unsigned n_missing;

    /* written under out_mx, read anywhere: speech_say's current generation. An out call for an
     * older one is never made once it changed, because both happen under out_mx. */
    pthread_mutex_t out_mx;
    atomic_uint_fast64_t gen;
    atomic_bool busy; /* written under mx */

    /* worker thread only */
    char cur_voice[32];
};

/* The worker's synthesis in progress, for espeak-ng's callback (worker thread only). */
struct synth_ctx {
    struct speech *sp;
    const struct job *job;
    uint32_t tag;
    bool cancelled;
};

static struct synth_ctx *synth_cur;

static void job_free(struct job *j)
{
    if (!j)
        return;
    for (unsigned i = 0; i < j->n; i++) {
        free(j->items[i].text);
        free(j->items[i].key);
    }
    free(j->items);
    free(j);
}

/* ---- handing audio out ------------------------------------------------------------------- */

/* Hand one piece to its out unless its request was replaced or cancelled. Returns false when it
 * was (the job stops). */
static bool emit(struct speech *sp, const struct job *j, uint32_t tag, const int16_t *pcm, size_t n,
                 unsigned rate)
{
    if (!j->gen) {
        j->out(tag, pcm, n, rate, j->arg);
        return true;
    }
    pthread_mutex_lock(&sp->out_mx);
    bool current = atomic_load(&sp->gen) == j->gen;
    if (current)
        sp->out(tag, pcm, n, rate, sp->arg);
    pthread_mutex_unlock(&sp->out_mx);
    return current;
}

static bool job_cancelled(const struct speech *sp, const struct job *j)
{
    return j->gen && atomic_load(&sp->gen) != j->gen;
}

/* ---- voices ------------------------------------------------------------------------------ */

static struct voice_entry *voice_find(const struct speech *sp, const char *name)
{
    for (size_t i = 0; i < sp->n_voices; i++) {
        if (!strcasecmp(sp->voices[i].name, name))
            return &sp->voices[i];
    }
    return NULL;
}

/* Before speech_alloc returns (the table is read-only after it): worker thread. */
static void voice_add(struct speech *sp, const char *name)
{
    if (!name || !name[0] || strlen(name) >= sizeof(sp->voices[0].name) || voice_find(sp, name))
        return;
    struct voice_entry *v =
        util_grow(sp->voices, &sp->cap_voices, sp->n_voices + 1, sizeof(*v), 256);
    if (!v)
        return; /* out of memory: that name reads as missing, and is logged so */
    sp->voices = v;
    util_strlcpy(sp->voices[sp->n_voices].name, name, sizeof(sp->voices[0].name));
    atomic_init(&sp->voices[sp->n_voices].broken, false);
    sp->n_voices++;
}

/* Every name espeak_SetVoiceByName finds a voice by: the voice's name, its file (with and
 * without the folder: "gmw/en", "en") and each of its languages ("en-gb"). */
static void voices_list(struct speech *sp)
{
    const espeak_VOICE **v = espeak_ListVoices(NULL);
    for (; v && *v; v++) {
        voice_add(sp, (*v)->name);
        voice_add(sp, (*v)->identifier);
        const char *slash = (*v)->identifier ? strrchr((*v)->identifier, '/') : NULL;
        if (slash)
            voice_add(sp, slash + 1);
        /* languages: a priority byte, then a NUL-terminated name, until a zero priority */
        for (const char *l = (*v)->languages; l && *l; l += strlen(l + 1) + 2)
            voice_add(sp, l + 1);
    }
}

/* Log a voice named in languages.ini that espeak-ng lacks, once. */
static void voice_missing(const struct speech *csp, const struct lang *lang)
{
    struct speech *sp = (struct speech *)csp; /* the log-once list only */
    pthread_mutex_lock(&sp->mx);
    bool logged = false;
    for (unsigned i = 0; i < sp->n_missing; i++)
        logged |= !strcmp(sp->missing[i], lang->voice);
    if (!logged && sp->n_missing < ARRAY_SIZE(sp->missing))
        util_strlcpy(sp->missing[sp->n_missing++], lang->voice, sizeof(sp->missing[0]));
    pthread_mutex_unlock(&sp->mx);
    if (!logged)
        log_warn("speech: espeak-ng has no voice '%s' ([%s] in languages.ini): %s is not "
                 "synthesised",
                 lang->voice, lang->code, lang->code);
}

const char *speech_voice(const struct speech *sp, const struct lang *lang)
{
    if (!sp || !lang || !lang->voice[0] || !sp->rate)
        return "";
    struct voice_entry *v = voice_find(sp, lang->voice);
    if (!v || atomic_load(&v->broken)) {
        voice_missing(sp, lang);
        return "";
    }
    return lang->voice;
}

static bool clips_of(const struct speech *sp, const struct lang *lang)
{
    for (unsigned i = 0; sp && lang && i < sp->n_clip_langs; i++) {
        if (!strcmp(sp->clip_langs[i], lang->code))
            return true;
    }
    return false;
}

enum speech_source speech_source(const struct speech *sp, const struct lang *lang)
{
    if (clips_of(sp, lang))
        return SPEECH_CLIPS;
    return speech_voice(sp, lang)[0] ? SPEECH_SYNTH : SPEECH_NONE;
}

/* ---- the worker's making ------------------------------------------------------------------ */

/* espeak-ng's synthesis callback (worker thread): wav is NULL at the end; returning 1 stops. */
static int synth_cb(short *wav, int numsamples, espeak_EVENT *events)
{
    struct synth_ctx *c = synth_cur;
    if (!c || c->cancelled)
        return 1;
    if (wav && numsamples > 0 && !emit(c->sp, c->job, c->tag, wav, (size_t)numsamples, c->sp->rate))
        c->cancelled = true;
    return c->cancelled ? 1 : 0;
}

static bool voice_select(struct speech *sp, const char *voice)
{
    if (!strcmp(sp->cur_voice, voice))
        return true;
    sp->cur_voice[0] = '\0';
    struct voice_entry *v = voice_find(sp, voice);
    if (!v || atomic_load(&v->broken))
        return false;
    /* As `espeak-ng -v NAME` does: a voice's name or file ("en", "gmw/en"), else a language
     * ("en-gb", "fr-fr"), which picks that language's voice. */
    espeak_VOICE by_lang = {.languages = voice};
    if (espeak_SetVoiceByName(voice) != EE_OK && espeak_SetVoiceByProperties(&by_lang) != EE_OK) {
        atomic_store(&v->broken, true);
        log_warn("speech: espeak-ng cannot load its voice '%s': not synthesised", voice);
        return false;
    }
    espeak_SetParameter(espeakRATE, ESPEAK_RATE_WPM, 0);
    util_strlcpy(sp->cur_voice, voice, sizeof(sp->cur_voice));
    return true;
}

static void synth_item(struct speech *sp, const struct job *j, const struct job_item *it)
{
    if (!sp->rate || !j->voice[0] || !voice_select(sp, j->voice))
        return;
    char *ssml = speech_ssml(it->text);
    if (!ssml)
        return;
    struct synth_ctx c = {.sp = sp, .job = j, .tag = it->tag};
    synth_cur = &c;
    espeak_Synth(ssml, strlen(ssml) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8 | espeakSSML, NULL,
                 NULL);
    synth_cur = NULL;
    free(ssml);
}

/* The item's clip, if it has one that decodes. Returns false to synthesise it instead. */
static bool clip_item(struct speech *sp, const struct job *j, const struct job_item *it)
{
    struct speech_pcm pcm = {0};
    if (!j->clip_dir[0] || !it->key || speech_clip_load(j->clip_dir, it->key, &pcm))
        return false;
    for (size_t at = 0; at < pcm.n; at += CLIP_PIECE) {
        size_t n = pcm.n - at < CLIP_PIECE ? pcm.n - at : CLIP_PIECE;
        if (!emit(sp, j, it->tag, pcm.pcm + at, n, pcm.rate))
            break;
    }
    free(pcm.pcm);
    return true;
}

static void job_run(struct speech *sp, const struct job *j)
{
    for (unsigned i = 0; i < j->n && !job_cancelled(sp, j); i++) {
        if (!clip_item(sp, j, &j->items[i]))
            synth_item(sp, j, &j->items[i]);
    }
}

/* ---- the worker thread -------------------------------------------------------------------- */

static void find_clips(struct speech *sp)
{
    char root[PATH_MAX + 32], dir[PATH_MAX + 64];
    snprintf(root, sizeof(root), "%s/assets/speech", sp->data_dir);
    DIR *d = opendir(root);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) && sp->n_clip_langs < MAX_CLIP_LANGS) {
        if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(sp->clip_langs[0]))
            continue;
        snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
        if (speech_clip_dir_used(dir))
            util_strlcpy(sp->clip_langs[sp->n_clip_langs++], e->d_name, sizeof(sp->clip_langs[0]));
    }
    closedir(d);
}

static void check_clips(struct speech *sp)
{
    char dir[PATH_MAX + 64];
    for (unsigned i = 0; i < sp->n_clip_langs; i++) {
        snprintf(dir, sizeof(dir), "%s/assets/speech/%s", sp->data_dir, sp->clip_langs[i]);
        speech_clip_check(dir);
    }
}

static void start_espeak(struct speech *sp)
{
    if (!espeak_started) {
        espeak_started = true;
        espeak_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, ESPEAK_BUFFER_MS, NULL,
                                        espeakINITIALIZE_DONT_EXIT);
    }
    int rate = espeak_rate;
    if (rate <= 0) {
        log_warn("speech: espeak-ng cannot start (is espeak-ng-data installed?): only recorded "
                 "clips are spoken");
        return;
    }
    espeak_SetSynthCallback(synth_cb);
    sp->rate = (unsigned)rate;
    voices_list(sp);
}

/* The next request: speech_render's first, then speech_say's. NULL when told to stop. */
static struct job *next_job(struct speech *sp)
{
    struct job *j = NULL;
    pthread_mutex_lock(&sp->mx);
    while (!sp->stop && !sp->render && !sp->pending)
        pthread_cond_wait(&sp->cv, &sp->mx);
    if (sp->stop) {
        j = NULL;
    } else if (sp->render) {
        j = sp->render;
        sp->render = NULL;
    } else {
        j = sp->pending;
        sp->pending = NULL;
    }
    pthread_mutex_unlock(&sp->mx);
    return j;
}

static void job_finish(struct speech *sp, struct job *j)
{
    pthread_mutex_lock(&sp->mx);
    if (!j->gen) {
        j->done = true; /* speech_render frees it */
        pthread_cond_broadcast(&sp->cv);
        j = NULL;
    } else if (!sp->pending && atomic_load(&sp->gen) == j->gen) {
        atomic_store(&sp->busy, false);
    }
    pthread_mutex_unlock(&sp->mx);
    job_free(j);
}

static void *worker_main(void *arg)
{
    struct speech *sp = arg;
    start_espeak(sp);
    find_clips(sp);
    pthread_mutex_lock(&sp->mx);
    sp->started = true;
    pthread_cond_broadcast(&sp->cv);
    pthread_mutex_unlock(&sp->mx);
    check_clips(sp);
    struct job *j;
    while ((j = next_job(sp))) {
        job_run(sp, j);
        job_finish(sp, j);
    }
    return NULL;
}

/* ---- the API ------------------------------------------------------------------------------- */

int speech_alloc(struct speech **spp, const char *data_dir, speech_out_h *out, void *arg, char *err,
                 size_t errlen)
{
    int rc = 0;
    bool taken = false;
    struct speech *sp = calloc(1, sizeof(*sp));
    if (!sp) {
        rc = ENOMEM;
        goto out;
    }
    if (atomic_exchange(&speech_taken, true)) {
        snprintf(err, errlen, "speech: one speech module per process (espeak-ng is global)");
        rc = EBUSY;
        goto out;
    }
    taken = true;
    if (util_strlcpy(sp->data_dir, data_dir, sizeof(sp->data_dir))) {
        snprintf(err, errlen, "speech: data directory path too long");
        rc = ENAMETOOLONG;
        goto out;
    }
    sp->out = out;
    sp->arg = arg;
    pthread_mutex_init(&sp->mx, NULL);
    pthread_mutex_init(&sp->out_mx, NULL);
    pthread_cond_init(&sp->cv, NULL);
    atomic_init(&sp->gen, 1);
    atomic_init(&sp->busy, false);
    rc = pthread_create(&sp->thread, NULL, worker_main, sp);
    if (rc) {
        snprintf(err, errlen, "speech: cannot start its thread: %s", strerror(rc));
        pthread_cond_destroy(&sp->cv);
        pthread_mutex_destroy(&sp->out_mx);
        pthread_mutex_destroy(&sp->mx);
        goto out;
    }
    pthread_mutex_lock(&sp->mx);
    while (!sp->started)
        pthread_cond_wait(&sp->cv, &sp->mx);
    pthread_mutex_unlock(&sp->mx);
    *spp = sp;
    sp = NULL;
out:
    if (rc == ENOMEM)
        snprintf(err, errlen, "speech: out of memory");
    if (sp) {
        if (taken)
            atomic_store(&speech_taken, false);
        free(sp);
    }
    return rc;
}

void speech_free(struct speech *sp)
{
    if (!sp)
        return;
    speech_cancel(sp);
    pthread_mutex_lock(&sp->mx);
    sp->stop = true;
    pthread_cond_broadcast(&sp->cv);
    pthread_mutex_unlock(&sp->mx);
    pthread_join(sp->thread, NULL);
    job_free(sp->pending);
    pthread_cond_destroy(&sp->cv);
    pthread_mutex_destroy(&sp->out_mx);
    pthread_mutex_destroy(&sp->mx);
    free(sp->voices);
    free(sp);
    atomic_store(&speech_taken, false);
}

/* The items copied, with what the worker needs of lang; NULL when out of memory. */
static struct job *job_make(const struct speech *sp, const struct lang *lang,
                            const struct speech_item *items, unsigned n)
{
    struct job *j = calloc(1, sizeof(*j));
    if (!j || (n && !(j->items = calloc(n, sizeof(*j->items))))) {
        free(j);
        return NULL;
    }
    util_strlcpy(j->voice, speech_voice(sp, lang), sizeof(j->voice));
    if (clips_of(sp, lang))
        snprintf(j->clip_dir, sizeof(j->clip_dir), "%s/assets/speech/%s", sp->data_dir, lang->code);
    for (j->n = 0; j->n < n; j->n++) {
        struct job_item *it = &j->items[j->n];
        it->tag = items[j->n].tag;
        it->text = strdup(items[j->n].text ? items[j->n].text : "");
        it->key = items[j->n].key ? strdup(items[j->n].key) : NULL;
        if (!it->text || (items[j->n].key && !it->key)) {
            j->n++;
            job_free(j);
            return NULL;
        }
    }
    return j;
}

/* A new generation: out is never called again for the requests before it. */
static uint64_t next_gen(struct speech *sp)
{
    pthread_mutex_lock(&sp->out_mx);
    uint64_t g = atomic_load(&sp->gen) + 1;
    atomic_store(&sp->gen, g);
    pthread_mutex_unlock(&sp->out_mx);
    return g;
}

int speech_say(struct speech *sp, const struct lang *lang, const struct speech_item *items,
               unsigned n)
{
    if (speech_source(sp, lang) == SPEECH_NONE)
        return ENOTSUP;
    struct job *j = job_make(sp, lang, items, n);
    if (!j)
        return ENOMEM;
    j->gen = next_gen(sp);
    pthread_mutex_lock(&sp->mx);
    job_free(sp->pending);
    sp->pending = j;
    atomic_store(&sp->busy, true);
    pthread_cond_broadcast(&sp->cv);
    pthread_mutex_unlock(&sp->mx);
    return 0;
}

void speech_cancel(struct speech *sp)
{
    if (!sp)
        return;
    next_gen(sp);
    pthread_mutex_lock(&sp->mx);
    job_free(sp->pending);
    sp->pending = NULL;
    atomic_store(&sp->busy, false);
    pthread_mutex_unlock(&sp->mx);
}

bool speech_busy(const struct speech *sp)
{
    return sp && atomic_load(&sp->busy);
}

int speech_render(struct speech *sp, const struct lang *lang, const struct speech_item *items,
                  unsigned n, speech_out_h *out, void *arg)
{
    if (speech_source(sp, lang) == SPEECH_NONE)
        return ENOTSUP;
    struct job *j = job_make(sp, lang, items, n);
    if (!j)
        return ENOMEM;
    j->gen = 0;
    j->out = out;
    j->arg = arg;
    pthread_mutex_lock(&sp->mx);
    while (sp->render) /* another caller's, waiting to be taken */
        pthread_cond_wait(&sp->cv, &sp->mx);
    sp->render = j;
    pthread_cond_broadcast(&sp->cv);
    while (!j->done)
        pthread_cond_wait(&sp->cv, &sp->mx);
    pthread_mutex_unlock(&sp->mx);
    job_free(j);
    return 0;
}
