#!/bin/sh
# Echo and audio-path benchmark (make bench-echo): numbers side by side, not pass/fail.
#   Speech ERLE and time to 20 dB per room delay (40, 120 ms) and codec (PCMU, Opus), medians
#   of N calls each (BENCH_ECHO_CALLS=N, default 3), measured as the call suite does
#   (tests/call/lib.sh ol_echo_call: a baresip callee saying espeak-ng English, the wav
#   driver's room with reverberation and noise, call-echo). Next to them: G.168's 20 dB and the
#   targets (35 dB at 40 ms, 30 dB at 120 ms and with noise suppression off, 20 dB within 2 s).
#   baresip cannot be measured as the caller in the same room: Debian's baresip has no echo
#   canceller module (speex_pp is its preprocessor only).
#   Double talk: the near-end talker's level in what was sent. A 50 ms stall (SIGSTOP) against
#   clean calls.
#   Playback underruns per minute, idle, with a CPU hog on both cores (two busy loops per
#   core, at the kiosk's own priority) and with a disk writer (dd, fsync) on top, over BENCH_UNDERRUN_CALLS calls of 30 s (default 3), with real-time priority and without.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_setup
T=$OL_TMP
N=${BENCH_ECHO_CALLS:-3}
U=${BENCH_UNDERRUN_CALLS:-3}

for tool in baresip sox espeak-ng; do
    command -v $tool >/dev/null 2>&1 || { echo "bench-echo: $tool missing (make deps)" >&2; exit 1; }
done
ol_echo_assets || { echo "bench-echo: cannot make the test audio" >&2; exit 1; }

# median FIELD NAME...: the median of one field over the named calls
median() {
    f=$1
    shift
    for n in "$@"; do ol_erle_field "$n" "$f"; done | sort -g |
        awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
              else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# series TAG CODEC DELAY [args...]: N calls; their names in $names
series() {
    tag=$1
    shift
    names=""
    ci=1
    while [ $ci -le $N ]; do
        ol_echo_call "$tag-$ci" "$@" 2>>"$T/errors" && names="$names $tag-$ci"
        ci=$((ci + 1))
    done
}

echo "== echo: speech ERLE (dB, far-end-only frames from 2 s on) and time to 20 dB (s); median of $N calls"
printf '%-34s %8s %8s %8s %10s\n' "case" "ERLE" "target" "G.168" "to 20 dB"
row() { # LABEL TARGET NAMES...
    label=$1 target=$2
    shift 2
    printf '%-34s %8s %8s %8s %10s\n' "$label" "$(median erle "$@")" "$target" 20 \
        "$(median conv "$@")"
}
for delay in 40 120; do
    for codec in pcmu opus; do
        target=35
        [ $delay = 120 ] && target=30
        series "e-$codec-$delay" $codec $delay
        row "$codec, $delay ms room, defaults" $target $names
        eval "clean_$codec$delay=\"$names\""
    done
done
series e-nsoff pcmu 40 "noise_suppression = no"
row "pcmu, 40 ms, noise suppression off" 30 $names
series e-double opus 40 near
printf '%-34s %8s %8s %8s %10s   near-end talker in what was sent: %s dB (want within 3)\n' \
    "opus, 40 ms, double talk" "$(median erle $names)" "-" 20 "$(median conv $names)" \
    "$(median near $names)"
STALL_AT=6 series e-stall pcmu 40
stall=$(median erle $names)
clean=$(median erle $clean_pcmu40)
printf '%-34s %8s %8s %8s %10s   clean calls %s dB: difference %s dB (want >= -3)\n' \
    "pcmu, 40 ms, one 50 ms stall at 6 s" "$stall" "-" 20 "$(median conv $names)" "$clean" \
    "$(echo "$stall $clean" | awk '{ printf "%.1f", $1 - $2 }')"

# ---- underruns: 30 s calls, idle and with busy loops at the same priority as the kiosk, with
# real-time priority (as root) and without it (as nobody, RLIMIT_RTPRIO 0: what a kiosk gets
# where neither the unit's LimitRTPRIO= nor rtkit grants it)
chmod 711 "$T" # nobody passes through to nort/ only
NR=$T/nort
mkdir -p "$NR" && cp "$OL_BIN" "$(dirname "$OL_BIN")/openline-call.so" "$NR/" && chmod 755 "$NR"
printf '[organisation]\nname = B\nhotline = +1 555 0100\n[audio]\ndriver = wav\n' >"$NR/u.conf"
chmod 644 "$NR/u.conf"
chown nobody "$NR" 2>/dev/null
underrun_calls() { # TAG [COMMAND PREFIX...]
    tag=$1
    shift
    total=0 secs=0
    ci=1
    while [ $ci -le $U ]; do
        port=$(ol_freeport)
        ol_baresip_start "u-$tag-$ci" $port file="$T/far.wav" codec=opus >/dev/null 2>&1 ||
            return 1
        "$@" "$NR/openline" call --config "$NR/u.conf" --seconds 30 \
            "sip:callee@127.0.0.1:$port" >"$NR/u-$tag-$ci.log" 2>&1
        ol_baresip_stop "u-$tag-$ci"
        u=$(sed -n 's/.*underruns \([0-9]*\).*/\1/p' "$NR/u-$tag-$ci.log" | tail -n 1)
        [ -n "$u" ] || { echo "u-$tag-$ci: no summary" >>"$T/errors"; u=0; }
        total=$((total + u))
        secs=$((secs + 30))
        ci=$((ci + 1))
    done
    echo "$total $secs"
}
per_min() { echo "$1" | awk '{ printf "%d in %d s: %.2f per minute", $1, $2, $1 * 60 / $2 }'; }
NORT="prlimit --rtprio=0 setpriv --reuid=nobody --regid=nogroup --clear-groups"
cores=$(nproc)
echo
echo "== playback underruns ($U calls of 30 s each, wav driver, a baresip callee)"
printf '%-28s %-36s %s\n' "" "real-time (SCHED_FIFO)" "normal priority (as nobody)"
idle=$(underrun_calls idle)
idle_n=$(underrun_calls idle-nort $NORT)
printf '%-28s %-36s %s\n' "idle" "$(per_min "$idle")" "$(per_min "$idle_n")"
hogs=""
k=0
while [ $k -lt $((cores * 2)) ]; do
    sh -c 'while :; do :; done' &
    hogs="$hogs $!"
    ol_track $!
    k=$((k + 1))
done
loaded=$(underrun_calls loaded)
loaded_n=$(underrun_calls loaded-nort $NORT)
printf '%-28s %-36s %s\n' "$((cores * 2)) busy loops on $cores cores" "$(per_min "$loaded")" \
    "$(per_min "$loaded_n")"
# and a disk writer: 300 MB at a time, synced, in the temp directory
sh -c "while :; do dd if=/dev/zero of='$T/disk' bs=1M count=300 conv=fsync 2>/dev/null; done" &
hogs="$hogs $!"
ol_track $!
io=$(underrun_calls io)
io_n=$(underrun_calls io-nort $NORT)
kill $hogs 2>/dev/null
rm -f "$T/disk"
printf '%-28s %-36s %s\n' "the same and a disk writer" "$(per_min "$io")" "$(per_min "$io_n")"
grep -h "runs at normal priority" "$NR"/u-idle-nort-1.log 2>/dev/null | head -n 1 |
    sed 's/^/without: /'
[ -s "$T/errors" ] && { echo "errors:"; sed 's/^/  /' "$T/errors"; }
exit 0
