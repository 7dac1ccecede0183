#!/bin/bash
# The kiosk killed with SIGKILL at N random moments (default 10) while it counts visitors,
# closes buckets and uploads (day buckets, the test clock a day further each time); then every
# count must reach the collector exactly once: for each counter, at least what the sessions
# that finished counted and at most one more per kill (a session cut short), no batch twice, no
# batch refused, nothing left in the outbox.
#   tests/counts/kill.sh [N]      (make check: 10; make check-long: 100)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/stats/lib.sh
. tests/counts/lib.sh
N=${1:-10}

echo "== SIGKILL at $N random moments"
site kill || { echo "FAIL - kill: collector starts"; exit 1; }
conf kill bucket=day
# Each reply waits 300 ms after the collector stored the batch: a kill in that time leaves a
# batch the collector has and the kiosk still holds (sent again: "duplicate", then deleted).
echo "* * slow 300" >"$T/kill.mode"
# each run: three visitors (each marked once it left and its counts are on disk: a count made
# while the counts thread held the spool waits up to 20 ms in memory, which a kill would lose),
# its day closed and sent
{
    for s in 1 2 3; do
        v_page es rights quick
        printf 'wait-for unwritten 0 5000\nmark s%s\nsleep 120\n' "$s"
    done
    printf 'advance 1d\nsleep 150\nadvance 1d\nsleep 150\nmark end\n'
} >"$T/k.play"
# How long a run takes without a kill (its counts are part of the total like the others').
t0=$(date +%s%N)
check "kill: a run without a kill" play kill 2025-12-29T08:00Z "$T/k.play"
run_ms=$((($(date +%s%N) - t0) / 1000000))
echo "     a run takes $run_ms ms"
done_sessions=3
cut=0
for i in $(seq 1 "$N"); do
    : >"$T/kill.out"
    day=$(date -u -d "2026-01-05 + $((3 * (i - 1))) days" +%F)
    play_bg kill "${day}T08:00Z" "$T/k.play"
    pid=$(cat "$T/kill.play.pid")
    # a moment from the start to the end of the run
    sleep "$(awk -v r="$RANDOM" -v ms="$run_ms" 'BEGIN { printf "%.3f", r / 32767 * ms / 1000 }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    marks=$(grep -c '^mark s' "$T/kill.out")
    done_sessions=$((done_sessions + marks))
    [ "$marks" -lt 3 ] && cut=$((cut + 1))
    printf '     run %d: killed after %d visitor(s)%s\n' "$i" "$marks" \
        "$(grep -q '^mark end' "$T/kill.out" && echo ", its day closed and sent")"
done
last=$(date -u -d "2026-01-05 + $((3 * N)) days" +%F)
printf 'advance 3d\nwait-for outbox 0 20000\nexpect outbox 0\n' >"$T/k-end.play"
check "kill: after $N kills a last run empties the outbox" play kill "${last}T08:00Z" "$T/k-end.play"
sums=$(sqlite3 "$T/kill.db" "SELECT counts FROM batches" | python3 -c '
import json, sys
tot = {}
for line in sys.stdin:
    for k, v in json.loads(line).items():
        tot[k] = tot.get(k, 0) + v
print(" ".join(f"{k}={v}" for k, v in sorted(tot.items()) if v))')
lo=$done_sessions
hi=$((done_sessions + cut))
bad=""
for k in sessions lang.es page.rights quick_exit; do
    v=$(echo "$sums" | tr ' ' '\n' | sed -n "s/^$k=//p")
    [ -n "$v" ] && [ "$v" -ge "$lo" ] && [ "$v" -le "$hi" ] || bad="$bad $k=${v:-0}"
done
others=$(echo "$sums" | tr ' ' '\n' | grep -v -e '^sessions=' -e '^lang.es=' -e '^page.rights=' \
    -e '^quick_exit=' -e '^$' | tr '\n' ' ')
if [ -z "$bad" ] && [ -z "$others" ]; then
    ok "kill: every count delivered once: $sums ($lo finished visits, $cut cut short)"
else
    not_ok "kill: delivered $sums; want each of sessions lang.es page.rights quick_exit from $lo to $hi and nothing else (off:$bad $others)"
fi
check "kill: no batch refused or sent twice (the collector logged no 409 or 400)" \
    test "$(grep -c -e ' 409 ' -e ' 400 ' "$T/kill.log")" = 0
check "kill: none quarantined" test "$(counts_out kill | grep -c quarantined)" = 0
check "kill: one batch per day at most" test "$(sqlite3 "$T/kill.db" \
    "SELECT count(*) FROM batches GROUP BY start_day HAVING count(*) > 1" | wc -l)" = 0
wirecheck kill
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
