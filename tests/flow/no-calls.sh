#!/bin/sh
# A kiosk whose call plug-in is missing, or comes from another build, still starts: the visitor
# reads every page and the call screen shows the number instead of a Call button; the log and
# self-test say why.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
root=$PWD
tmp=$(mktemp -d "${TMPDIR:-/tmp}/openline-nocalls.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0

# The program alone in a directory: its plug-in is looked for next to it, then in the installed
# directory, which must not hold one for this test to mean anything.
for d in /usr/local/lib/openline /usr/lib/openline; do
    if [ -e "$d/openline-call.so" ]; then
        echo "skip a kiosk without its call plug-in: $d/openline-call.so is installed"
        exit 0
    fi
done
mkdir -p "$tmp/bin"
cp build/openline "$tmp/bin/openline"
cp assets/openline.conf.example "$tmp/kiosk.conf"
printf '\n[paths]\ndata_dir = %s\n' "$root" >> "$tmp/kiosk.conf"
cat > "$tmp/visit.play" <<'SCRIPT'
tap 600 400
tap @lang-en
expect screen home
tap @tile-call
expect screen call-info
expect no-widget dial
key Escape
expect screen attract
SCRIPT

check() { # WHAT WANT: the visit, the log and self-test; both must give the reason WANT
    what=$1 want=$2
    if "$tmp/bin/openline" play --test-clock --config "$tmp/kiosk.conf" --script "$tmp/visit.play" \
        > "$tmp/play.out" 2> "$tmp/play.err"; then
        echo "ok   $what: the visit works, the call screen shows the number"
    else
        echo "FAIL $what: the visit failed"
        sed 's/^/     /' "$tmp/play.out" "$tmp/play.err" | tail -8
        failed=1
    fi
    if grep -q "calls unavailable: .*$want" "$tmp/play.err"; then
        echo "ok   $what: logged: $(grep -o "calls unavailable: .*" "$tmp/play.err" | cut -c1-110)"
    else
        echo "FAIL $what: no 'calls unavailable: ...$want' in the log"
        sed 's/^/     /' "$tmp/play.err" | tail -5
        failed=1
    fi
    "$tmp/bin/openline" self-test --config "$tmp/kiosk.conf" > "$tmp/st.out" 2>/dev/null
    rc=$?
    if [ $rc -eq 1 ] && grep -q "^audio  *FAIL .*$want" "$tmp/st.out" &&
        grep -q "^hotline  *FAIL .*$want" "$tmp/st.out" && grep -q "^content  *ok" "$tmp/st.out"; then
        echo "ok   $what: self-test fails audio and hotline with the reason (exit 1)"
    else
        echo "FAIL $what: self-test exit $rc:"
        sed 's/^/     /' "$tmp/st.out"
        failed=1
    fi
}

check "no call plug-in" "cannot load the call plug-in"

# A plug-in of another build: the same table with another build string is refused.
cat > "$tmp/other.c" <<'C'
#include <stddef.h>
struct head { unsigned version; size_t config_size; const char *build; };
__attribute__((visibility("default"))) const struct head openline_call_api = {1, 1, "0.0.0-1"};
C
cc -shared -fPIC -o "$tmp/bin/openline-call.so" "$tmp/other.c"
check "a call plug-in of another build" "is from another build"
exit $failed
