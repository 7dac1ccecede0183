#!/bin/sh
# A phrase tapped during a call, end to end: a French-speaking visitor calls a real baresip
# callee through the kiosk's UI (openline play), the hotline answers in Spanish ([hotline]
# language = es), the visitor opens "Cannot talk?" and taps "I cannot speak freely now." The
# callee's recording must hold that sentence in Spanish (espeak-ng's own rendering of the
# Spanish catalog's sentence, with the voice languages.ini names, correlates with it; its length
# is plausible), while the kiosk's microphone, a 3100 Hz tone (a band espeak hardly uses), keeps
# arriving before, during and after it. Run by tests/speech/run.sh with its temp dir.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_sub_setup phrase "$1"
T=$OL_TMP
trap ol_cleanup EXIT
TONE=build/tests/call-tone
failed=0

msgid="I cannot speak freely now."
text=$(msggrep --no-wrap -K -F -e "$msgid" locales/es.po | sed -n 's/^msgstr "\(..*\)"$/\1/p' | tail -n 1)
voice=$(sed -n '/^\[es\]/,/^\[/s/^voice *= *//p' locales/languages.ini)
# at the kiosk's rate (ESPEAK_RATE_WPM in app/speech/speech.c)
rate=$(sed -n 's/^#define ESPEAK_RATE_WPM *\([0-9]*\).*/\1/p' app/speech/speech.c)
espeak-ng -v "$voice" -s "$rate" -w "$T/ref.wav" "$text" 2>/dev/null
# a control: another phrase in the same voice must match worse
other_text=$(msggrep --no-wrap -K -F -e "Please repeat." locales/es.po | sed -n 's/^msgstr "\(..*\)"$/\1/p' | tail -n 1)
espeak-ng -v "$voice" -s "$rate" -w "$T/other.wav" "$other_text" 2>/dev/null
sox -n -r 48000 -b 16 -c 1 "$T/mic.wav" synth 30 sine 3100 vol 0.1 2>/dev/null

for codec in pcmu opus; do
    port=$(ol_freeport)
    ol_baresip_start callee-$codec "$port" codec=$codec tone=1000 seconds=40 || {
        echo "FAIL phrase $codec: baresip did not start"
        failed=1
        continue
    }
    sed -e "s|^uri = .*|uri = sip:callee@127.0.0.1:$port|" -e "s|^driver = .*|driver = wav|" \
        -e "s|^; capture_file = .*|capture_file = $T/mic.wav|" \
        -e "s|^language = en|language = es|" assets/openline.conf.example >"$T/$codec.conf"
    printf '\n[paths]\ndata_dir = %s\n' "$PWD" >>"$T/$codec.conf"
    cat >"$T/$codec.play" <<'EOF'
tap 600 400
tap @lang-fr
tap @tile-call
tap @dial
wait-for screen call 3000
wait-for widget phrases 5000
tap @phrases
expect screen phrases
expect widget phrase-cannot-talk
expect widget phrase-my-language
# the noise suppressor has settled on the microphone's tone
wait 4000
mark phrase
tap @phrase-cannot-talk
wait 5000
tap @phrases-close
expect screen call
tap @hangup
wait 500
EOF
    "$OL_BIN" play --config "$T/$codec.conf" --script "$T/$codec.play" >"$T/$codec.out" \
        2>"$T/$codec.err"
    rc=$?
    sleep 0.5
    ol_baresip_stop callee-$codec
    rec=$(ol_baresip_received callee-$codec)
    if [ $rc -ne 0 ] || [ -z "$rec" ]; then
        echo "FAIL phrase $codec: play exit $rc, recording '$rec'"
        grep -v -e warning -e caches "$T/$codec.err" | sed 's/^/     /' | tail -6
        failed=1
        continue
    fi
    c=$($TONE corr "$rec" "$T/ref.wav")
    peak=$(echo "$c" | sed 's/.*peak=\([0-9.-]*\).*/\1/')
    lag=$(echo "$c" | sed 's/.*lag=\([0-9.-]*\).*/\1/')
    other=$(echo "$c" | sed 's/.*elsewhere=\([0-9.-]*\).*/\1/')
    len=$(soxi -D "$T/ref.wav")
    # espeak-ng's library (SSML, the kiosk's pieces, resampled to the device) and its command
    # line do not make identical samples: the kiosk's own rendering correlates with the command
    # line's at about 0.56; the phrase tapped must stand out from the rest of the recording and
    # from another phrase.
    ctl=$($TONE corr "$rec" "$T/other.wav" | sed 's/.*peak=\([0-9.-]*\).*/\1/')
    if awk -v p="$peak" -v o="$other" -v c="$ctl" 'BEGIN { exit !(p >= 0.4 && p >= 3 * o && p >= c + 0.15) }'; then
        echo "ok   phrase $codec: the callee heard \"$text\" (espeak-ng's own rendering: correlation $peak at $lag s, elsewhere $other, another phrase $ctl; $len s)"
    else
        echo "FAIL phrase $codec: correlation with espeak-ng's rendering $peak at $lag s, elsewhere $other, another phrase $ctl (want >= 0.4, 3 times elsewhere, 0.15 above the other phrase)"
        failed=1
    fi
    # plausible length: the recording's sound around the phrase lasts about as long as it
    sox "$rec" "$T/$codec-cut.wav" trim "$lag" "$len" highpass 200 lowpass 2500 2>/dev/null
    set -- $($TONE active "$T/$codec-cut.wav")
    awk -v a="$1" -v b="$2" -v n="$len" 'BEGIN { exit !(a >= 0 && b - a >= n * 0.7) }' &&
        echo "ok   phrase $codec: $(awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }') s of it in the recording ($len s spoken)" ||
        { echo "FAIL phrase $codec: sound from $1 to $2 s of the phrase's $len s"; failed=1; }
    # the microphone's tone: before, during and after the phrase, within 6 dB of before
    b=$(awk -v l="$lag" 'BEGIN { printf "%.2f %.2f", l - 1.5, l - 0.3 }')
    d=$(awk -v l="$lag" -v n="$len" 'BEGIN { printf "%.2f %.2f", l + 0.2, l + n - 0.2 }')
    a=$(awk -v l="$lag" -v n="$len" 'BEGIN { printf "%.2f %.2f", l + n + 0.3, l + n + 1.5 }')
    lv() { $TONE level "$rec" 3100 $1 $2 | sed 's/.*Hz at \([-0-9.]*\) dBFS.*/\1/'; }
    lb=$(lv $b) ld=$(lv $d) la=$(lv $a)
    if awk -v b="$lb" -v d="$ld" -v a="$la" 'BEGIN { exit !(b > -45 && d > b - 6 && a > b - 6) }'; then
        echo "ok   phrase $codec: the microphone's 3100 Hz kept arriving: $lb / $ld / $la dBFS before / during / after"
    else
        echo "FAIL phrase $codec: the microphone's 3100 Hz at $lb / $ld / $la dBFS before / during / after (want > -45, within 6 dB)"
        failed=1
    fi
done
exit $failed
