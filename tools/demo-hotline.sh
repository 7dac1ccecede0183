#!/bin/sh
# The demo hotline for `make run`: baresip on 127.0.0.1:5070 answering every call at once and
# playing build/demo/greeting.wav (spoken by espeak-ng at build time). Nothing is recorded.
#   tools/demo-hotline.sh start | stop | status
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/.."
port=${OPENLINE_DEMO_PORT:-5070}
dir=build/demo/baresip
pidfile=build/demo/baresip.pid
greeting=$PWD/build/demo/greeting.wav

running() {
    [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

case "${1:-}" in
start)
    running && exit 0
    command -v baresip >/dev/null 2>&1 || { echo "demo hotline: baresip missing (make deps)" >&2; exit 1; }
    [ -f "$greeting" ] || { echo "demo hotline: $greeting missing (make)" >&2; exit 1; }
    mkdir -p "$dir"
    cat >"$dir/config" <<CONF
poll_method epoll
sip_listen 127.0.0.1:$port
net_interface 127.0.0.1
audio_player alsa,null
audio_alert alsa,null
audio_source aufile,$greeting
ausrc_srate 48000
ausrc_channels 2
auplay_srate 48000
module_path /usr/lib/baresip/modules
module g711.so
module opus.so
module aufile.so
module alsa.so
module srtp.so
module_app account.so
CONF
    echo "<sip:hotline@127.0.0.1>;regint=0;answermode=auto" >"$dir/accounts"
    # Stops by itself after 8 hours at the latest.
    baresip -f "$PWD/$dir" -t 28800 </dev/null >"$dir/log" 2>&1 &
    echo $! >"$pidfile"
    i=0
    until grep -q "baresip is ready" "$dir/log" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 100 ] || ! running; then
            echo "demo hotline: baresip did not start:" >&2
            cat "$dir/log" >&2
            exit 1
        fi
        sleep 0.05
    done
    echo "demo hotline: sip:hotline@127.0.0.1:$port answers and plays the greeting"
    ;;
stop)
    if running; then
        kill "$(cat "$pidfile")"
        echo "demo hotline: stopped"
    fi
    rm -f "$pidfile"
    ;;
status)
    running && echo "demo hotline: running (pid $(cat "$pidfile"))" || { echo "demo hotline: stopped"; exit 1; }
    ;;
*)
    echo "usage: tools/demo-hotline.sh start | stop | status" >&2
    exit 2
    ;;
esac
