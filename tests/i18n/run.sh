#!/bin/sh
# Translation tests: every PO file passes the build's check (tools/check-po.sh: msgfmt --check and
# the kiosk's own reading of it), matches the template (no missing or fuzzy strings), states its
# review status; every enabled language's catalog renders without boxes (tests/unit/test_i18n
# covers the strings one by one). Broken catalogs: the build's check and self-test name each
# problem with its file and line, and a bad entry costs that entry alone.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
bin=build/openline
failed=0
fail() {
    echo "FAIL $*"
    failed=1
}

[ -x $bin ] || {
    fail "$bin is missing (make): the build's check of catalogs needs it"
    exit 1
}
for po in locales/*.po; do
    [ -e "$po" ] || continue
    code=$(basename "$po" .po)
    if ! tools/check-po.sh $bin "$po" 2>/tmp/msgfmt.$$; then
        fail "$po: tools/check-po.sh: $(cat /tmp/msgfmt.$$)"
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
    # columns counted from "done" (N%), which follows translated, fuzzy and missing: the language's
    # name before them and how it is read aloud after them are words of their own
    awk 'NR > 1 { for (i = NF; i > 0 && $i !~ /%$/; i--); if ($(i-2) != 0 || $(i-1) != 0) print $1 }' \
        "$tmp/report" > "$tmp/incomplete"
    if [ -s "$tmp/incomplete" ]; then
        fail "incomplete translations: $(tr '\n' ' ' < "$tmp/incomplete")"
    else
        echo "ok   every language has every string (no missing, no fuzzy)"
    fi
fi

# ---- broken catalogs ------------------------------------------------------------------------
# A data folder with the real assets and copies of the catalogs, four of them broken:
#   es.po  a broken Plural-Forms expression, one translation in ISO-8859-1 ("Back"), one with a
#          placeholder the English does not have ("Call {hotline} from any phone.")
#   pt.po  saved as ISO-8859-1, and saying so in its header
#   fr.po  no header at all
#   ru.po  nplurals=0
if [ -x $bin ]; then
    bad=$tmp/bad
    L=$bad/locales
    mkdir -p "$L"
    ln -s "$PWD/assets" "$bad/assets"
    cp locales/languages.ini locales/openline.pot locales/*.po "$L/"
    LC_ALL=C sed -i -e 's/^"Plural-Forms: .*/"Plural-Forms: nplurals=2; plural=(n != ;\\n"/' \
        -e 's/^msgstr "Atrás"$/msgstr "Atr\xe1s"/' \
        -e 's/^msgstr "Llame al {hotline} desde cualquier/msgstr "Llame al {web} desde cualquier/' \
        "$L/es.po"
    iconv -f UTF-8 -t ISO-8859-1//TRANSLIT locales/pt.po |
        sed 's/charset=UTF-8/charset=ISO-8859-1/' > "$L/pt.po"
    awk 'h == 0 && /^msgid ""$/ { h = 1; next } h == 1 { if (/^$/) h = 2; next } { print }' \
        locales/fr.po > "$L/fr.po"
    # ru.po's expression runs over two lines: both give way to nplurals=0
    sed -i -e '/^"Plural-Forms:/,/^"X-Review-Status:/{/^"X-Review-Status:/!d}' \
        -e 's/^"X-Review-Status:/"Plural-Forms: nplurals=0; plural=0;\\n"\n&/' "$L/ru.po"
    line() { grep -a -n -m1 -- "$2" "$L/$1" | cut -d: -f1; }
    # FILE:LINE and words that must be in one line of the report
    expected="es.po:$(line es.po '^"Plural-Forms:') plural expression
es.po:$(($(line es.po '^msgid "Back"$') + 1)) UTF-8
es.po:$(($(line es.po '^msgid "Call {hotline} from any phone."$') + 1)) {web}
pt.po:$(line pt.po '^"Content-Type:') charset=ISO-8859-1
fr.po:1 header
ru.po:$(line ru.po '^"Plural-Forms:') nplurals = 0"
    # expect WHO OUTPUT FILES: every expected problem of FILES is named in OUTPUT
    expect() {
        echo "$expected" | while read -r where words; do
            case " $3 " in *" ${where%%:*} "*) ;; *) continue ;; esac
            if grep -a -F "/$where:" "$2" | grep -a -q -F -- "$words"; then
                echo "ok   $1 names locales/$where: ... $words"
            else
                echo "FAIL $1 does not name locales/$where: ... $words"
            fi
        done > "$tmp/expect.out"
        cat "$tmp/expect.out"
        if grep -q '^FAIL' "$tmp/expect.out"; then
            failed=1
            sed 's/^/     | /' "$2" | grep -a -v '^     | \(audio\|hotline\|counts\|openline: warning\)'
        fi
    }
    # The build's check (make runs tools/check-po.sh on every catalog) refuses each broken file.
    for f in es.po pt.po fr.po ru.po; do
        if tools/check-po.sh $bin "$L/$f" > "$tmp/build.$f" 2>&1; then
            fail "the build's check passes the broken $f"
        fi
        expect "the build's check" "$tmp/build.$f" "$f"
    done
    # self-test fails the locales check and names every problem.
    cp assets/openline.conf.example "$tmp/bad.conf"
    printf '\n[paths]\ndata_dir = %s\n' "$bad" >> "$tmp/bad.conf"
    $bin self-test --config "$tmp/bad.conf" > "$tmp/selftest" 2>/dev/null
    if grep -q '^locales  *FAIL' "$tmp/selftest"; then
        echo "ok   self-test fails the locales check"
    else
        fail "self-test does not fail the locales check:"
        grep '^locales' "$tmp/selftest" | sed 's/^/     /'
    fi
    expect "self-test" "$tmp/selftest" "es.po pt.po fr.po ru.po"
    # What is left of each language: Spanish loses its two bad strings alone, Russian nothing
    # (the kiosk has no plural strings), Portuguese and French everything (English instead).
    $bin i18n-report --config "$tmp/bad.conf" > "$tmp/report" 2>/dev/null
    total=$(awk '$1 == "en" { for (i = NF; i > 0 && $i !~ /%$/; i--); print $(i-3) }' "$tmp/report")
    for want in "es $((total - 2))" "ru $total" "pt 0" "fr 0"; do
        code=${want% *} n=${want#* }
        got=$(awk -v c="$code" '$1 == c { for (i = NF; i > 0 && $i !~ /%$/; i--); print $(i-3) }' "$tmp/report")
        if [ "$got" = "$n" ]; then
            echo "ok   broken catalogs: $code still translates $got of $total strings"
        else
            fail "broken catalogs: $code translates ${got:-?} of $total strings, expected $n"
        fi
    done
fi
[ $failed -eq 0 ] && echo "ok   catalogs"
exit $failed
