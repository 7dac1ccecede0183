#!/bin/sh
# UI snapshot tests: every screen at the four reference sizes through `openline snapshot`, whose
# layout check fails (exit 3) on clipped or overlapping text and on touch targets under 20 mm;
# and a deliberately broken page, to prove the check can fail.
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
    for screen in attract language home page call-info idle-warning; do
        snap "$screen" "$size" --screen "$screen"
    done
    for page in $(sed -n 's/^\[\(.*\)\]$/\1/p' assets/content/pages.ini); do
        snap "page-$page" "$size" --screen page --page "$page"
    done
    # right-to-left, and the tallest scripts
    snap home-ar "$size" --screen home --lang ar
    snap page-ur "$size" --screen page --page rights --lang ur
    snap language-my "$size" --screen language --lang my
done

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
exit $failed
