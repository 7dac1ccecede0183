/* The real audio driver: PortAudio, one full-duplex mono 16-bit stream (output only for speech
 * outside calls).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>
#include <jack/jack.h>
#include <portaudio.h>

#include "audio_int.h"
#include "openline/log.h"

/* PortAudio's JACK host API asserts (abort()) in Pa_Terminate when the JACK server it was
 * connected to has stopped. Then PortAudio is left initialized, and cannot be started again
 * until the program restarts: this says so instead of crashing. Process-wide, like PortAudio. */
static bool pa_stuck;

struct priv {
    bool initialized; /* Pa_Initialize succeeded: Pa_Terminate owed */
    PaDeviceIndex in_dev;
    PaDeviceIndex out_dev;
    PaStream *stream;
    _Atomic pid_t callback_tid; /* set by the first callback of a stream (rt_boost_callback) */
};

/* The realtime callback: only the rings (audio_dev_process). */
static int pa_callback(const void *input, void *output, unsigned long frames,
                       const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags, void *arg)
{
    struct audio_dev *dev = arg;
    struct priv *p = dev->priv;
    /* Once per stream, for rt_boost_callback(): gettid() neither blocks nor allocates. */
    if (!atomic_load_explicit(&p->callback_tid, memory_order_relaxed))
        atomic_store_explicit(&p->callback_tid, gettid(), memory_order_relaxed);
    audio_dev_process(arg, input, output, frames);
    return paContinue;
}

/* First device whose name contains `want` (case-insensitive) with channels in that direction;
 * the default device when want is empty. */
static PaDeviceIndex find_device(const char *want, bool input)
{
    if (!*want)
        return input ? Pa_GetDefaultInputDevice() : Pa_GetDefaultOutputDevice();
    int n = Pa_GetDeviceCount();
    size_t wl = strlen(want);
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
        if (!info || (input ? info->maxInputChannels : info->maxOutputChannels) < 1)
            continue;
        for (const char *s = info->name; *s; s++) {
            if (!strncasecmp(s, want, wl))
                return i;
        }
    }
    return paNoDevice;
}

static void stream_params(PaStreamParameters *sp, PaDeviceIndex dev, bool input)
{
    const PaDeviceInfo *info = Pa_GetDeviceInfo(dev);
    memset(sp, 0, sizeof(*sp));
    sp->device = dev;
    sp->channelCount = 1;
    sp->sampleFormat = paInt16;
    sp->suggestedLatency = input ? info->defaultLowInputLatency : info->defaultLowOutputLatency;
}

/* ALSA prints dozens of lines while PortAudio probes absent cards; the reason that matters is
 * reported by PortAudio itself. */
static void alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt,
                       ...)
{
}

/* JACK prints a few lines to stderr each time PortAudio looks for a JACK server that is not
 * running, which the device probe does every 10 s while no device works: debug log instead. */
static void jack_quiet(const char *msg)
{
    log_debug("JACK: %s", msg);
}

static int pa_init(struct audio_dev *dev, char *err, size_t errlen)
{
    struct priv *p = dev->priv;
    const char *want = dev->cfg->audio.device;
    PaStreamParameters in, out;
    PaError pe;

    if (pa_stuck) {
        snprintf(err, errlen,
                 "the JACK server stopped while PortAudio used it; audio comes back "
                 "when the kiosk restarts");
        return ENODEV;
    }
    snd_lib_error_set_handler(alsa_quiet);
    jack_set_error_function(jack_quiet);
    jack_set_info_function(jack_quiet);
    pe = Pa_Initialize();
    if (pe != paNoError) {
        snprintf(err, errlen, "PortAudio: %s", Pa_GetErrorText(pe));
        return ENODEV;
    }
    p->initialized = true;
    if (Pa_GetDeviceCount() <= 0) {
        snprintf(err, errlen, "no audio device (PortAudio found none)");
        return ENODEV;
    }
    p->in_dev = find_device(want, true);
    p->out_dev = find_device(want, false);
    if (p->in_dev == paNoDevice || p->out_dev == paNoDevice) {
        snprintf(err, errlen, "no %s device%s%s%s", p->in_dev == paNoDevice ? "input" : "output",
                 *want ? " named like '" : "", want, *want ? "'" : "");
        return ENODEV;
    }
    stream_params(&in, p->in_dev, true);
    stream_params(&out, p->out_dev, false);
    /* 48 kHz first (JACK runs there; the stream must match the server), else the device's own. */
    dev->rate = 48000;
    if (Pa_IsFormatSupported(&in, &out, dev->rate) != paFormatIsSupported) {
        dev->rate = (unsigned)Pa_GetDeviceInfo(p->out_dev)->defaultSampleRate;
        pe = Pa_IsFormatSupported(&in, &out, dev->rate);
        if (pe != paFormatIsSupported) {
            snprintf(err, errlen, "%s / %s: %s", Pa_GetDeviceInfo(p->in_dev)->name,
                     Pa_GetDeviceInfo(p->out_dev)->name, Pa_GetErrorText(pe));
            return ENODEV;
        }
    }
    const PaHostApiInfo *api = Pa_GetHostApiInfo(Pa_GetDeviceInfo(p->in_dev)->hostApi);
    snprintf(dev->name, sizeof(dev->name), "%s: in '%s', out '%s'", api ? api->name : "?",
             Pa_GetDeviceInfo(p->in_dev)->name, Pa_GetDeviceInfo(p->out_dev)->name);
    return 0;
}

/* PortAudio's ALSA host API makes its callback thread SCHED_FIFO only when asked
 * (PaAlsa_EnableRealtimeScheduling), and then at priority 1 with pthread_setschedparam: no
 * rtkit, and children of the thread would inherit it. Its JACK host API calls back on JACK's
 * own thread, which the JACK server already runs real-time at its own priority. So for ALSA
 * the callback thread is boosted from here, like the wav driver's thread, once it has run. */
static void rt_boost_callback(struct audio_dev *dev)
{
    struct priv *p = dev->priv;
    const PaHostApiInfo *api = Pa_GetHostApiInfo(Pa_GetDeviceInfo(p->out_dev)->hostApi);
    struct timespec ms = {0, 1000000};
    char why[320];
    pid_t tid = 0;

    if (!api || api->type != paALSA)
        return;
    for (int i = 0; i < 200 && !(tid = atomic_load(&p->callback_tid)); i++)
        nanosleep(&ms, NULL);
    if (!tid)
        return; /* no callback within 200 ms: nothing to boost yet, the stream goes on */
    int policy = sched_getscheduler(tid);
    if (policy == SCHED_FIFO || policy == SCHED_RR)
        return;
    audio_rt_report(audio_rt_boost_tid(tid, "PortAudio's callback thread", AUDIO_RT_PRIO_DEVICE,
                                       why, sizeof(why)),
                    why);
}

static int pa_start(struct audio_dev *dev, char *err, size_t errlen)
{
    struct priv *p = dev->priv;
    PaStreamParameters in, out;
    PaError pe;

    stream_params(&in, p->in_dev, true);
    stream_params(&out, p->out_dev, false);
    /* Playback only (speech outside calls): no input parameters, so the microphone stays
     * closed and the callback's input is NULL. */
    pe = Pa_OpenStream(&p->stream, dev->mic ? &in : NULL, &out, dev->rate,
                       paFramesPerBufferUnspecified, paClipOff, pa_callback, dev);
    if (pe != paNoError) {
        snprintf(err, errlen, "cannot open the audio device: %s", Pa_GetErrorText(pe));
        p->stream = NULL;
        return ENODEV;
    }
    const PaStreamInfo *si = Pa_GetStreamInfo(p->stream);
    if (si) {
        dev->in_latency_us = dev->mic ? (unsigned)(si->inputLatency * 1e6) : 0;
        dev->out_latency_us = (unsigned)(si->outputLatency * 1e6);
    }
    atomic_store(&p->callback_tid, 0);
    pe = Pa_StartStream(p->stream);
    if (pe != paNoError) {
        snprintf(err, errlen, "cannot start the audio device: %s", Pa_GetErrorText(pe));
        Pa_CloseStream(p->stream);
        p->stream = NULL;
        return ENODEV;
    }
    rt_boost_callback(dev);
    return 0;
}

static void pa_stop(struct audio_dev *dev)
{
    struct priv *p = dev->priv;
    if (!p->stream)
        return;
    Pa_StopStream(p->stream);
    Pa_CloseStream(p->stream);
    p->stream = NULL;
}

/* True when PortAudio uses JACK and no JACK server answers any more (see pa_stuck). */
static bool jack_server_gone(void)
{
    if (Pa_HostApiTypeIdToHostApiIndex(paJACK) < 0)
        return false; /* no JACK server when PortAudio started: it holds no JACK client */
    jack_status_t st;
    jack_client_t *c = jack_client_open("openline-check", JackNoStartServer, &st);
    if (!c)
        return true;
    jack_client_close(c);
    return false;
}

static void pa_uninit(struct audio_dev *dev)
{
    struct priv *p = dev->priv;
    if (p->initialized) {
        if (jack_server_gone()) {
            log_warn("audio: the JACK server stopped while in use; PortAudio stays as it is "
                     "until the kiosk restarts");
            pa_stuck = true;
        } else {
            Pa_Terminate();
        }
    }
    p->initialized = false;
}

const struct audio_driver audio_driver_portaudio = {
    .name = "portaudio",
    .priv_size = sizeof(struct priv),
    .init = pa_init,
    .start = pa_start,
    .stop = pa_stop,
    .uninit = pa_uninit,
};
