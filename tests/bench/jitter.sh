#!/bin/sh
# Jitter buffer benchmark (make bench-jitter): app/call/jitter.c, driven as media.c drives it,
# against speexdsp's JitterBuffer on the same seeded packet traces (steady, light and heavy
# jitter, loss, reordering, clock drift, a transfer to a new source), at the RTP clocks of G.711
# and G.722 (8 kHz) and Opus (48 kHz). Numbers, not pass/fail, but it exits non-zero when a
# buffer breaks a rule (tests/bench/jitter_bench.c's header). Builds nothing: `make bench` and
# `make bench-jitter` build build/tests/jitter_bench first.
# SPDX-License-Identifier: GPL-3.0-or-later
#   JITTER_BENCH_ARGS   more options for build/tests/jitter_bench (--seconds, --seed,
#                       --jitter-ms, --late-rate PCT, --late-cost MS, --trace NAME, --verbose)
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=build/tests/jitter_bench
if [ ! -x "$BIN" ]; then
    echo "jitter bench: $BIN is missing (make bench-jitter, or make $BIN)" >&2
    exit 1
fi
echo "speexdsp $(pkg-config --modversion speexdsp 2>/dev/null || echo '(version unknown)')"
status=0
for clock in 8000 48000; do
    # shellcheck disable=SC2086
    "$BIN" --clock $clock ${JITTER_BENCH_ARGS:-} || status=1
    echo
done
exit $status
