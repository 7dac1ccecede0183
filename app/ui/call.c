/* The UI side of calls: dialling, hanging up, and events from the call thread.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "openline/clock.h"
#include "ui_int.h"

/* The SDL event type carrying call events; registered once by ui_alloc(). */
static Uint32 ui_call_sdl_event = (Uint32)-1;

Uint32 ui_call_event_type(void)
{
    if (ui_call_sdl_event == (Uint32)-1)
        ui_call_sdl_event = SDL_RegisterEvents(1);
    return ui_call_sdl_event;
}

void ui_call_event_h(const struct call_event *ev, void *arg)
{
    /* Call thread: copy the event and hand it to the UI thread (SDL_PushEvent is thread-safe).
     * The UI frees the copy. */
    (void)arg;
    struct call_event *copy = malloc(sizeof(*copy));
    if (!copy)
        return;
    *copy = *ev;
    SDL_Event e = {0};
    e.type = ui_call_sdl_event;
    e.user.data1 = copy;
    if (SDL_PushEvent(&e) <= 0)
        free(copy);
}

void ui_call_drain_events(void)
{
    SDL_Event ev[16];
    int n;
    if (ui_call_sdl_event == (Uint32)-1)
        return;
    while ((n = SDL_PeepEvents(ev, 16, SDL_GETEVENT, ui_call_sdl_event, ui_call_sdl_event)) > 0) {
        for (int i = 0; i < n; i++)
            free(ev[i].user.data1);
    }
}

void ui_set_call_engine(struct ui *ui, const struct call_api *api, struct call_engine *e)
{
    ui->call_api = api;
    ui->call = e;
    atomic_store(&ui->speech_e, e); /* after call_api: the speech worker reads both */
    ui->relayout = true;            /* call-info shows the Call button only when calls work */
}

bool ui_calls_available(const struct ui *ui)
{
    if (ui->calls_posed)
        return true;
    return ui->call && ui->cfg->hotline.uri[0] && ui->call_api->audio_ok(ui->call);
}

/* A failed call is counted (call.failed), never logged: a log line is time-stamped by the
 * journal and would say when someone stood at the kiosk (docs/design.md 2.2). The engine's own
 * health (audio device, registration) reaches technicians through self-test and the heartbeat. */
static void call_fail(struct ui *ui, enum call_failure why)
{
    counts_add(ui->counts, COUNTS_CALL_FAILED);
    ui->s.call_active = false;
    ui->s.call = (struct call_event){.state = CALL_STATE_FAILED, .failure = why};
    ui->s.call_since_ms = clock_now_ms();
    ui_switch(ui, &ui_screen_call_failed);
}

void ui_call_dial(struct ui *ui)
{
    if (!ui_hotline_open(ui)) { /* closed since the screen was laid out: never ring out */
        ui->relayout = true;
        return;
    }
    counts_add(ui->counts, COUNTS_CALL_ATTEMPTED);
    if (!ui_calls_available(ui) || !ui->call) { /* call NULL: a snapshot's pose */
        call_fail(ui, CALL_FAIL_AUDIO);
        return;
    }
    ui_read_stop(ui); /* speech stops before the call opens the audio device */
    ui->s.call = (struct call_event){.state = CALL_STATE_CONNECTING};
    ui->s.call_since_ms = clock_now_ms();
    ui->s.keypad_open = false;
    int err = ui->call_api->dial(ui->call, ui_lang(ui)->code, NULL);
    if (err) {
        call_fail(ui, CALL_FAIL_UNREACHABLE);
        return;
    }
    ui->s.call_active = true;
    if (ui->s.volume)
        ui->call_api->volume(ui->call, ui->s.volume);
    ui_switch(ui, &ui_screen_call);
}

void ui_call_hangup(struct ui *ui)
{
    if (!ui->s.call_active)
        return;
    /* BYE (or CANCEL) goes out from the call thread at once; the engine also stops the audio,
     * closes the microphone and restores the configured volume. */
    ui->call_api->hangup(ui->call);
    ui->s.call_active = false;
    ui->s.call.state = CALL_STATE_ENDED;
    ui->s.call_since_ms = clock_now_ms();
    ui->dirty = true;
}

void ui_call_on_event(struct ui *ui, const struct call_event *ev)
{
    if (ev->availability) { /* an audio device came or went: the Call button, or the number */
        ui->relayout = true;
        ui->dirty = true;
        return;
    }
    if (!ui->s.call_active)
        return; /* the visitor already hung up or left: a late event of that call */
    ui->s.call = *ev;
    ui->s.call_since_ms = clock_now_ms();
    ui->dirty = true;
    switch (ev->state) {
    case CALL_STATE_ENDED:
        ui->s.call_active = false;
        break;
    case CALL_STATE_FAILED:
        call_fail(ui, ev->failure);
        break;
    case CALL_STATE_CONNECTED:
        counts_add(ui->counts, COUNTS_CALL_CONNECTED);
        if (ui->screen != &ui_screen_call && ui->screen != &ui_screen_idle_warning)
            ui_switch(ui, &ui_screen_call);
        break;
    default:
        if (ui->screen != &ui_screen_call && ui->screen != &ui_screen_idle_warning)
            ui_switch(ui, &ui_screen_call);
        break;
    }
}
