#!/bin/bash
# Benchmark of openline-stats (issue 5), for `make bench-stats`:
#  - ingest: wrk posts valid, distinct batches over keep-alive connections to the real server,
#    on SQLite and on a PostgreSQL server started here, against the rate of bare INSERTs (one
#    row per durable commit) into the same database from a C loop (build/tests/stats_bench);
#  - dashboard: render time of the page for 1,000 kiosks x 52 weeks.
# Numbers, not pass/fail; targets from the issue: ingest >= 0.5 x bare INSERT, dashboard < 200 ms.
# SPDX-License-Identifier: GPL-3.0-or-later
#   STATS_BENCH_SECONDS (default 10), STATS_BENCH_CONNECTIONS (default 16)
set -u
cd "$(dirname "$0")/../.."
. tests/stats/lib.sh

DUR=${STATS_BENCH_SECONDS:-10}
CONNS=${STATS_BENCH_CONNECTIONS:-16}
KIOSKS=1000
SITES=100
WEEKS=52
RENDERS=20
for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "stats bench: $tool is missing (make deps)" >&2; exit 1; }
done
for f in "$STATS_BIN" "$STATS_BENCH"; do
    [ -x "$f" ] || { echo "stats bench: $f is missing (make bench-stats builds it)" >&2; exit 1; }
done

THIS=$(this_monday)
FROM=$(date -u -d "$THIS - $((WEEKS * 7)) days" +%F)
TO=$(date -u -d "$THIS - 1 day" +%F)
# wrk posts weeks older than the ones the loader filled.
NEWEST=$(date -u -d "$THIS - $(((WEEKS + 1) * 7)) days" +%s)
PASSWORD="benchmark password 1"

# bench BACKEND URL: prints "ingest bare stored requests non2xx median max"
bench() {
    local b=$1 url=$2
    echo "--- $b: loading $KIOSKS kiosks at $SITES sites x $WEEKS weeks through the write path" >&2
    "$STATS_BENCH" fill --db "$url" --kiosks $KIOSKS --weeks $WEEKS --sites $SITES \
        --tokens "$T/tokens-$b" >&2 || return 1
    echo "$PASSWORD" | "$STATS_BIN" --db "$url" staff add bench 2>/dev/null

    echo "--- $b: ingest, wrk -t2 -c$CONNS -d${DUR}s" >&2
    stats_start "$b" "$url" --rate 0 --per-ip 0 --max-connections 1024 || return 1
    local base="http://127.0.0.1:$(stats_port "$b")"
    wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -s tests/stats/bench_wrk.lua "$base/api/v1/batches" \
        -- "$T/tokens-$b" "$NEWEST" 2 >"$T/wrk-$b.txt" 2>&1
    cat "$T/wrk-$b.txt" >&2
    local rps non2xx reqs
    rps=$(awk '/^Requests\/sec/ {print $2}' "$T/wrk-$b.txt")
    reqs=$(awk '/requests in/ {print $1}' "$T/wrk-$b.txt")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$T/wrk-$b.txt")

    echo "--- $b: dashboard, $RENDERS renders of $FROM .. $TO" >&2
    local jar=$T/jar-$b times=()
    login "$base" "$jar" bench "$PASSWORD" || echo "login failed" >&2
    local i
    for i in $(seq 1 $RENDERS); do
        times+=("$(curl -s -o "$T/dash-$b.html" -w '%{time_total}' -b "$jar" \
            "$base/?from=$FROM&to=$TO")")
    done
    grep -o 'data-cell="total.sessions">[^<]*' "$T/dash-$b.html" | sed 's/.*>/    total sessions on the page: /' >&2
    grep -o 'id="range">[^<]*' "$T/dash-$b.html" | sed 's/.*>/    /' >&2
    local sorted median max
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    median=$(echo "$sorted" | sed -n "$((RENDERS / 2))p")
    max=$(echo "$sorted" | tail -n 1)
    stats_stop "$b"

    local stored
    if [ "$b" = sqlite ]; then
        stored=$(sqlite3 "${url#sqlite:}" 'SELECT COUNT(*) FROM batches')
    else
        stored=$(pg_sql 'SELECT COUNT(*) FROM batches')
    fi

    echo "--- $b: bare INSERTs, one row per commit, ${DUR}s" >&2
    local bare
    bare=$("$STATS_BENCH" insert --db "$url" --seconds "$DUR" | awk '{print $2}')
    echo "$rps $bare $stored $reqs ${non2xx:-0} $median $max"
}

echo "openline-stats benchmark: $(nproc) cores, wrk -t2 -c$CONNS -d${DUR}s, $KIOSKS kiosks at $SITES sites"
RES_SQLITE=$(bench sqlite "sqlite:$T/bench.db") || { echo "sqlite bench failed" >&2; exit 1; }
pg_start || { echo "PostgreSQL did not start" >&2; exit 1; }
RES_PG=$(bench postgresql "$PG_URL") || { echo "postgresql bench failed" >&2; exit 1; }

echo
printf '%-11s %14s %14s %7s %8s %10s %17s %9s\n' backend "ingest/s" "bare INSERT/s" ratio target \
    "non-2xx" "dashboard median" "max"
for row in "sqlite $RES_SQLITE" "postgresql $RES_PG"; do
    set -- $row
    ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.5 ? ">=0.5 ok" : "<0.5 MISS") }')
    med=$(awk -v t="$7" 'BEGIN { printf "%.1f ms", t * 1000 }')
    mx=$(awk -v t="$8" 'BEGIN { printf "%.1f ms", t * 1000 }')
    printf '%-11s %14.0f %14.0f %7s %8s %10s %17s %9s\n' "$1" "$2" "$3" "$ratio" "$verdict" "$6" "$med" "$mx"
    echo "            ($4 batches in the database after the run: $((KIOSKS * WEEKS)) loaded + $5 answered by wrk)"
done
echo "dashboard target: < 200 ms for $KIOSKS kiosks x $WEEKS weeks (median of $RENDERS renders, curl time_total)"
