#!/bin/sh
# The display schedule ([display] off_hours): tests/flow/display-off.play on the test clock at
# both orientations, with the hours set; the same script must fail without them (so it can fail);
# a snapshot of attract's off pose is black, every pixel.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
bin=build/openline
script=tests/flow/display-off.play
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0
sed 's/^off_hours =.*/off_hours = 22:00-06:00, 12:30-13:00/' assets/openline.conf.example > "$tmp/off.conf"
grep -q '^off_hours = 22:00-06:00, 12:30-13:00$' "$tmp/off.conf" || {
    echo "FAIL display-off: assets/openline.conf.example has no 'off_hours =' line to set"
    exit 1
}
# TZ: off_hours is local time; the test clock starts at 21:58 local.
for size in 1920x1080 1080x1920; do
    if out=$(TZ=UTC $bin play --test-clock=2026-12-07T21:58Z --config "$tmp/off.conf" \
        --size $size --script $script 2>&1); then
        echo "ok   $script $size (off_hours = 22:00-06:00, 12:30-13:00)"
    else
        echo "FAIL $script $size"
        printf '%s\n' "$out" | sed 's/^/     /'
        failed=1
    fi
done
out=$(TZ=UTC $bin play --test-clock=2026-12-07T21:58Z --config assets/openline.conf.example \
    --script $script 2>&1)
if [ $? -eq 1 ] && printf '%s' "$out" | grep -q 'display-off.play:8: expected the display off'; then
    echo "ok   $script fails without off_hours (line 8)"
else
    echo "FAIL $script passed or failed otherwise without off_hours: $out"
    failed=1
fi
# The off pose is black: pngtopnm | ppmhist lists one colour, 0 0 0.
if $bin snapshot --config "$tmp/off.conf" --screen attract --pose off --out "$tmp/off.png" \
    2>/dev/null && colours=$(pngtopnm "$tmp/off.png" | ppmhist -noheader | awk '{print $1,$2,$3}') &&
    [ "$colours" = "0 0 0" ]; then
    echo "ok   snapshot attract --pose off is black"
else
    echo "FAIL snapshot attract --pose off: colours ${colours:-none}"
    failed=1
fi
exit $failed
