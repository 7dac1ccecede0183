#!/bin/sh
# UI snapshot tests: every screen at the four reference sizes through `openline snapshot`, whose
# layout check fails (exit 3) on clipped or overlapping text and on touch targets under 20 mm;
# every screen and page in every language through `openline check-layout`; golden images of the
# language screen and a page in each script; a deliberately broken page, to prove the check can
# fail; and damaged fonts (tests/ui/fonts.sh).
#   tests/ui/run.sh --update-golden   rewrites the golden images (look at them!).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
conf=assets/openline.conf.example
bin=build/openline
out=build/test-ui
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
failed=0

snap() { # name size [args...]
    name=$1 size=$2
    shift 2
    if msg=$($bin snapshot --config $conf --size "$size" --out "$out/$name-$size.png" "$@" 2>&1); then
        echo "ok   $name $size"
    else
        echo "FAIL $name $size (exit $?)"
        printf '%s\n' "$msg" | sed 's/^/     /'
        failed=1
    fi
}

for size in 1280x720 1920x1080 1080x1920 3840x2160; do
    for screen in attract language home page idle-warning; do
        snap "$screen" "$size" --screen "$screen"
    done
    snap home-closed "$size" --screen home --pose closed
    snap call-info-closed "$size" --screen call-info --pose closed
    # the call screens as a kiosk that calls shows them, and as one that cannot
    for pose in calls no-calls; do
        snap "call-info-$pose" "$size" --screen call-info --pose $pose
        snap "call-failed-$pose" "$size" --screen call-failed --pose $pose
    done
    for pose in connecting ringing connected keypad; do
        snap "call-$pose" "$size" --screen call --pose $pose
    done
    for page in $(sed -n 's/^\[\(.*\)\]$/\1/p' assets/content/pages.ini); do
        snap "page-$page" "$size" --screen page --page "$page"
    done
    # right-to-left, and the tallest scripts
    snap home-ar "$size" --screen home --lang ar
    snap page-ur "$size" --screen page --page rights --lang ur
    snap language-my "$size" --screen language --lang my
done

# The high-contrast theme: outlined controls, the same layout.
sed 's/^theme = standard/theme = high-contrast/' $conf > "$tmp/hc.conf"
for screen in home page call-info call call:ringing call-info:no-calls; do
    pose=${screen#*:}
    [ "$pose" = "$screen" ] && pose= || screen=${screen%%:*}
    if msg=$($bin snapshot --config "$tmp/hc.conf" --size 1280x720 --screen $screen \
        ${pose:+--pose $pose} --out "$out/hc-$screen${pose:+-$pose}.png" 2>&1); then
        echo "ok   high contrast: $screen ${pose}"
    else
        echo "FAIL high contrast: $screen ${pose}"
        printf '%s\n' "$msg" | sed 's/^/     /'
        failed=1
    fi
done

# Every screen and every page in every enabled language (the translations included).
for size in 1280x720 1080x1920 1920x1080 3840x2160; do
    if msg=$($bin check-layout --config $conf --size "$size" 2>&1); then
        echo "ok   $(printf '%s' "$msg" | tail -1)"
    else
        echo "FAIL check-layout $size"
        printf '%s\n' "$msg" | sed 's/^/     /' | tail -40
        failed=1
    fi
done

# The hotline's promises (issue 18) change what the call page, the help page and the call bar
# show: no fact stated (the example), every fact stated, and interpreters for a few languages
# with a duty to report and opening hours (a Thai, Burmese or Bengali visitor is told which
# languages the counsellor speaks); each open and out of hours, in Latin, Arabic, Thai, Burmese,
# Chinese and Bengali, then the layout check over every screen and language with each.
promises() { # name lines...: the example with these [organisation] lines
    name=$1
    shift
    printf '%s\n' "$@" > "$tmp/$name.lines"
    sed "/^emergency =/r $tmp/$name.lines" $conf | sed 's/^emergency =$/emergency = 112/' \
        > "$tmp/promises-$name.conf"
}
promises all independent_of_police=yes independent_of_immigration=yes interpreters=yes \
    hours=always mandatory_reporting=none
promises limited independent_of_police=yes "interpreters = fr ar" \
    "hours = Mo-Fr 08:00-20:00, Sa 09:00-13:00" "mandatory_reporting = children danger"
for size in 1280x720 1920x1080; do
    for c in all limited; do
        for l in en ar th my zh-Hans bn; do
            for shot in call-info:calls call-info:closed home:closed page:help; do
                screen=${shot%%:*} arg=${shot#*:}
                case $screen in page) opt="--page $arg" ;; *) opt="--pose $arg" ;; esac
                if msg=$($bin snapshot --config "$tmp/promises-$c.conf" --size $size --lang $l \
                    --screen $screen $opt --out "$out/promises-$c-$screen-$arg-$l-$size.png" 2>&1); then
                    echo "ok   promises $c $screen $arg $l $size"
                else
                    echo "FAIL promises $c $screen $arg $l $size"
                    printf '%s\n' "$msg" | sed 's/^/     /'
                    failed=1
                fi
            done
        done
    done
    for c in all limited; do
        if msg=$($bin check-layout --config "$tmp/promises-$c.conf" --size "$size" 2>&1); then
            echo "ok   promises $c: $(printf '%s' "$msg" | tail -1)"
        else
            echo "FAIL check-layout promises $c $size"
            printf '%s\n' "$msg" | sed 's/^/     /' | tail -40
            failed=1
        fi
    done
done

# An output directory that is missing or not a directory is refused before any rendering: one
# message naming the option, exit 2 (usage), never a PNG error per screen or an errno as status.
: > "$tmp/a-file"
for d in "$tmp/no-such-dir" "$tmp/a-file"; do
    msg=$($bin check-layout --config $conf --out-dir "$d" 2>&1)
    rc=$?
    if [ $rc -eq 2 ] && [ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ] &&
        printf '%s' "$msg" | grep -q -- "--out-dir $d: .*; accepted: "; then
        echo "ok   check-layout --out-dir ${d#"$tmp/"}: exit 2, $(printf '%s' "$msg" | sed 's/.*: \([^:;]*\);.*/\1/')"
    else
        echo "FAIL check-layout --out-dir ${d#"$tmp/"}: exit $rc, wanted 2 and one message:"
        printf '%s\n' "$msg" | sed 's/^/     /' | head -5
        failed=1
    fi
done
msg=$($bin snapshot --config $conf --screen home --out "$tmp/no-such-dir/home.png" 2>&1)
rc=$?
if [ $rc -eq 2 ] && printf '%s' "$msg" | grep -q -- "--out $tmp/no-such-dir/home.png: "; then
    echo "ok   snapshot --out in a missing directory: exit 2"
else
    echo "FAIL snapshot --out in a missing directory: exit $rc, wanted 2: $msg"
    failed=1
fi

# Golden images: the language screen and one page in each script, looked at when they were
# made (tests/ui/golden/README); a changed pixel beyond the tolerance fails.
golden() { # name args...
    name=$1
    shift
    $bin snapshot --config $conf --size 1280x720 --out "$out/golden-$name.png" "$@" 2>/dev/null
    if [ "$update" = 1 ]; then
        cp "$out/golden-$name.png" "tests/ui/golden/$name.png"
        echo "updated tests/ui/golden/$name.png"
    elif [ ! -f "tests/ui/golden/$name.png" ]; then
        echo "FAIL no golden image tests/ui/golden/$name.png (tests/ui/run.sh --update-golden)"
        failed=1
    elif r=$(build/tests/pngdiff "tests/ui/golden/$name.png" "$out/golden-$name.png"); then
        echo "ok   golden $r"
    else
        echo "FAIL golden $r"
        failed=1
    fi
}
update=0
[ "${1:-}" = --update-golden ] && update=1
golden language --screen language
for l in en ru ar ur hi bn si ta th my km zh-Hans am; do
    golden "page-rights-$l" --screen page --page rights --lang "$l"
done
# The call as a kiosk that calls shows it: what happens, each state of the call, a failure with
# Try again; and call-info where calls are not available.
for pose in calls no-calls; do
    golden "call-info-$pose" --screen call-info --pose $pose
done
for pose in connecting ringing connected keypad; do
    golden "call-$pose" --screen call --pose $pose
done
golden call-failed-calls --screen call-failed --pose calls
golden call-ringing-ar --screen call --pose ringing --lang ar
golden call-info-no-calls-my --screen call-info --pose no-calls --lang my
# Out of the hotline's hours: the other ways to get help instead of Call now.
golden call-info-closed --screen call-info --pose closed

# The check must catch text that cannot fit: a copy of the data with a tile title far too long.
cp -r assets locales "$tmp/"
long=$(printf 'Your rights at work in every country %.0s' $(seq 1 8))
sed -i "1s/.*/# $long/" "$tmp/assets/content/rights.md"
sed "s|^\[organisation\]|[paths]\ndata_dir = $tmp\n\n[organisation]|" $conf > "$tmp/bad.conf"
msg=$($bin snapshot --config "$tmp/bad.conf" --screen home --size 1280x720 \
    --out "$tmp/bad.png" 2>&1)
rc=$?
if [ $rc -eq 3 ] && printf '%s' "$msg" | grep -q 'widget tile-rights: clipped'; then
    echo "ok   a title too long for its tile is reported as clipped (exit 3)"
else
    echo "FAIL the layout check missed a clipped title: exit $rc: $msg"
    failed=1
fi
# Damaged fonts: refused by name, the next font draws, letters without ink reported.
tests/ui/fonts.sh || failed=1
exit $failed
