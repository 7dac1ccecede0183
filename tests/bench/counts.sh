#!/bin/bash
# Benchmark of the kiosk's counts (make bench), against the real openline-stats on 127.0.0.1
# (SQLite):
#  - the cost of counting one event on the UI thread (20,000 sessions of four counted events,
#    the counts thread running beside it), median and 99th percentile, against the 50 us target;
#  - a week's noisy batch of the full closed set (25 languages, 8 pages) posted by the upload
#    plug-in and stored by the collector (201), end to end, 200 times.
# Numbers, not pass/fail.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/stats/lib.sh
BENCH=build/tests/counts_bench
make --no-print-directory "$BENCH" build/tests/openline-upload.so "$STATS_BIN" >&2 || exit 1
SESSIONS=${COUNTS_BENCH_SESSIONS:-20000}
UPLOADS=${COUNTS_BENCH_UPLOADS:-200}

db="sqlite:$T/bench.db"
"$STATS_BIN" --db "$db" kiosk add bench >"$T/token" 2>/dev/null && chmod 600 "$T/token"
stats_start bench "$db" --rate 0 || exit 1
cat >"$T/bench.conf" <<CONF
[organisation]
name = Bench
hotline = +1 555 0100
[counts]
collector = http://127.0.0.1:$(stats_port bench)
token_file = $T/token
state_dir = $T/state
CONF
echo "counts benchmark: $(nproc) cores; state directory on $(df --output=fstype "$T" | tail -n 1)"
count=$("$BENCH" count "$T/bench.conf" "$SESSIONS") || { echo "$count"; exit 1; }
echo "$count"
med=$(echo "$count" | sed -n '1s/.*median \([0-9.]*\) us.*/\1/p')
p99=$(echo "$count" | sed -n '1s/.*p99 \([0-9.]*\) us.*/\1/p')
awk -v m="$med" -v p="$p99" 'BEGIN { printf "counted event vs the 50 us target: median %.1f us (%.2f x the target), p99 %.1f us (%.2f x)\n", m, m / 50, p, p / 50 }'
"$BENCH" upload "$T/bench.conf" "$UPLOADS"
