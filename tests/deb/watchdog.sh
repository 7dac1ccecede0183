#!/bin/sh
# The kiosk feeds systemd's watchdog from its main loop (app/core/service.c, app/ui/ui.c):
# `openline run` headless with a fake NOTIFY_SOCKET (tests/deb/notify-listen.py) and
# WATCHDOG_USEC=1s must say READY=1 after its first frame and WATCHDOG=1 about every 500 ms;
# once its main loop is made to hang (SIGUSR2, honoured only with OPENLINE_TEST_HANG=1) the pings
# must stop within one interval. Without OPENLINE_TEST_HANG, SIGUSR2 ends the process (its
# default action) and never hangs it. With systemd as PID 1, a transient service with
# WatchdogSec= must be restarted after the hang; elsewhere that part says why it cannot run.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
bin=$(pwd)/build/openline
tmp=$(mktemp -d)
kiosk=
listener=
cleanup() {
    [ -n "$kiosk" ] && kill -9 "$kiosk" 2>/dev/null
    [ -n "$listener" ] && kill "$listener" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
failed=0
sed 's/^uri = sip.*/uri =/' assets/openline.conf.example > "$tmp/openline.conf"
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy

python3 tests/deb/notify-listen.py "$tmp/notify" 60 > "$tmp/notes" &
listener=$!
i=0
while [ ! -S "$tmp/notify" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
NOTIFY_SOCKET="$tmp/notify" WATCHDOG_USEC=1000000 OPENLINE_TEST_HANG=1 \
    "$bin" run --windowed --config "$tmp/openline.conf" > "$tmp/log" 2>&1 &
kiosk=$!
sleep 4
pings_before=$(grep -c ' WATCHDOG=1$' "$tmp/notes")
hang_at=$(python3 -c 'import time; print("%.3f" % time.monotonic())')
kill -USR2 $kiosk
sleep 3
alive=no
kill -0 $kiosk 2>/dev/null && alive=yes
kill -9 $kiosk 2>/dev/null
wait $kiosk 2>/dev/null
kiosk=
if grep -q ' READY=1$' "$tmp/notes"; then
    echo "ok   READY=1 after the first frame"
else
    echo "FAIL no READY=1 on the notification socket"
    failed=1
fi
# About 8 pings in 4 s at 500 ms (the first frame takes a moment): at least 5.
if [ "$pings_before" -ge 5 ]; then
    echo "ok   $pings_before WATCHDOG=1 pings in 4 s with WATCHDOG_USEC=1s"
else
    echo "FAIL $pings_before WATCHDOG=1 pings in 4 s with WATCHDOG_USEC=1s (want 5 or more)"
    failed=1
fi
last=$(grep ' WATCHDOG=1$' "$tmp/notes" | tail -1 | cut -d' ' -f1)
after=$(awk -v h="$hang_at" '$2 == "WATCHDOG=1" && $1 > h' "$tmp/notes" | wc -l)
late=$(awk -v h="$hang_at" -v l="${last:-0}" 'BEGIN { printf "%d", (l - h) * 1000 }')
if [ $alive = yes ] && [ "$late" -le 1000 ]; then
    when="${late} ms after"
    [ "$late" -lt 0 ] && when="$((-late)) ms before"
    echo "ok   hung main loop: last ping $when SIGUSR2 ($after after it), none in the 3 s after (limit: one interval, 1000 ms)"
else
    echo "FAIL hung main loop: alive=$alive, last ping ${late} ms after SIGUSR2 (limit 1000 ms)"
    sed 's/^/     /' "$tmp/notes" | tail -5
    failed=1
fi

# Without the test variable, SIGUSR2 is not a way to hang the kiosk: it ends (default action).
NOTIFY_SOCKET="$tmp/notify" WATCHDOG_USEC=1000000 \
    "$bin" run --windowed --config "$tmp/openline.conf" > "$tmp/log2" 2>&1 &
kiosk=$!
sleep 2
kill -USR2 $kiosk
sleep 1
if kill -0 $kiosk 2>/dev/null; then
    echo "FAIL without OPENLINE_TEST_HANG=1, SIGUSR2 did not end the kiosk"
    failed=1
else
    echo "ok   without OPENLINE_TEST_HANG=1, SIGUSR2 does not hang the kiosk (it ends)"
fi
kill -9 $kiosk 2>/dev/null
wait $kiosk 2>/dev/null
kiosk=

# Under the kiosk's unit the main process is cage, the kiosk its child: a WATCHDOG_PID naming
# the parent is the kiosk's to feed; one naming another process is not (no pings).
for who in parent other; do
    : > "$tmp/notes"
    NOTIFY_SOCKET="$tmp/notify" WATCHDOG_USEC=1000000 BIN="$bin" CONF="$tmp/openline.conf" \
        WHO=$who sh -c 'if [ "$WHO" = parent ]; then export WATCHDOG_PID=$$; else export WATCHDOG_PID=1; fi
            "$BIN" run --windowed --config "$CONF" & k=$!; sleep 3; kill $k; wait $k' \
        > "$tmp/log3" 2>&1
    n=$(grep -c ' WATCHDOG=1$' "$tmp/notes")
    if { [ $who = parent ] && [ "$n" -ge 3 ]; } || { [ $who = other ] && [ "$n" -eq 0 ]; }; then
        echo "ok   WATCHDOG_PID naming the $who process: $n pings in 3 s"
    else
        echo "FAIL WATCHDOG_PID naming the $who process: $n pings in 3 s"
        failed=1
    fi
done

# Under cage itself, as the unit runs it: cage's headless back-end (no screen here), as an
# unprivileged user (cage refuses root), WATCHDOG_PID naming cage. The kiosk must say READY=1,
# feed the watchdog, and stop feeding it when its loop hangs.
if command -v cage >/dev/null 2>&1 && command -v Xwayland >/dev/null 2>&1; then
    user=$(id -un)
    [ "$(id -u)" -eq 0 ] && user=nobody
    xdg="$tmp/xdg"
    mkdir -p "$xdg" && chmod 700 "$xdg" && chmod 755 "$tmp" && chmod 644 "$tmp/openline.conf"
    [ "$user" = nobody ] && chown nobody "$xdg"
    : > "$tmp/notes"
    chmod 666 "$tmp/notify" "$tmp/notes"
    run_as() { if [ "$user" = "$(id -un)" ]; then "$@"; else runuser -u "$user" -- "$@"; fi; }
    run_as env NOTIFY_SOCKET="$tmp/notify" WATCHDOG_USEC=1000000 OPENLINE_TEST_HANG=1 \
        WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
        XDG_RUNTIME_DIR="$xdg" HOME="$xdg" BIN="$bin" CONF="$tmp/openline.conf" \
        sh -c 'export WATCHDOG_PID=$$; exec cage -s -- "$BIN" run --kiosk --config "$CONF"' \
        > "$tmp/cage.log" 2>&1 &
    kiosk=$!
    sleep 5
    n=$(grep -c ' WATCHDOG=1$' "$tmp/notes")
    # the processes this test started: the newest cage of that user, and its child the kiosk
    cage_pid=$(pgrep -n -x -u "$user" cage)
    child=
    [ -n "$cage_pid" ] && child=$(pgrep -n -x -P "$cage_pid" openline)
    hang_at=$(python3 -c 'import time; print("%.3f" % time.monotonic())')
    [ -n "$child" ] && kill -USR2 "$child"
    sleep 3
    after=$(awk -v h="$hang_at" '$2 == "WATCHDOG=1" && $1 > h + 1.0' "$tmp/notes" | wc -l)
    # the hung kiosk first: cage reaps it and ends with it (killed only if it does not)
    [ -n "$child" ] && kill -9 "$child" 2>/dev/null
    i=0
    while [ -n "$cage_pid" ] && kill -0 "$cage_pid" 2>/dev/null && [ $i -lt 30 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -n "$cage_pid" ] && kill -9 "$cage_pid" 2>/dev/null
    wait $kiosk 2>/dev/null
    kiosk=
    if grep -q ' READY=1$' "$tmp/notes" && [ "$n" -ge 3 ] && [ -n "$child" ] && [ "$after" -eq 0 ]; then
        echo "ok   under cage (headless, user $user): READY=1, $n pings in 5 s, none 1 s after the hang"
    else
        echo "FAIL under cage (user $user): READY=$(grep -c READY "$tmp/notes"), $n pings, kiosk pid '${child}', $after ping(s) after the hang"
        grep -v '^ALSA' "$tmp/cage.log" | tail -8 | sed 's/^/     /'
        failed=1
    fi
else
    echo "skip the kiosk under cage: cage or Xwayland is missing (make deps installs them)"
fi

# Restart by systemd: only where systemd runs this machine.
if [ "$(ps -p 1 -o comm= 2>/dev/null)" = systemd ] && command -v systemd-run >/dev/null; then
    unit=openline-watchdog-test-$$
    systemd-run --unit=$unit -p Type=notify -p NotifyAccess=all -p WatchdogSec=2s \
        -p Restart=always -p RestartSec=0 \
        -E SDL_VIDEODRIVER=offscreen -E SDL_RENDER_DRIVER=software -E OPENLINE_TEST_HANG=1 \
        "$bin" run --windowed --config "$tmp/openline.conf" >/dev/null 2>&1
    sleep 2
    pid1=$(systemctl show -P MainPID $unit)
    kill -USR2 "$pid1"
    sleep 4
    pid2=$(systemctl show -P MainPID $unit)
    restarts=$(systemctl show -P NRestarts $unit)
    systemctl stop $unit 2>/dev/null
    if [ "$pid2" != "$pid1" ] && [ "$pid2" != 0 ] && [ "${restarts:-0}" -ge 1 ]; then
        echo "ok   under systemd: hung kiosk restarted within WatchdogSec=2s (pid $pid1 -> $pid2)"
    else
        echo "FAIL under systemd: not restarted (pid $pid1 -> $pid2, NRestarts=$restarts)"
        failed=1
    fi
else
    echo "skip restart under systemd: PID 1 is $(ps -p 1 -o comm= 2>/dev/null || echo unknown), not systemd"
fi
exit $failed
