#!/bin/sh
# Damaged fonts: files cut short (half of the Thai, the Urdu Nastaliq and the bold Latin font, the
# regular Latin font cut to 300 KB) and fonts whose glyphs are overwritten with zeros. FreeType
# opens all of them; before the fonts were checked, self-test said ok, the layout check passed,
# and Thai, Urdu or every label was blank (the cut regular font grew body text to 400 px).
# Now self-test names each file, the kiosk draws with the script's next font, and the layout
# check reports letters drawn without ink, and boxes when no font of a script is left.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
bin=${OPENLINE_BIN:-build/openline}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/openline-fonts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} SDL_RENDER_DRIVER=${SDL_RENDER_DRIVER:-software}
failed=0
fail() {
    echo "FAIL $*"
    failed=1
}

# A data folder whose font table looks in $tmp/fonts first: a damaged copy there hides the
# installed file of the same name, every other font comes from the installed directories.
mkdir -p "$tmp/data" "$tmp/fonts"
cp -r assets locales "$tmp/data/"
sed -i "s|^dirs = |dirs = $tmp/fonts |" "$tmp/data/assets/fonts.ini"
cp assets/openline.conf.example "$tmp/kiosk.conf"
printf '\n[paths]\ndata_dir = %s\n' "$tmp/data" >> "$tmp/kiosk.conf"
installed() { # FILE: its installed path
    for d in $(sed -n 's/^dirs = //p' assets/fonts.ini); do
        [ -f "$d/$1" ] && echo "$d/$1" && return
    done
    echo "fonts.sh: $1 is not installed" >&2
    exit 1
}
cut_font() { # FILE BYTES (default: half)
    src=$(installed "$1")
    head -c "${2:-$(($(stat -c %s "$src") / 2))}" "$src" > "$tmp/fonts/$1"
}
zero_glyphs() { # FILE FRACTION: zeros over the glyph table from FRACTION of it to its end
    python3 - "$(installed "$1")" "$tmp/fonts/$1" "$2" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
for i in range(struct.unpack('>H', b[4:6])[0]):
    tag, _, off, n = struct.unpack('>4sIII', b[12 + 16 * i:28 + 16 * i])
    if tag == b'glyf':
        start = off + int(n * float(sys.argv[3]))
        b[start:off + n] = bytes(off + n - start)
open(sys.argv[2], 'wb').write(b)
EOF
}
urdu=$(sed -n '/^\[ur\]/,/^\[/s/^font = //p' locales/languages.ini)

# ---- files cut short ----------------------------------------------------------------------------
cut_font NotoSansThai-Regular.ttf
cut_font "$urdu"
cut_font NotoSans-Bold.ttf
cut_font NotoSans-Regular.ttf 300000

"$bin" self-test --config "$tmp/kiosk.conf" > "$tmp/st.out" 2> "$tmp/st.err"
if grep -q '^fonts  *FAIL 4 font files refused' "$tmp/st.out"; then
    echo "ok   self-test fails fonts: 4 font files refused"
else
    fail "self-test's fonts line: $(grep '^fonts' "$tmp/st.out")"
fi
for f in NotoSansThai-Regular.ttf:Thai "$urdu":Arab NotoSans-Bold.ttf:Latn \
    NotoSans-Regular.ttf:Latn; do
    if grep -q "font $tmp/fonts/${f%:*} for script ${f#*:} refused: cut short: [0-9]* bytes where its tables need [0-9]*.*; replace it with a good copy" "$tmp/st.out"; then
        echo "ok   self-test names ${f%:*} (${f#*:}): cut short, replace it"
    else
        fail "self-test does not name ${f%:*} as cut short"
    fi
done
[ $failed -eq 0 ] || sed 's/^/     /' "$tmp/st.out"

# A font table naming a spare that lacks the script and one that is not installed: self-test
# names both with what to do.
rm -f "$tmp/fonts/"*
cp "$tmp/data/assets/fonts.ini" "$tmp/fonts.ini.good"
sed -i '/^\[Thai\]/,/^\[/s/^spares = /spares = NotoSans-Regular.ttf NoSuchFont.ttf /' \
    "$tmp/data/assets/fonts.ini"
"$bin" self-test --config "$tmp/kiosk.conf" > "$tmp/st.out" 2> "$tmp/st.err"
for want in "fonts  *FAIL 2 font files refused" \
    "font /.*/NotoSans-Regular.ttf for script Thai refused: does not cover the script: it lacks 7 of the 7 letters of \"ภาษาไทย\"; name a font for Thai in assets/fonts.ini" \
    "font NoSuchFont.ttf for script Thai refused: not found in $tmp/fonts or the other \[fonts\] dirs; install it or name another file in assets/fonts.ini"; do
    if grep -q "$want" "$tmp/st.out"; then
        echo "ok   self-test: $(grep -o "$want" "$tmp/st.out" | sed 's/  */ /g' | cut -c1-110)"
    else
        fail "self-test does not say: $want"
        sed -n '/^fonts /,/^content /p' "$tmp/st.out" | sed 's/^/     /'
    fi
done
cp "$tmp/fonts.ini.good" "$tmp/data/assets/fonts.ini"

# The screens draw with each script's next font, within the layout check (no blank text, no
# 400 px body text), and the log names each refused file.
snap_falls_back() { # SCREEN PAGE|- LANG PATTERN WHAT: exit 0 and PATTERN in the log
    page=""
    [ "$2" != - ] && page="--page $2"
    # shellcheck disable=SC2086
    "$bin" snapshot --config "$tmp/kiosk.conf" --screen "$1" $page --lang "$3" --size 1280x720 \
        --out "$tmp/$1-$3.png" > "$tmp/snap.out" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && grep -q "$4" "$tmp/snap.out"; then
        echo "ok   $1 $3 with $5: drawn with the next font, the layout check passes"
    else
        fail "$1 $3 with $5: exit $rc"
        sed 's/^/     /' "$tmp/snap.out" | head -8
    fi
}
# One cut file at a time: SCREEN PAGE LANG SCRIPT FILE BYTES (-: half)
for s in "page rights th Thai NotoSansThai-Regular.ttf -" "page rights ur Arab $urdu -" \
    "home - en Latn NotoSans-Bold.ttf -" "page rights en Latn NotoSans-Regular.ttf 300000"; do
    set -- $s
    rm -f "$tmp/fonts/"*
    [ "$6" = - ] && cut_font "$5" || cut_font "$5" "$6"
    snap_falls_back "$1" "$2" "$3" "font $tmp/fonts/$5 for script $4 refused: cut short" \
        "$5 cut short"
done
# All four at once: every screen in every language.
cut_font NotoSansThai-Regular.ttf
cut_font "$urdu"
cut_font NotoSans-Bold.ttf
cut_font NotoSans-Regular.ttf 300000
if out=$("$bin" check-layout --config "$tmp/kiosk.conf" --size 1280x720 2>&1); then
    echo "ok   cut fonts: $(printf '%s' "$out" | tail -1)"
else
    fail "cut fonts: check-layout"
    printf '%s\n' "$out" | grep '^layout' | head -8 | sed 's/^/     /'
fi

# Every Thai font cut (regular, bold, both spares): nothing can draw Thai. The log says so, and
# the layout check reports the boxes drawn instead, naming screen, language and text.
rm -f "$tmp/fonts/"*
for f in $(sed -n '/^\[Thai\]/,/^\[/s/^\(regular\|bold\|spares\) = //p' assets/fonts.ini); do
    cut_font "$f"
done
out=$("$bin" check-layout --config "$tmp/kiosk.conf" --size 1280x720 2>&1)
rc=$?
line=$(printf '%s\n' "$out" | grep -m1 '^layout: page 1280x720 th: page title: [0-9]* character(s) no font draws, shown as boxes, in "')
if [ $rc -ne 0 ] && [ -n "$line" ] && printf '%s' "$out" | grep -q 'no font in assets/fonts.ini draws script Thai'; then
    echo "ok   no Thai font left: logged, and the layout check reports boxes (exit $rc): ${line#layout: }"
else
    fail "no Thai font left: exit $rc"
    printf '%s\n' "$out" | grep -v '^openline: error: font' | tail -3 | sed 's/^/     /'
fi

# ---- glyphs overwritten -------------------------------------------------------------------------
# All of Thai's: the file is whole and opens, but its sample has no outline; Thai is drawn with
# the next font.
rm -f "$tmp/fonts/"*
zero_glyphs NotoSansThai-Regular.ttf 0
snap_falls_back page rights th \
    "NotoSansThai-Regular.ttf for script Thai refused: no outline for 7 of the 7 letters" \
    "a Thai font without glyphs (refused: no outline)"
# The Latin font's last nine tenths: the Latin sample still draws, so the font is used, but
# Vietnamese letters with two diacritics are blank; the layout check names screen, language, text.
rm -f "$tmp/fonts/"*
zero_glyphs NotoSans-Regular.ttf 0.1
out=$("$bin" check-layout --config "$tmp/kiosk.conf" --size 1280x720 2>&1)
rc=$?
line=$(printf '%s\n' "$out" | grep -m1 '^layout: page 1280x720 vi: page rights block [0-9]*: [0-9]* letter(s) drawn without ink in "M.*" (font NotoSans-Regular.ttf)')
if [ $rc -ne 0 ] && [ -n "$line" ]; then
    echo "ok   the layout check reports blank letters (exit $rc): ${line#layout: }"
else
    fail "the layout check missed letters without ink: exit $rc"
    printf '%s\n' "$out" | tail -3 | sed 's/^/     /'
fi
exit $failed
