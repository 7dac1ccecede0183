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
            v_start
            printf 'tap @lang-fr\ntap @tile-call\ntap @dial\n'
            printf 'wait-for screen call-failed 8000\n'
            v_end idle
        done
        for i in 1 2 3 4 5 6 7; do
            v_start
            printf 'tap @lang-en\ntap @tile-signs\ntap @back\ntap @tile-travel\n'
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
            v_start
            printf 'tap @lang-uk\ntap @tile-call\ntap @dial\n'
            printf 'wait-for widget keypad 5000\nexpect call connected\ntap @hangup\n'
            v_end idle
        done
        v_start
        printf 'tap @lang-es\ntap @tile-rights\ntap @back\ntap @tile-rights\n'
        printf 'tap @language\ntap @lang-es\n'
        v_end quick
    } >"$T/w3.play"
    check "exact: week 3 plays (5 calls answered by SIPp)" \
        play exact 2026-06-15T08:00Z "$T/w3.play"

    # A week later every batch has gone up, at its random time within a day of its end.
    printf 'advance 2d\nwait-for outbox 0 10000\nexpect outbox 0\n' >"$T/w4.play"
    check "exact: the outbox empties" play exact 2026-06-22T08:00Z "$T/w4.play"

    # noise = none: every margin is 0; a count below 5 is an empty cell and its row says so
    expect_csv exact week 2026-06-01 2026-06-21 "week,partial,unfinished,kiosks_reporting,batches,sessions,sessions_margin95,call.attempted,call.attempted_margin95,call.connected,call.connected_margin95,call.failed,call.failed_margin95,read_aloud,read_aloud_margin95,quick_exit,quick_exit_margin95,suppressed,no_data
2026-06-01,0,0,1,1,11,0,,,,,,,,,6,0,1,0
2026-06-08,0,0,1,1,12,0,5,0,,,5,0,,,,,1,0
2026-06-15,0,0,1,1,6,0,5,0,5,0,,,,,,,1,0"
    expect_csv exact language 2026-06-01 2026-06-21 "language,name,sessions,sessions_margin95,percent,suppressed
ar,العربية — Arabic,5,0,17.2,0
en,English,7,0,24.1,0
es,español — Spanish,7,0,24.1,0
fr,français — French,5,0,17.2,0
uk,українська — Ukrainian,5,0,17.2,0"
    expect_csv exact page 2026-06-01 2026-06-21 "page,title,views,views_margin95,percent_of_sessions,suppressed
call,What happens when you call,10,0,34.5,0
children,Keeping children safe,,,,1
counts,What this kiosk counts,,,,1
fees,Fees and debt,5,0,17.2,0
forced,\"Forced sex, begging or crime\",,,,1
help,Getting help,,,,1
others,Helping someone else,,,,1
rights,Your rights at work,7,0,24.1,0
signs,Warning signs,7,0,24.1,0
travel,Before you travel for work,7,0,24.1,0"
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
privacy() {
    echo "== privacy: what a visitor leaves on disk and in the log"
    site priv || { not_ok "priv: collector starts"; return; }
    local a b
    a=$(free_port)
    b=$(free_port)
    conf priv noise=geometric hotline="sip:nobody@127.0.0.1:$a" secondary="sip:nobody@127.0.0.1:$b"
    # Run 1 without a visitor: the kiosk starts, opens its bucket, sends its heartbeat, stops.
    printf 'advance 2m\nexpect screen attract\n' >"$T/p1.play"
    check "priv: a run without a visitor" play priv 2026-06-01T08:00Z "$T/p1.play"
    cp "$T/priv.err" "$T/priv.err.before"
    state_dump "$T/priv.state" >"$T/dump.before"
    # Run 2: one visitor, who picks a language, reads a page, calls (the primary and the
    # secondary hotline both fail), and leaves with quick exit.
    : >"$T/priv.err"
    { v_start; printf 'tap @lang-ar\ntap @tile-rights\ntap @call\ntap @dial\n'; } >"$T/p2.play"
    printf 'wait-for screen call-failed 8000\nkey Escape\nexpect screen attract\n' >>"$T/p2.play"
    check "priv: a run with one visitor whose call fails" \
        play priv 2026-06-01T08:03Z "$T/p2.play"
    state_dump "$T/priv.state" >"$T/dump.after"
    # Only counter values may differ: the same rows of live, with other values.
    local changed
    changed=$(diff "$T/dump.before" "$T/dump.after" | grep '^[<>]' | sed 's/^[<>] //' |
        sed -n "s/^INSERT INTO live VALUES(\([0-9-]*,[0-9]*,'[a-z._-]*'\),[0-9-]*);\$/\1/p" |
        sort | uniq -c | awk '$1 != 2 { bad = 1 } END { exit bad }' && echo same-rows)
    local other
    other=$(diff "$T/dump.before" "$T/dump.after" | grep '^[<>]' |
        grep -v "^[<>] INSERT INTO live VALUES" | head -5)
    if [ "$changed" = same-rows ] && [ -z "$other" ] &&
        ! diff -q "$T/dump.before" "$T/dump.after" >/dev/null; then
        ok "priv: the visit changed only counter values on disk ($(diff "$T/dump.before" \
            "$T/dump.after" | grep -c '^>') value(s)), no row or file added"
    else
        not_ok "priv: the visit changed more than counter values:"
        diff "$T/dump.before" "$T/dump.after" | head -20 | sed 's/^/     /'
    fi
    if cmp -s "$T/priv.err.before" "$T/priv.err"; then
        ok "priv: the visit wrote no log line ($(wc -l <"$T/priv.err") start-up line(s), as without it)"
    else
        not_ok "priv: the log differs from a run without a visitor:"
        diff "$T/priv.err.before" "$T/priv.err" | sed 's/^/     /'
    fi
    # The counts reach the collector, noised, with every counter of the closed set.
    printf 'advance 8d\nwait-for outbox 0 10000\n' >"$T/p3.play"
    check "priv: the noisy batch goes up" play priv 2026-06-01T08:05Z "$T/p3.play"
    check "priv: it declared its noise" test "$(sqlite3 "$T/priv.db" \
        "SELECT mech || ' ' || epsilon FROM batches")" = "geometric 1.0"
    wirecheck priv
}

# ---------------------------------------------------------------------------------------------
# The collector is down (nothing listens) for three weeks; then it comes back.
fault_down() {
    echo "== faults: the collector down for three weeks"
    site down || { not_ok "down: collector starts"; return; }
    conf down
    proxy_stop down
    {
        repeat 5 v_page es rights quick
        printf 'advance 7d\n'
        repeat 5 v_page es rights quick
        printf 'advance 7d\n'
        repeat 5 v_page es rights quick
        printf 'advance 7d\nadvance 1d\nexpect outbox 3\n'
    } >"$T/d1.play"
    check "down: three weeks of visitors, three batches wait" play down 2026-06-01T08:00Z "$T/d1.play"
    local waiting
    waiting=$(counts_out down | grep -cE ' waiting( |$)')
    # one request at a time while it is down: the oldest batch's, the others wait behind it
    check "down: openline counts shows 3 batches waiting, the oldest tried" \
        test "$waiting" = 3 -a "$(counts_out down | awk '$7 == "waiting" {print $3}' |
            head -n 1)" -ge 1
    check "down: the kiosk said once that the collector cannot be reached" \
        test "$(grep -c 'collector cannot be reached' "$T/down.err")" = 1
    proxy_start down "$(cat "$T/down.pport")"
    printf 'advance 7h\nwait-for outbox 0 10000\nexpect outbox 0\n' >"$T/d2.play"
    check "down: back up, every batch goes within the longest back-off (6 h)" \
        play down 2026-06-24T00:00Z "$T/d2.play"
    check "down: no more lines about it" \
        test "$(grep -c 'collector cannot be reached' "$T/down.err")" = 1
    for w in 2026-06-01 2026-06-08 2026-06-15; do
        expect_batch down $w "sessions=5 lang.es=5 page.rights=5 quick_exit=5"
    done
    wirecheck down
}

# Every reply the kiosk must retry, in turn: a reset mid-request, 500, 503 and 429 with
# Retry-After; then the batch goes. Then a batch the collector refuses (400): kept aside.
fault_replies() {
    echo "== faults: reset, 500, 503, 429 + Retry-After, then 400"
    site replies || { not_ok "replies: collector starts"; return; }
    conf replies
    # any attempt after those four meets 500: one before Retry-After would show
    printf '%s\n' "batches 1 reset" "batches 1 status 500" "batches 1 status 503 60" \
        "batches 1 status 429 7200" "batches * status 500" "* * pass" >"$T/replies.mode"
    {
        repeat 5 v_page fr help quick
        # the bucket closes; its first attempt is within a day: the connection is reset
        printf 'advance 7d\nadvance 1d\nexpect outbox 1\n'
        # full jitter: after n failures at most 5 min * 2^(n-1), so within 35 minutes the 500,
        # the 503 (Retry-After: 60) and the 429 (Retry-After: 7200) have come; then an hour
        # more, 5 minutes at a time, in which nothing may go
        for i in $(seq 1 20); do printf 'advance 5m\n'; done
        printf 'expect outbox 1\n'
    } >"$T/r1.play"
    check "replies: a batch through a reset, 500, 503 and 429 waits" \
        play replies 2026-06-01T08:00Z "$T/r1.play"
    local seq
    seq=$(modes replies | grep '^batches' | tr '\n' ',')
    check "replies: one attempt per reply, none after the 429 ($seq)" test "$seq" = \
        "batches reset,batches status 500,batches status 503 60,batches status 429 7200,"
    # the next attempt, as the outbox shows it, is at least the 429's Retry-After later
    local last next
    last=$(counts_out replies | sed -n 's/.* waiting (last reply: \(.* UTC\): 429 .*/\1/p')
    next=$(counts_out replies | awk '$7 == "waiting" {print $4 " " $5 " UTC"}')
    check "replies: Retry-After honoured: 429 at $last, next attempt $next" \
        test $(($(date -u -d "$next" +%s) - $(date -u -d "$last" +%s))) -ge 7140
    echo "* * pass" >"$T/replies.mode"
    printf 'advance 1m\nwait-for outbox 0 5000\n' >"$T/r1b.play"
    check "replies: at that time, delivered" \
        play replies "$(date -u -d "$next + 1 min" +%Y-%m-%dT%H:%MZ)" "$T/r1b.play"
    expect_batch replies 2026-06-01 "sessions=5 lang.fr=5 page.help=5 quick_exit=5"

    printf '%s\n' "batches 1 status 400" "* * pass" >"$T/replies.mode"
    {
        repeat 5 v_page fr help quick
        # Thursday: the week closes on Monday, its batch meets the 400 within a day, and the
        # next days' heartbeats report it (the next week is not over yet)
        printf 'advance 4d\nadvance 1d\nexpect outbox 1\nadvance 2d\nexpect outbox 1\n'
    } >"$T/r2.play"
    check "replies: a batch refused with 400 stays in the outbox" \
        play replies 2026-06-11T12:00Z "$T/r2.play"
    check "replies: openline counts shows it quarantined with the reply" \
        grep -q 'quarantined: 400 test: injected by the test proxy' <(counts_out replies)
    check "replies: it is not sent again" \
        test "$(modes replies | grep -c '^batches status 400')" = 1 -a \
        "$(modes replies | grep -c '^batches')" = 6
    check "replies: the heartbeat reports it (spool depth 1, fail:spool.quarantined)" \
        test "$(sqlite3 "$T/replies.db" "SELECT spool_depth || ' ' || self_test FROM heartbeats \
            ORDER BY day DESC LIMIT 1")" = "1 fail:spool.quarantined"
    check "replies: the kiosk logged the refusal" grep -q 'refused the batch of 2026-06-08/7' \
        "$T/replies.err"
    wirecheck replies
}

# A collector that takes the request and never answers: the kiosk gives up after 60 s and tries
# again; a kiosk stopping during such an upload stops at once and keeps the batch untouched.
fault_hang() {
    echo "== faults: a collector that never answers"
    site hang || { not_ok "hang: collector starts"; return; }
    conf hang
    printf '%s\n' "batches 2 hang" "* * pass" >"$T/hang.mode"
    {
        repeat 5 v_page uk others quick
        printf 'advance 7d\nadvance 1d\nmark end\n'
    } >"$T/h1.play"
    local t0 t1
    play_bg hang 2026-06-01T08:00Z "$T/h1.play"
    wait_mark hang end
    t0=$(date +%s%N)
    check "hang: a run ends while its upload hangs" play_wait hang
    t1=$(date +%s%N)
    check "hang: ... and stops at once ($(((t1 - t0) / 1000000)) ms from its last line)" \
        test $(((t1 - t0) / 1000000)) -lt 2000
    check "hang: the abandoned attempt is not counted" \
        test "$(counts_out hang | awk '$7 == "waiting" {print $3}')" = 0
    printf 'sleep 62000\nadvance 6m\nwait-for outbox 0 5000\n' >"$T/h2.play"
    check "hang: the next run gives up after 60 s and delivers on the retry" \
        play hang 2026-06-09T12:00Z "$T/h2.play"
    check "hang: it said it timed out" grep -q 'cannot be reached (Operation timed out after 60' \
        "$T/hang.err"
    expect_batch hang 2026-06-01 "sessions=5 lang.uk=5 page.others=5 quick_exit=5"
    wirecheck hang
}

# The collector refuses the kiosk's token (it was revoked): uploads pause, everything is kept;
# a new token in token_file and they go on, without a restart.
fault_token() {
    echo "== faults: a refused token"
    site token || { not_ok "token: collector starts"; return; }
    conf token
    "$STATS_BIN" --db "sqlite:$T/token.db" kiosk revoke 1 >/dev/null 2>&1
    {
        repeat 5 v_page ar signs quick
        printf 'advance 7d\nadvance 1d\nexpect outbox 1\nmark paused\nsleep 1500\n'
        printf 'advance 1m\nwait-for outbox 0 5000\n'
    } >"$T/t1.play"
    play_bg token 2026-06-01T08:00Z "$T/t1.play"
    if wait_mark token paused; then
        "$STATS_BIN" --db "sqlite:$T/token.db" kiosk add "token 2" >"$T/token.new" 2>/dev/null
        chmod 600 "$T/token.new"
        mv "$T/token.new" "$T/token.token"
    fi
    check "token: paused on 403, resumed with the new token, delivered" play_wait token
    check "token: the kiosk said the token was refused, once" \
        test "$(grep -c "refused this kiosk's token" "$T/token.err")" = 1
    check "token: ... and that a new token came" grep -q 'holds a new token' "$T/token.err"
    check "token: the batch is stored under the new kiosk" \
        test "$(sqlite3 "$T/token.db" "SELECT kiosk FROM batches")" = 2
    expect_batch token 2026-06-01 "sessions=5 lang.ar=5 page.signs=5 quick_exit=5"
}

# The state directory's disk is full while visitors come: the kiosk goes on, keeps their
# counts in memory, reports it in the heartbeat, and writes them once there is room.
fault_full() {
    echo "== faults: the state directory's disk full"
    mkdir -p "$T/full"
    if ! mount -t tmpfs -o size=512k,mode=700 tmpfs "$T/full"; then
        not_ok "full: cannot mount a small tmpfs (this test needs root)"
        return
    fi
    echo "$T/full" >>"$T/mounts"
    site full || { not_ok "full: collector starts"; return; }
    conf full state="$T/full/state"
    printf 'advance 2m\n' >"$T/f0.play"
    check "full: the spool is made" play full 2026-06-01T08:00Z "$T/f0.play"
    dd if=/dev/zero of="$T/full/filler" bs=4k >/dev/null 2>&1
    check "full: the disk is full" test "$(df --output=avail "$T/full" | tail -n 1)" -eq 0
    {
        repeat 5 v_page es travel quick
        printf 'expect screen attract\nadvance 1h\nmark visited\nsleep 1500\n'
        printf 'advance 1m\nadvance 7d\nadvance 1d\nwait-for outbox 0 5000\n'
    } >"$T/f1.play"
    play_bg full 2026-06-01T08:03Z "$T/f1.play"
    if wait_mark full visited; then
        check "full: nothing could be written meanwhile" \
            test "$(sqlite3 "file:$T/full/state/counts.db?immutable=1" \
                "SELECT sum(value) FROM live")" = 0
        rm -f "$T/full/filler"
    fi
    check "full: five visitors on a full disk, then room: every count delivered" play_wait full
    expect_batch full 2026-06-01 "sessions=5 lang.es=5 page.travel=5 quick_exit=5"
    check "full: the heartbeat while full said fail:state_dir" \
        grep -q 'fail:state_dir' <(sqlite3 "$T/full.db" "SELECT self_test FROM heartbeats")
    check "full: no visitor caused a log line (only start-up and the spool's own state)" \
        test "$(grep -v -e 'counts:' -e 'no \[hotline\] uri' -e 'caches sized from' -c "$T/full.err")" = 0
    wirecheck full
}

# Without NTP, the date comes from the collector's Date header: counts made before it wait
# undated, and join the current bucket when it is known, also after a restart.
fault_clock() {
    echo "== faults: the clock learnt from the collector"
    site clock || { not_ok "clock: collector starts"; return; }
    conf clock
    proxy_stop clock
    { v_page en rights quick; printf 'sleep 300\n'; } >"$T/c1.play"
    check "clock: a visitor on a kiosk that cannot know the date" play_real clock "$T/c1.play"
    if counts_out clock | grep -q 'trusted (NTP)'; then
        ok "clock: NTP keeps this machine's clock: the collector's Date is not needed here"
        return
    fi
    check "clock: the count waits undated" test "$(sqlite3 "$T/clock.state/counts.db" \
        "SELECT value FROM live WHERE start = -1 AND name = 'sessions'")" = 1
    proxy_start clock "$(cat "$T/clock.pport")"
    "$KIOSK" self-test --config "$T/clock.conf" >"$T/clock.selftest" 2>&1
    check "clock: self-test's heartbeat gave the date" \
        grep -q '^clock *ok *trusted (collector)' "$T/clock.selftest"
    check "clock: self-test's collector check passed" grep -q '^collector *ok' "$T/clock.selftest"
    printf 'sleep 1000\n' >"$T/c2.play"
    check "clock: a restart within the same boot" play_real clock "$T/c2.play"
    local monday
    monday=$(($(date -u -d "$(date -u +%F) -$(($(date -u +%u) - 1)) days" +%s) / 86400))
    check "clock: the undated count joined this week's bucket" test "$(sqlite3 \
        "$T/clock.state/counts.db" "SELECT group_concat(start || ':' || value) FROM live \
        WHERE name = 'sessions' AND value > 0")" = "$monday:1"
    check "clock: openline counts says trusted (collector)" \
        grep -q 'trusted (collector)' <(counts_out clock)
    wirecheck clock
}

# A technician sends what waits at once: openline counts --upload-now.
upload_now() {
    echo "== openline counts --upload-now"
    site now || { not_ok "now: collector starts"; return; }
    conf now bucket=day
    # the day closes at midnight; its first attempt is at a random time of the next day (and
    # should it come while the kiosk runs, it meets a 503)
    printf '%s\n' "batches * status 503" "* * pass" >"$T/now.mode"
    { repeat 5 v_page en help idle; printf 'advance 16h\nexpect outbox 1\n'; } >"$T/n1.play"
    check "now: a day's batch waits" play now 2026-06-01T08:00Z "$T/n1.play"
    echo "* * pass" >"$T/now.mode"
    "$KIOSK" counts --config "$T/now.conf" --upload-now >"$T/now.counts" 2>&1
    check "now: --upload-now sent it: $(grep '^upload' "$T/now.counts")" \
        grep -q '^upload 2026-06-01/1: 201 stored' "$T/now.counts"
    check "now: ... and the outbox is empty" grep -q '^outbox: *0 batch' "$T/now.counts"
    expect_batch now 2026-06-01 "sessions=5 lang.en=5 page.help=5"
    check "now: the counts shown never include live values" \
        test "$(grep -c -e 'sessions' -e 'lang\.' "$T/now.counts")" = 0
    wirecheck now
}

# ---------------------------------------------------------------------------------------------
want exactness && exactness
want privacy && privacy
want down && fault_down
want replies && fault_replies
want token && fault_token
want full && fault_full
want clock && fault_clock
want now && upload_now
want hang && fault_hang
if want kill; then
    if tests/counts/kill.sh 10; then ok "kill: tests/counts/kill.sh 10"; else not_ok "kill: tests/counts/kill.sh 10"; fi
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
