#!/bin/sh
# The demo collector for `make run`: openline-stats on 127.0.0.1 with a SQLite database in
# build/demo/, one kiosk (its token in build/demo/kiosk.token, private) and a staff member
# "demo" whose password is printed. It writes build/demo/openline.conf: the example
# configuration with a [counts] section that sends one-day buckets without noise (a demo only:
# a kiosk at a site adds noise, and the dashboard says these numbers are exact).
#   tools/demo-collector.sh start | stop | status
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/.."
dir=build/demo
db=sqlite:$PWD/$dir/stats.db
pidfile=$dir/collector.pid
stats=build/openline-stats

running() {
    [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

case "${1:-}" in
start)
    running && exit 0
    [ -x "$stats" ] || { echo "demo collector: $stats missing (make)" >&2; exit 1; }
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [ ! -s "$dir/kiosk.token" ]; then
        (umask 077 && "$stats" --db "$db" kiosk add "This computer (make run)" \
            >"$dir/kiosk.token" 2>/dev/null) || { echo "demo collector: kiosk add failed" >&2; exit 1; }
    fi
    if [ ! -s "$dir/staff.password" ]; then
        (umask 077 && head -c 12 /dev/urandom | base64 | tr -d '/+=' >"$dir/staff.password")
        "$stats" --db "$db" staff add demo <"$dir/staff.password" >/dev/null 2>&1 ||
            { echo "demo collector: staff add failed" >&2; exit 1; }
    fi
    # The port: OPENLINE_DEMO_STATS_PORT, else the one it had last time, else a free one.
    port=${OPENLINE_DEMO_STATS_PORT:-$(cat "$dir/collector.port" 2>/dev/null || echo 0)}
    "$stats" serve --db "$db" --listen "127.0.0.1:$port" >"$dir/collector.out" \
        2>"$dir/collector.log" &
    echo $! >"$pidfile"
    i=0
    until grep -q "listening on port" "$dir/collector.log" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 100 ] || ! running; then
            if [ "$port" != 0 ] && [ -z "${OPENLINE_DEMO_STATS_PORT:-}" ]; then
                rm -f "$dir/collector.port" # taken by now: a free one next time
            fi
            echo "demo collector: openline-stats did not start:" >&2
            cat "$dir/collector.log" >&2
            exit 1
        fi
        sleep 0.05
    done
    port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$dir/collector.log")
    echo "$port" >"$dir/collector.port"
    {
        cat assets/openline.conf.example
        cat <<CONF

; Added by tools/demo-collector.sh for make run only: counts go to the demo collector on this
; computer, in one-day buckets and WITHOUT privacy noise (a kiosk at a site never does this).
[counts]
collector = http://127.0.0.1:$port
token_file = $PWD/$dir/kiosk.token
bucket = day
noise = none
state_dir = $PWD/$dir/counts
CONF
    } >"$dir/openline.conf"
    echo "demo collector: the dashboard is http://127.0.0.1:$port/ (user demo, password" \
        "$(cat "$dir/staff.password")); each day's counts arrive within a day after it ends"
    ;;
stop)
    if running; then
        kill "$(cat "$pidfile")"
        echo "demo collector: stopped"
    fi
    rm -f "$pidfile"
    ;;
status)
    running && echo "demo collector: running (pid $(cat "$pidfile"))" || { echo "demo collector: stopped"; exit 1; }
    ;;
*)
    echo "usage: tools/demo-collector.sh start | stop | status" >&2
    exit 2
    ;;
esac
