#!/bin/bash
# Benchmark of openline-stats (issue 5), for `make bench-stats`:
#  - ingest: wrk posts valid, distinct batches over keep-alive connections to the real server,
#    on SQLite and on a PostgreSQL server started here, against the rate of bare INSERTs (one
#    row per durable commit) into the same database from a C loop (build/tests/stats_bench);
#  - dashboard: render time of the page for 1,000 kiosks x 52 weeks.
# Numbers, not pass/fail; targets from the issue: ingest >= 0.5 x bare INSERT, dashboard < 100 ms with ranges and filters.
# SPDX-License-Identifier: GPL-3.0-or-later
#   STATS_BENCH_SECONDS per run (default 5), STATS_BENCH_ROUNDS (default 3),
#   STATS_BENCH_CONNECTIONS (default 16)
set -u
cd "$(dirname "$0")/../.."
. tests/stats/lib.sh

DUR=${STATS_BENCH_SECONDS:-5}
ROUNDS=${STATS_BENCH_ROUNDS:-3}
CONNS=${STATS_BENCH_CONNECTIONS:-16}
KIOSKS=1000
SITES=100
WEEKS=52
RENDERS=20
for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "stats bench: $tool is missing (make deps)" >&2; exit 1; }
done
# tests/bench/run.sh calls this script directly: build what it needs (nothing when up to date).
make --no-print-directory "$STATS_BIN" "$STATS_BENCH" >&2 || exit 1

THIS=$(this_monday)
FROM=$(date -u -d "$THIS - $((WEEKS * 7)) days" +%F)
TO=$(date -u -d "$THIS - 1 day" +%F)
# wrk posts weeks older than the ones the loader filled.
NEWEST=$(date -u -d "$THIS - $(((WEEKS + 1) * 7)) days" +%s)
PASSWORD="benchmark password 1"

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# bench BACKEND URL: prints "ingest bare ratio stored answered non2xx median max rounds"
# The machine's disk and cores are shared, so ingest and bare INSERTs alternate in $ROUNDS
# rounds, and the medians are compared (each round's ratio is shown too).
bench() {
    local b=$1 url=$2
    echo "--- $b: loading $KIOSKS kiosks at $SITES sites x $WEEKS weeks through the write path" >&2
    "$STATS_BENCH" fill --db "$url" --kiosks $KIOSKS --weeks $WEEKS --sites $SITES \
        --tokens "$T/tokens-$b" >&2 || return 1
    echo "$PASSWORD" | "$STATS_BIN" --db "$url" staff add bench 2>/dev/null

    stats_start "$b" "$url" --rate 0 --per-ip 0 --max-connections 1024 || return 1
    local base="http://127.0.0.1:$(stats_port "$b")"
    local r rps bare answered=0 non2xx=0 n rounds=""
    : >"$T/rps-$b"
    : >"$T/bare-$b"
    : >"$T/ratio-$b"
    for r in $(seq 1 "$ROUNDS"); do
        # Each round posts weeks older than the rounds before: every request is a new batch.
        local newest=$((NEWEST - (r - 1) * 200 * 7 * 86400))
        wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -s tests/stats/bench_wrk.lua \
            "$base/api/v1/batches" -- "$T/tokens-$b" "$newest" 2 >"$T/wrk-$b.txt" 2>&1
        rps=$(awk '/^Requests\/sec/ {print $2}' "$T/wrk-$b.txt")
        n=$(awk '/requests in/ {print $1}' "$T/wrk-$b.txt")
        answered=$((answered + ${n:-0}))
        non2xx=$((non2xx + $(awk '/Non-2xx/ {print $5}' "$T/wrk-$b.txt" | grep . || echo 0)))
        bare=$("$STATS_BENCH" insert --db "$url" --seconds "$DUR" | awk '{print $2}')
        echo "$rps" >>"$T/rps-$b"
        echo "$bare" >>"$T/bare-$b"
        awk -v a="$rps" -v b="$bare" 'BEGIN { printf "%.2f\n", a / b }' >>"$T/ratio-$b"
        echo "    round $r: wrk $rps batches/s ($(awk '$1 == "50%" {print $2; exit}' "$T/wrk-$b.txt") median" \
            "latency), bare INSERT $bare rows/s" >&2
        rounds="$rounds $(tail -n 1 "$T/ratio-$b")"
    done

    echo "--- $b: dashboard, $RENDERS renders of $FROM .. $TO" >&2
    local jar=$T/jar-$b times=()
    login "$base" "$jar" bench "$PASSWORD" || echo "login failed" >&2
    local i
    for i in $(seq 1 $RENDERS); do
        times+=("$(curl -s -o "$T/dash-$b.html" -w '%{time_total}' -b "$jar" \
            "$base/?from=$FROM&to=$TO")")
    done
    grep -o 'data-cell="total.sessions">[^<]*' "$T/dash-$b.html" | sed 's/.*>/    total sessions on the page: /' >&2
    local med max fmed pmed ftimes=() ptimes=()
    med=$(printf '%s\n' "${times[@]}" | median)
    max=$(printf '%s\n' "${times[@]}" | sort -n | tail -n 1)
    # the same weeks for three sites and two languages, and the last-12-months preset
    for i in $(seq 1 $RENDERS); do
        ftimes+=("$(curl -s -o /dev/null -w '%{time_total}' -b "$jar" \
            "$base/?from=$FROM&to=$TO&site=Site%20001&site=Site%20002&site=Site%20003&lang=ar&lang=th")")
        ptimes+=("$(curl -s -o /dev/null -w '%{time_total}' -b "$jar" "$base/?period=last-12-months")")
    done
    fmed=$(printf '%s\n' "${ftimes[@]}" | median)
    pmed=$(printf '%s\n' "${ptimes[@]}" | median)
    stats_stop "$b"

    local stored
    if [ "$b" = sqlite ]; then
        stored=$(sqlite3 "${url#sqlite:}" 'SELECT COUNT(*) FROM batches')
    else
        stored=$(pg_sql 'SELECT COUNT(*) FROM batches')
    fi
    echo "$(median <"$T/rps-$b") $(median <"$T/bare-$b") $(median <"$T/ratio-$b") $stored" \
        "$answered $non2xx $med $max $(echo "$rounds" | sed 's/^ //; s/ /,/g') $fmed $pmed"
}

echo "openline-stats benchmark: $(nproc) cores; per backend $ROUNDS rounds of wrk -t2 -c$CONNS" \
    "-d${DUR}s then ${DUR}s of bare INSERTs; $KIOSKS kiosks at $SITES sites"
RES_SQLITE=$(bench sqlite "sqlite:$T/bench.db") || { echo "sqlite bench failed" >&2; exit 1; }
pg_start || { echo "PostgreSQL did not start" >&2; exit 1; }
RES_PG=$(bench postgresql "$PG_URL") || { echo "postgresql bench failed" >&2; exit 1; }

echo
printf '%-11s %12s %14s %7s %9s %15s %10s %9s\n' backend "ingest/s" "bare INSERT/s" ratio \
    target "per-round" "dashboard" "max"
for row in "sqlite $RES_SQLITE" "postgresql $RES_PG"; do
    set -- $row
    verdict=$(awk -v r="$4" 'BEGIN { print (r >= 0.5 ? ">=0.5 ok" : "<0.5 MISS") }')
    med=$(awk -v t="$8" 'BEGIN { printf "%.1f ms", t * 1000 }')
    mx=$(awk -v t="$9" 'BEGIN { printf "%.1f ms", t * 1000 }')
    printf '%-11s %12.0f %14.0f %7s %9s %15s %10s %9s\n' "$1" "$2" "$3" "$4" "$verdict" \
        "${10}" "$med" "$mx"
    echo "            $5 batches stored: $((KIOSKS * WEEKS)) loaded + $6 answered by wrk;" \
        "non-2xx replies: $7"
done
echo "ingest and bare INSERT: medians of the rounds (batches/s, rows/s); ratio: median of the" \
    "rounds' ratios; target >= 0.5"
echo "dashboard: median and max of $RENDERS renders (curl time_total) of $KIOSKS kiosks x" \
    "$WEEKS weeks with every figure's 95 % range, coverage and the previous period"
for row in "sqlite $RES_SQLITE" "postgresql $RES_PG"; do
    set -- $row
    awk -v b="$1" -v all="$8" -v f="${11}" -v p="${12}" 'BEGIN {
        printf "  %-10s all sites %.1f ms, 3 sites + 2 languages %.1f ms, last 12 months %.1f ms;" \
            " against the 100 ms target: %.2f, %.2f, %.2f; against 17.5 ms (the page before ranges" \
            " and filters): %.1fx\n", b, all * 1000, f * 1000, p * 1000, all * 10, f * 10, p * 10,
            all * 1000 / 17.5 }'
done
