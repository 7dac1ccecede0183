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
build/openline run --config "$conf" $mode
status=$?
[ $demo = 1 ] && tools/demo-hotline.sh stop
[ $collector = 1 ] && tools/demo-collector.sh stop
exit $status
