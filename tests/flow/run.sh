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
    # call-*: tests/flow/call.sh; display-off: tests/flow/display-off.sh (its own configuration)
    case "$script" in *must-fail.play | */call-*.play | */display-off.play) continue ;; esac
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
tests/flow/display-off.sh || failed=1
tests/flow/selftest.sh || failed=1
tests/flow/call.sh || failed=1
tests/flow/no-calls.sh || failed=1
tests/flow/promises.sh || failed=1
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

# Language tags as people write them (RFC 4647 lookup against locales/languages.ini): on the
# command line and in the configuration, zh and zh-CN find zh-Hans, pt-BR finds pt; a tag that
# finds none is refused with the accepted codes named.
tags=$(mktemp -d)
for t in zh zh-CN ZH-hans pt-BR en-US; do
    if $bin snapshot --config $conf --screen attract --lang "$t" --out "$tags/a.png" 2>/dev/null; then
        echo "ok   snapshot --lang $t"
    else
        echo "FAIL snapshot --lang $t: refused"
        failed=1
    fi
done
msg=$($bin snapshot --config $conf --screen attract --lang zh-TW --out "$tags/a.png" 2>&1)
if [ $? -eq 2 ] && printf '%s' "$msg" | grep -q "unknown language 'zh-TW'; accepted: en, .*zh-Hans"; then
    echo "ok   snapshot --lang zh-TW: refused, the accepted codes named"
else
    echo "FAIL snapshot --lang zh-TW: $msg"
    failed=1
fi
sed -e 's/^languages = .*/languages = en zh-CN pt-BR ar-EG/' -e 's/^default_language = .*/default_language = zh/' \
    -e 's/^uri = \(.*\)/uri = \1\nuri.AR-eg = \1/' -e 's/^language = en$/language = en-GB/' $conf \
    > "$tags/ok.conf"
cat > "$tags/t.play" <<'PLAY'
# zh-CN, pt-BR and ar-EG in the configuration are the table's zh-Hans, pt and ar
expect screen attract
tap @attract
expect screen language
expect widget lang-zh-Hans
expect widget lang-pt
expect widget lang-ar
tap @lang-zh-Hans
expect lang zh-Hans
PLAY
if out=$($bin play --test-clock --config "$tags/ok.conf" --script "$tags/t.play" 2>&1); then
    echo "ok   configuration tags zh-CN, pt-BR, ar-EG, zh, uri.AR-eg, en-GB resolved"
else
    echo "FAIL configuration tags: $out"
    failed=1
fi
for bad in 's/^languages = .*/languages = en zh-CN zh/' 's/^language = en$/language = de/' \
    's/^languages = .*/languages = en ar/;s/^default_language = .*/default_language = zh/' \
    's/^uri = \(.*\)/uri = \1\nuri.zh-TW = \1/'; do
    sed "$bad" $conf > "$tags/bad.conf"
    msg=$($bin snapshot --config "$tags/bad.conf" --screen attract --out "$tags/a.png" 2>&1)
    if [ $? -eq 2 ] && printf '%s' "$msg" | grep -q "bad.conf:[0-9]*: \[.*\] .*language.*accepted"; then
        echo "ok   refused: $bad: $(printf '%s' "$msg" | grep -o 'language[^;]*;' | head -1)"
    else
        echo "FAIL not refused as it should be: $bad: $msg"
        failed=1
    fi
done
rm -rf "$tags"
exit $failed
