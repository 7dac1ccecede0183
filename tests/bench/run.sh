#!/bin/sh
# make bench: every benchmark, numbers side by side with their anchors. Not pass/fail.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
tests/bench/kiosk.sh
for b in $(ls tests/bench/*.sh | grep -v -e '/run.sh$' -e '/kiosk.sh$'); do
    echo
    echo "== $b"
    "$b"
done
