#!/bin/sh
# make check-deb: the Debian packages as a deployer gets them.
#   - `make deb` builds openline and openline-stats from the committed tree (git archive HEAD:
#     what a clean clone holds);
#   - lintian reports no error and no warning (overrides, if any, say why in packaging/debian);
#   - systemd-analyze verify accepts both units, with the packages' files in a root of their own;
#   - systemd-analyze security rates the collector's unit at most 2.5 ("OK"), the kiosk's too;
#   - the kiosk's watchdog (tests/deb/watchdog.sh).
# The install test in a clean Debian 12 root (tests/deb/install.sh) is make check-long's.
# Skips, saying why, only when a tool cannot exist here (not Debian: no dpkg-buildpackage).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
for tool in dpkg-buildpackage dh lintian systemd-analyze git; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "skip check-deb: $tool is missing (make deps installs it on Debian)"
        exit 0
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
failed=0
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    echo "note: uncommitted changes are not in the packages (they are built from HEAD)"
fi
if make --no-print-directory deb > "$tmp/build.log" 2>&1; then
    echo "ok   make deb: $(cd build/deb && ls openline_*.deb openline-stats_*.deb | tr '\n' ' ')"
else
    echo "FAIL make deb"
    tail -30 "$tmp/build.log" | sed 's/^/     /'
    exit 1
fi
debs=$(ls build/deb/openline_*.deb build/deb/openline-stats_*.deb)

# lintian: errors and warnings fail; informational tags are shown.
lintian --no-tag-display-limit $debs > "$tmp/lintian" 2>&1
if grep -E '^(E|W): ' "$tmp/lintian" > "$tmp/bad"; then
    echo "FAIL lintian: $(wc -l < "$tmp/bad") error(s) or warning(s)"
    sed 's/^/     /' "$tmp/bad"
    failed=1
else
    echo "ok   lintian: no errors, no warnings"
fi

# systemd-analyze verify: the units with the packages' programs (and cage) in a root that also
# holds the host's units (sysinit.target and the rest every unit depends on).
root=$tmp/root
mkdir -p "$root/lib/systemd/system" "$root/usr/bin"
cp -a /lib/systemd/system/. "$root/lib/systemd/system/"
for d in $debs; do dpkg-deb -x "$d" "$root"; done
if command -v cage >/dev/null 2>&1; then
    cp "$(command -v cage)" "$root/usr/bin/cage"
else
    echo "note: cage is not installed here: verify sees a stand-in for /usr/bin/cage"
    printf '#!/bin/sh\n' > "$root/usr/bin/cage" && chmod 755 "$root/usr/bin/cage"
fi
for unit in openline-kiosk.service openline-stats.service; do
    if [ ! -f "$root/lib/systemd/system/$unit" ]; then
        echo "FAIL $unit is not in the packages"
        failed=1
        continue
    fi
    out=$(systemd-analyze verify --root="$root" "/lib/systemd/system/$unit" 2>&1)
    if [ $? -eq 0 ] && [ -z "$out" ]; then
        echo "ok   systemd-analyze verify $unit"
    else
        echo "FAIL systemd-analyze verify $unit:"
        printf '%s\n' "$out" | sed 's/^/     /'
        failed=1
    fi
    score=$(systemd-analyze security --offline=true --root="$root" \
        "/lib/systemd/system/$unit" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p')
    if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }'; then
        echo "ok   systemd-analyze security $unit: $score (at most 2.5, \"OK\")"
    else
        echo "FAIL systemd-analyze security $unit: ${score:-no score} (limit 2.5)"
        failed=1
    fi
done

tests/deb/watchdog.sh || failed=1
exit $failed
