#!/bin/sh
# openline self-test is the technician's tool: each check that fails says what to do, in plain
# words. Configurations with one fault each; the failing check's line must be followed by its
# advice. Nothing listens on the ports used here (127.0.0.1 only).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
bin=build/openline
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0
ex=assets/openline.conf.example
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# FILE CHECK ADVICE-WORDS: self-test on FILE fails CHECK, and the line after it is its advice.
expect_advice() {
    out=$($bin self-test --config "$1" 2>/dev/null)
    if printf '%s\n' "$out" | grep -A1 "^$2 *FAIL" | tail -1 | grep -q "what to do: .*$3"; then
        echo "ok   self-test: $2 fails and says: ...$3..."
    else
        echo "FAIL self-test: no advice '$3' under a failing $2 check:"
        printf '%s\n' "$out" | sed 's/^/     /'
        failed=1
    fi
}
sed 's/^uri = sip.*/uri =/' $ex > "$tmp/no-uri.conf"
expect_advice "$tmp/no-uri.conf" hotline "set \[hotline\] uri"
sed "s/^uri = sip.*/uri = sip:hotline@127.0.0.1:$port/" $ex > "$tmp/closed.conf"
expect_advice "$tmp/closed.conf" hotline "check the network"
sed -e "s/^uri = sip.*/uri = sips:hotline@127.0.0.1:$port/" \
    -e "s|^ca_file = .*|ca_file = $tmp/missing-ca.pem|" $ex > "$tmp/ca.conf"
expect_advice "$tmp/ca.conf" hotline "readable file of PEM CA certificates"
# A TLS server whose certificate is not signed by [hotline] ca_file (openssl s_server, self-signed).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout "$tmp/key.pem" \
    -out "$tmp/cert.pem" 2>/dev/null
tport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
openssl s_server -accept 127.0.0.1:$tport -cert "$tmp/cert.pem" -key "$tmp/key.pem" -quiet \
    < /dev/null > /dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
sleep 0.5
sed "s/^uri = sip.*/uri = sips:hotline@127.0.0.1:$tport/" $ex > "$tmp/tls.conf"
expect_advice "$tmp/tls.conf" hotline "install the hotline's CA certificate"
kill $server 2>/dev/null
sed 's/^width_mm = .*/width_mm = 47cm/; s/^window_width = .*/window_width = wide/' $ex > "$tmp/bad.conf"
expect_advice "$tmp/bad.conf" configuration "fix the line named above"
# No sound card on a test machine: the audio check fails and says to plug in the handset.
if ! aplay -l 2>/dev/null | grep -q '^card'; then
    expect_advice $ex audio "plug in the handset"
fi
exit $failed
