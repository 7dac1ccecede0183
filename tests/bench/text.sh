#!/bin/sh
# Text benchmark: every content page in every language laid out and drawn by the page screen at
# 1920x1080 (software renderer), cold (text cache flushed) and cached; the slowest language
# against the target of one frame at 60 Hz (16.7 ms) for a cold page. Numbers, not pass/fail.
# Builds nothing: `make bench` builds build/tests/text_bench first.
# SPDX-License-Identifier: GPL-3.0-or-later
#   TEXT_BENCH_REPS   runs per page and mode, medians reported (default 15)
#   TEXT_BENCH_ARGS   more options for build/tests/text_bench (--verbose: every page; --lang CODE)
set -u
cd "$(dirname "$0")/../.."
BIN=build/tests/text_bench
if [ ! -x "$BIN" ]; then
    echo "text bench: $BIN is missing (make bench, or make $BIN)" >&2
    exit 1
fi
# Other work on the machine stretches wall-clock times; the table also shows CPU time.
# shellcheck disable=SC2086
exec "$BIN" --reps "${TEXT_BENCH_REPS:-15}" ${TEXT_BENCH_ARGS:-}
