# Shell helpers of the openline-stats tests and benchmark: temporary folder, servers started on
# 127.0.0.1 with a free port, a PostgreSQL server of our own, and clean-up on any exit.
# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by tests/stats/run.sh and tests/bench/stats.sh from the repository root.

STATS_BIN=${STATS_BIN:-build/openline-stats}
STATS_BENCH=${STATS_BENCH:-build/tests/stats_bench}

# The temporary folder; postgres must be able to pass through it to its own data folder.
T=$(mktemp -d "${TMPDIR:-/tmp}/openline-stats.XXXXXX")
chmod 711 "$T"
: >"$T/pids"

lib_cleanup() {
    # Servers we started, by the process ids we recorded.
    while read -r pid; do
        [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
    done <"$T/pids"
    if [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
            >/dev/null 2>&1
    fi
    sleep 0.2
    while read -r pid; do
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    done <"$T/pids"
    # file systems a test mounted in $T (the counts tests' full disk)
    if [ -f "$T/mounts" ]; then
        while read -r m; do
            umount -l "$m" 2>/dev/null
        done <"$T/mounts"
    fi
    [ "${KEEP_T:-0}" = 1 ] && echo "kept $T" >&2 || rm -rf "$T"
}
trap lib_cleanup EXIT
trap 'exit 130' INT TERM

# One line per check ("ok   - ..." or "FAIL - ..."), counted in PASS and FAIL.
PASS=0
FAIL=0
ok() {
    PASS=$((PASS + 1))
    echo "ok   - $*"
}
not_ok() {
    FAIL=$((FAIL + 1))
    echo "FAIL - $*"
}
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# A TCP port nothing listens on now, from the range outside the kernel's ephemeral ports.
free_port() {
    local p
    while :; do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
        if [ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ]; then
            echo "$p"
            return
        fi
    done
}

# stats_start NAME DB-URL [OPTION...]: start `openline-stats serve` listening on 127.0.0.1 with a
# port it picks; wait until it listens. Sets NAME_port and NAME_pid files in $T; its standard
# error goes to $T/NAME.log. Returns non-zero (and shows the log) if it does not start.
stats_start() {
    local name=$1 db=$2
    shift 2
    : >"$T/$name.log"
    "$STATS_BIN" serve --db "$db" --listen 127.0.0.1:0 "$@" >"$T/$name.out" 2>"$T/$name.log" &
    local pid=$!
    echo "$pid" >>"$T/pids"
    echo "$pid" >"$T/$name.pid"
    local i
    for i in $(seq 1 100); do
        local port
        port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$T/$name.log")
        if [ -n "$port" ]; then
            echo "$port" >"$T/$name.port"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        sleep 0.05
    done
    echo "openline-stats $name did not start:" >&2
    cat "$T/$name.log" >&2
    return 1
}

stats_port() {
    cat "$T/$1.port"
}

# stats_stop NAME [SIGNAL]: SIGTERM (or SIGNAL), then wait up to 10 s. Sets STOP_STATUS to the
# exit status ("timeout" if it did not stop). Not in a subshell: only this shell can wait for its
# child.
stats_stop() {
    local pid i
    pid=$(cat "$T/$1.pid")
    kill -"${2:-TERM}" "$pid" 2>/dev/null
    for i in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        STOP_STATUS=timeout
        return 1
    fi
    wait "$pid" 2>/dev/null
    STOP_STATUS=$?
}

# pg_start: initdb and start a PostgreSQL server of our own as the postgres user, listening on
# 127.0.0.1 at a free port with its socket in $T. Sets PG_URL, PG_BIN, PG_DIR.
pg_start() {
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$PG_BIN" ] || ! id postgres >/dev/null 2>&1; then
        echo "PostgreSQL is not installed (Debian package postgresql)" >&2
        return 1
    fi
    PG_DIR=$T/pg
    mkdir -p "$PG_DIR"
    chown postgres: "$PG_DIR"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 \
        --no-instructions >"$PG_DIR/initdb.log" 2>&1 || {
        cat "$PG_DIR/initdb.log" >&2
        return 1
    }
    local try
    for try in 1 2 3; do
        PG_PORT=$(free_port)
        if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
            -t 30 -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR" start \
            >/dev/null 2>&1; then
            PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
            return 0
        fi
    done
    cat "$PG_DIR/server.log" >&2
    return 1
}

pg_stop() {
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
}

# pg_restart: start the stopped server again on the same port.
pg_restart() {
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR" start >/dev/null 2>&1
}

# psql against our server, as postgres, through its socket.
pg_sql() {
    runuser -u postgres -- "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres \
        -qAtX -c "$1"
}

# login BASE JAR USER PASSWORD: sign in with curl as a browser would (form token cookie, then
# the form); leaves the session cookie in JAR.
login() {
    local base=$1 jar=$2 user=$3 pass=$4 csrf
    csrf=$(curl -sf -c "$jar" -b "$jar" "$base/login" |
        sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
    curl -sf -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" \
        --data-urlencode "name=$user" --data-urlencode "password=$pass" "$base/login"
}

# A date N days from today (UTC), YYYY-MM-DD; and the Monday of this week.
day_offset() {
    date -u -d "@$(($(date -u +%s) + $1 * 86400))" +%F
}
this_monday() {
    local dow
    dow=$(date -u +%u)
    day_offset $((1 - dow))
}
