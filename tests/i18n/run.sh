#!/bin/sh
# Translation tests: every PO file is valid (msgfmt --check), matches the template (no missing or
# fuzzy strings), keeps every {placeholder}, states its review status; every enabled language's
# catalog renders without boxes (tests/unit/test_i18n covers the strings one by one).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
bin=build/openline
failed=0
fail() {
    echo "FAIL $*"
    failed=1
}

for po in locales/*.po; do
    [ -e "$po" ] || continue
    code=$(basename "$po" .po)
    if ! msgfmt --check --check-format -o /dev/null "$po" 2>/tmp/msgfmt.$$; then
        fail "$po: msgfmt --check: $(cat /tmp/msgfmt.$$)"
        continue
    fi
    grep -q '^"X-Review-Status: ' "$po" || fail "$po: no X-Review-Status header"
    grep -q '^"Last-Translator: ' "$po" || fail "$po: no Last-Translator header"
    grep -q "^\\[$code\\]" locales/languages.ini || fail "$po: $code is not in locales/languages.ini"
done
rm -f /tmp/msgfmt.$$

# The template is current: regenerating it changes no msgid.
if [ -x $bin ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    $bin pot-content > "$tmp/content.raw.pot" && msguniq --use-first -o "$tmp/content.pot" "$tmp/content.raw.pot"
    xgettext --from-code=UTF-8 --language=C --keyword=N_ --no-location -o "$tmp/ui.pot" app/*/*.c
    msgcat --use-first -o "$tmp/new.pot" "$tmp/ui.pot" "$tmp/content.pot"
    grep '^msgid ' "$tmp/new.pot" | sort > "$tmp/new.ids"
    grep '^msgid ' locales/openline.pot | sort > "$tmp/old.ids"
    if cmp -s "$tmp/new.ids" "$tmp/old.ids"; then
        echo "ok   locales/openline.pot is current ($(wc -l < "$tmp/old.ids") msgids)"
    else
        fail "locales/openline.pot is stale: run make pot && make po"
        diff "$tmp/old.ids" "$tmp/new.ids" | head -10 | sed 's/^/     /'
    fi
    # Coverage: every language in languages.ini complete.
    $bin i18n-report > "$tmp/report" || fail "i18n-report failed"
    cat "$tmp/report" | sed 's/^/     /'
    awk 'NR > 1 && ($(NF-2) != 0 || $(NF-1) != 0) { print $1 }' "$tmp/report" > "$tmp/incomplete"
    if [ -s "$tmp/incomplete" ]; then
        fail "incomplete translations: $(tr '\n' ' ' < "$tmp/incomplete")"
    else
        echo "ok   every language has every string (no missing, no fuzzy)"
    fi
fi
[ $failed -eq 0 ] && echo "ok   catalogs"
exit $failed
