#!/bin/sh
# The build's check of catalogs (make runs it on every locales/*.po; tests/i18n/run.sh on broken
# ones): msgfmt --check, then the kiosk's own reading of the file (openline check-catalog), which
# also refuses a charset other than UTF-8 and placeholders that differ from the English. Every
# problem is printed as FILE:LINE: ...; exits 1 when there is one.
#   tools/check-po.sh OPENLINE FILE.po...
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
if [ $# -lt 2 ]; then
    echo "usage: tools/check-po.sh OPENLINE FILE.po..." >&2
    exit 2
fi
openline=$1
shift
# The program may be a sanitizer build: libgettextpo keeps a string per file it reads, which no
# public function frees (tests/lsan.supp); the unit tests check this code for leaks.
ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export ASAN_OPTIONS
failed=0
for po in "$@"; do
    ok=1
    msgfmt --check --check-format -o /dev/null "$po" || ok=0
    "$openline" check-catalog "$po" || ok=0
    if [ $ok -eq 0 ]; then
        echo "$po: invalid catalog (the problems above)" >&2
        failed=1
    fi
done
exit $failed
