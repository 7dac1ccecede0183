#!/usr/bin/python3
# Load for the SIGTERM test of openline-stats: one worker per kiosk token, each posting distinct
# weekly batches back in time on a kept-alive connection as fast as replies come, until the
# server is gone. Every batch is written to OUT as "BATCH_ID STATUS", STATUS being the HTTP
# status or "noreply" (the connection closed or failed before a reply). Prints "ready" once all
# workers have had a first reply.
# Usage: term_load.py PORT TOKENS-FILE NEWEST-MONDAY-EPOCH OUT       (127.0.0.1 only)
# SPDX-License-Identifier: GPL-3.0-or-later
import http.client
import sys
import threading
import time

PORT, TOKENS, NEWEST, OUT = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
tokens = [t.strip() for t in open(TOKENS) if t.strip()]
lock = threading.Lock()
results = []
first = threading.Barrier(len(tokens) + 1)


def worker(k, token):
    conn = None
    week = 0
    gone = 0
    said_ready = False
    while gone < 20:
        start = NEWEST - week * 7 * 86400
        day = time.strftime("%Y-%m-%d", time.gmtime(start))
        bid = "%016x%016x" % (k, 1000000 + week)
        body = ('{"schema":1,"batch":"%s","bucket":{"start":"%s","days":7},'
                '"noise":{"mech":"geometric","epsilon":1.0},"counts":{"sessions":%d}}'
                % (bid, day, week % 50))
        week += 1
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            conn.request("POST", "/api/v1/batches", body,
                         {"Authorization": "Bearer " + token,
                          "Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            status = str(resp.status)
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            status = "noreply"
            if conn is not None:
                conn.close()
            conn = None
            gone += 1
            time.sleep(0.05)
        with lock:
            results.append((bid, status))
        if not said_ready:
            said_ready = True
            first.wait()


threads = [threading.Thread(target=worker, args=(k, t), daemon=True) for k, t in enumerate(tokens)]
for t in threads:
    t.start()
first.wait()
print("ready", flush=True)
for t in threads:
    t.join()
with open(OUT, "w") as f:
    for bid, status in results:
        f.write(f"{bid} {status}\n")
