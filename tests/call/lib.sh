# Shell functions for tests that need real SIP peers on 127.0.0.1 (sourced, POSIX sh).
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   . tests/call/lib.sh
#   ol_setup                      temp dir in $OL_TMP, cleaned up (peers stopped) on exit
#   ol_sub_setup NAME DIR         for scripts run by the suite: $OL_TMP = DIR/NAME, the suite's binary
#   port=$(ol_freeport)           a port P with UDP P, TCP P and TCP P+1 free on 127.0.0.1
#   ol_baresip_start NAME PORT [key=value ...]     auto-answering baresip callee; waits until ready
#       codec=opus|pcmu|pcma      what it accepts (default: opus, pcmu, pcma)
#       tone=HZ | file=WAV        what it sends (default: tone=1000)
#       srtp=yes                  SDES-SRTP mandatory (RTP/SAVP)
#       cert=PEM                  certificate + key: also listens for TLS on PORT+1
#       seconds=N                 quits by itself after N seconds (default 120)
#     It records what it receives (and sends) as $OL_TMP/NAME/dump-*-dec.wav (-enc.wav).
#   ol_baresip_received NAME      path of the recording of what NAME received
#   ol_baresip_stop NAME
#   ol_sipp_uas NAME PORT XML [sipp options...]    SIPp as a one-call server; stops by itself
#   ol_wait_pid PID SECONDS       wait for a process, kill it after SECONDS; returns its status
#   ol_echo_assets                the echo measurement's audio in $OL_TMP: far.wav (espeak-ng
#                                 English), near.wav (a second voice from 3 s), ir.wav (the room's
#                                 impulse response), roomnoise.wav (pink noise, about -71 dBFS)
#   ol_echo_call NAME CODEC DELAY_MS [near] [audio lines...]
#                                 one 10 s call from the kiosk (wav driver, that room, 6 dB down)
#                                 to a baresip callee saying far.wav; call-echo's measurement
#                                 and the call's underruns in $OL_TMP/NAME.erle (one line);
#                                 STALL_AT=S stops the kiosk (SIGSTOP) for 50 ms S seconds in
#   ol_erle_field NAME FIELD      one field of that line (erle, conv, near, underruns ...)
#   ol_jackd_env NAME             a private JACK server name for what starts from now on (never a
#                                 user's running JACK; clients do not start one themselves)
#   ol_jackd_start                start it (dummy driver, 48 kHz, 20 ms periods), pid in
#                                 $ol_jackd_pid; non-zero, with its log, when it did not start
#   ol_jackd_stop                 stop it (resumed first: a test may have stopped it with SIGSTOP),
#                                 killed after 3 s, its shared memory removed
#
# Every peer listens on 127.0.0.1 only, has its own directory under $OL_TMP (never ~/.baresip)
# and is stopped by ol_cleanup, which ol_setup installs as the EXIT trap.

OL_ROOT=${OL_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
OL_BIN=${OL_BIN:-$OL_ROOT/build/openline}
OL_TONE=${OL_TONE:-$OL_ROOT/build/tests/call-tone}
OL_ECHO=${OL_ECHO:-$OL_ROOT/build/tests/call-echo}

ol_setup() {
    OL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/openline-call.XXXXXX")
    : >"$OL_TMP/pids"
    # A private copy: a rebuild of build/openline during the run must not break it. The call
    # plug-in goes with it: the program loads it from its own directory.
    cp "$OL_BIN" "$OL_TMP/openline" && cp "$(dirname "$OL_BIN")/openline-call.so" "$OL_TMP/" &&
        OL_BIN=$OL_TMP/openline
    trap ol_cleanup EXIT
    trap 'exit 130' INT TERM HUP PIPE
}

ol_cleanup() {
    if [ -n "${OL_TMP:-}" ] && [ -f "$OL_TMP/pids" ]; then
        while read -r pid; do
            kill "$pid" 2>/dev/null
        done <"$OL_TMP/pids"
        sleep 0.2
        while read -r pid; do
            kill -9 "$pid" 2>/dev/null
        done <"$OL_TMP/pids"
        [ "${OL_KEEP:-0}" = 1 ] && echo "kept $OL_TMP" >&2 || rm -rf "$OL_TMP"
    fi
}

# For a script that tests/call/run.sh runs with its temp dir: its own directory NAME there, and
# the suite's private copy of the program. The caller installs its own EXIT trap.
ol_sub_setup() { # NAME SUITE_TMPDIR
    OL_TMP=$2/$1
    mkdir -p "$OL_TMP"
    : >"$OL_TMP/pids"
    OL_BIN=$2/openline
}

ol_track() {
    echo "$1" >>"$OL_TMP/pids"
}

ol_freeport() {
    "$OL_TONE" freeport
}

ol_baresip_start() {
    name=$1 port=$2
    shift 2
    codec="" tone=1000 file="" srtp="" cert="" seconds=120
    for kv in "$@"; do
        case "$kv" in
        codec=*) codec=${kv#codec=} ;;
        tone=*) tone=${kv#tone=} ;;
        file=*) file=${kv#file=} ;;
        srtp=*) srtp=${kv#srtp=} ;;
        cert=*) cert=${kv#cert=} ;;
        seconds=*) seconds=${kv#seconds=} ;;
        *) echo "ol_baresip_start: unknown option $kv" >&2; return 2 ;;
        esac
    done
    dir=$OL_TMP/$name
    mkdir -p "$dir"
    source_line="ausine,$tone"
    [ -n "$file" ] && source_line="aufile,$file"
    {
        echo "poll_method epoll"
        echo "sip_listen 127.0.0.1:$port"
        [ -n "$cert" ] && echo "sip_certificate $cert"
        echo "net_interface 127.0.0.1"
        # What it hears goes to aubridge's player, which takes it at the packet rate: ALSA's
        # "null" device takes everything at once, so its player thread spun a whole core for
        # the length of every call (measured: 98-100 % CPU), a load the kiosk under test
        # then competed with. What it receives is recorded by sndfile either way.
        echo "audio_player aubridge,nil"
        echo "audio_alert alsa,null"
        echo "audio_source $source_line"
        echo "ausrc_srate 48000"
        echo "ausrc_channels 2"
        echo "auplay_srate 48000"
        echo "rtp_ports 30000-39999"
        echo "module_path /usr/lib/baresip/modules"
        echo "module g711.so"
        echo "module opus.so"
        echo "module ausine.so"
        echo "module aufile.so"
        echo "module alsa.so"
        echo "module aubridge.so"
        echo "module srtp.so"
        echo "module sndfile.so"
        echo "snd_path $dir"
        echo "module_app account.so"
    } >"$dir/config"
    params=";regint=0;answermode=auto"
    case "$codec" in
    opus) params="$params;audio_codecs=opus/48000/2" ;;
    pcmu) params="$params;audio_codecs=PCMU/8000/1" ;;
    pcma) params="$params;audio_codecs=PCMA/8000/1" ;;
    esac
    [ "$srtp" = yes ] && params="$params;mediaenc=srtp-mand"
    echo "<sip:callee@127.0.0.1>$params" >"$dir/accounts"
    baresip -f "$dir" -t "$seconds" </dev/null >"$dir/log" 2>&1 &
    pid=$!
    ol_track $pid
    echo $pid >"$dir/pid"
    i=0
    while ! grep -q "baresip is ready" "$dir/log" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 100 ] || ! kill -0 $pid 2>/dev/null; then
            echo "baresip $name did not start:" >&2
            cat "$dir/log" >&2
            return 1
        fi
        sleep 0.05
    done
}

ol_baresip_received() {
    ls "$OL_TMP/$1"/dump-*-dec.wav 2>/dev/null | tail -n 1
}

ol_baresip_stop() {
    pid=$(cat "$OL_TMP/$1/pid" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

ol_sipp_uas() {
    name=$1 port=$2 xml=$3
    shift 3
    dir=$OL_TMP/$name
    mkdir -p "$dir"
    (cd "$dir" && exec sipp -sf "$xml" -i 127.0.0.1 -p "$port" -m 1 -timeout 30s \
        -timeout_error -trace_msg -message_file "$dir/messages.log" -trace_err \
        -error_file "$dir/errors.log" -nostdin "$@" >"$dir/out" 2>&1) &
    pid=$!
    ol_track $pid
    echo $pid >"$dir/pid"
    sleep 0.3
}

ol_jackd_env() {
    export JACK_DEFAULT_SERVER="openline-$1-$$"
    export JACK_NO_START_SERVER=1
    ol_jackd_pid=
}

ol_jackd_start() {
    jackd --no-realtime -d dummy -r 48000 -p 960 >"$OL_TMP/jackd.log" 2>&1 &
    ol_jackd_pid=$!
    jack_wait -w -t 5 >/dev/null 2>&1 && return 0
    echo "      jackd did not start"
    cat "$OL_TMP/jackd.log"
    return 1
}

# A sub-test with a JACK dummy server of its own (NAME SERVER_TAG SUITE_TMPDIR): on any exit its
# peers are stopped first (given 2 s, then killed), then jackd, which then has time to leave
# JACK's server registry.
ol_jack_sub_setup() {
    ol_sub_setup "$1" "$3"
    T=$OL_TMP
    ol_jackd_env "$2"
    trap ol_jack_sub_cleanup EXIT
    trap 'exit 130' INT TERM HUP PIPE
}

ol_jack_sub_cleanup() {
    while read -r pid; do kill "$pid" 2>/dev/null; done <"$OL_TMP/pids"
    n=0
    while [ $n -lt 20 ] && ol_any_alive; do sleep 0.1; n=$((n + 1)); done
    while read -r pid; do kill -9 "$pid" 2>/dev/null; done <"$OL_TMP/pids"
    ol_jackd_stop
}

# Whether any tracked process still runs. (A loop's "exit" would leave the whole script: a
# redirected loop runs in this shell, so the trap's last steps would never run.)
ol_any_alive() {
    while read -r pid; do
        kill -0 "$pid" 2>/dev/null && return 0
    done <"$OL_TMP/pids"
    return 1
}

ol_jackd_stop() {
    if [ -n "${ol_jackd_pid:-}" ]; then
        kill -CONT "$ol_jackd_pid" 2>/dev/null
        kill "$ol_jackd_pid" 2>/dev/null
        n=0
        while kill -0 "$ol_jackd_pid" 2>/dev/null && [ $n -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
        kill -9 "$ol_jackd_pid" 2>/dev/null
        ol_jackd_pid=
    fi
    rm -rf /dev/shm/jack_"$JACK_DEFAULT_SERVER"_* /dev/shm/jack_sem.*_"$JACK_DEFAULT_SERVER"_* \
        2>/dev/null
}

ol_wait_pid() {
    pid=$1 secs=$2 n=0
    while kill -0 "$pid" 2>/dev/null; do
        n=$((n + 1))
        if [ $n -gt $((secs * 20)) ]; then
            kill "$pid" 2>/dev/null
            break
        fi
        sleep 0.05
    done
    wait "$pid"
}

ol_echo_assets() {
    espeak-ng -v en-us -s 150 -w "$OL_TMP/far22.wav" "Thank you for calling the helpline. You are \
not alone, and you do not have to give your name. Tell me what you can, in your own words, and \
take your time. We can talk about your rights at work, about your documents, and about where \
you can stay tonight." &&
    espeak-ng -v en-gb+f3 -s 140 -w "$OL_TMP/near22.wav" "I am calling about my friend. They took \
her passport when she arrived, and she works every day without pay." &&
    sox -q "$OL_TMP/far22.wav" -r 48000 -c 2 -b 16 "$OL_TMP/far.wav" &&
    sox -q "$OL_TMP/near22.wav" -r 48000 -c 1 -b 16 "$OL_TMP/near.wav" pad 3 0 &&
    sox -q -n -r 48000 -c 1 -b 16 "$OL_TMP/roomnoise.wav" synth 7 pinknoise vol 0.0012 &&
    "$OL_ECHO" ir "$OL_TMP/ir.wav"
}

ol_echo_call() {
    name=$1 codec=$2 delay=$3
    shift 3
    near=""
    [ "${1:-}" = near ] && { near=$OL_TMP/near.wav; shift; }
    port=$(ol_freeport)
    ol_baresip_start $name $port file="$OL_TMP/far.wav" codec=$codec || return 1
    {
        printf '[organisation]\nname = Test Helpline\nhotline = +1 555 0100\n\n[audio]\n'
        echo "driver = wav"
        echo "playback_file = $OL_TMP/$name-out.wav"
        echo "wav_room_delay = ${delay}ms"
        echo "wav_room_attenuation = 6"
        echo "wav_room_impulse = $OL_TMP/ir.wav"
        echo "wav_room_noise = $OL_TMP/roomnoise.wav"
        [ -n "$near" ] && echo "capture_file = $near"
        for l in "$@"; do echo "$l"; done
    } >"$OL_TMP/$name.conf"
    "$OL_BIN" call --config "$OL_TMP/$name.conf" --seconds 10 "sip:callee@127.0.0.1:$port" \
        >"$OL_TMP/$name.log" 2>&1 &
    kpid=$!
    if [ -n "${STALL_AT:-}" ]; then
        sleep "$STALL_AT"
        kill -STOP $kpid && sleep 0.05 && kill -CONT $kpid
    fi
    wait $kpid
    ol_baresip_stop $name
    rec=$(ol_baresip_received $name)
    [ -n "$rec" ] || { echo "the callee recorded nothing" >&2; return 1; }
    "$OL_ECHO" rebuild "$OL_TMP/$name-out.wav" $delay 6 "$OL_TMP/ir.wav" "$OL_TMP/$name-echo48.wav" &&
        sox -q "$OL_TMP/$name-echo48.wav" -r 16000 "$OL_TMP/$name-echo.wav" &&
        sox -q "$rec" -r 16000 -c 1 "$OL_TMP/$name-sent.wav" || return 1
    nearw=""
    [ -n "$near" ] && { sox -q "$near" -r 16000 "$OL_TMP/$name-near.wav"; nearw=$OL_TMP/$name-near.wav; }
    "$OL_ECHO" erle "$OL_TMP/$name-echo.wav" "$OL_TMP/$name-sent.wav" $nearw >"$OL_TMP/$name.erle" ||
        return 1
    echo " underruns=$(sed -n 's/.*underruns \([0-9]*\).*/\1/p' "$OL_TMP/$name.log" | tail -n 1)" \
        >>"$OL_TMP/$name.erle"
    line=$(tr -d '\n' <"$OL_TMP/$name.erle") && echo "$line" >"$OL_TMP/$name.erle"
}
ol_erle_field() { sed -n "s/.* $2=\([-0-9.]*\).*/\1/p" "$OL_TMP/$1.erle"; }
