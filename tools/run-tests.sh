#!/bin/sh
# Run the test suites and print one summary; exit non-zero when any failed.
#   tools/run-tests.sh unit BIN... [-- SUITE...]   cmocka binaries, then tests/SUITE/run.sh each
#   tools/run-tests.sh SUITE...                    only the named suites
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
failed=""
# Sanitizer builds: library-internal allocations we cannot free (tests/lsan.supp); stop on UB.
# Suppressions match the allocation's stack, which the fast frame-pointer unwinder sometimes cuts
# at malloc inside libraries built without frame pointers (libgettextpo): a leak it has always
# had then fails a run at random. The slow unwinder sees the whole stack.
LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS UBSAN_OPTIONS ASAN_OPTIONS
if [ "${1:-}" = unit ]; then
    shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        echo "== unit: $1"
        "$1" || failed="$failed $(basename "$1")"
        shift
    done
    [ "${1:-}" = -- ] && shift
fi
for suite in "$@"; do
    echo "== suite: $suite"
    if [ ! -x "tests/$suite/run.sh" ]; then
        echo "tests/$suite/run.sh: missing or not executable" >&2
        failed="$failed $suite"
        continue
    fi
    "tests/$suite/run.sh" || failed="$failed $suite"
done
if [ -n "$failed" ]; then
    echo "FAILED:$failed" >&2
    exit 1
fi
echo "all passed"
