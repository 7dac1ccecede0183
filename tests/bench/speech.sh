#!/bin/sh
# Read-aloud benchmark (build/tests/speech_bench): per language with a voice, speech_say() to the
# first audio beside espeak-ng's command line on the same text (time to its first audio byte),
# and the CPU time a long paragraph costs against its length. Numbers, not pass/fail.
# Builds nothing: `make bench` or `make bench-speech` builds it first.
# SPDX-License-Identifier: GPL-3.0-or-later
#   SPEECH_BENCH_REPS   runs per language, medians reported (default 7)
set -u
cd "$(dirname "$0")/../.."
BIN=build/tests/speech_bench
if [ ! -x "$BIN" ]; then
    echo "speech bench: $BIN is missing (make bench-speech, or make $BIN)" >&2
    exit 1
fi
exec "$BIN" --reps "${SPEECH_BENCH_REPS:-7}"
