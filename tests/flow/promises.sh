#!/bin/sh
# The hotline's promises (issue 18): each sentence only where the configuration states its fact.
# Four configurations, each through `openline play` with what the visitor must and must not be
# told (expect text / no-text: what the screen shows is what Read aloud reads):
#   none     no fact stated: no promise about the police, immigration, interpreters, what
#            happens next, reporting or hours
#   all      every promise: not police or immigration, interpreters, the visitor decides, always
#   limited  not police only, interpreters for fr and ar, a duty to report children and danger,
#            opening hours: a Thai visitor is told in Thai which languages the counsellor speaks
#   closed   out of hours (Monday 07:59): the call gives way to the other ways to get help and
#            the hours, on a page and call-info; at 08:00 it is back on the screen shown
# (No sound card here: the open hotline's call-info says calls are not available, which the
# closed one never says.)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
conf=assets/openline.conf.example
bin=build/openline
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
export TZ=UTC

facts() { # name lines...: the example with these [organisation] lines
    name=$1
    shift
    printf '%s\n' "$@" > "$tmp/$name.lines"
    sed "/^emergency =/r $tmp/$name.lines" $conf | sed 's/^emergency =$/emergency = 112/' > "$tmp/$name.conf"
}
facts none
facts all independent_of_police=yes independent_of_immigration=yes interpreters=yes \
    hours=always mandatory_reporting=none
facts limited independent_of_police=yes "interpreters = fr ar" \
    "hours = Mo-Fr 08:00-20:00, Sa 09:00-13:00" "mandatory_reporting = children danger"
facts closed "hours = Mo-Fr 08:00-20:00"

play() { # name conf [clock]: the script on stdin
    cat > "$tmp/$1.play"
    if out=$($bin play --test-clock${3:+=$3} --config "$tmp/$2.conf" --size 1920x1080 \
        --script "$tmp/$1.play" 2>&1); then
        echo "ok   promises: $1"
    else
        echo "FAIL promises: $1"
        printf '%s\n' "$out" | grep -v '^openline: \(warning\|caches\)' | sed 's/^/     /'
        failed=1
    fi
}

play none none <<'PLAY'
tap 600 400
tap @lang-en
tap @tile-call
expect screen call-info
expect text A trained counsellor from Example Helpline answers the call.
expect text The call is free.
expect no-text police
expect no-text immigration
expect no-text interpreter
expect no-text what happens next
expect no-text must tell
expect no-text The hotline answers
expect no-text speaks these languages
tap @back
tap @tile-help
expect text A trained counsellor listens to you.
expect no-text interpreter
expect no-text what happens next
tap @back
tap @tile-forced
expect no-text police
PLAY

play all all <<'PLAY'
tap 600 400
tap @lang-en
tap @tile-call
expect screen call-info
expect text The counsellor is not from the police or immigration.
expect text You can ask for an interpreter.
expect text You choose what happens next.
expect text The hotline answers at any time, day and night.
expect no-text must tell
expect no-text speaks these languages
expect no-text The hotline is closed now.
tap @back
tap @tile-help
expect text You can talk in your own language or ask for an interpreter.
expect text You decide what happens next.
tap @back
tap @tile-forced
expect text The counsellor is not from the police or immigration.
PLAY

# Saturday 2026-12-05 10:00 UTC: open. A Thai visitor, whose language the hotline does not
# speak, is told in Thai which languages it does; a French visitor is offered an interpreter.
play limited-th limited 2026-12-05T10:00Z <<'PLAY'
tap 600 400
tap @lang-th
tap @tile-call
expect screen call-info
expect no-text ตอนนี้สายด่วนปิดอยู่
expect text ผู้ให้คำปรึกษาพูดภาษาเหล่านี้: อังกฤษ ฝรั่งเศส และอาหรับ
expect text ผู้ให้คำปรึกษาไม่ใช่ตำรวจ
expect no-text ไม่ใช่ตำรวจ และไม่ใช่เจ้าหน้าที่ตรวจคนเข้าเมือง
expect text ผู้ให้คำปรึกษาต้องแจ้งหน่วยงานที่คุ้มครองเด็ก
expect text ผู้ให้คำปรึกษาต้องแจ้งหน่วยบริการฉุกเฉิน
expect no-text ขอล่าม
expect text สายด่วนรับสายในเวลาเหล่านี้:
PLAY
play limited-fr limited 2026-12-05T10:00Z <<'PLAY'
tap 600 400
tap @lang-fr
tap @tile-call
expect text Vous pouvez demander un interprète.
expect no-text parle ces langues
expect text doit prévenir les autorités qui protègent les enfants
expect no-text Vous choisissez
PLAY

# Monday 07:59: closed. At 08:00 the call is back, on the screen already shown.
play closed closed 2026-12-07T07:59Z <<'PLAY'
tap 600 400
tap @lang-en
expect screen home
expect widget tile-call
tap @tile-rights
expect screen page
tap @call
expect screen call-info
expect text The hotline is closed now.
expect text The hotline answers at these times: Monday–Friday
expect text Send a text message to +1 555 0101.
expect text In an emergency, call 112.
expect no-text from another phone
expect no-text Calls are not available
advance 70s
expect screen call-info
expect no-text The hotline is closed now.
expect text Call +1 555 0100 from another phone.
expect text Calls are not available at this kiosk.
tap @back
tap @back
expect screen home
expect widget tile-call
PLAY

# A bad fact is refused with the file, its line, the key and what is accepted.
for bad in "interpreters = fr xx" "hours = Mo-Fr 8-20" "mandatory_reporting = police" \
    "independent_of_police = maybe"; do
    facts bad "$bad"
    key=${bad%% =*}
    msg=$($bin snapshot --config "$tmp/bad.conf" --screen home --out "$tmp/a.png" 2>&1)
    if [ $? -eq 2 ] && printf '%s' "$msg" | grep -q "bad.conf:[0-9]*: \[organisation\] $key.*accepted"; then
        echo "ok   refused: $bad"
    else
        echo "FAIL not refused as it should be: $bad: $msg"
        failed=1
    fi
done
exit $failed
