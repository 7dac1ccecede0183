#!/bin/sh
# Call benchmark (make bench-call): the kiosk against baresip as a caller, both calling the same
# baresip callee on 127.0.0.1 in this run; numbers side by side, not pass/fail.
#   INVITE -> 200 OK and INVITE -> first RTP packet: seen on the loopback wire by tcpdump
#   (one process per call for both callers; t0 is the INVITE leaving, so process start-up does
#   not count for either), medians of N calls each (N=10, BENCH_CALLS=N to change).
#   Audio latency the kiosk adds: its own per-packet figures (capture -> RTP sent, RTP received
#   -> played), and the loop measured outside: a click in IN.wav, RTP echoed by SIPp, the click's
#   arrival in OUT.wav (both WAVs run on the wav driver's one clock).
#   1,000 calls in a row in one process: resident memory and open descriptors as they go.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
. tests/call/lib.sh
ol_setup
T=$OL_TMP
N=${BENCH_CALLS:-10}
# Calls in a row: a SIP transaction stays for 32 s after its call (RFC 3261 timers J and K),
# so memory can be flat only after that long: 6,000 calls (about 70 s), judged on the last third.
LONG=${BENCH_LONG:-6000}

for tool in baresip sipp tcpdump sox; do
    command -v $tool >/dev/null 2>&1 || { echo "bench-call: $tool missing (make deps; tcpdump: apt-get install tcpdump)" >&2; exit 1; }
done

port=$(ol_freeport)
ol_baresip_start callee "$port" tone=1000 codec=opus seconds=1800 || exit 1
URI="sip:callee@127.0.0.1:$port"

# baresip as a caller: same codecs offered first (Opus), its menu dials at start.
cport=$(ol_freeport)
mkdir -p "$T/caller"
cat >"$T/caller/config" <<EOF
poll_method epoll
sip_listen 127.0.0.1:$cport
net_interface 127.0.0.1
audio_player alsa,null
audio_alert alsa,null
audio_source ausine,440
ausrc_srate 48000
ausrc_channels 2
auplay_srate 48000
rtp_ports 20000-29999
module_path /usr/lib/baresip/modules
module opus.so
module g711.so
module ausine.so
module alsa.so
module_app account.so
module_app menu.so
EOF
echo "<sip:caller@127.0.0.1>;regint=0" >"$T/caller/accounts"
printf '[organisation]\nname = B\nhotline = +1 555 0100\n[audio]\ndriver = null\n' >"$T/k.conf"

# One call seen on the wire: prints "INVITE->200 INVITE->RTP" in ms. The callee's RTP ports
# are 30000-39999 (tests/call/lib.sh), so a packet to them from elsewhere is the caller's RTP.
wire_call() {
    tcpdump -i lo -n -tt -l -A "udp and host 127.0.0.1" >"$T/wire.txt" 2>/dev/null &
    tpid=$!
    sleep 0.4
    "$@" >/dev/null 2>&1
    sleep 0.2
    kill $tpid
    wait $tpid 2>/dev/null
    awk -v sp="$port" '
        /^[0-9]+\.[0-9]+ IP / {
            ts = $1; split($3, s, "."); split($5, d, "."); dport = d[5]; sub(":", "", dport)
            sport = s[5]; hdr = 1
            if (rtp == "" && inv != "" && dport + 0 >= 30000 && dport + 0 < 40000 &&
                dport % 2 == 0 && sport != sp) rtp = ts
            next
        }
        hdr && inv == "" && /INVITE sip:/ { inv = ts }
        ok == "" && inv != "" && /SIP\/2.0 200 / { maybe = ts }
        ok == "" && maybe != "" && /^CSeq: [0-9]+ / { if ($3 == "INVITE") ok = maybe; else maybe = "" }
        END { if (inv == "" || ok == "" || rtp == "") print "na na";
              else printf "%.1f %.1f\n", (ok - inv) * 1000, (rtp - inv) * 1000 }' "$T/wire.txt"
}

median() {
    sort -n | awk '{v[NR] = $1} END {if (!NR) {print "na"; exit}
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

echo "bench-call: $N calls each to baresip at $URI"
: >"$T/k.txt"
: >"$T/b.txt"
i=0
while [ $i -lt "$N" ]; do
    wire_call "$OL_BIN" call --config "$T/k.conf" --seconds 1 "$URI" >>"$T/k.txt"
    wire_call timeout 10 baresip -f "$T/caller" -e "/dial $URI" -t 2 >>"$T/b.txt"
    i=$((i + 1))
done
k200=$(awk '$1 != "na" {print $1}' "$T/k.txt" | median)
krtp=$(awk '$2 != "na" {print $2}' "$T/k.txt" | median)
b200=$(awk '$1 != "na" {print $1}' "$T/b.txt" | median)
brtp=$(awk '$2 != "na" {print $2}' "$T/b.txt" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "na" || b == "na" || b == 0) print "na"; else printf "%.2f", a / b }'; }
printf '\n%-34s %10s %10s %8s %s\n' "median of $N calls (ms)" openline baresip ratio "target"
printf '%-34s %10s %10s %8s %s\n' "INVITE -> 200 OK" "$k200" "$b200" "$(ratio "$k200" "$b200")" "<= 1.1"
printf '%-34s %10s %10s %8s %s\n' "INVITE -> first RTP packet" "$krtp" "$brtp" "$(ratio "$krtp" "$brtp")" "<= 0.5"
echo "  (calls with a complete timeline: openline $(grep -vc na "$T/k.txt")/$N, baresip $(grep -vc na "$T/b.txt")/$N)"

# The kiosk's dial -> INVITE (inside the process, before the wire): its "connecting" event.
"$OL_BIN" call --config "$T/k.conf" --seconds 1 "$URI" 2>/dev/null >"$T/one.txt"
echo "  openline dial -> INVITE sent: $(awk '/connecting/ {print $1; exit}' "$T/one.txt") ms (its own clock)"

# ---- audio latency
echo
echo "audio latency the kiosk adds (wav driver, 48 kHz, 10 ms device blocks; jitter_buffer 20ms)"
sox -q -n -r 48000 -c 1 -b 16 "$T/tone.wav" synth 6 sine 440 vol 0.4
printf '[organisation]\nname = B\nhotline = +1 555 0100\n[audio]\ndriver = wav\ncapture_file = %s\nplayback_file = %s\n' \
    "$T/tone.wav" "$T/tone-out.wav" >"$T/lat.conf"
"$OL_BIN" call --config "$T/lat.conf" --seconds 5 "$URI" 2>/dev/null >"$T/lat.txt"
sed -n 's/.*cap->rtp \([0-9.]*\) ms max \([0-9.]*\); rtp->play \([0-9.]*\) ms max \([0-9.]*\).*/\1 \2 \3 \4/p' \
    "$T/lat.txt" >"$T/lat.num"
read -r cap capmax play playmax <"$T/lat.num" || { cap=na; play=na; capmax=na; playmax=na; }
printf '  %-40s %8s ms (max %s)   target < 25\n' "capture -> RTP packet sent (mean)" "$cap" "$capmax"
printf '  %-40s %8s ms (max %s)   target < 25\n' "RTP packet received -> played (mean)" "$play" "$playmax"
# Outside check of the sum: a click goes out, SIPp echoes the RTP, the click comes back.
sox -q -n -r 48000 -c 1 -b 16 "$T/click.wav" synth 0.02 sine 1000 vol 0.6 pad 1 3
printf '[organisation]\nname = B\nhotline = +1 555 0100\n[audio]\ndriver = wav\ncapture_file = %s\nplayback_file = %s\necho_cancel = no\nnoise_suppression = no\n' \
    "$T/click.wav" "$T/click-out.wav" >"$T/loop.conf"
sport=$(ol_freeport)
mport=$(ol_freeport)
ol_sipp_uas loop "$sport" "$PWD/tests/call/sipp/answer.xml" -rtp_echo -mp "$mport"
"$OL_BIN" call --config "$T/loop.conf" --seconds 3 "sip:echo@127.0.0.1:$sport" >/dev/null 2>&1
t_in=$("$OL_TONE" onset "$T/click.wav")
t_out=$("$OL_TONE" onset "$T/click-out.wav")
loop=$(awk -v a="$t_in" -v b="$t_out" 'BEGIN{ if (b == "none") print "na"; else printf "%.1f", (b - a) * 1000 }')
printf '  %-40s %8s ms   (sum of the two above, measured outside; SIPp echo, PCMU)\n' \
    "loop: click in -> click out" "$loop"

# ---- calls in a row
echo
echo "$LONG calls in a row in one process (each: INVITE, 200, ACK, BYE at once):"
"$OL_BIN" call --config "$T/k.conf" --seconds 0 --repeat "$LONG" "$URI" >"$T/long.txt" 2>"$T/long.err" &
lpid=$!
ol_track $lpid
: >"$T/mem.txt"
t0=$(date +%s)
while kill -0 $lpid 2>/dev/null; do
    n=$(grep -c '^call ' "$T/long.txt")
    rss=$(awk '/^VmRSS/ {print $2}' /proc/$lpid/status 2>/dev/null)
    fds=$(ls /proc/$lpid/fd 2>/dev/null | wc -l)
    [ -n "$rss" ] && echo "$n $rss $fds" >>"$T/mem.txt"
    sleep 0.5
done
wait $lpid
rc=$?
secs=$(($(date +%s) - t0))
done_calls=$(grep -c 'ended' "$T/long.txt")
printf '  %-12s %12s %8s\n' "after call" "RSS (KiB)" "fds"
awk -v L="$LONG" 'BEGIN {split("10 100 250 500 750 1000", m, " ")}
    { for (i in m) if (!(i in seen) && $1 >= m[i] * L / 1000) { seen[i] = 1; line[i] = $0 } last = $0 }
    END { for (i = 1; i <= 6; i++) if (i in line) { split(line[i], f, " "); printf "  %-12s %12s %8s\n", f[1], f[2], f[3] }
          split(last, f, " "); printf "  %-12s %12s %8s  (last sample)\n", f[1], f[2], f[3] }' "$T/mem.txt"
echo "  $done_calls of $LONG calls connected and ended normally in $secs s (exit $rc)"
# Flatness: RSS and descriptors over the last third of the run, after the SIP timers' 32 s.
awk -v L="$LONG" '$1 >= 2 * L / 3 && !a { a = $2; fa = $3 } $1 >= 2 * L / 3 { b = $2; fb = $3 }
    END { if (!a) { print "  (too few samples for the last third)"; exit }
          printf "  last third (calls %d..%d): RSS %d -> %d KiB (%+.1f %%), fds %d -> %d: %s\n",
              2 * L / 3, L, a, b, (b - a) * 100 / a, fa, fb,
              ((b - a) * 100 / a < 2 && fb - fa <= 2) ? "flat" : "NOT flat" }' "$T/mem.txt"
