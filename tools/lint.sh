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
# The plug-ins' libraries stay behind their contracts (include/openline/call_api.h, upload.h):
# only the call and audio objects (and the tests of them) include libre, OpenSSL and the sound
# and codec libraries, only the upload plug-in libcurl. The build gives libre's include path to
# these objects alone; OpenSSL's headers are on the default path, so this check is what keeps
# them out of the kiosk. See ARCHITECTURE.md, "The call plug-in".
plugin_only() { # FILES-ALLOWED-REGEX HEADER-REGEX WHAT
    for f in $files; do
        case "$f" in app/* | include/* | tests/*) ;; *) continue ;; esac
        printf '%s\n' "$f" | grep -qE "$1" && continue
        if grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<($2)" "$f" /dev/null; then
            echo "lint: $f includes $3 (docs/style.md 1)" >&2
            status=1
        fi
    done
}
plugin_only '^(app/(call|audio)/|tests/unit/test_call\.c|tests/bench/jitter_bench\.c)' \
    're\.h|re_[a-z_]+\.h|rem\.h|rem_[a-z_]+\.h|openssl/|portaudio\.h|jack/|alsa/|opus/|speex/|spandsp' \
    "a library of the call plug-in: only app/call and app/audio may"
plugin_only '^app/upload/' 'curl/' "libcurl: only app/upload may"
# Read-aloud's libraries (espeak-ng is global and not thread-safe: one worker thread owns it)
# stay behind app/speech/speech.h; espeak-ng's headers are on the default path.
plugin_only '^app/speech/' 'espeak-ng/|espeak/|opusfile\.h' "espeak-ng or libopusfile: only app/speech may"
# Functions are their steps (docs/style.md 1): none over 80 lines without a reason above it.
python3 tools/fn-length.py || status=1
[ $status -eq 0 ] && echo "lint: ok"
exit $status
