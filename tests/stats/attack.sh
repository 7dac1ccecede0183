#!/bin/bash
# openline-stats as a hostile client meets it (issue 11): slow headers from several addresses
# must not keep others from being served, SIGTERM under load must answer every request it took,
# and the protocol edges (TLS versions, HSTS, encoded paths, Host, CSV formulas, `--`) hold.
# Servers on 127.0.0.1 with free ports; prints one line per check and "N passed, M failed".
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/stats/lib.sh

# ---------------------------------------------------------------------------------------------
# slow_attack NAME SECONDS FROM_S CONNS ADDRS: slowloris.py against a server of its own; another
# address must be served within 2 s from FROM_S seconds into the attack on (the attackers open a
# connection again as soon as the server drops one).
slow_attack() {
    local name=$1 secs=$2 from=$3 conns=$4 addrs=$5 worst fails closed
    if ! stats_start "$name" "sqlite:$T/$name.db"; then
        not_ok "$name: server starts"
        return
    fi
    python3 tests/stats/slowloris.py "$(stats_port "$name")" "$secs" "$from" "$conns" "$addrs" \
        >"$T/$name.out" 2>&1
    worst=$(awk '$1 == "worst_ms" {print $2}' "$T/$name.out")
    fails=$(awk '$1 == "failed" {print $2}' "$T/$name.out")
    closed=$(awk '$1 == "attack_closed" {print $2}' "$T/$name.out")
    grep '^probe' "$T/$name.out" | awk '{printf "%s:%s ", $2, $3} END {print ""}' | fold -w 100 |
        sed 's/^/     /'
    if [ "${fails:-x}" = 0 ] && [ -n "$worst" ] && [ "$worst" -le 2000 ]; then
        ok "$conns connections from $addrs addresses: another address served within 2 s from ${from} s on (slowest ${worst} ms; attack connections closed by the server: $closed)"
    else
        not_ok "$conns connections from $addrs addresses: another address not served in time from ${from} s on: slowest ${worst:-?} ms, ${fails:-?} probes failed"
    fi
    stats_stop "$name"
}

echo "== slow headers: 256 connections from four addresses, one header line every 5 s"
slow_attack slow "${SLOW_SECONDS:-25}" 15 256 4

echo "== slow headers from 16 addresses, 1024 connections: more than --max-connections allows"
# Each new connection past three quarters of the limit closes the oldest one still sending its
# headers: the attackers take turns, another address still gets in.
slow_attack wide "${SLOW_SECONDS:-20}" 5 1024 16

# ---------------------------------------------------------------------------------------------
echo "== SIGTERM under load: every request taken is answered, every batch answered is stored"
# 32 kiosks post batches as fast as replies come; SIGTERM after 2 s. A batch stored without a
# reply would be sent again by its kiosk (nothing is lost), but the server promises to finish
# what it took.
term_round() {
    local n=$1 db="sqlite:$T/term$1.db" i
    : >"$T/term$n.tokens"
    for i in $(seq 1 32); do
        "$STATS_BIN" --db "$db" kiosk add "Kiosk $i" >>"$T/term$n.tokens" 2>/dev/null
    done
    stats_start "term$n" "$db" --rate 0 || { not_ok "term: server starts"; return; }
    python3 tests/stats/term_load.py "$(stats_port "term$n")" "$T/term$n.tokens" \
        "$(date -u -d "$(this_monday) - 7 days" +%s)" "$T/term$n.out" >"$T/term$n.load" 2>&1 &
    local lpid=$!
    for i in $(seq 1 100); do grep -q ready "$T/term$n.load" 2>/dev/null && break; sleep 0.05; done
    sleep 2
    stats_stop "term$n"
    wait "$lpid"
    sqlite3 "$T/term$n.db" "SELECT batch_id FROM batches" | sort >"$T/term$n.stored"
    awk '$2 == "201" || $2 == "200" {print $1}' "$T/term$n.out" | sort >"$T/term$n.answered"
    awk '$2 == "noreply" {print $1}' "$T/term$n.out" | sort >"$T/term$n.noreply"
    local stored answered dropped lost
    stored=$(wc -l <"$T/term$n.stored")
    answered=$(wc -l <"$T/term$n.answered")
    dropped=$(comm -12 "$T/term$n.stored" "$T/term$n.noreply" | wc -l)
    lost=$(comm -13 "$T/term$n.stored" "$T/term$n.answered" | wc -l)
    echo "     round $n: exit $STOP_STATUS; $stored stored, $answered answered 201/200, $dropped stored without a reply, $lost answered but not stored"
    TERM_DROPPED=$((TERM_DROPPED + dropped))
    TERM_LOST=$((TERM_LOST + lost))
    if [ "$STOP_STATUS" != 0 ]; then
        TERM_BAD=$((TERM_BAD + 1))
        # why it ended so (libmicrohttpd says where before it aborts): the log goes with $T
        tail -n 5 "$T/term$n.log" | sed 's/^/     log: /'
    fi
}
TERM_DROPPED=0 TERM_LOST=0 TERM_BAD=0
for r in 1 2 3; do term_round $r; done
[ $TERM_BAD = 0 ] && ok "SIGTERM under load: exit 0 each time" || not_ok "SIGTERM under load: $TERM_BAD rounds did not exit 0 within 10 s"
[ $TERM_DROPPED = 0 ] && ok "SIGTERM under load: no batch stored without a reply (3 rounds)" ||
    not_ok "SIGTERM under load: $TERM_DROPPED batches stored without a reply"
[ $TERM_LOST = 0 ] && ok "SIGTERM under load: every batch answered 201/200 is stored" ||
    not_ok "SIGTERM under load: $TERM_LOST batches answered but not stored"

# ---------------------------------------------------------------------------------------------
echo "== protocol edges"
# raw_status REQUEST: the status line's code for a raw HTTP request (no client in between to
# tidy it up).
raw_status() {
    python3 - "$1" "$(stats_port edge)" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=5)
s.sendall(sys.argv[1].encode("latin-1").decode("unicode_escape").encode("latin-1"))
data = b""
while b"\r\n" not in data:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "none")
PY
}
edge() { # NAME WANT REQUEST
    local got
    got=$(raw_status "$3")
    [ "$got" = "$2" ] && ok "$1 -> $got" || not_ok "$1 -> $got, want $2"
}
if stats_start edge "sqlite:$T/edge.db"; then
    edge "GET /healthz" 200 'GET /healthz HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n'
    edge "GET /healthz%00.html (an encoded NUL)" 400 'GET /healthz%00.html HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n'
    edge "GET /healthz%2f (an encoded slash)" 400 'GET /healthz%2f HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n'
    edge "GET /%68ealthz (no percent-decoding before routing)" 404 'GET /%68ealthz HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n'
    edge "POST /api/v1/%62atches" 404 'POST /api/v1/%62atches HTTP/1.1\r\nHost: s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
    edge "HTTP/1.1 without Host" 400 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n'
    edge "HTTP/1.0 without Host" 200 'GET /healthz HTTP/1.0\r\n\r\n'
    stats_stop edge
else
    not_ok "edge: server starts"
fi

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
if stats_start edgetls "sqlite:$T/edgetls.db" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"; then
    tp=$(stats_port edgetls)
    for v in tls1 tls1_1 tls1_2 tls1_3; do
        # SECLEVEL=0: this client would offer the old versions at all
        if openssl s_client -connect "127.0.0.1:$tp" -"$v" -cipher 'DEFAULT@SECLEVEL=0' \
            </dev/null >"$T/s_client-$v.txt" 2>&1 &&
            grep -q '^New, TLSv1' "$T/s_client-$v.txt"; then
            echo "$v accepted"
        else
            echo "$v refused"
        fi
    done >"$T/tls-versions.txt"
    [ "$(tr '\n' ' ' <"$T/tls-versions.txt")" = "tls1 refused tls1_1 refused tls1_2 accepted tls1_3 accepted " ] &&
        ok "TLS: 1.0 and 1.1 refused, 1.2 and 1.3 accepted" ||
        not_ok "TLS versions: $(tr '\n' ';' <"$T/tls-versions.txt")"
    curl -s -o /dev/null -D "$T/tls-headers" --cacert "$T/cert.pem" "https://127.0.0.1:$tp/healthz"
    grep -qi '^Strict-Transport-Security: max-age=[1-9]' "$T/tls-headers" &&
        ok "HTTPS replies carry Strict-Transport-Security" ||
        not_ok "no Strict-Transport-Security on an HTTPS reply"
    stats_stop edgetls
else
    not_ok "edgetls: server starts"
fi

"$STATS_BIN" --db "sqlite:$T/cli.db" kiosk add -2+3 >/dev/null 2>"$T/cli-dash.err"
st=$?
[ $st = 2 ] && grep -q -- 'goes after --' "$T/cli-dash.err" &&
    ok "kiosk add -2+3: exit 2, says a name starting with - goes after --" ||
    not_ok "kiosk add -2+3: exit $st: $(cat "$T/cli-dash.err")"
"$STATS_BIN" --db "sqlite:$T/cli.db" kiosk add -- -2+3 >/dev/null 2>&1 &&
    "$STATS_BIN" --db "sqlite:$T/cli.db" kiosk list | grep -q ' -2+3 ' &&
    ok "kiosk add -- -2+3 adds the site \"-2+3\"" || not_ok "kiosk add -- -2+3"
"$STATS_BIN" --help | grep -q -- '^  --  ' && ok "--help tells about --" || not_ok "--help says nothing of --"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
