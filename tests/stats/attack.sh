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
echo "== slow headers: 256 connections from four addresses, one header line every 5 s"
# Another address must be served within 2 s from 15 s into the attack on (the attackers open a
# connection again as soon as the server drops one).
if stats_start slow "sqlite:$T/slow.db"; then
    python3 tests/stats/slowloris.py "$(stats_port slow)" "${SLOW_SECONDS:-25}" 15 256 \
        >"$T/slow.out" 2>&1
    worst=$(awk '$1 == "worst_ms" {print $2}' "$T/slow.out")
    fails=$(awk '$1 == "failed" {print $2}' "$T/slow.out")
    closed=$(awk '$1 == "attack_closed" {print $2}' "$T/slow.out")
    grep '^probe' "$T/slow.out" | awk '{printf "%s:%s ", $2, $3} END {print ""}' | fold -w 100 |
        sed 's/^/     /'
    if [ "${fails:-x}" = 0 ] && [ -n "$worst" ] && [ "$worst" -le 2000 ]; then
        ok "another address served within 2 s throughout (slowest ${worst} ms from 15 s on; attack connections closed by the server: $closed)"
    else
        not_ok "another address not served in time from 15 s on: slowest ${worst:-?} ms, ${fails:-?} probes failed"
    fi
    stats_stop slow
else
    not_ok "slow: server starts"
fi

echo "== slow headers from 16 addresses, 1024 connections: more than --max-connections allows"
# Each new connection past three quarters of the limit closes the oldest one still sending its
# headers: the attackers take turns, another address still gets in.
if stats_start wide "sqlite:$T/wide.db"; then
    python3 tests/stats/slowloris.py "$(stats_port wide)" "${SLOW_SECONDS:-20}" 5 1024 16 \
        >"$T/wide.out" 2>&1
    worst=$(awk '$1 == "worst_ms" {print $2}' "$T/wide.out")
    fails=$(awk '$1 == "failed" {print $2}' "$T/wide.out")
    closed=$(awk '$1 == "attack_closed" {print $2}' "$T/wide.out")
    grep '^probe' "$T/wide.out" | awk '{printf "%s:%s ", $2, $3} END {print ""}' | fold -w 100 |
        sed 's/^/     /'
    if [ "${fails:-x}" = 0 ] && [ -n "$worst" ] && [ "$worst" -le 2000 ]; then
        ok "16 addresses: another address served within 2 s from 5 s on (slowest ${worst} ms; attack connections closed: $closed)"
    else
        not_ok "16 addresses: another address not served in time: slowest ${worst:-?} ms, ${fails:-?} probes failed"
    fi
    stats_stop wide
else
    not_ok "wide: server starts"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
