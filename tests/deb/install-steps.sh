#!/bin/sh
# Run inside a clean Debian 12 root by tests/deb/install.sh (chroot, as root): install, check,
# upgrade, remove and purge openline and openline-stats. One line per check (ok / FAIL); exits
# non-zero when one failed. /tmp/test holds v1/ and v2/ (the .deb files of both versions).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
failed=0
ok() { echo "ok   $*"; }
bad() {
    echo "FAIL $*"
    failed=1
}
check() { # WHAT COMMAND...: ok when the command succeeds
    what=$1
    shift
    if "$@" >/tmp/check.out 2>&1; then ok "$what"; else
        bad "$what"
        sed 's/^/     /' /tmp/check.out | tail -15
    fi
}
mode_of() { stat -c '%a %U:%G' "$1" 2>/dev/null || echo missing; }
apt_get() { apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"; }

# Before: the paths that exist, to compare with after the purge.
find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path /run \
    -o -path /var/cache -o -path /var/log -o -path /var/lib/apt/lists \) -prune -o -print |
    sort > /tmp/before

apt-get -q update >/tmp/apt.log 2>&1
check "apt-get install openline openline-stats (with their dependencies from the archive)" \
    apt_get install /tmp/test/v1/openline_*.deb /tmp/test/v1/openline-stats_*.deb
v1=$(dpkg-query -W -f '${Version}' openline)
ok "installed openline $v1, openline-stats $(dpkg-query -W -f '${Version}' openline-stats)"

check "system user openline-kiosk (home /var/lib/openline, no login shell)" \
    sh -c 'getent passwd openline-kiosk | grep -q ":/var/lib/openline:/usr/sbin/nologin$"'
# audio and video come with every system (base-passwd); input and render with udev: a member of
# each that exists (a kiosk has udev; this minimal root may not).
for g in audio video input render; do
    if getent group $g >/dev/null; then
        id -nG openline-kiosk | tr ' ' '\n' | grep -qx $g && ok "openline-kiosk in group $g" ||
            bad "openline-kiosk not in group $g"
    else
        echo "note group $g does not exist in this root (no udev): not checked"
    fi
done
m=$(mode_of /var/lib/openline)
[ "$m" = "750 openline-kiosk:openline-kiosk" ] && ok "/var/lib/openline: $m" ||
    bad "/var/lib/openline: $m (want 750 openline-kiosk:openline-kiosk)"
m=$(mode_of /etc/openline/openline.conf)
[ "$m" = "640 root:openline-kiosk" ] && ok "/etc/openline/openline.conf: $m" ||
    bad "/etc/openline/openline.conf: $m (want 640 root:openline-kiosk)"
check "/etc/openline/openline.conf is a conffile" \
    sh -c 'dpkg-query -W -f "\${Conffiles}" openline | grep -q " /etc/openline/openline.conf "'
for u in openline-kiosk openline-stats; do
    check "unit /lib/systemd/system/$u.service installed" test -f /lib/systemd/system/$u.service
done
check "nothing bundled: no font file in the package (fonts-noto-* are dependencies)" \
    sh -c '! dpkg -L openline | grep -Eiq "\.(ttf|otf|ttc)$"'
check "the call and upload plug-ins in /usr/lib/openline" \
    test -f /usr/lib/openline/openline-call.so -a -f /usr/lib/openline/openline-upload.so

# openline-stats --version
out=$(openline-stats --version 2>&1)
case "$out" in
"openline-stats "[0-9]*) ok "openline-stats --version: $out" ;;
*) bad "openline-stats --version: $out" ;;
esac

# self-test headless, as the kiosk's user, with the example configuration (no sound card and no
# hotline here: audio and hotline fail with what to do; the rest must pass).
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software
cp /usr/share/openline/assets/openline.conf.example /tmp/example.conf
chmod 644 /tmp/example.conf
runuser -u openline-kiosk -- openline self-test --config /tmp/example.conf >/tmp/st.out 2>/tmp/st.err
rc=$?
sed 's/^/     /' /tmp/st.out
for c in configuration fonts content locales; do
    grep -q "^$c  *ok " /tmp/st.out && ok "self-test: $c ok" || bad "self-test: $c not ok"
done
grep -q "^audio .*FAIL" /tmp/st.out && grep -A1 "^audio" /tmp/st.out | grep -q "what to do:" &&
    ok "self-test: audio fails without a sound card and says what to do" ||
    bad "self-test: audio line or its advice missing"
[ $rc -eq 1 ] && ok "self-test exit 1 (a check failed)" || bad "self-test exit $rc (want 1)"
# The installed configuration loads (organisation set, no hotline yet).
runuser -u openline-kiosk -- openline self-test >/tmp/st2.out 2>&1
grep -q "^configuration  *ok  */etc/openline/openline.conf" /tmp/st2.out &&
    ok "self-test: the installed /etc/openline/openline.conf loads as openline-kiosk" ||
    { bad "self-test with /etc/openline/openline.conf"; sed 's/^/     /' /tmp/st2.out; }

# The technician's changes and counts waiting in the spool, then the upgrade.
sed -i 's/^name = .*/name = Upgrade Test Helpline/' /etc/openline/openline.conf
echo "counts waiting" > /var/lib/openline/counts.db
chown openline-kiosk:openline-kiosk /var/lib/openline/counts.db
check "upgrade to the rebuilt packages" \
    apt_get install /tmp/test/v2/openline_*.deb /tmp/test/v2/openline-stats_*.deb
v2=$(dpkg-query -W -f '${Version}' openline)
[ "$v2" != "$v1" ] && ok "openline upgraded: $v1 -> $v2" || bad "openline still $v2"
grep -q '^name = Upgrade Test Helpline$' /etc/openline/openline.conf &&
    ok "upgrade kept the changed /etc/openline/openline.conf" ||
    bad "upgrade lost the change to /etc/openline/openline.conf"
m=$(mode_of /etc/openline/openline.conf)
[ "$m" = "640 root:openline-kiosk" ] && ok "after the upgrade /etc/openline/openline.conf: $m" ||
    bad "after the upgrade /etc/openline/openline.conf: $m"
grep -q 'counts waiting' /var/lib/openline/counts.db 2>/dev/null &&
    ok "upgrade kept the spool /var/lib/openline/counts.db" || bad "upgrade lost the spool"

check "apt-get remove openline openline-stats" apt_get remove openline openline-stats
grep -q 'counts waiting' /var/lib/openline/counts.db 2>/dev/null &&
    ok "remove kept the spool" || bad "remove deleted the spool"
test -f /etc/openline/openline.conf && ok "remove kept the configuration (a conffile)" ||
    bad "remove deleted the configuration"

check "apt-get purge openline openline-stats" apt_get purge openline openline-stats
test -e /var/lib/openline && bad "purge left /var/lib/openline" || ok "purge deleted the spool"
test -e /etc/openline && bad "purge left /etc/openline" || ok "purge deleted /etc/openline"
dpkg-statoverride --list | grep -q openline && bad "purge left a dpkg-statoverride" ||
    ok "purge removed the dpkg-statoverride"
apt_get autoremove --purge >/tmp/auto.log 2>&1
find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path /run \
    -o -path /var/cache -o -path /var/log -o -path /var/lib/apt/lists \) -prune -o -print |
    sort > /tmp/after
comm -13 /tmp/before /tmp/after > /tmp/left
# What Debian allows to stay: the system user (and group) in the account files, their backups,
# and the state files of dpkg, apt, ucf and debconf.
grep -vE '^/etc/(passwd|group|shadow|gshadow|subuid|subgid)-?$|^/var/lib/(dpkg|apt|ucf|systemd/deb-systemd-helper-(enabled|masked))(/|$)|^/var/cache/debconf|^/etc/(ld\.so\.cache|mailcap)$|^/var/lib/dbus|^/etc/machine-id$|^/var/lib/python|^/usr/lib/python3.*/__pycache__|^/var/lib/sgml-base|^/var/lib/xml-core|^/etc/fonts|^/var/cache' \
    /tmp/left > /tmp/left.bad
if [ -s /tmp/left.bad ]; then
    bad "after purge and autoremove, paths left that were not there before:"
    head -20 /tmp/left.bad | sed 's/^/     /'
else
    ok "after purge and autoremove nothing is left but what policy allows: $(tr '\n' ' ' < /tmp/left)"
fi
getent passwd openline-kiosk >/dev/null && echo "note the system user openline-kiosk stays after the purge (Debian keeps system users)"
exit $failed
