#!/bin/sh
# Call suite: the real binary against real peers (baresip, SIPp, JACK dummy) on 127.0.0.1.
# Prints one line per check; exits non-zero when any failed.
#   OL_KEEP=1 keeps the temp directory; OL_ONLY="tones tls ..." runs some groups only.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh

for tool in baresip sipp openssl sox stunnel espeak-ng; do
    command -v $tool >/dev/null 2>&1 || { echo "call suite: $tool missing (make deps)" >&2; exit 1; }
done
[ -x "$OL_BIN" ] && [ -x "$OL_TONE" ] && [ -x "$OL_ECHO" ] || { echo "call suite: build first (make check)" >&2; exit 1; }

ol_setup
T=$OL_TMP
passed=0 failed=0
start=$(date +%s)

ok() { echo "ok    $1"; passed=$((passed + 1)); }
bad() { echo "FAIL  $1"; failed=$((failed + 1)); }
# check DESCRIPTION COMMAND...: run a command, ok when it succeeds
check() {
    d=$1
    shift
    if "$@" >"$T/check.out" 2>&1; then ok "$d"; else bad "$d"; sed 's/^/      /' "$T/check.out"; fi
}
want() { [ "${OL_ONLY:-}" = "" ] || case " $OL_ONLY " in *" $1 "*) true ;; *) false ;; esac; }

# A kiosk configuration: conf FILE, then [hotline]/[audio] lines on stdin.
conf() {
    {
        printf '[organisation]\nname = Test Helpline\nhotline = +1 555 0100\n\n'
        cat
    } >"$1"
}

# The kiosk's microphone: 440 Hz.
sox -q -n -r 48000 -c 1 -b 16 "$T/440.wav" synth 12 sine 440 vol 0.4

# ---- certificates made by the test: a CA, a server for 127.0.0.1, a wrong name, a self-signed
mkcert() {
    cd "$T" || return 1
    key="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    openssl req -x509 $key -keyout ca.key -out ca.pem -days 2 -subj "/CN=OpenLine Test CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null &&
    for n in good wrong; do
        san="IP:127.0.0.1"
        [ $n = wrong ] && san="DNS:wrong.example"
        openssl req $key -keyout $n.key -out $n.csr -subj "/CN=$n" 2>/dev/null &&
        printf 'subjectAltName=%s\n' "$san" >$n.ext &&
        openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $n.crt \
            -days 2 -extfile $n.ext 2>/dev/null && cat $n.crt $n.key >$n.pem || return 1
    done
    openssl req -x509 $key -keyout self.key -out self.crt -days 2 -subj "/CN=127.0.0.1" \
        -addext subjectAltName=IP:127.0.0.1 2>/dev/null && cat self.crt self.key >self.pem
    cd - >/dev/null
}
mkcert || { echo "call suite: openssl could not make test certificates" >&2; exit 1; }

# ---- registration with digest authentication: SIPp registrars (tests/call/sipp/register-*.xml)
# challenge with 401 (realm, nonce, qop=auth) and check the answer with verifyauth against
# kiosk-7 / correct-horse: 200 OK granting the expiry asked for, else 403.
# reg_conf NAME PASSWORD PORT: a kiosk configuration registering with the registrar on PORT
# (the binary is a private copy, so the data directory is named).
reg_conf() {
    conf "$T/$1.conf" <<EOF
[paths]
data_dir = $PWD
[hotline]
uri = sip:hotline@127.0.0.1:$3
username = kiosk-7
password = $2
register = yes
register_interval = 30s
[audio]
driver = null
EOF
}
# reg_selftest NAME PASSWORD: openline self-test against register-auth.xml; sets st_rc, sipp_rc
reg_selftest() {
    port=$(ol_freeport)
    ol_sipp_uas "$1" "$port" "$PWD/tests/call/sipp/register-auth.xml"
    reg_conf "$1" "$2" "$port"
    "$OL_BIN" self-test --config "$T/$1.conf" >"$T/$1.log" 2>&1
    st_rc=$?
    ol_wait_pid "$(cat "$T/$1/pid")" 5
    sipp_rc=$?
    grep '^hotline ' "$T/$1.log" | sed 's/^/      /'
}
if want register; then
    # The refresh comes 27 s after the registration (90 % of 30 s, the shortest interval the
    # configuration accepts): the kiosk (openline run, offscreen) registers now, in the
    # background, and the refreshes are checked at the end of the suite. Both stop by themselves
    # after 5 minutes at the latest (the whole suite takes about 3).
    rport=$(ol_freeport)
    ol_sipp_uas reg-refresh "$rport" "$PWD/tests/call/sipp/register-refresh.xml" -timeout 300s
    reg_conf reg-refresh correct-horse "$rport"
    SDL_VIDEODRIVER=offscreen timeout 300 "$OL_BIN" run --windowed \
        --config "$T/reg-refresh.conf" >"$T/reg-refresh.log" 2>&1 &
    reg_kiosk=$!
    ol_track $reg_kiosk

    reg_selftest reg-ok correct-horse
    grep -q '^hotline  *ok  *registered (200 OK)' "$T/reg-ok.log" &&
        ok "register: self-test's hotline line is ok: $(sed -n 's/^hotline  *ok  *//p' \
            "$T/reg-ok.log")" ||
        { bad "register: self-test does not report the registration as ok"
          sed 's/^/      /' "$T/reg-ok.log"; }
    [ $sipp_rc = 0 ] &&
        ok "register: digest challenge answered, verified by the registrar; unregistered at exit" ||
        { bad "register: registrar scenario failed (sipp exit $sipp_rc)"
          tail -n 3 "$T/reg-ok/errors.log" 2>/dev/null | awk '{ print "      " $0 }'; }

    reg_selftest reg-wrong wrong-horse
    [ $st_rc != 0 ] &&
        grep -q '^hotline  *FAIL  *registrar answered 403 Forbidden' "$T/reg-wrong.log" &&
        ok "register: wrong password: self-test FAIL (exit $st_rc): registrar answered 403" ||
        { bad "register: wrong password not reported (exit $st_rc)"
          sed 's/^/      /' "$T/reg-wrong.log"; }
    [ $sipp_rc = 1 ] && grep -q '^SIP/2.0 403' "$T/reg-wrong/messages.log" &&
        ok "register: wrong password refused by the registrar's digest check (403)" ||
        bad "register: the registrar did not refuse the wrong password (sipp exit $sipp_rc)"
fi
# The refreshes (checked at the end of the suite): each REGISTER must come before the binding
# expires, at about 90 % of it; measured on SIPp's message log (one clock).
reg_refresh_check() {
    n=0
    while [ "$(grep -c '^SIP/2.0 200' "$T/reg-refresh/messages.log" 2>/dev/null)" -lt 2 ] &&
        kill -0 "$(cat "$T/reg-refresh/pid")" 2>/dev/null && [ $n -lt 700 ]; do
        sleep 0.05
        n=$((n + 1))
    done
    kill $reg_kiosk 2>/dev/null
    ol_wait_pid $reg_kiosk 5
    krc=$?
    ol_wait_pid "$(cat "$T/reg-refresh/pid")" 5
    src=$?
    # seconds from each 200 OK sent to the refresh (expires=30) that follows it
    d=$(awk '/^-----/ { split($3, a, ":"); t = a[1] * 3600 + a[2] * 60 + a[3] }
        /^SIP\/2.0 / { req = 0 } /^SIP\/2.0 200/ { ok = t } /^REGISTER / { req = t }
        /^Contact:/ && req { if (ok && /expires=30\r?$/) { d = req - ok; if (d < 0) d += 86400
            printf "%s%.2f", n++ ? " " : "", d }; ok = 0 }' \
        "$T/reg-refresh/messages.log" 2>/dev/null)
    if [ -n "$d" ]; then
        pct=$(echo "$d" | awk '{ for (i = 1; i <= NF; i++)
            printf "%s%.0f", (i > 1 ? " " : ""), $i / 30 * 100 }')
        echo "$d" | awk '{ for (i = 1; i <= NF; i++) if ($i < 24 || $i >= 29.5) exit 1 }' &&
            ok "register: refreshed $d s after each 200 OK ($pct % of the 30 s granted)" ||
            bad "register: refreshed $d s after each 200 OK ($pct %; want 80-98 % of 30 s)"
    else
        bad "register: no refresh before the 30 s registration expired"
    fi
    [ $src = 0 ] && [ $krc = 0 ] &&
        ok "register: each refresh challenged and verified again; unregistered at the kiosk's exit" ||
        { bad "register: refresh scenario failed (sipp exit $src, kiosk exit $krc)"
          tail -n 3 "$T/reg-refresh/errors.log" 2>/dev/null | awk '{ print "      " $0 }'; }
}

# ---- tones both ways: tone_call NAME "baresip options" "[hotline] lines" URI-suffix
tone_call() {
    name=$1 peer_opts=$2 hot=$3 suffix=$4 expect=$5
    port=$(ol_freeport)
    # shellcheck disable=SC2086
    ol_baresip_start $name $port tone=1000 $peer_opts || { bad "$name: baresip starts"; return; }
    conf "$T/$name.conf" <<EOF
[hotline]
ca_file = $T/ca.pem
$hot
[audio]
driver = wav
capture_file = $T/440.wav
playback_file = $T/$name-out.wav
EOF
    uri="sip:callee@127.0.0.1:$port$suffix"
    case "$suffix" in *tls*) uri="sip:callee@127.0.0.1:$((port + 1))$suffix" ;; esac
    "$OL_BIN" call --config "$T/$name.conf" --lang ar --seconds 4 "$uri" >"$T/$name.log" 2>&1
    rc=$?
    ol_baresip_stop $name
    sed 's/^/      /' "$T/$name.log" | grep -v warning
    [ $rc = 0 ] && ok "$name: call connected and ended normally (exit 0)" ||
        bad "$name: exit $rc, want 0"
    grep -q "ended .*$expect" "$T/$name.log" && ok "$name: media is $expect" ||
        bad "$name: media is not $expect"
    check "$name: kiosk hears the callee's 1000 Hz" "$OL_TONE" check "$T/$name-out.wav" 1000 1 3.5
    rec=$(ol_baresip_received $name)
    if [ -n "$rec" ]; then
        check "$name: callee hears the kiosk's 440 Hz" "$OL_TONE" check "$rec" 440 1 3.5
    else
        bad "$name: callee recorded nothing"
    fi
}

if want tones; then
    tone_call pcmu "codec=pcmu" "" "" "PCMU RTP"
    tone_call opus "codec=opus" "" "" "Opus RTP"
    tone_call srtp-udp "srtp=yes" "srtp = mandatory" "" "Opus SRTP"
    tone_call tls-srtp "srtp=yes cert=$T/good.pem" "" ";transport=tls" "Opus SRTP"
fi

# stunnel_start NAME TLS-PORT TCP-PORT: TLS on 127.0.0.1:TLS-PORT with the test certificate,
# passed on to 127.0.0.1:TCP-PORT (Debian's SIPp speaks no TLS).
stunnel_start() {
    cat >"$T/$1-stunnel.conf" <<EOF
foreground = yes
pid =
[sip-tls]
accept = 127.0.0.1:$2
connect = 127.0.0.1:$3
cert = $T/good.pem
EOF
    stunnel "$T/$1-stunnel.conf" >"$T/$1-stunnel.log" 2>&1 &
    ol_track $!
    sleep 0.3
}

# ---- every way the configuration names a TLS hotline, against a TLS baresip callee with SRTP
# mandatory: a sips: address (libre 1.1 sends only to sip: next hops: the kiosk routes the
# request to the same host over TLS and keeps the sips: Request-URI), transport = tls with a
# plain sip: address, a per-language uri.LANG, the secondary hotline, and self-test's OPTIONS.
# tls_form NAME "[hotline] lines" [URI]: a call with them; ok when it connects with SRTP.
tls_form() {
    name=$1 hot=$2 uri=${3:-}
    conf "$T/$name.conf" <<EOF
[hotline]
ca_file = $T/ca.pem
connect_timeout = 2s
$hot
[audio]
driver = null
EOF
    # shellcheck disable=SC2086
    "$OL_BIN" call --config "$T/$name.conf" --lang ar --seconds 1 $uri >"$T/$name.log" 2>&1
    rc=$?
    sed 's/^/      /' "$T/$name.log" | grep -v warning
    [ $rc = 0 ] && grep -q "ended .*SRTP" "$T/$name.log" &&
        ok "$name: connected over TLS with SRTP and ended (exit 0)" ||
        bad "$name: exit $rc, want 0 and SRTP"
}
if want tlsforms; then
    port=$(ol_freeport)
    dead=$(ol_freeport)
    ol_baresip_start tlsforms $port cert="$T/good.pem" srtp=yes seconds=60 ||
        bad "tlsforms: baresip starts"
    tport=$((port + 1))
    tls_form sips-uri "" "sips:callee@127.0.0.1:$tport"
    tls_form transport-tls "uri = sip:callee@127.0.0.1:$tport
transport = tls"
    tls_form uri-lang-sips "uri = sip:nobody@127.0.0.1:$dead
uri.ar = sips:callee@127.0.0.1:$tport"
    tls_form secondary-sips "uri = sip:nobody@127.0.0.1:$dead
secondary_uri = sips:callee@127.0.0.1:$tport"
    grep -q "connected.*\[secondary\]" "$T/secondary-sips.log" &&
        ok "secondary-sips: the call went to the secondary" || bad "secondary-sips: not the secondary"
    conf "$T/selftest-sips.conf" <<EOF
[paths]
data_dir = $PWD
[hotline]
uri = sips:callee@127.0.0.1:$tport
ca_file = $T/ca.pem
[audio]
driver = null
EOF
    "$OL_BIN" self-test --config "$T/selftest-sips.conf" >"$T/selftest-sips.log" 2>&1
    grep -q '^hotline *ok' "$T/selftest-sips.log" &&
        ok "self-test: a sips: hotline answers OPTIONS over TLS ($(sed -n 's/^hotline *ok *//p' \
            "$T/selftest-sips.log"))" ||
        { bad "self-test: sips: hotline"; grep '^hotline' "$T/selftest-sips.log" | sed 's/^/      /'; }
    ol_baresip_stop tlsforms

    # registrar = sips:...: a digest-checking SIPp registrar (Debian's SIPp has no TLS) behind
    # stunnel, which holds the certificate and passes the stream on over TCP.
    sport=$(ol_freeport)
    rport=$(ol_freeport)
    ol_sipp_uas reg-sips "$sport" "$PWD/tests/call/sipp/register-auth.xml" -t t1
    stunnel_start reg-sips "$rport" "$sport"
    conf "$T/reg-sips.conf" <<EOF
[paths]
data_dir = $PWD
[hotline]
uri = sip:hotline@127.0.0.1:$sport
registrar = sips:127.0.0.1:$rport
ca_file = $T/ca.pem
username = kiosk-7
password = correct-horse
register = yes
[audio]
driver = null
EOF
    "$OL_BIN" self-test --config "$T/reg-sips.conf" >"$T/reg-sips.log" 2>&1
    ol_wait_pid "$(cat "$T/reg-sips/pid")" 5
    sipp_rc=$?
    grep '^hotline ' "$T/reg-sips.log" | sed 's/^/      /'
    grep -q '^hotline  *ok  *registered (200 OK)' "$T/reg-sips.log" && [ $sipp_rc = 0 ] &&
        ok "registrar = sips: registered over TLS with digest authentication; unregistered at exit" ||
        bad "registrar = sips: (sipp exit $sipp_rc)"
    grep -q '^REGISTER sips:127.0.0.1:'"$rport"' SIP/2.0' "$T/reg-sips/messages.log" &&
        grep -q '^Via: SIP/2.0/TLS' "$T/reg-sips/messages.log" &&
        ok "registrar = sips: the REGISTER names sips: and came over TLS" ||
        bad "registrar = sips: REGISTER line or Via not as sent over TLS"
fi

# ---- TLS that must not verify: no media, a certificate reason
tls_fail() {
    name=$1 pem=$2 what=$3
    port=$(ol_freeport)
    ol_baresip_start $name $port cert="$pem" srtp=yes || { bad "$name: baresip starts"; return; }
    conf "$T/$name.conf" <<EOF
[hotline]
ca_file = $T/ca.pem
[audio]
driver = wav
capture_file = $T/440.wav
playback_file = $T/$name-out.wav
EOF
    "$OL_BIN" call --config "$T/$name.conf" --seconds 2 \
        "sip:callee@127.0.0.1:$((port + 1));transport=tls" >"$T/$name.log" 2>&1
    rc=$?
    ol_baresip_stop $name
    sed 's/^/      /' "$T/$name.log" | grep -v warning
    [ $rc = 4 ] && ok "$name: call fails (exit 4)" || bad "$name: exit $rc, want 4"
    ! grep -q "$(printf '\033')" "$T/$name.log" && ! grep -q 'tls: connect' "$T/$name.log" &&
        ok "$name: libre's own line (in ANSI red) does not reach the output" ||
        bad "$name: libre wrote its own line to the output"
    grep -q "failed (tls).*certificate.*$what" "$T/$name.log" &&
        ok "$name: reason names the certificate error ($what)" || bad "$name: no certificate reason"
    [ -z "$(ol_baresip_received $name)" ] && ! grep -q "Call established" "$T/$name/log" &&
        ok "$name: no call, no media at the server" || bad "$name: media flowed"
}
if want tls; then
    tls_fail tls-selfsigned "$T/self.pem" "self-signed"
    tls_fail tls-wrongname "$T/wrong.pem" "mismatch"
fi

# ---- a transfer: the hotline's media changes source mid-call (a new SSRC, sequence numbers
# elsewhere: tests/call/transfer.py, a SIP callee of a few lines), while an intruder sends other
# audio to the kiosk's RTP port from another address. The kiosk must play the new source at
# once and never the intruder.
# transfer_call NAME [intruder]: a call to tests/call/transfer.py; the kiosk's playback in
# $T/NAME-out.wav, its output in $T/NAME.log.
transfer_call() {
    port=$(ol_freeport)
    python3 tests/call/transfer.py "$port" ${2:-} >"$T/$1.out" 2>&1 &
    ol_track $!
    n=0
    until grep -q ready "$T/$1.out" 2>/dev/null || [ $n -gt 100 ]; do sleep 0.05; n=$((n + 1)); done
    conf "$T/$1.conf" <<EOF
[audio]
driver = wav
capture_file = $T/440.wav
playback_file = $T/$1-out.wav
EOF
    "$OL_BIN" call --config "$T/$1.conf" --seconds 4 "sip:hotline@127.0.0.1:$port" >"$T/$1.log" 2>&1
    rc=$?
    sed 's/^/      /' "$T/$1.log" | grep -v warning
    [ $rc = 0 ] && ok "$1: call connected and ended (exit 0)" || bad "$1: exit $rc"
    check "$1: the first source is heard (1000 Hz, 0.4-1.3 s)" \
        "$OL_TONE" check "$T/$1-out.wav" 1000 0.4 1.3
    check "$1: the new source is heard after the hand-over (1500 Hz, 1.8-3.8 s)" \
        "$OL_TONE" check "$T/$1-out.wav" 1500 1.8 3.8
}
if want transfer; then
    transfer_call transfer
    grep -q 'late 0 .*sources 2;' "$T/transfer.log" &&
        ok "transfer: two sources played in turn, no packet of the new one taken as late" ||
        bad "transfer: the summary does not show two sources without late packets"
    transfer_call intruder intruder
    lvl=$("$OL_TONE" level "$T/intruder-out.wav" 700 0.2 3.8 | sed -n 's/.* Hz at \(-*[0-9.]*\) dBFS.*/\1/p')
    awk -v l="$lvl" 'BEGIN { exit !(l < -45) }' &&
        ok "intruder: its 700 Hz from another address is not heard ($lvl dBFS)" ||
        bad "intruder: its 700 Hz from another address reached the loudspeaker ($lvl dBFS)"
    grep -q 'foreign [1-9]' "$T/intruder.log" &&
        ok "intruder: its packets were dropped ($(grep -o 'foreign [0-9]*' "$T/intruder.log"))" ||
        bad "intruder: no foreign packet counted as dropped"
fi

# ---- no ghost calls: a primary hotline that replies only after the kiosk gave up on it and
# moved on to the secondary (tests/call/late.py, both on one small UDP server). Nothing more of
# the abandoned INVITE may go out (libre retransmitted it for up to 32 s), and its late reply
# gets only what the protocol requires, at once: CANCEL for a 180 (then ACK for the 487), ACK
# and BYE for a 200. "early": the primary rings at once and never answers: no_answer_timeout,
# CANCEL at once.
# late_call MODE DELAY GIVEUP: checks on the kiosk's call and the primary's view of it
late_call() {
    mode=$1
    pport=$(ol_freeport)
    sport=$(ol_freeport)
    python3 tests/call/late.py "$pport" "$sport" "$mode" "$2" "$3" >"$T/late-$mode.out" 2>&1 &
    lpid=$!
    ol_track $lpid
    n=0
    until grep -q ready "$T/late-$mode.out" 2>/dev/null || [ $n -gt 100 ]; do sleep 0.05; n=$((n + 1)); done
    conf "$T/late-$mode.conf" <<EOF
[hotline]
uri = sip:hotline@127.0.0.1:$pport
secondary_uri = sip:second@127.0.0.1:$sport
connect_timeout = 1s
no_answer_timeout = 2s
[audio]
driver = null
EOF
    "$OL_BIN" call --config "$T/late-$mode.conf" --seconds 4 >"$T/late-$mode.log" 2>&1
    rc=$?
    wait $lpid
    sed 's/^/      /' "$T/late-$mode.log" "$T/late-$mode.out" | grep -v warning
    [ $rc = 0 ] && grep -q 'secondary' "$T/late-$mode.log" &&
        ok "late $mode: the secondary took the call (exit 0)" || bad "late $mode: exit $rc"
    v() { awk -v k="$1" '$1 == k {print $2}' "$T/late-$mode.out"; }
    [ "$(v invites_after_giveup)" = 0 ] &&
        ok "late $mode: no INVITE of the abandoned call after the kiosk gave up on it" ||
        bad "late $mode: $(v invites_after_giveup) INVITEs of the abandoned call after the kiosk gave up"
    within() { awk -v x="$1" 'BEGIN { exit !(x != "none" && x + 0 <= 100) }'; }
    case $mode in
    ring | early)
        within "$(v cancel_ms)" && ok "late $mode: CANCEL at once ($(v cancel_ms) ms)" ||
            bad "late $mode: CANCEL after $(v cancel_ms) ms (at once: <= 100)"
        within "$(v ack_ms)" && ok "late $mode: the 487 ACKed at once ($(v ack_ms) ms)" ||
            bad "late $mode: the 487 ACKed after $(v ack_ms) ms"
        [ "$(v bye_ms)" = none ] && ok "late $mode: no BYE (there was no call)" ||
            bad "late $mode: a BYE for a call that never was" ;;
    answer)
        within "$(v ack2xx_ms)" && within "$(v bye_ms)" &&
            ok "late answer: ACK ($(v ack2xx_ms) ms) and BYE ($(v bye_ms) ms) at once" ||
            bad "late answer: ACK after $(v ack2xx_ms) ms, BYE after $(v bye_ms) ms (at once: <= 100)"
        [ "$(v cancel_ms)" = none ] && ok "late answer: no CANCEL after the 200" ||
            bad "late answer: a CANCEL was sent" ;;
    esac
}
if want late; then
    late_call ring 2.5 1.0
    late_call answer 2.5 1.0
    late_call early 0 2.0
fi

# ---- an answer without a usable SRTP key: its own reason ("did not accept encrypted media",
# exit 4), not the transport's "Protocol error"; the dialog is ended (ACK, BYE). Over UDP with
# srtp = mandatory, and over TLS (stunnel before SIPp).
nokey() {
    name=$1 uri=$2 hot=$3
    conf "$T/$name.conf" <<EOF
[hotline]
ca_file = $T/ca.pem
$hot
[audio]
driver = null
EOF
    "$OL_BIN" call --config "$T/$name.conf" --seconds 1 "$uri" >"$T/$name.log" 2>&1
    rc=$?
    ol_wait_pid "$(cat "$T/$name/pid")" 5
    sipp_rc=$?
    sed 's/^/      /' "$T/$name.log" | grep -v warning
    [ $rc = 4 ] && grep -q "failed (media).*did not accept encrypted media" "$T/$name.log" &&
        ok "$name: the hotline did not accept encrypted media (exit 4)" ||
        bad "$name: exit $rc, reason: $(grep failed "$T/$name.log")"
    [ $sipp_rc = 0 ] && ok "$name: the dialog was ended (ACK, BYE)" ||
        bad "$name: SIPp did not get ACK and BYE (exit $sipp_rc)"
}
if want nokey; then
    port=$(ol_freeport)
    ol_sipp_uas nokey-udp "$port" "$PWD/tests/call/sipp/answer-nokey.xml" \
        -set contact "sip:127.0.0.1:$port"
    nokey nokey-udp "sip:hotline@127.0.0.1:$port" "srtp = mandatory"
    port=$(ol_freeport)
    tport=$(ol_freeport)
    ol_sipp_uas nokey-tls "$port" "$PWD/tests/call/sipp/answer-nokey.xml" -t t1 \
        -set contact "sip:127.0.0.1:$tport;transport=tls"
    stunnel_start nokey-tls "$tport" "$port"
    nokey nokey-tls "sips:hotline@127.0.0.1:$tport" ""
fi

# ---- SIPp: busy, 503, no answer, unreachable and the secondary
sipp_reply() {
    name=$1 status=$2 want_rc=$3 want_text=$4
    port=$(ol_freeport)
    sed "s/@STATUS@/$status/" tests/call/sipp/reply.xml >"$T/$name.xml"
    ol_sipp_uas $name $port "$T/$name.xml"
    "$OL_BIN" call --audio null --lang sw "sip:hotline@127.0.0.1:$port" >"$T/$name.log" 2>&1
    rc=$?
    sed 's/^/      /' "$T/$name.log" | grep -v warning
    [ $rc = "$want_rc" ] && ok "$name: $status -> exit $rc" || bad "$name: $status -> exit $rc, want $want_rc"
    grep -q "$want_text" "$T/$name.log" && ok "$name: reported as $want_text" || bad "$name: not $want_text"
    grep -q "^Accept-Language: sw" "$T/$name/messages.log" && ok "$name: INVITE carries Accept-Language: sw" ||
        bad "$name: no Accept-Language in the INVITE"
}
if want sipp; then
    sipp_reply busy "486 Busy Here" 2 "failed (busy)"
    sipp_reply unavailable "503 Service Unavailable" 4 "failed (rejected).*503"

    port=$(ol_freeport)
    ol_sipp_uas noanswer $port "$PWD/tests/call/sipp/noanswer.xml"
    conf "$T/noanswer.conf" <<EOF
[hotline]
no_answer_timeout = 3s
[audio]
driver = null
EOF
    "$OL_BIN" call --config "$T/noanswer.conf" "sip:hotline@127.0.0.1:$port" >"$T/noanswer.log" 2>&1
    rc=$?
    sed 's/^/      /' "$T/noanswer.log" | grep -v warning
    [ $rc = 3 ] && ok "no answer: exit 3" || bad "no answer: exit $rc, want 3"
    grep -q "ringing" "$T/noanswer.log" && ok "no answer: ringing reported" || bad "no answer: no ringing"
    ol_wait_pid "$(cat "$T/noanswer/pid")" 5 && ok "no answer: SIPp got CANCEL and its 487 ACKed" ||
        bad "no answer: SIPp scenario failed"

    # A closed UDP port answers with ICMP port unreachable: failed at once, not after the
    # connect timeout (libre's unconnected SIP socket never hears it; the kiosk's probe does).
    dead=$(ol_freeport)
    t0=$(date +%s%N)
    "$OL_BIN" call --audio null "sip:hotline@127.0.0.1:$dead" >"$T/unreach.log" 2>&1
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    sed 's/^/      /' "$T/unreach.log" | grep -v warning
    [ $rc = 4 ] && grep -q "failed (unreachable).*ICMP port unreachable" "$T/unreach.log" &&
        [ $ms -lt 1500 ] &&
        ok "closed port: failed (unreachable, ICMP port unreachable) after $ms ms (< 1.5 s)" ||
        bad "closed port: exit $rc after $ms ms (want ICMP port unreachable within 1.5 s)"

    # Hosts that take the INVITE and never answer (sockets bound here, read by nobody): the
    # connect timeout, primary and secondary within 10 s.
    dead=$(ol_freeport)
    dead2=$(ol_freeport)
    python3 -c 'import socket, sys, time
s = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for p in sys.argv[1:]]
for so, p in zip(s, sys.argv[1:]): so.bind(("127.0.0.1", int(p)))
time.sleep(30)' "$dead" "$dead2" &
    ol_track $!
    n=0
    until [ "$(ss -Hunl "( sport = :$dead or sport = :$dead2 )" | wc -l)" = 2 ] || [ $n -gt 100 ]; do
        sleep 0.05
        n=$((n + 1))
    done
    conf "$T/both.conf" <<EOF
[hotline]
uri = sip:hotline@127.0.0.1:$dead
secondary_uri = sip:hotline@127.0.0.1:$dead2
[audio]
driver = null
EOF
    t0=$(date +%s%N)
    "$OL_BIN" call --config "$T/both.conf" >"$T/both.log" 2>&1
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    sed 's/^/      /' "$T/both.log" | grep -v warning
    [ $rc = 4 ] && grep -q "secondary.*no reply from" "$T/both.log" && [ $ms -lt 10000 ] &&
        ok "primary and secondary silent: fallback after $ms ms (< 10 s)" ||
        bad "primary and secondary silent: exit $rc after $ms ms"

    port=$(ol_freeport)
    ol_baresip_start secondary $port codec=pcmu || bad "secondary: baresip starts"
    conf "$T/secondary.conf" <<EOF
[hotline]
uri = sip:hotline@127.0.0.1:$dead
secondary_uri = sip:callee@127.0.0.1:$port
connect_timeout = 2s
[audio]
driver = null
EOF
    "$OL_BIN" call --config "$T/secondary.conf" --seconds 1 >"$T/secondary.log" 2>&1
    rc=$?
    ol_baresip_stop secondary
    sed 's/^/      /' "$T/secondary.log" | grep -v warning
    [ $rc = 0 ] && grep -q "connected.*\[secondary\]" "$T/secondary.log" &&
        ok "primary unreachable: the secondary hotline answers" || bad "secondary: exit $rc"
fi

# ---- an incoming INVITE to the kiosk while it runs a call is refused (403)
if want incoming; then
    port=$(ol_freeport)
    kport=$(ol_freeport)
    ol_baresip_start incoming $port codec=pcmu || bad "incoming: baresip starts"
    conf "$T/incoming.conf" <<EOF
[hotline]
local_port = $kport
[audio]
driver = null
EOF
    "$OL_BIN" call --config "$T/incoming.conf" --seconds 3 "sip:callee@127.0.0.1:$port" \
        >"$T/incoming.log" 2>&1 &
    kpid=$!
    ol_track $kpid
    sleep 1
    mkdir -p "$T/uac"
    (cd "$T/uac" && sipp -sf "$OLDPWD/tests/call/sipp/invite-kiosk.xml" -i 127.0.0.1 \
        -p "$(ol_freeport)" -m 1 -timeout 10s -timeout_error -nostdin "127.0.0.1:$kport" \
        >"$T/uac/out" 2>&1)
    src=$?
    ol_wait_pid $kpid 10
    krc=$?
    ol_baresip_stop incoming
    [ $src = 0 ] && ok "incoming INVITE refused with 403 while a call runs" ||
        { bad "incoming INVITE not refused (sipp exit $src)"; tail -5 "$T/uac/out"; }
    [ $krc = 0 ] && ok "incoming: the kiosk's own call went on (exit 0)" || bad "incoming: kiosk exit $krc"
fi

# ---- hang-up sends BYE within 100 ms (SIPp logs each message's arrival time). The hang-up is
# SIGTERM: `openline call` hangs up and then ends by the signal (143). (SIGINT would do the same,
# but a background job of this non-interactive shell starts with SIGINT ignored, and a signal
# ignored at start stays ignored.)
if want bye; then
    port=$(ol_freeport)
    mport=$(ol_freeport)
    ol_sipp_uas bye $port "$PWD/tests/call/sipp/answer.xml" -rtp_echo -mp "$mport"
    "$OL_BIN" call --audio null --seconds 60 "sip:hotline@127.0.0.1:$port" >"$T/bye.log" 2>&1 &
    kpid=$!
    ol_track $kpid
    n=0
    while ! grep -q connected "$T/bye.log" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
    sleep 1
    t_hang=$(date +%s.%N)
    kill -TERM $kpid
    ol_wait_pid $kpid 5
    krc=$?
    ol_wait_pid "$(cat "$T/bye/pid")" 5
    t_bye=$(awk '/^-----/ {ts=$3} /^BYE / {print ts; exit}' "$T/bye/messages.log")
    if [ -n "$t_bye" ]; then
        ms=$(echo "$t_hang $t_bye" | awk '{split($1,a,"."); split($2,b,":");
            hang = (a[1] % 86400) + ("0." a[2]); bye = b[1]*3600 + b[2]*60 + b[3];
            d = (bye - hang) * 1000; if (d < -43200000) d += 86400000; printf "%.1f", d}')
        # SIPp prints local time: compare in the same zone
        off=$(date +%z | awk '{s=substr($1,1,1); h=substr($1,2,2); m=substr($1,4,2);
            v=(h*3600+m*60)*1000; print (s=="-") ? -v : v}')
        ms=$(echo "$ms $off" | awk '{d=$1-$2; if (d<-43200000) d+=86400000; if (d>43200000) d-=86400000; printf "%.1f", d}')
        awk -v d="$ms" 'BEGIN{exit !(d >= 0 && d < 100)}' &&
            ok "hang-up: BYE reached the hotline $ms ms after the hang-up request" ||
            bad "hang-up: BYE $ms ms after the hang-up request (want < 100)"
    else
        bad "hang-up: no BYE reached SIPp"
    fi
    [ $krc = 143 ] && ok "hang-up: ended by the signal after hanging up (exit 143)" ||
        bad "hang-up: exit $krc (want 143: hung up, then ended by SIGTERM)"
fi

# ---- echo, measured on speech: a baresip callee says espeak-ng English (aufile) and records
# what it receives (sndfile); the kiosk is on the wav driver in a room: its loudspeaker heard by
# its microphone 40 or 120 ms later, 6 dB down, through a sparse impulse response (47
# reflections over 90 ms), with pink noise at about -71 dBFS. call-echo rebuilds the echo the
# microphone heard from the kiosk's own playback file with the driver's room code, and gives
# ERLE over the frames in which only the far end speaks, from 2 s after it first speaks, and
# how long until 20 dB. Double talk: a second voice as the near end.
erle_field() { ol_erle_field "$@"; }
# echo_start NAME ...: ol_echo_call in the background (the kiosk takes about 5 % of a core and
# the callee nothing, so calls side by side do not disturb each other); echo_done NAME: wait
# for it, a failure reported
echo_start() {
    ( ol_echo_call "$@" 2>"$T/$1.err" ) &
    echo $! >"$T/$1.pid"
}
echo_done() {
    wait "$(cat "$T/$1.pid")" || { bad "$1: $(cat "$T/$1.err")"; return 1; }
    echo "      $1: $(cat "$T/$1.erle")"
}
# erle_check NAME FIELD OP LIMIT DESCRIPTION: ok when FIELD OP LIMIT (awk comparison)
erle_check() {
    v=$(erle_field "$1" "$2")
    if [ -n "$v" ] && awk -v v="$v" -v l="$4" "BEGIN { exit !(v $3 l) }"; then
        ok "$5: $2 $v (want $3 $4)"
    else
        bad "$5: $2 ${v:-missing} (want $3 $4)"
    fi
}
if want echo; then
    if ol_echo_assets; then
        echo_start echo-pcmu40 pcmu 40
        echo_start echo-opus120 opus 120
        echo_start echo-nsoff pcmu 40 "noise_suppression = no"
        echo_done echo-pcmu40 &&
            { erle_check echo-pcmu40 erle '>=' 35 "echo: PCMU, 40 ms room, defaults"
              erle_check echo-pcmu40 conv '<=' 2.5 "echo: PCMU, 40 ms room: 20 dB reached"
              erle_check echo-pcmu40 conv '>' 0 "echo: PCMU, 40 ms room: 20 dB reached at all"; }
        echo_done echo-opus120 &&
            { erle_check echo-opus120 erle '>=' 30 "echo: Opus, 120 ms room, defaults"
              erle_check echo-opus120 conv '<=' 2.0 "echo: Opus, 120 ms room: 20 dB reached"
              erle_check echo-opus120 conv '>' 0 "echo: Opus, 120 ms room: 20 dB reached at all"; }
        echo_done echo-nsoff &&
            erle_check echo-nsoff erle '>=' 30 "echo: noise suppression off, residual echo still suppressed"
        echo_start echo-double opus 40 near
        STALL_AT=6 echo_start echo-stall pcmu 40
        echo_done echo-double &&
            { erle_check echo-double near '>=' -3 "echo: double talk, the near-end talker kept"
              erle_check echo-double near '<=' 3 "echo: double talk, the near-end talker not boosted"; }
        # Before the reference came from the device, a stall cost about 2 s of full echo (15
        # dB or less over the call); the comparison with clean calls over many calls, whose
        # ERLE itself varies by about 3 dB from call to call, is in make bench-echo.
        echo_done echo-stall &&
            erle_check echo-stall erle '>=' 35 "echo: a 50 ms stall (SIGSTOP) in the call" &&
            echo "      against the clean call: $(erle_field echo-stall erle) - \
$(erle_field echo-pcmu40 erle) dB"
    else
        bad "echo: espeak-ng, sox and call-echo make the test audio"
    fi
fi

# ---- speech (read-aloud outside calls, phrases spoken into a call) through the call plug-in,
# which owns the audio device. The speech is espeak-ng's; call-tone corr finds it in a recording
# by normalized cross-correlation (peak, lag, the largest value elsewhere) and says when a file
# is active (10 ms windows above -40 dBFS).
# corr_field NAME: one field of the corr line in $T/corr.out
corr_field() { sed -n "s/.*$1=\([-0-9.]*\).*/\1/p" "$T/corr.out" | tail -n 1; }
corr_active_end() { sed -n 's/.* active=[-0-9.]*-\([-0-9.]*\) .*/\1/p' "$T/corr.out"; }
corr_active_start() { sed -n 's/.* active=\([-0-9.]*\)-.*/\1/p' "$T/corr.out"; }
ref_active_len() { sed -n 's/.*ref_active=\([-0-9.]*\)-\([-0-9.]*\).*/\1 \2/p' "$T/corr.out" |
    awk '{ printf "%.3f", $2 - $1 }'; }
# The kiosk's microphone for these: 3100 Hz at -20 dBFS, where espeak's voice has almost nothing
# (-54 dBFS), so the tone can be measured under the speech.
speech_conf() { # NAME: wav driver, the tone as microphone, playback to $T/NAME-out.wav
    conf "$T/$1.conf" <<EOF
[audio]
driver = wav
capture_file = $T/3100.wav
playback_file = $T/$1-out.wav
volume = 100
EOF
}
# speech_call CODEC: the phrase said 2 s after connecting (the noise suppressor has settled on
# the tone by then); what baresip received must hold the phrase, and the tone before, during and
# after it at the same level.
speech_call() {
    name=say-$1
    port=$(ol_freeport)
    ol_baresip_start $name $port tone=1000 codec=$1 || { bad "$name: baresip starts"; return; }
    speech_conf $name
    "$OL_BIN" call --config "$T/$name.conf" --say "$T/speech.wav" --say-at 2000 --seconds 8 \
        "sip:callee@127.0.0.1:$port" >"$T/$name.log" 2>&1
    rc=$?
    ol_baresip_stop $name
    sed 's/^/      /' "$T/$name.log" | grep -v warning
    [ $rc = 0 ] && grep -q '^say: .* ok$' "$T/$name.log" &&
        ok "$name: phrase queued into the connected call; call ended normally" ||
        bad "$name: exit $rc, or the phrase was not accepted"
    rec=$(ol_baresip_received $name)
    [ -n "$rec" ] || { bad "$name: callee recorded nothing"; return; }
    "$OL_TONE" corr "$rec" "$T/speech.wav" >"$T/corr.out" 2>&1
    peak=$(corr_field peak) lag=$(corr_field lag) other=$(corr_field elsewhere)
    awk -v p="$peak" -v o="$other" -v l="$lag" 'BEGIN { exit !(p >= 0.6 && o < p / 3 &&
        l >= 1.9 && l <= 2.3) }' &&
        ok "$name: the callee hears the phrase (correlation $peak at $lag s, elsewhere $other)" ||
        bad "$name: phrase not found (correlation $peak at $lag s, elsewhere $other; want >= 0.6 at 1.9-2.3 s, 3x elsewhere)"
    len=$(ref_active_len)
    before=$(tone_level "$rec" 1.2 1.9)
    during=$(tone_level "$rec" "$(echo "$lag" | awk '{ print $1 + 0.3 }')" \
        "$(echo "$lag $len" | awk '{ print $1 + $2 - 0.3 }')")
    after=$(tone_level "$rec" "$(echo "$lag $len" | awk '{ print $1 + $2 + 0.4 }')" 7.6)
    awk -v b="$before" -v d="$during" -v a="$after" 'BEGIN { exit !(b > -40 &&
        d - b > -3 && d - b < 3 && a - b > -3 && a - b < 3) }' &&
        ok "$name: the microphone's 3100 Hz keeps arriving: $before dBFS before, $during during, $after after the phrase" ||
        bad "$name: the microphone's 3100 Hz: $before dBFS before, $during during, $after after the phrase (want within 3 dB)"
}
tone_level() { # FILE FROM TO: the 3100 Hz level in dBFS
    "$OL_TONE" level "$1" 3100 "$2" "$3" | sed 's/.* at \([-0-9.]*\) dBFS.*/\1/'
}
if want speech; then
    espeak-ng -v en -w "$T/speech.wav" \
        "Your employer may not keep your passport. You do not have to give your name." &&
        sox -q -n -r 48000 -c 1 -b 16 "$T/3100.wav" synth 12 sine 3100 vol 0.1 ||
        bad "speech: espeak-ng and sox make the test audio"

    # Read-aloud to the end, then 3 s more with the engine running.
    speech_conf read
    "$OL_BIN" speech-play --config "$T/read.conf" --linger 3000 "$T/speech.wav" >"$T/read.log" 2>&1
    rc=$?
    sed 's/^/      /' "$T/read.log" | grep -v warning
    "$OL_TONE" corr "$T/read-out.wav" "$T/speech.wav" >"$T/corr.out" 2>&1
    peak=$(corr_field peak) lag=$(corr_field lag) other=$(corr_field elsewhere)
    played=$(echo "$(corr_active_start) $(corr_active_end)" | awk '{ printf "%.3f", $2 - $1 }')
    len=$(ref_active_len)
    [ $rc = 0 ] && grep -q 'played out at' "$T/read.log" &&
        awk -v p="$peak" -v o="$other" 'BEGIN { exit !(p >= 0.9 && o < 0.3) }' &&
        ok "speech: the playback holds the speech (correlation $peak at $lag s, elsewhere $other)" ||
        bad "speech: exit $rc; correlation $peak at $lag s, elsewhere $other (want >= 0.9, < 0.3)"
    awk -v a="$played" -v b="$len" 'BEGIN { d = a - b; exit !(d > -0.03 && d < 0.03) }' &&
        ok "speech: $played s of sound played for $len s in the file" ||
        bad "speech: $played s of sound played for $len s in the file (want within 30 ms)"
    # the file's length past the speech's last sample (espeak's own silence at the end included)
    idle=$(echo "$(soxi -D "$T/read-out.wav") $lag $(soxi -D "$T/speech.wav")" |
        awk '{ printf "%.2f", $1 - $2 - $3 }')
    awk -v i="$idle" 'BEGIN { exit !(i >= 1.9 && i <= 2.4) }' &&
        ok "speech: the device closed $idle s after the speech ended (2 s)" ||
        bad "speech: the device closed $idle s after the speech ended (want 2 s)"
    # the wav driver notes each start beside its playback file (never in the log)
    grep -q '^playback-only ' "$T/read-out.wav.starts" && ! grep -q '^microphone-open' "$T/read-out.wav.starts" &&
        ok "speech: the device opened for playback only; the microphone never opened" ||
        bad "speech: the microphone was opened for read-aloud"

    # Stopped after 500 ms: about 0.5 s of speech, and nothing after the next device block
    # (10 ms; the file's time runs behind the command's, so the stop is no later in it).
    speech_conf stop
    "$OL_BIN" speech-play --config "$T/stop.conf" --stop-after 500 --linger 3000 \
        "$T/speech.wav" >"$T/stop.log" 2>&1
    rc=$?
    sed 's/^/      /' "$T/stop.log" | grep -v warning
    at=$(sed -n 's/^speech: stopped at \([0-9.]*\) ms.*/\1/p' "$T/stop.log")
    "$OL_TONE" corr "$T/stop-out.wav" "$T/speech.wav" 0 0.45 >"$T/corr.out" 2>&1
    peak=$(corr_field peak) to_s=$(corr_active_end) from_s=$(corr_active_start)
    [ $rc = 0 ] && grep -q 'speech_now 0$' "$T/stop.log" &&
        awk -v p="$peak" 'BEGIN { exit !(p >= 0.9) }' &&
        ok "speech stopped: the start of the speech was played (correlation $peak); speech_now 0 at once" ||
        bad "speech stopped: exit $rc, correlation $peak, $(grep stopped "$T/stop.log")"
    awk -v s="$from_s" -v e="$to_s" -v at="${at:-0}" 'BEGIN { exit !(at > 0 && e - s >= 0.35 &&
        e <= at / 1000 + 0.015) }' &&
        ok "speech stopped at $at ms: sound in the playback from $from_s to $to_s s (<= one 10 ms block after the stop)" ||
        bad "speech stopped at $at ms: sound in the playback from $from_s to $to_s s (want >= 0.35 s, ending by the stop + 15 ms)"
    dur=$(soxi -D "$T/stop-out.wav" 2>/dev/null)
    idle=$(echo "$dur ${at:-0}" | awk '{ printf "%.2f", $1 - $2 / 1000 }')
    awk -v i="$idle" 'BEGIN { exit !(i >= 1.9 && i <= 2.4) }' &&
        ok "speech stopped: the device closed $idle s after the stop" ||
        bad "speech stopped: the device closed $idle s after the stop (want 2 s)"

    # Into a call: PCMU and Opus.
    speech_call pcmu
    speech_call opus

    # A dial while speech plays: the speech stops, the call connects at once and carries none
    # of it either way.
    port=$(ol_freeport)
    ol_baresip_start speech-dial $port tone=1000 codec=pcmu || bad "speech-dial: baresip starts"
    speech_conf speech-dial
    "$OL_BIN" call --config "$T/speech-dial.conf" --speech "$T/speech.wav" --dial-after 800 \
        --seconds 3 "sip:callee@127.0.0.1:$port" >"$T/speech-dial.log" 2>&1
    rc=$?
    ol_baresip_stop speech-dial
    sed 's/^/      /' "$T/speech-dial.log" | grep -v warning
    ms=$(sed -n 's/^ *\([0-9]*\) ms  connected.*/\1/p' "$T/speech-dial.log")
    [ $rc = 0 ] && grep -q 'speech: tag 1 playing when dialled' "$T/speech-dial.log" &&
        grep -q 'speech: tag 0 playing when connected' "$T/speech-dial.log" &&
        [ -n "$ms" ] && [ "$ms" -lt 500 ] &&
        ok "speech-dial: dialled while speech played: connected $ms ms after the dial, speech stopped" ||
        bad "speech-dial: exit $rc, connected after ${ms:-?} ms (want speech playing at the dial, none at connect, < 500 ms)"
    check "speech-dial: the kiosk hears the callee's 1000 Hz" \
        "$OL_TONE" check "$T/speech-dial-out.wav" 1000 0.5 2.5
    "$OL_TONE" corr "$T/speech-dial-out.wav" "$T/speech.wav" 1 3 >"$T/corr.out" 2>&1
    p1=$(corr_field peak)
    rec=$(ol_baresip_received speech-dial)
    p2=none
    [ -n "$rec" ] && "$OL_TONE" corr "$rec" "$T/speech.wav" 1 3 >"$T/corr.out" 2>&1 &&
        p2=$(corr_field peak)
    awk -v a="$p1" -v b="$p2" 'BEGIN { exit !(a != "" && a < 0.3 && b != "none" && b < 0.3) }' &&
        ok "speech-dial: no speech in the call (correlation $p1 at the kiosk's loudspeaker, $p2 at the callee)" ||
        bad "speech-dial: speech in the call (correlation $p1 at the kiosk's loudspeaker, $p2 at the callee)"
fi

# ---- real-time priority of the device's and the call thread, and the fallback without it
if want rt; then
    sh tests/call/rt.sh "$T" &&
        ok "real-time: device thread SCHED_FIFO 20, call thread 10 where permitted; unprivileged, the call connects and the log says why once" ||
        bad "real-time priority of the audio path"
fi

# ---- the real PortAudio path under JACK's dummy driver
if want jack; then
    if command -v jackd >/dev/null 2>&1; then
        sh tests/call/jack.sh "$T" && ok "portaudio under JACK dummy: tone both ways" ||
            bad "portaudio under JACK dummy"
        sh tests/call/jack-hang.sh "$T" &&
            ok "a hung sound server (jackd stopped) holds up no signalling: BYE at once" ||
            bad "a hung sound server held up signalling"
        sh tests/call/jack-speech.sh "$T" &&
            ok "read-aloud through PortAudio under JACK dummy: output-only stream, speech heard" ||
            bad "read-aloud through PortAudio under JACK dummy"
        sh tests/call/audio-late.sh "$T" &&
            ok "audio device appears after start, then goes: Call button, call, number again" ||
            bad "audio device that comes and goes"
    else
        bad "jackd missing"
    fi
fi

want register && reg_refresh_check

echo "call suite: $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
