# Shell helpers of the counts tests: a real openline-stats per scenario behind the recording,
# fault-injecting proxy (tests/counts/proxy.py), the kiosk's configuration, and visitor scripts
# for `openline play`. Sourced from the repository root after tests/stats/lib.sh (which gives
# $T, free_port, stats_start and the clean-up of everything recorded in $T/pids).
# SPDX-License-Identifier: GPL-3.0-or-later

KIOSK=${KIOSK:-build/openline}
PASSWORD="correct horse battery staple"

track() {
    echo "$1" >>"$T/pids"
}

# proxy_start NAME [PORT]: the proxy in front of NAME's collector (on PORT, or a free one).
proxy_start() {
    local name=$1 port=${2:-$(free_port)} i
    echo "$port" >"$T/$name.pport"
    : >"$T/$name.proxy.log"
    python3 tests/counts/proxy.py "$port" "$(stats_port "$name")" "$T/$name.mode" \
        "$T/$name.capture" >"$T/$name.proxy.log" 2>&1 &
    echo $! >"$T/$name.proxy.pid"
    track $!
    for i in $(seq 1 100); do
        grep -q listening "$T/$name.proxy.log" && return 0
        sleep 0.05
    done
    echo "the proxy of $name did not start:" >&2
    cat "$T/$name.proxy.log" >&2
    return 1
}

proxy_stop() {
    local pid
    pid=$(cat "$T/$1.proxy.pid")
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

# site NAME: a collector with a SQLite database of its own, a kiosk (its token in $T/NAME.token,
# private), a staff member with a read-only token ($T/NAME.ro), and the proxy.
site() {
    local name=$1 db="sqlite:$T/$1.db"
    "$STATS_BIN" --db "$db" kiosk add "$name" >"$T/$name.token" 2>/dev/null &&
        chmod 600 "$T/$name.token" &&
        echo "$PASSWORD" | "$STATS_BIN" --db "$db" staff add staff >/dev/null 2>&1 &&
        "$STATS_BIN" --db "$db" staff token staff >"$T/$name.ro" 2>/dev/null &&
        stats_start "$name" "$db" --rate 0 &&
        : >"$T/$name.capture" && proxy_start "$name"
}

# conf NAME [bucket=week|day] [noise=none|geometric] [hotline=URI] [state=DIR]: the kiosk's
# configuration in $T/NAME.conf, counting through NAME's proxy.
conf() {
    local name=$1 bucket=week noise=none hotline="" secondary="" state=$T/$1.state kv
    shift
    for kv in "$@"; do
        case "$kv" in
        bucket=*) bucket=${kv#bucket=} ;;
        noise=*) noise=${kv#noise=} ;;
        hotline=*) hotline=${kv#hotline=} ;;
        secondary=*) secondary=${kv#secondary=} ;;
        state=*) state=${kv#state=} ;;
        esac
    done
    cat >"$T/$name.conf" <<EOF
[kiosk]
languages = en es fr ar uk
[organisation]
name = Test Helpline
hotline = +1 555 0100
[hotline]
uri = $hotline
secondary_uri = $secondary
connect_timeout = 1s
[audio]
driver = null
[counts]
collector = http://127.0.0.1:$(cat "$T/$name.pport")
token_file = $T/$name.token
bucket = $bucket
noise = $noise
state_dir = $state
EOF
}

# The closed set of that configuration, one name a line (for wirecheck.py).
closed_set() {
    printf '%s\n' sessions quick_exit read_aloud call.attempted call.connected call.failed \
        lang.en lang.es lang.fr lang.ar lang.uk
    sed -n 's/^\[\(.*\)\]$/page.\1/p' assets/content/pages.ini
}

# play NAME CLOCK SCRIPT: the kiosk headless on the test clock from CLOCK; its output is added
# to $T/NAME.out and $T/NAME.err. Returns play's exit status.
play() {
    "$KIOSK" play --config "$T/$1.conf" --size 1280x720 --test-clock="$2" --script "$3" \
        >>"$T/$1.out" 2>>"$T/$1.err"
}

# play_real NAME SCRIPT: the same on the real clock (the kiosk must learn the date itself).
play_real() {
    "$KIOSK" play --config "$T/$1.conf" --size 1280x720 --script "$2" >>"$T/$1.out" \
        2>>"$T/$1.err"
}

# play_bg NAME CLOCK SCRIPT: play in the background; its pid in $T/NAME.play.pid. play_wait NAME
# waits for it and returns its exit status; wait_mark NAME MARK waits (up to 30 s) until the
# script printed `mark MARK`.
play_bg() {
    "$KIOSK" play --config "$T/$1.conf" --size 1280x720 --test-clock="$2" --script "$3" \
        >>"$T/$1.out" 2>>"$T/$1.err" &
    echo $! >"$T/$1.play.pid"
    track $!
}
play_wait() {
    wait "$(cat "$T/$1.play.pid")"
}
wait_mark() {
    local i
    for i in $(seq 1 600); do
        grep -q "^mark $2 " "$T/$1.out" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# counts_out NAME: `openline counts` for NAME's kiosk.
counts_out() {
    "$KIOSK" counts --config "$T/$1.conf" 2>&1
}

# csv NAME BY FROM TO: the collector's export, read with the read-only token (without the
# byte-order mark it starts with, for spreadsheets).
csv() {
    curl -s -H "Authorization: Bearer $(cat "$T/$1.ro")" \
        "http://127.0.0.1:$(stats_port "$1")/export.csv?from=$3&to=$4&by=$2" | tr -d '\r' |
        sed '1s/^\xEF\xBB\xBF//'
}

# expect_csv NAME BY FROM TO WANT: the export equals WANT (lines; rows compared sorted).
expect_csv() {
    local got
    got=$(csv "$1" "$2" "$3" "$4" | { read -r h; echo "$h"; sort; })
    if [ "$got" = "$5" ]; then
        ok "$1: export by $2 exact: $(echo "$got" | tail -n +2 | tr '\n' ' ')"
    else
        not_ok "$1: export by $2: got"
        echo "$got" | sed 's/^/       /'
        echo "     want"
        echo "$5" | sed 's/^/       /'
    fi
}

# batches_stored NAME: rows "start_day days" of the batches the collector stored.
batches_stored() {
    sqlite3 "$T/$1.db" "SELECT date(start_day * 86400, 'unixepoch'), days FROM batches ORDER BY 1"
}

# expect_batch NAME START "k=v ...": the batch the collector stored for the bucket starting on
# START holds exactly these counts, and 0 for every other counter.
expect_batch() {
    local got
    got=$(sqlite3 "$T/$1.db" "SELECT counts FROM batches WHERE start_day * 86400 = \
        CAST(strftime('%s', '$2') AS INTEGER)" | python3 -c '
import json, sys
want = dict(kv.split("=") for kv in sys.argv[1].split())
got = json.loads(sys.stdin.read() or "{}")
bad = [f"{k}={v}" for k, v in sorted(got.items()) if str(v) != want.get(k, "0")]
bad += [f"{k} missing" for k in want if k not in got]
print(" ".join(bad) if bad else "exact")' "$3")
    if [ "$got" = exact ]; then
        ok "$1: the batch of $2 holds exactly $3 (and zeros)"
    else
        not_ok "$1: the batch of $2 differs from $3: $got"
    fi
}

# state_dump DIR: what the spool in DIR holds (every table, in order), and its files' names
# and modes.
state_dump() {
    sqlite3 "$1/counts.db" .dump
    (cd "$1" && stat -c '%n %a' -- *)
}

# Visitor sessions, as play lines. A session begins with v_start: Escape on attract (not a
# session: nothing counted) lights a screen that went dark after 10 minutes, then the touch. It
# ends with quick exit (Escape) or by idleness (3 minutes pass: the warning after 90 s, the
# reset 30 s later).
v_start() {
    printf 'key Escape\ntap @attract\n'
}
v_page() { # LANG PAGE END
    v_start
    printf 'tap @lang-%s\ntap @tile-%s\n' "$1" "$2"
    v_end "$3"
}
v_end() {
    if [ "$1" = quick ]; then
        printf 'key Escape\nexpect screen attract\n'
    else
        printf 'advance 3m\nexpect screen attract\n'
    fi
}
repeat() { # N FUNCTION ARGS...
    local n=$1 i
    shift
    for i in $(seq 1 "$n"); do "$@"; done
}

# wirecheck NAME: every request NAME's kiosk sent upstream holds only wire v1.
wirecheck() {
    closed_set >"$T/closed.txt"
    local out
    if out=$(python3 tests/counts/wirecheck.py "$T/$1.capture" "$(cat "$T/$1.token")" \
        "$T/closed.txt"); then
        ok "$1: every byte sent upstream is wire v1: $out"
    else
        not_ok "$1: what the kiosk sent upstream:"
        echo "$out" | sed 's/^/     /'
    fi
}

# modes NAME: the mode each request met, in order, one a line ("batches status 500" ...).
modes() {
    python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r["raw"].split()[1].rsplit("/", 1)[-1], r["mode"])' "$T/$1.capture"
}
