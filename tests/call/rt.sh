#!/bin/sh
# Real-time priority of the audio path (app/audio/rt.c), read per thread during a call on the wav
# driver to a baresip callee:
# 1. permitted (run as root): the wav driver's thread runs SCHED_FIFO 20, the call thread
#    SCHED_FIFO 10, and no other thread real-time (the audio-control thread may block);
# 2. not permitted (the same call as nobody, RLIMIT_RTPRIO 0, no capabilities): the call still
#    connects and ends normally, no thread runs real-time, and the log says why exactly once.
#   tests/call/rt.sh TMPDIR      (called by tests/call/run.sh; exits non-zero on failure)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_sub_setup rt "$1"
T=$OL_TMP
# The unprivileged run needs a directory it can read and write (the suite's is root's, 0700).
U=$(mktemp -d "${TMPDIR:-/tmp}/openline-rt.XXXXXX")
rt_cleanup() {
    while read -r pid; do kill "$pid" 2>/dev/null; done <"$T/pids"
    sleep 0.2
    while read -r pid; do kill -9 "$pid" 2>/dev/null; done <"$T/pids"
    rm -rf "$U"
}
trap rt_cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
status=0
fail() { echo "      FAIL: $*"; status=1; }

# rt_call NAME [runner...]: a 4 s call as the runner; the threads' scheduling while connected
# in $U/NAME.threads (tid, class, rtprio, name), its log in $U/NAME.log, exit status in $rc.
rt_call() {
    name=$1
    shift
    port=$(ol_freeport)
    ol_baresip_start "$name" "$port" tone=1000 codec=pcmu seconds=30 || { rc=99; return; }
    printf '[organisation]\nname = T\nhotline = +1 555 0100\n[audio]\ndriver = wav\nplayback_file = %s\n' \
        "$U/$name-out.wav" >"$U/$name.conf"
    chmod 644 "$U/$name.conf"
    "$@" "$U/openline" call --config "$U/$name.conf" --seconds 4 "sip:callee@127.0.0.1:$port" \
        >"$U/$name.log" 2>&1 &
    kpid=$!
    ol_track $kpid
    n=0
    while ! grep -q connected "$U/$name.log" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
    sleep 1 # the device has started (the first block) and libre's loop runs
    ps -L -o tid=,cls=,rtprio=,comm= -p $kpid >"$U/$name.threads"
    ol_wait_pid $kpid 15
    rc=$?
    ol_baresip_stop "$name"
}

# thread_is FILE NAME CLASS PRIO: the thread named NAME runs CLASS (ps: FF, RR, TS) at PRIO.
thread_is() {
    awk -v n="$2" -v c="$3" -v p="$4" '$4 == n && $2 == c && $3 == p { f = 1 } END { exit !f }' "$1"
}
# realtime FILE: the threads that run SCHED_FIFO or SCHED_RR, one per line.
realtime() { awk '$2 == "FF" || $2 == "RR"' "$1"; }

cp "$OL_BIN" "$(dirname "$OL_BIN")/openline-call.so" "$U/" && chmod 755 "$U" || exit 1

if [ "$(id -u)" = 0 ]; then
    rt_call root
    [ "$rc" = 0 ] || fail "permitted: call exit $rc, want 0"
    sed 's/^/      /' "$U/root.threads"
    thread_is "$U/root.threads" openline-audio FF 20 ||
        fail "permitted: the wav driver's thread is not SCHED_FIFO 20"
    thread_is "$U/root.threads" openline-call FF 10 ||
        fail "permitted: the call thread is not SCHED_FIFO 10"
    others=$(realtime "$U/root.threads" | awk '$4 != "openline-audio" && $4 != "openline-call"')
    [ -z "$others" ] || fail "permitted: other threads run real-time: $others"
    grep -q "normal priority" "$U/root.log" && fail "permitted: the log says normal priority"
else
    echo "      not root: the permitted case is not tested here"
fi

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    chown nobody "$U"
    # RLIMIT_RTPRIO 0 and no capabilities: SCHED_FIFO fails with EPERM, as for the kiosk's user
    # outside its unit.
    rt_call nobody prlimit --rtprio=0 setpriv --reuid=nobody --regid=nogroup --clear-groups \
        --inh-caps=-all --bounding-set=-all
    [ "$rc" = 0 ] || fail "not permitted: call exit $rc, want 0"
    grep -q "connected" "$U/nobody.log" || fail "not permitted: the call did not connect"
    sed 's/^/      /' "$U/nobody.threads"
    said=$(grep -c "runs at normal priority" "$U/nobody.log")
    if [ -n "$(realtime "$U/nobody.threads")" ]; then
        # A system bus with rtkit grants it: then nothing is said.
        [ "$said" = 0 ] || fail "not permitted: real-time through rtkit, yet the log says $said times why not"
        echo "      rtkit granted real-time priority"
    else
        [ "$said" = 1 ] || fail "not permitted: the log says $said times why there is no real-time priority (want 1)"
        grep "runs at normal priority" "$U/nobody.log" | sed 's/^/      /'
    fi
else
    echo "      not root or no setpriv: the unprivileged case is not tested here"
fi
[ $status = 0 ] || { echo "      logs:"; cat "$U"/*.log | sed 's/^/      /'; }
exit $status
