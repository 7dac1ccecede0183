#!/bin/sh
# Kiosk mode under a real X server: `openline run --kiosk` on a private Xvfb with a window
# manager (openbox, whose Alt+F4 closes windows) must ignore a close request (WM_DELETE_WINDOW,
# sent straight to the window as a window manager does) and Alt+F4, hide the cursor and cover the
# whole screen. The same checks against `--windowed`, which must quit and show its cursor, prove
# they can fail. OL_KEEP=1 keeps the temp directory (screenshots kiosk.png, windowed.png).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
conf=assets/openline.conf.example
failed=0

for tool in Xvfb openbox xdotool xwininfo xprop xdpyinfo xwd xwdtopnm pnmtopng cc pkg-config; do
    command -v $tool >/dev/null 2>&1 ||
        { echo "FAIL kiosk mode: $tool missing (make deps)"; exit 1; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/openline-kiosk.XXXXXX")
: >"$T/pids"
cleanup() {
    while read -r pid; do kill "$pid" 2>/dev/null; done <"$T/pids"
    sleep 0.2
    while read -r pid; do kill -9 "$pid" 2>/dev/null; done <"$T/pids"
    [ "${OL_KEEP:-0}" = 1 ] && echo "kept $T" >&2 || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
# started processes are listed for the cleanup, newest first (the kiosk before its X server)
track() { { echo "$1"; cat "$T/pids"; } >"$T/pids.new" && mv "$T/pids.new" "$T/pids"; }
ok() { echo "ok   kiosk mode: $1"; }
bad() { echo "FAIL kiosk mode: $1"; failed=1; }

# What xdotool and xprop cannot do: send WM_DELETE_WINDOW as a window manager does (the close
# button), and read the cursor the server shows at the pointer (XFixes).
cat >"$T/xprobe.c" <<'EOF'
#include <X11/Xlib.h>
#include <X11/extensions/Xfixes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    Display *d = XOpenDisplay(NULL);
    if (!d || argc < 2)
        return 2;
    if (!strcmp(argv[1], "close") && argc == 3) {
        XEvent e = {0};
        e.xclient.type = ClientMessage;
        e.xclient.window = (Window)strtoul(argv[2], NULL, 0);
        e.xclient.message_type = XInternAtom(d, "WM_PROTOCOLS", False);
        e.xclient.format = 32;
        e.xclient.data.l[0] = (long)XInternAtom(d, "WM_DELETE_WINDOW", False);
        e.xclient.data.l[1] = CurrentTime;
        XSendEvent(d, e.xclient.window, False, NoEventMask, &e);
        XSync(d, False);
    } else if (!strcmp(argv[1], "cursor")) {
        int ev, er;
        XFixesCursorImage *c = XFixesQueryExtension(d, &ev, &er) ? XFixesGetCursorImage(d) : NULL;
        if (!c)
            return 1;
        unsigned long visible = 0;
        for (int i = 0; i < c->width * c->height; i++)
            visible += (c->pixels[i] >> 24) != 0;
        printf("%dx%d %lu\n", c->width, c->height, visible);
    } else {
        return 2;
    }
    XCloseDisplay(d);
    return 0;
}
EOF
# shellcheck disable=SC2046
cc -o "$T/xprobe" "$T/xprobe.c" $(pkg-config --cflags --libs x11 xfixes) ||
    { bad "cannot build the X probe (libx11-dev, libxfixes-dev)"; exit 1; }

# A private X server on a display number it picks itself (-displayfd), and openbox.
Xvfb -displayfd 3 -screen 0 1280x800x24 -br -nolisten tcp 3>"$T/display" >"$T/xvfb.log" 2>&1 &
track $!
n=0
while ! [ -s "$T/display" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
[ -s "$T/display" ] || { bad "Xvfb did not start"; cat "$T/xvfb.log"; exit 1; }
DISPLAY=:$(cat "$T/display")
export DISPLAY
# On a fresh machine the first X server can take a moment after -displayfd before it accepts
# clients (seen: openbox "Failed to open the display"); wait until one connects.
n=0
until xdpyinfo >/dev/null 2>&1; do
    n=$((n + 1))
    [ $n -gt 200 ] && { bad "Xvfb accepted no client within 10 s"; cat "$T/xvfb.log"; exit 1; }
    sleep 0.05
done
screen=$(xdpyinfo | sed -n 's/^ *dimensions: *\([0-9]*x[0-9]*\) pixels.*/\1/p')
# openbox, started again (up to three times) if it exits before it manages the screen.
tries=0
wm=
n=0
while ! xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id'; do
    if [ -z "$wm" ] || ! kill -0 "$wm" 2>/dev/null; then
        tries=$((tries + 1))
        if [ $tries -gt 3 ]; then
            bad "openbox did not start (3 tries)"
            sed 's/^/     /' "$T/openbox.log"
            exit 1
        fi
        HOME=$T openbox --sm-disable >>"$T/openbox.log" 2>&1 &
        wm=$!
        track $wm
    fi
    n=$((n + 1))
    if [ $n -gt 200 ]; then
        bad "openbox did not start within 10 s"
        sed 's/^/     /' "$T/openbox.log"
        exit 1
    fi
    sleep 0.05
done

# start NAME OPTION: the kiosk with the example configuration; sets kpid and win, and waits up
# to 5 s for the window to settle (mapped; in kiosk mode, fullscreen).
start() {
    build/openline run "$2" --config "$conf" >"$T/$1.log" 2>&1 &
    kpid=$!
    track $kpid
    win=
    n=0
    while [ $n -lt 100 ]; do
        win=$(xdotool search --onlyvisible --pid $kpid 2>/dev/null | head -n 1)
        if [ -n "$win" ]; then
            [ "$2" != --kiosk ] && break
            xprop -id "$win" _NET_WM_STATE 2>/dev/null | grep -q FULLSCREEN && break
        fi
        sleep 0.05
        n=$((n + 1))
    done
    [ -n "$win" ] || { bad "$1: no window appeared"; sed 's/^/     /' "$T/$1.log" | tail -5; }
    sleep 0.5 # the first frames
}
# geometry WIN: X,Y WxH of the window on the screen
geometry() {
    xwininfo -id "$1" 2>/dev/null | awk '/Absolute upper-left X/ {x = $NF}
        /Absolute upper-left Y/ {y = $NF} /^ *Width:/ {w = $NF} /^ *Height:/ {h = $NF}
        END {print x "," y " " w "x" h}'
}
# cursor_over WIN: pixels of the cursor shown with the pointer in the window's centre
cursor_over() {
    eval "$(xdotool getwindowgeometry --shell "$1")"
    xdotool mousemove $((X + WIDTH / 2)) $((Y + HEIGHT / 2))
    sleep 0.2
    "$T/xprobe" cursor | awk '{print $2}'
}
# shot NAME: a screenshot of the whole screen ($T/NAME.png); prints the distinct colours of its
# four corner pixels ("R G B;" each)
shot() {
    xwd -root -silent | xwdtopnm 2>/dev/null >"$T/$1.ppm"
    pnmtopng <"$T/$1.ppm" >"$T/$1.png" 2>/dev/null
    w=${screen%x*} h=${screen#*x}
    for xy in 0:0 $((w - 1)):0 0:$((h - 1)) $((w - 1)):$((h - 1)); do
        pamcut -left "${xy%:*}" -top "${xy#*:}" -width 1 -height 1 "$T/$1.ppm" 2>/dev/null |
            pnmtoplainpnm | tail -n 1 | awk '{ $1 = $1; print }'
    done | sort -u | tr '\n' ';'
}
# still_running PID SECONDS: true when the process is still there after SECONDS
still_running() {
    sleep "$2"
    kill -0 "$1" 2>/dev/null
}
# quits_within PID SECONDS: true when the process ended by itself within SECONDS
quits_within() {
    n=0
    while kill -0 "$1" 2>/dev/null && [ $n -lt $(($2 * 20)) ]; do sleep 0.05; n=$((n + 1)); done
    ! kill -0 "$1" 2>/dev/null
}

# ---- kiosk mode
start kiosk --kiosk
if [ -n "$win" ]; then
    geo=$(geometry "$win")
    state=$(xprop -id "$win" _NET_WM_STATE | sed 's/.*= //')
    [ "$geo" = "0,0 $screen" ] && ok "fullscreen: window $geo on a $screen screen ($state)" ||
        { bad "not fullscreen: window $geo on a $screen screen ($state)"
          kill -0 $wm 2>/dev/null || echo "     openbox is no longer running:"
          sed 's/^/     /' "$T/openbox.log"; }
    px=$(cursor_over "$win")
    [ "$px" = 0 ] && ok "cursor hidden: the cursor over the window has 0 visible pixels (XFixes)" ||
        bad "cursor shown over the window: ${px:-?} visible pixels"
    corners=$(shot kiosk)
    case "$corners" in
    *\;*\;* | "0 0 0;" | "") bad "the screenshot's corners are not all the kiosk's: $corners" ;;
    *) ok "screenshot: all four corners of the screen show the kiosk's background ($corners)" ;;
    esac
    "$T/xprobe" close "$win"
    still_running $kpid 1 && xwininfo -id "$win" | grep -q IsViewable &&
        ok "close request (WM_DELETE_WINDOW) ignored: still running and shown 1 s later" ||
        bad "the close request ended or hid the kiosk"
    xdotool windowactivate --sync "$win" 2>/dev/null
    xdotool key alt+F4
    still_running $kpid 1 && xwininfo -id "$win" | grep -q IsViewable &&
        ok "Alt+F4 (openbox: Close) ignored: still running and shown 1 s later" ||
        bad "Alt+F4 ended or hid the kiosk"
    [ "$(geometry "$win")" = "0,0 $screen" ] || bad "no longer fullscreen after the close requests"
    kill $kpid 2>/dev/null
fi

# ---- the contrast: --windowed shows its cursor and quits on the same close request, and on
# Alt+F4 (the checks above can fail)
start windowed-close --windowed
if [ -n "$win" ]; then
    geo=$(geometry "$win")
    px=$(cursor_over "$win")
    corners=$(shot windowed)
    [ "$geo" != "0,0 $screen" ] && [ "${px:-0}" -gt 0 ] && [ "$corners" = "0 0 0;" ] &&
        ok "contrast: --windowed is $geo with a $px-pixel cursor; screen corners $corners" ||
        bad "contrast: --windowed is $geo with a ${px:-?}-pixel cursor; screen corners $corners"
    "$T/xprobe" close "$win"
    quits_within $kpid 3 && ok "contrast: --windowed quits on the same close request" ||
        bad "contrast: --windowed did not quit on the close request (the check cannot fail)"
fi
start windowed-altf4 --windowed
if [ -n "$win" ]; then
    xdotool windowactivate --sync "$win" 2>/dev/null
    xdotool key alt+F4
    quits_within $kpid 3 && ok "contrast: --windowed quits on Alt+F4" ||
        bad "contrast: --windowed did not quit on Alt+F4 (the check cannot fail)"
fi
# ---- no window manager at all (a bare X server, as in an xinit kiosk): SDL cannot ask a window
# manager for fullscreen, so the kiosk's window must cover the screen by itself.
kill $wm 2>/dev/null
wait $wm 2>/dev/null # gone, not going: a window manager that dies while mapping the window
n=0
while xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' && [ $n -lt 100 ]; do
    sleep 0.05
    n=$((n + 1))
done
build/openline run --kiosk --config "$conf" >"$T/nowm.log" 2>&1 &
kpid=$!
track $kpid
win=
n=0
# (up to 10 s: once, on a loaded machine, 5 s went by before the window was mapped)
while [ -z "$win" ] && [ $n -lt 200 ]; do
    win=$(xdotool search --onlyvisible --pid $kpid 2>/dev/null | head -n 1)
    sleep 0.05
    n=$((n + 1))
done
sleep 0.5
if [ -n "$win" ]; then
    geo=$(geometry "$win")
    corners=$(shot nowm)
    [ "$geo" = "0,0 $screen" ] && [ "$corners" = "18 38 58;" ] &&
        ok "no window manager: still the whole screen ($geo; corners $corners)" ||
        bad "no window manager: window $geo on a $screen screen; corners $corners"
    kill $kpid 2>/dev/null
else
    bad "no window manager: no window appeared"
    xdotool search --pid $kpid 2>/dev/null | while read -r w; do
        echo "     window $w: $(xwininfo -id "$w" 2>/dev/null | grep -e 'Map State' -e geometry | tr -s ' ')"
    done
    sed 's/^/     /' "$T/nowm.log" | tail -5
fi
exit $failed
