#!/bin/bash
# Tests of the kiosk's counts (docs/counts.md): scripted visitors on the test clock, the real
# openline-stats behind a recording, fault-injecting proxy on 127.0.0.1, and the counts read back
# through the collector's CSV export. Prints one line per check and "N passed, M failed".
#   exactness     noise = none over three weeks: every count arrives exactly, each batch once
#   privacy       every byte sent upstream is wire v1; a session changes only counter values on
#                 disk and writes no log line
#   faults        collector down three weeks; 500, 503, 429 + Retry-After; a server that never
#                 answers; a reset mid-request; a refused token; a refused batch; disk full;
#                 the clock learnt from the collector; SIGKILL at random moments (tests/counts/
#                 kill.sh, 10 times here, 100 in make check-long)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/stats/lib.sh
. tests/counts/lib.sh

for f in "$KIOSK" build/openline-upload.so "$STATS_BIN"; do
    if [ ! -e "$f" ]; then
        echo "FAIL - $f is missing: run make"
        exit 1
    fi
done
only=${COUNTS_ONLY:-}
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

# ---------------------------------------------------------------------------------------------
exactness() {
    echo "== exactness: three weeks of visitors, noise = none, read back from the collector"
    site exact || { not_ok "exact: collector starts"; return; }
    local closed sipp_port
    closed=$(free_port) # nothing listens there: every call to it fails
    sipp_port=$(free_port)

    # Week 1: 6 visitors in Spanish read their rights and leave with quick exit; 5 in Arabic
    # read about fees and walk away.
    conf exact
    {
        repeat 6 v_page es rights quick
        repeat 5 v_page ar fees idle
    } >"$T/w1.play"
    check "exact: week 1 plays" play exact 2026-06-01T08:00Z "$T/w1.play"

    # Week 2: 5 visitors in French call a hotline that does not answer; 7 in English read two
    # pages each.
    conf exact hotline="sip:nobody@127.0.0.1:$closed"
    {
        for i in 1 2 3 4 5; do
            printf 'tap @attract\ntap @lang-fr\ntap @tile-call\ntap @dial\n'
            printf 'wait-for screen call-failed 8000\n'
            v_end idle
        done
        for i in 1 2 3 4 5 6 7; do
            printf 'tap @attract\ntap @lang-en\ntap @tile-signs\ntap @back\ntap @tile-travel\n'
            v_end idle
        done
    } >"$T/w2.play"
    check "exact: week 2 plays (5 calls fail)" play exact 2026-06-08T08:00Z "$T/w2.play"

    # Week 3: 5 visitors in Ukrainian talk to the hotline (SIPp answers) and hang up; one reads
    # the same page twice and picks Spanish twice: each is counted once.
    local xml=$PWD/tests/call/sipp/answer.xml
    (cd "$T" && exec sipp -sf "$xml" -i 127.0.0.1 -p "$sipp_port" \
        -m 5 -timeout 120s -rtp_echo -mp "$(free_port)" -nostdin >"$T/sipp.out" 2>&1) &
    track $!
    sleep 0.3
    conf exact hotline="sip:hotline@127.0.0.1:$sipp_port"
    {
        for i in 1 2 3 4 5; do
            printf 'tap @attract\ntap @lang-uk\ntap @tile-call\ntap @dial\n'
            printf 'wait-for widget keypad 5000\nexpect call connected\ntap @hangup\n'
            v_end idle
        done
        printf 'tap @attract\ntap @lang-es\ntap @tile-rights\ntap @back\ntap @tile-rights\n'
        printf 'tap @language\ntap @lang-es\n'
        v_end quick
    } >"$T/w3.play"
    check "exact: week 3 plays (5 calls answered by SIPp)" \
        play exact 2026-06-15T08:00Z "$T/w3.play"

    # A week later every batch has gone up, at its random time within a day of its end.
    printf 'advance 2d\nwait-for outbox 0 10000\nexpect outbox 0\n' >"$T/w4.play"
    check "exact: the outbox empties" play exact 2026-06-22T08:00Z "$T/w4.play"

    expect_csv exact week 2026-06-01 2026-06-21 "week,sessions,call.attempted,call.connected,call.failed,read_aloud,quick_exit
2026-06-01,11,<5,<5,<5,<5,6
2026-06-08,12,5,<5,5,<5,<5
2026-06-15,6,5,5,<5,<5,<5"
    expect_csv exact language 2026-06-01 2026-06-21 "language,sessions
ar,5
en,7
es,7
fr,5
uk,5"
    expect_csv exact page 2026-06-01 2026-06-21 "page,views
call,10
counts,<5
fees,5
help,<5
others,<5
rights,7
signs,7
travel,7"
    expect_batch exact 2026-06-01 "sessions=11 quick_exit=6 lang.es=6 lang.ar=5 page.rights=6 page.fees=5"
    expect_batch exact 2026-06-08 "sessions=12 call.attempted=5 call.failed=5 lang.fr=5 page.call=5 lang.en=7 page.signs=7 page.travel=7"
    expect_batch exact 2026-06-15 "sessions=6 call.attempted=5 call.connected=5 lang.uk=5 page.call=5 lang.es=1 page.rights=1 quick_exit=1"
    local stored
    stored=$(batches_stored exact | tr '\n' ' ')
    if [ "$stored" = "2026-06-01|7 2026-06-08|7 2026-06-15|7 " ]; then
        ok "exact: the collector holds one batch per week: $stored"
    else
        not_ok "exact: the collector holds: $stored (want one per week, 3 weeks)"
    fi
    local dup
    dup=$(modes exact | grep -c '^batches' || true)
    check "exact: each batch was sent once ($dup batch requests)" test "$dup" = 3
    check "exact: the batches declared no noise" \
        test "$(sqlite3 "$T/exact.db" "SELECT group_concat(DISTINCT mech) FROM batches")" = none
    wirecheck exact
}

# ---------------------------------------------------------------------------------------------
want exactness && exactness

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
