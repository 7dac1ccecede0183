#!/bin/sh
# Speech as a visitor hears it, through the real speech worker (espeak-ng, clips), the call
# plug-in and the wav driver (its playback file is what the handset would play):
# - openline speak: every language with a voice says a sample sentence (non-silent, plausible
#   length); a language without one exits 2 and says why;
# - recorded clips win over synthesis;
# - openline play: read-aloud starts, the highlighted sentence moves on, Pause and Continue,
#   quick exit silences the handset within 100 ms (measured in the playback file against the
#   moment of the key), leaving the page and dialling stop it, touch and hold says a language's
#   name, speech mode, and no read-aloud button for a language without a voice;
# - a tapped phrase reaches a real baresip callee as speech in the hotline's language, with the
#   kiosk's microphone tone still arriving (tests/speech/phrase.sh).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_setup
T=$OL_TMP
TONE=build/tests/call-tone
failed=0
fail() {
    echo "FAIL $*"
    failed=1
}

# A hotline nobody answers on 127.0.0.1: the engine (and the audio device) start, no call is
# placed unless a script dials.
port=$(ol_freeport)
conf() { # NAME PLAYBACK_FILE [DATA_DIR]
    sed -e "s|^uri = .*|uri = sip:hotline@127.0.0.1:$port|" -e "s|^driver = .*|driver = wav|" \
        -e "s|^; playback_file = .*|playback_file = $2|" \
        -e "s|^connect_timeout = .*|connect_timeout = 2s|" \
        assets/openline.conf.example >"$T/$1.conf"
    # the suite's private copy of the program finds the tree's (or a test's) assets here
    printf '\n[paths]\ndata_dir = %s\n' "${3:-$PWD}" >>"$T/$1.conf"
}

# ---- openline speak, every language --------------------------------------------------------
conf speak "$T/unused.wav"
voiced=0
for code in $(sed -n 's/^\[\(.*\)\]$/\1/p' locales/languages.ini); do
    out=$T/speak-$code.wav
    $OL_BIN speak --config "$T/speak.conf" --lang "$code" --out "$out" --msgid \
        "Touch here for help" >"$T/speak-$code.log" 2>&1
    rc=$?
    if grep -q "^\[$code\]" locales/languages.ini && sed -n "/^\[$code\]/,/^\[/p" \
        locales/languages.ini | grep -q '^voice'; then
        # first and last sound in the file; the device writes from its start
        set -- $($TONE active "$out" 2>/dev/null)
        if [ $rc -ne 0 ] || [ $# -ne 3 ]; then
            fail "speak $code: exit $rc, $(tail -n 1 "$T/speak-$code.log")"
        elif awk -v a="$1" -v b="$2" 'BEGIN { d = b - a; exit !(a >= 0 && d >= 0.4 && d <= 8) }'; then
            voiced=$((voiced + 1))
        else
            fail "speak $code: sound from $1 s to $2 s (want 0.4 to 8 s of it)"
        fi
    elif [ $rc -ne 2 ] || ! grep -q "has no voice" "$T/speak-$code.log"; then
        fail "speak $code (no voice): exit $rc (want 2 and a reason): $(cat "$T/speak-$code.log")"
    fi
done
[ $voiced -eq 22 ] && echo "ok   speak: 22 languages said 'Touch here for help' (0.4-8 s of sound each); km, tl, ti exit 2" ||
    fail "speak: $voiced languages spoken, want 22"

# ---- clips win over synthesis ---------------------------------------------------------------
data=$T/data
mkdir -p "$data/assets/speech/en"
for f in assets/*; do
    [ "$f" = assets/speech ] || ln -s "$PWD/$f" "$data/$f"
done
ln -s "$PWD/locales" "$data/locales"
key=$($OL_BIN speech-script --config "$T/speak.conf" --lang en 2>/dev/null | awk -F '\t' '$2 == "Touch here for help" {print $1; exit}')
sox -n -r 16000 -b 16 -c 1 "$data/assets/speech/en/$key.wav" synth 1.2 sine 440 vol 0.5 2>/dev/null
conf clip "$T/unused.wav" "$data"
$OL_BIN speak --config "$T/clip.conf" --lang en --out "$T/clip-out.wav" --msgid \
    "Touch here for help" >"$T/clip.log" 2>&1
c=$($TONE corr "$T/clip-out.wav" "$data/assets/speech/en/$key.wav" 2>/dev/null)
s=$($TONE corr "$T/speak-en.wav" "$data/assets/speech/en/$key.wav" 2>/dev/null)
if [ -n "$key" ] && awk -v c="${c#peak=}" -v s="${s#peak=}" 'BEGIN { exit !(c + 0 > 0.9 && s + 0 < 0.5) }'; then
    echo "ok   a recorded clip ($key.wav) is played instead of synthesis: $c; synthesised: $s"
else
    fail "clip $key: with the clip $c, synthesised $s (want > 0.9 and < 0.5); $(tail -n 2 "$T/clip.log")"
fi

# ---- the kiosk: read-aloud, highlight, pause, quick exit ------------------------------------
play() { # SCRIPT NAME: run it with its own playback file; output in $T/NAME.out
    conf "$2" "$T/$2.wav"
    sed "s|SNAPDIR|$T|g" "tests/speech/$1" >"$T/$2.play"
    $OL_BIN play --config "$T/$2.conf" --script "$T/$2.play" >"$T/$2.out" 2>"$T/$2.err"
}
if play read.play read; then
    echo "ok   read.play: read-aloud starts, the sentence heard moves on, Pause, Continue, quick exit"
else
    fail "read.play"
    grep -v -e warning -e caches "$T/read.err" | sed 's/^/     /' | tail -8
fi
# The handset is silent from 100 ms after the mark: in the playback file's time, sample i plays at
# the device's clock start + i / rate + one 10 ms block. Read-aloud opened it for playback only.
silent_after() { # NAME MARK WHAT
    # the wav driver notes each start beside its playback file: how it opened, its clock
    start=$(sed -n 's/^playback-only clock \([0-9.]*\)$/\1/p' "$T/$1.wav.starts" 2>/dev/null | head -n 1)
    grep -q '^microphone-open' "$T/$1.wav.starts" 2>/dev/null &&
        fail "$3: the microphone was opened for read-aloud ($(cat "$T/$1.wav.starts"))"
    mark=$(sed -n "s/^mark $2 //p" "$T/$1.out")
    if [ -z "$start" ] || [ -z "$mark" ] || [ ! -f "$T/$1.wav" ]; then
        fail "$3: no device clock ($start), mark ($mark) or playback file"
        return
    fi
    at=$(awk -v s="$start" -v m="$mark" 'BEGIN { printf "%.3f", m - s - 0.010 }')
    sox "$T/$1.wav" "$T/$1-before.wav" trim 0 "$at" 2>/dev/null
    sox "$T/$1.wav" "$T/$1-after.wav" trim "$(awk -v a="$at" 'BEGIN { print a + 0.100 }')" 2>/dev/null
    before=$($TONE active "$T/$1-before.wav" 2>/dev/null)
    after=$($TONE active "$T/$1-after.wav" 2>/dev/null)
    last=$(echo "$before" | cut -d' ' -f2)
    case "$before" in
    -1* | "") fail "$3: no speech before it, at $at s ($before)" ;;
    *)
        # it cut a sound short: heard until less than 150 ms before
        awk -v l="$last" -v a="$at" 'BEGIN { exit !(a - l < 0.150) }' ||
            fail "$3 at $at s: the handset was already quiet (sound until $last s)"
        if [ "${after%% *}" = "-1.000" ]; then
            echo "ok   $3 at $at s of the handset's sound, speech until $last s: silent from 100 ms after"
        else
            fail "$3 at $at s: sound again from $after (s after the first 100 ms)"
        fi
        ;;
    esac
}
silent_after read quick-exit "quick exit"

for s in back dial language mode; do
    if play $s.play $s; then
        echo "ok   $s.play"
    else
        fail "$s.play"
        grep -v -e warning -e caches "$T/$s.err" | sed 's/^/     /' | tail -8
    fi
done
silent_after back leave "leaving the page"

[ -f tests/speech/phrase.sh ] && { sh tests/speech/phrase.sh "$T" || failed=1; }
exit $failed
