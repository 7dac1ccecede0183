#!/bin/sh
# make lint: clang-format must leave every C file unchanged; banned functions must not appear.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
status=0
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null)
[ -n "$files" ] || files=$(find app include tests -name '*.[ch]')
for f in $files; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "lint: $f is not clang-formatted (run: make format)" >&2
        status=1
    fi
done
# Unbounded or error-blind functions: use snprintf, strlcpy-style helpers, strtol with checks.
banned='\<(sprintf|vsprintf|strcpy|strcat|atoi|atol|atof|gets|strtok|tmpnam)[[:space:]]*\('
if grep -nE "$banned" $files; then
    echo "lint: banned function used (see docs/style.md 5)" >&2
    status=1
fi
[ $status -eq 0 ] && echo "lint: ok"
exit $status
