#!/bin/sh
# make check-install (and make check-long): the packages on a clean Debian 12 root.
#   1. make deb; then the same tree rebuilt with a higher version (a new changelog entry), the
#      upgrade a deployer gets;
#   2. mmdebstrap makes a minimal bookworm root from the Debian archive (the host's apt cache
#      is linked in first when it is on the same file system: only a speed-up, apt checks every
#      file against the archive's indexes);
#   3. inside it (tests/deb/install-steps.sh): both packages installed with apt and their
#      dependencies, the user, modes and units checked, `openline self-test` headless with the
#      example configuration, `openline-stats --version`; an upgrade keeps a changed
#      /etc/openline/openline.conf and the spool; removing keeps the spool; purging leaves
#      nothing of either package but the system user (Debian keeps system users).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
for tool in mmdebstrap dpkg-buildpackage; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "skip install test: $tool is missing (make deps installs it on Debian)"
        exit 0
    fi
done
if [ "$(id -u)" -ne 0 ]; then
    echo "skip install test: mmdebstrap needs root here (chroot); run it as root"
    exit 0
fi
tmp=$(mktemp -d /tmp/openline-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
start=$(date +%s)
if ! make --no-print-directory deb > "$tmp/build.log" 2>&1; then
    echo "FAIL make deb"
    tail -30 "$tmp/build.log" | sed 's/^/     /'
    exit 1
fi
mkdir -p "$tmp/v1" "$tmp/v2"
cp build/deb/openline_*.deb build/deb/openline-stats_*.deb "$tmp/v1/"
v1=$(dpkg-deb -f "$tmp"/v1/openline_*.deb Version)
# The upgrade: the same source with one more changelog entry, built again (objects reused).
v2="$v1+upgrade1"
{
    printf 'openline (%s) unstable; urgency=medium\n\n  * Upgrade test.\n\n' "$v2"
    printf ' -- OpenLine maintainers <maintainers@openline.invalid>  %s\n\n' "$(date -R)"
    cat build/deb/src/debian/changelog
} > "$tmp/changelog"
cp "$tmp/changelog" build/deb/src/debian/changelog
if ! (cd build/deb/src && dpkg-buildpackage -us -uc -b -nc) > "$tmp/build2.log" 2>&1; then
    echo "FAIL rebuilding version $v2"
    tail -30 "$tmp/build2.log" | sed 's/^/     /'
    exit 1
fi
cp build/deb/openline_"$v2"_*.deb build/deb/openline-stats_"$v2"_*.deb "$tmp/v2/"
echo "ok   built $v1 and $v2 ($(($(date +%s) - start)) s)"

cache_hook=true
if [ "$(stat -c %d /var/cache/apt/archives)" = "$(stat -c %d "$tmp")" ] &&
    ls /var/cache/apt/archives/*.deb >/dev/null 2>&1; then
    cache_hook='mkdir -p "$1/var/cache/apt/archives" && cp -l /var/cache/apt/archives/*.deb "$1/var/cache/apt/archives/"'
fi
mkdir -p "$tmp/test"
cp tests/deb/install-steps.sh "$tmp/test/"
cp -r "$tmp/v1" "$tmp/v2" "$tmp/test/"
t0=$(date +%s)
mmdebstrap --mode=root --variant=apt --skip=download/empty \
    --setup-hook="$cache_hook" \
    --customize-hook="copy-in $tmp/test /tmp" \
    --customize-hook='chroot "$1" sh /tmp/test/install-steps.sh' \
    --customize-hook='rm -rf "$1/tmp/test"' \
    bookworm "$tmp/root" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main" > "$tmp/mm.log" 2>&1
rc=$?
grep -E '^(ok|FAIL|note|skip) ' "$tmp/mm.log"
if [ $rc -ne 0 ]; then
    echo "FAIL the install test in a clean bookworm root (mmdebstrap exit $rc):"
    grep -vE '^(ok|FAIL|note|skip) ' "$tmp/mm.log" | tail -25 | sed 's/^/     /'
    exit 1
fi
echo "ok   install test in a clean Debian 12 root: $(($(date +%s) - t0)) s (with the builds: $(($(date +%s) - start)) s)"
