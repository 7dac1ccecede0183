#!/bin/sh
# Every openline command that can run long ends promptly on SIGTERM and on SIGINT: within 1.5 s
# of the signal (timeout -s TERM / -s INT, never -s KILL), with the status README gives: `run`
# stops cleanly and exits 0; the others clean up (a call hung up, threads stopped) and end by the
# signal, which a shell reports as 143 (SIGTERM) or 130 (SIGINT). Commands that finish in a
# fraction of a second (render, i18n-report, pot-content, config-reference) are not run here.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
bin=${OPENLINE_BIN:-build/openline}
conf=assets/openline.conf.example
tmp=$(mktemp -d "${TMPDIR:-/tmp}/openline-signals.XXXXXX")
peer=
cleanup() {
    [ -n "$peer" ] && kill "$peer" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software
failed=0

# stop SIG WANT NAME CMD...: CMD under timeout, which sends SIG 1 s after the start; ok when CMD
# was still running then, ended within 1.5 s of the signal and its status is WANT ("signal": the
# signal's own, 128 + its number).
stop() {
    sig=$1 want=$2 name=$3
    shift 3
    case $want in signal) [ "$sig" = TERM ] && want=143 || want=130 ;; esac
    start=$(date +%s%N)
    timeout --preserve-status -k 10 -s "$sig" 1 "$@" >"$tmp/out" 2>&1
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000 - 1000))
    if [ $ms -lt 0 ]; then
        echo "FAIL $name, SIG$sig: ended by itself before the signal (exit $rc); the test means nothing"
        sed 's/^/     /' "$tmp/out" | tail -5
        failed=1
    elif [ $ms -le 1500 ] && [ $rc -eq "$want" ]; then
        echo "ok   $name: SIG$sig ends it in $ms ms, exit $rc"
    else
        echo "FAIL $name: SIG$sig: exit $rc after $ms ms (wanted $want within 1500 ms)"
        sed 's/^/     /' "$tmp/out" | tail -5
        failed=1
    fi
}

# A peer that takes SIP over UDP and never answers, so that a call stays "connecting".
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
time.sleep(120)' >"$tmp/port" &
peer=$!
n=0
while [ ! -s "$tmp/port" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
port=$(cat "$tmp/port")
# self-test waits connect_timeout for a hotline that never answers
sed "s|^uri = .*|uri = sip:hotline@127.0.0.1:$port|; s|^connect_timeout = .*|connect_timeout = 30s|" \
    $conf >"$tmp/slow.conf"
printf 'tap 600 400\nsleep 30000\nexpect screen attract\n' >"$tmp/long.play"
# snapshot writes its PNG into a FIFO no one reads: it waits there, after its screen is drawn
mkfifo "$tmp/fifo.png"
# speech-play plays 5 s of it
sox -q -n -r 16000 -c 1 -b 16 "$tmp/speech.wav" synth 5 sine 300

for sig in TERM INT; do
    stop $sig 0 "run --windowed" $bin run --windowed --config $conf
    stop $sig 0 "run --kiosk" $bin run --kiosk --config $conf
    stop $sig signal "play (a call engine started, sleep 30000)" \
        $bin play --config "$tmp/slow.conf" --script "$tmp/long.play"
    stop $sig signal "snapshot (waiting to write its PNG)" \
        $bin snapshot --config $conf --screen home --out "$tmp/fifo.png"
    stop $sig signal "check-layout (every screen in every language)" \
        $bin check-layout --config $conf --size 3840x2160
    stop $sig signal "self-test (a hotline that never answers)" $bin self-test --config "$tmp/slow.conf"
    stop $sig signal "call (connecting to a hotline that never answers)" \
        $bin call --audio null --config "$tmp/slow.conf"
    stop $sig signal "speech-play (5 s of speech)" $bin speech-play --audio null "$tmp/speech.wav"
done
exit $failed
