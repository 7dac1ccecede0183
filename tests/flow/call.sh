#!/bin/sh
# Calls through the kiosk's UI (openline play) to real peers on 127.0.0.1:
# - quick exit during a connected call: the visitor presses Escape, and the BYE must reach SIPp
#   within 100 ms while the screen is already back on attract;
# - the keypad (RFC 4733): the visitor taps 1, 2, # during a call to a baresip callee, which must
#   receive exactly those telephone-events, in that order, each ended.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_setup
T=$OL_TMP
failed=0

port=$(ol_freeport)
mport=$(ol_freeport)
ol_sipp_uas bye "$port" "$PWD/tests/call/sipp/answer.xml" -rtp_echo -mp "$mport"
sed -e "s|^uri = .*|uri = sip:hotline@127.0.0.1:$port|" -e "s|^driver = .*|driver = null|" \
    assets/openline.conf.example > "$T/call.conf"
build/openline play --config "$T/call.conf" --script tests/flow/call-quick-exit.play \
    > "$T/play.out" 2> "$T/play.err"
rc=$?
ol_wait_pid "$(cat "$T/bye/pid")" 5
if [ $rc -ne 0 ]; then
    echo "FAIL call-quick-exit.play (exit $rc)"
    sed 's/^/     /' "$T/play.err" | grep -v -e ALSA -e Jack -e jack -e 'Cannot connect' | tail -15
    failed=1
else
    echo "ok   call-quick-exit.play: $(grep 'quick exit:' "$T/play.out" | sed 's/.*: //')"
fi
t_mark=$(sed -n 's/^mark quick-exit //p' "$T/play.out")
t_bye=$(awk '/^-----/ {ts=$3} /^BYE / {print ts; exit}' "$T/bye/messages.log" 2>/dev/null)
if [ -n "$t_mark" ] && [ -n "$t_bye" ]; then
    # SIPp logs local wall-clock time of day; the mark is seconds since the epoch (UTC).
    off=$(date +%z | awk '{s = substr($1, 1, 1); v = substr($1, 2, 2) * 3600 + substr($1, 4, 2) * 60;
        print (s == "-") ? -v : v}')
    ms=$(echo "$t_mark $t_bye $off" | awk '{split($2, b, ":"); bye = b[1] * 3600 + b[2] * 60 + b[3];
        mark = ($1 + $3) % 86400; d = (bye - mark) * 1000;
        if (d < -43200000) d += 86400000; printf "%.1f", d}')
    if awk -v d="$ms" 'BEGIN { exit !(d >= 0 && d < 100) }'; then
        echo "ok   quick exit during a call: BYE reached the hotline $ms ms after Escape"
    else
        echo "FAIL quick exit during a call: BYE $ms ms after Escape (want < 100)"
        failed=1
    fi
else
    echo "FAIL quick exit during a call: no BYE reached SIPp (mark '$t_mark', BYE '$t_bye')"
    failed=1
fi

# The keypad: baresip logs each telephone-event it receives ("received event: '1' (end=0)",
# then end=1); the digits must arrive as tapped, each ended before the next starts.
port=$(ol_freeport)
ol_baresip_start dtmf "$port" seconds=30 || failed=1
sed -e "s|^uri = .*|uri = sip:callee@127.0.0.1:$port|" -e "s|^driver = .*|driver = null|" \
    assets/openline.conf.example > "$T/dtmf.conf"
build/openline play --config "$T/dtmf.conf" --script tests/flow/call-dtmf.play \
    > "$T/dtmf.out" 2> "$T/dtmf.err"
rc=$?
ol_baresip_stop dtmf
if [ $rc -ne 0 ]; then
    echo "FAIL call-dtmf.play (exit $rc)"
    sed 's/^/     /' "$T/dtmf.err" | grep -v -e ALSA -e Jack -e jack -e 'Cannot connect' | tail -15
    failed=1
else
    echo "ok   call-dtmf.play: dialled, keypad opened, 1 2 # tapped during the call"
fi
events=$(sed -n "s/^received event: '\(.\)' (end=\([01]\)).*/\1\2/p" "$T/dtmf/log" | tr '\n' ' ')
if [ "$events" = "10 11 20 21 #0 #1 " ]; then
    echo "ok   keypad: the hotline received telephone-events 1, 2, # in order, each ended"
else
    echo "FAIL keypad: the hotline received telephone-events '$events' (digit + end flag;" \
        "want '10 11 20 21 #0 #1')"
    grep -i -e event -e established "$T/dtmf/log" | sed 's/^/     /'
    failed=1
fi

# A per-language sips: hotline through the screens: TLS (a test CA and a certificate for
# 127.0.0.1 made here), SRTP mandatory at the callee.
(cd "$T" && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout ca.key -out ca.pem -days 2 -subj "/CN=OpenLine Test CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout tls.key \
        -out tls.csr -subj "/CN=hotline" &&
    printf 'subjectAltName=IP:127.0.0.1\n' >tls.ext &&
    openssl x509 -req -in tls.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out tls.crt \
        -days 2 -extfile tls.ext && cat tls.crt tls.key >tls.pem) >/dev/null 2>&1 ||
    { echo "FAIL call-sips: openssl could not make test certificates"; exit 1; }
port=$(ol_freeport)
ol_baresip_start sips "$port" cert="$T/tls.pem" srtp=yes seconds=30 || failed=1
sed -e "s|^uri = .*|uri = sip:nobody@127.0.0.1:$(ol_freeport)\nuri.ar = sips:callee@127.0.0.1:$((port + 1))|" \
    -e "s|^ca_file = .*|ca_file = $T/ca.pem|" -e "s|^driver = .*|driver = null|" \
    assets/openline.conf.example >"$T/sips.conf"
build/openline play --config "$T/sips.conf" --script tests/flow/call-sips.play \
    >"$T/sips.out" 2>"$T/sips.err"
rc=$?
ol_baresip_stop sips
if [ $rc -eq 0 ] && grep -q "Call established" "$T/sips/log" &&
    grep -q "stream: incoming rtp for 'audio' established" "$T/sips/log"; then
    echo "ok   call-sips.play: uri.ar = sips: connected over TLS with SRTP through the screens"
else
    echo "FAIL call-sips.play (exit $rc)"
    sed 's/^/     /' "$T/sips.err" | grep -v -e ALSA -e Jack -e jack -e 'Cannot connect' | tail -8
    failed=1
fi
exit $failed
