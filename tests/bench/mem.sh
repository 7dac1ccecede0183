#!/bin/sh
# Memory benchmark: resident memory at the first frame and in steady state after a scripted soak
# (tests/flow/soak.sh: every language and page, the test clock) at 1920x1080 and 3840x2160, as
# ratios to the targets (96 and 192 MiB); and the slowest cold page (text_bench, text cache
# flushed) at both sizes against one frame at 60 Hz. Memory is not disturbed by other work on the
# machine; times are, so the CPU time is given beside the wall clock. Numbers, not pass/fail.
#   MEM_BENCH_SESSIONS   visitors per size (default 300)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
sessions=${MEM_BENCH_SESSIONS:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "resident memory, openline play, $sessions sessions each (first frame: the script's start)"
for size in 1920x1080 3840x2160; do
    tests/flow/soak.sh --sessions "$sessions" --sample 25 --size "$size" > "$tmp/soak" 2>&1
    line=$(grep '^soak ' "$tmp/soak")
    # soak WxH: N sessions, first frame F MiB, steady S MiB (after session A), peak P MiB, target T MiB: R
    echo "$line" | awk -v size="$size" '{
        for (i = 1; i <= NF; i++) {
            if ($i == "frame") first = $(i + 1)
            if ($i == "steady") steady = $(i + 1)
            if ($i == "peak") peak = $(i + 1)
            if ($i == "target") target = $(i + 1)
        }
        printf "  %-9s first frame %6.1f MiB   steady %6.1f MiB / target %3d MiB = %.2f   peak %6.1f MiB / target = %.2f\n",
            size, first, steady, target, steady / target, peak, peak / target
    }'
    grep '^     last:' "$tmp/soak" | sed 's/^     last: mem session-[0-9]* /            caches at the end: /'
    grep '^FAIL' "$tmp/soak" | sed 's/^/  /'
done

echo
echo "cold page (text cache flushed; fonts open), slowest language and page, medians of 5"
for size in 1920x1080 3840x2160; do
    build/tests/text_bench --reps 5 --new-engine-reps 1 --size "$size" > "$tmp/text" 2>&1
    # slowest language: ur (Urdu), page fees: open cold W ms (median; CPU C ms), ...; load average ...
    sed -n 's/^slowest language: //p' "$tmp/text" | awk -v size="$size" '{
        for (i = 1; i <= NF; i++) {
            if ($i == "cold") wall = $(i + 1)
            if ($i == "(median;") cpu = $(i + 2)
        }
        load = $0; sub(/.*load average /, "", load)
        printf "  %-9s %s %s CPU %.2f ms / 16.7 ms = %.2f   wall %.2f ms / 16.7 ms = %.2f (load %s)\n",
            size, $1, $4, cpu, cpu / 16.7, wall, wall / 16.7, load
    }'
done
