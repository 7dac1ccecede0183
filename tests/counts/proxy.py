#!/usr/bin/python3
# A recording, fault-injecting HTTP proxy between the kiosk and the real openline-stats, for the
# counts tests. Listens on 127.0.0.1 only. Every request the kiosk sends is written to the
# capture file (one JSON line: its number, the mode it met, the raw bytes), then, by the mode
# the mode file gives it. Each line of that file is "KIND COUNT MODE...": KIND batches,
# heartbeat or *; COUNT how many matching requests the line serves (then the next line that
# matches takes over), or * for all; MODE one of
#   pass            forward to the collector and return its reply (status, Date, Retry-After, body)
#   slow MS         the same, but the reply waits MS milliseconds after the collector answered
#                   (the collector has stored the batch; the kiosk does not know it yet)
#   status N [S]    reply N (with Retry-After: S when given) without asking the collector
#   hang            read the request, never answer (until the kiosk gives up)
#   reset           read the headers and a few bytes of the body, then reset the connection
# The counts start again whenever the file changes. No file, or no line that matches: pass.
# Usage: proxy.py PORT COLLECTOR_PORT MODE_FILE CAPTURE_FILE
# SPDX-License-Identifier: GPL-3.0-or-later
import http.client
import json
import socket
import socketserver
import struct
import sys
import threading
import time

PORT, UPSTREAM, MODE_FILE, CAPTURE = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
lock = threading.Lock()
count = [0]


state = {"text": None, "used": []}


def mode(kind):
    try:
        with open(MODE_FILE) as f:
            text = f.read()
    except OSError:
        text = ""
    rules = [line.split() for line in text.splitlines() if line.split()]
    with lock:
        if text != state["text"]:
            state["text"], state["used"] = text, [0] * len(rules)
        for i, r in enumerate(rules):
            if r[0] not in ("*", kind) or (r[1] != "*" and state["used"][i] >= int(r[1])):
                continue
            state["used"][i] += 1
            return r[2:]
    return ["pass"]


def reply(sock, status, body, extra=()):
    head = [f"HTTP/1.1 {status} Test", "Content-Type: application/json",
            f"Content-Length: {len(body)}", "Connection: close",
            "Date: " + time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())]
    head += list(extra)
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        sock.settimeout(120)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        kind = lines[0].split()[1].rsplit("/", 1)[-1] if len(lines[0].split()) > 1 else ""
        m = mode(kind)
        if m[0] == "reset":
            # a few bytes of the body arrived, then the connection is reset (RST, no FIN)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.record(head + b"\r\n\r\n" + body[:8], m, partial=True)
            sock.close()
            return
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        self.record(head + b"\r\n\r\n" + body, m)
        if m[0] == "hang":
            try:
                while sock.recv(65536):
                    pass
            except OSError:
                pass
            return
        if m[0] == "status":
            extra = [f"Retry-After: {m[2]}"] if len(m) > 2 else []
            reply(sock, int(m[1]), b'{"status":"test","reason":"injected by the test proxy"}',
                  extra)
            return
        conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=60)
        path = lines[0].split()[1]
        fwd = {k: v for k, v in headers.items() if k in ("authorization", "content-type")}
        try:
            conn.request(lines[0].split()[0], path, body=body, headers=fwd)
            r = conn.getresponse()
            out = r.read()
            if m[0] == "slow":
                time.sleep(int(m[1]) / 1000)
            extra = [f"{k}: {v}" for k, v in r.getheaders() if k.lower() in ("retry-after",
                                                                             "www-authenticate")]
            reply(sock, r.status, out, extra)
        except OSError:
            reply(sock, 502, b'{"status":"test","reason":"collector down behind the proxy"}')

    def record(self, raw, m, partial=False):
        with lock:
            count[0] += 1
            with open(CAPTURE, "a") as f:
                f.write(json.dumps({"n": count[0], "mode": " ".join(m), "partial": partial,
                                    "raw": raw.decode("latin-1")}) + "\n")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


with Server(("127.0.0.1", PORT), Handler) as srv:
    print(f"proxy listening on port {PORT}", flush=True)
    srv.serve_forever()
