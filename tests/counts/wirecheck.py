#!/usr/bin/python3
# Reads every request the kiosk sent upstream (the proxy's capture) and checks that it holds
# nothing but wire v1 (docs/wire-v1.md): the request line and four headers, one JSON object with
# exactly the fields of a batch or a heartbeat, counter names from the kiosk's closed set, dates
# and no time finer than a day, and the same bytes every time a batch id is sent again.
# Usage: wirecheck.py CAPTURE TOKEN NAMES_FILE  (NAMES_FILE: the closed set, one name a line)
# Prints one line per request kind and each problem; exit 1 when there is a problem.
# SPDX-License-Identifier: GPL-3.0-or-later
import datetime
import json
import re
import sys

capture, token, names_file = sys.argv[1:4]
closed = set(open(names_file).read().split())
problems = []
seen_batches = {}
kinds = {"batches": 0, "heartbeat": 0, "retried": 0}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# anything that looks like a time of day, a timestamp or seconds since 1970
TIMEY = re.compile(r"\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}T|\b1[5-9]\d{8}\b|\b2\d{9}\b")


def problem(n, what):
    problems.append(f"request {n}: {what}")


def no_dup_pairs(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate member")
    return dict(pairs)


for line in open(capture):
    rec = json.loads(line)
    n, raw = rec["n"], rec["raw"]
    head, _, body = raw.partition("\r\n\r\n")
    lines = head.split("\r\n")
    m = re.match(r"^POST /api/v1/(batches|heartbeat) HTTP/1\.1$", lines[0])
    if not m:
        problem(n, f"request line {lines[0]!r}")
        continue
    kind = m.group(1)
    headers = {}
    for h in lines[1:]:
        name, _, value = h.partition(":")
        headers[name.strip().lower()] = value.strip()
    extra = set(headers) - {"host", "authorization", "content-type", "content-length"}
    if extra:
        problem(n, f"headers beyond wire v1: {sorted(extra)}")
    if headers.get("authorization") != f"Bearer {token}":
        problem(n, "Authorization is not the kiosk's bearer token")
    if headers.get("content-type") != "application/json":
        problem(n, f"Content-Type {headers.get('content-type')!r}")
    if not re.match(r"^127\.0\.0\.1:\d+$", headers.get("host", "")):
        problem(n, f"Host {headers.get('host')!r}")
    if rec["partial"]:
        continue  # reset mid-request by the test: only the headers are whole
    try:
        doc = json.loads(body, object_pairs_hook=no_dup_pairs)
    except ValueError as e:
        problem(n, f"body is not one JSON object: {e}")
        continue
    if TIMEY.search(body):
        problem(n, f"something like a time in the body: {TIMEY.search(body).group(0)!r}")
    kinds[kind] += 1
    if kind == "batches":
        if set(doc) != {"schema", "batch", "bucket", "noise", "counts"}:
            problem(n, f"batch fields {sorted(doc)}")
            continue
        if doc["schema"] != 1 or not re.match(r"^[0-9a-f]{32}$", str(doc["batch"])):
            problem(n, "schema or batch id")
        b = doc["bucket"]
        if set(b) != {"start", "days"} or not DAY.match(str(b.get("start"))) or \
                b.get("days") not in (1, 7):
            problem(n, f"bucket {b}")
        elif b["days"] == 7 and datetime.date.fromisoformat(b["start"]).weekday() != 0:
            problem(n, f"a week bucket not on a Monday: {b}")
        noise = doc["noise"]
        if noise not in ({"mech": "none"},) and not (
                set(noise) == {"mech", "epsilon"} and noise["mech"] == "geometric"):
            problem(n, f"noise {noise}")
        counts = doc["counts"]
        if set(counts) != closed:
            problem(n, f"counter names differ from the closed set: "
                       f"extra {sorted(set(counts) - closed)}, missing {sorted(closed - set(counts))}")
        if any(type(v) is not int or v < -50 or v > 50000 for v in counts.values()):
            problem(n, "a count that is not an integer from -50 to 50000")
        was = seen_batches.get(doc["batch"])
        if was is not None:
            kinds["retried"] += 1
            if was != body:
                problem(n, f"batch {doc['batch']} sent again with other bytes")
        seen_batches[doc["batch"]] = body
    else:
        if set(doc) != {"schema", "day", "version", "spool_depth", "clock", "self_test"}:
            problem(n, f"heartbeat fields {sorted(doc)}")
            continue
        if not DAY.match(str(doc["day"])) or doc["clock"] not in ("trusted", "untrusted") or \
                not re.match(r"^(pass|fail:[a-z0-9_.-]{1,32})$", str(doc["self_test"])) or \
                type(doc["spool_depth"]) is not int or \
                not re.match(r"^[A-Za-z0-9.+~_-]{1,32}$", str(doc["version"])):
            problem(n, f"heartbeat values {doc}")

print(f"{kinds['batches']} batch request(s) ({len(seen_batches)} batches, {kinds['retried']} "
      f"sent again, each byte for byte), {kinds['heartbeat']} heartbeat(s)")
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
