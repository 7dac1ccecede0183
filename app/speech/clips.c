/* Recorded clips: <data_dir>/assets/speech/<lang>/<key>.opus or .wav, decoded to mono PCM.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <opusfile.h>
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "openline/log.h"
#include "openline/util.h"
#include "speech_int.h"

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && !strcmp(s + n - k, suffix);
}

bool speech_clip_dir_used(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool used = false;
    if (!d)
        return false;
    while (!used && (e = readdir(d)))
        used = has_suffix(e->d_name, ".opus") || has_suffix(e->d_name, ".wav");
    closedir(d);
    return used;
}

/* A clip name from speech_key() (or a studio's own): it becomes a file name, so nothing that
 * could leave the folder. */
static bool key_ok(const char *key)
{
    if (!key[0] || strlen(key) > 64)
        return false;
    for (const char *c = key; *c; c++) {
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || *c == '-'))
            return false;
    }
    return true;
}

/* libopusfile decodes every Ogg Opus at 48000 Hz; op_read_stereo downmixes any channel count to
 * stereo, which is then averaged to mono. */
static int load_opus(const char *path, struct speech_pcm *out)
{
    int e = 0;
    OggOpusFile *of = op_open_file(path, &e);
    int16_t *pcm = NULL, buf[2 * 5760];
    size_t n = 0, cap = 0;
    int rc = 0;
    if (!of)
        return EIO;
    for (;;) {
        int got = op_read_stereo(of, buf, (int)ARRAY_SIZE(buf));
        if (got < 0) {
            rc = EIO;
            goto out;
        }
        if (got == 0)
            break;
        int16_t *p = util_grow(pcm, &cap, n + (size_t)got, sizeof(*pcm), 48000);
        if (!p) {
            rc = ENOMEM;
            goto out;
        }
        pcm = p;
        for (int i = 0; i < got; i++)
            pcm[n++] = (int16_t)(((int)buf[2 * i] + buf[2 * i + 1]) / 2);
    }
    if (!n)
        rc = EIO;
out:
    op_free(of);
    if (rc) {
        free(pcm);
        return rc;
    }
    out->pcm = pcm;
    out->n = n;
    out->rate = 48000;
    return 0;
}

/* SDL reads the RIFF container (the kiosk links SDL already); only 16-bit PCM is a clip. */
static int load_wav(const char *path, struct speech_pcm *out)
{
    SDL_AudioSpec spec;
    Uint8 *data = NULL;
    Uint32 len = 0;
    if (!SDL_LoadWAV_RW(SDL_RWFromFile(path, "rb"), 1, &spec, &data, &len))
        return EIO;
    int rc = 0;
    unsigned ch = spec.channels;
    size_t frames = ch ? len / (2 * ch) : 0;
    int16_t *pcm = NULL;
    if (spec.format != AUDIO_S16SYS || !ch || !frames || spec.freq <= 0) {
        rc = EIO;
        goto out;
    }
    pcm = malloc(frames * sizeof(*pcm));
    if (!pcm) {
        rc = ENOMEM;
        goto out;
    }
    const int16_t *in = (const int16_t *)data;
    for (size_t f = 0; f < frames; f++) {
        long sum = 0;
        for (unsigned c = 0; c < ch; c++)
            sum += in[f * ch + c];
        pcm[f] = (int16_t)(sum / (long)ch);
    }
    out->pcm = pcm;
    out->n = frames;
    out->rate = (unsigned)spec.freq;
out:
    SDL_FreeWAV(data);
    return rc;
}

int speech_clip_load(const char *dir, const char *key, struct speech_pcm *pcm)
{
    static const struct {
        const char *ext;
        int (*load)(const char *path, struct speech_pcm *out);
    } kinds[] = {{"opus", load_opus}, {"wav", load_wav}};
    char path[PATH_MAX];
    struct stat st;
    if (!key || !key_ok(key))
        return ENOENT;
    for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
        snprintf(path, sizeof(path), "%s/%s.%s", dir, key, kinds[k].ext);
        if (stat(path, &st))
            continue;
        return kinds[k].load(path, pcm);
    }
    return ENOENT;
}

unsigned speech_clip_check(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned bad = 0;
    if (!d)
        return 0;
    while ((e = readdir(d))) {
        char key[80];
        bool opus = has_suffix(e->d_name, ".opus");
        if (!opus && !has_suffix(e->d_name, ".wav"))
            continue;
        size_t n = strlen(e->d_name) - (opus ? 5 : 4);
        if (n >= sizeof(key))
            n = sizeof(key) - 1;
        memcpy(key, e->d_name, n);
        key[n] = '\0';
        struct speech_pcm pcm = {0};
        int rc = key_ok(key) ? speech_clip_load(dir, key, &pcm) : EINVAL;
        if (rc == EIO || rc == EINVAL) {
            log_warn("speech: %s/%s is not a clip (%s), its sentence is synthesised instead", dir,
                     e->d_name,
                     rc == EINVAL ? "name: [0-9a-z-] only"
                     : opus       ? "not Ogg Opus"
                                  : "not 16-bit PCM WAV");
            bad++;
        }
        free(pcm.pcm);
    }
    closedir(d);
    return bad;
}
