#!/bin/sh
# The call plug-in reaches the program only through struct call_host (include/openline/call_api.h):
# it needs no symbol the program's own objects define, the program exports none of them (main
# aside: a library it links refers to it), and the plug-in exports only its table. Run by the
# build after linking both (ARCHITECTURE.md, "The call plug-in"). Sanitizer runtimes, linked into
# the program, are not the program's own objects and may serve the plug-in.
#   tools/check-plugin.sh PLUGIN PROGRAM PROGRAM-OBJECT...
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
plugin=$1
prog=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Symbols by name, without their version (memcpy@GLIBC_2.14 is memcpy).
names() { awk '$NF !~ /:$/ && NF > 1 { print $NF }' | sed 's/@.*//' | sort -u; }
nm -D --undefined-only "$plugin" | names >"$tmp/needs"
nm -D --defined-only "$plugin" | names >"$tmp/exports"
nm -D --defined-only "$prog" | names >"$tmp/gives"
nm -g --defined-only "$@" | names >"$tmp/own"
status=0
if comm -12 "$tmp/needs" "$tmp/own" | grep .; then
    echo "check-plugin: $plugin uses the symbols above of $prog: hand it what it needs in" \
        "struct call_host, or compile the helper into it (CALL_COPY_SRCS)" >&2
    status=1
fi
if comm -12 "$tmp/gives" "$tmp/own" | grep -vx main; then
    echo "check-plugin: $prog exports the symbols above of its own (no plug-in may use them)" >&2
    status=1
fi
# (AddressSanitizer adds an indicator, __odr_asan.NAME, beside every global it instruments.)
if grep -vx -e openline_call_api -e '__odr_asan\.openline_call_api' "$tmp/exports"; then
    echo "check-plugin: $plugin exports the symbols above: only openline_call_api" >&2
    status=1
fi
exit $status
