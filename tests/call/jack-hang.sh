#!/bin/sh
# A sound server that stops answering (jackd stopped with SIGSTOP: its clients' requests wait
# for ever) must never hold up signalling:
# 1. hung from the start (PortAudio's probe waits in jack_client_open): the kiosk still starts,
#    the call still connects, and the hang-up's BYE leaves at once;
# 2. hung mid-call: the hang-up's BYE still leaves at once, and the call ends for the kiosk at
#    once (closing the device waits on its own thread);
# 3. hung from the start, a long call: the device never opens, so after 3 s the call fails
#    (audio: nobody would hear the visitor) with its BYE at once.
# "At once": within 100 ms of the hang-up (openline call hangs up --seconds after connected;
# the kiosk's quick exit does the same). The callee is tests/call/late.py's secondary, which
# notes when it sent 200 OK and when the BYE came (wall clock).
#   tests/call/jack-hang.sh TMPDIR      (called by tests/call/run.sh; exits non-zero on failure)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_jack_sub_setup jack-hang hang "$1"

ol_jackd_start || exit 1
status=0

# hung_call NAME SECONDS [STOP_AFTER]: a call of SECONDS to the callee; jackd is stopped before
# the kiosk starts, or STOP_AFTER seconds after the call connected. Checks the BYE's delay.
hung_call() {
    name=$1 call_secs=$2 stop_after=${3:-}
    sport=$(ol_freeport)
    python3 tests/call/late.py "$(ol_freeport)" "$sport" none 0 0 >"$T/$name.peer" 2>&1 &
    ppid=$!
    ol_track $ppid
    n=0
    until grep -q ready "$T/$name.peer" 2>/dev/null || [ $n -gt 100 ]; do sleep 0.05; n=$((n + 1)); done
    printf '[organisation]\nname = T\nhotline = +1 555 0100\n[audio]\ndriver = portaudio\n' \
        >"$T/$name.conf"
    [ -z "$stop_after" ] && kill -STOP $ol_jackd_pid
    "$OL_BIN" call --config "$T/$name.conf" --seconds "$call_secs" "sip:hotline@127.0.0.1:$sport" \
        >"$T/$name.log" 2>"$T/$name.err" &
    kpid=$!
    ol_track $kpid
    if [ -n "$stop_after" ]; then
        n=0
        while ! grep -q connected "$T/$name.log" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
        sleep "$stop_after"
        kill -STOP $ol_jackd_pid
    fi
    ol_wait_pid $kpid 20
    rc=$?
    wait $ppid
    kill -CONT $ol_jackd_pid
    sed 's/^/      /' "$T/$name.log"
    grep -v -e '^ALSA' -e 'plain' "$T/$name.err" | sed 's/^/      /'
    # A call the kiosk fails itself (hung-open: exit 4) hangs up when it fails.
    fail_ms=$(awk '/ failed / { print $1; exit }' "$T/$name.log")
    if [ -n "$fail_ms" ]; then
        call_secs=$(awk -v f="$fail_ms" -v c="$(awk '/ connected/ {print $1; exit}' "$T/$name.log")" \
            'BEGIN { printf "%.3f", (f - c) / 1000 }')
    elif [ $rc != 0 ]; then
        echo "      $name: openline call exit $rc"
        status=1
    fi
    ok_at=$(awk '$1 == "secondary_ok_at" {print $2}' "$T/$name.peer")
    bye_at=$(awk '$1 == "secondary_bye_at" {print $2}' "$T/$name.peer")
    late=$(awk -v a="$ok_at" -v b="$bye_at" -v s="$call_secs" \
        'BEGIN { if (a == "none" || b == "none" || a == "" || b == "") print "none";
                 else printf "%.0f", (b - a - s) * 1000 }')
    echo "      $name: BYE $late ms after the hang-up was due (--seconds $call_secs after 200 OK)"
    awk -v l="$late" 'BEGIN { exit !(l != "none" && l >= -50 && l <= 100) }' || {
        echo "      $name: the BYE did not leave within 100 ms of the hang-up"
        status=1
    }
    # The kiosk's own view: ended within 100 ms of the hang-up, whatever the device does.
    awk -v s="$call_secs" '/ connected/ { c = $1 } / ended| failed/ { e = $1 }
        END { d = e - c - s * 1000; printf "      %s: ended %d ms after the hang-up was due\n", n, d;
              exit !(c != "" && e != "" && d >= -50 && d <= 100) }' n="$name" "$T/$name.log" || status=1
}
hung_call hung-start 1
hung_call hung-midcall 2 0.5
hung_call hung-open 10
grep -q 'failed (audio).*did not open within 3 s' "$T/hung-open.log" || {
    echo "      hung-open: the call did not fail for want of audio after 3 s"
    status=1
}
exit $status
