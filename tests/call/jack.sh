#!/bin/sh
# The real PortAudio path: JACK's dummy driver as the sound card, a 440 Hz source (jack_metro)
# into the kiosk's input, jack_rec on its output, baresip sending 1000 Hz at the other end.
#   tests/call/jack.sh TMPDIR      (called by tests/call/run.sh; exits non-zero on failure)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_jack_sub_setup jack-run test "$1"

# JACK keeps a registry of servers in /dev/shm with a few slots; servers killed hard (an
# interrupted run) leave theirs taken. With no jackd running at all, every entry is stale.
if ! pgrep -x jackd >/dev/null 2>&1 && ! pgrep -x jackdbus >/dev/null 2>&1; then
    rm -rf /dev/shm/jack-shm-registry /dev/shm/jack_openline-test-* /dev/shm/jack_sem.*_openline-test-* \
        2>/dev/null
fi
ol_jackd_start || exit 1

port=$(ol_freeport)
ol_baresip_start callee $port tone=1000 codec=opus || exit 1
printf '[organisation]\nname = T\nhotline = +1 555 0100\n[audio]\ndriver = portaudio\n' \
    >"$T/pa.conf"
"$OL_BIN" call --config "$T/pa.conf" --seconds 5 "sip:callee@127.0.0.1:$port" \
    >"$T/call.log" 2>"$T/call.err" &
kpid=$!
ol_track $kpid
n=0
while ! grep -q connected "$T/call.log" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
grep -q connected "$T/call.log" || { echo "      no call:"; cat "$T/call.log" "$T/call.err" | grep -v '^ALSA'; exit 1; }

jack_metro -n tone440 -f 440 -A 0.4 -b 60 -D 990 -a 1 -d 1 >/dev/null 2>&1 &
ol_track $!
sleep 0.3
src=$(jack_lsp | grep '^tone440:' | head -n 1)
kin=$(jack_lsp | grep '^PortAudio.*in' | head -n 1)
kout=$(jack_lsp | grep '^PortAudio.*out' | head -n 1)
echo "      JACK ports: $src -> $kin; recording $kout"
jack_connect "$src" "$kin" || exit 1
jack_rec -f "$T/kiosk-out.wav" -d 3 "$kout" >/dev/null 2>&1
ol_wait_pid $kpid 10
rc=$?
ol_baresip_stop callee
sed 's/^/      /' "$T/call.log"
status=0
[ $rc = 0 ] || { echo "      openline call exit $rc"; status=1; }
"$OL_TONE" check "$T/kiosk-out.wav" 1000 0.5 2.5 | sed 's/^/      loudspeaker: /' || status=1
rec=$(ol_baresip_received callee)
[ -n "$rec" ] || { echo "      the callee recorded nothing"; exit 1; }
"$OL_TONE" check "$rec" 440 2 4 | sed 's/^/      callee: /' || status=1
# sed hides check's status: ask again
"$OL_TONE" check "$T/kiosk-out.wav" 1000 0.5 2.5 >/dev/null && "$OL_TONE" check "$rec" 440 2 4 >/dev/null || status=1
exit $status
