#!/bin/sh
# Benchmark: openline's start to first presented frame and peak memory on the home screen at
# 1920x1080, against headless Chromium taking a screenshot of the same screen as HTML
# (tests/bench/home.html: same labels, pictograms, font, colours), in the same run, with
# /usr/bin/time -v over several runs; medians and ratios. Then CPU on a static screen.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
runs=${RUNS:-7}
conf=assets/openline.conf.example
tmp=$(mktemp -d)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

median() { sort -n | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# /usr/bin/time -v's wall clock ("m:ss.ss") in ms, and maximum RSS in KiB
wall_ms() { sed -n 's/.*Elapsed (wall clock) time.*: \(.*\)/\1/p' "$1" | awk -F: '{print ($1 * 60 + $2) * 1000}'; }
max_kib() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }

echo "== start to first frame and peak memory, home screen 1920x1080, $runs runs each"
for i in $(seq "$runs"); do
    SDL_VIDEODRIVER=offscreen /usr/bin/time -v -o "$tmp/ol.time" build/openline run --windowed \
        --size 1920x1080 --start home --first-frame-exit --config $conf > "$tmp/ol.out" 2>/dev/null
    sed -n 's/first frame: \([0-9.]*\) ms.*/\1/p' "$tmp/ol.out" >> "$tmp/ol.first"
    wall_ms "$tmp/ol.time" >> "$tmp/ol.wall"
    max_kib "$tmp/ol.time" >> "$tmp/ol.rss"
    # The same kiosk left running for 3 s: the call plug-in (libre, OpenSSL, PortAudio) is
    # loaded and its thread and audio device started after the first frame, so this peak is
    # larger than the first frame's.
    SDL_VIDEODRIVER=offscreen /usr/bin/time -v -o "$tmp/ols.time" timeout -s TERM 3 \
        build/openline run --windowed --size 1920x1080 --start home --config $conf \
        >/dev/null 2>&1
    max_kib "$tmp/ols.time" >> "$tmp/ol.steady"

    rm -rf "$tmp/profile"
    /usr/bin/time -v -o "$tmp/ch.time" chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$tmp/profile" --window-size=1920,1080 --hide-scrollbars \
        --screenshot="$tmp/chromium.png" "file://$PWD/tests/bench/home.html" >/dev/null 2>&1 &
    chpid=$!
    # Chromium is several processes: also sample the sum of their RSS every 10 ms.
    peak=0
    while kill -0 $chpid 2>/dev/null; do
        sum=0
        for p in $(pgrep -f "user-data-dir=$tmp/profile"); do
            r=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$p/status 2>/dev/null)
            sum=$((sum + ${r:-0}))
        done
        [ $sum -gt $peak ] && peak=$sum
        sleep 0.01
    done
    wait $chpid
    echo $peak >> "$tmp/ch.sum"
    wall_ms "$tmp/ch.time" >> "$tmp/ch.wall"
    max_kib "$tmp/ch.time" >> "$tmp/ch.rss"
done
ol_first=$(median < "$tmp/ol.first")
ol_wall=$(median < "$tmp/ol.wall")
ol_rss=$(median < "$tmp/ol.rss")
ol_steady=$(median < "$tmp/ol.steady")
ch_wall=$(median < "$tmp/ch.wall")
ch_rss=$(median < "$tmp/ch.rss")
ch_sum=$(median < "$tmp/ch.sum")
awk -v of="$ol_first" -v ow="$ol_wall" -v orss="$ol_rss" -v cw="$ch_wall" -v crss="$ch_rss" \
    -v csum="$ch_sum" -v ost="$ol_steady" 'BEGIN {
    printf "%-44s %12s %12s %8s\n", "", "openline", "chromium", "ratio"
    printf "%-44s %9.1f ms %9.1f ms %7.1fx\n", "exec to first frame (openline, self-timed)", of, cw, cw / of
    printf "%-44s %9.1f ms %9.1f ms %7.1fx\n", "whole run, /usr/bin/time wall clock", ow, cw, cw / ow
    printf "%-44s %9.1f MiB %8.1f MiB %7.1fx\n", "peak RSS, /usr/bin/time (largest process)", orss / 1024, crss / 1024, crss / orss
    printf "%-44s %9.1f MiB %8.1f MiB %7.1fx\n", "peak RSS, all processes (sampled, 10 ms)", orss / 1024, csum / 1024, csum / orss
    printf "%-44s %9.1f MiB %8.1f MiB %7.1fx\n", "openline after 3 s (calls started) vs time -v", ost / 1024, crss / 1024, crss / ost
    printf "targets: first frame >= 10x faster, memory <= 1/8 (ratio >= 8x)\n"
}'
echo "(/usr/bin/time reports Chromium's largest single process; the sampled line adds up all of"
echo " its processes at each instant. openline is one process: both lines use /usr/bin/time.)"

echo
echo "== CPU on a static screen (X server: Xvfb; 10 s after 2 s to settle)"
cpu_of() { # screen
    xvfb-run -a -s "-screen 0 1920x1080x24" build/openline run --windowed --size 1920x1080 \
        --start "$1" --config $conf >/dev/null 2>&1 &
    wrapper=$!
    pids="$pids $wrapper"
    sleep 2
    pid=$(pgrep -n -f "build/openline run --windowed --size 1920x1080 --start $1")
    [ -n "$pid" ] || { echo "$1: the kiosk did not start under xvfb-run"; return; }
    t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    sleep 10
    t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    kill "$pid" 2>/dev/null
    wait "$wrapper" 2>/dev/null
    awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v s="$1" \
        'BEGIN {printf "%-10s %5.2f %% of one core (target < 1 %%)\n", s, (b - a) / hz / 10 * 100}'
}
cpu_of home
cpu_of attract
