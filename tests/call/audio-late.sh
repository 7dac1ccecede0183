#!/bin/sh
# Audio devices that come and go, through the kiosk's screens (openline play, real clock):
# 1. the kiosk starts with no audio device (no sound card, no JACK server): the call screen
#    shows the number, no Call button;
# 2. JACK's dummy driver starts, as a USB handset enumerated late would appear: within the
#    probe interval the Call button appears and a call to baresip connects;
# 3. the JACK server stops, as a handset unplugged: the next call fails for want of audio and
#    the number comes back, without Retry.
#   tests/call/audio-late.sh TMPDIR      (called by tests/call/run.sh; exits non-zero on failure)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_jack_sub_setup audio-late late "$1"

port=$(ol_freeport)
ol_baresip_start late "$port" seconds=90 || exit 1
printf '[organisation]\nname = T\nhotline = +1 555 0100\n[paths]\ndata_dir = %s\n' "$PWD" >"$T/k.conf"
printf '[hotline]\nuri = sip:callee@127.0.0.1:%s\n[audio]\ndriver = portaudio\n' "$port" >>"$T/k.conf"
cat >"$T/late.play" <<'SCRIPT'
tap 600 400
tap @lang-en
tap @tile-call
expect screen call-info
expect no-widget dial
snapshot @T@/no-device.png
mark no-device
wait-for widget dial 30000
mark device
snapshot @T@/device.png
tap @dial
wait-for screen call 3000
wait 1500
expect call connected
tap @hangup
wait 500
mark hung-up
wait 4000
tap @home
tap @tile-call
expect screen call-info
tap @dial
wait-for screen call-failed 5000
expect no-widget retry
tap @home
tap @tile-call
expect no-widget dial
snapshot @T@/gone.png
SCRIPT
sed -i "s|@T@|$T|" "$T/late.play"
SDL_VIDEODRIVER=offscreen "$OL_BIN" play --config "$T/k.conf" --script "$T/late.play" \
    >"$T/play.out" 2>"$T/play.err" &
kpid=$!
ol_track $kpid
wait_mark() { # NAME SECONDS
    n=0
    while ! grep -q "^mark $1 " "$T/play.out" 2>/dev/null && [ $n -lt $(($2 * 10)) ]; do sleep 0.1; n=$((n + 1)); done
    grep -q "^mark $1 " "$T/play.out" 2>/dev/null
}
status=0
if wait_mark no-device 20; then
    echo "      no device at start: the call screen shows the number"
    ol_jackd_start
    t0=$(date +%s.%N)
    if wait_mark device 30; then
        t1=$(date +%s.%N)
        echo "      JACK started: Call button after $(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s"
    fi
    if wait_mark hung-up 20; then
        ol_jackd_stop
        echo "      JACK stopped after the call"
    fi
fi
ol_wait_pid $kpid 60
rc=$?
ol_baresip_stop late
if [ $rc != 0 ]; then
    echo "      play exit $rc:"
    grep -v -e '^ALSA' "$T/play.out" "$T/play.err" | tail -15 | sed 's/^/      /'
    status=1
fi
if grep -q "calls are available again" "$T/play.err" &&
    grep -q "audio device: .*calls are unavailable on this kiosk until a device answers" "$T/play.err"; then
    echo "      log: $(grep -o 'audio: .*calls are available again' "$T/play.err" | cut -c1-100)"
else
    echo "      the log does not say that the device came and went:"
    grep audio "$T/play.err" | sed 's/^/      /'
    status=1
fi
if grep -q -e "Cannot connect to server" -e "JackShm" "$T/play.err"; then
    echo "      JACK's messages reached stderr"
    status=1
fi
exit $status
