#!/bin/sh
# make run: the kiosk with the bundled content and the example configuration, a demo hotline
# and a demo collector on this computer (its counts on a dashboard at http://127.0.0.1:PORT/).
#   KIOSK=1 make run   fullscreen kiosk mode
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/.."
conf=assets/openline.conf.example
mode=--windowed
[ "${KIOSK:-0}" = 1 ] && mode=--kiosk
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${SDL_VIDEODRIVER:-}" ]; then
    cat >&2 <<'MSG'
make run: no display (DISPLAY and WAYLAND_DISPLAY are not set).
  Run it in a virtual X server:      xvfb-run -a make run
  Render a screen to a PNG instead:  build/openline snapshot --screen home \
                                       --config assets/openline.conf.example --out home.png
  Drive it headless with a script:   build/openline play --script tests/flow/visit.play \
                                       --config assets/openline.conf.example
MSG
    exit 1
fi
# No sound card (a server, a virtual machine): JACK's dummy back-end stands in for one, as in the
# tests (docs/design.md 5), so that the demo still places its call through PortAudio; nothing
# is heard and the microphone hears silence.
jack_pid=
if ! grep -q '^ *[0-9]' /proc/asound/cards 2>/dev/null && command -v jackd >/dev/null 2>&1 &&
    grep -Eq '^[[:space:]]*driver[[:space:]]*=[[:space:]]*portaudio' "$conf"; then
    mkdir -p build/demo
    JACK_DEFAULT_SERVER=openline-demo-$$
    JACK_NO_START_SERVER=1
    export JACK_DEFAULT_SERVER JACK_NO_START_SERVER
    jackd --no-realtime -d dummy -r 48000 -p 960 >build/demo/jackd.log 2>&1 &
    jack_pid=$!
    if jack_wait -w -t 5 >/dev/null 2>&1; then
        echo "make run: this computer has no sound card: calls go through JACK's dummy sound" \
            "server. The demo call is placed and connects, but no sound will be heard, and" \
            "the microphone hears silence." >&2
    else
        echo "make run: no sound card, and JACK's dummy server did not start" \
            "(build/demo/jackd.log): calls are unavailable in this run" >&2
        kill $jack_pid 2>/dev/null
        jack_pid=
    fi
fi
# The demo hotline (tools/demo-hotline.sh) when the configuration calls it, for this run only.
demo=0
if grep -Eq '^[[:space:]]*uri[[:space:]]*=[[:space:]]*sip:[^@]*@127\.0\.0\.1:5070' "$conf"; then
    tools/demo-hotline.sh start && demo=1
fi
# The demo collector (tools/demo-collector.sh): the example configuration plus [counts].
collector=0
if tools/demo-collector.sh start; then
    collector=1
    conf=build/demo/openline.conf
else
    echo "make run: without the demo collector, this run counts nothing" >&2
fi
# Ctrl-C stops the kiosk (it exits 0); this script goes on to stop what it started.
trap : INT TERM
build/openline run --config "$conf" $mode
status=$?
[ $demo = 1 ] && tools/demo-hotline.sh stop
[ $collector = 1 ] && tools/demo-collector.sh stop
[ -n "$jack_pid" ] && kill $jack_pid 2>/dev/null && wait $jack_pid 2>/dev/null
exit $status
