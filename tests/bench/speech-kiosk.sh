#!/bin/sh
# Read-aloud as a visitor meets it: from the tap on Read aloud (openline play, the real event
# loop) to the first sample of speech reaching the audio driver (the wav driver, whose clock's
# start is noted in PLAYBACK.starts: sample i plays at it + i / rate + one 10 ms block), per
# language; beside it, in
# the same run, espeak-ng's own command line on the same text (the page's title) to its first
# sample on stdout. The first audible sample in the driver's file is moved back by the silence
# espeak-ng itself puts before that text (measured on the command line's output), so both
# numbers are "to the first sample". Then the kiosk's CPU (every thread) while it reads a page.
# Numbers, not pass/fail; target under 300 ms.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_setup
T=$OL_TMP
TONE=build/tests/call-tone
port=$(ol_freeport)
rate=$(sed -n 's/^#define ESPEAK_RATE_WPM *\([0-9]*\).*/\1/p' app/speech/speech.c)
REPS=${SPEECH_KIOSK_REPS:-3}

conf() { # NAME
    sed -e "s|^uri = .*|uri = sip:hotline@127.0.0.1:$port|" -e "s|^driver = .*|driver = wav|" \
        -e "s|^; playback_file = .*|playback_file = $T/$1.wav|" \
        assets/openline.conf.example >"$T/$1.conf"
    printf '\n[paths]\ndata_dir = %s\n' "$PWD" >>"$T/$1.conf"
}

# espeak-ng's command line: ms from exec to its first audio bytes on stdout (after the WAV
# header), median of REPS
cli_first() { # VOICE TEXT
    for i in $(seq "$REPS"); do
        python3 - "$1" "$rate" "$2" <<'EOF'
import subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(["espeak-ng", "-v", sys.argv[1], "-s", sys.argv[2], "--stdout", sys.argv[3]],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
got = 0
while got <= 44:
    b = p.stdout.read1(4096)
    if not b:
        break
    got += len(b)
print("%.1f" % ((time.monotonic() - t0) * 1000))
p.stdout.read()
p.wait()
EOF
    done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

printf '%-8s %-8s %14s %16s %7s\n' lang voice "kiosk ms" "espeak-ng ms" ratio
for code in en es ar fa hi bn th my vi zh-Hans am sw; do
    voice=$(sed -n "/^\[$code\]/,/^\[/s/^voice *= *//p" locales/languages.ini)
    title=$(msggrep --no-wrap -K -F -e "Your rights at work" "locales/$code.po" 2>/dev/null |
        sed -n 's/^msgstr "\(..*\)"$/\1/p' | tail -n 1)
    [ "$code" = en ] && title="Your rights at work"
    espeak-ng -v "$voice" -s "$rate" -w "$T/lead-$code.wav" "$title" 2>/dev/null
    lead=$($TONE active "$T/lead-$code.wav" | cut -d' ' -f1)
    times=""
    for i in $(seq "$REPS"); do
        conf "$code-$i"
        cat >"$T/$code-$i.play" <<EOF
tap 600 400
tap @lang-$code
tap @tile-rights
wait 1000
mark press
tap @read-aloud
wait 2500
key Escape
wait 300
EOF
        build/openline play --config "$T/$code-$i.conf" --script "$T/$code-$i.play" \
            >"$T/$code-$i.out" 2>"$T/$code-$i.err"
        start=$(sed -n 's/^playback-only clock \([0-9.]*\)$/\1/p' "$T/$code-$i.wav.starts" | head -n 1)
        mark=$(sed -n 's/^mark press //p' "$T/$code-$i.out")
        first=$($TONE active "$T/$code-$i.wav" 2>/dev/null | cut -d' ' -f1)
        [ -n "$start" ] && [ -n "$mark" ] && [ -n "$first" ] &&
            times="$times $(awk -v s="$start" -v m="$mark" -v f="$first" -v l="$lead" \
                'BEGIN { printf "%.1f", (s + f + 0.010 - l - m) * 1000 }')"
    done
    kiosk=$(echo $times | tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print NR ? a[int((NR + 1) / 2)] : "-" }')
    cli=$(cli_first "$voice" "$title")
    printf '%-8s %-8s %14s %16s %7s\n' "$code" "$voice" "$kiosk" "$cli" \
        "$(awk -v a="$kiosk" -v b="$cli" 'BEGIN { if (b > 0 && a != "-") printf "%.2f", a / b; else print "-" }')"
done
echo "(medians of $REPS; kiosk: tap to the first sample at the driver, espeak-ng: exec to its first audio bytes)"

# CPU while reading a page aloud: every thread of the kiosk, over 10 s of reading
conf cpu
cat >"$T/cpu.play" <<'EOF'
tap 600 400
tap @lang-en
tap @tile-rights
wait 1000
cpu idle-start
wait 5000
cpu idle-end
tap @read-aloud
wait 500
cpu read-start
wait 10000
cpu read-end
key Escape
EOF
build/openline play --config "$T/cpu.conf" --script "$T/cpu.play" >"$T/cpu.out" 2>/dev/null
awk '/^cpu / { u[$2] = $4; s[$2] = $6; w[$2] = $8 }
    END {
        if (!("read-end" in w)) { print "cpu: no numbers"; exit }
        i = (u["idle-end"] + s["idle-end"] - u["idle-start"] - s["idle-start"]) / (w["idle-end"] - w["idle-start"]) * 100
        r = (u["read-end"] + s["read-end"] - u["read-start"] - s["read-start"]) / (w["read-end"] - w["read-start"]) * 100
        printf "kiosk CPU (all threads, %% of one core): reading aloud %.1f %%, the same page silent %.1f %%\n", r, i
    }' "$T/cpu.out"
