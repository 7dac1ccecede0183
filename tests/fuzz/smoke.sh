#!/bin/sh
# Run each libFuzzer target briefly on its seed corpus: `make fuzz-smoke` (after `make fuzz`).
#   tests/fuzz/smoke.sh TARGET...     targets as in build/fuzz/fuzz_TARGET
#   FUZZ_SECONDS   time per target (default 20)
# Seeds in tests/fuzz/corpus/TARGET/ are only read; new inputs go to build/fuzz/corpus/TARGET/,
# crashes, leaks and timeouts to build/fuzz/artifacts/TARGET/. Exit status 1 when any target
# found something.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-20}
failed=""
[ $# -gt 0 ] || set -- $(ls build/fuzz/ 2>/dev/null | sed -n 's/^fuzz_//p')
for t in "$@"; do
    bin=build/fuzz/fuzz_$t
    if [ ! -x "$bin" ]; then
        echo "fuzz-smoke: $bin is missing (make fuzz)" >&2
        failed="$failed $t"
        continue
    fi
    mkdir -p "build/fuzz/corpus/$t" "build/fuzz/artifacts/$t"
    # Text layout shapes every input with HarfBuzz: long inputs only slow it down.
    extra=""
    case $t in
    text) extra="-max_len=512" ;;
    # libgettextpo leaks a little on most inputs (suppressed, see fuzz_po.c), which would make
    # libFuzzer scan for leaks after every input (~100 runs/s): leaks are checked at exit instead.
    po) extra="-detect_leaks=0" ;;
    esac
    echo "== fuzz $t (${secs} s)"
    # shellcheck disable=SC2086
    if ! "$bin" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="build/fuzz/artifacts/$t/" $extra \
        "build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"build/fuzz/$t.log" 2>&1; then
        failed="$failed $t"
        grep -E "ERROR|SUMMARY|Test unit written" "build/fuzz/$t.log" >&2
        echo "fuzz $t: FAILED, see build/fuzz/$t.log" >&2
    fi
    grep -E "stat::number_of_executed_units|stat::new_units_added" "build/fuzz/$t.log" |
        tr '\n' ' '
    echo
done
if [ -n "$failed" ]; then
    echo "fuzz-smoke FAILED:$failed" >&2
    exit 1
fi
echo "fuzz-smoke: all passed"
