#!/bin/sh
# Read-aloud through the real PortAudio driver under JACK's dummy driver: the kiosk's stream is
# output only (JACK lists no input port of it: the microphone stays closed), and jack_rec on
# its output hears espeak-ng's speech (normalized cross-correlation, tests/call/tone.c corr).
#   tests/call/jack-speech.sh TMPDIR      (called by tests/call/run.sh; exits non-zero on failure)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_jack_sub_setup jack-speech speech "$1"
ol_jackd_start || exit 1

espeak-ng -v en -w "$T/speech.wav" \
    "Your employer may not keep your passport. You do not have to give your name." || exit 1
printf '[organisation]\nname = T\nhotline = +1 555 0100\n[audio]\ndriver = portaudio\nvolume = 100\n' \
    >"$T/pa.conf"
"$OL_BIN" speech-play --config "$T/pa.conf" --linger 2500 "$T/speech.wav" \
    >"$T/speech.log" 2>"$T/speech.err" &
kpid=$!
ol_track $kpid
n=0
while ! jack_lsp 2>/dev/null | grep -q '^PortAudio' && [ $n -lt 100 ]; do sleep 0.02; n=$((n + 1)); done
ports=$(jack_lsp 2>/dev/null | grep '^PortAudio')
kout=$(echo "$ports" | grep 'out' | head -n 1)
[ -n "$kout" ] || { echo "      no PortAudio output port:"; cat "$T/speech.log" "$T/speech.err"; exit 1; }
jack_rec -f "$T/out.wav" -d 4 "$kout" >/dev/null 2>&1
ol_wait_pid $kpid 10
rc=$?
sed 's/^/      /' "$T/speech.log"
echo "      JACK ports of the kiosk while it spoke: $(echo "$ports" | tr '\n' ' ')"
status=0
[ $rc = 0 ] || { echo "      openline speech-play exit $rc"; status=1; }
if echo "$ports" | grep -q 'in'; then
    echo "      the kiosk opened an input port for read-aloud"
    status=1
fi
# From 1 s into the speech: the recording starts once the port is seen.
"$OL_TONE" corr "$T/out.wav" "$T/speech.wav" 1 3 >"$T/corr.out" 2>&1
sed 's/^/      loudspeaker: /' "$T/corr.out"
awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END { exit !(v["peak"] >= 0.8 && v["elsewhere"] < v["peak"] / 3) }' "$T/corr.out" || status=1
exit $status
