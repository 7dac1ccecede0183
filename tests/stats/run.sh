#!/bin/bash
# Tests of openline-stats (issue 5): unit tests, then the real server on 127.0.0.1 driven with
# curl against SQLite and against a PostgreSQL server started here, the dashboard in headless
# Chromium, TLS, command-line errors, and a search for any trace of the client in the database
# and the logs. Prints one line per check and "N passed, M failed"; exits non-zero on a failure.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$(dirname "$0")/../.."
START=$(date +%s)
. tests/stats/lib.sh

# Every curl call sends this agent: it must never show up in the database or the logs.
UA="OpenLinePrivacyProbe/7.3 (stats-test)"
export CURL_HOME=$T/curlhome
mkdir -p "$CURL_HOME"
printf 'user-agent = "%s"\n' "$UA" >"$CURL_HOME/.curlrc"

for f in "$STATS_BIN" build/tests/stats_test_ingest build/tests/stats_test_util; do
    if [ ! -x "$f" ]; then
        echo "FAIL - $f is missing: run make check-stats (or make build/openline-stats ...)"
        echo "0 passed, 1 failed"
        exit 1
    fi
done

# ---------------------------------------------------------------------------------------------
echo "== unit tests (cmocka)"
for t in build/tests/stats_test_*; do
    if "$t" >"$T/unit.log" 2>&1; then
        ok "unit: $(basename "$t") ($(grep -c '\[       OK \]' "$T/unit.log") tests)"
    else
        cat "$T/unit.log"
        not_ok "unit: $(basename "$t")"
    fi
done

# ---------------------------------------------------------------------------------------------
# req ARGS...: curl; prints the status code, keeps the body in $T/body, headers in $T/headers.
req() {
    curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@"
}
# expect NAME CODE ARGS...: the request answers CODE.
expect() {
    local name=$1 want=$2 got
    shift 2
    got=$(req "$@")
    if [ "$got" = "$want" ]; then
        ok "$name -> $got"
    else
        not_ok "$name -> $got, want $want: $(head -c 300 "$T/body")"
    fi
}
header() {
    tr -d '\r' <"$T/headers" | sed -n "s/^$1: //Ip" | head -n 1
}
hexid() {
    head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'
}
# batch ID START DAYS EPSILON COUNTS-JSON
batch() {
    printf '{"schema":1,"batch":"%s","bucket":{"start":"%s","days":%s},"noise":{"mech":"geometric","epsilon":%s},"counts":%s}' \
        "$1" "$2" "$3" "$4" "$5"
}
# post TOKEN PATH BODY [curl args]
post() {
    local tok=$1 path=$2 body=$3
    shift 3
    req -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
        --data-binary "$body" "$@" "$BASE$path"
}
expect_post() {
    local name=$1 want=$2 got
    shift 2
    got=$(post "$@")
    if [ "$got" = "$want" ]; then
        ok "$name -> $got $(head -c 120 "$T/body")"
    else
        not_ok "$name -> $got, want $want: $(head -c 300 "$T/body")"
    fi
}
# cell FILE KEY: the text of the element with data-cell KEY in an HTML page.
cell() {
    grep -o "data-cell=\"$2\">[^<]*" "$1" | head -n 1 | sed 's/.*">//; s/&lt;/</g'
}
expect_cell() {
    local file=$1 key=$2 want=$3 got
    got=$(cell "$file" "$key")
    if [ "$got" = "$want" ]; then ok "cell $key = $got"; else not_ok "cell $key = '$got', want '$want'"; fi
}

# Days of the data posted: three past weeks and a single day of the last one.
W1=$(day_offset $((-21 + 1 - $(date -u +%u))))
W2=$(day_offset $((-14 + 1 - $(date -u +%u))))
W3=$(day_offset $((-7 + 1 - $(date -u +%u))))
THIS=$(this_monday)
D3=$(date -u -d "$W3 + 2 days" +%F)
TODAY=$(date -u +%F)
OLD=$(day_offset -5)
PASSWORD="correct horse battery staple"

# api_suite NAME DB-URL: the whole HTTP suite against one database.
api_suite() {
    local name=$1 db=$2
    echo "== $name: kiosks and staff from the command line"
    local k1 k2 k3 k4 ro
    k1=$("$STATS_BIN" --db "$db" kiosk add "Airport T1" 2>/dev/null)
    k2=$("$STATS_BIN" kiosk add 'Border Post <North> & "Co"' --db "$db" 2>/dev/null)
    k3=$("$STATS_BIN" --db "$db" kiosk add "Community Centre" 2>/dev/null)
    k4=$("$STATS_BIN" --db "$db" kiosk add "Rate Test" 2>/dev/null)
    check "kiosk add prints a 64-hex token" test "$(echo "$k1$k2$k3$k4" | grep -Ec '^[0-9a-f]{256}$')" = 1
    check "staff add reads the password from stdin" \
        sh -c "echo '$PASSWORD' | '$STATS_BIN' --db '$db' staff add alice 2>/dev/null"
    check "staff add refuses a short password" \
        sh -c "! echo short | '$STATS_BIN' --db '$db' staff add bob 2>/dev/null"
    ro=$("$STATS_BIN" --db "$db" staff token alice 2>/dev/null)
    check "staff token prints a read-only token" test "${#ro}" = 64
    "$STATS_BIN" --db "$db" kiosk list >"$T/kiosks.txt" 2>&1
    check "kiosk list shows the four kiosks" test "$(grep -c active "$T/kiosks.txt")" = 4
    local k3id
    k3id=$(grep "Community Centre" "$T/kiosks.txt" | awk '{print $1}')
    check "kiosk revoke" "$STATS_BIN" --db "$db" kiosk revoke "$k3id"
    check "kiosk list shows it revoked" grep -q "Community Centre.*revoked" <("$STATS_BIN" --db "$db" kiosk list)

    stats_start "$name" "$db" --rate 1000 || { not_ok "$name: server starts"; return; }
    ok "$name: server listens on 127.0.0.1:$(stats_port "$name")"
    BASE="http://127.0.0.1:$(stats_port "$name")"

    echo "== $name: batches"
    local id1 id2
    id1=$(hexid)
    id2=$(hexid)
    local c1='{"sessions":12,"lang.es":3,"lang.en":9,"page.rights":5,"read_aloud":1,"call.attempted":2,"call.connected":1,"call.failed":1,"quick_exit":0}'
    local c2='{"sessions":20,"lang.es":8,"lang.en":12,"page.rights":7,"page.wages":2,"read_aloud":6,"call.attempted":7,"call.connected":5,"call.failed":2,"quick_exit":3}'
    expect_post "201 stored: new batch" 201 "$k1" /api/v1/batches "$(batch "$id1" "$W1" 7 1.0 "$c1")"
    check "reply names the status" grep -q '"status":"stored"' "$T/body"
    expect_post "200 duplicate: the same batch again" 200 "$k1" /api/v1/batches "$(batch "$id1" "$W1" 7 1.0 "$c1")"
    check "reply says duplicate" grep -q '"status":"duplicate"' "$T/body"
    expect_post "409: another batch for the same kiosk and week" 409 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W1" 7 1.0 "$c1")"
    expect_post "409: a day bucket inside a stored week" 409 "$k1" /api/v1/batches "$(batch "$(hexid)" "$(date -u -d "$W1 + 2 days" +%F)" 1 1.0 "$c1")"
    expect_post "409: a batch id reused for another week" 409 "$k1" /api/v1/batches "$(batch "$id1" "$W2" 7 1.0 "$c1")"
    expect_post "201: next week, epsilon 0.5" 201 "$k1" /api/v1/batches "$(batch "$id2" "$W2" 7 0.5 "$c2")"
    expect_post "201: second kiosk, same week as the first" 201 "$k2" /api/v1/batches "$(batch "$(hexid)" "$W1" 7 1 '{"sessions":4,"lang.es":4,"call.attempted":-1}')"
    expect_post "201: a 1-day bucket" 201 "$k2" /api/v1/batches "$(batch "$(hexid)" "$D3" 1 1 '{"sessions":9,"lang.am":9}')"
    expect_post "422: this week has not ended" 422 "$k1" /api/v1/batches "$(batch "$(hexid)" "$THIS" 7 1 '{"sessions":1}')"
    expect_post "422: today has not ended" 422 "$k1" /api/v1/batches "$(batch "$(hexid)" "$TODAY" 1 1 '{"sessions":1}')"

    echo "== $name: refusals"
    local big
    big=$(batch "$(hexid)" "$W3" 7 1 '{"sessions":1}')
    big="$big$(printf '%*s' $((17 * 1024 - ${#big})) '')"
    check "the 17 KiB body is 17408 bytes" test "${#big}" = 17408
    expect_post "413: 17 KiB body with Content-Length" 413 "$k1" /api/v1/batches "$big"
    expect_post "413: 17 KiB body chunked, no Content-Length" 413 "$k1" /api/v1/batches "$big" -H 'Transfer-Encoding: chunked'
    expect_post "400: malformed JSON" 400 "$k1" /api/v1/batches '{"schema":1,'
    expect_post "400: not an object" 400 "$k1" /api/v1/batches '[]'
    expect_post "400: empty body" 400 "$k1" /api/v1/batches ''
    expect_post "400: duplicate key" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":1,"sessions":2}')"
    expect_post "400: unknown top-level field" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":1}' | sed 's/^{/{"site":"x",/')"
    expect_post "400: unknown field in bucket" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":1}' | sed 's/"days":7/"days":7,"tz":"UTC"/')"
    expect_post "400: unknown counter" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"visitor_ip":1}')"
    expect_post "400: wrong type (string count)" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":"3"}')"
    expect_post "400: wrong type (real count)" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":3.5}')"
    expect_post "400: wrong type (days as string)" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" '"7"' 1 '{"sessions":3}')"
    expect_post "400: count below -50" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":-51}')"
    expect_post "400: count above 50000" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":50001}')"
    expect_post "400: epsilon 0" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 0 '{"sessions":3}')"
    expect_post "400: days 3" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$W3" 3 1 '{"sessions":3}')"
    expect_post "400: week starting on a Tuesday" 400 "$k1" /api/v1/batches "$(batch "$(hexid)" "$(date -u -d "$W3 + 1 day" +%F)" 7 1 '{"sessions":3}')"
    expect_post "400: batch id in upper case" 400 "$k1" /api/v1/batches "$(batch "$(hexid | tr a-f A-F)" "$W3" 7 1 '{"sessions":3}')"
    expect "400: wrong Content-Type" 400 -H "Authorization: Bearer $k1" -H 'Content-Type: text/plain' --data-binary "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":3}')" "$BASE/api/v1/batches"
    check "a 400 reply gives a reason" grep -q '"reason":"' "$T/body"
    expect "401: no token" 401 -H 'Content-Type: application/json' --data-binary '{}' "$BASE/api/v1/batches"
    check "401 names the Bearer scheme" test "$(header WWW-Authenticate)" = 'Bearer realm="openline-stats"'
    expect_post "401: unknown token" 401 "$(printf 'a%.0s' {1..64})" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":3}')"
    expect_post "401: malformed token" 401 "not-a-token" /api/v1/batches '{}'
    expect_post "401: a staff read-only token is no kiosk token" 401 "$ro" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":3}')"
    expect_post "403: revoked token" 403 "$k3" /api/v1/batches "$(batch "$(hexid)" "$W3" 7 1 '{"sessions":3}')"
    expect_post "403: revoked token, heartbeat" 403 "$k3" /api/v1/heartbeat '{}'
    expect "405: GET on the batch endpoint" 405 "$BASE/api/v1/batches"
    expect "404: unknown path" 404 "$BASE/api/v2/batches"

    echo "== $name: heartbeats"
    local hb='{"schema":1,"day":"%s","version":"1.0.0","spool_depth":%s,"clock":"%s","self_test":"%s"}'
    expect_post "204: heartbeat" 204 "$k1" /api/v1/heartbeat "$(printf "$hb" "$TODAY" 0 trusted pass)"
    expect_post "204: heartbeat again the same day (kept once)" 204 "$k1" /api/v1/heartbeat "$(printf "$hb" "$TODAY" 2 trusted pass)"
    expect_post "204: an old heartbeat of kiosk 2" 204 "$k2" /api/v1/heartbeat "$(printf "$hb" "$OLD" 7 untrusted pass)"
    expect_post "400: heartbeat with an unknown field" 400 "$k1" /api/v1/heartbeat '{"schema":1,"day":"2026-01-01","version":"1","spool_depth":0,"clock":"trusted","self_test":"pass","ip":"1"}'
    expect_post "422: heartbeat from next week" 422 "$k1" /api/v1/heartbeat "$(printf "$hb" "$(day_offset 7)" 0 trusted pass)"

    echo "== $name: rate limit (a second node on the same database, 3 requests a minute)"
    stats_start "$name-rate" "$db" --rate 3 || not_ok "$name: rate-limited server starts"
    local rbase="http://127.0.0.1:$(stats_port "$name-rate")" i got codes=""
    for i in 1 2 3 4; do
        got=$(req -H "Authorization: Bearer $k4" -H 'Content-Type: application/json' \
            --data-binary "$(printf "$hb" "$TODAY" 1 trusted fail:audio)" "$rbase/api/v1/heartbeat")
        codes="$codes $got"
    done
    check "three heartbeats pass, the fourth gets 429 ($codes)" test "$codes" = " 204 204 204 429"
    local retry
    retry=$(header Retry-After)
    check "429 carries Retry-After ($retry s)" test "${retry:-0}" -ge 1 -a "${retry:-0}" -le 60
    check "429 reply gives a reason" grep -q '"status":"rate_limited"' "$T/body"
    check "the other kiosks are not limited" test "$(req -H "Authorization: Bearer $k1" -H 'Content-Type: application/json' --data-binary "$(printf "$hb" "$TODAY" 0 trusted pass)" "$rbase/api/v1/heartbeat")" = 204
    stats_stop "$name-rate"
    check "the rate-limited node stops cleanly on SIGTERM (status $STOP_STATUS)" test "$STOP_STATUS" = 0

    echo "== $name: staff log-in and CSRF"
    local jar=$T/$name.jar
    expect "dashboard without a session redirects" 303 "$BASE/"
    check "... to /login" test "$(header Location)" = /login
    expect "login page" 200 -c "$jar" -b "$jar" "$BASE/login"
    local csrf
    csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body")
    check "login form carries a form token" test "${#csrf}" = 64
    check "form-token cookie is HttpOnly and SameSite=Strict" grep -qi '^Set-Cookie: ol_csrf=.*HttpOnly; SameSite=Strict' "$T/headers"
    expect "login POST without the form-token cookie is refused" 403 --data-urlencode "csrf=$csrf" --data-urlencode name=alice --data-urlencode "password=$PASSWORD" "$BASE/login"
    expect "login POST from another site is refused" 403 -b "$jar" -H 'Sec-Fetch-Site: cross-site' --data-urlencode "csrf=$csrf" --data-urlencode name=alice --data-urlencode "password=$PASSWORD" "$BASE/login"
    expect "login POST with a foreign Origin is refused" 403 -b "$jar" -H 'Origin: http://evil.example' --data-urlencode "csrf=$csrf" --data-urlencode name=alice --data-urlencode "password=$PASSWORD" "$BASE/login"
    expect "wrong password" 401 -b "$jar" -c "$jar" --data-urlencode "csrf=$csrf" --data-urlencode name=alice --data-urlencode "password=wrong password!" "$BASE/login"
    csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body")
    expect "unknown staff name" 401 -b "$jar" -c "$jar" --data-urlencode "csrf=$csrf" --data-urlencode name=mallory --data-urlencode "password=$PASSWORD" "$BASE/login"
    csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body")
    expect "log in" 303 -b "$jar" -c "$jar" -H "Origin: $BASE" -H 'Sec-Fetch-Site: same-origin' --data-urlencode "csrf=$csrf" --data-urlencode name=alice --data-urlencode "password=$PASSWORD" "$BASE/login"
    check "session cookie is HttpOnly, SameSite=Strict, not Secure over plain HTTP" \
        sh -c "grep -i '^Set-Cookie: ol_session=' '$T/headers' | grep -q 'HttpOnly; SameSite=Strict.\$' "
    expect "dashboard with the session" 200 -b "$jar" "$BASE/?from=$W1&to=$TODAY"
    cp "$T/body" "$T/$name.html"
    check "dashboard is HTML without scripts" sh -c "! grep -qi '<script' '$T/$name.html'"
    check "dashboard forbids scripts by CSP" sh -c "grep -i '^Content-Security-Policy:' '$T/headers' | grep -q \"default-src 'none'\""
    check "site names are escaped in the page" grep -q 'Border Post &lt;North&gt; &amp; &quot;Co&quot;' "$T/$name.html"
    expect "a bad date range is refused" 400 -b "$jar" "$BASE/?from=2026-13-01"

    echo "== $name: published numbers (sums over kiosks and weeks; below 5 shown as <5)"
    local f=$T/$name.html
    expect_cell "$f" "week.$W1.sessions" 16
    expect_cell "$f" "week.$W1.call.attempted" "<5"
    expect_cell "$f" "week.$W2.sessions" 20
    expect_cell "$f" "week.$W2.call.attempted" 7
    expect_cell "$f" "week.$W2.call.connected" 5
    expect_cell "$f" "week.$W2.call.failed" "<5"
    expect_cell "$f" "week.$W2.read_aloud" 6
    expect_cell "$f" "week.$W2.quick_exit" "<5"
    expect_cell "$f" "week.$W3.sessions" 9
    expect_cell "$f" "week.$THIS.sessions" "no data"
    expect_cell "$f" total.sessions 45
    expect_cell "$f" total.call.attempted 8
    expect_cell "$f" total.call.connected 6
    expect_cell "$f" total.call.failed "<5"
    expect_cell "$f" total.read_aloud 7
    expect_cell "$f" total.quick_exit "<5"
    expect_cell "$f" "site.Airport T1.sessions" 32
    expect_cell "$f" "site.Airport T1.call.attempted" 9
    expect_cell "$f" "site.Border Post &lt;North&gt; &amp; &quot;Co&quot;.sessions" 13
    expect_cell "$f" "site.Border Post &lt;North&gt; &amp; &quot;Co&quot;.call.attempted" "<5"
    expect_cell "$f" lang.en 21
    expect_cell "$f" lang.es 15
    expect_cell "$f" lang.am 9
    expect_cell "$f" page.rights 12
    expect_cell "$f" page.wages "<5"
    check "kiosk 2 is flagged silent" grep -q 'no heartbeat for 5 days' "$f"
    check "the rate-test kiosk is flagged for its self-test" grep -q 'self-test fail:audio' "$f"
    check "the revoked kiosk shows as revoked" grep -q '>revoked<' "$f"
    check "two kiosks flagged" grep -q 'id="flagged">2 flagged' "$f"

    expect "a one-week range" 200 -b "$jar" "$BASE/?from=$W2&to=$W2"
    check "... states the epsilons of its batches" sh -c "grep -q '1 batch with two-sided geometric noise, &epsilon; = 0.5 per counter' '$f' && grep -q '3 batches with two-sided geometric noise, &epsilon; = 1 per counter' '$f'"
    check "... every shown count carries its 95 % range" grep -q "data-margin=\"week.$W2.sessions\">&#177;&#8239;[0-9]" "$f"

    echo "== $name: CSV export"
    expect "export without a session or token" 401 "$BASE/export.csv?from=$W1&to=$TODAY&by=week"
    expect "export with a kiosk token" 401 -H "Authorization: Bearer $k1" "$BASE/export.csv?from=$W1&to=$TODAY&by=week"
    expect "export by week with the read-only token" 200 -H "Authorization: Bearer $ro" "$BASE/export.csv?from=$W1&to=$TODAY&by=week"
    check "CSV starts with a UTF-8 byte-order mark" test "$(head -c 3 "$T/body" | od -An -tx1 | tr -d ' ')" = efbbbf
    check "CSV header" test "$(head -n 1 "$T/body" | tail -c +4 | tr -d '\r')" = "week,partial,unfinished,kiosks_reporting,batches,sessions,sessions_margin95,call.attempted,call.attempted_margin95,call.connected,call.connected_margin95,call.failed,call.failed_margin95,read_aloud,read_aloud_margin95,quick_exit,quick_exit_margin95,suppressed,no_data"
    check "CSV week $W1: numbers, suppressed cells empty and flagged" grep -Eq "^$W1,0,0,[0-9]+,[0-9]+,16,[0-9]+,,,,,,,,,,,1,0" "$T/body"
    check "CSV week $W2" grep -Eq "^$W2,0,0,[0-9]+,[0-9]+,20,[0-9]+,7,[0-9]+,5,[0-9]+,,,6,[0-9]+,,,1,0" "$T/body"
    check "CSV is text/csv" sh -c "grep -qi '^Content-Type: text/csv' '$T/headers'"
    expect "export by site with the session" 200 -b "$jar" "$BASE/export.csv?from=$W1&to=$TODAY&by=site"
    check "CSV site row" grep -Eq '^Airport T1,32,[0-9]+,9,[0-9]+,6,[0-9]+,,,7,[0-9]+,,,' "$T/body"
    check "CSV quotes a site with quotes and commas" grep -Eq '^"Border Post <North> & ""Co""",13,[0-9]+,,' "$T/body"
    expect "export by language" 200 -H "Authorization: Bearer $ro" "$BASE/export.csv?from=$W1&to=$TODAY&by=language"
    check "CSV languages by name, with margins and shares" test "$(tail -c +4 "$T/body" | tr -d '\r' | cut -d, -f1,2,3,6 | tr '\n' ' ')" = "language,name,sessions,suppressed en,English,21,0 es,español — Spanish,15,0 am,አማርኛ — Amharic,9,0 "
    expect "export filtered by a site (percent-encoded)" 200 -H "Authorization: Bearer $ro" "$BASE/export.csv?from=$W1&to=$TODAY&by=site&site=Airport%20T1"
    check "... holds that site alone" test "$(tail -n +2 "$T/body" | cut -d, -f1 | tr -d '\r')" = "Airport T1"
    expect "a filter with a decoded NUL is refused" 400 -H "Authorization: Bearer $ro" "$BASE/export.csv?by=site&site=A%00B"
    expect "an unknown period is refused" 400 -H "Authorization: Bearer $ro" "$BASE/export.csv?period=next-decade"
    expect "export with an unknown grouping" 400 -H "Authorization: Bearer $ro" "$BASE/export.csv?by=ip"
    expect "the read-only token does not open the dashboard" 303 -H "Authorization: Bearer $ro" "$BASE/"

    echo "== $name: log out"
    local lcsrf
    lcsrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/$name.html" | head -n 1)
    expect "log out without the form token is refused" 403 -b "$jar" --data-urlencode "csrf=0000" "$BASE/logout"
    expect "log out from another site is refused" 403 -b "$jar" -H 'Sec-Fetch-Site: cross-site' --data-urlencode "csrf=$lcsrf" "$BASE/logout"
    expect "log out" 303 -b "$jar" -c "$jar" --data-urlencode "csrf=$lcsrf" "$BASE/logout"
    expect "the session is gone" 303 -b "$jar" "$BASE/"

    echo "== $name: headless Chromium"
    chromium_check "$name" "$BASE" "$f"

    echo "== $name: shutdown"
    stats_stop "$name"
    check "SIGTERM stops the server with status 0 (status $STOP_STATUS)" test "$STOP_STATUS" = 0
    check "the log says it stopped" grep -q 'openline-stats: stopped' "$T/$name.log"
    check "the log says why requests were refused (409)" grep -q '409 another batch covers this bucket' "$T/$name.log"
    check "the log holds no payload" sh -c "! grep -Eq 'sessions|lang\\.|schema' '$T/$name.log'"
}

# chromium_check NAME BASE: log in through the form in headless Chromium and check the cells.
chromium_check() {
    local name=$1 base=$2
    if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null; then
        not_ok "chromium and node are needed (Debian packages chromium, nodejs, npm)"
        return
    fi
    if [ ! -d build/node/node_modules/playwright-core ]; then
        mkdir -p build/node
        cp tests/stats/package.json tests/stats/package-lock.json build/node/
        (cd build/node && npm ci --no-audit --no-fund --silent >npm.log 2>&1) || {
            cat build/node/npm.log
            not_ok "npm ci playwright-core into build/node"
            return
        }
    fi
    cp tests/stats/dashboard.mjs build/node/
    cat >"$T/expect.json" <<EOF
{"cells": {"week.$W1.sessions": "16", "week.$W1.call.attempted": "<5", "week.$W2.call.attempted": "7",
           "total.sessions": "45", "total.call.failed": "<5", "site.Airport T1.sessions": "32",
           "lang.en": "21", "lang.es": "15", "lang.am": "9", "page.wages": "<5"},
 "texts": {"#methods": ["1 batch with two-sided geometric noise, ε = 0.5", "3 batches with two-sided geometric noise, ε = 1", "below 5 are suppressed"],
           "#explain": ["the true count is within that range 95 times in 100", "more calls connected than attempted"],
           "#flagged": ["2 flagged"], "header": ["Signed in as alice"]}}
EOF
    chromium_run "$name" "$base" "?from=$W1&to=$TODAY" "$T/expect.json"
}

# chromium_run NAME BASE QUERY EXPECT.json: dashboard.mjs signed in as alice.
chromium_run() {
    local name=$1 base=$2
    mkdir -p build/stats "$T/profile-$name"
    if CHROMIUM_PROFILE="$T/profile-$name" timeout 180 node build/node/dashboard.mjs "$base" alice \
        "$PASSWORD" "$3" "$4" "build/stats/dashboard-$name.png" "$UA" \
        >"$T/chromium.log" 2>&1; then
        ok "headless Chromium: $(grep -c '^ok' "$T/chromium.log") checks passed; screenshot build/stats/dashboard-$name.png"
    else
        cat "$T/chromium.log"
        not_ok "headless Chromium checks"
    fi
}

# privacy_check NAME FILES...: no client address or agent in these files.
privacy_check() {
    local name=$1 f files=""
    shift
    for f in "$@"; do
        [ -e "$f" ] && files="$files $f"
    done
    local list
    list=$(for f in $files; do basename "$f"; done | tr '\n' ' ')
    check "$name: no 127.0.0.1 in $list" sh -c "! grep -a -q '127\\.0\\.0\\.1' $files"
    check "$name: no User-Agent in $list" sh -c "! grep -a -q 'OpenLinePrivacyProbe' $files"
}

# ---------------------------------------------------------------------------------------------
api_suite sqlite "sqlite:$T/stats.db"
echo "== sqlite: privacy"
check "sqlite: (control) a raw search of the file finds what was stored" grep -a -q 'Airport T1' "$T/stats.db"
privacy_check sqlite "$T/stats.db" "$T"/stats.db-* "$T/sqlite.log" "$T/sqlite-rate.log" "$T/sqlite.out"
check "sqlite: tables have no time or address columns" \
    sh -c "! sqlite3 '$T/stats.db' .schema | grep -Eiq 'created|arrived|_at |time|addr|agent|ip '"
check "sqlite: the database file is private (0600)" test "$(stat -c %a "$T/stats.db")" = 600

# ---------------------------------------------------------------------------------------------
# Six months from 12 kiosks at 5 sites (tests/stats/reach.py seed: a day-bucket kiosk, a silent
# one, a revoked one, a new one), the CSV export cell by cell against reach.py's own sums for
# whole ISO weeks, where the collector's week rule and the Thursday rule agree.
# reach_csv BASE TOKEN BY FROM TO [site=NAME|lang=CODE]...: the export against reach.py's sums.
reach_csv() {
    local base=$1 ro=$2 by=$3 from=$4 to=$5 url args=() kv
    shift 5
    url="$base/export.csv?from=$from&to=$to&by=$by"
    for kv in "$@"; do
        url="$url&${kv%%=*}=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1]))' "${kv#*=}")"
        args+=("--${kv%%=*}" "${kv#*=}")
    done
    curl -s -H "Authorization: Bearer $ro" -o "$T/reach.csv" "$url"
    if python3 tests/stats/reach.py csv-check --batches "${REACH_BATCHES:-$T/reach/batches.json}" \
        --from "$from" --to "$to" --by "$by" "${args[@]}" --csv "$T/reach.csv" \
        >"$T/reach-check.log" 2>&1; then
        ok "reach: $(tail -n 1 "$T/reach-check.log")"
    else
        cat "$T/reach-check.log"
        not_ok "reach: the CSV by $by, $from to $to $*"
    fi
}

reach_check() {
    local db="sqlite:$T/reach.db" base ro from to by
    echo "== reach: six months of batches, the CSV against an independent oracle"
    stats_start reach "$db" --rate 0 || {
        not_ok "reach: server starts"
        return
    }
    base="http://127.0.0.1:$(stats_port reach)"
    if ! python3 tests/stats/reach.py seed --base "$base" --stats "$STATS_BIN" --db "$db" \
        --today "$(date -u +%F)" --out "$T/reach" >"$T/reach-seed.log" 2>&1; then
        not_ok "reach: seed: $(tail -n 1 "$T/reach-seed.log")"
        stats_stop reach
        return
    fi
    ok "$(tail -n 1 "$T/reach-seed.log")"
    echo "$PASSWORD" | "$STATS_BIN" --db "$db" staff add reach >/dev/null 2>&1
    ro=$("$STATS_BIN" --db "$db" staff token reach 2>/dev/null)
    to=$(day_offset $((-$(date -u +%u))))
    from=$(date -u -d "$to - 181 days" +%F)
    local mae="Mae Sot Border Post" bkk="Bangkok Suvarnabhumi Airport — Departures Hall"
    # whole weeks; a range cut inside weeks (the Thursday rule); sites and languages chosen
    reach_csv "$base" "$ro" week "$from" "$to"
    reach_csv "$base" "$ro" site "$from" "$to"
    reach_csv "$base" "$ro" language "$from" "$to"
    reach_csv "$base" "$ro" page "$from" "$to"
    reach_csv "$base" "$ro" site-week "$from" "$to"
    reach_csv "$base" "$ro" week "$(date -u -d "$to - 100 days" +%F)" "$(date -u -d "$to - 12 days" +%F)"
    reach_csv "$base" "$ro" week "$from" "$to" "site=$mae" "lang=my" "lang=th"
    reach_csv "$base" "$ro" site "$from" "$to" "site=$mae" "site=$bkk" "lang=ar"
    reach_csv "$base" "$ro" site-week "$from" "$to" "site=$mae" "lang=my" "lang=th"
    reach_csv "$base" "$ro" page "$from" "$to" "site=$bkk"
    # the dashboard of one site for this quarter, read in Chromium at 1440 and 390 px
    local q qfrom
    qfrom=$(date -u +%Y)-$(printf %02d $((($(date -u +%-m) - 1) / 3 * 3 + 1)))-01
    python3 tests/stats/reach.py expect --batches "$T/reach/batches.json" --from "$qfrom" \
        --to "$(date -u +%F)" --site "$mae" >"$T/reach-q.json"
    q="?period=this-quarter&site=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1]))' "$mae")"
    python3 - "$T/reach-q.json" >"$T/expect.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))["total"]
fmt = lambda v: f"{v:,}" if v >= 5 else "<5"
print(json.dumps({"cells": {f"total.{n}": fmt(w[n]["value"]) for n in ("sessions", "call.attempted", "call.connected")},
                  "texts": {"#statement": ["Site: Mae Sot Border Post", "This quarter"],
                            "#flagged": ["flagged"]}}))
PY
    echo "$PASSWORD" | "$STATS_BIN" --db "$db" staff add alice >/dev/null 2>&1
    chromium_run reach "$base" "$q" "$T/expect.json"
    stats_stop reach
}
reach_check

# upgrade_check NAME URL: a schema 1 database (tests/stats/fixtures/schema1.sql, loaded by the
# caller) opened by this collector is upgraded, and its exports equal the oracle's sums of the
# same three batches (tests/stats/fixtures/schema1-batches.json).
upgrade_check() {
    local name=$1 url=$2 ro by
    echo "== $name: a database of schema 1"
    "$STATS_BIN" --db "$url" kiosk list >"$T/$name-upgrade.out" 2>&1
    check "$name: the database is upgraded when the collector opens it" \
        grep -q 'upgraded from schema 1 to 2' "$T/$name-upgrade.out"
    check "$name: its kiosks are kept" grep -q 'Old Site B' "$T/$name-upgrade.out"
    echo "$PASSWORD" | "$STATS_BIN" --db "$url" staff add upgrade >/dev/null 2>&1
    ro=$("$STATS_BIN" --db "$url" staff token upgrade 2>/dev/null)
    stats_start "$name-upgrade" "$url" || {
        not_ok "$name: server starts on the upgraded database"
        return
    }
    for by in week site language page; do
        REACH_BATCHES=tests/stats/fixtures/schema1-batches.json \
            reach_csv "http://127.0.0.1:$(stats_port "$name-upgrade")" "$ro" "$by" 2026-03-01 2026-03-31
    done
    stats_stop "$name-upgrade"
}
sqlite3 "$T/schema1.db" <tests/stats/fixtures/schema1.sql
upgrade_check sqlite "sqlite:$T/schema1.db"

echo "== postgresql: starting a server of our own"
if pg_start; then
    ok "PostgreSQL listens on 127.0.0.1:$PG_PORT, socket in the temporary folder"
    api_suite pg "$PG_URL"
    echo "== pg: privacy"
    runuser -u postgres -- "$PG_BIN/pg_dump" -h "$PG_DIR" -p "$PG_PORT" -U postgres postgres \
        >"$T/pg.dump" 2>/dev/null
    check "pg: pg_dump worked" test -s "$T/pg.dump"
    check "pg: the dump holds the batches" grep -q 'lang.es' "$T/pg.dump"
    privacy_check pg "$T/pg.dump" "$T/pg.log" "$T/pg-rate.log" "$T/pg.out"
    check "pg: tables have no time or address columns" \
        sh -c "! grep -A12 'CREATE TABLE' '$T/pg.dump' | grep -Eiq 'created|arrived|_at |timestamp|inet|agent'"
    pg_sql "CREATE DATABASE schema1"
    runuser -u postgres -- "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d schema1 -qAtX \
        -v ON_ERROR_STOP=1 <tests/stats/fixtures/schema1.sql >/dev/null
    upgrade_check pg "postgresql://postgres@127.0.0.1:$PG_PORT/schema1"
    echo "== pg: the database stops and comes back under a running server"
    K=$("$STATS_BIN" --db "$PG_URL" kiosk add "Restart Site" 2>/dev/null)
    stats_start pgdown "$PG_URL" || not_ok "pg: server starts"
    PGHB="{\"schema\":1,\"day\":\"$TODAY\",\"version\":\"1\",\"spool_depth\":0,\"clock\":\"trusted\",\"self_test\":\"pass\"}"
    expect "a heartbeat before" 204 -H "Authorization: Bearer $K" -H 'Content-Type: application/json' --data-binary "$PGHB" "http://127.0.0.1:$(stats_port pgdown)/api/v1/heartbeat"
    pg_stop
    expect "503 while PostgreSQL is down" 503 -H "Authorization: Bearer $K" -H 'Content-Type: application/json' --data-binary "$PGHB" "http://127.0.0.1:$(stats_port pgdown)/api/v1/heartbeat"
    check "503 carries Retry-After" test -n "$(header Retry-After)"
    check "the server is still alive" kill -0 "$(cat "$T/pgdown.pid")"
    check "PostgreSQL starts again" pg_restart
    expect "the server reconnects: heartbeat accepted again" 204 -H "Authorization: Bearer $K" -H 'Content-Type: application/json' --data-binary "$PGHB" "http://127.0.0.1:$(stats_port pgdown)/api/v1/heartbeat"
    expect "and a batch (the writer reconnected too)" 201 -H "Authorization: Bearer $K" -H 'Content-Type: application/json' --data-binary "$(batch "$(hexid)" "$W1" 7 1 '{"sessions":5}')" "http://127.0.0.1:$(stats_port pgdown)/api/v1/batches"
    stats_stop pgdown
    check "and stops cleanly (status $STOP_STATUS)" test "$STOP_STATUS" = 0
else
    not_ok "PostgreSQL server starts"
fi

# ---------------------------------------------------------------------------------------------
echo "== TLS"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
if stats_start tls "sqlite:$T/tls.db" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"; then
    TB="https://127.0.0.1:$(stats_port tls)"
    check "https: the log says https" grep -q '(https)' "$T/tls.log"
    expect "https: healthz with the certificate verified" 200 --cacert "$T/cert.pem" "$TB/healthz"
    TK=$("$STATS_BIN" --db "sqlite:$T/tls.db" kiosk add "TLS Site" 2>/dev/null)
    expect "https: a batch" 201 --cacert "$T/cert.pem" -H "Authorization: Bearer $TK" -H 'Content-Type: application/json' --data-binary "$(batch "$(hexid)" "$W1" 7 1 '{"sessions":5}')" "$TB/api/v1/batches"
    echo "$PASSWORD" | "$STATS_BIN" --db "sqlite:$T/tls.db" staff add carol 2>/dev/null
    expect "https: login page" 200 --cacert "$T/cert.pem" -c "$T/tls.jar" "$TB/login"
    csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body")
    expect "https: log in" 303 --cacert "$T/cert.pem" -b "$T/tls.jar" --data-urlencode "csrf=$csrf" --data-urlencode name=carol --data-urlencode "password=$PASSWORD" "$TB/login"
    check "https: the session cookie is Secure" sh -c "grep -i '^Set-Cookie: ol_session=' '$T/headers' | grep -q '; Secure'"
    stats_stop tls INT
    check "https: SIGINT stops it cleanly too (status $STOP_STATUS)" test "$STOP_STATUS" = 0
    check "https: the log says SIGINT" grep -q 'stopping on SIGINT' "$T/tls.log"
else
    not_ok "https: server starts"
fi

# ---------------------------------------------------------------------------------------------
echo "== command line: every mistake gets one clear line and a non-zero status, never a crash"
# cli NAME WANT-STATUS PATTERN ARGS...
cli() {
    local name=$1 want=$2 pat=$3
    shift 3
    "$STATS_BIN" "$@" >"$T/cli.out" 2>"$T/cli.err" </dev/null
    local st=$? lines
    lines=$(wc -l <"$T/cli.err")
    if [ "$st" = "$want" ] && grep -q -- "$pat" "$T/cli.err" "$T/cli.out" &&
        { [ "$lines" = 1 ] || [ "$want" = 2 -a "$lines" -gt 1 ] || [ "$want" = 0 ]; }; then
        ok "$name: status $st: $(head -n 1 "$T/cli.err" "$T/cli.out" | grep -v '^==>' | grep . | head -n 1)"
    else
        not_ok "$name: status $st (want $want), $lines lines: $(cat "$T/cli.err")"
    fi
}
cli "no arguments prints usage" 2 "Usage: openline-stats"
cli "--help prints usage" 0 "Usage: openline-stats" --help
cli "unknown command" 2 "unknown command" frobnicate
cli "unknown option" 2 "unknown option" serve --frob
cli "bad --db URL" 2 "unknown database" --db mysql://x kiosk list
cli "sqlite: folder missing" 1 "folder /nonexistent-dir does not exist" --db sqlite:/nonexistent-dir/stats.db kiosk list
echo "not a database" >"$T/junk.db"
cli "sqlite: not a database" 1 "file is not a database" --db "sqlite:$T/junk.db" serve --listen 127.0.0.1:0
cli "postgresql unreachable" 1 "cannot connect to PostgreSQL" --db "postgresql://postgres@127.0.0.1:$(free_port)/x" serve --listen 127.0.0.1:0
stats_start busy "sqlite:$T/busy.db" || not_ok "a server for the port test starts"
cli "port in use" 1 "Address already in use" --db "sqlite:$T/busy2.db" serve --listen "127.0.0.1:$(stats_port busy)"
stats_stop busy
cli "bad --listen" 2 "expected ADDRESS:PORT" --db "sqlite:$T/busy2.db" serve --listen nowhere
cli "--rate not a number" 2 "expected a whole number" serve --rate fast
cli "TLS certificate missing" 1 "No such file" --db "sqlite:$T/busy2.db" serve --listen 127.0.0.1:0 --tls-cert "$T/none.pem" --tls-key "$T/key.pem"
cli "TLS file not PEM" 1 "not a PEM file" --db "sqlite:$T/busy2.db" serve --listen 127.0.0.1:0 --tls-cert "$T/junk.db" --tls-key "$T/key.pem"
openssl genrsa -out "$T/other.pem" 2048 >/dev/null 2>&1
cli "TLS key of another certificate" 1 "cannot start TLS" --db "sqlite:$T/busy2.db" serve --listen 127.0.0.1:0 --tls-cert "$T/cert.pem" --tls-key "$T/other.pem"
cli "TLS cert without key" 2 "go together" --db "sqlite:$T/busy2.db" serve --listen 127.0.0.1:0 --tls-cert "$T/cert.pem"
cli "revoke an unknown kiosk" 1 "there is no kiosk 999" --db "sqlite:$T/busy2.db" kiosk revoke 999
cli "a token for an unknown staff member" 1 'no staff member "nobody"' --db "sqlite:$T/busy2.db" staff token nobody
cli "serve options with another command" 2 "go with serve" --db "sqlite:$T/busy2.db" kiosk list --rate 3
STATE_DIRECTORY=$T/state
mkdir -p "$STATE_DIRECTORY"
STATE_DIRECTORY=$STATE_DIRECTORY "$STATS_BIN" kiosk list >/dev/null 2>&1
check "the default database is stats.db in \$STATE_DIRECTORY" test -f "$T/state/stats.db"

# kiosk list lines its columns up in display columns (a CJK character takes two, a combining
# accent none) whatever the sites' lengths and scripts.
for site in "A" "Bangkok Suvarnabhumi Airport — Departures Hall" "成田空港 第1ターミナル 出発ロビー" \
    $'Espace Solidarite\xcc\x81 Saint-Denis' "Mae Sot Border Post"; do
    "$STATS_BIN" --db "sqlite:$T/list.db" kiosk add -- "$site" >/dev/null 2>&1
done
"$STATS_BIN" --db "sqlite:$T/list.db" kiosk revoke 2 >/dev/null 2>&1
"$STATS_BIN" --db "sqlite:$T/list.db" kiosk list >"$T/list.txt" 2>&1
check "kiosk list: a header and five kiosks" test "$(wc -l <"$T/list.txt")" = 6
check "kiosk list lines up its columns with long and non-ASCII site names" \
    python3 - "$T/list.txt" <<'PY'
import re, sys, unicodedata

def width(s):
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

starts = set()
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    m = re.match(r"(\S+ +)(.*?  +)((?:STATUS|active|revoked) +)(\S+ +)(\S+ +)(\S+ +)(\S+ +)\S+$",
                 line)
    if not m:
        sys.exit(f"not a kiosk list line: {line!r}")
    starts.add(tuple(width(line[:m.start(i)]) for i in range(2, 8)))
sys.exit(len(starts) != 1)
PY

# ---------------------------------------------------------------------------------------------
# The collector as an attacker meets it (scripts of their own: each starts its own servers).
for part in attack signin; do
    bash "tests/stats/$part.sh" >"$T/$part.log" 2>&1
    st=$?
    sed -n 's/^\(ok  \|FAIL\) - /&'"$part"': /p; /^ /p; /^==/p' "$T/$part.log"
    p=$(awk '/passed, .* failed$/ {print $1}' "$T/$part.log" | tail -n 1)
    f=$(awk '/passed, .* failed$/ {print $3}' "$T/$part.log" | tail -n 1)
    PASS=$((PASS + ${p:-0}))
    FAIL=$((FAIL + ${f:-1}))
    [ $st = 0 ] || [ "${f:-1}" != 0 ] || { FAIL=$((FAIL + 1)); echo "FAIL - $part.sh exited $st"; }
done

# ---------------------------------------------------------------------------------------------
ELAPSED=$(($(date +%s) - START))
echo "== openline-stats tests took ${ELAPSED} s"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
