#!/bin/sh
# Flow tests: every *.play script through `openline play` on the real event loop, headless,
# at two sizes; and a script that must fail, to prove expectations can fail.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
conf=assets/openline.conf.example
bin=build/openline
failed=0
for script in tests/flow/*.play; do
    case "$script" in *must-fail.play | */call-*.play) continue ;; esac # call-*: tests/flow/call.sh
    # A script may name its sizes (scrolling needs a page longer than the screen).
    sizes=$(sed -n 's/^# sizes: //p' "$script")
    for size in ${sizes:-1920x1080 1080x1920}; do
        if out=$($bin play --test-clock --config $conf --size $size --script "$script" 2>&1); then
            echo "ok   $script $size"
            printf '%s\n' "$out" | grep 'quick exit:' | sed 's/^/     /'
        else
            echo "FAIL $script $size"
            printf '%s\n' "$out" | sed 's/^/     /'
            failed=1
        fi
    done
done
# Real time, no virtual clock: the quick exit still lands within 100 ms.
if $bin play --config $conf --script tests/flow/visit.play >/dev/null 2>&1; then
    echo "ok   tests/flow/visit.play (real clock)"
else
    echo "FAIL tests/flow/visit.play (real clock)"
    failed=1
fi
out=$($bin play --test-clock --config $conf --script tests/flow/must-fail.play 2>&1)
rc=$?
if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q 'must-fail.play:4: expected screen home'; then
    echo "ok   a wrong expectation fails with its line (exit 1)"
else
    echo "FAIL must-fail.play: exit $rc, output: $out"
    failed=1
fi
tests/flow/icons.sh || failed=1
tests/flow/call.sh || failed=1
tests/flow/no-calls.sh || failed=1
tests/flow/kiosk-mode.sh || failed=1
tests/flow/signals.sh || failed=1
tests/flow/soak.sh --sessions 150 --size 1920x1080 || failed=1

# The configuration reference in README.md is the program's own (build/openline config-reference).
ref=$(mktemp)
$bin config-reference > "$ref" 2>/dev/null
if sed -n '/^<!-- config-reference/,/^<!-- end config-reference/p' README.md | sed '1,2d;$d' |
    sed '$d' | cmp -s - "$ref"; then
    echo "ok   README's configuration reference matches the program"
else
    echo "FAIL README's configuration reference differs from: build/openline config-reference"
    failed=1
fi
rm -f "$ref"
exit $failed
